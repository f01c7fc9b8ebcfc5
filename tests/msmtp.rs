//! "Write an msmtp configuration" end to end: `outbound profile msmtprc`
//! writes the file, the real msmtp (Debian's package) sends with it to the
//! aiosmtpd peer, and the password reaches msmtp only through `passwordeval`
//! running `outbound profile password NAME` against the private keyring.

mod sandbox;
mod support;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use outbound::core::preferences::{self, Preferences};
use outbound::core::profile::{AuthMethod, Security};
use sandbox::{Sandbox, require_private_keyring, stderr, stdout};
use support::{Peer, USER, certs, smtp_profile};

/// A profile name no other test run uses in the shared keyring.
fn unique(base: &str) -> String {
    format!("{base}_{}", std::process::id())
}

/// Saves the profile, its password (through the command line, into the
/// keyring) and makes it the default profile.
fn prepared(sandbox: &Sandbox, profile: &outbound::core::profile::Profile, password: &str) {
    sandbox.save(profile);
    let mut child = sandbox
        .cmd()
        .args(["profile", "set-password", &profile.name, "--password-stdin"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(password.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let preferences = Preferences {
        default_profile: profile.name.clone(),
        ..Preferences::default()
    };
    preferences::save(&sandbox.paths().config, &preferences).unwrap();
}

/// The real msmtp with the sandbox's environment, so the `outbound` its
/// passwordeval runs sees the sandbox's profiles and the private keyring.
fn msmtp(sandbox: &Sandbox, args: &[&str], message: &str) -> Output {
    let probe = sandbox.cmd();
    let mut command = Command::new("msmtp");
    for (key, value) in probe.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("msmtp runs (Debian package msmtp, installed by tests/run)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn written_config(sandbox: &Sandbox, password: &str) -> std::path::PathBuf {
    let file = sandbox.path("msmtprc");
    let output = sandbox.run(&["profile", "msmtprc", "-o", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("Wrote an msmtp configuration with 1 account"),
        "{}",
        stderr(&output)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the configuration is the user's only");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(password), "no password in the file: {text}");
    assert!(text.contains("passwordeval"), "{text}");
    file
}

#[test]
fn msmtp_sends_with_the_written_configuration_and_the_keyring_password() {
    require_private_keyring();
    let password = "пароль msmtp \"1\"";
    let peer = Peer::start("none", None, password);
    let sandbox = Sandbox::new();
    let mut profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    profile.name = unique("msmtp_plain");
    prepared(&sandbox, &profile, password);

    // What passwordeval runs: the password and a line break, nothing else.
    let output = sandbox.run(&["profile", "password", &profile.name]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("{password}\n"));

    let file = written_config(&sandbox, password);
    // No --account: the default profile is msmtp's default account.
    let message = "Subject: through msmtp\r\n\r\nHello.\r\n";
    let output = msmtp(
        &sandbox,
        &["-C", file.to_str().unwrap(), "rcpt@example.org"],
        message,
    );
    assert!(
        output.status.success(),
        "msmtp failed: {}\n{}",
        stderr(&output),
        std::fs::read_to_string(&file).unwrap()
    );
    let received = peer.messages();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(
        received[0]["login"], USER,
        "msmtp logged in as the profile's user"
    );
    assert_eq!(received[0]["mail_from"], "sender@example.org");
    assert_eq!(received[0]["rcpt_tos"][0], "rcpt@example.org");
    assert!(
        received[0]["content"]
            .as_str()
            .unwrap()
            .contains("through msmtp")
    );
}

#[test]
fn msmtp_uses_starttls_and_cram_md5_of_a_named_account() {
    require_private_keyring();
    let password = "secret-cram";
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let peer = Peer::start("starttls", Some(&cert), password);
    let sandbox = Sandbox::new();
    let mut profile = smtp_profile(peer.port, Security::Starttls, AuthMethod::CramMd5);
    profile.name = unique("msmtp_cram");
    prepared(&sandbox, &profile, password);
    let file = written_config(&sandbox, password);
    let ca = sandbox.path("ca.pem");
    std::fs::write(&ca, authority.root_pem()).unwrap();
    let output = msmtp(
        &sandbox,
        &[
            "-C",
            file.to_str().unwrap(),
            "--account",
            &profile.name,
            &format!("--tls-trust-file={}", ca.display()),
            "rcpt@example.org",
        ],
        "Subject: starttls\r\n\r\nHello.\r\n",
    );
    assert!(output.status.success(), "msmtp failed: {}", stderr(&output));
    let received = peer.messages();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["login"], USER);

    // A wrong password in the keyring is what msmtp gets: the server refuses it.
    let mut child = sandbox
        .cmd()
        .args(["profile", "set-password", &profile.name, "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"wrong").unwrap();
    assert!(child.wait().unwrap().success());
    let output = msmtp(
        &sandbox,
        &[
            "-C",
            file.to_str().unwrap(),
            "--account",
            &profile.name,
            &format!("--tls-trust-file={}", ca.display()),
            "rcpt@example.org",
        ],
        "Subject: refused\r\n\r\nHello.\r\n",
    );
    assert!(!output.status.success(), "a wrong password must fail");
    assert_eq!(peer.messages().len(), 1);
}

#[test]
fn password_of_a_profile_without_one_prints_nothing() {
    require_private_keyring();
    let sandbox = Sandbox::new();
    let mut profile = smtp_profile(2525, Security::None, AuthMethod::Plain);
    profile.name = unique("msmtp_none");
    sandbox.save(&profile);
    let output = sandbox.run(&["profile", "password", &profile.name]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("No password of"),
        "{}",
        stderr(&output)
    );
    let output = sandbox.run(&["profile", "password", "no_such_profile"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
}
