//! End to end: `feedfold serve` as a real process, checked with a real HTTP
//! client: feed headers, conditional GETs, compression, HEAD, the index
//! page, the push API, WebSub pings and a graceful shutdown.

mod common;

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::Project;
use common::server::{
    Server, client, eventually, get_text, health_of, start_gated_hub, start_hub,
    start_unavailable_hub,
};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::{Value, json};

const TOKEN: &str = "test-token-7f3a";

fn config(extra_publish: &str, server: &str) -> String {
    format!(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://feeds.example"
{extra_publish}

[server]
bind = "127.0.0.1:0"
max_body = "64KiB"
{server}

[schedule]
interval = "1h"

[[source]]
name = "city"
text = "dumps/city-desk.txt"

[[source]]
name = "harbour"
text = "dumps/other-desk.txt"

[[feed]]
name = "all"
title = "All the news"

[[feed]]
name = "city"
title = "City desk"
sources = ["city"]
"#
    )
}

fn project(extra_publish: &str, server: &str) -> Project {
    Project::new(&config(extra_publish, server)).with_dumps(&["city-desk.txt", "other-desk.txt"])
}

/// How long a server just started may take to end its first cycle, on a
/// machine busy with many tests at once.
const FIRST_CYCLE: Duration = Duration::from_secs(60);

