//! `ntlm` and `auto` against Debian's Dovecot, on its submission and IMAP
//! services, as a user runs `outbound check`: Dovecot's own NTLM mechanism
//! (the winbind one: Debian builds no other) asks the `ntlm_auth` helper
//! protocol, answered by pyspnego's NTLMv2 acceptor in place of Samba's
//! winbindd, which checks the response, the MIC and the TLS channel binding
//! (tests/peers/windows_auth, started by tests/session). tests/ntlm.rs has
//! the same against aiosmtpd, with the hostile challenges.

mod sandbox;

use std::process::Output;

use sandbox::{Sandbox, code, json, step, winauth_var};
use serde_json::Value;

/// The Dovecot of tests/peers/windows_auth, from tests/session's env.
struct Dovecot {
    dir: String,
    ca: String,
    password: String,
    smtp: String,
    smtps: String,
    imap: String,
    imaps: String,
}

fn dovecot() -> Dovecot {
    Dovecot {
        dir: winauth_var("OUTBOUND_TEST_WINAUTH_DIR"),
        ca: winauth_var("OUTBOUND_TEST_WINAUTH_CA"),
        password: winauth_var("OUTBOUND_TEST_NTLM_PASSWORD"),
        smtp: winauth_var("OUTBOUND_TEST_WINAUTH_SMTP_PORT"),
        smtps: winauth_var("OUTBOUND_TEST_WINAUTH_SMTPS_PORT"),
        imap: winauth_var("OUTBOUND_TEST_WINAUTH_IMAP_PORT"),
        imaps: winauth_var("OUTBOUND_TEST_WINAUTH_IMAPS_PORT"),
    }
}

impl Dovecot {
    /// `outbound check` with `security` on `port`, the password from the
    /// environment; `extra` holds `--imap`, `--auth`, `--user`….
    fn check(&self, (security, port): (&str, &str), password: &str, extra: &[&str]) -> Output {
        let sandbox = Sandbox::new();
        let out = sandbox
            .cmd()
            .env("SSL_CERT_FILE", &self.ca)
            // No Kerberos here: `auto` must do without a ticket.
            .env(
                "KRB5CCNAME",
                format!("FILE:{}/none", sandbox.dir.path().display()),
            )
            .env("OB_NTLM_PASSWORD", password)
            .args(["check", "--host", "localhost", "--port", port])
            .args(["--security", security, "--password-env", "OB_NTLM_PASSWORD"])
            .arg("--json")
            .args(extra)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(&self.password), "the password in the output");
        out
    }

    /// Dovecot's log: who it signed in, as the helper named them.
    fn log(&self) -> String {
        std::fs::read_to_string(format!("{}/dovecot.log", self.dir)).unwrap_or_default()
    }
}

fn transcript(report: &Value) -> String {
    report["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| format!("{} {}\n", line["direction"], line["text"]))
        .collect()
}

/// The mechanism shows, no NTLM message does (they start `NTLMSSP`, base64
/// `TlRMTVNT`), nor the server's challenge.
fn assert_redacted(report: &Value) {
    let text = transcript(report);
    assert!(
        text.contains("AUTH NTLM <redacted>") || text.contains("AUTHENTICATE NTLM <redacted>"),
        "{text}"
    );
    assert!(!report.to_string().contains("TlRMTVNT"), "{text}");
    assert!(
        !text.contains("334 T") && !text.contains("\"+ T"),
        "a challenge in the transcript: {text}"
    );
}

#[test]
fn smtp_ntlm_signs_in_in_every_user_form_and_security() {
    let dovecot = dovecot();
    let forms = [
        ("CORP\\tester", "CORP"),
        ("tester@outbound.test", "outbound.test"),
    ];
    for (security, port) in [("starttls", &dovecot.smtp), ("tls", &dovecot.smtps)] {
        for (user, domain) in forms {
            let out = dovecot.check(
                (security, port),
                &dovecot.password,
                &["--auth", "ntlm", "--user", user],
            );
            let report = json(&out);
            assert_eq!(code(&report), "ok", "{security} {user}: {report:#}");
            assert_eq!(out.status.code(), Some(0));
            let auth = step(&report, "auth");
            assert_eq!(auth["status"], "ok", "{auth:#}");
            assert_eq!(auth["args"]["mechanism"], "NTLM");
            let shown = format!("as user “tester” in domain “{domain}”");
            assert!(transcript(&report).contains(&shown), "{report:#}");
            assert_redacted(&report);
        }
    }
    // Dovecot turned the helper's DOMAIN\user into user@domain, lower-cased.
    let log = dovecot.log();
    assert!(
        log.contains("user=<tester@corp>, method=NTLM")
            && log.contains("user=<tester@outbound.test>, method=NTLM"),
        "{log}"
    );
}

#[test]
fn smtp_ntlm_with_the_domain_field_and_without_tls_warns() {
    let dovecot = dovecot();
    // The domain from the field (a saved profile's smtp.auth_domain).
    let sandbox = Sandbox::new();
    let mut profile = outbound::core::profile::Profile::named("windows");
    profile.delivery = outbound::core::profile::Delivery::Smtp;
    profile.smtp.host = "localhost".into();
    profile.smtp.port = dovecot.smtp.parse().unwrap();
    profile.smtp.security = outbound::core::profile::Security::None;
    profile.smtp.auth = outbound::core::profile::AuthMethod::Ntlm;
    profile.smtp.username = "tester".into();
    profile.smtp.auth_domain = "CORP".into();
    sandbox.save(&profile);
    let out = sandbox
        .cmd()
        .env("OB_NTLM_PASSWORD", &dovecot.password)
        .args([
            "check",
            "--profile",
            "windows",
            "--password-env",
            "OB_NTLM_PASSWORD",
        ])
        .arg("--json")
        .output()
        .unwrap();
    let report = json(&out);
    // Asked for: used in clear, with the warning that says what a listener gets.
    assert_eq!(code(&report), "ok", "{report:#}");
    let auth = step(&report, "auth");
    assert_eq!(auth["status"], "warning", "{auth:#}");
    assert_eq!(auth["code"], "auth_ntlm_clear", "{auth:#}");
    assert!(
        auth["detail"].as_str().unwrap().contains("offline"),
        "{auth:#}"
    );
    assert!(
        transcript(&report).contains("in domain “CORP”"),
        "{report:#}"
    );
    assert_redacted(&report);
}

#[test]
fn smtp_ntlm_refuses_a_wrong_password_or_domain() {
    let dovecot = dovecot();
    let tls = ("tls", dovecot.smtps.as_str());
    let wrong = dovecot.check(
        tls,
        "not the password",
        &["--auth", "ntlm", "--user", "CORP\\tester"],
    );
    let report = json(&wrong);
    assert_eq!(code(&report), "auth_failed", "{report:#}");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        step(&report, "auth")["detail"]
            .as_str()
            .unwrap()
            .starts_with("535"),
        "{report:#}"
    );
    assert_redacted(&report);
    let domain = dovecot.check(
        tls,
        &dovecot.password,
        &["--auth", "ntlm", "--user", "OTHER\\tester"],
    );
    assert_eq!(code(&json(&domain)), "auth_failed");
}

