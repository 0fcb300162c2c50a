//! The `Date` of every answer. The date is the server's clock when the
//! answer leaves, formatted once per second and thread, and again whenever
//! the clock reads another second, backwards too: a date cached until the
//! clock passes the next second would stay frozen after the clock steps
//! back (an NTP step, a restored VM) until it caught up. (A feed answer
//! whose `Last-Modified` would be later than the `Date` goes without one,
//! as RFC 9110 (8.8.2.1) allows: `server::feeds`.)

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, header};

thread_local! {
    /// The second last formatted on this thread, and its header.
    static FORMATTED: RefCell<Option<(u64, HeaderValue)>> = const { RefCell::new(None) };
}

/// Sets the `Date` of an answer leaving at `now`, unless it has one.
pub fn stamp(headers: &mut HeaderMap, now: SystemTime) {
    headers
        .entry(header::DATE)
        .or_insert_with(|| header_at(now.max(UNIX_EPOCH)));
}

/// The HTTP date of `now`, formatted once per second on this thread.
fn header_at(now: SystemTime) -> HeaderValue {
    let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    FORMATTED.with(|cell| {
        let mut cached = cell.borrow_mut();
        match &*cached {
            Some((at, value)) if *at == second => value.clone(),
            _ => {
                let value = HeaderValue::from_str(&httpdate::fmt_http_date(now))
                    .expect("an HTTP date is a valid header");
                *cached = Some((second, value.clone()));
                value
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000 + seconds)
    }

    fn date_of(headers: &HeaderMap) -> SystemTime {
        httpdate::parse_http_date(headers[header::DATE].to_str().unwrap()).unwrap()
    }

    #[test]
    fn the_date_follows_the_clock_back_as_well_as_forward() {
        for when in [
            at(100),
            at(101),
            at(101) + Duration::from_millis(600),
            at(50),
            at(3),
        ] {
            let mut headers = HeaderMap::new();
            stamp(&mut headers, when);
            let whole = UNIX_EPOCH
                + Duration::from_secs(when.duration_since(UNIX_EPOCH).unwrap().as_secs());
            assert_eq!(date_of(&headers), whole);
        }
    }

    #[test]
    fn a_date_the_answer_has_is_kept() {
        let mut headers = HeaderMap::new();
        let own = HeaderValue::from_static("Thu, 01 Jan 2026 00:00:00 GMT");
        headers.insert(header::DATE, own.clone());
        stamp(&mut headers, at(0));
        assert_eq!(headers[header::DATE], own);
    }
}
