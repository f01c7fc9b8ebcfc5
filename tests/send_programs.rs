//! The machine's programs sending through `outbound send` into the real
//! Postfix + Dovecot of tests/session: PHP's mail(), bsd-mailx, cron's way
//! (`sendmail -t -i`), and a submission login from the keyring with DSN.
//! Each message must end in the user's Maildir with the right envelope
//! (Dovecot's Return-Path), Bcc gone and the profile's prefix applied.
//! Users u10–u19 are this file's.

mod sandbox;
mod support;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use outbound::core::preferences::{self, Preferences};
use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};
use sandbox::{Sandbox, stderr};
use support::mailstack::stack;

const WAIT: Duration = Duration::from_secs(30);

/// A profile relaying through the stack's plain port (no AUTH).
fn relay_profile(name: &str, address: &str) -> Profile {
    let mut profile = Profile::named(name);
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".into();
    profile.smtp.port = stack().relay_port;
    profile.smtp.security = Security::None;
    profile.smtp.auth = AuthMethod::None;
    profile.smtp.timeout_secs = 20;
    profile.sender.address = address.into();
    profile.subject_prefix = format!("[{name}]");
    profile
}

fn make_default(sandbox: &Sandbox, name: &str) {
    let preferences = Preferences {
        default_profile: name.into(),
        ..Preferences::default()
    };
    preferences::save(&sandbox.paths().config, &preferences).unwrap();
}

/// `sandbox/bin/sendmail`, a link to the built binary: argv[0] makes it `send`.
fn sendmail_link(sandbox: &Sandbox) -> PathBuf {
    let bin = sandbox.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let link = bin.join("sendmail");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_outbound"), &link).unwrap();
    }
    link
}

/// A command with the sandbox's environment (its folders, the language).
fn with_sandbox_env(sandbox: &Sandbox, program: impl Into<OsString>) -> Command {
    let mut command = Command::new(program.into());
    for (key, value) in sandbox.cmd().get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command
}

