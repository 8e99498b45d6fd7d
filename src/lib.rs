//! TurnChat: a turn-based LAN chat that speaks the classic GBK socket teaching protocol.
pub mod core;
pub mod net;
