//! Where the file dialogs open.
//!
//! rfd shows its dialogs through the desktop portal when one is running, and gives the
//! portal the folder to start in. Without a portal it falls back to zenity, and rfd 0.17
//! hands zenity only the file name (`--filename name`), so the dialog would open in the
//! working directory of the process: for a program started from a menu, the home folder or
//! `/`. zenity opens in a folder when the name it is given is a path in that folder, so the
//! name handed to rfd is the whole path exactly when zenity will show the dialog (the window
//! asks the session bus which: `app::dialogs`).

use std::path::Path;

/// The file name to give a save dialog that should open in `folder` with `name` filled in:
/// the name itself for the portal (which takes the folder on its own), the path in the
/// folder for zenity.
pub fn save_name(folder: &Path, name: &str, portal: bool) -> String {
    if portal {
        name.to_owned()
    } else {
        folder.join(name).to_string_lossy().into_owned()
    }
}

/// The file name to give an open dialog that should open in `folder`: none for the portal,
/// the folder with a trailing separator for zenity (which then shows its contents).
pub fn open_name(folder: &Path, portal: bool) -> Option<String> {
    if portal {
        return None;
    }
    let mut name = folder.to_string_lossy().into_owned();
    if !name.ends_with(std::path::MAIN_SEPARATOR) {
        name.push(std::path::MAIN_SEPARATOR);
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_portal_gets_the_name_and_zenity_the_path_in_the_folder() {
        let folder = PathBuf::from("/home/li/.local/share/turnchat/transcripts");
        assert_eq!(save_name(&folder, "张三 14-02.txt", true), "张三 14-02.txt");
        assert_eq!(
            save_name(&folder, "张三 14-02.txt", false),
            "/home/li/.local/share/turnchat/transcripts/张三 14-02.txt"
        );
    }

    #[test]
    fn an_open_dialog_for_zenity_is_given_the_folder_itself() {
        let folder = PathBuf::from("/home/li/班级");
        assert_eq!(open_name(&folder, true), None);
        assert_eq!(open_name(&folder, false).as_deref(), Some("/home/li/班级/"));
        assert_eq!(
            open_name(Path::new("/home/li/班级/"), false).as_deref(),
            Some("/home/li/班级/")
        );
    }
}
