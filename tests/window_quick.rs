//! The Quick test page (the window's first screen) against the session's
//! Postfix and Dovecot: a user directory entry for `outbound.test` points
//! Detect at the stack, whose authority the window is told to trust. The right
//! password shows both checks ok, a wrong one `auth_failed` on both; nothing is
//! written and no keyring entry made unless Save as profile is pressed, which
//! writes one profile and its password; Enter in the password field starts
//! the test; leaving the page mid-test drops its answers; an OAuth2 provider
//! offers a sign-in (which checks with its token) or its kind of password.
//!
//! Users: u45, u46, u47 (no other test binary takes them).

#[allow(dead_code)]
mod oidc;
mod sandbox;
mod support;

use iced::keyboard::{Key, key::Named};
use iced_test::futures::futures::StreamExt;
use iced_test::runtime::{Action, task::into_stream};
use iced_test::selector;
use outbound::core::check::Code;
use outbound::core::directory::UserDirectory;
use outbound::core::preferences::Preferences;
use outbound::core::secret::Secret;
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::Scope;
use outbound::ui::app::{App, Page};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, press, settle, shows};
use support::mailstack::stack;

/// The window over a sandbox whose user directory knows `outbound.test`,
/// trusting the stack's authority; `keyring` as `App::with` takes it.
async fn window(keyring: bool) -> (Sandbox, App) {
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(stack().provider())
        .unwrap();
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), keyring);
    app.trust_roots(stack().ca_roots());
    settle(&mut app, boot).await;
    (sandbox, app)
}

/// Types the address and the password into the page (the first screen).
async fn fill(app: &mut App, address: &str, password: &str) {
    interact(app, |ui| {
        ui.click(selector::id("quick.address")).unwrap();
        ui.typewrite(address);
    })
    .await;
    interact(app, |ui| {
        ui.click(selector::id("quick.password")).unwrap();
        ui.typewrite(password);
    })
    .await;
}

fn codes(app: &App) -> (Code, Code) {
    let quick = app.quick();
    let smtp = quick
        .outgoing
        .report()
        .expect("the outgoing check finished");
    let imap = quick
        .incoming
        .report()
        .expect("the incoming check finished");
    (smtp.diagnosis.code, imap.diagnosis.code)
}

async fn keyring_entry(sandbox: &Sandbox, name: &str) -> Option<Secret> {
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, name);
    Secrets::connect().await.get(&key).await.unwrap()
}

#[tokio::test]
async fn the_right_password_shows_both_checks_ok_and_saves_nothing() {
    sandbox::require_private_keyring();
    let (sandbox, mut app) = window(true).await;
    assert_eq!(app.page(), Page::Quick);
    assert!(shows(&app, "Quick test"));
    let before = sandbox.snapshot();
    let user = stack().user(45);
    fill(&mut app, &user.address, &user.password).await;
    interact(&mut app, |ui| click(ui, "Test")).await;
    assert_eq!(codes(&app), (Code::Ok, Code::Ok));
    // Both sides shown, their steps included.
    assert!(shows(&app, "Outgoing (SMTP)"));
    assert!(shows(&app, "Incoming (IMAP)"));
    assert!(shows(&app, "login"));
    assert!(shows(&app, "auth"));
    // The settings are folded until asked for, then shown and editable.
    let folded = iced_test::simulator(app.view())
        .find(selector::id("quick.smtp.host"))
        .is_err();
    assert!(folded, "the settings are shown before Show settings");
    interact(&mut app, |ui| click(ui, "Show settings")).await;
    let host = app.quick().detected().unwrap().profile.smtp.host.clone();
    assert_eq!(host, "127.0.0.1");
    interact(&mut app, |ui| {
        ui.click(selector::id("quick.smtp.username")).unwrap();
        ui.typewrite("x");
    })
    .await;
    assert_eq!(
        app.quick().detected().unwrap().profile.smtp.username,
        format!("{}x", user.address)
    );

    assert_eq!(sandbox.snapshot(), before, "the quick test wrote a file");
    assert!(app.sidebar().rows().is_empty());
    assert_eq!(keyring_entry(&sandbox, "u45_outbound_test").await, None);
}

#[tokio::test]
async fn a_wrong_password_shows_auth_failed_on_both_and_enter_starts_the_test() {
    let (sandbox, mut app) = window(false).await;
    let before = sandbox.snapshot();
    let user = stack().user(46);
    interact(&mut app, |ui| {
        ui.click(selector::id("quick.address")).unwrap();
        ui.typewrite(&user.address);
    })
    .await;
    // Enter in the password field: the test runs without a click on Test.
    interact(&mut app, |ui| {
        ui.click(selector::id("quick.password")).unwrap();
        ui.typewrite("not-the-password-46");
        ui.tap_key(Key::Named(Named::Enter));
    })
    .await;
    assert_eq!(codes(&app), (Code::AuthFailed, Code::AuthFailed));
    assert_eq!(sandbox.snapshot(), before, "the quick test wrote a file");
}

