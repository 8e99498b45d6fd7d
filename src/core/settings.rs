//! What TurnChat remembers between runs. Sockets, channels and transcripts never are.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::address::DEFAULT_PORT;
use super::codec::WireEncoding;
use super::disk_budget::{DEFAULT_CONVERSATION_MIB, DEFAULT_RUN_MIB, DiskBudget};
use super::framing::LineEnding;
use super::turn::Role;
use crate::core::lang::Lang;

/// The reference server's welcome.
pub const DEFAULT_WELCOME: &str = "欢迎您的使用";

/// Everything remembered. Missing fields (files from older versions) take defaults;
/// unknown ones (from newer versions, or `language` from older ones) are ignored.
///
/// This struct is the only list of settings: [`Settings::merge_changes`] and
/// [`SettingsStore`] work field by field without naming the fields, so a new setting is a
/// new field here (with its default), and nothing else.
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
    /// Server: talk with one client at a time, as the Python reference server does
    /// (others wait their turn), instead of with many at once. Default: off.
    pub one_at_a_time: bool,
    /// How many conversations of this run are kept in the window (and listed) before the
    /// oldest ended ones are let go. Their transcript files are never removed. Default: 200.
    pub max_conversations: u32,
    /// Server: how many live conversations one computer may hold (a fair share; those
    /// beyond are refused before any welcome); 0: no limit, for a class behind one NAT
    /// router. Default: 8.
    pub per_address: u32,
    /// Show a system notification when a message arrives while the window is in the
    /// background. Default: on.
    pub notifications: bool,

    // Talking to more than the reference (free talk, line endings, hex, presets).
    /// Server: turns are not enforced (either side may send at any time). Default: off.
    pub server_free_talk: bool,
    /// Client: turns are not enforced. Default: off.
    pub client_free_talk: bool,
    /// Server: what ends each message sent (and splits received text). Default: none.
    pub server_line_ending: LineEnding,
    /// Client: what ends each message sent (and splits received text). Default: none.
    pub client_line_ending: LineEnding,
    /// Every message shows its exact bytes in hex beside its text. Default: off.
    pub show_hex: bool,
    /// Quick-send texts for Ctrl+1 … Ctrl+9 (empty: none). Default: none.
    pub presets: Vec<String>,
    /// The window's language, once the user picked one with the switch (`"zh-CN"` or
    /// `"en"`). Unset: the system's language, read at each start.
    pub lang: Option<Lang>,
    /// Server: announce it on the local network (DNS-SD) while it listens, so clients
    /// list it and connect with one click. Default: on.
    pub announce: bool,
    /// Server: the name clients see in their list; empty means the default (the user's
    /// name and the computer's name).
    pub server_name: String,
    /// Client: when the connection drops without a bye, connect again after growing
    /// waits. Default: off.
    pub reconnect: bool,
    /// The network interface discovery announces and looks for servers on, chosen in
    /// the "Why?" panel; empty: every usable one. Default: empty.
    pub discovery_interface: String,
    /// Server: the class list (a CSV of names and addresses) whose names the window shows
    /// for the students' computers; empty: none.
    pub class_list: String,

    // What transcripts may take on disk.
    /// The most one conversation's transcript file may hold, in MiB (0: no limit); beyond
    /// it, a `cut` line ends the file. Default: 64.
    pub transcript_budget_mib: u64,
    /// The most all the transcript files of one run may hold together, in MiB (0: no
    /// limit). Default: 1024.
    pub transcripts_run_budget_mib: u64,
    /// The conversation list draws each row on one line (a class of 30 on one screen).
    /// Default: off.
    pub compact_list: bool,
    /// The order of the conversation list. Default: the order the clients connected.
    pub list_order: ListOrder,
    /// A live conversation whose peer has said nothing for this many minutes is marked
    /// "silent" in the list; 0: never. Default: 5.
    pub silent_minutes: u32,
    /// Client: the servers typed on the form and reached, the latest first (at most
    /// [`crate::core::recent::RECENT_KEPT`]). Default: none.
    pub recent_servers: Vec<crate::core::recent::RecentServer>,
    /// Client: also ask the addresses in [`Settings::probe_addresses`] directly whether a
    /// TurnChat server is there (servers on other subnets). Default: off.
    pub probe_on: bool,
    /// Client: the addresses, ranges and CIDR blocks to ask, as typed (at most 256
    /// addresses in all; see [`crate::core::probe_targets`]). Default: none.
    pub probe_addresses: String,
}

/// The orders the conversation list can be sorted in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListOrder {
    /// As the clients connected, first on top.
    #[default]
    Connected,
    /// By the students' names (unnamed computers after them, by address).
    Name,
    /// Those waiting for the user's answer first, the longest waiting on top.
    WaitingLongest,
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
            one_at_a_time: false,
            max_conversations: 200,
            per_address: 8,
            notifications: true,
            server_free_talk: false,
            client_free_talk: false,
            server_line_ending: LineEnding::None,
            client_line_ending: LineEnding::None,
            show_hex: false,
            presets: Vec::new(),
            lang: None,
            announce: true,
            server_name: String::new(),
            reconnect: false,
            discovery_interface: String::new(),
            class_list: String::new(),
            transcript_budget_mib: DEFAULT_CONVERSATION_MIB,
            transcripts_run_budget_mib: DEFAULT_RUN_MIB,
            compact_list: false,
            list_order: ListOrder::Connected,
            silent_minutes: 5,
            recent_servers: Vec::new(),
            probe_on: false,
            probe_addresses: String::new(),
        }
    }
}

