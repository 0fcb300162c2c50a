//! Publishing: renders a feed's entries as RSS 2.0, Atom 1.0 and JSON Feed
//! 1.1, and writes each file atomically (temporary file, then rename), only
//! when its bytes changed. Rendering is pure: the same entries always give
//! the same bytes, and a feed's `updated` is its newest entry's (an empty
//! feed's, the moment it was first written empty). No URL is
//! published with a user name or password, and every URL is published as
//! an RFC 3986 URI.

pub mod atom;
pub mod entry_html;
pub mod json;
pub mod rss;

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use tempfile::NamedTempFile;
use thiserror::Error;

use crate::config::PublishConfig;
use crate::dedup::fingerprint::TAG_PREFIX;
use crate::ingest::sanitize;
use crate::lock_wait::{Lock, lock_telling_of_the_wait};
use crate::model::{FeedSpec, StoredArticle, rfc3339};
use crate::normalize::{uri_string, uri_text, written_uri};

/// The three published formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }
}

/// Publishing failed for one feed.
#[derive(Debug, Error)]
pub enum PublishError {
    #[error("feed `{feed}`: cannot render {format}: {message}")]
    Render {
        feed: String,
        format: &'static str,
        message: String,
    },
    #[error("{path}: cannot write the feed file: {cause}")]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: cannot use the feeds folder: {cause}")]
    Folder {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{folder}: cannot take the feeds folder's lock (`{lock}`): {cause}")]
    Lock {
        folder: PathBuf,
        lock: &'static str,
        cause: std::io::Error,
    },
}

/// The URL readers reach feed `name` at in `format`, under `base_url`
/// (without a trailing slash): its self link, its WebSub topic and the
/// index page's link to it.
pub fn feed_url(base_url: &str, name: &str, format: Format) -> String {
    format!("{base_url}/feeds/{name}.{}", format.extension())
}

/// The MIME type a media file is published with: its own, else
/// `application/octet-stream` (RSS and JSON Feed require one).
fn enclosure_type(file: &crate::model::Enclosure) -> &str {
    file.media_type
        .as_deref()
        .unwrap_or("application/octet-stream")
}

/// What a feed is rendered with besides its entries.
pub struct FeedContext<'a> {
    pub spec: &'a FeedSpec,
    /// Without a trailing slash.
    pub base_url: &'a str,
    pub author: &'a str,
    /// The WebSub hub announced with `rel="hub"`.
    pub hub: Option<&'a str>,
    /// The newest entry's `updated`; for an empty feed, the moment given to
    /// [`render`] (see [`empty_feed_written`]).
    pub updated: DateTime<Utc>,
}

impl FeedContext<'_> {
    /// The URL the feed is served at in `format`.
    pub fn url(&self, format: Format) -> String {
        feed_url(self.base_url, &self.spec.name, format)
    }

    pub fn home_url(&self) -> String {
        format!("{}/", self.base_url)
    }

    /// The feed's own stable id.
    pub fn id(&self) -> String {
        format!("{TAG_PREFIX}feed:{}", self.spec.name)
    }

    pub fn description(&self) -> String {
        self.spec
            .description
            .clone()
            .unwrap_or_else(|| format!("{}: news folded by feedfold", self.spec.title))
    }

    pub fn generator(&self) -> String {
        format!("feedfold {}", env!("CARGO_PKG_VERSION"))
    }

    fn render_error(&self, format: Format, error: impl std::fmt::Display) -> PublishError {
        PublishError::Render {
            feed: self.spec.name.clone(),
            format: format.extension(),
            message: error.to_string(),
        }
    }
}

/// An entry with its HTML and summary rendered once for all formats.
pub struct Entry<'a> {
    pub article: &'a StoredArticle,
    pub html: String,
    /// `None` when the article shows no paragraph to summarise.
    pub summary: Option<String>,
}

/// The three rendered documents of one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub rss: Vec<u8>,
    pub atom: Vec<u8>,
    pub json: Vec<u8>,
}

impl Rendered {
    pub fn get(&self, format: Format) -> &[u8] {
        match format {
            Format::Rss => &self.rss,
            Format::Atom => &self.atom,
            Format::Json => &self.json,
        }
    }
}

/// Renders `articles` (already chosen and ordered) as the feed `spec`,
/// dated `updated`: its newest entry's date, or when it has none the date
/// it was first written empty ([`empty_feed_written`]).
/// Characters that XML 1.0 forbids even escaped (see [`is_xml_char`]) are
/// left out of every field first, whatever the articles or the config hold,
/// so that every format is well-formed and all three carry the same text.
pub fn render(
    spec: &FeedSpec,
    settings: &PublishConfig,
    articles: &[StoredArticle],
    updated: DateTime<Utc>,
) -> Result<Rendered, PublishError> {
    let spec = &xml_safe_spec(spec);
    let settings = &xml_safe_settings(settings);
    let articles: &[StoredArticle] = &articles
        .iter()
        .map(|a| public_urls(xml_safe_article(a.clone())))
        .collect::<Vec<_>>();
    let hub = announced_hub(settings);
    let context = FeedContext {
        spec,
        base_url: &settings.base_url,
        author: &settings.author,
        hub: hub.as_deref(),
        updated,
    };
    let entries: Vec<Entry> = articles
        .iter()
        .map(|article| Entry {
            article,
            html: entry_html::article_html(article),
            summary: entry_html::summary(article),
        })
        .collect();
    Ok(Rendered {
        rss: rss::render(&context, &entries)?,
        atom: atom::render(&context, &entries)?,
        json: json::render(&context, &entries)?,
    })
}

/// The WebSub hub, if one is configured, as the feeds announce it with
/// `rel="hub"`: as a feed publishes a URL (an RFC 3986 URI), so without the
/// user name and password feedfold's own pings are authorised with.
pub fn announced_hub(settings: &PublishConfig) -> Option<String> {
    let mut hub = settings.websub_hub.clone()?;
    strip_xml_invalid(&mut hub);
    Some(public_url(&hub).into_owned())
}

/// Whether XML 1.0 allows `c` in a document, as text or as a character
/// reference (its `Char` production): not the C0 controls other than tab,
/// line feed and carriage return, nor U+FFFE and U+FFFF. Upstream HTML can
/// hold them (`&#1;` decodes to U+0001), and one would make the whole RSS or
/// Atom document unreadable.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn strip_xml_invalid(text: &mut String) {
    text.retain(is_xml_char);
}

