/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_account.c - struct probe_acct: tshark's counting rules (every IP header, a frame to
 * itself twice, original lengths, dropped frames apart), the bounded host table (eviction
 * of the smallest, counted; lookups still right after backward-shift removals), ports,
 * protocol mix, subnets and the uplink by hour, the 5-minute windows' top talkers; and the
 * pcapng block reader on hand-built files (mixed link types, both byte orders, a timestamp
 * resolution option, malformed blocks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probes.h"
#include "tests/unit/probes/pkt_build.h"

/* a decoded IPv4 frame from a.b.c.@s to a.b.c.@d without building bytes */
static struct probe_pkt v4(const char *src, const char *dst, uint32_t len, unsigned proto,
                           unsigned sport, unsigned dport)
{
    struct probe_pkt p;
    unsigned a, b, c, d;
    memset(&p, 0, sizeof(p));
    p.wire_len = len;
    p.nip = 1;
    p.ip[0].family = 4;
    p.ip[0].proto = (uint8_t)proto;
    sscanf(src, "%u.%u.%u.%u", &a, &b, &c, &d);
    p.ip[0].src[0] = (uint8_t)a, p.ip[0].src[1] = (uint8_t)b, p.ip[0].src[2] = (uint8_t)c,
    p.ip[0].src[3] = (uint8_t)d;
    sscanf(dst, "%u.%u.%u.%u", &a, &b, &c, &d);
    p.ip[0].dst[0] = (uint8_t)a, p.ip[0].dst[1] = (uint8_t)b, p.ip[0].dst[2] = (uint8_t)c,
    p.ip[0].dst[3] = (uint8_t)d;
    if (sport || dport) {
        p.has_ports = true;
        p.sport = (uint16_t)sport;
        p.dport = (uint16_t)dport;
    }
    return p;
}

static const struct probe_host *find(const struct probe_host *h, size_t n, const char *addr)
{
    char buf[64];
    for (size_t i = 0; i < n; i++)
        if (!strcmp(probe_addr_text(h[i].family, h[i].addr, buf, sizeof(buf)), addr))
            return &h[i];
    return NULL;
}

/* each row: frames given, then what one address must show */
static void test_counting(void **state)
{
    struct probe_acct *a = probe_acct_new(1000);
    struct probe_pkt p;
    struct probe_host *hosts;
    struct probe_totals t;
    size_t n;

    p = v4("10.0.0.1", "10.0.0.2", 100, 6, 40000, 443);
    probe_acct_add(a, &p, 1000);
    p = v4("10.0.0.2", "10.0.0.1", 1500, 6, 443, 40000);
    probe_acct_add(a, &p, 1001);
    p = v4("10.0.0.3", "10.0.0.3", 60, 17, 5353, 5353);
    probe_acct_add(a, &p, 1002);
    /* a tunnel: both headers count, the inner one gives the protocol */
    p = v4("10.0.0.1", "10.0.0.9", 200, 4, 0, 0);
    p.nip = 2;
    p.ip[1] = p.ip[0];
    p.ip[1].src[3] = 7;
    p.ip[1].dst[3] = 8;
    p.ip[1].proto = 17;
    probe_acct_add(a, &p, 1003);
    /* a dropped frame: only in the totals */
    memset(&p, 0, sizeof(p));
    p.wire_len = 99;
    p.drop = PROBE_DROP_TRUNC_IP;
    probe_acct_add(a, &p, 1004);

    probe_acct_hosts(a, &hosts, &n);
    const struct {
        const char *addr;
        uint64_t txp, txb, rxp, rxb;
        const char *why;
    } want[] = {
        {"10.0.0.1", 2, 300, 1, 1500, "a source twice (one through a tunnel), a destination once"},
        {"10.0.0.2", 1, 1500, 1, 100, "original lengths, both ways"},
        {"10.0.0.3", 1, 60, 1, 60, "a frame to itself counts once sent and once received"},
        {"10.0.0.7", 1, 200, 0, 0, "the tunnelled source is an endpoint"},
        {"10.0.0.9", 0, 0, 1, 200, "the outer destination too"},
    };
    assert_int_equal(n, 6); /* .1 .2 .3, the tunnel's .7 .8, the outer .9 */
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct probe_host *h = find(hosts, n, want[i].addr);
        if (!h || h->tx_pkts != want[i].txp || h->tx_bytes != want[i].txb ||
            h->rx_pkts != want[i].rxp || h->rx_bytes != want[i].rxb)
            fail_msg("%s: %s", want[i].addr, want[i].why);
    }
    /* largest first: 10.0.0.1 and .2 have 1,800 each, then the address order */
    assert_string_equal(probe_addr_text(4, hosts[0].addr, (char[64]){0}, 64), "10.0.0.1");
    free(hosts);

    probe_acct_totals(a, &t);
    assert_int_equal(t.frames, 5);
    assert_int_equal(t.bytes, 100 + 1500 + 60 + 200 + 99);
    assert_int_equal(t.ip_frames, 4);
    assert_int_equal(t.drops[PROBE_DROP_TRUNC_IP], 1);

    uint64_t pk, by;
    probe_acct_proto(a, 6, &pk, &by);
    assert_int_equal(pk, 2);
    assert_int_equal(by, 1600);
    probe_acct_proto(a, 17, &pk, &by);
    assert_int_equal(pk, 2); /* the tunnel's inner UDP */

    struct probe_port ports[4];
    n = probe_acct_top_ports(a, ports, 4);
    assert_int_equal(n, 2);
    assert_int_equal(ports[0].port, 443); /* the lower port is the service */
    assert_int_equal(ports[0].bytes, 1600);
    assert_int_equal(ports[1].port, 5353);
    probe_acct_free(a);
}

