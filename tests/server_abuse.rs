//! The server under abuse: clients that trickle their headers, clients that
//! never read their answers, clients that half-close after their request, ten thousand idle connections, oversized and
//! malformed requests, path traversal, bad conditional headers and wrong
//! tokens. Every case gets a bounded answer
//! or a closed connection, and the server keeps serving everyone else.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Project;
use common::server::Server;

const TOKEN: &str = "abuse-test-token-91c2";

/// The `header_timeout` of every server here: also how long a connection
/// may wait for its client to take the bytes of an answer.
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);

/// A config whose `[server]` also holds `server`, with one source reading
/// `dumps/<dump>` into the feed `news`.
fn config(server: &str, dump: &str) -> String {
    format!(
        r#"
[publish]
base_url = "http://feeds.example"

[server]
bind = "127.0.0.1:0"
header_timeout = "{timeout}s"
{server}

[[source]]
name = "desk"
text = "dumps/{dump}"

[[feed]]
name = "news"
title = "News"
"#,
        timeout = HEADER_TIMEOUT.as_secs()
    )
}

fn project() -> Project {
    let server = format!("max_body = \"64KiB\"\ntoken = \"{TOKEN}\"");
    Project::new(&config(&server, "city-desk.txt")).with_dumps(&["city-desk.txt"])
}

/// Sends `request` on a fresh connection and returns the status line of
/// the answer ("" when the server closed without answering).
fn raw(server: &Server, request: &[u8]) -> String {
    raw_head(server, request)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// Sends `request` on a fresh connection and returns the head of the
/// answer ("" when the server closed without answering).
fn raw_head(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    text.split("\r\n\r\n").next().unwrap_or("").to_string()
}

/// A plain GET of the feed must answer 200, fast. A connection refused
/// (closed unanswered) is opened again within that time: the slot of a
/// connection that was just closed may not be free yet.
fn assert_serving(server: &Server) {
    let started = Instant::now();
    let get = || {
        raw(
            server,
            b"GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
    };
    let mut status = get();
    while status.is_empty() && started.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(50));
        status = get();
    }
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "served in {:?}",
        started.elapsed()
    );
}

/// The server on [`project`], once it serves the published feed.
fn serving() -> (Project, Server) {
    let project = project();
    let server = Server::start(&project, &[]);
    wait_published(&project);
    (project, server)
}

fn wait_published(project: &Project) {
    assert!(common::server::eventually(Duration::from_secs(20), || {
        std::fs::read_to_string(project.path("feeds/news.json"))
            .is_ok_and(|f| f.contains("Tram Line"))
    }));
}

#[test]
fn trickled_headers_are_cut_off_while_others_are_served() {
    let (_project, server) = serving();
    // Before the connection: the server's timeout starts when it accepts.
    let started = Instant::now();
    let mut slow = TcpStream::connect(server.addr()).unwrap();
    slow.write_all(b"GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..100 {
            if slow.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
            let mut probe = [0u8; 64];
            slow.set_nonblocking(true).unwrap();
            match slow.read(&mut probe) {
                Ok(0) => return,
                Ok(_) => return,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
            slow.set_nonblocking(false).unwrap();
        }
        panic!("a client trickling its headers was never cut off");
    });
    for _ in 0..5 {
        assert_serving(&server);
        std::thread::sleep(Duration::from_millis(200));
    }
    trickle.join().unwrap();
    let cut_after = started.elapsed();
    assert!(
        cut_after >= Duration::from_millis(1900),
        "not before the header timeout: {cut_after:?}"
    );
    assert!(
        cut_after < Duration::from_secs(6),
        "soon after the header timeout: {cut_after:?}"
    );
}

fn raise_own_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    limit.rlim_cur
}

#[test]
fn ten_thousand_idle_connections_neither_block_nor_bloat_the_server() {
    const IDLE: usize = 10_000;
    let open_files = raise_own_open_file_limit();
    if open_files < IDLE as u64 + 200 {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "open-file limit {open_files} is too low, and CI=true"
        );
        eprintln!("skipped: the open-file limit ({open_files}) cannot hold {IDLE} connections");
        return;
    }
    let (_project, server) = serving();
    assert_serving(&server);
    let (_, before_peak) = server.memory_kib();
    let started = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        idle.push(TcpStream::connect(server.addr()).expect("connect"));
    }
    let opened = started.elapsed();
    assert_serving(&server);
    let (_, during_peak) = server.memory_kib();
    eprintln!(
        "{IDLE} idle connections opened in {opened:?}; server peak RSS {before_peak} KiB before, {during_peak} KiB with them"
    );
    assert!(
        during_peak < before_peak + 256 * 1024,
        "10,000 idle connections cost at most 256 MiB: {before_peak} -> {during_peak} KiB"
    );
    // After the header timeout the server lets them go.
    std::thread::sleep(Duration::from_secs(4));
    let mut closed = 0;
    for stream in idle.iter_mut().step_by(100) {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = [0u8; 16];
        if matches!(stream.read(&mut buf), Ok(0) | Err(_)) {
            closed += 1;
        }
    }
    assert_eq!(
        closed,
        IDLE / 100,
        "idle connections are closed after the header timeout"
    );
    drop(idle);
    assert_serving(&server);
}

