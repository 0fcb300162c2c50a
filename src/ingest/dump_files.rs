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
}

/// A folder a glob reached but could not list (a subfolder another user
/// owns): an error of its source, whose other files are still read.
#[derive(Debug, Error)]
#[error("{path}: cannot list: {message}")]
pub struct UnlistedFolder {
    pub path: String,
    pub message: String,
}

/// The files a text source's pattern names, and the folders it could not
/// look into for more.
#[derive(Debug)]
pub struct SourceFiles {
    pub files: Vec<PathBuf>,
    pub unlisted: Vec<UnlistedFolder>,
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
/// that matches nothing is an empty list, and a folder it cannot list is
/// named in [`SourceFiles::unlisted`] while the rest is still matched; a
/// symbolic link it matches whose target is gone is listed, to fail as a
/// file that cannot be opened. A
/// path that exists is read as itself, and brackets that select nothing
/// are read as part of a name, so `dumps/report [copy].txt` and
/// `dumps/in [2025]/*.txt` name their files.
pub fn source_files(pattern: &Path) -> Result<SourceFiles, SourceFilesError> {
    let text = pattern.to_string_lossy();
    let is_glob = text.contains(['*', '?', '[']);
    if !is_glob || std::fs::symlink_metadata(pattern).is_ok() {
        return match std::fs::metadata(pattern) {
            Ok(metadata) if metadata.is_file() => Ok(SourceFiles {
                files: vec![pattern.to_path_buf()],
                unlisted: Vec::new(),
            }),
            // A device or a FIFO could be read for ever.
            Ok(_) => Err(SourceFilesError::NotAFile {
                path: text.into_owned(),
            }),
            Err(_) => Err(SourceFilesError::Missing {
                path: text.into_owned(),
            }),
        };
    }
    let found = glob_files(pattern, Brackets::Select)?;
    if !found.files.is_empty() || !text.contains('[') {
        return Ok(found);
    }
    let found = glob_files(pattern, Brackets::Literal)?;
    if found.files.is_empty() && found.unlisted.is_empty() && !text.contains(['*', '?']) {
        // Brackets only, and no file by either reading: a path that is missing.
        return Err(SourceFilesError::Missing {
            path: text.into_owned(),
        });
    }
    Ok(found)
}

/// Wildcards match as a shell's do: not a name's leading dot, so a
/// scraper's hidden work file (`.partial.txt`, renamed when whole) is not
/// read half-written; a pattern that starts with a dot matches one.
const SHELL_MATCHING: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

/// Whether a glob's brackets select characters or are part of a name.
#[derive(Clone, Copy)]
enum Brackets {
    Select,
    Literal,
}

/// Checks a path or glob as [`source_files`] will read it: the message of
/// the first part malformed in its wildcards (`**x`). Brackets never are:
/// those that cannot select (an unmatched `[`) are part of a name.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    for part in Path::new(pattern).components() {
        let name = part.as_os_str().to_string_lossy();
        if name.contains(['*', '?', '[']) && name != "**" {
            part_pattern(&name, Brackets::Select).map_err(|e| format!("`{name}`: {}", e.msg))?;
        }
    }
    Ok(())
}

/// The pattern one part `name` of a glob stands for. Its brackets select
/// characters, unless they cannot (an unmatched `[`) or `brackets` says
/// they are part of the name; so only wildcards malformed in themselves
/// (`**x`) are an error.
fn part_pattern(name: &str, brackets: Brackets) -> Result<glob::Pattern, glob::PatternError> {
    if let Brackets::Select = brackets
        && let Ok(pattern) = glob::Pattern::new(name)
    {
        return Ok(pattern);
    }
    let literal: String = name
        .chars()
        .map(|c| match c {
            '[' => "[[]".to_string(),
            ']' => "[]]".to_string(),
            c => c.to_string(),
        })
        .collect();
    glob::Pattern::new(&literal)
}

