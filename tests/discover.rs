//! Discovery and the probe against real servers on loopback: Debian's dnsmasq
//! answering SRV, MX and address records, a small HTTP server serving autoconfig
//! files, aiosmtpd as the SMTP peer, and listeners that refuse or stay silent.
//! Discovery runs through the real `outbound detect` command.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::dns::{Running, dnsmasq, free_port};

/// A tiny HTTP/1.1 server answering GETs by path (the query is ignored).
fn http_server(routes: HashMap<String, String>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes = Arc::new(routes);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or(path);
                let (status, body) = match routes.get(path) {
                    Some(body) => ("200 OK", body.as_str()),
                    None => ("404 Not Found", "not here"),
                };
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    base
}

fn autoconfig(host: &str, port: u16, socket: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="test">
  <domain>%EMAILDOMAIN%</domain><displayName>Test ISP</displayName>
  <outgoingServer type="smtp"><hostname>{host}</hostname><port>{port}</port>
    <socketType>{socket}</socketType><username>%EMAILADDRESS%</username>
    <authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>"#
    )
}

struct Env {
    home: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Env {
    fn new(dns: &str, http: &str) -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
            vars: vec![
                ("OUTBOUND_TEST_DNS".into(), dns.into()),
                ("OUTBOUND_TEST_AUTOCONFIG_BASE".into(), http.into()),
            ],
        }
    }

    fn detect(&self, args: &[&str]) -> (Option<i32>, Value, Duration) {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_outbound"))
            .arg("detect")
            .args(args)
            .arg("--json")
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("OUTBOUND_LANG", "en")
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        let took = started.elapsed();
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code(), json, took)
    }
}

fn source_status<'a>(json: &'a Value, source: &str) -> &'a Value {
    json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == source)
        .unwrap_or_else(|| panic!("no {source}"))
}

