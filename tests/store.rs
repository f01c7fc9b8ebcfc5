//! Profiles on disk: round trip, broken files, formats, scopes, crash safety.

mod sandbox;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use outbound::core::profile::Profile;
use outbound::core::store::{self, Scope, StoreError};
use outbound::i18n::Localize;
use sandbox::{Sandbox, full_profile};

#[test]
fn every_field_round_trips_with_cyrillic_text() {
    let sandbox = Sandbox::new();
    let profile = full_profile("kassa");
    let path = sandbox.store().save(&profile).unwrap();
    assert_eq!(path, sandbox.paths().profile_file("kassa"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("format = 1\n"), "{text}");
    assert!(
        text.contains("Касса №1"),
        "stored as readable UTF-8: {text}"
    );
    let loaded = sandbox.store().load_all();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.profiles.len(), 1);
    assert_eq!(loaded.profiles[0].profile, profile);
    assert_eq!(loaded.profiles[0].scope, Scope::User);
}

#[test]
fn files_are_private_to_the_user() {
    let sandbox = Sandbox::new();
    let path = sandbox.store().save(&Profile::named("private")).unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// System profiles are for every user of the machine and hold no secret:
/// saved (and renamed) in the administrator's session, they stay readable by
/// everyone, while the user's own files stay private.
#[test]
fn system_profiles_are_written_readable_by_every_user() {
    let sandbox = Sandbox::new();
    sandbox.system_profile(&Profile::named("relay"), true);
    let store = sandbox.store();
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let path = store
        .save_in(Scope::System, &full_profile("relay"))
        .unwrap();
    assert_eq!(mode(&path), 0o644);
    store.rename_in(Scope::System, "relay", "office").unwrap();
    let renamed = sandbox.paths().system_profiles.join("office.toml");
    assert_eq!(mode(&renamed), 0o644);
    let created = store
        .save_in(Scope::System, &Profile::named("new"))
        .unwrap();
    assert_eq!(mode(&created), 0o644);
    // The user's scope beside it stays 0600.
    let user = store.save(&Profile::named("relay")).unwrap();
    assert_eq!(mode(&user), 0o600);
    let user = store
        .save_in(Scope::User, &Profile::named("office"))
        .unwrap();
    assert_eq!(mode(&user), 0o600);
}

#[test]
fn missing_fields_take_their_defaults() {
    let sandbox = Sandbox::new();
    let dir = sandbox.paths().profiles();
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("tiny.toml"),
        "format = 1\n[profile]\nname = \"tiny\"\n",
    )
    .unwrap();
    let loaded = sandbox.store().load_all();
    assert_eq!(loaded.profiles[0].profile, Profile::named("tiny"));
}

#[test]
fn a_broken_file_is_reported_with_line_and_column_and_the_others_load() {
    let sandbox = Sandbox::new();
    sandbox.save(&Profile::named("good"));
    let dir = sandbox.paths().profiles();
    let broken = "format = 1\n[profile]\nname = \"broken\"\n[profile.smtp]\nport = \"five\"\n";
    fs::write(dir.join("broken.toml"), broken).unwrap();
    fs::write(dir.join("garbage.toml"), "\u{0}\u{1} this is [not toml").unwrap();
    let loaded = sandbox.store().load_all();
    assert_eq!(loaded.profiles.len(), 1);
    assert_eq!(loaded.profiles[0].profile.name, "good");
    assert_eq!(loaded.problems.len(), 2);
    let message = loaded
        .problems
        .iter()
        .map(Localize::localize)
        .find(|m| m.contains("broken.toml"))
        .unwrap();
    assert!(message.contains("line 5, column 8"), "{message}");
    assert!(message.contains("smtp.port"), "{message}");
}

#[test]
fn a_newer_format_is_refused_for_what_it_is() {
    let sandbox = Sandbox::new();
    let dir = sandbox.paths().profiles();
    fs::create_dir_all(&dir).unwrap();
    // A newer file may have fields this version does not know: the format speaks first.
    fs::write(
        dir.join("future.toml"),
        "format = 2\n[profile]\nname = \"future\"\nquantum = true\n",
    )
    .unwrap();
    let loaded = sandbox.store().load_all();
    let message = loaded.problems[0].localize();
    assert!(
        message.contains("format 2") && message.contains("newer"),
        "{message}"
    );
}

