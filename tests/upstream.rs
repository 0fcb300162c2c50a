//! End to end: `feedfold run` aggregating two dozen upstream feeds served by
//! a local stand-in publisher: every format and version, other encodings,
//! gzip, a conditional source, and sources that fail every way a real one
//! can. Good entries are published once, failures are named, hostile markup
//! never reaches a reader, and a second run sends conditional requests and
//! rewrites nothing.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Project, check_feeds, text, upstream};
use feedfold::ingest::feed::parse_feed;

/// (source name, path on the upstream, fixture it serves or None if it fails)
const SOURCES: &[(&str, &str, Option<&str>)] = &[
    ("rss090", "/feeds/rss090.rdf", Some("rss090.rdf")),
    ("rss091", "/feeds/rss091.xml", Some("rss091.xml")),
    ("rss092", "/feeds/rss092.xml", Some("rss092.xml")),
    ("rss10", "/feeds/rss10.rdf", Some("rss10.rdf")),
    ("rss20", "/feeds/rss20.xml", Some("rss20.xml")),
    ("atom03", "/feeds/atom03.xml", Some("atom03.xml")),
    ("atom10", "/etag/atom10.xml", Some("atom10.xml")),
    ("json10", "/feeds/jsonfeed10.json", Some("jsonfeed10.json")),
    ("json11", "/feeds/jsonfeed11.json", Some("jsonfeed11.json")),
    (
        "cp1252",
        "/charset/windows-1252/rss-windows-1252.xml",
        Some("rss-windows-1252.xml"),
    ),
    (
        "latin9",
        "/feeds/atom-iso-8859-15.xml",
        Some("atom-iso-8859-15.xml"),
    ),
    ("utf16", "/feeds/rss-utf-16be.xml", Some("rss-utf-16be.xml")),
    (
        "dupids",
        "/feeds/rss-duplicate-ids.xml",
        Some("rss-duplicate-ids.xml"),
    ),
    (
        "noids",
        "/feeds/rss-missing-ids.xml",
        Some("rss-missing-ids.xml"),
    ),
    ("xss-rss", "/feeds/xss-rss.xml", Some("xss-rss.xml")),
    ("xss-atom", "/feeds/xss-atom.xml", Some("xss-atom.xml")),
    ("gzip", "/gzip/rss20.xml", Some("rss20.xml")),
    ("slow", "/slow", None),
    ("endless", "/endless", None),
    ("loop", "/loop", None),
    ("error", "/error", None),
    ("malformed", "/feeds/malformed.xml", None),
    ("bomb", "/feeds/billion-laughs.xml", None),
    ("busy", "/busy", None),
];

/// Each failing source and what its error must say.
const FAILURES: &[(&str, &str)] = &[
    ("slow", "timed out"),
    ("endless", "larger than the limit"),
    ("loop", "more than 5 redirects"),
    ("error", "HTTP 500"),
    ("malformed", "malformed.xml"),
    ("bomb", "entit"),
    ("busy", "HTTP 429 (retry after 120s)"),
];

fn config(upstream: std::net::SocketAddr) -> String {
    let mut text = String::from(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://feeds.example"

[fetch]
timeout = "2s"
connect_timeout = "2s"
max_body = "256KiB"
concurrency = 8

[[feed]]
name = "all"
title = "All upstream news"
limit = 200

[[feed]]
name = "json"
title = "JSON sources only"
sources = ["json10", "json11"]
"#,
    );
    for (name, path, _) in SOURCES {
        text.push_str(&format!(
            "\n[[source]]\nname = \"{name}\"\nfeed = \"http://{upstream}{path}\"\n"
        ));
    }
    text
}

/// The titles the good fixtures hold, read with the library's own parser.
fn expected_titles() -> BTreeSet<String> {
    SOURCES
        .iter()
        .filter_map(|(_, _, fixture)| *fixture)
        .flat_map(|file| {
            let bytes = std::fs::read(common::fixtures().join("feeds").join(file)).unwrap();
            parse_feed(&bytes, None, file).unwrap().articles
        })
        .map(|article| article.title)
        .collect()
}

fn items(project: &Project, feed: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_str(&project.read(&format!("feeds/{feed}.json"))).unwrap();
    json["items"].as_array().unwrap().clone()
}

/// The lines a source's report spans in a run's output.
fn report_of<'a>(output: &'a str, source: &str) -> String {
    let start = format!("source {source}: ");
    let mut lines = output.lines().skip_while(|l| !l.starts_with(&start));
    let mut report: Vec<&'a str> = lines.next().into_iter().collect();
    report.extend(lines.take_while(|l| l.starts_with("  error: ")));
    report.join("\n")
}

fn store_rows(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut rows = Vec::new();
    for sql in [
        "SELECT hex(id) || ' ' || published || ' ' || updated || ' ' || hex(content) FROM article ORDER BY id",
        "SELECT s.article || ' ' || p.source || ' ' || p.location || ' ' || s.first_seen \
         FROM sighting s JOIN place p ON p.id = s.place ORDER BY 1",
        "SELECT source || ' ' || coalesce(etag, '-') || ' ' || coalesce(last_modified, '-') FROM fetch_state WHERE source = 'atom10'",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let found: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.extend(found);
    }
    rows
}

#[test]
fn two_dozen_upstream_sources_fold_fail_and_revalidate() {
    let (upstream, counters) = upstream::start();
    let project = Project::new(&config(upstream));

    let first = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&first);
    let output = format!("{stdout}{stderr}");
    assert_eq!(
        first.status.code(),
        Some(1),
        "a source failed, so exit 1:\n{output}"
    );
    for (source, cause) in FAILURES {
        let report = report_of(&output, source);
        assert!(
            report.contains("error: "),
            "{source} is reported as failed:\n{output}"
        );
        assert!(
            report.contains(cause),
            "{source} names its cause ({cause}):\n{report}"
        );
    }
    for (source, _, fixture) in SOURCES {
        if fixture.is_some() {
            let report = report_of(&output, source);
            assert!(!report.contains("error"), "{source} is good:\n{report}");
        }
    }

    let published = items(&project, "all");
    let titles: Vec<String> = published
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = titles.iter().cloned().collect();
    assert_eq!(
        titles.len(),
        unique.len(),
        "every entry is published once: {titles:#?}"
    );
    assert_eq!(unique, expected_titles());
    let ids: BTreeSet<&str> = published
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), published.len());
    assert!(
        ids.iter()
            .all(|id| id.starts_with("tag:feedfold.invalid,2026:"))
    );
    let cafe = published
        .iter()
        .find(|i| i["url"] == "https://petit-echo.example/cafe-society")
        .unwrap();
    assert_eq!(
        cafe["title"], "“Café society” returns to the quayside — at last",
        "Windows-1252 named by HTTP only"
    );
    assert_eq!(
        items(&project, "json").len(),
        4,
        "a feed of two sources carries only theirs"
    );

    for ext in ["rss", "atom", "json"] {
        let file = project
            .read(&format!("feeds/all.{ext}"))
            .to_ascii_lowercase();
        for hostile in [
            "<script",
            "&lt;script",
            "javascript:",
            "vbscript:",
            "data:text",
            "data:image",
            "onerror",
            "onclick",
            "onload",
            "<iframe",
            "&lt;iframe",
            "<object",
            "&lt;object",
            "<embed",
            "&lt;embed",
            "expression(",
            "<form",
            "&lt;form",
            "<style",
            "&lt;style",
            "<meta",
            "&lt;meta",
            "<base",
            "&lt;base",
        ] {
            assert!(!file.contains(hostile), "{hostile} survived into all.{ext}");
        }
    }
    let files: Vec<_> = [
        "all.rss",
        "all.atom",
        "all.json",
        "json.rss",
        "json.atom",
        "json.json",
    ]
    .iter()
    .map(|f| project.path(&format!("feeds/{f}")))
    .collect();
    check_feeds(&files);

    // The second run: conditional requests, nothing rewritten.
    let before_files: Vec<(Vec<u8>, std::time::SystemTime)> = files
        .iter()
        .map(|f| {
            (
                std::fs::read(f).unwrap(),
                std::fs::metadata(f).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let before_store = store_rows(&project.path("feedfold.db"));
    assert_eq!(counters.get(), (1, 0));
    let second = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&second);
    let output = format!("{stdout}{stderr}");
    assert_eq!(second.status.code(), Some(1), "{output}");
    assert_eq!(
        counters.get(),
        (2, 1),
        "the conditional source was asked with If-None-Match and answered 304"
    );
    assert_eq!(
        report_of(&output, "atom10"),
        "source atom10: not modified since the last fetch"
    );
    assert!(
        report_of(&output, "busy").starts_with("source busy: skipped, backing off until"),
        "{output}"
    );
    assert!(
        output.contains("feed all: 28 entries, 0 files written, 3 unchanged"),
        "{output}"
    );
    for (file, (bytes, modified)) in files.iter().zip(before_files) {
        assert_eq!(
            std::fs::read(file).unwrap(),
            bytes,
            "{} changed",
            file.display()
        );
        assert_eq!(
            std::fs::metadata(file).unwrap().modified().unwrap(),
            modified,
            "{} rewritten",
            file.display()
        );
    }
    assert_eq!(
        store_rows(&project.path("feedfold.db")),
        before_store,
        "the store is unchanged"
    );
}

#[test]
fn parse_reads_a_feed_url() {
    let (upstream, _) = upstream::start();
    let url = format!("http://{upstream}/gzip/rss20.xml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["parse", "--json", "--source", "rss20", &url])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["title"],
        "Flood defences hold as river peaks at record level"
    );
    assert_eq!(
        first["link"],
        "https://lakeside-ledger.example/2024/07/09/flood-defences-hold?utm_source=rss"
    );
    assert!(first["upstream_id"].is_string());
    assert!(first["summary"].is_string());
    assert!(first["content_html"].as_str().unwrap().contains("<p>"));
    assert_eq!(first["source"], url);

    let failing = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["parse", &format!("http://{upstream}/error")])
        .output()
        .unwrap();
    assert_eq!(failing.status.code(), Some(1));
    assert!(text(&failing).1.contains("HTTP 500"));
}

#[test]
fn parse_shows_a_feed_url_without_its_credentials_or_query_values() {
    let (upstream, _) = upstream::start();
    let private = |path: &str| format!("http://editor:hunter2@{upstream}{path}?sig=s3cret");
    let parse = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .arg("parse")
            .args(args)
            .output()
            .unwrap()
    };
    let read = parse(&[&private("/feeds/rss20.xml")]);
    let json = parse(&["--json", &private("/feeds/rss20.xml")]);
    let failed = parse(&[&private("/error")]);
    let refused = parse(&["http://editor:hunter2@127.0.0.1:9/feed.xml?sig=s3cret"]);
    assert!(read.status.success(), "{}", text(&read).1);
    assert_eq!(failed.status.code(), Some(1));
    for output in [&read, &json, &failed, &refused] {
        let (stdout, stderr) = text(output);
        let shown = format!("{stdout}{stderr}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("s3cret"),
            "{shown}"
        );
    }
    let (stdout, _) = text(&read);
    let summary = format!("http://{upstream}/feeds/rss20.xml?sig=***: ");
    assert!(
        stdout.lines().last().unwrap().starts_with(&summary),
        "{stdout}"
    );
    let first: serde_json::Value =
        serde_json::from_str(text(&json).0.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["source"],
        format!("http://{upstream}/feeds/rss20.xml?sig=***")
    );
    let (_, stderr) = text(&failed);
    assert!(
        stderr.starts_with(&format!(
            "feedfold: http://{upstream}/error?sig=***: HTTP 500"
        )),
        "{stderr}"
    );
}

#[test]
fn the_first_source_in_config_order_names_a_shared_story() {
    let fixture = common::fixtures().join("feeds/atom10.xml");
    let config = format!(
        "[[source]]\nname = \"zeta\"\nfeed = \"{0}\"\n\n[[source]]\nname = \"alpha\"\nfeed = \"{0}\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n",
        fixture.display()
    );
    let expected: BTreeSet<String> = {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(["parse", "--json", "--source", "zeta"])
            .arg(&fixture)
            .output()
            .unwrap();
        text(&output)
            .0
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    for _ in 0..3 {
        let project = Project::new(&config);
        assert!(project.feedfold(&["run", "--quiet"]).status.success());
        let ids: BTreeSet<String> = items(&project, "all")
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, expected, "ids come from the first source, every time");
    }
}

/// A config publishing `sources` (name, location), in that order, as the
/// feed `all` titled `title`; `extra` (whole sections: `[fetch]`,
/// `[server]`) goes before the feed.
fn feeds_config(sources: &[(&str, String)], title: &str, extra: &str) -> String {
    let mut text = format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         {extra}\n\n[[feed]]\nname = \"all\"\ntitle = \"{title}\"\n"
    );
    for (name, location) in sources {
        text.push_str(&format!(
            "\n[[source]]\nname = \"{name}\"\nfeed = \"{location}\"\n"
        ));
    }
    text
}

/// A config of `sources` (name, URL) with `fetch_extra` in `[fetch]`.
fn redirect_config(sources: &[(&str, String)], fetch_extra: &str) -> String {
    feeds_config(
        sources,
        "All",
        &format!("[fetch]\ntimeout = \"5s\"\nconnect_timeout = \"2s\"\n{fetch_extra}"),
    )
}

#[test]
fn a_feed_that_moved_permanently_is_read_and_its_new_url_named() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&redirect_config(
        &[
            (
                "moved",
                format!("http://{upstream}/moved?to=/feeds/rss20.xml"),
            ),
            (
                "borrowed",
                format!("http://{upstream}/redirect?to=/feeds/atom10.xml"),
            ),
        ],
        "",
    ));
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    let output = format!("{stdout}{stderr}");
    assert_eq!(run.status.code(), Some(0), "{output}");
    assert!(report_of(&output, "moved").contains("new"), "{output}");
    assert!(
        stderr.contains(&format!(
            "http://{upstream}/moved?to=***: moved permanently to http://{upstream}/feeds/rss20.xml"
        )),
        "{stderr}"
    );
    // A temporary redirect is no move.
    assert_eq!(stderr.matches("moved permanently").count(), 1, "{stderr}");
}