fn xml_safe_article(mut article: StoredArticle) -> StoredArticle {
    let StoredArticle {
        id,
        title,
        published: _,
        updated: _,
        captions,
        body,
        link,
        authors,
        categories,
        enclosures,
        summary,
        content_html,
    } = &mut article;
    for text in [id, title]
        .into_iter()
        .chain(link)
        .chain(summary)
        .chain(content_html)
    {
        strip_xml_invalid(text);
    }
    for caption in captions {
        strip_xml_invalid(&mut caption.text);
        caption
            .credit
            .iter_mut()
            .chain(&mut caption.image)
            .chain(&mut caption.alt)
            .for_each(strip_xml_invalid);
    }
    body.iter_mut().for_each(|b| strip_xml_invalid(&mut b.text));
    for enclosure in enclosures {
        strip_xml_invalid(&mut enclosure.url);
        enclosure.media_type.iter_mut().for_each(strip_xml_invalid);
    }
    authors
        .iter_mut()
        .chain(categories)
        .for_each(strip_xml_invalid);
    article
}

fn xml_safe_spec(spec: &FeedSpec) -> FeedSpec {
    let mut spec = spec.clone();
    strip_xml_invalid(&mut spec.title);
    spec.description.iter_mut().for_each(strip_xml_invalid);
    spec
}

fn xml_safe_settings(settings: &PublishConfig) -> PublishConfig {
    let mut settings = settings.clone();
    strip_xml_invalid(&mut settings.base_url);
    strip_xml_invalid(&mut settings.author);
    settings.websub_hub.iter_mut().for_each(strip_xml_invalid);
    settings
}

/// `article` with its link, its media files and its captions' images
/// published as [`public_url`] writes them: as the feeds publish it, and
/// so as every other place that shows an article shows it.
pub(crate) fn public_urls(mut article: StoredArticle) -> StoredArticle {
    let urls = article
        .link
        .iter_mut()
        .chain(article.enclosures.iter_mut().map(|e| &mut e.url))
        .chain(article.captions.iter_mut().filter_map(|c| c.image.as_mut()));
    for url in urls {
        if let Cow::Owned(public) = public_url(url) {
            *url = public;
        }
    }
    if let Some(html) = &mut article.content_html
        && let Cow::Owned(public) = public_html(html)
    {
        *html = public;
    }
    article
}

/// The source's sanitized HTML with the URL of each `href` and `src`
/// attribute as a feed publishes it ([`public_url`]), the rest byte for
/// byte. Reads the sanitizer's output as html5ever serialized it: every
/// `<` of the text escaped, so each one opens a tag, and every attribute
/// value double-quoted, `&`, `"`, `<`, `>` and no-break spaces escaped.
fn public_html(html: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let tag_start = at + found;
        // The tag ends at the first `>` outside a quoted attribute value.
        let mut quoted = false;
        let tag_end = html[tag_start..]
            .bytes()
            .position(|b| {
                quoted ^= b == b'"';
                b == b'>' && !quoted
            })
            .map_or(html.len(), |end| tag_start + end);
        let tag = &html[tag_start..tag_end];
        let mut rest = 0;
        while let Some(eq) = tag[rest..].find("=\"") {
            let eq = rest + eq;
            let value_start = eq + 2;
            let value_end = tag[value_start..]
                .find('"')
                .map_or(tag.len(), |end| value_start + end);
            let name = tag[..eq]
                .rsplit(|c: char| c.is_ascii_whitespace())
                .next()
                .unwrap_or_default();
            if matches!(name, "href" | "src") {
                let value = sanitize::unescape_attribute(&tag[value_start..value_end]);
                if let Cow::Owned(public) = public_url(&value) {
                    out.push_str(&html[copied..tag_start + value_start]);
                    out.push_str(&sanitize::escape_attribute(&public));
                    copied = tag_start + value_end;
                }
            }
            rest = (value_end + 1).min(tag.len());
        }
        at = (tag_end + 1).min(html.len());
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// A URL as a feed publishes it: without the user name and password it
/// may carry (a hub's authorise feedfold's own pings; an article's, pushed
/// or read upstream, may open an editor's CMS), as a feed is read by
/// anyone; and written as feedfold writes a link ([`written_uri`]: an RFC
/// 3986 URI, a host in punycode, no white space around it), which a link
/// stored before feedfold read links so (`?tags[]=`, `href=" https://…"`
/// in an entry's HTML) may not be yet. Its query stays: it is often part of
/// the address, and so does its fragment. A link published so is no
/// secret: the pages and the API show it so too.
pub(crate) fn public_url(link: &str) -> Cow<'_, str> {
    match url::Url::parse(link) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            // A URL with userinfo has a host, which takes both.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            Cow::Owned(uri_string(&url))
        }
        Ok(url) => match written_uri(link, &url) {
            Cow::Borrowed(written) if written.len() < link.len() => Cow::Owned(written.to_string()),
            written => written,
        },
        Err(_) => uri_text(link),
    }
}

/// When the feed `name` in `dir` was written empty, if its Atom file is an
/// empty feed: the date that file gives, so that an empty feed published
/// again keeps its bytes. `None` when there is no such file, it holds
/// entries (the feed is empty from now on) or it is dated the Unix epoch
/// (as empty feeds were before): the feed is then dated the moment it is
/// written.
pub fn empty_feed_written(dir: &Path, name: &str) -> Option<DateTime<Utc>> {
    let file = fs::File::open(feed_path(dir, name, Format::Atom)).ok()?;
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(file)).ok()?;
    let updated = feed.updated().with_timezone(&Utc);
    (feed.entries().is_empty() && updated != DateTime::UNIX_EPOCH).then_some(updated)
}

/// Whether a feed file was rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    Unchanged,
}

/// `cause`, why the folder `dir` could not be made, said plainly when it
/// is a name already taken by something that is no folder: a symbolic
/// link to a folder that does not exist (a mount not there yet), or a
/// file.
fn what_stands_in_the_way(dir: &Path, cause: std::io::Error) -> std::io::Error {
    use std::io::ErrorKind;
    if !matches!(
        cause.kind(),
        ErrorKind::AlreadyExists | ErrorKind::NotADirectory
    ) {
        return cause;
    }
    // The first part of the path that is there but is no folder.
    let taken = dir
        .ancestors()
        .filter(|part| !part.as_os_str().is_empty())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|part| !part.is_dir() && fs::symlink_metadata(part).is_ok());
    let Some(taken) = taken else {
        return cause;
    };
    let said = match fs::read_link(taken) {
        Ok(target) => format!(
            "{} is a symbolic link to {}, which is not there",
            taken.display(),
            target.display()
        ),
        Err(_) => format!("{} is a file, not a folder", taken.display()),
    };
    std::io::Error::new(cause.kind(), said)
}

