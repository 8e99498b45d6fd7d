//! The views. Each draws one part of the window and returns what the user asked for as
//! an [`Intent`]; only `app.rs` turns intents into backend calls.

pub mod composer;
pub mod fonts;
pub mod form;
pub mod status;
pub mod style;
pub mod transcript_view;

use crate::net::{ClientConfig, ServerConfig, SessionId};

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Start Server with these settings.
    StartServer(ServerConfig),
    /// Stop Server.
    StopServer,
    /// Connect with these settings.
    Connect(ClientConfig),
    /// Cancel a connect in progress.
    CancelConnect,
    /// Send a message in a session.
    Send {
        /// The session.
        session: SessionId,
        /// The text.
        text: String,
    },
    /// Say bye in a session.
    Bye {
        /// The session.
        session: SessionId,
    },
    /// Show another conversation of this run.
    Show(SessionId),
    /// Put text on the clipboard.
    Copy(String),
}
