//! The two sign-ins: authorization code with PKCE S256 and a loopback redirect
//! (RFC 7636, RFC 8252 §7.3, `iss` checked per RFC 9207), and the device
//! authorization grant (RFC 8628).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::http::{Answer, post_form, token_request};
use super::tokens::Tokens;
use super::{Client, OauthError};
use crate::core::secret::Secret;
use crate::i18n;

/// 32 random bytes, base64url: a PKCE verifier (43 characters) or a state.
fn random_token() -> Result<Secret, OauthError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| OauthError::Random(e.to_string()))?;
    Ok(Secret::from(URL_SAFE_NO_PAD.encode(bytes)))
}

fn s256(verifier: &Secret) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// The origin (scheme, host, port) of a URL, for the issuer check.
fn origin(text: &str) -> Option<String> {
    url::Url::parse(text)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

/// Sign-in in the browser. Listens on `127.0.0.1` at a port of the system's
/// choice, hands the authorization URL to `open` (the system browser, or a
/// test's own client; a failure to open is not fatal, as `announce` shows the
/// URL too), waits for the redirect, checks `state` and `iss`, and exchanges
/// the code. Dropping the future closes the listener (Cancel).
pub async fn sign_in_browser(
    client: &Client,
    open: impl FnOnce(&str) -> Result<(), String>,
    announce: impl FnOnce(&str, Option<String>),
) -> Result<Tokens, OauthError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| OauthError::Listener(e.to_string()))?;
    let port = listener
        .local_addr()
        .map_err(|e| OauthError::Listener(e.to_string()))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/");
    let verifier = random_token()?;
    let state = random_token()?;
    let url = authorization_url(client, &redirect_uri, &state, &verifier)?;
    let opened = open(&url).err();
    announce(&url, opened);

    let expected_origin = origin(&client.auth_url);
    let code = loop {
        let (stream, _) = listener
            .accept()
            .await
            .map_err(|e| OauthError::Listener(e.to_string()))?;
        match answer_redirect(stream, &state, expected_origin.as_deref()).await {
            Some(result) => break result?,
            // Not the redirect (a favicon, a probe): keep waiting.
            None => continue,
        }
    };
    drop(listener);

    let mut form = vec![
        ("grant_type", Secret::from("authorization_code")),
        ("code", code),
        ("redirect_uri", Secret::from(redirect_uri)),
        ("client_id", Secret::from(client.client_id.as_str())),
        ("code_verifier", verifier),
    ];
    if let Some(secret) = &client.client_secret {
        form.push(("client_secret", secret.clone()));
    }
    match token_request(&client.token_url, form).await? {
        Answer::Ok(answer) => Ok(Tokens::from_answer(answer, None)),
        Answer::Error { error, description } => Err(OauthError::Refused { error, description }),
    }
}

/// Google's authorization endpoint: it gives a refresh token only when asked
/// for offline access, and again after the first sign-in only with consent.
pub const GOOGLE_AUTH_HOST: &str = "accounts.google.com";
/// Microsoft's authorization server (Entra ID).
pub const MICROSOFT_AUTH_HOST: &str = "login.microsoftonline.com";

/// The authorization request (RFC 6749 §4.1.1 with PKCE S256). Google's
/// endpoint also gets `access_type=offline` and `prompt=consent`: without
/// them it issues no refresh token, and the sign-in would last an hour.
fn authorization_url(
    client: &Client,
    redirect_uri: &str,
    state: &Secret,
    verifier: &Secret,
) -> Result<String, OauthError> {
    let mut url = url::Url::parse(&client.auth_url).map_err(|e| OauthError::BadAnswer {
        url: client.auth_url.clone(),
        reason: e.to_string(),
    })?;
    let google = url.host_str() == Some(GOOGLE_AUTH_HOST);
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &client.scopes.join(" "))
            .append_pair("state", state.expose())
            .append_pair("code_challenge", &s256(verifier))
            .append_pair("code_challenge_method", "S256");
        if google {
            query
                .append_pair("access_type", "offline")
                .append_pair("prompt", "consent");
        }
    }
    Ok(url.to_string())
}

/// Reads one request from the browser; `None` when it is not the redirect.
/// Answers it with a short page saying whether the sign-in went on.
async fn answer_redirect(
    mut stream: TcpStream,
    state: &Secret,
    expected_origin: Option<&str>,
) -> Option<Result<Secret, OauthError>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") && buffer.len() < 16 * 1024 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    // The request holds the code: kept in a Secret, never logged.
    let request = Secret::from(String::from_utf8_lossy(&buffer).into_owned());
    let target = request
        .expose()
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("GET "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default();
    let Some(query) = target.strip_prefix("/?") else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return None;
    };
    let mut code = None;
    let mut got_state = None;
    let mut iss = None;
    let mut error = None;
    let mut description = String::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "code" => code = Some(Secret::from(value.into_owned())),
            "state" => got_state = Some(Secret::from(value.into_owned())),
            "iss" => iss = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            "error_description" => description = value.into_owned(),
            _ => {}
        }
    }
    let result = if got_state.as_ref() != Some(state) {
        Err(OauthError::StateMismatch)
    } else if let Some(found) = iss.filter(|found| origin(found).as_deref() != expected_origin) {
        Err(OauthError::IssuerMismatch { found })
    } else if let Some(error) = error {
        Err(OauthError::Refused { error, description })
    } else if let Some(code) = code {
        Ok(code)
    } else {
        return None;
    };
    let page = i18n::tr(if result.is_ok() {
        "oauth-browser-done"
    } else {
        "oauth-browser-failed"
    });
    let body = format!("<!DOCTYPE html><meta charset=\"utf-8\"><p>{page}</p>");
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
    Some(result)
}

