//! Bytes to text: which encoding a feed document (or an HTML page) is in
//! and decoding it to UTF-8. In order of authority: a byte-order mark, the
//! HTTP `charset` (unless the bytes plainly contradict it: UTF-16 under an
//! ASCII-based charset, ASCII markup under a UTF-16 one, valid UTF-8 with
//! characters beyond ASCII under a single-byte charset, or under US-ASCII
//! or any charset but UTF-16 when the document declares UTF-8), a UTF-16
//! document without a mark (recognised by its first characters), the
//! document's own declaration (the XML declaration's `encoding`, unless it
//! names a single-byte encoding over valid UTF-8 with characters beyond
//! ASCII; for pages, [`decode_declared`] takes the `<meta>` charset),
//! else UTF-8. A JSON document is UTF-8 whatever the HTTP charset says
//! (RFC 8259). A document said to be UTF-8 (an XML document that declares
//! no encoding is, by XML's rule) whose bytes that are not UTF-8 outnumber
//! the bytes of its UTF-8 characters beyond ASCII is read as Windows-1252,
//! as feedparser
//! reads it: a Windows-1252 letter before a punctuation mark (`ß“`) may
//! happen to be a UTF-8 character, and reading such a document as
//! Windows-1252 garbles fewer characters than replacing its other bytes
//! would; one whose UTF-8 characters take at least as many bytes keeps them, its
//! stray bytes replaced. A page that names no encoding and is not UTF-8 is
//! read as Windows-1252. C1 control characters, which no one writes on
//! purpose, are the Windows-1252 characters their authors meant
//! (`don\u{92}t` is `don’t`), as browsers and feedparser read them.

use std::borrow::Cow;

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::normalize::windows_1252_controls;

/// A document as UTF-8 text.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// The text, without byte-order marks.
    pub text: Cow<'a, str>,
    /// The encoding it was read in.
    pub encoding: &'static Encoding,
    /// What had to be guessed or replaced, for the caller's warnings.
    pub warning: Option<String>,
}

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Authority {
    Bom,
    Http,
    Sniffed,
    Declaration,
    Default,
}

/// Decodes `bytes`; `charset` is what the HTTP `Content-Type` named, if any.
/// A JSON document is UTF-8 by definition (RFC 8259 §8.1, which defines
/// no charset for JSON): `charset` does not count for it, and it is read
/// as a document that declares UTF-8. Never fails: undecodable bytes become
/// U+FFFD and are reported in [`Decoded::warning`].
pub(super) fn decode<'a>(bytes: &'a [u8], charset: Option<&str>) -> Decoded<'a> {
    let charset = charset.filter(|_| !starts_as_json(bytes));
    decode_document(bytes, charset, declared_feed_encoding, Undeclared::Utf8)
}

/// What a document that names no encoding anywhere is taken to be written
/// in, when its bytes are not all UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Undeclared {
    /// UTF-8, as XML defines a document without an encoding declaration:
    /// read as one that declares UTF-8 is, its few stray bytes replaced
    /// unless it holds no UTF-8 character beyond ASCII.
    Utf8,
    /// A legacy encoding, as HTML pages written before UTF-8 are:
    /// Windows-1252.
    Legacy,
}

/// The encoding a feed document declares: UTF-8 for JSON, the XML
/// declaration's `encoding` for XML.
fn declared_feed_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    if starts_as_json(bytes) {
        Some(UTF_8)
    } else {
        declared_encoding(bytes)
    }
}

/// Whether `bytes` open as a JSON object written in an ASCII-based
/// encoding (`{` and an ASCII character), without a byte-order mark.
fn starts_as_json(bytes: &[u8]) -> bool {
    opens_in_ascii_with(bytes, b"{")
}

/// [`decode`] for a document that declares its encoding in its own way, as
/// an HTML page does: `declared` reads that declaration from the bytes, if
/// there is one. A document that names no encoding and is not UTF-8 is
/// read as Windows-1252.
pub(crate) fn decode_declared<'a>(
    bytes: &'a [u8],
    charset: Option<&str>,
    declared: fn(&[u8]) -> Option<&'static Encoding>,
) -> Decoded<'a> {
    decode_document(bytes, charset, declared, Undeclared::Legacy)
}

