//! The Check tab against real peers: aiosmtpd for a passing check and a wrong
//! password, a silent server for Cancel, a plain server asked for implicit
//! TLS for the Apply button, and a sendmail stand-in for the confirmation of
//! an imported command.

mod sandbox;
mod support;

use std::time::Duration;

use iced_test::futures::futures::StreamExt;
use iced_test::runtime::{Action, task::into_stream};
use iced_test::selector;
use outbound::core::check::Code;
use outbound::core::exchange::{Contents, apply_import};
use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};
use outbound::core::store::Scope;
use outbound::core::trust;
use outbound::ui::app::{App, Message, Tab};
use outbound::ui::pages::{check, smtp};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, send, settle, shows};
use support::fake::{Behaviour, Fake};

async fn opened(profile: Profile) -> (Sandbox, App) {
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    sandbox.save(&profile);
    let (mut app, boot) = App::with(
        Ok(sandbox.store()),
        outbound::core::preferences::Preferences::default(),
        false,
    );
    settle(&mut app, boot).await;
    let name = profile.name.clone();
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    (sandbox, app)
}

fn editor_id(app: &App) -> u64 {
    app.editor().unwrap().id
}

fn report(app: &App) -> &outbound::core::check::Report {
    app.editor()
        .unwrap()
        .check
        .report()
        .expect("the check finished")
}

fn aiosmtpd_profile(port: u16) -> Profile {
    let mut profile = support::smtp_profile(port, Security::None, AuthMethod::Plain);
    profile.name = "peer".into();
    profile
}

#[tokio::test]
async fn a_passing_check_shows_every_step_and_the_ok_diagnosis() {
    let peer = support::Peer::start("none", None, "right-пароль");
    let (_sandbox, mut app) = opened(aiosmtpd_profile(peer.port)).await;
    send(
        &mut app,
        Message::Smtp(smtp::Message::Password("right-пароль".into())),
    )
    .await;
    let id = editor_id(&app);
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let report = report(&app).clone();
    assert_eq!(report.diagnosis.code, Code::Ok, "{:?}", report.steps);
    for step in ["resolve", "connect", "greeting", "ehlo", "auth", "quit"] {
        assert!(shows(&app, step), "step {step} is not shown");
    }
    assert!(shows(&app, &report.diagnosis.message()));
    // The waterfall of the steps is drawn under them.
    assert!(shows(&app, "Where the time went"));
    // The transcript never shows the password.
    let transcript = outbound::core::check::transcript::render(&report.transcript);
    assert!(
        !transcript.contains("right-пароль") && transcript.contains("<redacted>"),
        "{transcript}"
    );
}

#[tokio::test]
async fn a_wrong_password_shows_what_auth_failed_means() {
    let peer = support::Peer::start("none", None, "right");
    let (_sandbox, mut app) = opened(aiosmtpd_profile(peer.port)).await;
    send(
        &mut app,
        Message::Smtp(smtp::Message::Password("wrong".into())),
    )
    .await;
    let id = editor_id(&app);
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let report = report(&app).clone();
    assert_eq!(report.diagnosis.code, Code::AuthFailed);
    assert!(shows(&app, &report.diagnosis.message()));
    assert!(shows(&app, &report.diagnosis.hint()));
}

