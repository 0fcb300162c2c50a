//! Counts as a reader says them: `1 file`, `2 files`, `0 files`, never
//! `1 file(s)`.

use std::fmt;

/// `n` and the noun that goes with it: `one` when `n` is 1, `many`
/// otherwise (`count(1, "entry", "entries")` is `1 entry`).
pub fn count<N: fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    format!("{n} {}", noun(&n, one, many))
}

/// The noun that goes with `n`, for a count laid out apart from it (in a
/// column): `one` when `n` is 1, `many` otherwise.
pub fn noun<'a, N: PartialEq + From<u8>>(n: &N, one: &'a str, many: &'a str) -> &'a str {
    if *n == N::from(1) { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1usize, "file", "files"), "1 file");
        assert_eq!(count(0usize, "file", "files"), "0 files");
        assert_eq!(count(2u32, "entry", "entries"), "2 entries");
        assert_eq!(count(11u64, "failure", "failures"), "11 failures");
        assert_eq!(noun(&1u64, "article", "articles"), "article");
        assert_eq!(noun(&0u64, "article", "articles"), "articles");
    }
}
