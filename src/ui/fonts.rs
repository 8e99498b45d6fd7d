//! The fonts: egui's own first, then Noto Sans CJK SC (a GBK subset) and a tiny Noto Sans
//! Math subset for the one GBK character the CJK font lacks (≒), then egui's emoji fonts;
//! and, in the window only, the system's fonts for anything none of these has.
//!
//! The bundled fonts are installed once at start-up, in the app and in every test harness.
//! With UTF-8 or GB18030 a peer can send any character: emoji come from egui's Noto Emoji;
//! rare CJK (Extension B and beyond) and other scripts from the fonts installed on the
//! machine, found through egui's own provider (`egui_system_font_provider`, which asks the
//! operating system's font fallback: fontconfig, DirectWrite, CoreText). That provider is
//! created the first time some character has no glyph in the bundled fonts, and egui asks
//! it at most once per character, never per frame. A character no font has at all is shown
//! as its code (`U+2A6D6`) by the transcript view.

use std::sync::{Arc, OnceLock};

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

/// Noto Sans CJK SC, subset to what GBK can carry (see `assets/fonts/README.md`).
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-GBK.otf");

/// Noto Sans Math, subset to the few GBK characters the CJK font lacks.
pub static EXTRA_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansMath-GBKextra.ttf");

const CJK: &str = "noto-sans-cjk-sc-gbk";
const EXTRA: &str = "noto-sans-math-gbk-extra";

/// egui's emoji fonts (its `monochrome_emoji_fonts` feature): after the CJK fonts, so that
/// CJK punctuation and symbols keep the CJK font's shapes.
const EMOJI: [&str; 2] = ["NotoEmoji-Regular", "emoji-icon-font"];

/// egui's default fonts with the bundled fonts, then egui's emoji fonts, as fallbacks to
/// every family.
pub fn definitions() -> FontDefinitions {
    let mut defs = FontDefinitions::default();
    defs.font_data
        .insert(CJK.to_owned(), Arc::new(FontData::from_static(CJK_FONT)));
    defs.font_data.insert(
        EXTRA.to_owned(),
        Arc::new(FontData::from_static(EXTRA_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = defs.families.entry(family).or_default();
        let emoji: Vec<String> = list
            .iter()
            .filter(|name| EMOJI.contains(&name.as_str()))
            .cloned()
            .collect();
        list.retain(|name| !EMOJI.contains(&name.as_str()));
        list.push(CJK.to_owned());
        list.push(EXTRA.to_owned());
        list.extend(emoji);
    }
    defs
}

/// Installs the bundled fonts into `ctx`.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// Lets the window fall back to the system's fonts for characters the bundled ones lack
/// (not in test harnesses: there the bundled fonts alone must cover what is tested).
pub fn add_system_fallback(ctx: &egui::Context) {
    ctx.add_font_provider(Arc::new(SystemFallback::default()));
}

/// egui's system font provider, created the first time it is needed: enumerating the
/// system's fonts takes a moment and most conversations (GBK) never need it.
#[derive(Default)]
struct SystemFallback {
    provider: OnceLock<egui_system_font_provider::SystemFontProvider>,
}

impl egui::FontProvider for SystemFallback {
    fn font_for(&self, request: &egui::FallbackRequest<'_>) -> Option<egui::FontInsert> {
        self.provider
            .get_or_init(egui_system_font_provider::SystemFontProvider::new)
            .font_for(request)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::core::lang::Lang;

    /// Every word of the catalogue, in both languages, has a glyph in the installed fonts
    /// (here, beside the fonts, because the catalogue's samples are built for tests only).
    #[test]
    fn every_word_of_both_languages_has_a_glyph_in_the_installed_fonts() {
        let ctx = egui::Context::default();
        install(&ctx);
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        // The emoji in the samples are the user's own characters that cannot be sent (shown
        // with their code point); every other character is the catalogue's.
        let arguments: BTreeSet<char> = "😀😁😂😃😄😅😆😇😈😉".chars().collect();
        let mut chars = BTreeSet::new();
        let mut texts = 0;
        for sample in crate::words::samples::all() {
            for lang in Lang::ALL {
                texts += 1;
                chars.extend(
                    sample
                        .value
                        .say(lang)
                        .chars()
                        .filter(|c| !c.is_whitespace() && !arguments.contains(c)),
                );
            }
        }
        for lang in Lang::ALL {
            chars.extend(lang.own_name().chars());
        }
        assert!(texts > 300, "only {texts} texts");
        assert!(
            chars.contains(&'轮') && chars.contains(&'W'),
            "both languages"
        );
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let font = egui::FontId::new(15.0, family.clone());
            let missing: Vec<String> = ctx.fonts_mut(|f| {
                chars
                    .iter()
                    .filter(|c| !f.has_glyph(&font, **c))
                    .map(|c| format!("{c} U+{:04X}", u32::from(*c)))
                    .collect()
            });
            assert!(
                missing.is_empty(),
                "characters of the catalogue with no glyph in {family:?}: {missing:?}"
            );
        }
    }
}
