/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * capture.c - where frames come from: a capture file through libpcap's pcap_open_offline()
 * (pcap and pcapng), a live interface through pcap_create()/pcap_activate() with the BPF
 * filter compiled once, and our own pcapng block reader for the files libpcap 1.10 refuses
 * (interfaces with different link types in one file: "an interface has a type N different
 * from the type of the first interface"). libpcap's types stay in this file.
 */
#include "probes/probes.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "common/banned.h"

struct probe_capture {
    pcap_t *pc; /* libpcap's handle; NULL when our pcapng reader reads */
    bool live;
    int fd; /* live: the capture's descriptor to poll (libpcap's; -1: pcap blocks alone) */
    int link;
    /* our pcapng reader: the file mapped read-only */
    uint8_t *map;
    size_t size, pos;
    struct probe_pcapng ng;
    volatile sig_atomic_t stop;
};

enum { BT_SHB = 0x0A0D0D0A, BT_IDB = 1, BT_OPB = 2, BT_SPB = 3, BT_EPB = 6 };

static uint32_t rd32(const struct probe_pcapng *st, const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return st->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const struct probe_pcapng *st, const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return st->swapped ? __builtin_bswap16(v) : v;
}

/* units per second of an if_tsresol value: 10^v, or 2^(v & 0x7f) when its top bit is set */
static uint32_t tsres_units(uint8_t v)
{
    unsigned e = v & 0x7f;
    uint64_t u = 1;
    if (v & 0x80) {
        if (e > 31)
            return 0;
        return (uint32_t)1 << e;
    }
    if (e > 9)
        return 0; /* finer than a nanosecond: not kept */
    while (e--)
        u *= 10;
    return (uint32_t)u;
}

static void idb_options(struct probe_pcapng *st, const uint8_t *o, size_t n, uint32_t iface)
{
    size_t off = 0;
    while (off + 4 <= n) {
        uint16_t code = rd16(st, o + off), len = rd16(st, o + off + 2);
        if (code == 0 || off + 4 + len > n)
            break;
        if (code == 9 && len == 1) {
            uint32_t u = tsres_units(o[off + 4]);
            if (u)
                st->tsres[iface] = u;
        }
        off += 4 + (((size_t)len + 3) & ~(size_t)3);
    }
}

int probe_pcapng_next(const uint8_t *buf, size_t size, size_t *pos, struct probe_pcapng *st,
                      struct probe_frame *out)
{
    while (*pos < size) {
        size_t at = *pos;
        if (size - at < 12)
            return -EIO;
        const uint8_t *b = buf + at;
        uint32_t type, blen;
        memcpy(&type, b, 4);
        if (type == BT_SHB) {
            uint32_t magic;
            memcpy(&magic, b + 8, 4);
            if (magic == 0x1A2B3C4D)
                st->swapped = false;
            else if (magic == 0x4D3C2B1A)
                st->swapped = true;
            else
                return -EIO;
            st->nlinks = 0; /* a new section: interfaces numbered again */
        } else {
            type = rd32(st, b);
        }
        blen = rd32(st, b + 4);
        if (blen < 12 || blen % 4 || blen > size - at || rd32(st, b + blen - 4) != blen)
            return -EIO;
        *pos = at + blen;
        const uint8_t *body = b + 8;
        size_t bn = blen - 12;
        switch (type) {
        case BT_IDB:
            if (bn < 8)
                return -EIO;
            if (st->nlinks >= 64)
                return -EIO;
            st->links[st->nlinks] = rd16(st, body);
            st->tsres[st->nlinks] = 1000000;
            idb_options(st, body + 8, bn - 8, st->nlinks);
            st->nlinks++;
            break;
        case BT_EPB:
        case BT_OPB:
        case BT_SPB: {
            uint32_t iface, caplen, len, hdr;
            uint64_t ts = 0;
            if (type == BT_SPB) {
                if (bn < 4)
                    return -EIO;
                iface = 0;
                len = rd32(st, body);
                hdr = 4;
                caplen = (uint32_t)(bn - 4) < len ? (uint32_t)(bn - 4) : len;
            } else {
                if (bn < 20)
                    return -EIO;
                iface = type == BT_EPB ? rd32(st, body) : rd16(st, body);
                ts = (uint64_t)rd32(st, body + 4) << 32 | rd32(st, body + 8);
                caplen = rd32(st, body + 12);
                len = rd32(st, body + 16);
                hdr = 20;
                if (caplen > bn - 20)
                    return -EIO; /* claims more bytes than its block holds */
            }
            if (iface >= st->nlinks)
                return -EIO;
            out->link = st->links[iface];
            out->ts_sec = (int64_t)(ts / st->tsres[iface]);
            out->caplen = caplen;
            out->len = len;
            out->data = body + hdr;
            return 1;
        }
        default:
            break; /* name resolution, statistics, custom blocks: not ours */
        }
    }
    return 0;
}

/* does this pcapng file name interfaces of more than one link type (which libpcap 1.10
 * refuses)? Reads block headers only. A malformed file says "no": libpcap reports it. */
static bool pcapng_mixed(const uint8_t *buf, size_t size)
{
    struct probe_pcapng st = {0};
    struct probe_frame f;
    size_t pos = 0;
    int first = -1;
    for (;;) {
        uint32_t before = st.nlinks;
        int r = probe_pcapng_next(buf, size, &pos, &st, &f);
        for (uint32_t i = before < st.nlinks ? before : 0; i < st.nlinks; i++) {
            if (first < 0)
                first = st.links[i];
            else if (st.links[i] != first)
                return true;
        }
        if (r <= 0)
            return false;
    }
}

static int set_filter(pcap_t *pc, const char *what, const char *filter)
{
    struct bpf_program prog = {0};
    int ret = -EINVAL;
    if (!filter || !*filter)
        return 0;
    if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == PCAP_ERROR) {
        ret =
            ww_error(-EINVAL, "probe: bad filter '%s' for '%s': %s", filter, what, pcap_geterr(pc));
        goto out;
    }
    if (pcap_setfilter(pc, &prog) == PCAP_ERROR) {
        ret = ww_error(-EINVAL, "probe: filter '%s' for '%s': pcap_setfilter: %s", filter, what,
                       pcap_geterr(pc));
        goto out;
    }
    ret = 0;
out:
    pcap_freecode(&prog);
    return ret;
}

