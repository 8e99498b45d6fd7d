//! What every test binary uses: the bound on every wait, and scratch folders. Nothing in
//! `common/` sleeps; every wait has a deadline.

use std::path::PathBuf;
use std::time::Duration;

/// How long any single wait in a test may take before it fails.
pub const WAIT: Duration = Duration::from_secs(15);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty folder under the target directory (kept after the test for inspection).
pub fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target/test-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
