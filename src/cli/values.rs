//! The closed sets of values options take: clap rejects anything else as bad
//! usage (exit 2) and lists the choices, so no string is matched by hand with a
//! silent fallback. The names are the profile file's (`cram-md5`, `starttls`).

use clap::ValueEnum;

use crate::core::profile::{AuthMethod, Security};

/// `--security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecurityArg {
    None,
    Starttls,
    Tls,
}

impl From<SecurityArg> for Security {
    fn from(value: SecurityArg) -> Security {
        match value {
            SecurityArg::None => Security::None,
            SecurityArg::Starttls => Security::Starttls,
            SecurityArg::Tls => Security::Tls,
        }
    }
}

/// `--auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    None,
    Auto,
    Plain,
    Login,
    CramMd5,
    Xoauth2,
}

impl From<AuthArg> for AuthMethod {
    fn from(value: AuthArg) -> AuthMethod {
        match value {
            AuthArg::None => AuthMethod::None,
            AuthArg::Auto => AuthMethod::Auto,
            AuthArg::Plain => AuthMethod::Plain,
            AuthArg::Login => AuthMethod::Login,
            AuthArg::CramMd5 => AuthMethod::CramMd5,
            AuthArg::Xoauth2 => AuthMethod::Xoauth2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every setting of the profile, whose name the command line takes as is:
    /// a variant added to the profile fails to compile here until it is offered.
    fn security_arg(security: Security) -> SecurityArg {
        match security {
            Security::None => SecurityArg::None,
            Security::Starttls => SecurityArg::Starttls,
            Security::Tls => SecurityArg::Tls,
        }
    }

    fn auth_arg(auth: AuthMethod) -> AuthArg {
        match auth {
            AuthMethod::None => AuthArg::None,
            AuthMethod::Auto => AuthArg::Auto,
            AuthMethod::Plain => AuthArg::Plain,
            AuthMethod::Login => AuthArg::Login,
            AuthMethod::CramMd5 => AuthArg::CramMd5,
            AuthMethod::Xoauth2 => AuthArg::Xoauth2,
        }
    }

    fn name(value: &impl ValueEnum) -> String {
        value
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn option_values_are_the_profile_file_names_both_ways() {
        for arg in SecurityArg::value_variants() {
            let security = Security::from(*arg);
            assert_eq!(name(arg), security.as_str());
            assert_eq!(security_arg(security), *arg);
        }
        for arg in AuthArg::value_variants() {
            let auth = AuthMethod::from(*arg);
            assert_eq!(name(arg), auth.as_str());
            assert_eq!(auth_arg(auth), *arg);
        }
        assert!(AuthArg::from_str("cram-md5", false).is_ok());
        assert!(AuthArg::from_str("cram_md5", false).is_err());
        assert!(SecurityArg::from_str("ssl", false).is_err());
    }
}
