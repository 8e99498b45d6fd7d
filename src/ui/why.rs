//! The "Why?" button under the client's form, and the "Why can't I see them?" panel it
//! opens (a window over the form): one sentence a finding (interfaces used and skipped,
//! the firewall, the server's subnet), and, when several interfaces are usable, the
//! choice of the one to look for servers on.

use eframe::egui::{self, RichText};

use super::Intent;
use crate::core::lang::{Lang, Say};
use crate::core::why::{Finding, InterfacePlan};
use crate::words::why::WhyWords as W;

/// What the panel asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhyAction {
    /// Open it and run the checks (again).
    Check,
    /// Close it.
    Close,
    /// Look for servers on this interface only (empty: every usable one).
    Choose(String),
}

/// What the panel shows.
pub struct WhyView<'a> {
    /// The findings of the last check (`None`: none has finished yet).
    pub findings: Option<&'a [Finding]>,
    /// A check is running.
    pub checking: bool,
    /// The interfaces to choose between (empty: nothing to choose).
    pub choices: &'a [InterfacePlan],
    /// The one chosen (empty: every usable one).
    pub chosen: &'a str,
}

/// The "Why?" button.
pub fn button(ui: &mut egui::Ui, lang: Lang) -> Option<Intent> {
    ui.button(W::Why.say(lang))
        .on_hover_text(W::WhyTooltip.say(lang))
        .clicked()
        .then_some(Intent::Why(WhyAction::Check))
}

/// The panel: a window of its own over the form, so that the form and the conversation
/// keep their room on a small screen.
pub fn panel(ctx: &egui::Context, view: &WhyView<'_>, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    let mut open = true;
    egui::Window::new(W::Heading.say(lang))
        .id(egui::Id::unique("turnchat-why-panel"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(680.0)
        .show(ctx, |ui| {
            if view.checking {
                ui.label(RichText::new(W::Checking.say(lang)).weak());
            }
            if let Some(findings) = view.findings {
                egui::ScrollArea::vertical()
                    .id_salt("why-findings")
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for f in findings {
                            ui.label(f.say(lang));
                        }
                    });
            }
            if !view.choices.is_empty() {
                ui.separator();
                ui.horizontal_wrapped(|ui| {
                    ui.label(W::UseInterface.say(lang))
                        .on_hover_text(W::InterfaceTooltip.say(lang));
                    if ui
                        .radio(view.chosen.is_empty(), W::AllInterfaces.say(lang))
                        .clicked()
                    {
                        intent = Some(Intent::Why(WhyAction::Choose(String::new())));
                    }
                    for c in view.choices {
                        let addrs: Vec<String> =
                            c.ipv4.iter().map(|n| n.addr.to_string()).collect();
                        let text = format!("{} ({})", c.name, addrs.join(", "));
                        if ui.radio(view.chosen == c.name, text).clicked() {
                            intent = Some(Intent::Why(WhyAction::Choose(c.name.clone())));
                        }
                    }
                });
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!view.checking, egui::Button::new(W::CheckAgain.say(lang)))
                    .clicked()
                {
                    intent = Some(Intent::Why(WhyAction::Check));
                }
                if ui.button(W::Close.say(lang)).clicked() {
                    intent = Some(Intent::Why(WhyAction::Close));
                }
            });
        });
    if !open {
        intent = Some(Intent::Why(WhyAction::Close));
    }
    intent
}
