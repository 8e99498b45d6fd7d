//! Prints every character that encoding_rs can write in one legacy encoding, with its wire
//! bytes: one line per character, `<code point hex> <bytes hex>`.
//!
//! `tools/gen-strict.py` feeds this to Python's strict codec of the same name to find the
//! characters a Python peer cannot read back, and `tests/net/strict_codecs.rs` does the same on
//! every test run.
//!
//! Usage: `cargo run --example encoder_table -- gbk|gb18030|big5|shift_jis`

use std::io::Write;

fn main() -> std::io::Result<()> {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(encoding) = turnchat::core::codec::WireEncoding::from_flag(&name) else {
        eprintln!("usage: encoder_table gbk|gb18030|big5|shift_jis");
        std::process::exit(2);
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (c, bytes) in turnchat::core::codec::encoder_table(encoding) {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(out, "{:04x} {hex}", u32::from(c))?;
    }
    out.flush()
}
