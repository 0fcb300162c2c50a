//! Ingest: turning what sources hold into normalized [`Article`]s.
//! `text` reads scraped dumps; `lines` and `date` are its helpers. `fetch`
//! brings feed documents over HTTP or from files; `feed` reads RSS, Atom and
//! JSON Feed documents; `html` sanitizes their HTML and turns it into
//! plain-text body blocks.
//!
//! [`Article`]: crate::model::Article

pub mod date;
pub mod feed;
pub mod fetch;
pub mod sanitize;
pub mod lines;
pub mod dump;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use dump::{DumpReader, FoldStats, TextError};

/// A text source's pattern could not be expanded into files.
#[derive(Debug, Error)]
pub enum SourceFilesError {
    #[error("`{pattern}` is not a valid path or glob: {message}")]
    BadPattern { pattern: String, message: String },
    #[error("{path}: no such file")]
    Missing { path: String },
    #[error("{path}: not a regular file")]
    NotAFile { path: String },
    #[error("{path}: cannot list: {message}")]
    Unreadable { path: String, message: String },
}

/// Expands a text source's path or glob (already resolved against the
/// config's folder) into the files it names, sorted so every run reads them
/// in the same order. A plain path that does not exist is an error; a glob
/// that matches nothing is an empty list.
pub fn source_files(pattern: &Path) -> Result<Vec<PathBuf>, SourceFilesError> {
    let text = pattern.to_string_lossy();
    let is_glob = text.contains(['*', '?', '[']);
    if !is_glob {
        return match std::fs::metadata(pattern) {
            Ok(metadata) if metadata.is_file() => Ok(vec![pattern.to_path_buf()]),
            // A device or a FIFO could be read for ever.
            Ok(_) => Err(SourceFilesError::NotAFile {
                path: text.into_owned(),
            }),
            Err(_) => Err(SourceFilesError::Missing {
                path: text.into_owned(),
            }),
        };
    }
    let entries = glob::glob(&text).map_err(|e| SourceFilesError::BadPattern {
        pattern: text.to_string(),
        message: e.to_string(),
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| SourceFilesError::Unreadable {
            path: e.path().display().to_string(),
            message: e.error().to_string(),
        })?;
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Opens a dump file for streaming.
pub fn open_dump(path: &Path) -> std::io::Result<DumpReader<BufReader<File>>> {
    let file = File::open(path)?;
    Ok(DumpReader::new(
        BufReader::with_capacity(256 * 1024, file),
        path.display().to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_must_be_a_regular_file() {
        let err = source_files(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.to_string(), "/dev/zero: not a regular file");
        let err = source_files(Path::new("/no/such/dump.txt")).unwrap_err();
        assert_eq!(err.to_string(), "/no/such/dump.txt: no such file");
    }
}
