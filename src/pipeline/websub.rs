//! WebSub: after publishing, the hub named by `[publish] websub_hub` is
//! sent `hub.mode=publish` for every feed file that changed and holds at
//! least one entry (an empty feed announces nothing). `run` and `serve`
//! both ping through here.

use std::time::{Duration, Instant};

use crate::config::{Config, PublishConfig};
use crate::ingest::fetch;
use crate::publish::{self, Format, WriteOutcome};

use super::FeedReport;

/// The HTTP client pings go out with: feedfold's User-Agent and the
/// `[fetch]` timeouts. The error says why it could not be built.
pub fn client(config: &Config) -> Result<reqwest::Client, String> {
    fetch::client_builder(&fetch::user_agent(&config.publish.base_url))
        .timeout(config.fetch.timeout)
        .connect_timeout(config.fetch.connect_timeout)
        // Redirects are followed by `send_ping`, which posts the form
        // again: reqwest would follow a 301 or 302 with a GET and no body.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())
}

/// The URLs of the feed files to announce: every file `reports` wrote, of
/// feeds that have entries, as readers reach them under `base_url`.
pub fn topics(publish: &PublishConfig, reports: &[FeedReport]) -> Vec<String> {
    reports
        .iter()
        .filter(|report| report.entries > 0)
        .flat_map(|report| {
            report
                .files
                .iter()
                .filter(|(_, outcome)| *outcome == WriteOutcome::Written)
                .filter_map(move |(path, _)| {
                    let extension = path.extension().and_then(|e| e.to_str())?;
                    let format = Format::ALL
                        .into_iter()
                        .find(|f| f.extension() == extension)?;
                    Some(publish::feed_url(&publish.base_url, &report.name, format))
                })
        })
        .collect()
}

/// How long `run` waits before it sends again the pings the hub did not
/// take, one wait before each new try: a hub that restarts or sheds load
/// for a moment still hears of the run's feeds.
pub const RUN_RETRIES: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];

/// How long `run`'s pings may take in all, retries included: a ping still
/// unanswered when it ends is cut short, and no try begins after it, so a
/// hub that lets pings time out holds a cron run up this long at most.
pub const RUN_RETRY_WINDOW: Duration = Duration::from_secs(10);

/// How many pings go to the hub at once when they must all go within a
/// window (`run`, and `serve` at shutdown): a hub that does not answer
/// holds the pings up for one timeout, not one per feed file. `serve`'s
/// background pings, which no window bounds, go one at a time.
pub const PINGS_AT_ONCE: usize = 4;

/// Announces the changed feed files of `reports` to the hub, if one is
/// configured, for `run`; each ping's outcome is logged (a refusal or a
/// failure at warn level, naming the hub redacted and the feed). The pings
/// the hub did not take ([`ping_topics`]) are sent again after each of
/// [`RUN_RETRIES`], all within [`RUN_RETRY_WINDOW`]; those still not taken
/// are given up with a warning.
pub async fn ping_hub(client: &reqwest::Client, publish: &PublishConfig, reports: &[FeedReport]) {
    let Some(hub) = &publish.websub_hub else {
        return;
    };
    let topics = topics(publish, reports);
    let waiting = ping_within(client, hub, &topics, RUN_RETRY_WINDOW, &RUN_RETRIES).await;
    if !waiting.is_empty() {
        tracing::warn!(
            hub = crate::redact::url(hub).as_ref(),
            files = waiting.len(),
            "WebSub hub did not take the pings; given up until the feeds change again"
        );
    }
}

/// Pings `hub` for `topics`, and again after each of `retries` for those it
/// did not take, while `window` (from now) lasts: no ping outlives it and
/// no try begins unless its delay ends inside it. The topics still not
/// taken.
pub async fn ping_within(
    client: &reqwest::Client,
    hub: &str,
    topics: &[String],
    window: Duration,
    retries: &[Duration],
) -> Vec<String> {
    let until = Instant::now() + window;
    // Whether a try after the `tries` already made would begin, were it
    // decided now.
    let again = |tries: usize| {
        retries
            .get(tries)
            .is_some_and(|&delay| Instant::now() + delay < until)
    };
    let mut waiting = topics.to_vec();
    let mut tries = 0;
    loop {
        waiting = ping_topics(
            client,
            hub,
            &waiting,
            PINGS_AT_ONCE,
            |_| again(tries),
            Some(until),
        )
        .await;
        if waiting.is_empty() || !again(tries) {
            return waiting;
        }
        tokio::time::sleep(retries[tries]).await;
        tries += 1;
    }
}

