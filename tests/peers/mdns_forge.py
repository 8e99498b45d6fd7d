#!/usr/bin/env python3
"""A hostile computer on the LAN for the discovery tests: raw multicast DNS packets.

Announces what its JSON argument says, whatever it is (names with controls and bidi
characters, TXT values with line breaks, A records for another computer's host name),
then answers every query for `_turnchat._tcp.local.` with the same records, until it has
answered ANSWERS times or heard nothing for IDLE seconds. Standard library only.

    mdns_forge.py LOCAL_IP '{"services": [...], "addresses": [...]}'

service: {"instance": str, "host": str, "port": int, "txt": [str], "ip": str (optional)}
address: {"host": str, "ip": str}   (an A record with the cache-flush bit)
"goodbye": true sends every record with TTL 0 (a goodbye), once, and answers nothing
(with "answer_all", answers every query with the goodbye).
"flood": {"seconds": S, "fakes": N, "rate": R} (for tools/bench-discovery.py --flood):
instead, for S seconds, R packets a second, alternately an announcement of one of N made-up
servers and a malformed packet; prints {"event": "flood-done", "sent": n} at the end.
"answer_all": true answers every query, not only those that name TurnChat's service.

It prints one JSON line on stdout, {"event": "ready"}, once it listens.
"""

import json
import socket
import struct
import sys

GROUP = "224.0.0.251"
PORT = 5353
SERVICE = "_turnchat._tcp.local."
ANSWERS = 2000
IDLE = 60.0


def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        raw = label.encode("utf-8")
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def instance_name(instance):
    raw = instance.encode("utf-8")
    return bytes([len(raw)]) + raw + name(SERVICE)


def raw_record(owner, rtype, rclass, ttl, data):
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, len(data)) + data


def packet(config):
    bye = config.get("goodbye", False)

    def record(owner, rtype, rclass, ttl, data):
        return raw_record(owner, rtype, rclass, 0 if bye else ttl, data)

    answers = []
    for s in config.get("services", []):
        inst = instance_name(s["instance"])
        host = name(s["host"])
        answers.append(record(name(SERVICE), 12, 1, 4500, inst))
        answers.append(record(inst, 33, 0x8001, 120, struct.pack("!HHH", 0, 0, s["port"]) + host))
        txt = b"".join(bytes([len(t.encode("utf-8"))]) + t.encode("utf-8") for t in s["txt"])
        answers.append(record(inst, 16, 0x8001, 4500, txt or b"\0"))
        if s.get("ip"):
            answers.append(record(host, 1, 0x8001, 120, socket.inet_aton(s["ip"])))
    for a in config.get("addresses", []):
        answers.append(record(name(a["host"]), 1, 0x8001, 120, socket.inet_aton(a["ip"])))
    header = struct.pack("!HHHHHH", 0, 0x8400, 0, len(answers), 0, 0)
    return header + b"".join(answers)


def flood(sock, spec):
    import os
    import time
    seconds, fakes, rate = spec["seconds"], spec["fakes"], spec["rate"]
    ip = socket.inet_aton("10.213.0.1")
    packets = []
    for i in range(fakes):
        cfg = {"services": [{"instance": f"fake-{i:04d}", "host": f"fake-{i:04d}.local.",
                             "port": 1000 + i % 50000, "txt": ["proto=1", "enc=GBK"]}]}
        p = packet(cfg)
        packets.append(p)
    addr = [raw_record(name(f"fake-{i:04d}.local."), 1, 0x8001, 120, ip) for i in range(fakes)]
    start = time.monotonic()
    sent = 0
    limit = int(seconds * rate) + 1
    while sent < limit and time.monotonic() - start < seconds:
        i = sent // 2 % fakes
        if sent % 2 == 0:
            data = bytearray(packets[i])
            data[7] += 1
            data += addr[i]
        else:
            # Malformed: a header that promises records, then a pointer loop and junk.
            data = struct.pack("!HHHHHH", 0, 0x8400, 0, 40, 0, 0) + b"\xc0\x0c" + os.urandom(64)
        try:
            sock.sendto(bytes(data), (GROUP, PORT))
        except OSError:
            pass
        sent += 1
        next_at = start + sent / rate
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    print(json.dumps({"event": "flood-done", "sent": sent}), flush=True)


def main():
    local, config = sys.argv[1], json.loads(sys.argv[2])
    data = packet(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("", PORT))
    mreq = socket.inet_aton(GROUP) + socket.inet_aton(local)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    sock.settimeout(IDLE)
    if config.get("flood"):
        print(json.dumps({"event": "ready"}), flush=True)
        flood(sock, config["flood"])
        return
    sock.sendto(data, (GROUP, PORT))
    print(json.dumps({"event": "ready"}), flush=True)
    if config.get("goodbye") and not config.get("answer_all"):
        return
    needle = name(SERVICE)[:10]
    for _ in range(ANSWERS):
        try:
            query, _src = sock.recvfrom(9000)
        except socket.timeout:
            break
        # A query (QR bit clear) that asks about TurnChat servers.
        if len(query) < 12 or query[2] & 0x80:
            continue
        if needle not in query and not config.get("answer_all"):
            continue
        sock.sendto(data, (GROUP, PORT))


if __name__ == "__main__":
    main()
