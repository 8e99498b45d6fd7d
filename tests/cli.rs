//! The binary's flags and start-up failures read as sentences, with the right exit codes.

use std::process::Command;

fn turnchat(args: &[&str]) -> std::process::Output {
    let scratch = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch/cli");
    Command::new(env!("CARGO_BIN_EXE_turnchat"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        // Keep the log file and settings of these runs out of the real home folder.
        .env("XDG_DATA_HOME", scratch.join("data"))
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .output()
        .expect("run turnchat")
}

#[test]
fn help_lists_the_launch_flags() {
    let out = turnchat(&["--help"]);
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
    let out = turnchat(&["--listen", "99999"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("“99999” is not a port. A port is a whole number from 0 to 65535"),
        "{text}"
    );

    let out = turnchat(&["--connect", "192.168.1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no port. Write it as HOST:PORT"));

    let out = turnchat(&["--listen", "8888", "--connect", "127.0.0.1:8888"]);
    assert_eq!(out.status.code(), Some(2));

    let out = turnchat(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_display_is_a_sentence_not_a_panic() {
    let out = turnchat(&["--listen", "127.0.0.1:0"]);
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
    let out = turnchat(&["--listen", "70000"]);
    assert_eq!(out.status.code(), Some(2));
    let log = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-scratch/cli/data/turnchat/turnchat.log");
    let text = std::fs::read_to_string(&log).expect("the log file exists");
    assert!(
        text.contains("TurnChat was started with flags it cannot use")
            && text.contains("“70000” is not a port"),
        "{text}"
    );
}

#[test]
fn the_encoding_flag_names_its_choices() {
    let out = turnchat(&["--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--encoding <ENCODING>"));
    let out = turnchat(&["--encoding", "ebcdic"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("choose one of gbk, gb18030, utf-8, big5, shift_jis"),
        "{text}"
    );
}