/// Sends `hub.mode=publish` to `hub` for each of `topics`, `at_once` (at
/// least one) at a time, none past `until` (a ping unanswered then is cut short, one
/// not sent yet is not sent); each outcome is logged as [`ping_hub`] says,
/// except that a ping that failed and will be sent again (`sent_again`
/// says so of its topic when it fails) is logged at info level (`run
/// --quiet` under cron and `serve --quiet` report only pings given up).
/// The topics whose ping is worth sending again: those the hub could not
/// be reached for (refused, timed out, or not sent by `until`), or
/// answered with a 5xx or 429 (down, busy); a hub that answers another
/// error refuses the ping for good.
pub async fn ping_topics(
    client: &reqwest::Client,
    hub: &str,
    topics: &[String],
    at_once: usize,
    sent_again: impl Fn(&str) -> bool,
    until: Option<Instant>,
) -> Vec<String> {
    let mut failed = Vec::new();
    let shown = crate::redact::url(hub);
    let shown = shown.as_ref();
    let mut unsent = topics.iter();
    let mut sending = tokio::task::JoinSet::new();
    loop {
        while sending.len() < at_once.max(1) {
            let Some(topic) = unsent.next() else { break };
            if until.is_some_and(|until| Instant::now() >= until) {
                failed.push(topic.clone());
                continue;
            }
            let (client, hub, topic) = (client.clone(), hub.to_string(), topic.clone());
            sending.spawn(async move {
                let sent = send_ping(&client, &hub, &topic);
                let outcome = match until {
                    Some(until) => tokio::time::timeout_at(until.into(), sent)
                        .await
                        .unwrap_or_else(|_| Err(Failure::Window)),
                    None => sent.await,
                };
                (topic, outcome)
            });
        }
        let Some(done) = sending.join_next().await else {
            break;
        };
        let Ok((topic, outcome)) = done else {
            continue;
        };
        let topic = topic.as_str();
        match outcome {
            Ok(Answer {
                response,
                unfollowed: Some(why),
                ..
            }) => warn_unfollowed(shown, topic, response.status(), &why),
            Ok(Answer { response, at, .. }) if taken(response.status()) => {
                if at == hub {
                    tracing::info!(hub = shown, topic, "WebSub hub notified");
                } else {
                    let moved = crate::redact::url(&at);
                    tracing::info!(
                        hub = shown,
                        topic,
                        redirected_to = moved.as_ref(),
                        "WebSub hub notified at the address it redirected to"
                    );
                }
            }
            Ok(Answer { response, .. }) => {
                let status = response.status();
                let again = sent_again(topic)
                    && (status.is_server_error()
                        || status == reqwest::StatusCode::TOO_MANY_REQUESTS);
                if again {
                    tracing::info!(hub = shown, topic, status = %status, "WebSub hub refused the ping; it is sent again");
                } else {
                    tracing::warn!(hub = shown, topic, status = %status, "WebSub hub refused the ping");
                }
                if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                    failed.push(topic.to_string());
                }
            }
            Err(e) => {
                if !sent_again(topic) {
                    tracing::warn!(hub = shown, topic, "WebSub ping failed: {e}");
                } else {
                    tracing::info!(hub = shown, topic, "WebSub ping failed, sent again: {e}");
                }
                failed.push(topic.to_string());
            }
        }
    }
    failed
}

/// Warns that the redirect (`status`) answering the ping of `topic` was
/// not followed, and `why`. Only a hub that moved elsewhere is helped by
/// setting its new address; one whose redirects loop or go on without end
/// is broken where it stands.
fn warn_unfollowed(shown: &str, topic: &str, status: reqwest::StatusCode, why: &Unfollowed) {
    let to = |url: &reqwest::Url| crate::redact::url(url.as_str()).into_owned();
    match why {
        Unfollowed::NoLocation => {
            tracing::warn!(hub = shown, topic, status = %status, "WebSub hub redirects the ping without a Location to follow");
        }
        Unfollowed::Elsewhere(next) => {
            tracing::warn!(hub = shown, topic, status = %status, redirected_to = to(next), "WebSub hub redirects the ping off its own address; not followed: set [publish] websub_hub to the hub's new address");
        }
        Unfollowed::Loop(next) => {
            tracing::warn!(hub = shown, topic, status = %status, redirected_to = to(next), "WebSub hub redirects the ping in a loop, back to an address it already reached; not followed: the hub is misconfigured");
        }
        Unfollowed::TooMany(next) => {
            tracing::warn!(hub = shown, topic, status = %status, redirected_to = to(next), "WebSub hub redirects the ping more than {MAX_PING_REDIRECTS} times; not followed further");
        }
    }
}

/// The hub's last answer to a ping, and the address that gave it.
struct Answer {
    response: reqwest::Response,
    at: String,
    /// Why the answer, a redirect, was not followed; `None` when it is no
    /// redirect.
    unfollowed: Option<Unfollowed>,
}

