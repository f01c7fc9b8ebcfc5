//! OAuth 2.0 sign-in for a profile whose SMTP authentication is XOAUTH2 or
//! OAUTHBEARER (issue 13): authorization code with PKCE and a loopback
//! redirect (RFC 8252), the device authorization grant (RFC 8628), refresh
//! before use, and the tokens in the keyring only.
//!
//! A thin own layer, not the `oauth2` crate: oauth2 5's ready HTTP clients are
//! reqwest and ureq 2, and this project already has ureq 3 (rustls) for
//! autoconfig; the three requests it needs (authorization URL, token and device
//! endpoints, form posts answered with JSON) fit in a few lines on that stack,
//! with redirects off for every token request.

mod flows;
mod http;
mod tokens;

use thiserror::Error;

pub use flows::{
    DeviceCode, GOOGLE_AUTH_HOST, MICROSOFT_AUTH_HOST, sign_in_browser, sign_in_device,
};
pub use tokens::{REFRESH_MARGIN, Tokens, delete_tokens, load_tokens, save_tokens, usable_access};

use crate::core::directory::Auth;
use crate::core::secret::Secret;
use crate::core::secrets::SecretsError;
use crate::i18n::{self, Localize};

/// A provider's OAuth 2.0 client, as the directory's `auth.oauth2` names it.
#[derive(Debug, Clone)]
pub struct Client {
    pub client_id: String,
    /// A confidential client's secret (the keyring's `provider:<id>`); public
    /// clients (the usual desktop registration) have none.
    pub client_secret: Option<Secret>,
    pub auth_url: String,
    pub token_url: String,
    pub device_url: Option<String>,
    pub scopes: Vec<String>,
}

impl Client {
    /// The client of a directory entry's `auth`; the tenant, when given,
    /// replaces the `common` path segment of Microsoft's URLs.
    pub fn from_auth(auth: &Auth, client_secret: Option<Secret>) -> Result<Client, OauthError> {
        let Auth::Oauth2 {
            client_id,
            auth_url,
            token_url,
            scopes,
            device_url,
            tenant,
        } = auth
        else {
            return Err(OauthError::NotConfigured);
        };
        if client_id.trim().is_empty() {
            return Err(OauthError::NoClientId);
        }
        let with_tenant = |url: &str| {
            if tenant.is_empty() {
                url.to_owned()
            } else {
                url.replacen("/common/", &format!("/{tenant}/"), 1)
            }
        };
        Ok(Client {
            client_id: client_id.trim().to_owned(),
            client_secret: client_secret.filter(|s| !s.is_empty()),
            auth_url: with_tenant(auth_url),
            token_url: with_tenant(token_url),
            device_url: (!device_url.is_empty()).then(|| with_tenant(device_url)),
            scopes: scopes.clone(),
        })
    }
}

/// Microsoft's scope for SMTP AUTH, and the one its IMAP needs beside it.
const MICROSOFT_SMTP_SCOPE: &str = "https://outlook.office.com/SMTP.Send";
const MICROSOFT_IMAP_SCOPE: &str = "https://outlook.office.com/IMAP.AccessAsUser.All";

impl Client {
    /// The client for a profile whose incoming check is on (`incoming`):
    /// Microsoft's token then needs `IMAP.AccessAsUser.All` beside
    /// `SMTP.Send` (the same resource, so one token serves both), added when
    /// the directory's scopes lack it. Other providers' scopes cover both.
    pub fn for_incoming(mut self, incoming: bool) -> Client {
        let microsoft = self.scopes.iter().any(|s| s == MICROSOFT_SMTP_SCOPE);
        let has_imap = self
            .scopes
            .iter()
            .any(|s| s.eq_ignore_ascii_case(MICROSOFT_IMAP_SCOPE));
        if incoming && microsoft && !has_imap {
            self.scopes.push(MICROSOFT_IMAP_SCOPE.to_owned());
        }
        self
    }
}

