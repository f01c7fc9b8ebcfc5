//! OAuth 2.0 sign-in (issue 13) against a real authorization server,
//! oidc-provider on 127.0.0.1 (tests/peers/oidc, started once by tests/session:
//! OUTBOUND_TEST_OIDC_URL), and an SMTP peer that accepts a bearer token only
//! when that server's introspection says it is active. The browser is this
//! file's HTTP client: it follows the authorization URL (the server finishes
//! login and consent for the account `tester` at once) and delivers the
//! redirect to Outbound's loopback listener, or fills the device flow's forms.

mod oidc;
mod sandbox;
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

use oidc::{Browser, issuer, with_param};
use outbound::core::directory::UserDirectory;
use outbound::core::oauth::{self, Client, OauthError};
use outbound::core::profile::{AuthMethod, Security};
use outbound::core::secret::Secret;
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::Scope;
use sandbox::Sandbox;
use serde_json::Value;
use support::{Peer, smtp_profile};

fn client() -> Client {
    let issuer = issuer();
    Client {
        client_id: "outbound-test".to_owned(),
        client_secret: None,
        auth_url: format!("{issuer}/auth"),
        token_url: format!("{issuer}/token"),
        device_url: Some(format!("{issuer}/device/auth")),
        scopes: vec!["openid".to_owned(), "offline_access".to_owned()],
    }
}

/// Signs in in the "browser" on its own thread; `tamper` may change the redirect.
async fn browser_sign_in(
    tamper: impl Fn(String) -> String + Send + 'static,
) -> Result<oauth::Tokens, OauthError> {
    let client = client();
    oauth::sign_in_browser(
        &client,
        move |url| {
            let url = url.to_owned();
            std::thread::spawn(move || {
                let redirect = tamper(Browser::new().authorize(&url));
                assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
                let _ = Browser::new().get(&redirect);
            });
            Ok(())
        },
        |_, _| {},
    )
    .await
}

#[tokio::test]
async fn browser_sign_in_with_pkce_gives_access_and_refresh_tokens() {
    let tokens = browser_sign_in(|redirect| {
        assert!(redirect.contains("state="), "{redirect}");
        // RFC 9207: oidc-provider names itself in the answer.
        assert!(redirect.contains("iss="), "{redirect}");
        redirect
    })
    .await
    .unwrap();
    assert!(!tokens.access.is_empty());
    assert!(tokens.refresh.as_ref().is_some_and(|r| !r.is_empty()));
    assert!(tokens.fresh());
}

