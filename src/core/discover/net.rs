//! The network effects of discovery: DNS (SRV, MX, addresses) through
//! hickory-resolver, and autoconfig fetches over HTTP(S) through ureq.
//!
//! Tests point these at loopback with `OUTBOUND_TEST_DNS` and
//! `OUTBOUND_TEST_AUTOCONFIG_BASE`; nothing else changes behaviour in tests.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use hickory_resolver::name_server::TokioConnectionProvider;

use super::autoconfig::MAX_SIZE;

/// Test only: the DNS server to ask instead of the system's (`127.0.0.1:PORT`).
pub const TEST_DNS_ENV: &str = "OUTBOUND_TEST_DNS";
/// Test only: an `http://127.0.0.1:PORT` base that replaces every autoconfig URL
/// (see [`AutoconfigUrl::url`]).
pub const TEST_AUTOCONFIG_ENV: &str = "OUTBOUND_TEST_AUTOCONFIG_BASE";

/// The resolver: the system's configuration, or the test server.
pub fn resolver(timeout: Duration) -> Result<TokioResolver, String> {
    let mut options = ResolverOpts::default();
    options.timeout = timeout;
    options.attempts = 1;
    let builder = match std::env::var(TEST_DNS_ENV).ok().filter(|v| !v.is_empty()) {
        Some(server) => {
            let address: SocketAddr = server
                .parse()
                .map_err(|e| format!("{TEST_DNS_ENV}={server}: {e}"))?;
            let servers =
                NameServerConfigGroup::from_ips_clear(&[address.ip()], address.port(), true);
            TokioResolver::builder_with_config(
                ResolverConfig::from_parts(None, Vec::new(), servers),
                TokioConnectionProvider::default(),
            )
        }
        None => TokioResolver::builder_tokio().map_err(|e| e.to_string())?,
    };
    let mut builder = builder;
    *builder.options_mut() = options;
    Ok(builder.build())
}

/// A fully qualified query name, so that no search domain is appended.
pub fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    }
}

/// A DNS name as text, without the final dot.
pub fn name_text(name: &hickory_resolver::Name) -> String {
    name.to_ascii().trim_end_matches('.').to_lowercase()
}

/// A DNS failure in words: "no such record" for the common case, the resolver's text otherwise.
pub fn dns_error(error: &hickory_resolver::ResolveError) -> String {
    if error.is_no_records_found() || error.is_nx_domain() {
        crate::i18n::tr("discover-no-records")
    } else {
        error.to_string()
    }
}

/// Which autoconfig location is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoconfigUrl {
    /// `https://autoconfig.DOMAIN/mail/config-v1.1.xml?emailaddress=…`
    Https,
    /// `https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml`
    WellKnown,
    /// `http://autoconfig.DOMAIN/mail/config-v1.1.xml?emailaddress=…` (insecure)
    Http,
}

impl AutoconfigUrl {
    /// The URL for an address. Under the test base, the scheme and host become
    /// path segments: `BASE/https/autoconfig.DOMAIN/mail/config-v1.1.xml?…`.
    pub fn url(self, domain: &str, address: &str) -> String {
        let query = format!("emailaddress={}", percent_encode(address));
        let (scheme, rest) = match self {
            AutoconfigUrl::Https => (
                "https",
                format!("autoconfig.{domain}/mail/config-v1.1.xml?{query}"),
            ),
            AutoconfigUrl::WellKnown => (
                "https",
                format!("{domain}/.well-known/autoconfig/mail/config-v1.1.xml"),
            ),
            AutoconfigUrl::Http => (
                "http",
                format!("autoconfig.{domain}/mail/config-v1.1.xml?{query}"),
            ),
        };
        match std::env::var(TEST_AUTOCONFIG_ENV)
            .ok()
            .filter(|v| !v.is_empty())
        {
            Some(base) => format!("{}/{scheme}/{rest}", base.trim_end_matches('/')),
            None => format!("{scheme}://{rest}"),
        }
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out += &format!("%{byte:02X}");
        }
    }
    out
}

/// GETs an autoconfig file: at most [`MAX_SIZE`] bytes, within `timeout`, on a
/// blocking thread (ureq is synchronous). An abandoned fetch ends by its own timeout.
pub async fn fetch(url: String, timeout: Duration) -> Result<String, String> {
    let task = tokio::task::spawn_blocking(move || {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(3)
            .build();
        let agent = ureq::Agent::new_with_config(config);
        let mut response = agent.get(&url).call().map_err(|e| e.to_string())?;
        // A secure source must not be answered over plain HTTP after a redirect.
        let final_scheme = ureq::ResponseExt::get_uri(&response)
            .scheme_str()
            .unwrap_or_default()
            .to_owned();
        if url.starts_with("https://") && final_scheme != "https" {
            return Err(crate::i18n::tr("discover-redirect-downgrade"));
        }
        let status = response.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        response
            .body_mut()
            .with_config()
            .limit(MAX_SIZE as u64)
            .read_to_string()
            .map_err(|e| e.to_string())
    });
    task.await.map_err(|e| e.to_string())?
}
