//! Fetching feed documents over HTTP with `reqwest` and rustls: conditional
//! GET (`If-None-Match`/`If-Modified-Since`), gzip and brotli, and limits that
//! each end in a clear error: connect timeout, whole-request timeout, body
//! size (enforced while streaming, after decompression) and redirects.
//! Local files are read with the same size limit. The HTTP client (and with
//! it the system's certificate store) is built on the first request, never
//! for local files.

use std::path::Path;
use std::sync::{Arc, Once, OnceLock};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use thiserror::Error;

use crate::config::FetchConfig;

/// The validators a server gave with the last good response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A document as fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub body: Vec<u8>,
    /// The `charset` of the `Content-Type`, if any.
    pub charset: Option<String>,
    /// The URL after redirects (or the file path).
    pub url: String,
    pub validators: Validators,
}

/// What a fetch gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The server answered 304: the last document is still current.
    NotModified,
    Document(Document),
}

/// Why a fetch failed. Every message says what to look at.
#[derive(Debug, Error)]
pub enum FetchError {
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("HTTP {status}{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    Status {
        status: u16,
        /// What the server asked for with `Retry-After`.
        retry_after: Option<Duration>,
    },
    #[error("body larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Read(String),
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// The delay the server asked for, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Fetches with the fetch limits. Clones share one HTTP client, built on
/// the first request.
#[derive(Clone)]
pub struct Fetcher {
    client: Arc<OnceLock<reqwest::Client>>,
    user_agent: HeaderValue,
    limits: FetchConfig,
}

/// The `User-Agent` feedfold sends: its name, version and where it publishes.
pub fn user_agent(base_url: &str) -> String {
    format!("feedfold/{} (+{base_url})", env!("CARGO_PKG_VERSION"))
}

/// A `reqwest` client builder for feedfold's outgoing HTTP: rustls with the
/// ring provider (installed once per process), and feedfold's User-Agent.
pub fn client_builder(user_agent: &str) -> reqwest::ClientBuilder {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Fails only when another provider was installed first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder().user_agent(user_agent)
}

impl Fetcher {
    /// A fetcher sending `user_agent`, which must be a valid header value.
    pub fn new(limits: &FetchConfig, user_agent: &str) -> Result<Fetcher, FetchError> {
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|e| FetchError::Client(format!("invalid User-Agent {user_agent:?}: {e}")))?;
        Ok(Fetcher {
            client: Arc::new(OnceLock::new()),
            user_agent,
            limits: limits.clone(),
        })
    }

    /// The HTTP client, built on first use.
    fn client(&self) -> Result<&reqwest::Client, FetchError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let user_agent = self.user_agent.to_str().unwrap_or("feedfold");
        let built = client_builder(user_agent)
            .connect_timeout(self.limits.connect_timeout)
            .timeout(self.limits.timeout)
            .redirect(reqwest::redirect::Policy::limited(
                self.limits.max_redirects,
            ))
            .gzip(true)
            .brotli(true)
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(self.client.get_or_init(|| built))
    }

    /// GETs `url`, conditionally when `validators` hold anything.
    pub async fn fetch(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut request = self.client()?.get(url).header(
            header::ACCEPT,
            "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5",
        );
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, modified);
        }
        let mut response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after: retry_after(response.headers()),
            });
        }
        let limit = self.limits.max_body;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        let headers = response.headers().clone();
        let final_url = response.url().to_string();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched::Document(Document {
            body,
            charset: charset(&headers),
            url: final_url,
            validators: Validators {
                etag: header_text(&headers, header::ETAG),
                last_modified: header_text(&headers, header::LAST_MODIFIED),
            },
        }))
    }

    /// Reads a local feed file with the same size limit. Only a regular
    /// file is read: a device (`/dev/zero`) or a FIFO is refused before it
    /// is opened, since opening a FIFO without a writer never returns.
    pub fn read_file(&self, path: &Path) -> Result<Document, FetchError> {
        use std::io::Read;
        let limit = self.limits.max_body;
        let metadata = std::fs::metadata(path).map_err(|e| FetchError::Read(e.to_string()))?;
        if !metadata.is_file() {
            return Err(FetchError::Read("not a regular file".to_string()));
        }
        let file = std::fs::File::open(path).map_err(|e| FetchError::Read(e.to_string()))?;
        let expected = metadata.len().min(limit).saturating_add(1);
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        file.take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| FetchError::Read(e.to_string()))?;
        if body.len() as u64 > limit {
            return Err(FetchError::TooLarge { limit });
        }
        Ok(Document {
            body,
            charset: None,
            url: path.display().to_string(),
            validators: Validators::default(),
        })
    }

    fn classify(&self, error: reqwest::Error) -> FetchError {
        if error.is_timeout() {
            return FetchError::Timeout(self.limits.timeout);
        }
        if error.is_redirect() {
            return FetchError::TooManyRedirects(self.limits.max_redirects);
        }
        if error.is_connect() {
            return FetchError::Connect(error_chain(&error));
        }
        FetchError::Read(error_chain(&error))
    }
}

