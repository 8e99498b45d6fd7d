//! The process's open-file limit: a server spends about four descriptors a conversation,
//! and desktops often start programs with a soft limit (1,024, or 256 on macOS) far under
//! the hard one, so at start the soft limit is raised to the hard one; and a server counts
//! its places against the files it may still open (`core::places`).

/// The most a soft limit is raised to where the hard one is "unlimited": macOS refuses
/// anything above its `OPEN_MAX`, 10,240, for the open-file limit.
#[cfg(unix)]
const UNLIMITED_CAP: u64 = 10_240;

/// Raises the soft limit on open files to the hard limit (Unix). Returns the soft limit
/// now in force, if it is known. Elsewhere (Windows, whose sockets have no such limit)
/// this does nothing and returns `None`.
pub fn raise_open_files() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        let wanted = match limit.maximum {
            Some(most) => Some(most),
            None if cfg!(target_os = "linux") => None,
            None => Some(UNLIMITED_CAP),
        };
        if limit.current != wanted {
            limit.current = wanted;
            if setrlimit(Resource::Nofile, limit).is_err() {
                return getrlimit(Resource::Nofile).current;
            }
        }
        limit.current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The soft limit on open files now in force, if there is one and it is known.
pub fn open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// How many files the process has open now, where the system lists them (Linux's
/// `/proc/self/fd`, macOS's `/dev/fd`).
pub fn open_files_now() -> Option<u64> {
    let dir = if cfg!(target_os = "linux") {
        "/proc/self/fd"
    } else if cfg!(target_os = "macos") {
        "/dev/fd"
    } else {
        return None;
    };
    // The listing's own descriptor is among those listed: one too many, on the safe side.
    std::fs::read_dir(dir).ok().map(|d| d.count() as u64)
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn the_soft_limit_reaches_the_hard_one() {
        let soft = super::raise_open_files();
        let now = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        assert_eq!(soft, now.current);
        assert_eq!(now.current, now.maximum);
        assert_eq!(super::open_files_limit(), now.current);
    }

    #[test]
    fn the_open_files_are_counted() {
        let before = super::open_files_now();
        let file = std::fs::File::open("/dev/null");
        let after = super::open_files_now();
        assert!(file.is_ok());
        assert!(before.is_some());
        assert!(
            after > before,
            "{after:?} after opening one, {before:?} before"
        );
    }
}
