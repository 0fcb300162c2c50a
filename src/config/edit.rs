//! Editing the config file in place (`sources import`): one edit at a
//! time. The file the config names (through symlinks) is locked from the
//! moment it is read until its replacement is renamed over it, so two
//! feedfold processes editing it take turns and each edits the other's
//! result; and the replacement is only written while the file is still
//! the one read, so a change another program made meanwhile is never
//! silently undone.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{ConfigError, config_text};
use crate::lock_wait::{Lock, lock_telling_of_the_wait};

/// The config file, read and locked against every other feedfold process
/// that edits it until it is replaced or dropped.
#[derive(Debug)]
pub struct LockedConfig {
    /// The path the config was named by.
    path: PathBuf,
    /// The file that path names, through any symlinks.
    target: PathBuf,
    /// That file, open and locked.
    held: File,
    /// Its text when locked.
    text: String,
}

/// The config could not be replaced.
#[derive(Debug, Error)]
pub enum ReplaceError {
    #[error(
        "it changed since feedfold read it (another program wrote it): nothing was written; run the command again"
    )]
    ChangedSinceRead,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl LockedConfig {
    /// Locks and reads the config at `path`, waiting (and telling of a
    /// long wait) while another feedfold process edits it.
    pub fn lock(path: &Path) -> Result<LockedConfig, ConfigError> {
        let read_error = |cause| ConfigError::Read {
            path: path.to_path_buf(),
            cause,
        };
        loop {
            let target = std::fs::canonicalize(path).map_err(read_error)?;
            let held = File::open(&target).map_err(read_error)?;
            let lock = Lock {
                file: &target,
                guards: "the config",
                holder_is: "editing it",
            };
            lock_telling_of_the_wait(&held, lock).map_err(read_error)?;
            // The process this one waited for may have replaced the file:
            // the lock is then on one the path no longer names.
            if !still_named_by(&held, &target, path).map_err(read_error)? {
                continue;
            }
            let mut bytes = Vec::new();
            (&held).read_to_end(&mut bytes).map_err(read_error)?;
            let text = config_text(bytes, path)?;
            return Ok(LockedConfig {
                path: path.to_path_buf(),
                target,
                held,
                text,
            });
        }
    }

    /// The path the config was named by.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The config's text as read when it was locked.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the config with `bytes`, then unlocks it: through a
    /// symlink, the file it points to; atomically, by a temporary file
    /// beside it renamed over it; keeping its permissions and, for root,
    /// its owner and group, so a private config stays private and the file
    /// the services read is the one that changes. Refused, writing
    /// nothing, when the file is no longer as it was read.
    pub fn replace(mut self, bytes: &[u8]) -> Result<(), ReplaceError> {
        if !self.unchanged()? {
            return Err(ReplaceError::ChangedSinceRead);
        }
        let metadata = self.held.metadata()?;
        let folder = self.target.parent().unwrap_or(Path::new("/"));
        let prefix = format!(
            ".{}.",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
        );
        let mut temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            // Created no more open than the file it replaces.
            .permissions(metadata.permissions())
            .tempfile_in(folder)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::fchown(temp.as_file(), Some(metadata.uid()), Some(metadata.gid()))?;
        }
        temp.as_file().set_permissions(metadata.permissions())?;
        temp.write_all(bytes)?;
        temp.as_file().sync_all()?;
        temp.persist(&self.target).map_err(|e| e.error)?;
        File::open(folder)?.sync_all()?;
        // Dropping the held file unlocks it, after the rename: a process
        // waiting for it then finds the new file and locks that.
        Ok(())
    }

    /// Whether the path still names the held file, holding the text read.
    fn unchanged(&mut self) -> std::io::Result<bool> {
        if !still_named_by(&self.held, &self.target, &self.path)? {
            return Ok(false);
        }
        let mut now = Vec::new();
        self.held.rewind()?;
        self.held.read_to_end(&mut now)?;
        Ok(now == self.text.as_bytes())
    }
}

/// Whether `path` still names `held`, the file `target` named.
fn still_named_by(held: &File, target: &Path, path: &Path) -> std::io::Result<bool> {
    let same_target = match std::fs::canonicalize(path) {
        Ok(now) => now == target,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let (held, named) = (held.metadata()?, std::fs::metadata(target)?);
    Ok(same_target && held.dev() == named.dev() && held.ino() == named.ino())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    /// Appends `line` to the config at `path` while holding it, as an
    /// import does.
    fn append(path: &Path, line: &str) {
        let config = LockedConfig::lock(path).unwrap();
        let text = format!("{}{line}\n", config.text());
        config.replace(text.as_bytes()).unwrap();
    }

    #[test]
    fn edits_at_once_take_turns_and_none_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join("config.toml"));
        std::fs::write(&*path, "# edits\n").unwrap();
        let start = Arc::new(Barrier::new(8));
        let editors: Vec<_> = (0..8)
            .map(|n| {
                let (path, start) = (Arc::clone(&path), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    for round in 0..10 {
                        append(&path, &format!("# editor {n} round {round}"));
                    }
                })
            })
            .collect();
        for editor in editors {
            editor.join().unwrap();
        }
        let text = std::fs::read_to_string(&*path).unwrap();
        assert_eq!(text.lines().count(), 1 + 8 * 10, "{text}");
    }

    #[test]
    fn a_config_another_program_changed_meanwhile_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "# mine\n").unwrap();
        let config = LockedConfig::lock(&path).unwrap();
        std::fs::write(&path, "# theirs\n").unwrap();
        let err = config.replace(b"# mine, edited\n").unwrap_err();
        assert!(matches!(err, ReplaceError::ChangedSinceRead), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# theirs\n");

        let config = LockedConfig::lock(&path).unwrap();
        let replacement = dir.path().join("new.toml");
        std::fs::write(&replacement, "# theirs\n").unwrap();
        std::fs::rename(&replacement, &path).unwrap();
        let err = config.replace(b"# theirs, edited\n").unwrap_err();
        assert!(
            matches!(err, ReplaceError::ChangedSinceRead),
            "a file renamed over it, though with the same text: {err}"
        );
    }
}
