//! The conversation as a chat: the peer on the left, us on the right, notices centred.
//!
//! Only the rows in view are laid out and drawn, so a conversation of 100,000 messages
//! costs the same per frame as one of ten. A long message is cut into rows of a few
//! kilobytes, so a 1 MiB message that keeps growing only lays out its visible and newest
//! pieces, never the whole text. Row heights start as an estimate from the text's length
//! and become exact once a row has been drawn; a prefix sum of heights finds the first
//! visible row by binary search.
//!
//! Any message can show its exact bytes in hex under its text: every message when
//! [`TranscriptView::show_hex`] is on, or one at a time with its own small toggle (which
//! flips it either way).
//!
//! While the find bar is open, every hit is drawn on a coloured background, the current
//! one stronger; the view scrolls to a hit when asked, and goes back to where the user was
//! reading when the bar closes.

use std::collections::HashSet;
use std::ops::Range;

use eframe::egui::{self, Align, Layout, RichText, UiBuilder};

use super::style;
use crate::core::codec::WireEncoding;
use crate::core::display::{visible_text, with_codes_for_missing};
use crate::core::hexinput::spaced_hex;
use crate::core::lang::{Lang, Say};
use crate::core::transcript::{Entry, Speaker, Transcript};
use crate::state::find::{Find, Hit};
use crate::words::Phrase;
use crate::words::encoding::EncodingHint;
use crate::words::talk::TalkLabel;

/// Bubbles take at most this share of the width.
const BUBBLE_SHARE: f32 = 0.72;
/// Space between messages.
const ROW_GAP: f32 = 6.0;
/// A long message is shown in pieces of about this many bytes.
const SEGMENT_BYTES: usize = 4096;
/// The hex view shows at most this many of a message's bytes (and says how many more).
const HEX_SHOWN_BYTES: usize = 1024;

/// One drawn row: a piece of one entry's text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    entry: usize,
    bytes: Range<usize>,
    first: bool,
}

/// Layout cache for one transcript.
#[derive(Default)]
pub struct TranscriptView {
    /// The language TurnChat's own notices are worded in (set by the app each frame).
    pub lang: Lang,
    /// The language the rows were measured in.
    measured_lang: Lang,
    /// Which transcript the cache is for.
    key: Option<u64>,
    /// Its [`Transcript::rewrites`] when the cache was built.
    rewrites: u64,
    width: f32,
    rows: Vec<Row>,
    /// Row heights (estimated until drawn).
    heights: Vec<f32>,
    /// Whether `heights[i]` was measured at the current width.
    measured: Vec<bool>,
    /// Each row's text as shown, when some of its characters have no glyph in any font
    /// and are written as their codes (`Some(None)`: shown as it is; `None`: not yet
    /// looked at, which happens once, when the row is first drawn).
    shown: Vec<Option<Option<String>>>,
    /// `offsets[i]` is the top of row `i`; `offsets[len]` the total height.
    offsets: Vec<f32>,
    offsets_dirty: bool,
    /// How many entries have rows, and the text length of the last one when it got them.
    entries_seen: usize,
    last_text_len: usize,
    /// Whether the last frame drew the transcript's last row wholly inside the viewport.
    end_in_view: bool,
    /// The viewport's height when the last frame ended stuck to the bottom (`None`: the
    /// user scrolled up, or no frame yet). A new message then scrolls into view in the
    /// frame that first draws it, not one frame later.
    stuck_height: Option<f32>,
    /// Whether what the last frame drew moved at its end (row heights measured, scroll
    /// stuck to a new bottom), so one more frame is needed to show it settled.
    needs_frame: bool,
    /// Every message shows its bytes in hex (the global toggle; the app sets it).
    pub show_hex: bool,
    /// Messages (by entry index) whose own toggle flips what `show_hex` says.
    hex_flipped: HashSet<usize>,
    /// Where each transcript shown before was scrolled, by key (see [`Positions`]).
    positions: Positions,
    /// Where to scroll in the first frame of a transcript shown again.
    restore: Option<Position>,
    /// A find hit to scroll to: its entry, its first byte, and how many more frames to
    /// place it again while the rows around it are being measured.
    scroll_target: Option<(usize, usize, u8)>,
    /// Where the user was reading when the find bar opened, by transcript key.
    place: Option<(u64, Position)>,
    /// The find hits drawn in the last frame, for tests.
    marks_drawn: Vec<DrawnMark>,
}

