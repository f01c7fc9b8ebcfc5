//! The probe: which of the usual host, port and security combinations speaks SMTP.
//!
//! Every candidate starts at once. The answer is final as soon as every
//! higher-ranked candidate has failed; a higher-ranked one still silent when a
//! lower one has answered gets a grace period (twice the winner's time, at least
//! one second), not the whole timeout. A probe sends EHLO, STARTTLS where the
//! candidate is STARTTLS, and QUIT: never credentials.
//!
//! The exchange is small (greeting, EHLO, STARTTLS, QUIT) but goes over the
//! check's wire (`core::check::wire`: capped reply reader, STARTTLS upgrade) and
//! its TLS configuration, which here accepts any certificate: the probe asks only
//! "does this speak SMTP over TLS?"; the check that follows verifies it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use serde::Serialize;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::core::check::ServerFacts;
use crate::core::check::tls;
use crate::core::check::wire::{
    MAX_LINE, MAX_REPLY_LINES, ReadError, Reply, Sniffed, Stream, Wire, printable,
};
use crate::core::profile::Security;
use crate::i18n;

/// Test only: maps the usual ports to loopback listeners, `465=PORT,587=PORT,25=PORT`.
pub const TEST_PORTS_ENV: &str = "OUTBOUND_TEST_PROBE_PORTS";

/// The combinations tried for every host, in rank order.
pub const COMBINATIONS: [(u16, Security); 5] = [
    (465, Security::Tls),
    (587, Security::Starttls),
    (25, Security::Starttls),
    (587, Security::None),
    (25, Security::None),
];

/// The least grace a silent higher-ranked candidate gets.
const MIN_GRACE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Where to connect when it differs from `port` (tests: `OUTBOUND_TEST_PROBE_PORTS`).
    #[serde(skip)]
    pub connect_port: u16,
}

/// Candidates for hosts (in order of preference) × [`COMBINATIONS`], ranked by
/// security first, then host.
pub fn candidates(hosts: &[String]) -> Vec<Candidate> {
    let ports = test_ports();
    let mut out = Vec::new();
    for (port, security) in COMBINATIONS {
        for host in hosts {
            let connect_port = ports
                .iter()
                .find(|(from, _)| *from == port)
                .map_or(port, |&(_, to)| to);
            out.push(Candidate {
                host: host.clone(),
                port,
                security,
                connect_port,
            });
        }
    }
    out
}

fn test_ports() -> Vec<(u16, u16)> {
    let Ok(spec) = std::env::var(TEST_PORTS_ENV) else {
        return Vec::new();
    };
    spec.split(',')
        .filter_map(|pair| {
            let (from, to) = pair.split_once('=')?;
            Some((from.trim().parse().ok()?, to.trim().parse().ok()?))
        })
        .collect()
}

/// What happened to one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Spoke SMTP: greeting and EHLO (and STARTTLS) succeeded.
    Answered { greeting: String, auth: Vec<String> },
    /// The host has no address.
    NoAddress { reason: String },
    /// Nothing listens (connection refused or unreachable).
    Refused { reason: String },
    /// Connected, but the exchange failed: TLS, not SMTP, no STARTTLS, …
    Failed { reason: String },
    /// Said nothing within the whole timeout.
    TimedOut,
    /// Still silent when the grace period after a lower-ranked answer ran out.
    GraceExpired { grace_ms: u64 },
    /// Stopped unfinished: a higher-ranked candidate had already won.
    Cancelled,
}

#[derive(Debug, Clone, Serialize)]
pub struct CandidateReport {
    pub rank: usize,
    pub candidate: Candidate,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub elapsed_ms: u64,
    /// Why it is not the answer; `None` for the winner.
    pub lost_because: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// Index into `candidates` of the answer.
    pub winner: Option<usize>,
    pub candidates: Vec<CandidateReport>,
    pub elapsed_ms: u64,
}

impl ProbeReport {
    pub fn winner(&self) -> Option<&CandidateReport> {
        self.winner.and_then(|i| self.candidates.get(i))
    }
}

