//! The sender domain: what DNS says about the domain of the profile's sender
//! address, beside the check (never one of its steps, never its diagnosis):
//! MX, SPF (does it authorise the SMTP server's addresses?), the DMARC
//! policy, and whether MTA-STS and TLS-RPT are published. Each is a plain-words
//! line, `ok` or `warning`; nothing here blocks or fails a check.
//!
//! DNS goes through the resolver discovery uses (`OUTBOUND_TEST_DNS` in tests).
//! The lookups run side by side and all within one step timeout: a silent DNS
//! server costs that timeout once, and its lines say the lookup failed.
//!
//! SPF is evaluated for the server's addresses: the host's A and AAAA records
//! (or the host itself when it is an address), at most [`MAX_ADDRESSES`]; it
//! passes when every one passes, else the first address that does not decides.
//!
//! Stable codes (JSON `code`; messages `domain-CODE`, hints `domain-hint-CODE`
//! with `_` as `-`), with their status:
//!
//! | check     | ok                                   | warning |
//! |-----------|--------------------------------------|---------|
//! | `mx`      | `mx_found`                           | `mx_none`, `mx_null` (RFC 7505: takes no mail), `mx_lookup_failed` |
//! | `spf`     | `spf_pass`, `spf_unchecked` (a record, but no server address to test: sendmail) | `spf_fail`, `spf_softfail`, `spf_neutral`, `spf_none`, `spf_too_many_lookups` (over RFC 7208's 10), `spf_permerror`, `spf_temperror` |
//! | `dmarc`   | `dmarc_reject`, `dmarc_quarantine`   | `dmarc_none` (p=none), `dmarc_missing`, `dmarc_invalid`, `dmarc_lookup_failed` |
//! | `mta_sts` | `mta_sts_present`                    | `mta_sts_absent`, `mta_sts_lookup_failed` |
//! | `tls_rpt` | `tls_rpt_present`                    | `tls_rpt_absent`, `tls_rpt_lookup_failed` |
//!
//! Domains reserved for documentation and never delegated (`example.com`,
//! `.net`, `.org`, `*.example`, `*.invalid`, `*.localhost`) are not looked up:
//! there is no row for them.

pub mod dns;
pub mod spf;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::core::directory::parse_address;
use crate::i18n::{self, Localize};
use dns::{Dns, DnsError};
use spf::Verdict;

/// The server addresses SPF is evaluated for, at most.
pub const MAX_ADDRESSES: usize = 4;

/// What the row needs: the sender address, the SMTP server (none for
/// sendmail), and the step timeout that bounds the whole row.
#[derive(Debug, Clone)]
pub struct Query {
    pub sender: String,
    pub server: Option<String>,
    pub timeout: Duration,
}

impl Query {
    /// The row for a profile: its sender, its SMTP host when it sends by SMTP,
    /// its step timeout.
    pub fn for_profile(profile: &crate::core::profile::Profile) -> Query {
        let smtp = profile.delivery == crate::core::profile::Delivery::Smtp;
        Query {
            sender: profile.sender.address.clone(),
            server: smtp
                .then(|| profile.smtp.host.trim().to_owned())
                .filter(|h| !h.is_empty()),
            timeout: Duration::from_secs(u64::from(profile.smtp.timeout_secs.max(1))),
        }
    }
}

/// Which record a line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Mx,
    Spf,
    Dmarc,
    MtaSts,
    TlsRpt,
}

impl Check {
    /// The record's usual name, the same in every language.
    pub fn label(self) -> &'static str {
        match self {
            Check::Mx => "MX",
            Check::Spf => "SPF",
            Check::Dmarc => "DMARC",
            Check::MtaSts => "MTA-STS",
            Check::TlsRpt => "TLS-RPT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warning,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
        }
    }
}

/// One line of the row: a stable code and its arguments; the text is made
/// from them in the interface language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub check: Check,
    pub status: Status,
    pub code: &'static str,
    pub args: BTreeMap<String, String>,
}

