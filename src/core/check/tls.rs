//! TLS for the check: rustls with the platform's trust store, a verifier that
//! remembers the server's certificate and classifies a failed verification
//! (untrusted, expired, name mismatch), and the certificate facts shown to the user.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, Error as TlsError, RootCertStore,
    SignatureScheme,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;

use crate::i18n;

/// The result of verifying the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result", content = "reason")]
pub enum Verification {
    Trusted,
    /// Self-signed or issued by an authority the system does not trust.
    Untrusted(String),
    Expired,
    NotYetValid,
    /// Valid, but for other names than the server's.
    NameMismatch,
    Other(String),
}

impl Verification {
    fn from_error(error: &TlsError) -> Verification {
        match error {
            TlsError::InvalidCertificate(certificate) => match certificate {
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    Verification::Expired
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    Verification::NotYetValid
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Verification::NameMismatch,
                CertificateError::UnknownIssuer => {
                    Verification::Untrusted("unknown issuer".to_owned())
                }
                other => Verification::Other(format!("{other:?}")),
            },
            other => Verification::Other(other.to_string()),
        }
    }
}

/// Certificate facts and verification, as the check reports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    pub names: Vec<String>,
    pub sha256: String,
}

/// What the verifier saw during one handshake.
#[derive(Debug, Default)]
struct Seen {
    end_entity: Option<Vec<u8>>,
    verification: Option<Verification>,
}

/// Verifies as rustls would (webpki against the trust store) but records the
/// certificate and the classified outcome; with `accept_invalid` a failure is
/// recorded and the handshake goes on.
#[derive(Debug)]
pub struct RecordingVerifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
    accept_invalid: bool,
    seen: Mutex<Seen>,
}

impl RecordingVerifier {
    pub fn end_entity(&self) -> Option<Vec<u8>> {
        self.seen.lock().ok().and_then(|s| s.end_entity.clone())
    }

    pub fn verification(&self) -> Option<Verification> {
        self.seen.lock().ok().and_then(|s| s.verification.clone())
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let result = match &self.inner {
            Some(inner) => {
                inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Err(TlsError::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        };
        let verification = match &result {
            Ok(_) => Verification::Trusted,
            Err(error) => Verification::from_error(error),
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.end_entity = Some(end_entity.to_vec());
            seen.verification = Some(verification);
        }
        match result {
            Err(_) if self.accept_invalid => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The platform's trusted roots, loaded once per process (`SSL_CERT_FILE` and
/// `SSL_CERT_DIR` replace them, as with OpenSSL).
fn native_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            tracing::warn!("trust store: {error}");
        }
        loaded.certs
    })
}

/// A client configuration for one handshake, and its verifier to ask afterwards.
pub fn client_config(
    accept_invalid: bool,
    extra_roots: &[CertificateDer<'static>],
) -> (Arc<ClientConfig>, Arc<RecordingVerifier>) {
    let provider = provider();
    let mut roots = RootCertStore::empty();
    let (_added, _ignored) = roots.add_parsable_certificates(native_roots().iter().cloned());
    let (_added, _ignored) = roots.add_parsable_certificates(extra_roots.iter().cloned());
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|error| tracing::warn!("no certificate verifier: {error}"))
        .ok();
    let verifier = Arc::new(RecordingVerifier {
        inner,
        algorithms: provider.signature_verification_algorithms,
        accept_invalid,
        seen: Mutex::new(Seen::default()),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|builder| {
            builder
                .dangerous()
                .with_custom_certificate_verifier(verifier.clone())
                .with_no_client_auth()
        });
    let config = match config {
        Ok(config) => config,
        // The ring provider supports the default versions; this cannot fail.
        Err(error) => {
            tracing::error!("TLS configuration: {error}");
            ClientConfig::builder()
                .dangerous()
                .with_custom_certificate_verifier(verifier.clone())
                .with_no_client_auth()
        }
    };
    (Arc::new(config), verifier)
}

/// The name to verify the certificate against: a DNS name or an IP address.
pub fn server_name(host: &str) -> Option<ServerName<'static>> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Some(ServerName::IpAddress(ip.into()));
    }
    ServerName::try_from(bare.to_owned()).ok()
}

