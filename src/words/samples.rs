//! A sample of every value the catalogue words, with the argument values each must show,
//! for the catalogue's tests (here, and the font test in `ui/fonts.rs`). Compiled for tests
//! only.
//!
//! Each type's samples are checked to cover every one of its variants: the list of
//! variants below is an exhaustive `match`, so a new variant does not compile until it is
//! named here, and the tests then fail until it has a sample.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::DateTime;

use super::{Label, Phrase};
use crate::core::address::FieldError;
use crate::core::codec::{Unencodable, WireEncoding};
use crate::core::conversation::SendError;
use crate::core::disk_budget::BudgetScope;
use crate::core::error::NetError;
use crate::core::export::{ExportFormat, ExportHeader};
use crate::core::ids::SessionId;
use crate::core::lang::Say;
use crate::core::notice::{EndReason, Notice, TranscriptError};
use crate::core::transcript::ParseError;
use crate::core::turn::{Role, SendBlocked};
use crate::desktop::file_notice::{FileNotice, HistoryProblem};
use crate::desktop::files::{OpenFolderError, SaveError, SaveErrorKind, SettingsLoadError};
use crate::desktop::jobs::SaveSource;

/// A distinctive address: it must appear in both languages' words.
pub const ADDR: &str = "203.0.113.7:9999";
/// A distinctive host name.
pub const HOST: &str = "marker-host.example";
/// A distinctive piece of an operating system's words.
pub const DETAIL: &str = "os-detail-7731";
/// A distinctive folder.
pub const DIR: &str = "/srv/marker-dir";
/// A distinctive number.
pub const COUNT: usize = 4321;
/// A distinctive number of seconds.
pub const SECONDS: u64 = 47;

/// One value to word, the type and variant it stands for, and what its words must show.
pub struct Sample {
    /// The type's name.
    pub ty: &'static str,
    /// Which of the type's variants it is (an index into the type's list).
    pub variant: usize,
    /// How many variants the type has.
    pub variants: usize,
    /// The value.
    pub value: Box<dyn Say>,
    /// Texts both languages' words must contain.
    pub markers: Vec<String>,
}

/// The index of `$value`'s variant among `$pat`s (an exhaustive match), and how many.
macro_rules! variant_of {
    ($value:expr; $($pat:pat),+ $(,)?) => {{
        let names = [$(stringify!($pat)),+];
        let mut index = 0usize;
        let mut at = usize::MAX;
        #[allow(unused_assignments)]
        {
            $(
                if at == usize::MAX && matches!($value, $pat) {
                    at = index;
                }
                index += 1;
            )+
        }
        // Exhaustive: a new variant must be named above.
        match $value {
            $($pat => {})+
        }
        (at, names.len())
    }};
}

fn addr() -> SocketAddr {
    ADDR.parse()
        .unwrap_or_else(|_| SocketAddr::from(([203, 0, 113, 7], 9999)))
}

fn path(name: &str) -> PathBuf {
    PathBuf::from(DIR).join(name)
}

fn push<T: Say + 'static>(
    out: &mut Vec<Sample>,
    ty: &'static str,
    (variant, variants): (usize, usize),
    value: T,
    markers: &[&str],
) {
    out.push(Sample {
        ty,
        variant,
        variants,
        value: Box::new(value),
        markers: markers.iter().map(|m| (*m).to_owned()).collect(),
    });
}

fn net_errors(out: &mut Vec<Sample>) {
    let a = || ADDR.to_owned();
    for (e, markers) in [
        (NetError::AddrInUse { addr: a() }, vec![ADDR]),
        (NetError::PrivilegedPort { addr: a() }, vec![ADDR, "1024"]),
        (NetError::PortReserved { addr: a() }, vec![ADDR, "netsh"]),
        (NetError::ListenForbidden { addr: a() }, vec![ADDR]),
        (
            NetError::AddrNotAvailable { addr: a() },
            vec![ADDR, "0.0.0.0"],
        ),
        (NetError::NameNotFound { host: HOST.into() }, vec![HOST]),
        (NetError::Refused { addr: a() }, vec![ADDR]),
        (
            NetError::TimedOut {
                addr: a(),
                seconds: SECONDS,
            },
            vec![ADDR, "47"],
        ),
        (NetError::Unreachable { addr: a() }, vec![ADDR]),
        (
            NetError::Listen {
                addr: a(),
                detail: DETAIL.into(),
            },
            vec![ADDR, DETAIL],
        ),
        (
            NetError::Connect {
                addr: a(),
                detail: DETAIL.into(),
            },
            vec![ADDR, DETAIL],
        ),
    ] {
        let v = variant_of!(&e;
            NetError::AddrInUse { .. }, NetError::PrivilegedPort { .. },
            NetError::PortReserved { .. }, NetError::ListenForbidden { .. },
            NetError::AddrNotAvailable { .. }, NetError::NameNotFound { .. },
            NetError::Refused { .. }, NetError::TimedOut { .. }, NetError::Unreachable { .. },
            NetError::Listen { .. }, NetError::Connect { .. });
        push(out, "NetError", v, e, &markers);
    }
}

