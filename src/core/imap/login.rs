//! The `login` step: AUTHENTICATE (with SASL-IR when the server offers it, so
//! PLAIN and the OAuth2 mechanisms take one round trip) or the LOGIN command.
//! The password, the token and every SASL payload are recorded as `<redacted>`
//! before anything is written.
//!
//! `ntlm` and `gssapi` are Windows authentication (windows.rs). `auto` takes
//! GSSAPI first when the server offers it and the user holds a ticket for
//! `imap@HOST`; NTLM only over TLS and when nothing else is offered.
//!
//! `auth = login` means the IMAP LOGIN command (RFC 9051 §6.2.3), which every
//! server has unless it says LOGINDISABLED; SASL's LOGIN mechanism adds nothing
//! over it in IMAP. `auto` over TLS prefers AUTHENTICATE PLAIN, then LOGIN,
//! then CRAM-MD5; without TLS it uses only CRAM-MD5 (no reusable password in
//! clear) and refuses otherwise. With an OAuth 2.0 access token (a signed-in
//! profile, issue 13) `auto` means XOAUTH2, else OAUTHBEARER, over TLS only: a
//! bearer token is as reusable as a password.

use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::time::timeout;

use super::diagnose;
use super::session::{capabilities_in, timed_out, words};
use super::wire::{Response, Status, quotable, quoted};
use super::{Failure, Run, wire::Wire};
use crate::core::check::auth;
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::gssapi::Names;
use crate::core::check::imap_facts::{has_capability as has, sasl_mechanisms};
use crate::core::check::transcript::REDACTED;
use crate::core::check::{Detail, StepName, StepStatus};
use crate::core::profile::ImapAuth;

/// How the client signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `AUTHENTICATE <mechanism>`.
    Sasl(Sasl),
    /// The LOGIN command.
    Login,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sasl {
    Plain,
    CramMd5,
    Xoauth2,
    Oauthbearer,
    Ntlm,
    Gssapi,
}

impl Sasl {
    pub fn name(self) -> &'static str {
        match self {
            Sasl::Plain => "PLAIN",
            Sasl::CramMd5 => "CRAM-MD5",
            Sasl::Xoauth2 => "XOAUTH2",
            Sasl::Oauthbearer => "OAUTHBEARER",
            Sasl::Ntlm => "NTLM",
            Sasl::Gssapi => "GSSAPI",
        }
    }
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Sasl(sasl) => sasl.name(),
            Method::Login => "LOGIN",
        }
    }

    /// Whether a reusable password travels readable without TLS.
    fn reveals_password(self) -> bool {
        matches!(self, Method::Login | Method::Sasl(Sasl::Plain))
    }
}

/// Why no method could be used: the diagnosis (nothing was sent).
pub fn choose(
    auth: ImapAuth,
    capabilities: &[String],
    encrypted: bool,
    port: u16,
) -> Result<Method, Diagnosis> {
    let has = |name: &str| has(capabilities, name);
    let mechanisms = sasl_mechanisms(capabilities);
    let offers = |s: Sasl| mechanisms.iter().any(|m| m == s.name());
    let login_disabled = has("LOGINDISABLED");
    let disabled = || diagnose::login_disabled(&mechanisms, has("STARTTLS"), port);
    let unavailable = |wanted: &str| {
        // Nothing to sign in with at all: the server has turned logins off here.
        if login_disabled && mechanisms.is_empty() {
            return disabled();
        }
        Diagnosis::new(Code::AuthMechanismUnavailable)
            .arg("wanted", wanted)
            .arg("offered", offered_list(&mechanisms, login_disabled))
    };
    let sasl = |s: Sasl| {
        if offers(s) {
            Ok(Method::Sasl(s))
        } else {
            Err(unavailable(s.name()))
        }
    };
    match auth {
        ImapAuth::Auto if encrypted => {
            if offers(Sasl::Plain) {
                Ok(Method::Sasl(Sasl::Plain))
            } else if !login_disabled {
                Ok(Method::Login)
            } else if offers(Sasl::CramMd5) {
                Ok(Method::Sasl(Sasl::CramMd5))
            } else if offers(Sasl::Ntlm) {
                Ok(Method::Sasl(Sasl::Ntlm))
            } else {
                Err(disabled())
            }
        }
        ImapAuth::Auto => {
            if offers(Sasl::CramMd5) {
                Ok(Method::Sasl(Sasl::CramMd5))
            } else if offers(Sasl::Plain) || offers(Sasl::Ntlm) || !login_disabled {
                Err(plaintext_refused(capabilities, port))
            } else {
                Err(disabled())
            }
        }
        ImapAuth::Login if login_disabled => Err(disabled()),
        ImapAuth::Login => Ok(Method::Login),
        ImapAuth::Plain => sasl(Sasl::Plain),
        ImapAuth::CramMd5 => sasl(Sasl::CramMd5),
        ImapAuth::Xoauth2 => sasl(Sasl::Xoauth2),
        ImapAuth::Oauthbearer => sasl(Sasl::Oauthbearer),
        ImapAuth::Ntlm => sasl(Sasl::Ntlm),
        ImapAuth::Gssapi => sasl(Sasl::Gssapi),
    }
}