fn run(mut command: Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// The message's header block, unfolded.
fn head(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    let head = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or(&text)
        .split("\n\n")
        .next()
        .unwrap_or("")
        .to_owned();
    head.replace("\r\n", "\n")
        .replace("\n ", " ")
        .replace("\n\t", " ")
}

fn header(message: &[u8], name: &str) -> Option<String> {
    head(message).lines().find_map(|line| {
        let (field, value) = line.split_once(':')?;
        field
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

fn only_message(address: &str) -> Vec<u8> {
    let messages = stack().wait_for_messages(address, "INBOX", 1, WAIT);
    assert_eq!(messages.len(), 1, "{address}");
    messages.into_iter().next().unwrap()
}

fn assert_no_bcc(message: &[u8], hidden: &[&str]) {
    let head = head(message);
    assert!(!head.to_ascii_lowercase().contains("\nbcc:"), "{head}");
    for address in hidden {
        assert!(!head.contains(address), "{address} shows in:\n{head}");
    }
}

// u10 (To), u11 (Bcc)
#[test]
fn php_mail_through_sendmail_path_arrives_with_the_prefix_and_without_bcc() {
    let mail = stack();
    for n in [10, 11] {
        mail.clear(&mail.user(n).address);
    }
    let sandbox = Sandbox::new();
    sandbox.save(&relay_profile("web", "web@outbound.test"));
    let link = sendmail_link(&sandbox);
    let script = r#"exit(mail("u10@outbound.test", "Order 42", "Hello from PHP\n", "From: Shop <web@outbound.test>\r\nBcc: u11@outbound.test") ? 0 : 3);"#;
    let mut php = with_sandbox_env(&sandbox, "php");
    php.arg("-n")
        .arg("-d")
        .arg(format!("sendmail_path={} -t -i", link.display()))
        .arg("-r")
        .arg(script);
    let out = run(php, b"");
    assert!(out.status.success(), "php: {out:?}");
    for n in [10, 11] {
        let message = only_message(&mail.user(n).address);
        assert_eq!(
            header(&message, "Subject").as_deref(),
            Some("[web] Order 42")
        );
        assert_eq!(
            header(&message, "Return-Path").as_deref(),
            Some("<web@outbound.test>")
        );
        assert_eq!(
            header(&message, "From").as_deref(),
            Some("Shop <web@outbound.test>")
        );
        assert_no_bcc(&message, &["u11@"]);
        assert!(String::from_utf8_lossy(&message).contains("Hello from PHP"));
    }
}

// u12 (To), u13 (Cc), u14 (Bcc)
#[test]
fn bsd_mailx_with_outbound_as_its_sendmail_reaches_every_recipient_through_the_default_profile() {
    let mail = stack();
    for n in [12, 13, 14] {
        mail.clear(&mail.user(n).address);
    }
    let sandbox = Sandbox::new();
    sandbox.save(&relay_profile("ops", "ops@outbound.test"));
    make_default(&sandbox, "ops");
    let link = sendmail_link(&sandbox);
    let rc = sandbox.path("mailrc");
    std::fs::write(&rc, format!("set sendmail={}\n", link.display())).unwrap();
    let mut mailx = with_sandbox_env(&sandbox, "bsd-mailx");
    mailx
        .env("MAILRC", &rc)
        .env("HOME", sandbox.dir.path())
        .args([
            "-s",
            "disk almost full",
            "-c",
            "u13@outbound.test",
            "-b",
            "u14@outbound.test",
        ])
        .arg("u12@outbound.test");
    let out = run(mailx, "/var is 91% full\n".as_bytes());
    assert!(out.status.success(), "mailx: {out:?}");
    for n in [12, 13, 14] {
        let message = only_message(&mail.user(n).address);
        assert_eq!(
            header(&message, "Subject").as_deref(),
            Some("[ops] disk almost full")
        );
        assert_eq!(
            header(&message, "Return-Path").as_deref(),
            Some("<ops@outbound.test>")
        );
        assert_eq!(
            header(&message, "From").as_deref(),
            Some("<ops@outbound.test>")
        );
        assert!(header(&message, "Message-ID").is_some() && header(&message, "Date").is_some());
        assert_no_bcc(&message, &["u14@"]);
    }
}

// u15
#[test]
fn crons_way_sendmail_t_i_with_an_eight_bit_body_keeps_it_whole_over_bdat() {
    let mail = stack();
    let to = mail.user(15).address;
    mail.clear(&to);
    let sandbox = Sandbox::new();
    sandbox.save(&relay_profile("cron", "cron@outbound.test"));
    make_default(&sandbox, "cron");
    let link = sendmail_link(&sandbox);
    let body = "Резервная копия готова ✓\n";
    let message = format!(
        "From: root (Cron Daemon)\nTo: {to}\nSubject: Cron <root@host> backup\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\nX-Cron-Env: <SHELL=/bin/sh>\n\n{body}"
    );
    let mut cron = with_sandbox_env(&sandbox, &link);
    // The conversation (redacted) on stderr, to see how the message went.
    cron.env("OUTBOUND_LOG", "outbound::send=debug")
        .args(["-t", "-i"]);
    let out = run(cron, message.as_bytes());
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    let got = only_message(&to);
    assert_eq!(
        header(&got, "Return-Path").as_deref(),
        Some("<cron@outbound.test>")
    );
    assert_eq!(
        header(&got, "Subject").as_deref(),
        Some("[cron] Cron <root@host> backup")
    );
    assert!(
        String::from_utf8_lossy(&got).contains(body.trim_end()),
        "8-bit body kept"
    );
}

// u16 (sender, gets the DSN), u17 (To)
#[test]
fn submission_with_starttls_and_the_keyring_password_and_a_delivery_notification() {
    sandbox::require_private_keyring();
    let mail = stack();
    let (sender, to) = (mail.user(16), mail.user(17));
    mail.clear(&sender.address);
    mail.clear(&to.address);
    let sandbox = Sandbox::new();
    let mut profile = relay_profile("sub", &sender.address);
    profile.smtp.port = mail.submission_port;
    profile.smtp.security = Security::Starttls;
    profile.smtp.auth = AuthMethod::Auto;
    profile.smtp.username = sender.login.clone();
    sandbox.save(&profile);
    let mut set = sandbox.cmd();
    set.args(["profile", "set-password", "sub", "--password-env", "OB_PW"])
        .env("OB_PW", &sender.password);
    let out = set.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut send = sandbox.cmd();
    send.env("SSL_CERT_FILE", mail.ca_pem())
        .env("OUTBOUND_LOG", "outbound::send=debug")
        .args([
            "send",
            "-N",
            "success",
            "-R",
            "hdrs",
            "-f",
            &sender.address,
            "-t",
        ]);
    let out = run(
        send,
        format!("To: {}\nSubject: signed in\n\nhello\n", to.address).as_bytes(),
    );
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        !log.contains(&sender.password),
        "no password in the log: {log}"
    );
    let got = only_message(&to.address);
    assert_eq!(header(&got, "Subject").as_deref(), Some("[sub] signed in"));
    assert_eq!(
        header(&got, "Return-Path").as_deref(),
        Some(format!("<{}>", sender.address).as_str())
    );
    // NOTIFY=SUCCESS: Postfix reports the delivery to the envelope sender.
    let reports = mail.wait_for_messages(&sender.address, "INBOX", 1, WAIT);
    let report = String::from_utf8_lossy(&reports[0]).to_ascii_lowercase();
    assert!(
        report.contains("delivery-status") || report.contains("delivered"),
        "{report}"
    );
}
