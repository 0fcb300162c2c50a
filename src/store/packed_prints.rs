//! The binary record of an article's near-duplicate prints, as both
//! backends keep it: a format byte, then the fields of [`NearPrints`] in a
//! fixed order (the content key as its 32 bytes, hashes as 8 bytes
//! little-endian, counts and lengths as LEB128 varints, the folded
//! headline left out when it equals the folded title, the media print
//! last and only when there is one, so a record without one reads as it
//! did before the media print existed). The dates are not
//! in it: they are the article's own; the format byte tells whether the
//! article came with no date of its own ([`FORMAT_UNDATED`]). About a third of the compressed JSON
//! it replaces; records written before it start with zstd's magic number
//! and are still read (`codec::unpack_prints`).
//!
//! Records of [`FORMAT_LEAD`] and [`FORMAT_LEAD_UNDATED`], and those
//! written now, also keep, after the paragraphs and before the media print, which
//! paragraphs read as sentences (a bit each, the first paragraph in the
//! lowest bit of the first byte) and the first paragraph's words
//! ([`NearPrints::lead_words`]: a varint count, then 2 bytes each,
//! little-endian), then the folded text of the paragraph a body that breaks
//! off ends with ([`NearPrints::cut_text`]: a varint length, then the
//! UTF-8 bytes; empty for most bodies). The text of each paragraph
//! ([`NearPrints::paragraph_texts`]) is not kept: only an incoming copy
//! needs it. Records of [`FORMAT`] and [`FORMAT_UNDATED`], written before,
//! read as they did: no paragraph a sentence, no lead words, no cut text.
//!
//! Records of [`FORMAT_FIGURES`] and [`FORMAT_FIGURES_UNDATED`], those
//! written now, keep after the cut text the body's figures key
//! ([`NearPrints::figures_key`], 8 bytes); records of the formats before
//! read with none (0).
//!
//! Records of [`FORMAT_ANCHORS`] and [`FORMAT_ANCHORS_UNDATED`], those
//! written now, keep after the figures key the two anchors of each
//! paragraph after the first that has them ([`NearPrints::paragraph_anchors`],
//! [`dedup::anchored`]: told from the paragraph's print, so no count or
//! mark), 2 bytes each, little-endian: 4 bytes a paragraph whatever its
//! length. Records of the formats before read with no anchors; prints
//! without them (read from such a record) are written as before.
//!
//! The format byte of a record whose article's first paragraph is known to
//! be a local intro over the story ([`NearPrints::intro_over_story`]) has
//! [`INTRO_BIT`] set, whatever its format; the fields after it are as that
//! format's. Records without it read as they did.
//!
//! The format byte of a record of [`FORMAT_ANCHORS`] or a format after it
//! that keeps the second paragraph's words ([`NearPrints::second_words`])
//! has [`SECOND_WORDS_BIT`] set: they follow the anchors (a varint count,
//! then 2 bytes each, little-endian). Records without it read with none.
//!
//! The format byte of a record whose article's first paragraph is too long
//! for its words to be kept, and which keeps the key of its first words
//! instead ([`NearPrints::long_lead_opening`]), has [`LONG_LEAD_OPENING_BIT`]
//! set, whatever its format: the key follows the second paragraph's words
//! (8 bytes, little-endian). Records without it read with none.
//!
//! Records of [`FORMAT_TEXT_DATES`], those written now of a text its source
//! dated, keep after the anchors the dates that source gave the text
//! ([`NearPrints::text_dates`]): its publication date in Unix seconds (8
//! bytes, little-endian), then how many seconds later its update date is
//! (a varint). Records of the formats before, and those of an undated text
//! (still [`FORMAT_ANCHORS_UNDATED`]), read with none: such prints are
//! dated as their article is.

use chrono::DateTime;

use crate::dedup::{self, NearPrints, ParagraphPrint, TextDates};

/// The first byte of a record in this format (a zstd frame starts 0x28).
pub const FORMAT: u8 = 1;

/// The first byte of a record in this format whose article came with no
/// date of its own ([`NearPrints::undated`]); the fields after it are as
/// [`FORMAT`]'s. Both are read, no longer written: records are written in
/// [`FORMAT_FIGURES`] and [`FORMAT_FIGURES_UNDATED`].
pub const FORMAT_UNDATED: u8 = 2;

/// The first byte of a record that keeps which paragraphs are sentences
/// and the first paragraph's words, of a dated article.
pub const FORMAT_LEAD: u8 = 3;

