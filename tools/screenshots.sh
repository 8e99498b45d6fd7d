#!/usr/bin/env bash
# Takes the README's screenshots: the release binary in a real window under Xvfb, as a
# teacher's server (host 0.0.0.0) with three Python clients written like the reference
# connected at once, once in Chinese (docs/screenshot-zh.png) and once in English
# (docs/screenshot.png). Look at them before committing them.
#
#   bash tools/screenshots.sh [--size WxH] [--scale 1.5] [--out DIR]
#
# --size and --scale take extra pictures for checking fits (not for the README): the window
# at that inner size, and winit's X11 scale factor. With --out, pictures go to DIR.
# Needs Xvfb, openbox, xdotool, ImageMagick and python3; builds the release binary if needed.
set -euo pipefail
# Never multicast on this machine's real interfaces (discovery is tested in namespaces).
export TURNCHAT_NO_DISCOVERY=1
cd "$(dirname "$0")/.."

size=860x620
scale=1
out=docs
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
source tools/lib.sh
require Xvfb openbox xdotool import python3
bin=${TURNCHAT_BIN:-target/release/turnchat}
[[ -n "${TURNCHAT_BIN:-}" || -x "$bin" ]] || cargo build --release --bin turnchat
mkdir -p "$out"

work=$(mktemp -d)
cleanup() { stop_pids; rm -rf "$work"; }
trap cleanup EXIT
desktop_start 1400x1000x24 "$work"

shoot() { # lang file
  local lang=$1 file=$2 port wid i app fd
  scratch_home "$work/$lang"
  WINIT_X11_SCALE_FACTOR=$scale spawn_reading fd "$work/stderr" "$bin" --listen 0 --lang "$lang"
  app=$SPAWNED_PID
  wait_line "$fd" "$work/$lang.log" "^turnchat: listening on " "listening line from TurnChat"
  port=${REPLY_LINE##*:}
  seen_or_wait "$fd" "$work/$lang.log" "window shown" "window from TurnChat"
  wid=$(xdotool search --sync --onlyvisible --name TurnChat | head -1)
  xdotool windowsize --sync "$wid" "${size%x*}" "${size#*x}" || true
  # In front, as a teacher has it (a window behind would also ask for a notification).
  xdotool windowactivate --sync "$wid" || true
  i=0
  for said in "老师好，我是小王。" "老师，第二题怎么做？" "我到了。"; do
    i=$((i + 1))
    printf '["%s"]' "$said" >"$work/script-$lang-$i.json"
    python3 tests/peers/ref_client.py --host 127.0.0.1 --port "$port" --timeout 60 \
      --script "$work/script-$lang-$i.json" >/dev/null &
    pids+=($!)
    wait_line "$fd" "$work/$lang.log" "session #" "session line from TurnChat for client $i"
  done
  # Let the three messages arrive and the window settle.
  sleep 2
  xdotool mousemove 0 0
  import -window "$wid" "$file"
  stop_pid "$app"
  exec {fd}<&-
  echo "$file"
}

if [[ "$size" == 860x620 && "$scale" == 1 ]]; then
  shoot zh-CN "$out/screenshot-zh.png"
  shoot en "$out/screenshot.png"
else
  shoot zh-CN "$out/fit-zh-$size-$scale.png"
  shoot en "$out/fit-en-$size-$scale.png"
fi
