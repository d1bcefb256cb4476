/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_common.c - buffer, numbers, UTF-8, name keys, configuration and database handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "common/db_int.h"

static char tmpdir[64];

static int make_tmp(void **state)
{
    ww_strlcpy(tmpdir, "/tmp/wwunitXXXXXX", sizeof(tmpdir));
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int drop_tmp(void **state)
{
    char *cmd = ww_asprintf("rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

static char *write_file(const char *name, const char *content)
{
    char *path = ww_asprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    return path;
}

static void test_buf_cap(void **state)
{
    struct ww_buf b;
    ww_buf_init(&b, 10);
    assert_int_equal(ww_buf_addstr(&b, "12345"), 0);
    assert_int_equal(ww_buf_addf(&b, "%d", 6789), 0);
    assert_string_equal(b.data, "123456789");
    /* over the cap: refused, buffer unchanged */
    assert_int_equal(ww_buf_addstr(&b, "ab"), -E2BIG);
    assert_int_equal(b.len, 9);
    assert_string_equal(b.data, "123456789");
    assert_int_equal(ww_buf_addf(&b, "%s", "xy"), -E2BIG);
    assert_string_equal(b.data, "123456789");
    assert_int_equal(ww_buf_addstr(&b, "0"), 0);
    assert_int_equal(b.len, 10);
    ww_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    ww_buf_release(&b);
    assert_null(b.data);
    /* growing past the first allocation keeps the content */
    ww_buf_init(&b, 1 << 20);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ww_buf_addstr(&b, "abcdefghij"), 0);
    assert_int_equal(b.len, 10000);
    assert_memory_equal(b.data + 9990, "abcdefghij", 10);
    char *s = ww_buf_detach(&b);
    assert_null(b.data);
    assert_int_equal(strlen(s), 10000);
    free(s);
}

static void test_grow_zeroed(void **state)
{
    long long *t = NULL;
    size_t len = 0;
    (void)state;

    t = ww_grow_zeroed(t, &len, 5, sizeof(*t));
    assert_int_equal(len, 1024); /* at least 1024 */
    for (size_t i = 0; i < len; i++)
        assert_int_equal(t[i], 0);
    t[5] = 55;
    t[1023] = 1023;
    assert_ptr_equal(ww_grow_zeroed(t, &len, 1023, sizeof(*t)), t); /* fits: unchanged */
    t = ww_grow_zeroed(t, &len, 5000, sizeof(*t));
    assert_int_equal(len, 8192); /* a power of two past the index */
    assert_int_equal(t[5], 55);  /* what was there stays */
    assert_int_equal(t[1023], 1023);
    for (size_t i = 1024; i < len; i++)
        assert_int_equal(t[i], 0); /* the new part is zero */
    free(t);
}

static void test_parse_ll(void **state)
{
    static const struct {
        const char *in;
        long long min, max;
        int ret;
        long long out;
    } cases[] = {
        {"0", 0, 10, 0, 0},         {"10", 0, 10, 0, 10},       {"11", 0, 10, -ERANGE, 0},
        {"-1", 0, 10, -ERANGE, 0},  {"", 0, 10, -EINVAL, 0},    {"1x", 0, 10, -EINVAL, 0},
        {" 1", 0, 10, 0, 1},        {"abc", 0, 10, -EINVAL, 0},
        {"99999999999999999999", 0, 10, -ERANGE, 0},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        long long v = -99;
        assert_int_equal(ww_parse_ll(cases[i].in, cases[i].min, cases[i].max, &v), cases[i].ret);
        if (cases[i].ret == 0)
            assert_int_equal(v, cases[i].out);
    }
    uint64_t u;
    assert_int_equal(ww_parse_u64("18446744073709551615", &u), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(ww_parse_u64("18446744073709551616", &u), -ERANGE);
    assert_int_equal(ww_parse_u64("-1", &u), -EINVAL);
}

static void test_utf8(void **state)
{
    static const struct {
        const char *in;
        size_t n;
        bool valid;
        const char *sanitized;
    } cases[] = {
        {"abc", 3, true, "abc"},
        {"Ph\xc6\xb0\xe1\xbb\x9dng", 9, true, "Ph\xc6\xb0\xe1\xbb\x9dng"}, /* Phường */
        {"\xff", 1, false, "\xef\xbf\xbd"},
        {"a\xc0\xafz", 4, false, "a\xef\xbf\xbd\xef\xbf\xbdz"}, /* overlong '/' */
        {"\xed\xa0\x80", 3, false, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* surrogate */
        {"a\r\nb", 4, true, "a  b"},
        {"x\0y", 3, true, "x y"},
        {"\xe1\xbb", 2, false, "\xef\xbf\xbd\xef\xbf\xbd"}, /* cut sequence */
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *s = ww_utf8_sanitize(cases[i].in, cases[i].n);
        assert_int_equal(ww_utf8_valid(cases[i].in, cases[i].n), cases[i].valid);
        assert_string_equal(s, cases[i].sanitized);
        assert_true(ww_utf8_valid(s, strlen(s)));
        free(s);
    }
}

/* names compared as people see them: case, composition and surrounding spaces do not count */
static void test_name_key(void **state)
{
    const struct {
        const char *a, *b;
        bool same;
        const char *why;
    } cases[] = {
        {"Máy in tầng 2", "máy in tầng 2", true, "Vietnamese, first letter's case"},
        {"Máy in tầng 2", "MÁY IN TẦNG 2", true, "capitals with diacritics (Á, Ầ)"},
        {"Máy in tầng 2", "Ma\xcc\x81y in t\xc3\xa2\xcc\x80ng 2", true,
         "combining marks (a + U+0301, â + U+0300) are the precomposed letters"},
        {"Máy in tầng 2", "  Máy in tầng 2\t", true, "surrounding spaces and tab"},
        {"Máy in tầng 2", "\xc2\xa0Máy in tầng 2\xe3\x80\x80", true,
         "surrounding no-break and ideographic spaces"},
        {"ĐƯỜNG TRUYỀN", "đường truyền", true, "Đ/đ and Ư/ư, horned letters"},
        {"core-sw", "CORE-SW", true, "ASCII case"},
        {"Máy in tầng 2", "Máy in tầng 3", false, "another floor"},
        {"Máy in tầng 2", "May in tang 2", false, "diacritics do count: another word"},
        {"Máy in tầng 2", "Mẫy in tầng 2", false, "another tone mark"},
        {"Máy in tầng 2", "Máy  in tầng 2", false, "inner spaces are part of the name"},
        {"core-sw", "core-sw2", false, "a longer name"},
        {"", "   ", true, "nothing but spaces is empty"},
        {"a\xff", "A\xef\xbf\xbd", true, "an invalid byte compares as U+FFFD"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *ka = ww_name_key(cases[i].a), *kb = ww_name_key(cases[i].b);
        if ((strcmp(ka, kb) == 0) != cases[i].same ||
            ww_name_same(cases[i].a, cases[i].b) != cases[i].same)
            fail_msg("case %zu (%s): '%s' vs '%s'", i, cases[i].why, ka, kb);
        assert_true(ww_utf8_valid(ka, strlen(ka)));
        free(ka);
        free(kb);
    }
}

/* the looser key a provider's names are matched by (before a person confirms the match) */
static void test_name_fold(void **state)
{
    const struct {
        const char *in, *folded;
        const char *why;
    } cases[] = {
        {"Nguyễn Văn Đức", "nguyen van duc", "diacritics and đ/Đ go, case goes"},
        {"NGUYEN VAN DUC", "nguyen van duc", "typed without diacritics, in capitals"},
        {"  Nguyễn   Văn\tĐức  ", "nguyen van duc", "runs of spaces and a tab are one space"},
        {"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n \xc4\x90u\xcc\x9b" "c", "nguyen van duc",
         "NFD: the base letters with combining marks (e + U+0302 U+0303)"},
        {"\xc2\xa0Trần Thị Lan\xe3\x80\x80", "tran thi lan", "no-break and ideographic spaces"},
        {"ĐẶNG THỊ ĐÀO", "dang thi dao", "Đ at a word's start, capital Ặ with two marks"},
        {"Lưu Hữu Phước", "luu huu phuoc", "horned ư/ơ lose their horn"},
        {"", "", "empty"},
        {"a\xff", "a\xef\xbf\xbd", "an invalid byte is U+FFFD, as in ww_name_key"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *k = ww_name_fold(cases[i].in);
        if (strcmp(k, cases[i].folded) != 0)
            fail_msg("case %zu (%s): '%s', expected '%s'", i, cases[i].why, k, cases[i].folded);
        free(k);
    }
}

static void test_time_iso(void **state)
{
    char buf[32];
    assert_string_equal(ww_time_iso(0, buf, sizeof(buf)), "1970-01-01T00:00:00Z");
    assert_string_equal(ww_time_iso(1763884800, buf, sizeof(buf)), "2025-11-23T08:00:00Z");
}

static void test_config_defaults(void **state)
{
    struct ww_config c;
    assert_int_equal(ww_config_load(NULL, &c), 0);
    assert_string_equal(c.data_dir, "/var/lib/wardwatch");
    assert_int_equal(c.poll_interval, 60);
    assert_int_equal(c.port, 8080);
    assert_string_equal(c.rrdcached, "");
    ww_config_release(&c);
}

static void test_config_file(void **state)
{
    struct ww_config c;
    char *p = write_file("ok.conf", "; comment\n[general]\ndata_dir = data\nlog_level = debug\n"
                                    "[collector]\npoll_interval = 30\n[dashboard]\nport = 0\n"
                                    "www_dir = /srv/www\n");
    char *want = ww_asprintf("%s/data", tmpdir);
    assert_int_equal(ww_config_load(p, &c), 0);
    assert_string_equal(c.data_dir, want); /* relative to the file's folder */
    assert_string_equal(c.log_level, "debug");
    assert_int_equal(c.poll_interval, 30);
    assert_int_equal(c.port, 0);
    assert_string_equal(c.www_dir, "/srv/www");
    assert_int_equal(c.snmp_retries, 1); /* untouched default */
    assert_int_equal(ww_config_set(&c, "collector", "poll_interval", "120"), 0);
    assert_int_equal(c.poll_interval, 120);
    assert_int_equal(ww_config_set(&c, "collector", "nope", "1"), -EINVAL);
    ww_config_release(&c);
    free(want);
    free(p);
}

/* the documented default file parses and says what the built-in defaults say */
static void test_config_shipped(void **state)
{
    struct ww_config file, def;
    if (access("appliance/wardwatch.conf", R_OK) != 0)
        skip();
    assert_int_equal(ww_config_load("appliance/wardwatch.conf", &file), 0);
    assert_int_equal(ww_config_load(NULL, &def), 0);
    assert_string_equal(file.data_dir, def.data_dir);
    assert_string_equal(file.www_dir, def.www_dir);
    assert_int_equal(file.poll_interval, def.poll_interval);
    assert_int_equal(file.snmp_timeout_ms, def.snmp_timeout_ms);
    assert_int_equal(file.port, def.port);
    assert_string_equal(file.rules_dir, def.rules_dir); /* WW_RULES_DIR */
    assert_non_null(strstr(def.rules_dir, "inventory/rules"));
    ww_config_release(&file);
    ww_config_release(&def);
}

static void test_config_errors(void **state)
{
    static const char *const bad[] = {
        "[general]\ndata_dri = /x\n",          /* unknown key */
        "[collector]\npoll_interval = 1\n",    /* below the bound */
        "[collector]\npoll_interval = 10s\n",  /* not a number */
        "[dashboard]\nport = 70000\n",         /* above the bound */
        "[nosuch]\nkey = 1\n",                 /* unknown section */
        "[general]\nthis line has no equals\n", /* malformed */
        "[general]\nlog_level = loud\n",       /* not a level */
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(bad); i++) {
        struct ww_config c;
        char *p = write_file("bad.conf", bad[i]);
        assert_int_equal(ww_config_load(p, &c), -EINVAL);
        assert_null(c.data_dir); /* released on failure */
        free(p);
    }
    struct ww_config c;
    char *missing = ww_asprintf("%s/none.conf", tmpdir);
    assert_int_equal(ww_config_load(missing, &c), -ENOENT);
    free(missing);
}

static const struct ww_migration steps_v2[] = {
    {1, "CREATE TABLE a (x INTEGER);", false},
    {2, "ALTER TABLE a ADD COLUMN y TEXT; INSERT INTO a VALUES (1, 'one');", false},
};
static const struct ww_migration steps_bad[] = {
    {1, "CREATE TABLE a (x INTEGER);", false},
    {2, "ALTER TABLE a ADD COLUMN y TEXT; INSERT INTO a VALUES (1, 'one');", false},
    {3, "CREATE TABLE b (z INTEGER); INSERT INTO nosuchtable VALUES (1);", false},
};

static void test_db_migrations(void **state)
{
    struct ww_db *db = NULL;
    char *path = ww_asprintf("%s/m.db", tmpdir);
    int v = -1;

    unlink(path);
    assert_int_equal(ww_db_open(path, false, &db), -ENOENT);
    assert_int_equal(ww_db_open(path, true, &db), 0);
    /* version 1 only, as an older program would have left it */
    assert_int_equal(ww_db_migrate(db, steps_v2, 1), 0);
    assert_int_equal(ww_db_user_version(db, &v), 0);
    assert_int_equal(v, 1);
    /* upgrade in place */
    assert_int_equal(ww_db_migrate(db, steps_v2, 2), 0);
    assert_int_equal(ww_db_user_version(db, &v), 0);
    assert_int_equal(v, 2);
    /* a failing step rolls back whole: no table b, still version 2 */
    assert_int_equal(ww_db_migrate(db, steps_bad, 3), -EIO);
    assert_int_equal(ww_db_user_version(db, &v), 0);
    assert_int_equal(v, 2);
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT count(*) FROM sqlite_master WHERE name='b'");
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    /* the pragmas the design asks for */
    st = ww_db_prepare(db, "PRAGMA journal_mode");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    st = ww_db_prepare(db, "PRAGMA foreign_keys");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    st = ww_db_prepare(db, "PRAGMA synchronous");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
    sqlite3_finalize(st);
    ww_db_close(db);

    /* a newer database than the program knows is refused */
    assert_int_equal(ww_db_open(path, false, &db), 0);
    assert_int_equal(ww_db_migrate(db, steps_v2, 1), -EPROTO);
    ww_db_close(db);
    free(path);
}

static void test_db_not_sqlite(void **state)
{
    struct ww_db *db = NULL;
    char *p = write_file("junk.db", "this is not a database, just text that someone copied here\n"
                                    "and it goes on for a while so SQLite reads a header ......\n");
    assert_int_equal(ww_db_open(p, false, &db), -EINVAL);
    assert_null(db);
    free(p);
}

static void test_complain_backoff(void **state)
{
    struct ww_complain c = {0};
    ww_complain(&c, WW_LOG_DEBUG, "first");
    assert_true(c.active);
    assert_int_equal(c.interval, 60);
    ww_complain(&c, WW_LOG_DEBUG, "suppressed");
    assert_int_equal(c.suppressed, 1);
    c.next = 0; /* pretend the interval passed */
    ww_complain(&c, WW_LOG_DEBUG, "second");
    assert_int_equal(c.interval, 120);
    assert_int_equal(c.suppressed, 0);
    ww_complain_release(&c, "recovered");
    assert_false(c.active);
}

/* a JSON string is valid JSON whatever the bytes (a device's text reaches the page so) */
static void test_json_string(void **state)
{
    static const struct {
        const char *in, *want, *why;
    } cases[] = {
        {"Mực đen", "\"Mực đen\"", "well-formed UTF-8 as it is"},
        {"B\"\\", "\"B\\\"\\\\\"", "quote and backslash escaped"},
        {"a\x01\x7f", "\"a\\u0001\\u007f\"", "controls as \\u00XX"},
        {"B\xd2\"", "\"B\\ufffd\\\"\"", "a lead byte without its continuation (the fuzzer's toner)"},
        {"\xc0\xaf", "\"\\ufffd\\ufffd\"", "an overlong '/' is two bad bytes"},
        {"\xed\xa0\x80x", "\"\\ufffd\\ufffd\\ufffdx\"", "a surrogate is not UTF-8"},
        {"\xe1\xba", "\"\\ufffd\\ufffd\"", "a character cut at the end"},
    };
    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct ww_buf b;
        ww_buf_init(&b, 256);
        assert_int_equal(ww_buf_add_json_string(&b, cases[i].in), 0);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("case %zu (%s): %s, want %s", i, cases[i].why, b.data, cases[i].want);
        ww_buf_release(&b);
    }
}

static void test_url_redact(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"https://hooks.slack.com/services/T0/B0/XXXXSECRET", "https://hooks.slack.com/\u2026"},
        {"http://10.0.0.5:8080/hook?token=abc", "http://10.0.0.5:8080/\u2026"},
        {"https://user:p@ss@example.org/x", "https://example.org/\u2026"},
        {"https://example.org", "https://example.org"},
        {"HTTPS://Example.org#frag", "HTTPS://Example.org/\u2026"},
        {"it@phuong.gov.vn, lan@phuong.gov.vn", "it@phuong.gov.vn, lan@phuong.gov.vn"},
    };
    char buf[WW_URL_REDACT_MAX];
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++)
        assert_string_equal(ww_url_redact(cases[i].in, buf, sizeof(buf)), cases[i].out);
    assert_null(ww_url_redact(NULL, buf, sizeof(buf)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_grow_zeroed), cmocka_unit_test(test_parse_ll),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_name_key),
        cmocka_unit_test(test_name_fold),
        cmocka_unit_test(test_time_iso),
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_config_file),
        cmocka_unit_test(test_config_shipped),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_db_migrations),
        cmocka_unit_test(test_db_not_sqlite),
        cmocka_unit_test(test_complain_backoff),
        cmocka_unit_test(test_url_redact),
        cmocka_unit_test(test_json_string),
    };
    ww_log_init("test_common", WW_LOG_ERR);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}