/// Whether `auto` (or `gssapi`) tries Kerberos first: the server offers
/// GSSAPI and no OAuth token is held (that profile means to sign in with it).
fn wants_ticket(auth: ImapAuth, capabilities: &[String], token: bool) -> bool {
    let offered = sasl_mechanisms(capabilities).iter().any(|m| m == "GSSAPI");
    offered && (auth == ImapAuth::Gssapi || (auth == ImapAuth::Auto && !token))
}

/// As [`choose`], for a client holding an OAuth 2.0 access token when `token`:
/// `auto` then signs in with XOAUTH2 or OAUTHBEARER (whichever the server
/// offers, XOAUTH2 first, as the SMTP check does), never without TLS.
pub fn choose_for(
    auth: ImapAuth,
    capabilities: &[String],
    encrypted: bool,
    port: u16,
    token: bool,
) -> Result<Method, Diagnosis> {
    if !token || auth != ImapAuth::Auto {
        return choose(auth, capabilities, encrypted, port);
    }
    let mechanisms = sasl_mechanisms(capabilities);
    let offered = |s: Sasl| mechanisms.iter().any(|m| m == s.name());
    let found = [Sasl::Xoauth2, Sasl::Oauthbearer]
        .into_iter()
        .find(|s| offered(*s));
    match found {
        Some(sasl) if encrypted => Ok(Method::Sasl(sasl)),
        Some(_) => Err(plaintext_refused(capabilities, port)),
        None => Err(Diagnosis::new(Code::AuthMechanismUnavailable)
            .arg("wanted", "XOAUTH2, OAUTHBEARER")
            .arg(
                "offered",
                offered_list(&mechanisms, has(capabilities, "LOGINDISABLED")),
            )),
    }
}

/// `auto` without TLS and only ways in that would show a listener the secret.
fn plaintext_refused(capabilities: &[String], port: u16) -> Diagnosis {
    let mechanisms = sasl_mechanisms(capabilities);
    let starttls = has(capabilities, "STARTTLS");
    Diagnosis::new(Code::PlaintextAuthRefused)
        .arg(
            "offered",
            offered_list(&mechanisms, has(capabilities, "LOGINDISABLED")),
        )
        .arg("starttls", if starttls { "yes" } else { "no" })
        .arg("port", port.to_string())
}

fn offered_list(mechanisms: &[String], login_disabled: bool) -> String {
    let mut list: Vec<String> = mechanisms.to_vec();
    if !login_disabled {
        list.push("LOGIN".to_owned());
    }
    list.dedup();
    if list.is_empty() {
        "—".to_owned()
    } else {
        list.join(", ")
    }
}

/// The OAUTHBEARER initial response, shared with SMTP.
pub use crate::core::check::auth::oauthbearer;

