#!/usr/bin/env bash
# Runs every check and test of TurnChat, installing what the tests need first.
# This is the README's test command, and what CI runs (.ci/run).
#
#   bash tools/check.sh
#
# Installs (Debian/Ubuntu, with apt-get; via sudo when not root; waiting for another package
# manager, such as a fresh machine's boot-time updates, to let go of dpkg's lock) only what
# is missing:
# Xvfb, openbox, xdotool, ImageMagick and Mesa's software renderers for the real-window
# test, the X11/Wayland client libraries winit loads, python3 for the reference peers, and
# iproute2 for the discovery tests' network namespaces;
# for the packaging check, desktop-file-utils, appstream, x11-utils, wmctrl, libgtk-3-bin
# (gtk-launch) and zenity (TurnChat's message boxes). tools/package-check.sh installs cargo-deb if missing;
# tools/windows-check.sh installs mingw-w64, Wine, NSIS, zip and icoutils, and the Rust target
# x86_64-pc-windows-gnu, if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source tools/lib.sh
# Each step says when it began, so a slow run shows where its time went.
say() { printf '\n== [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# --- What the tests need from the system -------------------------------------------
want Xvfb xvfb
want openbox openbox
want xdotool xdotool
want xclip xclip
want import imagemagick
want python3 python3
want nc netcat-openbsd
# LAN discovery's tests and benchmark run in network namespaces they create (as root).
want ip iproute2
# The packaging check (tools/package-check.sh) and the message-box test; xprop also tells
# when the window manager manages a test's screen (tools/lib.sh, tests/common/desktop.rs).
want desktop-file-validate desktop-file-utils
want appstreamcli appstream
want xprop x11-utils
want wmctrl wmctrl
want gtk-launch libgtk-3-bin
want zenity zenity
for p in mesa-vulkan-drivers libgl1-mesa-dri libegl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 libwayland-client0; do
  want_package "$p"
done
install_wanted "test tools"
if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  say "Adding clippy and rustfmt"
  rustup component add clippy rustfmt
fi

# --- Checks -------------------------------------------------------------------------
# Clippy lints while the code is built, not in a check build of its own: with clippy-driver
# as the workspace wrapper, this package is compiled by clippy (its dependencies by rustc as
# usual), so one debug build is the lint, the test build and what the benches and tools
# below run. RUSTFLAGS makes every warning an error (dependencies' own lints stay capped).
# Every cargo command below inherits both, so nothing is built twice.
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
[[ -x "$RUSTC_WORKSPACE_WRAPPER" ]] || fail "clippy-driver is not in the toolchain: run \`rustup component add clippy\`."
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-D warnings"

say "cargo fmt --check"
cargo fmt --all -- --check

say "Reference peers self-test"
python3 tests/peers/selftest.py

say "cargo test, linted by clippy (unit, loopback integration, egui_kittest UI, real window under Xvfb, benches in test mode, examples built)"
cargo test --locked --all-targets
# The library has no doc tests (no code blocks in its docs), so --all-targets leaves none out.

say "The library without the window (what fuzz/ builds): its unit tests and the network suite"
# Its code is the default library's without ui/ and app/ (no module other than lib.rs asks for
# the gui feature), and Cargo.toml's dev-dependencies ask for the window's features, so this
# compiles TurnChat itself once more and shares every dependency built above.
if grep -rln --include='*.rs' 'feature = "gui"' src | grep -vx 'src/lib.rs'; then
  fail "The files above compile differently without the gui feature; make sure the window-less tests below cover them."
fi
cargo test --locked --no-default-features --lib --test net

say "Benchmarks in quick mode (they must keep compiling and running; figures are in BENCHMARKS.md)"
cargo run --locked --quiet --example loadgen -- latency --turns 200
# Ingest without a window, beside nc (issue 14's network side).
cargo run --locked --quiet --example loadgen -- flood-alone --mb 20 --rounds 1
bash tools/bench-window.sh --quick
# Many conversations (issue 9): tiny sizes, so the machinery keeps working (about 30 s).
cargo run --locked --quiet --example loadgen -- welcome --clients 20 --rounds 1
cargo run --locked --quiet --example loadgen -- many --clients 20 --turns 3 --think-ms 5 --base-turns 20
cargo run --locked --quiet --example loadgen -- flood-beside --clients 3 --mb 5 --rounds 1 --base-turns 20 --quiet-ms 300
bash tools/bench-class.sh --quick
# LAN discovery (issue 13): latency and idle cost in network namespaces (about 20 s).
python3 tools/bench-discovery.py --quick

say "The send guard's table is what tools/gen-strict.py computes"
python3 tools/gen-strict.py --check

# --- A short fuzz run -----------------------------------------------------------------
# libFuzzer through cargo-fuzz, on the stable toolchain (RUSTC_BOOTSTRAP=1 lets it use the
# sanitizer flags). fuzz/ builds the library without the window (no eframe under ASAN).
# The committed seeds are in fuzz/corpus/; what a run discovers goes to target/fuzz-corpus/.
# Installing cargo-fuzz takes about a minute; the first fuzz build about a minute and a half.
# Both run without the lint wrapper and RUSTFLAGS above: cargo-fuzz sets its own flags.
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "Installing cargo-fuzz (from crates.io, about a minute)"
  env -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS cargo install cargo-fuzz --locked
fi
for target in conversation transcript_line; do
  say "cargo fuzz run $target (${FUZZ_SECONDS:-15} s)"
  mkdir -p "target/fuzz-corpus/$target"
  log="target/fuzz-$target.log"
  if ! env -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "target/fuzz-corpus/$target" "fuzz/corpus/$target" -- \
    -max_total_time="${FUZZ_SECONDS:-15}" -print_final_stats=1 >"$log" 2>&1; then
    grep -v '^ *#[0-9]* 0x' "$log" | tail -40
    echo "The fuzzer found a failure in $target: the input is in fuzz/artifacts/$target/, the log in $log." >&2
    exit 1
  fi
  grep -E '^(#[0-9]+ +DONE|Done|stat::(number_of_executed_units|peak_rss_mb|new_units_added))' "$log" || true
done

# The .deb packages the debug build the tests above ran (TURNCHAT_DEB_PROFILE=dev): what the
# check looks at (the package's files, its menu entry, the program it installs chatting) does
# not depend on optimisation, and a release build of everything would be this run's second
# full build. `bash tools/package-check.sh` alone packages the release build, as shipped.
say "Packaging: build the .deb (from the debug build), install it, validate it, launch it from the menu, chat, remove it"
TURNCHAT_DEB_PROFILE=dev bash tools/package-check.sh

# Last, because it is the longest: turnchat.exe is built once, unoptimised but without debug
# assertions, so a GUI-subsystem program as shipped (the `ci` profile; see Cargo.toml and
# tools/windows-check.sh), and everything after it reuses it.
say "Windows: cross-build turnchat.exe, check its icon and version, build the installer and .zip, run them under Wine"
TURNCHAT_WINDOWS_PROFILE=ci bash tools/windows-check.sh

say "All checks passed in $((SECONDS / 60)) min $((SECONDS % 60)) s."
