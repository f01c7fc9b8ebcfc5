//! The IMAP check against the real peer: Debian's Dovecot of the private mail
//! stack (tests/support/mailstack.rs, started by tests/session), on STARTTLS
//! and implicit TLS, with every mechanism, a wrong password, the UTF-8 user, a
//! folder that does not exist, mode mismatches and the quota (u39 has one). No
//! secret in any JSON or transcript. Users: u30..u39.

mod support;

use outbound::core::check::{Code, Report};
use outbound::core::imap::{self, Options};
use outbound::core::profile::{ImapAuth, Profile, Security};
use support::mailstack::stack;
use support::{steps, transcript_text};

fn profile(port: u16, security: Security, auth: ImapAuth, login: &str) -> Profile {
    let mut profile = Profile::named("dovecot");
    profile.smtp.username = login.to_owned();
    profile.smtp.timeout_secs = 10;
    profile.imap.host = "127.0.0.1".to_owned();
    profile.imap.port = port;
    profile.imap.security = security;
    profile.imap.auth = auth;
    profile
}

/// Runs the check trusting the stack's CA, and asserts the password shows
/// nowhere in the report (nor its base64 in a SASL payload).
async fn run(profile: &Profile, password: &str, trust: bool) -> Report {
    let options = Options {
        password: Some(password.into()),
        extra_roots: if trust {
            stack().ca_roots()
        } else {
            Vec::new()
        },
        ..Options::default()
    };
    let report = imap::check(profile, options).await;
    let json = report.to_json().to_string();
    assert!(!json.contains(password), "{json}");
    let plain = outbound::core::check::auth::plain(&profile.smtp.username, password);
    assert!(!json.contains(&plain), "{json}");
    report
}

fn status_of<'a>(report: &'a Report, step: &str) -> &'a str {
    report
        .steps
        .iter()
        .find(|s| s.name.as_str() == step)
        .map_or("missing", |s| s.status.as_str())
}

#[tokio::test]
async fn every_mode_and_mechanism_signs_in_and_selects() {
    // u30
    let user = stack().user(30);
    let modes = [
        (stack().imap_port, Security::Starttls),
        (stack().imaps_port, Security::Tls),
    ];
    let mechanisms = [
        (ImapAuth::Auto, "PLAIN"),
        (ImapAuth::Plain, "PLAIN"),
        (ImapAuth::Login, "LOGIN"),
        (ImapAuth::CramMd5, "CRAM-MD5"),
    ];
    for (port, security) in modes {
        for (auth, mechanism) in mechanisms {
            let profile = profile(port, security, auth, &user.login);
            let report = run(&profile, &user.password, true).await;
            let text = transcript_text(&report);
            assert_eq!(
                report.diagnosis.code,
                Code::Ok,
                "{security:?} {auth:?}: {:?}\n{text}",
                steps(&report)
            );
            let login = report
                .steps
                .iter()
                .find(|s| s.name.as_str() == "login")
                .unwrap();
            assert_eq!(login.args, [("mechanism", mechanism.to_owned())], "{text}");
            match security {
                Security::Tls => {
                    assert_eq!(status_of(&report, "tls"), "ok");
                    assert_eq!(status_of(&report, "starttls"), "skipped");
                }
                _ => {
                    assert_eq!(status_of(&report, "tls"), "skipped");
                    assert_eq!(status_of(&report, "starttls"), "ok");
                    assert_eq!(status_of(&report, "capability_tls"), "ok");
                }
            }
            assert_eq!(status_of(&report, "select"), "ok");
            assert_eq!(status_of(&report, "logout"), "ok");
            assert!(text.contains("<redacted>"), "{text}");
            let facts = report.server.imap.as_ref().unwrap();
            let mailbox = facts.mailbox.as_ref().unwrap();
            assert_eq!(mailbox.name, "INBOX");
            assert!(mailbox.uidvalidity.is_some(), "{text}");
            assert!(mailbox.exists.is_some(), "{text}");
            assert_eq!(report.server.mta.as_deref(), Some("dovecot"), "{text}");
            let tls = report.server.tls.as_ref().unwrap();
            assert!(tls.certificate.is_some());
        }
    }
}

#[tokio::test]
async fn a_wrong_password_is_auth_failed() {
    // u31
    let user = stack().user(31);
    for auth in [ImapAuth::Plain, ImapAuth::Login, ImapAuth::CramMd5] {
        let profile = profile(stack().imaps_port, Security::Tls, auth, &user.login);
        let report = run(&profile, "not-the-password", true).await;
        assert_eq!(
            report.diagnosis.code,
            Code::AuthFailed,
            "{auth:?}: {}",
            transcript_text(&report)
        );
        assert_eq!(status_of(&report, "login"), "failed");
        // The session still ends with LOGOUT.
        assert_eq!(status_of(&report, "logout"), "ok");
    }
}

#[tokio::test]
async fn the_utf8_user_signs_in_with_every_mechanism() {
    let user = stack().utf8_user();
    assert!(!user.password.is_ascii());
    for auth in [ImapAuth::Plain, ImapAuth::Login, ImapAuth::CramMd5] {
        let profile = profile(stack().imap_port, Security::Starttls, auth, &user.login);
        let report = run(&profile, &user.password, true).await;
        assert_eq!(
            report.diagnosis.code,
            Code::Ok,
            "{auth:?}: {}",
            transcript_text(&report)
        );
    }
}

