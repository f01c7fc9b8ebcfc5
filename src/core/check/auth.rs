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
    Oauthbearer,
    Ntlm,
    /// Kerberos (RFC 4752) with the user's ticket.
    Gssapi,
}

impl Mechanism {
    /// Whether the server's EHLO list names this mechanism.
    pub fn is_offered(self, offered: &[String]) -> bool {
        offered.iter().any(|o| o.eq_ignore_ascii_case(self.name()))
    }

    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::CramMd5 => "CRAM-MD5",
            Mechanism::Xoauth2 => "XOAUTH2",
            Mechanism::Oauthbearer => "OAUTHBEARER",
            Mechanism::Ntlm => "NTLM",
            Mechanism::Gssapi => "GSSAPI",
        }
    }

    /// The mechanism for a configured method. `Auto` never sends a reusable
    /// password in clear: over TLS it picks PLAIN, then LOGIN, then CRAM-MD5;
    /// without TLS only CRAM-MD5 (which sends a digest, not the password), and
    /// refuses when the server offers only PLAIN or LOGIN. XOAUTH2 only when asked.
    /// NTLM last, over TLS only and with a password: its response can be
    /// cracked offline, so a listener must not see it.
    /// An explicit method is used as asked, encrypted or not.
    ///
    /// With [`Held::Token`] (the secret is an OAuth access token), `Auto` picks
    /// XOAUTH2, then OAUTHBEARER, and only those: the token is no password;
    /// without TLS it refuses, as a bearer token is as reusable as a password.
    pub fn choose(
        method: AuthMethod,
        offered: &[String],
        encrypted: bool,
        held: Held,
    ) -> Result<Option<Mechanism>, Refusal> {
        let offers = |m: Mechanism| m.is_offered(offered);
        let wanted = match method {
            AuthMethod::None => return Ok(None),
            AuthMethod::Auto if held == Held::Token => {
                let oauth = [Mechanism::Xoauth2, Mechanism::Oauthbearer]
                    .into_iter()
                    .find(|m| offers(*m));
                return match oauth {
                    Some(mechanism) if encrypted => Ok(Some(mechanism)),
                    Some(_) => Err(Refusal::Plaintext),
                    None => Err(Refusal::Unavailable("auto")),
                };
            }
            AuthMethod::Auto if encrypted => {
                let ntlm = (held == Held::Password).then_some(Mechanism::Ntlm);
                return [Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5]
                    .into_iter()
                    .chain(ntlm)
                    .find(|m| offers(*m))
                    .map(Some)
                    .ok_or(Refusal::Unavailable("auto"));
            }
            AuthMethod::Auto => {
                if offers(Mechanism::CramMd5) {
                    return Ok(Some(Mechanism::CramMd5));
                }
                if offers(Mechanism::Plain)
                    || offers(Mechanism::Login)
                    || (held == Held::Password && offers(Mechanism::Ntlm))
                {
                    return Err(Refusal::Plaintext);
                }
                return Err(Refusal::Unavailable("auto"));
            }
            AuthMethod::Plain => Mechanism::Plain,
            AuthMethod::Login => Mechanism::Login,
            AuthMethod::CramMd5 => Mechanism::CramMd5,
            AuthMethod::Xoauth2 => Mechanism::Xoauth2,
            AuthMethod::Oauthbearer => Mechanism::Oauthbearer,
            AuthMethod::Ntlm => Mechanism::Ntlm,
            AuthMethod::Gssapi => Mechanism::Gssapi,
        };
        if offers(wanted) {
            Ok(Some(wanted))
        } else {
            Err(Refusal::Unavailable(wanted.name()))
        }
    }
}

impl Mechanism {
    /// [`Mechanism::choose`] with Kerberos: `Auto` takes GSSAPI before any
    /// other when the server offers it and a ticket for the server's principal
    /// could be had (`ticket`: the first GSSAPI token was made), encrypted or
    /// not, as it sends no password and is safe in clear. Never with an OAuth
    /// token held: that profile means to sign in with it.
    pub fn choose_with_ticket(
        method: AuthMethod,
        offered: &[String],
        encrypted: bool,
        held: Held,
        ticket: bool,
    ) -> Result<Option<Mechanism>, Refusal> {
        let gssapi = Mechanism::Gssapi.is_offered(offered);
        if method == AuthMethod::Auto && ticket && gssapi && held != Held::Token {
            return Ok(Some(Mechanism::Gssapi));
        }
        Mechanism::choose(method, offered, encrypted, held)
    }

