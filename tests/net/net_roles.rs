//! Both roles over real loopback TCP against Python peers that behave exactly like the
//! reference server and client (blocking `recv(1024)`, strict `decode('gbk')`).

use crate::common::backend::{backend, client, ended, listening, sent, server, started};
use crate::common::peers::{Peer, ref_client, ref_server};
use crate::common::scratch;
use crate::common::wire::WELCOME;
use turnchat::core::lang::Say;
use turnchat::core::notice::EndReason;
use turnchat::core::turn::Turn;
use turnchat::net::{Event, ServerConfig};

#[test]
fn client_chats_with_the_reference_server_until_it_says_bye() {
    let dir = scratch("client-vs-ref-server");
    let (server, port) = ref_server(
        &dir,
        WELCOME,
        &[&["你好客户端，我是服务端", "第二句：天气很好"]],
    );
    let (mut b, mut events) = backend(&dir);
    b.connect(client(port));
    let s = started(&mut events);
    let (link, first, transcript) = (s.link, s.first_turn, s.file);
    assert_eq!(first, Turn::Theirs, "the client waits for the welcome");
    events.peer_message(WELCOME);

    assert!(link.send("你好服务端".into()));
    assert_eq!(sent(&mut events, "你好服务端").turn, Turn::Theirs);
    events.peer_message("你好客户端，我是服务端");
    assert!(link.send("多行\n第二行".into()));
    sent(&mut events, "多行\n第二行");
    events.peer_message("第二句：天气很好");
    assert!(link.send("好的".into()));
    sent(&mut events, "好的");
    // The server's script has run out: its operator types bye.
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);

    let (code, log) = server.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(
        Peer::texts(&log, "recv"),
        ["你好服务端", "多行\n第二行", "好的"]
    );
    let first_recv = log.iter().find(|v| v["event"] == "recv").expect("recv");
    assert_eq!(first_recv["hex"], "c4e3bac3b7fecef1b6cb");

    // The live transcript has every message with its exact bytes.
    let path = transcript.expect("a transcript file");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
        .expect("read transcript")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let peer_hex: String = lines
        .iter()
        .filter(|v| v["from"] == "peer")
        .map(|v| v["hex"].as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .concat();
    assert!(
        peer_hex.starts_with("bbb6d3adc4fab5c4cab9d3c3"),
        "{peer_hex}"
    );
    assert!(
        peer_hex.ends_with(&turnchat::core::codec::to_hex(b"bye")),
        "{peer_hex}"
    );
    let mine: Vec<&str> = lines
        .iter()
        .filter(|v| v["from"] == "me")
        .filter_map(|v| v["text"].as_str())
        .collect();
    assert_eq!(mine, ["你好服务端", "多行\n第二行", "好的"]);
    for v in &lines {
        assert!(
            v["at"]
                .as_str()
                .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
            "{v}"
        );
        assert!(v["session"].is_string() && v["peer"].is_string(), "{v}");
    }
    assert_eq!(lines.last().expect("lines")["from"], "system");
}

#[test]
fn client_says_bye_and_the_reference_server_sees_it() {
    let dir = scratch("client-bye");
    let (server, port) = ref_server(&dir, WELCOME, &[&["不会用到"]]);
    let (mut b, mut events) = backend(&dir);
    b.connect(client(port));
    let link = started(&mut events).link;
    events.peer_message(WELCOME);
    assert!(link.bye());
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    let (code, log) = server.finish();
    assert_eq!(code, 0);
    assert!(log.iter().any(|v| v["event"] == "bye_received"), "{log:#?}");
    assert!(events.until("RoleStopped", |e| {
        matches!(e, Event::RoleStopped { .. }).then_some(true)
    }));
}