#[test]
fn a_feed_that_moved_is_named_on_every_run_unchanged_or_quiet() {
    let (upstream, counters) = upstream::start();
    let project = Project::new(&redirect_config(
        &[(
            "moved",
            format!("http://{upstream}/moved?to=/etag/atom10.xml"),
        )],
        "",
    ));
    let moved = format!(
        "http://{upstream}/moved?to=***: moved permanently to http://{upstream}/etag/atom10.xml: put the new URL"
    );
    // The first run reads it; the next are answered 304 through the
    // redirect, and the config still names the old URL: the operator's to
    // change, under `--quiet` (cron) too.
    for args in [&["run"][..], &["run"], &["run", "--quiet"]] {
        let run = project.feedfold(args);
        let (stdout, stderr) = text(&run);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {stdout}{stderr}");
        assert_eq!(stderr.matches(&moved).count(), 1, "{args:?}: {stderr}");
    }
    assert_eq!(counters.get(), (3, 2), "conditional requests answered 304");
}

#[test]
fn a_moved_feed_is_named_by_a_url_that_works_when_copied() {
    let (upstream, _) = upstream::start();
    let to = |location: &str| {
        location
            .replace('?', "%3F")
            .replace('&', "%26")
            .replace('=', "%3D")
    };
    let project = Project::new(&redirect_config(
        &[
            (
                "blog",
                format!(
                    "http://{upstream}/moved?to={}",
                    to("/feeds/rss20.xml?feed=rss2&cat=3")
                ),
            ),
            (
                "keyed",
                format!(
                    "http://{upstream}/moved?to={}",
                    to("/feeds/atom10.xml?format=atom&api_key=s3cret")
                ),
            ),
        ],
        "",
    ));
    let run = project.feedfold(&["run", "--quiet"]);
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    // The query that says which feed it is comes whole, a credential not.
    assert!(
        stderr.contains(&format!(
            "moved permanently to http://{upstream}/feeds/rss20.xml?feed=rss2&cat=3: put the new URL \
             in the source's `feed` in the config source=blog"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "moved permanently to http://{upstream}/feeds/atom10.xml?format=atom&api_key=***: put the \
             new URL in the source's `feed` in the config (the values shown as *** may be \
             credentials: fill them in)"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn redirects_reach_the_private_network_only_at_the_sources_own_origin() {
    let (a, _) = upstream::start();
    let (b, b_counters) = upstream::start();
    let redirect = |to: String| format!("http://{a}/redirect?to={to}");
    let refused = [
        ("literal", redirect(format!("http://{b}/trap/literal"))),
        (
            "by-name",
            redirect(format!("http://localhost:{}/trap/by-name", b.port())),
        ),
        (
            "mapped",
            redirect(format!(
                "http://[::ffff:127.0.0.1]:{}/trap/mapped",
                b.port()
            )),
        ),
        (
            "unspecified",
            redirect(format!("http://0.0.0.0:{}/trap/unspecified", b.port())),
        ),
        (
            "6to4",
            redirect(format!("http://[2002:7f00:1::]:{}/trap/6to4", b.port())),
        ),
        (
            "compatible",
            redirect(format!("http://[::127.0.0.1]:{}/trap/compatible", b.port())),
        ),
    ];
    let mut sources: Vec<(&str, String)> = refused.to_vec();
    sources.push(("same-origin", redirect("/feeds/rss20.xml".into())));
    let project = Project::new(&redirect_config(&sources, ""));
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    let output = format!("{stdout}{stderr}");
    assert_eq!(run.status.code(), Some(1), "{output}");
    for (name, _) in &refused {
        let report = report_of(&output, name);
        let kind = if *name == "unspecified" {
            "unspecified address"
        } else {
            "loopback address"
        };
        for expected in ["redirected to http://", kind, "refused", "allow_private"] {
            assert!(report.contains(expected), "{name}: {expected}:\n{report}");
        }
    }
    assert!(
        !report_of(&output, "same-origin").contains("error"),
        "a redirect within the source's origin is followed:\n{output}"
    );
    assert!(!items(&project, "all").is_empty());
    assert_eq!(
        b_counters
            .trap_hits
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the other server never received a request"
    );

    // For an intranet, `allow_private` lifts the rule.
    let intranet = Project::new(&redirect_config(
        &[("intranet", redirect(format!("http://{b}/feeds/atom10.xml")))],
        "allow_private = true",
    ));
    let run = intranet.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert!(!items(&intranet, "all").is_empty());
}

#[test]
fn an_http_error_behind_a_redirect_names_the_url_that_answered_it() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&redirect_config(
        &[
            (
                "moved",
                format!("http://{upstream}/redirect?to=/feeds/gone.xml"),
            ),
            ("error", format!("http://{upstream}/error")),
        ],
        "",
    ));
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    let output = format!("{stdout}{stderr}");
    assert_eq!(run.status.code(), Some(1), "{output}");
    assert!(
        report_of(&output, "moved").contains(&format!(
            // The query of the URL configured is redacted.
            "error: http://{upstream}/redirect?to=***: redirected to http://{upstream}/feeds/gone.xml: HTTP 404"
        )),
        "{output}"
    );
    // Without a redirect the URL configured is the one that answered.
    assert!(
        report_of(&output, "error").contains(&format!("error: http://{upstream}/error: HTTP 500")),
        "{output}"
    );
    let sources = project.feedfold(&["sources"]);
    let (listed, _) = text(&sources);
    assert!(
        listed.contains(&format!(
            "redirected to http://{upstream}/feeds/gone.xml: HTTP 404"
        )),
        "{listed}"
    );
}

#[test]
fn a_document_cut_short_between_entries_is_read_but_fetched_whole_next_time() {
    let (upstream, counters) = upstream::start();
    let project = Project::new(&feeds_config(
        &[
            (
                "cut",
                format!("http://{upstream}/etag-cut/rss-shared-link.xml"),
            ),
            (
                "empty",
                format!("http://{upstream}/feeds/cut-before-entries.xml"),
            ),
        ],
        "All upstream news",
        "",
    ));
    for round in 1..=2 {
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        // A run with a failed source reports on standard error.
        let report = format!("{stdout}{stderr}");
        // What came before the cut stands, with a warning.
        let expected = if round == 1 {
            "source cut: 1 entry read, 1 new, 0 already known"
        } else {
            "source cut: 1 entry read, 0 new, 1 already known"
        };
        assert!(report.contains(expected), "round {round}: {report}");
        assert!(
            report.contains(
                "the document ends before <channel> from line 3 is closed; read as it is"
            ),
            "{report}"
        );
        // No validators were kept: the second request was not conditional.
        assert_eq!(counters.get(), (round, 0), "round {round}");
        // A document cut before its first entry gave nothing: an error.
        assert_eq!(output.status.code(), Some(1), "{report}");
        assert!(
            report_of(&report, "empty").contains("the document ends before <channel>"),
            "{report}"
        );
    }
}

#[test]
fn a_transfer_cut_short_between_entries_is_read_but_fetched_whole_next_time() {
    let (upstream, counters) = upstream::start();
    let project = Project::new(&feeds_config(
        &[
            (
                "length",
                format!("http://{upstream}/etag-dropped/rss-shared-link.xml"),
            ),
            (
                "chunked",
                format!("http://{upstream}/etag-dropped-chunked/rss-shared-link.xml"),
            ),
        ],
        "All upstream news",
        "",
    ));
    for round in 1..=2 {
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
        // The connection dropped before the declared length or the last
        // chunk came: the entry that came whole stands, with a warning
        // naming the source.
        for source in ["length", "chunked"] {
            assert!(
                report_of(&stdout, source).contains("1 entry read"),
                "round {round}: {stdout}{stderr}"
            );
            assert!(
                stderr
                    .lines()
                    .any(|line| line.contains("the transfer was cut short")
                        && line.contains(&format!("source={source}"))),
                "{stderr}"
            );
        }
        // No validators were kept: the second requests were not conditional.
        assert_eq!(counters.get(), (2 * round, 0), "round {round}");
    }
}

#[test]
fn a_transfer_cut_short_inside_an_entry_keeps_the_entries_before_it() {
    let (upstream, counters) = upstream::start();
    let project = Project::new(&feeds_config(
        &[(
            "inside",
            format!("http://{upstream}/etag-dropped-inside/rss-shared-link.xml"),
        )],
        "All upstream news",
        "",
    ));
    for round in 1..=2 {
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
        // The connection dropped inside the second entry: the first,
        // which came whole, stands; the one broken off is left out, with
        // a warning naming the source and the line it started on.
        assert!(
            report_of(&stdout, "inside").contains("1 entry read"),
            "round {round}: {stdout}{stderr}"
        );
        assert!(
            stderr.lines().any(|line| line.contains("source=inside")
                && line.contains("the document ends inside the entry from line 13")
                && line.contains("that entry is left out")),
            "{stderr}"
        );
        // No validators were kept: the second request was not conditional.
        assert_eq!(counters.get(), (round, 0), "round {round}");
    }
    let feed = project.read("feeds/all.rss");
    assert!(
        feed.contains("Hall closed for boiler repairs on Monday"),
        "{feed}"
    );
    assert!(!feed.contains("Recycling"), "{feed}");
}

#[test]
fn a_compressed_stream_that_breaks_off_in_a_whole_transfer_is_read_as_far_as_it_goes() {
    let (upstream, _) = upstream::start();
    for coding in ["gzip", "deflate"] {
        let url = format!("http://{upstream}/compressed/{coding}-short/rss20.xml");
        let (articles, stderr, code) = parse_json(&[&url]);
        // The entry it breaks off in is left out; the one before stands.
        assert_eq!(code, Some(0), "{coding}: {stderr}");
        assert_eq!(articles.len(), 1, "{coding}: {stderr}");
        assert_eq!(
            articles[0]["title"],
            "Flood defences hold as river peaks at record level"
        );
        assert!(
            stderr.contains(&format!(
                "the body sent as {coding} breaks off inside its compressed stream"
            )) && stderr.contains("that entry is left out"),
            "{coding}: {stderr}"
        );
    }
}

#[test]
fn a_gzip_body_followed_by_a_line_break_or_padding_is_read_whole() {
    let (upstream, _) = upstream::start();
    for shape in ["gzip-crlf", "gzip-nul"] {
        let url = format!("http://{upstream}/compressed/{shape}/rss20.xml");
        let (articles, stderr, code) = parse_json(&[&url]);
        assert_eq!(code, Some(0), "{shape}: {stderr}");
        assert_eq!(articles.len(), 2, "{shape}: {stderr}");
        assert!(stderr.is_empty(), "{shape}: {stderr}");
    }
}

/// `feedfold parse --json ARGS`: the articles, standard error and exit code.
fn parse_json(args: &[&str]) -> (Vec<serde_json::Value>, String, Option<i32>) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["parse", "--json"])
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    let articles = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    (articles, stderr, output.status.code())
}

/// `feedfold parse --json` of a document `text` written to a file named
/// `name`: the articles, standard error and exit code.
fn parse_document(name: &str, text: &str) -> (Vec<serde_json::Value>, String, Option<i32>) {
    parse_document_bytes(name, text.as_bytes())
}

/// [`parse_document`] of a document's bytes.
fn parse_document_bytes(name: &str, bytes: &[u8]) -> (Vec<serde_json::Value>, String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    parse_json(&[file.to_str().unwrap()])
}

#[test]
fn rss_titles_naming_tags_keep_their_words_and_common_dates_are_read() {
    let (articles, stderr, code) = parse_document(
        "desk.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Desk</title><link>http://desk.example/</link>
<item><guid>1</guid><title>Browsers agree on the &lt;template&gt; element after years</title><description>One.</description><dc:date>2026-11-20T10:00+09:00</dc:date></item>
<item><guid>2</guid><title>Proof that a&lt;b implies b&gt;a for all reals</title><description>Two.</description><dc:date>2026-11-20 10:00:00</dc:date></item>
<item><guid>3</guid><title>Tom &amp;amp; Jerry &lt;b&gt;return&lt;/b&gt;</title><description>Three.</description><pubDate>Tue, 01 Dec 2026 10:00:00 CET</pubDate></item>
<item><guid>4</guid><title>Midnight</title><description>Four.</description><pubDate>Tue, 01 Dec 2026 24:00:00 GMT</pubDate></item>
<item><guid>5</guid><title>Half past midnight</title><description>Five.</description><pubDate>Tue, 01 Dec 2026 24:30:00 GMT</pubDate></item>
</channel></rss>"#,
    );
    assert_eq!(code, Some(0), "{stderr}");
    let shown: Vec<(&str, &serde_json::Value)> = articles
        .iter()
        .map(|a| (a["title"].as_str().unwrap(), &a["published"]))
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                "Browsers agree on the <template> element after years",
                &serde_json::json!("2026-11-20T01:00:00Z")
            ),
            (
                "Proof that a<b implies b>a for all reals",
                &serde_json::json!("2026-11-20T10:00:00Z")
            ),
            (
                "Tom & Jerry return",
                &serde_json::json!("2026-12-01T09:00:00Z")
            ),
            ("Midnight", &serde_json::json!("2026-12-02T00:00:00Z")),
            ("Half past midnight", &serde_json::Value::Null),
        ]
    );
    assert!(
        stderr.contains(
            "desk.xml: entry 5: the date \"Tue, 01 Dec 2026 24:30:00 GMT\" cannot be read; left out"
        ),
        "{stderr}"
    );
}

#[test]
fn rss_dates_with_a_weekday_cut_short_in_another_language_are_read() {
    assert_rss_dates_read_as(
        &[
            "sam., 05 déc. 2026 10:00:00 +0100",
            "sáb, 05 dic 2026 10:00:00 +0100",
            "sab, 05 dic 2026 10:00:00 +0100",
            "samedi, 05 décembre 2026 10:00:00 +0100",
        ],
        "2026-12-05T09:00:00Z",
    );
}

#[test]
fn an_entry_with_malformed_markup_is_left_out_and_the_others_published() {
    let project = one_feed_project("weather", "weather.xml", "Weather", "");
    project.write(
        "weather.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Weather Desk</title><link>https://weather.example/</link><description>x</description>
<item><title>Storm warning for the coast</title><link>https://weather.example/storm</link><guid>w-1</guid><description>Winds of 90 km/h.</description></item>
<item><title>Cold snap expected</title><link>https://weather.example/cold</link><guid>w-2</guid><description>Temperatures < 0°C in the hills.</description></item>
<item><title>Ferry timetable changes</title><link>https://weather.example/ferry</link><guid>w-3</guid><description>Two fewer <b>sailings</i> a day.</description></item>
<item><title>Harbour lights restored</title><link>https://weather.example/lights</link><guid>w-4</guid><description>The lights are back.</description></item>
</channel></rss>"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    let report = format!("{stdout}{stderr}");
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(
        report.contains("source weather: 2 entries read, 2 new"),
        "{report}"
    );
    for warning in [
        "entry 2 (\"Cold snap expected\", from line 4): a `<` at line 4, column ",
        "entry 3 (\"Ferry timetable changes\", from line 5): <b> at line 5, column ",
    ] {
        assert!(report.contains(warning), "{warning}: {report}");
    }
    let titles: Vec<String> = items(&project, "all")
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        titles.iter().collect::<BTreeSet<_>>(),
        ["Harbour lights restored", "Storm warning for the coast"]
            .map(String::from)
            .iter()
            .collect()
    );
}

