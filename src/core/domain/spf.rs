//! SPF (RFC 7208): the domain's `v=spf1` record, parsed, and `check_host()`
//! for one address: `ip4`, `ip6`, `a`, `mx`, `include`, `exists`, `all` and
//! `redirect=`, with macros, CIDR lengths, the limit of 10 DNS-querying terms
//! (§4.6.4) and of two lookups that find nothing. `ptr` is counted but never
//! matches (§5.5 says not to use it; evaluating it would cost a reverse lookup
//! per address for a mechanism receivers are told to distrust). `exp=` is not
//! needed to tell the result and is ignored, as unknown modifiers are.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use super::dns::{Dns, DnsError};
use crate::i18n::{self, Localize};

/// Terms that query DNS, at most (RFC 7208 §4.6.4).
pub const LOOKUP_LIMIT: u32 = 10;
/// Lookups that may find nothing before the record is in error (§4.6.4).
const VOID_LIMIT: u32 = 2;
/// MX hosts an `mx` term may look at (§4.6.4).
const MX_LIMIT: usize = 10;

/// `check_host()`'s result (§2.6), the limit case told apart from other
/// permanent errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    /// The domain publishes no SPF record.
    None,
    /// More than [`LOOKUP_LIMIT`] DNS-querying terms.
    TooManyLookups,
    /// The record (or one it includes) cannot be evaluated; why.
    PermError(Problem),
    /// A lookup failed or timed out; why.
    TempError(String),
}

/// Why a record cannot be evaluated (a `permerror`), in words of each
/// language (`spf-problem-…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotSpf1,
    BadTerm(String),
    RedirectTwice,
    NoDomain(String),
    NoAddress(String),
    BadAddress(String),
    OtherFamily(String),
    BadPrefix(String),
    BadMacro(String),
    SeveralRecords(String),
    /// More than [`VOID_LIMIT`] lookups found nothing; the last one.
    TooManyVoid(String),
    IncludeWithoutRecord(String),
    RedirectWithoutRecord(String),
    TooManyMx(String),
    /// The record of this domain (an included one, perhaps) is broken.
    InRecord(String, Box<Problem>),
}

impl Problem {
    /// The stable name (JSON), also the Fluent id's suffix.
    pub fn as_str(&self) -> &'static str {
        match self {
            Problem::NotSpf1 => "not-spf1",
            Problem::BadTerm(_) => "bad-term",
            Problem::RedirectTwice => "redirect-twice",
            Problem::NoDomain(_) => "no-domain",
            Problem::NoAddress(_) => "no-address",
            Problem::BadAddress(_) => "bad-address",
            Problem::OtherFamily(_) => "other-family",
            Problem::BadPrefix(_) => "bad-prefix",
            Problem::BadMacro(_) => "bad-macro",
            Problem::SeveralRecords(_) => "several-records",
            Problem::TooManyVoid(_) => "too-many-void",
            Problem::IncludeWithoutRecord(_) => "include-without-record",
            Problem::RedirectWithoutRecord(_) => "redirect-without-record",
            Problem::TooManyMx(_) => "too-many-mx",
            Problem::InRecord(_, problem) => problem.as_str(),
        }
    }
}