#[tokio::test]
async fn a_redirect_with_another_state_is_refused() {
    let result = browser_sign_in(|redirect| with_param(&redirect, "state", "forged")).await;
    assert!(
        matches!(result, Err(OauthError::StateMismatch)),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_redirect_from_another_issuer_is_refused() {
    let result =
        browser_sign_in(|redirect| with_param(&redirect, "iss", "https://evil.example")).await;
    assert!(
        matches!(&result, Err(OauthError::IssuerMismatch { found }) if found == "https://evil.example"),
        "{result:?}"
    );
}

#[tokio::test]
async fn cancel_during_the_wait_closes_the_listener() {
    let client = client();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut flow = Box::pin(oauth::sign_in_browser(
        &client,
        |_| Ok(()),
        move |url, _| {
            let _ = tx.send(url.to_owned());
        },
    ));
    let url = tokio::select! {
        result = &mut flow => panic!("finished without a browser: {result:?}"),
        url = rx => url.unwrap(),
    };
    let parsed = url::Url::parse(&url).unwrap();
    let redirect = parsed
        .query_pairs()
        .find(|(n, _)| n == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let port = url::Url::parse(&redirect).unwrap().port().unwrap();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "listening while it waits"
    );
    // Cancel: the window's Cancel and Ctrl+C drop the sign-in.
    drop(flow);
    let refused = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn a_token_from_elsewhere_goes_in_with_token_env() {
    let tokens = browser_sign_in(|redirect| redirect).await.unwrap();
    let peer = Peer::start_with(
        "none",
        None,
        "not-used",
        &[
            "--oauth-introspect",
            &format!("{}/token/introspection", issuer()),
        ],
    );
    let sandbox = Sandbox::new();
    let port = peer.port.to_string();
    for auth in ["oauthbearer", "xoauth2"] {
        let output = sandbox
            .cmd()
            .args([
                "check",
                "--host",
                "127.0.0.1",
                "--port",
                &port,
                "--security",
                "none",
            ])
            .args([
                "--auth",
                auth,
                "--user",
                support::USER,
                "--token-env",
                "OB_TOKEN",
                "--json",
            ])
            .env("OB_TOKEN", tokens.access.expose())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["diagnosis"]["code"], "ok", "{text}");
        assert!(text.contains(&auth.to_uppercase()), "{text}");
        assert!(!text.contains(tokens.access.expose()), "{text}");
    }
}

// --- The command line, end to end -------------------------------------------

const NAME_PREFIX: &str = "oauth";

fn setup(auth: AuthMethod) -> (Sandbox, String, Peer) {
    setup_over(auth, "none", None)
}

/// As [`setup`], the peer speaking `mode` with `cert` (the profile accepts it
/// without checking: the test's own authority).
fn setup_over(
    auth: AuthMethod,
    mode: &str,
    cert: Option<&support::certs::Files>,
) -> (Sandbox, String, Peer) {
    sandbox::require_private_keyring();
    let peer = oidc::introspecting_peer(mode, cert);
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(oidc::provider("oauth-test", peer.port, true))
        .unwrap();
    let security = match mode {
        "none" => Security::None,
        "starttls" => Security::Starttls,
        _ => Security::Tls,
    };
    let mut profile = smtp_profile(peer.port, security, auth);
    profile.smtp.accept_invalid_certs = cert.is_some();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    profile.name = format!("{NAME_PREFIX}_{}_{n}", std::process::id());
    sandbox.store().save(&profile).unwrap();
    let name = profile.name.clone();
    (sandbox, name, peer)
}

/// Runs `outbound profile sign-in NAME ARGS`, handing the URL it prints to `browse`.
fn sign_in(sandbox: &Sandbox, name: &str, args: &[&str], browse: impl FnOnce(&str)) -> Output {
    let mut child = sandbox
        .cmd()
        .args(["profile", "sign-in", name])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    browse(line.trim());
    child.wait_with_output().unwrap()
}

fn browse_and_redirect(url: &str) {
    let redirect = Browser::new().authorize(url);
    Browser::new().get(&redirect);
}

async fn stored(sandbox: &Sandbox, name: &str) -> Option<Value> {
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, name).oauth();
    Secrets::connect()
        .await
        .get(&key)
        .await
        .unwrap()
        .map(|s| serde_json::from_str(s.expose()).unwrap())
}

async fn store_raw(sandbox: &Sandbox, name: &str, value: &Value) {
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, name).oauth();
    Secrets::connect()
        .await
        .set(&key, &Secret::from(value.to_string()))
        .await
        .unwrap();
}

fn check(sandbox: &Sandbox, name: &str) -> (Value, String) {
    let output = sandbox.run(&["check", "--profile", name, "--json"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let json =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (json, text)
}

fn no_token_anywhere(sandbox: &Sandbox, output: &str, tokens: &[&str]) {
    let mut files = Vec::new();
    collect(sandbox.dir.path(), &mut files);
    assert!(!files.is_empty());
    for token in tokens {
        assert!(!output.contains(token), "a token in the output: {output}");
        for (path, bytes) in &files {
            assert!(
                !String::from_utf8_lossy(bytes).contains(token),
                "a token in {}",
                path.display()
            );
        }
    }
}

fn collect(dir: &std::path::Path, files: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            files.push((path, bytes));
        }
    }
}

