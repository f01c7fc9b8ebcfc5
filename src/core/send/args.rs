//! sendmail's command line, as PHP `mail()`, cron and mailx write it: flags
//! clustered (`-ti`), values attached or apart (`-fme@x`, `-f me@x`), `--`
//! ending the options, GNU-style permutation (recipients may come first).
//! Flags that mean nothing here are accepted and ignored; an unknown one is a
//! usage error (EX_USAGE).

use super::prepare::{Request, addresses};
use crate::i18n::{self, Localize};

/// The parsed command line of `outbound send`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendArgs {
    pub request: Request,
    /// `--profile NAME`: this profile, whatever the sender.
    pub profile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgsError {
    #[error("unknown option {0}")]
    Unknown(String),
    #[error("option {0} needs a value")]
    Missing(String),
    #[error("option {option}: {value:?} is not a valid value")]
    BadValue { option: String, value: String },
    #[error("mode {0} is not supported")]
    Mode(String),
}

impl Localize for ArgsError {
    fn localize(&self) -> String {
        match self {
            ArgsError::Unknown(option) => {
                i18n::tr_args("send-args-unknown", &[("option", option.clone())])
            }
            ArgsError::Missing(option) => {
                i18n::tr_args("send-args-missing", &[("option", option.clone())])
            }
            ArgsError::BadValue { option, value } => i18n::tr_args(
                "send-args-bad-value",
                &[("option", option.clone()), ("value", value.clone())],
            ),
            ArgsError::Mode(mode) => i18n::tr_args("send-args-mode", &[("mode", mode.clone())]),
        }
    }
}

/// Flags without a value that are ignored: `-m` (me too), `-n` (no aliases),
/// `-v` (verbose), `-G` (gateway submission), `-U` (initial submission).
const IGNORED_FLAGS: &[char] = &['m', 'n', 'v', 'G', 'U'];
/// Flags with a value that is ignored: `-A` (submit file), `-B` (body type),
/// `-h` (hop count), `-L` (syslog tag), `-O` (option=value), `-V` (envid),
/// `-X` (traffic log), `-C` (config file).
const IGNORED_WITH_VALUE: &[char] = &['A', 'B', 'h', 'L', 'O', 'V', 'X', 'C'];

/// Parses the arguments after the program name (or after `send`).
pub fn parse<I, S>(args: I) -> Result<SendArgs, ArgsError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let args: Vec<String> = args.into_iter().map(Into::into).collect();
    let mut parsed = SendArgs::default();
    let mut recipients: Vec<String> = Vec::new();
    let mut index = 0;
    let mut options_over = false;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        if options_over || !arg.starts_with('-') || arg == "-" {
            recipients.push(arg.clone());
            continue;
        }
        if arg == "--" {
            options_over = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            match name {
                "profile" => {
                    let value = match attached {
                        Some(value) => value,
                        None => next_value(&args, &mut index, "--profile")?,
                    };
                    if value.trim().is_empty() {
                        return Err(ArgsError::Missing("--profile".into()));
                    }
                    parsed.profile = Some(value);
                }
                _ => return Err(ArgsError::Unknown(arg.clone())),
            }
            continue;
        }
        let cluster: Vec<char> = arg.chars().skip(1).collect();
        let mut at = 0;
        while at < cluster.len() {
            let flag = cluster[at];
            at += 1;
            let option = format!("-{flag}");
            let takes_value = matches!(flag, 'f' | 'r' | 'F' | 'N' | 'R' | 'o' | 'b')
                || IGNORED_WITH_VALUE.contains(&flag);
            if !takes_value {
                match flag {
                    't' => parsed.request.extract = true,
                    'i' => parsed.request.ignore_dots = true,
                    _ if IGNORED_FLAGS.contains(&flag) => {}
                    _ => return Err(ArgsError::Unknown(option)),
                }
                continue;
            }
            let value = if at < cluster.len() {
                let rest: String = cluster[at..].iter().collect();
                at = cluster.len();
                rest
            } else {
                next_value(&args, &mut index, &option)?
            };
            match flag {
                'f' | 'r' => parsed.request.sender = Some(value),
                'F' => parsed.request.full_name = Some(value),
                'N' => parsed.request.dsn.notify = Some(notify(&value)?),
                'R' => parsed.request.dsn.ret = Some(ret(&value)?),
                'o' => option_o(&value, &mut parsed)?,
                'b' => match value.as_str() {
                    // -bm: read mail from standard input and deliver, the default.
                    "m" => {}
                    _ => return Err(ArgsError::Mode(format!("-b{value}"))),
                },
                _ => {} // ignored, with its value
            }
        }
    }
    for recipient in recipients {
        parsed.request.recipients.extend(addresses(&recipient));
    }
    Ok(parsed)
}

fn next_value(args: &[String], index: &mut usize, option: &str) -> Result<String, ArgsError> {
    let value = args
        .get(*index)
        .cloned()
        .ok_or_else(|| ArgsError::Missing(option.to_owned()))?;
    *index += 1;
    Ok(value)
}

