#!/usr/bin/env python3
"""Reference-faithful TurnChat test client (Python 3.11, standard library only).

Behaves exactly like the classic teaching client:

    s.connect((host, port))
    while True:
        data = s.recv(1024).decode('gbk')
        if data.strip() == 'bye' or not data:
            break
        print(data)
        line = input()
        s.send(line.encode('gbk'))
        if line == 'bye':
            break
    s.close()

except that operator input comes from a JSON script and everything that
happens is logged as JSON Lines on stdout.
See README.md in this directory for the CLI, the events and the exit codes.
"""

import argparse
import json
import socket
import sys

EXIT_OK = 0
EXIT_DECODE_ERROR = 3
EXIT_TIMEOUT = 4
EXIT_CONNECT_FAILED = 5
EXIT_ENCODE_ERROR = 6

SESSION = 1  # a client run is always exactly one session


def log(**event):
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def load_script(path):
    with open(path, "r", encoding="utf-8") as f:
        script = json.load(f)
    if not isinstance(script, list) or not all(isinstance(x, str) for x in script):
        raise SystemExit("ref_client: --script must be a JSON list of strings")
    return script


def main():
    sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--script", required=True, help="JSON list of strings")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--bind", default=None,
                    help="local address to connect from (a classmate's computer on loopback: 127.0.0.2, ...)")
    ap.add_argument("--encoding", default="gbk",
                    help="Python codec for every read and write, strict (default gbk, the reference's)")
    args = ap.parse_args()

    lines = iter(load_script(args.script))
    k = SESSION

    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    if args.bind:
        s.bind((args.bind, 0))  # for tests only: which computer this client stands for
    try:
        s.connect((args.host, args.port))
    except TimeoutError:
        log(event="timeout", session=k, phase="connect")
        return EXIT_TIMEOUT
    except OSError as e:
        log(event="error", session=k, phase="connect", error=f"{type(e).__name__}: {e}")
        return EXIT_CONNECT_FAILED
    log(event="connected", local="%s:%d" % s.getsockname()[:2])

    while True:
        try:
            raw = s.recv(1024)
        except TimeoutError:
            log(event="timeout", session=k, phase="recv")
            return EXIT_TIMEOUT
        except OSError as e:
            log(event="error", session=k, phase="recv", error=f"{type(e).__name__}: {e}")
            break
        if not raw:
            log(event="eof", session=k)
            break
        try:
            data = raw.decode(args.encoding)  # strict: the reference would crash here
        except UnicodeDecodeError as e:
            log(event="decode_error", session=k, hex=raw.hex(), error=str(e))
            return EXIT_DECODE_ERROR
        log(event="recv", session=k, text=data, hex=raw.hex())
        if data.strip() == "bye":
            log(event="bye_received", session=k)
            break
        line = next(lines, None)
        auto = line is None
        if auto:
            line = "bye"  # script exhausted: the operator types 'bye'
        try:
            payload = line.encode(args.encoding)
        except UnicodeEncodeError as e:
            log(event="encode_error", session=k, text=line, error=str(e))
            return EXIT_ENCODE_ERROR
        try:
            n = s.send(payload)  # a plain send(), exactly like the reference
        except TimeoutError:
            log(event="timeout", session=k, phase="send")
            return EXIT_TIMEOUT
        except OSError as e:
            log(event="error", session=k, phase="send", error=f"{type(e).__name__}: {e}")
            break
        extra = {"auto": True} if auto else {}
        if n != len(payload):
            extra["partial"] = n  # send() took only n bytes; the reference ignores this too
        log(event="sent", session=k, text=line, hex=payload.hex(), **extra)
        if line == "bye":
            break

    s.close()
    log(event="closed", session=k)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
