use std::io::IsTerminal;
use std::process::ExitCode;

use outbound::cli::{self, Status};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("OUTBOUND_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    outbound::i18n::init(None);
    match cli::parse() {
        Ok(Some(command)) => cli::run(command).into(),
        Ok(None) => match outbound::ui::run() {
            Ok(()) => Status::Success.into(),
            Err(error) => {
                eprintln!(
                    "{}",
                    outbound::fl!("window-failed", reason = error.to_string())
                );
                Status::Usage.into()
            }
        },
        // Help and version are "errors" that print to stdout and exit 0.
        Err(error) => {
            let _ = error.print();
            ExitCode::from(error.exit_code().clamp(0, 255) as u8)
        }
    }
}