/// Subject, issuer, validity, names and SHA-256 fingerprint of a DER certificate.
pub fn certificate_facts(der: &[u8]) -> Option<CertificateFacts> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let format = |t: &x509_parser::time::ASN1Time| {
        t.to_datetime()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| t.to_string())
    };
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                x509_parser::extensions::GeneralName::DNSName(dns) => names.push((*dns).to_owned()),
                x509_parser::extensions::GeneralName::IPAddress(bytes) => {
                    let ip = match bytes.len() {
                        4 => <[u8; 4]>::try_from(*bytes)
                            .ok()
                            .map(|b| IpAddr::from(b).to_string()),
                        16 => <[u8; 16]>::try_from(*bytes)
                            .ok()
                            .map(|b| IpAddr::from(b).to_string()),
                        _ => None,
                    };
                    names.extend(ip);
                }
                _ => {}
            }
        }
    }
    let digest = Sha256::digest(der);
    let sha256 = digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    Some(CertificateFacts {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: format(&cert.validity().not_before),
        not_after: format(&cert.validity().not_after),
        names,
        sha256,
    })
}

/// Whether these first bytes from the server look like plain-text SMTP (`220 …`)
/// rather than a TLS record.
pub fn looks_like_smtp(first: &[u8]) -> bool {
    first.len() >= 4 && first[..3].iter().all(u8::is_ascii_digit) && matches!(first[3], b' ' | b'-')
}

/// `TLSv1_3` → `TLS 1.3`.
pub fn protocol_name(debug: &str) -> String {
    match debug {
        "TLSv1_3" => "TLS 1.3".to_owned(),
        "TLSv1_2" => "TLS 1.2".to_owned(),
        other => other.to_owned(),
    }
}

/// The verification result as its stable name (`untrusted`), as in JSON.
pub fn verification_code(verification: Option<&Verification>) -> &'static str {
    match verification {
        Some(Verification::Untrusted(_)) => "untrusted",
        Some(Verification::Expired) => "expired",
        Some(Verification::NotYetValid) => "not_yet_valid",
        Some(Verification::NameMismatch) => "name_mismatch",
        Some(Verification::Other(_)) => "other",
        Some(Verification::Trusted) | None => "trusted",
    }
}

pub fn verification_text(verification: Option<&Verification>) -> String {
    match verification {
        Some(Verification::Untrusted(_)) => i18n::tr("check-cert-untrusted"),
        Some(Verification::Expired) => i18n::tr("check-cert-expired"),
        Some(Verification::NotYetValid) => i18n::tr("check-cert-not-yet-valid"),
        Some(Verification::NameMismatch) => i18n::tr("check-cert-name-mismatch"),
        Some(Verification::Other(reason)) => reason.clone(),
        Some(Verification::Trusted) | None => i18n::tr("check-cert-trusted"),
    }
}

/// The verification result as the Check tab and the HTML report label it:
/// [`verification_text`], with the reason an untrusted certificate was refused.
pub fn verification_label(verification: &Verification) -> String {
    let text = verification_text(Some(verification));
    match verification {
        Verification::Untrusted(reason) => format!("{text} ({reason})"),
        _ => text,
    }
}

/// Whether a TLS server answers on `address` (a finished handshake or a TLS alert).
pub async fn speaks_tls(address: SocketAddr, host: &str, limit: Duration) -> bool {
    let attempt = async {
        let tcp = TcpStream::connect(address).await.ok()?;
        let (config, _) = client_config(true, &[]);
        let name = server_name(host)?;
        match TlsConnector::from(config).connect(name, tcp).await {
            Ok(_) => Some(true),
            Err(error) => {
                let alert = error
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<rustls::Error>())
                    .is_some_and(|e| matches!(e, rustls::Error::AlertReceived(_)));
                Some(alert)
            }
        }
    };
    matches!(timeout(limit, attempt).await, Ok(Some(true)))
}