impl Line {
    fn new(check: Check, code: &'static str, args: &[(&str, String)]) -> Line {
        let status = if OK_CODES.contains(&code) {
            Status::Ok
        } else {
            Status::Warning
        };
        Line {
            check,
            status,
            code,
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }

    fn arguments(&self) -> Vec<(&str, String)> {
        self.args
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect()
    }

    /// The line in plain words.
    pub fn message(&self) -> String {
        i18n::tr_args(
            &format!("domain-{}", self.code.replace('_', "-")),
            &self.arguments(),
        )
    }

    /// What to do about it (or that nothing needs doing).
    pub fn hint(&self) -> String {
        i18n::tr_args(
            &format!("domain-hint-{}", self.code.replace('_', "-")),
            &self.arguments(),
        )
    }
}

/// The codes whose line is `ok`.
const OK_CODES: [&str; 7] = [
    "mx_found",
    "spf_pass",
    "spf_unchecked",
    "dmarc_reject",
    "dmarc_quarantine",
    "mta_sts_present",
    "tls_rpt_present",
];

/// Every code, for the translation tests.
pub const CODES: [&str; 25] = [
    "mx_found",
    "mx_none",
    "mx_null",
    "mx_lookup_failed",
    "spf_pass",
    "spf_unchecked",
    "spf_fail",
    "spf_softfail",
    "spf_neutral",
    "spf_none",
    "spf_too_many_lookups",
    "spf_permerror",
    "spf_temperror",
    "dmarc_reject",
    "dmarc_quarantine",
    "dmarc_none",
    "dmarc_missing",
    "dmarc_invalid",
    "dmarc_lookup_failed",
    "mta_sts_present",
    "mta_sts_absent",
    "mta_sts_lookup_failed",
    "tls_rpt_present",
    "tls_rpt_absent",
    "tls_rpt_lookup_failed",
];

/// The row: the domain and its lines, in the order MX, SPF, DMARC, MTA-STS, TLS-RPT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenderDomain {
    pub domain: String,
    pub lines: Vec<Line>,
}

impl SenderDomain {
    /// Whether every line is `ok`.
    pub fn ok(&self) -> bool {
        self.lines.iter().all(|l| l.status == Status::Ok)
    }

    /// The JSON of `outbound check --json`'s `sender_domain`: codes and
    /// arguments, with the text in the interface language beside them.
    pub fn to_json(&self) -> Value {
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|line| {
                json!({
                    "check": line.check,
                    "status": line.status,
                    "code": line.code,
                    "args": line.args,
                    "message": line.message(),
                    "hint": line.hint(),
                })
            })
            .collect();
        json!({ "domain": self.domain, "ok": self.ok(), "lines": lines })
    }
}

impl SenderDomain {
    /// The row as text (`outbound check`, a ticket): the title, then a line
    /// per record with its status and code, and the hint under a warning.
    pub fn to_text(&self) -> String {
        let mut text = i18n::tr_args("domain-title", &[("domain", self.domain.clone())]);
        text.push('\n');
        for line in &self.lines {
            let status = i18n::tr(&format!("check-status-{}", line.status.as_str()));
            text += &format!(
                "{status:<8} {:<8} {} [{}]\n",
                line.check.label(),
                line.message(),
                line.code
            );
            if line.status == Status::Warning {
                text += &format!("{:<17} {}\n", "", line.hint());
            }
        }
        text
    }
}

/// The sender's domain, when there is one worth asking DNS about.
pub fn sender_domain(sender: &str) -> Option<String> {
    let sender = sender.trim().trim_start_matches('<').trim_end_matches('>');
    let domain = parse_address(sender)?
        .domain
        .trim_end_matches('.')
        .to_owned();
    let reserved = ["example.com", "example.net", "example.org"]
        .iter()
        .any(|r| domain == *r || domain.ends_with(&format!(".{r}")))
        || [".example", ".invalid", ".localhost"]
            .iter()
            .any(|r| domain.ends_with(r) || domain == r[1..]);
    (!domain.is_empty() && domain.contains('.') && !reserved).then_some(domain)
}

/// Looks the sender domain up; `None` when the sender has no domain to ask about.
pub async fn look_up(query: Query) -> Option<SenderDomain> {
    let domain = sender_domain(&query.sender)?;
    let deadline = tokio::time::Instant::now() + query.timeout;
    let lines = match Dns::resolver(deadline) {
        Ok(dns) => {
            let (mx, spf, dmarc, mta_sts, tls_rpt) = tokio::join!(
                mx_line(&dns, &domain),
                spf_line(&dns, &domain, &query),
                dmarc_line(&dns, &domain),
                presence_line(&dns, Check::MtaSts, &domain),
                presence_line(&dns, Check::TlsRpt, &domain),
            );
            vec![mx, spf, dmarc, mta_sts, tls_rpt]
        }
        // No resolver at all (no system configuration): every line says so.
        Err(error) => {
            let reason = vec![("domain", domain.clone()), ("reason", error.to_string())];
            vec![
                Line::new(Check::Mx, "mx_lookup_failed", &reason),
                Line::new(Check::Spf, "spf_temperror", &reason),
                Line::new(Check::Dmarc, "dmarc_lookup_failed", &reason),
                Line::new(Check::MtaSts, "mta_sts_lookup_failed", &reason),
                Line::new(Check::TlsRpt, "tls_rpt_lookup_failed", &reason),
            ]
        }
    };
    Some(SenderDomain { domain, lines })
}