fn field_errors(out: &mut Vec<Sample>) {
    for (e, markers) in [
        (FieldError::EmptyHost, vec!["192.168.1.5"]),
        (FieldError::BadHost { text: HOST.into() }, vec![HOST]),
        (
            FieldError::BadPort {
                text: "88888".into(),
                allow_zero: true,
            },
            vec!["88888", "0 "],
        ),
        (
            FieldError::BadPort {
                text: "0".into(),
                allow_zero: false,
            },
            vec!["“0”", "1 "],
        ),
        (FieldError::MissingPort { text: HOST.into() }, vec![HOST]),
    ] {
        let v = variant_of!(&e; FieldError::EmptyHost, FieldError::BadHost { .. },
            FieldError::BadPort { .. }, FieldError::MissingPort { .. });
        push(out, "FieldError", v, e, &markers);
    }
}

fn unencodable(chars: &str) -> Unencodable {
    Unencodable {
        encoding: WireEncoding::Gbk,
        chars: chars.chars().collect(),
    }
}

fn send_errors(out: &mut Vec<Sample>) {
    push(
        out,
        "Unencodable",
        (0, 1),
        unencodable("€"),
        &["U+20AC", "GBK"],
    );
    // More than eight: the first eight and how many more.
    push(
        out,
        "Unencodable",
        (0, 1),
        unencodable("😀😁😂😃😄😅😆😇😈😉"),
        &["U+1F600", "U+1F607", "2"],
    );
    for b in [SendBlocked::NotYourTurn, SendBlocked::Ended] {
        let v = variant_of!(&b; SendBlocked::NotYourTurn, SendBlocked::Ended);
        push(out, "SendBlocked", v, b, &[]);
    }
    for (e, markers) in [
        (SendError::Empty, vec![]),
        (SendError::Blocked(SendBlocked::NotYourTurn), vec![]),
        (SendError::Unencodable(unencodable("€")), vec!["U+20AC"]),
    ] {
        let v = variant_of!(&e; SendError::Empty, SendError::Blocked(_), SendError::Unencodable(_));
        push(out, "SendError", v, e, &markers);
    }
}

fn end_reasons() -> Vec<(EndReason, Vec<&'static str>)> {
    vec![
        (EndReason::WeSaidBye, vec!["bye"]),
        (EndReason::PeerSaidBye, vec!["bye"]),
        (EndReason::PeerClosed, vec![]),
        (EndReason::Reset, vec![]),
        (EndReason::SendTimedOut { seconds: SECONDS }, vec!["47"]),
        (EndReason::Stopped, vec![]),
        (EndReason::MadeRoom { seconds: SECONDS }, vec!["47"]),
        (
            EndReason::Failed {
                detail: DETAIL.into(),
            },
            vec![DETAIL],
        ),
    ]
}

fn end_reason_variant(r: &EndReason) -> (usize, usize) {
    variant_of!(r; EndReason::WeSaidBye, EndReason::PeerSaidBye, EndReason::PeerClosed,
        EndReason::Reset, EndReason::SendTimedOut { .. }, EndReason::Stopped,
        EndReason::MadeRoom { .. }, EndReason::Failed { .. })
}

fn transcript_error() -> TranscriptError {
    TranscriptError {
        path: path("t.jsonl"),
        detail: DETAIL.into(),
        missing_from: None,
    }
}

/// 14:02:11 (and 14:03:22 for the end of a span), for the words that carry times.
fn at(minute: u32, second: u32) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-11-25T14:{minute:02}:{second:02}+08:00"))
        .expect("a valid time")
}

