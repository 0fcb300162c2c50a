//! A small tmpfs mounted for a test that needs a disk to fill: mounting
//! needs root, which CI has; elsewhere the test says it skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small tmpfs, unmounted when dropped.
pub struct SmallDisk(PathBuf);

impl SmallDisk {
    /// Mounts a tmpfs of `size` (`1m`, `64k`) at `at`; `None` when it
    /// cannot be mounted and `CI` is not `true` (the caller skips, saying
    /// so); under `CI=true` a disk that cannot be mounted fails the test.
    pub fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                !std::env::var("CI").is_ok_and(|v| v == "true"),
                "cannot mount a tmpfs to fill, and CI=true"
            );
            eprintln!("skipped: mounting a small tmpfs needs root");
        }
        ok.then(|| SmallDisk(at.to_path_buf()))
    }

    /// Mounts the disk again read-only, as systemd's `ProtectSystem=strict`
    /// makes a path without `ReadWritePaths=`.
    pub fn make_read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount {} read-only", self.0.display());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}
