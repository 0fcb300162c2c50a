//! Cross-page boilerplate, as the fold meets it: before an article read
//! from an HTML page is folded, the paragraphs its site printed on at least
//! [`MIN_PAGES`] of its pages counted before it are dropped
//! ([`boilerplate::drop_template`]), and the page is counted, all in the
//! source's transaction. The counts live in the store, so a site's template
//! is known across runs; a page read again sees the same pages before it
//! and loses the same paragraphs. A page is counted by the link it gives
//! itself (`counted_page`), so the same page saved again under another
//! file name, or reached under another address, is still one page.

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
    let page = counted_page(writer, site_page, article)?;
    let counts = writer.site_paragraph_counts(&site_page.site, &page, &keys)?;
    let dropped = boilerplate::drop_template(article, &counts, MIN_PAGES);
    writer.count_site_page(&site_page.site, &page, &keys)?;
    Ok(dropped)
}

/// The name `article`, read from `site_page`, is counted under among its
/// site's pages: the link it gives itself (a page's canonical link), so two
/// files or addresses holding one page are one page of the site; else, or
/// when the page was counted under its URL or file already (as pages were
/// before), that URL or file.
fn counted_page(
    writer: &mut dyn SourceWriter,
    site_page: &SitePage,
    article: &Article,
) -> Result<String, StoreError> {
    let read_at = &site_page.page;
    Ok(match article.link.as_deref() {
        Some(link) if !writer.site_page_counted(&site_page.site, read_at)? => link.to_string(),
        _ => read_at.clone(),
    })
}
