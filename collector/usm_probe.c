/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * usm_probe.c - SNMPv3 engine-ID discovery without blocking (RFC 3414 section 4): a GET with
 * no user, no engine ID and the reportable flag makes the agent answer with a Report that
 * carries its msgAuthoritativeEngineID, boots and time. net-snmp does this synchronously
 * inside its send path; the engine does it here on its own socket, inside its poll() loop,
 * and hands the engine ID to net-snmp so that net-snmp never probes.
 * BER from ber.c; everything read is bounds-checked, since the answer comes from the network.
 * Here: the codec (coll_v3_probe_build/parse, public for the unit tests) and a device's
 * probe steps in PH_PROBE (its socket, sends, retries, answer).
 */
#include "collector/snmp_int.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

#include "common/banned.h"

size_t coll_v3_probe_build(unsigned char *buf, size_t size, long msgid)
{
    unsigned char g[32], sp[32], sec[40], pdu[32], scoped[48], msg[160];
    struct coll_ber bg = {g, 0, sizeof(g), false}, bsp = {sp, 0, sizeof(sp), false};
    struct coll_ber bsec = {sec, 0, sizeof(sec), false}, bp = {pdu, 0, sizeof(pdu), false};
    struct coll_ber bs = {scoped, 0, sizeof(scoped), false}, bm = {msg, 0, sizeof(msg), false};
    struct coll_ber out = {buf, 0, size, false};
    unsigned char flags = 0x04; /* reportable, no auth, no priv */

    coll_ber_put_int(&bg, msgid);
    coll_ber_put_int(&bg, 65507);
    coll_ber_put_tlv(&bg, 0x04, &flags, 1);
    coll_ber_put_int(&bg, 3); /* USM */

    coll_ber_put_tlv(&bsp, 0x04, NULL, 0); /* engine ID */
    coll_ber_put_int(&bsp, 0);             /* boots */
    coll_ber_put_int(&bsp, 0);             /* time */
    coll_ber_put_tlv(&bsp, 0x04, NULL, 0); /* user */
    coll_ber_put_tlv(&bsp, 0x04, NULL, 0); /* auth params */
    coll_ber_put_tlv(&bsp, 0x04, NULL, 0); /* priv params */
    coll_ber_put_tlv(&bsec, 0x30, sp, bsp.len);

    coll_ber_put_int(&bp, msgid);          /* request id */
    coll_ber_put_int(&bp, 0);              /* error status */
    coll_ber_put_int(&bp, 0);              /* error index */
    coll_ber_put_tlv(&bp, 0x30, NULL, 0);  /* no varbinds */
    coll_ber_put_tlv(&bs, 0x04, NULL, 0);  /* context engine ID */
    coll_ber_put_tlv(&bs, 0x04, NULL, 0);  /* context name */
    coll_ber_put_tlv(&bs, 0xa0, pdu, bp.len);

    coll_ber_put_int(&bm, 3);
    coll_ber_put_tlv(&bm, 0x30, g, bg.len);
    coll_ber_put_tlv(&bm, 0x04, sec, bsec.len);
    coll_ber_put_tlv(&bm, 0x30, scoped, bs.len);
    coll_ber_put_tlv(&out, 0x30, msg, bm.len);
    if (bg.overflow || bsp.overflow || bsec.overflow || bp.overflow || bs.overflow ||
        bm.overflow || out.overflow)
        return 0;
    return out.len;
}

