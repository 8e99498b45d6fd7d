//! Errors a person can meet, each a sentence with a next step.
//!
//! Operating-system errors are classified here into cases people understand; the raw OS
//! text is only appended when the case is not one we know.

use std::io;

/// Something went wrong starting a server or connecting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// Another program is listening on the port.
    AddrInUse {
        /// The address we tried to listen on.
        addr: String,
    },
    /// Permission denied for a port below 1024 on Linux, macOS and the BSDs, where such
    /// ports need administrator rights.
    PrivilegedPort {
        /// The address we tried to listen on.
        addr: String,
    },
    /// Windows denied the port: another program holds it for its exclusive use, or Windows
    /// reserves it (Hyper-V, WSL and Docker reserve ranges). Windows has no privileged ports.
    PortReserved {
        /// The address we tried to listen on.
        addr: String,
    },
    /// Permission denied for a port from 1024 up on a system with privileged ports: a
    /// security policy (SELinux, AppArmor, a sandbox) forbids it, not the port number.
    ListenForbidden {
        /// The address we tried to listen on.
        addr: String,
    },
    /// The host address is not one of this machine's.
    AddrNotAvailable {
        /// The address we tried to listen on.
        addr: String,
    },
    /// The host name could not be resolved.
    NameNotFound {
        /// The name the user typed.
        host: String,
    },
    /// The other machine answered that nothing listens there.
    Refused {
        /// Where we tried to connect.
        addr: String,
    },
    /// No answer within the connect timeout.
    TimedOut {
        /// Where we tried to connect.
        addr: String,
        /// How long we waited, in seconds.
        seconds: u64,
    },
    /// No route to the network or host.
    Unreachable {
        /// Where we tried to connect.
        addr: String,
    },
    /// Any other failure to listen.
    Listen {
        /// The address we tried to listen on.
        addr: String,
        /// The operating system's words.
        detail: String,
    },
    /// Any other failure to connect.
    Connect {
        /// Where we tried to connect.
        addr: String,
        /// The operating system's words.
        detail: String,
    },
}

impl NetError {
    /// Classifies a failure to bind or listen on `addr` (whose port is `port`), as this
    /// system reports it.
    pub fn from_listen(addr: &str, port: u16, err: &io::Error) -> Self {
        Self::from_listen_on(cfg!(windows), addr, port, err)
    }

    /// [`NetError::from_listen`] as Windows (`windows`) or any other system would report
    /// it, so that both can be tested anywhere.
    ///
    /// "Permission denied" means different things: on Windows (`WSAEACCES`) the port is
    /// held exclusively by another program or reserved; elsewhere, for a port below 1024,
    /// administrator rights are missing; for any other port, a security policy refused.
    pub fn from_listen_on(windows: bool, addr: &str, port: u16, err: &io::Error) -> Self {
        let addr = addr.to_owned();
        match err.kind() {
            io::ErrorKind::AddrInUse => NetError::AddrInUse { addr },
            io::ErrorKind::PermissionDenied if windows => NetError::PortReserved { addr },
            io::ErrorKind::PermissionDenied if port < 1024 => NetError::PrivilegedPort { addr },
            io::ErrorKind::PermissionDenied => NetError::ListenForbidden { addr },
            io::ErrorKind::AddrNotAvailable => NetError::AddrNotAvailable { addr },
            _ => NetError::Listen {
                addr,
                detail: err.to_string(),
            },
        }
    }

    /// Classifies a failure to connect to `addr`.
    pub fn from_connect(addr: &str, err: &io::Error, timeout_secs: u64) -> Self {
        let addr = addr.to_owned();
        match err.kind() {
            io::ErrorKind::ConnectionRefused => NetError::Refused { addr },
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => NetError::TimedOut {
                addr,
                seconds: timeout_secs,
            },
            io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                NetError::Unreachable { addr }
            }
            _ => NetError::Connect {
                addr,
                detail: err.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Say;

    #[test]
    fn classified_errors_read_as_sentences_with_the_address() {
        let e = NetError::from_listen(
            "0.0.0.0:8888",
            8888,
            &io::Error::from(io::ErrorKind::AddrInUse),
        );
        assert_eq!(
            e.en(),
            "Another program is already using 0.0.0.0:8888. Close it, or choose another port."
        );
        let e = NetError::from_connect(
            "192.168.1.9:8888",
            &io::Error::from(io::ErrorKind::ConnectionRefused),
            5,
        );
        assert!(
            e.en()
                .starts_with("Nothing is listening on 192.168.1.9:8888.")
        );
        let e = NetError::from_connect("h:1", &io::Error::from(io::ErrorKind::TimedOut), 5);
        assert!(e.en().contains("within 5 seconds"));
    }

    #[test]
    fn permission_denied_is_told_by_what_happened_not_guessed_from_the_port() {
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        // Linux, macOS: a port below 1024 needs administrator rights.
        let e = NetError::from_listen_on(false, "0.0.0.0:80", 80, &denied);
        assert_eq!(
            e,
            NetError::PrivilegedPort {
                addr: "0.0.0.0:80".into()
            }
        );
        // The same error for a higher port is a policy, not the port number.
        let e = NetError::from_listen_on(false, "0.0.0.0:8888", 8888, &denied);
        assert!(!e.en().contains("below 1024"), "{e:?}");
        assert!(e.en().contains("security policy"), "{e:?}");
        // Windows has no privileged ports: WSAEACCES means exclusive use or a reservation,
        // whatever the port.
        for port in [80, 8888] {
            let addr = format!("0.0.0.0:{port}");
            let e = NetError::from_listen_on(true, &addr, port, &denied);
            assert_eq!(e, NetError::PortReserved { addr: addr.clone() });
            assert!(!e.en().contains("below 1024"), "{e:?}");
            assert!(!e.en().contains("administrator"), "{e:?}");
        }
        // WSAEACCES is 10013; std reads it as PermissionDenied, on Windows only.
        #[cfg(windows)]
        assert_eq!(
            io::Error::from_raw_os_error(10013).kind(),
            io::ErrorKind::PermissionDenied
        );
    }
}
