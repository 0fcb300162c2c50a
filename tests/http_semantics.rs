//! End to end: `feedfold serve` answers as HTTP says readers and caches may
//! expect: paths with percent-encoded unreserved characters are the same
//! paths, a method HTTP does not define gets 501 (a known one a resource
//! does not allow, 405 with `Allow`), and the HTML pages carry a strong
//! ETag that `If-None-Match` revalidates and `If-Match` checks, as the feeds
//! do; every answer negotiates its content coding by one rule.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::Project;
use common::server::Server;

const CONFIG: &str = r#"
[publish]
base_url = "http://feeds.example"

[server]
bind = "127.0.0.1:0"
token = "semantics-token-4d1e"

[[source]]
name = "desk"
text = "dumps/city-desk.txt"

[[feed]]
name = "news"
title = "News"
"#;

/// The server, once its first cycle has ended (the pages change no more).
fn serving() -> (Project, Server) {
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    assert!(common::server::eventually(Duration::from_secs(20), || {
        let answer = exchange(
            &server,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        answer.contains("\"status\":\"ok\"")
    }));
    (project, server)
}

/// Sends `request` on a fresh connection and returns the whole answer as
/// text ("" when the server closed without answering).
fn exchange(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The head of the answer to `method target` in `version`, with `fields`,
/// on a connection closed after it.
fn head(server: &Server, method: &str, target: &str, version: &str, fields: &str) -> String {
    let request =
        format!("{method} {target} {version}\r\nHost: x\r\n{fields}Connection: close\r\n\r\n");
    let answer = exchange(server, request.as_bytes());
    answer.split("\r\n\r\n").next().unwrap_or("").to_string()
}

/// The value of field `name` in `head`, if it has one.
fn field<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (field, value) = line.split_once(':')?;
        field.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn status(head: &str) -> &str {
    head.lines().next().unwrap_or("")
}

#[test]
fn percent_encoded_unreserved_characters_name_the_same_resource() {
    let (_project, server) = serving();
    let plain = head(&server, "GET", "/feeds/news.rss", "HTTP/1.1", "");
    assert_eq!(status(&plain), "HTTP/1.1 200 OK");
    for target in [
        "/%66eeds/news.rss",
        "/feeds/%6Eews.rss",
        "/%66%65%65%64%73/%6e%65%77%73%2E%72%73%73",
    ] {
        let encoded = head(&server, "GET", target, "HTTP/1.1", "");
        assert_eq!(status(&encoded), "HTTP/1.1 200 OK", "{target}");
        assert_eq!(field(&encoded, "etag"), field(&plain, "etag"), "{target}");
    }
    for target in ["/%61rticles", "/%68ealthz", "/"] {
        assert_eq!(
            status(&head(&server, "GET", target, "HTTP/1.1", "")),
            "HTTP/1.1 200 OK",
            "{target}"
        );
    }
    // Reserved characters stay encoded, dot segments are never resolved,
    // invalid escapes stay invalid: nothing outside the feeds opens.
    for target in [
        "/feeds/%2e%2e%2fconfig.toml",
        "/feeds/%2e%2e/config.toml",
        "/feeds/%2E%2E/feeds/news.rss",
        "/%2e%2e/config.toml",
        "/feeds/%2e%2e%2ffeedfold.db",
        "/feeds/news%2Erss%2Fx",
        "/%66eeds%2Fnews.rss",
        "/feeds/%zz.rss",
        "/feeds/news.rss%",
    ] {
        let answer = status(&head(&server, "GET", target, "HTTP/1.1", "")).to_string();
        assert!(
            answer == "HTTP/1.1 404 Not Found" || answer == "HTTP/1.1 400 Bad Request",
            "{target}: {answer}"
        );
    }
}

#[test]
fn an_unknown_method_is_not_implemented_and_a_known_one_not_allowed() {
    let (_project, server) = serving();
    for (method, target) in [
        ("FOO", "/feeds/news.rss"),
        ("PATCH", "/"),
        ("PATCH", "/api/articles"),
        ("get", "/feeds/news.rss"),
        ("FOO", "/nowhere"),
    ] {
        let answer = head(&server, method, target, "HTTP/1.1", "");
        assert_eq!(
            status(&answer),
            "HTTP/1.1 501 Not Implemented",
            "{method} {target}"
        );
        assert_eq!(field(&answer, "allow"), None, "{method} {target}");
        assert_eq!(field(&answer, "x-content-type-options"), Some("nosniff"));
    }
    for (method, target, allowed) in [
        ("DELETE", "/feeds/news.rss", "GET,HEAD"),
        ("PUT", "/feeds/news.rss", "GET,HEAD"),
        ("POST", "/", "GET,HEAD"),
        ("OPTIONS", "/articles", "GET,HEAD"),
        ("DELETE", "/api/articles", "GET,HEAD,POST"),
        ("PUT", "/api/articles", "GET,HEAD,POST"),
        ("OPTIONS", "/api/articles", "GET,HEAD,POST"),
    ] {
        let token = "Authorization: Bearer semantics-token-4d1e\r\n";
        let answer = head(&server, method, target, "HTTP/1.1", token);
        assert_eq!(
            status(&answer),
            "HTTP/1.1 405 Method Not Allowed",
            "{method} {target}"
        );
        assert_eq!(field(&answer, "allow"), Some(allowed), "{method} {target}");
    }
}

#[test]
fn a_method_the_push_api_does_not_allow_is_refused_for_want_of_the_token_first() {
    let (_project, server) = serving();
    for method in ["DELETE", "PUT", "OPTIONS"] {
        for fields in ["", "Authorization: Bearer wrong-token\r\n"] {
            let answer = head(&server, method, "/api/articles", "HTTP/1.1", fields);
            assert_eq!(
                status(&answer),
                "HTTP/1.1 401 Unauthorized",
                "{method} {fields}"
            );
        }
    }
}

#[test]
fn without_a_token_the_push_api_is_not_found_whatever_the_method() {
    let config = CONFIG.replace("token = \"semantics-token-4d1e\"\n", "");
    assert!(!config.contains("token"));
    let project = Project::new(&config).with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    for method in ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE"] {
        let answer = head(&server, method, "/api/articles", "HTTP/1.1", "");
        assert_eq!(status(&answer), "HTTP/1.1 404 Not Found", "{method}");
        assert_eq!(field(&answer, "allow"), None, "{method}");
    }
    // A method HTTP does not define is still not implemented anywhere.
    let answer = head(&server, "PATCH", "/api/articles", "HTTP/1.1", "");
    assert_eq!(status(&answer), "HTTP/1.1 501 Not Implemented");
}

#[test]
fn the_http2_connection_preface_in_plain_text_gets_400() {
    let (_project, server) = serving();
    // As `curl --http2-prior-knowledge` opens: the preface, then an empty
    // SETTINGS frame.
    let mut preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    preface.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0]);
    for request in [&preface[..], &preface[..24]] {
        let answer = exchange(&server, request);
        assert_eq!(status(&answer), "HTTP/1.1 400 Bad Request", "{answer:?}");
        assert_eq!(field(&answer, "connection"), Some("close"), "{answer:?}");
    }
    // The server goes on answering HTTP/1.1.
    let plain = head(&server, "GET", "/feeds/news.rss", "HTTP/1.1", "");
    assert_eq!(status(&plain), "HTTP/1.1 200 OK");
}

