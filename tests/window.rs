//! The window driven through iced_test's simulator on the real `view`/`update`
//! (tasks run for real: files in a temporary config), and the real binary
//! opened and closed under Xvfb (DISPLAY is set by tests/run).

mod sandbox;

use std::process::Command;
use std::time::{Duration, Instant};

use iced_test::selector;
use outbound::core::exchange::Contents;
use outbound::core::preferences::{Language, Preferences};
use outbound::core::profile::{AuthMethod, Delivery, Profile};
use outbound::core::store;
use outbound::ui::app::{App, Message, Purpose};
use outbound::ui::pages::{delivery, directory, preferences};
use sandbox::Sandbox;
use sandbox::ui::{click, interact, send, settle, shows};

/// The interface language is process-wide and one test switches it: the tests of
/// this file take turns.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn prepared() -> Sandbox {
    let sandbox = Sandbox::new();
    let mut relay = Profile::named("office_relay");
    relay.delivery = Delivery::Smtp;
    relay.smtp.host = "smtp.example.org".into();
    sandbox.save(&relay);
    let mut off = Profile::named("local_mta");
    off.enabled = false;
    sandbox.save(&off);
    sandbox.system_profile(&Profile::named("relay"), false);
    std::fs::write(
        sandbox.paths().profiles().join("broken.toml"),
        "format = 1\n[profile\n",
    )
    .unwrap();
    sandbox
}

async fn started(sandbox: &Sandbox) -> App {
    outbound::i18n::init(Some("en"));
    let (mut app, boot) = App::with(Ok(sandbox.store()), Preferences::default(), false);
    settle(&mut app, boot).await;
    app
}

#[tokio::test]
async fn the_sidebar_shows_both_scopes_and_the_files_that_did_not_load() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let app = started(&sandbox).await;
    let names: Vec<&str> = app
        .sidebar()
        .rows()
        .iter()
        .map(|r| r.profile.name.as_str())
        .collect();
    assert_eq!(names, ["local_mta", "office_relay", "relay"]);
    assert!(shows(&app, "local_mta  (disabled)"));
    assert!(shows(&app, "relay  (read-only)"));
    let problem = outbound::i18n::Localize::localize(&sandbox.store().load_all().problems[0]);
    assert!(
        problem.contains("broken.toml") && problem.contains("line 2"),
        "{problem}"
    );
    assert!(shows(&app, &problem), "the broken file is not reported");
}

#[tokio::test]
async fn typing_edits_the_profile_and_save_writes_it_and_revert_restores_it() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    assert_eq!(app.editor().unwrap().draft.name, "office_relay");
    interact(&mut app, |ui| {
        ui.click(selector::id("subject_prefix")).unwrap();
        ui.typewrite("[Касса]");
    })
    .await;
    assert_eq!(app.editor().unwrap().draft.subject_prefix, "[Касса]");
    assert!(shows(&app, "unsaved"));
    assert!(shows(&app, "office_relay  *"));

    interact(&mut app, |ui| click(ui, "Save")).await;
    let saved = sandbox
        .store()
        .load_all()
        .find("office_relay")
        .unwrap()
        .profile
        .clone();
    assert_eq!(saved.subject_prefix, "[Касса]");
    assert!(!shows(&app, "unsaved"));
    assert!(shows(&app, "Saved office_relay."));

    interact(&mut app, |ui| {
        ui.click(selector::id("description")).unwrap();
        ui.typewrite("temporary");
    })
    .await;
    assert_eq!(app.editor().unwrap().draft.description, "temporary");
    interact(&mut app, |ui| click(ui, "Revert")).await;
    assert_eq!(app.editor().unwrap().draft, saved);
}

#[tokio::test]
async fn bad_input_shows_inline_messages_and_save_is_refused() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    let before = sandbox.snapshot();
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("sender.address")).unwrap();
        ui.typewrite("someone@");
    })
    .await;
    assert!(shows(&app, "“someone@” is not a valid e-mail address"));
    // A pasted CR reaches the page as one edit.
    send(
        &mut app,
        Message::Delivery(delivery::Message::SubjectPrefix("x\rBcc: a@b".into())),
    )
    .await;
    assert!(shows(&app, "line breaks are not allowed here"));

    interact(&mut app, |ui| click(ui, "SMTP")).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("smtp.port")).unwrap();
        ui.typewrite("x");
    })
    .await;
    assert!(shows(&app, "the port must be a number from 1 to 65535"));

    send(&mut app, Message::Save).await;
    assert!(shows(&app, "Not saved: correct the fields marked in red."));
    assert_eq!(sandbox.snapshot(), before, "nothing may be written");
}

