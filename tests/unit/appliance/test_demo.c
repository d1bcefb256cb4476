/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_demo.c - the demo ward office generator: the 26 devices, the .snmprec files
 * snmpsimd needs (OID|TYPE|VALUE lines in numeric OID order), devices.tsv, reproducibility.
 * appliance/ is not a library, so the generator is compiled into this test directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance/demo.c"

static char tmpdir[64];

static int make_tmp(void **state)
{
    ww_strlcpy(tmpdir, "/tmp/wwdemoXXXXXX", sizeof(tmpdir));
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

/* the whole file, NUL-terminated; *out_len without the NUL */
static char *slurp(const char *path, size_t *out_len)
{
    struct ww_buf b;
    char chunk[4096];
    size_t got;
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    ww_buf_init(&b, 64u << 20);
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(ww_buf_add(&b, chunk, got), 0);
    fclose(f);
    assert_int_equal(ww_buf_add(&b, "", 0), 0);
    if (out_len)
        *out_len = b.len;
    return ww_buf_detach(&b);
}

static char *file_of(const char *dir, const char *community)
{
    return ww_asprintf("%s/%s.snmprec", dir, community);
}

static struct demo_device *generate(const char *sub, unsigned seed, size_t *out_n, char **out_dir)
{
    struct demo_device *devs = NULL;
    char *dir = ww_asprintf("%s/%s", tmpdir, sub);

    assert_int_equal(demo_generate(dir, seed, "127.0.1.", 1161, &devs, out_n), 0);
    assert_non_null(devs);
    *out_dir = dir;
    return devs;
}

static bool valid_tag(const char *tag)
{
    static const char *const tags[] = {"2", "4", "4x", "6", "64", "65", "66", "67", "70"};
    static const char *const moving[] = {"2:numeric", "65:numeric", "66:numeric", "67:numeric",
                                         "70:numeric"};

    for (size_t i = 0; i < WW_ARRAY_SIZE(tags); i++)
        if (strcmp(tag, tags[i]) == 0)
            return true;
    for (size_t i = 0; i < WW_ARRAY_SIZE(moving); i++)
        if (strcmp(tag, moving[i]) == 0)
            return true;
    return false;
}

/*
 * check_snmprec() - every line "OID|TYPE|VALUE", OIDs strictly increasing in numeric order,
 * hex values well-formed, numbers numbers, variation options "key=value,...". Returns lines.
 */
static size_t check_snmprec(const char *path)
{
    char *text = slurp(path, NULL);
    struct rec prev = {.len = 0}, cur;
    size_t lines = 0;
    char *save = NULL;

    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *bar1 = strchr(line, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        char tag[32], *value;

        if (!bar1 || !bar2)
            fail_msg("%s: not OID|TYPE|VALUE: %s", path, line);
        *bar1 = '\0';
        *bar2 = '\0';
        value = bar2 + 1;
        assert_true((size_t)(bar2 - bar1 - 1) < sizeof(tag));
        ww_strlcpy(tag, bar1 + 1, sizeof(tag));
        if (parse_oid(line, cur.oid, &cur.len) < 0)
            fail_msg("%s: bad OID '%s'", path, line);
        if (!valid_tag(tag))
            fail_msg("%s: %s: bad type '%s'", path, line, tag);
        if (lines && rec_cmp(&prev, &cur) >= 0)
            fail_msg("%s: OID %s not after the previous one", path, line);
        if (strcmp(tag, "4x") == 0) {
            size_t n = strlen(value);
            assert_true(n > 0 && n % 2 == 0);
            assert_int_equal(strspn(value, "0123456789abcdef"), n);
        } else if (strchr(tag, ':')) {
            /* numeric variation: key=value pairs, rate always there */
            assert_non_null(strstr(value, "rate="));
            assert_non_null(strstr(value, "initial="));
            for (char *kv = value; *kv;) {
                size_t len = strcspn(kv, ",");
                assert_non_null(memchr(kv, '=', len));
                kv += len + (kv[len] == ',');
            }
        } else if (strcmp(tag, "4") != 0 && strcmp(tag, "6") != 0) {
            long long v;
            uint64_t u;
            if (ww_parse_ll(value, -2147483648ll, 4294967295ll, &v) < 0 &&
                ww_parse_u64(value, &u) < 0)
                fail_msg("%s: %s: bad number '%s'", path, line, value);
        } else {
            /* plain text survives snmpsimd's strip(): no edge spaces, printable ASCII */
            size_t n = strlen(value);
            assert_false(n && (value[0] == ' ' || value[n - 1] == ' '));
            for (size_t i = 0; i < n; i++)
                assert_true(value[i] >= 0x20 && value[i] < 0x7f);
        }
        prev = cur;
        lines++;
    }
    free(text);
    return lines;
}

/* the "TYPE|VALUE" of @oid in the file text, as a heap copy; NULL when absent */
static char *lookup(const char *text, const char *oid)
{
    char *needle = ww_asprintf("\n%s|", oid);
    const char *at = strstr(text, needle);
    char *ret = NULL;

    if (!at && strncmp(text, needle + 1, strlen(needle + 1)) == 0)
        at = text - 1;
    if (at) {
        const char *v = at + strlen(needle);
        ret = ww_strndup(v, strcspn(v, "\n"));
    }
    free(needle);
    return ret;
}

/* "initial=N" of a variation value, or the plain number after the type */
static long long initial_of(const char *tv)
{
    const char *p = strstr(tv, "initial=");
    long long v = 0;
    char num[32];

    p = p ? p + 8 : strchr(tv, '|') + 1;
    ww_strlcpy(num, p, sizeof(num));
    num[strspn(num, "-0123456789")] = '\0';
    assert_int_equal(ww_parse_ll(num, -4294967296ll, 1ll << 62, &v), 0);
    return v;
}

static void test_office(void **state)
{
    const char *kinds[] = {"router", "switch", "ap", "ups", "printer", "pc"};
    const size_t want[] = {1, 2, 1, 1, 1, 20};
    size_t count[6] = {0}, n = 0;
    char *dir = NULL;
    struct demo_device *devs = generate("a/b/snmprec", 2025, &n, &dir);

    assert_int_equal(n, DEMO_N_DEVICES);
    assert_int_equal(n, 26);
    for (size_t i = 0; i < n; i++) {
        char addr[32], *path;
        struct stat st;
        size_t lines;

        for (size_t k = 0; k < WW_ARRAY_SIZE(kinds); k++)
            if (strcmp(devs[i].kind, kinds[k]) == 0)
                count[k]++;
        snprintf(addr, sizeof(addr), "127.0.1.%zu", 10 + i);
        assert_string_equal(devs[i].addr, addr);
        assert_int_equal(devs[i].port, 1161);
        assert_int_equal(strncmp(devs[i].community, "demo-", 5), 0);
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(devs[i].community, devs[j].community);
            assert_string_not_equal(devs[i].name, devs[j].name);
        }
        path = file_of(dir, devs[i].community);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0444, 0444); /* snmpsimd runs as nobody */
        lines = check_snmprec(path);
        assert_true(lines > 40);
        free(path);
    }
    for (size_t k = 0; k < WW_ARRAY_SIZE(kinds); k++)
        assert_int_equal(count[k], want[k]);
    assert_string_equal(devs[0].community, "demo-router");
    assert_string_equal(devs[0].kind, "router");
    free(devs);
    free(dir);
}

