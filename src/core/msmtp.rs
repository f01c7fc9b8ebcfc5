//! An msmtp configuration (`msmtprc`) for machines that keep msmtp as their
//! `sendmail`: one `account` per SMTP profile, `account default : NAME` for the
//! default profile. No password is written: each account's `passwordeval`
//! asks `outbound profile password NAME`, which reads the keyring.

use std::fmt::Write;
use std::path::Path;

use crate::core::preferences;
use crate::core::profile::{AuthMethod, Delivery, Profile, Security, check_name};
use crate::core::store::{self, Store, StoreError};

/// What the configuration is written for.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The profile used for mail from any other sender (`account default`).
    pub default_profile: Option<&'a str>,
    /// The program `passwordeval` runs (`/usr/bin/outbound` once installed).
    pub program: &'a Path,
}

/// A profile that gets no account, and why (shown to the user as a comment in
/// the file and counted in the window's status line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// msmtp speaks SMTP only; a sendmail profile has no account.
    Sendmail,
    Disabled,
    /// A second profile of the same name (a system profile the user's shadows).
    Shadowed,
    /// Its name or a value cannot be written safely (a line break, a bad name).
    Unwritable,
}

/// The configuration text and which profiles got no account.
#[derive(Debug, Clone)]
pub struct Config {
    pub text: String,
    pub accounts: Vec<String>,
    pub left_out: Vec<(String, LeftOut)>,
}

/// One `account` per enabled SMTP profile, in the order given (the user's
/// profiles first: a later profile of the same name is left out).
pub fn config(profiles: &[Profile], options: &Options<'_>) -> Config {
    let mut text = String::from(
        "# msmtp configuration written by Outbound (outbound profile msmtprc).\n\
         # Passwords are not in this file: passwordeval reads them from the keyring.\n\n\
         defaults\n",
    );
    let mut accounts: Vec<String> = Vec::new();
    let mut left_out = Vec::new();
    for profile in profiles {
        let reason = if accounts.contains(&profile.name)
            || left_out.iter().any(|(n, _)| *n == profile.name)
        {
            Some(LeftOut::Shadowed)
        } else if profile.delivery != Delivery::Smtp {
            Some(LeftOut::Sendmail)
        } else if !profile.enabled {
            Some(LeftOut::Disabled)
        } else {
            None
        };
        if let Some(reason) = reason {
            left_out.push((profile.name.clone(), reason));
            continue;
        }
        match account(profile, options.program) {
            Some(block) => {
                text.push('\n');
                text.push_str(&block);
                accounts.push(profile.name.clone());
            }
            None => left_out.push((profile.name.clone(), LeftOut::Unwritable)),
        }
    }
    if let Some(default) = options
        .default_profile
        .filter(|d| accounts.iter().any(|a| a == d))
    {
        let _ = writeln!(text, "\naccount default : {default}");
    }
    if !left_out.is_empty() {
        text.push('\n');
        for (name, reason) in &left_out {
            let why = match reason {
                LeftOut::Sendmail => "delivers through a sendmail program",
                LeftOut::Disabled => "is disabled",
                LeftOut::Shadowed => "has the name of another profile",
                LeftOut::Unwritable => "has a value msmtp cannot read",
            };
            // The name is printed only when it is a valid one (no line break in it).
            let name = if check_name(name).is_ok() {
                name.as_str()
            } else {
                "(unnamed)"
            };
            let _ = writeln!(text, "# not here: {name} {why}");
        }
    }
    Config {
        text,
        accounts,
        left_out,
    }
}

/// The configuration for every stored profile (the user's before the system's,
/// as [`Store::load_all`] lists them), with the user's default profile.
pub fn for_store(store: &Store, program: &Path) -> Config {
    let profiles: Vec<Profile> = store
        .load_all()
        .profiles
        .into_iter()
        .map(|p| p.profile)
        .collect();
    // Unreadable preferences only lose the default line; the window and
    // `outbound send` report that file themselves.
    let default = preferences::load(&store.paths().config)
        .map(|p| p.default_profile)
        .unwrap_or_default();
    config(
        &profiles,
        &Options {
            default_profile: Some(default.as_str()).filter(|d| !d.is_empty()),
            program,
        },
    )
}