fn winner(json: &Value) -> (String, String, u64, String) {
    let w = &json["winner"];
    (
        w["source"].as_str().unwrap_or_default().to_owned(),
        w["smtp"]["host"].as_str().unwrap_or_default().to_owned(),
        w["smtp"]["port"].as_u64().unwrap_or_default(),
        w["smtp"]["security"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[test]
fn the_highest_priority_source_that_answers_wins() {
    let (_dns, dns) = dnsmasq(&[
        // auto.test: every source answers.
        "--srv-host=_submissions._tcp.auto.test,srv-tls.auto.test,465,0,0",
        "--srv-host=_submission._tcp.auto.test,srv.auto.test,587,0,0",
        "--mx-host=auto.test,aspmx.l.google.com,10",
        // wk.test: .well-known and SRV.
        "--srv-host=_submissions._tcp.wk.test,srv-tls.wk.test,465,0,0",
        // srv.test: both SRV names; the lower priority number first.
        "--srv-host=_submissions._tcp.srv.test,backup.srv.test,465,20,0",
        "--srv-host=_submissions._tcp.srv.test,primary.srv.test,465,10,0",
        "--srv-host=_submission._tcp.srv.test,plain.srv.test,587,0,0",
        "--mx-host=srv.test,mx.yandex.net,10",
        // sub.test: `_submissions` says "no service" (target .), `_submission` answers.
        "--srv-host=_submissions._tcp.sub.test",
        "--srv-host=_submission._tcp.sub.test,mail.sub.test,587,0,0",
        // mx.test: only MX, hosted by Yandex 360.
        "--mx-host=mx.test,mx.yandex.net,10",
        // unknown.test: an MX no provider has.
        "--mx-host=unknown.test,mx.unknown.test,10",
    ]);
    let mut routes = HashMap::new();
    let path = |scheme: &str, host: &str, rest: &str| format!("/{scheme}/{host}/{rest}");
    let file = "mail/config-v1.1.xml";
    let wk = ".well-known/autoconfig/mail/config-v1.1.xml";
    routes.insert(
        path("https", "autoconfig.auto.test", file),
        autoconfig("smtp.%EMAILDOMAIN%", 465, "SSL"),
    );
    routes.insert(
        path("https", "auto.test", wk),
        autoconfig("wk.auto.test", 587, "STARTTLS"),
    );
    routes.insert(
        path("http", "autoconfig.auto.test", file),
        autoconfig("plain.auto.test", 587, "STARTTLS"),
    );
    routes.insert(
        path("https", "wk.test", wk),
        autoconfig("smtp.wk.test", 587, "STARTTLS"),
    );
    routes.insert(
        path("http", "autoconfig.plain.test", file),
        autoconfig("smtp.plain.test", 587, "STARTTLS"),
    );
    routes.insert(
        path("https", "autoconfig.gmail.com", file),
        autoconfig("wrong.gmail.com", 25, "plain"),
    );
    let http = http_server(routes);
    let env = Env::new(&dns, &http);

    let (code, json, _) = env.detect(&["someone@Gmail.com"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        winner(&json),
        (
            "bundled_directory".into(),
            "smtp.gmail.com".into(),
            465,
            "tls".into()
        )
    );
    assert_eq!(json["winner"]["provider"]["id"], "gmail");

    let (code, json, _) = env.detect(&["a@auto.test"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        winner(&json),
        (
            "autoconfig_https".into(),
            "smtp.auto.test".into(),
            465,
            "tls".into()
        )
    );
    assert_eq!(source_status(&json, "user_directory")["status"], "failed");
    assert_eq!(
        source_status(&json, "autoconfig_https")["status"],
        "answered"
    );

    let (_, json, _) = env.detect(&["a@wk.test"]);
    assert_eq!(
        winner(&json),
        (
            "autoconfig_well_known".into(),
            "smtp.wk.test".into(),
            587,
            "starttls".into()
        )
    );
    assert_eq!(source_status(&json, "autoconfig_https")["status"], "failed");

    let (_, json, _) = env.detect(&["a@srv.test"]);
    assert_eq!(
        winner(&json),
        (
            "srv_submissions".into(),
            "primary.srv.test".into(),
            465,
            "tls".into()
        )
    );

    let (_, json, _) = env.detect(&["a@sub.test"]);
    assert_eq!(
        winner(&json),
        (
            "srv_submission".into(),
            "mail.sub.test".into(),
            587,
            "starttls".into()
        )
    );
    let no_service = source_status(&json, "srv_submissions");
    assert_eq!(no_service["status"], "failed");
    assert!(
        no_service["reason"]
            .as_str()
            .unwrap()
            .contains("no such service"),
        "{no_service}"
    );

    let (_, json, _) = env.detect(&["a@mx.test"]);
    assert_eq!(
        winner(&json),
        ("mx".into(), "smtp.yandex.ru".into(), 465, "tls".into())
    );
    assert_eq!(json["winner"]["provider"]["id"], "yandex-360");

    let (_, json, _) = env.detect(&["a@plain.test"]);
    assert_eq!(
        winner(&json),
        (
            "autoconfig_http".into(),
            "smtp.plain.test".into(),
            587,
            "starttls".into()
        )
    );
    assert_eq!(json["winner"]["insecure"], true);

    // The user's directory comes before everything, the bundled one included.
    let config = env.home.path().join("config/outbound");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("providers.toml"),
        "format = 1\n[[provider]]\nid = \"mine\"\nname = \"Mine\"\ndomains = [\"gmail.com\", \"auto.test\"]\n\
         smtp = { host = \"relay.mine.test\", port = 587, security = \"starttls\" }\n",
    )
    .unwrap();
    for address in ["someone@gmail.com", "a@auto.test"] {
        let (_, json, _) = env.detect(&[address]);
        assert_eq!(
            winner(&json),
            (
                "user_directory".into(),
                "relay.mine.test".into(),
                587,
                "starttls".into()
            )
        );
    }
}

fn python() -> String {
    std::env::var("OUTBOUND_TEST_PYTHON")
        .expect("OUTBOUND_TEST_PYTHON names a Python with aiosmtpd (./tests/run sets it)")
}

/// aiosmtpd on a loopback port: a real SMTP server (no STARTTLS, no TLS).
fn aiosmtpd() -> (Running, u16) {
    aiosmtpd_with(&[])
}

/// aiosmtpd with extra arguments (`--smtpscert`/`--smtpskey` for implicit TLS,
/// `--tlscert`/`--tlskey` for STARTTLS).
fn aiosmtpd_with(extra: &[&str]) -> (Running, u16) {
    let port = free_port();
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "aiosmtpd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Running(child), port)
}

/// Accepts connections and never says a word.
fn silent_listener() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// A web server where mail is expected: answers every connection with HTTP.
fn http_speaking_listener() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    port
}

fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn candidate<'a>(json: &'a Value, host: &str, port: u64, security: &str) -> &'a Value {
    json["probe"]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["candidate"]["host"] == host
                && c["candidate"]["port"] == port
                && c["candidate"]["security"] == security
        })
        .unwrap_or_else(|| panic!("no candidate {host}:{port} {security}"))
}

