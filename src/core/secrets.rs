//! Passwords in the operating system's keyring, never in a file.
//!
//! Service `outbound`; the user attribute names the secret:
//! - `profile:user:<name>` and `profile:system:<name>`: a profile's password.
//!   The scope is part of the key, so a user profile and a system profile of the
//!   same name keep separate passwords. (Profile names are `[A-Za-z0-9_]+`, so
//!   these keys can never be mistaken for an old `profile:<name>`.)
//! - `provider:<id>`: a provider's OAuth2 client secret.
//! - `profile:<scope>:<name>:oauth`: a profile's OAuth 2.0 tokens (access
//!   token, its expiry, refresh token; issue 13).
//!
//! Older versions kept a profile's password under `profile:<name>`, whatever
//! its scope. Such an entry belongs to the user profile of that name when there
//! is one, else to the system profile of that name, and moves on first use of
//! its owner's key: read, written under the new key, then removed. A keyring
//! that fails midway leaves the old entry in place (nothing is lost) and the
//! move is tried again on the next use.
//!
//! Keyring calls block, and a locked keyring can wait forever, so every call
//! runs on a blocking thread and is abandoned after a timeout.

use std::sync::Arc;
use std::time::Duration;

use keyring_core::api::CredentialStore;
use keyring_core::{Entry, Error as KeyringError};
use thiserror::Error;

use crate::core::secret::Secret;
use crate::core::store::{Paths, Scope};
use crate::i18n::{self, Localize};

pub const SERVICE: &str = "outbound";

/// How long one keyring call may take before it counts as unavailable.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Which secret: a profile's password or a provider's OAuth2 client secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKey {
    Profile(ProfileKey),
    Provider(String),
}

/// The password of the profile `name` of `scope`; build it with [`SecretKey::profile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileKey {
    pub scope: Scope,
    pub name: String,
    /// Whether an old unscoped entry `profile:<name>` is this profile's (see
    /// the module's documentation), as the files were when the key was made.
    claims_legacy: bool,
    /// The profile's separate IMAP password rather than its own (issue 14).
    imap: bool,
    /// The profile's OAuth 2.0 tokens rather than its password (issue 13).
    oauth: bool,
}

impl SecretKey {
    /// The key of a profile's password. The profile files under `paths` decide
    /// whether an old unscoped entry of that name is this profile's, so make the
    /// key before a rename or deletion changes them.
    pub fn profile(paths: &Paths, scope: Scope, name: &str) -> SecretKey {
        let user_profile = paths.profile_file(name).is_file();
        let claims_legacy = match scope {
            Scope::User => user_profile,
            Scope::System => {
                !user_profile
                    && paths
                        .profiles_of(Scope::System)
                        .join(format!("{name}.toml"))
                        .is_file()
            }
        };
        SecretKey::Profile(ProfileKey {
            scope,
            name: name.to_owned(),
            claims_legacy,
            imap: false,
            oauth: false,
        })
    }

    /// A profile key as [`SecretKey::profile`] made it before a change whose
    /// keyring step runs after the files moved (the journal records the claim).
    pub fn profile_as_recorded(scope: Scope, name: &str, claims_legacy: bool) -> SecretKey {
        SecretKey::Profile(ProfileKey {
            scope,
            name: name.to_owned(),
            claims_legacy,
            imap: false,
            oauth: false,
        })
    }

    /// The key of the same profile's separate IMAP password,
    /// `profile:<scope>:<name>:imap`; it never takes over an old entry.
    pub fn imap(self) -> SecretKey {
        match self {
            SecretKey::Profile(key) => SecretKey::Profile(ProfileKey {
                claims_legacy: false,
                imap: true,
                oauth: false,
                ..key
            }),
            other => other,
        }
    }

    /// The key of the same profile's OAuth 2.0 tokens,
    /// `profile:<scope>:<name>:oauth`; it never takes over an old entry.
    pub fn oauth(self) -> SecretKey {
        match self {
            SecretKey::Profile(key) => SecretKey::Profile(ProfileKey {
                claims_legacy: false,
                imap: false,
                oauth: true,
                ..key
            }),
            other => other,
        }
    }

