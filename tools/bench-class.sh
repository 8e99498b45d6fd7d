#!/usr/bin/env bash
# Measures TurnChat's real window under Xvfb with many idle conversations (issue 9) and
# prints a Markdown table: CPU over a quiet spell and resident memory, with 1 idle
# conversation (the baseline) and then with N more, all in the same window.
#
#   bash tools/bench-class.sh            # release build, 200 clients, 30 s each (about 2 minutes)
#   bash tools/bench-class.sh --quick    # debug build, 20 clients, 3 s: a smoke test for CI
#
# The clients are `loadgen class`: each connects, reads its welcome, then sends nothing.
# Only 127.0.0.1 is used, so the server runs with --per-address 0 (one address holding
# every place, as a class behind one NAT router). Needs Xvfb and openbox.
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
WAIT=60 # seconds any single wait may take
source tools/lib.sh
require Xvfb openbox

work=$(mktemp -d)
cleanup() { stop_pids; rm -rf "$work"; }
trap cleanup EXIT
scratch_home "$work"
desktop_start 1100x760x24 "$work"

# TurnChat, listening, its stdout on $out.
spawn_reading out "$work/stderr" "$bin" --listen 127.0.0.1:0 --per-address 0
tc=$SPAWNED_PID
# Reads TurnChat's stdout until $2 lines have matched $1 (at most $WAIT s).
wait_lines() { wait_line "$out" "$work/stdout" "$1" "line(s) matching '$1' from TurnChat" "$2"; }
wait_lines "listening on" 1
port=${REPLY_LINE##*:}
wait_lines "window shown" 1
sleep 2 # the first frames settle
rss_none=$(rss_kb "$tc")

# Holds $1 loadgen clients idle; sets $holder. Returns once every one was welcomed and
# TurnChat has listed each conversation (a row appears 200 ms after its welcome).
hold() {
  "$loadgen" class --port "$port" --clients "$1" --seconds $((idle_secs + 120)) >"$work/class.log" 2>&1 &
  holder=$!
  pids+=($holder)
  wait_lines " with 127.0.0.1:" "$1"
  for _ in $(seq 300); do grep -q "welcomed" "$work/class.log" && return 0; sleep 0.1; done
  cat "$work/class.log" >&2
  fail "loadgen class did not report its $1 clients welcomed within 30 s (its output is above)."
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
  cpu_pct $((t1 - t0)) "$idle_secs"
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
wait_lines " ended: " 1 # its end
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
alive "$tc" || { tail -n 20 "$work/stderr" >&2; fail "TurnChat exited during the measurement (the end of its stderr is above)."; }
kill "$holder" 2>/dev/null || true

cat <<TABLE
| figure ($profile build, real window under Xvfb) | $clients idle conversations | baseline: 1 idle conversation | budget |
|---|---:|---:|---|
| CPU over ${idle_secs} s, nothing sent | ${cpu_many} % of one core | ${cpu_one} % | ≤ 0.1 % |
| resident memory per idle conversation | ${per_conv} KiB ((${rss_many} − ${rss_before} KiB) / ${clients}) | | ≤ 100 KiB |
| VmRSS | ${rss_many} KiB | ${rss_one} KiB (none connected: ${rss_none} KiB) | |

TurnChat's threads with $clients conversations: ${tasks}. Threads that used CPU (ticks of 1/${CLK_TCK} s, name) with 1: ${threads_one}; with ${clients}: ${threads_many}.
TABLE
