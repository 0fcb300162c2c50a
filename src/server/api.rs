//! The aggregator API, over HTTP. `POST /api/articles` takes a JSON
//! article, a JSON array of them, or a `text/plain` raw dump: `ingest::pushed`
//! decodes it into sources, `pipeline::ingest` folds them as it folds every
//! other source, and the feeds are republished before the answer; `GET
//! /api/articles` reads folded articles back with their sightings. Both
//! need `Authorization: Bearer <token>`; without a configured token the API
//! does not exist (404). A push writes only under the sources `[server]`
//! opens to pushes (`push_source`, `push_sources`); any other name is 403.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use encoding_rs::UTF_8;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

use super::AppState;
use super::BODY_TIMEOUT;
use super::conditional::{self, Precondition, Validators};
use super::schedule::republish_after;
use crate::config::SourceKind;
use crate::ingest::Source;
use crate::ingest::feed::decode::encoding_for_label;
use crate::ingest::fetch::charset;
use crate::ingest::pushed::{self, PushError};
use crate::ingest::source::KeptText;
use crate::model::{StoredArticle, rfc3339};
use crate::pipeline::progress::Silent;
use crate::pipeline::{self, SourceReport, lock};
use crate::store::StoreFailureKind;
use crate::store::{FeedCursor, Sighting};

/// Most articles `GET /api/articles` returns at once.
const MAX_LIMIT: usize = 1000;

/// An API error: a status and a message naming the bad field.
/// How long a client told `503` is asked to wait before trying again.
const RETRY_AFTER_SECONDS: u32 = 5;

#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    field: Option<String>,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            field: None,
            message: message.into(),
        }
    }

    fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("{field}: {}", message.into()),
            field: Some(field),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::NOT_FOUND || self.status == StatusCode::PRECONDITION_FAILED {
            return self.status.into_response();
        }
        let mut body = json!({ "error": self.message });
        if let Some(field) = self.field {
            body["field"] = Value::String(field);
        }
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::PAYLOAD_TOO_LARGE
            || self.status == StatusCode::LENGTH_REQUIRED
        {
            // The body was not read: the connection cannot carry another
            // request, and a client that reused it would meet a reset.
            response.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(RETRY_AFTER_SECONDS),
            );
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"feedfold\""),
            );
        }
        response
    }
}

/// Compares two secrets in time that does not depend on where they differ
/// (or on their lengths): both are hashed and the digests compared in full.
pub fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let a = Sha256::digest(given);
    let b = Sha256::digest(expected);
    let difference = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

/// Checks the bearer token; failures are logged with the peer, never the
/// token.
fn authorize(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> Result<(), ApiError> {
    let Some(expected) = &state.token else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not found"));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    match given {
        Some(token) if constant_time_eq(token.trim().as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => {
            tracing::warn!(%peer, "API request refused: wrong token");
            Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong token"))
        }
        None => {
            tracing::warn!(%peer, "API request refused: no bearer token");
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "send Authorization: Bearer <token>",
            ))
        }
    }
}

/// The token of an `Authorization: Bearer <token>` value; the scheme's
/// name is case-insensitive (RFC 9110 §11.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token)
}

/// The first transfer coding of a request's `Transfer-Encoding` other
/// than `chunked` (`gzip` of `gzip, chunked`), which the server does not
/// undo: RFC 9112 §6.1 answers such a request 501.
fn transfer_coding_not_chunked(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::TRANSFER_ENCODING)
        .iter()
        .flat_map(|value| {
            String::from_utf8_lossy(value.as_bytes())
                .split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .find(|coding| !coding.is_empty() && coding != "chunked")
}

/// Why a push's body could not be read whole.
enum BodyCut {
    /// It grew past `[server] max_body`.
    TooLarge,
    /// It stopped before its end (the client's side closed, a chunk broke
    /// off) after `received` bytes.
    Ended { received: usize },
    /// Its chunked encoding is malformed (a chunk size that is not
    /// hexadecimal, a chunk without its line end): sent again, the same
    /// bytes would fail the same way.
    Malformed,
}

impl BodyCut {
    /// Why reading the body failed with `error` after `received` bytes:
    /// the HTTP/1 decoder says a malformed body with an I/O error of kind
    /// `InvalidInput` or `InvalidData`, one cut short with another kind.
    fn of(error: &axum::Error, received: usize) -> BodyCut {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(current) = cause {
            let malformed = current.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData
                )
            });
            if malformed {
                return BodyCut::Malformed;
            }
            cause = current.source();
        }
        BodyCut::Ended { received }
    }
}

