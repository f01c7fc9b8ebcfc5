//! The profile being edited: what is saved and the draft, so "unsaved" is a
//! comparison rather than a flag to keep in step.

use crate::core::profile::{Issue, Profile};
use crate::core::store::Scope;
use crate::i18n;
use crate::ui::pages::{check, delivery, sendmail, smtp};

/// One opened profile with its tabs' state, kept while other profiles are shown,
/// so each profile keeps its own unsaved changes.
#[derive(Debug)]
pub struct Editor {
    /// Tells this editor's messages from another's (a check runs on while other
    /// profiles are shown).
    pub id: u64,
    /// As saved; `None` for a profile not saved yet.
    pub saved: Option<Profile>,
    pub draft: Profile,
    pub scope: Scope,
    /// Whether the profile's scope can be written (a system profile only in an
    /// administrator's session).
    pub writable: bool,
    pub delivery: delivery::State,
    pub smtp: smtp::State,
    pub sendmail: sendmail::State,
    pub check: check::State,
}

impl Editor {
    pub fn open(profile: Profile, scope: Scope, writable: bool) -> Self {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Editor {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            saved: Some(profile.clone()),
            delivery: delivery::State::from_profile(&profile),
            smtp: smtp::State::from_profile(&profile),
            sendmail: sendmail::State::default(),
            check: check::State::default(),
            draft: profile,
            scope,
            writable,
        }
    }

    /// Shows `profile` as saved, keeping the keyring state and a running check.
    pub fn reload(&mut self, profile: Profile) {
        let keyring = self.smtp.keyring.clone();
        let check = std::mem::take(&mut self.check);
        let id = self.id;
        *self = Editor::open(profile, self.scope, self.writable);
        self.id = id;
        self.smtp.keyring = keyring;
        self.check = check;
    }

    /// Whether this editor shows the stored profile `name` of `scope`.
    pub fn is(&self, name: &str, scope: Scope) -> bool {
        self.scope == scope && self.saved_name() == Some(name)
    }

    /// Every problem of the draft and of what was typed, in the order of the tabs.
    pub fn issues(&self) -> Issues {
        let mut typed = self.delivery.issues();
        typed.extend(self.smtp.issues());
        Issues::collect(typed, &self.draft)
    }

    /// Unsaved changes, including a typed password.
    pub fn has_changes(&self) -> bool {
        self.is_dirty() || (self.smtp.password_edited && !self.smtp.session_only)
    }

    pub fn is_dirty(&self) -> bool {
        self.saved.as_ref() != Some(&self.draft)
    }

    pub fn is_editable(&self) -> bool {
        self.writable
    }

    /// The name the profile has on disk, if it is saved.
    pub fn saved_name(&self) -> Option<&str> {
        self.saved.as_ref().map(|p| p.name.as_str())
    }

    pub fn revert(&mut self) {
        if let Some(saved) = self.saved.clone() {
            self.reload(saved);
        }
    }
}

/// The validation problems of the draft, one per field, in the order fields appear.
#[derive(Debug, Clone, Default)]
pub struct Issues(Vec<Issue>);

impl Issues {
    /// Issues of typed text come first: they explain why the profile kept its old value.
    pub fn collect(typed: Vec<Issue>, profile: &Profile) -> Self {
        let mut all = typed;
        for issue in profile.validate() {
            if !all.iter().any(|i| i.field == issue.field) {
                all.push(issue);
            }
        }
        Issues(all)
    }

    /// The translated message for a field, without the field's name (it stands beside it).
    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|i| i.field == field)
            .map(|i| i18n::tr_args(i.id, &i.args))
    }

    pub fn first(&self) -> Option<&Issue> {
        self.0.first()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
