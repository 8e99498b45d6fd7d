//! The names a teacher typed for computers, kept across runs in `names.json` in the data
//! folder (`$XDG_DATA_HOME/turnchat/names.json`), and the class list read from disk.
//!
//! Both files are user input: each is read within a bound, and a damaged names file gives
//! no names rather than an error (it is rewritten the next time a name is typed).

use std::collections::BTreeMap;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::core::roster::{MAX_ROSTER_BYTES, Roster, RosterError, parse_roster};
use crate::desktop::files::{SaveError, write_atomic};

/// The largest names file read.
pub const MAX_NAMES_FILE_BYTES: u64 = 1024 * 1024;

/// Why a class list file could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RosterFileError {
    /// The file could not be opened or read, in the system's words.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The system's words.
        detail: String,
    },
    /// The file was read but is not a usable class list.
    Unusable {
        /// The file.
        path: PathBuf,
        /// Why.
        error: RosterError,
    },
}

/// Reads a class list, refusing a file over [`MAX_ROSTER_BYTES`] before reading it all.
pub fn read_roster(path: &Path) -> Result<Roster, RosterFileError> {
    let unreadable = |e: std::io::Error| RosterFileError::Unreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_ROSTER_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_ROSTER_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(RosterFileError::Unusable {
            path: path.to_path_buf(),
            error: RosterError::TooLarge { bytes: size },
        });
    }
    parse_roster(&bytes).map_err(|error| RosterFileError::Unusable {
        path: path.to_path_buf(),
        error,
    })
}

/// Reads the teacher's typed names; a missing, oversized or damaged file gives none.
pub fn load_typed_names(path: &Path) -> BTreeMap<IpAddr, String> {
    let Ok(file) = std::fs::File::open(path) else {
        return BTreeMap::new();
    };
    let mut text = String::new();
    if file
        .take(MAX_NAMES_FILE_BYTES)
        .read_to_string(&mut text)
        .is_err()
    {
        return BTreeMap::new();
    }
    let Ok(raw) = serde_json::from_str::<BTreeMap<String, String>>(&text) else {
        return BTreeMap::new();
    };
    raw.into_iter()
        .filter_map(|(ip, name)| Some((ip.parse().ok()?, name)))
        .collect()
}

/// Writes the teacher's typed names atomically, creating the folder.
pub fn save_typed_names(path: &Path, names: &BTreeMap<IpAddr, String>) -> Result<(), SaveError> {
    if let Some(dir) = path.parent() {
        // A failure here shows as the write's own error just below.
        let _ = crate::net::private::create_dir_all(dir);
    }
    let raw: BTreeMap<String, &String> = names.iter().map(|(ip, n)| (ip.to_string(), n)).collect();
    let text = serde_json::to_string_pretty(&raw).unwrap_or_else(|_| "{}".to_owned());
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("turnchat-names-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn typed_names_survive_a_save_and_a_load() {
        let dir = scratch("roundtrip");
        let path = dir.join("names.json");
        assert!(load_typed_names(&path).is_empty());
        let names = BTreeMap::from([
            ("127.0.0.2".parse().expect("ip"), "张三".to_owned()),
            ("::1".parse().expect("ip"), "Li".to_owned()),
        ]);
        save_typed_names(&path, &names).expect("saved");
        assert_eq!(load_typed_names(&path), names);
        std::fs::write(&path, b"{not json").expect("written");
        assert!(load_typed_names(&path).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_class_list_file_is_read_within_its_bound() {
        let dir = scratch("roster");
        std::fs::create_dir_all(&dir).expect("folder");
        let good = dir.join("class.csv");
        std::fs::write(&good, "姓名,IP\n张三,127.0.0.2\n").expect("written");
        assert_eq!(read_roster(&good).expect("read").students.len(), 1);
        let big = dir.join("big.csv");
        std::fs::write(&big, vec![b'x'; MAX_ROSTER_BYTES + 10]).expect("written");
        assert_eq!(
            read_roster(&big),
            Err(RosterFileError::Unusable {
                path: big.clone(),
                error: RosterError::TooLarge {
                    bytes: MAX_ROSTER_BYTES as u64 + 10
                }
            })
        );
        assert!(matches!(
            read_roster(&dir.join("missing.csv")),
            Err(RosterFileError::Unreadable { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
