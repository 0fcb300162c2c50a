//! `GET /`: a page listing each feed with its subscribe links, entry count
//! and last update, and the last cycle's numbers, with `<link
//! rel="alternate">` autodiscovery for every feed. `GET /healthz`: the last
//! cycle's time and status as JSON.

use std::fmt::Write;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::Html;
use serde::Serialize;

use super::AppState;
use crate::model::rfc3339;
use crate::publish::Format;
use crate::publish::entry_html::escape;

const STYLE: &str = r#"
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
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>feedfold</title>\n",
    );
    for feed in &feeds {
        for format in Format::ALL {
            let _ = writeln!(
                page,
                "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"/feeds/{}.{}\">",
                format.media_type(),
                escape(&feed.spec.title),
                format_label(format),
                escape(&feed.spec.name),
                format.extension()
            );
        }
    }
    let _ = write!(
        page,
        "<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<header><h1>feed<span>fold</span></h1>\
         <p>News from {} {}, every repeat folded into one article.</p></header>\n\
         <h2>Feeds</h2>\n<section class=\"feeds\">\n",
        state.config.sources.len(),
        if state.config.sources.len() == 1 {
            "source"
        } else {
            "sources"
        }
    );
    for feed in &feeds {
        let description = feed.spec.description.as_deref().unwrap_or("");
        let updated = feed
            .updated
            .map(|t| format!("updated {}", t.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_else(|| "no entries yet".into());
        let _ = write!(
            page,
            "<article class=\"feed\"><h3>{}</h3><p>{}</p><p>{} entries · {}</p><p class=\"subscribe\">",
            escape(&feed.spec.title),
            escape(description),
            feed.entries,
            updated
        );
        for format in Format::ALL {
            let _ = write!(
                page,
                "<a href=\"/feeds/{}.{}\" type=\"{}\">{}</a>",
                escape(&feed.spec.name),
                format.extension(),
                format.media_type(),
                format_label(format)
            );
        }
        page.push_str("</p></article>\n");
    }
    page.push_str("</section>\n<h2>Last cycle</h2>\n");
    let reports: Vec<_> = status.sources.values().collect();
    let new: usize = reports.iter().map(|(_, r)| r.new).sum();
    let repeats: usize = reports.iter().map(|(_, r)| r.known + r.updated).sum();
    let lines: usize = reports.iter().map(|(_, r)| r.repeats_folded).sum();
    let failed = status.failed_sources().len();
    let when = status
        .last_cycle()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "not yet".into());
    let _ = write!(
        page,
        "<div class=\"numbers\"><div><b>{new}</b><span>new articles</span></div>\
         <div><b>{repeats}</b><span>repeats folded</span></div>\
         <div><b>{lines}</b><span>repeated lines folded</span></div>\
         <div><b>{failed}</b><span>failed sources</span></div>\
         <div><b>{when}</b><span>last cycle ended</span></div></div>\n\
         <table><thead><tr><th>Source</th><th>Last cycle</th><th>Result</th><th>New</th><th>Repeats</th><th>Lines folded</th></tr></thead><tbody>\n"
    );
    for source in &state.config.sources {
        match status.sources.get(&source.name) {
            Some((at, report)) => {
                let result = if report.errors.is_empty() {
                    let text = if report.skipped.is_some() {
                        "skipped"
                    } else if report.not_modified {
                        "not modified"
                    } else {
                        "ok"
                    };
                    format!("<span class=\"ok\">{text}</span>")
                } else {
                    let errors: Vec<String> = report.errors.iter().map(|e| escape(e)).collect();
                    format!(
                        "<span class=\"bad\">failed</span><div class=\"error\">{}</div>",
                        errors.join("<br>")
                    )
                };
                let _ = writeln!(
                    page,
                    "<tr><td>{}</td><td>{}</td><td>{result}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&source.name),
                    at.format("%H:%M:%S UTC"),
                    report.new,
                    report.known + report.updated,
                    report.repeats_folded
                );
            }
            None => {
                let _ = writeln!(
                    page,
                    "<tr><td>{}</td><td>pending</td><td></td><td></td><td></td><td></td></tr>",
                    escape(&source.name)
                );
            }
        }
    }
    let _ = write!(
        page,
        "</tbody></table>\n<footer>feedfold {} · <a href=\"/healthz\">health</a></footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    Html(page)
}

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    last_cycle: Option<String>,
    sources: usize,
    failed_sources: Vec<String>,
}

pub async fn healthz(State(state): State<Arc<AppState>>) -> Json<Health> {
    let status = state.status();
    let failed: Vec<String> = status
        .failed_sources()
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    let last_cycle = status.last_cycle();
    Json(Health {
        status: match (last_cycle, failed.is_empty()) {
            (None, _) => "starting",
            (Some(_), true) => "ok",
            (Some(_), false) => "degraded",
        },
        last_cycle: last_cycle.map(rfc3339),
        sources: state.config.sources.len(),
        failed_sources: failed,
    })
}
