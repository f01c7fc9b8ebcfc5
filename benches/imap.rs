//! The IMAP benchmark, against the private Postfix + Dovecot of the tests
//! (tests/peers/mailstack):
//!
//! 1. The IMAP check (implicit TLS, AUTH PLAIN, SELECT INBOX, LOGOUT):
//!    `outbound check --imap` next to `curl imaps://` (SELECT as its custom
//!    command, `AUTH=PLAIN`) and Python's imaplib (`authenticate("PLAIN")`,
//!    which has no SASL-IR), on loopback and behind the proxy adding 25 ms
//!    one-way (benches/support). Medians, ratios and the client's round trips
//!    counted at the proxy (flights of client data that follow server data).
//! 2. The round trip's detection latency: how long after Dovecot stored the
//!    message (its Maildir file's mtime) the round trip, idling on the INBOX,
//!    had seen it (`arrived_at`, taken after the header was fetched).
//!
//! Uses the stack of tests/session when OUTBOUND_TEST_MAILSTACK is set, else
//! starts one (as root, like tests/session) and stops it at the end.
//! Run: `cargo bench --bench imap`. User u55 is the benchmark's.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use common::{DELAY, DelayProxy, median, ms, python};
use outbound::core::check::Progress;
use outbound::core::profile::{AuthMethod, Delivery, ImapAuth, Profile, Security};
use outbound::core::roundtrip::{self, Options};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

const RUNS: usize = 9;
const TRIPS: usize = 7;
const USER: &str = "u55@outbound.test";
const PASSWORD: &str = "secret-u55";

/// The mail stack: tests/session's, or one started here and stopped on drop.
struct Stack {
    dir: PathBuf,
    submission: u16,
    imaps: u16,
    /// Started here: stopped and removed on drop.
    own: Option<tempfile::TempDir>,
}

fn mailstack_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/mailstack")
}

impl Stack {
    fn get() -> Stack {
        if let Ok(dir) = std::env::var("OUTBOUND_TEST_MAILSTACK") {
            return Stack::read(PathBuf::from(dir), None);
        }
        // As tests/session: a short folder other users can reach.
        let own = tempfile::Builder::new()
            .prefix("obm.")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(
            own.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let status = Command::new(mailstack_script())
            .arg("start")
            .arg(own.path())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(
            status.success(),
            "the mail stack did not start (root, postfix and dovecot needed; tests/run installs them)"
        );
        Stack::read(own.path().to_owned(), Some(own))
    }

    fn read(dir: PathBuf, own: Option<tempfile::TempDir>) -> Stack {
        let env = std::fs::read_to_string(dir.join("env")).unwrap();
        let port = |name: &str| -> u16 {
            env.lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} not in {}/env", dir.display()))
                .parse()
                .unwrap()
        };
        Stack {
            submission: port("OUTBOUND_TEST_SUBMISSION_PORT"),
            imaps: port("OUTBOUND_TEST_IMAPS_PORT"),
            dir,
            own,
        }
    }

    fn ca(&self) -> PathBuf {
        self.dir.join("tls/ca.pem")
    }

    /// The INBOX's message files (Maildir new/ and cur/).
    fn inbox_files(&self) -> Vec<PathBuf> {
        let maildir = self.dir.join("mail/outbound.test/u55/Maildir");
        ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(maildir.join(sub)).ok())
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect()
    }

    fn clear_inbox(&self) {
        for file in self.inbox_files() {
            let _ = std::fs::remove_file(file);
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if self.own.is_some() {
            let _ = Command::new(mailstack_script())
                .arg("stop")
                .arg(&self.dir)
                .status();
        }
    }
}

const IMAPLIB: &str = r#"
import imaplib, ssl, sys
host, port, user, password, ca = sys.argv[1:6]
m = imaplib.IMAP4_SSL(host, int(port), ssl_context=ssl.create_default_context(cafile=ca))
m.authenticate("PLAIN", lambda _: ("\0" + user + "\0" + password).encode())
typ, _ = m.select("INBOX")
assert typ == "OK", typ
m.logout()
"#;

fn commands(stack: &Stack, scratch: &Path, port: u16) -> Vec<(&'static str, Command)> {
    let port = port.to_string();
    let mut list = Vec::new();
    let mut outbound = Command::new(env!("CARGO_BIN_EXE_outbound"));
    outbound
        .args(["check", "--imap", "--host", "127.0.0.1", "--port", &port])
        .args(["--security", "tls", "--auth", "plain", "--user", USER])
        .args(["--password-env", "BENCH_PASSWORD", "--json"])
        .env("BENCH_PASSWORD", PASSWORD)
        .env("SSL_CERT_FILE", stack.ca())
        .env("OUTBOUND_LANG", "en")
        .env("XDG_DATA_HOME", scratch)
        .env("XDG_CONFIG_HOME", scratch);
    list.push(("outbound", outbound));
    let mut curl = Command::new("curl");
    curl.args(["--silent", "--show-error", "--cacert"])
        .arg(stack.ca())
        .args(["--login-options", "AUTH=PLAIN", "--user"])
        .arg(format!("{USER}:{PASSWORD}"))
        .arg(format!("imaps://127.0.0.1:{port}/"))
        .args(["--request", "SELECT INBOX"]);
    list.push(("curl", curl));
    let mut imaplib = Command::new(python());
    imaplib
        .args(["-c", IMAPLIB, "127.0.0.1", &port, USER, PASSWORD])
        .arg(stack.ca());
    list.push(("imaplib", imaplib));
    list
}

