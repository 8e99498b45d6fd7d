//! Auto-reconnect as a reducer: after a Connect made with the Reconnect setting on,
//! which backend events mean "try again", how long to wait first, and what the turn line
//! says meanwhile.
//!
//! Pure: no egui, no sockets, no clock read here (the app passes every `Instant` in). It
//! only decides; the app starts the connects it asks for and tells it which role each
//! one is.

use std::time::{Duration, Instant};

use super::{RoleStatus, State};
use crate::core::discovery::Backoff;
use crate::core::ids::RoleId;
use crate::core::notice::EndReason;
use crate::core::turn::Role;
use crate::net::{ClientConfig, Event};
use crate::words::discovery::DiscoveryWords;

/// Auto-reconnect: disarmed (the default), or armed for one Connect.
#[derive(Debug, Default)]
pub struct Reconnect {
    armed: Option<Armed>,
}

/// What to connect to again, and the waits.
#[derive(Debug)]
struct Armed {
    config: ClientConfig,
    /// `host:port`, for the turn line and the log.
    target: String,
    backoff: Backoff,
    /// The role of the attempt under way (the first Connect's, then each retry's).
    role: Option<RoleId>,
    /// The retry under way (1 = the first) and when its wait ends.
    retry: Option<(u32, Instant)>,
}

/// A connect auto-reconnect asks for: to `config`, after `wait`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retry {
    /// What to connect to.
    pub config: ClientConfig,
    /// `host:port`, for the status.
    pub target: String,
    /// How long to wait before connecting.
    pub wait: Duration,
    /// Which attempt this is (1 = the first retry).
    pub attempt: u32,
}

impl Retry {
    /// The line for the log and for scripts reading standard output.
    pub fn log_line(&self) -> String {
        format!(
            "reconnect: attempt {} to {} in {} ms",
            self.attempt,
            self.target,
            self.wait.as_millis()
        )
    }
}

/// What the turn line says about auto-reconnect, and when that changes by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryLine {
    /// The words.
    pub words: DiscoveryWords,
    /// Draw again after this long: the count of seconds will have dropped by one.
    /// `None` while an attempt is under way (an event ends it).
    pub redraw_in: Option<Duration>,
}

impl Reconnect {
    /// A Connect to `target` with the setting on: try again when it drops. `seed` moves
    /// the waits (jitter), so a class does not come back all in the same instant.
    pub fn arm(&mut self, config: ClientConfig, target: String, seed: u64) {
        self.armed = Some(Armed {
            config,
            target,
            backoff: Backoff::new(seed),
            role: None,
            retry: None,
        });
    }

    /// No more retries (Stop, Cancel, a Connect with the setting off, closing).
    pub fn disarm(&mut self) {
        self.armed = None;
    }

    /// Whether a drop would be followed by a retry.
    pub fn is_armed(&self) -> bool {
        self.armed.is_some()
    }

    /// The user's own Connect started as `role`.
    pub fn connect_started(&mut self, role: RoleId) {
        if let Some(r) = &mut self.armed {
            r.role = Some(role);
        }
    }

    /// The connect `retry` asked for started as `role`, at `now`.
    pub fn retry_started(&mut self, role: RoleId, retry: &Retry, now: Instant) {
        if let Some(r) = &mut self.armed {
            r.role = Some(role);
            r.retry = Some((retry.attempt, now + retry.wait));
        }
    }

    /// Whether `event` means trying again, and if so, the connect to start (the wait is
    /// taken from the backoff). `state` is the window's, as it is before or after the
    /// event: only whether the session that ended is ours (a client's) is read. A
    /// connection that worked starts the waits over; a bye, a stop, or a first Connect
    /// that fails disarms.
    pub fn follows(&mut self, event: &Event, state: &State) -> Option<Retry> {
        let r = self.armed.as_mut()?;
        let again = match event {
            Event::SessionStarted { role, .. } if Some(*role) == r.role => {
                r.backoff.reset();
                r.retry = None;
                false
            }
            Event::SessionEnded {
                session, reason, ..
            } => {
                let ours = state
                    .sessions
                    .get(session)
                    .is_some_and(|s| s.as_role == Role::Client);
                match reason {
                    _ if !ours => false,
                    EndReason::PeerClosed
                    | EndReason::Reset
                    | EndReason::SendTimedOut { .. }
                    | EndReason::Failed { .. } => true,
                    EndReason::WeSaidBye
                    | EndReason::PeerSaidBye
                    | EndReason::Stopped
                    | EndReason::MadeRoom { .. } => {
                        self.armed = None;
                        return None;
                    }
                }
            }
            Event::RoleFailed { role, .. } if Some(*role) == r.role => {
                if r.retry.is_none() {
                    self.armed = None;
                    return None;
                }
                true
            }
            _ => false,
        };
        if !again {
            return None;
        }
        let wait = r.backoff.next_wait();
        Some(Retry {
            config: r.config.clone(),
            target: r.target.clone(),
            wait,
            attempt: r.backoff.attempt(),
        })
    }