/// The body, up to `limit` bytes; `declared` is its `Content-Length`.
async fn read_body(
    mut body: Body,
    limit: usize,
    declared: Option<u64>,
) -> Result<Vec<u8>, BodyCut> {
    use axum::body::HttpBody;
    let mut bytes = Vec::with_capacity(declared.map_or(0, |d| d as usize).min(limit));
    loop {
        let next = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match next {
            None => return Ok(bytes),
            Some(Ok(frame)) => {
                let Ok(chunk) = frame.into_data() else {
                    continue;
                };
                if bytes.len() + chunk.len() > limit {
                    return Err(BodyCut::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            Some(Err(error)) => return Err(BodyCut::of(&error, bytes.len())),
        }
    }
}

/// The query's parameters by name, decoded; read only once the request is
/// authorized, so that a stranger learns nothing of them. A parameter
/// given twice, or one not among `known` (a misspelt `?source=` would
/// otherwise file the articles elsewhere), is refused, naming it, as an
/// unknown key of a pushed body is.
fn query_params(raw: Option<&str>, known: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let mut params = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if !known.contains(&name.as_ref()) {
            let expected = known.join("`, `");
            return Err(ApiError::field(
                name,
                format!("unknown query parameter, expected one of `{expected}`"),
            ));
        }
        if params
            .insert(name.to_string(), value.into_owned())
            .is_some()
        {
            return Err(ApiError::field(name, "given more than once"));
        }
    }
    Ok(params)
}

pub struct PushQuery {
    source: Option<String>,
}

impl PushQuery {
    fn of(raw: Option<&str>) -> Result<PushQuery, ApiError> {
        let mut params = query_params(raw, &["source"])?;
        Ok(PushQuery {
            source: params.remove("source"),
        })
    }
}

pub async fn push(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match push_inner(&state, peer, query.as_deref(), &headers, body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

impl From<PushError> for ApiError {
    fn from(error: PushError) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: error.to_string(),
            field: Some(error.field),
        }
    }
}

async fn push_inner(
    state: &Arc<AppState>,
    peer: SocketAddr,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(state, headers, peer)?;
    let query = PushQuery::of(query)?;
    // Nothing is taken into a store file deleted or replaced under the
    // server: it would be lost with it.
    super::store_file::in_place(state).map_err(|e| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the store cannot be reached; nothing was stored: {e}"),
        )
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if let Some(coding) = transfer_coding_not_chunked(headers) {
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            format!(
                "transfer coding {coding} is not supported: send the body as is, \
                 with Content-Length or Transfer-Encoding: chunked"
            ),
        ));
    }
    let encoded = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity"));
    if encoded {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body uncompressed (no Content-Encoding)",
        ));
    }
    let is_json = media_type == "application/json" || media_type.ends_with("+json");
    if !is_json && media_type != "text/plain" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send application/json (an article or an array) or text/plain (a raw dump)",
        ));
    }
    // A dump is read in the charset it names (UTF-8 when none), as a feed
    // is; JSON is UTF-8 whatever it says (RFC 8259), but its charset must
    // still name an encoding.
    let declared_charset = charset(headers);
    let encoding = match &declared_charset {
        None => UTF_8,
        Some(label) => encoding_for_label(label).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("charset={label} is no encoding feedfold reads; send UTF-8"),
            )
        })?,
    };
    let limit = state.config.server.max_body as usize;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes ([server] max_body)"),
        )
    };
    // A declared length over the limit is refused before any byte is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    // Without a length or chunks, HTTP/1 gives a request no body (RFC 9112
    // §6.3): what the client sent after its headers would be read as its
    // next request.
    if declared.is_none() && !headers.contains_key(header::TRANSFER_ENCODING) {
        return Err(ApiError::new(
            StatusCode::LENGTH_REQUIRED,
            "send the body's length in Content-Length, or send it chunked",
        ));
    }
    // Only the body's arrival is timed: once it is in, the push is folded
    // and published however long the store makes it wait, and the answer
    // says what happened to it.
    let bytes = tokio::time::timeout(BODY_TIMEOUT, read_body(body, limit, declared))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the body took longer than {} s to arrive",
                    BODY_TIMEOUT.as_secs()
                ),
            )
        })?
        .map_err(|cut| match cut {
            BodyCut::TooLarge => too_large(),
            BodyCut::Ended { received } => ApiError::new(
                StatusCode::BAD_REQUEST,
                match declared {
                    Some(length) => {
                        format!("the body ended after {received} of {length} bytes; send it again")
                    }
                    None => format!("the body broke off after {received} bytes; send it again"),
                },
            ),
            BodyCut::Malformed => ApiError::new(
                StatusCode::BAD_REQUEST,
                "the body's chunked encoding is malformed",
            ),
        })?;
    let scope = &state.config.server.push;
    // `?source=` names the source of a dump, and of the JSON articles that
    // name none; a name that takes no pushes is refused whatever the body.
    let source = match query.source {
        Some(name) => pushed::check_source_name("source", &name)?,
        None => scope.default.clone(),
    };
    if !scope.allows(&source) {
        return Err(outside_scope(peer, &source, &scope.default));
    }
    // The body is read first, so that the connection can carry the next
    // request.
    refuse_failed_preconditions(headers)?;
    let pushed = if is_json {
        if let Some(label) = declared_charset.as_deref().filter(|_| encoding != UTF_8) {
            check_json_is_utf8(&bytes, label)?;
        }
        pushed::from_json(&bytes, &source)?
    } else {
        refuse_json_sent_as_text(&bytes)?;
        pushed::from_dump(&bytes, encoding, &source)?
    };
    if let Some(outside) = pushed.iter().find(|p| !scope.allows(p.name())) {
        return Err(outside_scope(peer, outside.name(), &scope.default));
    }
    let kept = upstream_entries(state);
    let sources: Vec<Box<dyn Source>> = pushed
        .into_iter()
        .map(|p| Box::new(p.keeping_text_of(kept.clone())) as Box<dyn Source>)
        .collect();
    let reports = pipeline::ingest(
        &state.config,
        sources,
        &state.store,
        &state.fetching,
        Utc::now(),
        pipeline::Claims::None,
        Arc::new(Silent),
    )
    .await;
    {
        let mut status = state.status_mut();
        for report in &reports {
            status.note_write(report);
        }
    }
    if let Some(failed) = reports.iter().find(|r| !r.errors.is_empty()) {
        tracing::error!("API fold failed: {}", failed.errors.join("; "));
        return Err(fold_failure(failed));
    }
    republish_after(state, &reports).await;
    let outcomes: Vec<_> = reports.into_iter().flat_map(|r| r.outcomes).collect();
    let created = outcomes.iter().any(|o| o.status == "new");
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "articles": outcomes }))).into_response())
}