#[test]
fn server_chats_with_the_reference_client_and_serves_the_next_one() {
    let dir = scratch("server-vs-ref-client");
    let (mut b, mut events) = backend(&dir);
    // One client at a time, exactly like the reference (tests/many.rs covers many at once).
    b.start_server(ServerConfig {
        max_conversations: 1,
        ..server()
    });
    let port = listening(&mut events).port();
    let first = ref_client(&dir, port, &["你好服务端", "我是第一个客户端"], "one");
    // The second client connects now and waits in the backlog, as with the reference.
    let second = ref_client(&dir, port, &["我是第二个"], "two");

    let s = started(&mut events);
    let (link, turn) = (s.link, s.first_turn);
    assert_eq!(turn, Turn::Mine, "the welcome is the server's first turn");
    assert_eq!(sent(&mut events, WELCOME).turn, Turn::Theirs);
    events.peer_message("你好服务端");
    assert!(link.send("你好，客户端".into()));
    sent(&mut events, "你好，客户端");
    events.peer_message("我是第一个客户端");
    assert!(link.send("收到".into()));
    sent(&mut events, "收到");
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);
    let (code, log) = first.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), [WELCOME, "你好，客户端", "收到"]);
    assert_eq!(
        log.iter().find(|v| v["event"] == "recv").expect("recv")["hex"],
        "bbb6d3adc4fab5c4cab9d3c3"
    );

    // The server goes back to waiting and welcomes the queued client.
    let link = started(&mut events).link;
    sent(&mut events, WELCOME);
    events.peer_message("我是第二个");
    // This time the server says bye.
    assert!(link.bye());
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    let (code, log) = second.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert!(log.iter().any(|v| v["event"] == "bye_received"), "{log:#?}");

    b.stop();
    assert!(events.until("RoleStopped", |e| {
        matches!(e, Event::RoleStopped { .. }).then_some(true)
    }));
}

#[test]
fn empty_welcome_gives_the_server_the_first_turn() {
    let dir = scratch("empty-welcome");
    let (mut b, mut events) = backend(&dir);
    b.start_server(ServerConfig {
        welcome: String::new(),
        ..server()
    });
    let port = listening(&mut events).port();
    // The reference client blocks in recv until the server operator speaks.
    let client = ref_client(&dir, port, &["收到你的第一句"], "one");
    let s = started(&mut events);
    let (link, turn) = (s.link, s.first_turn);
    assert_eq!(turn, Turn::Mine);
    assert!(link.send("服务端先说".into()));
    assert_eq!(sent(&mut events, "服务端先说").turn, Turn::Theirs);
    events.peer_message("收到你的第一句");
    assert!(link.bye());
    ended(&mut events);
    let (code, log) = client.finish();
    assert_eq!(code, 0);
    assert_eq!(Peer::texts(&log, "recv"), ["服务端先说", "bye"]);
}

#[test]
fn unencodable_text_is_refused_and_never_reaches_the_wire() {
    let dir = scratch("refusals");
    let (server, port) = ref_server(&dir, WELCOME, &[&["好"]]);
    let (mut b, mut events) = backend(&dir);
    b.connect(client(port));
    let link = started(&mut events).link;
    events.peer_message(WELCOME);
    assert!(link.send("价格是 5€ 😀".into()));
    events.until("SendRefused", |e| match e {
        Event::SendRefused { error, .. } => {
            let s = error.en();
            assert!(s.contains("U+20AC") && s.contains("U+1F600"), "{s}");
            Some(())
        }
        _ => None,
    });
    // Still our turn after a refusal.
    assert!(link.send("一".into()));
    sent(&mut events, "一");
    events.peer_message("好");
    assert!(link.bye());
    ended(&mut events);
    let (code, log) = server.finish();
    assert_eq!(
        code, 0,
        "the reference server never saw undecodable bytes: {log:#?}"
    );
    assert_eq!(Peer::texts(&log, "recv"), ["一", "bye"]);
}

#[test]
fn sending_out_of_turn_is_refused_but_bye_is_not() {
    let dir = scratch("out-of-turn");
    // A server that accepts and stays silent: the client never gets its turn.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (mut b, mut events) = backend(&dir);
    b.connect(client(port));
    let (mut silent, _) = listener.accept().expect("accept");
    let link = started(&mut events).link;
    assert!(link.send("抢先说".into()));
    let error = events.until("SendRefused", |e| match e {
        Event::SendRefused { error, text, .. } => {
            assert_eq!(text, "抢先说", "the refused text comes back");
            Some(error.en())
        }
        _ => None,
    });
    assert!(error.contains("other side's turn"), "{error:?}");
    assert!(link.bye());
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    let mut got = Vec::new();
    std::io::Read::read_to_end(&mut silent, &mut got).expect("read until close");
    assert_eq!(got, b"bye", "only bye reached the wire, then a clean close");
}

#[test]
fn typing_bye_as_a_message_ends_the_conversation_like_the_button() {
    let dir = scratch("typed-bye");
    let (server, port) = ref_server(&dir, WELCOME, &[&["不会用到"]]);
    let (mut b, mut events) = backend(&dir);
    b.connect(client(port));
    let link = started(&mut events).link;
    events.peer_message(WELCOME);
    assert!(link.send("bye".into()));
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    let (code, log) = server.finish();
    assert_eq!(code, 0);
    assert_eq!(Peer::texts(&log, "recv"), ["bye"]);
    assert!(log.iter().any(|v| v["event"] == "bye_received"), "{log:#?}");
}
