//! The sendmail check: fake sendmail programs written by the test, and msmtp as a
//! real sendmail in front of the aiosmtpd peer (tests/run installs it; without
//! it that test fails, naming what is missing).

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use outbound::core::check::sendmail::{self, Options};
use outbound::core::check::{Code, Report};
use outbound::core::profile::{Delivery, Profile};
use support::{Peer, transcript_text};

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn profile(path: &Path, args: &str) -> Profile {
    let mut profile = Profile::named("local_mta");
    profile.delivery = Delivery::Sendmail;
    profile.sendmail.path = path.display().to_string();
    profile.sendmail.args = args.to_owned();
    profile.sender.address = "sender@example.org".to_owned();
    profile.sender.name = "Help Desk".to_owned();
    profile.subject_prefix = "[OB]".to_owned();
    profile.smtp.timeout_secs = 10;
    profile
}

async fn run(profile: &Profile, to: &[&str]) -> Report {
    let options = Options {
        recipients: to.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    sendmail::check(profile, options).await
}

#[tokio::test]
async fn arguments_arrive_literally_and_the_message_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let argv = dir.path().join("argv");
    let stdin = dir.path().join("stdin");
    let path = script(
        dir.path(),
        "fake-sendmail",
        &format!(
            "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\ncat > '{}'",
            argv.display(),
            stdin.display()
        ),
    );
    let marker = dir.path().join("pwned");
    let args = format!("-i -oX \"$(touch {})\" ';' 'two words'", marker.display());
    let report = run(&profile(&path, &args), &["a@example.net", "b@example.com"]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert!(report.sent);
    let got: Vec<String> = std::fs::read_to_string(&argv)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let expected = [
        "-i".to_owned(),
        "-oX".to_owned(),
        format!("$(touch {})", marker.display()),
        ";".to_owned(),
        "two words".to_owned(),
        "-f".to_owned(),
        "sender@example.org".to_owned(),
        "--".to_owned(),
        "a@example.net".to_owned(),
        "b@example.com".to_owned(),
    ];
    assert_eq!(got, expected);
    assert!(!marker.exists(), "no shell ran the arguments");
    let message = std::fs::read_to_string(&stdin).unwrap();
    assert!(
        message.contains("From: \"Help Desk\" <sender@example.org>"),
        "{message}"
    );
    assert!(
        message.contains("Subject: [OB] Outbound test message"),
        "{message}"
    );
    assert!(
        message.contains("To: a@example.net, b@example.com"),
        "{message}"
    );
}

#[tokio::test]
async fn without_sending_only_locate_runs() {
    let dir = tempfile::tempdir().unwrap();
    let ran = dir.path().join("ran");
    let path = script(
        dir.path(),
        "sendmail",
        &format!("touch '{}'", ran.display()),
    );
    let report = run(&profile(&path, "-i"), &[]).await;
    assert_eq!(report.diagnosis.code, Code::Ok);
    assert_eq!(report.steps[1].status.as_str(), "skipped");
    assert!(!ran.exists());
}

#[tokio::test]
async fn a_missing_path_is_not_found() {
    let report = run(
        &profile(Path::new("/nonexistent/sendmail"), "-i"),
        &["a@example.net"],
    )
    .await;
    assert_eq!(report.diagnosis.code, Code::SendmailNotFound);
}

#[tokio::test]
async fn a_file_without_execute_permission_or_a_folder_is_not_executable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sendmail");
    std::fs::write(&path, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let report = run(&profile(&path, "-i"), &["a@example.net"]).await;
    assert_eq!(report.diagnosis.code, Code::SendmailNotExecutable);
    let report = run(&profile(dir.path(), "-i"), &["a@example.net"]).await;
    assert_eq!(report.diagnosis.code, Code::SendmailNotExecutable);
}

#[tokio::test]
async fn a_failing_program_reports_its_status_and_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let path = script(
        dir.path(),
        "sendmail",
        "cat > /dev/null\necho 'sendmail: cannot connect to mail.example.org: Connection refused' >&2\nexit 75",
    );
    let report = run(&profile(&path, "-i"), &["a@example.net"]).await;
    assert_eq!(report.diagnosis.code, Code::SendmailFailed);
    let text = transcript_text(&report);
    assert!(text.contains("Connection refused"), "{text}");
    assert!(text.contains("75"), "{text}");
    assert!(report.diagnosis.message().contains("Connection refused"));
}

