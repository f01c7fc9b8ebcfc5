//! Bulk checks against the real Postfix submission service of the mail stack
//! (SASL through Dovecot): the counts per code equal the planted failures, a
//! bad row is named by its line while the rest run, the per-server limit holds
//! at the server's door (a counting relay in front of Postfix), a cancelled run
//! keeps its finished rows, and no password of the list reaches the output or
//! a report; a list of 200 against the stack's many users, a silent server and
//! the busy port that says 421 after 20 connections. Users: u55..u60 and
//! u61..u200 (no other test binary takes them), and the busy port (it counts
//! every connection: only the 200-row test connects to it, once a session).

mod sandbox;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use outbound::core::bulk::{self, Job, Settings};
use outbound::core::directory::Directory;
use sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;
use support::mailstack::{DISABLED, stack};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_list_with_planted_failures_counts_each_and_leaks_no_password() {
    let mail = stack();
    let port = mail.submission_port;
    let good: Vec<_> = (55..=57).map(|n| mail.user(n)).collect();
    let wrong: Vec<_> = (58..=59).map(|n| mail.user(n)).collect();
    let closed = closed_port();
    // A spreadsheet's export: BOM, `;`, quotes, CRLF, a stray column.
    let mut csv = String::from("\u{feff}note;address;password;host;port;security\r\n");
    for account in &good {
        csv += &format!(
            "ok;{};\"{}\";127.0.0.1;{port};starttls\r\n",
            account.address, account.password
        );
    }
    for account in &wrong {
        csv += &format!(
            "wrong;{};not-{};127.0.0.1;{port};starttls\r\n",
            account.address, account.password
        );
    }
    csv += &format!("closed;u60@outbound.test;whatever-pw;127.0.0.1;{closed};none\r\n");
    // Line 8: a port that is no port. Line 9: no address.
    csv += "bad;u60@outbound.test;x;127.0.0.1;smtp;none\r\n";
    csv += "empty;;x;127.0.0.1;25;none\r\n";

    let sandbox = Sandbox::new();
    let list = sandbox.path("list.csv");
    std::fs::write(&list, &csv).unwrap();
    let html = sandbox.path("report.html");
    let output = sandbox
        .cmd()
        .arg("bulk")
        .arg(&list)
        .arg("--json")
        .arg("--report")
        .arg(&html)
        .env("SSL_CERT_FILE", mail.ca_pem())
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{out}\n{err}");
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    let counts = &report["counts"];
    assert_eq!(counts["ok"], 3, "{report:#}");
    assert_eq!(counts["auth_failed"], 2, "{report:#}");
    assert_eq!(counts["connect_refused"], 1, "{report:#}");
    assert_eq!(report["rows"].as_array().unwrap().len(), 6);
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("line 8") && skipped.contains("smtp"),
        "{skipped}"
    );
    assert!(skipped.contains("line 9"), "{skipped}");
    assert!(err.contains("line 8") && err.contains("line 9"), "{err}");
    // Rows come in the order they ended; each names its line.
    let mut wrong_lines: Vec<u64> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == "auth_failed")
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    wrong_lines.sort();
    assert_eq!(wrong_lines, [5, 6]);

    let page = std::fs::read_to_string(&html).unwrap();
    for account in good.iter().chain(&wrong) {
        assert!(page.contains(&account.address), "{page}");
    }
    let everything = format!("{out}{err}{page}");
    for account in good.iter().chain(&wrong) {
        assert!(!everything.contains(&account.password), "a password leaked");
    }
    assert!(!everything.contains("whatever-pw"));
    // The list is read, never copied: nothing under the configuration has it.
    for (path, bytes) in sandbox.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("secret-u5"), "{}", path.display());
    }
}

