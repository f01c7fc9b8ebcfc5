//! An imported profile's sendmail command on the command line: `outbound check
//! --profile` refuses it until `--confirm-sendmail`, and runs it from then on;
//! a profile made here is never asked about. The command is a script that
//! leaves a marker when it runs.

mod sandbox;

use std::path::{Path, PathBuf};
use std::process::Output;

use outbound::core::exchange::{Contents, render_export};
use outbound::core::profile::{Delivery, Profile};
use sandbox::{Sandbox, stderr, stdout};

/// The script and the marker it leaves.
fn marking_sendmail(sandbox: &Sandbox) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let marker = sandbox.path("ran");
    let script = sandbox.path("imported sendmail");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\ncat > /dev/null\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, marker)
}

fn sendmail_profile(name: &str, script: &Path) -> Profile {
    let mut profile = Profile::named(name);
    profile.delivery = Delivery::Sendmail;
    profile.sendmail.path = script.display().to_string();
    profile.sendmail.args = "-i -ap 'not a secret'".to_owned();
    profile.sender.address = "sender@example.org".to_owned();
    profile.test.recipients = "a@example.org".to_owned();
    profile
}

fn check(sandbox: &Sandbox, name: &str, more: &[&str]) -> Output {
    sandbox
        .cmd()
        .args(["check", "--profile", name, "--send"])
        .args(more)
        .output()
        .unwrap()
}

fn status(output: &Output) -> i32 {
    output.status.code().expect("the binary exited")
}

#[test]
fn an_imported_command_is_refused_until_confirmed_then_runs() {
    let sandbox = Sandbox::new();
    let (script, marker) = marking_sendmail(&sandbox);
    let file = sandbox.path("export.toml");
    let contents = Contents::of_profiles(vec![sendmail_profile("imported", &script)]);
    std::fs::write(&file, render_export(&contents)).unwrap();
    let imported = sandbox.run(&["profile", "import", &file.display().to_string()]);
    assert_eq!(status(&imported), 0, "{}", stderr(&imported));

    let refused = check(&sandbox, "imported", &[]);
    assert_eq!(status(&refused), 2, "{}", stdout(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains(&format!("'{}' -i -ap 'not a secret'", script.display())),
        "the message names the command: {message}"
    );
    assert!(
        message.contains("outbound check --profile imported --confirm-sendmail"),
        "the message says how to confirm: {message}"
    );
    assert!(!marker.exists(), "the unconfirmed command ran");

    let confirmed = check(&sandbox, "imported", &["--confirm-sendmail"]);
    assert_eq!(status(&confirmed), 0, "{}", stdout(&confirmed));
    assert!(marker.exists(), "the confirmed command did not run");

    std::fs::remove_file(&marker).unwrap();
    let again = check(&sandbox, "imported", &[]);
    assert_eq!(status(&again), 0, "{}", stderr(&again));
    assert!(marker.exists(), "once confirmed, the command runs");
}

#[test]
fn a_command_made_here_runs_and_a_reimport_asks_again() {
    let sandbox = Sandbox::new();
    let (script, marker) = marking_sendmail(&sandbox);
    sandbox.save(&sendmail_profile("made_here", &script));
    let output = check(&sandbox, "made_here", &[]);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert!(marker.exists());

    // Replaced by an import, the same profile waits for a confirmation again.
    std::fs::remove_file(&marker).unwrap();
    let file = sandbox.path("export.toml");
    let contents = Contents::of_profiles(vec![sendmail_profile("made_here", &script)]);
    std::fs::write(&file, render_export(&contents)).unwrap();
    let imported = sandbox.run(&[
        "profile",
        "import",
        &file.display().to_string(),
        "--on-conflict",
        "replace",
    ]);
    assert_eq!(status(&imported), 0, "{}", stderr(&imported));
    let refused = check(&sandbox, "made_here", &[]);
    assert_eq!(status(&refused), 2, "{}", stderr(&refused));
    assert!(!marker.exists());
}
