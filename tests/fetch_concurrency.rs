//! `[fetch] concurrency` is the number of sources fetched at once, by
//! `feedfold run` and by `feedfold serve` alike: an upstream on 127.0.0.1
//! that answers slowly counts the requests it has in flight, and never sees
//! more than the limit, however many sources are due together. A server
//! asked to stop leaves the sources still waiting for their turn alone.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::Project;
use common::server::{Server, eventually, health_of};

/// What the slow upstream saw.
#[derive(Default)]
struct Seen {
    in_flight: AtomicUsize,
    most_at_once: AtomicUsize,
    answered: AtomicUsize,
}

/// Headlines of stories that share no words, one a desk.
const HEADLINES: [&str; 12] = [
    "Harbour pilots strike over night shifts",
    "Library reopens after flood repairs",
    "Orchard growers report record cherry crop",
    "Railway viaduct closed for inspection",
    "Museum acquires medieval tapestry",
    "Hospital trials robotic surgery",
    "Stadium roof wins engineering prize",
    "Ferry timetable cut through winter",
    "Vineyard frost ruins early harvest",
    "Observatory spots unusual comet",
    "Bakery chain doubles apprenticeships",
    "Glacier retreat measured by drones",
];

/// The RSS document of desk `n` (1 to 12), with one story of its own.
fn feed(n: usize) -> String {
    let headline = HEADLINES[(n + HEADLINES.len() - 1) % HEADLINES.len()];
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Desk {n}</title>\
         <link>http://desk.example/</link><description>Desk {n}</description>\
         <item><title>{headline}</title>\
         <link>http://desk.example/{n}</link><guid>http://desk.example/{n}</guid>\
         <description>{headline}, the desk reports.</description></item>\
         </channel></rss>"
    )
}

/// Answers one request after `delay`, counting it in flight meanwhile.
fn answer(mut stream: TcpStream, delay: Duration, seen: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
        line.clear();
    }
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most_at_once.fetch_max(now, Ordering::SeqCst);
    std::thread::sleep(delay);
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    let path = request_line.split(' ').nth(1).unwrap_or("/");
    let desk = path.trim_matches('/').trim_end_matches(".xml");
    let body = feed(desk.parse().unwrap_or(1));
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    seen.answered.fetch_add(1, Ordering::SeqCst);
}

/// Starts an upstream that answers every request after `delay`, each on a
/// thread of its own, so that it never limits how many are in flight.
fn slow_upstream(delay: Duration) -> (SocketAddr, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let counting = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = counting.clone();
            std::thread::spawn(move || answer(stream, delay, &seen));
        }
    });
    (address, seen)
}

/// A config of `sources` feed sources on `upstream`, fetched `concurrency`
/// at once, each every `interval`.
fn config(upstream: SocketAddr, sources: usize, concurrency: usize, interval: &str) -> String {
    let mut text = format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [server]\nbind = \"127.0.0.1:0\"\n\n[schedule]\ninterval = \"{interval}\"\n\n\
         [fetch]\nconcurrency = {concurrency}\ntimeout = \"3s\"\n\n"
    );
    for n in 1..=sources {
        text.push_str(&format!(
            "[[source]]\nname = \"desk{n}\"\nfeed = \"http://{upstream}/{n}.xml\"\n\n"
        ));
    }
    text.push_str("[[feed]]\nname = \"all\"\ntitle = \"All\"\nlimit = 100\n");
    text
}

#[test]
fn run_fetches_no_more_sources_at_once_than_the_concurrency() {
    let (upstream, seen) = slow_upstream(Duration::from_millis(400));
    let project = Project::new(&config(upstream, 8, 2, "1h"));
    let output = project.feedfold(&["run"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(seen.answered.load(Ordering::SeqCst), 8);
    assert_eq!(seen.most_at_once.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_fetches_no_more_sources_at_once_than_the_concurrency() {
    let (upstream, seen) = slow_upstream(Duration::from_millis(400));
    let project = Project::new(&config(upstream, 8, 2, "1h"));
    let server = Server::start(&project, &[]);
    assert!(
        eventually(Duration::from_secs(30), || seen
            .answered
            .load(Ordering::SeqCst)
            >= 8),
        "every source fetched"
    );
    assert_eq!(
        seen.most_at_once.load(Ordering::SeqCst),
        2,
        "every source is due at the start: 2 fetched at once, as `run` does"
    );
    let mut feed = String::new();
    let every_story = eventually(Duration::from_secs(10), || {
        feed = std::fs::read_to_string(project.path("feeds/all.json")).unwrap_or_default();
        HEADLINES[..8]
            .iter()
            .all(|headline| feed.contains(headline))
    });
    assert!(every_story, "{feed}");
    let health = health_of(&server).await;
    assert_eq!(health["failed_sources"], serde_json::json!([]), "{health}");
}

#[test]
fn a_stopping_server_leaves_the_sources_waiting_for_their_turn() {
    // One at a time, each answered after 2 s: twelve would take 24 s.
    let (upstream, seen) = slow_upstream(Duration::from_secs(2));
    let project = Project::new(&config(upstream, 12, 1, "1h"));
    let server = Server::start(&project, &[]);
    assert!(eventually(Duration::from_secs(10), || seen
        .in_flight
        .load(Ordering::SeqCst)
        == 1));
    let stopping = Instant::now();
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "stopped in {:?}: only the fetch in flight finished",
        stopping.elapsed()
    );
    assert!(seen.answered.load(Ordering::SeqCst) <= 2);
}
