//! The desktop shell: the files TurnChat keeps and the work the window hands off, with no
//! egui and no sockets.
//!
//! - [`paths`]: where files live; [`files`]: atomic writes, settings on disk, opening
//!   folders; [`applog`]: the log file, for people who never see a terminal.
//! - [`jobs`]: background work for the window (dialogs, saving, History, notifications),
//!   each on a named thread that reports once; [`file_notice`]: how the last file action
//!   went, as a typed value the catalogue words; [`history_find`]: find in History, the
//!   walk over the saved transcripts on a thread of its own.
//! - [`dialog_start`]: where the file dialogs open (the portal, or zenity without one).
//! - [`locale`]: the system's language; [`firewall`]: whether a firewall is likely to
//!   block discovery or the chat port (for the "Why?" panel).
//! - [`names_file`]: the names a teacher typed for computers, and reading a class list;
//!   [`known_file`]: the server names reached before, per network (trust on first use).

pub mod applog;
pub mod dialog_start;
pub mod file_notice;
pub mod files;
pub mod firewall;
pub mod history_find;
pub mod jobs;
pub mod known_file;
pub mod locale;
pub mod names_file;
pub mod paths;
