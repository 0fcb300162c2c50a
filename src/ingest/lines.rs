//! Reads a text dump line by line with bounded memory: strips a UTF-8 byte
//! order mark and line endings (LF, CRLF or a lone CR), decodes UTF-16 that opens with its byte
//! order mark, refuses invalid UTF-8 or UTF-16 and binary data with the byte
//! offset where it starts, and caps the length of a line.

use std::io::BufRead;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
use thiserror::Error;

use super::utf8_input::{UnpairedSurrogate, Utf8Input};

/// The longest line a dump may have.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The UTF-8 byte order mark, which may open a dump.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a dump could not be read.
#[derive(Debug, Error)]
pub enum LineError {
    #[error(
        "invalid UTF-8 at byte offset {offset} (line {line}); dumps must be UTF-8: convert the file first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
    )]
    InvalidUtf8 { offset: u64, line: usize },
    #[error(
        "the file ends inside a UTF-8 character at byte offset {offset} (line {line}): it was read while still being written (the next run reads it whole), or it is in another encoding: then convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
    )]
    EndsInsideCharacter { offset: u64, line: usize },
    #[error(
        "binary data (a NUL byte) at byte offset {offset} (line {line}); this is not a text dump"
    )]
    Binary { offset: u64, line: usize },
    #[error(
        "line {line} looks like {encoding} without a byte order mark; dumps must be UTF-8 (or UTF-16 that opens with its byte order mark): convert the file first, e.g. `iconv -f {encoding} -t UTF-8`"
    )]
    Utf16WithoutMark {
        line: usize,
        /// `UTF-16LE` or `UTF-16BE`, as `iconv` names them.
        encoding: &'static str,
    },
    #[error(
        "invalid UTF-16 (an unpaired surrogate) at byte offset {offset} (line {line}); the file opens with a UTF-16 byte order mark but is damaged: save it again from where it was written"
    )]
    InvalidUtf16 { offset: u64, line: usize },
    #[error("line {line} is longer than {MAX_LINE_BYTES} bytes; this is not a text dump")]
    LineTooLong { line: usize },
    #[error("read failed after byte offset {offset}: {cause}")]
    Io { offset: u64, cause: std::io::Error },
}

/// One line of input, without its line ending.
#[derive(Debug)]
pub struct RawLine {
    /// 1-based line number.
    pub number: usize,
    pub text: String,
}

