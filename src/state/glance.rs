//! What the conversation list tells at a glance (issue 23): the start of the last message,
//! how long a student has waited for the user's answer, who has said nothing for a while,
//! and the orders the list can be sorted in.
//!
//! Pure: the clock is passed in (`now`), names come as a function, nothing is drawn here.
//! The list asks these every frame for the rows in view only, except [`order`], which the
//! list runs once per frame over all rows when an order other than connection order is
//! chosen.

use chrono::{DateTime, FixedOffset};

use super::{Phase, SessionState};
use crate::core::display::visible_text;
use crate::core::ids::SessionId;
use crate::core::settings::ListOrder;
use crate::core::transcript::Speaker;

/// A preview longer than this (in characters) is cut before the view measures it: a row
/// never shows more, and a peer's 64 KiB message costs a row no more than a short one.
pub const PREVIEW_CHARS: usize = 120;

/// The start of the last message either side said, on one line (line breaks and tabs
/// read as spaces, control characters visible, blanks at either end dropped), at most
/// [`PREVIEW_CHARS`] characters; `None` before anything was said.
pub fn preview(s: &SessionState) -> Option<String> {
    let entries = s.transcript.entries();
    let last = (entries.iter().rev()).find(|e| e.from != Speaker::System)?;
    let one_line: String = (last.text.chars())
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .take(PREVIEW_CHARS)
        .collect();
    let shown = visible_text(one_line.trim()).into_owned();
    (!shown.is_empty()).then_some(shown)
}

/// Since when the peer has waited for the user's answer: when they asked (their first
/// message since the user last said something), while it is the user's turn. `None` when
/// it is not, and when the user's turn came without a question (the first turn of a
/// client, before the server spoke).
pub fn waiting_since(s: &SessionState) -> Option<DateTime<FixedOffset>> {
    if s.phase() != Phase::YourTurn {
        return None;
    }
    let entries = s.transcript.entries();
    let asked = (entries.iter().rev())
        .take_while(|e| e.from != Speaker::Me)
        .filter(|e| e.from == Speaker::Peer)
        .last()?;
    Some(asked.at)
}

