//! How the window makes sure nothing is missed: the unread count in its title, a request
//! for the user's attention while it is not in front, and desktop notifications.
//!
//! Pure bookkeeping, no egui: the app feeds it what happened (a peer message, the window's
//! focus, the unread total) and carries out the [`Signal`]s it returns, each only when
//! something changed (a title is set once per change, attention is asked once and reset
//! on focus, one notification is shown at a time, and none after the desktop said it
//! cannot show them).

use crate::core::lang::{Lang, Say};
use crate::words::Phrase;

/// Something the app must tell the desktop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Set the window title.
    Title(String),
    /// Ask for the user's attention (flash the taskbar entry).
    RequestAttention,
    /// The window is in front again: stop asking.
    ResetAttention,
    /// Show a desktop notification with this text.
    Notify(String),
}

/// The window's signals to the desktop.
#[derive(Debug)]
pub struct Signals {
    title: String,
    focused: bool,
    attention: bool,
    notifying: bool,
    unavailable: bool,
}

impl Default for Signals {
    fn default() -> Self {
        Signals {
            title: title(0),
            focused: true,
            attention: false,
            notifying: false,
            unavailable: false,
        }
    }
}

/// The window title for `unread` unread messages, e.g. `(3) TurnChat`.
pub fn title(unread: usize) -> String {
    if unread > 0 {
        format!("({unread}) TurnChat")
    } else {
        "TurnChat".to_owned()
    }
}

impl Signals {
    /// The title as last set.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Whether notifications were found unavailable (no more tries this run).
    pub fn notifications_unavailable(&self) -> bool {
        self.unavailable
    }

    /// Once per frame: the window's focus and the unread total.
    pub fn frame(&mut self, focused: bool, unread: usize) -> Vec<Signal> {
        self.frame_named(focused, unread, None)
    }

    /// [`Signals::frame`], naming the student when all the unread messages are one named
    /// student's: `(2) 张三 — TurnChat`.
    pub fn frame_named(&mut self, focused: bool, unread: usize, who: Option<&str>) -> Vec<Signal> {
        let mut out = Vec::new();
        let wanted = match who {
            Some(who) if unread > 0 => format!("({unread}) {who} — TurnChat"),
            _ => title(unread),
        };
        if wanted != self.title {
            self.title.clone_from(&wanted);
            out.push(Signal::Title(wanted));
        }
        self.focused = focused;
        if focused && self.attention {
            self.attention = false;
            out.push(Signal::ResetAttention);
        }
        out
    }

    /// A peer sent a message (`from` names the peer). While the window is not in front,
    /// ask for attention once, and notify if `notify` is on and none is being shown.
    pub fn peer_message(
        &mut self,
        from: &str,
        unread: usize,
        notify: bool,
        lang: Lang,
    ) -> Vec<Signal> {
        let mut out = Vec::new();
        if self.focused {
            return out;
        }
        if !self.attention {
            self.attention = true;
            out.push(Signal::RequestAttention);
        }
        if notify && !self.notifying && !self.unavailable {
            self.notifying = true;
            out.push(Signal::Notify(
                Phrase::NewMessage {
                    from: from.to_owned(),
                    unread,
                }
                .say(lang),
            ));
        }
        out
    }

    /// A notification could not be started at all (no thread): allow the next one.
    pub fn notify_not_started(&mut self) {
        self.notifying = false;
    }

    /// A notification was shown, or the desktop said why it could not be. Returns true
    /// the first time it could not: the app then says so, once.
    pub fn notified(&mut self, failed: bool) -> bool {
        self.notifying = false;
        let first = failed && !self.unavailable;
        self.unavailable |= failed;
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_changes_only_when_the_unread_count_does() {
        let mut s = Signals::default();
        assert_eq!(s.frame(true, 0), []);
        assert_eq!(s.frame(true, 3), [Signal::Title("(3) TurnChat".into())]);
        assert_eq!(s.frame(true, 3), []);
        assert_eq!(s.frame(true, 0), [Signal::Title("TurnChat".into())]);
    }

    #[test]
    fn attention_is_asked_once_while_away_and_reset_on_focus() {
        let mut s = Signals::default();
        assert_eq!(
            s.peer_message("甲", 1, false, Lang::En),
            [],
            "in front: nothing to ask"
        );
        s.frame(false, 0);
        assert_eq!(
            s.peer_message("甲", 1, false, Lang::En),
            [Signal::RequestAttention]
        );
        assert_eq!(
            s.peer_message("甲", 2, false, Lang::En),
            [],
            "asked already"
        );
        assert_eq!(
            s.frame(true, 2),
            [Signal::Title("(2) TurnChat".into()), Signal::ResetAttention]
        );
        assert_eq!(s.frame(true, 2), []);
    }

    #[test]
    fn one_notification_at_a_time_and_none_after_the_desktop_refused() {
        let mut s = Signals::default();
        s.frame(false, 0);
        assert_eq!(
            s.peer_message("127.0.0.1:5000", 1, true, Lang::En),
            [
                Signal::RequestAttention,
                Signal::Notify("127.0.0.1:5000 sent a message.".into())
            ]
        );
        assert_eq!(
            s.peer_message("127.0.0.1:5001", 2, true, Lang::En),
            [],
            "one is showing"
        );
        assert!(!s.notified(false));
        assert_eq!(
            s.peer_message("127.0.0.1:5001", 3, true, Lang::En),
            [Signal::Notify(
                "127.0.0.1:5001 sent a message. 3 messages are unread.".into()
            )]
        );
        assert!(s.notified(true), "the first failure is said");
        assert!(s.notifications_unavailable());
        assert_eq!(s.peer_message("127.0.0.1:5001", 4, true, Lang::En), []);
        assert!(!s.notified(true), "and only once");
    }

    #[test]
    fn the_title_names_the_one_student_waiting() {
        let mut s = Signals::default();
        assert_eq!(
            s.frame_named(true, 2, Some("张三")),
            [Signal::Title("(2) 张三 — TurnChat".into())]
        );
        assert_eq!(s.frame_named(true, 2, Some("张三")), []);
        assert_eq!(
            s.frame_named(true, 0, Some("张三")),
            [Signal::Title("TurnChat".into())]
        );
    }

    #[test]
    fn notifications_follow_the_setting() {
        let mut s = Signals::default();
        s.frame(false, 0);
        assert_eq!(
            s.peer_message("甲", 1, false, Lang::En),
            [Signal::RequestAttention]
        );
    }
}