#[tokio::test]
async fn pasting_a_url_into_the_host_normalises_it_visibly() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    interact(&mut app, |ui| click(ui, "SMTP")).await;
    send(
        &mut app,
        Message::Smtp(outbound::ui::pages::smtp::Message::Host(
            "ssl://smtp.yandex.ru".into(),
        )),
    )
    .await;
    let smtp = &app.editor().unwrap().draft.smtp;
    assert_eq!((smtp.host.as_str(), smtp.port), ("smtp.yandex.ru", 465));
    assert_eq!(smtp.security, outbound::core::profile::Security::Tls);
    assert!(shows(
        &app,
        "“ssl://smtp.yandex.ru” was understood as host smtp.yandex.ru, port 465, security tls"
    ));
}

#[tokio::test]
async fn detect_fills_the_smtp_page_from_the_bundled_directory() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    interact(&mut app, |ui| click(ui, "SMTP")).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("smtp.address")).unwrap();
        ui.typewrite("Someone@Yandex.RU");
    })
    .await;
    // The directory answers at once; no network is asked for a domain it knows.
    interact(&mut app, |ui| click(ui, "Detect")).await;
    assert!(shows(
        &app,
        "Yandex Mail: smtp.yandex.ru, port 465, SSL/TLS — from the bundled directory"
    ));
    interact(&mut app, |ui| click(ui, "Apply")).await;
    let draft = &app.editor().unwrap().draft;
    assert_eq!(draft.smtp.host, "smtp.yandex.ru");
    assert_eq!(draft.smtp.port, 465);
    assert_eq!(draft.smtp.security, outbound::core::profile::Security::Tls);
    assert_eq!(draft.smtp.username, "Someone@yandex.ru");
    assert!(shows(&app, "unsaved"));
}

/// Gmail signs in with OAuth, and still takes an app password: Detect offers
/// both (the sign-in first), with the hint about 2-Step Verification, and the
/// choice sets the authentication.
#[tokio::test]
async fn detect_offers_sign_in_or_an_app_password_for_gmail() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    interact(&mut app, |ui| click(ui, "SMTP")).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("smtp.address")).unwrap();
        ui.typewrite("ann@gmail.com");
    })
    .await;
    interact(&mut app, |ui| click(ui, "Detect")).await;
    assert!(!shows(&app, "Apply"), "a choice, not one Apply");
    assert!(shows(&app, "Google account (sign in)"));
    assert!(shows(
        &app,
        "An app password needs 2-Step Verification on the Google account: make one under Google Account → Security → App passwords, and type it as the password."
    ));
    interact(&mut app, |ui| click(ui, "App password")).await;
    let smtp = &app.editor().unwrap().draft.smtp;
    assert_eq!(smtp.host, "smtp.gmail.com");
    assert_eq!(smtp.auth, AuthMethod::Plain);
    assert_eq!(smtp.username, "ann@gmail.com");

    interact(&mut app, |ui| click(ui, "Detect")).await;
    interact(&mut app, |ui| click(ui, "Google account (sign in)")).await;
    assert_eq!(app.editor().unwrap().draft.smtp.auth, AuthMethod::Xoauth2);
}

