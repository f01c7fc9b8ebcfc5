//! Unit tests of [`super`]: the status mapping and the RFC 4752 layer message.

use super::*;

#[test]
fn the_layer_answer_takes_no_layer_and_names_the_user() {
    // Dovecot offers "no layer" only, with max size 0xFFFFFF.
    assert_eq!(
        layer_answer(&[0x01, 0xff, 0xff, 0xff], "tester@EXAMPLE.ORG").unwrap(),
        b"\x01\x00\x00\x00tester@EXAMPLE.ORG".to_vec()
    );
    // Integrity and confidentiality offered too: still none chosen.
    assert_eq!(
        layer_answer(&[0x07, 0x00, 0x10, 0x00], "").unwrap(),
        vec![1, 0, 0, 0]
    );
    assert_eq!(
        layer_answer(&[0x06, 0, 0, 0], "u"),
        Err(LayerError::LayerRequired)
    );
    assert_eq!(layer_answer(&[0x01, 0, 0], "u"), Err(LayerError::Length));
    assert_eq!(
        layer_answer(&[0x01, 0, 0, 0, 0], "u"),
        Err(LayerError::Length)
    );
}

#[test]
fn kerberos_statuses_map_to_their_diagnoses() {
    assert_eq!(
        classify(FAILURE, KDC_ERR_S_PRINCIPAL_UNKNOWN),
        Kind::UnknownServer
    );
    assert_eq!(classify(FAILURE, AP_ERR_SKEW), Kind::ClockSkew);
    assert_eq!(classify(FAILURE, AP_ERR_TKT_EXPIRED), Kind::Expired);
    assert_eq!(classify(CREDENTIALS_EXPIRED, 0), Kind::Expired);
    // A ticket that ran out between the first token and the server's answer.
    assert_eq!(classify(CONTEXT_EXPIRED, 100_001), Kind::Expired);
    assert_eq!(classify(NO_CRED, FCC_NOFILE), Kind::NoTicket);
    assert_eq!(classify(NO_CRED, 0), Kind::NoTicket);
    assert_eq!(classify(FAILURE, CC_NOTFOUND), Kind::NoTicket);
    assert_eq!(classify(BAD_NAME, 0), Kind::Other);
    assert_eq!(classify(FAILURE, 0), Kind::Other);
    // The values of MIT's krb5_err.h.
    assert_eq!(KDC_ERR_S_PRINCIPAL_UNKNOWN as i32, -1_765_328_377);
    assert_eq!(AP_ERR_TKT_EXPIRED as i32, -1_765_328_352);
    assert_eq!(AP_ERR_SKEW as i32, -1_765_328_347);
    assert_eq!(FCC_NOFILE as i32, -1_765_328_189);

    let status = |major, minor| Error::Status {
        major,
        minor,
        text: "library words".into(),
    };
    let unknown = status(FAILURE, KDC_ERR_S_PRINCIPAL_UNKNOWN).diagnosis("smtp", "mx.example.org");
    assert_eq!(unknown.code, Code::KerberosUnknownServer);
    assert_eq!(unknown.get("name"), Some("smtp/mx.example.org"));
    let skew = status(FAILURE, AP_ERR_SKEW).diagnosis("smtp", "h");
    assert_eq!(skew.code, Code::KerberosClockSkew);
    let expired = status(CREDENTIALS_EXPIRED, AP_ERR_TKT_EXPIRED).diagnosis("smtp", "h");
    assert_eq!(expired.code, Code::KerberosNoTicket);
    assert_eq!(expired.get("found"), Some("expired"));
    let none = status(NO_CRED, FCC_NOFILE).diagnosis("smtp", "h");
    assert_eq!(none.get("found"), Some("none"));
    let missing = Error::Unavailable("no libgssapi_krb5.so.2".into()).diagnosis("smtp", "h");
    assert_eq!(missing.code, Code::CannotStart);
    assert!(
        missing.message().contains("GSSAPI"),
        "{}",
        missing.message()
    );
}

#[test]
fn a_realm_is_what_follows_the_last_at() {
    assert_eq!(
        Names::realm("smtp/localhost@OUTBOUND.TEST"),
        "OUTBOUND.TEST"
    );
    assert_eq!(Names::realm("tester"), "");
}