static void test_devices_tsv(void **state)
{
    size_t n = 0, rows = 0;
    char *dir = NULL, *path, *text, *save = NULL;
    struct demo_device *devs = generate("tsv", 5, &n, &dir);

    path = ww_asprintf("%s/devices.tsv", dir);
    text = slurp(path, NULL);
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char want[256];
        if (rows == 0) {
            assert_string_equal(line, "name\tkind\taddr\tport\tcommunity");
        } else {
            const struct demo_device *d = &devs[rows - 1];
            snprintf(want, sizeof(want), "%s\t%s\t%s\t%d\t%s", d->name, d->kind, d->addr, d->port,
                     d->community);
            assert_string_equal(line, want);
        }
        rows++;
    }
    assert_int_equal(rows, n + 1);
    free(text);
    free(path);
    free(devs);
    free(dir);
}

/* the things the demo is for: moving counters, sick PCs, a UPS and a printer to read */
static void test_content(void **state)
{
    size_t n = 0, hot = 0, full = 0, pcs_with_storage = 0, down_ports = 0;
    char *dir = NULL, *path, *text, *tv;
    struct demo_device *devs = generate("content", 2025, &n, &dir);

    for (size_t i = 0; i < n; i++) {
        path = file_of(dir, devs[i].community);
        text = slurp(path, NULL);
        /* the full system group everywhere, uptime moving at 100 ticks/s */
        for (int col = 1; col <= 7; col++) {
            char oid[32];
            snprintf(oid, sizeof(oid), "1.3.6.1.2.1.1.%d.0", col);
            tv = lookup(text, oid);
            if (!tv)
                fail_msg("%s: no %s", devs[i].community, oid);
            free(tv);
        }
        tv = lookup(text, "1.3.6.1.2.1.1.3.0");
        assert_int_equal(strncmp(tv, "67:numeric|rate=100,initial=", 28), 0);
        free(tv);
        tv = lookup(text, "1.3.6.1.2.1.1.5.0");
        assert_string_equal(tv + 2, devs[i].name);
        free(tv);
        tv = lookup(text, "1.3.6.1.2.1.2.1.0"); /* ifNumber */
        assert_non_null(tv);
        free(tv);
        if (strcmp(devs[i].kind, "pc") == 0) {
            long long size, used, load;
            tv = lookup(text, "1.3.6.1.2.1.1.1.0");
            assert_int_equal(strncmp(tv, "4|Hardware: ", 12), 0);
            assert_non_null(strstr(tv, " AT/AT COMPATIBLE - Software: Windows Version 6."));
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.1.6.0"); /* Vietnamese location: hex */
            assert_int_equal(strncmp(tv, "4x|", 3), 0);
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.25.2.3.1.3.1");
            assert_non_null(tv);
            assert_int_equal(strncmp(tv, "4|C:\\ Label:", 12), 0);
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.25.2.3.1.3.4");
            assert_string_equal(tv, "4|Physical Memory");
            free(tv);
            pcs_with_storage++;
            tv = lookup(text, "1.3.6.1.2.1.25.2.3.1.5.1");
            size = initial_of(tv);
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.25.2.3.1.6.1");
            used = initial_of(tv);
            free(tv);
            assert_true(used < size);
            if (used * 10 > size * 9)
                full++;
            tv = lookup(text, "1.3.6.1.2.1.25.3.3.1.2.1");
            assert_non_null(tv);
            load = initial_of(tv);
            free(tv);
            if (load >= 80)
                hot++;
            tv = lookup(text, "1.3.6.1.2.1.25.3.2.1.3.1"); /* the CPU by name */
            assert_non_null(strstr(tv, "Intel(R)"));
            free(tv);
        }
        if (strcmp(devs[i].community, "demo-router") == 0) {
            /* pppoe-out1: 1-5 MB/s down the WAN, 64-bit and 32-bit counters */
            long long rate;
            tv = lookup(text, "1.3.6.1.2.1.31.1.1.1.6.7");
            assert_int_equal(strncmp(tv, "70:numeric|rate=", 16), 0);
            assert_int_equal(
                ww_parse_ll(strndupa(tv + 16, strcspn(tv + 16, ",")), 0, 1ll << 40, &rate), 0);
            assert_true(rate >= 1000000 && rate <= 5000000);
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.2.2.1.10.7");
            assert_int_equal(strncmp(tv, "65:numeric|rate=", 16), 0);
            assert_non_null(strstr(tv, ",wrap=1,max=4294967295"));
            free(tv);
        }
        if (strcmp(devs[i].kind, "switch") == 0) {
            for (const char *p = text; (p = strstr(p, "\n1.3.6.1.2.1.2.2.1.8.")); p++)
                if (strncmp(p + strcspn(p + 1, "|") + 1, "|2|2\n", 5) == 0)
                    down_ports++;
        }
        if (strcmp(devs[i].kind, "ups") == 0) {
            tv = lookup(text, "1.3.6.1.2.1.33.1.2.1.0"); /* upsBatteryStatus */
            assert_string_equal(tv, "2|2");
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.33.1.2.3.0"); /* minutes remaining */
            assert_non_null(tv);
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.33.1.4.4.1.2.1"); /* output voltage */
            assert_non_null(tv);
            free(tv);
        }
        if (strcmp(devs[i].kind, "printer") == 0) {
            tv = lookup(text, "1.3.6.1.2.1.43.11.1.1.8.1.1"); /* max */
            assert_string_equal(tv, "2|100");
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.43.11.1.1.9.1.1"); /* level, running down */
            assert_non_null(strstr(tv, "rate=-"));
            free(tv);
            tv = lookup(text, "1.3.6.1.2.1.25.3.2.1.2.1");
            assert_string_equal(tv, "6|" HR_DEV_PRINTER);
            free(tv);
        }
        free(text);
        free(path);
    }
    assert_int_equal(pcs_with_storage, 20);
    assert_true(hot >= 3);
    assert_true(full >= 3);
    assert_true(down_ports >= 5);
    free(devs);
    free(dir);
}