/// As [`FORMAT_LEAD`], of an article that came with no date of its own.
pub const FORMAT_LEAD_UNDATED: u8 = 4;

/// The first byte of a record that keeps, besides what [`FORMAT_LEAD`]'s
/// do, the body's figures key, of a dated article.
pub const FORMAT_FIGURES: u8 = 5;

/// As [`FORMAT_FIGURES`], of an article that came with no date of its own.
pub const FORMAT_FIGURES_UNDATED: u8 = 6;

/// The first byte of a record that keeps, besides what [`FORMAT_FIGURES`]'s
/// do, the anchors of each paragraph after the first, of a dated article.
pub const FORMAT_ANCHORS: u8 = 7;

/// As [`FORMAT_ANCHORS`], of an article that came with no date of its own.
pub const FORMAT_ANCHORS_UNDATED: u8 = 8;

/// Set in the format byte of a record whose article's first paragraph is
/// a local intro over the story ([`NearPrints::intro_over_story`]).
pub const INTRO_BIT: u8 = 0x80;
/// Set in the format byte of a record that keeps the second paragraph's
/// words ([`NearPrints::second_words`]), after the anchors.
pub const SECOND_WORDS_BIT: u8 = 0x40;
/// Set in the format byte of a record that keeps the key of a long first
/// paragraph's opening words ([`NearPrints::long_lead_opening`]), after
/// the second paragraph's words. Not 0x20: a record of the compressed
/// JSON written before this format opens with zstd's magic byte 0x28,
/// which without 0x20 would read as [`FORMAT_ANCHORS_UNDATED`].
pub const LONG_LEAD_OPENING_BIT: u8 = 0x10;

/// The bits of a format byte that mark what a record keeps besides its
/// format's fields.
const MARKS: u8 = INTRO_BIT | SECOND_WORDS_BIT | LONG_LEAD_OPENING_BIT;

/// zstd's frame magic number opens a record written before this format.
const _: () = assert!(!matches!(0x28 & !MARKS, 1..=FORMAT_TEXT_DATES));

/// The first byte of a record that keeps, besides what [`FORMAT_ANCHORS`]'s
/// do, the dates the text's source gave it (a text with none is written in
/// [`FORMAT_ANCHORS_UNDATED`]).
pub const FORMAT_TEXT_DATES: u8 = 9;

/// Whether `record` starts as a record of this module's does.
pub fn is_packed(record: &[u8]) -> bool {
    matches!(
        record.first().map(|format| format & !MARKS).as_ref(),
        Some(
            &FORMAT
                | &FORMAT_UNDATED
                | &FORMAT_LEAD
                | &FORMAT_LEAD_UNDATED
                | &FORMAT_FIGURES
                | &FORMAT_FIGURES_UNDATED
                | &FORMAT_ANCHORS
                | &FORMAT_ANCHORS_UNDATED
                | &FORMAT_TEXT_DATES
        )
    )
}

/// Whether `record` is of an article that came with no date of its own
/// ([`NearPrints::undated`]), told by its format byte alone; `None` when it
/// is not a record of this module's.
pub fn undated(record: &[u8]) -> Option<bool> {
    if !is_packed(record) {
        return None;
    }
    Some(matches!(
        record[0] & !MARKS,
        FORMAT_UNDATED | FORMAT_LEAD_UNDATED | FORMAT_FIGURES_UNDATED | FORMAT_ANCHORS_UNDATED
    ))
}

/// What a record keeps, by the format it was written in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Keeps {
    /// [`FORMAT`], [`FORMAT_UNDATED`]: prints and paragraphs.
    Prints,
    /// [`FORMAT_LEAD`], [`FORMAT_LEAD_UNDATED`]: also sentences, lead words
    /// and cut text.
    Lead,
    /// [`FORMAT_FIGURES`], [`FORMAT_FIGURES_UNDATED`]: also the figures key.
    Figures,
    /// [`FORMAT_ANCHORS`], [`FORMAT_ANCHORS_UNDATED`]: also paragraphs'
    /// anchors.
    Anchors,
    /// [`FORMAT_TEXT_DATES`]: also the dates the text's source gave it.
    TextDates,
}