/// A message or notice with find hits, as drawn in the last frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawnMark {
    /// Its entry's index.
    pub entry: usize,
    /// Whether it holds the current hit.
    pub current: bool,
    /// Where its text was drawn.
    pub rect: egui::Rect,
    /// The visible part of the transcript in that frame.
    pub viewport: egui::Rect,
}

/// The hits to mark in one row: byte ranges in the row's own text, and whether each is the
/// current hit.
type RowMarks = Vec<(Range<usize>, bool)>;

/// Where a transcript was scrolled: stuck to its newest message, or this far down.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Position {
    Bottom,
    At(f32),
}

/// Each transcript's scroll position, kept by the view. Every transcript is drawn in one
/// scroll area whose id does not change: a scroll area new in a frame asks egui for two
/// more frames at once, unpaced (its scroll bar "appears"), and a new conversation would
/// pay them in the very frames a flood from it needs the CPU for (issue 14).
#[derive(Default)]
struct Positions(std::collections::HashMap<u64, Position>);

impl Positions {
    /// Transcripts remembered at most; beyond, the others start again at their newest
    /// message (a server that ran for a long time forgets where it left old ones).
    const MOST: usize = 1024;

    fn remember(&mut self, key: u64, at: Position) {
        if self.0.len() >= Self::MOST && !self.0.contains_key(&key) {
            self.0.clear();
        }
        self.0.insert(key, at);
    }

    /// Where `key` was left; a transcript never shown starts at its newest message.
    fn of(&self, key: u64) -> Position {
        self.0.get(&key).copied().unwrap_or(Position::Bottom)
    }
}