/// Why a sign-in or a refresh did not give a token.
#[derive(Debug, Error)]
pub enum OauthError {
    #[error("the provider of this profile has no OAuth 2.0 settings")]
    NotConfigured,
    #[error("the provider's OAuth 2.0 settings have no client id")]
    NoClientId,
    #[error("the provider has no device authorization endpoint")]
    NoDeviceUrl,
    #[error("not signed in")]
    NotSignedIn,
    /// `invalid_grant` on refresh: the sign-in was revoked or expired.
    #[error("the sign-in is no longer valid, sign in again: {0}")]
    SignInRequired(String),
    #[error("the authorization server refused: {error} {description}")]
    Refused { error: String, description: String },
    #[error("the answer to the browser carries another state: refused")]
    StateMismatch,
    #[error("the answer to the browser comes from another issuer ({found}): refused")]
    IssuerMismatch { found: String },
    #[error("the device code expired before the sign-in finished")]
    Expired,
    #[error("{url}: {reason}")]
    Http { url: String, reason: String },
    #[error("{url}: the answer is not understood: {reason}")]
    BadAnswer { url: String, reason: String },
    #[error("the loopback listener failed: {0}")]
    Listener(String),
    /// The system gave no random bytes for PKCE's verifier or the state.
    #[error("no random numbers from the system: {0}")]
    Random(String),
    #[error(transparent)]
    Keyring(#[from] SecretsError),
}

impl Localize for OauthError {
    fn localize(&self) -> String {
        if let OauthError::Keyring(error) = self {
            return error.localize();
        }
        let args: Vec<(&str, String)> = match self {
            OauthError::SignInRequired(reason) => vec![("reason", reason.clone())],
            OauthError::Refused { error, description } => {
                vec![("reason", format!("{error} {description}").trim().to_owned())]
            }
            OauthError::IssuerMismatch { found } => vec![("found", found.clone())],
            OauthError::Http { url, reason } | OauthError::BadAnswer { url, reason } => {
                vec![("url", url.clone()), ("reason", reason.clone())]
            }
            OauthError::Listener(reason) | OauthError::Random(reason) => {
                vec![("reason", reason.clone())]
            }
            _ => Vec::new(),
        };
        let id = match self {
            OauthError::NotConfigured => "oauth-not-configured",
            OauthError::NoClientId => "oauth-no-client-id",
            OauthError::NoDeviceUrl => "oauth-no-device-url",
            OauthError::NotSignedIn => "oauth-not-signed-in",
            OauthError::SignInRequired(_) => "oauth-sign-in-required",
            OauthError::Refused { .. } => "oauth-refused",
            OauthError::StateMismatch => "oauth-state-mismatch",
            OauthError::IssuerMismatch { .. } => "oauth-issuer-mismatch",
            OauthError::Expired => "oauth-expired",
            OauthError::Http { .. } => "oauth-http",
            OauthError::BadAnswer { .. } => "oauth-bad-answer",
            OauthError::Listener(_) => "oauth-listener",
            OauthError::Random(_) => "oauth-random",
            // Worded by the keyring's own message above.
            OauthError::Keyring(_) => "keyring-failed",
        };
        i18n::tr_args(id, &args)
    }
}

/// What opens the authorization URL for the window's sign-in: the system
/// browser unless replaced (a test follows the URL itself, having no screen).
static BROWSER_OPENER: std::sync::RwLock<Option<BrowserOpener>> = std::sync::RwLock::new(None);

/// Opens a URL, or says why it could not.
pub type BrowserOpener = fn(&str) -> Result<(), String>;

/// Replaces the system browser for every later [`open_browser`] of this process.
pub fn replace_browser_opener(opener: BrowserOpener) {
    if let Ok(mut slot) = BROWSER_OPENER.write() {
        *slot = Some(opener);
    }
}

/// Opens `url` with the replaced opener, else in the system browser.
pub fn open_browser(url: &str) -> Result<(), String> {
    let replaced = BROWSER_OPENER.read().ok().and_then(|slot| *slot);
    match replaced {
        Some(opener) => opener(url),
        None => open_in_browser(url),
    }
}

/// The OAuth client of the provider whose servers `profile` uses, with its
/// client secret from the keyring (`provider:<id>`) when there is one.
pub async fn client_for(
    paths: &crate::core::store::Paths,
    profile: &crate::core::profile::Profile,
    secrets: &crate::core::secrets::Secrets,
) -> Result<Client, OauthError> {
    // A file read: off the async threads (the window's runtime among them).
    let folders = paths.clone();
    let directory = tokio::task::spawn_blocking(move || {
        crate::core::directory::UserDirectory::new(&folders)
            .load()
            .0
    })
    .await
    .unwrap_or_else(|_| crate::core::directory::Directory::bundled_only());
    let entry = directory
        .used_by(profile)
        .find(|e| matches!(e.provider.auth, Auth::Oauth2 { .. }))
        .ok_or(OauthError::NotConfigured)?;
    let secret = secrets
        .get(&crate::core::secrets::SecretKey::Provider(
            entry.provider.id.clone(),
        ))
        .await?;
    let incoming = !profile.imap.host.trim().is_empty();
    Client::from_auth(&entry.provider.auth, secret).map(|c| c.for_incoming(incoming))
}

/// How long the window's sign-in waits for the browser's redirect.
pub const BROWSER_WAIT_SECS: u64 = 300;

/// Told the authorization URL once it is known, with why the browser did not
/// open it when it did not (the person then opens it by hand).
pub type Announce = Box<dyn FnOnce(&str, Option<String>) + Send>;

/// The window's browser sign-in for `profile` (its provider's client, the
/// client secret from the keyring when one is kept), waiting at most
/// [`BROWSER_WAIT_SECS`] for the redirect. The tokens come back; storing
/// them is the caller's (a saved profile's key, or a quick test's memory).
pub async fn sign_in_window(
    paths: &crate::core::store::Paths,
    profile: &crate::core::profile::Profile,
    secrets: &crate::core::secrets::Secrets,
    announce: Announce,
) -> Result<Tokens, OauthError> {
    let client = client_for(paths, profile, secrets).await?;
    let flow = sign_in_browser(&client, open_browser, announce);
    tokio::time::timeout(std::time::Duration::from_secs(BROWSER_WAIT_SECS), flow)
        .await
        .map_err(|_| OauthError::Expired)?
}

/// Opens `url` in the system browser (xdg-open; `open` on macOS; `start` on
/// Windows). The sign-in passes this, or its own function (tests, the window).
pub fn open_in_browser(url: &str) -> Result<(), String> {
    #[cfg(target_os = "macos")]
    let mut command = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut command = std::process::Command::new("xdg-open");
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::directory::parse_file;

    #[test]
    fn an_old_oauth2_entry_loads_and_writes_back_unchanged() {
        let text = r#"format = 1
[[provider]]
id = "old"
name = "Old"
domains = ["old.example"]
smtp = { host = "smtp.old.example", port = 465, security = "tls" }
auth = { method = "oauth2", auth_url = "https://login.old.example/common/authorize", token_url = "https://login.old.example/common/token", scopes = ["mail"] }
"#;
        let file = parse_file(text).unwrap();
        let auth = &file.provider[0].auth;
        assert!(
            matches!(auth, Auth::Oauth2 { device_url, tenant, .. } if device_url.is_empty() && tenant.is_empty())
        );
        let written = crate::core::directory::render(&file);
        assert!(
            !written.contains("device_url") && !written.contains("tenant"),
            "{written}"
        );
        // No client id: the organisation registers its own.
        assert!(matches!(
            Client::from_auth(auth, None),
            Err(OauthError::NoClientId)
        ));
    }

    #[test]
    fn the_tenant_replaces_common() {
        let auth = Auth::Oauth2 {
            client_id: " id ".to_owned(),
            auth_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize".to_owned(),
            token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token".to_owned(),
            scopes: vec!["https://outlook.office.com/SMTP.Send".to_owned()],
            device_url: "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode"
                .to_owned(),
            tenant: "organizations".to_owned(),
        };
        let client = Client::from_auth(&auth, Some(Secret::from(""))).unwrap();
        assert_eq!(client.client_id, "id");
        assert!(client.client_secret.is_none(), "an empty secret is none");
        assert!(client.token_url.contains("/organizations/oauth2/"));
        assert!(client.auth_url.contains("/organizations/oauth2/"));
        assert!(
            client
                .device_url
                .unwrap()
                .contains("/organizations/oauth2/")
        );
    }

    #[test]
    fn microsoft_asks_for_imap_when_the_incoming_check_is_on() {
        let auth = Auth::Oauth2 {
            client_id: "id".to_owned(),
            auth_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize".to_owned(),
            token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token".to_owned(),
            scopes: vec![MICROSOFT_SMTP_SCOPE.to_owned(), "offline_access".to_owned()],
            device_url: String::new(),
            tenant: String::new(),
        };
        let client = || Client::from_auth(&auth, None).unwrap();
        assert_eq!(
            client().for_incoming(false).scopes,
            [MICROSOFT_SMTP_SCOPE, "offline_access"]
        );
        let both = client().for_incoming(true).scopes;
        assert_eq!(
            both,
            [MICROSOFT_SMTP_SCOPE, "offline_access", MICROSOFT_IMAP_SCOPE]
        );
        // Asked once, even when the directory names it already.
        let mut again = client().for_incoming(true);
        again = again.for_incoming(true);
        assert_eq!(again.scopes, both);
        // Google's one scope covers SMTP and IMAP: nothing added.
        let google = Auth::Oauth2 {
            client_id: "id".to_owned(),
            auth_url: "https://accounts.google.com/o/oauth2/v2/auth".to_owned(),
            token_url: "https://oauth2.googleapis.com/token".to_owned(),
            scopes: vec!["https://mail.google.com/".to_owned()],
            device_url: String::new(),
            tenant: String::new(),
        };
        let google = Client::from_auth(&google, None).unwrap().for_incoming(true);
        assert_eq!(google.scopes, ["https://mail.google.com/"]);
    }

    #[test]
    fn tokens_near_expiry_are_not_fresh() {
        let tokens = |expires_at| Tokens {
            access: Secret::from("a"),
            expires_at,
            refresh: None,
        };
        assert!(tokens(None).fresh());
        assert!(tokens(Some(tokens::now() + 3600)).fresh());
        assert!(!tokens(Some(tokens::now() + REFRESH_MARGIN / 2)).fresh());
        assert!(!tokens(Some(0)).fresh());
        let stored = tokens(Some(42)).to_secret();
        let back = Tokens::from_secret(&stored).unwrap();
        assert_eq!(back.expires_at, Some(42));
        assert_eq!(back.access.expose(), "a");
        assert!(format!("{back:?}").contains("<redacted>"));
    }
}
