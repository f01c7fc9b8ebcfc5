//! The session's real mail servers: Postfix + Dovecot on 127.0.0.1, started once by
//! tests/session (tests/peers/mailstack) before `cargo test` and stopped after it.
//!
//! Domain `outbound.test` is delivered by LMTP into Dovecot's Maildirs, every other
//! domain is discarded by Postfix. Users `u01`..`u200@outbound.test` (password
//! `secret-uNN`; u196..u200 disabled, see [`DISABLED`]) and `utf8@outbound.test`; `user+Junk@outbound.test` lands in the
//! user's Junk. Each test takes its own user numbers (written in a comment) so test
//! binaries running at the same time never share a mailbox.
//!
//! No NTLM here: Debian's Dovecot 2.3 offers NTLM only through Samba's winbind
//! (`auth: Fatal: Unknown authentication mechanism 'NTLM'` otherwise), so
//! tests/ntlm.rs uses aiosmtpd with pyspnego's NTLM acceptor instead
//! (tests/peers/smtp_peer.py `--ntlm`), and these listeners' AUTH lists stay as they are.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// The one domain the stack delivers.
pub const DOMAIN: &str = "outbound.test";

/// Users whose right password is refused (Dovecot's `allow_nets` excludes
/// loopback): the client sees the same 535 as for a wrong password.
pub const DISABLED: std::ops::RangeInclusive<u8> = 196..=200;

/// The stack tests/session started (ports from its environment).
#[derive(Debug)]
pub struct MailStack {
    pub dir: PathBuf,
    /// Postfix submission: STARTTLS required, AUTH (PLAIN, LOGIN, CRAM-MD5) required.
    pub submission_port: u16,
    /// Postfix submission with implicit TLS, AUTH required.
    pub submissions_port: u16,
    /// Postfix plain SMTP, no AUTH, relays for 127.0.0.0/8.
    pub relay_port: u16,
    /// Dovecot IMAP with STARTTLS.
    pub imap_port: u16,
    /// Dovecot IMAP with implicit TLS.
    pub imaps_port: u16,
    /// Dovecot LMTP.
    pub lmtp_port: u16,
    /// Postfix submission (STARTTLS, AUTH) that answers `421 4.7.0` to a client's
    /// 21st connection within the hour and after (anvil). Nothing else connects
    /// to it, the stack's start included: tests/bulk.rs owns its 20.
    pub busy_port: u16,
}

/// A mailbox of the stack and how to log in to it (SMTP AUTH and IMAP alike).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub address: String,
    /// The whole address.
    pub login: String,
    /// Test data, not a secret: `Some(account.password.as_str().into())` for a
    /// check's or a delivery's options.
    pub password: String,
}

/// The running stack; panics with what to do when tests/session did not start it.
pub fn stack() -> &'static MailStack {
    static STACK: OnceLock<MailStack> = OnceLock::new();
    STACK.get_or_init(MailStack::from_env)
}

fn variable(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the Postfix + Dovecot test stack is not running. Run the tests \
             through tests/session (e.g. `dbus-run-session -- ./tests/session --test NAME`), \
             which starts tests/peers/mailstack, as root, with postfix and dovecot installed \
             (tests/run installs them)"
        )
    })
}

fn port(name: &str) -> u16 {
    let value = variable(name);
    value
        .parse()
        .unwrap_or_else(|_| panic!("{name}={value:?} is not a port"))
}

impl MailStack {
    fn from_env() -> MailStack {
        let dir = PathBuf::from(variable("OUTBOUND_TEST_MAILSTACK"));
        assert!(
            dir.join("env").is_file(),
            "OUTBOUND_TEST_MAILSTACK={} is not a running mail stack (no env file)",
            dir.display()
        );
        MailStack {
            submission_port: port("OUTBOUND_TEST_SUBMISSION_PORT"),
            submissions_port: port("OUTBOUND_TEST_SUBMISSIONS_PORT"),
            relay_port: port("OUTBOUND_TEST_RELAY_PORT"),
            imap_port: port("OUTBOUND_TEST_IMAP_PORT"),
            imaps_port: port("OUTBOUND_TEST_IMAPS_PORT"),
            lmtp_port: port("OUTBOUND_TEST_LMTP_PORT"),
            busy_port: port("OUTBOUND_TEST_BUSY_PORT"),
            dir,
        }
    }

    /// `uNN@outbound.test`, `n` in 1..=200 (u196..u200: [`DISABLED`]).
    pub fn user(&self, n: u8) -> Account {
        assert!(
            (1..=200).contains(&n),
            "the stack has users u01..u200, not u{n:02}"
        );
        let address = format!("u{n:02}@{DOMAIN}");
        Account {
            login: address.clone(),
            address,
            password: format!("secret-u{n:02}"),
        }
    }

    /// `utf8@outbound.test`, whose password is not ASCII.
    pub fn utf8_user(&self) -> Account {
        let address = format!("utf8@{DOMAIN}");
        Account {
            login: address.clone(),
            address,
            password: "пароль-Çé-3".to_owned(),
        }
    }

