//! A step's detail: a stable code and its arguments for scripts (`check --json`),
//! and the text shown to people, in the interface language. A script reads the
//! code and arguments and never has to parse translated text.

use serde::ser::{SerializeMap, Serializer};

use super::diagnosis::Diagnosis;
use super::wire::Reply;
use crate::i18n;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Stable: `reply`, `connected`, `ehlo`, … or a diagnosis code for a failed step.
    pub code: &'static str,
    /// Stable values: addresses, server replies, numbers, other codes; never
    /// translated text.
    pub args: Vec<(&'static str, String)>,
    /// The text for people, in the interface language at the time of the step.
    pub text: String,
}

impl Detail {
    /// A detail whose text needs no translation (an address, a reply).
    pub fn plain(code: &'static str, args: Vec<(&'static str, String)>, text: String) -> Self {
        Detail { code, args, text }
    }

    /// A detail whose text is the Fluent message `check-detail-CODE` (dashes for
    /// underscores) with the same arguments.
    pub fn message(code: &'static str, args: Vec<(&'static str, String)>) -> Self {
        let text = i18n::tr_args(&format!("check-detail-{}", code.replace('_', "-")), &args);
        Detail { code, args, text }
    }

    /// A skipped step: nothing to say.
    pub fn none() -> Self {
        Detail::plain("none", Vec::new(), String::new())
    }

    /// The server's reply, as `code text`.
    pub fn reply(reply: &Reply) -> Self {
        let summary = reply.summary();
        Detail::plain("reply", vec![("reply", summary.clone())], summary)
    }

    /// A failed step told by the check's diagnosis: its code, arguments and message.
    pub fn diagnosis(diagnosis: &Diagnosis) -> Self {
        Detail {
            code: diagnosis.code.as_str(),
            args: diagnosis.args.clone(),
            text: diagnosis.message(),
        }
    }

    /// The same code and arguments with more text after the translated one
    /// (`message: error`).
    pub fn with_text_suffix(mut self, suffix: &str) -> Self {
        if !suffix.is_empty() {
            self.text = format!("{}: {suffix}", self.text);
        }
        self
    }
}

/// `[("host", "a")]` as the JSON object `{"host": "a"}`.
#[allow(clippy::ptr_arg)] // serde's `serialize_with` hands over the field itself.
pub fn serialize_args<S: Serializer>(
    args: &Vec<(&'static str, String)>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(args.len()))?;
    for (name, value) in args {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// The arguments as a JSON object value.
pub fn args_json(args: &[(&'static str, String)]) -> serde_json::Value {
    serde_json::Value::Object(
        args.iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}
