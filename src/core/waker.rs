//! How a background thread asks the window to look at what it sent: a small trait, so
//! that the network shell and the jobs need no egui (the app's waker asks egui for a
//! frame; tests use [`NoWaker`] and read their channels directly).

/// Wakes the UI after an event was sent (egui's `Context::request_repaint` in the app).
pub trait Waker: Send + Sync + 'static {
    /// Ask the UI to process events soon.
    fn wake(&self);
}

/// A waker that does nothing, for tests that read the channel directly.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoWaker;

impl Waker for NoWaker {
    fn wake(&self) {}
}
