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
use sandbox::ui::{click, interact, press, send, settle, shows};

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
    let id = app.editor().unwrap().id;
    send(&mut app, Message::Mta(id, mta::detect(root.path()))).await;
    assert!(shows(&app, "/usr/sbin/sendmail is msmtp. (/usr/bin/msmtp)"));
    assert!(shows(&app, "Write an msmtp configuration…"));

    let none = tempfile::tempdir().unwrap();
    send(&mut app, Message::Mta(id, mta::detect(none.path()))).await;
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

fn enqueue(sandbox: &Sandbox, profile: &str, recipient: &str, reason: Option<&str>) {
    use outbound::core::queue::{self, ProfileRef, QueuedDsn};
    queue::enqueue_parts(
        &sandbox.paths(),
        ProfileRef {
            scope: outbound::core::store::Scope::User,
            name: profile.to_owned(),
        },
        "office@example.org",
        &[recipient.to_owned()],
        QueuedDsn::default(),
        b"Subject: queued\r\n\r\nHello.\r\n",
        reason.map(str::to_owned),
        None,
    )
    .unwrap();
}

#[tokio::test]
async fn the_queue_view_counts_deletes_and_flushes_the_profiles_messages() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    // local_mta delivers through a program that keeps what it is given.
    let delivered = sandbox.path("delivered");
    let program = sandbox.path("fake-sendmail");
    std::fs::write(
        &program,
        format!("#!/bin/sh\ncat >> '{}'\n", delivered.display()),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut local = stored(&sandbox, "local_mta");
    local.sendmail.path = program.display().to_string();
    local.sendmail.args = String::new();
    sandbox.save(&local);
    enqueue(
        &sandbox,
        "local_mta",
        "a@example.org",
        Some("451 4.3.0 try later"),
    );
    enqueue(&sandbox, "local_mta", "b@example.org", None);
    enqueue(&sandbox, "office_relay", "c@example.org", None);

    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "local_mta")).await;
    assert!(shows(&app, "2 messages of this profile are waiting."));
    assert!(shows(&app, "Last error: 451 4.3.0 try later"));
    assert!(shows(&app, "office@example.org → a@example.org"));
    assert!(!shows(&app, "office@example.org → c@example.org"));

    // Another process queues one more: the next tick shows it.
    enqueue(&sandbox, "local_mta", "d@example.org", None);
    send(&mut app, Message::QueueTick).await;
    assert!(shows(&app, "3 messages of this profile are waiting."));

    interact(&mut app, |ui| {
        click(ui, selector::id(delivery::queue::delete_id(0)))
    })
    .await;
    assert!(shows(&app, "2 messages of this profile are waiting."));
    assert!(!shows(&app, "office@example.org → a@example.org"));
    let left: Vec<String> = outbound::core::queue::list(&sandbox.paths())
        .unwrap()
        .into_iter()
        .map(|q| q.recipients.join(","))
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(!left.contains(&"a@example.org".to_owned()));

    interact(&mut app, |ui| click(ui, "Flush")).await;
    assert!(shows(&app, "No messages of this profile are waiting."));
    assert!(shows(
        &app,
        "Sent 2, kept for later 0, failed 0, may have been delivered 0."
    ));
    let text = std::fs::read_to_string(&delivered).unwrap();
    assert_eq!(text.matches("Subject: queued").count(), 2, "{text}");
    // office_relay's message is not this profile's: still queued.
    let left = outbound::core::queue::list(&sandbox.paths()).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].profile, "office_relay");
}

/// Start-up reads only the profiles: the sendmail program and the queue are
/// read when a Delivery tab is shown, for that tab; an answer that arrives
/// after the user left it is dropped, and showing it again reads anew.
#[tokio::test]
async fn the_delivery_tab_reads_the_queue_and_sendmail_when_shown_not_at_start() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    enqueue(&sandbox, "local_mta", "a@example.org", None);
    let mut app = started(&sandbox).await;
    assert!(app.queue().is_none(), "start-up read the queue");
    assert!(app.mta().is_none(), "start-up looked for sendmail");

    // The answers of the first look arrive after the user went to the
    // Preferences page: they are not shown there, nor kept.
    let looking = press(&mut app, |ui| click(ui, "local_mta"));
    interact(&mut app, |ui| click(ui, "Preferences")).await;
    settle(&mut app, looking).await;
    assert!(app.queue().is_none(), "a stale queue answer was kept");
    assert!(app.mta().is_none(), "a stale sendmail answer was kept");

    // Shown again, the tab reads them for itself.
    interact(&mut app, |ui| click(ui, "local_mta")).await;
    assert_eq!(app.queue().map(<[_]>::len), Some(1));
    assert!(app.mta().is_some());
    assert!(shows(&app, "1 message of this profile is waiting."));

    // Another tab does not read the queue on a tick; its answer for a tab
    // left meanwhile is dropped.
    enqueue(&sandbox, "local_mta", "b@example.org", None);
    let id = app.editor().unwrap().id;
    let ticked = app.update(Message::QueueTick);
    send(&mut app, Message::Tab(outbound::ui::app::Tab::Smtp)).await;
    settle(&mut app, ticked).await;
    assert_eq!(app.queue().map(<[_]>::len), Some(1));
    send(&mut app, Message::QueueTick).await;
    assert_eq!(app.queue().map(<[_]>::len), Some(1));
    send(&mut app, Message::Tab(outbound::ui::app::Tab::Delivery)).await;
    assert_eq!(app.queue().map(<[_]>::len), Some(2));
    assert_eq!(app.editor().unwrap().id, id);
}