impl TranscriptView {
    /// Draws `transcript` filling the available space. `key` identifies the transcript (a
    /// session id, or a hash of a file's path) so the layout cache follows it.
    ///
    /// `encoding` is the live conversation's (`None` for a past one): where a peer message
    /// looks like another encoding, a hint beside it offers to switch, and the encoding
    /// clicked is returned.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        key: u64,
        transcript: &Transcript,
        encoding: Option<WireEncoding>,
        lang: Lang,
    ) -> Option<WireEncoding> {
        self.ui_with_find(ui, key, transcript, encoding, lang, None)
    }

    /// [`TranscriptView::ui`], marking the hits of `find` (which must be in sync with
    /// `transcript`).
    pub fn ui_with_find(
        &mut self,
        ui: &mut egui::Ui,
        key: u64,
        transcript: &Transcript,
        encoding: Option<WireEncoding>,
        lang: Lang,
        find: Option<&Find>,
    ) -> Option<WireEncoding> {
        self.lang = lang;
        let width = ui.available_width();
        let body = ui.text_style_height(&egui::TextStyle::Body);
        if self.key != Some(key)
            || self.rewrites != transcript.rewrites()
            || (width - self.width).abs() > 0.5
            || self.lang != self.measured_lang
        {
            // A new width, language or decoding keeps what the user chose to see; another
            // transcript does not. Notices change height with the language: measure
            // everything again.
            let (hex_flipped, restore) = if self.key == Some(key) {
                (std::mem::take(&mut self.hex_flipped), self.restore.take())
            } else {
                (HashSet::new(), Some(self.positions.of(key)))
            };
            *self = TranscriptView {
                key: Some(key),
                rewrites: transcript.rewrites(),
                width,
                show_hex: self.show_hex,
                lang: self.lang,
                measured_lang: self.lang,
                hex_flipped,
                positions: std::mem::take(&mut self.positions),
                restore,
                scroll_target: self.scroll_target.take(),
                place: self.place.take(),
                ..TranscriptView::default()
            };
        }
        let lang = self.lang;
        let mut switch = None;
        self.sync(transcript.entries(), width, body);
        if self.offsets_dirty {
            self.rebuild_offsets();
        }
        let total = self.offsets.last().copied().unwrap_or(0.0);

        // A new row's height is estimated until it is drawn, so the offset set below can
        // land past a bottom that then turns out closer: it is clamped at the end of the
        // frame. egui's rubber band would instead spring back over about a second of
        // frames (and a bounce), for every such message.
        ui.spacing_mut().scroll.kinetic.rubber_band = false;
        let mut area = egui::ScrollArea::vertical()
            // One scroll area for every transcript; each one's position is kept here.
            .id_salt("transcript")
            .auto_shrink([false, false])
            // Always there: a bar that appears when the first long message comes would
            // fade in over a dozen unpaced frames, CPU a flood needs more.
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .stick_to_bottom(true);
        match self.restore.take() {
            // The area takes all the height there is.
            Some(Position::Bottom) => {
                area = area.vertical_scroll_offset((total - ui.available_height()).max(0.0));
            }
            // Not held at the end, where the transcript shown before may have been stuck.
            Some(Position::At(y)) => area = area.vertical_scroll_offset(y).stick_to_bottom(false),
            None => {
                if let Some(height) = self.stuck_height
                    && total > height
                {
                    area = area.vertical_scroll_offset(total - height);
                }
            }
        }
        // A find hit to show: its row a third of the way down the view.
        let target_row = self
            .scroll_target
            .and_then(|(entry, byte, _)| self.row_of(entry, byte));
        if let Some(r) = target_row {
            let y = (self.offsets[r] - ui.available_height() / 3.0).max(0.0);
            area = area.vertical_scroll_offset(y).stick_to_bottom(false);
        }
        let target_top = target_row.map(|r| self.offsets[r]);
        let hits = find.map_or(&[][..], Find::hits);
        let current = find.and_then(Find::current_index);
        let bytes_mode = find.is_some_and(Find::match_bytes);
        self.marks_drawn.clear();
        let mut drawn_at = 0.0;
        let mut changed = false;
        let mut flip = None;
        let output = area.show_viewport(ui, |ui, viewport| {
            drawn_at = viewport.min.y;
            if self.offsets_dirty {
                self.rebuild_offsets();
            }
            ui.set_height(self.offsets.last().copied().unwrap_or(0.0));
            let entries = transcript.entries();
            // First row whose bottom is below the viewport's top.
            let first = self
                .offsets
                .partition_point(|top| *top <= viewport.min.y)
                .saturating_sub(1);
            let origin = ui.max_rect().min;
            self.end_in_view = false;
            for i in first..self.rows.len() {
                let top = self.offsets[i];
                if top > viewport.max.y {
                    break;
                }
                let row_spec = &self.rows[i];
                let shown = self.shown[i].get_or_insert_with(|| {
                    let text = entries
                        .get(row_spec.entry)
                        .map_or("", |e| &e.text[row_spec.bytes.clone()]);
                    let font = egui::TextStyle::Body.resolve(ui.style());
                    let visible = visible_text(text);
                    ui.fonts_mut(|f| with_codes_for_missing(&visible, |c| f.has_glyph(&font, c)))
                });
                let shown = shown.as_deref();
                let Some(entry) = entries.get(row_spec.entry) else {
                    break;
                };
                let last = self
                    .rows
                    .get(i + 1)
                    .is_none_or(|next| next.entry != row_spec.entry);
                // Unbounded height: the row takes what it needs, and that is its height.
                let rect = egui::Rect::from_min_size(
                    origin + egui::vec2(0.0, top),
                    egui::vec2(width, f32::INFINITY),
                );
                let hex = self.show_hex != self.hex_flipped.contains(&row_spec.entry);
                let marks = row_marks(hits, current, row_spec, entry, bytes_mode);
                let mut marked_at = None;
                let drawn = ui
                    .scope_builder(UiBuilder::new().max_rect(rect).id_salt(("row", i)), |ui| {
                        let look = Look {
                            shown,
                            last,
                            width,
                            hex,
                            encoding,
                            lang,
                            marks: &marks,
                        };
                        let (flipped, picked, at) = row(ui, entry, row_spec, &look);
                        marked_at = at;
                        if flipped {
                            flip = Some(row_spec.entry);
                        }
                        if let Some(to) = picked {
                            switch = Some(to);
                        }
                    })
                    .response
                    .rect
                    .height();
                if let Some(rect) = marked_at {
                    self.marks_drawn.push(DrawnMark {
                        entry: row_spec.entry,
                        current: marks.iter().any(|(_, c)| *c),
                        rect,
                        viewport: viewport.translate(origin.to_vec2()),
                    });
                }
                if i + 1 == self.rows.len() {
                    self.end_in_view = top + drawn <= viewport.max.y + 1.0;
                }
                let used = drawn + if last { ROW_GAP } else { 0.0 };
                if !self.measured[i] || (used - self.heights[i]).abs() > 0.5 {
                    changed |= (used - self.heights[i]).abs() > 0.5;
                    self.heights[i] = used;
                    self.measured[i] = true;
                }
            }
            if changed {
                self.offsets_dirty = true;
            }
        });
        if let Some(entry) = flip
            && !self.hex_flipped.remove(&entry)
        {
            self.hex_flipped.insert(entry);
        }
        // The hit is placed again while measuring moved its row; then it is left alone.
        if let Some((entry, byte, tries)) = self.scroll_target {
            if self.offsets_dirty {
                self.rebuild_offsets();
            }
            let moved = target_top
                .zip(self.row_of(entry, byte).map(|r| self.offsets[r]))
                .is_some_and(|(a, b)| (a - b).abs() > 0.5);
            self.scroll_target = (moved && tries > 0).then_some((entry, byte, tries - 1));
            if self.scroll_target.is_some() {
                changed = true;
            }
        }
        let offset = output.state.clamped_offset().y;
        let bottom = output.content_size.y - output.inner_rect.height();
        self.stuck_height = (offset >= bottom - 1.0).then_some(output.inner_rect.height());
        self.positions.remember(
            key,
            match self.stuck_height {
                Some(_) => Position::Bottom,
                None => Position::At(offset),
            },
        );
        // One more frame places the rows at their measured heights, or shows the content
        // where the scroll area moved it at the end of this one. The app asks for it, at
        // the pace of the screen (see `crate::app::frames`).
        self.needs_frame = changed || (offset - drawn_at).abs() > 0.5;
        switch
    }

    /// Scrolls to a find hit in the next frame.
    pub fn scroll_to_hit(&mut self, hit: &Hit) {
        self.scroll_target = Some((hit.entry, hit.range.start, 4));
    }

    /// Remembers where the user is reading (the find bar opened).
    pub fn remember_place(&mut self) {
        if let Some(key) = self.key {
            self.place = Some((key, self.positions.of(key)));
        }
    }

    /// Goes back to where the user was reading when the find bar opened, if the same
    /// transcript is still shown.
    pub fn return_to_place(&mut self) {
        self.scroll_target = None;
        if let Some((key, at)) = self.place.take()
            && self.key == Some(key)
        {
            self.restore = Some(at);
        }
    }

    /// The messages and notices with find hits drawn in the last frame (for tests).
    pub fn marks_drawn(&self) -> &[DrawnMark] {
        &self.marks_drawn
    }

    /// The row of `entry` that holds byte `byte` of its text.
    fn row_of(&self, entry: usize, byte: usize) -> Option<usize> {
        let after = self
            .rows
            .partition_point(|r| r.entry < entry || (r.entry == entry && r.bytes.start <= byte));
        let r = after.checked_sub(1)?;
        (self.rows[r].entry == entry).then_some(r)
    }

    /// Whether one more frame is needed to show the transcript settled (cleared by the
    /// call, so a view no longer drawn asks for nothing).
    pub fn take_needs_frame(&mut self) -> bool {
        std::mem::take(&mut self.needs_frame)
    }

    /// Whether the last frame drew the end of the transcript wholly in view (for the
    /// frame statistics: a new message counts as shown once this is true).
    pub fn end_in_view(&self) -> bool {
        self.end_in_view
    }

    /// Adds rows for new entries, and re-cuts the last entry if it grew.
    fn sync(&mut self, entries: &[Entry], width: f32, body: f32) {
        if entries.len() < self.entries_seen {
            *self = TranscriptView {
                key: self.key,
                rewrites: self.rewrites,
                width,
                show_hex: self.show_hex,
                lang: self.lang,
                measured_lang: self.lang,
                positions: std::mem::take(&mut self.positions),
                restore: self.restore.take(),
                ..TranscriptView::default()
            };
        }
        let mut from_entry = self.entries_seen;
        if let Some(last) = self.entries_seen.checked_sub(1)
            && entries[last].text.len() != self.last_text_len
        {
            // Its earlier pieces are complete; only its last piece is cut again.
            let restart = self
                .rows
                .iter()
                .rposition(|r| r.entry == last)
                .unwrap_or(self.rows.len());
            let start_byte = self.rows.get(restart).map_or(0, |r| r.bytes.start);
            self.truncate(restart);
            self.push_rows(last, &entries[last], start_byte, width, body);
            from_entry = last + 1;
        }
        for (i, entry) in entries.iter().enumerate().skip(from_entry) {
            self.push_rows(i, entry, 0, width, body);
        }
        self.entries_seen = entries.len();
        self.last_text_len = entries.last().map_or(0, |e| e.text.len());
    }

    fn truncate(&mut self, rows: usize) {
        self.rows.truncate(rows);
        self.heights.truncate(rows);
        self.measured.truncate(rows);
        self.shown.truncate(rows);
        self.offsets_dirty = true;
    }

    /// Cuts `entry`'s text from byte `from` into rows.
    fn push_rows(&mut self, index: usize, entry: &Entry, from: usize, width: f32, body: f32) {
        for bytes in segments(&entry.text, from) {
            let first = bytes.start == 0;
            let height = estimate(&entry.text[bytes.clone()], entry.from, width, body);
            self.rows.push(Row {
                entry: index,
                bytes,
                first,
            });
            self.heights.push(height);
            self.measured.push(false);
            self.shown.push(None);
        }
        self.offsets_dirty = true;
    }

    fn rebuild_offsets(&mut self) {
        self.offsets.clear();
        self.offsets.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        self.offsets.push(y);
        for h in &self.heights {
            y += h;
            self.offsets.push(y);
        }
        self.offsets_dirty = false;
    }
}

