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

/// The 1-based lines of byte positions taken in order through one text:
/// each call counts only the line feeds since the one before, so naming the
/// line of every entry of a document costs one pass over it.
pub struct LineCounter<'a> {
    text: &'a str,
    counted_to: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            counted_to: 0,
            line: 1,
        }
    }

    /// The line of byte `position`, as [`line_of`] gives it; a position
    /// before the last one asked is counted from the start.
    pub fn line_at(&mut self, position: usize) -> usize {
        let position = position.min(self.text.len());
        if position < self.counted_to {
            return line_of(self.text, position);
        }
        let since = &self.text.as_bytes()[self.counted_to..position];
        self.line += memchr::memchr_iter(b'\n', since).count();
        self.counted_to = position;
        self.line
    }
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

    #[test]
    fn the_counter_gives_the_lines_line_of_gives() {
        let text = "<rss>\n<item>\n</item>\n\n<item/>";
        let mut lines = LineCounter::new(text);
        for position in [0, 6, 6, 13, 22, 23, 100, 7] {
            assert_eq!(
                lines.line_at(position),
                line_of(text, position),
                "{position}"
            );
        }
    }
}