#[test]
fn rss_dates_with_an_offset_from_gmt_or_utc_are_read_as_that_offset() {
    assert_rss_dates_read_as(
        &[
            "Sat, 21 Nov 2026 12:00:00 GMT+02:00",
            "Sat, 21 Nov 2026 05:00:00 GMT-05:00",
            "Sat, 21 Nov 2026 12:00:00 GMT+0200",
            "Sat, 21 Nov 2026 12:00:00 UTC+02:00",
            "Sat, 21 Nov 2026 10:00:00 Etc/GMT",
        ],
        "2026-11-21T10:00:00Z",
    );
}

/// Each of `dates` as an RSS item's `pubDate`, read by `parse --json`,
/// without a warning, as the one moment `expected`.
fn assert_rss_dates_read_as(dates: &[&str], expected: &str) {
    let items: String = dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            format!("<item><guid>{i}</guid><title>Item {i}</title><description>Text.</description><pubDate>{date}</pubDate></item>\n")
        })
        .collect();
    let (articles, stderr, code) = parse_document(
        "wire.xml",
        &format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>x</description>
{items}</channel></rss>"#
        ),
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("cannot be read"), "{stderr}");
    let published: Vec<&serde_json::Value> = articles.iter().map(|a| &a["published"]).collect();
    assert_eq!(published, vec![&serde_json::json!(expected); dates.len()]);
}

#[test]
fn a_first_paragraph_of_300_characters_is_the_whole_summary_and_one_of_301_is_cut() {
    // `abcd abcd … abcZ` of `n` characters: spaces inside, none at the end.
    let of_length = |n: usize| format!("{}Z", &"abcd ".repeat(100)[..n - 1]);
    let items: Vec<serde_json::Value> = [299, 300, 301]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            serde_json::json!({
                "id": n.to_string(),
                "url": format!("https://s.example/{n}"),
                "title": format!("Length {n}"),
                "content_text": of_length(*n),
                "date_published": format!("2026-03-0{}T10:00:00Z", i + 1),
            })
        })
        .collect();
    let project = one_feed_project("s", "s.json", "All upstream news", "");
    project.write(
        "s.json",
        &serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "S", "items": items})
            .to_string(),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let summary_of = |n: usize| {
        let items = self::items(&project, "all");
        let item = items
            .iter()
            .find(|i| i["title"] == format!("Length {n}"))
            .unwrap_or_else(|| panic!("{n} in {items:?}"));
        item["summary"].as_str().unwrap().to_string()
    };
    assert_eq!(summary_of(299), of_length(299));
    assert_eq!(summary_of(300), of_length(300));
    let cut = summary_of(301);
    assert!(cut.ends_with('…') && cut.chars().count() <= 300, "{cut}");
    let atom = project.read("feeds/all.atom");
    assert!(
        atom.contains(&format!("<summary>{}</summary>", of_length(300))),
        "{atom}"
    );
}

