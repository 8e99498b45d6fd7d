//! Prints every character that encoding_rs's GBK encoder can write, with its wire bytes:
//! one line per character, `<code point hex> <bytes hex>`. `tools/gen-gbk-strict.py` feeds
//! this to Python's `gbk` codec to find the characters the reference peers cannot read.

use std::collections::BTreeMap;
use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut table: BTreeMap<char, Vec<u8>> = BTreeMap::new();
    for seq in (0x80u16..=0xFF)
        .map(|b| vec![b as u8])
        .chain((0x81u8..=0xFE).flat_map(|lead| {
            (0x40u8..=0xFE)
                .filter(|t| *t != 0x7F)
                .map(move |trail| vec![lead, trail])
        }))
    {
        let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&seq);
        if had_errors || text.chars().count() != 1 {
            continue;
        }
        if let Some(c) = text.chars().next() {
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
            if !unmappable {
                table.entry(c).or_insert_with(|| bytes.into_owned());
            }
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (c, bytes) in table {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(out, "{:04x} {hex}", u32::from(c))?;
    }
    out.flush()
}
