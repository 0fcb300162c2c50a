//! The syndication set: how wire copy is really republished, judged through
//! the store. The originals (the base stories, and real article bodies read
//! in place from the shared readability pages when they are there) are
//! folded into a fresh store and committed; then every copy arrives in a
//! later run, each in a transaction of its own that is rolled back, so each
//! is judged against the originals alone, found through the store's index
//! as `feedfold run` finds it.
//!
//! Copies (each should fold into its original): the same body under a
//! rewritten headline; a local intro paragraph added and the last
//! paragraphs cut, under a new headline; the first half of the paragraphs
//! under the same headline; and several edits at once (new headline, an
//! agency dateline on the first paragraph, curly quotes, a middle paragraph
//! taken out); and another partner's local intro over the whole story,
//! under its headline, judged against a store of one partner's intro over
//! each story (the wire's own copy never arrives). Negatives (each should
//! stay a new article): a follow-up, a new lead of a few paragraphs over
//! background paragraphs reused from the stored story, or, the next day
//! under the story's headline, its first paragraph over all of the story
//! but its lead; a different story under the same headline ("Morning
//! Briefing"), judged against a second store of articles under template
//! headlines; and a follow-up's lead over the closing lines of its base
//! story's lead (a newsletter footer, a series note, an appeal for
//! support), under the base story's headline, on the same day, judged
//! against a store of the base leads over those lines.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};

use feedfold::dedup::near_rules::{self, NearConfig, Verdict};
use feedfold::dedup::{Decision, NearPrints};
use feedfold::ingest::sanitize::html_to_blocks;
use feedfold::model::{Article, BlockKind, Origin};
use feedfold::pipeline::fold_article;
use feedfold::store::Store;
use feedfold::store::sqlite::SqliteStore;

use super::{
    Copy, Corpus, Rng, SITE_SUFFIXES, Story, TEMPLATE_HEADLINES, curly_quotes, dateline_prefix,
    pct, read, sections, share_of,
};

/// The edit kinds, duplicates first.
pub const KINDS: [(&str, bool); 11] = [
    ("same body, headline rewritten", true),
    ("local intro + last paragraphs cut, new headline", true),
    ("truncated: first half, same headline", true),
    (
        "new headline + dateline + curly quotes + middle paragraph removed",
        true,
    ),
    ("paragraphs joined in pairs, new headline", true),
    ("paragraphs split at a sentence, new headline", true),
    (
        "two partners' local intros over the whole story, same headline",
        true,
    ),
    ("follow-up: new lead over reused background", false),
    (
        "follow-up: new first paragraph over the rest of the story, same headline, next day",
        false,
    ),
    ("different story, same headline", false),
    (
        "other story over the same closing lines, same specific headline",
        false,
    ),
];

/// What the set is built from besides the [`Corpus`]: real articles with
/// the headline another outlet gave them, and local intro paragraphs.
#[derive(Debug, Clone)]
pub struct Material {
    /// Real article bodies, as [`Story`]s (rewrite and place from
    /// `syndication.txt`).
    pub real: Vec<Story>,
    pub intros: Vec<String>,
}

impl Material {
    /// Reads `syndication.txt` in `fixtures`, and the real articles it
    /// names from `pages` (the readability pages' folder), when given.
    pub fn load(fixtures: &Path, pages: Option<&Path>) -> Material {
        let text = read(&fixtures.join("syndication.txt"));
        let sections = sections(&text);
        let intros = sections["intros"].clone();
        let real_section = text
            .split("[real]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap_or_default();
        let real = match pages {
            Some(pages) => real_section
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| real_story(pages, line))
                .collect(),
            None => Vec::new(),
        };
        Material { real, intros }
    }
}

