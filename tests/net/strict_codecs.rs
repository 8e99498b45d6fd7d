//! The send guard agrees with Python's strict codecs, which the peers people run use:
//! for GBK, GB18030, Big5 and Shift_JIS, every character TurnChat agrees to send decodes
//! back to itself in Python, and every character it refuses is one Python cannot read
//! back (or one encoding_rs cannot write). UTF-8 sends every character.

use std::io::Write;
use std::process::Stdio;

use turnchat::core::codec::{WireEncoding, can_send_char, encode_guarded, encoder_table, to_hex};

/// Python's verdict on each (character, bytes): does `bytes.decode(codec)` give the character?
fn python_verdicts(codec: &str, table: &[(char, Vec<u8>)]) -> Vec<bool> {
    let mut input = String::with_capacity(table.len() * 16);
    for (c, bytes) in table {
        input.push_str(&format!("{:x} {}\n", u32::from(*c), to_hex(bytes)));
    }
    let script = r#"
import sys
codec = sys.argv[1]
out = []
for line in sys.stdin:
    cp, hx = line.split()
    try:
        ok = bytes.fromhex(hx).decode(codec) == chr(int(cp, 16))
    except UnicodeDecodeError:
        ok = False
    out.append('1' if ok else '0')
sys.stdout.write('\n'.join(out) + '\n')
"#;
    let mut child = crate::common::peers::python()
        .args(["-c", script, codec])
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
    assert!(out.status.success(), "python3 failed for {codec}");
    String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| l == "1")
        .collect()
}

/// Checks every character encoding_rs can write in `encoding`; returns how many are refused.
fn guard_matches_python(encoding: WireEncoding) -> usize {
    let table = encoder_table(encoding);
    let verdicts = python_verdicts(encoding.flag(), &table);
    assert_eq!(verdicts.len(), table.len());
    let mut disagreements = Vec::new();
    for ((c, _), python_ok) in table.iter().zip(&verdicts) {
        if can_send_char(encoding, *c) != *python_ok {
            disagreements.push(format!("U+{:04X} python={python_ok}", u32::from(*c)));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{encoding:?}: {} disagreements: {:?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(40)]
    );
    verdicts.iter().filter(|ok| !**ok).count()
}

// The refusal counts pin today's tables: a change means encoding_rs or Python changed theirs
// (then run tools/gen-strict.py and look at what moved).

#[test]
fn the_gbk_guard_matches_pythons_gbk_codec_exactly() {
    // € (0x80), the Private Use characters encoding_rs maps into GBK, and the GB18030
    // additions.
    assert_eq!(guard_matches_python(WireEncoding::Gbk), 2_166);
}

#[test]
fn the_gb18030_guard_matches_pythons_gb18030_codec_exactly() {
    // Python's gb18030 is the 2000/2005 mapping; encoding_rs follows GB18030-2022, which
    // moved a few characters out of the Private Use Area.
    assert_eq!(guard_matches_python(WireEncoding::Gb18030), 20);
}

#[test]
fn the_big5_guard_matches_pythons_big5_codec_exactly() {
    assert_eq!(guard_matches_python(WireEncoding::Big5), 1_210);
}

#[test]
fn the_shift_jis_guard_matches_pythons_shift_jis_codec_exactly() {
    assert_eq!(guard_matches_python(WireEncoding::ShiftJis), 456);
}

#[test]
fn the_issues_examples_are_refused_and_named() {
    for (encoding, c) in [
        (WireEncoding::ShiftJis, '①'),
        (WireEncoding::Big5, '嘅'),
        (WireEncoding::Big5, '碁'),
        (WireEncoding::Gbk, '€'),
    ] {
        let err = encode_guarded(encoding, &format!("a{c}b")).expect_err("refused");
        assert_eq!(err.encoding, encoding);
        assert_eq!(err.chars, vec![c]);
    }
    // The same characters where the peer can read them.
    assert!(encode_guarded(WireEncoding::Gbk, "①嘅碁").is_ok());
    assert!(encode_guarded(WireEncoding::ShiftJis, "碁").is_ok());
}

#[test]
fn nothing_lossy_is_ever_produced() {
    for encoding in [
        WireEncoding::Gbk,
        WireEncoding::Big5,
        WireEncoding::ShiftJis,
    ] {
        for text in ["😀", "a€b", "\u{E000}", "\u{FE10}", "𠀀"] {
            let err = encode_guarded(encoding, text).expect_err(text);
            assert!(!err.chars.is_empty());
        }
    }
    for encoding in WireEncoding::ALL {
        let ok = encode_guarded(encoding, "hello, world\n").expect("ASCII");
        assert_eq!(ok, b"hello, world\n");
    }
    let ok = encode_guarded(WireEncoding::Gbk, "你好, world\n").expect("plain GBK");
    assert!(!ok.windows(2).any(|w| w == b"&#"));
    // UTF-8 and GB18030 carry every character Python can read back.
    let all = "😀𠀀\u{E000}€";
    assert_eq!(
        encode_guarded(WireEncoding::Utf8, all).expect("utf-8"),
        all.as_bytes()
    );
    assert!(encode_guarded(WireEncoding::Gb18030, "😀𠀀€").is_ok());
}
