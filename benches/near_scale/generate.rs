//! Generated stores for the near-duplicate scale benchmark: `base(i)` is
//! the i-th stored article (a headline and four to eight paragraphs of
//! pseudo-words, deterministic in `i`), [`build`] writes `n` of them into a
//! new store with bulk inserts in one transaction, and `incoming(j, n)` is
//! the j-th article to fold into a store of `n`: a quarter new stories, a
//! quarter exact repeats with the headline in capitals, a quarter with a
//! paragraph appended (near-duplicates that update), a quarter with a site
//! suffix and one word changed (near-duplicates that do not).
//!
//! The base store is written straight into the tables a fold writes (the
//! measured part goes through `SourceBatch::fold`): the same rows, ids,
//! prints and index keys, without the per-article lookups, so a million
//! articles take minutes instead of hours.

use std::path::Path;
use std::sync::mpsc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::{Connection, params};

use feedfold::dedup::fingerprint::{article_id, content_key};
use feedfold::dedup::{NearPrints, simhash::stable_hash};
use feedfold::model::{Article, Block, Origin};
use feedfold::store::Store;

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
    id: String,
    key: [u8; 32],
    article: Article,
    prints: NearPrints,
}

fn row(i: u64) -> Row {
    let article = base(i);
    let key = content_key(&article);
    let mut prints = NearPrints::of(&article);
    prints.updated = prints.published;
    Row {
        id: article_id(&key),
        key,
        article,
        prints,
    }
}

/// Writes a new store of `n` generated stories at `path` (removing what was
/// there), with the index cut for distance `k`. Prints are taken on two
/// threads; the inserts run in one transaction without a journal.
pub fn build(path: &Path, n: u64, k: u32) -> rusqlite::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
    let mut store = Store::open(path).expect("create the store");
    store
        .set_near(Some(feedfold::dedup::near_rules::NearConfig {
            max_distance: k,
            ..Default::default()
        }))
        .expect("cut the index for k");
    drop(store);
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -4_000_000)?;
    let tx = conn.transaction()?;
    let (send, receive) = mpsc::sync_channel::<Vec<Row>>(8);
    std::thread::scope(|scope| -> rusqlite::Result<()> {
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
        let mut insert_article = tx.prepare(
            "INSERT INTO articles (id, title, published, updated, first_seen, captions, body, link, authors, categories) \
             VALUES (?1, ?2, ?3, ?3, ?3, '[]', ?4, NULL, '[]', '[]')",
        )?;
        let mut insert_content_key =
            tx.prepare("INSERT INTO content_keys (key, article_id) VALUES (?, ?)")?;
        let mut insert_sighting = tx.prepare(
            "INSERT INTO sightings (article_id, source, location, line, first_seen) VALUES (?, 'base', 'generated', ?, ?)",
        )?;
        let mut insert_prints =
            tx.prepare("INSERT INTO near_prints (id, article_id, prints) VALUES (?, ?, ?)")?;
        let mut insert_index_key = tx.prepare(
            "INSERT OR IGNORE INTO near_keys (family, band, value, print_id) VALUES (?, ?, ?, ?)",
        )?;
        let mut print_id = 0i64;
        let mut done = 0u64;
        for rows in receive {
            let before = done;
            done += rows.len() as u64;
            for r in rows {
                print_id += 1;
                let when = r
                    .article
                    .published
                    .expect("dated")
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                insert_article.execute(params![
                    r.id,
                    r.article.title,
                    when,
                    serde_json::to_string(&r.article.body).expect("JSON")
                ])?;
                insert_content_key.execute(params![&r.key[..], r.id])?;
                insert_sighting.execute(params![r.id, r.article.origin.line as i64, when])?;
                insert_prints.execute(params![
                    print_id,
                    r.id,
                    serde_json::to_string(&r.prints).expect("JSON")
                ])?;
                for index_key in r.prints.index_keys(k) {
                    insert_index_key.execute(params![
                        index_key.family.code(),
                        index_key.band,
                        index_key.value as i64,
                        print_id
                    ])?;
                }
            }
            if done / 100_000 > before / 100_000 {
                eprintln!("  {done} of {n} articles written");
            }
        }
        Ok(())
    })?;
    tx.commit()?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(())
}
