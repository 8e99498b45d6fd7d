//! Where TurnChat keeps its files, from the `directories` crate.

use std::path::PathBuf;

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "TurnChat", "TurnChat")
}

/// The live transcripts folder: on Linux `$XDG_DATA_HOME/turnchat/transcripts`
/// (`~/.local/share/turnchat/transcripts`). `None` if the system has no home folder.
pub fn transcripts_dir() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("transcripts"))
}

/// The settings file: on Linux `$XDG_CONFIG_HOME/turnchat/settings.json`.
pub fn settings_file() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().join("settings.json"))
}

/// Where eframe keeps the window's size and position: beside the settings.
pub fn window_state_file() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().join("window.ron"))
}

/// TurnChat's log file: on Linux `$XDG_DATA_HOME/turnchat/turnchat.log`
/// (`~/.local/share/turnchat/turnchat.log`). See [`crate::desktop::applog`].
pub fn log_file() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("turnchat.log"))
}

/// The names a teacher typed for computers: on Linux `$XDG_DATA_HOME/turnchat/names.json`.
pub fn names_file() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("names.json"))
}

/// The server names reached before, per network: on Linux
/// `$XDG_DATA_HOME/turnchat/known.json` (see [`crate::desktop::known_file`]).
pub fn known_file() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("known.json"))
}

/// Makes TurnChat's data and configuration folders, and everything in them, private to
/// this user (0700 folders, 0600 files; see [`crate::net::private`]), so that files
/// written before, or by an older TurnChat under a loose umask, are not left readable.
pub fn tighten() {
    if let Some(d) = dirs() {
        tighten_folders(d.data_dir(), d.config_dir());
    }
}

/// [`tighten`] for the given data and configuration folders.
pub fn tighten_folders(data: &std::path::Path, config: &std::path::Path) {
    crate::net::private::tighten_tree(data);
    crate::net::private::tighten_tree(config);
}
