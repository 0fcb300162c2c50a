//! A deterministic generator of scraped news dumps for benchmarks: articles
//! in the shape of real scraped pages (a doubled header of headline and
//! credited captions, an optional date line, body paragraphs, now and then a
//! crosshead), built from word lists with a seeded SplitMix64, so the same
//! seed always gives the same bytes. Shared by `benches/parse.rs` and
//! `examples/gen_dump.rs` through `#[path]`.

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};

#[path = "splitmix.rs"]
mod splitmix;

/// SplitMix64 (see `splitmix.rs`), with the draws this generator needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        splitmix::next(&mut self.0)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const HEADLINE_SUBJECTS: &[&str] = &[
    "Central Bank",
    "Port Authority",
    "Regional Council",
    "Health Ministry",
    "Rail Operator",
    "Fishing Cooperatives",
    "Teachers' Union",
    "Supreme Court",
    "Water Board",
    "Prime Minister",
    "Opposition Leader",
    "City Hall",
    "Farmers",
    "Energy Regulator",
    "Transport Minister",
    "Coast Guard",
    "University Council",
    "Customs Service",
    "Election Commission",
    "Airline Pilots",
];

const HEADLINE_VERBS: &[&str] = &[
    "Approves",
    "Rejects",
    "Delays",
    "Defends",
    "Unveils",
    "Questions",
    "Backs",
    "Halts",
    "Expands",
    "Reviews",
    "Warns Over",
    "Signs Deal on",
    "Calls for Talks on",
    "Votes Down",
    "Promises Action on",
];

const HEADLINE_OBJECTS: &[&str] = &[
    "Harbour Expansion",
    "New Budget",
    "Rail Timetable",
    "Water Tariffs",
    "Flood Defences",
    "School Closures",
    "Fuel Subsidies",
    "Hospital Funding",
    "Border Checks",
    "Wind Farm Plan",
    "Pension Reform",
    "Ferry Contracts",
    "Housing Targets",
    "Fishing Quotas",
    "Airport Runway",
    "Grain Exports",
];

const HEADLINE_TAILS: &[&str] = &[
    "After Year-Long Dispute",
    "Ahead of Winter",
    "Despite Protests",
    "in Northern Valleys",
    "as Prices Rise",
    "After Late-Night Vote",
    "Amid Storm Damage",
    "for a Third Month",
    "Before Elections",
    "in Surprise Move",
    "After Court Ruling",
    "Across the Coast",
];

const PEOPLE: &[&str] = &[
    "Imogen Ashworth",
    "Tomas Reyes",
    "Priya Natarajan",
    "Halvard Lind",
    "Amara Okafor",
    "Jonas Bergstrom",
    "Leila Haddad",
    "Mateo Alvarez",
    "Ingrid Solberg",
    "Kwame Mensah",
    "Yuki Tanaka",
    "Fatima Zahra",
    "Owen Gallagher",
    "Sofia Marchetti",
    "Dmitri Volkov",
    "Aisha Rahman",
];

const ROLES: &[&str] = &[
    "the board chair",
    "a council spokesman",
    "the minister",
    "a union official",
    "the mayor",
    "an economist at the state bank",
    "a local shop owner",
    "the head of the cooperative",
    "a senior engineer",
    "the governor",
];

const INSTITUTIONS: &[&str] = &[
    "The regional council",
    "The port authority",
    "The health ministry",
    "The central bank",
    "The rail operator",
    "The water board",
    "The coast guard",
    "The election commission",
    "The customs service",
    "The energy regulator",
    "Opposition lawmakers",
    "Local residents",
];

const ACTIONS: &[&str] = &[
    "voted to approve",
    "said it would review",
    "announced a delay to",
    "published the final draft of",
    "agreed to fund",
    "set aside money for",
    "refused to comment on",
    "began consultations on",
    "promised to speed up",
    "filed an appeal against",
    "raised fresh concerns about",
    "welcomed",
];

const OBJECTS: &[&str] = &[
    "the harbour expansion",
    "the new rail timetable",
    "the flood defence scheme",
    "next year's budget",
    "the fuel subsidy",
    "the hospital wing in the capital",
    "the wind farm off the northern coast",
    "the pension reform bill",
    "the ferry contracts",
    "the housing targets",
    "the fishing quotas",
    "the second runway",
    "the grain export deal",
    "the school building programme",
];

const TIMES: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "late on Wednesday",
    "on Thursday",
    "early on Friday",
    "over the weekend",
    "last week",
    "earlier this month",
    "after a six-hour meeting",
    "for the first time in a decade",
];

