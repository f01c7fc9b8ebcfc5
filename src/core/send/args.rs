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
    /// What to do: send a message (the default), only queue it, or run the queue.
    pub mode: Mode,
}

/// What one `outbound send` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Read the message and deliver it now (queued on a temporary failure).
    #[default]
    Deliver,
    /// `--queue`, `-odq`, `-odd`: read the message and only put it in the queue.
    QueueOnly,
    /// `-q`, `-qf`, `--flush`: no message; send the whole queue, as
    /// `outbound queue flush` does.
    Flush,
    /// `--help`: print the command's help.
    Help,
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
                "queue" if attached.is_none() => parsed.mode = Mode::QueueOnly,
                "flush" if attached.is_none() => parsed.mode = Mode::Flush,
                "help" if attached.is_none() => parsed.mode = Mode::Help,
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
            if flag == 'q' {
                // sendmail's queue run: `-q` and `-qf` (in the foreground, as
                // here) run it once; an interval (`-q1h`, a daemon) or a
                // selection (`-qI…`, `-qR…`, `-qS…`) is not supported.
                let rest: String = cluster[at..].iter().collect();
                at = cluster.len();
                match rest.as_str() {
                    "" | "f" => parsed.mode = Mode::Flush,
                    _ => return Err(ArgsError::Mode(format!("-q{rest}"))),
                }
                continue;
            }
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

/// `-oi` (dots do not end the message), `-odq` and `-odd` (delivery mode
/// queue and deferred: both only queue it here), and the other `-o` options,
/// ignored: `-oem`, `-odb`, `-odi`, `-oQ/dir`, `-ox…`, `-oA…`…
fn option_o(value: &str, parsed: &mut SendArgs) -> Result<(), ArgsError> {
    match value {
        "i" => parsed.request.ignore_dots = true,
        "dq" | "dd" => parsed.mode = Mode::QueueOnly,
        _ => {}
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
        assert_eq!(mixed.mode, Mode::Deliver, "-ox and -oem do not queue");
    }

    #[test]
    fn queue_only_and_queue_runs() {
        for args in [
            &["--queue", "a@x.test"][..],
            &["-odq", "a@x.test"],
            &["-o", "dd"],
        ] {
            assert_eq!(ok(args).mode, Mode::QueueOnly, "{args:?}");
        }
        assert_eq!(ok(&["-odb", "a@x.test"]).mode, Mode::Deliver);
        for args in [&["-q"][..], &["-qf"], &["--flush"], &["-v", "-q"]] {
            assert_eq!(ok(args).mode, Mode::Flush, "{args:?}");
        }
        assert_eq!(ok(&["--help"]).mode, Mode::Help);
    }

    #[test]
    fn unknown_or_incomplete_options_are_usage_errors() {
        assert_eq!(parse(["-q1h"]), Err(ArgsError::Mode("-q1h".into())));
        assert_eq!(
            parse(["--queue=yes"]),
            Err(ArgsError::Unknown("--queue=yes".into()))
        );
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