#[test]
fn feeds_whose_charset_or_declaration_misstates_their_bytes_read_as_the_bytes_are() {
    let (upstream, _) = upstream::start();
    // Windows-1252 bytes under `encoding="utf-8"`, with and without an
    // HTTP charset saying the same.
    for url in [
        format!("http://{upstream}/feeds/rss-windows-1252-says-utf-8.xml"),
        format!("http://{upstream}/charset-as-is/utf-8/rss-windows-1252-says-utf-8.xml"),
    ] {
        let (articles, stderr, code) = parse_json(&["--source", "cms", &url]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(
            articles[0]["title"], "Café “Le Coin” reopens: don’t miss it",
            "{url}"
        );
        assert!(
            articles[0]["summary"]
                .as_str()
                .unwrap()
                .contains("A naïve résumé of the owner’s plans – a €5 breakfast."),
            "{url}: {}",
            articles[0]["summary"]
        );
        assert!(
            stderr.contains(&url) && stderr.contains("read as windows-1252"),
            "{url}: {stderr}"
        );
    }
    // UTF-8 that declares itself, under a single-byte or ASCII charset.
    for charset in ["us-ascii", "iso-8859-1"] {
        let url = format!("http://{upstream}/charset-as-is/{charset}/rss-missing-ids.xml");
        let (articles, stderr, code) = parse_json(&[&url]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(
            articles
                .iter()
                .any(|a| a["title"] == "Quiz night raises £640"),
            "{charset}: {articles:?}"
        );
    }
}

/// A German RSS feed of three items in Windows-1252 whose text holds `ß`
/// before `after`: a byte pair that is valid UTF-8 by chance.
fn german_feed(declaration: &str, after: &str) -> Vec<u8> {
    let mut text = format!(
        "{declaration}<rss version=\"2.0\"><channel><title>Lokal</title><link>http://de.example/</link><description>d</description>\n"
    );
    let items = [
        (
            "Großer Spaß beim Stadtfest in Köln",
            format!("Die Besucher hatten „viel Spaß{after}\" beim Fest, sagte der Bürgermeister."),
        ),
        (
            "Schöne Grüße aus München",
            "Über tausend Gäste kamen zur Eröffnung der neuen Brücke.".to_string(),
        ),
        (
            "Müller gewinnt Wahl",
            "Die Wählerinnen und Wähler entschieden sich für einen Neuanfang.".to_string(),
        ),
    ];
    for (i, (title, description)) in items.iter().enumerate() {
        text.push_str(&format!(
            "<item><title>{title}</title><link>http://de.example/{i}</link><guid>de{i}</guid><description>{description}</description><pubDate>Tue, 01 Dec 2026 10:0{i}:00 GMT</pubDate></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
}

#[test]
fn windows_1252_feeds_holding_a_utf8_pair_by_chance_read_as_windows_1252() {
    let site = common::site::Site::start();
    let want: BTreeSet<&str> = [
        "Großer Spaß beim Stadtfest in Köln",
        "Schöne Grüße aus München",
        "Müller gewinnt Wahl",
    ]
    .into();
    for after in ["“", "\u{a0}", "…", "’", "–", "«"] {
        for declaration in ["", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"] {
            let bytes = german_feed(declaration, after);
            assert!(
                bytes.utf8_chunks().any(|c| !c.valid().is_ascii()),
                "ß{after} is a UTF-8 character"
            );
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("de.xml");
            std::fs::write(&file, &bytes).unwrap();
            site.put_bytes("/de.xml", "text/xml; charset=utf-8", bytes);
            for location in [file.display().to_string(), site.url("/de.xml")] {
                let (articles, stderr, code) = parse_json(&[&location]);
                assert_eq!(code, Some(0), "{stderr}");
                let titles: BTreeSet<&str> = articles
                    .iter()
                    .map(|a| a["title"].as_str().unwrap())
                    .collect();
                assert_eq!(titles, want, "ß{after} {declaration:?} {location}");
                let summary = articles
                    .iter()
                    .find_map(|a| a["summary"].as_str().filter(|s| s.contains("viel")))
                    .unwrap();
                assert!(
                    summary.contains("viel Spaß") && !summary.contains('\u{fffd}'),
                    "ß{after}: {summary}"
                );
                assert!(
                    stderr.contains(&location) && stderr.contains("read as windows-1252"),
                    "{location}: {stderr}"
                );
            }
        }
    }
    // UTF-8 with fewer stray bytes than UTF-8 characters stays UTF-8.
    let mut utf8 = "<rss version=\"2.0\"><channel><title>Z</title><item><title>Zürich café, Genève</title><description>Don"
        .as_bytes()
        .to_vec();
    utf8.extend_from_slice(b"\x92t panic</description></item></channel></rss>");
    let (articles, stderr, code) = parse_document_bytes("stray.xml", &utf8);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(articles[0]["title"], "Zürich café, Genève");
    assert!(stderr.contains("U+FFFD"), "{stderr}");
}

#[test]
fn utf8_feeds_under_a_single_byte_charset_or_declaration_read_as_utf8_with_a_warning() {
    let site = common::site::Site::start();
    let utf8 = "<rss version=\"2.0\"><channel><title>T</title><link>http://x.example/</link><description>d</description>\n<item><title>Café société déjà vu</title><link>http://x.example/1</link><description>Le café “ouvert” à Zürich.</description></item>\n</channel></rss>\n";
    let declared = format!("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n{utf8}");
    let undeclared = format!("<?xml version=\"1.0\"?>\n{utf8}");
    for (path, body, content_type) in [
        (
            "/undeclared.xml",
            &undeclared,
            "text/xml; charset=iso-8859-1",
        ),
        (
            "/undeclared-1252.xml",
            &undeclared,
            "application/rss+xml; charset=windows-1252",
        ),
        ("/declared.xml", &declared, "text/xml"),
        (
            "/declared-latin1.xml",
            &declared,
            "text/xml; charset=ISO-8859-1",
        ),
    ] {
        site.put_bytes(path, content_type, body.as_bytes().to_vec());
        let project = one_feed_project("up", &site.url(path), "All", "");
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
        let titles: Vec<String> = items(&project, "all")
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(titles, ["Café société déjà vu"], "{path}");
        let warned = stderr.lines().any(|l| {
            l.contains(&site.url(path)) && l.contains("read as UTF-8") && l.contains("source=up")
        });
        assert!(warned, "{path}: {stderr}");
    }
    // Genuine Latin-1 (not UTF-8) under the same charset stays Latin-1.
    let latin1 = encoding_rs::WINDOWS_1252.encode(&undeclared).0.into_owned();
    site.put_bytes("/latin1.xml", "text/xml; charset=iso-8859-1", latin1);
    let (articles, stderr, code) = parse_json(&[&site.url("/latin1.xml")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(articles[0]["title"], "Café société déjà vu");
    assert!(!stderr.contains("read as"), "{stderr}");
}

#[test]
fn an_iso_2022_jp_feed_is_decoded_by_its_declaration_or_its_http_charset() {
    let (upstream, _) = upstream::start();
    let file = common::fixtures().join("feeds/rss-iso-2022-jp.xml");
    for location in [
        file.display().to_string(),
        // The HTTP charset alone (the XML declaration taken off), and both.
        format!("http://{upstream}/charset/iso-2022-jp/rss-iso-2022-jp.xml"),
        format!("http://{upstream}/charset-as-is/ISO-2022-JP/rss-iso-2022-jp.xml"),
    ] {
        let (articles, stderr, code) = parse_json(&[&location]);
        assert_eq!(code, Some(0), "{location}: {stderr}");
        assert!(stderr.trim().is_empty(), "{location}: {stderr}");
        let titles: Vec<&str> = articles
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            ["港湾計画を市議会が承認", "新しい橋が開通、渋滞が緩和へ"],
            "{location}"
        );
        assert_eq!(
            articles[0]["summary"], "横浜市議会は３日、港湾の拡張計画を賛成多数で承認した。",
            "{location}"
        );
    }
}

#[test]
fn a_304_to_a_request_that_was_not_conditional_fails_the_source() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&feeds_config(
        &[
            ("liar", format!("http://{upstream}/not-modified")),
            ("good", format!("http://{upstream}/feeds/rss20.xml")),
        ],
        "All upstream news",
        "",
    ));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    let report = format!("{stdout}{stderr}");
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        !report.contains("not modified since the last fetch"),
        "{report}"
    );
    assert!(
        report_of(&report, "liar")
            .contains("answered 304 Not Modified to a request that was not conditional"),
        "{report}"
    );
    assert!(
        !items(&project, "all").is_empty(),
        "the other source is read"
    );
    let sources = project.feedfold(&["sources"]);
    let (listing, _) = text(&sources);
    let liar: String = listing
        .lines()
        .skip_while(|l| !l.contains("liar"))
        .take_while(|l| !l.contains("good"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(liar.contains("failed"), "{listing}");
}

/// The `href` and `src` values in `text` (a published feed or page), as
/// written (JSON Feed escapes their quotes).
fn link_values(text: &str) -> Vec<String> {
    let text = text.replace("\\\"", "\"").replace("&quot;", "\"");
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|attr| text.match_indices(attr).map(|(i, _)| i + attr.len()))
        .map(|start| {
            let rest = &text[start..];
            rest[..rest.find('"').unwrap_or(rest.len())].to_string()
        })
        .collect()
}

/// A project with one feed source `name` read from `location`, published
/// as the feed `all` titled `title`; `extra` goes before the feed (a
/// `[server]` section).
fn one_feed_project(name: &str, location: &str, title: &str, extra: &str) -> Project {
    Project::new(&feeds_config(&[(name, location.to_string())], title, extra))
}

#[test]
fn relative_links_never_publish_the_source_urls_credentials_or_query() {
    let (upstream, _) = upstream::start();
    let project = one_feed_project(
        "ledger",
        &format!(
            "http://ledger-reader:S3CRET-PASS@{upstream}/feeds/rss-relative-links.xml?key=PRIVATE-KEY"
        ),
        "All upstream news",
        "[server]\nbind = \"127.0.0.1:0\"\n",
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let server = common::server::Server::start(&project, &[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let page = runtime.block_on(common::server::get_text(&server, "/articles"));
    for (name, published) in [
        ("all.rss", project.read("feeds/all.rss")),
        ("all.atom", project.read("feeds/all.atom")),
        ("all.json", project.read("feeds/all.json")),
        ("/articles", page),
    ] {
        for secret in ["ledger-reader", "S3CRET-PASS", "PRIVATE-KEY"] {
            assert!(!published.contains(secret), "{name}: {published}");
        }
        assert!(
            published.contains("/town/ferry-timetable.html"),
            "{name}: {published}"
        );
    }
    let items = items(&project, "all");
    let on_upstream = |path: &str| format!("http://{upstream}{path}");
    let item = |title: &str| items.iter().find(|i| i["title"] == title).unwrap();
    let links_of = |title: &str| link_values(item(title)["content_html"].as_str().unwrap());
    // An entry's link resolves against the document's URL (the feed names
    // no page of its own), its HTML and media against the entry's link.
    let ferry = "Ferry timetable changes for the winter season";
    assert_eq!(
        item(ferry)["url"],
        on_upstream("/town/ferry-timetable.html")
    );
    let links = links_of(ferry);
    for expected in [
        on_upstream("/town/ferry-timetable.html#note-1"),
        on_upstream("/town/ferry-timetable.html"),
        on_upstream("/town/photos/timetable.png"),
        on_upstream("/town/photos/ferry-dock.jpg"),
    ] {
        assert!(links.contains(&expected), "{expected} in {links:?}");
    }
    // Without a link of its own, the entry's HTML resolves against the
    // document's URL, whose query a `#fragment` never takes.
    let links = links_of("Pier repairs finish a week early");
    for expected in [
        on_upstream("/feeds/rss-relative-links.xml#note-2"),
        on_upstream("/feeds/photos/pier.jpg"),
    ] {
        assert!(links.contains(&expected), "{expected} in {links:?}");
    }
    check_feeds(&[
        project.path("feeds/all.rss"),
        project.path("feeds/all.atom"),
    ]);
}

#[test]
fn an_xml_base_of_another_scheme_is_ignored() {
    let (upstream, _) = upstream::start();
    let project = one_feed_project(
        "bulletin",
        &format!("http://{upstream}/feeds/atom-script-bases.xml"),
        "All upstream news",
        "",
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    for name in ["all.rss", "all.atom", "all.json"] {
        let published = project.read(&format!("feeds/{name}"));
        let links = link_values(&published);
        assert!(links.len() >= 4, "{name}: {links:?}");
        for link in &links {
            assert!(
                link.starts_with("http://") || link.starts_with("https://"),
                "{name}: {link} in {published}"
            );
        }
        assert!(
            links.contains(&"https://harbour-bulletin.example/chart.png".to_string()),
            "{name}: {links:?}"
        );
    }
}

#[test]
fn text_titles_read_the_same_in_every_published_format() {
    let project = one_feed_project("desk", "desk.atom", "Desk & <Wire>", "");
    project.write(
        "desk.atom",
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id><updated>2026-11-30T10:00:00Z</updated>
<entry><title type="text">Browsers differ on &lt;/br&gt; and &amp;nbsp; handling</title><id>urn:desk:1</id><link href="https://desk.example/1"/><updated>2026-11-30T10:00:00Z</updated><content type="text">Four browsers treat the stray end tag differently.</content></entry>
<entry><title type="text">Mayor &lt;script&gt;alert(1)&lt;/script&gt; opens the bridge</title><id>urn:desk:2</id><link href="https://desk.example/2"/><updated>2026-11-30T11:00:00Z</updated><content type="text">The new bridge carries trams from Monday.</content></entry>
<entry><title type="text">Q&amp;A: why &lt;b&gt; is not &lt;strong&gt;</title><id>urn:desk:3</id><link href="https://desk.example/3"/><updated>2026-11-30T12:00:00Z</updated><content type="text">Two elements, one look, different meanings.</content></entry>
<entry><title type="text">S&amp;P 500 rallies as AT&amp;T beats forecasts</title><id>urn:desk:4</id><link href="https://desk.example/4"/><updated>2026-11-30T13:00:00Z</updated><content type="text">Shares in AT&amp;T rose on Monday.</content></entry>
</feed>"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let mut stored: Vec<String> = items(&project, "all")
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    stored.sort();
    assert_eq!(
        stored,
        [
            "Browsers differ on </br> and &nbsp; handling",
            "Mayor <script>alert(1)</script> opens the bridge",
            "Q&A: why <b> is not <strong>",
            "S&P 500 rallies as AT&T beats forecasts",
        ]
    );
    // A reader taking RSS titles as text (newsboat) shows a title with no
    // markup or reference as written; the others are HTML-escaped.
    let rss = std::fs::read_to_string(project.path("feeds/all.rss")).unwrap();
    for title in [
        "<title>S&amp;P 500 rallies as AT&amp;T beats forecasts</title>",
        "<title>Mayor &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; opens the bridge</title>",
        "<title>Desk &amp;amp; &amp;lt;Wire&amp;gt;</title>",
    ] {
        assert!(rss.contains(title), "{title} in {rss}");
    }
    for file in ["feeds/all.rss", "feeds/all.atom"] {
        let (articles, stderr, code) = parse_json(&[project.path(file).to_str().unwrap()]);
        assert_eq!(code, Some(0), "{stderr}");
        let mut read: Vec<String> = articles
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect();
        read.sort();
        assert_eq!(read, stored, "{file}");
    }
    check_feeds(&[
        project.path("feeds/all.rss"),
        project.path("feeds/all.atom"),
    ]);
}

#[test]
fn a_picture_given_as_media_rss_and_in_the_content_is_published_once() {
    let project = one_feed_project("square", "square.rss", "All upstream news", "");
    project.write(
        "square.rss",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Square</title><link>https://square.example/</link><description>Town square news</description>
<item><title>Market returns to the old square</title><link>https://square.example/market</link><guid>sq-1</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
<media:content url="https://square.example/img/market.jpg" medium="image"><media:description>Stalls line the square at dawn</media:description><media:credit>Ana Ruiz</media:credit></media:content>
<content:encoded><![CDATA[<figure><img src="/img/market.jpg"><figcaption>Stalls line the square at dawn (Ana Ruiz)</figcaption></figure><p>The weekly market is back after two years.</p>]]></content:encoded>
</item>
<item><title>Fountain restored in time for summer</title><link>https://square.example/fountain</link><guid>sq-2</guid><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>
<media:thumbnail url="https://square.example/img/fountain-thumb.jpg" width="160"/>
<enclosure url="https://square.example/img/fountain.jpg" type="image/jpeg" length="1000"/>
<content:encoded><![CDATA[<p><img src="https://square.example/img/fountain.jpg" alt="The fountain"></p><p>Workers finished the basin on Friday.</p>]]></content:encoded>
</item>
</channel></rss>"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let items = items(&project, "all");
    let html_of = |title: &str| {
        items
            .iter()
            .find(|i| i["title"] == title)
            .and_then(|i| i["content_html"].as_str())
            .unwrap_or_else(|| panic!("{title} in {items:?}"))
            .to_string()
    };
    let market = html_of("Market returns to the old square");
    assert_eq!(market.matches("/img/market.jpg").count(), 1, "{market}");
    assert_eq!(
        market.matches("Stalls line the square").count(),
        1,
        "{market}"
    );
    let fountain = html_of("Fountain restored in time for summer");
    assert_eq!(
        fountain.matches("/img/fountain.jpg").count(),
        1,
        "{fountain}"
    );
}

#[test]
fn a_picture_the_content_shows_through_srcset_is_published_once_in_every_format() {
    let project = one_feed_project("harbour", "harbour.rss", "All upstream news", "");
    project.write(
        "harbour.rss",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour</title><link>https://harbour.example/</link><description>Harbour news</description>
<item><title>Harbour reopens after the storm</title><link>https://harbour.example/reopens</link><guid>hb-1</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
<media:content url="https://harbour.example/up/quay.jpg" medium="image"/>
<content:encoded><![CDATA[<figure><img width="1024" src="https://harbour.example/up/quay-1024x683.jpg" srcset="https://harbour.example/up/quay-1024x683.jpg 1024w, /up/quay-300x200.jpg 300w, /up/quay.jpg 1600w" sizes="100vw" loading="lazy"><figcaption>Boats return.</figcaption></figure><p>The harbour reopened on Monday.</p>]]></content:encoded>
</item>
<item><title>Ferry timetable changes</title><link>https://harbour.example/ferry</link><guid>hb-2</guid><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>
<enclosure url="https://harbour.example/up/ferry.webp" type="image/webp" length="1000"/>
<content:encoded><![CDATA[<picture><source srcset="/up/ferry.webp 1x, /up/ferry@2x.webp 2x" type="image/webp"><img src="/up/ferry.jpg" alt="The ferry"></picture><p>The winter timetable starts on Tuesday.</p>]]></content:encoded>
</item>
<item><title>New crane on the quay</title><link>https://harbour.example/crane</link><guid>hb-3</guid><pubDate>Mon, 30 Nov 2026 11:00:00 GMT</pubDate>
<media:content url="https://harbour.example/up/crane-full.jpg" medium="image"/>
<content:encoded><![CDATA[<p><img src="/up/crane.jpg" srcset="/up/crane.jpg 1x, /up/crane@2x.jpg 2x"></p><p>The crane lifts forty tonnes.</p>]]></content:encoded>
</item>
</channel></rss>"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let published = [
        project.read("feeds/all.rss"),
        project.read("feeds/all.atom"),
        project.read("feeds/all.json"),
    ];
    for feed in &published {
        // The HTML shows each picture once, by the file its `src` names.
        assert_eq!(feed.matches("up/quay-1024x683.jpg").count(), 1, "{feed}");
        assert_eq!(feed.matches("up/quay.jpg").count(), 0, "{feed}");
        assert_eq!(feed.matches("up/ferry.jpg").count(), 1, "{feed}");
        assert_eq!(feed.matches("up/ferry.webp").count(), 0, "{feed}");
        // A picture the HTML does not name is still added.
        assert_eq!(feed.matches("up/crane-full.jpg").count(), 1, "{feed}");
        assert_eq!(feed.matches("up/crane.jpg").count(), 1, "{feed}");
    }
}

#[test]
fn a_picture_a_script_loads_late_is_published_from_its_noscript_in_every_format() {
    let project = one_feed_project("wire", "wire.rss", "All upstream news", "");
    let entry = |guid: &str, title: &str, image: &str| {
        format!(
            "<item><title>{title}</title><link>https://wire.example/{guid}</link><guid>{guid}</guid>\
             <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description><![CDATA[<p>{title} on Tuesday.</p>\
             {image}<noscript><img src=\"/img/{guid}.jpg\"></noscript><p>Nobody was hurt.</p>]]></description></item>"
        )
    };
    project.write(
        "wire.rss",
        &format!(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Wire</title>\
             <link>https://wire.example/</link><description>Wire news</description>{}{}</channel></rss>",
            entry(
                "crane",
                "A crane fell into the harbour",
                "<img src=\"/ph.gif\" class=\"lazyload\" width=\"1\" height=\"1\">"
            ),
            entry(
                "bridge",
                "The old bridge closed for repairs",
                "<div><img src=\"/ph.gif\" loading=\"lazy\"></div>"
            ),
        ),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    for file in ["all.rss", "all.atom", "all.json"] {
        let published = project.read(&format!("feeds/{file}"));
        for picture in ["img/crane.jpg", "img/bridge.jpg"] {
            assert_eq!(published.matches(picture).count(), 1, "{file}: {published}");
        }
        assert!(!published.contains("ph.gif"), "{file}: {published}");
    }
    check_feeds(&[
        project.path("feeds/all.rss"),
        project.path("feeds/all.atom"),
    ]);
}

#[test]
fn an_entry_dated_years_ahead_is_dated_when_first_seen() {
    let project = one_feed_project("events", "events.rss", "Events", "");
    project.write(
        "events.rss",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Events desk</title><link>https://events.example/</link><description>What is on</description>
<item><title>Concert hall reopens with a season of free matinees</title><link>https://events.example/hall</link><guid>hall</guid><pubDate>Wed, 01 Jan 2031 19:00:00 GMT</pubDate><description>The hall reopens after two years of repairs, with free matinees every Sunday.</description></item>
<item><title>Library extends its opening hours into the evening</title><link>https://events.example/library</link><guid>library</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate><description>The central library now stays open until nine on weekdays.</description></item>
</channel></rss>"#,
    );
    let before = chrono::Utc::now();
    let output = project.feedfold(&["run"]);
    let after = chrono::Utc::now();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("events.rss") && stderr.contains("2031-01-01T19:00:00Z"),
        "the log names the entry and its date: {stderr}"
    );
    let items = items(&project, "all");
    let date_of = |title: &str| {
        let item = items.iter().find(|i| i["title"] == title).unwrap();
        chrono::DateTime::parse_from_rfc3339(item["date_published"].as_str().unwrap()).unwrap()
    };
    let hall = date_of("Concert hall reopens with a season of free matinees");
    let second = chrono::Duration::seconds(1);
    assert!(before - second <= hall && hall <= after + second, "{hall}");
    assert_eq!(
        date_of("Library extends its opening hours into the evening").to_rfc3339(),
        "2026-11-30T09:00:00+00:00"
    );
    let atom = project.read("feeds/all.atom");
    assert!(!atom.contains("2031"), "{atom}");
    // Seen again, it is not warned of every run.
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stderr.contains("2031"), "{stderr}");
}

#[test]
fn media_files_reach_every_published_format() {
    let project = Project::new(&feeds_config(
        &[
            ("radio", "radio.rss".to_string()),
            ("video", "video.atom".to_string()),
            ("clips", "clips.json".to_string()),
        ],
        "Media",
        "",
    ));
    project.write(
        "radio.rss",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Radio desk</title><link>https://radio.example/</link><description>Bulletins</description>
<item><title>Morning bulletin: flood warnings along the river</title><link>https://radio.example/bulletins/0601</link><guid>b-0601</guid><pubDate>Mon, 30 Nov 2026 07:00:00 GMT</pubDate><description>Flood warnings are in force for towns along the lower river.</description>
<enclosure url="/audio/bulletin-0601.mp3" type="audio/mpeg" length="4820113"/>
<enclosure url="https://radio.example/img/river.jpg" type="image/jpeg" length="1"/></item>
<item><title>Evening bulletin: bridge closed for repairs</title><link>https://radio.example/bulletins/0602</link><guid>b-0602</guid><pubDate>Mon, 30 Nov 2026 18:00:00 GMT</pubDate><description>The old bridge closes for repairs until March.</description>
<enclosure url="javascript:alert(1)" type="audio/mpeg" length="10"/></item>
</channel></rss>"#,
    );
    project.write(
        "video.atom",
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Video desk</title><id>urn:video</id><updated>2026-11-30T12:00:00Z</updated>
<entry><title>Watch: the new tram line's first run</title><id>urn:video:1</id><updated>2026-11-30T12:00:00Z</updated>
<link rel="alternate" href="https://video.example/tram"/><link rel="enclosure" href="https://video.example/media/tram.mp4" type="video/mp4" length="73400320"/>
<summary>The first tram left the depot at six in the morning.</summary></entry>
</feed>"#,
    );
    project.write(
        "clips.json",
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"Clips","items":[
{"id":"c1","url":"https://clips.example/council","title":"Council debate in ninety seconds","content_text":"The council debated the budget for four hours on Tuesday.","date_published":"2026-11-29T20:00:00Z",
 "attachments":[{"url":"https://clips.example/council.m4a","mime_type":"audio/mp4","size_in_bytes":1440000},{"url":"https://clips.example/council.png","mime_type":"image/png"}]}]}"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");

    let rss = project.read("feeds/all.rss");
    for expected in [
        r#"<enclosure url="https://radio.example/audio/bulletin-0601.mp3" length="4820113" type="audio/mpeg"/>"#,
        r#"<enclosure url="https://video.example/media/tram.mp4" length="73400320" type="video/mp4"/>"#,
        r#"<enclosure url="https://clips.example/council.m4a" length="1440000" type="audio/mp4"/>"#,
    ] {
        assert!(rss.contains(expected), "{expected} in {rss}");
    }
    assert_eq!(rss.matches("<enclosure").count(), 3, "{rss}");
    assert!(!rss.contains("javascript:"), "{rss}");
    let atom = project.read("feeds/all.atom");
    assert!(
        atom.contains(r#"href="https://video.example/media/tram.mp4" rel="enclosure" type="video/mp4" length="73400320""#),
        "{atom}"
    );
    assert_eq!(atom.matches(r#"rel="enclosure""#).count(), 3, "{atom}");
    let items = items(&project, "all");
    let clip = items
        .iter()
        .find(|i| i["title"] == "Council debate in ninety seconds")
        .unwrap();
    assert_eq!(
        clip["attachments"],
        serde_json::json!([{"url": "https://clips.example/council.m4a", "mime_type": "audio/mp4", "size_in_bytes": 1440000}])
    );
    check_feeds(&[
        project.path("feeds/all.rss"),
        project.path("feeds/all.atom"),
        project.path("feeds/all.json"),
    ]);
}

/// A bulletin feed: each item the same headline and text over its own
/// recording, as `days` gives them (newest first), and `link` (the show's
/// page, or nothing) as every item's link.
fn bulletins(days: &[u32], link: &str) -> String {
    let items: String = days
        .iter()
        .map(|day| {
            format!(
                "<item><title>Morning bulletin</title>{link}<guid isPermaLink=\"false\">bulletin-{day}</guid>\
                 <pubDate>{day} Nov 2026 07:00:00 GMT</pubDate><description>The latest news from Calder Radio.</description>\
                 <enclosure url=\"https://radio.example/audio/bulletin-{day}.mp3\" type=\"audio/mpeg\" length=\"4810000\"/></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Calder Radio</title>\
         <link>https://radio.example/</link><description>Bulletins</description>{items}</channel></rss>"
    )
}

#[test]
fn bulletins_that_share_their_text_over_different_recordings_are_each_published() {
    let project = one_feed_project("radio", "radio.rss", "Radio", "");
    project.write("radio.rss", &bulletins(&[19, 18], ""));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    project.write("radio.rss", &bulletins(&[20, 19, 18], ""));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("1 new"), "{stdout}");
    let published: Vec<(String, String)> = items(&project, "all")
        .iter()
        .map(|item| {
            (
                item["date_published"].as_str().unwrap().to_string(),
                item["attachments"][0]["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [20, 19, 18]
        .iter()
        .map(|day| {
            (
                format!("2026-11-{day}T07:00:00Z"),
                format!("https://radio.example/audio/bulletin-{day}.mp3"),
            )
        })
        .collect();
    assert_eq!(published, expected);
    common::assert_nothing_folded(&project);
}

#[test]
fn episodes_that_each_link_to_the_shows_page_are_each_published() {
    let project = one_feed_project("radio", "radio.rss", "Radio", "");
    let show = "<link>https://radio.example/bulletin</link>";
    // A feed that lists the latest episode only, then one that lists three.
    for days in [&[18][..], &[19], &[21, 20, 19]] {
        project.write("radio.rss", &bulletins(days, show));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
        assert!(!stderr.contains("WARN"), "{stderr}");
    }
    let files: Vec<String> = items(&project, "all")
        .iter()
        .map(|item| item["attachments"][0]["url"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = [21, 20, 19, 18]
        .iter()
        .map(|day| format!("https://radio.example/audio/bulletin-{day}.mp3"))
        .collect();
    assert_eq!(files, expected);
    common::assert_nothing_folded(&project);
}

/// A newsletter feed's edition: its own guid and date, three paragraphs of
/// its own news, under the newsletter's headline and landing page.
fn edition(guid: &str, date: &str, paragraphs: [&str; 3]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("&lt;p&gt;{p}&lt;/p&gt;"))
        .collect();
    gazette(&format!(
        "<item><guid isPermaLink=\"false\">{guid}</guid><title>Evening Digest</title>\
         <link>https://gazette.example/evening-digest</link><pubDate>{date}</pubDate>\
         <description>{body}</description></item>"
    ))
}

#[test]
fn a_newsletters_editions_linking_to_its_landing_page_are_each_published() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    // The feed carries the latest edition only.
    let editions = [
        edition(
            "digest-2026-11-02",
            "Mon, 02 Nov 2026 18:00:00 GMT",
            [
                "Good evening. The harbour board has approved a second deep-water berth, \
                 which will take three years to build and cost the port twelve million pounds.",
                "Bin collections in the old town move from Tuesdays to Thursdays from next \
                 month, the council has said.",
                "And the lifeboat crew rescued two walkers cut off by the tide below the \
                 north cliffs this afternoon.",
            ],
        ),
        edition(
            "digest-2026-11-03",
            "Tue, 03 Nov 2026 18:00:00 GMT",
            [
                "Good evening. A fire at a furniture warehouse on the industrial estate \
                 sent smoke across the town, and residents were told to keep windows shut.",
                "The swimming baths on Quay Street will close for a year of repairs from \
                 the spring, the leisure trust announced.",
                "And the town's oldest shop, a bakery open since 1891, is to close at the \
                 end of the year.",
            ],
        ),
        // Three weeks later.
        edition(
            "digest-2026-11-24",
            "Tue, 24 Nov 2026 18:00:00 GMT",
            [
                "Good evening. The ring road bridge reopened to traffic after six weeks of \
                 resurfacing, a fortnight ahead of schedule.",
                "Parents have until Friday to apply for primary school places for next \
                 September, the education office reminded families.",
                "And gales are forecast along the coast overnight, with ferry sailings \
                 likely to be disrupted in the morning.",
            ],
        ),
    ];
    for (run, edition) in editions.iter().enumerate() {
        project.write("gazette.rss", edition);
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(
            stdout.contains("1 entry read, 1 new, 0 already known"),
            "edition {run}: {stdout}{stderr}"
        );
    }
    let feed = serde_json::to_string(&items(&project, "all")).unwrap();
    for news in [
        "deep-water berth",
        "furniture warehouse",
        "ring road bridge reopened",
    ] {
        assert!(feed.contains(news), "{news}: {feed}");
    }
    common::assert_nothing_folded(&project);
}

#[test]
fn stories_under_a_section_link_sharing_only_a_newsletter_footer_are_each_published() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    // The template gives the section page as every item's link, and every
    // body ends with the newsletter footer.
    let story = |guid: &str, title: &str, date: &str, paragraphs: [&str; 2]| {
        gazette(&format!(
            "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>\
             <link>https://gazette.example/local/</link><pubDate>{date}</pubDate>\
             <description>&lt;p&gt;{}&lt;/p&gt;&lt;p&gt;{}&lt;/p&gt;&lt;p&gt;Get the Harbour \
             Gazette's evening email for the day's local news, sport and weather, sent free \
             to your inbox at six o'clock every weekday.&lt;/p&gt;</description></item>",
            paragraphs[0], paragraphs[1]
        ))
    };
    project.write(
        "gazette.rss",
        &story(
            "hg-2201",
            "Lifeboat Crew Rescues Walkers Cut Off by the Tide",
            "Mon, 02 Nov 2026 15:00:00 GMT",
            [
                "Two walkers were rescued by the lifeboat crew on Monday afternoon after the \
                 tide cut them off below the north cliffs.",
                "The coastguard urged visitors to check tide times before setting out along \
                 the foreshore, where the water comes in quickly.",
            ],
        ),
    );
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    project.write(
        "gazette.rss",
        &story(
            "hg-2202",
            "Quay Street Baths to Close for a Year of Repairs",
            "Mon, 02 Nov 2026 17:00:00 GMT",
            [
                "The swimming baths on Quay Street will close for a year from the spring so \
                 that the leaking roof and the old boilers can be replaced.",
                "The leisure trust said swimmers could use the pool at the sports centre \
                 instead, with extra sessions added for schools and clubs.",
            ],
        ),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("1 entry read, 1 new, 0 already known"),
        "{stdout}{stderr}"
    );
    let titles: Vec<String> = items(&project, "all")
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "Quay Street Baths to Close for a Year of Repairs",
            "Lifeboat Crew Rescues Walkers Cut Off by the Tide"
        ]
    );
    common::assert_nothing_folded(&project);
}

#[test]
fn one_story_whose_media_file_two_sources_sign_differently_is_published_once() {
    let story = |site: &str, signature: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{site}</title><link>https://{site}.example/</link><description>News</description>\
             <item><title>Council approves new harbour bridge after long debate</title><link>https://{site}.example/bridge</link>\
             <guid isPermaLink=\"false\">{site}-1</guid><pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>\
             <description>The city council voted on Monday evening to approve a new bridge across the harbour, ending a debate that lasted three years.</description>\
             <enclosure url=\"https://cdn.example/audio/bridge.mp3?sig={signature}&amp;utm_source={site}\" type=\"audio/mpeg\" length=\"4200\"/></item></channel></rss>"
        )
    };
    let project = Project::new(&feeds_config(
        &[("north", "north.rss".into()), ("south", "south.rss".into())],
        "News",
        "",
    ));
    project.write("north.rss", &story("north", "c0ffee"));
    project.write("south.rss", &story("south", "d00dad"));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let items = items(&project, "all");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["url"], "https://north.example/bridge");
}

#[test]
fn tracking_parameters_in_an_entrys_html_and_media_signatures_are_no_edit() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let item = |campaign: u32| {
        format!(
            "<item><title>Harbour dues rise for the winter season</title><guid isPermaLink=\"false\">g-512</guid>\
             <link>https://gazette.example/dues?utm_source=rss&amp;utm_campaign={campaign}</link>\
             <pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>\
             <description><![CDATA[<p>Boat owners will pay more to moor in the <a href=\"https://gazette.example/harbour?utm_source=rss&utm_campaign={campaign}\">harbour</a> from January.</p>]]></description>\
             <enclosure url=\"https://cdn.example/audio/dues.mp3?token=t{campaign}\" type=\"audio/mpeg\" length=\"900\"/></item>"
        )
    };
    project.write("gazette.rss", &gazette(&item(412)));
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let first = items(&project, "all");
    for campaign in [413, 414] {
        project.write("gazette.rss", &gazette(&item(campaign)));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(
            stdout.contains("1 entry read, 0 new, 1 already known"),
            "{stdout}{stderr}"
        );
    }
    let items = items(&project, "all");
    assert_eq!(items[0]["date_modified"], first[0]["date_modified"]);
    assert_eq!(items[0]["date_modified"], "2026-12-01T08:00:00Z");
}

#[test]
fn pictures_signed_anew_on_every_fetch_are_no_edit() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let items_signed = |signature: u32| {
        let s3 = format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Date=20261207T0{signature}Z&amp;X-Amz-Expires=3600&amp;X-Amz-Signature=5e{signature}"
        );
        let cloudfront =
            format!("Expires=17{signature}&amp;Signature=c1{signature}&amp;Key-Pair-Id=K2");
        format!(
            "<item><title>Tram depot gets a new roof this winter</title><guid isPermaLink=\"false\">g-roof</guid>\
             <pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>\
             <enclosure url=\"https://bucket.s3.example/roof.jpg?{s3}\" type=\"image/jpeg\" length=\"900\"/>\
             <description>The tram depot will get a new roof this winter, the operator said.</description></item>\
             <item><title>Bridge repairs start in the spring</title><guid isPermaLink=\"false\">g-bridge</guid>\
             <pubDate>Tue, 01 Dec 2026 07:00:00 GMT</pubDate>\
             <description><![CDATA[<p>Repairs to the old bridge start in spring, the council said; see <a href=\"https://cdn.example/bridge-plan.pdf?{cloudfront}\">the plan</a>.</p><p><img src=\"https://cdn.example/bridge.jpg?{cloudfront}\" alt=\"The old bridge\"></p>]]></description></item>"
        )
    };
    project.write("gazette.rss", &gazette(&items_signed(412)));
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let first = project.read("feeds/all.atom");
    for signature in [413, 414] {
        project.write("gazette.rss", &gazette(&items_signed(signature)));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(
            stdout.contains("2 entries read, 0 new, 2 already known"),
            "{stdout}{stderr}"
        );
        assert!(stdout.contains("0 files written"), "{stdout}{stderr}");
    }
    assert_eq!(project.read("feeds/all.atom"), first);
}

#[test]
fn html_written_with_its_attributes_in_another_order_or_an_empty_paragraph_is_no_edit() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let item = |link: &str, after: &str| {
        format!(
            "<item><title>Council publishes the harbour plan</title><guid isPermaLink=\"false\">g-plan</guid>\
             <pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>\
             <description><![CDATA[<p>The council published the harbour plan on Monday; read {link} online.</p>{after}]]></description></item>"
        )
    };
    let ordered = r#"<a href="https://gazette.example/plan" title="The plan">the plan</a>"#;
    let reordered = r#"<a title="The plan" href="https://gazette.example/plan">the plan</a>"#;
    project.write("gazette.rss", &gazette(&item(ordered, "")));
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    for (link, after) in [
        (reordered, "<p></p>"),
        (ordered, ""),
        (reordered, "<p> </p>"),
    ] {
        project.write("gazette.rss", &gazette(&item(link, after)));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(
            stdout.contains("1 entry read, 0 new, 1 already known"),
            "{stdout}{stderr}"
        );
    }
    // What a reader sees changed is an edit.
    let retitled = ordered.replace("The plan", "The new plan");
    project.write("gazette.rss", &gazette(&item(&retitled, "")));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(stdout.contains("1 updated"), "{stdout}{stderr}");
}

#[test]
fn an_entry_dated_only_by_its_update_date_takes_the_upstreams_new_one_when_edited() {
    let project = one_feed_project("notes", "notes.atom", "Notes", "");
    let write = |updated: &str, text: &str| {
        project.write(
            "notes.atom",
            &format!(
                r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Allotment notes</title><id>urn:notes</id><updated>{updated}</updated><author><name>Tam Reyes</name></author>
<entry><title>Frost arrives early on the allotments</title><id>urn:notes:frost</id><link href="https://notes.example/frost"/><updated>{updated}</updated>
<content type="html">&lt;p&gt;{text}&lt;/p&gt;</content></entry></feed>"#
            ),
        )
    };
    write(
        "2026-11-21T08:00:00Z",
        "The first frost came three weeks early and took the late beans.",
    );
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    write(
        "2026-11-21T15:30:00Z",
        "The first frost came three weeks early and took the late beans, but the leeks survived.",
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(stdout.contains("1 updated"), "{stdout}{stderr}");
    let items = items(&project, "all");
    assert_eq!(items[0]["date_published"], "2026-11-21T08:00:00Z");
    assert_eq!(items[0]["date_modified"], "2026-11-21T15:30:00Z");
    let atom = project.read("feeds/all.atom");
    assert!(
        atom.contains("<updated>2026-11-21T15:30:00+00:00</updated>"),
        "{atom}"
    );
}

/// An RSS document of `items` from the Harbour Gazette.
fn gazette(items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Harbour Gazette</title><link>https://gazette.example/</link><description>News</description>
{items}
</channel></rss>"#
    )
}

#[test]
fn an_entry_once_sharing_its_guid_with_another_is_still_updated_when_edited() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let item = |guid: &str, slug: &str, title: &str, text: &str| {
        format!(
            "<item><title>{title}</title><guid>{guid}</guid><link>https://gazette.example/{slug}</link>\
             <pubDate>Sat, 21 Nov 2026 09:00:00 GMT</pubDate><description>{text}</description></item>"
        )
    };
    let pier = |text: &str| item("g-310", "pier", "Pier reopens after storm repairs", text);
    let market = item(
        "g-310",
        "market",
        "Night market moves indoors",
        "The night market moves into the old fish hall for the winter.",
    );
    let first = "The pier reopened on Saturday after six weeks of storm repairs.";
    project.write("gazette.rss", &gazette(&(pier(first) + &market)));
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let edited =
        "The pier reopened on Saturday after six weeks of storm repairs costing 40,000 pounds.";
    project.write("gazette.rss", &gazette(&pier(edited)));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("1 entry read, 0 new, 0 already known, 1 updated"),
        "{stdout}{stderr}"
    );
    let items = items(&project, "all");
    let pier_items: Vec<_> = items
        .iter()
        .filter(|i| i["url"] == "https://gazette.example/pier")
        .collect();
    assert_eq!(pier_items.len(), 1, "{items:?}");
    assert!(
        pier_items[0]["content_html"]
            .as_str()
            .unwrap()
            .contains("40,000"),
        "{items:?}"
    );
    // Seen again as it is, it is known.
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("0 new, 1 already known"), "{stdout}");
}

#[test]
fn an_entry_whose_link_byline_html_or_photo_changed_is_updated_then_known() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let item = |link: &str, author: &str, href: &str, photo: &str| {
        format!(
            "<item><title>Harbour dues rise next year</title><guid isPermaLink=\"false\">g-411</guid>\
             <link>{link}</link><pubDate>Sat, 21 Nov 2026 09:00:00 GMT</pubDate><dc:creator>{author}</dc:creator>\
             <description><![CDATA[<p>Boat owners will pay more under the <a href=\"{href}\">new tariff</a> from January.</p>]]></description>{photo}</item>"
        )
    };
    project.write(
        "gazette.rss",
        &gazette(&item(
            "http://gazette.example/harbour-due",
            "Gazette Staff",
            "http://gazette.example/tarif.pdf",
            "",
        )),
    );
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let first = items(&project, "all");
    project.write(
        "gazette.rss",
        &gazette(&item(
            "https://gazette.example/harbour-dues",
            "Ines Moreau",
            "https://gazette.example/tariff-2027.pdf",
            "<media:content url=\"https://gazette.example/img/moorings.jpg\" medium=\"image\">\
             <media:description>Moorings at the east quay</media:description></media:content>",
        )),
    );
    for run in 0..3 {
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        let expected = if run == 0 {
            "1 entry read, 0 new, 0 already known, 1 updated"
        } else {
            "1 entry read, 0 new, 1 already known"
        };
        assert!(stdout.contains(expected), "run {run}: {stdout}{stderr}");
    }
    let items = items(&project, "all");
    let item = &items[0];
    assert_eq!(items.len(), 1);
    assert_eq!(item["id"], first[0]["id"]);
    assert_eq!(item["date_published"], first[0]["date_published"]);
    assert_eq!(item["url"], "https://gazette.example/harbour-dues");
    assert_eq!(
        item["authors"],
        serde_json::json!([{"name": "Ines Moreau"}])
    );
    let html = item["content_html"].as_str().unwrap();
    assert!(html.contains("tariff-2027.pdf"), "{html}");
    assert!(html.contains("Moorings at the east quay"), "{html}");
}

#[test]
fn an_entry_known_by_its_link_is_updated_whatever_its_tracking_parameters() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    // No guid: the entry is known by its link, whose tracking parameters
    // change from fetch to fetch.
    let pier = |campaign: &str, title: &str, text: &str| {
        gazette(&format!(
            "<item><title>{title}</title>\
             <link>https://gazette.example/pier?utm_campaign={campaign}&amp;utm_medium=rss</link>\
             <pubDate>Sat, 21 Nov 2026 09:00:00 GMT</pubDate><description>{text}</description></item>"
        ))
    };
    let first = "The pier reopens in March after the storm repairs, the council said.";
    project.write(
        "gazette.rss",
        &pier("daily-1", "Pier reopens in March", first),
    );
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let corrected = "The pier reopens in April after the storm repairs, the council said.";
    for (campaign, expected) in [
        ("daily-2", "0 new, 0 already known, 1 updated"),
        ("daily-3&amp;fbclid=IwAR0", "0 new, 1 already known"),
        // Parameters in the fragment tell no entry from another either.
        ("daily-4#xtor=RSS-8", "0 new, 1 already known"),
    ] {
        project.write(
            "gazette.rss",
            &pier(campaign, "Pier reopens in April", corrected),
        );
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(stdout.contains(expected), "{campaign}: {stdout}{stderr}");
        let items = items(&project, "all");
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0]["title"], "Pier reopens in April", "{items:?}");
    }
    // Nothing was folded as a copy of it.
    let (dups, _) = text(&project.feedfold(&["dups"]));
    assert!(!dups.contains("same-link"), "{dups}");
}

