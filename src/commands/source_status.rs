//! What `feedfold sources` shows of each configured source (kind, where
//! it reads from, and for a source that fetches: the last result, when it
//! was last fetched, failures in a row, when it is fetched next), as text
//! or one JSON object per line; and `feedfold sources reset`, which clears
//! the fetch state of the sources named so that the next run fetches them
//! at once. Locations and causes are shown redacted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::config::{Config, SourceConfig, SourceKind};
use crate::ingest::fetch_state::{FetchState, Outcome};
use crate::ingest::source;
use crate::model::rfc3339;
use crate::store::{Store, StoreError};

/// One configured source and what the store remembers of fetching it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub name: String,
    /// `text`, `feed`, `pages` or `sitemap`.
    pub kind: &'static str,
    /// The path, glob or URL, redacted.
    pub location: String,
    /// The fetch state at the source's location now; `None` for a source
    /// that reads local files every run and keeps none.
    pub state: Option<FetchState>,
}

/// The status of every configured source, in config order.
pub fn statuses(config: &Config, store: &mut dyn Store) -> Result<Vec<SourceStatus>, StoreError> {
    config
        .sources
        .iter()
        .map(|source| {
            let state = match source::from_config(source, config.folder()).fetches_from() {
                Some(location) => Some(store.fetch_state(&source.name)?.applying_to(&location)),
                None => None,
            };
            Ok(SourceStatus {
                name: source.name.clone(),
                kind: kind(source),
                location: crate::redact::urls_in(&location(source)).into_owned(),
                state,
            })
        })
        .collect()
}

fn kind(source: &SourceConfig) -> &'static str {
    match source.kind {
        SourceKind::Text(_) => "text",
        SourceKind::Feed { .. } => "feed",
        SourceKind::Pages(_) => "pages",
        SourceKind::Sitemap { .. } => "sitemap",
    }
}

fn location(source: &SourceConfig) -> String {
    match &source.kind {
        SourceKind::Text(pattern) | SourceKind::Pages(pattern) => pattern.display().to_string(),
        SourceKind::Feed { location, .. } | SourceKind::Sitemap { location, .. } => {
            location.to_string()
        }
    }
}

/// The last result as a phrase: `ok`, `not modified`, `failed: CAUSE`, or
/// `never fetched`.
fn last_result(state: &FetchState) -> String {
    match state.last_outcome {
        Some(Outcome::Fetched) => "ok".to_string(),
        Some(Outcome::NotModified) => "not modified".to_string(),
        Some(Outcome::Failed) => format!(
            "failed: {}",
            crate::redact::urls_in(state.last_error.as_deref().unwrap_or("unknown"))
        ),
        None => "never fetched".to_string(),
    }
}

/// When the source is fetched next, as a phrase; a next attempt kept
/// further off than the policy allows is named, as the run does not hold
/// to it.
fn next_attempt(state: &FetchState, now: DateTime<Utc>) -> String {
    match state.next_attempt {
        Some(at) if state.beyond_the_policy(now) => format!(
            "on the next run (the store says backing off until {}, further off than \
             any backoff allows: kept under a clock that ran ahead)",
            rfc3339(at)
        ),
        Some(at) if at > now => format!("backing off until {}", rfc3339(at)),
        _ => "on the next run".to_string(),
    }
}

/// The text `feedfold sources` prints for one source: a line naming it,
/// then one line per fact.
pub fn human_lines(status: &SourceStatus, now: DateTime<Utc>) -> String {
    let mut out = format!(
        "source {} ({}): {}",
        status.name, status.kind, status.location
    );
    let Some(state) = &status.state else {
        out.push_str("\n  reads local files every run; keeps no fetch state");
        return out;
    };
    let fetched = state
        .last_attempt
        .map_or_else(|| "never".to_string(), rfc3339);
    out.push_str(&format!(
        "\n  last result:  {}\n  last fetched: {fetched}\n  failures:     {} in a row\n  next attempt: {}",
        last_result(state),
        state.failures,
        next_attempt(state, now)
    ));
    out
}

#[derive(Serialize)]
struct StatusJson<'a> {
    name: &'a str,
    kind: &'a str,
    location: &'a str,
    fetches: bool,
    last_result: Option<&'static str>,
    last_error: Option<String>,
    last_fetched: Option<String>,
    failures: u32,
    next_attempt: Option<String>,
    backing_off: bool,
}

