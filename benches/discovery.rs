//! How long the probe takes when the top-ranked candidates are silent (they
//! accept and never speak) and a lower-ranked one answers, behind a proxy that
//! delays every byte by 25 ms each way, next to a single successful probe of the
//! winner alone. Run: `cargo bench --bench discovery`.
//!
//! The probe engine is measured directly with loopback candidates (the rest of
//! detection — directory, autoconfig, DNS — does not wait on silent servers).

mod common;

use std::time::{Duration, Instant};

use common::DelayProxy;
use outbound::core::discover::probe::{self, Candidate};
use outbound::core::profile::Security;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const ONE_WAY_DELAY: Duration = common::DELAY;
const TIMEOUT: Duration = Duration::from_secs(8);
const RUNS: usize = 5;

/// A minimal SMTP server: greeting, EHLO, QUIT.
async fn smtp_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 bench.test ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = if line.to_ascii_uppercase().starts_with("EHLO") {
                        b"250-bench.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n"
                    } else if line.eq_ignore_ascii_case("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        return;
                    } else {
                        b"502 no\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    port
}

/// Accepts and never speaks.
async fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    port
}

fn candidate(port: u16) -> Candidate {
    Candidate {
        host: "127.0.0.1".to_owned(),
        port,
        security: Security::None,
        connect_port: port,
    }
}

async fn measure(silent: usize, winner_port: u16, silent_port: u16) -> (Duration, String) {
    let mut times = Vec::new();
    let mut outcome = String::new();
    for _ in 0..RUNS {
        let mut candidates: Vec<Candidate> = (0..silent).map(|_| candidate(silent_port)).collect();
        candidates.push(candidate(winner_port));
        let started = Instant::now();
        let report = probe::probe(candidates, None, tokio::time::Instant::now() + TIMEOUT).await;
        times.push(started.elapsed());
        assert_eq!(
            report.winner,
            Some(silent),
            "the candidate after the silent ones wins"
        );
        outcome = report.candidates[0]
            .lost_because
            .clone()
            .unwrap_or_default();
    }
    times.sort();
    (times[RUNS / 2], outcome)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let winner = DelayProxy::start(smtp_server().await, ONE_WAY_DELAY).await.port;
        let silent = DelayProxy::start(silent_server().await, ONE_WAY_DELAY).await.port;
        println!("probe behind a {} ms one-way delaying proxy, timeout {} s, median of {RUNS}", ONE_WAY_DELAY.as_millis(), TIMEOUT.as_secs());
        let (alone, _) = measure(0, winner, silent).await;
        println!("  single successful probe of the winner:      {:>6} ms", alone.as_millis());
        for silent_count in [3, 10] {
            let (took, why) = measure(silent_count, winner, silent).await;
            println!(
                "  {silent_count:>2} silent higher-ranked, then the winner: {:>6} ms  (silent ones: {why})",
                took.as_millis()
            );
        }
    });
}
