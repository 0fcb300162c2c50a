//! The dump source: the scraped text dumps a path or a glob names, each file
//! a unit read as a stream by [`DumpReader`] (one article in memory at a
//! time, whatever the file's size).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::dump::DumpReader;
use super::source::{Batch, GatherContext, Gathered, Gathering, ReadError, Source, Unit};
use crate::model::Article;

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

/// A file that could not be opened.
#[derive(Debug, Error)]
#[error("{path}: {cause}")]
pub struct OpenError {
    pub path: String,
    pub cause: std::io::Error,
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

/// Opens a dump file for streaming, named `location` in its articles'
/// origin and in errors.
pub fn open_dump(path: &Path, location: String) -> Result<DumpReader<BufReader<File>>, OpenError> {
    let file = File::open(path).map_err(|cause| OpenError {
        path: location.clone(),
        cause,
    })?;
    Ok(DumpReader::new(
        BufReader::with_capacity(256 * 1024, file),
        location,
    ))
}

/// Where a file of a source is, as its articles record it and errors name
/// it: relative to the config file's folder `folder` when it lies there,
/// so that one file is one place however the config was named (`-c
/// config.toml` from its folder, `-c /etc/feedfold/config.toml`).
pub fn file_location(path: &Path, folder: &Path) -> String {
    let relative = path.strip_prefix(folder).unwrap_or(path);
    relative
        .strip_prefix(".")
        .unwrap_or(relative)
        .display()
        .to_string()
}

/// A `text = "…"` source.
pub struct DumpFiles {
    name: String,
    pattern: PathBuf,
    folder: PathBuf,
}

impl DumpFiles {
    /// The dumps `pattern` names; `folder` is the config file's folder.
    pub fn new(name: &str, pattern: &Path, folder: &Path) -> DumpFiles {
        DumpFiles {
            name: name.to_string(),
            pattern: pattern.to_path_buf(),
            folder: folder.to_path_buf(),
        }
    }
}

impl Source for DumpFiles {
    fn name(&self) -> &str {
        &self.name
    }

    fn gather(self: Box<Self>, _: GatherContext) -> Gathering {
        file_units(self.name, self.pattern, self.folder, |path, location| {
            DumpFile::open(path, location).map(|unit| Box::new(unit) as Box<dyn Unit>)
        })
    }
}

/// The batch of a source of files: the files `pattern` names are listed,
/// and each opened by `open` with its [`file_location`] against `folder`,
/// when the fold reaches them.
pub(super) fn file_units(
    name: String,
    pattern: PathBuf,
    folder: PathBuf,
    open: fn(PathBuf, String) -> Result<Box<dyn Unit>, ReadError>,
) -> Gathering {
    let mut files: Option<std::vec::IntoIter<PathBuf>> = None;
    let units = std::iter::from_fn(move || {
        let remaining = match &mut files {
            Some(remaining) => remaining,
            None => match source_files(&pattern) {
                Ok(found) => {
                    // An empty drop folder is no problem: said at info,
                    // so `run --quiet` stays silent.
                    if found.is_empty() {
                        tracing::info!(source = %name, pattern = %pattern.display(), "no files match");
                    }
                    files.insert(found.into_iter())
                }
                Err(e) => {
                    files = Some(Vec::new().into_iter());
                    return Some(Err(ReadError::from(e)));
                }
            },
        };
        let path = remaining.next()?;
        let location = file_location(&path, &folder);
        Some(open(path, location))
    });
    Box::pin(std::future::ready(Gathered::Batch(Batch::new(units))))
}

/// One dump file being read.
struct DumpFile {
    path: PathBuf,
    size: u64,
    reader: DumpReader<BufReader<File>>,
}

impl DumpFile {
    fn open(path: PathBuf, location: String) -> Result<DumpFile, ReadError> {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let reader = open_dump(&path, location)?;
        Ok(DumpFile { path, size, reader })
    }
}

impl Iterator for DumpFile {
    type Item = Result<Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.reader
            .next()
            .map(|article| article.map_err(ReadError::from))
    }
}

impl Unit for DumpFile {
    fn file(&self) -> Option<(&Path, u64)> {
        Some((&self.path, self.size))
    }

    fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    fn repeats_folded(&self) -> usize {
        self.reader.stats().repeats_folded
    }
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