/// The feeds folder's lock file, which [`lock_dir`] takes.
pub const LOCK_FILE: &str = ".feedfold.lock";

/// Whether `name` is that of a temporary file publishing writes
/// (`.<file>.<random>.tmp`), which a later run removes as an interrupted
/// write.
pub fn is_temp_file_name(name: Option<&std::ffi::OsStr>) -> bool {
    name.map(|name| name.to_string_lossy())
        .is_some_and(|name| name.starts_with('.') && name.ends_with(".tmp"))
}

/// Takes the exclusive publishing lock of `dir` (creating both if needed),
/// waiting for another process that holds it as long as that needs, and
/// saying so once the wait is long. Released when dropped. With
/// the lock held nobody else is writing, so temporary files a killed
/// process left behind are removed.
pub fn lock_dir(dir: &Path) -> Result<fs::File, PublishError> {
    let path = dir.join(LOCK_FILE);
    fs::create_dir_all(dir).map_err(|cause| PublishError::Folder {
        path: dir.to_path_buf(),
        cause: what_stands_in_the_way(dir, cause),
    })?;
    let err = |cause| PublishError::Lock {
        folder: dir.to_path_buf(),
        lock: LOCK_FILE,
        cause,
    };
    // A symlink planted in the lock's place is refused, not followed.
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(err)?;
    let held = Lock {
        file: &path,
        guards: "the feeds folder",
        holder_is: "publishing",
    };
    lock_telling_of_the_wait(&file, held).map_err(err)?;
    remove_stale_temp_files(dir);
    Ok(file)
}

/// Removes `.<file>.<pid>.tmp` files that an interrupted write left in `dir`.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temp_file_name(Some(&entry.file_name())) && entry.path().is_file() {
            match fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::info!(file = %entry.path().display(), "removed an interrupted write")
                }
                Err(e) => tracing::warn!(file = %entry.path().display(), "cannot remove: {e}"),
            }
        }
    }
}

/// The path of feed `name` in `format` under `dir`.
pub fn feed_path(dir: &Path, name: &str, format: Format) -> PathBuf {
    dir.join(format!("{name}.{}", format.extension()))
}

/// What tells one version of a file from another: its modification time
/// and size, and its inode and status-change time, which a copy that keeps
/// the modification time (`cp -p`, `rsync -a`) changes all the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub modified: SystemTime,
    len: u64,
    inode: (u64, u64),
    changed: (i64, i64),
}

impl FileStamp {
    /// The stamp of the file at `path` now; `None` when there is none.
    pub fn of(path: &Path) -> Option<FileStamp> {
        Self::from_metadata(&fs::metadata(path).ok()?)
    }

    /// The stamp of the open `file`, and its bytes, read through one
    /// handle: the stamp is that of the bytes, whatever is renamed into
    /// `path`'s place meanwhile. `None` when there is no file.
    pub fn read(path: &Path) -> Option<(FileStamp, Vec<u8>)> {
        let mut file = fs::File::open(path).ok()?;
        let stamp = Self::from_metadata(&file.metadata().ok()?)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        Some((stamp, bytes))
    }

    /// How many bytes the file holds.
    pub fn size(&self) -> u64 {
        self.len
    }

