/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * inv_test.h - the fixture every inventory unit test starts from: a fresh database in its
 * own temp folder, migrated to the current schema, handed to the test as *state; removed
 * with its folder afterwards. Include after <cmocka.h>. One fixture at a time per binary.
 */
#ifndef WW_INV_TEST_H
#define WW_INV_TEST_H

#include <stdlib.h>
#include <unistd.h>

#include "common/db_int.h"
#include "inventory/inventory.h"

static char inv_test_dir[64];

/* inv_test_db_open() - cmocka setup: a new migrated database in *state */
static int inv_test_db_open(void **state)
{
    struct ww_db *db = NULL;
    char *path;

    ww_strlcpy(inv_test_dir, "/tmp/wwinvtestXXXXXX", sizeof(inv_test_dir));
    assert_non_null(mkdtemp(inv_test_dir));
    path = ww_asprintf("%s/w.db", inv_test_dir);
    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate(db), 0);
    free(path);
    *state = db;
    return 0;
}

/* inv_test_db_close() - cmocka teardown: close it and remove its folder */
static int inv_test_db_close(void **state)
{
    char *cmd = ww_asprintf("rm -rf '%s'", inv_test_dir);

    ww_db_close(*state);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

/* inv_test_number() - the one number @sql selects (a count), -1 when it selects no row */
static inline long long inv_test_number(struct ww_db *db, const char *sql)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    long long n = -1;

    assert_non_null(st);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* inv_test_add_pc() - a device of kind "pc" named @name at @host (both borrowed); its id */
static inline long long inv_test_add_pc(struct ww_db *db, const char *name, const char *host)
{
    struct inv_device d;
    long long id = 0;

    inv_device_init(&d);
    d.name = (char *)name;
    d.host = (char *)host;
    d.kind = (char *)"pc";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    return id;
}

/* INV_TEST(fn) - a cmocka test of @fn on its own fresh database */
#define INV_TEST(fn) cmocka_unit_test_setup_teardown(fn, inv_test_db_open, inv_test_db_close)

#endif
