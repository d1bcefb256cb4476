# SPDX-License-Identifier: GPL-3.0-or-later
"""slow_clients.py - slow clients against a dashboard, and a normal client beside them.

usage: slow_clients.py SECONDS HTTP_PORT HTTPS_PORT CA_FILE

For each port at the same time: from 127.0.0.2..127.0.0.6, 32 connections per address (160
in all) each send one byte a second and never finish their request (HTTP: a request line and
headers; HTTPS: half trickle a TLS record that never ends, half finish the handshake and then
trickle headers). A slot the server closes is opened again at the next round, as an attacker
would. Meanwhile a normal client (127.0.0.9 for HTTP, 127.0.0.10 for HTTPS) asks for
/api/v1/health on a new connection twice a second. Prints one JSON line per port:
{"proto", "requests", "failed", "worst_s", "peak_held", "slots", "longest_s", "closed"}:
longest_s is the longest a slow connection stayed open (closed by the server or still open
at the end).
"""
import http.client
import json
import select
import socket
import ssl
import sys
import threading
import time

SECONDS = float(sys.argv[1])
HTTP_PORT, HTTPS_PORT = int(sys.argv[2]), int(sys.argv[3])
CA = sys.argv[4]
ATTACKERS = ["127.0.0.%d" % i for i in range(2, 7)]
PER_ADDRESS = 32
REQUEST = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: a\r\n" * 10000
TLS_RECORD = b"\x16\x03\x01\x40\x00" + b"\x01" * 20000  # a handshake record of 16 KiB


class Slot:
    def __init__(self, src, tls, handshake):
        self.src, self.tls, self.handshake = src, tls, handshake
        self.sock = None
        self.opened = 0.0
        self.sent = 0
        self.shaking = False


def open_slot(slot, port, ctx):
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        raw.bind((slot.src, 0))
        raw.settimeout(1.0)
        raw.connect(("127.0.0.1", port))
        raw.setblocking(False)
    except OSError:
        raw.close()
        return False
    slot.sock, slot.opened, slot.sent = raw, time.monotonic(), 0
    if slot.handshake:
        slot.sock = ctx.wrap_socket(raw, server_hostname="127.0.0.1", do_handshake_on_connect=False)
        slot.shaking = True
    return True


def close_slot(slot, stats, now):
    stats["longest_s"] = max(stats["longest_s"], now - slot.opened)
    stats["closed"] += 1
    try:
        slot.sock.close()
    except OSError:
        pass
    slot.sock = None


def step(slot):
    """one byte more (or one step more of the handshake); False when the server closed"""
    s = slot.sock
    try:
        if slot.shaking:
            try:
                s.do_handshake()
                slot.shaking = False
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass
            return True
        data = TLS_RECORD if slot.tls and not slot.handshake else REQUEST
        s.send(data[slot.sent:slot.sent + 1])
        slot.sent += 1
        return True
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
        return True
    except (OSError, ssl.SSLError):
        return False


def server_closed(slot):
    """the server closed (or answered: a slow client never gets a whole answer)"""
    try:
        r, _, _ = select.select([slot.sock], [], [], 0)
    except (OSError, ValueError):
        return True
    if not r:
        return False
    try:
        return slot.sock.recv(4096) is not None  # b"" or data: done either way
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
        return False
    except (OSError, ssl.SSLError):
        return True


def attacker(port, tls, stats, stop):
    ctx = ssl.create_default_context(cafile=CA)
    slots = []
    for src in ATTACKERS:
        for i in range(PER_ADDRESS):
            slots.append(Slot(src, tls, tls and i % 2 == 1))
    stats["slots"] = len(slots)
    while not stop.is_set():
        t0 = time.monotonic()
        held = 0  # open since the last round at least, and still open
        for slot in slots:
            if slot.sock is None:
                open_slot(slot, port, ctx)
                continue
            if server_closed(slot) or not step(slot):
                close_slot(slot, stats, time.monotonic())
            else:
                held += 1
        stats["peak_held"] = max(stats["peak_held"], held)
        stop.wait(max(0.0, 1.0 - (time.monotonic() - t0)))
    now = time.monotonic()
    for slot in slots:
        if slot.sock is not None:
            stats["longest_s"] = max(stats["longest_s"], now - slot.opened)
            slot.sock.close()


def normal(port, tls, src, stats, stop):
    ctx = ssl.create_default_context(cafile=CA) if tls else None
    stop.wait(3.0)  # let the slow ones settle in first
    while not stop.is_set():
        if tls:
            c = http.client.HTTPSConnection("127.0.0.1", port, timeout=15, context=ctx,
                                            source_address=(src, 0))
        else:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=15,
                                           source_address=(src, 0))
        t0 = time.monotonic()
        try:
            c.request("GET", "/api/v1/health")
            r = c.getresponse()
            r.read()
            good = r.status == 200
        except (OSError, http.client.HTTPException):
            good = False
        took = time.monotonic() - t0
        c.close()
        stats["requests"] += 1
        stats["failed"] += 0 if good else 1
        stats["worst_s"] = max(stats["worst_s"], took)
        stop.wait(0.5)


def main():
    stop = threading.Event()
    runs = []
    for proto, port, tls, src in (("http", HTTP_PORT, False, "127.0.0.9"),
                                  ("https", HTTPS_PORT, True, "127.0.0.10")):
        stats = {"proto": proto, "requests": 0, "failed": 0, "worst_s": 0.0, "peak_held": 0,
                 "slots": 0, "longest_s": 0.0, "closed": 0}
        runs.append(stats)
        for fn, args in ((attacker, (port, tls, stats, stop)),
                         (normal, (port, tls, src, stats, stop))):
            threading.Thread(target=fn, args=args, daemon=True).start()
    time.sleep(SECONDS)
    stop.set()
    time.sleep(1.5)  # the threads notice the stop within a round
    for stats in runs:
        stats["worst_s"] = round(stats["worst_s"], 2)
        stats["longest_s"] = round(stats["longest_s"], 1)
        print(json.dumps(stats), flush=True)


main()
