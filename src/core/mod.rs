//! The pure core: no egui, no sockets, no files, no clocks.
//!
//! Everything here is deterministic and unit-tested with byte fixtures; the network shell
//! (`crate::net`) and the UI (`crate::ui`) call into it.
pub mod address;
pub mod backoff;
pub mod bounded;
pub mod class_csv;
pub mod coalesce;
pub mod codec;
pub mod conversation;
pub mod detect;
pub mod discovery;
pub mod discovery_line;
pub mod disk_budget;
pub mod display;
pub mod door;
pub mod error;
pub mod export;
pub mod file_hits;
pub mod find;
pub mod find_file;
pub mod find_jsonl;
pub mod framing;
pub mod hexinput;
pub mod history;
pub mod ids;
pub mod lang;
pub mod lookalike;
pub mod mdns_wire;
pub mod notice;
pub mod pacing;
pub mod per_address;
pub mod places;
pub mod probe_targets;
pub mod recent;
pub mod room;
pub mod roster;
pub mod said_name;
pub mod settings;
pub mod strict;
pub mod tofu;
pub mod transcript;
pub mod turn;
pub mod waker;
pub mod why;
