//! Whether HTML is inert: tokenized as a browser would, it holds no element
//! that runs, styles or loads anything from elsewhere, no event handler,
//! `style` or `srcdoc` attribute, and no link or image to a scheme other
//! than http, https and mailto. Shared by the hostile-input tests and the
//! html fuzz target.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

const FORBIDDEN: &[&str] = &[
    "applet", "base", "button", "embed", "form", "frame", "frameset", "iframe", "input", "link",
    "math", "meta", "noembed", "noframes", "noscript", "object", "script", "select", "style",
    "svg", "template", "textarea",
];

#[derive(Default)]
struct Findings(RefCell<Vec<String>>);

impl TokenSink for Findings {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let name = tag.name.to_string();
            if FORBIDDEN.contains(&name.as_str()) {
                self.0.borrow_mut().push(format!("<{name}>"));
            }
            for attribute in &tag.attrs {
                let key = attribute.name.local.to_string();
                let value = attribute
                    .value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let url = matches!(
                    key.as_str(),
                    "href" | "src" | "cite" | "action" | "formaction" | "data" | "poster"
                );
                let bad_url = url
                    && value.contains(':')
                    && !["http:", "https:", "mailto:"]
                        .iter()
                        .any(|scheme| value.starts_with(scheme));
                if key.starts_with("on") || key == "style" || key == "srcdoc" || bad_url {
                    self.0
                        .borrow_mut()
                        .push(format!("<{name} {key}={:?}>", attribute.value));
                }
            }
        }
        TokenSinkResult::Continue
    }
}

/// What in `html` a browser would run, style or load from elsewhere; empty
/// when it is inert.
pub fn findings(html: &str) -> Vec<String> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Findings::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}