/// Decodes `bytes` as [`decode`] describes, `declared` reading the
/// document's own declaration and `undeclared` saying what a document that
/// names no encoding is.
fn decode_document<'a>(
    bytes: &'a [u8],
    charset: Option<&str>,
    declared: fn(&[u8]) -> Option<&'static Encoding>,
    undeclared: Undeclared,
) -> Decoded<'a> {
    let (encoding, authority, body, overruled) = choose(bytes, charset, declared);
    let declared = declared(body);
    let mut warning = overruled;
    let (text, encoding): (Cow<str>, _) = if encoding == UTF_8 {
        match std::str::from_utf8(body) {
            Ok(text) => (Cow::Borrowed(text), UTF_8),
            Err(e) => {
                let offset = e.valid_up_to() + (bytes.len() - body.len());
                match (authority, declared) {
                    // Nothing named an encoding: a legacy document, unless
                    // the document's kind makes it UTF-8 and it holds UTF-8
                    // characters (then its stray bytes are replaced below).
                    (Authority::Default, _)
                        if undeclared == Undeclared::Legacy
                            || reads_better_as_windows_1252(body) =>
                    {
                        warning = Some(format!(
                            "not UTF-8 (byte {offset}) and no encoding declared; read as windows-1252"
                        ));
                        (
                            WINDOWS_1252.decode_without_bom_handling(body).0,
                            WINDOWS_1252,
                        )
                    }
                    // HTTP said UTF-8 but the document declares otherwise and is not UTF-8.
                    (Authority::Http, Some(own)) if own != UTF_8 && !is_utf16(own) => {
                        warning = Some(format!(
                            "not UTF-8 as the HTTP charset said (byte {offset}); read as {} as the document declares",
                            own.name()
                        ));
                        (own.decode_without_bom_handling(body).0, own)
                    }
                    // Said to be UTF-8, but its bytes that are not UTF-8
                    // outnumber its UTF-8 characters' bytes: a single-byte
                    // document, as feedparser reads it.
                    (Authority::Http | Authority::Declaration, _)
                        if reads_better_as_windows_1252(body) =>
                    {
                        let said = if authority == Authority::Http {
                            "the HTTP charset says"
                        } else {
                            "the document declares"
                        };
                        let tally = Utf8Tally::of(body);
                        warning = Some(format!(
                            "{said} UTF-8, but it is not UTF-8 (byte {offset}): {} not UTF-8 against {} beyond ASCII; read as windows-1252",
                            crate::plural::count(tally.invalid, "byte", "bytes"),
                            crate::plural::count(
                                tally.characters,
                                "UTF-8 character",
                                "UTF-8 characters"
                            ),
                        ));
                        (
                            WINDOWS_1252.decode_without_bom_handling(body).0,
                            WINDOWS_1252,
                        )
                    }
                    _ => {
                        warning = Some(format!(
                            "invalid UTF-8 from byte {offset}; undecodable bytes replaced with U+FFFD"
                        ));
                        (String::from_utf8_lossy(body), UTF_8)
                    }
                }
            }
        }
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            warning = Some(format!(
                "bytes that are not valid {} were replaced with U+FFFD",
                encoding.name()
            ));
        }
        (text, encoding)
    };
    let text = match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.trim_start_matches('\u{FEFF}')),
        Cow::Owned(t) if t.starts_with('\u{FEFF}') => {
            Cow::Owned(t.trim_start_matches('\u{FEFF}').to_string())
        }
        owned => owned,
    };
    Decoded {
        text: windows_1252_controls(text),
        encoding,
        warning,
    }
}

/// Where the first NUL character is in `bytes` read as `encoding`: no text
/// format holds one, binary files nearly always do.
pub(crate) fn nul_offset(bytes: &[u8], encoding: &'static Encoding) -> Option<usize> {
    if is_utf16(encoding) {
        let start = if Encoding::for_bom(bytes).is_some() {
            2
        } else {
            0
        };
        let units = bytes.get(start..)?.chunks_exact(2);
        units
            .into_iter()
            .position(|u| u == [0, 0])
            .map(|i| start + 2 * i)
    } else {
        memchr::memchr(0, bytes)
    }
}

