//! The articles page end to end: `feedfold run` builds a store from dumps
//! and an upstream feed with known repeats, cycle by cycle; `feedfold
//! serve` on that store answers `/articles` with every article, where it
//! was seen (URLs redacted), the copies folded into it with their rule, a
//! page at a time, and per source the counts of its last cycles. A link
//! to a page that starts from an article a push then merged into another
//! leads to the same page from that one.

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

const PUSH_TOKEN: &str = "page-walk-token-81c2";

/// A server taking pushes (from its `local` source too), with no source
/// of its own.
fn push_config() -> String {
    format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [server]\nbind = \"127.0.0.1:0\"\ntoken = \"{PUSH_TOKEN}\"\npush_sources = [\"local\"]\n\n\
         [schedule]\ninterval = \"1h\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
    )
}

/// Pushes `body`; the ids of the articles the answer names.
fn push(server: &Server, body: serde_json::Value) -> Vec<String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::blocking::Client::new()
        .post(server.url("/api/articles"))
        .bearer_auth(PUSH_TOKEN)
        .json(&body)
        .send()
        .expect("push");
    assert!(response.status().is_success(), "{}", response.status());
    let answer: serde_json::Value = response.json().unwrap();
    answer["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

/// The status and `Location` `server` answers at `path`, redirects not
/// followed.
fn redirect_of(server: &Server, path: &str) -> (u16, Option<String>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url(path))
        .send()
        .expect("request");
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    (response.status().as_u16(), location)
}

const HARBOUR: [&str; 4] = [
    "The board of the Port of Calder voted on Monday to approve a long-delayed expansion of the northern harbour, ending a dispute with fishing cooperatives that had stalled the project for more than a year.",
    "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for the town's fishing fleet, which had objected to earlier drafts.",
    "\"Nobody got everything they wanted, and that is usually the sign of a fair deal,\" board chair Imogen Ashworth told reporters after the vote.",
    "Construction is expected to begin in the spring and to take three years.",
];

const HARBOUR_MORE: &str = "Environmental groups said on Tuesday evening they would study the final plan before deciding whether to appeal.";

/// A reader's "Older →" link names the article the next page starts
/// with; once a push merges that article into another, following the
/// link redirects to the same page from the article it went into, which
/// shows that article (with the merged one among its folded copies) and
/// the older ones. `newer_than` is redirected the same way; an id the
/// store never held is still 404.
#[test]
fn a_page_link_to_an_article_merged_away_leads_to_the_one_it_went_into() {
    use serde_json::json;
    let project = Project::new(&push_config());
    let server = Server::start(&project, &[]);
    let dated = "2026-12-04T20:00:00Z";
    let older = json!({"title": "Library Extends Opening Hours", "id": "lib-1",
        "published": "2026-11-20T09:00:00Z",
        "body": ["The central library will open until ten at night on weekdays from January, the city said.",
                 "The longer hours follow a survey of students who asked for a quiet place to study in the evenings."]});
    let cut = json!({"title": "Port of Calder Approves Harbour Expansion", "id": "cut-1",
        "link": "https://cut.example/h", "published": dated, "body": HARBOUR});
    let cut_id = push(&server, json!([older, cut])).remove(1);
    // First seen a second later, the next heads the page of the two, dated
    // alike (ties as in the feeds: the one first seen last first).
    let into_second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_millis();
    std::thread::sleep(Duration::from_millis(u64::from(1050 - into_second)));
    let mut local_body = vec![
        "Crews who land their catch at the Calder quay, where the waiting list for a mooring runs to eleven boats, will be the first to feel the change.",
    ];
    local_body.extend(HARBOUR);
    local_body.push(HARBOUR_MORE);
    let local = json!({"title": "What The Harbour Plan Means For Calder Fishing Crews", "id": "local-1",
        "link": "https://local.example/h", "published": dated, "body": local_body, "source": "local"});
    let local_id = push(&server, local).remove(0);
    // A first page of newer bulletins.
    let page_size = feedfold::server::articles::PAGE_SIZE;
    let bulletins: Vec<serde_json::Value> = (0..page_size)
        .map(|i| {
            json!({
                "title": format!("Harbour bulletin number {i} for the week"),
                "published": format!("2026-12-05T10:{i:02}:00Z"),
                "body": format!("The harbour office issued bulletin {i} on tides and berths this week."),
            })
        })
        .collect();
    assert_eq!(
        push(&server, serde_json::Value::Array(bulletins)).len(),
        page_size
    );

    let (status, first, _) = get(&server, "/articles");
    assert_eq!(status, 200);
    assert_eq!(stories(&first).len(), page_size);
    let older_link = pager_link(&first, "next").expect("an older page");
    let (_, second, _) = get(&server, &older_link);
    let titles: Vec<String> = stories(&second).iter().map(|b| story_title(b)).collect();
    assert_eq!(
        titles,
        [
            "What The Harbour Plan Means For Calder Fishing Crews",
            "Port of Calder Approves Harbour Expansion",
            "Library Extends Opening Hours"
        ]
    );
    assert_eq!(story_id(stories(&second)[0]), local_id);
    let newer_link = pager_link(&second, "prev").expect("a newer page");

    // The whole story extends the cut copy, and the local one merges into it.
    let mut whole_body = HARBOUR.to_vec();
    whole_body.push(HARBOUR_MORE);
    let whole = json!({"title": "Port of Calder Approves Harbour Expansion", "id": "wire-1",
        "link": "https://wire.example/h", "published": dated, "body": whole_body});
    assert_eq!(push(&server, whole), std::slice::from_ref(&cut_id));

    let encoded =
        |id: &str| -> String { url::form_urlencoded::byte_serialize(id.as_bytes()).collect() };
    let (status, location) = redirect_of(&server, &older_link);
    assert_eq!(status, 303, "{older_link}");
    let location = location.expect("a Location");
    assert_eq!(location, format!("articles?from={}", encoded(&cut_id)));
    // Relative to the page, as its links are.
    let (status, landed, _) = get(&server, &format!("/{location}"));
    assert_eq!(status, 200);
    let landed_stories = stories(&landed);
    let titles: Vec<String> = landed_stories.iter().map(|b| story_title(b)).collect();
    assert_eq!(
        titles,
        [
            "Port of Calder Approves Harbour Expansion",
            "Library Extends Opening Hours"
        ]
    );
    assert_eq!(story_id(landed_stories[0]), cut_id);
    assert!(
        landed_stories[0].contains(&local_id),
        "the merged article among its folded copies: {}",
        landed_stories[0]
    );
    // Followed as a browser follows it, the link lands on that page.
    let (status, followed, _) = get(&server, &older_link);
    assert_eq!(status, 200);
    assert_eq!(stories(&followed).len(), 2);

    let (status, location) = redirect_of(&server, &newer_link);
    assert_eq!(status, 303, "{newer_link}");
    assert_eq!(
        location.as_deref(),
        Some(format!("articles?newer_than={}", encoded(&cut_id)).as_str())
    );
    let (status, newer, _) = get(&server, &newer_link);
    assert_eq!(status, 200);
    assert_eq!(stories(&newer).len(), page_size, "the bulletins");

    let (status, _) = redirect_of(&server, "/articles?from=tag%3Anever-stored");
    assert_eq!(status, 404);
}

