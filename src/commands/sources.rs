//! OPML 2.0 subscription lists: reading the outlines of any reader's export
//! (`feedfold sources import`), and writing feedfold's feed sources as one
//! (`feedfold sources export`). Adding imported sources to the config file
//! appends `[[source]]` tables, keeping everything already written there.

use std::collections::HashSet;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use thiserror::Error;

use crate::config::{Config, FeedLocation, SourceKind};
use crate::normalize::canonical_url;

/// An OPML document or the config could not be used.
#[derive(Debug, Error)]
pub enum OpmlError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: not OPML: {message}")]
    Malformed { path: String, message: String },
}

/// One subscription of an OPML list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub title: String,
    pub xml_url: String,
}

/// The subscriptions (outlines with an `xmlUrl`) of an OPML document, at
/// any depth of nesting, in document order.
pub fn parse(text: &str, path: &str) -> Result<Vec<Subscription>, OpmlError> {
    let malformed = |message: String| OpmlError::Malformed {
        path: path.to_string(),
        message,
    };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut subscriptions = Vec::new();
    let mut saw_opml = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                let name = tag.local_name();
                if name.as_ref() == "opml" {
                    saw_opml = true;
                } else if name.as_ref() == "outline"
                    && let Some(subscription) = outline(&tag).map_err(malformed)?
                {
                    subscriptions.push(subscription);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(malformed(format!(
                    "{e} at byte {}",
                    reader.buffer_position()
                )));
            }
        }
    }
    if !saw_opml {
        return Err(malformed("no <opml> element".into()));
    }
    Ok(subscriptions)
}

fn outline(tag: &BytesStart) -> Result<Option<Subscription>, String> {
    let (mut xml_url, mut title, mut text) = (None, None, None);
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .trim()
            .to_string();
        match attribute.key.local_name().as_ref() {
            "xmlUrl" | "xmlurl" => xml_url = Some(value),
            "title" => title = Some(value),
            "text" => text = Some(value),
            _ => {}
        }
    }
    Ok(xml_url
        .filter(|u| !u.is_empty())
        .map(|xml_url| Subscription {
            title: title
                .filter(|t| !t.is_empty())
                .or(text.filter(|t| !t.is_empty()))
                .unwrap_or_else(|| xml_url.clone()),
            xml_url,
        }))
}

/// OPML 2.0 listing every feed source that is a URL, written with
/// `quick-xml`'s writer.
pub fn export(config: &Config) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut write = |event: Event| {
        writer
            .write_event(event)
            .expect("writing to memory cannot fail")
    };
    write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    write(Event::Start(
        BytesStart::new("opml").with_attributes([("version", "2.0")]),
    ));
    write(Event::Start(BytesStart::new("head")));
    write(Event::Start(BytesStart::new("title")));
    write(Event::Text(BytesText::new("feedfold sources")));
    write(Event::End(BytesEnd::new("title")));
    write(Event::End(BytesEnd::new("head")));
    write(Event::Start(BytesStart::new("body")));
    for source in &config.sources {
        if let SourceKind::Feed(FeedLocation::Url(url)) = &source.kind {
            write(Event::Empty(BytesStart::new("outline").with_attributes([
                ("type", "rss"),
                ("text", source.name.as_str()),
                ("title", source.name.as_str()),
                ("xmlUrl", url.as_str()),
            ])));
        }
    }
    write(Event::End(BytesEnd::new("body")));
    write(Event::End(BytesEnd::new("opml")));
    let mut out = String::from_utf8(writer.into_inner()).expect("the writer writes UTF-8");
    out.push('\n');
    out
}

/// What an import added and left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// (name, URL) of each source added.
    pub added: Vec<(String, String)>,
    /// URLs already in the config.
    pub already_present: Vec<String>,
    /// Outlines that are not http(s) feeds, with the reason.
    pub refused: Vec<(String, String)>,
}

/// The `[[source]]` tables to append to `config_text` for `subscriptions`,
/// skipping feeds the config already has (by canonical URL) and naming each
/// new source after its title, uniquely.
pub fn plan_import(config: &Config, subscriptions: &[Subscription]) -> (String, Imported) {
    let mut names: HashSet<String> = config.sources.iter().map(|s| s.name.clone()).collect();
    let mut urls: HashSet<String> = config
        .sources
        .iter()
        .filter_map(|s| match &s.kind {
            SourceKind::Feed(FeedLocation::Url(url)) => canonical_url(url),
            _ => None,
        })
        .collect();
    let mut appended = String::new();
    let mut imported = Imported::default();
    for subscription in subscriptions {
        let Some(canonical) = canonical_url(&subscription.xml_url) else {
            imported.refused.push((
                subscription.xml_url.clone(),
                "not an absolute http(s) URL".into(),
            ));
            continue;
        };
        if !urls.insert(canonical) {
            imported.already_present.push(subscription.xml_url.clone());
            continue;
        }
        let name = unique_name(&slug(&subscription.title), &mut names);
        appended.push_str(&format!(
            "\n[[source]]\nname = {}\nfeed = {}\n",
            toml::Value::String(name.clone()),
            toml::Value::String(subscription.xml_url.clone())
        ));
        imported.added.push((name, subscription.xml_url.clone()));
    }
    (appended, imported)
}

