//! SASL mechanisms for SMTP AUTH: the payloads the client sends. The SMTP layer
//! writes them to the wire and records only `<redacted>` in the transcript.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use md5::Md5;

use crate::core::profile::AuthMethod;

/// A mechanism as the server names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Plain,
    Login,
    CramMd5,
    Xoauth2,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::CramMd5 => "CRAM-MD5",
            Mechanism::Xoauth2 => "XOAUTH2",
        }
    }

    /// The mechanism for a configured method; `Auto` picks the best the server
    /// offers (CRAM-MD5, then PLAIN, then LOGIN; XOAUTH2 only when asked).
    pub fn choose(
        method: AuthMethod,
        offered: &[String],
    ) -> Result<Option<Mechanism>, &'static str> {
        let offers = |m: Mechanism| offered.iter().any(|o| o.eq_ignore_ascii_case(m.name()));
        let wanted = match method {
            AuthMethod::None => return Ok(None),
            AuthMethod::Auto => {
                return [Mechanism::CramMd5, Mechanism::Plain, Mechanism::Login]
                    .into_iter()
                    .find(|m| offers(*m))
                    .map(Some)
                    .ok_or("auto");
            }
            AuthMethod::Plain => Mechanism::Plain,
            AuthMethod::Login => Mechanism::Login,
            AuthMethod::CramMd5 => Mechanism::CramMd5,
            AuthMethod::Xoauth2 => Mechanism::Xoauth2,
        };
        if offers(wanted) {
            Ok(Some(wanted))
        } else {
            Err(wanted.name())
        }
    }
}

pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The initial response of `AUTH PLAIN`: `\0user\0password`, base64.
pub fn plain(user: &str, password: &str) -> String {
    base64(format!("\0{user}\0{password}").as_bytes())
}

/// The response to a CRAM-MD5 challenge (base64 as received): base64 of
/// `user hex(HMAC-MD5(password, challenge))`. `None` when the challenge is not base64.
pub fn cram_md5(user: &str, password: &str, challenge_base64: &str) -> Option<String> {
    let challenge = STANDARD.decode(challenge_base64.trim()).ok()?;
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(password.as_bytes()).ok()?;
    mac.update(&challenge);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(base64(format!("{user} {hex}").as_bytes()))
}

/// The initial response of `AUTH XOAUTH2`: the user and the access token.
pub fn xoauth2(user: &str, token: &str) -> String {
    base64(format!("user={user}\x01auth=Bearer {token}\x01\x01").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cram_md5_matches_rfc_2195() {
        // The example of RFC 2195, section 2.
        let challenge = base64(b"<1896.697170952@postoffice.reston.mci.net>");
        let response = cram_md5("tim", "tanstaaftanstaaf", &challenge).unwrap();
        let decoded = String::from_utf8(STANDARD.decode(response).unwrap()).unwrap();
        assert_eq!(decoded, "tim b913a602c7eda7a495b4e6e7334d3890");
    }

    #[test]
    fn auto_prefers_cram_md5_then_plain_then_login() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["LOGIN", "PLAIN", "CRAM-MD5", "XOAUTH2"])
            ),
            Ok(Some(Mechanism::CramMd5))
        );
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &offered(&["LOGIN", "PLAIN"])),
            Ok(Some(Mechanism::Plain))
        );
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &offered(&["XOAUTH2"])),
            Err("auto")
        );
        assert_eq!(
            Mechanism::choose(AuthMethod::CramMd5, &offered(&["PLAIN"])),
            Err("CRAM-MD5")
        );
    }
}
