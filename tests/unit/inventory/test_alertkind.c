/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_alertkind.c - the one table of alert rule kinds (inv_alert_kinds[]): each kind has its
 * words in both i18n files and a consistent row, and rule validation reads the table: a
 * threshold is needed where the kind needs one and refused (field "threshold", a reason code,
 * the bounds) outside the kind's bounds. Run from the repository's top (the i18n files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inventory/inventory.h"

#define I18N_DIR "dashboard/www/i18n"

static void test_kinds_have_words(void **state)
{
    struct ww_i18n *words = NULL;

    (void)state;
    assert_int_equal(ww_i18n_load(I18N_DIR, &words), 0);
    assert_true(inv_alert_nkinds >= 8);
    for (size_t i = 0; i < inv_alert_nkinds; i++) {
        const struct inv_alert_kind *k = &inv_alert_kinds[i];
        const char *prefixes[] = {"alertkind", "alerthint"};
        char key[96];

        for (size_t j = 0; j < WW_ARRAY_SIZE(prefixes); j++) {
            snprintf(key, sizeof(key), "%s.%s", prefixes[j], k->name);
            if (!ww_i18n_has(words, key))
                fail_msg("kind %s: no words for %s in vi.json and en.json", k->name, key);
        }
        snprintf(key, sizeof(key), "alertval.%s", k->value);
        if (!ww_i18n_has(words, key))
            fail_msg("kind %s: no words for %s", k->name, key);
        if (k->needs_threshold) {
            snprintf(key, sizeof(key), "alcond.%s_%s",
                     strcmp(k->unit, "minutes") == 0 ? "min" : "pct",
                     strcmp(k->direction, "below") == 0 ? "under" : "over");
            if (!ww_i18n_has(words, key))
                fail_msg("kind %s: no words for its threshold, %s", k->name, key);
            if (!(k->min < k->max))
                fail_msg("kind %s: bounds %g-%g", k->name, k->min, k->max);
        } else if (k->unit || k->direction) {
            fail_msg("kind %s: a unit or direction without a threshold", k->name);
        }
        assert_ptr_equal(inv_alert_kind_get(k->name), k);
    }
    assert_null(inv_alert_kind_get("no_such_kind"));
    assert_null(inv_alert_kind_get(NULL));
    ww_i18n_free(words);
}

static void test_threshold_bounds(void **state)
{
    struct ww_db *db = NULL;
    const struct {
        const char *kind;
        bool has;
        double threshold;
        int want;
        const char *reason; /* of the refusal, field "threshold"; NULL when accepted */
        const char *why;
    } cases[] = {
        {"cpu", true, 90, 0, NULL, "a percentage inside 0-100"},
        {"cpu", true, 100, 0, NULL, "the upper bound itself"},
        {"cpu", true, 0, 0, NULL, "the lower bound itself"},
        {"cpu", true, 100.5, -EINVAL, "out_of_range", "a percentage over 100"},
        {"disk", true, -1, -EINVAL, "out_of_range", "below the lower bound"},
        {"printer_supply", true, NAN, -EINVAL, "out_of_range", "not a number"},
        {"link_util", false, 0, -EINVAL, "threshold_needed", "a kind that compares needs one"},
        {"ups_runtime", true, 240, 0, NULL, "minutes may be over 100"},
        {"ups_runtime", true, 1e7, -EINVAL, "out_of_range", "more minutes than the bound"},
        {"device_down", false, 0, 0, NULL, "a kind without a threshold needs none"},
    };

    char path[] = "/tmp/wwkindXXXXXX";
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    unlink(path); /* a name of our own: the database is created there */
    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate(db), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_alert_rule r;
        struct inv_refusal why;
        int got;

        inv_alert_rule_init(&r);
        r.name = (char *)"rule";
        r.kind = (char *)cases[i].kind;
        r.has_threshold = cases[i].has;
        r.threshold = cases[i].threshold;
        inv_refusal_clear();
        got = inv_alert_rule_add(db, &r, NULL);
        inv_refusal_last(&why);
        if (got != cases[i].want)
            fail_msg("case %zu (%s: %s): got %d, want %d", i, cases[i].kind, cases[i].why, got,
                     cases[i].want);
        if (cases[i].reason && (strcmp(why.field, "threshold") != 0 ||
                                strcmp(why.reason, cases[i].reason) != 0))
            fail_msg("case %zu (%s: %s): refused as %s/%s, want threshold/%s", i,
                     cases[i].kind, cases[i].why, why.field, why.reason, cases[i].reason);
    }
    ww_db_close(db);
    for (size_t i = 0; i < 3; i++) {
        char *f = ww_asprintf("%s%s", path, (const char *[]){"", "-wal", "-shm"}[i]);
        unlink(f);
        free(f);
    }
}

static void test_value_words(void **state)
{
    const struct {
        const char *kind;
        double v;
        const char *key, *text;
        const char *why;
    } cases[] = {
        {"device_down", 659, "alertval.down_for", "10", "seconds down, in whole minutes"},
        {"interface_down", 59, "alertval.down_for", "0", "under a minute"},
        {"ups_battery", 8.6, "alertval.runtime_left", "9", "minutes of runtime, rounded"},
        {"cpu", 93.25, "alertval.percent", "93.2", "one decimal"},
        {"cpu", NAN, NULL, "", "no value"},
        {"no_such_kind", 5, NULL, "", "unknown kind"},
    };

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char v[32];
        const char *key = inv_alert_value_words(cases[i].kind, cases[i].v, v, sizeof(v));
        if ((key == NULL) != (cases[i].key == NULL) ||
            (key && strcmp(key, cases[i].key) != 0) || strcmp(v, cases[i].text) != 0)
            fail_msg("case %zu (%s): %s {v}=%s, want %s {v}=%s", i, cases[i].why,
                     key ? key : "NULL", v, cases[i].key ? cases[i].key : "NULL",
                     cases[i].text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_have_words),
        cmocka_unit_test(test_threshold_bounds),
        cmocka_unit_test(test_value_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