/* a full table evicts the smallest near the new host and counts it; every host still in
 * the table keeps its exact counts (backward-shift removal broke no probe chain) */
static void test_eviction(void **state)
{
    struct probe_acct *a = probe_acct_new(40);
    struct probe_host *hosts;
    struct probe_totals t;
    uint64_t given = 0;
    size_t n;
    char src[32];

    for (unsigned i = 0; i < 400; i++) {
        snprintf(src, sizeof(src), "10.1.%u.%u", i / 256, i % 256);
        /* host i sends i + 1 frames of 100 bytes to 10.9.9.9, the big one */
        for (unsigned k = 0; k <= i % 7; k++) {
            struct probe_pkt p = v4(src, "10.9.9.9", 100, 6, 1, 2);
            probe_acct_add(a, &p, 5000);
            given += 100;
        }
    }
    probe_acct_totals(a, &t);
    assert_int_equal(t.hosts, 40);
    assert_true(t.evicted_hosts >= 400 + 1 - 40);
    probe_acct_hosts(a, &hosts, &n);
    assert_int_equal(n, 40);
    /* the busiest receiver survives every eviction with every frame counted */
    const struct probe_host *big = find(hosts, n, "10.9.9.9");
    assert_non_null(big);
    assert_int_equal(big->rx_bytes, given);
    /* what is left plus what was evicted is what was given (tx side) */
    uint64_t kept_tx = 0;
    for (size_t i = 0; i < n; i++)
        kept_tx += hosts[i].tx_bytes;
    assert_int_equal(kept_tx + t.evicted_bytes, given);
    free(hosts);
    probe_acct_free(a);
}

