#!/usr/bin/env bash
# The double-click path, checked as a new user would meet it on Debian:
#   1. build the .deb with `cargo deb` (a release build; cargo-deb is installed if missing;
#      TURNCHAT_DEB_PROFILE=dev packages the debug build instead, which tools/check.sh has
#      already built for the tests, so CI does not build all of TurnChat a second time),
#   2. install it with dpkg -i and check what dpkg -L lists,
#   3. validate the installed desktop entry (desktop-file-validate) and AppStream metainfo
#      (appstreamcli validate --no-net), and check that its Exec and Icon resolve,
#   4. under Xvfb with openbox: open TurnChat through its desktop entry, as a menu does
#      (gtk-launch org.turnchat.TurnChat, no terminal), see its window with the right
#      class and icon, take a screenshot, and close it as its close button would,
#   5. start `turnchat` from PATH, chat with the Python reference client over loopback
#      (the reply is typed into the window with xdotool), and close it,
#   6. remove the package with dpkg -r and check that the binary is gone.
#
#   bash tools/package-check.sh                          (the release build, as shipped)
#   TURNCHAT_DEB_PROFILE=dev bash tools/package-check.sh (what tools/check.sh runs)
#
# Installs and removes the Debian package `turnchat`, so it needs root (or sudo). It
# refuses to run if `turnchat` is already installed, rather than remove someone's copy.
# Every failure prints a sentence and exits non-zero. Artefacts (screenshots, logs) go to
# target/package-check/.
set -euo pipefail
cd "$(dirname "$0")/.."
# This check must not multicast on the machine's real interfaces: no LAN discovery (the
# client form would browse, a server on 0.0.0.0 would announce). tests/discovery.rs covers it.
export TURNCHAT_NO_DISCOVERY=1

APP_ID=org.turnchat.TurnChat
WAIT=20 # seconds any single wait may take
out=target/package-check
started=$SECONDS
PROFILE=${TURNCHAT_DEB_PROFILE:-release}
case "$PROFILE" in
  release) profile_dir=release ;;
  dev) profile_dir=debug ;;
  *) printf 'TURNCHAT_DEB_PROFILE must be release or dev, not %s.\n' "$PROFILE" >&2; exit 2 ;;
esac

source tools/lib.sh
fail() { printf '\nPACKAGING CHECK FAILED: %s\n' "$*" >&2; exit 1; }

need_root "Installing a .deb"
require dpkg dpkg-deb desktop-file-validate appstreamcli Xvfb openbox xdotool xprop wmctrl gtk-launch import identify python3

installed() { dpkg_has "$1"; }
if installed turnchat; then
  fail "the package turnchat is already installed. This check installs and removes it; remove yours first (dpkg -r turnchat)."
fi

rm -rf "$out"
mkdir -p "$out"

# --- 1. Build ---------------------------------------------------------------------------
if ! cargo deb --version >/dev/null 2>&1; then
  # 3.8 packages the dev profile with a warning; a later version may refuse it.
  say "Installing cargo-deb (cargo install cargo-deb --version ~3.8 --locked)"
  t=$SECONDS
  env -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS cargo install cargo-deb --version '~3.8' --locked --quiet || fail "cargo-deb could not be installed."
  echo "cargo-deb installed in $((SECONDS - t)) s."
fi
say "Building the .deb (cargo deb: the $PROFILE build, then the package)"
t=$SECONDS
deb=$(cargo deb --locked --quiet --profile "$PROFILE" 2>"$out/cargo-deb.log" | tail -n 1) \
  || { cat "$out/cargo-deb.log" >&2; fail "cargo deb could not build the package (its output is above)."; }
[[ -f "$deb" ]] || fail "cargo deb said it wrote \`$deb\`, but there is no such file."
bin="${CARGO_TARGET_DIR:-target}/$profile_dir/turnchat"
echo "Built $deb in $((SECONDS - t)) s."
echo "Sizes: $PROFILE binary $(stat -c %s "$bin") bytes ($(du -h "$bin" | cut -f1)), .deb $(stat -c %s "$deb") bytes ($(du -h "$deb" | cut -f1))."

