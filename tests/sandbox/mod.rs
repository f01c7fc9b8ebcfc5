//! A private configuration for one test: temporary config, data and system
//! folders, and the `outbound` binary pointed at them.
#![allow(dead_code)]

pub mod ui;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use outbound::core::preferences::{self, Preferences};
use outbound::core::profile::Profile;
use outbound::core::store::{Paths, Store};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn paths(&self) -> Paths {
        Paths {
            config: self.dir.path().join("config/outbound"),
            data: self.dir.path().join("data/outbound"),
            system_profiles: self.dir.path().join("system"),
        }
    }

    pub fn store(&self) -> Store {
        Store::new(self.paths())
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The real binary with this sandbox's folders and English messages. Off
    /// the private test bus, the child sees no session bus at all, so a command
    /// that reaches for the keyring (`profile delete`) finds none instead of
    /// the user's.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_outbound"));
        cmd.env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("OUTBOUND_SYSTEM_DIR", self.dir.path().join("system"))
            .env("OUTBOUND_LANG", "en")
            .stdin(Stdio::null());
        if !on_private_bus() {
            cmd.env_remove("DBUS_SESSION_BUS_ADDRESS")
                .env("XDG_RUNTIME_DIR", self.dir.path().join("no-bus"));
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Every file under the config folder with its bytes, for "nothing changed" checks.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.dir.path().join("config"), &mut files);
        files.sort();
        files
    }

    pub fn save(&self, profile: &Profile) {
        self.store().save(profile).unwrap();
    }

    /// Saves `profile` and makes it the user's default profile, so messages
    /// without a matching sender go through it too.
    pub fn save_default(&self, profile: &Profile) {
        self.save(profile);
        let preferences = Preferences {
            default_profile: profile.name.clone(),
            ..Preferences::default()
        };
        preferences::save(&self.paths().config, &preferences).unwrap();
    }

    /// `outbound send ARGS` with `input` on standard input.
    pub fn send(&self, args: &[&str], input: &str) -> Output {
        let mut command = self.cmd();
        command.arg("send").args(args);
        feed(command, input.as_bytes())
    }

    /// Puts `profile` in the system scope, whose folder is then read-only
    /// (mode 0555, as `/etc/outbound/profiles` is for a user who does not own
    /// it) or writable (0755, the administrator's own session).
    pub fn system_profile(&self, profile: &Profile, writable: bool) {
        let system = self.paths().system_profiles;
        std::fs::create_dir_all(&system).unwrap();
        set_mode(&system, 0o755);
        std::fs::write(
            system.join(format!("{}.toml", profile.name)),
            outbound::core::store::render(profile),
        )
        .unwrap();
        set_mode(&system, if writable { 0o755 } else { 0o555 });
    }
}

impl Drop for Sandbox {
    /// A read-only system folder would keep its files from being removed by
    /// a user who is not the superuser.
    fn drop(&mut self) {
        let system = self.paths().system_profiles;
        if system.is_dir() {
            set_mode(&system, 0o755);
        }
    }
}

/// The bus tests/session exports after dbus-run-session started it.
const PRIVATE_BUS: &str = "OUTBOUND_TEST_SESSION_BUS";

/// Whether the session bus is the private one tests/session runs the tests on.
pub fn on_private_bus() -> bool {
    match (
        std::env::var(PRIVATE_BUS),
        std::env::var("DBUS_SESSION_BUS_ADDRESS"),
    ) {
        (Ok(private), Ok(current)) => !private.is_empty() && private == current,
        _ => false,
    }
}

/// Fails the test unless the session bus is the private one (with a throw-away
/// gnome-keyring) that tests/run starts: a test must never read or write the
/// keyring of a real user's session. Every test that reaches the keyring calls
/// this first.
pub fn require_private_keyring() {
    assert!(
        on_private_bus(),
        "this test needs the private session bus with gnome-keyring that tests/run \
         starts (`dbus-run-session -- ./tests/session --test NAME`); refusing to touch \
         the keyring of DBUS_SESSION_BUS_ADDRESS={:?} ({PRIVATE_BUS}={:?})",
        std::env::var("DBUS_SESSION_BUS_ADDRESS").ok(),
        std::env::var(PRIVATE_BUS).ok(),
    );
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
}

/// Runs `command` with `input` on standard input.
pub fn feed(mut command: Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A profile with every field set, with Cyrillic text where text is free.
pub fn full_profile(name: &str) -> Profile {
    use outbound::core::profile::*;
    Profile {
        name: name.to_owned(),
        description: "Почта бухгалтерии — relay".to_owned(),
        enabled: false,
        delivery: Delivery::Smtp,
        subject_prefix: "[Касса]".to_owned(),
        senders: vec![
            "Склад <sklad@example.org>".to_owned(),
            "*@shop.example.org".to_owned(),
        ],
        sender: Sender {
            address: "kassa@example.org".to_owned(),
            name: "Касса №1".to_owned(),
        },
        smtp: Smtp {
            host: "smtp.example.org".to_owned(),
            port: 465,
            security: Security::Tls,
            auth: AuthMethod::CramMd5,
            username: "кассир".to_owned(),
            auth_domain: "CORP".to_owned(),
            ehlo_name: "pc-17.example.org".to_owned(),
            accept_invalid_certs: true,
            timeout_secs: 45,
        },
        imap: Imap {
            host: "imap.example.org".to_owned(),
            port: 143,
            security: Security::Starttls,
            username: "кассир-почта".to_owned(),
            auth: ImapAuth::CramMd5,
            folder: "Входящие/Касса".to_owned(),
            separate_password: true,
        },
        sendmail: Sendmail {
            path: "/usr/bin/msmtp".to_owned(),
            args: "-i -C '/etc/my msmtprc'".to_owned(),
        },
        log: Log {
            level: LogLevel::Full,
            file: "/var/log/почта.log".to_owned(),
        },
        limits: Limits {
            daily: 500,
            count: LimitCount::Recipient,
            over: LimitOver::Refuse,
        },
        test: TestSettings {
            recipients: "a@example.org, Борис <b@example.org>".to_owned(),
            send_message: true,
        },
    }
}

/// A command's standard output as JSON; a panic that shows both streams.
#[allow(dead_code)]
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A `check --json` report's diagnosis code.
pub fn code(report: &serde_json::Value) -> &str {
    report["diagnosis"]["code"].as_str().unwrap_or("?")
}

/// A `check --json` report's step `name`; a panic that shows the report.
pub fn step<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["name"] == name)
        .unwrap_or_else(|| panic!("no {name} step: {report:#}"))
}

/// The Windows authentication peer's variable `name` (tests/peers/windows_auth,
/// started by tests/session); a loud failure without it.
pub fn winauth_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run the tests through tests/run or tests/session, \
             which start the Windows authentication peer (tests/peers/windows_auth)"
        )
    })
}
