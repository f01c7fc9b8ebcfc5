//! The SMTP page and the real Secret Service (gnome-keyring, started by tests/run).

#[allow(dead_code)]
mod oidc;
mod sandbox;
mod support;

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

/// The defect: "Use a separate password for IMAP" kept the password typed for
/// the session only, and a rename or delete left the profile's second keyring
/// entry behind. Now it is saved with the profile under its own key
/// (`profile:user:<name>:imap`), moves with a rename and goes with a delete;
/// the SMTP password's entry is not touched by it.
#[tokio::test]
async fn a_separate_imap_password_is_saved_moved_and_deleted_with_its_profile() {
    use outbound::ui::app::Tab;
    use outbound::ui::pages::profiles;
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let name = format!("imap_{}", std::process::id());
    let mut profile = Profile::named(&name);
    profile.imap.host = "imap.example.org".into();
    sandbox.save(&profile);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    send(&mut app, Message::Tab(Tab::Incoming)).await;
    interact(&mut app, |ui| click(ui, "Use a separate password for IMAP")).await;
    assert!(shows(&app, "no password saved"));
    interact(&mut app, |ui| {
        ui.click(iced_test::selector::id("imap.password")).unwrap();
        ui.typewrite("IMAP-пароль-📬");
    })
    .await;
    assert!(shows(
        &app,
        "changed; saved to the keyring with the profile"
    ));
    assert!(app.editor().unwrap().has_changes());
    send(&mut app, Message::Save).await;
    assert!(shows(&app, "password saved in the keyring"));
    assert!(!app.editor().unwrap().has_changes());

    let secrets = Secrets::connect().await;
    let exposed = async |key: &SecretKey| {
        secrets
            .get(key)
            .await
            .unwrap()
            .map(|s| s.expose().to_owned())
    };
    let own = SecretKey::profile(&sandbox.paths(), Scope::User, &name);
    let imap = own.clone().imap();
    assert_eq!(exposed(&imap).await.as_deref(), Some("IMAP-пароль-📬"));
    assert_eq!(exposed(&own).await, None, "the SMTP entry stays empty");
    for (path, bytes) in sandbox.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("IMAP-пароль"),
            "{}",
            path.display()
        );
    }

    // A window opened afterwards finds it in the keyring, and a check uses it.
    let (mut other, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut other, boot).await;
    interact(&mut other, |ui| click(ui, name.as_str())).await;
    let editor = other.editor().unwrap();
    assert_eq!(
        editor
            .incoming
            .password_for(&editor.draft, None)
            .as_ref()
            .map(Secret::expose),
        Some("IMAP-пароль-📬")
    );
    send(&mut other, Message::Tab(Tab::Incoming)).await;
    assert!(shows(&other, "password saved in the keyring"));
    drop(other);

    // Renaming the profile moves it to the new name's key.
    let renamed = format!("{name}_b");
    send(
        &mut app,
        Message::Delivery(outbound::ui::pages::delivery::Message::Name(
            renamed.clone(),
        )),
    )
    .await;
    send(&mut app, Message::Save).await;
    let moved = SecretKey::profile(&sandbox.paths(), Scope::User, &renamed).imap();
    assert_eq!(exposed(&moved).await.as_deref(), Some("IMAP-пароль-📬"));
    assert_eq!(exposed(&imap).await, None, "left under the old name");

    // Deleting the profile removes it.
    send(&mut app, Message::Sidebar(profiles::Message::Delete)).await;
    send(&mut app, Message::Sidebar(profiles::Message::ConfirmDelete)).await;
    assert!(!sandbox.paths().profile_file(&renamed).exists());
    assert_eq!(exposed(&moved).await, None, "left behind by the delete");
}

/// The test's browser: follows the authorization URL (the OAuth peer logs
/// `tester` in and consents at once) and hands the redirect to the window's
/// loopback listener, on its own thread as a browser would.
fn follow_in_test_browser(url: &str) -> Result<(), String> {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let redirect = oidc::Browser::new().authorize(&url);
        let _ = oidc::Browser::new().get(&redirect);
    });
    Ok(())
}

