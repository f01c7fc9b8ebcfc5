//! The Bulk check page in the window against the real Postfix submission
//! service of the mail stack (SASL through Dovecot): a list with two wrong
//! passwords shows the right counts, a bad row is listed with its line, the
//! table keeps its sort and filter as rows arrive and when they change, the
//! filter shows only the chosen code, the report is exported without any
//! password, and Cancel mid-run keeps the finished rows and ends the rest
//! (their connections close). The file dialogs cannot be driven here: the
//! page takes the paths through the messages the dialogs answer with.
//! Users: u50..u54 (no other test binary takes them).

mod sandbox;
mod support;

use std::sync::Once;

use iced_test::futures::futures::StreamExt;
use iced_test::runtime::{Action, task::into_stream};
use outbound::core::preferences::Preferences;
use outbound::ui::app::{App, Message, Page};
use outbound::ui::pages::bulk;
use sandbox::Sandbox;
use sandbox::ui::{click, interact, press, send, settle, shows};
use support::fake::{Behaviour, Fake};
use support::mailstack::stack;

/// The stack's servers have a certificate of the stack's own authority: the
/// checks trust it as a platform root, the way `SSL_CERT_FILE` gives it to
/// the CLI. Every test calls this first, before any check loads the roots.
fn trust_the_stack() {
    static TRUSTED: Once = Once::new();
    TRUSTED.call_once(|| {
        let ca = stack().ca_pem();
        // SAFETY: every test of this binary calls this first and waits here
        // until it is done, so no other thread of ours reads the environment.
        unsafe { std::env::set_var("SSL_CERT_FILE", ca) };
    });
}

/// The window with the Bulk check page open (clicked in the sidebar).
async fn bulk_page() -> (Sandbox, App) {
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), false);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, "Bulk check")).await;
    assert_eq!(app.page(), Page::Bulk);
    (sandbox, app)
}

fn bulk(message: bulk::Message) -> Message {
    Message::Bulk(message)
}

/// Which of `addresses` the page draws, top to bottom.
fn drawn(app: &App, addresses: &[String]) -> Vec<String> {
    let mut ui = iced_test::simulator(app.view());
    let mut found: Vec<(f32, String)> = addresses
        .iter()
        .filter_map(|a| ui.find(a.as_str()).ok().map(|t| (t.bounds().y, a.clone())))
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found.into_iter().map(|(_, a)| a).collect()
}

/// The page's rows as the table has them: their lines.
fn shown_lines(app: &App) -> Vec<usize> {
    app.bulk().shown().map(|o| o.line).collect()
}