fn run_once(name: &str, command: &mut Command) -> Duration {
    common::run_timed(name, command, Stdio::null())
}

fn imap_check(runtime: &tokio::runtime::Runtime, stack: &Stack) {
    let scratch = tempfile::tempdir().unwrap();
    let proxy = runtime.block_on(DelayProxy::start(stack.imaps, DELAY));
    println!(
        "IMAP check: {RUNS} runs each, median; Dovecot IMAPS, AUTH PLAIN, SELECT INBOX, LOGOUT"
    );
    let direct = commands(stack, scratch.path(), stack.imaps);
    let delayed = commands(stack, scratch.path(), proxy.port);
    let mut results: Vec<(&str, Duration, Duration, u32)> = Vec::new();
    for ((name, mut direct), (_, mut delayed)) in direct.into_iter().zip(delayed) {
        run_once(name, &mut direct); // warm-up (page cache, first handshake)
        let loopback = median((0..RUNS).map(|_| run_once(name, &mut direct)).collect());
        proxy.clear();
        let slow = median((0..RUNS).map(|_| run_once(name, &mut delayed)).collect());
        results.push((name, loopback, slow, proxy.max_round_trips()));
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
    let outbound = results[0];
    for other in &results[1..] {
        println!(
            "outbound / {:<8} loopback {:.2}x, 25 ms one-way {:.2}x, round trips {} vs {}",
            other.0,
            ms(outbound.1) / ms(other.1),
            ms(outbound.2) / ms(other.2),
            outbound.3,
            other.3
        );
    }
    println!(
        "goal: ≤ 0.8x curl at 25 ms; round trips after TCP at the minimum (4 with SASL-IR and implicit TLS)"
    );
}

fn trip_profile(stack: &Stack) -> Profile {
    let mut profile = Profile::named("bench_trip");
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".to_owned();
    profile.smtp.port = stack.submission;
    profile.smtp.security = Security::Starttls;
    profile.smtp.auth = AuthMethod::Plain;
    profile.smtp.username = USER.to_owned();
    profile.smtp.timeout_secs = 30;
    profile.smtp.ehlo_name = "client.test".to_owned();
    profile.sender.address = USER.to_owned();
    profile.imap.host = "127.0.0.1".to_owned();
    profile.imap.port = stack.imaps;
    profile.imap.security = Security::Tls;
    profile.imap.auth = ImapAuth::Plain;
    profile
}

/// The Maildir file holding `token` and its mtime (when Dovecot stored it).
fn stored_at(stack: &Stack, token: &str) -> SystemTime {
    stack
        .inbox_files()
        .into_iter()
        .find(|f| std::fs::read(f).is_ok_and(|b| String::from_utf8_lossy(&b).contains(token)))
        .and_then(|f| std::fs::metadata(f).ok())
        .and_then(|m| m.modified().ok())
        .unwrap_or_else(|| panic!("no Maildir file holds {token}"))
}

fn detection(runtime: &tokio::runtime::Runtime, stack: &Stack) {
    let roots: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(stack.ca())
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let profile = trip_profile(stack);
    let mut latencies = Vec::new();
    for _ in 0..TRIPS {
        stack.clear_inbox();
        let options = Options {
            to: None,
            wait: Duration::from_secs(60),
            keep: true,
            smtp_password: Some(PASSWORD.into()),
            imap_password: Some(PASSWORD.into()),
            extra_roots: roots.clone(),
            progress: Progress::none(),
            ..Options::default()
        };
        let report = runtime.block_on(roundtrip::run(&profile, None, options));
        assert!(report.ok(), "round trip: {:?}", report.diagnosis);
        let seen: SystemTime = report.arrived_at.expect("arrived").into();
        let stored = stored_at(stack, &report.token);
        // Both from the system clock (arrived_at is UTC wall time, as mtime).
        latencies.push(seen.duration_since(stored).unwrap_or_default());
    }
    stack.clear_inbox();
    let worst = latencies.iter().max().copied().unwrap_or_default();
    println!(
        "round trip ({TRIPS} runs, IDLE on the INBOX): Dovecot stored → Outbound had seen it \
         (header fetched): median {:.1} ms, worst {:.1} ms (goal ≤ 100 ms)",
        ms(median(latencies)),
        ms(worst),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let stack = Stack::get();
    imap_check(&runtime, &stack);
    detection(&runtime, &stack);
    drop(stack);
}