#[tokio::test]
async fn symlinks_are_followed_and_the_mta_named() {
    let dir = tempfile::tempdir().unwrap();
    let real = script(dir.path(), "msmtp", "cat > /dev/null");
    let link = dir.path().join("sendmail");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let report = run(&profile(&link, ""), &[]).await;
    assert_eq!(report.diagnosis.code, Code::Ok);
    assert_eq!(report.server.mta.as_deref(), Some("msmtp"));
    assert!(
        report.steps[0].detail.contains("msmtp"),
        "{:?}",
        report.steps[0]
    );
}

/// msmtp (Debian's package) as a real sendmail, delivering to aiosmtpd.
#[tokio::test]
async fn msmtp_as_a_real_sendmail() {
    let Some(msmtp) = ["/usr/bin/msmtp", "/usr/local/bin/msmtp"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
    else {
        panic!(
            "msmtp is not installed: tests/run installs Debian's msmtp package \
             (or run `apt-get install msmtp`)"
        );
    };
    let peer = Peer::start("none", None, "secret");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("msmtprc");
    std::fs::write(
        &config,
        format!(
            "account default\nhost 127.0.0.1\nport {}\ntls off\nauth plain\nuser {}\npassword secret\n",
            peer.port,
            support::USER
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let args = format!("-C {} -i", config.display());
    let report = run(&profile(&msmtp, &args), &["a@example.net"]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    assert_eq!(report.server.mta.as_deref(), Some("msmtp"));
    let messages = peer.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0]["rcpt_tos"],
        serde_json::json!(["a@example.net"])
    );
    assert!(
        messages[0]["content"]
            .as_str()
            .unwrap()
            .contains("Subject: [OB] Outbound test message")
    );
}

/// A password in `sendmail.args` (ssmtp's `-ap`, `--passwd=…`) reaches the
/// program but never the transcript, the JSON or the log.
#[tokio::test]
async fn passwords_in_the_arguments_are_redacted_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let argv = dir.path().join("argv");
    let path = script(
        dir.path(),
        "ssmtp",
        &format!(
            "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\ncat > /dev/null",
            argv.display()
        ),
    );
    let mut profile = profile(
        &path,
        "-au tester -ap 'hunter two' --passwd=hunter3 --password hunter4 --passwordeval='pass show mail'",
    );
    profile.log.level = outbound::core::profile::LogLevel::Full;
    let report = run(&profile, &["a@example.net"]).await;
    assert_eq!(
        report.diagnosis.code,
        Code::Ok,
        "{}",
        transcript_text(&report)
    );
    let received = std::fs::read_to_string(&argv).unwrap();
    assert!(
        received.contains("hunter two") && received.contains("--passwd=hunter3"),
        "the program gets the real values: {received}"
    );
    let data = tempfile::tempdir().unwrap();
    let paths = outbound::core::store::Paths::under(data.path());
    let file = outbound::core::check::log::append(&profile, &paths, "check", &report)
        .unwrap()
        .unwrap();
    let logged = std::fs::read_to_string(file).unwrap();
    let text = transcript_text(&report);
    for shown in [text.clone(), report.to_json().to_string(), logged] {
        for secret in ["hunter two", "hunter", "hunter3", "hunter4"] {
            assert!(!shown.contains(secret), "{secret:?} leaked:\n{shown}");
        }
    }
    assert!(
        text.contains("-au tester -ap '<redacted>' '--passwd=<redacted>' --password '<redacted>'"),
        "{text}"
    );
    assert!(
        text.contains("pass show mail"),
        "a command is not a secret: {text}"
    );
}