/// `412` when the request's preconditions fail against the collection's
/// current state (RFC 9110 §13.1: a failed condition means the push is not
/// performed), evaluated once the request is known to be one that would
/// otherwise be read and folded. That state is what `GET /api/articles`
/// shows: a current representation with no `ETag` or `Last-Modified`, so
/// `If-Match` holds for `*` only, and `If-None-Match: *` fails.
fn refuse_failed_preconditions(headers: &HeaderMap) -> Result<(), ApiError> {
    match conditional::evaluate_before_change(headers, Validators::default()) {
        Precondition::Failed => Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "a precondition failed; nothing was stored",
        )),
        Precondition::Holds | Precondition::NotModified => Ok(()),
    }
}

/// JSON is UTF-8 whatever its `charset` says (RFC 8259 defines none), so a
/// UTF-8 body is read under any label (a client library's stray default);
/// one that is not UTF-8, declared in the other encoding `label` names, is
/// refused naming it rather than read as broken JSON.
fn check_json_is_utf8(bytes: &[u8], label: &str) -> Result<(), ApiError> {
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!("JSON is read as UTF-8 (RFC 8259), not as its charset={label} says; send UTF-8"),
    ))
}

/// `415` for a `text/plain` body that is a JSON object or array: what a
/// browser's `fetch()` labels a string body by default. Read as a raw
/// dump it would be published as a story headlined `{`; no dump is a
/// JSON document.
fn refuse_json_sent_as_text(bytes: &[u8]) -> Result<(), ApiError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let opens_json = text
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['));
    if opens_json && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok() {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the text/plain body is a JSON document: send it as application/json \
             (text/plain is a raw dump)",
        ));
    }
    Ok(())
}

/// `403` for a push under `source`, which takes no pushes (logged with the
/// peer); `default` is the push source to name instead.
fn outside_scope(peer: SocketAddr, source: &str, default: &str) -> ApiError {
    tracing::warn!(%peer, source, "API push refused: the source does not take pushes");
    ApiError::new(
        StatusCode::FORBIDDEN,
        format!(
            "source {source:?} does not take pushes: push to {default:?}, or list the source in [server] push_sources"
        ),
    )
}

/// The articles whose text a push never replaces: those a `feed` source
/// brought (an upstream entry's: its first sighting, where the article was
/// first stored, is that source's), looked up on the reading connection
/// while the push's transaction is open. The store tells it, whatever the
/// serving config still lists: that first sighting is at the document its
/// source fetches (the one its fetch state was recorded for: a feed's,
/// where a sitemap's pages, a dump's files and pushes are seen elsewhere),
/// or its source is a `feed` source of the config. An article a push
/// brought takes its pushes' corrections whatever feed entries were folded
/// into it since.
fn upstream_entries(state: &Arc<AppState>) -> KeptText {
    let feed_sources: Vec<String> = state
        .config
        .sources
        .iter()
        .filter(|s| matches!(s.kind, SourceKind::Feed { .. }))
        .map(|s| s.name.clone())
        .collect();
    let reader = state.reader.clone();
    Arc::new(move |id: &str| {
        let mut reader = lock(&reader);
        let sightings = reader.sightings(id)?;
        brought_by_a_feed(&sightings, |first| {
            Ok(feed_sources.contains(&first.source)
                || reader.fetch_state(&first.source)?.is_for(&first.location))
        })
    })
}