#[tokio::test]
async fn cancel_ends_the_check_with_the_cancelled_diagnosis_and_closes_the_connection() {
    let mut silent = Fake::start(Behaviour::Silent).await;
    let mut profile = support::smtp_profile(silent.port, Security::None, AuthMethod::None);
    profile.name = "silent".into();
    profile.smtp.timeout_secs = 60;
    let (_sandbox, mut app) = opened(profile).await;
    let id = editor_id(&app);
    let task = app.update(Message::Check(id, check::Message::Start));
    let mut stream = into_stream(task).expect("the check runs as a task");
    // Feed steps until the connection stands: the check then waits on the greeting.
    let mut run = None;
    while let Some(action) = stream.next().await {
        let Action::Output(message) = action else {
            continue;
        };
        let connected = match &message {
            Message::Check(_, check::Message::Step(step_run, step)) => {
                run = Some(*step_run);
                step.name.as_str() == "connect"
            }
            _ => false,
        };
        let _ = app.update(message);
        if connected {
            break;
        }
    }
    let run = run.expect("the check reported its steps");
    assert!(app.editor().unwrap().check.is_running());
    assert!(shows(&app, "Checking…"));
    interact(&mut app, |ui| click(ui, "Cancel")).await;
    assert!(!app.editor().unwrap().check.is_running());
    let cancelled = report(&app).clone();
    assert_eq!(cancelled.diagnosis.code, Code::Cancelled);
    assert_eq!(
        support::steps(&cancelled),
        [
            ("resolve".to_owned(), "ok".to_owned()),
            ("connect".to_owned(), "ok".to_owned())
        ]
    );
    assert!(shows(&app, &cancelled.diagnosis.message()));
    assert!(shows(&app, "The check was cancelled."));
    assert!(shows(&app, "resolve") && shows(&app, "connect"));
    assert!(shows(
        &app,
        "The check was cancelled; the connection is closed."
    ));
    // A late answer of the aborted run is stale and ignored.
    send(
        &mut app,
        Message::Check(
            id,
            check::Message::Finished(run, Err("a late answer".to_owned())),
        ),
    )
    .await;
    assert_eq!(report(&app).diagnosis.code, Code::Cancelled);
    assert!(!shows(&app, "a late answer"));
    // The aborted task ends; the runtime then drops it, and the server sees the
    // connection closed long before the 60 s timeout.
    assert!(matches!(
        tokio::time::timeout(Duration::from_secs(5), stream.next()).await,
        Ok(None)
    ));
    drop(stream);
    let closed = tokio::time::timeout(Duration::from_secs(5), silent.closed.recv()).await;
    assert!(matches!(closed, Ok(Some(_))), "the server never saw EOF");
}

/// A sendmail stand-in that leaves a marker when it runs.
fn marking_sendmail(sandbox: &Sandbox) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let marker = sandbox.path("ran");
    let script = sandbox.path("imported-sendmail");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\ncat > /dev/null\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, marker)
}

fn sendmail_profile(script: &std::path::Path) -> Profile {
    let mut profile = Profile::named("imported");
    profile.delivery = Delivery::Sendmail;
    profile.sendmail.path = script.display().to_string();
    profile.sendmail.args = "-i 'two words'".to_owned();
    profile.sender.address = "sender@example.org".to_owned();
    profile.test.send_message = true;
    profile.test.recipients = "a@example.org".to_owned();
    profile
}

/// The app over `sandbox`, with `name` open on the Check tab.
async fn open_in(sandbox: &Sandbox, name: &str) -> App {
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(
        Ok(sandbox.store()),
        outbound::core::preferences::Preferences::default(),
        false,
    );
    settle(&mut app, boot).await;
    interact(&mut app, |ui| {
        ui.click(name).expect("the profile is in the sidebar");
    })
    .await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    app
}

#[tokio::test]
async fn an_imported_sendmail_command_is_shown_for_confirmation_before_it_runs() {
    let sandbox = Sandbox::new();
    let (script, marker) = marking_sendmail(&sandbox);
    let contents = Contents::of_profiles(vec![sendmail_profile(&script)]);
    apply_import(&sandbox.store(), contents, None).unwrap();
    let mut app = open_in(&sandbox, "imported").await;
    let id = editor_id(&app);

    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let shown = app.editor().unwrap().check.confirming().cloned();
    let shown = shown.expect("the imported command waits for a confirmation");
    assert_eq!(shown.path, script.display().to_string());
    assert!(shows(&app, "Run this imported sendmail command?"));
    assert!(shows(&app, &script.display().to_string()));
    assert!(shows(&app, "-i") && shows(&app, "'two words'"));
    assert!(shows(&app, "Argument 2"));
    assert!(!marker.exists(), "the command ran before it was confirmed");

    // Cancel runs nothing and confirms nothing.
    interact(&mut app, |ui| {
        ui.click("Cancel")
            .expect("the confirmation's Cancel is shown");
    })
    .await;
    assert!(app.editor().unwrap().check.confirming().is_none());
    assert!(app.editor().unwrap().check.report().is_none());
    assert!(!marker.exists());

    send(&mut app, Message::Check(id, check::Message::Start)).await;
    assert!(app.editor().unwrap().check.confirming().is_some());
    interact(&mut app, |ui| {
        ui.click("Run").expect("the Run button is shown");
    })
    .await;
    let ran = report(&app).clone();
    assert_eq!(ran.diagnosis.code, Code::Ok, "{:?}", ran.steps);
    assert!(marker.exists(), "Run did not run the command");
    let stored = app.editor().unwrap().draft.clone();
    assert_eq!(
        trust::pending(&sandbox.paths(), Scope::User, "imported", &stored).unwrap(),
        None,
        "Run confirms the command"
    );

    // Confirmed once, it runs straight away from then on.
    std::fs::remove_file(&marker).unwrap();
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    assert!(app.editor().unwrap().check.confirming().is_none());
    assert!(marker.exists());
}

