//! The "Why can't I see them?" panel's state: whether it is open, whether its checks are
//! running, and what they last read. Pure: the checks run on a job thread
//! (`crate::app`), and their readings are decided and worded elsewhere
//! (`crate::core::why`, `crate::words::why`).

use crate::core::why::Readings;

/// The panel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhyPanel {
    /// Shown.
    pub open: bool,
    /// A check is running (at most one at a time).
    pub checking: bool,
    /// What the last check read.
    pub readings: Option<Readings>,
}

impl WhyPanel {
    /// Opens the panel; returns whether a check should start (none is running).
    pub fn check(&mut self) -> bool {
        self.open = true;
        !std::mem::replace(&mut self.checking, true)
    }

    /// A check finished.
    pub fn checked(&mut self, readings: Readings) {
        self.checking = false;
        self.readings = Some(readings);
    }

    /// A check could not start: the panel says so by staying on what it had.
    pub fn not_started(&mut self) {
        self.checking = false;
    }

    /// Closes the panel (a running check still reports, and is kept for next time).
    pub fn close(&mut self) {
        self.open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_check_at_a_time_and_its_readings_are_kept() {
        let mut p = WhyPanel::default();
        assert!(p.check());
        assert!(!p.check(), "a second click while checking starts nothing");
        p.close();
        assert!(!p.open && p.checking);
        p.checked(Readings::default());
        assert!(!p.checking);
        assert_eq!(p.readings, Some(Readings::default()));
        assert!(p.check());
        assert!(p.open);
    }
}
