//! The send guard agrees with Python's strict `gbk` codec, which the reference peers use:
//! every character TurnChat agrees to send decodes back to itself in Python, and every
//! character it refuses is one Python cannot decode (or one encoding_rs cannot encode).

mod common;

use std::io::Write;
use std::process::Stdio;

use turnchat::core::codec::{WireEncoding, can_send_char, encode_guarded};

#[test]
fn the_send_guard_matches_pythons_gbk_codec_exactly() {
    // Every character encoding_rs's GBK can write, with its bytes.
    let mut table = Vec::new();
    for c in (0u32..=0xFFFF)
        .filter_map(char::from_u32)
        .filter(|c| !c.is_ascii())
    {
        let mut buf = [0; 4];
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        if !unmappable {
            table.push((c, bytes.into_owned()));
        }
    }
    assert!(table.len() > 23_000, "{}", table.len());

    let mut input = String::new();
    for (c, bytes) in &table {
        input.push_str(&format!(
            "{:x} {}\n",
            u32::from(*c),
            turnchat::core::codec::to_hex(bytes)
        ));
    }
    let script = r#"
import sys
for line in sys.stdin:
    cp, hx = line.split()
    try:
        ok = bytes.fromhex(hx).decode('gbk') == chr(int(cp, 16))
    except UnicodeDecodeError:
        ok = False
    print('1' if ok else '0')
"#;
    let mut child = common::python()
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start python3");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::Builder::new()
        .name("feed-python".into())
        .spawn(move || stdin.write_all(input.as_bytes()))
        .expect("spawn");
    let out = child.wait_with_output().expect("python output");
    writer.join().expect("join").expect("write");
    let verdicts: Vec<bool> = String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| l == "1")
        .collect();
    assert_eq!(verdicts.len(), table.len());

    let mut disagreements = Vec::new();
    for ((c, _), python_ok) in table.iter().zip(&verdicts) {
        if can_send_char(WireEncoding::Gbk, *c) != *python_ok {
            disagreements.push(format!("U+{:04X} python={python_ok}", u32::from(*c)));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements: {disagreements:?}",
        disagreements.len()
    );
    let refused = verdicts.iter().filter(|ok| !**ok).count();
    // € (0x80), the Private Use characters encoding_rs maps into GBK, and the 99 GB18030
    // additions: a change here means encoding_rs or Python changed their tables.
    assert_eq!(refused, 2_166);
}

#[test]
fn nothing_lossy_is_ever_produced() {
    for text in ["😀", "a€b", "\u{E000}", "\u{FE10}", "𠀀"] {
        let err = encode_guarded(WireEncoding::Gbk, text).expect_err(text);
        assert!(!err.chars.is_empty());
    }
    let ok = encode_guarded(WireEncoding::Gbk, "你好, world\n").expect("plain GBK");
    assert!(!ok.windows(2).any(|w| w == b"&#"));
}
