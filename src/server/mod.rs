//! `feedfold serve`: feeds over HTTP for readers (`feeds`, from the
//! in-memory `cache`), the index page and health check (`index`), the
//! stored articles with what was folded into each (`articles`), the push
//! API for aggregators (`api`), the ingest schedule (`schedule`), and the
//! republishing of what other processes commit to a shared store
//! (`changes`), all in one process on axum and tokio.

pub mod api;
pub mod articles;
pub mod cache;
pub mod changes;
pub mod conditional;
pub mod content_coding;
pub mod date;
pub mod feeds;
pub mod host;
pub mod http2_preface;
pub mod index;
pub mod listen;
pub mod page_validators;
pub mod pings;
pub mod schedule;
pub mod store_file;
pub mod target;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{from_fn, map_response};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use thiserror::Error;
use tokio::sync::watch;

use crate::config::{BindAddress, Config};
use crate::pipeline::SharedStore;
use crate::pipeline::fetching::Fetching;
use crate::store::StoreFile;
use cache::{CommonHeaders, FeedCache, WebSubLinks};
use schedule::Status;

/// The server could not start.
#[derive(Debug, Error)]
pub enum ServerError {
    /// `addr` is the address asked for, and for a host name the address
    /// it resolved to that was tried last.
    #[error("cannot listen on {addr}: {cause}")]
    Bind { addr: String, cause: std::io::Error },
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

/// Longest an API request's body may take to arrive (408 after): a client
/// that trickles its body holds a connection, and nothing else.
pub(crate) const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything request handlers and the schedule share.
pub struct AppState {
    pub config: Config,
    pub store: SharedStore,
    /// A connection of its own for the articles page and the API's reads,
    /// so they never queue behind a write waiting for the database's
    /// write lock (another process's long transaction, say).
    pub reader: SharedStore,
    pub cache: FeedCache,
    /// The push API's token; `None` turns the API off.
    pub token: Option<String>,
    /// `Cache-Control` of feed responses.
    pub cache_control: HeaderValue,
    /// For WebSub pings.
    pub http: reqwest::Client,
    /// What the cycles of every source, and pushes, fetch with: one HTTP
    /// client, and at most `[fetch] concurrency` sources fetched at once.
    pub fetching: Fetching,
    /// WebSub pings waiting to go out.
    pub pings: pings::Pings,
    status: RwLock<Status>,
    /// The file the store has open, for a store kept in one (SQLite):
    /// followed by [`store_file`].
    store_file: RwLock<Option<StoreFile>>,
}

impl AppState {
    pub fn new(
        config: Config,
        store: SharedStore,
        reader: SharedStore,
        token: Option<String>,
    ) -> Result<Self, ServerError> {
        let http = crate::pipeline::websub::client(&config).map_err(ServerError::Client)?;
        let fetching = Fetching::new(&config).map_err(|e| ServerError::Client(e.to_string()))?;
        let cache_control =
            HeaderValue::from_str(&format!("public, max-age={}", config.server.max_age))
                .expect("a number makes a valid header");
        let mut ok = HeaderMap::new();
        ok.insert(header::CACHE_CONTROL, cache_control.clone());
        ok.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let not_modified = ok.clone();
        security_headers(&mut ok);
        let mut precondition_failed = HeaderMap::new();
        security_headers(&mut precondition_failed);
        let store_file = crate::pipeline::lock(&store).store_file();
        let websub = crate::publish::announced_hub(&config.publish).map(|hub| WebSubLinks {
            hub,
            base_url: config.publish.base_url.clone(),
        });
        Ok(AppState {
            config,
            store,
            reader,
            cache: FeedCache::new(CommonHeaders {
                ok,
                not_modified,
                precondition_failed,
                websub,
            }),
            token,
            cache_control,
            http,
            fetching,
            status: RwLock::new(Status::default()),
            pings: pings::Pings::default(),
            store_file: RwLock::new(store_file),
        })
    }

