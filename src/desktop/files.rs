//! Files people keep: atomic writes of saved transcripts and settings, reading the
//! settings back, and the folders they live in.
//!
//! An atomic write goes to a temporary file in the destination's folder, is flushed to
//! disk, then renamed over the destination: a reader sees the old file or the new one,
//! never half of one, and a failure leaves the old file untouched.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::core::settings::{Settings, SettingsStore};
use crate::net::private;

/// Why a file could not be saved, as a sentence with a next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveError {
    /// The file we tried to write.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: SaveErrorKind,
}

/// The kinds of failure people can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveErrorKind {
    /// The folder cannot be written to.
    ReadOnly,
    /// The disk (or quota) is full.
    DiskFull,
    /// The folder does not exist (any more).
    FolderMissing,
    /// Something in the path is a file, not a folder.
    NotAFolder,
    /// Anything else, in the operating system's words.
    Other(String),
}

impl SaveError {
    fn new(path: &Path, e: &io::Error) -> Self {
        let kind = match e.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                SaveErrorKind::ReadOnly
            }
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => SaveErrorKind::DiskFull,
            io::ErrorKind::NotFound => SaveErrorKind::FolderMissing,
            io::ErrorKind::NotADirectory => SaveErrorKind::NotAFolder,
            _ => SaveErrorKind::Other(e.to_string()),
        };
        SaveError {
            path: path.to_path_buf(),
            kind,
        }
    }
}

