//! The dump source: the scraped text dumps a path or a glob names, each file
//! a unit read as a stream by [`DumpReader`] (one article in memory at a
//! time, whatever the file's size).

use std::fs::File;
use std::io::BufReader;
use std::path::{Component, Path, PathBuf};

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
/// that matches nothing is an empty list. A path that exists is read as
/// itself, and brackets that select nothing are read as part of a name, so
/// `dumps/report [copy].txt` and `dumps/in [2025]/*.txt` name their files.
pub fn source_files(pattern: &Path) -> Result<Vec<PathBuf>, SourceFilesError> {
    let text = pattern.to_string_lossy();
    let is_glob = text.contains(['*', '?', '[']);
    if !is_glob || std::fs::symlink_metadata(pattern).is_ok() {
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
    let files = glob_files(&text)?;
    if !files.is_empty() || !text.contains('[') {
        return Ok(files);
    }
    let literal: String = text
        .chars()
        .map(|c| match c {
            '[' => "[[]".to_string(),
            ']' => "[]]".to_string(),
            c => c.to_string(),
        })
        .collect();
    let files = glob_files(&literal)?;
    if files.is_empty() && !text.contains(['*', '?']) {
        // Brackets only, and no file by either reading: a path that is missing.
        return Err(SourceFilesError::Missing {
            path: text.into_owned(),
        });
    }
    Ok(files)
}

/// The regular files `pattern` matches, sorted.
fn glob_files(pattern: &str) -> Result<Vec<PathBuf>, SourceFilesError> {
    let entries = glob::glob(pattern).map_err(|e| SourceFilesError::BadPattern {
        pattern: pattern.to_string(),
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
/// config.toml` from its folder, `-c /etc/feedfold/config.toml`) and
/// however the glob was written (`dumps/*.txt`, `/srv/site/dumps/*.txt`);
/// else its full path. Both paths are compared made absolute with `.` and
/// `..` removed, and, only when that does not place the file in the
/// folder, with their symlinks resolved too.
pub fn file_location(path: &Path, folder: &Path) -> String {
    let path = normalized(path);
    let folder = normalized(folder);
    if let Ok(relative) = path.strip_prefix(&folder) {
        return relative.display().to_string();
    }
    let resolved = (std::fs::canonicalize(&path), std::fs::canonicalize(&folder));
    if let (Ok(real_path), Ok(real_folder)) = resolved
        && let Ok(relative) = real_path.strip_prefix(&real_folder)
    {
        return relative.display().to_string();
    }
    path.display().to_string()
}

/// `path` made absolute against the working folder (an empty path is that
/// folder), with `.` and `..` taken away as written (symlinks are not
/// resolved).
fn normalized(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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
    fn brackets_in_a_name_are_part_of_it_when_they_select_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("report [copy].txt");
        std::fs::write(&copy, "Headline\n").unwrap();
        assert_eq!(source_files(&copy).unwrap(), [copy]);
        let year = dir.path().join("in [2025]");
        std::fs::create_dir(&year).unwrap();
        std::fs::write(year.join("a.txt"), "Headline\n").unwrap();
        std::fs::write(year.join("b.txt"), "Headline\n").unwrap();
        assert_eq!(
            source_files(&year.join("*.txt")).unwrap(),
            [year.join("a.txt"), year.join("b.txt")]
        );
        // Brackets that select files still select.
        std::fs::write(dir.path().join("desk1.txt"), "Headline\n").unwrap();
        std::fs::write(dir.path().join("desk2.txt"), "Headline\n").unwrap();
        assert_eq!(
            source_files(&dir.path().join("desk[2].txt")).unwrap(),
            [dir.path().join("desk2.txt")]
        );
        // A bracketed name that is not there is missing, not an empty glob.
        let err = source_files(&dir.path().join("report [old].txt")).unwrap_err();
        assert!(matches!(err, SourceFilesError::Missing { .. }), "{err}");
        // A glob that matches nothing either way stays empty.
        assert!(
            source_files(&dir.path().join("none [x]/*.txt"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_file_is_one_place_however_its_path_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let site = root.join("site");
        std::fs::create_dir_all(site.join("dumps")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(site.join("dumps/a.txt"), "Headline\n").unwrap();
        std::fs::write(root.join("shared/x.txt"), "Headline\n").unwrap();
        let inside = ["dumps/a.txt", "./dumps/a.txt", "dumps/../dumps/a.txt"];
        for written in inside {
            assert_eq!(file_location(&site.join(written), &site), "dumps/a.txt");
        }
        assert_eq!(
            file_location(&site.join("dumps/a.txt"), &root.join("site/../site/.")),
            "dumps/a.txt"
        );
        let outside = root.join("shared/x.txt").display().to_string();
        assert_eq!(file_location(&site.join("../shared/x.txt"), &site), outside);
        assert_eq!(file_location(&root.join("shared/x.txt"), &site), outside);
        // A folder named through a symlink holds the files of its target.
        let link = root.join("link");
        std::os::unix::fs::symlink(&site, &link).unwrap();
        assert_eq!(
            file_location(&site.join("dumps/a.txt"), &link),
            "dumps/a.txt"
        );
    }

    #[test]
    fn a_relative_path_is_taken_from_the_working_folder() {
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            file_location(Path::new("dumps/a.txt"), Path::new("")),
            "dumps/a.txt"
        );
        assert_eq!(
            file_location(&here.join("dumps/a.txt"), Path::new(".")),
            "dumps/a.txt"
        );
        assert_eq!(
            file_location(Path::new("../shared/x.txt"), Path::new("")),
            here.parent()
                .unwrap()
                .join("shared/x.txt")
                .display()
                .to_string()
        );
    }

    #[test]
    fn a_plain_path_must_be_a_regular_file() {
        let err = source_files(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.to_string(), "/dev/zero: not a regular file");
        let err = source_files(Path::new("/no/such/dump.txt")).unwrap_err();
        assert_eq!(err.to_string(), "/no/such/dump.txt: no such file");
    }
}
