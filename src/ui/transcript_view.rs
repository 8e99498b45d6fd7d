//! The conversation as a chat: the peer on the left, us on the right, notices centred.
//!
//! Only the rows in view are laid out and drawn, so a conversation of 100,000 messages
//! costs the same per frame as one of ten. Row heights start as an estimate from the
//! text's length and become exact once a row has been drawn; a prefix sum of heights
//! finds the first visible row by binary search.

use eframe::egui::{self, Align, Layout, RichText, UiBuilder};

use super::style;
use crate::core::display::visible_text;
use crate::core::transcript::{Entry, Speaker, Transcript};

/// Bubbles take at most this share of the width.
const BUBBLE_SHARE: f32 = 0.72;
/// Space between rows.
const ROW_GAP: f32 = 6.0;

/// Layout cache for one session's transcript.
#[derive(Default)]
pub struct TranscriptView {
    /// Which transcript the cache is for.
    key: Option<u64>,
    width: f32,
    /// Row heights (estimated until drawn).
    heights: Vec<f32>,
    /// Whether `heights[i]` was measured at the current width.
    measured: Vec<bool>,
    /// `offsets[i]` is the top of row `i`; `offsets[len]` the total height.
    offsets: Vec<f32>,
    offsets_dirty: bool,
    /// The text length of the last row when last seen (an open peer message grows).
    seen_last_text: usize,
}

impl TranscriptView {
    /// Draws `transcript` filling the available space. `key` identifies the transcript (a
    /// session id, or a hash of a file's path) so the layout cache follows it.
    pub fn ui(&mut self, ui: &mut egui::Ui, key: u64, transcript: &Transcript) {
        let width = ui.available_width();
        let body = ui.text_style_height(&egui::TextStyle::Body);
        if self.key != Some(key) || (width - self.width).abs() > 0.5 {
            self.reset(key, width);
        }
        self.sync(transcript, width, body);

        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .stick_to_bottom(true)
            .show_viewport(ui, |ui, viewport| {
                if self.offsets_dirty {
                    self.rebuild_offsets();
                }
                let total = self.offsets.last().copied().unwrap_or(0.0);
                ui.set_height(total);
                let entries = transcript.entries();
                // First row whose bottom is below the viewport's top.
                let first = self
                    .offsets
                    .partition_point(|top| *top <= viewport.min.y)
                    .saturating_sub(1);
                let origin = ui.max_rect().min;
                let mut changed = false;
                for (i, entry) in entries.iter().enumerate().skip(first) {
                    let top = self.offsets[i];
                    if top > viewport.max.y {
                        break;
                    }
                    // Unbounded height: the row takes what it needs, and that is its height.
                    let rect = egui::Rect::from_min_size(
                        origin + egui::vec2(0.0, top),
                        egui::vec2(width, f32::INFINITY),
                    );
                    let used = ui
                        .scope_builder(UiBuilder::new().max_rect(rect).id_salt(("row", i)), |ui| {
                            row(ui, entry, width)
                        })
                        .response
                        .rect
                        .height()
                        + ROW_GAP;
                    if !self.measured[i] || (used - self.heights[i]).abs() > 0.5 {
                        changed |= (used - self.heights[i]).abs() > 0.5;
                        self.heights[i] = used;
                        self.measured[i] = true;
                    }
                }
                if changed {
                    self.offsets_dirty = true;
                    // One more frame places the rows below at their measured heights.
                    ui.ctx().request_repaint();
                }
            });
    }

    fn reset(&mut self, key: u64, width: f32) {
        *self = TranscriptView {
            key: Some(key),
            width,
            ..TranscriptView::default()
        };
    }

    /// Adds estimates for new rows, and re-measures a row that grew.
    fn sync(&mut self, transcript: &Transcript, width: f32, body: f32) {
        let entries = transcript.entries();
        if entries.len() < self.heights.len() {
            let key = self.key.unwrap_or_default();
            self.reset(key, width);
        }
        if let Some(last) = self.heights.len().checked_sub(1)
            && entries.len() == self.heights.len()
            && entries[last].text.len() != self.seen_last_text
        {
            self.heights[last] = estimate(&entries[last], width, body);
            self.measured[last] = false;
            self.offsets_dirty = true;
        }
        for entry in &entries[self.heights.len()..] {
            self.heights.push(estimate(entry, width, body));
            self.measured.push(false);
            self.offsets_dirty = true;
        }
        self.seen_last_text = entries.last().map_or(0, |e| e.text.len());
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

/// A cheap guess at a row's height from its text: wide (CJK) characters count as one
/// em, others as about half.
fn estimate(entry: &Entry, width: f32, body: f32) -> f32 {
    let line_width = (width * BUBBLE_SHARE - 24.0).max(body * 4.0);
    let mut lines = 0.0f32;
    for line in entry.text.split('\n') {
        let ems: f32 = line
            .chars()
            .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
            .sum();
        lines += (ems * body / line_width).ceil().max(1.0);
    }
    let extra = if entry.from == Speaker::System {
        4.0
    } else {
        16.0
    };
    lines * body * 1.25 + extra + ROW_GAP
}

fn row(ui: &mut egui::Ui, entry: &Entry, width: f32) {
    let time = entry.at.format("%H:%M:%S").to_string();
    match entry.from {
        Speaker::System => {
            ui.vertical_centered(|ui| {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("— {} · {time} —", visible_text(&entry.text)))
                            .small()
                            .weak(),
                    )
                    .wrap(),
                );
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
                egui::Frame::new()
                    .fill(fill)
                    .stroke(visuals.widgets.noninteractive.bg_stroke)
                    .corner_radius(8.0)
                    .inner_margin(egui::Margin::symmetric(10, 6))
                    .show(ui, |ui| {
                        ui.set_max_width(max);
                        let mut text = RichText::new(visible_text(&entry.text)).color(text_color);
                        if entry.text.is_empty() {
                            text = RichText::new("…").weak();
                        }
                        ui.add(egui::Label::new(text).selectable(true).wrap());
                        if entry.cut > 0 {
                            ui.label(
                                RichText::new(format!("{} more bytes were not kept", entry.cut))
                                    .small()
                                    .color(style::wait(ui)),
                            );
                        }
                    });
                ui.label(RichText::new(time).small().weak());
            });
        }
    }
}