/// Byte ranges of about [`SEGMENT_BYTES`] from `from` to the end of `text`, cut after a
/// newline where there is one near the limit, and always on a character boundary. An
/// empty text is one empty range.
fn segments(text: &str, from: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = from.min(text.len());
    loop {
        if text.len() - start <= SEGMENT_BYTES {
            out.push(start..text.len());
            return out;
        }
        let mut end = start + SEGMENT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // A newline byte is never inside a multi-byte character.
        let half = start + SEGMENT_BYTES / 2;
        if let Some(nl) = text.as_bytes()[half..end].iter().rposition(|b| *b == b'\n') {
            end = half + nl + 1;
        }
        out.push(start..end);
        start = end;
    }
}

/// A cheap guess at a row's height from its text: wide (CJK) characters count as one
/// em, others as about half.
fn estimate(text: &str, from: Speaker, width: f32, body: f32) -> f32 {
    let line_width = (width * BUBBLE_SHARE - 24.0).max(body * 4.0);
    let mut lines = 0.0f32;
    for line in text.split('\n') {
        let ems: f32 = line
            .chars()
            .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
            .sum();
        lines += (ems * body / line_width).ceil().max(1.0);
    }
    let extra = if from == Speaker::System { 4.0 } else { 16.0 };
    lines * body * 1.25 + extra + ROW_GAP
}

