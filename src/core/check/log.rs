//! The profile's log: each check and each message sent is appended according to
//! `log.level` (`full`: the whole transcript; `errors`: failures only; `off`).
//! The file is capped in size with one rotation (`NAME.log.1`). Transcripts are
//! redacted before they get here, so no secret can reach the file.
//!
//! `log.file` may come from an imported profile, so the file is only ever a
//! regular file: validation refuses a relative path, a folder, a symbolic link
//! and special files, and opening checks again (the link is not followed: on
//! Unix `O_NOFOLLOW`; the opened file must be a regular one).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::Report;
use super::transcript;
use crate::core::profile::{LogFileProblem, LogLevel, Profile};
use crate::core::store::{Paths, Scope};
use crate::i18n::{self, Localize};

/// Above this size the file is rotated before the next entry.
pub const MAX_LOG_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Error)]
pub enum LogError {
    #[error("{}: {problem}", .path.display())]
    Refused {
        path: PathBuf,
        problem: LogFileProblem,
    },
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl Localize for LogError {
    fn localize(&self) -> String {
        match self {
            LogError::Refused { path, problem } => i18n::tr_args(
                "log-file-refused",
                &[
                    ("file", path.display().to_string()),
                    ("problem", i18n::tr(problem.message_id())),
                ],
            ),
            LogError::Io { path, source } => i18n::tr_args(
                "cli-check-log-failed",
                &[
                    ("file", path.display().to_string()),
                    ("reason", source.to_string()),
                ],
            ),
        }
    }
}

/// The log file of the user profile: `log.file`, or `<data>/logs/NAME.log`.
pub fn file(profile: &Profile, paths: &Paths) -> PathBuf {
    file_in(profile, Scope::User, paths)
}

/// The profile's log file: `log.file`, or `<data>/logs/NAME.log` for a user
/// profile and `<data>/logs/system/NAME.log` for a system one (a user profile
/// and a system profile of the same name log apart).
pub fn file_in(profile: &Profile, scope: Scope, paths: &Paths) -> PathBuf {
    let configured = profile.log.file.trim();
    if !configured.is_empty() {
        return PathBuf::from(configured);
    }
    let logs = paths.data.join("logs");
    let folder = match scope {
        Scope::User => logs,
        Scope::System => logs.join("system"),
    };
    folder.join(format!("{}.log", profile.name))
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

/// Appends the report to the user profile's log if its level asks for it.
/// Returns the file written, if any.
pub fn append(
    profile: &Profile,
    paths: &Paths,
    kind: &str,
    report: &Report,
) -> Result<Option<PathBuf>, LogError> {
    append_in(profile, Scope::User, paths, kind, report)
}

/// Appends the report to the log of `profile` of `scope` if its level asks for it.
/// Returns the file written, if any.
pub fn append_in(
    profile: &Profile,
    scope: Scope,
    paths: &Paths,
    kind: &str,
    report: &Report,
) -> Result<Option<PathBuf>, LogError> {
    match profile.log.level {
        LogLevel::Off => return Ok(None),
        LogLevel::Errors if report.ok() => return Ok(None),
        LogLevel::Errors | LogLevel::Full => {}
    }
    let path = file_in(profile, scope, paths);
    write_capped(
        &path,
        entry(profile, kind, report).as_bytes(),
        MAX_LOG_BYTES,
    )?;
    Ok(Some(path))
}

/// Appends `bytes`, first moving a file that would grow past `cap` to `.1`.
/// Only a regular file is written: a symbolic link, a folder or a special file
/// at `path` is refused before anything is changed.
pub fn write_capped(path: &Path, bytes: &[u8], cap: u64) -> Result<(), LogError> {
    let io_error = |source| LogError::Io {
        path: path.to_path_buf(),
        source,
    };
    let refused = |problem| LogError::Refused {
        path: path.to_path_buf(),
        problem,
    };
    if !path.is_absolute() {
        return Err(refused(LogFileProblem::Relative));
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    // Before rotating, so that nothing is renamed for a file that is refused.
    let size = match fs::symlink_metadata(path) {
        Ok(meta) => {
            if let Some(problem) = LogFileProblem::of_type(meta.file_type()) {
                return Err(refused(problem));
            }
            meta.len()
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
        Err(e) => return Err(io_error(e)),
    };
    if size > 0 && size + bytes.len() as u64 > cap {
        let mut rotated = path.as_os_str().to_owned();
        rotated.push(".1");
        fs::rename(path, PathBuf::from(rotated)).map_err(io_error)?;
    }
    let mut file = open_regular(path).map_err(|e| match e {
        Opened::Refused(problem) => refused(problem),
        Opened::Io(e) => io_error(e),
    })?;
    file.write_all(bytes).map_err(io_error)?;
    file.flush().map_err(io_error)
}

enum Opened {
    Refused(LogFileProblem),
    Io(io::Error),
}

/// Opens `path` for appending without following a symbolic link in its last
/// component, and only if it is a regular file: what was checked before may
/// have been replaced since.
fn open_regular(path: &Path) -> Result<File, Opened> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // NONBLOCK: a FIFO put there since is not waited on (it is refused
        // below); it changes nothing for a regular file.
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Opened::Refused(LogFileProblem::Symlink));
        }
        Err(e) => return Err(Opened::Io(e)),
    };
    let meta = file.metadata().map_err(Opened::Io)?;
    match LogFileProblem::of_type(meta.file_type()) {
        Some(problem) => Err(Opened::Refused(problem)),
        None => Ok(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::check::{Code, Diagnosis};
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;

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

    /// What validation saw may be replaced before the log is opened: a link
    /// (even one to a file this user may write) or a special file put at the
    /// path is refused, and nothing is rotated or written through it.
    #[cfg(unix)]
    #[test]
    fn opening_refuses_a_symlink_or_a_special_file_put_there_since() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious");
        fs::write(&target, "keep me\n").unwrap();
        let path = dir.path().join("p.log");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        for cap in [MAX_LOG_BYTES, 1] {
            let error = write_capped(&path, b"entry\n", cap).unwrap_err();
            assert!(
                matches!(
                    error,
                    LogError::Refused {
                        problem: LogFileProblem::Symlink,
                        ..
                    }
                ),
                "{error:?}"
            );
        }
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep me\n");
        assert!(
            fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(!dir.path().join("p.log.1").exists(), "nothing rotated");

        // The open itself does not follow a link (the check before it passed).
        let swapped = dir.path().join("swapped.log");
        std::os::unix::fs::symlink(&target, &swapped).unwrap();
        assert!(matches!(
            open_regular(&swapped),
            Err(Opened::Refused(LogFileProblem::Symlink))
        ));
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep me\n");

        let fifo = dir.path().join("fifo.log");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let error = write_capped(&fifo, b"entry\n", MAX_LOG_BYTES).unwrap_err();
        assert!(
            matches!(
                error,
                LogError::Refused {
                    problem: LogFileProblem::Special,
                    ..
                }
            ),
            "{error:?}"
        );
        // Opened without waiting for a reader, then refused for its type.
        let _reader = fs::File::options()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo)
            .unwrap();
        assert!(matches!(
            open_regular(&fifo),
            Err(Opened::Refused(LogFileProblem::Special))
        ));
        let error = write_capped(Path::new("relative.log"), b"x", 1).unwrap_err();
        assert!(matches!(
            error,
            LogError::Refused {
                problem: LogFileProblem::Relative,
                ..
            }
        ));
        let message = write_capped(&path, b"x", 1).unwrap_err().localize();
        assert!(message.contains(&path.display().to_string()), "{message}");
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
