//! What the SMTP benchmarks share (benches/check.rs, benches/send.rs): the
//! aiosmtpd peer with STARTTLS and AUTH PLAIN, the proxy adding a one-way delay
//! to every chunk and counting the client's round trips, certificates made for
//! the run, msmtp's configuration, and the median.

// Each benchmark uses part of this module.
#![allow(dead_code)]

pub mod keyring;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const USER: &str = "tester";
pub const PASSWORD: &str = "bench-password";
pub const SENDER: &str = "sender@example.org";
pub const RECIPIENT: &str = "rcpt@example.net";
/// The proxy's one-way delay: a server some way off.
pub const DELAY: Duration = Duration::from_millis(25);

/// The python with aiosmtpd: OUTBOUND_TEST_PYTHON, else the worktree's venv.
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

pub fn installed(program: &str) -> Option<PathBuf> {
    ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        .iter()
        .map(|dir| Path::new(dir).join(program))
        .find(|p| p.exists())
}

/// aiosmtpd (tests/peers/smtp_peer.py): STARTTLS, AUTH PLAIN, PIPELINING
/// advertised; every message it accepts is one file in its store.
pub struct Peer {
    pub port: u16,
    child: Child,
    store: tempfile::TempDir,
}

impl Peer {
    /// How many messages the peer has accepted so far.
    pub fn accepted(&self) -> usize {
        std::fs::read_dir(self.store.path()).unwrap().count()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_peer(certificates: &Certificates) -> Peer {
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
        .arg(&certificates.cert)
        .arg("--key")
        .arg(&certificates.key)
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
    Peer { port, child, store }
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

/// A CA made for the run and the peer's certificate for 127.0.0.1 signed by it.
pub struct Certificates {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

pub fn certificates(dir: &Path) -> Certificates {
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
    let certificates = Certificates {
        ca: dir.join("ca.pem"),
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&certificates.ca, issuer.pem()).unwrap();
    std::fs::write(&certificates.cert, leaf.pem()).unwrap();
    std::fs::write(&certificates.key, key.serialize_pem()).unwrap();
    certificates
}

/// The benchmarks' message: small, with every header a client might add.
pub fn write_message(path: &Path) {
    std::fs::write(
        path,
        format!(
            "From: \"Bench\" <{SENDER}>\r\nTo: {RECIPIENT}\r\nSubject: Outbound test message\r\n\
             Date: Sun, 22 Nov 2026 18:00:00 +0000\r\nMessage-ID: <bench@example.org>\r\n\r\n\
             This is a test message sent to compare clients.\r\n"
        ),
    )
    .unwrap();
}

/// An msmtp configuration (mode 0600, as msmtp demands) for the peer at
/// `port`: STARTTLS trusting `ca`, AUTH PLAIN, the benchmarks' sender.
pub fn msmtprc(path: &Path, port: u16, ca: &Path) {
    std::fs::write(
        path,
        format!(
            "account default\nhost 127.0.0.1\nport {port}\ntls on\ntls_starttls on\ntls_trust_file {}\n\
             auth plain\nuser {USER}\npassword {PASSWORD}\nfrom {SENDER}\n",
            ca.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// Runs a command once with `message` on stdin; panics when it fails.
pub fn run_once(name: &str, command: &mut Command, message: &Path) -> Duration {
    let input = std::fs::File::open(message).unwrap();
    run_timed(name, command, Stdio::from(input))
}

/// Runs a command once with `stdin`; how long it took. Panics when it fails.
pub fn run_timed(name: &str, command: &mut Command, stdin: Stdio) -> Duration {
    let started = Instant::now();
    let output = command
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{name} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