/// The encoding to read `bytes` in, who said so, the bytes after any
/// byte-order mark, and the warning that a charset or declaration the
/// bytes plainly contradict was overruled, when the document does not
/// declare the encoding it is read in itself.
fn choose<'a>(
    bytes: &'a [u8],
    charset: Option<&str>,
    declared: fn(&[u8]) -> Option<&'static Encoding>,
) -> (&'static Encoding, Authority, &'a [u8], Option<String>) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, Authority::Bom, &bytes[bom_len..], None);
    }
    let sniffed = sniff_utf16(bytes);
    if let Some(encoding) = charset.and_then(encoding_for_label) {
        // The bytes overrule a charset that plainly cannot read them: UTF-16
        // bytes under an ASCII charset or under UTF-16 of the other byte
        // order (`utf-16` names little-endian, but UTF-16 without a mark
        // is big-endian by RFC 2781, and `<` tells which), ASCII markup
        // under a UTF-16 one (not under ISO-2022-JP, which writes its
        // markup in ASCII too).
        match sniffed {
            Some(utf16) if utf16 != encoding => {
                return (utf16, Authority::Sniffed, bytes, None);
            }
            None if is_utf16(encoding) && starts_as_ascii_markup(bytes) => {}
            // UTF-8 bytes under another charset they plainly contradict.
            None if !is_utf16(encoding)
                && encoding != UTF_8
                && contradicts_label(bytes, encoding, charset.unwrap_or_default(), declared) =>
            {
                let label = charset.unwrap_or_default().trim();
                let overruled = (declared(bytes) != Some(UTF_8)).then(|| {
                    format!(
                        "the HTTP charset says {label}, but the bytes are UTF-8 with characters beyond ASCII; read as UTF-8"
                    )
                });
                return (UTF_8, Authority::Sniffed, bytes, overruled);
            }
            _ => return (encoding, Authority::Http, bytes, None),
        }
    }
    if let Some(utf16) = sniffed {
        return (utf16, Authority::Sniffed, bytes, None);
    }
    match declared(bytes) {
        // A declaration of a single-byte encoding over UTF-8 bytes beyond
        // doubt, as a template's stale `encoding="iso-8859-1"` over text
        // its generator writes in UTF-8.
        Some(encoding) if encoding.is_single_byte() && is_utf8_beyond_ascii(bytes) => {
            let overruled = format!(
                "the document declares {}, but its bytes are UTF-8 with characters beyond ASCII; read as UTF-8",
                encoding.name()
            );
            (UTF_8, Authority::Sniffed, bytes, Some(overruled))
        }
        // A declaration readable as ASCII cannot truthfully name UTF-16.
        Some(encoding) if !is_utf16(encoding) => (encoding, Authority::Declaration, bytes, None),
        _ => (UTF_8, Authority::Default, bytes, None),
    }
}

/// Whether `encoding` is UTF-16 of either byte order: the only encodings
/// whose documents do not write their markup in ASCII (ISO-2022-JP, the
/// other that is not ASCII-compatible, does).
pub(crate) fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// Whether `bytes`, which the HTTP charset `label` calls text in
/// `encoding` (neither UTF-8 nor UTF-16), are UTF-8 beyond doubt: valid
/// UTF-8 holding characters beyond ASCII, when `encoding` is single-byte
/// (text in one is next to never valid UTF-8 but for its ASCII: its
/// letters beyond ASCII would each have to be followed by the right
/// number of punctuation marks), when `label` is US-ASCII (which has no
/// byte above 127 at all, `encoding_rs` reads it as windows-1252) or when
/// the document declares UTF-8 itself.
fn contradicts_label(
    bytes: &[u8],
    encoding: &'static Encoding,
    label: &str,
    declared: fn(&[u8]) -> Option<&'static Encoding>,
) -> bool {
    (encoding.is_single_byte() || is_ascii_label(label) || declared(bytes) == Some(UTF_8))
        && is_utf8_beyond_ascii(bytes)
}

/// Whether `label` names US-ASCII, which has no byte above 127 at all
/// (`encoding_rs` reads it as windows-1252).
fn is_ascii_label(label: &str) -> bool {
    let label = label.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    matches!(label.as_str(), "us-ascii" | "ascii" | "ansi_x3.4-1968")
}

/// Whether `bytes` are valid UTF-8 holding characters beyond ASCII: UTF-8
/// beyond doubt, whatever a label says (a feed's, a pushed dump's).
pub(crate) fn is_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Bytes read as UTF-8: how many characters beyond ASCII they hold, the
/// bytes those characters take, and how many bytes are not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Utf8Tally {
    characters: usize,
    character_bytes: usize,
    invalid: usize,
}

impl Utf8Tally {
    fn of(bytes: &[u8]) -> Utf8Tally {
        let mut tally = Utf8Tally {
            characters: 0,
            character_bytes: 0,
            invalid: 0,
        };
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            if !valid.is_ascii() {
                for c in valid.chars().filter(|c| !c.is_ascii()) {
                    tally.characters += 1;
                    tally.character_bytes += c.len_utf8();
                }
            }
            tally.invalid += chunk.invalid().len();
        }
        tally
    }
}