int coll_v3_probe_parse(const unsigned char *buf, size_t len, long msgid,
                        unsigned char *out_engine, size_t *out_engine_len, long *out_boots,
                        long *out_time)
{
    size_t pos = 0, s, n, end, gs, gn, gp, ss, sn, spos, send, es, en;
    long v;

    if (!coll_ber_get_tlv(buf, len, &pos, 0x30, &s, &n))
        return -EPROTO;
    end = s + n;
    pos = s;
    if (!coll_ber_get_int(buf, end, &pos, &v) || v != 3)
        return -EPROTO;
    if (!coll_ber_get_tlv(buf, end, &pos, 0x30, &gs, &gn))
        return -EPROTO;
    gp = gs;
    if (!coll_ber_get_int(buf, gs + gn, &gp, &v) || v != msgid)
        return -EPROTO; /* an answer to someone else's question */
    if (!coll_ber_get_tlv(buf, end, &pos, 0x04, &ss, &sn))
        return -EPROTO;
    spos = ss;
    if (!coll_ber_get_tlv(buf, ss + sn, &spos, 0x30, &s, &n))
        return -EPROTO;
    send = s + n;
    spos = s;
    if (!coll_ber_get_tlv(buf, send, &spos, 0x04, &es, &en) || en < 5 || en > 32)
        return -EPROTO; /* RFC 3411: an engine ID is 5 to 32 bytes */
    if (!coll_ber_get_int(buf, send, &spos, out_boots) || !coll_ber_get_int(buf, send, &spos, out_time) ||
        *out_boots < 0 || *out_time < 0)
        return -EPROTO;
    memcpy(out_engine, buf + es, en);
    *out_engine_len = en;
    return 0;
}

static void probe_send(struct dev *d)
{
    unsigned char buf[256];
    size_t n = coll_v3_probe_build(buf, sizeof(buf), d->probe_msgid);

    d->probe_sent = ww_mono_ms();
    d->probe_tries++;
    if (!n || send(d->probe_fd, buf, n, 0) < 0)
        ww_log(WW_LOG_DEBUG, "collector: device %lld: engine probe not sent: %s",
               d->t->device_id, strerror(errno));
}

/* v3 to a numeric address: discover the engine ID on our own socket first */
bool coll_probe_start(struct dev *d)
{
    struct addrinfo hints = {0}, *ai = NULL;
    char port[16];

    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%lld", d->t->port);
    if (getaddrinfo(d->t->host, port, &hints, &ai) != 0)
        return false; /* a host name: net-snmp resolves and probes it itself */
    d->probe_fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (d->probe_fd < 0 || connect(d->probe_fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        if (d->probe_fd >= 0)
            close(d->probe_fd);
        d->probe_fd = -1;
        freeaddrinfo(ai);
        return false;
    }
    freeaddrinfo(ai);
    d->probe_msgid = (long)((d->t->device_id * 7919 + d->t0) & 0x7fffffff);
    d->fd = d->probe_fd;
    d->phase = PH_PROBE;
    probe_send(d);
    return true;
}

void coll_probe_close(struct dev *d)
{
    if (d->probe_fd >= 0)
        close(d->probe_fd);
    d->probe_fd = -1;
    d->fd = -1;
}

void coll_probe_answer(struct dev *d)
{
    unsigned char buf[2048], engine[32];
    size_t elen = 0;
    long boots = 0, etime = 0;
    ssize_t n = recv(d->probe_fd, buf, sizeof(buf), 0);

    if (n <= 0)
        return; /* ICMP refusals and the like: wait for the timeout */
    if (coll_v3_probe_parse(buf, (size_t)n, d->probe_msgid, engine, &elen, &boots, &etime) < 0)
        return; /* garbage or a stray answer: keep waiting */
    coll_probe_close(d);
    memcpy(d->engine, engine, elen);
    d->engine_len = elen;
    d->boots = boots;
    d->etime = etime;
    d->engine_at = ww_mono_ms();
    d->phase = PH_USM_WAIT; /* the session opens in coll_engine_step(), once no clash */
}

/* called every loop turn for a probing device */
void coll_probe_tick(struct dev *d, int64_t now)
{
    if (now - d->probe_sent < d->t->timeout_ms)
        return;
    if (d->probe_tries <= d->t->retries) {
        probe_send(d);
        return;
    }
    coll_probe_close(d);
    coll_set_error(d->r, COLL_ERR_TIMEOUT, NULL, "no answer (timeout)");
    coll_dev_finish(d);
}