fn reason(domain: &str, error: &DnsError) -> Vec<(&'static str, String)> {
    vec![("domain", domain.to_owned()), ("reason", error.to_string())]
}

async fn mx_line(dns: &Dns, domain: &str) -> Line {
    let hosts = match dns.mx(domain).await {
        Ok(hosts) => hosts,
        Err(error) => return Line::new(Check::Mx, "mx_lookup_failed", &reason(domain, &error)),
    };
    let args = [("domain", domain.to_owned())];
    let named: Vec<String> = hosts
        .iter()
        .map(|(_, h)| h.clone())
        .filter(|h| !h.is_empty())
        .collect();
    if hosts.is_empty() {
        Line::new(Check::Mx, "mx_none", &args)
    } else if named.is_empty() {
        // Only the root name ("."): RFC 7505's null MX, the domain takes no mail.
        Line::new(Check::Mx, "mx_null", &args)
    } else {
        Line::new(Check::Mx, "mx_found", &args).with("hosts", named.join(", "))
    }
}

async fn spf_line(dns: &Dns, domain: &str, query: &Query) -> Line {
    let record = match spf::record(dns, domain).await {
        Ok(Some(record)) => record,
        Ok(None) => return Line::new(Check::Spf, "spf_none", &[("domain", domain.to_owned())]),
        Err(verdict) => return verdict_line(domain, &verdict, None, ""),
    };
    let addresses = server_addresses(dns, query.server.as_deref()).await;
    if addresses.is_empty() {
        let args = [("domain", domain.to_owned()), ("record", record)];
        return Line::new(Check::Spf, "spf_unchecked", &args);
    }
    let sender = query
        .sender
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let mut passed = Vec::new();
    for address in addresses {
        let evaluation = spf::check_host(dns, address, domain, sender).await;
        if evaluation.verdict != Verdict::Pass {
            return verdict_line(domain, &evaluation.verdict, Some(address), &record);
        }
        passed.push(address.to_string());
    }
    verdict_line(domain, &Verdict::Pass, None, &record).with("address", passed.join(", "))
}

impl Line {
    fn with(mut self, key: &str, value: String) -> Line {
        self.args.insert(key.to_owned(), value);
        self
    }
}

fn verdict_line(domain: &str, verdict: &Verdict, address: Option<IpAddr>, record: &str) -> Line {
    let code = match verdict {
        Verdict::Pass => "spf_pass",
        Verdict::Fail => "spf_fail",
        Verdict::SoftFail => "spf_softfail",
        Verdict::Neutral => "spf_neutral",
        Verdict::None => "spf_none",
        Verdict::TooManyLookups => "spf_too_many_lookups",
        Verdict::PermError(_) => "spf_permerror",
        Verdict::TempError(_) => "spf_temperror",
    };
    let mut line = Line::new(Check::Spf, code, &[("domain", domain.to_owned())]);
    if let Some(address) = address {
        line = line.with("address", address.to_string());
    }
    if !record.is_empty() {
        line = line.with("record", record.to_owned());
    }
    match verdict {
        Verdict::PermError(problem) => line
            .with("problem", problem.as_str().to_owned())
            .with("reason", problem.localize()),
        Verdict::TempError(reason) => line.with("reason", reason.clone()),
        Verdict::TooManyLookups => line.with("limit", spf::LOOKUP_LIMIT.to_string()),
        _ => line,
    }
}

/// The SMTP server's addresses: the host itself when it is one, else its A
/// and AAAA records (none for sendmail, or when they cannot be found).
async fn server_addresses(dns: &Dns, server: Option<&str>) -> Vec<IpAddr> {
    let Some(server) = server else {
        return Vec::new();
    };
    let bare = server.trim_start_matches('[').trim_end_matches(']');
    if let Ok(address) = bare.parse::<IpAddr>() {
        return vec![address];
    }
    let (v4, v6) = tokio::join!(dns.addresses(bare, false), dns.addresses(bare, true));
    let mut found: Vec<IpAddr> = v4.unwrap_or_default();
    found.extend(v6.unwrap_or_default());
    found.truncate(MAX_ADDRESSES);
    found
}

