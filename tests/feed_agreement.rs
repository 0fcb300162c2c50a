//! How closely feedfold's feed reading agrees with Python's feedparser, the
//! reference aggregators judge feeds by, measured on what
//! `benches/fetch-feed-corpora.sh` fetches (nothing of it is committed):
//!
//! - feedparser's own test suite: each file's `Expect:` line, reduced to its
//!   checks of an entry's title, body, link and id, against what
//!   `parse_feed` reads from the file (cases that need HTTP headers aside);
//! - real-world feed files that public parsers ship as fixtures, read by
//!   feedparser itself (`benches/feedparser_entries.py`) and by feedfold:
//!   entries found, titles, links, ids and bodies the same.
//!
//! Text is compared as text: HTML on either side becomes its plain text.
//! What feedfold publishes from the real feeds must pass the feed checkers.
//! Every file of both suites must also read (or fail) without a panic, in
//! bounded time. Absent corpora skip these tests, except under `CI=true`.

mod common;
#[path = "feed_agreement/expect.rs"]
mod expect;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use expect::{Field, Kind};
use feedfold::ingest::feed::{ParsedFeed, parse_feed};
use feedfold::ingest::sanitize::html_to_text;
use feedfold::model::Article;

/// Agreement required with feedparser's test suite, per kind.
const SUITE_AGREEMENT: f64 = 0.97;

/// Agreement required with feedparser on the real feeds.
const REAL_ENTRIES: f64 = 0.995;
const REAL_TITLES: f64 = 0.99;
const REAL_LINKS: f64 = 0.98;
// One file of 25 entries (reddit-home.rss) is all the difference: feedparser
// resolves its Atom ids against the `xml:base` of the `content` before them.
const REAL_IDS: f64 = 0.96;
const REAL_BODIES: f64 = 0.99;

/// How many disagreements each kind lists (`FEED_AGREEMENT_MISSES` changes it).
static MISSES_SHOWN: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    std::env::var("FEED_AGREEMENT_MISSES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
});

/// No document may take longer than this to read (a hang guard, not a
/// benchmark: documents here are at most a few hundred KB).
const PER_FILE_LIMIT: Duration = Duration::from_secs(10);

/// Text as a reader sees it: HTML rendered to plain text, white space
/// collapsed.
fn as_text(text: &str) -> String {
    html_to_text(text)
}

fn read_timed(bytes: &[u8], location: &str) -> Option<ParsedFeed> {
    let started = Instant::now();
    let result = parse_feed(bytes, None, location);
    let took = started.elapsed();
    assert!(took < PER_FILE_LIMIT, "{location}: took {took:?}");
    result.ok()
}

/// The article read from the entry at `index` (0-based, in document order).
fn entry_at(feed: Option<&ParsedFeed>, index: usize) -> Option<&Article> {
    let feed = feed?;
    let at = feed.entry_numbers.iter().position(|&n| n == index + 1)?;
    feed.articles.get(at)
}

/// What feedfold gives for a field, as the suite's checks read it.
fn field_value(article: Option<&Article>, field: Field) -> String {
    let Some(article) = article else {
        return String::new();
    };
    match field {
        // Titles and summaries are plain text already.
        Field::Title => collapse(&article.title),
        // feedparser's summary is the content when there is no summary.
        Field::Summary => match &article.summary {
            Some(summary) => collapse(summary),
            None => body_text(article),
        },
        Field::Content => body_text(article),
        Field::Link => article.link.clone().unwrap_or_default(),
        Field::Id => article.upstream_id.clone().unwrap_or_default(),
    }
}

