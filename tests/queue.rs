//! The queue as a user runs it: the real binary with a private XDG sandbox,
//! messages put in the spool by the library (as `outbound send` does) and
//! flushed through a real program: a `delivery = "sendmail"` profile whose
//! program records every message it is given in a folder (the "peer"), and
//! fails with 75 (EX_TEMPFAIL) while a flag file exists.
//!
//! The clock and the give-up age of the binary are set with
//! `OUTBOUND_QUEUE_NOW` and `OUTBOUND_QUEUE_GIVE_UP`.

mod sandbox;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use outbound::core::profile::{AuthMethod, Delivery, LimitCount, LogLevel, Profile, Security};
use outbound::core::queue::{self, ProfileRef, QueueId, QueuedDsn};
use outbound::core::store::Scope;
use sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;
use support::fake::{Behaviour, Fake, Replies};
use support::{Peer, smtp_profile};

/// A sendmail program that keeps each message as a file in `$1`'s folder.
fn recorder(sandbox: &Sandbox, pause: &str) -> (PathBuf, PathBuf) {
    let inbox = sandbox.path("peer");
    std::fs::create_dir_all(&inbox).unwrap();
    let flag = sandbox.path("tempfail");
    let script = sandbox.path("recorder.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             if [ -e '{flag}' ]; then echo '451 4.3.0 try later' >&2; exit 75; fi\n\
             t='{inbox}/.'$$.tmp\n\
             cat > \"$t\"\n\
             {pause}\n\
             mv \"$t\" '{inbox}/'$$-$(date +%s%N).eml\n",
            flag = flag.display(),
            inbox = inbox.display(),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, flag)
}

fn profile(script: &Path) -> Profile {
    let mut profile = Profile::named("relay");
    profile.delivery = Delivery::Sendmail;
    profile.sendmail.path = script.display().to_string();
    profile.sendmail.args = "-i".to_owned();
    profile.sender.address = "app@example.org".to_owned();
    profile
}

fn put(sandbox: &Sandbox, seq: usize, recipients: &[&str]) -> QueueId {
    let message =
        format!("From: app@example.org\r\nX-Seq: {seq}\r\nSubject: m{seq}\r\n\r\nbody {seq}\r\n");
    let recipients: Vec<String> = recipients.iter().map(|r| r.to_string()).collect();
    queue::enqueue_parts(
        &sandbox.paths(),
        ProfileRef {
            scope: Scope::User,
            name: "relay".to_owned(),
        },
        "app@example.org",
        &recipients,
        QueuedDsn::default(),
        message.as_bytes(),
        None,
        None,
    )
    .unwrap()
}

/// The X-Seq of every message the peer got, with how many times.
fn received(sandbox: &Sandbox) -> BTreeMap<usize, usize> {
    let mut seen = BTreeMap::new();
    for entry in std::fs::read_dir(sandbox.path("peer")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".eml") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let seq: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("X-Seq: "))
            .unwrap_or_else(|| panic!("a message was delivered cut short: {text:?}"))
            .trim()
            .parse()
            .unwrap();
        *seen.entry(seq).or_default() += 1;
    }
    seen
}

