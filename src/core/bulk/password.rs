//! `--password-command`: a row without a password column gets its password
//! from a program the administrator names (a vault's CLI, `pass`, a script),
//! run once per row with the row's address as its last argument. The first
//! line it prints is the password; it goes into a [`Secret`] and nowhere else
//! (the program's stderr is not read, so a chatty helper leaks nothing).

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::Command;

use crate::core::secret::Secret;
use crate::i18n::{self, Localize};

/// The longest a password program may take for one row.
pub const PASSWORD_COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a row's password could not be had from the program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordCommandError {
    #[error("the password command is empty")]
    Empty,
    #[error("cannot start {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("{program} took longer than {secs} s")]
    Timeout { program: String, secs: u64 },
    #[error("{program} ended with {status}")]
    Failed { program: String, status: String },
    #[error("{program} printed no password")]
    NoPassword { program: String },
}

impl Localize for PasswordCommandError {
    fn localize(&self) -> String {
        match self {
            PasswordCommandError::Empty => i18n::tr("bulk-password-command-empty"),
            PasswordCommandError::Start { program, reason } => i18n::tr_args(
                "bulk-password-command-start",
                &[("program", program.clone()), ("reason", reason.clone())],
            ),
            PasswordCommandError::Timeout { program, secs } => i18n::tr_args(
                "bulk-password-command-timeout",
                &[("program", program.clone()), ("secs", secs.to_string())],
            ),
            PasswordCommandError::Failed { program, status } => i18n::tr_args(
                "bulk-password-command-failed",
                &[("program", program.clone()), ("status", status.clone())],
            ),
            PasswordCommandError::NoPassword { program } => i18n::tr_args(
                "bulk-password-command-nothing",
                &[("program", program.clone())],
            ),
        }
    }
}

/// Runs `command` (program and arguments) with `address` appended; the
/// first line of its output, without the line ending, is the password.
pub async fn password_for(
    command: &[String],
    address: &str,
    limit: Duration,
) -> Result<Secret, PasswordCommandError> {
    let (program, arguments) = command.split_first().ok_or(PasswordCommandError::Empty)?;
    let mut child = Command::new(program)
        .args(arguments)
        .arg(address)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // A program still running when the run is cancelled goes with it.
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| PasswordCommandError::Start {
            program: program.clone(),
            reason: error.to_string(),
        })?;
    let mut stdout = child.stdout.take();
    let finished = tokio::time::timeout(limit, async {
        let mut bytes = Vec::new();
        if let Some(out) = stdout.as_mut() {
            // At most 64 KiB: a password, not a file.
            let _ = out.take(64 * 1024).read_to_end(&mut bytes).await;
        }
        (child.wait().await, bytes)
    })
    .await;
    let (status, bytes) = finished.map_err(|_| PasswordCommandError::Timeout {
        program: program.clone(),
        secs: limit.as_secs(),
    })?;
    let status = status.map_err(|error| PasswordCommandError::Start {
        program: program.clone(),
        reason: error.to_string(),
    })?;
    if !status.success() {
        return Err(PasswordCommandError::Failed {
            program: program.clone(),
            status: status.to_string(),
        });
    }
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(PasswordCommandError::NoPassword {
            program: program.clone(),
        });
    }
    Ok(Secret::from(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into(), "sh".into()]
    }

    #[tokio::test]
    async fn the_first_line_for_the_address_is_the_password() {
        let got = password_for(
            &sh("printf 'pw-%s\\r\\nrest\\n' \"$1\""),
            "a@b.c",
            PASSWORD_COMMAND_TIMEOUT,
        )
        .await
        .unwrap();
        assert_eq!(got.expose(), "pw-a@b.c");
    }

    #[tokio::test]
    async fn failures_say_what_went_wrong() {
        let limit = Duration::from_secs(1);
        assert!(matches!(
            password_for(&sh("exit 3"), "a@b.c", limit).await,
            Err(PasswordCommandError::Failed { .. })
        ));
        assert!(matches!(
            password_for(&sh("true"), "a@b.c", limit).await,
            Err(PasswordCommandError::NoPassword { .. })
        ));
        assert!(matches!(
            password_for(&sh("sleep 5"), "a@b.c", Duration::from_millis(200)).await,
            Err(PasswordCommandError::Timeout { .. })
        ));
        assert!(matches!(
            password_for(&["/nonexistent/vault".into()], "a@b.c", limit).await,
            Err(PasswordCommandError::Start { .. })
        ));
        assert_eq!(
            password_for(&[], "a@b.c", limit).await,
            Err(PasswordCommandError::Empty)
        );
    }
}
