//! What every test binary uses: the bound on every wait, and scratch folders. Nothing in
//! `common/` sleeps; every wait has a deadline.

use std::path::{Path, PathBuf};
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

/// The transcript files (`.jsonl`) in the transcripts folder `folder` and in its class
/// folders (each server run keeps its transcripts in a folder of its own), sorted.
#[allow(dead_code)] // used by app and binary, not by net
pub fn transcript_files(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(transcript_files(&path));
        } else if path.extension().is_some_and(|x| x == "jsonl") {
            out.push(path);
        }
    }
    out.sort();
    out
}
