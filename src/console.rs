//! Standard output and standard error as every command writes them: a
//! write that fails never panics. A reader that went away (a closed pipe,
//! `feedfold dups | head`) ends the output quietly, as with other Unix
//! tools, and the exit status is what the command's work gives. Any other
//! failure (a full disk, an I/O error) of standard output is an error the
//! command ends with; of standard error, which has nowhere to say so, it
//! makes the exit status 1. A stream closed when feedfold starts (`>&-`,
//! `2>&-`) fails every write the same way, with "Bad file descriptor"; its
//! descriptor is held by `/dev/null` meanwhile, so that no file feedfold
//! opens (the store, the config, a lock) takes its place and receives the
//! output. Nothing else in the binary prints.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether text for `stream` may carry colour: `stream` is a terminal and
/// `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn coloured(stream: &impl std::io::IsTerminal) -> bool {
    colour_allowed(
        stream.is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// [`coloured`] for a stream that is a terminal or not, and `no_color`,
/// the value of `NO_COLOR`.
fn colour_allowed(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|value| value.is_empty())
}

/// Set once a line could not be written to standard error.
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Set when standard output was closed as feedfold started.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Set when standard error was closed as feedfold started.
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Finds standard output and error closed as feedfold starts. The Rust
/// runtime opens `/dev/null` on a closed standard stream before `main`
/// (so that no file feedfold opens, the store, the config or a lock, takes
/// its descriptor and receives the output) and writes to it then succeed,
/// so this runs earlier, as the program is loaded, and the writes fail.
/// Should the runtime stop doing so, `/dev/null` is opened here.
extern "C" fn find_closed_streams() {
    for (fd, closed) in [
        (libc::STDIN_FILENO, None),
        (libc::STDOUT_FILENO, Some(&STDOUT_CLOSED)),
        (libc::STDERR_FILENO, Some(&STDERR_CLOSED)),
    ] {
        // SAFETY: F_GETFD only reads the descriptor's flags.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1 {
            continue;
        }
        if let Some(closed) = closed {
            closed.store(true, Ordering::Relaxed);
        }
        // The lowest free descriptor is `fd` itself, those below it being
        // open or held already.
        let mode = if fd == libc::STDIN_FILENO {
            libc::O_RDONLY
        } else {
            libc::O_WRONLY
        };
        // SAFETY: a NUL-terminated path; the descriptor is kept for the
        // life of the process.
        unsafe { libc::open(c"/dev/null".as_ptr(), mode) };
    }
}

/// [`find_closed_streams`] run as the program is loaded, before the Rust
/// runtime starts.
#[used]
#[cfg_attr(target_os = "macos", unsafe(link_section = "__DATA,__mod_init_func"))]
#[cfg_attr(not(target_os = "macos"), unsafe(link_section = ".init_array"))]
static FIND_CLOSED_STREAMS: extern "C" fn() = find_closed_streams;

/// The error of a write to a stream closed as feedfold started.
fn closed_stream() -> std::io::Error {
    std::io::Error::from_raw_os_error(libc::EBADF)
}

/// Standard output could not be written, for another reason than its
/// reader going away.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output")]
pub struct StdoutError(#[source] std::io::Error);

/// Writes `text` to standard output and flushes it; false when the reader
/// went away.
pub fn print(text: fmt::Arguments) -> Result<bool, StdoutError> {
    let mut out = std::io::stdout().lock();
    written(out.write_fmt(text).and_then(|()| out.flush()))
}

/// Writes `bytes` to standard output and flushes it; false when the reader
/// went away.
pub fn print_bytes(bytes: &[u8]) -> Result<bool, StdoutError> {
    let mut out = std::io::stdout().lock();
    written(out.write_all(bytes).and_then(|()| out.flush()))
}

/// Writes `line` and a newline to `out` (standard output, buffered); false
/// when the reader went away (`feedfold parse | head`).
pub fn write_line(out: &mut impl Write, line: &str) -> Result<bool, StdoutError> {
    written(writeln!(out, "{line}"))
}

/// Flushes `out` (standard output, buffered); false when the reader went
/// away.
pub fn flush(out: &mut impl Write) -> Result<bool, StdoutError> {
    written(out.flush())
}

/// Writes `text` to standard error; a failure is remembered for
/// [`stderr_failed`].
pub fn eprint(text: fmt::Arguments) {
    let mut err = Stderr;
    let _ = err.write_fmt(text).and_then(|()| err.flush());
}

/// Standard error as a writer (for progress lines and the log) whose
/// failures, a closed pipe aside, are remembered for [`stderr_failed`].
pub struct Stderr;

impl Write for Stderr {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if STDERR_CLOSED.load(Ordering::Relaxed) {
            return noted(Err(closed_stream()));
        }
        noted(std::io::stderr().write(bytes))
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if STDERR_CLOSED.load(Ordering::Relaxed) {
            return noted(Err(closed_stream()));
        }
        noted(std::io::stderr().write_all(bytes))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        noted(std::io::stderr().flush())
    }
}

/// `result` of a write to standard error, its failure remembered.
fn noted<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &result
        && e.kind() != ErrorKind::BrokenPipe
    {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
    result
}

/// Whether a line feedfold meant for standard error could not be written
/// there (a closed pipe aside).
pub fn stderr_failed() -> bool {
    STDERR_FAILED.load(Ordering::Relaxed)
}

/// A write's outcome: true when done, false when the reader went away.
/// A write to standard output closed as feedfold started fails whatever
/// `result` says, for the bytes went to `/dev/null`.
fn written(result: std::io::Result<()>) -> Result<bool, StdoutError> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(StdoutError(closed_stream()));
    }
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(StdoutError(e)),
    }
}

/// `print!` that returns whether the text was written (see [`print`]).
macro_rules! out {
    ($($arg:tt)*) => { $crate::console::print(format_args!($($arg)*)) };
}

/// `println!` that returns whether the line was written (see [`print`]).
macro_rules! outln {
    ($($arg:tt)*) => { $crate::console::print(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` that never panics (see [`eprint`]).
macro_rules! errln {
    ($($arg:tt)*) => { $crate::console::eprint(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {errln, out, outln};

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write with `kind`.
    struct Failing(ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(self.0))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::from(self.0))
        }
    }

    #[test]
    fn no_color_set_and_not_empty_turns_colour_off() {
        use std::ffi::OsStr;
        assert!(colour_allowed(true, None));
        assert!(colour_allowed(true, Some(OsStr::new(""))));
        assert!(!colour_allowed(true, Some(OsStr::new("1"))));
        assert!(!colour_allowed(true, Some(OsStr::new("0"))));
        assert!(!colour_allowed(false, None));
    }

    #[test]
    fn a_closed_pipe_ends_quietly_and_other_failures_are_errors() {
        let mut gone = Failing(ErrorKind::BrokenPipe);
        assert!(!write_line(&mut gone, "a line").unwrap());
        assert!(!flush(&mut gone).unwrap());
        let mut full = Failing(ErrorKind::StorageFull);
        let error = write_line(&mut full, "a line").unwrap_err();
        assert_eq!(error.to_string(), "cannot write to standard output");
        assert!(std::error::Error::source(&error).is_some());
        let mut fine = Vec::new();
        assert!(write_line(&mut fine, "a line").unwrap());
        assert_eq!(fine, b"a line\n");
    }
}
