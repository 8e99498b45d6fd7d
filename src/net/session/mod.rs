//! One conversation over one TCP connection.
//!
//! Runs on its role's thread. A second named thread only reads the socket and hands the
//! chunks over a small bounded channel, so a flooding peer is slowed down by TCP instead of
//! being buffered here. This thread owns everything else, in order: the [`Conversation`]
//! decides, the socket writes, the transcript file records, then the UI hears about it (so a
//! crash never loses a line the window has shown, but for the last 100 ms of an open peer
//! message, which are gathered into one line: [`crate::core::coalesce`]).
//!
//! This file holds the life of a conversation (its start, the grace a new client gets, the
//! loop over reads and commands, its end); [`reader`] reads the socket, [`incoming`] and
//! [`outgoing`] handle each direction, and [`transcript`] keeps the file.

mod incoming;
mod outgoing;
mod reader;
mod transcript;

use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};

pub(crate) use outgoing::welcome_at_once;
use outgoing::write_within;
use reader::{
    Chunk, READ_QUEUE, READER_STACK, ReadEvent, SPARE_BUFFERS, give_back, read_failure, read_loop,
};
use transcript::notice_record;

use super::event::{Event, SessionCommand, SessionInfo, SessionLink};
use super::memory::Reservation;
use super::transcript_file::{RunDisk, TranscriptFile};
use super::{Closable, Links, Outbox, SharedDoor, StopSwitch, now, spawn_thread};
use crate::core::coalesce::Coalescer;
use crate::core::codec::WireEncoding;
use crate::core::conversation::{Conversation, Outgoing, SendError};
use crate::core::framing::LineEnding;
use crate::core::ids::{RoleId, Seq, SessionId};
use crate::core::notice::{EndReason, Notice};
use crate::core::transcript::Speaker;
use crate::core::turn::{Role, SendBlocked, Turn, TurnPolicy};

/// The stack of a conversation's thread (and of the connector, which runs one). Only the
/// pages a thread touches are resident; this bounds the address space 200 take.
pub(crate) const SESSION_STACK: usize = 512 * 1024;

/// How long a newly welcomed client has to say or do anything before it counts as a
/// conversation: one that closes sooner without a word (a port scanner) leaves no trace.
/// Its row appears this much after it connected; its welcome went out at once.
const VANISH_GRACE: Duration = Duration::from_millis(200);

/// What one session needs from its role.
pub(crate) struct SessionSetup {
    /// The id the conversation goes by (chosen by whoever owns its thread).
    pub id: SessionId,
    pub role: RoleId,
    pub as_role: Role,
    pub encoding: WireEncoding,
    pub policy: TurnPolicy,
    /// What ends each message we send; where received text splits.
    pub line_ending: LineEnding,
    /// The server's welcome, sent before anything else (`None` for a client).
    pub welcome: Option<Welcome>,
    pub outbox: Outbox,
    /// This conversation's own stop switch (the connector's is the role's).
    pub stop: Arc<StopSwitch>,
    /// Where the session registers its command handle while it takes commands.
    pub links: Links,
    pub transcripts: Option<PathBuf>,
    /// The run's disk budget for transcripts.
    pub disk: Arc<RunDisk>,
    /// How long one whole message may take to go out ([`super::SEND_TIMEOUT`] normally).
    pub send_timeout: Duration,
    /// What the conversation's owner and the conversation tell each other (whether the
    /// peer said anything; whether it was ended to make room).
    pub marks: Arc<Marks>,
    /// The student's name and seat, for the first transcript line (a server's, when known).
    pub name: Option<(String, Option<String>)>,
}

/// Shared between a conversation and the listener that owns it.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// The peer has sent at least one byte.
    pub spoke: AtomicBool,
    /// Set by the listener before it stops the conversation to make room: the session
    /// then ends with [`EndReason::MadeRoom`] after so many seconds of silence.
    pub made_room: std::sync::Mutex<Option<u64>>,
    /// The server's door and the peer's address, so that the door counts the peer's
    /// computer out the moment the conversation ends (before the window hears of it, so
    /// that a student who reconnects at once finds the place free).
    door: Option<(SharedDoor, IpAddr)>,
    /// The door was told.
    left: AtomicBool,
}

impl Marks {
    /// The marks of a conversation with `from`, let in by `door`.
    pub(crate) fn at_door(door: SharedDoor, from: IpAddr) -> Marks {
        Marks {
            door: Some((door, from)),
            ..Marks::default()
        }
    }

