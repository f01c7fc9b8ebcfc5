//! The provider being edited on the Providers & domains page: the typed text,
//! what it started from, and how it follows the directory when it is read again.

use crate::core::directory::{Auth, Entry, Origin, Provider, Server};
use crate::core::profile::Security;
use crate::fl;

use super::{AuthKind, Message};

/// A provider as typed: numbers and lists as text until they are valid.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub(super) provider: Provider,
    pub(super) origin: Option<Origin>,
    /// The provider as it was when the draft was opened, followed the directory
    /// or was saved: "unsaved changes" are the differences from it.
    pub(super) base: Provider,
    /// What happened to the stored provider while the draft had unsaved changes.
    pub(super) conflict: Option<Conflict>,
    pub(super) smtp_port: String,
    pub(super) imap_host: String,
    pub(super) imap_port: String,
    pub(super) imap_security: Security,
    pub(super) scopes: String,
    pub(super) new_domain: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Conflict {
    /// Stored differently now (changed by an import, a reset, another window).
    Changed,
    /// No longer in the directory.
    Vanished,
}

impl Draft {
    pub(super) fn of(provider: Provider, origin: Option<Origin>) -> Self {
        let imap = provider.imap.clone();
        let scopes = match &provider.auth {
            Auth::Oauth2 { scopes, .. } => scopes.join(" "),
            _ => String::new(),
        };
        Draft {
            smtp_port: provider.smtp.port.to_string(),
            imap_host: imap.as_ref().map(|s| s.host.clone()).unwrap_or_default(),
            imap_port: imap
                .as_ref()
                .map_or("993".to_owned(), |s| s.port.to_string()),
            imap_security: imap.map_or(Security::Tls, |s| s.security),
            scopes,
            new_domain: String::new(),
            base: provider.clone(),
            provider,
            origin,
            conflict: None,
        }
    }

    /// What was typed, as compared for unsaved changes.
    fn typed(&self) -> (&Provider, &str, &str, &str, Security, &str, &str) {
        (
            &self.provider,
            &self.smtp_port,
            &self.imap_host,
            &self.imap_port,
            self.imap_security,
            &self.scopes,
            &self.new_domain,
        )
    }

    fn has_changes(&self) -> bool {
        Draft::of(self.base.clone(), self.origin).typed() != self.typed()
    }

    /// Follows the directory as read again: an untouched draft (or one whose
    /// typing is what is now stored) shows the stored provider; one with unsaved
    /// changes keeps them, noting a provider changed or gone underneath.
    /// `None`: the draft closes (untouched, and its provider is gone).
    pub(super) fn follow(self, stored: Option<&Entry>) -> Option<Draft> {
        match stored {
            Some(entry)
                if !self.has_changes() || self.provider().as_ref() == Ok(&entry.provider) =>
            {
                let mut fresh = Draft::of(entry.provider.clone(), Some(entry.origin));
                fresh.new_domain = self.new_domain;
                Some(fresh)
            }
            Some(entry) => {
                let changed = entry.provider != self.base;
                Some(Draft {
                    conflict: self.conflict.or(changed.then_some(Conflict::Changed)),
                    ..self
                })
            }
            None if self.origin.is_none() => Some(self),
            None if !self.has_changes() => None,
            None => Some(Draft {
                conflict: Some(Conflict::Vanished),
                ..self
            }),
        }
    }

    /// The provider as it would be saved, or the field that keeps it from being one.
    pub(super) fn provider(&self) -> Result<Provider, String> {
        let mut provider = self.provider.clone();
        provider.smtp.port = match self.smtp_port.trim().parse::<u16>() {
            Ok(port @ 1..) => port,
            _ => {
                return Err(format!(
                    "{}: {}",
                    fl!("field-port"),
                    crate::i18n::tr("invalid-port")
                ));
            }
        };
        provider.imap = if self.imap_host.trim().is_empty() {
            None
        } else {
            let port = match self.imap_port.trim().parse::<u16>() {
                Ok(port @ 1..) => port,
                _ => {
                    return Err(format!(
                        "IMAP {}: {}",
                        fl!("field-port"),
                        crate::i18n::tr("invalid-port")
                    ));
                }
            };
            Some(Server {
                host: self.imap_host.trim().to_owned(),
                port,
                security: self.imap_security,
            })
        };
        if let Auth::Oauth2 { scopes, .. } = &mut provider.auth {
            *scopes = self.scopes.split_whitespace().map(str::to_owned).collect();
        }
        Ok(provider)
    }

    pub(super) fn auth_kind(&self) -> AuthKind {
        match self.provider.auth {
            Auth::Password => AuthKind::Password,
            Auth::PasswordEncrypted => AuthKind::PasswordEncrypted,
            Auth::Ntlm => AuthKind::Ntlm,
            Auth::Gssapi => AuthKind::Gssapi,
            Auth::Oauth2 { .. } => AuthKind::Oauth2,
        }
    }
}

pub(super) fn edit(draft: &mut Draft, message: Message) {
    let p = &mut draft.provider;
    match message {
        Message::Id(text) => p.id = text.trim().to_owned(),
        Message::Name(text) => p.name = text,
        Message::SmtpHost(text) => p.smtp.host = text.trim().to_owned(),
        Message::SmtpPort(text) => draft.smtp_port = text,
        Message::SmtpSecurity(security) => p.smtp.security = security,
        Message::ImapHost(text) => draft.imap_host = text,
        Message::ImapPort(text) => draft.imap_port = text,
        Message::ImapSecurity(security) => draft.imap_security = security,
        Message::Login(login) => p.login = login,
        Message::Auth(kind) => {
            p.auth = match kind {
                AuthKind::Password => Auth::Password,
                AuthKind::PasswordEncrypted => Auth::PasswordEncrypted,
                AuthKind::Ntlm => Auth::Ntlm,
                AuthKind::Gssapi => Auth::Gssapi,
                AuthKind::Oauth2 => Auth::Oauth2 {
                    client_id: String::new(),
                    auth_url: String::new(),
                    token_url: String::new(),
                    scopes: Vec::new(),
                    device_url: String::new(),
                    tenant: String::new(),
                },
            }
        }
        Message::ClientId(text) => {
            if let Auth::Oauth2 { client_id, .. } = &mut p.auth {
                *client_id = text.trim().to_owned();
            }
        }
        Message::AuthUrl(text) => {
            if let Auth::Oauth2 { auth_url, .. } = &mut p.auth {
                *auth_url = text.trim().to_owned();
            }
        }
        Message::TokenUrl(text) => {
            if let Auth::Oauth2 { token_url, .. } = &mut p.auth {
                *token_url = text.trim().to_owned();
            }
        }
        Message::DeviceUrl(text) => {
            if let Auth::Oauth2 { device_url, .. } = &mut p.auth {
                *device_url = text.trim().to_owned();
            }
        }
        Message::Tenant(text) => {
            if let Auth::Oauth2 { tenant, .. } = &mut p.auth {
                *tenant = text.trim().to_owned();
            }
        }
        Message::Scopes(text) => draft.scopes = text,
        Message::NewDomain(text) => draft.new_domain = text,
        Message::AddDomain => {
            let domain = draft.new_domain.trim().to_lowercase();
            if !domain.is_empty() && !p.domains.contains(&domain) {
                p.domains.push(domain);
            }
            draft.new_domain.clear();
        }
        Message::RemoveDomain(domain) => p.domains.retain(|d| *d != domain),
        _ => {}
    }
}
