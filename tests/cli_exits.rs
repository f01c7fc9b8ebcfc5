//! How the command line ends when its surroundings end first: a reader that
//! closes the pipe (`outbound directory list | head -1`), Ctrl+C during a check,
//! and input that is not what an option takes.

mod sandbox;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Output, Stdio};
use std::sync::mpsc;

use sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;

/// Runs the command with its standard output a pipe whose reader has already
/// gone, so its first write meets a closed pipe.
fn into_closed_pipe(sandbox: &Sandbox, args: &[&str]) -> Output {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    sandbox
        .cmd()
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn assert_quiet_success(args: &[&str], out: &Output) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    assert!(err.is_empty(), "{args:?}: {err}");
}

#[test]
fn a_closed_pipe_ends_every_output_quietly_with_status_0() {
    let sandbox = Sandbox::new();
    for n in 0..3 {
        sandbox.save(&outbound::core::profile::Profile::named(&format!(
            "profile_{n}"
        )));
    }
    for args in [
        &["directory", "list"][..],
        &["directory", "list", "--json"],
        &["directory", "show", "gmail"],
        &["profile", "list"],
        &["profile", "list", "--json"],
        &["check", "--sendmail", "/nonexistent/sendmail"],
        &["check", "--sendmail", "/nonexistent/sendmail", "--json"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
    ] {
        let out = into_closed_pipe(&sandbox, args);
        assert_quiet_success(args, &out);
    }
}

/// As `| head -1` does it: one line read, then the pipe closed while the
/// command still has far more to write than the pipe holds.
#[test]
fn a_reader_that_leaves_after_one_line_ends_a_long_output_quietly() {
    let sandbox = Sandbox::new();
    for n in 0..64 {
        let mut profile = outbound::core::profile::Profile::named(&format!("long_{n}"));
        profile.description = "Почта бухгалтерии ".repeat(128);
        sandbox.save(&profile);
    }
    let args = ["profile", "list", "--json"];
    let whole = sandbox.run(&args);
    assert!(whole.status.success(), "{}", stderr(&whole));
    // Well over a pipe's 64 KiB, or the command could finish writing before
    // the reader leaves and nothing would be shown.
    assert!(whole.stdout.len() > 256 * 1024, "{}", whole.stdout.len());

    let mut child = sandbox
        .cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut first).unwrap();
    assert_eq!(first.trim(), "[");
    drop(reader);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn directory_lookup_of_an_invalid_domain_is_bad_input() {
    let sandbox = Sandbox::new();
    for args in [
        &["directory", "lookup", "bad domain!!"][..],
        &["directory", "lookup", "bad domain!!", "--json"],
        &["directory", "lookup", ""],
    ] {
        let out = sandbox.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("Not a domain name: {}", args[2])),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }
    // A well-formed domain the directory does not know is a finding (1), and
    // an international one is looked up as the directory spells it.
    let out = sandbox.run(&["directory", "lookup", "unknown-domain.example"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = sandbox.run(&["directory", "lookup", "GMAIL.com."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A server that accepts one connection and never speaks; it tells when the
/// client connected and when the client closed the connection.
fn silent_server() -> (u16, mpsc::Receiver<&'static str>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (events, received) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        events.send("connected").unwrap();
        let mut buffer = [0u8; 256];
        while socket.read(&mut buffer).is_ok_and(|n| n > 0) {}
        let _ = events.send("closed");
    });
    (port, received)
}

/// Ctrl+C while the check waits for the greeting: the connection is closed,
/// the diagnosis is the stable `cancelled` (in JSON or as text), exit 130.
#[test]
fn ctrl_c_ends_a_check_with_cancelled_and_status_130() {
    let sandbox = Sandbox::new();
    for json in [true, false] {
        let (port, events) = silent_server();
        let port = port.to_string();
        let mut command = sandbox.cmd();
        command
            .args(["check", "--host", "127.0.0.1", "--port", &port])
            .args(["--security", "none", "--timeout", "300"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if json {
            command.arg("--json");
        }
        let child = command.spawn().unwrap();
        // The check is under way: connected, waiting for a greeting that never comes.
        assert_eq!(events.recv().unwrap(), "connected");
        rustix::process::kill_process(
            rustix::process::Pid::from_child(&child),
            rustix::process::Signal::INT,
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(events.recv().unwrap(), "closed");
        assert_eq!(
            out.status.code(),
            Some(130),
            "{:?}: {}",
            out.status,
            stderr(&out)
        );
        let text = stdout(&out);
        if json {
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(value["ok"], false);
            assert_eq!(value["diagnosis"]["code"], "cancelled");
            assert_eq!(value["sent"], false);
            // The steps that finished before Ctrl+C are kept: resolve for sure
            // (connect may finish in the client after the server accepted).
            let steps: Vec<&str> = value["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap())
                .collect();
            assert_eq!(steps.first(), Some(&"resolve"), "{steps:?}");
        } else {
            assert!(text.contains("resolve"), "{text}");
            assert!(
                text.contains("The check was cancelled. [cancelled]"),
                "{text}"
            );
        }
    }
}

/// Values of an option outside its set are bad usage, named by clap.
#[test]
fn an_unknown_option_value_is_bad_usage() {
    let sandbox = Sandbox::new();
    for (option, value) in [
        ("--security", "ssl"),
        ("--security", "STARTTLS"),
        ("--auth", "cram_md5"),
        ("--auth", "kerberos"),
    ] {
        let out = sandbox.run(&["check", "--host", "127.0.0.1", option, value]);
        assert_eq!(out.status.code(), Some(2), "{option} {value}");
        assert!(
            stderr(&out).contains(&format!("invalid value '{value}' for '{option}")),
            "{}",
            stderr(&out)
        );
    }
    let out = sandbox.run(&["profile", "import", "x.toml", "--on-conflict", "merge"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// One password reader for the whole command line: an empty password is
/// refused by `check` as by `set-password`, both sources at once are bad usage.
#[test]
fn passwords_are_read_alike_by_every_command() {
    let sandbox = Sandbox::new();
    sandbox.save(&outbound::core::profile::Profile::named("relay"));
    for command in [
        &["check", "--host", "127.0.0.1", "--auth", "plain"][..],
        &["profile", "set-password", "relay"],
    ] {
        let out = sandbox
            .cmd()
            .args(command)
            .args(["--password-env", "OB_EMPTY"])
            .env("OB_EMPTY", "")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("The password is empty"),
            "{command:?}: {}",
            stderr(&out)
        );
        let out = sandbox
            .cmd()
            .args(command)
            .args(["--password-env", "OB_SET", "--password-stdin"])
            .env("OB_SET", "x")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot be used with"),
            "{command:?}: {}",
            stderr(&out)
        );
    }
}