#[test]
fn smtp_auto_takes_ntlm_over_tls_only() {
    let dovecot = dovecot();
    // No ticket: over TLS `auto` goes on to NTLM with the password.
    let out = dovecot.check(
        ("tls", &dovecot.smtps),
        &dovecot.password,
        &["--auth", "auto", "--user", "CORP\\tester"],
    );
    let report = json(&out);
    assert_eq!(code(&report), "ok", "{report:#}");
    assert_eq!(step(&report, "auth")["args"]["mechanism"], "NTLM");
    // Without TLS it refuses rather than show a listener the NTLM answer.
    let out = dovecot.check(
        ("none", &dovecot.smtp),
        &dovecot.password,
        &["--auth", "auto", "--user", "CORP\\tester"],
    );
    let report = json(&out);
    assert_eq!(code(&report), "plaintext_auth_refused", "{report:#}");
    assert!(!transcript(&report).contains("AUTH NTLM"), "{report:#}");
}

#[test]
fn imap_ntlm_signs_in_over_starttls_and_tls_and_refuses_a_wrong_password() {
    let dovecot = dovecot();
    for (security, port) in [("starttls", &dovecot.imap), ("tls", &dovecot.imaps)] {
        for (user, auth) in [
            ("CORP\\tester", "ntlm"),
            ("tester@outbound.test", "ntlm"),
            // No ticket, LOGINDISABLED and no PLAIN: NTLM is what `auto` has.
            ("CORP\\tester", "auto"),
        ] {
            let out = dovecot.check(
                (security, port),
                &dovecot.password,
                &["--imap", "--auth", auth, "--user", user],
            );
            let report = json(&out);
            assert_eq!(code(&report), "ok", "{security} {user} {auth}: {report:#}");
            let login = step(&report, "login");
            assert_eq!(login["status"], "ok", "{login:#}");
            assert_eq!(login["args"]["mechanism"], "NTLM");
            assert_eq!(step(&report, "select")["status"], "ok");
            assert_redacted(&report);
        }
    }
    let wrong = dovecot.check(
        ("tls", &dovecot.imaps),
        "not the password",
        &["--imap", "--auth", "ntlm", "--user", "CORP\\tester"],
    );
    let report = json(&wrong);
    assert_eq!(code(&report), "auth_failed", "{report:#}");
    assert_eq!(step(&report, "login")["status"], "failed");
    assert_redacted(&report);
}

