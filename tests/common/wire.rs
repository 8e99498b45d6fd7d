//! What goes on the wire: the reference welcome, and text in GBK.

/// The reference server's welcome, TurnChat's default.
pub const WELCOME: &str = "欢迎您的使用";

/// [`WELCOME`] in GBK, as it goes on the wire.
pub const WELCOME_GBK: [u8; 12] = [
    0xbb, 0xb6, 0xd3, 0xad, 0xc4, 0xfa, 0xb5, 0xc4, 0xca, 0xb9, 0xd3, 0xc3,
];

/// `text` in GBK (it must be GBK text).
pub fn gbk(text: &str) -> Vec<u8> {
    turnchat::core::codec::encode_guarded(turnchat::core::codec::WireEncoding::Gbk, text)
        .expect("GBK text")
}
