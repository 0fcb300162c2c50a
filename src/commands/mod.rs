//! What the commands that read rather than fold print: `parse` (how inputs
//! map to articles), `dups` (which copies were folded into which article),
//! `sources` (OPML import and export of the configured sources),
//! `source_status` (`sources` and `sources reset`: each source's fetch
//! state), `source_rename` (`sources rename`: the names checked, what was
//! carried over) and `store_copy` (`store copy`: which stores, what was
//! copied).
//! [`headline`] is how the text output of each shows a headline.

pub mod dups;
pub mod headline;
pub mod parse;
pub mod source_rename;
pub mod source_status;
pub mod sources;
pub mod store_copy;
