//! netcat (OpenBSD `nc`) as a real peer in both roles, with free talk and LF line endings:
//! lines go both ways whenever either side likes, and `bye` (followed by the line ending)
//! ends the conversation. netcat is what people type at; it sends each line as it is
//! entered and shows what arrives as it comes.
//!
//! `tools/check.sh` installs `nc` (netcat-openbsd); without it these tests fail with a
//! sentence saying so.

use std::io::{BufRead, BufReader};

use crate::common::backend::{Events, Started, backend, client, ended, listening, sent, server};
use crate::common::netcat::Netcat;
use crate::common::scratch;
use crate::common::wire::WELCOME;
use turnchat::core::codec::{WireEncoding, encode_guarded};
use turnchat::core::framing::LineEnding;
use turnchat::core::notice::EndReason;
use turnchat::core::turn::TurnPolicy;
use turnchat::net::{ClientConfig, Event, ServerConfig};

/// The conversation's encoding. The text below is ASCII and Chinese, so another encoding
/// that can carry both (UTF-8) is this one line.
const ENCODING: WireEncoding = WireEncoding::Utf8;

/// `text` as the peer's terminal would show or type it in [`ENCODING`].
fn wire(text: &str) -> Vec<u8> {
    encode_guarded(ENCODING, text).expect("the test text fits the encoding")
}

/// `text` typed into netcat, and Enter.
fn wire_line(text: &str) -> Vec<u8> {
    wire(&format!("{text}\n"))
}

/// Waits for the conversation, and checks it has free talk and LF.
fn free_talk_started(events: &mut Events) -> Started {
    let s = crate::common::backend::started(events);
    assert_eq!(
        (s.policy, s.line_ending),
        (TurnPolicy::Free, LineEnding::Lf)
    );
    s
}

/// Waits until the peer's messages, as the window would group them, are `expect`.
fn peer_messages(events: &mut Events, expect: &[&str]) {
    let mut messages: Vec<String> = Vec::new();
    events.until(&format!("peer messages {expect:?}"), |e| {
        if let Event::Received {
            new_message, text, ..
        } = e
        {
            if *new_message || messages.is_empty() {
                messages.push(String::new());
            }
            if let Some(last) = messages.last_mut() {
                last.push_str(text);
            }
        }
        (messages == expect).then_some(())
    });
}

/// The first line of a transcript file says how to read it.
fn header(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("transcript");
    serde_json::from_str(text.lines().next().expect("a first line")).expect("JSON")
}

#[test]
fn netcat_client_and_turnchat_server_talk_freely_in_lines_until_netcat_says_bye() {
    let dir = scratch("nc-client");
    let (mut b, mut events) = backend(&dir);
    b.start_server(ServerConfig {
        encoding: ENCODING,
        policy: TurnPolicy::Free,
        line_ending: LineEnding::Lf,
        max_conversations: 1,
        ..server()
    });
    let local = listening(&mut events);
    let (mut nc, _stderr) = Netcat::spawn(&["127.0.0.1", &local.port().to_string()]);
    let Started {
        link,
        file: transcript,
        ..
    } = free_talk_started(&mut events);

    // The welcome is a line.
    let mut expect = wire(&format!("{WELCOME}\n"));
    nc.shows(&expect);

    // Free talk: TurnChat says two things in a row, netcat shows two lines.
    assert!(link.send("hello from TurnChat".into()));
    sent(&mut events, "hello from TurnChat");
    assert!(link.send("第二句，不用等".into()));
    sent(&mut events, "第二句，不用等");
    expect.extend(wire("hello from TurnChat\n第二句，不用等\n"));
    nc.shows(&expect);

    // netcat types lines; each is a message of its own.
    nc.type_bytes(&wire_line("hi 你好"));
    nc.type_bytes(&wire_line("second line 第二行"));
    peer_messages(&mut events, &["hi 你好", "second line 第二行"]);

    // Turns are off: TurnChat may answer twice again, and netcat once more in between.
    assert!(link.send("ok".into()));
    sent(&mut events, "ok");
    nc.type_bytes(&wire_line("还在"));
    assert!(link.send("收到".into()));
    sent(&mut events, "收到");
    expect.extend(wire("ok\n收到\n"));
    nc.shows(&expect);

    // bye followed by the line ending ends it.
    nc.type_bytes(&wire_line("bye"));
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);
    nc.closes();

    let path = transcript.expect("a transcript file");
    let first = header(&path);
    assert_eq!(first["line_ending"], "lf", "{first}");
    // Read back (History), each line is still a message of its own.
    let read = turnchat::core::history::parse(&std::fs::read_to_string(&path).expect("read"))
        .expect("readable");
    let peer: Vec<&str> = read
        .transcript
        .entries()
        .iter()
        .filter(|e| e.from == turnchat::core::transcript::Speaker::Peer)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(peer, ["hi 你好", "second line 第二行", "还在", "bye"]);
    b.shutdown();
}

#[test]
fn turnchat_client_and_netcat_server_talk_freely_in_lines_until_turnchat_says_bye() {
    let dir = scratch("nc-server");
    // A free port for nc to listen on; nc says when it listens (-v, on stderr).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let (mut nc, stderr) = Netcat::spawn(&["-v", "-l", "127.0.0.1", &port.to_string()]);
    let mut said = String::new();
    BufReader::new(stderr)
        .read_line(&mut said)
        .expect("nc says it listens");
    assert!(said.contains("istening"), "nc said {said:?}");

    let (mut b, mut events) = backend(&dir);
    b.connect(ClientConfig {
        encoding: ENCODING,
        policy: TurnPolicy::Free,
        line_ending: LineEnding::Lf,
        ..client(port)
    });
    let link = free_talk_started(&mut events).link;

    // No welcome from netcat, and none needed: the client may speak first.
    assert!(link.send("你好 server".into()));
    sent(&mut events, "你好 server");
    let mut expect = wire("你好 server\n");
    nc.shows(&expect);

    nc.type_bytes(&wire_line("welcome 欢迎"));
    nc.type_bytes(&wire_line("line two"));
    nc.type_bytes(&wire_line(""));
    peer_messages(&mut events, &["welcome 欢迎", "line two", ""]);

    assert!(link.send("第一".into()));
    assert!(link.send("second".into()));
    sent(&mut events, "second");
    expect.extend(wire("第一\nsecond\n"));
    nc.shows(&expect);

    // bye goes out with the line ending, and ends it.
    assert!(link.bye());
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    expect.extend(b"bye\n");
    nc.shows(&expect);
    nc.closes();
    b.shutdown();
}