/// One JSON object (no trailing newline) for one source: `name`, `kind`,
/// `location`, `fetches`, `last_result` (`ok`, `not-modified`, `failed` or
/// `null`), `last_error`, `last_fetched`, `failures`, `next_attempt` (`null`
/// when due) and `backing_off`.
pub fn json_line(status: &SourceStatus, now: DateTime<Utc>) -> String {
    let state = status.state.clone().unwrap_or_default();
    let backing_off = !state.due(now);
    let record = StatusJson {
        name: &status.name,
        kind: status.kind,
        location: &status.location,
        fetches: status.state.is_some(),
        last_result: state.last_outcome.map(Outcome::as_str),
        last_error: state
            .last_error
            .as_deref()
            .map(|e| crate::redact::urls_in(e).into_owned()),
        last_fetched: state.last_attempt.map(rfc3339),
        failures: state.failures,
        next_attempt: state.next_attempt.filter(|_| backing_off).map(rfc3339),
        backing_off,
    };
    serde_json::to_string(&record).expect("a status serializes")
}

/// `feedfold sources reset` named sources the config does not have.
#[derive(Debug, Error)]
#[error("no {} named {} in {config}; the sources are: {known}", if names.len() == 1 { "source" } else { "sources" }, quoted_list(names))]
pub struct UnknownSources {
    names: Vec<String>,
    config: String,
    known: String,
}

