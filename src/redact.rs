//! URLs as they may be shown: on the public pages, in `/healthz`, in logs
//! and in error messages. A URL loses its userinfo (`user:password@`) and
//! the values of its query (`?key=…`), where credentials and API keys hide;
//! the scheme, host, port, path and query names stay, so the operator can
//! still tell which URL is meant. [`urls_in`] does this to every URL in a
//! text, whatever produced the text.

use std::borrow::Cow;

/// What a query value is replaced with.
pub const HIDDEN: &str = "***";

/// `text` with every URL in it (anything of the form `scheme://…`, up to
/// white space, a quote or an angle bracket) redacted by [`url()`].
pub fn urls_in(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(separator) = rest.find("://") {
        let scheme_start = rest[..separator]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .last()
            .map_or(separator, |(i, _)| i);
        let after = separator + 3;
        let length = rest[after..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(rest.len() - after);
        // Punctuation that ends a sentence or closes a bracket is not part
        // of the URL: `(http://host/a?k=v).` keeps `).` outside.
        let body =
            rest[after..after + length].trim_end_matches(['.', ',', ':', ';', ')', ']', '}']);
        let end = after + body.len();
        out.push_str(&rest[..scheme_start]);
        if scheme_start == separator {
            // No scheme before `://`: not a URL.
            out.push_str(&rest[separator..end]);
        } else {
            out.push_str(&url(&rest[scheme_start..end]));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `url` without userinfo and with each query value replaced by
/// [`HIDDEN`]; the rest exactly as written.
pub fn url(url: &str) -> Cow<'_, str> {
    let Some(separator) = url.find("://") else {
        return Cow::Borrowed(url);
    };
    let after = separator + 3;
    let authority_end = url[after..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after + i);
    let host_start = url[after..authority_end]
        .rfind('@')
        .map_or(after, |at| after + at + 1);
    let query = url[authority_end..].find('?').map(|i| authority_end + i);
    if host_start == after && query.is_none() {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(&url[..after]);
    match query {
        None => out.push_str(&url[host_start..]),
        Some(query) => {
            out.push_str(&url[host_start..=query]);
            let fragment = url[query..].find('#').map_or(url.len(), |i| query + i);
            let pairs: Vec<String> = url[query + 1..fragment]
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, value)) if !value.is_empty() => format!("{name}={HIDDEN}"),
                    _ => pair.to_string(),
                })
                .collect();
            out.push_str(&pairs.join("&"));
            out.push_str(&url[fragment..]);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_and_query_values_are_hidden() {
        assert_eq!(
            url("http://user:password@host.example:8080/private.rss"),
            "http://host.example:8080/private.rss"
        );
        assert_eq!(
            url("https://api.example/feed?api_key=AKIA123&lang=en&flag#top"),
            "https://api.example/feed?api_key=***&lang=***&flag#top"
        );
        assert_eq!(
            url("https://token@api.example?key=s3cret"),
            "https://api.example?key=***"
        );
        // An `@` in the path is not userinfo.
        assert_eq!(
            url("https://host.example/@someone/feed"),
            "https://host.example/@someone/feed"
        );
        assert!(matches!(
            url("https://host.example/feed.xml"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn every_url_in_a_text_is_redacted_and_the_rest_kept() {
        assert_eq!(
            urls_in(
                "http://u:pw@127.0.0.1:9/x.rss?k=v: could not connect: error sending request for url (HTTP://u:pw@127.0.0.1:9/x.rss?k=v)."
            ),
            "http://127.0.0.1:9/x.rss?k=***: could not connect: error sending request for url (HTTP://127.0.0.1:9/x.rss?k=***)."
        );
        assert_eq!(
            urls_in("redirected to \"https://a:b@c.example/?t=1\", which is not"),
            "redirected to \"https://c.example/?t=***\", which is not"
        );
        assert_eq!(urls_in("no address here"), "no address here");
        assert_eq!(urls_in("odd :// text"), "odd :// text");
        assert_eq!(
            urls_in("ünï http://ü:ö@hôst/ä?ß=ç ok"),
            "ünï http://hôst/ä?ß=*** ok"
        );
    }
}