/// Whether `bytes`, said to be UTF-8 but not all UTF-8, are rather text in
/// a single-byte encoding: more of their bytes are not UTF-8 than their
/// UTF-8 characters beyond ASCII take. Read as Windows-1252, each byte is
/// one character, and only the UTF-8 characters' bytes come out wrong (a
/// curly quote as three characters); read as UTF-8, only the bytes that
/// are not; the reading that garbles fewer characters wins, UTF-8 on a
/// tie. A Windows-1252 document holds a UTF-8 character only by chance (a
/// letter from `À` to `ß` before a punctuation mark, `ß“`), among many
/// letters that are not UTF-8; a UTF-8 document with a few stray bytes
/// (an item pasted from a word processor) keeps its UTF-8.
fn reads_better_as_windows_1252(bytes: &[u8]) -> bool {
    let tally = Utf8Tally::of(bytes);
    tally.invalid > tally.character_bytes
}

/// An encoding label as `encoding_rs` knows it; labels that would decode to
/// nothing but U+FFFD (ISO-2022-KR and the like) count as unknown.
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']);
    Encoding::for_label(label.as_bytes()).filter(|e| *e != REPLACEMENT)
}

/// UTF-16 without a byte-order mark, told by `<` (and `?`) as 16-bit units.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [b'<', 0, c, 0, ..] if *c != 0 => Some(UTF_16LE),
        [0, b'<', 0, c, ..] if *c != 0 => Some(UTF_16BE),
        _ => None,
    }
}

/// Whether the document opens with `<` or `{` and a second ASCII character,
/// as no UTF-16 text does.
fn starts_as_ascii_markup(bytes: &[u8]) -> bool {
    opens_in_ascii_with(bytes, b"<{")
}

/// Whether the first byte of `bytes` after white space is one of `openers`
/// and the next an ASCII character other than NUL.
fn opens_in_ascii_with(bytes: &[u8], openers: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|at| {
        openers.contains(&bytes[at]) && bytes.get(at + 1).is_some_and(|b| *b != 0 && b.is_ascii())
    })
}

/// An XML document that is no feed (an OPML list, a sitemap) as UTF-8
/// text, read as [`decode`] reads an XML feed: a byte-order mark, the HTTP
/// `charset` (if any), UTF-16 without a mark, the XML declaration's
/// `encoding`, else UTF-8.
pub(crate) fn decode_xml<'a>(bytes: &'a [u8], charset: Option<&str>) -> Decoded<'a> {
    decode_document(bytes, charset, declared_encoding, Undeclared::Utf8)
}