/// The find hits in one row, as ranges of the row's text. A notice, or a message whose
/// wire bytes matched, is marked whole.
fn row_marks(
    hits: &[Hit],
    current: Option<usize>,
    spec: &Row,
    entry: &Entry,
    bytes_mode: bool,
) -> RowMarks {
    let first = hits.partition_point(|h| h.entry < spec.entry);
    let mut out: RowMarks = Vec::new();
    let whole = bytes_mode || entry.from == Speaker::System;
    for (i, hit) in hits[first..].iter().enumerate() {
        if hit.entry != spec.entry {
            break;
        }
        let is_current = current == Some(first + i);
        if whole {
            match out.first_mut() {
                Some((_, c)) => *c |= is_current,
                None => out.push((0..usize::MAX, is_current)),
            }
            continue;
        }
        let start = hit.range.start.max(spec.bytes.start);
        let end = hit.range.end.min(spec.bytes.end);
        if start < end {
            out.push((start - spec.bytes.start..end - spec.bytes.start, is_current));
        }
    }
    out
}

/// How one row is drawn: its text as shown, where it sits in its message, and its marks.
struct Look<'a> {
    /// The row's text with codes for missing glyphs, if it needs them.
    shown: Option<&'a str>,
    /// Whether it is its message's last row.
    last: bool,
    width: f32,
    /// Whether its message's bytes show.
    hex: bool,
    encoding: Option<WireEncoding>,
    lang: Lang,
    /// Its find hits.
    marks: &'a RowMarks,
}

