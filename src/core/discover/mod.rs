//! Settings discovery from an e-mail address.
//!
//! Every source starts at once; the highest-priority success wins and the rest
//! are cancelled. In priority order: the user's directory, the bundled directory,
//! autoconfig over HTTPS (`autoconfig.DOMAIN`, then `DOMAIN/.well-known`), DNS SRV
//! (`_submissions._tcp`, then `_submission._tcp`), MX hosts matched to providers'
//! MX suffixes, and autoconfig over plain HTTP (marked insecure). The probe runs
//! when asked, or when nothing else answered. The whole detection is bounded.

pub mod autoconfig;
pub mod net;
pub mod probe;

use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::core::directory::{Address, Directory, LoginChoice, Origin, Provider, Server};
use crate::core::profile::Security;
use crate::i18n::{self, Localize};
use net::AutoconfigUrl;

/// The default bound on a whole detection.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(8);

/// Where a result came from, in priority order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    UserDirectory,
    BundledDirectory,
    AutoconfigHttps,
    AutoconfigWellKnown,
    SrvSubmissions,
    SrvSubmission,
    Mx,
    /// Plain HTTP: anyone on the path could have changed the answer.
    AutoconfigHttp,
    Probe,
}

impl Source {
    pub const ALL: [Source; 9] = [
        Source::UserDirectory,
        Source::BundledDirectory,
        Source::AutoconfigHttps,
        Source::AutoconfigWellKnown,
        Source::SrvSubmissions,
        Source::SrvSubmission,
        Source::Mx,
        Source::AutoconfigHttp,
        Source::Probe,
    ];

    /// The stable name used in JSON and as a Fluent id suffix (`source-…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::UserDirectory => "user_directory",
            Source::BundledDirectory => "bundled_directory",
            Source::AutoconfigHttps => "autoconfig_https",
            Source::AutoconfigWellKnown => "autoconfig_well_known",
            Source::SrvSubmissions => "srv_submissions",
            Source::SrvSubmission => "srv_submission",
            Source::Mx => "mx",
            Source::AutoconfigHttp => "autoconfig_http",
            Source::Probe => "probe",
        }
    }

    /// Whether the answer could have been changed by anyone on the network path.
    pub fn insecure(self) -> bool {
        self == Source::AutoconfigHttp
    }
}

/// A source's answer: the SMTP server, and the provider entry when there is one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub source: Source,
    pub smtp: Server,
    pub provider: Option<Provider>,
    /// Where the answer was read: a URL, a DNS record, a provider id.
    pub detail: String,
    pub insecure: bool,
}

impl Found {
    /// Fills a profile from this answer for `address`: everything the provider
    /// knows when there is one, else the server alone (the window's Detect button).
    pub fn fill(&self, profile: &mut crate::core::profile::Profile, address: &Address) {
        self.fill_as(profile, address, self.login_choices()[0]);
    }

    /// The ways in the provider offers, its preferred one first (a password
    /// when there is no provider entry).
    pub fn login_choices(&self) -> Vec<LoginChoice> {
        self.provider
            .as_ref()
            .map_or_else(|| vec![LoginChoice::Password], Provider::login_choices)
    }

    /// [`Found::fill`] with the way to log in the user chose among the
    /// provider's [`Provider::login_choices`].
    pub fn fill_as(
        &self,
        profile: &mut crate::core::profile::Profile,
        address: &Address,
        choice: LoginChoice,
    ) {
        match &self.provider {
            Some(provider) => {
                crate::core::directory::fill_profile_as(profile, provider, address, choice);
                // The source's server is the one it found (an MX or HTTP answer may
                // differ from the entry's first server only by the domain placeholder).
                profile.smtp.host = self.smtp.host.clone();
            }
            None => {
                profile.delivery = crate::core::profile::Delivery::Smtp;
                profile.smtp.host = self.smtp.host.clone();
                profile.smtp.port = self.smtp.port;
                profile.smtp.security = self.smtp.security;
                if profile.sender.address.trim().is_empty() {
                    profile.sender.address = address.full.clone();
                }
            }
        }
    }
}

/// What one source did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SourceStatus {
    Answered {
        smtp: Server,
        detail: String,
    },
    Failed {
        reason: String,
    },
    /// Stopped: a higher-priority source had answered.
    Cancelled,
    /// Still running when the detection's time ran out.
    TimedOut,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub source: Source,
    #[serde(flatten)]
    pub status: SourceStatus,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    pub address: String,
    pub domain: String,
    pub winner: Option<Found>,
    pub sources: Vec<SourceReport>,
    pub probe: Option<probe::ProbeReport>,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Probe even when another source answered.
    pub probe: bool,
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            probe: false,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