#[test]
fn unknown_fields_and_mismatched_names_are_reported() {
    let sandbox = Sandbox::new();
    let dir = sandbox.paths().profiles();
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("typo.toml"),
        "format = 1\n[profile]\nname = \"typo\"\n[profile.smtp]\nhots = \"x\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("copy.toml"),
        "format = 1\n[profile]\nname = \"original\"\n",
    )
    .unwrap();
    let loaded = sandbox.store().load_all();
    let messages: Vec<String> = loaded.problems.iter().map(Localize::localize).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("hots") && m.contains("line 5")),
        "{messages:?}"
    );
    assert!(
        loaded
            .problems
            .iter()
            .any(|p| matches!(p, StoreError::NameMismatch { inner, .. } if inner == "original")),
        "{messages:?}"
    );
}

#[test]
fn system_profiles_are_listed_and_read_only() {
    let sandbox = Sandbox::new();
    sandbox.system_profile(&Profile::named("relay"), false);
    let loaded = sandbox.store().load_all();
    assert_eq!(loaded.find("relay").unwrap().scope, Scope::System);
    assert!(!sandbox.store().is_writable(Scope::System));
    assert!(matches!(
        sandbox
            .store()
            .save_in(Scope::System, &Profile::named("relay")),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        sandbox.store().delete("relay"),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        sandbox.store().rename("relay", "x"),
        Err(StoreError::ReadOnly(_))
    ));
    // A user profile of the same name shadows the system one.
    sandbox.save(&Profile::named("relay"));
    assert_eq!(
        sandbox.store().load_all().find("relay").unwrap().scope,
        Scope::User
    );
}

/// "Read-only unless writable": in the session of the folder's owner (the
/// administrator) system profiles are saved, renamed and deleted in place.
#[test]
fn system_profiles_are_editable_where_their_folder_is_writable() {
    let sandbox = Sandbox::new();
    sandbox.system_profile(&Profile::named("relay"), true);
    let store = sandbox.store();
    assert!(store.is_writable(Scope::System));
    let mut relay = Profile::named("relay");
    relay.description = "Given by the administrator".into();
    let path = store.save_in(Scope::System, &relay).unwrap();
    assert_eq!(path, sandbox.paths().system_profiles.join("relay.toml"));
    assert!(
        !sandbox.paths().profile_file("relay").exists(),
        "nothing written to the user's scope"
    );
    let (renamed, _password) = store.rename_in(Scope::System, "relay", "office").unwrap();
    assert_eq!(renamed.description, "Given by the administrator");
    let loaded = store.load_all();
    assert_eq!(loaded.find("office").unwrap().scope, Scope::System);
    assert!(loaded.find("relay").is_none());
    // By name alone, the user's profile of that name is meant first.
    sandbox.save(&Profile::named("office"));
    store.delete("office").unwrap();
    let loaded = store.load_all();
    assert_eq!(loaded.find("office").unwrap().scope, Scope::System);
    store.delete("office").unwrap();
    assert!(store.load_all().profiles.is_empty());
}

#[test]
fn rename_and_delete() {
    let sandbox = Sandbox::new();
    let store = sandbox.store();
    store.save(&full_profile("old")).unwrap();
    store.save(&Profile::named("taken")).unwrap();
    assert!(matches!(
        store.rename("old", "taken"),
        Err(StoreError::Exists(_))
    ));
    let (renamed, _password) = store.rename("old", "new").unwrap();
    assert_eq!(renamed, full_profile("new"));
    let names: Vec<String> = store
        .load_all()
        .profiles
        .into_iter()
        .map(|p| p.profile.name)
        .collect();
    assert_eq!(names, ["new", "taken"]);
    store.delete("new").unwrap();
    assert!(matches!(store.delete("new"), Err(StoreError::NotFound(_))));
    // A name that is not a profile name never reaches the file system.
    assert!(matches!(
        store.delete("../etc/passwd"),
        Err(StoreError::NotFound(_))
    ));
}

/// Run by `killed_writers_leave_the_old_or_the_new_file` in a child process: saves
/// two versions of one profile alternately until it is killed.
#[test]
#[ignore = "child process of the crash-safety test"]
fn save_loop_child() {
    let Ok(dir) = std::env::var("OUTBOUND_SAVE_LOOP_DIR") else {
        return;
    };
    let paths = store::Paths {
        config: dir.clone().into(),
        data: dir.clone().into(),
        system_profiles: format!("{dir}/none").into(),
    };
    let store = store::Store::new(paths);
    let versions = crash_versions();
    println!("ready");
    for round in 0.. {
        store.save(&versions[round % 2]).unwrap();
    }
}

