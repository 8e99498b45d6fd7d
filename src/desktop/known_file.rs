//! The server names reached before, per network ([`crate::core::tofu`]), kept across runs
//! in `known.json` in the data folder (`$XDG_DATA_HOME/turnchat/known.json`), private to
//! the user like the other files.
//!
//! The file is user data that anyone with the account can edit: it is read within a bound,
//! a damaged file gives no names (every name is then new again, and the file is rewritten
//! the next time a server is reached), and at most [`KNOWN_KEPT`] names are taken from it.

use std::io::Read;
use std::path::Path;

use crate::core::tofu::{KNOWN_KEPT, KnownServer, KnownServers};
use crate::desktop::files::{SaveError, write_atomic};

/// The largest file read: [`KNOWN_KEPT`] entries of generous size.
pub const MAX_KNOWN_FILE_BYTES: u64 = 256 * 1024;

/// Reads the names reached before; a missing, oversized or damaged file gives none.
pub fn load_known(path: &Path) -> KnownServers {
    let Ok(file) = std::fs::File::open(path) else {
        return KnownServers::default();
    };
    let mut text = String::new();
    if file
        .take(MAX_KNOWN_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .is_err()
        || text.len() as u64 > MAX_KNOWN_FILE_BYTES
    {
        return KnownServers::default();
    }
    let Ok(mut entries) = serde_json::from_str::<Vec<KnownServer>>(&text) else {
        return KnownServers::default();
    };
    if entries.len() > KNOWN_KEPT {
        entries.drain(..entries.len() - KNOWN_KEPT);
    }
    KnownServers::from_entries(entries)
}

/// Writes the names reached before atomically (0600), creating the folder (0700).
pub fn save_known(path: &Path, known: &KnownServers) -> Result<(), SaveError> {
    if let Some(dir) = path.parent() {
        // A failure here shows as the write's own error just below.
        let _ = crate::net::private::create_dir_all(dir);
    }
    let text = serde_json::to_string_pretty(known.entries()).unwrap_or_else(|_| "[]".to_owned());
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("turnchat-known-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn known_names_survive_a_save_and_a_load_privately() {
        let dir = scratch("roundtrip");
        let path = dir.join("known.json");
        assert_eq!(load_known(&path), KnownServers::default());
        let mut known = KnownServers::default();
        let at = "192.168.1.10".parse().expect("ip");
        known.reached("192.168.1.0/24", "王老师", at);
        known.set_pinned("192.168.1.0/24", "teacher", at, true);
        save_known(&path, &known).expect("saved");
        assert_eq!(load_known(&path), known);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, b"[{\"broken\"").expect("written");
        assert_eq!(load_known(&path), KnownServers::default());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
