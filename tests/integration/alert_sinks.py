#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""alert_sinks.py - the far ends of alert deliveries for tests/integration/test_alerts.sh,
python3 standard library only (no aiosmtpd).

  alert_sinks.py smtp DIR PORTFILE [--tls CERT KEY]
      an SMTP server on 127.0.0.1, port 0 (the port is written to PORTFILE). It speaks
      EHLO/HELO, STARTTLS (with --tls), AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT
      and writes every accepted message to DIR/mail-NNNN.json:
      {"from", "rcpt": [...], "tls": bool, "auth": [user, password] or null, "at": epoch,
       "data": the message as received, dot-stuffing undone}.
  alert_sinks.py webhook DIR PORTFILE
      an HTTP server on 127.0.0.1, port 0. Every request is written to DIR/hook-NNNN.json:
      {"method", "path", "headers": {...}, "body", "at", "status"}. The answer is 200,
      except: a path starting /fail/N/ answers 500 to its first N requests; /broken always
      answers 500.
  alert_sinks.py summary MAILDIR HOOKDIR
      one tab-separated line per record, in arrival order, for the test to count:
        mail <kind> <device> <to>            (kind from the decoded subject)
        hook <kind> <device_name> <path> <status>   (from the JSON body)
      kind: firing, recovery, repeat, test or ?; a mail's device is what follows the dash.
  alert_sinks.py mail FILE
      the decoded message of one mail-NNNN.json as JSON: {"headers": {...}, "subject",
      "body"} plus the envelope fields.
