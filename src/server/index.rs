//! `GET /`: a page (a `maud` template) listing each feed with its
//! subscribe links, entry count and last update, and each source's last
//! cycle's numbers as `run` reports them (new, already known, updated,
//! repeated lines folded, pages waiting for the next cycle; of a cycle
//! another process ran, which the store keeps, only the new articles and
//! whether it failed; of one this server skipped, leaving the source to
//! another process whose cycle it does not know of yet, none), with
//! `<link rel="alternate">` autodiscovery for every feed and a link to the
//! articles page (`articles`), which shares its look.
//! `GET /healthz`: the last cycle's time and status as JSON. Both are
//! public: a failing source (one backing off included) shows only the kind
//! of its failure; the details go to the log.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::Html;
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Serialize;

use super::AppState;
use super::schedule::Status;
use crate::model::{FeedSpec, rfc3339};
use crate::pipeline::SourceReport;
use crate::plural::count;
use crate::publish::{Format, feed_url};

/// The look of every page the server renders.
pub(super) const STYLE: &str = r#"
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --bg: #f6f7f9; --card: #fff;
  --line: #e2e5ea; --accent: #c2410c; --ok: #15803d; --bad: #b91c1c; }
@media (prefers-color-scheme: dark) { :root { --fg: #e7e9ee; --muted: #9aa3b2; --bg: #12151b;
  --card: #1b2029; --line: #2b3240; --accent: #fb923c; --ok: #4ade80; --bad: #f87171; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header h1 { margin: 0; font-size: 2rem; letter-spacing: -0.02em; }
header h1 span { color: var(--accent); }
header p { margin: .25rem 0 0; color: var(--muted); }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
.feeds { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); }
.feed { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: 1rem 1.1rem; }
.feed h3 { margin: 0 0 .25rem; font-size: 1.1rem; }
.feed p { margin: .25rem 0; color: var(--muted); font-size: .92rem; }
.subscribe { display: flex; gap: .5rem; margin-top: .75rem; flex-wrap: wrap; }
.subscribe a { text-decoration: none; font-weight: 600; font-size: .85rem; padding: .3rem .7rem;
  border-radius: 999px; border: 1px solid var(--accent); color: var(--accent); }
.subscribe a:hover { background: var(--accent); color: var(--card); }
.numbers { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.numbers div { background: var(--card); border: 1px solid var(--line); border-radius: .75rem;
  padding: .6rem 1rem; min-width: 8rem; }
.numbers b { display: block; font-size: 1.5rem; }
.numbers span { color: var(--muted); font-size: .85rem; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line);
  border-radius: .75rem; overflow: hidden; font-size: .92rem; }
th, td { text-align: left; padding: .55rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
tr:last-child td { border-bottom: 0; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.error { color: var(--bad); font-size: .85rem; word-break: break-word; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
"#;

/// Why a source's cycle another process ran shows only its new articles.
const ELSEWHERE: &str =
    "another process ran this cycle; the store keeps only its new articles and whether it failed";

/// Why a number of the last cycle shows `—`.
const ELSEWHERE_TOTAL: &str = "another process ran a source's latest cycle; the store keeps only its new articles and whether it failed";

/// Why the numbers of a cycle this server skipped show `—`.
const SKIPPED_HERE: &str =
    "this server left the source to another process, whose cycle it does not know of yet";

/// Why the new articles of the last cycle show `—`.
const SKIPPED_HERE_TOTAL: &str =
    "this server left a source to another process, whose cycle it does not know of yet";

fn format_label(format: Format) -> &'static str {
    match format {
        Format::Rss => "RSS",
        Format::Atom => "Atom",
        Format::Json => "JSON Feed",
    }
}

pub async fn index(State(state): State<Arc<AppState>>) -> Html<String> {
    let feeds = state.cache.all(&state.config.feeds);
    let status = state.status();
    let source_count = state.config.sources.len();
    let totals = Totals::of(&status);
    let failed = status.failed_sources().len();
    let when = status
        .last_cycle()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "not yet".into());
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "feedfold" }
                @for feed in &feeds {
                    @for format in Format::ALL {
                        link rel="alternate" type=(format.media_type())
                            title={ (feed.spec.title) " (" (format_label(format)) ")" }
                            href=(feed_url(&state.config.publish.base_url, &feed.spec.name, format));
                    }
                }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    header {
                        h1 { "feed" span { "fold" } }
                        p {
                            "News from " (source_count) " "
                            (if source_count == 1 { "source" } else { "sources" })
                            ", every repeat folded into one article."
                        }
                    }
                    p {
                        a href="articles" { "Stored articles, and the copies folded into each →" }
                    }
                    h2 { "Feeds" }
                    section.feeds {
                        @for feed in &feeds {
                            article.feed {
                                h3 { (feed.spec.title) }
                                p { (feed.spec.description.as_deref().unwrap_or("")) }
                                p {
                                    (feed.entries) @if feed.entries == 1 { " entry · " } @else { " entries · " }
                                    @match feed.updated {
                                        Some(t) => { "updated " (t.format("%Y-%m-%d %H:%M UTC")) }
                                        None => { "no entries yet" }
                                    }
                                }
                                p.subscribe {
                                    @for format in Format::ALL {
                                        a href=(feed_url(&state.config.publish.base_url, &feed.spec.name, format))
                                            type=(format.media_type()) { (format_label(format)) }
                                    }
                                }
                            }
                        }
                    }
                    h2 { "Last cycle" }
                    div.numbers {
                        @match totals.new {
                            Some(new) => div { b { (new) } span { "new articles" } },
                            None => div title=(SKIPPED_HERE_TOTAL) { b { "—" } span { "new articles" } },
                        }
                        (total(totals.known, "already known"))
                        (total(totals.updated, "updated"))
                        (total(totals.lines, "repeated lines folded"))
                        div { b { (failed) } span { "failed sources" } }
                        div { b { (when) } span { "last cycle ended" } }
                    }
                    table {
                        thead {
                            tr {
                                th { "Source" } th { "Last cycle" } th { "Result" }
                                th { "New" } th { "Known" } th { "Updated" } th { "Lines folded" }
                            }
                        }
                        tbody {
                            @for source in &state.config.sources {
                                (source_row(&status, &source.name))
                            }
                        }
                    }
                    footer {
                        "feedfold " (env!("CARGO_PKG_VERSION")) " · "
                        a href="articles" { "articles" } " · "
                        a href="healthz" { "health" }
                    }
                }
            }
        }
    };
    Html(page.into_string())
}