/// What the user types, and where (RFC 8628 §3.2).
// No Debug: the device code is a credential until it expires.
#[derive(Clone, Deserialize)]
pub struct DeviceCode {
    device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    #[serde(default)]
    pub verification_uri_complete: Option<String>,
    pub expires_in: u64,
    #[serde(default)]
    pub interval: Option<u64>,
}

/// Sign-in with a code typed on another device: asks for a code, hands it to
/// `show`, then polls the token endpoint at the server's interval (5 s when it
/// names none), 5 s slower after each `slow_down`, until the user confirms,
/// refuses, or the code expires.
pub async fn sign_in_device(
    client: &Client,
    show: impl FnOnce(&DeviceCode),
) -> Result<Tokens, OauthError> {
    let device_url = client
        .device_url
        .as_deref()
        .ok_or(OauthError::NoDeviceUrl)?;
    let mut form = vec![
        ("client_id", Secret::from(client.client_id.as_str())),
        ("scope", Secret::from(client.scopes.join(" "))),
    ];
    if let Some(secret) = &client.client_secret {
        form.push(("client_secret", secret.clone()));
    }
    let device: DeviceCode = match post_form(device_url, form).await? {
        Answer::Ok(device) => device,
        Answer::Error { error, description } => {
            return Err(OauthError::Refused { error, description });
        }
    };
    show(&device);
    let device_code = Secret::from(device.device_code.as_str());
    let mut interval = device.interval.unwrap_or(5).max(1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(device.expires_in);
    loop {
        tokio::time::sleep(Duration::from_secs(interval)).await;
        if tokio::time::Instant::now() >= deadline {
            return Err(OauthError::Expired);
        }
        let mut form = vec![
            (
                "grant_type",
                Secret::from("urn:ietf:params:oauth:grant-type:device_code"),
            ),
            ("device_code", device_code.clone()),
            ("client_id", Secret::from(client.client_id.as_str())),
        ];
        if let Some(secret) = &client.client_secret {
            form.push(("client_secret", secret.clone()));
        }
        match token_request(&client.token_url, form).await? {
            Answer::Ok(answer) => return Ok(Tokens::from_answer(answer, None)),
            Answer::Error { error, .. } if error == "authorization_pending" => {}
            // RFC 8628 §3.5: this and every later poll 5 s further apart.
            Answer::Error { error, .. } if error == "slow_down" => interval += 5,
            Answer::Error { error, .. } if error == "expired_token" => {
                return Err(OauthError::Expired);
            }
            Answer::Error { error, description } => {
                return Err(OauthError::Refused { error, description });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        let verifier = Secret::from("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            s256(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_43_characters_and_differ() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.expose().len(), 43);
        assert_ne!(a, b);
    }

    fn client_at(auth_url: &str) -> Client {
        Client {
            client_id: "id".to_owned(),
            client_secret: None,
            auth_url: auth_url.to_owned(),
            token_url: "https://example.org/token".to_owned(),
            device_url: None,
            scopes: vec!["https://mail.google.com/".to_owned()],
        }
    }

    fn query_of(url: &str) -> Vec<(String, String)> {
        url::Url::parse(url)
            .unwrap()
            .query_pairs()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn google_is_asked_for_a_refresh_token() {
        let state = Secret::from("state");
        let verifier = Secret::from("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let google = client_at("https://accounts.google.com/o/oauth2/v2/auth");
        let url = authorization_url(&google, "http://127.0.0.1:1/", &state, &verifier).unwrap();
        let query = query_of(&url);
        let value = |name: &str| {
            query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(value("access_type"), Some("offline"), "{url}");
        assert_eq!(value("prompt"), Some("consent"), "{url}");
        assert_eq!(value("code_challenge_method"), Some("S256"));
        assert_eq!(value("scope"), Some("https://mail.google.com/"));
        // Other providers get the plain request (Microsoft: offline_access is a scope).
        for other in [
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            "https://accounts.google.com.evil.example/auth",
        ] {
            let url =
                authorization_url(&client_at(other), "http://127.0.0.1:1/", &state, &verifier)
                    .unwrap();
            let query = query_of(&url);
            assert!(
                !query
                    .iter()
                    .any(|(n, _)| n == "access_type" || n == "prompt"),
                "{url}"
            );
        }
    }

    #[test]
    fn the_issuer_check_compares_origins() {
        assert_eq!(
            origin("https://accounts.google.com/o/oauth2/v2/auth").as_deref(),
            Some("https://accounts.google.com")
        );
        assert_ne!(
            origin("https://accounts.google.com.evil.example"),
            origin("https://accounts.google.com/o/oauth2/v2/auth")
        );
    }
}
