//! Profile validation: one good profile, then one bad profile per rule, each
//! asserting the field named and the message id.

use outbound::core::profile::{Delivery, Profile, Security, normalise_host};

fn issues(change: impl FnOnce(&mut Profile)) -> Vec<(&'static str, &'static str)> {
    let mut profile = Profile::named("office_relay");
    change(&mut profile);
    profile
        .validate()
        .into_iter()
        .map(|i| (i.field, i.id))
        .collect()
}

#[test]
fn a_default_profile_is_valid() {
    assert_eq!(issues(|_| {}), []);
    assert_eq!(
        issues(|p| {
            p.delivery = Delivery::Smtp;
            p.smtp.host = "smtp.yandex.ru".into();
            p.sender.address = "someone@yandex.ru".into();
            p.sender.name = "Кто-то".into();
            p.test.recipients = "a@example.org, \"B, C\" <b@example.org>".into();
            p.test.send_message = true;
        }),
        []
    );
}

#[test]
fn each_rule_names_its_field() {
    type Case = (&'static str, fn(&mut Profile), &'static str, &'static str);
    let cases: [Case; 17] = [
        (
            "empty name",
            |p| p.name.clear(),
            "name",
            "invalid-name-empty",
        ),
        (
            "space in name",
            |p| p.name = "office relay".into(),
            "name",
            "invalid-name-chars",
        ),
        (
            "dash in name",
            |p| p.name = "office-relay".into(),
            "name",
            "invalid-name-chars",
        ),
        (
            "cyrillic name",
            |p| p.name = "почта".into(),
            "name",
            "invalid-name-chars",
        ),
        (
            "bad sender",
            |p| p.sender.address = "someone@".into(),
            "sender.address",
            "invalid-mailbox",
        ),
        (
            "CR in sender name",
            |p| p.sender.name = "A\rBcc: x@y".into(),
            "sender.name",
            "invalid-line-break",
        ),
        (
            "LF in subject prefix",
            |p| p.subject_prefix = "[x]\nBcc: a@b".into(),
            "subject_prefix",
            "invalid-line-break",
        ),
        (
            "smtp without host",
            |p| p.delivery = Delivery::Smtp,
            "smtp.host",
            "invalid-required",
        ),
        (
            "bad host",
            |p| p.smtp.host = "smtp example.org".into(),
            "smtp.host",
            "invalid-host",
        ),
        (
            "url as host",
            |p| p.smtp.host = "smtps://smtp.example.org".into(),
            "smtp.host",
            "invalid-host",
        ),
        ("port 0", |p| p.smtp.port = 0, "smtp.port", "invalid-port"),
        (
            "bad ehlo name",
            |p| p.smtp.ehlo_name = "my pc".into(),
            "smtp.ehlo_name",
            "invalid-host",
        ),
        (
            "timeout 0",
            |p| p.smtp.timeout_secs = 0,
            "smtp.timeout_secs",
            "invalid-timeout",
        ),
        (
            "timeout 301",
            |p| p.smtp.timeout_secs = 301,
            "smtp.timeout_secs",
            "invalid-timeout",
        ),
        (
            "unclosed quote",
            |p| p.sendmail.args = "-i 'oops".into(),
            "sendmail.args",
            "invalid-args",
        ),
        (
            "bad recipient",
            |p| p.test.recipients = "a@example.org, not an address".into(),
            "test.recipients",
            "invalid-mailbox",
        ),
        (
            "send without recipients",
            |p| p.test.send_message = true,
            "test.recipients",
            "invalid-no-recipients",
        ),
    ];
    for (what, change, field, id) in cases {
        assert_eq!(issues(change), [(field, id)], "{what}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = issues(|p| {
        p.name = "bad name".into();
        p.smtp.port = 0;
        p.subject_prefix = "\r\n".into();
    });
    assert_eq!(
        found,
        [
            ("name", "invalid-name-chars"),
            ("subject_prefix", "invalid-line-break"),
            ("smtp.port", "invalid-port")
        ]
    );
}

#[test]
fn pasted_hosts_are_normalised() {
    let n = |s: &str| normalise_host(s).map(|n| (n.host, n.port, n.security));
    assert_eq!(
        n("ssl://smtp.yandex.ru"),
        Some(("smtp.yandex.ru".into(), Some(465), Some(Security::Tls)))
    );
    assert_eq!(
        n("smtps://smtp.mail.ru:465"),
        Some(("smtp.mail.ru".into(), Some(465), Some(Security::Tls)))
    );
    assert_eq!(
        n("SMTPS://smtp.mail.ru:2465/"),
        Some(("smtp.mail.ru".into(), Some(2465), Some(Security::Tls)))
    );
    assert_eq!(
        n("smtp://smtp.gmail.com:587"),
        Some(("smtp.gmail.com".into(), Some(587), Some(Security::Starttls)))
    );
    assert_eq!(
        n("smtp://relay.local:25"),
        Some(("relay.local".into(), Some(25), Some(Security::None)))
    );
    assert_eq!(
        n("smtp://relay.local"),
        Some(("relay.local".into(), Some(587), Some(Security::Starttls)))
    );
    assert_eq!(
        n("tls://[::1]:4650"),
        Some(("::1".into(), Some(4650), Some(Security::Tls)))
    );
    assert_eq!(
        n("mail.example.org:2525"),
        Some(("mail.example.org".into(), Some(2525), None))
    );
    // A bare host, a bare IPv6 address and nonsense are left alone.
    assert_eq!(n("smtp.example.org"), None);
    assert_eq!(n("::1"), None);
    assert_eq!(n("http://example.org"), None);
    assert_eq!(n("smtp://host:99999"), None);
    let note = normalise_host("ssl://smtp.yandex.ru")
        .unwrap()
        .note("ssl://smtp.yandex.ru");
    assert!(
        note.contains("smtp.yandex.ru") && note.contains("465"),
        "{note}"
    );
}

/// `log.file` is appended to and rotated, and may come from an imported
/// profile: only an absolute path of a regular file (or of none yet) is taken.
#[test]
fn the_log_file_must_be_a_regular_file_by_an_absolute_path() {
    let dir = tempfile::tempdir().unwrap();
    let log_issues = |file: &str| issues(|p| p.log.file = file.to_owned());
    let target = dir.path().join("target.log");
    std::fs::write(&target, "").unwrap();
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dangling = dir.path().join("dangling.log");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    let fifo = dir.path().join("fifo.log");
    let fifo_c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo_c.as_ptr(), 0o600) }, 0);
    let socket = dir.path().join("socket.log");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let text = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let cases = [
        ("logs/p.log".to_owned(), "invalid-log-file-relative"),
        ("~/p.log".to_owned(), "invalid-log-file-relative"),
        (text(dir.path()), "invalid-log-file-directory"),
        ("/var/log/".to_owned(), "invalid-log-file-directory"),
        (text(&link), "invalid-log-file-symlink"),
        (text(&dangling), "invalid-log-file-symlink"),
        ("/dev/null".to_owned(), "invalid-log-file-special"),
        (text(&fifo), "invalid-log-file-special"),
        (text(&socket), "invalid-log-file-special"),
    ];
    for (file, id) in cases {
        assert_eq!(log_issues(&file), [("log.file", id)], "{file}");
    }
    // A regular file, one not there yet, and the default (empty) are fine.
    assert_eq!(log_issues(&text(&target)), []);
    assert_eq!(log_issues(&text(&dir.path().join("new.log"))), []);
    assert_eq!(log_issues(""), []);
}

/// An import refuses such a profile as it refuses other bad fields: naming
/// the file, the line, the profile and the field, and changing nothing.
#[test]
fn an_import_refuses_a_log_file_that_is_not_a_regular_file() {
    use outbound::core::exchange::{ImportError, parse_import};
    use outbound::i18n::Localize;
    outbound::i18n::init(Some("en"));
    let text = "format = 1\n\n[[profile]]\nname = \"trap\"\n\n[profile.log]\nlevel = \"full\"\nfile = \"/dev/null\"\n";
    let path = std::path::Path::new("trap.toml");
    let error = parse_import(path, text).unwrap_err();
    let ImportError::Invalid { at, issue, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (issue.field, issue.id),
        ("log.file", "invalid-log-file-special")
    );
    assert_eq!(at.line, 8);
    let message = error.localize();
    assert!(
        message.contains("trap.toml") && message.contains('8') && message.contains("log.file"),
        "{message}"
    );
    let relative = text.replace("/dev/null", "../../.bashrc");
    let error = parse_import(path, &relative).unwrap_err();
    assert!(
        matches!(&error, ImportError::Invalid { issue, .. } if issue.id == "invalid-log-file-relative"),
        "{error:?}"
    );
}
