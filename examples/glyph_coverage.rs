//! How many characters of the CJK Unified Ideographs blocks and of common emoji get a glyph,
//! with TurnChat's fonts: the bundled ones alone, with egui's emoji fonts, and with the
//! system's fonts as the window finds them (`turnchat::ui::fonts`). The figures are in
//! BENCHMARKS.md.
//!
//! `cargo run --release --example glyph_coverage`

use eframe::egui::{self, FontId};

/// The CJK Unified Ideographs blocks (Unicode 16), all of whose code points are assigned.
const CJK_BLOCKS: &[(&str, u32, u32)] = &[
    ("CJK Unified Ideographs", 0x4E00, 0x9FFF),
    ("Extension A", 0x3400, 0x4DBF),
    ("Extension B", 0x20000, 0x2A6DF),
    ("Extension C", 0x2A700, 0x2B739),
    ("Extension D", 0x2B740, 0x2B81D),
    ("Extension E", 0x2B820, 0x2CEA1),
    ("Extension F", 0x2CEB0, 0x2EBE0),
    ("Extension G", 0x30000, 0x3134A),
    ("Extension H", 0x31350, 0x323AF),
    ("Extension I", 0x2EBF0, 0x2EE5D),
];

/// The Emoticons block (all 80 faces) and emoji people send most, from other blocks.
fn common_emoji() -> Vec<char> {
    let mut list: Vec<char> = (0x1F600..=0x1F64F).filter_map(char::from_u32).collect();
    list.extend(
        "❤👍🎉🔥✨🙏💯🤔🥰🤣👏💪🌹🎂🍻☕🌙⭐☀⚡❄💔💕💖👌✌🤝👋🙌🤗🤦🤷💡📷🎵⚽🐶🐱🌸🍎🚗✈🏠📱💰🎁✅❌⚠"
            .chars(),
    );
    list
}

fn coverage(ctx: &egui::Context, chars: impl Iterator<Item = char>) -> (usize, usize) {
    let font = FontId::proportional(14.0);
    ctx.fonts_mut(|f| {
        chars.fold((0, 0), |(have, all), c| {
            (have + usize::from(f.has_glyph(&font, c)), all + 1)
        })
    })
}

fn context(emoji: bool, system: bool) -> egui::Context {
    let ctx = egui::Context::default();
    let mut defs = turnchat::ui::fonts::definitions();
    if !emoji {
        for list in defs.families.values_mut() {
            list.retain(|n| n != "NotoEmoji-Regular" && n != "emoji-icon-font");
        }
    }
    ctx.set_fonts(defs);
    if system {
        turnchat::ui::fonts::add_system_fallback(&ctx);
    }
    // Fonts load at the start of a pass.
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    // Nothing is painted here: the font atlas's first upload is dropped on purpose.
    output.textures_delta.clear();
    ctx
}

fn main() {
    let setups = [
        ("bundled (GBK subset)", false, false),
        ("+ egui emoji", true, false),
        ("+ system fonts", true, true),
    ];
    let contexts: Vec<egui::Context> = setups
        .iter()
        .map(|(_, emoji, system)| context(*emoji, *system))
        .collect();
    print!("| block | characters |");
    for (name, ..) in &setups {
        print!(" {name} |");
    }
    println!();
    println!("|---|---:|{}", "---:|".repeat(setups.len()));
    let mut rows: Vec<(String, Vec<char>)> = CJK_BLOCKS
        .iter()
        .map(|(name, a, b)| {
            (
                format!("{name} (U+{a:04X}–U+{b:04X})"),
                (*a..=*b).filter_map(char::from_u32).collect(),
            )
        })
        .collect();
    rows.push(("common emoji".to_owned(), common_emoji()));
    for (name, chars) in rows {
        print!("| {name} | {} |", chars.len());
        for ctx in &contexts {
            let (have, all) = coverage(ctx, chars.iter().copied());
            print!(" {have} ({:.1} %) |", 100.0 * have as f64 / all as f64);
        }
        println!();
    }
    let font = FontId::proportional(14.0);
    let missing: String = contexts[1].fonts_mut(|f| {
        common_emoji()
            .into_iter()
            .filter(|c| !f.has_glyph(&font, *c))
            .collect()
    });
    println!("\ncommon emoji without a glyph in egui's emoji fonts: {missing}");
}
