//! The SMTP check against servers that misbehave, each in one way: every check
//! ends with the expected code within its timeout + 1 s, without a panic.

mod support;

use std::time::{Duration, Instant};

use outbound::core::check::smtp::{self, Options};
use outbound::core::check::{Code, Report};
use outbound::core::profile::{AuthMethod, Security};
use support::fake::{Behaviour, Fake, Replies};
use support::{smtp_profile, transcript_text};

const TIMEOUT_SECS: u32 = 3;

async fn check(behaviour: Behaviour, security: Security, auth: AuthMethod, to: &[&str]) -> Report {
    let fake = Fake::start(behaviour).await;
    let mut profile = smtp_profile(fake.port, security, auth);
    profile.smtp.timeout_secs = TIMEOUT_SECS;
    let options = Options {
        password: Some("secret".into()),
        recipients: to.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    let started = Instant::now();
    let report = smtp::check(&profile, options).await;
    // The timeout plus slack for a loaded machine; a hang would be far longer.
    let bound = Duration::from_secs(u64::from(TIMEOUT_SECS) + 3);
    assert!(
        started.elapsed() < bound,
        "took {:?}: {}",
        started.elapsed(),
        transcript_text(&report)
    );
    report
}

async fn expect(
    behaviour: Behaviour,
    security: Security,
    auth: AuthMethod,
    to: &[&str],
    code: Code,
) -> Report {
    let report = check(behaviour, security, auth, to).await;
    assert_eq!(report.diagnosis.code, code, "{}", transcript_text(&report));
    report
}

/// [`expect`] against the scripted SMTP server, without TLS.
async fn expect_replies(replies: Replies, auth: AuthMethod, to: &[&str], code: Code) -> Report {
    expect(Behaviour::Smtp(replies), Security::None, auth, to, code).await
}

#[tokio::test]
async fn a_server_that_never_speaks_times_out() {
    expect(
        Behaviour::Silent,
        Security::None,
        AuthMethod::None,
        &[],
        Code::Timeout,
    )
    .await;
    expect(
        Behaviour::Silent,
        Security::Starttls,
        AuthMethod::None,
        &[],
        Code::Timeout,
    )
    .await;
}

#[tokio::test]
async fn a_banner_at_one_byte_per_second_times_out() {
    expect(
        Behaviour::SlowBanner,
        Security::Starttls,
        AuthMethod::None,
        &[],
        Code::Timeout,
    )
    .await;
}

#[tokio::test]
async fn garbage_is_a_protocol_error() {
    expect(
        Behaviour::Garbage,
        Security::None,
        AuthMethod::None,
        &[],
        Code::ProtocolError,
    )
    .await;
}

#[tokio::test]
async fn a_ten_megabyte_line_is_cut_off() {
    let report = expect(
        Behaviour::HugeLine,
        Security::None,
        AuthMethod::None,
        &[],
        Code::ProtocolError,
    )
    .await;
    // The reader gave up at its cap: the message names the limit, no 10 MB string exists.
    assert!(
        report.diagnosis.message().contains("8192"),
        "{}",
        report.diagnosis.message()
    );
    assert!(transcript_text(&report).len() < 64 * 1024);
}

#[tokio::test]
async fn a_disconnect_after_the_banner_is_a_protocol_error() {
    expect(
        Behaviour::DisconnectAfterBanner,
        Security::None,
        AuthMethod::None,
        &[],
        Code::ProtocolError,
    )
    .await;
}

#[tokio::test]
async fn a_421_banner_is_server_unavailable() {
    expect(
        Behaviour::Banner421,
        Security::None,
        AuthMethod::None,
        &[],
        Code::ServerUnavailable,
    )
    .await;
}

#[tokio::test]
async fn no_starttls_offered_is_starttls_unavailable() {
    let report = expect(
        Behaviour::Smtp(Replies::default()),
        Security::Starttls,
        AuthMethod::Plain,
        &[],
        Code::StarttlsUnavailable,
    )
    .await;
    // The conversation ends politely.
    assert!(report.transcript.iter().any(|l| l.text == "QUIT"));
}

#[tokio::test]
async fn every_auth_refused_with_535_is_auth_failed() {
    let replies = Replies {
        auth: "535 5.7.8 Error: authentication failed",
        ..Replies::default()
    };
    expect_replies(replies, AuthMethod::Plain, &[], Code::AuthFailed).await;
}

/// AUTH refused with the envelope pipelined behind it, by a server that then
/// refuses the envelope too: every reply is read and the conversation ends
/// with QUIT.
#[tokio::test]
async fn auth_refused_before_a_pipelined_envelope_still_quits() {
    let replies = Replies {
        auth: "535 5.7.8 Error: authentication failed",
        mail: "530 5.7.0 Authentication required",
        rcpt: "530 5.7.0 Authentication required",
        data: "554 5.5.1 No valid recipients",
        ..Replies::default()
    };
    let report = expect_replies(
        replies,
        AuthMethod::Plain,
        &["someone@example.net"],
        Code::AuthFailed,
    )
    .await;
    let server: Vec<&str> = report
        .transcript
        .iter()
        .filter(|l| l.direction.as_str() == "server")
        .map(|l| l.text.as_str())
        .collect();
    let tail = &server[server.len() - 5..];
    assert!(
        tail[0].starts_with("535") && tail[1].starts_with("530"),
        "{server:?}"
    );
    assert!(tail[4].starts_with("221"), "QUIT answered: {server:?}");
    assert!(!report.sent);
}

#[tokio::test]
async fn provider_replies_are_recognised() {
    let replies = Replies {
        auth: "534 5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor",
        ..Replies::default()
    };
    expect_replies(replies, AuthMethod::Plain, &[], Code::AppPasswordRequired).await;

    let replies = Replies {
        auth: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
        ..Replies::default()
    };
    expect_replies(
        replies,
        AuthMethod::Login,
        &[],
        Code::AuthDisabledByProvider,
    )
    .await;
}

#[tokio::test]
async fn relay_denied_on_rcpt_without_auth() {
    let replies = Replies {
        rcpt: "554 5.7.1 <someone@example.net>: Relay access denied",
        ..Replies::default()
    };
    let report = expect_replies(
        replies,
        AuthMethod::None,
        &["someone@example.net"],
        Code::RelayDenied,
    )
    .await;
    let rcpt = report
        .steps
        .iter()
        .find(|s| s.name.as_str() == "rcpt_to")
        .unwrap();
    assert!(
        rcpt.detail.contains("someone@example.net"),
        "the rejected address is named: {rcpt:?}"
    );
    assert!(!report.sent);
}

#[tokio::test]
async fn sender_not_allowed_for_the_login_is_sender_rejected() {
    let replies = Replies {
        mail: "553 5.7.1 <sender@example.org>: Sender address rejected: not owned by user tester",
        ..Replies::default()
    };
    expect_replies(
        replies,
        AuthMethod::Plain,
        &["someone@example.net"],
        Code::SenderRejected,
    )
    .await;
}

#[tokio::test]
async fn a_mechanism_not_offered_lists_what_is() {
    let report = expect_replies(
        Replies::default(),
        AuthMethod::CramMd5,
        &[],
        Code::AuthMechanismUnavailable,
    )
    .await;
    let message = report.diagnosis.message();
    assert!(
        message.contains("CRAM-MD5") && message.contains("PLAIN, LOGIN"),
        "{message}"
    );
}

/// Aborting a running check closes the connection at once: the server sees EOF
/// long before the 30 s timeout would have ended it.
#[tokio::test]
async fn cancelling_closes_the_connection() {
    let mut fake = Fake::start(Behaviour::Silent).await;
    let mut profile = smtp_profile(fake.port, Security::Tls, AuthMethod::None);
    profile.smtp.timeout_secs = 30;
    let task = tokio::spawn(async move { smtp::check(&profile, Options::default()).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let aborted = Instant::now();
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    let closed = tokio::time::timeout(Duration::from_secs(5), fake.closed.recv())
        .await
        .expect("the server sees the connection closed")
        .unwrap();
    assert!(closed.duration_since(aborted) < Duration::from_secs(2));
}

/// XOAUTH2 is used only when asked for, carries the token as an initial
/// response, and the transcript shows only the mechanism.
#[tokio::test]
async fn xoauth2_sends_the_token_redacted() {
    let replies = Replies {
        ehlo: vec!["fake.test", "AUTH PLAIN XOAUTH2"],
        ..Replies::default()
    };
    let report = expect(
        Behaviour::Smtp(replies.clone()),
        Security::None,
        AuthMethod::Xoauth2,
        &[],
        Code::Ok,
    )
    .await;
    let text = transcript_text(&report);
    assert!(text.contains("AUTH XOAUTH2 <redacted>"), "{text}");
    assert!(
        !text.contains("secret") && !text.contains("Bearer"),
        "{text}"
    );
    // Auto never picks XOAUTH2; and without TLS it does not send PLAIN either.
    let report = expect_replies(replies, AuthMethod::Auto, &[], Code::PlaintextAuthRefused).await;
    assert!(
        !report
            .transcript
            .iter()
            .any(|l| l.direction.as_str() == "client" && l.text.starts_with("AUTH")),
        "{}",
        transcript_text(&report)
    );
    assert!(report.diagnosis.message().contains("(PLAIN)"));
    assert_eq!(report.diagnosis.fix, None, "no STARTTLS offered");
    let replies = Replies {
        ehlo: vec!["fake.test", "AUTH PLAIN XOAUTH2", "STARTTLS"],
        ..Replies::default()
    };
    let report = expect_replies(replies, AuthMethod::Auto, &[], Code::PlaintextAuthRefused).await;
    assert!(
        matches!(
            report.diagnosis.fix,
            Some(outbound::core::check::Fix::Security {
                security: Security::Starttls,
                ..
            })
        ),
        "{:?}",
        report.diagnosis.fix
    );
}

#[tokio::test]
async fn a_closed_port_is_connect_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let profile = smtp_profile(port, Security::Starttls, AuthMethod::None);
    let report = smtp::check(&profile, Options::default()).await;
    assert_eq!(
        report.diagnosis.code,
        Code::ConnectRefused,
        "{}",
        transcript_text(&report)
    );
    assert!(report.diagnosis.message().contains(&port.to_string()));
}

/// A connection reset by the server is `connection_reset`, not a refusal or a
/// protocol error, and names the host and port.
#[tokio::test]
async fn a_reset_connection_is_connection_reset() {
    let report = expect(
        Behaviour::Reset,
        Security::None,
        AuthMethod::None,
        &[],
        Code::ConnectionReset,
    )
    .await;
    let message = report.diagnosis.message();
    assert!(
        message.contains("127.0.0.1") && !message.contains('?'),
        "{message}"
    );
}
