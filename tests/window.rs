//! The window: the profile list driven through iced_test's simulator, and the
//! real binary opened and closed under Xvfb (DISPLAY is set by tests/run).

mod sandbox;

use std::process::Command;
use std::time::{Duration, Instant};

use iced_test::simulator;
use outbound::core::profile::Profile;
use outbound::core::store;
use outbound::ui::pages::profiles;
use sandbox::Sandbox;

fn prepared() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.save(&Profile::named("office_relay"));
    let mut off = Profile::named("local_mta");
    off.enabled = false;
    sandbox.save(&off);
    let system = sandbox.paths().system_profiles;
    std::fs::create_dir_all(&system).unwrap();
    std::fs::write(
        system.join("relay.toml"),
        store::render(&Profile::named("relay")),
    )
    .unwrap();
    std::fs::write(
        sandbox.paths().profiles().join("broken.toml"),
        "format = 1\n[profile\n",
    )
    .unwrap();
    sandbox
}

#[test]
fn the_list_shows_both_scopes_and_the_files_that_did_not_load() {
    outbound::i18n::init(Some("en"));
    let sandbox = prepared();
    let (mut state, _load) = profiles::State::new(Ok(sandbox.store()));
    let _ = state.update(profiles::load(&sandbox.store()));
    let names: Vec<&str> = state.rows().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["local_mta", "office_relay", "relay"]);

    let mut ui = simulator(state.view());
    assert!(ui.find("office_relay").is_ok());
    assert!(ui.find("local_mta  (disabled)").is_ok());
    assert!(ui.find("relay  (read-only)").is_ok());
    let problem = outbound::i18n::Localize::localize(&sandbox.store().load_all().problems[0]);
    assert!(
        problem.contains("broken.toml") && problem.contains("line 2"),
        "{problem}"
    );
    assert!(
        ui.find(problem.as_str()).is_ok(),
        "the broken file is not reported"
    );
    let _ = ui.click("office_relay");
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(
        matches!(messages.as_slice(), [profiles::Message::Select(name)] if name == "office_relay")
    );
    let (_, event) = state.update(messages.into_iter().next().unwrap());
    assert!(matches!(event, Some(profiles::Event::Selected(name)) if name == "office_relay"));
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