#[tokio::test]
async fn signed_in_profile_checks_refreshes_and_signs_out() {
    let (sandbox, name, _peer) = setup(AuthMethod::Xoauth2);
    let output = sign_in(&sandbox, &name, &["--no-browser"], browse_and_redirect);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tokens = stored(&sandbox, &name)
        .await
        .expect("tokens in the keyring");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    // XOAUTH2 with the token the server issued; the peer asks the server.
    let (json, text) = check(&sandbox, &name);
    assert_eq!(json["diagnosis"]["code"], "ok", "{text}");
    assert!(text.contains("XOAUTH2"), "{text}");
    // The auth step names the mechanism and the account, never the token.
    let auth = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["name"] == "auth")
        .unwrap_or_else(|| panic!("no auth step: {text}"));
    let detail = auth["detail"].as_str().unwrap();
    assert!(
        detail.starts_with(&format!("XOAUTH2 ({}): 235", support::USER)),
        "{detail}"
    );
    assert_eq!(auth["args"]["account"], support::USER, "{text}");
    assert!(!detail.contains(&access), "{detail}");
    // An export of the profile carries no token either.
    let export = sandbox.path("export.toml");
    let exported = sandbox.run(&["profile", "export", &name, "-o", export.to_str().unwrap()]);
    assert_eq!(exported.status.code(), Some(0));
    no_token_anywhere(&sandbox, &text, &[&access, &refresh]);

    // Expired: refreshed before use, the new token stored and accepted.
    let mut expired = tokens.clone();
    expired["expires_at"] = Value::from(0);
    store_raw(&sandbox, &name, &expired).await;
    let (json, text) = check(&sandbox, &name);
    assert_eq!(json["diagnosis"]["code"], "ok", "{text}");
    let renewed = stored(&sandbox, &name).await.unwrap();
    let new_access = renewed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new_access, access, "refreshed");
    assert!(renewed["expires_at"].as_u64().unwrap() > 0);
    no_token_anywhere(&sandbox, &text, &[&new_access, &refresh]);

    // The refresh token revoked at the server: a refused refresh is the
    // diagnosis oauth_sign_in_required, not a silent failure.
    let revoked = ureq::post(&format!("{}/token/revocation", issuer()))
        .send_form([("token", refresh.as_str()), ("client_id", "outbound-test")])
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    let mut expired = renewed.clone();
    expired["expires_at"] = Value::from(0);
    store_raw(&sandbox, &name, &expired).await;
    let (json, text) = check(&sandbox, &name);
    assert_eq!(
        json["diagnosis"]["code"], "oauth_sign_in_required",
        "{text}"
    );
    assert!(text.contains("sign-in"), "{text}");

    let output = sandbox.run(&["profile", "sign-out", &name]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stored(&sandbox, &name).await.is_none(),
        "sign-out removes the tokens"
    );
}

#[tokio::test]
async fn device_sign_in_honours_slow_down_and_checks_over_oauthbearer() {
    let (sandbox, name, _peer) = setup(AuthMethod::Oauthbearer);
    // The peer answers the first poll with slow_down and refuses a poll that
    // comes sooner than the interval + 5 s after it.
    let output = sign_in(&sandbox, &name, &["--device"], |url| {
        assert!(url.contains("user_code="), "{url}");
        Browser::new().approve_device(url);
    });
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("enter the code"), "{stderr}");
    let tokens = stored(&sandbox, &name)
        .await
        .expect("tokens in the keyring");
    let access = tokens["access_token"].as_str().unwrap().to_owned();

    let (json, text) = check(&sandbox, &name);
    assert_eq!(json["diagnosis"]["code"], "ok", "{text}");
    assert!(text.contains("OAUTHBEARER"), "{text}");
    no_token_anywhere(&sandbox, &text, &[&access]);
    let _ = sandbox.run(&["profile", "sign-out", &name]);
}

/// `auto` of a signed-in profile picks XOAUTH2 when the server offers it
/// (over TLS: a bearer token is as reusable as a password).
#[tokio::test]
async fn auto_uses_the_token_when_signed_in_and_offered() {
    let authority = support::certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let (sandbox, name, _peer) = setup_over(AuthMethod::Auto, "starttls", Some(&cert));
    let output = sign_in(&sandbox, &name, &["--no-browser"], browse_and_redirect);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tokens = stored(&sandbox, &name)
        .await
        .expect("tokens in the keyring");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let (json, text) = check(&sandbox, &name);
    let _ = sandbox.run(&["profile", "sign-out", &name]);
    assert_eq!(json["diagnosis"]["code"], "ok", "{text}");
    let auth = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["name"] == "auth")
        .unwrap_or_else(|| panic!("no auth step: {text}"));
    assert_eq!(auth["args"]["mechanism"], "XOAUTH2", "{text}");
    no_token_anywhere(&sandbox, &text, &[&access]);
}

