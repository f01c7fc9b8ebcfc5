//! The SMTP page and the real Secret Service (gnome-keyring, started by tests/run).

mod sandbox;

use outbound::core::preferences::Preferences;
use outbound::core::profile::Profile;
use outbound::core::secret::Secret;
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::Scope;
use outbound::ui::app::{App, Message};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, press, send, settle, shows};

#[tokio::test]
async fn saving_a_password_puts_it_in_the_secret_service() {
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let name = format!("ui_{}", std::process::id());
    let mut profile = Profile::named(&name);
    profile.delivery = outbound::core::profile::Delivery::Smtp;
    profile.smtp.host = "smtp.example.org".into();
    sandbox.save(&profile);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    interact(&mut app, |ui| click(ui, "SMTP")).await;
    assert!(shows(&app, "no password saved"));
    interact(&mut app, |ui| {
        ui.click(iced_test::selector::id("smtp.password")).unwrap();
        ui.typewrite("Пароль-🔑");
    })
    .await;
    assert!(shows(
        &app,
        "changed; saved to the keyring with the profile"
    ));
    send(&mut app, Message::Save).await;
    let secrets = Secrets::connect().await;
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, &name);
    assert_eq!(
        secrets
            .get(&key)
            .await
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some("Пароль-🔑")
    );
    assert!(shows(&app, "password saved in the keyring"));
    // Nothing of it in the files.
    for (path, bytes) in sandbox.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Пароль"),
            "{}",
            path.display()
        );
    }

    // Renaming the profile moves its password.
    send(
        &mut app,
        Message::Delivery(outbound::ui::pages::delivery::Message::Name(format!(
            "{name}_b"
        ))),
    )
    .await;
    send(&mut app, Message::Save).await;
    let moved = SecretKey::profile(&sandbox.paths(), Scope::User, &format!("{name}_b"));
    assert_eq!(
        secrets
            .get(&moved)
            .await
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some("Пароль-🔑")
    );
    assert_eq!(secrets.get(&key).await.unwrap(), None);
    secrets.delete(&moved).await.unwrap();
}

/// The defect: after an import replaced an open profile, its editor still said
/// "password saved" but held an empty password, so a check sent none. The
/// reload asks the keyring again, so a password changed meanwhile (as
/// `outbound profile set-password` would) is the one a check uses.
#[tokio::test]
async fn an_import_that_replaces_an_open_profile_asks_the_keyring_again() {
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let name = format!("reload_{}", std::process::id());
    let mut profile = Profile::named(&name);
    profile.delivery = outbound::core::profile::Delivery::Smtp;
    profile.smtp.host = "smtp.example.org".into();
    sandbox.save(&profile);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    send(
        &mut app,
        Message::Smtp(outbound::ui::pages::smtp::Message::Password(Secret::from(
            "first-пароль",
        ))),
    )
    .await;
    send(&mut app, Message::Save).await;
    assert_eq!(
        app.editor().unwrap().smtp.keyring,
        outbound::ui::pages::smtp::KeyringState::Saved
    );
    let secrets = Secrets::connect().await;
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, &name);
    secrets
        .set(&key, &Secret::from("second-пароль"))
        .await
        .unwrap();

    let file = sandbox.path("incoming.toml");
    let mut incoming = profile.clone();
    incoming.description = "theirs".into();
    outbound::core::exchange::export(
        &outbound::core::exchange::Contents::of_profiles(vec![incoming]),
        &file,
    )
    .unwrap();
    send(
        &mut app,
        Message::Picked {
            purpose: outbound::ui::app::Purpose::Import,
            path: Some(file),
            after: std::time::Duration::from_secs(2),
        },
    )
    .await;
    interact(&mut app, |ui| click(ui, "Replace")).await;

    let editor = app.editor().unwrap();
    assert_eq!(
        editor.draft.description, "theirs",
        "the editor was reloaded"
    );
    assert_eq!(
        editor.smtp.keyring,
        outbound::ui::pages::smtp::KeyringState::Saved
    );
    assert_eq!(
        editor
            .smtp
            .password_for_check()
            .as_ref()
            .map(Secret::expose),
        Some("second-пароль"),
        "a check would not use the keyring's password"
    );
    secrets.delete(&key).await.unwrap();
}

/// The defect: a profile opened while the keyring was still connecting said
/// "checking the keyring" for ever; only the profile shown when it connected
/// was answered.
#[tokio::test]
async fn every_profile_opened_while_the_keyring_connects_gets_its_answer() {
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let first = format!("early_a_{}", std::process::id());
    let second = format!("early_b_{}", std::process::id());
    sandbox.save(&Profile::named(&first));
    sandbox.save(&Profile::named(&second));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    // The first profile starts the connection; it is held back until the
    // second one is open.
    let connecting = press(&mut app, |ui| click(ui, first.as_str()));
    interact(&mut app, |ui| click(ui, second.as_str())).await;
    settle(&mut app, connecting).await;
    for editor in app.editors() {
        assert_eq!(
            editor.smtp.keyring,
            outbound::ui::pages::smtp::KeyringState::NotSaved,
            "{}",
            editor.draft.name
        );
    }
    assert_eq!(app.editors().len(), 2);
}
