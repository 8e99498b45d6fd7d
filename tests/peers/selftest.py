#!/usr/bin/env python3
"""Self-test for ref_server.py / ref_client.py (loopback only, stdlib only).

Runs the peers as subprocesses against each other (and, for edge cases,
against a raw socket driven by this file), checks their JSON Lines logs,
and prints an "N passed, M failed" summary. Exit status 0 only if all pass.

    python3 tests/peers/selftest.py [-v] [-k SUBSTRING]
"""

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "ref_server.py")
CLIENT = os.path.join(HERE, "ref_client.py")
HOST = "127.0.0.1"
WELCOME = "欢迎您的使用"
WELCOME_HEX = "bbb6d3adc4fab5c4cab9d3c3"
WAIT = 20  # hard cap (seconds) on waiting for any subprocess; never used to synchronise

VERBOSE = "-v" in sys.argv
TMP = tempfile.mkdtemp(prefix="turnchat-peers-")
_n = 0


def check(condition, detail=None):
    """An assertion that stays: `assert` statements are removed under `python -O` (or
    PYTHONOPTIMIZE), which would make every test here pass."""
    if not condition:
        raise AssertionError(detail) if detail is not None else AssertionError()


def script_file(obj):
    global _n
    _n += 1
    path = os.path.join(TMP, f"script{_n}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False)
    return path


def gbk_hex(s):
    return s.encode("gbk").hex()


class Proc:
    def __init__(self, argv):
        self.argv = argv
        self.p = subprocess.Popen(
            [sys.executable, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.lines = []
        self._buf = b""

    def readline(self, timeout=WAIT):
        """Read one stdout line (blocking on the pipe with a safety cap)."""
        while b"\n" not in self._buf:
            r, _, _ = select.select([self.p.stdout], [], [], timeout)
            if not r:
                raise AssertionError(f"no output line from {self.argv} within {timeout}s")
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"EOF on stdout of {self.argv}; got {self.lines}")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        ev = json.loads(line.decode("utf-8"))
        self.lines.append(ev)
        return ev

    def wait_event(self, name):
        while True:
            ev = self.readline()
            if ev["event"] == name:
                return ev

    def finish(self):
        """Wait for exit; return (returncode, all events)."""
        try:
            out, err = self.p.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate()
            raise AssertionError(f"{self.argv} did not exit within {WAIT}s; log {self.lines}")
        rest = (self._buf + out).decode("utf-8")
        self._buf = b""
        for line in rest.splitlines():
            if line.strip():
                self.lines.append(json.loads(line))
        self.stderr = err.decode("utf-8", "replace")
        if VERBOSE:
            print(f"  $ {' '.join(os.path.basename(a) for a in self.argv[:1])} rc={self.p.returncode}")
            for ev in self.lines:
                print("   ", json.dumps(ev, ensure_ascii=False))
            if self.stderr.strip():
                print("    stderr:", self.stderr.strip())
        return self.p.returncode, self.lines


def start_server(script, sessions=1, welcome=WELCOME, timeout=None, encoding=None):
    argv = [SERVER, "--host", HOST, "--port", "0", "--welcome", welcome,
            "--script", script_file(script), "--sessions", str(sessions)]
    if encoding is not None:
        argv += ["--encoding", encoding]
    if timeout is not None:
        argv += ["--timeout", str(timeout)]
    srv = Proc(argv)
    first = srv.readline()
    check(first["event"] == "listening" and isinstance(first["port"], int) and first["port"] > 0, first)
    srv.port = first["port"]
    return srv


def start_client(port, script, timeout=None, encoding=None):
    argv = [CLIENT, "--host", HOST, "--port", str(port), "--script", script_file(script)]
    if encoding is not None:
        argv += ["--encoding", encoding]
    if timeout is not None:
        argv += ["--timeout", str(timeout)]
    return Proc(argv)


def strip_meta(events, session=None):
    """Reduce a log to (event, text) tuples for compact comparisons."""
    out = []
    for ev in events:
        if session is not None and ev.get("session") not in (None, session):
            continue
        name = ev["event"]
        if name in ("recv", "sent"):
            check(ev["hex"] == ev["text"].encode("gbk").hex(), ev)
            out.append((name, ev["text"]))
        elif name in ("listening", "accepted", "connected", "done"):
            continue
        else:
            out.append((name,))
    return out


def raw_connect(port):
    s = socket.create_connection((HOST, port), timeout=WAIT)
    return s


def read_until_eof(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


# ---------------------------------------------------------------- tests

def test_welcome_chinese_turns_client_bye():
    srv = start_server([["你好，客户端！", "第二句：收到。"]])
    cli = start_client(srv.port, ["你好，服务器。", "再来一句，好吗？", "bye"])
    crc, clog = cli.finish()
    src, slog = srv.finish()
    check(crc == 0 and src == 0, (crc, src))
    check(clog[0]["event"] == "connected", clog)
    check(clog[1] == {"event": "recv", "session": 1, "text": WELCOME, "hex": WELCOME_HEX}, clog[1])
    check(strip_meta(clog) == [
        ("recv", WELCOME), ("sent", "你好，服务器。"),
        ("recv", "你好，客户端！"), ("sent", "再来一句，好吗？"),
        ("recv", "第二句：收到。"), ("sent", "bye"),
        ("closed",),
    ], strip_meta(clog))
    check(slog[1]["event"] == "accepted" and slog[1]["session"] == 1)
    check(slog[1]["peer"] == clog[0]["local"], (slog[1], clog[0]))
    check(slog[2] == {"event": "sent", "session": 1, "text": WELCOME, "hex": WELCOME_HEX, "welcome": True}, slog[2])
    check(strip_meta(slog) == [
        ("sent", WELCOME),
        ("recv", "你好，服务器。"), ("sent", "你好，客户端！"),
        ("recv", "再来一句，好吗？"), ("sent", "第二句：收到。"),
        ("recv", "bye"), ("bye_received",),
        ("closed",),
    ], strip_meta(slog))
    check(slog[-1] == {"event": "done", "sessions": 1})


def test_server_says_bye():
    srv = start_server([["好的", "bye"]])
    cli = start_client(srv.port, ["一", "二", "三"])
    crc, clog = cli.finish()
    src, slog = srv.finish()
    check(crc == 0 and src == 0, (crc, src))
    check(strip_meta(clog) == [
        ("recv", WELCOME), ("sent", "一"), ("recv", "好的"), ("sent", "二"),
        ("recv", "bye"), ("bye_received",), ("closed",),
    ], strip_meta(clog))
    check(strip_meta(slog) == [
        ("sent", WELCOME), ("recv", "一"), ("sent", "好的"), ("recv", "二"),
        ("sent", "bye"), ("closed",),
    ], strip_meta(slog))


def test_two_sessions_two_clients_sequential():
    srv = start_server([["甲会话回复", "bye"], ["乙会话回复"]], sessions=2)
    a = start_client(srv.port, ["我是甲", "甲第二句"])
    a_conn = a.wait_event("connected")
    # b connects while a's session is running: it waits in the backlog.
    b = start_client(srv.port, ["我是乙", "bye"])
    b_conn = b.wait_event("connected")
    arc, alog = a.finish()
    brc, blog = b.finish()
    src, slog = srv.finish()
    check((arc, brc, src) == (0, 0, 0), (arc, brc, src))
    accepted = [ev for ev in slog if ev["event"] == "accepted"]
    check([ev["session"] for ev in accepted] == [1, 2], accepted)
    check(accepted[0]["peer"] == a_conn["local"] and accepted[1]["peer"] == b_conn["local"], accepted)
    check(strip_meta(alog) == [
        ("recv", WELCOME), ("sent", "我是甲"), ("recv", "甲会话回复"),
        ("sent", "甲第二句"), ("recv", "bye"), ("bye_received",), ("closed",),
    ], strip_meta(alog))
    check(strip_meta(blog) == [
        ("recv", WELCOME), ("sent", "我是乙"), ("recv", "乙会话回复"),
        ("sent", "bye"), ("closed",),
    ], strip_meta(blog))
    check(strip_meta(slog, 1) == [
        ("sent", WELCOME), ("recv", "我是甲"), ("sent", "甲会话回复"),
        ("recv", "甲第二句"), ("sent", "bye"), ("closed",),
    ], strip_meta(slog, 1))
    check(strip_meta(slog, 2) == [
        ("sent", WELCOME), ("recv", "我是乙"), ("sent", "乙会话回复"),
        ("recv", "bye"), ("bye_received",), ("closed",),
    ], strip_meta(slog, 2))
    # Session 2 starts only after session 1 is closed (sequential, like the reference).
    names = [(ev["event"], ev.get("session")) for ev in slog]
    check(names.index(("closed", 1)) < names.index(("accepted", 2)), names)
    check(slog[-1] == {"event": "done", "sessions": 2})


def test_client_script_exhausted_types_bye():
    srv = start_server([["收到"]])
    cli = start_client(srv.port, ["只有一句"])
    crc, clog = cli.finish()
    src, slog = srv.finish()
    check(crc == 0 and src == 0)
    sent = [ev for ev in clog if ev["event"] == "sent"]
    check(sent[-1] == {"event": "sent", "session": 1, "text": "bye", "hex": "627965", "auto": True}, sent)
    check(strip_meta(slog)[-3:] == [("recv", "bye"), ("bye_received",), ("closed",)], slog)


def test_server_script_exhausted_types_bye():
    srv = start_server([])  # no script at all for session 1
    cli = start_client(srv.port, ["在吗？"])
    crc, clog = cli.finish()
    src, slog = srv.finish()
    check(crc == 0 and src == 0)
    check([ev for ev in slog if ev["event"] == "sent"][-1]["auto"] is True, slog)
    check(strip_meta(clog) == [
        ("recv", WELCOME), ("sent", "在吗？"), ("recv", "bye"), ("bye_received",), ("closed",),
    ], strip_meta(clog))


def test_whitespace_bye_is_bye_for_receiver_only():
    # The client's operator types " bye " (not == 'bye'): the client keeps the
    # socket open and recv()s; the server strips, sees bye, closes -> client EOF.
    srv = start_server([["不会用到"]])
    cli = start_client(srv.port, [" bye \t"])
    crc, clog = cli.finish()
    src, slog = srv.finish()
    check(crc == 0 and src == 0)
    check(strip_meta(clog) == [("recv", WELCOME), ("sent", " bye \t"), ("eof",), ("closed",)], strip_meta(clog))
    check(strip_meta(slog) == [("sent", WELCOME), ("recv", " bye \t"), ("bye_received",), ("closed",)], strip_meta(slog))


def test_server_decode_error_exits_3():
    srv = start_server([["x"]])
    s = raw_connect(srv.port)
    check(s.recv(1024) == bytes.fromhex(WELCOME_HEX))
    s.sendall(b"ok\xff\xfe")
    read_until_eof(s)  # the server dies -> EOF
    s.close()
    src, slog = srv.finish()
    check(src == 3, src)
    check(slog[-1]["event"] == "decode_error" and slog[-1]["hex"] == "6f6bfffe" and slog[-1]["session"] == 1, slog[-1])


def test_client_decode_error_exits_3():
    ls = socket.socket()
    ls.bind((HOST, 0))
    ls.listen(1)
    ls.settimeout(WAIT)
    cli = start_client(ls.getsockname()[1], ["x"])
    conn, _ = ls.accept()
    conn.sendall("半个".encode("gbk")[:3])  # a GBK lead byte cut in half
    conn.settimeout(WAIT)
    read_until_eof(conn)
    conn.close()
    ls.close()
    crc, clog = cli.finish()
    check(crc == 3, crc)
    check(clog[-1] == {"event": "decode_error", "session": 1, "hex": "b0eb b8".replace(" ", ""),
                        "error": clog[-1]["error"]}, clog[-1])


def test_eof_ends_session_and_server_serves_next():
    srv = start_server([["a"], ["第二位客户"]], sessions=2)
    s = raw_connect(srv.port)
    check(s.recv(1024) == bytes.fromhex(WELCOME_HEX))
    s.close()  # EOF without bye
    cli = start_client(srv.port, ["你好"])
    crc, clog = cli.finish()
    src, slog = srv.finish()
    check(crc == 0 and src == 0, (crc, src))
    check(strip_meta(slog, 1) == [("sent", WELCOME), ("eof",), ("closed",)], strip_meta(slog, 1))
    check(strip_meta(clog) == [
        ("recv", WELCOME), ("sent", "你好"), ("recv", "第二位客户"), ("sent", "bye"), ("closed",),
    ], strip_meta(clog))


def test_connection_reset_logged_as_error():
    srv = start_server([["x"]])
    s = raw_connect(srv.port)
    check(s.recv(1024) == bytes.fromhex(WELCOME_HEX))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()  # linger 0 -> RST
    src, slog = srv.finish()
    check(src == 0, src)
    names = strip_meta(slog)
    check(names == [("sent", WELCOME), ("error",), ("closed",)], slog)
    err = [ev for ev in slog if ev["event"] == "error"][0]
    check("ConnectionReset" in err["error"] and err["session"] == 1, err)


def test_long_message_is_split_by_recv_1024():
    # 1500 GBK bytes reach the reference as >= 2 "messages": turns desynchronise.
    srv = start_server([["r1", "r2", "r3"]])
    s = raw_connect(srv.port)
    check(s.recv(1024) == bytes.fromhex(WELCOME_HEX))
    payload = b"a" * 1500
    s.sendall(payload)
    s.shutdown(socket.SHUT_WR)
    rest = read_until_eof(s)
    s.close()
    src, slog = srv.finish()
    check(src == 0, src)
    recvs = [ev for ev in slog if ev["event"] == "recv"]
    check(len(recvs) >= 2 and all(len(ev["hex"]) <= 2048 for ev in recvs), recvs)
    check("".join(ev["hex"] for ev in recvs) == payload.hex())
    sent = [ev["text"] for ev in slog if ev["event"] == "sent"][1:]
    check(sent == ["r1", "r2", "r3"][: len(recvs)], sent)
    check(rest == "".join(sent).encode("gbk"), rest)
    check(strip_meta(slog)[-2:] == [("eof",), ("closed",)])


def test_empty_welcome_sends_nothing_and_server_recvs_first():
    srv = start_server([["服务器回复"]], welcome="")
    s = raw_connect(srv.port)
    s.sendall("客户先说".encode("gbk"))
    got = s.recv(1024)  # the first bytes we see are the reply, not a welcome
    s.sendall(b"bye")
    rest = read_until_eof(s)
    s.close()
    src, slog = srv.finish()
    check(src == 0, src)
    check(got == "服务器回复".encode("gbk") and rest == b"", (got, rest))
    check(slog[2] == {"event": "sent", "session": 1, "text": "", "hex": "", "welcome": True}, slog[2])
    check(strip_meta(slog) == [
        ("sent", ""), ("recv", "客户先说"), ("sent", "服务器回复"), ("recv", "bye"), ("bye_received",), ("closed",),
    ], strip_meta(slog))


def test_accept_timeout_exits_4():
    srv = start_server([["x"]], timeout=0.3)
    src, slog = srv.finish()
    check(src == 4, src)
    check(slog[-1] == {"event": "timeout", "session": 1, "phase": "accept"}, slog[-1])


def test_client_recv_timeout_exits_4():
    ls = socket.socket()
    ls.bind((HOST, 0))
    ls.listen(1)
    cli = start_client(ls.getsockname()[1], ["x"], timeout=0.3)  # server never sends
    crc, clog = cli.finish()
    ls.close()
    check(crc == 4, crc)
    check(clog[-1] == {"event": "timeout", "session": 1, "phase": "recv"}, clog[-1])


def test_client_connect_refused_exits_5():
    ls = socket.socket()
    ls.bind((HOST, 0))
    port = ls.getsockname()[1]
    ls.close()  # nothing listens there now
    cli = start_client(port, [])
    crc, clog = cli.finish()
    check(crc == 5, crc)
    check(clog[-1]["event"] == "error" and clog[-1]["phase"] == "connect", clog)


def test_encoding_argument_reads_and_writes_that_codec():
    for codec, welcome, line in [("utf-8", "欢迎 😀", "你好 🙂"), ("big5", "歡迎", "你好"),
                                 ("shift_jis", "ようこそ", "こんにちは"), ("gb18030", "欢迎 😀", "𠀀")]:
        srv = start_server([[]], welcome=welcome, encoding=codec)
        cli = start_client(srv.port, [line], encoding=codec)
        crc, clog = cli.finish()
        src, slog = srv.finish()
        check(crc == 0 and src == 0, (codec, crc, src, clog, slog))
        got = [(e["event"], e["text"], e["hex"]) for e in clog if e["event"] in ("recv", "sent")]
        check(got[:2] == [("recv", welcome, welcome.encode(codec).hex()),
                           ("sent", line, line.encode(codec).hex())], (codec, got))
        check([(e["event"], e["text"]) for e in slog if e["event"] == "recv"][0] == ("recv", line))


def test_unencodable_operator_line_exits_6():
    srv = start_server([["笑\U0001F600"]])
    cli = start_client(srv.port, ["hi"])
    src, slog = srv.finish()
    crc, clog = cli.finish()
    check(src == 6, src)
    check(slog[-1]["event"] == "encode_error" and slog[-1]["text"] == "笑\U0001F600", slog[-1])
    check(strip_meta(clog)[-2:] == [("eof",), ("closed",)], clog)


def main():
    sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)
    only = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else ""
    tests = [(n, f) for n, f in globals().items() if n.startswith("test_") and callable(f) and only in n]
    passed = failed = 0
    for name, fn in tests:
        try:
            fn()
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
        else:
            passed += 1
            print(f"ok   {name}")
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
