//! Validators for the HTML pages (`/`, `/articles`), as the feeds have
//! them: a strong `ETag`, a hash of the page as made, so that a cache
//! revalidating a page with `If-None-Match` gets `304 Not Modified` when
//! it has not changed. A page sent compressed is not byte for byte what
//! the strong tag names: it carries the tag weak (`W/"…"`), which
//! `If-None-Match` compares just the same.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cache::{strong_etag, weak_etag};
use super::feeds::none_match;

/// Gives a page's `200` answer its strong ETag, and answers `304` with no
/// body instead when the request's `If-None-Match` names it.
pub async fn validated(request: Request, next: Next) -> Response {
    let conditions: HeaderMap = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .map(|value| (header::IF_NONE_MATCH, value.clone()))
        .collect();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(page) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = HeaderValue::from_str(&strong_etag(&page)).expect("hex ETag is a valid header");
    if none_match(&conditions, &etag) == Some(true) {
        return not_modified(&conditions, etag);
    }
    parts.headers.insert(header::ETAG, etag);
    Response::from_parts(parts, Body::from(page))
}

/// The `304` for a page whose ETag is `etag`: the tag in the form the
/// client holds it (weak when `If-None-Match` names it weak only, as a
/// compressed copy is), so that a cache updates the copy it has, and
/// `Vary` as the page's `200` has it.
fn not_modified(conditions: &HeaderMap, etag: HeaderValue) -> Response {
    let strong = etag.to_str().unwrap_or_default();
    let held_strong = conditions
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|field| field.to_str().ok())
        .flat_map(|field| field.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag == strong);
    let etag = if held_strong { etag } else { weak_etag(strong) };
    (
        StatusCode::NOT_MODIFIED,
        [
            (header::ETAG, etag),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
    )
        .into_response()
}

/// Makes a strong ETag weak on an answer sent compressed.
pub async fn weak_when_compressed(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if headers.contains_key(header::CONTENT_ENCODING)
        && let Some(etag) = headers.get(header::ETAG)
        && !etag.as_bytes().starts_with(b"W/")
    {
        let weakened = weak_etag(etag.to_str().unwrap_or_default());
        headers.insert(header::ETAG, weakened);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(tags: &[&str]) -> HeaderMap {
        tags.iter()
            .map(|tag| (header::IF_NONE_MATCH, HeaderValue::from_str(tag).unwrap()))
            .collect()
    }

    #[test]
    fn a_304_names_the_page_as_the_client_holds_it() {
        let etag = HeaderValue::from_static("\"abc\"");
        let tag = |tags: &[&str]| {
            not_modified(&asking(tags), etag.clone()).headers()[header::ETAG].clone()
        };
        assert_eq!(tag(&["\"abc\""]), "\"abc\"");
        assert_eq!(tag(&["W/\"abc\""]), "W/\"abc\"");
        assert_eq!(tag(&["\"x\", W/\"abc\""]), "W/\"abc\"");
        assert_eq!(tag(&["W/\"abc\"", "\"abc\""]), "\"abc\"");
        assert_eq!(tag(&["*"]), "\"abc\"");
        let answer = not_modified(&asking(&["\"abc\""]), etag.clone());
        assert_eq!(answer.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(answer.headers()[header::VARY], "accept-encoding");
    }

    #[tokio::test]
    async fn only_compressed_answers_have_their_etag_weakened() {
        let answer = |encoding: Option<&'static str>, etag: &'static str| {
            let mut response = Response::new(Body::empty());
            response
                .headers_mut()
                .insert(header::ETAG, HeaderValue::from_static(etag));
            if let Some(encoding) = encoding {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let etag = |response: Response| response.headers()[header::ETAG].clone();
        assert_eq!(
            etag(weak_when_compressed(answer(Some("gzip"), "\"abc\"")).await),
            "W/\"abc\""
        );
        assert_eq!(
            etag(weak_when_compressed(answer(Some("br"), "W/\"abc\"")).await),
            "W/\"abc\""
        );
        assert_eq!(
            etag(weak_when_compressed(answer(None, "\"abc\"")).await),
            "\"abc\""
        );
    }
}
