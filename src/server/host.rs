//! The `Host` rule of HTTP/1.1 (RFC 9112 §3.2): a request in HTTP/1.1
//! carries exactly one `Host` field, whose value is a host with an optional
//! port (empty when the target has no authority); any other is answered
//! `400`. HTTP/1.0 requests may leave it out, but one they send is checked
//! the same way.

use axum::http::{Request, Version, header};

/// Whether `request`'s `Host` fields obey the rule.
pub fn acceptable<B>(request: &Request<B>) -> bool {
    let mut fields = request.headers().get_all(header::HOST).iter();
    match (fields.next(), fields.next()) {
        (None, _) => request.version() < Version::HTTP_11,
        (Some(value), None) => valid(value.as_bytes()),
        (Some(_), Some(_)) => false,
    }
}

/// `uri-host [ ":" port ]`: an IP literal in brackets or a registered name
/// (letters, digits, `-._~`, sub-delimiters and percent escapes), then
/// after a colon the digits of a port a TCP connection can have (0 to
/// 65535; none at all is allowed, as RFC 3986 allows an empty port).
fn valid(value: &[u8]) -> bool {
    let (host, port) = match value.strip_prefix(b"[") {
        Some(literal) => {
            let Some(close) = literal.iter().position(|&b| b == b']') else {
                return false;
            };
            let inside = &literal[..close];
            let literal_char = |b: &u8| b.is_ascii_hexdigit() || b":.vV-_~!$&'()*+,;=".contains(b);
            if inside.is_empty() || !inside.iter().all(literal_char) {
                return false;
            }
            (&[][..], &literal[close + 1..])
        }
        None => match value.iter().position(|&b| b == b':') {
            Some(colon) => (&value[..colon], &value[colon..]),
            None => (value, &[][..]),
        },
    };
    let name_char = |b: &u8| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(b);
    let port_ok = match port.split_first() {
        None => true,
        Some((b':', digits)) => digits
            .iter()
            .try_fold(0u16, |port, &b| {
                let digit = b.is_ascii_digit().then(|| u16::from(b - b'0'))?;
                port.checked_mul(10)?.checked_add(digit)
            })
            .is_some(),
        Some(_) => false,
    };
    host.iter().all(name_char) && port_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(version: Version, hosts: &[&str]) -> Request<()> {
        let mut builder = Request::get("/feeds/news.rss").version(version);
        for host in hosts {
            builder = builder.header(header::HOST, *host);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn http_1_1_needs_exactly_one_valid_host() {
        let one = |host| acceptable(&request(Version::HTTP_11, &[host]));
        for good in [
            "feeds.example",
            "feeds.example:8080",
            "feeds.example:65535",
            "feeds.example:0",
            "feeds.example:",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[2001:db8::7]",
            "localhost",
            "xn--bcher-kva.example",
            "",
        ] {
            assert!(one(good), "{good:?}");
        }
        for bad in [
            "a b/c@",
            "user@feeds.example",
            "feeds.example/news",
            "feeds.example:80x",
            "feeds.example:65536",
            "a:99999",
            "[::1]:123456",
            "feeds.example:+80",
            "feeds.example:80:81",
            "[::1",
            "[]",
            "[::1]x",
        ] {
            assert!(!one(bad), "{bad:?}");
        }
        assert!(!acceptable(&request(Version::HTTP_11, &[])));
        assert!(!acceptable(&request(
            Version::HTTP_11,
            &["a.example", "b.example"]
        )));
    }

    #[test]
    fn http_1_0_may_leave_host_out() {
        assert!(acceptable(&request(Version::HTTP_10, &[])));
        assert!(acceptable(&request(Version::HTTP_10, &["feeds.example"])));
        assert!(!acceptable(&request(Version::HTTP_10, &["a b"])));
    }
}
