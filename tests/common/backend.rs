//! The backend on loopback, driven directly as the window would drive it: its events read
//! with bounded waits, the configurations the tests start from, and the waits for what a
//! conversation reports (it began, a message went out, it ended).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use turnchat::core::codec::WireEncoding;
use turnchat::core::framing::LineEnding;
use turnchat::core::ids::{RoleId, SessionId};
use turnchat::core::notice::EndReason;
use turnchat::core::turn::{Turn, TurnPolicy};
use turnchat::core::waker::NoWaker;
use turnchat::net::{Backend, ClientConfig, Event, ServerConfig, SessionLink, Timeouts};
use turnchat::state::State;

use super::WAIT;
use super::wire::WELCOME;

/// A backend writing transcripts into `dir/transcripts`, with the real time limits.
pub fn backend(dir: &Path) -> (Backend, Events) {
    backend_with(Some(dir.join("transcripts")), Timeouts::default())
}

/// A backend writing transcripts into `transcripts` (`None`: none), with these limits.
pub fn backend_with(transcripts: Option<PathBuf>, timeouts: Timeouts) -> (Backend, Events) {
    let (b, rx) = Backend::new(Arc::new(NoWaker), transcripts);
    (b.with_timeouts(timeouts), Events::new(rx))
}

/// A server like the reference one: 127.0.0.1 on a free port, the reference welcome, GBK,
/// strict turns, nothing after a message, and the default number of conversations.
pub fn server() -> ServerConfig {
    ServerConfig {
        host: "127.0.0.1".into(),
        port: 0,
        welcome: WELCOME.into(),
        encoding: WireEncoding::Gbk,
        policy: TurnPolicy::Strict,
        line_ending: LineEnding::None,
        max_conversations: turnchat::net::DEFAULT_MAX_CONVERSATIONS,
        per_address: turnchat::net::DEFAULT_PER_ADDRESS,
    }
}

/// A client like the reference one, for 127.0.0.1:`port`.
pub fn client(port: u16) -> ClientConfig {
    ClientConfig {
        host: "127.0.0.1".into(),
        port,
        encoding: WireEncoding::Gbk,
        policy: TurnPolicy::Strict,
        line_ending: LineEnding::None,
    }
}

/// Reads backend events with a deadline, remembering what it saw for failure messages.
pub struct Events {
    rx: Receiver<Event>,
    /// Every event received so far.
    pub seen: Vec<Event>,
}

impl Events {
    /// Wraps a backend's event receiver.
    pub fn new(rx: Receiver<Event>) -> Self {
        Events {
            rx,
            seen: Vec::new(),
        }
    }

    /// Waits until `f` picks an event, skipping others.
    pub fn until<T>(&mut self, what: &str, mut f: impl FnMut(&Event) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) => {
                    let picked = f(&e);
                    self.keep(e);
                    if let Some(t) = picked {
                        return t;
                    }
                }
                Err(_) => panic!("no {what} within {WAIT:?}; events so far: {:#?}", self.seen),
            }
        }
    }

    /// Waits up to `timeout` for the next event.
    pub fn next_within(&mut self, timeout: Duration) -> Option<Event> {
        let e = self.rx.recv_timeout(timeout).ok()?;
        self.seen.push(e.clone());
        Some(e)
    }

    /// Keeps an event for failure messages, as taken: a `Received` gives its share of the
    /// backend's memory budget back, as it does once the window has applied it.
    fn keep(&mut self, mut e: Event) {
        if let Event::Received { held, .. } = &mut e {
            *held = Default::default();
        }
        self.seen.push(e);
    }

    /// Waits for a whole peer message: `Received` events until their text equals `expect`.
    pub fn peer_message(&mut self, expect: &str) {
        let mut text = String::new();
        self.until(&format!("peer message {expect:?}"), |e| match e {
            Event::Received {
                new_message,
                text: t,
                ..
            } => {
                if *new_message {
                    text.clear();
                }
                text.push_str(t);
                (text == expect).then_some(())
            }
            _ => None,
        });
    }
}

/// Waits until the server listens; its address.
pub fn listening(events: &mut Events) -> SocketAddr {
    events.until("Listening", |e| match e {
        Event::Listening { local, .. } => Some(*local),
        Event::RoleFailed { error, .. } => panic!("the server did not start: {error:?}"),
        _ => None,
    })
}

/// What the tests read of a conversation that began ([`Event::SessionStarted`]).
pub struct Started {
    /// Its id.
    pub id: SessionId,
    /// A direct handle on its commands.
    pub link: SessionLink,
    /// The peer.
    pub peer: SocketAddr,
    /// Who speaks first.
    pub first_turn: Turn,
    /// How strictly turns are kept.
    pub policy: TurnPolicy,
    /// What ends each message.
    pub line_ending: LineEnding,
    /// Its transcript file, if it could be created.
    pub file: Option<PathBuf>,
}

/// Waits for the next conversation to begin.
pub fn started(events: &mut Events) -> Started {
    events.until("SessionStarted", |e| match e {
        Event::SessionStarted { info, link, .. } => Some(Started {
            id: info.session,
            link: link.clone(),
            peer: info.peer,
            first_turn: info.first_turn,
            policy: info.policy,
            line_ending: info.line_ending,
            file: info.transcript.clone(),
        }),
        _ => None,
    })
}

/// What went out on the wire for a message ([`Event::Sent`]).
pub struct Sent {
    /// Whose turn it is now.
    pub turn: Turn,
    /// The exact bytes.
    pub bytes: Vec<u8>,
}

/// Waits until `expect` went out (a refusal of anything fails the test).
pub fn sent(events: &mut Events, expect: &str) -> Sent {
    events.until(&format!("Sent {expect:?}"), |e| match e {
        Event::Sent {
            text, turn, bytes, ..
        } if text == expect => Some(Sent {
            turn: *turn,
            bytes: bytes.clone(),
        }),
        Event::SendRefused { text, error, .. } => panic!("{text:?} was refused: {error:?}"),
        _ => None,
    })
}

/// Waits until a conversation ends; why it did.
pub fn ended(events: &mut Events) -> EndReason {
    events.until("SessionEnded", |e| match e {
        Event::SessionEnded { reason, .. } => Some(reason.clone()),
        _ => None,
    })
}

/// Waits until `role` has stopped.
pub fn role_stopped(events: &mut Events, role: RoleId) {
    events.until("RoleStopped", |e| match e {
        Event::RoleStopped { role: r } if *r == role => Some(()),
        _ => None,
    });
}

/// Replays everything seen so far into the window's state, as the app would.
pub fn window_state(events: &Events) -> State {
    let mut state = State::default();
    for e in &events.seen {
        // Every session belongs to "the current role", whatever happened to roles before.
        state.role_started(turnchat::state::RoleStatus::Starting { role: RoleId(1) });
        let e = match e.clone() {
            Event::SessionStarted { info, link, .. } => Event::SessionStarted {
                role: RoleId(1),
                info,
                link,
            },
            other => other,
        };
        state.apply(e);
    }
    state
}
