//! OAuth 2.0 sign-in (issue 13) against real mail servers: the session's
//! Postfix submission, whose SASL is Dovecot's, and Dovecot's IMAP, both taking
//! XOAUTH2 and OAUTHBEARER through Dovecot's `passdb oauth2`, which asks the
//! OAuth peer's introspection endpoint (tests/peers/oidc, oidc-provider)
//! whether a token is active and whose it is (tests/peers/mailstack). The
//! browser is tests/oidc's HTTP client; the sign-in picks the mail stack's user
//! by `login_hint` (the OAuth peer signs in the user it names).
//!
//! Users: u20..u29 (no other test binary takes them; u20 is the OAuth peer's
//! account `tester`, which the device flow signs in).

// Its aiosmtpd helper is not used here.
#[allow(dead_code)]
mod oidc;
mod sandbox;
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

use oidc::{Browser, issuer, with_param};
use outbound::core::directory::{Provider, Server, UserDirectory};
use outbound::core::profile::{AuthMethod, ImapAuth, Security};
use outbound::core::secret::Secret;
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::Scope;
use sandbox::{Sandbox, require_private_keyring};
use serde_json::Value;
use support::mailstack::{Account, stack};
use support::smtp_profile;

/// The mail stack as a directory entry signing in at the OAuth peer:
/// submission with STARTTLS, IMAP with implicit TLS.
fn provider() -> Provider {
    let mail = stack();
    let mut provider = oidc::provider("oauth-stack", mail.submission_port, true);
    provider.smtp = Server {
        host: "127.0.0.1".to_owned(),
        port: mail.submission_port,
        security: Security::Starttls,
    };
    provider.imap = Some(Server {
        host: "127.0.0.1".to_owned(),
        port: mail.imaps_port,
        security: Security::Tls,
    });
    provider
}

/// A sandbox whose profile `dove_uNN` sends as `user` through Postfix
/// submission (STARTTLS) with `smtp`, and reads its mailbox by IMAP (implicit
/// TLS) with `imap`; its provider signs in at the OAuth peer.
fn setup(user: &Account, smtp: AuthMethod, imap: ImapAuth) -> (Sandbox, String) {
    require_private_keyring();
    let mail = stack();
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(provider())
        .unwrap();
    let mut profile = smtp_profile(mail.submission_port, Security::Starttls, smtp);
    profile.name = format!("dove_{}", user.address.split('@').next().unwrap());
    profile.smtp.username = user.login.clone();
    profile.smtp.timeout_secs = 30;
    profile.sender.address = user.address.clone();
    profile.imap.host = "127.0.0.1".into();
    profile.imap.port = mail.imaps_port;
    profile.imap.security = Security::Tls;
    profile.imap.auth = imap;
    sandbox.save(&profile);
    (sandbox, profile.name)
}

/// `outbound ARGS` trusting the stack's authority.
fn outbound(sandbox: &Sandbox, args: &[&str]) -> Output {
    sandbox
        .cmd()
        .env("SSL_CERT_FILE", stack().ca_pem())
        .args(args)
        .output()
        .unwrap()
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

/// The authorization URL with `login_hint` (the OAuth peer signs in that user).
fn for_user(url: &str, user: &Account) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    parsed
        .query_pairs_mut()
        .append_pair("login_hint", &user.address);
    parsed.to_string()
}

/// Signs `name` in as `user` in the browser; the tokens it stored.
async fn signed_in(sandbox: &Sandbox, name: &str, user: &Account) -> Value {
    let output = sign_in(sandbox, name, &["--no-browser"], |url| {
        let redirect = Browser::new().authorize(&for_user(url, user));
        Browser::new().get(&redirect);
    });
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stored(sandbox, name).await.expect("tokens in the keyring")
}

fn key(sandbox: &Sandbox, name: &str) -> SecretKey {
    SecretKey::profile(&sandbox.paths(), Scope::User, name).oauth()
}

async fn stored(sandbox: &Sandbox, name: &str) -> Option<Value> {
    Secrets::connect()
        .await
        .get(&key(sandbox, name))
        .await
        .unwrap()
        .map(|s| serde_json::from_str(s.expose()).unwrap())
}

async fn store_raw(sandbox: &Sandbox, name: &str, value: &Value) {
    Secrets::connect()
        .await
        .set(&key(sandbox, name), &Secret::from(value.to_string()))
        .await
        .unwrap();
}

