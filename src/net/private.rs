//! Private files: every folder TurnChat makes is only its user's (0700 on Unix) and every
//! file it writes there is only its user's to read (0600), whatever the umask says, since
//! transcripts hold what people said. Existing folders and files are tightened at start
//! ([`tighten_tree`]). The desktop shell writes its settings, log and saved files through
//! these too. On Windows the per-user profile's folders already carry per-user ACLs, and
//! these functions only create and open.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

/// The mode of a folder TurnChat makes.
pub const DIR_MODE: u32 = 0o700;
/// The mode of a file TurnChat writes.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` and any missing parents, each made private; `dir` itself is tightened
/// even if it was already there.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)?;
    set_mode(dir, DIR_MODE)
}

/// Options that create a file private to its user (the mode applies to new files only).
pub fn options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// Makes `root` (if it exists), every folder under it and every file in them private.
/// Symbolic links are not followed. Errors on single entries are skipped: a file that
/// cannot be tightened is still written and read as before.
pub fn tighten_tree(root: &Path) {
    let Ok(meta) = std::fs::symlink_metadata(root) else {
        return;
    };
    if meta.is_dir() {
        let _ = set_mode(root, DIR_MODE);
        if let Ok(entries) = std::fs::read_dir(root) {
            for entry in entries.flatten() {
                tighten_tree(&entry.path());
            }
        }
    } else if meta.is_file() {
        let _ = set_mode(root, FILE_MODE);
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::symlink_metadata(path)?.permissions().mode() & 0o7777;
    if current == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("meta").permissions().mode() & 0o7777
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("turnchat-private-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn new_folders_and_files_are_private() {
        let dir = scratch("new");
        let deep = dir.join("a/b");
        create_dir_all(&deep).expect("create");
        assert_eq!(mode(&dir.join("a")), DIR_MODE);
        assert_eq!(mode(&deep), DIR_MODE);
        let file = deep.join("f");
        options()
            .create(true)
            .append(true)
            .open(&file)
            .expect("open");
        assert_eq!(mode(&file), FILE_MODE);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn existing_folders_and_files_are_tightened() {
        let dir = scratch("old");
        std::fs::create_dir_all(dir.join("sub")).expect("create");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::write(dir.join("sub/f"), "x").expect("write");
        std::fs::set_permissions(dir.join("sub/f"), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
        tighten_tree(&dir);
        assert_eq!(mode(&dir), DIR_MODE);
        assert_eq!(mode(&dir.join("sub")), DIR_MODE);
        assert_eq!(mode(&dir.join("sub/f")), FILE_MODE);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
