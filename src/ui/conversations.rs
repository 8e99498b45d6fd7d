//! The conversation list beside the transcript: one row per conversation, in the order the
//! clients connected, with whose turn it is in words and colour, unread messages and the
//! time of the last message. Rows where it is the user's turn stand out; ended ones are
//! greyed until closed. Below: how many clients wait for a free place, and one button to
//! answer everyone who is waiting for the user.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use eframe::egui::{
    self, Align2, Galley, Pos2, RichText, Role, Sense, StrokeKind, TextStyle, TextWrapMode,
    WidgetInfo, WidgetText, emath::GuiRounding as _, pos2, vec2,
};

use super::{Intent, style};
use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::state::{Phase, SessionState, State};
use crate::words::{Label, Phrase};

/// Beyond this many rows a filter box appears (and it stays while it holds a filter).
pub const FILTER_FROM: usize = 8;

/// The accessible name (and hint) of the filter box.
pub const FILTER_LABEL: &str = "Filter conversations";

/// The list's own state.
#[derive(Default)]
pub struct ConversationList {
    /// The language it is drawn in (set by the app each frame).
    pub lang: Lang,
    /// Rows whose address contains this are shown (when there are many).
    pub filter: String,
    /// The texts of the rows drawn so far, by conversation.
    rows: BTreeMap<SessionId, RowTexts>,
    /// The students' names (and seats) for named rows, set by the app (issue 23); a row
    /// shows its name before its address, and the filter matches it.
    pub names: BTreeMap<SessionId, String>,
    /// Changes whenever `names` does, so rows are made again.
    pub names_generation: u64,
    /// When the rows' laid-out text must be made again.
    fonts: FontsProbe,
    /// The text of the rows in view, as one.
    together: Together,
    /// The words above and below the rows, once laid out.
    words: Option<Words>,
}

