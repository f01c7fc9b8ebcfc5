//! `--password-stdin` / `--password-env VAR`: the one way the command line
//! takes a password, for `check` and `profile set-password` alike.

use std::io::Read;

use clap::Args;

use crate::core::secret::Secret;
use crate::fl;
use crate::i18n::Localize;

/// Where a password comes from; at most one of the two.
#[derive(Debug, Args)]
#[group(id = "password_source", multiple = false)]
pub struct PasswordSource {
    #[arg(long)]
    pub password_stdin: bool,
    /// `--token-env` too: an OAuth access token from elsewhere (issue 13).
    #[arg(long, value_name = "VAR", alias = "token-env")]
    pub password_env: Option<String>,
}

impl PasswordSource {
    /// The password, or `None` when neither flag is given. One trailing line
    /// break (`\n` or `\r\n`) is removed: it ends what `echo` or a file gives.
    pub fn read(&self) -> Result<Option<Secret>, PasswordError> {
        let mut text = if let Some(var) = &self.password_env {
            std::env::var(var).map_err(|_| PasswordError::MissingVariable(var.clone()))?
        } else if self.password_stdin {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| PasswordError::Stdin(e.to_string()))?;
            text
        } else {
            return Ok(None);
        };
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        if text.is_empty() {
            return Err(PasswordError::Empty);
        }
        Ok(Some(Secret::from(text)))
    }
}

/// The password could not be read (bad input: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("environment variable {0} is not set")]
    MissingVariable(String),
    #[error("cannot read standard input: {0}")]
    Stdin(String),
    #[error("the password is empty")]
    Empty,
}

impl Localize for PasswordError {
    fn localize(&self) -> String {
        match self {
            PasswordError::MissingVariable(var) => {
                fl!("cli-password-env-missing", var = var.clone())
            }
            PasswordError::Stdin(reason) => fl!("cli-password-stdin", reason = reason.clone()),
            PasswordError::Empty => fl!("cli-password-empty"),
        }
    }
}
