//! The pure core's hot paths: GBK decode and guarded encode (100 MB of Chinese text), the
//! turn machine, and building transcript lines.
//!
//! `cargo bench --bench core`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use turnchat::core::codec::{StreamDecoder, WireEncoding, encode_guarded};
use turnchat::core::conversation::Conversation;
use turnchat::core::transcript::{Record, Speaker, Transcript};
use turnchat::core::turn::{Turn, TurnPolicy};

/// Mixed Chinese text with punctuation, Latin and newlines, repeated to `bytes` of GBK.
fn chinese(bytes: usize) -> (String, Vec<u8>) {
    let base = "今天天气很好，我们下午三点在302会议室开会。请准时到达！Bring the report.\n你好，世界；再见。\n";
    let gbk_len = encode_guarded(WireEncoding::Gbk, base)
        .map(|b| b.len())
        .unwrap_or(1);
    let text = base.repeat(bytes / gbk_len + 1);
    let gbk = encode_guarded(WireEncoding::Gbk, &text).unwrap_or_default();
    (text, gbk)
}

fn codec(c: &mut Criterion) {
    let (text, gbk) = chinese(100 * 1024 * 1024);
    let mut group = c.benchmark_group("codec_100MB");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(gbk.len() as u64));
    group.bench_function("decode_gbk_64KiB_reads", |b| {
        let mut out = String::with_capacity(text.len() + 16);
        b.iter(|| {
            out.clear();
            let mut decoder = StreamDecoder::new(WireEncoding::Gbk);
            for chunk in gbk.chunks(64 * 1024) {
                decoder.decode(chunk, &mut out);
            }
            decoder.finish(&mut out);
            black_box(out.len())
        });
    });
    group.bench_function("encode_guarded_gbk", |b| {
        b.iter(|| black_box(encode_guarded(WireEncoding::Gbk, black_box(&text)).map(|v| v.len())));
    });
    group.finish();
}

fn turns(c: &mut Criterion) {
    let (_, gbk) = chinese(4 * 1024);
    let reply = encode_guarded(WireEncoding::Gbk, "收到，谢谢！").unwrap_or_default();
    c.bench_function("conversation_turn_4KiB_in_3_reads_then_reply", |b| {
        let mut conv = Conversation::new(WireEncoding::Gbk, TurnPolicy::Strict, Turn::Theirs);
        b.iter(|| {
            for chunk in gbk.chunks(1500) {
                black_box(conv.receive(chunk));
            }
            if let Ok(out) = conv.prepare("收到，谢谢！") {
                debug_assert_eq!(out.bytes, reply);
                black_box(conv.sent(&out));
            }
        });
    });
}

fn transcript(c: &mut Criterion) {
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").unwrap_or_default();
    let text = "今天天气很好，我们下午去公园散步吧？";
    let bytes = encode_guarded(WireEncoding::Gbk, text).unwrap_or_default();
    c.bench_function("transcript_append_message_and_json_line", |b| {
        // A transcript of 1,000 messages is appended to, then starts afresh (memory stays flat).
        let mut t = Transcript::default();
        b.iter(|| {
            if t.len() >= 1_000 {
                t = Transcript::default();
            }
            t.peer_chunk(at, true, text, &bytes, 0);
            let line = Record::message(
                at,
                "20261125T140211-1-1",
                "192.168.1.7:51234",
                Speaker::Peer,
                text,
                &bytes,
            )
            .to_line();
            black_box(line.len())
        });
    });
}

criterion_group!(benches, codec, turns, transcript);
criterion_main!(benches);