/// The record of `prints`, without the dates of their article: with their
/// paragraphs' anchors when they keep them as [`NearPrints::of`] does, and
/// then the dates their text's source gave when they have them, else as
/// written before anchors were kept.
pub fn pack(prints: &NearPrints) -> Vec<u8> {
    let anchors_kept = prints.paragraphs.iter().enumerate().all(|(i, p)| {
        prints
            .paragraph_anchors
            .get(i)
            .is_some_and(|a| a.is_some() == (i > 0 && dedup::anchored(p)))
    });
    pack_as(
        prints,
        if anchors_kept && prints.text_dates.is_some() {
            Keeps::TextDates
        } else if anchors_kept {
            Keeps::Anchors
        } else {
            Keeps::Figures
        },
    )
}

/// The record of `prints` as written before paragraphs' sentences and lead
/// words were kept ([`FORMAT`], [`FORMAT_UNDATED`]).
#[cfg(test)]
pub fn pack_before_lead(prints: &NearPrints) -> Vec<u8> {
    pack_as(prints, Keeps::Prints)
}

/// The record of `prints` as written before the figures key was kept
/// ([`FORMAT_LEAD`], [`FORMAT_LEAD_UNDATED`]).
#[cfg(test)]
pub fn pack_before_figures(prints: &NearPrints) -> Vec<u8> {
    pack_as(prints, Keeps::Lead)
}

/// The record of `prints` as written before paragraphs' anchors were kept
/// ([`FORMAT_FIGURES`], [`FORMAT_FIGURES_UNDATED`]).
#[cfg(test)]
pub fn pack_before_anchors(prints: &NearPrints) -> Vec<u8> {
    pack_as(prints, Keeps::Figures)
}

fn pack_as(prints: &NearPrints, keeps: Keeps) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        88 + prints.title.len()
            + 11 * prints.paragraphs.len()
            + 2 * prints.lead_words.len()
            + prints.cut_text.len()
            + 4 * prints.paragraph_anchors.len(),
    );
    let intro = if prints.intro_over_story {
        INTRO_BIT
    } else {
        0
    };
    let second_words = keeps >= Keeps::Anchors && !prints.second_words.is_empty();
    out.push(
        intro
            | if second_words { SECOND_WORDS_BIT } else { 0 }
            | if prints.long_lead_opening.is_some() {
                LONG_LEAD_OPENING_BIT
            } else {
                0
            }
            | match (keeps, prints.undated) {
                (Keeps::TextDates, _) => FORMAT_TEXT_DATES,
                (Keeps::Anchors, false) => FORMAT_ANCHORS,
                (Keeps::Anchors, true) => FORMAT_ANCHORS_UNDATED,
                (Keeps::Figures, false) => FORMAT_FIGURES,
                (Keeps::Figures, true) => FORMAT_FIGURES_UNDATED,
                (Keeps::Lead, false) => FORMAT_LEAD,
                (Keeps::Lead, true) => FORMAT_LEAD_UNDATED,
                (Keeps::Prints, false) => FORMAT,
                (Keeps::Prints, true) => FORMAT_UNDATED,
            },
    );
    out.extend_from_slice(&prints.content_key);
    text(&mut out, &prints.title);
    if prints.headline == prints.title {
        varint(&mut out, 0);
    } else {
        varint(&mut out, prints.headline.len() as u64 + 1);
        out.extend_from_slice(prints.headline.as_bytes());
    }
    out.extend_from_slice(&prints.body_key.to_le_bytes());
    out.extend_from_slice(&prints.simhash.to_le_bytes());
    for count in [
        prints.shingles,
        prints.words,
        prints.headline_terms,
        prints.headline_terms_in_body,
    ] {
        varint(&mut out, u64::from(count));
    }
    varint(&mut out, prints.paragraphs.len() as u64);
    for paragraph in &prints.paragraphs {
        out.extend_from_slice(&paragraph.simhash.to_le_bytes());
        varint(&mut out, u64::from(paragraph.words));
        varint(&mut out, u64::from(paragraph.shingles));
    }
    if keeps >= Keeps::Lead {
        let mut sentences = vec![0u8; prints.paragraphs.len().div_ceil(8)];
        for (i, paragraph) in prints.paragraphs.iter().enumerate() {
            sentences[i / 8] |= u8::from(paragraph.sentence) << (i % 8);
        }
        out.extend_from_slice(&sentences);
        varint(&mut out, prints.lead_words.len() as u64);
        for word in &prints.lead_words {
            out.extend_from_slice(&word.to_le_bytes());
        }
        text(&mut out, &prints.cut_text);
    }
    if keeps >= Keeps::Figures {
        out.extend_from_slice(&prints.figures_key.to_le_bytes());
    }
    if keeps >= Keeps::Anchors {
        for anchor in prints.paragraph_anchors.iter().flatten().flatten() {
            out.extend_from_slice(&anchor.to_le_bytes());
        }
    }
    if second_words {
        varint(&mut out, prints.second_words.len() as u64);
        for word in &prints.second_words {
            out.extend_from_slice(&word.to_le_bytes());
        }
    }
    if let Some(opening) = prints.long_lead_opening {
        out.extend_from_slice(&opening.to_le_bytes());
    }
    if let (Keeps::TextDates, Some(dates)) = (keeps, prints.text_dates) {
        let published = dates.published.timestamp();
        out.extend_from_slice(&published.to_le_bytes());
        varint(
            &mut out,
            dates.updated.timestamp().saturating_sub(published).max(0) as u64,
        );
    }
    if prints.media != 0 {
        out.extend_from_slice(&prints.media.to_le_bytes());
    }
    out
}