    fn from_metadata(meta: &fs::Metadata) -> Option<FileStamp> {
        Some(FileStamp {
            modified: meta.modified().ok()?,
            len: meta.len(),
            inode: (meta.dev(), meta.ino()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// The date the version in the file is served with, the same for
    /// every process that reads it: the second after the file was put in
    /// place (its status-change time, which renaming it into place sets,
    /// and which no copy keeps: a file restored from a backup with its
    /// old modification time is dated when it was restored), or its
    /// modification time when that is later (a version dated after the
    /// one it replaced, `dated_after`). A server answers from memory
    /// only while the file is the one it holds (`server::cache`), so every
    /// date any server sent of an earlier version, a `Date` included, is
    /// earlier than the moment this file was put in place.
    pub fn dated(&self) -> SystemTime {
        let put_in_place = u64::try_from(self.changed.0).unwrap_or(0) + 1;
        let modified = epoch_seconds(self.modified);
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(modified.max(put_in_place))
    }
}

/// The whole seconds from the epoch to `time` (0 before it).
fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// What each file of a feed was ([`FileStamp`]), read right after
/// publishing it while the folder is locked; `None` where there is none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileTimes {
    now: [Option<FileStamp>; 3],
}

impl FileTimes {
    /// What the file was.
    pub fn stamp(&self, format: Format) -> Option<FileStamp> {
        self.now[format_index(format)]
    }
}

/// Where `format` is in [`Format::ALL`].
fn format_index(format: Format) -> usize {
    match format {
        Format::Rss => 0,
        Format::Atom => 1,
        Format::Json => 2,
    }
}

/// The [`FileTimes`] of feed `name`'s files in `dir` now.
pub fn file_times(dir: &Path, name: &str) -> FileTimes {
    FileTimes {
        now: Format::ALL.map(|format| FileStamp::of(&feed_path(dir, name, format))),
    }
}

/// What writing a feed's files did: each file written or found unchanged,
/// in [`Format::ALL`] order, and the error that stopped the write, if one
/// did. The files listed are those in place, even when an error follows.
#[derive(Debug)]
pub struct FeedWrite {
    pub files: Vec<(PathBuf, WriteOutcome)>,
    pub error: Option<PublishError>,
}

/// Writes the three files of feed `name` into `dir`, all of them or none
/// as far as the folder allows: the new bytes of every file that changed go
/// to temporary files first ([`write_if_changed`] says how), and the files
/// they replace are kept aside (a hard link, or a copy where links cannot
/// be made); only once all are ready are they renamed into place, one after
/// the other. A write that fails (a full disk) leaves every file as it was;
/// so does a rename that fails (a folder in a file's place, a file another
/// user owns in a sticky folder): the files renamed before it are put back.
/// [`FeedWrite::files`] lists the files in place.
pub fn write_feed(dir: &Path, name: &str, rendered: &Rendered) -> FeedWrite {
    let failed = |error| FeedWrite {
        files: Vec::new(),
        error: Some(error),
    };
    if let Err(cause) = fs::create_dir_all(dir) {
        return failed(PublishError::Write {
            path: dir.to_path_buf(),
            cause,
        });
    }
    let mut staged = Vec::with_capacity(Format::ALL.len());
    for format in Format::ALL {
        let path = feed_path(dir, name, format);
        let prepared = stage(&path, rendered.get(format)).and_then(|temp| match temp {
            None => Ok(None),
            Some(temp) => Ok(Some((temp, keep_aside(&path)?))),
        });
        match prepared {
            Ok(change) => staged.push((path, change)),
            // The files staged and kept aside so far are removed as
            // `staged` drops.
            Err(error) => return failed(error),
        }
    }
    let mut files = Vec::with_capacity(staged.len());
    let mut replaced = Vec::new();
    for (path, change) in staged {
        let outcome = match change {
            None => WriteOutcome::Unchanged,
            Some((temp, previous)) => match put_in_place(temp, &path) {
                Ok(()) => {
                    replaced.push((path.clone(), previous));
                    WriteOutcome::Written
                }
                Err(error) => {
                    put_back(replaced);
                    sync_folder(folder_of(&path));
                    return failed(error);
                }
            },
        };
        files.push((path, outcome));
    }
    if !replaced.is_empty() {
        sync_folder(folder_of(&feed_path(dir, name, Format::Rss)));
    }
    FeedWrite { files, error: None }
}

/// The file or symbolic link at `path` kept aside under a temporary name
/// beside it (a hard link, else a copy; a link as a link to the same
/// target), so that it can be put back; `None` when there is neither at
/// `path`. The name is removed when the result drops.
fn keep_aside(path: &Path) -> Result<Option<NamedTempFile<()>>, PublishError> {
    let current = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() || meta.is_symlink() => meta,
        _ => return Ok(None),
    };
    let aside = tempfile::Builder::new()
        .prefix(&format!(
            ".{}.old.",
            path.file_name().unwrap_or_default().to_string_lossy()
        ))
        .suffix(".tmp")
        .rand_bytes(16)
        .make_in(folder_of(path), |name| {
            if current.is_symlink() {
                std::os::unix::fs::symlink(fs::read_link(path)?, name)
            } else {
                fs::hard_link(path, name).or_else(|_| copy_new(path, name, &current))
            }
        });
    aside.map(Some).map_err(|cause| PublishError::Write {
        path: path.to_path_buf(),
        cause: without_temporary_name(cause),
    })
}

/// `cause`, a failure to make a temporary file, as the operating system
/// told it, without the file's random name the `tempfile` crate adds
/// (`… at path ".all.rss.tVaLORiktIVn60JL.tmp"`): the same failure reads
/// the same every time, and `serve` logs it once.
fn without_temporary_name(cause: std::io::Error) -> std::io::Error {
    // The crate keeps the system's error private, shown before the name.
    let named = cause.get_ref().map(ToString::to_string);
    match named
        .as_deref()
        .and_then(|named| named.split_once(" at path \""))
    {
        Some((told, _)) => std::io::Error::new(cause.kind(), told),
        None => cause,
    }
}

/// Copies `from` to the new file `to` (created exclusively), with the
/// permissions of `from`.
fn copy_new(from: &Path, to: &Path, meta: &fs::Metadata) -> std::io::Result<()> {
    let bytes = fs::read(from)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    file.write_all(&bytes)?;
    file.set_permissions(meta.permissions())?;
    file.sync_all()
}

/// Puts back the files `replaced` replaced: each kept aside is renamed back
/// into place, and a file that was not there before is removed. As far as
/// the folder allows: what it refuses stays new.
fn put_back(replaced: Vec<(PathBuf, Option<NamedTempFile<()>>)>) {
    for (path, previous) in replaced {
        let _ = match previous {
            Some(previous) => previous.persist(&path).map(drop).map_err(|e| e.error),
            None => fs::remove_file(&path),
        };
    }
}

/// Replaces `path` with `bytes` atomically, unless it already holds them.
/// Readers of `path` see the old file or the new one, never a part.
///
/// The bytes go to a temporary file beside `path`, named `.<file>.<random>.tmp`
/// and created exclusively (`O_CREAT | O_EXCL`, which never follows a
/// symlink, even a dangling one), then synced and renamed over `path`. A
/// link planted under any name in the folder can neither receive the bytes
/// nor end up in `path`'s place: a taken name is skipped for another.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<WriteOutcome, PublishError> {
    let Some(temp) = stage(path, bytes)? else {
        return Ok(WriteOutcome::Unchanged);
    };
    put_in_place(temp, path)?;
    sync_folder(folder_of(path));
    Ok(WriteOutcome::Written)
}

/// The folder `path` is in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `bytes` written and synced to a new temporary file beside `path`, as
/// [`write_if_changed`] says, or `None` when `path` already holds them. On
/// failure no temporary file is left.
fn stage(path: &Path, bytes: &[u8]) -> Result<Option<NamedTempFile>, PublishError> {
    if fs::read(path).is_ok_and(|current| current == bytes) {
        return Ok(None);
    }
    let err = |cause| PublishError::Write {
        path: path.to_path_buf(),
        cause,
    };
    let prefix = format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .rand_bytes(16)
        // What a new file gets: 0o666 less the umask.
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(folder_of(path))
        .map_err(|cause| err(without_temporary_name(cause)))?;
    // On failure the temporary file is removed when `temp` drops. Written
    // through the file itself, so the cause does not name the temporary
    // file's random name: the same failure reads the same every time, and
    // `serve` logs it once.
    temp.as_file_mut().write_all(bytes).map_err(err)?;
    let replaced = FileStamp::of(path).map(|stamp| stamp.dated());
    // Where the time cannot be set, the file is dated when it is put in
    // place all the same ([`FileStamp::dated`]).
    let _ = temp
        .as_file()
        .set_modified(dated_after(replaced, SystemTime::now()));
    temp.as_file().sync_all().map_err(err)?;
    Ok(Some(temp))
}

/// The modification time a file written `now` takes in place of one
/// dated `replaced` ([`FileStamp::dated`]; `None` when there is none): the
/// whole second after `now`'s. Every date a server may have sent of an
/// earlier version (its `Last-Modified`, never later than the clock, or
/// the `Date` of an answer, the clock itself) is at the latest `now`'s
/// second. A version it replaces dated that second too (written in the
/// same second) has not been sent with its date, which the clock has not
/// reached, so a burst of versions stays dated a second ahead at most.
/// Only after a file dated later still (written under a clock that ran
/// ahead, whose date may have been sent) is the new one dated in the
/// second after that file's.
fn dated_after(replaced: Option<SystemTime>, now: SystemTime) -> SystemTime {
    let next = epoch_seconds(now) + 1;
    let replaced = replaced.map_or(0, epoch_seconds);
    let dated = if replaced > next { replaced + 1 } else { next };
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(dated)
}

/// Renames the staged `temp` over `path`; on failure `temp` is removed.
/// The file in place is then dated no earlier than the second after it
/// was put there ([`settle_date`]).
fn put_in_place(temp: NamedTempFile, path: &Path) -> Result<(), PublishError> {
    let file = temp.persist(path).map_err(|e| PublishError::Write {
        path: path.to_path_buf(),
        cause: e.error,
    })?;
    settle_date(&file);
    Ok(())
}

/// Dates `file`, just renamed into place, no earlier than its
/// [`FileStamp::dated`], so that its modification time alone gives the
/// date every server sends (a write that crossed into the second its
/// staged date named is dated in the next one). Setting the time changes
/// the status-change time again, hence the few tries.
fn settle_date(file: &fs::File) {
    for _ in 0..3 {
        let Some(stamp) = file
            .metadata()
            .ok()
            .and_then(|meta| FileStamp::from_metadata(&meta))
        else {
            return;
        };
        let dated = stamp.dated();
        if epoch_seconds(stamp.modified) == epoch_seconds(dated)
            || file.set_modified(dated).is_err()
        {
            return;
        }
    }
}

/// Syncs the folder `dir`, so that renames in it last a power cut; at
/// worst a file is found old after one, never in part.
fn sync_folder(dir: &Path) {
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Caption};