/// Probes every candidate at once until `deadline`; `resolver` resolves names
/// (IP literals need none).
pub async fn probe(
    candidates: Vec<Candidate>,
    resolver: Option<Arc<TokioResolver>>,
    deadline: Instant,
) -> ProbeReport {
    let start = Instant::now();
    let (config, _verifier) = tls::client_config(true, &[]);
    let tls = TlsConnector::from(config);
    let ehlo_name = lettre::transport::smtp::extension::ClientId::default().to_string();
    let mut tasks = JoinSet::new();
    for (rank, candidate) in candidates.iter().cloned().enumerate() {
        let resolver = resolver.clone();
        let tls = tls.clone();
        let ehlo_name = ehlo_name.clone();
        tasks.spawn(async move {
            let outcome = match timeout_at(
                deadline,
                attempt(&candidate, resolver.as_deref(), &tls, &ehlo_name),
            )
            .await
            {
                Ok(outcome) => outcome,
                Err(_) => Outcome::TimedOut,
            };
            (rank, outcome, start.elapsed())
        });
    }

    let mut results: Vec<Option<(Outcome, Duration)>> = vec![None; candidates.len()];
    let mut grace_ends: Option<(usize, Instant)> = None;
    let winner = loop {
        // The best answer so far, and whether every higher-ranked candidate is done.
        let best = results
            .iter()
            .position(|r| matches!(r, Some((Outcome::Answered { .. }, _))));
        let pending_above = |limit: usize| results[..limit].iter().any(Option::is_none);
        match best {
            Some(b) if !pending_above(b) => break Some(b),
            Some(b) => {
                let Some((_, took)) = &results[b] else {
                    break None;
                };
                let grace = (*took * 2).max(MIN_GRACE);
                // The grace runs from the moment this candidate answered.
                if grace_ends.is_none_or(|(w, _)| w != b) {
                    grace_ends = Some((b, start + *took + grace));
                }
            }
            None if results.iter().all(Option::is_some) => break None,
            None => grace_ends = None,
        }
        let wake = grace_ends.map_or(deadline, |(_, at)| at.min(deadline));
        tokio::select! {
            joined = tasks.join_next() => match joined {
                Some(Ok((rank, outcome, took))) => results[rank] = Some((outcome, took)),
                Some(Err(_)) => {}
                None => break None,
            },
            () = tokio::time::sleep_until(wake) => {
                if let Some((b, _)) = grace_ends {
                    let elapsed = start.elapsed();
                    let grace_ms = results[b].as_ref().map_or(0, |(_, t)| (*t * 2).max(MIN_GRACE).as_millis() as u64);
                    for slot in results[..b].iter_mut().filter(|r| r.is_none()) {
                        *slot = Some((Outcome::GraceExpired { grace_ms }, elapsed));
                    }
                    break Some(b);
                }
                break None;
            }
        }
    };
    tasks.abort_all();
    let elapsed = start.elapsed();
    let reports = candidates
        .into_iter()
        .enumerate()
        .map(|(rank, candidate)| {
            let (outcome, took) = results[rank].take().unwrap_or(match winner {
                Some(_) => (Outcome::Cancelled, elapsed),
                None => (Outcome::TimedOut, elapsed),
            });
            let lost_because = lost_because(rank, &outcome, winner);
            CandidateReport {
                rank,
                candidate,
                outcome,
                elapsed_ms: took.as_millis() as u64,
                lost_because,
            }
        })
        .collect();
    ProbeReport {
        winner,
        candidates: reports,
        elapsed_ms: elapsed.as_millis() as u64,
    }
}

/// Why a candidate is not the answer, in words for the report.
fn lost_because(rank: usize, outcome: &Outcome, winner: Option<usize>) -> Option<String> {
    if Some(rank) == winner {
        return None;
    }
    let reason = |r: &String| vec![("reason", r.clone())];
    Some(match outcome {
        Outcome::Answered { .. } => i18n::tr("probe-lost-ranked-below"),
        Outcome::NoAddress { reason: r } => i18n::tr_args("probe-lost-no-address", &reason(r)),
        Outcome::Refused { reason: r } => i18n::tr_args("probe-lost-refused", &reason(r)),
        Outcome::Failed { reason } => reason.clone(),
        Outcome::TimedOut => i18n::tr("probe-lost-timeout"),
        Outcome::GraceExpired { grace_ms } => {
            i18n::tr_args("probe-lost-grace", &[("ms", grace_ms.to_string())])
        }
        Outcome::Cancelled => i18n::tr("probe-lost-cancelled"),
    })
}

async fn attempt(
    candidate: &Candidate,
    resolver: Option<&TokioResolver>,
    tls: &TlsConnector,
    ehlo: &str,
) -> Outcome {
    let ip = match resolve(&candidate.host, resolver).await {
        Ok(ip) => ip,
        Err(reason) => return Outcome::NoAddress { reason },
    };
    let tcp = match TcpStream::connect(SocketAddr::new(ip, candidate.connect_port)).await {
        Ok(tcp) => Sniffed::new(tcp),
        Err(e) => {
            return Outcome::Refused {
                reason: e.to_string(),
            };
        }
    };
    let stream = match candidate.security {
        Security::Tls => match tls_handshake(tls, &candidate.host, tcp).await {
            Ok(stream) => Stream::Tls(Box::new(stream)),
            Err(reason) => return Outcome::Failed { reason },
        },
        Security::Starttls | Security::None => Stream::Plain(tcp),
    };
    let starttls = candidate.security == Security::Starttls;
    match converse(Wire::new(stream), ehlo, starttls, tls, &candidate.host).await {
        Ok((greeting, auth)) => Outcome::Answered { greeting, auth },
        Err(reason) => Outcome::Failed { reason },
    }
}