impl Localize for Problem {
    fn localize(&self) -> String {
        let id = format!("spf-problem-{}", self.as_str());
        match self {
            Problem::NotSpf1 | Problem::RedirectTwice => i18n::tr(&id),
            Problem::TooManyVoid(name) => i18n::tr_args(
                &id,
                &[("limit", VOID_LIMIT.to_string()), ("name", name.clone())],
            ),
            Problem::TooManyMx(name) => i18n::tr_args(
                &id,
                &[("limit", MX_LIMIT.to_string()), ("name", name.clone())],
            ),
            Problem::InRecord(domain, problem) => i18n::tr_args(
                "spf-problem-in-record",
                &[("domain", domain.clone()), ("problem", problem.localize())],
            ),
            Problem::BadTerm(what)
            | Problem::NoDomain(what)
            | Problem::NoAddress(what)
            | Problem::BadAddress(what)
            | Problem::OtherFamily(what)
            | Problem::BadPrefix(what)
            | Problem::BadMacro(what)
            | Problem::SeveralRecords(what)
            | Problem::IncludeWithoutRecord(what)
            | Problem::RedirectWithoutRecord(what) => i18n::tr_args(&id, &[("what", what.clone())]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    fn verdict(self) -> Verdict {
        match self {
            Qualifier::Pass => Verdict::Pass,
            Qualifier::Fail => Verdict::Fail,
            Qualifier::SoftFail => Verdict::SoftFail,
            Qualifier::Neutral => Verdict::Neutral,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    All,
    Include(String),
    A {
        domain: Option<String>,
        v4: u8,
        v6: u8,
    },
    Mx {
        domain: Option<String>,
        v4: u8,
        v6: u8,
    },
    Ptr(Option<String>),
    Ip(IpAddr, u8),
    Exists(String),
}

/// A parsed `v=spf1` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub terms: Vec<(Qualifier, Mechanism)>,
    pub redirect: Option<String>,
}

/// Whether a TXT record is an SPF record (§4.5: `v=spf1` alone or before a space).
pub fn is_spf(text: &str) -> bool {
    let text = text.trim_start();
    text.len() >= 6
        && text.is_char_boundary(6)
        && text[..6].eq_ignore_ascii_case("v=spf1")
        && text[6..].chars().next().is_none_or(|c| c == ' ')
}

/// Parses a record; the reason when it breaks the syntax.
pub fn parse(text: &str) -> Result<Record, Problem> {
    let mut words = text.split_ascii_whitespace();
    if !words
        .next()
        .is_some_and(|v| v.eq_ignore_ascii_case("v=spf1"))
    {
        return Err(Problem::NotSpf1);
    }
    let mut record = Record {
        terms: Vec::new(),
        redirect: None,
    };
    for term in words {
        let first_special = term.find(['=', ':', '/']);
        if let Some(at) = first_special.filter(|&at| term[at..].starts_with('=')) {
            let name = &term[..at];
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            if !valid {
                return Err(Problem::BadTerm(term.to_owned()));
            }
            if name.eq_ignore_ascii_case("redirect") {
                if record.redirect.is_some() {
                    return Err(Problem::RedirectTwice);
                }
                record.redirect = Some(non_empty(&term[at + 1..], term)?.to_owned());
            }
            continue;
        }
        record.terms.push(mechanism(term)?);
    }
    Ok(record)
}

fn non_empty<'t>(value: &'t str, term: &str) -> Result<&'t str, Problem> {
    if value.is_empty() {
        Err(Problem::NoDomain(term.to_owned()))
    } else {
        Ok(value)
    }
}

fn mechanism(term: &str) -> Result<(Qualifier, Mechanism), Problem> {
    let (qualifier, rest) = match term.chars().next() {
        Some('+') => (Qualifier::Pass, &term[1..]),
        Some('-') => (Qualifier::Fail, &term[1..]),
        Some('~') => (Qualifier::SoftFail, &term[1..]),
        Some('?') => (Qualifier::Neutral, &term[1..]),
        _ => (Qualifier::Pass, term),
    };
    let name_end = rest.find([':', '/']).unwrap_or(rest.len());
    let (name, arguments) = rest.split_at(name_end);
    let domain = |arguments: &str| -> Result<String, Problem> {
        match arguments.strip_prefix(':') {
            Some(domain) => Ok(non_empty(domain, term)?.to_owned()),
            None => Err(Problem::NoDomain(term.to_owned())),
        }
    };
    let optional_domain = |body: &str| -> Result<Option<String>, Problem> {
        if body.is_empty() {
            Ok(None)
        } else {
            domain(body).map(Some)
        }
    };
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if arguments.is_empty() => Mechanism::All,
        "include" => Mechanism::Include(domain(arguments)?),
        "exists" => Mechanism::Exists(domain(arguments)?),
        "ptr" => Mechanism::Ptr(optional_domain(arguments)?),
        "a" | "mx" => {
            let (body, v4, v6) = dual_cidr(arguments, term)?;
            let domain = optional_domain(body)?;
            if name.eq_ignore_ascii_case("a") {
                Mechanism::A { domain, v4, v6 }
            } else {
                Mechanism::Mx { domain, v4, v6 }
            }
        }
        family @ ("ip4" | "ip6") => {
            let value = arguments
                .strip_prefix(':')
                .ok_or_else(|| Problem::NoAddress(term.to_owned()))?;
            let (address, length) = match value.split_once('/') {
                Some((address, length)) => (address, Some(length)),
                None => (value, None),
            };
            let v6 = family == "ip6";
            let address: IpAddr = address
                .parse()
                .map_err(|_| Problem::BadAddress(term.to_owned()))?;
            if address.is_ipv6() != v6 {
                return Err(Problem::OtherFamily(term.to_owned()));
            }
            let max = if v6 { 128 } else { 32 };
            let length = match length {
                Some(length) => prefix_length(length, max, term)?,
                None => max,
            };
            Mechanism::Ip(address, length)
        }
        _ => return Err(Problem::BadTerm(term.to_owned())),
    };
    Ok((qualifier, mechanism))
}

/// Splits `a`/`mx` arguments into the domain part and the `/v4` and `//v6`
/// lengths at its end.
fn dual_cidr<'t>(arguments: &'t str, term: &str) -> Result<(&'t str, u8, u8), Problem> {
    let mut body = arguments;
    let (mut v4, mut v6) = (32, 128);
    if let Some(at) = body.rfind("//") {
        v6 = prefix_length(&body[at + 2..], 128, term)?;
        body = &body[..at];
    }
    if let Some(at) = body.rfind('/') {
        v4 = prefix_length(&body[at + 1..], 32, term)?;
        body = &body[..at];
    }
    Ok((body, v4, v6))
}

