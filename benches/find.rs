//! Find (issue 25) in one conversation of 100,000 messages: the whole scan when the query
//! changes (which is when the first hit and all hits are shown: at once), a keystroke
//! that narrows the query, the frame's sync while the bar is open and nothing new came,
//! one new message arriving, and the same 100,000 messages spread over 30 conversations
//! (Ctrl+Shift+F).
//!
//! `cargo bench --bench find`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use turnchat::core::ids::SessionId;
use turnchat::core::lang::Lang;
use turnchat::core::transcript::Transcript;
use turnchat::state::find::Find;
use turnchat::state::find_all::FindAll;

/// `n` under `cargo bench`; 1,000 under `cargo test --benches` (an unoptimised build,
/// each benchmark once), which checks the same code in a moment.
fn sized(n: usize) -> usize {
    if std::env::args().any(|a| a == "--bench") {
        n
    } else {
        n.min(1000)
    }
}

/// A classroom's messages, in turn from the peer and from us; one in a hundred asks
/// about "第3题", one in a thousand says "apple" (in full-width capitals, once).
fn conversation(n: usize) -> Transcript {
    let at = DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").unwrap_or_default();
    let mut t = Transcript::default();
    for i in 0..n {
        let text = match i {
            i if i % 1000 == 7 => format!("老师，ＡＰＰＬＥ是什么意思？第{i}条"),
            i if i % 100 == 3 => format!("老师，第3题的答案是不是B？（{i}）"),
            i if i % 2 == 0 => format!("我写完了，请检查一下第{}页。Page {i} done.", i % 50),
            _ => format!("好的，谢谢。Next one: {i}"),
        };
        if i % 2 == 0 {
            t.peer_chunk(at, true, &text, text.as_bytes(), 0);
        } else {
            t.sent(at, text.clone(), text.into_bytes());
        }
    }
    t
}

fn opened(query: &str, t: &Transcript) -> Find {
    let mut f = Find::default();
    f.open();
    f.set_query(query);
    f.sync(1, t, Lang::ZhCn);
    f
}

fn one_conversation(c: &mut Criterion) {
    let n = sized(100_000);
    let t = conversation(n);
    let mut group = c.benchmark_group("find_100k_messages");
    group.sample_size(20);
    for (name, query) in [
        ("all_hits_1_in_100", "第3题"),
        ("all_hits_1_in_1000_fullwidth", "apple"),
        ("no_hit", "zebra"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(opened(query, &t).count()));
        });
    }
    group.bench_function("keystroke_narrows_第3_to_第3题", |b| {
        b.iter_batched_ref(
            || opened("第3", &t),
            |f| {
                f.set_query("第3题");
                f.sync(1, &t, Lang::ZhCn);
                black_box(f.count())
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.bench_function("frame_sync_nothing_new", |b| {
        let mut f = opened("第3题", &t);
        b.iter(|| {
            f.sync(1, &t, Lang::ZhCn);
            black_box(f.count())
        });
    });
    group.bench_function("one_new_message", |b| {
        let at = DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").unwrap_or_default();
        b.iter_batched_ref(
            || {
                let f = opened("第3题", &t);
                let mut more = t.clone();
                more.peer_chunk(at, true, "第3题呢？", "第3题呢？".as_bytes(), 0);
                (f, more)
            },
            |(f, more)| {
                f.sync(1, more, Lang::ZhCn);
                black_box(f.count())
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn thirty_conversations(c: &mut Criterion) {
    let n = sized(100_000);
    let all: Vec<(SessionId, Transcript)> = (0..30)
        .map(|i| (SessionId(i), conversation(n / 30)))
        .collect();
    let mut group = c.benchmark_group("find_all_30_conversations_100k_messages");
    group.sample_size(20);
    group.bench_function("all_hits_1_in_100", |b| {
        b.iter(|| {
            let mut found = FindAll::default();
            found.sync(
                "第3题",
                false,
                Lang::ZhCn,
                all.iter().map(|(id, t)| (*id, t)),
            );
            black_box(found.count())
        });
    });
    group.finish();
}

criterion_group!(benches, one_conversation, thirty_conversations);
criterion_main!(benches);
