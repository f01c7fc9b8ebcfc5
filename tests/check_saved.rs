//! What a saved profile allows on every path that sends: `enabled`, the daily
//! limit and the log, for the command line and for a draft of the profile (the
//! window's unsaved edits), against the aiosmtpd peer.

mod sandbox;
mod support;

use std::process::Output;

use outbound::core::check::Progress;
use outbound::core::check::limits;
use outbound::core::check::limits::LimitError;
use outbound::core::check::saved::{self, Account, Refusal};
use outbound::core::profile::{AuthMethod, LogLevel, Profile, Security};
use outbound::core::store::Scope;
use sandbox::{Sandbox, stderr};
use support::{Peer, smtp_profile};

const PASSWORD: &str = "s3cret-pässword";

fn check(sandbox: &Sandbox, args: &[&str]) -> Output {
    sandbox
        .cmd()
        .arg("check")
        .args(args)
        .env("OB_TEST_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn office(peer: &Peer) -> Profile {
    let mut profile = smtp_profile(peer.port, Security::None, AuthMethod::Plain);
    profile.name = "office".to_owned();
    profile.test.recipients = "a@example.net".to_owned();
    profile
}

const SEND: [&str; 6] = [
    "--profile",
    "office",
    "--password-env",
    "OB_TEST_PASSWORD",
    "--send",
    "--json",
];

#[test]
fn a_disabled_profile_does_not_send_from_the_command_line() {
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let mut profile = office(&peer);
    profile.enabled = false;
    sandbox.store().save(&profile).unwrap();

    let output = check(&sandbox, &SEND);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnosis"]["code"], "profile_disabled", "{report}");
    assert!(
        report["diagnosis"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("office is disabled")),
        "{report}"
    );
    assert_eq!(peer.messages().len(), 0, "nothing reached the server");
    assert_eq!(
        limits::sent_today(&sandbox.paths(), Scope::User, "office").unwrap(),
        0
    );

    // A connection check without sending is still allowed.
    let output = check(
        &sandbox,
        &["--profile", "office", "--password-env", "OB_TEST_PASSWORD"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(peer.messages().len(), 0);

    // Enabled again, it sends.
    profile.enabled = true;
    sandbox.store().save(&profile).unwrap();
    let output = check(&sandbox, &SEND);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(peer.messages().len(), 1);
}

/// A count file that cannot be read refuses sending through a profile with a
/// limit, naming the file and what to do, instead of counting from 0.
#[test]
fn a_damaged_count_refuses_sending_with_a_limit() {
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let mut profile = office(&peer);
    profile.limits.daily = 5;
    sandbox.store().save(&profile).unwrap();
    let counts = limits::counts_file(&sandbox.paths());
    std::fs::create_dir_all(counts.parent().unwrap()).unwrap();
    std::fs::write(&counts, "{ not json").unwrap();

    // A count that cannot be kept is an environment problem (exit 2), said on
    // stderr and in the one JSON object.
    let output = check(&sandbox, &SEND);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnosis"]["code"], "cannot_start", "{report}");
    let message = stderr(&output);
    assert!(
        message.contains(&counts.display().to_string()) && message.contains("Remove the file"),
        "{message}"
    );
    assert_eq!(peer.messages().len(), 0, "nothing reached the server");
    assert_eq!(std::fs::read_to_string(&counts).unwrap(), "{ not json");
}

async fn send(
    draft: &Profile,
    account: &Account,
) -> Result<outbound::core::check::saved::Outcome, Refusal> {
    saved::run(
        draft,
        Some(account),
        Some(PASSWORD.into()),
        vec!["a@example.net".to_owned()],
        Progress::none(),
    )
    .await
}

/// The window checks the draft of an opened profile: ticking "send a test
/// message" already makes it differ from the saved one. Its message counts
/// and logs under the saved profile's scope and name, and no unsaved edit
/// lifts the saved limit, turns the saved log off or enables a disabled one.
#[tokio::test]
async fn a_draft_counts_and_logs_under_its_saved_profile() {
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let mut saved_profile = office(&peer);
    saved_profile.limits.daily = 1;
    saved_profile.log.level = LogLevel::Full;
    sandbox.store().save(&saved_profile).unwrap();
    let account = Account {
        paths: sandbox.paths(),
        scope: Scope::User,
        saved: saved_profile.clone(),
    };
    let mut draft = saved_profile.clone();
    draft.test.send_message = true;
    draft.description = "edited, not saved".to_owned();
    draft.limits.daily = 0;
    draft.log.level = LogLevel::Off;

    let outcome = send(&draft, &account).await.unwrap();
    assert!(outcome.report.sent, "{:?}", outcome.report.diagnosis);
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    assert_eq!(peer.messages().len(), 1);
    let paths = sandbox.paths();
    assert_eq!(
        limits::sent_today(&paths, Scope::User, "office").unwrap(),
        1
    );
    let logged = std::fs::read_to_string(paths.data.join("logs/office.log")).unwrap();
    assert!(logged.contains("send profile=office result=ok"), "{logged}");

    // The saved limit of 1 holds for the draft.
    let refused = send(&draft, &account).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Refusal::Limit(LimitError::Reached { limit: 1, .. })
        ),
        "{refused:?}"
    );
    assert_eq!(peer.messages().len(), 1, "nothing more was sent");

    // A system profile of the same name counts apart, in its own log.
    let mut system_profile = saved_profile.clone();
    system_profile.description = "given by the administrator".to_owned();
    sandbox.system_profile(&system_profile, false);
    let system = Account {
        scope: Scope::System,
        saved: system_profile,
        ..account.clone()
    };
    assert!(send(&draft, &system).await.unwrap().report.sent);
    assert_eq!(peer.messages().len(), 2);
    assert_eq!(
        limits::sent_today(&paths, Scope::System, "office").unwrap(),
        1
    );
    assert_eq!(
        limits::sent_today(&paths, Scope::User, "office").unwrap(),
        1
    );
    assert!(paths.data.join("logs/system/office.log").is_file());

    // A message not sent is not counted: a failed check gives it back.
    let fresh = Sandbox::new();
    let mut wrong = office(&peer);
    wrong.name = "wrong".to_owned();
    wrong.limits.daily = 1;
    fresh.store().save(&wrong).unwrap();
    let wrong_account = Account {
        paths: fresh.paths(),
        scope: Scope::User,
        saved: wrong.clone(),
    };
    let outcome = saved::run(
        &wrong,
        Some(&wrong_account),
        Some("not the password".into()),
        vec!["a@example.net".to_owned()],
        Progress::none(),
    )
    .await
    .unwrap();
    assert!(!outcome.report.sent);
    assert_eq!(
        limits::sent_today(&fresh.paths(), Scope::User, "wrong").unwrap(),
        0
    );

    // Disabled as saved, the draft does not send though it says enabled;
    // disabled in the draft, it does not send either.
    let mut disabled = account.clone();
    disabled.saved.enabled = false;
    disabled.saved.limits.daily = 0;
    let refused = send(&draft, &disabled).await.unwrap_err();
    assert!(matches!(refused, Refusal::Disabled { .. }), "{refused:?}");
    let mut disabled_draft = draft.clone();
    disabled_draft.enabled = false;
    let mut unlimited = account.clone();
    unlimited.saved.limits.daily = 0;
    let refused = send(&disabled_draft, &unlimited).await.unwrap_err();
    assert!(matches!(refused, Refusal::Disabled { .. }), "{refused:?}");
    assert_eq!(peer.messages().len(), 2, "nothing more was sent");
}

/// The same in the window: ticking "send a test message" makes the opened
/// profile a draft, and its check still counts against the saved limit.
#[tokio::test]
async fn the_window_counts_a_drafts_test_message_against_the_daily_limit() {
    use outbound::ui::app::{App, Message, Tab};
    use outbound::ui::pages::{check, smtp};
    use sandbox::ui::{interact, send, settle, shows};

    outbound::i18n::init(Some("en"));
    let peer = Peer::start("none", None, PASSWORD);
    let sandbox = Sandbox::new();
    let mut profile = office(&peer);
    profile.limits.daily = 1;
    sandbox.save(&profile);
    let (mut app, boot) = App::with(
        Ok(sandbox.store()),
        outbound::core::preferences::Preferences::default(),
        false,
    );
    settle(&mut app, boot).await;
    interact(&mut app, |ui| {
        ui.click("office").expect("the profile's row");
    })
    .await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    send(
        &mut app,
        Message::Smtp(smtp::Message::Password(PASSWORD.into())),
    )
    .await;
    let id = app.editor().unwrap().id;
    send(
        &mut app,
        Message::Check(id, check::Message::SendMessage(true)),
    )
    .await;
    assert!(
        app.editor().unwrap().is_dirty(),
        "the profile is a draft now"
    );

    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let report = app.editor().unwrap().check.report().expect("finished");
    assert!(report.sent, "{:?}", report.diagnosis);
    assert_eq!(peer.messages().len(), 1);
    assert_eq!(
        limits::sent_today(&sandbox.paths(), Scope::User, "office").unwrap(),
        1
    );

    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let refusal = LimitError::Reached {
        name: "office".into(),
        limit: 1,
    };
    use outbound::i18n::Localize;
    assert!(shows(&app, &refusal.localize()), "the refusal is shown");
    assert_eq!(peer.messages().len(), 1, "nothing more was sent");
}