int probe_capture_open_file(const char *path, const char *filter, struct probe_capture **out)
{
    char err[PCAP_ERRBUF_SIZE] = "";
    struct probe_capture *c = NULL;
    uint8_t *map = NULL;
    size_t size = 0;
    pcap_t *pc = NULL;
    int fd = -1, ret = -EIO;
    struct stat sb;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ret = ww_error(-errno, "probe: capture '%s': open: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        ret = ww_error(-EIO, "probe: capture '%s': not a regular file", path);
        goto out;
    }
    size = (size_t)sb.st_size;
    if (size >= 4) {
        map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            map = NULL;
            ret = ww_error(-EIO, "probe: capture '%s': mmap: %s", path, strerror(errno));
            goto out;
        }
        uint32_t magic;
        memcpy(&magic, map, 4);
        if (magic == BT_SHB && pcapng_mixed(map, size)) {
            if (filter && *filter) {
                ret = ww_error(-EINVAL,
                               "probe: capture '%s': a filter cannot apply to a pcapng "
                               "file with mixed link types",
                               path);
                goto out;
            }
            c = ww_calloc(1, sizeof(*c));
            c->map = map;
            c->size = size;
            map = NULL; /* ownership moved */
            ww_log(WW_LOG_INFO,
                   "probe: capture '%s': interfaces of several link types, read "
                   "without libpcap",
                   path);
            *out = c;
            ret = 0;
            goto out;
        }
    }
    pc = pcap_open_offline(path, err);
    if (!pc) {
        ret = ww_error(-EIO, "probe: capture '%s': pcap_open_offline: %s", path, err);
        goto out;
    }
    if ((ret = set_filter(pc, path, filter)) < 0)
        goto out;
    c = ww_calloc(1, sizeof(*c));
    c->pc = pc;
    c->link = pcap_datalink(pc);
    pc = NULL; /* ownership moved */
    *out = c;
    ret = 0;