/// The steps of an atomic write, so tests can make any one of them fail.
pub trait AtomicSteps {
    /// Creates `temp` (which must not exist), writes `bytes`, and flushes them to disk.
    fn write_temp(&mut self, temp: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Renames `from` over `to`.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a leftover temporary file (errors ignored).
    fn remove(&mut self, path: &Path);
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl AtomicSteps for RealFs {
    fn write_temp(&mut self, temp: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut file: File = private::options().write(true).create_new(true).open(temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove(&mut self, path: &Path) {
        let _ = std::fs::remove_file(path);
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(&mut RealFs, path, bytes)
}

/// [`write_atomic`] with the file-system steps supplied by the caller.
pub fn write_atomic_with(
    fs: &mut dyn AtomicSteps,
    path: &Path,
    bytes: &[u8],
) -> Result<(), SaveError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let temp = path.with_file_name(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    if let Err(e) = fs.write_temp(&temp, bytes) {
        fs.remove(&temp);
        return Err(SaveError::new(path, &e));
    }
    if let Err(e) = fs.rename(&temp, path) {
        fs.remove(&temp);
        return Err(SaveError::new(path, &e));
    }
    Ok(())
}

/// Why the settings file could not be used at start-up (TurnChat then starts with
/// defaults and leaves the file alone until a setting changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsLoadError {
    /// The file is there but is not settings JSON.
    Corrupt {
        /// The file.
        path: PathBuf,
        /// serde_json's words.
        detail: String,
    },
    /// The file is there but could not be opened.
    Unopenable {
        /// The file.
        path: PathBuf,
        /// The operating system's words.
        detail: String,
    },
}

/// Settings as read at start-up, with the reason if the file could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedSettings {
    /// The settings (defaults if the file was missing or unreadable).
    pub settings: Settings,
    /// Why the file was not used, for the window.
    pub notice: Option<SettingsLoadError>,
}

/// Reads the settings file. A missing file gives defaults quietly; an unreadable or
/// corrupt one gives defaults and a notice (and is left as it is).
pub fn load_settings(path: &Path) -> LoadedSettings {
    let (settings, notice) = match std::fs::read_to_string(path) {
        Ok(text) => match Settings::from_json(&text) {
            Ok(settings) => (settings, None),
            Err(detail) => (
                Settings::default(),
                Some(SettingsLoadError::Corrupt {
                    path: path.to_path_buf(),
                    detail,
                }),
            ),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => (Settings::default(), None),
        Err(e) => (
            Settings::default(),
            Some(SettingsLoadError::Unopenable {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }),
        ),
    };
    LoadedSettings { settings, notice }
}

/// Writes the settings file atomically, creating its folder.
pub fn save_settings(path: &Path, settings: &Settings) -> Result<(), SaveError> {
    if let Some(dir) = path.parent() {
        private::create_dir_all(dir).map_err(|e| SaveError::new(path, &e))?;
    }
    write_atomic(path, settings.to_json().as_bytes())
}

/// Why the transcripts folder could not be shown, as a sentence with a next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenFolderError {
    /// The folder did not exist and could not be created.
    CannotCreate {
        /// The folder.
        dir: PathBuf,
        /// The operating system's words.
        detail: String,
    },
    /// No program that shows folders could be started.
    NoFileManager {
        /// The folder.
        dir: PathBuf,
        /// The program(s) tried, e.g. `xdg-open`.
        tried: String,
    },
    /// The program started but said it could not show the folder.
    NotShown {
        /// The folder.
        dir: PathBuf,
    },
}

impl OpenFolderError {
    /// What an `opener` failure means for the person looking for `dir`.
    fn from_opener(dir: &Path, e: opener::OpenError) -> Self {
        let dir = dir.to_path_buf();
        match e {
            opener::OpenError::ExitStatus { .. } => OpenFolderError::NotShown { dir },
            opener::OpenError::Spawn { cmds, .. } => {
                OpenFolderError::NoFileManager { dir, tried: cmds }
            }
            // `Io` (and any kind added later): the opener itself could not be run.
            _ => OpenFolderError::NoFileManager {
                dir,
                tried: default_opener().to_owned(),
            },
        }
    }
}

/// The program the `opener` crate starts on this system, for the error sentence.
fn default_opener() -> &'static str {
    if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// Writes what `store` says the settings file should hold now, if it differs from what
/// the file holds; on success the store knows the file holds it.
pub fn persist_settings(path: &Path, store: &mut SettingsStore) -> Result<(), SaveError> {
    let Some(merged) = store.to_save() else {
        return Ok(());
    };
    save_settings(path, &merged)?;
    store.saved(merged);
    Ok(())
}

/// Opens `dir` in the system's file manager (creating it first), through the `opener`
/// crate. May block until the opener has started (on macOS, until `open` returns); run it
/// off the UI thread.
///
/// On Linux `opener` starts `xdg-open` (or its own copy of the script) and does not wait
/// for it, so there a file manager that fails after starting is not reported.
pub fn open_folder(dir: &Path) -> Result<(), OpenFolderError> {
    private::create_dir_all(dir).map_err(|e| OpenFolderError::CannotCreate {
        dir: dir.to_path_buf(),
        detail: e.to_string(),
    })?;
    opener::open(dir).map_err(|e| OpenFolderError::from_opener(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Say;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("turnchat-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        dir
    }

    /// Fails the chosen step with the chosen error, otherwise does the real thing.
    struct Failing {
        step: &'static str,
        kind: io::ErrorKind,
    }

    impl AtomicSteps for Failing {
        fn write_temp(&mut self, temp: &Path, bytes: &[u8]) -> io::Result<()> {
            if self.step == "write" {
                // Half a file reaches the disk before the failure, as with a full disk.
                std::fs::write(temp, &bytes[..bytes.len() / 2])?;
                return Err(io::Error::from(self.kind));
            }
            RealFs.write_temp(temp, bytes)
        }
        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            if self.step == "rename" {
                return Err(io::Error::from(self.kind));
            }
            RealFs.rename(from, to)
        }
        fn remove(&mut self, path: &Path) {
            RealFs.remove(path);
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_replace_the_file_whole() {
        let dir = scratch("ok");
        let path = dir.join("t.txt");
        write_atomic(&path, "第一版".as_bytes()).expect("first");
        write_atomic(&path, "第二版".as_bytes()).expect("second");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "第二版");
        assert_eq!(listing(&dir), ["t.txt"], "no temporary file left behind");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_debris() {
        for (step, kind, expect) in [
            ("write", io::ErrorKind::StorageFull, SaveErrorKind::DiskFull),
            (
                "write",
                io::ErrorKind::PermissionDenied,
                SaveErrorKind::ReadOnly,
            ),
            (
                "rename",
                io::ErrorKind::ReadOnlyFilesystem,
                SaveErrorKind::ReadOnly,
            ),
        ] {
            let dir = scratch(&format!("{step}-{kind:?}"));
            let path = dir.join("t.txt");
            std::fs::write(&path, "old").expect("seed");
            let err = write_atomic_with(&mut Failing { step, kind }, &path, b"new content")
                .expect_err("fails");
            assert_eq!(err.kind, expect);
            assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
            assert_eq!(listing(&dir), ["t.txt"]);
        }
    }

    #[test]
    fn real_failures_read_as_sentences() {
        let dir = scratch("real");
        // A folder that vanished.
        let gone = dir.join("gone");
        let err = write_atomic(&gone.join("t.txt"), b"x").expect_err("no folder");
        assert_eq!(err.kind, SaveErrorKind::FolderMissing);
        assert!(
            err.en()
                .contains("does not exist (any more). Choose another folder."),
            "{err:?}"
        );
        // A "folder" that is a file.
        let file = dir.join("file");
        std::fs::write(&file, "x").expect("file");
        let err = write_atomic(&file.join("t.txt"), b"x").expect_err("not a folder");
        assert_eq!(err.kind, SaveErrorKind::NotAFolder);
        let disk_full = SaveError {
            path: dir.join("t.txt"),
            kind: SaveErrorKind::DiskFull,
        };
        assert!(
            disk_full
                .en()
                .ends_with("the disk is full. Free some space, then save again.")
        );
    }

    #[test]
    fn folder_problems_read_as_the_same_sentences() {
        let dir = PathBuf::from("/home/me/transcripts");
        let spawn = opener::OpenError::Spawn {
            cmds: "xdg-open".into(),
            source: io::Error::from(io::ErrorKind::NotFound),
        };
        assert_eq!(
            OpenFolderError::from_opener(&dir, spawn).en(),
            "No file manager could be started (xdg-open is missing). The transcripts are in /home/me/transcripts."
        );
        let io = opener::OpenError::Io(io::Error::from(io::ErrorKind::NotFound));
        assert!(matches!(
            OpenFolderError::from_opener(&dir, io),
            OpenFolderError::NoFileManager { .. }
        ));
        assert_eq!(
            OpenFolderError::NotShown { dir: dir.clone() }.en(),
            "The file manager could not show /home/me/transcripts. The folder is there; open it by hand."
        );
        let blocker = scratch("open-folder").join("a-file");
        std::fs::write(&blocker, "x").expect("file");
        assert!(matches!(
            open_folder(&blocker.join("transcripts")),
            Err(OpenFolderError::CannotCreate { .. })
        ));
    }

    #[test]
    fn settings_round_trip_and_survive_corruption() {
        let dir = scratch("settings");
        let path = dir.join("config/settings.json");
        assert_eq!(
            load_settings(&path),
            LoadedSettings {
                settings: Settings::default(),
                notice: None
            }
        );
        let s = Settings {
            client_host: "192.168.1.9".into(),
            welcome: "你好，欢迎".into(),
            ..Settings::default()
        };
        save_settings(&path, &s).expect("save");
        assert_eq!(load_settings(&path).settings, s);

        std::fs::write(&path, "{ this is not json").expect("corrupt");
        let loaded = load_settings(&path);
        assert_eq!(loaded.settings, Settings::default());
        assert!(
            matches!(loaded.notice, Some(SettingsLoadError::Corrupt { .. })),
            "{loaded:?}"
        );
        assert!(
            loaded
                .notice
                .is_some_and(|n| n.en().contains("could not be read")),
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "{ this is not json",
            "left alone"
        );

        // An older file without some fields gets defaults for them.
        std::fs::write(&path, r#"{"client_host":"10.0.0.2"}"#).expect("old");
        let loaded = load_settings(&path);
        assert_eq!(loaded.notice, None);
        assert_eq!(loaded.settings.client_host, "10.0.0.2");
        assert_eq!(loaded.settings.server_port, Settings::default().server_port);
    }
}
