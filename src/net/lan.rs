//! The window's side of LAN discovery: which browser and announcer should run, given what
//! the window is doing, and the live list of servers found.
//!
//! The app says what it wants each pass ([`Lan::reconcile`]): browse while the Connect
//! form is shown, announce while the server listens with announcing on. This starts and
//! stops the shell's [`Browser`] and [`Announcer`] (`crate::net::discovery`); stopped ones
//! finish on their own threads and are joined once they have ended, never blocking a
//! frame. Tests inject events instead of browsing ([`DiscoveryMode::Injected`]), and by
//! default nothing touches the network ([`DiscoveryMode::Off`]).

use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use crate::core::discovery::{Advert, DiscoveryEvent, DiscoveryProblem, LiveList};
use crate::core::ids::RoleId;
use crate::core::said_name::SaidName;
use crate::core::waker::Waker;
use crate::net::discovery::{AnnounceOn, Announcer, Browser, DiscoveryOutbox};
use crate::net::probe::Prober;
use crate::net::said_name::{NameHearer, NameSayer};

/// Where the live list comes from.
#[derive(Clone, Debug, Default)]
pub enum DiscoveryMode {
    /// No discovery at all: nothing is announced or browsed (the default, for tests and
    /// tools that start the app in-process).
    #[default]
    Off,
    /// Multicast DNS on the machine's interfaces (the `turnchat` binary).
    Network,
    /// Events from this channel fill the list; nothing is announced (UI tests).
    Injected(Receiver<DiscoveryEvent>),
}

/// What the server's announcement is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnnounceState {
    /// Not announcing (announcing off, not listening, or discovery off).
    Off,
    /// The server listens on loopback only: nobody else could connect, so it is not
    /// announced.
    Loopback,
    /// Announced under this name.
    As(String),
    /// Announcing failed.
    Failed(DiscoveryProblem),
}

/// A server that should be announced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WantAnnounce {
    /// The Start Server it belongs to.
    pub role: RoleId,
    /// What to say.
    pub advert: Advert,
    /// Where (`None`: bound to loopback, not announced).
    pub on: Option<AnnounceOn>,
}

/// Discovery as the window runs it.
pub struct Lan {
    mode: DiscoveryMode,
    waker: Arc<dyn Waker>,
    browse_tx: Sender<DiscoveryEvent>,
    browse_rx: Receiver<DiscoveryEvent>,
    announce_tx: Sender<DiscoveryEvent>,
    announce_rx: Receiver<DiscoveryEvent>,
    list: LiveList,
    browser: Option<Browser>,
    announcer: Option<(RoleId, Advert, Announcer)>,
    announce_state: AnnounceState,
    retiring_browsers: Vec<Browser>,
    retiring_announcers: Vec<Announcer>,
    /// The client's name, said while it is connected.
    sayer: Option<(SaidName, NameSayer)>,
    retiring_sayers: Vec<NameSayer>,
    /// The server's ear for the names its clients say, once tried (`Some(None)`: it could
    /// not start, and is not tried again while the server runs).
    hearer: Option<Option<NameHearer>>,
    said_tx: Sender<SaidName>,
    said_rx: Receiver<SaidName>,
    /// The interface browsing is limited to (the user's choice in the "Why?" panel).
    interface: Option<String>,
    /// The addresses being asked directly (as typed) and their prober (`None`: none could
    /// start, or nothing to ask), so that the same text is not tried again each frame.
    prober: Option<(String, Option<Prober>)>,
    retiring_probers: Vec<Prober>,
}

impl Lan {
    /// Discovery in `mode`; events wake the window through `waker`.
    pub fn new(mode: DiscoveryMode, waker: Arc<dyn Waker>) -> Self {
        let (browse_tx, browse_rx) = crossbeam_channel::unbounded();
        let (announce_tx, announce_rx) = crossbeam_channel::unbounded();
        let (said_tx, said_rx) = crossbeam_channel::unbounded();
        Lan {
            mode,
            waker,
            browse_tx,
            browse_rx,
            announce_tx,
            announce_rx,
            list: LiveList::default(),
            browser: None,
            announcer: None,
            announce_state: AnnounceState::Off,
            retiring_browsers: Vec::new(),
            retiring_announcers: Vec::new(),
            sayer: None,
            retiring_sayers: Vec::new(),
            hearer: None,
            said_tx,
            said_rx,
            interface: None,
            prober: None,
            retiring_probers: Vec::new(),
        }
    }

    /// Limits browsing to the interface named `choice` (`None`: every usable one), and
    /// the announcement of a server bound to 0.0.0.0 that starts later. A browser running
    /// on another choice is replaced (on the next reconcile).
    pub fn set_interface(&mut self, choice: Option<String>) {
        let choice = choice.filter(|c| !c.trim().is_empty());
        if choice == self.interface {
            return;
        }
        self.interface = choice;
        if let Some(mut b) = self.browser.take() {
            b.stop();
            self.retiring_browsers.push(b);
            self.list.clear();
        }
    }

    /// The interface browsing is limited to, as last set.
    pub fn interface(&self) -> Option<&str> {
        self.interface.as_deref()
    }

    /// The servers found.
    pub fn list(&self) -> &LiveList {
        &self.list
    }

    /// The servers found, to record what the user reached and pinned (trust on first use).
    pub fn list_mut(&mut self) -> &mut LiveList {
        &mut self.list
    }

    /// What the server's announcement is doing.
    pub fn announce_state(&self) -> &AnnounceState {
        &self.announce_state
    }

    /// Whether a list of servers can be shown at all.
    pub fn enabled(&self) -> bool {
        !matches!(self.mode, DiscoveryMode::Off)
    }