/// Runs feedfold over `first`, then over `second` (the feed fetched again),
/// and returns the second run's output.
fn run_twice(project: &Project, location: &str, first: &str, second: &str) -> String {
    project.write(location, first);
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    project.write(location, second);
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    stdout
}

/// Asserts that the feed `all` publishes the story `title` once, with the
/// `corrected` teaser in every format, and that `feedfold dups` lists the
/// new copy as replacing the stored text by its link.
fn assert_story_corrected(project: &Project, title: &str, stale: &str, corrected: &str) {
    let items: Vec<_> = items(project, "all")
        .into_iter()
        .filter(|item| item["title"] == title)
        .collect();
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["summary"], corrected, "{items:#?}");
    for ext in ["rss", "atom"] {
        let feed = project.read(&format!("feeds/all.{ext}"));
        assert!(feed.contains(corrected) && !feed.contains(stale), "{feed}");
    }
    let (dups, _) = text(&project.feedfold(&["dups"]));
    assert!(
        dups.contains("same-link") && dups.contains("replaced the stored text"),
        "{dups}"
    );
}

#[test]
fn a_teaser_corrected_under_a_new_guid_replaces_the_stored_one() {
    let project = one_feed_project("news", "news.rss", "News", "");
    // The guid's "#N" suffix is the item's place in the feed, which moves
    // when a story lands on top; the link and headline stay.
    let title = "Train drivers' union announces new strike dates";
    let item = |place: u32, text: &str, date: &str| {
        format!(
            "<item><title>{title}</title>\
             <description>{text}</description>\
             <link>https://news.example/articles/c123abc?at_medium=RSS&amp;at_campaign=rss</link>\
             <guid isPermaLink=\"false\">https://news.example/articles/c123abc#{place}</guid>\
             <pubDate>{date}</pubDate></item>"
        )
    };
    let stale = "The union says members at 12 operators will walk out on three days in January.";
    let corrected = "The union says members at 12 operators will walk out on four days in \
                     January, in a long-running dispute over pay.";
    let on_top = "<item><title>Bridge closed after lorry crash</title>\
        <description>A bridge was closed after a lorry hit the barrier.</description>\
        <link>https://news.example/articles/c999zzz</link>\
        <guid isPermaLink=\"false\">https://news.example/articles/c999zzz#0</guid>\
        <pubDate>Sat, 05 Dec 2026 17:30:00 GMT</pubDate></item>";
    let stdout = run_twice(
        &project,
        "news.rss",
        &gazette(&item(0, stale, "Sat, 05 Dec 2026 16:02:53 GMT")),
        &gazette(&format!(
            "{on_top}{}",
            item(1, corrected, "Sat, 05 Dec 2026 17:10:00 GMT")
        )),
    );
    assert!(
        stdout.contains("1 new, 0 already known, 1 updated"),
        "{stdout}"
    );
    let items = items(&project, "all");
    assert_eq!(items.len(), 2, "{items:#?}");
    assert_eq!(items[1]["summary"], corrected, "{items:#?}");
}