    /// The authority that signed the servers' certificate (for localhost and
    /// 127.0.0.1).
    pub fn ca_pem(&self) -> PathBuf {
        self.dir.join("tls/ca.pem")
    }

    /// The stack as a directory entry for `outbound.test` (submission with
    /// STARTTLS, IMAP with STARTTLS), for a user directory: Detect then finds it
    /// without the network.
    pub fn provider(&self) -> outbound::core::directory::Provider {
        use outbound::core::directory::{Auth, Login, Provider, Server};
        use outbound::core::profile::Security;
        Provider {
            id: "outbound-test".to_owned(),
            name: "Outbound test stack".to_owned(),
            login: Login::Email,
            domains: vec![DOMAIN.to_owned()],
            mx_suffixes: Vec::new(),
            notes: Vec::new(),
            smtp: Server {
                host: "127.0.0.1".to_owned(),
                port: self.submission_port,
                security: Security::Starttls,
            },
            smtp_alternatives: Vec::new(),
            imap: Some(Server {
                host: "127.0.0.1".to_owned(),
                port: self.imap_port,
                security: Security::Starttls,
            }),
            auth: Auth::Password,
        }
    }

    /// The same authority, to pass as `extra_roots`.
    pub fn ca_roots(&self) -> Vec<CertificateDer<'static>> {
        let path = self.ca_pem();
        CertificateDer::pem_file_iter(&path)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
            .map(|c| c.unwrap_or_else(|e| panic!("{}: {e:?}", path.display())))
            .collect()
    }

    /// The user's Maildir (`address` may carry a `+detail`).
    pub fn maildir(&self, address: &str) -> PathBuf {
        let (local, domain) = address
            .rsplit_once('@')
            .unwrap_or_else(|| panic!("{address:?} is not an address"));
        let user = local.split('+').next().unwrap_or(local).to_lowercase();
        self.dir
            .join("mail")
            .join(domain.to_lowercase())
            .join(user)
            .join("Maildir")
    }

    fn folder_dir(&self, address: &str, folder: &str) -> PathBuf {
        let root = self.maildir(address);
        if folder.eq_ignore_ascii_case("INBOX") {
            root
        } else {
            // Maildir++: a folder is `.Name` (`.Parent.Child`) in the Maildir.
            root.join(format!(".{}", folder.replace('/', ".")))
        }
    }

    /// Every message in the user's `folder` ("INBOX", "Junk", ...) as the raw file
    /// Dovecot stored, oldest first; none when the folder does not exist yet.
    pub fn messages(&self, address: &str, folder: &str) -> Vec<Vec<u8>> {
        let dir = self.folder_dir(address, folder);
        let mut files: Vec<((u64, u64, String), PathBuf)> = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                files.push((order(&name), entry.path()));
            }
        }
        files.sort();
        files
            .into_iter()
            // A message Dovecot moved from new/ to cur/ between the listing and
            // the read is found again on the next call.
            .filter_map(|(_, path)| std::fs::read(path).ok())
            .collect()
    }

    /// Waits until the folder holds at least `count` messages and returns them all;
    /// panics with the servers' last log lines when they do not arrive `within`.
    pub fn wait_for_messages(
        &self,
        address: &str,
        folder: &str,
        count: usize,
        within: Duration,
    ) -> Vec<Vec<u8>> {
        let deadline = Instant::now() + within;
        loop {
            let messages = self.messages(address, folder);
            if messages.len() >= count {
                return messages;
            }
            if Instant::now() >= deadline {
                panic!(
                    "{address} {folder}: {} of {count} messages after {within:?}\n{}",
                    messages.len(),
                    self.log_tail(30)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Empties every folder of the user (the folders themselves stay).
    pub fn clear(&self, address: &str) {
        let root = self.maildir(address);
        let mut folders = vec![root.clone()];
        if let Ok(entries) = std::fs::read_dir(&root) {
            folders.extend(
                entries
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
                    .map(|e| e.path())
                    .filter(|p| p.is_dir()),
            );
        }
        for folder in folders {
            for sub in ["new", "cur"] {
                let Ok(entries) = std::fs::read_dir(folder.join(sub)) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }

    /// The last `lines` of Postfix's and Dovecot's logs, for failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let mut out = String::new();
        for name in ["postfix.log", "dovecot.log"] {
            let path = self.dir.join(name);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            out.push_str(&format!("--- {}\n", path.display()));
            for line in &all[all.len().saturating_sub(lines)..] {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// Dovecot's Maildir names begin `<seconds>.M<microseconds>P<pid>.`: delivery order.
fn order(name: &str) -> (u64, u64, String) {
    let mut parts = name.split('.');
    let secs = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    let micros = parts
        .next()
        .and_then(|s| s.strip_prefix('M'))
        .and_then(|s| s.split('P').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    (secs, micros, name.to_owned())
}
