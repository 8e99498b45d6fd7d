#!/usr/bin/env bash
# Measures TurnChat in a real window under Xvfb and prints a Markdown table:
#   start-up (process start -> first frame) and idle memory, against an empty eframe
#   window built with the same features and profile; CPU while connected and idle;
#   ingest of a flood against `nc -l > /dev/null`, and TurnChat's peak memory meanwhile,
#   with the window shown and settled (one second after its first frame) as a user has it;
#   then tools/bench-frames.py: ingest vs nc per round, frames drawn per second during the
#   flood and with many conversations chatting, CPU per thread group, the time from a lone
#   peer message to the frame that draws it, and frames while idle.
#
#   bash tools/bench-window.sh            # release build, full figures (about 5 minutes)
#   bash tools/bench-window.sh --quick    # debug build, tiny figures: a smoke test for CI
#   TURNCHAT_BIN=path bash tools/bench-window.sh   # measure another build of turnchat
#
# Only 127.0.0.1 is used. Needs Xvfb, openbox, python3 and nc (netcat-openbsd). Budgets
# are reported, not enforced; a measurement that could not be taken (a flood that failed,
# no baseline from nc, no frame statistics) fails the bench with a sentence.
set -euo pipefail
# Never multicast on this machine's real interfaces (discovery is tested in namespaces).
export TURNCHAT_NO_DISCOVERY=1
cd "$(dirname "$0")/.."

quick=false
[[ "${1:-}" == "--quick" ]] && quick=true
if $quick; then
  profile=debug; runs=2; idle_secs=3; flood_mb=20
  frames_args=(--rounds 1 --lone 1 --quiet 1 --conversations 10 --chat-secs 3 --idle-secs 3)
  cargo build --quiet --bin turnchat --example empty_window --example loadgen
else
  profile=release; runs=10; idle_secs=30; flood_mb=200
  frames_args=(--rounds 3 --lone 5 --quiet 5 --conversations 200 --chat-secs 20 --idle-secs 30)
  cargo build --quiet --release --bin turnchat --example empty_window --example loadgen
fi
bin=${TURNCHAT_BIN:-target/$profile/turnchat}
empty=target/$profile/examples/empty_window
loadgen=target/$profile/examples/loadgen
source tools/lib.sh
require Xvfb openbox python3 nc

work=$(mktemp -d)
cleanup() { stop_pids; rm -rf "$work"; }
trap cleanup EXIT
scratch_home "$work"
desktop_start 1100x760x24 "$work"

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Starts "$@" with its stdout on descriptor $out; sets $pid. Its lines go to $work/lines.
start() {
  spawn_reading out "$work/stderr" "$@"
  pid=$SPAWNED_PID
  : >"$work/lines"
}
stop() { stop_pid "$pid"; exec {out}<&-; }
# Starts "$@" and waits until its window is shown; the lines before it are kept in
# $work/lines (for the port). A start whose window never appears is reported, with what
# its threads were doing, and tried once more; a second such start fails the bench. (Seen
# rarely on a loaded machine: the server was listening but no frame was ever drawn.)
start_shown() {
  local attempt
  for attempt in 1 2; do
    start "$@"
    try_line "$out" "$work/lines" "window shown" "window" && return 0
    echo "start $attempt of $1: $REPLY_WHY Threads: $(thread_states "$pid")" >&2
    stop
  done
  fail "$1 showed no window in two starts (the reasons are above)."
}

startup() { # prints "ms rss_kb" per run
  local t0 t1
  for _ in $(seq "$runs"); do
    t0=$(now_ns)
    start_shown "$@"
    t1=$(now_ns)
    sleep 1 # let it settle before reading idle memory
    echo "$(( (t1 - t0) / 1000000 )) $(rss_kb "$pid")"
    stop
  done
}

startup "$bin" >"$work/tc-start"
startup "$empty" >"$work/empty-start"
tc_ms=$(cut -d' ' -f1 "$work/tc-start" | median); tc_rss=$(cut -d' ' -f2 "$work/tc-start" | median)
em_ms=$(cut -d' ' -f1 "$work/empty-start" | median); em_rss=$(cut -d' ' -f2 "$work/empty-start" | median)

