//! Where the log goes and how much of it: standard error, at the level
//! `-q` / `-v` / `-vv` ask for, unless `RUST_LOG` says otherwise. A server
//! logs through a queue of its own, so that no task waits on a log reader.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use feedfold::pipeline::progress::Bar;

/// What `-q` logs: warnings and errors, but of what sources hold (an
/// entry's unreadable date, a page's markup, a sitemap's bad entry, all
/// under `feedfold::ingest`) only errors. Those warnings are the
/// upstream's to fix, and come again on every run while the upstream keeps
/// them; a source that fails is in the report `run -q` prints. What the
/// operator must fix about a source (a feed that moved, a drop folder
/// missing, a page the private-network rule refused) is warned of under
/// `feedfold::sources`, which `-q` keeps.
const QUIET: &str = "warn,html5ever=error,feedfold::ingest=error";

/// The HTML parser's own notes on the markup it repairs (`foster parenting
/// not implemented`, one for each piece of text a table holds directly):
/// markup the upstream wrote, repaired as browsers do, at every level
/// but `RUST_LOG`'s.
const PARSER: &str = "html5ever=error";

/// The log filter for `verbose` (`-v` counted) and `quiet` (`-q`), or
/// `rust_log` when it is set and not blank: feedfold's own events at
/// `info` by default, `debug` with `-v`, `trace` with `-vv`, and [`QUIET`]
/// with `-q`; other crates' at `warn` throughout, but for the HTML
/// parser's notes on markup ([`PARSER`]).
pub fn filter(verbose: u8, quiet: bool, rust_log: Option<&str>) -> String {
    if let Some(directives) = rust_log.filter(|d| !d.trim().is_empty()) {
        return directives.to_string();
    }
    let own = match (quiet, verbose) {
        (true, _) => return QUIET.to_string(),
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    format!("warn,{PARSER},feedfold={own}")
}

/// Starts logging to standard error (coloured on a terminal, unless
/// `NO_COLOR` is set); through a
/// [`Detached`] queue when `detached` (a server).
pub fn init(verbose: u8, quiet: bool, detached: bool) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(verbose, quiet, rust_log.as_deref());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter).unwrap_or_else(|e| {
        crate::console::errln!("feedfold: RUST_LOG: {e}; logging warnings only");
        tracing_subscriber::EnvFilter::new("warn")
    });
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(crate::console::coloured(&std::io::stderr()))
        // A log line that cannot be written is lost, never reported on
        // standard error (which would fail the same way and panic).
        .log_internal_errors(false);
    if detached {
        let queue = Detached::start(|| crate::console::Stderr);
        let _ = DETACHED.set(queue.clone());
        subscriber.with_writer(move || queue.clone()).init();
    } else {
        subscriber.with_writer(|| AroundBar).init();
    }
}

/// The progress bar on standard error, once `run` shows one.
static BAR: std::sync::OnceLock<Arc<Bar>> = std::sync::OnceLock::new();

/// Writes the log around `bar`, the progress bar shown on standard error:
/// each line above it, never in its row.
pub fn around(bar: Arc<Bar>) {
    let _ = BAR.set(bar);
}

/// Standard error for one log line (written whole, with one `write_all`),
/// with the progress bar, if one shows, cleared while it is written.
struct AroundBar;

impl AroundBar {
    /// Runs `write` on standard error, with the bar cleared around it.
    fn with_bar_cleared<R>(write: impl FnOnce(&mut crate::console::Stderr) -> R) -> R {
        let mut err = crate::console::Stderr;
        match BAR.get() {
            Some(bar) => bar.suspend(|| write(&mut err)),
            None => write(&mut err),
        }
    }
}

impl Write for AroundBar {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        Self::with_bar_cleared(|err| err.write(bytes))
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        Self::with_bar_cleared(|err| err.write_all(bytes))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        crate::console::Stderr.flush()
    }
}

/// The server's log queue, for [`drain`].
static DETACHED: std::sync::OnceLock<Detached> = std::sync::OnceLock::new();

/// How many log lines a server holds while standard error takes none.
const QUEUED_LINES: usize = 4096;

/// Waits until the server's queued log lines are written, for at most
/// `limit` (standard error may take none).
pub fn drain(limit: Duration) {
    if let Some(queue) = DETACHED.get() {
        queue.drain(limit);
    }
}

