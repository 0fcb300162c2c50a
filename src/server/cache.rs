//! The in-memory cache the server answers feed requests from: each feed's
//! rendered bodies with their strong ETags and Last-Modified times, and
//! each body compressed once with gzip and brotli, replaced whenever a cycle
//! changes the feed, and reloaded when another process (a `feedfold run`
//! from cron) rewrites the files in `feeds/`: by the poll of the folder, or
//! by the first request to find a small file replaced, once for all the
//! requests that find it (a large one, or one found while files are being
//! taken up, is answered from the file, uncompressed, until the poll takes
//! it up: no request waits for another's compressing). The heads of the answers are built with the bodies.
//! Requests otherwise only pick bytes and heads: no request for a version
//! kept compresses, hashes or formats.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::content_coding::{CODED_ASIDE_BYTES, Encoding, brotli, gzip};
use crate::model::FeedSpec;
use crate::normalize::hex;
use crate::publish::{FileStamp, FileTimes, Format, Rendered, feed_path};

/// One format of one feed, ready to send.
#[derive(Debug, Clone)]
pub struct CachedBody {
    pub body: Bytes,
    /// The body in gzip, when that is smaller.
    pub gzip: Option<Bytes>,
    /// The body in brotli, when that is smaller.
    pub brotli: Option<Bytes>,
    /// A strong validator: a hash of the body.
    pub etag: HeaderValue,
    /// The same, weak (`W/"…"`), for compressed answers.
    pub weak_etag: HeaderValue,
    pub last_modified: SystemTime,
    pub last_modified_header: HeaderValue,
    /// The earliest `If-Modified-Since` date that shows a client has these
    /// bytes: `last_modified`, or the second after
    /// `earlier_dates_until` when that is no earlier (two versions in one
    /// second, one dated by a clock that ran ahead before these, or an
    /// answer of the version before dated in their second: the date
    /// cannot tell which one the client has).
    pub fresh_since: SystemTime,
    /// The latest date (a Last-Modified, or the `Date` of an answer) a
    /// client may hold of a version before these bytes (`None` when no
    /// earlier version is known): no date up to it proves them.
    earlier_dates_until: Option<SystemTime>,
    /// The latest second (since the epoch) an answer of these bytes was
    /// dated, its `Date` ([`FeedCache::answering`]); 0 before any. A client
    /// may send that date back as `If-Modified-Since` (RFC 9110 §13.1.3).
    /// Shared by every copy of this version, so that the version after it
    /// knows every date a client may hold of it.
    answered_until: Arc<AtomicU64>,
    /// What the file these bytes came from or went to was, as last seen
    /// (or the file this server could not write over), to notice cheaply
    /// when another process replaces it, whatever time the new file bears.
    file: Option<FileStamp>,
    /// Whether these bytes are served from memory only: their file could
    /// not be written and holds an older version (or is gone) until a
    /// later publication writes it.
    unwritten: bool,
    /// Whether an answer took these bytes up from their file and nothing
    /// has announced them yet: the next poll of the folder does
    /// ([`FeedCache::reload_changed_files`]), or the publication of this
    /// server that wrote them ([`FeedCache::put`]).
    unannounced: bool,
}

impl CachedBody {
    /// `last_modified` is truncated to whole seconds, as HTTP dates are.
    /// The compressed variants are made here, once.
    pub fn new(body: Vec<u8>, last_modified: SystemTime) -> CachedBody {
        Self::with_file(body, last_modified, None)
    }

    /// `body`, read from a file that was `file`, replacing `previous`: dated
    /// by the file's modification time when that is later than any date a
    /// client may hold of `previous` or a version before it, else by the
    /// moment it was found (a file put in place with an older time kept, by
    /// `rsync -a` or `cp -p`); either way no such date passes for it.
    fn found(body: Vec<u8>, file: FileStamp, previous: &CachedBody) -> CachedBody {
        Self::found_at(body, file, previous, SystemTime::now())
    }

    /// [`Self::found`] at the moment `now`.
    fn found_at(
        body: Vec<u8>,
        file: FileStamp,
        previous: &CachedBody,
        now: SystemTime,
    ) -> CachedBody {
        Self::with_file(body, Self::found_dated(file, previous, now), Some(file))
            .replacing(previous)
    }

    /// [`Self::found_at`], not compressed: the bytes of a file the cache
    /// has not taken up yet, for one answer (compressing is for bodies
    /// kept, [`FeedCache::answering`]).
    fn found_uncompressed(
        body: Vec<u8>,
        file: FileStamp,
        previous: &CachedBody,
        now: SystemTime,
    ) -> CachedBody {
        let dated = Self::found_dated(file, previous, now);
        Self::made(body, dated, Some(file), false).replacing(previous)
    }

    /// The date of bytes found at `now` in the file `file`, replacing
    /// `previous` ([`Self::found`]).
    fn found_dated(file: FileStamp, previous: &CachedBody, now: SystemTime) -> SystemTime {
        if whole_seconds(file.dated()) > previous.latest_date_held() {
            file.dated()
        } else {
            now
        }
    }

    /// The body, hashed and compressed.
    fn with_file(body: Vec<u8>, last_modified: SystemTime, file: Option<FileStamp>) -> CachedBody {
        Self::made(body, last_modified, file, true)
    }

    /// The body, hashed, and compressed or not.
    fn made(
        body: Vec<u8>,
        last_modified: SystemTime,
        file: Option<FileStamp>,
        compressed: bool,
    ) -> CachedBody {
        let etag = strong_etag(&body);
        let last_modified = whole_seconds(last_modified);
        CachedBody {
            gzip: compressed.then(|| gzip(&body)).flatten(),
            brotli: compressed.then(|| brotli(&body)).flatten(),
            body: Bytes::from(body),
            weak_etag: weak_etag(&etag),
            etag: HeaderValue::from_str(&etag).expect("hex ETag is a valid header"),
            last_modified,
            last_modified_header: HeaderValue::from_str(&httpdate::fmt_http_date(last_modified))
                .expect("HTTP date is a valid header"),
            fresh_since: last_modified,
            earlier_dates_until: None,
            answered_until: Arc::default(),
            file,
            unwritten: false,
            unannounced: false,
        }
    }

    /// The Last-Modified to send at `now` in place of the cached header,
    /// once the clock has reached `fresh_since` (later than the cached
    /// date): `fresh_since`, so a client that stores it can revalidate by
    /// date again. `None` while the cached header holds.
    pub fn moved_last_modified(&self, now: SystemTime) -> Option<HeaderValue> {
        if self.fresh_since <= self.last_modified || now < self.fresh_since {
            return None;
        }
        Some(
            HeaderValue::from_str(&httpdate::fmt_http_date(self.fresh_since))
                .expect("HTTP date is a valid header"),
        )
    }

    /// Notes that an answer of these bytes is dated `now` (its `Date`).
    fn note_answered(&self, now: SystemTime) {
        self.answered_until
            .fetch_max(epoch_seconds(now), Ordering::Relaxed);
    }

    /// The latest date a client may hold of these bytes or of a version
    /// before them, from this server: the `Date` of the latest answer of
    /// them (a date it sent as their Last-Modified is never later than
    /// that answer's `Date`, and a client may send that back too), and
    /// what the versions before allowed. A date another server sent, or
    /// this one before a restart, is earlier than any later version's
    /// file ([`FileStamp::dated`]).
    fn latest_date_held(&self) -> SystemTime {
        let answered = SystemTime::UNIX_EPOCH
            + std::time::Duration::from_secs(self.answered_until.load(Ordering::Relaxed));
        self.earlier_dates_until
            .map_or(answered, |earlier| earlier.max(answered))
    }

    /// These bytes as the version after `previous`: no date a client may
    /// hold of `previous`, or of a version before it, proves them.
    fn replacing(self, previous: &CachedBody) -> CachedBody {
        self.after_dates_until(previous.latest_date_held())
    }

