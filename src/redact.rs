//! URLs as they may be shown: on the public pages, in `/healthz`, in logs
//! and in error messages. A URL loses its userinfo (`user:password@`) and
//! the values of its query (`?key=…`) and of its fragment
//! (`#access_token=…`), where credentials and API keys hide; an item of
//! either without `=` (`?TOKEN`, `#TOKEN`) is a value too, and so is one
//! whose text before `=` is no name but may hold an address (a `:`, `/`
//! or `@`), as a proxy's query holding a whole URL
//! (`?https://user:pw@host/rss?token=t`) does. A reference
//! without `//` that starts with `user:password@` (a URL whose scheme was
//! forgotten) loses that start as well, a `mailto:` address aside. The scheme,
//! host, port, path and the names of query and fragment items stay, so the
//! operator can still tell which URL is meant. [`urls_in`] does this to every URL in a
//! text, whatever produced the text. A URL the operator must copy into the
//! config (a feed's new URL) is shown by [`url_to_copy`] instead, with the
//! query values that look like no credential.

use std::borrow::Cow;
use std::ops::Range;

/// What a query value is replaced with.
pub const HIDDEN: &str = "***";

/// `text` with every URL in it redacted by [`url()`]: each one
/// [`url_spans`] finds.
pub fn urls_in(text: &str) -> Cow<'_, str> {
    let spans = url_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut kept_from = 0;
    for span in spans {
        out.push_str(&text[kept_from..span.start]);
        out.push_str(&url(&text[span.clone()]));
        kept_from = span.end;
    }
    out.push_str(&text[kept_from..]);
    Cow::Owned(out)
}

/// Where the URLs in `text` are, in order: anything of the form
/// `scheme://…`, and `//…` (a URL without its scheme) where a word starts,
/// up to white space, a quote or an angle bracket.
pub fn url_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(slashes) = text[from..].find("//").map(|i| from + i) {
        let Some(start) = url_start(&text[from..], slashes - from).map(|i| from + i) else {
            from = slashes + 2;
            continue;
        };
        let after = slashes + 2;
        let length = text[after..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(text.len() - after);
        // Punctuation that ends a sentence or closes a bracket is not part
        // of the URL: `(http://host/a?k=v).` keeps `).` outside.
        let body =
            text[after..after + length].trim_end_matches(['.', ',', ':', ';', ')', ']', '}']);
        let end = after + body.len();
        spans.push(start..end);
        from = end;
    }
    spans
}

/// Where the URL whose `//` is at `slashes` in `text` starts: at its
/// scheme when `://` follows one, at the slashes when they start a word
/// and are followed by a host (a URL without its scheme); `None` when the
/// slashes are no URL's (`a // b`, `path//file`, `:// text`).
fn url_start(text: &str, slashes: usize) -> Option<usize> {
    let before = &text[..slashes];
    if let Some(scheme_text) = before.strip_suffix(':') {
        let scheme_start = scheme_text
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .last()
            .map(|(i, _)| i)?;
        return scheme_text[scheme_start..]
            .starts_with(|c: char| c.is_ascii_alphabetic())
            .then_some(scheme_start);
    }
    let starts_word = before
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '(' | '[' | '=' | '`'));
    let host_follows = text[slashes + 2..]
        .starts_with(|c: char| c.is_alphanumeric() || matches!(c, '[' | '%' | '_' | '-'));
    (starts_word && host_follows).then_some(slashes)
}

/// `url` without userinfo and with each value of its query and of its
/// fragment replaced by [`HIDDEN`]; the rest exactly as written. `url` is any URL reference:
/// absolute (`https://user@host/a?k=v`), without its scheme
/// (`//user@host/a?k=v`, as a redirect's `Location` may be) or relative
/// (`/a?k=v`), for a server may put a token in any of them.
pub fn url(url: &str) -> Cow<'_, str> {
    redacted(url, hidden_values)
}

/// `url` as the operator must copy it into the config (a feed's new URL,
/// in the warning that it moved): as [`url()`] shows it, but with the
/// values of its query that are no credential shown, for a feed's query
/// often says which feed it is (`/?feed=rss2&cat=3`). A value stays hidden
/// where a credential may be: under a name that holds a credential word
/// (`key`, `token`, `pass`, `auth`, `sig`, `session`, …), or looking
/// generated (32 characters or more, or 16 or more mixing letters and
/// digits): `?feed=rss2&token=s3cret` becomes `?feed=rss2&token=***`.
pub fn url_to_copy(url: &str) -> Cow<'_, str> {
    redacted(url, credentials_hidden)
}

