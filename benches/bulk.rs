//! The bulk benchmark (issue 15): `outbound bulk LIST.csv --concurrency 8
//! --json` over 200 mailboxes behind the 25 ms one-way proxy, against the way
//! it is done by hand today, a shell loop of 200 `swaks --quit-after AUTH`
//! calls; then the peak resident memory (VmHWM, polled from /proc) of
//! `outbound bulk` for 200, 2 000 and 10 000 rows and the cost per row. The
//! larger lists go to aiosmtpd directly, without the proxy, so they finish in
//! reasonable time.
//!
//! A helpdesk's list spans providers, and a bulk run has at most 4 checks at
//! once against one server: the proxied list is spread over 8 proxies (8
//! ports, 8 servers to the run, one aiosmtpd behind them), and the same 200
//! rows against one server are measured too, where 4 at once is the ceiling.
//!
//! Run: `cargo bench --bench bulk` (OUTBOUND_TEST_PYTHON: a python with aiosmtpd).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{DELAY, DelayProxy, PASSWORD, RECIPIENT, SENDER, USER, installed, ms, start_peer};

const CONCURRENCY: &str = "8";
const SMALL: usize = 200;
const SIZES: [usize; 3] = [200, 2_000, 10_000];

/// Servers the proxied list is spread over.
const SERVERS: usize = 8;

/// A list of `rows` mailboxes, all the peer's user, row `i` at
/// 127.0.0.1:`ports[i % ports.len()]`.
fn write_list(path: &Path, rows: usize, ports: &[u16]) {
    let mut text = String::from("address,password,user,host,port,security\n");
    for i in 0..rows {
        let port = ports[i % ports.len()];
        text.push_str(&format!(
            "tester@example.org,{PASSWORD},{USER},127.0.0.1,{port},starttls\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// The peak resident memory so far of a running process, in KiB.
fn high_water_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `outbound bulk` on `list`; its wall time and peak RSS (KiB), polled
/// every 2 ms (VmHWM only grows, so the last poll before exit holds it).
fn run_bulk(list: &Path, dir: &Path, ca: &Path, concurrency: &str) -> (Duration, u64) {
    let stdout = std::fs::File::create(dir.join("bulk.out")).unwrap();
    let stderr = std::fs::File::create(dir.join("bulk.err")).unwrap();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_outbound"))
        .arg("bulk")
        .arg(list)
        .args(["--concurrency", concurrency, "--json"])
        .env("SSL_CERT_FILE", ca)
        .env("OUTBOUND_LANG", "en")
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = high_water_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = started.elapsed();
    assert!(
        status.success(),
        "outbound bulk failed ({status}): {}",
        std::fs::read_to_string(dir.join("bulk.err")).unwrap_or_default()
    );
    (elapsed, peak)
}

/// 200 swaks calls one after the other, as a shell loop.
fn run_swaks_loop(swaks: &Path, port: u16) -> Duration {
    let script = format!(
        "for i in $(seq {SMALL}); do \"$SWAKS\" --server 127.0.0.1 --port {port} --tls \
         --auth PLAIN --auth-user {USER} --auth-password \"$BENCH_PASSWORD\" \
         --from {SENDER} --to {RECIPIENT} --quit-after AUTH --silent 2 || exit 1; done"
    );
    let started = Instant::now();
    let output = Command::new("sh")
        .args(["-c", &script])
        .env("SWAKS", swaks)
        .env("BENCH_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "swaks loop failed: {}",
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
    let dir = tempfile::tempdir().unwrap();
    let certificates = common::certificates(dir.path());
    let peer = start_peer(&certificates);
    let proxies: Vec<DelayProxy> = (0..SERVERS)
        .map(|_| runtime.block_on(DelayProxy::start(peer.port, DELAY)))
        .collect();
    let ports: Vec<u16> = proxies.iter().map(|p| p.port).collect();
    let swaks: PathBuf = installed("swaks").expect("swaks is needed for the comparison");

    println!(
        "bulk benchmark: aiosmtpd STARTTLS + AUTH PLAIN, one run each, --concurrency {CONCURRENCY}"
    );
    let loop_time = run_swaks_loop(&swaks, ports[0]);
    println!("{SMALL} rows behind the 25 ms one-way proxy:");
    println!(
        "  swaks loop                         {:>8.0} ms",
        ms(loop_time)
    );
    let spread = dir.path().join("proxied-spread.csv");
    write_list(&spread, SMALL, &ports);
    let one = dir.path().join("proxied-one.csv");
    write_list(&one, SMALL, &ports[..1]);
    let mut small_peak = 0;
    for (name, list, concurrency) in [
        ("one server", &one, CONCURRENCY),
        ("8 servers", &spread, CONCURRENCY),
        ("8 servers", &spread, "32"),
    ] {
        proxies.iter().for_each(DelayProxy::clear);
        let (bulk, peak) = run_bulk(list, dir.path(), &certificates.ca, concurrency);
        if concurrency == CONCURRENCY {
            small_peak = small_peak.max(peak);
        }
        let round_trips = proxies.iter().map(DelayProxy::max_round_trips).max();
        println!(
            "  outbound bulk, {name:<10} -c {concurrency:<2}   {:>8.0} ms  {:>5.1}x faster \
             (peak RSS {:.1} MiB, {} round trips per check)",
            ms(bulk),
            ms(loop_time) / ms(bulk),
            peak as f64 / 1024.0,
            round_trips.unwrap_or(0),
        );
    }
    println!(
        "  target: ≥ 25x at --concurrency {CONCURRENCY}; peak RSS {:.1} MiB (target < 60)",
        small_peak as f64 / 1024.0
    );

    println!("outbound bulk, aiosmtpd directly (no proxy):");
    println!(
        "{:>8} {:>10} {:>12} {:>14}",
        "rows", "wall ms", "ms per row", "peak RSS MiB"
    );
    for rows in SIZES {
        let list = dir.path().join(format!("direct-{rows}.csv"));
        write_list(&list, rows, &[peer.port]);
        let (elapsed, peak) = run_bulk(&list, dir.path(), &certificates.ca, CONCURRENCY);
        println!(
            "{rows:>8} {:>10.0} {:>12.2} {:>14.1}",
            ms(elapsed),
            ms(elapsed) / rows as f64,
            peak as f64 / 1024.0
        );
    }
    println!("targets: peak RSS < 120 MiB at 10 000 rows; ms per row flat");
    drop(peer);
}
