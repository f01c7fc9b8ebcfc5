//! The check benchmark: `outbound check --send` against aiosmtpd (STARTTLS,
//! AUTH PLAIN, PIPELINING advertised), directly and behind a proxy adding 25 ms
//! one-way delay to every chunk, next to swaks and msmtp sending the same kind
//! of message when they are installed. Prints medians, ratios and the client's
//! round trips (flights of client data that wait for the server), counted in
//! the proxy.
//!
//! Run: `cargo bench --bench check` (OUTBOUND_TEST_PYTHON: a python with aiosmtpd).

mod common;

use std::process::Command;
use std::time::Duration;

use common::{
    Certificates, DELAY, DelayProxy, PASSWORD, USER, installed, median, ms, msmtprc, run_once,
    start_peer,
};

const RUNS: usize = 9;

struct Setup {
    dir: tempfile::TempDir,
    ca: std::path::PathBuf,
    message: std::path::PathBuf,
}

fn setup() -> (Setup, Certificates) {
    let dir = tempfile::tempdir().unwrap();
    let certificates = common::certificates(dir.path());
    let message = dir.path().join("message.eml");
    common::write_message(&message);
    let ca = certificates.ca.clone();
    (Setup { dir, ca, message }, certificates)
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
        msmtprc(&config, port, &setup.ca);
        let mut command = Command::new(msmtp);
        command
            .arg("-C")
            .arg(&config)
            .args(["-f", "sender@example.org", "--", "rcpt@example.net"]);
        list.push(("msmtp", command));
    }
    list
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let (setup, certificates) = setup();
    let peer = start_peer(&certificates);
    let delayed_proxy = runtime.block_on(DelayProxy::start(peer.port, DELAY));
    let delayed_port = delayed_proxy.port;

    println!(
        "check benchmark: {RUNS} runs each, median; aiosmtpd STARTTLS + AUTH PLAIN + PIPELINING"
    );
    let mut results: Vec<(&str, Duration, Duration, u32)> = Vec::new();
    let direct = commands(&setup, peer.port);
    let delayed = commands(&setup, delayed_port);
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
