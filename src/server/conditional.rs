//! Conditional requests (RFC 9110 §13), one evaluation for every answer
//! the server gives: to `GET` and `HEAD`, the feeds evaluate it against
//! their cached validators ([`super::feeds`]), and every other answer (the
//! pages, `/healthz`, the push API's reads) passes [`preconditions`], which
//! evaluates it against the `ETag` the answer carries, if any. `If-Match`
//! and `If-Unmodified-Since` that fail answer `412 Precondition Failed`,
//! `If-None-Match` and `If-Modified-Since` that hold `304 Not Modified`,
//! both without a body. A method that changes its target (the push API's
//! `POST`) is evaluated by the same rule before it is performed, against
//! the target's current state ([`evaluate_before_change`]), once the
//! request is known to be one the method would otherwise perform.

use std::time::SystemTime;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What a request's preconditions make of an answer (RFC 9110 §13.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// No precondition stands in the way: the answer as made.
    Holds,
    /// The client's copy is current: `304 Not Modified`.
    NotModified,
    /// `If-Match` or `If-Unmodified-Since` failed: `412`.
    Failed,
}

/// The validators of the representation a `GET` or `HEAD` selected.
#[derive(Debug, Clone, Copy, Default)]
pub struct Validators<'a> {
    /// Its strong entity tag, if it has one.
    pub etag: Option<&'a HeaderValue>,
    /// The earliest date that shows a client has it (its Last-Modified,
    /// or later: [`super::cache::CachedBody::fresh_since`]), if it has one.
    pub fresh_since: Option<SystemTime>,
}

/// RFC 9110 §13.2.2 for a `GET` or `HEAD` of a representation with
/// `validators`: `If-Match` (or else `If-Unmodified-Since`) first, then
/// `If-None-Match` (or else `If-Modified-Since`).
pub fn evaluate(request: &HeaderMap, validators: Validators<'_>) -> Precondition {
    if precondition_failed(request, validators) {
        Precondition::Failed
    } else if not_modified(request, validators) {
        Precondition::NotModified
    } else {
        Precondition::Holds
    }
}

/// RFC 9110 §13.2.2 for a method that changes a target whose current
/// representation has `current` validators, evaluated before the method
/// is performed: `Failed` when `If-Match` or `If-Unmodified-Since` fails,
/// or when `If-None-Match` names the current representation (`*` does
/// whenever there is one), since a `304` answers only `GET` and `HEAD`
/// (§13.1.2); `If-Modified-Since` is read by those two alone (§13.1.3).
pub fn evaluate_before_change(request: &HeaderMap, current: Validators<'_>) -> Precondition {
    if precondition_failed(request, current) || none_match(request, current.etag) == Some(true) {
        Precondition::Failed
    } else {
        Precondition::Holds
    }
}

/// `If-Match` decides when present (`*`, or one of its tags the same as
/// the ETag by strong comparison: a weak tag never matches, and none
/// matches a representation without one), read from every field it is
/// sent in; otherwise `If-Unmodified-Since` fails when the representation
/// is newer than it, and is ignored when it is no date or the
/// representation has none.
fn precondition_failed(request: &HeaderMap, validators: Validators<'_>) -> bool {
    if request.contains_key(header::IF_MATCH) {
        let ours = validators.etag.and_then(|etag| etag.to_str().ok());
        let matched =
            listed_tags(request, &header::IF_MATCH).any(|tag| tag == "*" || Some(tag) == ours);
        return !matched;
    }
    let Some(fresh_since) = validators.fresh_since else {
        return false;
    };
    request
        .get(header::IF_UNMODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| fresh_since > since)
}

/// `If-None-Match` decides when present (weak comparison, its list read
/// from every field it is sent in, as one comma-separated field);
/// otherwise `If-Modified-Since`, which must be no earlier than
/// `fresh_since`. Malformed values are ignored, so the full answer is
/// sent, and so is an `If-Modified-Since` later than now (RFC 9110
/// §13.1.3: invalid).
fn not_modified(request: &HeaderMap, validators: Validators<'_>) -> bool {
    if let Some(matched) = none_match(request, validators.etag) {
        return matched;
    }
    let Some(fresh_since) = validators.fresh_since else {
        return false;
    };
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
fn none_match(request: &HeaderMap, etag: Option<&HeaderValue>) -> Option<bool> {
    if !request.contains_key(header::IF_NONE_MATCH) {
        return None;
    }
    let all_text = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .all(|field| field.to_str().is_ok());
    if !all_text {
        return Some(false);
    }
    let ours = etag.and_then(|etag| etag.to_str().ok()).map(opaque_tag);
    Some(
        listed_tags(request, &header::IF_NONE_MATCH)
            .any(|tag| tag == "*" || Some(opaque_tag(tag)) == ours),
    )
}

/// The entity tags (and `*`) a list field `name` of `request` holds, read
/// from every field it is sent in as one comma-separated list; a field
/// that is not text is passed over.
fn listed_tags<'a>(request: &'a HeaderMap, name: &HeaderName) -> impl Iterator<Item = &'a str> {
    request
        .get_all(name)
        .iter()
        .filter_map(|field| field.to_str().ok())
        .flat_map(|field| field.split(','))
        .map(str::trim)
}