fn prefix_length(text: &str, max: u8, term: &str) -> Result<u8, Problem> {
    text.parse::<u8>()
        .ok()
        .filter(|n| *n <= max && !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| Problem::BadPrefix(term.to_owned()))
}

/// Whether `ip` lies in `network/length` (of the same family).
pub fn in_network(ip: IpAddr, network: IpAddr, length: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(length)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(length)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

/// One evaluation: `check_host()`'s result and how many DNS-querying terms it counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub lookups: u32,
}

/// The SPF record of `domain`: `Ok(None)` when there is none, a permanent error
/// when there are several (§4.5), a temporary one when DNS failed.
pub async fn record(dns: &Dns, domain: &str) -> Result<Option<String>, Verdict> {
    let found = dns.txt(domain).await.map_err(temp_error)?;
    let mut records = found.into_iter().filter(|t| is_spf(t));
    match (records.next(), records.next()) {
        (None, _) => Ok(None),
        (Some(one), None) => Ok(Some(one)),
        (Some(_), Some(_)) => Err(Verdict::PermError(Problem::SeveralRecords(
            domain.to_owned(),
        ))),
    }
}

fn temp_error(error: DnsError) -> Verdict {
    Verdict::TempError(error.to_string())
}

/// `check_host(ip, domain, sender)`: whether `domain`'s SPF record authorises
/// `ip` to send as `sender` (the mail address, used by macros).
pub async fn check_host(dns: &Dns, ip: IpAddr, domain: &str, sender: &str) -> Evaluation {
    let (local, sender_domain) = match sender.rsplit_once('@') {
        Some((local, d)) if !local.is_empty() => (local, d),
        Some((_, d)) => ("postmaster", d),
        None => ("postmaster", domain),
    };
    let identity = Identity {
        dns,
        ip,
        local,
        sender_domain,
    };
    let mut budget = Budget::default();
    let verdict = identity.evaluate(domain.to_owned(), &mut budget).await;
    Evaluation {
        verdict,
        lookups: budget.lookups,
    }
}

