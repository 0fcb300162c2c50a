//! The near-duplicate evaluation: loads the base stories under
//! `tests/fixtures/neardup/`, generates labeled pairs from them with a
//! deterministic generator (duplicates made with the edits syndication and
//! updates make; hard negatives that share headlines, events or
//! boilerplate), runs the decision of `feedfold::dedup::near_rules` on every pair
//! and reports precision, recall, confusion counts and distance
//! distributions. Shared by `tests/neardup_eval.rs` (which asserts the
//! targets) and `examples/neardup_eval.rs` (which prints the report).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use feedfold::dedup::near_rules::{self, NearConfig, Rule, Update, Verdict};
use feedfold::dedup::simhash::{self, SHINGLE_WORDS, hamming, stable_hash};
use feedfold::dedup::{NearPrints, headline};
use feedfold::model::{Article, Block};

pub mod syndication;

#[path = "../../benches/support/splitmix.rs"]
mod splitmix;

/// The folder holding the evaluation's stories.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/neardup")
}

/// One story from the fixtures: a base story, a follow-up or a briefing.
#[derive(Debug, Clone)]
pub struct Story {
    pub slug: String,
    pub headline: String,
    /// How another outlet would headline the same story.
    pub rewrite: Option<String>,
    /// The place, in capitals, for datelines.
    pub place: String,
    pub date: DateTime<Utc>,
    /// A paragraph that a later copy appends as the story develops.
    pub update: Option<String>,
    /// For a follow-up: the base story it follows.
    pub of: Option<String>,
    /// For a follow-up: the base paragraph (from 1) it ends with as background.
    pub copies: Option<usize>,
    /// For a briefing: the boilerplate section it ends with.
    pub boilerplate: Option<String>,
    pub paragraphs: Vec<String>,
}

/// Everything the generator draws from.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub stories: Vec<Story>,
    pub followups: Vec<Story>,
    pub briefings: Vec<Story>,
    /// Named boilerplate paragraphs (a newsletter footer, a series note…).
    pub boilerplate: BTreeMap<String, Vec<String>>,
    /// Named pages a scraper may get instead of the story (consent wall, paywall).
    pub stubs: BTreeMap<String, Vec<String>>,
}

