//! The network shell without a window: both roles against the Python reference peers and
//! netcat, every encoding, many clients at once, and the faults of `docs/FAULTS.md`, over
//! real loopback sockets. Needs no `gui` feature: `cargo test --no-default-features --test
//! net` runs it against the window-less library too.
//!
//! One test binary per kind of test (links are what a two-core machine spends its time
//! on); each area is a module, and `common/` holds what the binaries share.

/// The helpers of `tests/common/` this binary uses. Each binary names its own, so that
/// the compiler still finds a helper that no test uses.
#[path = "../common"]
mod common {
    pub mod backend;
    pub mod base;
    pub mod netcat;
    pub mod peers;
    pub mod process;
    pub mod raw;
    pub mod transcript;
    pub mod wire;
    pub use base::*;
}

mod door;
mod encodings;
mod faults;
mod free_flood;
mod many;
mod net_roles;
mod netcat;
mod strict_codecs;
