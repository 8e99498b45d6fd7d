# What TurnChat's shell tools share. Source it from the repository root; do not run it:
#
#   cd "$(dirname "$0")/.."
#   source tools/lib.sh
#
# Messages   say TEXT (a "== TEXT" heading); fail SENTENCE (prints it, exits 1). A tool may
#            define its own fail after sourcing this: every function here calls that one.
# Packages   want COMMAND-OR-FILE PACKAGE, want_package PACKAGE, then install_wanted WHAT;
#            install_packages WHAT PACKAGE...; apt_get ARGS... (apt-get as root, through sudo
#            when needed, waiting for another package manager to let go of dpkg's lock);
#            need_root WHAT (sets SUDO); dpkg_has PACKAGE.
# Tools      require TOOL... (fails with a sentence saying what installs them).
# Processes  pids (the array every helper adds to; stop_pids kills and reaps them all,
#            stop_pid PID one of them);
#            spawn_reading FDVAR ERRLOG COMMAND... (stdout on a new descriptor, pid in
#            SPAWNED_PID); wait_line FD LOG REGEX WHAT [COUNT] and try_line (the same,
#            returning 1 with the reason in REPLY_WHY instead of failing), seen_or_wait;
#            alive PID; thread_states PID; free_port.
# Home       scratch_home DIR: TurnChat's XDG folders under DIR, and no Wayland.
# Desktop    desktop_start WxHxD LOGDIR: Xvfb on a display it picks, openbox managing it;
#            exports DISPLAY, sets XVFB_PID and WM_PID.
# Readings   rss_kb PID, hwm_kb PID, cpu_ticks PID, task_ticks PID TID, cpu_pct TICKS SECONDS.
#
# Every wait is bounded by $WAIT seconds (30 unless the tool sets it).

: "${WAIT:=30}"
LIB_TOOL=${LIB_TOOL:-$(basename "$0")}
CLK_TCK=$(getconf CLK_TCK)
pids=()

say() { printf '\n== %s\n' "$*"; }
fail() {
  printf '%s\n' "$*" >&2
  exit 1
}

# --- Packages -----------------------------------------------------------------------------
dpkg_has() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

