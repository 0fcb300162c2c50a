//! Criterion benchmark of feed parsing: `parse_feed` over generated RSS 2.0
//! and Atom 1.0 documents of 50, 200 and 500 entries with full HTML content,
//! reported in decimal MB/s (entries/s follow from the time per document),
//! to compare one change of the reader with another. The comparison with
//! Python feedparser is whole process against whole process on real feeds
//! (`benches/feed_vs_feedparser.py`). See `BENCHMARKS.md` (feed parsing).

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feedfold::ingest::feed::parse_feed;

/// Entries per generated document.
const SIZES: [usize; 3] = [50, 200, 500];
const SEED: u64 = 2024;

/// The URL the documents claim to come from (relative links resolve
/// against it).
const DOCUMENT_URL: &str = "https://bench-news.example/feeds/all";

/// A small deterministic generator (64-bit LCG): the same documents on
/// every machine and run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

const PLACES: &[&str] = &[
    "Lakeside",
    "Northfield",
    "the harbour",
    "Eastbank",
    "the county",
    "Holm Island",
    "the old town",
    "Ridgeway",
    "the river valley",
    "Westgate",
];
const SUBJECTS: &[&str] = &[
    "Council",
    "Residents",
    "The ferry operator",
    "Police",
    "Teachers",
    "The hospital trust",
    "Volunteers",
    "Shop owners",
    "The water company",
    "Engineers",
];
const VERBS: &[&str] = &[
    "approve",
    "reject",
    "delay",
    "announce",
    "review",
    "celebrate",
    "question",
    "fund",
    "extend",
    "pause",
];
const OBJECTS: &[&str] = &[
    "new cycle lanes",
    "the bridge repairs",
    "a winter timetable",
    "the market hall plans",
    "longer library hours",
    "the flood defences",
    "a school building fund",
    "night buses",
    "the harbour dredging",
    "a tram extension",
];
const WORDS: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "Tuesday",
    "that",
    "work",
    "would",
    "start",
    "in",
    "spring",
    "and",
    "residents",
    "were",
    "asked",
    "to",
    "comment",
    "before",
    "a",
    "final",
    "decision",
    "expected",
    "next",
    "month",
    "while",
    "costs",
    "have",
    "risen",
    "by",
    "about",
    "a",
    "third",
    "since",
    "plans",
    "first",
    "appeared",
    "last",
    "year",
    "according",
    "officials",
];
const NAMES: &[&str] = &[
    "Mara Ellison",
    "Tomasz Wrobel",
    "Ada Brennan",
    "Priya Natarajan",
    "Owen Pryce",
    "Nia Baptiste",
    "Lena Okafor",
    "Harriet Cole",
];
const SECTIONS: &[&str] = &[
    "Local",
    "Transport",
    "Environment",
    "Education",
    "Business",
    "Health",
];

/// One generated story.
struct Story {
    index: usize,
    title: String,
    path: String,
    summary: String,
    html: String,
    author: &'static str,
    sections: [&'static str; 2],
    published: DateTime<Utc>,
    caption: String,
}

fn sentence(rng: &mut Rng) -> String {
    let mut out = String::new();
    let words = 12 + rng.below(18);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(rng.pick(WORDS));
    }
    let mut chars = out.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('T');
    format!("{first}{}.", chars.as_str())
}

fn paragraph(rng: &mut Rng, index: usize) -> String {
    let mut text = String::new();
    for i in 0..2 + rng.below(3) {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&sentence(rng));
    }
    match rng.below(5) {
        0 => text.push_str(&format!(
            " Read the <a href=\"/2024/background/{index}\">background</a> to the story."
        )),
        1 => text.push_str(" &ldquo;We were ready this time,&rdquo; one resident said."),
        2 => text.push_str(" The figure was <em>higher</em> than the council&#8217;s estimate."),
        3 => text.push_str(&format!(
            " Details are on the <a href=\"https://{}.example/notice\">council site</a> &amp; in the library.",
            rng.pick(&["lakeside", "northfield", "eastbank"])
        )),
        _ => {}
    }
    format!("<p>{text}</p>\n")
}

fn story(rng: &mut Rng, index: usize, start: DateTime<Utc>) -> Story {
    let title = format!(
        "{} {} {} in {}",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(PLACES)
    );
    let published = start - chrono::Duration::minutes(37 * index as i64);
    let slug: String = title
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let path = format!("{}/{slug}-{index}", published.format("%Y/%m/%d"));
    let summary = sentence(rng);
    let caption = format!(
        "{} at {} on {}.",
        rng.pick(SUBJECTS),
        rng.pick(PLACES),
        published.format("%A")
    );
    let mut html = String::new();
    html.push_str(&format!("<p><strong>{summary}</strong></p>\n"));
    html.push_str(&format!(
        "<figure><img src=\"/media/{index}/main.jpg\" alt=\"\" width=\"1200\" height=\"800\"><figcaption>{caption} (Bench News)</figcaption></figure>\n"
    ));
    for p in 0..4 + rng.below(6) {
        if p == 3 {
            html.push_str(&format!(
                "<h2>{}</h2>\n",
                sentence(rng).trim_end_matches('.')
            ));
        }
        html.push_str(&paragraph(rng, index));
    }
    if rng.below(3) == 0 {
        html.push_str("<ul>\n");
        for _ in 0..3 {
            html.push_str(&format!("<li>{}</li>\n", sentence(rng)));
        }
        html.push_str("</ul>\n");
    }
    if rng.below(10) == 0 {
        html.push_str("<iframe src=\"https://video.example/embed/123\" width=\"560\" height=\"315\"></iframe>\n<script async src=\"https://social.example/widgets.js\"></script>\n");
    }
    Story {
        index,
        title,
        path,
        summary,
        html,
        author: rng.pick(NAMES),
        sections: [rng.pick(SECTIONS), rng.pick(SECTIONS)],
        published,
        caption,
    }
}

