//! A stand-in for upstream publishers, started on 127.0.0.1 by the tests:
//! serves the fixture feeds, and misbehaves on purpose (slow, endless, a
//! redirect loop, errors, a charset the document contradicts, a 304 to a
//! request that was not conditional, rate limits, 100 MB bodies with and without a
//! length, a gzip bomb, a trickle, a redirect to anywhere) so every failure
//! mode can be met. It also
//! serves the hostile documents of `tests/hostile/feeds` with `{trap}` set
//! to its `/trap` URL, and counts every request made there: a document that
//! made feedfold fetch an external entity or DTD would show up in the count.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::fixtures;

/// What the upstream saw of the `/etag/` documents.
#[derive(Default)]
pub struct Counters {
    /// Requests for a conditional document.
    pub etag_requests: AtomicUsize,
    /// Of those, answered 304.
    pub not_modified: AtomicUsize,
    /// Requests under `/trap/`.
    pub trap_hits: AtomicUsize,
}

impl Counters {
    pub fn get(&self) -> (usize, usize) {
        (
            self.etag_requests.load(Ordering::SeqCst),
            self.not_modified.load(Ordering::SeqCst),
        )
    }
}

const ETAG: &str = "\"fixture-v1\"";
const LAST_MODIFIED: &str = "Tue, 09 Jul 2024 17:00:00 GMT";

fn media_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("json") => "application/feed+json",
        Some("rdf") => "application/rdf+xml",
        _ if file.starts_with("atom") || file.starts_with("xss-atom") => "application/atom+xml",
        _ => "application/rss+xml",
    }
}

fn fixture(file: &str) -> Option<Vec<u8>> {
    if file.contains('/') || file.contains("..") {
        return None;
    }
    std::fs::read(fixtures().join("feeds").join(file)).ok()
}

async fn feed(Path(file): Path<String>) -> Response {
    let Some(body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    ([(header::CONTENT_TYPE, media_type(&file))], body).into_response()
}

/// The document without its XML declaration, its encoding named only by
/// the `charset` of the HTTP `Content-Type`.
async fn header_charset(Path((charset, file)): Path<(String, String)>) -> Response {
    let Some(body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let start = match body.strip_prefix(b"<?xml") {
        Some(_) => body
            .iter()
            .position(|&b| b == b'>')
            .map_or(0, |end| end + 1),
        None => 0,
    };
    let content_type = format!("{}; charset={charset}", media_type(&file));
    (
        [(header::CONTENT_TYPE, content_type)],
        body[start..].to_vec(),
    )
        .into_response()
}

/// The document as it is, its XML declaration kept, with `charset` in the
/// HTTP `Content-Type` (which may contradict it).
async fn charset_as_is(Path((charset, file)): Path<(String, String)>) -> Response {
    let Some(body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = format!("{}; charset={charset}", media_type(&file));
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Where a conditional document stops.
#[derive(Clone, Copy, PartialEq)]
enum Cut {
    /// Nowhere.
    Whole,
    /// After its first entry: the document ends there.
    Document,
    /// After its first entry, the connection dropped before the length
    /// declared (`length`) or the last chunk came.
    Transfer { length: bool },
    /// Part of the way into its second entry, the connection dropped
    /// before the length declared.
    TransferInsideEntry,
}

/// The fixture `file` with its validators, answered `304` when asked with
/// its `ETag`; `cut` stops the body after its first entry, as a transfer
/// cut short between two entries does.
async fn conditional(
    counters: Arc<Counters>,
    file: String,
    request: HeaderMap,
    cut: Cut,
) -> Response {
    counters.etag_requests.fetch_add(1, Ordering::SeqCst);
    let matches = request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.to_str().unwrap_or("") == ETAG);
    if matches {
        counters.not_modified.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, ETAG)]).into_response();
    }
    let Some(mut body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let whole = body.len();
    if cut != Cut::Whole {
        let end = ["</item>", "</entry>"]
            .iter()
            .filter_map(|tag| memchr::memmem::find(&body, tag.as_bytes()).map(|at| at + tag.len()))
            .min()
            .expect("a fixture with entries");
        // Into the second entry's title.
        let inside = if cut == Cut::TransferInsideEntry {
            30
        } else {
            0
        };
        body.truncate(end + inside);
    }
    let length = match cut {
        Cut::Transfer { length } => Some(length),
        Cut::TransferInsideEntry => Some(true),
        Cut::Whole | Cut::Document => None,
    };
    if let Some(length) = length {
        let mut response = Response::builder()
            .header(header::CONTENT_TYPE, media_type(&file))
            .header(header::ETAG, ETAG)
            .header(header::LAST_MODIFIED, LAST_MODIFIED);
        if length {
            response = response.header(header::CONTENT_LENGTH, whole);
        }
        // The error after the first part (once that is sent) drops the
        // connection.
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        tokio::spawn(async move {
            let _ = tx.send(Ok(axum::body::Bytes::from(body))).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            let _ = tx
                .send(Err(std::io::ErrorKind::ConnectionReset.into()))
                .await;
        });
        return response.body(Body::from_stream(Parts(rx))).unwrap();
    }
    (
        [
            (header::CONTENT_TYPE, media_type(&file)),
            (header::ETAG, ETAG),
            (header::LAST_MODIFIED, LAST_MODIFIED),
        ],
        body,
    )
        .into_response()
}

async fn gzipped(Path(file): Path<String>) -> Response {
    use std::io::Write;
    let Some(body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&body).unwrap();
    (
        [
            (header::CONTENT_TYPE, media_type(&file)),
            (header::CONTENT_ENCODING, "gzip"),
        ],
        encoder.finish().unwrap(),
    )
        .into_response()
}

/// The fixture `file` compressed as `shape` says: `gzip-crlf` and
/// `gzip-nul` are a whole gzip member followed by a line break or NUL
/// padding, `gzip-short` and `deflate-short` a stream that breaks off
/// before its end, in a transfer that ends as its length says.
async fn compressed(Path((shape, file)): Path<(String, String)>) -> Response {
    use std::io::Write;
    let Some(body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let level = flate2::Compression::default();
    let (coding, tail) = shape.split_once('-').unwrap_or((&shape, ""));
    let mut sent = if coding == "deflate" {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), level);
        encoder.write_all(&body).unwrap();
        encoder.finish().unwrap()
    } else {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
        encoder.write_all(&body).unwrap();
        encoder.finish().unwrap()
    };
    match tail {
        "crlf" => sent.extend_from_slice(b"\r\n"),
        "nul" => sent.extend_from_slice(&[0; 16]),
        // Into the closing tags and the last entry.
        "short" => sent.truncate(sent.len() - 60),
        _ => {}
    }
    (
        [
            (header::CONTENT_TYPE, media_type(&file)),
            (header::CONTENT_ENCODING, coding),
        ],
        sent,
    )
        .into_response()
}

