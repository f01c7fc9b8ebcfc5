//! `resolve` and `connect`: every address of the host, raced as RFC 8305 (Happy
//! Eyeballs) says: the families interleaved, the next attempt started 250 ms
//! after the previous one unless it has finished, the first to connect wins and
//! the others are dropped. A dead address costs 250 ms, not the step timeout.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    LookupIpStrategy, NameServerConfigGroup, ResolverConfig, ResolverOpts,
};
use hickory_resolver::name_server::TokioConnectionProvider;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::timeout;

use super::{Run, detail};
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::{Detail, ServerFacts, StepName, StepStatus, Steps, Transcript};
use crate::core::discover::net::{TEST_DNS_ENV, fqdn};

/// RFC 8305 §5: the recommended "Connection Attempt Delay".
pub const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// What `resolve` and `connect` need of a check: the SMTP check's and the IMAP
/// check's runs lend their parts, so both dial the same way.
pub(crate) struct Link<'r> {
    pub host: &'r str,
    pub port: u16,
    pub step_timeout: Duration,
    pub steps: &'r mut Steps,
    pub transcript: &'r mut Transcript,
    pub facts: &'r mut ServerFacts,
}

impl Run<'_> {
    pub(super) fn link(&mut self) -> Link<'_> {
        Link {
            host: &self.host,
            port: self.port,
            step_timeout: self.step_timeout,
            steps: &mut self.steps,
            transcript: &mut self.transcript,
            facts: &mut self.facts,
        }
    }

    pub(super) async fn resolve(&mut self) -> Result<Vec<SocketAddr>, Diagnosis> {
        self.link().resolve().await
    }

    pub(super) async fn connect(
        &mut self,
        addresses: &[SocketAddr],
    ) -> Result<(TcpStream, SocketAddr), Diagnosis> {
        self.link().connect(addresses).await
    }
}