    /// Whether `Auto` would try Kerberos with these offers: the first GSSAPI
    /// token is then made before choosing.
    pub fn wants_ticket(method: AuthMethod, offered: &[String], held: Held) -> bool {
        Mechanism::Gssapi.is_offered(offered)
            && (method == AuthMethod::Gssapi || (method == AuthMethod::Auto && held != Held::Token))
    }
}

/// What secret the check holds: it decides what `Auto` may pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Nothing,
    Password,
    /// An OAuth 2.0 access token.
    Token,
}

/// Why no mechanism was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The mechanism asked for (`auto` for Auto) is not offered.
    Unavailable(&'static str),
    /// Auto without TLS, and only PLAIN, LOGIN or NTLM offered: the password
    /// (or with NTLM a response that can be cracked offline) would travel in clear.
    Plaintext,
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
    let digest = hmac_md5(password.as_bytes(), &[&challenge]);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(base64(format!("{user} {hex}").as_bytes()))
}

/// HMAC-MD5 of the concatenated `parts` (CRAM-MD5, NTLMv2).
pub fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    // HMAC accepts keys of any length: this cannot fail.
    #[allow(clippy::expect_used)]
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The initial response of `AUTH XOAUTH2`: the user and the access token.
pub fn xoauth2(user: &str, token: &str) -> String {
    base64(format!("user={user}\x01auth=Bearer {token}\x01\x01").as_bytes())
}

