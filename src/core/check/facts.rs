//! What the server told about itself: greeting, both EHLO replies (before and
//! after STARTTLS), the extensions that matter to the check, TLS facts, and the
//! MTA recognised from the greeting and EHLO.

use serde::Serialize;

use super::tls::{self, CertificateFacts, Verification};
use crate::i18n;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerFacts {
    /// The address connected to.
    pub address: Option<String>,
    pub greeting: Option<String>,
    /// The keyword lines of the first EHLO reply (every line after the first, as
    /// sent: `SIZE 10240000`); with implicit TLS this one is already encrypted.
    pub ehlo: Vec<String>,
    /// The keyword lines of the EHLO after STARTTLS (empty without STARTTLS).
    pub ehlo_tls: Vec<String>,
    /// From the last EHLO (servers often offer AUTH only after STARTTLS).
    pub auth_mechanisms: Vec<String>,
    pub size: Option<u64>,
    pub pipelining: bool,
    pub smtputf8: bool,
    /// Whether the first EHLO offered STARTTLS.
    pub starttls: bool,
    pub tls: Option<TlsFacts>,
    /// For sendmail: the program's real path and the MTA behind it.
    pub program: Option<String>,
    /// The mail server software: `postfix`, `exim`, `sendmail`, `exchange`,
    /// `opensmtpd`, `haraka`, `dovecot`, `aiosmtpd`; for sendmail also `msmtp`…
    pub mta: Option<String>,
    /// What an IMAP server told (the IMAP check only; absent from SMTP's JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imap: Option<super::imap_facts::ImapFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsFacts {
    pub protocol: Option<String>,
    pub cipher_suite: Option<String>,
    pub certificate: Option<CertificateFacts>,
    pub verification: Option<Verification>,
    /// The certificate failed verification and `accept_invalid_certs` let it pass.
    pub accepted_invalid: bool,
}

impl ServerFacts {
    /// Reads the first EHLO reply (every line after the first is a keyword).
    /// Called again it starts over (the discovery probe reads both replies so).
    pub(crate) fn take_ehlo(&mut self, lines: &[String]) {
        self.ehlo = lines.iter().skip(1).cloned().collect();
        self.ehlo_tls.clear();
        self.starttls = self
            .ehlo
            .iter()
            .any(|line| keyword(line).eq_ignore_ascii_case("STARTTLS"));
        let keywords = self.ehlo.clone();
        self.take_keywords(&keywords);
        self.recognise(lines.first().map(String::as_str));
    }

    /// Reads the EHLO reply after STARTTLS; the first reply's list and its
    /// STARTTLS offer stay as they were.
    pub(crate) fn take_ehlo_tls(&mut self, lines: &[String]) {
        self.ehlo_tls = lines.iter().skip(1).cloned().collect();
        let keywords = self.ehlo_tls.clone();
        self.take_keywords(&keywords);
        self.recognise(lines.first().map(String::as_str));
    }

    /// The keywords in force now: after STARTTLS the second list, else the first.
    pub fn current_ehlo(&self) -> &[String] {
        if self.ehlo_tls.is_empty() {
            &self.ehlo
        } else {
            &self.ehlo_tls
        }
    }

    /// Whether the keywords in force now offer `extension` (`8BITMIME`, `DSN`).
    pub fn offers(&self, extension: &str) -> bool {
        self.current_ehlo()
            .iter()
            .any(|line| keyword(line).eq_ignore_ascii_case(extension))
    }

    fn take_keywords(&mut self, keywords: &[String]) {
        self.auth_mechanisms.clear();
        self.size = None;
        self.pipelining = false;
        self.smtputf8 = false;
        for line in keywords {
            let mut words = line.split_whitespace();
            let keyword = words.next().unwrap_or("").to_ascii_uppercase();
            match keyword.as_str() {
                // `AUTH=LOGIN PLAIN` is the pre-standard form some servers still send.
                "AUTH" | "AUTH=LOGIN" => {
                    let mut found: Vec<String> = words.map(|w| w.to_ascii_uppercase()).collect();
                    if keyword == "AUTH=LOGIN" {
                        found.insert(0, "LOGIN".to_owned());
                    }
                    for m in found {
                        if !self.auth_mechanisms.contains(&m) {
                            self.auth_mechanisms.push(m);
                        }
                    }
                }
                "SIZE" => self.size = words.next().and_then(|n| n.parse().ok()),
                "PIPELINING" => self.pipelining = true,
                "SMTPUTF8" => self.smtputf8 = true,
                _ => {}
            }
        }
    }

