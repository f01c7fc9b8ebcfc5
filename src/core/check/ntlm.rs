//! NTLMv2 for SMTP `AUTH NTLM` (MS-NLMP): the NEGOTIATE message, a
//! bounds-checked parser for the server's CHALLENGE, and the AUTHENTICATE
//! message with the NTLMv2 response, the MIC when the server sends a
//! timestamp, and channel binding when TLS is up.
//!
//! An own thin implementation rather than a crate: the client half of
//! NTLMv2 is three messages and a few HMAC-MD5s over hashes already in the
//! tree, while the maintained crates (`sspi`) bring a whole SSPI stack with
//! Kerberos and their own TLS and crypto. NTLMv1 and LM are never sent; no
//! session key is exchanged (no signing or sealing is needed after AUTH).

use super::auth::hmac_md5;
use md4::{Digest, Md4};
use md5::Md5;

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

const NEGOTIATE_UNICODE: u32 = 0x0000_0001;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const NEGOTIATE_ALWAYS_SIGN: u32 = 0x0000_8000;
const NEGOTIATE_EXTENDED_SESSIONSECURITY: u32 = 0x0008_0000;
const NEGOTIATE_TARGET_INFO: u32 = 0x0080_0000;
const NEGOTIATE_VERSION: u32 = 0x0200_0000;
const NEGOTIATE_128: u32 = 0x2000_0000;

/// The flags this client asks for: Unicode, NTLM with extended session
/// security (so NTLMv2), no key exchange, signing or sealing.
const CLIENT_FLAGS: u32 = NEGOTIATE_UNICODE
    | REQUEST_TARGET
    | NEGOTIATE_NTLM
    | NEGOTIATE_ALWAYS_SIGN
    | NEGOTIATE_EXTENDED_SESSIONSECURITY
    | NEGOTIATE_TARGET_INFO
    | NEGOTIATE_128;

/// AV_PAIR ids (MS-NLMP §2.2.2.1).
const AV_EOL: u16 = 0;
const AV_FLAGS: u16 = 6;
const AV_TIMESTAMP: u16 = 7;
const AV_CHANNEL_BINDINGS: u16 = 10;
/// MsvAvFlags bit: the AUTHENTICATE message carries a MIC.
const AV_FLAG_MIC: u32 = 0x0000_0002;

/// The header of an AUTHENTICATE message with Version and MIC: payload follows.
const AUTHENTICATE_HEADER: usize = 88;
const MIC_OFFSET: usize = 72;

/// Why a CHALLENGE message cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    #[error("not an NTLM CHALLENGE message")]
    NotChallenge,
    #[error("the CHALLENGE message is cut short or points outside itself")]
    Truncated,
    #[error("the target information of the CHALLENGE message is malformed")]
    BadTargetInfo,
}

/// The parts of the server's CHALLENGE the response needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub flags: u32,
    pub server_challenge: [u8; 8],
    /// The AV_PAIRs without the terminating MsvAvEOL.
    pub av_pairs: Vec<(u16, Vec<u8>)>,
}

impl Challenge {
    /// The server's MsvAvTimestamp: when present, the client uses it and adds a MIC.
    pub fn timestamp(&self) -> Option<[u8; 8]> {
        self.av_pairs
            .iter()
            .find(|(id, _)| *id == AV_TIMESTAMP)
            .and_then(|(_, value)| value.as_slice().try_into().ok())
    }
}

/// The user and domain NTLM uses: `DOMAIN\user` and `user@domain` in the
/// user name are split; an explicit `auth_domain` wins over a domain found there.
pub fn split_user(user: &str, auth_domain: &str) -> (String, String) {
    let user = user.trim();
    let (name, found) = if let Some((domain, name)) = user.split_once('\\') {
        (name, domain)
    } else if let Some((name, domain)) = user.rsplit_once('@') {
        (name, domain)
    } else {
        (user, "")
    };
    let domain = if auth_domain.trim().is_empty() {
        found
    } else {
        auth_domain.trim()
    };
    (name.to_owned(), domain.to_owned())
}

/// What NTLM sends as user and domain, in words: the check's transcript line
/// and the note under the SMTP and Incoming tabs' user name.
pub fn identity_text(name: &str, domain: &str) -> String {
    let user = ("user", name.to_owned());
    if domain.is_empty() {
        crate::i18n::tr_args("check-ntlm-identity-no-domain", &[user])
    } else {
        crate::i18n::tr_args(
            "check-ntlm-identity",
            &[user, ("domain", domain.to_owned())],
        )
    }
}

