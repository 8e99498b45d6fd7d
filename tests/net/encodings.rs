//! Every encoding against Python peers that read and write it strictly (`utf-8`,
//! `gb18030`, `big5`, `shift_jis`), in both roles, several turns each; and a conversation
//! switched from GBK to UTF-8 mid-way, with what its transcript file and History say.

use crate::common::backend::{backend, client, ended, listening, sent, server, started};
use crate::common::peers::{Peer, python, ref_client_in, ref_server_in};
use crate::common::scratch;
use turnchat::core::codec::{WireEncoding, to_hex};
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;
use turnchat::net::{ClientConfig, Event, ServerConfig};

/// One encoding's conversation: the server's welcome, what the Python side says, and
/// what TurnChat says, all in characters the codec carries.
struct Case {
    encoding: WireEncoding,
    welcome: &'static str,
    python_says: [&'static str; 2],
    we_say: [&'static str; 3],
}

const CASES: [Case; 4] = [
    Case {
        encoding: WireEncoding::Utf8,
        welcome: "欢迎 😀",
        python_says: ["你好 🙂 𠀀", "ünïcødé ①"],
        we_say: ["你好服务端 😀", "第二句 € ①", "𩸽 and ᚠ"],
    },
    Case {
        encoding: WireEncoding::Gb18030,
        welcome: "欢迎您的使用 😀",
        python_says: ["𠀀 生僻字", "€ 欧元"],
        we_say: ["😀 表情", "第二句", "€ ①"],
    },
    Case {
        encoding: WireEncoding::Big5,
        welcome: "歡迎使用",
        python_says: ["你好，伺服器", "臺灣"],
        we_say: ["收到，謝謝", "繁體中文", "再見前一句"],
    },
    Case {
        encoding: WireEncoding::ShiftJis,
        welcome: "ようこそ",
        python_says: ["こんにちは", "日本語テキスト"],
        we_say: ["ありがとう", "カタカナ漢字", "碁を打つ"],
    },
];

#[test]
fn turnchat_client_talks_to_a_strict_python_server_in_every_encoding() {
    for case in &CASES {
        let codec = case.encoding.flag();
        let dir = scratch(&format!("enc-client-{codec}"));
        let (server, port) = ref_server_in(&dir, codec, case.welcome, &[&case.python_says]);
        let (mut b, mut events) = backend(&dir);
        b.connect(ClientConfig {
            encoding: case.encoding,
            ..client(port)
        });
        let link = started(&mut events).link;
        events.peer_message(case.welcome);
        for (i, line) in case.we_say.iter().enumerate() {
            assert!(link.send((*line).into()));
            let bytes = sent(&mut events, line).bytes;
            assert_eq!(bytes, python_bytes(codec, line), "{codec}: {line}");
            if let Some(reply) = case.python_says.get(i) {
                events.peer_message(reply);
            }
        }
        // Python's script ran out after our third line: its operator typed bye.
        assert_eq!(ended(&mut events), EndReason::PeerSaidBye, "{codec}");
        let (code, log) = server.finish();
        assert_eq!(code, 0, "{codec}: {log:#?}");
        let mut expected: Vec<&str> = case.we_say.to_vec();
        expected.truncate(3);
        assert_eq!(Peer::texts(&log, "recv"), expected, "{codec}");
    }
}

#[test]
fn turnchat_server_talks_to_a_strict_python_client_in_every_encoding() {
    for case in &CASES {
        let codec = case.encoding.flag();
        let dir = scratch(&format!("enc-server-{codec}"));
        let (mut b, mut events) = backend(&dir);
        b.start_server(ServerConfig {
            welcome: case.welcome.into(),
            encoding: case.encoding,
            max_conversations: 1,
            ..server()
        });
        let port = listening(&mut events).port();
        let client = ref_client_in(&dir, codec, port, &case.python_says, codec);
        let link = started(&mut events).link;
        assert_eq!(
            sent(&mut events, case.welcome).bytes,
            python_bytes(codec, case.welcome)
        );
        for (reply, line) in case.python_says.iter().zip(&case.we_say) {
            events.peer_message(reply);
            assert!(link.send((*line).into()));
            sent(&mut events, line);
        }
        // The client's script ran out: its operator types bye.
        assert_eq!(ended(&mut events), EndReason::PeerSaidBye, "{codec}");
        let (code, log) = client.finish();
        assert_eq!(code, 0, "{codec}: {log:#?}");
        assert_eq!(
            Peer::texts(&log, "recv"),
            [case.welcome, case.we_say[0], case.we_say[1]],
            "{codec}"
        );
        b.stop();
    }
}

/// What Python's strict codec writes for `text`.
fn python_bytes(codec: &str, text: &str) -> Vec<u8> {
    let out = python()
        .args([
            "-c",
            "import sys; sys.stdout.write(sys.argv[2].encode(sys.argv[1]).hex())",
            codec,
            text,
        ])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "python cannot encode {text:?} in {codec}"
    );
    turnchat::core::codec::from_hex(&String::from_utf8_lossy(&out.stdout)).expect("hex")
}

#[test]
fn a_gbk_conversation_switched_to_utf8_says_so_in_its_file_and_history_reads_it() {
    let dir = scratch("enc-switch");
    // A UTF-8 Python server, but we start in GBK.
    let (server, port) = ref_server_in(&dir, "utf-8", "好的", &[&["第二句 😀"]]);
    let (mut b, mut events) = backend(&dir);
    // The client's encoding is GBK.
    b.connect(client(port));
    let s = started(&mut events);
    let (link, transcript) = (s.link, s.file);
    // GBK reads the UTF-8 welcome as mojibake.
    events.peer_message("濂界殑");
    assert!(link.set_encoding(WireEncoding::Utf8));
    let (from, to) = events.until("EncodingChanged", |e| match e {
        Event::EncodingChanged { from, to, .. } => Some((*from, *to)),
        _ => None,
    });
    assert_eq!((from, to), (WireEncoding::Gbk, WireEncoding::Utf8));
    assert!(link.send("收到 🙂".into()));
    assert_eq!(sent(&mut events, "收到 🙂").bytes, "收到 🙂".as_bytes());
    events.peer_message("第二句 😀");
    assert!(link.send("再见前".into()));
    sent(&mut events, "再见前");
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);
    let (code, log) = server.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["收到 🙂", "再见前"]);

    // The file: GBK on its first line, a system line carrying UTF-8 at the switch.
    let path = transcript.expect("a transcript file");
    let text = std::fs::read_to_string(&path).expect("read transcript");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines[0]["encoding"], "GBK");
    assert_eq!(lines[0]["turns"], "strict");
    let switch = lines
        .iter()
        .find(|v| v["from"] == "system" && v["encoding"] == "UTF-8")
        .expect("a system line for the switch");
    assert!(
        switch["text"]
            .as_str()
            .is_some_and(|t| t.contains("GBK") && t.contains("UTF-8")),
        "{switch}"
    );
    // History reads each message as it arrived: the welcome in GBK (what the user saw
    // then), the later message in UTF-8.
    let history = turnchat::core::history::parse(&text).expect("history");
    let peer: Vec<&str> = history
        .transcript
        .entries()
        .iter()
        .filter(|e| e.from == Speaker::Peer)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(peer, ["濂界殑", "第二句 😀", "bye"]);
    let peer_hex = to_hex("第二句 😀".as_bytes());
    assert!(text.contains(&peer_hex));
}
