//! The hidden `outbound completions SHELL` and `outbound man`: shell completion
//! scripts and the manual page, generated from the very clap definitions (and
//! translations) the command line parses with, so they cannot drift from it.
//! `packaging/build` runs them on the built binary; at run time rather than in a
//! build script because the help texts come from Fluent, which the library owns.

use clap_complete::Shell;

use super::{Failure, Status};
use crate::fl;
use crate::i18n::Localize;

/// Writing the generated text failed. clap_mangen writes into memory, which
/// does not fail in practice; standard output itself goes through `output`.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output: {0}")]
pub struct WriteError(#[from] std::io::Error);

impl Localize for WriteError {
    fn localize(&self) -> String {
        fl!("generate-write-failed", reason = self.0.to_string())
    }
}

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: Shell) -> Result<Status, Failure> {
    let mut command = super::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "outbound", &mut script);
    super::output::write_stdout_bytes(&script);
    Ok(Status::Success)
}

/// Prints the manual page (roff, section 1) on stdout, in the interface language.
pub fn man() -> Result<Status, Failure> {
    let page = render_man().map_err(WriteError)?;
    super::output::write_stdout_bytes(&page);
    Ok(Status::Success)
}

/// One page for everything: clap_mangen's title, synopsis and global options,
/// then every subcommand with its usage and options, exit status, environment
/// and files. clap_mangen's own subcommand section points at one page per
/// subcommand, which we do not ship.
fn render_man() -> std::io::Result<Vec<u8>> {
    let mut command = super::command()
        .bin_name("outbound")
        .disable_help_subcommand(true);
    command.build();
    let man = clap_mangen::Man::new(command.clone())
        .manual(fl!("man-manual"))
        .source(format!("Outbound {}", env!("CARGO_PKG_VERSION")));
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    // No date (the page must not change between builds of one version); an empty
    // quoted field keeps the source and manual in their .TH positions.
    let mut text =
        String::from_utf8_lossy(&page).replacen(".TH outbound 1  ", ".TH outbound 1 \"\" ", 1);
    // clap_mangen writes English section names; the page follows the interface language.
    for (english, id) in [
        ("NAME", "man-section-name"),
        ("SYNOPSIS", "man-section-synopsis"),
        ("DESCRIPTION", "man-section-description"),
        ("OPTIONS", "man-section-options"),
    ] {
        text = text.replace(
            &format!(".SH {english}\n"),
            &format!(".SH \"{}\"\n", crate::i18n::tr(id)),
        );
    }

    text.push_str(&format!(".SH \"{}\"\n", fl!("man-section-commands")));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_commands(sub, &mut text);
    }
    text.push_str(&format!(".SH \"{}\"\n", fl!("man-section-exit-status")));
    for (code, id) in [
        ("0", "man-exit-0"),
        ("1", "man-exit-1"),
        ("2", "man-exit-2"),
        ("130", "man-exit-130"),
    ] {
        text.push_str(&format!(
            ".TP\n\\fB{code}\\fR\n{}\n",
            roff_text(&crate::i18n::tr(id))
        ));
    }
    text.push_str(&format!(".SH \"{}\"\n", fl!("man-section-environment")));
    for (name, id) in [
        ("OUTBOUND_LANG", "man-env-lang"),
        ("OUTBOUND_LOG", "man-env-log"),
        ("OUTBOUND_SYSTEM_DIR", "man-env-system-dir"),
        ("XDG_CONFIG_HOME", "man-env-config-home"),
    ] {
        text.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_text(name),
            roff_text(&crate::i18n::tr(id))
        ));
    }
    text.push_str(&format!(".SH \"{}\"\n", fl!("man-section-files")));
    for (path, id) in [
        (
            "$XDG_CONFIG_HOME/outbound/profiles/NAME.toml",
            "man-file-user-profiles",
        ),
        (
            "/etc/outbound/profiles/NAME.toml",
            "man-file-system-profiles",
        ),
    ] {
        text.push_str(&format!(
            ".TP\n\\fI{}\\fR\n{}\n",
            roff_text(path),
            roff_text(&crate::i18n::tr(id))
        ));
    }
    render_system_sendmail(&mut text);
    text.push_str(&format!(
        ".SH \"{}\"\n{}\n",
        fl!("man-section-secrets"),
        roff_text(&fl!("man-secrets"))
    ));
    Ok(text.into_bytes())
}

