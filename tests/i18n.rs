//! Translations: every message and attribute in every language, every id chosen
//! at run time present, and the language switch reaching the command line.

mod sandbox;

use std::collections::BTreeSet;

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

#[test]
fn ids_chosen_at_run_time_exist() {
    let english = keys("en");
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
    for id in wanted {
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
