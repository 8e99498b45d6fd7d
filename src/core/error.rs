//! Errors a person can meet, each a sentence with a next step.
//!
//! Operating-system errors are classified here into cases people understand; the raw OS
//! text is only appended when the case is not one we know.

use std::fmt;
use std::io;

/// Something went wrong starting a server or connecting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// Another program is listening on the port.
    AddrInUse {
        /// The address we tried to listen on.
        addr: String,
    },
    /// Ports below 1024 need administrator rights on most systems.
    PermissionDenied {
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
    /// Classifies a failure to bind or listen on `addr`.
    pub fn from_listen(addr: &str, err: &io::Error) -> Self {
        let addr = addr.to_owned();
        match err.kind() {
            io::ErrorKind::AddrInUse => NetError::AddrInUse { addr },
            io::ErrorKind::PermissionDenied => NetError::PermissionDenied { addr },
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

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::AddrInUse { addr } => write!(
                f,
                "Another program is already using {addr}. Close it, or choose another port."
            ),
            NetError::PermissionDenied { addr } => write!(
                f,
                "This system does not allow TurnChat to listen on {addr}: ports below 1024 need \
                 administrator rights. Choose a port from 1024 to 65535, such as 8888."
            ),
            NetError::AddrNotAvailable { addr } => write!(
                f,
                "{addr} is not an address of this computer. Use 0.0.0.0 to listen on all of them."
            ),
            NetError::NameNotFound { host } => write!(
                f,
                "No computer named “{host}” could be found. Check the spelling, or type its IP \
                 address (such as 192.168.1.5)."
            ),
            NetError::Refused { addr } => write!(
                f,
                "Nothing is listening on {addr}. Check that the other side clicked Start Server, \
                 and the address and port."
            ),
            NetError::TimedOut { addr, seconds } => write!(
                f,
                "{addr} did not answer within {seconds} seconds. Check the address, that both \
                 computers are on the same network, and that no firewall blocks the port."
            ),
            NetError::Unreachable { addr } => write!(
                f,
                "{addr} cannot be reached from this computer. Check the address and that you \
                 are connected to the network."
            ),
            NetError::Listen { addr, detail } => {
                write!(f, "TurnChat could not listen on {addr} ({detail}).")
            }
            NetError::Connect { addr, detail } => write!(
                f,
                "TurnChat could not connect to {addr} ({detail}). Check the address and try again."
            ),
        }
    }
}

impl std::error::Error for NetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classified_errors_read_as_sentences_with_the_address() {
        let e = NetError::from_listen("0.0.0.0:8888", &io::Error::from(io::ErrorKind::AddrInUse));
        assert_eq!(
            e.to_string(),
            "Another program is already using 0.0.0.0:8888. Close it, or choose another port."
        );
        let e = NetError::from_connect(
            "192.168.1.9:8888",
            &io::Error::from(io::ErrorKind::ConnectionRefused),
            5,
        );
        assert!(
            e.to_string()
                .starts_with("Nothing is listening on 192.168.1.9:8888.")
        );
        let e = NetError::from_connect("h:1", &io::Error::from(io::ErrorKind::TimedOut), 5);
        assert!(e.to_string().contains("within 5 seconds"));
    }
}
