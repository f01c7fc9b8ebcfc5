//! Fluent translations: `i18n/<lang>/outbound.ftl`, embedded in the binary.
//!
//! The language follows the system locale; `OUTBOUND_LANG=ru|en` overrides it.
//! Literal ids go through [`fl!`](crate::fl), which checks them at compile time;
//! ids chosen at run time (validation and diagnosis codes) go through [`tr`].

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::unic_langid::LanguageIdentifier;
use i18n_embed::{DesktopLanguageRequester, LanguageLoader};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

/// The languages the interface is written in, as their tags.
pub const LANGUAGES: [&str; 2] = ["en", "ru"];

pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    load(&loader, wanted(None));
    loader
});

/// The languages last asked for, so asking again for the same ones does not
/// parse the files again (each parse keeps a few hundred KiB on the heap).
static ASKED: Mutex<Vec<LanguageIdentifier>> = Mutex::new(Vec::new());

/// Translates a literal message id, with optional `name = value` arguments.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {{
        i18n_embed_fl::fl!($crate::i18n::LOADER, $id)
    }};
    ($id:literal, $($args:tt)*) => {{
        i18n_embed_fl::fl!($crate::i18n::LOADER, $id, $($args)*)
    }};
}

/// The languages to use: `requested` (a tag such as `ru`) when given, else
/// `OUTBOUND_LANG`, else the system's. Unknown tags fall back to English.
fn wanted(requested: Option<&str>) -> Vec<LanguageIdentifier> {
    let from_env = std::env::var("OUTBOUND_LANG").ok();
    let chosen = requested.or(from_env.as_deref()).filter(|s| !s.is_empty());
    match chosen.and_then(|tag| tag.parse().ok()) {
        Some(tag) => vec![tag],
        None => DesktopLanguageRequester::requested_languages(),
    }
}

/// Loads `languages` (English behind them for anything missing).
fn load(loader: &FluentLanguageLoader, languages: Vec<LanguageIdentifier>) {
    if let Err(error) = i18n_embed::select(loader, &Localizations, &languages) {
        tracing::warn!("could not select a language: {error}");
        if let Err(error) = loader.load_fallback_language(&Localizations) {
            tracing::error!("the embedded English translation does not load: {error}");
        }
    }
    // Loading languages makes new bundles, which start with isolation on again;
    // isolation marks (U+2068/U+2069) end up in terminals and log files as noise.
    loader.set_use_isolating(false);
    if let Ok(mut asked) = ASKED.lock() {
        *asked = languages;
    }
}

/// Chooses the interface language: `requested` (a tag such as `ru`) when given,
/// else `OUTBOUND_LANG`, else the system's languages. Unknown tags fall back to English.
pub fn init(requested: Option<&str>) {
    let languages = wanted(requested);
    let loader = &*LOADER;
    let same = ASKED.lock().is_ok_and(|asked| *asked == languages);
    if !same {
        load(loader, languages);
    }
}

/// The language in use now, as its tag (`en`, `ru`).
pub fn current() -> String {
    LOADER
        .current_languages()
        .first()
        .map(|l| l.language.as_str().to_owned())
        .unwrap_or_else(|| "en".to_owned())
}

/// Translates a message id chosen at run time.
pub fn tr(id: &str) -> String {
    LOADER.get(id)
}

/// Translates a message id chosen at run time, with arguments.
pub fn tr_args(id: &str, args: &[(&str, String)]) -> String {
    if args.is_empty() {
        return LOADER.get(id);
    }
    let map: HashMap<&str, String> = args.iter().map(|(k, v)| (*k, v.clone())).collect();
    LOADER.get_args(id, map)
}

/// Whether the fallback (English) file has this id; used by tests of run-time ids.
pub fn has(id: &str) -> bool {
    LOADER.has(id)
}

/// Something that can say itself to the user in the interface language.
pub trait Localize {
    fn localize(&self) -> String;
}
