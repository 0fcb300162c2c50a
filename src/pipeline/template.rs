//! Cross-page boilerplate, as the fold meets it: before an article read
//! from an HTML page is folded, the paragraphs its site printed on at least
//! [`MIN_PAGES`] of its pages counted before it are dropped
//! ([`boilerplate::drop_template`]), and the page is counted, all in the
//! source's transaction. The counts live in the store, so a site's template
//! is known across runs; a page read again sees the same pages before it
//! and loses the same paragraphs.

use crate::ingest::page::boilerplate::{self, MIN_PAGES};
use crate::ingest::source::SitePage;
use crate::model::Article;
use crate::store::{SourceWriter, StoreError};

/// Drops `site_page`'s template paragraphs from `article` and counts the
/// page; how many paragraphs it dropped.
pub fn drop_site_template(
    writer: &mut dyn SourceWriter,
    site_page: &SitePage,
    article: &mut Article,
) -> Result<usize, StoreError> {
    let keys = boilerplate::paragraph_keys(article);
    let counts = writer.site_paragraph_counts(&site_page.site, &site_page.page, &keys)?;
    let dropped = boilerplate::drop_template(article, &counts, MIN_PAGES);
    writer.count_site_page(&site_page.site, &site_page.page, &keys)?;
    Ok(dropped)
}