/// The NEGOTIATE message (no domain or workstation supplied).
pub fn negotiate() -> Vec<u8> {
    let mut message = Vec::with_capacity(32);
    message.extend_from_slice(SIGNATURE);
    message.extend_from_slice(&1u32.to_le_bytes());
    message.extend_from_slice(&CLIENT_FLAGS.to_le_bytes());
    message.extend_from_slice(&[0; 16]);
    message
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, ChallengeError> {
    let field = bytes.get(at..at + 2).ok_or(ChallengeError::Truncated)?;
    Ok(u16::from_le_bytes([field[0], field[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, ChallengeError> {
    let field = bytes.get(at..at + 4).ok_or(ChallengeError::Truncated)?;
    Ok(u32::from_le_bytes([field[0], field[1], field[2], field[3]]))
}

/// The bytes a (length, max length, offset) field at `at` points to.
fn field(bytes: &[u8], at: usize) -> Result<&[u8], ChallengeError> {
    let length = usize::from(u16_at(bytes, at)?);
    let offset = usize::try_from(u32_at(bytes, at + 4)?).map_err(|_| ChallengeError::Truncated)?;
    let end = offset
        .checked_add(length)
        .ok_or(ChallengeError::Truncated)?;
    bytes.get(offset..end).ok_or(ChallengeError::Truncated)
}

/// Parses a CHALLENGE message; never panics on any input.
pub fn parse_challenge(bytes: &[u8]) -> Result<Challenge, ChallengeError> {
    if bytes.len() < 32 || &bytes[..8] != SIGNATURE || u32_at(bytes, 8)? != 2 {
        return Err(ChallengeError::NotChallenge);
    }
    let flags = u32_at(bytes, 20)?;
    let mut server_challenge = [0; 8];
    server_challenge.copy_from_slice(&bytes[24..32]);
    let target_info = if bytes.len() >= 48 {
        field(bytes, 40)?
    } else {
        &[]
    };
    let mut av_pairs = Vec::new();
    let mut rest = target_info;
    while !rest.is_empty() {
        let id = u16_at(rest, 0).map_err(|_| ChallengeError::BadTargetInfo)?;
        let length = usize::from(u16_at(rest, 2).map_err(|_| ChallengeError::BadTargetInfo)?);
        let value = rest
            .get(4..4 + length)
            .ok_or(ChallengeError::BadTargetInfo)?;
        if id == AV_EOL {
            break;
        }
        av_pairs.push((id, value.to_vec()));
        rest = &rest[4 + length..];
    }
    Ok(Challenge {
        flags,
        server_challenge,
        av_pairs,
    })
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// NTOWFv2 (MS-NLMP §3.3.2): HMAC-MD5 keyed with the NT hash (MD4 of the
/// UTF-16LE password) over UTF-16LE(upper(user) + domain).
pub fn ntowf_v2(password: &str, user: &str, domain: &str) -> [u8; 16] {
    let nt_hash: [u8; 16] = Md4::digest(utf16le(password)).into();
    let identity = utf16le(&format!("{}{domain}", user.to_uppercase()));
    hmac_md5(&nt_hash, &[&identity])
}

/// What varies between runs: fixed in tests, random and the clock otherwise.
pub struct Nonce {
    pub client_challenge: [u8; 8],
    /// FILETIME (100 ns since 1601), used when the server sends no timestamp.
    pub time: [u8; 8],
}

impl Nonce {
    /// A random client challenge and the current time; `None` when the OS has
    /// no random source.
    pub fn fresh() -> Option<Nonce> {
        let mut client_challenge = [0; 8];
        getrandom::fill(&mut client_challenge).ok()?;
        let since_1970 = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let ticks = (since_1970.as_nanos() / 100) as u64 + 116_444_736_000_000_000;
        Some(Nonce {
            client_challenge,
            time: ticks.to_le_bytes(),
        })
    }
}

/// The NTLMv2 responses and session base key (MS-NLMP §3.3.2).
struct Responses {
    lm: Vec<u8>,
    nt: Vec<u8>,
    session_base_key: [u8; 16],
}

fn responses(
    key: &[u8; 16],
    server_challenge: &[u8; 8],
    nonce: &Nonce,
    time: &[u8; 8],
    target_info: &[u8],
    zero_lm: bool,
) -> Responses {
    let mut temp = vec![1, 1, 0, 0, 0, 0, 0, 0];
    temp.extend_from_slice(time);
    temp.extend_from_slice(&nonce.client_challenge);
    temp.extend_from_slice(&[0; 4]);
    temp.extend_from_slice(target_info);
    temp.extend_from_slice(&[0; 4]);
    let proof = hmac_md5(key, &[server_challenge, &temp]);
    let mut nt = proof.to_vec();
    nt.extend_from_slice(&temp);
    let lm = if zero_lm {
        vec![0; 24]
    } else {
        let mut lm = hmac_md5(key, &[server_challenge, &nonce.client_challenge]).to_vec();
        lm.extend_from_slice(&nonce.client_challenge);
        lm
    };
    Responses {
        lm,
        nt,
        session_base_key: hmac_md5(key, &[&proof]),
    }
}

/// MD5 of the gss_channel_bindings_struct for TLS (RFC 5929
/// `tls-server-end-point`): no addresses, the application data
/// `tls-server-end-point:` followed by the certificate's hash.
pub fn channel_binding_hash(certificate_hash: &[u8]) -> [u8; 16] {
    let mut application = b"tls-server-end-point:".to_vec();
    application.extend_from_slice(certificate_hash);
    let mut bindings = vec![0; 16];
    bindings.extend_from_slice(&(application.len() as u32).to_le_bytes());
    bindings.extend_from_slice(&application);
    Md5::digest(&bindings).into()
}

/// The `tls-server-end-point` hash of a certificate (RFC 5929 §4.1): the hash
/// of its signature algorithm, SHA-256 for MD5, SHA-1 and anything unknown.
pub fn tls_server_end_point(certificate_der: &[u8]) -> Vec<u8> {
    use sha2::{Sha256, Sha384, Sha512};
    let algorithm = x509_parser::parse_x509_certificate(certificate_der)
        .map(|(_, certificate)| certificate.signature_algorithm.algorithm.to_id_string())
        .unwrap_or_default();
    match algorithm.as_str() {
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => Sha384::digest(certificate_der).to_vec(),
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => Sha512::digest(certificate_der).to_vec(),
        _ => Sha256::digest(certificate_der).to_vec(),
    }
}

/// Who authenticates, for the AUTHENTICATE message.
pub struct Identity<'a> {
    pub user: &'a str,
    pub domain: &'a str,
    pub password: &'a str,
}

/// The AUTHENTICATE message answering `challenge_bytes` (as received, for the
/// MIC) after `negotiate_bytes`. `channel_binding` is
/// [`channel_binding_hash`] of the server certificate when TLS is up; without
/// it a server that sent a timestamp gets all-zero bindings.
pub fn authenticate(
    identity: &Identity<'_>,
    negotiate_bytes: &[u8],
    challenge_bytes: &[u8],
    challenge: &Challenge,
    nonce: &Nonce,
    channel_binding: Option<[u8; 16]>,
) -> Vec<u8> {
    let key = ntowf_v2(identity.password, identity.user, identity.domain);
    let timestamp = challenge.timestamp();
    let mut target_info = Vec::new();
    let mut push = |id: u16, value: &[u8]| {
        target_info.extend_from_slice(&id.to_le_bytes());
        target_info.extend_from_slice(&(value.len() as u16).to_le_bytes());
        target_info.extend_from_slice(value);
    };
    for (id, value) in &challenge.av_pairs {
        if *id != AV_FLAGS && *id != AV_CHANNEL_BINDINGS {
            push(*id, value);
        }
    }
    if timestamp.is_some() {
        push(AV_FLAGS, &AV_FLAG_MIC.to_le_bytes());
    }
    match (channel_binding, timestamp) {
        (Some(binding), _) => push(AV_CHANNEL_BINDINGS, &binding),
        // No TLS: all zeros, as Windows sends them, so that an acceptor set
        // to check bindings (Extended Protection) knows there are none to
        // check rather than missing them. Only on the modern path (a server
        // timestamp, a MIC): MS-NLMP's own vectors carry none.
        (None, Some(_)) => push(AV_CHANNEL_BINDINGS, &[0; 16]),
        (None, None) => {}
    }
    push(AV_EOL, &[]);
    let time = timestamp.unwrap_or(nonce.time);
    let answers = responses(
        &key,
        &challenge.server_challenge,
        nonce,
        &time,
        &target_info,
        timestamp.is_some(),
    );
    // The `as u16` lengths below cannot wrap: the challenge came in one SMTP
    // line (at most 8 KiB), and user and domain are what the user typed.
    let flags = (challenge.flags & CLIENT_FLAGS) | NEGOTIATE_UNICODE | NEGOTIATE_VERSION;
    let domain = utf16le(identity.domain);
    let user = utf16le(identity.user);
    let fields: [&[u8]; 5] = [&answers.lm, &answers.nt, &domain, &user, &[]];
    let mut message = Vec::with_capacity(AUTHENTICATE_HEADER + 512);
    message.extend_from_slice(SIGNATURE);
    message.extend_from_slice(&3u32.to_le_bytes());
    let mut offset = AUTHENTICATE_HEADER;
    for value in fields {
        message.extend_from_slice(&(value.len() as u16).to_le_bytes());
        message.extend_from_slice(&(value.len() as u16).to_le_bytes());
        message.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += value.len();
    }
    // EncryptedRandomSessionKeyFields: empty, no key exchange.
    message.extend_from_slice(&[0, 0, 0, 0]);
    message.extend_from_slice(&(offset as u32).to_le_bytes());
    message.extend_from_slice(&flags.to_le_bytes());
    // Version 10.0, build 0, NTLMSSP revision 15.
    message.extend_from_slice(&[10, 0, 0, 0, 0, 0, 0, 15]);
    message.extend_from_slice(&[0; 16]);
    for value in fields {
        message.extend_from_slice(value);
    }
    if timestamp.is_some() {
        // Without key exchange the exported session key is the session base key.
        let mic = hmac_md5(
            &answers.session_base_key,
            &[negotiate_bytes, challenge_bytes, &message],
        );
        message[MIC_OFFSET..MIC_OFFSET + 16].copy_from_slice(&mic);
    }
    message
}

#[cfg(test)]
#[path = "ntlm_tests.rs"]
mod tests;