static void test_reproducible(void **state)
{
    size_t n1 = 0, n2 = 0, n3 = 0, differ = 0;
    char *d1 = NULL, *d2 = NULL, *d3 = NULL;
    struct demo_device *a = generate("s7a", 7, &n1, &d1);
    struct demo_device *b = generate("s7b", 7, &n2, &d2);
    struct demo_device *c = generate("s8", 8, &n3, &d3);

    assert_int_equal(n1, n2);
    assert_int_equal(n1, n3);
    assert_memory_equal(a, b, n1 * sizeof(*a));
    for (size_t i = 0; i < n1; i++) {
        char *p1 = file_of(d1, a[i].community), *p2 = file_of(d2, a[i].community);
        char *p3 = file_of(d3, a[i].community);
        size_t l1, l2, l3;
        char *t1 = slurp(p1, &l1), *t2 = slurp(p2, &l2), *t3 = slurp(p3, &l3);

        assert_int_equal(l1, l2);
        assert_memory_equal(t1, t2, l1);
        if (l1 != l3 || memcmp(t1, t3, l1) != 0)
            differ++;
        free(t1), free(t2), free(t3);
        free(p1), free(p2), free(p3);
    }
    /* another seed: another office, device by device */
    assert_int_equal(differ, n1);
    free(a), free(b), free(c);
    free(d1), free(d2), free(d3);
}