/// Duplicating an imported profile does not make its unconfirmed command
/// runnable, and deleting a profile takes its record with it.
#[tokio::test]
async fn a_duplicate_waits_like_its_original_and_a_delete_forgets_the_record() {
    let sandbox = Sandbox::new();
    let (script, marker) = marking_sendmail(&sandbox);
    let imported = sendmail_profile(&script);
    apply_import(
        &sandbox.store(),
        Contents::of_profiles(vec![imported.clone()]),
        None,
    )
    .unwrap();
    let mut app = open_in(&sandbox, "imported").await;
    interact(&mut app, |ui| click(ui, "Duplicate")).await;
    let copy = app.editor().unwrap().draft.clone();
    assert_eq!(copy.name, "imported_copy");
    assert!(
        trust::pending(&sandbox.paths(), Scope::User, "imported_copy", &copy)
            .unwrap()
            .is_some(),
        "the copy of an unconfirmed command must wait for a confirmation too"
    );
    let id = editor_id(&app);
    send(&mut app, Message::Tab(Tab::Check)).await;
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    assert!(app.editor().unwrap().check.confirming().is_some());
    assert!(!marker.exists(), "the copy ran an unconfirmed command");

    sandbox.store().delete("imported").unwrap();
    assert_eq!(
        trust::pending(&sandbox.paths(), Scope::User, "imported", &imported).unwrap(),
        None,
        "a deleted profile's record is gone"
    );
}

#[tokio::test]
async fn a_sendmail_command_made_here_or_edited_and_saved_runs_without_asking() {
    let sandbox = Sandbox::new();
    let (script, marker) = marking_sendmail(&sandbox);
    let mut made_here = sendmail_profile(&script);
    made_here.name = "made_here".into();
    sandbox.save(&made_here);
    let mut app = open_in(&sandbox, "made_here").await;
    let id = editor_id(&app);
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    assert!(app.editor().unwrap().check.confirming().is_none());
    assert_eq!(report(&app).diagnosis.code, Code::Ok);
    assert!(marker.exists());

    // An imported command the user edits on the Sendmail tab and saves is theirs.
    std::fs::remove_file(&marker).unwrap();
    let contents = Contents::of_profiles(vec![sendmail_profile(&script)]);
    apply_import(&sandbox.store(), contents, None).unwrap();
    let mut app = open_in(&sandbox, "imported").await;
    send(&mut app, Message::Tab(Tab::Sendmail)).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("sendmail.args")).unwrap();
        ui.typewrite(" -v");
    })
    .await;
    assert_eq!(
        app.editor().unwrap().draft.sendmail.args,
        "-i 'two words' -v"
    );
    send(&mut app, Message::Save).await;
    assert!(!app.editor().unwrap().is_dirty(), "the profile was saved");
    let saved = sandbox
        .store()
        .load_all()
        .find("imported")
        .unwrap()
        .profile
        .clone();
    assert_eq!(
        trust::pending(&sandbox.paths(), Scope::User, "imported", &saved).unwrap(),
        None
    );
    send(&mut app, Message::Tab(Tab::Check)).await;
    let id = editor_id(&app);
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    assert!(app.editor().unwrap().check.confirming().is_none());
    assert!(marker.exists());
}

#[tokio::test]
async fn a_tls_mode_mismatch_offers_apply_which_changes_security_and_port() {
    let peer = support::Peer::start("none", None, "x");
    let mut profile = aiosmtpd_profile(peer.port);
    profile.smtp.security = Security::Tls;
    profile.smtp.auth = AuthMethod::None;
    let (_sandbox, mut app) = opened(profile).await;
    let id = editor_id(&app);
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let report = report(&app).clone();
    assert_eq!(report.diagnosis.code, Code::TlsModeMismatch);
    assert!(shows(&app, "Apply"));
    interact(&mut app, |ui| click(ui, "Apply")).await;
    let smtp = &app.editor().unwrap().draft.smtp;
    assert_eq!((smtp.security, smtp.port), (Security::Starttls, peer.port));
    assert!(shows(&app, "unsaved"));
}