#[test]
fn an_atom_summary_corrected_under_a_new_id_replaces_the_stored_one() {
    let project = one_feed_project("desk", "desk.atom", "Desk", "");
    let entry = |id: &str, text: &str, updated: &str| {
        format!(
            r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id><updated>{updated}</updated>
<entry><title>Ferry timetable changes for winter</title><id>{id}</id>
<published>2026-12-05T09:00:00Z</published><updated>{updated}</updated>
<link href="https://desk.example/?p=1"/><summary>{text}</summary></entry></feed>"#
        )
    };
    let stale = "Island ferries will sail twice a day from the first of January.";
    let corrected = "Island ferries will sail three times a day from the second of January.";
    let stdout = run_twice(
        &project,
        "desk.atom",
        &entry("tag:desk.example,2026:1", stale, "2026-12-05T09:00:00Z"),
        &entry(
            "https://desk.example/?p=1",
            corrected,
            "2026-12-05T11:30:00Z",
        ),
    );
    assert!(
        stdout.contains("0 new, 0 already known, 1 updated"),
        "{stdout}"
    );
    assert_eq!(items(&project, "all").len(), 1);
    let title = "Ferry timetable changes for winter";
    assert_story_corrected(&project, title, stale, corrected);
    // Fetched again, the corrected entry is known.
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("0 new, 1 already known"), "{stdout}");
}

#[test]
fn markup_the_html_parser_repairs_logs_nothing() {
    let project = one_feed_project("desk", "desk.rss", "Desk", "");
    // Text held directly by a table, which the parser moves out of it.
    let cells: String = (0..200)
        .map(|i| format!("stray {i}<tr><td>cell {i}</td></tr>"))
        .collect();
    project.write(
        "desk.rss",
        &gazette(&format!(
            "<item><guid>t-1</guid><title>Results table</title>\
             <description><![CDATA[<p>The results are in.</p><table>{cells}</table>]]></description></item>"
        )),
    );
    for args in [&["run"][..], &["run", "--quiet"]] {
        let output = project.feedfold(args);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
        assert!(!stderr.contains("html5ever"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_scheduled_post_updated_before_it_was_published_takes_later_edits() {
    let project = one_feed_project("desk", "desk.atom", "Desk", "");
    // A scheduled post: saved on the 19th, published on the 20th; edited
    // later with its update date left as it was.
    let post = |text: &str| {
        format!(
            r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id><updated>2026-11-20T10:00:00Z</updated>
<entry><title>Council approves budget</title><id>urn:post-7</id>
<published>2026-11-20T10:00:00Z</published><updated>2026-11-19T16:00:00Z</updated>
<link href="https://desk.example/post-7"/><summary>{text}</summary></entry></feed>"#
        )
    };
    project.write(
        "desk.atom",
        &post("The council approved the budget on Friday."),
    );
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let corrected = "The council approved the budget on Thursday, not Friday as first reported.";
    project.write("desk.atom", &post(corrected));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(stdout.contains("1 updated"), "{stdout}{stderr}");
    let items = items(&project, "all");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["summary"], corrected, "{items:?}");
    assert_eq!(items[0]["date_published"], "2026-11-20T10:00:00Z");
}

#[test]
fn entries_without_a_guid_told_apart_by_their_fragment_stay_apart_across_runs() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    // A live page's posts, each alone in the feed when it is fetched.
    let post = |anchor: &str, title: &str, text: &str| {
        gazette(&format!(
            "<item><title>{title}</title>\
             <link>https://gazette.example/live.html?utm_source=rss#{anchor}</link>\
             <pubDate>Sat, 21 Nov 2026 09:00:00 GMT</pubDate><description>{text}</description></item>"
        ))
    };
    project.write(
        "gazette.rss",
        &post(
            "post-1",
            "Ferry strike begins at dawn",
            "Crews walked off the island ferries at dawn over the new rota, the union said.",
        ),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("1 new, 0 already known"),
        "{stdout}{stderr}"
    );
    project.write(
        "gazette.rss",
        &post(
            "post-2",
            "Council opens emergency line",
            "The council opened a telephone line for islanders stranded by the strike.",
        ),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("1 new, 0 already known") && !stdout.contains("updated"),
        "{stdout}{stderr}"
    );
    let mut titles: Vec<String> = items(&project, "all")
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Council opens emergency line",
            "Ferry strike begins at dawn"
        ]
    );
}