/// The stored tokens with the access token's expiry in the past.
async fn expire(sandbox: &Sandbox, name: &str) {
    let mut tokens = stored(sandbox, name).await.unwrap();
    tokens["expires_at"] = Value::from(0);
    store_raw(sandbox, name, &tokens).await;
}

fn field(tokens: &Value, name: &str) -> String {
    tokens[name].as_str().unwrap().to_owned()
}

/// `outbound check --profile NAME [--imap] --json`: its JSON and all it printed.
fn check(sandbox: &Sandbox, name: &str, imap: bool) -> (Value, String) {
    let mut args = vec!["check", "--profile", name, "--json"];
    if imap {
        args.push("--imap");
    }
    let output = outbound(sandbox, &args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}\n{}", stack().log_tail(20)));
    (json, text)
}

/// The step `name` of a check's JSON.
fn step<'a>(json: &'a Value, name: &str, text: &str) -> &'a Value {
    json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["name"] == name)
        .unwrap_or_else(|| panic!("no {name} step: {text}"))
}

fn assert_ok(json: &Value, text: &str) {
    assert_eq!(
        json["diagnosis"]["code"],
        "ok",
        "{text}\n{}",
        stack().log_tail(20)
    );
}

/// None of `tokens` in the output nor in any file of the sandbox (profiles,
/// the check log, exports).
fn no_token_anywhere(sandbox: &Sandbox, output: &str, tokens: &[&str]) {
    let files = sandbox.snapshot();
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

/// XOAUTH2 over Postfix submission and IMAP with the issued token; an expired
/// access token refreshed before use and accepted by Dovecot; a revoked
/// refresh token: `oauth_sign_in_required` on both sides.
#[tokio::test]
async fn xoauth2_through_postfix_and_imap_refreshes_and_asks_to_sign_in_again() {
    // u21
    let user = stack().user(21);
    let (sandbox, name) = setup(&user, AuthMethod::Xoauth2, ImapAuth::Auto);
    let tokens = signed_in(&sandbox, &name, &user).await;
    let access = field(&tokens, "access_token");
    let refresh = field(&tokens, "refresh_token");

    let (json, text) = check(&sandbox, &name, false);
    assert_ok(&json, &text);
    let auth = step(&json, "auth", &text);
    let detail = auth["detail"].as_str().unwrap();
    // Postfix's answer to the token Dovecot found active for this user.
    assert!(
        detail.starts_with(&format!("XOAUTH2 ({}): 235", user.login)),
        "{detail}"
    );
    // The IMAP check: `auto` of a signed-in profile is XOAUTH2 over TLS.
    let (json, imap_text) = check(&sandbox, &name, true);
    assert_ok(&json, &imap_text);
    assert_eq!(
        step(&json, "login", &imap_text)["args"]["mechanism"],
        "XOAUTH2",
        "{imap_text}"
    );
    assert!(
        imap_text.contains("AUTHENTICATE XOAUTH2 <redacted>"),
        "{imap_text}"
    );
    let export = sandbox.path("export.toml");
    let exported = sandbox.run(&["profile", "export", &name, "-o", export.to_str().unwrap()]);
    assert_eq!(exported.status.code(), Some(0));
    no_token_anywhere(
        &sandbox,
        &format!("{text}{imap_text}"),
        &[&access, &refresh],
    );

    // Expired: refreshed silently, and Dovecot takes the new token.
    expire(&sandbox, &name).await;
    let (json, text) = check(&sandbox, &name, false);
    assert_ok(&json, &text);
    let renewed = stored(&sandbox, &name).await.unwrap();
    let new_access = field(&renewed, "access_token");
    assert_ne!(new_access, access, "refreshed");
    // The same for the IMAP check alone.
    expire(&sandbox, &name).await;
    let (json, imap_text) = check(&sandbox, &name, true);
    assert_ok(&json, &imap_text);
    let newest = field(&stored(&sandbox, &name).await.unwrap(), "access_token");
    assert_ne!(newest, new_access, "refreshed for IMAP too");
    no_token_anywhere(
        &sandbox,
        &format!("{text}{imap_text}"),
        &[&new_access, &newest, &refresh],
    );

    // The refresh token revoked at the server: sign in again, on both sides.
    let revoked = ureq::post(&format!("{}/token/revocation", issuer()))
        .send_form([("token", refresh.as_str()), ("client_id", "outbound-test")])
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    for imap in [false, true] {
        expire(&sandbox, &name).await;
        let (json, text) = check(&sandbox, &name, imap);
        assert_eq!(
            json["diagnosis"]["code"], "oauth_sign_in_required",
            "imap {imap}: {text}"
        );
    }
    let _ = sandbox.run(&["profile", "sign-out", &name]);
}

/// The device flow (the OAuth peer answers `slow_down` first), then OAUTHBEARER
/// through Postfix and, chosen explicitly, through Dovecot's IMAP.
#[tokio::test]
async fn device_sign_in_then_oauthbearer_through_postfix_and_imap() {
    // u20: the device flow signs in the OAuth peer's account `tester`.
    let user = stack().user(20);
    let (sandbox, name) = setup(&user, AuthMethod::Oauthbearer, ImapAuth::Oauthbearer);
    let output = sign_in(&sandbox, &name, &["--device"], |url| {
        Browser::new().approve_device(url);
    });
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let tokens = stored(&sandbox, &name)
        .await
        .expect("tokens in the keyring");
    let access = field(&tokens, "access_token");

    let (json, text) = check(&sandbox, &name, false);
    assert_ok(&json, &text);
    let detail = step(&json, "auth", &text)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        detail.starts_with(&format!("OAUTHBEARER ({}): 235", user.login)),
        "{detail}"
    );
    let (json, imap_text) = check(&sandbox, &name, true);
    assert_ok(&json, &imap_text);
    assert_eq!(
        step(&json, "login", &imap_text)["args"]["mechanism"],
        "OAUTHBEARER",
        "{imap_text}"
    );
    no_token_anywhere(&sandbox, &format!("{text}{imap_text}"), &[&access]);
    let _ = sandbox.run(&["profile", "sign-out", &name]);
}

