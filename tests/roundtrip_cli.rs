//! `outbound roundtrip --profile NAME` as a user runs it: the real binary with a
//! saved profile whose password is in the (private) keyring, through the
//! session's Postfix and Dovecot (tests/support/mailstack.rs). The text result
//! and exit 0; `--json` with its stable codes and no password anywhere; the
//! message deleted by default and left with `--keep`; `not_delivered` (exit 1)
//! for a domain Postfix discards; Ctrl+C during the wait: `cancelled`, exit 130.
//!
//! Users: u50..u54 (no other test binary takes them).

mod sandbox;
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use outbound::core::profile::{AuthMethod, ImapAuth, Profile, Security};
use sandbox::{Sandbox, require_private_keyring, stderr, stdout};
use serde_json::Value;
use support::mailstack::{Account, stack};
use support::smtp_profile;

/// The profile's name for `user`: keyring entries are named by profile, not
/// by folder, so tests running at the same time each need their own.
fn name(user: &Account) -> String {
    format!("trip_{}", user.address.split('@').next().unwrap())
}

/// A sandbox with profile `trip_uNN` for `user`: submission with STARTTLS, IMAP
/// with implicit TLS, the user's password in the keyring.
fn sandbox_for(user: &Account) -> Sandbox {
    sandbox_with(user, &name(user), &user.password)
}

/// The same with profile `name` and `password` in the keyring.
fn sandbox_with(user: &Account, name: &str, password: &str) -> Sandbox {
    require_private_keyring();
    let mail = stack();
    let sandbox = Sandbox::new();
    let mut profile: Profile =
        smtp_profile(mail.submission_port, Security::Starttls, AuthMethod::Plain);
    profile.name = name.to_owned();
    profile.smtp.username = user.login.clone();
    profile.smtp.timeout_secs = 30;
    profile.sender.address = user.address.clone();
    profile.imap.host = "127.0.0.1".into();
    profile.imap.port = mail.imaps_port;
    profile.imap.security = Security::Tls;
    profile.imap.auth = ImapAuth::Plain;
    sandbox.save(&profile);
    let set = sandbox
        .cmd()
        .args(["profile", "set-password", name, "--password-env", "OB_PW"])
        .env("OB_PW", password)
        .output()
        .unwrap();
    assert!(set.status.success(), "{}", stderr(&set));
    sandbox
}

/// `outbound roundtrip --profile trip_uNN ARGS`, trusting the stack's authority.
fn roundtrip(sandbox: &Sandbox, user: &Account, args: &[&str]) -> Command {
    let mut command = sandbox.cmd();
    command
        .env("SSL_CERT_FILE", stack().ca_pem())
        .args(["roundtrip", "--profile", &name(user)])
        .args(args);
    command
}

/// Runs it to its end; the password is in neither stream.
fn run(sandbox: &Sandbox, user: &Account, args: &[&str]) -> Output {
    let output = roundtrip(sandbox, user, args).output().unwrap();
    assert_no_password(&output, user);
    output
}

fn assert_no_password(output: &Output, user: &Account) {
    let all = format!("{}{}", stdout(output), stderr(output));
    assert!(!all.contains(&user.password), "{all}");
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}\n{}",
            stdout(output),
            stderr(output),
            stack().log_tail(20)
        )
    })
}

fn explain(output: &Output) -> String {
    format!(
        "{:?}\nstdout {}\nstderr {}\n{}",
        output.status,
        stdout(output),
        stderr(output),
        stack().log_tail(20)
    )
}

/// Every step's `name:status`, sending side then receiving side.
fn steps(value: &Value) -> Vec<String> {
    ["send", "receive"]
        .iter()
        .filter_map(|side| value[side]["steps"].as_array())
        .flatten()
        .map(|s| {
            format!(
                "{}:{}",
                s["name"].as_str().unwrap(),
                s["status"].as_str().unwrap()
            )
        })
        .collect()
}

