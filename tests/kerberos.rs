//! `smtp.auth = gssapi`, `imap.auth = gssapi` and `auto` with Kerberos, as a
//! user runs `outbound check`: against a real MIT KDC with its own realm and a
//! Dovecot that takes AUTH GSSAPI with the keytab of `smtp/localhost` and
//! `imap/localhost`, without TLS, with STARTTLS and with TLS
//! (tests/peers/windows_auth, started by tests/session). Each test has its own
//! ticket cache made by `kinit`, given to the child process only (KRB5CCNAME,
//! KRB5_CONFIG).

mod sandbox;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sandbox::{Sandbox, code, json, step, winauth_var};
use serde_json::Value;

/// The realm and server of tests/peers/windows_auth, from tests/session's env.
struct Realm {
    config: String,
    realm: String,
    user: String,
    password: String,
    port: String,
    smtps_port: String,
    imap_port: String,
    imaps_port: String,
    /// The authority of the server's certificate (the mail stack's).
    ca: String,
}

fn realm() -> Realm {
    Realm {
        config: winauth_var("OUTBOUND_TEST_KRB5_CONFIG"),
        realm: winauth_var("OUTBOUND_TEST_KRB5_REALM"),
        user: winauth_var("OUTBOUND_TEST_WINAUTH_USER"),
        password: winauth_var("OUTBOUND_TEST_KRB5_PASSWORD"),
        port: winauth_var("OUTBOUND_TEST_WINAUTH_SMTP_PORT"),
        smtps_port: winauth_var("OUTBOUND_TEST_WINAUTH_SMTPS_PORT"),
        imap_port: winauth_var("OUTBOUND_TEST_WINAUTH_IMAP_PORT"),
        imaps_port: winauth_var("OUTBOUND_TEST_WINAUTH_IMAPS_PORT"),
        ca: winauth_var("OUTBOUND_TEST_WINAUTH_CA"),
    }
}

/// A private ticket cache in `dir`, empty until [`Realm::kinit`] fills it.
fn cache(dir: &Path) -> PathBuf {
    dir.join("krb5cc")
}

/// The realm, a sandbox and, in its private cache, the user's ticket.
fn with_ticket() -> (Realm, Sandbox, PathBuf) {
    let realm = realm();
    let sandbox = Sandbox::new();
    let cache = cache(sandbox.dir.path());
    realm.kinit(&cache, None);
    (realm, sandbox, cache)
}

impl Realm {
    /// The user's ticket in `cache`, with `lifetime` as kinit's `-l` when given.
    fn kinit(&self, cache: &Path, lifetime: Option<&str>) {
        let mut command = Command::new("kinit");
        command
            .env("KRB5_CONFIG", &self.config)
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()));
        if let Some(lifetime) = lifetime {
            command.args(["-l", lifetime]);
        }
        let mut child = command
            .arg(format!("{}@{}", self.user, self.realm))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kinit (krb5-user) runs");
        writeln!(child.stdin.take().unwrap(), "{}", self.password).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "kinit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `outbound check` against the Dovecot's submission without TLS under
    /// `host`, with `cache` as the ticket cache and `extra` arguments.
    fn check(&self, sandbox: &Sandbox, host: &str, cache: &Path, extra: &[&str]) -> Output {
        self.check_over(sandbox, host, cache, ("none", &self.port), extra)
    }

    /// As [`Realm::check`] with `security` on `port`, trusting the server's
    /// authority (pass `--imap` in `extra` for the IMAP check).
    fn check_over(
        &self,
        sandbox: &Sandbox,
        host: &str,
        cache: &Path,
        (security, port): (&str, &str),
        extra: &[&str],
    ) -> Output {
        let mut command = sandbox.cmd();
        command
            .env("KRB5_CONFIG", &self.config)
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
            .env("SSL_CERT_FILE", &self.ca)
            .env_remove("KRB5_TRACE")
            .args(["check", "--host", host, "--port", port])
            .args(["--security", security, "--json"])
            .args(extra);
        command.output().unwrap()
    }

    fn principal(&self, name: &str) -> String {
        format!("{name}@{}", self.realm)
    }
}

fn auth_step(report: &Value) -> &Value {
    step(report, "auth")
}

