/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ber.c - just enough BER (X.690) for the messages the engine writes and reads itself: the
 * SNMPv3 engine-ID probe (usm_probe.c) and the GET of a v1/v2c counter poll with its
 * Response. A counter poll is the engine's most frequent message; building and parsing it
 * here, on a stack buffer, spares net-snmp's two heap allocations per variable each way.
 * Everything read is bounds-checked, since it comes from the network: a packet that is not
 * exactly a well-formed answer to our request is refused whole, nothing half-read is used.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <string.h>

#include "common/banned.h"

void coll_ber_put(struct coll_ber *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        b->overflow = true;
        return;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
}

/* tag and a definite length (up to 65535) */
static void put_hdr(struct coll_ber *b, unsigned char tag, size_t n)
{
    unsigned char hdr[4];
    size_t h = 0;
    hdr[h++] = tag;
    if (n < 128) {
        hdr[h++] = (unsigned char)n;
    } else if (n < 256) {
        hdr[h++] = 0x81;
        hdr[h++] = (unsigned char)n;
    } else if (n < 65536) {
        hdr[h++] = 0x82;
        hdr[h++] = (unsigned char)(n >> 8);
        hdr[h++] = (unsigned char)n;
    } else {
        b->overflow = true;
        return;
    }
    coll_ber_put(b, hdr, h);
}

void coll_ber_put_tlv(struct coll_ber *b, unsigned char tag, const unsigned char *v, size_t n)
{
    put_hdr(b, tag, n);
    coll_ber_put(b, v, n);
}

void coll_ber_put_int(struct coll_ber *b, long v)
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
    coll_ber_put_tlv(b, 0x02, tmp + 9 - n, n);
}

