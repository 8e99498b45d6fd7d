//! The numbers that name a role, a conversation and a message within one run, shared by
//! the network shell, the window's state and the jobs that save conversations.

use std::fmt;

/// Identifies one start of a role (one Start Server, one Connect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleId(pub u64);

/// Identifies one conversation with one peer, unique within this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub u64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Numbers the messages the window hands to a session, so that what comes back (sent or
/// refused) is matched to what was handed over by number, not by its text (two identical
/// messages in a row are two messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seq(pub u64);