impl ConversationList {
    /// Draws the list. `draft_ready` says whether the shown draft could go to everyone.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &State, draft_ready: bool) -> Vec<Intent> {
        let mut intents = Vec::new();
        let lang = self.lang;
        let t = |label: Label| label.get(lang);
        let hide = ui
            .horizontal(|ui| {
                ui.strong(t(Label::Conversations));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.small_button("←").on_hover_text(t(Label::HideListTip))
                })
                .inner
            })
            .inner;
        if hide.clicked() {
            intents.push(Intent::ToggleList);
        }
        // Whether a screen reader (or a test) reads this frame: only then do rows describe
        // their pieces beyond what a sighted user needs to act on them.
        let accessible = ui.ctx().has_accesskit_node(hide.id);
        if self.fonts.started_afresh(ui) {
            self.rows.clear();
            self.words = None;
        }
        // Counted, not listed: `State::waiting_for_me` makes a list, and this is every frame.
        let ready = (state.sessions.values())
            .filter(|s| s.phase() == Phase::YourTurn)
            .count();
        let words = Words::of(&mut self.words, ui, state.waiting, ready, lang);
        // The box stays while it holds a filter, even when closing rows has brought the
        // list to FILTER_FROM or fewer: what hides rows can always be cleared.
        if state.sessions.len() > FILTER_FROM || !self.filter.is_empty() {
            let label = words_ui(ui, &words.filter, accessible, None);
            let filter = ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(t(Label::FilterHint))
                    .desired_width(f32::INFINITY),
            );
            // Named by its label for a screen reader; without one the label has no id.
            if let Some(label) = label {
                filter.labelled_by(label);
            }
        }
        // Texts of conversations that are gone; at most as many as there are conversations.
        if self.rows.len() > state.sessions.len() {
            self.rows.retain(|id, _| state.sessions.contains_key(id));
        }
        let footer = 64.0;
        let filter = self.filter.trim();
        // Only a filter makes a list of the rows shown; without one they are all of them,
        // and nothing goes over every conversation on every frame.
        let matching: Option<Vec<(usize, &SessionState)>> = (!filter.is_empty()).then(|| {
            state
                .sessions
                .values()
                .enumerate()
                .filter(|(_, s)| {
                    s.peer.to_string().contains(filter)
                        || self.names.get(&s.id).is_some_and(|n| n.contains(filter))
                })
                .collect()
        });
        let shown = matching.as_ref().map_or(state.sessions.len(), Vec::len);
        // Every row has the same height, so only the rows in view are laid out: a class
        // of 200 costs a frame no more than a handful.
        // The height is what `row_ui` draws: two lines, each at least as high as
        // `ui.horizontal` makes one (the rows were drawn that high before, when this sum
        // left the second line's minimum out and the rows overran their places).
        let spacing = ui.spacing().item_spacing.y;
        let line = ui.spacing().interact_size.y;
        let row_height = (ui.text_style_height(&TextStyle::Button)
            + 2.0 * ui.spacing().button_padding.y)
            .max(line)
            + spacing
            + ui.text_style_height(&TextStyle::Small).max(line);
        egui::ScrollArea::vertical()
            .id_salt("conversation-list")
            .auto_shrink([false, false])
            .max_height((ui.available_height() - footer).max(60.0))
            .show_rows(ui, row_height, shown, |ui, range| {
                if state.sessions.is_empty() {
                    ui.label(RichText::new(t(Label::NoOneYet)).weak());
                }
                // The rows' texts are painted as one after the rows (see [`Together`]). Only
                // an address takes its colour from the painting (the button's, which hover,
                // focus and selection change); the other texts carry their own. So the one
                // text is painted in an address's usual colour, and an address in another
                // colour is painted apart.
                let corner = ui.cursor().min;
                let colour = ui.visuals().widgets.inactive.text_color();
                let mut placed = Vec::with_capacity(range.len());
                for (row, s) in in_view(state, matching.as_deref(), range) {
                    // Room without an interaction: the row makes its own where it needs one.
                    let (_, rect) = ui.allocate_space(vec2(ui.available_width(), row_height));
                    let row = Row {
                        s,
                        texts: RowTexts::of(
                            &mut self.rows,
                            ui,
                            s,
                            lang,
                            (self.names.get(&s.id), self.names_generation),
                        ),
                        row,
                        selected: state.current == Some(s.id),
                    };
                    let (intent, at) = row_ui(ui, rect, row, lang, accessible, colour);
                    intents.extend(intent);
                    placed.push((s.id, at));
                }
                let mut pieces = Vec::with_capacity(5 * placed.len());
                for (id, at) in &placed {
                    let Some(texts) = self.rows.get(id) else {
                        continue;
                    };
                    let row = texts.pieces().into_iter().zip(at);
                    pieces.extend(row.filter_map(|(galley, at)| Some((galley?, (*at)?))));
                }
                let pixels_per_point = ui.ctx().pixels_per_point();
                if let Some(text) = self.together.of(corner, &pieces, pixels_per_point) {
                    ui.painter().galley(corner, text, colour);
                }
            });
        ui.separator();
        if let Some(waiting) = &words.clients_waiting {
            words_ui(ui, waiting, accessible, Some(t(Label::AtLimitTip)));
        }
        if let Some(ready) = &words.waiting_for_you {
            words_ui(ui, ready, accessible, None);
        }
        if let Some(send) = &words.send_to_all {
            let button = ui.add_enabled(
                draft_ready,
                egui::Button::new(WidgetText::Galley(Arc::clone(&send.galley))),
            );
            let tip = if draft_ready {
                Label::SendToAllTip
            } else {
                Label::SendToAllDisabledTip
            };
            let button = hover_words(button, accessible, || t(tip).to_owned());
            if button.clicked() {
                intents.push(Intent::SendToAll);
            }
        }
        intents
    }
}

/// A text laid out once, with the words it shows.
struct Piece {
    text: String,
    galley: Arc<Galley>,
}

impl Piece {
    /// `text` in `style`, wrapped at `width` (as a label in the list wraps).
    fn new(ui: &egui::Ui, text: RichText, style: TextStyle, width: f32) -> Self {
        Self {
            text: text.text().to_owned(),
            galley: WidgetText::from(text).into_galley(ui, Some(TextWrapMode::Wrap), width, style),
        }
    }
}

/// The words above and below the rows, which change only with a count, the language, the
/// theme or the list's width: the filter's label, how many clients wait for a place, how
/// many conversations wait for the user, and the "Send to all" button's words. Laid out
/// when one of those changes, not on every frame (issue 9).
struct Words {
    /// What they were made from.
    source: WordsSource,
    /// "Filter conversations".
    filter: Piece,
    /// How many clients wait for a free place, when any do.
    clients_waiting: Option<Piece>,
    /// How many conversations wait for the user, when any do.
    waiting_for_you: Option<Piece>,
    /// The words of the button that answers them all, when more than one does.
    send_to_all: Option<Piece>,
}

/// What [`Words`] are made from: clients waiting, conversations waiting for the user, the
/// language, the theme (dark or not) and the list's width in whole points.
type WordsSource = (usize, usize, Lang, bool, i32);

