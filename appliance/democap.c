/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * democap.c - demo_capture() (demo_int.h): a day of the demo ward's traffic as a classic
 * pcap file written by our own code from the demo's device addresses, for `make run` to
 * replay through `wardwatch-probe --read ... --store` once, so that the traffic and
 * unknown-device pages have data on a fresh clone.
 *
 * DESIGN: the file is built in memory (about half a megabyte) and written by
 * demo_write_file(). Every frame carries its real headers (Ethernet, IPv4 with a correct
 * checksum, TCP/UDP/ICMP) but only they are captured: the original length says how big
 * the frame was, as with a short snaplen, which is how the probe and tshark count bytes.
 * A small xorshift generator seeded by @seed makes it repeatable.
 */
#include "appliance/demo_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

#include "common/banned.h"

#define CAP_SNAP 65535
#define CAP_DAY (24 * 3600)
#define CAP_WINDOW 300

struct cap {
    struct ww_buf b;
    uint64_t rng;
};

/* the Internet side: the province's portal, a mail and a cloud service, DNS, time */
static const uint8_t peers[][4] = {
    {14, 225, 0, 19}, {123, 30, 53, 10}, {142, 250, 66, 78}, {203, 162, 4, 191}, {27, 71, 235, 40},
};
static const uint8_t laptop_mac[6] = {0x3c, 0x52, 0x82, 0x5a, 0x11, 0x07};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static uint32_t rnd(struct cap *c, uint32_t below)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return below ? (uint32_t)(c->rng % below) : 0;
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* a device's MAC: locally administered, its index in the last byte */
static void dev_mac(size_t i, uint8_t out[6])
{
    const uint8_t m[6] = {0x02, 0x77, 0x77, 0x00, (uint8_t)(i >> 8), (uint8_t)i};
    memcpy(out, m, 6);
}

/* one record: @caplen bytes of @frame captured of @len on the wire */
static void record(struct cap *c, int64_t ts, uint32_t usec, const uint8_t *frame, uint32_t caplen,
                   uint32_t len)
{
    uint32_t h[4] = {(uint32_t)ts, usec, caplen, len < caplen ? caplen : len};
    ww_buf_add(&c->b, h, sizeof(h)); /* host byte order: the magic says which */
    ww_buf_add(&c->b, frame, caplen);
}

static void eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], unsigned type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
}

