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
# Only 127.0.0.1 is used. Needs Xvfb, openbox, python3 and nc (netcat-openbsd).
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
for tool in Xvfb openbox python3 nc; do
  command -v "$tool" >/dev/null || { echo "bench-window.sh needs $tool (run bash tools/check.sh once, which installs it)." >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset WAYLAND_DISPLAY

mkfifo "$work/xvfb"
Xvfb -displayfd 1 -screen 0 1100x760x24 -nolisten tcp >"$work/xvfb" 2>/dev/null &
pids+=($!)
read -r -t 20 display <"$work/xvfb" || { echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$display"
openbox >/dev/null 2>&1 &
pids+=($!)

now_ns() { date +%s%N; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Starts "$@" with stdout on a fifo opened as fd 5; sets $pid.
start() {
  rm -f "$work/out"; mkfifo "$work/out"
  "$@" >"$work/out" 2>>"$work/stderr" &
  pid=$!
  exec 5<"$work/out"
}
# Reads fd 5 until a line matches $1 (at most 30 s); prints the line.
wait_line() {
  local line
  while read -r -t 30 line <&5; do
    if [[ "$line" == *"$1"* ]]; then echo "$line"; return 0; fi
  done
  echo "no line matching '$1' within 30 s" >&2; return 1
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; exec 5<&-; }
# What each thread of process $1 is doing: name, state and kernel wait channel.
threads_of() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s:%s:%s ' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{print $3}' "$t/stat" 2>/dev/null)" "$(cat "$t/wchan" 2>/dev/null)"
  done
  echo
}
# Starts "$@" and waits until its window is shown; the lines before it are kept in
# $work/lines (for the port). A start whose window never appears is reported, with what
# its threads were doing, and tried once more; a second such start fails the bench. (Seen
# rarely on a loaded machine: the server was listening but no frame was ever drawn.)
start_shown() {
  local attempt line
  for attempt in 1 2; do
    start "$@"
    : >"$work/lines"
    while read -r -t 30 line <&5; do
      echo "$line" >>"$work/lines"
      [[ "$line" == *"window shown"* ]] && return 0
    done
    echo "start $attempt of $1: no window within 30 s; threads: $(threads_of "$pid")" >&2
    stop
  done
  return 1
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
port=$(wait_line "listening on" | sed 's/.*://')
echo '["你好，我在等你的回复。"]' >"$work/script.json"
python3 tests/peers/ref_client.py --host 127.0.0.1 --port "$port" --script "$work/script.json" --timeout $((idle_secs + 60)) >"$work/client.log" &
client=$!
pids+=($client)
wait_line "session #" >/dev/null
sleep 2 # the conversation settles: welcome, first message, focus
ticks0=$(cpu_ticks "$pid")
sleep "$idle_secs"
ticks1=$(cpu_ticks "$pid")
hz=$(getconf CLK_TCK)
idle_pct=$(awk -v d=$((ticks1 - ticks0)) -v hz="$hz" -v s="$idle_secs" 'BEGIN {printf "%.3f", 100 * d / hz / s}')
kill "$client" 2>/dev/null || true
stop

# Ingest: the same flood into TurnChat and into nc. The window is shown and settled first,
# as a user has it: flooding at `listening on`, before the first frame, missed the cost of
# drawing (the figure it gave, 0.95x nc, was wrong; see BENCHMARKS.md).
start_shown "$bin" --listen 127.0.0.1:0
port=$(grep -m1 "listening on" "$work/lines" | sed 's/.*://')
sleep 1
tc_flood=$("$loadgen" flood --port "$port" --mb "$flood_mb")
tc_hwm=$(hwm_kb "$pid")
stop
nc_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nc -l 127.0.0.1 "$nc_port" >/dev/null &
ncpid=$!
pids+=($ncpid)
nc_flood=""
for _ in $(seq 50); do # nc says nothing when it is ready: retry the connect, 50 times at most
  if nc_flood=$("$loadgen" flood --port "$nc_port" --mb "$flood_mb" 2>/dev/null); then break; fi
  sleep 0.05
done
tc_mbs=$(sed -E 's/.*\(([0-9]+) MB\/s\).*/\1/' <<<"$tc_flood")
nc_mbs=$(sed -E 's/.*\(([0-9]+) MB\/s\).*/\1/' <<<"$nc_flood")
ratio=$(awk -v a="$tc_mbs" -v b="$nc_mbs" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')

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
python3 tools/bench-frames.py --bin "$bin" --loadgen "$loadgen" --flood-mb "$flood_mb" "${frames_args[@]}"