    /// These bytes, found again in a file dated `dated` ([`FileStamp::dated`]):
    /// dated so when that is later than their own date, as every server
    /// that reads the file dates them (a file put in place again, a copy
    /// restored, or one whose write crossed into the second it was dated
    /// in). Never earlier: a client may hold their date.
    fn dated_no_earlier_than(mut self, dated: SystemTime) -> CachedBody {
        let dated = whole_seconds(dated);
        if dated > self.last_modified {
            self.last_modified = dated;
            self.last_modified_header = HeaderValue::from_str(&httpdate::fmt_http_date(dated))
                .expect("HTTP date is a valid header");
            self.fresh_since = self.fresh_since.max(dated);
        }
        self
    }

    /// Whether the file `file` (`None`: there is none) holds another
    /// version than these bytes: it is not the file they were last seen
    /// in, and it is no older version put back under bytes served from
    /// memory because their own could not be written (a copy of the
    /// folder restored, no publication). A file gone is no other version.
    fn outdated_by(&self, file: Option<FileStamp>) -> bool {
        match file {
            None => false,
            Some(stamp) if self.file == Some(stamp) => false,
            Some(stamp) => !(self.unwritten && whole_seconds(stamp.modified) <= self.last_modified),
        }
    }

    /// These bytes as the version after older ones that clients may hold
    /// with dates up to `latest`: a date no later than that proves nothing,
    /// even when these bytes are dated earlier still (a version taken at
    /// the present moment after one dated by a clock that ran ahead). They
    /// are proven from the second after `latest`, and no later: versions
    /// in one second that no client saw dated later do not push it on.
    fn after_dates_until(mut self, latest: SystemTime) -> CachedBody {
        let latest = whole_seconds(latest);
        if self.last_modified <= latest {
            self.fresh_since = latest + std::time::Duration::from_secs(1);
        }
        self.earlier_dates_until = Some(latest);
        self
    }

    /// The body in `encoding`, if it is kept in it.
    pub fn encoded(&self, encoding: Encoding) -> Option<&Bytes> {
        match encoding {
            Encoding::Identity => Some(&self.body),
            Encoding::Gzip => self.gzip.as_ref(),
            Encoding::Brotli => self.brotli.as_ref(),
        }
    }
}

/// A strong entity tag of `body`: a quoted hash of its bytes.
pub fn strong_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex(&digest[..16]))
}

/// The weak form (`W/"…"`) of the strong entity tag `etag`: what an
/// answer sent compressed, not byte for byte what `etag` names, carries.
pub fn weak_etag(etag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("W/{etag}"))
        .expect("an ETag with W/ before it is a valid header")
}

/// `time` cut to whole seconds, as HTTP dates are.
fn whole_seconds(time: SystemTime) -> SystemTime {
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(epoch_seconds(time))
}

/// The whole seconds from the epoch to `time` (0 before it).
fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The `Content-Type` each format is served with.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Rss => "application/rss+xml; charset=utf-8",
        Format::Atom => "application/atom+xml; charset=utf-8",
        Format::Json => "application/feed+json; charset=utf-8",
    }
}

/// The headers every feed answer carries whatever the feed, as the server
/// sets them.
#[derive(Debug, Clone, Default)]
pub struct CommonHeaders {
    /// On `200` answers (`Cache-Control`, `Vary`, the security headers).
    pub ok: HeaderMap,
    /// On `304` answers (`Cache-Control`, `Vary`).
    pub not_modified: HeaderMap,
    /// On `412` answers (the security headers).
    pub precondition_failed: HeaderMap,
    /// The WebSub hub the feeds announce, and the base URL of their self
    /// links, for the `Link` headers of every answer (WebSub §4).
    pub websub: Option<WebSubLinks>,
}

/// What a feed answer's WebSub `Link` headers name.
#[derive(Debug, Clone)]
pub struct WebSubLinks {
    /// The hub as the feeds announce it (`rel="hub"`).
    pub hub: String,
    /// `[publish] base_url`, under which each feed names itself.
    pub base_url: String,
}

impl WebSubLinks {
    /// The `Link` headers of feed `name` in `format`: the hub, and the
    /// feed's own URL as its body gives it; none if one would not be a
    /// valid header.
    fn headers(&self, name: &str, format: Format) -> Vec<HeaderValue> {
        let self_url = crate::publish::feed_url(&self.base_url, name, format);
        let hub = HeaderValue::from_str(&format!("<{}>; rel=\"hub\"", self.hub));
        let own = HeaderValue::from_str(&format!("<{self_url}>; rel=\"self\""));
        match (hub, own) {
            (Ok(hub), Ok(own)) => vec![hub, own],
            _ => Vec::new(),
        }
    }
}

/// The heads of the answers for one body, ready to send.
#[derive(Debug, Clone)]
pub struct Heads {
    /// `200` heads by encoding, where the body is kept in it.
    ok: [Option<HeaderMap>; 3],
    /// `304` heads with the strong validator and with the weak one.
    not_modified: [HeaderMap; 2],
    /// The `412` head.
    precondition_failed: HeaderMap,
}

impl Heads {
    /// A compressed body is not byte for byte what the strong ETag names:
    /// its answers carry the weak form, which `If-None-Match` compares just
    /// the same.
    /// With a WebSub hub, every answer of feed `name` names it and the
    /// feed's own URL in `Link` headers.
    fn new(name: &str, format: Format, body: &CachedBody, common: &CommonHeaders) -> Heads {
        let links = common
            .websub
            .as_ref()
            .map(|websub| websub.headers(name, format))
            .unwrap_or_default();
        let linked = |mut head: HeaderMap| {
            for link in &links {
                head.append(header::LINK, link.clone());
            }
            head
        };
        let validators = |weak: bool, mut head: HeaderMap| {
            let etag = if weak { &body.weak_etag } else { &body.etag };
            head.insert(header::ETAG, etag.clone());
            head.insert(header::LAST_MODIFIED, body.last_modified_header.clone());
            linked(head)
        };
        let ok = ENCODINGS.map(|encoding| {
            body.encoded(encoding)?;
            let mut head = validators(encoding != Encoding::Identity, common.ok.clone());
            head.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(format)),
            );
            if encoding != Encoding::Identity {
                head.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(encoding.token()),
                );
            }
            Some(head)
        });
        Heads {
            ok,
            not_modified: [false, true].map(|weak| validators(weak, common.not_modified.clone())),
            precondition_failed: linked(common.precondition_failed.clone()),
        }
    }

    /// The head of a `200` answer in `encoding`, if the body is kept in it.
    pub fn ok(&self, encoding: Encoding) -> Option<&HeaderMap> {
        self.ok[encoding_index(encoding)].as_ref()
    }

    /// The head of a `304` answer to a client that would get `encoding`.
    pub fn not_modified(&self, encoding: Encoding) -> &HeaderMap {
        &self.not_modified[usize::from(encoding != Encoding::Identity)]
    }

    /// The head of a `412` answer.
    pub fn precondition_failed(&self) -> &HeaderMap {
        &self.precondition_failed
    }
}

const ENCODINGS: [Encoding; 3] = [Encoding::Identity, Encoding::Gzip, Encoding::Brotli];

fn encoding_index(encoding: Encoding) -> usize {
    match encoding {
        Encoding::Identity => 0,
        Encoding::Gzip => 1,
        Encoding::Brotli => 2,
    }
}

/// The three formats of one feed, and what the index page shows of it.
#[derive(Debug, Clone)]
pub struct CachedFeed {
    pub spec: FeedSpec,
    pub entries: usize,
    /// The newest entry's `updated`, if it has entries.
    pub updated: Option<DateTime<Utc>>,
    bodies: [CachedBody; 3],
    heads: [Heads; 3],
}

impl CachedFeed {
    fn new(
        spec: FeedSpec,
        entries: usize,
        updated: Option<DateTime<Utc>>,
        bodies: [CachedBody; 3],
        common: &CommonHeaders,
    ) -> CachedFeed {
        let heads = Format::ALL
            .map(|format| Heads::new(&spec.name, format, &bodies[format_index(format)], common));
        CachedFeed {
            spec,
            entries,
            updated,
            bodies,
            heads,
        }
    }

