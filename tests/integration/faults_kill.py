#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""faults_kill.py - the kill -9 battery of test_faults.sh (python3 stdlib only).

Keeps wardwatch-collector (long-running, or a bounded `--intervals` run, every other start)
and wardwatch-dashboard running on one data folder while it makes changes through the JSON
API (devices added, renamed, switched off and removed; alert rules; holidays; users) and
records every change the API answered 2xx. Each round lasts 0.2-0.4 s; in some rounds a
timer SIGKILLs the collector or the dashboard at a random moment (requests in flight or not),
and the round's end starts it again. Every --check-every rounds, and at the end, it checks:
  - the database: PRAGMA integrity_check is "ok";
  - every RRD file under rrd/ (removed devices' folders too): not empty, `rrdtool info`,
    `last` and `fetch` read it;
  - every acknowledged change is in the database: a created or edited record has the value
    the API acknowledged (or one an unanswered request tried to set after it), an
    acknowledged removal stays removed.
Prints "ok - ..." / "not ok - ..." lines (TAP-ish, as lib.sh) and a summary; exit 1 on a
failure. The programs it started are killed at its end, and their pids are kept in
--pid-file while they run, so that the calling test's trap can kill them too.
"""
import argparse
import glob
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time


class Proc:
    """one of our programs, started and killed by pid only"""

    def __init__(self, name, argv, log, pidfile):
        self.name, self.argv, self.log, self.pidfile = name, argv, log, pidfile
        self.p = None
        self.starts = 0
        self.kills = 0

    def start(self, argv=None):
        with open(self.log, "ab") as f:
            self.p = subprocess.Popen(argv or self.argv, stdout=f, stderr=f)
        self.starts += 1
        self._pids()

    def kill9(self):
        if self.p and self.p.poll() is None:
            try:
                os.kill(self.p.pid, signal.SIGKILL)
                self.kills += 1
            except ProcessLookupError:
                pass

    def reap(self):
        if self.p:
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.p.pid, signal.SIGKILL)
                self.p.wait()

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def _pids(self):
        pids = []
        for q in (COLL, DASH):
            if q is not None and q.p is not None:
                pids.append(str(q.p.pid))
        with open(self.pidfile, "w") as f:
            f.write("\n".join(pids) + "\n")


COLL = DASH = None


class Api:
    def __init__(self, port_file):
        self.port_file = port_file
        self.port = None
        self.cookie = None
        self.csrf = None

    def wait_port(self, timeout=15.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with open(self.port_file) as f:
                    s = f.read().strip()
                if s.isdigit():
                    self.port = int(s)
                    return True
            except OSError:
                pass
            time.sleep(0.01)
        return False

    def request(self, method, path, body=None, timeout=10.0):
        """(status, json or None); status None when no answer came (refused, reset, cut)"""
        headers = {"Origin": "http://127.0.0.1:%d" % self.port}
        if self.cookie:
            headers["Cookie"] = "ww_session=" + self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, "/api/v1" + path, body=data, headers=headers)
            r = c.getresponse()
            raw = r.read()
            if method == "POST" and path == "/session":
                for k, v in r.getheaders():
                    if k.lower() == "set-cookie" and v.startswith("ww_session="):
                        self.cookie = v.split(";", 1)[0].split("=", 1)[1]
            try:
                j = json.loads(raw) if raw else None
            except ValueError:
                j = None
            return r.status, j
        except socket_errors():
            return None, None
        finally:
            c.close()


def socket_errors():
    return (OSError, http.client.HTTPException)


class Entity:
    """what the database must hold for one record: each field's acceptable values"""

    def __init__(self, kind, key, fields):
        self.kind, self.key = kind, key
        self.ok = {f: {v} for f, v in fields.items()}
        self.removed = False  # an acknowledged removal
        self.unsure = False  # a request on it got no answer: no more requests on it


class Model:
    def __init__(self):
        self.items = {}  # (kind, key) -> Entity
        self.acked = 0
        self.unanswered = 0

    def live(self, kind):
        return [e for e in self.items.values()
                if e.kind == kind and not e.removed and not e.unsure]


def check_db(db_path, model):
    """(integrity, list of lost changes)"""
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True, timeout=30)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        lost = []
        queries = {
            "device": ("SELECT name, enabled FROM device WHERE id=?", ("name", "enabled")),
            "rule": ("SELECT name, for_s FROM alert_rule WHERE id=?", ("name", "for_s")),
            "holiday": ("SELECT name FROM holiday WHERE day=?", ("name",)),
            "user": ("SELECT full_name, role FROM user WHERE id=?", ("full_name", "role")),
        }
        for e in model.items.values():
            sql, cols = queries[e.kind]
            row = db.execute(sql, (e.key,)).fetchone()
            got = dict(zip(cols, row)) if row else None
            if e.removed:
                # ids may be taken again by a later record: a removed one is gone when its
                # key holds nothing, or something with a name it never had
                if got and got.get("name") in e.ok.get("name", set()) and e.kind != "holiday":
                    lost.append("%s %s: removed (204), still there: %s" % (e.kind, e.key, got))
                if got and e.kind == "holiday":
                    lost.append("holiday %s: removed (204), still there: %s" % (e.key, got))
                continue
            if got is None:
                if not e.unsure:
                    lost.append("%s %s: acknowledged, missing" % (e.kind, e.key))
                continue
            for f, vals in e.ok.items():
                if got[f] not in vals:
                    lost.append("%s %s: %s is %r, acknowledged %r" % (e.kind, e.key, f, got[f],
                                                                    sorted(vals, key=str)))
        return integrity, lost
    finally:
        db.close()


