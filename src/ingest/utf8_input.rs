//! A text input as UTF-8 bytes, read as a stream: a dump that opens with a
//! UTF-16 byte order mark (what Windows tools write as "Unicode") is decoded
//! as it is read, and an unpaired surrogate in it fails the read (told where
//! it is, as invalid UTF-8 is); any other input passes through untouched for
//! the line reader to check (told where the first NUL byte of its opening
//! bytes is, the mark of a binary file, and whether those bytes read as
//! UTF-16 text without its mark, in which byte order).

use std::io::{BufRead, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE};

/// How much decoded text one refill holds.
const DECODED_CHUNK: usize = 8 * 1024;

/// How many opening bytes are looked through for a NUL byte.
const BINARY_SNIFF: usize = 4 * 1024;

/// The bytes of `input` as UTF-8 (see the module documentation).
pub struct Utf8Input<R> {
    input: R,
    mode: Mode,
    early_nul: Option<EarlyNul>,
    unmarked_utf16: Option<&'static Encoding>,
}

/// Why UTF-16 input (opening with its mark) could not be read: an unpaired
/// surrogate, which no UTF-16 writer makes (the file is damaged). The
/// cause of the [`std::io::Error`] of kind `InvalidData` a read returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unpaired UTF-16 surrogate at byte offset {offset}")]
pub struct UnpairedSurrogate {
    /// Where its bytes start in the input, the mark counted.
    pub offset: u64,
}

impl UnpairedSurrogate {
    /// The unpaired surrogate behind `error`, when it is one.
    pub fn behind(error: &std::io::Error) -> Option<Self> {
        error.get_ref()?.downcast_ref::<Self>().copied()
    }
}

/// The first NUL byte among the opening bytes of an input that is not
/// UTF-16 with its mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlyNul {
    pub offset: u64,
    /// Its 1-based line.
    pub line: usize,
}

enum Mode {
    /// Nothing read yet: the first two bytes decide.
    Unread,
    /// Passed through; `replay` holds the bytes the decision took, given
    /// out before the rest of the input.
    Plain { replay: Vec<u8>, given: usize },
    /// Decoded from UTF-16 into `decoded[start..end]`; `read` counts the
    /// input's bytes taken so far, its mark included, and `unpaired` is the
    /// surrogate that stops the text, once decoding has met one.
    Utf16 {
        decoder: Box<Decoder>,
        decoded: Box<[u8]>,
        start: usize,
        end: usize,
        read: u64,
        unpaired: Option<UnpairedSurrogate>,
        ended: bool,
    },
}

impl<R: BufRead> Utf8Input<R> {
    pub fn new(input: R) -> Self {
        Utf8Input {
            input,
            mode: Mode::Unread,
            early_nul: None,
            unmarked_utf16: None,
        }
    }

    /// The first NUL byte of the input's opening bytes, once reading has
    /// begun: a file that holds one there is binary data, whatever else
    /// is wrong with it first (a PNG's second byte is not UTF-8).
    pub fn early_nul(&self) -> Option<EarlyNul> {
        self.early_nul
    }

    /// UTF-16LE or UTF-16BE, once reading has begun, when the input opens
    /// without a byte order mark but its opening bytes, NUL bytes among
    /// them, read as UTF-16 text in that byte order ([`unmarked_utf16`]).
    pub fn unmarked_utf16(&self) -> Option<&'static Encoding> {
        self.unmarked_utf16
    }

    /// Takes the first two bytes (or fewer, when the input is shorter) and
    /// picks the mode they call for.
    fn decide(&mut self) -> std::io::Result<()> {
        let mut head = Vec::with_capacity(2);
        while head.len() < 2 {
            let available = match self.input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            let take = available.len().min(2 - head.len());
            head.extend_from_slice(&available[..take]);
            self.input.consume(take);
        }
        let encoding = match head.as_slice() {
            [0xFF, 0xFE] => Some(UTF_16LE),
            [0xFE, 0xFF] => Some(UTF_16BE),
            _ => None,
        };
        self.mode = match encoding {
            Some(encoding) => Mode::Utf16 {
                decoder: Box::new(encoding.new_decoder_without_bom_handling()),
                decoded: vec![0; DECODED_CHUNK].into_boxed_slice(),
                start: 0,
                end: 0,
                read: head.len() as u64,
                unpaired: None,
                ended: false,
            },
            None => {
                let ahead = self.input.fill_buf()?;
                let opening: Vec<u8> = head
                    .iter()
                    .chain(ahead)
                    .take(BINARY_SNIFF)
                    .copied()
                    .collect();
                let mut line = 1;
                for (offset, &byte) in opening.iter().enumerate() {
                    match byte {
                        0 => {
                            self.early_nul = Some(EarlyNul {
                                offset: offset as u64,
                                line,
                            });
                            break;
                        }
                        b'\n' => line += 1,
                        _ => {}
                    }
                }
                if self.early_nul.is_some() {
                    self.unmarked_utf16 = unmarked_utf16(&opening);
                }
                Mode::Plain {
                    replay: head,
                    given: 0,
                }
            }
        };
        Ok(())
    }
}

