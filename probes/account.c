/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * account.c - host, protocol, port, subnet, window and uplink accounting of decoded frames,
 * every table bounded.
 *
 * DESIGN: the host table is open addressing with linear probing in a power-of-two array,
 * at most 3/4 full. A new host in a full table evicts the smallest (tx + rx bytes) of the
 * hosts in its first PROBE_EVICT_SCAN slots, removed by backward-shift deletion (no
 * tombstones, so lookups stay short however many hosts come and go); what is evicted is
 * counted, never silently lost. Ports are direct arrays (3 protocols x 65,536), the
 * protocol mix a 256-entry array. The 5-minute windows keep their top talkers, computed
 * when a window closes from each host's bytes in it, and their own protocol-class mix, top
 * ports (a second port array, read and zeroed as the window closes: one pass over 196,608
 * counters every 5 minutes of capture) and per-subnet totals; the window and hour histories are
 * bounded rings whose overflow is counted. One thread uses one struct probe_acct.
 */
#include "probes/probes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "common/banned.h"

#define PROBE_EVICT_SCAN 8

struct port_count {
    uint64_t pkts, bytes;
};

struct probe_acct {
    struct probe_host *slots;
    size_t mask, used, max_used;
    struct probe_totals t;
    uint64_t proto_pkts[256], proto_bytes[256];
    struct port_count *ports;     /* [3][65536]: TCP, UDP, SCTP */
    struct port_count *win_ports; /* the same for the open window, zeroed as it closes */
    struct probe_subnet subnets[PROBE_MAX_SUBNETS];
    size_t nsubnets;
    struct probe_window *windows; /* ring of PROBE_MAX_WINDOWS, oldest at win_first */
    size_t win_first, nwin;
    struct probe_window cur;       /* the open window; cur.start < 0: none yet */
    struct probe_window *win_view; /* windows in order for probe_acct_windows() */
    struct probe_hour *hours;      /* PROBE_MAX_HOURS, oldest first */
    size_t nhours;
};

static uint64_t hash_addr(uint8_t family, const uint8_t *a)
{
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, a + 8, 8);
    uint64_t h = (x ^ (y * 0x9e3779b97f4a7c15ull) ^ family) * 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

struct probe_acct *probe_acct_new(size_t max_hosts)
{
    struct probe_acct *a = ww_calloc(1, sizeof(*a));
    size_t cap = 16;
    if (max_hosts < 1)
        max_hosts = 1;
    if (max_hosts > (1u << 26))
        max_hosts = 1u << 26;
    while (cap / 4 * 3 < max_hosts)
        cap *= 2;
    a->slots = ww_calloc(cap, sizeof(*a->slots));
    a->mask = cap - 1;
    a->max_used = max_hosts;
    a->ports = ww_calloc(3 * 65536, sizeof(*a->ports));
    a->win_ports = ww_calloc(3 * 65536, sizeof(*a->win_ports));
    a->windows = ww_calloc(PROBE_MAX_WINDOWS, sizeof(*a->windows));
    a->win_view = ww_calloc(PROBE_MAX_WINDOWS, sizeof(*a->win_view));
    a->hours = ww_calloc(PROBE_MAX_HOURS, sizeof(*a->hours));
    a->cur.start = -1;
    return a;
}

void probe_acct_free(struct probe_acct *a)
{
    if (!a)
        return;
    free(a->slots);
    free(a->ports);
    free(a->win_ports);
    free(a->windows);
    free(a->win_view);
    free(a->hours);
    free(a);
}

static bool prefix_match(const uint8_t *addr, const uint8_t *net, unsigned prefix)
{
    unsigned full = prefix / 8, rest = prefix % 8;
    if (memcmp(addr, net, full) != 0)
        return false;
    if (!rest)
        return true;
    uint8_t m = (uint8_t)(0xff << (8 - rest));
    return (addr[full] & m) == (net[full] & m);
}

