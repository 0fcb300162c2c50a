//! Validators for the HTML pages (`/`, `/articles`), as the feeds have
//! them: a strong `ETag`, a hash of the page as made, which the server's
//! conditional requests ([`super::conditional`]) are evaluated against,
//! so that a cache revalidating a page with `If-None-Match` gets `304 Not
//! Modified` when it has not changed, and an `If-Match` that names another
//! version gets `412`. A page sent compressed is not byte for byte what
//! the strong tag names: it carries the tag weak (`W/"…"`,
//! [`super::content_coding`]), which `If-None-Match` compares just the
//! same.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cache::strong_etag;

/// Gives a page's `200` answer its strong ETag.
pub async fn tagged(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(page) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = HeaderValue::from_str(&strong_etag(&page)).expect("hex ETag is a valid header");
    parts.headers.insert(header::ETAG, etag);
    Response::from_parts(parts, Body::from(page))
}
