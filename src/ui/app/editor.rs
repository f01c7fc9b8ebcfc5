//! The profile being edited: what is saved and the draft, so "unsaved" is a
//! comparison rather than a flag to keep in step.

use crate::core::profile::Profile;
use crate::core::store::Scope;
use crate::ui::issues::Issues;
use crate::ui::pages::{check, delivery, incoming, sendmail, smtp};

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
    /// The Incoming (IMAP) tab.
    pub incoming: incoming::State,
    /// A save of this editor is running: another waits for its answer.
    pub saving: bool,
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
            incoming: incoming::State::from_profile(&profile),
            saving: false,
            draft: profile,
            scope,
            writable,
        }
    }

    /// Shows `profile` as saved, keeping the keyring's state and password (the
    /// app asks the keyring again, as the profile may have been replaced), a
    /// password for this session only, a running check and a running save.
    /// A typed password not yet saved is dropped with the other edits.
    pub fn reload(&mut self, profile: Profile) {
        let keyring = self.smtp.keyring.clone();
        let session_only = self.smtp.session_only;
        // Typed and kept for this session: still the password to use.
        let typed_for_session = self.smtp.password_edited && session_only;
        let password = if !self.smtp.password_edited || session_only {
            std::mem::take(&mut self.smtp.password)
        } else {
            Default::default()
        };
        let check = std::mem::take(&mut self.check);
        // A sign-in running goes on; its answer comes to this editor's id.
        let sign_in = std::mem::take(&mut self.smtp.sign_in);
        // The separate IMAP password: as the SMTP one, a typed one the keyring
        // would have kept is dropped with the edits; one kept for the session stays.
        let incoming_keyring = self.incoming.keyring.clone();
        let unsaved_imap = self.incoming.password_to_save(&self.draft).is_some();
        let incoming_edited = self.incoming.password_edited && !unsaved_imap;
        let incoming_password = if unsaved_imap {
            Default::default()
        } else {
            std::mem::take(&mut self.incoming.password)
        };
        let (id, saving) = (self.id, self.saving);
        *self = Editor::open(profile, self.scope, self.writable);
        self.id = id;
        self.saving = saving;
        self.smtp.keyring = keyring;
        self.smtp.session_only = session_only;
        self.smtp.password_edited = typed_for_session;
        self.smtp.password = password;
        self.check = check;
        self.smtp.sign_in = sign_in;
        self.incoming.password = incoming_password;
        self.incoming.password_edited = incoming_edited;
        self.incoming.keyring = incoming_keyring;
    }

    /// Whether this editor shows the stored profile `name` of `scope`.
    pub fn is(&self, name: &str, scope: Scope) -> bool {
        self.scope == scope && self.saved_name() == Some(name)
    }

    /// Every problem of the draft and of what was typed, in the order of the tabs.
    pub fn issues(&self) -> Issues {
        let mut typed = self.delivery.issues();
        typed.extend(self.smtp.issues());
        typed.extend(self.incoming.issues());
        Issues::collect(typed, &self.draft)
    }

    /// Unsaved changes, including a typed password (the SMTP one or the
    /// separate IMAP one).
    pub fn has_changes(&self) -> bool {
        self.is_dirty()
            || (self.smtp.password_edited && !self.smtp.session_only)
            || self.incoming.password_to_save(&self.draft).is_some()
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