int probe_acct_add_subnet(struct probe_acct *a, const char *cidr)
{
    char text[64];
    const char *slash = strchr(cidr, '/');
    struct probe_subnet s = {0};
    long long prefix;

    if (!slash || (size_t)(slash - cidr) >= sizeof(text))
        return -EINVAL;
    memcpy(text, cidr, (size_t)(slash - cidr));
    text[slash - cidr] = '\0';
    if (inet_pton(AF_INET, text, s.addr) == 1)
        s.family = 4;
    else if (inet_pton(AF_INET6, text, s.addr) == 1)
        s.family = 6;
    else
        return -EINVAL;
    if (ww_parse_ll(slash + 1, 0, s.family == 4 ? 32 : 128, &prefix) < 0)
        return -EINVAL;
    if (a->nsubnets >= PROBE_MAX_SUBNETS)
        return -ENOSPC;
    s.prefix = (uint8_t)prefix;
    /* the network itself: host bits cleared, so two spellings of one subnet compare equal */
    for (unsigned i = 0; i < 16; i++) {
        unsigned bits = i * 8 >= prefix ? 0 : prefix - i * 8 >= 8 ? 8 : (unsigned)prefix - i * 8;
        s.addr[i] &= (uint8_t)(0xff00 >> bits);
    }
    a->subnets[a->nsubnets++] = s;
    return 0;
}

/* backward-shift deletion of slot @i: later members of its cluster move back into the gap
 * when their home allows, so no lookup ever stops early at a hole */
static void slot_remove(struct probe_acct *a, size_t i)
{
    size_t j = i;
    for (;;) {
        j = (j + 1) & a->mask;
        if (!a->slots[j].family)
            break;
        size_t home = hash_addr(a->slots[j].family, a->slots[j].addr) & a->mask;
        /* may j's entry move to i? only when its home is not cyclically in (i, j] */
        bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (in_range)
            continue;
        a->slots[i] = a->slots[j];
        i = j;
    }
    memset(&a->slots[i], 0, sizeof(a->slots[i]));
    a->used--;
}

static void evict_one(struct probe_acct *a, size_t home)
{
    size_t victim = SIZE_MAX;
    uint64_t least = UINT64_MAX;
    for (size_t k = 0, i = home; k <= a->mask; k++, i = (i + 1) & a->mask) {
        struct probe_host *h = &a->slots[i];
        if (!h->family)
            continue;
        uint64_t b = h->tx_bytes + h->rx_bytes;
        if (b < least) {
            least = b;
            victim = i;
        }
        if (k + 1 >= PROBE_EVICT_SCAN && victim != SIZE_MAX)
            break;
    }
    a->t.evicted_hosts++;
    a->t.evicted_bytes += least;
    slot_remove(a, victim);
}

static struct probe_host *host_get(struct probe_acct *a, uint8_t family, const uint8_t *addr,
                                   int64_t ts)
{
    size_t home = hash_addr(family, addr) & a->mask, i = home;
    for (;;) {
        struct probe_host *h = &a->slots[i];
        if (!h->family)
            break;
        if (h->family == family && memcmp(h->addr, addr, 16) == 0)
            return h;
        i = (i + 1) & a->mask;
    }
    if (a->used >= a->max_used) {
        evict_one(a, home);
        /* the removal may have moved entries: find the first hole again */
        for (i = home; a->slots[i].family; i = (i + 1) & a->mask)
            ;
    }
    struct probe_host *h = &a->slots[i];
    h->family = family;
    memcpy(h->addr, addr, 16);
    h->first_seen = ts;
    a->used++;
    return h;
}

static struct probe_subnet *subnet_of(struct probe_acct *a, const struct probe_ip *ip, bool src)
{
    const uint8_t *addr = src ? ip->src : ip->dst;
    for (size_t i = 0; i < a->nsubnets; i++)
        if (a->subnets[i].family == ip->family &&
            prefix_match(addr, a->subnets[i].addr, a->subnets[i].prefix))
            return &a->subnets[i];
    return NULL;
}

static int cmp_talker(const void *x, const void *y)
{
    const struct probe_talker *a = x, *b = y;
    if (a->bytes != b->bytes)
        return a->bytes > b->bytes ? -1 : 1;
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->addr, b->addr, 16);
}

static size_t top_ports(struct port_count *ports, bool zero, struct probe_port *out, size_t max);