/// The quoted part of an entity tag, without the weakness marker.
fn opaque_tag(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// The request fields [`evaluate`] reads.
const CONDITIONS: [HeaderName; 4] = [
    header::IF_MATCH,
    header::IF_NONE_MATCH,
    header::IF_MODIFIED_SINCE,
    header::IF_UNMODIFIED_SINCE,
];

/// Evaluates the preconditions of a `GET` or `HEAD` against the `2xx`
/// answer made for it, by the `ETag` it carries (RFC 9110 §13.2.1: any
/// other answer ignores them): `412` with no body when one fails, `304`
/// when the client's copy is current, else the answer as made.
pub async fn preconditions(request: Request, next: Next) -> Response {
    let conditions: HeaderMap = CONDITIONS
        .iter()
        .flat_map(|name| {
            request
                .headers()
                .get_all(name)
                .iter()
                .map(move |value| (name.clone(), value.clone()))
        })
        .collect();
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.run(request).await;
    if !safe || conditions.is_empty() || !response.status().is_success() {
        return response;
    }
    let etag = response.headers().get(header::ETAG).cloned();
    let validators = Validators {
        etag: etag.as_ref(),
        fresh_since: None,
    };
    match evaluate(&conditions, validators) {
        Precondition::Holds => response,
        Precondition::Failed => StatusCode::PRECONDITION_FAILED.into_response(),
        Precondition::NotModified => not_modified_answer(&conditions, response.headers()),
    }
}

/// The fields a `304` carries of the `200` it stands for (RFC 9110
/// §15.4.5); the ETag apart, which [`not_modified_answer`] sets.
const KEPT_IN_304: [HeaderName; 4] = [
    header::CACHE_CONTROL,
    header::CONTENT_LOCATION,
    header::EXPIRES,
    header::VARY,
];

/// The `304` for an answer with head `ok`: what of it a `304` carries, and
/// its ETag in the form the client holds it (weak when `If-None-Match`
/// names it weak only, as a compressed copy is), so that a cache updates
/// the copy it has.
fn not_modified_answer(conditions: &HeaderMap, ok: &HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let head = response.headers_mut();
    for name in KEPT_IN_304 {
        for value in ok.get_all(&name) {
            head.append(name.clone(), value.clone());
        }
    }
    if let Some(etag) = ok.get(header::ETAG) {
        head.insert(header::ETAG, as_held(conditions, etag));
    }
    response
}

/// `etag` (strong) as `If-None-Match` holds it: weak when it names the tag
/// weak only.
fn as_held(conditions: &HeaderMap, etag: &HeaderValue) -> HeaderValue {
    let strong = etag.to_str().unwrap_or_default();
    let held_strong =
        listed_tags(conditions, &header::IF_NONE_MATCH).any(|tag| tag == "*" || tag == strong);
    if held_strong || strong.starts_with("W/") {
        etag.clone()
    } else {
        super::cache::weak_etag(strong)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn request(name: HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    fn validators(etag: &HeaderValue, fresh_since: SystemTime) -> Validators<'_> {
        Validators {
            etag: Some(etag),
            fresh_since: Some(fresh_since),
        }
    }

    fn not_modified(request: &HeaderMap, etag: &HeaderValue, fresh_since: SystemTime) -> bool {
        super::not_modified(request, validators(etag, fresh_since))
    }

    fn precondition_failed(
        request: &HeaderMap,
        etag: &HeaderValue,
        fresh_since: SystemTime,
    ) -> bool {
        super::precondition_failed(request, validators(etag, fresh_since))
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

    #[test]
    fn a_failing_precondition_wins_over_a_current_copy() {
        let etag = HeaderValue::from_static("\"abc\"");
        let modified = httpdate::parse_http_date("Sat, 28 Nov 2026 10:00:00 GMT").unwrap();
        let mut both = request(header::IF_MATCH, "\"old\"");
        both.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"abc\""));
        assert_eq!(
            evaluate(&both, validators(&etag, modified)),
            Precondition::Failed
        );
        both.insert(header::IF_MATCH, HeaderValue::from_static("\"abc\""));
        assert_eq!(
            evaluate(&both, validators(&etag, modified)),
            Precondition::NotModified
        );
        assert_eq!(
            evaluate(&HeaderMap::new(), validators(&etag, modified)),
            Precondition::Holds
        );
    }

    #[test]
    fn without_validators_only_a_star_matches() {
        let none = Validators::default();
        let evaluated = |name, value| evaluate(&request(name, value), none);
        assert_eq!(evaluated(header::IF_MATCH, "\"abc\""), Precondition::Failed);
        assert_eq!(evaluated(header::IF_MATCH, "*"), Precondition::Holds);
        assert_eq!(
            evaluated(header::IF_NONE_MATCH, "\"abc\""),
            Precondition::Holds
        );
        assert_eq!(
            evaluated(header::IF_NONE_MATCH, "*"),
            Precondition::NotModified
        );
        let date = "Sat, 28 Nov 2026 10:00:00 GMT";
        assert_eq!(
            evaluated(header::IF_UNMODIFIED_SINCE, date),
            Precondition::Holds
        );
        assert_eq!(
            evaluated(header::IF_MODIFIED_SINCE, date),
            Precondition::Holds
        );
    }

    #[test]
    fn a_change_is_refused_when_a_precondition_fails_never_answered_304() {
        let etag = HeaderValue::from_static("\"abc\"");
        let modified = httpdate::parse_http_date("Sat, 28 Nov 2026 10:00:00 GMT").unwrap();
        let tagged = validators(&etag, modified);
        let untagged = Validators::default();
        let before = |name, value, current| evaluate_before_change(&request(name, value), current);
        assert_eq!(
            before(header::IF_MATCH, "\"old\"", tagged),
            Precondition::Failed
        );
        assert_eq!(
            before(header::IF_MATCH, "\"abc\"", tagged),
            Precondition::Holds
        );
        assert_eq!(
            before(header::IF_NONE_MATCH, "W/\"abc\"", tagged),
            Precondition::Failed,
            "412, not 304"
        );
        let date = "Sat, 28 Nov 2026 10:00:00 GMT";
        assert_eq!(
            before(header::IF_MODIFIED_SINCE, date, tagged),
            Precondition::Holds,
            "read by GET and HEAD only"
        );
        // A current representation with no ETag matches `*` only.
        assert_eq!(
            before(header::IF_MATCH, "\"x\"", untagged),
            Precondition::Failed
        );
        assert_eq!(
            before(header::IF_MATCH, "W/\"x\"", untagged),
            Precondition::Failed
        );
        assert_eq!(before(header::IF_MATCH, "*", untagged), Precondition::Holds);
        assert_eq!(
            before(header::IF_NONE_MATCH, "*", untagged),
            Precondition::Failed
        );
        assert_eq!(
            before(header::IF_NONE_MATCH, "\"x\"", untagged),
            Precondition::Holds
        );
        assert_eq!(
            evaluate_before_change(&HeaderMap::new(), untagged),
            Precondition::Holds
        );
    }

    #[test]
    fn a_304_keeps_what_the_200_would_tell_a_cache_and_names_the_copy_held() {
        let mut ok = HeaderMap::new();
        ok.insert(header::ETAG, HeaderValue::from_static("\"abc\""));
        ok.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        ok.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        ok.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let answer = |tags: &[&str]| {
            let conditions: HeaderMap = tags
                .iter()
                .map(|tag| (header::IF_NONE_MATCH, HeaderValue::from_str(tag).unwrap()))
                .collect();
            not_modified_answer(&conditions, &ok)
        };
        let tag = |tags: &[&str]| answer(tags).headers()[header::ETAG].clone();
        assert_eq!(tag(&["\"abc\""]), "\"abc\"");
        assert_eq!(tag(&["W/\"abc\""]), "W/\"abc\"");
        assert_eq!(tag(&["\"x\", W/\"abc\""]), "W/\"abc\"");
        assert_eq!(tag(&["W/\"abc\"", "\"abc\""]), "\"abc\"");
        assert_eq!(tag(&["*"]), "\"abc\"");
        let not_modified = answer(&["\"abc\""]);
        assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(not_modified.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(not_modified.headers()[header::VARY], "accept-encoding");
        assert!(!not_modified.headers().contains_key(header::CONTENT_TYPE));
    }
}
