//! The session's Postfix + Dovecot (tests/peers/mailstack) work as the other tests
//! expect, shown with the project's own check engine: submission with STARTTLS and
//! implicit TLS and every mechanism, AUTH required and a wrong password refused,
//! the relay port without AUTH, `+Junk` into Junk (seen over IMAP too), other
//! domains discarded without a bounce, the UTF-8 password.
//!
//! Users: u01..u05 and utf8 (no other test binary takes them).

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use outbound::core::check::smtp::{self, Options};
use outbound::core::check::{Code, Report};
use outbound::core::profile::{AuthMethod, Profile, Security};
use support::mailstack::{Account, MailStack, stack};
use support::{smtp_profile, steps, transcript_text};

/// Generous: two cores shared by parallel builds, and LMTP delivery is a queue run.
const ARRIVAL: Duration = Duration::from_secs(30);

fn profile(port: u16, security: Security, auth: AuthMethod, account: &Account) -> Profile {
    let mut profile = smtp_profile(port, security, auth);
    profile.smtp.username = account.login.clone();
    profile.smtp.timeout_secs = 30;
    profile.sender.address = account.address.clone();
    profile
}

async fn run(profile: &Profile, password: &str, to: &[&str]) -> Report {
    let options = Options {
        password: Some(password.into()),
        extra_roots: stack().ca_roots(),
        recipients: to.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    smtp::check(profile, options).await
}

fn assert_ok(report: &Report, what: &str) {
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{what}: {:?}\n{}\n{}",
        steps(report),
        transcript_text(report),
        stack().log_tail(20)
    );
}

/// Whether a stored file holds `needle` (a subject prefix, a header).
fn contains(message: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(message).contains(needle)
}

#[tokio::test]
async fn submission_with_starttls_and_every_mechanism_delivers_into_the_inbox() {
    let mail = stack();
    let user = mail.user(1);
    mail.clear(&user.address);
    let mechanisms = [AuthMethod::Plain, AuthMethod::Login, AuthMethod::CramMd5];
    for (i, auth) in mechanisms.into_iter().enumerate() {
        let mut profile = profile(mail.submission_port, Security::Starttls, auth, &user);
        profile.subject_prefix = format!("[stack-starttls-{i}]");
        let report = run(&profile, &user.password, &[&user.address]).await;
        assert_ok(&report, &format!("{auth:?}"));
        let auth_step = report.steps.iter().find(|s| s.name.as_str() == "auth");
        assert_eq!(
            auth_step.map(|s| s.status.as_str()),
            Some("ok"),
            "{auth:?}: {:?}",
            steps(&report)
        );
        // Postfix says who it is and that it offers what Dovecot does.
        let transcript = transcript_text(&report);
        assert!(transcript.contains("ESMTP Postfix"), "{transcript}");
        let messages = mail.wait_for_messages(&user.address, "INBOX", i + 1, ARRIVAL);
        let last = messages.last().unwrap();
        assert!(contains(last, &profile.subject_prefix), "{auth:?}");
        // Dovecot's LMTP wrote it: its Return-Path and Delivered-To.
        assert!(
            contains(last, "Delivered-To: u01@outbound.test"),
            "{auth:?}"
        );
        assert!(
            contains(last, "Return-Path: <u01@outbound.test>"),
            "{auth:?}"
        );
    }
    assert!(mail.messages(&user.address, "Junk").is_empty());
}

#[tokio::test]
async fn submissions_with_implicit_tls_delivers() {
    let mail = stack();
    let user = mail.user(5);
    mail.clear(&user.address);
    let mut profile = profile(
        mail.submissions_port,
        Security::Tls,
        AuthMethod::Plain,
        &user,
    );
    profile.subject_prefix = "[stack-implicit-tls]".to_owned();
    let report = run(&profile, &user.password, &[&user.address]).await;
    assert_ok(&report, "implicit TLS");
    let tls = report.steps.iter().find(|s| s.name.as_str() == "tls");
    assert_eq!(tls.map(|s| s.status.as_str()), Some("ok"));
    let messages = mail.wait_for_messages(&user.address, "INBOX", 1, ARRIVAL);
    assert!(contains(&messages[0], "[stack-implicit-tls]"));
}

#[tokio::test]
async fn a_wrong_password_and_no_auth_are_refused() {
    let mail = stack();
    let user = mail.user(3);
    mail.clear(&user.address);
    for (port, security) in [
        (mail.submission_port, Security::Starttls),
        (mail.submissions_port, Security::Tls),
    ] {
        for auth in [AuthMethod::Plain, AuthMethod::Login, AuthMethod::CramMd5] {
            let profile = profile(port, security, auth, &user);
            let report = run(&profile, "secret-u04", &[&user.address]).await;
            assert_eq!(
                report.diagnosis.code,
                Code::AuthFailed,
                "{security:?} {auth:?}: {}",
                transcript_text(&report)
            );
        }
        // Without AUTH the submission ports take no recipient, not even a local one
        // (554 5.7.1 Client host rejected, which the check reads as relay denied).
        let profile = profile(port, security, AuthMethod::None, &user);
        let report = run(&profile, "", &[&user.address]).await;
        assert_eq!(
            report.diagnosis.code,
            Code::RelayDenied,
            "{security:?}: {}",
            transcript_text(&report)
        );
    }
    assert!(mail.messages(&user.address, "INBOX").is_empty());
}

