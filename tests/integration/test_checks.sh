#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_checks.sh - the active checks (issue 18 item 2) against servers this test starts on
# loopback (python3): HTTP that answers, answers slowly, fails (500), lacks the expected
# text, redirects to another scheme (refused) or forever (bounded); HTTPS with a good and an
# expired certificate made here with openssl; TCP to an open and a closed port; DNS of
# localhost; ICMP to 127.0.0.x and ::1, and (as root) to an address in a network namespace
# made here that does not answer. `wardwatch-probe --checks --once --now` runs them all at
# once; what it prints and the state rows it stores are compared with the table below.
set -u
source "$(dirname "$0")/lib.sh"

for tool in python3 sqlite3 openssl; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
NOW=1893456000 # 2030-01-01 UTC: the probe's clock, for the certificate's days left
ww_conf ck
ww_init ck "checks-test-$RANDOM$RANDOM"
DB=$T/ck/wardwatch.db

# ---- certificates: a CA, a server certificate valid 2020..2040, one that expired in 2020
mkdir -p "$T/ca"
: >"$T/ca/index.txt"
echo 01 >"$T/ca/serial"
cat >"$T/ca/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $T/ca/index.txt
new_certs_dir = $T/ca
serial = $T/ca/serial
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
CNF
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
openssl req -x509 $ec -keyout "$T/ca/ca.key" -out "$T/ca/ca.pem" -days 36500 \
    -subj "/CN=wardwatch test CA" 2>/dev/null &&
openssl req $ec -keyout "$T/ca/srv.key" -out "$T/ca/srv.csr" -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null &&
openssl ca -batch -config "$T/ca/ca.cnf" -cert "$T/ca/ca.pem" -keyfile "$T/ca/ca.key" \
    -in "$T/ca/srv.csr" -out "$T/ca/good.pem" -notext \
    -startdate 20200101000000Z -enddate 20400101000000Z 2>/dev/null &&
openssl ca -batch -config "$T/ca/ca.cnf" -cert "$T/ca/ca.pem" -keyfile "$T/ca/ca.key" \
    -in "$T/ca/srv.csr" -out "$T/ca/old.pem" -notext \
    -startdate 20200101000000Z -enddate 20200201000000Z 2>/dev/null ||
    { fail "certificates made with openssl"; exit 1; }