const REASONS: &[&str] = &[
    "after months of talks with unions",
    "citing rising costs",
    "despite objections from environmental groups",
    "following a series of storms",
    "as inflation eased",
    "under pressure from local businesses",
    "after a court ruled against the earlier plan",
    "to meet targets set by parliament",
];

const CLAUSES: &[&str] = &[
    "nobody got everything they wanted",
    "the plan would take three years to complete",
    "the cost had nearly doubled since the first estimate",
    "the decision was long overdue",
    "more than 140 schools would stay closed",
    "prices were falling but not yet fast enough",
    "the river would keep rising for another day",
    "talks would resume after the holiday",
    "the agreement protected jobs in the town",
    "the vote was closer than expected",
    "the money would run out by the spring",
    "the project had the backing of most residents",
];

const PLACES: &[&str] = &[
    "Calder",
    "Ardmore",
    "Bellford",
    "Valletta",
    "Pinewood",
    "Kestrel Bay",
    "Dunmore",
    "Eastwick",
    "Harrowgate",
    "Lowmoor",
];

const CAPTION_SUBJECTS: &[&str] = &[
    "Dock workers unload containers",
    "Volunteers fill sandbags",
    "Protesters march",
    "Passengers board a ferry",
    "Firefighters inspect the damage",
    "Lawmakers arrive for the vote",
    "Farmers gather with their tractors",
    "Students take part in a rally",
    "The minister's convoy arrives",
    "A police officer stands guard",
];

const CREDITS: &[&str] = &[
    "AP",
    "AFP",
    "Reuters",
    "Getty Images",
    "EPA",
    "Calder Herald",
    "Daily Courier",
    "Northern Gazette",
];

const CROSSHEADS: &[&str] = &[
    "Carried out raids",
    "A quay of our own",
    "Nobody listened",
    "Cost of waiting",
    "What comes next",
    "A steady hand",
    "Back to the table",
];

const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date");

/// Generates one article after another from a seed.
pub struct DumpGen {
    rng: Rng,
    /// Whether the current article's body uses typographic quotes, as some
    /// sites do throughout.
    typographic: bool,
}

impl DumpGen {
    pub fn new(seed: u64) -> DumpGen {
        DumpGen {
            rng: Rng(seed),
            typographic: false,
        }
    }

    /// Appends one article to `out`, separated from what follows by a blank
    /// line. The article shapes vary as scraped pages do: most have the
    /// doubled header with one caption, some two captions, some no caption
    /// (headline twice, or once followed directly by the body); about half
    /// carry a date line, a third a crosshead, a quarter set their body
    /// with typographic quotes, and some lines have odd spaces or repeat a
    /// paragraph, so folding has work to do.
    pub fn push_article(&mut self, out: &mut String) {
        self.typographic = self.rng.chance(25);
        let headline = self.headline();
        let date = self.rng.chance(50).then(|| self.date_line());
        let shape = self.rng.below(100);
        let captions: Vec<String> = match shape {
            0..=69 => vec![self.caption()],
            70..=84 => vec![self.caption(), self.caption()],
            _ => Vec::new(),
        };
        if shape >= 95 {
            // Headline once, no caption: the body follows directly.
            writeln!(out, "{headline}").unwrap();
            if let Some(date) = &date {
                writeln!(out, "{date}").unwrap();
            }
            out.push('\n');
        } else {
            for copy in 0..2 {
                writeln!(out, "{headline}").unwrap();
                if copy == 1
                    && let Some(date) = &date
                {
                    writeln!(out, "{date}").unwrap();
                }
                out.push('\n');
                for caption in &captions {
                    writeln!(out, "{caption}").unwrap();
                    // The second copy sometimes differs in quote style only.
                    if caption.contains('\'') && self.rng.chance(30) {
                        writeln!(out, "{}", caption.replace('\'', "’")).unwrap();
                    } else {
                        writeln!(out, "{caption}").unwrap();
                    }
                }
                if !captions.is_empty() {
                    out.push('\n');
                }
            }
        }
        let paragraphs = self.rng.between(6, 18);
        let crosshead_at = self
            .rng
            .chance(33)
            .then(|| self.rng.between(2, paragraphs - 2));
        let mut previous = String::new();
        for index in 0..paragraphs {
            if crosshead_at == Some(index) {
                writeln!(out, "- '{}' -\n", self.rng.pick(CROSSHEADS)).unwrap();
            }
            if index > 0 && self.rng.chance(3) {
                // A stray copy of the previous paragraph, as scrapers leave.
                writeln!(out, "{previous}\n").unwrap();
                continue;
            }
            previous = self.paragraph();
            writeln!(out, "{previous}\n").unwrap();
        }
    }

