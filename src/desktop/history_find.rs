//! Find in History: the walk over the saved transcripts (the live JSON Lines files, and
//! saved `.jsonl` and `.txt` files, in the transcripts folder and its class folders), on
//! a named thread of its own that reports as it goes and stops when cancelled.
//!
//! Bounded: a file over [`MAX_FILE_BYTES`] is skipped and counted, at most
//! [`MAX_FILES`] files are looked at, and at most [`MAX_LISTED`] hits are listed in all
//! (every hit is still counted). Only one file is in memory at a time. Reports go over a
//! bounded channel, so a window that falls behind holds the walk back rather than piling
//! reports up; a cancel ends it at the next file, or while it waits to report.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, TryRecvError};

use crate::core::export::ExportFormat;
use crate::core::find_file::{self, FileFound, Needle};
use crate::core::lang::Lang;
use crate::core::transcript::Entry;
use crate::core::waker::Waker;

/// Files over this size are skipped (and counted) rather than read.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// The most files one search looks at (the newest first).
pub const MAX_FILES: usize = 20_000;
/// The most hits listed in all; the rest are counted.
pub const MAX_LISTED: usize = 200;
/// The most hits listed for one file.
pub const LISTED_PER_FILE: usize = 20;
/// Reports waiting for the window at most.
pub const REPORTS_WAITING: usize = 64;

/// How an entry is shown: its text, or a notice in the window's words.
pub type Shown = fn(&Entry, Lang) -> Cow<'_, str>;

/// What one search looks for, and where.
#[derive(Clone, Debug)]
pub struct Search {
    /// This search's number: reports of an older one are told apart by it.
    pub id: u64,
    /// The transcripts folder.
    pub dir: PathBuf,
    /// The query as typed.
    pub query: String,
    /// Whether the query is hex bytes.
    pub match_bytes: bool,
    /// The window's language (notices are matched in its words).
    pub lang: Lang,
    /// How an entry is shown.
    pub shown: Shown,
}

/// How a search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every file was looked at.
    Done,
    /// It was cancelled before that.
    Cancelled,
}

/// What a search reports, in order: progress and found files, then one `Finished`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindReport {
    /// The files were listed; this many will be looked at.
    Started {
        /// The search.
        id: u64,
        /// How many files.
        files: usize,
    },
    /// A file was looked at.
    Progress {
        /// The search.
        id: u64,
        /// Files looked at so far.
        done: usize,
    },
    /// A file with hits.
    Found {
        /// The search.
        id: u64,
        /// The file.
        path: PathBuf,
        /// Its hits.
        found: FileFound,
    },
    /// The search is over.
    Finished {
        /// The search.
        id: u64,
        /// Why.
        ended: Ended,
        /// Files looked at.
        done: usize,
        /// Files skipped as too big.
        too_big: usize,
        /// Files that could not be read, or are not transcripts.
        unreadable: usize,
    },
}

impl FindReport {
    /// The search it is for.
    pub fn id(&self) -> u64 {
        match self {
            FindReport::Started { id, .. }
            | FindReport::Progress { id, .. }
            | FindReport::Found { id, .. }
            | FindReport::Finished { id, .. } => *id,
        }
    }
}

/// The transcript files under `dir` (its own and its class folders', one level down),
/// newest first, at most [`MAX_FILES`].
pub fn history_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let inner = std::fs::read_dir(&path).into_iter().flatten().flatten();
            inner
                .take(MAX_FILES)
                .for_each(|e| add_file(&mut files, e.path()));
        } else {
            add_file(&mut files, path);
        }
        if files.len() >= 2 * MAX_FILES {
            break;
        }
    }
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    files.truncate(MAX_FILES);
    files.into_iter().map(|(_, p)| p).collect()
}

/// Adds `path`, with when it was last written, if it is a transcript's (`.jsonl`, `.txt`).
fn add_file(files: &mut Vec<(Option<std::time::SystemTime>, PathBuf)>, path: PathBuf) {
    let kept = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("txt"));
    if kept && let Ok(meta) = std::fs::metadata(&path) {
        files.push((meta.modified().ok(), path));
    }
}

/// Makes `f` take an entry of any lifetime (a closure's signature is not inferred so).
fn for_any_entry<F: Fn(&Entry) -> Cow<'_, str>>(f: F) -> F {
    f
}

