//! Sender identities: which envelope senders or From addresses a profile
//! carries besides its own `sender.address` (1C-Bitrix keeps several senders
//! per server), for `outbound send`'s routing.

use std::str::FromStr;

/// One entry of `senders`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderPattern {
    /// `Name <address>` or a bare `address`.
    Mailbox {
        name: Option<String>,
        address: String,
    },
    /// `*@domain`: every address of the domain.
    Domain(String),
}

/// Why an entry of `senders` is not a sender pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a mailbox (Name <address>) or a *@domain pattern: {0}")]
pub struct BadSenderPattern(pub String);

/// Reads `Name <address>`, `address` or `*@domain`.
pub fn parse_sender_pattern(text: &str) -> Result<SenderPattern, BadSenderPattern> {
    let bad = || BadSenderPattern(text.to_owned());
    let trimmed = text.trim();
    if let Some(domain) = trimmed.strip_prefix("*@") {
        let domain = domain.trim_end_matches('.');
        if domain.is_empty() || !super::is_host(domain) {
            return Err(bad());
        }
        return Ok(SenderPattern::Domain(domain.to_ascii_lowercase()));
    }
    let mailbox = lettre::message::Mailbox::from_str(trimmed).map_err(|_| bad())?;
    Ok(SenderPattern::Mailbox {
        name: mailbox.name.filter(|name| !name.is_empty()),
        address: mailbox.email.to_string(),
    })
}

impl SenderPattern {
    /// Whether `address` is this sender: domains compare without case, local
    /// parts without case and without a `+tag` (plus-addressing).
    pub fn matches(&self, address: &str) -> bool {
        let Some((local, domain)) = split_address(address) else {
            return false;
        };
        match self {
            SenderPattern::Domain(wanted) => domain.eq_ignore_ascii_case(wanted),
            SenderPattern::Mailbox { address: own, .. } => {
                let Some((own_local, own_domain)) = split_address(own) else {
                    return false;
                };
                domain.eq_ignore_ascii_case(own_domain)
                    && (local.eq_ignore_ascii_case(own_local)
                        || base_local(local).eq_ignore_ascii_case(base_local(own_local)))
            }
        }
    }
}

fn split_address(address: &str) -> Option<(&str, &str)> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = address.rsplit_once('@')?;
    (!local.is_empty() && !domain.is_empty()).then_some((local, domain.trim_end_matches('.')))
}

/// `alice+news` → `alice`.
fn base_local(local: &str) -> &str {
    local.split_once('+').map_or(local, |(base, _)| base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_and_match() {
        let domain = parse_sender_pattern("*@Example.ORG").unwrap();
        assert!(domain.matches("anyone@example.org"));
        assert!(!domain.matches("anyone@example.org.evil"));
        assert!(!domain.matches("anyone@sub.example.org"));

        let mailbox = parse_sender_pattern("Shop <shop@example.org>").unwrap();
        assert_eq!(
            mailbox,
            SenderPattern::Mailbox {
                name: Some("Shop".into()),
                address: "shop@example.org".into()
            }
        );
        assert!(mailbox.matches("shop@example.org"));
        assert!(mailbox.matches("Shop+orders@EXAMPLE.org"));
        assert!(mailbox.matches("<shop@example.org>"));
        assert!(!mailbox.matches("shopping@example.org"));
        assert!(!mailbox.matches("shop@example.com"));

        assert!(parse_sender_pattern("bare@example.org").is_ok());
        for bad in ["", "*@", "*@bad host", "not a mailbox", "a@"] {
            assert!(parse_sender_pattern(bad).is_err(), "{bad:?}");
        }
    }
}