fn notices(out: &mut Vec<Sample>) {
    for (r, markers) in end_reasons() {
        let v = end_reason_variant(&r);
        push(out, "EndReason", v, r.clone(), &markers);
        push(
            out,
            "Notice",
            (10, 11),
            Notice::Ended { reason: r },
            &markers,
        );
    }
    push(
        out,
        "TranscriptError",
        (0, 1),
        transcript_error(),
        &[DIR, DETAIL],
    );
    let mut list = vec![
        (
            Notice::Connected {
                as_role: Role::Server,
                peer: addr(),
            },
            vec![ADDR],
        ),
        (
            Notice::Connected {
                as_role: Role::Client,
                peer: addr(),
            },
            vec![ADDR],
        ),
        (
            Notice::TranscriptFailed {
                error: transcript_error(),
            },
            vec![DIR, DETAIL],
        ),
        (
            Notice::WelcomeNotSent {
                error: SendError::Unencodable(unencodable("€")),
            },
            vec!["U+20AC"],
        ),
        (Notice::OverCap { mib: 3 }, vec!["3 MiB"]),
        (
            Notice::OverRate {
                kib_per_second: 61,
                burst_mib: 7,
            },
            vec!["61 KiB", "7 MiB"],
        ),
        (
            Notice::EncodingChanged {
                from: WireEncoding::Big5,
                to: WireEncoding::ShiftJis,
            },
            vec!["Big5", "Shift_JIS"],
        ),
        (Notice::Cut { bytes: 98_765 }, vec!["98765"]),
        (Notice::DroppedFromMemory { bytes: 87_654 }, vec!["87654"]),
        (
            Notice::TranscriptFailed {
                error: TranscriptError {
                    missing_from: Some(at(2, 11)),
                    ..transcript_error()
                },
            },
            vec![DIR, DETAIL, "14:02:11"],
        ),
        (
            Notice::TranscriptResumed {
                lines: 12,
                bytes: 3456,
                from: at(2, 11),
                to: at(3, 22),
            },
            vec!["12", "3456", "14:02:11", "14:03:22"],
        ),
        (
            Notice::TranscriptBudget {
                scope: BudgetScope::Conversation,
                limit: 64 * 1024 * 1024,
            },
            vec!["64 MiB"],
        ),
        (
            Notice::TranscriptBudget {
                scope: BudgetScope::Run,
                limit: 3 * 1024,
            },
            vec!["3 KiB"],
        ),
        (
            Notice::TranscriptBudget {
                scope: BudgetScope::Run,
                limit: 900,
            },
            vec!["900"],
        ),
    ];
    for (n, markers) in list.drain(..) {
        let v = variant_of!(&n; Notice::Connected { .. }, Notice::TranscriptFailed { .. },
            Notice::WelcomeNotSent { .. }, Notice::OverCap { .. }, Notice::OverRate { .. }, Notice::EncodingChanged { .. },
            Notice::Cut { .. }, Notice::DroppedFromMemory { .. }, Notice::TranscriptResumed { .. }, Notice::TranscriptBudget { .. },
            Notice::Ended { .. });
        push(out, "Notice", v, n, &markers);
    }
}

fn file_errors(out: &mut Vec<Sample>) {
    for (kind, markers) in [
        (SaveErrorKind::ReadOnly, vec![DIR]),
        (SaveErrorKind::DiskFull, vec![]),
        (SaveErrorKind::FolderMissing, vec![DIR]),
        (SaveErrorKind::NotAFolder, vec![]),
        (SaveErrorKind::Other(DETAIL.into()), vec![DETAIL]),
    ] {
        let v = variant_of!(&kind; SaveErrorKind::ReadOnly, SaveErrorKind::DiskFull,
            SaveErrorKind::FolderMissing, SaveErrorKind::NotAFolder, SaveErrorKind::Other(_));
        let mut markers = markers;
        markers.push("a.txt");
        let e = SaveError {
            path: path("a.txt"),
            kind,
        };
        push(out, "SaveError", v, e.clone(), &markers);
        // Inside the notices that carry it.
        push(
            out,
            "FileNotice",
            (1, 11),
            FileNotice::SaveFailed { error: e.clone() },
            &markers,
        );
        push(
            out,
            "FileNotice",
            (8, 11),
            FileNotice::SettingsNotSaved { error: e.clone() },
            &markers,
        );
        push(
            out,
            "FileNotice",
            (9, 11),
            FileNotice::KnownNotSaved { error: e },
            &markers,
        );
    }
    for e in [
        SettingsLoadError::Corrupt {
            path: path("settings.json"),
            detail: DETAIL.into(),
        },
        SettingsLoadError::Unopenable {
            path: path("settings.json"),
            detail: DETAIL.into(),
        },
    ] {
        let v = variant_of!(&e; SettingsLoadError::Corrupt { .. }, SettingsLoadError::Unopenable { .. });
        push(out, "SettingsLoadError", v, e.clone(), &[DIR, DETAIL]);
        push(
            out,
            "FileNotice",
            (7, 11),
            FileNotice::SettingsUnreadable { error: e },
            &[DIR, DETAIL],
        );
    }
    for (e, markers) in [
        (
            OpenFolderError::CannotCreate {
                dir: PathBuf::from(DIR),
                detail: DETAIL.into(),
            },
            vec![DIR, DETAIL],
        ),
        (
            OpenFolderError::NoFileManager {
                dir: PathBuf::from(DIR),
                tried: "xdg-open".into(),
            },
            vec![DIR, "xdg-open"],
        ),
        (
            OpenFolderError::NotShown {
                dir: PathBuf::from(DIR),
            },
            vec![DIR],
        ),
    ] {
        let v = variant_of!(&e; OpenFolderError::CannotCreate { .. },
            OpenFolderError::NoFileManager { .. }, OpenFolderError::NotShown { .. });
        push(out, "OpenFolderError", v, e.clone(), &markers);
        push(
            out,
            "FileNotice",
            (5, 11),
            FileNotice::FolderFailed { error: e },
            &markers,
        );
    }
    for e in [
        ParseError::NotARecord {
            detail: DETAIL.into(),
        },
        ParseError::BadHex { at: COUNT },
    ] {
        let markers = match &e {
            ParseError::NotARecord { .. } => vec![DETAIL],
            ParseError::BadHex { .. } => vec!["4321"],
        };
        let v = variant_of!(&e; ParseError::NotARecord { .. }, ParseError::BadHex { .. });
        push(out, "ParseError", v, e, &markers);
    }
}