# ---- the servers: plain HTTP, HTTPS with the good and with the expired certificate
cat >"$T/srv.py" <<'PY'
import http.server, ssl, sys, threading, time
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        p = self.path
        if p == "/slow":
            time.sleep(3)
        if p in ("/redir", "/loop"):
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/x" if p == "/redir" else "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = "Cổng dịch vụ công: Xin chào OK".encode() if p != "/other" else b"maintenance"
        self.send_response(500 if p == "/fail" else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
def serve(portfile, cert=None):
    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    s.daemon_threads = True
    if cert:
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        c.load_cert_chain(cert, sys.argv[1] + "/ca/srv.key")
        s.socket = c.wrap_socket(s.socket, server_side=True)
    open(portfile + ".tmp", "w").write(str(s.server_address[1]))
    import os; os.rename(portfile + ".tmp", portfile)
    s.serve_forever()
d = sys.argv[1]
for args in ((d + "/http.port",), (d + "/good.port", d + "/ca/good.pem"), (d + "/old.port", d + "/ca/old.pem")):
    threading.Thread(target=serve, args=args, daemon=True).start()
threading.Event().wait()
PY
spawn srv python3 "$T/srv.py" "$T"
HP=$(wait_port_file "$T/http.port" 20) && GP=$(wait_port_file "$T/good.port" 20) &&
    OP=$(wait_port_file "$T/old.port" 20) || { fail "test servers started" "$(cat "$T/srv.log")"; exit 1; }
CLOSED=$(free_port tcp)

# ---- a namespace with an address that does not answer echoes (root only)
NS=""
SILENT=""
if [ "$(id -u)" = 0 ] && ip netns add "wwchk$$" 2>/dev/null; then
    NS="wwchk$$"
    net=$((RANDOM % 200 + 20))
    if ip link add "wwc$$a" type veth peer name "wwc$$b" 2>/dev/null &&
        ip link set "wwc$$b" netns "$NS" &&
        ip addr add "10.$net.77.1/30" dev "wwc$$a" && ip link set "wwc$$a" up &&
        ip -n "$NS" addr add "10.$net.77.2/30" dev "wwc$$b" && ip -n "$NS" link set "wwc$$b" up &&
        ip netns exec "$NS" sysctl -qw net.ipv4.icmp_echo_ignore_all=1; then
        SILENT="10.$net.77.2"
    fi
fi
_ns_cleanup() { [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null; ip link del "wwc$$a" 2>/dev/null; _cleanup; }
trap _ns_cleanup EXIT

# ---- the checks: id name kind target port expect timeout_ms | state reason (what must come)
CASES=(
    "1|web ok|http|http://127.0.0.1:$HP/|0|Xin chào OK|2000|up|-|the page answers with its text"
    "2|web slow|http|http://127.0.0.1:$HP/slow|0||1000|down|timeout|slower than its time-out"
    "3|web 500|http|http://127.0.0.1:$HP/fail|0||2000|down|status|a server error is down"
    "4|web text|http|http://127.0.0.1:$HP/other|0|Xin chào OK|2000|down|expect|the text is missing"
    "5|web ftp|http|http://127.0.0.1:$HP/redir|0||2000|down|redirect_refused|a redirect to ftp is refused"
    "6|web loop|http|http://127.0.0.1:$HP/loop|0||2000|down|too_many_redirects|redirects are bounded"
    "7|tls ok|http|https://127.0.0.1:$GP/|0||2000|up|-|a good certificate"
    "8|tls old|http|https://127.0.0.1:$OP/|0||2000|down|tls_verify|an expired certificate"
    "9|tcp open|tcp|127.0.0.1|$HP||2000|up|-|a listening port"
    "10|tcp closed|tcp|127.0.0.1|$CLOSED||2000|down|refused|nobody listens"
    "11|dns|dns|localhost|0||2000|up|-|localhost resolves"
    "12|ping lo|icmp|127.0.0.9|0||1000|up|-|127/8 answers"
)
if [ -n "$SILENT" ]; then
    CASES+=("13|ping silent|icmp|$SILENT|0||1000|down|no_reply|an address that ignores echoes")
else
    skip "ICMP to a silent address in a namespace" "ip netns not permitted"
fi
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    CASES+=("14|ping6 lo|icmp|::1|0||1000|up|-|IPv6 loopback")
fi
for c in "${CASES[@]}"; do
    IFS='|' read -r id name kind target port expect tmo _ <<<"$c"
    sqlite3 "$DB" "INSERT INTO probe_check (id, name, kind, target, port, expect, interval_s,
        timeout_ms) VALUES ($id, '$name', '$kind', '$target', $port, NULLIF('$expect', ''), 60, $tmo);
        INSERT INTO probe_check_state (check_id) VALUES ($id);" || fail "fixture $name"
done

# check 3 belongs to a device: its going down is that device's event
sqlite3 "$DB" "INSERT INTO device (id, name, kind, host) VALUES (901, 'Máy chủ một cửa', 'server', '127.0.0.1');
    UPDATE probe_check SET device_id = 901 WHERE id = 3" || fail "device fixture"
start=$(date +%s%N)
"$BIN/wardwatch-probe" -c "$T/ck.conf" --checks --once --now "$NOW" --ca-file "$T/ca/ca.pem" \
    >"$T/out" 2>"$T/err" || fail "probe --checks --once" "$(tail -3 "$T/err")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "# one round of ${#CASES[@]} checks at once: $ms ms"
for c in "${CASES[@]}"; do
    IFS='|' read -r id name kind target port expect tmo state reason why <<<"$c"
    line=$(grep "^check $id " "$T/out")
    check "$why: $name is $state ($reason) [$line]" \
        [ "$(echo "$line" | cut -d' ' -f3)" = "$state" ] &&
        [ "$(echo "$line" | sed -n 's/.* reason \([^ ]*\).*/\1/p')" = "$reason" ]
    check "$name stored $state" \
        [ "$(sqlite3 "$DB" "SELECT state || '/' || ifnull(reason, '-') FROM probe_check_state WHERE check_id = $id")" = "$state/$reason" ]
done
check "the device's check going down is its open check_down event" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE device_id = 901 AND type = 'check_down' AND ended_at IS NULL AND started_at = $NOW AND json_extract(params, '$.why') = 'status'")" = 1 ]
check "checks without a device make no device event" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'check_down'")" = 1 ]
check "the 500 keeps its status" [ "$(sqlite3 "$DB" "SELECT http_status FROM probe_check_state WHERE check_id = 3")" = 500 ]
check "the good certificate has 3652 days left at 2030-01-01" \
    [ "$(sqlite3 "$DB" "SELECT cert_days FROM probe_check_state WHERE check_id = 7")" = 3652 ]
check "ICMP to 127.0.0.9: no loss, a latency and a jitter" \
    [ "$(sqlite3 "$DB" "SELECT loss_pct = 0 AND latency_ms >= 0 AND jitter_ms >= 0 FROM probe_check_state WHERE check_id = 12")" = 1 ]
if [ -n "$SILENT" ]; then
    check "the silent address lost every echo" \
        [ "$(sqlite3 "$DB" "SELECT loss_pct FROM probe_check_state WHERE check_id = 13")" = 100.0 ]
fi
downs=$(printf '%s\n' "${CASES[@]}" | grep -c '|down|')
check "each check gone down is one state change in the history ($downs)" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM probe_check_history WHERE state = 'down' AND at = $NOW")" = "$downs" ]
check "nothing of a URL's path in the log" bash -c "! grep -q '/slow\|/fail\|/redir' '$T/err'"
# the figures in the check's RRD file (storage/, rrd/checks/<id>/check.rrd)
check "each check has its RRD file" [ "$(ls "$T"/ck/rrd/checks/*/check.rrd | wc -l)" = "${#CASES[@]}" ]
if command -v rrdtool >/dev/null; then
    check "the RRD file of ping lo holds its first sample's time" \
        [ "$(rrdtool last "$T/ck/rrd/checks/12/check.rrd")" = "$NOW" ]
fi
