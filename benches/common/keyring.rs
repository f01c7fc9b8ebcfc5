//! A session bus and an unlocked gnome-keyring of a benchmark's own
//! (benches/send.rs, benches/oauth.rs): Outbound reads its secrets as a user's
//! would, and no real keyring is touched.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A session bus and an unlocked gnome-keyring of the benchmark's own, so no
/// real keyring is touched.
pub struct Keyring {
    bus: Child,
    keyring_pid: Option<i32>,
    /// The private bus (DBUS_SESSION_BUS_ADDRESS for whoever uses the keyring).
    pub address: String,
}

impl Keyring {
    pub fn start(home: &Path) -> Keyring {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            // It complains that it cannot raise its fd limit as a user.
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon (Debian package dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--daemonize"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("HOME", home)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start gnome-keyring-daemon (Debian package gnome-keyring)");
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(b"throw-away-bench-password")
            .unwrap();
        let output = keyring.wait_with_output().unwrap();
        let keyring_pid = String::from_utf8_lossy(&output.stdout)
            .lines()
            .find_map(|line| line.strip_prefix("GNOME_KEYRING_PID=")?.parse().ok());
        Keyring {
            bus,
            keyring_pid,
            address,
        }
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        if let Some(pid) = self.keyring_pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
