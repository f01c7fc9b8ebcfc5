//! The Check tab against real peers: aiosmtpd for a passing check and a wrong
//! password, a silent server for Cancel, and a plain server asked for implicit
//! TLS for the Apply button.

mod sandbox;
mod support;

use std::time::Duration;

use iced_test::futures::futures::StreamExt;
use iced_test::runtime::{Action, task::into_stream};
use outbound::core::check::Code;
use outbound::core::profile::{AuthMethod, Profile, Security};
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
async fn cancel_stops_a_check_against_a_silent_server() {
    let mut silent = Fake::start(Behaviour::Silent).await;
    let mut profile = support::smtp_profile(silent.port, Security::None, AuthMethod::None);
    profile.name = "silent".into();
    profile.smtp.timeout_secs = 60;
    let (_sandbox, mut app) = opened(profile).await;
    let id = editor_id(&app);
    let task = app.update(Message::Check(id, check::Message::Start));
    let mut stream = into_stream(task).expect("the check runs as a task");
    // Feed steps until the connection stands and the greeting is awaited.
    while let Ok(Some(Action::Output(message))) =
        tokio::time::timeout(Duration::from_millis(500), stream.next()).await
    {
        let _ = app.update(message);
    }
    assert!(app.editor().unwrap().check.is_running());
    assert!(shows(&app, "Checking…"));
    interact(&mut app, |ui| click(ui, "Cancel")).await;
    assert!(!app.editor().unwrap().check.is_running());
    assert!(shows(
        &app,
        "The check was cancelled; the connection is closed."
    ));
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