/// How a query or a fragment (without its `?` or `#`) is shown.
type Shown = fn(&str) -> String;

/// `url` without userinfo, with its query as `query_shown` writes it and
/// each value of its fragment replaced by [`HIDDEN`]; the rest exactly as
/// written.
fn redacted(url: &str, query_shown: Shown) -> Cow<'_, str> {
    let after_scheme = scheme_end(url).map_or(0, |colon| colon + 1);
    let (userinfo, path_start) = match url[after_scheme..].strip_prefix("//") {
        Some(rest) => {
            let host_start = after_scheme + 2;
            let authority_end = rest
                .find(['/', '?', '#'])
                .map_or(url.len(), |i| host_start + i);
            let userinfo = url[host_start..authority_end]
                .rfind('@')
                .map(|at| host_start..host_start + at + 1);
            (userinfo, authority_end)
        }
        None => {
            let userinfo = userinfo_without_scheme(url);
            let path_start = userinfo.as_ref().map_or(after_scheme, |u| u.end);
            (userinfo, path_start)
        }
    };
    let hash = url[path_start..].find('#').map(|i| path_start + i);
    let query_end = hash.unwrap_or(url.len());
    let query = url[path_start..query_end]
        .find('?')
        .map(|i| path_start + i + 1..query_end);
    let fragment = hash.map(|hash| hash + 1..url.len());
    if userinfo.is_none() && query.is_none() && fragment.is_none() {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    let mut kept_from = match userinfo {
        Some(userinfo) => {
            out.push_str(&url[..userinfo.start]);
            userinfo.end
        }
        None => 0,
    };
    let parts: [(Option<Range<usize>>, Shown); 2] =
        [(query, query_shown), (fragment, hidden_values)];
    for (part, shown) in parts {
        let Some(part) = part else { continue };
        out.push_str(&url[kept_from..part.start]);
        out.push_str(&shown(&url[part.clone()]));
        kept_from = part.end;
    }
    out.push_str(&url[kept_from..]);
    Cow::Owned(out)
}

/// Schemes whose URLs have no authority and may hold an `@` that is no
/// password's (`mailto:desk@news.example`).
const SCHEMES_WITH_ADDRESSES: &[&str] = &["mailto", "news", "sip", "sips", "xmpp", "im", "pres"];

/// Where a user name and password lead `reference`, a reference without
/// `//`: `user:password@` (or `user@`) before the first `/`, `?` or `#`,
/// as in a URL whose scheme was forgotten (`alice:pw@host/feed`, which
/// reads as the scheme `alice:`), unless that scheme is one whose URLs
/// hold an address ([`SCHEMES_WITH_ADDRESSES`]).
fn userinfo_without_scheme(reference: &str) -> Option<Range<usize>> {
    let first_segment_end = reference.find(['/', '?', '#']).unwrap_or(reference.len());
    let at = reference[..first_segment_end].rfind('@')?;
    let address = scheme_end(reference).is_some_and(|colon| {
        SCHEMES_WITH_ADDRESSES
            .iter()
            .any(|scheme| reference[..colon].eq_ignore_ascii_case(scheme))
    });
    (!address).then_some(0..at + 1)
}