    #[test]
    fn a_new_version_of_a_file_is_dated_in_the_second_after_it_is_written() {
        let at = |millis: u64| SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(millis);
        assert_eq!(dated_after(Some(at(40_300)), at(40_800)), at(41_000));
        assert_eq!(dated_after(None, at(40_800)), at(41_000));
        assert_eq!(
            dated_after(Some(at(41_000)), at(40_900)),
            at(41_000),
            "a burst of versions in one second is dated in the next one, not one second further each"
        );
        assert_eq!(
            dated_after(Some(at(40_300)), at(41_100)),
            at(42_000),
            "an answer of the version replaced may have been dated in the second it is written"
        );
        assert_eq!(
            dated_after(Some(at(400_300)), at(40_000)),
            at(401_000),
            "a file written under a clock that ran ahead, which has since stepped back"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.atom");
        let stamp = |path: &Path| FileStamp::of(path).unwrap();
        let whole = |time: SystemTime| epoch_seconds(time);
        for text in ["v1", "v2", "v3"] {
            let writing = SystemTime::now();
            write_if_changed(&path, text.as_bytes()).unwrap();
            let written = stamp(&path);
            assert!(
                whole(written.modified) > whole(writing),
                "{writing:?} {written:?}"
            );
            assert_eq!(
                written.dated(),
                written.modified,
                "the file's own time is the date every server reads from it"
            );
        }
    }

    #[test]
    fn a_file_put_in_place_keeping_an_older_time_is_dated_when_it_was_put_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.atom");
        fs::write(&path, "restored").unwrap();
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let restored = FileStamp::of(&path).unwrap();
        assert_eq!(restored.modified, old);
        assert!(restored.dated() > SystemTime::now() - std::time::Duration::from_secs(60));
        // A new version written over it is dated after it.
        write_if_changed(&path, b"newer").unwrap();
        assert!(FileStamp::of(&path).unwrap().dated() >= restored.dated());
    }

    fn settings(hub: Option<&str>) -> PublishConfig {
        PublishConfig {
            dir: PathBuf::from("feeds"),
            base_url: "https://x.example".into(),
            author: "me".into(),
            websub_hub: hub.map(str::to_string),
        }
    }

    fn spec() -> FeedSpec {
        FeedSpec {
            name: "news".into(),
            title: "News & Views".into(),
            description: None,
            sources: None,
            limit: 50,
        }
    }

    /// A feed's date, for tests that check something else of it.
    fn dated() -> DateTime<Utc> {
        article(31).updated
    }

