//! Every character that two-byte GBK decodes to (outside the Private Use Area) has a glyph
//! in the fonts the app installs. Machines here have no system CJK font, and the app loads
//! none: this is what users will see. (That every word of the catalogue has a glyph too
//! is checked beside the fonts, in `src/ui/fonts.rs`: its samples are built for tests only.)

use eframe::egui;
use std::collections::BTreeSet;

fn gbk_characters() -> BTreeSet<char> {
    let mut set = BTreeSet::new();
    for lead in 0x81u8..=0xFE {
        for trail in (0x40u8..=0xFE).filter(|t| *t != 0x7F) {
            let pair = [lead, trail];
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&pair);
            if had_errors {
                continue;
            }
            for c in text.chars() {
                if !matches!(u32::from(c), 0xE000..=0xF8FF) {
                    set.insert(c);
                }
            }
        }
    }
    set
}

#[test]
fn every_gbk_character_has_a_glyph_in_the_installed_fonts() {
    let chars = gbk_characters();
    assert_eq!(
        chars.len(),
        21_891,
        "encoding_rs's two-byte GBK repertoire changed"
    );

    let ctx = egui::Context::default();
    turnchat::ui::fonts::install(&ctx);
    let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
    out.textures_delta.clear();
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
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
            "{} GBK characters have no glyph in {family:?}: {missing:?}",
            missing.len()
        );
    }
}

#[test]
fn without_the_bundled_fonts_chinese_would_not_render() {
    // Guards the test above against passing vacuously (e.g. a system font sneaking in).
    let ctx = egui::Context::default();
    let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
    out.textures_delta.clear();
    let font = egui::FontId::proportional(15.0);
    assert!(!ctx.fonts_mut(|f| f.has_glyph(&font, '欢')));
}
