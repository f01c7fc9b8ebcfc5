//! The sendmail check: `locate` the program (exists, a regular file, executable,
//! symlinks followed, the MTA behind it named), then with sending on, `execute`
//! it directly (never through a shell) as `path args… -f sender -- recipients`
//! with the test message on standard input, bounded by a timeout.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::diagnosis::{Code, Diagnosis};
use super::message;
use super::{Detail, Progress, Report, ServerFacts, StepName, StepStatus, Steps, Transcript};
use crate::core::profile::Profile;
use crate::i18n;

/// What a sendmail check needs besides the profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Send the test message to these recipients (empty: only locate).
    pub recipients: Vec<String>,
    pub progress: Progress,
}

/// How much of the program's stderr and stdout is kept.
const MAX_OUTPUT: usize = 64 * 1024;

/// The MTA a sendmail program belongs to, told from its real path.
pub fn mta_name(real: &Path) -> Option<&'static str> {
    let text = real.to_string_lossy().to_ascii_lowercase();
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [
        ("postfix", "postfix"),
        ("exim", "exim"),
        ("msmtp", "msmtp"),
        ("ssmtp", "ssmtp"),
        ("nullmailer", "nullmailer"),
        ("smtpctl", "opensmtpd"),
        ("opensmtpd", "opensmtpd"),
        ("sendmail", "sendmail"),
    ]
    .into_iter()
    .find(|(needle, _)| name.contains(needle))
    .or_else(|| {
        [
            ("postfix", "postfix"),
            ("exim", "exim"),
            ("nullmailer", "nullmailer"),
        ]
        .into_iter()
        .find(|(needle, _)| text.contains(needle))
    })
    .map(|(_, mta)| mta)
}

/// Runs the check. Dropping the returned future kills the program.
pub async fn check(profile: &Profile, options: Options) -> Report {
    let message = (!options.recipients.is_empty()).then(|| {
        let path = profile.sendmail.path.trim();
        message::build(profile, &options.recipients, path)
    });
    run(profile, options.progress, message).await.0
}

/// Hands one prepared message to the profile's program (`path args… -f sender
/// -- recipients`, the message on standard input), as the check does. Also
/// hands back the program's exit code when it ran and exited by itself.
pub async fn hand_over(
    profile: &Profile,
    message: &message::TestMessage,
    progress: Progress,
) -> (Report, Option<i32>) {
    run(profile, progress, Some(Ok(message.clone()))).await
}

