//! Every answer of a background task goes to the editor that started it, not
//! to the profile shown when it arrives. The tests hold a task's answer back
//! (the runtime would run it later: a slow keyring, a slow disk), switch to
//! another profile, then let the answer arrive.

mod sandbox;

use outbound::core::preferences::Preferences;
use outbound::core::profile::Profile;
use outbound::core::secrets::Secrets;
use outbound::core::store::Scope;
use outbound::ui::app::{App, Message, Page};
use outbound::ui::pages::{delivery, profiles, sendmail, smtp};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, send, settle, shows};

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

fn stored(sandbox: &Sandbox) -> Vec<Profile> {
    let mut profiles: Vec<Profile> = sandbox
        .store()
        .load_all()
        .profiles
        .into_iter()
        .map(|p| p.profile)
        .collect();
    profiles.sort_by(|a, b| a.name.cmp(&b.name));
    profiles
}

fn editor_of<'a>(app: &'a App, name: &str) -> &'a outbound::ui::app::Editor {
    app.editors()
        .iter()
        .find(|e| e.saved_name() == Some(name))
        .unwrap_or_else(|| panic!("no editor for {name}"))
}

/// The defect: a save finishing after a switch marked the profile shown then
/// as saved under the first one's name, and its next save (a rename) moved
/// the first profile's file away.
#[tokio::test]
async fn a_save_finishing_after_a_switch_saves_its_own_profile_and_deletes_nothing() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "alpha")).await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::Description("from alpha".into())),
    )
    .await;
    let saving_alpha = app.update(Message::Save);
    assert_eq!(stored(&sandbox)[0].description, "", "not written yet");

    interact(&mut app, |ui| click(ui, "beta")).await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::Name("beta_renamed".into())),
    )
    .await;
    settle(&mut app, saving_alpha).await;

    let alpha = editor_of(&app, "alpha");
    assert!(!alpha.has_changes(), "alpha's editor is saved");
    let beta = editor_of(&app, "beta");
    assert_eq!(beta.draft.name, "beta_renamed");
    assert!(beta.has_changes(), "beta's rename is still unsaved");
    assert_eq!(app.editor().unwrap().id, beta.id, "beta is still shown");
    let files = stored(&sandbox);
    assert_eq!(files[0].name, "alpha");
    assert_eq!(files[0].description, "from alpha");
    assert_eq!(files[1], Profile::named("beta"), "beta is untouched");

    // Beta's own save renames beta, and only beta.
    send(&mut app, Message::Save).await;
    let names: Vec<String> = stored(&sandbox).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["alpha", "beta_renamed"]);
    assert_eq!(stored(&sandbox)[0].description, "from alpha");
}

/// The defect: a delete finishing after a switch closed the editor shown then.
#[tokio::test]
async fn a_delete_finishing_after_a_switch_closes_its_own_profile() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "alpha")).await;
    let deleting_alpha = app.update(Message::Sidebar(profiles::Message::ConfirmDelete));

    interact(&mut app, |ui| click(ui, "beta")).await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::Description("typed in beta".into())),
    )
    .await;
    settle(&mut app, deleting_alpha).await;

    let names: Vec<String> = stored(&sandbox).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["beta"]);
    assert!(shows(&app, "Deleted profile alpha"));
    let shown = app.editor().expect("beta is still shown");
    assert_eq!(shown.draft.name, "beta");
    assert_eq!(
        shown.draft.description, "typed in beta",
        "beta keeps its edits"
    );
    assert_eq!(app.editors().len(), 1, "only alpha's editor is closed");
}

/// A new profile is shown only if the user is still where they asked for it.
#[tokio::test]
async fn a_profile_created_after_a_switch_does_not_take_the_window() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "alpha")).await;
    let creating = app.update(Message::Sidebar(profiles::Message::New));
    interact(&mut app, |ui| click(ui, "beta")).await;
    let beta = app.editor().unwrap().id;
    settle(&mut app, creating).await;

    assert_eq!(app.page(), Page::Profile(beta));
    assert!(shows(&app, "new_profile"), "the new profile is listed");
    assert!(stored(&sandbox).iter().any(|p| p.name == "new_profile"));

    // Asked for and still there: it opens.
    let creating = app.update(Message::Sidebar(profiles::Message::New));
    settle(&mut app, creating).await;
    assert_eq!(app.editor().unwrap().draft.name, "new_profile_2");
}

/// Two open profiles of one name (the user's and the system's): each keyring
/// answer reaches the editor that asked, not the first of that name.
#[tokio::test]
async fn each_keyring_answer_reaches_the_editor_that_asked() {
    let sandbox = Sandbox::new();
    sandbox.save(&Profile::named("relay"));
    sandbox.system_profile(&Profile::named("relay"), false);
    let mut app = started(&sandbox).await;
    // An in-memory keyring (keyring-core's mock), as if the real one had connected.
    let store = keyring_core::mock::Store::new().unwrap();
    send(&mut app, Message::KeyringReady(Secrets::with_store(store))).await;

    interact(&mut app, |ui| click(ui, "relay")).await;
    interact(&mut app, |ui| click(ui, "relay  (read-only)")).await;
    assert_eq!(app.editors().len(), 2);
    for editor in app.editors() {
        assert_eq!(
            editor.smtp.keyring,
            smtp::KeyringState::NotSaved,
            "{:?} profile",
            editor.scope
        );
    }
    assert!(app.editors().iter().any(|e| e.scope == Scope::System));
}

/// The Sendmail tab's file dialog may answer after the user switched profile:
/// the chosen program goes to the profile whose tab asked.
#[tokio::test]
async fn a_sendmail_dialog_answer_after_a_switch_goes_to_its_own_profile() {
    let sandbox = two_profiles();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "alpha")).await;
    let alpha = app.editor().unwrap().id;
    interact(&mut app, |ui| click(ui, "beta")).await;
    send(
        &mut app,
        Message::Sendmail(
            alpha,
            sendmail::Message::Picked(Some("/usr/bin/msmtp".into())),
        ),
    )
    .await;
    assert_eq!(
        editor_of(&app, "alpha").draft.sendmail.path,
        "/usr/bin/msmtp"
    );
    assert_eq!(
        app.editor().unwrap().draft.sendmail,
        Profile::named("beta").sendmail
    );
}
