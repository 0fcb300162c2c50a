//! How text output (`dups`, `parse`) shows a headline: as the text it is,
//! in any script, with only the characters that would break the line it is
//! printed on escaped.

use std::borrow::Cow;

/// `title` as text output prints it: combining marks, joiners and every
/// other letter as stored; a control character (a newline, a tab, an
/// escape sequence's ESC, the C1 controls) or a line or paragraph
/// separator escaped as Rust writes it (`\n`, `\u{1b}`), so a headline
/// stays on its line and cannot drive the terminal.
pub fn shown(title: &str) -> Cow<'_, str> {
    if !title.chars().any(breaks_the_line) {
        return Cow::Borrowed(title);
    }
    let mut shown = String::with_capacity(title.len() + 8);
    for c in title.chars() {
        if breaks_the_line(c) {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

fn breaks_the_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_with_combining_marks_and_joiners_are_shown_as_stored() {
        for title in [
            "भारत में चुनाव: मतदान शुरू",
            "می\u{200c}خواهد شهر را تغییر دهد",
            "ประเทศไทย",
            "Vie\u{302}\u{323}t Nam",
            "👩\u{200d}💻 \"quoted\" \\ back",
        ] {
            assert!(
                matches!(shown(title), Cow::Borrowed(t) if t == title),
                "{title}"
            );
        }
    }

    #[test]
    fn controls_and_line_separators_are_escaped() {
        assert_eq!(
            shown("One\nTwo\tThree\r\u{1b}[31mRed\u{9b}\u{2028}\u{7f}"),
            "One\\nTwo\\tThree\\r\\u{1b}[31mRed\\u{9b}\\u{2028}\\u{7f}"
        );
    }
}
