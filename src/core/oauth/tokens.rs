//! A profile's tokens in the keyring (`profile:<scope>:<name>:oauth`, one JSON
//! value: access token, its expiry, refresh token) and the refresh before use.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::json;

use super::http::{Answer, TokenAnswer, token_request};
use super::{Client, OauthError};
use crate::core::secret::Secret;
use crate::core::secrets::{SecretKey, Secrets};

/// An access token this close to its expiry (seconds) is refreshed before use:
/// a check must not start with a token that dies during AUTH.
pub const REFRESH_MARGIN: u64 = 60;

/// A profile's tokens, in memory only as secrets.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: Secret,
    /// Seconds since the Unix epoch; `None` when the server gave no lifetime.
    pub expires_at: Option<u64>,
    pub refresh: Option<Secret>,
}

#[derive(Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default)]
    expires_at: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
}

pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Tokens {
    /// Tokens from a token answer; a refresh answer without a new refresh
    /// token keeps the one used (RFC 6749 §6).
    pub(super) fn from_answer(answer: TokenAnswer, kept_refresh: Option<Secret>) -> Tokens {
        Tokens {
            access: answer.access_token,
            expires_at: answer.expires_in.map(|seconds| now() + seconds),
            refresh: answer.refresh_token.or(kept_refresh),
        }
    }

    /// Whether the access token may still be sent (not within the margin of its expiry).
    pub fn fresh(&self) -> bool {
        self.expires_at
            .is_none_or(|at| at > now().saturating_add(REFRESH_MARGIN))
    }

    pub(super) fn to_secret(&self) -> Secret {
        Secret::from(
            json!({
                "access_token": self.access.expose(),
                "expires_at": self.expires_at,
                "refresh_token": self.refresh.as_ref().map(Secret::expose),
            })
            .to_string(),
        )
    }

    pub(super) fn from_secret(secret: &Secret) -> Option<Tokens> {
        let stored: Stored = serde_json::from_str(secret.expose()).ok()?;
        Some(Tokens {
            access: Secret::from(stored.access_token),
            expires_at: stored.expires_at,
            refresh: stored.refresh_token.map(Secret::from),
        })
    }
}

/// The tokens under `key`; `None` when not signed in (or the entry is not
/// tokens: it is then treated as absent and replaced by the next sign-in).
pub async fn load_tokens(secrets: &Secrets, key: &SecretKey) -> Result<Option<Tokens>, OauthError> {
    Ok(secrets
        .get(key)
        .await?
        .as_ref()
        .and_then(Tokens::from_secret))
}

pub async fn save_tokens(
    secrets: &Secrets,
    key: &SecretKey,
    tokens: &Tokens,
) -> Result<(), OauthError> {
    Ok(secrets.set(key, &tokens.to_secret()).await?)
}

/// Sign-out: the tokens leave the keyring (none there is fine).
pub async fn delete_tokens(secrets: &Secrets, key: &SecretKey) -> Result<(), OauthError> {
    Ok(secrets.delete(key).await?)
}

/// A refresh (RFC 6749 §6). `invalid_grant` is [`OauthError::SignInRequired`].
pub async fn refresh(client: &Client, refresh_token: &Secret) -> Result<Tokens, OauthError> {
    let mut form = vec![
        ("grant_type", Secret::from("refresh_token")),
        ("refresh_token", refresh_token.clone()),
        ("client_id", Secret::from(client.client_id.as_str())),
    ];
    if let Some(secret) = &client.client_secret {
        form.push(("client_secret", secret.clone()));
    }
    match token_request(&client.token_url, form).await? {
        Answer::Ok(answer) => Ok(Tokens::from_answer(answer, Some(refresh_token.clone()))),
        Answer::Error { error, description } if error == "invalid_grant" => {
            Err(OauthError::SignInRequired(description))
        }
        Answer::Error { error, description } => Err(OauthError::Refused { error, description }),
    }
}

/// The access token to send from `tokens` (stored under `key`): theirs
/// while [`Tokens::fresh`], else refreshed with the client `client` gives
/// (asked for only then) and the new tokens stored.
pub async fn usable_access<F>(
    secrets: &Secrets,
    key: &SecretKey,
    tokens: Tokens,
    client: F,
) -> Result<Secret, OauthError>
where
    F: AsyncFnOnce() -> Result<Client, OauthError>,
{
    if tokens.fresh() {
        return Ok(tokens.access);
    }
    let Some(refresh_token) = &tokens.refresh else {
        return Err(OauthError::SignInRequired(String::new()));
    };
    let client = client().await?;
    let renewed = refresh(&client, refresh_token).await?;
    save_tokens(secrets, key, &renewed).await?;
    Ok(renewed.access)
}
