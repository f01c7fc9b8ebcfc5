//! The command line: one module per subcommand, text or JSON on stdout,
//! messages on stderr, exit status 0 / 1 / 2 as in DESIGN.md (130 for a check
//! cut short by Ctrl+C). Everything printed goes through [`output`], so a
//! reader that goes away never makes a panic.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod bulk;
mod check;
mod check_imap;
mod detect;
mod directory;
mod generate;
mod msmtprc;
mod oauth;
pub mod output;
mod password;
mod profile;
mod queue;
mod roundtrip;
pub mod send;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::core::exchange::OnConflict;
use crate::i18n::{self, Localize};
use output::{errln, outln};
pub use password::PasswordSource;

#[derive(Debug, Parser)]
#[command(name = "outbound", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per run: the check's many flags cost nothing worth boxing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    Check(check::CheckArgs),
    Roundtrip(roundtrip::RoundtripArgs),
    Bulk(bulk::BulkArgs),
    Profile {
        #[command(subcommand)]
        action: ProfileCommand,
    },
    Directory {
        #[command(subcommand)]
        action: DirectoryCommand,
    },
    Queue {
        #[command(subcommand)]
        action: QueueCommand,
    },
    /// The quick test: detect, then the outgoing and incoming checks.
    Test(test::TestArgs),
    Detect {
        address: String,
        #[arg(long)]
        probe: bool,
        #[arg(long)]
        json: bool,
    },
    /// sendmail-compatible: the message on standard input, sendmail's flags.
    /// main.rs runs it before clap (sendmail's clustered flags are not clap's);
    /// this entry gives it a place in the help and the manual page.
    Send {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Packaging: prints a shell completion script.
    #[command(hide = true)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Packaging: prints the manual page (roff).
    #[command(hide = true)]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    Lookup {
        domain: String,
        #[arg(long)]
        json: bool,
    },
    ImportAutoconfig {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    Export {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Writes this provider as a Thunderbird autoconfig file instead.
        #[arg(long, value_name = "ID")]
        autoconfig: Option<String>,
    },
    Delete {
        id: String,
    },
    Reset {
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    Flush {
        /// Only the messages whose next attempt has come (for a timer).
        #[arg(long)]
        due: bool,
        #[arg(long)]
        retry_uncertain: bool,
        #[arg(long)]
        json: bool,
    },
    Delete {
        id: String,
    },
    Purge,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    Delete {
        name: String,
    },
    Rename {
        old: String,
        new: String,
    },
    Export {
        names: Vec<String>,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    Import {
        file: PathBuf,
        #[arg(long, value_enum)]
        on_conflict: Option<OnConflict>,
        #[arg(long)]
        json: bool,
    },
    // The source is optional for `check` (a saved profile's password is in the
    // keyring) but required here: a second group over the same two flags.
    #[command(group(clap::ArgGroup::new("password_required")
        .required(true)
        .args(["password_stdin", "password_env"])))]
    SetPassword {
        name: String,
        #[command(flatten)]
        source: PasswordSource,
    },
    ClearPassword {
        name: String,
    },
    /// Signs the profile in with its provider (OAuth 2.0): in the browser, or
    /// with a code typed on another device (--device). The tokens go to the keyring.
    SignIn {
        name: String,
        /// The device flow: prints a code and a URL to open on any device.
        #[arg(long)]
        device: bool,
        /// Prints the sign-in URL without opening a browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// Removes the profile's OAuth 2.0 tokens from the keyring.
    SignOut {
        name: String,
    },
    /// An msmtp configuration with an account per SMTP profile (`msmtprc`).
    Msmtprc {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Prints the profile's password from the keyring, for msmtp's passwordeval.
    Password {
        name: String,
        #[arg(long)]
        force: bool,
    },
}

/// The exit statuses of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success = 0,
    /// The check or lookup found a problem.
    Problem = 1,
    /// Bad usage, bad input or an environment problem.
    Usage = 2,
    /// The user interrupted a check (Ctrl+C): 128 + SIGINT, as a shell reports it.
    Cancelled = 130,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// The clap command with every help text in the interface language.
///
/// Texts are Fluent ids built from the command path: `cli-profile-list` for a
/// command's about, `cli-profile-list--json` for its `--json` argument.
pub fn command() -> clap::Command {
    localize_help(Cli::command(), "cli")
}

fn localize_help(mut command: clap::Command, path: &str) -> clap::Command {
    command = command.about(i18n::tr(path));
    let args: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in args.iter().filter(|id| !is_builtin(id)) {
        let key = format!("{path}--{}", id.replace('_', "-"));
        command = command.mut_arg(id.as_str(), |arg| arg.help(i18n::tr(&key)));
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in subcommands {
        let sub_path = format!("{path}-{name}");
        command = command.mut_subcommand(&name, |sub| localize_help(sub, &sub_path));
    }
    command
}

fn is_builtin(id: &str) -> bool {
    matches!(id, "help" | "version")
}

/// Every Fluent id [`command`] asks for; tests check each is translated.
pub fn help_ids() -> Vec<String> {
    fn walk(command: &clap::Command, path: &str, out: &mut Vec<String>) {
        out.push(path.to_owned());
        for arg in command
            .get_arguments()
            .filter(|a| !is_builtin(a.get_id().as_str()))
        {
            out.push(format!(
                "{path}--{}",
                arg.get_id().as_str().replace('_', "-")
            ));
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path}-{}", sub.get_name()), out);
        }
    }
    let mut ids = Vec::new();
    walk(&Cli::command(), "cli", &mut ids);
    ids
}

/// Parses the command line; `None` means: open the window.
pub fn parse() -> Result<Option<Command>, clap::Error> {
    let matches = command().try_get_matches()?;
    Ok(Cli::from_arg_matches(&matches)?.command)
}

/// With `outbound check … --json`, a usage error clap found (an unknown value,
/// a missing option) still gives the one JSON object on stdout, code
/// `cannot_start`; clap has printed its message on stderr.
pub fn parse_error_json(error: &clap::Error) {
    if !error.use_stderr() {
        return; // help or version
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let is_check = args
        .first()
        .is_some_and(|a| a == "check" || a == "roundtrip" || a == "test");
    if !is_check || !args.iter().any(|a| a == "--json") {
        return;
    }
    let rendered = error.render().to_string();
    // clap's first line, without its `error: `: the rest is usage and a pointer to --help.
    let first = rendered.lines().next().unwrap_or_default();
    let reason = first.strip_prefix("error: ").unwrap_or(first);
    if args.first().is_some_and(|a| a == "test") {
        print_json(&test::usage_json(reason));
    } else {
        print_json(&check::not_started_json(reason));
    }
}

/// Runs a subcommand and returns its exit status.
pub fn run(command: Command) -> Status {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            errln!(
                "{}",
                crate::fl!("cli-no-runtime", reason = error.to_string())
            );
            return Status::Usage;
        }
    };
    let status = runtime.block_on(async {
        match command {
            Command::Check(args) => check::run(args).await,
            Command::Roundtrip(args) => roundtrip::run(args).await,
            Command::Bulk(args) => bulk::run(args).await,
            Command::Profile { action } => profile::run(action).await,
            Command::Directory { action } => directory::run(action),
            Command::Queue { action } => queue::run(action).await,
            Command::Test(args) => Ok(test::run(args).await),
            Command::Detect {
                address,
                probe,
                json,
            } => detect::run(address, probe, json).await,

            Command::Send { .. } => Ok(Status::Usage), // main.rs runs send before clap
            Command::Completions { shell } => generate::completions(shell),
            Command::Man => generate::man(),
        }
    });
    // A keyring call abandoned after its timeout must not hold the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    let status = match status {
        Ok(status) => status,
        Err(error) => {
            errln!("{}", error.localize());
            Status::Usage
        }
    };
    match output::fate() {
        output::Fate::Open => status,
        // The reader took what it wanted (`| head -1`): not a failure. Ctrl+C
        // reaches the whole pipeline, and the check still says it was cut short.
        output::Fate::ReaderGone if status != Status::Cancelled => Status::Success,
        output::Fate::ReaderGone => status,
        output::Fate::Failed => Status::Usage,
    }
}

/// An error a subcommand stops on: printed translated on stderr, exit status 2.
pub struct Failure(Box<dyn Localize>);

impl<E: Localize + 'static> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(Box::new(error))
    }
}

impl Failure {
    fn localize(&self) -> String {
        self.0.localize()
    }
}

/// Prints a JSON value on stdout.
fn print_json(value: &serde_json::Value) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => outln!("{text}"),
        Err(error) => errln!("{error}"),
    }
}