/// A token Dovecot does not take (one the server never issued; one issued to
/// another user): `auth_failed` with the server's own refusal, on SMTP (535)
/// and IMAP (AUTHENTICATIONFAILED), for both mechanisms.
#[tokio::test]
async fn a_token_dovecot_rejects_is_auth_failed() {
    // u22 (the profile), u23 (whose token it is)
    let user = stack().user(22);
    let other = stack().user(23);
    for (smtp, imap) in [
        (AuthMethod::Xoauth2, ImapAuth::Xoauth2),
        (AuthMethod::Oauthbearer, ImapAuth::Oauthbearer),
    ] {
        let (sandbox, name) = setup(&user, smtp, imap);
        // Not signed in: the keyring password goes as the token, as before.
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
        for over_imap in [false, true] {
            let (json, text) = check(&sandbox, &name, over_imap);
            assert_eq!(json["diagnosis"]["code"], "auth_failed", "{text}");
            let refusal = if over_imap {
                "AUTHENTICATIONFAILED"
            } else {
                "535"
            };
            assert!(text.contains(refusal), "{text}");
            assert!(!text.contains("made-up-token"), "{text}");
        }
        let _ = sandbox.run(&["profile", "clear-password", &name]);

        // Signed in, but as u23: Dovecot finds the token active for another user.
        let tokens = signed_in(&sandbox, &name, &other).await;
        let access = field(&tokens, "access_token");
        for over_imap in [false, true] {
            let (json, text) = check(&sandbox, &name, over_imap);
            assert_eq!(json["diagnosis"]["code"], "auth_failed", "{text}");
            no_token_anywhere(&sandbox, &text, &[&access]);
        }
        let _ = sandbox.run(&["profile", "sign-out", &name]);
    }
}

/// A redirect whose `state` is not the one sent is refused by the command
/// line's sign-in, and nothing is stored.
#[tokio::test]
async fn a_forged_state_stores_nothing() {
    // u24 (nothing is sent)
    let user = stack().user(24);
    let (sandbox, name) = setup(&user, AuthMethod::Xoauth2, ImapAuth::Auto);
    let output = sign_in(&sandbox, &name, &["--no-browser"], |url| {
        let redirect = Browser::new().authorize(&for_user(url, &user));
        Browser::new().get(&with_param(&redirect, "state", "forged"));
    });
    assert_ne!(output.status.code(), Some(0));
    assert!(stored(&sandbox, &name).await.is_none());
    let (json, text) = check(&sandbox, &name, false);
    // Not signed in and no password: Dovecot refuses the empty token.
    assert_eq!(json["diagnosis"]["code"], "auth_failed", "{text}");
}