impl Words {
    /// The words for `waiting` clients and `ready` conversations: those in `kept` while
    /// they hold.
    fn of<'a>(
        kept: &'a mut Option<Self>,
        ui: &egui::Ui,
        waiting: usize,
        ready: usize,
        lang: Lang,
    ) -> &'a Self {
        let width = ui.available_width();
        let source = (waiting, ready, lang, ui.visuals().dark_mode, width as i32);
        if kept.as_ref().is_some_and(|words| words.source != source) {
            *kept = None;
        }
        kept.get_or_insert_with(|| Self::new(ui, source))
    }

    fn new(ui: &egui::Ui, source: WordsSource) -> Self {
        let (waiting, ready, lang, _, _) = source;
        let width = ui.available_width();
        let body = |text: RichText| Piece::new(ui, text, TextStyle::Body, width);
        let filter = RichText::new(Label::FilterConversations.get(lang)).small();
        Self {
            source,
            filter: body(filter),
            clients_waiting: (waiting > 0).then(|| {
                let text = Phrase::ClientsWaiting { n: waiting }.say(lang);
                body(RichText::new(text).color(style::wait(ui)))
            }),
            waiting_for_you: (ready > 0).then(|| {
                let text = Phrase::WaitingForYou { n: ready }.say(lang);
                body(RichText::new(text).color(style::go(ui)).strong())
            }),
            send_to_all: (ready > 1).then(|| {
                let text = Phrase::SendToAll { n: ready }.say(lang);
                Piece::new(ui, RichText::new(text), TextStyle::Button, f32::INFINITY)
            }),
        }
    }
}

/// Paints `piece` where `ui.label` would put it (next in a top-down layout), without a
/// label's interaction: one is made only for a screen reader, which is told what a label
/// would tell it, or for the tooltip `tip` while the pointer is on the words. Returns the
/// interaction's id when there is one.
fn words_ui(
    ui: &mut egui::Ui,
    piece: &Piece,
    accessible: bool,
    tip: Option<&str>,
) -> Option<egui::Id> {
    let (id, rect) = ui.allocate_space(piece.galley.size());
    ui.painter().galley(
        rect.min,
        Arc::clone(&piece.galley),
        ui.visuals().text_color(),
    );
    if !accessible && (tip.is_none() || !ui.rect_contains_pointer(rect)) {
        return None;
    }
    let response = ui.interact(rect, id, Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Label, ui.is_enabled(), &piece.text));
    let response = match tip {
        Some(tip) => hover_words(response, accessible, || tip.to_owned()),
        None => response,
    };
    Some(response.id)
}

