//! Whether the store's path still names the file a process has open. A
//! store file deleted under a process (a mistaken `rm`, a cleanup job) or
//! replaced (a backup moved into place) stays open as it was: SQLite goes
//! on reading and writing it without a word, and what it takes is lost
//! once the process closes it. Comparing the open file's device and inode
//! with those of the file at its path, one `stat` each time, tells.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::store::StoreError;

/// The store file a process has open: the path it was opened at, and the
/// device and inode of the file it opened there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFile {
    path: PathBuf,
    device: u64,
    inode: u64,
}

impl StoreFile {
    /// The file at `path` now; `None` when there is none (or it cannot be
    /// looked at).
    pub fn at(path: &Path) -> Option<StoreFile> {
        let found = std::fs::metadata(path).ok()?;
        Some(StoreFile {
            path: path.to_path_buf(),
            device: found.dev(),
            inode: found.ino(),
        })
    }

    /// The path the store was opened at.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the path still names this file: [`StoreError::Deleted`]
    /// when no file is there any more, [`StoreError::Replaced`] when
    /// another one is. A path that cannot be looked at for another reason
    /// (permissions changed) is not told as either: the file open may
    /// still be the one there, and writing it says what is wrong.
    pub fn check(&self) -> Result<(), StoreError> {
        let path = self.path.clone();
        match std::fs::metadata(&self.path) {
            Ok(now) if (now.dev(), now.ino()) == (self.device, self.inode) => Ok(()),
            Ok(_) => Err(StoreError::Replaced { path }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Deleted { path }),
            Err(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_opened_is_in_place_until_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        std::fs::write(&path, b"store").unwrap();
        let opened = StoreFile::at(&path).unwrap();
        assert!(opened.check().is_ok());
        std::fs::remove_file(&path).unwrap();
        let gone = opened.check().unwrap_err();
        assert!(matches!(gone, StoreError::Deleted { .. }), "{gone}");
        assert!(gone.to_string().contains("feedfold.db"), "{gone}");
        assert!(gone.is_unreachable());
    }

    #[test]
    fn another_file_moved_into_its_place_is_told_as_a_replacement() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        std::fs::write(&path, b"store").unwrap();
        let opened = StoreFile::at(&path).unwrap();
        let backup = dir.path().join("backup.db");
        std::fs::write(&backup, b"backup").unwrap();
        std::fs::rename(&backup, &path).unwrap();
        let replaced = opened.check().unwrap_err();
        assert!(
            matches!(replaced, StoreError::Replaced { .. }),
            "{replaced}"
        );
        assert!(replaced.is_unreachable());
        assert!(StoreFile::at(&path).unwrap().check().is_ok());
    }
}