/// Where the scheme of `reference` ends (the index of its `:`), if it has
/// one: a letter, then letters, digits, `+`, `-` or `.`, then `:`
/// (RFC 3986 §3.1).
fn scheme_end(reference: &str) -> Option<usize> {
    let colon = reference.find([':', '/', '?', '#'])?;
    let scheme = &reference[..colon];
    let well_formed = reference[colon..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed.then_some(colon)
}

/// The name and the value of a query or fragment item: an item without
/// `=`, or whose text before `=` is no name ([`may_hold_an_address`]), is
/// all value, its name empty. A proxy's query is often a whole URL
/// (`?https://user:pw@host/rss?token=t`), whose `=` ends no name.
fn name_and_value(item: &str) -> (Option<&str>, &str) {
    match item.split_once('=') {
        Some((name, value)) if !may_hold_an_address(name) => (Some(name), value),
        _ => (None, item),
    }
}

/// Whether `text` may hold a URL or a user name and password: it has a
/// `:`, `/` or `@`, as written or percent-encoded, which the name of a
/// query item has not.
fn may_hold_an_address(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains([':', '/', '@']) || ["%3a", "%2f", "%40"].iter().any(|e| text.contains(e))
}

/// A query (without its `?`) or a fragment (without its `#`) with each
/// non-empty value replaced by [`HIDDEN`], an item without a name being
/// all value ([`name_and_value`]): `key=v&flag&empty=` becomes
/// `key=***&***&empty=`.
fn hidden_values(query: &str) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|item| match name_and_value(item) {
            (Some(name), value) if !value.is_empty() => format!("{name}={HIDDEN}"),
            (None, value) if !value.is_empty() => HIDDEN.to_string(),
            _ => item.to_string(),
        })
        .collect();
    pairs.join("&")
}

/// A query (without its `?`) with the values [`may_be_credential`]
/// replaced by [`HIDDEN`] and the rest as written: `feed=rss2&key=abc`
/// becomes `feed=rss2&key=***`.
fn credentials_hidden(query: &str) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|item| match name_and_value(item) {
            (Some(name), value) if may_be_credential(name, value) => {
                format!("{name}={HIDDEN}")
            }
            (None, value) if may_be_credential("", value) => HIDDEN.to_string(),
            _ => item.to_string(),
        })
        .collect();
    pairs.join("&")
}

/// Words a query item's name holds when its value is a credential or
/// stands for one (`api_key`, `access_token`, `password`, `auth`, `sig`,
/// `session_id`, `user`, an OAuth `code`).
const CREDENTIAL_NAMES: &[&str] = &[
    "key", "token", "secret", "pass", "pwd", "auth", "sig", "session", "sid", "cred", "code",
    "hash", "otp", "nonce", "private", "user", "login", "email",
];

