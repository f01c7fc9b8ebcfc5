//! The probe: which of the usual host, port and security combinations speaks SMTP.
//!
//! Every candidate starts at once. The answer is final as soon as every
//! higher-ranked candidate has failed; a higher-ranked one still silent when a
//! lower one has answered gets a grace period (twice the winner's time, at least
//! one second), not the whole timeout. A probe sends EHLO, STARTTLS where the
//! candidate is STARTTLS, and QUIT: never credentials.
//!
//! The SMTP exchange here is deliberately tiny and self-contained (greeting, EHLO,
//! STARTTLS, QUIT, with a capped line reader); the full check lives in `core::check`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls;

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

/// The longest reply line read; a peer sending more is not an SMTP server.
const MAX_LINE: usize = 2048;
/// The most lines of one reply.
const MAX_REPLY_LINES: usize = 100;
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
    let tls = TlsConnector::from(Arc::new(tls_config()));
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
        Ok(tcp) => tcp,
        Err(e) => {
            return Outcome::Refused {
                reason: e.to_string(),
            };
        }
    };
    let result = match candidate.security {
        Security::Tls => match tls_handshake(tls, &candidate.host, tcp).await {
            Ok(stream) => converse(BufReader::new(stream), ehlo, false, tls, &candidate.host).await,
            Err(reason) => Err(reason),
        },
        Security::Starttls => converse(BufReader::new(tcp), ehlo, true, tls, &candidate.host).await,
        Security::None => converse(BufReader::new(tcp), ehlo, false, tls, &candidate.host).await,
    };
    match result {
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
    tcp: TcpStream,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let name =
        rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    tls.connect(name, tcp)
        .await
        .map_err(|e| i18n::tr_args("probe-tls-failed", &[("reason", e.to_string())]))
}

/// Greeting, EHLO, STARTTLS (when asked) and EHLO again, QUIT. Returns the greeting
/// and the AUTH mechanisms offered.
async fn converse<S>(
    mut stream: BufReader<S>,
    ehlo: &str,
    starttls: bool,
    tls: &TlsConnector,
    host: &str,
) -> Result<(String, Vec<String>), String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let greeting = read_reply(&mut stream).await?;
    if greeting.code != 220 {
        return Err(rejected("greeting", &greeting));
    }
    let hello = command(&mut stream, &format!("EHLO {ehlo}")).await?;
    if hello.code != 250 {
        return Err(rejected("EHLO", &hello));
    }
    if !starttls {
        quit(&mut stream).await;
        return Ok((greeting.first(), hello.auth()));
    }
    if !hello.has_keyword("STARTTLS") {
        return Err(i18n::tr("probe-no-starttls"));
    }
    let ready = command(&mut stream, "STARTTLS").await?;
    if ready.code != 220 {
        return Err(rejected("STARTTLS", &ready));
    }
    let name =
        rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    let secured = tls
        .connect(name, stream.into_inner())
        .await
        .map_err(|e| i18n::tr_args("probe-tls-failed", &[("reason", e.to_string())]))?;
    let mut secured = BufReader::new(secured);
    let hello = command(&mut secured, &format!("EHLO {ehlo}")).await?;
    if hello.code != 250 {
        return Err(rejected("EHLO (TLS)", &hello));
    }
    quit(&mut secured).await;
    Ok((greeting.first(), hello.auth()))
}

fn rejected(step: &str, reply: &Reply) -> String {
    i18n::tr_args(
        "probe-rejected",
        &[
            ("step", step.to_owned()),
            ("code", reply.code.to_string()),
            ("text", reply.first()),
        ],
    )
}

struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn first(&self) -> String {
        self.lines.first().cloned().unwrap_or_default()
    }

    fn has_keyword(&self, keyword: &str) -> bool {
        self.lines.iter().skip(1).any(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case(keyword))
        })
    }

    fn auth(&self) -> Vec<String> {
        self.lines
            .iter()
            .skip(1)
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                words
                    .next()
                    .filter(|k| k.eq_ignore_ascii_case("AUTH"))
                    .map(|_| words.map(str::to_uppercase).collect::<Vec<_>>())
            })
            .flatten()
            .collect()
    }
}

async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufReader<S>,
    line: &str,
) -> Result<Reply, String> {
    stream
        .get_mut()
        .write_all(format!("{line}\r\n").as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    stream.get_mut().flush().await.map_err(|e| e.to_string())?;
    read_reply(stream).await
}

async fn quit<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut BufReader<S>) {
    // A polite end; the answer does not change the outcome, so it is not waited on long.
    let _ = tokio::time::timeout(Duration::from_millis(500), command(stream, "QUIT")).await;
}

/// Reads one (possibly multi-line) reply, each line at most [`MAX_LINE`] bytes.
async fn read_reply<S: AsyncRead + Unpin>(stream: &mut BufReader<S>) -> Result<Reply, String> {
    let mut lines = Vec::new();
    loop {
        let mut raw = Vec::new();
        let read = (&mut *stream)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut raw)
            .await
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return Err(i18n::tr("probe-closed"));
        }
        if !raw.ends_with(b"\n") {
            return Err(i18n::tr_args(
                "probe-line-too-long",
                &[("limit", MAX_LINE.to_string())],
            ));
        }
        // Server text ends up in terminals and reports: no control characters.
        let text: String = String::from_utf8_lossy(&raw)
            .trim_end()
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let code = text
            .get(..3)
            .and_then(|c| c.parse::<u16>().ok())
            .ok_or_else(|| {
                i18n::tr_args(
                    "probe-not-smtp",
                    &[("text", text.chars().take(80).collect())],
                )
            })?;
        let more = text.as_bytes().get(3) == Some(&b'-');
        lines.push(text.get(4..).unwrap_or_default().to_owned());
        if !more {
            return Ok(Reply { code, lines });
        }
        if lines.len() >= MAX_REPLY_LINES {
            return Err(i18n::tr_args(
                "probe-too-many-lines",
                &[("limit", MAX_REPLY_LINES.to_string())],
            ));
        }
    }
}

/// TLS for the probe: it asks only "does this speak SMTP over TLS?", so it does
/// not judge the certificate; the check that follows verifies it.
fn tls_config() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(AnyCertificate(provider.clone()));
    match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(builder) => builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth(),
        // The ring provider supports the default versions; this cannot happen.
        Err(_) => rustls::ClientConfig::builder()
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth(),
    }
}

#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
