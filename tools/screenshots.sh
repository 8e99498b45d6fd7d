#!/usr/bin/env bash
# Takes the README's screenshots: the release binary in a real window under Xvfb, as a
# teacher's server (host 0.0.0.0) with three Python clients written like the reference
# connected at once, once in Chinese (docs/screenshot-zh.png) and once in English
# (docs/screenshot.png); and a class of 30 (docs/class-30-zh.png, docs/class-30.png): 30
# reference Python clients from 127.0.0.2 ... 127.0.0.31, named by a class list, some with a
# question, the list compact and sorted by waiting. Look at them before committing them.
#
#   bash tools/screenshots.sh [--size WxH] [--scale 1.5] [--out DIR] [--class-only]
#
# --class-only takes only the class of 30. --size and --scale take extra pictures for checking fits (not for the README): the window
# at that inner size, and winit's X11 scale factor. With --out, pictures go to DIR.
# Needs Xvfb, openbox, xdotool, ImageMagick and python3; builds the release binary if needed.
set -euo pipefail
# Never multicast on this machine's real interfaces (discovery is tested in namespaces).
export TURNCHAT_NO_DISCOVERY=1
cd "$(dirname "$0")/.."

size=860x620
scale=1
out=docs
only=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --class-only) only=class; shift ;;
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

class_of_30() { # lang file
  local lang=$1 file=$2 port wid i app fd said list
  list=$work/class-$lang.csv
  local names=(王芳 李娜 张伟 刘洋 陈静 杨磊 赵敏 黄强 周杰 吴婷 徐明 孙丽 胡军 朱琳 高飞
    林涛 何雪 郭勇 马超 罗兰 梁晨 宋佳 郑浩 谢娟 韩冰 唐鹏 冯雨 于洋 董洁 萧然)
  local questions=("老师，第二题怎么做？" "socket.recv(1024) 一次最多收多少字节？"
    "为什么要先 bind 再 listen？" "GBK 和 UTF-8 有什么区别？" "bye 之后还能再连吗？"
    "我的客户端报 ConnectionRefusedError。" "老师，作业交到哪里？")
  scratch_home "$work/class-$lang"
  mkdir -p "$XDG_CONFIG_HOME/turnchat"
  printf '{"compact_list": true, "list_order": "waiting-longest"}' \
    >"$XDG_CONFIG_HOME/turnchat/settings.json"
  printf '姓名,IP,座位\n' >"$list"
  local rows=(A B C D E)
  for i in $(seq 0 29); do
    printf '%s,127.0.0.%d,%s%d\n' "${names[$i]}" $((i + 2)) "${rows[$((i / 6))]}" $((i % 6 + 1)) >>"$list"
  done
  WINIT_X11_SCALE_FACTOR=1 spawn_reading fd "$work/stderr" "$bin" --listen 0 --lang "$lang" \
    --roster "$list"
  app=$SPAWNED_PID
  wait_line "$fd" "$work/class-$lang.log" "^turnchat: listening on " "listening line from TurnChat"
  port=${REPLY_LINE##*:}
  seen_or_wait "$fd" "$work/class-$lang.log" "window shown" "window from TurnChat"
  wid=$(xdotool search --sync --onlyvisible --name TurnChat | head -1)
  xdotool windowsize --sync "$wid" 1280 800 || true
  xdotool windowactivate --sync "$wid" || true
  for i in $(seq 0 29); do
    # Every third student asks a question; the others say they are here.
    if ((i % 3 == 1)); then said=${questions[$((i / 3 % 7))]}; else said="我到了。"; fi
    printf '["%s"]' "$said" >"$work/class-$lang-$i.json"
    python3 tests/peers/ref_client.py --host 127.0.0.1 --port "$port" --timeout 90 \
      --bind "127.0.0.$((i + 2))" --script "$work/class-$lang-$i.json" >/dev/null &
    pids+=($!)
    wait_line "$fd" "$work/class-$lang.log" "session #" "session line from TurnChat for student $i"
  done
  # Let the 30 messages arrive and the window settle.
  sleep 3
  xdotool mousemove 0 0
  import -window "$wid" "$file"
  stop_pid "$app"
  exec {fd}<&-
  echo "$file"
}

if [[ "$size" == 860x620 && "$scale" == 1 ]]; then
  if [[ -z "$only" ]]; then
    shoot zh-CN "$out/screenshot-zh.png"
    shoot en "$out/screenshot.png"
  fi
  class_of_30 zh-CN "$out/class-30-zh.png"
  class_of_30 en "$out/class-30.png"
else
  shoot zh-CN "$out/fit-zh-$size-$scale.png"
  shoot en "$out/fit-en-$size-$scale.png"
fi