    /// A copy of the current status.
    pub fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn status_mut(&self) -> std::sync::RwLockWriteGuard<'_, Status> {
        self.status.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The file the store has open, for a store kept in one.
    pub fn store_file(&self) -> Option<StoreFile> {
        self.store_file
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Keeps `file` as the file the store has open, once the store was
    /// opened again ([`store_file`]).
    fn keep_store_file(&self, file: Option<StoreFile>) {
        *self.store_file.write().unwrap_or_else(|p| p.into_inner()) = file;
    }

    /// Whether the store can be reached, as far as the server knows.
    fn store_can_be_reached(&self) -> bool {
        self.status
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .store_error
            .is_none()
    }

    /// Records whether the store can be reached: `None` when it can, else
    /// why not.
    fn store_reachable(&self, error: Option<String>) {
        if self.status().store_error != error {
            match &error {
                Some(e) => tracing::error!("the store cannot be reached: {e}"),
                None => tracing::info!("the store can be reached"),
            }
            self.status_mut().store_error = error;
        }
    }
}

/// The routes. Pages and API answers are compressed per request for
/// clients that ask ([`content_coding`]); feeds are not, since the cache
/// keeps each feed compressed already, but they negotiate the coding the
/// same way. Pages carry an ETag of their own ([`page_validators`]), and
/// the preconditions of every answer are evaluated as the feeds' are
/// ([`conditional`]). The push API is routed only when a token turns
/// it on: otherwise `/api/articles` is no resource at all, 404 to every
/// method, with no `Allow` to tell that it could exist.
pub fn router(state: Arc<AppState>) -> Router {
    let routes = Router::new()
        .route(
            "/",
            get(index::index)
                .layer(from_fn(page_validators::tagged))
                .layer(map_response(revalidated)),
        )
        .route(
            "/articles",
            get(articles::articles)
                .layer(from_fn(page_validators::tagged))
                .layer(map_response(revalidated)),
        )
        .route(
            "/healthz",
            get(index::healthz).layer(map_response(never_stored)),
        );
    let routes = if state.token.is_some() {
        routes.route(
            "/api/articles",
            get(api::read)
                .post(api::push)
                .fallback(api::method_not_allowed),
        )
    } else {
        routes
    };
    routes
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(from_fn(conditional::preconditions))
        .layer(from_fn(content_coding::compressed))
        .layer(map_response(with_security_headers))
        // Added after the layers above, which wrap only the routes before
        // them: feeds are not compressed per request (the cache keeps each
        // compressed already), and evaluate their preconditions against
        // their cached validators.
        .route(
            "/feeds/{file}",
            get(feeds::serve_feed).layer(map_response(with_security_headers)),
        )
        .with_state(state)
}

/// The methods HTTP itself defines (RFC 9110 §9): a resource that does not
/// allow one answers `405` with `Allow`; any other method is one this
/// server implements for no resource at all.
const KNOWN_METHODS: [Method; 8] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::CONNECT,
    Method::OPTIONS,
    Method::TRACE,
];

/// `501 Not Implemented` (RFC 9110 §15.6.2) for a request whose method is
/// not one of [`KNOWN_METHODS`], whatever its path; `None` for the others.
pub(crate) fn unknown_method(method: &Method) -> Option<Response> {
    if KNOWN_METHODS.contains(method) {
        return None;
    }
    let mut response = StatusCode::NOT_IMPLEMENTED.into_response();
    security_headers(response.headers_mut());
    Some(response)
}

/// What a page or feed may load and who may frame it: nothing from
/// anywhere (the index page's inline styles aside), no scripts at all, no
/// framing.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Sets the headers that keep browsers from running, sniffing or framing
/// what the server sends.
pub fn security_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

async fn with_security_headers(mut response: Response) -> Response {
    security_headers(response.headers_mut());
    response
}

/// Marks an answer that every cycle may change (the pages) as one a cache
/// may keep but must check with the server before each use.
async fn revalidated(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Marks an answer that holds the server's status of the moment
/// (`/healthz`) as one no cache may keep: a stale one would mislead.
async fn never_stored(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Runs the server until `shutdown` turns true: publishes every feed into
/// the cache, starts one ingest loop per source, the file watcher and the
/// follower of other processes' cycles, then serves. On shutdown, requests in flight and the current cycles finish.
/// `on_listening` is told the bound address (useful with port 0).
pub async fn serve(
    state: Arc<AppState>,
    shutdown: watch::Receiver<bool>,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let bind = &state.config.server.bind;
    let listener = listen_on(bind).await?;
    let addr = listener.local_addr().map_err(|cause| ServerError::Bind {
        addr: bind.to_string(),
        cause,
    })?;
    schedule::republish(&state, &[]).await;
    on_listening(addr);

    let mut background = tokio::task::JoinSet::new();
    for source in state.config.sources.clone() {
        background.spawn(schedule::source_loop(
            state.clone(),
            source,
            shutdown.clone(),
        ));
    }
    background.spawn(schedule::watch_files(state.clone(), shutdown.clone()));
    background.spawn(schedule::stop_fetching(state.clone(), shutdown.clone()));
    background.spawn(schedule::follow_cycles(state.clone(), shutdown.clone()));
    background.spawn(changes::follow(state.clone(), shutdown.clone()));
    background.spawn(store_file::follow(state.clone(), shutdown.clone()));
    background.spawn(pings::send(state.clone(), shutdown.clone()));

    let open_files = listen::raise_open_file_limit();
    let limits = listen::Limits {
        header_timeout: state.config.server.header_timeout,
        max_connections: listen::connection_cap(state.config.server.max_connections, open_files),
    };
    tracing::info!(
        header_timeout = ?limits.header_timeout,
        max_connections = limits.max_connections,
        open_files,
        "accepting connections"
    );
    let feeds = {
        let state = state.clone();
        move |method: &Method, uri: &Uri, headers: &HeaderMap| {
            feeds::answer(&state, method, uri, headers)
        }
    };
    listen::serve_connections(listener, router(state.clone()), feeds, limits, shutdown).await;
    while background.join_next().await.is_some() {}
    // What the last cycles published is announced before the server ends.
    pings::at_shutdown(&state).await;
    Ok(())
}

/// A listening socket on the first address `bind` resolves to that can be
/// bound (a host name may resolve to several, `localhost` to `::1` and
/// `127.0.0.1`); the error names the address asked for and the one tried.
async fn listen_on(bind: &BindAddress) -> Result<tokio::net::TcpListener, ServerError> {
    let failed = |addr: String, cause| ServerError::Bind { addr, cause };
    let resolved: Vec<SocketAddr> = tokio::net::lookup_host((bind.host.as_str(), bind.port))
        .await
        .map_err(|cause| failed(bind.to_string(), cause))?
        .collect();
    let mut last = None;
    for addr in resolved {
        match listen::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(cause) => last = Some((addr, cause)),
        }
    }
    Err(match last {
        Some((addr, cause)) if addr.to_string() == bind.to_string() => {
            failed(bind.to_string(), cause)
        }
        Some((addr, cause)) => failed(format!("{bind} ({addr})"), cause),
        None => failed(
            bind.to_string(),
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the name resolves to no address",
            ),
        ),
    })
}

/// Turns true on Ctrl-C or SIGTERM, whose handlers are in place once this
/// returns (called within the runtime).
pub fn shutdown_on_signals() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        (interrupt, term)
    };
    tokio::spawn(async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut term)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = term.recv() => {}
                }
            }
            (interrupt, term) => {
                if let Err(e) = &term {
                    tracing::error!("cannot listen for SIGTERM: {e}");
                }
                if let Err(e) = &interrupt {
                    tracing::error!("cannot listen for Ctrl-C: {e}");
                }
                match interrupt.ok().or(term.ok()) {
                    Some(mut one) => {
                        one.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        // Said after the fact, so that nothing the log does delays it.
        let _ = tx.send(true);
        tracing::info!("shutting down: finishing requests and cycles in flight");
    });
    rx
}
