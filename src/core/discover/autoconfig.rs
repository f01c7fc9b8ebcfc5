//! Thunderbird autoconfig files (`clientConfig` version 1.1): reading one into a
//! directory provider, tolerant like Thunderbird, and writing one from a provider.
//!
//! Hardened: the text is size-limited before parsing, and roxmltree refuses any
//! DTD, so no entity can expand. Every error says the line.

use thiserror::Error;

use crate::core::directory::{Auth, Login, Provider, Server, normalise_domain};
use crate::core::profile::Security;
use crate::i18n::{self, Localize};

/// The largest autoconfig file read. Real ones are a few kilobytes.
pub const MAX_SIZE: usize = 1024 * 1024;
/// A bound on the parsed tree, so a flat flood of elements cannot cost much either.
const MAX_NODES: u32 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AutoconfigError {
    #[error("the file is {size} bytes; autoconfig files over {limit} bytes are refused")]
    TooLarge { size: usize, limit: usize },
    #[error("document type declarations (DTD) are refused, so no entity can expand (line {line})")]
    Dtd { line: u32 },
    #[error("line {line}, column {column}: not well-formed XML: {message}")]
    Xml {
        line: u32,
        column: u32,
        message: String,
    },
    #[error("line {line}: the root element is <{found}>, not <clientConfig>")]
    WrongRoot { line: u32, found: String },
    #[error("line {line}: <clientConfig> has no <emailProvider>")]
    NoProvider { line: u32 },
    #[error("line {line}: the provider has no SMTP <outgoingServer>")]
    NoSmtp { line: u32 },
    #[error("no SMTP server of the file can be used: {}", .reasons.join("; "))]
    NoUsableSmtp { reasons: Vec<String> },
    #[error("line {line}: the provider names no usable mail domain")]
    NoDomain { line: u32 },
    #[error("the imported provider is not valid: {}", .issues.join(", "))]
    Invalid { issues: Vec<String> },
}

impl Localize for AutoconfigError {
    fn localize(&self) -> String {
        let n = |v: &u32| v.to_string();
        match self {
            AutoconfigError::TooLarge { size, limit } => i18n::tr_args(
                "autoconfig-too-large",
                &[("size", size.to_string()), ("limit", limit.to_string())],
            ),
            AutoconfigError::Dtd { line } => i18n::tr_args("autoconfig-dtd", &[("line", n(line))]),
            AutoconfigError::Xml {
                line,
                column,
                message,
            } => i18n::tr_args(
                "autoconfig-xml",
                &[
                    ("line", n(line)),
                    ("column", n(column)),
                    ("message", message.clone()),
                ],
            ),
            AutoconfigError::WrongRoot { line, found } => i18n::tr_args(
                "autoconfig-wrong-root",
                &[("line", n(line)), ("found", found.clone())],
            ),
            AutoconfigError::NoProvider { line } => {
                i18n::tr_args("autoconfig-no-provider", &[("line", n(line))])
            }
            AutoconfigError::NoSmtp { line } => {
                i18n::tr_args("autoconfig-no-smtp", &[("line", n(line))])
            }
            AutoconfigError::NoUsableSmtp { reasons } => i18n::tr_args(
                "autoconfig-no-usable-smtp",
                &[("reasons", reasons.join("; "))],
            ),
            AutoconfigError::NoDomain { line } => {
                i18n::tr_args("autoconfig-no-domain", &[("line", n(line))])
            }
            AutoconfigError::Invalid { issues } => {
                i18n::tr_args("autoconfig-invalid", &[("issues", issues.join(", "))])
            }
        }
    }
}

