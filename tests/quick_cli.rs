//! `outbound test ADDRESS` (the quick test) against the session's Postfix and
//! Dovecot: a user directory entry for `outbound.test` points Detect at the
//! stack, whose authority is trusted by `SSL_CERT_FILE`. The right password:
//! both checks ok, exit 0; a wrong one: `auth_failed` on both, exit 1; bad
//! usage: exit 2 with the one JSON object; Ctrl+C: `cancelled`, exit 130; no
//! password in any output; nothing written to the configuration folder.
//!
//! Users: u48, u49 (no other test binary takes them).

mod sandbox;
mod support;

use std::io::Read;
use std::net::TcpListener;
use std::process::{Output, Stdio};
use std::sync::mpsc;

use outbound::core::directory::UserDirectory;
use sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;
use support::mailstack::stack;

/// A sandbox whose user directory knows `outbound.test` as the stack.
fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(stack().provider())
        .unwrap();
    sandbox
}

/// `outbound test ADDRESS ARGS` with the password in `OB_PW`; the password
/// is in neither stream.
fn test(sandbox: &Sandbox, address: &str, password: &str, args: &[&str]) -> Output {
    let output = sandbox
        .cmd()
        .env("SSL_CERT_FILE", stack().ca_pem())
        .env("OB_PW", password)
        .args(["test", address, "--password-env", "OB_PW"])
        .args(args)
        .output()
        .unwrap();
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains(password), "{all}");
    output
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {} stderr {}", stdout(output), stderr(output)))
}

#[test]
fn the_right_password_passes_both_checks_and_writes_nothing() {
    let sandbox = sandbox();
    let before = sandbox.snapshot();
    let user = stack().user(48);
    let output = test(&sandbox, &user.address, &user.password, &[]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    // The settings found, then each side's steps and its diagnosis.
    assert!(text.contains("Settings for u48@outbound.test"), "{text}");
    let port = format!("127.0.0.1:{} starttls", stack().submission_port);
    assert!(text.contains(&port), "{text}");
    assert!(text.contains("SMTP  ok"), "{text}");
    assert!(text.contains("IMAP  ok"), "{text}");
    assert!(text.contains("Outgoing (SMTP):"), "{text}");
    assert!(text.contains("[ok]"), "{text}");
    assert_eq!(sandbox.snapshot(), before, "the quick test wrote a file");

    let output = test(&sandbox, &user.address, &user.password, &["--json"]);
    assert_eq!(output.status.code(), Some(0));
    let value = json(&output);
    assert_eq!(value["ok"], true);
    assert_eq!(value["settings"]["source"], "user_directory");
    assert_eq!(value["settings"]["smtp"]["username"], "u48@outbound.test");
    assert_eq!(value["smtp"]["diagnosis"]["code"], "ok");
    assert_eq!(value["imap"]["diagnosis"]["code"], "ok");
    let steps: Vec<&str> = value["imap"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(steps.contains(&"login"), "{steps:?}");

    // --no-imap: only the outgoing side.
    let output = test(
        &sandbox,
        &user.address,
        &user.password,
        &["--json", "--no-imap"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(json(&output)["imap"], Value::Null);
    assert_eq!(sandbox.snapshot(), before, "the quick test wrote a file");
}

#[test]
fn a_wrong_password_fails_both_with_auth_failed() {
    let sandbox = sandbox();
    let user = stack().user(49);
    let output = test(&sandbox, &user.address, "not-the-password-49", &["--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let value = json(&output);
    assert_eq!(value["ok"], false);
    assert_eq!(value["smtp"]["diagnosis"]["code"], "auth_failed");
    assert_eq!(value["imap"]["diagnosis"]["code"], "auth_failed");

    let output = test(&sandbox, &user.address, "not-the-password-49", &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_eq!(text.matches("[auth_failed]").count(), 2, "{text}");
}

#[test]
fn bad_usage_is_exit_2_with_one_json_object() {
    let sandbox = sandbox();
    let output = test(&sandbox, "not-an-address", "pw-xyz", &["--json"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["error"]["code"], "bad_address");

    // No password given.
    let output = sandbox
        .cmd()
        .args(["test", "u48@outbound.test", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["error"]["code"], "bad_usage");

    // clap's own usage errors give the object too.
    let output = sandbox
        .cmd()
        .args(["test", "u48@outbound.test", "--json", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["error"]["code"], "bad_usage");
}

/// A server that accepts one connection and never speaks; it tells when the
/// client connected and when the client closed the connection.
fn silent_server() -> (u16, mpsc::Receiver<&'static str>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (events, received) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        events.send("connected").unwrap();
        let mut buffer = [0u8; 256];
        while socket.read(&mut buffer).is_ok_and(|n| n > 0) {}
        let _ = events.send("closed");
    });
    (port, received)
}

/// Ctrl+C while the outgoing check waits for a greeting that never comes:
/// the connection is closed, the diagnosis is `cancelled`, exit 130.
#[test]
fn ctrl_c_ends_the_test_with_cancelled_and_status_130() {
    for json in [true, false] {
        let sandbox = Sandbox::new();
        let (port, events) = silent_server();
        let mut provider = stack().provider();
        provider.smtp.port = port;
        provider.smtp.security = outbound::core::profile::Security::None;
        provider.imap = None;
        UserDirectory::new(&sandbox.paths())
            .upsert(provider)
            .unwrap();
        let mut command = sandbox.cmd();
        command
            .env("OB_PW", "pw-silent")
            .args(["test", "u48@outbound.test", "--password-env", "OB_PW"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if json {
            command.arg("--json");
        }
        let child = command.spawn().unwrap();
        assert_eq!(events.recv().unwrap(), "connected");
        rustix::process::kill_process(
            rustix::process::Pid::from_child(&child),
            rustix::process::Signal::INT,
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(events.recv().unwrap(), "closed");
        assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
        let text = stdout(&out);
        if json {
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(value["ok"], false);
            assert_eq!(value["smtp"]["diagnosis"]["code"], "cancelled");
            assert_eq!(value["imap"], Value::Null);
        } else {
            assert!(text.contains("SMTP  ok"), "{text}");
            assert!(text.contains("[cancelled]"), "{text}");
        }
    }
}
