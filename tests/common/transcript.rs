//! Reading a live transcript file back, line by line, as a script would.

use std::path::Path;

use turnchat::core::transcript::{Record, Speaker, parse_line};

/// Every line of a transcript file, each of which must parse.
pub fn transcript(path: &Path) -> Vec<Record> {
    let text = std::fs::read_to_string(path).expect("read the transcript");
    assert!(text.ends_with('\n'), "the last line is complete");
    text.lines()
        .enumerate()
        .map(|(i, l)| parse_line(l).unwrap_or_else(|e| panic!("line {}: {e:?}: {l}", i + 1)))
        .collect()
}

/// Every byte `from` said, in order.
pub fn bytes_from(records: &[Record], from: Speaker) -> Vec<u8> {
    records
        .iter()
        .filter(|r| r.from == from)
        .flat_map(Record::bytes)
        .collect()
}

/// How many bytes were over the display cap and not kept, in all.
#[allow(dead_code)] // used by net, not by app
pub fn total_cut(records: &[Record]) -> u64 {
    records.iter().filter_map(|r| r.cut).sum()
}