fn file_notices(out: &mut Vec<Sample>) {
    for (n, markers) in [
        (
            FileNotice::Saved {
                path: path("a.txt"),
                format: ExportFormat::PlainText,
            },
            vec![DIR],
        ),
        (
            FileNotice::Saved {
                path: path("a.jsonl"),
                format: ExportFormat::JsonLines,
            },
            vec![DIR, "JSON Lines"],
        ),
        (
            FileNotice::NoDialog {
                source: SaveSource::Session(SessionId(1)),
            },
            vec![],
        ),
        (FileNotice::ConversationGone, vec![]),
        (
            FileNotice::NotReadable {
                path: path("a.jsonl"),
            },
            vec![DIR],
        ),
        (
            FileNotice::TaskNotStarted {
                detail: DETAIL.into(),
            },
            vec![DETAIL],
        ),
        (
            FileNotice::NotificationsUnavailable {
                detail: DETAIL.into(),
            },
            // The detail is in the tooltip, not the sentence.
            vec![],
        ),
    ] {
        let v = variant_of!(&n; FileNotice::Saved { .. }, FileNotice::SaveFailed { .. },
            FileNotice::NoDialog { .. }, FileNotice::ConversationGone,
            FileNotice::NotReadable { .. }, FileNotice::FolderFailed { .. }, FileNotice::TaskNotStarted { .. },
            FileNotice::SettingsUnreadable { .. }, FileNotice::SettingsNotSaved { .. },
            FileNotice::KnownNotSaved { .. }, FileNotice::NotificationsUnavailable { .. });
        push(out, "FileNotice", v, n, &markers);
    }
    for (unreadable, damaged_lines, markers) in [
        (COUNT, 0, vec!["4321"]),
        (0, 77, vec!["77"]),
        (COUNT, 77, vec!["4321", "77"]),
    ] {
        push(
            out,
            "HistoryProblem",
            (0, 1),
            HistoryProblem {
                unreadable,
                damaged_lines,
            },
            &markers,
        );
    }
}

fn headers(out: &mut Vec<Sample>) {
    let at = |s: &str| DateTime::parse_from_rfc3339(s).ok();
    let (Some(started), ended) = (
        at("2026-11-25T14:02:11+08:00"),
        at("2026-11-25T15:30:00+08:00"),
    ) else {
        return;
    };
    for (our_role, local, ended) in [
        (Some(Role::Server), Some(ADDR.to_owned()), ended),
        (Some(Role::Client), None, None),
        (None, None, ended),
    ] {
        let markers: Vec<&str> = [HOST, "14:02:11", "GBK", "s-4321"]
            .into_iter()
            .chain(local.is_some().then_some(ADDR))
            .chain(ended.is_some().then_some("15:30:00"))
            .collect();
        push(
            out,
            "ExportHeader",
            (0, 1),
            ExportHeader {
                session: "s-4321".into(),
                local,
                peer: HOST.into(),
                our_role,
                started,
                ended,
                encoding: WireEncoding::Gbk,
                turns: None,
                line_ending: None,
            },
            &markers,
        );
    }
}