/// The shown rows in `range`, with their places in the whole list: all conversations in
/// order, or those `matching` the filter.
fn in_view<'a>(
    state: &'a State,
    matching: Option<&[(usize, &'a SessionState)]>,
    range: Range<usize>,
) -> Vec<(usize, &'a SessionState)> {
    match matching {
        Some(rows) => rows.get(range).unwrap_or_default().to_vec(),
        None => {
            let rows = state.sessions.values().enumerate();
            rows.skip(range.start).take(range.len()).collect()
        }
    }
}

/// One row's texts and their laid-out text, kept between frames: formatting the address,
/// the unread count and the time, and looking five texts up in egui's galley cache, for
/// every row on every frame was most of what a long list cost (issue 9). Made again when
/// anything they show changes, and all of them when egui's fonts start afresh (see
/// [`FontsProbe`]).
struct RowTexts {
    /// What they were made from: when any of it changes, they are made again.
    source: RowSource,
    /// The peer's address, the row's name.
    address: String,
    /// The unread count as its badge shows it (" 3 "); empty when nothing is unread.
    badge: String,
    /// When something was last said, `%H:%M:%S`.
    time: String,
    /// The mark (●, ○, ◇) in the phase's colour.
    mark_galley: Arc<Galley>,
    /// The address, strong on the user's turn, weak when ended.
    name_galley: Arc<Galley>,
    /// The badge, when something is unread.
    badge_galley: Option<Arc<Galley>>,
    /// The state in words, in the phase's colour.
    words_galley: Arc<Galley>,
    /// The time.
    time_galley: Arc<Galley>,
}

/// What a row's texts depend on: the conversation's address, unread count, last activity
/// and phase, the language, and the theme (the colours are in the laid-out text).
type RowSource = (
    SocketAddr,
    usize,
    DateTime<FixedOffset>,
    Phase,
    Lang,
    bool,
    u64,
);

impl RowTexts {
    /// What the texts of `s` are made from.
    fn source(ui: &egui::Ui, s: &SessionState, lang: Lang, names: u64) -> RowSource {
        (
            s.peer,
            s.unread,
            s.last_activity,
            s.phase(),
            lang,
            ui.visuals().dark_mode,
            names,
        )
    }

    fn new(ui: &egui::Ui, s: &SessionState, source: RowSource, name: Option<&String>) -> Self {
        let (_, _, _, phase, lang, _, _) = source;
        let galley = |text: RichText, style: TextStyle| {
            WidgetText::from(text).into_galley(ui, Some(TextWrapMode::Extend), f32::INFINITY, style)
        };
        let (mark, words, colour) = look(ui, phase);
        let address = match name {
            Some(name) => format!("{name} · {}", s.peer),
            None => s.peer.to_string(),
        };
        let badge = if s.unread > 0 {
            format!(" {} ", s.unread)
        } else {
            String::new()
        };
        let time = s.last_activity.format("%H:%M:%S").to_string();
        let mut name = RichText::new(address.as_str());
        if phase == Phase::YourTurn {
            name = name.strong();
        }
        if phase == Phase::Ended {
            name = name.weak();
        }
        Self {
            source,
            mark_galley: galley(RichText::new(mark).color(colour), TextStyle::Body),
            name_galley: galley(name, TextStyle::Button),
            badge_galley: (s.unread > 0).then(|| {
                galley(
                    RichText::new(badge.as_str())
                        .strong()
                        .color(ui.visuals().strong_text_color())
                        .background_color(style::unread_badge(ui)),
                    TextStyle::Body,
                )
            }),
            words_galley: galley(
                RichText::new(words.get(lang)).small().color(colour),
                TextStyle::Body,
            ),
            time_galley: galley(RichText::new(time.as_str()).small().weak(), TextStyle::Body),
            address,
            badge,
            time,
        }
    }

    /// The texts of `s`, from `cache` while they still hold.
    fn of<'a>(
        cache: &'a mut BTreeMap<SessionId, RowTexts>,
        ui: &egui::Ui,
        s: &SessionState,
        lang: Lang,
        (name, generation): (Option<&String>, u64),
    ) -> &'a RowTexts {
        let source = Self::source(ui, s, lang, generation);
        let texts = cache
            .entry(s.id)
            .or_insert_with(|| Self::new(ui, s, source, name));
        if texts.source != source {
            *texts = Self::new(ui, s, source, name);
        }
        texts
    }

    /// Its laid-out texts in the order [`row_ui`] places them: mark, address, badge (when
    /// something is unread), state in words, time.
    fn pieces(&self) -> [Option<&Arc<Galley>>; 5] {
        [
            Some(&self.mark_galley),
            Some(&self.name_galley),
            self.badge_galley.as_ref(),
            Some(&self.words_galley),
            Some(&self.time_galley),
        ]
    }
}

/// The texts of the rows in view laid together as one text and painted as one shape:
/// egui's painter and tessellator spend on each text shape about what a dozen of its
/// letters cost, and each row has five (issue 9).
#[derive(Default)]
struct Together {
    /// The pieces it holds, each a text and where it goes. Holding them also keeps a new
    /// text from being made where one of them was and passing for it.
    pieces: Vec<(Arc<Galley>, Pos2)>,
    /// Where it is painted.
    corner: Pos2,
    /// The scale it was made at.
    pixels_per_point: f32,
    /// The pieces' rows, each where its piece goes; none without pieces.
    galley: Option<Arc<Galley>>,
}

impl Together {
    /// `pieces` (each a text and where it goes) as one text to paint at `corner`: the one
    /// made last time while nothing has moved.
    fn of(
        &mut self,
        corner: Pos2,
        pieces: &[(&Arc<Galley>, Pos2)],
        pixels_per_point: f32,
    ) -> Option<Arc<Galley>> {
        let same = self.corner == corner
            && self.pixels_per_point == pixels_per_point
            && self.pieces.len() == pieces.len()
            && (self.pieces.iter().zip(pieces))
                .all(|((was, was_at), (galley, at))| Arc::ptr_eq(was, galley) && was_at == at);
        if !same {
            self.pieces = pieces.iter().map(|&(g, at)| (Arc::clone(g), at)).collect();
            self.corner = corner;
            self.pixels_per_point = pixels_per_point;
            self.galley = one_galley(corner, &self.pieces, pixels_per_point).map(Arc::new);
        }
        self.galley.clone()
    }
}

