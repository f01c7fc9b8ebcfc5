//! Certificates made by the tests with rcgen: self-signed, and issued by a test
//! authority (valid, expired, for another name).

use std::path::PathBuf;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::CertificateDer;
use time::{Duration, OffsetDateTime};

/// A certificate and key as PEM files.
pub struct Files {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub der: CertificateDer<'static>,
    _dir: tempfile::TempDir,
}

fn write(cert_pem: String, key_pem: String, der: CertificateDer<'static>) -> Files {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, cert_pem).unwrap();
    std::fs::write(&key, key_pem).unwrap();
    Files {
        cert,
        key,
        der,
        _dir: dir,
    }
}

/// Self-signed for 127.0.0.1 and localhost.
pub fn self_signed() -> Files {
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    write(cert.pem(), key.serialize_pem(), cert.der().clone())
}

/// Self-signed and marked as a CA, as `openssl req -x509` makes them.
pub fn self_signed_ca_style() -> Files {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    write(cert.pem(), key.serialize_pem(), cert.der().clone())
}

/// A test certificate authority.
pub struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Authority {
    pub fn new() -> Authority {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Outbound Test Authority");
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Authority { issuer }
    }

    /// The authority's certificate, to trust.
    pub fn root(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    pub fn root_pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server certificate for `names`; `expired` puts its validity in the past.
    pub fn issue(&self, names: &[&str], expired: bool) -> Files {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            names.first().copied().unwrap_or("server"),
        );
        let now = OffsetDateTime::now_utc();
        if expired {
            params.not_before = now - Duration::days(30);
            params.not_after = now - Duration::days(1);
        } else {
            params.not_before = now - Duration::days(1);
            params.not_after = now + Duration::days(30);
        }
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        write(cert.pem(), key.serialize_pem(), cert.der().clone())
    }
}