fn contains_token(messages: &[Vec<u8>], token: &str) -> bool {
    messages
        .iter()
        .any(|m| String::from_utf8_lossy(m).contains(token))
}

#[test]
fn a_round_trip_that_arrives_prints_its_result_and_exits_0() {
    let mail = stack();
    let user = mail.user(50);
    mail.clear(&user.address);
    let sandbox = sandbox_for(&user);
    let output = run(&sandbox, &user, &["--wait", "60"]);
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    let text = stdout(&output);
    // Each step as it finishes, then the summary.
    for step in ["login", "select", "data", "quit", "wait", "fetch", "delete"] {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().nth(1) == Some(step)),
            "{step}: {text}"
        );
    }
    assert!(
        text.contains(&format!("Sent to {} with token OB-", user.address)),
        "{text}"
    );
    assert!(text.contains("Arrived in INBOX after "), "{text}");
    assert!(text.contains("hop 1: "), "{text}");
    assert!(text.contains("[ok]"), "{text}");
    assert!(mail.messages(&user.address, "INBOX").is_empty());
}

#[test]
fn a_refused_login_sends_nothing_and_does_not_say_sent() {
    let mail = stack();
    // Its own profile name (the keyring is shared with the other tests); the
    // login fails before anything reaches the mailbox.
    let user = mail.user(54);
    let sandbox = sandbox_with(&user, "trip_refused_login", "not-the-password");
    let output = sandbox
        .cmd()
        .env("SSL_CERT_FILE", mail.ca_pem())
        .args([
            "roundtrip",
            "--profile",
            "trip_refused_login",
            "--wait",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", explain(&output));
    let text = stdout(&output);
    assert!(text.contains("[auth_failed]"), "{text}");
    assert!(!text.contains("Sent to"), "{text}");
}

#[test]
fn json_has_the_stable_codes_and_the_message_is_deleted_by_default() {
    let mail = stack();
    let user = mail.user(51);
    mail.clear(&user.address);
    let sandbox = sandbox_for(&user);
    let output = run(&sandbox, &user, &["--wait", "60", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    let value = json(&output);
    assert_eq!(value["ok"], true);
    assert_eq!(value["diagnosis"]["code"], "ok");
    assert_eq!(value["folder"], "INBOX");
    assert_eq!(value["spam"], false);
    assert_eq!(value["to"], user.address.as_str());
    assert_eq!(value["cleanup"], "deleted");
    let token = value["token"].as_str().unwrap();
    assert!(token.starts_with("OB-"), "{token}");
    assert!(value["submitted_at"].is_string() && value["arrived_at"].is_string());
    assert!(value["delay_ms"].is_u64());
    let hops = value["hops"].as_array().unwrap();
    assert!(hops.len() >= 2, "{hops:?}");
    assert!(hops.iter().any(|h| h["with"] == "LMTP"), "{hops:?}");
    let names = steps(&value);
    for step in [
        "auth:ok",
        "data:ok",
        "quit:ok",
        "login:ok",
        "select:ok",
        "folders:ok",
        "wait:ok",
        "fetch:ok",
        "delete:ok",
        "logout:ok",
    ] {
        assert!(names.iter().any(|n| n == step), "{step} in {names:?}");
    }
    assert!(
        !contains_token(&mail.messages(&user.address, "INBOX"), token),
        "the test message was not deleted"
    );
}

#[test]
fn keep_leaves_the_message_in_the_mailbox() {
    let mail = stack();
    let user = mail.user(52);
    mail.clear(&user.address);
    let sandbox = sandbox_for(&user);
    let output = run(&sandbox, &user, &["--wait", "60", "--keep", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    let value = json(&output);
    assert_eq!(value["cleanup"], "kept");
    let names = steps(&value);
    assert!(!names.iter().any(|n| n.starts_with("delete:")), "{names:?}");
    let token = value["token"].as_str().unwrap();
    let inbox = mail.messages(&user.address, "INBOX");
    assert_eq!(inbox.len(), 1);
    assert!(contains_token(&inbox, token));
    mail.clear(&user.address);
}

#[test]
fn a_message_postfix_discards_is_not_delivered_with_exit_1() {
    let mail = stack();
    let user = mail.user(53);
    mail.clear(&user.address);
    let sandbox = sandbox_for(&user);
    let output = run(
        &sandbox,
        &user,
        &["--to", "nobody@elsewhere.example", "--wait", "3", "--json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", explain(&output));
    let value = json(&output);
    assert_eq!(value["ok"], false);
    assert_eq!(value["diagnosis"]["code"], "not_delivered");
    assert_eq!(
        value["diagnosis"]["args"]["address"],
        "nobody@elsewhere.example"
    );
    assert_eq!(value["diagnosis"]["args"]["seconds"], "3");
    assert_eq!(value["folder"], Value::Null);
    assert_eq!(value["cleanup"], "nothing");
    let names = steps(&value);
    assert!(names.iter().any(|n| n == "data:ok"), "{names:?}");
    assert!(names.iter().any(|n| n == "wait:failed"), "{names:?}");

    // The same as text: the stable code in brackets and a hint.
    let output = run(
        &sandbox,
        &user,
        &["--to", "nobody@elsewhere.example", "--wait", "3"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", explain(&output));
    let text = stdout(&output);
    assert!(text.contains("[not_delivered]"), "{text}");
    assert!(text.contains("within 3 seconds"), "{text}");
}

fn interrupt(child: &std::process::Child) {
    rustix::process::kill_process(
        rustix::process::Pid::from_child(child),
        rustix::process::Signal::INT,
    )
    .unwrap();
}

/// Waits until Postfix's log shows it handed a message to `recipient` (the
/// discard transport): the round trip has sent its message and waits.
fn wait_for_discard(recipient: &str) {
    let log = stack().dir.join("postfix.log");
    let wanted = format!("to=<{recipient}>");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&log).is_ok_and(|text| text.contains(&wanted)) {
        assert!(
            Instant::now() < deadline,
            "Postfix never took the message to {recipient}\n{}",
            stack().log_tail(30)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Ctrl+C while the round trip waits for a message that never comes: both
/// connections close, the diagnosis is `cancelled` (text and JSON), exit 130.
#[test]
fn ctrl_c_during_the_wait_ends_with_cancelled_and_status_130() {
    let mail = stack();
    let user = mail.user(54);
    mail.clear(&user.address);
    let sandbox = sandbox_for(&user);

    // As text, each step is printed as it finishes: after `quit` it waits.
    let mut child = roundtrip(
        &sandbox,
        &user,
        &["--to", "nobody@elsewhere.example", "--wait", "600"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("ended before waiting: {seen}"))
            .unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.split_whitespace().nth(1) == Some("quit") {
            break;
        }
    }
    interrupt(&child);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", explain(&output));
    let text = rest.join("\n");
    assert!(text.contains("[cancelled]"), "{seen}{text}");
    assert!(
        !text.contains("[not_delivered]") && !text.lines().any(|l| l.contains(" wait ")),
        "{text}"
    );

    // As JSON: one object with the steps that finished before Ctrl+C.
    let recipient = format!("nobody.{}@elsewhere.example", std::process::id());
    let child = roundtrip(
        &sandbox,
        &user,
        &["--to", &recipient, "--wait", "600", "--json"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    wait_for_discard(&recipient);
    interrupt(&child);
    let output = child.wait_with_output().unwrap();
    assert_no_password(&output, &user);
    assert_eq!(output.status.code(), Some(130), "{}", explain(&output));
    let value = json(&output);
    assert_eq!(value["ok"], false);
    assert_eq!(value["diagnosis"]["code"], "cancelled");
    let names: Vec<&str> = value["send"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"data"), "{names:?}");
    assert!(!names.contains(&"wait"), "{names:?}");
}
