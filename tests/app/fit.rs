//! Everything fits, in both languages: at the smallest window size people use (720×480)
//! and at 150 % scale, no widget of the form, the toolbar or the composer is cut off by
//! the window's edge or overlaps another. Checked on the widgets' own rectangles (what a
//! screen reader sees), in every state of the form; screenshots of the same states under
//! Xvfb were looked at by eye (README).

use crate::common::harness::{harness_with, start_server_labelled, wait_until};
use crate::common::peers::ref_client;
use crate::common::scratch;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::Lang;
use turnchat::core::turn::Role;
use turnchat::core::turn::Turn;
use turnchat::words::Label;

const SIZE: egui::Vec2 = egui::vec2(720.0, 480.0);

fn app(dir: &std::path::Path, lang: Lang, scale: f32) -> Harness<'static, TurnChatApp> {
    let options = AppOptions {
        lang: Some(lang),
        ..AppOptions::default()
    };
    let builder = Harness::<TurnChatApp>::builder()
        .with_size(SIZE)
        .with_pixels_per_point(scale);
    let mut h = harness_with(dir, builder, options);
    // harness_with sets its own size first; this one wins.
    h.set_size(SIZE);
    h.run();
    h
}

/// The leaf widgets of the panels that do not scroll (the form and toolbar on top, the
/// composer at the bottom: the first two panes, in the order the app adds its panels),
/// with their rectangles and names. A text box counts as one widget (its text runs are
/// its lines).
fn widgets(h: &Harness<'static, TurnChatApp>) -> Vec<(String, egui::Rect)> {
    use egui::accesskit::Role;
    fn leaves(node: egui_kittest::Node<'_>, out: &mut Vec<(String, egui::Rect)>) {
        let role = node.accesskit_node().role();
        let boxed = matches!(role, Role::TextInput | Role::MultilineTextInput);
        if boxed || node.children().next().is_none() {
            let name = node
                .accesskit_node()
                .label()
                .or_else(|| node.accesskit_node().value())
                .unwrap_or_default();
            if node.accesskit_node().bounding_box().is_some() && node.rect().area() > 1.0 {
                out.push((format!("{role:?} {name:?}"), node.rect()));
            }
            return;
        }
        for child in node.children() {
            leaves(child, out);
        }
    }
    let mut out = Vec::new();
    for pane in h.get_all_by_role(Role::Pane).take(2) {
        leaves(pane, &mut out);
    }
    out
}

/// Fails if a widget outside the scrolling parts leaves the window or overlaps another.
fn check(h: &Harness<'static, TurnChatApp>, what: &str) {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE);
    let fixed = widgets(h);
    assert!(
        fixed.len() > 10,
        "{what}: only {} widgets found",
        fixed.len()
    );
    for (name, r) in &fixed {
        assert!(
            window.expand(0.5).contains_rect(*r),
            "{what}: {name} at {r:?} is cut off by the window's edge ({window:?})"
        );
    }
    // A field's label is whole, on one row: egui breaks a label between characters in a
    // wrapped row (换 at the end of one row, 行 at the start of the next), which reads as
    // two words. Each labelled field must find its label as one run of text.
    for (name, r) in &fixed {
        let label = ["ComboBox ", "TextInput ", "SpinButton "]
            .iter()
            .find_map(|role| name.strip_prefix(role));
        if let Some(label) = label.filter(|l| *l != "\"\"") {
            let run = format!("TextRun {label}");
            assert!(
                fixed.iter().any(|(n, _)| *n == run),
                "{what}: the label of {name} at {r:?} is not one piece of text on one row"
            );
        }
    }
    for (i, (a, ra)) in fixed.iter().enumerate() {
        for (b, rb) in &fixed[i + 1..] {
            let overlap = ra.intersect(*rb);
            assert!(
                overlap.width() < 1.0 || overlap.height() < 1.0,
                "{what}: {a} at {ra:?} overlaps {b} at {rb:?}"
            );
        }
    }
}

fn every_state(lang: Lang, scale: f32) {
    let dir = scratch(&format!("fit-{lang:?}-{}", (scale * 100.0) as u32));
    let mut h = app(&dir, lang, scale);
    let what = |state: &str| format!("{lang:?} at {}%: {state}", (scale * 100.0) as u32);
    check(&h, &what("the server form"));

    // A field problem under the form.
    h.state_mut().form_mut().server_port = "88888".into();
    h.run();
    check(&h, &what("a bad port"));
    h.state_mut().form_mut().server_port = "0".into();
    h.state_mut().form_mut().server_host = "127.0.0.1".into();

    h.state_mut().form_mut().role = Role::Client;
    h.run();
    check(&h, &what("the client form"));

    // Listening, with a conversation on screen and our turn.
    h.state_mut().form_mut().role = Role::Server;
    h.run();
    let local = start_server_labelled(&mut h, Label::StartServer.get(lang));
    check(&h, &what("listening"));
    let client = ref_client(&dir, local.port(), &["你好服务端"], "fit");
    // Our turn comes with the client's first message (our welcome and the connected notice
    // come before it, so counting entries would not wait for it).
    wait_until(&mut h, "the first message", |a| {
        a.state().current().is_some_and(|s| {
            s.turn == Turn::Mine
                && s.transcript
                    .entries()
                    .iter()
                    .any(|e| e.text == "你好服务端")
        })
    });
    h.get_by_label(Label::Message.get(lang))
        .type_text("一条很长的消息，".repeat(20).as_str());
    h.run_steps(3);
    check(&h, &what("our turn, a long draft"));
    h.key_press(egui::Key::Enter);
    wait_until(&mut h, "the end", |a| {
        a.state().current().is_some_and(|s| !s.is_live())
    });
    check(&h, &what("the conversation ended"));
    assert_eq!(client.finish().0, 0);
}

#[test]
fn chinese_fits_at_720_by_480() {
    every_state(Lang::ZhCn, 1.0);
}

#[test]
fn english_fits_at_720_by_480() {
    every_state(Lang::En, 1.0);
}

#[test]
fn chinese_fits_at_150_percent() {
    every_state(Lang::ZhCn, 1.5);
}

#[test]
fn english_fits_at_150_percent() {
    every_state(Lang::En, 1.5);
}