static void test_regenerate_in_place(void **state)
{
    size_t n = 0;
    char *dir = NULL;
    struct demo_device *a = generate("again", 3, &n, &dir), *b = NULL;
    char *path = ww_asprintf("%s/demo-ups.snmprec", dir);
    char *before = slurp(path, NULL), *after;

    /* run again over existing files (what `make run` does every time) */
    assert_int_equal(demo_generate(dir, 3, "127.0.1.", 1161, &b, &n), 0);
    after = slurp(path, NULL);
    assert_string_equal(before, after);
    /* no temporary files left behind */
    {
        char *cmd = ww_asprintf("test -z \"$(ls -A '%s' | grep '^\\.')\"", dir);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    free(before), free(after), free(path);
    free(a), free(b), free(dir);
}

static void test_bad_arguments(void **state)
{
    struct demo_device *devs = (struct demo_device *)(uintptr_t)1; /* must stay untouched */
    size_t n = 77;
    char *dir = ww_asprintf("%s/bad", tmpdir);
    static const struct {
        const char *dir, *base;
        int port;
    } cases[] = {
        {NULL, "127.0.1.", 1161},
        {"", "127.0.1.", 1161},
        {"X", NULL, 1161},
        {"X", "127.0.1", 1161},
        {"X", "", 1161},
        {"X", "127.0.1.", 0},
        {"X", "127.0.1.", 65536},
        {"X", "1234567890123456789012345678901.", 1161}, /* address does not fit */
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const char *d = cases[i].dir && strcmp(cases[i].dir, "X") == 0 ? dir : cases[i].dir;
        assert_int_equal(demo_generate(d, 1, cases[i].base, cases[i].port, &devs, &n), -EINVAL);
        assert_true(devs == (struct demo_device *)(uintptr_t)1);
        assert_int_equal(n, 77);
    }
    assert_int_equal(demo_generate(dir, 1, "127.0.1.", 1161, NULL, &n), -EINVAL);
    assert_int_equal(demo_generate(dir, 1, "127.0.1.", 1161, &devs, NULL), -EINVAL);
    free(dir);
}

/* the order snmpsimd needs is numeric, not the order strcmp() gives */
static void test_oid_order(void **state)
{
    static const struct {
        const char *a, *b;
        int sign;
    } cases[] = {
        {"1.3.6.1.2.1.2.2.1.10.2", "1.3.6.1.2.1.2.2.1.10.10", -1},
        {"1.3.6.1.2.1.2.2.1.10.10", "1.3.6.1.2.1.2.2.1.10.2", 1},
        {"1.3.6.1.2.1.1", "1.3.6.1.2.1.1.0", -1},
        {"1.3.6.1.2.1.25.2.3.1.3.65536", "1.3.6.1.2.1.25.2.3.1.3.131072", -1},
        {"1.3.6.1.2.1.2.2.1.1.49153", "1.3.6.1.2.1.2.2.1.1.49153", 0},
        {"1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.10.1", -1},
    };
    static const char *const bad[] = {"", "1", "1..3", "1.3.", ".1.3", "1.3.a", "1.3.4294967296"};
    struct rec x, y;

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        int c;
        assert_int_equal(parse_oid(cases[i].a, x.oid, &x.len), 0);
        assert_int_equal(parse_oid(cases[i].b, y.oid, &y.len), 0);
        c = rec_cmp(&x, &y);
        assert_int_equal((c > 0) - (c < 0), cases[i].sign);
    }
    for (size_t i = 0; i < WW_ARRAY_SIZE(bad); i++)
        assert_int_equal(parse_oid(bad[i], x.oid, &x.len), -EINVAL);
}