/// Whether the article seen at `sightings` (in the order they arrived)
/// was brought by a feed: first stored from a sighting `of_a_feed` says is
/// a feed's. Copies folded into it later, feed entries among them, bring
/// no article.
fn brought_by_a_feed(
    sightings: &[Sighting],
    of_a_feed: impl FnOnce(&Sighting) -> Result<bool, crate::store::StoreError>,
) -> Result<bool, crate::store::StoreError> {
    sightings.first().map_or(Ok(false), of_a_feed)
}

/// The answer to a push the store did not take, from the report of the
/// source that failed: `503` only while the store is busy (another writer
/// held it past the wait) or cannot be reached, `507` when it is full,
/// else `500`; the cause is given (it names the store, never a password).
fn fold_failure(report: &SourceReport) -> ApiError {
    let cause = report.errors.join("; ");
    let kind = match &report.store_failure {
        Some(failure) => failure.kind,
        None if report.unreachable => StoreFailureKind::Unreachable,
        None => StoreFailureKind::Other,
    };
    let (status, what) = match kind {
        StoreFailureKind::Unreachable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the store cannot be reached; try again",
        ),
        StoreFailureKind::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the store is busy; try again",
        ),
        StoreFailureKind::Full => (
            StatusCode::INSUFFICIENT_STORAGE,
            "the store is full; nothing was stored",
        ),
        StoreFailureKind::Other => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the store could not be written; nothing was stored",
        ),
    };
    ApiError::new(status, format!("{what}: {cause}"))
}

/// The answer to a read the store failed: `503` (try again) while it is
/// busy or cannot be reached, as for a push, else `500`.
fn read_failure(error: &crate::store::StoreError) -> ApiError {
    let status = match error.kind() {
        StoreFailureKind::Unreachable | StoreFailureKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        StoreFailureKind::Full | StoreFailureKind::Other => StatusCode::INTERNAL_SERVER_ERROR,
    };
    ApiError::new(status, format!("the store could not be read: {error}"))
}

pub struct ReadQuery {
    feed: Option<String>,
    since: Option<String>,
    limit: Option<String>,
    after: Option<String>,
    cursor: Option<String>,
}

impl ReadQuery {
    fn of(raw: Option<&str>) -> Result<ReadQuery, ApiError> {
        let mut params = query_params(raw, &["feed", "since", "limit", "after", "cursor"])?;
        Ok(ReadQuery {
            feed: params.remove("feed"),
            since: params.remove("since"),
            limit: params.remove("limit"),
            after: params.remove("after"),
            cursor: params.remove("cursor"),
        })
    }

    /// Where the page goes on from: after the article `after` names, or
    /// after the position `cursor` (a `next` link's) holds.
    fn position(&self) -> Result<Option<Walk>, ApiError> {
        match (&self.after, &self.cursor) {
            (Some(_), Some(_)) => Err(ApiError::field(
                "cursor",
                "give `after` or `cursor`, not both",
            )),
            (Some(id), None) => Ok(Some(Walk::After(id.clone()))),
            (None, Some(token)) => FeedCursor::of_token(token)
                .map(|at| Some(Walk::At(at)))
                .ok_or_else(|| {
                    ApiError::field(
                        "cursor",
                        "not a cursor this API gave: pass a `next` link's as it is",
                    )
                }),
            (None, None) => Ok(None),
        }
    }
}

/// Where a page of `GET /api/articles` goes on from.
enum Walk {
    /// After the article with this id (`after`).
    After(String),
    /// After the place this cursor names (`cursor`), whether its article
    /// still stands there or not.
    At(FeedCursor),
}

/// Any other method HTTP defines: `401` without the token, as every
/// request is checked for it before anything else, then `405` with the
/// methods the push API allows.
pub async fn method_not_allowed(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = authorize(&state, &headers, peer) {
        return error.into_response();
    }
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "GET,HEAD,POST")],
    )
        .into_response()
}

