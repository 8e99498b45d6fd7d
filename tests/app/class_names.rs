//! Names for the students' computers (issue 23) in the real app on loopback: a class
//! list names the clients that connect from 127.0.0.2, 127.0.0.3 …, its skipped rows are
//! reported with their lines in the window, and a name the teacher typed for a computer
//! is used again in the next run. Every wait is bounded.

use std::net::SocketAddr;

use crate::common::harness::{harness_with, start_server, wait_until};
use crate::common::raw::RawClient as Client;
use crate::common::scratch;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::{Lang, Say};
use turnchat::core::notice::EndReason;
use turnchat::state::names::{ClassListReport, NameSource};

/// Client `n` (from 127.0.0.{n+2}) connects, is welcomed and says hello; the window has
/// it listed.
fn join(h: &mut Harness<'static, TurnChatApp>, n: usize, server: SocketAddr) -> Client {
    let mut c = Client::connect_from(n, server);
    c.welcomed();
    c.say("老师好");
    let peer = c.local;
    wait_until(h, "the student's message", |a| {
        a.state()
            .sessions
            .values()
            .any(|s| s.peer == peer && s.transcript.entries().iter().any(|e| e.text == "老师好"))
    });
    c
}

#[test]
fn a_class_list_names_the_students_and_reports_its_bad_rows() {
    let dir = scratch("class-names");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let list = dir.join("三班.csv");
    // As Excel writes it on a Chinese Windows: GBK, CRLF.
    let text = "姓名,IP,座位\r\n张三,127.0.0.2,A1\r\n李四,127.0.0.3,A2\r\n王五,not-an-ip,A3\r\n";
    std::fs::write(&list, encoding_rs::GBK.encode(text).0).expect("class list written");
    let options = AppOptions {
        roster: Some(list),
        names_path: Some(dir.join("names.json")),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    match h.state().class_report() {
        Some(ClassListReport::Loaded {
            students, bad_rows, ..
        }) => {
            assert_eq!(*students, 2);
            assert_eq!(bad_rows.len(), 1);
            assert_eq!(bad_rows[0].line, 4);
        }
        other => panic!("the class list was not used: {other:?}"),
    }
    h.get_by_label("Class list: 2 students; 1 row skipped:");
    h.get_by_label_contains("Line 4: \"not-an-ip\" is not an IP address");
    let server = start_server(&mut h);
    let zhang = join(&mut h, 0, server);
    let li = join(&mut h, 1, server);
    let unknown = join(&mut h, 2, server);
    let names = h.state().names();
    let shown = names.resolve(zhang.local).expect("张三 is named");
    assert_eq!(shown.name, "张三");
    assert_eq!(shown.seat.as_deref(), Some("A1"));
    assert_eq!(shown.source, NameSource::ClassList);
    assert_eq!(
        names.resolve(li.local).map(|n| n.name).as_deref(),
        Some("李四")
    );
    assert_eq!(names.resolve(unknown.local), None);
    // The first conversation is on screen: its header says who it is with.
    h.run();
    h.get_by_label("张三");
    h.get_by_label("A1");
    // The list's rows read the names (and seats) before the addresses.
    h.get_by_label_contains(&format!("张三 · A1 · {}", zhang.local));
    h.get_by_label_contains(&format!("李四 · A2 · {}", li.local));

    // The run is a class: its own folder, and class.csv beside the transcripts.
    let folder = h
        .state()
        .class_folder()
        .expect("a class folder")
        .to_path_buf();
    assert_eq!(folder.parent(), Some(dir.join("transcripts").as_path()));
    let name = folder
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    assert!(name.ends_with(&format!("_port-{}", 0)), "{name}");
    let transcripts: Vec<_> = std::fs::read_dir(&folder)
        .expect("the class folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    assert_eq!(transcripts.len(), 3, "{transcripts:?}");
    // 张三 closes the connection: the summary says how it ended.
    let zhang_at = zhang.local;
    drop(zhang);
    let ended = EndReason::PeerClosed.say(Lang::En);
    let csv = folder.join("class.csv");
    wait_until(&mut h, "the summary with the ending", |_| {
        std::fs::read_to_string(&csv).is_ok_and(|t| t.contains(&ended))
    });
    let bytes = std::fs::read(&csv).expect("class.csv");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a BOM, for Excel"
    );
    let text = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "name,seat,address,file,messages from them,messages from me,first,last,how it ended"
    );
    assert_eq!(lines.len(), 4, "{text}");
    let zhang_row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        &zhang_row[..3],
        ["张三", "A1", zhang_at.to_string().as_str()]
    );
    let file = &zhang_row[3];
    assert!(
        folder.join(file).is_file(),
        "{file} is the transcript beside it"
    );
    // Its first transcript line, `connected`, says who it is.
    let first: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(folder.join(file))
            .expect("the transcript")
            .lines()
            .next()
            .expect("a first line"),
    )
    .expect("JSON");
    assert_eq!(first["kind"], "connected");
    assert_eq!(first["name"], "张三");
    assert_eq!(first["seat"], "A1");
    let unknown_file = folder.join(lines[3].split(',').nth(3).expect("its file"));
    let unknown_first = std::fs::read_to_string(&unknown_file).expect("its transcript");
    let unknown_first = unknown_first.lines().next().expect("a first line");
    assert!(!unknown_first.contains("\"name\""), "{unknown_first}");
    // Its message from them; the welcome from us.
    assert_eq!(&zhang_row[4..6], ["1", "1"]);
    assert_eq!(zhang_row[8], ended);
    assert!(
        lines[2].starts_with(&format!("李四,A2,{},", li.local)),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with(&format!(",,{},", unknown.local)),
        "{}",
        lines[3]
    );
    assert!(lines[3].ends_with(",in progress"), "{}", lines[3]);
    // Closing the window stops the others: the summary says so.
    drop(h);
    let text = std::fs::read_to_string(&csv).expect("class.csv");
    let stopped = EndReason::Stopped.say(Lang::En);
    for line in text.lines().skip(2) {
        assert!(line.ends_with(&format!(",{stopped}")), "{line}");
    }
}

