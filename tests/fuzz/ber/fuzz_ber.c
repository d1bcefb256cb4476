/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_ber.c - the counter poll's BER reader (coll_ber_get_parse, ber.c) on any bytes, as
 * the Response to a v2c (then a v1) GET with community "public" and request id 0x1234 (the
 * seeds' values). What it accepts must hold what the contract says: at most @max
 * variables, OIDs of 2..COLL_BER_OID_MAX sub-ids that our own builder can write again; a
 * GET built from those OIDs, read back as a Response, gives the same names.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_VARS 16

static void check_round_trip(const struct coll_ber_var *vars, size_t n, long reqid)
{
    static struct coll_ber_oid oids[FUZZ_VARS];
    static struct coll_ber_var back[FUZZ_VARS];
    unsigned char req[65507];
    size_t len, pos = 0, s, l, nback = 0;
    long v, es, ei;

    for (size_t i = 0; i < n; i++)
        oids[i] = vars[i].name;
    len = coll_ber_get_build(req, sizeof(req), 1, "public", reqid, oids, n);
    FUZZ_CHECK(len > 0);
    /* the same message as a Response-PDU: the tag after version and community */
    FUZZ_CHECK(coll_ber_get_tlv(req, len, &pos, 0x30, &s, &l));
    pos = s;
    FUZZ_CHECK(coll_ber_get_int(req, len, &pos, &v) && v == 1);
    FUZZ_CHECK(coll_ber_get_tlv(req, len, &pos, 0x04, &s, &l));
    FUZZ_CHECK(req[pos] == 0xa0);
    req[pos] = 0xa2;
    FUZZ_CHECK(coll_ber_get_parse(req, len, 1, "public", reqid, &es, &ei, back, FUZZ_VARS,
                                  &nback) == 0);
    FUZZ_CHECK(nback == n && es == 0 && ei == 0);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(back[i].type == 0x05);
        FUZZ_CHECK(back[i].name.len == vars[i].name.len);
        FUZZ_CHECK(memcmp(back[i].name.sub, vars[i].name.sub,
                          vars[i].name.len * sizeof(vars[i].name.sub[0])) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct coll_ber_var vars[FUZZ_VARS];
    const long reqid = 0x1234;

    for (int version = 1; version >= 0; version--) {
        long es = -1, ei = -1;
        size_t n = 0;

        if (coll_ber_get_parse(data, size, version, "public", reqid, &es, &ei, vars, FUZZ_VARS,
                               &n) != 0)
            continue;
        FUZZ_CHECK(n <= FUZZ_VARS);
        for (size_t i = 0; i < n; i++) {
            const struct coll_ber_var *x = &vars[i];
            FUZZ_CHECK(x->name.len >= 2 && x->name.len <= COLL_BER_OID_MAX);
            FUZZ_CHECK(x->name.sub[0] <= 2);
            if (x->type == 0x41 || x->type == 0x42 || x->type == 0x43)
                FUZZ_CHECK(x->u <= UINT32_MAX);
        }
        check_round_trip(vars, n, reqid);
        break;
    }
    return 0;
}