/// The byte order in which `opening`, the opening bytes of a text without
/// a byte order mark, reads as UTF-16 text ([`reads_as_utf16_text`]): text
/// in any script saved as "Unicode" without its mark, which holds NUL bytes
/// (the other half of each ASCII character's unit, its line breaks' at
/// least) where UTF-8 text holds none.
pub fn unmarked_utf16(opening: &[u8]) -> Option<&'static Encoding> {
    [UTF_16LE, UTF_16BE]
        .into_iter()
        .find(|&encoding| reads_as_utf16_text(opening, encoding))
}

/// Whether `opening` read in `encoding`, UTF-16LE or UTF-16BE, is text: it
/// breaks a line at least once, and holds no unpaired surrogate, no
/// control character but a tab, a form feed and line breaks, and no
/// noncharacter `U+FFFE` or `U+FFFF`. Binary data with NUL bytes has runs
/// of them (`U+0000`) or control characters in either order, and so does
/// text of the other byte order; UTF-8 text with a stray NUL byte seldom
/// holds a unit that is a line break. A unit the end of `opening` cuts in
/// two, or the first half of a pair it cuts, is left out.
fn reads_as_utf16_text(opening: &[u8], encoding: &'static Encoding) -> bool {
    let unit = |pair: &[u8]| match encoding == UTF_16LE {
        true => u16::from_le_bytes([pair[0], pair[1]]),
        false => u16::from_be_bytes([pair[0], pair[1]]),
    };
    let mut units: Vec<u16> = opening.chunks_exact(2).map(unit).collect();
    if units
        .last()
        .is_some_and(|last| (0xD800..0xDC00).contains(last))
    {
        units.pop();
    }
    let mut line_breaks = 0;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok('\n' | '\r') => line_breaks += 1,
            Ok('\t' | '\u{c}') => {}
            Ok(c) if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    line_breaks > 0
}

impl<R: BufRead> BufRead for Utf8Input<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if matches!(self.mode, Mode::Unread) {
            self.decide()?;
        }
        match &mut self.mode {
            Mode::Unread => unreachable!("decided above"),
            Mode::Plain { replay, given } => {
                if *given < replay.len() {
                    Ok(&replay[*given..])
                } else {
                    self.input.fill_buf()
                }
            }
            Mode::Utf16 {
                decoder,
                decoded,
                start,
                end,
                read,
                unpaired,
                ended,
            } => {
                while start == end && !*ended {
                    if let Some(unpaired) = *unpaired {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            unpaired,
                        ));
                    }
                    let source = self.input.fill_buf()?;
                    if source.is_empty() {
                        // A file that ends inside a character (an odd last
                        // byte, the first half of a surrogate pair: a dump
                        // read while it is still being written) is read as
                        // far as its whole characters go, as a UTF-8 one
                        // is: the decoder's pending bytes are dropped.
                        *ended = true;
                        break;
                    }
                    // The text before an unpaired surrogate is given out
                    // first; the next refill fails.
                    let (result, taken, written) =
                        decoder.decode_to_utf8_without_replacement(source, decoded, false);
                    self.input.consume(taken);
                    *read += taken as u64;
                    if let DecoderResult::Malformed(bad, after) = result {
                        let offset = *read - u64::from(bad) - u64::from(after);
                        *unpaired = Some(UnpairedSurrogate { offset });
                    }
                    *start = 0;
                    *end = written;
                }
                Ok(&decoded[*start..*end])
            }
        }
    }

    fn consume(&mut self, amount: usize) {
        match &mut self.mode {
            Mode::Unread => {}
            Mode::Plain { replay, given } => {
                if *given < replay.len() {
                    *given = (*given + amount).min(replay.len());
                } else {
                    self.input.consume(amount);
                }
            }
            Mode::Utf16 { start, end, .. } => *start = (*start + amount).min(*end),
        }
    }
}

