//! What a saved profile logs in with, chosen in one place for the check (the
//! window and the command line), the round trip, `send` and the queue flush:
//! its OAuth access token when its authentication may send one and it is
//! signed in (refreshed first when near expiry), else its password — the one
//! typed, or the keyring's.

use crate::core::oauth::{self, OauthError};
use crate::core::profile::AuthMethod;
use crate::core::secret::Secret;
use crate::core::secrets::{SecretKey, Secrets};
use crate::i18n::Localize;

use super::saved::Account;
use super::{Code, Diagnosis, Report};

/// The secret to authenticate with, and what it is.
#[derive(Debug, Clone, Default)]
pub struct Credential {
    pub secret: Option<Secret>,
    /// `secret` is an OAuth access token (`auto` then offers XOAUTH2 or
    /// OAUTHBEARER, never PLAIN with it).
    pub token_held: bool,
}

/// Where the password comes from when no token is sent.
#[derive(Debug, Clone)]
pub enum Password {
    /// Typed in the window or given on the command line (`None`: none typed).
    Typed(Option<Secret>),
    /// The profile's keyring entry.
    Keyring,
}

/// Why no credential could be had; each reason is already in the user's words.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CredentialError {
    #[error("{0}")]
    Keyring(String),
    /// The refresh was refused (`invalid_grant`): only a new sign-in helps.
    #[error("{reason}")]
    SignInRequired { name: String, reason: String },
    /// The provider's OAuth settings or its token endpoint failed.
    #[error("{reason}")]
    Oauth {
        name: String,
        reason: String,
        /// The token endpoint did not answer: worth trying again later.
        temporary: bool,
    },
}

impl CredentialError {
    /// The report of a check that could not start for this reason.
    pub fn report(&self) -> Report {
        let reason = self.to_string();
        let diagnosis = match self {
            CredentialError::Keyring(_) => {
                Diagnosis::new(Code::KeyringUnavailable).arg("reply", reason.clone())
            }
            CredentialError::SignInRequired { name, .. } => {
                Diagnosis::new(Code::OauthSignInRequired)
                    .arg("name", name.clone())
                    .arg("reply", reason.clone())
            }
            CredentialError::Oauth { name, .. } => Diagnosis::new(Code::CannotStart)
                .arg("name", name.clone())
                .arg("reply", reason.clone()),
        };
        Report::not_started(diagnosis, Some(reason))
    }
}

/// Whether a check with `auth` may send the profile's OAuth access token:
/// XOAUTH2 and OAUTHBEARER always, `auto` when the profile is signed in.
pub fn may_use_token(auth: AuthMethod) -> bool {
    auth.is_oauth() || auth == AuthMethod::Auto
}

/// What `account` logs in with when its checked (or sending) profile
/// authenticates with `auth`.
pub async fn credential(
    account: &Account,
    auth: AuthMethod,
    password: Password,
) -> Result<Credential, CredentialError> {
    // Kerberos signs in with the user's ticket: no secret to read.
    if matches!(auth, AuthMethod::None | AuthMethod::Gssapi) {
        return Ok(Credential::default());
    }
    let secrets = Secrets::connect().await;
    if may_use_token(auth) {
        match token(account, &secrets).await {
            Ok(Some(token)) => {
                return Ok(Credential {
                    secret: Some(token),
                    token_held: true,
                });
            }
            Ok(None) => {}
            // `auto` with a typed password and no keyring to ask: the
            // password, as before sign-in existed.
            Err(CredentialError::Keyring(_))
                if !auth.is_oauth() && matches!(password, Password::Typed(_)) => {}
            Err(error) => return Err(error),
        }
    }
    let secret = match password {
        Password::Typed(typed) => typed,
        Password::Keyring => keyring_password(account, &secrets).await?,
    };
    Ok(Credential {
        secret,
        token_held: false,
    })
}

/// The profile's password in the keyring (`None`: none kept).
pub async fn keyring_password(
    account: &Account,
    secrets: &Secrets,
) -> Result<Option<Secret>, CredentialError> {
    let key = SecretKey::profile(&account.paths, account.scope, &account.saved.name);
    secrets
        .get(&key)
        .await
        .map_err(|error| CredentialError::Keyring(error.localize()))
}

/// The signed-in profile's access token, refreshed when near expiry; `None`
/// when it is not signed in (the IMAP side's choice is its own:
/// `imap::credentials`).
pub async fn signed_in_token(account: &Account) -> Result<Option<Secret>, CredentialError> {
    token(account, &Secrets::connect().await).await
}

async fn token(account: &Account, secrets: &Secrets) -> Result<Option<Secret>, CredentialError> {
    let name = &account.saved.name;
    let failed = |error: OauthError| match error {
        OauthError::Keyring(error) => CredentialError::Keyring(error.localize()),
        OauthError::SignInRequired(_) => CredentialError::SignInRequired {
            name: name.clone(),
            reason: error.localize(),
        },
        other => CredentialError::Oauth {
            name: name.clone(),
            reason: other.localize(),
            temporary: matches!(other, OauthError::Http { .. }),
        },
    };
    let key = SecretKey::profile(&account.paths, account.scope, name).oauth();
    let Some(tokens) = oauth::load_tokens(secrets, &key).await.map_err(failed)? else {
        return Ok(None);
    };
    // The directory and the provider's client secret are read only when a
    // refresh needs them.
    let client = async || oauth::client_for(&account.paths, &account.saved, secrets).await;
    oauth::usable_access(secrets, &key, tokens, client)
        .await
        .map(Some)
        .map_err(failed)
}
