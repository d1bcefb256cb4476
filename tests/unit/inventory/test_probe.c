/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_probe.c - what the passive probe stores (schema v16, v20, inventory/probe.c): two runs'
 * host counters, uplink hours and a window's classes, ports and subnets add up, a window's top talkers are replaced and kept as
 * valid JSON even for hostile text, a MAC/IP pair is stored once and known when a device
 * has that address, and refused input writes nothing. A table of runs, each with its why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static void test_save(void **state)
{
    struct ww_db *db = *state;
    long long known = inv_test_add_pc(db, "Máy kế toán", "192.168.1.20");
    const struct inv_probe_host hosts[] = {
        {"192.168.1.10", 4, 1000, 1100, 5, 500, 6, 600},
        {"2001:db8::1", 6, 1005, 1006, 1, 80, 0, 0},
    };
    const struct inv_probe_talker top1[] = {{"192.168.1.10", 1100}, {"2001:db8::1", 80}};
    const struct inv_probe_talker top2[] = {{"\"><script>", 7}};
    const struct inv_probe_count cls1[] = {{"tcp", 10, 1000, 0, 0}, {"udp", 2, 180, 0, 0}};
    const struct inv_probe_count cls2[] = {{"tcp", 1, 7, 0, 0}};
    const struct inv_probe_count port1[] = {{"tcp/443", 10, 1000, 0, 0}};
    const struct inv_probe_count port2[] = {{"tcp/443", 1, 7, 0, 0}, {"udp/53", 1, 7, 0, 0}};
    const struct inv_probe_count sub1[] = {{"192.168.1.0/24", 6, 600, 5, 500}};
    const struct inv_probe_window win1 = {900, 12, 1180, 2, top1, 2, 1, 1, cls1, port1, sub1};
    const struct inv_probe_window win2 = {900, 1, 7, 1, top2, 1, 2, 1, cls2, port2, sub1};
    const struct inv_probe_hour hour = {0, 300, 900};
    const struct inv_sighting pairs[] = {
        {"02:00:00:00:00:0a", "192.168.1.10", "arp", 1000},
        {"02:00:00:00:00:0b", "192.168.1.20", "dhcp", 1001},
        {"02:00:00:00:00:0c", "fe80::1", "ndp", 1002},
    };
    const struct inv_sighting later = {"02:00:00:00:00:0a", "192.168.1.10", "arp", 5000};
    size_t unknown = 99;

    const struct inv_probe_run run1 = {hosts, 2, &win1, 1, &hour, 1, pairs, 3};
    assert_int_equal(inv_probe_save(db, &run1, &unknown), 0);
    assert_int_equal(unknown, 2); /* .10 and fe80::1: no device has them; .20 is known */

    /* a second run: counters add, the window's top is replaced, a pair seen again is no
     * new unknown device */
    const struct inv_probe_run run2 = {hosts, 1, &win2, 1, &hour, 1, &later, 1};
    assert_int_equal(inv_probe_save(db, &run2, &unknown), 0);
    assert_int_equal(unknown, 0);

    const struct {
        const char *sql;
        long long want;
        const char *why;
    } rows[] = {
        {"SELECT tx_bytes FROM probe_host WHERE addr = '192.168.1.10'", 1000, "two runs add"},
        {"SELECT rx_pkts FROM probe_host WHERE addr = '192.168.1.10'", 12, "two runs add"},
        {"SELECT first_seen FROM probe_host WHERE addr = '192.168.1.10'", 1000,
         "the first sight stays the earliest"},
        {"SELECT tx_bytes FROM probe_host WHERE addr = '2001:db8::1'", 80, "one run only"},
        {"SELECT bytes FROM probe_window WHERE start = 900", 1187, "a window's bytes add"},
        {"SELECT down_bytes FROM probe_hour WHERE start = 0", 1800, "an hour's bytes add"},
        {"SELECT bytes FROM probe_class WHERE start = 900 AND class = 'tcp'", 1007,
         "a window's protocol class adds over two runs (a flush cut it)"},
        {"SELECT pkts FROM probe_class WHERE start = 900 AND class = 'udp'", 2,
         "a class one run only saw"},
        {"SELECT bytes FROM probe_port WHERE start = 900 AND port = 'tcp/443'", 1007,
         "a window's port adds"},
        {"SELECT count(*) FROM probe_port WHERE start = 900", 2,
         "a port only the second part had is kept"},
        {"SELECT rx_bytes FROM probe_subnet WHERE cidr = '192.168.1.0/24'", 1000,
         "a subnet's received bytes add"},
        {"SELECT tx_pkts FROM probe_subnet WHERE cidr = '192.168.1.0/24'", 12,
         "a subnet's sent frames add"},
        {"SELECT count(*) FROM mac_sighting", 3, "a pair is stored once"},
        {"SELECT last_seen FROM mac_sighting WHERE mac = '02:00:00:00:00:0a'", 5000,
         "seen again: last_seen moves on"},
        {"SELECT first_seen FROM mac_sighting WHERE mac = '02:00:00:00:00:0a'", 1000,
         "first_seen stays"},
        {"SELECT device_id FROM mac_sighting WHERE ip = '192.168.1.20'", known,
         "a pair whose address is a device's host names that device"},
        {"SELECT count(*) FROM mac_sighting WHERE device_id IS NULL AND state = 'new'", 2,
         "the unknown ones wait for the IT officer as 'new'"},
        {"SELECT count(*) FROM mac_sighting WHERE state = 'known'", 1,
         "the one a device has is 'known': nothing to decide"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (inv_test_number(db, rows[i].sql) != rows[i].want)
            fail_msg("%s: %lld, want %lld (%s)", rows[i].sql, inv_test_number(db, rows[i].sql),
                     rows[i].want, rows[i].why);

    /* the top list is JSON, hostile text a string in it */
    struct inv_sighting_row *items;
    size_t n;
    assert_int_equal(inv_sighting_list(db, "new", &items, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].mac, "02:00:00:00:00:0a");
    assert_int_equal(items[0].device_id, 0);
    assert_string_equal(items[1].ip, "fe80::1");
    free(items);
    assert_int_equal(inv_sighting_list(db, NULL, &items, &n), 0);
    assert_int_equal(n, 3);
    free(items);
}

static void test_window_json(void **state)
{
    struct ww_db *db = *state;
    const struct inv_probe_talker top[] = {{"\"><script>alert(1)</script>", 7}, {"a\\b", 3}};
    const struct inv_probe_window w = {.start = 600, .pkts = 2, .bytes = 10, .ntop = 2, .top = top};
    const struct inv_probe_run run = {.windows = &w, .nwindows = 1};
    assert_int_equal(inv_probe_save(db, &run, NULL), 0);
    /* read back through SQLite's JSON: it parses, and the text is the same */
    assert_int_equal(inv_test_number(db, "SELECT json_valid(top_json) FROM probe_window"), 1);
    assert_int_equal(inv_test_number(db, "SELECT json_array_length(top_json) FROM probe_window"),
                     2);
    assert_int_equal(inv_test_number(db, "SELECT json_extract(top_json, '$[0].addr') = "
                                         "'\"><script>alert(1)</script>' FROM probe_window"), 1);
}

static void test_refused(void **state)
{
    struct ww_db *db = *state;
    const struct inv_probe_host host = {"10.0.0.1", 4, 1, 1, 1, 1, 0, 0};
    const struct {
        struct inv_sighting s;
        const char *why;
    } bad[] = {
        {{"02:00:00:00:00:0A", "10.0.0.1", "arp", 1}, "uppercase MAC: one spelling only"},
        {{"02:00:00:00:00", "10.0.0.1", "arp", 1}, "a short MAC"},
        {{"02-00-00-00-00-0a", "10.0.0.1", "arp", 1}, "dashes"},
        {{"02:00:00:00:00:0a", "", "arp", 1}, "no address"},
        {{"02:00:00:00:00:0a", "10.0.0.1", "lldp", 1}, "a source the probe does not have"},
        {{NULL, "10.0.0.1", "arp", 1}, "no MAC at all"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct inv_probe_run run = {&host, 1, NULL, 0, NULL, 0, &bad[i].s, 1};
        if (inv_probe_save(db, &run, NULL) != -EINVAL)
            fail_msg("refused: %s", bad[i].why);
        if (inv_test_number(db, "SELECT count(*) FROM probe_host") != 0)
            fail_msg("nothing written when refused: %s", bad[i].why);
    }
    /* a window whose class, port or subnet has no name: the caller's bug, nothing written */
    const struct inv_probe_count nameless[] = {{NULL, 1, 1, 0, 0}}, empty[] = {{"", 1, 1, 0, 0}};
    const struct {
        struct inv_probe_window w;
        const char *why;
    } badw[] = {
        {{300, 1, 1, 0, NULL, 1, 0, 0, nameless, NULL, NULL}, "a class without a name"},
        {{300, 1, 1, 0, NULL, 0, 1, 0, NULL, empty, NULL}, "a port named ''"},
        {{300, 1, 1, 0, NULL, 0, 0, 1, NULL, NULL, nameless}, "a subnet without a CIDR"},
    };
    for (size_t i = 0; i < sizeof(badw) / sizeof(badw[0]); i++) {
        const struct inv_probe_run run = {&host, 1, &badw[i].w, 1, NULL, 0, NULL, 0};
        if (inv_probe_save(db, &run, NULL) != -EINVAL)
            fail_msg("refused: %s", badw[i].why);
        if (inv_test_number(db, "SELECT count(*) FROM probe_host") != 0)
            fail_msg("nothing written when refused: %s", badw[i].why);
    }
}

static void test_decide(void **state)
{
    struct ww_db *db = *state;
    const struct inv_sighting pair = {"02:00:00:00:00:0d", "192.168.1.99", "arp", 1000};
    const struct inv_probe_run run = {.sightings = &pair, .nsightings = 1};
    struct inv_actor it = {7, "cán_bộ_it", "api", "127.0.0.1"};
    long long id;

    assert_int_equal(inv_probe_save(db, &run, NULL), 0);
    id = inv_test_number(db, "SELECT id FROM mac_sighting");
    const struct {
        const struct inv_actor *actor;
        long long id;
        const char *state;
        int ret;
        const char *after; /* the state stored after it */
        const char *why;
    } rows[] = {
        {&it, id, "flagged", 0, "flagged", "the IT officer flags an unknown laptop"},
        {&it, id, "accepted", 0, "accepted", "and changes their mind: accepted"},
        {&it, id, "known", -EINVAL, "accepted", "'known' is the probe's word, not a decision"},
        {&it, id, NULL, -EINVAL, "accepted", "no state at all"},
        {&it, id + 100, "flagged", -ENOENT, "accepted", "a sighting that is not there"},
        {NULL, id, "flagged", -EPERM, "accepted", "no actor: nothing is done"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct inv_change ch = {.actor = rows[i].actor, .action = "sighting.decide",
                                .object_type = "sighting", .id = rows[i].id,
                                .apply = inv_apply_sighting_decide, .ctx = (void *)rows[i].state};
        int ret = inv_change_run(db, &ch);
        free(ch.after);
        if (ret != rows[i].ret)
            fail_msg("%s: %d, want %d", rows[i].why, ret, rows[i].ret);
        struct inv_sighting_row *items;
        size_t n;
        assert_int_equal(inv_sighting_list(db, rows[i].after, &items, &n), 0);
        if (n != 1)
            fail_msg("%s: the state is not '%s' after it", rows[i].why, rows[i].after);
        free(items);
    }
    /* each decision is in the audit log with its before and after */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action = "
                                         "'sighting.decide' AND object_type = 'sighting'"), 2);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action = "
                                         "'sighting.decide' AND json_extract(before_json, "
                                         "'$.state') = 'flagged' AND json_extract(after_json, "
                                         "'$.state') = 'accepted'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_save),
        INV_TEST(test_window_json),
        INV_TEST(test_refused),
        INV_TEST(test_decide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
