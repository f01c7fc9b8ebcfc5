//! The SMTP page and the real Secret Service (gnome-keyring, started by tests/run).

mod sandbox;

use outbound::core::preferences::Preferences;
use outbound::core::profile::Profile;
use outbound::core::secret::Secret;
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::Scope;
use outbound::ui::app::{App, Message};
use sandbox::Sandbox;
use sandbox::ui::{interact, send, settle, shows};

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
    interact(&mut app, |ui| drop(ui.click(name.as_str()))).await;
    interact(&mut app, |ui| drop(ui.click("SMTP"))).await;
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