    pub fn body(&self, format: Format) -> &CachedBody {
        &self.bodies[format_index(format)]
    }

    pub fn heads(&self, format: Format) -> &Heads {
        &self.heads[format_index(format)]
    }

    /// The formats an answer took up from their files and nothing
    /// announced yet.
    fn unannounced(&self) -> Vec<Format> {
        Format::ALL
            .into_iter()
            .filter(|&format| self.body(format).unannounced)
            .collect()
    }

    /// This feed, its `formats` taken up by an answer, to be announced.
    fn marked_unannounced(mut self, formats: &[Format]) -> CachedFeed {
        for &format in formats {
            self.bodies[format_index(format)].unannounced = true;
        }
        self
    }

    /// This feed, every format announced.
    fn announced(mut self) -> CachedFeed {
        for body in &mut self.bodies {
            body.unannounced = false;
        }
        self
    }
}

fn format_index(format: Format) -> usize {
    match format {
        Format::Rss => 0,
        Format::Atom => 1,
        Format::Json => 2,
    }
}

/// Feeds by name.
#[derive(Default)]
pub struct FeedCache {
    feeds: RwLock<HashMap<String, Arc<CachedFeed>>>,
    common: CommonHeaders,
    /// Held while this server writes feed files and keeps what it wrote
    /// ([`Self::publishing`]).
    publishing: Mutex<()>,
    /// Held while a feed's files are read into the cache, by an answer or
    /// by the poll ([`Self::taking_up`]).
    taking_up: Mutex<()>,
}

impl FeedCache {
    /// An empty cache whose answers carry `common`.
    pub fn new(common: CommonHeaders) -> FeedCache {
        FeedCache {
            feeds: RwLock::default(),
            common,
            publishing: Mutex::new(()),
            taking_up: Mutex::new(()),
        }
    }