/// `text` with its find hits on coloured backgrounds (each piece made visible alone:
/// [`visible_text`] replaces characters one by one, so the pieces join to the same text).
fn marked_text(
    ui: &egui::Ui,
    text: &str,
    marks: &RowMarks,
    color: egui::Color32,
) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut job = egui::text::LayoutJob::default();
    let mut append = |piece: &str, background: egui::Color32| {
        if !piece.is_empty() {
            // Hits are on light backgrounds in both themes: dark text reads on them.
            let color = if background == egui::Color32::TRANSPARENT {
                color
            } else {
                egui::Color32::BLACK
            };
            job.append(
                &visible_text(piece),
                0.0,
                egui::TextFormat {
                    font_id: font.clone(),
                    color,
                    background,
                    ..Default::default()
                },
            );
        }
    };
    let mut at = 0;
    for (range, current) in marks {
        let start = range.start.clamp(at, text.len());
        let end = range.end.clamp(start, text.len());
        if !(text.is_char_boundary(start) && text.is_char_boundary(end)) {
            continue;
        }
        append(&text[at..start], egui::Color32::TRANSPARENT);
        let background = if *current {
            style::find_current(ui)
        } else {
            style::find_hit(ui)
        };
        append(&text[start..end], background);
        at = end;
    }
    append(&text[at..], egui::Color32::TRANSPARENT);
    job
}