fn transcript(report: &Value) -> Vec<(String, String)> {
    report["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["direction"].as_str().unwrap().to_owned(),
                line["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The mechanism is named, every token (the client's and the server's) is
/// `<redacted>`: a Kerberos token is DER starting with 0x60, base64 `Y`.
/// SMTP's `AUTH GSSAPI` and `334`, or IMAP's `a1 AUTHENTICATE GSSAPI` and `+`.
fn assert_tokens_redacted(report: &Value) {
    let lines = transcript(report);
    let start = lines
        .iter()
        .position(|(direction, text)| {
            direction == "client" && (text.starts_with("AUTH ") || text.contains(" AUTHENTICATE "))
        })
        .unwrap_or_else(|| panic!("no AUTH in {lines:#?}"));
    let command = lines[start].1.as_str();
    assert!(
        command == "AUTH GSSAPI <redacted>" || command.ends_with(" AUTHENTICATE GSSAPI <redacted>"),
        "{lines:#?}"
    );
    let challenge = if command.starts_with("AUTH ") {
        "334 "
    } else {
        "+ "
    };
    let mut rounds = 0;
    for (direction, text) in &lines[start + 1..] {
        match direction.as_str() {
            "server" if text.starts_with(challenge) => {
                rounds += 1;
                assert_eq!(text, &format!("{challenge}<redacted>"), "{lines:#?}");
            }
            "server" => break,
            "client" => assert!(text.is_empty() || text == "<redacted>", "{lines:#?}"),
            _ => {}
        }
    }
    assert!(
        rounds >= 2,
        "mutual authentication and the security layer: {lines:#?}"
    );
    assert!(
        !report.to_string().contains("YII"),
        "a Kerberos token in the report: {report:#}"
    );
}

#[test]
fn a_ticket_signs_in_and_the_auth_step_names_both_principals() {
    let (realm, sandbox, cache) = with_ticket();
    let out = realm.check(
        &sandbox,
        "localhost",
        &cache,
        &[
            "--auth",
            "gssapi",
            "--send",
            "--from",
            "tester@example.org",
            "--to",
            "someone@example.net",
        ],
    );
    let report = json(&out);
    assert_eq!(code(&report), "ok", "{report:#}");
    assert_eq!(out.status.code(), Some(0));
    let auth = auth_step(&report);
    // No password was sent, so no warning for the unencrypted connection.
    assert_eq!(auth["status"], "ok", "{auth:#}");
    assert_eq!(auth["args"]["mechanism"], "GSSAPI");
    assert_eq!(auth["args"]["principal"], realm.principal("smtp/localhost"));
    assert_eq!(auth["args"]["realm"], realm.realm.as_str());
    assert_eq!(auth["args"]["account"], realm.principal(&realm.user));
    assert_eq!(auth["args"]["client_realm"], realm.realm.as_str());
    let detail = auth["detail"].as_str().unwrap();
    assert!(
        detail.contains(&realm.principal("smtp/localhost")) && detail.contains("235"),
        "{detail}"
    );
    assert_eq!(report["sent"], true, "{report:#}");
    assert_tokens_redacted(&report);
}

#[test]
fn auto_takes_kerberos_when_a_ticket_is_held() {
    let (realm, sandbox, cache) = with_ticket();
    let report = json(&realm.check(&sandbox, "localhost", &cache, &["--auth", "auto"]));
    assert_eq!(code(&report), "ok", "{report:#}");
    assert_eq!(auth_step(&report)["args"]["mechanism"], "GSSAPI");
    assert_tokens_redacted(&report);
}

#[test]
fn no_ticket_is_kerberos_no_ticket_and_nothing_is_sent() {
    let realm = realm();
    let sandbox = Sandbox::new();
    // An empty private cache: kinit never ran.
    let cache = cache(sandbox.dir.path());
    for auth in ["gssapi", "auto"] {
        let out = realm.check(&sandbox, "localhost", &cache, &["--auth", auth]);
        let report = json(&out);
        assert_eq!(code(&report), "kerberos_no_ticket", "{auth}: {report:#}");
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(report["diagnosis"]["args"]["found"], "none");
        assert_eq!(auth_step(&report)["status"], "failed");
        assert!(
            report["diagnosis"]["hint"]
                .as_str()
                .unwrap()
                .contains("kinit"),
            "{report:#}"
        );
        assert!(
            !transcript(&report)
                .iter()
                .any(|(d, t)| d == "client" && t.starts_with("AUTH")),
            "{report:#}"
        );
    }
    // In Russian too.
    let mut command = sandbox.cmd();
    let out = command
        .env("OUTBOUND_LANG", "ru")
        .env("KRB5_CONFIG", &realm.config)
        .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
        .args(["check", "--host", "localhost", "--port", &realm.port])
        .args(["--security", "none", "--auth", "gssapi", "--json"])
        .output()
        .unwrap();
    let report = json(&out);
    let hint = report["diagnosis"]["hint"].as_str().unwrap();
    assert!(hint.contains("kinit") && hint.contains("домен"), "{hint}");
}

#[test]
fn an_expired_ticket_says_it_expired() {
    let realm = realm();
    let sandbox = Sandbox::new();
    let cache = cache(sandbox.dir.path());
    realm.kinit(&cache, Some("2s"));
    // Wait until klist no longer calls the ticket valid (no assertion on time).
    let valid = || {
        Command::new("klist")
            .arg("-s")
            .env("KRB5_CONFIG", &realm.config)
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
            .status()
            .unwrap()
            .success()
    };
    for _ in 0..300 {
        if !valid() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!valid(), "the 2 s ticket never expired");
    let report = json(&realm.check(&sandbox, "localhost", &cache, &["--auth", "gssapi"]));
    assert_eq!(code(&report), "kerberos_no_ticket", "{report:#}");
    assert_eq!(
        report["diagnosis"]["args"]["found"], "expired",
        "{report:#}"
    );
    let message = report["diagnosis"]["message"].as_str().unwrap();
    assert!(message.contains("expired"), "{message}");
}

/// A clock an hour off, without touching the machine's: MIT keeps the KDC's
/// time offset in the cache's header (tag 1, `kdc_timesync`) and adds it to
/// every timestamp it sends, so the KDC sees this client an hour ahead.
#[test]
fn a_clock_an_hour_off_is_kerberos_clock_skew() {
    let (realm, sandbox, cache) = with_ticket();
    let mut bytes = std::fs::read(&cache).unwrap();
    // Version 0x0504, header length 12, tag 1 of length 8: seconds, microseconds.
    assert_eq!(
        bytes[..8],
        [5, 4, 0, 12, 0, 1, 0, 8],
        "a v4 cache with a time offset"
    );
    bytes[8..12].copy_from_slice(&3600_i32.to_be_bytes());
    std::fs::write(&cache, bytes).unwrap();
    let report = json(&realm.check(&sandbox, "localhost", &cache, &["--auth", "gssapi"]));
    assert_eq!(code(&report), "kerberos_clock_skew", "{report:#}");
    let hint = report["diagnosis"]["hint"].as_str().unwrap();
    assert!(hint.contains("NTP"), "{hint}");
}

#[test]
fn a_name_the_realm_has_no_principal_for_is_kerberos_unknown_server() {
    let (realm, sandbox, cache) = with_ticket();
    // The same server by its address: the realm knows smtp/localhost only.
    for auth in ["gssapi", "auto"] {
        let report = json(&realm.check(&sandbox, "127.0.0.1", &cache, &["--auth", auth]));
        assert_eq!(
            code(&report),
            "kerberos_unknown_server",
            "{auth}: {report:#}"
        );
        assert_eq!(report["diagnosis"]["args"]["name"], "smtp/127.0.0.1");
        let hint = report["diagnosis"]["hint"].as_str().unwrap();
        assert!(hint.contains("must match its principal"), "{hint}");
    }
}

#[test]
fn without_the_system_library_gssapi_is_unavailable() {
    let (realm, sandbox, cache) = with_ticket();
    let mut command = sandbox.cmd();
    let out = command
        .env(
            "OUTBOUND_GSSAPI_LIBRARY",
            "/nonexistent/libgssapi_krb5.so.2",
        )
        .env("KRB5_CONFIG", &realm.config)
        .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
        .args(["check", "--host", "localhost", "--port", &realm.port])
        .args(["--security", "none", "--auth", "gssapi", "--json"])
        .output()
        .unwrap();
    let report = json(&out);
    assert_eq!(code(&report), "cannot_start", "{report:#}");
    let message = report["diagnosis"]["message"].as_str().unwrap();
    assert!(
        message.contains("GSSAPI (Kerberos) is unavailable"),
        "{message}"
    );
}

/// `outbound send` through a Kerberos profile needs no keyring: on a
/// machine without a session bus (a server, cron) it still delivers with
/// the user's ticket.
#[test]
fn send_through_a_kerberos_profile_needs_no_keyring() {
    use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};
    let (realm, sandbox, cache) = with_ticket();
    let mut profile = Profile::named("kerberos_send");
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "localhost".into();
    profile.smtp.port = realm.port.parse().unwrap();
    profile.smtp.security = Security::None;
    profile.smtp.auth = AuthMethod::Gssapi;
    profile.sender.address = "tester@example.org".into();
    sandbox.save(&profile);
    let mut command = sandbox.cmd();
    command
        .args(["send", "-t", "--profile", "kerberos_send"])
        .env("KRB5_CONFIG", &realm.config)
        .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let out = sandbox::feed(
        command,
        b"To: someone@example.net\nSubject: kerberos\n\nbody\n",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("queued"), "sent, not queued: {stderr}");
}

#[test]
fn gssapi_signs_in_over_starttls_and_tls() {
    let (realm, sandbox, cache) = with_ticket();
    for (security, port, tls_step) in [
        ("starttls", realm.port.as_str(), "starttls"),
        ("tls", realm.smtps_port.as_str(), "tls"),
    ] {
        for auth in ["gssapi", "auto"] {
            let out = realm.check_over(
                &sandbox,
                "localhost",
                &cache,
                (security, port),
                &["--auth", auth],
            );
            let report = json(&out);
            assert_eq!(code(&report), "ok", "{security} {auth}: {report:#}");
            assert_eq!(step(&report, tls_step)["status"], "ok", "{report:#}");
            let auth_step = auth_step(&report);
            assert_eq!(auth_step["args"]["mechanism"], "GSSAPI", "{auth_step:#}");
            assert_eq!(
                auth_step["args"]["principal"],
                realm.principal("smtp/localhost")
            );
            assert_tokens_redacted(&report);
        }
    }
}

#[test]
fn the_imap_check_signs_in_with_the_ticket_for_imap_localhost() {
    let (realm, sandbox, cache) = with_ticket();
    for (security, port) in [
        ("none", realm.imap_port.as_str()),
        ("starttls", realm.imap_port.as_str()),
        ("tls", realm.imaps_port.as_str()),
    ] {
        // `auto` with a user name and no password: the ticket is what signs in.
        for auth in ["gssapi", "auto"] {
            let out = realm.check_over(
                &sandbox,
                "localhost",
                &cache,
                (security, port),
                &["--imap", "--auth", auth, "--user", "tester"],
            );
            let report = json(&out);
            assert_eq!(code(&report), "ok", "{security} {auth}: {report:#}");
            assert_eq!(out.status.code(), Some(0));
            let login = step(&report, "login");
            assert_eq!(login["status"], "ok", "{login:#}");
            assert_eq!(login["args"]["mechanism"], "GSSAPI");
            assert_eq!(
                login["args"]["principal"],
                realm.principal("imap/localhost")
            );
            assert_eq!(login["args"]["account"], realm.principal(&realm.user));
            assert_eq!(login["args"]["realm"], realm.realm.as_str());
            assert!(
                login["detail"]
                    .as_str()
                    .unwrap()
                    .contains(&realm.principal("imap/localhost")),
                "{login:#}"
            );
            assert_eq!(step(&report, "select")["status"], "ok", "{report:#}");
            assert_tokens_redacted(&report);
        }
    }
}

#[test]
fn the_imap_check_without_a_ticket_or_by_address_says_why() {
    let realm = realm();
    let sandbox = Sandbox::new();
    let cache = cache(sandbox.dir.path());
    let imap = ("none", realm.imap_port.as_str());
    // No ticket at all.
    let out = realm.check_over(
        &sandbox,
        "localhost",
        &cache,
        imap,
        &["--imap", "--auth", "gssapi"],
    );
    let report = json(&out);
    assert_eq!(code(&report), "kerberos_no_ticket", "{report:#}");
    assert_eq!(report["diagnosis"]["args"]["name"], "imap/localhost");
    assert_eq!(step(&report, "login")["status"], "failed");
    assert!(
        !transcript(&report)
            .iter()
            .any(|(d, t)| d == "client" && t.contains("AUTHENTICATE")),
        "nothing is sent without a ticket: {report:#}"
    );
    // A ticket, but the realm has no imap/127.0.0.1.
    realm.kinit(&cache, None);
    let out = realm.check_over(
        &sandbox,
        "127.0.0.1",
        &cache,
        imap,
        &["--imap", "--auth", "gssapi"],
    );
    let report = json(&out);
    assert_eq!(code(&report), "kerberos_unknown_server", "{report:#}");
    assert_eq!(report["diagnosis"]["args"]["name"], "imap/127.0.0.1");
}