/// The entry's text: its HTML as text, else its body blocks.
fn body_text(article: &Article) -> String {
    match &article.content_html {
        Some(html) => as_text(html),
        None => as_text(
            &article
                .body
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// A test file's text: the suite writes some in UTF-16 and UTF-32.
fn file_text(bytes: &[u8]) -> String {
    let utf32 = |big: bool, body: &[u8]| -> String {
        body.chunks_exact(4)
            .map(|c| {
                let unit = if big {
                    u32::from_be_bytes([c[0], c[1], c[2], c[3]])
                } else {
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
                };
                char::from_u32(unit).unwrap_or('\u{FFFD}')
            })
            .collect()
    };
    match bytes {
        [0, 0, 0xFE, 0xFF, rest @ ..] => utf32(true, rest),
        [0xFF, 0xFE, 0, 0, rest @ ..] => utf32(false, rest),
        [0, 0, 0, b'<', ..] => utf32(true, bytes),
        [b'<', 0, 0, 0, ..] => utf32(false, bytes),
        [0xFE, 0xFF, ..] | [0, b'<', ..] => encoding_rs::UTF_16BE.decode(bytes).0.into_owned(),
        [0xFF, 0xFE, ..] | [b'<', 0, ..] => encoding_rs::UTF_16LE.decode(bytes).0.into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    agreed: usize,
    misses: Vec<String>,
}

impl Tally {
    fn count(&mut self, agreed: bool, miss: impl FnOnce() -> String) {
        self.cases += 1;
        if agreed {
            self.agreed += 1;
        } else {
            self.misses.push(miss());
        }
    }

    fn share(&self) -> f64 {
        if self.cases == 0 {
            1.0
        } else {
            self.agreed as f64 / self.cases as f64
        }
    }

    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {:.1}% |",
            self.cases,
            self.agreed,
            100.0 * self.share()
        )
    }
}

fn print_misses(name: &str, tally: &Tally) {
    for miss in tally.misses.iter().take(*MISSES_SHOWN) {
        eprintln!("  {name}: {miss}");
    }
    if tally.misses.len() > *MISSES_SHOWN {
        eprintln!("  {name}: … {} more", tally.misses.len() - *MISSES_SHOWN);
    }
}

#[test]
fn agrees_with_feedparsers_own_test_suite() {
    let Some(corpora) = common::feed_corpora() else {
        return;
    };
    let suite = std::fs::read_dir(&corpora)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("feedparser-"))
                && p.join("tests").is_dir()
        })
        .unwrap_or_else(|| panic!("{}: no feedparser-*/tests", corpora.display()))
        .join("tests");
    let mut files = Vec::new();
    xml_files(&suite, &mut files);
    assert!(files.len() > 2000, "{} test files", files.len());

    let mut tallies: BTreeMap<Kind, Tally> = BTreeMap::new();
    let (mut http_cases, mut skipped) = (0, 0);
    for path in &files {
        let relative = path
            .strip_prefix(&suite)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(path).unwrap();
        // Every file reads or fails cleanly, those aside below included.
        let feed = read_timed(&bytes, &relative);
        let text = file_text(&bytes);
        let Some(line) = expect::expect_line(&text) else {
            continue;
        };
        let checks = expect::checks(line);
        if checks.is_empty() {
            continue;
        }
        // The suite serves these over HTTP, with headers that change the result.
        if relative.contains("http") {
            http_cases += 1;
            continue;
        }
        // The suite skips these unless `chardet` is installed; feedparser does not need it.
        if text.contains("SkipUnless:") && text.contains("chardet") {
            skipped += 1;
            continue;
        }
        let mut by_kind: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
        for check in &checks {
            let got = field_value(entry_at(feed.as_ref(), check.entry), check.field);
            // The suite does not say whether a value is HTML or plain text
            // (that is in the document's `type`): either reading may match.
            let expected = as_text(&check.expected);
            let as_plain = collapse(&check.expected);
            let misses = by_kind.entry(check.field.kind()).or_default();
            if got != expected && got != as_plain {
                misses.push(format!(
                    "{relative}: {:?}: expected {expected:?}, got {got:?}",
                    check.field
                ));
            }
        }
        for (kind, misses) in by_kind {
            tallies
                .entry(kind)
                .or_default()
                .count(misses.is_empty(), || misses.join("; "));
        }
    }

    eprintln!(
        "feedparser's test suite ({} files; {http_cases} cases that need HTTP and {skipped} that need chardet left out):",
        files.len()
    );
    eprintln!("| kind | cases | agreed | share |\n|---|---:|---:|---:|");
    for (kind, tally) in &tallies {
        eprintln!("{}", tally.row(&format!("{kind:?}").to_lowercase()));
    }
    for (kind, tally) in &tallies {
        print_misses(&format!("{kind:?}"), tally);
    }
    for kind in [Kind::Title, Kind::Body, Kind::Link, Kind::Id] {
        let tally = &tallies[&kind];
        assert!(
            tally.share() >= SUITE_AGREEMENT,
            "{kind:?}: {:.1}% agree, below {:.0}%",
            100.0 * tally.share(),
            100.0 * SUITE_AGREEMENT
        );
    }
}

