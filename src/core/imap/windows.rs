//! Windows authentication for the `login` step, as the SMTP check has it:
//! `AUTHENTICATE NTLM` (NTLMv2 with MIC, channel binding over TLS) and
//! `AUTHENTICATE GSSAPI` (RFC 4752 with the user's ticket for `imap@HOST`).
//! Every token, the server's too, is `<redacted>` in the transcript.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::Run;
use super::login::GoOn;
use super::session::Exchange;
use super::wire::{Response, Wire};
use crate::core::check::auth;
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::gssapi::{self, Failed, IMAP_SERVICE, Names, Started};
use crate::core::check::ntlm;
use crate::core::check::transcript::REDACTED;

/// Kerberos needs two or three rounds; a server asking for more is broken.
const MAX_ROUNDS: usize = 6;

fn bad_challenge() -> Diagnosis {
    Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[])
}

impl Run {
    /// Kerberos's failure as a diagnosis: the IMAP check's words for a timeout.
    fn kerberos_failed(&self, failed: Failed) -> Diagnosis {
        match failed {
            Failed::Diagnosis(diagnosis) => diagnosis,
            Failed::TimedOut => super::session::timed_out(self.step_timeout),
        }
    }

    /// The first token for `imap@HOST` from the user's ticket, or why there is none.
    pub(super) async fn kerberos_start(&self) -> Result<Started, Diagnosis> {
        gssapi::start(IMAP_SERVICE, &self.host, self.step_timeout)
            .await
            .map_err(|failed| self.kerberos_failed(failed))
    }

    /// `AUTHENTICATE mechanism` with its first token: on the command line with
    /// SASL-IR, else after the server's empty `+`. `None`: the server already
    /// answered (a refusal) with `done`.
    async fn first_token(
        &mut self,
        wire: &mut Wire,
        tag: &str,
        mechanism: &str,
        token: &[u8],
        sasl_ir: bool,
    ) -> Result<Option<Exchange>, Diagnosis> {
        self.transcript
            .client(format!("{tag} AUTHENTICATE {mechanism} {REDACTED}"));
        let encoded = auth::base64(token);
        if sasl_ir {
            let line = format!("{tag} AUTHENTICATE {mechanism} {encoded}\r\n");
            self.write(wire, line.as_bytes()).await?;
            return Ok(None);
        }
        let line = format!("{tag} AUTHENTICATE {mechanism}\r\n");
        self.write(wire, line.as_bytes()).await?;
        match self.go_on(wire, tag).await? {
            GoOn::Continue(_) => {
                self.write(wire, format!("{encoded}\r\n").as_bytes())
                    .await?;
                Ok(None)
            }
            GoOn::Done(done) => Ok(Some(done)),
        }
    }

    /// The server's next challenge, decoded, or the command's completion.
    async fn challenge(
        &mut self,
        wire: &mut Wire,
        tag: &str,
        untagged: &mut Vec<Response>,
    ) -> Result<Result<Vec<u8>, Exchange>, Diagnosis> {
        loop {
            match self.read(wire).await? {
                Response::Continue(text) => {
                    self.transcript.redact_last_server();
                    return STANDARD
                        .decode(text.trim())
                        .map(Ok)
                        .map_err(|_| bad_challenge());
                }
                Response::Status(done) if done.tag.as_deref() == Some(tag) => {
                    return Ok(Err(Exchange {
                        untagged: std::mem::take(untagged),
                        done,
                    }));
                }
                other => untagged.push(other),
            }
        }
    }

    /// Sends one answer to a challenge; an empty one shows as an empty line.
    async fn answer(&mut self, wire: &mut Wire, token: &[u8]) -> Result<(), Diagnosis> {
        self.transcript
            .client(if token.is_empty() { "" } else { REDACTED });
        self.write(wire, format!("{}\r\n", auth::base64(token)).as_bytes())
            .await
    }

    /// `AUTHENTICATE NTLM`: NEGOTIATE, the server's CHALLENGE, AUTHENTICATE.
    pub(super) async fn authenticate_ntlm(
        &mut self,
        wire: &mut Wire,
        sasl_ir: bool,
    ) -> Result<Exchange, Diagnosis> {
        let tag = self.tag();
        let negotiate = ntlm::negotiate();
        if let Some(done) = self
            .first_token(wire, &tag, "NTLM", &negotiate, sasl_ir)
            .await?
        {
            return Ok(done);
        }
        let mut untagged = Vec::new();
        let bytes = match self.challenge(wire, &tag, &mut untagged).await? {
            Ok(bytes) => bytes,
            Err(done) => return Ok(done),
        };
        let challenge = ntlm::parse_challenge(&bytes).map_err(|_| bad_challenge())?;
        // This machine's fault, not the server's: no random source or a clock
        // before 1970.
        let nonce = ntlm::Nonce::fresh().ok_or_else(|| {
            Diagnosis::new(Code::CannotStart).arg("reply", crate::i18n::tr("check-ntlm-no-nonce"))
        })?;
        let (name, domain) = ntlm::split_user(&self.username, &self.auth_domain);
        // The user and domain as NTLM sends them, so a split `DOMAIN\user` shows.
        self.transcript.info(ntlm::identity_text(&name, &domain));
        let password = self.password.clone();
        let identity = ntlm::Identity {
            user: &name,
            domain: &domain,
            password: password.expose(),
        };
        let binding = wire
            .stream
            .server_certificate()
            .map(|der| ntlm::channel_binding_hash(&ntlm::tls_server_end_point(der)));
        let message =
            ntlm::authenticate(&identity, &negotiate, &bytes, &challenge, &nonce, binding);
        self.answer(wire, &message).await?;
        self.until_done(wire, &tag, untagged).await
    }

    /// `AUTHENTICATE GSSAPI` after [`Run::kerberos_start`]; the completion and,
    /// when the context came up, who signed in to whom.
    pub(super) async fn authenticate_gssapi(
        &mut self,
        wire: &mut Wire,
        started: Started,
        sasl_ir: bool,
    ) -> Result<(Exchange, Option<Names>), Diagnosis> {
        let Started {
            mut exchange,
            token,
        } = started;
        let tag = self.tag();
        if let Some(done) = self
            .first_token(wire, &tag, "GSSAPI", &token, sasl_ir)
            .await?
        {
            return Ok((done, None));
        }
        let mut untagged = Vec::new();
        for _ in 0..MAX_ROUNDS {
            let input = match self.challenge(wire, &tag, &mut untagged).await? {
                Ok(input) => input,
                Err(done) => return Ok((done, exchange.names().cloned())),
            };
            let target = (IMAP_SERVICE, self.host.as_str());
            let (back, token) = gssapi::answer(exchange, input, target, self.step_timeout)
                .await
                .map_err(|failed| self.kerberos_failed(failed))?;
            exchange = back;
            self.answer(wire, &token).await?;
        }
        Err(bad_challenge())
    }

    /// After the last answer: the completion; another challenge is a broken server.
    async fn until_done(
        &mut self,
        wire: &mut Wire,
        tag: &str,
        mut untagged: Vec<Response>,
    ) -> Result<Exchange, Diagnosis> {
        match self.challenge(wire, tag, &mut untagged).await? {
            Err(done) => Ok(done),
            Ok(_) => {
                // Cancel the exchange (RFC 9051 §6.2.2) and say what went wrong.
                self.transcript.client("*");
                self.write(wire, b"*\r\n").await?;
                Err(bad_challenge())
            }
        }
    }
}