#[test]
fn the_probe_finds_the_server_that_speaks_and_says_why_the_others_lost() {
    let (_dns, dns) = dnsmasq(&["--host-record=smtp.probe.test,127.0.0.1"]);
    let http = http_server(HashMap::new());
    let (_smtp, smtp_port) = aiosmtpd();
    let silent = silent_listener();
    let refused = closed_port();
    let mut env = Env::new(&dns, &http);
    // 465 (TLS) stays silent, 587 refuses, 25 is aiosmtpd (no STARTTLS).
    env.vars.push((
        "OUTBOUND_TEST_PROBE_PORTS".into(),
        format!("465={silent},587={refused},25={smtp_port}"),
    ));

    let (code, json, took) = env.detect(&["someone@probe.test"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        winner(&json),
        ("probe".into(), "smtp.probe.test".into(), 25, "none".into())
    );
    assert!(
        // The 8 s detection bound, plus start-up and a loaded machine's slack;
        // far below the 20 s a probe without the bound would wait.
        took < Duration::from_secs(13),
        "bounded by the 8 s detection timeout: {took:?}"
    );

    let report = |port, security| candidate(&json, "smtp.probe.test", port, security);
    let tls = report(465, "tls");
    assert_eq!(tls["outcome"], "grace_expired", "{tls}");
    assert!(
        tls["lost_because"]
            .as_str()
            .unwrap()
            .contains("still silent"),
        "{tls}"
    );
    let starttls = report(587, "starttls");
    assert_eq!(starttls["outcome"], "refused", "{starttls}");
    let no_starttls = report(25, "starttls");
    assert_eq!(no_starttls["outcome"], "failed", "{no_starttls}");
    assert!(
        no_starttls["lost_because"]
            .as_str()
            .unwrap()
            .contains("STARTTLS"),
        "{no_starttls}"
    );
    assert_eq!(report(587, "none")["outcome"], "refused");
    let answer = report(25, "none");
    assert_eq!(answer["outcome"], "answered", "{answer}");
    assert!(answer["lost_because"].is_null());
    assert!(answer["greeting"].as_str().unwrap().len() > 1);
    let missing = candidate(&json, "mail.probe.test", 465, "tls");
    assert_eq!(missing["outcome"], "no_address", "{missing}");
    // Every higher-ranked candidate is accounted for with a reason.
    let winner_rank = answer["rank"].as_u64().unwrap();
    for c in json["probe"]["candidates"].as_array().unwrap() {
        if c["rank"].as_u64().unwrap() < winner_rank {
            assert!(c["lost_because"].is_string(), "{c}");
            assert_ne!(c["outcome"], "answered", "{c}");
        }
    }
}

#[test]
fn a_plain_server_on_the_tls_port_loses_for_its_tls_handshake_and_nothing_found_is_a_problem() {
    let (_dns, dns) = dnsmasq(&["--host-record=smtp.mixed.test,127.0.0.1"]);
    let http = http_server(HashMap::new());
    let (_smtp, smtp_port) = aiosmtpd();
    let refused = closed_port();
    let web = http_speaking_listener();
    let mut env = Env::new(&dns, &http);
    env.vars.push((
        "OUTBOUND_TEST_PROBE_PORTS".into(),
        format!("465={smtp_port},587={web},25={refused}"),
    ));
    let (code, json, _) = env.detect(&["x@mixed.test"]);
    assert_eq!(code, Some(1), "nothing usable: exit status 1\n{json:#}");
    assert!(json["winner"].is_null());
    let tls = candidate(&json, "smtp.mixed.test", 465, "tls");
    assert_eq!(tls["outcome"], "failed", "{tls}");
    assert!(
        tls["lost_because"].as_str().unwrap().contains("TLS"),
        "{tls}"
    );
    for security in ["starttls", "none"] {
        let web = candidate(&json, "smtp.mixed.test", 587, security);
        assert_eq!(web["outcome"], "failed", "{web}");
        assert!(
            web["lost_because"]
                .as_str()
                .unwrap()
                .contains("not an SMTP reply: HTTP/1.1 400"),
            "{web}"
        );
    }
}

#[test]
fn probing_on_request_keeps_the_directory_answer() {
    let (_dns, dns) = dnsmasq(&["--host-record=smtp.yandex.ru,127.0.0.1"]);
    let http = http_server(HashMap::new());
    let (_smtp, smtp_port) = aiosmtpd();
    let refused = closed_port();
    let mut env = Env::new(&dns, &http);
    env.vars.push((
        "OUTBOUND_TEST_PROBE_PORTS".into(),
        format!("465={refused},587={refused},25={smtp_port}"),
    ));
    let (code, json, _) = env.detect(&["someone@yandex.ru", "--probe"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        winner(&json),
        (
            "bundled_directory".into(),
            "smtp.yandex.ru".into(),
            465,
            "tls".into()
        )
    );
    assert_eq!(
        json["probe"]["winner"].as_u64().map(|_| ()),
        Some(()),
        "{json:#}"
    );
    assert_eq!(
        candidate(&json, "smtp.yandex.ru", 25, "none")["outcome"],
        "answered"
    );
}

#[test]
fn a_detection_where_everything_is_silent_ends_within_its_bound() {
    // A DNS server that never answers, and an HTTP server that accepts and never speaks.
    let dns = UdpSocket::bind("127.0.0.1:0").unwrap();
    let dns_address = dns.local_addr().unwrap().to_string();
    let http = silent_listener();
    let mut env = Env::new(&dns_address, &format!("http://127.0.0.1:{http}"));
    let silent = silent_listener();
    env.vars.push((
        "OUTBOUND_TEST_PROBE_PORTS".into(),
        format!("465={silent},587={silent},25={silent}"),
    ));
    let (code, json, took) = env.detect(&["someone@silent.test", "--probe"]);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(json["winner"].is_null());
    assert!(
        took < Duration::from_secs(13),
        "the 8 s bound plus start-up: {took:?}"
    );
    for source in ["autoconfig_https", "srv_submissions", "mx"] {
        let status = &source_status(&json, source)["status"];
        assert!(
            status == "failed" || status == "timed_out",
            "{source}: {status}"
        );
    }
    drop(dns);
}

/// A throw-away self-signed certificate and key made by openssl.
fn certificate(dir: &Path) -> (String, String) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=smtp.tls.test",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success());
    (
        cert.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    )
}

#[test]
fn the_probe_speaks_implicit_tls_and_starttls() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path());
    let (_dns, dns) = dnsmasq(&["--host-record=smtp.tls.test,127.0.0.1"]);
    let http = http_server(HashMap::new());
    let (_smtps, smtps_port) = aiosmtpd_with(&["--smtpscert", &cert, "--smtpskey", &key]);
    let (_starttls, starttls_port) = aiosmtpd_with(&["--tlscert", &cert, "--tlskey", &key]);
    let refused = closed_port();

    let mut env = Env::new(&dns, &http);
    env.vars.push((
        "OUTBOUND_TEST_PROBE_PORTS".into(),
        format!("465={smtps_port},587={starttls_port},25={refused}"),
    ));
    let (code, json, _) = env.detect(&["a@tls.test"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        winner(&json),
        ("probe".into(), "smtp.tls.test".into(), 465, "tls".into())
    );
    assert_eq!(
        candidate(&json, "smtp.tls.test", 465, "tls")["outcome"],
        "answered"
    );

    let mut env = Env::new(&dns, &http);
    env.vars.push((
        "OUTBOUND_TEST_PROBE_PORTS".into(),
        format!("465={refused},587={starttls_port},25={refused}"),
    ));
    let (code, json, _) = env.detect(&["a@tls.test"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        winner(&json),
        (
            "probe".into(),
            "smtp.tls.test".into(),
            587,
            "starttls".into()
        )
    );
    let answer = candidate(&json, "smtp.tls.test", 587, "starttls");
    assert_eq!(answer["outcome"], "answered", "{answer}");
    // "answered" for STARTTLS means the handshake and the EHLO after it succeeded.
    assert_eq!(
        candidate(&json, "smtp.tls.test", 465, "tls")["outcome"],
        "refused"
    );
}