fn phrases(out: &mut Vec<Sample>) {
    let t = || HOST.to_owned();
    let list = vec![
        (Phrase::ListenTip { port: 9999 }, vec!["9999"]),
        (Phrase::ListeningHere { local: addr() }, vec![ADDR]),
        (Phrase::ListeningOn { port: 9999 }, vec!["9999"]),
        (Phrase::ConnectingTo { target: t() }, vec![HOST]),
        (Phrase::TryingToConnect { target: t() }, vec![HOST]),
        (Phrase::ConnectedTo { target: t() }, vec![HOST]),
        (Phrase::WaitingForClient { port: 9999 }, vec!["9999"]),
        (Phrase::YourTurn { peer: addr() }, vec![ADDR]),
        (Phrase::WaitingFor { peer: addr() }, vec![ADDR]),
        (Phrase::TheirTurn { peer: addr() }, vec![ADDR]),
        (
            Phrase::Bytes {
                n: COUNT,
                limit: 1024,
            },
            vec!["4321", "1024"],
        ),
        (Phrase::ClientsWaiting { n: 1 }, vec!["1"]),
        (Phrase::ClientsWaiting { n: COUNT }, vec!["4321"]),
        (Phrase::WaitingForYou { n: COUNT }, vec!["4321"]),
        (Phrase::SendToAll { n: COUNT }, vec!["4321"]),
        (
            Phrase::ShowConversation {
                peer: addr(),
                key: Some(7),
            },
            vec![ADDR, "Alt+7"],
        ),
        (
            Phrase::ShowConversation {
                peer: addr(),
                key: None,
            },
            vec![ADDR],
        ),
        (Phrase::Unread { n: 1 }, vec!["1"]),
        (Phrase::Unread { n: COUNT }, vec!["4321"]),
        (
            Phrase::PastConversation {
                peer: t(),
                when: "2026-11-25 14:02".into(),
            },
            vec![HOST, "2026-11-25 14:02"],
        ),
        (
            Phrase::PastRow {
                when: "2026-11-25 14:02".into(),
                peer: t(),
                messages: COUNT,
            },
            vec![HOST, "2026-11-25 14:02", "4321"],
        ),
        (Phrase::NotKept { bytes: 98_765 }, vec!["98765"]),
        (
            Phrase::NewMessage {
                from: ADDR.into(),
                unread: 1,
            },
            vec![ADDR],
        ),
        (
            Phrase::NewMessage {
                from: ADDR.into(),
                unread: COUNT,
            },
            vec![ADDR, "4321"],
        ),
        (Phrase::NotKeptInFile { bytes: 98_765 }, vec!["98765"]),
        (
            Phrase::NoRenderer {
                tried: vec!["wgpu".into(), "OpenGL (glow)".into()],
            },
            vec!["wgpu", "OpenGL (glow)"],
        ),
        (
            Phrase::AlsoWrittenIn {
                path: format!("{DIR}/turnchat.log"),
            },
            vec![DIR],
        ),
        (
            Phrase::Bug {
                message: DETAIL.into(),
                location: "src/x.rs:1:2".into(),
                thread: "marker-thread".into(),
            },
            vec![DETAIL, "src/x.rs:1:2", "marker-thread"],
        ),
        (Phrase::BadLang { value: t() }, vec![HOST, "zh-CN"]),
        (
            Phrase::FlagBadValue {
                arg: "--connect <HOST:PORT>".into(),
                value: t(),
                why: DETAIL.into(),
            },
            vec!["--connect <HOST:PORT>", HOST, DETAIL, "--help"],
        ),
        (
            Phrase::FlagUnknown {
                arg: "--marker".into(),
            },
            vec!["--marker", "--help"],
        ),
        (
            Phrase::FlagConflict {
                arg: "--listen".into(),
                other: "--connect".into(),
            },
            vec!["--listen", "--connect"],
        ),
        (
            Phrase::WelcomeProblem {
                error: unencodable("€"),
            },
            vec!["U+20AC"],
        ),
    ];
    for (p, markers) in list {
        let v = variant_of!(&p; Phrase::ListenTip { .. }, Phrase::ListeningHere { .. },
            Phrase::ListeningOn { .. }, Phrase::ConnectingTo { .. },
            Phrase::TryingToConnect { .. }, Phrase::ConnectedTo { .. },
            Phrase::WaitingForClient { .. }, Phrase::YourTurn { .. }, Phrase::WaitingFor { .. },
            Phrase::TheirTurn { .. }, Phrase::Bytes { .. }, Phrase::ClientsWaiting { .. },
            Phrase::WaitingForYou { .. }, Phrase::SendToAll { .. },
            Phrase::ShowConversation { .. }, Phrase::Unread { .. },
            Phrase::PastConversation { .. }, Phrase::PastRow { .. }, Phrase::NotKept { .. },
            Phrase::NewMessage { .. }, Phrase::NotKeptInFile { .. }, Phrase::NoRenderer { .. },
            Phrase::AlsoWrittenIn { .. }, Phrase::Bug { .. }, Phrase::BadLang { .. },
            Phrase::FlagBadValue { .. }, Phrase::FlagUnknown { .. },
            Phrase::FlagConflict { .. }, Phrase::WelcomeProblem { .. });
        push(out, "Phrase", v, p, &markers);
    }
}