    /// Whether this key takes over an old unscoped entry.
    pub fn claims_legacy(&self) -> bool {
        matches!(self, SecretKey::Profile(key) if key.claims_legacy)
    }

    /// The keyring's user attribute.
    pub fn user(&self) -> String {
        match self {
            SecretKey::Profile(key) if key.oauth => {
                format!("profile:{}:{}:oauth", key.scope.as_str(), key.name)
            }
            SecretKey::Profile(key) if key.imap => {
                format!("profile:{}:{}:imap", key.scope.as_str(), key.name)
            }
            SecretKey::Profile(key) => format!("profile:{}:{}", key.scope.as_str(), key.name),
            SecretKey::Provider(id) => format!("provider:{id}"),
        }
    }

    /// The user attribute of the old unscoped entry this key takes over, if any.
    pub fn legacy_user(&self) -> Option<String> {
        match self {
            SecretKey::Profile(key) if key.claims_legacy => Some(format!("profile:{}", key.name)),
            SecretKey::Profile(_) | SecretKey::Provider(_) => None,
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
        self.entry_of(&key.user())
    }

    fn entry_of(&self, user: &str) -> Result<Entry, SecretsError> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        store.build(SERVICE, user, None).map_err(classify)
    }

    /// The old unscoped entry `key` takes over, if it takes one over.
    fn legacy_entry(&self, key: &SecretKey) -> Result<Option<Entry>, SecretsError> {
        key.legacy_user()
            .map(|user| self.entry_of(&user))
            .transpose()
    }

    /// Saves (creates or replaces) a secret. An old unscoped entry this key
    /// takes over is removed, so it cannot come back to another profile later.
    pub async fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretsError> {
        let entry = self.entry(key)?;
        let legacy = self.legacy_entry(key)?;
        let secret = secret.clone();
        blocking(self.timeout, move || {
            entry.set_password(secret.expose()).map_err(classify)?;
            if let Some(legacy) = legacy {
                // The new password is saved; an old entry left by a failure
                // here is removed by the next `get`.
                let _ = legacy.delete_credential();
            }
            Ok(())
        })
        .await
    }

    /// The saved secret, or `None` when there is none. An old unscoped entry
    /// this key takes over is moved to the key first (see the module's
    /// documentation).
    pub async fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretsError> {
        let entry = self.entry(key)?;
        let legacy = self.legacy_entry(key)?;
        blocking(self.timeout, move || match entry.get_password() {
            Ok(secret) => {
                if let Some(legacy) = legacy {
                    // Left by a move that stopped after writing the new entry.
                    let _ = legacy.delete_credential();
                }
                Ok(Some(Secret::from(secret)))
            }
            Err(KeyringError::NoEntry) => match legacy {
                Some(legacy) => migrate(&entry, &legacy),
                None => Ok(None),
            },
            Err(e) => Err(classify(e)),
        })
        .await
    }

