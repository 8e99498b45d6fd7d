//! One conversation over one TCP connection.
//!
//! Runs on its role's thread. A second named thread only reads the socket and hands the
//! chunks over a small bounded channel, so a flooding peer is slowed down by TCP instead of
//! being buffered here. This thread owns everything else, in order: the [`Conversation`]
//! decides, the socket writes, the transcript file records, then the UI hears about it (so a
//! crash never loses a line the window has shown).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};

use super::event::{Event, SessionCommand, SessionInfo, SessionLink};
use super::transcript_file::TranscriptFile;
use super::{Closable, Links, Outbox, StopSwitch, now, spawn_thread};
use crate::core::codec::WireEncoding;
use crate::core::conversation::{Conversation, DISPLAY_CAP_BYTES, Incoming, Outgoing, SendError};
use crate::core::framing::{
    Bucket, FLOOD_BESIDE_PER_SECOND, FREE_KEEP_BURST, FREE_KEEP_PER_SECOND, LineEnding,
};
use crate::core::ids::{RoleId, Seq, SessionId};
use crate::core::lang::{Lang, Say};
use crate::core::notice::{EndReason, Notice};
use crate::core::transcript::{Record, Speaker};
use crate::core::turn::Role;
use crate::core::turn::{Placement, SendBlocked, Turn, TurnPolicy};

/// How much one read takes at most, once the peer sends a lot.
const READ_CHUNK: usize = 256 * 1024;

/// How much one read takes while the peer sends little: chat messages fit, and an idle
/// conversation keeps only this much buffer (the reader switches to [`READ_CHUNK`] the
/// first time a read fills it).
const SMALL_READ: usize = 4 * 1024;

/// The stack of a conversation's thread (and of the connector, which runs one). Only the
/// pages a thread touches are resident; this bounds the address space 200 take.
pub(crate) const SESSION_STACK: usize = 512 * 1024;

/// How long a newly welcomed client has to say or do anything before it counts as a
/// conversation: one that closes sooner without a word (a port scanner) leaves no trace.
/// Its row appears this much after it connected; its welcome went out at once.
const VANISH_GRACE: Duration = Duration::from_millis(200);

/// After this many full big reads in a row (1 MiB at once) the peer is flooding, and the
/// reader gives way to the other conversations, if there are any (see `read_loop`).
const FLOOD_READS: u32 = 4;

/// The reader thread only reads into a heap buffer and hands chunks over.
const READER_STACK: usize = 128 * 1024;

/// While a peer message is over the display cap, the window hears of the cut bytes at
/// least every this many bytes (and exactly when the message ends).
const CUT_REPORT_STEP: u64 = DISPLAY_CAP_BYTES as u64;

/// How many read chunks may wait for this thread (bounds memory at 4 × 256 KiB).
const READ_QUEUE: usize = 4;

/// How many read buffers the conversation hands back to its reader for reuse: enough
/// for every chunk in flight (the queue, the one being handled and the one being read).
const SPARE_BUFFERS: usize = READ_QUEUE + 2;

/// A flood beside other conversations may take this much at once before its pace holds.
const FLOOD_PACE_BURST: u64 = 4 * READ_CHUNK as u64;

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
    /// How long one whole message may take to go out ([`super::SEND_TIMEOUT`] normally).
    pub send_timeout: Duration,
}

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