impl Run {
    pub(super) async fn login(&mut self, wire: &mut Wire) -> Result<(), Failure> {
        let since = Instant::now();
        let capabilities = self.imap_ref().current().to_vec();
        let encrypted = self.tls_active;
        let ticket = if wants_ticket(self.auth, &capabilities, self.token) {
            Some(self.kerberos_start().await)
        } else {
            None
        };
        let choose = || choose_for(self.auth, &capabilities, encrypted, self.port, self.token);
        let chosen = match ticket {
            Some(Ok(started)) => Ok((Method::Sasl(Sasl::Gssapi), Some(started))),
            // Asked for: Kerberos's own diagnosis (no ticket, unknown server…).
            Some(Err(kerberos)) if self.auth == ImapAuth::Gssapi => Err(kerberos),
            Some(Err(kerberos)) => match choose() {
                // `auto` goes on with the password and says why not Kerberos.
                Ok(method) => {
                    self.transcript.info(crate::i18n::tr_args(
                        "check-gssapi-not-used",
                        &[("reason", kerberos.message())],
                    ));
                    Ok((method, None))
                }
                // A password kept from a listener is news of its own, as in SMTP.
                Err(refused) if refused.code == Code::PlaintextAuthRefused => Err(refused),
                // Kerberos was the only way in: why it failed is the news.
                Err(_) => Err(kerberos),
            },
            None => choose().map(|method| (method, None)),
        };
        let (method, started) =
            chosen.map_err(|d| self.fail(StepName::Login, since, Failure::local(d)))?;
        let limit = self.step_timeout;
        let sasl_ir = has(&capabilities, "SASL-IR");
        let literal_plus = has(&capabilities, "LITERAL+") || has(&capabilities, "LITERAL-");
        let mut names = None;
        let exchange = async {
            match (method, started) {
                (Method::Login, _) => self.login_command(wire, literal_plus).await,
                (Method::Sasl(Sasl::Ntlm), _) => self.authenticate_ntlm(wire, sasl_ir).await,
                (Method::Sasl(Sasl::Gssapi), Some(started)) => {
                    let (done, signed_in) =
                        self.authenticate_gssapi(wire, started, sasl_ir).await?;
                    names = signed_in;
                    Ok(done)
                }
                (Method::Sasl(sasl), _) => self.authenticate(wire, sasl, sasl_ir).await,
            }
        };
        let exchange = match timeout(limit, exchange).await {
            Ok(Ok(exchange)) => exchange,
            Ok(Err(diagnosis)) => {
                return Err(self.fail(StepName::Login, since, Failure::broken(diagnosis)));
            }
            Err(_) => {
                let diagnosis = timed_out(limit);
                return Err(self.fail(StepName::Login, since, Failure::broken(diagnosis)));
            }
        };
        let done = exchange.done;
        if done.status != Status::Ok {
            let offered = self.imap_ref().mechanisms();
            let diagnosis = diagnose::login_refused(&done, method.name(), &offered);
            return Err(self.fail(StepName::Login, since, Failure::refused(diagnosis, &done)));
        }
        let mut after = capabilities_in(&exchange.untagged);
        if after.is_empty() && done.code_name().as_deref() == Some("CAPABILITY") {
            after = words(done.code_value());
        }
        self.imap().capabilities_auth = after;
        let mut args = vec![("mechanism", method.name().to_owned())];
        let (status, found) = if let Some(names) = names {
            // Kerberos: which principal signed in to which, in which realms.
            let text = crate::i18n::tr_args(
                "check-gssapi-signed-in",
                &[
                    ("client", names.client.clone()),
                    ("server", names.server.clone()),
                    ("reply", done.summary()),
                ],
            );
            args.push(("account", names.client.clone()));
            args.push(("principal", names.server.clone()));
            args.push(("realm", Names::realm(&names.server).to_owned()));
            args.push(("client_realm", Names::realm(&names.client).to_owned()));
            (StepStatus::Ok, Detail::plain("imap_login", args, text))
        } else if !encrypted && method.reveals_password() {
            (StepStatus::Warning, Detail::message("auth_plaintext", args))
        } else if !encrypted && method == Method::Sasl(Sasl::Ntlm) {
            (
                StepStatus::Warning,
                Detail::message("auth_ntlm_clear", args),
            )
        } else {
            (StepStatus::Ok, Detail::message("imap_login", args))
        };
        self.steps.record(StepName::Login, status, since, found);
        Ok(())
    }