#[tokio::test]
async fn save_as_profile_writes_one_profile_and_its_keyring_entry() {
    sandbox::require_private_keyring();
    let (sandbox, mut app) = window(true).await;
    let user = stack().user(47);
    fill(&mut app, &user.address, &user.password).await;
    interact(&mut app, |ui| click(ui, "Test")).await;
    assert_eq!(codes(&app), (Code::Ok, Code::Ok));
    assert_eq!(keyring_entry(&sandbox, "u47_outbound_test").await, None);

    interact(&mut app, |ui| click(ui, "Save as profile")).await;
    let loaded = sandbox.store().load_all();
    let names: Vec<&str> = loaded
        .profiles
        .iter()
        .map(|p| p.profile.name.as_str())
        .collect();
    assert_eq!(names, ["u47_outbound_test"]);
    let saved = &loaded.profiles[0].profile;
    assert_eq!(saved.smtp.port, stack().submission_port);
    assert_eq!(saved.imap.port, stack().imap_port);
    assert_eq!(saved.smtp.username, user.address);
    let entry = keyring_entry(&sandbox, "u47_outbound_test").await;
    assert_eq!(
        entry.as_ref().map(Secret::expose),
        Some(user.password.as_str())
    );
    // The new profile is opened, as a normal saved one.
    assert_eq!(
        app.editor().and_then(|e| e.saved_name()),
        Some("u47_outbound_test")
    );
    for (path, bytes) in sandbox.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&user.password),
            "{}",
            path.display()
        );
    }
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, "u47_outbound_test");
    Secrets::connect().await.delete(&key).await.unwrap();
}

#[tokio::test]
async fn leaving_the_page_mid_test_drops_its_answers() {
    let (_sandbox, mut app) = window(false).await;
    let user = stack().user(45);
    fill(&mut app, &user.address, &user.password).await;
    // Detect runs to its end; the checks it starts are held.
    let detect = press(&mut app, |ui| click(ui, "Test"));
    let mut checks = Vec::new();
    let mut stream = into_stream(detect).expect("Test starts the detection");
    while let Some(action) = stream.next().await {
        if let Action::Output(message) = action {
            checks.push(app.update(message));
        }
    }
    assert!(app.quick().outgoing.is_running());
    assert!(app.quick().incoming.is_running());
    interact(&mut app, |ui| click(ui, "Preferences")).await;
    assert_eq!(app.page(), Page::Preferences);
    settle(&mut app, iced::Task::batch(checks)).await;
    assert!(app.quick().outgoing.report().is_none());
    assert!(app.quick().incoming.report().is_none());
    assert!(!app.quick().is_busy());
    // Back on the page: nothing of the dropped run is shown, and Test works.
    interact(&mut app, |ui| click(ui, "Quick test")).await;
    assert!(!shows(&app, "Checking…"));
    interact(&mut app, |ui| click(ui, "Test")).await;
    assert_eq!(codes(&app), (Code::Ok, Code::Ok));
}

/// A provider that signs in with OAuth2 (Gmail, from the bundled directory:
/// no network): the page offers the sign-in and runs no password check
/// until the person signs in or picks Google's app password instead.
#[tokio::test]
async fn an_oauth2_provider_offers_a_sign_in_or_its_kind_of_password() {
    let (_sandbox, mut app) = window(false).await;
    fill(&mut app, "someone@gmail.com", "pw-not-used").await;
    interact(&mut app, |ui| click(ui, "Test")).await;
    assert!(app.quick().detected().unwrap().sign_in_required());
    assert!(shows(&app, "Gmail signs in in the browser (OAuth2)."));
    assert!(shows(&app, "Sign in"));
    assert!(!app.quick().is_busy());
    assert!(app.quick().outgoing.report().is_none());
    assert!(!shows(&app, "Outgoing (SMTP)"));
    interact(&mut app, |ui| click(ui, "App password")).await;
    let detected = app.quick().detected().unwrap();
    assert!(!detected.sign_in_required());
    assert_eq!(
        detected.profile.smtp.auth,
        outbound::core::profile::AuthMethod::Plain
    );
}

/// A damaged directory file of the user's: Detect uses the bundled entries
/// and says why the user's could not be read, instead of dropping it.
#[tokio::test]
async fn a_damaged_user_directory_is_said_not_dropped() {
    outbound::i18n::init(Some("en"));
    let sandbox = Sandbox::new();
    let directory = UserDirectory::new(&sandbox.paths());
    std::fs::create_dir_all(directory.path().parent().unwrap()).unwrap();
    std::fs::write(directory.path(), "[[provider]\nid = ").unwrap();
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), false);
    settle(&mut app, boot).await;
    fill(&mut app, "someone@yandex.ru", "pw").await;
    let test = press(&mut app, |ui| click(ui, "Test"));
    let mut stream = into_stream(test).expect("Test starts the detection");
    // Detect's answer only; the checks it starts are not run.
    while let Some(action) = stream.next().await {
        if let Action::Output(message) = action {
            let _ = app.update(message);
        }
    }
    let problem = app
        .quick()
        .directory_problem()
        .expect("the damaged file is told")
        .to_owned();
    assert_eq!(
        app.quick().detected().unwrap().profile.smtp.host,
        "smtp.yandex.ru",
        "the bundled entry"
    );
    assert!(shows(
        &app,
        &format!(
            "Your directory of providers cannot be read, so only the bundled entries were used: {problem}"
        )
    ));
}