#[tokio::test]
async fn a_folder_that_does_not_exist_is_mailbox_not_found() {
    // u32
    let user = stack().user(32);
    let mut profile = profile(
        stack().imaps_port,
        Security::Tls,
        ImapAuth::Auto,
        &user.login,
    );
    profile.imap.folder = "Does Not Exist".to_owned();
    let report = run(&profile, &user.password, true).await;
    assert_eq!(
        report.diagnosis.code,
        Code::MailboxNotFound,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(report.diagnosis.get("name"), Some("Does Not Exist"));
    assert_eq!(status_of(&report, "select"), "failed");
    // A non-ASCII folder name travels in modified UTF-7.
    profile.imap.folder = "Входящие".to_owned();
    let report = run(&profile, &user.password, true).await;
    assert_eq!(report.diagnosis.code, Code::MailboxNotFound);
    assert!(
        transcript_text(&report).contains("SELECT \"&BBIERQQ+BDQETwRJBDgENQ-\""),
        "{}",
        transcript_text(&report)
    );
}

#[tokio::test]
async fn mode_mismatches_and_an_untrusted_certificate_are_told() {
    // u33
    let user = stack().user(33);
    let tls_on_plain = profile(
        stack().imap_port,
        Security::Tls,
        ImapAuth::Auto,
        &user.login,
    );
    let report = run(&tls_on_plain, &user.password, true).await;
    assert_eq!(
        report.diagnosis.code,
        Code::TlsModeMismatch,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(report.diagnosis.get("security"), Some("starttls"));

    let plain_on_tls = profile(
        stack().imaps_port,
        Security::Starttls,
        ImapAuth::Auto,
        &user.login,
    );
    let report = run(&plain_on_tls, &user.password, true).await;
    assert_eq!(
        report.diagnosis.code,
        Code::TlsModeMismatch,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(report.diagnosis.get("security"), Some("tls"));

    let untrusted = profile(
        stack().imaps_port,
        Security::Tls,
        ImapAuth::Auto,
        &user.login,
    );
    let report = run(&untrusted, &user.password, false).await;
    assert_eq!(
        report.diagnosis.code,
        Code::CertificateUntrusted,
        "{}",
        transcript_text(&report)
    );
}

#[tokio::test]
async fn without_tls_auto_sends_no_readable_password() {
    // u34: Dovecot offers CRAM-MD5, which Auto uses on a plain connection;
    // asked for PLAIN explicitly it goes (Dovecot trusts loopback) with a warning.
    let user = stack().user(34);
    let auto = profile(
        stack().imap_port,
        Security::None,
        ImapAuth::Auto,
        &user.login,
    );
    let report = run(&auto, &user.password, true).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    let login = report
        .steps
        .iter()
        .find(|s| s.name.as_str() == "login")
        .unwrap();
    assert_eq!(login.args, [("mechanism", "CRAM-MD5".to_owned())]);
    assert_eq!(login.status.as_str(), "ok");
}

#[tokio::test]
async fn select_reports_the_quota_when_the_server_has_quota() {
    // u39 has Dovecot's quota plugins and a 1 MiB storage quota
    // (tests/peers/mailstack); u35 has neither, so no QUOTA is offered to it.
    let quota_user = stack().user(39);
    let profile_with = profile(
        stack().imaps_port,
        Security::Tls,
        ImapAuth::Plain,
        &quota_user.login,
    );
    let report = run(&profile_with, &quota_user.password, true).await;
    let text = transcript_text(&report);
    assert_eq!(report.diagnosis.code, Code::Ok, "{text}");
    let facts = report.server.imap.as_ref().unwrap();
    assert!(facts.has("QUOTA"), "{:?}\n{text}", facts.capabilities);
    let mailbox = facts.mailbox.as_ref().unwrap();
    assert_eq!(mailbox.quota_limit_kib, Some(1024), "{text}");
    assert!(
        mailbox.quota_used_kib.is_some_and(|used| used < 1024),
        "{text}"
    );
    let select = report
        .steps
        .iter()
        .find(|s| s.name.as_str() == "select")
        .unwrap();
    assert_eq!(select.code, "imap_selected_quota", "{text}");
    assert!(
        select.args.contains(&("limit", "1024".to_owned())),
        "{:?}",
        select.args
    );
    assert!(
        select.detail.contains("of 1024 KiB used"),
        "{}",
        select.detail
    );
    assert!(text.contains("GETQUOTAROOT \"INBOX\""), "{text}");
    let json = report.to_json();
    let select_json = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "select")
        .unwrap();
    assert_eq!(select_json["args"]["limit"], "1024", "{select_json}");

    let plain_user = stack().user(35);
    let profile_without = profile(
        stack().imaps_port,
        Security::Tls,
        ImapAuth::Plain,
        &plain_user.login,
    );
    let report = run(&profile_without, &plain_user.password, true).await;
    let text = transcript_text(&report);
    assert_eq!(report.diagnosis.code, Code::Ok, "{text}");
    let mailbox = report
        .server
        .imap
        .as_ref()
        .unwrap()
        .mailbox
        .as_ref()
        .unwrap();
    assert_eq!(
        (mailbox.quota_used_kib, mailbox.quota_limit_kib),
        (None, None)
    );
    assert!(!text.contains("GETQUOTAROOT"), "{text}");
}