/// The regular files `pattern` matches, sorted, and the folders it could
/// not list. Each part of the pattern that holds a wildcard is matched
/// against the names in its folder, so a folder or file whose name is not
/// UTF-8 (an old scraper's Latin-1 file names) is matched by its readable
/// form and read by its own name.
fn glob_files(pattern: &Path, brackets: Brackets) -> Result<SourceFiles, SourceFilesError> {
    let bad = |message: String| SourceFilesError::BadPattern {
        pattern: pattern.to_string_lossy().into_owned(),
        message,
    };
    let mut unlisted = Vec::new();
    let mut reached = vec![PathBuf::new()];
    for part in pattern.components() {
        let name = part.as_os_str().to_string_lossy();
        if !name.contains(['*', '?', '[']) {
            for path in &mut reached {
                path.push(part);
            }
            continue;
        }
        let mut next = Vec::new();
        if name == "**" {
            for path in reached {
                folders_within(&path, &mut next, &mut unlisted);
            }
        } else {
            let wanted =
                part_pattern(&name, brackets).map_err(|e| bad(format!("`{name}`: {}", e.msg)))?;
            for path in reached {
                for entry in listed(&path, &mut unlisted) {
                    if wanted.matches_with(&entry.file_name().to_string_lossy(), SHELL_MATCHING) {
                        next.push(path.join(entry.file_name()));
                    }
                }
            }
        }
        reached = next;
    }
    let mut files: Vec<PathBuf> = reached
        .into_iter()
        .filter(|p| p.is_file() || dangling_link(p))
        .collect();
    files.sort();
    files.dedup();
    Ok(SourceFiles { files, unlisted })
}

/// Whether `path` is a symbolic link whose target is gone (a file deleted,
/// a share unmounted): matched, it is kept with the files, so that opening
/// it names it as missing rather than the glob passing over it in silence.
fn dangling_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err()
}

/// The folder a glob starts from: its parts before the first that holds a
/// wildcard (the working folder when that is the first).
fn glob_folder(pattern: &Path) -> PathBuf {
    let fixed: PathBuf = pattern
        .components()
        .take_while(|part| !part.as_os_str().to_string_lossy().contains(['*', '?', '[']))
        .collect();
    if fixed.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        fixed
    }
}

/// The entries of `folder`; none when it is missing or no folder (a glob
/// then matches nothing there). A folder that cannot be listed, wholly or
/// past some entries, is added to `unlisted` (once, however often a glob
/// reaches it) with the entries it gave.
fn listed(folder: &Path, unlisted: &mut Vec<UnlistedFolder>) -> Vec<std::fs::DirEntry> {
    let shown = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let mut unreadable = |e: std::io::Error| {
        let path = shown.display().to_string();
        if !unlisted.iter().any(|folder| folder.path == path) {
            unlisted.push(UnlistedFolder {
                path,
                message: e.to_string(),
            });
        }
    };
    match std::fs::read_dir(shown) {
        Ok(entries) => {
            let mut found = Vec::new();
            for entry in entries {
                match entry {
                    Ok(entry) => found.push(entry),
                    Err(e) => {
                        unreadable(e);
                        break;
                    }
                }
            }
            found
        }
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Vec::new()
        }
        Err(e) => {
            unreadable(e);
            Vec::new()
        }
    }
}

/// `folder` and every folder below it (`**`) but hidden ones, symbolic
/// links to folders followed as a shell's `**` does; a folder met again
/// (a link back up) is not entered twice, so no link can loop. Folders
/// that cannot be listed are added to `unlisted`.
fn folders_within(folder: &Path, out: &mut Vec<PathBuf>, unlisted: &mut Vec<UnlistedFolder>) {
    let mut entered = std::collections::HashSet::new();
    walk_folders(folder, out, &mut entered, unlisted)
}

/// [`folders_within`] for one folder, `entered` holding the folders
/// (device and inode) already walked.
fn walk_folders(
    folder: &Path,
    out: &mut Vec<PathBuf>,
    entered: &mut std::collections::HashSet<(u64, u64)>,
    unlisted: &mut Vec<UnlistedFolder>,
) {
    use std::os::unix::fs::MetadataExt;
    let shown = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    if let Ok(meta) = std::fs::metadata(shown)
        && !entered.insert((meta.dev(), meta.ino()))
    {
        return;
    }
    out.push(folder.to_path_buf());
    for entry in listed(folder, unlisted) {
        let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
        let path = folder.join(entry.file_name());
        if !hidden && path.is_dir() {
            walk_folders(&path, out, entered, unlisted);
        }
    }
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
        return spelled_out(relative);
    }
    let resolved = (std::fs::canonicalize(&path), std::fs::canonicalize(&folder));
    if let (Ok(real_path), Ok(real_folder)) = resolved
        && let Ok(relative) = real_path.strip_prefix(&real_folder)
    {
        return spelled_out(relative);
    }
    spelled_out(&path)
}