/// The table row of source `name`: its latest cycle, whoever ran it. Of a
/// cycle another process ran only the new articles are known; of one this
/// server skipped, leaving the source to another process whose cycle it
/// does not hold yet, none of the numbers.
fn source_row(status: &Status, name: &str) -> Markup {
    let Some((at, report)) = status.sources.get(name) else {
        return html! { tr { td { (name) } td { "pending" } td {} td {} td {} td {} td {} } };
    };
    let elsewhere = status.elsewhere.contains(name);
    let skipped_here = status.skipped_here(name);
    html! {
        tr {
            td { (name) }
            td { (cycle_moment(*at, Utc::now())) }
            td {
                @match report.public_failure() {
                    Some(class) => {
                        span.bad { "failing" }
                        div.error { (class) }
                    }
                    None => {
                        span.ok {
                            @if report.not_modified { "not modified" }
                            @else { "ok" }
                        }
                    }
                }
                @if report.waiting > 0 {
                    div { (count(report.waiting, "page", "pages")) " waiting for the next cycle" }
                }
                @if let (true, Some(reason)) = (elsewhere || skipped_here, &report.skipped) {
                    div { "skipped here: " (reason) }
                }
            }
            @if skipped_here {
                @for _ in 0..4 {
                    td title=(SKIPPED_HERE) { "—" }
                }
            } @else if elsewhere {
                td { (report.new) }
                @for _ in 0..3 {
                    td title=(ELSEWHERE) { "—" }
                }
            } @else {
                td { (report.new) }
                td { (report.known) }
                td { (report.updated) }
                td { (report.repeats_folded) }
            }
        }
    }
}