/// Reads an autoconfig file. `domain`, when known (discovery for an address), fills
/// `%EMAILDOMAIN%` in host names and is added to the provider's domains; without it
/// (a directory import) such a host keeps the placeholder, filled at use.
pub fn parse(text: &str, domain: Option<&str>) -> Result<Provider, AutoconfigError> {
    if text.len() > MAX_SIZE {
        return Err(AutoconfigError::TooLarge {
            size: text.len(),
            limit: MAX_SIZE,
        });
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc =
        roxmltree::Document::parse_with_options(text, options).map_err(|e| xml_error(text, e))?;
    let line = |node: roxmltree::Node| doc.text_pos_at(node.range().start).row;
    let root = doc.root_element();
    if root.tag_name().name() != "clientConfig" {
        return Err(AutoconfigError::WrongRoot {
            line: line(root),
            found: root.tag_name().name().to_owned(),
        });
    }
    let Some(provider_node) = child(root, "emailProvider") else {
        return Err(AutoconfigError::NoProvider { line: line(root) });
    };
    let mut notes = Vec::new();

    let mut domains: Vec<String> = Vec::new();
    for node in children(provider_node, "domain") {
        let raw = node.text().unwrap_or_default().trim();
        match normalise_domain(raw) {
            Some(d) if d.contains('.') => {
                if !domains.contains(&d) {
                    domains.push(d);
                }
            }
            _ => notes.push(format!("line {}: domain `{raw}` skipped", line(node))),
        }
    }
    if let Some(d) = domain.and_then(normalise_domain)
        && !domains.contains(&d)
    {
        domains.push(d);
    }
    let mx_suffixes: Vec<String> = children(provider_node, "mxSuffix")
        .filter_map(|n| normalise_domain(n.text().unwrap_or_default()))
        .collect();
    if domains.is_empty() && mx_suffixes.is_empty() {
        return Err(AutoconfigError::NoDomain {
            line: line(provider_node),
        });
    }
    let fill = |host: &str| match domain {
        Some(d) => host.replace("%EMAILDOMAIN%", d),
        None => host.to_owned(),
    };

    // Outgoing servers: the first usable one is preferred, the others kept.
    let smtp_nodes: Vec<_> = children(provider_node, "outgoingServer")
        .filter(|n| {
            n.attribute("type")
                .unwrap_or("smtp")
                .eq_ignore_ascii_case("smtp")
        })
        .collect();
    if smtp_nodes.is_empty() {
        return Err(AutoconfigError::NoSmtp {
            line: line(provider_node),
        });
    }
    let oauth = read_oauth(root);
    let mut usable: Vec<(Server, Auth, Login, Option<String>)> = Vec::new();
    let mut reasons = Vec::new();
    for node in &smtp_nodes {
        match read_server(*node, &fill, oauth.as_ref()) {
            Ok((server, None, unsupported)) => reasons.push(format!(
                "line {}: {}:{} offers no supported authentication ({})",
                line(*node),
                server.host,
                server.port,
                unsupported.join(", ")
            )),
            Ok((server, Some(auth), unsupported)) => {
                for method in unsupported {
                    notes.push(format!(
                        "line {}: authentication `{method}` of {}:{} is not supported",
                        line(*node),
                        server.host,
                        server.port
                    ));
                }
                let (login, template) = read_login(*node);
                usable.push((server, auth, login, template));
            }
            Err(reason) => reasons.push(format!("line {}: {reason}", line(*node))),
        }
    }
    if usable.is_empty() {
        return Err(AutoconfigError::NoUsableSmtp { reasons });
    }
    notes.extend(reasons);
    let (smtp, auth, login, template) = usable.remove(0);
    if let Some(template) = template {
        notes.push(format!("the user name is `{template}`"));
    }
    let smtp_alternatives = usable
        .into_iter()
        .map(|(s, ..)| s)
        .filter(|s| *s != smtp)
        .collect();

    let imap = children(provider_node, "incomingServer")
        .filter(|n| {
            n.attribute("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("imap"))
        })
        .find_map(|n| read_server(n, &fill, oauth.as_ref()).ok())
        .map(|(server, ..)| server)
        .filter(|s| s.port == 143 || s.port == 993);

    for node in children(provider_node, "documentation") {
        let texts: Vec<_> = children(node, "descr").collect();
        let chosen = texts
            .iter()
            .find(|d| {
                d.attribute("lang")
                    .is_none_or(|l| l.eq_ignore_ascii_case("en"))
            })
            .or(texts.first());
        if let Some(text) = chosen
            .and_then(|d| d.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            notes.push(clean(text));
        }
    }
    let mut unique = Vec::new();
    for note in notes {
        if !unique.contains(&note) {
            unique.push(note);
        }
    }

    let id = provider_node
        .attribute("id")
        .map(make_id)
        .filter(|id| !id.is_empty())
        .or_else(|| domains.first().map(|d| make_id(d)))
        .unwrap_or_else(|| "imported".to_owned());
    let name = child(provider_node, "displayName")
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| id.clone(), clean);
    let provider = Provider {
        id,
        name,
        login,
        domains,
        mx_suffixes,
        notes: unique,
        smtp,
        smtp_alternatives,
        imap,
        auth,
    };
    let issues = provider.validate();
    if !issues.is_empty() {
        return Err(AutoconfigError::Invalid {
            issues: issues
                .iter()
                .map(|i| format!("{} ({})", i.field, i.id))
                .collect(),
        });
    }
    Ok(provider)
}

/// Text from a file shown to the user later: no control characters (a terminal
/// would obey them), and not without end.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(500)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn xml_error(text: &str, error: roxmltree::Error) -> AutoconfigError {
    let pos = error.pos();
    match error {
        // roxmltree reports where parsing began; the declaration's own line helps more.
        roxmltree::Error::DtdDetected => AutoconfigError::Dtd {
            line: text
                .find("<!DOCTYPE")
                .map_or(pos.row, |at| text[..at].matches('\n').count() as u32 + 1),
        },
        other => AutoconfigError::Xml {
            line: pos.row,
            column: pos.col,
            message: other.to_string(),
        },
    }
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &'a str) -> Option<roxmltree::Node<'a, 'i>> {
    children(node, name).next()
}