fn list_json(sandbox: &Sandbox) -> Vec<Value> {
    let output = sandbox.run(&["queue", "list", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str::<Value>(&stdout(&output))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn flush(sandbox: &Sandbox, extra: &[&str]) -> Output {
    sandbox
        .cmd()
        .args(["queue", "flush", "--json"])
        .args(extra)
        .output()
        .unwrap()
}

fn summary(output: &Output) -> Value {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("{e}: {} / {}", stdout(output), stderr(output)))
}

#[test]
fn list_delete_and_purge_with_json() {
    let sandbox = Sandbox::new();
    let empty = sandbox.run(&["queue", "list"]);
    assert_eq!(empty.status.code(), Some(0));
    assert!(
        stderr(&empty).contains("The queue is empty"),
        "{}",
        stderr(&empty)
    );
    let first = put(&sandbox, 1, &["a@example.net", "b@example.net"]);
    let second = put(&sandbox, 2, &["c@example.net"]);
    let listed = list_json(&sandbox);
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["id"], first.as_str());
    assert_eq!(listed[0]["profile"], "relay");
    assert_eq!(listed[0]["scope"], "user");
    assert_eq!(listed[0]["sender"], "app@example.org");
    assert_eq!(listed[0]["recipients"][1], "b@example.net");
    assert_eq!(listed[0]["attempts"], 0);
    assert!(listed[0]["queued_at"].as_str().unwrap().ends_with('Z'));
    assert!(listed[0]["size"].as_u64().unwrap() > 20);
    let text = sandbox.run(&["queue", "list"]);
    assert!(stdout(&text).contains(second.as_str()));

    let deleted = sandbox.run(&["queue", "delete", first.as_str()]);
    assert_eq!(deleted.status.code(), Some(0), "{}", stderr(&deleted));
    assert_eq!(list_json(&sandbox).len(), 1);
    let again = sandbox.run(&["queue", "delete", first.as_str()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("no queued message"),
        "{}",
        stderr(&again)
    );
    let bad = sandbox.run(&["queue", "delete", "../../etc/passwd"]);
    assert_eq!(bad.status.code(), Some(2));

    put(&sandbox, 3, &["d@example.net"]);
    let purged = sandbox.run(&["queue", "purge"]);
    assert_eq!(purged.status.code(), Some(0));
    assert!(stderr(&purged).contains("Removed 2"), "{}", stderr(&purged));
    assert!(list_json(&sandbox).is_empty());
}

#[test]
fn a_temporary_failure_stays_queued_and_a_later_flush_delivers_it() {
    let sandbox = Sandbox::new();
    let (script, flag) = recorder(&sandbox, "");
    let mut relay = profile(&script);
    relay.log.level = LogLevel::Full;
    sandbox.save(&relay);
    std::fs::write(&flag, "").unwrap();
    put(&sandbox, 1, &["a@example.net"]);
    let first = flush(&sandbox, &[]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert_eq!(summary(&first)["deferred"], 1);
    let listed = list_json(&sandbox);
    assert_eq!(listed[0]["attempts"], 1);
    assert!(
        listed[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("451 4.3.0 try later"),
        "{listed:?}"
    );
    assert!(received(&sandbox).is_empty());
    // Back-off: a timer's flush (--due) leaves it until its next attempt.
    let due = flush(&sandbox, &["--due"]);
    assert_eq!(summary(&due)["sent"], 0);
    std::fs::remove_file(&flag).unwrap();
    let later = flush(&sandbox, &[]);
    assert_eq!(later.status.code(), Some(0), "{}", stderr(&later));
    assert_eq!(summary(&later)["sent"], 1);
    assert_eq!(received(&sandbox), BTreeMap::from([(1, 1)]));
    assert!(list_json(&sandbox).is_empty());
    let log = std::fs::read_to_string(sandbox.paths().data.join("logs/relay.log")).unwrap();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("profile=relay"))
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("exitcode=QUEUED") && lines[0].contains("recipients=a@example.net"));
    assert!(lines[1].contains("exitcode=EX_OK") && lines[1].contains("mailsize="));
}

#[test]
fn two_flushes_at_once_deliver_each_message_exactly_once() {
    let sandbox = Sandbox::new();
    let (script, _) = recorder(&sandbox, "sleep 0.02");
    sandbox.save(&profile(&script));
    for seq in 0..30 {
        put(&sandbox, seq, &["a@example.net"]);
    }
    let children: Vec<_> = (0..2)
        .map(|_| {
            sandbox
                .cmd()
                .args(["queue", "flush", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut sent = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        sent += summary(&output)["sent"].as_u64().unwrap();
    }
    let got = received(&sandbox);
    assert_eq!(got.len(), 30, "{got:?}");
    assert!(got.values().all(|&n| n == 1), "{got:?}");
    assert_eq!(sent, 30);
    assert!(list_json(&sandbox).is_empty());
}

/// SIGKILL at random moments of flushes: afterwards no message was delivered
/// twice, and each one is either at the peer or still in the spool; the ones
/// both at the peer and in the spool are marked as "may have been delivered".
#[test]
fn kills_during_flushes_lose_nothing_and_duplicate_nothing() {
    let sandbox = Sandbox::new();
    let (script, _) = recorder(&sandbox, "sleep 0.01");
    sandbox.save(&profile(&script));
    let total = 60;
    let mut ids = BTreeMap::new();
    for seq in 0..total {
        ids.insert(
            put(&sandbox, seq, &["a@example.net"]).as_str().to_owned(),
            seq,
        );
    }
    // A cheap pseudo-random sequence (no crate for it).
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..50 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Its summary on stderr is of no interest (most are killed first).
        let mut child = sandbox
            .cmd()
            .args(["queue", "flush"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(50 + state % 300));
        let _ = child.kill();
        let _ = child.wait();
    }
    // The programs of killed flushes may still be writing: let them end.
    std::thread::sleep(Duration::from_millis(500));
    let last = flush(&sandbox, &[]);
    assert!(last.status.code().is_some(), "{}", stderr(&last));
    let got = received(&sandbox);
    assert!(got.values().all(|&n| n == 1), "a duplicate: {got:?}");
    let left = list_json(&sandbox);
    let uncertain = left.iter().filter(|e| e["uncertain"] == true).count();
    eprintln!(
        "after the kills: {} delivered, {} left, {uncertain} of them uncertain",
        got.len(),
        left.len()
    );
    // The kills did hit flushes in the middle of sending.
    assert!(uncertain > 0, "no kill landed mid-send");
    for entry in &left {
        let seq = ids[entry["id"].as_str().unwrap()];
        if got.contains_key(&seq) {
            assert_eq!(entry["uncertain"], true, "{entry}");
        }
    }
    let left_seqs: Vec<usize> = left
        .iter()
        .map(|e| ids[e["id"].as_str().unwrap()])
        .collect();
    for seq in 0..total {
        assert!(
            got.contains_key(&seq) || left_seqs.contains(&seq),
            "message {seq} was lost"
        );
    }
    // Sending the uncertain ones anyway empties the queue.
    let retried = flush(&sandbox, &["--retry-uncertain"]);
    assert_eq!(retried.status.code(), Some(0), "{}", stderr(&retried));
    assert!(list_json(&sandbox).is_empty());
    let got = received(&sandbox);
    assert_eq!(got.len(), total);
}

/// A flush killed while the sendmail program still runs takes the program
/// with it: the program must not go on to deliver (on the end of input it
/// would deliver the part it got). Linux only (the parent-death signal).
#[cfg(target_os = "linux")]
#[test]
fn a_killed_flush_takes_its_sendmail_program_with_it() {
    let sandbox = Sandbox::new();
    let started = sandbox.path("started");
    let delivered = sandbox.path("delivered");
    let script = sandbox.path("slow-sendmail.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntouch '{started}'\nsleep 2\ncat > /dev/null\ntouch '{delivered}'\n",
            started = started.display(),
            delivered = delivered.display(),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    sandbox.save(&profile(&script));
    put(&sandbox, 0, &["a@example.net"]);
    let mut child = sandbox
        .cmd()
        .args(["queue", "flush"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if started.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(started.exists(), "the sendmail program never started");
    child.kill().unwrap();
    child.wait().unwrap();
    // Past the program's own 2 s: had it lived on, it would have delivered.
    std::thread::sleep(Duration::from_millis(3500));
    assert!(
        !delivered.exists(),
        "the program outlived the flush and delivered"
    );
    // The message is still queued for the next flush.
    assert_eq!(list_json(&sandbox).len(), 1);
}

#[test]
fn past_the_give_up_age_it_is_bounced_to_the_log_and_removed() {
    let sandbox = Sandbox::new();
    let (script, flag) = recorder(&sandbox, "");
    sandbox.save(&profile(&script));
    std::fs::write(&flag, "").unwrap();
    put(&sandbox, 1, &["a@example.net"]);
    let first = flush(&sandbox, &[]);
    assert_eq!(summary(&first)["deferred"], 1);
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 5 * 86_400 + 60;
    let output = sandbox
        .cmd()
        .args(["queue", "flush", "--json"])
        .env("OUTBOUND_QUEUE_NOW", later.to_string())
        .output()
        .unwrap();
    assert_eq!(summary(&output)["gave_up"], 1, "{}", stderr(&output));
    assert!(list_json(&sandbox).is_empty());
    let log = std::fs::read_to_string(sandbox.paths().data.join("logs/relay.log")).unwrap();
    let bounce = log
        .lines()
        .find(|l| l.contains("exitcode=BOUNCED"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        bounce.contains("after 5 days") && bounce.contains("451 4.3.0"),
        "{bounce}"
    );
    // A shorter give-up age by the variable.
    put(&sandbox, 2, &["a@example.net"]);
    let output = sandbox
        .cmd()
        .args(["queue", "flush", "--json"])
        .env("OUTBOUND_QUEUE_GIVE_UP", "0")
        .output()
        .unwrap();
    assert_eq!(summary(&output)["gave_up"], 1);
}

#[test]
fn the_daily_limit_holds_the_rest_for_the_next_day_per_message_and_per_recipient() {
    let sandbox = Sandbox::new();
    let (script, _) = recorder(&sandbox, "");
    let mut relay = profile(&script);
    relay.limits.daily = 2;
    sandbox.save(&relay);
    for seq in 0..3 {
        put(&sandbox, seq, &["a@example.net", "b@example.net"]);
    }
    let output = flush(&sandbox, &[]);
    let value = summary(&output);
    assert_eq!(
        (value["sent"].as_u64(), value["deferred"].as_u64()),
        (Some(2), Some(1))
    );
    let left = list_json(&sandbox);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["attempts"], 0, "the limit is no failed attempt");
    let tomorrow = (time::OffsetDateTime::now_utc().unix_timestamp() / 86_400 + 1) * 86_400;
    let next: String = left[0]["next_attempt"].as_str().unwrap().to_owned();
    assert_eq!(
        next,
        time::OffsetDateTime::from_unix_timestamp(tomorrow)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    );
    // Per recipient: 2 recipients count 2, so a limit of 5 lets 2 messages go.
    let counted = sandbox.paths().data.join("sent-today.json");
    std::fs::remove_file(&counted).unwrap();
    relay.limits.daily = 5;
    relay.limits.count = LimitCount::Recipient;
    sandbox.save(&relay);
    for seq in 10..13 {
        put(&sandbox, seq, &["a@example.net", "b@example.net"]);
    }
    let value = summary(&flush(&sandbox, &[]));
    assert_eq!(value["sent"], 2, "{value}");
    let counts = std::fs::read_to_string(&counted).unwrap();
    assert!(counts.contains("\"sent\": 4"), "{counts}");
}

/// A profile of `delivery = "smtp"`: its queued messages go over SMTP, the
/// login with the password from the keyring.
#[test]
fn an_smtp_profiles_queued_messages_go_over_smtp_with_the_keyring_password() {
    sandbox::require_private_keyring();
    let peer = Peer::start("none", None, "right-password");
    let sandbox = Sandbox::new();
    let mut relay = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    relay.name = "relay".to_owned();
    relay.sender.address = "app@example.org".to_owned();
    sandbox.save(&relay);
    let mut set = sandbox.cmd();
    set.args([
        "profile",
        "set-password",
        "relay",
        "--password-env",
        "OB_PW",
    ])
    .env("OB_PW", "right-password");
    assert!(set.output().unwrap().status.success());
    put(&sandbox, 1, &["a@example.net"]);
    put(&sandbox, 2, &["b@example.net", "c@example.net"]);
    let output = flush(&sandbox, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(summary(&output)["sent"], 2);
    assert!(list_json(&sandbox).is_empty());
    let messages = peer.messages();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let mut got: Vec<(Vec<String>, bool)> = messages
        .iter()
        .map(|m| {
            let rcpts = m["rcpt_tos"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            (rcpts, m["content"].as_str().unwrap().contains("X-Seq: "))
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (vec!["a@example.net".to_owned()], true),
            (
                vec!["b@example.net".to_owned(), "c@example.net".to_owned()],
                true
            ),
        ]
    );
    assert!(messages.iter().all(|m| m["login"] == support::USER));
    assert!(messages.iter().all(|m| m["mail_from"] == "app@example.org"));
}

/// Over SMTP, a 4xx to the recipient keeps the message queued with the
/// server's reply; a 5xx bounces it to the log and removes it.
#[tokio::test(flavor = "multi_thread")]
async fn an_smtp_servers_4xx_keeps_a_message_queued_and_its_5xx_bounces_it() {
    let sandbox = Sandbox::new();
    let scripted = |rcpt: &'static str| {
        Behaviour::Smtp(Replies {
            rcpt,
            ..Replies::default()
        })
    };
    let relay_at = |port: u16| {
        let mut relay = smtp_profile(port, Security::None, AuthMethod::None);
        relay.name = "relay".to_owned();
        relay.sender.address = "app@example.org".to_owned();
        relay.smtp.timeout_secs = 2;
        relay
    };
    let full = Fake::start(scripted("452 4.2.2 mailbox full")).await;
    sandbox.save(&relay_at(full.port));
    put(&sandbox, 1, &["a@example.net"]);
    let first = tokio::task::block_in_place(|| flush(&sandbox, &[]));
    assert_eq!(summary(&first)["deferred"], 1, "{}", stderr(&first));
    let listed = list_json(&sandbox);
    assert_eq!(listed[0]["attempts"], 1);
    assert!(
        listed[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("452 4.2.2"),
        "{listed:?}"
    );
    let unknown = Fake::start(scripted("550 5.1.1 no such user")).await;
    sandbox.save(&relay_at(unknown.port));
    let second = tokio::task::block_in_place(|| flush(&sandbox, &[]));
    assert_eq!(summary(&second)["failed"], 1, "{}", stderr(&second));
    assert!(list_json(&sandbox).is_empty());
    let log = std::fs::read_to_string(sandbox.paths().data.join("logs/relay.log")).unwrap();
    let bounce = log
        .lines()
        .find(|l| l.contains("BOUNCED"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(bounce.contains("550 5.1.1"), "{bounce}");
}
