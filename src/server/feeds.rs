//! `GET`/`HEAD /feeds/{name}.{rss,atom,json}`: cached bodies with a strong
//! ETag, Last-Modified and Cache-Control; `If-None-Match` and
//! `If-Modified-Since` answer `304 Not Modified` without a body. Feed names
//! are looked up in the cache, never used as paths.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::publish::Format;

/// The `Content-Type` each format is served with.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Rss => "application/rss+xml; charset=utf-8",
        Format::Atom => "application/atom+xml; charset=utf-8",
        Format::Json => "application/feed+json; charset=utf-8",
    }
}

fn parse_file_name(file: &str) -> Option<(&str, Format)> {
    let (name, extension) = file.rsplit_once('.')?;
    let format = Format::ALL
        .into_iter()
        .find(|f| f.extension() == extension)?;
    Some((name, format))
}

pub async fn serve_feed(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    request_headers: HeaderMap,
) -> Response {
    let Some((name, format)) = parse_file_name(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(feed) = state.cache.get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cached = feed.body(format);
    let mut headers = HeaderMap::new();
    // The compression layer answers gzip or brotli to a client that accepts
    // them, and a compressed body is not byte for byte what a strong ETag
    // names: such clients get the weak form, which `If-None-Match` compares
    // just the same.
    let etag = if accepts_compression(&request_headers) {
        cached.weak_etag.clone()
    } else {
        cached.etag.clone()
    };
    headers.insert(header::ETAG, etag);
    headers.insert(header::LAST_MODIFIED, cached.last_modified_header.clone());
    headers.insert(header::CACHE_CONTROL, state.cache_control.clone());
    if not_modified(&request_headers, &cached.etag, cached.last_modified) {
        // The compression layer adds `Vary` to full responses only.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(format)),
    );
    (StatusCode::OK, headers, cached.body.clone()).into_response()
}

/// Whether the client accepts a body in gzip or brotli.
fn accepts_compression(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            !refused && (name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("br"))
        })
}

/// RFC 9110 §13.2.2: `If-None-Match` decides when present (weak
/// comparison); otherwise `If-Modified-Since`. Malformed values are ignored,
/// so the full response is sent.
pub fn not_modified(request: &HeaderMap, etag: &HeaderValue, last_modified: SystemTime) -> bool {
    if let Some(condition) = request.get(header::IF_NONE_MATCH) {
        let Ok(condition) = condition.to_str() else {
            return false;
        };
        let ours = opaque_tag(etag.to_str().unwrap_or_default());
        return condition
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || opaque_tag(tag) == ours);
    }
    request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| last_modified <= since)
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
    fn compression_is_accepted_unless_refused() {
        let accept = |v| request(header::ACCEPT_ENCODING, v);
        assert!(accepts_compression(&accept("gzip, deflate, br")));
        assert!(accepts_compression(&accept("BR;q=0.5")));
        assert!(!accepts_compression(&accept("identity")));
        assert!(!accepts_compression(&accept("gzip;q=0, br;q=0")));
        assert!(!accepts_compression(&HeaderMap::new()));
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
        assert!(!not_modified(&HeaderMap::new(), &etag, modified));
    }
}