/// Using Outbound as the machine's sendmail: what the packages register, how
/// to choose it, an MTA's own file, PHP and cron. Each paragraph is followed
/// by the line to type, which is not translated.
fn render_system_sendmail(text: &mut String) {
    text.push_str(&format!(".SH \"{}\"\n", fl!("man-section-system-sendmail")));
    for (id, example) in [
        (
            "man-sendmail-switch",
            "sudo update-alternatives --set sendmail /usr/bin/outbound-sendmail",
        ),
        (
            "man-sendmail-mta",
            "sudo alternatives --set mta /usr/bin/outbound-sendmail",
        ),
        (
            "man-sendmail-php",
            "sendmail_path = \"/usr/bin/outbound-sendmail -t -i\"",
        ),
        ("man-sendmail-cron", "MAILTO=admin@example.org"),
    ] {
        text.push_str(&format!(
            ".PP\n{}\n.RS\n.nf\n\\fB{}\\fR\n.fi\n.RE\n",
            roff_text(&crate::i18n::tr(id)),
            roff_text(example)
        ));
    }
}

/// A command with its usage, description and arguments; then its subcommands.
fn render_commands(command: &clap::Command, text: &mut String) {
    if command.has_subcommands() {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            render_commands(sub, text);
        }
        return;
    }
    let usage = command.clone().render_usage().to_string();
    // clap's usage line starts with an untranslated "Usage: ".
    let usage = usage
        .split_once(": ")
        .map_or(usage.as_str(), |(_, rest)| rest)
        .trim();
    text.push_str(&format!(".TP\n\\fB{}\\fR\n", roff_text(usage)));
    if let Some(about) = command.get_about() {
        text.push_str(&format!("{}\n", roff_text(&about.to_string())));
    }
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        let id = arg.get_id().as_str();
        if matches!(id, "help" | "version") {
            continue;
        }
        // An option's value: its choices when it has some, else its value name.
        let choices: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_owned())
            .collect();
        let value = if !choices.is_empty() {
            choices.join("|")
        } else {
            arg.get_value_names()
                .and_then(|names| names.first().map(|n| n.to_string()))
                .unwrap_or_else(|| id.to_uppercase())
        };
        let flag = match (arg.get_long(), arg.get_short()) {
            (Some(long), Some(short)) => Some(format!("-{short}, --{long}")),
            (Some(long), None) => Some(format!("--{long}")),
            (None, Some(short)) => Some(format!("-{short}")),
            (None, None) => None,
        };
        let name = match flag {
            Some(flag) if arg.get_action().takes_values() => format!("{flag} <{value}>"),
            Some(flag) => flag,
            None => value,
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        text.push_str(&format!(
            ".RS\n.TP\n\\fB{}\\fR\n{}\n.RE\n",
            roff_text(&name),
            roff_text(&help)
        ));
    }
}

/// Escapes text for roff: backslashes, hyphens (so they stay ASCII minus signs
/// that can be searched and copied) and control characters at a line start.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|line| {
            if line.starts_with(['.', '\'']) {
                format!("\\&{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_escapes_hyphens_backslashes_and_leading_dots() {
        assert_eq!(roff_text("--json"), "\\-\\-json");
        assert_eq!(roff_text("a\\b"), "a\\eb");
        assert_eq!(roff_text(".hidden\n'quote"), "\\&.hidden\n\\&'quote");
    }

    #[test]
    fn man_page_lists_every_visible_leaf_command() {
        let page = String::from_utf8(render_man().expect("renders")).expect("UTF-8");
        assert!(
            page.starts_with(".ie") || page.contains(".TH outbound 1"),
            "{page}"
        );
        assert!(page.contains("outbound profile list"), "{page}");
        assert!(page.contains("outbound profile set\\-password"), "{page}");
        assert!(
            !page.contains("outbound completions"),
            "hidden commands stay out: {page}"
        );
    }

    #[test]
    fn man_page_says_how_to_make_outbound_the_systems_sendmail() {
        let page = String::from_utf8(render_man().expect("renders")).expect("UTF-8");
        for example in [
            "update\\-alternatives \\-\\-set sendmail /usr/bin/outbound\\-sendmail",
            "alternatives \\-\\-set mta /usr/bin/outbound\\-sendmail",
            "sendmail_path = \"/usr/bin/outbound\\-sendmail \\-t \\-i\"",
        ] {
            assert!(page.contains(example), "{example} missing: {page}");
        }
    }
}
