//! Quitting with unsaved changes asks first (Save / Discard / Cancel, naming
//! the profiles); with nothing unsaved, Ctrl+Q and the close button quit at once.

mod sandbox;

use iced::keyboard::{self, Key, Modifiers};
use outbound::core::preferences::Preferences;
use outbound::core::profile::Profile;
use outbound::core::store::StoreError;
use outbound::ui::app::{self, App, Message};
use outbound::ui::pages::delivery;
use sandbox::Sandbox;
use sandbox::ui::{click, interact, send, settle, shows};

const QUESTION: &str = "These profiles have unsaved changes";

fn two_profiles() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.save(&Profile::named("alpha"));
    sandbox.save(&Profile::named("beta"));
    sandbox
}

async fn started(sandbox: &Sandbox) -> App {
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), false);
    settle(&mut app, boot).await;
    app
}

/// Opens `name` and changes its description, unsaved.
async fn edit(app: &mut App, name: &str, description: &str) {
    interact(app, |ui| click(ui, name)).await;
    send(
        app,
        Message::Delivery(delivery::Message::Description(description.into())),
    )
    .await;
}

fn description(sandbox: &Sandbox, name: &str) -> String {
    sandbox
        .store()
        .load_all()
        .find(name)
        .unwrap()
        .profile
        .description
        .clone()
}

/// Whether the question is shown, naming exactly these profiles.
fn asks_about(app: &App, names: &str) -> bool {
    shows(
        app,
        &format!("{QUESTION}: {names}. Save them before quitting?"),
    )
}

#[test]
fn ctrl_q_is_quit_and_ctrl_s_is_save() {
    let press = |c: &str| keyboard::Event::KeyPressed {
        key: Key::Character(c.into()),
        modified_key: Key::Character(c.into()),
        physical_key: keyboard::key::Physical::Unidentified(
            keyboard::key::NativeCode::Unidentified,
        ),
        location: keyboard::Location::Standard,
        modifiers: Modifiers::COMMAND,
        text: None,
        repeat: false,
    };
    assert!(matches!(app::shortcut(&press("q")), Some(Message::Quit)));
    assert!(matches!(app::shortcut(&press("s")), Some(Message::Save)));
}

#[tokio::test]
async fn with_nothing_unsaved_quit_and_close_exit_at_once() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "alpha")).await;
    assert!(send(&mut app, Message::Quit).await, "Ctrl+Q did not quit");
    let window = iced::window::Id::unique();
    assert!(
        send(&mut app, Message::CloseRequested(window)).await,
        "closing the window did not quit"
    );
}

#[tokio::test]
async fn ctrl_q_and_close_with_unsaved_changes_ask_naming_the_profiles() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    edit(&mut app, "alpha", "changed").await;
    assert!(!send(&mut app, Message::Quit).await, "quit without asking");
    assert!(asks_about(&app, "alpha"));
    interact(&mut app, |ui| click(ui, "Cancel")).await;
    assert!(!shows(&app, QUESTION));

    edit(&mut app, "beta", "changed too").await;
    let window = iced::window::Id::unique();
    assert!(!send(&mut app, Message::CloseRequested(window)).await);
    assert!(asks_about(&app, "alpha, beta"));
}

#[tokio::test]
async fn save_and_quit_saves_every_unsaved_profile_then_exits() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    edit(&mut app, "alpha", "для alpha").await;
    edit(&mut app, "beta", "for beta").await;
    send(&mut app, Message::Quit).await;
    let exited = interact(&mut app, |ui| click(ui, "Save and quit")).await;
    assert!(exited, "did not quit after saving");
    assert_eq!(description(&sandbox, "alpha"), "для alpha");
    assert_eq!(description(&sandbox, "beta"), "for beta");
}

#[tokio::test]
async fn save_and_quit_stays_open_and_says_why_when_a_save_fails() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    edit(&mut app, "beta", "for beta").await;
    // Renaming alpha to a name that is taken: the store refuses it.
    interact(&mut app, |ui| click(ui, "alpha")).await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::Name("beta".into())),
    )
    .await;
    send(&mut app, Message::Quit).await;
    let exited = interact(&mut app, |ui| click(ui, "Save and quit")).await;
    assert!(!exited, "quit although alpha is not saved");
    let reason = outbound::i18n::Localize::localize(&StoreError::Exists("beta".into()));
    assert!(
        shows(
            &app,
            &format!("alpha could not be saved, so the window stays open: {reason}")
        ),
        "the reason is not shown"
    );
    assert!(!shows(&app, QUESTION));
    assert_eq!(description(&sandbox, "beta"), "for beta", "beta was saved");

    // A field with a problem: nothing is written, the field is shown.
    send(
        &mut app,
        Message::Delivery(delivery::Message::Name("alpha".into())),
    )
    .await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::SubjectPrefix("x\rBcc: a@b".into())),
    )
    .await;
    send(&mut app, Message::Quit).await;
    let exited = interact(&mut app, |ui| click(ui, "Save and quit")).await;
    assert!(!exited);
    assert!(shows(&app, "Not saved: correct the fields marked in red."));
    assert_eq!(description(&sandbox, "alpha"), "");
}

#[tokio::test]
async fn discard_quits_without_writing_anything() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    let before = sandbox.snapshot();
    edit(&mut app, "alpha", "thrown away").await;
    send(&mut app, Message::Quit).await;
    let exited = interact(&mut app, |ui| click(ui, "Quit without saving")).await;
    assert!(exited);
    assert_eq!(sandbox.snapshot(), before);
}

#[tokio::test]
async fn cancel_returns_to_the_window_with_the_edits_kept() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    edit(&mut app, "alpha", "kept").await;
    send(&mut app, Message::Quit).await;
    let exited = interact(&mut app, |ui| click(ui, "Cancel")).await;
    assert!(!exited);
    assert!(!shows(&app, QUESTION));
    assert_eq!(app.editor().unwrap().draft.description, "kept");
    assert!(shows(&app, "unsaved"));
    assert_eq!(description(&sandbox, "alpha"), "");
}