# Idle: connected to a reference client that waits for our reply forever.
start "$bin" --listen 127.0.0.1:0
wait_line "$out" "$work/lines" "listening on" "listening line from TurnChat"
port=${REPLY_LINE##*:}
echo '["你好，我在等你的回复。"]' >"$work/script.json"
python3 tests/peers/ref_client.py --host 127.0.0.1 --port "$port" --script "$work/script.json" --timeout $((idle_secs + 60)) >"$work/client.log" &
client=$!
pids+=($client)
wait_line "$out" "$work/lines" "session #" "session line from TurnChat"
sleep 2 # the conversation settles: welcome, first message, focus
ticks0=$(cpu_ticks "$pid")
sleep "$idle_secs"
ticks1=$(cpu_ticks "$pid")
idle_pct=$(cpu_pct $((ticks1 - ticks0)) "$idle_secs")
stop_pid "$client"
stop

# The MB/s of one `loadgen flood` line, or a sentence and the end of the bench.
flood_rate() { # flood_rate WHAT LINE
  [[ "$2" =~ \(([0-9]+)\ MB/s\) ]] || fail "The flood into $1 gave no rate, so ingest was not measured: loadgen printed '$2'."
  ((BASH_REMATCH[1] > 0)) || fail "The flood into $1 ran at 0 MB/s, so ingest was not measured: loadgen printed '$2'."
  echo "${BASH_REMATCH[1]}"
}

# Ingest: the same flood into TurnChat and into nc. The window is shown and settled first,
# as a user has it: flooding at `listening on`, before the first frame, missed the cost of
# drawing (the figure it gave, 0.95x nc, was wrong; see BENCHMARKS.md).
start_shown "$bin" --listen 127.0.0.1:0
port=$(grep -m1 "listening on" "$work/lines" | sed 's/.*://' || true)
[[ -n "$port" ]] || fail "TurnChat showed its window but printed no listening line (its lines: $(tr '\n' ' ' <"$work/lines"))."
sleep 1
tc_flood=$("$loadgen" flood --port "$port" --mb "$flood_mb" 2>"$work/flood.err") \
  || fail "loadgen could not flood TurnChat on 127.0.0.1:$port, so ingest was not measured: $(tail -n 3 "$work/flood.err" | tr '\n' ' ')"
tc_hwm=$(hwm_kb "$pid")
stop
nc_port=$(free_port)
nc -l 127.0.0.1 "$nc_port" >/dev/null 2>"$work/nc.err" &
ncpid=$!
pids+=($ncpid)
nc_flood=""
for _ in $(seq 50); do # nc says nothing when it is ready: retry the connect, 50 times at most
  if nc_flood=$("$loadgen" flood --port "$nc_port" --mb "$flood_mb" 2>"$work/nc-flood.err"); then break; fi
  nc_flood=""
  sleep 0.05
done
[[ -n "$nc_flood" ]] || fail "loadgen could not flood nc -l on 127.0.0.1:$nc_port in 50 tries (nc: $(tr '\n' ' ' <"$work/nc.err"); loadgen: $(tail -n 1 "$work/nc-flood.err")), so there is no baseline for the ingest figure."
stop_pid "$ncpid"
tc_mbs=$(flood_rate TurnChat "$tc_flood")
nc_mbs=$(flood_rate "nc -l" "$nc_flood")
ratio=$(awk -v a="$tc_mbs" -v b="$nc_mbs" 'BEGIN {printf "%.2f", a / b}')

cat <<TABLE
| figure ($profile build, $runs runs) | TurnChat | baseline | budget |
|---|---:|---:|---|
| start-up to first frame, median | ${tc_ms} ms | ${em_ms} ms (empty eframe window) | ≤ 1.5× baseline |
| idle RSS after start-up, median | $((tc_rss / 1024)) MB | $((em_rss / 1024)) MB (empty eframe window) | ≤ 1.5× baseline |
| CPU while connected and idle, ${idle_secs} s | ${idle_pct} % of one core | | ≤ 0.1 % |
| ingest of ${flood_mb} MB flood, window up and settled | ${tc_mbs} MB/s | ${nc_mbs} MB/s (nc -l > /dev/null) | ≥ 0.8× nc (here ${ratio}×) |
| peak RSS during the flood | $((tc_hwm / 1024)) MB | | ≤ 200 MB |
TABLE

echo
python3 tools/bench-frames.py --use-display --bin "$bin" --loadgen "$loadgen" --flood-mb "$flood_mb" "${frames_args[@]}"
