//! Pieces the benchmarks share: the proxy that adds a one-way delay to every
//! chunk and counts the client's round trips, medians, and where the other
//! clients and the test Python are.
#![allow(dead_code)] // each benchmark uses its own subset

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The delay the benchmarks add in each direction.
pub const DELAY: Duration = Duration::from_millis(25);

/// The test venv's Python (OUTBOUND_TEST_PYTHON, else target/test-venv, else python3).
pub fn python() -> String {
    if let Ok(python) = std::env::var("OUTBOUND_TEST_PYTHON") {
        return python;
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv/bin/python");
    if venv.exists() {
        venv.display().to_string()
    } else {
        "python3".to_owned()
    }
}

/// A program from the system's folders, when installed.
pub fn installed(program: &str) -> Option<PathBuf> {
    ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        .iter()
        .map(|dir| Path::new(dir).join(program))
        .find(|p| p.exists())
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Per connection: how many flights the client sent (a flight starts when the
/// client sends after the server has sent).
#[derive(Default)]
struct Flights {
    count: u32,
    server_spoke_last: bool,
}

/// A TCP proxy on 127.0.0.1 to `target` that delivers every chunk `delay`
/// after it was read, in both directions, and counts each finished
/// connection's client round trips.
pub struct DelayProxy {
    pub port: u16,
    finished: Arc<Mutex<Vec<u32>>>,
}

impl DelayProxy {
    /// Starts it on the current tokio runtime.
    pub async fn start(target: u16, delay: Duration) -> DelayProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let finished = Arc::new(Mutex::new(Vec::new()));
        let counts = finished.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let finished = counts.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
                        return;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let flights = Arc::new(Mutex::new(Flights {
                        count: 0,
                        server_spoke_last: true,
                    }));
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    let up = pump(client_read, server_write, delay, flights.clone(), true);
                    let down = pump(server_read, client_write, delay, flights.clone(), false);
                    tokio::join!(up, down);
                    let count = flights.lock().unwrap().count;
                    finished.lock().unwrap().push(count);
                });
            }
        });
        DelayProxy { port, finished }
    }

    /// Forgets the connections counted so far.
    pub fn clear(&self) {
        self.finished.lock().unwrap().clear();
    }

    /// The most round trips any connection since `clear` took. Every run's
    /// connection has ended when its command exits, but the proxy's
    /// bookkeeping may trail by a moment.
    pub fn max_round_trips(&self) -> u32 {
        std::thread::sleep(Duration::from_millis(100));
        self.finished
            .lock()
            .unwrap()
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
    flights: Arc<Mutex<Flights>>,
    from_client: bool,
) {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        while let Some((at, chunk)) = receiver.recv().await {
            tokio::time::sleep_until((at + delay).into()).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut buffer = vec![0u8; 64 * 1024];
    while let Ok(n) = from.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        {
            let mut f = flights.lock().unwrap();
            if from_client {
                if f.server_spoke_last {
                    f.count += 1;
                }
                f.server_spoke_last = false;
            } else {
                f.server_spoke_last = true;
            }
        }
        let _ = sender.send((Instant::now(), buffer[..n].to_vec()));
    }
    drop(sender);
    let _ = writer.await;
}