#[test]
fn a_typed_name_is_remembered_for_that_computer_in_the_next_run() {
    let dir = scratch("class-typed");
    let names_path = dir.join("data").join("names.json");
    let options = || AppOptions {
        names_path: Some(names_path.clone()),
        ..AppOptions::default()
    };
    {
        let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options());
        h.run();
        let server = start_server(&mut h);
        let student = join(&mut h, 4, server);
        assert_eq!(h.state().names().resolve(student.local), None);
        // F2 puts the keyboard in the name field; Enter keeps the name.
        h.key_press(egui::Key::F2);
        h.run_steps(2);
        h.get_by_label("Student's name").type_text("赵六");
        h.run_steps(2);
        h.key_press(egui::Key::Enter);
        h.run_steps(2);
        assert_eq!(
            h.state()
                .names()
                .resolve(student.local)
                .map(|n| n.name)
                .as_deref(),
            Some("赵六")
        );
        h.get_by_label("赵六");
    }
    assert!(names_path.exists(), "the typed name was saved");
    // The next run: the same computer connects again, from another port.
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options());
    h.run();
    let server = start_server(&mut h);
    let again = join(&mut h, 4, server);
    let shown = h.state().names().resolve(again.local).expect("remembered");
    assert_eq!(shown.name, "赵六");
    assert_eq!(shown.source, NameSource::Typed);
    h.run();
    h.get_by_label("赵六");
}

#[test]
fn every_server_run_is_a_class_even_without_a_class_list() {
    let dir = scratch("class-no-list");
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions::default(),
    );
    h.run();
    assert!(h.state().class_report().is_none(), "no class list");
    let server = start_server(&mut h);
    let student = join(&mut h, 5, server);
    let folder = h
        .state()
        .class_folder()
        .expect("a class folder without a class list")
        .to_path_buf();
    assert_eq!(folder.parent(), Some(dir.join("transcripts").as_path()));
    // Its transcript is in the class folder, not beside it.
    let beside: Vec<_> = std::fs::read_dir(dir.join("transcripts"))
        .expect("the transcripts folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    let csv = folder.join("class.csv");
    let peer = student.local.to_string();
    wait_until(&mut h, "the summary's row", |_| {
        std::fs::read_to_string(&csv).is_ok_and(|t| t.contains(&peer))
    });
    assert_eq!(crate::common::transcript_files(&folder).len(), 1);
}
