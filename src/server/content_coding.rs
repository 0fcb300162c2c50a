//! Content codings (RFC 9110 §8.4, §12.5.3), one negotiation for every
//! answer the server gives: the feeds pick among the codings each body is
//! kept in ([`super::cache`]), and every other answer (the pages,
//! `/healthz`, the push API) is compressed per request by [`compressed`],
//! by the same preference of the request's `Accept-Encoding`. Every
//! answer, whichever way it was made, leaves by [`finish`].

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cache::weak_etag;

/// A content coding a body is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }

    /// The names `Accept-Encoding` may give this coding by.
    fn names(self) -> &'static [&'static str] {
        match self {
            Encoding::Identity => &["identity"],
            Encoding::Gzip => &["gzip", "x-gzip"],
            Encoding::Brotli => &["br"],
        }
    }
}

/// Compression levels. Each feed version is compressed once, so more
/// effort would cost little per request, but it is paid at start-up for
/// every feed and on every change of a large feed: on a 180 KB feed, brotli
/// quality 5 takes about 5 ms for 17.1 KB, quality 9 about 50 ms for 15.3 KB,
/// quality 11 over a second for 14.1 KB; gzip level 6 gives 18.4 KB in
/// about 5 ms and level 9 saves 1% more.
const GZIP_LEVEL: u32 = 6;
const BROTLI_QUALITY: i32 = 5;
/// brotli's window (log2 of its size), its default.
const BROTLI_WINDOW: i32 = 22;

/// `body` gzip-compressed, or `None` when that does not make it smaller.
pub fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(GZIP_LEVEL),
    );
    encoder.write_all(body).ok()?;
    smaller(encoder.finish().ok()?, body)
}

/// `body` brotli-compressed, or `None` when that does not make it smaller.
pub fn brotli(body: &[u8]) -> Option<Bytes> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        size_hint: body.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(body.len() / 4);
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
    smaller(out, body)
}

/// `compressed` as kept (without the spare capacity it was written with),
/// when it is smaller than `body`.
fn smaller(mut compressed: Vec<u8>, body: &[u8]) -> Option<Bytes> {
    (compressed.len() < body.len()).then(|| {
        compressed.shrink_to_fit();
        Bytes::from(compressed)
    })
}

/// `body` in `encoding`, or `None` when that coding does not make it
/// smaller (identity never does).
fn compress(encoding: Encoding, body: &[u8]) -> Option<Bytes> {
    match encoding {
        Encoding::Identity => None,
        Encoding::Gzip => gzip(body),
        Encoding::Brotli => brotli(body),
    }
}

/// The codings to answer `request` in, the most preferred first, always
/// ending with identity (the body as it is, the fallback when no other
/// coding can be sent): brotli and gzip when `Accept-Encoding` rates them
/// above 0 and no lower than `identity`, the higher q-value first (brotli
/// on a tie). A coding's rating is its own entry's q-value, else that of
/// `*` (which names every coding not listed, `identity` too), else 0 (not
/// asked for); without `Accept-Encoding`, only identity.
pub fn preference(request: &HeaderMap) -> Vec<Encoding> {
    if !request.contains_key(header::ACCEPT_ENCODING) {
        return vec![Encoding::Identity];
    }
    let identity = quality(request, Encoding::Identity);
    let mut compressions: Vec<(Encoding, f32)> = [Encoding::Brotli, Encoding::Gzip]
        .into_iter()
        .map(|encoding| (encoding, quality(request, encoding)))
        .filter(|&(_, q)| q > 0.0 && q >= identity)
        .collect();
    // A stable sort keeps brotli ahead of gzip on a tie.
    compressions.sort_by(|(_, a), (_, b)| b.total_cmp(a));
    compressions
        .into_iter()
        .map(|(encoding, _)| encoding)
        .chain([Encoding::Identity])
        .collect()
}

/// The coding to answer `request` in among those `available` says the
/// body can be sent in: the first of [`preference`] it allows (identity
/// always can).
pub fn choose(request: &HeaderMap, available: impl Fn(Encoding) -> bool) -> Encoding {
    preference(request)
        .into_iter()
        .find(|&encoding| encoding == Encoding::Identity || available(encoding))
        .unwrap_or(Encoding::Identity)
}

/// The q-value `Accept-Encoding` gives `encoding`: its own entry's, else
/// that of `*`, else 0 (not asked for); its list read from every field it
/// is sent in.
fn quality(request: &HeaderMap, encoding: Encoding) -> f32 {
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
        if encoding
            .names()
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        {
            named = Some(named.map_or(q, |before| before.max(q)));
        } else if name == "*" {
            any = Some(q);
        }
    }
    named.or(any).unwrap_or(0.0)
}