fn children<'a, 'i: 'a>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text_of(node: roxmltree::Node, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// A server element: its host, port and security, the first supported
/// authentication (`None` when it lists only unsupported ones), and the unsupported ones.
fn read_server(
    node: roxmltree::Node,
    fill: &dyn Fn(&str) -> String,
    oauth: Option<&Auth>,
) -> Result<(Server, Option<Auth>, Vec<String>), String> {
    let host = text_of(node, "hostname").ok_or("no <hostname>")?;
    let security = match text_of(node, "socketType").as_deref() {
        Some(s) if s.eq_ignore_ascii_case("SSL") || s.eq_ignore_ascii_case("TLS") => Security::Tls,
        Some(s) if s.eq_ignore_ascii_case("STARTTLS") => Security::Starttls,
        Some(s) if s.eq_ignore_ascii_case("plain") => Security::None,
        Some(other) => return Err(format!("socket type `{other}` is not supported")),
        None => Security::None,
    };
    let port = match text_of(node, "port") {
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|&p| p > 0)
            .ok_or(format!("port `{p}` is not a port"))?,
        None => security.default_port(),
    };
    let mut auth = None;
    let mut unsupported = Vec::new();
    let methods: Vec<String> = children(node, "authentication")
        .filter_map(|n| n.text().map(|t| t.trim().to_owned()))
        .collect();
    if methods.is_empty() {
        auth = Some(Auth::Password);
    }
    for method in methods {
        let this = match method.as_str() {
            "password-cleartext" | "plain" => Some(Auth::Password),
            "password-encrypted" | "secure" => Some(Auth::PasswordEncrypted),
            // Thunderbird's names for Windows authentication.
            "NTLM" => Some(Auth::Ntlm),
            "GSSAPI" => Some(Auth::Gssapi),
            "OAuth2" => oauth.cloned(),
            _ => None,
        };
        match this {
            Some(found) => {
                auth.get_or_insert(found);
            }
            None if method == "OAuth2" => {
                unsupported.push("OAuth2 (no <oAuth2> endpoints)".to_owned())
            }
            None => unsupported.push(method),
        }
    }
    Ok((
        Server {
            host: fill(&host),
            port,
            security,
        },
        auth,
        unsupported,
    ))
}

/// The login format from `<username>`, and the template when it is none of the
/// plain ones. `%EMAILADDRESS` without its closing `%` occurs in real files.
fn read_login(node: roxmltree::Node) -> (Login, Option<String>) {
    let Some(element) = child(node, "username") else {
        return (Login::Email, None);
    };
    let template = element.text().unwrap_or_default().trim();
    match template {
        "%EMAILADDRESS%" | "%EMAILADDRESS" => (Login::Email, None),
        "%EMAILLOCALPART%" | "%EMAILLOCALPART" => (Login::LocalPart, None),
        "" => (Login::Manual, None),
        other => (Login::Manual, Some(other.to_owned())),
    }
}

fn read_oauth(root: roxmltree::Node) -> Option<Auth> {
    let node = child(root, "oAuth2")?;
    Some(Auth::Oauth2 {
        client_id: text_of(node, "clientID").unwrap_or_default(),
        auth_url: text_of(node, "authURL")?,
        token_url: text_of(node, "tokenURL")?,
        scopes: text_of(node, "scope")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        device_url: String::new(),
        tenant: String::new(),
    })
}

