//! `outbound send`, also reached as `sendmail` / `outbound-sendmail`
//! (argv[0]): the message on standard input, sendmail's flags, sysexits
//! codes, nothing on stdout, one plain message on stderr when it fails.

use std::ffi::OsString;
use std::io::Read;
use std::process::ExitCode;

use crate::core::send::args;
use crate::core::send::pipeline::{self, SendError};
use crate::core::send::{DeliverOptions, Sysexit};
use crate::core::store::Paths;
use crate::i18n::Localize;

use super::output::errln;

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
        Ok(()) => Sysexit::Ok,
        Err(error) => {
            errln!("outbound send: {}", error.localize());
            error.exit()
        }
    };
    ExitCode::from(code.code())
}

fn run(arguments: Vec<OsString>) -> Result<(), SendError> {
    let strings = arguments
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned());
    let parsed = args::parse(strings)?;
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
    let result = runtime.block_on(async {
        let password =
            pipeline::password(&paths, ready.routed.scope, &ready.routed.profile).await?;
        let options = DeliverOptions {
            password,
            ..DeliverOptions::default()
        };
        // Debug logging shows the conversation (redacted) with OUTBOUND_LOG=debug.
        let mut trace = |line: String| tracing::debug!(target: "outbound::send", "{line}");
        pipeline::deliver_ready(&ready, &paths, options, &mut trace).await
    });
    // A keyring call abandoned after its timeout must not hold the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    result.map(|_reply| ())
}