/// `names` each in quotes, separated by commas.
fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("{name:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sources `names` names (every configured source when empty), for
/// `sources reset`. Every name is checked before any store is opened, and
/// every unknown one named.
pub fn chosen<'a>(
    config: &'a Config,
    names: &[String],
) -> Result<Vec<&'a SourceConfig>, UnknownSources> {
    let find = |name: &String| config.sources.iter().find(|s| &s.name == name);
    let unknown: Vec<String> = names
        .iter()
        .filter(|n| find(n).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(UnknownSources {
            names: unknown,
            config: config.file.display().to_string(),
            known: config
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(if names.is_empty() {
        config.sources.iter().collect()
    } else {
        names.iter().filter_map(find).collect()
    })
}

/// Clears the fetch state of `chosen` (sources of `config`, see [`chosen`]),
/// so the next run fetches them at once and unconditionally. Returns one
/// line per source saying what was done.
pub fn reset(
    config: &Config,
    store: &mut dyn Store,
    chosen: &[&SourceConfig],
) -> Result<Vec<String>, StoreError> {
    let mut lines = Vec::with_capacity(chosen.len());
    for source in chosen {
        let cleared = store.clear_fetch_state(&source.name)?;
        let fetches = source::from_config(source, config.folder())
            .fetches_from()
            .is_some();
        lines.push(match (fetches, cleared) {
            (true, true) => format!(
                "source {}: fetch state cleared; fetched at once on the next run",
                source.name
            ),
            (true, false) => format!(
                "source {}: nothing to clear; fetched on the next run",
                source.name
            ),
            (false, _) => format!(
                "source {}: reads local files every run; keeps no fetch state",
                source.name
            ),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn config() -> Config {
        Config::parse(
            r#"
[[source]]
name = "desk"
text = "dumps/*.txt"

[[source]]
name = "wire"
feed = "https://user:pw@up.example/news.rss?key=s3cret"

[[source]]
name = "site"
sitemap = "https://site.example/sitemap.xml"

[[feed]]
name = "all"
title = "All"
"#,
            std::path::Path::new("/srv/feedfold/config.toml"),
        )
        .unwrap()
    }

    const WIRE: &str = "https://user:pw@up.example/news.rss?key=s3cret";

    /// The state of a source at `location` after two failures with `error`.
    fn backing_off(location: &str, error: &str) -> FetchState {
        FetchState::fresh(location)
            .failed(error, None, now())
            .failed(error, None, now())
    }

    #[test]
    fn each_source_shows_its_state_redacted() {
        let config = config();
        let mut store = SqliteStore::open_in_memory().unwrap();
        let failing = backing_off(WIRE, "https://up.example/news.rss?key=***: HTTP 404");
        store.put_fetch_state("wire", &failing).unwrap();
        let statuses = statuses(&config, &mut store).unwrap();
        let text: Vec<String> = statuses.iter().map(|s| human_lines(s, now())).collect();
        assert_eq!(
            text[0],
            "source desk (text): /srv/feedfold/dumps/*.txt\n  reads local files every run; keeps no fetch state"
        );
        assert_eq!(
            text[1],
            "source wire (feed): https://up.example/news.rss?key=***\n\
             \x20 last result:  failed: https://up.example/news.rss?key=***: HTTP 404\n\
             \x20 last fetched: 2026-12-01T10:00:00Z\n\
             \x20 failures:     2 in a row\n\
             \x20 next attempt: backing off until 2026-12-01T10:05:00Z"
        );
        assert!(
            text[2].contains("last result:  never fetched"),
            "{}",
            text[2]
        );
        assert!(text[2].contains("next attempt: on the next run"));
        let json = json_line(&statuses[1], now());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["kind"], "feed");
        assert_eq!(value["last_result"], "failed");
        assert_eq!(value["failures"], 2);
        assert_eq!(value["backing_off"], true);
        assert_eq!(value["next_attempt"], "2026-12-01T10:05:00Z");
        assert!(!json.contains("s3cret") && !json.contains("pw@"), "{json}");
        let later = now() + chrono::Duration::hours(1);
        assert!(human_lines(&statuses[1], later).contains("next attempt: on the next run"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&json_line(&statuses[0], now())).unwrap()["fetches"],
            false
        );
    }

    #[test]
    fn a_next_attempt_kept_under_a_clock_ahead_is_named_and_not_held_to() {
        let config = config();
        let mut store = SqliteStore::open_in_memory().unwrap();
        let ahead = now() + chrono::Duration::days(30);
        let parked = FetchState::fresh(WIRE)
            .failed("HTTP 500", None, ahead)
            .failed("HTTP 500", None, ahead);
        store.put_fetch_state("wire", &parked).unwrap();
        let statuses = statuses(&config, &mut store).unwrap();
        let shown = human_lines(&statuses[1], now());
        assert!(
            shown.ends_with(
                "next attempt: on the next run (the store says backing off until \
                 2026-12-31T10:05:00Z, further off than any backoff allows: \
                 kept under a clock that ran ahead)"
            ),
            "{shown}"
        );
        let value: serde_json::Value =
            serde_json::from_str(&json_line(&statuses[1], now())).unwrap();
        assert_eq!(value["backing_off"], false);
        assert_eq!(value["next_attempt"], serde_json::Value::Null);
    }

    #[test]
    fn a_state_recorded_for_another_url_shows_as_never_fetched() {
        let config = config();
        let mut store = SqliteStore::open_in_memory().unwrap();
        let old = backing_off("https://up.example/newz.rss", "HTTP 404");
        store.put_fetch_state("wire", &old).unwrap();
        let statuses = statuses(&config, &mut store).unwrap();
        let shown = human_lines(&statuses[1], now());
        assert!(shown.contains("never fetched"), "{shown}");
        assert!(shown.contains("on the next run"), "{shown}");
    }

    #[test]
    fn reset_clears_the_chosen_sources_and_unknown_names_are_refused() {
        let config = config();
        let mut store = SqliteStore::open_in_memory().unwrap();
        let failing = backing_off(WIRE, "x");
        store.put_fetch_state("wire", &failing).unwrap();
        store.put_fetch_state("site", &failing).unwrap();
        let unknown = chosen(&config, &["wire".into(), "wirre".into()]).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "no source named \"wirre\" in /srv/feedfold/config.toml; the sources are: desk, wire, site"
        );
        let several =
            chosen(&config, &["wirre".into(), "wire".into(), "sight".into()]).unwrap_err();
        assert_eq!(
            several.to_string(),
            "no sources named \"wirre\", \"sight\" in /srv/feedfold/config.toml; the sources are: desk, wire, site"
        );
        let reset = |store: &mut SqliteStore, names: &[String]| {
            reset(&config, store, &chosen(&config, names).unwrap()).unwrap()
        };
        let lines = reset(&mut store, &["wire".into()]);
        assert_eq!(
            lines,
            ["source wire: fetch state cleared; fetched at once on the next run"]
        );
        assert_eq!(store.fetch_state("wire").unwrap(), FetchState::default());
        assert_eq!(store.fetch_state("site").unwrap(), failing);
        let all = reset(&mut store, &[]);
        assert_eq!(
            all,
            [
                "source desk: reads local files every run; keeps no fetch state",
                "source wire: nothing to clear; fetched on the next run",
                "source site: fetch state cleared; fetched at once on the next run",
            ]
        );
    }
}