    /// To be held while this server writes feed files and keeps them
    /// ([`Self::put`]): until then, its files are new and the cache is not,
    /// and [`Self::reload_changed_files`] would take them for another
    /// process's (and announce them a second time).
    pub fn publishing(&self) -> MutexGuard<'_, ()> {
        self.publishing.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, name: &str) -> Option<Arc<CachedFeed>> {
        self.read().get(name).cloned()
    }

    /// Feed `name`, to answer a request for it in `format`, and the moment
    /// the answer is dated (its `Date`). That date is noted on the body
    /// while no new version can take its place (a new one is put in place
    /// under the write lock), so a new version knows every date an answer
    /// of the bytes it replaces was sent with, and none of those dates
    /// proves it.
    ///
    /// The cached bytes are answered only while their file in `dir` is
    /// still the one they were last seen in, looked at after the answer
    /// is dated: a file another process (or this server's own publishing)
    /// has put in its place since is taken up into the cache first, hashed
    /// and compressed as every version kept (`take_up`), and
    /// answered from there; while another answer or the poll is taking
    /// files up, or when a file replaced is too large to compress without
    /// holding up this thread's other answers, it is answered from the
    /// file, uncompressed, and left for the poll to take up
    /// ([`Self::reload_changed_files`], on a thread kept for blocking
    /// work). So no server dates an answer of a version
    /// after the moment the next one was put in place, which that
    /// version's date comes after ([`FileStamp::dated`]): however long a
    /// server takes to notice the file, the dates it sent of the versions
    /// before never prove it, and every server dates it alike, from the
    /// file. A file that cannot be read leaves the cached bytes answered.
    pub fn answering(
        &self,
        name: &str,
        format: Format,
        dir: &Path,
    ) -> Option<(Arc<CachedFeed>, SystemTime)> {
        let path = feed_path(dir, name, format);
        // A file replaced again while it is taken up is taken up again; a
        // folder rewritten without pause gets the latest version taken up.
        for _ in 0..TAKE_UP_TRIES {
            match self.look_up(name, format, &path)? {
                Lookup::Current(feed, now) => return Some((feed, now)),
                Lookup::Replaced(seen) => match self.take_up(&seen, dir) {
                    TakeUp::Changed => {}
                    TakeUp::Unchanged => break,
                    TakeUp::Left => {
                        if let Some(answer) = self.answered_from_file(&seen, format, &path) {
                            return Some(answer);
                        }
                        break;
                    }
                },
            }
        }
        let feeds = self.read();
        let feed = feeds.get(name)?.clone();
        let now = SystemTime::now();
        feed.body(format).note_answered(now);
        Some((feed, now))
    }

    /// Feed `name` as cached, to answer a request for it in `format` dated
    /// now, when the file at `path` is still the one its bytes were last
    /// seen in (the answer noted, under the read lock); else the feed as
    /// it is cached, to take the file up.
    fn look_up(&self, name: &str, format: Format, path: &Path) -> Option<Lookup> {
        let feeds = self.read();
        let feed = feeds.get(name)?.clone();
        let now = SystemTime::now();
        let cached = feed.body(format);
        if cached.outdated_by(FileStamp::of(path)) {
            return Some(Lookup::Replaced(feed));
        }
        cached.note_answered(now);
        Some(Lookup::Current(feed, now))
    }

    /// Takes up the files in `dir` of the feed cached as `seen`, some of
    /// which an answer found replaced: read, hashed and compressed once,
    /// with no lock of the cache held while they are read, and left for
    /// the next poll of the folder to announce
    /// ([`Self::reload_changed_files`]). Nothing is taken up, and no
    /// answer waits, while files are being taken up (by another answer or
    /// the poll), nor when a file replaced is larger than an answer
    /// compresses on its own thread: those are left for the poll.
    fn take_up(&self, seen: &Arc<CachedFeed>, dir: &Path) -> TakeUp {
        let _taking_up = match self.taking_up.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return TakeUp::Left,
        };
        let Some(current) = self.get(&seen.spec.name) else {
            return TakeUp::Unchanged;
        };
        if !Arc::ptr_eq(&current, seen) {
            return TakeUp::Changed;
        }
        if Self::replaced_file_too_large(&current, dir) {
            return TakeUp::Left;
        }
        let Some((feed, changed)) = self.with_files_taken_up(&current, dir) else {
            return TakeUp::Unchanged;
        };
        if self.install_over(&current, feed.marked_unannounced(&changed)) {
            TakeUp::Changed
        } else {
            TakeUp::Unchanged
        }
    }

    /// Whether a file in `dir` of `feed` that is no longer the one last
    /// seen is larger than an answer compresses on its own thread
    /// ([`CODED_ASIDE_BYTES`]).
    fn replaced_file_too_large(feed: &CachedFeed, dir: &Path) -> bool {
        Format::ALL.into_iter().any(|format| {
            let found = FileStamp::of(&feed_path(dir, &feed.spec.name, format));
            feed.body(format).outdated_by(found)
                && found.is_some_and(|stamp| stamp.size() > CODED_ASIDE_BYTES as u64)
        })
    }

    /// `feed` with its `format` read from the file at `path`, which holds
    /// another version than the cached one, not compressed, and the moment
    /// the answer is dated, before the file is read; `None` when it cannot
    /// be read or holds the cached bytes after all. The cache keeps the
    /// feed as it was, for the poll to take the file up.
    fn answered_from_file(
        &self,
        feed: &CachedFeed,
        format: Format,
        path: &Path,
    ) -> Option<(Arc<CachedFeed>, SystemTime)> {
        let now = SystemTime::now();
        let cached = feed.body(format);
        let (stamp, bytes) = FileStamp::read(path)?;
        if bytes == cached.body || !cached.outdated_by(Some(stamp)) {
            return None;
        }
        let mut bodies = feed.bodies.clone();
        bodies[format_index(format)] = CachedBody::found_uncompressed(bytes, stamp, cached, now);
        let from_file = CachedFeed::new(
            feed.spec.clone(),
            feed.entries,
            feed.updated,
            bodies,
            &self.common,
        );
        Some((Arc::new(from_file), now))
    }

    /// Held while a feed's files are taken up: waited for by the poll
    /// ([`Self::reload_changed_files`]), never by an answer
    /// ([`Self::take_up`]).
    fn taking_up(&self) -> MutexGuard<'_, ()> {
        self.taking_up.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts `feed` in the cache. Each of its bodies that replaces other
    /// bytes is told apart, at this moment, from every date a client may
    /// hold of them or of a version before: under the write lock, after
    /// which no answer of the bytes replaced is dated
    /// ([`Self::answering`]).
    fn install(&self, feed: CachedFeed) {
        let mut feeds = self.feeds.write().unwrap_or_else(|p| p.into_inner());
        Self::put_in_place(&mut feeds, feed);
    }

    /// [`Self::install`], only while the feed is still cached as
    /// `expected` (a publication may have put its own in place meanwhile);
    /// whether it was put in place.
    fn install_over(&self, expected: &Arc<CachedFeed>, feed: CachedFeed) -> bool {
        let mut feeds = self.feeds.write().unwrap_or_else(|p| p.into_inner());
        let still = feeds
            .get(&feed.spec.name)
            .is_some_and(|current| Arc::ptr_eq(current, expected));
        if still {
            Self::put_in_place(&mut feeds, feed);
        }
        still
    }

    fn put_in_place(feeds: &mut HashMap<String, Arc<CachedFeed>>, mut feed: CachedFeed) {
        if let Some(current) = feeds.get(&feed.spec.name) {
            for (body, format) in feed.bodies.iter_mut().zip(Format::ALL) {
                let replaced = current.body(format);
                if body.etag != replaced.etag {
                    *body = body.clone().replacing(replaced);
                }
            }
        }
        feeds.insert(feed.spec.name.clone(), Arc::new(feed));
    }

    /// All feeds, in the config's order of `specs`.
    pub fn all(&self, specs: &[FeedSpec]) -> Vec<Arc<CachedFeed>> {
        let feeds = self.read();
        specs
            .iter()
            .filter_map(|spec| feeds.get(&spec.name).cloned())
            .collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<CachedFeed>>> {
        self.feeds.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores freshly rendered bodies of `spec`, just written to their
    /// files, whose times were `file_times` then (taken under the folder's
    /// lock: a file another process rewrites later is then told apart). A
    /// body equal to the cached one keeps its Last-Modified; a new one
    /// takes its file's time (the second after it was written, or the second
    /// after the version it replaced). The first body cached, found in
    /// its file as it was, takes that file's time, as every server that
    /// serves the file does (a restart moves no date); written over
    /// another version, which a server before this one may have served,
    /// it is not proven by that version's date (a restart does not tell a
    /// reader of an older version that it is up to date). The formats
    /// whose cached bytes this replaced, or whose bytes an answer took up
    /// from the files just written before this kept them (nothing has
    /// announced those yet, [`Self::answering`]).
    pub fn put(
        &self,
        spec: &FeedSpec,
        file_times: &FileTimes,
        rendered: &Rendered,
        entries: usize,
        updated: Option<DateTime<Utc>>,
    ) -> Vec<Format> {
        self.keep(spec, file_times, rendered, entries, updated, true)
    }

    /// Stores freshly rendered bodies of `spec` that could not be written
    /// to their files: a new one takes the present moment as its
    /// Last-Modified, since the file's time is the older version's. The
    /// formats whose cached bytes this replaced, or that an answer took up
    /// and nothing announced yet.
    pub fn put_unwritten(
        &self,
        spec: &FeedSpec,
        file_times: &FileTimes,
        rendered: &Rendered,
        entries: usize,
        updated: Option<DateTime<Utc>>,
    ) -> Vec<Format> {
        self.keep(spec, file_times, rendered, entries, updated, false)
    }

    fn keep(
        &self,
        spec: &FeedSpec,
        file_times: &FileTimes,
        rendered: &Rendered,
        entries: usize,
        updated: Option<DateTime<Utc>>,
        written: bool,
    ) -> Vec<Format> {
        let previous = self.get(&spec.name);
        let mut replaced = Vec::new();
        let bodies = Format::ALL.map(|format| {
            let bytes = rendered.get(format);
            let before = previous.as_ref().map(|old| old.body(format));
            let stamp = file_times.stamp(format);
            if let Some(old) = before.filter(|old| old.body == bytes) {
                // The same bytes; the file may not be the same file (a
                // write that failed puts back the files it had renamed,
                // which changes them): what it is now is noted, or the
                // next look at the folder takes it for another process's.
                // Written, it is dated as every server reads it from that
                // file, when that is later.
                // Taken up by an answer before this publication kept
                // them: new bytes served, announced as this one's.
                if old.unannounced {
                    replaced.push(format);
                }
                let kept = CachedBody {
                    file: stamp.or(old.file),
                    unwritten: old.unwritten && !written,
                    unannounced: false,
                    ..old.clone()
                };
                return match stamp {
                    Some(stamp) if written => kept.dated_no_earlier_than(stamp.dated()),
                    _ => kept,
                };
            }
            if before.is_some() {
                replaced.push(format);
            }
            // Only a new body is hashed and compressed.
            let (last_modified, file) = match stamp {
                Some(stamp) if written => (stamp.dated(), Some(stamp)),
                // The file still holds the version before, as last seen
                // (none when its folder is gone).
                _ => (
                    SystemTime::now(),
                    stamp.or_else(|| before.and_then(|old| old.file)),
                ),
            };
            // Told apart from the bytes it replaces as it is put in place
            // (`install`). The first version cached is dated by its file
            // as any server dates it, written now or left as it was.
            CachedBody {
                unwritten: !written,
                ..CachedBody::with_file(bytes.to_vec(), last_modified, file)
            }
        });
        self.install(CachedFeed::new(
            spec.clone(),
            entries,
            updated,
            bodies,
            &self.common,
        ));
        replaced
    }

    /// Reloads every format whose file in `dir` is no longer the file last
    /// seen (its time, size, inode or status-change time differ) and holds
    /// other bytes than the cached ones (another process published, or
    /// put a file in place keeping an older time); returns the feeds
    /// reloaded, with the formats an answer took up since the last look
    /// ([`Self::answering`]). A file gone, or the one this server could
    /// not write over found again, is left alone; so is every file while
    /// this server is publishing ([`Self::publishing`]): the next poll
    /// looks again.
    pub fn reload_changed_files(&self, specs: &[FeedSpec], dir: &Path) -> Vec<Reloaded> {
        let Ok(_publishing) = self.publishing.try_lock() else {
            return Vec::new();
        };
        let mut reloaded = Vec::new();
        for spec in specs {
            let _taking_up = self.taking_up();
            let Some(current) = self.get(&spec.name) else {
                continue;
            };
            let taken_up_before = current.unannounced();
            let (feed, changed) = match self.with_files_taken_up(&current, dir) {
                Some(taken_up) => taken_up,
                None if taken_up_before.is_empty() => continue,
                None => ((*current).clone(), Vec::new()),
            };
            let formats: Vec<Format> = Format::ALL
                .into_iter()
                .filter(|format| changed.contains(format) || taken_up_before.contains(format))
                .collect();
            let entries = feed.entries;
            self.install(feed.announced());
            if !formats.is_empty() {
                reloaded.push(Reloaded {
                    name: spec.name.clone(),
                    formats,
                    entries,
                });
            }
        }
        reloaded
    }

    /// `current` with every format whose file in `dir` is no longer the
    /// file last seen read again, and the formats whose file held other
    /// bytes; `None` when there is nothing to take up. A file holding the
    /// cached bytes is noted, not read again; a file gone, or an older
    /// version put back under bytes served from memory, is left alone.
    fn with_files_taken_up(
        &self,
        current: &CachedFeed,
        dir: &Path,
    ) -> Option<(CachedFeed, Vec<Format>)> {
        let mut changed = Vec::new();
        let mut restamped = false;
        let bodies = Format::ALL.map(|format| {
            let path = feed_path(dir, &current.spec.name, format);
            let cached = current.body(format);
            let found = FileStamp::of(&path);
            if !cached.outdated_by(found) {
                // The same file, a file gone, or an older version put
                // back under bytes served from memory: when it is
                // another file, it is noted, and written over by the
                // next publication.
                return match found {
                    Some(stamp) if cached.file != Some(stamp) => {
                        restamped = true;
                        CachedBody {
                            file: Some(stamp),
                            ..cached.clone()
                        }
                    }
                    _ => cached.clone(),
                };
            }
            match FileStamp::read(&path) {
                Some((stamp, bytes)) if bytes != cached.body => {
                    changed.push(format);
                    CachedBody::found(bytes, stamp, cached)
                }
                // The same bytes in another file: noted, not read
                // again, and dated as every server dates that file.
                Some((stamp, _)) => {
                    restamped = true;
                    CachedBody {
                        file: Some(stamp),
                        ..cached.clone()
                    }
                    .dated_no_earlier_than(stamp.dated())
                }
                None => cached.clone(),
            }
        });
        if changed.is_empty() && !restamped {
            return None;
        }
        // When a file changed, the JSON Feed file says how many entries
        // the other process published and when the newest changed.
        let (entries, updated) = (!changed.is_empty())
            .then(|| json_feed_summary(&bodies[format_index(Format::Json)].body))
            .flatten()
            .unwrap_or((current.entries, current.updated));
        let feed = CachedFeed::new(current.spec.clone(), entries, updated, bodies, &self.common);
        Some((feed, changed))
    }
}

/// What [`FeedCache::look_up`] found.
enum Lookup {
    /// The feed, its file the one last seen, and the answer's date.
    Current(Arc<CachedFeed>, SystemTime),
    /// The feed as cached, its file replaced since.
    Replaced(Arc<CachedFeed>),
}

/// What [`FeedCache::take_up`] did.
enum TakeUp {
    /// The cache changed since the feed was seen: a look at it again may
    /// find the file taken up.
    Changed,
    /// Nothing was taken up, and nothing else changed the feed.
    Unchanged,
    /// The files were left for the poll of the folder: another answer or
    /// the poll was taking files up, or a file is too large to compress
    /// in an answer.
    Left,
}

/// How many times an answer takes up a feed's files replaced again while
/// it took them up, before it answers the version it took up last.
const TAKE_UP_TRIES: usize = 3;

/// A feed whose files another process rewrote, as the cache reloaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    pub name: String,
    /// The formats whose file held other bytes.
    pub formats: Vec<Format>,
    /// How many entries the feed holds now.
    pub entries: usize,
}

