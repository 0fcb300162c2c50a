//! Sanitized HTML in the form an entry's version compares it in: what a
//! reader of it sees, and nothing a serializer varies. Each tag's
//! attributes in order of their names (a generator that writes them from
//! a hash map orders them anew each time), the URL of each `href` and
//! `src` in its media form ([`media_url`]: tracking parameters and
//! signatures left out), and empty paragraphs (`<p></p>`, which show
//! nothing) dropped. Text, tags and attribute values are otherwise kept as
//! written, so any edit a reader can see still changes the form.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::dedup::fingerprint::media_url;
use crate::ingest::sanitize::{escape_attribute, unescape_attribute};

/// `html`, sanitized, in the form a reader sees it ([`self`]).
pub fn html_as_read(html: &str) -> String {
    static START_TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)+)\s*(/?)>"#)
            .expect("a valid pattern")
    });
    let tags = START_TAG.replace_all(html, |found: &Captures| {
        let attributes = attributes_as_read(&found[2]);
        format!("<{}{attributes}{}>", &found[1], &found[3])
    });
    without_empty_paragraphs(&tags).into_owned()
}

/// The attributes of one start tag (` name="value"`, as html5ever's
/// serializer writes them) in order of their names, each URL in its media
/// form.
fn attributes_as_read(written: &str) -> String {
    static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\s+([^\s"'>/=]+)(?:="([^"]*)")?"#).expect("a valid pattern")
    });
    let mut attributes: Vec<(&str, Cow<'_, str>)> = ATTRIBUTE
        .captures_iter(written)
        .map(|found| {
            let name = found.get(1).map_or("", |m| m.as_str());
            let value = found.get(2).map_or("", |m| m.as_str());
            (name, url_as_read(name, value))
        })
        .collect();
    attributes.sort();
    attributes
        .iter()
        .map(|(name, value)| format!(" {name}=\"{value}\""))
        .collect()
}

/// The value of attribute `name`: an `href` or `src` in its media form
/// ([`media_url`]), any other as written.
fn url_as_read<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
        Cow::Owned(escape_attribute(&media_url(&unescape_attribute(value))))
    } else {
        Cow::Borrowed(value)
    }
}

/// `html` without paragraphs that hold nothing but white space.
fn without_empty_paragraphs(html: &str) -> Cow<'_, str> {
    static EMPTY_PARAGRAPH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"<p(?:\s[^>]*)?>\s*</p>").expect("a valid pattern"));
    EMPTY_PARAGRAPH.replace_all(html, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_order_and_empty_paragraphs_are_not_read() {
        let one = r#"<p>Read <a href="https://up.example/plan" title="The plan">the plan</a>.</p>"#;
        let other = r#"<p>Read <a title="The plan" href="https://up.example/plan">the plan</a>.</p><p></p><p>
</p>"#;
        assert_eq!(html_as_read(one), html_as_read(other));
    }

    #[test]
    fn signatures_and_tracking_in_urls_are_not_read() {
        let signed = |signature: &str| {
            format!(
                r#"<p><img src="https://bucket.example/bridge.jpg?w=800&amp;X-Amz-Date=2026&amp;X-Amz-Signature={signature}" alt="The bridge"></p><p><a href="https://cdn.example/plan.pdf?Expires=1&amp;Signature={signature}&amp;Key-Pair-Id=K">plan</a></p>"#
            )
        };
        assert_eq!(html_as_read(&signed("aa11")), html_as_read(&signed("bb22")));
        assert!(html_as_read(&signed("aa11")).contains("bridge.jpg?w=800\""));
    }

    #[test]
    fn what_a_reader_sees_still_counts() {
        let html =
            r#"<p>Read <a href="https://up.example/plan" title="The plan">the plan</a>.</p>"#;
        for edited in [
            html.replace("the plan<", "the new plan<"),
            html.replace("The plan", "The new plan"),
            html.replace("up.example/plan", "up.example/other"),
            html.replace("<p>Read", "<p>Do read"),
            format!("{html}<p>More.</p>"),
            html.replace("<a ", "<a rel=\"nofollow\" "),
        ] {
            assert_ne!(html_as_read(html), html_as_read(&edited), "{edited}");
        }
        let picture = r#"<p><img src="https://img.example/a.jpg" alt=""></p>"#;
        assert_eq!(
            html_as_read(picture),
            picture.replace(
                r#"<img src="https://img.example/a.jpg" alt="">"#,
                r#"<img alt="" src="https://img.example/a.jpg">"#
            )
        );
    }

    #[test]
    fn text_that_looks_like_a_tag_is_left_as_it_is() {
        let html = "<p>a &lt;b c=\"d\"&gt; e</p><p>if x &gt; y</p>";
        assert_eq!(html_as_read(html), html);
    }
}
