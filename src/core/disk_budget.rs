//! How much disk the transcripts may take: a budget per conversation and one for a whole
//! run of a role (a server run, or a client's connection), so that a peer that sends for
//! hours, or many peers, cannot fill the disk. When a line would pass either, the file
//! gets one `system` line of kind `cut` saying so, and nothing more.
//!
//! Pure: the caller keeps the counts (the run's is shared by its conversations).

/// One MiB, in bytes.
const MIB: u64 = 1024 * 1024;

/// The default budget of one conversation's transcript file, in MiB.
pub const DEFAULT_CONVERSATION_MIB: u64 = 64;

/// The default budget of all the transcript files of one run, in MiB.
pub const DEFAULT_RUN_MIB: u64 = 1024;

/// Which budget a line would pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetScope {
    /// The conversation's own file.
    Conversation,
    /// All the files of this run together.
    Run,
}

/// The two budgets, in bytes; 0 means no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskBudget {
    /// The most one conversation's file may hold.
    pub conversation: u64,
    /// The most all the files of one run may hold together.
    pub run: u64,
}

impl Default for DiskBudget {
    fn default() -> Self {
        DiskBudget::from_mib(DEFAULT_CONVERSATION_MIB, DEFAULT_RUN_MIB)
    }
}

impl DiskBudget {
    /// Budgets given in MiB (as the settings give them).
    pub fn from_mib(conversation: u64, run: u64) -> Self {
        DiskBudget {
            conversation: conversation.saturating_mul(MIB),
            run: run.saturating_mul(MIB),
        }
    }

    /// No limits at all.
    pub fn unlimited() -> Self {
        DiskBudget {
            conversation: 0,
            run: 0,
        }
    }

    /// The limit of `scope`, in bytes.
    pub fn limit(&self, scope: BudgetScope) -> u64 {
        match scope {
            BudgetScope::Conversation => self.conversation,
            BudgetScope::Run => self.run,
        }
    }

    /// Whether a line of `line` bytes may go into a file that holds `file` bytes, while
    /// the run's files hold `run` bytes; if not, which budget it would pass (the
    /// conversation's is looked at first).
    pub fn check(&self, file: u64, run: u64, line: u64) -> Result<(), BudgetScope> {
        let passes = |limit: u64, used: u64| limit != 0 && used.saturating_add(line) > limit;
        if passes(self.conversation, file) {
            Err(BudgetScope::Conversation)
        } else if passes(self.run, run) {
            Err(BudgetScope::Run)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_64_mib_a_conversation_and_1_gib_a_run() {
        let b = DiskBudget::default();
        assert_eq!((b.conversation, b.run), (64 * MIB, 1024 * MIB));
    }

    #[test]
    fn a_line_that_would_pass_a_budget_is_refused_and_says_which() {
        let b = DiskBudget {
            conversation: 1000,
            run: 5000,
        };
        assert_eq!(b.check(0, 0, 1000), Ok(()));
        assert_eq!(b.check(900, 0, 101), Err(BudgetScope::Conversation));
        assert_eq!(b.check(901, 4950, 100), Err(BudgetScope::Conversation));
        assert_eq!(b.check(100, 4950, 100), Err(BudgetScope::Run));
        assert_eq!(b.check(100, 4900, 100), Ok(()));
    }

    #[test]
    fn zero_means_no_limit() {
        let b = DiskBudget::unlimited();
        assert_eq!(b.check(u64::MAX / 2, u64::MAX / 2, 1 << 40), Ok(()));
        let only_run = DiskBudget {
            conversation: 0,
            run: 10,
        };
        assert_eq!(only_run.check(1 << 30, 0, 11), Err(BudgetScope::Run));
    }
}
