//! `GET`/`HEAD /feeds/{name}.{rss,atom,json}`: cached bodies with a strong
//! ETag, Last-Modified and Cache-Control, in gzip or brotli when the client
//! accepts them (bytes compressed once, when the feed changed, and shared by
//! every response; the coding negotiated as for every answer,
//! [`super::content_coding`]); `If-Match` and `If-Unmodified-Since` that
//! fail answer `412 Precondition Failed`, and `If-None-Match` and
//! `If-Modified-Since` `304 Not Modified`, both without a body (evaluated
//! as for every answer, [`super::conditional`]). Feed names are looked up in the
//! cache, never used as paths.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::conditional::{self, Precondition, Validators};
use super::content_coding;
use crate::publish::Format;

fn parse_file_name(file: &str) -> Option<(&str, Format)> {
    let (name, extension) = file.rsplit_once('.')?;
    let format = Format::ALL
        .into_iter()
        .find(|f| f.extension() == extension)?;
    Some((name, format))
}

/// The router's way in: the same answers as [`answer`], for requests the
/// server's shortcut left to the router (a percent-encoded name, say).
pub async fn serve_feed(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    request_headers: HeaderMap,
) -> Response {
    answer_file(&state, &file, &request_headers).unwrap_or_else(not_found)
}

/// The answer for a feed there is none of: 404, with the headers every
/// answer carries ([`super::security_headers`]).
fn not_found() -> Response {
    let mut response = StatusCode::NOT_FOUND.into_response();
    super::security_headers(response.headers_mut());
    response
}

/// The answer to a `GET` or `HEAD` of `/feeds/<file>` as the path is sent,
/// taken before routing since it is most of what a server answers; `None`
/// for anything else, which goes to the router.
pub fn answer(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    request: &HeaderMap,
) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    let file = uri.path().strip_prefix("/feeds/")?;
    if file.contains(['/', '%']) {
        return None;
    }
    Some(answer_file(state, file, request).unwrap_or_else(not_found))
}

/// The feed file `file` (`news.rss`), or `None` when there is no such feed.
/// `HEAD` gets the same head, and hyper sends no body. The answer is dated
/// (`Date`) the moment the cache noted it ([`super::cache::FeedCache::answering`]).
fn answer_file(state: &AppState, file: &str, request: &HeaderMap) -> Option<Response> {
    let (name, format) = parse_file_name(file)?;
    let (feed, now) = state
        .cache
        .answering(name, format, &state.config.publish.dir)?;
    let cached = feed.body(format);
    let heads = feed.heads(format);
    let validators = Validators {
        etag: Some(&cached.etag),
        fresh_since: Some(cached.fresh_since),
    };
    let precondition = conditional::evaluate(request, validators);
    if precondition == Precondition::Failed {
        let mut response = StatusCode::PRECONDITION_FAILED.into_response();
        *response.headers_mut() = heads.precondition_failed().clone();
        super::date::stamp(response.headers_mut(), now);
        return Some(response);
    }
    let encoding = content_coding::choose(request, |encoding| cached.encoded(encoding).is_some());
    let (status, head, body) = if precondition == Precondition::NotModified {
        (
            StatusCode::NOT_MODIFIED,
            heads.not_modified(encoding),
            Body::empty(),
        )
    } else {
        // `choose` picks only encodings the body is kept in.
        let (head, body) = heads.ok(encoding).zip(cached.encoded(encoding))?;
        (StatusCode::OK, head, Body::from(body.clone()))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = head.clone();
    // A body dated ahead of the clock (a version dated in the second after
    // the one it was written in, a file written under a clock that ran
    // ahead)
    // is sent with no Last-Modified until the clock reaches its date: RFC
    // 9110 (8.8.2.1) allows none later than the Date, and any other date
    // would move once the clock got there. So is one whose date a client
    // may hold of an earlier version, until the clock reaches the date
    // that tells it apart (`fresh_since`): a client that compares dates
    // itself (`curl -z`) would take it for the version it has.
    if cached.fresh_since > now {
        response.headers_mut().remove(header::LAST_MODIFIED);
    } else if let Some(moved) = cached.moved_last_modified(now) {
        response.headers_mut().insert(header::LAST_MODIFIED, moved);
    }
    super::date::stamp(response.headers_mut(), now);
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_map_to_feed_and_format() {
        assert_eq!(parse_file_name("news.rss"), Some(("news", Format::Rss)));
        assert_eq!(parse_file_name("a.b.json"), Some(("a.b", Format::Json)));
        assert_eq!(parse_file_name("news.xml"), None);
        assert_eq!(parse_file_name("news"), None);
    }
}