/// Why a redirect answering a ping was not followed.
#[derive(Debug, PartialEq)]
enum Unfollowed {
    /// It names no address (no `Location`, or one that is no URL).
    NoLocation,
    /// It leads off the hub's own origin ([`same_origin`]).
    Elsewhere(reqwest::Url),
    /// It leads back to an address the ping already reached.
    Loop(reqwest::Url),
    /// It leads on past [`MAX_PING_REDIRECTS`].
    TooMany(reqwest::Url),
}

/// Why a ping got no answer.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// The request failed: the causes as fetch errors say them
    /// (connection refused, a timeout, a name that does not resolve)
    /// without reqwest's wrapper, URLs redacted.
    #[error("{}", failure(.0))]
    Request(#[from] reqwest::Error),
    /// The time left for the pings ran out first.
    #[error("no answer before the time for pings ran out")]
    Window,
}

/// The most redirects a ping follows.
const MAX_PING_REDIRECTS: usize = 5;

/// Posts the ping of `topic` to `hub`, and again to where a redirect
/// sends it (301, 302, 307, 308; at most [`MAX_PING_REDIRECTS`]), the form
/// with it, as a hub that moved expects, while the redirect stays on the
/// hub's own origin ([`same_origin`]) and never comes back to an address
/// already reached: the last answer, and the address that gave it. A
/// redirect elsewhere is answered as it came: the operator chose the hub's
/// address, not where a hub sends its pings (it may be a service inside
/// the network), and is told to set the new address.
async fn send_ping(client: &reqwest::Client, hub: &str, topic: &str) -> Result<Answer, Failure> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("hub.mode", "publish")
        .append_pair("hub.url", topic)
        .finish();
    let mut at = hub.to_string();
    let mut reached = Vec::new();
    loop {
        let response = client
            .post(&at)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body.clone())
            .send()
            .await?;
        reached.push(response.url().clone());
        let unfollowed = if is_redirect(response.status()) {
            match unfollowed(&response, &reached) {
                Ok(next) => {
                    at = next.to_string();
                    continue;
                }
                Err(why) => Some(why),
            }
        } else {
            None
        };
        return Ok(Answer {
            response,
            at,
            unfollowed,
        });
    }
}

/// Where the redirect `response` sends a ping that has `reached` these
/// addresses (the one that answered last), or why it is not followed
/// there.
fn unfollowed(
    response: &reqwest::Response,
    reached: &[reqwest::Url],
) -> Result<reqwest::Url, Unfollowed> {
    let next = location(response)
        .and_then(|location| response.url().join(location).ok())
        .ok_or(Unfollowed::NoLocation)?;
    next_hop(response.url(), next, reached)
}

/// Whether a ping that has `reached` these addresses, `from` the last,
/// goes on to `next`, where a redirect sends it: `next` when it does,
/// else why not.
fn next_hop(
    from: &reqwest::Url,
    next: reqwest::Url,
    reached: &[reqwest::Url],
) -> Result<reqwest::Url, Unfollowed> {
    if !same_origin(from, &next) {
        Err(Unfollowed::Elsewhere(next))
    } else if reached.contains(&next) {
        Err(Unfollowed::Loop(next))
    } else if reached.len() > MAX_PING_REDIRECTS {
        Err(Unfollowed::TooMany(next))
    } else {
        Ok(next)
    }
}

/// Whether `next` is on the origin of `from`: the same host and port,
/// or the same host over `https` on its default port after `http` on its
/// own (a hub sending its pings on to TLS).
fn same_origin(from: &reqwest::Url, next: &reqwest::Url) -> bool {
    let port = |url: &reqwest::Url| url.port_or_known_default();
    from.host_str() == next.host_str()
        && match (from.scheme(), next.scheme()) {
            (a, b) if a == b => port(from) == port(next),
            ("http", "https") => port(from) == Some(80) && port(next) == Some(443),
            _ => false,
        }
}

/// Whether the hub took a ping: a 2xx answer, or a 303, which answers a
/// form it took with a page to see next.
fn taken(status: reqwest::StatusCode) -> bool {
    status.is_success() || status == reqwest::StatusCode::SEE_OTHER
}

/// The `Location` a hub's answer names, as written.
fn location(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
}

/// Whether `status` sends a ping on elsewhere (301, 302, 307, 308).
fn is_redirect(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 307 | 308)
}

