//! Frame pacing: when the window should draw after the backend reports something.
//!
//! Every backend event wakes the UI. Without vsync (Xvfb, virtual machines, remote
//! desktops, machines without GPU drivers) nothing else limits how many frames follow, and
//! a software renderer then takes the cores the network needs. So a wake-up asks for a
//! frame at most once per display refresh, and at most once per [`EVENT_INTERVAL`]: at
//! once when the last pass started that long ago or more (a message arriving alone is not
//! delayed), otherwise when that time is up. Once a frame has been asked for, later
//! wake-ups before the next pass starts ask for nothing: that pass drains every event sent
//! before it.
//!
//! Times are nanoseconds since an epoch the caller picks, so the shell can keep them in
//! atomics and tests can pass them in without a clock.

use std::time::Duration;

/// The refresh period assumed when the display does not say: 60 Hz.
pub const DEFAULT_PERIOD: Duration = Duration::from_nanos(1_000_000_000 / 60);

/// The shortest time between frames that the network asks for: ten a second are plenty to
/// follow a conversation, and each frame of a software renderer costs tens of milliseconds
/// of CPU that a flood, or 200 students chatting, needs. A message after a quiet spell this
/// long is still drawn at once; typing and the mouse are not paced by this at all.
pub const EVENT_INTERVAL: Duration = Duration::from_millis(100);

/// What one wake-up should ask of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// Draw now: the last pass started at least one refresh ago (or never).
    Now,
    /// Draw when this much more time has passed, one refresh after the last pass started.
    After(Duration),
    /// Ask for nothing: a frame has already been asked for since the last pass started.
    AlreadyAsked,
}

/// Decides what a wake-up at `now` asks for. `last_pass` is when the last pass started
/// (`None` before the first), `asked` whether a frame was already asked for since then,
/// and `period` the display's refresh period.
pub fn decide(now: u64, last_pass: Option<u64>, asked: bool, period: Duration) -> Wake {
    if asked {
        return Wake::AlreadyAsked;
    }
    let Some(last) = last_pass else {
        return Wake::Now;
    };
    let period = u64::try_from(period.max(EVENT_INTERVAL).as_nanos()).unwrap_or(u64::MAX);
    let elapsed = now.saturating_sub(last);
    if elapsed >= period {
        Wake::Now
    } else {
        Wake::After(Duration::from_nanos(period - elapsed))
    }
}

/// The refresh period for a display that reports `millihertz` (winit's unit), or
/// [`DEFAULT_PERIOD`] when it reports nothing or something implausible (below 1 Hz or
/// above 1,000 Hz).
pub fn refresh_period(millihertz: Option<u32>) -> Duration {
    match millihertz {
        Some(mhz) if (1_000..=1_000_000).contains(&mhz) => {
            Duration::from_nanos(1_000_000_000_000 / u64::from(mhz))
        }
        _ => DEFAULT_PERIOD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: u64 = 1_000_000;

    #[test]
    fn the_first_wake_up_draws_at_once() {
        assert_eq!(decide(5 * MS, None, false, DEFAULT_PERIOD), Wake::Now);
    }

    #[test]
    fn a_message_after_a_quiet_spell_is_not_delayed() {
        // Five seconds of quiet, then one message.
        assert_eq!(
            decide(5_000 * MS, Some(0), false, DEFAULT_PERIOD),
            Wake::Now
        );
        // Exactly one event interval after the last pass also draws at once.
        let interval = EVENT_INTERVAL.as_nanos() as u64;
        assert_eq!(
            decide(100 * MS + interval, Some(100 * MS), false, DEFAULT_PERIOD),
            Wake::Now
        );
    }

    #[test]
    fn a_wake_up_soon_after_a_pass_waits_for_the_interval_to_end() {
        let period = Duration::from_millis(16);
        assert_eq!(
            decide(100 * MS + 4 * MS, Some(100 * MS), false, period),
            Wake::After(Duration::from_millis(96))
        );
        // Right after the pass started: a whole interval.
        assert_eq!(
            decide(100 * MS, Some(100 * MS), false, period),
            Wake::After(EVENT_INTERVAL)
        );
        // A display slower than ten frames a second keeps its own pace.
        let slow = Duration::from_millis(200);
        assert_eq!(
            decide(100 * MS + 50 * MS, Some(100 * MS), false, slow),
            Wake::After(Duration::from_millis(150))
        );
    }

    #[test]
    fn once_asked_further_wake_ups_ask_for_nothing() {
        for now in [0, 3 * MS, 16 * MS, 5_000 * MS] {
            assert_eq!(
                decide(now, Some(0), true, DEFAULT_PERIOD),
                Wake::AlreadyAsked
            );
        }
    }

    #[test]
    fn a_flood_of_wake_ups_asks_for_ten_frames_a_second() {
        // A wake-up every 10 µs for one second; a pass starts when its frame was due.
        let period = Duration::from_millis(16);
        let (mut last, mut asked, mut due) = (Some(0u64), false, None::<u64>);
        let mut frames = 0;
        let mut now = 0;
        while now < 1_000 * MS {
            if let Some(at) = due
                && now >= at
            {
                (last, asked, due) = (Some(now), false, None);
                frames += 1;
            }
            match decide(now, last, asked, period) {
                Wake::Now => (asked, due) = (true, Some(now)),
                Wake::After(d) => (asked, due) = (true, Some(now + d.as_nanos() as u64)),
                Wake::AlreadyAsked => {}
            }
            now += 10_000;
        }
        assert!((9..=10).contains(&frames), "{frames} frames in one second");
    }

    #[test]
    fn a_clock_read_before_the_pass_stamp_does_not_underflow() {
        // Another thread may read the clock just before the UI stamps a later pass.
        assert_eq!(
            decide(10 * MS, Some(11 * MS), false, Duration::from_millis(16)),
            Wake::After(EVENT_INTERVAL)
        );
    }

    #[test]
    fn refresh_periods() {
        assert_eq!(refresh_period(None), DEFAULT_PERIOD);
        assert_eq!(refresh_period(Some(0)), DEFAULT_PERIOD);
        assert_eq!(refresh_period(Some(60_000)), DEFAULT_PERIOD);
        assert_eq!(
            refresh_period(Some(144_000)),
            Duration::from_nanos(1_000_000_000 / 144)
        );
        assert_eq!(refresh_period(Some(59_940)).as_micros(), 16_683);
        assert_eq!(refresh_period(Some(5_000_000)), DEFAULT_PERIOD);
    }
}