#[test]
fn pages_carry_a_strong_etag_that_if_none_match_revalidates() {
    let (_project, server) = serving();
    for page in ["/", "/articles"] {
        let first = head(&server, "GET", page, "HTTP/1.1", "");
        assert_eq!(status(&first), "HTTP/1.1 200 OK", "{page}");
        assert_eq!(field(&first, "cache-control"), Some("no-cache"), "{page}");
        let etag = field(&first, "etag")
            .unwrap_or_else(|| panic!("{page}: no ETag in {first}"))
            .to_string();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2,
            "{page}: {etag}"
        );
        let again = head(&server, "HEAD", page, "HTTP/1.1", "");
        assert_eq!(field(&again, "etag"), Some(etag.as_str()), "{page}");

        let revalidated = exchange(
            &server,
            format!(
                "GET {page} HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\", {etag}\r\n\
                 Connection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        let (not_modified, body) = revalidated.split_once("\r\n\r\n").unwrap();
        assert_eq!(status(not_modified), "HTTP/1.1 304 Not Modified", "{page}");
        assert_eq!(field(not_modified, "etag"), Some(etag.as_str()), "{page}");
        assert_eq!(field(not_modified, "cache-control"), Some("no-cache"));
        assert_eq!(field(not_modified, "vary"), Some("accept-encoding"));
        assert_eq!(body, "", "{page}");

        // Compressed, the page carries the tag weak, and a 304 for that
        // copy names it so.
        let compressed = head(
            &server,
            "GET",
            page,
            "HTTP/1.1",
            "Accept-Encoding: gzip\r\n",
        );
        assert_eq!(field(&compressed, "content-encoding"), Some("gzip"));
        let weak = format!("W/{etag}");
        assert_eq!(field(&compressed, "etag"), Some(weak.as_str()), "{page}");
        let fields = format!("Accept-Encoding: gzip\r\nIf-None-Match: {weak}\r\n");
        let not_modified = head(&server, "GET", page, "HTTP/1.1", &fields);
        assert_eq!(status(&not_modified), "HTTP/1.1 304 Not Modified");
        assert_eq!(field(&not_modified, "etag"), Some(weak.as_str()));

        let changed = head(
            &server,
            "GET",
            page,
            "HTTP/1.1",
            "If-None-Match: \"other\"\r\n",
        );
        assert_eq!(status(&changed), "HTTP/1.1 200 OK", "{page}");
        let dated = format!(
            "If-Modified-Since: {}\r\n",
            httpdate::fmt_http_date(std::time::SystemTime::now())
        );
        let by_date = head(&server, "GET", page, "HTTP/1.1", &dated);
        assert_eq!(
            status(&by_date),
            "HTTP/1.1 200 OK",
            "{page}: no Last-Modified, so no date proves a copy"
        );
    }
}

/// The head of the answer to `GET target` with `fields` and the bearer
/// token that opens the push API.
fn get_head(server: &Server, target: &str, fields: &str) -> String {
    let token = "Authorization: Bearer semantics-token-4d1e\r\n";
    head(
        server,
        "GET",
        target,
        "HTTP/1.1",
        &format!("{token}{fields}"),
    )
}

#[test]
fn if_match_is_evaluated_on_pages_as_on_feeds() {
    let (_project, server) = serving();
    for target in ["/feeds/news.rss", "/", "/articles"] {
        let first = get_head(&server, target, "");
        let etag = field(&first, "etag")
            .unwrap_or_else(|| panic!("{target}: no ETag in {first}"))
            .to_string();
        let other = get_head(&server, target, "If-Match: \"another version\"\r\n");
        assert_eq!(
            status(&other),
            "HTTP/1.1 412 Precondition Failed",
            "{target}"
        );
        for fields in [
            format!("If-Match: {etag}\r\n"),
            format!("If-Match: \"old\", {etag}\r\n"),
            "If-Match: *\r\n".to_string(),
        ] {
            let current = get_head(&server, target, &fields);
            assert_eq!(status(&current), "HTTP/1.1 200 OK", "{target} {fields}");
        }
        // Strong comparison: the weak tag of a compressed copy never
        // matches, and If-Match decides before If-None-Match.
        let weak = get_head(&server, target, &format!("If-Match: W/{etag}\r\n"));
        assert_eq!(status(&weak), "HTTP/1.1 412 Precondition Failed");
        let both = get_head(
            &server,
            target,
            &format!("If-Match: \"another version\"\r\nIf-None-Match: {etag}\r\n"),
        );
        assert_eq!(status(&both), "HTTP/1.1 412 Precondition Failed");
    }
    // Answers with no ETag match no tag.
    for target in ["/healthz", "/api/articles"] {
        let other = get_head(&server, target, "If-Match: \"a version\"\r\n");
        assert_eq!(
            status(&other),
            "HTTP/1.1 412 Precondition Failed",
            "{target}"
        );
        let any = get_head(&server, target, "If-Match: *\r\n");
        assert_eq!(status(&any), "HTTP/1.1 200 OK", "{target}");
    }
}

#[test]
fn every_answer_negotiates_its_content_coding_alike() {
    let (_project, server) = serving();
    let targets = [
        "/feeds/news.rss",
        "/",
        "/articles",
        "/healthz",
        "/api/articles",
    ];
    for (accept_encoding, coding) in [
        ("identity;q=0, *", Some("br")),
        ("*, identity;q=0", Some("br")),
        ("*", Some("br")),
        ("br;q=0, *", Some("gzip")),
        ("gzip;q=0.5, br", Some("br")),
        ("gzip, br;q=0.5", Some("gzip")),
        ("x-gzip", Some("gzip")),
        ("gzip;q=0.5, identity", None),
        ("identity", None),
        ("br;q=0, gzip;q=0", None),
    ] {
        for target in targets {
            let fields = format!("Accept-Encoding: {accept_encoding}\r\n");
            let answer = get_head(&server, target, &fields);
            assert_eq!(status(&answer), "HTTP/1.1 200 OK", "{target}");
            assert_eq!(
                field(&answer, "content-encoding"),
                coding,
                "{target} with {accept_encoding}"
            );
            assert!(
                field(&answer, "vary").is_some_and(|vary| vary.contains("accept-encoding")),
                "{target}: {answer}"
            );
        }
    }
    // HEAD tells what GET would send.
    for target in ["/", "/healthz"] {
        let fields = "Accept-Encoding: gzip\r\n";
        let get = head(&server, "GET", target, "HTTP/1.1", fields);
        let head_only = head(&server, "HEAD", target, "HTTP/1.1", fields);
        assert_eq!(
            field(&head_only, "content-encoding"),
            Some("gzip"),
            "{target}"
        );
        assert_eq!(field(&head_only, "etag"), field(&get, "etag"), "{target}");
    }
}

/// The whole answer to a push of one article titled `title`, with
/// `fields` (the token among them or not).
fn push(server: &Server, fields: &str, title: &str) -> String {
    let body = format!(
        r#"{{"title":"{title}","body":["The ferry committee met on Thursday to hear the harbour master."]}}"#
    );
    let request = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{fields}Connection: close\r\n\r\n{body}",
        body.len()
    );
    exchange(server, request.as_bytes())
}