/// `slug | PLACE | rewritten headline`: the page's body paragraphs under
/// its own title, dated as its metadata says.
fn real_story(pages: &Path, line: &str) -> Story {
    let fields: Vec<&str> = line.split(" | ").map(str::trim).collect();
    let [slug, place, rewrite] = fields[..] else {
        panic!("`slug | PLACE | headline` expected: {line}");
    };
    let dir = pages.join(slug);
    let metadata: serde_json::Value =
        serde_json::from_str(&read(&dir.join("expected-metadata.json")))
            .unwrap_or_else(|e| panic!("{slug}: metadata: {e}"));
    let headline = metadata["title"]
        .as_str()
        .unwrap_or_else(|| panic!("{slug}: no title"))
        .to_string();
    let date = metadata["publishedTime"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(
            || Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap(),
            |t| t.with_timezone(&Utc),
        );
    let paragraphs: Vec<String> = html_to_blocks(&read(&dir.join("expected.html")))
        .into_iter()
        .filter(|block| block.kind == BlockKind::Paragraph && !block.text.trim().is_empty())
        .map(|block| block.text)
        .collect();
    assert!(
        paragraphs.len() >= 8,
        "{slug}: {} paragraphs",
        paragraphs.len()
    );
    Story {
        slug: format!("real/{slug}"),
        headline,
        rewrite: Some(rewrite.to_string()),
        place: place.to_string(),
        date,
        update: None,
        of: None,
        copies: None,
        boilerplate: None,
        paragraphs,
    }
}

/// One copy arriving in the later run.
#[derive(Debug, Clone)]
pub struct Trial {
    pub kind: &'static str,
    pub duplicate: bool,
    pub article: Article,
    /// For a duplicate, the index of its original among the stored
    /// articles; for a follow-up, of the story it follows.
    pub original: Option<usize>,
}

/// The originals of one store and the copies judged against it, in
/// groups: the copies of one group arrive one after the other in one
/// transaction (so an earlier copy's fold is what a later one meets), each
/// group against the originals alone.
#[derive(Debug, Clone)]
pub struct Run {
    pub stored: Vec<Article>,
    pub groups: Vec<Vec<Trial>>,
}

fn article(copy: Copy, seen_at: &str) -> Article {
    Article {
        origin: Origin {
            location: seen_at.to_string(),
            line: 1,
        },
        ..copy.article()
    }
}

/// The two runs of the set: the originals with their copies and the
/// follow-ups, and the template-headline store with the different stories
/// under the same headlines. `salt` 0 is the recorded draw.
pub fn generate(corpus: &Corpus, material: &Material, salt: u64) -> Vec<Run> {
    let originals: Vec<&Story> = corpus.stories.iter().chain(&material.real).collect();
    let mut stories = Run {
        stored: Vec::new(),
        groups: Vec::new(),
    };
    for (i, story) in originals.iter().enumerate() {
        stories
            .stored
            .push(article(Copy::of(story), &format!("wire/{}", story.slug)));
        let rewrite = story.rewrite.clone().expect("every original has a Rewrite");
        let later = |copy: &mut Copy| copy.published = Some(story.date + Duration::hours(4));
        let mut rng = Rng::new(salt, &format!("{}/syndication", story.slug));
        let n = story.paragraphs.len();
        let mut copies = Vec::new();

        let mut retitled = Copy::of(story);
        retitled.title = rewrite.clone();
        copies.push((KINDS[0].0, retitled));

        let mut local = Copy::of(story);
        local.title = rewrite.clone();
        let cut = ((n as f64 * (0.25 + 0.25 * rng.below(5) as f64 / 4.0)).round() as usize).max(1);
        local.paragraphs.truncate((n - cut.min(n)).max(2));
        local
            .paragraphs
            .insert(0, rng.pick(&material.intros).clone());
        copies.push((KINDS[1].0, local));

        let mut truncated = Copy::of(story);
        truncated.paragraphs.truncate(n.div_ceil(2));
        copies.push((KINDS[2].0, truncated));

        let mut edited = Copy::of(story);
        edited.title = rewrite.clone();
        let line = dateline_prefix(story, &mut rng);
        edited.paragraphs[0] = format!("{line}{}", edited.paragraphs[0]);
        curly_quotes(&mut edited);
        edited.paragraphs.remove(1 + rng.below(n - 2));
        copies.push((KINDS[3].0, edited));

        // Another system's paragraphing: the same words, two paragraphs
        // run into one, or each cut at its middle sentence.
        let mut joined = Copy::of(story);
        joined.title = rewrite.clone();
        joined.paragraphs = story
            .paragraphs
            .chunks(2)
            .map(|pair| pair.join(" "))
            .collect();
        copies.push((KINDS[4].0, joined));

        let mut split = Copy::of(story);
        split.title = rewrite;
        split.paragraphs = story
            .paragraphs
            .iter()
            .flat_map(|p| split_at_middle_sentence(p))
            .collect();
        copies.push((KINDS[5].0, split));

        // The six copies of a story arrive in one run, in an order drawn.
        let mut group = Vec::new();
        while !copies.is_empty() {
            let (kind, mut copy) = copies.remove(rng.below(copies.len()));
            later(&mut copy);
            group.push(Trial {
                kind,
                duplicate: true,
                article: article(copy, &format!("partner/{}/{kind}", story.slug)),
                original: Some(i),
            });
        }
        stories.groups.push(group);
    }

    // Follow-ups: a few paragraphs of their own over background from the
    // stored base story, once from its lead and once from further down.
    for follow in &corpus.followups {
        let base_index = corpus
            .stories
            .iter()
            .position(|s| Some(&s.slug) == follow.of.as_ref())
            .expect("base story");
        let base = &corpus.stories[base_index];
        let own = follow.paragraphs.len() - usize::from(follow.copies.is_some());
        let mut rng = Rng::new(salt, &format!("{}/new lead", follow.slug));
        let n = base.paragraphs.len();
        for from_lead in [true, false] {
            let lead = 2 + rng.below(2).min(own - 2);
            let reused = 3 + rng.below(2);
            let start = if from_lead {
                0
            } else {
                1 + rng.below((n - reused).max(1))
            };
            let mut copy = Copy::of(follow);
            // The next day: the content rules decide, not the dates.
            copy.published = Some(base.date + Duration::days(1));
            copy.paragraphs.truncate(lead);
            copy.paragraphs.extend(
                base.paragraphs[start..(start + reused).min(n)]
                    .iter()
                    .cloned(),
            );
            stories.groups.push(vec![Trial {
                kind: KINDS[7].0,
                duplicate: false,
                article: article(copy, &format!("partner/{}", follow.slug)),
                original: Some(base_index),
            }]);
        }
        // The next day, under the story's headline: the follow-up's first
        // paragraph in place of the story's lead, over all the rest.
        let mut over_the_rest = Copy::of(base);
        over_the_rest.published = Some(base.date + Duration::days(1));
        over_the_rest.paragraphs[0] = follow.paragraphs[0].clone();
        stories.groups.push(vec![Trial {
            kind: KINDS[8].0,
            duplicate: false,
            article: article(over_the_rest, &format!("desk/{}", follow.slug)),
            original: Some(base_index),
        }]);
    }

    // Different stories under one template headline: every other story is
    // stored under it, the next one arrives under it.
    let mut templates = Run {
        stored: Vec::new(),
        groups: Vec::new(),
    };
    for pair in originals.chunks_exact(2) {
        let (a, b) = (pair[0], pair[1]);
        let mut rng = Rng::new(salt, &format!("{}/{}/same headline", a.slug, b.slug));
        let title = *rng.pick(TEMPLATE_HEADLINES);
        let mut stored = Copy::of(a);
        stored.title = title.to_string();
        let mut new = Copy::of(b);
        new.title = title.to_string();
        if rng.below(2) == 0 {
            let suffix = *rng.pick::<&str>(SITE_SUFFIXES);
            new.title.push_str(suffix);
        }
        new.published = Some(a.date + Duration::days(1));
        templates
            .stored
            .push(article(stored, &format!("desk/{}", a.slug)));
        templates.groups.push(vec![Trial {
            kind: KINDS[9].0,
            duplicate: false,
            article: article(new, &format!("desk/{}", b.slug)),
            original: None,
        }]);
    }
    // Briefing editions: the first half of each headline's editions is
    // stored, the others arrive.
    let mut by_headline: BTreeMap<&str, Vec<&Story>> = BTreeMap::new();
    for briefing in &corpus.briefings {
        by_headline
            .entry(&briefing.headline)
            .or_default()
            .push(briefing);
    }
    for editions in by_headline.values() {
        let (old, new) = editions.split_at(editions.len() / 2);
        for story in old {
            templates
                .stored
                .push(article(Copy::of(story), &format!("desk/{}", story.slug)));
        }
        for story in new {
            templates.groups.push(vec![Trial {
                kind: KINDS[9].0,
                duplicate: false,
                article: article(Copy::of(story), &format!("desk/{}", story.slug)),
                original: None,
            }]);
        }
    }
    vec![
        stories,
        templates,
        partners(&originals, material, salt),
        closing_lines(corpus, salt, 3),
        closing_lines(corpus, salt, 4),
    ]
}

/// Two partners' local intros over one story under its headline, the
/// wire's own copy never arriving: one partner's copy of each original
/// is stored, the other's, with another intro and dated four hours later,
/// arrives.
fn partners(originals: &[&Story], material: &Material, salt: u64) -> Run {
    let mut run = Run {
        stored: Vec::new(),
        groups: Vec::new(),
    };
    for (i, story) in originals.iter().enumerate() {
        let mut rng = Rng::new(salt, &format!("{}/two intros", story.slug));
        let first = rng.below(material.intros.len());
        let second = (first + 1 + rng.below(material.intros.len() - 1)) % material.intros.len();
        let introduced = |intro: usize| {
            let mut copy = Copy::of(story);
            copy.paragraphs.insert(0, material.intros[intro].clone());
            copy
        };
        run.stored.push(article(
            introduced(first),
            &format!("partner-a/{}", story.slug),
        ));
        let mut copy = introduced(second);
        copy.published = Some(story.date + Duration::hours(4));
        run.groups.push(vec![Trial {
            kind: KINDS[6].0,
            duplicate: true,
            article: article(copy, &format!("partner-b/{}", story.slug)),
            original: Some(i),
        }]);
    }
    run
}

/// Two stories on one subject over the same closing lines, under one
/// specific headline, on one day: each base story's lead over `count` of
/// the boilerplate paragraphs (a newsletter footer, a series note, an
/// appeal for support, a corrections note) in a drawn order is stored;
/// its follow-up's first paragraph over the same lines, under the base
/// story's headline and four hours later, arrives.
fn closing_lines(corpus: &Corpus, salt: u64, count: usize) -> Run {
    let mut run = Run {
        stored: Vec::new(),
        groups: Vec::new(),
    };
    let boilerplate: Vec<&String> = corpus.boilerplate.values().flatten().collect();
    for follow in &corpus.followups {
        let base = corpus
            .stories
            .iter()
            .find(|s| Some(&s.slug) == follow.of.as_ref())
            .expect("base story");
        let mut rng = Rng::new(salt, &format!("{}/{count} closing lines", follow.slug));
        let mut pool = boilerplate.clone();
        let closing: Vec<String> = (0..count)
            .map(|_| pool.remove(rng.below(pool.len())).clone())
            .collect();
        let over_closing = |lead: &str| {
            let mut copy = Copy::of(base);
            copy.paragraphs = [&[lead.to_string()][..], &closing[..]].concat();
            copy
        };
        run.stored.push(article(
            over_closing(&base.paragraphs[0]),
            &format!("desk/{}", base.slug),
        ));
        let mut copy = over_closing(&follow.paragraphs[0]);
        copy.published = Some(base.date + Duration::hours(4));
        run.groups.push(vec![Trial {
            kind: KINDS[10].0,
            duplicate: false,
            article: article(copy, &format!("desk/{}", follow.slug)),
            original: None,
        }]);
    }
    run
}

/// `paragraph` cut in two at the full stop nearest its middle sentence
/// end (a stop followed by a space and a capital), or whole when it is one
/// sentence.
fn split_at_middle_sentence(paragraph: &str) -> Vec<String> {
    let ends: Vec<usize> = paragraph
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .filter(|&i| {
            paragraph[i..]
                .trim_start()
                .starts_with(|c: char| c.is_uppercase())
        })
        .collect();
    match ends.get(ends.len() / 2) {
        Some(&end) => vec![
            paragraph[..end].to_string(),
            paragraph[end..].trim_start().to_string(),
        ],
        None => vec![paragraph.to_string()],
    }
}

/// What the store and dedup made of one copy.
#[derive(Debug, Clone)]
pub struct Judged {
    pub kind: &'static str,
    pub duplicate: bool,
    pub title: String,
    /// The rule that folded it (`None`: a new article) and its evidence.
    pub rule: Option<&'static str>,
    pub evidence: Option<String>,
    /// Folded into some stored article.
    pub folded: bool,
    /// Folded into its own original (duplicates only).
    pub right: bool,
    /// Whether the fold replaced the stored text.
    pub replaced: bool,
    /// The verdict against its original (or the story it follows) alone.
    pub against_original: Option<Verdict>,
}

/// Folds `run`'s originals into a fresh store in memory (each must be
/// new) and commits, then folds each group of copies in a transaction of
/// its own and rolls it back.
pub fn judge(run: &Run, config: &NearConfig) -> Vec<Judged> {
    let mut store = SqliteStore::open_in_memory().expect("open the store");
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap();
    let mut ids = Vec::with_capacity(run.stored.len());
    let mut writer = store.begin("wire").expect("transaction");
    for stored in &run.stored {
        let decision = fold_article(&mut *writer, "wire", stored, Some(config), now)
            .expect("fold")
            .decision;
        assert!(
            matches!(decision, Decision::New { .. }),
            "the originals are distinct stories: `{}` was {decision:?}",
            stored.title
        );
        ids.push(decision.id().to_string());
    }
    writer.commit(&|| now).expect("commit");
    let later = now + Duration::days(1);
    let mut judged = Vec::new();
    for group in &run.groups {
        let mut writer = store.begin("partner").expect("transaction");
        for trial in group {
            let decision =
                fold_article(&mut *writer, "partner", &trial.article, Some(config), later)
                    .expect("fold")
                    .decision;
            let reason = decision.fold_reason();
            let folded = !matches!(decision, Decision::New { .. });
            judged.push(Judged {
                kind: trial.kind,
                duplicate: trial.duplicate,
                title: trial.article.title.clone(),
                rule: reason.map(|r| r.rule),
                evidence: reason.and_then(|r| r.evidence.map(|e| e.to_string())),
                folded,
                right: trial.duplicate
                    && folded
                    && trial.original.is_some_and(|i| ids[i] == decision.id()),
                replaced: decision.updates(),
                against_original: trial.original.map(|i| {
                    near_rules::compare(
                        &NearPrints::of(&trial.article),
                        &NearPrints::of(&run.stored[i]),
                        config,
                    )
                }),
            });
        }
    }
    judged
}

/// Every run of the set judged, in order.
pub fn judge_all(runs: &[Run], config: &NearConfig) -> Vec<Judged> {
    runs.iter().flat_map(|run| judge(run, config)).collect()
}

/// The tallies on the draws with salts 1 to 3.
pub fn other_draws(corpus: &Corpus, material: &Material, config: &NearConfig) -> Vec<(u64, Tally)> {
    (1..=3)
        .map(|salt| {
            let runs = generate(corpus, material, salt);
            (salt, Tally::of(&judge_all(&runs, config)))
        })
        .collect()
}

/// Counts over judged copies: duplicates folded into their original
/// (right), into another article (wrong), left apart (missed); negatives
/// folded and kept apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub right: usize,
    pub wrong: usize,
    pub missed: usize,
    pub false_folds: usize,
    pub kept_apart: usize,
}

