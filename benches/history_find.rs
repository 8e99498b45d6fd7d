//! Find in History (issue 25 item 3) over a History of 1,000 files / 200 MB: the time to
//! the first hit and to all hits, against a plain `grep -c` of the same files in the same
//! run (the time a streaming read of those bytes takes).
//!
//! The files are made in a temporary folder: class transcripts in JSON Lines (what the live
//! transcript writes, in class folders), and one in twenty a plain-text export. Three
//! queries: "第3题", which one message in a hundred asks about (every file has hits);
//! "apple", which one message in the whole History says, as "ＡＰＰＬＥ"; and "斑马",
//! which none does. grep looks for each as the files spell it. The files are read once
//! before timing, so both the search and grep read from the page cache.
//!
//! `cargo bench --bench history_find` (3 runs each, the median printed);
//! `cargo test --benches` runs it once on 10 files as a smoke test.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use turnchat::core::lang::Lang;
use turnchat::core::transcript::Entry;
use turnchat::desktop::history_find::{FindReport, Search, history_files, run};

/// How an entry is shown: notices in the window's words, as the app has it.
fn shown(entry: &Entry, lang: Lang) -> Cow<'_, str> {
    turnchat::state::find::entry_text(entry, lang)
}

/// One JSON Lines record as the live transcript writes it.
fn record(i: usize, from: &str, text: &str) -> String {
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let hex: String = gbk.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        r#"{{"at":"2026-11-25T14:{:02}:{:02}.{:03}+08:00","session":"20261125T140211-42-{i}","peer":"192.168.1.{}:51234","from":"{from}","text":"{text}","hex":"{hex}"}}"#,
        (i / 60) % 60,
        i % 60,
        i % 1000,
        i % 250
    ) + "\n"
}

/// A message of a classroom: one in a hundred asks about question 3, one in the whole
/// History says "ＡＰＰＬＥ" (in full-width capitals).
fn message(i: usize) -> String {
    match i {
        RARE => "老师，ＡＰＰＬＥ是什么意思？".to_owned(),
        i if i % 100 == 3 => format!("老师，第3题的答案是不是B？（{i}）"),
        i if i % 2 == 0 => format!("我写完了，请检查一下第{}页。Page {i} done.", i % 50),
        _ => format!("好的，谢谢。Next one: {i}"),
    }
}

/// The one message that says "ＡＰＰＬＥ" (about two thirds into the full History).
const RARE: usize = 777_777;

/// Writes `files` files of about `bytes` each under `dir`; returns the bytes written.
fn make_history(dir: &Path, files: usize, bytes: usize) -> u64 {
    let mut total = 0;
    let mut n = 0;
    for f in 0..files {
        let class = dir.join(format!("class 2026-11-{:02} 14-00", 1 + f / 50));
        std::fs::create_dir_all(&class).expect("class folder");
        let mut text = String::with_capacity(bytes + 1024);
        let path = if f % 20 == 19 {
            text.push_str("TurnChat conversation\nThis computer (server): 192.168.1.5:8888\nOther side (client):  192.168.1.7:51234\nStarted:  2026-11-25 14:00:00 +08:00\nEnded:    2026-11-25 15:00:00 +08:00\nEncoding: GBK\nSession:  s\n\n");
            while text.len() < bytes {
                let who = if n % 2 == 0 {
                    "192.168.1.7:51234"
                } else {
                    "Me"
                };
                text.push_str(&format!(
                    "[14:{:02}:{:02}] {who}: {}\n",
                    (n / 60) % 60,
                    n % 60,
                    message(n)
                ));
                n += 1;
            }
            dir.join(format!("TurnChat 2026-11-25 14-00-00 file-{f}.txt"))
        } else {
            while text.len() < bytes {
                let from = if n % 2 == 0 { "peer" } else { "me" };
                text.push_str(&record(n, from, &message(n)));
                n += 1;
            }
            class.join(format!("2026-11-25_14-00-{f:04}_192.168.1.7_51234.jsonl"))
        };
        total += text.len() as u64;
        std::fs::write(path, text).expect("write");
    }
    total
}

/// One search over `files`: the time to the first hit, to all of them, and how many.
fn search_once(dir: &Path, files: &[PathBuf], query: &str) -> (Duration, Duration, usize) {
    let search = Search {
        id: 1,
        dir: dir.to_path_buf(),
        query: query.into(),
        match_bytes: false,
        lang: Lang::ZhCn,
        shown,
    };
    let (_keep, cancel) = crossbeam_channel::bounded::<()>(0);
    let started = Instant::now();
    let mut first = None;
    let mut hits = 0;
    run(&search, files, &cancel, &mut |report| {
        if let FindReport::Found { found, .. } = &report {
            first.get_or_insert_with(|| started.elapsed());
            hits += found.total;
        }
        true
    });
    (first.unwrap_or_default(), started.elapsed(), hits)
}

/// `grep -c` of the same literal over the same files: the time, and the lines it counted.
fn grep_once(files: &[PathBuf], literal: &str) -> Option<(Duration, usize)> {
    let started = Instant::now();
    let out = Command::new("grep")
        .arg("-c")
        .arg("-F")
        .arg("--")
        .arg(literal)
        .args(files)
        .output()
        .ok()?;
    let elapsed = started.elapsed();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.rsplit(':').next()?.parse::<usize>().ok())
        .sum();
    Some((elapsed, lines))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (files, bytes, runs) = if full {
        (1000, 200 * 1024, 3)
    } else {
        (10, 20 * 1024, 1)
    };
    let dir = std::env::temp_dir().join(format!("turnchat-bench-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let total = make_history(&dir, files, bytes);
    let list = history_files(&dir);
    assert_eq!(list.len(), files);
    // Warm the page cache for both.
    for f in &list {
        let _ = std::fs::read(f);
    }
    println!(
        "history_find: {files} files, {:.1} MB ({runs} runs each, medians)",
        total as f64 / 1e6
    );
    for (query, literal) in [
        ("第3题", "第3题"),
        ("apple", "ＡＰＰＬＥ"),
        ("斑马", "斑马"),
    ] {
        let (mut first, mut all, mut grep) = (Vec::new(), Vec::new(), Vec::new());
        let (mut hits, mut grep_lines) = (0, 0);
        for _ in 0..runs {
            let (f, a, h) = search_once(&dir, &list, query);
            first.push(f);
            all.push(a);
            hits = h;
            if let Some((g, lines)) = grep_once(&list, literal) {
                grep.push(g);
                grep_lines = lines;
            }
        }
        let (first, all) = (median(first), median(all));
        let first = if hits == 0 {
            "no hit".to_owned()
        } else {
            format!("first hit {:.1} ms", first.as_secs_f64() * 1e3)
        };
        print!(
            "history_find {query:?}: {first}, all {hits} hits {:.0} ms",
            all.as_secs_f64() * 1e3
        );
        if grep.is_empty() {
            println!("; grep not found, no baseline");
        } else {
            let grep = median(grep);
            println!(
                "; grep -c -F {literal:?}: {:.0} ms ({grep_lines} lines); ratio {:.1}",
                grep.as_secs_f64() * 1e3,
                all.as_secs_f64() / grep.as_secs_f64()
            );
        }
    }
    // The peak resident memory of this whole process (making the files included), where
    // the system says it: the search holds one file and its hits at a time.
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        println!(
            "history_find: peak resident memory of the bench process: {}",
            peak[6..].trim()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
