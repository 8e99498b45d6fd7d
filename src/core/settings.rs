//! What TurnChat remembers between runs. Sockets, channels and transcripts never are.

use serde::{Deserialize, Serialize};

use super::address::DEFAULT_PORT;
use super::codec::WireEncoding;
use super::turn::Role;

/// The reference server's welcome.
pub const DEFAULT_WELCOME: &str = "欢迎您的使用";

/// Everything remembered. Missing fields (files from older versions) take defaults;
/// unknown ones (from newer versions) are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The format version of this file.
    pub version: u32,
    /// The role chosen last.
    pub role: Role,
    /// Server: host to listen on.
    pub server_host: String,
    /// Server: port, as typed.
    pub server_port: String,
    /// Server: welcome text.
    pub welcome: String,
    /// Client: the server's address.
    pub client_host: String,
    /// Client: the server's port, as typed.
    pub client_port: String,
    /// Wire encoding.
    pub encoding: WireEncoding,
    /// UI language (`None`: follow the system).
    pub language: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: 1,
            role: Role::Server,
            server_host: "0.0.0.0".to_owned(),
            server_port: DEFAULT_PORT.to_string(),
            welcome: DEFAULT_WELCOME.to_owned(),
            client_host: "127.0.0.1".to_owned(),
            client_port: DEFAULT_PORT.to_string(),
            encoding: WireEncoding::Gbk,
            language: None,
        }
    }
}

impl Settings {
    /// Reads settings from JSON.
    pub fn from_json(text: &str) -> Result<Settings, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Settings as pretty JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned());
        text.push('\n');
        text
    }

    /// What to remember after a run that started from `baseline` (the remembered settings
    /// with launch flags applied on top) and now stands at `current`: every field the user
    /// changed takes its new value; every other field keeps what `remembered` had, so a
    /// launch flag is never remembered by itself.
    pub fn merge_changes(
        remembered: &Settings,
        baseline: &Settings,
        current: &Settings,
    ) -> Settings {
        fn pick<T: Clone + PartialEq>(remembered: &T, baseline: &T, current: &T) -> T {
            if current != baseline {
                current.clone()
            } else {
                remembered.clone()
            }
        }
        Settings {
            version: remembered.version.max(1),
            role: pick(&remembered.role, &baseline.role, &current.role),
            server_host: pick(
                &remembered.server_host,
                &baseline.server_host,
                &current.server_host,
            ),
            server_port: pick(
                &remembered.server_port,
                &baseline.server_port,
                &current.server_port,
            ),
            welcome: pick(&remembered.welcome, &baseline.welcome, &current.welcome),
            client_host: pick(
                &remembered.client_host,
                &baseline.client_host,
                &current.client_host,
            ),
            client_port: pick(
                &remembered.client_port,
                &baseline.client_port,
                &current.client_port,
            ),
            encoding: pick(&remembered.encoding, &baseline.encoding, &current.encoding),
            language: pick(&remembered.language, &baseline.language, &current.language),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_flags_are_not_remembered_but_user_changes_are() {
        let remembered = Settings {
            client_port: "9000".into(),
            ..Settings::default()
        };
        // Launched with --listen 7777: the form shows 7777, the file must keep 8888.
        let baseline = Settings {
            role: Role::Server,
            server_port: "7777".into(),
            ..remembered.clone()
        };
        let untouched = Settings::merge_changes(&remembered, &baseline, &baseline);
        assert_eq!(untouched, remembered);
        // The user edits the welcome: only that changes.
        let edited = Settings {
            welcome: "欢迎光临".into(),
            ..baseline.clone()
        };
        let merged = Settings::merge_changes(&remembered, &baseline, &edited);
        assert_eq!(
            merged,
            Settings {
                welcome: "欢迎光临".into(),
                ..remembered
            }
        );
    }

    #[test]
    fn json_round_trip() {
        let s = Settings {
            role: Role::Client,
            client_host: "192.168.1.9".into(),
            ..Settings::default()
        };
        assert_eq!(Settings::from_json(&s.to_json()), Ok(s));
        assert!(Settings::from_json("[1,2]").is_err());
    }
}
