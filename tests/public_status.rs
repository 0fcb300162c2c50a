//! What feedfold shows of failing sources, end to end: the public index
//! page and `/healthz` name only the kind of a failure, never a URL's
//! credentials or query values, and a source backing off after failures is
//! failing there, not healthy; the log and `run`'s report give the details
//! with the URLs redacted.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::server::{Server, eventually};
use common::{Project, text, upstream};

/// Secrets planted in the sources' URLs; none may appear anywhere shown.
const SECRETS: [&str; 6] = [
    "hunter2-pw",
    "AKIA123SECRET",
    "BUSYTOKEN42",
    "s3cr3t-pw",
    "KEY999",
    "reader:",
];

/// Three failing feed sources with credentials in their URLs (an HTTP 500,
/// a 429 asking to retry in two minutes, a refused connection) and a dump
/// that works, ingested every second.
fn config(upstream: SocketAddr) -> String {
    format!(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"

[server]
bind = "127.0.0.1:0"

[schedule]
interval = "1s"

[fetch]
timeout = "5s"
connect_timeout = "2s"

[[source]]
name = "private"
feed = "http://reader:hunter2-pw@{upstream}/error?api_key=AKIA123SECRET&lang=en"

[[source]]
name = "busy"
feed = "http://{upstream}/busy?token=BUSYTOKEN42"

[[source]]
name = "gone"
feed = "http://ops:s3cr3t-pw@127.0.0.1:1/feed.xml?key=KEY999"

[[source]]
name = "desk"
text = "dumps/city-desk.txt"

[[feed]]
name = "all"
title = "All"
"#
    )
}

fn assert_no_secret(what: &str, shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{what} shows {secret:?}:\n{shown}");
    }
}

/// The body of `GET path` (HTTP/1.0, so the answer is never chunked).
fn get(server: &Server, path: &str) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.0 200"), "{path}: {head}");
    body.to_string()
}

#[test]
fn failing_sources_show_their_kind_of_failure_and_no_secret() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&config(upstream)).with_dumps(&["city-desk.txt"]);
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));

    let health =
        || -> serde_json::Value { serde_json::from_str(&get(&server, "/healthz")).unwrap() };
    let failing = || {
        let h = health();
        h["status"] == "degraded"
            && h["failed_sources"] == serde_json::json!(["busy", "gone", "private"])
    };
    assert!(
        eventually(Duration::from_secs(30), failing),
        "three failing sources: {}",
        health()
    );
    // Every second each source is due again; `busy` asked for two minutes
    // and `private` backs off after its second failure: their cycles are
    // skipped now, and they stay failing throughout.
    let watched = Instant::now();
    while watched.elapsed() < Duration::from_secs(4) {
        let h = health();
        assert!(failing(), "a source backing off looks healthy: {h}");
        assert_no_secret("/healthz", &h.to_string());
        std::thread::sleep(Duration::from_millis(200));
    }

    let page = get(&server, "/");
    assert_no_secret("the index page", &page);
    for class in ["HTTP 500", "HTTP 429", "unreachable"] {
        assert!(page.contains(class), "the page names {class}:\n{page}");
    }
    assert_eq!(page.matches(">failing<").count(), 3, "{page}");
    // The details (URLs, causes) are for the operator, not the page.
    for detail in ["/error", "/busy", "127.0.0.1:1", "backing off until"] {
        assert!(!page.contains(detail), "the page shows {detail:?}:\n{page}");
    }

    drop(server);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert_no_secret("the log", &logged);
    for expected in [
        format!("http://{upstream}/error?api_key=***&lang=***: HTTP 500"),
        format!("http://{upstream}/busy?token=***: HTTP 429"),
        "http://127.0.0.1:1/feed.xml?key=***: could not connect".to_string(),
    ] {
        assert!(
            logged.contains(&expected),
            "the log has {expected:?}:\n{logged}"
        );
    }
    // `busy` failed once and was then left alone for its two minutes.
    let busy_failures = logged
        .lines()
        .filter(|l| l.contains("source failed") && l.contains("/busy?"))
        .count();
    assert_eq!(busy_failures, 1, "{logged}");
}

#[test]
fn run_reports_failures_with_redacted_urls() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&config(upstream)).with_dumps(&["city-desk.txt"]);
    for _ in 0..2 {
        let run = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&run);
        assert_eq!(run.status.code(), Some(1), "{stdout}{stderr}");
        assert_no_secret("run's report", &format!("{stdout}{stderr}"));
    }
    let run = project.feedfold(&["run"]);
    let (stdout, _) = text(&run);
    assert!(
        stdout.contains("source private: skipped, backing off until")
            && stdout.contains(&format!(
                "last: http://{upstream}/error?api_key=***&lang=***: HTTP 500"
            )),
        "{stdout}"
    );
    assert!(
        stdout.contains("http://127.0.0.1:1/feed.xml?key=***"),
        "{stdout}"
    );
    assert_no_secret("run's report", &stdout);
}

/// Secrets in URLs held in the query of a proxy's URL
/// (`http://proxy/?https://user:password@host/rss?token=…`).
const PROXIED_SECRETS: [&str; 6] = [
    "ProxyPw42",
    "MirrorPw77",
    "DownPw99",
    "PROXYTOK",
    "MIRRORTOK",
    "DOWNTOK",
];

#[test]
fn urls_inside_a_proxy_s_query_show_no_credentials() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&format!(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"

[server]
bind = "127.0.0.1:0"

[schedule]
interval = "1h"

[[source]]
name = "proxied"
feed = "http://{upstream}/feeds/rss20.xml?https://alice:ProxyPw42@feeds.example/rss?token=PROXYTOK"

[[source]]
name = "mirror"
feed = "http://{upstream}/feeds/rss20.xml?https%3A%2F%2Fbob%3AMirrorPw77%40mirror.example%2Frss%3Ftoken%3DMIRRORTOK"

[[source]]
name = "down"
feed = "http://{upstream}/error?https://carol:DownPw99@feeds.example/rss?token=DOWNTOK"

[[feed]]
name = "all"
title = "All"
"#
    ));
    let assert_hidden = |what: &str, shown: &str| {
        for secret in PROXIED_SECRETS {
            assert!(!shown.contains(secret), "{what} shows {secret:?}:\n{shown}");
        }
    };
    let run = project.feedfold(&["run", "-vv"]);
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(1), "{stdout}{stderr}");
    assert_hidden("run -vv", &format!("{stdout}{stderr}"));
    assert!(
        stdout.contains(&format!("http://{upstream}/error?***: HTTP 500")),
        "{stdout}"
    );
    for command in [&["sources"][..], &["dups"], &["dups", "--json"]] {
        let output = project.feedfold(command);
        let (stdout, stderr) = text(&output);
        assert_hidden(&command.join(" "), &format!("{stdout}{stderr}"));
    }
    let dups = text(&project.feedfold(&["dups"])).0;
    assert!(
        dups.contains(&format!("http://{upstream}/feeds/rss20.xml?***")),
        "the copies are folded: {dups}"
    );

    let server = Server::start(&project, &[]);
    let page = get(&server, "/articles");
    assert_hidden("/articles", &page);
    assert!(
        page.contains(&format!("http://{upstream}/feeds/rss20.xml?***")),
        "{page}"
    );
}
