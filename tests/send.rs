//! `outbound send` as programs call sendmail: the built binary in a private
//! sandbox, real aiosmtpd peers, misbehaving servers for the failures, and
//! the library's `deliver` for several messages over one connection.

mod sandbox;
mod support;

use std::process::{Command, Output};

use outbound::core::preferences::{self, Preferences};
use outbound::core::profile::{AuthMethod, Delivery, LimitCount, LimitOver};
use outbound::core::send::{self, DeliverOptions, Dsn, Envelope, Outcome, Outgoing};
use sandbox::{Sandbox, feed, stderr};
use support::fake::{Behaviour, Fake, Replies};
use support::{Peer, send_profile};

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn content(message: &serde_json::Value) -> String {
    message["content"].as_str().unwrap().to_owned()
}

fn rcpts(message: &serde_json::Value) -> Vec<String> {
    message["rcpt_tos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect()
}

/// The header of a received message (CRLF or LF), unfolded, by name.
fn header(text: &str, name: &str) -> Option<String> {
    let head = text.split("\r\n\r\n").next().unwrap_or(text);
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|line| {
        let (field, value) = line.split_once(':')?;
        field
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

#[test]
fn dash_t_takes_to_cc_bcc_and_arguments_strips_bcc_adds_the_missing_fields_and_the_prefix_once() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    sandbox.save_default(&send_profile("ob", peer.port, "sender@example.org"));
    let message = "To: Ann <ann@example.net>\nCc: \"Doe, Bob\" <bob@example.net>\nBcc: hidden@example.net\nSubject: report\n\nline one\n.\nafter the dot\n";
    let out = sandbox.send(
        &[
            "-t",
            "-i",
            "-fsender@example.org",
            "--",
            "extra@example.net",
        ],
        message,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let got = peer.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["mail_from"], "sender@example.org");
    assert_eq!(
        rcpts(&got[0]),
        vec![
            "extra@example.net",
            "ann@example.net",
            "bob@example.net",
            "hidden@example.net"
        ]
    );
    let text = content(&got[0]);
    // No Bcc header (the random Message-ID may contain the letters "bcc").
    let bcc_header = text
        .lines()
        .any(|line| line.to_ascii_lowercase().starts_with("bcc:"));
    assert!(!bcc_header && !text.contains("hidden@"), "{text}");
    assert_eq!(header(&text, "Subject").as_deref(), Some("[ob] report"));
    assert_eq!(
        header(&text, "From").as_deref(),
        Some("<sender@example.org>")
    );
    assert!(
        header(&text, "Date").is_some() && header(&text, "Message-ID").is_some(),
        "{text}"
    );
    // -i: the lone dot is text; it arrives (dot-stuffing undone by the server).
    assert!(text.contains("line one\r\n.\r\nafter the dot"), "{text}");

    // Without -i a lone dot ends the message; a subject with the prefix keeps one.
    let out = sandbox.send(
        &["ann@example.net"],
        "Subject: [ob] again\nFrom: Me <sender@example.org>\n\nkept\n.\ncut\n",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = content(&peer.messages()[1]);
    assert_eq!(header(&text, "Subject").as_deref(), Some("[ob] again"));
    assert_eq!(
        header(&text, "From").as_deref(),
        Some("Me <sender@example.org>")
    );
    assert!(text.contains("kept") && !text.contains("cut"), "{text}");

    // An encoded subject: decoded to compare, the result encoded.
    let out = sandbox.send(
        &["-t"],
        "To: ann@example.net\nSubject: =?UTF-8?B?0J7RgtGH0ZHRgg==?=\n\nb\n",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = content(&peer.messages()[2]);
    let subject = header(&text, "Subject").unwrap();
    assert!(
        subject.is_ascii() && subject.starts_with("=?UTF-8?B?"),
        "{subject}"
    );
    let out = sandbox.send(
        &["-t"],
        &format!("To: ann@example.net\nSubject: {subject}\n\nb\n"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        header(&content(&peer.messages()[3]), "Subject").unwrap(),
        subject,
        "not twice"
    );
    let decoded = outbound::core::send::headers::decode_words(&subject);
    assert_eq!(decoded, "[ob] Отчёт");
}

#[test]
fn a_resent_block_gives_the_recipients_and_its_bcc_goes() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    sandbox.save_default(&send_profile("ob", peer.port, "sender@example.org"));
    let message = "Resent-From: sender@example.org\nResent-To: new@example.net\nResent-Bcc: quiet@example.net\nResent-Date: Mon, 1 Dec 2026 10:00:00 +0000\nResent-To: older@example.net\nFrom: orig@example.com\nTo: orig-to@example.com\nSubject: fwd\n\nbody\n";
    let out = sandbox.send(&["-t", "-i"], message);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = peer.messages();
    assert_eq!(rcpts(&got[0]), vec!["new@example.net", "quiet@example.net"]);
    let text = content(&got[0]);
    assert!(!text.contains("quiet@"), "{text}");
    assert!(
        text.contains("Resent-To: older@example.net"),
        "later blocks stay: {text}"
    );
}

/// Under `limits.count = recipient` a message counts its recipients against
/// `limits.daily`, as for a check and the queue (refused here, so that the
/// peer's count shows it; tests/send_queue.rs has the queueing).
#[test]
fn the_daily_limit_counts_recipients_when_the_profile_says_so() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    let mut p = send_profile("ob", peer.port, "sender@example.org");
    p.limits.daily = 3;
    p.limits.count = LimitCount::Recipient;
    p.limits.over = LimitOver::Refuse;
    sandbox.save_default(&p);
    let two = sandbox.send(&["a@example.net", "b@example.net"], "Subject: 1\n\nb\n");
    assert_eq!(code(&two), 0, "{}", stderr(&two));
    let over = sandbox.send(&["c@example.net", "d@example.net"], "Subject: 2\n\nb\n");
    assert_eq!(code(&over), 69, "{}", stderr(&over));
    let one = sandbox.send(&["c@example.net"], "Subject: 3\n\nb\n");
    assert_eq!(code(&one), 0, "{}", stderr(&one));
    assert_eq!(peer.messages().len(), 2);
}

#[test]
fn called_as_sendmail_it_is_send() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    sandbox.save(&send_profile("ob", peer.port, "cron@example.org"));
    for name in ["sendmail", "outbound-sendmail"] {
        let link = sandbox.path(name);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_outbound"), &link).unwrap();
        // As cron does: sendmail -FCronDaemon -i -B8BITMIME -oem ADDRESS
        let mut command = Command::new(&link);
        for (key, value) in sandbox.cmd().get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command.args([
            "-FCronDaemon",
            "-i",
            "-B8BITMIME",
            "-oem",
            "-fcron@example.org",
            "ops@example.net",
        ]);
        let out = feed(command, b"Subject: Cron <root@host> backup\n\nok\n");
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
    }
    let got = peer.messages();
    assert_eq!(got.len(), 2);
    let text = content(&got[0]);
    assert_eq!(
        header(&text, "From").as_deref(),
        Some("CronDaemon <cron@example.org>")
    );
}

#[test]
fn an_eight_bit_body_goes_as_8bitmime_when_offered_and_quoted_printable_otherwise() {
    let body = "Привет, мир — ünïcode\n";
    let message = format!(
        "To: ann@example.net\nSubject: 8bit\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    );
    for offered in [true, false] {
        let options: &[&str] = if offered {
            &[]
        } else {
            &["--without-8bitmime"]
        };
        let peer = Peer::start_with("none", None, "secret", options);
        let sandbox = Sandbox::new();
        sandbox.save_default(&send_profile("ob", peer.port, "sender@example.org"));
        let out = sandbox.send(&["-t"], &message);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let got = peer.messages();
        let text = content(&got[0]);
        let options = got[0]["mail_options"].to_string();
        if offered {
            assert!(options.contains("BODY=8BITMIME"), "{options}");
            assert!(text.contains(body.trim_end()), "kept 8-bit: {text}");
        } else {
            assert!(!options.contains("BODY"), "{options}");
            assert!(text.is_ascii(), "{text}");
            assert_eq!(
                header(&text, "Content-Transfer-Encoding").as_deref(),
                Some("quoted-printable")
            );
            assert!(text.contains("=D0=9F=D1=80=D0=B8"), "{text}");
        }
    }
}

#[test]
fn routing_by_envelope_sender_from_header_plus_addressing_default_and_never_a_disabled_profile() {
    let peer = Peer::start("none", None, "secret");
    let sandbox = Sandbox::new();
    let mut shop = send_profile("shop", peer.port, "shop@example.org");
    shop.senders = vec!["Orders <orders@example.com>".into()];
    let mut domain = send_profile("domain", peer.port, "noreply@example.net");
    domain.senders = vec!["*@example.net".into()];
    let mut off = send_profile("off", peer.port, "off@example.org");
    off.enabled = false;
    let fallback = send_profile("fallback", peer.port, "robot@example.info");
    for p in [&shop, &domain, &off, &fallback] {
        sandbox.save(p);
    }
    let subject_of = |args: &[&str], from: &str| -> (i32, String) {
        let input = format!("To: x@example.test\n{from}Subject: s\n\nb\n");
        let out = sandbox.send(args, &input);
        if code(&out) != 0 {
            return (code(&out), stderr(&out));
        }
        let last = peer.messages().pop().unwrap();
        (0, header(&content(&last), "Subject").unwrap())
    };
    // Envelope sender first (plus-addressing matched), over the From header.
    assert_eq!(
        subject_of(
            &["-t", "-f", "shop+billing@example.org"],
            "From: a@example.net\n"
        ),
        (0, "[shop] s".into())
    );
    // A sender identity of the profile.
    assert_eq!(
        subject_of(&["-t", "-r", "orders@example.com"], ""),
        (0, "[shop] s".into())
    );
    // No envelope sender: the From header; a *@domain pattern.
    assert_eq!(
        subject_of(&["-t"], "From: Someone <someone@example.net>\n"),
        (0, "[domain] s".into())
    );
    // --profile forces.
    assert_eq!(
        subject_of(
            &["-t", "--profile", "fallback", "-f", "shop@example.org"],
            ""
        ),
        (0, "[fallback] s".into())
    );
    // No match and no default: 67, in plain words.
    let (status, message) = subject_of(&["-t", "-f", "nobody@elsewhere.test"], "");
    assert_eq!(status, 67, "{message}");
    assert!(
        message.contains("nobody@elsewhere.test") && message.contains("default profile"),
        "{message}"
    );
    // The disabled profile's own address does not reach it.
    assert_eq!(subject_of(&["-t", "-f", "off@example.org"], "").0, 67);
    let (status, message) = subject_of(&["-t", "--profile", "off"], "");
    assert_eq!(status, 78, "{message}");
    assert!(message.contains("disabled"), "{message}");
    // The system's default, then the user's over it.
    let system = Preferences {
        default_profile: "domain".into(),
        ..Preferences::default()
    };
    preferences::save(sandbox.dir.path(), &system).unwrap();
    assert_eq!(
        subject_of(&["-t", "-f", "nobody@elsewhere.test"], "").1,
        "[domain] s"
    );
    let user = Preferences {
        default_profile: "fallback".into(),
        ..Preferences::default()
    };
    preferences::save(&sandbox.paths().config, &user).unwrap();
    assert_eq!(
        subject_of(&["-t", "-f", "nobody@elsewhere.test"], "").1,
        "[fallback] s"
    );
    // A default that names a disabled profile is not used: the system's is.
    let user = Preferences {
        default_profile: "off".into(),
        ..Preferences::default()
    };
    preferences::save(&sandbox.paths().config, &user).unwrap();
    assert_eq!(
        subject_of(&["-t", "-f", "nobody@elsewhere.test"], "").1,
        "[domain] s"
    );
}

/// Runs `send` against a misbehaving server (the server lives on this test's runtime).
async fn send_async(sandbox: &Sandbox, args: Vec<String>) -> Output {
    let mut command = sandbox.cmd();
    command.arg("send").args(args);
    tokio::task::spawn_blocking(move || feed(command, b"To: a@example.net\nSubject: s\n\nb\n"))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_end_in_sysexits_codes() {
    let sandbox = Sandbox::new();
    let scripted = |mail: &'static str, rcpt: &'static str| {
        Behaviour::Smtp(Replies {
            mail,
            rcpt,
            ..Replies::default()
        })
    };
    let cases: Vec<(Behaviour, i32, &str)> = vec![
        (
            scripted("550 5.7.1 sender refused", "250 ok"),
            69,
            "550 5.7.1",
        ),
        (
            scripted("250 ok", "550 5.1.1 no such user"),
            69,
            "550 5.1.1",
        ),
        // Temporary: queued, and 0 as sendmail gives for what it queues.
        (
            scripted("451 4.3.0 try again later", "250 ok"),
            0,
            "451 4.3.0",
        ),
        (scripted("250 ok", "452 4.2.2 mailbox full"), 0, "452"),
        (Behaviour::Silent, 0, "no reply"),
        (Behaviour::Banner421, 0, "421"),
        (Behaviour::DisconnectAfterBanner, 0, "queued as"),
    ];
    for (index, (behaviour, expected, shown)) in cases.into_iter().enumerate() {
        let fake = Fake::start(behaviour).await;
        let mut p = send_profile(&format!("p{index}"), fake.port, "sender@example.org");
        p.smtp.timeout_secs = 1;
        sandbox.save(&p);
        let out = send_async(
            &sandbox,
            vec!["-t".into(), "--profile".into(), p.name.clone()],
        )
        .await;
        let err = stderr(&out);
        assert_eq!(code(&out), expected, "case {index}: {err}");
        assert!(
            err.starts_with("outbound send: ") && err.contains(shown),
            "case {index}: {err}"
        );
    }
    // Nobody listening: no network to the server is temporary too.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    sandbox.save(&send_profile("gone", port, "sender@example.org"));
    let out = send_async(
        &sandbox,
        vec!["-t".into(), "--profile".into(), "gone".into()],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("queued as"), "{}", stderr(&out));
    // Usage and bad input.
    let out = send_async(&sandbox, vec!["-q1h".into()]).await;
    assert_eq!(code(&out), 64, "{}", stderr(&out));
    assert!(stderr(&out).contains("-q1h"), "{}", stderr(&out));
    let out = send_async(&sandbox, vec!["-z".into()]).await;
    assert_eq!(code(&out), 64, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown option -z"),
        "{}",
        stderr(&out)
    );
    let out = sandbox.send(&["-t"], "");
    assert_eq!(code(&out), 65, "{}", stderr(&out));
    let out = sandbox.send(&[], "Subject: nobody\n\nb\n");
    assert_eq!(code(&out), 64, "{}", stderr(&out));
}

#[test]
fn a_refused_login_is_77_and_the_keyring_password_logs_in() {
    sandbox::require_private_keyring();
    let peer = Peer::start("none", None, "right-password");
    let sandbox = Sandbox::new();
    let mut p = send_profile("auth", peer.port, "sender@example.org");
    p.smtp.auth = AuthMethod::Plain;
    sandbox.save_default(&p);
    let mut set = sandbox.cmd();
    set.args(["profile", "set-password", "auth", "--password-env", "OB_PW"])
        .env("OB_PW", "wrong-password");
    assert!(set.output().unwrap().status.success());
    let out = sandbox.send(&["-t"], "To: a@example.net\n\nb\n");
    assert_eq!(code(&out), 77, "{}", stderr(&out));
    assert!(!stderr(&out).contains("wrong-password"));
    let mut set = sandbox.cmd();
    set.args(["profile", "set-password", "auth", "--password-env", "OB_PW"])
        .env("OB_PW", "right-password");
    assert!(set.output().unwrap().status.success());
    let out = sandbox.send(&["-t"], "To: a@example.net\n\nb\n");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(peer.messages()[0]["login"], support::USER);
}

#[test]
fn the_profiles_sendmail_program_gets_the_message_once_with_envelope_and_its_status_counts() {
    let sandbox = Sandbox::new();
    let script = sandbox.path("fake-sendmail");
    let record = sandbox.path("record");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{0}.args'\ncat >> '{0}.msg'\nexit ${{OB_EXIT:-0}}\n",
            record.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut p = send_profile("prog", 1, "sender@example.org");
    p.delivery = Delivery::Sendmail;
    p.sendmail.path = script.display().to_string();
    p.sendmail.args = "-i".into();
    sandbox.save_default(&p);
    let out = sandbox.send(
        &["-t"],
        "To: a@example.net\nBcc: b@example.net\nSubject: s\n\nbody\n",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let args = std::fs::read_to_string(format!("{}.args", record.display())).unwrap();
    assert_eq!(
        args,
        "-i\n-f\nsender@example.org\n--\na@example.net\nb@example.net\n"
    );
    let message = std::fs::read_to_string(format!("{}.msg", record.display())).unwrap();
    assert!(
        message.contains("Subject: [prog] s") && !message.contains("Bcc"),
        "{message}"
    );
    let mut command = sandbox.cmd();
    command.args(["send", "-t"]).env("OB_EXIT", "75");
    let out = feed(command, b"To: a@example.net\n\nb\n");
    assert_eq!(
        code(&out),
        0,
        "the program's 75 queues it: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("queued as"), "{}", stderr(&out));
    command = sandbox.cmd();
    command.args(["send", "-t"]).env("OB_EXIT", "69");
    let out = feed(command, b"To: a@example.net\n\nb\n");
    assert_eq!(code(&out), 69, "{}", stderr(&out));
}

fn outgoing(to: &str, subject: &str) -> Outgoing {
    Outgoing {
        envelope: Envelope {
            sender: "sender@example.org".into(),
            recipients: vec![to.to_owned()],
            dsn: Dsn::default(),
        },
        message: format!(
            "From: sender@example.org\r\nTo: {to}\r\nSubject: {subject}\r\n\r\n.leading dot\r\n"
        )
        .into_bytes(),
    }
}

#[tokio::test]
async fn several_messages_go_over_one_connection_and_a_refused_one_does_not_stop_the_rest() {
    for pipelining in [false, true] {
        let options: &[&str] = if pipelining { &["--pipelining"] } else { &[] };
        let peer = Peer::start_with("none", None, "secret", options);
        let p = send_profile("many", peer.port, "sender@example.org");
        let messages = vec![
            outgoing("a@example.net", "one"),
            // aiosmtpd without SMTPUTF8 cannot take this one.
            outgoing("пользователь@example.net", "two"),
            outgoing("c@example.net", "three"),
        ];
        let delivery = send::deliver(&p, DeliverOptions::default(), &messages).await;
        let text = support::transcript_text(&delivery.report);
        assert_eq!(delivery.outcomes.len(), 3);
        assert!(
            matches!(delivery.outcomes[0], Outcome::Sent { .. }),
            "{text}"
        );
        match &delivery.outcomes[1] {
            Outcome::Failed(failure) => {
                assert_eq!(failure.diagnosis.code.as_str(), "smtputf8_unsupported");
                assert_eq!(failure.exit.code(), 69);
                assert!(!failure.temporary);
            }
            other => panic!("{other:?}\n{text}"),
        }
        assert!(
            matches!(delivery.outcomes[2], Outcome::Sent { .. }),
            "{text}"
        );
        let got = peer.messages();
        assert_eq!(got.len(), 2, "{text}");
        assert!(content(&got[1]).contains("Subject: three"));
        assert!(
            content(&got[0]).contains("\r\n.leading dot"),
            "dot-stuffed and undone"
        );
        let count = |needle: &str| text.lines().filter(|l| l.contains(needle)).count();
        assert_eq!(count("EHLO client.test"), 1, "one connection:\n{text}");
        assert_eq!(count("QUIT"), 1, "{text}");
        assert_eq!(count("RSET"), 1, "RSET after the refused one only:\n{text}");
    }
}

/// An 8-bit message of `letters` Cyrillic letters (two bytes each as written,
/// six as quoted-printable).
fn eight_bit(to: &str, subject: &str, letters: usize) -> Outgoing {
    let mut message = outgoing(to, subject);
    message.message = format!(
        "From: sender@example.org\r\nTo: {to}\r\nSubject: {subject}\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        "Ж".repeat(letters)
    )
    .into_bytes();
    message
}

/// Without 8BITMIME a message goes quoted-printable, so the server's SIZE
/// is held against the converted bytes: one that fits as written but not as
/// it goes is not offered, neither pipelined after the previous message nor
/// with AUTH, and the others declare (SIZE=) what they send.
#[tokio::test]
async fn without_8bitmime_the_size_limit_counts_the_quoted_printable_bytes_in_a_batch() {
    const LIMIT: usize = 2000;
    let replies = Replies {
        ehlo: vec!["fake.test", "PIPELINING", "SIZE 2000", "AUTH PLAIN"],
        ..Replies::default()
    };
    let fake = Fake::start(Behaviour::Smtp(replies)).await;
    let small = |to: &str| eight_bit(to, "small", 10);
    let big = eight_bit("big@example.net", "big", 700);
    assert!(big.message.len() < LIMIT, "fits as written");
    let converted = |m: &Outgoing| send::mime::seven_bit(&m.message).len();
    assert!(converted(&big) > LIMIT, "not as it goes");
    let mut p = send_profile("many", fake.port, "sender@example.org");
    // First a batch without login; then the big one first, its envelope not
    // pipelined with AUTH PLAIN.
    for (batch, login) in [
        (
            vec![small("a@example.net"), big.clone(), small("c@example.net")],
            false,
        ),
        (vec![big.clone(), small("d@example.net")], true),
    ] {
        let mut options = DeliverOptions::default();
        if login {
            p.smtp.auth = AuthMethod::Plain;
            p.smtp.username = "tester".into();
            options.password = Some("secret".into());
        }
        let delivery = send::deliver(&p, options, &batch).await;
        let text = support::transcript_text(&delivery.report);
        assert_eq!(delivery.outcomes.len(), batch.len(), "{text}");
        for (message, outcome) in batch.iter().zip(&delivery.outcomes) {
            if message.envelope.recipients[0].starts_with("big") {
                match outcome {
                    Outcome::Failed(failure) => {
                        assert_eq!(
                            failure.diagnosis.code.as_str(),
                            "message_rejected",
                            "{text}"
                        );
                        let diagnosis = &failure.diagnosis;
                        assert_eq!(diagnosis.get("reason"), Some("too_big"), "{text}");
                        let size = converted(&big).to_string();
                        assert_eq!(diagnosis.get("size"), Some(size.as_str()), "{text}");
                    }
                    other => panic!("{other:?}\n{text}"),
                }
            } else {
                assert!(
                    matches!(outcome, Outcome::Sent { .. }),
                    "{outcome:?}\n{text}"
                );
            }
        }
        let mails: Vec<&str> = text.lines().filter(|l| l.contains("MAIL FROM")).collect();
        assert_eq!(
            mails.len(),
            batch.len() - 1,
            "the big one never offered:\n{text}"
        );
        let declared = format!(" SIZE={}", converted(&small("x@example.net")));
        assert!(
            mails
                .iter()
                .all(|l| l.ends_with(&declared) && !l.contains("BODY=")),
            "{declared}\n{text}"
        );
        assert_eq!(
            text.lines().filter(|l| l.contains("QUIT")).count(),
            1,
            "{text}"
        );
    }
}

#[test]
fn a_non_ascii_address_goes_with_smtputf8_when_offered_and_is_refused_for_good_otherwise() {
    let message = "To: пользователь@example.net\nSubject: s\n\nb\n";
    for offered in [true, false] {
        let options: &[&str] = if offered { &["--smtputf8"] } else { &[] };
        let peer = Peer::start_with("none", None, "secret", options);
        let sandbox = Sandbox::new();
        sandbox.save_default(&send_profile("ob", peer.port, "sender@example.org"));
        let out = sandbox.send(&["-t"], message);
        if offered {
            assert_eq!(code(&out), 0, "{}", stderr(&out));
            let got = peer.messages();
            assert_eq!(rcpts(&got[0]), vec!["пользователь@example.net"]);
            assert!(got[0]["mail_options"].to_string().contains("SMTPUTF8"));
        } else {
            assert_eq!(code(&out), 69, "{}", stderr(&out));
            assert!(stderr(&out).contains("SMTPUTF8"), "{}", stderr(&out));
            assert!(peer.messages().is_empty());
        }
    }
}