"""
import base64
import http.server
import itertools
import json
import os
import socket
import socketserver
import ssl
import sys
import threading
import time

counter = itertools.count(1)
lock = threading.Lock()


def save(folder, prefix, record):
    with lock:
        n = next(counter)
        tmp = os.path.join(folder, ".%s-%04d.tmp" % (prefix, n))
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(folder, "%s-%04d.json" % (prefix, n)))  # whole or absent


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


# ---- SMTP ---------------------------------------------------------------------------------

def addr(arg):
    """'FROM:<a@b> SIZE=35' -> 'a@b' (parameters dropped)"""
    v = arg.split(":", 1)[1].strip() if ":" in arg else arg
    return v.split(" ")[0].strip("<>")


class SMTPHandler(socketserver.BaseRequestHandler):
    def setup(self):
        self.sock = self.request
        self.sock.settimeout(30)
        self.rfile = self.sock.makefile("rb")
        self.tls = False
        self.reset()
        self.auth = None

    def reset(self):
        self.mail_from, self.rcpt = None, []

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def readline(self):
        line = self.rfile.readline(65536)
        if not line:
            raise EOFError
        return line.decode("utf-8", "replace").rstrip("\r\n")

    def ehlo(self):
        caps = ["250-wardwatch-test-sink"]
        if self.server.tls_ctx and not self.tls:
            caps.append("250-STARTTLS")
        caps += ["250-AUTH PLAIN LOGIN", "250-8BITMIME", "250 SIZE 10485760"]
        for c in caps:
            self.send(c)

    def handle(self):
        self.send("220 wardwatch-test-sink ESMTP")
        try:
            while True:
                line = self.readline()
                verb, _, arg = line.partition(" ")
                verb = verb.upper()
                if verb == "EHLO":
                    self.ehlo()
                elif verb == "HELO":
                    self.send("250 wardwatch-test-sink")
                elif verb == "STARTTLS" and self.server.tls_ctx and not self.tls:
                    self.send("220 go ahead")
                    self.rfile.close()
                    self.sock = self.server.tls_ctx.wrap_socket(self.sock, server_side=True)
                    self.rfile = self.sock.makefile("rb")
                    self.tls = True
                    self.reset()
                elif verb == "AUTH":
                    self.do_auth(arg)
                elif verb == "MAIL":
                    if self.server.tls_ctx and not self.tls:
                        self.send("530 must issue STARTTLS first")
                        continue
                    self.mail_from = addr(arg)
                    self.send("250 ok")
                elif verb == "RCPT":
                    if self.mail_from is None:
                        self.send("503 MAIL first")
                        continue
                    self.rcpt.append(addr(arg))
                    self.send("250 ok")
                elif verb == "DATA":
                    if not self.rcpt:
                        self.send("503 RCPT first")
                        continue
                    self.send("354 end with <CRLF>.<CRLF>")
                    lines = []
                    while True:
                        ln = self.rfile.readline(1 << 20)
                        if not ln:
                            raise EOFError
                        if ln in (b".\r\n", b".\n"):
                            break
                        if ln.startswith(b"."):
                            ln = ln[1:]
                        lines.append(ln)
                    save(self.server.folder, "mail", {
                        "from": self.mail_from, "rcpt": self.rcpt, "tls": self.tls,
                        "auth": self.auth, "at": time.time(),
                        "data": b"".join(lines).decode("utf-8", "replace")})
                    self.send("250 queued")
                    self.reset()
                elif verb == "RSET":
                    self.reset()
                    self.send("250 ok")
                elif verb == "NOOP":
                    self.send("250 ok")
                elif verb == "QUIT":
                    self.send("221 bye")
                    return
                else:
                    self.send("502 not implemented")
        except (EOFError, OSError, ssl.SSLError):
            return

    def do_auth(self, arg):
        mech, _, initial = arg.partition(" ")
        mech = mech.upper()
        if mech == "PLAIN":
            if not initial:
                self.send("334 ")
                initial = self.readline()
            parts = base64.b64decode(initial).decode("utf-8", "replace").split("\0")
            self.auth = parts[1:3] if len(parts) == 3 else None
        elif mech == "LOGIN":
            if initial:
                user = base64.b64decode(initial).decode()
            else:
                self.send("334 VXNlcm5hbWU6")
                user = base64.b64decode(self.readline()).decode()
            self.send("334 UGFzc3dvcmQ6")
            self.auth = [user, base64.b64decode(self.readline()).decode()]
        else:
            self.send("504 unrecognized authentication type")
            return
        self.send("235 authenticated" if self.auth else "535 bad credentials")


class SMTPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


# ---- webhook -----------------------------------------------------------------------------

class HookHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    per_path = {}

    def log_message(self, fmt, *args):  # quiet: the records are the log
        pass

    def answer_for(self, path):
        with lock:
            seen = self.per_path.get(path, 0) + 1
            self.per_path[path] = seen
        if path == "/broken":
            return 500
        parts = path.split("/")
        if len(parts) > 3 and parts[1] == "fail" and parts[2].isdigit():
            return 500 if seen <= int(parts[2]) else 200
        return 200

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status = self.answer_for(self.path)
        save(self.server.folder, "hook", {
            "method": self.command, "path": self.path, "headers": dict(self.headers.items()),
            "body": body.decode("utf-8", "replace"), "at": time.time(), "status": status})
        reply = b'{"ok":true}' if status == 200 else b'{"error":"test sink says no"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_POST = do_PUT = do_GET = handle_any


class HookServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


# ---- reading what arrived -----------------------------------------------------------------

MAIL_KINDS = {"CẢNH BÁO": "firing", "ĐÃ KHÔI PHỤC": "recovery", "NHẮC LẠI": "repeat",
              "THỬ": "test"}


def decode_mail(path):
    import email
    import email.header
    import email.policy
    with open(path, encoding="utf-8") as f:
        rec = json.load(f)
    msg = email.message_from_string(rec["data"], policy=email.policy.compat32)
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"] or "")))
    payload = msg.get_payload(decode=True) or b""
    rec.update({"headers": {k: v for k, v in msg.items() if k != "Subject"},
                "subject": subject, "body": payload.decode("utf-8", "replace")})
    return rec


def summary(maildir, hookdir):
    rows = []
    for folder, prefix in ((maildir, "mail"), (hookdir, "hook")):
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        for name in names:
            if not (name.startswith(prefix + "-") and name.endswith(".json")):
                continue
            path = os.path.join(folder, name)
            if prefix == "mail":
                m = decode_mail(path)
                head = m["subject"].replace("[wardwatch] ", "", 1)
                note = head.split(":", 1)[0]
                kind = MAIL_KINDS.get(note, "?")
                device = head.split(" – ", 1)[1] if " – " in head else "?"
                rows.append((m["at"], ["mail", kind, device, ",".join(m["rcpt"])]))
            else:
                with open(path, encoding="utf-8") as f:
                    h = json.load(f)
                try:
                    b = json.loads(h["body"])
                    kind, dev = b.get("kind") or "?", b.get("device_name") or "?"
                except ValueError:
                    kind, dev = "?", "?"
                rows.append((h["at"], ["hook", kind, dev, h["path"], str(h["status"])]))
    for _, r in sorted(rows, key=lambda x: x[0]):
        print("\t".join(r))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "summary":
        return summary(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 3 and sys.argv[1] == "mail":
        return print(json.dumps(decode_mail(sys.argv[2]), ensure_ascii=False))
    if len(sys.argv) < 4 or sys.argv[1] not in ("smtp", "webhook"):
        sys.exit(__doc__)
    kind, folder, portfile = sys.argv[1:4]
    os.makedirs(folder, exist_ok=True)
    if kind == "smtp":
        srv = SMTPServer(("127.0.0.1", 0), SMTPHandler)
        srv.tls_ctx = None
        if len(sys.argv) == 7 and sys.argv[4] == "--tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(sys.argv[5], sys.argv[6])
            srv.tls_ctx = ctx
    else:
        srv = HookServer(("127.0.0.1", 0), HookHandler)
    srv.folder = folder
    write_port(portfile, srv.server_address[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()
