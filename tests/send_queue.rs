//! `outbound send` and the queue: `--queue`/`-odq`, a temporary failure
//! queued (exit 0, as sendmail), a permanent one not, the daily limit's
//! `limits.over`, `-q`/`--flush`, and the log line of each message. The built
//! binary in a private sandbox against aiosmtpd peers; `--refuse-while FILE`
//! makes a peer answer RCPT TO with FILE's reply while FILE exists.

mod sandbox;
mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use outbound::core::profile::{AuthMethod, LimitOver, LogLevel, Profile};
use sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;
use support::{Peer, send_profile};

const MESSAGE: &str = "To: ann@example.net\nSubject: report\n\nbody\n";

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// The default profile `ob` through `peer`.
fn ob(peer: &Peer) -> Profile {
    send_profile("ob", peer.port, "sender@example.org")
}

/// A peer that refuses every recipient with the reply in the returned file
/// while that file exists.
fn refusing_peer(sandbox: &Sandbox, password: &str) -> (Peer, PathBuf) {
    let flag = sandbox.path("refuse");
    let peer = Peer::start_with(
        "none",
        None,
        password,
        &["--refuse-while", flag.to_str().unwrap()],
    );
    (peer, flag)
}

fn queued(sandbox: &Sandbox) -> Vec<Value> {
    let output = sandbox.run(&["queue", "list", "--json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    serde_json::from_str::<Value>(&stdout(&output))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn flush(sandbox: &Sandbox) -> Value {
    let output = sandbox.run(&["queue", "flush", "--json"]);
    serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {} / {}", stdout(&output), stderr(&output)))
}

fn log_of(sandbox: &Sandbox, name: &str) -> String {
    std::fs::read_to_string(sandbox.paths().data.join(format!("logs/{name}.log")))
        .unwrap_or_default()
}

/// The log's message lines (not the transcript).
fn message_lines(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains(" profile=")).collect()
}

fn assert_queued(output: &Output) {
    assert_eq!(code(output), 0, "{}", stderr(output));
    assert!(
        stderr(output).starts_with("outbound send: queued as "),
        "{}",
        stderr(output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn queue_only_keeps_the_message_until_a_flush_delivers_it_once() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    sandbox.save_default(&ob(&peer));
    assert_queued(&sandbox.send(&["-t", "--queue"], MESSAGE));
    assert_queued(&sandbox.send(&["-odq", "bob@example.net"], "Subject: two\n\nb\n"));
    assert!(peer.messages().is_empty(), "queued, not sent");
    // Queued as asked is no failure: log.level = errors writes no line.
    assert!(message_lines(&log_of(&sandbox, "ob")).is_empty());
    let listed = queued(&sandbox);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0]["recipients"][0], "ann@example.net");
    assert_eq!(listed[0]["last_error"], Value::Null);
    // Prepared before it was queued: the prefix is in the spooled message.
    let id = listed[0]["id"].as_str().unwrap();
    let spooled =
        std::fs::read_to_string(sandbox.paths().data.join(format!("queue/{id}.eml"))).unwrap();
    assert!(spooled.contains("Subject: [ob] report"), "{spooled}");

    let summary = flush(&sandbox);
    assert_eq!(summary["sent"], 2, "{summary}");
    assert_eq!(peer.messages().len(), 2);
    assert!(queued(&sandbox).is_empty());
    assert_eq!(flush(&sandbox)["sent"], 0);
    assert_eq!(peer.messages().len(), 2, "delivered once");

    // sendmail's queue run: -odd queues, -q sends; --flush of nothing is 0.
    assert_queued(&sandbox.send(&["-odd", "-t"], MESSAGE));
    let run = sandbox.send(&["-q"], "");
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(stderr(&run).contains("Sent 1"), "{}", stderr(&run));
    assert_eq!(peer.messages().len(), 3);
    let run = sandbox.send(&["--flush"], "");
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(peer.messages().len(), 3);
}

#[test]
fn a_451_is_queued_and_sent_by_a_later_flush_and_a_550_is_not_queued() {
    let sandbox = Sandbox::new();
    let (peer, flag) = refusing_peer(&sandbox, "secret");
    sandbox.save_default(&ob(&peer));
    std::fs::write(&flag, "451 4.3.0 Try again later").unwrap();
    let out = sandbox.send(&["-t"], MESSAGE);
    assert_queued(&out);
    assert!(stderr(&out).contains("451 4.3.0"), "{}", stderr(&out));
    let listed = queued(&sandbox);
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("451 4.3.0"),
        "{listed:?}"
    );
    // Still refusing: the flush keeps it.
    assert_eq!(flush(&sandbox)["deferred"], 1);
    std::fs::remove_file(&flag).unwrap();
    assert_eq!(flush(&sandbox)["sent"], 1);
    assert_eq!(peer.messages().len(), 1);
    assert!(queued(&sandbox).is_empty());

    // A permanent refusal keeps its sysexits code and is not queued.
    std::fs::write(&flag, "550 5.1.1 No such user").unwrap();
    let out = sandbox.send(&["-t"], MESSAGE);
    assert_eq!(code(&out), 69, "{}", stderr(&out));
    assert!(stderr(&out).contains("550 5.1.1"), "{}", stderr(&out));
    assert!(queued(&sandbox).is_empty());

    // log.level = errors (the default): send's QUEUED and EX_UNAVAILABLE
    // lines and the flush's QUEUED one; no line for a delivered message.
    let log = log_of(&sandbox, "ob");
    let lines = message_lines(&log);
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[0].contains("exitcode=QUEUED")
            && lines[0].contains("smtpstatus=451")
            && lines[0].contains("queueid=")
            && lines[0].contains("recipients=ann@example.net"),
        "{log}"
    );
    assert!(
        lines[2].contains("exitcode=EX_UNAVAILABLE") && lines[2].contains("smtpstatus=550"),
        "{log}"
    );
    assert!(!log.contains("EX_OK"), "{log}");
}

