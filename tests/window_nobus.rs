//! The SMTP page without a session bus: the keyring is named unavailable with the
//! platform's reason, and the password can be used for this session only.

mod sandbox;

use outbound::core::preferences::Preferences;
use outbound::core::profile::Profile;
use outbound::ui::app::App;
use sandbox::Sandbox;
use sandbox::ui::{click, interact, settle, shows};

#[tokio::test]
async fn without_a_session_bus_the_keyring_is_unavailable_and_session_only_is_offered() {
    let empty = tempfile::tempdir().unwrap();
    // SAFETY: this binary has this one test, so no other thread reads the environment.
    unsafe {
        std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
        std::env::set_var("XDG_RUNTIME_DIR", empty.path());
    }
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let mut profile = Profile::named("nobus");
    profile.delivery = outbound::core::profile::Delivery::Smtp;
    profile.smtp.host = "smtp.example.org".into();
    sandbox.save(&profile);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, "nobus")).await;
    interact(&mut app, |ui| click(ui, "SMTP")).await;
    let view_has = |prefix: &str| {
        let reason = match &app.editor().unwrap().smtp.keyring {
            outbound::ui::pages::smtp::KeyringState::Unavailable(reason) => reason.clone(),
            other => panic!("keyring state {other:?}"),
        };
        assert!(reason.starts_with(prefix), "{reason}");
        reason
    };
    let reason = view_has("The keyring is unavailable: ");
    assert!(shows(&app, &reason));
    assert!(shows(&app, "use the password for this session only"));
    interact(&mut app, |ui| {
        click(ui, "use the password for this session only")
    })
    .await;
    assert!(app.editor().unwrap().smtp.session_only);
}