impl Link<'_> {
    pub(crate) async fn resolve(&mut self) -> Result<Vec<SocketAddr>, Diagnosis> {
        let since = Instant::now();
        let bare = self
            .host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if let Ok(ip) = bare.parse::<IpAddr>() {
            let shown = ip.to_string();
            let found = Detail::plain(
                "resolved",
                vec![("host", bare.clone()), ("addresses", shown.clone())],
                shown,
            );
            self.steps
                .record(StepName::Resolve, StepStatus::Ok, since, found);
            return Ok(vec![SocketAddr::new(ip, self.port)]);
        }
        self.transcript
            .info(detail("check-info-resolving", &[("host", bare.clone())]));
        let failed = match timeout(self.step_timeout, lookup(&bare, self.port)).await {
            Ok(Ok(addresses)) if !addresses.is_empty() => {
                let list: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
                let text = format!("{bare} → {}", list.join(", "));
                self.transcript.info(text.clone());
                let found = Detail::plain(
                    "resolved",
                    vec![("host", bare.clone()), ("addresses", list.join(", "))],
                    text,
                );
                self.steps
                    .record(StepName::Resolve, StepStatus::Ok, since, found);
                return Ok(addresses);
            }
            Ok(Ok(_)) => Diagnosis::new(Code::DnsFailed).reason("no_address", &[]),
            Ok(Err(error)) => Diagnosis::new(Code::DnsFailed).arg("reply", error),
            Err(_) => Diagnosis::new(Code::DnsFailed).reason(
                "timed_out",
                &[("seconds", self.step_timeout.as_secs().to_string())],
            ),
        };
        let diagnosis = failed.arg("host", bare.clone());
        let reply = diagnosis.get("reply").map(str::to_owned);
        self.transcript
            .info(reply.unwrap_or_else(|| diagnosis.message()));
        self.steps.record(
            StepName::Resolve,
            StepStatus::Failed,
            since,
            Detail::diagnosis(&diagnosis),
        );
        Err(diagnosis)
    }

    pub(crate) async fn connect(
        &mut self,
        addresses: &[SocketAddr],
    ) -> Result<(TcpStream, SocketAddr), Diagnosis> {
        let since = Instant::now();
        let order = interleave(addresses);
        let deadline = tokio::time::Instant::now() + self.step_timeout;
        // Dropping the set (a winner, the timeout, a cancelled check) aborts
        // every attempt still running.
        let mut attempts: JoinSet<(SocketAddr, io::Result<TcpStream>)> = JoinSet::new();
        let mut next = 0;
        let mut failures: Vec<(SocketAddr, io::Error)> = Vec::new();
        let mut start_now = true;
        loop {
            // The first attempt, and the next one as soon as one fails (RFC 8305
            // §5); otherwise the delay below starts the next one.
            if start_now || attempts.is_empty() {
                start_now = false;
                match order.get(next) {
                    Some(&address) => {
                        self.start_attempt(&mut attempts, address);
                        next += 1;
                    }
                    None if attempts.is_empty() => break,
                    None => {}
                }
            }
            let more = next < order.len();
            tokio::select! {
                finished = attempts.join_next() => match finished {
                    Some(Ok((address, Ok(tcp)))) => {
                        // Each command is one write; Nagle would only hold it back.
                        if let Err(error) = tcp.set_nodelay(true) {
                            tracing::debug!("TCP_NODELAY: {error}");
                        }
                        self.facts.address = Some(address.to_string());
                        let shown = address.to_string();
                        self.steps.record(
                            StepName::Connect,
                            StepStatus::Ok,
                            since,
                            Detail::plain("connected", vec![("address", shown.clone())], shown),
                        );
                        return Ok((tcp, address));
                    }
                    Some(Ok((address, Err(error)))) => {
                        self.transcript.info(format!("{address}: {error}"));
                        failures.push((address, error));
                        start_now = true;
                    }
                    // An attempt's task cannot panic; a join error ends only that attempt.
                    Some(Err(error)) => tracing::debug!("connect attempt: {error}"),
                    None => {}
                },
                () = tokio::time::sleep(ATTEMPT_DELAY), if more => {
                    let address = order[next];
                    self.start_attempt(&mut attempts, address);
                    next += 1;
                }
                () = tokio::time::sleep_until(deadline) => {
                    let diagnosis = Diagnosis::new(Code::ConnectTimeout)
                        .arg("host", self.host)
                        .arg("port", self.port.to_string())
                        .reason("timed_out", &[("seconds", self.step_timeout.as_secs().to_string())]);
                    self.transcript.info(diagnosis.message());
                    self.steps.record(
                        StepName::Connect,
                        StepStatus::Failed,
                        since,
                        Detail::diagnosis(&diagnosis),
                    );
                    return Err(diagnosis);
                }
            }
        }
        let diagnosis = match most_telling(&failures) {
            Some((address, error)) => {
                Diagnosis::new(connect_code(error)).arg("reply", format!("{address}: {error}"))
            }
            None => Diagnosis::new(Code::ConnectRefused).reason("no_address", &[]),
        }
        .arg("host", self.host)
        .arg("port", self.port.to_string());
        self.steps.record(
            StepName::Connect,
            StepStatus::Failed,
            since,
            Detail::diagnosis(&diagnosis),
        );
        Err(diagnosis)
    }

    fn start_attempt(
        &mut self,
        attempts: &mut JoinSet<(SocketAddr, io::Result<TcpStream>)>,
        address: SocketAddr,
    ) {
        self.transcript.info(detail(
            "check-info-connecting",
            &[("address", address.to_string())],
        ));
        attempts.spawn(async move { (address, TcpStream::connect(address).await) });
    }
}

/// The host's addresses: the system resolver, or in tests the DNS server of
/// `OUTBOUND_TEST_DNS` (as discovery uses), asked for A and AAAA records.
async fn lookup(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let Some(server) = std::env::var(TEST_DNS_ENV).ok().filter(|v| !v.is_empty()) else {
        let found = tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| e.to_string())?;
        return Ok(found.collect());
    };
    let server: SocketAddr = server
        .parse()
        .map_err(|e| format!("{TEST_DNS_ENV}={server}: {e}"))?;
    let servers = NameServerConfigGroup::from_ips_clear(&[server.ip()], server.port(), true);
    let mut builder = TokioResolver::builder_with_config(
        ResolverConfig::from_parts(None, Vec::new(), servers),
        TokioConnectionProvider::default(),
    );
    let mut options = ResolverOpts::default();
    options.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    options.attempts = 1;
    *builder.options_mut() = options;
    let found = builder
        .build()
        .lookup_ip(fqdn(host))
        .await
        .map_err(|e| e.to_string())?;
    // No RFC 6724 sorting here: IPv6 first, as its default policy puts it.
    let mut addresses: Vec<SocketAddr> = found.iter().map(|ip| SocketAddr::new(ip, port)).collect();
    addresses.sort_by_key(|a| a.is_ipv4());
    Ok(addresses)
}

