//! The request path as the server routes it: percent-encoded unreserved
//! characters decoded (RFC 3986 §6.2.2.2: `/%66eeds/%6Eews.rss` is
//! `/feeds/news.rss`), every other escape kept as sent, so an encoded `/`
//! (`%2F`) stays part of one segment and an invalid escape stays invalid.
//! Dot segments, decoded or not, are never resolved: a path with `..` in
//! it names no route.

use axum::http::Uri;
use axum::http::uri::PathAndQuery;

/// `uri` with the escapes of unreserved characters in its path decoded, or
/// `None` when its path holds none (the query is left as sent).
pub fn decode_unreserved(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let decoded = decode_unreserved_escapes(path)?;
    let path_and_query = match uri.query() {
        Some(query) => format!("{decoded}?{query}"),
        None => decoded,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(path_and_query).ok()?);
    Uri::from_parts(parts).ok()
}

/// `path` with each `%XX` that encodes an unreserved character (ALPHA,
/// DIGIT, `-._~`) replaced by that character; `None` when there is none.
fn decode_unreserved_escapes(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = String::with_capacity(path.len());
    let mut changed = false;
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| escaped_byte(bytes.get(at + 1..at + 3)?))
            .flatten()
            .filter(|&b| is_unreserved(b));
        match escaped {
            Some(character) => {
                decoded.push(char::from(character));
                changed = true;
                at += 3;
            }
            None => {
                let next = path[at..].chars().next()?;
                decoded.push(next);
                at += next.len_utf8();
            }
        }
    }
    changed.then_some(decoded)
}

/// The byte two hex digits name.
fn escaped_byte(digits: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, 16)
        .ok()
        .filter(|_| digits.iter().all(u8::is_ascii_hexdigit))
}

/// RFC 3986 §2.3: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(target: &str) -> Option<String> {
        decode_unreserved(&target.parse().unwrap()).map(|uri| uri.to_string())
    }

    #[test]
    fn escapes_of_unreserved_characters_are_decoded() {
        assert_eq!(
            decoded("/%66eeds/news.rss").as_deref(),
            Some("/feeds/news.rss")
        );
        assert_eq!(
            decoded("/feeds/%6Eews%2Erss").as_deref(),
            Some("/feeds/news.rss")
        );
        assert_eq!(
            decoded("/%61rticles?from=%61b").as_deref(),
            Some("/articles?from=%61b"),
            "the query is left as sent"
        );
        assert_eq!(
            decoded("/%7E%2d%5F%30").as_deref(),
            Some("/~-_0"),
            "either case of hex digit"
        );
        assert_eq!(
            decoded("http://feeds.example/%66eeds/news.rss").as_deref(),
            Some("http://feeds.example/feeds/news.rss")
        );
    }

    #[test]
    fn other_escapes_and_invalid_ones_are_kept() {
        for kept in [
            "/feeds/news.rss",
            "/feeds/%2Fetc%2fpasswd.rss",
            "/feeds/no%20where.rss",
            "/feeds/news.rss%00.json",
            "/feeds/%zz.rss",
            "/feeds/%6",
            "/feeds/%",
            "/feeds/%+1.rss",
            "/feeds/%C3%A9.rss",
        ] {
            assert_eq!(decoded(kept), None, "{kept}");
        }
        assert_eq!(
            decoded("/feeds/%2e%2e%2fconfig.toml").as_deref(),
            Some("/feeds/..%2fconfig.toml"),
            "an encoded `/` stays encoded"
        );
        assert_eq!(
            decoded("/feeds/%6%65").as_deref(),
            Some("/feeds/%6e"),
            "decoded once, never again"
        );
    }
}