out:
    if (pc)
        pcap_close(pc);
    if (map)
        munmap(map, size);
    if (fd >= 0)
        close(fd);
    return ret;
}

int probe_capture_open_live(const char *ifname, const char *filter, struct probe_capture **out)
{
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = NULL;
    int ret = -EIO, r;

    *out = NULL;
    pc = pcap_create(ifname, err);
    if (!pc) {
        ret = ww_error(-ENODEV, "probe: cannot open '%s': pcap_create: %s", ifname, err);
        goto out;
    }
    pcap_set_snaplen(pc, PROBE_SNAPLEN);
    pcap_set_promisc(pc, 1);
    pcap_set_timeout(pc, PROBE_WAKE_MS);
    pcap_set_buffer_size(pc, 32 << 20);
    r = pcap_activate(pc);
    if (r < 0) {
        int code = r == PCAP_ERROR_PERM_DENIED      ? -EPERM
                   : r == PCAP_ERROR_NO_SUCH_DEVICE ? -ENODEV
                                                    : -EIO;
        ret = ww_error(code, "probe: cannot open '%s': pcap_activate: %s", ifname, pcap_geterr(pc));
        goto out;
    }
    if (r > 0)
        ww_log(WW_LOG_WARN, "probe: interface '%s': pcap_activate: %s", ifname,
               pcap_statustostr(r));
    if ((ret = set_filter(pc, ifname, filter)) < 0)
        goto out;
    *out = ww_calloc(1, sizeof(**out));
    (*out)->pc = pc;
    (*out)->live = true;
    (*out)->link = pcap_datalink(pc);
    char errbuf[PCAP_ERRBUF_SIZE];
    (*out)->fd = pcap_setnonblock(pc, 1, errbuf) == 0 ? pcap_get_selectable_fd(pc) : -1;
    pc = NULL; /* ownership moved */
    ret = 0;
out:
    if (pc)
        pcap_close(pc);
    return ret;
}

int probe_capture_next(struct probe_capture *c, struct probe_frame *out)
{
    if (c->stop)
        return -EINTR;
    if (!c->pc) {
        int r = probe_pcapng_next(c->map, c->size, &c->pos, &c->ng, out);
        if (r < 0)
            return ww_error(-EIO, "probe: pcapng block at offset %zu is malformed", c->pos);
        return r;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    int r;
    if (c->live && c->fd >= 0) {
        /* libpcap's read time-out does not fire while nothing arrives on Linux (TPACKET_V3
         * waits for a first frame): wait ourselves, then read without blocking, so that
         * --duration and the 5-minute flush come on a quiet link too */
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        r = poll(&p, 1, PROBE_WAKE_MS);
        if (r < 0 && errno != EINTR)
            return ww_error(-EIO, "probe: poll: %s", strerror(errno));
        if (c->stop)
            return -EINTR;
    }
    r = pcap_next_ex(c->pc, &h, &d);
    if (r == 1) {
        out->link = c->link;
        out->ts_sec = h->ts.tv_sec;
        out->caplen = h->caplen;
        out->len = h->len;
        out->data = d;
        return 1;
    }
    if (r == 0)
        return 0; /* live: the wake-up with nothing captured */
    if (r == PCAP_ERROR_BREAK)
        return c->live || c->stop ? -EINTR : 0;
    return ww_error(-EIO, "probe: pcap_next_ex: %s", pcap_geterr(c->pc));
}

void probe_capture_stop(struct probe_capture *c)
{
    c->stop = 1;
    if (c->pc)
        pcap_breakloop(c->pc);
}

int probe_capture_stats(struct probe_capture *c, uint64_t *out_recv, uint64_t *out_drop)
{
    struct pcap_stat ps;
    if (!c->live || !c->pc)
        return -ENOTSUP;
    if (pcap_stats(c->pc, &ps) < 0)
        return ww_error(-EIO, "probe: pcap_stats: %s", pcap_geterr(c->pc));
    *out_recv = ps.ps_recv;
    *out_drop = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
    return 0;
}

void probe_capture_free(struct probe_capture *c)
{
    if (!c)
        return;
    if (c->pc)
        pcap_close(c->pc);
    if (c->map)
        munmap(c->map, c->size);
    free(c);
}