#[test]
fn a_live_pages_posts_under_its_headline_are_each_a_story_by_their_anchor() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    // A live page's posts, all under the page's headline, with no guid.
    let item = |anchor: &str, minute: u32, text: &str| {
        format!(
            "<item><title>Storm live: latest updates</title>\
             <link>https://gazette.example/live.html{anchor}</link>\
             <pubDate>Thu, 03 Dec 2026 09:{minute:02}:00 GMT</pubDate><description>{text}</description></item>"
        )
    };
    let winds = "Winds of up to 90mph have been recorded on the coast road, forecasters said.";
    let ferries =
        "All ferries to the islands are cancelled for the rest of the day, the operator said.";
    let school = "Every school on the islands is closed until Monday, the council said.";
    let bridge = "The causeway bridge is shut to high-sided vehicles, police said.";
    let run = |items: &[String], expected: &str| {
        project.write("gazette.rss", &gazette(&items.concat()));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(stdout.contains(expected), "{items:?}: {stdout}{stderr}");
    };
    // One post per fetch: each post is new.
    run(&[item("#post-1", 0, winds)], "1 new, 0 already known");
    run(&[item("#post-2", 20, ferries)], "1 new, 0 already known");
    // Two posts in one fetch: each is new.
    run(
        &[item("#post-3", 30, school), item("#post-4", 40, bridge)],
        "2 new, 0 already known",
    );
    let feed = serde_json::to_string(&items(&project, "all")).unwrap();
    for text in [winds, ferries, school, bridge] {
        assert!(feed.contains(text), "{text}: {feed}");
    }
    // The page itself, and the page under an anchor every page has, are
    // still the link of the story it holds.
    let edited = "Winds of up to 95mph have been recorded on the coast road, forecasters said.";
    run(&[item("", 0, edited)], "0 new, 1 already known");
    run(&[item("#comments", 0, edited)], "0 new, 1 already known");
    assert_eq!(items(&project, "all").len(), 4);
    let (dups, _) = text(&project.feedfold(&["dups"]));
    assert!(dups.contains("same-link"), "{dups}");
}

#[test]
fn an_entry_stored_under_its_link_as_written_is_still_known_by_it() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let written = "https://gazette.example/pier/?utm_source=rss";
    let pier = |text: &str| {
        gazette(&format!(
            "<item><title>Pier reopens</title><link>{written}</link>\
             <pubDate>Sat, 21 Nov 2026 09:00:00 GMT</pubDate><description>{text}</description></item>"
        ))
    };
    project.write("gazette.rss", &pier("The pier reopens in March."));
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let id = items(&project, "all")[0]["id"].clone();
    // A store written before tracking parameters were dropped from its key holds the
    // link as written.
    let conn = rusqlite::Connection::open(project.path("feedfold.db")).unwrap();
    let moved = conn
        .execute("UPDATE upstream_key SET key = ?1", [written])
        .unwrap();
    assert_eq!(moved, 1);
    drop(conn);
    project.write("gazette.rss", &pier("The pier reopens in April."));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("0 new, 0 already known, 1 updated"),
        "{stdout}{stderr}"
    );
    let items = items(&project, "all");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["id"], id, "{items:?}");
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("0 new, 1 already known"), "{stdout}");
}

/// The bridge story's texts: as first published, rewritten (the same
/// length: no later version of it by any date), edited shorter than nine
/// tenths of the first, the first edited shorter still, and the rewrite
/// edited to about the first's length.
const BRIDGE: [&str; 5] = [
    "The mayor opened the new bridge over the river on Monday morning in front of a large crowd of residents.",
    "Traffic was halted for hours as the bridge closed again on Tuesday after inspectors found cracks in a support.",
    "The bridge reopened on Wednesday after engineers repaired the cracked support overnight, the council said today.",
    "The mayor opened the new bridge over the river on Monday morning before local residents.",
    "The bridge reopened on Wednesday after engineers repaired the cracked support overnight and the council said so in a statement.",
];

/// The bridge story's one entry with text `text`, as an RSS document.
fn bridge(text: &str) -> String {
    gazette(&format!(
        "<item><title>Mayor Opens New Bridge Over River</title><link>https://news.example/bridge</link>\
         <guid>https://news.example/bridge</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>\
         <description>{text}</description></item>"
    ))
}

/// Runs `project` and gives the report of `source` with the summary the
/// feed `all` publishes.
fn run_bridge(project: &Project, source: &str) -> (String, String) {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let summary = items(project, "all")[0]["summary"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (report_of(&stdout, source), summary)
}

#[test]
fn a_renamed_sources_entry_edited_as_it_was_renamed_is_known_by_its_edits() {
    let project = one_feed_project("wire", "up.rss", "Wire", "");
    project.write("up.rss", &bridge(BRIDGE[0]));
    run_bridge(&project, "wire");
    // Renamed in the cycle upstream rewrote the entry: another source's
    // entry, folded by its link, its text no later version of the story's.
    project.write(
        "config.toml",
        &feeds_config(&[("wire2", "up.rss".into())], "Wire", ""),
    );
    project.write("up.rss", &bridge(BRIDGE[1]));
    let (report, summary) = run_bridge(&project, "wire2");
    assert_eq!(report, "source wire2: 1 entry read, 0 new, 1 already known");
    assert_eq!(summary, BRIDGE[0]);
    // Edited shorter than the story's text: a sighting of the edit, which
    // is then the entry as known, seen again unchanged.
    project.write("up.rss", &bridge(BRIDGE[2]));
    for _ in 0..2 {
        let (report, summary) = run_bridge(&project, "wire2");
        assert_eq!(report, "source wire2: 1 entry read, 0 new, 1 already known");
        assert_eq!(summary, BRIDGE[0]);
    }
    // Edited to about the story's length: it replaces the story's text.
    project.write("up.rss", &bridge(BRIDGE[4]));
    let (report, summary) = run_bridge(&project, "wire2");
    assert_eq!(
        report,
        "source wire2: 1 entry read, 0 new, 0 already known, 1 updated"
    );
    assert_eq!(summary, BRIDGE[4]);
}

#[test]
fn a_copy_edited_without_replacing_its_storys_text_never_undoes_a_later_edit_of_it() {
    let project = Project::new(&feeds_config(
        &[
            ("wire", "wire.rss".into()),
            ("partner", "partner.rss".into()),
        ],
        "All",
        "",
    ));
    project.write("wire.rss", &bridge(BRIDGE[0]));
    project.write("partner.rss", &bridge(BRIDGE[1]));
    let (report, _) = run_bridge(&project, "partner");
    assert_eq!(
        report,
        "source partner: 1 entry read, 0 new, 1 already known"
    );
    project.write("partner.rss", &bridge(BRIDGE[2]));
    let (report, summary) = run_bridge(&project, "partner");
    assert_eq!(
        report,
        "source partner: 1 entry read, 0 new, 1 already known"
    );
    assert_eq!(summary, BRIDGE[0]);
    // The wire shortens its story: the partner's copy, unchanged since it
    // was last seen, is known, and the wire's edit stays.
    project.write("wire.rss", &bridge(BRIDGE[3]));
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("source wire: 1 entry read, 0 new, 0 already known, 1 updated"),
        "{stdout}{stderr}"
    );
    assert!(
        stdout.contains("source partner: 1 entry read, 0 new, 1 already known"),
        "{stdout}{stderr}"
    );
    for _ in 0..2 {
        let (report, summary) = run_bridge(&project, "partner");
        assert_eq!(
            report,
            "source partner: 1 entry read, 0 new, 1 already known"
        );
        assert_eq!(summary, BRIDGE[3]);
    }
}

/// The reopened bridge's paragraphs: as first published, then with the
/// last one appended.
const REOPENED: [&str; 5] = [
    "The Harbour Bridge reopened to traffic on Thursday morning after two years of repairs that cost the city more than forty million pounds.",
    "The mayor cut the ribbon at seven as the first buses crossed, watched by a crowd of commuters who had waited on the quay since dawn.",
    "Engineers replaced the main cables, resurfaced the deck and strengthened the piers against the winter storms that closed the crossing.",
    "Traders on both banks said the closure had cost them a third of their customers, and several shops on Quay Street shut for good.",
    "Police said traffic on the first morning was lighter than expected, with no delays reported on either approach road.",
];

/// The reopened bridge's entry with `paragraphs`, in the publisher's RSS
/// feed and in its JSON Feed (another id, the link with a tracking
/// parameter).
fn reopened(paragraphs: &[&str]) -> (String, String) {
    let headline = "Harbour Bridge Reopens After Two Years of Repairs";
    let link = "https://news.example/2026/12/harbour-bridge-reopens";
    let html: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    let rss = gazette(&format!(
        "<item><title>{headline}</title><link>{link}</link><guid isPermaLink=\"false\">hb-1</guid>\
         <pubDate>Thu, 03 Dec 2026 08:00:00 GMT</pubDate><description><![CDATA[{html}]]></description></item>"
    ));
    let json = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Harbour Gazette",
        "items": [{"id": "json-hb-1", "url": format!("{link}?utm_source=json"), "title": headline,
            "content_html": html, "date_published": "2026-12-03T08:00:00Z"}],
    });
    (rss, json.to_string())
}

#[test]
fn a_folded_copy_that_comes_to_the_storys_own_text_is_a_sighting() {
    let project = Project::new(&feeds_config(
        &[("rss", "news.rss".into()), ("json", "news.json".into())],
        "All",
        "",
    ));
    let (rss, json) = reopened(&REOPENED[..4]);
    project.write("news.rss", &rss);
    project.write("news.json", &json);
    let output = project.feedfold(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // The publisher appends a paragraph; its RSS feed shows it first.
    let (rss, edited) = reopened(&REOPENED);
    project.write("news.rss", &rss);
    let (stdout, _) = text(&project.feedfold(&["run"]));
    assert!(
        stdout.contains("source rss: 1 entry read, 0 new, 0 already known, 1 updated"),
        "{stdout}"
    );
    let feeds = ["feeds/all.json", "feeds/all.rss", "feeds/all.atom"];
    let published: Vec<String> = feeds.iter().map(|f| project.read(f)).collect();
    let item = items(&project, "all")[0].clone();
    assert_eq!(
        item["url"], "https://news.example/2026/12/harbour-bridge-reopens",
        "{item:#}"
    );
    // Later the JSON Feed shows the very same text, then drops a paragraph,
    // then gives the story's text again: sightings all, which leave the
    // story its text, link and `updated`, and its feeds as they were.
    let (_, cut) = reopened(&REOPENED[..3]);
    for json in [&edited, &cut, &edited] {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        project.write("news.json", json);
        let (stdout, stderr) = text(&project.feedfold(&["run"]));
        assert!(
            stdout.contains("source json: 1 entry read, 0 new, 1 already known"),
            "{stdout}{stderr}"
        );
        assert_eq!(items(&project, "all"), std::slice::from_ref(&item));
        for (file, before) in feeds.iter().zip(&published) {
            assert_eq!(&project.read(file), before, "{file}");
        }
    }
    let (stdout, _) = text(&project.feedfold(&["dups"]));
    assert!(!stdout.contains("replaced the stored text"), "{stdout}");
}

#[test]
fn hard_wrapped_plain_text_reads_as_whole_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let atom = dir.path().join("water.xml");
    std::fs::write(
        &atom,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>
<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Water</title><id>urn:water</id>
<entry><id>urn:water:1</id><updated>2026-12-01T00:00:00Z</updated>
<content type=\"text\">The water board said on Sunday that the reservoir
levels had returned to normal after the autumn rain, and
that the hosepipe ban would be lifted next week.

Gardeners welcomed
the news.</content></entry>
</feed>",
    )
    .unwrap();
    let json = dir.path().join("bridge.json");
    std::fs::write(
        &json,
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"Bridge","items":[
{"id":"1","title":"Bridge to close","date_published":"2026-11-29T00:00:00Z",
"content_text":"The council said on Tuesday that the bridge\nwould close for repairs in the spring.\n\nA ferry\nwill run."}]}"#,
    )
    .unwrap();
    let (articles, stderr, code) = parse_json(&[atom.to_str().unwrap(), json.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let paragraphs = |article: &serde_json::Value| -> Vec<String> {
        article["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paragraphs(&articles[0]),
        [
            "The water board said on Sunday that the reservoir levels had returned to normal after the autumn rain, and that the hosepipe ban would be lifted next week.",
            "Gardeners welcomed the news."
        ]
    );
    let title = articles[0]["title"].as_str().unwrap();
    assert!(
        title.starts_with("The water board said on Sunday that the reservoir levels"),
        "{title}"
    );
    assert_eq!(
        paragraphs(&articles[1]),
        [
            "The council said on Tuesday that the bridge would close for repairs in the spring.",
            "A ferry will run."
        ]
    );
}

#[test]
fn an_rss_1_0_item_is_published_at_its_dc_date_and_updated_at_its_modification() {
    let (articles, stderr, code) = parse_document(
        "orchestra.rdf",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<channel rdf:about="https://rdf.example.org/rss"><title>RDF</title><link>https://rdf.example.org/</link></channel>
<item rdf:about="https://rdf.example.org/1"><title>Orchestra announces spring tour</title>
<link>https://rdf.example.org/1</link>
<dc:date>2026-11-30T10:00:00Z</dc:date>
<dcterms:modified>2026-12-01T12:00:00Z</dcterms:modified></item>
<item rdf:about="https://rdf.example.org/2"><title>Choir auditions open</title>
<link>https://rdf.example.org/2</link>
<dcterms:modified>2026-12-01T12:00:00Z</dcterms:modified>
<dc:date>2026-11-30T10:00:00Z</dc:date></item>
</rdf:RDF>"#,
    );
    assert_eq!(code, Some(0), "{stderr}");
    for article in &articles {
        assert_eq!(article["published"], "2026-11-30T10:00:00Z", "{article}");
        assert_eq!(article["updated"], "2026-12-01T12:00:00Z", "{article}");
    }
}

#[test]
fn rss_descriptions_naming_tags_keep_their_words() {
    let (articles, stderr, code) = parse_document(
        "dev.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Dev Notes</title><link>https://dev.example/</link>
<item><guid>1</guid><link>https://dev.example/select</link><description>Styling the &lt;select&gt; element used to be hard. Now the appearance property helps.</description></item>
<item><guid>2</guid><link>https://dev.example/button</link><description>Use a &lt;button&gt; instead of a clickable div: keyboard users get focus for free.</description></item>
<item><guid>3</guid><link>https://dev.example/x</link><description>&lt;p&gt;Safe&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;words&lt;/p&gt;</description></item>
</channel></rss>"#,
    );
    assert_eq!(code, Some(0), "{stderr}");
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Styling the <select> element used to be hard. Now the appearance property helps.",
            "Use a <button> instead of a clickable div: keyboard users get focus for free.",
            "Safe"
        ]
    );
    assert_eq!(
        articles[0]["content_html"],
        "Styling the &lt;select&gt; element used to be hard. Now the appearance property helps."
    );
    assert_eq!(articles[2]["content_html"], "<p>Safe</p><p>words</p>");
}

