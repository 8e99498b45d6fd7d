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

/// `bytes` under `cargo bench`; under `cargo test --benches` (each benchmark run once, as
/// a smoke test, in an unoptimised build) 64 KiB, which checks the same code in a moment.
fn sized(bytes: usize) -> usize {
    if std::env::args().any(|a| a == "--bench") {
        bytes
    } else {
        bytes.min(64 * 1024)
    }
}

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
    let (text, gbk) = chinese(sized(100 * 1024 * 1024));
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

/// 16 MB of ordinary text in each encoding, as its speakers write it.
fn sample(encoding: WireEncoding) -> Vec<u8> {
    let base = match encoding {
        WireEncoding::Big5 => {
            "今天天氣很好，我們下午三點在302會議室開會。請準時到達！Bring the report.\n你好，世界；再見。\n"
        }
        WireEncoding::ShiftJis => {
            "今日は天気がいいです。午後三時に302会議室で会議をします。時間通りに来てください！Bring the report.\nこんにちは、世界。\n"
        }
        WireEncoding::Utf8 | WireEncoding::Gb18030 => {
            "今天天气很好，我们下午三点在302会议室开会。请准时到达！Bring the report. 😀\n你好，世界；再见。\n"
        }
        WireEncoding::Gbk => {
            "今天天气很好，我们下午三点在302会议室开会。请准时到达！Bring the report.\n你好，世界；再见。\n"
        }
    };
    let one = encode_guarded(encoding, base).unwrap_or_default();
    let bytes = encode_guarded(
        encoding,
        &base.repeat(sized(16 * 1024 * 1024) / one.len().max(1) + 1),
    );
    bytes.unwrap_or_default()
}

/// Decoding speed per encoding: ours in 64 KiB reads, and encoding_rs alone on the same
/// bytes (the baseline, from the same run).
fn decode_each_encoding(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_16MB");
    group.sample_size(10);
    for encoding in WireEncoding::ALL {
        let bytes = sample(encoding);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let mut out = String::with_capacity(bytes.len() * 2);
        group.bench_function(format!("{}_64KiB_reads", encoding.flag()), |b| {
            b.iter(|| {
                out.clear();
                let mut decoder = StreamDecoder::new(encoding);
                for chunk in bytes.chunks(64 * 1024) {
                    decoder.decode(chunk, &mut out);
                }
                decoder.finish(&mut out);
                black_box(out.len())
            });
        });
        group.bench_function(format!("{}_encoding_rs_alone", encoding.flag()), |b| {
            b.iter(|| black_box(encoding_rs_alone(encoding, black_box(&bytes), &mut out)));
        });
    }
    group.finish();
}

/// encoding_rs's own streaming decoder, given all the bytes at once into a string with
/// room reserved (what ours does per 64 KiB read, without the reads).
fn encoding_rs_alone(encoding: WireEncoding, bytes: &[u8], out: &mut String) -> usize {
    let e = match encoding {
        WireEncoding::Gbk => encoding_rs::GBK,
        WireEncoding::Gb18030 => encoding_rs::GB18030,
        WireEncoding::Utf8 => encoding_rs::UTF_8,
        WireEncoding::Big5 => encoding_rs::BIG5,
        WireEncoding::ShiftJis => encoding_rs::SHIFT_JIS,
    };
    out.clear();
    let mut decoder = e.new_decoder_without_bom_handling();
    out.reserve(decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(0));
    let _ = decoder.decode_to_string(bytes, out, true);
    out.len()
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

criterion_group!(benches, codec, decode_each_encoding, turns, transcript);
criterion_main!(benches);
