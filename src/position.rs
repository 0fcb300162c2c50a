//! Where a byte offset falls in a text: its line and column, as error
//! messages about a config file or a feed document name them.

/// 1-based line of byte `position` in `text`.
pub fn line_of(text: &str, position: usize) -> usize {
    line_and_column(text, position).0
}

/// 1-based line and column (in characters) of byte `position` in `text`;
/// a position past the end is the end, one inside a character that
/// character's start.
pub fn line_and_column(text: &str, position: usize) -> (usize, usize) {
    let mut position = position.min(text.len());
    while !text.is_char_boundary(position) {
        position -= 1;
    }
    let before = &text[..position];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column("é\nab", 4), (2, 2));
        assert_eq!(line_and_column("é", 1), (1, 1));
        assert_eq!(line_and_column("ab", 99), (1, 3));
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
