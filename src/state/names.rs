//! Who is at each address: the name the window shows for a peer instead of `ip:port`.
//!
//! A name comes from, in order: the class list the teacher loaded, then a name the teacher
//! typed for that computer (remembered per IP address across runs, stored by
//! `crate::desktop::names_file`), then a name the peer's own TurnChat asserted about itself.
//! An asserted name is marked as such and never shown over a class-list or typed name, since
//! anybody can assert anything. Two peers on screen with the same name are both marked, so
//! the teacher does not answer the wrong 张伟.
//!
//! Pure data and functions: the conversation list, the header, the notifications and the
//! records all ask [`Names::resolve`].

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};

use crate::core::roster::{BadRow, Roster};
use crate::desktop::names_file::RosterFileError;

/// How the last class list loaded, for the window: what it gave, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassListReport {
    /// The list is in use.
    Loaded {
        /// Students used.
        students: usize,
        /// The rows skipped, with their lines (the first ones).
        bad_rows: Vec<BadRow>,
        /// Rows skipped beyond those listed.
        more_bad_rows: usize,
    },
    /// The file could not be used; the names shown before stay.
    Failed(RosterFileError),
}

/// The most names the teacher's typed names keep (one per computer).
pub const MAX_TYPED_NAMES: usize = 10_000;

/// Where a shown name came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSource {
    /// The class list.
    ClassList,
    /// Typed by the teacher for this computer.
    Typed,
    /// Said by the peer's own TurnChat about itself ("said by that computer").
    Asserted,
}

/// The name to show for one peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerName {
    /// The name.
    pub name: String,
    /// The seat, when the class list gives one.
    pub seat: Option<String>,
    /// Where the name came from.
    pub source: NameSource,
}

/// Every source of names the window knows.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// The class list in use, if one is loaded.
    pub roster: Option<Roster>,
    /// Names the teacher typed, by the computer's IP address (ports change per connection).
    typed: BTreeMap<IpAddr, String>,
    /// Names peers' own TurnChat asserted, by the connection's address.
    asserted: HashMap<SocketAddr, String>,
    /// Grows whenever any name may have changed, so views made from names are made again.
    generation: u64,
}

impl Names {
    /// Names with the teacher's remembered names (as loaded from disk).
    pub fn with_typed(typed: BTreeMap<IpAddr, String>) -> Names {
        Names {
            typed: typed.into_iter().take(MAX_TYPED_NAMES).collect(),
            ..Names::default()
        }
    }

    /// Uses a class list as read (or keeps the one before, when it could not be used) and
    /// says how it went.
    pub fn load_class_list(&mut self, read: Result<Roster, RosterFileError>) -> ClassListReport {
        match read {
            Ok(roster) => {
                let report = ClassListReport::Loaded {
                    students: roster.students.len(),
                    bad_rows: roster.bad_rows.clone(),
                    more_bad_rows: roster.more_bad_rows,
                };
                self.roster = Some(roster);
                self.generation += 1;
                report
            }
            Err(error) => ClassListReport::Failed(error),
        }
    }

    /// The name to show for this peer, if any source has one.
    pub fn resolve(&self, peer: SocketAddr) -> Option<PeerName> {
        if let Some(student) = self.roster.as_ref().and_then(|r| r.lookup(peer)) {
            return Some(PeerName {
                name: student.name.clone(),
                seat: student.seat.clone(),
                source: NameSource::ClassList,
            });
        }
        if let Some(name) = self.typed.get(&plain_ip(peer)) {
            return Some(PeerName {
                name: name.clone(),
                seat: None,
                source: NameSource::Typed,
            });
        }
        self.asserted.get(&peer).map(|name| PeerName {
            name: name.clone(),
            seat: None,
            source: NameSource::Asserted,
        })
    }

    /// The teacher typed a name for this peer's computer; an empty name forgets it.
    /// Returns whether the remembered names changed (and so should be saved).
    pub fn set_typed(&mut self, peer: SocketAddr, name: &str) -> bool {
        let ip = plain_ip(peer);
        let name = clean_name(name);
        self.generation += 1;
        if name.is_empty() {
            return self.typed.remove(&ip).is_some();
        }
        if self.typed.get(&ip) == Some(&name) {
            return false;
        }
        if !self.typed.contains_key(&ip) && self.typed.len() >= MAX_TYPED_NAMES {
            return false;
        }
        self.typed.insert(ip, name);
        true
    }

    /// A peer's own TurnChat said its name.
    pub fn set_asserted(&mut self, peer: SocketAddr, name: &str) {
        let name = clean_name(name);
        if name.is_empty() || self.asserted.len() >= MAX_TYPED_NAMES {
            return;
        }
        self.asserted.insert(peer, name);
        self.generation += 1;
    }

    /// Grows whenever any name may have changed.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The label of a named row: the name, and the seat when known (`张三 · A1`).
    pub fn row_label(&self, peer: SocketAddr) -> Option<String> {
        self.resolve(peer).map(|n| match n.seat {
            Some(seat) => format!("{} · {seat}", n.name),
            None => n.name,
        })
    }

    /// The name the teacher typed for this peer's computer, if any.
    pub fn typed_for(&self, peer: SocketAddr) -> Option<String> {
        self.typed.get(&plain_ip(peer)).cloned()
    }

    /// The teacher's typed names, to save.
    pub fn typed(&self) -> &BTreeMap<IpAddr, String> {
        &self.typed
    }

