//! The shared samples beside the project (`../shared`), read in place and
//! never copied: a test that needs them skips with a message when they are
//! absent, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};

/// The folder `relative` of the shared samples beside the project (read in
/// place, never copied), if it is there. Absent, the calling test skips what
/// needs it with a message, except under `CI=true`, where it fails.
pub fn shared_dir(relative: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing and CI=true: the tests that read it cannot run",
            dir.display()
        );
    }
    eprintln!("skipped: {} is absent", dir.display());
    None
}