/* an IPv4 header at @f for a frame of @wire bytes (Ethernet header included) */
static void ipv4(uint8_t *f, const uint8_t src[4], const uint8_t dst[4], unsigned proto,
                 uint32_t wire)
{
    uint32_t sum = 0;
    memset(f, 0, 20);
    f[0] = 0x45;
    put16(f + 2, wire - 14);
    f[8] = 64;
    f[9] = (uint8_t)proto;
    memcpy(f + 12, src, 4);
    memcpy(f + 16, dst, 4);
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(f[i] << 8 | f[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16(f + 10, ~sum & 0xffff);
}

/* one IPv4 frame: TCP (6), UDP (17) or ICMP echo (1), headers only captured */
static void flow(struct cap *c, int64_t ts, uint32_t usec, const uint8_t smac[6],
                 const uint8_t dmac[6], const uint8_t src[4], const uint8_t dst[4], unsigned proto,
                 unsigned sport, unsigned dport, uint32_t wire)
{
    uint8_t f[64] = {0};
    uint32_t l4 = proto == 6 ? 20 : 8;
    eth(f, dmac, smac, 0x0800);
    if (wire < 14 + 20 + l4)
        wire = 14 + 20 + l4;
    ipv4(f + 14, src, dst, proto, wire);
    uint8_t *t = f + 34;
    if (proto == 1) {
        t[0] = 8; /* echo request */
    } else {
        put16(t, sport);
        put16(t + 2, dport);
        if (proto == 6) {
            t[12] = 0x50;
            t[13] = 0x10; /* ACK */
        } else {
            put16(t + 4, wire - 34);
        }
    }
    record(c, ts, usec, f, 34 + l4, wire);
}

static void arp(struct cap *c, int64_t ts, const uint8_t mac[6], const uint8_t ip[4],
                const uint8_t target[4])
{
    uint8_t f[42] = {0};
    eth(f, bcast, mac, 0x0806);
    put16(f + 14, 1);      /* Ethernet */
    put16(f + 16, 0x0800); /* IPv4 */
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, 1); /* request */
    memcpy(f + 22, mac, 6);
    memcpy(f + 28, ip, 4);
    memcpy(f + 38, target, 4);
    record(c, ts, 0, f, sizeof(f), 60);
}

/* the router's DHCPACK giving @ip to @mac */
static void dhcp_ack(struct cap *c, int64_t ts, const uint8_t rmac[6], const uint8_t rip[4],
                     const uint8_t mac[6], const uint8_t ip[4])
{
    static const uint8_t all[4] = {255, 255, 255, 255};
    uint8_t f[14 + 20 + 8 + 240 + 4] = {0};
    const uint32_t wire = sizeof(f);
    eth(f, bcast, rmac, 0x0800);
    ipv4(f + 14, rip, all, 17, wire);
    uint8_t *u = f + 34, *b = f + 42;
    put16(u, 67);
    put16(u + 2, 68);
    put16(u + 4, wire - 34);
    b[0] = 2; /* BOOTREPLY */
    b[1] = 1;
    b[2] = 6;
    memcpy(b + 16, ip, 4); /* yiaddr */
    memcpy(b + 28, mac, 6);
    b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
    b[240] = 53, b[241] = 1, b[242] = 5; /* DHCPACK */
    b[243] = 255;
    record(c, ts, 0, f, wire, wire);
}

/* how busy a window starting at @t is: 1 at night, up to 10 in a morning of the office */
static unsigned busy(time_t t)
{
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 1;
    bool workday = tm.tm_wday >= 1 && tm.tm_wday <= 5;
    int m = tm.tm_hour * 60 + tm.tm_min;
    if (!workday || m < 7 * 60 + 30 || m >= 17 * 60)
        return 1;
    if (m >= 8 * 60 + 30 && m < 10 * 60 + 30)
        return 10; /* the one-stop-shop queue */
    if (m >= 11 * 60 + 30 && m < 13 * 60 + 30)
        return 2; /* lunch */
    return 6;
}

int demo_capture(const char *dir, unsigned seed, const struct demo_device *devs, size_t n,
                 time_t end)
{
    uint8_t (*ip)[4] = NULL, (*mac)[6] = NULL;
    size_t npc = 0, *pcs = NULL, printer = SIZE_MAX;
    uint8_t laptop_ip[4];
    struct cap c = {.rng = 0x9e3779b97f4a7c15ull ^ seed};
    int ret;

    if (!devs || !n)
        return -EINVAL;
    ip = ww_calloc(n, sizeof(*ip));
    mac = ww_calloc(n, sizeof(*mac));
    pcs = ww_calloc(n, sizeof(*pcs));
    for (size_t i = 0; i < n; i++) {
        if (inet_pton(AF_INET, devs[i].addr, ip[i]) != 1) {
            ret = ww_error(-EINVAL, "demo: capture: '%s' is no IPv4 address", devs[i].addr);
            goto out;
        }
        dev_mac(i, mac[i]);
        if (strcmp(devs[i].kind, "pc") == 0)
            pcs[npc++] = i;
        else if (strcmp(devs[i].kind, "printer") == 0 && printer == SIZE_MAX)
            printer = i;
    }
    if (!npc) {
        ret = ww_error(-EINVAL, "demo: capture: no PC among the devices");
        goto out;
    }
    memcpy(laptop_ip, ip[0], 3);
    laptop_ip[3] = DEMO_LAPTOP_HOST;

    ww_buf_init(&c.b, 64u << 20);
    /* the file header in host byte order (the magic tells a reader which): version 2.4,
     * no zone offset, Ethernet */
    const struct {
        uint32_t magic;
        uint16_t major, minor;
        int32_t zone;
        uint32_t sigfigs, snaplen, link;
    } head = {0xa1b2c3d4u, 2, 4, 0, 0, CAP_SNAP, 1};
    ww_buf_add(&c.b, &head, sizeof(head));

    int64_t from = (int64_t)end - CAP_DAY;
    from -= ((from % CAP_WINDOW) + CAP_WINDOW) % CAP_WINDOW;
    /* each device says who it is once, at the start */
    for (size_t i = 1; i < n; i++)
        arp(&c, from, mac[i], ip[i], ip[0]);
    bool laptop_in = false;
    for (int64_t w = from; w + CAP_WINDOW <= (int64_t)end; w += CAP_WINDOW) {
        unsigned frames = 4 * busy((time_t)w);
        for (unsigned k = 0; k < frames; k++) {
            int64_t ts = w + (int64_t)k * CAP_WINDOW / frames;
            uint32_t usec = rnd(&c, 999000);
            size_t pc = pcs[rnd(&c, (uint32_t)npc)];
            const uint8_t *peer = peers[rnd(&c, WW_ARRAY_SIZE(peers))];
            unsigned kind = rnd(&c, 10);
            unsigned eph = 49152 + rnd(&c, 16000);
            if (kind < 5) { /* HTTPS: the reply large, the request small */
                flow(&c, ts, usec, mac[0], mac[pc], peer, ip[pc], 6, 443, eph, 1514);
                flow(&c, ts, usec + 1, mac[pc], mac[0], ip[pc], peer, 6, eph, 443,
                     66 + rnd(&c, 600));
            } else if (kind < 6) { /* the portal over plain HTTP */
                flow(&c, ts, usec, mac[0], mac[pc], peers[0], ip[pc], 6, 80, eph, 1514);
            } else if (kind < 7) { /* DNS */
                flow(&c, ts, usec, mac[pc], mac[0], ip[pc], peers[3], 17, eph, 53, 80);
                flow(&c, ts, usec + 1, mac[0], mac[pc], peers[3], ip[pc], 17, 53, eph, 180);
            } else if (kind < 8 && printer != SIZE_MAX) { /* a print job, inside the office */
                flow(&c, ts, usec, mac[pc], mac[printer], ip[pc], ip[printer], 6, eph, 9100, 1514);
            } else if (kind < 9) { /* an upload: a scanned file to the province */
                flow(&c, ts, usec, mac[pc], mac[0], ip[pc], peers[0], 6, eph, 443, 1514);
            } else { /* the router pinging the province */
                flow(&c, ts, usec, mac[0], mac[0], ip[0], peers[1], 1, 0, 0, 98);
            }
        }
        /* the unknown laptop: joins at the first busy morning window, then downloads */
        if (!laptop_in && busy((time_t)w) >= 10) {
            dhcp_ack(&c, w, mac[0], ip[0], laptop_mac, laptop_ip);
            arp(&c, w + 1, laptop_mac, laptop_ip, ip[0]);
            laptop_in = true;
        }
        if (laptop_in && busy((time_t)w) > 1)
            for (unsigned k = 0; k < 6; k++)
                flow(&c, w + 2 + k * 40, 0, mac[0], laptop_mac, peers[2], laptop_ip, 6, 443,
                     50000 + k, 1514);
    }
    if (!laptop_in) { /* a day without office hours (a weekend start): it still comes */
        dhcp_ack(&c, (int64_t)end - 60, mac[0], ip[0], laptop_mac, laptop_ip);
        arp(&c, (int64_t)end - 59, laptop_mac, laptop_ip, ip[0]);
    }
    ret = c.b.len > 24 ? demo_write_file(dir, "traffic.pcap", c.b.data, c.b.len) : -EIO;
    ww_buf_release(&c.b);
out:
    free(ip);
    free(mac);
    free(pcs);
    return ret;
}
