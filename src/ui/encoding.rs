//! The conversation header's encoding choice: one conversation read (and written) in
//! another encoding from now on, with what it already received decoded again.

use eframe::egui;

use crate::core::codec::WireEncoding;
use crate::core::lang::{Lang, Say};
use crate::words::encoding::EncodingWords;

/// Draws "Encoding [GBK ▾]" for a conversation now in `current`; returns the encoding
/// the user picked, if it differs.
pub fn choice(ui: &mut egui::Ui, current: WireEncoding, lang: Lang) -> Option<WireEncoding> {
    let mut picked = current;
    let label = ui.label(EncodingWords::HeaderLabel.say(lang));
    // One combo box whichever conversation is shown: a new one adds no widget.
    egui::ComboBox::from_id_salt("conversation-encoding")
        .selected_text(current.label())
        .width(84.0)
        .show_ui(ui, |ui| {
            for choice in WireEncoding::ALL {
                ui.selectable_value(&mut picked, choice, choice.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(EncodingWords::HeaderTooltip.say(lang));
    (picked != current).then_some(picked)
}
