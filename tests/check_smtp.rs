//! The SMTP check against a real server nobody here wrote: aiosmtpd 1.4.6, in
//! plain, STARTTLS and implicit-TLS modes, with AUTH PLAIN, LOGIN and CRAM-MD5.

mod support;

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use outbound::core::check::smtp::{self, Options};
use outbound::core::check::{Code, Fix, Report, log};
use outbound::core::profile::{AuthMethod, LogLevel, Security};
use outbound::core::store::Paths;
use support::{Peer, USER, certs, smtp_profile, steps, transcript_text};

const PASSWORD: &str = "correct horse";

async fn run(
    profile: &outbound::core::profile::Profile,
    password: &str,
    roots: &[rustls::pki_types::CertificateDer<'static>],
    to: &[&str],
) -> Report {
    let options = Options {
        password: Some(password.into()),
        extra_roots: roots.to_vec(),
        recipients: to.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    smtp::check(profile, options).await
}

fn mode_security(mode: &str) -> Security {
    match mode {
        "none" => Security::None,
        "starttls" => Security::Starttls,
        _ => Security::Tls,
    }
}

/// Every mode × mechanism: the right password passes, a wrong one is `auth_failed`.
async fn matrix(mode: &str) {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let peer = Peer::start(mode, (mode != "none").then_some(&cert), PASSWORD);
    let roots = [authority.root()];
    for auth in [AuthMethod::Plain, AuthMethod::Login, AuthMethod::CramMd5] {
        let profile = smtp_profile(peer.port, mode_security(mode), auth);
        let report = run(&profile, PASSWORD, &roots, &[]).await;
        assert_eq!(
            report.diagnosis.code,
            Code::Ok,
            "{mode} {auth:?}: {:?}\n{}",
            steps(&report),
            transcript_text(&report)
        );
        let auth_step = report
            .steps
            .iter()
            .find(|s| s.name.as_str() == "auth")
            .unwrap();
        // CRAM-MD5 sends a digest, never the password itself.
        let in_clear = mode == "none" && auth != AuthMethod::CramMd5;
        let expected = if in_clear { "warning" } else { "ok" };
        assert_eq!(
            auth_step.status.as_str(),
            expected,
            "{mode} {auth:?}: password over plain text is a warning"
        );
        let code = if in_clear { "auth_plaintext" } else { "auth" };
        assert_eq!(auth_step.code, code, "{auth_step:?}");
        assert!(steps(&report).contains(&("quit".into(), "ok".into())));

        let wrong = run(&profile, "wrong password", &roots, &[]).await;
        assert_eq!(
            wrong.diagnosis.code,
            Code::AuthFailed,
            "{mode} {auth:?}: {}",
            transcript_text(&wrong)
        );
    }
    // Facts: the raw EHLO reply is kept, with the mechanisms lettre would drop.
    let report = run(
        &smtp_profile(peer.port, mode_security(mode), AuthMethod::Auto),
        PASSWORD,
        &roots,
        &[],
    )
    .await;
    assert!(
        report
            .server
            .auth_mechanisms
            .contains(&"CRAM-MD5".to_owned()),
        "{:?}",
        report.server
    );
    assert!(report.server.size.is_some(), "{:?}", report.server);
    // Auto: over TLS PLAIN (no round trip more than needed); in clear only
    // CRAM-MD5, which sends no reusable password.
    let picked = if mode == "none" {
        "AUTH CRAM-MD5"
    } else {
        "AUTH PLAIN <redacted>"
    };
    assert!(
        report.transcript.iter().any(|l| l.text == picked),
        "{mode}: auto picks {picked}: {}",
        transcript_text(&report)
    );
    // Facts: aiosmtpd is named; with STARTTLS both EHLO lists are kept and the
    // first one's STARTTLS offer stays known.
    assert_eq!(
        report.server.mta.as_deref(),
        Some("aiosmtpd"),
        "{:?}",
        report.server
    );
    let offers_starttls = |list: &[String]| list.iter().any(|k| k == "STARTTLS");
    if mode == "starttls" {
        assert!(report.server.starttls, "{:?}", report.server);
        assert!(offers_starttls(&report.server.ehlo), "{:?}", report.server);
        assert!(!report.server.ehlo_tls.is_empty(), "{:?}", report.server);
        assert!(
            !offers_starttls(&report.server.ehlo_tls),
            "{:?}",
            report.server
        );
    } else {
        assert!(!report.server.starttls, "{:?}", report.server);
        assert!(report.server.ehlo_tls.is_empty(), "{:?}", report.server);
    }
    if mode != "none" {
        let tls = report.server.tls.as_ref().unwrap();
        assert_eq!(tls.protocol.as_deref(), Some("TLS 1.3"));
        let cert = tls.certificate.as_ref().unwrap();
        assert!(cert.issuer.contains("Outbound Test Authority"), "{cert:?}");
        assert_eq!(cert.names, vec!["127.0.0.1".to_owned()]);
        assert_eq!(cert.sha256.len(), 32 * 3 - 1);
    }
}

#[tokio::test]
async fn plain_mode_every_mechanism() {
    matrix("none").await;
}

#[tokio::test]
async fn starttls_mode_every_mechanism() {
    matrix("starttls").await;
}

#[tokio::test]
async fn implicit_tls_mode_every_mechanism() {
    matrix("tls").await;
}

#[tokio::test]
async fn non_ascii_password_works_with_every_mechanism() {
    let password = "пароль-Ünïcødé ✓";
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let peer = Peer::start("starttls", Some(&cert), password);
    for auth in [AuthMethod::Plain, AuthMethod::Login, AuthMethod::CramMd5] {
        let profile = smtp_profile(peer.port, Security::Starttls, auth);
        let report = run(&profile, password, &[authority.root()], &[]).await;
        assert_eq!(
            report.diagnosis.code,
            Code::Ok,
            "{auth:?}: {}",
            transcript_text(&report)
        );
    }
}

#[tokio::test]
async fn test_message_arrives_in_every_mode() {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    for mode in ["none", "starttls", "tls"] {
        let peer = Peer::start(mode, (mode != "none").then_some(&cert), PASSWORD);
        let profile = smtp_profile(peer.port, mode_security(mode), AuthMethod::Plain);
        let to = ["first@example.net", "second@example.com"];
        let report = run(&profile, PASSWORD, &[authority.root()], &to).await;
        assert_eq!(
            report.diagnosis.code,
            Code::Ok,
            "{mode}: {}",
            transcript_text(&report)
        );
        assert!(report.sent);
        for step in ["mail_from", "rcpt_to", "data", "quit"] {
            assert!(
                steps(&report).contains(&(step.into(), "ok".into())),
                "{mode}: {:?}",
                steps(&report)
            );
        }
        let messages = peer.messages();
        assert_eq!(messages.len(), 1, "{mode}");
        let message = &messages[0];
        assert_eq!(message["mail_from"], "sender@example.org");
        assert_eq!(message["rcpt_tos"], serde_json::json!(to));
        assert_eq!(message["login"], USER);
        let content = message["content"].as_str().unwrap();
        assert!(
            content.contains("From: \"Help Desk\" <sender@example.org>"),
            "{content}"
        );
        assert!(
            content.contains("Subject: [OB] Outbound test message"),
            "{content}"
        );
        assert!(content.contains("Date: "), "{content}");
        assert!(content.contains("Message-ID: <"), "{content}");
        assert!(content.contains("first@example.net") && content.contains("second@example.com"));
        assert!(
            content.contains("peer_test"),
            "the body names the profile: {content}"
        );
    }
}

#[tokio::test]
async fn certificate_problems_are_told_apart() {
    // Self-signed, not trusted.
    let own = certs::self_signed();
    let peer = Peer::start("tls", Some(&own), PASSWORD);
    let mut profile = smtp_profile(peer.port, Security::Tls, AuthMethod::Plain);
    let report = run(&profile, PASSWORD, &[], &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::CertificateUntrusted,
        "{}",
        transcript_text(&report)
    );
    let tls = report.server.tls.as_ref().unwrap();
    assert!(
        tls.certificate.is_some(),
        "facts of the refused certificate are kept"
    );

    // The same, accepted on request: passes with a warning.
    profile.smtp.accept_invalid_certs = true;
    let report = run(&profile, PASSWORD, &[], &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert!(
        steps(&report).contains(&("tls".into(), "warning".into())),
        "{:?}",
        steps(&report)
    );
    assert!(report.server.tls.as_ref().unwrap().accepted_invalid);

    // Self-signed the `openssl req -x509` way (a CA certificate as the server's),
    // trusted as is, over STARTTLS: still untrusted, not a mode mismatch.
    let ca_style = certs::self_signed_ca_style();
    let peer = Peer::start("starttls", Some(&ca_style), PASSWORD);
    let profile = smtp_profile(peer.port, Security::Starttls, AuthMethod::Plain);
    let report = run(&profile, PASSWORD, std::slice::from_ref(&ca_style.der), &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::CertificateUntrusted,
        "{}",
        transcript_text(&report)
    );

    // Expired, from a trusted authority.
    let authority = certs::Authority::new();
    let expired = authority.issue(&["127.0.0.1"], true);
    let peer = Peer::start("tls", Some(&expired), PASSWORD);
    let profile = smtp_profile(peer.port, Security::Tls, AuthMethod::Plain);
    let report = run(&profile, PASSWORD, &[authority.root()], &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::CertificateExpired,
        "{}",
        transcript_text(&report)
    );

    // Valid, trusted, for another name (and over STARTTLS this time).
    let other = authority.issue(&["mail.example.org"], false);
    let peer = Peer::start("starttls", Some(&other), PASSWORD);
    let profile = smtp_profile(peer.port, Security::Starttls, AuthMethod::Plain);
    let report = run(&profile, PASSWORD, &[authority.root()], &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::CertificateNameMismatch,
        "{}",
        transcript_text(&report)
    );
    let names = &report
        .server
        .tls
        .as_ref()
        .unwrap()
        .certificate
        .as_ref()
        .unwrap()
        .names;
    assert_eq!(names, &vec!["mail.example.org".to_owned()]);
}

/// A check of `security` against `port` (20 s timeout) reads as
/// `tls_mode_mismatch` with the fix `fixed` on the same port, well before the
/// timeout: the first bytes tell.
async fn expect_mode_mismatch(
    port: u16,
    security: Security,
    roots: &[rustls::pki_types::CertificateDer<'static>],
    fixed: Security,
) {
    let mut profile = smtp_profile(port, security, AuthMethod::Plain);
    profile.smtp.timeout_secs = 20;
    let started = Instant::now();
    let report = run(&profile, PASSWORD, roots, &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::TlsModeMismatch,
        "{security:?}: {}",
        transcript_text(&report)
    );
    assert_eq!(
        report.diagnosis.fix,
        Some(Fix::Security {
            security: fixed,
            port
        })
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "well inside the 20 s timeout: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn implicit_tls_against_a_plain_port_is_a_mode_mismatch() {
    let peer = Peer::start("none", None, PASSWORD);
    expect_mode_mismatch(peer.port, Security::Tls, &[], Security::Starttls).await;
}

#[tokio::test]
async fn starttls_against_an_implicit_tls_port_is_a_mode_mismatch() {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let peer = Peer::start("tls", Some(&cert), PASSWORD);
    for security in [Security::Starttls, Security::None] {
        expect_mode_mismatch(peer.port, security, &[authority.root()], Security::Tls).await;
    }
}

/// With PIPELINING offered, AUTH PLAIN leads the envelope's group (RFC 4954 §4),
/// saving a round trip: MAIL FROM is on the wire before the server's 235, the
/// message arrives, nothing secret shows; a wrong password still reads as
/// `auth_failed`, and the server, which took the envelope anyway, never gets a
/// message.
#[tokio::test]
async fn auth_plain_leads_the_pipelined_envelope() {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let to = ["first@example.net", "second@example.com"];
    for mode in ["none", "starttls", "tls"] {
        let peer = Peer::start_pipelining(mode, (mode != "none").then_some(&cert), PASSWORD);
        let profile = smtp_profile(peer.port, mode_security(mode), AuthMethod::Plain);
        let report = run(&profile, PASSWORD, &[authority.root()], &to).await;
        let text = transcript_text(&report);
        assert_eq!(report.diagnosis.code, Code::Ok, "{mode}: {text}");
        assert!(report.sent, "{mode}");
        let position = |wanted: &dyn Fn(&str, &str) -> bool| {
            report
                .transcript
                .iter()
                .position(|l| wanted(l.direction.as_str(), &l.text))
                .unwrap_or_else(|| panic!("{mode}: not in\n{text}"))
        };
        let mail = position(&|d, t| d == "client" && t.starts_with("MAIL FROM:"));
        let accepted = position(&|d, t| d == "server" && t.starts_with("235"));
        assert!(mail < accepted, "{mode}: MAIL FROM went with AUTH:\n{text}");
        assert!(
            !text.contains(&STANDARD.encode(format!("\0{USER}\0{PASSWORD}"))),
            "{mode}: {text}"
        );
        let messages = peer.messages();
        assert_eq!(messages.len(), 1, "{mode}");
        assert_eq!(messages[0]["rcpt_tos"], serde_json::json!(to));
        assert_eq!(messages[0]["login"], USER);

        let report = run(&profile, "wrong password", &[authority.root()], &to).await;
        let text = transcript_text(&report);
        assert_eq!(report.diagnosis.code, Code::AuthFailed, "{mode}: {text}");
        assert!(!report.sent, "{mode}");
        assert!(
            steps(&report).contains(&("auth".into(), "failed".into())),
            "{mode}: {:?}",
            steps(&report)
        );
        // aiosmtpd does not require AUTH, so it answers DATA with 354; leaving
        // without the final dot drops the message.
        assert!(text.contains("354"), "{mode}: {text}");
        assert_eq!(peer.messages().len(), 1, "{mode}: nothing more arrived");
    }
}

/// Neither the password nor any base64 form of what carried it appears in the
/// transcript, the JSON or the log file.
#[tokio::test]
async fn auth_payloads_are_redacted_everywhere() {
    let peer = Peer::start("none", None, PASSWORD);
    let data = tempfile::tempdir().unwrap();
    let paths = Paths::under(data.path());
    let forbidden = [
        PASSWORD.to_owned(),
        STANDARD.encode(PASSWORD),
        STANDARD.encode(format!("\0{USER}\0{PASSWORD}")),
        STANDARD.encode(USER),
    ];
    for auth in [AuthMethod::Plain, AuthMethod::Login, AuthMethod::CramMd5] {
        let mut profile = smtp_profile(peer.port, Security::None, auth);
        profile.log.level = LogLevel::Full;
        for password in [PASSWORD, "wrong password"] {
            let report = run(&profile, password, &[], &[]).await;
            let json = report.to_json().to_string();
            let file = log::append(&profile, &paths, "check", &report)
                .unwrap()
                .unwrap();
            let logged = std::fs::read_to_string(file).unwrap();
            for text in [transcript_text(&report), json, logged] {
                for secret in forbidden
                    .iter()
                    .chain([&password.to_owned(), &STANDARD.encode(password)])
                {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{auth:?}: {secret:?} leaked:\n{text}"
                    );
                }
            }
            // Every client line during AUTH after the mechanism is redacted.
            let lines = &report.transcript;
            let start = lines
                .iter()
                .position(|l| l.text.starts_with("AUTH"))
                .unwrap();
            for line in lines[start..]
                .iter()
                .filter(|l| l.direction.as_str() == "client")
            {
                if line.text.starts_with("QUIT") {
                    break;
                }
                assert!(
                    line.text.ends_with("<redacted>")
                        || line.text == format!("AUTH {}", auth_name(auth)),
                    "{line:?}"
                );
            }
        }
    }
}

fn auth_name(auth: AuthMethod) -> &'static str {
    match auth {
        AuthMethod::Login => "LOGIN",
        AuthMethod::CramMd5 => "CRAM-MD5",
        _ => "PLAIN",
    }
}

#[tokio::test]
async fn steps_arrive_as_a_stream_while_the_check_runs() {
    let peer = Peer::start("none", None, PASSWORD);
    let profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    let (progress, mut stream) = outbound::core::check::Progress::channel();
    let options = Options {
        password: Some(PASSWORD.into()),
        progress,
        ..Options::default()
    };
    let check = tokio::spawn(async move { smtp::check(&profile, options).await });
    let mut names = Vec::new();
    while let Some(step) = stream.recv().await {
        names.push(step.name.as_str());
    }
    let report = check.await.unwrap();
    assert_eq!(report.diagnosis.code, Code::Ok);
    assert_eq!(names, support::EVERY_STEP);
}

/// Auto never sends a reusable password in clear: against a server offering
/// only PLAIN and LOGIN without TLS it stops before AUTH with
/// `plaintext_auth_refused`; the fix (STARTTLS on the same port) is offered when
/// the server offers STARTTLS, and applied, the check passes. Asked for
/// explicitly, PLAIN still goes (with a warning).
#[tokio::test]
async fn auto_never_sends_a_password_in_clear() {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let roots = [authority.root()];
    let no_cram = ["--without-auth=CRAM-MD5"];
    let peer = Peer::start_with("starttls", Some(&cert), PASSWORD, &no_cram);
    let mut profile = smtp_profile(peer.port, Security::None, AuthMethod::Auto);
    let report = run(&profile, PASSWORD, &roots, &["a@example.net"]).await;
    let text = transcript_text(&report);
    assert_eq!(report.diagnosis.code, Code::PlaintextAuthRefused, "{text}");
    assert_eq!(
        report.diagnosis.fix,
        Some(Fix::Security {
            security: Security::Starttls,
            port: peer.port
        })
    );
    assert!(
        !report
            .transcript
            .iter()
            .any(|l| l.direction.as_str() == "client" && l.text.starts_with("AUTH")),
        "no AUTH was sent: {text}"
    );
    assert!(steps(&report).contains(&("auth".into(), "failed".into())));
    assert!(
        steps(&report).contains(&("quit".into(), "ok".into())),
        "{text}"
    );
    assert!(!report.sent && peer.messages().is_empty());
    let hint = report.diagnosis.hint();
    assert!(
        hint.contains("STARTTLS") && hint.contains(&peer.port.to_string()),
        "{hint}"
    );

    // The fix applied: STARTTLS, then PLAIN over TLS.
    profile.smtp.security = Security::Starttls;
    let report = run(&profile, PASSWORD, &roots, &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert!(transcript_text(&report).contains("AUTH PLAIN <redacted>"));

    // No STARTTLS to offer: the same refusal, without a fix.
    let plain = Peer::start_with("none", None, PASSWORD, &no_cram);
    let profile = smtp_profile(plain.port, Security::None, AuthMethod::Auto);
    let report = run(&profile, PASSWORD, &[], &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::PlaintextAuthRefused,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(report.diagnosis.fix, None);

    // Explicit PLAIN on security none: sent, with the warning.
    let profile = smtp_profile(plain.port, Security::None, AuthMethod::Plain);
    let report = run(&profile, PASSWORD, &[], &[]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert!(steps(&report).contains(&("auth".into(), "warning".into())));
}

/// A non-ASCII local part: with a server offering SMTPUTF8 the envelope carries
/// the `SMTPUTF8` parameter and the message arrives with the address intact;
/// without it the check stops before MAIL with `smtputf8_unsupported` (aiosmtpd
/// would answer the address with "500 Error: strict ASCII mode").
#[tokio::test]
async fn non_ascii_addresses_need_smtputf8() {
    let recipient = "получатель@example.net";
    let sender = "отправитель@example.org";
    let peer = Peer::start_with("none", None, PASSWORD, &["--smtputf8"]);
    let mut profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    profile.sender.address = sender.to_owned();
    let report = run(&profile, PASSWORD, &[], &[recipient]).await;
    let text = transcript_text(&report);
    assert_eq!(report.diagnosis.code, Code::Ok, "{text}");
    assert!(report.server.smtputf8, "{:?}", report.server);
    assert!(
        text.contains(&format!("MAIL FROM:<{sender}> SMTPUTF8")),
        "{text}"
    );
    let messages = peer.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["mail_from"], sender);
    assert_eq!(messages[0]["rcpt_tos"], serde_json::json!([recipient]));
    let content = messages[0]["content"].as_str().unwrap();
    assert!(content.contains(&format!("To: {recipient}")), "{content}");
    assert!(content.contains(sender), "{content}");

    let peer = Peer::start("none", None, PASSWORD);
    let profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    let report = run(&profile, PASSWORD, &[], &["someone@example.net", recipient]).await;
    let text = transcript_text(&report);
    assert_eq!(report.diagnosis.code, Code::Smtputf8Unsupported, "{text}");
    assert!(report.diagnosis.message().contains(recipient));
    assert!(!text.contains("MAIL FROM"), "stopped before MAIL: {text}");
    assert!(
        steps(&report).contains(&("auth".into(), "warning".into())),
        "the login was checked"
    );
    assert!(steps(&report).contains(&("mail_from".into(), "failed".into())));
    assert!(
        steps(&report).contains(&("quit".into(), "ok".into())),
        "{text}"
    );
    assert!(peer.messages().is_empty());
}

/// Several messages on one connection (a queue flush): with PIPELINING the
/// next message's MAIL, RCPT and DATA go in the same write as this one's
/// final dot (RFC 2920), one round trip per message instead of two; a
/// message refused on the way does not stop the next.
#[tokio::test]
async fn the_next_envelope_rides_along_with_the_final_dot() {
    use outbound::core::check::transcript::Direction;
    use outbound::core::send::{DeliverOptions, Envelope, Outgoing, deliver};
    let peer = Peer::start_pipelining("none", None, PASSWORD);
    let profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    let message = |n: usize, to: &str| Outgoing {
        envelope: Envelope {
            sender: "sender@example.org".into(),
            recipients: vec![to.into()],
            dsn: Default::default(),
        },
        message: format!("Subject: n{n}\r\nFrom: sender@example.org\r\n\r\nbody {n}\r\n")
            .into_bytes(),
    };
    let messages = [
        message(1, "a@example.net"),
        message(2, "b@example.net"),
        message(3, "c@example.net"),
    ];
    let options = DeliverOptions {
        password: Some(PASSWORD.into()),
        ..DeliverOptions::default()
    };
    let delivery = deliver(&profile, options, &messages).await;
    let text = transcript_text(&delivery.report);
    assert_eq!(delivery.report.diagnosis.code, Code::Ok, "{text}");
    assert_eq!(peer.messages().len(), 3, "{text}");
    // The client's lines right after each final dot, before the server's reply.
    let lines = &delivery.report.transcript;
    let after_dot: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.direction == Direction::Client && l.text == ".")
        .filter_map(|(i, _)| lines.get(i + 1))
        .map(|l| format!("{:?} {}", l.direction, l.text))
        .collect();
    assert_eq!(after_dot.len(), 3, "{text}");
    assert!(after_dot[0].starts_with("Client MAIL FROM:"), "{text}");
    assert!(after_dot[1].starts_with("Client MAIL FROM:"), "{text}");
    assert_eq!(after_dot[2], "Client QUIT", "{text}");
}
