//! The Incoming tab and the Check tab's round trip in the window: the IMAP
//! fields edit and show their problems, Round trip starts (with its timer)
//! and Cancel stops it and closes the connection, and answers of an older run
//! or for another editor are dropped.

mod sandbox;
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced_test::futures::futures::StreamExt;
use iced_test::runtime::{Action, task::into_stream};
use iced_test::selector;
use outbound::core::check::Code;
use outbound::core::profile::{AuthMethod, Profile, Security};
use outbound::core::roundtrip::Report;
use outbound::ui::app::{App, Message, Tab};
use outbound::ui::pages::check::{self, roundtrip};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, send, settle, shows};
use support::fake::{Behaviour, Fake};

async fn opened(profiles: &[Profile], open: &str) -> (Sandbox, App) {
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    for profile in profiles {
        sandbox.save(profile);
    }
    let (mut app, boot) = App::with(
        Ok(sandbox.store()),
        outbound::core::preferences::Preferences::default(),
        false,
    );
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, open)).await;
    (sandbox, app)
}

fn profile(name: &str, imap_port: u16) -> Profile {
    let mut profile = support::smtp_profile(1, Security::None, AuthMethod::None);
    profile.name = name.into();
    profile.imap.host = "127.0.0.1".into();
    profile.imap.port = imap_port;
    profile.imap.security = Security::None;
    profile.smtp.timeout_secs = 60;
    profile
}

#[tokio::test]
async fn the_incoming_fields_edit_the_draft_and_show_their_problems() {
    let (_sandbox, mut app) = opened(&[profile("mailbox", 993)], "mailbox").await;
    send(&mut app, Message::Tab(Tab::Incoming)).await;
    assert!(shows(&app, "Check incoming"));
    interact(&mut app, |ui| {
        ui.click(selector::id("imap.host")).unwrap();
        ui.typewrite(" x");
    })
    .await;
    let draft = &app.editor().unwrap().draft;
    assert_eq!(draft.imap.host, "127.0.0.1 x");
    assert!(shows(
        &app,
        "“127.0.0.1 x” is not a host name or IP address"
    ));
    interact(&mut app, |ui| {
        ui.click(selector::id("imap.port")).unwrap();
        ui.typewrite("x");
    })
    .await;
    assert!(shows(&app, "the port must be a number from 1 to 65535"));
    // The profile keeps its last good port; the typed text is what is wrong.
    assert_eq!(app.editor().unwrap().draft.imap.port, 993);
    assert!(shows(&app, "unsaved"));
    // An empty folder is a problem of its own.
    let id = app.editor().unwrap().id;
    send(
        &mut app,
        Message::Incoming(
            id,
            outbound::ui::pages::incoming::Message::Folder(String::new()),
        ),
    )
    .await;
    assert!(shows(&app, "the folder name must not be empty"));
    // The separate password's field appears only when ticked.
    assert!(!shows(&app, "This password is kept for this session only."));
    interact(&mut app, |ui| click(ui, "Use a separate password for IMAP")).await;
    assert!(app.editor().unwrap().draft.imap.separate_password);
    assert!(shows(&app, "This password is kept for this session only."));
}

