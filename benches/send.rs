//! The send benchmark: 200 messages from the same sender to aiosmtpd
//! (STARTTLS, AUTH PLAIN, PIPELINING) behind a proxy adding 25 ms one-way delay,
//! delivered
//!   (a) by 200 `outbound send` calls,
//!   (b) by 200 `outbound send --queue` calls and one `outbound queue flush`
//!       (one connection per profile),
//!   (c) by 200 `msmtp` calls,
//!   (d) by msmtp's own queue scripts as Debian ships them
//!       (/usr/libexec/msmtp/msmtpqueue: msmtp-enqueue.sh 200 times, then
//!       msmtp-runqueue.sh, which calls msmtp once per message),
//! each in the same run, with ratios against msmtp. Every variant must leave
//! exactly 200 messages at the peer. Outbound reads the profile's password from
//! a gnome-keyring the benchmark starts on its own private session bus.
//!
//! Run: `cargo bench --bench send` (OUTBOUND_TEST_PYTHON: a python with
//! aiosmtpd; BENCH_MESSAGES changes the 200).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::keyring::Keyring;
use common::{DELAY, PASSWORD, Peer, RECIPIENT, SENDER, USER, installed, ms, msmtprc, run_once};
use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};
use outbound::core::store::{Paths, Store};

const PROFILE: &str = "bench";
const MSMTPQUEUE: &str = "/usr/libexec/msmtp/msmtpqueue";

struct Bench {
    home: tempfile::TempDir,
    message: PathBuf,
    keyring: Keyring,
    msmtprc: PathBuf,
}

impl Bench {
    /// `outbound` in the benchmark's home, on its private bus.
    fn outbound(&self) -> Command {
        let home = self.home.path();
        let mut command = Command::new(env!("CARGO_BIN_EXE_outbound"));
        command
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("OUTBOUND_SYSTEM_DIR", home.join("system"))
            .env("DBUS_SESSION_BUS_ADDRESS", &self.keyring.address)
            .env("SSL_CERT_FILE", home.join("ca.pem"))
            .env("OUTBOUND_LANG", "en");
        command
    }

    fn send(&self, queue: bool) -> Command {
        let mut command = self.outbound();
        command.arg("send");
        if queue {
            command.arg("--queue");
        }
        command.args(["-i", "-f", SENDER, "--", RECIPIENT]);
        command
    }

    fn msmtp(&self, msmtp: &Path) -> Command {
        let mut command = Command::new(msmtp);
        command
            .arg("-C")
            .arg(&self.msmtprc)
            .args(["-f", SENDER, "--", RECIPIENT]);
        command
    }

    /// msmtp's queue scripts keep their queue in $HOME/.msmtpqueue.
    fn msmtpqueue(&self, script: &str) -> Command {
        let mut command = Command::new(Path::new(MSMTPQUEUE).join(script));
        command.env("HOME", self.home.path().join("msmtp-home"));
        command
    }
}

