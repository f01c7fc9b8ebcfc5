//! Export and import through the real command line: round trip, conflict
//! policies, and bad files that change nothing.

mod sandbox;

use std::fs;

use outbound::core::directory::{Auth, Login, Provider, Server, UserDirectory};
use outbound::core::profile::{Delivery, Profile, Security};
use sandbox::{Sandbox, full_profile, stderr, stdout};

fn names(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .store()
        .load_all()
        .profiles
        .into_iter()
        .map(|p| p.profile.name)
        .collect()
}

#[test]
fn export_then_import_into_an_empty_config_gives_equal_profiles() {
    let source = Sandbox::new();
    source.save(&full_profile("kassa"));
    source.save(&Profile::named("local_mta"));
    let file = source.path("export.toml");
    let out = source.run(&["profile", "export", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let target = Sandbox::new();
    let out = target.run(&["profile", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("added kassa"), "{}", stdout(&out));
    let original: Vec<Profile> = source
        .store()
        .load_all()
        .profiles
        .into_iter()
        .map(|p| p.profile)
        .collect();
    let imported: Vec<Profile> = target
        .store()
        .load_all()
        .profiles
        .into_iter()
        .map(|p| p.profile)
        .collect();
    assert_eq!(original, imported);
}

#[test]
fn export_of_named_profiles_only() {
    let sandbox = Sandbox::new();
    sandbox.save(&Profile::named("a"));
    sandbox.save(&Profile::named("b"));
    let file = sandbox.path("only_b.toml");
    let out = sandbox.run(&["profile", "export", "b", "-o", file.to_str().unwrap()]);
    assert!(out.status.success());
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("name = \"b\"") && !text.contains("name = \"a\""),
        "{text}"
    );
    let out = sandbox.run(&["profile", "export", "nope", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope"));
}

fn conflict_setup() -> (Sandbox, std::path::PathBuf) {
    let sandbox = Sandbox::new();
    let mut existing = Profile::named("relay");
    existing.description = "mine".into();
    sandbox.save(&existing);
    sandbox.save(&Profile::named("relay_2"));
    let mut incoming = Profile::named("relay");
    incoming.description = "theirs".into();
    let file = sandbox.path("in.toml");
    outbound::core::exchange::export(
        &outbound::core::exchange::Contents::of_profiles(vec![incoming, Profile::named("fresh")]),
        &file,
    )
    .unwrap();
    (sandbox, file)
}

fn description(sandbox: &Sandbox, name: &str) -> String {
    sandbox
        .store()
        .load_all()
        .find(name)
        .unwrap()
        .profile
        .description
        .clone()
}

#[test]
fn a_conflict_without_a_policy_changes_nothing_and_names_the_profiles() {
    let (sandbox, file) = conflict_setup();
    let before = sandbox.snapshot();
    let out = sandbox.run(&["profile", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("relay") && stderr(&out).contains("--on-conflict"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sandbox.snapshot(), before);
}

/// Imports the conflict set-up's file with `--on-conflict POLICY` (and any
/// further arguments); returns the sandbox and the command's output.
fn import_with_policy(policy: &str, more: &[&str]) -> (Sandbox, std::process::Output) {
    let (sandbox, file) = conflict_setup();
    let mut args = vec![
        "profile",
        "import",
        file.to_str().unwrap(),
        "--on-conflict",
        policy,
    ];
    args.extend_from_slice(more);
    let out = sandbox.run(&args);
    assert!(out.status.success(), "{policy}: {}", stderr(&out));
    (sandbox, out)
}

#[test]
fn conflict_policies() {
    let (sandbox, _) = import_with_policy("skip", &[]);
    assert_eq!(description(&sandbox, "relay"), "mine");
    assert_eq!(names(&sandbox), ["fresh", "relay", "relay_2"]);

    let (sandbox, _) = import_with_policy("replace", &[]);
    assert_eq!(description(&sandbox, "relay"), "theirs");

    let (sandbox, out) = import_with_policy("rename", &["--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["renamed"][0]["to"], "relay_3");
    assert_eq!(description(&sandbox, "relay"), "mine");
    assert_eq!(description(&sandbox, "relay_3"), "theirs");
}

/// Each bad file exits 2, names the line and the field, and leaves the config as it was.
#[test]
fn bad_imports_name_the_line_and_field_and_change_nothing() {
    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "invalid TOML",
            "format = 1\n[[profile]]\nname = \"x\"\ndescription = \"unclosed\n",
            &["line 4"],
        ),
        (
            "wrong type",
            "format = 1\n[[profile]]\nname = \"x\"\n[profile.smtp]\nport = \"587\"\n",
            &["line 5", "smtp.port"],
        ),
        (
            "port out of range",
            "format = 1\n[[profile]]\nname = \"x\"\n[profile.smtp]\nport = 70000\n",
            &["line 5", "smtp.port"],
        ),
        (
            "newer format",
            "format = 7\n[[profile]]\nname = \"x\"\n",
            &["format 7"],
        ),
        (
            "duplicate names",
            "format = 1\n[[profile]]\nname = \"x\"\n[[profile]]\nname = \"y\"\n[[profile]]\nname = \"x\"\n",
            &["line 7", "“x”", "twice"],
        ),
        (
            "CR/LF injection",
            "format = 1\n[[profile]]\nname = \"ok\"\n[[profile]]\nname = \"x\"\nsubject_prefix = \"hi\\r\\nBcc: victim@example.org\"\n",
            &["line 6", "subject_prefix"],
        ),
        (
            "unknown delivery method",
            "format = 1\n[[profile]]\nname = \"x\"\ndelivery = \"pigeon\"\n",
            &["line 4", "delivery", "pigeon"],
        ),
        (
            "bad name",
            "format = 1\n[[profile]]\nname = \"x y\"\n",
            &["line 3", "name"],
        ),
    ];
    for (what, text, expected) in cases {
        let sandbox = Sandbox::new();
        sandbox.save(&full_profile("existing"));
        let before = sandbox.snapshot();
        let file = sandbox.path("bad.toml");
        fs::write(&file, text).unwrap();
        let out = sandbox.run(&[
            "profile",
            "import",
            file.to_str().unwrap(),
            "--on-conflict",
            "replace",
        ]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {message}");
        assert!(message.contains("bad.toml"), "{what}: {message}");
        for part in expected {
            assert!(
                message.contains(part),
                "{what}: expected {part:?} in {message}"
            );
        }
        assert_eq!(sandbox.snapshot(), before, "{what}: the config changed");
    }
}

#[test]
fn list_show_and_delete() {
    let sandbox = Sandbox::new();
    sandbox.save(&full_profile("kassa"));
    let out = sandbox.run(&["profile", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["name"], "kassa");
    assert_eq!(list[0]["scope"], "user");
    assert_eq!(list[0]["delivery"], "smtp");
    let out = sandbox
        .cmd()
        .args(["profile", "show", "kassa", "--json"])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["smtp"]["host"], "smtp.example.org");
    assert_eq!(shown["sender"]["name"], "Касса №1");
    let out = sandbox.run(&["profile", "show", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nobody"));
    let out = sandbox
        .cmd()
        .args(["profile", "delete", "kassa"])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(names(&sandbox).is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let sandbox = Sandbox::new();
    assert_eq!(
        sandbox.run(&["profile", "frobnicate"]).status.code(),
        Some(2)
    );
    assert_eq!(
        sandbox.run(&["profile", "set-password", "x"]).status.code(),
        Some(2)
    );
    let help = sandbox.run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("profile"));
    let version = sandbox.run(&["--version"]);
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
}

/// A provider of the user's own directory, serving `corp.example`.
fn corp_provider() -> Provider {
    Provider {
        id: "corp".to_owned(),
        name: "Corp mail".to_owned(),
        login: Login::LocalPart,
        domains: vec!["corp.example".to_owned()],
        mx_suffixes: Vec::new(),
        notes: Vec::new(),
        smtp: Server {
            host: "smtp.corp.example".to_owned(),
            port: 587,
            security: Security::Starttls,
        },
        smtp_alternatives: Vec::new(),
        imap: None,
        auth: Auth::Password,
    }
}

/// A source with a profile sending through the user's own provider `corp`,
/// another through a provider nobody exported, and the export of both.
fn exported_with_a_provider() -> (Sandbox, std::path::PathBuf) {
    let source = Sandbox::new();
    let directory = UserDirectory::new(&source.paths());
    directory.upsert(corp_provider()).unwrap();
    let mut unused = corp_provider();
    unused.id = "unused".to_owned();
    unused.domains = vec!["unused.example".to_owned()];
    unused.smtp.host = "smtp.unused.example".to_owned();
    directory.upsert(unused).unwrap();
    let mut office = Profile::named("office");
    office.delivery = Delivery::Smtp;
    office.smtp.host = "smtp.corp.example".to_owned();
    source.save(&office);
    source.save(&Profile::named("local_mta"));
    let file = source.path("export.toml");
    let out = source.run(&["profile", "export", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("one provider"), "{}", stderr(&out));
    (source, file)
}

/// An export carries the user's providers its profiles use, and an import puts
/// them in the user's directory, so Detect knows `corp.example` there too.
#[test]
fn the_providers_profiles_use_travel_with_them() {
    let (_source, file) = exported_with_a_provider();
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("[[provider]]") && text.contains("id = \"corp\""),
        "{text}"
    );
    assert!(
        !text.contains("unused"),
        "only the providers in use: {text}"
    );

    let target = Sandbox::new();
    let out = target.run(&["profile", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("provider corp"), "{}", stdout(&out));
    let (directory, problem) = UserDirectory::new(&target.paths()).load();
    assert!(problem.is_none(), "{problem:?}");
    let entry = directory
        .lookup("corp.example")
        .expect("corp.example is known");
    assert_eq!(entry.provider, corp_provider());
    assert_eq!(names(&target), ["local_mta", "office"]);
}

/// A bad provider table is named with its line, and nothing is imported.
#[test]
fn a_bad_provider_in_an_import_changes_nothing() {
    let (_source, file) = exported_with_a_provider();
    let text = fs::read_to_string(&file).unwrap().replace(
        "domains = [\"corp.example\"]",
        "domains = [\"not a domain\"]",
    );
    fs::write(&file, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("domains = "))
        .unwrap()
        + 1;
    let target = Sandbox::new();
    let before = target.snapshot();
    let out = target.run(&["profile", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("line {line}")) && message.contains("corp"),
        "{message}"
    );
    assert!(message.contains("Nothing was imported"), "{message}");
    assert_eq!(target.snapshot(), before);

    let duplicated = format!(
        "{}\n{}",
        fs::read_to_string(&file)
            .unwrap()
            .replace("\"not a domain\"", "\"corp.example\""),
        text[text.find("[[provider]]").unwrap()..].replace("\"not a domain\"", "\"corp.example\"")
    );
    fs::write(&file, duplicated).unwrap();
    let out = target.run(&["profile", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("appears twice"), "{}", stderr(&out));
    assert_eq!(target.snapshot(), before);
}