    /// `LOGIN user password`; a value that cannot be a quoted string (UTF-8, a
    /// quote) goes as a literal: `{n+}` with LITERAL+, else `{n}` and a wait
    /// for the server's `+`.
    async fn login_command(
        &mut self,
        wire: &mut Wire,
        literal_plus: bool,
    ) -> Result<super::session::Exchange, Diagnosis> {
        let tag = self.tag();
        let user = self.username.clone();
        let password = self.password.clone();
        let mut pieces: Vec<Vec<u8>> = vec![format!("{tag} LOGIN ").into_bytes()];
        for (i, value) in [user.as_str(), password.expose()].into_iter().enumerate() {
            let last = pieces.len() - 1;
            if i > 0 {
                pieces[last].push(b' ');
            }
            if quotable(value) {
                pieces[last].extend_from_slice(quoted(value).as_bytes());
            } else if literal_plus {
                pieces[last].extend_from_slice(format!("{{{}+}}\r\n", value.len()).as_bytes());
                pieces[last].extend_from_slice(value.as_bytes());
            } else {
                pieces[last].extend_from_slice(format!("{{{}}}\r\n", value.len()).as_bytes());
                pieces.push(value.as_bytes().to_vec());
            }
        }
        if let Some(last) = pieces.last_mut() {
            last.extend_from_slice(b"\r\n");
        }
        self.transcript
            .client(format!("{tag} LOGIN {} {REDACTED}", quoted(&user)));
        let mut rest = pieces.into_iter();
        if let Some(first) = rest.next() {
            self.write(wire, &first).await?;
        }
        for piece in rest {
            // A synchronizing literal: the server says `+` (go on) or refuses.
            match self.go_on(wire, &tag).await? {
                GoOn::Continue(_) => self.write(wire, &piece).await?,
                GoOn::Done(exchange) => return Ok(exchange),
            }
        }
        self.until_tagged_sasl(wire, &tag, None).await
    }

    /// `AUTHENTICATE mechanism [initial response]` and the exchange of `+` lines.
    async fn authenticate(
        &mut self,
        wire: &mut Wire,
        sasl: Sasl,
        sasl_ir: bool,
    ) -> Result<super::session::Exchange, Diagnosis> {
        let tag = self.tag();
        let user = self.username.clone();
        let password = self.password.clone();
        let initial = match sasl {
            Sasl::Plain => Some(auth::plain(&user, password.expose())),
            Sasl::Xoauth2 => Some(auth::xoauth2(&user, password.expose())),
            Sasl::Oauthbearer => Some(oauthbearer(&user, &self.host, self.port, password.expose())),
            // CRAM-MD5 answers a challenge; NTLM and GSSAPI have their own
            // exchange (windows.rs) and do not come here.
            Sasl::CramMd5 | Sasl::Ntlm | Sasl::Gssapi => None,
        };
        let name = sasl.name();
        let mut pending = None;
        match initial {
            Some(payload) if sasl_ir => {
                self.transcript
                    .client(format!("{tag} AUTHENTICATE {name} {REDACTED}"));
                self.write(
                    wire,
                    format!("{tag} AUTHENTICATE {name} {payload}\r\n").as_bytes(),
                )
                .await?;
            }
            other => {
                self.transcript.client(format!("{tag} AUTHENTICATE {name}"));
                self.write(wire, format!("{tag} AUTHENTICATE {name}\r\n").as_bytes())
                    .await?;
                pending = other;
            }
        }
        // The first `+` asks for the initial response (PLAIN without SASL-IR)
        // or carries the CRAM-MD5 challenge.
        if pending.is_some() || sasl == Sasl::CramMd5 {
            match self.go_on(wire, &tag).await? {
                GoOn::Continue(challenge) => {
                    let response = match (sasl, pending) {
                        (Sasl::CramMd5, _) => auth::cram_md5(&user, password.expose(), &challenge)
                            .unwrap_or_else(|| "*".to_owned()),
                        (_, Some(payload)) => payload,
                        (_, None) => "*".to_owned(),
                    };
                    let shown = if response == "*" { "*" } else { REDACTED };
                    self.transcript.client(shown);
                    self.write(wire, format!("{response}\r\n").as_bytes())
                        .await?;
                }
                GoOn::Done(exchange) => return Ok(exchange),
            }
        }
        self.until_tagged_sasl(wire, &tag, Some(sasl)).await
    }