type SourceResult = Result<Found, String>;

/// DNS answers shared between the SRV and MX sources and the probe: `None` until known.
type Shared<T> = watch::Receiver<Option<Arc<Result<T, String>>>>;

/// SRV targets (host, port) in preference order; empty with `no_service` when the
/// domain says it offers none (target `.`).
#[derive(Debug, Clone, Default)]
struct SrvAnswer {
    records: Vec<(String, u16)>,
    no_service: bool,
}

/// The directory's answer for `domain`, without touching the network: the window's
/// Detect asks it first and runs the whole detection only when it has none.
pub fn from_directory(directory: &Directory, domain: &str) -> Option<Found> {
    let entry = directory.lookup(domain)?;
    let source = if entry.origin.is_user() {
        Source::UserDirectory
    } else {
        Source::BundledDirectory
    };
    Some(found_provider(
        source,
        &entry.provider,
        domain,
        entry.provider.id.clone(),
    ))
}

/// Detects the settings for `address` using `directory` (the user's laid over the bundled).
pub async fn detect(address: &Address, directory: &Directory, options: &Options) -> Detection {
    let start = Instant::now();
    let deadline = start + options.timeout;
    let domain = address.domain.clone();
    // A network step may use at most half the budget, so a probe still has time after it.
    let step = options.timeout / 2;
    let resolver = net::resolver(step.min(Duration::from_secs(3))).map(Arc::new);

    let mut background = JoinSet::new();
    let (srvs_tx, srvs) = watch::channel(None);
    let (srv_tx, srv) = watch::channel(None);
    let (mx_tx, mx) = watch::channel(None);
    match &resolver {
        Ok(resolver) => {
            let r = resolver.clone();
            let name = format!("_submissions._tcp.{domain}");
            background.spawn(async move {
                srvs_tx.send_replace(Some(Arc::new(lookup_srv(&r, &name).await)));
            });
            let r = resolver.clone();
            let name = format!("_submission._tcp.{domain}");
            background.spawn(async move {
                srv_tx.send_replace(Some(Arc::new(lookup_srv(&r, &name).await)));
            });
            let r = resolver.clone();
            let name = domain.clone();
            background.spawn(async move {
                mx_tx.send_replace(Some(Arc::new(lookup_mx(&r, &name).await)));
            });
        }
        Err(reason) => {
            srvs_tx.send_replace(Some(Arc::new(Err(reason.clone()))));
            srv_tx.send_replace(Some(Arc::new(Err(reason.clone()))));
            mx_tx.send_replace(Some(Arc::new(Err(reason.clone()))));
        }
    }

    let mut sources: JoinSet<(Source, SourceResult, Duration)> = JoinSet::new();
    let directory_answer = |source: Source| -> SourceResult {
        let entry = directory
            .lookup(&domain)
            .ok_or_else(|| i18n::tr("discover-not-in-directory"))?;
        let wanted = matches!(source, Source::UserDirectory) == entry.origin.is_user();
        if !wanted {
            return Err(match entry.origin {
                Origin::Bundled => i18n::tr("discover-only-bundled"),
                _ => i18n::tr("discover-user-answers"),
            });
        }
        Ok(found_provider(
            source,
            &entry.provider,
            &domain,
            entry.provider.id.clone(),
        ))
    };
    for source in [Source::UserDirectory, Source::BundledDirectory] {
        let result = directory_answer(source);
        sources.spawn(async move { (source, result, start.elapsed()) });
    }
    for (source, kind) in [
        (Source::AutoconfigHttps, AutoconfigUrl::Https),
        (Source::AutoconfigWellKnown, AutoconfigUrl::WellKnown),
        (Source::AutoconfigHttp, AutoconfigUrl::Http),
    ] {
        let url = kind.url(&domain, &address.full);
        let domain = domain.clone();
        sources.spawn(async move {
            let result = fetch_autoconfig(source, url, &domain, step).await;
            (source, result, start.elapsed())
        });
    }
    for (source, answer, security) in [
        (Source::SrvSubmissions, srvs.clone(), Security::Tls),
        (Source::SrvSubmission, srv.clone(), Security::Starttls),
    ] {
        sources.spawn(async move {
            let result = srv_source(source, answer, security).await;
            (source, result, start.elapsed())
        });
    }
    let mx_directory = directory.clone();
    let mx_answer = mx.clone();
    let mx_domain = domain.clone();
    sources.spawn(async move {
        let result = mx_source(mx_answer, &mx_directory, &mx_domain).await;
        (Source::Mx, result, start.elapsed())
    });

    let (winner, reports) = first_by_priority(&mut sources, deadline, start).await;
    sources.abort_all();

    let probe = if options.probe || winner.is_none() {
        let extra: Vec<String> = winner.iter().map(|w| w.smtp.host_for(&domain)).collect();
        let hosts = probe_hosts(&domain, &srvs, &srv, &mx, &extra, deadline).await;
        let resolver = resolver.as_ref().ok().cloned();
        Some(probe::probe(probe::candidates(&hosts), resolver, deadline).await)
    } else {
        None
    };
    background.abort_all();

    let winner = winner.or_else(|| {
        let answer = probe.as_ref()?.winner()?;
        let smtp = Server {
            host: answer.candidate.host.clone(),
            port: answer.candidate.port,
            security: answer.candidate.security,
        };
        Some(Found {
            source: Source::Probe,
            detail: format!("{}:{}", smtp.host, smtp.port),
            smtp,
            provider: None,
            insecure: false,
        })
    });
    Detection {
        address: address.full.clone(),
        domain,
        winner,
        sources: reports,
        probe,
        elapsed_ms: start.elapsed().as_millis() as u64,
    }
}

