#!/usr/bin/env python3
"""Measures what a user of TurnChat's window sees: called by tools/bench-window.sh.

Runs `turnchat --listen 127.0.0.1:0` with TURNCHAT_FRAME_STATS=1 (the app then prints
`turnchat: frames N peer_drawn_unix_ns T frame_us U` at most every 100 ms, when it
changed), and measures, printing Markdown rows:

  flood    the window shown and settled (one second after its first frame), then
           `loadgen flood`: ingest against `nc -l > /dev/null` in the same round, frames
           drawn per second during the flood, CPU per thread group (UI = the main thread,
           renderer = llvmpipe/lavapipe threads, network = turnchat-* threads).
  lone     after QUIET seconds of quiet, one peer message: time from just before the
           peer's send() to the end of the egui pass of the first frame that drew the
           message wholly in view (the app's peer_drawn_unix_ns; both wall clocks).
  chat     N clients at once, each reading the welcome and then writing a short message
           every second (out of turn, so it joins its open message) for SECS seconds:
           how many were served, frames per second, CPU per thread group.
  idle     connected to one client, nothing happening: frames drawn over SECS seconds.

  python3 tools/bench-frames.py [--only flood,lone,chat,idle] [--rounds N] ...

Alone, it builds the release turnchat and loadgen and starts a desktop of its own (Xvfb
and openbox, through tools/lib.py) with a scratch home; tools/bench-window.sh passes its
builds (--bin, --loadgen) and its desktop (--use-display). Budgets are reported, not
enforced; a measurement that could not be taken (no frame statistics, a flood that
failed, no baseline from nc, no message drawn) fails with a sentence.

Only 127.0.0.1 is used; every wait is bounded.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time

import lib

WELCOME_TIMEOUT = 5.0


def thread_ticks(pid):
    """CPU ticks and group of each thread of process `pid`: {tid: (group, ticks)}."""
    out = {}
    for tid, (name, ticks) in lib.threads(pid).items():
        if tid == str(pid):
            group = "ui"
        elif name.startswith(("llvmpipe", "lavapipe", "gallium")):
            group = "renderer"
        elif name.startswith("turnchat-"):
            group = "network"
        else:
            group = "other"
        out[tid] = (group, ticks)
    return out


class CpuSampler:
    """Samples thread_ticks every 20 ms, so threads that end (a session's reader when its
    peer closes) still count: each thread's last sample is kept."""

    def __init__(self, pid):
        self.pid = pid
        self.first = thread_ticks(pid)
        self.seen = dict(self.first)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.done.wait(0.02):
            self.seen.update(thread_ticks(self.pid))

    def stop(self):
        self.seen.update(thread_ticks(self.pid))
        self.done.set()
        self.thread.join(timeout=1)
        groups = {"ui": 0, "renderer": 0, "network": 0, "other": 0}
        for tid, (group, ticks) in self.seen.items():
            groups[group] += ticks - self.first.get(tid, (group, 0))[1]
        return groups


def thread_groups(pid):
    """CPU ticks per thread group of process `pid` (threads alive now)."""
    groups = {"ui": 0, "renderer": 0, "network": 0, "other": 0}
    for group, ticks in thread_ticks(pid).values():
        groups[group] += ticks
    return groups


def cpu_text(before, after, secs):
    hz = os.sysconf("SC_CLK_TCK")
    parts = []
    for g in ("ui", "renderer", "network", "other"):
        pct = 100.0 * (after[g] - before[g]) / hz / max(secs, 1e-9)
        parts.append(f"{g} {pct:.0f} %")
    return ", ".join(parts)


