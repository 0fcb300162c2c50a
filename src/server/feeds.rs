//! `GET`/`HEAD /feeds/{name}.{rss,atom,json}`: cached bodies with a strong
//! ETag, Last-Modified and Cache-Control, in gzip or brotli when the client
//! accepts them (bytes compressed once, when the feed changed, and shared by
//! every response); `If-Match` and `If-Unmodified-Since` that fail answer
//! `412 Precondition Failed`, and `If-None-Match` and `If-Modified-Since`
//! `304 Not Modified`, both without a body. Feed names are looked up in the
//! cache, never used as paths.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::cache::{CachedBody, Encoding};
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
    let (feed, now) = state.cache.answering(name, format)?;
    let cached = feed.body(format);
    let heads = feed.heads(format);
    if precondition_failed(request, &cached.etag, cached.fresh_since) {
        let mut response = StatusCode::PRECONDITION_FAILED.into_response();
        *response.headers_mut() = heads.precondition_failed().clone();
        super::date::stamp(response.headers_mut(), now);
        return Some(response);
    }
    let encoding = choose_encoding(request, cached);
    let (status, head, body) = if not_modified(request, &cached.etag, cached.fresh_since) {
        (
            StatusCode::NOT_MODIFIED,
            heads.not_modified(encoding),
            Body::empty(),
        )
    } else {
        // `choose_encoding` picks only encodings the body is kept in.
        let (head, body) = heads.ok(encoding).zip(cached.encoded(encoding))?;
        (StatusCode::OK, head, Body::from(body.clone()))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = head.clone();
    // A body dated ahead of the clock (a version dated in the second after
    // the one it replaced, a file written under a clock that ran ahead)
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

/// The coding to answer in: brotli or gzip when the request's
/// `Accept-Encoding` accepts it and the body is kept in it, the one with
/// the higher q-value first (brotli on a tie), unless `identity` is rated
/// higher still (by its own entry or `*`'s; unrated, it is only the
/// fallback); otherwise the body as it is.
fn choose_encoding(request: &HeaderMap, body: &CachedBody) -> Encoding {
    if !request.contains_key(header::ACCEPT_ENCODING) {
        return Encoding::Identity;
    }
    let brotli = body
        .brotli
        .as_ref()
        .map_or(0.0, |_| quality(request, &["br"]));
    let gzip = body
        .gzip
        .as_ref()
        .map_or(0.0, |_| quality(request, &["gzip", "x-gzip"]));
    let identity = quality(request, &["identity"]);
    if brotli > 0.0 && brotli >= gzip && brotli >= identity {
        Encoding::Brotli
    } else if gzip > 0.0 && gzip >= identity {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// The q-value `Accept-Encoding` gives a coding named `names`: its own
/// entry's, else that of `*`, else 0 (not asked for).
fn quality(request: &HeaderMap, names: &[&str]) -> f32 {
    let mut named: Option<f32> = None;
    let mut any = None;
    let entries = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for entry in entries {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| {
                let (key, value) = p.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("q")
                    .then(|| value.trim().parse::<f32>().ok())?
            })
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        if names.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            named = Some(named.map_or(q, |before| before.max(q)));
        } else if name == "*" {
            any = Some(q);
        }
    }
    named.or(any).unwrap_or(0.0)
}

/// RFC 9110 §13.2.2, before [`not_modified`]: `If-Match` decides when
/// present (`*`, or one of its tags the same as `etag` by strong
/// comparison: a weak tag never matches), read from every field it is
/// sent in; otherwise `If-Unmodified-Since` fails when the body is newer
/// than it (`fresh_since` later), and is ignored when it is no date.
fn precondition_failed(request: &HeaderMap, etag: &HeaderValue, fresh_since: SystemTime) -> bool {
    if request.contains_key(header::IF_MATCH) {
        let ours = etag.to_str().unwrap_or_default();
        let matched = request
            .get_all(header::IF_MATCH)
            .iter()
            .filter_map(|field| field.to_str().ok())
            .flat_map(|field| field.split(','))
            .map(str::trim)
            .any(|tag| tag == "*" || tag == ours);
        return !matched;
    }
    request
        .get(header::IF_UNMODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| fresh_since > since)
}

/// RFC 9110 §13.2.2: `If-None-Match` decides when present (weak
/// comparison, its list read from every field it is sent in, as one
/// comma-separated field); otherwise `If-Modified-Since`, which must be no
/// earlier than `fresh_since` (the body's Last-Modified, or a later second
/// when a client may hold that date of an earlier version:
/// [`super::cache::CachedBody::fresh_since`]).
/// Malformed values are ignored, so the full response is sent, and so is
/// an `If-Modified-Since` later than now (RFC 9110 §13.1.3: invalid).
pub fn not_modified(request: &HeaderMap, etag: &HeaderValue, fresh_since: SystemTime) -> bool {
    if let Some(matched) = none_match(request, etag) {
        return matched;
    }
    request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .filter(|since| *since <= SystemTime::now())
        .is_some_and(|since| fresh_since <= since)
}

/// Whether `If-None-Match` names `etag` (`*`, or one of its tags the same
/// by weak comparison), its list read from every field it is sent in, as
/// one comma-separated field; `false` when it is not all text, and `None`
/// when the request has none.
pub fn none_match(request: &HeaderMap, etag: &HeaderValue) -> Option<bool> {
    if !request.contains_key(header::IF_NONE_MATCH) {
        return None;
    }
    let Ok(fields) = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .map(HeaderValue::to_str)
        .collect::<Result<Vec<_>, _>>()
    else {
        return Some(false);
    };
    let ours = opaque_tag(etag.to_str().unwrap_or_default());
    Some(
        fields
            .iter()
            .flat_map(|field| field.split(','))
            .map(str::trim)
            .any(|tag| tag == "*" || opaque_tag(tag) == ours),
    )
}

/// The quoted part of an entity tag, without the weakness marker.
fn opaque_tag(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn request(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn file_names_map_to_feed_and_format() {
        assert_eq!(parse_file_name("news.rss"), Some(("news", Format::Rss)));
        assert_eq!(parse_file_name("a.b.json"), Some(("a.b", Format::Json)));
        assert_eq!(parse_file_name("news.xml"), None);
        assert_eq!(parse_file_name("news"), None);
    }

    #[test]
    fn the_encoding_follows_accept_encoding_and_what_is_kept() {
        let text: Vec<u8> = (0..200)
            .flat_map(|i| format!("<item>entry {i}</item>\n").into_bytes())
            .collect();
        let body = CachedBody::new(text, SystemTime::UNIX_EPOCH);
        let choose = |v: &str| choose_encoding(&request(header::ACCEPT_ENCODING, v), &body);
        assert_eq!(choose("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(choose("BR;q=0.5"), Encoding::Brotli);
        assert_eq!(choose("gzip"), Encoding::Gzip);
        assert_eq!(choose("gzip;q=1, br;q=0.5"), Encoding::Gzip);
        assert_eq!(choose("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(choose("*"), Encoding::Brotli);
        assert_eq!(choose("br;q=0, *;q=0.3"), Encoding::Gzip);
        assert_eq!(choose("identity"), Encoding::Identity);
        assert_eq!(choose("gzip;q=0, br;q=0"), Encoding::Identity);
        assert_eq!(choose("gzip;Q=0.000, br;q=0"), Encoding::Identity);
        // `identity` rated above every compression keeps the body as it is.
        assert_eq!(choose("gzip;q=0.1, identity;q=1"), Encoding::Identity);
        assert_eq!(choose("br;q=0.2, gzip;q=0.1, identity"), Encoding::Identity);
        assert_eq!(choose("identity;q=1, *;q=0.5"), Encoding::Identity);
        assert_eq!(choose("br;q=0.4, *;q=0.8"), Encoding::Gzip);
        assert_eq!(choose("gzip;q=0.2, *;q=0.6"), Encoding::Brotli);
        assert_eq!(choose("gzip;q=0.6, identity;q=0.5"), Encoding::Gzip);
        assert_eq!(choose("br, identity"), Encoding::Brotli);
        assert_eq!(choose("gzip;q=0.5, identity;q=0"), Encoding::Gzip);
        assert_eq!(
            choose_encoding(&HeaderMap::new(), &body),
            Encoding::Identity
        );
        let tiny = CachedBody::new(b"{}".to_vec(), SystemTime::UNIX_EPOCH);
        assert_eq!(
            choose_encoding(&request(header::ACCEPT_ENCODING, "br, gzip"), &tiny),
            Encoding::Identity,
            "a body compression does not shrink is sent as it is"
        );
    }

    #[test]
    fn if_none_match_decides_first() {
        let etag = HeaderValue::from_static("\"abc\"");
        let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(not_modified(
            &request(header::IF_NONE_MATCH, "\"abc\""),
            &etag,
            modified
        ));
        assert!(not_modified(
            &request(header::IF_NONE_MATCH, "\"x\", W/\"abc\""),
            &etag,
            modified
        ));
        assert!(not_modified(
            &request(header::IF_NONE_MATCH, "*"),
            &etag,
            modified
        ));
        assert!(!not_modified(
            &request(header::IF_NONE_MATCH, "\"other\""),
            &etag,
            modified
        ));
        let mut both = request(header::IF_NONE_MATCH, "\"other\"");
        both.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Sun, 01 Jan 2090 00:00:00 GMT"),
        );
        assert!(
            !not_modified(&both, &etag, modified),
            "a failed ETag match wins"
        );
    }

    #[test]
    fn if_none_match_is_read_from_every_field() {
        let etag = HeaderValue::from_static("\"abc\"");
        let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut split = request(header::IF_NONE_MATCH, "\"other\"");
        split.append(header::IF_NONE_MATCH, HeaderValue::from_static("\"abc\""));
        assert!(
            not_modified(&split, &etag, modified),
            "a list split over two fields is one list"
        );
        let mut neither = request(header::IF_NONE_MATCH, "\"other\"");
        neither.append(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\""));
        assert!(!not_modified(&neither, &etag, modified));
    }

    #[test]
    fn if_match_and_if_unmodified_since_fail_on_a_changed_feed() {
        let etag = HeaderValue::from_static("\"abc\"");
        let modified = httpdate::parse_http_date("Sat, 28 Nov 2026 10:00:00 GMT").unwrap();
        let failed = |name, value| precondition_failed(&request(name, value), &etag, modified);
        assert!(!failed(header::IF_MATCH, "\"abc\""));
        assert!(!failed(header::IF_MATCH, "\"old\", \"abc\""));
        assert!(!failed(header::IF_MATCH, "*"));
        assert!(failed(header::IF_MATCH, "\"old\""));
        assert!(failed(header::IF_MATCH, "W/\"abc\""), "strong comparison");
        let mut split = request(header::IF_MATCH, "\"old\"");
        split.append(header::IF_MATCH, HeaderValue::from_static("\"abc\""));
        assert!(!precondition_failed(&split, &etag, modified));

        assert!(!failed(
            header::IF_UNMODIFIED_SINCE,
            "Sat, 28 Nov 2026 10:00:00 GMT"
        ));
        assert!(failed(
            header::IF_UNMODIFIED_SINCE,
            "Sat, 28 Nov 2026 09:59:59 GMT"
        ));
        assert!(failed(
            header::IF_UNMODIFIED_SINCE,
            "Sat, 01 Jan 2000 00:00:00 GMT"
        ));
        assert!(!failed(header::IF_UNMODIFIED_SINCE, "last tuesday"));
        let mut both = request(header::IF_MATCH, "\"abc\"");
        both.insert(
            header::IF_UNMODIFIED_SINCE,
            HeaderValue::from_static("Sat, 01 Jan 2000 00:00:00 GMT"),
        );
        assert!(
            !precondition_failed(&both, &etag, modified),
            "a matching If-Match wins"
        );
        assert!(!precondition_failed(&HeaderMap::new(), &etag, modified));
    }

    #[test]
    fn if_modified_since_compares_dates_and_ignores_garbage() {
        let etag = HeaderValue::from_static("\"abc\"");
        let modified = httpdate::parse_http_date("Sat, 28 Nov 2026 10:00:00 GMT").unwrap();
        let ims = |v| request(header::IF_MODIFIED_SINCE, v);
        assert!(not_modified(
            &ims("Sat, 28 Nov 2026 10:00:00 GMT"),
            &etag,
            modified
        ));
        assert!(!not_modified(
            &ims("Sat, 28 Nov 2026 09:59:59 GMT"),
            &etag,
            modified
        ));
        assert!(!not_modified(&ims("yesterday"), &etag, modified));
        let tomorrow = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(86_400));
        assert!(
            !not_modified(&ims(&tomorrow), &etag, modified),
            "a date ahead is invalid"
        );
        assert!(!not_modified(&HeaderMap::new(), &etag, modified));
    }
}