/// Waits for sources until the highest-priority one that can still answer has answered.
async fn first_by_priority(
    sources: &mut JoinSet<(Source, SourceResult, Duration)>,
    deadline: Instant,
    start: Instant,
) -> (Option<Found>, Vec<SourceReport>) {
    let order: Vec<Source> = Source::ALL
        .iter()
        .copied()
        .filter(|s| *s != Source::Probe)
        .collect();
    let mut results: Vec<Option<(SourceResult, Duration)>> = vec![None; order.len()];
    let winner = loop {
        let mut decided = None;
        let mut waiting = false;
        for slot in &results {
            match slot {
                Some((Ok(found), _)) => {
                    decided = Some(found.clone());
                    break;
                }
                Some((Err(_), _)) => {}
                None => {
                    waiting = true;
                    break;
                }
            }
        }
        if decided.is_some() || !waiting {
            break decided;
        }
        tokio::select! {
            joined = sources.join_next() => match joined {
                Some(Ok((source, result, took))) => {
                    if let Some(i) = order.iter().position(|s| *s == source) {
                        results[i] = Some((result, took));
                    }
                }
                Some(Err(_)) => {}
                None => break None,
            },
            () = tokio::time::sleep_until(deadline) => break None,
        }
    };
    let now = start.elapsed();
    let reports = order
        .iter()
        .zip(results)
        .map(|(&source, slot)| {
            let (status, took) = match slot {
                Some((Ok(found), took)) => (
                    SourceStatus::Answered {
                        smtp: found.smtp,
                        detail: found.detail,
                    },
                    took,
                ),
                Some((Err(reason), took)) => (SourceStatus::Failed { reason }, took),
                None if winner.is_some() => (SourceStatus::Cancelled, now),
                None => (SourceStatus::TimedOut, now),
            };
            SourceReport {
                source,
                status,
                elapsed_ms: took.as_millis() as u64,
            }
        })
        .collect();
    (winner, reports)
}

fn found_provider(source: Source, provider: &Provider, domain: &str, detail: String) -> Found {
    Found {
        source,
        smtp: Server {
            host: provider.smtp.host_for(domain),
            ..provider.smtp.clone()
        },
        provider: Some(provider.clone()),
        detail,
        insecure: source.insecure(),
    }
}

async fn fetch_autoconfig(
    source: Source,
    url: String,
    domain: &str,
    timeout: Duration,
) -> SourceResult {
    let text = net::fetch(url.clone(), timeout)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let provider =
        autoconfig::parse(&text, Some(domain)).map_err(|e| format!("{url}: {}", e.localize()))?;
    Ok(found_provider(source, &provider, domain, url))
}

async fn wait<T: Clone>(mut answer: Shared<T>) -> Result<T, String> {
    let value = answer
        .wait_for(Option::is_some)
        .await
        .map_err(|_| i18n::tr("discover-lookup-stopped"))?
        .clone();
    match value.as_deref() {
        Some(Ok(v)) => Ok(v.clone()),
        Some(Err(e)) => Err(e.clone()),
        None => Err(i18n::tr("discover-lookup-stopped")),
    }
}