/// The `encoding` named in an XML declaration, read as ASCII; UTF-8 when it
/// names US-ASCII over bytes that are UTF-8 beyond ASCII, which plainly
/// contradict it (as an HTTP charset of US-ASCII is overruled).
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = bytes[start..].strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(&rest[..rest.len().min(512)], b"?>")?;
    let decl = &rest[..end];
    let at = memchr::memmem::find(decl, b"encoding")?;
    let after = decl[at + "encoding".len()..].trim_ascii_start();
    let after = after.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *after.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &after[1..];
    let close = value.iter().position(|&b| b == quote)?;
    let label = std::str::from_utf8(&value[..close]).ok()?;
    if is_ascii_label(label) && is_utf8_beyond_ascii(bytes) {
        return Some(UTF_8);
    }
    encoding_for_label(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf8_passes_through_and_loses_its_bom() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<?xml version='1.0' encoding='UTF-8'?><a>é</a>".as_bytes());
        let d = decode(&bytes, None);
        assert_eq!(d.text, "<?xml version='1.0' encoding='UTF-8'?><a>é</a>");
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.encoding, UTF_8);
        assert!(d.warning.is_none());
    }

    #[test]
    fn declared_windows_1252_is_honoured() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>".to_vec();
        bytes.extend_from_slice(&[0x93, b'Q', 0x94, b' ', 0x80, b' ', 0xE9]);
        bytes.extend_from_slice(b"</a>");
        let d = decode(&bytes, None);
        assert_eq!(
            d.text,
            "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\u{201c}Q\u{201d} € é</a>"
        );
        assert_eq!(d.encoding, WINDOWS_1252);
    }

    #[test]
    fn iso_8859_15_differs_from_latin1() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><a>".to_vec();
        bytes.extend_from_slice(&[0xA4, 0xBD]);
        bytes.extend_from_slice(b"</a>");
        let d = decode(&bytes, None);
        assert!(d.text.ends_with("<a>€œ</a>"), "{}", d.text);
    }

    #[test]
    fn http_charset_outranks_the_declaration() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"</a>");
        let d = decode(&bytes, Some("ISO-8859-1"));
        assert!(d.text.ends_with("<a>é</a>"));
        assert!(d.warning.is_none());
    }

    #[test]
    fn a_wrong_utf8_charset_yields_to_the_declaration() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"</a>");
        let d = decode(&bytes, Some("utf-8"));
        assert!(d.text.ends_with("<a>é</a>"));
        assert!(d.warning.is_some());
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>Zürich “quoted”</a>";
        for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
            let bytes = utf16(doc, big_endian, bom);
            let d = decode(&bytes, None);
            assert_eq!(d.text, doc, "big_endian={big_endian} bom={bom}");
        }
    }

    #[test]
    fn utf16_without_a_mark_is_read_in_the_byte_order_its_markup_shows() {
        let doc =
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><title>Zürich “quoted”</title></rss>";
        for charset in ["utf-16", "UTF-16LE", "utf-16be"] {
            for big_endian in [true, false] {
                let bytes = utf16(doc, big_endian, false);
                let d = decode(&bytes, Some(charset));
                assert_eq!(d.text, doc, "{charset}, big_endian={big_endian}");
            }
        }
    }

    #[test]
    fn a_utf16_charset_on_ascii_markup_is_ignored() {
        let d = decode(
            "<?xml version=\"1.0\"?><a>Zürich</a>".as_bytes(),
            Some("utf-16"),
        );
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.text, "<?xml version=\"1.0\"?><a>Zürich</a>");
    }

    #[test]
    fn iso_2022_jp_declared_or_named_by_the_http_charset_is_decoded() {
        use encoding_rs::ISO_2022_JP;
        let text = "<?xml version=\"1.0\" encoding=\"iso-2022-jp\"?><rss><title>港湾計画を市議会が承認</title></rss>";
        let (bytes, _, unmappable) = ISO_2022_JP.encode(text);
        assert!(!unmappable && bytes.is_ascii());
        for charset in [None, Some("iso-2022-jp"), Some("ISO-2022-JP")] {
            let d = decode(&bytes, charset);
            assert_eq!(d.encoding, ISO_2022_JP, "{charset:?}");
            assert_eq!(d.text, text, "{charset:?}");
            assert!(d.warning.is_none(), "{charset:?}: {:?}", d.warning);
        }
        // Named only by the HTTP charset, over a declaration without an
        // encoding; and an OPML list or a sitemap the same.
        let bare = text.replace(" encoding=\"iso-2022-jp\"", "");
        let (bytes, _, _) = ISO_2022_JP.encode(&bare);
        assert_eq!(decode(&bytes, Some("iso-2022-jp")).text, bare);
        assert_eq!(decode_xml(&bytes, Some("iso-2022-jp")).text, bare);
        // Said to be UTF-8 by HTTP, declared as ISO-2022-JP and not UTF-8
        // (its escape sequences are ASCII, so only a stray byte tells).
        let mut stray = ISO_2022_JP.encode(text).0.into_owned();
        stray.extend_from_slice(b"<!-- \xff -->");
        let d = decode(&stray, Some("utf-8"));
        assert_eq!(d.encoding, ISO_2022_JP);
        assert!(d.text.contains("港湾計画を市議会が承認"), "{}", d.text);
    }

    #[test]
    fn a_utf16_declaration_in_ascii_markup_is_ignored() {
        let d = decode(
            b"<?xml version=\"1.0\" encoding=\"utf-16\"?><a>Zurich</a>",
            None,
        );
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(
            d.text,
            "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>Zurich</a>"
        );
    }

    #[test]
    fn undeclared_legacy_bytes_read_as_windows_1252() {
        let d = decode(b"<a>caf\xE9</a>", None);
        assert_eq!(d.text, "<a>café</a>");
        assert!(d.warning.is_some_and(|w| w.contains("byte 6")));
    }

    #[test]
    fn declared_utf8_with_a_stray_byte_is_replaced_not_reinterpreted() {
        let d = decode(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>é\u{2019}</a>".as_bytes(),
            None,
        );
        assert!(d.warning.is_none());
        let d = decode(
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xC3\xA9 \xFF</a>",
            None,
        );
        assert!(d.text.ends_with("<a>é \u{FFFD}</a>"));
        assert!(d.warning.is_some());
    }

    #[test]
    fn undeclared_utf8_with_a_stray_byte_keeps_its_utf8_in_feeds_not_in_pages() {
        let bytes = b"<?xml version=\"1.0\"?><a>Caf\xC3\xA9 \xC3\xA0 Z\xC3\xBCrich, don\x92t</a>";
        for charset in [None, Some("")] {
            for d in [decode(bytes, charset), decode_xml(bytes, charset)] {
                assert!(
                    d.text.ends_with("<a>Café à Zürich, don\u{FFFD}t</a>"),
                    "{}",
                    d.text
                );
                assert_eq!(d.encoding, UTF_8);
                let warning = d.warning.expect("a warning");
                assert!(warning.contains("invalid UTF-8 from byte 45"), "{warning}");
            }
        }
        let page = decode_declared(bytes, None, |_| None);
        assert_eq!(page.encoding, WINDOWS_1252);
        assert!(page.text.contains("CafÃ©"), "{}", page.text);
    }

    #[test]
    fn declared_utf8_in_windows_1252_bytes_reads_as_windows_1252() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>Caf\xE9 \x93q\x94 don\x92t</a>";
        for charset in [None, Some("utf-8")] {
            let d = decode(bytes, charset);
            assert!(
                d.text.ends_with("<a>Café “q” don’t</a>"),
                "{charset:?}: {}",
                d.text
            );
            assert_eq!(d.encoding, WINDOWS_1252);
            let warning = d.warning.expect("a warning");
            assert!(
                warning.contains("UTF-8") && warning.contains("read as windows-1252"),
                "{warning}"
            );
        }
    }

    #[test]
    fn utf8_bytes_overrule_an_ascii_or_contradicted_http_charset() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>Café “q”</a>";
        for charset in ["us-ascii", "ISO-8859-1", "windows-1252"] {
            let d = decode(doc.as_bytes(), Some(charset));
            assert_eq!(d.text, doc, "{charset}");
            assert_eq!(d.encoding, UTF_8, "{charset}");
        }
        // ASCII bytes say nothing against the charset.
        let ascii = decode(
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>x</a>",
            Some("iso-8859-1"),
        );
        assert_eq!(ascii.encoding, WINDOWS_1252);
    }

    #[test]
    fn utf8_bytes_overrule_a_declared_ascii_encoding() {
        let doc =
            "<?xml version=\"1.0\" encoding=\"us-ascii\"?><a>Café owners object – again, don’t</a>";
        let d = decode(doc.as_bytes(), None);
        assert_eq!(d.text, doc);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.warning.is_none());
        // Single bytes above 127 are no UTF-8: read as the label maps.
        let mut legacy = b"<?xml version=\"1.0\" encoding=\"ASCII\"?><a>Caf".to_vec();
        legacy.extend_from_slice(b"\xe9</a>");
        let d = decode(&legacy, None);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.contains("Café"), "{}", d.text);
    }

    #[test]
    fn utf8_bytes_under_an_undeclared_or_single_byte_charset_read_as_utf8_with_a_warning() {
        // XML with no declaration is UTF-8; a single-byte HTTP charset over
        // valid UTF-8 beyond ASCII is a server's stray default.
        let undeclared = "<?xml version=\"1.0\"?><a>Café société “ouvert”</a>";
        for charset in ["ISO-8859-1", "iso-8859-1", "windows-1252", "koi8-r"] {
            for d in [
                decode(undeclared.as_bytes(), Some(charset)),
                decode_xml(undeclared.as_bytes(), Some(charset)),
            ] {
                assert_eq!(d.text, undeclared, "{charset}");
                assert_eq!(d.encoding, UTF_8, "{charset}");
                let warning = d.warning.expect("a warning");
                assert!(
                    warning.contains("the HTTP charset says") && warning.contains("read as UTF-8"),
                    "{warning}"
                );
            }
        }
        // An US-ASCII charset too, and a document that declares UTF-8 has
        // nothing to be warned of.
        let d = decode(undeclared.as_bytes(), Some("us-ascii"));
        assert_eq!((d.text.as_ref(), d.encoding), (undeclared, UTF_8));
        let declared = "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>Café</a>";
        assert!(
            decode(declared.as_bytes(), Some("iso-8859-1"))
                .warning
                .is_none()
        );
        // A declaration of a single-byte encoding over UTF-8 bytes beyond
        // doubt: read as UTF-8, with a warning, under its HTTP charset too.
        let stale = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>Café “q”</a>";
        for charset in [None, Some("iso-8859-1")] {
            let d = decode(stale.as_bytes(), charset);
            assert_eq!(d.text, stale, "{charset:?}");
            assert_eq!(d.encoding, UTF_8, "{charset:?}");
            assert!(d.warning.is_some_and(|w| w.contains("read as UTF-8")));
        }
    }

    #[test]
    fn genuine_single_byte_text_keeps_its_charset_or_declaration() {
        // Latin-1 bytes, invalid as UTF-8: read as the label says, silently.
        let text = "<?xml version=\"1.0\"?><a>Café société déjà vu, Zürich</a>";
        let latin1 = WINDOWS_1252.encode(text).0;
        let d = decode(&latin1, Some("iso-8859-1"));
        assert_eq!((d.text.as_ref(), d.encoding), (text, WINDOWS_1252));
        assert!(d.warning.is_none(), "{:?}", d.warning);
        let declared = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>Spaß“ in Köln</a>";
        let bytes = WINDOWS_1252.encode(declared).0;
        // `ß“` is a UTF-8 character by chance; `ö` is not UTF-8.
        assert!(std::str::from_utf8(&bytes).is_err());
        for charset in [None, Some("iso-8859-1")] {
            let d = decode(&bytes, charset);
            assert_eq!((d.text.as_ref(), d.encoding), (declared, WINDOWS_1252));
            assert!(d.warning.is_none(), "{:?}", d.warning);
        }
        // ASCII text says nothing against a declaration.
        let ascii = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>Cafe</a>";
        assert_eq!(decode(ascii, None).encoding, WINDOWS_1252);
        // Shift_JIS is no single-byte encoding: its label stands.
        let sjis = decode("<a>Café</a>".as_bytes(), Some("shift_jis"));
        assert_eq!(sjis.encoding, encoding_rs::SHIFT_JIS);
    }

    #[test]
    fn windows_1252_text_holding_a_utf8_character_by_chance_reads_as_windows_1252() {
        let text = "<rss><title>Großer Spaß in Köln</title><description>„viel Spaß{}“, sagte der Bürgermeister; Grüße aus München</description></rss>";
        // `ß` before each of these is a valid UTF-8 pair (`ß“` is U+07D3).
        for after in ["“", "\u{a0}", "…", "’", "–", "«"] {
            let doc = text.replace("{}", after);
            let bytes = WINDOWS_1252.encode(&doc).0;
            assert!(has_a_utf8_character(&bytes), "{after}");
            for declaration in ["", "<?xml version=\"1.0\" encoding=\"utf-8\"?>"] {
                let mut declared = declaration.as_bytes().to_vec();
                declared.extend_from_slice(&bytes);
                let want = format!("{declaration}{doc}");
                let readings = [
                    decode(&declared, None),
                    decode(&declared, Some("utf-8")),
                    decode_xml(&declared, None),
                    decode_declared(&declared, Some("utf-8"), |_| None),
                    decode_declared(&declared, None, |_| Some(UTF_8)),
                ];
                for d in readings {
                    assert_eq!(d.text, want, "{after:?} {declaration:?}");
                    assert_eq!(d.encoding, WINDOWS_1252);
                    let warning = d.warning.expect("a warning");
                    assert!(warning.contains("read as windows-1252"), "{warning}");
                }
            }
        }
    }

    /// Whether `bytes` hold a valid UTF-8 character beyond ASCII.
    fn has_a_utf8_character(bytes: &[u8]) -> bool {
        bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
    }

    #[test]
    fn utf8_with_fewer_stray_bytes_than_utf8_characters_keeps_its_utf8() {
        // As many stray bytes as UTF-8 characters: UTF-8 still.
        let even = b"<?xml version=\"1.0\"?><a>Z\xC3\xBCrich caf\xC3\xA9, don\x92t it\x92s</a>";
        for d in [
            decode(even, None),
            decode(even, Some("utf-8")),
            decode_declared(even, None, |_| Some(UTF_8)),
        ] {
            assert!(
                d.text
                    .ends_with("<a>Zürich café, don\u{FFFD}t it\u{FFFD}s</a>"),
                "{}",
                d.text
            );
            assert_eq!(d.encoding, UTF_8);
            assert!(d.warning.is_some_and(|w| w.contains("U+FFFD")));
        }
        // As many stray bytes as the UTF-8 characters take: UTF-8 still;
        // one more: Windows-1252.
        let as_many =
            b"<?xml version=\"1.0\"?><a>Z\xC3\xBCrich caf\xC3\xA9, don\x92t it\x92s \x93q\x94</a>";
        assert_eq!(decode(as_many, None).encoding, UTF_8);
        let more = b"<?xml version=\"1.0\"?><a>Z\xC3\xBCrich caf\xC3\xA9, don\x92t it\x92s \x93q\x94 \x85</a>";
        assert_eq!(decode(more, None).encoding, WINDOWS_1252);
        // A three-byte character is three characters read as
        // Windows-1252: four curly quotes outweigh six stray bytes.
        let mut bytes = "<a>“one” ‘two’ ".as_bytes().to_vec();
        bytes.extend_from_slice(b"\x92\x92\x92\x92\x92\x92</a>");
        assert_eq!(decode(&bytes, None).encoding, UTF_8);
        assert_eq!(
            Utf8Tally::of(&bytes),
            Utf8Tally {
                characters: 4,
                character_bytes: 12,
                invalid: 6
            }
        );
    }

    #[test]
    fn unknown_labels_are_ignored() {
        let d = decode(
            b"<?xml version=\"1.0\" encoding=\"klingon\"?><a>x</a>",
            Some("nonsense"),
        );
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(
            d.text,
            "<?xml version=\"1.0\" encoding=\"klingon\"?><a>x</a>"
        );
    }

    #[test]
    fn nul_is_found_in_bytes_or_utf16_units() {
        assert_eq!(nul_offset(b"ab\0", UTF_8), Some(2));
        assert_eq!(nul_offset(&utf16("<a>", false, true), UTF_16LE), None);
        let mut with_nul = utf16("<a>", true, true);
        with_nul.extend_from_slice(&[0, 0]);
        assert_eq!(nul_offset(&with_nul, UTF_16BE), Some(8));
    }

    #[test]
    fn c1_controls_are_windows_1252_characters() {
        // UTF-8 text holding U+0092, and ISO-8859-15 bytes 0x93/0x94.
        let d = decode("<a>don\u{92}t \u{81}</a>".as_bytes(), None);
        assert_eq!(d.text, "<a>don\u{2019}t \u{81}</a>");
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><a>".to_vec();
        bytes.extend_from_slice(&[0x93, b'Q', 0x94]);
        let d = decode(&bytes, None);
        assert!(d.text.ends_with("<a>\u{201c}Q\u{201d}"), "{}", d.text);
        // Declared ISO-8859-1, as so many are: the bytes are Windows-1252.
        let d = decode(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>don\x92t</a>",
            None,
        );
        assert!(d.text.ends_with("<a>don\u{2019}t</a>"), "{}", d.text);
    }

    #[test]
    fn json_is_utf8_whatever_the_http_charset_says() {
        let doc = "{\"title\":\"Café Émile — “finally”\",\"items\":[]}";
        for charset in [
            "iso-8859-1",
            "ISO-8859-1",
            "windows-1252",
            "koi8-r",
            "shift_jis",
        ] {
            let d = decode(doc.as_bytes(), Some(charset));
            assert_eq!(d.text, doc, "{charset}");
            assert_eq!(d.encoding, UTF_8, "{charset}");
            assert!(d.warning.is_none(), "{charset}: {:?}", d.warning);
        }
        // With a byte-order mark, as UTF-16 too.
        let bytes = utf16(doc, true, true);
        assert_eq!(decode(&bytes, Some("iso-8859-1")).text, doc);
    }

    #[test]
    fn json_that_is_not_utf8_follows_the_rules_of_a_document_said_to_be_utf8() {
        // Not one UTF-8 character: the single-byte text it is, with a warning.
        let d = decode(b"{\"title\":\"Caf\xE9\"}", Some("iso-8859-1"));
        assert_eq!(d.text, "{\"title\":\"Café\"}");
        assert!(d.warning.is_some_and(|w| w.contains("windows-1252")));
        // UTF-8 with a stray byte: the stray byte is replaced, with a warning.
        let d = decode(b"{\"title\":\"Caf\xC3\xA9 \xFF\"}", Some("koi8-r"));
        assert_eq!(d.text, "{\"title\":\"Café \u{FFFD}\"}");
        assert!(d.warning.is_some_and(|w| w.contains("U+FFFD")));
    }
}
