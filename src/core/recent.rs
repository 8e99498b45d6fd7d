//! "Recent": the servers typed on the client form and reached, remembered between runs
//! (in the settings) so that a server on another subnet, which discovery cannot list, is
//! one click away the next time (issue 24, item 7).
//!
//! At most [`RECENT_KEPT`], the one reached most recently first; a server is the same
//! when its host (without regard to ASCII case) and port are. Pure: the time comes in as
//! Unix seconds.

use serde::{Deserialize, Serialize};

/// How many servers are remembered.
pub const RECENT_KEPT: usize = 16;

/// The longest host remembered (a DNS name is at most 253 bytes).
pub const MAX_HOST_BYTES: usize = 253;

/// One server reached from the client form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentServer {
    /// The host as typed (an address or a name).
    pub host: String,
    /// The port.
    pub port: u16,
    /// When it was last reached, in Unix seconds.
    pub reached_at: i64,
}

impl RecentServer {
    fn same(&self, host: &str, port: u16) -> bool {
        self.port == port && self.host.eq_ignore_ascii_case(host)
    }
}

/// `host:port` was reached at `now`: it goes first (once), the list stays within
/// [`RECENT_KEPT`]. An empty host, or one longer than [`MAX_HOST_BYTES`] or holding control
/// characters, is not remembered. Returns whether the list changed.
pub fn remember(list: &mut Vec<RecentServer>, host: &str, port: u16, now: i64) -> bool {
    let host = host.trim();
    if host.is_empty() || host.len() > MAX_HOST_BYTES || host.chars().any(char::is_control) {
        return false;
    }
    let before = list.clone();
    list.retain(|r| !r.same(host, port));
    list.insert(
        0,
        RecentServer {
            host: host.to_owned(),
            port,
            reached_at: now,
        },
    );
    list.truncate(RECENT_KEPT);
    *list != before
}

/// Forgets `host:port`. Returns whether it was remembered.
pub fn forget(list: &mut Vec<RecentServer>, host: &str, port: u16) -> bool {
    let before = list.len();
    list.retain(|r| !r.same(host, port));
    list.len() != before
}

/// The servers to show, from a settings file anyone with the account can edit: at most
/// [`RECENT_KEPT`], each once, none that [`remember`] would refuse.
pub fn shown(list: &[RecentServer]) -> Vec<&RecentServer> {
    let mut out: Vec<&RecentServer> = Vec::new();
    for r in list {
        if out.len() == RECENT_KEPT {
            break;
        }
        let fine = !r.host.trim().is_empty()
            && r.host.len() <= MAX_HOST_BYTES
            && !r.host.chars().any(char::is_control);
        if fine && !out.iter().any(|o| o.same(&r.host, r.port)) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_reached_comes_first_once_and_the_list_is_bounded() {
        let mut list = Vec::new();
        assert!(remember(&mut list, "10.0.0.5", 8888, 100));
        assert!(remember(&mut list, "teacher.lan", 8888, 200));
        assert!(remember(&mut list, "10.0.0.5", 9000, 300));
        // The same server again (another case): it moves up, with the new time.
        assert!(remember(&mut list, " TEACHER.lan ", 8888, 400));
        let order: Vec<(&str, u16, i64)> = list
            .iter()
            .map(|r| (r.host.as_str(), r.port, r.reached_at))
            .collect();
        assert_eq!(
            order,
            [
                ("TEACHER.lan", 8888, 400),
                ("10.0.0.5", 9000, 300),
                ("10.0.0.5", 8888, 100)
            ]
        );
        for i in 0..40 {
            remember(&mut list, &format!("10.1.0.{i}"), 8888, 500 + i);
        }
        assert_eq!(list.len(), RECENT_KEPT);
        assert_eq!(list[0].host, "10.1.0.39");
        assert!(forget(&mut list, "10.1.0.39", 8888));
        assert!(!forget(&mut list, "10.1.0.39", 8888));
        assert_eq!(list[0].host, "10.1.0.38");
    }

    #[test]
    fn odd_hosts_are_not_remembered_or_shown() {
        let mut list = Vec::new();
        assert!(!remember(&mut list, "  ", 8888, 1));
        assert!(!remember(&mut list, &"a".repeat(254), 8888, 1));
        assert!(!remember(&mut list, "a\u{1b}[2J", 8888, 1));
        assert!(list.is_empty());
        // A hand-edited file: duplicates, controls and too many.
        let edited: Vec<RecentServer> = (0..100)
            .map(|i| RecentServer {
                host: match i {
                    0 | 1 => "same".into(),
                    2 => "bad\nhost".into(),
                    _ => format!("h{i}"),
                },
                port: 1,
                reached_at: i,
            })
            .collect();
        let shown = shown(&edited);
        assert_eq!(shown.len(), RECENT_KEPT);
        assert_eq!(shown[0].host, "same");
        assert_eq!(shown[1].host, "h3");
    }
}