#[tokio::test]
async fn signing_in_from_the_smtp_tab_keeps_the_tokens_in_the_keyring_only() {
    use outbound::core::directory::UserDirectory;
    use outbound::core::profile::{AuthMethod, Delivery, Security};
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    // Accepts a bearer token only when the OAuth peer says it issued it.
    let peer = oidc::introspecting_peer("none", None);
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(oidc::provider("oauth-ui-test", peer.port, false))
        .unwrap();
    let name = format!("oauth_ui_{}", std::process::id());
    let mut profile = Profile::named(&name);
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".into();
    profile.smtp.port = peer.port;
    profile.smtp.security = Security::None;
    profile.smtp.auth = AuthMethod::Xoauth2;
    profile.smtp.username = support::USER.into();
    sandbox.save(&profile);
    outbound::core::oauth::replace_browser_opener(follow_in_test_browser);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    interact(&mut app, |ui| click(ui, "SMTP")).await;
    assert!(shows(&app, "Not signed in"));

    // Cancel before the browser answered: nothing is stored, Sign in is back.
    let abandoned = press(&mut app, |ui| click(ui, "Sign in"));
    assert!(shows(&app, "Waiting for the browser: 300 s left"));
    interact(&mut app, |ui| click(ui, "Cancel")).await;
    settle(&mut app, abandoned).await;
    assert!(shows(&app, "Not signed in"));
    let secrets = Secrets::connect().await;
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, &name).oauth();
    assert_eq!(secrets.get(&key).await.unwrap(), None);

    // The sign-in runs while the test looks at its wait.
    let signing_in = press(&mut app, |ui| click(ui, "Sign in"));
    assert!(shows(&app, "Waiting for the browser: 300 s left"));
    assert!(!shows(&app, "Sign in"), "one sign-in at a time");
    settle(&mut app, signing_in).await;
    let stored = secrets
        .get(&key)
        .await
        .unwrap()
        .expect("tokens in the keyring");
    let tokens: serde_json::Value = serde_json::from_str(stored.expose()).unwrap();
    let expires_at = tokens["expires_at"].as_i64().unwrap();
    let until = time::OffsetDateTime::from_unix_timestamp(expires_at)
        .unwrap()
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC"
        ))
        .unwrap();
    assert!(shows(
        &app,
        &format!("Signed in as {} (token valid until {until})", support::USER)
    ));
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert!(!access.is_empty() && !refresh.is_empty());
    send(&mut app, Message::Save).await;
    for (path, bytes) in sandbox.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&access) && !text.contains(&refresh),
            "a token in {}",
            path.display()
        );
    }

    // The Check tab sends the token; its auth step names the account only.
    let id = app.editor().unwrap().id;
    send(
        &mut app,
        Message::Check(id, outbound::ui::pages::check::Message::Start),
    )
    .await;
    let report = app
        .editor()
        .unwrap()
        .check
        .report()
        .expect("finished")
        .clone();
    assert_eq!(
        report.diagnosis.code,
        outbound::core::check::Code::Ok,
        "{:?}",
        report.steps
    );
    let auth = report
        .steps
        .iter()
        .find(|step| step.name.as_str() == "auth")
        .expect("an auth step");
    assert!(
        auth.detail
            .starts_with(&format!("XOAUTH2 ({}): 235", support::USER)),
        "{}",
        auth.detail
    );
    assert!(!auth.detail.contains(&access));
    interact(&mut app, |ui| click(ui, "SMTP")).await;

    interact(&mut app, |ui| click(ui, "Sign out")).await;
    assert!(shows(&app, "Not signed in"));
    assert_eq!(secrets.get(&key).await.unwrap(), None, "signed out");
}