/// Microsoft 365's entry: the page says what to register, and the client
/// id and the tenant typed there are saved into the user's directory.
#[tokio::test]
async fn an_oauth_provider_takes_its_client_id_and_tenant() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "Providers & domains")).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("directory.search")).unwrap();
        ui.typewrite("microsoft-365");
    })
    .await;
    interact(&mut app, |ui| click(ui, "Microsoft 365  (bundled)")).await;
    assert!(shows(
        &app,
        "To sign in, register an application with the provider once: a public client (desktop or mobile app, no secret), the redirect address http://127.0.0.1 (any port), and the scopes below; enter its client id here, or deploy it in the system directory. Outbound ships no client id: one registered for another program may not be used."
    ));
    interact(&mut app, |ui| {
        ui.click(selector::id("provider.client_id")).unwrap();
        ui.typewrite("11111111-2222-3333-4444-555555555555");
        ui.click(selector::id("provider.tenant")).unwrap();
        ui.typewrite("organizations");
    })
    .await;
    // Save is below the fold at the simulator's size: sent as it sends.
    send(&mut app, Message::Directory(directory::Message::Save)).await;
    let user = outbound::core::directory::UserDirectory::new(&sandbox.paths());
    let saved = user.read().unwrap();
    let entry = saved
        .provider
        .iter()
        .find(|p| p.id == "microsoft-365")
        .expect("saved into the user's directory");
    let outbound::core::directory::Auth::Oauth2 {
        client_id, tenant, ..
    } = &entry.auth
    else {
        panic!("not OAuth: {:?}", entry.auth);
    };
    assert_eq!(client_id, "11111111-2222-3333-4444-555555555555");
    assert_eq!(tenant, "organizations");
}

#[tokio::test]
async fn the_providers_page_searches_edits_refuses_and_imports() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut yandex_user = Profile::named("yandex_user");
    yandex_user.delivery = Delivery::Smtp;
    yandex_user.smtp.host = "smtp.yandex.ru".into();
    sandbox.save(&yandex_user);
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "Providers & domains")).await;
    assert!(shows(&app, "Yandex Mail  (bundled)"));
    assert!(shows(&app, "Gmail  (bundled)") || shows(&app, "Google Mail  (bundled)"));
    interact(&mut app, |ui| {
        ui.click(selector::id("directory.search")).unwrap();
        ui.typewrite("yandex.ru");
    })
    .await;
    assert!(shows(&app, "Yandex Mail  (bundled)"));
    assert!(!shows(&app, "Gmail  (bundled)") && !shows(&app, "Google Mail  (bundled)"));

    // Deleting a provider in use is refused, naming the profile.
    interact(&mut app, |ui| click(ui, "Yandex Mail  (bundled)")).await;
    // The sidebar has a Delete and a New of its own: the page's are sent as they send.
    send(&mut app, Message::Directory(directory::Message::Delete)).await;
    assert!(shows(
        &app,
        "Provider yandex is used by these profiles, so it is kept: yandex_user"
    ));

    // A provider of one's own, with a domain, saved into the user's directory.
    send(&mut app, Message::Directory(directory::Message::New)).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("provider.id")).unwrap();
        ui.typewrite("corp");
        ui.click(selector::id("provider.name")).unwrap();
        ui.typewrite("Corp Mail");
        ui.click(selector::id("provider.smtp.host")).unwrap();
        ui.typewrite("mail.corp.example");
        ui.click(selector::id("provider.new_domain")).unwrap();
        ui.typewrite("Corp.Example");
    })
    .await;
    interact(&mut app, |ui| click(ui, "Add")).await;
    interact(&mut app, |ui| click(ui, "Save")).await;
    assert!(shows(&app, "Provider corp is saved in your directory."));
    let user = outbound::core::directory::UserDirectory::new(&sandbox.paths());
    let saved = user.read().unwrap();
    let corp = saved.provider.iter().find(|p| p.id == "corp").unwrap();
    assert_eq!(corp.domains, ["corp.example"]);
    assert_eq!(
        (corp.smtp.host.as_str(), corp.smtp.port),
        ("mail.corp.example", 465)
    );
    send(
        &mut app,
        Message::Directory(directory::Message::Search("corp".into())),
    )
    .await;
    assert!(shows(&app, "Corp Mail  (added by you)"));
    assert!(!shows(&app, "Yandex Mail  (bundled)"));

    // Thunderbird's autoconfig file, through the file dialog's answer.
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ispdb/df.eu.xml");
    send(
        &mut app,
        Message::Picked {
            purpose: Purpose::ImportAutoconfig,
            path: Some(file),
            after: Duration::from_secs(1),
        },
    )
    .await;
    assert!(shows(
        &app,
        "Imported df.eu (domainFACTORY) into your directory"
    ));
    assert!(
        user.read()
            .unwrap()
            .provider
            .iter()
            .any(|p| p.id == "df.eu")
    );
}