/// Iterates over the lines of a UTF-8 text (or UTF-16 with its mark).
pub struct LineReader<R> {
    input: Utf8Input<R>,
    offset: u64,
    number: usize,
    failed: bool,
    /// The last line ended in a `\r` that was the last byte read.
    after_cr: bool,
    /// A line read so far held a character beyond ASCII: the text is UTF-8.
    utf8_seen: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R) -> Self {
        LineReader {
            input: Utf8Input::new(input),
            offset: 0,
            number: 0,
            failed: false,
            after_cr: false,
            utf8_seen: false,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads up to and including the next line ending (`\n`, `\r\n` or a
    /// lone `\r`, as classic Mac files end lines), refusing more than
    /// [`MAX_LINE_BYTES`]. Returns the line without its ending (copied once,
    /// straight into an allocation of its own size, which becomes the line's
    /// `String`) and how many bytes it took, or `None` at end of input.
    fn read_raw_line(&mut self) -> Result<Option<(Vec<u8>, usize)>, LineError> {
        self.skip_lf_after_cr()?;
        let mut line = Vec::new();
        let mut consumed = 0;
        let mut after_cr = false;
        loop {
            let available = self.fill()?;
            if available.is_empty() {
                return Ok((consumed > 0).then_some((line, consumed)));
            }
            let (content, taken, done) = match memchr::memchr2(b'\n', b'\r', available) {
                Some(pos) => {
                    let crlf = available[pos] == b'\r' && available.get(pos + 1) == Some(&b'\n');
                    // A `\r` that ends what was read may be half a `\r\n`.
                    after_cr = available[pos] == b'\r' && pos + 1 == available.len();
                    (&available[..pos], pos + 1 + usize::from(crlf), true)
                }
                None => (available, available.len(), false),
            };
            // The limit is on the line's text: its ending does not count,
            // and neither does a byte order mark opening the first line,
            // which [`Self::next_line`] strips and then checks the rest.
            if line.len() + content.len() > MAX_LINE_BYTES + UTF8_BOM.len() {
                return Err(LineError::LineTooLong {
                    line: self.number + 1,
                });
            }
            line.extend_from_slice(content);
            self.after_cr = after_cr;
            self.input.consume(taken);
            consumed += taken;
            if done {
                return Ok(Some((line, consumed)));
            }
        }
    }

    /// After a line that ended in a `\r` at the end of a read, passes over
    /// the `\n` that makes it a `\r\n`, counting it to the offset.
    fn skip_lf_after_cr(&mut self) -> Result<(), LineError> {
        if std::mem::take(&mut self.after_cr) && self.fill()?.first() == Some(&b'\n') {
            self.input.consume(1);
            self.offset += 1;
        }
        Ok(())
    }

    /// The input's buffer, refilled when it is empty (an interrupted read
    /// is tried again).
    fn fill(&mut self) -> Result<&[u8], LineError> {
        let interrupted = |r: &std::io::Result<&[u8]>| matches!(r, Err(e) if e.kind() == std::io::ErrorKind::Interrupted);
        while interrupted(&self.input.fill_buf()) {}
        // Filled now (or failing for good): this returns the same buffer.
        let (line, offset) = (self.number + 1, self.offset);
        self.input
            .fill_buf()
            .map_err(|cause| match UnpairedSurrogate::behind(&cause) {
                Some(unpaired) => LineError::InvalidUtf16 {
                    offset: unpaired.offset,
                    line,
                },
                None => LineError::Io { offset, cause },
            })
    }

    /// Whether invalid UTF-8 (`error`, in a line of `taken` bytes with its
    /// ending) is the input ending inside a character: the line has no
    /// ending, its bytes stop inside a character's sequence, and the text
    /// is known to be UTF-8 by a character beyond ASCII before it. Text in
    /// a single-byte encoding may end with letters that look like the
    /// start of a sequence (`é”` in Windows-1252 is `E9 94`).
    fn cut_inside_a_character(&self, error: &std::string::FromUtf8Error, taken: usize) -> bool {
        let bytes = error.as_bytes();
        let utf8 = error.utf8_error();
        utf8.error_len().is_none()
            && taken == bytes.len()
            && (self.utf8_seen || !bytes[..utf8.valid_up_to()].is_ascii())
    }

    fn next_line(&mut self) -> Result<Option<RawLine>, LineError> {
        let Some((mut bytes, consumed)) = self.read_raw_line()? else {
            return Ok(None);
        };
        self.number += 1;
        let start = self.offset;
        self.offset += consumed as u64;
        let mut bom = 0;
        if self.number == 1 && bytes.starts_with(UTF8_BOM) {
            bytes.drain(..UTF8_BOM.len());
            bom = UTF8_BOM.len() as u64;
            // A UTF-8 byte order mark says the text is UTF-8.
            self.utf8_seen = true;
        }
        if bytes.len() > MAX_LINE_BYTES {
            return Err(LineError::LineTooLong { line: self.number });
        }
        // Told by the opening bytes before the first line is read.
        if let Some(encoding) = self.input.unmarked_utf16() {
            return Err(LineError::Utf16WithoutMark {
                line: self.number,
                encoding: encoding.name(),
            });
        }
        if let Some(pos) = memchr::memchr(0, &bytes) {
            if let Some(encoding) = utf16_line(&bytes) {
                return Err(LineError::Utf16WithoutMark {
                    line: self.number,
                    encoding: encoding.name(),
                });
            }
            return Err(LineError::Binary {
                offset: start + bom + pos as u64,
                line: self.number,
            });
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                self.utf8_seen |= !text.is_ascii();
                Ok(Some(RawLine {
                    number: self.number,
                    text,
                }))
            }
            // Invalid UTF-8 in a file with a NUL byte among its opening
            // bytes is binary data (an image named `.txt`), not text to
            // convert.
            Err(_) if let Some(nul) = self.input.early_nul() => Err(LineError::Binary {
                offset: nul.offset,
                line: nul.line,
            }),
            // The input ends inside a character: a file read while it was
            // still being written, cut short. Its whole characters are
            // read; the next read of the finished file has the rest.
            Err(e) if self.cut_inside_a_character(&e, consumed - bom as usize) => {
                let whole = e.utf8_error().valid_up_to();
                let mut bytes = e.into_bytes();
                bytes.truncate(whole);
                Ok(Some(RawLine {
                    number: self.number,
                    text: String::from_utf8(bytes).expect("valid up to here"),
                }))
            }
            Err(e) => {
                let offset = start + bom + e.utf8_error().valid_up_to() as u64;
                let line = self.number;
                if e.utf8_error().error_len().is_none()
                    && consumed == e.as_bytes().len() + bom as usize
                {
                    Err(LineError::EndsInsideCharacter { offset, line })
                } else {
                    Err(LineError::InvalidUtf8 { offset, line })
                }
            }
        }
    }
}

/// The lines of a text already in memory, without their endings, split
/// where [`LineReader`] splits a dump's: at `\n`, `\r\n` or a lone `\r`.
pub fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// The byte order of UTF-16 text of Latin letters that `line`, one with a
/// NUL byte past the opening bytes ([`Utf8Input::unmarked_utf16`] tells
/// the rest), reads as: at least eight characters, every other byte a zero
/// (the high one: the first in big-endian text) and the bytes between them
/// not. Binary data with NUL bytes seldom keeps that rhythm for long.
fn utf16_line(line: &[u8]) -> Option<&'static Encoding> {
    // A line after the first of UTF-16LE text starts with the zero half of
    // the line feed that ended the line before it.
    let line = match line {
        [0, rest @ ..] if line.len() % 2 == 1 => rest,
        _ => line,
    };
    if line.len() < 16 {
        return None;
    }
    let pairs = line.chunks_exact(2);
    if pairs.clone().all(|pair| pair[0] != 0 && pair[1] == 0) {
        Some(UTF_16LE)
    } else if pairs.clone().all(|pair| pair[0] == 0 && pair[1] != 0) {
        Some(UTF_16BE)
    } else {
        None
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = Result<RawLine, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let result = self.next_line().transpose();
        if matches!(result, Some(Err(_))) {
            self.failed = true;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_end_where_a_dump_s_lines_do() {
        let text = "one\ntwo\r\nthree\rfour\r\r\nsix\n";
        let read: Vec<String> = lines(text.as_bytes())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let split: Vec<&str> = text_lines(text).collect();
        assert_eq!(split, ["one", "two", "three", "four", "", "six", ""]);
        assert_eq!(split[..6], read);
    }

    fn lines(input: &[u8]) -> Vec<Result<String, String>> {
        LineReader::new(input)
            .map(|r| r.map(|l| l.text).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn strips_bom_and_crlf() {
        assert_eq!(
            lines(b"\xEF\xBB\xBFone\r\ntwo\r\n\r\nthree"),
            vec![
                Ok("one".to_string()),
                Ok("two".to_string()),
                Ok(String::new()),
                Ok("three".to_string())
            ]
        );
    }

    #[test]
    fn lines_split_across_reads_come_out_whole() {
        let input = b"\xEF\xBB\xBFone\r\ntwo\r\r\n\r\n\rthree\nfour\r";
        for capacity in 1..=8 {
            let reader = std::io::BufReader::with_capacity(capacity, &input[..]);
            let got: Vec<String> = LineReader::new(reader).map(|l| l.unwrap().text).collect();
            assert_eq!(
                got,
                ["one", "two", "", "", "", "three", "four"],
                "read {capacity} bytes at a time"
            );
        }
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_classic_mac_files_do() {
        let input = b"one\rtwo\r\rthree\r\nfour\r";
        for capacity in 1..=8 {
            let reader = std::io::BufReader::with_capacity(capacity, &input[..]);
            let got: Vec<(usize, String)> = LineReader::new(reader)
                .map(|l| l.map(|l| (l.number, l.text)).unwrap())
                .collect();
            let want = [(1, "one"), (2, "two"), (3, ""), (4, "three"), (5, "four")];
            let want: Vec<(usize, String)> =
                want.iter().map(|(n, t)| (*n, t.to_string())).collect();
            assert_eq!(got, want, "read {capacity} bytes at a time");
        }
        let err = lines(b"one\rcaf\xE9\r")[1].clone().unwrap_err();
        assert!(err.contains("byte offset 7 (line 2)"), "{err}");
        let err = lines(b"one\r\ncaf\xE9\r")[1].clone().unwrap_err();
        assert!(err.contains("byte offset 8 (line 2)"), "{err}");
    }

    #[test]
    fn an_input_that_ends_inside_a_character_is_read_as_far_as_it_goes() {
        let text = "The quay\u{2019}s lights. It is the town\u{2019}s";
        let bytes = text.as_bytes();
        for cut in 2..=3 {
            let input = [b"Harbour\n".as_slice(), &bytes[..bytes.len() - cut]].concat();
            assert_eq!(
                lines(&input),
                [
                    Ok("Harbour".to_string()),
                    Ok("The quay\u{2019}s lights. It is the town".to_string())
                ],
                "cut {cut} bytes short"
            );
        }
        // A byte order mark says the text is UTF-8.
        let input = [b"\xEF\xBB\xBFHarbour\n".as_slice(), b"the town\xE2\x80"].concat();
        assert_eq!(lines(&input)[1], Ok("the town".to_string()));
        // In a text not yet known to be UTF-8: a single-byte encoding's
        // last letters (`é` alone, `é”` in Windows-1252).
        // The error says both what it may be.
        for ending in [&b"Caf\xE9"[..], b"Chez Ren\xE9\x94", b"the town\xE2\x80"] {
            let input = [b"Harbour\n".as_slice(), ending].concat();
            let err = lines(&input)[1].clone().unwrap_err();
            assert!(
                err.contains("ends inside a UTF-8 character")
                    && err.contains("still being written")
                    && err.contains("WINDOWS-1252"),
                "{err}"
            );
        }
        // Before a line ending, it is invalid UTF-8 as ever.
        let err = lines(
            "town\u{2019}s\n".as_bytes()[..6]
                .iter()
                .chain(b"\n")
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
        )[0]
        .clone()
        .unwrap_err();
        assert!(err.contains("invalid UTF-8 at byte offset 4"), "{err}");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let got = lines(b"ok\ncaf\xE9 au lait\n");
        assert_eq!(got[0], Ok("ok".to_string()));
        let err = got[1].clone().unwrap_err();
        assert!(err.contains("byte offset 6"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        assert_eq!(got.len(), 2, "reading stops at the first error");
    }

    #[test]
    fn invalid_utf8_before_an_early_nul_is_binary() {
        let png = lines(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
        let err = png[0].clone().unwrap_err();
        assert!(err.contains("binary data"), "{err}");
        assert!(err.contains("byte offset 8 (line 3)"), "{err}");
        // Text in another encoding with no NUL is told to convert.
        let latin1 = lines(b"Caf\xE9 opens on the harbour\n");
        let err = latin1[0].clone().unwrap_err();
        assert!(err.contains("iconv"), "{err}");
    }

    #[test]
    fn nul_bytes_are_binary() {
        let err = lines(b"a\nb\0c\n")[1].clone().unwrap_err();
        assert!(err.contains("binary"), "{err}");
        assert!(err.contains("byte offset 3"), "{err}");
    }

    #[test]
    fn utf16_with_its_mark_is_read_as_text() {
        let text = "Headline – one\r\n\r\nCafé body.\n";
        let mut encoded = vec![0xFF, 0xFE];
        encoded.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            lines(&encoded),
            vec![
                Ok("Headline – one".to_string()),
                Ok(String::new()),
                Ok("Café body.".to_string())
            ]
        );
    }

    #[test]
    fn an_unpaired_surrogate_in_utf16_names_its_byte_offset_and_line() {
        let mut encoded = vec![0xFF, 0xFE];
        encoded.extend(
            "Headline\r\n\r\nA "
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        encoded.extend(0xD800u16.to_le_bytes());
        encoded.extend("body.\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        let got = lines(&encoded);
        assert_eq!(got[..2], [Ok("Headline".to_string()), Ok(String::new())]);
        let err = got[2].clone().unwrap_err();
        assert!(
            err.starts_with("invalid UTF-16 (an unpaired surrogate) at byte offset 30 (line 3)"),
            "{err}"
        );
        assert_eq!(got.len(), 3, "reading stops at the first error");
    }

    #[test]
    fn utf16_without_its_mark_is_named_with_the_way_to_convert_it() {
        let text = "A headline long enough\nand a body\n";
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (encoded, name) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
            let err = lines(&encoded).pop().unwrap().unwrap_err();
            assert!(err.contains(&format!("line 1 looks like {name}")), "{err}");
            assert!(err.contains(&format!("iconv -f {name} -t UTF-8")), "{err}");
        }
        let binary = lines(b"\x01\0\x02\0\x03\0\x04\x05\0\0\x07\0\x08\0\x09\0\n");
        let err = binary[0].clone().unwrap_err();
        assert!(err.contains("binary data"), "{err}");
    }

    #[test]
    fn utf16_without_its_mark_in_any_script_is_named_in_its_byte_order() {
        for text in [
            "Городской совет одобрил план\n\nСовет проголосовал в понедельник.\n",
            "港湾計画を市議会が承認\n\n市議会は月曜日、港湾拡張計画を承認した。\n",
            "Ο δήμος ενέκρινε το σχέδιο\r\n\r\nΤο συμβούλιο ψήφισε τη Δευτέρα.\r\n",
            "مجلس المدينة يوافق على الخطة\n\nوافق المجلس يوم الخميس.\n",
        ] {
            let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            for (encoded, name) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
                let err = lines(&encoded)[0].clone().unwrap_err();
                assert!(
                    err.contains(&format!(
                        "line 1 looks like {name} without a byte order mark"
                    )) && err.contains(&format!("iconv -f {name} -t UTF-8")),
                    "{text}: {err}"
                );
            }
        }
    }

    #[test]
    fn binary_data_and_utf8_with_a_stray_nul_are_not_taken_for_utf16() {
        let mut junk = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        junk.extend((0..=255u8).cycle().take(600));
        for binary in [
            junk.as_slice(),
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\n",
            b"PK\x03\x04\x14\0\0\0\x08\0\xa1\x8b\n\x1e\xe1\x12",
            b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\n",
            b"\x1f\x8b\x08\0\0\0\0\0\0\x03\xcbH\xcd\xc9\xc9\n",
            "Harbour plans\n\0\0\0\0\0\0\0\0".as_bytes(),
            "Café au lait\0 on the harbour\nand a body\n".as_bytes(),
        ] {
            let err = lines(binary)
                .into_iter()
                .find_map(Result::err)
                .expect("an error");
            assert!(err.contains("binary data"), "{binary:?}: {err}");
        }
    }

    #[test]
    fn the_line_limit_counts_the_text_whatever_the_line_ending() {
        for ending in ["\n", "\r\n", "\r", ""] {
            for (opening, bom) in [("", "no mark"), ("\u{feff}", "a byte order mark")] {
                let at_limit = format!("{opening}{}{ending}", "x".repeat(MAX_LINE_BYTES));
                let got = lines(at_limit.as_bytes());
                assert!(got[0].is_ok(), "{ending:?}, {bom}: {got:?}");
                let over = format!("{opening}{}{ending}", "x".repeat(MAX_LINE_BYTES + 1));
                let err = lines(over.as_bytes())[0].clone().unwrap_err();
                assert!(
                    err.contains("line 1 is longer than 1048576 bytes"),
                    "{ending:?}, {bom}: {err}"
                );
            }
        }
    }

    #[test]
    fn the_line_limit_holds_for_lines_split_across_reads() {
        let input = format!("Headline\r\n{}\r\n", "x".repeat(MAX_LINE_BYTES));
        let reader = std::io::BufReader::with_capacity(4096, input.as_bytes());
        let got: Vec<_> = LineReader::new(reader)
            .map(|l| l.map(|l| l.text.len()))
            .collect();
        assert!(matches!(got[..], [Ok(8), Ok(MAX_LINE_BYTES)]), "{got:?}");
    }

    #[test]
    fn overlong_lines_are_refused() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.push(b'\n');
        let err = lines(&input)[0].clone().unwrap_err();
        assert!(err.contains("longer than"), "{err}");
    }
}
