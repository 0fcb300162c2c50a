//! feedfold: folds repeated news from scraped text dumps and upstream feeds
//! into one clean article each and publishes them as RSS 2.0, Atom 1.0 and
//! JSON Feed 1.1, as files and over HTTP.
//!
//! Data moves one way: `ingest` -> `dedup` -> `store` -> `publish`, strung
//! together by `pipeline`; `server` serves what `publish` renders.

pub mod commands;
pub mod config;
pub mod dedup;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod publish;
pub mod server;
pub mod store;