/// Appends `tables` to the config file at `path` atomically, after checking
/// that the result is still a valid config.
pub fn append_to_config(path: &Path, current: &str, tables: &str) -> Result<(), OpmlError> {
    let read_error = |message: String| OpmlError::Read {
        path: path.display().to_string(),
        message,
    };
    let mut text = current.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(tables);
    Config::parse(&text, path)
        .map_err(|e| read_error(format!("the imported config would not be valid: {e}")))?;
    crate::publish::write_if_changed(path, text.as_bytes())
        .map_err(|e| read_error(e.to_string()))?;
    Ok(())
}

/// `Le Monde — International` -> `le-monde-international`.
fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "feed".into() } else { slug }
}

fn unique_name(base: &str, taken: &mut HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News">
      <outline type="rss" text="Harbour Post" xmlUrl="https://harbour.example/feed.xml" htmlUrl="https://harbour.example/"/>
      <outline type="rss" title="Wire &amp; Co" text="ignored" xmlUrl="https://wire.example/rss?utm_source=opml"/>
    </outline>
    <outline type="rss" text="Harbour Post" xmlUrl="https://mirror.example/harbour.xml"/>
    <outline text="Not a feed" htmlUrl="https://site.example/"/>
    <outline text="Gopher" xmlUrl="gopher://old.example/feed"/>
  </body>
</opml>"#;

    fn config(extra: &str) -> Config {
        let text = format!(
            "[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n{extra}\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
        );
        Config::parse(&text, Path::new("/srv/config.toml")).unwrap()
    }

    #[test]
    fn outlines_with_feed_urls_are_read_at_any_depth() {
        let subs = parse(OPML, "subs.opml").unwrap();
        let titles: Vec<&str> = subs.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Harbour Post", "Wire & Co", "Harbour Post", "Gopher"]
        );
        assert_eq!(subs[1].xml_url, "https://wire.example/rss?utm_source=opml");
    }

    #[test]
    fn malformed_opml_is_an_error_naming_the_file() {
        let err = parse("<opml><body><outline", "bad.opml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.opml: not OPML"), "{err}");
        let err = parse("<rss/>", "x.opml").unwrap_err().to_string();
        assert!(err.contains("no <opml>"), "{err}");
    }

    #[test]
    fn import_skips_known_feeds_and_names_new_ones_uniquely() {
        let config = config("");
        let subs = parse(OPML, "subs.opml").unwrap();
        let (tables, imported) = plan_import(&config, &subs);
        assert_eq!(
            imported.added,
            [
                (
                    "harbour-post".to_string(),
                    "https://harbour.example/feed.xml".to_string()
                ),
                (
                    "harbour-post-2".to_string(),
                    "https://mirror.example/harbour.xml".to_string()
                ),
            ]
        );
        assert_eq!(
            imported.already_present,
            ["https://wire.example/rss?utm_source=opml"]
        );
        assert_eq!(imported.refused.len(), 1);
        assert!(tables.contains(
            "name = \"harbour-post-2\"\nfeed = \"https://mirror.example/harbour.xml\"\n"
        ));
    }

    #[test]
    fn import_appends_to_the_config_file_and_export_lists_url_sources() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let original =
            "# my config\n[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n";
        std::fs::write(&path, original).unwrap();
        let config = Config::load(&path).unwrap();
        let (tables, _) = plan_import(&config, &parse(OPML, "subs.opml").unwrap());
        append_to_config(&path, original, &tables).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(original), "existing text is kept");
        let config = Config::load(&path).unwrap();
        assert_eq!(config.sources.len(), 3);
        let exported = export(&config);
        let round_trip = parse(&exported, "export.opml").unwrap();
        let urls: Vec<&str> = round_trip.iter().map(|s| s.xml_url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://wire.example/rss",
                "https://harbour.example/feed.xml",
                "https://mirror.example/harbour.xml"
            ]
        );
    }

    #[test]
    fn export_lists_url_feeds_as_opml() {
        let config = config(
            "[[source]]\nname = \"agg\"\nfeed = \"https://agg.example/rss?a=1&b=2\"\n\n[[source]]\nname = \"local\"\nfeed = \"local.xml\"\n",
        );
        assert_eq!(
            export(&config),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>feedfold sources</title>\n  </head>\n  <body>\n    <outline type=\"rss\" text=\"wire\" title=\"wire\" xmlUrl=\"https://wire.example/rss\"/>\n    <outline type=\"rss\" text=\"agg\" title=\"agg\" xmlUrl=\"https://agg.example/rss?a=1&amp;b=2\"/>\n  </body>\n</opml>\n"
        );
    }

    #[test]
    fn slugs_are_safe_source_names() {
        assert_eq!(slug("Le Monde — International"), "le-monde-international");
        assert_eq!(slug("¡¡!!"), "feed");
    }
}