/// One laid-out text, painted at `corner`, holding the rows of each of `pieces` where the
/// piece would have been painted apart: egui puts the corner of each text shape on a whole
/// pixel, so each piece is moved by the whole pixels between its corner and `corner`. Only
/// for painting: its job is the first piece's, so it does not describe what it shows.
fn one_galley(
    corner: Pos2,
    pieces: &[(Arc<Galley>, Pos2)],
    pixels_per_point: f32,
) -> Option<Galley> {
    let (first, _) = pieces.first()?;
    let corner = corner.round_to_pixels(pixels_per_point);
    let mut one = Galley::clone(first);
    one.rows.clear();
    one.rect = egui::Rect::NOTHING;
    one.mesh_bounds = egui::Rect::NOTHING;
    one.num_vertices = 0;
    one.num_indices = 0;
    for (piece, at) in pieces {
        let offset = at.round_to_pixels(pixels_per_point) - corner;
        one.rows
            .extend(piece.rows.iter().map(|row| egui::epaint::text::PlacedRow {
                pos: row.pos + offset,
                ..row.clone()
            }));
        one.rect = one.rect.union(piece.rect.translate(offset));
        one.mesh_bounds = one.mesh_bounds.union(piece.mesh_bounds.translate(offset));
        one.num_vertices += piece.num_vertices;
        one.num_indices += piece.num_indices;
    }
    Some(one)
}

/// Tells when text laid out in an earlier frame may no longer be drawn: egui starts its
/// fonts afresh when their atlas fills up or the scale or fonts change, and text laid out
/// before then points into the old atlas. egui then empties its own cache of laid-out
/// text, so a tiny text looked up there every frame comes back as a new one exactly then.
#[derive(Default)]
struct FontsProbe(Option<Arc<Galley>>);

impl FontsProbe {
    /// Whether egui's fonts started afresh since the last call (true the first time).
    fn started_afresh(&mut self, ui: &egui::Ui) -> bool {
        let probe = WidgetText::from("0").into_galley(
            ui,
            Some(TextWrapMode::Extend),
            f32::INFINITY,
            TextStyle::Small,
        );
        let same = self
            .0
            .as_ref()
            .is_some_and(|last| Arc::ptr_eq(last, &probe));
        self.0 = Some(probe);
        !same
    }
}

/// A phase's mark, words and colour.
fn look(ui: &egui::Ui, phase: Phase) -> (&'static str, Label, egui::Color32) {
    match phase {
        Phase::YourTurn => ("●", Label::PhaseYourTurn, style::go(ui)),
        Phase::Sending => ("○", Label::PhaseSending, style::wait(ui)),
        Phase::Waiting => ("○", Label::PhaseWaiting, style::wait(ui)),
        Phase::Ended => ("◇", Label::PhaseEnded, ui.visuals().weak_text_color()),
    }
}

/// What one row shows.
struct Row<'a> {
    s: &'a SessionState,
    /// Its texts.
    texts: &'a RowTexts,
    /// Its place in the list, from 0 (the first nine have Alt+1…9).
    row: usize,
    /// Whether it is the conversation on screen.
    selected: bool,
}

/// Shows `text()` when the pointer rests on `response`. With a screen reader listening it is
/// also the widget's description, as `on_hover_text` (or `on_disabled_hover_text` for a
/// disabled widget) makes it; otherwise the words are only made when the tooltip shows,
/// not on every frame.
fn hover_words(
    response: egui::Response,
    accessible: bool,
    text: impl FnOnce() -> String,
) -> egui::Response {
    let enabled = response.enabled();
    if accessible {
        return if enabled {
            response.on_hover_text(text())
        } else {
            response.on_disabled_hover_text(text())
        };
    }
    // egui shows a tooltip only while the pointer is on its widget or the tooltip is open
    // (or everything is shown at once); elsewhere, asking it costs more than the rest of a
    // row (issue 9).
    let may_show = response.contains_pointer()
        || response.is_tooltip_open()
        || response.ctx.memory(|m| m.everything_is_visible());
    if !may_show {
        return response;
    }
    // As `on_hover_text` and `on_disabled_hover_text` do it.
    let show = |ui: &mut egui::Ui| {
        ui.set_max_width(ui.spacing().tooltip_width);
        ui.label(text());
    };
    if enabled {
        response.on_hover_ui(show)
    } else {
        response.on_disabled_hover_ui(show)
    }
}

