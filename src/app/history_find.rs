//! Find in History: what its view returns is carried out here. A new query cancels the
//! running search and starts another on its own thread; the reports are drained into the
//! reducer; Esc or Cancel stops it; opening a result reads its file on a job thread and
//! shows it with the find bar open on the hit.

use eframe::egui::{self, Key, Modifiers};

use super::TurnChatApp;
use crate::desktop::history_find::{Ended, FindReport, HistorySearch, Search};
use crate::desktop::jobs::JobDone;
use crate::state::history_find::SearchAction;
use crate::ui::history_find::HistoryFindAction;

impl TurnChatApp {
    /// Carries out what the user did in History's find.
    pub(super) fn history_find_action(&mut self, action: HistoryFindAction) {
        let next = match action {
            HistoryFindAction::Query(query) => self.history_find.set_query(&query),
            HistoryFindAction::MatchBytes(on) => self.history_find.set_match_bytes(on),
            HistoryFindAction::Cancel => self.history_find.cancel(),
            HistoryFindAction::Open { path, entry, start } => {
                let spawned = self.jobs.spawn("history-open", true, move || {
                    let item = crate::desktop::history_find::read_history_file(&path);
                    JobDone::HistoryFileRead {
                        path,
                        item,
                        entry,
                        start,
                    }
                });
                if let Err(e) = spawned {
                    self.keeping.set_notice(
                        crate::desktop::file_notice::FileNotice::TaskNotStarted {
                            detail: e.to_string(),
                        },
                    );
                }
                None
            }
        };
        if let Some(next) = next {
            self.search(next);
        }
    }

    /// Searches the same query again, if there is one (the folder was read again, or the
    /// language changed: notices are matched in the window's words).
    pub(super) fn search_again(&mut self) {
        if let Some(action) = self.history_find.again() {
            self.search(action);
        }
    }

    /// Cancels the running search, and starts the one asked for, if any.
    fn search(&mut self, action: SearchAction) {
        if let Some(mut old) = self.history_search.take() {
            old.cancel();
            self.retired_searches.push(old);
        }
        let SearchAction::Start {
            id,
            query,
            match_bytes,
        } = action
        else {
            return;
        };
        let Some(dir) = self.base_transcripts.clone() else {
            // No transcripts folder: nothing to search.
            self.history_find
                .apply(FindReport::Started { id, files: 0 });
            self.history_find.apply(FindReport::Finished {
                id,
                ended: Ended::Done,
                done: 0,
                too_big: 0,
                unreadable: 0,
            });
            return;
        };
        let search = Search {
            id,
            dir,
            query,
            match_bytes,
            lang: self.lang(),
            shown: crate::state::find::entry_text,
        };
        match HistorySearch::start(search, self.find_reports.0.clone(), self.frames.waker()) {
            Ok(running) => self.history_search = Some(running),
            Err(e) => {
                self.history_find.cancel();
                self.keeping
                    .set_notice(crate::desktop::file_notice::FileNotice::TaskNotStarted {
                        detail: e.to_string(),
                    });
            }
        }
    }

    /// Applies the History searches' reports, and joins the threads of those that ended.
    pub(super) fn drain_find_reports(&mut self) {
        while let Ok(report) = self.find_reports.1.try_recv() {
            self.history_find.apply(report);
        }
        if self
            .history_search
            .as_ref()
            .is_some_and(HistorySearch::is_finished)
            && !self.history_find.searching()
        {
            self.history_search = None;
        }
        // Dropping a finished search joins its thread at once.
        self.retired_searches.retain(|s| !s.is_finished());
    }

    /// Esc cancels a running History search: from its query box, or from anywhere while
    /// neither the find bar nor a connect wants the key.
    pub(super) fn history_find_keys(&mut self, ctx: &egui::Context) {
        if !self.history_find.searching() {
            return;
        }
        let in_box = ctx.memory(|m| m.has_focus(crate::ui::history_find::query_id()));
        let connecting = matches!(
            self.state.status,
            crate::state::RoleStatus::Connecting { .. }
        );
        if (in_box || !(self.find.is_open() || connecting))
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            self.history_find_action(HistoryFindAction::Cancel);
        }
    }

    /// A file found in History was read: it is shown (by Keeping) with the find bar open
    /// on the query, at the hit.
    pub(super) fn aim_at_found(&mut self, done: &JobDone) {
        if let JobDone::HistoryFileRead {
            item: Some(_),
            entry,
            start,
            ..
        } = done
        {
            if !self.find.is_open() {
                self.view.remember_place();
                self.find.open();
            }
            self.find.set_match_bytes(self.history_find.match_bytes());
            self.find.set_query(self.history_find.query());
            self.find.aim_at(*entry, *start);
        }
    }

    /// How many History searches still have a thread (for tests).
    pub fn history_searches_running(&self) -> usize {
        self.history_search.iter().count() + self.retired_searches.len()
    }

    /// The past conversation's file on screen, if one is (for tests).
    pub fn showing_file(&self) -> Option<&std::path::Path> {
        self.keeping.showing().map(|i| i.path.as_path())
    }

    /// Find in History's state (for tests).
    pub fn history_find(&self) -> &crate::state::history_find::HistoryFind {
        &self.history_find
    }
}
