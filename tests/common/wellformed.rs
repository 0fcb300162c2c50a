//! Strict checks that a published document is well-formed, stricter than the
//! feed crates' own readers: XML 1.0 with only characters its `Char`
//! production allows, one root element, every tag closed by its own name,
//! every reference one of the five predefined entities or a character
//! reference to an allowed character, no DOCTYPE; JSON through serde_json.
//! Shared by the property and hostile-input tests and the fuzz targets.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// XML 1.0's `Char` production.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `Ok` when `document` is a well-formed XML 1.0 document; otherwise what
/// is wrong and where.
pub fn check_xml(document: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(document).map_err(|e| format!("not UTF-8: {e}"))?;
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        return Err(format!("byte {at}: {c:?} is not allowed in XML 1.0"));
    }
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.allow_dangling_amp = false;
    config.allow_unmatched_ends = false;
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("byte {}: {e}", reader.error_position()))?;
        let outside = depth == 0;
        match event {
            Event::Start(tag) => {
                roots += usize::from(outside);
                depth += 1;
                check_attributes(&tag, at)?;
            }
            Event::Empty(tag) => {
                roots += usize::from(outside);
                check_attributes(&tag, at)?;
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) if outside && !t.trim().is_empty() => {
                return Err(format!("byte {at}: text outside the root element"));
            }
            Event::CData(_) | Event::GeneralRef(_) if outside => {
                return Err(format!("byte {at}: content outside the root element"));
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let predefined = matches!(name, "lt" | "gt" | "amp" | "apos" | "quot");
                let char_ref = r
                    .resolve_char_ref()
                    .map_err(|e| format!("byte {at}: {e}"))?;
                match char_ref {
                    Some(c) if !is_xml_char(c) => {
                        return Err(format!("byte {at}: &{name}; is not allowed in XML 1.0"));
                    }
                    None if !predefined => {
                        return Err(format!("byte {at}: undeclared entity &{name};"));
                    }
                    _ => {}
                }
            }
            Event::DocType(_) => return Err(format!("byte {at}: a DOCTYPE")),
            Event::Decl(_) if at > 0 => {
                return Err(format!("byte {at}: an XML declaration after the start"));
            }
            Event::Eof => break,
            _ => {}
        }
        if roots > 1 {
            return Err(format!("byte {at}: a second root element"));
        }
    }
    match (roots, depth) {
        (1, 0) => Ok(()),
        (0, _) => Err("no root element".to_string()),
        _ => Err(format!("{depth} element(s) left open")),
    }
}

fn check_attributes(tag: &BytesStart, at: u64) -> Result<(), String> {
    let mut names = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| format!("byte {at}: {e}"))?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("byte {at}: {e}"))?;
        if let Some(c) = value.chars().find(|c| !is_xml_char(*c)) {
            return Err(format!("byte {at}: {c:?} in an attribute value"));
        }
        if names.contains(&attribute.key) {
            return Err(format!("byte {at}: a repeated attribute"));
        }
        names.push(attribute.key);
    }
    Ok(())
}

/// `Ok` when `document` is well-formed JSON.
pub fn check_json(document: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(document).map_err(|e| e.to_string())
}