    /// `Port Authority Approves Harbour Expansion After Year-Long Dispute`
    fn headline(&mut self) -> String {
        let mut headline = format!(
            "{} {} {}",
            self.rng.pick(HEADLINE_SUBJECTS),
            self.rng.pick(HEADLINE_VERBS),
            self.rng.pick(HEADLINE_OBJECTS)
        );
        if self.rng.chance(70) {
            headline.push(' ');
            headline.push_str(self.rng.pick(HEADLINE_TAILS));
        }
        if self.rng.chance(20) {
            write!(headline, " in {}", self.rng.pick(PLACES)).unwrap();
        }
        headline
    }

    /// `Monday, 29 July, 2024 - 05:30`, `2024-07-29` or `July 29, 2024`.
    fn date_line(&mut self) -> String {
        let day = FIRST_DAY + Duration::days(self.rng.below(3 * 365) as i64);
        match self.rng.below(3) {
            0 => format!(
                "{} - {:02}:{:02}",
                day.format("%A, %-d %B, %Y"),
                self.rng.below(24),
                self.rng.below(60)
            ),
            1 => day.format("%Y-%m-%d").to_string(),
            _ => day.format("%B %-d, %Y").to_string(),
        }
    }

    /// `Volunteers fill sandbags in Ardmore on Tuesday. (AP)`
    fn caption(&mut self) -> String {
        let mut caption = format!(
            "{} in {} {}",
            self.rng.pick(CAPTION_SUBJECTS),
            self.rng.pick(PLACES),
            self.rng.pick(TIMES)
        );
        if self.rng.chance(60) {
            caption.push('.');
        }
        write!(caption, " ({})", self.rng.pick(CREDITS)).unwrap();
        caption
    }

    /// One to four sentences ending in a full stop.
    fn paragraph(&mut self) -> String {
        let mut paragraph = String::new();
        for n in 0..self.rng.between(1, 4) {
            if n > 0 {
                paragraph.push(' ');
            }
            self.sentence(&mut paragraph);
        }
        if self.rng.chance(2) {
            // Scraped white space: a doubled or non-breaking space.
            if let Some(at) = paragraph.find(' ') {
                let odd = if self.rng.chance(50) { "  " } else { "\u{a0}" };
                paragraph.replace_range(at..at + 1, odd);
            }
        }
        if self.typographic {
            paragraph = typographic_quotes(&paragraph);
        }
        paragraph
    }

    fn sentence(&mut self, out: &mut String) {
        match self.rng.below(5) {
            0 => write!(
                out,
                "{} {} {} {}.",
                self.rng.pick(INSTITUTIONS),
                self.rng.pick(ACTIONS),
                self.rng.pick(OBJECTS),
                self.rng.pick(TIMES)
            ),
            1 => write!(
                out,
                "{} {} {} {}, {}.",
                self.rng.pick(INSTITUTIONS),
                self.rng.pick(ACTIONS),
                self.rng.pick(OBJECTS),
                self.rng.pick(TIMES),
                self.rng.pick(REASONS)
            ),
            2 => {
                let mut chars = self.rng.pick(CLAUSES).chars();
                let first = chars.next().expect("clauses are not empty");
                write!(
                    out,
                    "\"{}{},\" said {}, {} in {}.",
                    first.to_uppercase(),
                    chars.as_str(),
                    self.rng.pick(PEOPLE),
                    self.rng.pick(ROLES),
                    self.rng.pick(PLACES)
                )
            }
            3 => write!(
                out,
                "{} told reporters in {} that {}.",
                self.rng.pick(PEOPLE),
                self.rng.pick(PLACES),
                self.rng.pick(CLAUSES)
            ),
            _ => write!(
                out,
                "According to {}, {} {}, and {}.",
                self.rng.pick(ROLES),
                self.rng.pick(CLAUSES),
                self.rng.pick(REASONS),
                self.rng.pick(CLAUSES)
            ),
        }
        .unwrap();
    }
}

/// `"It's here," she said.` -> `“It’s here,” she said.`
fn typographic_quotes(text: &str) -> String {
    let mut inside = false;
    text.chars()
        .map(|c| match c {
            '"' => {
                inside = !inside;
                if inside { '“' } else { '”' }
            }
            '\'' => '’',
            c => c,
        })
        .collect()
}