#[test]
fn oversized_malformed_and_traversing_requests_get_bounded_answers() {
    let project = project();
    let log = project.path("server.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));
    wait_published(&project);

    let huge_header = format!(
        "GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    assert_eq!(
        raw(&server, huge_header.as_bytes()),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    let long_uri = format!(
        "GET /feeds/{}.rss HTTP/1.1\r\nHost: x\r\n\r\n",
        "n".repeat(60_000)
    );
    assert!(raw(&server, long_uri.as_bytes()).starts_with("HTTP/1.1 4"));
    assert!(raw(&server, b"BLAH\r\n\r\n").starts_with("HTTP/1.1 400"));
    assert!(
        raw(
            &server,
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"
        )
        .starts_with("HTTP/1.1 400")
    );

    for path in [
        "/feeds/../../etc/passwd",
        "/feeds/..%2f..%2fetc%2fpasswd",
        "/feeds/%2e%2e%2fconfig.toml",
        "/../config.toml",
        "/feeds/news.rss%00.json",
        "/feeds/news.rss/../../feedfold.db",
        "/feeds//etc/passwd",
        "/feeds/%2fetc%2fpasswd.rss",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let status = raw(&server, request.as_bytes());
        assert!(
            status == "HTTP/1.1 404 Not Found" || status == "HTTP/1.1 400 Bad Request",
            "{path}: {status}"
        );
    }

    // HTTP/1.1 needs one valid Host (RFC 9112 §3.2); HTTP/1.0 may leave it out.
    for (head, expected) in [
        (
            "GET /feeds/news.rss HTTP/1.1\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
        (
            "GET /feeds/news.rss HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
        (
            "GET /feeds/news.rss HTTP/1.1\r\nHost: a b/c@\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
        ("GET / HTTP/1.1\r\n", "HTTP/1.1 400 Bad Request"),
        (
            "GET /feeds/news.rss HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n",
            "HTTP/1.1 200 OK",
        ),
        ("GET /feeds/news.rss HTTP/1.0\r\n", "HTTP/1.0 200 OK"),
    ] {
        let request = format!("{head}Connection: close\r\n\r\n");
        assert_eq!(raw(&server, request.as_bytes()), expected, "{head:?}");
    }

    // Conditions that cannot be understood are ignored: the full answer.
    // Control characters make the whole request malformed: 400.
    for (header, expected) in [
        (
            b"If-None-Match: \xff\xfe\x80garbage".as_slice(),
            "HTTP/1.1 200 OK",
        ),
        (b"If-None-Match: W/".as_slice(), "HTTP/1.1 200 OK"),
        (b"If-None-Match: ,,,,".as_slice(), "HTTP/1.1 200 OK"),
        (
            b"If-Modified-Since: Sat, 99 Nov 99999 99:99:99 GMT".as_slice(),
            "HTTP/1.1 200 OK",
        ),
        (
            b"If-Modified-Since: \xc3\xa9t\xc3\xa9".as_slice(),
            "HTTP/1.1 200 OK",
        ),
        (
            b"If-Modified-Since: \x01\x02\x03".as_slice(),
            "HTTP/1.1 400 Bad Request",
        ),
    ] {
        let mut request = b"GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\n".to_vec();
        request.extend_from_slice(header);
        request.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
        assert_eq!(
            raw(&server, &request),
            expected,
            "{}",
            String::from_utf8_lossy(header)
        );
    }

    let body = "x".repeat(200_000);
    let big_post = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(
        raw(&server, big_post.as_bytes()),
        "HTTP/1.1 413 Payload Too Large"
    );

    let wrong = b"POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer WRONG-SECRET-5521\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    assert_eq!(raw(&server, wrong), "HTTP/1.1 401 Unauthorized");
    assert_serving(&server);

    // The server logs through a queue of its own: the line may land just
    // after the answer.
    let refused = common::server::eventually(Duration::from_secs(10), || {
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("API request refused: wrong token")
    });
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(refused, "{logged}");
    assert!(
        !logged.contains("WRONG-SECRET-5521") && !logged.contains(TOKEN),
        "tokens never reach the log"
    );
}

#[test]
fn heads_over_32_kib_get_431_and_smaller_ones_are_served() {
    let (_project, server) = serving();
    let head_of = |total: usize| {
        let start = "GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ";
        let pad = total - start.len() - "\r\n\r\n".len();
        format!("{start}{}\r\n\r\n", "a".repeat(pad))
    };
    for total in [40_000, 33 * 1024, 32 * 1024 + 1] {
        assert_eq!(
            raw(&server, head_of(total).as_bytes()),
            "HTTP/1.1 431 Request Header Fields Too Large",
            "a {total}-byte head"
        );
    }
    for total in [32 * 1024, 30_000, 1_000] {
        assert_eq!(
            raw(&server, head_of(total).as_bytes()),
            "HTTP/1.1 200 OK",
            "a {total}-byte head"
        );
    }
}

/// Sends `head` and the start of a body whose sender then stops sending
/// (its side of the connection shut): the whole answer.
fn cut_short(server: &Server, head: &str, part: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(part).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    read_answer(stream)
}

/// Sends `request` (which asks `Connection: close`): the whole answer.
fn whole_answer(server: &Server, request: &str) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    read_answer(stream)
}

fn read_answer(mut stream: TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn a_push_body_cut_short_is_answered_as_incomplete_not_too_large() {
    let (_project, server) = serving();
    let part = br#"{"title":"Harbour Wall Repairs","body":"Work"#;
    let declared = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    );
    let answer = cut_short(&server, &declared, part);
    assert!(answer.starts_with("HTTP/1.1 400 Bad Request"), "{answer}");
    assert!(
        answer.contains(&format!("the body ended after {} of 500 bytes", part.len())),
        "{answer}"
    );
    // A chunked body that breaks off.
    let chunked = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let answer = cut_short(
        &server,
        &chunked,
        b"2b\r\n{\"title\":\"Harbour Wall Repairs\",\"body\":\"W",
    );
    assert!(answer.starts_with("HTTP/1.1 400 Bad Request"), "{answer}");
    assert!(answer.contains("the body broke off after"), "{answer}");
}

#[test]
fn a_malformed_chunked_push_is_answered_as_malformed_not_to_be_sent_again() {
    let (_project, server) = serving();
    let chunked = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let answer = cut_short(
        &server,
        &chunked,
        b"zz\r\n{\"title\":\"Ferry Timetable Changes\",\"body\":\"Ferries run hourly.\"}\r\n0\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 400 Bad Request"), "{answer}");
    assert!(answer.contains("chunked encoding is malformed"), "{answer}");
    assert!(!answer.contains("send it again"), "{answer}");
}

#[test]
fn a_push_in_a_transfer_coding_other_than_chunked_is_answered_501_naming_it() {
    let (project, server) = serving();
    let body = "{\"title\":\"Ferry Timetable Changes\",\"body\":\"Ferries run hourly.\"}";
    let request = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
        body.len()
    );
    let answer = whole_answer(&server, &request);
    assert!(
        answer.starts_with("HTTP/1.1 501 Not Implemented"),
        "{answer}"
    );
    assert!(answer.contains("transfer coding gzip"), "{answer}");
    let feed = std::fs::read_to_string(project.path("feeds/news.json")).unwrap();
    assert!(!feed.contains("Ferry Timetable"), "{feed}");
}

#[test]
fn a_push_without_a_length_is_answered_411_and_its_body_never_read_as_a_request() {
    let (project, server) = serving();
    let body = "{\"title\":\"Ferry Timetable Changes\",\"body\":\"Ferries run hourly.\"}";
    for version in ["HTTP/1.1", "HTTP/1.0"] {
        let request = format!(
            "POST /api/articles {version}\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\r\n{body}"
        );
        let answer = half_closed(&server, request.as_bytes());
        assert!(answer.contains(" 411 Length Required\r\n"), "{answer}");
        assert!(answer.contains("Content-Length"), "{answer}");
        // One answer: the body was not taken for a second request.
        assert_eq!(answer.matches("HTTP/1.").count(), 1, "{answer}");
    }
    let feed = std::fs::read_to_string(project.path("feeds/news.json")).unwrap();
    assert!(!feed.contains("Ferry Timetable"), "{feed}");
}

/// Sends the whole `request`, then shuts the sending side, as HTTP/1.0
/// scripts and `nc -N` do: the whole answer.
fn half_closed(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    read_answer(stream)
}

#[test]
fn a_client_that_half_closes_after_its_request_gets_the_answer() {
    let (_project, server) = serving();
    // The race between the answer and the end of the client's input is
    // lost now and then, not every time: ask often.
    for n in 0..30 {
        let answer = half_closed(&server, b"GET /feeds/news.rss HTTP/1.0\r\nHost: x\r\n\r\n");
        assert!(answer.starts_with("HTTP/1.0 200 OK"), "GET {n}: {answer:?}");
        assert!(answer.ends_with("</rss>\n"), "GET {n}: {answer:?}");
    }
    for n in 0..10 {
        let body = format!(
            r#"{{"title":"Harbour Board Meets on Agenda Item {n}","body":"The harbour board met on Tuesday evening to settle item {n} of its agenda, the dredging contract."}}"#
        );
        let push = format!(
            "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let answer = half_closed(&server, push.as_bytes());
        assert!(
            answer.starts_with("HTTP/1.1 201 Created"),
            "push {n}: {answer:?}"
        );
    }
    let listed = whole_answer(
        &server,
        &format!(
            "GET /api/articles?limit=1000 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
        ),
    );
    for n in 0..10 {
        assert!(
            listed.contains(&format!("Harbour Board Meets on Agenda Item {n}\"")),
            "push {n} stored: {listed}"
        );
    }
}

#[test]
fn a_query_parameter_given_twice_is_a_json_error_naming_it_after_the_token() {
    let (_project, server) = serving();
    let get = |query: &str, token: bool| {
        let authorization = if token {
            format!("Authorization: Bearer {TOKEN}\r\n")
        } else {
            String::new()
        };
        let request = format!(
            "GET /api/articles?{query} HTTP/1.1\r\nHost: x\r\n{authorization}Connection: close\r\n\r\n"
        );
        whole_answer(&server, &request)
    };
    let anonymous = get("limit=1&limit=2", false);
    assert!(
        anonymous.starts_with("HTTP/1.1 401 Unauthorized"),
        "{anonymous}"
    );
    let answer = get("limit=1&limit=2", true);
    assert!(
        answer.starts_with("HTTP/1.1 422 Unprocessable Entity"),
        "{answer}"
    );
    assert!(answer.contains(r#""field":"limit""#), "{answer}");
    assert!(answer.contains("given more than once"), "{answer}");
    let push = format!(
        "POST /api/articles?source=a&source=b HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let answer = whole_answer(&server, &push);
    assert!(answer.contains(r#""field":"source""#), "{answer}");
}

#[test]
fn api_limits_answer_at_once_and_the_bearer_scheme_is_case_insensitive() {
    let (_project, server) = serving();
    // A declared length over max_body is refused before any of the body is
    // sent (the client here never sends it).
    let started = Instant::now();
    let declared = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n\r\n"
    );
    assert_eq!(
        raw(&server, declared.as_bytes()),
        "HTTP/1.1 413 Payload Too Large"
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "refused up front, not after the request timeout: {:?}",
        started.elapsed()
    );
    // Without the token the size is not looked at.
    let anonymous = "POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n\r\n";
    assert_eq!(
        raw(&server, anonymous.as_bytes()),
        "HTTP/1.1 401 Unauthorized"
    );
    for scheme in ["Bearer", "bearer", "BEARER", "BeArEr"] {
        let request = format!(
            "GET /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: {scheme} {TOKEN}\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(
            raw(&server, request.as_bytes()),
            "HTTP/1.1 200 OK",
            "{scheme}"
        );
    }
}

#[test]
fn a_trickled_api_body_gets_408_and_stores_nothing() {
    let (project, server) = serving();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(900)))
        .unwrap();
    let body = r#"{"title": "Trickled In", "body": "One byte a second."}"#;
    let head = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // One byte a second: the whole body would take longer than the 30 s
    // the server gives it.
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    for byte in body.as_bytes().iter().take(45) {
        if stream.write_all(&[*byte]).is_err() {
            break;
        }
        if let Ok(n) = stream.read(&mut buf)
            && n > 0
        {
            answer.extend_from_slice(&buf[..n]);
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout"),
        "{answer}"
    );
    assert!(
        answer.contains("the body took longer than 30 s to arrive"),
        "{answer}"
    );
    let request = format!(
        "GET /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(raw(&server, request.as_bytes()), "HTTP/1.1 200 OK");
    assert!(
        !project.read("feeds/news.json").contains("Trickled In"),
        "nothing of a timed-out push is stored"
    );
}

#[test]
fn pages_and_feeds_forbid_sniffing_framing_and_foreign_content() {
    let (_project, server) = serving();
    for (method, path, encoding, status) in [
        ("GET", "/", "", "200 ok"),
        ("GET", "/", "Accept-Encoding: gzip\r\n", "200 ok"),
        ("GET", "/feeds/news.rss", "", "200 ok"),
        (
            "GET",
            "/feeds/news.atom",
            "Accept-Encoding: br\r\n",
            "200 ok",
        ),
        (
            "GET",
            "/feeds/news.json",
            "Accept-Encoding: gzip\r\n",
            "200 ok",
        ),
        ("GET", "/nowhere", "", "404 not found"),
        ("GET", "/feeds/nowhere.rss", "", "404 not found"),
        ("HEAD", "/feeds/news.xml", "", "404 not found"),
        ("GET", "/feeds/no%20where.rss", "", "404 not found"),
        ("DELETE", "/feeds/news.rss", "", "405 method not allowed"),
    ] {
        let request =
            format!("{method} {path} HTTP/1.1\r\nHost: x\r\n{encoding}Connection: close\r\n\r\n");
        let head = raw_head(&server, request.as_bytes()).to_ascii_lowercase();
        assert!(
            head.starts_with(&format!("http/1.1 {status}")),
            "{method} {path}: {head}"
        );
        assert!(
            head.contains("\r\nx-content-type-options: nosniff\r\n"),
            "{path}: {head}"
        );
        assert!(
            head.contains("\r\nx-frame-options: deny\r\n"),
            "{path}: {head}"
        );
        let policy = head
            .lines()
            .find_map(|l| l.strip_prefix("content-security-policy: "))
            .unwrap_or_else(|| panic!("{path}: no content-security-policy in {head}"));
        for directive in ["default-src 'none'", "frame-ancestors 'none'"] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert!(!policy.contains("script-src"), "{path}: {policy}");
    }
}

/// How many bytes the whole answer to `request` (one request head, sent
/// with `Connection: close`) takes on the wire.
fn answer_size(server: &Server, request: &str) -> usize {
    let closing = request.replacen("\r\n", "\r\nConnection: close\r\n", 1);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.write_all(closing.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    answer.len()
}

/// A connection with a 4 KiB receive buffer, as a client that means to
/// read slowly would open.
fn connect_with_small_buffer(addr: std::net::SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        socket.connect(addr).await.unwrap()
    });
    let stream = stream.into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    stream
}

/// Whether `slots` connections opened at once are all taken: every slot
/// of the server is free. Each asks for `/healthz` and is held until all
/// are answered (a connection the server refuses is closed unanswered).
fn every_slot_free(addr: std::net::SocketAddr, slots: usize) -> bool {
    let mut held = Vec::with_capacity(slots);
    for _ in 0..slots {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut first = [0u8; 1];
        if stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .is_err()
            || !matches!(stream.peek(&mut first), Ok(1))
        {
            return false;
        }
        held.push(stream);
    }
    true
}

/// Opens a connection that sends `requests` and then reads nothing, once
/// the server has taken it: a slot of a connection that was just answered
/// and closed may not be free yet, so a connection the server refuses is
/// opened again. Whether it was taken is seen by peeking, which leaves the
/// answer's bytes in the receive buffer.
fn hold_slot(addr: std::net::SocketAddr, requests: &str) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut stream = connect_with_small_buffer(addr);
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut first = [0u8; 1];
        if stream.write_all(requests.as_bytes()).is_ok() && matches!(stream.peek(&mut first), Ok(1))
        {
            return stream;
        }
        assert!(
            Instant::now() < deadline,
            "the server never took the connection"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn clients_that_stop_reading_are_dropped_and_free_their_slots() {
    const SLOTS: usize = 16;
    let project = Project::new(&config(&format!("max_connections = {SLOTS}"), "big.txt"));
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(project.path("dumps/big.txt"), common::generated_dump(7, 50)).unwrap();
    let server = Server::start(&project, &[]);
    let identity = "GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\n\r\n";
    assert!(
        common::server::eventually(Duration::from_secs(30), || {
            answer_size(&server, identity) > 100_000
        }),
        "the 50-entry feed is served"
    );
    assert_serving(&server);

    // Every slot taken by a client that asks for the feed as it is, in
    // brotli or in gzip, over and over (at least 16 MB of answers, more
    // than socket buffers hold), and never reads a byte.
    let requests: Vec<(String, usize)> =
        ["", "Accept-Encoding: br\r\n", "Accept-Encoding: gzip\r\n"]
            .iter()
            .map(|encoding| {
                let request = format!("GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\n{encoding}\r\n");
                let size = answer_size(&server, &request);
                (request, size)
            })
            .collect();
    // A refused probe proves every slot held only while none of them can
    // have timed out yet: within the timeout of the first being taken. A
    // machine too busy to take them all and probe in that time leaves
    // nothing proved; the slots are then let go and taken again.
    let mut rounds = 0;
    let (silent, first_taken) = loop {
        rounds += 1;
        let first_taken = Instant::now();
        let silent = std::thread::scope(|scope| {
            let holders: Vec<_> = (0..SLOTS)
                .map(|i| {
                    let (request, size) = &requests[i % requests.len()];
                    let pipelined = (16 << 20) / size + 1;
                    let addr = server.addr();
                    scope.spawn(move || {
                        (
                            hold_slot(addr, &request.repeat(pipelined)),
                            pipelined * size,
                        )
                    })
                })
                .collect();
            holders
                .into_iter()
                .map(|holder| holder.join().unwrap())
                .collect::<Vec<_>>()
        });
        let probe = raw(
            &server,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        if probe.is_empty() || first_taken.elapsed() < HEADER_TIMEOUT {
            assert_eq!(
                probe, "",
                "with every slot held, a further connection is refused"
            );
            break (silent, first_taken);
        }
        assert!(rounds < 10, "never took every slot within the timeout");
        drop(silent);
    };

    // Within the timeout after they stop taking bytes, they are dropped and
    // others are served again.
    assert!(
        common::server::eventually(Duration::from_secs(15), || {
            raw(
                &server,
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ) == "HTTP/1.1 200 OK"
        }),
        "slots held by clients that never read were never freed"
    );
    let freed_after = first_taken.elapsed();
    assert!(
        freed_after >= HEADER_TIMEOUT - Duration::from_millis(100),
        "{freed_after:?}"
    );

    // Once the timeout has passed for the last of them too (every slot is
    // free again), each silent client finds its connection closed long
    // before all it asked for arrived.
    assert!(
        common::server::eventually(Duration::from_secs(15), || {
            every_slot_free(server.addr(), SLOTS)
        }),
        "a client that never read kept its slot"
    );
    assert_serving(&server);
    for (mut stream, asked) in silent {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut received = 0;
        let mut buf = vec![0u8; 64 * 1024];
        let closed = loop {
            match stream.read(&mut buf) {
                Ok(0) => break true,
                Ok(n) => received += n,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
                Err(_) => break false,
            }
        };
        assert!(closed, "the connection is closed by the server");
        assert!(received < asked / 2, "{received} bytes of {asked}");
    }
}

#[test]
fn a_client_that_reads_slowly_but_steadily_gets_every_answer_it_asked_for() {
    let project = Project::new(&config("", "big.txt"));
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(project.path("dumps/big.txt"), common::generated_dump(7, 50)).unwrap();
    let server = Server::start(&project, &[]);
    let request = "GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\n\r\n";
    assert!(
        common::server::eventually(Duration::from_secs(30), || {
            answer_size(&server, request) > 100_000
        }),
        "the 50-entry feed is served"
    );
    // More than the server's send buffer holds (4 MiB at most), so that it
    // waits for the client to make room for most of it, read at about
    // 400 KB/s: never idle for long, but far slower than the server could
    // send, so the server waits seconds (more than `header_timeout`) for a
    // third of a full send buffer to drain.
    let pipelined = (6 << 20) / answer_size(&server, request) + 1;
    let last = request.replacen("\r\n", "\r\nConnection: close\r\n", 1);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .write_all((request.repeat(pipelined - 1) + &last).as_bytes())
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) => panic!("after {} bytes: {e}", received.len()),
        }
        std::thread::sleep(Duration::from_millis(40));
    }
    let answers = received
        .windows(b"HTTP/1.1 200 OK\r\n".len())
        .filter(|w| *w == b"HTTP/1.1 200 OK\r\n")
        .count();
    assert_eq!(answers, pipelined, "answers begun");
    assert!(
        received.trim_ascii_end().ends_with(b"</rss>"),
        "the server closed the connection part-way through the last answer"
    );
}
