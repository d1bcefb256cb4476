/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * agentsim.c - a fast SNMP v2c agent simulator for the benchmarks: N agents, each on its own
 * loopback address (127.1.x.y) and one UDP port, each with the system group, 16 interfaces
 * (ifTable + ifXTable, 64-bit counters moving at a per-agent rate) and HOST-RESOURCES (RAM
 * and two disks in hrStorage, two processors with hrProcessorLoad).
 *
 * DESIGN: one socket bound to the wildcard address receives for every 127.1.x.y; IP_PKTINFO
 * tells which agent was asked and the answer leaves from that same address. One thread, a
 * blocking recvmsg loop; values are computed from the agent number and the time, nothing is
 * stored per agent. Just enough BER for GET, GETNEXT and GETBULK. Debian's snmpsimd answers
 * about 1,200 requests/s; this answers tens of thousands, so the collector is what the
 * benchmark measures.
 *
 *   ww-agentsim COUNT PORT [COMMUNITY]     runs until SIGTERM/SIGINT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"

#include "common/banned.h"

#define MAX_OID 32
#define NIF 16

enum vtype { V_INT = 0x02, V_STR = 0x04, V_OID = 0x06, V_C32 = 0x41, V_G32 = 0x42,
             V_TT = 0x43, V_C64 = 0x46 };

struct row {
    uint32_t oid[MAX_OID];
    size_t len;
    int kind; /* what value: see value() */
    int arg;  /* interface or storage number */
};

static struct row *rows;
static size_t nrows, caprows;
static double t0;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    stop = 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { K_DESCR, K_OBJID, K_UPTIME, K_NAME, K_IFINDEX, K_IFDESCR, K_IFTYPE, K_IFSPEED,
       K_IFADMIN, K_IFOPER, K_IFIN32, K_IFINERR, K_IFOUT32, K_IFOUTERR, K_IFNAME, K_IFHCIN,
       K_IFHCOUT, K_IFHIGH, K_IFALIAS, K_HRMEM, K_STTYPE, K_STDESCR, K_STUNITS, K_STSIZE,
       K_STUSED, K_DEVTYPE, K_DEVDESCR, K_CPULOAD };