#[tokio::test]
async fn the_sendmail_tab_names_the_mail_system_behind_the_path() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let link = sandbox.path("sendmail");
    std::os::unix::fs::symlink("/usr/bin/msmtp", &link).unwrap();
    let mut profile = Profile::named("via_link");
    profile.sendmail.path = link.display().to_string();
    sandbox.save(&profile);
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "via_link")).await;
    interact(&mut app, |ui| click(ui, "Sendmail")).await;
    let real = std::fs::canonicalize("/usr/bin/msmtp").unwrap();
    assert!(shows(&app, &format!("{} — msmtp", real.display())));
    // A path with nothing there says so.
    let id = app.editor().unwrap().id;
    send(
        &mut app,
        Message::Sendmail(
            id,
            outbound::ui::pages::sendmail::Message::Path("/nonexistent/sendmail".into()),
        ),
    )
    .await;
    let missing =
        outbound::core::check::sendmail::locate(std::path::Path::new("/nonexistent/sendmail"))
            .unwrap_err()
            .message();
    assert!(shows(&app, &missing), "{missing}");
}

#[tokio::test]
async fn system_profiles_cannot_be_edited() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "relay  (read-only)")).await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::Description("changed".into())),
    )
    .await;
    assert_eq!(app.editor().unwrap().draft.description, "");
}

/// In the administrator's session (the system folder writable) a system
/// profile is not marked read-only, takes edits and saves into its own folder.
#[tokio::test]
async fn system_profiles_are_edited_in_place_where_writable() {
    let _serial = SERIAL.lock().await;
    let sandbox = Sandbox::new();
    sandbox.system_profile(&Profile::named("relay"), true);
    let mut app = started(&sandbox).await;
    assert!(!shows(&app, "relay  (read-only)"));
    interact(&mut app, |ui| click(ui, "relay")).await;
    send(
        &mut app,
        Message::Delivery(delivery::Message::Description("For everyone".into())),
    )
    .await;
    assert_eq!(app.editor().unwrap().draft.description, "For everyone");
    interact(&mut app, |ui| click(ui, "Save")).await;
    let saved = store::read_profile(&sandbox.paths().system_profiles.join("relay.toml")).unwrap();
    assert_eq!(saved.description, "For everyone");
    assert!(!sandbox.paths().profile_file("relay").exists());
}

#[tokio::test]
async fn switching_the_language_changes_the_texts_without_restart() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "Preferences")).await;
    assert!(shows(&app, "Language"));
    // A pick list draws its own text, so the choice is sent as the list sends it.
    send(
        &mut app,
        Message::Preferences(preferences::Message::Language(Language::Ru)),
    )
    .await;
    assert!(shows(&app, "Язык"), "the page is not in Russian");
    assert!(shows(&app, "Параметры"));
    let saved = outbound::core::preferences::load(&sandbox.paths().config).unwrap();
    assert_eq!(saved.language, Language::Ru);
    send(
        &mut app,
        Message::Preferences(preferences::Message::Language(Language::En)),
    )
    .await;
    assert!(shows(&app, "Language"));
}

/// At 800×600, the smallest size the window is meant for, every tab and every
/// sidebar action lies inside the window at its full size (as in a wide window:
/// not squeezed, which clips or breaks its label), in English and in the longer
/// Russian.
#[tokio::test]
async fn at_800_by_600_every_tab_and_action_is_whole_and_inside_the_window() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    let keys = [
        "tab-delivery",
        "tab-smtp",
        "tab-sendmail",
        "tab-check",
        "action-new",
        "action-duplicate",
        "action-delete",
        "action-import",
        "action-export",
    ];
    for language in ["en", "ru"] {
        outbound::i18n::init(Some(language));
        let bounds_at = |width: f32, label: &str| {
            let mut ui = iced_test::Simulator::with_size(
                iced_test::core::Settings::default(),
                (width, 600.0),
                app.view(),
            );
            ui.find(label)
                .unwrap_or_else(|_| panic!("{language}, {width} px: no {label:?}"))
                .bounds()
        };
        for key in keys {
            let label = outbound::i18n::tr(key);
            let small = bounds_at(800.0, &label);
            let wide = bounds_at(2000.0, &label);
            assert!(
                small.x >= 0.0 && small.x + small.width <= 800.0 && small.size() == wide.size(),
                "{language}: {label:?} at {small:?} is cut off (whole: {wide:?})"
            );
        }
    }
    outbound::i18n::init(Some("en"));
}