impl<R: BufRead> Read for Utf8Input<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let count = available.len().min(out.len());
        out[..count].copy_from_slice(&available[..count]);
        self.consume(count);
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        let units = text.encode_utf16().flat_map(u16::to_le_bytes);
        [0xFF, 0xFE].into_iter().chain(units).collect()
    }

    fn utf16be(text: &str) -> Vec<u8> {
        let units = text.encode_utf16().flat_map(u16::to_be_bytes);
        [0xFE, 0xFF].into_iter().chain(units).collect()
    }

    /// Everything `input` gives when read `capacity` bytes at a time.
    fn read_all(input: &[u8], capacity: usize) -> Vec<u8> {
        let reader = std::io::BufReader::with_capacity(capacity, input);
        let mut out = Vec::new();
        Utf8Input::new(reader).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn utf16_with_a_byte_order_mark_comes_out_as_utf8() {
        let text = "Flood warning – Zürich\n\n“Rain” all week 🌧\n";
        for capacity in [1, 2, 3, 5, 8192] {
            for encoded in [utf16le(text), utf16be(text)] {
                assert_eq!(read_all(&encoded, capacity), text.as_bytes(), "{capacity}");
            }
        }
    }

    #[test]
    fn other_input_passes_through_byte_for_byte() {
        let inputs: [&[u8]; 7] = [
            b"",
            b"a",
            b"\xFF",
            b"\xFFx rest",
            b"\xEF\xBB\xBFwith a UTF-8 mark\n",
            b"caf\xE9 invalid UTF-8 is left for the line reader",
            b"a\0binary",
        ];
        for input in inputs {
            for capacity in [1, 2, 8192] {
                assert_eq!(read_all(input, capacity), input, "{input:?} by {capacity}");
            }
        }
    }

    #[test]
    fn the_first_nul_of_the_opening_bytes_is_told() {
        let nul_of = |input: &[u8]| {
            let mut reader = Utf8Input::new(std::io::BufReader::new(input));
            reader.fill_buf().unwrap();
            reader.early_nul()
        };
        assert_eq!(
            nul_of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(EarlyNul { offset: 8, line: 3 })
        );
        assert_eq!(nul_of(b"\0"), Some(EarlyNul { offset: 0, line: 1 }));
        assert_eq!(nul_of(b"caf\xE9 latin-1 text\n"), None);
        let mut late = vec![b'a'; BINARY_SNIFF];
        late.push(0);
        assert_eq!(nul_of(&late), None);
        // UTF-16 with its mark is decoded, its zero bytes are no NULs.
        assert_eq!(nul_of(&utf16le("text")), None);
    }

    /// What `input` gives when read `capacity` bytes at a time, up to the
    /// error that stops it, with the offset of its unpaired surrogate.
    fn read_until_error(input: &[u8], capacity: usize) -> (Vec<u8>, Option<u64>) {
        let reader = std::io::BufReader::with_capacity(capacity, input);
        let mut out = Vec::new();
        let unpaired = match Utf8Input::new(reader).read_to_end(&mut out) {
            Ok(_) => None,
            Err(e) => Some(
                UnpairedSurrogate::behind(&e)
                    .expect("an unpaired surrogate")
                    .offset,
            ),
        };
        (out, unpaired)
    }

    #[test]
    fn an_unpaired_surrogate_fails_the_read_after_the_text_before_it() {
        let lone = |unit: u16, order: fn(&str) -> Vec<u8>, bytes: fn(u16) -> [u8; 2]| {
            let mut encoded = order("before ");
            encoded.extend_from_slice(&bytes(unit));
            encoded.extend_from_slice(&order(" after")[2..]);
            encoded
        };
        for unit in [0xD800, 0xDC00] {
            for encoded in [
                lone(unit, utf16le, u16::to_le_bytes),
                lone(unit, utf16be, u16::to_be_bytes),
            ] {
                for capacity in [1, 3, 4, 8192] {
                    // The mark and seven characters of two bytes come first.
                    assert_eq!(
                        read_until_error(&encoded, capacity),
                        (b"before ".to_vec(), Some(16)),
                        "{unit:X} by {capacity}"
                    );
                }
            }
        }
        // A whole surrogate pair is a character.
        assert_eq!(read_until_error(&utf16le("🌧 ok"), 3), ("🌧 ok".into(), None));
    }

    #[test]
    fn a_file_cut_inside_a_character_is_read_as_far_as_its_whole_characters_go() {
        let mut encoded = utf16le("cut");
        encoded.push(b'x');
        assert_eq!(read_all(&encoded, 8192), b"cut");
        // The first half of a surrogate pair, its second not yet written.
        let mut encoded = utf16le("cut ");
        encoded.extend_from_slice(&0xD83Du16.to_le_bytes());
        assert_eq!(read_all(&encoded, 8192), b"cut ");
        assert_eq!(read_all(&encoded, 1), b"cut ");
    }
}