/// `outbound roundtrip` of a signed-in profile: the token goes out through
/// Postfix and reads the mailbox through Dovecot's IMAP.
#[tokio::test]
async fn a_round_trip_signs_in_on_both_sides_with_the_token() {
    // u25
    let user = stack().user(25);
    stack().clear(&user.address);
    let (sandbox, name) = setup(&user, AuthMethod::Auto, ImapAuth::Auto);
    let tokens = signed_in(&sandbox, &name, &user).await;
    let access = field(&tokens, "access_token");
    let output = outbound(
        &sandbox,
        &["roundtrip", "--profile", &name, "--wait", "30", "--json"],
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {text}\n{}", stack().log_tail(20)));
    assert_eq!(
        json["diagnosis"]["code"],
        "ok",
        "{text}\n{}",
        stack().log_tail(20)
    );
    let mechanisms: Vec<String> = ["send", "receive"]
        .iter()
        .filter_map(|side| json[side]["steps"].as_array())
        .flatten()
        .filter(|s| s["name"] == "auth" || s["name"] == "login")
        .map(|s| {
            s["args"]["mechanism"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(mechanisms, ["XOAUTH2", "XOAUTH2"], "{text}");
    no_token_anywhere(&sandbox, &text, &[&access]);
    let _ = sandbox.run(&["profile", "sign-out", &name]);
}

/// The window's Incoming tab checks a signed-in profile with its token, as
/// `check --imap` does.
#[tokio::test]
async fn the_incoming_tab_of_a_signed_in_profile_logs_in_with_the_token() {
    use outbound::core::preferences::Preferences;
    use outbound::ui::app::{App, Message};
    use outbound::ui::pages::incoming;
    use sandbox::ui::{click, interact, send, settle};
    // u26
    let user = stack().user(26);
    let (sandbox, name) = setup(&user, AuthMethod::Xoauth2, ImapAuth::Auto);
    let tokens = signed_in(&sandbox, &name, &user).await;
    let access = field(&tokens, "access_token");
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    app.trust_roots(stack().ca_roots());
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    let id = app.editor().unwrap().id;
    send(&mut app, Message::Incoming(id, incoming::Message::Check)).await;
    let report = app
        .editor()
        .unwrap()
        .incoming
        .report()
        .expect("the check finished")
        .clone();
    let _ = sandbox.run(&["profile", "sign-out", &name]);
    assert_eq!(
        report.diagnosis.code,
        outbound::core::check::Code::Ok,
        "{:?}\n{}",
        report.steps,
        stack().log_tail(20)
    );
    let login = report
        .steps
        .iter()
        .find(|s| s.name.as_str() == "login")
        .expect("a login step");
    assert!(login.detail.contains("XOAUTH2"), "{}", login.detail);
    assert!(!login.detail.contains(&access));
}

/// The Check tab's round trip of a signed-in profile sends the token on
/// both sides, as `outbound roundtrip` does.
#[tokio::test]
async fn the_windows_round_trip_of_a_signed_in_profile_uses_the_token() {
    use outbound::core::preferences::Preferences;
    use outbound::ui::app::{App, Message};
    use outbound::ui::pages::check;
    use outbound::ui::pages::check::roundtrip;
    use sandbox::ui::{click, interact, send, settle};
    // u27
    let user = stack().user(27);
    stack().clear(&user.address);
    let (sandbox, name) = setup(&user, AuthMethod::Auto, ImapAuth::Auto);
    let _ = signed_in(&sandbox, &name, &user).await;
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    app.trust_roots(stack().ca_roots());
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    let id = app.editor().unwrap().id;
    send(
        &mut app,
        Message::Check(id, check::Message::RoundTrip(roundtrip::Message::Start)),
    )
    .await;
    let report = app
        .editor()
        .unwrap()
        .check
        .roundtrip
        .report()
        .expect("the round trip finished")
        .clone();
    let _ = sandbox.run(&["profile", "sign-out", &name]);
    assert_eq!(
        report.diagnosis.code,
        outbound::core::check::Code::Ok,
        "{:?}\n{}",
        report.steps(),
        stack().log_tail(20)
    );
    let mechanisms: Vec<String> = report
        .steps()
        .iter()
        .filter(|s| s.name.as_str() == "auth" || s.name.as_str() == "login")
        .filter_map(|s| s.args.iter().find(|(k, _)| *k == "mechanism"))
        .map(|(_, mechanism)| mechanism.clone())
        .collect();
    assert_eq!(mechanisms, ["XOAUTH2", "XOAUTH2"], "{:?}", report.steps());
}