/// How many items a JSON Feed document holds and its newest
/// `date_modified`; `None` when it is not one.
fn json_feed_summary(body: &[u8]) -> Option<(usize, Option<DateTime<Utc>>)> {
    let document: serde_json::Value = serde_json::from_slice(body).ok()?;
    let items = document.get("items")?.as_array()?;
    let updated = items
        .iter()
        .filter_map(|item| item.get("date_modified")?.as_str())
        .filter_map(|date| DateTime::parse_from_rfc3339(date).ok())
        .map(|date| date.with_timezone(&Utc))
        .max();
    Some((items.len(), updated))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::file_times;

    fn spec() -> FeedSpec {
        FeedSpec {
            name: "news".into(),
            title: "News".into(),
            description: None,
            sources: None,
            limit: 10,
        }
    }

    fn rendered(text: &str) -> Rendered {
        Rendered {
            rss: format!("rss {text}").into_bytes(),
            atom: format!("atom {text}").into_bytes(),
            json: format!("json {text}").into_bytes(),
        }
    }

    #[test]
    fn etag_is_strong_and_follows_the_body() {
        let a = CachedBody::new(b"one".to_vec(), SystemTime::UNIX_EPOCH);
        let b = CachedBody::new(b"two".to_vec(), SystemTime::UNIX_EPOCH);
        assert!(a.etag.to_str().unwrap().starts_with('"'));
        assert_ne!(a.etag, b.etag);
        assert_eq!(a.last_modified_header, "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    fn second(n: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(n)
    }

    #[test]
    fn a_version_is_proven_by_its_date_unless_the_one_before_was_answered_as_late() {
        let at = |millis: u64| SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(millis);
        let first = CachedBody::new(b"one".to_vec(), at(41_500));
        // No answer of the first was dated in its second: the second
        // version, dated alike, is proven by that date.
        let next = CachedBody::new(b"two".to_vec(), at(41_900)).replacing(&first);
        assert_eq!(next.fresh_since, next.last_modified);
        // Answered at 42.1 s, so dated 42 s, and replaced in that second.
        next.note_answered(at(42_100));
        let third = CachedBody::new(b"three".to_vec(), at(42_300)).replacing(&next);
        assert_eq!(third.last_modified, second(42));
        assert_eq!(third.fresh_since, second(43));
        // The date that tells it apart is sent once the clock is there.
        assert_eq!(third.moved_last_modified(at(42_900)), None);
        assert_eq!(
            third.moved_last_modified(at(43_000)).unwrap(),
            httpdate::fmt_http_date(second(43)).as_str()
        );
        // Versions after it in that second are proven from the same date,
        // and one in a later second than any date sent by its own.
        let fourth = CachedBody::new(b"four".to_vec(), at(42_600)).replacing(&third);
        assert_eq!(fourth.fresh_since, second(43));
        let later = CachedBody::new(b"five".to_vec(), at(45_000)).replacing(&fourth);
        assert_eq!(later.fresh_since, later.last_modified);
    }

    #[test]
    fn a_date_sent_while_the_clock_ran_ahead_does_not_prove_a_later_version() {
        let ahead = CachedBody::new(b"one".to_vec(), second(39_000));
        ahead.note_answered(second(40_300));
        // The clock stepped back; the next version is dated at the
        // present moment.
        let now = CachedBody::new(b"two".to_vec(), second(40_000)).replacing(&ahead);
        assert_eq!(now.fresh_since, second(40_301));
        assert_eq!(now.moved_last_modified(second(40_100)), None);
        assert!(now.moved_last_modified(second(40_301)).is_some());
        let next = CachedBody::new(b"three".to_vec(), second(40_001)).replacing(&now);
        assert_eq!(next.fresh_since, second(40_301));
    }

    #[test]
    fn a_version_put_in_the_second_the_one_before_was_answered_in_is_not_proven_by_its_date() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeedCache::default();
        let a_minute_ago = SystemTime::now() - std::time::Duration::from_secs(60);
        let millis = a_minute_ago
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        write_files_at(dir.path(), "v1", millis);
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered("v1"),
            1,
            None,
        );
        let (_, answered) = cache.answering("news", Format::Rss, dir.path()).unwrap();
        write_files(dir.path(), "v2");
        let times = file_times(dir.path(), "news");
        cache.put(&spec(), &times, &rendered("v2"), 1, None);
        let feed = cache.get("news").unwrap();
        assert!(feed.body(Format::Rss).fresh_since > whole_seconds(answered));
        // A format no answer was dated for is proven by its own date.
        let atom = feed.body(Format::Atom);
        assert_eq!(atom.fresh_since, atom.last_modified);
    }

    #[test]
    fn a_file_dated_no_later_than_a_date_this_server_sent_is_dated_anew() {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), "v2");
        let stamp = FileStamp::of(&feed_path(dir.path(), "news", Format::Rss)).unwrap();
        let now = SystemTime::now();
        // The version before was answered by a clock that ran ahead, which
        // then stepped back: the file's date proves nothing.
        let ahead = CachedBody::new(b"rss v1".to_vec(), now);
        let ahead_second = whole_seconds(now) + std::time::Duration::from_secs(300);
        ahead.note_answered(ahead_second);
        let found = CachedBody::found_at(b"rss v2".to_vec(), stamp, &ahead, now);
        assert_eq!(
            found.fresh_since,
            ahead_second + std::time::Duration::from_secs(1)
        );
        // After an answer dated before the file, it is dated by its file.
        let before = CachedBody::new(b"rss v1".to_vec(), now);
        before.note_answered(now);
        let dated = CachedBody::found_at(b"rss v2".to_vec(), stamp, &before, now);
        assert_eq!(dated.last_modified, whole_seconds(stamp.dated()));
        assert_eq!(dated.fresh_since, dated.last_modified);
    }

    #[test]
    fn putting_says_which_cached_bodies_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeedCache::default();
        let times = file_times(dir.path(), "news");
        let put = |text: &str| cache.put(&spec(), &times, &rendered(text), 1, None);
        assert!(put("v1").is_empty(), "nothing was cached before");
        assert!(put("v1").is_empty());
        assert_eq!(put("v2"), Format::ALL);
    }

    #[test]
    fn unchanged_bodies_keep_their_last_modified() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeedCache::default();
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered("v1"),
            1,
            None,
        );
        let first = cache.get("news").unwrap().body(Format::Rss).clone();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered("v1"),
            1,
            None,
        );
        assert_eq!(
            cache.get("news").unwrap().body(Format::Rss).last_modified,
            first.last_modified
        );
    }

    /// Writes `version` of the feed "news" to its files in `dir`.
    fn write_files(dir: &std::path::Path, version: &str) {
        for format in Format::ALL {
            std::fs::write(
                feed_path(dir, "news", format),
                rendered(version).get(format),
            )
            .unwrap();
        }
    }

    /// A cache holding v1 of the feed "news", as written to its files.
    fn published_v1() -> (tempfile::TempDir, FeedCache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeedCache::default();
        write_files(dir.path(), "v1");
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered("v1"),
            1,
            None,
        );
        (dir, cache)
    }

    /// Writes `version` of the feed "news" into `dir`, its files last
    /// modified `millis` after the epoch.
    fn write_files_at(dir: &std::path::Path, version: &str, millis: u64) {
        write_files(dir, version);
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(millis);
        for format in Format::ALL {
            std::fs::File::options()
                .write(true)
                .open(feed_path(dir, "news", format))
                .and_then(|file| file.set_modified(time))
                .unwrap();
        }
    }

    #[test]
    fn the_first_version_cached_is_dated_by_its_file_as_every_server_dates_it() {
        let first_cached = |dir: &std::path::Path, version: &str| {
            let cache = FeedCache::default();
            cache.put(
                &spec(),
                &file_times(dir, "news"),
                &rendered(version),
                1,
                None,
            );
            cache.get("news").unwrap().body(Format::Rss).clone()
        };
        // Files dated ahead of the moment they were put in place (as
        // publishing dates them): their own time.
        let dir = tempfile::tempdir().unwrap();
        let ahead = epoch_seconds(SystemTime::now()) + 5;
        write_files_at(dir.path(), "v2", ahead * 1000);
        let found = first_cached(dir.path(), "v2");
        assert_eq!(found.last_modified, second(ahead));
        assert_eq!(found.fresh_since, second(ahead));
        // Files keeping an older time (a copy restored): the second after
        // they were put in place, which no copy keeps.
        let putting = epoch_seconds(SystemTime::now());
        write_files_at(dir.path(), "v3", 42_600);
        let restored = first_cached(dir.path(), "v3");
        assert!(restored.last_modified > second(putting), "{restored:?}");
        assert_eq!(restored.fresh_since, restored.last_modified);
    }

    #[test]
    fn files_this_server_is_publishing_are_not_taken_for_another_process_s() {
        let (dir, cache) = published_v1();
        let publishing = cache.publishing();
        // Written, not yet kept: the poll leaves them alone.
        write_files_at(dir.path(), "v2", 70_500);
        assert!(cache.reload_changed_files(&[spec()], dir.path()).is_empty());
        let times = file_times(dir.path(), "news");
        cache.put(&spec(), &times, &rendered("v2"), 1, None);
        drop(publishing);
        assert!(cache.reload_changed_files(&[spec()], dir.path()).is_empty());
        let feed = cache.get("news").unwrap();
        assert_eq!(&feed.body(Format::Rss).body[..], b"rss v2");
    }

    /// Writes a long version (one compression shrinks) of the feed "news"
    /// to its files in `dir`, each format's bytes `text` after its name.
    fn write_long_files(dir: &std::path::Path, text: &str) {
        let long = String::from_utf8(long_text()).unwrap();
        write_files(dir, &format!("{text}\n{long}"));
    }

    #[test]
    fn a_file_another_process_put_in_place_is_taken_up_by_the_answer_that_finds_it() {
        let (dir, cache) = published_v1();
        let (feed, _) = cache.answering("news", Format::Rss, dir.path()).unwrap();
        assert_eq!(&feed.body(Format::Rss).body[..], b"rss v1");
        write_long_files(dir.path(), "v2");
        let path = feed_path(dir.path(), "news", Format::Rss);
        let stamp = FileStamp::of(&path).unwrap();
        let (feed, answered) = cache.answering("news", Format::Rss, dir.path()).unwrap();
        let body = feed.body(Format::Rss);
        assert_eq!(body.body[..], std::fs::read(&path).unwrap()[..]);
        assert_eq!(body.last_modified, whole_seconds(stamp.dated()));
        assert!(body.last_modified > whole_seconds(answered));
        // Compressed as every version kept, with the heads that go with it.
        assert!(body.encoded(Encoding::Gzip).is_some());
        assert!(body.encoded(Encoding::Brotli).is_some());
        let heads = feed.heads(Format::Rss);
        assert_eq!(
            heads.ok(Encoding::Gzip).unwrap()[header::ETAG],
            body.weak_etag
        );
        assert_eq!(
            heads.not_modified(Encoding::Gzip)[header::ETAG],
            body.weak_etag
        );
        // Taken up into the cache, every format of the feed at once, and
        // answered from there.
        assert!(Arc::ptr_eq(&feed, &cache.get("news").unwrap()));
        let (atom, _) = cache.answering("news", Format::Atom, dir.path()).unwrap();
        assert!(Arc::ptr_eq(&feed, &atom));
        // The poll announces what the answer took up, once.
        assert_eq!(
            cache.reload_changed_files(&[spec()], dir.path()),
            [Reloaded {
                name: "news".into(),
                formats: Format::ALL.to_vec(),
                entries: 1
            }]
        );
        let kept = cache.get("news").unwrap();
        assert_eq!(kept.body(Format::Rss).last_modified, body.last_modified);
        assert_eq!(kept.body(Format::Rss).etag, body.etag);
        assert!(cache.reload_changed_files(&[spec()], dir.path()).is_empty());
    }

    #[test]
    fn answers_finding_a_file_replaced_at_once_take_it_up_once() {
        let (dir, cache) = published_v1();
        write_long_files(dir.path(), "v2");
        let readers = 8;
        let start = std::sync::Barrier::new(readers);
        let answered: Vec<Arc<CachedFeed>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..readers)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        cache.answering("news", Format::Rss, dir.path()).unwrap().0
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let taken_up = cache.get("news").unwrap();
        assert!(taken_up.body(Format::Rss).brotli.is_some());
        // Answers that found it being taken up did not wait: they sent the
        // same bytes from the file.
        for feed in &answered {
            assert_eq!(feed.body(Format::Rss).etag, taken_up.body(Format::Rss).etag);
        }
        assert!(answered.iter().any(|feed| Arc::ptr_eq(feed, &taken_up)));
        assert_eq!(cache.reload_changed_files(&[spec()], dir.path()).len(), 1);
    }

    /// `feed`'s RSS body is the file's in `dir`, kept uncompressed, its
    /// answer carrying the strong ETag; the cache still holds v1.
    fn assert_answered_from_the_file(cache: &FeedCache, feed: &CachedFeed, dir: &Path) {
        let body = feed.body(Format::Rss);
        let path = feed_path(dir, "news", Format::Rss);
        assert_eq!(body.body[..], std::fs::read(path).unwrap()[..]);
        assert!(body.gzip.is_none() && body.brotli.is_none());
        assert_eq!(
            feed.heads(Format::Rss).ok(Encoding::Identity).unwrap()[header::ETAG],
            body.etag
        );
        assert_eq!(
            &cache.get("news").unwrap().body(Format::Rss).body[..],
            b"rss v1"
        );
    }

    /// The poll takes up the files of v2 `dir` holds, compressed, and an
    /// answer then comes from the cache.
    fn assert_taken_up_by_the_poll(cache: &FeedCache, dir: &Path) {
        let reloaded = cache.reload_changed_files(&[spec()], dir);
        assert_eq!(reloaded[0].formats, Format::ALL);
        let kept = cache.get("news").unwrap();
        assert!(kept.body(Format::Rss).brotli.is_some());
        let (feed, _) = cache.answering("news", Format::Rss, dir).unwrap();
        assert!(Arc::ptr_eq(&feed, &kept));
    }

    #[test]
    fn an_answer_does_not_wait_for_files_being_taken_up() {
        let (dir, cache) = published_v1();
        let cache = Arc::new(cache);
        write_long_files(dir.path(), "v2");
        let taking_up = cache.taking_up();
        let (sent, answered) = std::sync::mpsc::channel();
        let answering = cache.clone();
        let folder = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let answer = answering.answering("news", Format::Rss, &folder);
            sent.send(answer.unwrap().0).unwrap();
        });
        let feed = answered
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("answered while the files were being taken up");
        assert_answered_from_the_file(&cache, &feed, dir.path());
        drop(taking_up);
        assert_taken_up_by_the_poll(&cache, dir.path());
    }

    #[test]
    fn a_large_file_replaced_is_answered_from_the_file_and_left_for_the_poll() {
        let (dir, cache) = published_v1();
        let long = String::from_utf8(long_text()).unwrap().repeat(3);
        write_files(dir.path(), &format!("v2\n{long}"));
        assert!(
            std::fs::metadata(feed_path(dir.path(), "news", Format::Rss))
                .unwrap()
                .len()
                > CODED_ASIDE_BYTES as u64
        );
        let (feed, _) = cache.answering("news", Format::Rss, dir.path()).unwrap();
        assert_answered_from_the_file(&cache, &feed, dir.path());
        assert_taken_up_by_the_poll(&cache, dir.path());
    }

    #[test]
    fn a_file_this_server_wrote_taken_up_by_an_answer_is_announced_by_its_publication() {
        let (dir, cache) = published_v1();
        let publishing = cache.publishing();
        // Written, not yet kept, and asked for: the answer takes it up.
        write_long_files(dir.path(), "v2");
        let (feed, _) = cache.answering("news", Format::Json, dir.path()).unwrap();
        assert!(feed.body(Format::Json).gzip.is_some());
        let times = file_times(dir.path(), "news");
        let long = String::from_utf8(long_text()).unwrap();
        let replaced = cache.put(&spec(), &times, &rendered(&format!("v2\n{long}")), 1, None);
        assert_eq!(replaced, Format::ALL, "the publication announces them");
        drop(publishing);
        assert!(
            cache.reload_changed_files(&[spec()], dir.path()).is_empty(),
            "and the poll does not again"
        );
    }

    #[test]
    fn files_rewritten_by_another_process_are_reloaded() {
        let (dir, cache) = published_v1();
        assert!(cache.reload_changed_files(&[spec()], dir.path()).is_empty());
        std::fs::write(feed_path(dir.path(), "news", Format::Atom), b"atom v2").unwrap();
        assert_eq!(
            cache.reload_changed_files(&[spec()], dir.path()),
            [Reloaded {
                name: "news".into(),
                formats: vec![Format::Atom],
                entries: 1
            }]
        );
        let feed = cache.get("news").unwrap();
        assert_eq!(&feed.body(Format::Atom).body[..], b"atom v2");
        assert_eq!(&feed.body(Format::Rss).body[..], b"rss v1");
        assert_eq!((feed.entries, feed.updated), (1, None));
        // A JSON Feed file rewritten says what the index page shows.
        std::fs::write(
            feed_path(dir.path(), "news", Format::Json),
            br#"{"items": [{"date_modified": "2026-11-26T08:00:00Z"},
                           {"date_modified": "2026-11-27T09:30:00+01:00"}]}"#,
        )
        .unwrap();
        assert_eq!(
            cache.reload_changed_files(&[spec()], dir.path()),
            [Reloaded {
                name: "news".into(),
                formats: vec![Format::Json],
                entries: 2
            }]
        );
        let feed = cache.get("news").unwrap();
        assert_eq!(feed.entries, 2);
        assert_eq!(
            feed.updated.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-27T08:30:00+00:00")
        );
    }

    #[test]
    fn a_file_put_in_place_with_an_older_time_is_reloaded_and_dated_anew() {
        let (dir, cache) = published_v1();
        let served = cache.get("news").unwrap().body(Format::Rss).clone();
        let (_, answered) = cache.answering("news", Format::Rss, dir.path()).unwrap();
        // A feed made elsewhere a minute ago is renamed into place with its
        // time kept, as `rsync -a` does.
        let staging = tempfile::tempdir().unwrap();
        let a_minute_ago = SystemTime::now() - std::time::Duration::from_secs(60);
        let millis = a_minute_ago
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        write_files_at(staging.path(), "v2", millis);
        let rss = feed_path(staging.path(), "news", Format::Rss);
        std::fs::rename(&rss, feed_path(dir.path(), "news", Format::Rss)).unwrap();
        let reloaded = cache.reload_changed_files(&[spec()], dir.path());
        assert_eq!(reloaded[0].formats, [Format::Rss]);
        let body = cache.get("news").unwrap().body(Format::Rss).clone();
        assert_eq!(&body.body[..], b"rss v2");
        assert!(
            body.last_modified >= served.last_modified,
            "not dated back to the older time"
        );
        assert!(
            body.fresh_since > whole_seconds(answered),
            "the date v1 was served with does not prove v2"
        );
        assert!(cache.reload_changed_files(&[spec()], dir.path()).is_empty());
        // Overwritten in place with that time kept (`cp -p`): the same.
        std::fs::copy(
            feed_path(staging.path(), "news", Format::Atom),
            feed_path(dir.path(), "news", Format::Atom),
        )
        .unwrap();
        std::fs::File::options()
            .write(true)
            .open(feed_path(dir.path(), "news", Format::Atom))
            .and_then(|file| file.set_modified(a_minute_ago))
            .unwrap();
        assert_eq!(
            cache.reload_changed_files(&[spec()], dir.path())[0].formats,
            [Format::Atom]
        );
        assert_eq!(
            &cache.get("news").unwrap().body(Format::Atom).body[..],
            b"atom v2"
        );
    }

    #[test]
    fn a_file_rewritten_between_this_servers_write_and_its_caching_is_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeedCache::default();
        // This server writes v1 (under the folder's lock) and notes the
        // files' times then; a cron run takes the lock next and writes v2
        // before this server has cached v1.
        write_files(dir.path(), "v1");
        let written = file_times(dir.path(), "news");
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_files(dir.path(), "v2");
        cache.put(&spec(), &written, &rendered("v1"), 1, None);
        assert_eq!(
            cache.reload_changed_files(&[spec()], dir.path())[0].formats,
            Format::ALL
        );
        let feed = cache.get("news").unwrap();
        for format in Format::ALL {
            assert_eq!(
                feed.body(format).body,
                rendered("v2").get(format),
                "{format:?}"
            );
        }
    }

    /// v2 cached as its files could not be written: served from memory.
    fn put_v2_unwritten(cache: &FeedCache, dir: &std::path::Path) {
        cache.put_unwritten(&spec(), &file_times(dir, "news"), &rendered("v2"), 2, None);
    }

    /// A look at `dir` reloads nothing, and v2 is still what is served.
    fn assert_v2_kept_over_the_files(cache: &FeedCache, dir: &std::path::Path) {
        assert!(cache.reload_changed_files(&[spec()], dir).is_empty());
        assert_eq!(
            &cache.get("news").unwrap().body(Format::Rss).body[..],
            b"rss v2"
        );
    }

    #[test]
    fn an_older_file_found_again_does_not_replace_what_was_served_from_memory() {
        let (dir, cache) = published_v1();
        // The folder is gone, so v2 lives in memory only; then the folder
        // and its v1 files are back.
        let moved = dir.path().with_extension("moved");
        std::fs::rename(dir.path(), &moved).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        put_v2_unwritten(&cache, dir.path());
        std::fs::rename(&moved, dir.path()).unwrap();
        assert_v2_kept_over_the_files(&cache, dir.path());
    }

    #[test]
    fn an_older_copy_of_the_files_put_back_does_not_replace_what_was_served_from_memory() {
        let (dir, cache) = published_v1();
        // A copy of the folder (new files, v1's times kept), then the folder
        // gone: v2 lives in memory only; then the copy is put back.
        let copy = dir.path().with_extension("copy");
        std::fs::create_dir(&copy).unwrap();
        for format in Format::ALL {
            let path = feed_path(dir.path(), "news", format);
            let to = copy.join(path.file_name().unwrap());
            std::fs::copy(&path, &to).unwrap();
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            std::fs::File::options()
                .write(true)
                .open(&to)
                .and_then(|file| file.set_modified(modified))
                .unwrap();
        }
        std::fs::remove_dir_all(dir.path()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        put_v2_unwritten(&cache, dir.path());
        std::fs::rename(&copy, dir.path()).unwrap();
        assert_v2_kept_over_the_files(&cache, dir.path());
        // Another process's publication, after it, is taken.
        write_files_at(
            dir.path(),
            "v3",
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64
                + 2_000,
        );
        assert_eq!(cache.reload_changed_files(&[spec()], dir.path()).len(), 1);
        assert_eq!(
            &cache.get("news").unwrap().body(Format::Rss).body[..],
            b"rss v3"
        );
    }

    #[test]
    fn a_file_a_failed_write_put_back_is_not_taken_for_another_processs() {
        let (dir, cache) = published_v1();
        // v2 cannot be written (a full folder): served from memory, the
        // files still v1.
        put_v2_unwritten(&cache, dir.path());
        // The next try renders the same v2 and fails again; putting back
        // the file it had renamed makes it another file with v1's bytes.
        for format in Format::ALL {
            let path = feed_path(dir.path(), "news", format);
            let aside = path.with_extension("aside");
            std::fs::copy(&path, &aside).unwrap();
            std::fs::rename(&aside, &path).unwrap();
        }
        put_v2_unwritten(&cache, dir.path());
        assert_v2_kept_over_the_files(&cache, dir.path());
    }

    fn long_text() -> Vec<u8> {
        (0..400)
            .map(|i| format!("<item><title>Story {i}</title><description>The council met.</description></item>\n"))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn bodies_are_kept_in_gzip_and_brotli_that_decode_to_them() {
        use std::io::Read;
        let text = long_text();
        let body = CachedBody::new(text.clone(), SystemTime::UNIX_EPOCH);
        let gzip = body.encoded(Encoding::Gzip).expect("gzip variant");
        let brotli = body.encoded(Encoding::Brotli).expect("brotli variant");
        assert!(gzip.len() < text.len() / 4 && brotli.len() < text.len() / 4);
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, text);
        plain.clear();
        ::brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, text);
        assert_eq!(body.encoded(Encoding::Identity).unwrap()[..], text[..]);
    }

    #[test]
    fn bodies_compression_would_not_shrink_are_kept_as_they_are() {
        let body = CachedBody::new(b"{}".to_vec(), SystemTime::UNIX_EPOCH);
        assert!(body.encoded(Encoding::Gzip).is_none());
        assert!(body.encoded(Encoding::Brotli).is_none());
    }

    #[test]
    fn an_unchanged_body_is_not_compressed_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeedCache::default();
        let text = String::from_utf8(long_text()).unwrap();
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered(&text),
            1,
            None,
        );
        let first = cache.get("news").unwrap();
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered(&text),
            1,
            None,
        );
        let second = cache.get("news").unwrap();
        let brotli = |feed: &CachedFeed| feed.body(Format::Rss).brotli.clone().unwrap();
        assert_eq!(
            brotli(&first).as_ptr(),
            brotli(&second).as_ptr(),
            "the same compressed bytes, shared"
        );
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered(&format!("{text} v2")),
            1,
            None,
        );
        assert_ne!(brotli(&cache.get("news").unwrap()), brotli(&second));
    }

    #[test]
    fn with_a_hub_every_answer_names_it_and_the_feeds_own_url() {
        let dir = tempfile::tempdir().unwrap();
        let links = |feed: &CachedFeed, format: Format| {
            let heads = feed.heads(format);
            let all = [
                heads.ok(Encoding::Identity).unwrap(),
                heads.ok(Encoding::Gzip).unwrap(),
                heads.not_modified(Encoding::Identity),
                heads.not_modified(Encoding::Brotli),
                heads.precondition_failed(),
            ];
            all.map(|head| {
                head.get_all(header::LINK)
                    .iter()
                    .map(|v| v.to_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
        };
        let cache = FeedCache::new(CommonHeaders {
            websub: Some(WebSubLinks {
                hub: "https://hub.example/".into(),
                base_url: "https://news.example/city".into(),
            }),
            ..CommonHeaders::default()
        });
        let text = String::from_utf8(long_text()).unwrap();
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered(&text),
            1,
            None,
        );
        let feed = cache.get("news").unwrap();
        for (format, extension) in [(Format::Rss, "rss"), (Format::Json, "json")] {
            for head in links(&feed, format) {
                assert_eq!(
                    head,
                    [
                        "<https://hub.example/>; rel=\"hub\"".to_string(),
                        format!("<https://news.example/city/feeds/news.{extension}>; rel=\"self\"")
                    ]
                );
            }
        }
        // Without a hub, no answer has a `Link` header.
        let cache = FeedCache::new(CommonHeaders::default());
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered(&text),
            1,
            None,
        );
        let feed = cache.get("news").unwrap();
        assert!(links(&feed, Format::Atom).iter().all(Vec::is_empty));
    }

    #[test]
    fn answer_heads_are_built_with_the_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let mut common = CommonHeaders::default();
        common
            .ok
            .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        common
            .not_modified
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let cache = FeedCache::new(common);
        let text = String::from_utf8(long_text()).unwrap();
        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered(&text),
            1,
            None,
        );
        let feed = cache.get("news").unwrap();
        let (body, heads) = (feed.body(Format::Atom), feed.heads(Format::Atom));
        let plain = heads.ok(Encoding::Identity).unwrap();
        assert_eq!(plain[header::ETAG], body.etag);
        assert_eq!(
            plain[header::CONTENT_TYPE],
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(plain[header::X_FRAME_OPTIONS], "DENY");
        assert!(!plain.contains_key(header::CONTENT_ENCODING));
        let brotli = heads.ok(Encoding::Brotli).unwrap();
        assert_eq!(brotli[header::ETAG], body.weak_etag);
        assert_eq!(brotli[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli[header::LAST_MODIFIED], body.last_modified_header);
        let revalidated = heads.not_modified(Encoding::Gzip);
        assert_eq!(revalidated[header::ETAG], body.weak_etag);
        assert_eq!(revalidated[header::VARY], "accept-encoding");
        assert!(!revalidated.contains_key(header::CONTENT_TYPE));
        assert!(!revalidated.contains_key(header::X_FRAME_OPTIONS));

        cache.put(
            &spec(),
            &file_times(dir.path(), "news"),
            &rendered("{}"),
            1,
            None,
        );
        let tiny = cache.get("news").unwrap();
        assert!(
            tiny.heads(Format::Json).ok(Encoding::Gzip).is_none(),
            "no head for an encoding the body is not kept in"
        );
    }
}
