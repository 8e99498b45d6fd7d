"""What TurnChat's Python tools share; tools/lib.sh is the same for the shell tools.

A tool in tools/ imports it as `import lib` (Python puts the script's folder first on the
path). Every failure is a SystemExit with a sentence; every wait is bounded.

  require(tools, who)          fails with a sentence if a tool is not on PATH
  build(root, *cargo_args)     `cargo build --quiet ...`: what a tool measures is built first
  scratch_home(folder)         TurnChat's XDG folders under `folder`, as environment variables
  Desktop(size, logs)          Xvfb on a display it picks, openbox managing it
  Lines(stream, who)           a child's output lines, timestamped, read on a named thread
  threads(pid), cpu_seconds(pid), rss_kb(pid), thread_states(pid)   readings from /proc
"""

import os
import queue
import select
import shutil
import subprocess
import threading
import time

HZ = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def require(tools, who):
    for tool in tools:
        if not shutil.which(tool):
            raise SystemExit(f"{who} needs {tool} (run bash tools/check.sh once, which installs it).")


def target_dir(root=ROOT):
    return os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))


def build(root, *cargo_args):
    """Builds with cargo, so that what is measured is what the tree holds (a stale build
    is not measured silently)."""
    r = subprocess.run(["cargo", "build", "--quiet", *cargo_args], cwd=root)
    if r.returncode != 0:
        raise SystemExit(f"`cargo build {' '.join(cargo_args)}` failed (its output is above), "
                         "so there is nothing to measure.")


def scratch_home(folder):
    """Environment variables giving TurnChat its own folders under `folder` (created), and
    no Wayland."""
    env = {"XDG_CONFIG_HOME": os.path.join(folder, "config"),
           "XDG_DATA_HOME": os.path.join(folder, "data"),
           "XDG_RUNTIME_DIR": os.path.join(folder, "run")}
    for path in env.values():
        os.makedirs(path, exist_ok=True)
    os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
    return env


def without_wayland(env):
    env = dict(env)
    env.pop("WAYLAND_DISPLAY", None)
    return env


class Desktop:
    """Xvfb with openbox managing its screen. `display` is for DISPLAY; `env()` gives an
    environment with it. stop() (or leaving a `with` block) ends both."""

    def __init__(self, size, logs, wait=60):
        require(("Xvfb", "openbox", "xprop"), "a desktop under Xvfb")
        os.makedirs(logs, exist_ok=True)
        self.logs = logs
        self.wm = None
        r, w = os.pipe()
        with open(os.path.join(logs, "xvfb.log"), "w") as err:
            self.xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(w), "-screen", "0", size, "-nolisten", "tcp",
                 # When its last client leaves, an X server resets and drops the clients
                 # still connecting (the look for openbox, ending first, would take
                 # openbox's connection with it).
                 "-noreset"],
                pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=err)
        os.close(w)
        try:
            # Xvfb writes the number and its newline in two writes, and dies ("Cannot write
            # display number to fd") if the pipe is closed between them: read the whole line.
            said, deadline = b"", time.monotonic() + wait
            while not said.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([r], [], [], left)[0]:
                    self.stop()
                    raise SystemExit(f"Xvfb did not say its display number within {wait} s "
                                     f"(its log: {logs}/xvfb.log).")
                chunk = os.read(r, 16)
                if not chunk:
                    status = self.xvfb.wait()
                    raise SystemExit(f"Xvfb exited (status {status}) before it said its display "
                                     f"number (its log: {logs}/xvfb.log).")
                said += chunk
        finally:
            os.close(r)
        self.display = ":" + said.decode().strip()
        with open(os.path.join(logs, "openbox.log"), "w") as err:
            self.wm = subprocess.Popen(["openbox"], env=self.env(), stdout=err, stderr=err)
        # Placing, focusing and closing windows need openbox to manage the screen: it says
        # so by setting _NET_SUPPORTING_WM_CHECK on the root window.
        deadline = time.monotonic() + wait
        while True:
            check = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env(),
                                   capture_output=True, text=True)
            if "window id" in check.stdout:
                break
            if self.wm.poll() is not None:
                self.stop()
                raise SystemExit(f"openbox exited (status {self.wm.returncode}) before it managed "
                                 f"the Xvfb screen (its log: {logs}/openbox.log).")
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"openbox did not start managing the Xvfb screen within {wait} s "
                                 f"(its log: {logs}/openbox.log).")
            time.sleep(0.05)

    def env(self, base=None, **extra):
        env = without_wayland(os.environ if base is None else base)
        env["DISPLAY"] = self.display
        env.update(extra)
        return env

    def state(self):
        """Xvfb's and openbox's state, for a failure's description."""
        def one(name, p):
            if p is None:
                return f"{name}: not started"
            return f"{name}: " + ("running" if p.poll() is None else f"exited with {p.returncode}")
        return f"{one('Xvfb', self.xvfb)}, {one('openbox', self.wm)}"

    def stop(self):
        for p in (self.wm, self.xvfb):
            if p is not None and p.poll() is None:
                p.kill()
            if p is not None:
                p.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Lines:
    """The lines of `stream` (a child's stdout, text mode), each with its monotonic arrival
    time, read on a named thread. `divert(line)` may take a line (return True) before it is
    queued. `who` names the program in sentences."""

    def __init__(self, stream, who, divert=None):
        self.who = who
        self.divert = divert
        self.queue = queue.Queue()
        self.ended = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(stream,),
                                       name=f"lines-{who}", daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            at, line = time.monotonic(), line.rstrip("\n")
            if self.divert is None or not self.divert(line):
                self.queue.put((at, line))
        self.ended.set()
        self.queue.put((time.monotonic(), None))  # the output ended

    def wait(self, pred, timeout, what):
        """The first line (arrival time, text) for which pred is true, within `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(f"{self.who} printed no {what} within {timeout} s")
            try:
                at, line = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.queue.put((at, None))  # later waits see the end too
                raise SystemExit(f"{self.who} printed no {what}: its output ended")
            if pred(line):
                return at, line

    def clear(self):
        """Forgets the lines read so far (the end, if it came, stays)."""
        try:
            while True:
                self.queue.get_nowait()
        except queue.Empty:
            pass
        if self.ended.is_set():
            self.queue.put((time.monotonic(), None))


def _stat_fields(path):
    """The fields of a /proc stat file after the name (which may hold spaces)."""
    with open(path) as f:
        return f.read().rsplit(")", 1)[1].split()


def threads(pid):
    """{tid: (name, CPU ticks)} of process `pid`'s threads alive now ({} if it is gone)."""
    out = {}
    task = f"/proc/{pid}/task"
    try:
        tids = os.listdir(task)
    except FileNotFoundError:
        return out
    for tid in tids:
        try:
            with open(f"{task}/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1: stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
    return out


def cpu_seconds(pid):
    """User and system CPU time of process `pid` (its threads, alive or ended)."""
    fields = _stat_fields(f"/proc/{pid}/stat")
    return (int(fields[11]) + int(fields[12])) / HZ


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"/proc/{pid}/status has no {field}")


def thread_states(pid):
    """Each thread's name, state and kernel wait channel: what a hung process is doing."""
    out = []
    try:
        for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
            base = f"/proc/{pid}/task/{tid}"
            try:
                with open(f"{base}/comm") as f:
                    name = f.read().strip()
                state = _stat_fields(f"{base}/stat")[0]
                with open(f"{base}/wchan") as f:
                    wchan = f.read().strip()
            except OSError:
                continue
            out.append(f"{name}:{state}:{wchan}")
    except OSError:
        pass
    return " ".join(out)