fn setup(proxy_port: u16, home: tempfile::TempDir, certificates: &common::Certificates) -> Bench {
    let dir = home.path();
    for sub in ["config", "data", "system", "msmtp-home"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::create_dir_all(dir.join("runtime")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("runtime"), std::fs::Permissions::from_mode(0o700))
            .unwrap();
    }
    let message = dir.join("message.eml");
    common::write_message(&message);
    let msmtprc_path = dir.join("msmtprc");
    msmtprc(&msmtprc_path, proxy_port, &certificates.ca);

    let mut profile = Profile::named(PROFILE);
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".to_owned();
    profile.smtp.port = proxy_port;
    profile.smtp.security = Security::Starttls;
    profile.smtp.auth = AuthMethod::Plain;
    profile.smtp.username = USER.to_owned();
    profile.sender.address = SENDER.to_owned();
    profile.sender.name = "Bench".to_owned();
    Store::new(Paths {
        config: dir.join("config/outbound"),
        data: dir.join("data/outbound"),
        system_profiles: dir.join("system"),
    })
    .save(&profile)
    .unwrap();

    let keyring = Keyring::start(dir);
    let bench = Bench {
        home,
        message,
        keyring,
        msmtprc: msmtprc_path,
    };
    let output = bench
        .outbound()
        .args([
            "profile",
            "set-password",
            PROFILE,
            "--password-env",
            "BENCH_PASSWORD",
        ])
        .env("BENCH_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "set-password: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    bench
}

/// One variant's outcome: its total time, or why it could not run.
enum Outcome {
    Took(Duration),
    Unavailable(String),
}

/// `count` runs of `command`, each with the message; the peer must have
/// accepted exactly `count` more messages afterwards.
fn calls(
    name: &str,
    count: usize,
    peer: &Peer,
    bench: &Bench,
    command: impl Fn() -> Command,
) -> Duration {
    let before = peer.accepted();
    let started = Instant::now();
    for _ in 0..count {
        run_once(name, &mut command(), &bench.message);
    }
    let took = started.elapsed();
    settle(peer, before + count);
    assert_eq!(
        peer.accepted(),
        before + count,
        "{name}: messages at the peer"
    );
    took
}

/// The peer writes a message's file when it answers the final dot: give the
/// last one a moment.
fn settle(peer: &Peer, expected: usize) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while peer.accepted() < expected && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (b): `send --queue` for every message, then one flush.
fn queue_and_flush(count: usize, peer: &Peer, bench: &Bench) -> Outcome {
    let before = peer.accepted();
    let started = Instant::now();
    for index in 0..count {
        let input = std::fs::File::open(&bench.message).unwrap();
        let output = bench.send(true).stdin(input).output().unwrap();
        if !output.status.success() {
            let reason = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            if index == 0 {
                return Outcome::Unavailable(format!(
                    "`outbound send --queue` exits {:?}: {reason}",
                    output.status.code()
                ));
            }
            panic!("send --queue failed at message {index}: {reason}");
        }
    }
    let queued = started.elapsed();
    if peer.accepted() != before {
        return Outcome::Unavailable(format!(
            "`send --queue` sent {} messages instead of keeping them",
            peer.accepted() - before
        ));
    }
    let flush_started = Instant::now();
    let output = bench.outbound().args(["queue", "flush"]).output().unwrap();
    let flushed = flush_started.elapsed();
    settle(peer, before + count);
    let delivered = peer.accepted() - before;
    if delivered != count {
        // Leave nothing queued for a later run of the same home.
        let _ = bench.outbound().args(["queue", "purge"]).output();
        return Outcome::Unavailable(format!(
            "`outbound queue flush` (exit {:?}) delivered {delivered} of {count}: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    println!(
        "  (b) enqueue {:.0} ms + flush {:.0} ms",
        ms(queued),
        ms(flushed)
    );
    Outcome::Took(queued + flushed)
}

/// (d): msmtp-enqueue.sh for every message, then msmtp-runqueue.sh.
fn msmtp_queue(count: usize, peer: &Peer, bench: &Bench) -> Outcome {
    let enqueue = Path::new(MSMTPQUEUE).join("msmtp-enqueue.sh");
    let runqueue = Path::new(MSMTPQUEUE).join("msmtp-runqueue.sh");
    if !enqueue.exists() || !runqueue.exists() || installed("msmtp").is_none() {
        return Outcome::Unavailable(format!(
            "msmtp's queue scripts are not in {MSMTPQUEUE} (Debian package msmtp)"
        ));
    }
    let before = peer.accepted();
    let started = Instant::now();
    for _ in 0..count {
        let mut command = bench.msmtpqueue("msmtp-enqueue.sh");
        command.args(["-f", SENDER, "--", RECIPIENT]);
        run_once("msmtp-enqueue.sh", &mut command, &bench.message);
    }
    let queued = started.elapsed();
    let flush_started = Instant::now();
    let mut command = bench.msmtpqueue("msmtp-runqueue.sh");
    command.arg("-C").arg(&bench.msmtprc);
    let output = command.stdin(Stdio::null()).output().unwrap();
    let flushed = flush_started.elapsed();
    settle(peer, before + count);
    assert!(output.status.success(), "msmtp-runqueue.sh failed");
    assert_eq!(
        peer.accepted(),
        before + count,
        "msmtp-runqueue.sh: messages at the peer\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    println!(
        "  (d) enqueue {:.0} ms + runqueue {:.0} ms",
        ms(queued),
        ms(flushed)
    );
    Outcome::Took(queued + flushed)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let count: usize = std::env::var("BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let home = tempfile::tempdir().unwrap();
    let certificates = common::certificates(home.path());
    let peer = common::start_peer(&certificates);
    let proxy = runtime.block_on(common::DelayProxy::start(peer.port, DELAY));
    let proxy_port = proxy.port;
    let bench = setup(proxy_port, home, &certificates);

    println!(
        "send benchmark: {count} messages from one sender, aiosmtpd STARTTLS + AUTH PLAIN + \
         PIPELINING behind {} ms one-way delay",
        DELAY.as_millis()
    );
    // Warm-up: page cache, the keyring's first unlock, the peer's first TLS.
    run_once("outbound send", &mut bench.send(false), &bench.message);
    let msmtp = installed("msmtp");
    if let Some(msmtp) = &msmtp {
        run_once("msmtp", &mut bench.msmtp(msmtp), &bench.message);
    }

    let mut results: Vec<(&str, Outcome)> = Vec::new();
    let took = calls("outbound send", count, &peer, &bench, || bench.send(false));
    results.push(("(a) outbound send ×N", Outcome::Took(took)));
    results.push((
        "(b) send --queue ×N + flush",
        queue_and_flush(count, &peer, &bench),
    ));
    let msmtp_total = msmtp
        .as_ref()
        .map(|msmtp| calls("msmtp", count, &peer, &bench, || bench.msmtp(msmtp)));
    results.push((
        "(c) msmtp ×N",
        match msmtp_total {
            Some(took) => Outcome::Took(took),
            None => Outcome::Unavailable("msmtp is not installed".to_owned()),
        },
    ));
    results.push(("(d) msmtp queue scripts", msmtp_queue(count, &peer, &bench)));

    println!(
        "{:<30} {:>10} {:>14} {:>12}",
        "variant", "total ms", "per message", "vs msmtp"
    );
    for (name, outcome) in &results {
        match outcome {
            Outcome::Took(took) => {
                let ratio = msmtp_total
                    .map(|m| format!("{:.2}x", ms(*took) / ms(m)))
                    .unwrap_or_else(|| "-".to_owned());
                println!(
                    "{name:<30} {:>10.0} {:>14.1} {:>12}",
                    ms(*took),
                    ms(*took) / count as f64,
                    ratio
                );
            }
            Outcome::Unavailable(reason) => println!("{name:<30} not measured: {reason}"),
        }
    }
    if let Some(msmtp) = msmtp_total {
        if let Outcome::Took(single) = &results[0].1 {
            println!(
                "one send / one msmtp call: {:.2}x (target ≤ 0.85)",
                ms(*single) / ms(msmtp)
            );
        }
        if let Outcome::Took(flush) = &results[1].1 {
            println!(
                "{count} msmtp calls / queue + flush of {count}: {:.1}x faster (target ≥ 20)",
                ms(msmtp) / ms(*flush)
            );
        }
    }
    drop(bench);
    drop(peer);
}