#[test]
fn the_peer_refuses_a_token_the_server_did_not_issue() {
    refused_over(AuthMethod::Xoauth2);
    // OAUTHBEARER's error comes as a challenge the client must end with %x01.
    refused_over(AuthMethod::Oauthbearer);
}

fn refused_over(auth: AuthMethod) {
    let (sandbox, name, _peer) = setup(auth);
    // Not signed in: the keyring password is sent as the token, as before.
    let saved = sandbox
        .cmd()
        .args([
            "profile",
            "set-password",
            &name,
            "--password-env",
            "OB_TOKEN",
        ])
        .env("OB_TOKEN", "made-up-token")
        .output()
        .unwrap();
    assert_eq!(saved.status.code(), Some(0));
    let (json, text) = check(&sandbox, &name);
    let _ = sandbox.run(&["profile", "clear-password", &name]);
    assert_eq!(json["diagnosis"]["code"], "auth_failed", "{text}");
    // The server's own refusal, not a complaint about how AUTH was ended.
    assert!(text.contains("535"), "{text}");
    assert!(!text.contains("made-up-token"), "{text}");
}

/// `outbound send` and the queue's flush log in as the check does: a
/// signed-in profile sends its access token (refreshed when expired), not
/// the keyring password (issue 12: "the password or OAuth2 token from the
/// keyring").
#[tokio::test]
async fn send_and_the_queue_flush_use_the_signed_in_token() {
    let (sandbox, name, peer) = setup(AuthMethod::Xoauth2);
    let output = sign_in(&sandbox, &name, &["--no-browser"], browse_and_redirect);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A password in the keyring too: sent as the bearer token, the peer
    // would refuse it.
    let saved = sandbox
        .cmd()
        .args(["profile", "set-password", &name, "--password-env", "OB_PW"])
        .env("OB_PW", "the-keyring-password")
        .output()
        .unwrap();
    assert_eq!(saved.status.code(), Some(0));
    let message = "To: ann@example.net\nSubject: report\n\nbody\n";
    let text = |output: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };

    let sent = sandbox.send(&["-t", "--profile", &name], message);
    assert_eq!(sent.status.code(), Some(0), "{}", text(&sent));
    assert_eq!(peer.messages().len(), 1, "{}", text(&sent));

    // Queued now, flushed with an expired token: refreshed, then sent.
    let queued = sandbox.send(&["-t", "--queue", "--profile", &name], message);
    assert_eq!(queued.status.code(), Some(0), "{}", text(&queued));
    let mut expired = stored(&sandbox, &name).await.unwrap();
    let access = expired["access_token"].as_str().unwrap().to_owned();
    expired["expires_at"] = Value::from(0);
    store_raw(&sandbox, &name, &expired).await;
    let flushed = sandbox.run(&["queue", "flush", "--json"]);
    assert_eq!(flushed.status.code(), Some(0), "{}", text(&flushed));
    assert_eq!(peer.messages().len(), 2, "{}", text(&flushed));
    let renewed = stored(&sandbox, &name).await.unwrap();
    let new_access = renewed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new_access, access, "refreshed before the flush");
    let outputs = format!("{}{}{}", text(&sent), text(&queued), text(&flushed));
    no_token_anywhere(&sandbox, &outputs, &[&access, &new_access]);

    // The sign-in revoked: `send` says so and exits 77 (as a refused AUTH),
    // naming the sign-in.
    let refresh = renewed["refresh_token"].as_str().unwrap().to_owned();
    let revoked = ureq::post(&format!("{}/token/revocation", issuer()))
        .send_form([("token", refresh.as_str()), ("client_id", "outbound-test")])
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    let mut expired = renewed.clone();
    expired["expires_at"] = Value::from(0);
    store_raw(&sandbox, &name, &expired).await;
    let refused = sandbox.send(&["-t", "--profile", &name], message);
    let _ = sandbox.run(&["profile", "sign-out", &name]);
    let _ = sandbox.run(&["profile", "clear-password", &name]);
    assert_eq!(refused.status.code(), Some(77), "{}", text(&refused));
    assert!(text(&refused).contains("sign"), "{}", text(&refused));
    assert_eq!(peer.messages().len(), 2);
}