/// Waits until the first cycle of every source has been published.
async fn wait_ready(server: &Server) {
    let http = client();
    let deadline = std::time::Instant::now() + FIRST_CYCLE;
    while std::time::Instant::now() < deadline {
        let health: Value = http
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if health["status"] == "ok" {
            let feed = http
                .get(server.url("/feeds/all.json"))
                .send()
                .await
                .unwrap();
            let feed: Value = feed.json().await.unwrap();
            if feed["items"]
                .as_array()
                .is_some_and(|items| items.len() == 5)
            {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server never finished its first cycle");
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(&name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

#[tokio::test(flavor = "multi_thread")]
async fn feeds_are_served_with_validators_compression_and_head() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    // Past the second of the first cycle's publication, which may have
    // replaced the feeds published at start: a date proves a version only
    // once no other version shares it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let http = client();
    for (ext, content_type) in [
        ("rss", "application/rss+xml; charset=utf-8"),
        ("atom", "application/atom+xml; charset=utf-8"),
        ("json", "application/feed+json; charset=utf-8"),
    ] {
        let url = server.url(&format!("/feeds/all.{ext}"));
        // A version is sent without Last-Modified until the clock reaches
        // the date that sets it apart from the one before (a cycle that
        // published late on a busy machine): asked again until it has one.
        let mut response = http.get(&url).send().await.unwrap();
        let asked = std::time::Instant::now();
        while !response.headers().contains_key(header::LAST_MODIFIED)
            && asked.elapsed() < Duration::from_secs(10)
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
            response = http.get(&url).send().await.unwrap();
        }
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let headers = response.headers().clone();
        assert_eq!(header(&headers, header::CONTENT_TYPE), content_type);
        assert_eq!(
            header(&headers, header::CACHE_CONTROL),
            "public, max-age=300"
        );
        let etag = header(&headers, header::ETAG).to_string();
        assert!(
            etag.starts_with('"') && etag.len() > 10,
            "strong ETag: {etag}"
        );
        let last_modified = header(&headers, header::LAST_MODIFIED).to_string();
        httpdate::parse_http_date(&last_modified).expect("Last-Modified is an HTTP date");
        let body = response.bytes().await.unwrap();
        assert_eq!(
            body.as_ref(),
            std::fs::read(project.path(&format!("feeds/all.{ext}"))).unwrap(),
            "same bytes as the file"
        );

        let not_modified = http
            .get(&url)
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(not_modified.headers(), header::ETAG), etag);
        assert!(not_modified.bytes().await.unwrap().is_empty());

        let since = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, &last_modified)
            .send()
            .await
            .unwrap();
        assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
        let stale = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, "Sat, 01 Jan 2000 00:00:00 GMT")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::OK);
        let other = http
            .get(&url)
            .header(header::IF_NONE_MATCH, "\"stale\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::OK);
        // If-Match and If-Unmodified-Since: 412 once the feed is not the
        // one the client holds, the feed when it is.
        for (name, value, status) in [
            (
                header::IF_MATCH,
                "\"stale\"",
                StatusCode::PRECONDITION_FAILED,
            ),
            (header::IF_MATCH, etag.as_str(), StatusCode::OK),
            (
                header::IF_UNMODIFIED_SINCE,
                "Sat, 01 Jan 2000 00:00:00 GMT",
                StatusCode::PRECONDITION_FAILED,
            ),
            (
                header::IF_UNMODIFIED_SINCE,
                last_modified.as_str(),
                StatusCode::OK,
            ),
        ] {
            let answer = http
                .get(&url)
                .header(name.clone(), value)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), status, "{name}: {value}");
        }
        let garbage = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, "not a date")
            .send()
            .await
            .unwrap();
        assert_eq!(garbage.status(), StatusCode::OK);

        let head = http.head(&url).send().await.unwrap();
        assert_eq!(head.status(), StatusCode::OK);
        assert_eq!(header(head.headers(), header::CONTENT_TYPE), content_type);
        assert_eq!(header(head.headers(), header::ETAG), etag);
        assert!(head.bytes().await.unwrap().is_empty());

        let gzipped = http
            .get(&url)
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(header(gzipped.headers(), header::CONTENT_ENCODING), "gzip");
        assert!(
            header(gzipped.headers(), header::VARY)
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        assert_eq!(header(gzipped.headers(), header::ETAG), format!("W/{etag}"));
        let compressed = gzipped.bytes().await.unwrap();
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_ref())
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, body.as_ref());
        let revalidate = http
            .get(&url)
            .header(header::ACCEPT_ENCODING, "gzip")
            .header(header::IF_NONE_MATCH, format!("W/{etag}"))
            .send()
            .await
            .unwrap();
        assert_eq!(revalidate.status(), StatusCode::NOT_MODIFIED);

        let brotli = http
            .get(&url)
            .header(header::ACCEPT_ENCODING, "br")
            .send()
            .await
            .unwrap();
        assert_eq!(header(brotli.headers(), header::CONTENT_ENCODING), "br");
    }
    for path in [
        "/feeds/nope.rss",
        "/feeds/all.xml",
        "/feeds/all",
        "/feeds/..%2f..%2fetc%2fpasswd",
        "/nowhere",
    ] {
        let response = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let city: Value = http
        .get(server.url("/feeds/city.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(city["items"].as_array().unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn index_page_links_every_feed_and_health_reports_the_cycle() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let http = client();
    let page = http.get(server.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(page.headers(), header::CONTENT_TYPE).starts_with("text/html"));
    let html = page.text().await.unwrap();
    for (name, ext, media) in [
        ("all", "rss", "application/rss+xml"),
        ("all", "atom", "application/atom+xml"),
        ("city", "json", "application/feed+json"),
    ] {
        let link = format!(r#"<link rel="alternate" type="{media}""#);
        assert!(html.contains(&link), "{link} missing");
        // The feed's own address, as its self link gives it, whatever path
        // a proxy serves this page under.
        assert!(
            html.contains(&format!(
                r#"href="http://feeds.example/feeds/{name}.{ext}""#
            )),
            "{name}.{ext} missing"
        );
    }
    // Every other link is relative to the page, so it holds behind a proxy
    // that serves the server under a path.
    let articles = get_text(&server, "/articles").await;
    for page in [&html, &articles] {
        assert!(!page.contains(r#"href="/"#), "a root-relative link: {page}");
    }
    assert!(html.contains(r#"href="articles""#) && html.contains(r#"href="healthz""#));
    assert!(html.contains("All the news") && html.contains("City desk"));
    assert!(html.contains("5 entries"), "entry count shown");
    assert!(html.contains("new articles"));

    let health: Value = http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["sources"], 2);
    assert!(health["last_cycle"].as_str().unwrap().ends_with('Z'));
}

/// The pages change with every cycle: a cache may keep them but asks the
/// server again before each use, their error answers included. The health
/// status is never kept, so no cache answers with a stale one.
#[tokio::test(flavor = "multi_thread")]
async fn pages_are_revalidated_and_health_is_never_stored() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    for (path, status, cache_control) in [
        ("/", StatusCode::OK, "no-cache"),
        ("/articles", StatusCode::OK, "no-cache"),
        (
            "/articles?from=no-such-article",
            StatusCode::NOT_FOUND,
            "no-cache",
        ),
        ("/healthz", StatusCode::OK, "no-store"),
    ] {
        let got = client().get(server.url(path)).send().await.unwrap();
        assert_eq!(got.status(), status, "{path}");
        assert_eq!(
            header(got.headers(), header::CACHE_CONTROL),
            cache_control,
            "{path}"
        );
    }
    let feed = client()
        .get(server.url("/feeds/all.rss"))
        .send()
        .await
        .unwrap();
    assert!(header(feed.headers(), header::CACHE_CONTROL).starts_with("public, max-age="));
}

fn bearer(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("Bearer {token}")).unwrap()
}

/// Pushes `article` to `server` with the test token; the answer's status.
async fn push_article(server: &Server, article: Value) -> StatusCode {
    client()
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&article)
        .send()
        .await
        .unwrap()
        .status()
}

/// Whether the stub hub has `received` the ping `ping` within `seconds`.
fn pinged_within(received: &common::server::Received, ping: &str, seconds: u64) -> bool {
    eventually(Duration::from_secs(seconds), || {
        received.lock().unwrap().iter().any(|p| p == ping)
    })
}

/// A project whose feeds announce `hub` and whose push API takes the test
/// token, and its server, ready.
async fn serve_with_hub(hub: std::net::SocketAddr) -> (Project, Server) {
    let project = project(
        &format!("websub_hub = \"http://{hub}/\""),
        &format!("token = \"{TOKEN}\""),
    );
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    (project, server)
}

#[tokio::test(flavor = "multi_thread")]
async fn push_api_answers_and_pushed_articles_reach_every_feed() {
    let project = project("", "push_sources = [\"aggregator\", \"wire\"]");
    let server = Server::start(&project, &[("FEEDFOLD_TOKEN", TOKEN)]);
    wait_ready(&server).await;
    let http = client();
    let api = server.url("/api/articles");
    let article = json!({
        "title": "Night Trains Return to the Coast Line",
        "link": "https://agg.example/night-trains?utm_source=feed",
        "published": "2026-11-27T21:00:00Z",
        "body": ["Sleeper services resume on Friday.", "Tickets go on sale today."],
        "captions": [{"text": "A sleeper carriage at the depot", "credit": "Rail Weekly"}],
        "source": "aggregator"
    });

    let missing = http.post(&api).json(&article).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let wrong = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer("nope"))
        .json(&article)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let xml = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .header(header::CONTENT_TYPE, "application/xml")
        .body("<a/>")
        .send()
        .await
        .unwrap();
    assert_eq!(xml.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A compressed body is not read as JSON: it is refused, saying why.
    let gzipped = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_ENCODING, "gzip")
        .body(vec![0x1f, 0x8b, 0x08, 0x00])
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(gzipped.text().await.unwrap().contains("uncompressed"));
    let big = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(vec![b'a'; 65 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let mut bad = article.clone();
    bad["published"] = json!("last Tuesday");
    let invalid = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = invalid.json().await.unwrap();
    assert_eq!(problem["field"], "published");
    assert!(problem["error"].as_str().unwrap().contains("published"));

    let created = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&article)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["articles"][0]["status"], "new");
    let id = created["articles"][0]["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("tag:feedfold.invalid,2026:"));

    for ext in ["rss", "atom", "json"] {
        let feed = get_text(&server, &format!("/feeds/all.{ext}")).await;
        assert!(
            feed.contains("Night Trains Return to the Coast Line"),
            "{ext} lacks the pushed article"
        );
        assert!(feed.contains(&id), "{ext} lacks the pushed id");
        let file = std::fs::read_to_string(project.path(&format!("feeds/all.{ext}"))).unwrap();
        assert_eq!(file, feed, "file and cache agree");
    }
    let city = get_text(&server, "/feeds/city.rss").await;
    assert!(
        !city.contains("Night Trains"),
        "a feed of other sources does not carry it"
    );

    let again = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&[&article])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["articles"][0]["status"], "repeat");
    assert_eq!(again["articles"][0]["repeat_of"], id.as_str());

    let dump = "Ferry Timetable Changes From Monday\n\nFerry Timetable Changes From Monday\n\nThe first sailing moves to six.\n";
    let pushed_dump = http
        .post(format!("{api}?source=wire"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(dump)
        .send()
        .await
        .unwrap();
    assert_eq!(pushed_dump.status(), StatusCode::CREATED);

    let read: Value = http
        .get(format!(
            "{api}?feed=all&since=2026-01-01T00:00:00Z&limit=50"
        ))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = read["articles"].as_array().unwrap();
    let pushed = items
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("pushed article is read back");
    assert_eq!(
        pushed["link"],
        "https://agg.example/night-trains?utm_source=feed"
    );
    assert_eq!(pushed["sightings"][0]["source"], "aggregator");
    assert_eq!(pushed["sightings"].as_array().unwrap().len(), 1);
    assert!(
        items
            .iter()
            .any(|a| a["title"] == "Ferry Timetable Changes From Monday")
    );
    let bad_read = http
        .get(format!("{api}?limit=0"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_read.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unauthorized_read = http.get(&api).send().await.unwrap();
    assert_eq!(unauthorized_read.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_the_api_does_not_exist() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    let http = client();
    let response = http
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&json!({"title": "T", "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn websub_hub_is_pinged_when_a_feed_changes() {
    let (hub, received) = start_hub();
    let (_project, server) = serve_with_hub(hub).await;
    let rss = get_text(&server, "/feeds/all.rss").await;
    assert!(
        rss.contains(&format!(r#"<atom:link href="http://{hub}/" rel="hub"/>"#)),
        "{rss}"
    );
    // The city source's first cycle gives the city feed its entries and
    // pings the hub for both feeds, `city.json` last; an empty feed is
    // never announced, so that is the city feed's only ping until it
    // changes.
    let city_json = "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fcity.json";
    assert!(
        pinged_within(&received, city_json, 10),
        "the first publication pings the hub"
    );
    received.lock().unwrap().clear();
    assert_eq!(
        push_article(
            &server,
            json!({"title": "Bridge Reopens After Repairs", "body": "Traffic flows again."})
        )
        .await,
        StatusCode::CREATED
    );
    assert!(eventually(Duration::from_secs(10), || received
        .lock()
        .unwrap()
        .len()
        >= 3));
    let pings = received.lock().unwrap().clone();
    for ext in ["rss", "atom", "json"] {
        let expected =
            format!("hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fall.{ext}");
        assert!(pings.contains(&expected), "{expected} not in {pings:?}");
    }
    assert!(
        !pings.iter().any(|p| p.contains("city")),
        "the city feed did not change: {pings:?}"
    );
}

/// WebSub §4: a publisher's answer names the hub and the feed's own URL
/// (the one its body gives) in `Link` headers, on `200` and `304`, to
/// `GET` and `HEAD` alike.
#[tokio::test(flavor = "multi_thread")]
async fn feed_answers_name_the_hub_and_the_feed_in_link_headers() {
    let (hub, _received) = start_hub();
    let (_project, server) = serve_with_hub(hub).await;
    let links = |response: &reqwest::Response| -> Vec<String> {
        response
            .headers()
            .get_all(header::LINK)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    };
    for ext in ["rss", "atom", "json"] {
        let expected = [
            format!("<http://{hub}/>; rel=\"hub\""),
            format!("<http://feeds.example/feeds/all.{ext}>; rel=\"self\""),
        ];
        let path = format!("/feeds/all.{ext}");
        let got = client().get(server.url(&path)).send().await.unwrap();
        assert_eq!(got.status(), StatusCode::OK);
        assert_eq!(links(&got), expected, "GET {path}");
        let etag = got.headers()[header::ETAG].clone();
        let body = got.text().await.unwrap();
        assert!(
            body.contains(&format!("http://feeds.example/feeds/all.{ext}")),
            "{body}"
        );
        let head = client().head(server.url(&path)).send().await.unwrap();
        assert_eq!(links(&head), expected, "HEAD {path}");
        let again = client()
            .get(server.url(&path))
            .header(header::IF_NONE_MATCH, etag)
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(links(&again), expected, "304 {path}");
        for (condition, value) in [
            (header::IF_MATCH, "\"another version\""),
            (header::IF_UNMODIFIED_SINCE, "Sat, 01 Jan 2000 00:00:00 GMT"),
        ] {
            let refused = client()
                .get(server.url(&path))
                .header(&condition, value)
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), StatusCode::PRECONDITION_FAILED);
            assert_eq!(links(&refused), expected, "412 {path} ({condition})");
            assert_eq!(header(refused.headers(), header::X_FRAME_OPTIONS), "DENY");
        }
    }
    // Without a hub there is nothing to name.
    let project = project("", "");
    let plain = Server::start(&project, &[]);
    wait_ready(&plain).await;
    let got = client()
        .get(plain.url("/feeds/all.rss"))
        .send()
        .await
        .unwrap();
    assert!(links(&got).is_empty(), "{:?}", links(&got));
}

/// A ping the hub did not take (it was restarting) is sent again once it
/// is back, while the server runs.
#[tokio::test(flavor = "multi_thread")]
async fn a_ping_the_hub_did_not_take_is_sent_again() {
    let up = Arc::new(AtomicBool::new(false));
    let (hub, received) = start_unavailable_hub(up.clone());
    let (_project, server) = serve_with_hub(hub).await;
    assert_eq!(
        push_article(
            &server,
            json!({"title": "Bridge Reopens After Repairs", "body": "Traffic flows again."})
        )
        .await,
        StatusCode::CREATED
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    up.store(true, Ordering::SeqCst);
    let all_json = "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fall.json";
    assert!(
        pinged_within(&received, all_json, 20),
        "the change is announced once the hub is back"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ping_a_retry_delivers_is_logged_as_no_warning() {
    // The hub refuses the first three pings (of the first publication):
    // they are sent again, and the push's are taken.
    let (hub, received) = common::server::start_hub_refusing_first(3);
    let project = project(
        &format!("websub_hub = \"http://{hub}/\""),
        &format!("token = \"{TOKEN}\""),
    );
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));
    wait_ready(&server).await;
    assert_eq!(
        push_article(
            &server,
            json!({"title": "Bridge Reopens After Repairs", "body": "Traffic flows again."})
        )
        .await,
        StatusCode::CREATED
    );
    let all_json = "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fall.json";
    assert!(
        pinged_within(&received, all_json, 20),
        "the push is announced"
    );
    assert!(server.terminate().success());
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("refused the ping; it is sent again"),
        "{logged}"
    );
    assert!(
        !logged
            .lines()
            .any(|l| l.contains("WARN") && l.contains("WebSub")),
        "{logged}"
    );
}

/// A `run` beside the server rewrites the feed files: the server announces
/// them once it serves the new bytes (the run's own ping may reach the hub
/// before that), once per change.
#[tokio::test(flavor = "multi_thread")]
async fn feed_files_another_process_rewrote_are_announced_once_served() {
    let (hub, received) = start_hub();
    let (project, server) = serve_with_hub(hub).await;
    let all_rss = "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fall.rss";
    // The first publications' pings, all of them: wait until they stop
    // coming, for at most half a minute.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut heard = 0;
    while heard == 0 || received.lock().unwrap().len() != heard {
        assert!(
            std::time::Instant::now() < deadline,
            "the first publications' pings never settled: {:?}",
            received.lock().unwrap()
        );
        heard = received.lock().unwrap().len();
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    received.lock().unwrap().clear();
    // The run has no hub of its own: every ping now comes from the server.
    let quiet = std::fs::read_to_string(project.path("config.toml"))
        .unwrap()
        .replace(&format!("websub_hub = \"http://{hub}/\""), "");
    std::fs::write(project.path("run.toml"), quiet).unwrap();
    std::fs::copy(
        common::fixtures().join("dumps/other-late.txt"),
        project.path("dumps/other-desk.txt"),
    )
    .unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--quiet", "--config"])
        .arg(project.path("run.toml"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(project.read("feeds/all.rss").contains("Lighthouse Keeper"));
    assert!(
        pinged_within(&received, all_rss, 10),
        "the rewritten feed is announced"
    );
    let served = get_text(&server, "/feeds/all.rss").await;
    assert!(served.contains("Lighthouse Keeper"), "{served}");
    // Once per change: no more pings while nothing changes.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let pings = received.lock().unwrap().clone();
    assert_eq!(
        pings.iter().filter(|p| *p == all_rss).count(),
        1,
        "{pings:?}"
    );
}

/// Runs `feedfold run --quiet` on `project`'s config, as cron would.
fn cron_run(project: &Project) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--quiet", "--config"])
        .arg(project.path("config.toml"))
        .output()
        .unwrap()
}

/// Polls `path` until its body holds `text`, for at most `seconds`; the
/// body it got last.
async fn text_once_served(server: &Server, path: &str, text: &str, seconds: u64) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let body = get_text(server, path).await;
        if body.contains(text) || std::time::Instant::now() >= deadline {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls `/healthz` until `holds` is true of it, for at most `seconds`;
/// what it said last.
async fn health_until(server: &Server, seconds: u64, holds: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let health = health_of(server).await;
        if holds(&health) || std::time::Instant::now() >= deadline {
            return health;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A source that fails in a cron `run` on the server's store is failing on
/// `/healthz` and `/` too, though the server's own cycle of it was good;
/// a good cron cycle later clears it.
#[tokio::test(flavor = "multi_thread")]
async fn a_source_failing_in_a_cron_run_beside_the_server_degrades_its_health() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let good = std::fs::read(project.path("dumps/other-desk.txt")).unwrap();
    // A dump saved in Windows-1252 lands in the harbour desk's file.
    std::fs::write(
        project.path("dumps/other-desk.txt"),
        b"Ferry Fares Rise \x96 Again\n\nFares on the island ferry rise by five per cent.\n",
    )
    .unwrap();
    let run = cron_run(&project);
    assert_eq!(run.status.code(), Some(1), "the cron run fails harbour");
    let health = health_until(&server, 10, |h| h["status"] == "degraded").await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["failed_sources"], json!(["harbour"]), "{health}");
    let page = get_text(&server, "/").await;
    assert!(page.contains("failing"), "{page}");
    // The file is put right; the next cron run is good.
    std::fs::write(project.path("dumps/other-desk.txt"), good).unwrap();
    let run = cron_run(&project);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let health = health_until(&server, 10, |h| h["status"] == "ok").await;
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["failed_sources"], json!([]), "{health}");
}

/// A source whose cycle the store broke (it could not be written) is
/// failing on `/healthz` and `/` alike until its cycle is run again and
/// succeeds, which the server does soon after, not at the source's next
/// interval (an hour here).
#[tokio::test(flavor = "multi_thread")]
async fn a_source_whose_cycle_the_store_broke_is_ingested_again_soon() {
    let project = project("", "");
    let run = cron_run(&project);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let db = rusqlite::Connection::open(project.path("feedfold.db")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON article BEGIN SELECT RAISE(ABORT, 'refused'); END",
    )
    .unwrap();
    std::fs::write(
        project.path("dumps/other-desk.txt"),
        "Night Ferry Returns to the Island Route\n\nThe night ferry to the island sails again from Friday after a winter off.\n\nTickets are on sale at the harbour office.\n",
    )
    .unwrap();
    let server = Server::start(&project, &[]);
    let health = health_until(&server, 20, |h| h["failed_sources"] == json!(["harbour"])).await;
    assert_eq!(health["status"], "degraded", "{health}");
    let page = get_text(&server, "/").await;
    assert_eq!(shown_number(&page, "failed sources"), 1, "{page}");
    assert!(page.contains("failing"), "{page}");
    db.execute_batch("DROP TRIGGER refuse").unwrap();
    let health = health_until(&server, 20, |h| h["status"] == "ok").await;
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["failed_sources"], json!([]), "{health}");
    let served = get_text(&server, "/feeds/all.json").await;
    assert!(served.contains("Night Ferry Returns"), "{served}");
    let page = get_text(&server, "/").await;
    assert!(!page.contains("failing"), "{page}");
}

/// A feed whose files a cron `run` beside the server cannot write is
/// failing on `/healthz` too, and the server serves what the run stored
/// (rendered from the store) without waiting for its own next cycle; once
/// the files can be written it recovers.
#[tokio::test(flavor = "multi_thread")]
async fn a_feed_a_cron_run_beside_the_server_cannot_publish_degrades_its_health() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    // A folder where the run's all.rss belongs.
    std::fs::remove_file(project.path("feeds/all.rss")).unwrap();
    std::fs::create_dir_all(project.path("feeds/all.rss/x")).unwrap();
    std::fs::write(
        project.path("dumps/other-desk.txt"),
        "Night Ferry Returns to the Island Route\n\nThe night ferry to the island sails again from Friday after a winter off.\n\nTickets are on sale at the harbour office.\n",
    )
    .unwrap();
    let run = cron_run(&project);
    assert_eq!(
        run.status.code(),
        Some(1),
        "the cron run cannot write all.rss: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let health = health_until(&server, 10, |h| h["status"] == "degraded").await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["failed_feeds"], json!(["all"]), "{health}");
    assert_eq!(health["failed_sources"], json!([]), "{health}");
    // The server renders the feed from the store itself, within moments of
    // learning the run could not (its health may say so first).
    let mut served = String::new();
    for _ in 0..100 {
        served = get_text(&server, "/feeds/all.json").await;
        if served.contains("Night Ferry Returns") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served.contains("Night Ferry Returns"), "{served}");
    // The folder is put right: the server writes the files again.
    std::fs::remove_dir_all(project.path("feeds/all.rss")).unwrap();
    let health = health_until(&server, 10, |h| h["status"] == "ok").await;
    assert_eq!(health["failed_feeds"], json!([]), "{health}");
    assert!(
        project
            .read("feeds/all.rss")
            .contains("Night Ferry Returns")
    );
}

/// A feed whose files neither the server nor the cron runs beside it can
/// write is logged once by the server, however many of those runs fail it
/// again, until a publication writes them.
#[tokio::test(flavor = "multi_thread")]
async fn a_feed_cron_runs_keep_failing_beside_the_server_is_logged_once() {
    let project = project("", "");
    let server = Server::start_logging_to(&project, &[], Some(&project.path("serve.log")));
    wait_ready(&server).await;
    std::fs::remove_dir_all(project.path("feeds")).unwrap();
    std::fs::write(project.path("feeds"), "not a folder").unwrap();
    let logged = |what: &str| {
        project
            .read("serve.log")
            .lines()
            .filter(|line| line.contains(what) && line.contains("feed=all"))
            .count()
    };
    for n in 0..3 {
        std::fs::write(
            project.path("dumps/other-desk.txt"),
            format!("Night Ferry Timetable {n} Published\n\nThe night ferry to the island sails at {n} past ten from Friday.\n\nTickets are on sale at the harbour office.\n"),
        )
        .unwrap();
        let run = cron_run(&project);
        assert_eq!(run.status.code(), Some(1), "the run cannot publish");
        let health =
            health_until(&server, 10, |h| h["failed_feeds"] == json!(["all", "city"])).await;
        assert_eq!(health["status"], "degraded", "{health}");
        // The server takes the run's publication in (it serves what the
        // run stored) before the next run fails the feed again.
        let story = format!("Night Ferry Timetable {n} Published");
        let served = text_once_served(&server, "/feeds/all.json", &story, 30).await;
        assert!(served.contains(&story), "{served}");
    }
    assert_eq!(
        logged("cannot publish the feed"),
        1,
        "{}",
        project.read("serve.log")
    );
    assert!(
        logged("could not be published by another process") <= 1,
        "{}",
        project.read("serve.log")
    );
}

/// A cron `run`'s cycle beside the server is summed on the index page only
/// in the numbers the store keeps of it: the others show `—`, as in the
/// table, not 0.
#[tokio::test(flavor = "multi_thread")]
async fn the_index_page_sums_no_numbers_the_store_does_not_keep_of_a_cron_run() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let html = get_text(&server, "/").await;
    assert_eq!(shown(&html, "already known"), "0");
    // Every article is read again: already known, none new.
    let run = cron_run(&project);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut html = String::new();
    for _ in 0..100 {
        html = get_text(&server, "/").await;
        if html.contains("another process ran this cycle") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(html.contains("another process ran this cycle"), "{html}");
    assert_eq!(shown_number(&html, "new articles"), 0);
    for label in ["already known", "updated", "repeated lines folded"] {
        assert_eq!(shown(&html, label), "—", "{label}: {html}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_versions_in_one_second_are_told_apart_by_their_dates_even_after_a_restart() {
    let project = project("", &format!("token = \"{TOKEN}\""));
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let http = client();
    let url = server.url("/feeds/all.json");
    let version = |url: String| {
        let http = http.clone();
        async move {
            let response = http.get(&url).send().await.unwrap();
            let modified = response
                .headers()
                .get(header::LAST_MODIFIED)
                .map(|value| value.to_str().unwrap().to_string());
            (modified, response.bytes().await.unwrap())
        }
    };
    let mut dates = None;
    // A version is dated in the second after it was written, so it goes
    // without a date until that second comes: the first push's date is
    // waited for, and the second push then falls in the very second a
    // reader was sent as the first version's date (a busy machine may
    // let that second pass first: the round is tried again).
    for round in 0..25 {
        let story = |n: u32| json!({"title": format!("Round {round} story {n}"), "body": "Text."});
        assert_eq!(push_article(&server, story(1)).await, StatusCode::CREATED);
        // Up to 10 s: a machine running many tests at once may take
        // seconds to render and date it.
        let mut dated = None;
        for _ in 0..200 {
            if let (Some(date), body) = version(url.clone()).await {
                dated = Some((date, body));
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (first_date, first) = dated.expect("a pushed version goes undated past its second");
        assert_eq!(push_article(&server, story(2)).await, StatusCode::CREATED);
        let (second_date, second) = version(url.clone()).await;
        if second_date.is_some() || first == second {
            continue;
        }
        // The second version is dated in the next second, which has not
        // come yet: it goes without a date, and a reader holding the first
        // version who asks by its date gets the second.
        let asked = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, &first_date)
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), StatusCode::OK, "round {round}");
        assert_eq!(asked.bytes().await.unwrap(), second);
        // Once that second has come, the date sent is that later one,
        // which proves the version.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let (Some(later), _) = version(url.clone()).await else {
            panic!("no Last-Modified once the clock reached the version's date");
        };
        assert!(
            httpdate::parse_http_date(&later).unwrap()
                > httpdate::parse_http_date(&first_date).unwrap()
        );
        let again = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, &later)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        dates = Some((first_date, later));
        break;
    }
    let (first_date, later) =
        dates.expect("no two pushes were published within one second in 25 rounds");
    // After a restart the reader holding the first version is still not
    // told it is up to date; the one holding the later date is, and that
    // date is the one sent still.
    server.terminate();
    let server = Server::start(&project, &[]);
    let url = server.url("/feeds/all.json");
    wait_serving(&server).await;
    assert_eq!(version(url.clone()).await.0.as_ref(), Some(&later));
    for (date, expected) in [
        (&first_date, StatusCode::OK),
        (&later, StatusCode::NOT_MODIFIED),
    ] {
        let asked = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, date)
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), expected, "If-Modified-Since: {date}");
    }
}

/// Sleeps until just after the clock's next whole second.
async fn sleep_into_the_next_second() {
    let into = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_millis();
    tokio::time::sleep(Duration::from_millis(u64::from(1_020 - into))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_asking_by_the_date_it_fetched_a_feed_gets_a_version_published_in_that_second() {
    let project = project("", &format!("token = \"{TOKEN}\""));
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let http = client();
    let url = server.url("/feeds/all.json");
    let date_of = |headers: &HeaderMap, name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| httpdate::parse_http_date(value.to_str().ok()?).ok())
    };
    let mut within_one_second = 0;
    for round in 0..10 {
        // Past the second the feed is dated in (a version published right
        // after another is dated in the next one), at the start of another.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        sleep_into_the_next_second().await;
        // A reader that keeps no Last-Modified asks by the fetch's `Date`
        // (RFC 9110 §13.1.3), as `curl -z` does by the file it saved.
        let fetched = http.get(&url).send().await.unwrap();
        let date = header(fetched.headers(), header::DATE).to_string();
        let dated_before_the_fetch = date_of(fetched.headers(), header::LAST_MODIFIED)
            < date_of(fetched.headers(), header::DATE);
        let held = fetched.bytes().await.unwrap();
        let story = json!({"title": format!("Round {round} story"), "body": "Text."});
        assert_eq!(push_article(&server, story).await, StatusCode::CREATED);
        let asked = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, &date)
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), StatusCode::OK, "If-Modified-Since: {date}");
        // The next version came in the fetch's second, and its date is no
        // later than the `Date` the reader holds: it is sent without one.
        if dated_before_the_fetch && header(asked.headers(), header::DATE) == date {
            assert!(asked.headers().get(header::LAST_MODIFIED).is_none());
            within_one_second += 1;
        }
        assert_ne!(asked.bytes().await.unwrap(), held);
        if within_one_second == 2 {
            break;
        }
    }
    assert!(
        within_one_second > 0,
        "no push was published within the second of a fetch in 10 rounds"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unchanged_feed_keeps_its_last_modified_across_restarts() {
    let project = project("", "");
    let run = cron_run(&project);
    assert!(run.status.success(), "{run:?}");
    let modified = std::fs::metadata(project.path("feeds/all.atom"))
        .unwrap()
        .modified()
        .unwrap();
    let file_date = httpdate::fmt_http_date(modified);
    // A file is dated the second after it was put in place, and a date the
    // clock has not reached is sent as none: ask once the clock is past it.
    while std::time::SystemTime::now() <= modified {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let http = client();
    for _ in 0..2 {
        let server = Server::start(&project, &[]);
        wait_ready(&server).await;
        let url = server.url("/feeds/all.atom");
        let response = http.head(&url).send().await.unwrap();
        assert_eq!(
            header(response.headers(), header::LAST_MODIFIED),
            file_date,
            "the file's own time, whichever server serves it"
        );
        let asked = http
            .get(&url)
            .header(header::IF_MODIFIED_SINCE, &file_date)
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), StatusCode::NOT_MODIFIED);
        server.terminate();
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let after = std::fs::metadata(project.path("feeds/all.atom"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(after, modified, "the file was not rewritten");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hub_that_does_not_answer_holds_up_no_push() {
    let open = Arc::new(AtomicBool::new(false));
    let (hub, received) = start_gated_hub(open.clone());
    let (_project, server) = serve_with_hub(hub).await;
    // The first cycle's first ping is waiting on the hub now.
    assert!(eventually(Duration::from_secs(10), || !received
        .lock()
        .unwrap()
        .is_empty()));
    assert_eq!(
        push_article(
            &server,
            json!({"title": "Ferry Returns To Service", "body": "Sailings resume at noon."})
        )
        .await,
        StatusCode::CREATED
    );
    let rss = get_text(&server, "/feeds/all.rss").await;
    assert!(rss.contains("Ferry Returns To Service"), "{rss}");
    // Pings go one at a time: the others wait behind the one the hub holds.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        received.lock().unwrap().len(),
        1,
        "{:?}",
        received.lock().unwrap()
    );
    // Once the hub answers, every changed file is announced all the same.
    open.store(true, Ordering::SeqCst);
    let all_json = "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fall.json";
    assert!(
        eventually(Duration::from_secs(20), || received
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == all_json)
            .count()
            >= 2),
        "{:?}",
        received.lock().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn feeds_that_cannot_be_written_are_served_from_memory_and_reported() {
    let project = project("", &format!("token = \"{TOKEN}\""));
    let server = Server::start_logging_to(&project, &[], Some(&project.path("serve.log")));
    wait_ready(&server).await;
    // A version published within a second of the one before it is dated
    // in the next second, and goes without a date until the clock gets
    // there.
    let mut last_modified = None;
    for _ in 0..30 {
        let before = client()
            .get(server.url("/feeds/all.rss"))
            .send()
            .await
            .unwrap();
        last_modified = before.headers().get(header::LAST_MODIFIED).cloned();
        if last_modified.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let last_modified = last_modified.expect("the feed gets a date within three seconds");
    // HTTP dates count whole seconds.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // The feeds folder becomes a plain file: nothing can be written there.
    std::fs::rename(project.path("feeds"), project.path("feeds.moved")).unwrap();
    std::fs::write(project.path("feeds"), "not a folder").unwrap();
    let push = || async {
        client()
            .post(server.url("/api/articles"))
            .header(header::AUTHORIZATION, bearer(TOKEN))
            .json(&json!({"title": "Lock Gates Replaced", "body": "Boats pass again from Monday."}))
            .send()
            .await
            .unwrap()
    };
    assert_eq!(push().await.status(), StatusCode::CREATED);
    let rss = get_text(&server, "/feeds/all.rss").await;
    assert!(
        rss.contains("Lock Gates Replaced"),
        "served from memory: {rss}"
    );
    // A reader that asks by date gets it too: it is newer than the file.
    let by_date = client()
        .get(server.url("/feeds/all.rss"))
        .header(header::IF_MODIFIED_SINCE, last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(by_date.status(), StatusCode::OK);
    let health: Value = health_of(&server).await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["failed_feeds"], json!(["all"]), "{health}");
    assert!(
        eventually(Duration::from_secs(5), || project
            .read("serve.log")
            .contains("cannot publish the feed")),
        "{}",
        project.read("serve.log")
    );
    // The folder is back, its old files in it: the server keeps serving
    // what it holds, and writes the files again by itself.
    std::fs::remove_file(project.path("feeds")).unwrap();
    std::fs::rename(project.path("feeds.moved"), project.path("feeds")).unwrap();
    assert!(
        eventually(Duration::from_secs(15), || std::fs::read_to_string(
            project.path("feeds/all.rss")
        )
        .is_ok_and(|f| f.contains("Lock Gates Replaced"))),
        "the files catch up"
    );
    let rss = get_text(&server, "/feeds/all.rss").await;
    assert!(rss.contains("Lock Gates Replaced"), "{rss}");
    // The status follows the files once the publication is recorded.
    let mut health: Value = health_of(&server).await;
    for _ in 0..50 {
        if health["status"] == "ok" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        health = health_of(&server).await;
    }
    assert_eq!(health["status"], "ok", "{health}");
    assert!(
        project
            .read("serve.log")
            .contains("the feed is published again")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_are_read_while_a_cycle_waits_for_another_process_s_write() {
    let text = config("", &format!("token = \"{TOKEN}\""))
        .replace("interval = \"1h\"", "interval = \"1s\"");
    let project = Project::new(&text).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    // Another process's long source transaction holds the store's write
    // lock; the server's next cycle waits for it.
    let held = std::fs::File::create(project.path("feedfold.db-lock")).unwrap();
    held.lock().unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    // A cycle waits up to 30 s for the lock: a read queued behind it would
    // not be answered within 10.
    let page = client()
        .get(server.url("/articles"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let api = client()
        .get(server.url("/api/articles"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    // Both were answered while the lock was still held.
    held.unlock().unwrap();
}

/// Pushes a story to `server`, stops it, and turns `hub_up` true `after`
/// SIGTERM; asserts the server ended cleanly and every format of the
/// changed feed was announced to the hub (`received`) by then.
async fn pings_reach_the_hub_coming_up_as_the_server_stops(
    server: Server,
    hub_up: Arc<AtomicBool>,
    after: Duration,
    received: &common::server::Received,
) {
    assert_eq!(
        push_article(
            &server,
            json!({"title": "Pier Lights Restored", "body": "The lamps are lit again."})
        )
        .await,
        StatusCode::CREATED
    );
    let opener = std::thread::spawn(move || {
        std::thread::sleep(after);
        hub_up.store(true, Ordering::SeqCst);
    });
    let status = server.terminate();
    opener.join().unwrap();
    assert!(status.success(), "{status:?}");
    let pings = received.lock().unwrap().clone();
    for ext in ["rss", "atom", "json"] {
        let expected =
            format!("hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2Fall.{ext}");
        assert!(pings.contains(&expected), "{expected} not in {pings:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pings_still_waiting_at_sigterm_are_sent_before_the_server_ends() {
    // The hub holds the first ping until a second after SIGTERM, so every
    // other changed file (a file changed twice is announced once) goes out
    // as the server stops.
    let open = Arc::new(AtomicBool::new(false));
    let (hub, received) = start_gated_hub(open.clone());
    let (_project, server) = serve_with_hub(hub).await;
    pings_reach_the_hub_coming_up_as_the_server_stops(
        server,
        open,
        Duration::from_secs(1),
        &received,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pings_the_hub_refused_at_sigterm_are_sent_again_before_the_server_ends() {
    // The hub restarts as the server is told to stop: it answers 503 until
    // half a second after SIGTERM.
    let up = Arc::new(AtomicBool::new(false));
    let (hub, received) = start_unavailable_hub(up.clone());
    let (_project, server) = serve_with_hub(hub).await;
    pings_reach_the_hub_coming_up_as_the_server_stops(
        server,
        up,
        Duration::from_millis(500),
        &received,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_server_cleanly() {
    let project = project("", "");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let status = server.terminate();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_stop_while_the_server_waits_for_the_store_at_start_ends_it_cleanly() {
    let project = project("", "");
    let run = project.feedfold(&["run", "-q"]);
    assert!(run.status.success(), "{run:?}");
    // Another feedfold process (a long run) holds the store's lock.
    let lock = std::fs::File::options()
        .write(true)
        .open(project.path("feedfold.db-lock"))
        .unwrap();
    lock.lock().unwrap();
    for signal in ["-TERM", "-INT"] {
        let log = project.path("serve.log");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(["serve", "--config"])
            .arg(project.path("config.toml"))
            .env_remove("RUST_LOG")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start feedfold serve");
        let logged = |text: &str| std::fs::read_to_string(&log).unwrap().contains(text);
        assert!(
            eventually(Duration::from_secs(20), || logged("waiting for the store")),
            "{}",
            project.read("serve.log")
        );
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let stopped = eventually(Duration::from_secs(10), || {
            child.try_wait().unwrap().is_some()
        });
        let _ = child.kill();
        let status = child.wait().unwrap();
        let text = project.read("serve.log");
        assert!(stopped, "{signal}: still waiting: {text}");
        assert!(status.success(), "{signal}: {status:?}: {text}");
        assert!(text.contains("shutting down"), "{signal}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cron_runs_beside_the_server_lose_and_duplicate_nothing() {
    let text = config("", "")
        .replace("interval = \"1h\"", "interval = \"1s\"")
        .replace("dumps/other-desk.txt", "dumps/other-*.txt");
    let project = Project::new(&text).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    // A new story lands while the server cycles every second and four cron
    // runs start at once: it must be stored and published exactly once.
    std::fs::copy(
        common::fixtures().join("dumps/other-late.txt"),
        project.path("dumps/other-late.txt"),
    )
    .unwrap();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
                .args(["run", "--quiet", "--config"])
                .arg(project.path("config.toml"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start feedfold run")
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(project.path("feeds/all.json")).unwrap())
            .unwrap();
    let mut ids: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 6, "the new story is in, once");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "no entry is duplicated");
    let http = client();
    for ext in ["rss", "atom", "json"] {
        let path = project.path(&format!("feeds/all.{ext}"));
        let url = server.url(&format!("/feeds/all.{ext}"));
        let mut same = false;
        for _ in 0..100 {
            let file = std::fs::read_to_string(&path).unwrap();
            let served = http.get(&url).send().await.unwrap().text().await.unwrap();
            if file == served {
                same = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(same, "{ext}: the server comes to serve what the files hold");
        let file = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            file.matches("Lighthouse Keeper").count(),
            1,
            "{ext}: one entry"
        );
    }
}

/// A pushed article and the same article read from a dump are one article
/// with one id, whichever comes first: the push goes through the same fold
/// as every source.
#[tokio::test(flavor = "multi_thread")]
async fn a_pushed_article_and_the_same_from_a_dump_fold_into_one() {
    let project = Project::new(&format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\n\n[server]\nbind = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\npush_sources = [\"aggregator\"]\n\n[schedule]\ninterval = \"1h\"\n\n[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
    ));
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/ferry.txt"),
        "Ferry Timetable Changes From Monday\n\nFerry Timetable Changes From Monday\n\nThe first sailing moves to six.\n\nThe last one returns at midnight.\n",
    )
    .unwrap();
    let server = Server::start(&project, &[]);
    let http = client();
    let api = server.url("/api/articles");
    let feed_ids = || common::json_feed_ids(&project.read("feeds/all.json"));
    assert!(
        common::server::eventually(Duration::from_secs(20), || {
            std::fs::read_to_string(project.path("feeds/all.json"))
                .is_ok_and(|f| f.contains("Ferry Timetable"))
        }),
        "the dump is ingested at start"
    );
    let from_dump = feed_ids();
    assert_eq!(from_dump.len(), 1);

    // The dump's article pushed again: a repeat of it, under its id.
    let pushed = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&json!({
            "title": "Ferry Timetable Changes From Monday",
            "body": ["The first sailing moves to six.", "The last one returns at midnight."],
            "source": "aggregator"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::OK);
    let pushed: Value = pushed.json().await.unwrap();
    assert_eq!(pushed["articles"][0]["status"], "repeat");
    assert_eq!(pushed["articles"][0]["id"], from_dump[0].as_str());
    assert_eq!(pushed["articles"][0]["repeat_of"], from_dump[0].as_str());
    assert_eq!(feed_ids(), from_dump, "still one entry");

    // Pushed first: the id is the one the dump gives the same article.
    let created = http
        .post(&api)
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .json(&json!({
            "title": "Library Opens on Sundays",
            "body": "From next week the central library opens on Sundays.\n\nHours are ten to four."
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let pushed_id = created["articles"][0]["id"].as_str().unwrap().to_string();
    std::fs::write(
        project.path("library.txt"),
        "Library Opens on Sundays\n\nLibrary Opens on Sundays\n\nFrom next week the central library opens on Sundays.\n\nHours are ten to four.\n",
    )
    .unwrap();
    let parsed = project.feedfold(&[
        "parse",
        "--json",
        project.path("library.txt").to_str().unwrap(),
    ]);
    let line: Value = serde_json::from_str(common::text(&parsed).0.trim()).unwrap();
    assert_eq!(line["id"], pushed_id.as_str());
    // And folding that dump now finds the pushed article.
    std::fs::rename(
        project.path("library.txt"),
        project.path("dumps/library.txt"),
    )
    .unwrap();
    drop(server);
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = common::text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "source desk: 2 files, 2 articles read, 2 repeated lines folded, 0 new, 2 already known"
        ),
        "{stdout}"
    );
    let ids = feed_ids();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&pushed_id) && ids.contains(&from_dump[0]));
}

/// A push writes only under the sources open to pushes: the push source
/// (`api` unless `[server] push_source` names another) and those `[server]
/// push_sources` lists. Any other name is 403, and an upstream feed's entry
/// can never be replaced by a push that names its source and id.
#[tokio::test(flavor = "multi_thread")]
async fn pushes_write_only_under_the_sources_open_to_them() {
    let config = |server: &str| {
        format!(
            "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\n\n[server]\nbind = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\n{server}\n\n[schedule]\ninterval = \"1h\"\n\n[[source]]\nname = \"ledger\"\nfeed = \"upstream/rss20.xml\"\n\n[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n\n[[feed]]\nname = \"pushed\"\ntitle = \"Pushed\"\nsources = [\"wire-push\", \"aggregator\"]\n"
        )
    };
    // The name of a feed source is never open to pushes.
    let refused = Project::new(&config("push_sources = [\"ledger\"]"));
    let output = refused.feedfold(&["run"]);
    let (_, stderr) = common::text(&output);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("server.push_sources")
            && stderr.contains("\"ledger\" is a feed source; pushes may not write under its name"),
        "{stderr}"
    );

    let project = Project::new(&config(
        "push_source = \"wire-push\"\npush_sources = [\"aggregator\"]",
    ));
    std::fs::create_dir_all(project.path("upstream")).unwrap();
    std::fs::copy(
        common::fixtures().join("feeds/rss20.xml"),
        project.path("upstream/rss20.xml"),
    )
    .unwrap();
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    let server = Server::start(&project, &[]);
    let entry = "Flood defences hold as river peaks at record level";
    assert!(
        eventually(Duration::from_secs(20), || {
            std::fs::read_to_string(project.path("feeds/all.json")).is_ok_and(|f| f.contains(entry))
        }),
        "the upstream feed is published"
    );
    let before = project.read("feeds/all.json");
    let http = client();
    let api = server.url("/api/articles");
    let push = |body: Value, query: &'static str| {
        let request = http
            .post(format!("{api}{query}"))
            .header(header::AUTHORIZATION, bearer(TOKEN));
        async move {
            let response = request.json(&body).send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let hijack = json!({
        "title": "Hijacked", "body": "Replaced by a push.",
        "source": "ledger", "id": "ledger-2024-0709-001"
    });
    let (status, answer) = push(hijack.clone(), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let message = answer["error"].as_str().unwrap();
    assert!(
        message.contains("\"ledger\" does not take pushes") && message.contains("push_sources"),
        "{message}"
    );
    // In an array, one article out of scope refuses the whole request.
    let (status, _) = push(
        json!([{"title": "Fine", "body": "A pushed story."}, hijack]),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = push(
        json!({"title": "Elsewhere", "body": "x", "source": "desk-2"}),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let dump_into_ledger = http
        .post(format!("{api}?source=ledger"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .header(header::CONTENT_TYPE, "text/plain")
        .body("Hijacked\n\nHijacked\n\nReplaced by a push.\n")
        .send()
        .await
        .unwrap();
    assert_eq!(dump_into_ledger.status(), StatusCode::FORBIDDEN);
    // `?source=` names a JSON push's source as it does a dump's: one that
    // takes no pushes is refused, even when each article names another.
    let (status, answer) = push(
        json!({"title": "Ferry Timetable Changes", "body": "Winter sailings start on Monday."}),
        "?source=ledger",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let (status, answer) = push(
        json!({"title": "Ferry Timetable Changes", "body": "Winter sailings start on Monday.", "source": "aggregator"}),
        "?source=desk-2",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(
        project.read("feeds/all.json"),
        before,
        "nothing was written"
    );

    // The push source and the listed ones take pushes.
    let (status, answer) = push(
        json!({"title": "Harbour Crane Delivered", "body": "The new crane arrived by barge."}),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, answer) = push(
        json!({"title": "Market Hall Reopens", "body": "Stalls return on Saturday.", "source": "aggregator"}),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // The query names the source of the JSON articles that name none; an
    // article's own `source` stands.
    let (status, answer) = push(
        json!([
            {"title": "Night Buses Return to the Old Town", "body": "Night buses run again from Friday."},
            {"title": "Bridge Closed for Inspection", "body": "The east bridge shuts for a week.", "source": "wire-push"}
        ]),
        "?source=aggregator",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let read: Value = http
        .get(format!("{api}?feed=pushed"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sources: Vec<(&str, &str)> = read["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["sightings"][0]["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        sources.contains(&("Harbour Crane Delivered", "wire-push"))
            && sources.contains(&("Market Hall Reopens", "aggregator"))
            && sources.contains(&("Night Buses Return to the Old Town", "aggregator"))
            && sources.contains(&("Bridge Closed for Inspection", "wire-push")),
        "{sources:?}"
    );
    let all = project.read("feeds/all.json");
    assert!(all.contains(entry) && !all.contains("Hijacked"));
}

/// The README's push example, word for word: the JSON body of its `curl`.
fn readme_push_example() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let curl = readme
        .find("curl -X POST http://127.0.0.1:8080/api/articles")
        .expect("the README shows a push");
    let body = &readme[curl..];
    let start = body.find("-d '").expect("with a body") + 4;
    let end = start + body[start..].find('\'').expect("a quoted body");
    body[start..end].to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_push_example_appears_in_the_bundled_configs_feed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = std::fs::read_to_string(root.join("config.toml")).unwrap();
    let project = Project::new(&format!("{bundled}\n[server]\nbind = \"127.0.0.1:0\"\n"));
    std::fs::create_dir(project.path("samples")).unwrap();
    for sample in std::fs::read_dir(root.join("samples")).unwrap() {
        let sample = sample.unwrap().path();
        std::fs::copy(
            &sample,
            project.path("samples").join(sample.file_name().unwrap()),
        )
        .unwrap();
    }
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[("FEEDFOLD_TOKEN", TOKEN)], Some(&log));
    let http = client();
    assert!(
        eventually(Duration::from_secs(60), || project
            .path("feeds/news.json")
            .exists()),
        "the first cycle publishes"
    );
    let pushed = http
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, bearer(TOKEN))
        .header(header::CONTENT_TYPE, "application/json")
        .body(readme_push_example())
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::CREATED);
    let feed = http
        .get(server.url("/feeds/news.json"))
        .send()
        .await
        .unwrap();
    let feed = feed.text().await.unwrap();
    assert!(feed.contains("Night Trains Return"), "{feed}");
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(!stderr.contains("no [[feed]]"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_token_is_trimmed_as_the_config_one_and_a_blank_one_refused() {
    let project = project("", "");
    let with_newline = format!("{TOKEN}\n");
    let server = Server::start(&project, &[("FEEDFOLD_TOKEN", &with_newline)]);
    let status = push_article(
        &server,
        json!({"title": "Lighthouse Keeper Retires", "body": "The last keeper left on Friday."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    drop(server);

    let mut blank = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["serve", "--config"])
        .arg(project.path("config.toml"))
        .env("FEEDFOLD_TOKEN", " \n")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let exited = eventually(Duration::from_secs(20), || {
        blank.try_wait().unwrap().is_some()
    });
    if !exited {
        let _ = blank.kill();
    }
    let output = blank.wait_with_output().unwrap();
    assert!(exited, "serve runs with a blank FEEDFOLD_TOKEN");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("config error: FEEDFOLD_TOKEN: must not be empty"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_source_no_feed_publishes_is_warned_of_when_the_api_is_on() {
    let project = project("", "push_source = \"agency\"");
    std::fs::write(
        project.path("config.toml"),
        project.read("config.toml").replace(
            "name = \"all\"\ntitle = \"All the news\"\n",
            "name = \"all\"\ntitle = \"All the news\"\nsources = [\"city\", \"harbour\"]\n",
        ),
    )
    .unwrap();
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[("FEEDFOLD_TOKEN", TOKEN)], Some(&log));
    wait_ready(&server).await;
    // The server logs through a queue of its own: wait for the line.
    let warning = "pushed under source \"agency\" are stored but no [[feed]]";
    eventually(Duration::from_secs(10), || {
        std::fs::read_to_string(&log).unwrap().contains(warning)
    });
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert_eq!(stderr.matches(warning).count(), 1, "{stderr}");
}

#[test]
fn serve_listens_on_a_host_name_and_names_a_port_in_use_once() {
    use std::io::{BufRead, BufReader};
    let project = project("", "");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["serve", "--bind", "localhost:0", "--config"])
        .arg(project.path("config.toml"))
        .env_remove("FEEDFOLD_TOKEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("feedfold: serving on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("{line}"))
        .parse()
        .unwrap();
    assert!(addr.ip().is_loopback() && addr.port() != 0, "{addr}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    for (bind, named) in [
        (
            format!("127.0.0.1:{port}"),
            format!("cannot listen on 127.0.0.1:{port}: "),
        ),
        (
            format!("localhost:{port}"),
            format!("cannot listen on localhost:{port} (127.0.0.1:{port}): "),
        ),
    ] {
        if bind.starts_with("localhost")
            && !std::net::ToSocketAddrs::to_socket_addrs(&("localhost", port))
                .unwrap()
                .all(|a| a.ip() == std::net::Ipv4Addr::LOCALHOST)
        {
            continue; // localhost resolves to ::1 too here, which is free
        }
        let output = project.feedfold(&["serve", "--bind", &bind]);
        let (stdout, stderr) = common::text(&output);
        assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
        assert!(stderr.contains(&named), "{stderr}");
        assert_eq!(
            stderr.matches("Address already in use").count(),
            1,
            "{stderr}"
        );
    }
    let bad = project.feedfold(&["serve", "--bind", "localhost"]);
    assert_eq!(bad.status.code(), Some(2), "a usage error");
}

/// What the index page shows above `label`.
fn shown<'a>(html: &'a str, label: &str) -> &'a str {
    let end = html
        .find(&format!("</b><span>{label}</span>"))
        .unwrap_or_else(|| panic!("no {label:?} in {html}"));
    let start = html[..end].rfind("<b>").unwrap() + 3;
    &html[start..end]
}

/// The number the index page shows above `label`.
fn shown_number(html: &str, label: &str) -> usize {
    shown(html, label).parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_index_page_shows_articles_read_again_as_already_known_not_as_folded() {
    let project = project("", "");
    let run = project.feedfold(&["run"]);
    let (report, _) = common::text(&run);
    assert!(run.status.success(), "{report}");
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let html = get_text(&server, "/").await;
    assert!(!html.contains("repeats folded"), "{html}");
    assert_eq!(shown_number(&html, "new articles"), 0, "all read before");
    let read: usize = report
        .lines()
        .filter(|l| l.starts_with("source "))
        .map(|l| {
            let read = l.split(", ").nth(1).unwrap();
            read.split(' ').next().unwrap().parse::<usize>().unwrap()
        })
        .sum();
    assert!(read > 0, "{report}");
    assert_eq!(shown_number(&html, "already known"), read, "{report}");
    assert_eq!(shown_number(&html, "updated"), 0);
    assert!(html.contains("<th>Known</th><th>Updated</th>"), "{html}");
}

/// Starts `feedfold serve -vv` on `project` with its standard output and
/// error in the write end of a pipe `reader` holds.
fn serve_into_pipe(project: &Project) -> (std::process::Child, std::process::ChildStderr) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["serve", "-vv", "--config"])
        .arg(project.path("config.toml"))
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start feedfold serve");
    let reader = child.stderr.take().unwrap();
    (child, reader)
}

/// Sends SIGTERM to `child`; true when it exits within `limit`.
fn stops_within(child: &mut std::process::Child, limit: Duration) -> bool {
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let stopped = eventually(limit, || child.try_wait().unwrap().is_some());
    let _ = child.kill();
    let _ = child.wait();
    stopped
}

#[test]
fn sigterm_stops_the_server_whatever_its_log_reader_does() {
    let project = Project::new(&config("", ""));
    project.write("dumps/city-desk.txt", &common::generated_dump(7, 800));
    // A log reader that stalls: every fold decision is logged, far more
    // than a pipe holds, while the first cycle folds the dump.
    let (mut child, stalled) = serve_into_pipe(&project);
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        stops_within(&mut child, Duration::from_secs(20)),
        "serve ignored SIGTERM while its log pipe was full"
    );
    drop(stalled);
    // A log reader that went away after one line.
    let (mut child, gone) = serve_into_pipe(&project);
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut { gone }, &mut first).unwrap();
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        stops_within(&mut child, Duration::from_secs(20)),
        "serve ignored SIGTERM after its log reader went away"
    );
}

/// Serves one RSS document at any path, each answer held until `open`:
/// an upstream slower than a client's polls.
fn start_gated_feed(open: Arc<AtomicBool>, asked: Arc<AtomicBool>) -> std::net::SocketAddr {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (open, asked) = (open.clone(), asked.clone());
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                asked.store(true, Ordering::SeqCst);
                while !open.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                let body = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quay</title>\
                    <link>http://quay.example/</link><description>d</description>\
                    <item><title>Harbour dues rise for the winter season</title>\
                    <link>http://quay.example/dues</link><guid>dues-1</guid>\
                    <pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>\
                    <description>Boat owners will pay more to moor in the harbour from January.</description>\
                    </item></channel></rss>";
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread")]
async fn since_the_moment_of_a_poll_lists_what_a_slow_source_stored_after_it() {
    let (open, asked) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let upstream = start_gated_feed(open.clone(), asked.clone());
    let project = Project::new(&format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\n\n[server]\nbind = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\n\n[schedule]\ninterval = \"1h\"\n\n[[source]]\nname = \"quay\"\nfeed = \"http://{upstream}/feed.xml\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
    ));
    let server = Server::start(&project, &[]);
    assert!(eventually(Duration::from_secs(20), || asked.load(Ordering::SeqCst)));
    // The cycle has begun and waits for the upstream; a client polls a
    // moment later and finds nothing yet.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let http = client();
    let read = |since: Option<String>| {
        let mut url = server.url("/api/articles");
        if let Some(since) = since {
            url.push_str(&format!("?since={since}"));
        }
        let request = http.get(url).header(header::AUTHORIZATION, bearer(TOKEN));
        async move {
            let answer: Value = request.send().await.unwrap().json().await.unwrap();
            answer["articles"].as_array().unwrap().len()
        }
    };
    let poll = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(read(None).await, 0, "nothing stored before the poll");
    open.store(true, Ordering::SeqCst);
    let mut stored = 0;
    for _ in 0..200 {
        stored = read(None).await;
        if stored > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(stored, 1, "the source's article was stored");
    assert_eq!(
        read(Some(poll.clone())).await,
        1,
        "stored after the poll at {poll}, so listed since it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_start_up_log_gives_the_limits_as_fields() {
    let project = project("", "header_timeout = \"7s\"");
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[("RUST_LOG", "info")], Some(&log));
    wait_ready(&server).await;
    eventually(Duration::from_secs(10), || {
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("accepting connections")
    });
    let stderr = std::fs::read_to_string(&log).unwrap();
    let line = stderr
        .lines()
        .find(|l| l.contains("accepting connections"))
        .unwrap();
    assert!(
        line.contains("header_timeout=7s") && line.contains("max_connections="),
        "{line}"
    );
    assert!(
        line.contains("open_files=") && !line.contains('{'),
        "{line}"
    );
}

/// Feed files written under a clock that ran ahead (their times 10 days
/// on) are served with no `Last-Modified` (none may be later than the
/// answer's `Date`, and the `Date` would move), and the `Date` is the
/// server's clock now.
#[tokio::test(flavor = "multi_thread")]
async fn a_feed_file_dated_ahead_of_the_clock_is_not_sent_as_modified_in_the_future() {
    let project = project("", "");
    let run = cron_run(&project);
    assert!(run.status.success(), "{run:?}");
    let ahead = std::time::SystemTime::now() + Duration::from_secs(10 * 86_400);
    for ext in ["rss", "atom", "json"] {
        std::fs::File::options()
            .write(true)
            .open(project.path(&format!("feeds/all.{ext}")))
            .unwrap()
            .set_modified(ahead)
            .unwrap();
    }
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let http = client();
    for ext in ["rss", "atom", "json"] {
        let asked = std::time::SystemTime::now();
        let response = http
            .get(server.url(&format!("/feeds/all.{ext}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        let answered = std::time::SystemTime::now();
        let date = httpdate::parse_http_date(header(headers, header::DATE)).unwrap();
        assert!(headers.get(header::LAST_MODIFIED).is_none(), "{headers:?}");
        // The clock's time between the question and the answer, in whole
        // seconds as HTTP dates go (however long a busy machine took).
        let asked_second = httpdate::parse_http_date(&httpdate::fmt_http_date(asked)).unwrap();
        assert!(
            asked_second <= date && date <= answered,
            "Date {date:?} is the clock's, between {asked:?} and {answered:?}"
        );
    }
}

/// Waits until `server` has ended its first cycle and serves the feed
/// `all`, whatever it holds.
async fn wait_serving(server: &Server) {
    let url = server.url("/feeds/all.rss");
    let deadline = std::time::Instant::now() + FIRST_CYCLE;
    while std::time::Instant::now() < deadline {
        if health_of(server).await["status"] == "ok"
            && client().head(&url).send().await.unwrap().status() == StatusCode::OK
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server never finished its first cycle");
}

/// The `Last-Modified` and `ETag` of `url` as served now (no date while
/// the version's date is ahead of the clock).
async fn dated_version(url: &str) -> (Option<String>, String) {
    let response = client().head(url).send().await.unwrap();
    let modified = response
        .headers()
        .get(header::LAST_MODIFIED)
        .map(|value| value.to_str().unwrap().to_string());
    (
        modified,
        header(response.headers(), header::ETAG).to_string(),
    )
}

/// `url`'s `Last-Modified` and `ETag` once it has a date, within 5 s.
async fn dated_once_the_clock_is_there(url: &str) -> (String, String) {
    for _ in 0..100 {
        if let (Some(modified), etag) = dated_version(url).await {
            return (modified, etag);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} got no Last-Modified within 5 s");
}

/// The status of `url` asked for `If-Modified-Since: date`.
async fn status_if_modified_since(url: &str, date: &str) -> StatusCode {
    client()
        .get(url)
        .header(header::IF_MODIFIED_SINCE, date)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_version_a_cron_run_writes_is_dated_alike_live_and_after_a_restart() {
    let text = config("", "").replace("dumps/other-desk.txt", "dumps/other-*.txt");
    let project = Project::new(&text).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let url = server.url("/feeds/all.rss");
    let (_, old_etag) = dated_once_the_clock_is_there(&url).await;
    // A cron run writes a new version while readers keep fetching the old
    // one; each keeps the `Date` it got (as `curl -z` and caches ask by).
    std::fs::write(
        project.path("dumps/other-late.txt"),
        "Harbour Crane Toppled In Gale\n\nA crane on the north quay fell in \
         the night's gale, the port authority said.\n\nNo one was hurt.\n",
    )
    .unwrap();
    let config_path = project.path("config.toml");
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(["run", "--quiet", "--config"])
            .arg(config_path)
            .output()
            .unwrap()
    });
    let mut dates_of_the_old_version = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let response = client().get(&url).send().await.unwrap();
        if header(response.headers(), header::ETAG) != old_etag {
            break;
        }
        dates_of_the_old_version.push(header(response.headers(), header::DATE).to_string());
        assert!(
            std::time::Instant::now() < deadline,
            "the new version never came"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(run.await.unwrap().status.success());
    let (live, new_etag) = dated_once_the_clock_is_there(&url).await;
    for date in &dates_of_the_old_version {
        assert_eq!(
            status_if_modified_since(&url, date).await,
            StatusCode::OK,
            "a Date sent with the old version: {date}"
        );
    }
    // After a restart: the same date, and still no 304 for those dates.
    server.terminate();
    let server = Server::start(&project, &[]);
    wait_serving(&server).await;
    let url = server.url("/feeds/all.rss");
    assert_eq!(
        dated_once_the_clock_is_there(&url).await,
        (live.clone(), new_etag)
    );
    for date in &dates_of_the_old_version {
        assert_eq!(
            status_if_modified_since(&url, date).await,
            StatusCode::OK,
            "{date}"
        );
    }
    assert_eq!(
        status_if_modified_since(&url, &live).await,
        StatusCode::NOT_MODIFIED
    );
}

/// The moment a cron run beside the server has replaced the feed files,
/// before the server's poll of the folder could notice, a reader that
/// accepts gzip gets the new file's bytes in gzip, with the weak ETag, and
/// revalidates with that tag: the answers are those of any other moment.
#[tokio::test(flavor = "multi_thread")]
async fn a_feed_a_cron_run_just_replaced_is_sent_compressed_as_asked() {
    let text = config("", "").replace("dumps/other-desk.txt", "dumps/other-*.txt");
    let project = Project::new(&text).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    std::fs::write(
        project.path("dumps/other-late.txt"),
        "Ferry Timetable Changed For Winter\n\nThe island ferry will sail \
         twice a day from next week, the harbour office said.\n\nThe \
         evening crossing is dropped until spring.\n",
    )
    .unwrap();
    let run = cron_run(&project);
    assert!(run.status.success(), "{run:?}");
    let http = client();
    for ext in ["rss", "atom", "json"] {
        let url = server.url(&format!("/feeds/all.{ext}"));
        let file = std::fs::read(project.path(&format!("feeds/all.{ext}"))).unwrap();
        let gzipped = http
            .get(&url)
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gzipped.status(), StatusCode::OK, "{url}");
        let headers = gzipped.headers().clone();
        assert_eq!(header(&headers, header::CONTENT_ENCODING), "gzip", "{url}");
        assert!(
            header(&headers, header::VARY)
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        let etag = header(&headers, header::ETAG).to_string();
        assert!(etag.starts_with("W/\""), "weak ETag: {etag}");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(gzipped.bytes().await.unwrap().as_ref())
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, file, "the new file's bytes: {url}");
        let revalidated = http
            .get(&url)
            .header(header::ACCEPT_ENCODING, "gzip")
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED, "{url}");
        assert_eq!(header(revalidated.headers(), header::ETAG), etag);
    }
    assert!(
        String::from_utf8(std::fs::read(project.path("feeds/all.rss")).unwrap())
            .unwrap()
            .contains("Ferry Timetable"),
        "the run published the new article"
    );
}

/// Copies every file of the folder `from` into the new folder `to`,
/// keeping their modification times, as `cp -p` and `rsync -a` do.
fn copy_keeping_times(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_file() {
            continue;
        }
        let copy = to.join(entry.file_name());
        std::fs::copy(entry.path(), &copy).unwrap();
        let modified = entry.metadata().unwrap().modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(&copy)
            .and_then(|file| file.set_modified(modified))
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restored_with_its_file_times_is_not_taken_for_a_later_version() {
    let project = project("", &format!("token = \"{TOKEN}\""));
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let url = server.url("/feeds/all.rss");
    dated_once_the_clock_is_there(&url).await;
    server.terminate();
    // A backup of the state folder after a clean stop, file times kept.
    let backup = project.path("backup");
    copy_keeping_times(&project.path("feeds"), &backup.join("feeds"));
    std::fs::copy(project.path("feedfold.db"), backup.join("feedfold.db")).unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    let url = server.url("/feeds/all.rss");
    let story = json!({"title": "Tram Line Extension Approved", "body": "Work starts in May."});
    assert_eq!(push_article(&server, story).await, StatusCode::CREATED);
    let (later, later_etag) = dated_once_the_clock_is_there(&url).await;
    server.terminate();
    // The backup put back, the store and the feeds with it.
    for stale in ["feedfold.db-wal", "feedfold.db-shm"] {
        let _ = std::fs::remove_file(project.path(stale));
    }
    std::fs::copy(backup.join("feedfold.db"), project.path("feedfold.db")).unwrap();
    std::fs::remove_dir_all(project.path("feeds")).unwrap();
    copy_keeping_times(&backup.join("feeds"), &project.path("feeds"));
    let server = Server::start(&project, &[]);
    wait_serving(&server).await;
    let url = server.url("/feeds/all.rss");
    let (_, restored_etag) = dated_version(&url).await;
    assert_ne!(restored_etag, later_etag);
    assert_eq!(
        status_if_modified_since(&url, &later).await,
        StatusCode::OK,
        "a reader holding the later version, dated {later}"
    );
    // Its date, from the moment it was put back, stays across a restart.
    let (restored, _) = dated_once_the_clock_is_there(&url).await;
    server.terminate();
    let server = Server::start(&project, &[]);
    wait_serving(&server).await;
    let url = server.url("/feeds/all.rss");
    assert_eq!(dated_once_the_clock_is_there(&url).await.0, restored);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_pushes_leaves_the_feeds_dated_no_more_than_a_second_ahead() {
    let project = project("", &format!("token = \"{TOKEN}\""));
    let server = Server::start(&project, &[]);
    wait_ready(&server).await;
    for n in 0..20 {
        let story = json!({"title": format!("Council vote update {n}"), "body": format!("Ward {n} voted on the harbour budget.")});
        assert_eq!(push_article(&server, story).await, StatusCode::CREATED);
    }
    let modified = std::fs::metadata(project.path("feeds/all.rss"))
        .unwrap()
        .modified()
        .unwrap();
    let ahead = modified
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    assert!(ahead <= Duration::from_secs(2), "dated {ahead:?} ahead");
    // So the last version is sent with its date within a few seconds.
    let url = server.url("/feeds/all.rss");
    dated_once_the_clock_is_there(&url).await;
}
