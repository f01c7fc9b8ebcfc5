//! Standard output and error of the command line. `println!` panics when the
//! reader has gone away (`outbound directory list | head -1`); here a closed
//! pipe ends the output quietly and the command exits 0, because the reader
//! took what it wanted. Any other write error is reported once on stderr and
//! the command exits 2.

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

use crate::fl;

/// What became of standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Open,
    /// The reader closed its end of the pipe.
    ReaderGone,
    /// Writing failed otherwise (a full disk, an I/O error).
    Failed,
}

static STDOUT: Mutex<Fate> = Mutex::new(Fate::Open);

/// What became of standard output so far.
pub fn fate() -> Fate {
    // A poisoned lock only means a panic elsewhere while printing; the fate
    // it holds is still right.
    *STDOUT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes to standard output unless it is gone; flushed at once so that a
/// closed pipe shows at this write, not at exit.
pub fn write_stdout(args: fmt::Arguments) {
    write_with(|out| out.write_fmt(args));
}

/// Writes bytes (a generated script or page) to standard output, as [`write_stdout`].
pub fn write_stdout_bytes(bytes: &[u8]) {
    write_with(|out| out.write_all(bytes));
}

fn write_with(write: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>) {
    let mut fate = STDOUT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if *fate != Fate::Open {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(error) = write(&mut out).and_then(|()| out.flush()) {
        *fate = stdout_failed(&error);
    }
}

fn stdout_failed(error: &io::Error) -> Fate {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return Fate::ReaderGone;
    }
    write_stderr(format_args!(
        "{}\n",
        fl!("generate-write-failed", reason = error.to_string())
    ));
    Fate::Failed
}

/// Writes to standard error; when that fails too there is nobody left to tell.
pub fn write_stderr(args: fmt::Arguments) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args);
}

/// `println!` for the command line's standard output.
macro_rules! outln {
    () => { $crate::cli::output::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the command line's standard output.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_stdout(format_args!($($arg)*)) };
}

/// `eprintln!` for the command line's messages.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};