/// `-oi` (dots do not end the message) and the other `-o` options, ignored:
/// `-oem`, `-odb`, `-oQ/dir`, `-ox…`, `-oA…`…
fn option_o(value: &str, parsed: &mut SendArgs) -> Result<(), ArgsError> {
    if value == "i" {
        parsed.request.ignore_dots = true;
    }
    Ok(())
}

/// `-N never` or a list of `success`, `failure`, `delay` (RFC 3461 NOTIFY).
fn notify(value: &str) -> Result<String, ArgsError> {
    let bad = || ArgsError::BadValue {
        option: "-N".into(),
        value: value.to_owned(),
    };
    let words: Vec<String> = value
        .split(',')
        .map(|w| w.trim().to_ascii_uppercase())
        .collect();
    let known = words
        .iter()
        .all(|w| matches!(w.as_str(), "NEVER" | "SUCCESS" | "FAILURE" | "DELAY"));
    if !known || words.is_empty() || (words.len() > 1 && words.iter().any(|w| w == "NEVER")) {
        return Err(bad());
    }
    Ok(words.join(","))
}

/// `-R full` or `-R hdrs` (RFC 3461 RET).
fn ret(value: &str) -> Result<String, ArgsError> {
    match value.trim().to_ascii_uppercase().as_str() {
        "FULL" => Ok("FULL".into()),
        "HDRS" => Ok("HDRS".into()),
        _ => Err(ArgsError::BadValue {
            option: "-R".into(),
            value: value.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(args: &[&str]) -> SendArgs {
        parse(args.iter().copied()).unwrap()
    }

    #[test]
    fn the_ways_programs_call_sendmail() {
        // PHP mail(): sendmail_path = "sendmail -t -i", extra "-fwww@x.test".
        let php = ok(&["-t", "-i", "-fwww@x.test"]);
        assert!(php.request.extract && php.request.ignore_dots);
        assert_eq!(php.request.sender.as_deref(), Some("www@x.test"));
        // cron: sendmail -FCronDaemon -i -B8BITMIME -oem root
        let cron = ok(&["-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root"]);
        assert_eq!(cron.request.full_name.as_deref(), Some("CronDaemon"));
        assert_eq!(cron.request.recipients, vec!["root"]);
        // mailx: sendmail -i -- a@x.test b@x.test
        let mailx = ok(&["-i", "--", "a@x.test", "-notaflag@x.test"]);
        assert_eq!(
            mailx.request.recipients,
            vec!["a@x.test", "-notaflag@x.test"]
        );
        // Clustered, values apart, permuted, comma lists.
        let mixed = ok(&[
            "a@x.test, b@x.test",
            "-tif",
            "me@x.test",
            "-F",
            "Me",
            "-oi",
            "-v",
            "-m",
            "-n",
            "-G",
            "-h",
            "5",
            "-L",
            "tag",
            "-A",
            "m",
            "-O",
            "X=1",
            "-ox",
            "-bm",
        ]);
        assert!(mixed.request.extract);
        assert_eq!(mixed.request.sender.as_deref(), Some("me@x.test"));
        assert_eq!(mixed.request.recipients, vec!["a@x.test", "b@x.test"]);
        let dsn = ok(&[
            "-N",
            "success,failure",
            "-Rhdrs",
            "-r",
            "<>",
            "--profile",
            "ops",
            "x@y.test",
        ]);
        assert_eq!(dsn.request.dsn.notify.as_deref(), Some("SUCCESS,FAILURE"));
        assert_eq!(dsn.request.dsn.ret.as_deref(), Some("HDRS"));
        assert_eq!(dsn.request.sender.as_deref(), Some("<>"));
        assert_eq!(dsn.profile.as_deref(), Some("ops"));
        assert_eq!(ok(&["--profile=p"]).profile.as_deref(), Some("p"));
    }

    #[test]
    fn unknown_or_incomplete_options_are_usage_errors() {
        assert_eq!(parse(["-q"]), Err(ArgsError::Unknown("-q".into())));
        assert_eq!(parse(["-tz"]), Err(ArgsError::Unknown("-z".into())));
        assert_eq!(
            parse(["--queue-me"]),
            Err(ArgsError::Unknown("--queue-me".into()))
        );
        assert_eq!(parse(["-f"]), Err(ArgsError::Missing("-f".into())));
        assert_eq!(
            parse(["--profile"]),
            Err(ArgsError::Missing("--profile".into()))
        );
        assert!(matches!(
            parse(["-N", "sometimes"]),
            Err(ArgsError::BadValue { .. })
        ));
        assert!(matches!(
            parse(["-N", "never,success"]),
            Err(ArgsError::BadValue { .. })
        ));
        assert!(matches!(
            parse(["-R", "all"]),
            Err(ArgsError::BadValue { .. })
        ));
        assert_eq!(parse(["-bs"]), Err(ArgsError::Mode("-bs".into())));
    }
}