/// A 451 when the queue cannot keep the message (its folder is a file):
/// exit 75, and the caller hears both why it was not sent and why it was
/// not kept; the log says so too.
#[test]
fn a_temporary_failure_the_queue_cannot_keep_names_both_reasons() {
    let sandbox = Sandbox::new();
    let (peer, flag) = refusing_peer(&sandbox, "secret");
    sandbox.save_default(&ob(&peer));
    std::fs::write(&flag, "451 4.3.0 Try again later").unwrap();
    let spool = sandbox.paths().data.join("queue");
    std::fs::create_dir_all(spool.parent().unwrap()).unwrap();
    std::fs::write(&spool, "not a folder").unwrap();
    let out = sandbox.send(&["-t"], MESSAGE);
    assert_eq!(code(&out), 75, "{}", stderr(&out));
    assert!(stderr(&out).contains("451 4.3.0"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the queue could not keep it"),
        "{}",
        stderr(&out)
    );
    let log = log_of(&sandbox, "ob");
    let lines = message_lines(&log);
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].contains("exitcode=EX_TEMPFAIL"), "{log}");
}

#[test]
fn no_server_listening_is_queued() {
    let sandbox = Sandbox::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut gone = send_profile("ob", port, "sender@example.org");
    gone.smtp.timeout_secs = 2;
    sandbox.save_default(&gone);
    let out = sandbox.send(&["-t"], MESSAGE);
    assert_queued(&out);
    let listed = queued(&sandbox);
    assert_eq!(listed.len(), 1, "{}", stderr(&out));
    assert!(listed[0]["last_error"].as_str().is_some(), "{listed:?}");
    // The server is back (on another port): the flush delivers it.
    let peer = Peer::start("none", None, "secret");
    sandbox.save_default(&ob(&peer));
    assert_eq!(flush(&sandbox)["sent"], 1);
    assert_eq!(peer.messages().len(), 1);
}

#[test]
fn over_the_daily_limit_a_message_is_queued_for_the_next_day_by_default() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    let mut p = ob(&peer);
    p.limits.daily = 1;
    sandbox.save_default(&p);
    let first = sandbox.send(&["-t"], MESSAGE);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(stderr(&first).is_empty(), "{}", stderr(&first));
    let second = sandbox.send(&["-t"], MESSAGE);
    assert_queued(&second);
    assert!(
        stderr(&second).contains("daily limit of 1"),
        "{}",
        stderr(&second)
    );
    assert_eq!(peer.messages().len(), 1, "not sent");
    let listed = queued(&sandbox);
    assert_eq!(listed.len(), 1);
    let tomorrow = (time::OffsetDateTime::now_utc().unix_timestamp() / 86_400 + 1) * 86_400;
    let tomorrow = time::OffsetDateTime::from_unix_timestamp(tomorrow)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert_eq!(listed[0]["next_attempt"], tomorrow.as_str());
    // Today's allowance is spent: a flush keeps it.
    assert_eq!(flush(&sandbox)["deferred"], 1);
    assert_eq!(peer.messages().len(), 1);
}

