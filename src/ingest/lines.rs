//! Reads a text dump line by line with bounded memory: strips a UTF-8 byte
//! order mark and CR/LF endings, refuses invalid UTF-8 and binary data with
//! the byte offset where it starts, and caps the length of a line.

use std::io::BufRead;

use thiserror::Error;

/// The longest line a dump may have.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Why a dump could not be read.
#[derive(Debug, Error)]
pub enum LineError {
    #[error(
        "invalid UTF-8 at byte offset {offset} (line {line}); dumps must be UTF-8: convert the file first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
    )]
    InvalidUtf8 { offset: u64, line: usize },
    #[error(
        "binary data (a NUL byte) at byte offset {offset} (line {line}); this is not a text dump"
    )]
    Binary { offset: u64, line: usize },
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

/// Iterates over the lines of a UTF-8 text.
pub struct LineReader<R> {
    input: R,
    offset: u64,
    number: usize,
    failed: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R) -> Self {
        LineReader {
            input,
            offset: 0,
            number: 0,
            failed: false,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads up to and including the next `\n`, refusing more than
    /// [`MAX_LINE_BYTES`]. Returns the line without its `\n` or `\r\n`
    /// (copied once, straight into an allocation of its own size, which
    /// becomes the line's `String`) and how many bytes it took, or `None` at
    /// end of input.
    fn read_raw_line(&mut self) -> Result<Option<(Vec<u8>, usize)>, LineError> {
        let mut line = Vec::new();
        let mut consumed = 0;
        loop {
            let available = match self.input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(cause) => {
                    return Err(LineError::Io {
                        offset: self.offset,
                        cause,
                    });
                }
            };
            if available.is_empty() {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok((consumed > 0).then_some((line, consumed)));
            }
            let (content, taken, done) = match memchr::memchr(b'\n', available) {
                Some(pos) => (&available[..pos], pos + 1, true),
                None => (available, available.len(), false),
            };
            if consumed + taken > MAX_LINE_BYTES + 2 {
                return Err(LineError::LineTooLong {
                    line: self.number + 1,
                });
            }
            match content.strip_suffix(b"\r") {
                Some(text) if done => line.extend_from_slice(text),
                _ => {
                    line.extend_from_slice(content);
                    // A `\r\n` split between two reads.
                    if done && content.is_empty() && line.last() == Some(&b'\r') {
                        line.pop();
                    }
                }
            }
            self.input.consume(taken);
            consumed += taken;
            if done {
                return Ok(Some((line, consumed)));
            }
        }
    }

    fn next_line(&mut self) -> Result<Option<RawLine>, LineError> {
        let Some((mut bytes, consumed)) = self.read_raw_line()? else {
            return Ok(None);
        };
        self.number += 1;
        let start = self.offset;
        self.offset += consumed as u64;
        let mut bom = 0;
        if self.number == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
            bom = 3;
        }
        if let Some(pos) = memchr::memchr(0, &bytes) {
            return Err(LineError::Binary {
                offset: start + bom + pos as u64,
                line: self.number,
            });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(RawLine {
                number: self.number,
                text,
            })),
            Err(e) => Err(LineError::InvalidUtf8 {
                offset: start + bom + e.utf8_error().valid_up_to() as u64,
                line: self.number,
            }),
        }
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
                ["one", "two\r", "", "\rthree", "four"],
                "read {capacity} bytes at a time"
            );
        }
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
    fn nul_bytes_are_binary() {
        let err = lines(b"a\nb\0c\n")[1].clone().unwrap_err();
        assert!(err.contains("binary"), "{err}");
        assert!(err.contains("byte offset 3"), "{err}");
    }

    #[test]
    fn overlong_lines_are_refused() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.push(b'\n');
        let err = lines(&input)[0].clone().unwrap_err();
        assert!(err.contains("longer than"), "{err}");
    }
}
