#!/usr/bin/env bash
# Measures TurnChat's real window under Xvfb with many idle conversations (issue 9) and
# prints a Markdown table: CPU over a quiet spell and resident memory, with 1 idle
# conversation (the baseline) and then with N more, all in the same window.
#
#   bash tools/bench-class.sh            # release build, 200 clients, 30 s each (about 2 minutes)
#   bash tools/bench-class.sh --quick    # debug build, 20 clients, 3 s: a smoke test for CI
#
# The clients are `loadgen class`: each connects, reads its welcome, then sends nothing.
# Only 127.0.0.1 is used. Needs Xvfb and openbox.
set -euo pipefail
# Never multicast on this machine's real interfaces (discovery is tested in namespaces).
export TURNCHAT_NO_DISCOVERY=1
cd "$(dirname "$0")/.."

quick=false
[[ "${1:-}" == "--quick" ]] && quick=true
if $quick; then
  profile=debug; clients=20; idle_secs=3
  cargo build --quiet --bin turnchat --example loadgen
else
  profile=release; clients=200; idle_secs=30
  cargo build --quiet --release --bin turnchat --example loadgen
fi
target_dir=${CARGO_TARGET_DIR:-target}
bin=$target_dir/$profile/turnchat
loadgen=$target_dir/$profile/examples/loadgen
for tool in Xvfb openbox; do
  command -v "$tool" >/dev/null || { echo "bench-class.sh needs $tool (run bash tools/check.sh once, which installs it)." >&2; exit 1; }
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

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# TurnChat, listening, its stdout on fd 5.
mkfifo "$work/out"
"$bin" --listen 127.0.0.1:0 >"$work/out" 2>>"$work/stderr" &
tc=$!
pids+=($tc)
exec 5<"$work/out"
# Reads fd 5 until $2 lines have matched $1 (at most 60 s); prints the last.
wait_lines() {
  local line n=0
  while read -r -t 60 line <&5; do
    if [[ "$line" == *"$1"* ]]; then n=$((n + 1)); ((n < $2)) || { echo "$line"; return 0; }; fi
  done
  echo "TurnChat printed $n of $2 lines matching '$1' within 60 s" >&2; return 1
}
port=$(wait_lines "listening on" 1 | sed 's/.*://')
wait_lines "window shown" 1 >/dev/null
sleep 2 # the first frames settle
rss_none=$(rss_kb "$tc")

# Holds $1 loadgen clients idle; sets $holder. Returns once every one was welcomed and
# TurnChat has listed each conversation (a row appears 200 ms after its welcome).
hold() {
  "$loadgen" class --port "$port" --clients "$1" --seconds $((idle_secs + 120)) >"$work/class.log" 2>&1 &
  holder=$!
  pids+=($holder)
  wait_lines " with 127.0.0.1:" "$1" >/dev/null
  for _ in $(seq 300); do grep -q "welcomed" "$work/class.log" && return 0; sleep 0.1; done
  echo "loadgen class did not report its clients welcomed:" >&2; cat "$work/class.log" >&2; return 1
}
# Per-thread CPU ticks of TurnChat: "ticks name" lines.
thread_ticks() {
  for t in /proc/"$tc"/task/*; do
    # The name is between the first "(" and the last ")" and may hold spaces.
    awk -v tid="${t##*/}" '{
      a = index($0, "("); for (k = length($0); k > a && substr($0, k, 1) != ")"; k--) {}
      name = substr($0, a + 1, k - a - 1); gsub(/ /, "_", name)
      split(substr($0, k + 2), f, " "); print tid, f[12] + f[13], name
    }' "$t/stat" 2>/dev/null || true
  done
}
# CPU of TurnChat over $idle_secs, in % of one core; the busiest threads go to $work/threads.
idle_cpu() {
  local t0 t1
  thread_ticks | sort >"$work/threads0"
  t0=$(cpu_ticks "$tc")
  sleep "$idle_secs"
  t1=$(cpu_ticks "$tc")
  thread_ticks | sort >"$work/threads1"
  join "$work/threads0" "$work/threads1" | awk '$4 > $2 {print $4 - $2, $3}' | sort -rn | head -5 >"$work/threads"
  awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$idle_secs" 'BEGIN {printf "%.3f", 100 * d / hz / s}'
}
busiest() { if [[ -s "$work/threads" ]]; then tr '\n' ';' <"$work/threads" | sed 's/;$//; s/;/, /g'; else echo "none"; fi; }

# Baseline: one idle conversation.
hold 1
sleep 2 # the new row settles
rss_one=$(rss_kb "$tc")
cpu_one=$(idle_cpu)
threads_one=$(busiest)
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
wait_lines " ended: " 1 >/dev/null # its end
sleep 2 # the ended conversation stays listed; the window settles

# Many: $clients more idle conversations.
rss_before=$(rss_kb "$tc")
hold "$clients"
sleep 2
rss_many=$(rss_kb "$tc")
tasks=$(ls /proc/"$tc"/task | wc -l)
cpu_many=$(idle_cpu)
threads_many=$(busiest)
per_conv=$(( (rss_many - rss_before) / clients ))
kill "$holder" 2>/dev/null || true

cat <<TABLE
| figure ($profile build, real window under Xvfb) | $clients idle conversations | baseline: 1 idle conversation | budget |
|---|---:|---:|---|
| CPU over ${idle_secs} s, nothing sent | ${cpu_many} % of one core | ${cpu_one} % | ≤ 0.1 % |
| resident memory per idle conversation | ${per_conv} KiB ((${rss_many} − ${rss_before} KiB) / ${clients}) | | ≤ 100 KiB |
| VmRSS | ${rss_many} KiB | ${rss_one} KiB (none connected: ${rss_none} KiB) | |

TurnChat's threads with $clients conversations: ${tasks}. Threads that used CPU (ticks of 1/${hz} s, name) with 1: ${threads_one}; with ${clients}: ${threads_many}.
TABLE
