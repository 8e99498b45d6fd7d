//! A server for a whole class: many clients at once, one conversation each, over real
//! loopback TCP, with the Python reference client and with Rust clients that behave like
//! it (one message per turn, strict GBK). Every wait is bounded; nothing sleeps.

mod class;
mod flood;
mod memory;
mod queue;

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::common::backend::{Events, backend, listening, server};
use turnchat::core::ids::{Seq, SessionId};
use turnchat::core::notice::EndReason;
use turnchat::net::{Backend, Event, ServerConfig};

/// A backend with a server started with `config`, and its address.
fn start(dir: &std::path::Path, config: ServerConfig) -> (Backend, Events, SocketAddr) {
    let (mut b, mut events) = backend(dir);
    b.start_server(config);
    let addr = listening(&mut events);
    (b, events, addr)
}

/// A server for at most `n` conversations at once.
fn at_most(n: usize) -> ServerConfig {
    ServerConfig {
        max_conversations: n,
        ..server()
    }
}

/// What the server side has seen, per conversation, from the event stream.
#[derive(Default)]
struct Seen {
    /// Conversation by the client's address.
    by_peer: HashMap<SocketAddr, SessionId>,
    /// Each conversation's peer messages so far (the last one may be incomplete).
    messages: HashMap<SessionId, Vec<String>>,
    /// Each conversation's transcript file.
    files: HashMap<SessionId, std::path::PathBuf>,
    /// How each ended.
    ended: HashMap<SessionId, EndReason>,
}

impl Seen {
    fn take(&mut self, e: &Event) {
        match e {
            Event::SessionStarted { info, .. } => {
                self.by_peer.insert(info.peer, info.session);
                self.messages.entry(info.session).or_default();
                if let Some(t) = &info.transcript {
                    self.files.insert(info.session, t.clone());
                }
            }
            Event::Received {
                session,
                text,
                new_message,
                ..
            } => {
                let m = self.messages.entry(*session).or_default();
                if *new_message || m.is_empty() {
                    m.push(String::new());
                }
                if let Some(last) = m.last_mut() {
                    last.push_str(text);
                }
            }
            Event::SessionEnded {
                session, reason, ..
            } => {
                self.ended.insert(*session, reason.clone());
            }
            _ => {}
        }
    }

    /// Waits until `done` holds, feeding every event in.
    fn until(&mut self, events: &mut Events, what: &str, done: impl Fn(&Seen) -> bool) {
        if done(self) {
            return;
        }
        events.until(what, |e| {
            self.take(e);
            done(self).then_some(())
        });
    }

    fn session(&self, peer: SocketAddr) -> SessionId {
        self.by_peer[&peer]
    }

    fn said(&self, s: SessionId) -> &[String] {
        self.messages.get(&s).map_or(&[], Vec::as_slice)
    }
}

/// Hands a reply to the backend, numbered like the window does.
fn reply(b: &Backend, seq: &mut u64, session: SessionId, text: &str) {
    *seq += 1;
    assert_eq!(b.send(session, Seq(*seq), text.to_owned()), Ok(()));
}

/// The peer's and our messages in a transcript file, each joined from its lines.
fn file_messages(path: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(path).expect("transcript");
    let (mut peer, mut me) = (Vec::<String>::new(), Vec::<String>::new());
    // Turns alternate: consecutive peer lines (notices aside) are one peer message.
    let mut peer_open = false;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let t = v["text"].as_str().unwrap_or_default().to_owned();
        match v["from"].as_str() {
            Some("peer") if peer_open => {
                if let Some(m) = peer.last_mut() {
                    m.push_str(&t);
                }
            }
            Some("peer") => {
                peer.push(t);
                peer_open = true;
            }
            Some("me") => {
                me.push(t);
                peer_open = false;
            }
            _ => {}
        }
    }
    (peer, me)
}

/// The number in a client's message `客户N第T句。`.
fn client_number(message: &str) -> usize {
    message
        .trim_start_matches("客户")
        .split('第')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a client number")
}

/// Answers, through the backend as the window does, every complete message (ending in
/// `。`) of `session` not answered yet: turn T of client N gets `回N-T。`.
fn answer_new_messages(
    b: &Backend,
    seen: &Seen,
    session: SessionId,
    answered: &mut HashMap<SessionId, usize>,
    seq: &mut u64,
) {
    let said = seen.said(session);
    let n = answered.entry(session).or_default();
    while *n < said.len() && said[*n].ends_with('。') {
        let text = format!("回{}-{}。", client_number(&said[*n]), *n);
        *n += 1;
        reply(b, seq, session, &text);
    }
}