/// The OAUTHBEARER initial response (RFC 7628 §3.1): the user, host, port and token.
pub fn oauthbearer(user: &str, host: &str, port: u16, token: &str) -> String {
    base64(
        format!("n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01")
            .as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_picks_ntlm_last_over_tls_with_a_password_and_never_in_clear() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ntlm = offered(&["NTLM"]);
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &ntlm, true, Held::Password),
            Ok(Some(Mechanism::Ntlm))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["NTLM", "LOGIN"]),
                true,
                Held::Password
            ),
            Ok(Some(Mechanism::Login))
        );
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &ntlm, true, Held::Nothing),
            Err(Refusal::Unavailable("auto"))
        );
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &ntlm, false, Held::Password),
            Err(Refusal::Plaintext)
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["NTLM", "CRAM-MD5"]),
                false,
                Held::Password
            ),
            Ok(Some(Mechanism::CramMd5))
        );
        assert_eq!(
            serde_json::to_string(&AuthMethod::Ntlm).unwrap(),
            "\"ntlm\""
        );
        assert_eq!(AuthMethod::Ntlm.as_str(), "ntlm");
        // Asked for explicitly, NTLM goes over plain text too (the check warns).
        assert_eq!(
            Mechanism::choose(AuthMethod::Ntlm, &ntlm, false, Held::Password),
            Ok(Some(Mechanism::Ntlm))
        );
    }

    #[test]
    fn auto_picks_gssapi_first_when_a_ticket_can_be_had() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let all = offered(&["PLAIN", "LOGIN", "NTLM", "GSSAPI"]);
        let choose = |method, offers: &[String], encrypted, held, ticket| {
            Mechanism::choose_with_ticket(method, offers, encrypted, held, ticket)
        };
        // With a ticket: GSSAPI, over TLS or not, password set or not.
        for (encrypted, held) in [(true, Held::Password), (false, Held::Nothing)] {
            assert_eq!(
                choose(AuthMethod::Auto, &all, encrypted, held, true),
                Ok(Some(Mechanism::Gssapi))
            );
        }
        // Without one: NTLM with a password over TLS, nothing in clear.
        let windows = offered(&["NTLM", "GSSAPI"]);
        assert_eq!(
            choose(AuthMethod::Auto, &windows, true, Held::Password, false),
            Ok(Some(Mechanism::Ntlm))
        );
        assert_eq!(
            choose(AuthMethod::Auto, &windows, false, Held::Password, false),
            Err(Refusal::Plaintext)
        );
        assert_eq!(
            choose(AuthMethod::Auto, &windows, true, Held::Nothing, false),
            Err(Refusal::Unavailable("auto"))
        );
        // An OAuth profile signs in with its token, ticket or not.
        assert_eq!(
            choose(
                AuthMethod::Auto,
                &offered(&["GSSAPI", "XOAUTH2"]),
                true,
                Held::Token,
                true
            ),
            Ok(Some(Mechanism::Xoauth2))
        );
        // Asked for: GSSAPI, or unavailable when not offered.
        assert_eq!(
            choose(AuthMethod::Gssapi, &windows, false, Held::Nothing, false),
            Ok(Some(Mechanism::Gssapi))
        );
        assert_eq!(
            choose(
                AuthMethod::Gssapi,
                &offered(&["PLAIN"]),
                true,
                Held::Nothing,
                false
            ),
            Err(Refusal::Unavailable("GSSAPI"))
        );
        assert!(Mechanism::wants_ticket(
            AuthMethod::Auto,
            &windows,
            Held::Nothing
        ));
        assert!(!Mechanism::wants_ticket(
            AuthMethod::Auto,
            &windows,
            Held::Token
        ));
        assert!(!Mechanism::wants_ticket(
            AuthMethod::Ntlm,
            &windows,
            Held::Password
        ));
        assert!(!Mechanism::wants_ticket(
            AuthMethod::Auto,
            &all[..3],
            Held::Password
        ));
        assert_eq!(AuthMethod::Gssapi.as_str(), "gssapi");
    }

    #[test]
    fn cram_md5_matches_rfc_2195() {
        // The example of RFC 2195, section 2.
        let challenge = base64(b"<1896.697170952@postoffice.reston.mci.net>");
        let response = cram_md5("tim", "tanstaaftanstaaf", &challenge).unwrap();
        let decoded = String::from_utf8(STANDARD.decode(response).unwrap()).unwrap();
        assert_eq!(decoded, "tim b913a602c7eda7a495b4e6e7334d3890");
    }

    #[test]
    fn auto_prefers_plain_over_tls_and_never_sends_a_password_in_clear() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let all = offered(&["LOGIN", "PLAIN", "CRAM-MD5", "XOAUTH2"]);
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &all, true, Held::Password),
            Ok(Some(Mechanism::Plain))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["LOGIN", "CRAM-MD5"]),
                true,
                Held::Password
            ),
            Ok(Some(Mechanism::Login))
        );
        // Without TLS: CRAM-MD5 sends no reusable password, PLAIN and LOGIN would.
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &all, false, Held::Password),
            Ok(Some(Mechanism::CramMd5))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["LOGIN", "PLAIN"]),
                false,
                Held::Password
            ),
            Err(Refusal::Plaintext)
        );
        // Asked for explicitly, PLAIN goes in clear (the check warns).
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Plain,
                &offered(&["PLAIN"]),
                false,
                Held::Password
            ),
            Ok(Some(Mechanism::Plain))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["XOAUTH2"]),
                true,
                Held::Password
            ),
            Err(Refusal::Unavailable("auto"))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::CramMd5,
                &offered(&["PLAIN"]),
                true,
                Held::Password
            ),
            Err(Refusal::Unavailable("CRAM-MD5"))
        );
    }

    #[test]
    fn auto_with_a_token_held_picks_oauth_only_over_tls() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let all = offered(&["PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2"]);
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &all, true, Held::Token),
            Ok(Some(Mechanism::Xoauth2))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["PLAIN", "OAUTHBEARER"]),
                true,
                Held::Token
            ),
            Ok(Some(Mechanism::Oauthbearer))
        );
        assert_eq!(
            Mechanism::choose(
                AuthMethod::Auto,
                &offered(&["PLAIN", "LOGIN"]),
                true,
                Held::Token
            ),
            Err(Refusal::Unavailable("auto"))
        );
        assert_eq!(
            Mechanism::choose(AuthMethod::Auto, &all, false, Held::Token),
            Err(Refusal::Plaintext)
        );
    }
}
