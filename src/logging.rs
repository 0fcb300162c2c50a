//! Where the log goes and how much of it: standard error, at the level
//! `-q` / `-v` / `-vv` ask for, unless `RUST_LOG` says otherwise.

use std::io::IsTerminal;

/// What `-q` logs: warnings and errors, but of what sources hold (an
/// entry's unreadable date, a page's markup, a sitemap's bad entry, all
/// under `feedfold::ingest`) only errors. Those warnings are the
/// upstream's to fix, and come again on every run while the upstream keeps
/// them; a source that fails is in the report `run -q` prints.
const QUIET: &str = "warn,feedfold::ingest=error";

/// The log filter for `verbose` (`-v` counted) and `quiet` (`-q`), or
/// `rust_log` when it is set and not blank: feedfold's own events at
/// `info` by default, `debug` with `-v`, `trace` with `-vv`, and [`QUIET`]
/// with `-q`; other crates' at `warn` throughout.
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
    format!("warn,feedfold={own}")
}

/// Starts logging to standard error (coloured on a terminal).
pub fn init(verbose: u8, quiet: bool) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(verbose, quiet, rust_log.as_deref());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter).unwrap_or_else(|e| {
        eprintln!("feedfold: RUST_LOG: {e}; logging warnings only");
        tracing_subscriber::EnvFilter::new("warn")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn levels_follow_the_flags_unless_rust_log_is_set() {
        assert_eq!(filter(0, false, None), "warn,feedfold=info");
        assert_eq!(filter(1, false, None), "warn,feedfold=debug");
        assert_eq!(filter(2, false, None), "warn,feedfold=trace");
        assert_eq!(filter(5, false, None), "warn,feedfold=trace");
        assert_eq!(filter(0, true, None), "warn,feedfold::ingest=error");
        assert_eq!(filter(2, true, Some("feedfold=debug")), "feedfold=debug");
        assert_eq!(filter(1, false, Some("  ")), "warn,feedfold=debug");
    }
}
