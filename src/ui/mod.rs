//! The views. Each draws one part of the window and returns what the user asked for as
//! an [`Intent`]; only `app/` turns intents into backend calls.

pub mod ask_connect;
pub mod class_list;
pub mod composer;
pub mod conversations;
pub mod discovered;
pub mod door_line;
pub mod encoding;
pub mod find_bar;
pub mod find_results;
pub mod fonts;
pub mod form;
pub mod history;
pub mod history_find;
pub mod recent;
pub mod status;
pub mod style;
pub mod talk_bar;
pub mod toolbar;
pub mod transcript_view;
pub mod why;
pub mod widgets;

use std::path::PathBuf;

use crate::core::codec::WireEncoding;
use crate::core::ids::SessionId;
use crate::desktop::jobs::SaveSource;
use crate::net::{ClientConfig, ServerConfig};

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
    /// Send exactly these bytes (typed in the composer's hex mode) in a session.
    SendBytes {
        /// The session.
        session: SessionId,
        /// The hex as typed.
        typed: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// Read and write a conversation in another encoding from now on (what it already
    /// received is decoded again).
    SetEncoding {
        /// The session.
        session: SessionId,
        /// The new encoding.
        encoding: WireEncoding,
    },
    /// Say bye in a session.
    Bye {
        /// The session.
        session: SessionId,
    },
    /// Say bye in a session and refuse its computer's new connections for this run.
    EndAndBlock(SessionId),
    /// Lift every block of this server run.
    ClearBlocks,
    /// End every live conversation whose peer never said anything.
    EndAllSilent,
    /// Show another conversation of this run.
    Show(SessionId),
    /// Send the shown draft to every live conversation where it is the user's turn.
    SendToAll,
    /// Remove an ended conversation from the list.
    Close(SessionId),
    /// Hide or show the conversation list.
    ToggleList,
    /// Put text on the clipboard.
    Copy(String),
    /// Save a conversation, asking where (native dialog).
    SaveAs(SaveSource),
    /// Save a conversation into the transcripts folder without asking.
    QuickSave(SaveSource),
    /// Open the transcripts folder in the file manager.
    OpenFolder,
    /// Choose a class list with the system's open dialog.
    PickClassList,
    /// Show this server run's class folder in the file manager.
    OpenClassFolder,
    /// The teacher typed a name for this peer's computer (empty: forget it).
    NameComputer {
        /// The conversation's peer.
        peer: std::net::SocketAddr,
        /// The name.
        name: String,
    },
    /// Show this conversation and put the keyboard in its name field (a double click on
    /// the row's name or address).
    NameRow(SessionId),
    /// Show or hide the History panel.
    ToggleHistory,
    /// Read the transcripts folder again.
    RefreshHistory,
    /// Show a past conversation from its file, read-only.
    ShowFile(PathBuf),
    /// Leave a past conversation and show the live one again.
    BackToLive,
    /// Switch the window's language (remembered).
    SetLang(crate::core::lang::Lang),
    /// Something done in the find bar.
    Find(find_bar::FindAction),
    /// Something done with the "Why?" button or panel.
    Why(why::WhyAction),
    /// What the user did in History's find.
    HistoryFind(history_find::HistoryFindAction),
    /// Connect to a server picked from the list of servers found on the network.
    ConnectTo {
        /// Its address.
        host: String,
        /// Its port.
        port: u16,
        /// The name it announced (remembered once connected; a name reached at another
        /// address before asks first).
        name: String,
    },
    /// The answer to "connect to a name at a new address?": `connect` is "Connect anyway".
    AnswerConnect {
        /// Connect (else cancel).
        connect: bool,
    },
    /// Put a recent server in the client's form.
    FillForm {
        /// Its host.
        host: String,
        /// Its port.
        port: u16,
    },
    /// Forget a recent server.
    ForgetRecent {
        /// Its host.
        host: String,
        /// Its port.
        port: u16,
    },
    /// Pin (or unpin) a server's name to its address.
    Pin {
        /// The name it announced.
        name: String,
        /// Its address.
        addr: std::net::SocketAddr,
        /// Pin (else unpin).
        pinned: bool,
    },
}