/// The last cycle's numbers, summed over every source's latest cycle. A
/// number the store does not keep of a cycle another process ran (all but
/// the new articles) has no sum while such a cycle is a source's latest:
/// it is `None`; no number has while a source's latest is a cycle this
/// server skipped, leaving it to another process it does not know the
/// cycle of yet.
#[derive(Debug, PartialEq, Eq)]
struct Totals {
    new: Option<usize>,
    /// Already known: read again (an entry of the last fetch, a dump read
    /// before) or a copy folded into a stored article; the cycle's report
    /// does not tell the two apart, so neither does the page.
    known: Option<usize>,
    updated: Option<usize>,
    lines: Option<usize>,
}

impl Totals {
    fn of(status: &Status) -> Totals {
        let reports: Vec<&SourceReport> = status.sources.values().map(|(_, r)| r).collect();
        let new_known = reports
            .iter()
            .all(|report| !status.skipped_here(&report.name));
        let all_known = new_known
            && reports
                .iter()
                .all(|report| !status.elsewhere.contains(&report.name));
        let sum = |count: fn(&SourceReport) -> usize| {
            all_known.then(|| reports.iter().map(|report| count(report)).sum())
        };
        Totals {
            new: new_known.then(|| reports.iter().map(|report| report.new).sum()),
            known: sum(|report| report.known),
            updated: sum(|report| report.updated),
            lines: sum(|report| report.repeats_folded),
        }
    }
}

/// When a source's latest cycle ended, as its row shows it at `now`: the
/// time of day of a cycle of today (UTC), else its date too, as the last
/// cycle above the table.
fn cycle_moment(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at.date_naive() == now.date_naive() {
        at.format("%H:%M:%S UTC").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }
}

/// A box of the last cycle's numbers: `total`, or `—` when it is not known.
fn total(total: Option<usize>, label: &str) -> Markup {
    html! {
        @match total {
            Some(total) => div { b { (total) } span { (label) } },
            None => div title=(ELSEWHERE_TOTAL) { b { "—" } span { (label) } },
        }
    }
}

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    last_cycle: Option<String>,
    sources: usize,
    failed_sources: Vec<String>,
    /// Feeds whose last publication could not write their files (they are
    /// served from memory meanwhile).
    failed_feeds: Vec<String>,
    /// `ok`, or why the store cannot be reached or written.
    store: String,
}

pub async fn healthz(State(state): State<Arc<AppState>>) -> Json<Health> {
    // A store file deleted or replaced is told at once, not at the next
    // poll; the status keeps why.
    let _ = super::store_file::in_place(&state);
    let status = state.status();
    let failed: Vec<String> = status
        .failed_sources()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut failed_feeds: Vec<String> = status
        .feeds
        .values()
        .filter(|report| report.error.is_some())
        .map(|report| report.name.clone())
        .collect();
    failed_feeds.sort_unstable();
    let last_cycle = status.last_cycle();
    Json(Health {
        status: overall(
            &status,
            state.config.sources.iter().map(|s| s.name.as_str()),
            &state.config.feeds,
        ),
        last_cycle: last_cycle.map(rfc3339),
        sources: state.config.sources.len(),
        failed_sources: failed,
        failed_feeds,
        store: status.store_trouble().unwrap_or_else(|| "ok".into()),
    })
}

