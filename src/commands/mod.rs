//! What the commands that read rather than fold print: `parse` (how inputs
//! map to articles), `dups` (which copies were folded into which article)
//! and `sources` (OPML import and export of the configured sources).

pub mod dups;
pub mod parse;
pub mod sources;
