/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_disk.c - the per-disk rows (device_disk, schema v14: disk.c) and the list of devices
 * seen on the network but not in the register (neighbor.c): a table of upserts, each with
 * its why (a key is the agent's text made valid UTF-8 and bounded, a row is rewritten only
 * when something changed or its last_seen is old, a disk no longer reported keeps its row);
 * the neighbours that name no device of ours, newest first, paged, counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

struct upsert_case {
    const char *why;
    const char *key;
    double size, used;
    long long now;
    int ret;
    const char *want_key;   /* the row's key after it (NULL: no row) */
    long long want_seen;    /* its last_seen */
    double want_used;
    bool same_id_as_prev;   /* the row of the case before */
};

static void test_upsert(void **state)
{
    struct ww_db *db = *state;
    long long dev = inv_test_add_pc(db, "Máy kế toán", "10.0.0.5");
    char long_key[400];
    /* 126 ASCII bytes then "ữ" (3 bytes): 129 bytes, cut before the character, not in it */
    memset(long_key, 'x', 126);
    strcpy(long_key + 126, "ữ tail");
    const struct upsert_case cases[] = {
        {"a new disk is a new row, first and last seen now", "C:\\ Label:  Serial Number 5c",
         100e9, 50e9, 1000, 0, "C:\\ Label:  Serial Number 5c", 1000, 50e9, false},
        {"the same use a minute later writes nothing: last_seen stays", "C:\\ Label:  Serial Number 5c",
         100e9, 50e9, 1060, 0, "C:\\ Label:  Serial Number 5c", 1000, 50e9, true},
        {"the same use ten minutes later moves last_seen (INV_FACT_SEEN_EVERY)",
         "C:\\ Label:  Serial Number 5c", 100e9, 50e9, 1000 + INV_FACT_SEEN_EVERY, 0,
         "C:\\ Label:  Serial Number 5c", 1000 + INV_FACT_SEEN_EVERY, 50e9, true},
        {"a new use is written at once", "C:\\ Label:  Serial Number 5c", 100e9, 61e9,
         1000 + INV_FACT_SEEN_EVERY + 60, 0, "C:\\ Label:  Serial Number 5c",
         1000 + INV_FACT_SEEN_EVERY + 60, 61e9, true},
        {"a use not read is unknown, not 0", "C:\\ Label:  Serial Number 5c", 100e9, NAN,
         1000 + INV_FACT_SEEN_EVERY + 120, 0, "C:\\ Label:  Serial Number 5c",
         1000 + INV_FACT_SEEN_EVERY + 120, NAN, true},
        {"bytes that are no UTF-8 become U+FFFD, a control a space", "D:\\ \xff\x01", 1e9, 0, 2000,
         0, "D:\\ \xef\xbf\xbd ", 2000, 0, false},
        {"a long description is cut at a character's edge", long_key, 1e9, 1, 2000, 0, NULL,
         2000, 1, false},
        {"an empty key names nothing", "", 1e9, 1, 2000, -EINVAL, NULL, 0, 0, false},
    };
    long long prev = 0;

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct upsert_case *c = &cases[i];
        struct inv_disk *k = NULL;
        size_t n = 0;
        long long id = 0;
        const struct inv_disk *row = NULL;
        char want[INV_DISK_KEY_MAX + 1];

        assert_int_equal(inv_disk_upsert(db, dev, c->key, NULL, c->size, c->used,
                                         (time_t)c->now, &id),
                         c->ret);
        if (c->ret < 0)
            continue;
        if (c->want_key) {
            ww_strlcpy(want, c->want_key, sizeof(want));
        } else { /* the long key: 126 x and no half character */
            memset(want, 'x', 126);
            want[126] = '\0';
        }
        assert_int_equal(inv_disk_list(db, dev, &k, &n), 0);
        for (size_t j = 0; j < n; j++)
            if (k[j].id == id)
                row = &k[j];
        if (!row || strcmp(row->disk_key, want) != 0 || row->last_seen != c->want_seen ||
            (isnan(c->want_used) ? !isnan(row->used_bytes) : row->used_bytes != c->want_used) ||
            (c->same_id_as_prev && id != prev))
            fail_msg("case %zu (%s): row %s key '%s' seen %lld used %g id %lld (prev %lld)", i,
                     c->why, row ? "found" : "missing", row ? row->disk_key : "",
                     row ? row->last_seen : 0, row ? row->used_bytes : 0, id, prev);
        inv_disk_list_free(k, n);
        prev = id;
    }
    /* why: the graph route checks that a disk is the device's */
    {
        long long owner = 0;
        assert_int_equal(inv_disk_device(db, prev, &owner), 0);
        assert_int_equal(owner, dev);
        assert_int_equal(inv_disk_device(db, 999999, &owner), -ENOENT);
    }
}

static void test_unregistered(void **state)
{
    struct ww_db *db = *state;
    long long sw = inv_test_add_pc(db, "Switch tầng 2", "10.0.0.2");
    long long pc = inv_test_add_pc(db, "Máy văn thư", "10.0.0.7");
    const struct inv_neighbor lldp[] = {
        /* why: an unknown printer: not in the register */
        {"Gi0/7", "aa:bb", "may-in-mot-cua", "eth0", "10.0.0.77"},
        /* why: named by the polled address of a device of ours: registered */
        {"Gi0/8", "cc:dd", "whatever", "eth0", "10.0.0.7"},
    };
    const struct inv_neighbor cdp[] = {
        /* why: an unknown access point, seen later */
        {"Gi0/24", "AP-Tang3", "AP-Tang3", "Fa0", NULL},
    };
    struct inv_neighbor_row *rows = NULL;
    size_t n = 0;
    long long total = 0;

    (void)pc;
    assert_int_equal(inv_neighbor_replace(db, sw, "lldp", lldp, 2, 1000), 0);
    assert_int_equal(inv_neighbor_replace(db, sw, "cdp", cdp, 1, 2000), 0);
    assert_int_equal(inv_neighbor_unregistered(db, 10, 0, &rows, &n, &total), 0);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    /* newest first, with who saw it, on which port, its address */
    assert_string_equal(rows[0].remote_name, "AP-Tang3");
    assert_int_equal(rows[0].last_seen, 2000);
    assert_string_equal(rows[1].remote_name, "may-in-mot-cua");
    assert_string_equal(rows[1].device_name, "Switch tầng 2");
    assert_string_equal(rows[1].local_port, "Gi0/7");
    assert_string_equal(rows[1].remote_addr, "10.0.0.77");
    assert_int_equal(rows[1].first_seen, 1000);
    inv_neighbor_rows_free(rows, n);
    /* a page: one row, the count of all; past the end: none, still counted */
    assert_int_equal(inv_neighbor_unregistered(db, 1, 1, &rows, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
    assert_string_equal(rows[0].remote_name, "may-in-mot-cua");
    inv_neighbor_rows_free(rows, n);
    assert_int_equal(inv_neighbor_unregistered(db, 10, 5, &rows, &n, &total), 0);
    assert_int_equal(n, 0);
    assert_int_equal(total, 2);
    inv_neighbor_rows_free(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_upsert),
        INV_TEST(test_unregistered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