#[tokio::test]
async fn round_trip_starts_with_a_timer_and_cancel_stops_it_and_closes_the_connection() {
    // The mailbox's server accepts and never greets: the round trip waits there.
    let mut silent = Fake::start(Behaviour::Silent).await;
    let (_sandbox, mut app) = opened(&[profile("trip", silent.port)], "trip").await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    let id = app.editor().unwrap().id;
    assert!(shows(&app, "Round trip"));
    let task = interact_task(&mut app);
    let mut stream = into_stream(task).expect("the round trip runs as a task");
    let mut run = None;
    while let Some(action) = stream.next().await {
        let Action::Output(message) = action else {
            continue;
        };
        let connected = match &message {
            Message::Check(_, check::Message::RoundTrip(roundtrip::Message::Step(r, step))) => {
                run = Some(*r);
                step.name.as_str() == "connect"
            }
            _ => false,
        };
        let _ = app.update(message);
        if connected {
            break;
        }
    }
    let run = run.expect("the round trip reported its steps");
    let state = &app.editor().unwrap().check.roundtrip;
    assert!(state.is_running());
    // The timer: a tick moves the time waited on.
    let later = Instant::now() + Duration::from_secs(3);
    send(
        &mut app,
        Message::Check(
            id,
            check::Message::RoundTrip(roundtrip::Message::Tick(later)),
        ),
    )
    .await;
    assert!(app.editor().unwrap().check.roundtrip.waited().unwrap() >= Duration::from_secs(3));
    assert!(shows(&app, "Waiting for the message… 3 s"));

    interact(&mut app, |ui| click(ui, "Cancel")).await;
    let state = &app.editor().unwrap().check.roundtrip;
    assert!(!state.is_running());
    assert_eq!(state.report().unwrap().diagnosis.code, Code::Cancelled);
    assert!(shows(
        &app,
        "The round trip was cancelled; both connections are closed."
    ));
    // A late answer of the cancelled run is dropped.
    let mut late = Report::cancelled(Vec::new());
    late.diagnosis = outbound::core::check::Diagnosis::new(Code::Ok);
    late.to = "late@example.org".into();
    send(
        &mut app,
        Message::Check(
            id,
            check::Message::RoundTrip(roundtrip::Message::Finished(run, Arc::new(late))),
        ),
    )
    .await;
    let state = &app.editor().unwrap().check.roundtrip;
    assert_eq!(state.report().unwrap().diagnosis.code, Code::Cancelled);
    assert!(!shows(&app, "late@example.org"));
    // The aborted task ends and the server sees the connection closed.
    assert!(matches!(
        tokio::time::timeout(Duration::from_secs(5), stream.next()).await,
        Ok(None)
    ));
    drop(stream);
    let closed = tokio::time::timeout(Duration::from_secs(5), silent.closed.recv()).await;
    assert!(matches!(closed, Ok(Some(_))), "the server never saw EOF");
}

/// Clicks Round trip and hands back the task it starts, not run.
fn interact_task(app: &mut App) -> iced::Task<Message> {
    sandbox::ui::press(app, |ui| click(ui, "Round trip"))
}

#[tokio::test]
async fn a_result_for_another_editor_stays_with_it_and_is_not_shown_here() {
    let mut silent = Fake::start(Behaviour::Silent).await;
    let first = profile("first", silent.port);
    let second = profile("second", silent.port);
    let (_sandbox, mut app) = opened(&[first, second], "first").await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    let first_id = app.editor().unwrap().id;
    // Start first's round trip, then switch to second before it answers.
    let task = interact_task(&mut app);
    interact(&mut app, |ui| click(ui, "second")).await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    let second_id = app.editor().unwrap().id;
    assert_ne!(first_id, second_id);
    drop(task);
    let mut answer = Report::cancelled(Vec::new());
    answer.diagnosis = outbound::core::check::Diagnosis::new(Code::NotDelivered)
        .arg("address", "first@example.org")
        .arg("seconds", "5");
    // Run 1 of the first editor: not this one's, so not shown here.
    send(
        &mut app,
        Message::Check(
            first_id,
            check::Message::RoundTrip(roundtrip::Message::Finished(1, Arc::new(answer))),
        ),
    )
    .await;
    assert!(app.editor().unwrap().check.roundtrip.report().is_none());
    assert!(!shows(&app, "did not arrive"));
    let first = app.editor_by_id(first_id).unwrap();
    assert_eq!(
        first.check.roundtrip.report().map(|r| r.diagnosis.code),
        Some(Code::NotDelivered)
    );
    let _ = silent.closed.try_recv();
}