/// The prints [`pack`] packed, undated; an error for a record that is cut
/// short, too long or not in this format.
pub fn unpack(record: &[u8]) -> Result<NearPrints, String> {
    let mut r = Reader(record);
    let format = r.bytes(1)?[0];
    let intro_over_story = format & INTRO_BIT != 0;
    let keeps_second_words = format & SECOND_WORDS_BIT != 0;
    let keeps_long_lead_opening = format & LONG_LEAD_OPENING_BIT != 0;
    let (undated, keeps) = match [format & !MARKS] {
        [FORMAT] => (false, Keeps::Prints),
        [FORMAT_UNDATED] => (true, Keeps::Prints),
        [FORMAT_LEAD] => (false, Keeps::Lead),
        [FORMAT_LEAD_UNDATED] => (true, Keeps::Lead),
        [FORMAT_FIGURES] => (false, Keeps::Figures),
        [FORMAT_FIGURES_UNDATED] => (true, Keeps::Figures),
        [FORMAT_ANCHORS] => (false, Keeps::Anchors),
        [FORMAT_ANCHORS_UNDATED] => (true, Keeps::Anchors),
        [FORMAT_TEXT_DATES] => (false, Keeps::TextDates),
        _ => return Err("unknown near-duplicate prints format".into()),
    };
    let content_key = r.bytes(32)?.try_into().expect("32 bytes");
    let title = r.text()?;
    let headline = match r.varint()? {
        0 => title.clone(),
        n => r.utf8(n as usize - 1)?,
    };
    let body_key = r.u64()?;
    let simhash = r.u64()?;
    let [shingles, words, headline_terms, headline_terms_in_body] =
        [r.u32()?, r.u32()?, r.u32()?, r.u32()?];
    let count = r.varint()?;
    // Each paragraph takes at least 10 bytes: a count beyond what is left
    // is a bad record, not an allocation.
    if count > r.0.len() as u64 / 10 {
        return Err("bad near-duplicate prints: paragraph count".into());
    }
    let mut paragraphs = (0..count)
        .map(|_| {
            Ok(ParagraphPrint {
                simhash: r.u64()?,
                words: r.u32()?,
                shingles: r.u32()?,
                sentence: false,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let (mut lead_words, mut cut_text) = (Vec::new(), String::new());
    if keeps >= Keeps::Lead {
        let sentences = r.bytes(paragraphs.len().div_ceil(8))?;
        for (i, paragraph) in paragraphs.iter_mut().enumerate() {
            paragraph.sentence = sentences[i / 8] >> (i % 8) & 1 == 1;
        }
        lead_words = r.words()?;
        cut_text = r.text()?;
    }
    let figures_key = if keeps >= Keeps::Figures { r.u64()? } else { 0 };
    let paragraph_anchors = if keeps >= Keeps::Anchors {
        paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (i > 0 && dedup::anchored(p))
                    .then(|| Ok([r.u16()?, r.u16()?]))
                    .transpose()
            })
            .collect::<Result<Vec<_>, String>>()?
    } else {
        Vec::new()
    };
    let second_words = if keeps_second_words && keeps >= Keeps::Anchors {
        r.words()?
    } else if keeps_second_words {
        return Err("bad near-duplicate prints: second words without anchors".into());
    } else {
        Vec::new()
    };
    let long_lead_opening = if keeps_long_lead_opening {
        Some(r.u64()?)
    } else {
        None
    };
    let text_dates = if keeps == Keeps::TextDates {
        Some(r.text_dates()?)
    } else {
        None
    };
    let media = match r.0.len() {
        0 => 0,
        8 => r.u64()?,
        _ => return Err("bad near-duplicate prints: bytes left over".into()),
    };
    Ok(NearPrints {
        content_key,
        title,
        headline,
        body_key,
        figures_key,
        intro_over_story,
        simhash,
        shingles,
        words,
        paragraphs,
        headline_terms,
        headline_terms_in_body,
        published: None,
        updated: None,
        media,
        undated,
        text_dates,
        lead_words,
        second_words,
        long_lead_opening,
        paragraph_anchors,
        cut_text,
        paragraph_texts: Vec::new(),
        as_written: Default::default(),
    })
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn text(out: &mut Vec<u8>, text: &str) {
    varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// What is left of a record being read.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("bad near-duplicate prints: cut short".into());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.bytes(1)?[0];
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(n);
            }
        }
        Err("bad near-duplicate prints: varint too long".into())
    }

    fn u32(&mut self) -> Result<u32, String> {
        u32::try_from(self.varint()?).map_err(|_| "bad near-duplicate prints: count".into())
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.bytes(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.bytes(2)?.try_into().expect("2 bytes"),
        ))
    }

    /// A publication date (Unix seconds, 8 bytes), then a varint of how
    /// many seconds later the update date is.
    fn text_dates(&mut self) -> Result<TextDates, String> {
        let bad = || "bad near-duplicate prints: text dates".to_string();
        let published = self.u64()? as i64;
        let later = i64::try_from(self.varint()?).map_err(|_| bad())?;
        let moment = |seconds: i64| DateTime::from_timestamp(seconds, 0).ok_or_else(bad);
        Ok(TextDates {
            published: moment(published)?,
            updated: moment(published.checked_add(later).ok_or_else(bad)?)?,
        })
    }

    /// A varint count, then as many words of 2 bytes each.
    fn words(&mut self) -> Result<Vec<u16>, String> {
        let count = self.varint()?;
        if count > self.0.len() as u64 / 2 {
            return Err("bad near-duplicate prints: lead word count".into());
        }
        (0..count).map(|_| self.u16()).collect()
    }

    fn utf8(&mut self, n: usize) -> Result<String, String> {
        String::from_utf8(self.bytes(n)?.to_vec())
            .map_err(|_| "bad near-duplicate prints: text".into())
    }

    fn text(&mut self) -> Result<String, String> {
        let n = self.varint()?;
        self.utf8(usize::try_from(n).map_err(|_| "bad near-duplicate prints: length")?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::{Article, Block};

    fn prints(title: &str, paragraphs: &[&str]) -> NearPrints {
        NearPrints::of(&Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            ..Default::default()
        })
        .as_stored()
    }

    #[test]
    fn prints_round_trip_and_stay_small() {
        let lead = "The board of the Port of Calder voted on Monday to approve a \
            long-delayed expansion of the northern harbour, ending a dispute.";
        for p in [
            prints(
                "Port of Calder Approves Harbour Expansion",
                &[lead, lead, "Short."],
            ),
            prints("Calder approves expansion - The Courier", &[lead]),
            prints("", &[]),
        ] {
            let packed = pack(&p);
            assert_eq!(unpack(&packed).unwrap(), p);
            let json = serde_json::to_vec(&p).unwrap();
            assert!(
                packed.len() * 2 < json.len(),
                "{} of {}",
                packed.len(),
                json.len()
            );
        }
    }

    #[test]
    fn the_second_paragraphs_words_are_kept_and_records_without_them_read_as_before() {
        let p = prints(
            "Lorry crash brings town to a standstill",
            &[
                "Shopkeepers said trade had all but stopped on Wednesday as traffic queued \
                 through the town for hours after the crash.",
                "A lorry carrying animal feed overturned on Kirkgate in Settle on Wednesday, \
                 closing the road in both directions.",
                "Short.",
            ],
        );
        assert_eq!(p.second_words.len(), 18);
        let record = pack(&p);
        assert_eq!(record[0] & SECOND_WORDS_BIT, SECOND_WORDS_BIT);
        assert!(is_packed(&record));
        assert_eq!(unpack(&record).unwrap(), p);
        let before = NearPrints {
            second_words: Vec::new(),
            ..p.clone()
        };
        let record = pack(&before);
        assert_eq!(record[0] & SECOND_WORDS_BIT, 0);
        assert_eq!(unpack(&record).unwrap(), before);
        // Records written before anchors were kept never keep them.
        let record = pack_before_anchors(&p);
        assert_eq!(record[0] & SECOND_WORDS_BIT, 0);
        assert!(unpack(&record).unwrap().second_words.is_empty());
    }

    #[test]
    fn a_long_leads_opening_is_kept_and_records_without_it_read_as_before() {
        let sentence = "The harbour board voted on Tuesday to extend the northern quay by \
                        four hundred metres after a year of talks with the fishing crews.";
        let long_lead = [sentence; 6].join(" ");
        let p = prints("Harbour vote", &[&long_lead, sentence]);
        assert!(p.lead_words.is_empty());
        assert!(p.long_lead_opening.is_some());
        for record in [pack(&p), pack_before_anchors(&p)] {
            assert_eq!(record[0] & LONG_LEAD_OPENING_BIT, LONG_LEAD_OPENING_BIT);
            assert!(is_packed(&record));
            assert_eq!(
                unpack(&record).unwrap().long_lead_opening,
                p.long_lead_opening
            );
        }
        assert_eq!(unpack(&pack(&p)).unwrap(), p);
        let before = NearPrints {
            long_lead_opening: None,
            ..p.clone()
        };
        let record = pack(&before);
        assert_eq!(record[0] & LONG_LEAD_OPENING_BIT, 0);
        assert_eq!(unpack(&record).unwrap(), before);
    }

    #[test]
    fn an_undated_article_is_told_by_the_format_byte_alone() {
        let undated = prints("Morning bulletin", &["The latest news from Calder Radio."]);
        assert!(undated.undated);
        let dated = NearPrints {
            undated: false,
            ..undated.clone()
        };
        let (undated_record, dated_record) = (pack(&undated), pack(&dated));
        assert_eq!(undated_record[0], FORMAT_ANCHORS_UNDATED);
        assert_eq!(dated_record[0], FORMAT_ANCHORS);
        assert_eq!(undated_record[1..], dated_record[1..]);
        assert_eq!(unpack(&undated_record).unwrap(), undated);
        assert_eq!(super::undated(&undated_record), Some(true));
        assert_eq!(super::undated(&dated_record), Some(false));
        assert_eq!(unpack(&dated_record).unwrap(), dated);
        assert!(is_packed(&undated_record) && is_packed(&dated_record));
        let mut unknown = dated_record;
        unknown[0] = FORMAT_TEXT_DATES + 1;
        assert!(unpack(&unknown).is_err() && !is_packed(&unknown));
    }

    #[test]
    fn the_dates_a_source_gave_the_text_are_kept_and_older_records_read_without_them() {
        let at = |hour, minute| Utc.with_ymd_and_hms(2026, 12, 5, hour, minute, 0).unwrap();
        let mut p = NearPrints::of(&Article {
            title: "Ferry capsizes off Calder Point".into(),
            published: Some(at(7, 40)),
            updated: Some(at(10, 5)),
            body: vec![
                Block::paragraph("A passenger ferry capsized off Calder Point early on Saturday."),
                Block::paragraph("The coastguard said two lifeboats were searching the area."),
            ],
            ..Default::default()
        })
        .as_stored();
        assert_eq!(
            p.text_dates,
            Some(TextDates {
                published: at(7, 40),
                updated: at(10, 5)
            })
        );
        let record = pack(&p);
        assert_eq!(record[0], FORMAT_TEXT_DATES);
        // The article's dates are not in the record: only the text's.
        (p.published, p.updated) = (None, None);
        assert_eq!(unpack(&record).unwrap(), p);
        // 8 bytes for the publication date, 2 for the update 145 minutes on.
        let before = pack_as(&p, Keeps::Anchors);
        assert_eq!(before[0], FORMAT_ANCHORS);
        assert_eq!(record.len(), before.len() + 10);
        assert_eq!(unpack(&before).unwrap().text_dates, None);
        // Prints read without them are written without them again.
        let read = unpack(&before).unwrap();
        assert_eq!(pack(&read), before);
        // An undated text has none, and is written as before.
        let undated = prints("Morning bulletin", &["The latest news from Calder Radio."]);
        assert_eq!(undated.text_dates, None);
        assert_eq!(pack(&undated)[0], FORMAT_ANCHORS_UNDATED);
        // Cut short in its dates, a record is bad.
        assert!(unpack(&record[..record.len() - 1]).is_err());
    }

    #[test]
    fn sentences_and_lead_words_are_kept_and_older_records_read_as_before() {
        let lead = "The transport ministry on Friday turned down Calder's request for \
            national funding towards its planned tram line.";
        let mut p = prints(
            "Ministry Rejects Calder Tram Funding Bid",
            &[
                lead,
                "The council said it would appeal.",
                "Advertisement",
                lead,
            ],
        );
        p.media = 0x5eed_f00d;
        let sentences: Vec<bool> = p.paragraphs.iter().map(|q| q.sentence).collect();
        assert_eq!(
            sentences,
            [false, true, false, false],
            "only a short paragraph"
        );
        assert_eq!(p.lead_words.len(), 17);
        let record = pack(&p);
        assert_eq!(unpack(&record).unwrap(), p);
        // Nine paragraphs take two bytes of sentence bits.
        let many = prints("Headline", &[lead; 9]);
        assert_eq!(unpack(&pack(&many)).unwrap(), many);
        // A record written before: no sentence, no lead words, the rest
        // as it was, dated or not.
        for undated in [false, true] {
            let p = NearPrints {
                undated,
                ..p.clone()
            };
            let old = pack_before_lead(&p);
            assert_eq!(old[0], if undated { FORMAT_UNDATED } else { FORMAT });
            assert!(is_packed(&old));
            let read = unpack(&old).unwrap();
            assert!(read.lead_words.is_empty());
            assert!(read.paragraphs.iter().all(|q| !q.sentence));
            let as_before = NearPrints {
                lead_words: Vec::new(),
                paragraph_anchors: Vec::new(),
                figures_key: 0,
                paragraphs: p
                    .paragraphs
                    .iter()
                    .map(|q| ParagraphPrint {
                        sentence: false,
                        ..*q
                    })
                    .collect(),
                ..p
            };
            assert_eq!(read, as_before);
        }
    }

    #[test]
    fn the_figures_key_is_kept_and_older_records_read_without_it() {
        let p = prints(
            "Calder tide times",
            &["High water at 05:12 (4.8 m) and 17:40; low water at 11:31."],
        );
        assert_ne!(p.figures_key, 0);
        assert_eq!(unpack(&pack(&p)).unwrap(), p);
        let media = NearPrints {
            media: 7,
            ..p.clone()
        };
        assert_eq!(unpack(&pack(&media)).unwrap(), media);
        let old = pack_before_figures(&media);
        assert_eq!(old[0], FORMAT_LEAD_UNDATED);
        assert_eq!(
            unpack(&old).unwrap(),
            NearPrints {
                figures_key: 0,
                paragraph_anchors: Vec::new(),
                ..media
            }
        );
    }

    #[test]
    fn paragraphs_anchors_are_kept_in_four_bytes_and_older_records_read_without_them() {
        let lead = "The union said the strike would last forty eight hours and warned of \
            further action in January.";
        let mut p = prints(
            "Rail Strike Halts Services",
            &[lead, "Advertisement", lead, "Talks broke down on Tuesday."],
        );
        p.media = 0x5eed_f00d;
        let kept: Vec<bool> = p.paragraph_anchors.iter().map(Option::is_some).collect();
        assert_eq!(
            kept,
            [false, false, true, false],
            "not the lead's (its words are kept), nor a paragraph of eight words or fewer"
        );
        assert_eq!(unpack(&pack(&p)).unwrap(), p);
        assert_eq!(pack(&p)[0], FORMAT_ANCHORS_UNDATED);
        let old = pack_before_anchors(&p);
        assert_eq!(old[0], FORMAT_FIGURES_UNDATED);
        assert_eq!(
            pack(&p).len(),
            old.len() + 4,
            "two anchors, whatever the length"
        );
        let read = unpack(&old).unwrap();
        assert_eq!(
            read,
            NearPrints {
                paragraph_anchors: Vec::new(),
                ..p.clone()
            }
        );
        // Prints read without anchors are written as they were read, not
        // with anchors made up.
        assert_eq!(pack(&read), old);
        let empty = prints("", &[]);
        assert_eq!(pack(&empty)[0], FORMAT_ANCHORS_UNDATED);
        assert_eq!(unpack(&pack(&empty)).unwrap(), empty);
        // Cut short in the anchors is a bad record.
        let record = pack(&NearPrints { media: 0, ..p });
        assert!(unpack(&record[..record.len() - 1]).is_err());
    }

    #[test]
    fn the_text_a_body_breaks_off_with_is_kept_and_that_of_each_paragraph_is_not() {
        let lead = "The harbour board voted on Monday to approve the long-delayed northern \
            berth expansion after a year of talks with fishing cooperatives.";
        let fresh = NearPrints::of(&Article {
            title: "Harbour Board Approves Northern Berth Expansion".into(),
            body: [
                lead,
                "The plan adds two \u{201C}deep-water\u{201D} berths and a rail spur, and sets as ",
            ]
            .into_iter()
            .map(Block::paragraph)
            .collect(),
            ..Default::default()
        });
        let tail = "the plan adds two \"deep-water\" berths and a rail spur, and sets as";
        assert_eq!(fresh.cut_text, tail, "folded, trailing white space trimmed");
        assert_eq!(fresh.paragraph_texts.len(), 2);
        let mut cut = fresh.as_stored();
        cut.media = 0x5eed_f00d;
        let record = pack(&cut);
        assert_eq!(unpack(&record).unwrap(), cut);
        let whole = NearPrints {
            cut_text: String::new(),
            ..cut.clone()
        };
        assert_eq!(pack(&whole).len() + tail.len(), record.len());
        // Records written before read with no cut text.
        let read = unpack(&pack_before_lead(&cut)).unwrap();
        assert!(read.cut_text.is_empty() && read.lead_words.is_empty());
        // A cut text that is no UTF-8 is a bad record (the figures key and
        // the media print after it, in a record without anchors).
        let record = pack_before_anchors(&cut);
        let at = record.len() - 8 - 8 - 1;
        let mut bad = record.clone();
        bad[at] = 0xff;
        assert!(unpack(&bad).is_err());
    }

    #[test]
    fn a_media_print_is_kept_and_a_record_without_one_reads_as_before() {
        let plain = prints("Morning bulletin", &["The latest news from Calder Radio."]);
        let with_media = NearPrints {
            media: 0x5eed_f00d,
            ..plain.clone()
        };
        let (bare, longer) = (pack(&plain), pack(&with_media));
        assert_eq!(longer.len(), bare.len() + 8);
        assert_eq!(
            &longer[..bare.len()],
            &bare[..],
            "the same record, the print after it"
        );
        assert_eq!(unpack(&longer).unwrap(), with_media);
        assert_eq!(unpack(&bare).unwrap().media, 0);
        let mut odd = bare.clone();
        odd.extend_from_slice(&[1, 2, 3]);
        assert!(unpack(&odd).is_err());
    }

    #[test]
    fn a_local_intro_is_told_by_the_format_byte_alone_in_every_format() {
        let plain = prints(
            "Harbour dredging approved",
            &[
                "Fishermen said they would watch the work.",
                "The board approved the plan.",
            ],
        );
        let intro = NearPrints {
            intro_over_story: true,
            ..plain.clone()
        };
        for (with, without) in [
            (pack(&intro), pack(&plain)),
            (pack_before_anchors(&intro), pack_before_anchors(&plain)),
            (pack_before_lead(&intro), pack_before_lead(&plain)),
        ] {
            assert_eq!(with[0], without[0] | INTRO_BIT);
            assert_eq!(with[1..], without[1..]);
            assert!(is_packed(&with));
            assert!(unpack(&with).unwrap().intro_over_story);
            assert!(!unpack(&without).unwrap().intro_over_story);
        }
        assert_eq!(unpack(&pack(&intro)).unwrap(), intro);
    }

    #[test]
    fn bad_records_are_errors() {
        let packed = pack(&prints("Headline", &["One two three four five six seven."]));
        for bad in [
            &[][..],
            &[2][..],
            &packed[..packed.len() - 1],
            &[&packed[..], &[0][..]].concat(),
        ] {
            assert!(unpack(bad).is_err(), "{bad:?}");
        }
        // A paragraph count far beyond the bytes left (the count, one
        // paragraph of 10 bytes, a byte of sentence bits, no lead words,
        // no cut text, the figures key).
        let mut huge = packed.clone();
        let at = huge.len() - 8 - 1 - 1 - 1 - 10 - 1;
        assert_eq!(huge[at], 1);
        huge[at] = 0x7f;
        assert!(unpack(&huge).is_err());
        // A lead word count, a cut text's length, far beyond the bytes
        // left.
        for at in [packed.len() - 8 - 2, packed.len() - 8 - 1] {
            let mut huge = packed.clone();
            huge[at] = 0x7f;
            assert!(unpack(&huge).is_err());
        }
    }
}