def check_rrd(rrd_dir):
    """(files checked, list of problems)"""
    files = sorted(glob.glob(os.path.join(rrd_dir, "**", "*.rrd"), recursive=True))
    bad = []
    if not files:
        return 0, bad
    cmds = []
    for f in files:
        if os.path.getsize(f) == 0:
            bad.append("%s: empty" % f)
        cmds += ["info %s" % f, "last %s" % f, "fetch %s AVERAGE -s -1h" % f]
    out = subprocess.run(["rrdtool", "-"], input="\n".join(cmds) + "\n", capture_output=True,
                         text=True, timeout=120).stdout.split("\n")
    results = [ln for ln in out if ln.startswith("OK u:") or ln.startswith("ERROR")]
    if len(results) != len(cmds):
        bad.append("rrdtool answered %d of %d commands" % (len(results), len(cmds)))
    for cmd, res in zip(cmds, results):
        if res.startswith("ERROR"):
            bad.append("%s: %s" % (cmd, res))
    return len(files), bad


def main():
    global COLL, DASH
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--conf", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--pid-file", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--check-every", type=int, default=50)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()

    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    print("# seed %d (FAULT_SEED=%d repeats this run)" % (seed, seed), flush=True)
    db_path = os.path.join(a.data, "wardwatch.db")
    rrd_dir = os.path.join(a.data, "rrd")
    coll_argv = [os.path.join(a.bin, "wardwatch-collector"), "-c", a.conf]
    COLL = Proc("collector", coll_argv, os.path.join(a.logs, "fk-collector.log"), a.pid_file)
    DASH = Proc("dashboard", [os.path.join(a.bin, "wardwatch-dashboard"), "-c", a.conf],
                os.path.join(a.logs, "fk-dashboard.log"), a.pid_file)
    api = Api(a.port_file)
    model = Model()
    failures = 0
    n = [0]
    stats = {"checks": 0, "rrd_files": 0, "lost": 0, "requests": 0, "bounded_starts": 0}

    def start_collector():
        # every other start is a bounded run: intervals back to back, a write each second
        if COLL.starts % 2:
            stats["bounded_starts"] += 1
            COLL.start(coll_argv + ["--intervals", "1000"])
        else:
            COLL.start()

    def start_dashboard():
        try:
            os.unlink(a.port_file)
        except FileNotFoundError:
            pass
        DASH.start()
        if not api.wait_port():
            raise SystemExit("not ok - the dashboard came back (no port file)")

    def uniq():
        n[0] += 1
        return n[0]

    def send(method, path, body, ent=None, kind=None, on_ok=None):
        stats["requests"] += 1
        st, j = api.request(method, path, body)
        if st is None or st >= 500:
            model.unanswered += 1
            if ent is not None:
                ent.unsure = True
                for f, v in (body or {}).items():
                    if f in ent.ok:
                        ent.ok[f].add(v)
            return None
        if 200 <= st < 300:
            model.acked += 1
            if on_ok:
                on_ok(j)
            return st
        raise SystemExit("not ok - %s %s %s answered %s %s" % (method, path, body, st, j))

    def op_device_add():
        k = uniq()
        body = {"name": "fk-dev-%d" % k, "host": "127.0.3.%d" % (k % 250 + 1),
                "snmp_port": 1024 + k, "kind": rnd.choice(["switch", "router", "pc", "ap"]),
                "snmp_community": "fk", "enabled": rnd.random() < 0.3}

        def ok(j):
            e = Entity("device", j["id"], {"name": body["name"], "enabled": int(body["enabled"])})
            model.items[("device", j["id"])] = e
        send("POST", "/devices", body, on_ok=ok)

    def op_device_edit():
        live = model.live("device")
        if not live:
            return op_device_add()
        e = rnd.choice(live)
        if rnd.random() < 0.7:
            body = {"name": "fk-dev-%d" % uniq()}
        else:
            body = {"enabled": rnd.random() < 0.5}
        db_body = {f: (int(v) if isinstance(v, bool) else v) for f, v in body.items()}

        def ok(j):
            for f, v in db_body.items():
                e.ok[f] = {v}
        # (an unanswered request leaves either value: send() adds the new one, and
        # True == 1 in the acceptable sets)
        send("PATCH", "/devices/%d" % e.key, body, ent=e, on_ok=ok)

    def op_remove(kind, path):
        live = model.live(kind)
        if not live:
            return
        e = rnd.choice(live)

        def ok(j):
            e.removed = True
        send("DELETE", path % e.key, None, ent=e, on_ok=ok)

    def op_rule_add():
        body = {"name": "fk-rule-%d" % uniq(), "kind": "device_down",
                "for_s": rnd.choice([0, 60, 300])}

        def ok(j):
            model.items[("rule", j["id"])] = Entity("rule", j["id"],
                                                    {"name": body["name"], "for_s": body["for_s"]})
        send("POST", "/alert-rules", body, on_ok=ok)

    def op_rule_edit():
        live = model.live("rule")
        if not live:
            return op_rule_add()
        e = rnd.choice(live)
        body = {"name": "fk-rule-%d" % uniq(), "for_s": rnd.choice([0, 30, 120, 600])}

        def ok(j):
            for f, v in body.items():
                e.ok[f] = {v}
        send("PATCH", "/alert-rules/%d" % e.key, body, ent=e, on_ok=ok)

    def op_holiday():
        day = "20%02d-%02d-%02d" % (40 + rnd.randrange(20), 1 + rnd.randrange(12),
                                    1 + rnd.randrange(28))
        e = model.items.get(("holiday", day))
        if e is not None and e.unsure:
            return
        if e is not None and not e.removed and rnd.random() < 0.3:
            def gone(j):
                e.removed = True
            send("DELETE", "/holidays/%s" % day, None, ent=e, on_ok=gone)
            return
        body = {"name": "Nghỉ lễ %d" % uniq()}
        if e is None or e.removed:
            e = Entity("holiday", day, {"name": body["name"]})
            e.unsure = True  # until acknowledged
            model.items[("holiday", day)] = e

        def ok(j):
            e.ok["name"] = {body["name"]}
            e.removed = False
            e.unsure = False
        send("PUT", "/holidays/%s" % day, body, ent=e, on_ok=ok)

    def op_user_add():
        k = uniq()
        body = {"login": "fkuser%d" % k, "full_name": "Người thử %d" % k,
                "role": rnd.choice(["viewer", "it", "hr"]), "password": "Fk-pass-%d-xyz" % k}

        def ok(j):
            model.items[("user", j["id"])] = Entity(
                "user", j["id"], {"full_name": body["full_name"], "role": body["role"]})
        send("POST", "/users", body, on_ok=ok)

    def op_user_edit():
        live = model.live("user")
        if not live:
            return op_user_add()
        e = rnd.choice(live)
        body = {"full_name": "Người thử %d" % uniq(), "role": rnd.choice(["viewer", "manager"])}

        def ok(j):
            for f, v in body.items():
                e.ok[f] = {v}
        send("PATCH", "/users/%d" % e.key, body, ent=e, on_ok=ok)

    ops = [(op_device_add, 20), (op_device_edit, 20), (lambda: op_remove("device", "/devices/%d"), 8),
           (op_rule_add, 8), (op_rule_edit, 10), (lambda: op_remove("rule", "/alert-rules/%d"), 4),
           (op_holiday, 14), (op_user_add, 3), (op_user_edit, 8)]
    total_w = sum(w for _, w in ops)

    def one_op():
        x = rnd.uniform(0, total_w)
        for f, w in ops:
            x -= w
            if x <= 0:
                return f()
        return ops[-1][0]()

    def full_check(label, final=False):
        nonlocal failures
        stats["checks"] += 1
        integrity, lost = check_db(db_path, model)
        nfiles, bad = check_rrd(rrd_dir)
        stats["rrd_files"] = nfiles
        stats["lost"] = len(lost)
        if integrity != "ok":
            failures += 1
            print("not ok - %s: integrity_check: %s" % (label, integrity))
        if lost:
            failures += 1
            print("not ok - %s: %d acknowledged change(s) lost" % (label, len(lost)))
            for ln in lost[:20]:
                print("#   " + ln)
        if bad:
            failures += 1
            print("not ok - %s: %d RRD problem(s) in %d files" % (label, len(bad), nfiles))
            for ln in bad[:20]:
                print("#   " + ln)
        if final or integrity != "ok" or lost or bad:
            return
        print("# %s: integrity ok, %d RRD files read, %d acknowledged changes all there"
              % (label, nfiles, model.acked), flush=True)

    t0 = time.monotonic()
    try:
        start_collector()
        start_dashboard()
        st, j = api.request("POST", "/session", {"login": "admin", "password": a.admin_password})
        if st != 200 or not j or "csrf_token" not in j:
            print("not ok - log in as admin: %s %s" % (st, j))
            return 1
        api.csrf = j["csrf_token"]
        for r in range(1, a.rounds + 1):
            end = time.monotonic() + rnd.uniform(0.2, 0.4)
            victim = None
            timer = None
            x = rnd.random()
            if x < 0.2:
                victim = COLL
            elif x < 0.4:
                victim = DASH
            if victim is not None:
                timer = threading.Timer(rnd.uniform(0, end - time.monotonic()), victim.kill9)
                timer.start()
            while time.monotonic() < end:
                one_op()
                if victim is DASH and not DASH.alive():
                    break  # nothing to talk to until the round's end starts it again
            if timer is not None:
                timer.join()
            for p, starter in ((COLL, start_collector), (DASH, start_dashboard)):
                if not p.alive():
                    p.reap()
                    rc = p.p.returncode
                    if rc not in (-signal.SIGKILL, 0):
                        print("not ok - round %d: the %s exited %s by itself" % (r, p.name, rc))
                        failures += 1
                    starter()
            if r % a.check_every == 0 and r != a.rounds:
                full_check("round %d" % r)
        elapsed = time.monotonic() - t0
        # the end: one last kill -9 of each, as a power cut would leave things
        COLL.kill9()
        DASH.kill9()
        COLL.reap()
        DASH.reap()
        full_check("after %d rounds" % a.rounds, final=True)
        lost_total = stats["lost"]
        print("# %d rounds in %.1f s: %d requests, %d changes acknowledged, %d unanswered; "
              "kill -9: collector %d (started %d, %d bounded), dashboard %d (started %d); "
              "%d checks; %d RRD files; changes lost: %d"
              % (a.rounds, elapsed, stats["requests"], model.acked, model.unanswered,
                 COLL.kills, COLL.starts, stats["bounded_starts"], DASH.kills, DASH.starts,
                 stats["checks"], stats["rrd_files"], lost_total), flush=True)
        if failures == 0:
            print("ok - kill -9 x %d over %d rounds: database intact, %d RRD files readable, "
                  "0 of %d acknowledged changes lost"
                  % (COLL.kills + DASH.kills, a.rounds, stats["rrd_files"], model.acked))
        return 1 if failures else 0
    finally:
        for p in (COLL, DASH):
            if p.alive():
                p.kill9()
                p.reap()


if __name__ == "__main__":
    sys.exit(main())
