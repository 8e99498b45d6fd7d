//! Where LAN discovery's threads send what they hear: the events channel and the UI's
//! waker, shared by the browser, the announcer and the source listener.

use std::sync::Arc;

use crossbeam_channel::Sender;

use crate::core::discovery::DiscoveryEvent;
use crate::core::waker::Waker;

/// Where discovery events go: a channel and the UI's waker.
#[derive(Clone)]
pub struct DiscoveryOutbox {
    events: Sender<DiscoveryEvent>,
    waker: Arc<dyn Waker>,
}

impl DiscoveryOutbox {
    /// Events go into `events`; each is followed by `waker.wake()`.
    pub fn new(events: Sender<DiscoveryEvent>, waker: Arc<dyn Waker>) -> Self {
        DiscoveryOutbox { events, waker }
    }

    pub(super) fn emit(&self, event: DiscoveryEvent) {
        if self.events.send(event).is_ok() {
            self.waker.wake();
        }
    }
}
