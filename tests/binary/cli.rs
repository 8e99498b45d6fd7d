//! The binary's flags and start-up failures read as sentences, with the right exit codes.

use std::process::Output;

use crate::common::desktop::{log_path, turnchat as turnchat_at};
use crate::common::scratch;

/// Runs the binary on an English system, in a fresh scratch home called `name`.
fn turnchat(name: &str, args: &[&str]) -> Output {
    turnchat_in(name, "C.UTF-8", args)
}

/// Runs the binary with `LANG=lang` (and no other locale variable) and no display, in a
/// fresh scratch home called `name` (so that its log and settings stay out of the real
/// home folder, and each run starts from none).
fn turnchat_in(name: &str, lang: &str, args: &[&str]) -> Output {
    turnchat_at(&scratch(name))
        .env("LANG", lang)
        .args(args)
        .output()
        .expect("run turnchat")
}

#[test]
fn help_lists_the_launch_flags() {
    let out = turnchat("cli-help", &["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--listen <[HOST:]PORT>")
            && text.contains("--connect <HOST:PORT>")
            && text.contains("--one-at-a-time"),
        "{text}"
    );
}

#[test]
fn bad_flags_exit_2_with_a_sentence() {
    let out = turnchat("cli-bad-flags", &["--listen", "99999"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("“99999” is not a port. A port is a whole number from 0 to 65535"),
        "{text}"
    );

    let out = turnchat("cli-bad-flags", &["--connect", "192.168.1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no port. Write it as HOST:PORT"));

    let out = turnchat(
        "cli-bad-flags",
        &["--listen", "8888", "--connect", "127.0.0.1:8888"],
    );
    assert_eq!(out.status.code(), Some(2));

    let out = turnchat("cli-bad-flags", &["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_display_is_a_sentence_not_a_panic() {
    let out = turnchat("cli-no-display", &["--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("TurnChat needs a graphical desktop"),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn a_flag_error_is_also_written_to_the_log_file() {
    // Double-clicked programs have no terminal: the log is where a flag error stays.
    // A fresh home: a log left by an earlier run cannot stand in for this one's.
    let home = scratch("cli-flag-error-log");
    let out = turnchat_at(&home)
        .args(["--listen", "70000"])
        .output()
        .expect("run turnchat");
    assert_eq!(out.status.code(), Some(2));
    let text = std::fs::read_to_string(log_path(&home)).expect("the log file exists");
    assert!(
        text.contains("TurnChat was started with flags it cannot use")
            && text.contains("“70000” is not a port"),
        "{text}"
    );
}

#[test]
fn on_a_chinese_system_help_and_flag_errors_are_chinese() {
    let out = turnchat_in("cli-chinese", "zh_CN.UTF-8", &["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for words in [
        "用法：",
        "选项：",
        "--listen <[HOST:]PORT>",
        "启动时就开启服务器",
        "--lang <zh-CN|en>",
        "显示帮助",
    ] {
        assert!(text.contains(words), "no {words:?} in {text}");
    }

    let out = turnchat_in("cli-chinese", "zh_CN.UTF-8", &["--listen", "99999"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("'--listen <[HOST:]PORT>' 的值 '99999' 无效：“99999”不是有效的端口。")
            && text.contains("运行 'turnchat --help' 查看用法。"),
        "{text}"
    );
    let out = turnchat_in("cli-chinese", "zh_CN.UTF-8", &["--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("TurnChat 没有“fr”这种语言。请用 zh-CN 或 en。")
    );
    let out = turnchat_in("cli-chinese", "zh_CN.UTF-8", &["--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("错误：没有 '--bogus' 这个参数。"));

    // With no display, the sentence is Chinese too; `--lang en` makes it English.
    let out = turnchat_in("cli-chinese", "zh_CN.UTF-8", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TurnChat 需要图形桌面"));
    let out = turnchat_in("cli-chinese", "zh_CN.UTF-8", &["--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TurnChat needs a graphical desktop"));
}

#[test]
fn the_encoding_flag_names_its_choices() {
    let out = turnchat("cli-encoding", &["--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--encoding <ENCODING>"));
    let out = turnchat("cli-encoding", &["--encoding", "ebcdic"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("choose one of gbk, gb18030, utf-8, big5, shift_jis"),
        "{text}"
    );
}
