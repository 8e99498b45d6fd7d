#!/usr/bin/env bash
# The memory figure of issue 22 (item 4): 200 clients, each from a loopback address of its
# own (127.0.0.2…), send one 1 MiB message at once to TurnChat's real window under Xvfb,
# then close. Prints TurnChat's resident memory before, at its peak (VmHWM) and once every
# conversation has ended, for this tree's build and for OLD_BIN (a build of main) in the
# same run, one after the other.
#
#   OLD_BIN=/path/to/old/turnchat bash tools/bench-memory.sh   # debug builds
#
# Without OLD_BIN only this tree's build is measured. Needs Xvfb and openbox.
set -euo pipefail
export TURNCHAT_NO_DISCOVERY=1
cd "$(dirname "$0")/.."
clients=${CLIENTS:-200}
cargo build --quiet --bin turnchat --example loadgen
target_dir=${CARGO_TARGET_DIR:-target}
loadgen=$target_dir/debug/examples/loadgen
WAIT=180
source tools/lib.sh
require Xvfb openbox

work=$(mktemp -d)
cleanup() { stop_pids; rm -rf "$work"; }
trap cleanup EXIT
cp "$target_dir/debug/turnchat" "$work/new-turnchat"
desktop_start 1100x760x24 "$work"

# measure NAME BINARY: one row of the table.
measure() {
  local home="$work/home-$1"
  mkdir -p "$home"
  scratch_home "$home"
  spawn_reading out "$work/stderr-$1" "$2" --listen 127.0.0.1:0
  local tc=$SPAWNED_PID
  wait_line "$out" "$work/stdout-$1" "listening on" "TurnChat listening"
  local port=${REPLY_LINE##*:}
  wait_line "$out" "$work/stdout-$1" "window shown" "TurnChat's window"
  sleep 2
  local before
  before=$(rss_kb "$tc")
  "$loadgen" mib --port "$port" --clients "$clients" >"$work/mib-$1.log" 2>&1
  wait_line "$out" "$work/stdout-$1" "session #[0-9]+ ended" "every conversation's end" "$clients"
  sleep 5 # the last frames settle
  local peak after
  peak=$(hwm_kb "$tc")
  after=$(rss_kb "$tc")
  printf '| %s | %d MB | %d MB (+%d MB) | %d MB (+%d MB) |\n' "$1" $((before / 1000)) \
    $((peak / 1000)) $(((peak - before) / 1000)) $((after / 1000)) $(((after - before) / 1000))
  stop_pid "$tc"
}

echo "| build | RSS before | peak (VmHWM) | after all $clients ended |"
echo "|---|---:|---:|---:|"
if [[ -n "${OLD_BIN:-}" ]]; then
  measure old "$OLD_BIN"
fi
measure new "$work/new-turnchat"