class App:
    """A running turnchat with its stdout read on a thread."""

    def __init__(self, binary, env):
        env = dict(env, TURNCHAT_FRAME_STATS="1")
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        # (monotonic arrival time, frames, peer_drawn_unix_ns, frame_us)
        self.stats = [(time.monotonic(), 0, 0, 0)]
        self.lock = threading.Lock()
        self.lines = lib.Lines(self.proc.stdout, "turnchat", divert=self._stats_line)
        try:
            self.port = int(self.wait_line("listening on").rsplit(":", 1)[1])
        except SystemExit as e:
            states = lib.thread_states(self.proc.pid)
            self.stop()
            raise SystemExit(f"{e}; threads: {states}") from None

    def _stats_line(self, line):
        m = re.search(r"frames (\d+) peer_drawn_unix_ns (\d+) frame_us (\d+)", line)
        if m:
            with self.lock:
                self.stats.append((time.monotonic(), *map(int, m.groups())))
        return m is not None

    def wait_line(self, text, timeout=30):
        return self.lines.wait(lambda line: text in line, timeout, f"line with '{text}'")[1]

    def last(self):
        with self.lock:
            return self.stats[-1]

    def frames_at(self, t):
        """Frames drawn by monotonic time t, interpolated between the app's samples."""
        with self.lock:
            s = list(self.stats)
        before = [x for x in s if x[0] <= t]
        after = [x for x in s if x[0] > t]
        if not before:
            return 0
        a = before[-1]
        if not after:
            return a[1]
        b = after[0]
        # The count at a sample holds until the frames of the next one: interpolate.
        return a[1] + (b[1] - a[1]) * (t - a[0]) / (b[0] - a[0])

    def wait_stats(self, pred, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pred(self.last()):
                return True
            time.sleep(0.02)
        return False

    def settle(self, quiet=0.5, timeout=10):
        """Waits until no new stats line came for `quiet` seconds (bounded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() - self.last()[0] >= quiet:
                return
            time.sleep(0.05)

    def stop(self):
        # SIGTERM, as a desktop would close it: after a SIGKILL, the next start once hung
        # creating its window (in the renderer, before `listening on`).
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


class FloodFailed(Exception):
    """A `loadgen flood` that did not run (its sentence says why)."""


def loadgen_flood(loadgen, port, mb, into):
    """MB/s and seconds until the receiver closed, of one flood into `into` on `port`."""
    r = subprocess.run(
        [loadgen, "flood", "--port", str(port), "--mb", str(mb)],
        capture_output=True, text=True, timeout=300,
    )
    if r.returncode != 0:
        raise FloodFailed(f"loadgen could not flood {into} on 127.0.0.1:{port}: "
                          f"{(r.stderr.strip().splitlines() or ['(no message)'])[-1]}")
    m = re.search(r"\((\d+) MB/s\); receiver closed after ([0-9.]+) s", r.stdout)
    if not m or int(m.group(1)) == 0:
        raise FloodFailed(f"the flood into {into} gave no rate: loadgen printed {r.stdout.strip()!r}")
    return int(m.group(1)), float(m.group(2))


def nc_flood(loadgen, mb):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    nc = subprocess.Popen(["nc", "-l", "127.0.0.1", str(port)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(50):  # nc says nothing when it is ready: retry the connect
            try:
                return loadgen_flood(loadgen, port, mb, "nc -l")[0]
            except FloodFailed as e:
                last = e
                time.sleep(0.05)
        nc.kill()
        said = nc.communicate()[1].strip()
        raise SystemExit(f"bench-frames: every one of 50 floods into nc -l failed ({last}; nc said "
                         f"{said or 'nothing'}), so there is no baseline for the ingest figure.")
    finally:
        nc.kill()
        nc.wait()


def bench_flood(args, env):
    rows = []
    for r in range(args.rounds):
        app = shown_app(args, env)
        time.sleep(1.0)  # the window is up and settled, as a user would have it
        app.settle()
        f0 = app.last()[1]
        sampler = CpuSampler(app.proc.pid)
        t0 = time.monotonic()
        try:
            mbs, closed = loadgen_flood(args.loadgen, app.port, args.flood_mb, "TurnChat")
        except FloodFailed as e:
            app.stop()
            raise SystemExit(f"bench-frames: {e}, so ingest was not measured.") from None
        t1 = t0 + closed
        cpu = sampler.stop()
        time.sleep(0.3)  # one more stats sample after the end, for the interpolation
        fps = (app.frames_at(t1) - f0) / closed
        app.stop()
        nc = nc_flood(args.loadgen, args.flood_mb)
        zero = {g: 0 for g in cpu}
        rows.append((mbs, nc, fps, cpu_text(zero, cpu, closed), closed))
        print(f"  round {r + 1}: {mbs} MB/s vs nc {nc} MB/s, {fps:.0f} frames/s over {closed:.3f} s; CPU {rows[-1][3]}", flush=True)
    return rows


def shown_app(args, env):
    """Starts TurnChat and waits (bounded) for its window. A start whose window never
    appears is reported, with what its threads were doing, and tried once more; a second
    one fails the bench. (Seen rarely on a loaded machine: the window was never drawn,
    though the server was listening.)"""
    for attempt in (1, 2):
        try:
            app = App(args.bin, env)
        except SystemExit as e:
            print(f"  start {attempt}: {e}", flush=True)
            if attempt == 2:
                raise
            continue
        try:
            app.wait_line("window shown")
        except SystemExit as e:
            print(f"  start {attempt}: {e}; threads: {lib.thread_states(app.proc.pid)}", flush=True)
            app.stop()
            if attempt == 2:
                raise
            continue
        # Every figure here counts frames: a build that prints no statistics cannot be
        # measured (it once read as "nan frames/s").
        if not app.wait_stats(lambda s: s[1] > 0, 10.0):
            app.stop()
            raise SystemExit(f"bench-frames: {args.bin} showed its window but printed no frame "
                             "statistics within 10 s (TURNCHAT_FRAME_STATS=1), so its frames "
                             "cannot be counted.")
        return app


def bench_lone(args, env):
    app = shown_app(args, env)
    c = socket.create_connection(("127.0.0.1", app.port), timeout=5)
    c.settimeout(WELCOME_TIMEOUT)
    c.recv(1024)  # the welcome
    app.wait_line("session #")
    samples = []
    for i in range(args.lone):
        time.sleep(args.quiet)  # a quiet spell
        prev = app.last()[2]
        sent = time.time_ns()
        c.sendall(("你好" * (i + 1)).encode("gbk"))
        if app.wait_stats(lambda s: s[2] != prev, 3.0):
            samples.append((app.last()[2] - sent) / 1e6)
    frame_us = app.last()[3]
    c.close()
    app.stop()
    if not samples:
        raise SystemExit(f"bench-frames: none of the {args.lone} lone messages was drawn within "
                         "3 s (the frame statistics never named one), so there is no latency.")
    return samples, frame_us


def chat_client(port, secs, stop_at, out, i):
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        out[i] = ("refused", 0)
        return
    c.settimeout(min(WELCOME_TIMEOUT, max(0.1, stop_at - time.monotonic())))
    try:
        welcome = c.recv(1024)
    except OSError:
        welcome = b""
    if not welcome:
        out[i] = ("no welcome", 0)
        c.close()
        return
    sent = 0
    # Spread the clients over the second so the writes do not come in one burst.
    time.sleep((i % 100) / 100.0)
    while time.monotonic() < stop_at:
        try:
            c.sendall(f"第{sent}条消息，来自客户{i}。".encode("gbk"))
        except OSError:
            break
        sent += 1
        time.sleep(1.0)
    out[i] = ("served", sent)
    c.close()


def bench_chat(args, env):
    app = shown_app(args, env)
    time.sleep(1.0)
    app.settle()
    out = [None] * args.conversations
    stop_at = time.monotonic() + args.chat_secs
    threads = [
        threading.Thread(target=chat_client, args=(app.port, args.chat_secs, stop_at, out, i), daemon=True)
        for i in range(args.conversations)
    ]
    f0 = app.last()[1]
    sampler = CpuSampler(app.proc.pid)
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.1, stop_at - time.monotonic()) + WELCOME_TIMEOUT + 2)
    t1 = time.monotonic()
    cpu = sampler.stop()
    time.sleep(0.3)
    fps = (app.frames_at(t1) - f0) / (t1 - t0)
    app.stop()
    served = sum(1 for o in out if o and o[0] == "served")
    messages = sum(o[1] for o in out if o)
    if served == 0:
        why = sorted({o[0] for o in out if o} | ({"unfinished"} if None in out else set()))
        raise SystemExit(f"bench-frames: none of the {args.conversations} chatting clients was "
                         f"served ({', '.join(why)}), so the chat figures were not measured.")
    return served, messages, fps, cpu_text({g: 0 for g in cpu}, cpu, t1 - t0)


def bench_idle(args, env):
    app = shown_app(args, env)
    c = socket.create_connection(("127.0.0.1", app.port), timeout=5)
    c.settimeout(WELCOME_TIMEOUT)
    c.recv(1024)
    c.sendall("你好，我在等你的回复。".encode("gbk"))
    time.sleep(2.0)  # the conversation settles: welcome, first message, focus
    app.settle()
    f0 = app.last()[1]
    ticks0 = sum(thread_groups(app.proc.pid).values())
    time.sleep(args.idle_secs)
    f1 = app.last()[1]
    ticks1 = sum(thread_groups(app.proc.pid).values())
    c.close()
    app.stop()
    pct = 100.0 * (ticks1 - ticks0) / os.sysconf("SC_CLK_TCK") / args.idle_secs
    return f1 - f0, pct


PARTS = ("flood", "lone", "chat", "idle")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", help="turnchat to measure (default: build the release one)")
    p.add_argument("--loadgen", help="loadgen to flood with (default: build the release one)")
    p.add_argument("--use-display", action="store_true",
                   help="use the caller's DISPLAY and home (tools/bench-window.sh does)")
    p.add_argument("--only", default=",".join(PARTS),
                   help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)")
    p.add_argument("--flood-mb", type=int, default=200)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--lone", type=int, default=5, help="lone messages")
    p.add_argument("--quiet", type=float, default=5.0, help="seconds of quiet before each")
    p.add_argument("--conversations", type=int, default=200)
    p.add_argument("--chat-secs", type=float, default=20.0)
    p.add_argument("--idle-secs", type=float, default=30.0)
    args = p.parse_args()
    parts = [x for x in args.only.split(",") if x]
    unknown = [x for x in parts if x not in PARTS]
    if unknown or not parts:
        p.error(f"--only takes {', '.join(PARTS)}, not {args.only!r}")
    if (args.bin is None) != (args.loadgen is None):
        p.error("give both --bin and --loadgen, or neither (then both are built)")
    if args.bin is None:
        lib.build(lib.ROOT, "--release", "--bin", "turnchat", "--example", "loadgen")
        release = os.path.join(lib.target_dir(), "release")
        args.bin = os.path.join(release, "turnchat")
        args.loadgen = os.path.join(release, "examples", "loadgen")
    lib.require(("nc",), "bench-frames")

    if args.use_display:
        run(args, parts, dict(os.environ))
        return
    work = tempfile.mkdtemp(prefix="bench-frames-")
    try:
        with lib.Desktop("1100x760x24", os.path.join(work, "desktop")) as desktop:
            # Never multicast on this machine's real interfaces (as bench-window.sh).
            run(args, parts, desktop.env(TURNCHAT_NO_DISCOVERY="1",
                                         **lib.scratch_home(os.path.join(work, "home"))))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, parts, env):
    if "flood" in parts:
        print("flood (window up and settled):", flush=True)
        flood = bench_flood(args, env)
    if "lone" in parts:
        lone, frame_us = bench_lone(args, env)
    if "chat" in parts:
        served, messages, chat_fps, chat_cpu = bench_chat(args, env)
    if "idle" in parts:
        idle_frames, idle_pct = bench_idle(args, env)

    print()
    print(f"| figure (rounds: {args.rounds}) | measured | budget |")
    print("|---|---|---|")
    if "flood" in parts:
        for i, (mbs, nc, fps, cpu, secs) in enumerate(flood):
            print(f"| ingest, {args.flood_mb} MB, window up and settled, round {i + 1} | {mbs} MB/s vs nc {nc} MB/s ({mbs / nc:.2f}×) | ≥ 0.8× |")
        for i, (mbs, nc, fps, cpu, secs) in enumerate(flood):
            print(f"| frames drawn per second during the flood, round {i + 1} ({secs:.2f} s) | {fps:.0f} | ≤ 65 |")
        for i, (mbs, nc, fps, cpu, secs) in enumerate(flood):
            print(f"| CPU per thread group during the flood, round {i + 1} (% of one core) | {cpu} | |")
    if "lone" in parts:
        shown = ", ".join(f"{x:.1f}" for x in lone)
        if len(lone) < args.lone:
            shown += f" ({args.lone - len(lone)} of {args.lone} not drawn within 3 s)"
        print(f"| peer send → end of the egui pass that drew it, lone message after {args.quiet:.0f} s of quiet (ms) | {shown} (max {max(lone):.1f}); plus render ≈ {frame_us / 1000:.1f} ms (eframe's cost of the last frame) | ≤ 17 ms |")
    if "chat" in parts:
        print(f"| {args.conversations} conversations chatting ({args.chat_secs:.0f} s, one message a second each) | {served} served, {messages} messages; {chat_fps:.0f} frames/s | |")
        print(f"| CPU per thread group, {args.conversations} conversations (% of one core) | {chat_cpu} | |")
    if "idle" in parts:
        print(f"| idle, connected, {args.idle_secs:.0f} s | {idle_frames} frames, {idle_pct:.3f} % of one core | 0 frames, ≤ 0.1 % |")


if __name__ == "__main__":
    main()