#[test]
fn imap_ntlm_without_tls_is_asked_for_and_warned_about() {
    let dovecot = dovecot();
    let plain = ("none", dovecot.imap.as_str());
    let out = dovecot.check(
        plain,
        &dovecot.password,
        &["--imap", "--auth", "ntlm", "--user", "CORP\\tester"],
    );
    let report = json(&out);
    assert_eq!(code(&report), "ok", "{report:#}");
    let login = step(&report, "login");
    assert_eq!(login["status"], "warning", "{login:#}");
    assert_eq!(login["code"], "auth_ntlm_clear");
    // `auto` does not send it in clear.
    let out = dovecot.check(
        plain,
        &dovecot.password,
        &["--imap", "--auth", "auto", "--user", "CORP\\tester"],
    );
    let report = json(&out);
    assert_eq!(code(&report), "plaintext_auth_refused", "{report:#}");
}

/// The window: NTLM is on the Incoming tab's list, says where its domain
/// comes from, opens the SMTP tab's domain field, and Check incoming signs
/// in through Dovecot with the SMTP password and that domain.
#[tokio::test]
async fn the_incoming_tab_signs_in_with_ntlm_and_the_smtp_tabs_domain() {
    use outbound::core::preferences::Preferences;
    use outbound::core::profile::{AuthMethod, ImapAuth, Profile, Security};
    use outbound::core::secret::Secret;
    use outbound::ui::app::{App, Message, Tab};
    use outbound::ui::pages::{incoming, smtp};
    use rustls::pki_types::pem::PemObject;
    use sandbox::ui::{click, interact, send, settle, shows};

    let dovecot = dovecot();
    let sandbox = Sandbox::new();
    let mut profile = Profile::named("exchange");
    profile.delivery = outbound::core::profile::Delivery::Smtp;
    profile.smtp.host = "localhost".into();
    profile.smtp.auth = AuthMethod::Plain;
    profile.smtp.username = "tester".into();
    profile.imap.host = "localhost".into();
    profile.imap.port = dovecot.imaps.parse().unwrap();
    profile.imap.security = Security::Tls;
    sandbox.save(&profile);
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), false);
    let ca = std::path::Path::new(&dovecot.ca);
    app.trust_roots(
        rustls::pki_types::CertificateDer::pem_file_iter(ca)
            .unwrap()
            .map(Result::unwrap)
            .collect(),
    );
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, "exchange")).await;
    let id = app.editor().unwrap().id;
    // SMTP signs in with PLAIN: its domain field is closed.
    send(&mut app, Message::Tab(Tab::Smtp)).await;
    interact(&mut app, |ui| {
        ui.click(iced_test::selector::id("smtp.auth_domain"))
            .unwrap();
        ui.typewrite("CORP");
    })
    .await;
    assert_eq!(app.editor().unwrap().draft.smtp.auth_domain, "");
    assert!(shows(&app, "tester"), "the SMTP tab is editable");
    // The pick list draws its own text: the choice is sent as the list sends it.
    send(&mut app, Message::Tab(Tab::Incoming)).await;
    assert!(shows(&app, "Check incoming"));
    send(
        &mut app,
        Message::Incoming(id, incoming::Message::Auth(ImapAuth::Ntlm)),
    )
    .await;
    assert!(shows(
        &app,
        "NTLM takes the domain from the user name (DOMAIN\\user or user@domain), \
         else from the “Domain (NTLM)” field on the SMTP tab."
    ));
    // Now the SMTP tab's domain field takes the domain.
    send(&mut app, Message::Tab(Tab::Smtp)).await;
    interact(&mut app, |ui| {
        click(ui, iced_test::selector::id("smtp.auth_domain"));
        ui.typewrite("CORP");
    })
    .await;
    assert_eq!(app.editor().unwrap().draft.smtp.auth_domain, "CORP");
    send(
        &mut app,
        Message::Smtp(smtp::Message::Password(Secret::from(
            dovecot.password.clone(),
        ))),
    )
    .await;
    send(&mut app, Message::Tab(Tab::Incoming)).await;
    // What NTLM will send shows before anything is sent.
    assert!(shows(
        &app,
        "NTLM signs in as user “tester” in domain “CORP”"
    ));
    interact(&mut app, |ui| click(ui, "Check incoming")).await;
    let report = app
        .editor()
        .unwrap()
        .incoming
        .report()
        .expect("the check finished")
        .clone();
    assert_eq!(
        report.diagnosis.code,
        outbound::core::check::Code::Ok,
        "{:?}",
        report.steps
    );
    let login = report
        .steps
        .iter()
        .find(|s| s.name.as_str() == "login")
        .expect("a login step");
    assert!(login.detail.contains("NTLM"), "{}", login.detail);
    let text: String = report
        .transcript
        .iter()
        .map(|line| line.text.clone())
        .collect();
    assert!(text.contains("in domain “CORP”"), "{text}");
    assert!(!text.contains(&dovecot.password));
    // The SMTP tab says the same of its own user name, split as sent.
    send(&mut app, Message::Tab(Tab::Smtp)).await;
    send(
        &mut app,
        Message::Smtp(smtp::Message::Auth(AuthMethod::Ntlm)),
    )
    .await;
    send(
        &mut app,
        Message::Smtp(smtp::Message::Username("OTHER\\tester".into())),
    )
    .await;
    assert!(shows(
        &app,
        "NTLM signs in as user “tester” in domain “CORP”"
    ));
}