    /// Tells the door the conversation ended (once, whoever asks first).
    pub(crate) fn leave(&self) {
        if let Some((door, from)) = &self.door
            && !self.left.swap(true, std::sync::atomic::Ordering::AcqRel)
        {
            door.change(|d| d.left(*from));
        }
    }

    fn made_room(&self) -> Option<u64> {
        *self
            .made_room
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The most UTF-8 text one wire byte can become: an invalid byte is shown as U+FFFD,
/// three bytes of UTF-8.
const TEXT_PER_BYTE: u64 = 3;

/// A server's welcome as the session gets it.
pub(crate) enum Welcome {
    /// For the session to send.
    Text(String),
    /// Already on the wire: the listener sent it the moment the client was served.
    Sent {
        /// When it went out.
        at: chrono::DateTime<chrono::FixedOffset>,
        /// What went out.
        out: Outgoing,
    },
}

/// Runs a conversation on `stream` until it ends. Returns once the connection is closed
/// and the reader thread has been joined.
pub(crate) fn run(stream: TcpStream, setup: SessionSetup) {
    let SessionSetup {
        id,
        role,
        as_role,
        encoding,
        policy,
        line_ending,
        welcome,
        outbox,
        stop,
        links,
        transcripts,
        disk,
        send_timeout,
        marks,
        name,
    } = setup;
    let started = now();
    let unknown = SocketAddr::from(([0, 0, 0, 0], 0));
    let peer = stream.peer_addr().unwrap_or(unknown);
    let local = stream.local_addr().unwrap_or(unknown);
    let key = format!(
        "{}-{}-{}",
        started.format("%Y%m%dT%H%M%S"),
        std::process::id(),
        id.0
    );

    // Small turns go out at once; a peer that stops reading cannot block us forever.
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(send_timeout));
    let clones = (stream.try_clone(), stream.try_clone());
    let (Ok(reader_stream), Ok(stop_stream)) = clones else {
        let _ = stream.shutdown(Shutdown::Both);
        return;
    };
    if !stop.register(Closable::Stream(stop_stream)) {
        return;
    }

    let first_turn = match as_role {
        Role::Server => Turn::Mine, // the welcome, if any, is our first turn
        Role::Client => Turn::Theirs,
    };
    let (commands_tx, commands) = crossbeam_channel::unbounded();
    let link = SessionLink {
        commands: commands_tx,
    };
    let mut session = Session {
        id,
        key: key.clone(),
        peer: peer.to_string(),
        conversation: Conversation::new(encoding, policy, first_turn).with_line_ending(line_ending),
        clock_zero: Instant::now(),
        stream,
        outbox,
        file: None,
        last_recorded: None,
        lines: Coalescer::default(),
        disk,
        missing: None,
        budget_spent: false,
        mid_message: false,
        held: Vec::new(),
        cut: 0,
        cut_shown: 0,
        send_timeout,
        links: links.clone(),
        marks: Arc::clone(&marks),
        flight: Reservation::default(),
    };
    let (chunks_tx, chunks) = crossbeam_channel::bounded(READ_QUEUE);
    let (spare, spare_rx) = crossbeam_channel::bounded(SPARE_BUFFERS);
    let spares = spare_rx.clone();
    let reader_links = links.clone();
    let pool = Arc::clone(&session.outbox.budgets().reads);
    let reader = spawn_thread(
        format!("turnchat-session-{}-reader", id.0),
        READER_STACK,
        move || read_loop(reader_stream, &chunks_tx, &spare_rx, &reader_links, &pool),
    );

    // A server welcomes at once. A client that then leaves within the grace without a
    // word was never a conversation (a port scanner, a connection test): it is closed
    // without a trace, no row, no file, no notice.
    let mut early = Vec::new();
    let mut welcomed = None;
    let mut welcome_problem = None;
    if as_role == Role::Server && reader.is_ok() {
        match welcome {
            Some(Welcome::Sent { at, out }) => {
                session.conversation.sent(&out);
                welcomed = Some((at, out));
            }
            Some(Welcome::Text(text)) if !text.is_empty() => {
                match session.conversation.prepare(&text) {
                    Ok(out) => {
                        if write_within(&session.stream, &out.bytes, send_timeout).is_ok() {
                            session.conversation.sent(&out);
                            welcomed = Some((now(), out));
                        }
                    }
                    Err(e) => welcome_problem = Some(e),
                }
            }
            _ => {}
        }
        let stayed = select! {
            recv(chunks) -> first => match first {
                Ok(ReadEvent::Data(bytes, read_at)) => {
                    early.push((bytes, read_at));
                    true
                }
                _ => false,
            },
            recv(stop.signal()) -> _ => false,
            default(VANISH_GRACE) => true,
        };
        if !stayed {
            let _ = session.stream.shutdown(Shutdown::Both);
            drop(chunks);
            if let Ok(reader) = reader {
                let _ = reader.join();
            }
            return;
        }
    }

    // The conversation is real: the window and the transcript file hear of it.
    links.insert(id, link.clone());
    let file_error = match transcripts.as_deref() {
        None => None,
        Some(dir) => match TranscriptFile::create(dir, started, &peer.to_string(), &key) {
            Ok(f) => {
                session.file = Some(f);
                None
            }
            Err(error) => Some(error),
        },
    };
    session.outbox.emit(Event::SessionStarted {
        role,
        info: SessionInfo {
            session: id,
            key,
            as_role,
            peer,
            local,
            at: started,
            first_turn,
            encoding,
            policy,
            line_ending,
            transcript: session.file.as_ref().map(|f| f.path().to_path_buf()),
        },
        link,
    });
    let mut hello = notice_record(
        started,
        &session.key,
        &session.peer,
        &Notice::Connected { as_role, peer },
        session.outbox.lang(),
    );
    hello.encoding = Some(encoding);
    hello.role = Some(as_role);
    hello.line_ending = Some(line_ending);
    hello.turns = Some(policy);
    if let Some((name, seat)) = name {
        hello.name = Some(name);
        hello.seat = seat;
    }
    session.record(&hello);
    if let Some(error) = file_error {
        session.notice(Notice::TranscriptFailed { error });
    }
    if let Some(error) = welcome_problem {
        session.notice(Notice::WelcomeNotSent { error });
    }
    if let Some((at, out)) = welcomed {
        session.report_sent(at, &out, None);
    }

    let reason = match reader {
        Ok(reader) => {
            let mut reason = session.drive(early, &chunks, (&spare, &spares), &commands, &stop);
            if reason == EndReason::Stopped
                && let Some(seconds) = marks.made_room()
            {
                reason = EndReason::MadeRoom { seconds };
            }
            // The peer sees a clean close; the reader's blocking read returns.
            let _ = session.stream.shutdown(Shutdown::Both);
            drop(chunks);
            let _ = reader.join();
            reason
        }
        Err(e) => EndReason::Failed {
            detail: format!("no reader thread could be started: {e}"),
        },
    };
    // Nothing more goes out: from here on the backend no longer finds this session and
    // the link refuses new messages; those still queued go back to the user (all before
    // the window hears that the session ended).
    links.remove(id);
    let unsent: Vec<(Option<Seq>, String)> = commands
        .try_iter()
        .filter_map(|c| match c {
            SessionCommand::Send { seq, text } => Some((seq, text)),
            SessionCommand::SendBytes { seq, typed, .. } => Some((seq, typed)),
            SessionCommand::Bye | SessionCommand::SetEncoding { .. } => None,
        })
        .collect();
    drop(commands);
    for (seq, text) in unsent {
        session.outbox.emit(Event::SendRefused {
            session: session.id,
            seq,
            text,
            error: SendError::Blocked(SendBlocked::Ended),
        });
    }
    session.finish(reason);
}

/// A real conversation on its thread: what it decides with, where it writes and whom it
/// tells. Its incoming, outgoing and transcript methods live in the files beside this one.
struct Session {
    id: SessionId,
    key: String,
    peer: String,
    conversation: Conversation,
    /// The fixed point the conversation's chunk times count from.
    clock_zero: Instant,
    stream: TcpStream,
    outbox: Outbox,
    /// The live transcript; `None` if it could not be created, or was deleted or moved.
    file: Option<TranscriptFile>,
    /// Who the last line written to the file was from.
    last_recorded: Option<Speaker>,
    /// The pieces of the open peer message not yet written to the file.
    lines: Coalescer,
    /// The run's disk budget for transcripts, shared with its other conversations.
    disk: Arc<RunDisk>,
    /// Lines a full disk kept out of the file (writing is tried again at each line).
    missing: Option<transcript::Missing>,
    /// A disk budget was reached: nothing more goes into the file.
    budget_spent: bool,
    /// A piece of the peer's open message is being written to the file.
    mid_message: bool,
    /// What the file had to tell the window meanwhile, held until the message ends.
    held: Vec<(chrono::DateTime<chrono::FixedOffset>, Notice)>,
    /// Bytes of the open peer message that were over the display cap.
    cut: u64,
    /// How many of those the window has been told about.
    cut_shown: u64,
    /// How long one whole message may take to go out.
    send_timeout: Duration,
    /// Every live conversation's command handle (this one's too, once it is real).
    links: Links,
    /// Shared with the conversation's owner.
    marks: Arc<Marks>,
    /// Room on the way to the window for the events of the chunk being handled.
    flight: Reservation,
}

impl Session {
    /// Runs until the conversation ends, and says why.
    fn drive(
        &mut self,
        early: Vec<(Chunk, Instant)>,
        chunks: &Receiver<ReadEvent>,
        (spare, spares): (&Sender<Chunk>, &Receiver<Chunk>),
        commands: &Receiver<SessionCommand>,
        stop: &StopSwitch,
    ) -> EndReason {
        for (chunk, read_at) in early {
            if self.take_in(&chunk.bytes, read_at, stop) {
                return EndReason::PeerSaidBye;
            }
            give_back(spare, spares, chunk);
        }
        loop {
            // The gathered peer line is written when it falls due, or with what comes first.
            let due = self
                .peer_deadline()
                .map_or_else(crossbeam_channel::never, crossbeam_channel::at);
            select! {
                recv(due) -> _ => self.flush_due(),
                recv(chunks) -> event => match event {
                    Ok(ReadEvent::Data(chunk, read_at)) => {
                        if self.take_in(&chunk.bytes, read_at, stop) {
                            return EndReason::PeerSaidBye;
                        }
                        // The reader reads into it again, or the burst is over.
                        give_back(spare, spares, chunk);
                    }
                    Ok(ReadEvent::Eof) | Err(_) => {
                        return if stop.is_stopped() { EndReason::Stopped } else { EndReason::PeerClosed };
                    }
                    Ok(ReadEvent::Failed(e)) => return read_failure(&e, stop),
                },
                recv(commands) -> command => match command {
                    Ok(SessionCommand::Send { seq, text }) => {
                        let prepared = self.conversation.prepare(&text);
                        if let Some(reason) = self.send_prepared(prepared, seq, text, stop) {
                            return reason;
                        }
                    }
                    Ok(SessionCommand::SendBytes { seq, typed, bytes }) => {
                        let prepared = self.conversation.prepare_raw(bytes);
                        if let Some(reason) = self.send_prepared(prepared, seq, typed, stop) {
                            return reason;
                        }
                    }
                    Ok(SessionCommand::SetEncoding { encoding }) => self.set_encoding(encoding),
                    Ok(SessionCommand::Bye) => {
                        return match self.conversation.prepare_bye() {
                            Ok(out) => self.send(&out, None, stop).err().unwrap_or(EndReason::WeSaidBye),
                            Err(_) => EndReason::WeSaidBye,
                        };
                    }
                    // The UI let go of this session: close it.
                    Err(_) => return EndReason::Stopped,
                },
            }
        }
    }

