/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_ber.c - the counter poll's own GET and Response codec (collector/ber.c): the exact
 * bytes of a request, a Response with every value type the engine reads, and refusal of
 * whatever is not exactly the answer to our request (another request id, community or
 * version, a trailing byte, any truncation, random damage), without reading out of bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collector/collector.h"
#include "collector/collector_int.h"

static const unsigned char want_req[] = {
    0x30, 0x42, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa0, 0x35,
    0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x29, 0x30, 0x0c, 0x06,
    0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00, 0x05, 0x00, 0x30, 0x0f, 0x06, 0x0b,
    0x2b, 0x06, 0x01, 0x02, 0x01, 0x1f, 0x01, 0x01, 0x01, 0x06, 0x03, 0x05, 0x00, 0x30, 0x08,
    0x06, 0x04, 0x88, 0x37, 0x82, 0x2c, 0x05, 0x00};

/* v2c "public", request 0x1234: sysUpTime.0 = 123456 ticks, ifHCInOctets.3 = 2^40 + 5,
 * ifAdminStatus.3 = 1, ifInErrors.3 = 4294967295, ifInErrors.4 noSuchInstance,
 * ifOperStatus.3 = INTEGER -2 */
static const unsigned char resp[] = {
    0x30, 0x81, 0x88, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa2,
    0x7b, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x6f, 0x30, 0x0f,
    0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00, 0x43, 0x03, 0x01, 0xe2, 0x40,
    0x30, 0x15, 0x06, 0x0b, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x1f, 0x01, 0x01, 0x01, 0x06, 0x03,
    0x46, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0x30, 0x0f, 0x06, 0x0a, 0x2b, 0x06, 0x01,
    0x02, 0x01, 0x02, 0x02, 0x01, 0x07, 0x03, 0x02, 0x01, 0x01, 0x30, 0x13, 0x06, 0x0a, 0x2b,
    0x06, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x0e, 0x03, 0x41, 0x05, 0x00, 0xff, 0xff, 0xff,
    0xff, 0x30, 0x0e, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x0e, 0x04,
    0x81, 0x00, 0x30, 0x0f, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x08,
    0x03, 0x02, 0x01, 0xfe};

static struct coll_ber_oid mk(size_t n, const uint32_t *sub)
{
    struct coll_ber_oid o = {.len = n};
    memcpy(o.sub, sub, n * sizeof(*sub));
    return o;
}

static void test_build(void **state)
{
    static const uint32_t up[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
    static const uint32_t hc[] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 3};
    static const uint32_t big[] = {2, 999, 300}; /* first octet above 127, multi-byte arcs */
    static const uint32_t bad[] = {3, 1};        /* no such first arc */
    struct coll_ber_oid oids[3] = {mk(9, up), mk(12, hc), mk(3, big)};
    unsigned char buf[512];
    size_t n;

    (void)state;
    n = coll_ber_get_build(buf, sizeof(buf), 1, "public", 0x1234, oids, 3);
    assert_int_equal(n, sizeof(want_req));
    assert_memory_equal(buf, want_req, sizeof(want_req));
    /* too small a buffer, an OID that cannot be encoded, a community too long: nothing */
    assert_int_equal(coll_ber_get_build(buf, sizeof(want_req) - 1, 1, "public", 0x1234, oids, 3),
                     0);
    oids[1] = mk(2, bad);
    assert_int_equal(coll_ber_get_build(buf, sizeof(buf), 1, "public", 0x1234, oids, 3), 0);
    {
        char longc[300];
        memset(longc, 'c', sizeof(longc) - 1);
        longc[sizeof(longc) - 1] = '\0';
        assert_int_equal(coll_ber_get_build(buf, sizeof(buf), 1, longc, 1, oids, 1), 0);
    }
}

static void test_parse(void **state)
{
    struct coll_ber_var v[8];
    long es = -1, ei = -1;
    size_t n = 0;

    (void)state;
    assert_int_equal(coll_ber_get_parse(resp, sizeof(resp), 1, "public", 0x1234, &es, &ei, v, 8,
                                        &n),
                     0);
    assert_int_equal(es, 0);
    assert_int_equal(ei, 0);
    assert_int_equal(n, 6);
    assert_int_equal(v[0].type, 0x43);
    assert_int_equal(v[0].u, 123456);
    assert_int_equal(v[0].name.len, 9);
    assert_int_equal(v[0].name.sub[0], 1);
    assert_int_equal(v[0].name.sub[1], 3);
    assert_int_equal(v[0].name.sub[7], 3);
    assert_int_equal(v[1].type, 0x46);
    assert_true(v[1].u == (UINT64_C(1) << 40) + 5);
    assert_int_equal(v[1].name.len, 12);
    assert_int_equal(v[1].name.sub[11], 3);
    assert_int_equal(v[2].type, 0x02);
    assert_int_equal(v[2].i, 1);
    assert_int_equal(v[3].type, 0x41);
    assert_true(v[3].u == UINT32_MAX);
    assert_int_equal(v[4].type, 0x81); /* noSuchInstance: the caller sees the exception */
    assert_int_equal(v[5].i, -2);
    /* not room for all: refused, not cut */
    assert_int_equal(coll_ber_get_parse(resp, sizeof(resp), 1, "public", 0x1234, &es, &ei, v, 5,
                                        &n),
                     -EPROTO);
}

