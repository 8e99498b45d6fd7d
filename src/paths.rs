//! Where TurnChat keeps its files, from the `directories` crate.

use std::path::PathBuf;

/// The live transcripts folder: on Linux `$XDG_DATA_HOME/turnchat/transcripts`
/// (`~/.local/share/turnchat/transcripts`). `None` if the system has no home folder.
pub fn transcripts_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "TurnChat", "TurnChat")
        .map(|d| d.data_dir().join("transcripts"))
}