async fn resolve(host: &str, resolver: Option<&TokioResolver>) -> Result<IpAddr, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(ip);
    }
    let resolver = resolver.ok_or_else(|| i18n::tr("probe-no-resolver"))?;
    let found = resolver
        .lookup_ip(super::net::fqdn(host))
        .await
        .map_err(|e| super::net::dns_error(&e))?;
    found
        .iter()
        .next()
        .ok_or_else(|| i18n::tr("discover-no-records"))
}

async fn tls_handshake(
    tls: &TlsConnector,
    host: &str,
    tcp: Sniffed,
) -> Result<TlsStream<Sniffed>, String> {
    let name = tls::server_name(host)
        .ok_or_else(|| i18n::tr_args("probe-tls-failed", &[("reason", host.to_owned())]))?;
    tls.connect(name, tcp)
        .await
        .map_err(|e| i18n::tr_args("probe-tls-failed", &[("reason", e.to_string())]))
}

/// Greeting, EHLO, STARTTLS (when asked) and EHLO again, QUIT. Returns the greeting
/// and the AUTH mechanisms offered.
async fn converse(
    mut wire: Wire,
    ehlo: &str,
    starttls: bool,
    tls: &TlsConnector,
    host: &str,
) -> Result<(String, Vec<String>), String> {
    let greeting = read_reply(&mut wire).await?;
    if greeting.code != 220 {
        return Err(rejected("greeting", &greeting));
    }
    let mut facts = ServerFacts::default();
    let hello = command(&mut wire, &format!("EHLO {ehlo}")).await?;
    if hello.code != 250 {
        return Err(rejected("EHLO", &hello));
    }
    facts.take_ehlo(&hello.lines);
    if starttls {
        if !facts.starttls {
            return Err(i18n::tr("probe-no-starttls"));
        }
        let ready = command(&mut wire, "STARTTLS").await?;
        if ready.code != 220 {
            return Err(rejected("STARTTLS", &ready));
        }
        let Stream::Plain(tcp) = std::mem::replace(&mut wire.stream, Stream::Closed) else {
            return Err(i18n::tr("probe-closed"));
        };
        wire = Wire::new(Stream::Tls(Box::new(tls_handshake(tls, host, tcp).await?)));
        let hello = command(&mut wire, &format!("EHLO {ehlo}")).await?;
        if hello.code != 250 {
            return Err(rejected("EHLO (TLS)", &hello));
        }
        facts.take_ehlo(&hello.lines);
    }
    // A polite end; the answer does not change the outcome, so it is not waited on long.
    let _ = tokio::time::timeout(Duration::from_millis(500), command(&mut wire, "QUIT")).await;
    let first = greeting.lines.first().map(String::as_str).unwrap_or("");
    Ok((printable(first), facts.auth_mechanisms))
}

fn rejected(step: &str, reply: &Reply) -> String {
    let first = reply.lines.first().map(String::as_str).unwrap_or("");
    i18n::tr_args(
        "probe-rejected",
        &[
            ("step", step.to_owned()),
            ("code", reply.code.to_string()),
            ("text", printable(first)),
        ],
    )
}

async fn command(wire: &mut Wire, line: &str) -> Result<Reply, String> {
    wire.send(format!("{line}\r\n").as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    read_reply(wire).await
}

/// One reply, read by the check's capped reader; its failures in the probe's words.
async fn read_reply(wire: &mut Wire) -> Result<Reply, String> {
    wire.read_reply(&mut |_| {})
        .await
        .map_err(|error| match error {
            ReadError::Io(error) => error.to_string(),
            ReadError::Closed => i18n::tr("probe-closed"),
            ReadError::TooLong => {
                i18n::tr_args("probe-line-too-long", &[("limit", MAX_LINE.to_string())])
            }
            ReadError::Malformed(text) => i18n::tr_args("probe-not-smtp", &[("text", text)]),
            ReadError::TooManyLines => i18n::tr_args(
                "probe-too-many-lines",
                &[("limit", MAX_REPLY_LINES.to_string())],
            ),
        })
}
