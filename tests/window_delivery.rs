//! The Delivery tab's additions for `outbound send` (issue 12), driven through
//! iced_test's simulator on the real `view`/`update` with tasks run for real:
//! the sender identities list, the default-profile choice saved in the
//! preferences, what this computer's sendmail is, and the msmtp file.

mod sandbox;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::time::Duration;

use iced_test::selector;
use outbound::core::preferences::{self, Preferences};
use outbound::core::profile::{Delivery, Profile};
use outbound::core::{mta, store};
use outbound::ui::app::{App, Message, Purpose};
use outbound::ui::pages::delivery::{self, senders};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, send, settle, shows};

/// The interface language is process-wide: the tests of this file take turns.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn prepared() -> Sandbox {
    let sandbox = Sandbox::new();
    let mut relay = Profile::named("office_relay");
    relay.delivery = Delivery::Smtp;
    relay.smtp.host = "smtp.example.org".into();
    relay.sender.address = "office@example.org".into();
    sandbox.save(&relay);
    sandbox.save(&Profile::named("local_mta"));
    sandbox.system_profile(&Profile::named("relay"), false);
    sandbox
}

async fn started(sandbox: &Sandbox) -> App {
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), false);
    settle(&mut app, boot).await;
    app
}

fn stored(sandbox: &Sandbox, name: &str) -> Profile {
    sandbox
        .store()
        .load_all()
        .find(name)
        .unwrap()
        .profile
        .clone()
}

async fn type_sender(app: &mut App, text: &str) {
    interact(app, |ui| {
        ui.click(selector::id("senders.new")).unwrap();
        ui.typewrite(text);
    })
    .await;
}

#[tokio::test]
async fn sender_identities_are_added_when_valid_refused_when_not_and_removed() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    assert!(shows(&app, "Only the sender address above."));

    type_sender(&mut app, "not a sender").await;
    interact(&mut app, |ui| click(ui, "Add")).await;
    assert!(app.editor().unwrap().draft.senders.is_empty());
    assert!(shows(
        &app,
        "not a sender: not a sender (write Name <address>, address, or *@domain)"
    ));

    // The refused text stays to be corrected: cleared and typed again.
    send(
        &mut app,
        Message::Delivery(delivery::Message::Senders(senders::Message::Typed(
            String::new(),
        ))),
    )
    .await;
    type_sender(&mut app, "Склад <sklad@example.org>").await;
    interact(&mut app, |ui| click(ui, "Add")).await;
    type_sender(&mut app, "*@shop.example.org").await;
    interact(&mut app, |ui| click(ui, "Add")).await;
    assert_eq!(
        app.editor().unwrap().draft.senders,
        ["Склад <sklad@example.org>", "*@shop.example.org"]
    );
    assert!(shows(&app, "Склад <sklad@example.org>"));
    assert!(!shows(&app, "Only the sender address above."));
    assert!(shows(&app, "unsaved"));

    interact(&mut app, |ui| {
        click(ui, selector::id(senders::remove_id(0)))
    })
    .await;
    assert_eq!(app.editor().unwrap().draft.senders, ["*@shop.example.org"]);
    interact(&mut app, |ui| click(ui, "Save")).await;
    assert_eq!(
        stored(&sandbox, "office_relay").senders,
        ["*@shop.example.org"]
    );
}

#[tokio::test]
async fn the_default_profile_checkbox_saves_the_preference_and_clears_it() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    let label = "Use this profile for mail from any other sender";
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    interact(&mut app, |ui| click(ui, label)).await;
    let saved = preferences::load(&sandbox.paths().config).unwrap();
    assert_eq!(saved.default_profile, "office_relay");
    assert_eq!(app.preferences().default_profile, "office_relay");
    assert!(shows(&app, "office_relay is now the default profile."));
    assert!(
        !app.editor().unwrap().has_changes(),
        "a preference, not an edit"
    );

    // Another profile says which one is the default now; the read-only
    // system profile can be chosen too (the preference is the user's).
    interact(&mut app, |ui| click(ui, "relay  (read-only)")).await;
    assert!(shows(&app, "The default profile now is office_relay."));
    interact(&mut app, |ui| click(ui, label)).await;
    assert_eq!(
        preferences::load(&sandbox.paths().config)
            .unwrap()
            .default_profile,
        "relay"
    );

    interact(&mut app, |ui| click(ui, label)).await;
    assert_eq!(
        preferences::load(&sandbox.paths().config)
            .unwrap()
            .default_profile,
        ""
    );
    assert!(shows(
        &app,
        "relay is no longer the default profile; mail from senders no profile has is refused."
    ));
}

#[tokio::test]
async fn a_failed_preferences_save_is_reported_and_undone() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    // A folder where the preferences file goes: the write fails.
    std::fs::create_dir_all(preferences::file(&sandbox.paths().config).join("x")).unwrap();
    interact(&mut app, |ui| {
        click(ui, "Use this profile for mail from any other sender")
    })
    .await;
    assert_eq!(app.preferences().default_profile, "");
    assert!(!shows(&app, "office_relay is now the default profile."));
}

#[tokio::test]
async fn the_page_says_what_sendmail_is_and_writes_an_msmtp_configuration() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;

    // A root standing for `/`: msmtp-mta's link, as Debian installs it.
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("usr/sbin")).unwrap();
    std::fs::create_dir_all(root.path().join("usr/bin")).unwrap();
    std::fs::write(root.path().join("usr/bin/msmtp"), b"\x7fELF").unwrap();
    symlink("../bin/msmtp", root.path().join("usr/sbin/sendmail")).unwrap();
    send(&mut app, Message::Mta(mta::detect(root.path()))).await;
    assert!(shows(&app, "/usr/sbin/sendmail is msmtp. (/usr/bin/msmtp)"));
    assert!(shows(&app, "Write an msmtp configuration…"));

    let none = tempfile::tempdir().unwrap();
    send(&mut app, Message::Mta(mta::detect(none.path()))).await;
    assert!(shows(
        &app,
        "There is no sendmail program (/usr/sbin/sendmail and /usr/lib/sendmail are missing): programs that send mail through it fail."
    ));

    // The dialog's answer: the file chosen.
    let file = sandbox.path("msmtprc");
    send(
        &mut app,
        Message::Picked {
            purpose: Purpose::Msmtprc,
            path: Some(file.clone()),
            after: Duration::from_secs(2),
        },
    )
    .await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("account office_relay\nhost smtp.example.org\n"),
        "{text}"
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(shows(
        &app,
        &format!(
            "Wrote an msmtp configuration with 1 account to {}",
            file.display()
        )
    ));
    // Nothing else of the configuration changed.
    assert!(store::read_profile(&sandbox.paths().profile_file("office_relay")).is_ok());
}
