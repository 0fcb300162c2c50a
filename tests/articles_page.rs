//! The articles page end to end: `feedfold run` builds a store from dumps
//! and an upstream feed with known repeats, cycle by cycle; `feedfold
//! serve` on that store answers `/articles` with every article, where it
//! was seen (URLs redacted), the copies folded into it with their rule, a
//! page at a time, and per source the counts of its last cycles.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::Project;
use common::server::{Server, eventually};

/// A story the desk files first and the wire sends twice: the same copy,
/// then an updated one with a paragraph appended.
const BRIDGE: &str = "Harbour Bridge Reopens After Repairs
2026-11-20

The harbour bridge reopened to traffic on Friday morning after eleven months of repairs to its steel deck and cables.

Engineers replaced more than four hundred rusted bolts and resurfaced both lanes, the city's transport office said in a statement.

Cyclists will get a separate lane on the eastern side from next spring, once the new railings have been delivered and fitted.

The repairs cost about forty million euros, slightly less than the council had set aside when the bridge was closed last year.
";

const BRIDGE_APPENDED: &str = "
Traffic was light on the first morning, but officials expect queues at the southern end once schools return next week.
";

const DESK: &str = "Night Market Moves to the Old Station
2026-11-18

The weekly night market will move to the old railway station from December, its organisers said on Wednesday.

Stallholders had asked for a covered site after a wet autumn kept visitors away on most Thursdays.

Library Extends Weekend Opening Hours
2026-11-19

The central library will stay open until eight on Saturdays and Sundays from next month.

The longer hours are paid for by a grant from the regional culture fund, which runs for two years.
";

const WIRE: &str = "Ferry Timetable Changes for Winter
2026-11-21

Ferries to the islands will run every two hours instead of every hour from the first of December.

The operator said the winter timetable follows the pattern of previous years and ends in March.
";

const WIRE_LATER: &str = "Snow Expected on High Ground
2026-11-22

Forecasters expect the first snow of the season on high ground on Sunday night.

Roads over the passes may close for a few hours on Monday morning, the highways agency warned.
";

fn config(upstream: &str) -> String {
    format!(
        r#"
[publish]
base_url = "http://feeds.example"

[server]
bind = "127.0.0.1:0"

[schedule]
interval = "1h"

[fetch]
allow_private = true

[[source]]
name = "desk"
text = "dumps/desk/*.txt"

[[source]]
name = "wire"
text = "dumps/wire/*.txt"

[[source]]
name = "ledger"
feed = "http://reader:hunter2@{upstream}/feeds/rss20.xml?key=s3cret"

[[source]]
name = "bulk"
text = "dumps/bulk.txt"

[[feed]]
name = "all"
title = "Everything"
"#
    )
}

fn run(project: &Project, succeeds: bool) {
    let out = project.feedfold(&["run"]);
    assert_eq!(out.status.success(), succeeds, "{:?}", common::text(&out));
}

fn get(server: &Server, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .get(server.url(path))
        .send()
        .expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().expect("body"), headers)
}

/// The part of `html` from `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}

