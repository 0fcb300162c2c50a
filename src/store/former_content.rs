//! The texts stored articles had before a write transaction first replaced
//! them. A merge that absorbs an article whose text the transaction
//! replaced (the new text made it a copy of another) records its fold under
//! the headline the article had until then, the one the feeds published it
//! under, not the replacing copy's, which no feed ever carried under its
//! id, and keeps that text, the article's own, to restore should the merge
//! be undone. The records are kept as stored (compressed) and read only
//! when a merge needs one.

use std::collections::HashMap;

/// An article's text as stored before a transaction replaced it: its
/// content record, its prints and its dates, packed as its row holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormerText {
    pub content: Vec<u8>,
    pub prints: Vec<u8>,
    pub published: i64,
    pub updated: i64,
}

/// The text of each article (by store number) before the open transaction
/// first replaced it, forgotten with the unit that recorded it when that
/// unit is discarded.
#[derive(Debug, Default)]
pub(crate) struct FormerContent {
    records: HashMap<i64, FormerText>,
    /// The articles recorded, in order.
    recorded: Vec<i64>,
    /// How many of `recorded` came before the open unit.
    before_unit: usize,
}

impl FormerContent {
    /// Records that article `seq` had the text `former` before it was
    /// replaced, unless its text was replaced before in this transaction.
    pub(crate) fn record(&mut self, seq: i64, former: FormerText) {
        if let std::collections::hash_map::Entry::Vacant(entry) = self.records.entry(seq) {
            entry.insert(former);
            self.recorded.push(seq);
        }
    }

    /// The text article `seq` had before this transaction replaced it;
    /// `None` when it did not.
    pub(crate) fn of(&self, seq: i64) -> Option<&FormerText> {
        self.records.get(&seq)
    }

    /// The headline article `seq` had before the open transaction replaced
    /// its text, which a merge that absorbs it is listed under; `None` when
    /// the transaction did not replace it, or its record then holds no
    /// headline to read (the one it has now stands in).
    pub(crate) fn published_headline(&self, seq: i64) -> Option<String> {
        self.of(seq)
            .and_then(|former| super::codec::title_of(&former.content).ok())
    }

    /// Marks where a unit begins.
    pub(crate) fn begin_unit(&mut self) {
        self.before_unit = self.recorded.len();
    }

    /// Forgets what the unit begun last recorded: it was discarded, and the
    /// articles have their content from before it (or are gone).
    pub(crate) fn discard_unit(&mut self) {
        for seq in self.recorded.drain(self.before_unit..) {
            self.records.remove(&seq);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(content: &[u8]) -> FormerText {
        FormerText {
            content: content.to_vec(),
            prints: Vec::new(),
            published: 0,
            updated: 0,
        }
    }

    fn content_of(former: &FormerContent, seq: i64) -> Option<&[u8]> {
        former.of(seq).map(|text| text.content.as_slice())
    }

    #[test]
    fn the_record_before_the_first_replacement_is_kept() {
        let mut former = FormerContent::default();
        former.record(7, text(b"published"));
        former.record(7, text(b"replaced once already"));
        assert_eq!(content_of(&former, 7), Some(&b"published"[..]));
        assert_eq!(content_of(&former, 8), None);
    }

    #[test]
    fn the_headline_is_read_from_the_record_kept() {
        let article = crate::model::StoredArticle {
            title: "Harbour vote tonight".into(),
            ..Default::default()
        };
        let packed = super::super::codec::pack_content(
            &super::super::codec::ContentRef::of_stored(&article),
        );
        let mut former = FormerContent::default();
        former.record(3, text(&packed));
        assert_eq!(
            former.published_headline(3).as_deref(),
            Some("Harbour vote tonight")
        );
        assert_eq!(former.published_headline(4), None);
    }

    #[test]
    fn a_discarded_unit_forgets_what_it_recorded() {
        let mut former = FormerContent::default();
        former.record(1, text(b"kept"));
        former.begin_unit();
        former.record(2, text(b"discarded"));
        former.discard_unit();
        assert_eq!(content_of(&former, 1), Some(&b"kept"[..]));
        assert_eq!(content_of(&former, 2), None);
        former.begin_unit();
        former.record(2, text(b"again"));
        assert_eq!(content_of(&former, 2), Some(&b"again"[..]));
    }
}