    /// The server's answer where the client waits for `+`: the continuation's
    /// text, or the command `tag` already completed (a refusal, mostly).
    pub(super) async fn go_on(&mut self, wire: &mut Wire, tag: &str) -> Result<GoOn, Diagnosis> {
        match self.read(wire).await? {
            Response::Continue(text) => Ok(GoOn::Continue(text)),
            Response::Status(done) if done.tag.as_deref() == Some(tag) => {
                Ok(GoOn::Done(super::session::Exchange {
                    untagged: Vec::new(),
                    done,
                }))
            }
            other => {
                Err(Diagnosis::new(Code::ProtocolError).arg("reply", super::session::shown(&other)))
            }
        }
    }

    /// Reads until the tagged completion; a further `+` is a failure's
    /// challenge (XOAUTH2 and OAUTHBEARER send their error so), answered as
    /// the mechanism wants so the server completes with NO.
    async fn until_tagged_sasl(
        &mut self,
        wire: &mut Wire,
        tag: &str,
        sasl: Option<Sasl>,
    ) -> Result<super::session::Exchange, Diagnosis> {
        let mut untagged = Vec::new();
        let mut continuations = 0;
        loop {
            match self.read(wire).await? {
                Response::Status(done) if done.tag.as_deref() == Some(tag) => {
                    return Ok(super::session::Exchange { untagged, done });
                }
                Response::Continue(challenge) if continuations < 2 => {
                    continuations += 1;
                    let answer = match sasl {
                        Some(Sasl::Xoauth2) => String::new(),
                        // RFC 7628 §3.2.3: the client answers the error with %x01.
                        Some(Sasl::Oauthbearer) => STANDARD.encode([1u8]),
                        // Anything else: cancel the exchange (RFC 9051 §6.2.2).
                        _ => "*".to_owned(),
                    };
                    if let Ok(bytes) = STANDARD.decode(challenge.trim()) {
                        self.transcript.info(crate::core::check::wire::printable(
                            &String::from_utf8_lossy(&bytes),
                        ));
                    }
                    self.transcript.client(answer.clone());
                    self.write(wire, format!("{answer}\r\n").as_bytes()).await?;
                }
                Response::Continue(text) => {
                    return Err(
                        Diagnosis::new(Code::ProtocolError).arg("reply", format!("+ {text}"))
                    );
                }
                other => untagged.push(other),
            }
        }
    }
}

