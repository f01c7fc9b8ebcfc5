//! The token and device endpoints: form posts answered with JSON (RFC 6749
//! §4.1.3, §5; RFC 8628 §3.1), on ureq 3 with redirects off (a token request
//! must not be replayed to wherever a redirect points), on a blocking thread.

use std::time::Duration;

use serde::Deserialize;

use super::OauthError;
use crate::core::secret::Secret;

const TIMEOUT: Duration = Duration::from_secs(30);

/// A successful token answer; the tokens go into [`Secret`]s at once.
#[derive(Debug)]
pub struct TokenAnswer {
    pub access_token: Secret,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<Secret>,
}

/// An answer of the token or device endpoint.
#[derive(Debug)]
pub enum Answer<T> {
    Ok(T),
    /// An OAuth error answer: `error` and its description.
    Error {
        error: String,
        description: String,
    },
}

#[derive(Deserialize)]
struct RawToken {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
struct RawError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// Posts `form` to `url`: the JSON of a 200 answer as `T`, an error answer
/// (400/401 with `error`) as [`Answer::Error`], anything else an error.
pub async fn post_form<T: for<'de> Deserialize<'de> + Send + 'static>(
    url: &str,
    form: Vec<(&'static str, Secret)>,
) -> Result<Answer<T>, OauthError> {
    let owned = url.to_owned();
    let task = tokio::task::spawn_blocking(move || post_blocking(&owned, &form));
    match task.await {
        Ok(result) => result,
        Err(join) => Err(OauthError::Http {
            url: url.to_owned(),
            reason: join.to_string(),
        }),
    }
}

fn post_blocking<T: for<'de> Deserialize<'de>>(
    url: &str,
    form: &[(&'static str, Secret)],
) -> Result<Answer<T>, OauthError> {
    let http = |reason: String| OauthError::Http {
        url: url.to_owned(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into();
    let mut response = agent
        .post(url)
        .header("Accept", "application/json")
        .send_form(form.iter().map(|(name, value)| (*name, value.expose())))
        .map_err(|e| http(e.to_string()))?;
    let status = response.status().as_u16();
    // The body holds tokens: straight into a Secret, parsed from there.
    let body = Secret::from(
        response
            .body_mut()
            .read_to_string()
            .map_err(|e| http(e.to_string()))?,
    );
    let bad = |reason: String| OauthError::BadAnswer {
        url: url.to_owned(),
        reason,
    };
    match status {
        200 => serde_json::from_str(body.expose())
            .map(Answer::Ok)
            // serde's message names the field, never the value.
            .map_err(|e| bad(e.to_string())),
        400 | 401 => {
            let raw: RawError =
                serde_json::from_str(body.expose()).map_err(|_| http(format!("HTTP {status}")))?;
            Ok(Answer::Error {
                error: raw.error,
                description: raw.error_description.unwrap_or_default(),
            })
        }
        other => Err(http(format!("HTTP {other}"))),
    }
}

/// Posts a token request; a 200 answer as a [`TokenAnswer`].
pub async fn token_request(
    url: &str,
    form: Vec<(&'static str, Secret)>,
) -> Result<Answer<TokenAnswer>, OauthError> {
    Ok(match post_form::<RawTokenSecret>(url, form).await? {
        Answer::Ok(raw) => Answer::Ok(raw.0),
        Answer::Error { error, description } => Answer::Error { error, description },
    })
}

/// [`RawToken`] moved into secrets as it is parsed.
struct RawTokenSecret(TokenAnswer);

impl<'de> Deserialize<'de> for RawTokenSecret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawToken::deserialize(deserializer)?;
        Ok(RawTokenSecret(TokenAnswer {
            access_token: Secret::from(raw.access_token),
            expires_in: raw.expires_in,
            refresh_token: raw.refresh_token.map(Secret::from),
        }))
    }
}
