//! The profile's log: each check and each message sent is appended according to
//! `log.level` (`full`: the whole transcript; `errors`: failures only; `off`).
//! The file is capped in size with one rotation (`NAME.log.1`). Transcripts are
//! redacted before they get here, so no secret can reach the file.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Report;
use super::transcript;
use crate::core::profile::{LogLevel, Profile};
use crate::core::store::Paths;

/// Above this size the file is rotated before the next entry.
pub const MAX_LOG_BYTES: u64 = 1024 * 1024;

/// The profile's log file: `log.file`, or `<data>/logs/NAME.log`.
pub fn file(profile: &Profile, paths: &Paths) -> PathBuf {
    let configured = profile.log.file.trim();
    if configured.is_empty() {
        paths
            .data
            .join("logs")
            .join(format!("{}.log", profile.name))
    } else {
        PathBuf::from(configured)
    }
}

/// The entry for one report, as written to the file.
pub fn entry(profile: &Profile, kind: &str, report: &Report) -> String {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut out = format!(
        "=== {now} {kind} profile={} result={}\n{}\n",
        profile.name,
        report.diagnosis.code.as_str(),
        report.diagnosis.message()
    );
    for step in &report.steps {
        out.push_str(&format!(
            "  {:<8} {:<10} {:>6} ms  {}\n",
            step.status.as_str(),
            step.name.as_str(),
            step.elapsed_ms,
            step.detail
        ));
    }
    out.push_str(&transcript::render(&report.transcript));
    out
}

/// Appends the report to the profile's log if its level asks for it.
/// Returns the file written, if any.
pub fn append(
    profile: &Profile,
    paths: &Paths,
    kind: &str,
    report: &Report,
) -> io::Result<Option<PathBuf>> {
    match profile.log.level {
        LogLevel::Off => return Ok(None),
        LogLevel::Errors if report.ok() => return Ok(None),
        LogLevel::Errors | LogLevel::Full => {}
    }
    let path = file(profile, paths);
    write_capped(
        &path,
        entry(profile, kind, report).as_bytes(),
        MAX_LOG_BYTES,
    )?;
    Ok(Some(path))
}

/// Appends `bytes`, first moving a file that would grow past `cap` to `.1`.
pub fn write_capped(path: &Path, bytes: &[u8], cap: u64) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > 0 && size + bytes.len() as u64 > cap {
        let mut rotated = path.as_os_str().to_owned();
        rotated.push(".1");
        fs::rename(path, PathBuf::from(rotated))?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::check::{Code, Diagnosis};

    fn report(code: Code) -> Report {
        Report::not_started(Diagnosis::new(code), Some("note".to_owned()))
    }

    #[test]
    fn the_file_is_capped_with_one_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs/p.log");
        for i in 0..50 {
            write_capped(
                &path,
                format!("entry {i:03} {}\n", "x".repeat(40)).as_bytes(),
                500,
            )
            .unwrap();
        }
        let current = fs::metadata(&path).unwrap().len();
        let rotated = fs::read_to_string(dir.path().join("logs/p.log.1")).unwrap();
        assert!(current <= 500 && rotated.len() <= 500);
        assert!(fs::read_to_string(&path).unwrap().contains("entry 049"));
        assert!(!dir.path().join("logs/p.log.2").exists());
    }

    #[test]
    fn the_level_decides_what_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let mut profile = Profile::named("p");
        profile.log.level = LogLevel::Errors;
        assert_eq!(
            append(&profile, &paths, "check", &report(Code::Ok)).unwrap(),
            None
        );
        let written = append(&profile, &paths, "check", &report(Code::AuthFailed)).unwrap();
        assert_eq!(written, Some(paths.data.join("logs/p.log")));
        profile.log.level = LogLevel::Off;
        assert_eq!(
            append(&profile, &paths, "check", &report(Code::AuthFailed)).unwrap(),
            None
        );
        profile.log.level = LogLevel::Full;
        profile.log.file = dir.path().join("own.log").display().to_string();
        append(&profile, &paths, "check", &report(Code::Ok)).unwrap();
        assert!(
            fs::read_to_string(dir.path().join("own.log"))
                .unwrap()
                .contains("result=ok")
        );
    }
}
