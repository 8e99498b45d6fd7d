//! Find in History: the query, the search running for it, its progress, and the files
//! found with their hits.
//!
//! A pure reducer. A new query (or "match bytes" turned on or off) starts a new search and
//! asks for the old one to be cancelled; reports of a search that is no longer the current
//! one are ignored, so a slow old search can never mix its hits into the new results.
//! The walk itself is `crate::desktop::history_find`'s.

use std::path::PathBuf;

use crate::core::find_file::{FileFound, Needle};
use crate::desktop::history_find::{Ended, FindReport};

/// What the app must do for [`HistoryFind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchAction {
    /// Cancel the running search, if any, and start this one.
    Start {
        /// Its number (its reports carry it).
        id: u64,
        /// The query.
        query: String,
        /// Whether the query is hex bytes.
        match_bytes: bool,
    },
    /// Cancel the running search, if any.
    Cancel,
}

/// Where the search is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No search: no query, or one that cannot match (not hex with "match bytes").
    Idle,
    /// Looking: `done` files of `files` (`None` until they are listed).
    Searching {
        /// Files looked at.
        done: usize,
        /// Files to look at.
        files: Option<usize>,
    },
    /// Every file was looked at.
    Done {
        /// How many files.
        files: usize,
    },
    /// The user cancelled it after `done` of `files`.
    Cancelled {
        /// Files looked at.
        done: usize,
        /// Files there were (`None`: not listed yet).
        files: Option<usize>,
    },
}

/// A file with hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    /// The file.
    pub path: PathBuf,
    /// Its hits.
    pub found: FileFound,
}

/// Find in History's state.
#[derive(Clone, Debug)]
pub struct HistoryFind {
    query: String,
    match_bytes: bool,
    /// The number of the last search started.
    last_id: u64,
    /// The search whose reports count (`None`: none running).
    current: Option<u64>,
    phase: Phase,
    found: Vec<FoundFile>,
    /// Files with hits past the listing's cap: counted, not kept.
    unlisted_files: usize,
    hits: usize,
    listed: usize,
    too_big: usize,
    unreadable: usize,
    damaged: usize,
}

impl Default for HistoryFind {
    fn default() -> Self {
        HistoryFind {
            query: String::new(),
            match_bytes: false,
            last_id: 0,
            current: None,
            phase: Phase::Idle,
            found: Vec::new(),
            unlisted_files: 0,
            hits: 0,
            listed: 0,
            too_big: 0,
            unreadable: 0,
            damaged: 0,
        }
    }
}

impl HistoryFind {
    /// The query as typed.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether the query is hex bytes.
    pub fn match_bytes(&self) -> bool {
        self.match_bytes
    }

    /// A new query: a new search (or, if it cannot match, none).
    pub fn set_query(&mut self, query: &str) -> Option<SearchAction> {
        if query == self.query {
            return None;
        }
        query.clone_into(&mut self.query);
        Some(self.restart())
    }

    /// "Match bytes" on or off: the query is searched again.
    pub fn set_match_bytes(&mut self, on: bool) -> Option<SearchAction> {
        if on == self.match_bytes {
            return None;
        }
        self.match_bytes = on;
        Some(self.restart())
    }

    /// Searches the same query again (History was read again, or reopened).
    pub fn again(&mut self) -> Option<SearchAction> {
        (!self.query.is_empty()).then(|| self.restart())
    }

    /// Whether the query can match anything.
    pub fn searchable(&self) -> bool {
        Needle::new(&self.query, self.match_bytes).is_some()
    }

    fn restart(&mut self) -> SearchAction {
        *self = HistoryFind {
            query: std::mem::take(&mut self.query),
            match_bytes: self.match_bytes,
            last_id: self.last_id,
            ..HistoryFind::default()
        };
        if !self.searchable() {
            return SearchAction::Cancel;
        }
        self.last_id += 1;
        self.current = Some(self.last_id);
        self.phase = Phase::Searching {
            done: 0,
            files: None,
        };
        SearchAction::Start {
            id: self.last_id,
            query: self.query.clone(),
            match_bytes: self.match_bytes,
        }
    }

    /// The user cancelled (the Cancel button, Esc): `Cancel` while a search runs.
    pub fn cancel(&mut self) -> Option<SearchAction> {
        let Phase::Searching { done, files } = self.phase else {
            return None;
        };
        self.phase = Phase::Cancelled { done, files };
        self.current = None;
        Some(SearchAction::Cancel)
    }

    /// A report of a search: applied if it is the current one's.
    pub fn apply(&mut self, report: FindReport) {
        if self.current != Some(report.id()) {
            return;
        }
        match report {
            FindReport::Started { files, .. } => {
                self.phase = Phase::Searching {
                    done: 0,
                    files: Some(files),
                };
            }
            FindReport::Progress { done, .. } => {
                if let Phase::Searching { files, .. } = self.phase {
                    self.phase = Phase::Searching { done, files };
                }
            }
            FindReport::Found { path, found, .. } => {
                self.hits += found.total;
                self.listed += found.listed.len();
                self.damaged += found.damaged;
                if found.listed.is_empty() {
                    self.unlisted_files += 1;
                } else {
                    self.found.push(FoundFile { path, found });
                }
            }
            FindReport::Finished {
                ended,
                done,
                too_big,
                unreadable,
                ..
            } => {
                let files = match self.phase {
                    Phase::Searching { files, .. } => files,
                    _ => None,
                };
                self.phase = match ended {
                    Ended::Done => Phase::Done {
                        files: files.unwrap_or(done),
                    },
                    Ended::Cancelled => Phase::Cancelled { done, files },
                };
                self.too_big = too_big;
                self.unreadable = unreadable;
                self.current = None;
            }
        }
    }