/// A directory id from a provider id or domain: lower case, `[a-z0-9.-]`.
fn make_id(raw: &str) -> String {
    let id: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    id.trim_matches('-').to_owned()
}

/// Writes a provider as a `clientConfig` 1.1 file. Outbound's additions, which
/// Thunderbird ignores: `<mxSuffix>` in the provider and `<clientID>` in `<oAuth2>`.
pub fn export(provider: &Provider) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">\n",
    );
    out += &format!("  <emailProvider id=\"{}\">\n", escape(&provider.id));
    for domain in &provider.domains {
        out += &format!("    <domain>{}</domain>\n", escape(domain));
    }
    for suffix in &provider.mx_suffixes {
        out += &format!("    <mxSuffix>{}</mxSuffix>\n", escape(suffix));
    }
    out += &format!(
        "    <displayName>{}</displayName>\n",
        escape(&provider.name)
    );
    let username = match provider.login {
        Login::Email => "%EMAILADDRESS%",
        Login::LocalPart => "%EMAILLOCALPART%",
        Login::Manual => "",
    };
    let auth = match provider.auth {
        Auth::Password => "password-cleartext",
        Auth::PasswordEncrypted => "password-encrypted",
        Auth::Ntlm => "NTLM",
        Auth::Gssapi => "GSSAPI",
        Auth::Oauth2 { .. } => "OAuth2",
    };
    if let Some(imap) = &provider.imap {
        out += &server_xml("incomingServer", "imap", imap, username, auth);
    }
    for server in std::iter::once(&provider.smtp).chain(&provider.smtp_alternatives) {
        out += &server_xml("outgoingServer", "smtp", server, username, auth);
    }
    for note in &provider.notes {
        out += &format!(
            "    <documentation>\n      <descr lang=\"en\">{}</descr>\n    </documentation>\n",
            escape(note)
        );
    }
    out += "  </emailProvider>\n";
    if let Auth::Oauth2 {
        client_id,
        auth_url,
        token_url,
        scopes,
        ..
    } = &provider.auth
    {
        let issuer = auth_url
            .strip_prefix("https://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        out += "  <oAuth2>\n";
        out += &format!("    <issuer>{}</issuer>\n", escape(issuer));
        out += &format!("    <scope>{}</scope>\n", escape(&scopes.join(" ")));
        out += &format!("    <authURL>{}</authURL>\n", escape(auth_url));
        out += &format!("    <tokenURL>{}</tokenURL>\n", escape(token_url));
        if !client_id.is_empty() {
            out += &format!("    <clientID>{}</clientID>\n", escape(client_id));
        }
        out += "  </oAuth2>\n";
    }
    out += "</clientConfig>\n";
    out
}

fn server_xml(element: &str, kind: &str, server: &Server, username: &str, auth: &str) -> String {
    let socket = match server.security {
        Security::Tls => "SSL",
        Security::Starttls => "STARTTLS",
        Security::None => "plain",
    };
    format!(
        "    <{element} type=\"{kind}\">\n      <hostname>{}</hostname>\n      <port>{}</port>\n      \
         <socketType>{socket}</socketType>\n      <username>{username}</username>\n      \
         <authentication>{auth}</authentication>\n    </{element}>\n",
        escape(&server.host),
        server.port
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Reads an autoconfig file, refusing one over [`MAX_SIZE`] before reading it.
pub fn read_file(path: &std::path::Path) -> Result<String, FileError> {
    let failed = |error| FileError {
        path: path.display().to_string(),
        error,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| io_failure(path, &e))?
        .len();
    if size > MAX_SIZE as u64 {
        return Err(failed(AutoconfigError::TooLarge {
            size: size as usize,
            limit: MAX_SIZE,
        }));
    }
    std::fs::read_to_string(path).map_err(|e| io_failure(path, &e))
}

fn io_failure(path: &std::path::Path, error: &std::io::Error) -> FileError {
    FileError {
        path: path.display().to_string(),
        error: AutoconfigError::Xml {
            line: 0,
            column: 0,
            message: error.to_string(),
        },
    }
}

/// An autoconfig file that could not be imported, with its name.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {error}")]
pub struct FileError {
    pub path: String,
    pub error: AutoconfigError,
}

impl Localize for FileError {
    fn localize(&self) -> String {
        i18n::tr_args(
            "directory-file-error",
            &[
                ("file", self.path.clone()),
                ("reason", self.error.localize()),
            ],
        )
    }
}