impl Tally {
    pub fn of<'a>(judged: impl IntoIterator<Item = &'a Judged>) -> Tally {
        let mut t = Tally::default();
        for j in judged {
            match (j.duplicate, j.folded, j.right) {
                (true, _, true) => t.right += 1,
                (true, true, false) => t.wrong += 1,
                (true, false, _) => t.missed += 1,
                (false, true, _) => t.false_folds += 1,
                (false, false, _) => t.kept_apart += 1,
            }
        }
        t
    }

    /// Folds into the right article over all folds.
    pub fn precision(&self) -> f64 {
        share_of(self.right, self.right + self.wrong + self.false_folds)
    }

    /// Duplicates folded into their original over all duplicates.
    pub fn recall(&self) -> f64 {
        share_of(self.right, self.right + self.wrong + self.missed)
    }
}

/// The report of the syndication set as Markdown: totals, then per kind.
pub fn report(
    material: &Material,
    runs: &[Run],
    judged: &[Judged],
    draws: &[(u64, Tally)],
) -> String {
    let mut out = String::new();
    let t = Tally::of(judged);
    let duplicates = judged.iter().filter(|j| j.duplicate).count();
    let _ = writeln!(
        out,
        "Syndication set: {} originals stored ({} of them real articles), {} copies in a later run \
         (the six copies of a story one after the other in one transaction): {} duplicates, {} negatives.\n",
        runs.iter().map(|r| r.stored.len()).sum::<usize>(),
        material.real.len(),
        judged.len(),
        duplicates,
        judged.len() - duplicates
    );
    let _ = writeln!(
        out,
        "**Precision {}**, **recall {}**: {} duplicates folded into their original, {} into another \
         article, {} left apart; {} of {} negatives folded.\n",
        pct(t.precision()),
        pct(t.recall()),
        t.right,
        t.wrong,
        t.missed,
        t.false_folds,
        t.false_folds + t.kept_apart
    );
    let _ = writeln!(
        out,
        "| kind | label | copies | folded | right | precision | recall | replaced the original | rules (count) |\n|---|---|---:|---:|---:|---:|---:|---:|---|"
    );
    for (kind, duplicate) in KINDS {
        let group: Vec<&Judged> = judged.iter().filter(|j| j.kind == kind).collect();
        let t = Tally::of(group.iter().copied());
        let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
        for j in &group {
            *rules.entry(j.rule.unwrap_or("new")).or_default() += 1;
        }
        let rules: Vec<String> = rules.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let folded = group.iter().filter(|j| j.folded).count();
        let _ = writeln!(
            out,
            "| {kind} | {} | {} | {folded} | {} | {} | {} | {} | {} |",
            if duplicate { "dup" } else { "neg" },
            group.len(),
            t.right,
            if folded == 0 {
                "–".to_string()
            } else {
                pct(t.precision())
            },
            if duplicate {
                pct(t.recall())
            } else {
                "–".to_string()
            },
            group.iter().filter(|j| j.replaced).count(),
            rules.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\nOther draws of the random choices (cut, intro, dateline, paragraph removed, follow-up lead and background):\n\n\
         | salt | precision | recall |\n|---|---:|---:|"
    );
    for (salt, t) in draws {
        let _ = writeln!(
            out,
            "| {salt} | {} | {} |",
            pct(t.precision()),
            pct(t.recall())
        );
    }
    let wrong: Vec<&Judged> = judged
        .iter()
        .filter(|j| j.duplicate != j.right || (!j.duplicate && j.folded))
        .collect();
    let _ = writeln!(out, "\nCopies decided wrongly: {}\n", wrong.len());
    for j in wrong {
        let _ = write!(
            out,
            "- {} ({}): `{}`: {}",
            j.kind,
            if j.duplicate { "dup" } else { "neg" },
            j.title,
            match j.rule {
                Some(rule) => format!("{rule} {}", j.evidence.as_deref().unwrap_or("")),
                None => "new".to_string(),
            }
        );
        if let Some(v) = &j.against_original {
            let _ = write!(
                out,
                "; against its original: {} at distance {}, similarity {:.2}, support {:.2}, \
                 contained {:.2}, {:.2} after the new leads of {} and {} paragraphs",
                v.rule,
                v.distance,
                v.similarity,
                v.support,
                v.overlap.contained,
                v.overlap.after_lead,
                v.overlap.shorter_lead,
                v.overlap.longer_lead
            );
        }
        let _ = writeln!(out);
    }
    out
}