#[test]
fn a_push_whose_precondition_fails_is_refused_and_nothing_is_stored() {
    let (_project, server) = serving();
    let token = "Authorization: Bearer semantics-token-4d1e\r\n";
    let stored = |title: &str| {
        exchange(
            &server,
            format!("GET /api/articles?limit=1000 HTTP/1.1\r\nHost: x\r\n{token}Connection: close\r\n\r\n")
                .as_bytes(),
        )
        .contains(title)
    };
    // The collection has a current representation with no ETag: only `*`
    // matches it.
    for (condition, title) in [
        ("If-Match: \"no such tag\"", "Ferry Fares Frozen"),
        ("If-Match: W/\"no such tag\"", "Ferry Timetable Printed"),
        ("If-None-Match: *", "Ferry Crew Honoured"),
    ] {
        let answer = push(&server, &format!("{token}{condition}\r\n"), title);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        assert_eq!(
            status(head),
            "HTTP/1.1 412 Precondition Failed",
            "{condition}"
        );
        assert_eq!(body, "", "{condition}: no body");
        assert!(!stored(title), "{condition}: nothing stored");
    }
    // Without the token the answer is 401 whatever the preconditions say.
    let answer = push(
        &server,
        "If-Match: \"no such tag\"\r\n",
        "Ferry Strike Called",
    );
    assert_eq!(status(&answer), "HTTP/1.1 401 Unauthorized");
    for (condition, title) in [
        ("If-Match: *", "Ferry Route Extended"),
        ("If-None-Match: \"no such tag\"", "Ferry Pier Repaired"),
    ] {
        let answer = push(&server, &format!("{token}{condition}\r\n"), title);
        assert_eq!(status(&answer), "HTTP/1.1 201 Created", "{condition}");
        assert!(stored(title), "{condition}");
    }
}

