/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_icmp.c - what the pinger takes for an echo reply (coll_icmp_parse_reply): from a ping
 * socket (the ICMP message alone) and from a raw socket (an IPv4 packet), table-driven with
 * the why of each case; anything malformed or foreign is no answer. The pinger's table holds
 * more devices than a ward has (a province's worth, down at once after a power cut), finds
 * each by id, and forgets a device that answers again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "collector/collector.h"

#define ID 0x4242

static void test_parse(void **state)
{
    /* an IPv4 header of 20 bytes, then ICMP: type, code, checksum, identifier, sequence */
    static const uint8_t ip20[20] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0, 127, 0, 0, 77,
                                     127, 0, 0, 1};
    static const struct {
        bool raw;
        uint8_t head[24]; /* ICMP bytes (after the IP header when raw) */
        size_t len;       /* of the ICMP part */
        bool want;
        const char *why;
    } cases[] = {
        {false, {0, 0, 0, 0, 0, 1, 0, 1}, 8, true, "a ping socket's echo reply (any identifier)"},
        {false, {8, 0, 0, 0, 0x42, 0x42, 0, 1}, 8, false, "an echo request is no reply"},
        {false, {3, 3, 0, 0, 0, 0, 0, 0}, 8, false, "port unreachable is no reply"},
        {false, {0, 1, 0, 0, 0x42, 0x42, 0, 1}, 8, false, "an echo reply with a code is malformed"},
        {false, {0, 0, 0, 0}, 4, false, "cut short"},
        {true, {0, 0, 0, 0, 0x42, 0x42, 0, 1}, 8, true, "a raw reply with our identifier"},
        {true, {0, 0, 0, 0, 0x13, 0x37, 0, 1}, 8, false, "another program's ping"},
        {true, {0, 0, 0, 0, 0x42}, 5, false, "raw, cut inside the ICMP header"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t buf[64];
        size_t n = 0;
        if (cases[i].raw) {
            memcpy(buf, ip20, sizeof(ip20));
            n = sizeof(ip20);
        }
        memcpy(buf + n, cases[i].head, cases[i].len);
        n += cases[i].len;
        if (coll_icmp_parse_reply(buf, n, cases[i].raw, ID) != cases[i].want)
            fail_msg("case %zu (%s): got %d", i, cases[i].why, !cases[i].want);
    }
    /* raw: not IPv4, a header length past the end, or shorter than a header */
    {
        uint8_t bad[28];
        memcpy(bad, ip20, sizeof(ip20));
        memcpy(bad + 20, (uint8_t[]){0, 0, 0, 0, 0x42, 0x42, 0, 1}, 8);
        bad[0] = 0x65;
        assert_false(coll_icmp_parse_reply(bad, sizeof(bad), true, ID)); /* IPv6 version */
        bad[0] = 0x4f;
        assert_false(coll_icmp_parse_reply(bad, sizeof(bad), true, ID)); /* IHL 60 > 28 */
        bad[0] = 0x44;
        assert_false(coll_icmp_parse_reply(bad, sizeof(bad), true, ID)); /* IHL 16 < 20 */
        assert_false(coll_icmp_parse_reply(bad, 12, true, ID));
        bad[0] = 0x45;
        assert_true(coll_icmp_parse_reply(bad, sizeof(bad), true, ID));
    }
}

/* without the pinger nothing is asked and nothing is answered */
static void test_not_running(void **state)
{
    (void)state;
    coll_icmp_ask(7, "127.0.0.1");
    assert_int_equal(coll_icmp_answer(7), INV_ICMP_NOT_ASKED);
    coll_icmp_stop(); /* harmless when not started */
}

/* can this process send ICMP echo at all (a ping socket, or raw as root)? */
static bool icmp_possible(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (fd < 0)
        fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

#define MANY 6000 /* more than the 4096 entries the table once had room for */

/* 6,000 devices down at once, a third of them back before the answers come: every one still
 * down gets an answer from loopback, and a device that came back has none */
static void test_many_down(void **state)
{
    struct timespec pause = {0, 50 * 1000 * 1000};
    int missing = MANY;

    (void)state;
    if (!icmp_possible()) {
        print_message("skip: no ICMP socket here (ping_group_range, CAP_NET_RAW)\n");
        skip();
    }
    assert_int_equal(coll_icmp_start(), 0);
    for (long long id = 1; id <= MANY; id++)
        coll_icmp_ask(id, id % 2 ? "127.0.0.1" : "127.0.0.2");
    for (long long id = 3; id <= MANY; id += 3)
        coll_icmp_forget(id);
    /* a condition, not a duration: the answers come when the batches are done */
    for (int tries = 0; tries < 600 && missing; tries++) {
        missing = 0;
        for (long long id = 1; id <= MANY; id++)
            if (id % 3 && coll_icmp_answer(id) != INV_ICMP_ANSWERED)
                missing++;
        if (missing)
            nanosleep(&pause, NULL);
    }
    assert_int_equal(missing, 0);
    for (long long id = 3; id <= MANY; id += 3)
        if (coll_icmp_answer(id) != INV_ICMP_NOT_ASKED)
            fail_msg("device %lld came back and was forgotten, yet has an answer", id);
    /* why: forgetting every device leaves an empty table that still works */
    for (long long id = 1; id <= MANY; id++)
        coll_icmp_forget(id);
    coll_icmp_ask(42, "127.0.0.1");
    for (int tries = 0; tries < 200 && coll_icmp_answer(42) != INV_ICMP_ANSWERED; tries++)
        nanosleep(&pause, NULL);
    assert_int_equal(coll_icmp_answer(42), INV_ICMP_ANSWERED);
    coll_icmp_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_not_running),
        cmocka_unit_test(test_many_down),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
