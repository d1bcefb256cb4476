/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_import.c - the CSV import of devices (inventory/import.c): the reader (a table of
 * files, each with its why: BOM, quoting, CRLF, invalid UTF-8, formula cells, empty lines,
 * short and long rows, unknown and missing columns), refusals by row and column, duplicate
 * names, tags and host:port in the file and against the database, nothing half-written (a
 * refused file, a failure injected midway), only_valid, one audit entry per device, and a
 * 50,000-row file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static const struct inv_actor officer = {7, "lan.nguyen", "api", "192.0.2.7"};

#define HEAD "name,host,asset_tag\n"

/* one refusal expected: row, column, field, reason (rows 0 = none expected) */
static const struct {
    const char *why, *csv;
    long long rows, valid;
    long long err_row;
    int err_col;
    const char *field, *reason;
} parse_cases[] = {
    {"a BOM is not part of the first column's name", "\xef\xbb\xbfname,host\nA,10.0.0.1\n", 1, 1,
     0, 0, NULL, NULL},
    {"a quoted comma is one cell", HEAD "\"Máy in, tầng 2\",10.0.0.1,\n", 1, 1, 0, 0, NULL, NULL},
    {"a doubled quote is a quote", HEAD "\"Máy \"\"A\"\"\",10.0.0.1,\n", 1, 1, 0, 0, NULL, NULL},
    {"a line break inside quotes is part of the cell, but a name refuses control characters",
     HEAD "\"A\nB\",10.0.0.1,\n", 1, 0, 2, 1, "name", "control_char"},
    {"CRLF ends a row as LF does", "name,host\r\nA,10.0.0.1\r\nB,10.0.0.2\r\n", 2, 2, 0, 0,
     NULL, NULL},
    {"no final line break", "name,host\nA,10.0.0.1", 1, 1, 0, 0, NULL, NULL},
    {"invalid UTF-8 is refused with its cell", HEAD "A\xc3,10.0.0.1,\n", 1, 0, 2, 1, "name",
     "not_utf8"},
    {"a formula after white space", HEAD " =1,10.0.0.1,\n", 1, 0, 2, 1, "name", "formula"},
    {"a full-width equals sign is a formula", HEAD "\xef\xbc\x9d" "1,10.0.0.1,\n", 1, 0, 2, 1,
     "name", "formula"},
    {"@ starts a formula", HEAD "A,10.0.0.1,@SUM(A1)\n", 1, 0, 2, 3, "asset_tag", "formula"},
    {"a minus starts a formula", HEAD "-2+3,10.0.0.1,\n", 1, 0, 2, 1, "name", "formula"},
    {"empty lines are skipped but counted", HEAD "\nA,10.0.0.1,\n\n", 1, 1, 0, 0, NULL, NULL},
    {"a short row leaves the rest empty", HEAD "A,10.0.0.1\n", 1, 1, 0, 0, NULL, NULL},
    {"a short row without its host is refused on host", HEAD "\nA\n", 1, 0, 3, 2, "host",
     "required"},
    {"a long row is refused past the header's last column", HEAD "A,10.0.0.1,T,x\n", 1, 0, 2, 4,
     "record", "cell_count"},
    {"an unknown column is named", "name,host,colour\nA,10.0.0.1,red\n", 0, 0, 1, 3, "record",
     "unknown_column"},
    {"host is required as a column", "name,vendor\nA,HP\n", 0, 0, 1, 0, "host",
     "missing_column"},
    {"a quote never closed refuses the file", HEAD "\"A,10.0.0.1,\n", 0, 0, 2, 1, "record",
     "csv_quote"},
    {"text after a closing quote refuses the file", HEAD "\"A\"x,10.0.0.1,\n", 0, 0, 2, 1,
     "record", "csv_quote"},
    {"a bad port is refused by the device check, in its column",
     "name,host,snmp_port\nA,10.0.0.1,70000\n", 1, 0, 2, 3, "snmp_port", "out_of_range"},
    {"a status outside the list", "name,host,status\nA,10.0.0.1,lost\n", 1, 0, 2, 3, "status",
     "not_one_of"},
    {"a word for a number", "name,host,cost_vnd\nA,10.0.0.1,nhiều\n", 1, 0, 2, 3, "cost_vnd",
     "not_integer"},
};