#[test]
fn over_the_daily_limit_refuse_says_so_with_69() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    let mut p = ob(&peer);
    p.limits.daily = 1;
    p.limits.over = LimitOver::Refuse;
    sandbox.save_default(&p);
    assert_eq!(code(&sandbox.send(&["-t"], MESSAGE)), 0);
    let out = sandbox.send(&["-t"], MESSAGE);
    assert_eq!(code(&out), 69, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("outbound send: ")
            && err.contains("daily limit of 1")
            && err.contains("limits.over = refuse"),
        "{err}"
    );
    assert!(queued(&sandbox).is_empty());
    assert_eq!(peer.messages().len(), 1);
    let log = log_of(&sandbox, "ob");
    assert!(
        message_lines(&log)
            .iter()
            .any(|l| l.contains("exitcode=EX_UNAVAILABLE")),
        "{log}"
    );
}

#[test]
fn the_daily_limit_counts_the_check_send_and_flush_together() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    let mut p = ob(&peer);
    p.limits.daily = 3;
    p.test.recipients = "check@example.net".to_owned();
    sandbox.save_default(&p);
    let check = sandbox.run(&["check", "--profile", "ob", "--send", "--json"]);
    assert_eq!(code(&check), 0, "{}", stdout(&check));
    assert_queued(&sandbox.send(&["-t", "--queue"], MESSAGE));
    assert_eq!(flush(&sandbox)["sent"], 1);
    let third = sandbox.send(&["-t"], MESSAGE);
    assert_eq!(code(&third), 0, "{}", stderr(&third));
    assert!(stderr(&third).is_empty(), "sent: {}", stderr(&third));
    assert_eq!(peer.messages().len(), 3);
    // The fourth of the day, whichever path it takes, waits.
    assert_queued(&sandbox.send(&["-t"], MESSAGE));
    assert_eq!(flush(&sandbox)["deferred"], 1);
    let check = sandbox.run(&["check", "--profile", "ob", "--send", "--json"]);
    let report: Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert_eq!(report["diagnosis"]["code"], "limit_reached", "{report}");
    assert_eq!(peer.messages().len(), 3);
}

/// Every file under `dir` (recursively) that holds `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_holding(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle)
        {
            found.push(path);
        }
    }
    found
}

#[test]
fn full_logs_every_message_with_its_transcript_and_no_password_is_written_anywhere() {
    sandbox::require_private_keyring();
    let password = "Sq-7c0rrect-h0rse";
    let sandbox = Sandbox::new();
    let (peer, flag) = refusing_peer(&sandbox, password);
    let mut p = ob(&peer);
    p.smtp.auth = AuthMethod::Plain;
    p.log.level = LogLevel::Full;
    sandbox.save_default(&p);
    let mut set = sandbox.cmd();
    set.args(["profile", "set-password", "ob", "--password-env", "OB_PW"])
        .env("OB_PW", password);
    assert!(set.output().unwrap().status.success());

    let sent = sandbox.send(&["-t"], MESSAGE);
    assert_eq!(code(&sent), 0, "{}", stderr(&sent));
    std::fs::write(&flag, "451 4.7.1 Greylisted").unwrap();
    assert_queued(&sandbox.send(&["-t"], MESSAGE));
    assert_queued(&sandbox.send(&["-t", "--queue"], MESSAGE));
    std::fs::remove_file(&flag).unwrap();
    // Before the flush, the spool holds two messages and no password.
    let spool = sandbox.paths().data.join("queue");
    assert_eq!(queued(&sandbox).len(), 2);
    assert!(files_holding(&spool, password.as_bytes()).is_empty());
    assert_eq!(flush(&sandbox)["sent"], 2);
    assert_eq!(peer.messages().len(), 3);
    assert!(peer.messages().iter().all(|m| m["login"] == support::USER));

    let log = log_of(&sandbox, "ob");
    let lines = message_lines(&log);
    // send: EX_OK, QUEUED, QUEUED (--queue); the flush: EX_OK twice.
    let exits: Vec<&str> = lines
        .iter()
        .map(|l| l.rsplit("exitcode=").next().unwrap())
        .collect();
    assert_eq!(
        exits,
        ["EX_OK", "QUEUED", "QUEUED", "EX_OK", "EX_OK"],
        "{log}"
    );
    assert!(lines[0].contains("smtpstatus=250") && lines[0].contains("user=tester"));
    assert!(lines[1].contains("451 4.7.1 Greylisted"), "{log}");
    // The transcripts of send's two connections and the flush's one.
    assert_eq!(log.matches("EHLO client.test").count(), 3, "{log}");
    assert!(log.contains("AUTH PLAIN"), "{log}");

    // The password, and the AUTH PLAIN payload that carries it, nowhere.
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD
        .encode(format!("\0{}\0{password}", support::USER));
    for needle in [password, payload.as_str()] {
        let holding = files_holding(sandbox.dir.path(), needle.as_bytes());
        assert!(holding.is_empty(), "{needle:?} in {holding:?}");
    }
}
