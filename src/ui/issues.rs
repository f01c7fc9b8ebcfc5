//! The validation problems of a profile draft, as the pages show them beside
//! their fields. A leaf module: the editor and every page use it, it uses neither.

use crate::core::profile::{Issue, Profile};
use crate::i18n;

/// The validation problems of the draft, one per field, in the order fields appear.
#[derive(Debug, Clone, Default)]
pub struct Issues(Vec<Issue>);

impl Issues {
    /// Issues of typed text come first: they explain why the profile kept its old value.
    /// Only the fields themselves are judged (this runs on every redraw, so it
    /// touches no file); what is at `log.file` on disk is judged when saving.
    pub fn collect(typed: Vec<Issue>, profile: &Profile) -> Self {
        let mut all = typed;
        for issue in profile.validate_fields() {
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