    /// Which of these peers share their shown name with another of them.
    pub fn duplicates(&self, peers: &[SocketAddr]) -> Vec<bool> {
        let shown: Vec<Option<String>> = peers
            .iter()
            .map(|&p| self.resolve(p).map(|n| n.name))
            .collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for name in shown.iter().flatten() {
            *count.entry(name.as_str()).or_default() += 1;
        }
        shown
            .iter()
            .map(|n| n.as_deref().is_some_and(|n| count.get(n) > Some(&1)))
            .collect()
    }
}

/// The IP address of a peer, an IPv4-mapped IPv6 address read as IPv4.
fn plain_ip(peer: SocketAddr) -> IpAddr {
    match peer.ip() {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// A name as it is kept: trimmed, without control characters, at most
/// [`crate::core::roster::MAX_NAME_CHARS`] characters.
fn clean_name(name: &str) -> String {
    (name.trim().chars())
        .filter(|c| !c.is_control())
        .take(crate::core::roster::MAX_NAME_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roster::parse_roster;

    fn addr(s: &str) -> SocketAddr {
        s.parse().expect("an address")
    }

    fn with_list(text: &str) -> Names {
        Names {
            roster: Some(parse_roster(text.as_bytes()).expect("a usable list")),
            ..Names::default()
        }
    }

    #[test]
    fn the_class_list_comes_first_then_typed_then_asserted() {
        let mut names = with_list("姓名,IP,座位\n张三,127.0.0.2,A1\n");
        let zhang = addr("127.0.0.2:40001");
        let other = addr("127.0.0.3:40002");
        assert!(names.set_typed(zhang, "Typed"));
        names.set_asserted(zhang, "li@PC-12");
        names.set_asserted(other, "wang@PC-13");
        let shown = names.resolve(zhang).expect("named");
        assert_eq!(shown.name, "张三");
        assert_eq!(shown.seat.as_deref(), Some("A1"));
        assert_eq!(shown.source, NameSource::ClassList);
        let asserted = names.resolve(other).expect("named");
        assert_eq!(asserted.source, NameSource::Asserted);
        assert!(names.set_typed(other, " 王五 "));
        assert_eq!(
            names.resolve(other),
            Some(PeerName {
                name: "王五".into(),
                seat: None,
                source: NameSource::Typed
            })
        );
        assert_eq!(names.resolve(addr("127.0.0.4:1")), None);
    }

    #[test]
    fn a_typed_name_belongs_to_the_computer_not_the_port() {
        let mut names = Names::default();
        assert!(names.set_typed(addr("127.0.0.2:40001"), "李四"));
        assert!(!names.set_typed(addr("127.0.0.2:40001"), "李四"));
        let later = names.resolve(addr("[::ffff:127.0.0.2]:50000"));
        assert_eq!(later.map(|n| n.name).as_deref(), Some("李四"));
        // Typing nothing forgets it.
        assert!(names.set_typed(addr("127.0.0.2:1"), "  "));
        assert_eq!(names.resolve(addr("127.0.0.2:1")), None);
        let kept = Names::with_typed(BTreeMap::from([(
            "127.0.0.9".parse().expect("an address"),
            "赵六".to_owned(),
        )]));
        assert_eq!(
            kept.resolve(addr("127.0.0.9:3")).map(|n| n.name).as_deref(),
            Some("赵六")
        );
    }

    #[test]
    fn two_rows_with_the_same_name_are_both_marked() {
        let names = with_list("name,ip\n张伟,127.0.0.2\n张伟,127.0.0.3\n李娜,127.0.0.4\n");
        let peers = [
            addr("127.0.0.2:1"),
            addr("127.0.0.3:1"),
            addr("127.0.0.4:1"),
            addr("127.0.0.5:1"),
        ];
        assert_eq!(names.duplicates(&peers), [true, true, false, false]);
    }

    #[test]
    fn a_class_list_that_cannot_be_used_keeps_the_names_before() {
        let mut names = with_list("name,ip\n张三,127.0.0.2\n");
        let failed = Err(RosterFileError::Unreadable {
            path: "/nowhere.csv".into(),
            detail: "gone".into(),
        });
        assert!(matches!(
            names.load_class_list(failed),
            ClassListReport::Failed(_)
        ));
        assert!(names.resolve(addr("127.0.0.2:1")).is_some());
        let next = parse_roster("name,ip\n李四,127.0.0.3\nx,bad\n".as_bytes()).map_err(|error| {
            RosterFileError::Unusable {
                path: "/l.csv".into(),
                error,
            }
        });
        let report = names.load_class_list(next);
        assert!(matches!(
            report,
            ClassListReport::Loaded { students: 1, ref bad_rows, more_bad_rows: 0 } if bad_rows.len() == 1
        ));
        assert!(names.resolve(addr("127.0.0.2:1")).is_none());
    }

    #[test]
    fn control_characters_and_long_names_are_tamed() {
        let mut names = Names::default();
        let peer = addr("127.0.0.2:1");
        names.set_asserted(peer, "a\u{1b}[31mb");
        assert_eq!(
            names.resolve(peer).map(|n| n.name).as_deref(),
            Some("a[31mb")
        );
        names.set_typed(peer, &"名".repeat(500));
        let typed = names.resolve(peer).map(|n| n.name).unwrap_or_default();
        assert_eq!(typed.chars().count(), crate::core::roster::MAX_NAME_CHARS);
    }
}