/* strings snmpsimd would mangle go hex; plain ones stay readable */
static void test_string_encoding(void **state)
{
    static const struct {
        const char *in, *line;
    } cases[] = {
        {"PC-KETOAN-01", "1.3.6.1.2.1.1.5.0|4|PC-KETOAN-01\n"},
        {"", "1.3.6.1.2.1.1.5.0|4|\n"},
        {"C:\\ Label:  Serial", "1.3.6.1.2.1.1.5.0|4|C:\\ Label:  Serial\n"},
        {"tầng 1", "1.3.6.1.2.1.1.5.0|4x|74e1baa76e672031\n"},
        {" x", "1.3.6.1.2.1.1.5.0|4x|2078\n"},
        {"a\r\nb", "1.3.6.1.2.1.1.5.0|4x|610d0a62\n"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct recset rs = {0};
        put_str(&rs, cases[i].in, SYS ".5.0");
        assert_int_equal(rs.err, 0);
        assert_int_equal(rs.n, 1);
        assert_string_equal(rs.v[0].line, cases[i].line);
        rs_release(&rs);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_office),
        cmocka_unit_test(test_devices_tsv),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_regenerate_in_place),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_oid_order),
        cmocka_unit_test(test_string_encoding),
    };

    ww_log_init("test_demo", WW_LOG_ERR);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}
