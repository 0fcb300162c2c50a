//! 64-bit SimHash (Charikar 2002; Manku, Jain and Das Sarma, WWW 2007) over
//! word shingles, the stable 64-bit hash it is built from, Hamming distance,
//! and the bands that let a store find every fingerprint within a distance
//! `k` with a fixed number of range lookups.
//!
//! Fingerprints are stored and compared across versions, so everything here
//! is fixed and written out: the words are Unicode words of the folded text
//! ([`crate::normalize::fold`]: NFKC, lower case, typographic quotes and
//! dashes as ASCII); a shingle is [`SHINGLE_WORDS`] consecutive words joined
//! by one ASCII space; its hash is [`stable_hash`] of those UTF-8 bytes; bit
//! `b` of the fingerprint (bit 0 the least significant) is 1 when more
//! shingles have bit `b` set than clear (a tie gives 0). Every shingle
//! occurrence weighs 1. The test `fingerprint_of_a_fixed_text_never_changes`
//! pins the result: if it fails, stored fingerprints no longer match.

use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::fold_into;

/// Words per shingle. One-word features (a bag of words) ignore order and
/// let two stories about the same event look alike; each extra word makes
/// one edited word change one more feature. Three is the usual compromise;
/// on the evaluation set it keeps edited copies nearest while different
/// stories stay as far apart as with longer shingles (`BENCHMARKS.md` (near-duplicate folding)).
pub const SHINGLE_WORDS: usize = 3;

/// Appends the Unicode words (UAX #29) of the folded form of `text` to
/// `out`; `scratch` is reused as the folding buffer. Punctuation and white
/// space separate words and are not part of any.
pub fn words_into(text: &str, scratch: &mut String, out: &mut Vec<String>) {
    fold_into(text, scratch);
    out.extend(scratch.unicode_words().map(str::to_owned));
}

/// The Unicode words of the folded form of `text`, folded into `scratch`
/// and borrowed from it.
pub fn words_in<'s>(text: &str, scratch: &'s mut String) -> Vec<&'s str> {
    fold_into(text, scratch);
    scratch.unicode_words().collect()
}

/// The Unicode words of the folded form of `text`.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    words_into(text, &mut String::new(), &mut out);
    out
}

/// FNV-1a 64 over `bytes`, finished with MurmurHash3's `fmix64` so that
/// every output bit depends on every input byte (plain FNV-1a mixes its
/// high bits poorly for short inputs, and SimHash uses all 64). Both are
/// fixed published constants: the value never changes between Rust
/// releases or machines, unlike `std`'s `DefaultHasher`.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    fmix64(fnv1a64(bytes))
}

/// [`stable_hash`] of bytes given in pieces: the same value as
/// `stable_hash` of the pieces joined, without joining them.
#[derive(Debug, Clone, Copy)]
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(FNV_OFFSET)
    }
}

impl StableHasher {
    /// Adds the next piece.
    pub fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_step(self.0, bytes);
    }

    /// The hash of every piece written, in order.
    pub fn finish(self) -> u64 {
        fmix64(self.0)
    }
}

/// FNV-1a, 64-bit: offset basis `0xcbf29ce484222325`, prime `0x100000001b3`.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a_step(FNV_OFFSET, bytes)
}

/// Continues an FNV-1a hash `h` over `bytes`.
fn fnv1a_step(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// MurmurHash3's 64-bit finalizer.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The hash of one shingle: [`stable_hash`] of its words joined by one
/// ASCII space (computed without building the joined string).
pub fn shingle_hash<S: AsRef<str>>(words: &[S]) -> u64 {
    let mut h = FNV_OFFSET;
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            h = fnv1a_step(h, b" ");
        }
        h = fnv1a_step(h, word.as_ref().as_bytes());
    }
    fmix64(h)
}

/// The hashes of the shingles of `words`, in order: every run of `shingle`
/// consecutive words, or all of them as one shingle when there are fewer
/// (none for no words).
pub fn shingle_hashes<S: AsRef<str>>(words: &[S], shingle: usize) -> impl Iterator<Item = u64> {
    let shingle = shingle.max(1).min(words.len().max(1));
    words.windows(shingle).map(shingle_hash)
}

/// Features a byte-wide lane of [`SimHasher`] counts before they are
/// added to the sums: a byte holds up to 255.
const LANE_LIMIT: u32 = 255;