#[tokio::test]
async fn an_import_with_a_conflict_asks_and_does_what_was_chosen() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let file = sandbox.path("incoming.toml");
    let mut incoming = Profile::named("office_relay");
    incoming.description = "theirs".into();
    outbound::core::exchange::export(&Contents::of_profiles(vec![incoming]), &file).unwrap();
    let mut app = started(&sandbox).await;
    // The file dialog's answer.
    send(
        &mut app,
        Message::Picked {
            purpose: Purpose::Import,
            path: Some(file.clone()),
            after: Duration::from_secs(2),
        },
    )
    .await;
    assert!(shows(
        &app,
        "These profiles exist already: office_relay. What should the import do with them?"
    ));
    interact(&mut app, |ui| click(ui, "Import under new names")).await;
    let loaded = sandbox.store().load_all();
    assert_eq!(
        loaded.find("office_relay_2").unwrap().profile.description,
        "theirs"
    );
    assert_eq!(loaded.find("office_relay").unwrap().profile.description, "");
    assert!(shows(&app, "office_relay_2"));

    send(
        &mut app,
        Message::Picked {
            purpose: Purpose::Import,
            path: Some(file),
            after: Duration::from_secs(2),
        },
    )
    .await;
    interact(&mut app, |ui| click(ui, "Replace")).await;
    assert_eq!(
        sandbox
            .store()
            .load_all()
            .find("office_relay")
            .unwrap()
            .profile
            .description,
        "theirs"
    );
}

#[tokio::test]
async fn without_a_file_dialog_a_path_field_is_offered() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    // No portal: the dialog answers nothing at once.
    send(
        &mut app,
        Message::Picked {
            purpose: Purpose::Export,
            path: None,
            after: Duration::from_millis(3),
        },
    )
    .await;
    assert!(shows(
        &app,
        "No file dialog is available on this desktop; type the path instead."
    ));
    let target = sandbox.path("exported.toml");
    send(&mut app, Message::PathText(target.display().to_string())).await;
    send(&mut app, Message::PathSubmit).await;
    let imported = outbound::core::exchange::read_import(&target).unwrap();
    assert_eq!(imported.profiles.len(), 3);
    assert!(shows(&app, "Exported 3 profiles."));
}

/// A test's click on something the window does not show fails that test,
/// naming what was to be clicked, instead of passing having done nothing.
#[tokio::test]
#[should_panic(expected = "nothing to click at text == \"no_such_profile\"")]
async fn a_click_on_something_not_shown_fails_the_test() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "no_such_profile")).await;
}

/// So does a click on a disabled button (Save with nothing to save).
#[tokio::test]
#[should_panic(expected = "text == \"Save\" did not take the click")]
async fn a_click_on_a_disabled_button_fails_the_test() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| click(ui, "office_relay")).await;
    interact(&mut app, |ui| click(ui, "Save")).await;
}

