//! The keyring steps of a change: done after its files, because they cannot
//! be undone, and retried from the record when the process died first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{ConfigLock, JournalError, pause_async};
use crate::core::secrets::{SecretKey, Secrets, SecretsError};
use crate::core::store::{Paths, Scope};

/// A keyring step of a commit: done after its files, retried from the record
/// by the next start when the process died first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum KeyringStep {
    /// A renamed profile's password moves to its new name, and its separate
    /// IMAP password with it.
    MoveProfileSecret {
        scope: Scope,
        from: String,
        to: String,
        /// Whether `from` took over an old unscoped keyring entry, as the
        /// files were before the change (`SecretKey::claims_legacy`).
        #[serde(default)]
        legacy: bool,
    },
    /// A deleted profile's password goes with it, and its separate IMAP password.
    DeleteProfileSecret {
        scope: Scope,
        name: String,
        #[serde(default)]
        legacy: bool,
    },
}

impl KeyringStep {
    /// Whether a retry still makes sense: the files say the change happened
    /// and nothing later (a new profile of the old name) took its place.
    pub(super) fn still_due(&self, paths: &Paths) -> bool {
        match self {
            KeyringStep::MoveProfileSecret {
                scope, from, to, ..
            } => {
                !paths.profile_file_in(*scope, from).exists()
                    && paths.profile_file_in(*scope, to).exists()
            }
            KeyringStep::DeleteProfileSecret { scope, name, .. } => {
                !paths.profile_file_in(*scope, name).exists()
            }
        }
    }

    pub(super) fn profile(&self) -> &str {
        match self {
            KeyringStep::MoveProfileSecret { from, .. } => from,
            KeyringStep::DeleteProfileSecret { name, .. } => name,
        }
    }
}

/// The keyring key of a profile's password in `scope`: the one place a
/// record's names become keys.
fn profile_key(scope: Scope, name: &str, legacy: bool) -> SecretKey {
    SecretKey::profile_as_recorded(scope, name, legacy)
}

/// Runs one keyring step, for the profile's password and then its separate
/// IMAP one. A move copies before it deletes, so a kill between the two
/// leaves the secret under both names, and the retry finishes it.
async fn run_keyring_step(secrets: &Secrets, step: &KeyringStep) -> Result<(), SecretsError> {
    match step {
        KeyringStep::MoveProfileSecret {
            scope,
            from,
            to,
            legacy,
        } => {
            let from = profile_key(*scope, from, *legacy);
            let to = profile_key(*scope, to, false);
            move_secret(secrets, &from, &to).await?;
            move_secret(secrets, &from.clone().imap(), &to.clone().imap()).await?;
            // The OAuth tokens (issue 13) go with the profile too.
            move_secret(secrets, &from.oauth(), &to.oauth()).await
        }
        KeyringStep::DeleteProfileSecret {
            scope,
            name,
            legacy,
        } => {
            let key = profile_key(*scope, name, *legacy);
            secrets.delete(&key).await?;
            secrets.delete(&key.clone().imap()).await?;
            secrets.delete(&key.oauth()).await
        }
    }
}

/// Copies a secret to its new key, then removes the old one; nothing to move is fine.
async fn move_secret(
    secrets: &Secrets,
    from: &SecretKey,
    to: &SecretKey,
) -> Result<(), SecretsError> {
    if let Some(secret) = secrets.get(from).await? {
        secrets.set(to, &secret).await?;
        pause_async().await;
        secrets.delete(from).await?;
    }
    Ok(())
}

/// The keyring steps of a committed change. [`KeyringDue::finish`] does them;
/// dropped unfinished (a process that uses no keyring), they are forgotten. A
/// process killed before either leaves them in the record for the next start.
#[derive(Debug)]
pub struct KeyringDue {
    pub(super) config: Option<PathBuf>,
    pub(super) steps: Vec<KeyringStep>,
}

impl KeyringDue {
    pub(super) fn none() -> Self {
        KeyringDue {
            config: None,
            steps: Vec::new(),
        }
    }

    pub fn steps(&self) -> &[KeyringStep] {
        &self.steps
    }

    /// Does the keyring steps with `secrets` (none: this process keeps no
    /// keyring, and they are dropped), then removes them from the record; a
    /// failed step is not retried, its error is returned for the user.
    pub async fn finish(mut self, secrets: Option<&Secrets>) -> Result<(), SecretsError> {
        let steps = std::mem::take(&mut self.steps);
        let mut result = Ok(());
        if let Some(secrets) = secrets {
            for step in &steps {
                if let Err(error) = run_keyring_step(secrets, step).await {
                    result = Err(error);
                    break;
                }
            }
        }
        if let Some(config) = self.config.take().filter(|_| !steps.is_empty()) {
            let forgotten =
                tokio::task::spawn_blocking(move || forget_steps(&config, &steps)).await;
            if let Ok(Err(error)) = forgotten {
                // Left in the record, a step is retried at the next start,
                // where the files show it done: harmless.
                tracing::warn!("{error}");
            }
        }
        result
    }
}

impl Drop for KeyringDue {
    fn drop(&mut self) {
        if let Some(config) = self.config.take().filter(|_| !self.steps.is_empty())
            && let Err(error) = forget_steps(&config, &self.steps)
        {
            tracing::warn!("{error}");
        }
    }
}

fn forget_steps(config: &Path, steps: &[KeyringStep]) -> Result<(), JournalError> {
    ConfigLock::acquire(config)?.forget(steps)
}

/// Runs keyring steps on a runtime of their own, on a thread of their own so
/// that the caller may be inside another runtime. Returns the failures.
pub(super) fn run_on_own_runtime(steps: Vec<KeyringStep>) -> Vec<(KeyringStep, SecretsError)> {
    let worker = std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(error) => {
                let error = SecretsError::Failed {
                    reason: error.to_string(),
                };
                return steps.into_iter().map(|s| (s, error.clone())).collect();
            }
        };
        let failures = runtime.block_on(async {
            let secrets = Secrets::connect().await;
            let mut failures = Vec::new();
            for step in steps {
                if let Err(error) = run_keyring_step(&secrets, &step).await {
                    failures.push((step, error));
                }
            }
            failures
        });
        runtime.shutdown_timeout(Duration::from_millis(100));
        failures
    });
    worker.join().unwrap_or_default()
}
