//! The `turnchat` binary as people get it: its flags, start-up failures, real windows
//! under Xvfb, LAN discovery between processes in network namespaces, and the packaging
//! files that ship with it.

/// The helpers of `tests/common/` this binary uses. Each binary names its own, so that
/// the compiler still finds a helper that no test uses.
#[path = "../common"]
mod common {
    pub mod base;
    pub mod desktop;
    pub mod netcat;
    #[cfg(target_os = "linux")]
    pub mod netns;
    pub mod peers;
    pub use base::*;
}

mod cli;
mod discovery;
mod discovery_hostile;
mod packaging;
mod startup;
mod why;
mod window;