/// A list of u50..u54 on the submission port, u53 and u54 with wrong
/// passwords, then a row whose port is no port (line 7).
fn planted_list(sandbox: &Sandbox) -> std::path::PathBuf {
    let mail = stack();
    let port = mail.submission_port;
    let mut csv = String::from("address,password,host,port,security\n");
    for n in 50..=54 {
        let account = mail.user(n);
        let password = if n >= 53 {
            format!("wrong-{}", account.password)
        } else {
            account.password.clone()
        };
        csv += &format!("{},{password},127.0.0.1,{port},starttls\n", account.address);
    }
    csv += "u50@outbound.test,x,127.0.0.1,smtp,none\n";
    let path = sandbox.path("mailboxes.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[tokio::test]
async fn a_list_with_two_wrong_passwords_counts_filters_and_exports_without_passwords() {
    trust_the_stack();
    let (sandbox, mut app) = bulk_page().await;
    assert!(shows(&app, "No list chosen"));
    let list = planted_list(&sandbox);
    send(&mut app, bulk(bulk::Message::ListChosen(list.clone()))).await;
    assert!(shows(&app, &list.display().to_string()));
    // Sorted by address the other way before the rows come: each takes its
    // place as it arrives.
    for _ in 0..2 {
        send(&mut app, bulk(bulk::Message::Sort(bulk::Column::Address))).await;
    }
    interact(&mut app, |ui| click(ui, "Start")).await;
    let address = |n: usize| format!("u{n}@outbound.test");
    let addresses: Vec<String> = (50..=54).map(address).collect();
    let down: Vec<String> = addresses.iter().rev().cloned().collect();
    assert_eq!(drawn(&app, &addresses), down);
    assert_eq!(shown_lines(&app), [6, 5, 4, 3, 2]);
    assert!(shows(&app, "Address ▼"));

    let page = app.bulk();
    assert!(!page.is_running());
    let counts = page.counts();
    assert_eq!(counts.get("ok"), Some(&3), "{counts:?}");
    assert_eq!(counts.get("auth_failed"), Some(&2), "{counts:?}");
    assert_eq!(counts.len(), 2, "{counts:?}");
    let mut wrong: Vec<usize> = page
        .outcomes()
        .filter(|o| o.code().as_str() == "auth_failed")
        .map(|o| o.line)
        .collect();
    wrong.sort();
    assert_eq!(wrong, [5, 6]);
    assert!(shows(&app, "5 of 5 checked"));
    assert!(shows(&app, "3 ok"));
    assert!(shows(&app, "Done."));
    assert!(shows(&app, "ok (3)"));
    assert!(shows(&app, "auth_failed (2)"));
    // The bad row is listed with its line; the others ran.
    assert!(shows(
        &app,
        "line 7: port “smtp” is not a number from 1 to 65535"
    ));
    assert_eq!(page.skipped().len(), 1);
    for n in 50..=54 {
        assert!(shows(&app, &format!("u{n}@outbound.test")));
        // No password of the list is on the page.
        assert!(!shows(&app, &format!("secret-u{n}")));
    }

    // The filter shows only the chosen code's rows, and All shows them again.
    interact(&mut app, |ui| click(ui, "auth_failed (2)")).await;
    assert!(shows(&app, "u53@outbound.test") && shows(&app, "u54@outbound.test"));
    for n in 50..=52 {
        assert!(!shows(&app, &format!("u{n}@outbound.test")), "u{n} shown");
    }
    assert_eq!(drawn(&app, &addresses), [address(54), address(53)]);
    assert_eq!(shown_lines(&app), [6, 5]);
    // Sorting keeps the filter.
    interact(&mut app, |ui| click(ui, "Address ▼")).await;
    assert_eq!(drawn(&app, &addresses), [address(53), address(54)]);
    interact(&mut app, |ui| click(ui, "All")).await;
    assert!(shows(&app, "u50@outbound.test"));
    assert_eq!(drawn(&app, &addresses), addresses);
    assert_eq!(shown_lines(&app), [2, 3, 4, 5, 6]);
    // Sorting by a column's header takes the click (twice: the other way).
    interact(&mut app, |ui| click(ui, "Time")).await;
    interact(&mut app, |ui| click(ui, "Time ▲")).await;
    assert!(shows(&app, "Time ▼"));
    let times: Vec<_> = app.bulk().shown().map(|o| o.elapsed).collect();
    assert!(times.is_sorted_by(|a, b| a >= b), "{times:?}");
    assert_eq!(times.len(), 5);

    // The report in each format: every row, no password.
    for name in ["report.html", "report.csv", "report.json"] {
        let path = sandbox.path(name);
        send(&mut app, bulk(bulk::Message::ExportTo(path.clone()))).await;
        let written = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for n in 50..=54 {
            assert!(written.contains(&format!("u{n}@outbound.test")), "{name}");
            assert!(
                !written.contains(&format!("secret-u{n}")),
                "{name} has a password"
            );
        }
        assert!(written.contains("auth_failed"), "{name}");
        assert!(shows(
            &app,
            &format!("Report written to {}", path.display())
        ));
    }
    // A report in an unknown format is refused with its reason.
    send(
        &mut app,
        bulk(bulk::Message::ExportTo(sandbox.path("report.txt"))),
    )
    .await;
    assert!(!sandbox.path("report.txt").exists());
    assert!(shows(
        &app,
        &format!(
            "{}: the report is written as .html, .csv or .json; give one of these extensions.",
            sandbox.path("report.txt").display()
        )
    ));
    // Nothing under the configuration holds a password of the list.
    for (path, bytes) in sandbox.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("secret-u5"), "{}", path.display());
    }
}