#[test]
fn the_real_window_opens_and_closes_cleanly() {
    let display = std::env::var("DISPLAY").expect("tests/run provides an Xvfb DISPLAY");
    let sandbox = prepared();
    let mut app = sandbox
        .cmd()
        .env("DISPLAY", &display)
        .env("ICED_BACKEND", "tiny-skia")
        .spawn()
        .unwrap();
    let search = Command::new("timeout")
        .args([
            "20",
            "xdotool",
            "search",
            "--sync",
            "--onlyvisible",
            "--name",
            "^Outbound",
        ])
        .env("DISPLAY", &display)
        .output()
        .unwrap();
    let window = String::from_utf8_lossy(&search.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(!window.is_empty(), "no window appeared");
    assert!(
        app.try_wait().unwrap().is_none(),
        "the application exited early"
    );
    let keys = Command::new("xdotool")
        .args([
            "windowfocus",
            "--sync",
            &window,
            "key",
            "--clearmodifiers",
            "ctrl+q",
        ])
        .env("DISPLAY", &display)
        .status()
        .unwrap();
    assert!(keys.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = app.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let _ = app.kill();
            panic!("the window did not close on Ctrl+Q");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn the_provider_draft_keeps_unsaved_typing_across_directory_reloads() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    let click = |target: &'static str| {
        move |ui: &mut iced_test::Simulator<'_, Message>| {
            ui.click(target)
                .unwrap_or_else(|e| panic!("{target}: {e:?}"));
        }
    };
    interact(&mut app, click("Providers & domains")).await;
    interact(&mut app, click("Yandex Mail  (bundled)")).await;
    interact(&mut app, |ui| {
        ui.click(selector::id("provider.name")).unwrap();
        ui.tap_key(iced::keyboard::key::Named::End);
        ui.typewrite(" (work)");
    })
    .await;
    assert!(shows(&app, "Yandex Mail (work)"), "the typing is not shown");

    // An import adds a provider and the directory is read again.
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ispdb/df.eu.xml");
    send(
        &mut app,
        Message::Picked {
            purpose: Purpose::ImportAutoconfig,
            path: Some(file),
            after: Duration::from_secs(1),
        },
    )
    .await;
    assert!(shows(&app, "domainFACTORY  (added by you)"));
    assert!(
        shows(&app, "Yandex Mail (work)"),
        "the reload overwrote the typing"
    );

    // Changed underneath: the typing stays, and the page says so.
    let user = outbound::core::directory::UserDirectory::new(&sandbox.paths());
    let directory = user.load().0;
    let mut yandex = directory
        .entries()
        .iter()
        .find(|e| e.provider.id == "yandex")
        .unwrap()
        .provider
        .clone();
    yandex.name = "Yandex (changed elsewhere)".into();
    user.upsert(yandex).unwrap();
    interact(&mut app, click("Providers & domains")).await;
    assert!(shows(&app, "Yandex Mail (work)"));
    assert!(shows(
        &app,
        "This provider was changed elsewhere since you started editing; your unsaved changes are kept. Save writes them over the stored version."
    ));

    // A draft without unsaved changes follows what is stored.
    send(
        &mut app,
        Message::Directory(directory::Message::Search("domainfactory".into())),
    )
    .await;
    interact(&mut app, click("domainFACTORY  (added by you)")).await;
    let mut df = user
        .read()
        .unwrap()
        .provider
        .into_iter()
        .find(|p| p.id == "df.eu")
        .unwrap();
    df.name = "domainFACTORY renamed".into();
    user.upsert(df).unwrap();
    interact(&mut app, click("Providers & domains")).await;
    assert!(shows(&app, "domainFACTORY renamed  (added by you)"));
    // The editor's heading is the draft's name.
    assert!(shows(&app, "domainFACTORY renamed"));

    // Gone underneath with unsaved changes: the typing stays, and the page says so.
    interact(&mut app, |ui| {
        ui.click(selector::id("provider.name")).unwrap();
        // A click in the middle of a long name puts the cursor there.
        ui.tap_key(iced::keyboard::key::Named::End);
        ui.typewrite(" (mine)");
    })
    .await;
    assert!(shows(&app, "domainFACTORY renamed (mine)"));
    user.delete("df.eu").unwrap();
    interact(&mut app, click("Providers & domains")).await;
    assert!(!shows(&app, "domainFACTORY renamed (mine)  (added by you)"));
    assert!(shows(&app, "domainFACTORY renamed (mine)"));
    assert!(shows(
        &app,
        "This provider is no longer in the directory; your unsaved changes are kept. Save adds it again."
    ));
}

#[tokio::test]
async fn the_sendmail_tab_says_a_password_in_the_arguments_is_stored_in_clear() {
    let _serial = SERIAL.lock().await;
    let sandbox = prepared();
    let mut app = started(&sandbox).await;
    interact(&mut app, |ui| {
        ui.click("office_relay").expect("the profile is listed");
    })
    .await;
    interact(&mut app, |ui| {
        ui.click("Sendmail").expect("the Sendmail tab is shown");
    })
    .await;
    let warning = outbound::i18n::tr("sendmail-args-password");
    assert!(warning.contains("stored in clear") && warning.contains("keyring"));
    assert!(shows(&app, &warning), "the Sendmail tab does not warn");
}
