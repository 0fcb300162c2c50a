//! Progress of a cycle: a bar on a terminal, plain lines otherwise, nothing
//! with `--quiet`. The pipeline reports through the [`Progress`] trait and
//! never knows which one it talks to.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ingest::dump_files::spelled_out;

/// Receives progress events from the pipeline, from any thread.
pub trait Progress: Send + Sync {
    /// A file of `size` bytes is about to be read.
    fn file_started(&self, source: &str, path: &Path, size: u64);
    /// `bytes` of the current file have been read so far.
    fn advanced(&self, bytes: u64);
    /// The current file is done.
    fn file_finished(&self);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn file_started(&self, _: &str, _: &Path, _: u64) {}
    fn advanced(&self, _: u64) {}
    fn file_finished(&self) {}
}

/// One line per file on standard error, for logs and pipes, written to
/// what `stderr` gives (the binary's standard error, which remembers a
/// line it could not write).
pub struct Lines<W: Write>(pub fn() -> W);

impl<W: Write> Progress for Lines<W> {
    fn file_started(&self, source: &str, path: &Path, size: u64) {
        let _ = writeln!(
            (self.0)(),
            "feedfold: source {source}: reading {} ({size} bytes)",
            spelled_out(path)
        );
    }
    fn advanced(&self, _: u64) {}
    fn file_finished(&self) {}
}

/// A progress bar per file, for a terminal (standard error). A log line
/// going to the same terminal is written through [`Bar::suspend`].
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    /// Where each bar is drawn.
    target: fn() -> ProgressDrawTarget,
}

impl Default for Bar {
    fn default() -> Bar {
        Bar {
            bar: Mutex::default(),
            target: ProgressDrawTarget::stderr,
        }
    }
}

impl Bar {
    /// Runs `write`, which writes a line to the bar's terminal, with the
    /// bar cleared, and draws the bar again below the line: no line lands
    /// in the bar's row, and no redraw erases one.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &*self.current() {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    fn current(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        self.bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Progress for Bar {
    fn file_started(&self, source: &str, path: &Path, size: u64) {
        let bar = ProgressBar::with_draw_target(Some(size), (self.target)());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(format!("{source}: {}", spelled_out(path)));
        *self.current() = Some(bar);
    }

    fn advanced(&self, bytes: u64) {
        if let Some(bar) = &*self.current() {
            bar.set_position(bytes);
        }
    }

    fn file_finished(&self) {
        if let Some(bar) = self.current().take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// What was done to a terminal, in order.
    static DONE: Mutex<Vec<String>> = Mutex::new(Vec::new());

    /// A terminal that notes what is done to it in [`DONE`].
    #[derive(Debug)]
    struct Noted;

    impl indicatif::TermLike for Noted {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
            DONE.lock().unwrap().push(format!("up {n}"));
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, line: &str) -> std::io::Result<()> {
            DONE.lock().unwrap().push(format!("line {line}"));
            Ok(())
        }
        fn write_str(&self, text: &str) -> std::io::Result<()> {
            DONE.lock().unwrap().push(format!("text {text}"));
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            DONE.lock().unwrap().push("clear".to_string());
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What the lines of [`Lines`] wrote.
    static WRITTEN: Mutex<Vec<u8>> = Mutex::new(Vec::new());

    /// Writes into [`WRITTEN`].
    struct Written;

    impl Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            WRITTEN.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_names_a_file_whose_name_is_not_utf8_byte_by_byte() {
        use std::os::unix::ffi::OsStrExt;
        let lines = Lines(|| Written);
        for name in [b"dumps/M\xfcller.txt".as_slice(), b"dumps/M\xe4ller.txt"] {
            lines.file_started("desk", Path::new(std::ffi::OsStr::from_bytes(name)), 5);
        }
        assert_eq!(
            String::from_utf8(WRITTEN.lock().unwrap().clone()).unwrap(),
            "feedfold: source desk: reading dumps/M\\xFCller.txt (5 bytes)\n\
             feedfold: source desk: reading dumps/M\\xE4ller.txt (5 bytes)\n"
        );
    }

    #[test]
    fn a_line_written_while_the_bar_shows_goes_above_it() {
        let bar = Arc::new(Bar {
            bar: Mutex::default(),
            target: || ProgressDrawTarget::term_like(Box::new(Noted)),
        });
        assert_eq!(bar.suspend(|| 7), 7, "no bar yet");
        bar.file_started("desk", Path::new("dumps/desk1.txt"), 277);
        bar.advanced(100);
        bar.current().as_ref().unwrap().tick();
        let logged = bar.suspend(|| {
            DONE.lock().unwrap().push("log".to_string());
            true
        });
        assert!(logged);
        bar.file_finished();
        let done = DONE.lock().unwrap().clone();
        let log = done.iter().position(|d| d == "log").unwrap();
        let drawn = |d: &String| d.contains("desk: dumps/desk1.txt [");
        let shown_before = done[..log].iter().rposition(drawn).unwrap();
        assert!(
            done[shown_before..log].iter().any(|d| d == "clear"),
            "the bar is cleared before the line: {done:?}"
        );
        assert!(
            done[log..].iter().any(drawn),
            "and drawn again below it: {done:?}"
        );
    }
}