/// Compresses the answer to every request routed past it, in the coding
/// the client prefers ([`preference`]) when that makes the body smaller, with
/// `Vary: Accept-Encoding`; a strong ETag is sent weak on a compressed
/// answer, which is not byte for byte what the tag names. A `HEAD` gets
/// the head its `GET` would: the body is made, coded and measured, then
/// left out.
pub async fn compressed(mut request: Request, next: Next) -> Response {
    let accepted = request.headers().clone();
    let head_only = request.method() == Method::HEAD;
    if head_only {
        *request.method_mut() = Method::GET;
    }
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    vary_by_encoding(&mut parts.headers);
    if parts.headers.contains_key(header::CONTENT_ENCODING) {
        return Response::from_parts(parts, body);
    }
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let coded = code_body(preference(&accepted)[0], body.clone()).await;
    let body = match coded {
        Some((encoding, coded)) => {
            mark_coded(&mut parts.headers, encoding);
            coded
        }
        None => body,
    };
    if head_only && carries_content(parts.status) {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    if head_only {
        return Response::from_parts(parts, Body::empty());
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Bodies longer than this are coded on a thread kept for blocking work,
/// so that coding a large page holds up no other answer; a feed file this
/// large that another process replaced is left for the poll of the folder
/// to compress ([`super::cache::FeedCache::answering`]).
pub(super) const CODED_ASIDE_BYTES: usize = 64 * 1024;

/// `body` coded in `encoding`, when that makes it smaller; only the most
/// preferred coding is tried: a body one compression cannot shrink, the
/// other cannot either.
async fn code_body(encoding: Encoding, body: Bytes) -> Option<(Encoding, Bytes)> {
    if encoding == Encoding::Identity {
        return None;
    }
    let coded = if body.len() > CODED_ASIDE_BYTES {
        tokio::task::spawn_blocking(move || compress(encoding, &body))
            .await
            .ok()?
    } else {
        compress(encoding, &body)
    };
    Some((encoding, coded?))
}

/// Whether an answer with `status` has content whose length a `HEAD`
/// tells (a `304` or `204` has none).
fn carries_content(status: StatusCode) -> bool {
    status != StatusCode::NOT_MODIFIED && status != StatusCode::NO_CONTENT
}

/// The last touch on every answer the server sends, however it was made
/// (the feeds' own path, the router, a refusal before routing):
/// `Vary: Accept-Encoding`, since any answer may be negotiated, and the
/// head a `GET` gets, so that `HEAD` tells the same: the body's length
/// when it is known and not given, and no `Content-Length` on an answer
/// that has no content (`304`, `204`; RFC 9110 §8.6, §15.4.5).
pub fn finish(response: &mut Response) {
    let status = response.status();
    let headers = response.headers_mut();
    vary_by_encoding(headers);
    if !carries_content(status) {
        headers.remove(header::CONTENT_LENGTH);
        return;
    }
    let known = axum::body::HttpBody::size_hint(response.body()).exact();
    if let Some(length) = known
        && !response.headers().contains_key(header::CONTENT_LENGTH)
    {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
}

/// Adds `accept-encoding` to `Vary` unless it is there already.
fn vary_by_encoding(headers: &mut HeaderMap) {
    let named = headers.get_all(header::VARY).iter().any(|value| {
        value.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|n| n.trim().eq_ignore_ascii_case("accept-encoding"))
        })
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// The head of an answer now sent in `encoding`: its `Content-Encoding`,
/// and its ETag weak.
fn mark_coded(headers: &mut HeaderMap, encoding: Encoding) {
    headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(encoding.token()),
    );
    headers.remove(header::ACCEPT_RANGES);
    if let Some(etag) = headers.get(header::ETAG)
        && !etag.as_bytes().starts_with(b"W/")
    {
        let weakened = weak_etag(etag.to_str().unwrap_or_default());
        headers.insert(header::ETAG, weakened);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    /// The coding chosen for `accept_encoding` when every coding can be
    /// sent.
    fn chosen(accept_encoding: &str) -> Encoding {
        choose(&accepting(accept_encoding), |_| true)
    }

    #[test]
    fn the_coding_follows_the_q_values_of_accept_encoding() {
        assert_eq!(chosen("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(chosen("BR;q=0.5"), Encoding::Brotli);
        assert_eq!(chosen("gzip"), Encoding::Gzip);
        assert_eq!(chosen("x-gzip"), Encoding::Gzip);
        assert_eq!(chosen("gzip;q=1, br;q=0.5"), Encoding::Gzip);
        assert_eq!(chosen("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(chosen("identity"), Encoding::Identity);
        assert_eq!(chosen("gzip;q=0, br;q=0"), Encoding::Identity);
        assert_eq!(chosen("gzip;Q=0.000, br;q=0"), Encoding::Identity);
        assert_eq!(chosen(""), Encoding::Identity);
        assert_eq!(choose(&HeaderMap::new(), |_| true), Encoding::Identity);
        // `identity` rated above every compression keeps the body as it is.
        assert_eq!(chosen("gzip;q=0.1, identity;q=1"), Encoding::Identity);
        assert_eq!(chosen("br;q=0.2, gzip;q=0.1, identity"), Encoding::Identity);
        assert_eq!(chosen("gzip;q=0.6, identity;q=0.5"), Encoding::Gzip);
        assert_eq!(chosen("br, identity"), Encoding::Brotli);
        assert_eq!(chosen("gzip;q=0.5, identity;q=0"), Encoding::Gzip);
    }

    #[test]
    fn a_star_names_every_coding_not_listed() {
        assert_eq!(chosen("*"), Encoding::Brotli);
        assert_eq!(chosen("identity;q=0, *"), Encoding::Brotli);
        assert_eq!(chosen("*, identity;q=0"), Encoding::Brotli);
        assert_eq!(chosen("br;q=0, *"), Encoding::Gzip);
        assert_eq!(chosen("br;q=0, *;q=0.3"), Encoding::Gzip);
        assert_eq!(chosen("identity;q=1, *;q=0.5"), Encoding::Identity);
        assert_eq!(chosen("br;q=0.4, *;q=0.8"), Encoding::Gzip);
        assert_eq!(chosen("gzip;q=0.2, *;q=0.6"), Encoding::Brotli);
        assert_eq!(chosen("*;q=0"), Encoding::Identity);
    }

    #[test]
    fn only_codings_the_body_can_be_sent_in_are_chosen() {
        let only = |available: Encoding| {
            move |accept_encoding: &str| {
                choose(&accepting(accept_encoding), |encoding| {
                    encoding == available
                })
            }
        };
        assert_eq!(only(Encoding::Gzip)("br, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(only(Encoding::Brotli)("gzip, br;q=0.5"), Encoding::Brotli);
        assert_eq!(
            only(Encoding::Identity)("identity;q=0, *"),
            Encoding::Identity,
            "a body no coding shrinks is sent as it is"
        );
    }

    #[test]
    fn preference_ends_with_identity() {
        assert_eq!(
            preference(&accepting("gzip;q=0.5, br")),
            [Encoding::Brotli, Encoding::Gzip, Encoding::Identity]
        );
        assert_eq!(
            preference(&accepting("identity;q=0.7, gzip;q=0.5, br")),
            [Encoding::Brotli, Encoding::Identity]
        );
        assert_eq!(preference(&HeaderMap::new()), [Encoding::Identity]);
    }

    #[test]
    fn bodies_are_compressed_only_when_that_makes_them_smaller() {
        use std::io::Read;
        let text: Vec<u8> = (0..200)
            .flat_map(|i| format!("<li>entry {i}</li>\n").into_bytes())
            .collect();
        let gzipped = compress(Encoding::Gzip, &text).expect("gzip shrinks it");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&gzipped[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, text);
        assert!(compress(Encoding::Brotli, &text).is_some());
        assert!(compress(Encoding::Identity, &text).is_none());
        assert!(compress(Encoding::Gzip, b"{}").is_none());
        assert!(compress(Encoding::Brotli, b"").is_none());
    }

    #[test]
    fn a_coded_answer_carries_its_coding_and_its_etag_weak() {
        let head = |etag: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ETAG, HeaderValue::from_static(etag));
            headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            mark_coded(&mut headers, Encoding::Brotli);
            headers
        };
        let strong = head("\"abc\"");
        assert_eq!(strong[header::ETAG], "W/\"abc\"");
        assert_eq!(strong[header::CONTENT_ENCODING], "br");
        assert!(!strong.contains_key(header::ACCEPT_RANGES));
        assert_eq!(head("W/\"abc\"")[header::ETAG], "W/\"abc\"");
    }

    #[test]
    fn every_answer_is_finished_with_vary_and_the_length_get_would_send() {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        not_modified
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(0));
        finish(&mut not_modified);
        assert!(!not_modified.headers().contains_key(header::CONTENT_LENGTH));
        assert_eq!(not_modified.headers()[header::VARY], "accept-encoding");

        let mut not_found = StatusCode::NOT_FOUND.into_response();
        finish(&mut not_found);
        assert_eq!(not_found.headers()[header::CONTENT_LENGTH], "0");
        assert_eq!(not_found.headers()[header::VARY], "accept-encoding");

        let mut told = Response::new(Body::empty());
        told.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(1234));
        finish(&mut told);
        assert_eq!(
            told.headers()[header::CONTENT_LENGTH],
            "1234",
            "a HEAD's length is kept"
        );
    }

    #[test]
    fn vary_names_accept_encoding_once() {
        let mut headers = HeaderMap::new();
        vary_by_encoding(&mut headers);
        vary_by_encoding(&mut headers);
        assert_eq!(headers.get_all(header::VARY).iter().count(), 1);
        let mut other = HeaderMap::new();
        other.insert(
            header::VARY,
            HeaderValue::from_static("origin, Accept-Encoding"),
        );
        vary_by_encoding(&mut other);
        assert_eq!(other.get_all(header::VARY).iter().count(), 1);
    }
}