#[test]
fn an_entry_whose_only_text_is_its_headline_is_published_without_an_empty_summary() {
    let project = one_feed_project("street", "street.rss", "All upstream news", "");
    project.write(
        "street.rss",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Street</title><link>https://street.example/</link><description>Street news</description>
<item><title>Harbour Street closed after water main burst</title><link>https://street.example/burst</link><guid>st-1</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Harbour Street closed after water main burst</p>]]></content:encoded>
</item>
<item><title>Bus lane opens on the quay</title><link>https://street.example/bus</link><guid>st-2</guid><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>
<description>Buses use the new lane from Monday.</description>
</item>
</channel></rss>"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let items = items(&project, "all");
    let item = |title: &str| {
        items
            .iter()
            .find(|i| i["title"] == title)
            .unwrap_or_else(|| panic!("{title} in {items:?}"))
    };
    assert!(
        item("Harbour Street closed after water main burst")
            .get("summary")
            .is_none(),
        "{items:?}"
    );
    assert_eq!(
        item("Bus lane opens on the quay")["summary"],
        "Buses use the new lane from Monday."
    );
    let rss = project.read("feeds/all.rss");
    assert_eq!(rss.matches("<description>").count(), 2, "{rss}");
    assert!(!rss.contains("<description></description>"), "{rss}");
    assert!(!rss.contains("<![CDATA[]]>"), "{rss}");
    let atom = project.read("feeds/all.atom");
    assert_eq!(atom.matches("<summary").count(), 1, "{atom}");
    check_feeds(&[
        project.path("feeds/all.rss"),
        project.path("feeds/all.atom"),
    ]);
}

#[test]
fn an_author_written_as_a_byline_is_published_as_a_dumps_byline_names_it() {
    let project = one_feed_project("quay", "quay.rss", "All upstream news", "");
    project.write(
        "quay.rss",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Quay</title><link>https://quay.example/</link><description>Quay news</description>
<item><title>Harbour Board Approves New Ferry Terminal</title><link>https://quay.example/ferry</link><guid>q-1</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
<dc:creator><![CDATA[By Carl Poe]]></dc:creator><description>The board voted on Monday.</description></item>
<item><title>Museum Reopens After Renovation</title><link>https://quay.example/museum</link><guid>q-2</guid><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>
<dc:creator>By Ana Ruiz and Tom Reyes</dc:creator><description>Visitors queued from dawn.</description></item>
<item><title>Tram Fares to Rise in January</title><link>https://quay.example/tram</link><guid>q-3</guid><pubDate>Mon, 30 Nov 2026 11:00:00 GMT</pubDate>
<dc:creator>Byron Hale</dc:creator><description>Fares rise by ten pence.</description></item>
</channel></rss>"#,
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let items = items(&project, "all");
    let authors = |title: &str| -> Vec<String> {
        let item = items.iter().find(|i| i["title"] == title).unwrap();
        item["authors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        authors("Harbour Board Approves New Ferry Terminal"),
        ["Carl Poe"]
    );
    assert_eq!(
        authors("Museum Reopens After Renovation"),
        ["Ana Ruiz", "Tom Reyes"]
    );
    assert_eq!(authors("Tram Fares to Rise in January"), ["Byron Hale"]);
    let rss = project.read("feeds/all.rss");
    assert!(!rss.contains(">By "), "{rss}");
}

/// Three stories of the gazette, each `(slug, title, text)`.
const GAZETTE_STORIES: [(&str, &str, &str); 3] = [
    (
        "dredging",
        "Harbour dredging to start in January",
        "Dredging of the harbour mouth will start in January, the port authority said on \
         Friday, after two years of delays caused by permit disputes.",
    ),
    (
        "cycle-lanes",
        "Council approves new cycle lanes on Quay Street",
        "The council voted eight to three in favour of protected cycle lanes on Quay Street, \
         after a year of consultation with residents and traders.",
    ),
    (
        "library",
        "Library extends weekend opening hours",
        "The central library will open on Sundays from January, the council said, after a \
         petition signed by more than four thousand residents.",
    ),
];

/// A gazette item of `story` under `guid`, linking to `link`'s slug.
fn gazette_item(guid: &str, link: &str, (_, title, text): (&str, &str, &str)) -> String {
    format!(
        "<item><title>{title}</title><link>https://gazette.example/news/{link}</link>\
         <guid isPermaLink=\"false\">{guid}</guid><pubDate>Sat, 05 Dec 2026 10:00:00 GMT</pubDate>\
         <description>{text}</description></item>"
    )
}

/// The ids and titles `feed` publishes, sorted.
fn published(project: &Project, feed: &str) -> Vec<(String, String)> {
    let mut published: Vec<(String, String)> = items(project, feed)
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_string(),
                item["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    published.sort();
    published
}

#[test]
fn entries_given_a_new_guid_on_every_fetch_are_the_same_stories_and_fold_nothing() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let mut first = None;
    for fetch in 1..=4 {
        // The generator stamps every guid with the moment of the fetch.
        let entries: String = GAZETTE_STORIES
            .iter()
            .map(|&story| {
                let guid = format!("https://gazette.example/news/{}?t={fetch}", story.0);
                gazette_item(&guid, story.0, story)
            })
            .collect();
        project.write("gazette.rss", &gazette(&entries));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        let expected = if fetch == 1 {
            "3 entries read, 3 new, 0 already known"
        } else {
            "3 entries read, 0 new, 3 already known"
        };
        assert!(stdout.contains(expected), "fetch {fetch}: {stdout}{stderr}");
        let now = published(&project, "all");
        assert_eq!(now.len(), 3, "fetch {fetch}: {now:?}");
        assert_eq!(
            first.get_or_insert_with(|| now.clone()),
            &now,
            "fetch {fetch}"
        );
        common::assert_nothing_folded(&project);
    }
}

/// A gazette item under `guid`, linking to `slug`, dated `hour` o'clock,
/// telling `story`.
fn dated_gazette_item(guid: &str, slug: &str, hour: u32, story: (&str, &str, &str)) -> String {
    let (_, title, text) = story;
    format!(
        "<item><title>{title}</title><link>https://gazette.example/news/{slug}</link>\
         <guid isPermaLink=\"false\">{guid}</guid><pubDate>Sat, 05 Dec 2026 {hour:02}:00:00 GMT</pubDate>\
         <description>{text}</description></item>"
    )
}

/// What the `all` feed publishes in each of its three files: each entry's
/// id, title and date (its RSS `guid`, `title` and `pubDate`; its Atom `id`,
/// `title` and `published`; its JSON `id`, `title` and `date_published`).
fn published_in_every_file(project: &Project) -> Vec<Vec<(String, String, String)>> {
    let json: Vec<(String, String, String)> = items(project, "all")
        .iter()
        .map(|item| {
            let field = |name: &str| item[name].as_str().unwrap().to_string();
            (field("id"), field("title"), field("date_published"))
        })
        .collect();
    let rss = elements(
        &project.read("feeds/all.rss"),
        "item",
        ["guid", "title", "pubDate"],
    );
    let atom = elements(
        &project.read("feeds/all.atom"),
        "entry",
        ["id", "title", "published"],
    );
    vec![json, rss, atom]
}

/// The text of the `fields` of each `element` of the XML document `xml`,
/// in order (none of them holds markup or an entity in these feeds).
fn elements(xml: &str, element: &str, fields: [&str; 3]) -> Vec<(String, String, String)> {
    let field = |chunk: &str, name: &str| {
        let open = chunk.find(&format!("<{name}")).unwrap();
        let start = open + chunk[open..].find('>').unwrap() + 1;
        let end = start + chunk[start..].find(&format!("</{name}>")).unwrap();
        chunk[start..end].to_string()
    };
    xml.split(&format!("<{element}>"))
        .skip(1)
        .map(|chunk| {
            let chunk = &chunk[..chunk.find(&format!("</{element}>")).unwrap()];
            let [a, b, c] = fields.map(|name| field(chunk, name));
            (a, b, c)
        })
        .collect()
}

#[test]
fn an_entry_that_showed_another_entrys_text_for_one_fetch_is_published_again_with_its_own() {
    let [dredging, cycle_lanes, _] = GAZETTE_STORIES;
    let harbour = dated_gazette_item("gaz-101", dredging.0, 10, dredging);
    let lanes = dated_gazette_item("gaz-102", cycle_lanes.0, 11, cycle_lanes);
    // A glitch shows gaz-102's guid, link and date with gaz-101's text.
    let glitch = dated_gazette_item("gaz-102", cycle_lanes.0, 11, dredging);
    // Either entry first: the entry that changed is the survivor of the
    // merge (stored first), or the one merged into the other.
    for (first_fetch, glitched, fixed) in [
        (
            format!("{lanes}{harbour}"),
            format!("{glitch}{harbour}"),
            format!("{lanes}{harbour}"),
        ),
        (
            format!("{harbour}{lanes}"),
            format!("{harbour}{glitch}"),
            format!("{harbour}{lanes}"),
        ),
    ] {
        let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
        let run = |entries: &str| {
            project.write("gazette.rss", &gazette(entries));
            let output = project.feedfold(&["run"]);
            let (stdout, stderr) = text(&output);
            assert!(output.status.success(), "{stdout}{stderr}");
            assert!(!stderr.contains("WARN"), "{stderr}");
            stdout
        };
        run(&first_fetch);
        let before = published_in_every_file(&project);
        for file in &before {
            assert_eq!(file.len(), 2, "{file:?}");
        }
        let merged = run(&glitched);
        assert!(
            merged.contains("1 stored article merged into another"),
            "{merged}"
        );
        for file in published_in_every_file(&project) {
            assert_eq!(
                file.len(),
                1,
                "one story while the two entries tell it: {file:?}"
            );
        }
        let restored = run(&fixed);
        assert!(restored.contains("1 merged article restored"), "{restored}");
        // Each story again under its own id, title and date, in every file.
        assert_eq!(published_in_every_file(&project), before, "{restored}");
        common::assert_nothing_folded(&project);
        // Seen again, nothing changes.
        let again = run(&fixed);
        assert!(
            again.contains("2 entries read, 0 new, 2 already known\n"),
            "{again}"
        );
        assert_eq!(published_in_every_file(&project), before);
    }
}

#[test]
fn a_store_copy_keeps_the_text_of_a_merged_entry_and_undoes_the_merge_as_the_store_would() {
    let [dredging, cycle_lanes, _] = GAZETTE_STORIES;
    let harbour = dated_gazette_item("gaz-101", dredging.0, 10, dredging);
    let lanes = dated_gazette_item("gaz-102", cycle_lanes.0, 11, cycle_lanes);
    let glitch = dated_gazette_item("gaz-102", cycle_lanes.0, 11, dredging);
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let run = |entries: &str| {
        project.write("gazette.rss", &gazette(entries));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}{stderr}");
        stdout
    };
    run(&format!("{harbour}{lanes}"));
    let before = published_in_every_file(&project);
    let merged = run(&format!("{harbour}{glitch}"));
    assert!(
        merged.contains("1 stored article merged into another"),
        "{merged}"
    );
    let store = |file: &str| format!("sqlite:{}", project.path(file).display());
    let (from, to) = (store("feedfold.db"), store("copy.db"));
    let copy = || {
        let output = project.feedfold(&["store", "copy", &from, &to]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}{stderr}");
        stdout
    };
    let copied = copy();
    assert!(
        copied.contains("         1 merged article's text\n")
            && copied.contains("verified: both stores hold as many of each"),
        "{copied}"
    );
    assert_eq!(copy(), copied, "a second copy changes nothing");
    // The project on the copy: the entry's own story again restores it.
    let config = project.read("config.toml");
    project.write(
        "config.toml",
        &config.replace("path = \"feedfold.db\"", "path = \"copy.db\""),
    );
    let restored = run(&format!("{harbour}{lanes}"));
    assert!(restored.contains("1 merged article restored"), "{restored}");
    assert_eq!(published_in_every_file(&project), before, "{restored}");
}

#[test]
fn an_entry_that_keeps_another_entrys_text_stays_merged_into_it() {
    // A "breaking" stub updated to the full story its feed's other entry
    // tells: one story, however often it is seen so.
    let [dredging, ..] = GAZETTE_STORIES;
    let stub = (
        "dredging",
        "Breaking: harbour dredging date set",
        "The port authority has set a date for dredging the harbour mouth. More to follow.",
    );
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let harbour = dated_gazette_item("gaz-101", "dredging", 10, dredging);
    for (fetch, entries) in [
        format!(
            "{}{harbour}",
            dated_gazette_item("gaz-110", "breaking", 9, stub)
        ),
        format!(
            "{}{harbour}",
            dated_gazette_item("gaz-110", "breaking", 9, dredging)
        ),
        format!(
            "{}{harbour}",
            dated_gazette_item("gaz-110", "breaking", 9, dredging)
        ),
    ]
    .iter()
    .enumerate()
    {
        project.write("gazette.rss", &gazette(entries));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stderr}");
        assert!(!stdout.contains("restored"), "fetch {fetch}: {stdout}");
    }
    let titles: Vec<String> = published(&project, "all")
        .into_iter()
        .map(|(_, title)| title)
        .collect();
    assert_eq!(titles, [dredging.1], "{titles:?}");
}

#[test]
fn a_cloned_post_rewritten_under_its_own_guid_is_published_as_its_own_story() {
    let project = one_feed_project("gazette", "gazette.rss", "Gazette", "");
    let [dredging, cycle_lanes, _] = GAZETTE_STORIES;
    let original = gazette_item("gaz-101", dredging.0, dredging);
    // The newsroom clones the dredging post; the clone goes out under its
    // own guid and link before it is rewritten to its own story.
    let clone = gazette_item("gaz-105", cycle_lanes.0, dredging);
    let rewritten = gazette_item("gaz-105", cycle_lanes.0, cycle_lanes);
    for entries in [
        original.clone(),
        format!("{clone}{original}"),
        format!("{rewritten}{original}"),
        format!("{rewritten}{original}"),
    ] {
        project.write("gazette.rss", &gazette(&entries));
        let output = project.feedfold(&["run"]);
        let (_, stderr) = text(&output);
        assert!(output.status.success(), "{stderr}");
        assert!(!stderr.contains("WARN"), "{stderr}");
    }
    let titles: Vec<String> = published(&project, "all")
        .into_iter()
        .map(|(_, title)| title)
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    for (_, title, _) in [dredging, cycle_lanes] {
        assert!(titles.iter().any(|t| t == title), "{title}: {titles:?}");
    }
}