    /// Handles a chunk of peer bytes once the window has room for what it will hear of it
    /// (see [`super::memory`]): at most [`TEXT_PER_BYTE`] bytes of text, and the bytes
    /// themselves, per byte read. Returns true when the peer said `bye`.
    fn take_in(&mut self, bytes: &[u8], read_at: Instant, stop: &StopSwitch) -> bool {
        let need = (bytes.len() as u64).saturating_mul(TEXT_PER_BYTE + 1);
        self.flight = self.outbox.budgets().flight.reserve(need, stop);
        let bye = self.on_bytes(bytes, read_at);
        // What the events did not take goes back.
        self.flight = Reservation::default();
        bye
    }

    /// Switches the conversation's encoding: a `system` line carrying the new encoding
    /// goes into the file (so History reads later messages with it), then the window hears.
    fn set_encoding(&mut self, to: WireEncoding) {
        let from = self.conversation.encoding();
        if from == to {
            return;
        }
        self.conversation.set_encoding(to);
        let at = now();
        let mut line = notice_record(
            at,
            &self.key,
            &self.peer,
            &Notice::EncodingChanged { from, to },
            self.outbox.lang(),
        );
        line.encoding = Some(to);
        self.record(&line);
        self.outbox.emit(Event::EncodingChanged {
            session: self.id,
            at,
            from,
            to,
        });
    }

    /// Closes what the peer left open, then records and reports why the session ended.
    fn finish(&mut self, reason: EndReason) {
        let at = now();
        if let Some(tail) = self.conversation.end() {
            self.peer_tail(at, &tail);
        }
        self.close_cut(at);
        let notice = Notice::Ended {
            reason: reason.clone(),
        };
        let record = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
        self.record(&record);
        self.marks.leave();
        self.outbox.emit(Event::SessionEnded {
            session: self.id,
            at,
            reason,
        });
    }
}
