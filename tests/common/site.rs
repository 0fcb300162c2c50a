//! A stand-in news site on 127.0.0.1 for the page sources: serves the
//! pages, sitemaps and feeds a test puts there (`{site}` in a body becomes
//! the site's own address), each answer a little late so that requests made
//! at once overlap, and counts the requests for each path and the most it
//! was ever answering at once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// How late every answer is.
const DELAY: Duration = Duration::from_millis(150);

#[derive(Default)]
struct State {
    documents: Mutex<HashMap<String, (&'static str, Vec<u8>)>>,
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
                let app = Router::new().fallback(move |uri: Uri| answer(shared.clone(), uri));
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

async fn answer(state: Arc<State>, uri: Uri) -> Response {
    let path = uri.path().to_string();
    *state.hits.lock().unwrap().entry(path.clone()).or_insert(0) += 1;
    let now = state.answering.fetch_add(1, Ordering::SeqCst) + 1;
    state.most.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(DELAY).await;
    let document = state.documents.lock().unwrap().get(&path).cloned();
    state.answering.fetch_sub(1, Ordering::SeqCst);
    match document {
        Some((content_type, body)) => {
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
