//! Translations: every message and attribute in every language, every id chosen
//! at run time present, and the language switch reaching the command line.

mod sandbox;

use std::collections::BTreeSet;
use std::path::Path;

use fluent_syntax::ast::Entry;
use outbound::i18n::{self, LANGUAGES};
use sandbox::{Sandbox, stdout};

/// `id` and `id.attribute` for every message and term of a language's file.
fn keys(language: &str) -> BTreeSet<String> {
    let path = format!(
        "{}/i18n/{language}/outbound.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let source = std::fs::read_to_string(&path).unwrap();
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{path}: {errors:?}"));
    let mut keys = BTreeSet::new();
    for entry in resource.body {
        let (id, attributes) = match entry {
            Entry::Message(m) => (m.id.name.to_owned(), m.attributes),
            Entry::Term(t) => (format!("-{}", t.id.name), t.attributes),
            _ => continue,
        };
        for attribute in attributes {
            keys.insert(format!("{id}.{}", attribute.id.name));
        }
        assert!(keys.insert(id.clone()), "{path}: {id} is defined twice");
    }
    keys
}

#[test]
fn every_language_has_every_message() {
    let english = keys("en");
    assert!(english.len() > 50);
    for language in LANGUAGES {
        let other = keys(language);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(missing.is_empty(), "{language} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{language} has {extra:?} that English lacks"
        );
    }
}

/// The ids the program builds at run time from lists of its own.
fn chosen_at_run_time() -> Vec<String> {
    let mut wanted: Vec<String> = outbound::core::profile::ISSUE_IDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    wanted.extend(outbound::cli::help_ids());
    // Typed-text problems the window reports itself.
    wanted.push("invalid-daily".to_owned());
    // Where a detected setting came from, named in the window and `detect`.
    wanted.extend(
        outbound::core::discover::Source::ALL
            .iter()
            .map(|s| format!("source-{}", s.as_str().replace('_', "-"))),
    );
    for code in outbound::core::check::Code::ALL.iter() {
        wanted.push(code.message_id());
        wanted.push(code.hint_id());
    }
    wanted
}

#[test]
fn ids_chosen_at_run_time_exist() {
    let english = keys("en");
    for id in chosen_at_run_time() {
        assert!(english.contains(&id), "{id} is not translated");
        assert!(i18n::has(&id));
    }
}

#[test]
fn russian_reaches_the_command_line() {
    let sandbox = Sandbox::new();
    // The command's standard output in the given language.
    let run = |args: &[&str], language: &str| {
        let out = sandbox
            .cmd()
            .args(args)
            .env("OUTBOUND_LANG", language)
            .output()
            .unwrap();
        stdout(&out)
    };
    assert_eq!(run(&["profile", "list"], "ru").trim(), "Профилей пока нет.");
    sandbox.save(&outbound::core::profile::Profile::named("relay"));
    let listed = run(&["profile", "list"], "ru");
    assert!(listed.contains("пользовательский"), "{listed}");
    let help = run(&["profile", "--help"], "ru");
    assert!(help.contains("Управление профилями"), "{help}");
    let listed = run(&["profile", "list"], "en");
    assert!(listed.contains("user"), "{listed}");
}

/// The text of every Rust file under `dir`.
fn sources(dir: &Path, into: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The prefixes of ids the sources build with `format!("check-detail-{}", …)`.
fn formatted_prefixes(source: &str) -> BTreeSet<String> {
    let mut prefixes = BTreeSet::new();
    for (at, _) in source.match_indices("format!(") {
        let Some(rest) = source[at + "format!(".len()..]
            .trim_start()
            .strip_prefix('"')
        else {
            continue;
        };
        let prefix: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        if prefix.ends_with('-') && rest[prefix.len()..].starts_with('{') {
            prefixes.insert(prefix);
        }
    }
    prefixes
}

/// A message no code asks for is dead weight every translator keeps up: each
/// id must stand quoted in the sources, be one of the ids chosen at run time,
/// be the rest of a prefix the sources format (`check-detail-` and
/// `"no_address"`), or be used by another message.
#[test]
fn every_message_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut source = String::new();
    sources(&root.join("src"), &mut source);
    source.push_str(&std::fs::read_to_string(root.join("build.rs")).unwrap_or_default());
    let ftl = std::fs::read_to_string(root.join("i18n/en/outbound.ftl")).unwrap();
    let prefixes = formatted_prefixes(&source);
    assert!(prefixes.contains("check-detail-"), "{prefixes:?}");
    let chosen: BTreeSet<String> = chosen_at_run_time().into_iter().collect();
    let quoted = |text: &str| source.contains(&format!("\"{text}\""));
    let referenced =
        |id: &str| ftl.contains(&format!("{{ {id} }}")) || ftl.contains(&format!("{{ {id}("));
    let unused: Vec<String> = keys("en")
        .into_iter()
        .filter(|key| !key.contains('.'))
        .filter(|key| {
            let formatted = prefixes.iter().any(|prefix| {
                key.strip_prefix(prefix.as_str())
                    .is_some_and(|rest| quoted(rest) || quoted(&rest.replace('-', "_")))
            });
            !(quoted(key) || chosen.contains(key) || referenced(key) || formatted)
        })
        .collect();
    assert!(unused.is_empty(), "no code uses {unused:?}");
}