    fn article(n: u32) -> StoredArticle {
        let date = DateTime::parse_from_rfc3339(&format!("2024-07-{n:02}T05:30:00Z"))
            .unwrap()
            .with_timezone(&Utc);
        StoredArticle {
            id: format!("{TAG_PREFIX}article:{n:032}"),
            title: format!("Story <{n}> & more"),
            published: date,
            updated: date,
            captions: vec![Caption::credited("A crowd", "AP")],
            body: vec![
                Block::paragraph("Text ]]> with CDATA end."),
                Block::subhead("Sub"),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn links_are_published_without_user_name_and_password_in_every_format() {
        let mut a = article(4);
        a.link =
            Some("https://desk:S3cretPw@cms.calder.example/news/harbour-vote?id=88&lang=en".into());
        a.enclosures = vec![crate::model::Enclosure {
            url: "https://desk:S3cretPw@media.calder.example/harbour.mp3?token=public".into(),
            media_type: Some("audio/mpeg".into()),
            length: None,
        }];
        a.captions[0].image = Some("https://desk@img.calder.example/pier.jpg".into());
        let rendered = render(&spec(), &settings(None), &[a], dated()).unwrap();
        for (format, bytes) in [
            ("rss", &rendered.rss),
            ("atom", &rendered.atom),
            ("json", &rendered.json),
        ] {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("S3cretPw") && !text.contains("desk@"),
                "{format}: {text}"
            );
            // The query stays: it is part of the address.
            assert!(
                text.contains("https://cms.calder.example/news/harbour-vote?id=88"),
                "{format}: {text}"
            );
            assert!(
                text.contains("https://media.calder.example/harbour.mp3?token=public"),
                "{format}: {text}"
            );
            assert!(
                text.contains("https://img.calder.example/pier.jpg"),
                "{format}: {text}"
            );
        }
    }

    #[test]
    fn links_stored_before_they_were_read_as_uris_are_published_as_uris() {
        let mut a = article(5);
        a.link = Some("https://up.example/a|b/story?tags[]=harbour&x={1}".into());
        a.enclosures = vec![crate::model::Enclosure {
            url: "https://up.example/a.mp3?v[]=1".into(),
            media_type: Some("audio/mpeg".into()),
            length: None,
        }];
        a.captions[0].image = Some("https://u:p@up.example/p^.jpg".into());
        let rendered = render(&spec(), &settings(None), &[a], dated()).unwrap();
        for (format, bytes) in [
            ("rss", &rendered.rss),
            ("atom", &rendered.atom),
            ("json", &rendered.json),
        ] {
            let text = String::from_utf8_lossy(bytes);
            for uri in [
                "https://up.example/a%7Cb/story?tags%5B%5D=harbour&amp;x=%7B1%7D",
                "https://up.example/a.mp3?v%5B%5D=1",
            ] {
                let uri = if format == "json" {
                    uri.replace("&amp;", "&")
                } else {
                    uri.to_string()
                };
                assert!(text.contains(&uri), "{format}: {uri} in {text}");
            }
            assert!(
                !text.contains("[]") && !text.contains('|'),
                "{format}: {text}"
            );
        }
        let json = String::from_utf8_lossy(&rendered.json);
        assert!(json.contains("https://up.example/p%5E.jpg"), "{json}");
    }

    #[test]
    fn links_in_the_sources_html_are_published_as_uris_in_every_format() {
        let mut a = article(6);
        a.content_html = Some(
            "<p><a href=\"https://up.example/a|b?tags[]=1&amp;q={x}^\" rel=\"noopener noreferrer\">a|b</a> \
             <img src=\"https://u:p@up.example/two words.jpg\" alt=\"[x] {y}\"> \
             <a href=\"https://up.example/fine?x=1&amp;y=2\">fine</a> href=\"https://up.example/|\"</p>"
                .into(),
        );
        let rendered = render(&spec(), &settings(None), &[a], dated()).unwrap();
        let rss = ::rss::Channel::read_from(&rendered.rss[..]).unwrap();
        let atom = atom_syndication::Feed::read_from(&rendered.atom[..]).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&rendered.json).unwrap();
        for (format, html) in [
            ("rss", rss.items()[0].content().unwrap().to_string()),
            (
                "atom",
                atom.entries()[0]
                    .content()
                    .unwrap()
                    .value()
                    .unwrap()
                    .to_string(),
            ),
            (
                "json",
                json["items"][0]["content_html"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            ),
        ] {
            for part in [
                "<a href=\"https://up.example/a%7Cb?tags%5B%5D=1&amp;q=%7Bx%7D%5E\" rel=\"noopener noreferrer\">a|b</a>",
                "<img src=\"https://up.example/two%20words.jpg\" alt=\"[x] {y}\">",
                // What needs nothing is as it was, and text is text.
                "<a href=\"https://up.example/fine?x=1&amp;y=2\">fine</a> href=\"https://up.example/|\"</p>",
            ] {
                assert!(html.contains(part), "{format}: {part} in {html}");
            }
            assert!(!html.contains("u:p@"), "{format}: {html}");
        }
    }

    #[test]
    fn urls_in_html_stored_before_they_were_written_as_links_are_published_so() {
        let mut a = article(7);
        a.content_html = Some(
            "<p><a href=\" https://port.example/timetable\">a</a> \
             <a href=\"https://port.example/fares\n\">b</a> \
             <img src=\"https://b\u{fc}cher.example/cover.jpg\"></p>"
                .into(),
        );
        let rendered = render(&spec(), &settings(None), &[a], dated()).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&rendered.json).unwrap();
        let html = json["items"][0]["content_html"].as_str().unwrap();
        for url in [
            "https://port.example/timetable",
            "https://port.example/fares",
            "https://xn--bcher-kva.example/cover.jpg",
        ] {
            assert!(html.contains(&format!("=\"{url}\"")), "{url} in {html}");
        }
    }

    #[test]
    fn rendering_is_deterministic_and_dated_as_given() {
        let articles = [article(29), article(3)];
        let newest = articles[0].updated;
        let a = render(&spec(), &settings(None), &articles, newest).unwrap();
        let b = render(&spec(), &settings(None), &articles, newest).unwrap();
        assert_eq!(a, b);
        let rss = String::from_utf8(a.rss).unwrap();
        assert!(
            rss.contains("<lastBuildDate>Mon, 29 Jul 2024 05:30:00 +0000</lastBuildDate>"),
            "{rss}"
        );
        assert!(
            rss.contains(r#"<guid isPermaLink="false">tag:feedfold.invalid,2026:article:"#),
            "{rss}"
        );
        assert!(
            rss.contains(r#"href="https://x.example/feeds/news.rss" rel="self""#),
            "{rss}"
        );
        let atom = String::from_utf8(a.atom).unwrap();
        assert!(
            atom.contains("<updated>2024-07-29T05:30:00+00:00</updated>"),
            "{atom}"
        );
        assert!(atom.contains("<name>me</name>"), "{atom}");
        let json: serde_json::Value = serde_json::from_slice(&a.json).unwrap();
        assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(json["items"][0]["title"], "Story <29> & more");
        assert_eq!(json["items"][1]["date_published"], "2024-07-03T05:30:00Z");
    }

    #[test]
    fn rss_titles_read_back_as_the_same_text() {
        let titles = [
            "Browsers differ on </br> and &nbsp; handling",
            "Mayor <script>alert(1)</script> Opens Bridge",
            "the <template> element",
            "AT&T and Q&A: Tom's \"quote\"",
            "a<b implies b>a",
            "Plain headline",
        ];
        let articles: Vec<StoredArticle> = (1..)
            .zip(titles)
            .map(|(n, title)| StoredArticle {
                title: title.into(),
                ..article(n)
            })
            .collect();
        let mut spec = spec();
        spec.title = "News & <Views>".into();
        let rss = render(&spec, &settings(None), &articles, dated())
            .unwrap()
            .rss;
        let read = crate::ingest::feed::parse_feed(&rss, None, "news.rss").unwrap();
        assert_eq!(read.title.as_deref(), Some("News & <Views>"));
        let mut read_titles: Vec<String> = read.articles.into_iter().map(|a| a.title).collect();
        let mut expected: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
        read_titles.sort();
        expected.sort();
        assert_eq!(read_titles, expected);
    }

    #[test]
    fn characters_xml_forbids_are_left_out_of_every_format() {
        let mut a = article(1);
        a.title = "Nul\0 and bell\u{7} in the title".into();
        a.content_html = Some("<p>para \u{1} one \u{FFFE}</p>".into());
        a.captions[0].credit = Some("A\u{1B}P".into());
        a.categories = vec!["cat\u{8}".into()];
        let mut spec = spec();
        spec.title = "News\u{C}".into();
        let rendered = render(&spec, &settings(None), &[a], dated()).unwrap();
        let rss = String::from_utf8(rendered.rss).unwrap();
        let atom = String::from_utf8(rendered.atom).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&rendered.json).unwrap();
        for xml in [&rss, &atom] {
            assert!(xml.chars().all(is_xml_char), "{xml:?}");
            assert!(xml.contains("Nul and bell in the title"), "{xml}");
            assert!(xml.contains("(AP)"), "{xml}");
        }
        assert!(rss.parse::<::rss::Channel>().is_ok(), "{rss}");
        assert!(atom.parse::<atom_syndication::Feed>().is_ok(), "{atom}");
        assert_eq!(json["title"], "News");
        assert_eq!(json["items"][0]["tags"][0], "cat");
        assert!(
            json["items"][0]["content_html"]
                .as_str()
                .unwrap()
                .ends_with("<p>para  one </p>\n")
        );
    }

    #[test]
    fn the_rss_description_holds_the_summary_as_text_not_markup() {
        let mut a = article(1);
        a.summary = Some("Tom & Jerry <img src=x onerror=alert(1)>".into());
        let rendered = render(&spec(), &settings(None), &[a], dated()).unwrap();
        let channel = ::rss::Channel::read_from(&rendered.rss[..]).unwrap();
        assert_eq!(
            channel.items()[0].description(),
            Some("Tom &amp; Jerry &lt;img src=x onerror=alert(1)&gt;")
        );
        let json: serde_json::Value = serde_json::from_slice(&rendered.json).unwrap();
        assert_eq!(
            json["items"][0]["summary"],
            "Tom & Jerry <img src=x onerror=alert(1)>"
        );
    }

    #[test]
    fn an_empty_feed_is_dated_when_first_written_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(empty_feed_written(dir.path(), "news"), None, "no file yet");
        let written = DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let empty = render(&spec(), &settings(None), &[], written).unwrap();
        let atom = String::from_utf8(empty.atom.clone()).unwrap();
        assert!(
            atom.contains("<updated>2026-12-01T08:00:00+00:00</updated>"),
            "{atom}"
        );
        let rss = String::from_utf8(empty.rss.clone()).unwrap();
        assert!(
            rss.contains("<lastBuildDate>Tue, 1 Dec 2026 08:00:00 +0000</lastBuildDate>"),
            "{rss}"
        );
        write_feed(dir.path(), "news", &empty);
        assert_eq!(empty_feed_written(dir.path(), "news"), Some(written));
        // Rendered again with that date, the feed keeps its bytes.
        let again = render(&spec(), &settings(None), &[], written).unwrap();
        assert_eq!(again, empty);
        // A file with entries, or dated the epoch, dates nothing.
        let full = render(&spec(), &settings(None), &[article(1)], written).unwrap();
        write_feed(dir.path(), "news", &full);
        assert_eq!(empty_feed_written(dir.path(), "news"), None);
        let epoch = render(&spec(), &settings(None), &[], DateTime::UNIX_EPOCH).unwrap();
        write_feed(dir.path(), "news", &epoch);
        assert_eq!(empty_feed_written(dir.path(), "news"), None);
    }

    #[test]
    fn a_description_with_markup_reads_as_text_in_every_format() {
        let mut described = spec();
        described.description = Some("Harbour <i>news</i> & tides".into());
        let rendered = render(&described, &settings(None), &[article(1)], dated()).unwrap();
        let rss = String::from_utf8(rendered.rss).unwrap();
        assert!(
            rss.contains("<description>Harbour &amp;lt;i&amp;gt;news&amp;lt;/i&amp;gt; &amp;amp; tides</description>"),
            "{rss}"
        );
        let atom = String::from_utf8(rendered.atom).unwrap();
        assert!(
            atom.contains("Harbour &lt;i&gt;news&lt;/i&gt; &amp; tides"),
            "{atom}"
        );
    }

    #[test]
    fn websub_hub_is_announced_in_every_format() {
        let hub = "https://hub.example/";
        let a = render(&spec(), &settings(Some(hub)), &[article(1)], dated()).unwrap();
        let rss = String::from_utf8(a.rss).unwrap();
        assert!(
            rss.contains(r#"<atom:link href="https://hub.example/" rel="hub"/>"#),
            "{rss}"
        );
        let atom = String::from_utf8(a.atom).unwrap();
        assert!(
            atom.contains(r#"<link href="https://hub.example/" rel="hub"/>"#),
            "{atom}"
        );
        let json: serde_json::Value = serde_json::from_slice(&a.json).unwrap();
        assert_eq!(
            json["hubs"],
            serde_json::json!([{"type": "WebSub", "url": hub}])
        );
        let private = render(
            &spec(),
            &settings(Some("https://pinger:s3cret@hub.example/ping?topic=all")),
            &[article(1)],
            dated(),
        )
        .unwrap();
        for format in [Format::Rss, Format::Atom, Format::Json] {
            let text = String::from_utf8(private.get(format).to_vec()).unwrap();
            assert!(
                text.contains("https://hub.example/ping?topic=all") && !text.contains("s3cret"),
                "{text}"
            );
        }
        let plain = render(&spec(), &settings(None), &[article(1)], dated()).unwrap();
        assert!(
            !String::from_utf8(plain.atom)
                .unwrap()
                .contains("rel=\"hub\"")
        );
    }

    #[test]
    fn a_file_that_cannot_be_written_fails_the_same_way_every_time() {
        let dir = tempfile::tempdir().unwrap();
        // A folder gone: no temporary file can be made beside the feed.
        let path = dir.path().join("gone/all.rss");
        let failures: Vec<String> = (0..2)
            .map(|_| write_if_changed(&path, b"<rss/>").unwrap_err().to_string())
            .collect();
        assert_eq!(failures[0], failures[1]);
        assert!(
            failures[0].contains("cannot write the feed file"),
            "{}",
            failures[0]
        );
        assert!(!failures[0].contains(".all.rss."), "{}", failures[0]);
        assert!(failures[0].ends_with("(os error 2)"), "{}", failures[0]);
    }

    #[test]
    fn write_if_changed_skips_identical_bytes_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.rss");
        assert_eq!(
            write_if_changed(&path, b"one").unwrap(),
            WriteOutcome::Written
        );
        assert_eq!(
            write_if_changed(&path, b"one").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(
            write_if_changed(&path, b"two").unwrap(),
            WriteOutcome::Written
        );
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["news.rss"]);
    }

    #[test]
    fn taking_the_lock_clears_interrupted_writes() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".news.rss.4242.tmp"), b"half a fe").unwrap();
        fs::write(dir.path().join("news.rss"), b"whole").unwrap();
        let _lock = lock_dir(dir.path()).unwrap();
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".feedfold.lock", "news.rss"]);
    }

    #[test]
    fn failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty folder where the feed file goes makes the final
        // rename fail, after the temporary file was written.
        let path = dir.path().join("news.rss");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("old"), b"old").unwrap();
        let err = write_if_changed(&path, b"new").unwrap_err().to_string();
        assert!(err.contains("news.rss"), "{err}");
        assert_eq!(fs::read(path.join("old")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["news.rss"], "no temporary file is left");
    }

    #[test]
    fn a_feed_write_stopped_part_way_puts_back_the_files_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = Rendered {
            rss: b"rss".to_vec(),
            atom: b"atom".to_vec(),
            json: b"json".to_vec(),
        };
        let rss = feed_path(dir.path(), "news", Format::Rss);
        let atom = feed_path(dir.path(), "news", Format::Atom);
        let json = feed_path(dir.path(), "news", Format::Json);
        fs::write(&rss, b"old rss").unwrap();
        // A non-empty folder in the JSON file's place makes its rename
        // fail, after the RSS and Atom files were put in their places.
        fs::create_dir(&json).unwrap();
        fs::write(json.join("old"), b"old").unwrap();
        let write = write_feed(dir.path(), "news", &rendered);
        assert!(write.files.is_empty(), "{:?}", write.files);
        let error = write.error.expect("the failed rename").to_string();
        assert!(error.contains("news.json"), "{error}");
        assert_eq!(fs::read(&rss).unwrap(), b"old rss", "put back");
        assert!(!atom.exists(), "a file that was not there is removed");
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["news.json", "news.rss"],
            "no temporary file is left"
        );
        // Once the way is clear, all three are written.
        fs::remove_dir_all(&json).unwrap();
        let write = write_feed(dir.path(), "news", &rendered);
        assert!(write.error.is_none());
        assert_eq!(fs::read(&json).unwrap(), b"json");
        assert_eq!(fs::read(&rss).unwrap(), b"rss");
    }

    #[test]
    fn a_feed_file_that_was_a_symbolic_link_is_put_back_as_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = Rendered {
            rss: b"rss".to_vec(),
            atom: b"atom".to_vec(),
            json: b"json".to_vec(),
        };
        let served = dir.path().join("served.rss");
        fs::write(&served, b"served rss").unwrap();
        let rss = feed_path(dir.path(), "news", Format::Rss);
        std::os::unix::fs::symlink(&served, &rss).unwrap();
        let json = feed_path(dir.path(), "news", Format::Json);
        fs::create_dir(&json).unwrap();
        fs::write(json.join("old"), b"old").unwrap();
        let write = write_feed(dir.path(), "news", &rendered);
        assert!(write.error.is_some());
        assert_eq!(fs::read_link(&rss).unwrap(), served, "the link is back");
        assert_eq!(fs::read(&served).unwrap(), b"served rss");
    }

    #[test]
    fn a_feed_write_lists_every_file_written_or_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = Rendered {
            rss: b"rss".to_vec(),
            atom: b"atom".to_vec(),
            json: b"json".to_vec(),
        };
        fs::write(feed_path(dir.path(), "news", Format::Atom), b"atom").unwrap();
        let write = write_feed(dir.path(), "news", &rendered);
        assert!(write.error.is_none(), "{:?}", write.error);
        let outcomes: Vec<_> = write.files.iter().map(|(_, o)| *o).collect();
        assert_eq!(
            outcomes,
            [
                WriteOutcome::Written,
                WriteOutcome::Unchanged,
                WriteOutcome::Written
            ]
        );
        for format in Format::ALL {
            let path = feed_path(dir.path(), "news", format);
            assert_eq!(fs::read(path).unwrap(), rendered.get(format));
        }
    }

    #[test]
    fn planted_symlinks_never_redirect_the_write() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("owned");
        // Dangling links under the names a process id would give, this
        // process's among them, and a link in the feed file's own place.
        let pid = std::process::id();
        for candidate in pid.saturating_sub(50)..pid + 50 {
            symlink(
                &target,
                dir.path().join(format!(".news.rss.{candidate}.tmp")),
            )
            .unwrap();
        }
        let path = dir.path().join("news.rss");
        symlink(&target, &path).unwrap();
        assert_eq!(
            write_if_changed(&path, b"feed").unwrap(),
            WriteOutcome::Written
        );
        assert!(!target.exists(), "nothing was written through a link");
        let metadata = fs::symlink_metadata(&path).unwrap();
        assert!(metadata.file_type().is_file(), "news.rss is a regular file");
        assert_eq!(fs::read(&path).unwrap(), b"feed");
        for entry in fs::read_dir(dir.path()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != "news.rss" {
                assert!(entry.file_type().unwrap().is_symlink(), "{entry:?}");
            }
        }
    }

    #[test]
    fn feed_files_get_the_permissions_of_a_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.rss");
        write_if_changed(&path, b"one").unwrap();
        let plain = dir.path().join("plain");
        fs::write(&plain, b"one").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn a_link_in_the_lock_files_place_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("owned");
        std::os::unix::fs::symlink(&target, dir.path().join(".feedfold.lock")).unwrap();
        let err = lock_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains(".feedfold.lock"), "{err}");
        assert!(err.contains("feeds folder's lock"), "{err}");
        assert!(
            !err.contains("feed file"),
            "the lock is no feed file: {err}"
        );
        assert!(!target.exists(), "nothing was created through the link");
    }

    #[test]
    fn a_feeds_folder_that_is_a_file_is_named_as_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let feeds = dir.path().join("feeds");
        fs::write(&feeds, b"not a folder").unwrap();
        let err = lock_dir(&feeds).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: cannot use the feeds folder", feeds.display())),
            "{err}"
        );
        assert!(err.contains("is a file, not a folder"), "{err}");
        // Under it, too.
        let err = lock_dir(&feeds.join("news")).unwrap_err().to_string();
        assert!(
            err.contains(&format!("{} is a file, not a folder", feeds.display())),
            "{err}"
        );
    }

    #[test]
    fn a_feeds_folder_that_links_to_nothing_names_the_link_and_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let feeds = dir.path().join("feeds");
        let target = dir.path().join("not-mounted-yet/feeds");
        std::os::unix::fs::symlink(&target, &feeds).unwrap();
        let err = lock_dir(&feeds).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "{} is a symbolic link to {}, which is not there",
                feeds.display(),
                target.display()
            )),
            "{err}"
        );
        assert!(!target.exists(), "nothing made at the link's target");
    }
}
