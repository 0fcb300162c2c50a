//! A stand-in for upstream publishers, started on 127.0.0.1 by the tests:
//! serves the fixture feeds, and misbehaves on purpose (slow, endless, a
//! redirect loop, errors, rate limits) so every failure mode can be met.

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

async fn conditional(counters: Arc<Counters>, file: String, request: HeaderMap) -> Response {
    counters.etag_requests.fetch_add(1, Ordering::SeqCst);
    let matches = request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.to_str().unwrap_or("") == ETAG);
    if matches {
        counters.not_modified.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, ETAG)]).into_response();
    }
    let Some(body) = fixture(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
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
            let app = Router::new()
                .route("/feeds/{file}", get(feed))
                .route(
                    "/etag/{file}",
                    get(move |Path(file): Path<String>, headers: HeaderMap| {
                        conditional(shared.clone(), file, headers)
                    }),
                )
                .route("/gzip/{file}", get(gzipped))
                .route("/charset/{charset}/{file}", get(header_charset))
                .route("/slow", get(slow))
                .route("/endless", get(endless))
                .route(
                    "/loop",
                    get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]) }),
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
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().unwrap(), counters)
}
