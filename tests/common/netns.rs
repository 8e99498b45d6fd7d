//! Network namespaces standing in for computers on one LAN, for the discovery tests: a
//! hub namespace holds a bridge, and each "computer" is a namespace joined to it by a veth
//! pair, with its own address on 10.213.0.0/24 and loopback. Nothing touches the
//! machine's real interfaces. Everything is deleted on drop, also when a test fails.
//!
//! Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and `ip` (iproute2); without them the
//! test fails with a sentence saying so.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A LAN of namespaces, deleted on drop.
pub struct Lan {
    hub: String,
    /// The computers' namespaces, in order; computer `i` has address `10.213.0.(i+1)`.
    pub hosts: Vec<String>,
}

fn ip(args: &[&str]) -> Output {
    Command::new("ip").args(args).output().unwrap_or_else(|e| {
        panic!(
            "The discovery tests need `ip` (iproute2: apt-get install iproute2), which could not be run: {e}"
        )
    })
}

fn must(args: &[&str]) {
    let out = ip(args);
    assert!(
        out.status.success(),
        "`ip {}` failed: {}. The discovery tests create network namespaces and need root \
         (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2; run them as root, as CI does.",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

impl Lan {
    /// `n` computers on one bridge.
    pub fn new(n: usize) -> Lan {
        let run = format!(
            "tc{}x{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut lan = Lan {
            hub: format!("{run}-hub"),
            hosts: Vec::new(),
        };
        must(&["netns", "add", &lan.hub]);
        must(&["-n", &lan.hub, "link", "add", "br0", "type", "bridge"]);
        must(&["-n", &lan.hub, "link", "set", "br0", "up"]);
        for i in 0..n {
            let host = format!("{run}-h{i}");
            must(&["netns", "add", &host]);
            lan.hosts.push(host.clone());
            let port = format!("p{i}");
            must(&[
                "-n", &lan.hub, "link", "add", &port, "type", "veth", "peer", "name", "eth0",
                "netns", &host,
            ]);
            must(&["-n", &lan.hub, "link", "set", &port, "master", "br0"]);
            must(&["-n", &lan.hub, "link", "set", &port, "up"]);
            let addr = format!("{}/24", Lan::addr(i));
            must(&["-n", &host, "addr", "add", &addr, "dev", "eth0"]);
            must(&["-n", &host, "link", "set", "eth0", "up"]);
            must(&["-n", &host, "link", "set", "lo", "up"]);
        }
        lan
    }

    /// Runs `ip -n <computer i> ARGS`; a failure fails the test with a sentence.
    pub fn ip(&self, i: usize, args: &[&str]) {
        let mut all = vec!["-n", self.hosts[i].as_str()];
        all.extend_from_slice(args);
        must(&all);
    }

    /// A computer of its own, off the LAN, joined to computer `i` only by a veth pair:
    /// `near` (in computer `i`, with address `near_addr`, a CIDR) and `eth0` (in the new
    /// one, with `far_addr`), both up, as a VPN's far end would be. Returns its index.
    pub fn far_end(&mut self, i: usize, near: &str, near_addr: &str, far_addr: &str) -> usize {
        let run = self.hub.trim_end_matches("-hub").to_owned();
        let far = format!("{run}-f{}", self.hosts.len());
        must(&["netns", "add", &far]);
        self.hosts.push(far.clone());
        let host = self.hosts[i].clone();
        must(&[
            "-n", &host, "link", "add", near, "type", "veth", "peer", "name", "eth0", "netns", &far,
        ]);
        must(&["-n", &host, "addr", "add", near_addr, "dev", near]);
        must(&["-n", &host, "link", "set", near, "up"]);
        must(&["-n", &far, "addr", "add", far_addr, "dev", "eth0"]);
        must(&["-n", &far, "link", "set", "eth0", "up"]);
        must(&["-n", &far, "link", "set", "lo", "up"]);
        self.hosts.len() - 1
    }

    /// Computer `i`'s address.
    pub fn addr(i: usize) -> String {
        format!("10.213.0.{}", i + 1)
    }

    /// A command run inside computer `i` (`ip netns exec`; it execs, so the child's pid
    /// is the program's).
    pub fn command(&self, i: usize, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.hosts[i], program]);
        c
    }
}

impl Drop for Lan {
    fn drop(&mut self) {
        for host in &self.hosts {
            let _ = ip(&["netns", "del", host]);
        }
        let _ = ip(&["netns", "del", &self.hub]);
    }
}