/// `postqueue -p` of the stack's Postfix.
fn queue(mail: &MailStack) -> String {
    let output = Command::new("/usr/sbin/postqueue")
        .arg("-c")
        .arg(mail.dir.join("postfix"))
        .arg("-p")
        .output()
        .expect("run postqueue");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Waits for Postfix's log line saying what became of `recipient`.
fn delivery_status(mail: &MailStack, recipient: &str) -> String {
    let wanted = format!("to=<{recipient}>");
    let deadline = Instant::now() + ARRIVAL;
    loop {
        let log = std::fs::read_to_string(mail.dir.join("postfix.log")).unwrap_or_default();
        if let Some(line) = log
            .lines()
            .find(|l| l.contains(&wanted) && l.contains("status="))
        {
            return line.to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no delivery status for {recipient}\n{}",
            mail.log_tail(30)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_relay_port_delivers_without_auth_and_discards_other_domains() {
    let mail = stack();
    let user = mail.user(4);
    mail.clear(&user.address);
    let mut profile = profile(mail.relay_port, Security::None, AuthMethod::None, &user);
    profile.subject_prefix = "[stack-relay]".to_owned();
    let report = run(&profile, "", &[&user.address]).await;
    assert_ok(&report, "relay");
    let messages = mail.wait_for_messages(&user.address, "INBOX", 1, ARRIVAL);
    assert!(contains(&messages[0], "[stack-relay]"));

    // Another domain: accepted, then discarded; a bounce would come back to u04.
    let elsewhere = "nobody-stack-discard@example.net";
    profile.subject_prefix = "[stack-discarded]".to_owned();
    let report = run(&profile, "", &[elsewhere]).await;
    assert_ok(&report, "discarded");
    let status = delivery_status(mail, elsewhere);
    assert!(
        status.contains("relay=none") && status.contains("status=sent"),
        "{status}"
    );
    // A later message arrives alone: no bounce before it, nothing left queued.
    profile.subject_prefix = "[stack-after-discard]".to_owned();
    assert_ok(&run(&profile, "", &[&user.address]).await, "after");
    let messages = mail.wait_for_messages(&user.address, "INBOX", 2, ARRIVAL);
    assert_eq!(messages.len(), 2, "a bounce arrived");
    assert!(contains(&messages[1], "[stack-after-discard]"));
    let queue = queue(mail);
    assert!(queue.contains("Mail queue is empty"), "{queue}");
    let everything = walk(&mail.dir.join("mail"));
    assert!(
        !everything.iter().any(|m| contains(m, "[stack-discarded]")),
        "the discarded message was stored"
    );
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
    out
}

/// IMAP through Python's imaplib (a client nobody here wrote): `mode` is
/// `starttls` or `tls`; prints the LIST reply and the Junk folder's message count.
fn imap(mail: &MailStack, mode: &str, account: &Account) -> String {
    let script = r#"
import imaplib, ssl, sys
mode, port, ca, user, password = sys.argv[1:]
context = ssl.create_default_context(cafile=ca)
if mode == "tls":
    imap = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=context)
else:
    imap = imaplib.IMAP4("127.0.0.1", int(port))
    imap.starttls(ssl_context=context)
imap.login(user, password)
typ, lines = imap.list()
for line in lines:
    print(line.decode())
typ, data = imap.select("Junk", readonly=True)
print("JUNK", data[0].decode())
imap.logout()
"#;
    let port = if mode == "tls" {
        mail.imaps_port
    } else {
        mail.imap_port
    };
    let output = Command::new(support::python())
        .args(["-c", script, mode, &port.to_string()])
        .arg(mail.ca_pem())
        .args([&account.login, &account.password])
        .output()
        .expect("run python (OUTBOUND_TEST_PYTHON)");
    assert!(
        output.status.success(),
        "imaplib {mode}: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        mail.log_tail(20)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn plus_junk_lands_in_the_junk_folder() {
    let mail = stack();
    let user = mail.user(2);
    mail.clear(&user.address);
    let mut profile = profile(
        mail.submission_port,
        Security::Starttls,
        AuthMethod::Plain,
        &user,
    );
    profile.subject_prefix = "[stack-junk]".to_owned();
    let report = run(&profile, &user.password, &["u02+Junk@outbound.test"]).await;
    assert_ok(&report, "+Junk");
    let junk = mail.wait_for_messages(&user.address, "Junk", 1, ARRIVAL);
    assert!(contains(&junk[0], "[stack-junk]"));
    assert!(mail.messages(&user.address, "INBOX").is_empty());
    // Over IMAP, STARTTLS and implicit TLS: Junk is the \Junk special-use folder
    // and holds the message.
    for mode in ["starttls", "tls"] {
        let out = imap(mail, mode, &user);
        assert!(
            out.lines()
                .any(|l| l.contains("\\Junk") && l.ends_with("Junk")),
            "{mode}: {out}"
        );
        assert!(out.contains("JUNK 1"), "{mode}: {out}");
    }
}

#[tokio::test]
async fn the_utf8_password_user_authenticates() {
    let mail = stack();
    let user = mail.utf8_user();
    mail.clear(&user.address);
    for auth in [AuthMethod::Plain, AuthMethod::Login, AuthMethod::CramMd5] {
        let profile = profile(mail.submission_port, Security::Starttls, auth, &user);
        let report = run(&profile, &user.password, &[]).await;
        assert_ok(&report, &format!("utf8 {auth:?}"));
        let wrong = run(&profile, "пароль-Çe-3", &[]).await;
        assert_eq!(wrong.diagnosis.code, Code::AuthFailed, "{auth:?}");
    }
    let mut profile = profile(
        mail.submissions_port,
        Security::Tls,
        AuthMethod::Plain,
        &user,
    );
    profile.subject_prefix = "[stack-utf8]".to_owned();
    assert_ok(
        &run(&profile, &user.password, &[&user.address]).await,
        "utf8 send",
    );
    let messages = mail.wait_for_messages(&user.address, "INBOX", 1, ARRIVAL);
    assert!(contains(&messages[0], "[stack-utf8]"));
}