/// Each article block of a page.
fn stories(html: &str) -> Vec<&str> {
    html.split(r#"<article class="story">"#)
        .skip(1)
        .map(|block| block.split("</article>").next().unwrap())
        .collect()
}

fn story_id(block: &str) -> String {
    between(block, "<code>", "</code>").unwrap().to_string()
}

fn story_title(block: &str) -> String {
    let h3 = between(block, "<h3>", "</h3>").unwrap();
    between(h3, "\">", "</a>").unwrap().to_string()
}

/// A link of the pager (`next` or `prev`), as a path: the links are
/// relative to the page, which the server serves at `/articles`.
fn pager_link(html: &str, rel: &str) -> Option<String> {
    let pager = between(html, r#"<nav class="pager""#, "</nav>")?;
    let pattern = regex::Regex::new(&format!(r#"href="([^"]+)" rel="{rel}""#)).unwrap();
    pattern
        .captures(pager)
        .map(|c| format!("/{}", c[1].replace("&amp;", "&")))
}

/// The rows of a source's numbers table, newest first: (new, folded, result).
fn cycle_rows(html: &str, source: &str) -> Vec<(u32, u32, String)> {
    let figure = between(
        html,
        &format!(r#"<figure class="chart"><figcaption>{source}<span>"#),
        "</figure>",
    )
    .unwrap_or_else(|| panic!("no chart for {source}"));
    let rows = regex::Regex::new(
        r"<tr><td>[^<]+ UTC</td><td>(\d+)</td><td>(\d+)</td><td>(?:<span[^>]*>)?([a-z]+)",
    )
    .unwrap();
    rows.captures_iter(figure)
        .map(|c| {
            (
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
                c[3].to_string(),
            )
        })
        .collect()
}

#[test]
fn articles_page_shows_sightings_folds_pages_and_cycles() {
    let (upstream, _) = common::upstream::start();
    let project = Project::new(&config(&upstream.to_string()));
    project.write("dumps/desk/monday.txt", &format!("{BRIDGE}\n{DESK}"));
    project.write("dumps/wire/a.txt", &format!("{BRIDGE}\n{WIRE}"));
    project.write("dumps/bulk.txt", &common::generated_dump(7, 30));
    // Cycle 1: the desk's three stories, the wire's exact copy of the
    // bridge story and one of its own, the feed, the bulk.
    run(&project, true);
    // Cycle 2: the wire's updated bridge story and one more story.
    project.write(
        "dumps/wire/b.txt",
        &format!("{BRIDGE}{BRIDGE_APPENDED}\n{WIRE_LATER}"),
    );
    run(&project, true);
    // Cycle 3: nothing new; the files read again are no fold. The bulk
    // dump is gone: its source fails from now on.
    std::fs::remove_file(project.path("dumps/bulk.txt")).unwrap();
    run(&project, false);

    let server = Server::start(&project, &[]);
    // The server's own first cycle of each source is the fourth.
    let mut html = String::new();
    assert!(
        eventually(Duration::from_secs(30), || {
            html = get(&server, "/articles").1;
            ["desk", "wire", "ledger", "bulk"]
                .iter()
                .all(|s| cycle_rows(&html, s).len() == 4)
        }),
        "the server's cycle is kept: {html}"
    );
    let (status, html, headers) = get(&server, "/articles");
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(!html.contains("<script"), "no script");

    // The charts: per source, newest cycle first in the numbers.
    let ok = |new, folded| (new, folded, "ok".to_string());
    assert_eq!(
        cycle_rows(&html, "desk"),
        [ok(0, 0), ok(0, 0), ok(0, 0), ok(3, 0)]
    );
    assert_eq!(
        cycle_rows(&html, "wire"),
        [ok(0, 0), ok(0, 0), ok(1, 1), ok(1, 1)]
    );
    let failed = (0, 0, "failed".to_string());
    assert_eq!(
        cycle_rows(&html, "bulk"),
        [failed.clone(), failed, ok(0, 0), ok(30, 0)]
    );
    let bulk = between(&html, "<figcaption>bulk<span>", "</svg>").unwrap();
    assert_eq!(bulk.matches(r#"<circle class="failed""#).count(), 2);
    assert!(bulk.contains("2 cycles failed"), "{bulk}");
    assert!(html.contains("<span>3 new, 0 folded in the last 4 cycles</span>"));
    assert!(html.contains("<span>2 new, 2 folded in the last 4 cycles</span>"));
    assert!(html.contains(r#"role="img" aria-labelledby="chart-1-title chart-1-desc""#));
    assert!(html.contains(
        r#"<title id="chart-1-title">wire: new articles and folded copies per cycle</title>"#
    ));
    let desc = between(&html, r#"<desc id="chart-1-desc">"#, "</desc>").unwrap();
    assert!(
        desc.contains("2 new, 2 folded in the last 4 cycles"),
        "{desc}"
    );
    assert!(html.contains("<svg"));

    // The index page links here.
    let (_, index, _) = get(&server, "/");
    assert!(index.contains(r#"href="articles""#));

    // Walk every page, older and older: each article once, newest first.
    let mut pages = vec![html.clone()];
    while let Some(next) = pager_link(pages.last().unwrap(), "next") {
        let (status, page, _) = get(&server, &next);
        assert_eq!(status, 200, "{next}");
        pages.push(page);
        assert!(pages.len() < 10, "the pages end");
    }
    assert!(pages.len() >= 2, "more articles than fit on a page");
    assert_eq!(pager_link(&pages[0], "prev"), None);
    let all: Vec<&str> = pages.iter().flat_map(|p| stories(p)).collect();
    let ids: Vec<String> = all.iter().map(|b| story_id(b)).collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "each once"
    );
    let titles: Vec<String> = all.iter().map(|b| story_title(b)).collect();
    let position = |title: &str| {
        titles
            .iter()
            .position(|t| t == title)
            .unwrap_or_else(|| panic!("{title} is listed: {titles:?}"))
    };
    // Dated stories, newest first.
    assert!(
        position("Snow Expected on High Ground") < position("Ferry Timetable Changes for Winter")
    );
    assert!(
        position("Ferry Timetable Changes for Winter")
            < position("Harbour Bridge Reopens After Repairs")
    );
    assert!(
        position("Library Extends Weekend Opening Hours")
            < position("Night Market Moves to the Old Station")
    );
    // 30 bulk + 3 desk + 2 wire + the feed's entries.
    let entries = ids.len() - 35;
    assert!(entries >= 2, "{titles:?}");
    // Back from the second page: the first page again.
    let back = pager_link(&pages[1], "prev").expect("a newer page");
    let (_, first_again, _) = get(&server, &back);
    let again: Vec<String> = stories(&first_again).iter().map(|b| story_id(b)).collect();
    let first: Vec<String> = stories(&pages[0]).iter().map(|b| story_id(b)).collect();
    assert_eq!(again, first);
    assert_eq!(first.len(), feedfold::server::articles::PAGE_SIZE);
    // Nothing is newer than the newest: the page says so, and leads back.
    let (status, newest, _) = get(
        &server,
        &format!("/articles?newer_than={}", first[0].replace(':', "%3A")),
    );
    assert_eq!(status, 200);
    assert!(stories(&newest).is_empty(), "{newest}");
    assert!(
        newest.contains("No article is newer than that one.")
            && !newest.contains("No article is stored yet")
            && newest.contains(r#"<a href="articles">The newest articles</a>"#),
        "{newest}"
    );

    // The bridge story: seen by the desk, then twice by the wire; both wire
    // copies folded into it, with their rules, as `dups` gives them.
    let bridge = all[position("Harbour Bridge Reopens After Repairs")];
    for (source, file) in [
        ("desk", "dumps/desk/monday.txt"),
        ("wire", "dumps/wire/a.txt"),
        ("wire", "dumps/wire/b.txt"),
    ] {
        // Files are recorded relative to the config's folder.
        let place = format!("{source}: {file} line 1");
        assert!(bridge.contains(&place), "{place} in {bridge}");
    }
    assert!(bridge.contains("Seen 3 times"), "{bridge}");
    assert!(bridge.contains("2 copies folded into it"), "{bridge}");
    assert!(
        bridge.contains(r#"<span class="rule">exact</span>, 0 bits apart"#),
        "{bridge}"
    );
    let dups = project.feedfold(&["dups"]);
    let dups = String::from_utf8_lossy(&dups.stdout).to_string();
    let near = dups
        .lines()
        .find(|l| !l.starts_with(' ') && !l.contains("  exact"))
        .unwrap_or_else(|| panic!("a near fold: {dups}"));
    let (rule, why) = near.split_once("  ").unwrap().1.split_once(',').unwrap();
    assert!(
        bridge.contains(&format!(r#"<span class="rule">{rule}</span>,{why}"#)),
        "{rule},{why} in {bridge}"
    );
    assert!(why.contains("replaced the stored text (longer)"), "{near}");
    // Its permalink starts a page with it.
    let link = between(bridge, "<h3><a href=\"", "\"").unwrap();
    let (_, own, _) = get(&server, &format!("/{}", link.replace("&amp;", "&")));
    assert_eq!(
        story_title(stories(&own)[0]),
        "Harbour Bridge Reopens After Repairs"
    );

    // A feed entry's place is its URL, without credentials or query values.
    let entry = all
        .iter()
        .find(|b| b.contains("ledger: "))
        .expect("a feed entry");
    assert!(
        entry.contains(&format!(
            "ledger: http://{upstream}/feeds/rss20.xml?key=*** line"
        )),
        "{entry}"
    );
    for page in &pages {
        assert!(!page.contains("hunter2") && !page.contains("s3cret"));
    }

    // A page that names no stored article, or both ends, is an error page.
    let (status, missing, _) = get(&server, "/articles?from=tag%3Anothing");
    assert_eq!(status, 404);
    assert!(missing.contains("No such article"));
    let (status, _, _) = get(&server, "/articles?from=a&newer_than=b");
    assert_eq!(status, 400);
}