async fn slow() -> Response {
    tokio::time::sleep(Duration::from_secs(20)).await;
    "too late".into_response()
}

async fn endless() -> Response {
    let chunk = axum::body::Bytes::from(vec![b'<'; 64 * 1024]);
    let stream = futures_stream(chunk);
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
        .into_response()
}

/// `megabytes` MiB of spaces after an RSS start tag, in 64 KiB chunks.
fn big_stream(
    megabytes: usize,
) -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    struct Big {
        head: bool,
        left: usize,
    }
    impl futures_core::Stream for Big {
        type Item = Result<axum::body::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            if std::mem::take(&mut self.head) {
                return std::task::Poll::Ready(Some(Ok(axum::body::Bytes::from_static(b"<rss>"))));
            }
            let n = self.left.min(64 * 1024);
            self.left -= n;
            std::task::Poll::Ready((n > 0).then(|| Ok(axum::body::Bytes::from(vec![b' '; n]))))
        }
    }
    Big {
        head: true,
        left: (megabytes << 20) - b"<rss>".len(),
    }
}

/// 100 MiB of spaces after an RSS start tag, gzipped (about 100 KB).
fn gzip_bomb() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"<rss>").unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..100 {
            encoder.write_all(&spaces).unwrap();
        }
        encoder.finish().unwrap()
    })
}

/// A feed that never ends, one byte every 50 ms.
fn trickle_stream() -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    struct Trickle(Option<std::pin::Pin<Box<tokio::time::Sleep>>>);
    impl futures_core::Stream for Trickle {
        type Item = Result<axum::body::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let sleep = self
                .0
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(50))));
            match sleep.as_mut().poll(cx) {
                std::task::Poll::Ready(()) => {
                    self.0 = None;
                    std::task::Poll::Ready(Some(Ok(axum::body::Bytes::from_static(b" "))))
                }
                std::task::Poll::Pending => std::task::Poll::Pending,
            }
        }
    }
    Trickle(None)
}

/// A document of `tests/hostile/feeds` with `{trap}` replaced by `trap`.
async fn attack(trap: String, file: String) -> Response {
    if file.contains('/') || file.contains("..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = fixtures().join("../hostile/feeds").join(&file);
    let Ok(text) = std::fs::read_to_string(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [(header::CONTENT_TYPE, media_type(&file))],
        text.replace("{trap}", &trap),
    )
        .into_response()
}

/// The parts of a body as a task sends them.
pub struct Parts(pub tokio::sync::mpsc::Receiver<Result<axum::body::Bytes, std::io::Error>>);

impl futures_core::Stream for Parts {
    type Item = Result<axum::body::Bytes, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(context)
    }
}