# --- 2. Install -------------------------------------------------------------------------
say "Installing with dpkg -i"
# dpkg does not fetch dependencies: install the ones that are missing first (the first
# alternative of each clause none of whose alternatives is installed).
missing=()
IFS=',' read -r -a clauses <<<"$(dpkg-deb -f "$deb" Depends)"
for clause in "${clauses[@]}"; do
  ok=""
  IFS='|' read -r -a alts <<<"$clause"
  for alt in "${alts[@]}"; do
    name=$(awk '{print $1}' <<<"$alt")
    if installed "$name"; then ok=1; break; fi
  done
  [[ -n "$ok" ]] || missing+=("$(awk '{print $1}' <<<"${alts[0]}")")
done
if ((${#missing[@]})); then
  install_packages "the package's missing dependencies" "${missing[@]}"
fi

remove_package() {
  if installed turnchat; then $SUDO dpkg -r turnchat >/dev/null 2>&1 || true; fi
}
trap remove_package EXIT
$SUDO dpkg -i "$deb" >"$out/dpkg-i.log" 2>&1 \
  || { cat "$out/dpkg-i.log" >&2; fail "dpkg -i $deb failed (its output is above)."; }
installed turnchat || fail "dpkg -i finished, but dpkg does not list turnchat as installed."

listing=$(dpkg -L turnchat)
expect=(
  /usr/bin/turnchat
  "/usr/share/applications/$APP_ID.desktop"
  "/usr/share/metainfo/$APP_ID.metainfo.xml"
  "/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
  /usr/share/doc/turnchat/copyright
)
for size in 16 24 32 48 64 128 256 512; do
  expect+=("/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png")
done
for path in "${expect[@]}"; do
  grep -qxF "$path" <<<"$listing" || fail "dpkg -L turnchat does not list $path."
  [[ -f "$path" ]] || fail "dpkg -L turnchat lists $path, but it is not on disk."
done
grep -q "^License: OFL-1.1" /usr/share/doc/turnchat/copyright \
  || fail "/usr/share/doc/turnchat/copyright does not carry the fonts' OFL licence."
grep -q "^License: MIT" /usr/share/doc/turnchat/copyright \
  || fail "/usr/share/doc/turnchat/copyright does not carry the MIT licence."
[[ $(command -v turnchat) == /usr/bin/turnchat ]] \
  || fail "\`turnchat\` on PATH is $(command -v turnchat || echo nothing), not /usr/bin/turnchat."
echo "Installed: ${#expect[@]} expected files are in place."

# --- 3. Validate ------------------------------------------------------------------------
say "Validating the installed desktop entry and metainfo"
desktop="/usr/share/applications/$APP_ID.desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $desktop (see above)."
appstreamcli validate --no-net --explain "/usr/share/metainfo/$APP_ID.metainfo.xml" \
  || fail "appstreamcli rejects /usr/share/metainfo/$APP_ID.metainfo.xml (see above)."
exec_cmd=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
command -v "$exec_cmd" >/dev/null || fail "the desktop entry's Exec ($exec_cmd) is not on PATH."
icon=$(sed -n 's/^Icon=//p' "$desktop")
[[ -f "/usr/share/icons/hicolor/48x48/apps/$icon.png" ]] \
  || fail "the desktop entry's Icon ($icon) is not in the hicolor theme."

# --- 4 and 5. Run it under Xvfb ---------------------------------------------------------
say "Opening TurnChat from its desktop entry under Xvfb"
scratch_home "$PWD/$out/home"

stop_all() {
  stop_pids
  remove_package
}
trap stop_all EXIT

desktop_start 1100x760x24 "$out"

# Waits (bounded) for a visible TurnChat window and prints its id.
find_window() {
  timeout "$WAIT" xdotool search --sync --onlyvisible --class "$APP_ID" 2>/dev/null | head -n 1
}
# Closes a window the way its title bar's close button does (the window manager sends it
# WM_DELETE_WINDOW, on wmctrl's _NET_CLOSE_WINDOW request), and waits for its process.
close_window() { # close_window WINDOW PID
  wmctrl -i -c "$1" || fail "wmctrl could not ask openbox to close window $1."
  if ! timeout "$WAIT" tail --pid="$2" -f /dev/null; then
    local state="its window is gone, so it hangs on the way out"
    if xdotool search --onlyvisible --class "$APP_ID" 2>/dev/null | grep -qx "$1"; then
      state="its window is still open, so it did not get or did not act on the close request"
    fi
    # Where each thread waits, for whoever debugs this.
    grep -H . /proc/"$2"/task/*/comm /proc/"$2"/task/*/wchan >"$out/stuck-$2.txt" 2>/dev/null || true
    fail "TurnChat (pid $2) did not exit within $WAIT s of closing its window: $state (threads: $out/stuck-$2.txt)."
  fi
}
# The menu's way: look the entry up by its desktop id and launch it with no terminal.
gtk-launch "$APP_ID" </dev/null >"$out/gtk-launch.log" 2>&1 \
  || fail "gtk-launch $APP_ID failed: the desktop entry could not be found or launched ($(cat "$out/gtk-launch.log"))."
win=$(find_window) || true
[[ -n "$win" ]] || fail "TurnChat, launched from its desktop entry, showed no window within $WAIT s (log: $XDG_DATA_HOME/turnchat/turnchat.log)."
pid=$(xdotool getwindowpid "$win") || fail "the TurnChat window does not say which process owns it."
class=$(xprop -id "$win" WM_CLASS)
grep -qF "\"$APP_ID\"" <<<"$class" || fail "the window's class is not $APP_ID: $class"
# -len keeps xprop from printing the whole 256×256 image; it still names the size.
xprop -id "$win" -len 8 _NET_WM_ICON | grep -qF "Icon (256 x 256)" \
  || fail "the window has no 256×256 icon (_NET_WM_ICON)."
import -window root "$out/menu-launch.png"
colours=$(identify -format %k "$out/menu-launch.png")
((colours > 50)) || fail "the screenshot of the window launched from the menu is (nearly) blank: $colours colours."
close_window "$win" "$pid"
grep -q "TurnChat .* is starting." "$XDG_DATA_HOME/turnchat/turnchat.log" \
  || fail "TurnChat launched from the menu wrote no log file in $XDG_DATA_HOME/turnchat/."
echo "Launched from the menu: window $win, class $APP_ID, with its icon; closed cleanly."

say "Chatting with the installed turnchat (from PATH) and the Python reference client"
spawn_reading afd "$out/turnchat-stderr.log" turnchat --listen 127.0.0.1:0
app=$SPAWNED_PID
wait_line "$afd" "$out/turnchat-stdout.log" '^turnchat: listening on ' "listening line from turnchat"
port=${REPLY_LINE##*:}
win=$(find_window) || true
[[ -n "$win" ]] || fail "turnchat --listen showed no window within $WAIT s."
xdotool windowactivate --sync "$win"
echo '["你好，我是 Python 客户端"]' >"$out/client-script.json"
spawn_reading cfd "$out/client-stderr.log" python3 tests/peers/ref_client.py --port "$port" --script "$out/client-script.json" --timeout "$WAIT"
wait_line "$afd" "$out/turnchat-stdout.log" 'session #' "session line from turnchat"
wait_line "$cfd" "$out/client.log" '"event": "recv".*"欢迎您的使用"' "welcome at the Python client"
# Once the client has sent its line it is the window's turn, and the composer has the focus.
wait_line "$cfd" "$out/client.log" '"event": "sent"' "line sent by the Python client"
xdotool type --delay 40 "hello from the package"
xdotool key Return
wait_line "$cfd" "$out/client.log" '"event": "recv".*"hello from the package"' "typed reply at the Python client"
wait_line "$afd" "$out/turnchat-stdout.log" 'ended: The other side said bye\.' "end of the conversation in turnchat"
wait_line "$cfd" "$out/client.log" '"event": "closed"' "end of the Python client"
import -window root "$out/chat.png"
close_window "$win" "$app"
echo "Chatted: the client got the welcome and the typed reply, then said bye."

# --- 6. Remove --------------------------------------------------------------------------
say "Removing with dpkg -r"
$SUDO dpkg -r turnchat >"$out/dpkg-r.log" 2>&1 \
  || { cat "$out/dpkg-r.log" >&2; fail "dpkg -r turnchat failed (its output is above)."; }
installed turnchat && fail "dpkg -r finished, but turnchat is still installed."
for path in "${expect[@]}"; do
  [[ ! -e "$path" ]] || fail "$path is still there after dpkg -r turnchat."
done
hash -r
command -v turnchat >/dev/null && fail "\`turnchat\` is still on PATH after dpkg -r ($(command -v turnchat))."

say "Packaging check passed in $((SECONDS - started)) s: built, installed, validated, launched from the menu, chatted, removed."