/// Draws one row; returns whether the message's own hex toggle was clicked, the
/// encoding the user chose from a hint beside it, if any, and where its text was drawn
/// when it has find hits.
fn row(
    ui: &mut egui::Ui,
    entry: &Entry,
    spec: &Row,
    look: &Look<'_>,
) -> (bool, Option<WireEncoding>, Option<egui::Rect>) {
    let Look {
        shown,
        last,
        width,
        hex,
        encoding,
        lang,
        marks,
    } = *look;
    let mut flip = false;
    let mut switch = None;
    let mut marked_at = None;
    let raw = &entry.text[spec.bytes.clone()];
    let text = raw;
    // A row with characters no font has comes already made visible, with codes.
    let text: std::borrow::Cow<'_, str> = match shown {
        Some(shown) => shown.into(),
        None => visible_text(text),
    };
    let text = text.as_ref();
    let time = entry.at.format("%H:%M:%S").to_string();
    match entry.from {
        Speaker::System => {
            // A notice of this run is worded now, whole (it is one short row); one read
            // from a file shows its words as written.
            let words = match &entry.notice {
                Some(notice) => notice.say(lang),
                None => text.to_owned(),
            };
            // A Chinese full stop before " · time" reads as a stray mark: the line ends
            // with the time instead.
            let words = words.strip_suffix('。').unwrap_or(&words);
            ui.vertical_centered(|ui| {
                let mut line = RichText::new(format!("— {} · {time} —", visible_text(words)))
                    .small()
                    .weak();
                if let Some((_, current)) = marks.first() {
                    line = line.background_color(if *current {
                        style::find_current(ui)
                    } else {
                        style::find_hit(ui)
                    });
                }
                let drawn = ui.add(egui::Label::new(line).wrap());
                if !marks.is_empty() {
                    marked_at = Some(drawn.rect);
                }
            });
        }
        Speaker::Peer | Speaker::Me => {
            let mine = entry.from == Speaker::Me;
            let layout = if mine {
                Layout::right_to_left(Align::Min)
            } else {
                Layout::left_to_right(Align::Min)
            };
            ui.with_layout(layout, |ui| {
                let max = width * BUBBLE_SHARE;
                let visuals = ui.visuals().clone();
                let (fill, text_color) = if mine {
                    (visuals.selection.bg_fill, visuals.strong_text_color())
                } else {
                    (visuals.faint_bg_color, visuals.text_color())
                };
                let bubble = egui::Frame::new()
                    .fill(fill)
                    .stroke(visuals.widgets.noninteractive.bg_stroke)
                    .corner_radius(8.0)
                    .inner_margin(egui::Margin::symmetric(10, 6))
                    .show(ui, |ui| {
                        ui.set_max_width(max);
                        let label = if entry.text.is_empty() {
                            egui::Label::new(RichText::new("…").weak())
                        } else if marks.is_empty() {
                            egui::Label::new(RichText::new(text).color(text_color))
                        } else {
                            egui::Label::new(marked_text(ui, raw, marks, text_color))
                        };
                        let drawn = ui.add(label.selectable(true).wrap());
                        if !marks.is_empty() {
                            marked_at = Some(drawn.rect);
                        }
                        if last && hex {
                            hex_lines(ui, &entry.bytes);
                        }
                        if last && entry.cut > 0 {
                            ui.label(
                                RichText::new(Phrase::NotKept { bytes: entry.cut }.say(lang))
                                    .small()
                                    .color(style::wait(ui)),
                            );
                        }
                    });
                if spec.first {
                    // Beside the bubble, on one line (a one-line message stays one line
                    // high): the time and the message's hex toggle.
                    // The time next to the bubble, on whichever side it is.
                    let side = if mine {
                        Layout::right_to_left(Align::Min)
                    } else {
                        Layout::left_to_right(Align::Min)
                    };
                    ui.with_layout(side, |ui| {
                        ui.label(RichText::new(time).small().weak());
                        // The toggle is always there (for the keyboard and screen
                        // readers) but drawn only over its message or when bytes show.
                        let seen = hex || bubble.response.contains_pointer();
                        flip = hex_toggle(ui, hex, seen, lang)
                            .on_hover_text(TalkLabel::MessageHexHint.say(lang))
                            .clicked();
                    });
                }
            });
            if last
                && let (Some(current), Some(likely)) = (encoding, entry.looks_like)
                && current != likely
            {
                switch = encoding_hint(ui, current, likely, lang);
            }
        }
    }
    (flip, switch, marked_at)
}

/// A message's own hex toggle (drawn only when `seen`, hovered or focused): its word, weak, as a frameless `egui::Button` drew it (no
/// frame, no margin, at least a widget's height, the word at its top), with the same role
/// and state for AccessKit. Drawn here, not as an `egui::Button`: egui styles a button it
/// did not see in the frame before with a guess, and asks for two more frames at once to
/// correct it, unpaced. Every new message has a toggle, so each would have cost two
/// frames; a flood's first, two frames of CPU the flood needs (issue 14).
fn hex_toggle(ui: &mut egui::Ui, on: bool, seen: bool, lang: Lang) -> egui::Response {
    let galley = egui::WidgetText::from(RichText::new(TalkLabel::MessageHex.say(lang)).small())
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Button,
        );
    let size = galley
        .size()
        .max(egui::vec2(0.0, ui.spacing().interact_size.y));
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, ui.is_enabled(), on, galley.text())
    });
    if ui.is_rect_visible(rect) && (seen || response.hovered() || response.has_focus()) {
        ui.painter()
            .galley(rect.min, galley, ui.visuals().weak_text_color());
        if response.hovered()
            && let Some(cursor) = ui.visuals().interact_cursor
        {
            ui.ctx().set_cursor_icon(cursor);
        }
    }
    response
}