/// `SPREAD[b]` holds the eight bits of `b` one to a byte (bit `j` of `b`
/// as byte `j`), so adding it to a word of eight byte-wide counters counts
/// eight bits of a hash at once.
const SPREAD: [u64; 256] = spread_table();

const fn spread_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        let mut spread = 0u64;
        while bit < 8 {
            spread |= ((byte as u64 >> bit) & 1) << (8 * bit);
            bit += 1;
        }
        table[byte] = spread;
        byte += 1;
    }
    table
}

/// Accumulates feature hashes into a SimHash, each with weight 1. Accumulators can be
/// merged, so a body's fingerprint is the sum of its paragraphs'.
///
/// A feature is counted in eight words of eight byte-wide counters (one
/// per bit, through a table that spreads a byte's bits one to a byte),
/// and the counts are added to the 64 sums every 255 features: eight
/// additions a feature instead of 64, the same sums.
#[derive(Debug, Clone)]
pub struct SimHasher {
    /// Per bit, set minus clear, over the features counted before the lanes.
    sums: [i64; 64],
    /// Per bit (byte `b % 8` of word `b / 8`), how many of the `pending`
    /// features have it set.
    lanes: [u64; 8],
    pending: u32,
    features: u32,
}

impl Default for SimHasher {
    fn default() -> Self {
        SimHasher {
            sums: [0; 64],
            lanes: [0; 8],
            pending: 0,
            features: 0,
        }
    }
}

impl SimHasher {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one feature: each bit set in `hash` counts `+1`, each clear bit `-1`.
    pub fn add(&mut self, hash: u64) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            *lane += SPREAD[(hash >> (8 * k)) as u8 as usize];
        }
        self.pending += 1;
        self.features += 1;
        if self.pending == LANE_LIMIT {
            self.sums = self.sums();
            self.lanes = [0; 8];
            self.pending = 0;
        }
    }

    /// Adds the shingles of `words`, `shingle` words each ([`shingle_hashes`]).
    pub fn add_shingles<S: AsRef<str>>(&mut self, words: &[S], shingle: usize) {
        for hash in shingle_hashes(words, shingle) {
            self.add(hash);
        }
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &SimHasher) {
        for (sum, o) in self.sums.iter_mut().zip(other.sums()) {
            *sum += o;
        }
        self.features += other.features;
    }

    /// How many features were added.
    pub fn features(&self) -> u32 {
        self.features
    }

    /// Per bit, how many features set it minus how many left it clear.
    fn sums(&self) -> [i64; 64] {
        let mut sums = self.sums;
        for (bit, sum) in sums.iter_mut().enumerate() {
            let set = (self.lanes[bit / 8] >> (8 * (bit % 8))) & 0xff;
            *sum += 2 * set as i64 - i64::from(self.pending);
        }
        sums
    }

    /// The fingerprint: bit `b` is 1 where the sum for `b` is positive.
    pub fn finish(&self) -> u64 {
        self.sums().iter().enumerate().fold(
            0,
            |fp, (bit, &sum)| if sum > 0 { fp | 1 << bit } else { fp },
        )
    }
}

/// The SimHash of `words` with `shingle` words per shingle, and how many
/// shingles it was taken over.
pub fn simhash<S: AsRef<str>>(words: &[S], shingle: usize) -> (u64, u32) {
    let mut hasher = SimHasher::new();
    hasher.add_shingles(words, shingle);
    (hasher.finish(), hasher.features())
}

/// The number of bits in which `a` and `b` differ.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// The largest distance [`bands`] serves: pairs of `k + 2` blocks make
/// `(k + 2)(k + 1) / 2` bands, and a store numbers at most
/// [`MAX_BANDS`] of them.
pub const MAX_BAND_DISTANCE: u32 = 13;

/// The most bands [`bands`] gives for any distance.
pub const MAX_BANDS: usize = 120;

/// The narrowest band [`bands`] cuts from single blocks: a band of `b`
/// bits matches one fingerprint in `2^b` at random, so a store of a
/// million articles holds about 15 chance matches of a 16-bit band and
/// 244 of a 12-bit one. Below this width the bands are pairs of blocks.
pub const MIN_BLOCK_BITS: u32 = 16;

/// The widths of the `blocks` blocks a fingerprint is split into, most
/// significant block first: 64 bits split as evenly as possible, wider
/// blocks first (four blocks of 16 bits; five of 13, 13, 13, 13 and 12).
pub fn block_widths(blocks: u32) -> Vec<u32> {
    (0..blocks)
        .map(|i| 64 / blocks + u32::from(i < 64 % blocks))
        .collect()
}

