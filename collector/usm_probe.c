/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * usm_probe.c - SNMPv3 engine-ID discovery without blocking (RFC 3414 section 4): a GET with
 * no user, no engine ID and the reportable flag makes the agent answer with a Report that
 * carries its msgAuthoritativeEngineID, boots and time. net-snmp does this synchronously
 * inside its send path; the engine does it here on its own socket, inside its poll() loop,
 * and hands the engine ID to net-snmp so that net-snmp never probes.
 * Just enough BER to write that one message and read those three fields back; everything
 * read is bounds-checked, since the answer comes from the network.
 */
#include "collector/collector.h"

#include <string.h>

#include "common/banned.h"

struct ber {
    unsigned char *p;
    size_t len, cap;
    bool overflow;
};

static void put(struct ber *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        b->overflow = true;
        return;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
}

/* tag, length and contents */
static void put_tlv(struct ber *b, unsigned char tag, const unsigned char *v, size_t n)
{
    unsigned char hdr[4];
    size_t h = 0;
    hdr[h++] = tag;
    if (n < 128) {
        hdr[h++] = (unsigned char)n;
    } else if (n < 256) {
        hdr[h++] = 0x81;
        hdr[h++] = (unsigned char)n;
    } else {
        hdr[h++] = 0x82;
        hdr[h++] = (unsigned char)(n >> 8);
        hdr[h++] = (unsigned char)n;
    }
    put(b, hdr, h);
    put(b, v, n);
}

/* a non-negative INTEGER in minimal two's complement */
static void put_int(struct ber *b, long v)
{
    unsigned char tmp[9];
    size_t n = 0;
    unsigned long u = (unsigned long)v;
    do {
        tmp[8 - n++] = (unsigned char)(u & 0xff);
        u >>= 8;
    } while (u && n < 8);
    if (tmp[9 - n] & 0x80)
        tmp[8 - n++] = 0;
    put_tlv(b, 0x02, tmp + 9 - n, n);
}

size_t coll_v3_probe_build(unsigned char *buf, size_t size, long msgid)
{
    unsigned char g[32], sp[32], sec[40], pdu[32], scoped[48], msg[160];
    struct ber bg = {g, 0, sizeof(g), false}, bsp = {sp, 0, sizeof(sp), false};
    struct ber bsec = {sec, 0, sizeof(sec), false}, bp = {pdu, 0, sizeof(pdu), false};
    struct ber bs = {scoped, 0, sizeof(scoped), false}, bm = {msg, 0, sizeof(msg), false};
    struct ber out = {buf, 0, size, false};
    unsigned char flags = 0x04; /* reportable, no auth, no priv */

    put_int(&bg, msgid);
    put_int(&bg, 65507);
    put_tlv(&bg, 0x04, &flags, 1);
    put_int(&bg, 3); /* USM */

    put_tlv(&bsp, 0x04, NULL, 0); /* engine ID */
    put_int(&bsp, 0);             /* boots */
    put_int(&bsp, 0);             /* time */
    put_tlv(&bsp, 0x04, NULL, 0); /* user */
    put_tlv(&bsp, 0x04, NULL, 0); /* auth params */
    put_tlv(&bsp, 0x04, NULL, 0); /* priv params */
    put_tlv(&bsec, 0x30, sp, bsp.len);

    put_int(&bp, msgid);          /* request id */
    put_int(&bp, 0);              /* error status */
    put_int(&bp, 0);              /* error index */
    put_tlv(&bp, 0x30, NULL, 0);  /* no varbinds */
    put_tlv(&bs, 0x04, NULL, 0);  /* context engine ID */
    put_tlv(&bs, 0x04, NULL, 0);  /* context name */
    put_tlv(&bs, 0xa0, pdu, bp.len);

    put_int(&bm, 3);
    put_tlv(&bm, 0x30, g, bg.len);
    put_tlv(&bm, 0x04, sec, bsec.len);
    put_tlv(&bm, 0x30, scoped, bs.len);
    put_tlv(&out, 0x30, msg, bm.len);
    if (bg.overflow || bsp.overflow || bsec.overflow || bp.overflow || bs.overflow ||
        bm.overflow || out.overflow)
        return 0;
    return out.len;
}

/* one TLV with @tag at *pos within [0, end): its contents in out_start, out_len */
static bool get_tlv(const unsigned char *buf, size_t end, size_t *pos, unsigned char tag,
                    size_t *out_start, size_t *out_len)
{
    size_t p = *pos, n;
    if (p >= end || end - p < 2 || buf[p] != tag)
        return false;
    p++;
    n = buf[p++];
    if (n & 0x80) {
        size_t k = n & 0x7f;
        if (k == 0 || k > 3 || k > end - p)
            return false;
        n = 0;
        while (k--)
            n = (n << 8) | buf[p++];
    }
    if (n > end - p)
        return false;
    *out_start = p;
    *out_len = n;
    *pos = p + n;
    return true;
}

static bool get_int(const unsigned char *buf, size_t end, size_t *pos, long *out)
{
    size_t s, n;
    long v = 0;
    if (!get_tlv(buf, end, pos, 0x02, &s, &n) || n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | buf[s + i];
    if (buf[s] & 0x80)
        v -= 1L << (8 * n);
    *out = v;
    return true;
}

int coll_v3_probe_parse(const unsigned char *buf, size_t len, long msgid,
                        unsigned char *out_engine, size_t *out_engine_len, long *out_boots,
                        long *out_time)
{
    size_t pos = 0, s, n, end, gs, gn, gp, ss, sn, spos, send, es, en;
    long v;

    if (!get_tlv(buf, len, &pos, 0x30, &s, &n))
        return -EPROTO;
    end = s + n;
    pos = s;
    if (!get_int(buf, end, &pos, &v) || v != 3)
        return -EPROTO;
    if (!get_tlv(buf, end, &pos, 0x30, &gs, &gn))
        return -EPROTO;
    gp = gs;
    if (!get_int(buf, gs + gn, &gp, &v) || v != msgid)
        return -EPROTO; /* an answer to someone else's question */
    if (!get_tlv(buf, end, &pos, 0x04, &ss, &sn))
        return -EPROTO;
    spos = ss;
    if (!get_tlv(buf, ss + sn, &spos, 0x30, &s, &n))
        return -EPROTO;
    send = s + n;
    spos = s;
    if (!get_tlv(buf, send, &spos, 0x04, &es, &en) || en < 5 || en > 32)
        return -EPROTO; /* RFC 3411: an engine ID is 5 to 32 bytes */
    if (!get_int(buf, send, &spos, out_boots) || !get_int(buf, send, &spos, out_time) ||
        *out_boots < 0 || *out_time < 0)
        return -EPROTO;
    memcpy(out_engine, buf + es, en);
    *out_engine_len = en;
    return 0;
}