/// A message's bytes as spaced hex, monospace and selectable, at most
/// [`HEX_SHOWN_BYTES`] of them.
fn hex_lines(ui: &mut egui::Ui, bytes: &[u8]) {
    let shown = &bytes[..bytes.len().min(HEX_SHOWN_BYTES)];
    let mut text = if shown.is_empty() {
        "—".to_owned()
    } else {
        spaced_hex(shown)
    };
    if bytes.len() > shown.len() {
        text.push_str(&format!(" … (+{} B)", bytes.len() - shown.len()));
    }
    ui.add(
        egui::Label::new(RichText::new(text).monospace().small().weak())
            .selectable(true)
            .wrap(),
    );
}

/// "This looks like UTF-8, not GBK. [Switch to UTF-8]" under a peer message.
fn encoding_hint(
    ui: &mut egui::Ui,
    current: WireEncoding,
    likely: WireEncoding,
    lang: Lang,
) -> Option<WireEncoding> {
    let mut switch = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(EncodingHint::LooksLike { current, likely }.say(lang))
                .small()
                .color(style::wait(ui)),
        );
        if ui
            .small_button(EncodingHint::Switch { to: likely }.say(lang))
            .on_hover_text(EncodingHint::SwitchTooltip { to: likely }.say(lang))
            .clicked()
        {
            switch = Some(likely);
        }
    });
    switch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_kept_per_transcript_and_bounded() {
        let mut p = Positions::default();
        assert_eq!(
            p.of(7),
            Position::Bottom,
            "a new transcript starts at its end"
        );
        p.remember(7, Position::At(120.0));
        p.remember(8, Position::Bottom);
        assert_eq!((p.of(7), p.of(8)), (Position::At(120.0), Position::Bottom));
        for key in 100..100 + Positions::MOST as u64 {
            p.remember(key, Position::At(1.0));
        }
        assert!(p.0.len() <= Positions::MOST);
        assert_eq!(p.of(7), Position::Bottom, "forgotten, back at its end");
    }

    #[test]
    fn segments_cover_the_text_on_char_boundaries() {
        let text = "中文".repeat(5000) + "\n" + &"x".repeat(9000);
        let segs = segments(&text, 0);
        assert_eq!(segs.first().map(|r| r.start), Some(0));
        assert_eq!(segs.last().map(|r| r.end), Some(text.len()));
        for w in segs.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        for r in &segs {
            assert!(
                r.len() <= SEGMENT_BYTES
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end)
            );
        }
        assert_eq!(segments("", 0), vec![0..0]);
        assert_eq!(segments("abc", 3), vec![3..3]);
    }

    #[test]
    fn a_growing_message_keeps_its_full_pieces() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time");
        let mut t = Transcript::default();
        let mut view = TranscriptView {
            key: Some(1),
            width: 800.0,
            ..TranscriptView::default()
        };
        let chunk = "好".repeat(3000); // 9,000 bytes
        for _ in 0..10 {
            t.peer_chunk(at, false, &chunk, &[], 0);
            view.sync(t.entries(), 800.0, 15.0);
        }
        let text = &t.entries()[0].text;
        let rebuilt: String = view.rows.iter().map(|r| &text[r.bytes.clone()]).collect();
        assert_eq!(&rebuilt, text, "rows cover the message exactly once");
        assert!(view.rows.iter().all(|r| r.bytes.len() <= SEGMENT_BYTES));
        assert_eq!(view.rows.iter().filter(|r| r.first).count(), 1);
        assert_eq!(view.heights.len(), view.rows.len());
    }
}