fn talk(out: &mut Vec<Sample>) {
    use super::talk::TalkLabel as T;
    use crate::core::framing::LineEnding;
    use crate::core::hexinput::HexError;
    let list: Vec<(T, Vec<&str>)> = vec![
        (T::FreeTalk, vec![]),
        (T::FreeTalkHint, vec![]),
        (T::LineEnding, vec![]),
        (T::LineEndingHint, vec![]),
        (T::Ending(LineEnding::None), vec![]),
        (T::Ending(LineEnding::Lf), vec![]),
        (T::Ending(LineEnding::Crlf), vec![]),
        (T::TurnsOff { peer: ADDR.into() }, vec![ADDR]),
        (T::HexMode, vec![]),
        (T::HexModeHint, vec![]),
        (T::HexPlaceholder, vec![]),
        (T::HexWillSend { bytes: COUNT }, vec!["4321"]),
        (T::ShowHex, vec![]),
        (T::ShowHexHint, vec![]),
        (T::MessageHex, vec![]),
        (T::MessageHexHint, vec![]),
        (
            T::Counters {
                sent_messages: 7001,
                sent_bytes: 7002,
                received_messages: 7003,
                received_bytes: 7004,
            },
            vec!["7001", "7003"],
        ),
        (T::CountersHint, vec![]),
        (T::Presets, vec![]),
        (T::PresetsHint, vec![]),
        (T::PresetSlot { n: 7 }, vec!["7"]),
        (T::PresetsExplained, vec![]),
        (T::PresetEmpty { n: 8 }, vec!["8"]),
    ];
    for (label, markers) in list {
        let v = variant_of!(&label; T::FreeTalk, T::FreeTalkHint, T::LineEnding,
            T::LineEndingHint, T::Ending(..), T::TurnsOff { .. }, T::HexMode, T::HexModeHint,
            T::HexPlaceholder, T::HexWillSend { .. }, T::ShowHex, T::ShowHexHint, T::MessageHex,
            T::MessageHexHint, T::Counters { .. }, T::CountersHint, T::Presets, T::PresetsHint,
            T::PresetSlot { .. }, T::PresetsExplained, T::PresetEmpty { .. });
        push(out, "TalkLabel", v, label, &markers);
    }
    for (e, markers) in [
        (HexError::Empty, vec![]),
        (HexError::Stray { found: 'q', at: 37 }, vec!["q", "37"]),
        (HexError::OddDigits { at: 29, digits: 5 }, vec!["29", "5"]),
    ] {
        let v =
            variant_of!(&e; HexError::Empty, HexError::Stray { .. }, HexError::OddDigits { .. });
        push(out, "HexError", v, e, &markers);
    }
}

fn discovery(out: &mut Vec<Sample>) {
    use super::discovery::DiscoveryWords as D;
    use crate::core::discovery::DiscoveryProblem as P;
    for (p, markers) in [
        (P::NoMulticastInterface, vec![]),
        (
            P::CannotStart {
                detail: DETAIL.into(),
            },
            vec![DETAIL, "5353"],
        ),
        (
            P::AnnounceFailed {
                detail: DETAIL.into(),
            },
            vec![DETAIL],
        ),
    ] {
        let v = variant_of!(&p; P::NoMulticastInterface, P::CannotStart { .. },
            P::AnnounceFailed { .. });
        push(out, "DiscoveryProblem", v, p, &markers);
    }
    let list: Vec<(D, Vec<&str>)> = vec![
        (D::AnnounceOnNetwork, vec![]),
        (D::AnnounceTooltip, vec![]),
        (D::NameOnNetwork, vec![]),
        (D::NameTooltip, vec![]),
        (D::ClientNameTooltip, vec![]),
        (D::ServersFound, vec![]),
        (D::Searching, vec![]),
        (D::PythonServersHint, vec![]),
        (D::RowTooltip { addr: ADDR.into() }, vec![ADDR]),
        (D::Free, vec![]),
        (
            D::Busy {
                conversations: Some(COUNT),
            },
            vec!["4321"],
        ),
        (
            D::Busy {
                conversations: None,
            },
            vec![],
        ),
        (D::AnnouncedAs { name: HOST.into() }, vec![HOST]),
        (D::NotAnnouncedLoopback, vec![]),
        (D::Reconnect, vec![]),
        (D::ReconnectTooltip, vec![]),
        (
            D::ReconnectWaiting {
                target: ADDR.into(),
                seconds: SECONDS,
                attempt: 9,
            },
            vec![ADDR, "47", "9"],
        ),
        (
            D::ReconnectTrying {
                target: ADDR.into(),
                attempt: 8,
            },
            vec![ADDR, "8"],
        ),
        (D::CancelReconnect, vec![]),
        (D::LookAlike, vec![]),
        (D::LookAlikeTooltip, vec![]),
        (
            D::MovedFrom {
                name: HOST.into(),
                was: "203.0.113.8".into(),
            },
            vec![HOST, "203.0.113.8"],
        ),
        (
            D::Dropped {
                count: 2744,
                max: 256,
            },
            vec!["2744", "256"],
        ),
        (D::NoneFound { seconds: SECONDS }, vec!["47"]),
    ];
    for (w, markers) in list {
        let v = variant_of!(&w; D::AnnounceOnNetwork, D::AnnounceTooltip, D::NameOnNetwork,
            D::NameTooltip, D::ClientNameTooltip, D::ServersFound, D::Searching, D::PythonServersHint,
            D::RowTooltip { .. }, D::Free, D::Busy { .. }, D::AnnouncedAs { .. },
            D::NotAnnouncedLoopback, D::Reconnect, D::ReconnectTooltip,
            D::ReconnectWaiting { .. }, D::ReconnectTrying { .. }, D::CancelReconnect,
            D::LookAlike, D::LookAlikeTooltip, D::MovedFrom { .. }, D::Dropped { .. }, D::NoneFound { .. });
        push(out, "DiscoveryWords", v, w, &markers);
    }
}