/// `count` undated RSS items whose headlines start with `tag`, each with a
/// text of its own (made-up words, so no two are copies of one story).
fn undated_items(tag: &str, count: usize, seed: u64) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ren", "tas", "vu", "dor", "pe", "sil", "gan", "bri", "tho", "nel", "wu",
        "fa", "zen",
    ];
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut word = || {
        let mut word = String::new();
        for _ in 0..3 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            word.push_str(SYLLABLES[(state >> 60) as usize]);
        }
        word
    };
    (0..count)
        .map(|i| {
            let title: Vec<String> = (0..3).map(|_| word()).collect();
            let body: Vec<String> = (0..40).map(|_| word()).collect();
            format!(
                "<item><guid>{tag}-{i}</guid><title>{tag}{i} {}</title>\
                 <link>https://{tag}.example/{i}</link><description>The {}.</description></item>\n",
                title.join(" "),
                body.join(" ")
            )
        })
        .collect()
}

/// Articles of one date come on the articles page as the feeds list them:
/// forty undated entries of two sources, read in one run and so dated in
/// one second, come in the order stored, the first source's entries in
/// their document's order, then the second's; the pages shown older and
/// older, and newer and newer back from the last, give each once, in
/// that order.
#[test]
fn the_articles_page_lists_ties_as_the_feeds_do_both_ways() {
    let project = Project::new(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\n\
         base_url = \"http://feeds.example\"\n\n[server]\nbind = \"127.0.0.1:0\"\n\n\
         [schedule]\ninterval = \"1h\"\n\n\
         [[source]]\nname = \"a\"\nfeed = \"a.xml\"\n\n[[source]]\nname = \"b\"\nfeed = \"b.xml\"\n\n\
         [[feed]]\nname = \"all\"\ntitle = \"All\"\n",
    );
    for (tag, seed) in [("A", 1), ("B", 2)] {
        project.write(
            &format!("{}.xml", tag.to_lowercase()),
            &format!(
                "<rss version=\"2.0\"><channel><title>{tag}</title>\
                 <link>https://{tag}.example/</link>\n{}</channel></rss>\n",
                undated_items(tag, 20, seed)
            ),
        );
    }
    run(&project, true);
    let feed: serde_json::Value = serde_json::from_str(&project.read("feeds/all.json")).unwrap();
    let items = feed["items"].as_array().unwrap();
    let feed_titles: Vec<String> = items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    let tags: Vec<String> = feed_titles
        .iter()
        .map(|t| t.split(' ').next().unwrap().to_string())
        .collect();
    let expected: Vec<String> = ["A", "B"]
        .iter()
        .flat_map(|tag| (0..20).map(move |i| format!("{tag}{i}")))
        .collect();
    assert_eq!(tags, expected, "the feed, in the order stored");

    let server = Server::start(&project, &[]);
    let titles =
        |html: &str| -> Vec<String> { stories(html).iter().map(|b| story_title(b)).collect() };
    let mut pages = vec![get(&server, "/articles").1];
    while let Some(next) = pager_link(pages.last().unwrap(), "next") {
        let (status, page, _) = get(&server, &next);
        assert_eq!(status, 200, "{next}");
        pages.push(page);
        assert!(pages.len() < 5, "the pages end");
    }
    assert_eq!(pages.len(), 2);
    let older: Vec<String> = pages.iter().flat_map(|p| titles(p)).collect();
    assert_eq!(older, feed_titles, "older and older, as the feed");

    let mut back = vec![pages.pop().unwrap()];
    while let Some(prev) = pager_link(back.last().unwrap(), "prev") {
        let (status, page, _) = get(&server, &prev);
        assert_eq!(status, 200, "{prev}");
        back.push(page);
        assert!(back.len() < 5, "the pages end");
    }
    let newer: Vec<String> = back.iter().rev().flat_map(|p| titles(p)).collect();
    assert_eq!(newer, feed_titles, "newer and newer back, as the feed");
}
