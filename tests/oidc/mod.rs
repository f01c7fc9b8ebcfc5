//! The tests' side of the OAuth peer (tests/peers/oidc): its address, and a
//! browser without a screen that follows the authorization URL and fills the
//! device flow's forms.

pub fn issuer() -> String {
    std::env::var("OUTBOUND_TEST_OIDC_URL").expect(
        "OUTBOUND_TEST_OIDC_URL is not set: run the tests through tests/session \
         (it starts the oidc-provider peer of tests/peers/oidc)",
    )
}

/// aiosmtpd accepting a bearer token only when the OAuth peer's introspection
/// says it issued it (and is still active).
pub fn introspecting_peer(
    mode: &str,
    cert: Option<&crate::support::certs::Files>,
) -> crate::support::Peer {
    let introspection = format!("{}/token/introspection", issuer());
    crate::support::Peer::start_with(
        mode,
        cert,
        "not-used",
        &["--oauth-introspect", &introspection],
    )
}

/// The directory entry `id` of the test provider: domain `oauth.test` served
/// by 127.0.0.1:`port` without TLS, signing in at the OAuth peer (with its
/// device endpoint when `device`).
pub fn provider(id: &str, port: u16, device: bool) -> outbound::core::directory::Provider {
    use outbound::core::directory::{Auth, Login, Provider, Server};
    use outbound::core::profile::Security;
    let issuer = issuer();
    Provider {
        id: id.to_owned(),
        name: "OAuth test".to_owned(),
        login: Login::Email,
        domains: vec!["oauth.test".to_owned()],
        mx_suffixes: Vec::new(),
        notes: Vec::new(),
        smtp: Server {
            host: "127.0.0.1".to_owned(),
            port,
            security: Security::None,
        },
        smtp_alternatives: Vec::new(),
        imap: None,
        auth: Auth::Oauth2 {
            client_id: "outbound-test".to_owned(),
            auth_url: format!("{issuer}/auth"),
            token_url: format!("{issuer}/token"),
            scopes: vec!["openid".to_owned(), "offline_access".to_owned()],
            device_url: if device {
                format!("{issuer}/device/auth")
            } else {
                String::new()
            },
            tenant: String::new(),
        },
    }
}

/// A browser without a screen: cookies, no automatic redirects.
pub struct Browser {
    agent: ureq::Agent,
    cookies: Vec<(String, String, String)>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    body: String,
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            agent: ureq::Agent::config_builder()
                .max_redirects(0)
                .http_status_as_error(false)
                .build()
                .into(),
            cookies: Vec::new(),
        }
    }

    fn absolute(url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", issuer())
        } else {
            url.to_owned()
        }
    }

    fn cookie_header(&self, url: &str) -> String {
        let path = url::Url::parse(url).unwrap().path().to_owned();
        self.cookies
            .iter()
            .filter(|(_, _, p)| path.starts_with(p.as_str()))
            .map(|(n, v, _)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &ureq::http::Response<ureq::Body>) {
        for header in response.headers().get_all("set-cookie") {
            let text = header.to_str().unwrap();
            let mut parts = text.split(';');
            let (name, value) = parts.next().unwrap().split_once('=').unwrap();
            let path = parts
                .filter_map(|p| p.trim().strip_prefix("path="))
                .next()
                .unwrap_or("/")
                .to_owned();
            self.cookies.retain(|(n, _, p)| !(n == name && *p == path));
            self.cookies.push((name.to_owned(), value.to_owned(), path));
        }
    }

    fn finish(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Page {
        self.keep(&response);
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|l| Browser::absolute(l.to_str().unwrap())),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    pub fn get(&mut self, url: &str) -> Page {
        let cookies = self.cookie_header(url);
        let response = self
            .agent
            .get(url)
            .header("Cookie", &cookies)
            .call()
            .unwrap();
        self.finish(response)
    }

    fn post(&mut self, url: &str, form: &[(String, String)]) -> Page {
        let cookies = self.cookie_header(url);
        let response = self
            .agent
            .post(url)
            .header("Cookie", &cookies)
            .send_form(form.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .unwrap();
        self.finish(response)
    }

    /// Follows the authorization URL to the redirect that leaves the
    /// authorization server (Outbound's loopback address), without opening it.
    pub fn authorize(&mut self, url: &str) -> String {
        let mut url = url.to_owned();
        for _ in 0..10 {
            let page = self.get(&url);
            let next = page
                .location
                .unwrap_or_else(|| panic!("no redirect from {url}: {} {}", page.status, page.body));
            if !next.starts_with(&issuer()) {
                return next;
            }
            url = next;
        }
        panic!("too many redirects");
    }

    /// Confirms a device code: submits each form the server shows (the code,
    /// then the confirmation) until it says the device is signed in.
    pub fn approve_device(&mut self, url: &str) {
        let mut page = self.get(url);
        let mut at = url.to_owned();
        for _ in 0..12 {
            if let Some(next) = page.location.clone() {
                at = next;
                page = self.get(&at);
            } else if page.body.contains("signed in") {
                return;
            } else if let Some((action, form)) = form_of(&page.body) {
                at = Browser::absolute(&action);
                page = self.post(&at, &form);
            } else {
                panic!(
                    "device page without a form at {at}: {} {}",
                    page.status, page.body
                );
            }
        }
        panic!("the device flow did not finish");
    }
}

/// The first form of a page: its action and its inputs' names and values.
fn form_of(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let start = html.find("<form")?;
    let form = &html[start..html[start..].find("</form>")? + start];
    let attribute = |tag: &str, name: &str| {
        let key = format!("{name}=\"");
        tag.find(&key).map(|i| {
            let rest = &tag[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
    };
    let action = attribute(form, "action")?;
    let fields = form
        .split("<input")
        .skip(1)
        .filter_map(|tag| {
            Some((
                attribute(tag, "name")?,
                attribute(tag, "value").unwrap_or_default(),
            ))
        })
        .collect();
    Some((action, fields))
}

/// Replaces the value of `name` in a URL's query.
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(n, v)| {
            let v = if n == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (n.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}