    /// Where the search is.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Whether a search is running.
    pub fn searching(&self) -> bool {
        matches!(self.phase, Phase::Searching { .. })
    }

    /// The files with hits listed, in the order found (the newest files first).
    pub fn found(&self) -> &[FoundFile] {
        &self.found
    }

    /// How many files have hits, listed or not.
    pub fn files_with_hits(&self) -> usize {
        self.found.len() + self.unlisted_files
    }

    /// How many hits in all, and how many of them are listed.
    pub fn hits(&self) -> (usize, usize) {
        (self.hits, self.listed)
    }

    /// Files skipped as too big, and files that could not be read, or are not
    /// transcripts; lines skipped in the files read.
    pub fn skipped(&self) -> (usize, usize, usize) {
        (self.too_big, self.unreadable, self.damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn found(total: usize, listed: usize) -> FileFound {
        let at = DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time");
        FileFound {
            peer: "10.0.0.2:5".into(),
            name: None,
            started: at,
            total,
            listed: (0..listed)
                .map(|i| crate::core::find_file::FileHit {
                    entry: i,
                    start: 0,
                    at,
                    before: String::new(),
                    hit: "x".into(),
                    after: String::new(),
                })
                .collect(),
            damaged: 1,
        }
    }

    fn start_id(action: Option<SearchAction>) -> u64 {
        match action {
            Some(SearchAction::Start { id, .. }) => id,
            other => panic!("expected a start, got {other:?}"),
        }
    }

    #[test]
    fn a_search_reports_progress_hits_and_its_end() {
        let mut f = HistoryFind::default();
        let id = start_id(f.set_query("x"));
        assert!(f.searching());
        f.apply(FindReport::Started { id, files: 1000 });
        f.apply(FindReport::Progress { id, done: 412 });
        assert_eq!(
            f.phase(),
            Phase::Searching {
                done: 412,
                files: Some(1000)
            }
        );
        f.apply(FindReport::Found {
            id,
            path: "/t/a.jsonl".into(),
            found: found(30, 20),
        });
        // Past the listing's cap, a file's hits are counted, and the file is not kept.
        f.apply(FindReport::Found {
            id,
            path: "/t/b.jsonl".into(),
            found: found(5, 0),
        });
        f.apply(FindReport::Finished {
            id,
            ended: Ended::Done,
            done: 998,
            too_big: 1,
            unreadable: 1,
        });
        assert_eq!(f.phase(), Phase::Done { files: 1000 });
        assert_eq!(f.hits(), (35, 20));
        assert_eq!(f.files_with_hits(), 2);
        assert_eq!(f.skipped(), (1, 1, 2));
        assert_eq!(f.found().len(), 1);
    }

    #[test]
    fn a_new_query_starts_a_new_search_and_the_old_ones_reports_are_ignored() {
        let mut f = HistoryFind::default();
        let old = start_id(f.set_query("ab"));
        let new = start_id(f.set_query("abc"));
        assert_ne!(old, new);
        f.apply(FindReport::Found {
            id: old,
            path: "/t/old.jsonl".into(),
            found: found(1, 1),
        });
        assert!(f.found().is_empty(), "the old search's hit is not listed");
        assert_eq!(f.set_query("abc"), None, "the same query: nothing new");
        assert_eq!(f.set_query(""), Some(SearchAction::Cancel));
        assert_eq!(f.phase(), Phase::Idle);
        assert_eq!(f.set_match_bytes(true), Some(SearchAction::Cancel));
        assert!(matches!(
            f.set_query("c4e3"),
            Some(SearchAction::Start {
                match_bytes: true,
                ..
            })
        ));
        assert_eq!(f.set_query("c4e"), Some(SearchAction::Cancel), "not hex");
    }

    #[test]
    fn cancel_says_where_it_stopped_and_ignores_what_comes_after() {
        let mut f = HistoryFind::default();
        let id = start_id(f.set_query("x"));
        f.apply(FindReport::Started { id, files: 1000 });
        f.apply(FindReport::Progress { id, done: 412 });
        assert_eq!(f.cancel(), Some(SearchAction::Cancel));
        assert_eq!(
            f.phase(),
            Phase::Cancelled {
                done: 412,
                files: Some(1000)
            }
        );
        f.apply(FindReport::Progress { id, done: 413 });
        assert_eq!(
            f.phase(),
            Phase::Cancelled {
                done: 412,
                files: Some(1000)
            }
        );
        assert_eq!(f.cancel(), None, "nothing left to cancel");
        assert!(matches!(f.again(), Some(SearchAction::Start { .. })));
    }
}