/// RFC 8305 §4: alternate the address families, starting with the family of the
/// resolver's first (preferred) address.
pub fn interleave(addresses: &[SocketAddr]) -> Vec<SocketAddr> {
    let Some(first) = addresses.first() else {
        return Vec::new();
    };
    let (preferred, other): (Vec<SocketAddr>, Vec<SocketAddr>) = addresses
        .iter()
        .partition(|a| a.is_ipv6() == first.is_ipv6());
    let mut order = Vec::with_capacity(addresses.len());
    let (mut a, mut b) = (preferred.into_iter(), other.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) => order.extend(x.into_iter().chain(y)),
        }
    }
    order
}

/// What a failed connect means: nothing listening, no route, or reset.
pub fn connect_code(error: &io::Error) -> Code {
    use io::ErrorKind;
    // Linux errno values, for kinds older Rust versions reported as uncategorized.
    const ENETUNREACH: i32 = 101;
    const EHOSTUNREACH: i32 = 113;
    const ENETDOWN: i32 = 100;
    const EHOSTDOWN: i32 = 112;
    match error.kind() {
        ErrorKind::ConnectionRefused => Code::ConnectRefused,
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => Code::ConnectionReset,
        ErrorKind::NetworkUnreachable
        | ErrorKind::HostUnreachable
        | ErrorKind::NetworkDown
        | ErrorKind::AddrNotAvailable => Code::ConnectUnreachable,
        ErrorKind::TimedOut => Code::ConnectTimeout,
        _ if matches!(
            error.raw_os_error(),
            Some(ENETUNREACH | EHOSTUNREACH | ENETDOWN | EHOSTDOWN)
        ) =>
        {
            Code::ConnectUnreachable
        }
        _ => Code::ConnectRefused,
    }
}

/// Of several failed attempts, the one that says most about the server: a
/// refusal (something answered) before a reset, a timeout, no route.
fn most_telling(failures: &[(SocketAddr, io::Error)]) -> Option<&(SocketAddr, io::Error)> {
    let rank = |code: Code| match code {
        Code::ConnectRefused => 0,
        Code::ConnectionReset => 1,
        Code::ConnectTimeout => 2,
        _ => 3,
    };
    failures.iter().min_by_key(|(_, e)| rank(connect_code(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_alternate_from_the_preferred_one() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        let list = [
            a("[2001:db8::1]:25"),
            a("[2001:db8::2]:25"),
            a("192.0.2.1:25"),
            a("192.0.2.2:25"),
            a("[2001:db8::3]:25"),
        ];
        assert_eq!(
            interleave(&list),
            [list[0], list[2], list[1], list[3], list[4]]
        );
        assert_eq!(interleave(&list[2..4]), [list[2], list[3]]);
    }

    #[test]
    fn refused_unreachable_and_reset_are_told_apart() {
        let os = io::Error::from_raw_os_error;
        assert_eq!(connect_code(&os(111)), Code::ConnectRefused);
        assert_eq!(connect_code(&os(101)), Code::ConnectUnreachable);
        assert_eq!(connect_code(&os(113)), Code::ConnectUnreachable);
        assert_eq!(connect_code(&os(104)), Code::ConnectionReset);
        assert_eq!(connect_code(&os(110)), Code::ConnectTimeout);
        let failures = vec![
            ("[::1]:25".parse().unwrap(), os(101)),
            ("127.0.0.1:25".parse().unwrap(), os(111)),
        ];
        assert_eq!(
            connect_code(&most_telling(&failures).unwrap().1),
            Code::ConnectRefused
        );
    }
}