static void test_windows_hours(void **state)
{
    struct probe_acct *a = probe_acct_new(100);
    const int64_t T0 = 1796000400; /* a multiple of 300 and of 3600 */
    struct probe_pkt p;
    size_t n;

    assert_int_equal(probe_acct_add_subnet(a, "192.168.1.77/24"), 0);
    assert_int_equal(probe_acct_add_subnet(a, "fd00::/64"), 0);
    assert_int_equal(probe_acct_add_subnet(a, "192.168.1.0"), -EINVAL);
    assert_int_equal(probe_acct_add_subnet(a, "192.168.1.0/33"), -EINVAL);
    assert_int_equal(probe_acct_add_subnet(a, "nonsense/8"), -EINVAL);

    /* window 1: .10 uploads 3000 B, .20 downloads 500 B; window 2 (10 min later): .20 */
    p = v4("192.168.1.10", "203.0.113.5", 3000, 6, 50000, 443);
    probe_acct_add(a, &p, T0 + 10);
    p = v4("203.0.113.5", "192.168.1.20", 500, 6, 443, 50001);
    probe_acct_add(a, &p, T0 + 20);
    p = v4("192.168.1.10", "192.168.1.20", 700, 6, 50002, 445);
    probe_acct_add(a, &p, T0 + 30); /* inside the office: no uplink */
    p = v4("192.168.1.20", "198.51.100.1", 900, 17, 50003, 53);
    probe_acct_add(a, &p, T0 + 600 + 5);
    p = v4("192.168.1.20", "198.51.100.1", 100, 17, 50003, 53);
    probe_acct_add(a, &p, T0 + 3600 + 5);
    probe_acct_finish(a);

    const struct probe_window *w = probe_acct_windows(a, &n);
    assert_int_equal(n, 3);
    assert_int_equal(w[0].start, T0);
    assert_int_equal(w[0].bytes, 4200);
    /* .10: 3000 + 700; .20: 500 + 700; 203.0.113.5: 3500 */
    char b[64];
    assert_string_equal(probe_addr_text(4, w[0].top[0].addr, b, sizeof(b)), "192.168.1.10");
    assert_int_equal(w[0].top[0].bytes, 3700);
    assert_string_equal(probe_addr_text(4, w[0].top[1].addr, b, sizeof(b)), "203.0.113.5");
    assert_int_equal(w[1].start, T0 + 600);
    assert_int_equal(w[1].ntop, 2);
    assert_int_equal(w[1].top[0].bytes, 900);

    /* each window's own protocol mix, top ports and subnet totals (what the traffic page
     * reads): table rows, each with its why */
    const struct {
        uint64_t got, want;
        const char *why;
    } per_win[] = {
        {w[0].cls_bytes[PROBE_CLASS_TCP], 4200, "window 1: all three frames TCP"},
        {w[0].cls_pkts[PROBE_CLASS_UDP], 0, "window 1: no UDP"},
        {w[1].cls_bytes[PROBE_CLASS_UDP], 900, "window 2: the DNS frame only"},
        {w[1].cls_pkts[PROBE_CLASS_TCP], 0, "window 2 does not carry window 1's TCP"},
        {w[0].nports, 2, "window 1: 443 and 445"},
        {w[0].ports[0].port, 443, "443 carried the most bytes"},
        {w[0].ports[0].bytes, 3500, "443 both ways"},
        {w[1].nports, 1, "window 2: 53 only (window 1's ports were zeroed as it closed)"},
        {w[1].ports[0].port, 53, "the service side (the lower port)"},
        {w[0].nsub, 2, "both local subnets"},
        {w[0].sub[0].tx_bytes, 3700, "window 1: the /24 sent 3000 + 700"},
        {w[0].sub[0].rx_bytes, 1200, "window 1: the /24 received 500 + 700"},
        {w[1].sub[0].tx_bytes, 900, "window 2: its own total only"},
        {w[0].sub[1].tx_pkts, 0, "fd00::/64 saw nothing"},
        {w[2].sub[0].tx_bytes, 100, "window 3 (the next hour)"},
    };
    for (size_t i = 0; i < sizeof(per_win) / sizeof(per_win[0]); i++)
        if (per_win[i].got != per_win[i].want)
            fail_msg("%llu, want %llu: %s", (unsigned long long)per_win[i].got,
                     (unsigned long long)per_win[i].want, per_win[i].why);
    assert_string_equal(probe_class_name(PROBE_CLASS_ICMP), "icmp");
    assert_string_equal(probe_class_name(PROBE_NCLASS), "?");

    const struct probe_subnet *s = probe_acct_subnets(a, &n);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].addr[3], 0); /* host bits cleared */
    assert_int_equal(s[0].tx_bytes, 3000 + 700 + 900 + 100);
    assert_int_equal(s[0].rx_bytes, 500 + 700);

    const struct probe_hour *h = probe_acct_hours(a, &n);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].start, T0);
    assert_int_equal(h[0].up_bytes, 3000 + 900);
    assert_int_equal(h[0].down_bytes, 500);
    assert_int_equal(h[1].up_bytes, 100);
    probe_acct_free(a);
}

/* ---- the pcapng reader ----------------------------------------------------------------- */

struct ng {
    uint8_t b[4096];
    size_t n;
    bool be; /* written big-endian */
};

static void ng32(struct ng *g, uint32_t v)
{
    if (g->be)
        v = __builtin_bswap32(v);
    memcpy(g->b + g->n, &v, 4);
    g->n += 4;
}

static void ng16(struct ng *g, uint16_t v)
{
    if (g->be)
        v = __builtin_bswap16(v);
    memcpy(g->b + g->n, &v, 2);
    g->n += 2;
}

static void ng_shb(struct ng *g)
{
    uint32_t t = 0x0A0D0D0A;
    memcpy(g->b + g->n, &t, 4); /* the same bytes in both orders */
    g->n += 4;
    ng32(g, 28);
    ng32(g, 0x1A2B3C4D);
    ng16(g, 1);
    ng16(g, 0);
    ng32(g, 0xffffffff);
    ng32(g, 0xffffffff);
    ng32(g, 28);
}

static void ng_idb(struct ng *g, uint16_t link, int tsresol)
{
    uint32_t len = 20 + (tsresol >= 0 ? 8 + 4 : 0);
    ng32(g, 1);
    ng32(g, len);
    ng16(g, link);
    ng16(g, 0);
    ng32(g, 0);
    if (tsresol >= 0) {
        ng16(g, 9);
        ng16(g, 1);
        g->b[g->n++] = (uint8_t)tsresol;
        memset(g->b + g->n, 0, 3);
        g->n += 3;
        ng32(g, 0); /* opt_endofopt */
    }
    ng32(g, len);
}

