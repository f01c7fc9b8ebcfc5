//! `outbound check --imap` as a user runs it: the real binary against the
//! scripted IMAP server (tests/support/imap_fake.rs, which checks the password
//! it gets), ad-hoc flags and saved profiles with the password in the keyring
//! (the profile's own, or its separate IMAP one), JSON codes and exit statuses.

mod sandbox;
mod support;

use std::process::Output;

use outbound::core::profile::{ImapAuth, Security};
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::Scope;
use sandbox::{Sandbox, json, require_private_keyring};
use support::imap_fake::{Behaviour, FakeImap, Script};

/// The password the scripted server accepts.
const PASSWORD: &str = "fake-secret-Ω";

/// The scripted server on a runtime that lives as long as the test.
fn fake() -> (tokio::runtime::Runtime, u16) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeImap::start(Behaviour::Scripted(Script::default())));
    (runtime, fake.port)
}

fn check(sandbox: &Sandbox, args: &[&str], password: &str) -> Output {
    let output = sandbox
        .cmd()
        .arg("check")
        .arg("--imap")
        .args(args)
        .env("OB_TEST_PASSWORD", password)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.contains(PASSWORD), "{all}");
    output
}

fn ad_hoc(port: u16, extra: &[&str], password: &str) -> Output {
    let sandbox = Sandbox::new();
    let port = port.to_string();
    let mut args = vec![
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "none",
        "--user",
        "tester",
        "--password-env",
        "OB_TEST_PASSWORD",
        "--json",
    ];
    args.extend_from_slice(extra);
    check(&sandbox, &args, password)
}

#[test]
fn ad_hoc_imap_check_passes_with_json() {
    let (_runtime, port) = fake();
    let output = ad_hoc(port, &["--auth", "login"], PASSWORD);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let value = json(&output);
    assert_eq!(value["diagnosis"]["code"], "ok");
    let names: Vec<&str> = value["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "resolve",
            "connect",
            "tls",
            "greeting",
            "capability",
            "starttls",
            "capability_tls",
            "login",
            "select",
            "logout"
        ]
    );
    assert_eq!(value["server"]["imap"]["mailbox"]["exists"], 2);
    assert_eq!(value["server"]["imap"]["id"][0][1], "fake");
}

#[test]
fn wrong_password_and_bad_usage_have_their_exit_codes() {
    let (_runtime, port) = fake();
    let output = ad_hoc(port, &["--auth", "login"], "wrong");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["diagnosis"]["code"], "auth_failed");

    let output = ad_hoc(port, &["--auth", "none"], PASSWORD);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["diagnosis"]["code"], "cannot_start");

    // Auto without TLS does not send the password readable.
    let output = ad_hoc(port, &[], PASSWORD);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["diagnosis"]["code"], "plaintext_auth_refused");

    let output = ad_hoc(port, &["--auth", "login", "--folder", "Nope"], PASSWORD);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["diagnosis"]["code"], "mailbox_not_found");
    assert_eq!(value["diagnosis"]["args"]["name"], "Nope");
}

#[test]
fn a_saved_profile_uses_its_own_or_its_separate_imap_password() {
    require_private_keyring();
    let (runtime, port) = fake();
    let sandbox = Sandbox::new();
    let mut profile = outbound::core::profile::Profile::named("incoming");
    profile.smtp.host = "smtp.example.org".to_owned();
    profile.smtp.username = "tester".to_owned();
    profile.imap.host = "127.0.0.1".to_owned();
    profile.imap.port = port;
    profile.imap.security = Security::None;
    profile.imap.auth = ImapAuth::Login;
    sandbox.save(&profile);
    let set = sandbox
        .cmd()
        .args([
            "profile",
            "set-password",
            "incoming",
            "--password-env",
            "OB_TEST_PASSWORD",
        ])
        .env("OB_TEST_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let output = check(&sandbox, &["--profile", "incoming", "--json"], "");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    // With a separate IMAP password, the second entry is used: wrong until set.
    profile.imap.separate_password = true;
    sandbox.save(&profile);
    let output = check(&sandbox, &["--profile", "incoming", "--json"], "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["diagnosis"]["code"], "auth_failed");
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, "incoming").imap();
    runtime.block_on(async {
        let secrets = Secrets::connect().await;
        secrets.set(&key, &PASSWORD.into()).await.unwrap();
    });
    let output = check(&sandbox, &["--profile", "incoming", "--json"], "");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    runtime.block_on(async {
        let secrets = Secrets::connect().await;
        secrets.delete(&key).await.unwrap();
    });
}