/// A provider that refuses passwords (Gmail's `534 5.7.9`): the Check tab's
/// diagnosis carries "Sign in instead", which switches the draft to XOAUTH2,
/// shows the SMTP tab and starts the sign-in; the next check goes through
/// with the token.
#[tokio::test]
async fn a_provider_refusing_passwords_offers_a_sign_in_that_works() {
    use outbound::core::check::{Code, Fix};
    use outbound::core::directory::UserDirectory;
    use outbound::core::profile::{AuthMethod, Delivery, Security};
    use outbound::ui::pages::check::Message as CheckMessage;
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    let introspection = format!("{}/token/introspection", oidc::issuer());
    let peer = support::Peer::start_with(
        "none",
        None,
        "an-app-password-would-do",
        &[
            "--oauth-introspect",
            &introspection,
            "--password-refusal",
            "534 5.7.9 Application-specific password required.",
        ],
    );
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(oidc::provider("oauth-apply-test", peer.port, false))
        .unwrap();
    let name = format!("oauth_apply_{}", std::process::id());
    let mut profile = Profile::named(&name);
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".into();
    profile.smtp.port = peer.port;
    profile.smtp.security = Security::None;
    profile.smtp.auth = AuthMethod::Plain;
    profile.smtp.username = support::USER.into();
    sandbox.save(&profile);
    let secrets = Secrets::connect().await;
    let password_key = SecretKey::profile(&sandbox.paths(), Scope::User, &name);
    secrets
        .set(&password_key, &Secret::from("the-account-password"))
        .await
        .unwrap();
    outbound::core::oauth::replace_browser_opener(follow_in_test_browser);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, name.as_str())).await;
    let id = app.editor().unwrap().id;
    send(&mut app, Message::Tab(outbound::ui::app::Tab::Check)).await;
    send(&mut app, Message::Check(id, CheckMessage::Start)).await;
    let report = app.editor().unwrap().check.report().expect("finished");
    assert_eq!(report.diagnosis.code, Code::AppPasswordRequired);
    assert_eq!(
        report.diagnosis.fix,
        Some(Fix::SignIn {
            auth: AuthMethod::Xoauth2
        })
    );

    let signing_in = press(&mut app, |ui| click(ui, "Sign in instead"));
    assert_eq!(app.editor().unwrap().draft.smtp.auth, AuthMethod::Xoauth2);
    assert!(shows(&app, "Waiting for the browser: 300 s left"));
    settle(&mut app, signing_in).await;
    assert!(shows(&app, "Sign out"), "signed in");

    send(&mut app, Message::Check(id, CheckMessage::Start)).await;
    let report = app.editor().unwrap().check.report().expect("finished");
    assert_eq!(report.diagnosis.code, Code::Ok, "{:?}", report.steps);

    // The sign-in revoked at the server and the token expired: the check
    // says oauth_sign_in_required, and its Sign in signs in again.
    send(&mut app, Message::Save).await;
    let oauth_key = SecretKey::profile(&sandbox.paths(), Scope::User, &name).oauth();
    let stored = secrets.get(&oauth_key).await.unwrap().expect("tokens");
    let mut tokens: serde_json::Value = serde_json::from_str(stored.expose()).unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let revoked = ureq::post(&format!("{}/token/revocation", oidc::issuer()))
        .send_form([("token", refresh.as_str()), ("client_id", "outbound-test")])
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    tokens["expires_at"] = serde_json::Value::from(0);
    secrets
        .set(&oauth_key, &Secret::from(tokens.to_string()))
        .await
        .unwrap();
    send(&mut app, Message::Tab(outbound::ui::app::Tab::Check)).await;
    send(&mut app, Message::Check(id, CheckMessage::Start)).await;
    let report = app.editor().unwrap().check.report().expect("finished");
    assert_eq!(report.diagnosis.code, Code::OauthSignInRequired);
    let again = press(&mut app, |ui| click(ui, "Sign in"));
    assert!(shows(&app, "Waiting for the browser: 300 s left"));
    settle(&mut app, again).await;
    assert!(shows(&app, "Sign out"), "signed in again");
    let renewed = secrets.get(&oauth_key).await.unwrap().expect("new tokens");
    assert_ne!(renewed.expose(), tokens.to_string());
    let _ = secrets.delete(&password_key).await;
    let _ = secrets.delete(&oauth_key).await;
}
