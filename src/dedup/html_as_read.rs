//! Sanitized HTML in the form an entry's version compares it in: what a
//! reader of it sees, and nothing a serializer varies. Each tag's
//! attributes in order of their names (a generator that writes them from
//! a hash map orders them anew each time), the URL of each `href` and
//! `src` in its media form ([`media_url`]: tracking parameters and
//! signatures left out), empty paragraphs (`<p></p>`, which show
//! nothing) dropped, and the white space a browser shows nothing of left
//! out: between block elements (`<p>a</p>\n<p>b</p>`, an indented
//! `<div>`), and at the start and end of one (`<p> a </p>`). Text, tags
//! and attribute values are otherwise kept as written, so any edit a
//! reader can see still changes the form.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::dedup::fingerprint::media_url;
use crate::ingest::sanitize::{escape_attribute, unescape_attribute};

/// `html`, sanitized, in the form a reader sees it ([`self`]) but for the
/// white space around block elements, which [`without_block_white_space`]
/// then leaves out: its tags' attributes and its empty paragraphs as read,
/// its white space as written, the form an upstream entry stored before
/// that white space counted as read is compared in
/// ([`crate::dedup::fingerprint::entry_versions`] takes both forms of one
/// reading).
pub fn html_as_read_with_its_white_space(html: &str) -> String {
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

/// `html` as [`html_as_read_with_its_white_space`] gives it, without the
/// white space (ASCII, as HTML has it: a no-break
/// space shows) before and after each start or end tag of a block element
/// (`p`, `div`, a heading, a list or list item, a quote, a figure, a
/// table's parts, a line break or rule): a browser lays such white space
/// out as nothing, at the end or start of a line. White space inside a
/// `pre` is shown, and stays, but where it touches a block tag.
pub fn without_block_white_space(html: &str) -> Cow<'_, str> {
    static AROUND_BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"[ \t\n\r\x0C]*",
            r"(</?(?i:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|caption",
            r"|thead|tbody|tfoot|tr|td|th|section|article|aside|header|footer|nav|main|address",
            r"|details|summary|hr|br)(?:[ \t\n\r\x0C][^>]*)?/?>)",
            r"[ \t\n\r\x0C]*",
        ))
        .expect("a valid pattern")
    });
    AROUND_BLOCK_TAG.replace_all(html, "$1")
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

    /// `html` in the form a reader sees it ([`self`]).
    fn html_as_read(html: &str) -> String {
        without_block_white_space(&html_as_read_with_its_white_space(html)).into_owned()
    }

    #[test]
    fn white_space_around_blocks_is_not_read() {
        let one = "<p>Dredging starts in January.</p><p>The channel will be deeper.</p>";
        for other in [
            "<p>Dredging starts in January.</p>\n<p>The channel will be deeper.</p>\n",
            "<div>\n      <p>Dredging starts in January.</p>\n      <p>The channel will be deeper.</p>\n</div>",
            "<p> Dredging starts in January. </p>\r\n\t<p>The channel will be deeper.\n</p>",
        ] {
            let other = other.replace("<div>", "").replace("</div>", "");
            assert_eq!(html_as_read(one), html_as_read(&other), "{other}");
        }
        assert_eq!(
            html_as_read("<div>\n  <p>a</p>\n</div>"),
            html_as_read("<div><p>a</p></div>")
        );
        // White space a reader sees: between words and inline elements, a
        // no-break space, a preformatted line's indent.
        for (html, edited) in [
            ("<p>a <b>b</b></p>", "<p>a<b>b</b></p>"),
            ("<p>a b</p>", "<p>ab</p>"),
            ("<p>\u{a0}a</p>", "<p>a</p>"),
            (
                "<pre><code>  x\n  y</code></pre>",
                "<pre><code>x\ny</code></pre>",
            ),
        ] {
            assert_ne!(html_as_read(html), html_as_read(edited), "{html}");
        }
        assert_eq!(
            html_as_read_with_its_white_space("<p>a</p>\n<p>b</p>"),
            "<p>a</p>\n<p>b</p>"
        );
    }

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