struct Identity<'a> {
    dns: &'a Dns,
    ip: IpAddr,
    local: &'a str,
    sender_domain: &'a str,
}

#[derive(Default)]
struct Budget {
    lookups: u32,
    voids: u32,
}

impl Budget {
    fn lookup(&mut self) -> Result<(), Verdict> {
        self.lookups += 1;
        if self.lookups > LOOKUP_LIMIT {
            return Err(Verdict::TooManyLookups);
        }
        Ok(())
    }

    fn void(&mut self, name: &str) -> Result<(), Verdict> {
        self.voids += 1;
        if self.voids > VOID_LIMIT {
            return Err(Verdict::PermError(Problem::TooManyVoid(name.to_owned())));
        }
        Ok(())
    }
}

type Boxed<'f> = Pin<Box<dyn Future<Output = Verdict> + Send + 'f>>;

impl Identity<'_> {
    /// One record's evaluation; boxed, as `include` and `redirect` recurse.
    fn evaluate<'f>(&'f self, domain: String, budget: &'f mut Budget) -> Boxed<'f> {
        Box::pin(async move {
            let text = match record(self.dns, &domain).await {
                Ok(Some(text)) => text,
                Ok(None) => return Verdict::None,
                Err(verdict) => return verdict,
            };
            let parsed = match parse(&text) {
                Ok(parsed) => parsed,
                Err(problem) => {
                    return Verdict::PermError(Problem::InRecord(domain, Box::new(problem)));
                }
            };
            for (qualifier, mechanism) in &parsed.terms {
                match self.matches(&domain, mechanism, budget).await {
                    Ok(true) => return qualifier.verdict(),
                    Ok(false) => {}
                    Err(verdict) => return verdict,
                }
            }
            // An `all` always matches above, so reaching here means none was there.
            if let Some(target) = &parsed.redirect {
                if let Err(verdict) = budget.lookup() {
                    return verdict;
                }
                let target = match self.expand(target, &domain) {
                    Ok(target) => target,
                    Err(verdict) => return verdict,
                };
                return match self.evaluate(target.clone(), budget).await {
                    Verdict::None => Verdict::PermError(Problem::RedirectWithoutRecord(target)),
                    verdict => verdict,
                };
            }
            Verdict::Neutral
        })
    }

    async fn matches(
        &self,
        domain: &str,
        mechanism: &Mechanism,
        budget: &mut Budget,
    ) -> Result<bool, Verdict> {
        let target = |spec: &Option<String>| match spec {
            Some(spec) => self.expand(spec, domain),
            None => Ok(domain.to_owned()),
        };
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip(network, length) => Ok(in_network(self.ip, *network, *length)),
            Mechanism::Include(spec) => {
                budget.lookup()?;
                let target = self.expand(spec, domain)?;
                match self.evaluate(target.clone(), budget).await {
                    Verdict::Pass => Ok(true),
                    Verdict::Fail | Verdict::SoftFail | Verdict::Neutral => Ok(false),
                    Verdict::None => Err(Verdict::PermError(Problem::IncludeWithoutRecord(target))),
                    verdict => Err(verdict),
                }
            }
            Mechanism::A {
                domain: spec,
                v4,
                v6,
            } => {
                budget.lookup()?;
                let name = target(spec)?;
                let found = self.addresses(&name).await?;
                if found.is_empty() {
                    budget.void(&name)?;
                }
                Ok(self.any_in(&found, *v4, *v6))
            }
            Mechanism::Mx {
                domain: spec,
                v4,
                v6,
            } => {
                budget.lookup()?;
                let name = target(spec)?;
                let hosts = self.dns.mx(&name).await.map_err(temp_error)?;
                if hosts.is_empty() {
                    budget.void(&name)?;
                }
                if hosts.len() > MX_LIMIT {
                    return Err(Verdict::PermError(Problem::TooManyMx(name)));
                }
                for (_, host) in hosts.iter().filter(|(_, h)| !h.is_empty()) {
                    if self.any_in(&self.addresses(host).await?, *v4, *v6) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr(_) => {
                budget.lookup()?;
                Ok(false)
            }
            Mechanism::Exists(spec) => {
                budget.lookup()?;
                let name = self.expand(spec, domain)?;
                let found = self.dns.addresses(&name, false).await.map_err(temp_error)?;
                if found.is_empty() {
                    budget.void(&name)?;
                }
                Ok(!found.is_empty())
            }
        }
    }

    /// The addresses of `name` in the checked address's family.
    async fn addresses(&self, name: &str) -> Result<Vec<IpAddr>, Verdict> {
        self.dns
            .addresses(name, self.ip.is_ipv6())
            .await
            .map_err(temp_error)
    }

    fn any_in(&self, found: &[IpAddr], v4: u8, v6: u8) -> bool {
        found.iter().any(|&network| {
            let length = if network.is_ipv6() { v6 } else { v4 };
            in_network(self.ip, network, length)
        })
    }

    /// A domain-spec with its macros expanded (§7).
    fn expand(&self, spec: &str, domain: &str) -> Result<String, Verdict> {
        let bad = || Verdict::PermError(Problem::BadMacro(spec.to_owned()));
        let mut out = String::new();
        let mut chars = spec.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some('_') => out.push(' '),
                Some('-') => out.push_str("%20"),
                Some('{') => {
                    let mut body = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => body.push(c),
                            None => return Err(bad()),
                        }
                    }
                    out.push_str(&self.macro_value(&body, domain).ok_or_else(bad)?);
                }
                _ => return Err(bad()),
            }
        }
        Ok(out.trim_end_matches('.').to_owned())
    }

    /// One `%{…}` macro: its letter's value, split, maybe reversed, rightmost parts kept.
    fn macro_value(&self, body: &str, domain: &str) -> Option<String> {
        let mut chars = body.chars();
        let letter = chars.next()?.to_ascii_lowercase();
        let value = match letter {
            's' => format!("{}@{}", self.local, self.sender_domain),
            'l' => self.local.to_owned(),
            'o' | 'h' => self.sender_domain.to_owned(),
            'd' => domain.to_owned(),
            'i' => match self.ip {
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) => {
                    let hex: String = ip.octets().iter().map(|b| format!("{b:02x}")).collect();
                    let nibbles: Vec<String> = hex.chars().map(String::from).collect();
                    nibbles.join(".")
                }
            },
            'v' if self.ip.is_ipv6() => "ip6".to_owned(),
            'v' => "in-addr".to_owned(),
            'p' => "unknown".to_owned(),
            _ => return None,
        };
        let rest: String = chars.collect();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let rest = &rest[digits.len()..];
        let (reverse, delimiters) = match rest.strip_prefix(['r', 'R']) {
            Some(delimiters) => (true, delimiters),
            None => (false, rest),
        };
        if !delimiters.chars().all(|c| ".-+,/_=".contains(c)) {
            return None;
        }
        let delimiters = if delimiters.is_empty() {
            "."
        } else {
            delimiters
        };
        let mut parts: Vec<&str> = value.split(|c| delimiters.contains(c)).collect();
        if reverse {
            parts.reverse();
        }
        if !digits.is_empty() {
            let keep: usize = digits.parse().ok().filter(|n| *n > 0)?;
            parts = parts.split_off(parts.len().saturating_sub(keep));
        }
        Some(parts.join("."))
    }
}

#[cfg(test)]
#[path = "spf_tests.rs"]
mod tests;