enum ReadEvent {
    /// Bytes, and when they were read (free talk groups them by the pauses between).
    Data(Vec<u8>, Instant),
    Eof,
    Failed(io::Error),
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
        send_timeout,
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
        cut: 0,
        cut_shown: 0,
        send_timeout,
        links: links.clone(),
    };
    let (chunks_tx, chunks) = crossbeam_channel::bounded(READ_QUEUE);
    let (spare, spare_rx) = crossbeam_channel::bounded(SPARE_BUFFERS);
    let reader_links = links.clone();
    let reader = spawn_thread(
        format!("turnchat-session-{}-reader", id.0),
        READER_STACK,
        move || read_loop(reader_stream, &chunks_tx, &spare_rx, &reader_links),
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
            let reason = session.drive(early, &chunks, &spare, &commands, &stop);
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

/// A `system` line for the transcript file: its kind, and its words in `lang` (the
/// window's language of the moment).
fn notice_record(
    at: chrono::DateTime<chrono::FixedOffset>,
    key: &str,
    peer: &str,
    notice: &Notice,
    lang: Lang,
) -> Record {
    Record::notice(at, key, peer, Some(notice.kind()), &notice.say(lang))
}

fn read_loop(
    mut stream: TcpStream,
    chunks: &Sender<ReadEvent>,
    spare: &Receiver<Vec<u8>>,
    links: &Links,
) {
    let mut size = SMALL_READ;
    // Big reads in a row, up to the point where the peer counts as flooding.
    let mut full_reads = 0;
    let clock_zero = Instant::now();
    // Set the first time the peer floods while other conversations are live.
    let mut pace: Option<Bucket> = None;
    loop {
        let mut buf = next_buffer(spare, size);
        let mut read = 0;
        let event = match stream.read(&mut buf) {
            Ok(0) => ReadEvent::Eof,
            Ok(n) => {
                buf.truncate(n);
                read = n;
                if n == size && size < READ_CHUNK {
                    // The peer sends more than a chat message at a time: read in big chunks.
                    size = READ_CHUNK;
                } else if n == READ_CHUNK && full_reads < FLOOD_READS {
                    full_reads += 1;
                } else if n < READ_CHUNK && full_reads < FLOOD_READS {
                    full_reads = 0;
                }
                ReadEvent::Data(buf, Instant::now())
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => ReadEvent::Failed(e),
        };
        let last = !matches!(event, ReadEvent::Data(..));
        if chunks.send(event).is_err() || last {
            return;
        }
        // A flood beside other conversations gives way to them: a lower priority, and
        // reads at most at FLOOD_BESIDE_PER_SECOND while they are live. Alone, it is read
        // as fast as it comes (the window and the file only keep the capped part anyway).
        if full_reads == FLOOD_READS && links.len() > 1 {
            let bucket = pace.get_or_insert_with(|| {
                super::give_way();
                Bucket::new(FLOOD_PACE_BURST, FLOOD_BESIDE_PER_SECOND)
            });
            bucket.refill(clock_zero.elapsed());
            let wait = bucket.wait_for(read as u64);
            if !wait.is_zero() {
                // Short (2.5 ms for a full read): a stop still ends the next read at once.
                std::thread::sleep(wait);
                bucket.refill(clock_zero.elapsed());
            }
            bucket.take(read as u64);
        }
    }
}

/// A buffer of `size` bytes for the next read: one the conversation has handed back if
/// there is one (a flood then costs no allocation and no copy per read), else a new one.
fn next_buffer(spare: &Receiver<Vec<u8>>, size: usize) -> Vec<u8> {
    while let Ok(mut buf) = spare.try_recv() {
        if buf.capacity() >= size {
            buf.resize(size, 0);
            return buf;
        }
    }
    vec![0u8; size]
}

struct Session {
    id: SessionId,
    key: String,
    peer: String,
    conversation: Conversation,
    /// The fixed point the conversation's chunk times count from.
    clock_zero: Instant,
    stream: TcpStream,
    outbox: Outbox,
    /// The live transcript; `None` if it could not be created or a write failed.
    file: Option<TranscriptFile>,
    /// Who the last line written to the file was from.
    last_recorded: Option<Speaker>,
    /// Bytes of the open peer message that were over the display cap.
    cut: u64,
    /// How many of those the window has been told about.
    cut_shown: u64,
    /// How long one whole message may take to go out.
    send_timeout: Duration,
    /// Every live conversation's command handle (this one's too, once it is real).
    links: Links,
}

impl Session {
    /// Runs until the conversation ends, and says why.
    fn drive(
        &mut self,
        early: Vec<(Vec<u8>, Instant)>,
        chunks: &Receiver<ReadEvent>,
        spare: &Sender<Vec<u8>>,
        commands: &Receiver<SessionCommand>,
        stop: &StopSwitch,
    ) -> EndReason {
        for (bytes, read_at) in early {
            if self.on_bytes(&bytes, read_at) {
                return EndReason::PeerSaidBye;
            }
            let _ = spare.try_send(bytes);
        }
        loop {
            select! {
                recv(chunks) -> event => match event {
                    Ok(ReadEvent::Data(bytes, read_at)) => {
                        if self.on_bytes(&bytes, read_at) {
                            return EndReason::PeerSaidBye;
                        }
                        // The reader reads into it again.
                        let _ = spare.try_send(bytes);
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

    /// Sends a prepared message, or gives the user back why not. Returns why the session
    /// must end, if it must.
    fn send_prepared(
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

    /// Handles peer bytes read at `read_at`; returns true when the peer said `bye` (what
    /// follows a `bye` in the same chunk is not shown: the conversation is over).
    fn on_bytes(&mut self, bytes: &[u8], read_at: Instant) -> bool {
        let since = read_at.saturating_duration_since(self.clock_zero);
        for piece in self.conversation.receive_at(bytes, since) {
            if self.on_piece(bytes, piece) {
                return true;
            }
        }
        false
    }

    /// Handles one piece of a chunk (a line, or the whole chunk).
    fn on_piece(&mut self, bytes: &[u8], incoming: Incoming) -> bool {
        let at = now();
        let bytes = &bytes[incoming.kept_range()];
        let new_message = incoming.placement == Placement::NewMessage;
        if new_message {
            self.close_cut(at);
        }
        let first_cut = incoming.cut > 0 && self.cut == 0;
        self.cut = self.cut.saturating_add(incoming.cut as u64);
        if incoming.kept > 0 || new_message || !incoming.text.is_empty() {
            let mut record = Record::message(
                at,
                &self.key,
                &self.peer,
                Speaker::Peer,
                &incoming.text,
                bytes,
            );
            if new_message && self.last_recorded == Some(Speaker::Peer) {
                // A line or a pause ended the message before: say so, or a reader would
                // join the two.
                record.new_message = Some(true);
            }
            self.record(&record);
            self.outbox.emit(Event::Received {
                session: self.id,
                at,
                text: incoming.text,
                bytes: bytes.to_vec(),
                new_message,
                cut: 0,
                turn: self.conversation.turn(),
            });
        }
        if first_cut {
            // A message over the display cap: this peer floods. Its conversation gives way
            // to the others, if there are any, from now on.
            if self.links.len() > 1 {
                super::give_way();
            }
            // Into the file only, after the kept text, so that the file reads in order. In
            // the window a notice now would close the peer's message, which is still open:
            // the count under its bubble says it instead, and a notice follows at its end.
            let notice = if incoming.over_rate {
                Notice::OverRate {
                    kib_per_second: usize::try_from(FREE_KEEP_PER_SECOND / 1024)
                        .unwrap_or(usize::MAX),
                    burst_mib: usize::try_from(FREE_KEEP_BURST / (1024 * 1024))
                        .unwrap_or(usize::MAX),
                }
            } else {
                Notice::OverCap {
                    mib: DISPLAY_CAP_BYTES / (1024 * 1024),
                }
            };
            self.record(&notice_record(
                at,
                &self.key,
                &self.peer,
                &notice,
                self.outbox.lang(),
            ));
        }
        // The window's count of cut bytes keeps up, one event per MiB cut at most.
        if first_cut || self.cut - self.cut_shown >= CUT_REPORT_STEP {
            self.show_cut(at);
        }
        incoming.said_bye
    }

    /// Writes a message. On failure, says why the session must end.
    fn send(
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
    fn report_sent(
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

    /// A partial character the peer left at the end of its message, shown as U+FFFD.
    fn peer_tail(&mut self, at: chrono::DateTime<chrono::FixedOffset>, tail: &str) {
        let record = Record::message(at, &self.key, &self.peer, Speaker::Peer, tail, &[]);
        self.record(&record);
        self.outbox.emit(Event::Received {
            session: self.id,
            at,
            text: tail.to_owned(),
            bytes: Vec::new(),
            new_message: false,
            cut: 0,
            turn: self.conversation.turn(),
        });
    }

    /// Adds the cut bytes the window has not heard of yet to the open peer message.
    fn show_cut(&mut self, at: chrono::DateTime<chrono::FixedOffset>) {
        let unshown = self.cut - self.cut_shown;
        if unshown == 0 {
            return;
        }
        self.cut_shown = self.cut;
        self.outbox.emit(Event::Received {
            session: self.id,
            at,
            text: String::new(),
            bytes: Vec::new(),
            new_message: false,
            cut: unshown,
            turn: self.conversation.turn(),
        });
    }

    /// Reports how much of the peer message that just closed was cut, if any.
    fn close_cut(&mut self, at: chrono::DateTime<chrono::FixedOffset>) {
        if self.cut == 0 {
            return;
        }
        self.show_cut(at);
        let cut = std::mem::take(&mut self.cut);
        self.cut_shown = 0;
        let notice = Notice::Cut { bytes: cut };
        let mut record = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
        record.cut = Some(cut);
        self.record(&record);
        self.outbox.emit(Event::Notice {
            session: self.id,
            at,
            notice,
        });
    }

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
        self.outbox.emit(Event::SessionEnded {
            session: self.id,
            at,
            reason,
        });
    }

    /// A notice for the user, also kept in the transcript file.
    fn notice(&mut self, notice: Notice) {
        let at = now();
        let record = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
        self.record(&record);
        self.outbox.emit(Event::Notice {
            session: self.id,
            at,
            notice,
        });
    }

    /// Appends to the transcript file; on failure, says so once and stops writing.
    fn record(&mut self, record: &Record) {
        self.last_recorded = Some(record.from);
        let Some(file) = self.file.as_mut() else {
            return;
        };
        if let Err(error) = file.append(record) {
            self.file = None;
            self.outbox.emit(Event::Notice {
                session: self.id,
                at: now(),
                notice: Notice::TranscriptFailed { error },
            });
        }
    }
}

fn read_failure(e: &io::Error, stop: &StopSwitch) -> EndReason {
    if stop.is_stopped() {
        return EndReason::Stopped;
    }
    match e.kind() {
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => EndReason::Reset,
        _ => EndReason::Failed {
            detail: e.to_string(),
        },
    }
}

/// Writes all of `bytes`, or fails with `TimedOut` once `limit` has passed in total.
///
/// The socket's write timeout alone bounds each `write` call, not the message: a peer that
/// reads a trickle lets every call make a little progress, so `write_all` could block for
/// ever on a long message. Each call therefore gets only the time that is left.
fn write_within(stream: &TcpStream, mut bytes: &[u8], limit: Duration) -> io::Result<()> {
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