static void window_close(struct probe_acct *a)
{
    if (a->cur.start < 0)
        return;
    struct probe_window *w = &a->cur;
    w->ntop = 0;
    for (size_t i = 0; i <= a->mask; i++) {
        struct probe_host *h = &a->slots[i];
        if (!h->family || !h->win_bytes)
            continue;
        struct probe_talker t = {.family = h->family, .bytes = h->win_bytes};
        memcpy(t.addr, h->addr, 16);
        h->win_bytes = 0;
        if (w->ntop < PROBE_TOP_TALKERS) {
            w->top[w->ntop++] = t;
            qsort(w->top, w->ntop, sizeof(t), cmp_talker);
        } else if (cmp_talker(&t, &w->top[PROBE_TOP_TALKERS - 1]) < 0) {
            w->top[PROBE_TOP_TALKERS - 1] = t;
            qsort(w->top, w->ntop, sizeof(t), cmp_talker);
        }
    }
    w->nports = (unsigned)top_ports(a->win_ports, true, w->ports, PROBE_TOP_PORTS);
    w->nsub = (unsigned)a->nsubnets;
    if (a->nwin == PROBE_MAX_WINDOWS) {
        a->win_first = (a->win_first + 1) % PROBE_MAX_WINDOWS;
        a->nwin--;
        a->t.windows_dropped++;
    }
    a->windows[(a->win_first + a->nwin) % PROBE_MAX_WINDOWS] = *w;
    a->nwin++;
    memset(&a->cur, 0, sizeof(a->cur));
    a->cur.start = -1;
}

void probe_acct_finish(struct probe_acct *a)
{
    window_close(a);
}

static struct probe_hour *hour_of(struct probe_acct *a, int64_t ts)
{
    int64_t start = ts - ((ts % 3600) + 3600) % 3600;
    /* captures run forward; a frame a little out of order finds its hour near the end */
    for (size_t k = 0; k < a->nhours && k < 4; k++) {
        struct probe_hour *h = &a->hours[a->nhours - 1 - k];
        if (h->start == start)
            return h;
        if (h->start < start)
            break;
    }
    if (a->nhours && a->hours[a->nhours - 1].start > start)
        return &a->hours[a->nhours - 1]; /* out of order by hours: counted in the last one */
    if (a->nhours == PROBE_MAX_HOURS) {
        memmove(a->hours, a->hours + 1, (PROBE_MAX_HOURS - 1) * sizeof(*a->hours));
        a->nhours--;
        a->t.hours_dropped++;
    }
    struct probe_hour *h = &a->hours[a->nhours++];
    memset(h, 0, sizeof(*h));
    h->start = start;
    return h;
}

void probe_acct_add(struct probe_acct *a, const struct probe_pkt *p, int64_t ts)
{
    uint64_t len = p->wire_len;

    a->t.frames++;
    a->t.bytes += len;
    if (p->drop != PROBE_OK) {
        a->t.drops[p->drop < PROBE_DROP_COUNT ? p->drop : 0]++;
        return;
    }
    if (p->notes & PROBE_NOTE_TRUNC_L4)
        a->t.trunc_l4++;
    if (p->notes & PROBE_NOTE_FRAGMENT)
        a->t.fragments++;
    if (!p->nip) {
        a->t.not_ip++;
        return;
    }
    a->t.ip_frames++;

    int64_t wstart = ts - ((ts % PROBE_WINDOW_S) + PROBE_WINDOW_S) % PROBE_WINDOW_S;
    if (a->cur.start >= 0 && wstart > a->cur.start)
        window_close(a);
    if (a->cur.start < 0)
        a->cur.start = wstart;
    a->cur.pkts++;
    a->cur.bytes += len;

    for (unsigned i = 0; i < p->nip; i++) {
        const struct probe_ip *ip = &p->ip[i];
        struct probe_host *s = host_get(a, ip->family, ip->src, ts);
        s->tx_pkts++;
        s->tx_bytes += len;
        s->win_bytes += len;
        s->last_seen = ts;
        struct probe_host *d = host_get(a, ip->family, ip->dst, ts);
        d->rx_pkts++;
        d->rx_bytes += len;
        d->win_bytes += len;
        d->last_seen = ts;
    }

    const struct probe_ip *in = &p->ip[p->nip - 1];
    a->proto_pkts[in->proto]++;
    a->proto_bytes[in->proto] += len;
    int cls = in->proto == 6                       ? PROBE_CLASS_TCP
              : in->proto == 17                    ? PROBE_CLASS_UDP
              : in->proto == 1 || in->proto == 58 ? PROBE_CLASS_ICMP
                                                   : PROBE_CLASS_OTHER;
    a->cur.cls_pkts[cls]++;
    a->cur.cls_bytes[cls] += len;
    if (p->has_ports) {
        int row = in->proto == 6 ? 0 : in->proto == 17 ? 1 : 2;
        uint16_t port = p->sport < p->dport ? p->sport : p->dport;
        size_t at = (size_t)row * 65536 + port;
        a->ports[at].pkts++;
        a->ports[at].bytes += len;
        a->win_ports[at].pkts++;
        a->win_ports[at].bytes += len;
    }

    if (a->nsubnets) {
        const struct probe_ip *out = &p->ip[0];
        struct probe_subnet *s = subnet_of(a, out, true);
        struct probe_subnet *d = subnet_of(a, out, false);
        if (s) {
            s->tx_pkts++;
            s->tx_bytes += len;
            a->cur.sub[s - a->subnets].tx_pkts++;
            a->cur.sub[s - a->subnets].tx_bytes += len;
        }
        if (d) {
            d->rx_pkts++;
            d->rx_bytes += len;
            a->cur.sub[d - a->subnets].rx_pkts++;
            a->cur.sub[d - a->subnets].rx_bytes += len;
        }
        if (s && !d)
            hour_of(a, ts)->up_bytes += len;
        else if (d && !s)
            hour_of(a, ts)->down_bytes += len;
    }
}

