//! The bundled fonts: egui's own first, then Noto Sans CJK SC (a GBK subset) and a tiny
//! Noto Sans Math subset for the one GBK character the CJK font lacks (≒).
//!
//! Installed once at start-up, in the app and in every test harness.

use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

/// Noto Sans CJK SC, subset to what GBK can carry (see `assets/fonts/README.md`).
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-GBK.otf");

/// Noto Sans Math, subset to the few GBK characters the CJK font lacks.
pub static EXTRA_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansMath-GBKextra.ttf");

const CJK: &str = "noto-sans-cjk-sc-gbk";
const EXTRA: &str = "noto-sans-math-gbk-extra";

/// egui's default fonts with the bundled fonts appended as fallbacks to every family.
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
        list.push(CJK.to_owned());
        list.push(EXTRA.to_owned());
    }
    defs
}

/// Installs the fonts into `ctx`.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
