//! "Recent" under the client's form (issue 24, item 7), egui_kittest over loopback: a
//! server typed and reached is listed with when, the latest first; one click puts it back
//! in the form; Forget removes it; a typed server that never answered is not listed. In
//! both languages.

use crate::common::harness::{harness_with, wait_until};
use crate::common::{WAIT, scratch};
use crate::discovery_ui::listener;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::Lang;
use turnchat::core::turn::Role;
use turnchat::state::RoleStatus;

struct Words {
    connect: &'static str,
    heading: &'static str,
    reached: &'static str,
    forget: &'static str,
}

fn typed_and_reached_is_recent(lang: Lang, w: &Words, name: &str) {
    let dir = scratch(name);
    let options = AppOptions {
        lang: Some(lang),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.state_mut().form_mut().role = Role::Client;
    h.run();
    assert!(h.query_by_label(w.heading).is_none(), "empty: not shown");

    // A typed server that nothing answers at is not remembered.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_port = closed.local_addr().expect("addr").port();
    drop(closed);
    h.state_mut().form_mut().client_port = closed_port.to_string();
    h.run();
    h.get_by_label(w.connect).click();
    h.run_steps(2);
    wait_until(&mut h, "the connect to fail", |a| {
        a.view_state().status == RoleStatus::Idle
    });
    assert!(h.query_by_label(w.heading).is_none());

    // Two servers typed and reached: the latest first.
    let mut ports = Vec::new();
    for _ in 0..2 {
        let (addr, conns) = listener();
        h.state_mut().form_mut().client_port = addr.port().to_string();
        h.run();
        h.get_by_label(w.connect).click();
        h.run_steps(2);
        let server_side = conns.recv_timeout(WAIT).expect("connected");
        wait_until(&mut h, "connected", |a| {
            matches!(a.view_state().status, RoleStatus::Connected { .. })
        });
        drop(server_side);
        wait_until(&mut h, "the form again", |a| {
            a.view_state().status == RoleStatus::Idle
        });
        ports.push(addr.port());
    }
    h.run();
    h.get_by_label(w.heading);
    let rows: Vec<String> = h
        .query_all_by_label_contains(w.reached)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with(&format!("127.0.0.1:{}   ", ports[1])),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with(&format!("127.0.0.1:{}   ", ports[0])),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.contains(&closed_port.to_string())));

    // One click fills the form; nothing connects by itself.
    h.state_mut().form_mut().client_host = "10.9.9.9".into();
    h.run();
    h.get_by_label(&rows[1]).click();
    h.run();
    let form = h.state_mut().form_mut().clone();
    assert_eq!(
        (form.client_host.as_str(), form.client_port.clone()),
        ("127.0.0.1", ports[0].to_string())
    );
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);

    // Forget takes a row away.
    h.get_all_by_label(w.forget)
        .next()
        .expect("a Forget button")
        .click();
    h.run();
    assert_eq!(h.query_all_by_label_contains(w.reached).count(), 1);
    assert_eq!(h.state_mut().form_mut().recent_servers.len(), 1);
}

#[test]
fn a_server_typed_and_reached_is_recent_in_english() {
    let w = Words {
        connect: "Connect",
        heading: "Recent servers",
        reached: "last reached",
        forget: "Forget",
    };
    typed_and_reached_is_recent(Lang::En, &w, "recent-en");
}

#[test]
fn a_server_typed_and_reached_is_recent_in_chinese() {
    let w = Words {
        connect: "连接",
        heading: "最近连接的服务器",
        reached: "上次连接于",
        forget: "忘记",
    };
    typed_and_reached_is_recent(Lang::ZhCn, &w, "recent-zh");
}
