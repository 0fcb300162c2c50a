//! A stand-in news site on 127.0.0.1 for the page sources: serves the
//! pages, sitemaps and feeds a test puts there (`{site}` in a body becomes
//! the site's own address; with an `ETag` when the test asks, honouring
//! `If-None-Match`), redirects, fails or cuts the transfer of the paths a
//! test says, each answer a
//! little late so that requests made at once overlap, and counts the
//! requests for each path and the most it was ever answering at once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// How late every answer is.
const DELAY: Duration = Duration::from_millis(150);

#[derive(Default)]
struct State {
    documents: Mutex<HashMap<String, (&'static str, Vec<u8>)>>,
    failing: Mutex<HashMap<String, StatusCode>>,
    redirects: Mutex<HashMap<String, (StatusCode, String)>>,
    /// Paths whose transfer is cut short: the bytes sent before the
    /// connection drops.
    cut: Mutex<HashMap<String, usize>>,
    /// Whether answers carry an `ETag` and honour `If-None-Match`.
    tagged: std::sync::atomic::AtomicBool,
    conditional: Mutex<HashMap<String, usize>>,
    hits: Mutex<HashMap<String, usize>>,
    answering: AtomicUsize,
    most: AtomicUsize,
}

/// The running site.
pub struct Site {
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl Site {
    /// Starts an empty site in a background runtime.
    pub fn start() -> Site {
        let state = Arc::new(State::default());
        let shared = state.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
                    answer(shared.clone(), uri, headers)
                });
                axum::serve(listener, app).await.unwrap();
            });
        });
        Site {
            addr: rx.recv().unwrap(),
            state,
        }
    }

    /// The URL of `path` on the site.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Serves `body` at `path` as `content_type`.
    pub fn put(&self, path: &str, content_type: &'static str, body: &str) {
        self.put_bytes(path, content_type, self.filled_in(body).into_bytes());
    }

    /// `body` with `{site}` replaced by the site's own address.
    pub fn filled_in(&self, body: &str) -> String {
        body.replace("{site}", &format!("http://{}", self.addr))
    }

    /// Serves the bytes `body` at `path` as `content_type`, as they are.
    pub fn put_bytes(&self, path: &str, content_type: &'static str, body: Vec<u8>) {
        self.state
            .documents
            .lock()
            .unwrap()
            .insert(path.to_string(), (content_type, body));
    }

    /// Answers `path` with the error `status` (and no body) until
    /// [`Site::recover`] is called for it.
    pub fn fail(&self, path: &str, status: u16) {
        let status = StatusCode::from_u16(status).unwrap();
        self.state
            .failing
            .lock()
            .unwrap()
            .insert(path.to_string(), status);
    }

    /// Answers `path` with `301 Moved Permanently` to `location`, as a
    /// site answers for a page moved or taken down for good.
    pub fn redirect(&self, path: &str, location: &str) {
        self.redirect_with(path, 301, location);
    }

    /// Answers `path` with the redirect `status` (`302`, `307`, …) to
    /// `location` until [`Site::recover`] is called for it.
    pub fn redirect_with(&self, path: &str, status: u16, location: &str) {
        let status = StatusCode::from_u16(status).unwrap();
        self.state
            .redirects
            .lock()
            .unwrap()
            .insert(path.to_string(), (status, location.to_string()));
    }

    /// Cuts the transfer of `path` short: its whole length is declared,
    /// but the connection drops after the body's first `bytes`.
    pub fn cut_transfer(&self, path: &str, bytes: usize) {
        self.state
            .cut
            .lock()
            .unwrap()
            .insert(path.to_string(), bytes);
    }

    /// Serves `path` again as it was put: no failure, no redirect.
    pub fn recover(&self, path: &str) {
        self.state.failing.lock().unwrap().remove(path);
        self.state.redirects.lock().unwrap().remove(path);
    }

    /// Gives every answer from now on an `ETag` (of its body), and answers
    /// `304` to a request whose `If-None-Match` names it.
    pub fn tag_documents(&self) {
        self.state.tagged.store(true, Ordering::SeqCst);
    }

    /// Requests for `path` so far that sent `If-None-Match`.
    pub fn conditional_hits(&self, path: &str) -> usize {
        self.state
            .conditional
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Requests made for `path` so far.
    pub fn hits(&self, path: &str) -> usize {
        self.state
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Requests made for any path starting with `prefix`.
    pub fn hits_under(&self, prefix: &str) -> usize {
        let hits = self.state.hits.lock().unwrap();
        hits.iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// The most requests the site was ever answering at once.
    pub fn most_at_once(&self) -> usize {
        self.state.most.load(Ordering::SeqCst)
    }
}

async fn answer(state: Arc<State>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    *state.hits.lock().unwrap().entry(path.clone()).or_insert(0) += 1;
    let asked = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if asked.is_some() {
        *state
            .conditional
            .lock()
            .unwrap()
            .entry(path.clone())
            .or_insert(0) += 1;
    }
    let now = state.answering.fetch_add(1, Ordering::SeqCst) + 1;
    state.most.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(DELAY).await;
    let document = state.documents.lock().unwrap().get(&path).cloned();
    let failing = state.failing.lock().unwrap().get(&path).copied();
    state.answering.fetch_sub(1, Ordering::SeqCst);
    if let Some(status) = failing {
        return status.into_response();
    }
    let redirect = state.redirects.lock().unwrap().get(&path).cloned();
    if let Some((status, location)) = redirect {
        return (status, [(header::LOCATION, location)]).into_response();
    }
    let cut = state.cut.lock().unwrap().get(&path).copied();
    if let (Some((content_type, body)), Some(at)) = (&document, cut) {
        return cut_short(content_type, body, at);
    }
    match document {
        Some((content_type, body)) if state.tagged.load(Ordering::SeqCst) => {
            let tag = format!("\"{:x}\"", {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                body.hash(&mut hasher);
                hasher.finish()
            });
            if asked.as_deref() == Some(tag.as_str()) {
                return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
            }
            (
                [
                    (header::CONTENT_TYPE, content_type.to_string()),
                    (header::ETAG, tag),
                ],
                body,
            )
                .into_response()
        }
        Some((content_type, body)) => {
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `body` as `content_type`, its whole length declared, the connection
/// dropped after its first `at` bytes.
fn cut_short(content_type: &'static str, body: &[u8], at: usize) -> Response {
    let sent = axum::body::Bytes::copy_from_slice(&body[..at.min(body.len())]);
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tokio::spawn(async move {
        let _ = tx.send(Ok(sent)).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let _ = tx
            .send(Err(std::io::ErrorKind::ConnectionReset.into()))
            .await;
    });
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len())
        .body(axum::body::Body::from_stream(super::upstream::Parts(rx)))
        .unwrap()
}
