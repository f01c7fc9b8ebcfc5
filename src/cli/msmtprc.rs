//! `outbound profile msmtprc [-o FILE]`, an msmtp configuration for the
//! profiles, and `outbound profile password NAME`, which that configuration's
//! `passwordeval` runs: the one command that prints a password on purpose.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::output::{errln, out};
use super::profile::{connected, existing, report_problems};
use super::{Failure, Status};
use crate::core::msmtp;
use crate::core::secrets::SecretKey;
use crate::core::store::Store;
use crate::fl;
use crate::i18n::Localize;

/// Why `profile password` printed nothing.
#[derive(Debug, thiserror::Error)]
pub enum PasswordRefused {
    #[error("standard output is a terminal; use --force to show the password there")]
    Terminal,
    #[error("no password of {0} is saved in the keyring")]
    NotSaved(String),
}

impl Localize for PasswordRefused {
    fn localize(&self) -> String {
        match self {
            PasswordRefused::Terminal => fl!("cli-password-terminal"),
            PasswordRefused::NotSaved(name) => fl!("cli-password-none", name = name.clone()),
        }
    }
}

/// Prints the configuration, or writes it to `output` (0600, atomically).
pub fn write(store: &Store, output: Option<PathBuf>) -> Result<Status, Failure> {
    report_problems(&store.load_all());
    let config = msmtp::for_store(store, &msmtp::program());
    for (name, _) in &config.left_out {
        errln!("{}", fl!("cli-msmtprc-left-out", name = name.clone()));
    }
    match output {
        Some(path) => {
            msmtp::write(&path, &config)?;
            errln!(
                "{}",
                fl!(
                    "cli-msmtprc-written",
                    count = config.accounts.len(),
                    file = path.display().to_string()
                )
            );
        }
        None => out!("{}", config.text),
    }
    Ok(Status::Success)
}

/// Prints the password of the profile `name` (the user's when both scopes
/// have one) and a line break, which msmtp's `passwordeval` removes. A
/// terminal is refused unless `force`: a password shown on a screen is seen.
pub async fn password(store: &Store, name: &str, force: bool) -> Result<Status, Failure> {
    let stored = existing(store, name)?;
    if std::io::stdout().is_terminal() && !force {
        return Err(PasswordRefused::Terminal.into());
    }
    let secrets = connected().await?;
    let key = SecretKey::profile(store.paths(), stored.scope, name);
    let secret = secrets
        .get(&key)
        .await?
        .ok_or_else(|| PasswordRefused::NotSaved(name.to_owned()))?;
    let mut bytes = secret.expose().as_bytes().to_vec();
    bytes.push(b'\n');
    super::output::write_stdout_bytes(&bytes);
    // The copy is wiped, like the secret itself.
    zeroize::Zeroize::zeroize(&mut bytes);
    Ok(Status::Success)
}
