//! Debian's dnsmasq as the tests' DNS server (`OUTBOUND_TEST_DNS`): on a free
//! loopback port, answering only the records it is given, no upstream.

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when the test ends.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port free for both UDP and TCP (dnsmasq listens on both).
pub fn free_port() -> u16 {
    loop {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = udp.local_addr().unwrap().port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

pub fn dnsmasq_binary() -> PathBuf {
    for dir in std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
    {
        let candidate = Path::new(dir).join("dnsmasq");
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("dnsmasq is needed (Debian package dnsmasq; ./tests/run installs it)");
}

/// dnsmasq answering only `records` (dnsmasq options such as
/// `--txt-record=…`, `--mx-host=…`, `--host-record=…`); its `127.0.0.1:PORT`.
pub fn dnsmasq(records: &[&str]) -> (Running, String) {
    let port = free_port();
    let child = Command::new(dnsmasq_binary())
        .args([
            "--keep-in-foreground",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--conf-file=/dev/null",
            "--listen-address=127.0.0.1",
            "--pid-file=",
            "--user=root",
        ])
        .arg(format!("--port={port}"))
        .args(records)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsmasq starts");
    let child = Running(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "dnsmasq did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, format!("127.0.0.1:{port}"))
}

/// A DNS server that never answers: a UDP socket and a TCP listener on one
/// loopback port that read nothing. Keep it alive while it is used.
pub struct SilentDns {
    pub address: String,
    _udp: UdpSocket,
    _tcp: TcpListener,
}

impl SilentDns {
    pub fn start() -> SilentDns {
        loop {
            let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
            let port = udp.local_addr().unwrap().port();
            if let Ok(tcp) = TcpListener::bind(("127.0.0.1", port)) {
                return SilentDns {
                    address: format!("127.0.0.1:{port}"),
                    _udp: udp,
                    _tcp: tcp,
                };
            }
        }
    }
}