/// Runs `search` over `files`, handing each report to `report`; stops when `cancel` is
/// closed (its sender dropped). `report` returns false when the search should stop (its
/// window is gone, or it was cancelled while waiting). Returns how it ended.
pub fn run(
    search: &Search,
    files: &[PathBuf],
    cancel: &Receiver<()>,
    report: &mut dyn FnMut(FindReport) -> bool,
) -> FindReport {
    let id = search.id;
    let (mut done, mut too_big, mut unreadable, mut listed) = (0, 0, 0, 0);
    let finished = |ended, done, too_big, unreadable| FindReport::Finished {
        id,
        ended,
        done,
        too_big,
        unreadable,
    };
    let cancelled = || matches!(cancel.try_recv(), Err(TryRecvError::Disconnected));
    let Some(needle) = Needle::new(&search.query, search.match_bytes) else {
        return finished(Ended::Done, 0, 0, 0);
    };
    let lang = search.lang;
    let shown = search.shown;
    let shown = for_any_entry(move |e| shown(e, lang));
    if !report(FindReport::Started {
        id,
        files: files.len(),
    }) {
        return finished(Ended::Cancelled, done, too_big, unreadable);
    }
    let mut bytes = Vec::new();
    for path in files {
        if cancelled() {
            return finished(Ended::Cancelled, done, too_big, unreadable);
        }
        let format = ExportFormat::from_file_name(&path.to_string_lossy());
        match read_bounded(path, &mut bytes) {
            Read::TooBig => too_big += 1,
            Read::Failed => unreadable += 1,
            Read::Text(text) => {
                let list = LISTED_PER_FILE.min(MAX_LISTED - listed);
                match find_file::search_text(&text, format, &needle, &shown, list) {
                    None => unreadable += 1,
                    Some(found) if found.total > 0 => {
                        listed += found.listed.len();
                        let path = path.clone();
                        if !report(FindReport::Found { id, path, found }) {
                            return finished(Ended::Cancelled, done, too_big, unreadable);
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        done += 1;
        if !report(FindReport::Progress { id, done }) {
            return finished(Ended::Cancelled, done, too_big, unreadable);
        }
    }
    finished(Ended::Done, done, too_big, unreadable)
}

/// Reads the transcript `path` back (within the size bound) to show it, as History does.
pub fn read_history_file(path: &Path) -> Option<crate::desktop::jobs::HistoryItem> {
    let mut bytes = Vec::new();
    let Read::Text(text) = read_bounded(path, &mut bytes) else {
        return None;
    };
    let format = ExportFormat::from_file_name(&path.to_string_lossy());
    let conversation = find_file::read_back(&text, format)?;
    Some(crate::desktop::jobs::HistoryItem {
        path: path.to_path_buf(),
        conversation: Arc::new(conversation),
    })
}

enum Read<'a> {
    Text(Cow<'a, str>),
    TooBig,
    Failed,
}

/// The file's text (invalid UTF-8 replaced), read into `bytes` (one buffer for the whole
/// walk, so a file costs no new memory), unless it is over [`MAX_FILE_BYTES`]; the read
/// itself stops at the bound, should the file grow meanwhile.
fn read_bounded<'a>(path: &Path, bytes: &'a mut Vec<u8>) -> Read<'a> {
    use std::io::Read as _;
    let Ok(file) = std::fs::File::open(path) else {
        return Read::Failed;
    };
    let size = file.metadata().map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        return Read::TooBig;
    }
    bytes.clear();
    // Its size, and a byte to see the end by: no growing and copying while it is read.
    bytes.reserve(size as usize + 1);
    match file.take(MAX_FILE_BYTES + 1).read_to_end(bytes) {
        Ok(n) if n as u64 > MAX_FILE_BYTES => Read::TooBig,
        // Checked the quick way first: the lossy reading walks the bytes one by one.
        Ok(_) => Read::Text(match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        }),
        Err(_) => Read::Failed,
    }
}

/// One search running on its own thread (`turnchat-history-find`). Dropping it cancels
/// the search and joins the thread.
pub struct HistorySearch {
    cancel: Option<Sender<()>>,
    handle: Option<JoinHandle<()>>,
}

impl HistorySearch {
    /// Starts `search`; its reports go to `reports`, each followed by a wake.
    pub fn start(
        search: Search,
        reports: Sender<FindReport>,
        waker: Arc<dyn Waker>,
    ) -> std::io::Result<HistorySearch> {
        let (cancel, cancelled) = crossbeam_channel::bounded::<()>(0);
        let handle = std::thread::Builder::new()
            .name("turnchat-history-find".into())
            .spawn(move || {
                let files = history_files(&search.dir);
                let mut send = |report: FindReport| {
                    // Waits while the window is behind, unless the search is cancelled.
                    crossbeam_channel::select! {
                        send(reports, report) -> sent => {
                            waker.wake();
                            sent.is_ok()
                        }
                        recv(cancelled) -> _ => false,
                    }
                };
                let last = run(&search, &files, &cancelled, &mut send);
                send(last);
            })?;
        Ok(HistorySearch {
            cancel: Some(cancel),
            handle: Some(handle),
        })
    }

    /// Asks the search to stop (at the next file, or while it waits to report).
    pub fn cancel(&mut self) {
        self.cancel.take();
    }

    /// Whether its thread has ended.
    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for HistorySearch {
    fn drop(&mut self) {
        self.cancel();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(entry: &Entry, _: Lang) -> Cow<'_, str> {
        Cow::Borrowed(&entry.text)
    }

    fn line(i: usize, text: &str) -> String {
        format!(
            r#"{{"at":"2026-11-25T14:02:{:02}+08:00","session":"s{i}","peer":"10.0.0.{}:5","from":"peer","text":"{text}","hex":""}}"#,
            i % 60,
            i % 250
        ) + "\n"
    }

    fn folder(name: &str, files: usize) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "turnchat-history-find-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("class-1")).expect("folder");
        for i in 0..files {
            let sub = if i % 2 == 0 {
                dir.clone()
            } else {
                dir.join("class-1")
            };
            let text = if i % 3 == 0 { "apple pie" } else { "pear" };
            std::fs::write(sub.join(format!("f{i}.jsonl")), line(i, text)).expect("write");
        }
        std::fs::write(dir.join("notes.md"), "apple").expect("write");
        dir
    }

    fn search(dir: &Path, query: &str) -> Search {
        Search {
            id: 7,
            dir: dir.to_path_buf(),
            query: query.into(),
            match_bytes: false,
            lang: Lang::En,
            shown,
        }
    }

    #[test]
    fn every_transcript_file_is_searched_and_reported() {
        let dir = folder("all", 9);
        std::fs::write(dir.join("broken.jsonl"), "not a transcript\n").expect("write");
        // Over the bound (sparse: nothing is written): skipped and counted, never read.
        let big = std::fs::File::create(dir.join("big.jsonl")).expect("create");
        big.set_len(MAX_FILE_BYTES + 1).expect("size");
        let files = history_files(&dir);
        assert_eq!(files.len(), 11, "the .md file is not a transcript");
        let (_keep, cancel) = crossbeam_channel::bounded::<()>(0);
        let mut reports = Vec::new();
        let last = run(&search(&dir, "APPLE"), &files, &cancel, &mut |r| {
            reports.push(r);
            true
        });
        let found = reports
            .iter()
            .filter(|r| matches!(r, FindReport::Found { .. }))
            .count();
        assert_eq!(found, 3, "files 0, 3 and 6");
        assert_eq!(reports[0], FindReport::Started { id: 7, files: 11 });
        assert_eq!(
            last,
            FindReport::Finished {
                id: 7,
                ended: Ended::Done,
                done: 11,
                too_big: 1,
                unreadable: 1
            }
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_cancel_stops_the_walk_at_the_next_file() {
        let dir = folder("cancel", 60);
        let files = history_files(&dir);
        let (stop, cancel) = crossbeam_channel::bounded::<()>(0);
        let mut stop = Some(stop);
        let mut progress = 0;
        let last = run(&search(&dir, "apple"), &files, &cancel, &mut |r| {
            if let FindReport::Progress { done, .. } = r {
                progress = done;
                if done == 5 {
                    // The user pressed Cancel.
                    stop.take();
                }
            }
            true
        });
        assert_eq!(progress, 5, "no file looked at after the cancel");
        assert!(matches!(
            last,
            FindReport::Finished {
                ended: Ended::Cancelled,
                done: 5,
                ..
            }
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_thread_reports_over_a_bounded_channel_and_stops_when_dropped() {
        let dir = folder("thread", 200);
        let (tx, rx) = crossbeam_channel::bounded(REPORTS_WAITING);
        let waker: Arc<dyn Waker> = Arc::new(crate::core::waker::NoWaker);
        let running = HistorySearch::start(search(&dir, "apple"), tx, waker).expect("thread");
        // The window reads one report, then goes away: the walk is held at the bound
        // and the drop ends it (joined, not left running).
        let first = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("a report");
        assert_eq!(first, FindReport::Started { id: 7, files: 200 });
        drop(running);
        let left: Vec<FindReport> = rx.try_iter().collect();
        assert!(left.len() <= REPORTS_WAITING);
        assert!(
            !left
                .iter()
                .any(|r| matches!(r, FindReport::Progress { done: 200, .. })),
            "stopped before the last file"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
