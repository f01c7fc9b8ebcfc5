//! The sender-domain row (`core::domain`) against Debian's dnsmasq answering
//! MX and TXT records on loopback (`OUTBOUND_TEST_DNS`): SPF that authorises
//! 127.0.0.1 directly and through include + a, one that does not, one over the
//! 10-lookup limit, DMARC reject and none, MTA-STS and TLS-RPT present and
//! absent, a domain with no records at all; a DNS server that never answers;
//! and the row in `outbound check`'s text and `--json` and in the Check tab,
//! against aiosmtpd.

mod sandbox;
mod support;

use std::process::Output;
use std::sync::Arc;
use std::time::Duration;

use outbound::core::check::Code;
use outbound::core::domain::{self, Check, Query, SenderDomain, Status};
use outbound::core::profile::{AuthMethod, Security};
use outbound::ui::app::{App, Message, Tab};
use outbound::ui::pages::check;
use sandbox::ui::{click, interact, send, settle, shows};
use sandbox::{Sandbox, json};
use support::Peer;
use support::dns::{SilentDns, dnsmasq};

const PASSWORD: &str = "unused-password";

/// The zones of every case: `.test` answered by dnsmasq alone (`--local`
/// makes every other `.test` name NXDOMAIN rather than unanswered).
fn zones() -> Vec<String> {
    let mut records: Vec<String> = [
        "--local=/test/",
        // SPF by ip4; every record present; the server by name.
        "--txt-record=pass.test,v=spf1 ip4:127.0.0.1 -all",
        "--mx-host=pass.test,mx.pass.test,10",
        "--host-record=mx.pass.test,127.0.0.25",
        "--host-record=smtp.pass.test,127.0.0.1",
        "--txt-record=_dmarc.pass.test,v=DMARC1; p=reject",
        "--txt-record=_mta-sts.pass.test,v=STSv1; id=20261203",
        "--txt-record=_smtp._tls.pass.test,v=TLSRPTv1; rua=mailto:tls@pass.test",
        // SPF through a provider's include and its a: term; DMARC none.
        "--txt-record=viainclude.test,v=spf1 include:spf.provider.test -all",
        "--txt-record=spf.provider.test,v=spf1 a:out.provider.test ~all",
        "--host-record=out.provider.test,127.0.0.1",
        "--txt-record=_dmarc.viainclude.test,v=DMARC1; p=none",
        "--mx-host=viainclude.test,mx.provider.test,5",
        // SPF that does not name the server.
        "--txt-record=deny.test,v=spf1 ip4:192.0.2.0/24 -all",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Eleven includes in a chain: one more than RFC 7208 allows.
    for n in 0..11 {
        let name = if n == 0 {
            "many.test".to_owned()
        } else {
            format!("l{n}.many.test")
        };
        records.push(format!(
            "--txt-record={name},v=spf1 include:l{}.many.test -all",
            n + 1
        ));
    }
    records.push("--txt-record=l11.many.test,v=spf1 ip4:127.0.0.1 -all".to_owned());
    records
}

fn start_zones() -> (support::dns::Running, String) {
    let zones = zones();
    let args: Vec<&str> = zones.iter().map(String::as_str).collect();
    dnsmasq(&args)
}

fn codes(row: &SenderDomain) -> Vec<&str> {
    row.lines.iter().map(|l| l.code).collect()
}

fn line(row: &SenderDomain, check: Check) -> &domain::Line {
    row.lines.iter().find(|l| l.check == check).unwrap()
}

async fn row(sender: &str, server: Option<&str>) -> SenderDomain {
    domain::look_up(Query {
        sender: sender.to_owned(),
        server: server.map(str::to_owned),
        timeout: Duration::from_secs(5),
    })
    .await
    .unwrap_or_else(|| panic!("a row for {sender}"))
}

/// The cases run in this process, in one test: `OUTBOUND_TEST_DNS` is the
/// process's, so no other test here sets it (the command-line tests give it
/// to their child).
#[tokio::test]
async fn in_process_lookups_and_the_check_tab() {
    let (_dns, address) = start_zones();
    // SAFETY: set before any lookup of this test binary and by this test only;
    // the other tests read it nowhere (they pass it to a child process).
    unsafe { std::env::set_var("OUTBOUND_TEST_DNS", &address) };
    each_record_becomes_a_line().await;
    the_check_tab_shows_the_row_of_its_own_run().await;
}

async fn each_record_becomes_a_line() {
    let pass = row("me@pass.test", Some("smtp.pass.test")).await;
    assert_eq!(
        codes(&pass),
        [
            "mx_found",
            "spf_pass",
            "dmarc_reject",
            "mta_sts_present",
            "tls_rpt_present"
        ]
    );
    assert!(pass.ok());
    assert_eq!(line(&pass, Check::Mx).args["hosts"], "mx.pass.test");
    assert_eq!(line(&pass, Check::Spf).args["address"], "127.0.0.1");
    assert!(line(&pass, Check::Spf).message().contains("127.0.0.1"));

    let via = row("me@viainclude.test", Some("127.0.0.1")).await;
    assert_eq!(
        codes(&via),
        [
            "mx_found",
            "spf_pass",
            "dmarc_none",
            "mta_sts_absent",
            "tls_rpt_absent"
        ]
    );
    assert_eq!(line(&via, Check::Dmarc).status, Status::Warning);
    assert!(!via.ok());

    let deny = row("me@deny.test", Some("127.0.0.1")).await;
    let spf = line(&deny, Check::Spf);
    assert_eq!((spf.code, spf.status), ("spf_fail", Status::Warning));
    assert!(spf.hint().contains("deny.test"), "{}", spf.hint());
    assert_eq!(line(&deny, Check::Mx).code, "mx_none");
    assert_eq!(line(&deny, Check::Dmarc).code, "dmarc_missing");

    let many = row("me@many.test", Some("127.0.0.1")).await;
    let spf = line(&many, Check::Spf);
    assert_eq!(spf.code, "spf_too_many_lookups");
    assert!(spf.message().contains("10"), "{}", spf.message());

    let empty = row("me@nothing.test", Some("127.0.0.1")).await;
    assert_eq!(
        codes(&empty),
        [
            "mx_none",
            "spf_none",
            "dmarc_missing",
            "mta_sts_absent",
            "tls_rpt_absent"
        ]
    );
    assert!(empty.lines.iter().all(|l| l.status == Status::Warning));

    // Sendmail: a record, but no server address to test it against.
    let no_server = row("me@pass.test", None).await;
    assert_eq!(line(&no_server, Check::Spf).code, "spf_unchecked");

    // Reserved names and senders without a domain have no row.
    for sender in ["me@example.org", "", "not-an-address"] {
        let query = Query {
            sender: sender.to_owned(),
            server: Some("127.0.0.1".to_owned()),
            timeout: Duration::from_secs(5),
        };
        assert_eq!(domain::look_up(query).await, None, "{sender}");
    }
}

/// The Check tab of a profile sending as me@pass.test through aiosmtpd: the
/// row's card under the result; a row of another run is dropped.
async fn the_check_tab_shows_the_row_of_its_own_run() {
    outbound::i18n::init(Some("en"));
    let peer = Peer::start("none", None, PASSWORD);
    let mut profile = support::smtp_profile(peer.port, Security::None, AuthMethod::None);
    profile.name = "domain".into();
    profile.sender.address = "me@pass.test".into();
    let sandbox = Sandbox::new();
    sandbox.save(&profile);
    let (mut app, boot) = App::with(
        Ok(sandbox.store()),
        outbound::core::preferences::Preferences::default(),
        false,
    );
    settle(&mut app, boot).await;
    interact(&mut app, |ui| click(ui, "domain")).await;
    send(&mut app, Message::Tab(Tab::Check)).await;
    let id = app.editor().unwrap().id;
    send(&mut app, Message::Check(id, check::Message::Start)).await;
    let report = app
        .editor()
        .unwrap()
        .check
        .report()
        .expect("the check finished");
    assert_eq!(report.diagnosis.code, Code::Ok, "{:?}", report.steps);
    assert!(shows(&app, "Sender domain pass.test"));
    let expected = row("me@pass.test", Some("127.0.0.1")).await;
    for line in &expected.lines {
        assert!(shows(&app, &line.message()), "{}", line.message());
    }
    // An answer of an earlier run (run 0: none was started before) is stale.
    let stale = SenderDomain {
        domain: "stale.test".into(),
        lines: Vec::new(),
    };
    send(
        &mut app,
        Message::Check(id, check::Message::SenderDomain(0, Some(Arc::new(stale)))),
    )
    .await;
    assert!(!shows(&app, "Sender domain stale.test"));
    assert!(shows(&app, "Sender domain pass.test"));
}

/// `outbound check` of the aiosmtpd peer with `from` as the sender and `dns`
/// as the DNS server.
fn check(peer: &Peer, dns: &str, from: &str, extra: &[&str]) -> Output {
    let port = peer.port.to_string();
    Sandbox::new()
        .cmd()
        .args(["check", "--host", "127.0.0.1", "--port", &port])
        .args(["--security", "none", "--auth", "none", "--from", from])
        .args(extra)
        .env("OUTBOUND_TEST_DNS", dns)
        .env("OUTBOUND_LANG", "en")
        .output()
        .unwrap()
}

#[test]
fn check_json_carries_the_sender_domain() {
    let (_dns, dns) = start_zones();
    let peer = Peer::start("none", None, PASSWORD);
    let output = check(&peer, &dns, "me@pass.test", &["--json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        sandbox::stderr(&output)
    );
    let value = json(&output);
    // The check's own keys are as they were.
    for key in ["ok", "diagnosis", "steps", "server", "transcript"] {
        assert!(value.get(key).is_some(), "{key} in {value}");
    }
    assert_eq!(value["diagnosis"]["code"], "ok");
    let row = &value["sender_domain"];
    assert_eq!(row["domain"], "pass.test");
    assert_eq!(row["ok"], true);
    let lines = row["lines"].as_array().unwrap();
    let found: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["check"].as_str().unwrap(),
                l["status"].as_str().unwrap(),
                l["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("mx", "ok", "mx_found"),
            ("spf", "ok", "spf_pass"),
            ("dmarc", "ok", "dmarc_reject"),
            ("mta_sts", "ok", "mta_sts_present"),
            ("tls_rpt", "ok", "tls_rpt_present"),
        ]
    );
    assert_eq!(lines[1]["args"]["address"], "127.0.0.1");
    assert!(lines[1]["message"].as_str().unwrap().contains("pass.test"));
    assert!(lines[1]["hint"].is_string());
    // The step names are DESIGN.md's: the row is no step.
    let steps: Vec<&str> = value["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        steps.iter().all(|s| support::EVERY_STEP.contains(s)),
        "{steps:?}"
    );
}

#[test]
fn check_text_prints_the_lines_after_the_diagnosis() {
    let (_dns, dns) = start_zones();
    let peer = Peer::start("none", None, PASSWORD);
    let output = check(&peer, &dns, "me@deny.test", &[]);
    // A sender whose SPF refuses the server is a warning, never a failed check.
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        sandbox::stderr(&output)
    );
    let text = sandbox::stdout(&output);
    let diagnosis = text.find("[ok]").expect("the diagnosis");
    let title = text
        .find("Sender domain deny.test")
        .expect("the row's title");
    assert!(diagnosis < title, "{text}");
    assert!(text[title..].contains("SPF"), "{text}");
    assert!(text[title..].contains("[spf_fail]"), "{text}");
    assert!(
        text[title..].contains("does not allow the server (127.0.0.1)"),
        "{text}"
    );
    assert!(text[title..].contains("[dmarc_missing]"), "{text}");
}

#[test]
fn a_silent_dns_server_gives_warnings_not_a_failure() {
    let silent = SilentDns::start();
    let peer = Peer::start("none", None, PASSWORD);
    let output = check(
        &peer,
        &silent.address,
        "me@pass.test",
        &["--timeout", "1", "--json"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        sandbox::stderr(&output)
    );
    let value = json(&output);
    assert_eq!(value["diagnosis"]["code"], "ok");
    let lines = value["sender_domain"]["lines"].as_array().unwrap();
    let codes: Vec<&str> = lines.iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "mx_lookup_failed",
            "spf_temperror",
            "dmarc_lookup_failed",
            "mta_sts_lookup_failed",
            "tls_rpt_lookup_failed"
        ]
    );
    for line in lines {
        assert_eq!(line["status"], "warning");
        // Ended by the row's deadline (the step timeout), not by the resolver.
        assert_eq!(line["args"]["reason"], "no answer in time", "{line}");
    }
}
