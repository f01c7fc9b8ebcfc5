//! The check benchmark: `outbound check --send` against aiosmtpd (STARTTLS,
//! AUTH PLAIN, PIPELINING advertised), directly and behind a proxy adding 25 ms
//! one-way delay to every chunk, next to swaks and msmtp sending the same kind
//! of message when they are installed. Prints medians, ratios and the client's
//! round trips (flights of client data that wait for the server), counted in
//! the proxy.
//!
//! Run: `cargo bench --bench check` (OUTBOUND_TEST_PYTHON: a python with aiosmtpd).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use support::{DELAY, DelayProxy, installed, median, ms, python};

const USER: &str = "tester";
const PASSWORD: &str = "bench-password";
const RUNS: usize = 9;

struct Peer {
    port: u16,
    child: Child,
    _store: tempfile::TempDir,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_peer(cert: &Path, key: &Path) -> Peer {
    let store = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/smtp_peer.py");
    let mut child = Command::new(python())
        .arg(script)
        .args([
            "--mode",
            "starttls",
            "--pipelining",
            "--user",
            USER,
            "--password",
            PASSWORD,
            "--store",
        ])
        .arg(store.path())
        .arg("--cert")
        .arg(cert)
        .arg("--key")
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start aiosmtpd (set OUTBOUND_TEST_PYTHON)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("PORT ")
        .expect("peer port")
        .parse()
        .unwrap();
    Peer {
        port,
        child,
        _store: store,
    }
}

struct Setup {
    dir: tempfile::TempDir,
    ca: PathBuf,
    message: PathBuf,
}

fn setup() -> (Setup, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Bench CA");
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let ca = dir.path().join("ca.pem");
    let cert = dir.path().join("cert.pem");
    let key_file = dir.path().join("key.pem");
    std::fs::write(&ca, issuer.pem()).unwrap();
    std::fs::write(&cert, leaf.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    let message = dir.path().join("message.eml");
    let mut file = std::fs::File::create(&message).unwrap();
    write!(
        file,
        "From: \"Bench\" <sender@example.org>\r\nTo: rcpt@example.net\r\nSubject: Outbound test message\r\n\
         Date: Sun, 22 Nov 2026 18:00:00 +0000\r\nMessage-ID: <bench@example.org>\r\n\r\n\
         This is a test message sent to compare clients.\r\n"
    )
    .unwrap();
    (Setup { dir, ca, message }, cert, key_file)
}

fn commands(setup: &Setup, port: u16) -> Vec<(&'static str, Command)> {
    let mut list = Vec::new();
    let mut outbound = Command::new(env!("CARGO_BIN_EXE_outbound"));
    outbound
        .args([
            "check",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--security",
            "starttls",
        ])
        .args([
            "--auth",
            "plain",
            "--user",
            USER,
            "--password-env",
            "BENCH_PASSWORD",
        ])
        .args([
            "--from",
            "sender@example.org",
            "--to",
            "rcpt@example.net",
            "--send",
            "--json",
        ])
        .env("BENCH_PASSWORD", PASSWORD)
        .env("SSL_CERT_FILE", &setup.ca)
        .env("OUTBOUND_LANG", "en")
        .env("XDG_DATA_HOME", setup.dir.path())
        .env("XDG_CONFIG_HOME", setup.dir.path());
    list.push(("outbound", outbound));
    if let Some(swaks) = installed("swaks") {
        let mut command = Command::new(swaks);
        command
            .args([
                "--server",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--tls",
            ])
            .args([
                "--auth",
                "PLAIN",
                "--auth-user",
                USER,
                "--auth-password",
                PASSWORD,
            ])
            .args([
                "--from",
                "sender@example.org",
                "--to",
                "rcpt@example.net",
                "--silent",
                "2",
            ])
            .arg("--data")
            .arg(&setup.message);
        list.push(("swaks", command));
    }
    if let Some(msmtp) = installed("msmtp") {
        let config = setup.dir.path().join(format!("msmtprc-{port}"));
        std::fs::write(
            &config,
            format!(
                "account default\nhost 127.0.0.1\nport {port}\ntls on\ntls_starttls on\ntls_trust_file {}\n\
                 auth plain\nuser {USER}\npassword {PASSWORD}\nfrom sender@example.org\n",
                setup.ca.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let mut command = Command::new(msmtp);
        command
            .arg("-C")
            .arg(&config)
            .args(["-f", "sender@example.org", "--", "rcpt@example.net"]);
        list.push(("msmtp", command));
    }
    list
}

/// Runs a command once with the message on stdin; panics when it fails.
fn run_once(name: &str, command: &mut Command, message: &Path) -> Duration {
    let input = std::fs::File::open(message).unwrap();
    let started = Instant::now();
    let output = command
        .stdin(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{name} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let (setup, cert, key) = setup();
    let peer = start_peer(&cert, &key);
    let delayed_proxy = runtime.block_on(DelayProxy::start(peer.port, DELAY));

    println!(
        "check benchmark: {RUNS} runs each, median; aiosmtpd STARTTLS + AUTH PLAIN + PIPELINING"
    );
    let mut results: Vec<(&str, Duration, Duration, u32)> = Vec::new();
    let direct = commands(&setup, peer.port);
    let delayed = commands(&setup, delayed_proxy.port);
    for ((name, mut direct), (_, mut delayed)) in direct.into_iter().zip(delayed) {
        run_once(name, &mut direct, &setup.message); // warm-up (page cache, first handshake)
        let loopback = median(
            (0..RUNS)
                .map(|_| run_once(name, &mut direct, &setup.message))
                .collect(),
        );
        delayed_proxy.clear();
        let slow = median(
            (0..RUNS)
                .map(|_| run_once(name, &mut delayed, &setup.message))
                .collect(),
        );
        let round_trips = delayed_proxy.max_round_trips();
        results.push((name, loopback, slow, round_trips));
    }
    println!(
        "{:<10} {:>12} {:>16} {:>12}",
        "client", "loopback ms", "25 ms one-way", "round trips"
    );
    for (name, loopback, slow, round_trips) in &results {
        println!(
            "{name:<10} {:>12.1} {:>16.1} {:>12}",
            ms(*loopback),
            ms(*slow),
            round_trips
        );
    }
    let find = |wanted: &str| results.iter().find(|r| r.0 == wanted);
    if let Some(outbound) = find("outbound") {
        if let Some(msmtp) = find("msmtp") {
            println!(
                "outbound / msmtp at 25 ms one-way: {:.2}x (target ≤ 0.85)",
                ms(outbound.2) / ms(msmtp.2)
            );
        }
        if let Some(swaks) = find("swaks") {
            println!(
                "outbound / swaks on loopback:     {:.2}x (target ≤ 0.30)",
                ms(outbound.1) / ms(swaks.1)
            );
        }
        println!("outbound round trips: {} (target ≤ 7)", outbound.3);
    }
    drop(peer);
}
