//! Counts as a reader says them: `1 file`, `2 files`, `0 files`, never
//! `1 file(s)`.

use std::fmt;

/// `n` and the noun that goes with it: `one` when `n` is 1, `many`
/// otherwise (`count(1, "entry", "entries")` is `1 entry`).
pub fn count<N: fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let noun = if n == N::from(1) { one } else { many };
    format!("{n} {noun}")
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
    }
}
