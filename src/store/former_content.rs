//! The content records stored articles had before a write transaction
//! first replaced their text. A merge that absorbs an article whose text
//! the transaction replaced (the new text made it a copy of another)
//! records its fold under the headline the article had until then, the one
//! the feeds published it under, not the replacing copy's, which no feed
//! ever carried under its id. The records are kept as stored (compressed)
//! and read only when a merge needs one.

use std::collections::HashMap;

/// The content record of each article (by store number) before the open
/// transaction first replaced its text, forgotten with the unit that
/// recorded it when that unit is discarded.
#[derive(Debug, Default)]
pub(crate) struct FormerContent {
    records: HashMap<i64, Vec<u8>>,
    /// The articles recorded, in order.
    recorded: Vec<i64>,
    /// How many of `recorded` came before the open unit.
    before_unit: usize,
}

impl FormerContent {
    /// Records that article `seq` had the content record `packed` before
    /// its text was replaced, unless its text was replaced before in this
    /// transaction.
    pub(crate) fn record(&mut self, seq: i64, packed: Vec<u8>) {
        if let std::collections::hash_map::Entry::Vacant(entry) = self.records.entry(seq) {
            entry.insert(packed);
            self.recorded.push(seq);
        }
    }

    /// The content record article `seq` had before this transaction
    /// replaced its text; `None` when it did not.
    fn of(&self, seq: i64) -> Option<&[u8]> {
        self.records.get(&seq).map(Vec::as_slice)
    }

    /// The headline article `seq` had before the open transaction replaced
    /// its text, which a merge that absorbs it is listed under; `None` when
    /// the transaction did not replace it, or its record then holds no
    /// headline to read (the one it has now stands in).
    pub(crate) fn published_headline(&self, seq: i64) -> Option<String> {
        self.of(seq)
            .and_then(|packed| super::codec::title_of(packed).ok())
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

    #[test]
    fn the_record_before_the_first_replacement_is_kept() {
        let mut former = FormerContent::default();
        former.record(7, b"published".to_vec());
        former.record(7, b"replaced once already".to_vec());
        assert_eq!(former.of(7), Some(&b"published"[..]));
        assert_eq!(former.of(8), None);
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
        former.record(3, packed);
        assert_eq!(
            former.published_headline(3).as_deref(),
            Some("Harbour vote tonight")
        );
        assert_eq!(former.published_headline(4), None);
    }

    #[test]
    fn a_discarded_unit_forgets_what_it_recorded() {
        let mut former = FormerContent::default();
        former.record(1, b"kept".to_vec());
        former.begin_unit();
        former.record(2, b"discarded".to_vec());
        former.discard_unit();
        assert_eq!(former.of(1), Some(&b"kept"[..]));
        assert_eq!(former.of(2), None);
        former.begin_unit();
        former.record(2, b"again".to_vec());
        assert_eq!(former.of(2), Some(&b"again"[..]));
    }
}