pub async fn read(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match read_inner(&state, peer, query.as_deref(), &headers).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn read_inner(
    state: &Arc<AppState>,
    peer: SocketAddr,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    authorize(state, headers, peer)?;
    let query = ReadQuery::of(query)?;
    let sources = match &query.feed {
        Some(name) => {
            let spec = state
                .config
                .feeds
                .iter()
                .find(|f| &f.name == name)
                .ok_or_else(|| ApiError::field("feed", format!("no feed is named {name:?}")))?;
            spec.sources.clone()
        }
        None => None,
    };
    let since = query
        .since
        .as_deref()
        .map(|s| {
            parse_query_date(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| ApiError::field("since", format!("not an RFC 3339 date ({e})")))
        })
        .transpose()?;
    let limit = match query.limit.as_deref() {
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::field("limit", format!("must be a number from 1 to {MAX_LIMIT}"))
            })?,
        None => 50,
    };
    let walk = query.position()?;
    let worker = state.clone();
    let page = tokio::task::spawn_blocking(move || {
        let mut store = lock(&worker.reader);
        let after = match &walk {
            Some(Walk::After(id)) => match store.position_of(id)? {
                Some(at) => Some(at),
                None => return Ok(Err(NotPlaced::After(store.merged_into(id)?))),
            },
            Some(Walk::At(cursor)) => match store.place_of_cursor(cursor)? {
                Some(at) => Some(at),
                None => return Ok(Err(NotPlaced::Cursor)),
            },
            None => None,
        };
        let entries = store.feed_page(sources.as_deref(), since, after, limit)?;
        entries
            .into_iter()
            .map(|(article, at)| {
                let sightings = store.sightings(&article.id)?;
                let json = article_json(&article, &sightings);
                Ok((FeedCursor { id: article.id, at }, json))
            })
            .collect::<Result<Vec<(FeedCursor, Value)>, crate::store::StoreError>>()
            .map(Ok)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| read_failure(&e))?
    .map_err(|not_placed| match not_placed {
        NotPlaced::After(merged_into) => no_article_after(merged_into.as_deref()),
        NotPlaced::Cursor => cursor_not_placed(),
    })?;
    let mut answer = json!({});
    if page.len() == limit
        && let Some((last, _)) = page.last()
    {
        answer["next"] = Value::String(next_page(&query, limit, last));
    }
    answer["articles"] = Value::Array(page.into_iter().map(|(_, article)| article).collect());
    Ok(Json(answer).into_response())
}

/// An RFC 3339 date as a query gives it. A `+` sent unencoded in a query
/// reads as a space (`date -Iseconds` prints `2026-01-01T00:00:00+00:00`):
/// a space where the offset's sign belongs, after the time, is read as `+`.
fn parse_query_date(text: &str) -> chrono::ParseResult<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(text).or_else(|error| {
        let offset_at = text.len().checked_sub(" 00:00".len());
        match offset_at.and_then(|at| Some((text.get(..at)?, text.get(at..)?))) {
            Some((time, offset)) if time.contains('T') || time.contains('t') => {
                match offset.strip_prefix(' ') {
                    Some(unsigned) => DateTime::parse_from_rfc3339(&format!("{time}+{unsigned}")),
                    None => Err(error),
                }
            }
            _ => Err(error),
        }
    })
}

/// The answer to an `after` id the store holds no article under: 422,
/// naming the article it was merged into when a merge took it away (the
/// walk does not go on from there, which may stand far from where the
/// article stood: a `next` link's `cursor` goes on from that place).
fn no_article_after(merged_into: Option<&str>) -> ApiError {
    let message = match merged_into {
        Some(survivor) => format!(
            "the store holds no article with this id: it was merged into {survivor} \
             (a `next` link's `cursor` goes on where an article stood, merged away or not)"
        ),
        None => "the store holds no article with this id".to_string(),
    };
    ApiError::field("after", message)
}

/// Why a page could not be placed where the request said it goes on.
enum NotPlaced {
    /// The store holds no article under the `after` id; the one it was
    /// merged into, if a merge took it away.
    After(Option<String>),
    /// The store cannot tell where the `cursor` stood
    /// ([`crate::store::Store::place_of_cursor`]).
    Cursor,
}

/// The answer to a `cursor` the store cannot place: 422, as going on from
/// anywhere else would skip or repeat articles without a word.
fn cursor_not_placed() -> ApiError {
    ApiError::field(
        "cursor",
        "the article this cursor stood at was merged into another in a store this one was \
         copied from: the walk cannot go on from there; start it again",
    )
}

/// The request for the page after the one `query` asked for, whose last
/// article stood at `last`: the same feed, `since` and `limit`, its
/// `cursor` that position, so the walk goes on from there even once that
/// article is merged into another or its date moves. It is a reference
/// relative to the request (its query only), so it leads back to this API
/// wherever a client reaches it, a proxy that serves feedfold under a path
/// included.
fn next_page(query: &ReadQuery, limit: usize, last: &FeedCursor) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    if let Some(feed) = &query.feed {
        pairs.append_pair("feed", feed);
    }
    if let Some(since) = &query.since {
        pairs.append_pair("since", since);
    }
    pairs.append_pair("limit", &limit.to_string());
    pairs.append_pair("cursor", &last.token());
    format!("?{}", pairs.finish())
}

