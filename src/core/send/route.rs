//! Which profile a message goes through (issue 12): `--profile` forces one;
//! else the envelope sender, then the From address, is matched against every
//! ENABLED profile's `sender.address` and `senders` patterns (plus-addressing
//! matched; an address pattern wins over a `*@domain` one, a user profile over
//! a system one); else the default profile, the user's preference before the
//! system's. A disabled profile is never used.
//!
//! The system's default is `default_profile` in `preferences.toml` beside the
//! system profiles' folder (`/etc/outbound/preferences.toml` by default), in
//! the same format as the user's file.

use crate::core::preferences;
use crate::core::profile::{Profile, SenderPattern, parse_sender_pattern};
use crate::core::store::{Paths, Scope, StoredProfile};
use crate::i18n::{self, Localize};

/// The profile chosen and why.
#[derive(Debug, Clone)]
pub struct Routed {
    pub profile: Profile,
    pub scope: Scope,
    pub rule: Rule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `--profile NAME`.
    Forced,
    /// The envelope sender (`-f`, `-r`) matched.
    EnvelopeSender,
    /// The From header's address matched.
    FromHeader,
    /// Nothing matched: the default profile of this scope's preferences.
    Default(Scope),
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Forced => "forced",
            Rule::EnvelopeSender => "envelope_sender",
            Rule::FromHeader => "from_header",
            Rule::Default(Scope::User) => "user_default",
            Rule::Default(Scope::System) => "system_default",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("no profile named {0}")]
    UnknownProfile(String),
    #[error("profile {0} is disabled")]
    Disabled(String),
    #[error("no enabled profile sends as {sender:?} or {from:?}, and there is no default profile")]
    NoMatch { sender: String, from: String },
}

impl Localize for RouteError {
    fn localize(&self) -> String {
        match self {
            RouteError::UnknownProfile(name) => {
                i18n::tr_args("send-route-unknown", &[("name", name.clone())])
            }
            RouteError::Disabled(name) => {
                i18n::tr_args("send-route-disabled", &[("name", name.clone())])
            }
            RouteError::NoMatch { sender, from } => i18n::tr_args(
                "send-route-no-match",
                &[("sender", or_none(sender)), ("from", or_none(from))],
            ),
        }
    }
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text.to_owned()
    }
}

/// The default profiles named by the user's and then the system's preferences
/// (an unreadable file names none: routing by sender still works).
pub fn defaults(paths: &Paths) -> Vec<(Scope, String)> {
    let mut found = Vec::new();
    for (scope, dir) in [
        (Scope::User, preferences::dir(paths, Scope::User)),
        (Scope::System, preferences::dir(paths, Scope::System)),
    ] {
        if let Ok(preferences) = preferences::load(&dir) {
            let name = preferences.default_profile.trim().to_owned();
            if !name.is_empty() {
                found.push((scope, name));
            }
        }
    }
    found
}

/// Chooses the profile; see the module's text for the order.
pub fn route(
    profiles: &[StoredProfile],
    forced: Option<&str>,
    envelope_sender: &str,
    from: &str,
    defaults: &[(Scope, String)],
) -> Result<Routed, RouteError> {
    let routed = |stored: &StoredProfile, rule| Routed {
        profile: stored.profile.clone(),
        scope: stored.scope,
        rule,
    };
    if let Some(name) = forced {
        let stored = find(profiles, name, None)
            .ok_or_else(|| RouteError::UnknownProfile(name.to_owned()))?;
        if !stored.profile.enabled {
            return Err(RouteError::Disabled(name.to_owned()));
        }
        return Ok(routed(stored, Rule::Forced));
    }
    // User profiles first: a user's own profile shadows the system's.
    let mut ordered: Vec<&StoredProfile> = profiles.iter().filter(|p| p.profile.enabled).collect();
    ordered.sort_by_key(|p| p.scope != Scope::User);
    for (address, rule) in [
        (envelope_sender, Rule::EnvelopeSender),
        (from, Rule::FromHeader),
    ] {
        if address.trim().is_empty() {
            continue;
        }
        for exact in [true, false] {
            if let Some(stored) = ordered
                .iter()
                .find(|p| sends_as(&p.profile, address, exact))
            {
                return Ok(routed(stored, rule));
            }
        }
    }
    for (scope, name) in defaults {
        if let Some(stored) = find(profiles, name, None).filter(|p| p.profile.enabled) {
            return Ok(routed(stored, Rule::Default(*scope)));
        }
    }
    Err(RouteError::NoMatch {
        sender: envelope_sender.trim().to_owned(),
        from: from.trim().to_owned(),
    })
}