async fn dmarc_line(dns: &Dns, domain: &str) -> Line {
    let name = format!("_dmarc.{domain}");
    let records = match dns.txt(&name).await {
        Ok(records) => records,
        Err(error) => {
            return Line::new(Check::Dmarc, "dmarc_lookup_failed", &reason(domain, &error));
        }
    };
    let args = [("domain", domain.to_owned())];
    let dmarc: Vec<&String> = records
        .iter()
        .filter(|r| tag(r, "v").is_some_and(|v| v == "DMARC1") && r.trim_start().starts_with('v'))
        .collect();
    let record = match dmarc.as_slice() {
        [] => return Line::new(Check::Dmarc, "dmarc_missing", &args),
        [one] => one.to_string(),
        _ => {
            return Line::new(Check::Dmarc, "dmarc_invalid", &args)
                .with("reason", i18n::tr("domain-dmarc-several"));
        }
    };
    let code = match tag(&record, "p").map(|p| p.to_ascii_lowercase()).as_deref() {
        Some("reject") => "dmarc_reject",
        Some("quarantine") => "dmarc_quarantine",
        Some("none") => "dmarc_none",
        _ => {
            return Line::new(Check::Dmarc, "dmarc_invalid", &args)
                .with("reason", i18n::tr("domain-dmarc-no-policy"))
                .with("record", record);
        }
    };
    Line::new(Check::Dmarc, code, &args).with("record", record)
}

/// A `tag=value` of a DMARC-style record (`;`-separated), value trimmed.
fn tag<'r>(record: &'r str, name: &str) -> Option<&'r str> {
    record.split(';').find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// MTA-STS (`_mta-sts.`, `v=STSv1`, RFC 8461) and TLS-RPT (`_smtp._tls.`,
/// `v=TLSRPTv1`, RFC 8460): whether the domain publishes the TXT record.
async fn presence_line(dns: &Dns, check: Check, domain: &str) -> Line {
    let (prefix, version, present, absent, failed) = match check {
        Check::MtaSts => (
            "_mta-sts",
            "STSv1",
            "mta_sts_present",
            "mta_sts_absent",
            "mta_sts_lookup_failed",
        ),
        _ => (
            "_smtp._tls",
            "TLSRPTv1",
            "tls_rpt_present",
            "tls_rpt_absent",
            "tls_rpt_lookup_failed",
        ),
    };
    let records = match dns.txt(&format!("{prefix}.{domain}")).await {
        Ok(records) => records,
        Err(error) => return Line::new(check, failed, &reason(domain, &error)),
    };
    let args = [("domain", domain.to_owned())];
    match records
        .iter()
        .find(|r| tag(r, "v").is_some_and(|v| v.eq_ignore_ascii_case(version)))
    {
        Some(record) => Line::new(check, present, &args).with("record", record.clone()),
        None => Line::new(check, absent, &args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_words_and_a_status() {
        for code in CODES {
            let id = code.replace('_', "-");
            assert!(i18n::has(&format!("domain-{id}")), "{code}");
            assert!(i18n::has(&format!("domain-hint-{id}")), "{code}");
        }
        assert!(OK_CODES.iter().all(|c| CODES.contains(c)));
    }

    #[test]
    fn reserved_and_missing_domains_are_not_asked() {
        assert_eq!(sender_domain("me@Mail.Test").as_deref(), Some("mail.test"));
        assert_eq!(
            sender_domain("<me@corp.test>").as_deref(),
            Some("corp.test")
        );
        for sender in [
            "",
            "me",
            "me@example.org",
            "a@b.example.com",
            "x@host.invalid",
            "x@localhost",
        ] {
            assert_eq!(sender_domain(sender), None, "{sender}");
        }
    }

    #[test]
    fn dmarc_tags_are_read() {
        let record = "v=DMARC1; p=Reject ; rua=mailto:r@x.test";
        assert_eq!(tag(record, "v"), Some("DMARC1"));
        assert_eq!(tag(record, "P"), Some("Reject"));
        assert_eq!(tag(record, "sp"), None);
    }
}
