//! The SPF evaluation against an in-memory zone.

use super::*;
use crate::core::domain::dns::table::Table;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn verdict(table: Table, address: &str, domain: &str) -> Verdict {
    let dns = Dns::table(table);
    check_host(&dns, ip(address), domain, &format!("me@{domain}"))
        .await
        .verdict
}

#[test]
fn records_parse_into_terms() {
    let record = parse("v=spf1 ip4:192.0.2.0/24 -a:mail.%{d}/28//64 ~mx ?include:x.test redirect=r.test exp=e.test all").unwrap();
    assert_eq!(
        record.terms,
        vec![
            (Qualifier::Pass, Mechanism::Ip(ip("192.0.2.0"), 24)),
            (
                Qualifier::Fail,
                Mechanism::A {
                    domain: Some("mail.%{d}".to_owned()),
                    v4: 28,
                    v6: 64
                }
            ),
            (
                Qualifier::SoftFail,
                Mechanism::Mx {
                    domain: None,
                    v4: 32,
                    v6: 128
                }
            ),
            (Qualifier::Neutral, Mechanism::Include("x.test".to_owned())),
            (Qualifier::Pass, Mechanism::All),
        ]
    );
    assert_eq!(record.redirect.as_deref(), Some("r.test"));
    for bad in [
        "v=spf1 ip4:300.1.1.1",
        "v=spf1 ip4:10.0.0.0/33",
        "v=spf1 ip6:10.0.0.1",
        "v=spf1 include",
        "v=spf1 frobnicate",
        "v=spf1 redirect=a.test redirect=b.test",
        "v=spf1 all:x",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    assert!(is_spf("v=spf1 -all") && is_spf("V=SPF1") && !is_spf("v=spf10 -all"));
}

#[test]
fn networks_match_by_prefix() {
    assert!(in_network(ip("127.0.0.1"), ip("127.0.0.0"), 8));
    assert!(!in_network(ip("128.0.0.1"), ip("127.0.0.0"), 8));
    assert!(in_network(ip("10.1.2.3"), ip("0.0.0.0"), 0));
    assert!(in_network(ip("2001:db8::1"), ip("2001:db8::"), 32));
    assert!(!in_network(ip("2001:db9::1"), ip("2001:db8::"), 32));
    assert!(!in_network(ip("127.0.0.1"), ip("::1"), 128));
}

#[tokio::test]
async fn ip4_include_and_a_pass() {
    let zone = || {
        Table::default()
            .txt_record("direct.test", "v=spf1 ip4:127.0.0.0/8 -all")
            .txt_record("via.test", "v=spf1 include:spf.provider.test -all")
            .txt_record("spf.provider.test", "v=spf1 a:out.provider.test ~all")
            .address("out.provider.test", "127.0.0.1")
    };
    assert_eq!(
        verdict(zone(), "127.0.0.1", "direct.test").await,
        Verdict::Pass
    );
    assert_eq!(
        verdict(zone(), "127.0.0.1", "via.test").await,
        Verdict::Pass
    );
    // The include's ~all is no match, so the outer -all decides.
    assert_eq!(
        verdict(zone(), "192.0.2.9", "via.test").await,
        Verdict::Fail
    );
}

#[tokio::test]
async fn qualifiers_decide_the_result() {
    let zone = || {
        Table::default()
            .txt_record("fail.test", "v=spf1 ip4:192.0.2.1 -all")
            .txt_record("soft.test", "v=spf1 ~all")
            .txt_record("neutral.test", "v=spf1 ?all")
            .txt_record("open.test", "v=spf1 ip4:192.0.2.1")
            .txt_record("other.test", "v=spf1 +all")
            .txt_record("other.test", "some verification token")
    };
    assert_eq!(
        verdict(zone(), "127.0.0.1", "fail.test").await,
        Verdict::Fail
    );
    assert_eq!(
        verdict(zone(), "127.0.0.1", "soft.test").await,
        Verdict::SoftFail
    );
    assert_eq!(
        verdict(zone(), "127.0.0.1", "neutral.test").await,
        Verdict::Neutral
    );
    assert_eq!(
        verdict(zone(), "127.0.0.1", "open.test").await,
        Verdict::Neutral
    );
    assert_eq!(
        verdict(zone(), "127.0.0.1", "other.test").await,
        Verdict::Pass
    );
    assert_eq!(
        verdict(zone(), "127.0.0.1", "none.test").await,
        Verdict::None
    );
}

#[tokio::test]
async fn the_eleventh_lookup_is_an_error() {
    // Each include costs one lookup: a chain of 11 is over the limit, 10 is not.
    let chain = |length: usize| {
        let mut table = Table::default();
        for n in 0..length {
            table = table.txt_record(
                &format!("l{n}.test"),
                &format!("v=spf1 include:l{}.test -all", n + 1),
            );
        }
        table.txt_record(&format!("l{length}.test"), "v=spf1 ip4:127.0.0.1 -all")
    };
    let dns = Dns::table(chain(10));
    let within = check_host(&dns, ip("127.0.0.1"), "l0.test", "me@l0.test").await;
    assert_eq!(within.verdict, Verdict::Pass);
    assert_eq!(within.lookups, 10);
    assert_eq!(
        verdict(chain(11), "127.0.0.1", "l0.test").await,
        Verdict::TooManyLookups
    );
    // Flat terms count too (a, mx, exists, redirect), and ip4 does not.
    let flat = Table::default()
        .address("flat.test", "192.0.2.1")
        .mx_record("flat.test", 10, "mx.flat.test")
        .address("mx.flat.test", "192.0.2.2")
        .txt_record(
            "flat.test",
            "v=spf1 a mx a mx a mx a mx a mx ip4:10.0.0.0/8 a ip4:127.0.0.1 -all",
        );
    assert_eq!(
        verdict(flat, "127.0.0.1", "flat.test").await,
        Verdict::TooManyLookups
    );
}

#[tokio::test]
async fn mx_redirect_exists_and_macros() {
    let zone = || {
        Table::default()
            .txt_record("mx.test", "v=spf1 mx/24 -all")
            .mx_record("mx.test", 10, "in.mx.test")
            .address("in.mx.test", "127.0.0.77")
            .txt_record("moved.test", "v=spf1 redirect=_spf.%{d}")
            .txt_record("_spf.moved.test", "v=spf1 ip6:::1 ip4:127.0.0.1 -all")
            .txt_record("ex.test", "v=spf1 exists:%{ir}.%{l1r-}.allow.%{d2} -all")
            .address("1.0.0.127.me.allow.ex.test", "127.0.0.2")
            .txt_record("dangling.test", "v=spf1 redirect=gone.test")
            .txt_record("unclosed.test", "v=spf1 exists:%{i.x.test -all")
    };
    assert_eq!(verdict(zone(), "127.0.0.1", "mx.test").await, Verdict::Pass);
    assert_eq!(verdict(zone(), "127.0.1.1", "mx.test").await, Verdict::Fail);
    assert_eq!(
        verdict(zone(), "127.0.0.1", "moved.test").await,
        Verdict::Pass
    );
    assert_eq!(verdict(zone(), "::1", "moved.test").await, Verdict::Pass);
    assert_eq!(verdict(zone(), "127.0.0.1", "ex.test").await, Verdict::Pass);
    assert_eq!(verdict(zone(), "127.0.0.3", "ex.test").await, Verdict::Fail);
    for broken in ["dangling.test", "unclosed.test"] {
        assert!(matches!(
            verdict(zone(), "127.0.0.1", broken).await,
            Verdict::PermError(_)
        ));
    }
}

#[tokio::test]
async fn errors_are_told_apart() {
    let zone = || {
        Table::default()
            .txt_record("two.test", "v=spf1 -all")
            .txt_record("two.test", "v=spf1 ~all")
            .txt_record("broken.test", "v=spf1 include:down.test -all")
            .failing("down.test")
            .txt_record("voids.test", "v=spf1 a:n1.test a:n2.test a:n3.test -all")
            .txt_record("noinclude.test", "v=spf1 include:nothing.test -all")
    };
    assert!(matches!(
        verdict(zone(), "127.0.0.1", "two.test").await,
        Verdict::PermError(_)
    ));
    assert!(matches!(
        verdict(zone(), "127.0.0.1", "broken.test").await,
        Verdict::TempError(_)
    ));
    assert!(matches!(
        verdict(zone(), "127.0.0.1", "voids.test").await,
        Verdict::PermError(_)
    ));
    assert!(matches!(
        verdict(zone(), "127.0.0.1", "noinclude.test").await,
        Verdict::PermError(_)
    ));
    assert!(matches!(
        verdict(zone(), "127.0.0.1", "down.test").await,
        Verdict::TempError(_)
    ));
}