static void add_row(const char *prefix, uint32_t last, int kind, int arg)
{
    struct row *r;
    char *copy = ww_strdup(prefix), *save = NULL, *tok;
    if (nrows == caprows) {
        caprows = caprows ? caprows * 2 : 256;
        rows = ww_reallocarray(rows, caprows, sizeof(*rows));
    }
    r = &rows[nrows++];
    memset(r, 0, sizeof(*r));
    for (tok = strtok_r(copy, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
        r->oid[r->len++] = (uint32_t)strtoul(tok, NULL, 10);
    r->oid[r->len++] = last;
    r->kind = kind;
    r->arg = arg;
    free(copy);
}

static int oid_cmp(const uint32_t *a, size_t al, const uint32_t *b, size_t bl)
{
    for (size_t i = 0; i < al && i < bl; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return al < bl ? -1 : al > bl;
}

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    return oid_cmp(x->oid, x->len, y->oid, y->len);
}

static void build_rows(void)
{
    static const struct {
        const char *col;
        int kind;
    } ifcols[] = {{"1.3.6.1.2.1.2.2.1.1", K_IFINDEX}, {"1.3.6.1.2.1.2.2.1.2", K_IFDESCR},
                  {"1.3.6.1.2.1.2.2.1.3", K_IFTYPE},  {"1.3.6.1.2.1.2.2.1.5", K_IFSPEED},
                  {"1.3.6.1.2.1.2.2.1.7", K_IFADMIN}, {"1.3.6.1.2.1.2.2.1.8", K_IFOPER},
                  {"1.3.6.1.2.1.2.2.1.10", K_IFIN32}, {"1.3.6.1.2.1.2.2.1.14", K_IFINERR},
                  {"1.3.6.1.2.1.2.2.1.16", K_IFOUT32}, {"1.3.6.1.2.1.2.2.1.20", K_IFOUTERR},
                  {"1.3.6.1.2.1.31.1.1.1.1", K_IFNAME}, {"1.3.6.1.2.1.31.1.1.1.6", K_IFHCIN},
                  {"1.3.6.1.2.1.31.1.1.1.10", K_IFHCOUT},
                  {"1.3.6.1.2.1.31.1.1.1.15", K_IFHIGH},
                  {"1.3.6.1.2.1.31.1.1.1.18", K_IFALIAS}};
    static const struct {
        const char *col;
        int kind;
    } stcols[] = {{"1.3.6.1.2.1.25.2.3.1.2", K_STTYPE}, {"1.3.6.1.2.1.25.2.3.1.3", K_STDESCR},
                  {"1.3.6.1.2.1.25.2.3.1.4", K_STUNITS}, {"1.3.6.1.2.1.25.2.3.1.5", K_STSIZE},
                  {"1.3.6.1.2.1.25.2.3.1.6", K_STUSED}};
    add_row("1.3.6.1.2.1.1.1", 0, K_DESCR, 0);
    add_row("1.3.6.1.2.1.1.2", 0, K_OBJID, 0);
    add_row("1.3.6.1.2.1.1.3", 0, K_UPTIME, 0);
    add_row("1.3.6.1.2.1.1.5", 0, K_NAME, 0);
    for (size_t c = 0; c < WW_ARRAY_SIZE(ifcols); c++)
        for (int i = 1; i <= NIF; i++)
            add_row(ifcols[c].col, (uint32_t)i, ifcols[c].kind, i);
    add_row("1.3.6.1.2.1.25.2.2", 0, K_HRMEM, 0);
    for (size_t c = 0; c < WW_ARRAY_SIZE(stcols); c++)
        for (int i = 1; i <= 3; i++)
            add_row(stcols[c].col, (uint32_t)i, stcols[c].kind, i);
    for (int i = 1; i <= 2; i++) {
        add_row("1.3.6.1.2.1.25.3.2.1.2", 767 + (uint32_t)i, K_DEVTYPE, i);
        add_row("1.3.6.1.2.1.25.3.2.1.3", 767 + (uint32_t)i, K_DEVDESCR, i);
        add_row("1.3.6.1.2.1.25.3.3.1.2", 767 + (uint32_t)i, K_CPULOAD, i);
    }
    qsort(rows, nrows, sizeof(*rows), row_cmp);
}

/* ---- BER ------------------------------------------------------------------------------- */

struct out {
    unsigned char *p;
    size_t len, cap;
    bool full;
};

static void put(struct out *o, const void *d, size_t n)
{
    if (o->len + n > o->cap) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->len, d, n);
    o->len += n;
}

static void put_len(struct out *o, size_t n)
{
    unsigned char b[3];
    if (n < 128) {
        b[0] = (unsigned char)n;
        put(o, b, 1);
    } else if (n < 256) {
        b[0] = 0x81;
        b[1] = (unsigned char)n;
        put(o, b, 2);
    } else {
        b[0] = 0x82;
        b[1] = (unsigned char)(n >> 8);
        b[2] = (unsigned char)n;
        put(o, b, 3);
    }
}

static void put_tlv(struct out *o, unsigned char tag, const void *v, size_t n)
{
    put(o, &tag, 1);
    put_len(o, n);
    put(o, v, n);
}

static void put_uint(struct out *o, unsigned char tag, uint64_t v)
{
    unsigned char b[9];
    size_t n = 0;
    do {
        b[8 - n++] = (unsigned char)(v & 0xff);
        v >>= 8;
    } while (v);
    if (b[9 - n] & 0x80)
        b[8 - n++] = 0;
    put_tlv(o, tag, b + 9 - n, n);
}

static void put_oid(struct out *o, const uint32_t *oid, size_t len)
{
    unsigned char b[MAX_OID * 5];
    size_t n = 0;
    b[n++] = (unsigned char)(oid[0] * 40 + oid[1]);
    for (size_t i = 2; i < len; i++) {
        uint32_t v = oid[i];
        unsigned char tmp[5];
        int k = 0;
        do {
            tmp[k++] = (unsigned char)(v & 0x7f);
            v >>= 7;
        } while (v);
        while (k--)
            b[n++] = (unsigned char)(tmp[k] | (k ? 0x80 : 0));
    }
    put_tlv(o, 0x06, b, n);
}

struct in {
    const unsigned char *p;
    size_t len, pos;
};

static bool get_tlv(struct in *in, unsigned char *tag, size_t *start, size_t *n)
{
    size_t p = in->pos, l;
    if (p + 2 > in->len)
        return false;
    *tag = in->p[p++];
    l = in->p[p++];
    if (l & 0x80) {
        size_t k = l & 0x7f;
        if (k == 0 || k > 3 || p + k > in->len)
            return false;
        l = 0;
        while (k--)
            l = (l << 8) | in->p[p++];
    }
    if (l > in->len - p)
        return false;
    *start = p;
    *n = l;
    in->pos = p + l;
    return true;
}

static bool get_int(struct in *in, long *v)
{
    unsigned char tag;
    size_t s, n;
    if (!get_tlv(in, &tag, &s, &n) || tag != 0x02 || n == 0 || n > 4)
        return false;
    *v = (in->p[s] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < n; i++)
        *v = (*v << 8) | in->p[s + i];
    return true;
}

static bool parse_oid(const unsigned char *p, size_t n, uint32_t *oid, size_t *len)
{
    size_t k = 0;
    uint32_t v = 0;
    if (n == 0)
        return false;
    oid[k++] = p[0] / 40;
    oid[k++] = p[0] % 40;
    for (size_t i = 1; i < n; i++) {
        v = (v << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            if (k == MAX_OID)
                return false;
            oid[k++] = v;
            v = 0;
        }
    }
    *len = k;
    return true;
}

/* ---- values ------------------------------------------------------------------------------ */

static void put_value(struct out *o, const struct row *r, unsigned agent, double t)
{
    char s[96];
    uint64_t rate = 1000 + (uint64_t)(agent % 97) * 3000 + (uint64_t)r->arg * 50;

    switch (r->kind) {
    case K_DESCR:
        snprintf(s, sizeof(s), "Linux bench-%u 5.10.0 #1 SMP x86_64", agent);
        put_tlv(o, V_STR, s, strlen(s));
        return;
    case K_OBJID: {
        static const uint32_t id[] = {1, 3, 6, 1, 4, 1, 8072, 3, 2, 10};
        put_oid(o, id, WW_ARRAY_SIZE(id));
        return;
    }
    case K_UPTIME: put_uint(o, V_TT, (uint64_t)((now_s() - t0) * 100) + 100000); return;
    case K_NAME:
        snprintf(s, sizeof(s), "bench-%u", agent);
        put_tlv(o, V_STR, s, strlen(s));
        return;
    case K_IFINDEX: put_uint(o, V_INT, (uint64_t)r->arg); return;
    case K_IFDESCR:
    case K_IFNAME:
        snprintf(s, sizeof(s), "eth%d", r->arg - 1);
        put_tlv(o, V_STR, s, strlen(s));
        return;
    case K_IFALIAS:
        snprintf(s, sizeof(s), "port %d", r->arg);
        put_tlv(o, V_STR, s, strlen(s));
        return;
    case K_IFTYPE: put_uint(o, V_INT, 6); return;
    case K_IFSPEED: put_uint(o, V_G32, 1000000000); return;
    case K_IFHIGH: put_uint(o, V_G32, 1000); return;
    case K_IFADMIN:
    case K_IFOPER: put_uint(o, V_INT, 1); return;
    case K_IFIN32: put_uint(o, V_C32, (uint64_t)(t * (double)rate) & 0xffffffffu); return;
    case K_IFOUT32: put_uint(o, V_C32, (uint64_t)(t * (double)rate / 2) & 0xffffffffu); return;
    case K_IFHCIN: put_uint(o, V_C64, (uint64_t)(t * (double)rate)); return;
    case K_IFHCOUT: put_uint(o, V_C64, (uint64_t)(t * (double)rate / 2)); return;
    case K_IFINERR:
    case K_IFOUTERR: put_uint(o, V_C32, (uint64_t)(t / 60)); return;
    case K_HRMEM: put_uint(o, V_INT, 8388608); return;
    case K_STTYPE: {
        uint32_t id[] = {1, 3, 6, 1, 2, 1, 25, 2, 1, r->arg == 1 ? 2u : 4u};
        put_oid(o, id, WW_ARRAY_SIZE(id));
        return;
    }
    case K_STDESCR:
        snprintf(s, sizeof(s), "%s", r->arg == 1 ? "Physical memory" : r->arg == 2 ? "/" : "/home");
        put_tlv(o, V_STR, s, strlen(s));
        return;
    case K_STUNITS: put_uint(o, V_INT, r->arg == 1 ? 1024 : 4096); return;
    case K_STSIZE: put_uint(o, V_INT, r->arg == 1 ? 8388608 : 25000000); return;
    case K_STUSED: put_uint(o, V_INT, (uint64_t)(1000000 + (agent % 20) * 1000000)); return;
    case K_DEVTYPE: {
        static const uint32_t id[] = {1, 3, 6, 1, 2, 1, 25, 3, 1, 3};
        put_oid(o, id, WW_ARRAY_SIZE(id));
        return;
    }
    case K_DEVDESCR: put_tlv(o, V_STR, "Bench CPU", 9); return;
    case K_CPULOAD: put_uint(o, V_INT, (uint64_t)((agent + (unsigned)r->arg) % 100)); return;
    }
}

static const struct row *find(const uint32_t *oid, size_t len, bool next)
{
    size_t lo = 0, hi = nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = oid_cmp(rows[mid].oid, rows[mid].len, oid, len);
        if (c == 0)
            return next ? (mid + 1 < nrows ? &rows[mid + 1] : NULL) : &rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return next && lo < nrows ? &rows[lo] : NULL;
}

/* one varbind: oid = value (or an exception tag) */
static void put_varbind(struct out *o, const uint32_t *oid, size_t len, const struct row *r,
                        unsigned agent, double t, unsigned char exception)
{
    unsigned char buf[256];
    struct out vb = {buf, 0, sizeof(buf), false};
    if (r)
        put_oid(&vb, r->oid, r->len);
    else
        put_oid(&vb, oid, len);
    if (r)
        put_value(&vb, r, agent, t);
    else
        put_tlv(&vb, exception, NULL, 0);
    put_tlv(o, 0x30, buf, vb.len);
}

static size_t answer(const unsigned char *req, size_t reqlen, unsigned agent,
                     const char *community, unsigned char *resp, size_t cap)
{
    struct in in = {req, reqlen, 0};
    unsigned char tag, pdutag, vbs[60000], pdu[61000], msg[62000];
    struct out ov = {vbs, 0, sizeof(vbs), false}, op = {pdu, 0, sizeof(pdu), false};
    struct out om = {msg, 0, sizeof(msg), false}, out = {resp, 0, cap, false};
    size_t s, n, cs, cn, vstart, vlen;
    long version, reqid, nonrep, maxrep;
    double t = now_s() - t0 + 3600.0 * (agent % 24);
    int count = 0;

    if (!get_tlv(&in, &tag, &s, &n) || tag != 0x30)
        return 0;
    in.pos = s;
    if (!get_int(&in, &version) || version != 1)
        return 0;
    if (!get_tlv(&in, &tag, &cs, &cn) || tag != 0x04 || cn != strlen(community) ||
        memcmp(req + cs, community, cn) != 0)
        return 0; /* wrong community: silence, as real agents do */
    if (!get_tlv(&in, &tag, &s, &n) || (tag != 0xa0 && tag != 0xa1 && tag != 0xa5))
        return 0;
    pdutag = tag;
    in.pos = s;
    if (!get_int(&in, &reqid) || !get_int(&in, &nonrep) || !get_int(&in, &maxrep))
        return 0;
    if (!get_tlv(&in, &tag, &vstart, &vlen) || tag != 0x30)
        return 0;
    in.pos = vstart;
    {
        uint32_t oids[128][MAX_OID];
        size_t lens[128], nv = 0;
        while (in.pos < vstart + vlen && nv < 128) {
            size_t bs, bn, os, on;
            struct in vb;
            if (!get_tlv(&in, &tag, &bs, &bn) || tag != 0x30)
                return 0;
            vb = (struct in){req, bs + bn, bs};
            if (!get_tlv(&vb, &tag, &os, &on) || tag != 0x06 ||
                !parse_oid(req + os, on, oids[nv], &lens[nv]))
                return 0;
            nv++;
        }
        if (pdutag == 0xa5) { /* GETBULK: non-repeaters once, the rest maxrep times */
            size_t nr = nonrep < 0 ? 0 : (size_t)nonrep > nv ? nv : (size_t)nonrep;
            long reps = maxrep < 1 ? 1 : maxrep > 100 ? 100 : maxrep;
            for (size_t i = 0; i < nr; i++)
                put_varbind(&ov, oids[i], lens[i], find(oids[i], lens[i], true), agent, t,
                            0x82);
            for (long r = 0; r < reps && !ov.full; r++) {
                bool any = false;
                for (size_t i = nr; i < nv; i++) {
                    const struct row *row = find(oids[i], lens[i], true);
                    put_varbind(&ov, oids[i], lens[i], row, agent, t, 0x82);
                    if (row) {
                        memcpy(oids[i], row->oid, row->len * sizeof(uint32_t));
                        lens[i] = row->len;
                        any = true;
                    }
                    count++;
                }
                if (!any || count > 1000)
                    break;
            }
        } else {
            for (size_t i = 0; i < nv; i++)
                put_varbind(&ov, oids[i], lens[i], find(oids[i], lens[i], pdutag == 0xa1),
                            agent, t, pdutag == 0xa1 ? 0x82 : 0x81);
        }
    }
    if (ov.full)
        return 0;
    put_uint(&op, 0x02, (uint64_t)reqid);
    put_uint(&op, 0x02, 0);
    put_uint(&op, 0x02, 0);
    put_tlv(&op, 0x30, vbs, ov.len);
    put_uint(&om, 0x02, 1);
    put_tlv(&om, 0x04, community, strlen(community));
    put_tlv(&om, 0xa2, pdu, op.len);
    put_tlv(&out, 0x30, msg, om.len);
    return out.full ? 0 : out.len;
}

int main(int argc, char **argv)
{
    long long count, port;
    const char *community = argc > 3 ? argv[3] : "public";
    struct sockaddr_in sa = {0};
    unsigned long served = 0;
    int fd, one = 1;

    if (argc < 3 || ww_parse_ll(argv[1], 1, 65000, &count) < 0 ||
        ww_parse_ll(argv[2], 1, 65535, &port) < 0) {
        fprintf(stderr, "usage: ww-agentsim COUNT PORT [COMMUNITY]\n"
                        "  agents answer on 127.1.0.1 .. (127.1.x.y, one address each)\n");
        return 2;
    }
    build_rows();
    t0 = now_s();
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
    {
        int buf = 8 << 20;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    }
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "ww-agentsim: bind port %lld: %s\n", port, strerror(errno));
        return 1;
    }
    {
        /* no SA_RESTART: a signal must end the blocking recvmsg() */
        struct sigaction sig = {0};
        sig.sa_handler = on_signal;
        sigaction(SIGTERM, &sig, NULL);
        sigaction(SIGINT, &sig, NULL);
    }
    fprintf(stderr, "ww-agentsim: %lld agents on 127.1.0.1.. port %lld\n", count, port);
    while (!stop) {
        unsigned char req[4096], resp[65000];
        char cbuf[256];
        struct sockaddr_in from;
        struct iovec iov = {req, sizeof(req)};
        struct msghdr mh = {&from, sizeof(from), &iov, 1, cbuf, sizeof(cbuf), 0};
        struct in_addr dst = {0};
        ssize_t n = recvmsg(fd, &mh, 0);
        unsigned agent;
        size_t rl;

        if (n <= 0)
            continue;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
                dst = ((struct in_pktinfo *)(void *)CMSG_DATA(c))->ipi_addr;
        agent = ntohl(dst.s_addr) - ntohl(inet_addr("127.1.0.0"));
        if (agent < 1 || agent > (unsigned)count)
            continue;
        rl = answer(req, (size_t)n, agent, community, resp, sizeof(resp));
        if (!rl)
            continue;
        {
            /* answer from the address that was asked */
            char cout[CMSG_SPACE(sizeof(struct in_pktinfo))] = {0};
            struct iovec oiov = {resp, rl};
            struct msghdr om = {&from, sizeof(from), &oiov, 1, cout, sizeof(cout), 0};
            struct cmsghdr *c = CMSG_FIRSTHDR(&om);
            struct in_pktinfo pi = {0};
            c->cmsg_level = IPPROTO_IP;
            c->cmsg_type = IP_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof(pi));
            pi.ipi_spec_dst = dst;
            memcpy(CMSG_DATA(c), &pi, sizeof(pi));
            sendmsg(fd, &om, 0);
        }
        served++;
    }
    fprintf(stderr, "ww-agentsim: %lu requests served\n", served);
    close(fd);
    free(rows);
    return 0;
}