/// Whether the query `value` of the item `name` (empty for an item without
/// `=`) may be a credential: the name says so ([`CREDENTIAL_NAMES`], in
/// any letter case), the value looks generated, as keys and tokens do
/// (32 characters or more, or 16 or more mixing letters and digits), or
/// it has an `@`, as an address or a URL's user name and password have.
fn may_be_credential(name: &str, value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    let name = name.to_ascii_lowercase();
    let named = CREDENTIAL_NAMES.iter().any(|word| name.contains(word));
    let length = value.chars().count();
    let mixed =
        value.chars().any(|c| c.is_ascii_alphabetic()) && value.chars().any(|c| c.is_ascii_digit());
    let userinfo = value.contains('@') || value.to_ascii_lowercase().contains("%40");
    named || userinfo || length >= 32 || (length >= 16 && mixed)
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
            "https://api.example/feed?api_key=***&lang=***&***#***"
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
    fn userinfo_is_hidden_when_the_scheme_is_missing() {
        assert_eq!(
            url("alice:S3CRET@news.example/rss?key=k"),
            "news.example/rss?key=***"
        );
        assert_eq!(url("alice@news.example"), "news.example");
        assert_eq!(url("hub.example/?key=s3cret"), "hub.example/?key=***");
        // An `@` in the path is not userinfo.
        assert_eq!(url("news.example/@someone"), "news.example/@someone");
        assert_eq!(url("/a/@b?c=d"), "/a/@b?c=***");
    }

    #[test]
    fn a_url_to_copy_shows_the_query_values_that_are_no_credential() {
        assert_eq!(
            url_to_copy("http://u:pw@blog.example/blog/?feed=rss2&cat=3#top"),
            "http://blog.example/blog/?feed=rss2&cat=3#***"
        );
        assert_eq!(
            url_to_copy("https://x.example/f?format=atom&api_key=AKIA1&Access_Token=t&sig=9"),
            "https://x.example/f?format=atom&api_key=***&Access_Token=***&sig=***"
        );
        // Values that look generated are hidden whatever their name.
        assert_eq!(
            url_to_copy("https://x.example/f?id=8f14e45fceea167a5a36&p=12&rss"),
            "https://x.example/f?id=***&p=12&rss"
        );
        assert_eq!(
            url_to_copy(
                "https://x.example/f?q=abcdefghijklmnopqrstuvwxyzabcdef&a8f3b2c1d4e5f6a7b8c9"
            ),
            "https://x.example/f?q=***&***"
        );
        assert_eq!(
            url_to_copy("https://x.example/f?lang=en&k="),
            "https://x.example/f?lang=en&k="
        );
        assert_eq!(
            url_to_copy("https://x.example/f.xml"),
            "https://x.example/f.xml"
        );
    }

    #[test]
    fn a_bare_query_and_the_fragment_are_hidden_too() {
        assert_eq!(
            url("https://x.example/feed?SECRETTOKEN"),
            "https://x.example/feed?***"
        );
        assert_eq!(
            url("https://x.example/cb#access_token=abc&token_type=bearer"),
            "https://x.example/cb#access_token=***&token_type=***"
        );
        assert_eq!(url("https://x.example/#s3cret"), "https://x.example/#***");
        assert_eq!(
            url("https://x.example/a?k=&&v=1#"),
            "https://x.example/a?k=&&v=***#"
        );
        // A `?` inside the fragment is part of it.
        assert_eq!(url("/a#b?c=1"), "/a#b?c=***");
        assert_eq!(
            urls_in("see http://x.example/f?TOKEN#t=1, ok"),
            "see http://x.example/f?***#t=***, ok"
        );
    }

    #[test]
    fn a_url_in_the_query_is_hidden_whole() {
        let proxied = "http://proxy.example/?https://alice:Hunter2@feeds.example/rss?token=abc";
        assert_eq!(url(proxied), "http://proxy.example/?***");
        assert_eq!(url_to_copy(proxied), "http://proxy.example/?***");
        assert_eq!(
            urls_in(&format!("{proxied}: HTTP 404 (from {proxied})")),
            "http://proxy.example/?***: HTTP 404 (from http://proxy.example/?***)"
        );
        // Percent-encoded, and followed by the proxy's own items.
        assert_eq!(
            url("http://p.example/?https%3A%2F%2Falice%3AHunter2%40f.example%2Frss%3Ft=1&ttl=5"),
            "http://p.example/?***&ttl=***"
        );
        assert_eq!(
            url("https://x.example/#/cb?token=abc"),
            "https://x.example/#***"
        );
        // A value holding a user name and password is no value to copy.
        assert_eq!(
            url_to_copy("http://p.example/?url=http://al:pw@f.example/&fmt=rss"),
            "http://p.example/?url=***&fmt=rss"
        );
        assert_eq!(
            url_to_copy("http://p.example/?to=al%40f.example"),
            "http://p.example/?to=***"
        );
        // A plain URL as a value is shown where it may be copied.
        assert_eq!(
            url_to_copy("http://p.example/?url=https://f.example/rss"),
            "http://p.example/?url=https://f.example/rss"
        );
    }

    #[test]
    fn references_without_a_scheme_are_redacted_too() {
        assert_eq!(
            url("//reader:hunter2@127.0.0.1:9/feed.xml?sig=TOKEN#top"),
            "//127.0.0.1:9/feed.xml?sig=***#***"
        );
        assert_eq!(url("/feed2.xml?sig=TOKEN&v=2"), "/feed2.xml?sig=***&v=***");
        assert_eq!(url("next?page=2#list"), "next?page=***#***");
        // Without an authority an `@` is part of the path.
        assert_eq!(
            url("mailto:desk@news.example?subject=tip"),
            "mailto:desk@news.example?subject=***"
        );
        assert!(matches!(url("/feed2.xml"), Cow::Borrowed(_)));
        assert!(matches!(url("../in/wire.xml"), Cow::Borrowed(_)));
    }

    #[test]
    fn urls_without_a_scheme_are_found_where_a_word_starts() {
        assert_eq!(
            urls_in("to=//u:pw@host.example/x?k=v from \"//a@b.example/?t=1\""),
            "to=//host.example/x?k=*** from \"//b.example/?t=***\""
        );
        assert_eq!(
            urls_in("a // b, in//file?x=1 and ://odd"),
            "a // b, in//file?x=1 and ://odd"
        );
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
