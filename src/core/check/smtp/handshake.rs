//! The TLS handshake of the SMTP and IMAP checks (implicit TLS or after
//! STARTTLS) and what its failure means.

use std::time::Instant;

use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::connect::Link;
use super::{Run, TlsConfig, detail};
use crate::core::check::diagnosis::{self, Code, Diagnosis};
use crate::core::check::tls::{self, Verification};
use crate::core::check::wire::{Sniffed, printable};
use crate::core::check::{Detail, StepName, StepStatus, TlsFacts};

/// Tells from the first bytes of a failed implicit-TLS handshake whether the
/// server spoke its protocol in plain text, and then what that means: the
/// mode-mismatch diagnosis for the port.
pub(crate) type PlainAnswer = fn(first: &[u8], port: u16) -> Option<Diagnosis>;

impl Run<'_> {
    /// The TLS handshake (implicit TLS or after STARTTLS), recorded as `step`.
    pub(super) async fn handshake(
        &mut self,
        tcp: Sniffed,
        step: StepName,
        since: Instant,
    ) -> Result<TlsStream<Sniffed>, Diagnosis> {
        let prepared = match self.prepared_tls.take() {
            Some(handle) => handle.await.ok(),
            None => None,
        };
        let config = prepared.unwrap_or_else(|| {
            tls::client_config(self.profile.smtp.accept_invalid_certs, &self.extra_roots)
        });
        let result = self
            .link()
            .handshake(tcp, step, since, config, plain_smtp)
            .await;
        self.tls_active |= result.is_ok();
        result
    }
}

/// A plain-text SMTP greeting where the TLS hello was awaited.
fn plain_smtp(first: &[u8], port: u16) -> Option<Diagnosis> {
    tls::looks_like_smtp(first).then(|| diagnosis::tls_mode_mismatch(true, port))
}

impl Link<'_> {
    /// The TLS handshake with `config`, recorded as `step`, its facts kept in
    /// the server facts.
    pub(crate) async fn handshake(
        &mut self,
        tcp: Sniffed,
        step: StepName,
        since: Instant,
        (config, verifier): TlsConfig,
        plain: PlainAnswer,
    ) -> Result<TlsStream<Sniffed>, Diagnosis> {
        let Some(name) = tls::server_name(self.host) else {
            let diagnosis =
                Diagnosis::new(Code::TlsHandshakeFailed).arg("reply", self.host.to_owned());
            self.steps.record(
                step,
                StepStatus::Failed,
                since,
                Detail::diagnosis(&diagnosis),
            );
            return Err(diagnosis);
        };
        self.transcript.info(detail("check-info-tls-start", &[]));
        let result = timeout(
            self.step_timeout,
            TlsConnector::from(config)
                .connect(name, tcp)
                .into_fallible(),
        )
        .await;
        let certificate = verifier
            .end_entity()
            .as_deref()
            .and_then(tls::certificate_facts);
        let verification = verifier.verification();
        let mut facts = TlsFacts {
            protocol: None,
            cipher_suite: None,
            certificate,
            verification: verification.clone(),
            accepted_invalid: false,
        };
        let outcome = match result {
            Ok(Ok(stream)) => {
                let connection = stream.get_ref().1;
                facts.protocol = connection
                    .protocol_version()
                    .map(|v| tls::protocol_name(&format!("{v:?}")));
                facts.cipher_suite = connection
                    .negotiated_cipher_suite()
                    .map(|s| format!("{:?}", s.suite()));
                facts.accepted_invalid =
                    !matches!(verification, Some(Verification::Trusted) | None);
                let protocol = facts.protocol.clone().unwrap_or_default();
                let cipher_suite = facts.cipher_suite.clone().unwrap_or_default();
                let text = [protocol.as_str(), cipher_suite.as_str()]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.transcript.info(text.clone());
                let mut args = vec![("protocol", protocol), ("cipher_suite", cipher_suite)];
                let (status, found) = if facts.accepted_invalid {
                    let warning = detail(
                        "check-detail-accepted-invalid",
                        &[("reason", tls::verification_text(verification.as_ref()))],
                    );
                    self.transcript.info(warning.clone());
                    args.push((
                        "verification",
                        tls::verification_code(verification.as_ref()).to_owned(),
                    ));
                    (
                        StepStatus::Warning,
                        Detail::plain("tls_accepted_invalid", args, format!("{text}; {warning}")),
                    )
                } else {
                    (StepStatus::Ok, Detail::plain("tls", args, text))
                };
                self.steps.record(step, status, since, found);
                Ok(stream)
            }
            Ok(Err((error, tcp))) => {
                // After STARTTLS the first bytes are the plain-text session, not a sign of
                // a mode mismatch.
                let first: &[u8] = if step == StepName::Tls {
                    tcp.first_bytes()
                } else {
                    &[]
                };
                let diagnosis =
                    self.classify_handshake(&error, verification.as_ref(), first, plain);
                let found = Detail::diagnosis(&diagnosis).with_text_suffix(&error.to_string());
                self.transcript.info(error.to_string());
                self.steps.record(step, StepStatus::Failed, since, found);
                Err(diagnosis)
            }
            Err(_) => {
                let diagnosis = Diagnosis::new(Code::Timeout)
                    .arg("seconds", self.step_timeout.as_secs().to_string());
                self.steps.record(
                    step,
                    StepStatus::Failed,
                    since,
                    Detail::diagnosis(&diagnosis),
                );
                Err(diagnosis)
            }
        };
        self.facts.tls = Some(facts);
        outcome
    }

    fn classify_handshake(
        &self,
        error: &std::io::Error,
        verification: Option<&Verification>,
        first_bytes: &[u8],
        plain: PlainAnswer,
    ) -> Diagnosis {
        let reply = error.to_string();
        match verification {
            // Other certificate errors (a CA certificate used as the server's, a bad
            // signature) also mean: this certificate cannot be trusted.
            Some(Verification::Untrusted(_) | Verification::Other(_)) => {
                return Diagnosis::new(Code::CertificateUntrusted).arg("reply", reply);
            }
            Some(Verification::Expired | Verification::NotYetValid) => {
                return Diagnosis::new(Code::CertificateExpired).arg("reply", reply);
            }
            Some(Verification::NameMismatch) => {
                return Diagnosis::new(Code::CertificateNameMismatch)
                    .arg("host", self.host.to_owned())
                    .arg("reply", reply);
            }
            _ => {}
        }
        if let Some(mismatch) = plain(first_bytes, self.port) {
            return mismatch.arg("reply", printable(&String::from_utf8_lossy(first_bytes)));
        }
        Diagnosis::new(Code::TlsHandshakeFailed).arg("reply", reply)
    }
}