async fn srv_source(source: Source, answer: Shared<SrvAnswer>, security: Security) -> SourceResult {
    let answer = wait(answer).await?;
    if answer.no_service {
        return Err(i18n::tr("discover-no-service"));
    }
    let (host, port) = answer
        .records
        .first()
        .cloned()
        .ok_or_else(|| i18n::tr("discover-no-records"))?;
    Ok(Found {
        source,
        detail: format!("SRV {host}:{port}"),
        smtp: Server {
            host,
            port,
            security,
        },
        provider: None,
        insecure: false,
    })
}

async fn mx_source(
    answer: Shared<Vec<String>>,
    directory: &Directory,
    domain: &str,
) -> SourceResult {
    let hosts = wait(answer).await?;
    if hosts.is_empty() {
        return Err(i18n::tr("discover-no-records"));
    }
    for host in &hosts {
        if let Some(entry) = directory.lookup_mx(host) {
            let detail = format!("MX {host} → {}", entry.provider.id);
            return Ok(found_provider(Source::Mx, &entry.provider, domain, detail));
        }
    }
    Err(i18n::tr_args(
        "discover-mx-unknown",
        &[("hosts", hosts.join(", "))],
    ))
}

async fn lookup_srv(resolver: &TokioResolver, name: &str) -> Result<SrvAnswer, String> {
    let lookup = resolver
        .srv_lookup(net::fqdn(name))
        .await
        .map_err(|e| net::dns_error(&e))?;
    let mut records: Vec<_> = lookup.iter().collect();
    // Lowest priority first, then heaviest weight (RFC 2782 order without the lottery).
    records.sort_by(|a, b| {
        a.priority()
            .cmp(&b.priority())
            .then(b.weight().cmp(&a.weight()))
    });
    let no_service = records.len() == 1 && records[0].target().is_root();
    Ok(SrvAnswer {
        records: records
            .iter()
            .filter(|r| !r.target().is_root())
            .map(|r| (net::name_text(r.target()), r.port()))
            .collect(),
        no_service,
    })
}

async fn lookup_mx(resolver: &TokioResolver, domain: &str) -> Result<Vec<String>, String> {
    let lookup = resolver
        .mx_lookup(net::fqdn(domain))
        .await
        .map_err(|e| net::dns_error(&e))?;
    let mut records: Vec<_> = lookup.iter().filter(|r| !r.exchange().is_root()).collect();
    records.sort_by_key(|r| r.preference());
    Ok(records
        .iter()
        .map(|r| net::name_text(r.exchange()))
        .collect())
}

/// The probe's hosts: `smtp.DOMAIN`, `mail.DOMAIN`, `DOMAIN`, then SRV and MX hosts
/// and any host another source named, without repeats. DNS answers not in yet are
/// waited for briefly.
async fn probe_hosts(
    domain: &str,
    srvs: &Shared<SrvAnswer>,
    srv: &Shared<SrvAnswer>,
    mx: &Shared<Vec<String>>,
    extra: &[String],
    deadline: Instant,
) -> Vec<String> {
    let mut hosts = vec![
        format!("smtp.{domain}"),
        format!("mail.{domain}"),
        domain.to_owned(),
    ];
    let brief = (Instant::now() + Duration::from_secs(1)).min(deadline);
    for answer in [srvs, srv] {
        if let Ok(Ok(found)) = tokio::time::timeout_at(brief, wait(answer.clone())).await {
            hosts.extend(found.records.into_iter().map(|(h, _)| h));
        }
    }
    if let Ok(Ok(found)) = tokio::time::timeout_at(brief, wait(mx.clone())).await {
        hosts.extend(found);
    }
    hosts.extend(extra.iter().cloned());
    let mut unique: Vec<String> = Vec::new();
    for host in hosts {
        let host = host.to_lowercase();
        if !unique.contains(&host) {
            unique.push(host);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::directory::parse_address;
    use crate::core::profile::{Delivery, Profile};

    #[test]
    fn an_answer_without_a_provider_fills_the_server_only() {
        let address = parse_address("me@example.org").unwrap();
        let found = Found {
            source: Source::SrvSubmissions,
            smtp: Server {
                host: "submit.example.org".to_owned(),
                port: 465,
                security: Security::Tls,
            },
            provider: None,
            detail: String::new(),
            insecure: false,
        };
        let mut profile = Profile::named("p");
        profile.smtp.username = "kept".to_owned();
        found.fill(&mut profile, &address);
        assert_eq!(profile.delivery, Delivery::Smtp);
        assert_eq!(
            (profile.smtp.host.as_str(), profile.smtp.port),
            ("submit.example.org", 465)
        );
        assert_eq!(profile.smtp.security, Security::Tls);
        assert_eq!(profile.smtp.username, "kept");
        assert_eq!(profile.sender.address, "me@example.org");
    }
}