/// The profile `name`: the user's shadows the system's, unless `scope` says.
fn find<'a>(
    profiles: &'a [StoredProfile],
    name: &str,
    scope: Option<Scope>,
) -> Option<&'a StoredProfile> {
    let mut matching = profiles
        .iter()
        .filter(|p| p.profile.name == name && scope.is_none_or(|s| p.scope == s));
    let first = matching.next()?;
    Some(matching.find(|p| p.scope == Scope::User).unwrap_or(first))
}

/// Whether `profile` sends as `address`: with `exact`, by its own address or
/// an address pattern; else by a `*@domain` pattern.
fn sends_as(profile: &Profile, address: &str, exact: bool) -> bool {
    let own = std::iter::once(profile.sender.address.as_str());
    own.chain(profile.senders.iter().map(String::as_str))
        .filter_map(|text| parse_sender_pattern(text).ok())
        .filter(|pattern| matches!(pattern, SenderPattern::Mailbox { .. }) == exact)
        .any(|pattern| pattern.matches(address))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn stored(name: &str, scope: Scope, address: &str, senders: &[&str]) -> StoredProfile {
        let mut profile = Profile::named(name);
        profile.sender.address = address.to_owned();
        profile.senders = senders.iter().map(|s| s.to_string()).collect();
        StoredProfile {
            profile,
            scope,
            path: PathBuf::new(),
        }
    }

    #[test]
    fn every_rule_in_its_order() {
        let mut off = stored("off", Scope::User, "off@example.org", &[]);
        off.profile.enabled = false;
        let profiles = vec![
            stored(
                "shop",
                Scope::System,
                "shop@example.org",
                &["*@example.org"],
            ),
            stored(
                "news",
                Scope::User,
                "news@example.org",
                &["Info <info@example.net>"],
            ),
            off,
            stored("fallback", Scope::System, "x@example.com", &[]),
        ];
        let go = |forced, sender, from, defaults: &[(Scope, String)]| {
            route(&profiles, forced, sender, from, defaults).map(|r| (r.profile.name, r.rule))
        };
        let none: &[(Scope, String)] = &[];
        assert_eq!(
            go(None, "news+tag@example.org", "", none),
            Ok(("news".into(), Rule::EnvelopeSender))
        );
        // Exact before domain: news@ is news, other@ the domain pattern.
        assert_eq!(
            go(None, "", "Other <other@example.org>", none),
            Ok(("shop".into(), Rule::FromHeader))
        );
        assert_eq!(
            go(None, "info@example.net", "shop@example.org", none),
            Ok(("news".into(), Rule::EnvelopeSender))
        );
        // Disabled: never, not even by its own address; forced is refused.
        assert!(matches!(
            go(None, "off@example.com", "", none),
            Err(RouteError::NoMatch { .. })
        ));
        assert_eq!(
            go(Some("off"), "", "", none),
            Err(RouteError::Disabled("off".into()))
        );
        assert_eq!(
            go(Some("nope"), "", "", none),
            Err(RouteError::UnknownProfile("nope".into()))
        );
        assert_eq!(
            go(Some("fallback"), "news@example.org", "", none),
            Ok(("fallback".into(), Rule::Forced))
        );
        let defaults = vec![
            (Scope::User, "off".to_owned()),
            (Scope::System, "fallback".to_owned()),
        ];
        assert_eq!(
            go(None, "a@b.test", "", &defaults),
            Ok(("fallback".into(), Rule::Default(Scope::System)))
        );
        let defaults = vec![
            (Scope::User, "news".to_owned()),
            (Scope::System, "fallback".to_owned()),
        ];
        assert_eq!(
            go(None, "a@b.test", "", &defaults),
            Ok(("news".into(), Rule::Default(Scope::User)))
        );
    }
}