/// `/healthz`'s `status` for a server reading the sources named `sources`
/// and publishing `feeds`: `degraded` while the store is in trouble or a
/// source or feed is failing, whatever the cycles have done; else
/// `starting` until every feed is rendered and every source's first cycle
/// has ended (a source still in it may have stored none of its articles; a
/// push-only server has no cycles); else `ok`.
fn overall<'a>(
    status: &Status,
    mut sources: impl Iterator<Item = &'a str>,
    feeds: &[FeedSpec],
) -> &'static str {
    let failing = !status.failed_sources().is_empty()
        || status.feeds.values().any(|report| report.error.is_some());
    let rendered = feeds
        .iter()
        .all(|spec| status.feeds.contains_key(&spec.name));
    let cycled = sources.all(|name| status.sources.contains_key(name));
    if status.store_trouble().is_some() || failing {
        "degraded"
    } else if !rendered || !cycled {
        "starting"
    } else {
        "ok"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::FeedReport;

    #[test]
    fn a_cycle_not_of_today_shows_its_date() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let cycle = at("2026-12-05T23:59:56Z");
        assert_eq!(
            cycle_moment(cycle, at("2026-12-05T23:59:59Z")),
            "23:59:56 UTC"
        );
        assert_eq!(
            cycle_moment(cycle, at("2026-12-06T00:00:00Z")),
            "2026-12-05 23:59:56 UTC"
        );
        // Another process's cycle kept under a clock ahead is dated too.
        assert_eq!(
            cycle_moment(at("2027-01-04T14:38:05Z"), at("2026-12-05T14:40:00Z")),
            "2027-01-04 14:38:05 UTC"
        );
    }

    fn feed(name: &str) -> FeedSpec {
        FeedSpec {
            name: name.into(),
            title: name.into(),
            description: None,
            sources: None,
            limit: 50,
        }
    }

    fn rendered(name: &str, error: Option<&str>) -> FeedReport {
        FeedReport {
            error: error.map(str::to_string),
            ..FeedReport::failed(name, String::new())
        }
    }

    #[test]
    fn the_last_cycles_numbers_another_process_ran_are_not_summed_as_zero() {
        let mut status = Status::default();
        let own = |name: &str| SourceReport {
            name: name.into(),
            new: 2,
            known: 3,
            updated: 1,
            repeats_folded: 4,
            ..SourceReport::default()
        };
        for name in ["desk", "wire"] {
            status.sources.insert(name.into(), (Utc::now(), own(name)));
        }
        assert_eq!(
            Totals::of(&status),
            Totals {
                new: Some(4),
                known: Some(6),
                updated: Some(2),
                lines: Some(8),
            }
        );
        // A cron run's cycle is the latest of one source: the store keeps
        // its new articles only.
        let theirs = SourceReport {
            name: "wire".into(),
            new: 1,
            ..SourceReport::default()
        };
        status.sources.insert("wire".into(), (Utc::now(), theirs));
        status.elsewhere.insert("wire".into());
        assert_eq!(
            Totals::of(&status),
            Totals {
                new: Some(3),
                known: None,
                updated: None,
                lines: None,
            }
        );
        let page = total(None, "already known").into_string();
        assert!(page.contains("<b>—</b>"), "{page}");
    }

    #[test]
    fn a_cycle_left_to_another_process_not_known_yet_shows_no_numbers() {
        let mut status = Status::default();
        let own = SourceReport {
            name: "desk".into(),
            new: 10,
            ..SourceReport::default()
        };
        status.sources.insert("desk".into(), (Utc::now(), own));
        // The other instance is still ingesting: this server's cycle
        // skipped the source, and nothing of the other's is known yet.
        let skipped = SourceReport {
            name: "wire".into(),
            skipped: Some("another process is ingesting it".into()),
            ..SourceReport::default()
        };
        status
            .sources
            .insert("wire".into(), (Utc::now(), skipped.clone()));
        assert!(status.skipped_here("wire") && !status.skipped_here("desk"));
        let row = source_row(&status, "wire").into_string();
        assert!(
            row.contains("skipped here: another process is ingesting it"),
            "{row}"
        );
        assert_eq!(row.matches(">—</td>").count(), 4, "{row}");
        assert!(!row.contains(">0</td>"), "{row}");
        assert_eq!(
            Totals::of(&status),
            Totals {
                new: None,
                known: None,
                updated: None,
                lines: None,
            }
        );
        // A source backing off is skipped, but failing, with its numbers.
        let backing_off = SourceReport {
            backing_off: true,
            skipped: Some("backing off until …".into()),
            ..skipped
        };
        status
            .sources
            .insert("wire".into(), (Utc::now(), backing_off));
        assert!(!status.skipped_here("wire"));
        let row = source_row(&status, "wire").into_string();
        assert!(
            row.contains("failing") && !row.contains("skipped here"),
            "{row}"
        );
        assert_eq!(Totals::of(&status).new, Some(10));
    }

    #[test]
    fn a_source_row_says_how_many_pages_wait_for_the_next_cycle() {
        let mut status = Status::default();
        let capped = SourceReport {
            name: "gazette".into(),
            new: 50,
            waiting: 120,
            ..SourceReport::default()
        };
        status
            .sources
            .insert("gazette".into(), (Utc::now(), capped.clone()));
        let row = source_row(&status, "gazette").into_string();
        assert!(
            row.contains("ok") && row.contains("120 pages waiting for the next cycle"),
            "{row}"
        );
        let read = SourceReport {
            waiting: 0,
            ..capped
        };
        status.sources.insert("gazette".into(), (Utc::now(), read));
        let row = source_row(&status, "gazette").into_string();
        assert!(!row.contains("waiting"), "{row}");
    }

    #[test]
    fn a_push_only_server_is_ok_once_its_feeds_are_rendered() {
        let feeds = [feed("all")];
        let mut status = Status::default();
        assert_eq!(overall(&status, std::iter::empty(), &feeds), "starting");
        status.feeds.insert("all".into(), rendered("all", None));
        assert_eq!(overall(&status, std::iter::empty(), &feeds), "ok");
        status
            .feeds
            .insert("all".into(), rendered("all", Some("disk full")));
        assert_eq!(overall(&status, std::iter::empty(), &feeds), "degraded");
    }

    #[test]
    fn a_server_is_starting_until_every_source_has_ended_its_first_cycle() {
        let feeds = [feed("all")];
        let mut status = Status::default();
        status.feeds.insert("all".into(), rendered("all", None));
        let ended = |name: &str| {
            let report = SourceReport {
                name: name.into(),
                ..SourceReport::default()
            };
            (Utc::now(), report)
        };
        status.sources.insert("desk".into(), ended("desk"));
        let both = || ["desk", "wire"].into_iter();
        assert_eq!(overall(&status, both(), &feeds), "starting");
        status.sources.insert("wire".into(), ended("wire"));
        assert_eq!(overall(&status, both(), &feeds), "ok");
    }

    #[test]
    fn failed_feeds_degrade_a_server_before_its_first_cycle() {
        let feeds = [feed("all")];
        let mut status = Status::default();
        status.feeds.insert("all".into(), rendered("all", None));
        assert_eq!(overall(&status, ["desk"].into_iter(), &feeds), "starting");
        status
            .feeds
            .insert("all".into(), rendered("all", Some("disk full")));
        assert_eq!(overall(&status, ["desk"].into_iter(), &feeds), "degraded");
        status.feeds.insert("all".into(), rendered("all", None));
        let report = SourceReport {
            name: "desk".into(),
            ..SourceReport::default()
        };
        status.sources.insert("desk".into(), (Utc::now(), report));
        assert_eq!(overall(&status, ["desk"].into_iter(), &feeds), "ok");
        status.write_error = Some(crate::pipeline::StoreFailure {
            kind: crate::store::StoreFailureKind::Full,
            message: "feedfold.db: database or disk is full".into(),
        });
        assert_eq!(overall(&status, ["desk"].into_iter(), &feeds), "degraded");
        status.write_error = None;
        status.store_error = Some("cannot connect to db.example:5432".into());
        assert_eq!(overall(&status, ["desk"].into_iter(), &feeds), "degraded");
        // The public word, not the host.
        assert_eq!(status.store_trouble().as_deref(), Some("unreachable"));
    }
}
