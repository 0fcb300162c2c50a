//! Progress of a cycle: a bar on a terminal, plain lines otherwise, nothing
//! with `--quiet`. The pipeline reports through the [`Progress`] trait and
//! never knows which one it talks to.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

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
            path.display()
        );
    }
    fn advanced(&self, _: u64) {}
    fn file_finished(&self) {}
}

/// A progress bar per file, for a terminal.
#[derive(Default)]
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    fn current(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        self.bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Progress for Bar {
    fn file_started(&self, source: &str, path: &Path, size: u64) {
        let bar = ProgressBar::new(size);
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(format!("{source}: {}", path.display()));
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