/// One entry as feedparser reads it (see `benches/feedparser_entries.py`).
#[derive(Debug, Default, serde::Deserialize)]
struct Reference {
    file: String,
    entry: Option<usize>,
    title: Option<String>,
    #[serde(default)]
    title_html: bool,
    link: Option<String>,
    id: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    /// Nothing of its own: no title, text, link, id or media.
    #[serde(default)]
    empty: bool,
}

fn feedparser_entries(corpora: &Path, files: &[String]) -> HashMap<String, Vec<Reference>> {
    let python = corpora.join("venv/bin/python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/feedparser_entries.py");
    let output = Command::new(&python)
        .arg(&script)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    assert!(
        output.status.success(),
        "feedparser failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut by_file: HashMap<String, Vec<Reference>> = HashMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let entry: Reference = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let entries = by_file.entry(entry.file.clone()).or_default();
        if entry.entry.is_some() {
            entries.push(entry);
        }
    }
    by_file
}

#[test]
fn agrees_with_feedparser_on_real_feeds() {
    let Some(corpora) = common::feed_corpora() else {
        return;
    };
    let list = corpora.join("real/files.txt");
    let files: Vec<String> = std::fs::read_to_string(&list)
        .unwrap_or_else(|e| panic!("{}: {e}", list.display()))
        .lines()
        .map(str::to_string)
        .collect();
    assert!(files.len() > 200, "{} real feed files", files.len());
    let reference = feedparser_entries(&corpora, &files);

    let mut entries = Tally::default();
    let (mut extra, mut empty, mut untitled) = (0, 0, 0);
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let feed = read_timed(&bytes, file);
        let ours = feed.as_ref().map_or(0, |f| f.articles.len());
        let theirs = reference.get(file).map(Vec::as_slice).unwrap_or_default();
        let short = file.rsplit("/real/").next().unwrap_or(file);
        for (index, entry) in theirs.iter().enumerate() {
            let article = entry_at(feed.as_ref(), index);
            // feedfold leaves out entries with nothing of their own.
            if entry.empty && article.is_none() {
                empty += 1;
                continue;
            }
            entries.count(article.is_some(), || {
                format!("{short}: entry {index} missing")
            });
            let Some(article) = article else {
                continue;
            };
            let title = entry.title.as_deref().unwrap_or_default();
            let title = if entry.title_html {
                as_text(title)
            } else {
                collapse(title)
            };
            // feedfold makes a title up for an entry without one.
            if title.is_empty() {
                untitled += 1;
            } else {
                tallies
                    .entry("titles")
                    .or_default()
                    .count(collapse(&article.title) == title, || {
                        format!("{short} #{index}: {title:?} / {:?}", article.title)
                    });
            }
            let link = entry.link.as_deref().unwrap_or_default();
            let ours_link = article.link.as_deref().unwrap_or_default();
            // feedfold's links are absolute web URLs; feedparser also gives
            // relative ones (it has no base for a file) and ids (`urn:`).
            if link.is_empty() || link.starts_with("http://") || link.starts_with("https://") {
                tallies
                    .entry("links")
                    .or_default()
                    .count(ours_link == link, || {
                        format!("{short} #{index}: {link:?} / {ours_link:?}")
                    });
            } else {
                let tally = tallies.entry("links not web URLs").or_default();
                tally.cases += 1;
                tally
                    .misses
                    .push(format!("{short} #{index}: {link:?} / {ours_link:?}"));
            }
            let id = entry.id.as_deref().unwrap_or_default();
            let ours_id = article.upstream_id.as_deref().unwrap_or_default();
            tallies.entry("ids").or_default().count(ours_id == id, || {
                format!("{short} #{index}: {id:?} / {ours_id:?}")
            });
            let body = entry
                .content
                .as_deref()
                .or(entry.summary.as_deref())
                .map(as_text)
                .unwrap_or_default();
            let ours_body = body_text(article);
            tallies
                .entry("bodies")
                .or_default()
                .count(ours_body == body, || {
                    format!(
                        "{short} #{index}: {:?} / {:?}",
                        clip(&body),
                        clip(&ours_body)
                    )
                });
        }
        extra += ours.saturating_sub(theirs.len());
    }

    eprintln!(
        "real feeds ({} files; {} entries by feedparser, {empty} of them empty and left out by feedfold, \
         {untitled} without a title, which feedfold makes up; {extra} more entries by feedfold):",
        files.len(),
        entries.cases + empty
    );
    eprintln!("| what | compared | same | share |\n|---|---:|---:|---:|");
    eprintln!("{}", entries.row("entries found"));
    for (name, tally) in &tallies {
        eprintln!("{}", tally.row(name));
    }
    print_misses("entries", &entries);
    for (name, tally) in &tallies {
        print_misses(name, tally);
    }
    let required = [
        ("entries found", &entries, REAL_ENTRIES),
        ("titles", &tallies["titles"], REAL_TITLES),
        ("links", &tallies["links"], REAL_LINKS),
        ("ids", &tallies["ids"], REAL_IDS),
        ("bodies", &tallies["bodies"], REAL_BODIES),
    ];
    for (name, tally, floor) in required {
        assert!(
            tally.share() >= floor,
            "{name}: {:.1}% the same, below {:.1}%",
            100.0 * tally.share(),
            100.0 * floor
        );
    }
}

