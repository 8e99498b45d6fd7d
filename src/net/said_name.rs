//! A client's own name over multicast DNS (`crate::core::said_name`): the client's
//! [`NameSayer`] says it while connected; the server's [`NameHearer`] hears it, with the
//! address of the computer each packet came from (which `mdns-sd` hides, so the packets
//! are read again here, as `super::mdns_listen` does for servers).
//!
//! Each runs one named thread, owned and joined by its handle. The sayer's `mdns-sd`
//! daemon answers queries and repeats the announcement as the crate does, on the
//! interface of the connection's own address only, and says goodbye when stopped.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::Sender;
use mdns_sd::ServiceInfo;

use super::discovery::{daemon, own_host_name, shut_down};
use super::mdns_listen::{PAIRS_KEPT, socket};
use super::spawn_thread;
use crate::core::mdns_wire::txt_records;
use crate::core::said_name::{NAME_SERVICE, SaidName, instance_for, read_said, txt_for};
use crate::core::waker::Waker;

/// Says a client's name until dropped (or stopped), then says goodbye.
pub struct NameSayer {
    commands: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl NameSayer {
    /// Starts saying `said` on the interface of its address. Says nothing when discovery
    /// cannot start here (the teacher's row then shows the address, as before).
    pub fn start(said: SaidName) -> NameSayer {
        let (commands, rx) = crossbeam_channel::bounded::<()>(0);
        let thread = spawn_thread("turnchat-name-say".into(), 0, move || {
            let Ok(daemon) = daemon(Some(*said.at.ip())) else {
                while rx.recv().is_ok() {}
                return;
            };
            let txt = txt_for(&said);
            let props: Vec<(&str, &str)> = txt.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let info = ServiceInfo::new(
                NAME_SERVICE,
                &instance_for(said.at),
                &own_host_name(),
                IpAddr::V4(*said.at.ip()),
                said.at.port(),
                &props[..],
            );
            let registered = info.ok().and_then(|info| {
                let fullname = info.get_fullname().to_owned();
                daemon.register(info).ok().map(|()| fullname)
            });
            while rx.recv().is_ok() {}
            if let Some(fullname) = registered
                && let Ok(done) = daemon.unregister(&fullname)
            {
                let _ = done.recv_timeout(Duration::from_millis(500));
            }
            shut_down(&daemon);
        });
        NameSayer {
            commands: Some(commands),
            thread: thread.ok(),
        }
    }

    /// Asks it to say goodbye and end, without waiting.
    pub fn stop(&mut self) {
        self.commands = None;
    }

    /// Whether its thread has ended (then dropping it does not wait).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for NameSayer {
    fn drop(&mut self) {
        self.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Hears the names clients say, until dropped.
pub struct NameHearer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl NameHearer {
    /// Listens on `interfaces` (IPv4, not loopback); each name heard (each once, from the
    /// computer it names) goes to `out`, followed by `waker.wake()`. `None` if the socket
    /// or the thread could not be had.
    pub fn start(
        interfaces: &[Ipv4Addr],
        out: Sender<SaidName>,
        waker: Arc<dyn Waker>,
    ) -> Option<NameHearer> {
        let socket: UdpSocket = socket(interfaces).ok()?.into();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let thread = spawn_thread("turnchat-name-hear".into(), 0, move || {
            hear(&socket, &thread_stop, &out, waker.as_ref());
        })
        .ok()?;
        Some(NameHearer {
            stop,
            thread: Some(thread),
        })
    }
}

fn hear(socket: &UdpSocket, stop: &AtomicBool, out: &Sender<SaidName>, waker: &dyn Waker) {
    let mut buf = vec![0u8; 9000];
    let mut heard: HashSet<SaidName> = HashSet::new();
    while !stop.load(Ordering::Relaxed) {
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let IpAddr::V4(from) = from.ip() else {
            continue;
        };
        for (_, pairs) in txt_records(&buf[..n], NAME_SERVICE) {
            let Some(said) = read_said(from, &pairs) else {
                continue;
            };
            if heard.len() >= PAIRS_KEPT {
                heard.clear();
            }
            if heard.insert(said.clone()) && out.send(said).is_ok() {
                waker.wake();
            }
        }
    }
}

impl Drop for NameHearer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
