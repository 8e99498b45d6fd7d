//! Find across every conversation of this run: the hits grouped by conversation, each with
//! the words around it and its time.
//!
//! A pure reducer. The conversations are searched again only when the query, the "match
//! bytes" choice or the language changed, or some conversation got new text (a cheap
//! fingerprint of every transcript's length says so), never on a frame where nothing did.

use std::hash::{Hash, Hasher};

use super::find::{Hit, Matcher, entry_text};
use crate::core::find_file::around;
use crate::core::ids::SessionId;
use crate::core::lang::Lang;
use crate::core::transcript::Transcript;

/// Results listed per conversation at most (the count says how many there are in all).
pub const LISTED_PER_CONVERSATION: usize = 50;

/// One hit as listed: where it is, when it was said, and the words around it (the same
/// as a hit in a saved file, which History's find lists).
pub type Found = crate::core::find_file::FileHit;

/// The hits in one conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The conversation.
    pub session: SessionId,
    /// How many hits it has.
    pub total: usize,
    /// The first [`LISTED_PER_CONVERSATION`] of them.
    pub listed: Vec<Found>,
}

/// Find across conversations: the groups, and what they were found for.
#[derive(Clone, Debug, Default)]
pub struct FindAll {
    groups: Vec<Group>,
    /// The query, mode, language and transcripts' fingerprint of the last search.
    searched: Option<u64>,
}

impl FindAll {
    /// Searches `conversations` for `query` again if anything changed since the last time.
    pub fn sync<'a>(
        &mut self,
        query: &str,
        match_bytes: bool,
        lang: Lang,
        conversations: impl Iterator<Item = (SessionId, &'a Transcript)> + Clone,
    ) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (query, match_bytes, lang.code()).hash(&mut h);
        for (id, t) in conversations.clone() {
            let last = t
                .entries()
                .last()
                .map_or(0, |e| e.text.len() + e.bytes.len());
            (id.0, t.len(), last, t.rewrites()).hash(&mut h);
        }
        let print = h.finish();
        if self.searched == Some(print) {
            return;
        }
        self.searched = Some(print);
        self.groups = search(query, match_bytes, lang, conversations);
    }

    /// The conversations with hits, in the order given.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// How many hits in all, and in how many conversations.
    pub fn count(&self) -> (usize, usize) {
        (self.groups.iter().map(|g| g.total).sum(), self.groups.len())
    }

    /// Forgets the results (the bar closed, or went back to one conversation).
    pub fn clear(&mut self) {
        *self = FindAll::default();
    }
}

/// Every conversation's hits for `query`, those without any left out.
pub fn search<'a>(
    query: &str,
    match_bytes: bool,
    lang: Lang,
    conversations: impl Iterator<Item = (SessionId, &'a Transcript)>,
) -> Vec<Group> {
    let Some(matcher) = Matcher::new(query, match_bytes) else {
        return Vec::new();
    };
    let mut groups = Vec::new();
    for (session, transcript) in conversations {
        let mut hits: Vec<Hit> = Vec::new();
        for (i, entry) in transcript.entries().iter().enumerate() {
            matcher.push_hits(i, entry, 0, lang, &mut hits);
        }
        if hits.is_empty() {
            continue;
        }
        let listed = hits
            .iter()
            .take(LISTED_PER_CONVERSATION)
            .filter_map(|hit| {
                let entry = transcript.entries().get(hit.entry)?;
                let text = entry_text(entry, lang);
                let range = if match_bytes { 0..0 } else { hit.range.clone() };
                let (before, hit_text, after) = around(&text, range);
                Some(Found {
                    entry: hit.entry,
                    start: hit.range.start,
                    at: entry.at,
                    before,
                    hit: hit_text,
                    after,
                })
            })
            .collect();
        groups.push(Group {
            session,
            total: hits.len(),
            listed,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time")
    }

    fn said(lines: &[&str]) -> Transcript {
        let mut t = Transcript::default();
        for line in lines {
            t.peer_chunk(t0(), true, line, line.as_bytes(), 0);
        }
        t
    }

    #[test]
    fn hits_are_grouped_by_conversation_with_the_words_around_them() {
        let a = said(&["老师，第3题的答案是不是B？", "好的"]);
        let b = said(&["no"]);
        let c = said(&["问第3题", "第３题也问"]);
        let mut all = FindAll::default();
        let list = [(SessionId(1), &a), (SessionId(2), &b), (SessionId(3), &c)];
        all.sync("第3题", false, Lang::ZhCn, list.iter().copied());
        assert_eq!(all.count(), (3, 2));
        let groups = all.groups();
        assert_eq!(groups[0].session, SessionId(1));
        assert_eq!(groups[1].session, SessionId(3), "no group without hits");
        let found = &groups[0].listed[0];
        assert_eq!(
            (
                found.before.as_str(),
                found.hit.as_str(),
                found.after.as_str()
            ),
            ("老师，", "第3题", "的答案是不是B？")
        );
        assert_eq!((found.entry, found.at), (0, t0()));
        assert_eq!(groups[1].listed[1].hit, "第３题", "full-width matches");
    }

    #[test]
    fn nothing_new_is_not_searched_again_and_new_text_is() {
        let mut a = said(&["apple"]);
        let mut all = FindAll::default();
        all.sync("apple", false, Lang::En, [(SessionId(1), &a)].into_iter());
        assert_eq!(all.count(), (1, 1));
        let before = all.searched;
        all.sync("apple", false, Lang::En, [(SessionId(1), &a)].into_iter());
        assert_eq!(all.searched, before);
        a.peer_chunk(t0(), true, "apple pie", b"apple pie", 0);
        all.sync("apple", false, Lang::En, [(SessionId(1), &a)].into_iter());
        assert_eq!(all.count(), (2, 1));
        all.sync("", false, Lang::En, [(SessionId(1), &a)].into_iter());
        assert_eq!(all.count(), (0, 0));
    }
}
