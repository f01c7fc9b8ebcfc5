//! `outbound send`, also reached as `sendmail` / `outbound-sendmail`
//! (argv[0]): the message on standard input, sendmail's flags, sysexits
//! codes, nothing on stdout, one plain message on stderr when it fails or is
//! queued. `-q` / `--flush` sends the queue instead (no message is read).

use std::ffi::OsString;
use std::io::Read;
use std::process::ExitCode;

use crate::core::send::Sysexit;
use crate::core::send::args::{self, Mode};
use crate::core::send::pipeline::{self, SendError};
use crate::core::send::submit::{self, Submitted};
use crate::core::store::Paths;
use crate::fl;
use crate::i18n::Localize;

use super::output::{errln, outln};
use super::{Command, QueueCommand, Status};

/// Whether the program was started under a sendmail name.
pub fn called_as_sendmail(argv0: &OsString) -> bool {
    let name = std::path::Path::new(argv0)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    matches!(name.as_str(), "sendmail" | "outbound-sendmail")
}

/// Runs `send` with the arguments after `send` (or after a sendmail name).
pub fn main(arguments: Vec<OsString>) -> ExitCode {
    let code = match run(arguments) {
        Ok(code) => code,
        Err(error) => {
            errln!("outbound send: {}", error.localize());
            error.exit()
        }
    };
    ExitCode::from(code.code())
}

fn run(arguments: Vec<OsString>) -> Result<Sysexit, SendError> {
    let strings = arguments
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned());
    let parsed = args::parse(strings)?;
    match parsed.mode {
        Mode::Help => {
            let mut command = super::command();
            command.build();
            if let Some(send) = command.find_subcommand_mut("send") {
                outln!("{}", send.render_long_help());
            }
            return Ok(Sysexit::Ok);
        }
        Mode::Flush => return Ok(flush()),
        Mode::Deliver | Mode::QueueOnly => {}
    }
    let mut input = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut input)
        .map_err(SendError::Read)?;
    let paths = Paths::from_environment()?;
    let ready = pipeline::prepare_and_route(&parsed, &input, &paths)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SendError::Runtime)?;
    let queue_only = parsed.mode == Mode::QueueOnly;
    let result = runtime.block_on(async {
        // Debug logging shows the conversation (redacted) with OUTBOUND_LOG=debug.
        let mut trace = |line: String| tracing::debug!(target: "outbound::send", "{line}");
        submit::submit(&ready, &paths, queue_only, &mut trace).await
    });
    // A keyring call abandoned after its timeout must not hold the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match result? {
        Submitted::Sent { .. } => {}
        // Accepted, as sendmail accepts what it queues: 0, and one line.
        Submitted::Queued { id, reason: None } => {
            errln!("outbound send: {}", fl!("send-queued", id = id.to_string()));
        }
        Submitted::Queued {
            id,
            reason: Some(reason),
        } => {
            errln!(
                "outbound send: {}",
                fl!("send-queued-after", id = id.to_string(), reason = reason)
            );
        }
    }
    Ok(Sysexit::Ok)
}

/// `-q`, `--flush`: the whole queue, by the very code of `outbound queue
/// flush` (its summary on stderr). 0 when every message went; otherwise 75
/// (EX_TEMPFAIL): messages stay queued for a later run.
fn flush() -> Sysexit {
    let command = Command::Queue {
        action: QueueCommand::Flush {
            due: false,
            retry_uncertain: false,
            json: false,
        },
    };
    match super::run(command) {
        Status::Success => Sysexit::Ok,
        _ => Sysexit::TempFail,
    }
}