    /// What the turn line says at `now` while a retry is under way (the window shows
    /// `status`): counting down to the attempt, or trying. `None` when there is no retry.
    pub fn line(&self, status: &RoleStatus, now: Instant) -> Option<RetryLine> {
        let r = self.armed.as_ref()?;
        let (attempt, at) = r.retry?;
        if !matches!(status, RoleStatus::Connecting { .. }) {
            return None;
        }
        let left = at.saturating_duration_since(now);
        if left.is_zero() {
            return Some(RetryLine {
                words: DiscoveryWords::ReconnectTrying {
                    target: r.target.clone(),
                    attempt,
                },
                redraw_in: None,
            });
        }
        // Whole seconds, rounded up (under a millisecond left still counts as one); the
        // next frame just after the count drops by one.
        let seconds = left.as_millis().div_ceil(1000).max(1);
        let next = left.saturating_sub(Duration::from_millis(
            u64::try_from((seconds - 1) * 1000).unwrap_or(0),
        ));
        Some(RetryLine {
            words: DiscoveryWords::ReconnectWaiting {
                target: r.target.clone(),
                seconds: u64::try_from(seconds).unwrap_or(u64::MAX),
                attempt,
            },
            redraw_in: Some(next + Duration::from_millis(1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset};

    use super::*;
    use crate::core::codec::WireEncoding;
    use crate::core::discovery::{RECONNECT_FIRST, RECONNECT_MAX};
    use crate::core::error::NetError;
    use crate::core::framing::LineEnding;
    use crate::core::ids::SessionId;
    use crate::core::turn::{Turn, TurnPolicy};
    use crate::net::{SessionInfo, SessionLink};

    const TARGET: &str = "192.168.1.5:8888";

    fn config() -> ClientConfig {
        ClientConfig {
            host: "192.168.1.5".into(),
            port: 8888,
            encoding: WireEncoding::Gbk,
            policy: TurnPolicy::Strict,
            line_ending: LineEnding::None,
        }
    }

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time")
    }

    /// A Connect with the setting on, started as `role`.
    fn armed(role: RoleId) -> Reconnect {
        let mut r = Reconnect::default();
        r.arm(config(), TARGET.into(), 7);
        r.connect_started(role);
        r
    }

    fn started(role: RoleId, id: u64, as_role: Role) -> Event {
        Event::SessionStarted {
            role,
            info: SessionInfo {
                session: SessionId(id),
                key: format!("k{id}"),
                as_role,
                peer: TARGET.parse().expect("addr"),
                local: "192.168.1.7:51234".parse().expect("addr"),
                at: at(),
                first_turn: Turn::Theirs,
                encoding: WireEncoding::Gbk,
                policy: TurnPolicy::Strict,
                line_ending: LineEnding::None,
                transcript: None,
            },
            link: SessionLink::detached(),
        }
    }

    fn ended(id: u64, reason: EndReason) -> Event {
        Event::SessionEnded {
            session: SessionId(id),
            at: at(),
            reason,
        }
    }

    fn failed(role: RoleId) -> Event {
        Event::RoleFailed {
            role,
            error: NetError::Refused {
                addr: TARGET.into(),
            },
        }
    }

    /// Feeds `event` to both, as the app does: auto-reconnect first, then the state.
    fn feed(r: &mut Reconnect, state: &mut State, event: Event) -> Option<Retry> {
        let retry = r.follows(&event, state);
        state.apply(event);
        retry
    }

    /// The window's state while `role` connects (or, retrying, waits to).
    fn connecting(role: RoleId, retry: Option<u32>) -> RoleStatus {
        RoleStatus::Connecting {
            role,
            target: TARGET.into(),
            retry,
        }
    }

    #[test]
    fn a_dropped_connection_is_tried_again_with_growing_waits_until_one_works() {
        let mut state = State::default();
        state.role_started(connecting(RoleId(1), None));
        let mut r = armed(RoleId(1));
        let now = Instant::now();
        assert_eq!(
            feed(&mut r, &mut state, started(RoleId(1), 1, Role::Client)),
            None
        );

        let first = feed(&mut r, &mut state, ended(1, EndReason::Reset)).expect("a retry");
        assert_eq!((first.attempt, first.config.clone()), (1, config()));
        assert_eq!(first.target, TARGET);
        let jitter = |wait: Duration, base: Duration| {
            wait >= base.mul_f64(0.8) && wait <= base.mul_f64(1.2) && wait <= RECONNECT_MAX
        };
        assert!(jitter(first.wait, RECONNECT_FIRST), "{:?}", first.wait);
        assert_eq!(
            first.log_line(),
            format!(
                "reconnect: attempt 1 to {TARGET} in {} ms",
                first.wait.as_millis()
            )
        );
        r.retry_started(RoleId(2), &first, now);
        state.role_started(connecting(RoleId(2), Some(1)));

        // The retry fails too: the next one waits about twice as long.
        let second = feed(&mut r, &mut state, failed(RoleId(2))).expect("another retry");
        assert_eq!(second.attempt, 2);
        assert!(
            jitter(second.wait, RECONNECT_FIRST * 2),
            "{:?}",
            second.wait
        );
        r.retry_started(RoleId(3), &second, now);
        state.role_started(connecting(RoleId(3), Some(2)));

        // A failure of a role that is not the attempt's changes nothing.
        assert_eq!(feed(&mut r, &mut state, failed(RoleId(2))), None);
        assert!(r.is_armed());

        // It works: the waits start over, and the turn line has nothing to say.
        assert_eq!(
            feed(&mut r, &mut state, started(RoleId(3), 2, Role::Client)),
            None
        );
        assert_eq!(r.line(&connecting(RoleId(3), None), now), None);
        let again = feed(&mut r, &mut state, ended(2, EndReason::PeerClosed)).expect("a retry");
        assert_eq!(again.attempt, 1);
    }

    #[test]
    fn a_bye_a_stop_or_a_first_connect_that_fails_disarms() {
        for reason in [
            EndReason::WeSaidBye,
            EndReason::PeerSaidBye,
            EndReason::Stopped,
        ] {
            let mut state = State::default();
            state.role_started(connecting(RoleId(1), None));
            let mut r = armed(RoleId(1));
            feed(&mut r, &mut state, started(RoleId(1), 1, Role::Client));
            assert_eq!(feed(&mut r, &mut state, ended(1, reason.clone())), None);
            assert!(!r.is_armed(), "{reason:?}");
        }
        let mut state = State::default();
        state.role_started(connecting(RoleId(1), None));
        let mut r = armed(RoleId(1));
        assert_eq!(feed(&mut r, &mut state, failed(RoleId(1))), None);
        assert!(!r.is_armed(), "nothing to reconnect to");
    }

    #[test]
    fn only_our_own_client_conversations_are_tried_again() {
        let mut state = State::default();
        state.role_started(RoleStatus::Starting { role: RoleId(1) });
        let mut r = armed(RoleId(9));
        feed(&mut r, &mut state, started(RoleId(1), 1, Role::Server));
        assert_eq!(feed(&mut r, &mut state, ended(1, EndReason::Reset)), None);
        assert_eq!(
            feed(&mut r, &mut state, ended(5, EndReason::Reset)),
            None,
            "unknown"
        );
        assert!(
            r.is_armed(),
            "a server's conversations neither retry nor disarm"
        );

        let mut off = Reconnect::default();
        let mut state = State::default();
        state.role_started(connecting(RoleId(1), None));
        off.connect_started(RoleId(1));
        feed(&mut off, &mut state, started(RoleId(1), 1, Role::Client));
        assert_eq!(feed(&mut off, &mut state, ended(1, EndReason::Reset)), None);
    }

    #[test]
    fn the_turn_line_counts_whole_seconds_down_then_says_it_is_trying() {
        let mut r = armed(RoleId(1));
        let retry = Retry {
            config: config(),
            target: TARGET.into(),
            wait: Duration::from_millis(2500),
            attempt: 3,
        };
        let t0 = Instant::now();
        r.retry_started(RoleId(2), &retry, t0);
        let status = connecting(RoleId(2), Some(3));
        let waiting = |seconds| DiscoveryWords::ReconnectWaiting {
            target: TARGET.into(),
            seconds,
            attempt: 3,
        };
        assert_eq!(
            r.line(&status, t0),
            Some(RetryLine {
                words: waiting(3),
                redraw_in: Some(Duration::from_millis(501)),
            })
        );
        assert_eq!(
            r.line(&status, t0 + Duration::from_millis(600)),
            Some(RetryLine {
                words: waiting(2),
                redraw_in: Some(Duration::from_millis(901)),
            })
        );
        // Under a millisecond left is still a second to go, never zero.
        let almost = t0 + Duration::from_millis(2500) - Duration::from_micros(300);
        assert_eq!(r.line(&status, almost).map(|l| l.words), Some(waiting(1)));
        assert_eq!(
            r.line(&status, t0 + Duration::from_secs(3)),
            Some(RetryLine {
                words: DiscoveryWords::ReconnectTrying {
                    target: TARGET.into(),
                    attempt: 3,
                },
                redraw_in: None,
            })
        );
        // Only while connecting: once listening or idle, the line is the state's again.
        assert_eq!(r.line(&RoleStatus::Idle, t0), None);
        r.disarm();
        assert_eq!(r.line(&status, t0), None);
    }
}
