//! The check engine through the real `outbound check` binary: connecting to a
//! host with a dead address first (Happy Eyeballs, names from dnsmasq through
//! `OUTBOUND_TEST_DNS`), and JSON whose codes and arguments do not change with
//! the interface language.

mod sandbox;
mod support;

use std::net::SocketAddr;
use std::time::Duration;

use sandbox::{Sandbox, json};
use serde_json::Value;
use support::dns::dnsmasq;
use support::{Peer, certs};

const PASSWORD: &str = "s3cret";

/// A listener on `address` whose accept queue is full: further connection
/// attempts get no SYN-ACK and hang, as towards a dead address. Hands back
/// what must stay alive.
async fn dead_listener(
    address: SocketAddr,
) -> (tokio::net::TcpListener, Vec<tokio::net::TcpStream>) {
    let socket = if address.is_ipv6() {
        tokio::net::TcpSocket::new_v6()
    } else {
        tokio::net::TcpSocket::new_v4()
    }
    .unwrap();
    socket.bind(address).unwrap();
    let listener = socket.listen(0).unwrap();
    let mut fillers = Vec::new();
    // Connections that complete fill the queue (never accepted); the first
    // one that hangs shows it is full.
    loop {
        let attempt = tokio::time::timeout(
            Duration::from_millis(500),
            tokio::net::TcpStream::connect(address),
        )
        .await;
        match attempt {
            Ok(Ok(stream)) => fillers.push(stream),
            Ok(Err(error)) => panic!("filling the accept queue of {address}: {error}"),
            Err(_) => break,
        }
        assert!(
            fillers.len() < 64,
            "the accept queue of {address} never fills"
        );
    }
    (listener, fillers)
}

/// `he.test` resolves to ::1 and 127.0.0.1; on ::1 (tried first) nothing ever
/// answers. The check connects to 127.0.0.1 and passes, and the second attempt
/// starts about 250 ms after the first, not after the 20 s step timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_first_address_costs_only_the_attempt_delay() {
    let peer = Peer::start("none", None, PASSWORD);
    let v6: SocketAddr = format!("[::1]:{}", peer.port).parse().unwrap();
    let _dead = dead_listener(v6).await;
    let (_dns, server) = dnsmasq(&["--host-record=he.test,127.0.0.1,::1"]);
    let sandbox = Sandbox::new();
    let port = peer.port.to_string();
    let timeout_secs: u64 = 20;
    let args: Vec<String> = [
        "check",
        "--host",
        "he.test",
        "--port",
        &port,
        "--security",
        "none",
        "--auth",
        "none",
        "--timeout",
        &timeout_secs.to_string(),
        "--json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let output = tokio::task::spawn_blocking(move || {
        sandbox
            .cmd()
            .args(args)
            .env("OUTBOUND_TEST_DNS", server)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let value = json(&output);
    assert_eq!(value["diagnosis"]["code"], "ok", "{value:#}");
    let connect = value["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "connect")
        .unwrap();
    assert_eq!(connect["code"], "connected");
    assert_eq!(
        connect["args"]["address"],
        format!("127.0.0.1:{}", peer.port)
    );
    let resolve = &value["steps"][0];
    assert_eq!(resolve["args"]["addresses"], "::1, 127.0.0.1", "{resolve}");
    // The transcript's own clock: when each attempt started.
    let started = |address: &str| {
        value["transcript"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["text"] == format!("connecting to {address}"))
            .unwrap_or_else(|| panic!("no attempt on {address}: {value:#}"))["elapsed_ms"]
            .as_u64()
            .unwrap()
    };
    let first = started(&format!("[::1]:{}", peer.port));
    let second = started(&format!("127.0.0.1:{}", peer.port));
    assert!(first <= second, "::1 is tried first: {value:#}");
    assert!(
        second - first < timeout_secs * 1000 / 4,
        "the second attempt started {} ms after the first, long before the {} s timeout",
        second - first,
        timeout_secs
    );
}

/// The same checks under OUTBOUND_LANG=en and =ru: the localized texts differ,
/// the codes and arguments of every step and of the diagnosis do not.
#[test]
fn json_codes_and_arguments_do_not_depend_on_the_language() {
    let authority = certs::Authority::new();
    let cert = authority.issue(&["127.0.0.1"], false);
    let plain = Peer::start("none", None, PASSWORD);
    let tls = Peer::start("tls", Some(&cert), PASSWORD);
    let sandbox = Sandbox::new();
    let check = |lang: &str, args: &[&str]| -> Value {
        let output = sandbox
            .cmd()
            .arg("check")
            .args(args)
            .env("OUTBOUND_LANG", lang)
            .env("OB_TEST_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        json(&output)
    };
    let plain_port = plain.port.to_string();
    let tls_port = tls.port.to_string();
    let sending = [
        "--host",
        "127.0.0.1",
        "--port",
        &plain_port,
        "--security",
        "none",
        "--auth",
        "plain",
        "--user",
        support::USER,
        "--password-env",
        "OB_TEST_PASSWORD",
        "--from",
        "sender@example.org",
        "--to",
        "a@example.net",
        "--send",
        "--json",
    ];
    // Plain text against an implicit-TLS port: the probe's reason was text.
    let mismatch = [
        "--host",
        "127.0.0.1",
        "--port",
        &tls_port,
        "--security",
        "none",
        "--auth",
        "none",
        "--timeout",
        "10",
        "--json",
    ];
    for args in [&sending[..], &mismatch[..]] {
        let en = check("en", args);
        let ru = check("ru", args);
        let stable = |value: &Value| {
            let steps: Vec<(Value, Value, Value, Value)> = value["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    assert!(s["code"].is_string(), "every step has a code: {s}");
                    assert!(s["args"].is_object(), "every step has args: {s}");
                    (
                        s["name"].clone(),
                        s["status"].clone(),
                        s["code"].clone(),
                        s["args"].clone(),
                    )
                })
                .collect();
            let diagnosis = &value["diagnosis"];
            assert!(diagnosis["args"].is_object(), "{diagnosis}");
            (steps, diagnosis["code"].clone(), diagnosis["args"].clone())
        };
        assert_eq!(stable(&en), stable(&ru), "en:\n{en:#}\nru:\n{ru:#}");
        assert_ne!(
            en["diagnosis"]["message"], ru["diagnosis"]["message"],
            "the texts are translated"
        );
        let details = |value: &Value| -> Vec<Value> {
            value["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["detail"].clone())
                .collect()
        };
        if args == &mismatch[..] {
            assert_eq!(en["diagnosis"]["code"], "tls_mode_mismatch", "{en:#}");
            assert_eq!(en["diagnosis"]["args"]["reason"], "speaks_tls", "{en:#}");
            assert_ne!(
                details(&en),
                details(&ru),
                "the step details are translated"
            );
        } else {
            assert_eq!(en["diagnosis"]["code"], "ok", "{en:#}");
            let auth = en["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["name"] == "auth")
                .unwrap();
            assert_eq!(auth["code"], "auth_plaintext", "{auth}");
            assert_eq!(auth["args"]["mechanism"], "PLAIN", "{auth}");
        }
    }
}
