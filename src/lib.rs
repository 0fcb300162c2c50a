//! feedfold: folds repeated news from scraped text dumps, upstream feeds and
//! pushed articles into one clean article each and publishes them as RSS
//! 2.0, Atom 1.0 and JSON Feed 1.1, as files and over HTTP.
//!
//! Data moves one way, and each module imports only from those before it:
//!
//! ```text
//! model, normalize, furniture, plural, redact, config, lock_wait  <-  ingest  <-  dedup  <-  store  <-  publish  <-  pipeline  <-  commands, server
//! ```
//!
//! - `model`, `normalize`, `furniture`, `plural`, `redact`, `config` and
//!   `lock_wait` are the foundation every stage shares: the article types,
//!   text and URL normalization, the page furniture scraped around a story,
//!   counts as a reader says them, URLs as they may be shown, the config
//!   file, waiting for another process's lock.
//! - `ingest` turns every input kind into `Article`s behind one `Source`
//!   interface (dumps, feeds, HTML article pages and sitemaps, pushed
//!   articles), and fetches.
//! - `dedup` fingerprints an article and decides, purely, what it is with
//!   respect to what the store holds.
//! - `store` answers dedup's lookups and persists its decisions, behind the
//!   `Store` trait (SQLite in `store::sqlite`).
//! - `publish` renders stored articles as feeds and writes them; it reads
//!   the model's types only, and sits before `pipeline`, which drives it.
//! - `pipeline` strings ingest, dedup, store and publish together: the one
//!   fold-and-commit loop every source goes through.
//! - `commands` (what `parse`, `dups` and `sources` print) and `server`
//!   (`feedfold serve`) are the ways out.

pub mod commands;
pub mod config;
pub mod dedup;
pub mod furniture;
pub mod ingest;
pub mod lock_wait;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod plural;
pub mod position;
pub mod publish;
pub mod redact;
pub mod server;
pub mod store;