impl Corpus {
    pub fn load(dir: &Path) -> Corpus {
        let boilerplate = sections(&read(&dir.join("boilerplate.txt")));
        let stubs = sections(&read(&dir.join("stubs.txt")));
        let stories = stories_in(&dir.join("stories"));
        let mut followups = stories_in(&dir.join("followups"));
        for story in &mut followups {
            let of = story
                .of
                .as_deref()
                .expect("a follow-up names its base story");
            let base = stories
                .iter()
                .find(|s| s.slug == of)
                .unwrap_or_else(|| panic!("{}: no base story {of}", story.slug));
            // `Copies: N`: the follow-up ends with the base's paragraph N as background.
            if let Some(n) = story.copies {
                story.paragraphs.push(base.paragraphs[n - 1].clone());
            }
        }
        let mut briefings = stories_in(&dir.join("briefings"));
        for story in &mut briefings {
            if let Some(name) = &story.boilerplate {
                story.paragraphs.extend(boilerplate[name].iter().cloned());
            }
        }
        Corpus {
            stories,
            followups,
            briefings,
            boilerplate,
            stubs,
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Paragraphs separated by blank lines; lines within one are joined.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// `[name]` lines open sections of paragraphs.
fn sections(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut name = None;
    let mut body = String::new();
    for line in text.lines().chain(std::iter::once("[]")) {
        if let Some(next) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if let Some(name) = name.replace(next.to_string()) {
                out.insert(name, paragraphs(&body));
            }
            body.clear();
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// Every `*.txt` in `dir`, in file-name order: `Key: value` header lines,
/// a blank line, then the paragraphs.
fn stories_in(dir: &Path) -> Vec<Story> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files.iter().map(|path| parse_story(path)).collect()
}

fn parse_story(path: &Path) -> Story {
    let text = read(path);
    let (head, body) = text.split_once("\n\n").expect("header, blank line, body");
    let mut fields = BTreeMap::new();
    for line in head.lines() {
        let (key, value) = line.split_once(": ").expect("`Key: value` header line");
        fields.insert(key.to_string(), value.trim().to_string());
    }
    let field = |key: &str| fields.get(key).cloned();
    let date = NaiveDate::parse_from_str(&field("Date").expect("Date"), "%Y-%m-%d")
        .expect("Date is YYYY-MM-DD")
        .and_hms_opt(9, 0, 0)
        .expect("valid time")
        .and_utc();
    Story {
        slug: path.file_stem().unwrap().to_string_lossy().into_owned(),
        headline: field("Headline").expect("Headline"),
        rewrite: field("Rewrite"),
        place: field("Place").unwrap_or_default(),
        date,
        update: field("Update"),
        of: field("Of"),
        copies: field("Copies").map(|n| n.parse().expect("Copies is a number")),
        boilerplate: field("Boilerplate"),
        paragraphs: paragraphs(body),
    }
}

/// SplitMix64, seeded from a name through the stable hash: every pair is
/// generated the same way on every run, whatever else the corpus holds.
struct Rng(u64);

impl Rng {
    /// Salt 0 gives the recorded set; other salts draw other edits.
    fn new(salt: u64, seed: &str) -> Rng {
        Rng(stable_hash(seed.as_bytes()) ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> u64 {
        splitmix::next(&mut self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A copy of a story as a site publishes it, before it becomes an [`Article`].
#[derive(Debug, Clone)]
struct Copy {
    title: String,
    paragraphs: Vec<String>,
    published: Option<DateTime<Utc>>,
    updated: Option<DateTime<Utc>>,
}

impl Copy {
    fn of(story: &Story) -> Copy {
        Copy {
            title: story.headline.clone(),
            paragraphs: story.paragraphs.clone(),
            published: Some(story.date),
            updated: None,
        }
    }

    fn article(self) -> Article {
        Article {
            title: self.title,
            published: self.published,
            updated: self.updated,
            body: self.paragraphs.into_iter().map(Block::paragraph).collect(),
            ..Default::default()
        }
    }
}

const SITE_SUFFIXES: &[&str] = &[
    " - Reuters",
    " | The Calder Herald",
    " — The Daily Courier",
    " - BBC News",
    " | Northern Post",
    " – calder-news.com",
    " | Business | Northern Post",
    " - Coast FM News",
];

fn site_suffix(copy: &mut Copy, rng: &mut Rng) {
    let suffix = *rng.pick(SITE_SUFFIXES);
    copy.title.push_str(suffix);
}

/// A wire dateline on the first paragraph, or (one time in four) on the headline.
fn dateline(copy: &mut Copy, story: &Story, rng: &mut Rng) {
    let line = dateline_prefix(story, rng);
    if rng.below(4) == 0 {
        copy.title = format!("{line}{}", copy.title);
    } else {
        copy.paragraphs[0] = format!("{line}{}", copy.paragraphs[0]);
    }
}

/// One of the forms of a wire dateline for `story`, separator included:
/// `CALDER (Reuters) - `, `CALDER, Oct 5 (AP) — ` and others.
fn dateline_prefix(story: &Story, rng: &mut Rng) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[story.date.month0() as usize];
    let day = story.date.day();
    let place = &story.place;
    match rng.below(5) {
        0 => format!("{place} (Reuters) - "),
        1 => format!("{place}, {} {day} (AP) — ", &month[..3]),
        2 => format!("{place}, {day} {month} (AFP) -- "),
        3 => format!("{place}, {month} {day} – "),
        _ => format!("{place} — "),
    }
}

/// Straight quotes turned typographic: `"` alternately opening and
/// closing, `'` as an apostrophe.
fn curly_quotes(copy: &mut Copy) {
    let curl = |text: &str| {
        let mut open = true;
        text.chars()
            .map(|c| match c {
                '"' => {
                    open = !open;
                    if open { '\u{201D}' } else { '\u{201C}' }
                }
                '\'' => '\u{2019}',
                c => c,
            })
            .collect::<String>()
    };
    copy.title = curl(&copy.title);
    for p in &mut copy.paragraphs {
        *p = curl(p);
    }
}

/// Swaps two neighbouring letters inside one word of five letters or more,
/// in a paragraph `paragraph` picks.
fn typo(copy: &mut Copy, rng: &mut Rng, paragraph: fn(&mut Rng, usize) -> usize) {
    loop {
        let p = paragraph(rng, copy.paragraphs.len());
        let words: Vec<&str> = copy.paragraphs[p].split(' ').collect();
        let w = rng.below(words.len());
        let word: Vec<char> = words[w].chars().collect();
        if word.len() < 5 || !word.iter().all(|c| c.is_ascii_lowercase()) {
            continue;
        }
        let at = 1 + rng.below(word.len() - 3);
        if word[at] == word[at + 1] {
            continue;
        }
        let mut swapped = word.clone();
        swapped.swap(at, at + 1);
        let mut new_words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        new_words[w] = swapped.into_iter().collect();
        copy.paragraphs[p] = new_words.join(" ");
        return;
    }
}

/// The story's development paragraph appended, and the copy dated later.
fn append(copy: &mut Copy, story: &Story) {
    copy.paragraphs.push(
        story
            .update
            .clone()
            .expect("every base story has an Update"),
    );
    copy.updated = Some(story.date + Duration::hours(6));
}

/// A labeled pair: `stored` is in the store, `new` arrives.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The recipe: which edits (duplicates) or which trap (negatives).
    pub kind: &'static str,
    pub duplicate: bool,
    pub stored: Article,
    pub new: Article,
    /// For duplicates: whether `new` should replace the stored content.
    pub expect_update: bool,
    /// The fingerprints of `stored` and `new`, taken once.
    pub prints: (NearPrints, NearPrints),
}

impl Pair {
    fn new(
        kind: &'static str,
        duplicate: bool,
        stored: Article,
        new: Article,
        expect_update: bool,
    ) -> Pair {
        let prints = (NearPrints::of(&stored), NearPrints::of(&new));
        Pair {
            kind,
            duplicate,
            stored,
            new,
            expect_update,
            prints,
        }
    }
}

/// The edits a duplicate pair is made with, in the order applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Suffix,
    Dateline,
    Quotes,
    /// The stored copy has a typo that the new copy fixes (and is dated later).
    TypoFixed,
    Appended,
    WireTag,
    Rewrite,
    /// The new copy has a word of its first paragraph misspelt or respelled
    /// (a partner's or an update's edit of the lead), undated.
    LeadRespelled,
    /// The new copy has the last paragraph cut.
    LastCut,
}

const COMBOS: &[(&str, &[Edit])] = &[
    (
        "site suffix + curly quotes + typo fixed",
        &[Edit::Suffix, Edit::Quotes, Edit::TypoFixed],
    ),
    (
        "dateline + paragraph appended",
        &[Edit::Dateline, Edit::Appended],
    ),
    (
        "wire tag + site suffix + curly quotes + paragraph appended",
        &[Edit::WireTag, Edit::Suffix, Edit::Quotes, Edit::Appended],
    ),
    (
        "dateline + typo fixed + paragraph appended",
        &[Edit::Dateline, Edit::TypoFixed, Edit::Appended],
    ),
    (
        "all five edits",
        &[
            Edit::Suffix,
            Edit::Dateline,
            Edit::Quotes,
            Edit::TypoFixed,
            Edit::Appended,
        ],
    ),
];

fn duplicate(salt: u64, story: &Story, kind: &'static str, edits: &[Edit]) -> Pair {
    let mut rng = Rng::new(salt, &format!("{}/{kind}", story.slug));
    let mut stored = Copy::of(story);
    let mut new = Copy::of(story);
    let mut expect_update = false;
    for edit in edits {
        match edit {
            Edit::Suffix => site_suffix(&mut new, &mut rng),
            Edit::Dateline => dateline(&mut new, story, &mut rng),
            Edit::Quotes => curly_quotes(&mut new),
            Edit::TypoFixed => {
                typo(&mut stored, &mut rng, |rng, n| rng.below(n));
                new.updated = Some(story.date + Duration::hours(2));
                expect_update = true;
            }
            Edit::Appended => {
                append(&mut new, story);
                expect_update = true;
            }
            Edit::WireTag => new.title = format!("UPDATE 1-{}", new.title),
            Edit::LeadRespelled => typo(&mut new, &mut rng, |_, _| 0),
            Edit::LastCut => {
                new.paragraphs.pop();
            }
            Edit::Rewrite => {
                new.title = story
                    .rewrite
                    .clone()
                    .expect("every base story has a Rewrite")
            }
        }
    }
    Pair::new(kind, true, stored.article(), new.article(), expect_update)
}

const TEMPLATE_HEADLINES: &[&str] = &[
    "Morning Briefing",
    "Live updates",
    "Latest news",
    "What we know so far",
    "News in brief",
    "Top stories",
];

/// A pair of two stories, the new one dated two hours after the stored one:
/// two stories of one news day, so that the content rules decide and not
/// the dates (`dated-apart`).
fn negative(kind: &'static str, stored: Copy, mut new: Copy) -> Pair {
    new.published = stored.published.map(|date| date + Duration::hours(2));
    Pair::new(kind, false, stored.article(), new.article(), false)
}

/// Every labeled pair, in a fixed order. `salt` 0 gives the recorded set;
/// other salts draw other typos, suffixes, datelines and template headlines
/// from the same stories.
pub fn generate(corpus: &Corpus, salt: u64) -> Vec<Pair> {
    let stories = &corpus.stories;
    let n = stories.len();
    let mut pairs = Vec::new();

    // Duplicates.
    for (i, story) in stories.iter().enumerate() {
        pairs.push(duplicate(salt, story, "site suffix", &[Edit::Suffix]));
        pairs.push(duplicate(salt, story, "dateline", &[Edit::Dateline]));
        pairs.push(duplicate(salt, story, "typo fixed", &[Edit::TypoFixed]));
        pairs.push(duplicate(
            salt,
            story,
            "paragraph appended",
            &[Edit::Appended],
        ));
        let (kind, edits) = COMBOS[i % COMBOS.len()];
        pairs.push(duplicate(salt, story, kind, edits));
        pairs.push(duplicate(
            salt,
            story,
            "headline rewritten",
            &[Edit::Rewrite],
        ));
        if i % 2 == 0 {
            pairs.push(duplicate(
                salt,
                story,
                "headline rewritten + typo fixed",
                &[Edit::Rewrite, Edit::TypoFixed],
            ));
        } else {
            pairs.push(duplicate(
                salt,
                story,
                "headline rewritten + paragraph appended",
                &[Edit::Rewrite, Edit::Appended],
            ));
        }
        // Several ordinary edits at once, one of them in the lead.
        if i % 2 == 0 {
            pairs.push(duplicate(
                salt,
                story,
                "headline rewritten + word changed in the lead + paragraph appended",
                &[Edit::Rewrite, Edit::LeadRespelled, Edit::Appended],
            ));
        } else {
            pairs.push(duplicate(
                salt,
                story,
                "headline rewritten + word changed in the lead + last paragraph cut",
                &[Edit::Rewrite, Edit::LeadRespelled, Edit::LastCut],
            ));
        }
        if i % 2 == 0 {
            pairs.push(duplicate(salt, story, "curly quotes", &[Edit::Quotes]));
        } else {
            // The longer copy was stored first; the original arrives late.
            let pair = duplicate(
                salt,
                story,
                "shorter copy after the longer",
                &[Edit::Appended],
            );
            pairs.push(Pair::new(pair.kind, true, pair.new, pair.stored, false));
        }
    }

    // Same template headline, different stories.
    for (i, a) in stories.iter().enumerate() {
        for step in [1, 2] {
            let b = &stories[(i + step) % n];
            let mut rng = Rng::new(salt, &format!("{}/{}/template", a.slug, b.slug));
            let title = *rng.pick(TEMPLATE_HEADLINES);
            let (mut x, mut y) = (Copy::of(a), Copy::of(b));
            x.title = title.to_string();
            y.title = title.to_string();
            if rng.below(2) == 0 {
                site_suffix(&mut y, &mut rng);
            }
            pairs.push(negative("same template headline", x, y));
        }
    }

    // Same template headline and a long shared boilerplate paragraph, short bodies.
    let notes: Vec<&Vec<String>> = corpus.boilerplate.values().collect();
    for (i, a) in stories.iter().enumerate() {
        let b = &stories[(i + 5) % n];
        let mut rng = Rng::new(salt, &format!("{}/{}/template+boilerplate", a.slug, b.slug));
        let title = *rng.pick(TEMPLATE_HEADLINES);
        let note = rng.pick(&notes);
        let (mut x, mut y) = (Copy::of(a), Copy::of(b));
        for copy in [&mut x, &mut y] {
            copy.title = title.to_string();
            copy.paragraphs.truncate(3);
            copy.paragraphs.extend(note.iter().cloned());
        }
        pairs.push(negative(
            "same template headline + shared boilerplate",
            x,
            y,
        ));
    }

    // Different stories sharing a long boilerplate paragraph.
    for (i, a) in stories.iter().enumerate() {
        let b = &stories[(i + 3) % n];
        let mut rng = Rng::new(salt, &format!("{}/{}/boilerplate", a.slug, b.slug));
        let note = rng.pick(&notes);
        let (mut x, mut y) = (Copy::of(a), Copy::of(b));
        for copy in [&mut x, &mut y] {
            if rng.below(3) == 0 {
                let mut body = (*note).clone();
                body.append(&mut copy.paragraphs);
                copy.paragraphs = body;
            } else {
                copy.paragraphs.extend(note.iter().cloned());
            }
        }
        pairs.push(negative("shared boilerplate paragraph", x, y));
    }

    // Short stories, a paragraph of their own each, over the same two
    // boilerplate paragraphs (a police appeal's closing lines, a
    // forecast's template).
    for (i, a) in stories.iter().enumerate() {
        let b = &stories[(i + 7) % n];
        let mut rng = Rng::new(salt, &format!("{}/{}/own lead", a.slug, b.slug));
        let first = rng.below(notes.len());
        let second = (first + 1 + rng.below(notes.len() - 1)) % notes.len();
        let (mut x, mut y) = (Copy::of(a), Copy::of(b));
        for copy in [&mut x, &mut y] {
            copy.paragraphs.truncate(1);
            copy.paragraphs.extend(notes[first].iter().cloned());
            copy.paragraphs.extend(notes[second].iter().cloned());
        }
        pairs.push(negative("own lead over shared boilerplate", x, y));
    }

    // A follow-up on the same event, plain and with syndication edits.
    for follow in &corpus.followups {
        let base = stories
            .iter()
            .find(|s| Some(&s.slug) == follow.of.as_ref())
            .expect("base story");
        pairs.push(negative(
            "follow-up story",
            Copy::of(base),
            Copy::of(follow),
        ));
        let mut rng = Rng::new(salt, &format!("{}/follow-up edited", follow.slug));
        let mut stored = Copy::of(base);
        append(&mut stored, base);
        let mut new = Copy::of(follow);
        site_suffix(&mut new, &mut rng);
        dateline(&mut new, follow, &mut rng);
        curly_quotes(&mut new);
        pairs.push(negative("follow-up story, edited", stored, new));
        // The follow-up stored first, the base story arriving later.
        pairs.push(negative(
            "follow-up stored first",
            Copy::of(follow),
            Copy::of(base),
        ));
        // Its lead and a short sentence over the base story, the last
        // paragraph cut.
        let mut rng = Rng::new(salt, &format!("{}/short sentence", follow.slug));
        let mut new = Copy::of(follow);
        new.paragraphs.truncate(1);
        new.paragraphs.push(rng.pick(SHORT_SENTENCES).to_string());
        new.paragraphs
            .extend(base.paragraphs[..base.paragraphs.len() - 1].iter().cloned());
        pairs.push(negative(
            "follow-up: its lead and a short sentence over the story",
            Copy::of(base),
            new,
        ));
    }

    // Editions of one briefing: same headline, shared intro and footer.
    for (i, a) in corpus.briefings.iter().enumerate() {
        for b in &corpus.briefings[i + 1..] {
            if a.headline == b.headline {
                pairs.push(negative("briefing editions", Copy::of(a), Copy::of(b)));
            }
        }
    }

    // One-sentence items: a syndicated copy, and the same sentence with one
    // detail changed under the same headline (a different piece of news).
    for story in stories {
        let mut rng = Rng::new(salt, &format!("{}/short", story.slug));
        let sentence = first_sentence(&story.paragraphs[0]);
        let item = |title: &str, text: String| Copy {
            title: title.to_string(),
            paragraphs: vec![text],
            ..Copy::of(story)
        };
        let stored = item(&story.headline, sentence.clone());
        let mut new = stored.clone();
        site_suffix(&mut new, &mut rng);
        dateline(&mut new, story, &mut rng);
        pairs.push(Pair::new(
            "short item, site suffix + dateline",
            true,
            stored.article(),
            new.article(),
            false,
        ));
        if let Some(changed) = change_detail(&sentence) {
            let title = *rng.pick(TEMPLATE_HEADLINES);
            pairs.push(negative(
                "short items, one detail changed",
                item(title, sentence),
                item(title, changed),
            ));
        }
    }

    // The scraper got a consent wall or a paywall instead of two stories.
    let stubs: Vec<&Vec<String>> = corpus.stubs.values().collect();
    let stub_copy = |story: &Story, stub: &Vec<String>| Copy {
        paragraphs: stub.clone(),
        ..Copy::of(story)
    };
    for i in (0..n - 1).step_by(2) {
        let stub = stubs[i / 2 % stubs.len()];
        pairs.push(negative(
            "same stub page, unrelated headlines",
            stub_copy(&stories[i], stub),
            stub_copy(&stories[i + 1], stub),
        ));
    }
    for (i, follow) in corpus.followups.iter().enumerate() {
        let base = stories
            .iter()
            .find(|s| Some(&s.slug) == follow.of.as_ref())
            .expect("base story");
        let stub = stubs[i % stubs.len()];
        pairs.push(negative(
            "same stub page, related headlines",
            stub_copy(base, stub),
            stub_copy(follow, stub),
        ));
    }
    pairs
}

/// Short sentences that carry on a follow-up's lead.
const SHORT_SENTENCES: &[&str] = &[
    "The council said it would appeal.",
    "No one was hurt.",
    "Police declined to comment.",
    "A decision is expected next week.",
    "The company has not commented.",
    "Both sides say they are ready to talk.",
];

/// The first sentence of a paragraph.
fn first_sentence(paragraph: &str) -> String {
    match paragraph.find(". ") {
        Some(end) => paragraph[..=end].to_string(),
        None => paragraph.to_string(),
    }
}

/// Words that carry the news in a short item, each group in a cycle.
const DETAILS: &[&[&str]] = &[
    &[
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ],
    &["hundred", "thousand", "million"],
    &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
];

/// The sentence with its first number or weekday changed to another, if it
/// has one.
fn change_detail(sentence: &str) -> Option<String> {
    let mut words: Vec<String> = sentence.split(' ').map(str::to_string).collect();
    for word in &mut words {
        let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
        let rest = word[bare.len()..].to_string();
        if let Some(d) = bare.find(|c: char| c.is_ascii_digit()) {
            let digit = bare.as_bytes()[d] - b'0';
            let mut changed = bare.to_string();
            changed.replace_range(d..=d, &((digit % 9) + 1).to_string());
            *word = changed + &rest;
            return Some(words.join(" "));
        }
        for group in DETAILS {
            if let Some(i) = group.iter().position(|w| *w == bare) {
                *word = format!("{}{rest}", group[(i + 1) % group.len()]);
                return Some(words.join(" "));
            }
        }
    }
    None
}

/// One pair through the decision.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub kind: &'static str,
    pub duplicate: bool,
    pub stored_title: String,
    pub new_title: String,
    pub verdict: Verdict,
    /// Whether a store would find the stored copy as a candidate at all:
    /// equal content key or an index key that reaches it
    /// ([`NearPrints::reaches`]: a body within the distance, one of the
    /// first long paragraphs, the folded headline).
    pub retrievable: bool,
    pub expect_update: bool,
    /// Whether the bodies are equal once folded.
    pub same_body: bool,
}

impl Outcome {
    pub fn folded(&self) -> bool {
        self.verdict.is_same() && self.retrievable
    }
}

/// Runs every pair through [`near_rules::compare`] with `config`.
pub fn evaluate(pairs: &[Pair], config: &NearConfig) -> Vec<Outcome> {
    pairs
        .iter()
        .map(|pair| {
            let (stored, new) = &pair.prints;
            let verdict = near_rules::compare(new, stored, config);
            Outcome {
                kind: pair.kind,
                duplicate: pair.duplicate,
                stored_title: pair.stored.title.clone(),
                new_title: pair.new.title.clone(),
                verdict,
                retrievable: new.content_key == stored.content_key
                    || new.reaches(stored, config.max_distance),
                expect_update: pair.expect_update,
                same_body: new.body_key == stored.body_key,
            }
        })
        .collect()
}

/// The confusion counts of a set of outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    pub true_positives: usize,
    pub false_positives: usize,
    pub true_negatives: usize,
    pub false_negatives: usize,
}

impl Confusion {
    pub fn of(outcomes: &[Outcome]) -> Confusion {
        let mut c = Confusion::default();
        for o in outcomes {
            match (o.duplicate, o.folded()) {
                (true, true) => c.true_positives += 1,
                (false, true) => c.false_positives += 1,
                (false, false) => c.true_negatives += 1,
                (true, false) => c.false_negatives += 1,
            }
        }
        c
    }

    pub fn precision(&self) -> f64 {
        share_of(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        share_of(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
}

/// `part` over `whole`, and 1 when `whole` is 0 (nothing folded: nothing
/// folded wrongly; no duplicates: none missed).
fn share_of(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// Folded duplicates whose update flag is not what the pair expects.
pub fn wrong_updates(outcomes: &[Outcome]) -> Vec<&Outcome> {
    outcomes
        .iter()
        .filter(|o| o.duplicate && o.folded())
        .filter(|o| o.verdict.update.is_some() != o.expect_update)
        .collect()
}

/// The body SimHash distance of every pair under another shingle size, or
/// with the folded headline's words in the SimHash too: the alternatives
/// the chosen fingerprint is measured against.
fn variant_distances(pairs: &[Pair], shingle: usize, with_headline: bool) -> Vec<(bool, u32)> {
    let print = |article: &Article| {
        let mut hasher = simhash::SimHasher::new();
        if with_headline {
            hasher.add_shingles(
                &simhash::words(&headline::fold_headline(&article.title)),
                shingle,
            );
        }
        for (i, block) in article.body.iter().enumerate() {
            let text = if i == 0 {
                headline::strip_dateline(&block.text)
            } else {
                &block.text
            };
            hasher.add_shingles(&simhash::words(text), shingle);
        }
        hasher.finish()
    };
    pairs
        .iter()
        .map(|p| (p.duplicate, hamming(print(&p.stored), print(&p.new))))
        .collect()
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Distance buckets for the histograms.
const BUCKETS: &[(u32, u32)] = &[
    (0, 0),
    (1, 1),
    (2, 2),
    (3, 3),
    (4, 5),
    (6, 8),
    (9, 12),
    (13, 16),
    (17, 20),
    (21, 24),
    (25, 28),
    (29, 32),
    (33, 36),
    (37, 64),
];

/// The outcome on another draw of the generator's random edits.
#[derive(Debug, Clone, Copy)]
pub struct Draw {
    pub salt: u64,
    pub pairs: usize,
    pub confusion: Confusion,
}

/// The confusion counts on the draws with salts 1 to 5.
pub fn other_draws(corpus: &Corpus, config: &NearConfig) -> Vec<Draw> {
    (1..=5)
        .map(|salt| {
            let pairs = generate(corpus, salt);
            Draw {
                salt,
                pairs: pairs.len(),
                confusion: Confusion::of(&evaluate(&pairs, config)),
            }
        })
        .collect()
}

/// The whole report, as Markdown: `pairs` is the recorded set (salt 0),
/// `draws` the [`other_draws`].
pub fn report(corpus: &Corpus, pairs: &[Pair], draws: &[Draw], config: &NearConfig) -> String {
    let outcomes = evaluate(pairs, config);
    let c = Confusion::of(&outcomes);
    let mut out = String::new();
    let duplicates = pairs.iter().filter(|p| p.duplicate).count();
    let _ = writeln!(
        out,
        "{} base stories, {} follow-ups, {} briefing editions; {} pairs: {} duplicates, {} negatives.\n",
        corpus.stories.len(),
        corpus.followups.len(),
        corpus.briefings.len(),
        pairs.len(),
        duplicates,
        pairs.len() - duplicates
    );
    let _ = writeln!(
        out,
        "Config: max_distance {}, min_shingles {}, headline_similarity {}, min_support {}, \
         min_shared {}; {} words per shingle; paragraphs match within {} bits.\n",
        config.max_distance,
        config.min_shingles,
        config.headline_similarity,
        config.min_support,
        config.min_shared,
        SHINGLE_WORDS,
        near_rules::PARAGRAPH_DISTANCE
    );
    let _ = writeln!(out, "| | folded | kept apart |\n|---|---:|---:|");
    let _ = writeln!(
        out,
        "| duplicates | {} (TP) | {} (FN) |\n| negatives | {} (FP) | {} (TN) |\n",
        c.true_positives, c.false_negatives, c.false_positives, c.true_negatives
    );
    let _ = writeln!(
        out,
        "**Precision {}**, **recall {}**. Folded duplicates with the wrong update flag: {}.\n",
        pct(c.precision()),
        pct(c.recall()),
        wrong_updates(&outcomes).len()
    );

    // Per kind.
    let _ = writeln!(
        out,
        "| pair kind | label | pairs | folded | rules (count) | distance min / median / max |\n|---|---|---:|---:|---|---|"
    );
    let mut kinds: Vec<&'static str> = Vec::new();
    for o in &outcomes {
        if !kinds.contains(&o.kind) {
            kinds.push(o.kind);
        }
    }
    for kind in kinds {
        let group: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == kind).collect();
        let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &group {
            *rules.entry(o.verdict.rule.as_str()).or_default() += 1;
        }
        let rules: Vec<String> = rules.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let mut d: Vec<u32> = group.iter().map(|o| o.verdict.distance).collect();
        d.sort_unstable();
        let _ = writeln!(
            out,
            "| {kind} | {} | {} | {} | {} | {} / {} / {} |",
            if group[0].duplicate { "dup" } else { "neg" },
            group.len(),
            group.iter().filter(|o| o.folded()).count(),
            rules.join(", "),
            d[0],
            percentile(&d, 0.5),
            d[d.len() - 1]
        );
    }

    // Distance histogram.
    let sorted = |dup: bool, long_only: bool| {
        let mut d: Vec<u32> = outcomes
            .iter()
            .filter(|o| o.duplicate == dup)
            .filter(|o| !long_only || !(o.same_body || o.verdict.rule == Rule::TooShort))
            .map(|o| o.verdict.distance)
            .collect();
        d.sort_unstable();
        d
    };
    let (dup, neg, neg_long) = (
        sorted(true, false),
        sorted(false, false),
        sorted(false, true),
    );
    let _ = writeln!(
        out,
        "\nBody SimHash Hamming distance, pairs per bucket. Median: duplicates {}, negatives {}; \
         negatives with different bodies long enough for the near rules ({}): minimum {}, median {}.\n\n\
         | distance | duplicates | negatives |\n|---|---:|---:|",
        percentile(&dup, 0.5),
        percentile(&neg, 0.5),
        neg_long.len(),
        percentile(&neg_long, 0.0),
        percentile(&neg_long, 0.5)
    );
    for &(lo, hi) in BUCKETS {
        let count = |dup: bool| {
            outcomes
                .iter()
                .filter(|o| o.duplicate == dup && (lo..=hi).contains(&o.verdict.distance))
                .count()
        };
        let label = if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}–{hi}")
        };
        let _ = writeln!(out, "| {label} | {} | {} |", count(true), count(false));
    }

    // Headline similarity and shared paragraphs where the rules look at them.
    let _ = writeln!(
        out,
        "\nHeadline similarity where bodies are within {} bits and headlines differ after folding \
         (rule `similar-headline` needs ≥ {}):\n",
        config.max_distance, config.headline_similarity
    );
    let similar: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o.verdict.rule,
                Rule::SimilarHeadline | Rule::HeadlineDiffers
            )
        })
        .collect();
    let _ = writeln!(out, "{}", spread(&similar, |o| o.verdict.similarity));
    let _ = writeln!(
        out,
        "\nThe lower headline support of the two copies on the same pairs (rule `similar-headline` \
         also needs ≥ {}):\n",
        config.min_support
    );
    let _ = writeln!(out, "{}", spread(&similar, |o| o.verdict.support));
    let _ = writeln!(
        out,
        "\nShared-paragraph fraction where headlines match after folding and bodies are more than {} \
         bits apart (rule `shared-paragraphs` needs ≥ {}):\n",
        config.max_distance, config.min_shared
    );
    let shared: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| matches!(o.verdict.rule, Rule::SharedParagraphs | Rule::DistantBody))
        .collect();
    let _ = writeln!(out, "{}", spread(&shared, |o| o.verdict.shared));

    // Sweeps of each threshold, the others fixed.
    let _ = writeln!(
        out,
        "\nEach threshold varied alone (precision / recall):\n\n| setting | values |\n|---|---|"
    );
    let sweep = |name: &str, configs: Vec<(String, NearConfig)>| {
        let cells: Vec<String> = configs
            .into_iter()
            .map(|(label, cfg)| {
                let c = Confusion::of(&evaluate(pairs, &cfg));
                format!("{label}: {} / {}", pct(c.precision()), pct(c.recall()))
            })
            .collect();
        format!("| {name} | {} |", cells.join("; "))
    };
    let _ = writeln!(
        out,
        "{}",
        sweep(
            "max_distance",
            [0, 1, 2, 3, 4, 6, 8]
                .into_iter()
                .map(|k| (
                    k.to_string(),
                    NearConfig {
                        max_distance: k,
                        ..*config
                    }
                ))
                .collect()
        )
    );
    let _ = writeln!(
        out,
        "{}",
        sweep(
            "headline_similarity",
            [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.01]
                .into_iter()
                .map(|t| (
                    t.to_string(),
                    NearConfig {
                        headline_similarity: t,
                        ..*config
                    }
                ))
                .collect()
        )
    );
    let _ = writeln!(
        out,
        "{}",
        sweep(
            "min_support",
            [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
                .into_iter()
                .map(|s| (
                    s.to_string(),
                    NearConfig {
                        min_support: s,
                        ..*config
                    }
                ))
                .collect()
        )
    );
    let _ = writeln!(
        out,
        "{}",
        sweep(
            "min_shared",
            [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.01]
                .into_iter()
                .map(|s| (
                    s.to_string(),
                    NearConfig {
                        min_shared: s,
                        ..*config
                    }
                ))
                .collect()
        )
    );
    let _ = writeln!(
        out,
        "{}",
        sweep(
            "min_shingles",
            [0, 20, 30, 40, 60, 80, 160]
                .into_iter()
                .map(|m| (
                    m.to_string(),
                    NearConfig {
                        min_shingles: m,
                        ..*config
                    }
                ))
                .collect()
        )
    );

    // Fingerprint alternatives: the raw test "distance ≤ max_distance".
    let _ = writeln!(
        out,
        "\nFingerprint alternatives, judged by distance alone (duplicate when ≤ {}), on the pairs \
         whose bodies differ once folded and are long enough for the near rules: distances as median / 90th percentile for duplicates, \
         minimum / 1st percentile / median for negatives.\n\n\
         | SimHash over | duplicates | negatives | precision | recall |\n|---|---|---|---:|---:|",
        config.max_distance
    );
    for (with_headline, shingle) in [
        (false, 1),
        (false, 2),
        (false, 3),
        (false, 4),
        (false, 5),
        (true, 3),
    ] {
        let distances = variant_distances(pairs, shingle, with_headline);
        let differ = |dup: bool| -> Vec<u32> {
            distances
                .iter()
                .zip(&outcomes)
                .filter(|((d, _), o)| *d == dup && !o.same_body && o.verdict.rule != Rule::TooShort)
                .map(|((_, distance), _)| *distance)
                .collect()
        };
        let (mut dup, mut neg) = (differ(true), differ(false));
        dup.sort_unstable();
        neg.sort_unstable();
        let tp = dup.iter().filter(|&&d| d <= config.max_distance).count();
        let fp = neg.iter().filter(|&&d| d <= config.max_distance).count();
        let _ = writeln!(
            out,
            "| {}{}-word shingles | {} / {} | {} / {} / {} | {} | {} |",
            if with_headline {
                "headline + body, "
            } else {
                "body, "
            },
            shingle,
            percentile(&dup, 0.5),
            percentile(&dup, 0.9),
            percentile(&neg, 0.0),
            percentile(&neg, 0.01),
            percentile(&neg, 0.5),
            pct(tp as f64 / (tp + fp).max(1) as f64),
            pct(tp as f64 / dup.len().max(1) as f64)
        );
    }

    // The same stories with other random edits.
    let _ = writeln!(
        out,
        "\nThe same stories with other draws of the random edits (generator salt):\n\n\
         | salt | pairs | precision | recall |\n|---|---:|---:|---:|"
    );
    for draw in draws {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            draw.salt,
            draw.pairs,
            pct(draw.confusion.precision()),
            pct(draw.confusion.recall())
        );
    }

    // The pairs the decision got wrong.
    let wrong: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.duplicate != o.folded())
        .collect();
    let _ = writeln!(out, "\nPairs decided wrongly: {}\n", wrong.len());
    for o in wrong {
        let _ = writeln!(
            out,
            "- {} ({}): `{}` / `{}`: {} at distance {}, similarity {:.2}, shared {:.2}",
            o.kind,
            if o.duplicate { "dup" } else { "neg" },
            o.stored_title,
            o.new_title,
            o.verdict.rule,
            o.verdict.distance,
            o.verdict.similarity,
            o.verdict.shared
        );
    }
    for o in wrong_updates(&outcomes) {
        let _ = writeln!(
            out,
            "- wrong update flag, {}: `{}`: {:?}",
            o.kind,
            o.new_title,
            o.verdict.update.map(Update::as_str)
        );
    }
    out
}

/// `dup: min … max (n); neg: …` of `value` over the outcomes, by label.
fn spread(outcomes: &[&Outcome], value: impl Fn(&Outcome) -> f64) -> String {
    let mut lines = Vec::new();
    for (dup, label) in [(true, "duplicates"), (false, "negatives")] {
        let mut v: Vec<f64> = outcomes
            .iter()
            .filter(|o| o.duplicate == dup)
            .map(|o| value(o))
            .collect();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            lines.push(format!("- {label}: none"));
        } else {
            let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
            lines.push(format!(
                "- {label} ({}): min {:.2}, 10th percentile {:.2}, median {:.2}, 90th percentile {:.2}, max {:.2}",
                v.len(),
                v[0],
                at(0.1),
                at(0.5),
                at(0.9),
                v[v.len() - 1]
            ));
        }
    }
    lines.join("\n")
}
