//! The app in an egui_kittest harness, with the app's own fonts, and bounded waits.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, HarnessBuilder};
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::state::RoleStatus;

/// The app with transcripts in `dir/transcripts`, at a size that suits the window.
pub fn harness(dir: &Path) -> Harness<'static, TurnChatApp> {
    harness_with(
        dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions::default(),
    )
}

/// Like [`harness`], from a customised builder and options (`transcripts` is set here).
pub fn harness_with(
    dir: &Path,
    builder: HarnessBuilder<TurnChatApp>,
    options: AppOptions,
) -> Harness<'static, TurnChatApp> {
    let options = AppOptions {
        transcripts: Some(dir.join("transcripts")),
        ..options
    };
    builder
        .with_size(egui::vec2(900.0, 640.0))
        .with_context_setup(turnchat::ui::fonts::install)
        .build_eframe(move |cc| TurnChatApp::new(&cc.egui_ctx, options))
}

/// Steps the app, waiting (bounded) on its event and job channels, until `done` holds.
pub fn wait_until(
    h: &mut Harness<'static, TurnChatApp>,
    what: &str,
    done: impl Fn(&TurnChatApp) -> bool,
) {
    let deadline = Instant::now() + super::WAIT;
    loop {
        h.run_steps(2);
        if done(h.state()) {
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "timed out waiting for {what}; state: {:#?}",
            h.state().view_state()
        );
        h.state_mut()
            .wait_for_event(left.min(Duration::from_millis(500)));
    }
}

/// Steps the app, waiting (bounded) on its channels, until a widget whose label contains
/// `text` is on screen.
pub fn wait_for_label(h: &mut Harness<'static, TurnChatApp>, text: &str) {
    let deadline = Instant::now() + super::WAIT;
    loop {
        h.run_steps(2);
        if h.query_by_label_contains(text).is_some() {
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "nothing labelled {text:?} appeared");
        h.state_mut()
            .wait_for_event(left.min(Duration::from_millis(500)));
    }
}

/// Starts a server from the form, as a user would: 127.0.0.1 on a free port, then the
/// Start Server button; waits until it listens, and returns its address.
pub fn start_server(h: &mut Harness<'static, TurnChatApp>) -> SocketAddr {
    start_server_labelled(h, "Start Server")
}

/// [`start_server`] with the button labelled `start` (in the window's language).
pub fn start_server_labelled(h: &mut Harness<'static, TurnChatApp>, start: &str) -> SocketAddr {
    h.state_mut().form_mut().server_host = "127.0.0.1".into();
    h.state_mut().form_mut().server_port = "0".into();
    h.run();
    h.get_by_label(start).click();
    wait_until(h, "listening", |a| {
        matches!(a.state().status, RoleStatus::Listening { .. })
    });
    match h.state().view_state().status {
        RoleStatus::Listening { local, .. } => local,
        _ => unreachable!("waited for it"),
    }
}