need_pkgs=()
want() { # want COMMAND-OR-FILE PACKAGE: PACKAGE is wanted unless the command or file exists
  if [[ "$1" == /* ]]; then
    [[ -e "$1" ]] || need_pkgs+=("$2")
  else
    command -v "$1" >/dev/null 2>&1 || need_pkgs+=("$2")
  fi
}
want_package() { dpkg_has "$1" || need_pkgs+=("$1"); }
install_wanted() { install_packages "$1" "${need_pkgs[@]}"; }

need_root() { # need_root WHAT: sets SUDO to "" (root) or "sudo", or fails saying WHAT needs root
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "$1 needs root: run this as root or install sudo."
    SUDO=sudo
  fi
}

install_packages() { # install_packages WHAT PACKAGE...: installs them with apt-get, or fails
  local what=$1
  shift
  (($#)) || return 0
  say "Installing $what: $*"
  command -v apt-get >/dev/null 2>&1 \
    || fail "These packages are missing and this is not a Debian/Ubuntu system: $*. Install them, then run this again."
  apt_get update -qq || fail "apt-get update failed (its output is above), so $* could not be installed."
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null \
    || fail "apt-get could not install $* (its output is above)."
}

# How long apt_get waits for another package manager (a fresh machine's boot-time updates).
APT_LOCK_WAIT=900

# The lock files apt and dpkg take (where APT_CONFIG, if set, puts them).
apt_lock_files() {
  local lists="" cache="" status=""
  eval "$(apt-config shell lists Dir::State::lists/d cache Dir::Cache::archives/d status Dir::State::status/f 2>/dev/null)"
  [[ -n "$status" ]] && printf '%s\n' "$(dirname "$status")/lock-frontend" "$(dirname "$status")/lock"
  [[ -n "$lists" ]] && printf '%s\n' "${lists%/}/lock"
  [[ -n "$cache" ]] && printf '%s\n' "${cache%/}/lock"
}

# Prints the process holding one of those locks ("name (pid N)"), or nothing. dpkg and apt
# lock with fcntl, which /proc/locks lists by inode; no root is needed to read it.
apt_lock_holder() {
  local f ino pid
  while IFS= read -r f; do
    [[ -e "$f" ]] || continue
    ino=$(stat -c %i "$f") || continue
    pid=$(awk -v ino="$ino" '{ n = split($(NF - 2), a, ":"); if (a[n] == ino) { print $(NF - 3); exit } }' /proc/locks)
    if [[ -n "$pid" ]]; then
      echo "$(cat "/proc/$pid/comm" 2>/dev/null || echo "a process") (pid $pid)"
      return 0
    fi
  done < <(apt_lock_files)
}

apt_get() { # apt_get ARGS...: apt-get ARGS as root, waiting up to $APT_LOCK_WAIT s for the locks
  need_root "Installing packages"
  local deadline=$((SECONDS + APT_LOCK_WAIT)) holder since="" err rc
  err=$(mktemp)
  while :; do
    # apt-get waits for dpkg's frontend lock itself (DPkg::Lock::Timeout), but not for the
    # package lists' lock that `apt-get update` takes: wait for every lock here, saying so.
    holder=$(apt_lock_holder)
    if [[ -n "$holder" ]] && ((SECONDS < deadline)); then
      [[ -n "$since" ]] || echo "Another package manager, $holder, holds dpkg's or apt's lock (a fresh machine often installs updates at boot): waiting for it to finish, up to $((APT_LOCK_WAIT / 60)) minutes." >&2
      since=${since:-$SECONDS}
      sleep 2
      continue
    fi
    rc=0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get \
      -o DPkg::Lock::Timeout=$((deadline > SECONDS ? deadline - SECONDS : 1)) "$@" 2>"$err" || rc=$?
    # Taken between the look and the call: wait again.
    if ((rc != 0)) && ((SECONDS < deadline)) \
      && grep -qE "Could not get lock|Unable to lock directory|Unable to acquire the dpkg frontend lock" "$err"; then
      [[ -n "$since" ]] || echo "Another package manager holds dpkg's or apt's lock ($(grep -m1 -E "Could not get lock|Unable to" "$err")): waiting for it to finish, up to $((APT_LOCK_WAIT / 60)) minutes." >&2
      since=${since:-$SECONDS}
      sleep 2
      continue
    fi
    [[ -z "$since" ]] || echo "apt-get went on after waiting $((SECONDS - since)) s for the other package manager." >&2
    cat "$err" >&2
    rm -f "$err"
    return "$rc"
  done
}

# --- Tools --------------------------------------------------------------------------------
require() { # require TOOL...: fails with a sentence if one is not on PATH
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 \
      || fail "$LIB_TOOL needs $tool (run bash tools/check.sh once, which installs it)."
  done
}

# --- Processes ----------------------------------------------------------------------------
stop_pids() { # kills every process in pids and reaps those that are this shell's children
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

stop_pid() { # stop_pid PID: kills and reaps one process, and takes it out of pids
  local p keep=()
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  for p in "${pids[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
  pids=("${keep[@]}")
}

# Whether process PID runs (a zombie waiting to be reaped does not).
alive() {
  local s
  s=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n "$s" && "${s%% *}" != Z ]]
}

spawn_reading() { # spawn_reading FDVAR ERRLOG COMMAND...: COMMAND's stdout on a new descriptor
  local __var=$1 __err=$2 __fd
  shift 2
  exec {__fd}< <(exec "$@" 2>>"$__err")
  SPAWNED_PID=$!
  pids+=("$SPAWNED_PID")
  printf -v "$__var" '%s' "$__fd"
}

# try_line FD LOG REGEX WHAT [COUNT]: reads lines from FD, copying them to LOG (none if
# empty), until COUNT (1) of them have matched REGEX, for at most $WAIT s. Sets REPLY_LINE
# to the last match; otherwise returns 1 with a sentence in REPLY_WHY.
try_line() {
  local fd=$1 log=$2 re=$3 what=$4 count=${5:-1} n=0 line rc=0 deadline=$((SECONDS + WAIT))
  while ((SECONDS < deadline)); do
    read -r -t "$((deadline - SECONDS + 1))" -u "$fd" line || { rc=$?; break; }
    [[ -n "$log" ]] && printf '%s\n' "$line" >>"$log"
    if [[ "$line" =~ $re ]]; then
      n=$((n + 1))
      if ((n >= count)); then
        REPLY_LINE=$line
        return 0
      fi
    fi
  done
  local msg="there was no $what" see=""
  ((count > 1)) && msg="only $n of the $count $what came"
  [[ -n "$log" ]] && see=" (see $log)"
  if ((rc > 0 && rc <= 128)); then
    REPLY_WHY="$msg: the program's output ended first$see."
  else
    REPLY_WHY="$msg within $WAIT s$see."
  fi
  return 1
}
wait_line() { try_line "$@" || fail "$REPLY_WHY"; }
# wait_line, unless a line matching REGEX already went by into LOG (the order of a
# program's first lines may vary).
seen_or_wait() { # seen_or_wait FD LOG REGEX WHAT
  grep -qE "$3" "$2" 2>/dev/null || wait_line "$@"
}

# What each thread of process PID is doing: name, state and kernel wait channel.
thread_states() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s:%s:%s ' "$(cat "$t/comm" 2>/dev/null)" "$(sed 's/^.*) //; s/ .*//' "$t/stat" 2>/dev/null)" "$(cat "$t/wchan" 2>/dev/null)"
  done
  echo
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- A scratch home -----------------------------------------------------------------------
scratch_home() { # scratch_home DIR
  export XDG_DATA_HOME=$1/data XDG_CONFIG_HOME=$1/config XDG_RUNTIME_DIR=$1/runtime
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset WAYLAND_DISPLAY
}

# --- A desktop ----------------------------------------------------------------------------
desktop_start() { # desktop_start WxHxD LOGDIR
  local size=$1 logs=$2 dnum="" xfd deadline
  require Xvfb openbox xprop
  mkdir -p "$logs"
  # Xvfb picks a free display and writes its number once it accepts clients. It writes the
  # number and the newline apart, and dies ("Cannot write display number to fd") if the
  # pipe closes between them: read the whole line before closing it. -noreset: when its
  # last client leaves, an X server resets and drops the clients still connecting (the
  # look for openbox below, ending first, would take openbox's connection with it).
  exec {xfd}< <(exec Xvfb -displayfd 1 -screen 0 "$size" -nolisten tcp -noreset 2>"$logs/xvfb.log")
  XVFB_PID=$!
  pids+=("$XVFB_PID")
  if ! read -r -t "$WAIT" -u "$xfd" dnum || [[ ! "$dnum" =~ ^[0-9]+$ ]]; then
    exec {xfd}<&-
    alive "$XVFB_PID" && fail "Xvfb did not say its display number within $WAIT s (its log: $logs/xvfb.log)."
    fail "Xvfb exited before it said its display number: $(tail -n 3 "$logs/xvfb.log" | tr '\n' ' ')(log: $logs/xvfb.log)"
  fi
  exec {xfd}<&-
  export DISPLAY=":$dnum"
  unset WAYLAND_DISPLAY
  openbox >"$logs/openbox.log" 2>&1 &
  WM_PID=$!
  pids+=("$WM_PID")
  # Placing, focusing and closing windows need openbox to manage the screen: it says so by
  # setting _NET_SUPPORTING_WM_CHECK on the root window.
  deadline=$((SECONDS + WAIT))
  until xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id"; do
    alive "$WM_PID" || fail "openbox exited before it managed the Xvfb screen (its log: $logs/openbox.log)."
    ((SECONDS < deadline)) || fail "openbox did not start managing the Xvfb screen within $WAIT s (its log: $logs/openbox.log)."
    sleep 0.05
  done
}

# --- Readings -----------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
# CPU time (user + system, in ticks of 1/CLK_TCK s) of process PID (fails if it is gone),
# or of its thread TID (0 if that thread has ended). The fields are counted after the name,
# which may hold spaces and parentheses.
stat_ticks() { # stat_ticks STAT-LINE
  local f
  read -r -a f <<<"${1##*) }"
  echo $((f[11] + f[12]))
}
cpu_ticks() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || fail "Process $1 is gone, so its CPU time cannot be read."
  stat_ticks "$s"
}
task_ticks() {
  local s
  s=$(cat "/proc/$1/task/$2/stat" 2>/dev/null) || { echo 0; return 0; }
  stat_ticks "$s"
}
cpu_pct() { # cpu_pct TICKS SECONDS [DECIMALS]: in % of one core
  awk -v d="$1" -v hz="$CLK_TCK" -v s="$2" -v p="${3:-3}" 'BEGIN {printf "%." p "f", 100 * d / hz / s}'
}
