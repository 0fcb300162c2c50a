//! What the commands that read rather than fold print: `parse` (how inputs
//! map to articles), `dups` (which copies were folded into which article),
//! `sources` (OPML import and export of the configured sources) and
//! `store_copy` (`store copy`: which stores, what was copied).

pub mod dups;
pub mod parse;
pub mod sources;
pub mod store_copy;