/// An endless stream of `chunk`.
fn futures_stream(
    chunk: axum::body::Bytes,
) -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    struct Endless(axum::body::Bytes);
    impl futures_core::Stream for Endless {
        type Item = Result<axum::body::Bytes, std::io::Error>;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(Some(Ok(self.0.clone())))
        }
    }
    Endless(chunk)
}

/// Starts the upstream in a background runtime; returns its address and the
/// counters of its conditional documents.
pub fn start() -> (SocketAddr, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let shared = counters.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let trap = format!("http://{address}/trap");
            let hits = shared.clone();
            let cut = shared.clone();
            let dropped = shared.clone();
            let dropped_chunked = shared.clone();
            let dropped_inside = shared.clone();
            let app = Router::new()
                .route("/feeds/{file}", get(feed))
                .route(
                    "/etag/{file}",
                    get(move |Path(file): Path<String>, headers: HeaderMap| {
                        conditional(shared.clone(), file, headers, Cut::Whole)
                    }),
                )
                .route(
                    "/etag-cut/{file}",
                    get(move |Path(file): Path<String>, headers: HeaderMap| {
                        conditional(cut.clone(), file, headers, Cut::Document)
                    }),
                )
                .route(
                    "/etag-dropped/{file}",
                    get(move |Path(file): Path<String>, headers: HeaderMap| {
                        let cut = Cut::Transfer { length: true };
                        conditional(dropped.clone(), file, headers, cut)
                    }),
                )
                .route(
                    "/etag-dropped-chunked/{file}",
                    get(move |Path(file): Path<String>, headers: HeaderMap| {
                        let cut = Cut::Transfer { length: false };
                        conditional(dropped_chunked.clone(), file, headers, cut)
                    }),
                )
                .route(
                    "/etag-dropped-inside/{file}",
                    get(move |Path(file): Path<String>, headers: HeaderMap| {
                        let cut = Cut::TransferInsideEntry;
                        conditional(dropped_inside.clone(), file, headers, cut)
                    }),
                )
                .route("/gzip/{file}", get(gzipped))
                .route("/compressed/{shape}/{file}", get(compressed))
                .route("/charset/{charset}/{file}", get(header_charset))
                .route("/charset-as-is/{charset}/{file}", get(charset_as_is))
                // 304 to every request, conditional or not.
                .route("/not-modified", get(|| async { StatusCode::NOT_MODIFIED }))
                .route(
                    "/attack/{file}",
                    get(move |Path(file): Path<String>| attack(trap.clone(), file)),
                )
                .route(
                    "/trap/{*rest}",
                    get(move || {
                        hits.trap_hits.fetch_add(1, Ordering::SeqCst);
                        async { "<!ENTITY trapped \"FEEDFOLD-TRAP-HIT\">" }
                    }),
                )
                .route(
                    "/big/{megabytes}",
                    get(|Path(megabytes): Path<usize>| async move {
                        Response::builder()
                            .header(header::CONTENT_TYPE, "application/rss+xml")
                            .header(header::CONTENT_LENGTH, megabytes << 20)
                            .body(Body::from_stream(big_stream(megabytes)))
                            .unwrap()
                    }),
                )
                .route(
                    "/chunked/{megabytes}",
                    get(|Path(megabytes): Path<usize>| async move {
                        (
                            [(header::CONTENT_TYPE, "application/rss+xml")],
                            Body::from_stream(big_stream(megabytes)),
                        )
                    }),
                )
                .route(
                    "/gzip-bomb",
                    get(|| async {
                        (
                            [
                                (header::CONTENT_TYPE, "application/rss+xml"),
                                (header::CONTENT_ENCODING, "gzip"),
                            ],
                            gzip_bomb(),
                        )
                    }),
                )
                .route(
                    "/trickle",
                    get(|| async {
                        (
                            [(header::CONTENT_TYPE, "application/rss+xml")],
                            Body::from_stream(trickle_stream()),
                        )
                    }),
                )
                .route("/slow", get(slow))
                .route("/endless", get(endless))
                .route(
                    "/loop",
                    get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]) }),
                )
                .route(
                    "/redirect",
                    get(
                        |axum::extract::Query(query): axum::extract::Query<
                            std::collections::HashMap<String, String>,
                        >| async move {
                            let to = query.get("to").cloned().unwrap_or_default();
                            (StatusCode::FOUND, [(header::LOCATION, to)])
                        },
                    ),
                )
                .route(
                    "/moved",
                    get(
                        |axum::extract::Query(query): axum::extract::Query<
                            std::collections::HashMap<String, String>,
                        >| async move {
                            let to = query.get("to").cloned().unwrap_or_default();
                            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)])
                        },
                    ),
                )
                .route(
                    "/error",
                    get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
                )
                .route(
                    "/busy",
                    get(|| async {
                        (
                            StatusCode::TOO_MANY_REQUESTS,
                            [(header::RETRY_AFTER, "120")],
                        )
                    }),
                );
            tx.send(address).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().unwrap(), counters)
}