    /// Applies what the shell reported. Never blocks.
    pub fn drain(&mut self, now: Instant) {
        while let Ok(event) = self.browse_rx.try_recv() {
            self.list.apply(event, now);
        }
        if let DiscoveryMode::Injected(rx) = &self.mode {
            while let Ok(event) = rx.try_recv() {
                self.list.apply(event, now);
            }
        }
        while let Ok(event) = self.announce_rx.try_recv() {
            if let DiscoveryEvent::Problem(p) = event {
                self.announce_state = AnnounceState::Failed(p);
            }
        }
        self.list.expire(now);
        self.retiring_browsers.retain(|b| !b.is_finished());
        self.retiring_announcers.retain(|a| !a.is_finished());
        self.retiring_sayers.retain(|a| !a.is_finished());
        self.retiring_probers.retain(|p| !p.is_finished());
    }

    /// Asks the addresses in `targets` (the setting's text, `None`: ask nothing) directly
    /// whether a TurnChat server is there, while wanted (on the network only). Text that
    /// cannot be read asks nothing; the form says why at the field.
    pub fn reconcile_probe(&mut self, targets: Option<&str>) {
        let network = matches!(self.mode, DiscoveryMode::Network);
        let want = targets.filter(|_| network);
        if self.prober.as_ref().map(|(t, _)| t.as_str()) == want {
            return;
        }
        if let Some((_, Some(mut old))) = self.prober.take() {
            old.stop();
            self.retiring_probers.push(old);
        }
        self.prober = None;
        let Some(text) = want else {
            return;
        };
        let addresses = crate::core::probe_targets::parse_targets(text).unwrap_or_default();
        let prober = if addresses.is_empty() {
            None
        } else {
            let outbox = DiscoveryOutbox::new(self.browse_tx.clone(), Arc::clone(&self.waker));
            Prober::start(addresses, outbox)
        };
        self.prober = Some((text.to_owned(), prober));
    }

    /// Says the connected client's name (`say`), and hears the names a listening server's
    /// clients say (`hear`), so that exactly what is wanted runs (on the network only).
    pub fn reconcile_names(&mut self, say: Option<SaidName>, hear: bool) {
        let network = matches!(self.mode, DiscoveryMode::Network);
        let say = say.filter(|_| network);
        if self.sayer.as_ref().map(|(s, _)| s) != say.as_ref() {
            if let Some((_, mut old)) = self.sayer.take() {
                old.stop();
                self.retiring_sayers.push(old);
            }
            self.sayer = say.map(|s| (s.clone(), NameSayer::start(s)));
        }
        let hear = hear && network;
        if hear && self.hearer.is_none() {
            // The interfaces discovery uses (no tunnels or virtual adapters).
            let interfaces = crate::net::interfaces::used_ipv4(None);
            self.hearer = Some(NameHearer::start(
                &interfaces,
                self.said_tx.clone(),
                Arc::clone(&self.waker),
            ));
        } else if !hear {
            self.hearer = None;
        }
    }

    /// The names clients said since the last call.
    pub fn take_said(&mut self) -> Vec<SaidName> {
        self.said_rx.try_iter().collect()
    }

    /// Starts or stops browsing and announcing so that exactly what is wanted runs.
    pub fn reconcile(&mut self, browse: bool, announce: Option<WantAnnounce>) {
        let network = matches!(self.mode, DiscoveryMode::Network);
        if browse && network && self.browser.is_none() {
            // The networks the rows belong to (for the names reached before), as the
            // interfaces are now.
            self.list.set_locals(super::browse::local_subnets());
            let outbox = DiscoveryOutbox::new(self.browse_tx.clone(), Arc::clone(&self.waker));
            self.browser = Some(Browser::start_on(outbox, self.interface.as_deref()));
        } else if !browse && let Some(mut b) = self.browser.take() {
            b.stop();
            self.retiring_browsers.push(b);
            self.list.clear();
        }

        let same_role = match (&self.announcer, &announce) {
            (Some((role, ..)), Some(want)) => *role == want.role,
            _ => false,
        };
        if same_role {
            if let (Some((_, sent, a)), Some(want)) = (&mut self.announcer, announce)
                && *sent != want.advert
            {
                a.update(want.advert.clone());
                *sent = want.advert;
            }
            return;
        }
        if let Some((_, _, mut a)) = self.announcer.take() {
            a.stop();
            self.retiring_announcers.push(a);
        }
        self.announce_state = AnnounceState::Off;
        let Some(want) = announce else {
            return;
        };
        if !network {
            return;
        }
        match want.on {
            None => self.announce_state = AnnounceState::Loopback,
            Some(on) => {
                // A server bound to every interface announces on the chosen one only.
                let on = match (on, self.interface.as_deref()) {
                    (AnnounceOn::Everywhere, Some(choice)) => {
                        crate::net::interfaces::chosen_address(choice)
                            .map_or(AnnounceOn::Everywhere, AnnounceOn::Address)
                    }
                    (on, _) => on,
                };
                let outbox =
                    DiscoveryOutbox::new(self.announce_tx.clone(), Arc::clone(&self.waker));
                let name = want.advert.name.clone();
                let a = Announcer::start(want.advert.clone(), on, outbox);
                self.announcer = Some((want.role, want.advert, a));
                self.announce_state = AnnounceState::As(name);
            }
        }
    }

    /// Stops everything and waits for every thread (goodbyes are sent).
    pub fn shutdown(&mut self) {
        self.reconcile(false, None);
        self.reconcile_names(None, false);
        self.reconcile_probe(None);
        self.retiring_probers.clear();
        self.retiring_sayers.clear();
        self.retiring_browsers.clear();
        self.retiring_announcers.clear();
    }
}

impl Drop for Lan {
    fn drop(&mut self) {
        self.shutdown();
    }
}