/// Log lines written to a stream by a thread of their own: a writer never
/// waits (so a stalled or closed log pipe holds up no request, cycle or
/// shutdown), and a line that finds the queue full is dropped and counted,
/// the count logged once lines get through again.
#[derive(Clone)]
struct Detached {
    queue: SyncSender<Vec<u8>>,
    /// Lines queued and not yet written.
    pending: Arc<AtomicU64>,
    /// Lines dropped since the last one written.
    dropped: Arc<AtomicU64>,
}

impl Detached {
    /// Starts the thread that writes queued lines to `stream()`.
    fn start<W: Write + 'static>(stream: fn() -> W) -> Detached {
        let (queue, lines) = std::sync::mpsc::sync_channel(QUEUED_LINES);
        let detached = Detached {
            queue,
            pending: Arc::default(),
            dropped: Arc::default(),
        };
        let writer = detached.clone();
        std::thread::spawn(move || writer.write_lines(lines, stream()));
        detached
    }

    /// Writes every line that arrives, saying first how many were dropped.
    fn write_lines(&self, lines: Receiver<Vec<u8>>, mut out: impl Write) {
        for line in lines {
            let dropped = self.dropped.swap(0, Ordering::Relaxed);
            if dropped > 0 {
                let _ = writeln!(
                    out,
                    "feedfold: {} dropped: standard error was not taking them",
                    feedfold::plural::count(dropped, "log line", "log lines")
                );
            }
            let _ = out.write_all(&line).and_then(|()| out.flush());
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Waits until every queued line is written, for at most `limit`.
    fn drain(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.pending.load(Ordering::Relaxed) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Write for Detached {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        self.pending.fetch_add(1, Ordering::Relaxed);
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
            self.queue.try_send(line.to_vec())
        {
            self.pending.fetch_sub(1, Ordering::Relaxed);
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream that takes nothing until `open` holds true.
    struct Stalled;

    static OPEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static TAKEN: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

    impl Write for Stalled {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            while !OPEN.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
            }
            TAKEN.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stalled_stream_never_holds_up_the_logger_and_drops_are_counted() {
        let mut log = Detached::start(|| Stalled);
        let began = Instant::now();
        for n in 0..QUEUED_LINES + 10 {
            log.write_all(format!("line {n}\n").as_bytes()).unwrap();
        }
        assert!(began.elapsed() < Duration::from_secs(5));
        OPEN.store(true, Ordering::Relaxed);
        log.drain(Duration::from_secs(10));
        log.write_all(b"after\n").unwrap();
        log.drain(Duration::from_secs(10));
        let taken = String::from_utf8(TAKEN.lock().unwrap().clone()).unwrap();
        // The oldest lines are kept and the newest dropped; the count comes
        // before the next line written after the drops, which is line 0 or
        // line 1 as the writer had taken line 0 before stalling or not.
        let lines: Vec<&str> = taken.lines().collect();
        assert!(
            lines.starts_with(&["line 0"]) || lines[1] == "line 0",
            "{taken}"
        );
        assert!(lines.contains(&"line 1"), "{taken}");
        let newest = format!("line {}", QUEUED_LINES + 9);
        assert!(!lines.contains(&newest.as_str()), "{taken}");
        assert!(taken.contains("log lines dropped"), "{taken}");
        assert!(taken.ends_with("after\n"), "{taken}");
    }

    #[test]
    fn levels_follow_the_flags_unless_rust_log_is_set() {
        assert_eq!(filter(0, false, None), "warn,html5ever=error,feedfold=info");
        assert_eq!(
            filter(1, false, None),
            "warn,html5ever=error,feedfold=debug"
        );
        assert_eq!(
            filter(2, false, None),
            "warn,html5ever=error,feedfold=trace"
        );
        assert_eq!(
            filter(5, false, None),
            "warn,html5ever=error,feedfold=trace"
        );
        assert_eq!(
            filter(0, true, None),
            "warn,html5ever=error,feedfold::ingest=error"
        );
        assert_eq!(filter(2, true, Some("feedfold=debug")), "feedfold=debug");
        assert_eq!(
            filter(1, false, Some("  ")),
            "warn,html5ever=error,feedfold=debug"
        );
    }
}