    /// Names the MTA from the greeting and the EHLO reply's first line and keywords.
    fn recognise(&mut self, ehlo_first: Option<&str>) {
        if self.mta.is_some() {
            return;
        }
        let mut texts: Vec<&str> = Vec::new();
        texts.extend(self.greeting.as_deref());
        texts.extend(ehlo_first);
        let keywords: Vec<&str> = self.current_ehlo().iter().map(String::as_str).collect();
        self.mta = mta_from(&texts.join("\n"), &keywords).map(str::to_owned);
    }
}

impl ServerFacts {
    /// The facts as the Check tab and the HTML report list them: each with its
    /// label in the interface language, in a fixed order, the empty ones left out.
    pub fn labelled(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let mut add = |key: &str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                lines.push((i18n::tr(key), value));
            }
        };
        add("facts-address", self.address.clone());
        add("facts-greeting", self.greeting.clone());
        add("facts-extensions", Some(self.current_ehlo().join(", ")));
        add("facts-auth", Some(self.auth_mechanisms.join(" ")));
        add("facts-size", self.size.map(|s| s.to_string()));
        add("facts-program", self.program.clone());
        add("facts-mta", self.mta.clone());
        if let Some(facts) = &self.tls {
            let protocol = [facts.protocol.clone(), facts.cipher_suite.clone()];
            let protocol: Vec<String> = protocol.into_iter().flatten().collect();
            add("facts-tls", Some(protocol.join(", ")));
            add(
                "facts-verification",
                facts.verification.as_ref().map(tls::verification_label),
            );
            if let Some(cert) = &facts.certificate {
                add("facts-subject", Some(cert.subject.clone()));
                add("facts-issuer", Some(cert.issuer.clone()));
                add(
                    "facts-valid",
                    Some(format!("{} — {}", cert.not_before, cert.not_after)),
                );
                add("facts-names", Some(cert.names.join(", ")));
                add("facts-fingerprint", Some(cert.sha256.clone()));
            }
        }
        lines
    }
}