static void test_refuse(void **state)
{
    struct coll_ber_var v[8];
    long es, ei;
    size_t n;
    unsigned char *copy;
    unsigned int seed = 7;

    (void)state;
    /* another request, another community, another version */
    assert_int_equal(coll_ber_get_parse(resp, sizeof(resp), 1, "public", 0x1235, &es, &ei, v, 8,
                                        &n),
                     -EPROTO);
    assert_int_equal(coll_ber_get_parse(resp, sizeof(resp), 1, "publi", 0x1234, &es, &ei, v, 8,
                                        &n),
                     -EPROTO);
    assert_int_equal(coll_ber_get_parse(resp, sizeof(resp), 0, "public", 0x1234, &es, &ei, v, 8,
                                        &n),
                     -EPROTO);
    /* our own request is not an answer */
    assert_int_equal(coll_ber_get_parse(want_req, sizeof(want_req), 1, "public", 0x1234, &es,
                                        &ei, v, 8, &n),
                     -EPROTO);
    /* a trailing byte, and every truncation, are refused whole (ASan checks the reads) */
    copy = malloc(sizeof(resp) + 1);
    memcpy(copy, resp, sizeof(resp));
    copy[sizeof(resp)] = 0;
    assert_int_equal(coll_ber_get_parse(copy, sizeof(resp) + 1, 1, "public", 0x1234, &es, &ei, v,
                                        8, &n),
                     -EPROTO);
    free(copy);
    for (size_t cut = 0; cut < sizeof(resp); cut++) {
        copy = malloc(cut ? cut : 1);
        memcpy(copy, resp, cut);
        assert_int_equal(coll_ber_get_parse(copy, cut, 1, "public", 0x1234, &es, &ei, v, 8, &n),
                         -EPROTO);
        free(copy);
    }
    /* damaged copies never crash it; when one still parses, its values stay in range */
    for (int i = 0; i < 50000; i++) {
        unsigned char d[sizeof(resp)];
        memcpy(d, resp, sizeof(resp));
        for (int k = 0; k < 1 + (int)(rand_r(&seed) % 4); k++)
            d[rand_r(&seed) % sizeof(resp)] = (unsigned char)rand_r(&seed);
        copy = malloc(sizeof(resp));
        memcpy(copy, d, sizeof(resp));
        if (coll_ber_get_parse(copy, sizeof(resp), 1, "public", 0x1234, &es, &ei, v, 8, &n) ==
            0) {
            assert_true(n <= 8);
            for (size_t k = 0; k < n; k++) {
                assert_true(v[k].name.len <= COLL_BER_OID_MAX);
                if (v[k].type == 0x41 || v[k].type == 0x42 || v[k].type == 0x43)
                    assert_true(v[k].u <= UINT32_MAX);
            }
        }
        free(copy);
    }
}

/* sub-ids: the largest 32-bit one reads back, one past it is refused */
static void test_oid_limits(void **state)
{
    static const uint32_t top[] = {1, 3, 4294967295u};
    struct coll_ber_oid o = mk(3, top);
    unsigned char buf[128];
    size_t n;

    (void)state;
    n = coll_ber_get_build(buf, sizeof(buf), 0, "x", 1, &o, 1);
    assert_true(n > 0);
    /* the request's OID is the last TLV but one: read it back as the parser would through a
     * Response with the same variable and value NULL */
    {
        unsigned char r[128];
        size_t m;
        struct coll_ber_var v[1];
        long es, ei;
        memcpy(r, buf, n);
        /* GetRequest -> Response */
        for (m = 0; m < n && r[m] != 0xa0; m++)
            ;
        assert_true(m < n);
        r[m] = 0xa2;
        assert_int_equal(coll_ber_get_parse(r, n, 0, "x", 1, &es, &ei, v, 1, &m), 0);
        assert_int_equal(m, 1);
        assert_int_equal(v[0].name.len, 3);
        assert_true(v[0].name.sub[2] == 4294967295u);
        assert_int_equal(v[0].type, 0x05);
        /* 2^32 as the last arc: 0x90 0x80 0x80 0x80 0x00 in place of 0x8f 0xff 0xff 0xff 0x7f */
        for (m = 0; m + 4 < n; m++)
            if (r[m] == 0x8f && r[m + 1] == 0xff && r[m + 4] == 0x7f)
                break;
        assert_true(m + 4 < n);
        memcpy(r + m, "\x90\x80\x80\x80\x00", 5);
        assert_int_equal(coll_ber_get_parse(r, n, 0, "x", 1, &es, &ei, v, 1, &m), -EPROTO);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_refuse),
        cmocka_unit_test(test_oid_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
