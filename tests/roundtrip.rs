//! The round trip through the session's real Postfix (submission, SASL by
//! Dovecot) and Dovecot (LMTP into Maildirs, IMAP): a message that arrives in
//! the INBOX and is deleted afterwards, one that lands in Junk (kept), one
//! sent to another domain that Postfix discards (`not_delivered`), and a
//! round trip dropped during its wait. No secret in any JSON or transcript.
//!
//! Users: u40..u44 (no other test binary takes them).

mod support;

use std::time::Duration;

use outbound::core::check::{Code, Progress};
use outbound::core::profile::{AuthMethod, ImapAuth, Profile, Security};
use outbound::core::roundtrip::{self, Cleanup, Options, Report};
use support::mailstack::{Account, stack};
use support::smtp_profile;

fn profile(user: &Account) -> Profile {
    let mail = stack();
    let mut profile = smtp_profile(mail.submission_port, Security::Starttls, AuthMethod::Plain);
    profile.name = "trip".into();
    profile.smtp.username = user.login.clone();
    profile.smtp.timeout_secs = 30;
    profile.sender.address = user.address.clone();
    profile.imap.host = "127.0.0.1".into();
    profile.imap.port = mail.imaps_port;
    profile.imap.security = Security::Tls;
    profile.imap.auth = ImapAuth::Plain;
    profile
}

fn options(user: &Account, to: Option<String>, wait: Duration, keep: bool) -> Options {
    Options {
        to,
        wait,
        keep,
        smtp_password: Some(user.password.as_str().into()),
        imap_password: Some(user.password.as_str().into()),
        extra_roots: stack().ca_roots(),
        progress: Progress::none(),
        ..Options::default()
    }
}

/// The whole report as JSON and every transcript line: no password in it.
fn assert_no_secret(report: &Report, user: &Account) {
    let json = report.to_json().to_string();
    assert!(!json.contains(&user.password), "{json}");
    for side in [&report.send, &report.receive].into_iter().flatten() {
        let text = outbound::core::check::transcript::render(&side.transcript);
        assert!(!text.contains(&user.password), "{text}");
    }
}

fn explain(report: &Report) -> String {
    let mut out = format!("{:?}\n", report.diagnosis);
    for side in [&report.send, &report.receive].into_iter().flatten() {
        out.push_str(&outbound::core::check::transcript::render(&side.transcript));
    }
    out.push_str(&stack().log_tail(20));
    out
}

fn step_names(report: &Report) -> Vec<String> {
    report
        .steps()
        .iter()
        .map(|s| format!("{}:{}", s.name.as_str(), s.status.as_str()))
        .collect()
}

#[tokio::test]
async fn a_message_that_arrives_in_the_inbox_is_reported_and_deleted() {
    let mail = stack();
    let user = mail.user(40);
    mail.clear(&user.address);
    let report = roundtrip::run(
        &profile(&user),
        None,
        options(&user, None, Duration::from_secs(60), false),
    )
    .await;
    assert_eq!(report.diagnosis.code, Code::Ok, "{}", explain(&report));
    assert_eq!(report.folder.as_deref(), Some("INBOX"));
    assert!(!report.spam);
    assert_eq!(report.to, user.address);
    assert!(report.token.starts_with("OB-"));
    assert!(report.submitted_at.is_some() && report.arrived_at.is_some());
    assert!(report.delay_ms.is_some());
    // Postfix's submission hop and Dovecot's LMTP hop, earliest first.
    assert!(report.hops.len() >= 2, "{:?}", report.hops);
    assert!(
        report
            .hops
            .iter()
            .any(|h| h.with.as_deref() == Some("LMTP")),
        "{:?}",
        report.hops
    );
    assert!(
        report.hops.iter().all(|h| h.at.is_some()),
        "{:?}",
        report.hops
    );
    let names = step_names(&report);
    for step in [
        "login:ok",
        "select:ok",
        "folders:ok",
        "data:ok",
        "wait:ok",
        "fetch:ok",
        "delete:ok",
    ] {
        assert!(names.iter().any(|n| n == step), "{step} in {names:?}");
    }
    assert_eq!(report.cleanup, Cleanup::Deleted);
    assert!(
        mail.messages(&user.address, "INBOX").is_empty(),
        "the test message was not deleted"
    );
    let json = report.to_json();
    assert_eq!(json["diagnosis"]["code"], "ok");
    assert_eq!(json["folder"], "INBOX");
    assert!(json["hops"].as_array().is_some_and(|h| h.len() >= 2));
    assert_no_secret(&report, &user);
}

