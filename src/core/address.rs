//! What the user typed in the host and port fields, checked before anything is tried.

/// The port TurnChat and the reference peers use unless told otherwise.
pub const DEFAULT_PORT: u16 = 8888;

/// A host or port field that cannot be used, as a sentence shown at the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// The host field is empty.
    EmptyHost,
    /// The host has characters no address or name can have.
    BadHost {
        /// What was typed.
        text: String,
    },
    /// The port is not a number from 1 (or 0 for a server) to 65535.
    BadPort {
        /// What was typed.
        text: String,
        /// Whether 0 ("any free port") is allowed.
        allow_zero: bool,
    },
    /// A `HOST:PORT` value without a port.
    MissingPort {
        /// What was typed.
        text: String,
    },
}

/// Checks a port field. A server may use 0 ("any free port"); a client may not.
pub fn parse_port(text: &str, allow_zero: bool) -> Result<u16, FieldError> {
    let trimmed = text.trim();
    match trimmed.parse::<u16>() {
        Ok(0) if !allow_zero => Err(FieldError::BadPort {
            text: trimmed.to_owned(),
            allow_zero,
        }),
        Ok(port) if trimmed.chars().all(|c| c.is_ascii_digit()) => Ok(port),
        _ => Err(FieldError::BadPort {
            text: trimmed.to_owned(),
            allow_zero,
        }),
    }
}

/// Checks a host field: an IPv4/IPv6 address or a host name. Brackets around IPv6 are removed.
pub fn parse_host(text: &str) -> Result<String, FieldError> {
    let trimmed = text.trim();
    let host = trimmed
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(trimmed);
    if host.is_empty() {
        return Err(FieldError::EmptyHost);
    }
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Ok(host.to_owned());
    }
    let name_ok = host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if name_ok {
        Ok(host.to_owned())
    } else {
        Err(FieldError::BadHost {
            text: trimmed.to_owned(),
        })
    }
}

/// Splits `HOST:PORT` (`[v6]:PORT` for IPv6). With `default_host`, a bare `PORT` is allowed.
pub fn parse_host_port(
    text: &str,
    default_host: Option<&str>,
    allow_zero_port: bool,
) -> Result<(String, u16), FieldError> {
    let text = text.trim();
    if let Some(host) = default_host
        && !text.contains(':')
    {
        return Ok((host.to_owned(), parse_port(text, allow_zero_port)?));
    }
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (h, after) = rest.split_once(']').ok_or(FieldError::BadHost {
            text: text.to_owned(),
        })?;
        let port = after.strip_prefix(':').ok_or(FieldError::MissingPort {
            text: text.to_owned(),
        })?;
        (h, port)
    } else {
        match text.rsplit_once(':') {
            Some((h, _)) if h.contains(':') => {
                return Err(FieldError::BadHost {
                    text: text.to_owned(),
                });
            }
            Some(pair) => pair,
            None => {
                return Err(FieldError::MissingPort {
                    text: text.to_owned(),
                });
            }
        }
    };
    Ok((parse_host(host)?, parse_port(port, allow_zero_port)?))
}

/// `host:port`, with brackets for IPv6, for display and for connecting.
pub fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Say;

    #[test]
    fn ports() {
        assert_eq!(parse_port(" 8888 ", false), Ok(8888));
        assert_eq!(parse_port("0", true), Ok(0));
        assert!(parse_port("0", false).is_err());
        assert!(parse_port("65536", true).is_err());
        assert!(parse_port("+80", true).is_err());
        assert!(parse_port("eighty", true).is_err());
        assert_eq!(
            parse_port("x", false).expect_err("bad").en(),
            "“x” is not a port. A port is a whole number from 1 to 65535, such as 8888."
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(parse_host("192.168.1.5"), Ok("192.168.1.5".into()));
        assert_eq!(parse_host("[::1]"), Ok("::1".into()));
        assert_eq!(parse_host("my-pc.local"), Ok("my-pc.local".into()));
        assert_eq!(parse_host("  "), Err(FieldError::EmptyHost));
        assert!(parse_host("a b").is_err());
        assert!(parse_host("1.2.3.4:80").is_err());
    }

    #[test]
    fn host_port_pairs() {
        assert_eq!(
            parse_host_port("127.0.0.1:8888", None, false),
            Ok(("127.0.0.1".into(), 8888))
        );
        assert_eq!(
            parse_host_port("[::1]:9", None, false),
            Ok(("::1".into(), 9))
        );
        assert_eq!(
            parse_host_port("8888", Some("0.0.0.0"), true),
            Ok(("0.0.0.0".into(), 8888))
        );
        assert!(matches!(
            parse_host_port("host", None, false),
            Err(FieldError::MissingPort { .. })
        ));
        assert!(parse_host_port("::1:80", None, false).is_err());
        assert_eq!(join_host_port("::1", 80), "[::1]:80");
    }
}