/// No browser here (a server over SSH): the sign-in shows its address.
fn no_browser(_: &str) -> Result<(), String> {
    Err("no display".to_owned())
}

/// Sign in from the quick test, on a machine whose browser does not open:
/// the page shows the address to open by hand (and Copy), the person opens
/// it elsewhere, the sign-in finishes. The tokens stay in the page (no file,
/// no keyring entry) and the check sends the access token; Save as profile
/// puts them in the keyring under the new profile, never in a file.
#[tokio::test]
async fn signing_in_from_the_quick_test_checks_with_the_token_and_saves_it_on_request() {
    sandbox::require_private_keyring();
    outbound::i18n::init(Some("en"));
    let peer = oidc::introspecting_peer("none", None);
    let sandbox = Sandbox::new();
    UserDirectory::new(&sandbox.paths())
        .upsert(oidc::provider("quick-oauth-test", peer.port, false))
        .unwrap();
    outbound::core::oauth::replace_browser_opener(no_browser);
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), true);
    settle(&mut app, boot).await;
    let before = sandbox.snapshot();
    fill(&mut app, &format!("{}@oauth.test", support::USER), "").await;
    interact(&mut app, |ui| click(ui, "Test")).await;
    assert!(app.quick().detected().unwrap().sign_in_required());
    // Leaving the page ends a sign-in that waits (its listener closes).
    let _abandoned = press(&mut app, |ui| click(ui, "Sign in"));
    assert!(app.quick().sign_in.is_waiting());
    interact(&mut app, |ui| click(ui, "Preferences")).await;
    assert!(!app.quick().sign_in.is_waiting());
    interact(&mut app, |ui| click(ui, "Quick test")).await;
    let signing_in = press(&mut app, |ui| click(ui, "Sign in"));
    assert!(shows(&app, "Waiting for the browser: 300 s left"));
    let mut stream = into_stream(signing_in).expect("Sign in starts the flow");
    let url = loop {
        match stream.next().await {
            Some(Action::Output(message)) => {
                let _ = app.update(message);
                if let Some(url) = app.quick().sign_in.announced_url() {
                    break url.to_owned();
                }
            }
            Some(_) => {}
            None => panic!("the sign-in ended before it showed its address"),
        }
    };
    assert!(shows(
        &app,
        "The browser did not open (no display). Open this address in a browser on this computer:"
    ));
    assert!(shows(&app, &url));
    assert!(shows(&app, "Copy the sign-in address"));
    // Opened by hand in a browser elsewhere.
    std::thread::spawn(move || {
        let redirect = oidc::Browser::new().authorize(&url);
        let _ = oidc::Browser::new().get(&redirect);
    });
    let mut after = Vec::new();
    while let Some(action) = stream.next().await {
        if let Action::Output(message) = action {
            after.push(app.update(message));
        }
    }
    settle(&mut app, iced::Task::batch(after)).await;
    let report = app
        .quick()
        .outgoing
        .report()
        .expect("the check ran after the sign-in");
    assert_eq!(report.diagnosis.code, Code::Ok, "{:?}", report.steps);
    let auth = report
        .steps
        .iter()
        .find(|step| step.name.as_str() == "auth")
        .expect("an auth step");
    assert!(auth.detail.starts_with("XOAUTH2"), "{}", auth.detail);
    assert_eq!(sandbox.snapshot(), before, "the sign-in wrote a file");
    let name = format!("{}_oauth_test", support::USER);
    let oauth_key = SecretKey::profile(&sandbox.paths(), Scope::User, &name).oauth();
    let secrets = Secrets::connect().await;
    assert_eq!(secrets.get(&oauth_key).await.unwrap(), None);

    interact(&mut app, |ui| click(ui, "Save as profile")).await;
    let stored = secrets
        .get(&oauth_key)
        .await
        .unwrap()
        .expect("the tokens saved with the profile");
    let tokens: serde_json::Value = serde_json::from_str(stored.expose()).unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let _ = secrets.delete(&oauth_key).await;
    assert_eq!(
        app.editor().and_then(|e| e.saved_name()),
        Some(name.as_str())
    );
    for (path, bytes) in sandbox.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&access),
            "a token in {}",
            path.display()
        );
    }
}
