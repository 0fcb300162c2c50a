//! Ingest: turning what sources hold into normalized [`Article`]s.
//!
//! - `source`: the [`Source`] interface every input kind implements, and
//!   [`source::from_config`], where a `[[source]]` becomes one;
//! - the kinds: `dump_files` (scraped dumps by path or glob),
//!   `feed_document` (a feed by URL or file; `full_text` completes its
//!   entries from their pages), `page_files` (HTML article pages by path or
//!   glob), `sitemap_pages` (the pages a sitemap lists, read by `sitemap`),
//!   `pushed` (articles pushed over the API, as JSON or as a dump);
//! - the readers: `dump` reads scraped dumps (with `lines`, `utf8_input`
//!   and `date`),
//!   `feed` reads RSS, Atom and JSON Feed documents, `sanitize` cleans their
//!   HTML and turns it into plain-text body blocks, `page` finds the article
//!   in an HTML page (and folds it as dumps fold);
//! - fetching: `fetch` brings documents over HTTP or from files, with
//!   limits and conditional GET; `page_fetch` fetches the pages documents
//!   name, a few per host at a time; `fetch_state` is what is remembered
//!   between fetches and the backoff policy over it.
//!
//! [`Article`]: crate::model::Article

pub mod date;
pub mod dump;
pub mod dump_files;
pub mod feed;
pub mod feed_document;
pub mod fetch;
pub mod fetch_state;
pub mod full_text;
pub mod lines;
pub mod listed_pages;
pub mod page;
pub mod page_fetch;
pub mod page_files;
pub mod picture;
pub mod pushed;
pub mod sanitize;
mod shown_text;
pub mod sitemap;
pub mod sitemap_pages;
pub mod source;
mod tag_attributes;
mod utf8_input;

pub use dump::{DumpReader, FoldStats, TextError};
pub use dump_files::{open_dump, source_files};
pub use source::Source;
