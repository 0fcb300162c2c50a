//! Generated stores for the near-duplicate scale benchmark: `base(i)` is
//! the i-th stored article (a headline and four to eight paragraphs of
//! pseudo-words, deterministic in `i`), [`build`] writes `n` of them into a
//! new store with bulk inserts in one transaction, and `incoming(j, n)` is
//! the j-th article to fold into a store of `n`: a quarter new stories, a
//! quarter exact repeats with the headline in capitals, a quarter with a
//! paragraph appended (near-duplicates that update), a quarter with a site
//! suffix and one word changed (near-duplicates that do not).
//!
//! The base store is written through the store's own writer, each article
//! recorded as new without the lookups a fold makes first (the measured
//! part goes through `pipeline::fold_article`): the same rows, ids, prints
//! and index keys, so a million articles take minutes instead of hours.
//! A store is `sqlite:PATH` (or a bare path) or a `postgres://` URL of an
//! empty database.

use std::path::Path;
use std::sync::mpsc;

use chrono::{DateTime, Duration, TimeZone, Utc};

use feedfold::config::{StoreLocation, StoreUrl};
use feedfold::dedup::{Dates, Decision, Fingerprints, simhash::stable_hash};
use feedfold::model::{Article, Block, Origin};
use feedfold::store::{Decided, StoreError, open_at};

#[path = "../support/splitmix.rs"]
mod splitmix;

/// SplitMix64: a small, fixed generator, so every run makes the same text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(stable_hash(&seed.to_le_bytes()))
    }

    fn next(&mut self) -> u64 {
        splitmix::next(&mut self.0)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ren", "sta", "vor", "qui", "del", "am", "bro", "tes", "nu", "gar", "pel",
    "sho", "vin", "tra", "mo", "lek", "dun", "ha", "zi", "cor", "wen",
];

/// A word of 1 to 3 syllables; common words come up far more often than
/// rare ones, as in text.
fn word(rng: &mut Rng) -> String {
    let rank = rng.below(4000).min(rng.below(4000));
    let mut r = Rng::new(rank);
    (0..1 + r.below(3))
        .map(|_| SYLLABLES[r.below(SYLLABLES.len() as u64) as usize])
        .collect()
}

fn sentence(rng: &mut Rng, words: u64) -> String {
    let mut text: Vec<String> = (0..words).map(|_| word(rng)).collect();
    if let Some(first) = text.first_mut() {
        *first = capitalised(first);
    }
    format!("{}.", text.join(" "))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn date(i: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(i as i64 * 3)
}

/// The i-th generated story.
pub fn base(i: u64) -> Article {
    let mut rng = Rng::new(i);
    let title = (0..6 + rng.below(4))
        .map(|_| capitalised(&word(&mut rng)))
        .collect::<Vec<_>>()
        .join(" ");
    let body = (0..4 + rng.below(5))
        .map(|_| {
            let words = 15 + rng.below(31);
            Block::paragraph(sentence(&mut rng, words))
        })
        .collect();
    Article {
        title,
        published: Some(date(i)),
        body,
        origin: Origin {
            location: "generated".into(),
            line: i as usize + 1,
        },
        ..Default::default()
    }
}

/// The j-th incoming article for a store of `n` generated stories.
pub fn incoming(j: u64, n: u64) -> Article {
    let mut rng = Rng::new(j ^ 0x5eed_0000_0000);
    let target = rng.below(n);
    let mut article = match j % 4 {
        0 => base(n + j),
        1 => {
            let mut a = base(target);
            a.title = a.title.to_uppercase();
            a
        }
        2 => {
            let mut a = base(target);
            let words = 20 + rng.below(20);
            a.body.push(Block::paragraph(sentence(&mut rng, words)));
            a
        }
        _ => {
            let mut a = base(target);
            a.title.push_str(" - The Daily Courier");
            let block = rng.below(a.body.len() as u64) as usize;
            let mut words: Vec<String> =
                a.body[block].text.split(' ').map(str::to_string).collect();
            let at = 1 + rng.below(words.len() as u64 - 2) as usize;
            words[at] = word(&mut rng);
            a.body[block].text = words.join(" ");
            a
        }
    };
    article.origin = Origin {
        location: "incoming".into(),
        line: j as usize + 1,
    };
    article
}

/// One generated article with what the store keeps for it.
struct Row {
    article: Article,
    fingerprints: Fingerprints,
}

fn row(i: u64) -> Row {
    let article = base(i);
    let fingerprints = Fingerprints::of(&article, "base");
    Row {
        article,
        fingerprints,
    }
}

/// The store a benchmark argument names: `postgres://…`, `sqlite:PATH` or
/// a path (the criterion bench builds its SQLite stores itself).
#[allow(dead_code)]
pub fn location(arg: &str) -> StoreLocation {
    if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
        StoreLocation::Postgres(StoreUrl::parse(arg).expect("a postgres:// URL"))
    } else {
        StoreLocation::Sqlite(arg.strip_prefix("sqlite:").unwrap_or(arg).into())
    }
}

/// Writes a new store of `n` generated stories at `location` (removing a
/// SQLite file that was there; a PostgreSQL database must be empty), with
/// the index keyed for distance `k`. Prints are taken on two threads; the
/// articles are recorded in one transaction.
pub fn build(location: &StoreLocation, n: u64, k: u32) -> Result<(), StoreError> {
    if let StoreLocation::Sqlite(path) = location {
        remove_sqlite(path);
    }
    let mut store = open_at(location)?;
    assert_eq!(store.article_count()?, 0, "the store to build is empty");
    store.rekey_near_index(k)?;
    let mut writer = store.begin("base")?;
    let (send, receive) = mpsc::sync_channel::<Vec<Row>>(8);
    std::thread::scope(|scope| -> Result<(), StoreError> {
        const CHUNK: u64 = 1000;
        let workers = 2;
        for w in 0..workers {
            let send = send.clone();
            scope.spawn(move || {
                let mut start = w * CHUNK;
                while start < n {
                    let rows = (start..(start + CHUNK).min(n)).map(row).collect();
                    if send.send(rows).is_err() {
                        return;
                    }
                    start += workers * CHUNK;
                }
            });
        }
        drop(send);
        let mut done = 0u64;
        for rows in receive {
            let before = done;
            done += rows.len() as u64;
            for r in rows {
                let when = r.article.published.expect("dated");
                let decision = Decision::New {
                    id: r.fingerprints.new_id.clone(),
                };
                writer.record(&Decided {
                    article: &r.article,
                    headline: &r.article.title,
                    fingerprints: &r.fingerprints,
                    decision: &decision,
                    found_under: None,
                    dates: Dates::of(&r.article, when),
                    now: when,
                    shows_local_intro: false,
                    page_read: false,
                    another_copy: false,
                })?;
            }
            if done / 100_000 > before / 100_000 {
                eprintln!("  {done} of {n} articles written");
            }
        }
        Ok(())
    })?;
    writer.commit(&chrono::Utc::now)
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}