#[test]
fn a_list_too_big_or_without_addresses_is_refused_with_its_reason() {
    let sandbox = Sandbox::new();
    let big = sandbox.path("big.csv");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(bulk::list::MAX_LIST_BYTES + 1).unwrap();
    let output = sandbox.cmd().arg("bulk").arg(&big).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("big.csv"), "{}", stderr(&output));
    assert!(stderr(&output).contains("52428800"), "{}", stderr(&output));

    let phones = sandbox.path("phones.csv");
    std::fs::write(&phones, "name,phone\nAnn,123\n").unwrap();
    let output = sandbox.cmd().arg("bulk").arg(&phones).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("address"), "{}", stderr(&output));
}

/// A relay in front of `port` that counts the clients connected at once (a
/// client counts until it closes its side: the server's own closing after
/// QUIT is not the client's doing), the most there ever were, and all.
struct CountingRelay {
    port: u16,
    open: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
    accepted: Arc<AtomicUsize>,
}

impl CountingRelay {
    /// Each client waits `hold` before it is put through, so that checks
    /// overlap however fast the server is.
    async fn start(upstream: u16, hold: Duration) -> CountingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let accepted = Arc::new(AtomicUsize::new(0));
        let (o, m, a) = (open.clone(), most.clone(), accepted.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (open, most) = (o.clone(), m.clone());
                a.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    // Counted a moment after it came: the client before it may
                    // have closed just before this one connected, and the
                    // relay's tasks would otherwise see the two in any order.
                    // Each client is held far longer, so a real overlap shows.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(hold).await;
                    if let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await {
                        let (mut client_read, mut client_write) = client.into_split();
                        let (mut server_read, mut server_write) = server.into_split();
                        tokio::spawn(async move {
                            let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                        });
                        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
                    }
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        CountingRelay {
            port,
            open,
            most,
            accepted,
        }
    }
}