/// `path` as text, each byte of its name that is not UTF-8 written as
/// `\xHH`: two files whose Latin-1 names differ only in such a letter
/// (`M\xFCller.txt`, `M\xF6ller.txt`) stay two places, where the
/// replacement character would make them one.
pub fn spelled_out(path: &Path) -> String {
    let mut out = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
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
    let mut unlisted: std::vec::IntoIter<UnlistedFolder> = Vec::new().into_iter();
    let units = std::iter::from_fn(move || {
        let remaining = match &mut files {
            Some(remaining) => remaining,
            None => match source_files(&pattern) {
                Ok(found) => {
                    // An empty drop folder is no problem: said at info,
                    // so `run --quiet` stays silent. A missing one is (a
                    // share not mounted, a name mistyped): warned of, under
                    // `--quiet` too, as the operator's to fix.
                    if found.files.is_empty() && found.unlisted.is_empty() {
                        let folder = glob_folder(&pattern);
                        if folder.is_dir() {
                            tracing::info!(source = %name, pattern = %pattern.display(), "no files match");
                        } else {
                            tracing::warn!(
                                target: "feedfold::sources",
                                source = %name,
                                "{}: no such folder, so the glob `{}` reads nothing",
                                folder.display(),
                                pattern.display()
                            );
                        }
                    }
                    unlisted = found.unlisted.into_iter();
                    files.insert(found.files.into_iter())
                }
                Err(e) => {
                    files = Some(Vec::new().into_iter());
                    return Some(Err(ReadError::from(e)));
                }
            },
        };
        // A folder that cannot be listed fails like a file that cannot be
        // opened: named, and the source's other files still read.
        if let Some(folder) = unlisted.next() {
            return Some(Err(ReadError::from(folder)));
        }
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
    fn names_that_are_not_utf8_are_matched_and_read_by_their_own_name() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        // A folder and a file named in Latin-1, as old scrapers save them.
        let folder = dir.path().join(OsStr::from_bytes(b"r\xe9daction"));
        std::fs::create_dir(&folder).unwrap();
        let latin1 = folder.join(OsStr::from_bytes(b"caf\xe9.txt"));
        std::fs::write(&latin1, "Headline\n").unwrap();
        std::fs::write(folder.join("plain.txt"), "Headline\n").unwrap();
        assert_eq!(
            source_files(&folder.join("*.txt")).unwrap().files,
            [latin1.clone(), folder.join("plain.txt")]
        );
        assert_eq!(
            source_files(&dir.path().join("*/caf?.txt")).unwrap().files,
            [latin1]
        );
    }

    #[test]
    fn names_that_differ_only_in_bytes_that_are_not_utf8_are_two_places() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let site = Path::new("/srv/site");
        let place = |name: &[u8]| file_location(&site.join(OsStr::from_bytes(name)), site);
        // Müller.txt and Möller.txt as Latin-1 wrote them.
        assert_eq!(place(b"dumps/M\xfcller.txt"), "dumps/M\\xFCller.txt");
        assert_eq!(place(b"dumps/M\xf6ller.txt"), "dumps/M\\xF6ller.txt");
        assert_eq!(place("dumps/Müller.txt".as_bytes()), "dumps/Müller.txt");
        assert_eq!(
            file_location(Path::new(OsStr::from_bytes(b"/mnt/r\xe9d/a.txt")), site),
            "/mnt/r\\xE9d/a.txt"
        );
    }

    #[test]
    fn a_glob_starts_from_its_parts_before_the_first_wildcard() {
        assert_eq!(
            glob_folder(Path::new("/mnt/share/dumps/*.txt")),
            Path::new("/mnt/share/dumps")
        );
        assert_eq!(
            glob_folder(Path::new("dumps/**/day-?/*.txt")),
            Path::new("dumps")
        );
        assert_eq!(glob_folder(Path::new("*.txt")), Path::new("."));
    }

    #[test]
    fn a_double_star_reaches_every_folder_below() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("2026/12");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join("top.txt"), "Headline\n").unwrap();
        std::fs::write(deep.join("deep.txt"), "Headline\n").unwrap();
        std::fs::write(deep.join("deep.html"), "<p>x</p>").unwrap();
        // Hidden files and folders (a scraper's work in progress) are not
        // matched by a wildcard.
        std::fs::write(deep.join(".partial.txt"), "Head").unwrap();
        std::fs::create_dir(dir.path().join(".incoming")).unwrap();
        std::fs::write(dir.path().join(".incoming/next.txt"), "Head").unwrap();
        // A linked folder is walked, and a link back up loops nowhere.
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("linked.txt"), "Headline\n").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("wire")).unwrap();
        std::os::unix::fs::symlink(dir.path(), deep.join("up")).unwrap();
        assert_eq!(
            source_files(&dir.path().join("**/*.txt")).unwrap().files,
            [
                deep.join("deep.txt"),
                dir.path().join("top.txt"),
                dir.path().join("wire/linked.txt")
            ]
        );
    }

    #[test]
    fn a_pattern_that_starts_with_a_dot_matches_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".desk.txt"), "Headline\n").unwrap();
        assert!(
            source_files(&dir.path().join("*.txt"))
                .unwrap()
                .files
                .is_empty()
        );
        assert_eq!(
            source_files(&dir.path().join(".*.txt")).unwrap().files,
            [dir.path().join(".desk.txt")]
        );
    }

    #[test]
    fn a_malformed_glob_is_named() {
        assert_eq!(check_pattern("dumps/*.txt"), Ok(()));
        assert_eq!(check_pattern("dumps/**/*.txt"), Ok(()));
        let err = check_pattern("dumps/**x/*.txt").unwrap_err();
        assert!(err.starts_with("`**x`: "), "{err}");
        assert!(check_pattern("dumps/[draft**x.txt").is_err());
        // An unmatched `[` cannot select: it is part of a name.
        assert_eq!(check_pattern("dumps/notes [draft.txt"), Ok(()));
        assert_eq!(check_pattern("dumps/in [draft/*.txt"), Ok(()));
    }

    #[test]
    fn brackets_in_a_name_are_part_of_it_when_they_select_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("report [copy].txt");
        std::fs::write(&copy, "Headline\n").unwrap();
        assert_eq!(source_files(&copy).unwrap().files, [copy]);
        let year = dir.path().join("in [2025]");
        std::fs::create_dir(&year).unwrap();
        std::fs::write(year.join("a.txt"), "Headline\n").unwrap();
        std::fs::write(year.join("b.txt"), "Headline\n").unwrap();
        assert_eq!(
            source_files(&year.join("*.txt")).unwrap().files,
            [year.join("a.txt"), year.join("b.txt")]
        );
        // Brackets that select files still select.
        std::fs::write(dir.path().join("desk1.txt"), "Headline\n").unwrap();
        std::fs::write(dir.path().join("desk2.txt"), "Headline\n").unwrap();
        assert_eq!(
            source_files(&dir.path().join("desk[2].txt")).unwrap().files,
            [dir.path().join("desk2.txt")]
        );
        // An unmatched `[`, in a file's name or a folder's.
        let draft = dir.path().join("notes [draft.txt");
        std::fs::write(&draft, "Headline\n").unwrap();
        assert_eq!(source_files(&draft).unwrap().files, [draft]);
        let drafts = dir.path().join("in [draft");
        std::fs::create_dir(&drafts).unwrap();
        std::fs::write(drafts.join("a.txt"), "Headline\n").unwrap();
        assert_eq!(
            source_files(&drafts.join("*.txt")).unwrap().files,
            [drafts.join("a.txt")]
        );
        // A bracketed name that is not there is missing, not an empty glob.
        let err = source_files(&dir.path().join("report [old].txt")).unwrap_err();
        assert!(matches!(err, SourceFilesError::Missing { .. }), "{err}");
        // A glob that matches nothing either way stays empty.
        assert!(
            source_files(&dir.path().join("none [x]/*.txt"))
                .unwrap()
                .files
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
    fn a_link_a_glob_matches_whose_target_is_gone_is_listed_to_fail_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "A").unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone/b.txt"), dir.path().join("b.txt"))
            .unwrap();
        std::fs::create_dir(dir.path().join("c.txt")).unwrap();
        let found = source_files(&dir.path().join("*.txt")).unwrap();
        assert_eq!(
            found.files,
            [dir.path().join("a.txt"), dir.path().join("b.txt")]
        );
        let Err(error) = open_dump(&found.files[1], "b.txt".into()) else {
            panic!("a link to nothing opened");
        };
        assert_eq!(error.cause.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn a_plain_path_must_be_a_regular_file() {
        let err = source_files(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.to_string(), "/dev/zero: not a regular file");
        let err = source_files(Path::new("/no/such/dump.txt")).unwrap_err();
        assert_eq!(err.to_string(), "/no/such/dump.txt: no such file");
    }
}