static void test_parse_table(void **state)
{
    struct ww_db *db = *state;

    for (size_t i = 0; i < WW_ARRAY_SIZE(parse_cases); i++) {
        struct inv_import_opts o = {.actor = &officer, .dry_run = true};
        struct inv_import_result r;
        int ret = inv_import_devices(db, parse_cases[i].csv, strlen(parse_cases[i].csv), &o, &r);

        print_message("case: %s\n", parse_cases[i].why);
        assert_int_equal(r.rows, parse_cases[i].rows);
        assert_int_equal(r.valid, parse_cases[i].valid);
        if (!parse_cases[i].reason) {
            assert_int_equal(ret, 0);
            assert_int_equal(r.n_errors, 0);
        } else {
            assert_int_equal(ret, -EINVAL);
            assert_true(r.n_errors >= 1);
            assert_int_equal(r.errors[0].row, parse_cases[i].err_row);
            assert_int_equal(r.errors[0].column, parse_cases[i].err_col);
            assert_string_equal(r.errors[0].why.field, parse_cases[i].field);
            assert_string_equal(r.errors[0].why.reason, parse_cases[i].reason);
        }
        assert_int_equal(r.written, 0);
        inv_import_result_release(&r);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 0);
}

/* the cells land in their fields, Vietnamese text intact; one audit entry per device */
static void test_write_fields(void **state)
{
    struct ww_db *db = *state;
    static const char csv[] =
        "\xef\xbb\xbfname,kind,host,snmp_port,snmp_version,vendor,model,serial,asset_tag,"
        "purchase_date,cost_vnd,in_service_date,warranty_end,funding_source,lifespan_years,"
        "status,criticality,assigned_to,notes\r\n"
        "Máy tính Một cửa 1,pc,10.0.0.5,1161,1,Dell,OptiPlex 3020,SN1,UB-0001,2019-03-01,"
        "12500000,2019-03-05,2022-03-01,ngân sách phường 2019,7,in_repair,one_stop_counter,"
        "Nguyễn Thị Lan,\"quạt kêu, \"\"to\"\"\"\r\n"
        "Switch tầng 2,switch,10.0.0.6,,,,,,,,,,,,,,,,\r\n";
    struct inv_import_opts o = {.actor = &officer};
    struct inv_import_result r;
    struct inv_device d;

    assert_int_equal(inv_import_devices(db, csv, strlen(csv), &o, &r), 0);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.written, 2);
    inv_import_result_release(&r);
    assert_int_equal(inv_device_get(db, 1, &d), 0);
    assert_string_equal(d.name, "Máy tính Một cửa 1");
    assert_int_equal(d.snmp_port, 1161);
    assert_string_equal(d.snmp_version, "1");
    assert_string_equal(d.asset_tag, "UB-0001");
    assert_int_equal(d.cost_vnd, 12500000);
    assert_string_equal(d.funding_source, "ngân sách phường 2019");
    assert_int_equal(d.lifespan_years, 7);
    assert_string_equal(d.status, "in_repair");
    assert_string_equal(d.criticality, "one_stop_counter");
    assert_string_equal(d.assigned_to, "Nguyễn Thị Lan");
    assert_string_equal(d.notes, "quạt kêu, \"to\"");
    inv_device_release(&d);
    assert_int_equal(inv_device_get(db, 2, &d), 0);
    assert_string_equal(d.name, "Switch tầng 2");
    assert_int_equal(d.snmp_port, 161);
    assert_int_equal(d.cost_vnd, -1);
    assert_string_equal(d.status, "in_use");
    inv_device_release(&d);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action = 'device.import'"),
                     2);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_assignment"), 1);
}

/* duplicates in the file and against the database, each named by row and column */
static void test_duplicates(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d;
    struct inv_import_opts o = {.actor = &officer};
    struct inv_import_result r;
    static const char csv[] = "name,host,asset_tag\n"
                              "A,10.0.0.1,UB-1\n"          /* row 2: fine */
                              "B,10.0.0.2,ub-1 \n"         /* row 3: tag of row 2 */
                              "C,10.0.0.3,OLD-7\n"         /* row 4: tag in the database */
                              "cũ,10.0.0.4,\n"             /* row 5: name in the database */
                              "E,10.0.0.9,\n"              /* row 6: host:port in the database */
                              "a,10.0.0.7,\n";             /* row 7: name of row 2 */
    static const struct {
        long long row;
        int column;
        const char *field, *reason, *param;
    } want[] = {{3, 3, "asset_tag", "in_file", "2"}, {4, 3, "asset_tag", "exists", "#1"},
                {5, 1, "name", "name_taken", "#1"},  {6, 2, "host", "exists", "#1"},
                {7, 1, "name", "in_file", "2"}};

    inv_device_init(&d);
    d.name = (char *)"CŨ";
    d.host = (char *)"10.0.0.9";
    d.asset_tag = (char *)"OLD-7";
    assert_int_equal(inv_device_add(db, &d, NULL), 0);
    assert_int_equal(inv_import_devices(db, csv, strlen(csv), &o, &r), -EINVAL);
    assert_int_equal(r.rows, 6);
    assert_int_equal(r.valid, 1);
    assert_int_equal(r.written, 0);
    assert_int_equal(r.n_errors, WW_ARRAY_SIZE(want));
    for (size_t i = 0; i < WW_ARRAY_SIZE(want); i++) {
        assert_int_equal(r.errors[i].row, want[i].row);
        assert_int_equal(r.errors[i].column, want[i].column);
        assert_string_equal(r.errors[i].why.field, want[i].field);
        assert_string_equal(r.errors[i].why.reason, want[i].reason);
        assert_string_equal(r.errors[i].why.param, want[i].param);
    }
    inv_import_result_release(&r);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 1);
    /* why: only_valid writes row 2 alone, audited */
    o.only_valid = true;
    assert_int_equal(inv_import_devices(db, csv, strlen(csv), &o, &r), 0);
    assert_int_equal(r.written, 1);
    inv_import_result_release(&r);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device WHERE name='A'"), 1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action = 'device.import'"),
                     1);
}