fn keyword(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// The MTA a greeting (and the EHLO reply's first line) and EHLO keywords name.
pub fn mta_from(text: &str, keywords: &[&str]) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let has_word = |w: &str| words.contains(&w);
    if has_word("postfix") {
        return Some("postfix");
    }
    if has_word("exim") {
        return Some("exim");
    }
    if has_word("opensmtpd") {
        return Some("opensmtpd");
    }
    if has_word("haraka") {
        return Some("haraka");
    }
    if has_word("dovecot") {
        return Some("dovecot");
    }
    // "Microsoft ESMTP MAIL Service ready at …" (Exchange, Exchange Online), or
    // its private EHLO keywords.
    let exchange_keywords = [
        "X-EXPS",
        "XEXCH50",
        "X-ANONYMOUSTLS",
        "XRDST",
        "X-LINK2STATE",
    ];
    if lower.contains("microsoft esmtp")
        || keywords.iter().any(|k| {
            exchange_keywords
                .iter()
                .any(|x| keyword(k).eq_ignore_ascii_case(x))
        })
    {
        return Some("exchange");
    }
    // "ESMTP Sendmail 8.17.1.9/8.17.1.9; …", or its EHLO line "… pleased to meet you".
    if has_word("sendmail") || lower.contains("pleased to meet you") {
        return Some("sendmail");
    }
    // aiosmtpd greets with "Python SMTP 1.4.6" unless told otherwise.
    if has_word("aiosmtpd") || lower.contains("python smtp") {
        return Some("aiosmtpd");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_greetings_name_their_mta() {
        let cases: [(&str, &[&str], Option<&str>); 12] = [
            (
                "mail.example.org ESMTP Postfix (Debian/GNU)",
                &[],
                Some("postfix"),
            ),
            ("smtp.example.org ESMTP Postfix", &[], Some("postfix")),
            (
                "mx.example.com ESMTP Exim 4.96 Tue, 01 Dec 2026 10:00:00 +0000",
                &[],
                Some("exim"),
            ),
            (
                "host.example.com ESMTP Sendmail 8.17.1.9/8.17.1.9; Tue, 1 Dec 2026 10:00:00 GMT",
                &[],
                Some("sendmail"),
            ),
            (
                "host.example.com ESMTP\nhost.example.com Hello client [192.0.2.1], pleased to meet you",
                &[],
                Some("sendmail"),
            ),
            (
                "AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Tue, 1 Dec 2026 10:00:00 +0000",
                &[],
                Some("exchange"),
            ),
            (
                "ex01.contoso.com ready",
                &["X-EXPS GSSAPI NTLM"],
                Some("exchange"),
            ),
            ("mail.example.org ESMTP OpenSMTPD", &[], Some("opensmtpd")),
            (
                "mx.example.com ESMTP Haraka/3.0.3 ready",
                &[],
                Some("haraka"),
            ),
            ("mail.example.org Dovecot ready.", &[], Some("dovecot")),
            ("peer.test Python SMTP 1.4.6", &[], Some("aiosmtpd")),
            ("smtp.gmail.com ESMTP a1b2c3 - gsmtp", &[], None),
        ];
        for (text, keywords, expected) in cases {
            assert_eq!(mta_from(text, keywords), expected, "{text}");
        }
    }

    #[test]
    fn labelled_facts_come_in_order_with_labels_and_skip_the_empty_ones() {
        let facts = ServerFacts {
            address: Some("192.0.2.1:587".to_owned()),
            greeting: Some(String::new()),
            ehlo: vec!["PIPELINING".to_owned(), "SIZE 100".to_owned()],
            auth_mechanisms: vec!["PLAIN".to_owned(), "LOGIN".to_owned()],
            size: Some(100),
            tls: Some(TlsFacts {
                protocol: Some("TLS 1.3".to_owned()),
                cipher_suite: None,
                certificate: Some(CertificateFacts {
                    subject: "CN=mx".to_owned(),
                    issuer: "CN=ca".to_owned(),
                    not_before: "2026-01-01".to_owned(),
                    not_after: "2027-01-01".to_owned(),
                    names: vec!["mx.example".to_owned(), "mail.example".to_owned()],
                    sha256: "ab:cd".to_owned(),
                }),
                verification: Some(Verification::Untrusted("self-signed".to_owned())),
                accepted_invalid: true,
            }),
            ..ServerFacts::default()
        };
        let untrusted = format!("{} (self-signed)", i18n::tr("check-cert-untrusted"));
        let expected = [
            ("facts-address", "192.0.2.1:587"),
            ("facts-extensions", "PIPELINING, SIZE 100"),
            ("facts-auth", "PLAIN LOGIN"),
            ("facts-size", "100"),
            ("facts-tls", "TLS 1.3"),
            ("facts-verification", untrusted.as_str()),
            ("facts-subject", "CN=mx"),
            ("facts-issuer", "CN=ca"),
            ("facts-valid", "2026-01-01 — 2027-01-01"),
            ("facts-names", "mx.example, mail.example"),
            ("facts-fingerprint", "ab:cd"),
        ]
        .map(|(key, value)| (i18n::tr(key), value.to_owned()));
        assert_eq!(facts.labelled(), expected);
        assert_eq!(
            tls::verification_label(&Verification::Trusted),
            i18n::tr("check-cert-trusted")
        );
        assert!(ServerFacts::default().labelled().is_empty());
    }

    #[test]
    fn both_ehlo_lists_are_kept_and_starttls_comes_from_the_first() {
        let mut facts = ServerFacts {
            greeting: Some("mail.example.org ESMTP Postfix".to_owned()),
            ..ServerFacts::default()
        };
        let lines = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        facts.take_ehlo(&lines(&["mail.example.org", "PIPELINING", "STARTTLS"]));
        assert!(facts.starttls);
        assert!(facts.auth_mechanisms.is_empty());
        facts.take_ehlo_tls(&lines(&[
            "mail.example.org",
            "PIPELINING",
            "AUTH PLAIN LOGIN",
        ]));
        assert!(facts.starttls, "the first EHLO offered it");
        assert_eq!(facts.ehlo, ["PIPELINING", "STARTTLS"]);
        assert_eq!(facts.ehlo_tls, ["PIPELINING", "AUTH PLAIN LOGIN"]);
        assert_eq!(facts.auth_mechanisms, ["PLAIN", "LOGIN"]);
        assert_eq!(facts.mta.as_deref(), Some("postfix"));
    }
}