impl Settings {
    /// The disk budgets for transcripts these settings give.
    pub fn disk_budget(&self) -> DiskBudget {
        DiskBudget::from_mib(self.transcript_budget_mib, self.transcripts_run_budget_mib)
    }

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
    ///
    /// Field by field through the settings' JSON form, so no field is named here.
    pub fn merge_changes(
        remembered: &Settings,
        baseline: &Settings,
        current: &Settings,
    ) -> Settings {
        let object = |s: &Settings| match serde_json::to_value(s) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let mut merged = object(remembered);
        let baseline = object(baseline);
        for (field, value) in object(current) {
            if baseline.get(&field) != Some(&value) {
                merged.insert(field, value);
            }
        }
        let mut merged: Settings =
            serde_json::from_value(Value::Object(merged)).unwrap_or_else(|_| remembered.clone());
        merged.version = remembered.version.max(1);
        merged
    }
}

/// The one owner of the settings while the app runs: what the file holds, what this run
/// started from, and what the window shows now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsStore {
    /// As last read from or written to the file.
    remembered: Settings,
    /// `remembered` with launch flags applied (or, after a save, `current` as saved).
    baseline: Settings,
    /// What the window shows and the user edits.
    current: Settings,
}

impl SettingsStore {
    /// Settings read from the file, with `launch` (flags for this run only) applied on top.
    pub fn new(remembered: Settings, launch: impl FnOnce(&mut Settings)) -> Self {
        let mut baseline = remembered.clone();
        launch(&mut baseline);
        SettingsStore {
            current: baseline.clone(),
            baseline,
            remembered,
        }
    }

    /// What the window shows now.
    pub fn current(&self) -> &Settings {
        &self.current
    }

    /// What the window shows now, to edit.
    pub fn current_mut(&mut self) -> &mut Settings {
        &mut self.current
    }

    /// As last read from or written to the file.
    pub fn remembered(&self) -> &Settings {
        &self.remembered
    }

    /// What the file should hold now, if that differs from what it holds (see
    /// [`Settings::merge_changes`]).
    pub fn to_save(&self) -> Option<Settings> {
        let merged = Settings::merge_changes(&self.remembered, &self.baseline, &self.current);
        (merged != self.remembered).then_some(merged)
    }

    /// `merged` (from [`SettingsStore::to_save`]) was written to the file.
    pub fn saved(&mut self, merged: Settings) {
        self.remembered = merged;
        self.baseline = self.current.clone();
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
    fn every_field_merges_without_being_named() {
        let remembered = Settings::default();
        let baseline = Settings {
            server_port: "7777".into(),
            ..remembered.clone()
        };
        let current = Settings {
            one_at_a_time: true,
            max_conversations: 50,
            notifications: false,
            encoding: WireEncoding::Gb18030,
            ..baseline.clone()
        };
        assert_eq!(
            Settings::merge_changes(&remembered, &baseline, &current),
            Settings {
                one_at_a_time: true,
                max_conversations: 50,
                notifications: false,
                encoding: WireEncoding::Gb18030,
                ..remembered
            }
        );
    }

    #[test]
    fn the_store_saves_only_what_the_user_changed() {
        let remembered = Settings {
            client_port: "9000".into(),
            ..Settings::default()
        };
        let mut store = SettingsStore::new(remembered.clone(), |s| s.server_port = "7777".into());
        assert_eq!(store.current().server_port, "7777");
        assert_eq!(store.to_save(), None, "a launch flag alone is not saved");
        store.current_mut().welcome = "欢迎光临".into();
        let merged = store.to_save().expect("a change");
        assert_eq!(
            merged,
            Settings {
                welcome: "欢迎光临".into(),
                ..remembered.clone()
            }
        );
        store.saved(merged.clone());
        assert_eq!(store.remembered(), &merged);
        assert_eq!(store.to_save(), None, "nothing new since");
        // A later change builds on what was saved, still without the launch flag.
        store.current_mut().notifications = false;
        let again = store.to_save().expect("a change");
        assert_eq!(again.server_port, "8888");
        assert_eq!(again.welcome, "欢迎光临");
        assert!(!again.notifications);
    }

    #[test]
    fn older_files_load_new_fields_take_defaults() {
        // `language` was a field of earlier versions; it is ignored now.
        let old = r#"{"version":1,"role":"Client","client_host":"10.0.0.2","language":"zh-CN"}"#;
        let s = Settings::from_json(old).expect("loads");
        assert_eq!(s.role, Role::Client);
        assert_eq!(s.client_host, "10.0.0.2");
        assert!(!s.one_at_a_time);
        assert_eq!(s.max_conversations, 200);
        assert!(s.notifications);
        assert!(!s.to_json().contains("language"));
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