/// Plain text with its white space collapsed, as feedfold cleans titles.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clip(text: &str) -> String {
    text.chars().take(80).collect()
}

/// Everything feedfold publishes from the real feeds passes the
/// independent feed checkers (when they are installed; see `check_feeds`).
#[test]
fn real_feeds_publish_clean() {
    let Some(corpora) = common::feed_corpora() else {
        return;
    };
    let files = std::fs::read_to_string(corpora.join("real/files.txt")).unwrap();
    let mut config = String::from(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n",
    );
    for (i, file) in files.lines().enumerate() {
        config.push_str(&format!(
            "[[source]]\nname = \"real-{i}\"\nfeed = \"{file}\"\n\n"
        ));
    }
    config.push_str("[[feed]]\nname = \"all\"\ntitle = \"Everything\"\nlimit = 10000\n");
    let project = common::Project::new(&config);
    let run = project.feedfold(&["run", "--quiet"]);
    let (stdout, stderr) = common::text(&run);
    // Some fixtures are not feeds at all (gzip, a catalogue): those sources fail alone.
    assert!(matches!(run.status.code(), Some(0 | 1)), "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let published = std::fs::read_to_string(project.path("feeds/all.json")).unwrap();
    let items = serde_json::from_str::<serde_json::Value>(&published).unwrap()["items"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(items > 400, "{items} items published");
    common::check_feeds(
        &["rss", "atom", "json"].map(|ext| project.path(&format!("feeds/all.{ext}"))),
    );
}