/// Rows that fail their login (through a relay that holds each client).
fn slow_jobs(port: u16, count: usize) -> Vec<Job> {
    let mail = stack();
    let directory = Directory::bundled_only();
    let none = |_: &str| None;
    (0..count)
        .map(|i| {
            let account = mail.user(55 + (i % 6) as u8);
            let text = format!(
                "address,password,host,port,security\n{},wrong-{i},127.0.0.1,{port},starttls\n",
                account.address
            );
            let row = bulk::parse(text.as_bytes())
                .unwrap()
                .rows
                .remove(0)
                .unwrap();
            bulk::plan(&row, None, &none, &directory).unwrap()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_four_at_once_per_server_even_with_more_allowed_in_all() {
    let relay = CountingRelay::start(stack().submission_port, Duration::from_millis(500)).await;
    let settings = Settings {
        concurrency: 16,
        extra_roots: stack().ca_roots(),
        ..Settings::default()
    };
    let (results, mut done) = mpsc::unbounded_channel();
    bulk::run(slow_jobs(relay.port, 10), settings, results).await;
    let mut codes = Vec::new();
    while let Ok(outcome) = done.try_recv() {
        codes.push(outcome.code().as_str());
    }
    assert_eq!(codes, vec!["auth_failed"; 10]);
    let most = relay.most.load(Ordering::SeqCst);
    assert_eq!(
        most,
        bulk::PER_HOST,
        "at most {} at once, saw {most}",
        bulk::PER_HOST
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_keeps_its_finished_rows_and_closes_the_rest() {
    let relay = CountingRelay::start(stack().submission_port, Duration::from_millis(500)).await;
    let settings = Settings {
        concurrency: 4,
        extra_roots: stack().ca_roots(),
        ..Settings::default()
    };
    let (results, mut done) = mpsc::unbounded_channel();
    // Boxed, so that `drop` ends the run itself (not a pin of it).
    let mut run = Box::pin(bulk::run(slow_jobs(relay.port, 12), settings, results));
    let mut finished = Vec::new();
    // Cancel (drop the run) once the first row is in.
    tokio::select! {
        () = &mut run => panic!("12 slow rows ended before the first result was read"),
        Some(outcome) = done.recv() => finished.push(outcome),
    }
    drop(run);
    // A check that was just ending may still report: it finished. Then the
    // channel closes (every check's sender is gone).
    while let Ok(Some(outcome)) = tokio::time::timeout(Duration::from_secs(10), done.recv()).await {
        finished.push(outcome);
    }
    assert!(finished.len() < 12, "{}", finished.len());
    // Every connection the run had open closes, and no check starts after.
    let mut waited = Duration::ZERO;
    while relay.open.load(Ordering::SeqCst) > 0 {
        assert!(
            waited < Duration::from_secs(10),
            "connections still open after cancel"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    let connections = relay.accepted.load(Ordering::SeqCst);
    // Longer than one held check: a check still going would have connected.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(relay.accepted.load(Ordering::SeqCst), connections);
    assert!(
        connections < 12,
        "{connections} connections for a cancelled run"
    );
}

#[test]
fn a_password_command_gives_each_row_its_password_and_nothing_keeps_it() {
    let mail = stack();
    let port = mail.submission_port;
    let sandbox = Sandbox::new();
    let list = sandbox.path("list.csv");
    std::fs::write(
        &list,
        format!(
            "address,host,port,security\n\
             u55@outbound.test,127.0.0.1,{port},starttls\n\
             u56@outbound.test,127.0.0.1,{port},starttls\n"
        ),
    )
    .unwrap();
    // The stack's passwords are secret-uNN: the command makes them from the
    // address it is given, as a vault's CLI would look them up.
    let command = r#"sh -c 'printf "secret-%s\n" "${1%%@*}"' sh"#;
    let output = sandbox
        .cmd()
        .arg("bulk")
        .arg(&list)
        .args(["--password-command", command, "--json"])
        .env("SSL_CERT_FILE", mail.ca_pem())
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(0), "{out}\n{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["counts"]["ok"], 2, "{report:#}");
    assert!(!format!("{out}{err}").contains("secret-u55"));

    // A command that fails is that row's result, named, and the run goes on.
    let output = sandbox
        .cmd()
        .arg("bulk")
        .arg(&list)
        .args(["--password-command", "sh -c 'exit 4'", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["counts"]["cannot_start"], 2, "{report:#}");
    let message = report["rows"][0]["check"]["diagnosis"].to_string();
    assert!(message.contains("password command"), "{message}");
}

/// A server that takes connections and never says a word (a firewall that
/// holds the line, a hung server): its connections stay open until the end.
fn silent_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// The helpdesk's list: 200 rows against the stack with planted failures.
/// The counts per code are the planted ones; the busy port's 21st connection
/// and after get 421, and then the run leaves that server alone for a pause
/// (5 s) before its next row, while the other servers' rows go on; the rows
/// after the 421 are still checked and reported (421 again while the server
/// still refuses them), none is dropped or retried. The CSV report has
/// every row and the skipped ones with their line and reason.
#[test]
fn two_hundred_rows_with_planted_failures_a_silent_server_and_a_busy_one() {
    let mail = stack();
    let (submission, busy) = (mail.submission_port, mail.busy_port);
    let silent = silent_server();
    let sandbox = Sandbox::new();
    // The silent row's own settings: a short timeout, not the default 20 s.
    let mut impatient = outbound::core::profile::Profile {
        name: "impatient".to_owned(),
        ..Default::default()
    };
    impatient.smtp.timeout_secs = 2;
    sandbox.save(&impatient);

    let mut csv = String::from("address,password,host,port,security,profile\n");
    let mut row = |n: u8, password: &str, port: u16, profile: &str| {
        csv += &format!("u{n:02}@outbound.test,{password},127.0.0.1,{port},starttls,{profile}\n");
    };
    // 26 rows on the busy port: its first 20 connections pass, 6 get 421.
    for n in 61..=86 {
        row(n, &mail.user(n).password, busy, "");
    }
    // 4 wrong passwords and the 5 disabled users (right passwords): 535 all.
    for n in 87..=90 {
        row(n, &format!("not-{}", mail.user(n).password), submission, "");
    }
    for n in DISABLED {
        row(n, &mail.user(n).password, submission, "");
    }
    row(91, &mail.user(91).password, silent, "impatient");
    // 162 good rows: u92..u195, some twice.
    for i in 0..162 {
        let n = 92 + (i % 104) as u8;
        row(n, &mail.user(n).password, submission, "");
    }
    // Lines 200 and 201: a port that is no port, a row without an address.
    csv += "u92@outbound.test,x,127.0.0.1,smtp,starttls,\n";
    csv += &format!(",x,127.0.0.1,{submission},starttls,\n");
    assert_eq!(csv.lines().count(), 201);

    let list = sandbox.path("helpdesk.csv");
    std::fs::write(&list, &csv).unwrap();
    let report_csv = sandbox.path("report.csv");
    let output = sandbox
        .cmd()
        .arg("bulk")
        .arg(&list)
        .args(["--concurrency", "8", "--json", "--report"])
        .arg(&report_csv)
        .env("SSL_CERT_FILE", mail.ca_pem())
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    let rows = report["rows"].as_array().unwrap();
    let summary: Vec<String> = rows
        .iter()
        .filter(|r| r["code"] != "ok")
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["line"], r["server"], r["code"], r["message"]
            )
        })
        .collect();
    let expected = serde_json::json!({
        "ok": 20 + 162,
        "server_unavailable": 6,
        "auth_failed": 4 + 5,
        "timeout": 1,
    });
    assert_eq!(report["counts"], expected, "{summary:#?}");
    assert_eq!(rows.len(), 198);
    let lines = |code: &str| -> Vec<u64> {
        let mut lines: Vec<u64> = rows
            .iter()
            .filter(|r| r["code"] == code)
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        lines.sort();
        lines
    };
    // The wrong and the disabled: lines 28..=36, all refused by Postfix's 535.
    assert_eq!(lines("auth_failed"), (28..=36).collect::<Vec<u64>>());
    assert_eq!(lines("timeout"), [37]);
    let busy_server = format!("127.0.0.1:{busy}");
    for r in rows.iter().filter(|r| r["code"] == "server_unavailable") {
        assert_eq!(r["server"], busy_server.as_str(), "{r:#}");
        assert!(r["message"].to_string().contains("421"), "{r:#}");
    }
    // The pause: rows of the busy server that started after its 421 waited;
    // no row of another server ever did.
    let paused: Vec<&Value> = rows.iter().filter(|r| r["paused_ms"] != 0).collect();
    assert!(
        !paused.is_empty(),
        "no row waited after the 421: {summary:#?}"
    );
    for r in &paused {
        assert_eq!(r["server"], busy_server.as_str(), "{r:#}");
        assert!(r["paused_ms"].as_u64().unwrap() <= 5_000, "{r:#}");
    }
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0]["line"], 200);
    assert_eq!(skipped[1]["line"], 201);

    // The CSV: a line per checked row by line, then the skipped with theirs.
    let table = std::fs::read_to_string(&report_csv).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 1 + 198 + 2, "{table}");
    assert!(lines[1].starts_with("2,u61@outbound.test,"), "{}", lines[1]);
    assert!(
        lines[37].starts_with("38,u92@outbound.test,"),
        "{}",
        lines[37]
    );
    assert!(
        lines[199].starts_with("200,,,skipped,false,,") && lines[199].contains("smtp"),
        "{}",
        lines[199]
    );
    assert!(
        lines[200].starts_with("201,,,skipped,false,,line 201"),
        "{}",
        lines[200]
    );
    for account in (61..=195).map(|n| mail.user(n)) {
        assert!(!format!("{out}{err}{table}").contains(&account.password));
    }
}
