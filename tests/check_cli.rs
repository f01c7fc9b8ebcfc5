//! `outbound check` as a user runs it: the real binary against the aiosmtpd peer,
//! JSON parsed and checked (one object every time `--json` is given), exit
//! statuses 0 / 1 / 2, the profile's log and limit.

mod sandbox;
mod support;

use std::process::Output;

use outbound::core::profile::{AuthMethod, LogLevel, Security};
use sandbox::{Sandbox, json};
use serde_json::Value;
use support::{Peer, smtp_profile};

const PASSWORD: &str = "s3cret-pässword";

fn check(sandbox: &Sandbox, args: &[&str]) -> Output {
    sandbox
        .cmd()
        .arg("check")
        .args(args)
        .env("OB_TEST_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

#[test]
fn ad_hoc_check_sends_and_prints_json() {
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let port = peer.port.to_string();
    let output = check(
        &sandbox,
        &[
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--auth",
            "plain",
            "--user",
            support::USER,
            "--password-env",
            "OB_TEST_PASSWORD",
            "--from",
            "sender@example.org",
            "--to",
            "a@example.net,b@example.com",
            "--send",
            "--json",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = json(&output);
    assert_eq!(value["ok"], true);
    assert_eq!(value["diagnosis"]["code"], "ok");
    assert!(value["diagnosis"]["message"].as_str().unwrap().len() > 5);
    assert!(value["diagnosis"]["hint"].is_string());
    let names: Vec<&str> = value["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, support::EVERY_STEP);
    for step in value["steps"].as_array().unwrap() {
        assert!(
            step["elapsed_ms"].is_u64() && step["detail"].is_string() && step["status"].is_string()
        );
    }
    assert!(
        value["server"]["auth_mechanisms"]
            .as_array()
            .unwrap()
            .contains(&Value::from("CRAM-MD5"))
    );
    assert!(
        value["server"]["greeting"]
            .as_str()
            .unwrap()
            .contains("peer.test")
    );
    let transcript = value["transcript"].as_array().unwrap();
    assert!(
        transcript
            .iter()
            .any(|l| l["direction"] == "client" && l["text"] == "AUTH PLAIN <redacted>")
    );
    assert!(transcript.iter().all(|l| l["elapsed_ms"].is_u64()));
    assert!(!String::from_utf8_lossy(&output.stdout).contains(PASSWORD));
    assert_eq!(peer.messages().len(), 1);
}

#[test]
fn a_problem_exits_1_with_the_diagnosis() {
    let peer = Peer::start("none", None, "another password");
    let sandbox = Sandbox::new();
    let port = peer.port.to_string();
    let args = [
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "none",
        "--auth",
        "login",
        "--user",
        support::USER,
        "--password-env",
        "OB_TEST_PASSWORD",
    ];
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let output = check(&sandbox, &with_json);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["ok"], false);
    assert_eq!(value["diagnosis"]["code"], "auth_failed");

    // The same in text: the steps, the explanation and the hint.
    let output = check(&sandbox, &args);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("greeting") && text.contains("FAILED"),
        "{text}"
    );
    assert!(text.contains("wrong user name or password"), "{text}");
    assert!(text.contains("Hint: "), "{text}");
}

#[test]
fn bad_usage_exits_2() {
    let sandbox = Sandbox::new();
    for mut args in [
        vec![],
        vec!["--host", "127.0.0.1", "--port", "0"],
        vec!["--host", "127.0.0.1", "--security", "ssl"],
        vec!["--host", "127.0.0.1", "--timeout", "301"],
        vec!["--host", "127.0.0.1", "--send"],
        vec!["--host", "127.0.0.1", "--send", "--to", "a@example.net"],
        vec![
            "--host",
            "127.0.0.1",
            "--auth",
            "plain",
            "--password-env",
            "OB_TEST_UNSET_VARIABLE",
        ],
        vec!["--host", "h", "--sendmail", "/usr/sbin/sendmail"],
        vec!["--profile", "no_such_profile"],
        vec!["--host", "bad host!!"],
        vec!["--host", "127.0.0.1", "--auth", "bogus"],
    ] {
        let output = check(&sandbox, &args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.stderr.is_empty(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");

        // With --json: the message on stderr and the one object on stdout.
        args.push("--json");
        let output = check(&sandbox, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
        let value = json(&output);
        assert_eq!(value["ok"], false, "{args:?}");
        assert_eq!(value["diagnosis"]["code"], "cannot_start", "{args:?}");
        assert!(value["diagnosis"]["hint"].is_string());
        assert_eq!(value["steps"], Value::Array(Vec::new()), "{args:?}");
        assert_eq!(value["sent"], false);
        let message = value["diagnosis"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("The check could not start: "),
            "{message}"
        );
    }
    // The reason is in the message: which host, which profile, which value.
    for (args, named) in [
        (&["--host", "bad host!!", "--json"][..], "bad host!!"),
        (
            &["--profile", "no_such_profile", "--json"],
            "no_such_profile",
        ),
        (
            &["--host", "127.0.0.1", "--security", "ssl", "--json"],
            "ssl",
        ),
    ] {
        let message = json(&check(&sandbox, args))["diagnosis"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(named), "{args:?}: {message}");
    }
}

/// Without a reachable keyring a saved profile's check cannot read its
/// password: the one JSON object says so (`keyring_unavailable`), exit 1.
#[test]
fn no_keyring_still_gives_the_json_object() {
    let sandbox = Sandbox::new();
    let mut profile = smtp_profile(25, Security::None, AuthMethod::Plain);
    profile.name = "nokeyring".to_owned();
    sandbox.store().save(&profile).unwrap();
    let empty_runtime = sandbox.path("runtime");
    std::fs::create_dir_all(&empty_runtime).unwrap();
    let output = sandbox
        .cmd()
        .args(["check", "--profile", "nokeyring", "--json"])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &empty_runtime)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = json(&output);
    assert_eq!(value["diagnosis"]["code"], "keyring_unavailable");
    assert_eq!(value["sent"], false);
}

#[test]
fn sendmail_check_from_the_command_line() {
    let sandbox = Sandbox::new();
    let output = check(&sandbox, &["--sendmail", "/nonexistent/sendmail", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["diagnosis"]["code"], "sendmail_not_found");
    assert_eq!(value["steps"][0]["name"], "locate");
}

#[test]
fn a_saved_profile_logs_and_counts_against_its_daily_limit() {
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let mut profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    profile.name = "office".to_owned();
    profile.log.level = LogLevel::Full;
    profile.limits.daily = 1;
    profile.test.recipients = "a@example.net".to_owned();
    profile.test.send_message = true;
    sandbox.store().save(&profile).unwrap();

    let args = [
        "--profile",
        "office",
        "--password-env",
        "OB_TEST_PASSWORD",
        "--json",
    ];
    let output = check(&sandbox, &args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json(&output)["sent"], true);
    assert_eq!(peer.messages().len(), 1);

    let log = sandbox.paths().data.join("logs/office.log");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("profile=office result=ok"), "{logged}");
    assert!(logged.contains("AUTH PLAIN <redacted>"), "{logged}");
    assert!(!logged.contains(PASSWORD));

    // Over the limit, sending is refused with a clear message and nothing is
    // sent; the JSON object says so with its own code.
    let output = check(&sandbox, &args);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["ok"], false);
    assert_eq!(value["diagnosis"]["code"], "limit_reached");
    assert_eq!(value["sent"], false);
    assert_eq!(value["steps"], Value::Array(Vec::new()));
    let message = value["diagnosis"]["message"].as_str().unwrap();
    assert!(message.contains("daily limit of 1"), "{message}");
    assert_eq!(peer.messages().len(), 1);
    // In text, the same diagnosis and its hint. Without --json or --send it is
    // a send too: send_message is on in the profile.
    let output = check(
        &sandbox,
        &["--profile", "office", "--password-env", "OB_TEST_PASSWORD"],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "send_message is on in the profile, so this is a send too"
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("daily limit of 1") && text.contains("[limit_reached]"),
        "{text}"
    );
    assert!(text.contains("Hint: Nothing was sent."), "{text}");
    assert_eq!(peer.messages().len(), 1);
}

/// A saved profile's password comes from the keyring (needs the Secret Service
/// that `./tests/run` provides; fails without it).
#[test]
fn a_saved_profile_reads_its_password_from_the_keyring() {
    sandbox::require_private_keyring();
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let mut profile = smtp_profile(peer.port, Security::None, AuthMethod::CramMd5);
    profile.name = format!("keyring_check_{}", std::process::id());
    sandbox.store().save(&profile).unwrap();
    let name = profile.name.clone();
    let saved = sandbox
        .cmd()
        .args([
            "profile",
            "set-password",
            &name,
            "--password-env",
            "OB_TEST_PASSWORD",
        ])
        .env("OB_TEST_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert_eq!(
        saved.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let output = check(&sandbox, &["--profile", &name, "--json"]);
    let _ = sandbox
        .cmd()
        .args(["profile", "clear-password", &name])
        .output();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(json(&output)["diagnosis"]["code"], "ok");
}
