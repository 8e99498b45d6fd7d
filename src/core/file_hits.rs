//! What a search of one saved transcript file finds: each hit with its time and the words
//! around it, and the file's totals. Shared by the full search of a file read back
//! ([`super::find_file`]) and the quick one of a JSON Lines file ([`super::find_jsonl`]),
//! and listed by the find bar across conversations too.

use std::ops::Range;

use chrono::{DateTime, FixedOffset};

/// Characters of context shown on each side of a hit.
pub const CONTEXT_CHARS: usize = 24;

/// One hit in a file, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHit {
    /// The entry's index in the transcript read back from the file.
    pub entry: usize,
    /// Where the hit starts in it (in its shown text, or with "match bytes" its bytes).
    pub start: usize,
    /// When the message or notice was said.
    pub at: DateTime<FixedOffset>,
    /// The words before the hit ("…" where cut).
    pub before: String,
    /// The hit as shown (with "match bytes", the message's start).
    pub hit: String,
    /// The words after it.
    pub after: String,
}

/// The hits in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFound {
    /// The other side's address, as the file says.
    pub peer: String,
    /// The student's name, when the file gives one.
    pub name: Option<String>,
    /// When the conversation started.
    pub started: DateTime<FixedOffset>,
    /// How many hits the file has.
    pub total: usize,
    /// The first of them (as many as asked for).
    pub listed: Vec<FileHit>,
    /// Lines of the file that could not be read and were skipped.
    pub damaged: usize,
}

/// The words before, in and after `range` of `text`, on one line, a few on each side
/// (with an empty range, the start of the text).
pub fn around(text: &str, range: Range<usize>) -> (String, String, String) {
    let one_line = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let (head, mid, tail) = (
        text.get(..start).unwrap_or_default(),
        text.get(start..end).unwrap_or_default(),
        text.get(end..).unwrap_or_default(),
    );
    let before: Vec<char> = head.chars().rev().take(CONTEXT_CHARS + 1).collect();
    let mut before: String = before.iter().take(CONTEXT_CHARS).rev().collect();
    if head.chars().count() > CONTEXT_CHARS {
        before.insert(0, '…');
    }
    let limit = if mid.is_empty() {
        2 * CONTEXT_CHARS
    } else {
        CONTEXT_CHARS
    };
    let mut after: String = tail.chars().take(limit).collect();
    if tail.chars().nth(limit).is_some() {
        after.push('…');
    }
    (one_line(&before), one_line(mid), one_line(&after))
}
