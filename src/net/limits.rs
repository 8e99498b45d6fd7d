//! The process's open-file limit: a server spends about four descriptors a conversation,
//! and desktops often start programs with a soft limit (1,024, or 256 on macOS) far under
//! the hard one, so at start the soft limit is raised to the hard one.

/// Raises the soft limit on open files to the hard limit (Linux). Returns the soft limit
/// now in force, if it is known. Elsewhere this does nothing yet and returns `None`.
pub fn raise_open_files() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current != limit.maximum {
            limit.current = limit.maximum;
            if setrlimit(Resource::Nofile, limit).is_err() {
                return getrlimit(Resource::Nofile).current;
            }
        }
        limit.current
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_soft_limit_reaches_the_hard_one() {
        let soft = super::raise_open_files();
        let now = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        assert_eq!(soft, now.current);
        assert_eq!(now.current, now.maximum);
    }
}
