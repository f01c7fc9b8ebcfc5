//! The IMAP check against servers that misbehave, each in one way, and a small
//! scripted server for the replies Dovecot does not give (a provider's "IMAP is
//! disabled", LOGINDISABLED without STARTTLS): every check ends with its code
//! and names the step, without a panic, and never shows the password.

mod support;

use outbound::core::check::{Code, Report};
use outbound::core::imap::{self, Options};
use outbound::core::profile::ImapAuth;
use support::imap_fake::{Behaviour, FakeImap, Script, profile};
use support::{steps, transcript_text};

const PASSWORD: &str = "fake-secret-Ω";

async fn check(behaviour: Behaviour, auth: ImapAuth) -> Report {
    let fake = FakeImap::start(behaviour).await;
    let profile = profile(fake.port, auth);
    let options = Options {
        password: Some(PASSWORD.into()),
        ..Options::default()
    };
    let report = imap::check(&profile, options).await;
    let json = report.to_json().to_string();
    assert!(!json.contains(PASSWORD), "{json}");
    assert!(
        !json.contains("ZmFrZS1zZWNyZXQ"),
        "base64 of the password: {json}"
    );
    report
}

/// The last step that ran, and its status.
fn last(report: &Report) -> (String, String) {
    steps(report)
        .into_iter()
        .rfind(|(_, status)| status != "skipped")
        .unwrap_or_default()
}

fn failed_at(report: &Report, step: &str, code: Code) {
    assert_eq!(report.diagnosis.code, code, "{}", transcript_text(report));
    assert!(
        report
            .steps
            .iter()
            .any(|s| s.name.as_str() == step && s.status.as_str() == "failed"),
        "{:?}\n{}",
        steps(report),
        transcript_text(report)
    );
}

#[tokio::test]
async fn silent_after_the_greeting_times_out_in_capability() {
    let report = check(Behaviour::SilentAfterGreeting, ImapAuth::Plain).await;
    failed_at(&report, "capability", Code::Timeout);
}

#[tokio::test]
async fn silent_after_login_times_out_in_login() {
    let report = check(Behaviour::SilentAfterLogin, ImapAuth::Plain).await;
    failed_at(&report, "login", Code::Timeout);
    let text = transcript_text(&report);
    assert!(text.contains("AUTHENTICATE PLAIN <redacted>"), "{text}");
}

#[tokio::test]
async fn garbage_instead_of_a_greeting_is_a_protocol_error() {
    let report = check(Behaviour::Garbage, ImapAuth::Auto).await;
    failed_at(&report, "greeting", Code::ProtocolError);
}

#[tokio::test]
async fn a_disconnect_after_the_greeting_is_told() {
    let report = check(Behaviour::DisconnectAfterGreeting, ImapAuth::Login).await;
    assert!(
        matches!(
            report.diagnosis.code,
            Code::ProtocolError | Code::ConnectionReset
        ),
        "{}",
        transcript_text(&report)
    );
    assert_eq!(last(&report), ("login".to_owned(), "failed".to_owned()));
}

#[tokio::test]
async fn a_huge_literal_is_refused_not_read() {
    let report = check(Behaviour::HugeLiteral, ImapAuth::Auto).await;
    failed_at(&report, "capability", Code::ProtocolError);
    assert_eq!(
        report.diagnosis.get("reason"),
        Some("imap_literal_too_large")
    );
}

#[tokio::test]
async fn a_provider_that_turned_imap_off_is_recognised() {
    let script = Script {
        login: "NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)",
        ..Script::default()
    };
    let report = check(Behaviour::Scripted(script), ImapAuth::Plain).await;
    failed_at(&report, "login", Code::ImapAccountDisabled);
    // The session still ends politely.
    assert_eq!(last(&report), ("logout".to_owned(), "ok".to_owned()));
}

#[tokio::test]
async fn logindisabled_without_another_way_is_imap_login_disabled() {
    let script = Script {
        capabilities: "IMAP4rev1 LOGINDISABLED",
        ..Script::default()
    };
    for auth in [ImapAuth::Auto, ImapAuth::Login] {
        let report = check(Behaviour::Scripted(script.clone()), auth).await;
        failed_at(&report, "login", Code::ImapLoginDisabled);
        let text = transcript_text(&report);
        assert!(!text.contains(" LOGIN "), "nothing sent: {text}");
    }
}

#[tokio::test]
async fn the_scripted_server_passes_and_a_missing_folder_does_not() {
    let report = check(Behaviour::Scripted(Script::default()), ImapAuth::Login).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    let names: Vec<String> = steps(&report).into_iter().map(|(n, _)| n).collect();
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
    let text = transcript_text(&report);
    // The UTF-8 password went as a literal (the server checks it arrived
    // whole), and is redacted all the same.
    assert!(text.contains("LOGIN \"tester\" <redacted>"), "{text}");
    let mailbox = report
        .server
        .imap
        .as_ref()
        .unwrap()
        .mailbox
        .clone()
        .unwrap();
    assert_eq!((mailbox.exists, mailbox.uidvalidity), (Some(2), Some(42)));

    let folder = Script {
        folders: vec!["Other"],
        ..Script::default()
    };
    let report = check(Behaviour::Scripted(folder), ImapAuth::Login).await;
    failed_at(&report, "select", Code::MailboxNotFound);
    assert_eq!(report.diagnosis.get("name"), Some("INBOX"));
}

#[tokio::test]
async fn dropping_the_check_closes_its_connection() {
    let mut fake = FakeImap::start(Behaviour::SilentAfterGreeting).await;
    let mut profile = profile(fake.port, ImapAuth::Plain);
    profile.smtp.timeout_secs = 300;
    let (progress, mut steps) = outbound::core::check::Progress::channel();
    let options = Options {
        password: Some(PASSWORD.into()),
        progress,
        ..Options::default()
    };
    let mut check = Box::pin(imap::check(&profile, options));
    // Run it until the greeting is in (the server is silent from then on) ...
    loop {
        tokio::select! {
            step = steps.recv() => {
                if step.map(|s| s.name.as_str()) == Some("greeting") {
                    break;
                }
            }
            report = &mut check => panic!("finished: {}", transcript_text(&report)),
        }
    }
    // ... then drop it, as the window's Cancel does: the server sees the close.
    drop(check);
    tokio::time::timeout(std::time::Duration::from_secs(30), fake.closed.recv())
        .await
        .expect("the connection stays open after the check was dropped");
}