bool coll_ber_get_tlv(const unsigned char *buf, size_t end, size_t *pos, unsigned char tag,
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

bool coll_ber_get_int(const unsigned char *buf, size_t end, size_t *pos, long *out)
{
    size_t s, n;
    long v = 0;
    if (!coll_ber_get_tlv(buf, end, pos, 0x02, &s, &n) || n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | buf[s + i];
    if (buf[s] & 0x80)
        v -= 1L << (8 * n);
    *out = v;
    return true;
}

/* ---- the v1/v2c GET of a counter poll ---------------------------------------------------- */

/* the OID's contents octets; false when it cannot be one (fewer than two sub-ids, a first
 * sub-id above 2, a second above 39 under 0 or 1) */
static bool put_oid(struct coll_ber *b, const uint32_t *sub, size_t len)
{
    unsigned char tmp[COLL_BER_OID_MAX * 5];
    size_t n = 0;

    if (len < 2 || len > COLL_BER_OID_MAX || sub[0] > 2 || (sub[0] < 2 && sub[1] > 39))
        return false;
    for (size_t i = 1; i < len; i++) {
        uint64_t v = i == 1 ? (uint64_t)sub[0] * 40 + sub[1] : sub[i];
        unsigned char rev[10];
        size_t k = 0;
        do {
            rev[k++] = (unsigned char)(v & 0x7f);
            v >>= 7;
        } while (v);
        while (k--)
            tmp[n++] = (unsigned char)(rev[k] | (k ? 0x80 : 0));
    }
    coll_ber_put_tlv(b, 0x06, tmp, n);
    return true;
}

size_t coll_ber_get_build(unsigned char *buf, size_t size, int version, const char *community,
                          long reqid, const struct coll_ber_oid *oids, size_t n)
{
    /* inside out: the variables, then each enclosing header, into one buffer the size of
     * the message's limit (an SNMP message over UDP is at most 65507 bytes) */
    static const unsigned char null_val[2] = {0x05, 0x00};
    unsigned char vbl[8192], pdu[8192 + 32];
    struct coll_ber bv = {vbl, 0, sizeof(vbl), false}, bp = {pdu, 0, sizeof(pdu), false};
    struct coll_ber bm = {NULL, 0, 0, false}, out = {buf, 0, size, false};
    unsigned char msg[8192 + 64 + 256];
    size_t clen = strlen(community);

    for (size_t i = 0; i < n; i++) {
        unsigned char one[COLL_BER_OID_MAX * 5 + 8];
        struct coll_ber bo = {one, 0, sizeof(one), false};
        if (!put_oid(&bo, oids[i].sub, oids[i].len))
            return 0;
        coll_ber_put(&bo, null_val, sizeof(null_val));
        if (bo.overflow)
            return 0;
        coll_ber_put_tlv(&bv, 0x30, one, bo.len);
    }
    if (clen > 255 || bv.overflow)
        return 0;
    coll_ber_put_int(&bp, reqid);
    coll_ber_put_int(&bp, 0); /* error-status */
    coll_ber_put_int(&bp, 0); /* error-index */
    coll_ber_put_tlv(&bp, 0x30, vbl, bv.len);
    bm.p = msg;
    bm.cap = sizeof(msg);
    coll_ber_put_int(&bm, version);
    coll_ber_put_tlv(&bm, 0x04, (const unsigned char *)community, clen);
    coll_ber_put_tlv(&bm, 0xa0, pdu, bp.len); /* GetRequest-PDU */
    coll_ber_put_tlv(&out, 0x30, msg, bm.len);
    if (bp.overflow || bm.overflow || out.overflow)
        return 0;
    return out.len;
}

/* an OID's contents into sub-ids; false when malformed or too long */
static bool get_oid(const unsigned char *p, size_t n, struct coll_ber_oid *out)
{
    uint64_t v = 0;
    size_t k = 0;

    if (n == 0 || (p[n - 1] & 0x80))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (v == 0 && p[i] == 0x80)
            return false; /* a sub-id with a leading zero group: not DER, refused */
        v = (v << 7) | (p[i] & 0x7f);
        if (v > UINT32_MAX + (k == 0 ? 80ULL : 0ULL))
            return false;
        if (p[i] & 0x80)
            continue;
        if (k == 0) { /* the first octets hold the first two sub-ids */
            out->sub[k++] = v < 40 ? 0 : v < 80 ? 1 : 2;
            out->sub[k++] = (uint32_t)(v - (uint64_t)out->sub[0] * 40);
        } else {
            if (k >= COLL_BER_OID_MAX)
                return false;
            out->sub[k++] = (uint32_t)v;
        }
        v = 0;
    }
    out->len = k;
    return true;
}

/* a value: numbers into out (two's complement for INTEGER, unsigned for the rest), the
 * exceptions and NULL by their tag; strings and anything else only as a type */
static bool get_value(const unsigned char *buf, size_t end, size_t *pos,
                      struct coll_ber_var *out)
{
    size_t s, n;
    unsigned char tag;
    uint64_t u = 0;

    if (*pos >= end)
        return false;
    tag = buf[*pos];
    if (!coll_ber_get_tlv(buf, end, pos, tag, &s, &n))
        return false;
    out->type = tag;
    out->u = 0;
    out->i = 0;
    switch (tag) {
    case 0x02: /* INTEGER */
        if (n == 0 || n > 8)
            return false;
        for (size_t i = 0; i < n; i++)
            u = (u << 8) | buf[s + i];
        if ((buf[s] & 0x80) && n < 8)
            u |= ~0ULL << (8 * n);
        out->i = (long long)u;
        return true;
    case 0x41: /* Counter32 */
    case 0x42: /* Gauge32 */
    case 0x43: /* TimeTicks */
    case 0x46: /* Counter64 */
        if (n == 0 || n > (tag == 0x46 ? 9u : 5u) || (n == (tag == 0x46 ? 9u : 5u) && buf[s]))
            return false;
        for (size_t i = 0; i < n; i++)
            u = (u << 8) | buf[s + i];
        if (tag != 0x46 && u > UINT32_MAX)
            return false;
        out->u = u;
        return true;
    default: /* NULL, exceptions (0x80-0x82), strings, OIDs, addresses: the type is enough */
        return true;
    }
}

int coll_ber_get_parse(const unsigned char *buf, size_t len, int version, const char *community,
                       long reqid, long *out_errstat, long *out_errindex,
                       struct coll_ber_var *vars, size_t max, size_t *out_n)
{
    size_t pos = 0, s, n, end, ps, pn, pp, pend, ls, ln, lp, lend;
    size_t clen = strlen(community), k = 0;
    long v;

    if (!coll_ber_get_tlv(buf, len, &pos, 0x30, &s, &n) || s + n != len)
        return -EPROTO;
    end = s + n;
    pos = s;
    if (!coll_ber_get_int(buf, end, &pos, &v) || v != version)
        return -EPROTO;
    if (!coll_ber_get_tlv(buf, end, &pos, 0x04, &s, &n) || n != clen ||
        memcmp(buf + s, community, clen) != 0)
        return -EPROTO;
    if (!coll_ber_get_tlv(buf, end, &pos, 0xa2, &ps, &pn) || ps + pn != end)
        return -EPROTO; /* a Response-PDU and nothing after it */
    pp = ps;
    pend = ps + pn;
    if (!coll_ber_get_int(buf, pend, &pp, &v) || v != reqid)
        return -EPROTO; /* an answer to another request */
    if (!coll_ber_get_int(buf, pend, &pp, out_errstat) ||
        !coll_ber_get_int(buf, pend, &pp, out_errindex) ||
        !coll_ber_get_tlv(buf, pend, &pp, 0x30, &ls, &ln) || ls + ln != pend)
        return -EPROTO;
    lp = ls;
    lend = ls + ln;
    while (lp < lend) {
        size_t vs, vn, vp, os, on;
        if (k >= max || !coll_ber_get_tlv(buf, lend, &lp, 0x30, &vs, &vn))
            return -EPROTO;
        vp = vs;
        if (!coll_ber_get_tlv(buf, vs + vn, &vp, 0x06, &os, &on) ||
            !get_oid(buf + os, on, &vars[k].name) || !get_value(buf, vs + vn, &vp, &vars[k]) ||
            vp != vs + vn)
            return -EPROTO;
        k++;
    }
    *out_n = k;
    return 0;
}