fn crash_versions() -> [Profile; 2] {
    let mut long = full_profile("crash");
    // A file larger than one page, so a torn write would be visible.
    long.description = "длинное описание ".repeat(400);
    [Profile::named("crash"), long]
}

#[test]
fn killed_writers_leave_the_old_or_the_new_file() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path("crash");
    let file = dir.join("profiles/crash.toml");
    let expected: Vec<String> = crash_versions().iter().map(store::render).collect();
    for round in 0..40u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "save_loop_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("OUTBOUND_SAVE_LOOP_DIR", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child writes, then kill it at a varying moment.
        let mut ready = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut ready,
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(3 + (round * 7) % 40));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if !file.exists() {
            continue; // killed before the first rename: nothing there yet is also intact
        }
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            expected.contains(&text),
            "round {round}: torn file of {} bytes",
            text.len()
        );
        assert!(store::read_profile(&file).is_ok());
    }
    assert!(file.exists(), "the child never completed a save");
}

/// A write killed before its rename leaves a temporary file; the next start
/// removes those with a name the project owns (`.outbound-<pid>-<n>.tmp`, and
/// `.NAME.toml.<pid>.<n>.tmp` of earlier versions) older than itself, and
/// leaves a newer one (another process may be writing it now) and every file
/// of the user's, whatever its name.
#[test]
fn temporaries_of_unfinished_writes_are_swept_at_start() {
    let sandbox = Sandbox::new();
    sandbox.store().save(&Profile::named("kept")).unwrap();
    let dir = sandbox.paths().profiles();
    let config = sandbox.paths().config;
    let stale = [
        dir.join(".outbound-4242-0.tmp"),
        dir.join(".kept.toml.4242.0.tmp"),
        config.join(".outbound-4242-1.tmp"),
    ];
    let fresh = dir.join(".outbound-4243-0.tmp");
    let users = [
        dir.join(".notes.tmp"),
        dir.join(".kept.toml.tmp"),
        config.join("draft.outbound-1-2.tmp"),
    ];
    let a_minute_ago = std::time::SystemTime::now() - Duration::from_secs(60);
    for path in stale.iter().chain(&users) {
        fs::write(path, "format = 1\n[profile]\nname = \"ke").unwrap();
        set_modified(path, a_minute_ago);
    }
    fs::write(&fresh, "format = 1").unwrap();
    set_modified(
        &fresh,
        std::time::SystemTime::now() + Duration::from_secs(3600),
    );
    outbound::core::journal::recover(&sandbox.paths()).unwrap();
    for path in &stale {
        assert!(!path.exists(), "{} is gone", path.display());
    }
    assert!(
        fresh.exists(),
        "a temporary newer than this process is left alone"
    );
    for path in &users {
        assert!(path.exists(), "the user's {} is left alone", path.display());
    }
    let loaded = sandbox.store().load_all();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.profiles.len(), 1);
}

fn set_modified(path: &std::path::Path, when: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// `outbound send` falls back to the default profile by name: a rename or a
/// delete that left the preferences naming the old profile would make every
/// unmatched message fail with "no profile".
#[test]
fn the_default_profile_follows_a_rename_and_goes_with_a_delete() {
    use outbound::core::preferences::{self, Language, Preferences};
    let sandbox = Sandbox::new();
    let config = sandbox.paths().config;
    let store = sandbox.store();
    store.save(&Profile::named("office")).unwrap();
    store.save(&Profile::named("other")).unwrap();
    let chosen = Preferences {
        language: Language::Ru,
        default_profile: "office".into(),
        ..Preferences::default()
    };
    preferences::save(&config, &chosen).unwrap();

    // Another profile's rename leaves the default alone.
    store.rename("other", "spare").unwrap();
    assert_eq!(preferences::load(&config).unwrap(), chosen);

    store.rename("office", "work").unwrap();
    let after = preferences::load(&config).unwrap();
    assert_eq!(after.default_profile, "work");
    assert_eq!(after.language, Language::Ru, "the other preferences stay");
    let mode = fs::metadata(preferences::file(&config))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    store.delete("spare").unwrap();
    assert_eq!(preferences::load(&config).unwrap().default_profile, "work");
    store.delete("work").unwrap();
    let after = preferences::load(&config).unwrap();
    assert_eq!(after.default_profile, "");
    assert_eq!(after.language, Language::Ru);
}