/// Why a ping could not be sent, as fetch errors say it: the causes
/// (connection refused, a timeout, a name that does not resolve) without
/// reqwest's wrapper, URLs redacted.
fn failure(error: &reqwest::Error) -> String {
    crate::redact::urls_in(&fetch::error_chain(error)).into_owned()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn report(name: &str, entries: usize, files: &[(&str, WriteOutcome)]) -> FeedReport {
        FeedReport {
            name: name.into(),
            entries,
            updated: None,
            files: files
                .iter()
                .map(|(f, o)| (PathBuf::from("feeds").join(f), *o))
                .collect(),
            error: None,
        }
    }

    #[test]
    fn only_written_files_of_feeds_with_entries_are_announced() {
        let publish = PublishConfig {
            dir: "feeds".into(),
            base_url: "https://news.example".into(),
            author: "feedfold".into(),
            websub_hub: Some("https://hub.example/".into()),
        };
        let reports = [
            report(
                "all",
                3,
                &[
                    ("all.rss", WriteOutcome::Written),
                    ("all.atom", WriteOutcome::Unchanged),
                    ("all.json", WriteOutcome::Written),
                ],
            ),
            report("empty", 0, &[("empty.rss", WriteOutcome::Written)]),
            FeedReport::failed("broken", "disk full".into()),
        ];
        assert_eq!(
            topics(&publish, &reports),
            [
                "https://news.example/feeds/all.rss",
                "https://news.example/feeds/all.json"
            ]
        );
    }

    #[test]
    fn a_ping_follows_redirects_on_the_hubs_own_origin_only() {
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        let hub = url("http://hub.example/");
        assert!(same_origin(&hub, &url("http://hub.example/publish")));
        assert!(same_origin(&hub, &url("https://hub.example/")));
        assert!(!same_origin(&hub, &url("http://hub.example:8080/")));
        assert!(!same_origin(&hub, &url("http://127.0.0.1/admin")));
        assert!(!same_origin(&hub, &url("https://other.example/")));
        let tls = url("https://hub.example/");
        assert!(!same_origin(&tls, &url("http://hub.example/")));
    }

    #[test]
    fn a_ping_never_goes_round_a_hubs_redirect_loop() {
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        let hub = url("http://hub.example/hub");
        let reached = [hub.clone()];
        assert_eq!(
            next_hop(&hub, hub.clone(), &reached),
            Err(Unfollowed::Loop(hub.clone()))
        );
        let moved = url("http://hub.example/hub2");
        assert_eq!(next_hop(&hub, moved.clone(), &reached), Ok(moved.clone()));
        let reached = [hub.clone(), moved.clone()];
        assert_eq!(
            next_hop(&moved, moved.clone(), &reached),
            Err(Unfollowed::Loop(moved.clone()))
        );
        let elsewhere = url("http://other.example/hub");
        assert_eq!(
            next_hop(&hub, elsewhere.clone(), &reached),
            Err(Unfollowed::Elsewhere(elsewhere))
        );
        let chain: Vec<_> = (0..=MAX_PING_REDIRECTS)
            .map(|n| url(&format!("http://hub.example/hub{n}")))
            .collect();
        let last = chain.last().unwrap();
        let on = url("http://hub.example/on");
        assert_eq!(
            next_hop(last, on.clone(), &chain),
            Err(Unfollowed::TooMany(on))
        );
    }

    /// A hub that takes connections and never answers; how many it took.
    fn silent_hub() -> (String, Arc<AtomicUsize>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let hub = format!("http://{}/hub", listener.local_addr().unwrap());
        let taken = Arc::new(AtomicUsize::new(0));
        let count = taken.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                held.push(stream);
            }
        });
        (hub, taken)
    }

    #[tokio::test]
    async fn a_silent_hub_holds_the_pings_up_no_longer_than_the_window() {
        let (hub, taken) = silent_hub();
        let client = fetch::client_builder("feedfold-tests")
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let topics: Vec<String> = ["rss", "atom", "json"]
            .iter()
            .map(|ext| format!("https://news.example/feeds/harbour.{ext}"))
            .collect();
        let window = Duration::from_millis(600);
        let retries = [Duration::from_millis(100), Duration::from_millis(300)];
        let began = Instant::now();
        let waiting = ping_within(&client, &hub, &topics, window, &retries).await;
        let took = began.elapsed();
        assert_eq!(waiting.len(), 3, "{waiting:?}");
        assert!(took < Duration::from_secs(2), "pings took {took:?}");
        // One try, every ping at once; no retry begins after the window.
        assert_eq!(taken.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failed_ping_says_why() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let hub = format!("http://{}/hub?key=s3cret", closed.local_addr().unwrap());
        drop(closed);
        let client = fetch::client_builder("feedfold-tests").build().unwrap();
        let error = client.post(&hub).send().await.unwrap_err();
        let cause = failure(&error);
        assert!(cause.to_lowercase().contains("refused"), "{cause}");
        assert!(!cause.contains("error sending request"), "{cause}");
        assert!(!cause.contains("s3cret"), "{cause}");
    }
}
