//! This process and its threads: named threads, counting the backend's, and running a
//! test that measures the whole process alone, in a process of its own.

use std::process::Command;
use std::thread::JoinHandle;

/// Runs `f` on a thread called `name`.
pub fn named(name: &str, f: impl FnOnce() + Send + 'static) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .expect("spawn")
}

/// The name libtest knows a test by (for `--exact`): its path without the crate (the
/// binary's name). `module` is the test's `module_path!()`, `test` its function's name.
fn test_name(module: &str, test: &str) -> String {
    match module.split_once("::") {
        Some((_, path)) => format!("{path}::{test}"),
        None => test.to_owned(),
    }
}

/// Lets a test that measures the whole process (its descriptors, threads or resident
/// memory) run alone, in a process of its own: the tests of a binary run on threads of one
/// process, and every other test's sockets, threads and buffers would count too.
///
/// In the test binary's own run this runs the binary again for just this test, and returns
/// false once that run passed (the test then returns); in that run it returns true (the
/// test measures). `module` is the test's `module_path!()`, `test` its name. What the run
/// printed on standard error (the figures) is printed again here.
pub fn alone(module: &str, test: &str) -> bool {
    const ALONE: &str = "TURNCHAT_TEST_ALONE";
    let name = test_name(module, test);
    if std::env::var(ALONE).is_ok_and(|v| v == name) {
        return true;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args(["--exact", &name, "--test-threads=1", "--nocapture"])
        .env(ALONE, &name)
        .output()
        .expect("run the test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}, alone in a process of its own: {stdout}"
    );
    false
}

/// Threads of this process whose name starts with `turnchat-` (the backend's).
pub fn turnchat_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .filter_map(Result::ok)
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.starts_with("turnchat-"))
        })
        .count()
}

/// Runs the ignored test `test` (in `module`, its `module_path!()`) by itself, in a fresh
/// process of this test binary started through `through`: a program and its arguments that
/// end by running the command given after them, such as `unshare --net`. Fails unless that
/// run passed. For tests that must run where this process is not: a network namespace.
pub fn run_ignored_through(through: &[&str], module: &str, test: &str) {
    let name = test_name(module, test);
    let exe = std::env::current_exe().expect("the test binary");
    let (program, args) = through.split_first().expect("a program");
    let out = Command::new(program)
        .args(args)
        .arg(exe)
        .args(["--ignored", "--exact", &name, "--test-threads=1"])
        .output()
        .unwrap_or_else(|e| panic!("could not run {program}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}, through {through:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
