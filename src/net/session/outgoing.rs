//! The outgoing side of a conversation: the welcome, our messages, and the bounded write
//! that keeps a peer who stops reading from blocking us for ever.
//!
//! A message goes out whole first; only then do the transcript file and the window hear
//! of it (in that order, so a crash never loses a line the window has shown).

use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use super::{Session, Welcome};
use crate::core::codec::WireEncoding;
use crate::core::conversation::{Conversation, Outgoing, SendError};
use crate::core::framing::LineEnding;
use crate::core::ids::Seq;
use crate::core::notice::EndReason;
use crate::core::transcript::{Record, Speaker};
use crate::core::turn::{SendBlocked, Turn, TurnPolicy};
use crate::net::event::Event;
use crate::net::{StopSwitch, now};

/// Sends `text` as the welcome on a freshly served, non-blocking connection, without
/// waiting for any thread: the first thing a client reads arrives as soon as it is
/// served. A welcome fits in a new connection's empty send buffer, so this does not
/// block; one that does not go out whole at once (or is refused by the guard) is left to
/// the session, which sends it (or says why not) as before.
pub(crate) fn welcome_at_once(
    stream: &TcpStream,
    text: &str,
    encoding: WireEncoding,
    policy: TurnPolicy,
    line_ending: LineEnding,
) -> Welcome {
    let later = || Welcome::Text(text.to_owned());
    if text.is_empty() {
        return later();
    }
    let Ok(out) = Conversation::new(encoding, policy, Turn::Mine)
        .with_line_ending(line_ending)
        .prepare(text)
    else {
        return later();
    };
    let mut writer = stream;
    match writer.write(&out.bytes) {
        Ok(n) if n == out.bytes.len() => Welcome::Sent { at: now(), out },
        // Nothing went out: the session sends it whole.
        Ok(0) | Err(_) => later(),
        // A part went out (a welcome bigger than the buffer): the rest follows, bounded.
        Ok(n) => {
            let rest_sent = stream.set_nonblocking(false).is_ok()
                && write_within(stream, &out.bytes[n..], WELCOME_REST).is_ok();
            let at = now();
            if !rest_sent {
                // The connection is failing; the session will find out and say so.
                let _ = stream.shutdown(Shutdown::Both);
            }
            Welcome::Sent { at, out }
        }
    }
}

/// How long the rest of a welcome that did not go out whole at once may take.
const WELCOME_REST: Duration = Duration::from_secs(2);

impl Session {
    /// Sends a prepared message, or gives the user back why not. Returns why the session
    /// must end, if it must.
    pub(super) fn send_prepared(
        &mut self,
        prepared: Result<Outgoing, SendError>,
        seq: Option<Seq>,
        text: String,
        stop: &StopSwitch,
    ) -> Option<EndReason> {
        match prepared {
            Ok(out) => {
                if let Err(reason) = self.send(&out, seq, stop) {
                    // The message did not (wholly) go out: give the user their text back
                    // instead of letting it vanish with the session.
                    self.outbox.emit(Event::SendRefused {
                        session: self.id,
                        seq,
                        text,
                        error: SendError::Blocked(SendBlocked::Ended),
                    });
                    return Some(reason);
                }
                out.is_bye.then_some(EndReason::WeSaidBye)
            }
            Err(error) => {
                self.outbox.emit(Event::SendRefused {
                    session: self.id,
                    seq,
                    text,
                    error,
                });
                None
            }
        }
    }

    /// Writes a message. On failure, says why the session must end.
    pub(super) fn send(
        &mut self,
        out: &Outgoing,
        seq: Option<Seq>,
        stop: &StopSwitch,
    ) -> Result<(), EndReason> {
        if let Err(e) = write_within(&self.stream, &out.bytes, self.send_timeout) {
            return Err(if stop.is_stopped() {
                EndReason::Stopped
            } else {
                write_failure(&e, self.send_timeout)
            });
        }
        let at = now();
        if let Some(tail) = self.conversation.sent(out) {
            self.peer_tail(at, &tail);
        }
        self.report_sent(at, out, seq);
        Ok(())
    }

    /// Tells the file and the window that a message of ours went out at `at`.
    pub(super) fn report_sent(
        &mut self,
        at: chrono::DateTime<chrono::FixedOffset>,
        out: &Outgoing,
        seq: Option<Seq>,
    ) {
        self.close_cut(at);
        let record = Record::message(
            at,
            &self.key,
            &self.peer,
            Speaker::Me,
            &out.text,
            &out.bytes,
        );
        self.record(&record);
        self.outbox.emit(Event::Sent {
            session: self.id,
            seq,
            at,
            text: out.text.clone(),
            bytes: out.bytes.clone(),
            turn: self.conversation.turn(),
        });
    }
}

/// Writes all of `bytes`, or fails with `TimedOut` once `limit` has passed in total.
///
/// The socket's write timeout alone bounds each `write` call, not the message: a peer that
/// reads a trickle lets every call make a little progress, so `write_all` could block for
/// ever on a long message. Each call therefore gets only the time that is left.
pub(super) fn write_within(
    stream: &TcpStream,
    mut bytes: &[u8],
    limit: Duration,
) -> io::Result<()> {
    let mut writer = stream;
    let deadline = Instant::now() + limit;
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::from(io::ErrorKind::TimedOut));
        }
        stream.set_write_timeout(Some(left))?;
        match writer.write(bytes) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn write_failure(e: &io::Error, limit: Duration) -> EndReason {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => EndReason::SendTimedOut {
            seconds: limit.as_secs(),
        },
        io::ErrorKind::BrokenPipe
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted => EndReason::Reset,
        _ => EndReason::Failed {
            detail: e.to_string(),
        },
    }
}