/// One band of a fingerprint ([`bands`]): the fingerprint with its bits
/// rearranged so that the `width` bits the band keys on come first, the
/// others after them in their order. Rearranging keeps Hamming distances,
/// so two fingerprints are `d` bits apart exactly when their arrangements
/// for the same band are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Band {
    /// Which band, from 0.
    pub index: u32,
    pub arranged: u64,
    pub width: u32,
}

/// The bands that find every fingerprint within Hamming distance `k` of
/// `fingerprint`: a fingerprint within `k` bits has the same leading
/// `width` bits in the same band's arrangement of at least one band.
///
/// - When `k + 1` blocks are at least [`MIN_BLOCK_BITS`] wide (`k <= 3`),
///   each block is a band: `k` differing bits touch at most `k` of the
///   `k + 1` blocks, so (pigeonhole) one block is the same in both. Four
///   bands of 16 bits at the default `k = 3`.
/// - Wider distances split the fingerprint into `k + 2` blocks and make a
///   band of each pair of them (blocks `(0, 1)`, `(0, 2)`, ..., `(k, k + 1)`):
///   two blocks are the same in both, and a pair holds about
///   `128 / (k + 2)` bits, so chance matches stay rare.
///
/// A store reads every fingerprint with the band's leading bits and keeps
/// those within `k` over the whole arrangement: the chance matches of a
/// 16-bit band are dropped there, from the index row, without reading the
/// article they belong to. `k` above [`MAX_BAND_DISTANCE`] is treated as
/// that.
pub fn bands(fingerprint: u64, k: u32) -> Vec<Band> {
    let k = k.min(MAX_BAND_DISTANCE);
    let widths = block_widths(k + 1);
    if widths.iter().all(|&w| w >= MIN_BLOCK_BITS) {
        let mut offset = 0;
        return widths
            .iter()
            .enumerate()
            .map(|(i, &width)| {
                let band = Band {
                    index: i as u32,
                    arranged: fingerprint.rotate_left(offset),
                    width,
                };
                offset += width;
                band
            })
            .collect();
    }
    let widths = block_widths(k + 2);
    let mut blocks = Vec::with_capacity(widths.len());
    let mut shift = 64;
    for &width in &widths {
        shift -= width;
        blocks.push((fingerprint >> shift) & ((1u64 << width) - 1));
    }
    let mut out = Vec::with_capacity(widths.len() * (widths.len() - 1) / 2);
    for i in 0..blocks.len() {
        for j in i + 1..blocks.len() {
            // Blocks i and j first, then the others in order.
            let mut arranged = (blocks[i] << widths[j]) | blocks[j];
            for (m, (&block, &width)) in blocks.iter().zip(&widths).enumerate() {
                if m != i && m != j {
                    arranged = arranged << width | block;
                }
            }
            out.push(Band {
                index: out.len() as u32,
                arranged,
                width: widths[i] + widths[j],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per bit, set minus clear over `hashes`: the definition the lanes
    /// of [`SimHasher`] compute faster.
    fn sums_by_definition(hashes: &[u64]) -> [i64; 64] {
        let mut sums = [0i64; 64];
        for hash in hashes {
            for (bit, sum) in sums.iter_mut().enumerate() {
                *sum += ((hash >> bit & 1) as i64) * 2 - 1;
            }
        }
        sums
    }

    proptest! {
        #[test]
        fn the_lanes_give_the_sums_of_the_definition(
            hashes in proptest::collection::vec(any::<u64>(), 0..1200),
            cut in 0usize..1200,
        ) {
            let cut = cut.min(hashes.len());
            let mut whole = SimHasher::new();
            for &hash in &hashes {
                whole.add(hash);
            }
            prop_assert_eq!(whole.sums(), sums_by_definition(&hashes));
            prop_assert_eq!(whole.features() as usize, hashes.len());
            // Merged from two parts, each with counts still in its lanes.
            let (mut first, mut second) = (SimHasher::new(), SimHasher::new());
            hashes[..cut].iter().for_each(|&h| first.add(h));
            hashes[cut..].iter().for_each(|&h| second.add(h));
            first.merge(&second);
            prop_assert_eq!(first.sums(), sums_by_definition(&hashes));
            prop_assert_eq!(first.finish(), whole.finish());
        }
    }

    #[test]
    fn a_feature_that_sets_every_bit_255_times_over_fills_no_lane_past_a_byte() {
        let mut hasher = SimHasher::new();
        for _ in 0..1000 {
            hasher.add(u64::MAX);
        }
        hasher.add(0);
        assert_eq!(hasher.sums(), [999; 64]);
        assert_eq!(hasher.finish(), u64::MAX);
    }

    #[test]
    fn a_hash_in_pieces_is_the_hash_of_the_pieces_joined() {
        let mut pieces = StableHasher::default();
        for piece in ["harbour", " ", "board", "\n", ""] {
            pieces.write(piece.as_bytes());
        }
        assert_eq!(pieces.finish(), stable_hash(b"harbour board\n"));
        assert_eq!(StableHasher::default().finish(), stable_hash(b""));
    }
    use proptest::prelude::*;

    const STORY: &str = "The board of the Port of Calder voted on Monday to approve a \
        long-delayed expansion of the northern harbour, ending a dispute with fishing \
        cooperatives that had stalled the project for more than a year. The plan adds two \
        deep-water berths and a rail spur, and sets aside a protected quay for the town's \
        fishing fleet, which had objected to earlier drafts. \"Nobody got everything they \
        wanted, and that is usually the sign of a fair deal,\" board chair Imogen Ashworth \
        told reporters after the vote. Construction is expected to begin in the spring and \
        to take three years.";

    const OTHER: &str = "Volunteers counted more than four hundred wading birds on the \
        Ashby marshes at the weekend, the highest winter total since records began in 1987. \
        Organisers said a run of mild weather and the restoration of two drained lagoons had \
        drawn flocks of redshank and curlew back to the estuary. \"Ten years ago we would \
        have been pleased with a hundred,\" said survey leader Priya Nandakumar. The count \
        is repeated every January and the results are shared with the national bird trust.";

    fn fp(text: &str) -> u64 {
        simhash(&words(text), SHINGLE_WORDS).0
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fmix64(0), 0);
    }

    #[test]
    fn stable_hash_is_fixed() {
        assert_eq!(stable_hash(b"port of calder"), 0x9f4c_fa22_88c3_e343);
        assert_ne!(
            stable_hash(b"port of calder"),
            stable_hash(b"port of caldre")
        );
    }

    #[test]
    fn fingerprint_of_a_fixed_text_never_changes() {
        assert_eq!(fp(STORY), 0x755f_8cb6_2689_cb3f);
    }

    #[test]
    fn words_fold_case_quotes_and_compatibility_forms() {
        assert_eq!(
            words("“Nobody” got EVERYTHING — the ﬁnal deal’s fair."),
            [
                "nobody",
                "got",
                "everything",
                "the",
                "final",
                "deal's",
                "fair"
            ]
        );
    }

    #[test]
    fn identical_after_folding_gives_distance_zero() {
        let curly = STORY
            .replace("\"Nobody", "“Nobody")
            .replace("deal,\"", "deal,”");
        assert_eq!(hamming(fp(STORY), fp(&curly.to_uppercase())), 0);
    }

    #[test]
    fn a_small_edit_gives_a_small_distance() {
        let typo = STORY.replace("expansion", "expnasion");
        let d = hamming(fp(STORY), fp(&typo));
        assert!(d <= 8, "one typo moved {d} bits");
        let added = format!("{STORY} The harbour master welcomed the vote.");
        let d = hamming(fp(STORY), fp(&added));
        assert!(d <= 10, "one short sentence moved {d} bits");
    }

    #[test]
    fn unrelated_texts_are_about_half_the_bits_apart() {
        let d = hamming(fp(STORY), fp(OTHER));
        assert!((20..=44).contains(&d), "unrelated texts {d} bits apart");
    }

    #[test]
    fn shingle_hash_is_the_hash_of_the_joined_words() {
        assert_eq!(
            shingle_hash(&["port", "of", "calder"]),
            stable_hash(b"port of calder")
        );
        assert_eq!(shingle_hash::<&str>(&[]), stable_hash(b""));
    }

    #[test]
    fn short_texts_form_one_shingle() {
        let (a, n) = simhash(&words("Rain today"), SHINGLE_WORDS);
        assert_eq!(n, 1);
        assert_eq!(a, shingle_hash(&["rain", "today"]));
        assert_eq!(simhash::<&str>(&[], SHINGLE_WORDS), (0, 0));
    }

    #[test]
    fn merged_accumulators_equal_one_pass() {
        let w = words(STORY);
        let mut whole = SimHasher::new();
        for h in w.windows(3).map(shingle_hash) {
            whole.add(h);
        }
        let (left, right) = w
            .windows(3)
            .map(shingle_hash)
            .partition::<Vec<_>, _>(|h| h % 2 == 0);
        let mut a = SimHasher::new();
        left.into_iter().for_each(|h| a.add(h));
        let mut b = SimHasher::new();
        right.into_iter().for_each(|h| b.add(h));
        a.merge(&b);
        assert_eq!(a.finish(), whole.finish());
        assert_eq!(a.features(), whole.features());
    }

    #[test]
    fn block_widths_cover_64_bits() {
        assert_eq!(block_widths(4), [16, 16, 16, 16]);
        assert_eq!(block_widths(5), [13, 13, 13, 13, 12]);
        assert_eq!(block_widths(1), [64]);
        for blocks in 1..=64 {
            assert_eq!(block_widths(blocks).iter().sum::<u32>(), 64);
        }
        for k in 0..=MAX_BAND_DISTANCE + 2 {
            let blocks = k.min(MAX_BAND_DISTANCE) as usize + 2;
            let expected = if k <= 3 {
                k as usize + 1
            } else {
                blocks * (blocks - 1) / 2
            };
            assert_eq!(bands(0, k).len(), expected, "k = {k}");
            assert!(bands(0, k).len() <= MAX_BANDS, "k = {k}");
        }
        assert_eq!(bands(0, 3).len(), 4);
        assert_eq!(
            bands(0, 4).len(),
            15,
            "pairs of six blocks of 10 or 11 bits"
        );
        assert_eq!(bands(0, 6).len(), 28);
    }

    #[test]
    fn blocks_are_rotations_and_pairs_lead_with_their_two_blocks() {
        let fp = 0x1111_2222_3333_4444;
        assert_eq!(
            bands(fp, 3),
            [
                Band {
                    index: 0,
                    arranged: fp,
                    width: 16
                },
                Band {
                    index: 1,
                    arranged: 0x2222_3333_4444_1111,
                    width: 16
                },
                Band {
                    index: 2,
                    arranged: 0x3333_4444_1111_2222,
                    width: 16
                },
                Band {
                    index: 3,
                    arranged: 0x4444_1111_2222_3333,
                    width: 16
                },
            ]
        );
        assert_eq!(
            bands(fp, 0),
            [Band {
                index: 0,
                arranged: fp,
                width: 64
            }]
        );
        // k = 4: six blocks of 11, 11, 11, 11, 10 and 10 bits; band (0, 2)
        // is blocks 0 and 2, then 1, 3, 4 and 5.
        let (b, widths) = (bands(fp, 4), block_widths(6));
        assert_eq!(widths, [11, 11, 11, 11, 10, 10]);
        let block = |i: usize| {
            let shift = 64 - widths[..=i].iter().sum::<u32>();
            (fp >> shift) & ((1 << widths[i]) - 1)
        };
        let expected = [0, 2, 1, 3, 4, 5]
            .iter()
            .fold(0u64, |acc, &i| acc << widths[i] | block(i));
        assert_eq!(
            b[1],
            Band {
                index: 1,
                arranged: expected,
                width: 22
            }
        );
    }

    proptest! {
        #[test]
        fn pairs_within_k_share_a_band(
            fingerprint: u64,
            k in 0u32..=12,
            flips in proptest::collection::vec(0u32..64, 0..=12),
        ) {
            let mut other = fingerprint;
            for bit in flips.iter().take(k as usize) {
                other ^= 1 << bit;
            }
            prop_assert!(hamming(fingerprint, other) <= k);
            let ours = bands(fingerprint, k);
            let theirs = bands(other, k);
            prop_assert_eq!(ours.len(), theirs.len());
            let lead = |band: &Band| band.arranged >> (64 - band.width);
            prop_assert!(ours.iter().zip(&theirs).any(|(a, b)| lead(a) == lead(b)));
            for (a, b) in ours.iter().zip(&theirs) {
                prop_assert_eq!(hamming(a.arranged, b.arranged), hamming(fingerprint, other));
            }
        }

        #[test]
        fn every_band_keeps_every_bit(fingerprint: u64, k in 0u32..=13) {
            for band in bands(fingerprint, k) {
                prop_assert_eq!(band.arranged.count_ones(), fingerprint.count_ones());
            }
        }
    }
}