static void ng_epb(struct ng *g, uint32_t iface, uint64_t ts, const struct pb *p, uint32_t len)
{
    uint32_t padded = (p->n + 3) & ~3u, blen = 32 + padded;
    ng32(g, 6);
    ng32(g, blen);
    ng32(g, iface);
    ng32(g, (uint32_t)(ts >> 32));
    ng32(g, (uint32_t)ts);
    ng32(g, p->n);
    ng32(g, len);
    memcpy(g->b + g->n, p->b, p->n);
    memset(g->b + g->n + p->n, 0, padded - p->n);
    g->n += padded;
    ng32(g, blen);
}

static void test_pcapng(void **state)
{
    for (int be = 0; be <= 1; be++) {
        struct ng g = {.be = be};
        struct pb eth4 = {0}, null6 = {0};
        struct probe_pcapng st = {0};
        struct probe_frame f;
        struct probe_pkt k;
        size_t pos = 0;

        eth(&eth4, 0x0800);
        ipv4(&eth4, 17, 28, 0);
        udp(&eth4, 1, 2, 8);
        pb_u8(&null6, 30);
        pb_zero(&null6, 3);
        ipv6(&null6, 17, 8);
        udp(&null6, 3, 4, 8);

        ng_shb(&g);
        ng_idb(&g, 1, -1); /* Ethernet, microseconds */
        ng_idb(&g, 0, 9);  /* BSD loopback, nanoseconds */
        ng_epb(&g, 0, 1796000000ull * 1000000 + 5, &eth4, eth4.n);
        ng_epb(&g, 1, 1796000001ull * 1000000000 + 7, &null6, null6.n + 100);

        assert_int_equal(probe_pcapng_next(g.b, g.n, &pos, &st, &f), 1);
        assert_int_equal(f.link, 1);
        assert_int_equal(f.ts_sec, 1796000000);
        assert_int_equal(f.caplen, eth4.n);
        assert_int_equal(probe_decode(f.link, f.data, f.caplen, f.len, &k), PROBE_OK);
        assert_int_equal(k.ip[0].family, 4);
        assert_int_equal(probe_pcapng_next(g.b, g.n, &pos, &st, &f), 1);
        assert_int_equal(f.link, 0);
        assert_int_equal(f.ts_sec, 1796000001); /* if_tsresol 9: nanoseconds */
        assert_int_equal(f.len, null6.n + 100);
        assert_int_equal(probe_decode(f.link, f.data, f.caplen, f.len, &k), PROBE_OK);
        assert_int_equal(k.ip[0].family, 6);
        assert_int_equal(probe_pcapng_next(g.b, g.n, &pos, &st, &f), 0);

        /* malformed: each a why */
        const struct {
            size_t at; /* byte offset changed */
            uint8_t value;
            const char *why;
        } bad[] = {
            {80 + 4, 0x7f, "an EPB whose length is not a multiple of 4"},
            {80 + 8, 5, "an EPB naming interface 5 of 2"},
            {80 + 20, 0x7f, "an EPB whose caplen passes its block"},
            {8, 0x77, "a section whose byte-order magic is neither order"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            struct ng m = g;
            size_t at = bad[i].at;
            /* the field's low byte: the last in big-endian, the first in little-endian */
            if (be && at != 8)
                at += 3;
            m.b[at] = bad[i].value;
            struct probe_pcapng ms = {0};
            size_t mpos = 0;
            int r;
            while ((r = probe_pcapng_next(m.b, m.n, &mpos, &ms, &f)) == 1)
                ;
            if (r != -EIO)
                fail_msg("%s (%s): %d", bad[i].why, be ? "big-endian" : "little-endian", r);
        }
        /* cut anywhere: never a frame past the end, always 0 or -EIO at last */
        for (size_t cut = 0; cut < g.n; cut++) {
            uint8_t *copy = malloc(cut ? cut : 1);
            memcpy(copy, g.b, cut);
            struct probe_pcapng cs = {0};
            size_t cpos = 0;
            int r;
            while ((r = probe_pcapng_next(copy, cut, &cpos, &cs, &f)) == 1)
                assert_true(f.data + f.caplen <= copy + cut);
            assert_true(r == 0 || r == -EIO);
            free(copy);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counting),
        cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_windows_hours),
        cmocka_unit_test(test_pcapng),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