async fn run(
    profile: &Profile,
    progress: Progress,
    message: Option<Result<message::TestMessage, message::MessageError>>,
) -> (Report, Option<i32>) {
    let started = Instant::now();
    let mut transcript = Transcript::new(started);
    let mut steps = Steps::new(progress);
    let mut facts = ServerFacts::default();
    let path = PathBuf::from(profile.sendmail.path.trim());

    let since = Instant::now();
    let located = locate(&path);
    let real = match located {
        Ok(real) => real,
        Err(diagnosis) => {
            transcript.info(diagnosis.message());
            steps.record(
                StepName::Locate,
                StepStatus::Failed,
                since,
                Detail::diagnosis(&diagnosis),
            );
            return (
                super::finish(diagnosis, steps, facts, transcript, false),
                None,
            );
        }
    };
    let mta = mta_name(&real);
    facts.program = Some(real.display().to_string());
    facts.mta = mta.map(str::to_owned);
    let mut text = if real == path {
        path.display().to_string()
    } else {
        format!("{} → {}", path.display(), real.display())
    };
    if let Some(mta) = mta {
        text = format!("{text} ({mta})");
    }
    transcript.info(text.clone());
    let args = vec![
        ("path", path.display().to_string()),
        ("program", real.display().to_string()),
        ("mta", mta.unwrap_or("").to_owned()),
    ];
    steps.record(
        StepName::Locate,
        StepStatus::Ok,
        since,
        Detail::plain("located", args, text),
    );

    let Some(message) = message else {
        steps.skip(StepName::Execute);
        let report = super::finish(Diagnosis::new(Code::Ok), steps, facts, transcript, false);
        return (report, None);
    };
    let since = Instant::now();
    let failed =
        |steps: &mut Steps, transcript: &mut Transcript, diagnosis: Diagnosis, text: String| {
            transcript.info(text.clone());
            let found = Detail {
                text,
                ..Detail::diagnosis(&diagnosis)
            };
            steps.record(StepName::Execute, StepStatus::Failed, since, found);
            diagnosis
        };
    let args = match profile.sendmail_args() {
        Ok(args) => args,
        Err(error) => {
            let diagnosis = Diagnosis::new(Code::SendmailFailed).arg("reply", error.to_string());
            let text = diagnosis.message();
            let diagnosis = failed(&mut steps, &mut transcript, diagnosis, text);
            return (
                super::finish(diagnosis, steps, facts, transcript, false),
                None,
            );
        }
    };
    let message = match message {
        Ok(message) => message,
        Err(error) => {
            let (reason, id, args) = error.reason();
            let diagnosis = Diagnosis::new(Code::SendmailFailed).reason_id(reason, id, &args);
            let text = i18n::Localize::localize(&error);
            let diagnosis = failed(&mut steps, &mut transcript, diagnosis, text);
            return (
                super::finish(diagnosis, steps, facts, transcript, false),
                None,
            );
        }
    };
    let mut argv = args;
    argv.push("-f".to_owned());
    argv.push(message.sender.clone());
    argv.push("--".to_owned());
    argv.extend(message.recipients.iter().cloned());
    // The command as run, with the values of options that carry a password
    // (ssmtp `-ap`, `--password=…`) hidden: the transcript goes to the window,
    // JSON and the log.
    transcript.client(format!(
        "{} {}",
        path.display(),
        shell_words::join(redacted_args(&argv))
    ));
    transcript.info(i18n::tr_args(
        "check-info-message",
        &[("bytes", message.bytes.len().to_string())],
    ));
    let limit = Duration::from_secs(u64::from(profile.smtp.timeout_secs.clamp(1, 300)));
    let outcome = execute(&path, &argv, &message.bytes, limit).await;
    let mut exit_code = None;
    let diagnosis = match outcome {
        Ok(run) => {
            exit_code = run.status.code();
            for line in run.stderr.lines().filter(|l| !l.trim().is_empty()) {
                transcript.server(line.to_owned());
            }
            for line in run.stdout.lines().filter(|l| !l.trim().is_empty()) {
                transcript.server(line.to_owned());
            }
            let status = run.status.to_string();
            transcript.info(status.clone());
            if run.status.success() {
                let found = Detail::plain("exit_status", vec![("status", status.clone())], status);
                steps.record(StepName::Execute, StepStatus::Ok, since, found);
                let report =
                    super::finish(Diagnosis::new(Code::Ok), steps, facts, transcript, true);
                return (report, exit_code);
            }
            let first = run
                .stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .to_owned();
            let text = if first.is_empty() {
                status.clone()
            } else {
                format!("{status}: {first}")
            };
            let diagnosis = Diagnosis::new(Code::SendmailFailed).arg("reply", text.clone());
            failed(&mut steps, &mut transcript, diagnosis, text)
        }
        Err(ExecuteError::Spawn(error)) => {
            let diagnosis = Diagnosis::new(Code::SendmailNotExecutable)
                .arg("path", path.display().to_string())
                .arg("reply", error.to_string());
            let text = format!("{}: {error}", diagnosis.message());
            failed(&mut steps, &mut transcript, diagnosis, text)
        }
        Err(ExecuteError::Timeout) => {
            let diagnosis =
                Diagnosis::new(Code::Timeout).arg("seconds", limit.as_secs().to_string());
            let text = diagnosis.message();
            failed(&mut steps, &mut transcript, diagnosis, text)
        }
    };
    (
        super::finish(diagnosis, steps, facts, transcript, false),
        exit_code,
    )
}