/// `article` as JSON, its links as the feeds publish them (its own link as
/// [`super::articles::shown_link`] shows it); the places it was seen (a
/// source's file or URL) redacted.
fn article_json(article: &StoredArticle, sightings: &[Sighting]) -> Value {
    let link = article
        .link
        .as_deref()
        .map(|link| super::articles::shown_link(link, sightings));
    let article = &crate::publish::public_urls(article.clone());
    json!({
        "id": article.id,
        "title": article.title,
        "link": link,
        "published": rfc3339(article.published),
        "updated": rfc3339(article.updated),
        "summary": crate::publish::entry_html::summary(article),
        "content_html": crate::publish::entry_html::article_html(article),
        "captions": article.captions,
        "body": crate::publish::entry_html::shown_blocks(article).collect::<Vec<_>>(),
        "authors": article.authors,
        "categories": article.categories,
        "enclosures": article.enclosures,
        "sightings": sightings.iter().map(|s| json!({
            "source": s.source,
            "location": crate::redact::urls_in(&s.location),
            "line": s.line,
            "first_seen": rfc3339(s.first_seen),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::StoreFailure;
    use crate::store::{FeedPosition, StoreError};

    #[test]
    fn only_a_json_document_sent_as_text_is_refused() {
        let refused = |body: &str| refuse_json_sent_as_text(body.as_bytes()).is_err();
        assert!(refused(
            "{\"title\": \"Night trains\", \"body\": \"They return.\"}"
        ));
        assert!(refused("\u{feff}\n  [{\"title\": \"Night trains\"}]\n"));
        // A dump that opens with a bracket, or with a brace it never closes.
        assert!(!refused(
            "[Photo] Night trains return\n\nThey return on Friday.\n"
        ));
        assert!(!refused(
            "{Updated} Night trains return\n\nThey return on Friday.\n"
        ));
        assert!(!refused("Night trains return\n\nThey return on Friday.\n"));
    }

    #[test]
    fn only_an_article_a_feed_brought_keeps_its_text_from_pushes() {
        let seen = |source: &str| Sighting {
            source: source.into(),
            location: format!("{source}.example"),
            line: 1,
            first_seen: chrono::DateTime::UNIX_EPOCH,
        };
        let feeds = |sightings: &[Sighting]| {
            brought_by_a_feed(sightings, |first| Ok(first.source == "wire")).unwrap()
        };
        // First stored from the feed: the upstream entry's text stays.
        assert!(feeds(&[seen("wire"), seen("agg")]));
        // Pushed first, the feed's entry folded into it since: the push's.
        assert!(!feeds(&[seen("agg"), seen("wire")]));
        assert!(!feeds(&[seen("dump"), seen("wire")]));
        assert!(!feeds(&[]));
    }

    #[test]
    fn a_read_the_store_cannot_answer_now_is_503_with_retry_after() {
        let store = "postgres://db.example:5432/feeds".to_string();
        let unreachable = StoreError::Unreachable {
            store: store.clone(),
            host_port: "db.example:5432".into(),
            cause: "connection refused".into(),
        };
        let response = read_failure(&unreachable).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
        let broken = StoreError::Backend {
            store,
            message: "relation \"article\" does not exist".into(),
        };
        let response = read_failure(&broken).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!response.headers().contains_key(header::RETRY_AFTER));
    }

    #[test]
    fn a_transfer_coding_other_than_chunked_is_named() {
        let mut headers = HeaderMap::new();
        assert_eq!(transfer_coding_not_chunked(&headers), None);
        headers.insert(header::TRANSFER_ENCODING, "chunked".parse().unwrap());
        assert_eq!(transfer_coding_not_chunked(&headers), None);
        headers.insert(header::TRANSFER_ENCODING, "GZip, chunked".parse().unwrap());
        assert_eq!(
            transfer_coding_not_chunked(&headers).as_deref(),
            Some("gzip")
        );
        headers.insert(header::TRANSFER_ENCODING, "chunked".parse().unwrap());
        headers.append(header::TRANSFER_ENCODING, "deflate".parse().unwrap());
        assert_eq!(
            transfer_coding_not_chunked(&headers).as_deref(),
            Some("deflate")
        );
    }

    #[test]
    fn a_json_body_is_utf8_whatever_its_charset_says() {
        let utf8 = "{\"title\":\"Caf\u{e9}\"}".as_bytes();
        assert!(check_json_is_utf8(utf8, "windows-1252").is_ok());
        assert!(check_json_is_utf8(utf8, "utf-16").is_ok());
        let latin = b"{\"title\":\"Caf\xe9\"}";
        let Err(error) = check_json_is_utf8(latin, "windows-1252") else {
            panic!("a windows-1252 JSON body was taken");
        };
        assert_eq!(error.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(error.message.contains("windows-1252"), "{}", error.message);
    }

    #[test]
    fn an_unknown_query_parameter_is_refused_naming_it() {
        let Err(error) = PushQuery::of(Some("sorce=partner")) else {
            panic!("a misspelt ?source= was taken");
        };
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.field.as_deref(), Some("sorce"));
        assert!(error.message.contains("`source`"), "{}", error.message);
        let Err(error) = ReadQuery::of(Some("feed=harbour&limt=5")) else {
            panic!("a misspelt ?limit= was taken");
        };
        assert_eq!(error.field.as_deref(), Some("limt"));
        let query = PushQuery::of(Some("source=partner")).unwrap();
        assert_eq!(query.source.as_deref(), Some("partner"));
        assert!(
            ReadQuery::of(Some(
                "feed=harbour&since=2026-03-01T00:00:00Z&limit=5&after=a/b"
            ))
            .is_ok()
        );
        assert!(PushQuery::of(None).is_ok());
    }

    #[test]
    fn an_articles_links_are_given_as_the_feeds_publish_them() {
        let article = StoredArticle {
            link: Some("https://editor:hunter2@site.example/story?id=7#top".into()),
            enclosures: vec![crate::model::Enclosure {
                url: "https://editor:hunter2@img.example/a.jpg#frag".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let value = article_json(&article, &[]);
        assert_eq!(value["link"], "https://site.example/story?id=7#top");
        assert_eq!(
            value["enclosures"][0]["url"],
            "https://img.example/a.jpg#frag"
        );
        // A `pages` source's page is the URL fetched: redacted as a place.
        let page = "https://site.example/story?key=s3cret";
        let fetched = StoredArticle {
            link: Some(page.into()),
            ..Default::default()
        };
        let seen = Sighting {
            source: "pages".into(),
            location: page.into(),
            line: 0,
            first_seen: chrono::DateTime::UNIX_EPOCH,
        };
        let value = article_json(&fetched, &[seen]);
        assert_eq!(value["link"], "https://site.example/story?key=***");
    }

    #[test]
    fn an_article_with_nothing_to_summarise_has_a_null_summary() {
        // A headline alone: the feeds publish no summary, nor does the API.
        let headline_only = StoredArticle {
            title: "Tram fares to rise".into(),
            ..Default::default()
        };
        assert_eq!(article_json(&headline_only, &[])["summary"], Value::Null);
        let with_text = StoredArticle {
            title: "Tram fares to rise".into(),
            body: vec![crate::model::Block::paragraph("Fares rise in May.")],
            ..Default::default()
        };
        assert_eq!(
            article_json(&with_text, &[])["summary"],
            "Fares rise in May."
        );
    }

    #[test]
    fn sighting_urls_are_redacted() {
        let seen = |location: &str| Sighting {
            source: "wire".into(),
            location: location.into(),
            line: 3,
            first_seen: chrono::DateTime::UNIX_EPOCH,
        };
        let value = article_json(
            &StoredArticle::default(),
            &[
                seen("https://bob:hunter2@news.example/wire.rss?key=s3cret"),
                seen("dumps/a.txt"),
            ],
        );
        assert_eq!(
            value["sightings"][0]["location"],
            "https://news.example/wire.rss?key=***"
        );
        assert_eq!(value["sightings"][1]["location"], "dumps/a.txt");
    }

    #[test]
    fn the_next_page_resolves_under_the_path_the_api_was_reached_at() {
        let query = ReadQuery {
            feed: Some("all news".into()),
            since: Some("2026-11-01T00:00:00+01:00".into()),
            limit: None,
            after: None,
            cursor: None,
        };
        let last = FeedCursor {
            id: "tag:feedfold.invalid,2026:a/b?c=d&e".into(),
            at: FeedPosition {
                published: 1_796_414_400,
                first_seen: -5,
                seq: 3,
            },
        };
        let next = next_page(&query, 2, &last);
        for (asked, expected) in [
            (
                "https://proxy.example/news/api/articles?limit=2",
                "https://proxy.example/news/api/articles?",
            ),
            (
                "http://127.0.0.1:8080/api/articles?feed=x",
                "http://127.0.0.1:8080/api/articles?",
            ),
        ] {
            let followed = url::Url::parse(asked).unwrap().join(&next).unwrap();
            assert!(followed.as_str().starts_with(expected), "{followed}");
            let pairs: Vec<(String, String)> = followed.query_pairs().into_owned().collect();
            let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
            assert_eq!(
                pairs,
                [
                    pair("feed", "all news"),
                    pair("since", "2026-11-01T00:00:00+01:00"),
                    pair("limit", "2"),
                    pair("cursor", &last.token()),
                ]
            );
        }
        let followed = ReadQuery::of(Some(&next[1..])).unwrap();
        assert!(matches!(followed.position(), Ok(Some(Walk::At(at))) if at == last));
    }

    #[test]
    fn a_page_goes_on_after_an_id_or_a_cursor_never_a_malformed_one() {
        let walk = |raw: &str| ReadQuery::of(Some(raw)).unwrap().position();
        assert!(matches!(walk("limit=2"), Ok(None)));
        assert!(matches!(walk("after=a%2Fb"), Ok(Some(Walk::After(id))) if id == "a/b"));
        let given = FeedCursor {
            id: "n-1".into(),
            at: FeedPosition {
                published: 10,
                first_seen: 20,
                seq: 30,
            },
        };
        assert!(matches!(
            walk(&format!("cursor={}", given.token())),
            Ok(Some(Walk::At(at))) if at == given
        ));
        let changed = format!("cursor={}", given.token().replacen("10.", "11.", 1));
        let unchecked = format!("cursor={}", given.token().rsplit_once('.').unwrap().0);
        let both = format!("after=a&cursor={}", given.token());
        for raw in [
            "cursor=",
            "cursor=10.20",
            "cursor=10.20.30.40",
            "cursor=10.20.x",
            "cursor=tag%3Afeedfold.invalid",
            "cursor=99999999999999999999.1.1",
            "cursor=1.2.3",
            "cursor=-1.-1.-1",
            "cursor=9223372036854775807.0.0",
            // An earlier feedfold's, which named no article.
            "cursor=10.20.30.7200234d",
            changed.as_str(),
            unchecked.as_str(),
            both.as_str(),
        ] {
            let Err(error) = walk(raw) else {
                panic!("{raw} was taken");
            };
            assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY, "{raw}");
            assert_eq!(error.field.as_deref(), Some("cursor"), "{raw}");
        }
    }

    #[test]
    fn a_space_where_a_dates_offset_sign_belongs_reads_as_plus() {
        let utc = |text: &str| parse_query_date(text).map(|d| d.with_timezone(&Utc));
        let midnight = utc("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(utc("2026-01-01T00:00:00 00:00"), Ok(midnight));
        assert_eq!(utc("2026-01-01T00:00:00+00:00"), Ok(midnight));
        assert_eq!(
            utc("2026-01-01T02:00:00.5 02:00"),
            Ok(midnight + chrono::Duration::milliseconds(500))
        );
        assert_eq!(
            utc("2026-01-01T00:00:00-01:00"),
            Ok(midnight + chrono::Duration::hours(1))
        );
        for wrong in [
            "2026-01-01 00:00",
            " 00:00",
            "2026-01-01T00:00:00  00:00",
            "x 00:00",
        ] {
            assert!(utc(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn token_compare_is_exact() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
        assert!(!constant_time_eq(b"s3c", b"s3cret"));
        assert!(!constant_time_eq(b"", b"s3cret"));
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for value in ["Bearer t0k", "bearer t0k", "BEARER t0k", "bEaReR t0k"] {
            assert_eq!(bearer_token(value), Some("t0k"), "{value}");
        }
        assert_eq!(bearer_token("Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearert0k"), None);
    }

    #[test]
    fn a_store_failure_is_answered_by_its_kind_with_its_cause() {
        let failed = |error: &str, kind: StoreFailureKind| {
            let answer = fold_failure(&SourceReport {
                errors: vec![error.to_string()],
                unreachable: kind == StoreFailureKind::Unreachable,
                store_failure: Some(StoreFailure {
                    kind,
                    message: error.to_string(),
                }),
                ..SourceReport::default()
            });
            assert!(answer.message.contains(error), "{}", answer.message);
            answer.status
        };
        assert_eq!(
            failed(
                "feedfold.db: database or disk is full",
                StoreFailureKind::Full
            ),
            StatusCode::INSUFFICIENT_STORAGE
        );
        assert_eq!(
            failed("feedfold.db: database is locked", StoreFailureKind::Busy),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            failed(
                "db.example: cannot connect to db.example:5432: refused",
                StoreFailureKind::Unreachable
            ),
            StatusCode::SERVICE_UNAVAILABLE
        );
        // The kind decides, not the words: a trigger's message that reads
        // like a full disk is still an error of the store.
        assert_eq!(
            failed(
                "feedfold.db: database or disk is full",
                StoreFailureKind::Other
            ),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            failed("feedfold.db: disk I/O error", StoreFailureKind::Other),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