    /// Removes a secret (and an old unscoped entry the key takes over);
    /// removing one that does not exist is not an error.
    pub async fn delete(&self, key: &SecretKey) -> Result<(), SecretsError> {
        let entry = self.entry(key)?;
        let legacy = self.legacy_entry(key)?;
        blocking(self.timeout, move || {
            for entry in std::iter::once(entry).chain(legacy) {
                match entry.delete_credential() {
                    Ok(()) | Err(KeyringError::NoEntry) => {}
                    Err(e) => return Err(classify(e)),
                }
            }
            Ok(())
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

/// Moves the old entry `legacy` to `entry`: written under the new key before
/// the old one is removed, so a failure at any step keeps the password. A
/// failed write still returns the password read (the move is tried again on
/// the next use).
fn migrate(entry: &Entry, legacy: &Entry) -> Result<Option<Secret>, SecretsError> {
    let secret = match legacy.get_password() {
        Ok(secret) => Secret::from(secret),
        Err(KeyringError::NoEntry) => return Ok(None),
        Err(e) => return Err(classify(e)),
    };
    if entry.set_password(secret.expose()).is_ok() {
        let _ = legacy.delete_credential();
    }
    Ok(Some(secret))
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

    /// Paths with a user profile of each name in `user` and a system profile
    /// of each name in `system`.
    fn profiles(user: &[&str], system: &[&str]) -> (tempfile::TempDir, Paths) {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        for (scope, names) in [(Scope::User, user), (Scope::System, system)] {
            let folder = paths.profiles_of(scope);
            std::fs::create_dir_all(&folder).unwrap();
            for name in names {
                std::fs::write(folder.join(format!("{name}.toml")), "").unwrap();
            }
        }
        (dir, paths)
    }

    fn raw(secrets: &Secrets, user: &str) -> Entry {
        secrets.entry_of(user).unwrap()
    }

    /// A keyring whose calls fail when told: `fail("set", user)` makes the
    /// next `set` of that entry fail, whatever is called before it.
    #[derive(Default)]
    struct Flaky {
        data: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
        failing: std::sync::Mutex<Vec<(&'static str, String)>>,
    }

    impl Flaky {
        fn fail(&self, op: &'static str, user: &str) {
            self.failing.lock().unwrap().push((op, user.to_owned()));
        }

        fn stored(&self, user: &str) -> Option<String> {
            let data = self.data.lock().unwrap();
            data.get(user)
                .map(|b| String::from_utf8(b.clone()).unwrap())
        }

        fn check(&self, op: &'static str, user: &str) -> keyring_core::Result<()> {
            let mut failing = self.failing.lock().unwrap();
            match failing.iter().position(|(o, u)| *o == op && u == user) {
                Some(index) => {
                    failing.remove(index);
                    Err(KeyringError::PlatformFailure("the keyring broke".into()))
                }
                None => Ok(()),
            }
        }
    }

    struct FlakyStore(Arc<Flaky>);
    struct FlakyCredential(Arc<Flaky>, String);

    impl keyring_core::api::CredentialApi for FlakyCredential {
        fn set_secret(&self, secret: &[u8]) -> keyring_core::Result<()> {
            self.0.check("set", &self.1)?;
            let mut data = self.0.data.lock().unwrap();
            data.insert(self.1.clone(), secret.to_vec());
            Ok(())
        }
        fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
            self.0.check("get", &self.1)?;
            let data = self.0.data.lock().unwrap();
            data.get(&self.1).cloned().ok_or(KeyringError::NoEntry)
        }
        fn delete_credential(&self) -> keyring_core::Result<()> {
            self.0.check("delete", &self.1)?;
            let mut data = self.0.data.lock().unwrap();
            data.remove(&self.1).map(drop).ok_or(KeyringError::NoEntry)
        }
        fn get_credential(
            &self,
        ) -> keyring_core::Result<Option<Arc<keyring_core::api::Credential>>> {
            Ok(None)
        }
        fn get_specifiers(&self) -> Option<(String, String)> {
            Some((SERVICE.to_owned(), self.1.clone()))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    impl keyring_core::api::CredentialStoreApi for FlakyStore {
        fn vendor(&self) -> String {
            "flaky".to_owned()
        }
        fn id(&self) -> String {
            "flaky".to_owned()
        }
        fn build(
            &self,
            _service: &str,
            user: &str,
            _modifiers: Option<&std::collections::HashMap<&str, &str>>,
        ) -> keyring_core::Result<Entry> {
            let credential = FlakyCredential(self.0.clone(), user.to_owned());
            Ok(Entry::new_with_credential(Arc::new(credential)))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    fn flaky() -> (Secrets, Arc<Flaky>) {
        let flaky = Arc::new(Flaky::default());
        let secrets = Secrets::with_store(Arc::new(FlakyStore(flaky.clone())));
        (secrets, flaky)
    }

    #[tokio::test]
    async fn set_get_rename_delete() {
        let secrets = mock();
        let (_dir, paths) = profiles(&["a", "b"], &[]);
        let a = SecretKey::profile(&paths, Scope::User, "a");
        let b = SecretKey::profile(&paths, Scope::User, "b");
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
        let (_dir, paths) = profiles(&["x"], &["x", "only_system"]);
        let user = SecretKey::profile(&paths, Scope::User, "x");
        let system = SecretKey::profile(&paths, Scope::System, "x");
        assert_eq!(user.user(), "profile:user:x");
        assert_eq!(system.user(), "profile:system:x");
        let imap = user.clone().imap();
        assert_eq!(imap.user(), "profile:user:x:imap");
        assert_eq!(imap.legacy_user(), None);
        assert_eq!(SecretKey::Provider("y".into()).user(), "provider:y");
        // The old `profile:x` is the user's when there is a user profile x,
        // else the system's.
        assert_eq!(user.legacy_user().as_deref(), Some("profile:x"));
        assert_eq!(system.legacy_user(), None);
        let only_system = SecretKey::profile(&paths, Scope::System, "only_system");
        assert_eq!(
            only_system.legacy_user().as_deref(),
            Some("profile:only_system")
        );
        assert_eq!(
            SecretKey::profile(&paths, Scope::User, "only_system").legacy_user(),
            None
        );
    }

    #[tokio::test]
    async fn an_old_entry_moves_without_loss_when_the_keyring_fails_midway() {
        let (secrets, flaky) = flaky();
        let (_dir, paths) = profiles(&[], &["relay"]);
        let key = SecretKey::profile(&paths, Scope::System, "relay");
        raw(&secrets, "profile:relay")
            .set_password("old password")
            .unwrap();
        let got = async |key| {
            secrets
                .get(key)
                .await
                .map(|s: Option<Secret>| s.map(|s| s.expose().to_owned()))
        };
        // Writing the new entry fails: the old one stays, and is read.
        flaky.fail("set", "profile:system:relay");
        assert_eq!(got(&key).await.unwrap().as_deref(), Some("old password"));
        assert_eq!(
            flaky.stored("profile:relay").as_deref(),
            Some("old password")
        );
        assert_eq!(flaky.stored("profile:system:relay"), None);
        // Removing the old entry fails: the password is in both places.
        flaky.fail("delete", "profile:relay");
        assert_eq!(got(&key).await.unwrap().as_deref(), Some("old password"));
        assert_eq!(
            flaky.stored("profile:relay").as_deref(),
            Some("old password")
        );
        assert_eq!(
            flaky.stored("profile:system:relay").as_deref(),
            Some("old password")
        );
        // The next use finishes the move.
        assert_eq!(got(&key).await.unwrap().as_deref(), Some("old password"));
        assert_eq!(flaky.stored("profile:relay"), None);
        assert_eq!(
            flaky.stored("profile:system:relay").as_deref(),
            Some("old password")
        );
        // Reading the old entry fails: an error, and nothing is lost.
        let (_dir, paths) = profiles(&["kassa"], &[]);
        let key = SecretKey::profile(&paths, Scope::User, "kassa");
        raw(&secrets, "profile:kassa")
            .set_password("kassa password")
            .unwrap();
        flaky.fail("get", "profile:kassa");
        assert!(got(&key).await.is_err());
        assert_eq!(got(&key).await.unwrap().as_deref(), Some("kassa password"));
        assert_eq!(flaky.stored("profile:kassa"), None);
    }

    #[tokio::test]
    async fn deleting_or_setting_removes_the_old_entry_taken_over() {
        let secrets = mock();
        let (_dir, paths) = profiles(&["a", "b"], &["a"]);
        raw(&secrets, "profile:a").set_password("old a").unwrap();
        raw(&secrets, "profile:b").set_password("old b").unwrap();
        // The system profile a does not take the user's old entry.
        let system_a = SecretKey::profile(&paths, Scope::System, "a");
        assert_eq!(secrets.get(&system_a).await.unwrap(), None);
        secrets.set(&system_a, &"new".into()).await.unwrap();
        assert_eq!(raw(&secrets, "profile:a").get_password().unwrap(), "old a");
        let user_a = SecretKey::profile(&paths, Scope::User, "a");
        secrets.delete(&user_a).await.unwrap();
        assert!(raw(&secrets, "profile:a").get_password().is_err());
        let user_b = SecretKey::profile(&paths, Scope::User, "b");
        secrets.set(&user_b, &"new b".into()).await.unwrap();
        assert!(raw(&secrets, "profile:b").get_password().is_err());
        assert_eq!(
            secrets
                .get(&user_b)
                .await
                .unwrap()
                .as_ref()
                .map(Secret::expose),
            Some("new b")
        );
    }
}