/// The real path of an executable regular file at `path`, or why it is not one.
pub fn locate(path: &Path) -> Result<PathBuf, Diagnosis> {
    let shown = path.display().to_string();
    if path.as_os_str().is_empty() {
        return Err(Diagnosis::new(Code::SendmailNotFound).arg("path", shown));
    }
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Diagnosis::new(Code::SendmailNotFound).arg("path", shown));
        }
        Err(error) => {
            return Err(Diagnosis::new(Code::SendmailNotExecutable)
                .arg("path", shown)
                .arg("reply", error.to_string()));
        }
    };
    let not_executable = |reason: &'static str| {
        Diagnosis::new(Code::SendmailNotExecutable)
            .arg("path", path.display().to_string())
            .reason(reason, &[])
    };
    if !metadata.is_file() {
        return Err(not_executable("not_regular"));
    }
    if !is_executable(&metadata) {
        return Err(not_executable("not_executable"));
    }
    Ok(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Options whose value is a password or token. ssmtp: `-ap PASSWORD` (also
/// `-apPASSWORD`); long forms as `--password VALUE` or `--password=VALUE`.
/// msmtp's `--passwordeval=COMMAND` names a command, not a secret, and stays.
const SECRET_OPTIONS: [&str; 8] = [
    "-ap",
    "--password",
    "--passwd",
    "--pass",
    "--auth-password",
    "--auth-pass",
    "--secret",
    "--token",
];

/// The arguments with the value of every option in [`SECRET_OPTIONS`] replaced
/// by `<redacted>`. After `--` only recipients follow: nothing is an option.
pub fn redacted_args(argv: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(argv.len());
    let mut hide_next = false;
    let mut options_over = false;
    for arg in argv {
        if hide_next {
            out.push(super::transcript::REDACTED.to_owned());
            hide_next = false;
            continue;
        }
        if options_over {
            out.push(arg.clone());
            continue;
        }
        if arg == "--" {
            options_over = true;
            out.push(arg.clone());
            continue;
        }
        let (name, attached) = match arg.split_once('=') {
            Some((name, _)) if name.starts_with("--") => (name, true),
            _ => (arg.as_str(), false),
        };
        if SECRET_OPTIONS.contains(&name) {
            if attached {
                out.push(format!("{name}={}", super::transcript::REDACTED));
            } else {
                out.push(arg.clone());
                hide_next = true;
            }
        } else if arg.starts_with("-ap") && arg.len() > 3 {
            out.push(format!("-ap{}", super::transcript::REDACTED));
        } else {
            out.push(arg.clone());
        }
    }
    out
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_metadata: &std::fs::Metadata) -> bool {
    true
}

struct Finished {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
}

enum ExecuteError {
    Spawn(std::io::Error),
    Timeout,
}

/// Runs the program, feeds `input`, collects its output, all within `limit`;
/// the child is killed when the limit passes or the future is dropped.
async fn execute(
    path: &Path,
    argv: &[String],
    input: &[u8],
    limit: Duration,
) -> Result<Finished, ExecuteError> {
    let mut command = Command::new(path);
    command
        .args(argv)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    die_with_parent(&mut command);
    let mut child = command.spawn().map_err(ExecuteError::Spawn)?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let work = async {
        let feed = async {
            if let Some(mut stdin) = stdin {
                // A program that exits without reading gives a broken pipe; its
                // exit status says what went wrong.
                let _ = stdin.write_all(input).await;
                let _ = stdin.shutdown().await;
            }
        };
        let (_, out, err) = tokio::join!(feed, capped(stdout), capped(stderr));
        let status = child.wait().await;
        (status, out, err)
    };
    match tokio::time::timeout(limit, work).await {
        Ok((Ok(status), stdout, stderr)) => Ok(Finished {
            status,
            stdout,
            stderr,
        }),
        Ok((Err(error), _, _)) => Err(ExecuteError::Spawn(error)),
        Err(_) => Err(ExecuteError::Timeout),
    }
}

/// A sendmail program reads the message to the end of its input: if Outbound
/// is killed mid-message (a queue flush stopped hard), the program would see
/// the end early and deliver the part it got. On Linux it is killed with us
/// instead, so nothing half-written is delivered (the queue keeps the message).
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    use rustix::process::{Signal, set_parent_process_death_signal};
    // SAFETY: between fork and exec only prctl(2) runs, which is
    // async-signal-safe and touches no memory of the parent's.
    unsafe {
        command.pre_exec(|| {
            set_parent_process_death_signal(Some(Signal::KILL)).map_err(std::io::Error::from)
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}

/// Reads a pipe to its end, keeping at most [`MAX_OUTPUT`] bytes.
async fn capped(pipe: Option<impl AsyncRead + Unpin>) -> String {
    let Some(mut pipe) = pipe else {
        return String::new();
    };
    let mut kept = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(read) = pipe.read(&mut chunk).await {
        if read == 0 {
            break;
        }
        let room = MAX_OUTPUT.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..read.min(room)]);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_of_secret_options_are_redacted() {
        let argv = args(&[
            "-au",
            "user",
            "-ap",
            "hunter2",
            "-apInline",
            "--passwd=p1",
            "--password",
            "p2",
            "--passwordeval=pass show mail",
            "-i",
            "--",
            "-ap",
            "x@example.org",
        ]);
        assert_eq!(
            redacted_args(&argv),
            args(&[
                "-au",
                "user",
                "-ap",
                "<redacted>",
                "-ap<redacted>",
                "--passwd=<redacted>",
                "--password",
                "<redacted>",
                "--passwordeval=pass show mail",
                "-i",
                "--",
                "-ap",
                "x@example.org",
            ])
        );
    }
}