/// What came where the client waits for `+`.
pub(super) enum GoOn {
    Continue(String),
    Done(super::session::Exchange),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(list: &str) -> Vec<String> {
        list.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn auto_prefers_plain_then_login_and_never_sends_a_password_in_clear() {
        let dovecot = caps("IMAP4rev1 SASL-IR LITERAL+ AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5");
        assert_eq!(
            choose(ImapAuth::Auto, &dovecot, true, 993),
            Ok(Method::Sasl(Sasl::Plain))
        );
        assert_eq!(
            choose(ImapAuth::Auto, &caps("IMAP4rev1"), true, 993),
            Ok(Method::Login)
        );
        assert_eq!(
            choose(ImapAuth::Auto, &dovecot, false, 143),
            Ok(Method::Sasl(Sasl::CramMd5))
        );
        let plain_only = caps("IMAP4rev1 STARTTLS AUTH=PLAIN");
        let refused = choose(ImapAuth::Auto, &plain_only, false, 143).unwrap_err();
        assert_eq!(refused.code, Code::PlaintextAuthRefused);
        assert_eq!(refused.get("starttls"), Some("yes"));
    }

    #[test]
    fn logindisabled_and_missing_mechanisms() {
        let before_tls = caps("IMAP4rev1 STARTTLS LOGINDISABLED");
        for auth in [ImapAuth::Auto, ImapAuth::Login, ImapAuth::Plain] {
            assert_eq!(
                choose(auth, &before_tls, false, 143).unwrap_err().code,
                Code::ImapLoginDisabled,
                "{auth:?}"
            );
        }
        let no_cram = caps("IMAP4rev1 AUTH=PLAIN");
        let missing = choose(ImapAuth::CramMd5, &no_cram, true, 993).unwrap_err();
        assert_eq!(missing.code, Code::AuthMechanismUnavailable);
        assert_eq!(missing.get("offered"), Some("PLAIN, LOGIN"));
        assert_eq!(
            choose(
                ImapAuth::Xoauth2,
                &caps("IMAP4rev1 AUTH=XOAUTH2"),
                true,
                993
            ),
            Ok(Method::Sasl(Sasl::Xoauth2))
        );
        assert_eq!(
            choose(ImapAuth::Login, &no_cram, false, 143),
            Ok(Method::Login)
        );
    }

    #[test]
    fn auto_with_a_token_takes_an_oauth_mechanism_over_tls_only() {
        let both = caps("IMAP4rev1 AUTH=PLAIN AUTH=OAUTHBEARER AUTH=XOAUTH2");
        assert_eq!(
            choose_for(ImapAuth::Auto, &both, true, 993, true),
            Ok(Method::Sasl(Sasl::Xoauth2))
        );
        let bearer = caps("IMAP4rev1 AUTH=PLAIN AUTH=OAUTHBEARER");
        assert_eq!(
            choose_for(ImapAuth::Auto, &bearer, true, 993, true),
            Ok(Method::Sasl(Sasl::Oauthbearer))
        );
        // Without a token, auto is the password's choice as before.
        assert_eq!(
            choose_for(ImapAuth::Auto, &both, true, 993, false),
            Ok(Method::Sasl(Sasl::Plain))
        );
        let clear = choose_for(ImapAuth::Auto, &both, false, 143, true).unwrap_err();
        assert_eq!(clear.code, Code::PlaintextAuthRefused);
        let none = choose_for(
            ImapAuth::Auto,
            &caps("IMAP4rev1 AUTH=PLAIN"),
            true,
            993,
            true,
        )
        .unwrap_err();
        assert_eq!(none.code, Code::AuthMechanismUnavailable);
        // An explicit choice stays the user's.
        assert_eq!(
            choose_for(ImapAuth::Plain, &both, true, 993, true),
            Ok(Method::Sasl(Sasl::Plain))
        );
    }

    #[test]
    fn windows_authentication_as_asked_and_ntlm_last_over_tls_for_auto() {
        let exchange = caps("IMAP4rev1 LOGINDISABLED STARTTLS AUTH=GSSAPI AUTH=NTLM");
        for (auth, sasl) in [
            (ImapAuth::Ntlm, Sasl::Ntlm),
            (ImapAuth::Gssapi, Sasl::Gssapi),
        ] {
            // Asked for: used, even in clear (the step then warns for NTLM).
            assert_eq!(choose(auth, &exchange, false, 143), Ok(Method::Sasl(sasl)));
        }
        assert_eq!(
            choose(ImapAuth::Auto, &exchange, true, 993),
            Ok(Method::Sasl(Sasl::Ntlm))
        );
        let clear = choose(ImapAuth::Auto, &exchange, false, 143).unwrap_err();
        assert_eq!(clear.code, Code::PlaintextAuthRefused);
        // NTLM only when nothing better is offered.
        let both = caps("IMAP4rev1 AUTH=PLAIN AUTH=NTLM");
        assert_eq!(
            choose(ImapAuth::Auto, &both, true, 993),
            Ok(Method::Sasl(Sasl::Plain))
        );
        let missing = choose(ImapAuth::Ntlm, &both[..1], true, 993).unwrap_err();
        assert_eq!(missing.code, Code::AuthMechanismUnavailable);
    }

    #[test]
    fn kerberos_is_tried_when_offered_unless_a_token_is_held() {
        let offered = caps("IMAP4rev1 AUTH=PLAIN AUTH=GSSAPI");
        assert!(wants_ticket(ImapAuth::Auto, &offered, false));
        assert!(wants_ticket(ImapAuth::Gssapi, &offered, false));
        assert!(!wants_ticket(ImapAuth::Auto, &offered, true));
        assert!(!wants_ticket(ImapAuth::Plain, &offered, false));
        assert!(!wants_ticket(
            ImapAuth::Auto,
            &caps("IMAP4rev1 AUTH=PLAIN"),
            false
        ));
    }

    #[test]
    fn oauthbearer_frames_user_host_port_and_token() {
        let decoded = STANDARD
            .decode(oauthbearer("u@example.org", "imap.example.org", 993, "tok"))
            .unwrap();
        assert_eq!(
            decoded,
            b"n,a=u@example.org,\x01host=imap.example.org\x01port=993\x01auth=Bearer tok\x01\x01"
        );
    }
}