/// The error's causes, `: `-separated, without the wrappers reqwest and
/// hyper put around the useful part (the URL is named by the caller).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(cause) = current {
        let text = cause.to_string();
        let wrapper = text.starts_with("error sending request")
            || text.starts_with("client error (")
            || text.starts_with("error decoding response body");
        if !wrapper && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = cause.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn charset(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// `Retry-After` as seconds or an HTTP date, capped at a day.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    const MAX: Duration = Duration::from_secs(86_400);
    let value: &HeaderValue = headers.get(header::RETRY_AFTER)?;
    let text = value.to_str().ok()?.trim();
    let delay = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let when = httpdate::parse_http_date(text).ok()?;
            when.duration_since(std::time::SystemTime::now())
                .unwrap_or(Duration::ZERO)
        }
    };
    Some(delay.min(MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn charset_is_read_from_content_type() {
        let h = headers(&[(
            "content-type",
            "application/rss+xml; Charset=\"windows-1252\"",
        )]);
        assert_eq!(charset(&h).as_deref(), Some("windows-1252"));
        assert_eq!(charset(&headers(&[("content-type", "text/xml")])), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "120")])),
            Some(Duration::from_secs(120))
        );
        let later =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(600));
        let delay = retry_after(&headers(&[("retry-after", &later)])).unwrap();
        assert!(delay > Duration::from_secs(590) && delay <= Duration::from_secs(600));
        assert_eq!(
            retry_after(&headers(&[("retry-after", "999999999")])),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
    }

    #[test]
    fn user_agent_names_feedfold_version_and_site() {
        let ua = user_agent("https://news.example");
        assert!(ua.starts_with("feedfold/"));
        assert!(ua.ends_with("(+https://news.example)"));
    }

    #[test]
    fn local_files_obey_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.xml");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        let limits = FetchConfig {
            max_body: 1024,
            ..FetchConfig::default()
        };
        let fetcher = Fetcher::new(&limits, "test").unwrap();
        let err = fetcher.read_file(&path).unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { limit: 1024 }), "{err}");
        std::fs::write(&path, b"<rss/>").unwrap();
        assert_eq!(fetcher.read_file(&path).unwrap().body, b"<rss/>");
    }

    #[test]
    fn devices_and_folders_are_not_read() {
        let fetcher = Fetcher::new(&FetchConfig::default(), "test").unwrap();
        for path in ["/dev/zero", "/dev/urandom", "/"] {
            let err = fetcher.read_file(Path::new(path)).unwrap_err();
            assert_eq!(err.to_string(), "not a regular file", "{path}");
        }
    }

    #[test]
    fn local_files_build_no_client_and_clones_share_one() {
        let fetcher = Fetcher::new(&FetchConfig::default(), "test").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        std::fs::write(&path, b"<rss/>").unwrap();
        for _ in 0..3 {
            fetcher.read_file(&path).unwrap();
        }
        assert!(
            fetcher.client.get().is_none(),
            "a client was built for files"
        );
        let clone = fetcher.clone();
        let first: *const reqwest::Client = clone.client().unwrap();
        let second: *const reqwest::Client = fetcher.client().unwrap();
        assert_eq!(first, second, "clones build one client between them");
    }

    #[test]
    fn an_invalid_user_agent_is_refused_up_front() {
        let error = Fetcher::new(&FetchConfig::default(), "bad\nagent")
            .err()
            .unwrap();
        assert!(error.to_string().contains("invalid User-Agent"), "{error}");
    }
}