#[tokio::test]
async fn a_message_that_lands_in_junk_is_delivered_to_spam_and_kept_with_keep() {
    let mail = stack();
    let user = mail.user(41);
    mail.clear(&user.address);
    let to = user.address.replace('@', "+Junk@");
    let report = roundtrip::run(
        &profile(&user),
        None,
        options(&user, Some(to.clone()), Duration::from_secs(60), true),
    )
    .await;
    assert_eq!(
        report.diagnosis.code,
        Code::DeliveredToSpam,
        "{}",
        explain(&report)
    );
    assert_eq!(report.folder.as_deref(), Some("Junk"));
    assert!(report.spam);
    assert_eq!(report.to, to);
    assert!(report.diagnosis.message().contains("Junk"));
    assert_eq!(report.cleanup, Cleanup::Kept);
    let kept = mail.messages(&user.address, "Junk");
    assert_eq!(kept.len(), 1, "--keep leaves the message");
    assert!(String::from_utf8_lossy(&kept[0]).contains(&report.token));
    assert_eq!(report.to_json()["diagnosis"]["code"], "delivered_to_spam");
    assert_no_secret(&report, &user);
    mail.clear(&user.address);
}

#[tokio::test]
async fn a_message_to_another_domain_is_discarded_and_not_delivered_within_the_wait() {
    let mail = stack();
    let user = mail.user(42);
    mail.clear(&user.address);
    let report = roundtrip::run(
        &profile(&user),
        None,
        options(
            &user,
            Some("nobody@elsewhere.example".into()),
            Duration::from_secs(4),
            false,
        ),
    )
    .await;
    assert_eq!(
        report.diagnosis.code,
        Code::NotDelivered,
        "{}",
        explain(&report)
    );
    assert!(
        report.send.as_ref().is_some_and(|s| s.sent),
        "Postfix took it"
    );
    assert_eq!(report.folder, None);
    assert_eq!(report.cleanup, Cleanup::Nothing);
    let names = step_names(&report);
    assert!(names.iter().any(|n| n == "wait:failed"), "{names:?}");
    assert!(names.iter().any(|n| n == "logout:ok"), "{names:?}");
    assert_eq!(report.to_json()["diagnosis"]["code"], "not_delivered");
    assert_no_secret(&report, &user);
}

#[tokio::test]
async fn a_wrong_password_sends_nothing() {
    let mail = stack();
    let user = mail.user(43);
    mail.clear(&user.address);
    let mut options = options(&user, None, Duration::from_secs(5), false);
    options.imap_password = Some("wrong-password".into());
    let report = roundtrip::run(&profile(&user), None, options).await;
    assert_eq!(
        report.diagnosis.code,
        Code::AuthFailed,
        "{}",
        explain(&report)
    );
    assert!(
        report.send.is_none(),
        "nothing is sent when the mailbox cannot be read"
    );
    assert!(mail.messages(&user.address, "INBOX").is_empty());
}

#[tokio::test]
async fn dropping_the_round_trip_during_its_wait_stops_it() {
    let mail = stack();
    let user = mail.user(44);
    mail.clear(&user.address);
    let (progress, mut steps) = Progress::channel();
    let mut options = options(
        &user,
        Some("nobody@elsewhere.example".into()),
        Duration::from_secs(120),
        false,
    );
    options.progress = progress;
    let profile = profile(&user);
    // Boxed, so that `drop` below drops the future itself.
    let mut trip = Box::pin(roundtrip::run(&profile, None, options));
    // Until the message is handed over: the round trip then waits.
    loop {
        tokio::select! {
            Some(step) = steps.recv() => {
                if step.name.as_str() == "quit" {
                    break;
                }
            }
            report = &mut trip => panic!("ended before waiting: {}", explain(&report)),
        }
    }
    // Still waiting a while later (the limit is 120 s).
    let waited = tokio::time::timeout(Duration::from_secs(3), &mut trip).await;
    assert!(waited.is_err(), "the round trip ended by itself");
    drop(trip);
    // Dropped: its progress sender is gone with it, nothing is sent later.
    let rest = tokio::time::timeout(Duration::from_secs(5), async {
        while steps.recv().await.is_some() {}
    })
    .await;
    assert!(rest.is_ok(), "the dropped round trip still runs");
}
