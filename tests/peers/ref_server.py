#!/usr/bin/env python3
"""Reference-faithful TurnChat test server (Python 3.11, standard library only).

Behaves exactly like the classic teaching server:

    s.bind(...); s.listen(255)
    while True:
        conn, addr = s.accept()
        conn.send(welcome.encode('gbk'))
        while True:
            data = conn.recv(1024).decode('gbk')
            if not data or data.strip() == 'bye':
                break
            print(data)
            line = input()
            conn.send(line.encode('gbk'))
            if line == 'bye':
                break
        conn.close()

except that operator input comes from a JSON script, only N sessions are
served, and everything that happens is logged as JSON Lines on stdout.
See README.md in this directory for the CLI, the events and the exit codes.
"""

import argparse
import json
import socket
import sys

EXIT_OK = 0
EXIT_DECODE_ERROR = 3
EXIT_TIMEOUT = 4
EXIT_ENCODE_ERROR = 6


def log(**event):
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def load_script(path, sessions):
    with open(path, "r", encoding="utf-8") as f:
        script = json.load(f)
    if not isinstance(script, list) or not all(
        isinstance(s, list) and all(isinstance(x, str) for x in s) for s in script
    ):
        raise SystemExit("ref_server: --script must be a JSON list of lists of strings")
    # Sessions without a script: the operator types 'bye' at the first prompt.
    return [list(s) for s in script] + [[] for _ in range(max(0, sessions - len(script)))]


def serve_session(conn, k, welcome, lines, codec="gbk"):
    """One iteration of the reference's outer loop, after accept()."""
    lines = iter(lines)

    def send(text, **extra):
        try:
            payload = text.encode(codec)  # strict, like the reference
        except UnicodeEncodeError as e:
            log(event="encode_error", session=k, text=text, error=str(e))
            sys.exit(EXIT_ENCODE_ERROR)
        try:
            n = conn.send(payload)  # a plain send(), exactly like the reference
        except TimeoutError:
            log(event="timeout", session=k, phase="send")
            sys.exit(EXIT_TIMEOUT)
        except OSError as e:
            log(event="error", session=k, phase="send", error=f"{type(e).__name__}: {e}")
            return False
        if n != len(payload):
            extra["partial"] = n  # send() took only n bytes; the reference ignores this too
        log(event="sent", session=k, text=text, hex=payload.hex(), **extra)
        return True

    # Welcome: the server's first turn. An empty welcome is send(b''), i.e. nothing.
    if send(welcome, welcome=True):
        while True:
            try:
                raw = conn.recv(1024)
            except TimeoutError:
                log(event="timeout", session=k, phase="recv")
                sys.exit(EXIT_TIMEOUT)
            except OSError as e:
                log(event="error", session=k, phase="recv", error=f"{type(e).__name__}: {e}")
                break
            if not raw:
                log(event="eof", session=k)
                break
            try:
                data = raw.decode(codec)  # strict: the reference would crash here
            except UnicodeDecodeError as e:
                log(event="decode_error", session=k, hex=raw.hex(), error=str(e))
                sys.exit(EXIT_DECODE_ERROR)
            log(event="recv", session=k, text=data, hex=raw.hex())
            if data.strip() == "bye":
                log(event="bye_received", session=k)
                break
            line = next(lines, None)
            auto = line is None
            if auto:
                line = "bye"  # script exhausted: the operator types 'bye'
            if not send(line, **({"auto": True} if auto else {})):
                break
            if line == "bye":
                break
    conn.close()
    log(event="closed", session=k)


def main():
    sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--welcome", default="欢迎您的使用")
    ap.add_argument("--script", required=True, help="JSON list of lists of strings")
    ap.add_argument("--sessions", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--encoding", default="gbk",
                    help="Python codec for every read and write, strict (default gbk, the reference's)")
    args = ap.parse_args()

    script = load_script(args.script, args.sessions)

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.host, args.port))
    srv.listen(255)
    srv.settimeout(args.timeout)
    log(event="listening", port=srv.getsockname()[1])

    for k in range(1, args.sessions + 1):
        try:
            conn, addr = srv.accept()
        except TimeoutError:
            log(event="timeout", session=k, phase="accept")
            sys.exit(EXIT_TIMEOUT)
        conn.settimeout(args.timeout)
        log(event="accepted", session=k, peer=f"{addr[0]}:{addr[1]}")
        serve_session(conn, k, args.welcome, script[k - 1], args.encoding)

    srv.close()
    log(event="done", sessions=args.sessions)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