/// One row in `rect`: the mark, a selectable button with the address, the unread badge and
/// × for an ended row; under them the state in words and the last time something was said.
/// Returns where its texts go (as [`RowTexts::pieces`] lists them), for the caller to paint
/// them with the other rows' in `colour`; an address that has another colour is painted
/// here, and has no place there.
///
/// Painted directly rather than built of nested `horizontal` layouts and labels, which cost
/// about 9 µs a row each frame (issue 9): the pieces sit where `ui.horizontal` put them,
/// the address is the one interaction every row has, and it tells AccessKit what a
/// selectable label would (a button, selected or not, named by the address). With a screen
/// reader listening (`accessible`), the mark, state and time are labels again too.
fn row_ui(
    ui: &mut egui::Ui,
    rect: egui::Rect,
    row: Row<'_>,
    lang: Lang,
    accessible: bool,
    colour: egui::Color32,
) -> (Option<Intent>, [Option<Pos2>; 5]) {
    let Row {
        s,
        texts,
        row,
        selected,
    } = row;
    let mut intent = None;
    let phase = s.phase();
    let (mark, words, _) = look(ui, phase);
    let words = words.get(lang);
    // Not from the scrolled `ui`: hover and focus stay with the row whichever rows are in view.
    let id = egui::Id::unique(("conversation-row", s.id));
    let spacing = ui.spacing().item_spacing;
    let padding = ui.spacing().button_padding;
    // The least height of a line in `ui.horizontal`; its pieces are centred on it.
    let line = ui.spacing().interact_size.y;
    let label = |ui: &egui::Ui, r: egui::Rect, n: usize, text: &str| {
        if accessible {
            ui.interact(r, id.with(n), Sense::hover())
                .widget_info(|| WidgetInfo::labeled(Role::Label, ui.is_enabled(), text));
        }
    };

    // The first line: mark, address, badge, ×.
    let name_size = texts.name_galley.size();
    let button_size = (name_size + 2.0 * padding).max(vec2(0.0, line));
    let centre = rect.top() + button_size.y.max(line) / 2.0;
    let at =
        |x: f32, size: egui::Vec2| egui::Rect::from_min_size(pos2(x, centre - size.y / 2.0), size);

    let mark_rect = at(rect.left(), texts.mark_galley.size());
    label(ui, mark_rect, 0, mark);

    let button_rect = at(mark_rect.right() + spacing.x, button_size);
    let button = ui.interact(button_rect, id, Sense::click());
    // As `Button::selectable` draws itself: a frame when selected, hovered or pressed.
    let visuals = ui.style().interact_selectable(&button, selected);
    let name_colour = visuals.text_color();
    let framed = selected
        || button.hovered()
        || button.highlighted()
        || button.has_focus()
        || button.is_pointer_button_down_on();
    if framed {
        ui.painter().rect(
            button_rect.expand(visuals.expansion),
            visuals.corner_radius,
            visuals.weak_bg_fill,
            visuals.bg_stroke,
            StrokeKind::Inside,
        );
    }
    let mut name_at = Some(
        Align2::CENTER_CENTER
            .align_size_within_rect(name_size, button_rect)
            .min,
    );
    if name_colour != colour
        && let Some(at) = name_at.take()
    {
        ui.painter()
            .galley(at, Arc::clone(&texts.name_galley), name_colour);
    }
    if button.hovered()
        && let Some(cursor) = ui.visuals().interact_cursor
    {
        ui.ctx().set_cursor_icon(cursor);
    }
    button.widget_info(|| {
        WidgetInfo::selected(Role::Button, ui.is_enabled(), selected, &texts.address)
    });
    let button = hover_words(button, accessible, || {
        Phrase::ShowConversation {
            peer: s.peer,
            key: (row < 9).then_some(row + 1),
        }
        .say(lang)
    });
    if button.clicked() {
        intent = Some(Intent::Show(s.id));
    }
    let mut right = button_rect.right();

    let mut badge_at = None;
    if let Some(badge) = &texts.badge_galley {
        let badge_rect = at(right + spacing.x, badge.size());
        badge_at = Some(badge_rect.min);
        // The badge needs an interaction only for its tooltip (and for a screen reader):
        // it takes one while the pointer is on it, not on every row of every frame.
        if accessible || ui.rect_contains_pointer(badge_rect) {
            let badge = ui.interact(badge_rect, id.with("unread"), Sense::hover());
            badge.widget_info(|| WidgetInfo::labeled(Role::Label, ui.is_enabled(), &texts.badge));
            hover_words(badge, accessible, || {
                Phrase::Unread { n: s.unread }.say(lang)
            });
        }
        right = badge_rect.right();
    }

    if phase == Phase::Ended {
        // Few rows have it: the real small button, where `ui.horizontal` put it.
        let first = egui::Rect::from_x_y_ranges(
            right + spacing.x..=rect.right(),
            rect.top()..=2.0 * centre - rect.top(),
        );
        let builder = egui::UiBuilder::new()
            .max_rect(first)
            .layout(egui::Layout::left_to_right(egui::Align::Center));
        // A child the list's layout does not see: a scope would move the list's cursor
        // back up to this first line, and the next row would be drawn over this row's
        // second line (as it was when a conversation ended beside live ones).
        let mut child = ui.new_child(builder);
        if child
            .small_button("×")
            .on_hover_text(Label::CloseEndedTip.get(lang))
            .clicked()
        {
            intent = Some(Intent::Close(s.id));
        }
    }

    // The second line, indented under the address: state in words and the time.
    let centre = 2.0 * centre - rect.top() + spacing.y + line / 2.0;
    let at =
        |x: f32, size: egui::Vec2| egui::Rect::from_min_size(pos2(x, centre - size.y / 2.0), size);
    let words_rect = at(rect.left() + 18.0, texts.words_galley.size());
    label(ui, words_rect, 1, words);
    let time_rect = at(words_rect.right() + spacing.x, texts.time_galley.size());
    label(ui, time_rect, 2, &texts.time);
    let places = [
        Some(mark_rect.min),
        name_at,
        badge_at,
        Some(words_rect.min),
        Some(time_rect.min),
    ];
    (intent, places)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass of `ctx`; whether the probe saw egui's fonts start afresh.
    fn pass(ctx: &egui::Context, probe: &mut FontsProbe) -> bool {
        let mut afresh = false;
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            afresh = probe.started_afresh(ui);
        });
        // No renderer takes the font atlas here.
        out.textures_delta.clear();
        afresh
    }

    #[test]
    fn the_probe_sees_when_laid_out_text_must_be_made_again() {
        let ctx = egui::Context::default();
        let mut probe = FontsProbe::default();
        assert!(pass(&ctx, &mut probe), "nothing was laid out before");
        assert!(!pass(&ctx, &mut probe), "the same fonts, the same atlas");
        assert!(!pass(&ctx, &mut probe));
        ctx.set_pixels_per_point(2.0);
        assert!(pass(&ctx, &mut probe), "a new scale starts a new atlas");
        assert!(!pass(&ctx, &mut probe));
    }

    /// Texts as a row has them, laid out in `ctx` at its scale.
    fn texts(ctx: &egui::Context) -> Vec<Arc<Galley>> {
        let mut galleys = Vec::new();
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            let galley = |text: RichText| {
                WidgetText::from(text).into_galley(
                    ui,
                    Some(TextWrapMode::Extend),
                    f32::INFINITY,
                    TextStyle::Body,
                )
            };
            galleys = vec![
                galley(RichText::new("●").color(egui::Color32::GREEN)),
                galley(RichText::new("192.168.1.3:40001")),
                galley(
                    RichText::new(" 1 ")
                        .strong()
                        .background_color(egui::Color32::RED),
                ),
                galley(
                    RichText::new("轮到你了")
                        .small()
                        .color(egui::Color32::GREEN),
                ),
                galley(RichText::new("14:02:11").small().weak()),
            ];
        });
        out.textures_delta.clear();
        galleys
    }

    /// The triangles `shapes` make, each as its corners, in an order of their own.
    fn triangles(ctx: &egui::Context, shapes: Vec<egui::Shape>) -> Vec<String> {
        let pixels_per_point = ctx.pixels_per_point();
        let atlas = ctx.fonts(|f| f.font_image_size());
        let options = egui::epaint::TessellationOptions::default();
        let mut tessellator =
            egui::epaint::Tessellator::new(pixels_per_point, options, atlas, Vec::new());
        let mut mesh = egui::Mesh::default();
        for shape in shapes {
            tessellator.tessellate_shape(shape, &mut mesh);
        }
        let mut triangles: Vec<String> = (mesh.indices.chunks(3))
            .map(|corners| {
                let mut corners: Vec<String> = (corners.iter())
                    .map(|&i| format!("{:.3?}", mesh.vertices[i as usize]))
                    .collect();
                corners.sort();
                corners.join(" ")
            })
            .collect();
        triangles.sort();
        triangles
    }

    #[test]
    fn texts_painted_together_land_on_the_pixels_they_had_apart() {
        for pixels_per_point in [1.0, 1.25, 1.5, 1.75, 2.0] {
            let ctx = egui::Context::default();
            ctx.set_pixels_per_point(pixels_per_point);
            let galleys = texts(&ctx);
            let colour = egui::Color32::LIGHT_GRAY;
            // Fractional places, as rows in a scrolled list get them.
            let corner = pos2(3.3, 79.2);
            let places = [(3.3, 83.7), (21.3, 84.1), (170.77, 83.9), (21.3, 113.45)];
            let mut at: Vec<Pos2> = places.iter().map(|&(x, y)| pos2(x, y)).collect();
            at.push(pos2(at[3].x + 70.31, 113.45));
            let apart = (galleys.iter().zip(&at))
                .map(|(galley, &at)| egui::Shape::galley(at, Arc::clone(galley), colour))
                .collect();
            let pieces: Vec<(&Arc<Galley>, Pos2)> = galleys.iter().zip(at).collect();
            let mut together = Together::default();
            let Some(one) = together.of(corner, &pieces, pixels_per_point) else {
                panic!("there are pieces");
            };
            let painted = vec![egui::Shape::galley(corner, one, colour)];
            assert_eq!(
                triangles(&ctx, apart),
                triangles(&ctx, painted),
                "at {pixels_per_point} pixels per point"
            );
        }
    }

    /// The shapes one pass paints in a 150-point-wide column, with `draw` in it.
    fn column(ctx: &egui::Context, draw: impl FnOnce(&mut egui::Ui)) -> Vec<egui::Shape> {
        let mut draw = Some(draw);
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            let column = egui::Rect::from_min_size(pos2(10.5, 20.25), vec2(150.0, 400.0));
            ui.scope_builder(egui::UiBuilder::new().max_rect(column), |ui| {
                if let Some(draw) = draw.take() {
                    draw(ui);
                }
            });
        });
        out.textures_delta.clear();
        out.shapes.into_iter().map(|c| c.shape).collect()
    }

    #[test]
    fn words_kept_between_frames_look_as_the_labels_they_replace() {
        for lang in [Lang::En, Lang::ZhCn] {
            let ctx = egui::Context::default();
            crate::ui::fonts::install(&ctx);
            // Long enough to wrap in the column, as in a narrow list.
            let texts = [
                RichText::new(Phrase::ClientsWaiting { n: 12 }.say(lang))
                    .color(egui::Color32::GOLD),
                RichText::new(Phrase::WaitingForYou { n: 3 }.say(lang))
                    .color(egui::Color32::GREEN)
                    .strong(),
                RichText::new(Label::FilterConversations.get(lang)).small(),
            ];
            let labels = column(&ctx, |ui| {
                for text in texts.clone() {
                    ui.label(text);
                }
            });
            let painted = column(&ctx, |ui| {
                for text in texts.clone() {
                    let piece = Piece::new(ui, text, TextStyle::Body, ui.available_width());
                    assert_eq!(words_ui(ui, &piece, false, None), None, "no interaction");
                }
            });
            assert_eq!(
                triangles(&ctx, labels),
                triangles(&ctx, painted),
                "{lang:?}"
            );
        }
    }

    #[test]
    fn together_is_made_again_only_when_a_piece_or_its_place_changes() {
        let ctx = egui::Context::default();
        let galleys = texts(&ctx);
        let place = |i: usize| pos2(10.0 * i as f32, 20.0);
        let mut pieces: Vec<(&Arc<Galley>, Pos2)> = (galleys.iter().enumerate())
            .map(|(i, g)| (g, place(i)))
            .collect();
        let mut together = Together::default();
        let mut of = |pieces: &[(&Arc<Galley>, Pos2)], corner: Pos2| {
            together
                .of(corner, pieces, 1.0)
                .map(|one| Arc::as_ptr(&one))
        };
        let first = of(&pieces, Pos2::ZERO);
        assert!(first.is_some());
        assert_eq!(of(&pieces, Pos2::ZERO), first, "nothing changed");
        assert_ne!(of(&pieces, pos2(0.0, 1.0)), first, "the corner moved");
        let again = of(&pieces, Pos2::ZERO);
        pieces[2].1.x += 0.5;
        assert_ne!(of(&pieces, Pos2::ZERO), again, "a piece moved");
        let again = of(&pieces, Pos2::ZERO);
        pieces.swap(0, 1);
        assert_ne!(of(&pieces, Pos2::ZERO), again, "another text in its place");
        assert_eq!(of(&[], Pos2::ZERO), None, "no rows, no text");
    }
}