/// Whole minutes from `since` to `now` (0 when `now` is earlier: a clock put back).
pub fn minutes_between(since: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> u32 {
    u32::try_from((now - since).num_minutes().max(0)).unwrap_or(u32::MAX)
}

/// When the peer last said something (or, before they did, when the conversation began).
pub fn last_heard(s: &SessionState) -> DateTime<FixedOffset> {
    let entries = s.transcript.entries();
    (entries.iter().rev())
        .find(|e| e.from == Speaker::Peer)
        .map_or(s.started, |e| e.at)
}

/// For how many minutes the peer has been silent, when that is `threshold` minutes or
/// more in a live conversation that waits for the peer (a student waiting for the user's
/// answer is not silent: the user is). `None` otherwise, and always when `threshold` is 0.
pub fn silent_for(s: &SessionState, now: DateTime<FixedOffset>, threshold: u32) -> Option<u32> {
    if threshold == 0 || !matches!(s.phase(), Phase::Waiting | Phase::Sending) {
        return None;
    }
    let minutes = minutes_between(last_heard(s), now);
    (minutes >= threshold).then_some(minutes)
}

/// The conversations in the list's `order`. `sessions` come in connection order (as the
/// state keeps them); `name` gives a row's name where one is known. Sorting is stable:
/// rows that compare equal keep their connection order.
///
/// - [`ListOrder::Connected`]: as given.
/// - [`ListOrder::Name`]: named rows by name, then unnamed ones by address.
/// - [`ListOrder::WaitingLongest`]: rows waiting for the user's answer, the oldest
///   question on top; then the others as given.
pub fn order<'a, 'n>(
    sessions: impl IntoIterator<Item = &'a SessionState>,
    name: impl Fn(&SessionState) -> Option<&'n str>,
    by: ListOrder,
) -> Vec<SessionId> {
    let rows: Vec<&SessionState> = sessions.into_iter().collect();
    match by {
        ListOrder::Connected => rows.iter().map(|s| s.id).collect(),
        ListOrder::Name => {
            let mut keyed: Vec<_> = (rows.iter())
                .map(|s| {
                    (
                        (name(s).is_none(), name(s), s.peer.ip(), s.peer.port()),
                        s.id,
                    )
                })
                .collect();
            keyed.sort_by_key(|k| k.0);
            keyed.into_iter().map(|(_, id)| id).collect()
        }
        ListOrder::WaitingLongest => {
            let mut keyed: Vec<_> = (rows.iter())
                .map(|s| (waiting_since(s).map_or((1, None), |t| (0, Some(t))), s.id))
                .collect();
            keyed.sort_by_key(|k| k.0);
            keyed.into_iter().map(|(_, id)| id).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::core::codec::WireEncoding;
    use crate::core::framing::LineEnding;
    use crate::core::notice::EndReason;
    use crate::core::turn::{Role, Turn, TurnPolicy};
    use crate::net::SessionInfo;
    use crate::state::Draft;

    fn at(minute: i64) -> DateTime<FixedOffset> {
        let start = DateTime::parse_from_rfc3339("2026-11-25T14:00:00+08:00").expect("time");
        start + Duration::minutes(minute)
    }

    /// A server's conversation with 127.0.0.{n}, begun at minute 0, whose first turn is
    /// the peer's (the server sent its welcome).
    fn session(n: u8) -> SessionState {
        let info = SessionInfo {
            session: SessionId(u64::from(n)),
            key: format!("k{n}"),
            as_role: Role::Server,
            peer: format!("127.0.0.{n}:40000").parse().expect("addr"),
            local: "127.0.0.1:8888".parse().expect("addr"),
            at: at(0),
            first_turn: Turn::Theirs,
            encoding: WireEncoding::Gbk,
            policy: TurnPolicy::Strict,
            line_ending: LineEnding::None,
            transcript: None,
        };
        let mut s = SessionState::new(info, Draft::default());
        s.transcript.sent(at(0), "欢迎您的使用", Vec::new());
        s
    }

    /// The peer says `text` at `minute`; it is the user's turn.
    fn asks(s: &mut SessionState, minute: i64, text: &str) {
        s.transcript.peer_chunk(at(minute), true, text, &[], 0);
        s.turn = Turn::Mine;
    }

    /// The user answers at `minute`; it is the peer's turn.
    fn answers(s: &mut SessionState, minute: i64) {
        s.transcript.sent(at(minute), "好", Vec::new());
        s.turn = Turn::Theirs;
    }

    #[test]
    fn the_preview_is_the_last_message_on_one_line() {
        let mut s = session(2);
        assert_eq!(preview(&s).as_deref(), Some("欢迎您的使用"));
        asks(&mut s, 1, "  老师，\r\n第3题\t的答案\u{1b}[31m  ");
        assert_eq!(preview(&s).as_deref(), Some("老师，  第3题 的答案^[[31m"));
        let long = "长".repeat(10_000);
        answers(&mut s, 2);
        asks(&mut s, 3, &long);
        assert_eq!(preview(&s).map(|p| p.chars().count()), Some(PREVIEW_CHARS));
        let fresh = {
            let mut s = session(3);
            s.transcript = Default::default();
            s
        };
        assert_eq!(preview(&fresh), None);
    }

    #[test]
    fn waiting_counts_from_the_first_unanswered_question() {
        let mut s = session(2);
        assert_eq!(waiting_since(&s), None, "the peer's turn");
        asks(&mut s, 1, "第一题");
        // A second message joins the same question: the wait is from the first.
        s.transcript.peer_chunk(at(2), true, "还有第二题", &[], 0);
        assert_eq!(waiting_since(&s), Some(at(1)));
        assert_eq!(minutes_between(at(1), at(4)), 3);
        answers(&mut s, 5);
        assert_eq!(waiting_since(&s), None);
        asks(&mut s, 7, "谢谢");
        assert_eq!(waiting_since(&s), Some(at(7)));
        s.ended = Some(EndReason::PeerClosed);
        assert_eq!(
            waiting_since(&s),
            None,
            "an ended conversation waits for no one"
        );
        assert_eq!(minutes_between(at(5), at(1)), 0, "a clock put back");
    }

    #[test]
    fn silence_is_marked_from_the_threshold_on_and_only_when_the_peer_owes_a_reply() {
        let mut s = session(2);
        // Nothing said by the peer yet: silent since the start.
        assert_eq!(silent_for(&s, at(4), 5), None);
        assert_eq!(silent_for(&s, at(5), 5), Some(5));
        assert_eq!(silent_for(&s, at(50), 0), None, "0: off");
        asks(&mut s, 6, "在吗");
        assert_eq!(last_heard(&s), at(6));
        assert_eq!(silent_for(&s, at(30), 5), None, "the user owes the reply");
        answers(&mut s, 7);
        assert_eq!(silent_for(&s, at(10), 5), None);
        assert_eq!(silent_for(&s, at(11), 5), Some(5));
        assert_eq!(silent_for(&s, at(18), 5), Some(12));
        s.ended = Some(EndReason::PeerClosed);
        assert_eq!(silent_for(&s, at(18), 5), None, "ended");
    }

    #[test]
    fn the_list_sorts_by_connection_name_or_longest_wait() {
        let mut a = session(2);
        let mut b = session(3);
        let mut c = session(4);
        let d = session(5);
        asks(&mut a, 4, "a");
        asks(&mut c, 1, "c");
        asks(&mut b, 9, "b");
        let rows = [&a, &b, &c, &d];
        let ids = |v: &[u8]| {
            v.iter()
                .map(|n| SessionId(u64::from(*n)))
                .collect::<Vec<_>>()
        };
        let named = |s: &SessionState| match s.id.0 {
            2 => Some("王五"),
            3 => Some("李四"),
            5 => Some("Anna"),
            _ => None,
        };
        assert_eq!(order(rows, named, ListOrder::Connected), ids(&[2, 3, 4, 5]));
        // Latin before CJK (by code point), named before unnamed.
        assert_eq!(order(rows, named, ListOrder::Name), ids(&[5, 3, 2, 4]));
        assert_eq!(
            order(rows, named, ListOrder::WaitingLongest),
            ids(&[4, 2, 3, 5])
        );
        // Answered rows fall back to connection order, after those still waiting.
        answers(&mut c, 10);
        let rows = [&a, &b, &c, &d];
        assert_eq!(
            order(rows, named, ListOrder::WaitingLongest),
            ids(&[2, 3, 4, 5])
        );
        answers(&mut a, 11);
        let rows = [&a, &b, &c, &d];
        assert_eq!(
            order(rows, named, ListOrder::WaitingLongest),
            ids(&[3, 2, 4, 5])
        );
    }
}