fn encodings(out: &mut Vec<Sample>) {
    use super::encoding::{EncodingHint as H, EncodingWords as W};
    for w in [
        W::FormLabel,
        W::FormTooltip,
        W::HeaderLabel,
        W::HeaderTooltip,
    ] {
        let v = variant_of!(&w; W::FormLabel, W::FormTooltip, W::HeaderLabel, W::HeaderTooltip);
        push(out, "EncodingWords", v, w, &[]);
    }
    for (h, markers) in [
        (
            H::LooksLike {
                current: WireEncoding::Big5,
                likely: WireEncoding::ShiftJis,
            },
            vec!["Big5", "Shift_JIS"],
        ),
        (
            H::Switch {
                to: WireEncoding::Gb18030,
            },
            vec!["GB18030"],
        ),
        (
            H::SwitchTooltip {
                to: WireEncoding::Utf8,
            },
            vec!["UTF-8"],
        ),
    ] {
        let v = variant_of!(&h; H::LooksLike { .. }, H::Switch { .. }, H::SwitchTooltip { .. });
        push(out, "EncodingHint", v, h, &markers);
    }
    // Every encoding's name, in a sentence of both languages.
    for e in WireEncoding::ALL {
        push(
            out,
            "EncodingName",
            (0, 1),
            H::Switch { to: e },
            &[e.label()],
        );
    }
}

fn find(out: &mut Vec<Sample>) {
    use super::find::FindLabel as F;
    let list: Vec<(F, Vec<&str>)> = vec![
        (F::Find, vec![]),
        (F::Placeholder, vec![]),
        (
            F::Count {
                current: 37,
                total: 4321,
            },
            vec!["37", "4321"],
        ),
        (F::NoMatch, vec![]),
        (F::NotHex, vec!["c4e3"]),
        (F::Previous, vec![]),
        (F::PreviousHint, vec!["Shift+F3"]),
        (F::Next, vec![]),
        (F::NextHint, vec!["F3"]),
        (F::Close, vec![]),
        (F::CloseHint, vec!["Esc"]),
        (F::MatchBytes, vec![]),
        (F::MatchBytesHint, vec![]),
        (F::AllConversations, vec![]),
        (F::AllConversationsHint, vec!["Ctrl+Shift+F"]),
        (
            F::AllCount {
                hits: 4321,
                conversations: 37,
            },
            vec!["4321", "37"],
        ),
        (F::MoreHits { more: 4321 }, vec!["4321"]),
        (
            F::Group {
                who: ADDR.into(),
                hits: 4321,
            },
            vec![ADDR, "4321"],
        ),
    ];
    for (label, markers) in list {
        let v = variant_of!(&label; F::Find, F::Placeholder, F::Count { .. }, F::NoMatch,
            F::NotHex, F::Previous, F::PreviousHint, F::Next, F::NextHint, F::Close,
            F::CloseHint, F::MatchBytes, F::MatchBytesHint, F::AllConversations,
            F::AllConversationsHint, F::AllCount { .. }, F::MoreHits { .. }, F::Group { .. });
        push(out, "FindLabel", v, label, &markers);
    }
}