#[test]
fn a_head_answered_304_tells_no_length_on_any_path() {
    let (_project, server) = serving();
    for target in ["/", "/articles", "/feeds/news.rss"] {
        let etag = field(&get_head(&server, target, ""), "etag")
            .unwrap_or_else(|| panic!("{target}: no ETag"))
            .to_string();
        let fields = format!("If-None-Match: {etag}\r\n");
        let get = head(&server, "GET", target, "HTTP/1.1", &fields);
        let head_only = head(&server, "HEAD", target, "HTTP/1.1", &fields);
        assert_eq!(status(&head_only), "HTTP/1.1 304 Not Modified", "{target}");
        assert_eq!(field(&head_only, "content-length"), None, "{target}");
        assert_eq!(field(&get, "content-length"), None, "{target}");
    }
    for target in ["/healthz", "/api/articles"] {
        let answer = get_head(&server, target, "If-None-Match: *\r\n");
        assert_eq!(status(&answer), "HTTP/1.1 304 Not Modified", "{target}");
        let token = "Authorization: Bearer semantics-token-4d1e\r\nIf-None-Match: *\r\n";
        let head_only = head(&server, "HEAD", target, "HTTP/1.1", token);
        assert_eq!(field(&head_only, "content-length"), None, "{target}");
    }
}

#[test]
fn every_answer_under_feeds_varies_by_accept_encoding() {
    let (_project, server) = serving();
    for (method, target, fields, expected) in [
        ("GET", "/feeds/news.rss", "If-Match: \"x\"\r\n", "412"),
        ("GET", "/feeds/nope.rss", "", "404"),
        ("HEAD", "/feeds/nope.rss", "", "404"),
        ("GET", "/feeds/n%65ws.rss", "If-Match: \"x\"\r\n", "412"),
        ("DELETE", "/feeds/news.rss", "", "405"),
    ] {
        let answer = head(&server, method, target, "HTTP/1.1", fields);
        assert!(
            status(&answer).contains(expected),
            "{method} {target}: {answer}"
        );
        assert!(
            field(&answer, "vary").is_some_and(|vary| vary.contains("accept-encoding")),
            "{method} {target}: {answer}"
        );
    }
    // HEAD tells the length GET sends.
    for target in ["/feeds/nope.rss", "/nope"] {
        let get = head(&server, "GET", target, "HTTP/1.1", "");
        let head_only = head(&server, "HEAD", target, "HTTP/1.1", "");
        assert_eq!(
            field(&head_only, "content-length"),
            field(&get, "content-length"),
            "{target}"
        );
    }
}