fn stories(entries: usize) -> Vec<Story> {
    let mut rng = Rng(SEED ^ entries as u64);
    let start = Utc
        .with_ymd_and_hms(2024, 7, 9, 18, 0, 0)
        .single()
        .expect("a valid date");
    (0..entries).map(|i| story(&mut rng, i, start)).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn rss(entries: usize) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" ",
        "xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
        "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n",
        "<title>Bench News</title>\n<link>https://bench-news.example/</link>\n",
        "<description>Generated news for benchmarks.</description>\n",
        "<atom:link href=\"https://bench-news.example/feeds/all\" rel=\"self\" type=\"application/rss+xml\"/>\n",
    ));
    for s in stories(entries) {
        out.push_str(&format!(
            concat!(
                "<item>\n<title>{title}</title>\n<link>https://bench-news.example/{path}</link>\n",
                "<guid isPermaLink=\"false\">bench-{index}</guid>\n<pubDate>{date}</pubDate>\n",
                "<dc:creator>{author}</dc:creator>\n<category>{s0}</category>\n<category>{s1}</category>\n",
                "<description>{summary}</description>\n<content:encoded><![CDATA[{html}]]></content:encoded>\n",
                "<media:content url=\"https://cdn.bench-news.example/img/{index}-1200.jpg\" medium=\"image\" width=\"1200\">",
                "<media:description>{caption}</media:description><media:credit>Bench News</media:credit></media:content>\n",
                "</item>\n"
            ),
            title = escape(&s.title),
            path = s.path,
            index = s.index,
            date = s.published.to_rfc2822(),
            author = s.author,
            s0 = s.sections[0],
            s1 = s.sections[1],
            summary = escape(&s.summary),
            html = s.html,
            caption = escape(&s.caption),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn atom(entries: usize) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://bench-news.example/\">\n",
        "<title>Bench News</title>\n<id>tag:bench-news.example,2024:feed</id>\n",
        "<updated>2024-07-09T18:00:00Z</updated>\n<link rel=\"alternate\" href=\"/\"/>\n",
        "<link rel=\"self\" href=\"/feeds/all.atom\"/>\n<author><name>Bench News</name></author>\n",
    ));
    for s in stories(entries) {
        out.push_str(&format!(
            concat!(
                "<entry>\n<title>{title}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"/{path}\"/>\n",
                "<id>tag:bench-news.example,2024:{index}</id>\n<published>{date}</published>\n<updated>{date}</updated>\n",
                "<author><name>{author}</name></author>\n<category term=\"{s0}\"/>\n<category term=\"{s1}\"/>\n",
                "<summary>{summary}</summary>\n<content type=\"html\">{html}</content>\n</entry>\n"
            ),
            title = escape(&s.title),
            path = s.path,
            index = s.index,
            date = s.published.to_rfc3339(),
            author = s.author,
            s0 = s.sections[0],
            s1 = s.sections[1],
            summary = escape(&s.summary),
            html = escape(&s.html),
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn feed_parse(c: &mut Criterion) {
    let mut documents = Vec::new();
    for entries in SIZES {
        documents.push((format!("rss-{entries}.xml"), rss(entries), entries));
        documents.push((format!("atom-{entries}.xml"), atom(entries), entries));
    }
    let mut group = c.benchmark_group("feed_parse");
    group
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6))
        .sample_size(20);
    for (name, document, entries) in &documents {
        let parsed =
            parse_feed(document.as_bytes(), None, DOCUMENT_URL).expect("generated feeds parse");
        assert_eq!(parsed.articles.len(), *entries);
        assert!(parsed.articles.iter().all(|a| a.content_html.is_some()));
        if name.starts_with("rss") {
            assert!(parsed.articles.iter().all(|a| a.captions.len() == 1));
        }
        println!("{name}: {} bytes, {entries} entries", document.len());
        group.throughput(Throughput::BytesDecimal(document.len() as u64));
        group.bench_function(name.trim_end_matches(".xml"), |b| {
            b.iter(|| parse_feed(black_box(document.as_bytes()), None, DOCUMENT_URL))
        });
    }
    group.finish();
}

criterion_group!(benches, feed_parse);
criterion_main!(benches);
