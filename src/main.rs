use std::io::IsTerminal;
use std::process::ExitCode;

use outbound::cli::{self, Status};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

fn main() -> ExitCode {
    log_to_stderr();
    outbound::i18n::init(None);
    // `sendmail …` (a link named so) or `outbound send …`: sendmail's own
    // command line, parsed by hand (clap cannot read clustered flags).
    let mut argv = std::env::args_os();
    let argv0 = argv.next().unwrap_or_default();
    if cli::send::called_as_sendmail(&argv0) {
        recover_interrupted_change();
        return cli::send::main(argv.collect());
    }
    let rest: Vec<std::ffi::OsString> = argv.collect();
    if rest.first().is_some_and(|first| first == "send") {
        recover_interrupted_change();
        return cli::send::main(rest[1..].to_vec());
    }
    // Without arguments the window opens at once: building the translated
    // command line (every help text) would only cost start-up time and memory.
    if std::env::args_os().len() <= 1 {
        return window();
    }
    match cli::parse() {
        Ok(Some(command)) => {
            recover_interrupted_change();
            cli::run(command).into()
        }
        Ok(None) => window(),
        // Help and version are "errors" that print to stdout and exit 0.
        Err(error) => {
            let _ = error.print();
            cli::parse_error_json(&error);
            ExitCode::from(error.exit_code().clamp(0, 255) as u8)
        }
    }
}

fn window() -> ExitCode {
    recover_interrupted_change();
    match outbound::ui::run() {
        Ok(()) => Status::Success.into(),
        Err(error) => {
            cli::output::write_stderr(format_args!(
                "{}\n",
                outbound::fl!("window-failed", reason = error.to_string())
            ));
            Status::Usage.into()
        }
    }
}

/// Before anything reads the profiles: a change a crash interrupted is rolled
/// forward or back, and its temporary files go. A failure is reported; the
/// next start, or the next change, tries again.
fn recover_interrupted_change() {
    if let Err(error) = outbound::core::journal::recover_at_start() {
        eprintln!("{}", outbound::i18n::Localize::localize(&error));
    }
}

/// Logs to stderr what `OUTBOUND_LOG` asks for: a level (`debug`) or targets
/// with levels (`outbound=debug,zbus=info`); `warn` otherwise. `Targets` parses
/// that without a regular-expression engine, which `EnvFilter` would link in
/// and run at every start.
fn log_to_stderr() {
    let filter = std::env::var("OUTBOUND_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::WARN));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .finish()
        .with(filter)
        .init();
}
