//! The transcript reader: any line either parses or says why, never panics; a line that
//! parses writes back to a line that parses to the same record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use turnchat::core::transcript::parse_line;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let Ok(record) = parse_line(&line) else {
        return;
    };
    let hex_len = record.hex.as_ref().map_or(0, String::len);
    assert_eq!(
        record.bytes().len() * 2,
        hex_len,
        "accepted hex decodes whole"
    );
    let again = parse_line(&record.to_line()).expect("a written record reads back");
    assert_eq!(again, record);
});