fn history_find(out: &mut Vec<Sample>) {
    use super::find::HistoryFindLabel as H;
    let list: Vec<(H, Vec<&str>)> = vec![
        (H::Find, vec![]),
        (H::Placeholder, vec![]),
        (H::Cancel, vec![]),
        (H::CancelHint, vec!["Esc"]),
        (
            H::Progress {
                done: 412,
                files: Some(4321),
            },
            vec!["412", "4,321"],
        ),
        (
            H::Progress {
                done: 4321,
                files: None,
            },
            vec!["4,321"],
        ),
        (
            H::Summary {
                hits: 4321,
                with_hits: 37,
                files: 1000,
            },
            vec!["4,321", "37", "1,000"],
        ),
        (
            H::Summary {
                hits: 0,
                with_hits: 0,
                files: 1000,
            },
            vec!["1,000"],
        ),
        (
            H::Cancelled {
                done: 412,
                files: Some(1000),
                hits: 4321,
            },
            vec!["412", "1,000", "4,321"],
        ),
        (H::FirstShown { shown: 200 }, vec!["200"]),
        (
            H::Skipped {
                too_big: 37,
                bound_mb: 32,
                unreadable: 4321,
                damaged_lines: 1_234_567,
            },
            vec!["37", "32", "4,321", "1,234,567"],
        ),
        (
            H::File {
                name: Some("Wang-Marker".into()),
                peer: ADDR.into(),
                when: "2026-11-25 14:02".into(),
                hits: 4321,
            },
            vec!["Wang-Marker", ADDR, "2026-11-25 14:02", "4,321"],
        ),
        (H::MoreInFile { more: 4321 }, vec!["4,321"]),
        (H::OpenHint, vec![]),
    ];
    for (label, markers) in list {
        let v = variant_of!(&label; H::Find, H::Placeholder, H::Cancel, H::CancelHint,
            H::Progress { .. }, H::Summary { .. }, H::Cancelled { .. }, H::FirstShown { .. },
            H::Skipped { .. }, H::File { .. }, H::MoreInFile { .. }, H::OpenHint);
        push(out, "HistoryFindLabel", v, label, &markers);
    }
}

/// Every sample: each variant of each type the catalogue words, and every label.
pub fn all() -> Vec<Sample> {
    let mut out = Vec::new();
    net_errors(&mut out);
    field_errors(&mut out);
    send_errors(&mut out);
    notices(&mut out);
    file_errors(&mut out);
    file_notices(&mut out);
    headers(&mut out);
    phrases(&mut out);
    talk(&mut out);
    find(&mut out);
    history_find(&mut out);
    discovery(&mut out);
    encodings(&mut out);
    super::roster::samples(&mut out);
    super::glance::samples(&mut out);
    super::door::samples(&mut out);
    super::why::samples(&mut out);
    super::trust::samples(&mut out);
    super::recent::samples(&mut out);
    super::probe::samples(&mut out);
    for (i, label) in Label::ALL.iter().enumerate() {
        push(&mut out, "Label", (i, Label::ALL.len()), *label, &[]);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::core::lang::Lang;

    #[test]
    fn every_variant_of_every_type_has_a_sample() {
        let mut seen: BTreeMap<&str, (usize, BTreeSet<usize>)> = BTreeMap::new();
        for s in all() {
            let entry = seen.entry(s.ty).or_insert((s.variants, BTreeSet::new()));
            assert_eq!(entry.0, s.variants, "{}: variant counts disagree", s.ty);
            assert!(
                s.variant < s.variants,
                "{}: a sample matched no variant",
                s.ty
            );
            entry.1.insert(s.variant);
        }
        for (ty, (n, got)) in seen {
            let missing: Vec<usize> = (0..n).filter(|i| !got.contains(i)).collect();
            assert!(
                missing.is_empty(),
                "{ty}: no sample of variants {missing:?}"
            );
        }
    }

    #[test]
    fn both_languages_say_something_and_show_every_argument() {
        for s in all() {
            for lang in Lang::ALL {
                let words = s.value.say(lang);
                assert!(
                    !words.trim().is_empty(),
                    "{} #{} in {lang:?} is empty",
                    s.ty,
                    s.variant
                );
                for m in &s.markers {
                    assert!(
                        words.contains(m.as_str()),
                        "{} #{} in {lang:?} does not show {m:?}: {words}",
                        s.ty,
                        s.variant
                    );
                }
            }
        }
    }

    #[test]
    fn chinese_is_chinese_and_english_is_not() {
        let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
        for s in all() {
            let (en, zh) = (s.value.en(), s.value.zh());
            // Words that are the same in both (bye, JSON Lines, English) are allowed.
            if en == zh {
                continue;
            }
            assert!(
                zh.chars().any(han),
                "{} #{}: no Chinese in {zh:?}",
                s.ty,
                s.variant
            );
            assert!(
                !en.chars().any(han),
                "{} #{}: Chinese in the English {en:?}",
                s.ty,
                s.variant
            );
            // No isolation marks or replacement boxes.
            for w in [&en, &zh] {
                assert!(!w.contains(['\u{2068}', '\u{2069}', '\u{FFFD}']), "{w:?}");
            }
        }
    }
}
