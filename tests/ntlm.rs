//! `smtp.auth = ntlm` against a real NTLM acceptor nobody here wrote: aiosmtpd
//! with pyspnego's NTLM server (tests/peers/smtp_peer.py `--ntlm`), which checks
//! the NTLMv2 response, the MIC and, over TLS, the channel binding. Debian's
//! Dovecot 2.3 has NTLM only through Samba's winbind, so it is not the peer.

mod support;

use outbound::core::check::smtp::{self, Options};
use outbound::core::check::{Code, Report};
use outbound::core::profile::{AuthMethod, Profile, Security};
use support::{Peer, certs, smtp_profile, steps, transcript_text};

const PASSWORD: &str = "Pässword-ntlm-1";
/// Only NTLM is offered, so `auto` has nothing better to pick.
const ONLY_NTLM: &str = "--without-auth=PLAIN,LOGIN,CRAM-MD5";

struct Ntlm {
    peer: Peer,
    authority: certs::Authority,
    // The peer reads its certificate for the channel binding at every AUTH.
    _cert: certs::Files,
    _users: tempfile::NamedTempFile,
}

fn start(mode: &str, extra: &[&str]) -> Ntlm {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let users = tempfile::NamedTempFile::new().unwrap();
    // pyspnego's store: DOMAIN:USER:PASSWORD, the domain matched as sent.
    std::fs::write(
        users.path(),
        format!("CORP:tester:{PASSWORD}\noutbound.test:tester:{PASSWORD}\n"),
    )
    .unwrap();
    let users_path = users.path().to_str().unwrap().to_owned();
    let mut options = vec!["--ntlm", users_path.as_str(), ONLY_NTLM];
    options.extend_from_slice(extra);
    let peer = Peer::start_with(mode, (mode != "none").then_some(&cert), "unused", &options);
    Ntlm {
        peer,
        authority,
        _cert: cert,
        _users: users,
    }
}

async fn run(ntlm: &Ntlm, profile: &Profile, password: &str) -> Report {
    let options = Options {
        password: Some(password.into()),
        extra_roots: vec![ntlm.authority.root()],
        ..Options::default()
    };
    smtp::check(profile, options).await
}

fn profile(ntlm: &Ntlm, security: Security, auth: AuthMethod, user: &str) -> Profile {
    let mut profile = smtp_profile(ntlm.peer.port, security, auth);
    profile.smtp.username = user.to_owned();
    profile
}

fn auth_step(report: &Report) -> (String, String) {
    steps(report)
        .into_iter()
        .find(|(name, _)| name == "auth")
        .unwrap_or_else(|| panic!("no auth step: {:?}", steps(report)))
}

/// No token (NTLM messages start with `NTLMSSP`, base64 `TlRMTVNT`) and no password.
fn assert_redacted(report: &Report) {
    let text = transcript_text(report);
    assert!(text.contains("AUTH NTLM <redacted>"), "{text}");
    assert!(
        !text.contains("TlRMTVNT"),
        "an NTLM token in the transcript:\n{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    let json = report.to_json().to_string();
    assert!(!json.contains("TlRMTVNT") && !json.contains(PASSWORD));
}

#[tokio::test]
async fn the_right_password_passes_in_every_user_form_over_starttls() {
    let ntlm = start("starttls", &[]);
    for (user, domain) in [
        ("CORP\\tester", ""),
        ("tester@outbound.test", ""),
        ("tester", "CORP"),
    ] {
        let mut profile = profile(&ntlm, Security::Starttls, AuthMethod::Ntlm, user);
        profile.smtp.auth_domain = domain.to_owned();
        let report = run(&ntlm, &profile, PASSWORD).await;
        assert_eq!(
            report.diagnosis.code,
            Code::Ok,
            "{user} / {domain}: {:?}\n{}",
            steps(&report),
            transcript_text(&report)
        );
        assert_eq!(auth_step(&report), ("auth".into(), "ok".into()));
        assert_redacted(&report);
        let domain = if user.contains('@') {
            "outbound.test"
        } else {
            "CORP"
        };
        let shown = format!("as user “tester” in domain “{domain}”");
        assert!(
            transcript_text(&report).contains(&shown),
            "{}",
            transcript_text(&report)
        );
    }
}

#[tokio::test]
async fn a_wrong_password_or_domain_is_auth_failed() {
    let ntlm = start("tls", &[]);
    let right = profile(&ntlm, Security::Tls, AuthMethod::Ntlm, "CORP\\tester");
    let report = run(&ntlm, &right, "wrong password").await;
    assert_eq!(
        report.diagnosis.code,
        Code::AuthFailed,
        "{}",
        transcript_text(&report)
    );
    assert_redacted(&report);
    // The domain enters the hash: another one does not match the store.
    let other = profile(&ntlm, Security::Tls, AuthMethod::Ntlm, "OTHER\\tester");
    let report = run(&ntlm, &other, PASSWORD).await;
    assert_eq!(
        report.diagnosis.code,
        Code::AuthFailed,
        "{}",
        transcript_text(&report)
    );
}

#[tokio::test]
async fn auto_takes_ntlm_over_tls_but_never_over_plain_text() {
    let tls = start("tls", &[]);
    let auto = profile(&tls, Security::Tls, AuthMethod::Auto, "CORP\\tester");
    let report = run(&tls, &auto, PASSWORD).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert_redacted(&report);

    let plain = start("none", &[]);
    let auto = profile(&plain, Security::None, AuthMethod::Auto, "CORP\\tester");
    let report = run(&plain, &auto, PASSWORD).await;
    assert_eq!(
        report.diagnosis.code,
        Code::PlaintextAuthRefused,
        "{}",
        transcript_text(&report)
    );
    assert!(!transcript_text(&report).contains("C: AUTH"));

    // Asked for explicitly, NTLM goes over plain text with a warning.
    let asked = profile(&plain, Security::None, AuthMethod::Ntlm, "CORP\\tester");
    let report = run(&plain, &asked, PASSWORD).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(auth_step(&report), ("auth".into(), "warning".into()));
    assert_redacted(&report);
}

#[tokio::test]
async fn a_garbage_challenge_is_a_protocol_error() {
    let ntlm = start("none", &["--ntlm-garbage"]);
    let asked = profile(&ntlm, Security::None, AuthMethod::Ntlm, "CORP\\tester");
    let report = run(&ntlm, &asked, PASSWORD).await;
    assert_eq!(
        report.diagnosis.code,
        Code::ProtocolError,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(auth_step(&report).1, "failed");
    assert!(!transcript_text(&report).contains("TlRMTVNT"));
}
