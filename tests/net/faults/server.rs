//! Our server: a port in use, permission denied, starting twice on one port, and stopping
//! with a client connected.

use std::io::{self, Write};

use crate::common::backend::{backend_with, ended, listening, role_stopped, server};
use crate::common::raw::{raw_listener, read_to_end};
use crate::common::scratch;
use crate::common::transcript::transcript;
use crate::common::wire::gbk;
use turnchat::core::error::NetError;
use turnchat::core::lang::Say;
use turnchat::core::notice::EndReason;
use turnchat::net::{Event, ServerConfig};

use super::{listener_still_serves, quick, serve_one};

// --- 10. Our server ------------------------------------------------------------------------

#[test]
fn a_port_in_use_is_a_sentence_and_nothing_runs() {
    let (_taken, port) = raw_listener();
    let (mut b, mut events) = backend_with(None, quick());
    let role = b.start_server(ServerConfig { port, ..server() });
    let error = events.until("RoleFailed", |e| match e {
        Event::RoleFailed { error, .. } => Some(error.clone()),
        _ => None,
    });
    assert_eq!(
        error.en(),
        format!(
            "Another program is already using 127.0.0.1:{port}. Close it, or choose another port."
        )
    );
    role_stopped(&mut events, role);
}

#[test]
fn permission_denied_reads_as_a_sentence() {
    // The tests run as root, where binding port 80 succeeds: the classification is tested
    // here, at the unit level.
    let e = NetError::from_listen_on(
        false,
        "0.0.0.0:80",
        80,
        &io::Error::from(io::ErrorKind::PermissionDenied),
    );
    assert_eq!(
        e.en(),
        "This system does not allow TurnChat to listen on 0.0.0.0:80: ports below 1024 need \
         administrator rights. Choose a port from 1024 to 65535, such as 8888."
    );
}

#[test]
fn start_server_twice_on_the_same_port_replaces_the_first() {
    let (mut b, mut events) = backend_with(None, quick());
    let first = b.start_server(server());
    let addr = listening(&mut events);
    let second = b.start_server(ServerConfig {
        port: addr.port(),
        ..server()
    });
    assert_ne!(first, second);
    // The two roles' threads report independently: wait for both, in either order.
    let (mut stopped, mut again) = (false, None);
    events.until("the first stopped and the second listening", |e| {
        match e {
            Event::RoleStopped { role } if *role == first => stopped = true,
            Event::Listening { role, local, .. } if *role == second => again = Some(*local),
            Event::RoleFailed { error, .. } => panic!("{error:?}"),
            _ => {}
        }
        (stopped && again.is_some()).then_some(())
    });
    assert_eq!(again, Some(addr), "the same port, listening again");
    listener_still_serves(&mut events, addr);
}

#[test]
fn stop_server_with_a_client_connected_closes_it_cleanly() {
    let dir = scratch("fault-stop-server");
    let (mut b, mut events, mut peer, s) = serve_one(&dir);
    peer.write_all(&gbk("你好")).expect("write");
    events.peer_message("你好");
    let role = b.active_role().expect("running");
    b.stop();
    assert_eq!(ended(&mut events), EndReason::Stopped);
    role_stopped(&mut events, role);
    assert_eq!(read_to_end(&mut peer).expect("a clean close"), b"");
    let records = transcript(&s.file.expect("file"));
    assert_eq!(
        records.last().map(|r| r.text.clone()),
        Some(EndReason::Stopped.en())
    );
}

// --- 10b. Out of descriptors (issue 22, item 1) -----------------------------------------------

#[test]
fn out_of_descriptors_the_listener_backs_off_and_serves_again() {
    // Under a limit of 256 open files (as macOS gives desktop programs), in a process of
    // its own: both ends of every connection count against it.
    crate::common::process::run_ignored_through(
        &["prlimit", "--nofile=256:256", "--"],
        module_path!(),
        "out_of_descriptors_under_prlimit",
    );
}

#[test]
#[ignore = "run under prlimit by out_of_descriptors_the_listener_backs_off_and_serves_again"]
fn out_of_descriptors_under_prlimit() {
    use crate::common::wire::WELCOME_GBK;
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    use turnchat::core::backoff;
    use turnchat::net::Timeouts;
    let (mut b, mut events) = backend_with(None, Timeouts::default());
    b.start_server(server());
    let addr = listening(&mut events);
    // 300 silent connections: the process runs out of descriptors on the way, in the
    // acceptor's `accept` (EMFILE) and then in our own `connect`, where the loop stops.
    let mut silent = Vec::new();
    let mut refused_here = None;
    for _ in 0..300 {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            Ok(s) => silent.push(s),
            Err(e) => {
                refused_here = Some(e);
                break;
            }
        }
    }
    let error = refused_here.expect("the process ran out of descriptors");
    assert_eq!(error.raw_os_error(), Some(libc::EMFILE), "{error}");
    // Out of descriptors for longer than the old acceptor's 50 tries of 20 ms (then the
    // server gave up its port): now it backs off and never ends the role.
    let deadline = Instant::now() + Duration::from_secs(3);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Some(event) = events.next_within(left) {
            assert!(
                !matches!(event, Event::RoleFailed { .. }),
                "the listener gave up: {event:?}"
            );
        }
    }
    drop(silent);
    // Descriptors are back: a new client is welcomed, within the longest back-off and
    // the time the server takes to see the silent ones leave.
    let mut next = TcpStream::connect_timeout(&addr, crate::common::WAIT).expect("connect");
    next.set_read_timeout(Some(crate::common::WAIT + backoff::MOST))
        .expect("timeout");
    let mut got = vec![0u8; WELCOME_GBK.len()];
    io::Read::read_exact(&mut next, &mut got).expect("the welcome");
    assert_eq!(got, WELCOME_GBK);
}
