//! A random number for seeds, message ids and host names: from the standard library's
//! randomly keyed hasher over the clock and the process id, so no crate is needed.

/// A random number, different in every call and every run (seeds, host names).
pub fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.write_u32(std::process::id());
    h.finish()
}
