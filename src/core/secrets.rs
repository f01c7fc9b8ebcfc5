//! Passwords in the operating system's keyring, never in a file.
//!
//! Service `outbound`, user `profile:<name>` (`provider:<id>` for OAuth2 client
//! secrets). Keyring calls block, and a locked keyring can wait forever, so every
//! call runs on a blocking thread and is abandoned after a timeout.

use std::sync::Arc;
use std::time::Duration;

use keyring_core::api::CredentialStore;
use keyring_core::{Entry, Error as KeyringError};
use thiserror::Error;

use crate::core::secret::Secret;
use crate::i18n::{self, Localize};

pub const SERVICE: &str = "outbound";

/// How long one keyring call may take before it counts as unavailable.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Which secret: a profile's password or a provider's OAuth2 client secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKey {
    Profile(String),
    Provider(String),
}

impl SecretKey {
    /// The keyring's user attribute.
    pub fn user(&self) -> String {
        match self {
            SecretKey::Profile(name) => format!("profile:{name}"),
            SecretKey::Provider(id) => format!("provider:{id}"),
        }
    }
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum SecretsError {
    /// No keyring can be reached: no Secret Service, no session bus, headless session.
    #[error("the keyring is unavailable: {reason}")]
    Unavailable { reason: String },
    /// The keyring is there but refused access, typically because it is locked.
    #[error("the keyring refused access: {reason}")]
    Denied { reason: String },
    #[error("the keyring did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("keyring error: {reason}")]
    Failed { reason: String },
}

impl Localize for SecretsError {
    fn localize(&self) -> String {
        match self {
            SecretsError::Unavailable { reason } => {
                i18n::tr_args("keyring-unavailable", &[("reason", reason.clone())])
            }
            SecretsError::Denied { reason } => {
                i18n::tr_args("keyring-denied", &[("reason", reason.clone())])
            }
            SecretsError::Timeout(after) => i18n::tr_args(
                "keyring-timeout",
                &[("seconds", after.as_secs().to_string())],
            ),
            SecretsError::Failed { reason } => {
                i18n::tr_args("keyring-failed", &[("reason", reason.clone())])
            }
        }
    }
}

fn classify(error: KeyringError) -> SecretsError {
    match error {
        KeyringError::NoStorageAccess(e) => SecretsError::Denied {
            reason: e.to_string(),
        },
        KeyringError::PlatformFailure(e) => SecretsError::Unavailable {
            reason: e.to_string(),
        },
        KeyringError::NoDefaultStore => SecretsError::Unavailable {
            reason: error.to_string(),
        },
        other => SecretsError::Failed {
            reason: other.to_string(),
        },
    }
}

/// The keyring chosen at start-up, or the reason there is none.
#[derive(Clone)]
pub struct Secrets {
    store: Result<Arc<CredentialStore>, SecretsError>,
    timeout: Duration,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("available", &self.store.is_ok())
            .finish()
    }
}

impl Secrets {
    /// Connects to the platform's keyring (Secret Service, Credential Manager,
    /// Keychain) off the async threads. Never fails: an unreachable keyring is kept
    /// as the reason, and every later call returns it.
    pub async fn connect() -> Secrets {
        let store = blocking(CALL_TIMEOUT, platform_store).await;
        Secrets {
            store,
            timeout: CALL_TIMEOUT,
        }
    }

    /// A keyring of the caller's choice (the in-memory mock in unit tests).
    pub fn with_store(store: Arc<CredentialStore>) -> Secrets {
        Secrets {
            store: Ok(store),
            timeout: CALL_TIMEOUT,
        }
    }

    /// The reason there is no keyring, if there is none.
    pub fn unavailable(&self) -> Option<&SecretsError> {
        self.store.as_ref().err()
    }

    fn entry(&self, key: &SecretKey) -> Result<Entry, SecretsError> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        store.build(SERVICE, &key.user(), None).map_err(classify)
    }

    /// Saves (creates or replaces) a secret.
    pub async fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretsError> {
        let entry = self.entry(key)?;
        let secret = secret.clone();
        blocking(self.timeout, move || {
            entry.set_password(secret.expose()).map_err(classify)
        })
        .await
    }

    /// The saved secret, or `None` when there is none.
    pub async fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretsError> {
        let entry = self.entry(key)?;
        blocking(self.timeout, move || match entry.get_password() {
            Ok(secret) => Ok(Some(Secret::from(secret))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        })
        .await
    }

    /// Removes a secret; removing one that does not exist is not an error.
    pub async fn delete(&self, key: &SecretKey) -> Result<(), SecretsError> {
        let entry = self.entry(key)?;
        blocking(self.timeout, move || match entry.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        })
        .await
    }

    /// Moves a secret to a new key (a renamed profile). Nothing to move is fine.
    pub async fn rename(&self, from: &SecretKey, to: &SecretKey) -> Result<(), SecretsError> {
        if let Some(secret) = self.get(from).await? {
            self.set(to, &secret).await?;
            self.delete(from).await?;
        }
        Ok(())
    }
}

/// Runs a blocking keyring call on a blocking thread, abandoned after `timeout`.
async fn blocking<T: Send + 'static>(
    timeout: Duration,
    call: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
) -> Result<T, SecretsError> {
    match tokio::time::timeout(timeout, tokio::task::spawn_blocking(call)).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(SecretsError::Failed {
            reason: join.to_string(),
        }),
        Err(_) => Err(SecretsError::Timeout(timeout)),
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>, SecretsError> {
    let store =
        zbus_secret_service_keyring_store::Store::new().map_err(|e| SecretsError::Unavailable {
            reason: e.to_string(),
        })?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>, SecretsError> {
    let store =
        windows_native_keyring_store::Store::new().map_err(|e| SecretsError::Unavailable {
            reason: e.to_string(),
        })?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, SecretsError> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(|e| {
        SecretsError::Unavailable {
            reason: e.to_string(),
        }
    })?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
fn platform_store() -> Result<Arc<CredentialStore>, SecretsError> {
    Err(SecretsError::Unavailable {
        reason: "no keyring is supported on this platform".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Secrets {
        // The mock store of keyring-core: memory only, for unit tests.
        Secrets::with_store(keyring_core::mock::Store::new().unwrap())
    }

    #[tokio::test]
    async fn set_get_rename_delete() {
        let secrets = mock();
        let a = SecretKey::Profile("a".into());
        let b = SecretKey::Profile("b".into());
        assert_eq!(secrets.get(&a).await.unwrap(), None);
        secrets.set(&a, &Secret::from("пароль 🔑")).await.unwrap();
        assert_eq!(
            secrets.get(&a).await.unwrap(),
            Some(Secret::from("пароль 🔑"))
        );
        secrets.rename(&a, &b).await.unwrap();
        assert_eq!(secrets.get(&a).await.unwrap(), None);
        assert_eq!(
            secrets.get(&b).await.unwrap(),
            Some(Secret::from("пароль 🔑"))
        );
        secrets.delete(&b).await.unwrap();
        secrets.delete(&b).await.unwrap();
        assert_eq!(secrets.get(&b).await.unwrap(), None);
    }

    #[test]
    fn keys_follow_the_design() {
        assert_eq!(SecretKey::Profile("x".into()).user(), "profile:x");
        assert_eq!(SecretKey::Provider("y".into()).user(), "provider:y");
    }
}