void probe_acct_totals(const struct probe_acct *a, struct probe_totals *out)
{
    *out = a->t;
    out->hosts = a->used;
}

static int cmp_host(const void *x, const void *y)
{
    const struct probe_host *a = x, *b = y;
    uint64_t ba = a->tx_bytes + a->rx_bytes, bb = b->tx_bytes + b->rx_bytes;
    if (ba != bb)
        return ba > bb ? -1 : 1;
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->addr, b->addr, 16);
}

void probe_acct_hosts(const struct probe_acct *a, struct probe_host **out_hosts, size_t *out_n)
{
    struct probe_host *v = NULL;
    size_t n = 0;
    if (a->used) {
        v = ww_calloc(a->used, sizeof(*v));
        for (size_t i = 0; i <= a->mask; i++)
            if (a->slots[i].family)
                v[n++] = a->slots[i];
        qsort(v, n, sizeof(*v), cmp_host);
    }
    *out_hosts = v;
    *out_n = n;
}

void probe_acct_proto(const struct probe_acct *a, unsigned proto, uint64_t *out_pkts,
                      uint64_t *out_bytes)
{
    *out_pkts = proto < 256 ? a->proto_pkts[proto] : 0;
    *out_bytes = proto < 256 ? a->proto_bytes[proto] : 0;
}

/* the top @max ports of a [3][65536] count array into @out; with @zero the counts are
 * cleared as they are read (a window closing) */
static size_t top_ports(struct port_count *ports, bool zero, struct probe_port *out, size_t max)
{
    static const uint8_t protos[3] = {6, 17, 132};
    size_t n = 0;
    if (!max)
        return 0;
    for (size_t i = 0; i < 3 * 65536; i++) {
        struct port_count *pc = &ports[i];
        if (!pc->pkts)
            continue;
        struct probe_port p = {protos[i / 65536], (uint16_t)(i % 65536), pc->pkts, pc->bytes};
        if (zero)
            *pc = (struct port_count){0, 0};
        /* insertion into the sorted top list; a tie keeps the lower protocol/port first */
        size_t at = n < max ? n : max;
        while (at > 0 && out[at - 1].bytes < p.bytes)
            at--;
        if (at >= max)
            continue;
        size_t last = n < max ? n : max - 1;
        memmove(out + at + 1, out + at, (last - at) * sizeof(*out));
        out[at] = p;
        if (n < max)
            n++;
    }
    return n;
}

size_t probe_acct_top_ports(const struct probe_acct *a, struct probe_port *out, size_t max)
{
    return top_ports(a->ports, false, out, max);
}

const char *probe_class_name(int cls)
{
    static const char *const names[PROBE_NCLASS] = {"tcp", "udp", "icmp", "other"};
    return cls >= 0 && cls < PROBE_NCLASS ? names[cls] : "?";
}

const struct probe_subnet *probe_acct_subnets(const struct probe_acct *a, size_t *out_n)
{
    *out_n = a->nsubnets;
    return a->subnets;
}

const struct probe_window *probe_acct_windows(struct probe_acct *a, size_t *out_n)
{
    for (size_t i = 0; i < a->nwin; i++)
        a->win_view[i] = a->windows[(a->win_first + i) % PROBE_MAX_WINDOWS];
    *out_n = a->nwin;
    return a->win_view;
}

const struct probe_hour *probe_acct_hours(const struct probe_acct *a, size_t *out_n)
{
    *out_n = a->nhours;
    return a->hours;
}

const char *probe_addr_text(uint8_t family, const uint8_t *addr, char *buf, size_t size)
{
    if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, buf, (socklen_t)size))
        ww_strlcpy(buf, "?", size);
    return buf;
}
