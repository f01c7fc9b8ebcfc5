//! The sender-domain row's DNS: hickory-resolver as discovery builds it (the
//! system's servers, or `OUTBOUND_TEST_DNS` in tests), every lookup bounded by
//! one shared deadline. Unit tests answer from a table instead.

use std::net::IpAddr;

use hickory_resolver::TokioResolver;
use tokio::time::Instant;

use crate::core::discover::net;

/// A lookup that got no usable answer. "No such name" and "no record of that
/// type" are not errors: they are an empty answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsError {
    /// The deadline passed before an answer came.
    TimedOut,
    /// The server failed or refused; the resolver's words.
    Failed(String),
}

impl std::fmt::Display for DnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DnsError::TimedOut => f.write_str(&crate::i18n::tr("domain-timed-out")),
            DnsError::Failed(reason) => f.write_str(reason),
        }
    }
}

pub type Answer<T> = Result<Vec<T>, DnsError>;

// One per row, built once: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
enum Source {
    Resolver(TokioResolver),
    #[cfg(test)]
    Table(table::Table),
}

/// Where the row's lookups go, and until when they may take.
pub struct Dns {
    source: Source,
    deadline: Instant,
}

impl Dns {
    /// The resolver the rest of the program uses, answering until `deadline`.
    pub fn resolver(deadline: Instant) -> Result<Dns, DnsError> {
        // The resolver's own timeout a little later than the deadline, so that
        // a silent server always ends as `TimedOut`, in the row's words.
        let timeout =
            deadline.saturating_duration_since(Instant::now()) + std::time::Duration::from_secs(1);
        let resolver = net::resolver(timeout).map_err(DnsError::Failed)?;
        Ok(Dns {
            source: Source::Resolver(resolver),
            deadline,
        })
    }

    #[cfg(test)]
    pub fn table(table: table::Table) -> Dns {
        Dns {
            source: Source::Table(table),
            deadline: Instant::now() + std::time::Duration::from_secs(60),
        }
    }

    /// TXT records of `name`, each record's strings joined (RFC 7208 §3.3).
    pub async fn txt(&self, name: &str) -> Answer<String> {
        match &self.source {
            Source::Resolver(resolver) => {
                let Some(found) = self.bounded(resolver.txt_lookup(net::fqdn(name))).await? else {
                    return Ok(Vec::new());
                };
                Ok(found
                    .iter()
                    .map(|record| {
                        record
                            .txt_data()
                            .iter()
                            .map(|part| String::from_utf8_lossy(part))
                            .collect::<String>()
                    })
                    .collect())
            }
            #[cfg(test)]
            Source::Table(table) => table.txt(name),
        }
    }

    /// MX records of `name`, lowest preference first: (preference, host).
    pub async fn mx(&self, name: &str) -> Answer<(u16, String)> {
        let mut found: Vec<(u16, String)> = match &self.source {
            Source::Resolver(resolver) => {
                let Some(found) = self.bounded(resolver.mx_lookup(net::fqdn(name))).await? else {
                    return Ok(Vec::new());
                };
                found
                    .iter()
                    .map(|mx| (mx.preference(), net::name_text(mx.exchange())))
                    .collect()
            }
            #[cfg(test)]
            Source::Table(table) => table.mx(name)?,
        };
        found.sort();
        Ok(found)
    }

    /// The A (`v6` false) or AAAA (`v6` true) records of `name`.
    pub async fn addresses(&self, name: &str, v6: bool) -> Answer<IpAddr> {
        match &self.source {
            Source::Resolver(resolver) if v6 => {
                let Some(found) = self.bounded(resolver.ipv6_lookup(net::fqdn(name))).await? else {
                    return Ok(Vec::new());
                };
                Ok(found.iter().map(|a| IpAddr::V6(a.0)).collect())
            }
            Source::Resolver(resolver) => {
                let Some(found) = self.bounded(resolver.ipv4_lookup(net::fqdn(name))).await? else {
                    return Ok(Vec::new());
                };
                Ok(found.iter().map(|a| IpAddr::V4(a.0)).collect())
            }
            #[cfg(test)]
            Source::Table(table) => table.addresses(name, v6),
        }
    }

    /// A lookup within the deadline; no records (NODATA, NXDOMAIN) is `Ok(None)`.
    async fn bounded<T>(
        &self,
        lookup: impl Future<Output = Result<T, hickory_resolver::ResolveError>>,
    ) -> Result<Option<T>, DnsError> {
        match tokio::time::timeout_at(self.deadline, lookup).await {
            Err(_) => Err(DnsError::TimedOut),
            Ok(Ok(found)) => Ok(Some(found)),
            Ok(Err(error)) if error.is_no_records_found() || error.is_nx_domain() => Ok(None),
            Ok(Err(error)) => Err(DnsError::Failed(error.to_string())),
        }
    }
}

#[cfg(test)]
pub mod table {
    //! An in-memory zone for the unit tests of the SPF evaluation.

    use std::collections::HashMap;
    use std::net::IpAddr;

    use super::{Answer, DnsError};

    #[derive(Default)]
    pub struct Table {
        txt: HashMap<String, Vec<String>>,
        mx: HashMap<String, Vec<(u16, String)>>,
        addresses: HashMap<String, Vec<IpAddr>>,
        /// Names whose lookups fail as a broken server's would.
        failing: Vec<String>,
    }

    impl Table {
        pub fn txt_record(mut self, name: &str, text: &str) -> Self {
            self.txt
                .entry(name.to_owned())
                .or_default()
                .push(text.to_owned());
            self
        }

        pub fn mx_record(mut self, name: &str, preference: u16, host: &str) -> Self {
            self.mx
                .entry(name.to_owned())
                .or_default()
                .push((preference, host.to_owned()));
            self
        }

        pub fn address(mut self, name: &str, address: &str) -> Self {
            let address = address.parse().expect("a test address");
            self.addresses
                .entry(name.to_owned())
                .or_default()
                .push(address);
            self
        }

        pub fn failing(mut self, name: &str) -> Self {
            self.failing.push(name.to_owned());
            self
        }

        fn fail(&self, name: &str) -> Result<(), DnsError> {
            if self.failing.iter().any(|n| n == name) {
                return Err(DnsError::Failed("SERVFAIL".to_owned()));
            }
            Ok(())
        }

        pub fn txt(&self, name: &str) -> Answer<String> {
            self.fail(name)?;
            Ok(self.txt.get(name).cloned().unwrap_or_default())
        }

        pub fn mx(&self, name: &str) -> Answer<(u16, String)> {
            self.fail(name)?;
            Ok(self.mx.get(name).cloned().unwrap_or_default())
        }

        pub fn addresses(&self, name: &str, v6: bool) -> Answer<IpAddr> {
            self.fail(name)?;
            Ok(self
                .addresses
                .get(name)
                .into_iter()
                .flatten()
                .filter(|a| a.is_ipv6() == v6)
                .copied()
                .collect())
        }
    }
}