/* a failure while writing row N leaves the database as it was */
static void test_failure_midway(void **state)
{
    struct ww_db *db = *state;
    struct inv_import_opts o = {.actor = &officer, .fail_at_row = 4};
    struct inv_import_result r;
    static const char csv[] = "name,host\nA,10.0.0.1\nB,10.0.0.2\nC,10.0.0.3\nD,10.0.0.4\n";
    long long audit = inv_test_number(db, "SELECT count(*) FROM audit_log");

    assert_int_equal(inv_import_devices(db, csv, strlen(csv), &o, &r), -EIO);
    assert_int_equal(r.written, 0);
    inv_import_result_release(&r);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_assignment"), 0);
    /* why: without the injected failure the same file goes in whole */
    o.fail_at_row = 0;
    assert_int_equal(inv_import_devices(db, csv, strlen(csv), &o, &r), 0);
    assert_int_equal(r.written, 4);
    inv_import_result_release(&r);
    /* why: no actor, nothing done */
    o.actor = NULL;
    assert_int_equal(inv_import_devices(db, csv, strlen(csv), &o, &r), -EPERM);
    inv_import_result_release(&r);
}

/* the bounds: a cell too long, a file too big */
static void test_bounds(void **state)
{
    struct ww_db *db = *state;
    struct inv_import_opts o = {.dry_run = true};
    struct inv_import_result r;
    struct ww_buf b;

    ww_buf_init(&b, 64u << 20);
    ww_buf_addstr(&b, "name,host\n");
    for (int i = 0; i < INV_IMPORT_CELL_MAX + 1; i++)
        ww_buf_addstr(&b, "x");
    ww_buf_addstr(&b, ",10.0.0.1\n");
    assert_int_equal(inv_import_devices(db, b.data, b.len, &o, &r), -EINVAL);
    assert_int_equal(r.n_errors, 1);
    assert_int_equal(r.errors[0].row, 2);
    assert_int_equal(r.errors[0].column, 1);
    assert_string_equal(r.errors[0].why.reason, "too_long");
    inv_import_result_release(&r);
    assert_int_equal(inv_import_devices(db, b.data, INV_IMPORT_FILE_MAX + 1, &o, &r), -EINVAL);
    assert_true(r.file_refused);
    assert_int_equal(r.errors[0].row, 0);
    inv_import_result_release(&r);
    ww_buf_release(&b);
}

/* 50,000 rows in one transaction, each audited (the time is printed, not asserted) */
static void test_fifty_thousand(void **state)
{
    struct ww_db *db = *state;
    struct inv_import_opts o = {.actor = &officer};
    struct inv_import_result r;
    struct timespec t0, t1;
    struct ww_buf b;
    char line[160];

    ww_buf_init(&b, 64u << 20);
    ww_buf_addstr(&b, "name,kind,host,asset_tag,status\r\n");
    for (int i = 0; i < 50000; i++) {
        snprintf(line, sizeof(line), "Máy tính số %d,pc,10.%d.%d.%d,UB-%05d,in_use\r\n", i,
                 i / 65536, i / 256 % 256, i % 256, i);
        ww_buf_addstr(&b, line);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(inv_import_devices(db, b.data, b.len, &o, &r), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(r.rows, 50000);
    assert_int_equal(r.written, 50000);
    inv_import_result_release(&r);
    print_message("50,000 rows (%zu bytes) imported in %.2f s\n", b.len,
                  (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 50000);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action = 'device.import'"),
                     50000);
    /* why: the same file again is refused whole, each row a duplicate of the database */
    o.dry_run = true;
    assert_int_equal(inv_import_devices(db, b.data, b.len, &o, &r), -EINVAL);
    assert_int_equal(r.valid, 0);
    assert_int_equal(r.n_errors, INV_IMPORT_ERRORS_MAX);
    assert_true(r.errors_more > 0);
    inv_import_result_release(&r);
    ww_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_parse_table),   INV_TEST(test_write_fields), INV_TEST(test_duplicates),
        INV_TEST(test_failure_midway), INV_TEST(test_bounds),      INV_TEST(test_fifty_thousand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