#[tokio::test]
async fn cancel_mid_run_keeps_the_finished_rows_and_ends_the_rest() {
    trust_the_stack();
    let mail = stack();
    let mut silent = Fake::start(Behaviour::Silent).await;
    let (sandbox, mut app) = bulk_page().await;
    let port = mail.submission_port;
    let mut csv = String::from("address;password;host;port;security\n");
    for n in [50, 51] {
        let account = mail.user(n);
        csv += &format!(
            "{};{};127.0.0.1;{port};starttls\n",
            account.address, account.password
        );
    }
    // Two servers that accept and never greet: these rows are still running.
    for n in [52, 53] {
        csv += &format!("u{n}@outbound.test;pw;127.0.0.1;{};none\n", silent.port);
    }
    let list = sandbox.path("mailboxes.csv");
    std::fs::write(&list, csv).unwrap();
    send(&mut app, bulk(bulk::Message::ListChosen(list))).await;
    let task = press(&mut app, |ui| click(ui, "Start"));
    let mut stream = into_stream(task).expect("the run is a task");
    let mut run = None;
    let mut finished_rows = 0;
    while let Some(action) = stream.next().await {
        let Action::Output(message) = action else {
            continue;
        };
        if let Message::Bulk(bulk::Message::Outcome(r, _)) = &message {
            run = Some(*r);
            finished_rows += 1;
        }
        let _ = app.update(message);
        if finished_rows == 2 {
            break;
        }
    }
    let run = run.expect("rows finished");
    assert!(app.bulk().is_running());
    assert!(shows(&app, "2 of 4 checked"));
    interact(&mut app, |ui| click(ui, "Cancel")).await;
    let page = app.bulk();
    assert!(!page.is_running());
    assert!(page.was_cancelled());
    assert_eq!(page.counts().get("ok"), Some(&2));
    assert_eq!(page.outcomes().count(), 2);
    assert!(shows(
        &app,
        "Cancelled: the rows checked so far stay below; the rest were not checked."
    ));
    assert!(shows(&app, "u50@outbound.test") && shows(&app, "u51@outbound.test"));
    assert!(!shows(&app, "u52@outbound.test"));
    // The rest ended: both silent servers see their connection closed.
    for _ in 0..2 {
        silent.closed.recv().await.expect("the connection closes");
    }
    // What the aborted run still sends, and its late end, are stale.
    while let Some(action) = stream.next().await {
        if let Action::Output(message) = action {
            let _ = app.update(message);
        }
    }
    send(&mut app, bulk(bulk::Message::Finished(run))).await;
    assert_eq!(app.bulk().outcomes().count(), 2);
    assert!(!shows(&app, "Done."));
    // The finished rows still export.
    let path = sandbox.path("partial.json");
    send(&mut app, bulk(bulk::Message::ExportTo(path.clone()))).await;
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(report["rows"].as_array().unwrap().len(), 2);
    assert!(!report.to_string().contains("secret-u5"));
}

#[tokio::test]
async fn a_list_that_cannot_be_read_says_why_and_nothing_runs() {
    trust_the_stack();
    let (sandbox, mut app) = bulk_page().await;
    let list = sandbox.path("phones.csv");
    std::fs::write(&list, "name,phone\nann,123\n").unwrap();
    send(&mut app, bulk(bulk::Message::ListChosen(list.clone()))).await;
    interact(&mut app, |ui| click(ui, "Start")).await;
    assert!(!app.bulk().is_running());
    assert_eq!(app.bulk().outcomes().count(), 0);
    assert!(shows(
        &app,
        &format!(
            "{}: The list's header row has no “address” column (the first row names the columns: address, and optionally password, user, host, port, security, profile).",
            list.display()
        )
    ));
    // Without a valid number of checks at once, Start takes no click.
    interact(&mut app, |ui| {
        ui.click(iced_test::selector::id("bulk.concurrency"))
            .unwrap();
        ui.typewrite("0");
    })
    .await;
    assert!(shows(&app, "a number from 1 to 64"));
    let missed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = press(&mut app, |ui| click(ui, "Start"));
    }));
    assert!(missed.is_err(), "Start took a click with 80 checks at once");
}