/// Writes the configuration atomically with mode 0600 (msmtp refuses a
/// configuration others can read when it names a password command).
pub fn write(path: &Path, config: &Config) -> Result<(), StoreError> {
    store::atomic_write_with_mode(path, config.text.as_bytes(), 0o600).map_err(|source| {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// The program `passwordeval` should run: this very binary when it is an
/// `outbound` (a `sendmail` link would not take `profile password`), else the
/// installed one.
pub fn program() -> std::path::PathBuf {
    std::env::current_exe()
        .ok()
        .filter(|exe| exe.file_name().is_some_and(|n| n == "outbound"))
        .unwrap_or_else(|| std::path::PathBuf::from("/usr/bin/outbound"))
}

/// The `account` block of an SMTP profile; `None` when a value cannot be
/// written (msmtp's file has no way to hold a line break).
fn account(profile: &Profile, program: &Path) -> Option<String> {
    check_name(&profile.name).ok()?;
    let smtp = &profile.smtp;
    let mut out = String::new();
    let mut line = |key: &str, value: &str| -> Option<()> {
        let _ = writeln!(out, "{key} {}", quote(value)?);
        Some(())
    };
    line("account", &profile.name)?;
    line("host", smtp.host.trim())?;
    line("port", &smtp.port.to_string())?;
    match smtp.security {
        Security::None => line("tls", "off")?,
        Security::Starttls => {
            line("tls", "on")?;
            line("tls_starttls", "on")?;
        }
        Security::Tls => {
            line("tls", "on")?;
            line("tls_starttls", "off")?;
        }
    }
    if smtp.security != Security::None && smtp.accept_invalid_certs {
        line("tls_certcheck", "off")?;
    }
    let auth = match smtp.auth {
        AuthMethod::None => "off",
        // msmtp's `on` picks the best method the server offers, as `auto` does.
        AuthMethod::Auto => "on",
        AuthMethod::Plain => "plain",
        AuthMethod::Login => "login",
        AuthMethod::CramMd5 => "cram-md5",
        AuthMethod::Xoauth2 => "xoauth2",
        AuthMethod::Oauthbearer => "oauthbearer",
        AuthMethod::Ntlm => "ntlm",
        AuthMethod::Gssapi => "gssapi",
    };
    line("auth", auth)?;
    if smtp.auth == AuthMethod::Ntlm && !smtp.auth_domain.trim().is_empty() {
        line("ntlmdomain", smtp.auth_domain.trim())?;
    }
    if smtp.auth != AuthMethod::None {
        if !smtp.username.is_empty() {
            line("user", &smtp.username)?;
        }
        // The profile name is [A-Za-z0-9_]+ (checked above): safe in a command.
        let command = format!(
            "{} profile password {}",
            shell_word(&program.to_string_lossy())?,
            profile.name
        );
        line("passwordeval", &command)?;
    }
    if !profile.sender.address.trim().is_empty() {
        line("from", profile.sender.address.trim())?;
    }
    if !smtp.ehlo_name.is_empty() {
        line("domain", &smtp.ehlo_name)?;
    }
    line("timeout", &smtp.timeout_secs.to_string())?;
    Some(out)
}

/// A value as msmtp reads it: bare when it is one plain word, else in double
/// quotes with `\` and `"` escaped. `None` for a line break or another control
/// character, which the file cannot hold.
fn quote(value: &str) -> Option<String> {
    if value.chars().any(char::is_control) {
        return None;
    }
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\\' | '#'));
    if plain {
        return Some(value.to_owned());
    }
    Some(format!(
        "\"{}\"",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// A path as one word for the shell msmtp runs `passwordeval` with.
fn shell_word(text: &str) -> Option<String> {
    if text.chars().any(char::is_control) {
        return None;
    }
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        return Some(text.to_owned());
    }
    Some(format!("'{}'", text.replace('\'', r"'\''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(name: &str) -> Profile {
        let mut p = Profile::named(name);
        p.delivery = Delivery::Smtp;
        p.smtp.host = "smtp.example.org".into();
        p.smtp.port = 587;
        p.smtp.auth = AuthMethod::Plain;
        p.smtp.username = "Иван Петров".into();
        p.sender.address = "ivan@example.org".into();
        p
    }

    #[test]
    fn ntlm_carries_its_domain() {
        let mut windows = smtp("windows");
        windows.smtp.auth = AuthMethod::Ntlm;
        windows.smtp.auth_domain = "CORP".into();
        let program = Path::new("/usr/bin/outbound");
        let options = Options {
            default_profile: None,
            program,
        };
        let text = config(&[windows], &options).text;
        assert!(text.contains("auth ntlm\nntlmdomain CORP\n"), "{text}");
    }

    #[test]
    fn one_account_per_smtp_profile_with_the_default_and_no_password() {
        let mut tls = smtp("tls_one");
        tls.smtp.security = Security::Tls;
        tls.smtp.port = 465;
        tls.smtp.auth = AuthMethod::Auto;
        tls.smtp.accept_invalid_certs = true;
        let mut open = smtp("open_relay");
        open.smtp.security = Security::None;
        open.smtp.auth = AuthMethod::None;
        open.smtp.ehlo_name = "pc.example.org".into();
        let mut off = smtp("off");
        off.enabled = false;
        let local = Profile::named("local_mta");
        let profiles = [
            smtp("office"),
            tls,
            open,
            off,
            local,
            smtp("office"), // a system profile of the same name
        ];
        let program = Path::new("/usr/bin/outbound");
        let config = config(
            &profiles,
            &Options {
                default_profile: Some("office"),
                program,
            },
        );
        let text = &config.text;
        assert_eq!(config.accounts, ["office", "tls_one", "open_relay"]);
        assert!(
            text.contains(
                "account office\nhost smtp.example.org\nport 587\ntls on\ntls_starttls on\n\
                 auth plain\nuser \"Иван Петров\"\n\
                 passwordeval \"/usr/bin/outbound profile password office\"\n\
                 from ivan@example.org\ntimeout 20\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("account tls_one\nhost smtp.example.org\nport 465\ntls on\ntls_starttls off\ntls_certcheck off\nauth on\n"),
            "{text}"
        );
        assert!(
            text.contains("account open_relay\nhost smtp.example.org\nport 587\ntls off\nauth off\nfrom ivan@example.org\ndomain pc.example.org\n"),
            "{text}"
        );
        assert!(!text.contains(
            "account open_relay\nhost smtp.example.org\nport 587\ntls off\nauth off\npasswordeval"
        ));
        assert!(text.contains("\naccount default : office\n"), "{text}");
        assert_eq!(
            config.left_out,
            [
                ("off".to_owned(), LeftOut::Disabled),
                ("local_mta".to_owned(), LeftOut::Sendmail),
                ("office".to_owned(), LeftOut::Shadowed),
            ]
        );
    }

    #[test]
    fn no_default_line_for_a_default_that_has_no_account() {
        let config = config(
            &[smtp("office"), Profile::named("local")],
            &Options {
                default_profile: Some("local"),
                program: Path::new("/usr/bin/outbound"),
            },
        );
        assert!(!config.text.contains("account default"), "{}", config.text);
    }

    #[test]
    fn values_are_quoted_and_a_line_break_leaves_the_profile_out() {
        assert_eq!(quote("plain").as_deref(), Some("plain"));
        assert_eq!(quote("a b").as_deref(), Some("\"a b\""));
        assert_eq!(quote(r#"q"\"#).as_deref(), Some(r#""q\"\\""#));
        assert_eq!(quote("#x").as_deref(), Some("\"#x\""));
        assert_eq!(quote("a\nb"), None);
        assert_eq!(
            shell_word("/opt/my apps/outbound").as_deref(),
            Some("'/opt/my apps/outbound'")
        );

        let mut bad = smtp("bad");
        bad.smtp.username = "user\naccount evil".into();
        let config = config(
            &[bad],
            &Options {
                default_profile: None,
                program: Path::new("/usr/bin/outbound"),
            },
        );
        assert!(config.accounts.is_empty());
        assert!(!config.text.contains("account evil"), "{}", config.text);
        assert_eq!(config.left_out, [("bad".to_owned(), LeftOut::Unwritable)]);
    }
}
