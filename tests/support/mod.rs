//! Shared helpers of the check tests: the aiosmtpd peer, certificates made on the
//! spot, misbehaving servers and profiles.
#![allow(dead_code)]

pub mod certs;
pub mod dns;
pub mod fake;
pub mod imap_fake;
pub mod mailstack;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};

pub const USER: &str = "tester";

/// Every step of a STARTTLS check that sends a test message, in DESIGN.md's order.
pub const EVERY_STEP: [&str; 12] = [
    "resolve",
    "connect",
    "tls",
    "greeting",
    "ehlo",
    "starttls",
    "ehlo_tls",
    "auth",
    "mail_from",
    "rcpt_to",
    "data",
    "quit",
];

/// The Python with aiosmtpd 1.4.6 (`./tests/run` exports it).
pub fn python() -> String {
    std::env::var("OUTBOUND_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// The real SMTP server, aiosmtpd, on 127.0.0.1 and an ephemeral port.
pub struct Peer {
    pub port: u16,
    pub store: tempfile::TempDir,
    child: Child,
    // Closing it tells the peer to stop.
    _stdin: ChildStdin,
}

impl Peer {
    /// `mode`: `none`, `starttls` or `tls` (the last two need `cert`).
    pub fn start(mode: &str, cert: Option<&certs::Files>, password: &str) -> Peer {
        Peer::launch(mode, cert, password, &[])
    }

    /// The same server with more options of `smtp_peer.py` (`--smtputf8`,
    /// `--without-auth=CRAM-MD5`).
    pub fn start_with(
        mode: &str,
        cert: Option<&certs::Files>,
        password: &str,
        options: &[&str],
    ) -> Peer {
        Peer::launch(mode, cert, password, options)
    }

    /// The same server, saying it offers PIPELINING (aiosmtpd handles pipelined
    /// commands but does not advertise them).
    #[allow(dead_code)] // Not every test binary uses it.
    pub fn start_pipelining(mode: &str, cert: Option<&certs::Files>, password: &str) -> Peer {
        Peer::launch(mode, cert, password, &["--pipelining"])
    }

    fn launch(mode: &str, cert: Option<&certs::Files>, password: &str, options: &[&str]) -> Peer {
        let store = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/smtp_peer.py");
        let mut command = Command::new(python());
        command
            .arg(script)
            .args(["--mode", mode, "--store"])
            .arg(store.path())
            .args(["--user", USER, "--password", password])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        command.args(options);
        if let Some(cert) = cert {
            command
                .arg("--cert")
                .arg(&cert.cert)
                .arg("--key")
                .arg(&cert.key);
        }
        let mut child = command.spawn().expect(
            "start the aiosmtpd peer (set OUTBOUND_TEST_PYTHON to a python with aiosmtpd 1.4.6)",
        );
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .unwrap_or_else(|| panic!("peer did not start: {line:?}"))
            .parse()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        Peer {
            port,
            store,
            child,
            _stdin: stdin,
        }
    }

    /// Every message the peer received, oldest first.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.store.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An SMTP profile for 127.0.0.1:`port`.
pub fn smtp_profile(port: u16, security: Security, auth: AuthMethod) -> Profile {
    let mut profile = Profile::named("peer_test");
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".to_owned();
    profile.smtp.port = port;
    profile.smtp.security = security;
    profile.smtp.auth = auth;
    profile.smtp.username = USER.to_owned();
    profile.smtp.timeout_secs = 5;
    profile.smtp.ehlo_name = "client.test".to_owned();
    profile.sender.address = "sender@example.org".to_owned();
    profile.sender.name = "Help Desk".to_owned();
    profile.subject_prefix = "[OB]".to_owned();
    profile
}

/// A profile `name` sending as `address` through 127.0.0.1:`port` without
/// TLS or login, its subject prefix `[name]` telling which profile a message
/// went through (the `outbound send` tests).
pub fn send_profile(name: &str, port: u16, address: &str) -> Profile {
    let mut profile = smtp_profile(port, Security::None, AuthMethod::None);
    profile.name = name.to_owned();
    profile.sender.address = address.to_owned();
    profile.sender.name = String::new();
    profile.subject_prefix = format!("[{name}]");
    profile
}

/// The steps' names and statuses, for assertions with readable failures.
pub fn steps(report: &outbound::core::check::Report) -> Vec<(String, String)> {
    report
        .steps
        .iter()
        .map(|s| (s.name.as_str().to_owned(), s.status.as_str().to_owned()))
        .collect()
}

/// The whole transcript as text.
pub fn transcript_text(report: &outbound::core::check::Report) -> String {
    outbound::core::check::transcript::render(&report.transcript)
}
