/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_report.c - the manager's reports (inventory/report.c) on a fixed fleet with a fixed
 * "today": age bands with devices exactly on a band's edge, the PCs not ready for Windows
 * 11 and why, warranties 30/60/90/365 days out and already ended, depreciation per device
 * and summed per unit and kind, devices not seen for N days or never, the assignment
 * register now and its history; the unit and kind filters; disposed devices left out; as
 * many statements for 60 PCs as for 3. Each case says why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

#define RULES_DIR "inventory/rules"
#define TODAY "2026-12-07"
#define NOW 1796601600LL /* 2026-12-07 00:00:00 UTC: the not-seen report's instant */
#define DAY 86400LL

static struct inv_rules *rules;

static int setup(void **state)
{
    char err[512];
    int ret = inv_rules_load(RULES_DIR, &rules, err, sizeof(err));
    (void)state;
    if (ret < 0)
        fprintf(stderr, "rules: %s\n", err);
    return ret;
}

static int teardown(void **state)
{
    (void)state;
    inv_rules_free(rules);
    return 0;
}

/* one device of the fleet; unit 0 = none */
struct dev {
    const char *name, *kind;
    long long unit;
    const char *purchase, *in_service, *warranty, *status, *assigned;
    long long cost;
};

static long long add(struct ww_db *db, const struct dev *d)
{
    static int host;
    struct inv_device x;
    char hostname[32];
    long long id = 0;

    inv_device_init(&x);
    snprintf(hostname, sizeof(hostname), "192.0.2.%d", ++host % 250 + 1);
    x.name = (char *)d->name;
    x.kind = (char *)d->kind;
    x.host = hostname;
    x.purchase_date = (char *)d->purchase;
    x.in_service_date = (char *)d->in_service;
    x.warranty_end = (char *)d->warranty;
    x.status = (char *)d->status;
    x.assigned_to = (char *)d->assigned;
    x.cost_vnd = d->cost ? d->cost : -1;
    assert_int_equal(inv_device_add(db, &x, &id), 0);
    if (d->unit) {
        char *sql = ww_asprintf("UPDATE device SET unit_id = %lld WHERE id = %lld", d->unit, id);
        assert_int_equal(ww_db_exec(db, sql), 0);
        free(sql);
    }
    return id;
}

static void units(struct ww_db *db)
{
    /* by name key, "bộ phận..." < "ubnd..." < "văn phòng" */
    assert_int_equal(ww_db_exec(db, "INSERT INTO org_unit (id, name) VALUES"
                                    " (1, 'UBND phường Bến Thành'),"
                                    " (2, 'Bộ phận một cửa'), (3, 'Văn phòng');"
                                    "UPDATE org_unit SET parent_id = 1 WHERE id IN (2, 3)"),
                     0);
}

static struct inv_report_filter all(void)
{
    return (struct inv_report_filter){.today = TODAY, .now = (time_t)NOW};
}

/* ---- age bands ---------------------------------------------------------------------------- */

static void test_age_bands(void **state)
{
    struct ww_db *db = *state;
    static const struct {
        struct dev d;
        const char *band, *why;
    } cases[] = {
        {{"PC 01", "pc", 2, "2023-12-08", NULL, NULL, NULL, NULL, 10000000},
         "lt3",
         "one day short of 3 years is 35 whole months: still under 3"},
        {{"PC 02", "pc", 2, "2023-12-07", NULL, NULL, NULL, NULL, 12000000},
         "3_5",
         "exactly 3.0 years (36 months) starts the 3-5 band"},
        {{"PC 03", "pc", 2, "2021-12-07", NULL, NULL, NULL, NULL, 14000000},
         "5_7",
         "exactly 5.0 years is 5-7, not 3-5"},
        {{"PC 04", "pc", 2, "2017-12-08", NULL, NULL, NULL, NULL, 0},
         "7_9",
         "8 years 11 months: 7-9, and no cost adds nothing to the cost"},
        {{"PC 05", "pc", 2, "2015-12-07", NULL, NULL, NULL, NULL, 9000000},
         "11p",
         "exactly 11.0 years is 11+"},
        {{"PC 06", "pc", 2, "2010-01-01", "2024-01-01", NULL, NULL, NULL, 15000000},
         "lt3",
         "the in-service date wins over the purchase date (bought in 2010, used from 2024)"},
        {{"PC 07", "pc", 2, NULL, NULL, NULL, NULL, NULL, 8000000},
         "unknown",
         "no date at all: the unknown-age row, never a guess"},
        {{"Máy in", "printer", 3, "2016-06-01", NULL, NULL, NULL, NULL, 5000000},
         "9_11",
         "another kind in another unit is its own row"},
        {{"PC kho", "pc", 0, "2012-03-01", NULL, NULL, NULL, NULL, 0},
         "11p",
         "a device with no unit is in the no-unit row, last"},
    };
    static const struct dev disposed = {"PC đã thanh lý", "pc", 2,      "2009-01-01", NULL, NULL,
                                        "disposed",       NULL, 7000000};
    struct inv_report_filter f = all();
    struct inv_report_age r;

    units(db);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++)
        add(db, &cases[i].d);
    add(db, &disposed);
    assert_int_equal(inv_report_age(db, rules, &f, &r), 0);
    /* rows: Bộ phận một cửa/pc, Văn phòng/printer, no unit/pc */
    assert_int_equal(r.n, 3);
    assert_string_equal(r.rows[0].unit_name, "Bộ phận một cửa");
    assert_string_equal(r.rows[0].kind, "pc");
    assert_string_equal(r.rows[1].unit_name, "Văn phòng");
    assert_string_equal(r.rows[1].kind, "printer");
    assert_null(r.rows[2].unit_name);
    assert_int_equal(r.rows[2].unit_id, 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct inv_report_age_row *row = cases[i].d.unit == 2   ? &r.rows[0]
                                               : cases[i].d.unit == 3 ? &r.rows[1]
                                                                      : &r.rows[2];
        size_t b = 0;
        while (strcmp(inv_age_bands[b], cases[i].band) != 0)
            b++;
        print_message("case: %s\n", cases[i].why);
        assert_true(row->count[b] >= 1);
    }
    /* unit 2's PCs: lt3 x2 (10 + 15 million), 3_5, 5_7, 7_9 (no cost), 11p, unknown */
    assert_int_equal(r.rows[0].count[0], 2);
    assert_int_equal(r.rows[0].cost_vnd[0], 25000000);
    assert_int_equal(r.rows[0].count[1], 1);
    assert_int_equal(r.rows[0].count[3], 1);
    assert_int_equal(r.rows[0].cost_vnd[3], 0);
    assert_int_equal(r.rows[0].count[6], 1);
    assert_int_equal(r.rows[0].cost_vnd[6], 8000000);
    /* the disposed PC of 2009 is in no band: 11+ holds PC 05 and PC kho only */
    assert_int_equal(r.total.count[5], 2);
    assert_int_equal(r.total.cost_vnd[5], 9000000);
    {
        long long sum = 0;
        for (size_t b = 0; b < INV_AGE_BANDS; b++)
            sum += r.total.count[b];
        assert_int_equal(sum, (long long)WW_ARRAY_SIZE(cases));
    }
    inv_report_age_release(&r);

    /* filters: one unit; the devices without one; one kind */
    f.unit_id = 3;
    assert_int_equal(inv_report_age(db, rules, &f, &r), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].kind, "printer");
    inv_report_age_release(&r);
    f.unit_id = INV_REPORT_NO_UNIT;
    assert_int_equal(inv_report_age(db, rules, &f, &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.total.count[5], 1);
    inv_report_age_release(&r);
    f.unit_id = 0;
    f.kind = "printer";
    assert_int_equal(inv_report_age(db, rules, &f, &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.total.count[4], 1);
    inv_report_age_release(&r);

    f.today = "2026-02-30"; /* no such day */
    assert_int_equal(inv_report_age(db, rules, &f, &r), -EINVAL);
}

static void test_band_edges(void **state)
{
    static const struct {
        long long months;
        const char *band, *why;
    } cases[] = {
        {-1, "unknown", "no age"},
        {0, "lt3", "new"},
        {35, "lt3", "just under 3 years"},
        {36, "3_5", "3.0 years starts 3-5"},
        {59, "3_5", "just under 5"},
        {60, "5_7", "5.0"},
        {84, "7_9", "7.0"},
        {108, "9_11", "9.0"},
        {131, "9_11", "just under 11"},
        {132, "11p", "11.0"},
        {600, "11p", "fifty years"},
    };
    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        print_message("case: %s\n", cases[i].why);
        assert_string_equal(inv_age_bands[inv_age_band(cases[i].months)], cases[i].band);
    }
}

/* ---- Windows 11 ------------------------------------------------------------------------- */

static void test_win11(void **state)
{
    struct ww_db *db = *state;
    static const struct {
        struct dev d;
        const char *cpu, *ram, *disks;
        const char *verdict, *reason, *why;
    } cases[] = {
        {{"PC Core i5-3470", "pc", 2, "2013-05-01", NULL, NULL, NULL, NULL, 0},
         "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz",
         "8589934592",
         "[{\"size_bytes\":500107862016}]",
         "not_ready",
         "cpu_too_old",
         "a 3rd-generation Core: the CPU rule says too old"},
        {{"PC chưa đo", "pc", 2, "2020-01-01", NULL, NULL, NULL, NULL, 0},
         NULL,
         NULL,
         NULL,
         "unknown",
         "cpu_unknown",
         "nothing measured: unknown, listed with what is missing"},
        {{"PC Core i5-8500", "pc", 3, "2019-01-01", NULL, NULL, NULL, NULL, 0},
         "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz",
         "8589934592",
         "[{\"size_bytes\":256060514304}]",
         NULL,
         NULL,
         "8th generation with RAM and disk: likely ready (TPM unseen), not in the report"},
        {{"PC Pentium 4 đã thanh lý", "pc", 2, "2006-01-01", NULL, NULL, "disposed", NULL, 0},
         "Intel(R) Pentium(R) 4 CPU 3.00GHz",
         NULL,
         NULL,
         NULL,
         NULL,
         "a disposed PC is not in the report, however old"},
        {{"Máy in cũ", "printer", 2, "2010-01-01", NULL, NULL, NULL, NULL, 0},
         NULL,
         NULL,
         NULL,
         NULL,
         NULL,
         "a printer is not a PC: not judged"},
    };
    struct inv_report_filter f = all();
    struct inv_report_win11_row *rows = NULL;
    size_t n = 0;

    units(db);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        long long id = add(db, &cases[i].d);
        if (cases[i].cpu)
            assert_int_equal(inv_fact_set(db, id, "cpu_model", cases[i].cpu, NOW), 0);
        if (cases[i].ram)
            assert_int_equal(inv_fact_set(db, id, "ram_bytes", cases[i].ram, NOW), 0);
        if (cases[i].disks)
            assert_int_equal(inv_fact_set(db, id, "disks", cases[i].disks, NOW), 0);
    }
    f.kind = "printer"; /* ignored: the report is about PCs */
    assert_int_equal(inv_report_win11(db, rules, &f, &rows, &n), 0);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct inv_report_win11_row *w = NULL;
        for (size_t j = 0; j < n; j++)
            if (strcmp(rows[j].dev.name, cases[i].d.name) == 0)
                w = &rows[j];
        print_message("case: %s\n", cases[i].why);
        if (!cases[i].verdict) {
            assert_null(w);
            continue;
        }
        assert_non_null(w);
        assert_string_equal(w->verdict, cases[i].verdict);
        assert_true(w->reasons.n >= 1);
        assert_string_equal(w->reasons.v[0], cases[i].reason);
    }
    /* by name within the unit: "PC chưa đo" before "PC Core" (c-h-ư < c-o) */
    assert_string_equal(rows[0].dev.name, "PC chưa đo");
    assert_string_equal(rows[1].cpu_model, "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz");
    assert_int_equal(rows[1].ram_bytes, 8589934592LL);
    inv_report_win11_free(rows, n);

    f.unit_id = 3; /* the ready PC's unit: nothing to list */
    assert_int_equal(inv_report_win11(db, rules, &f, &rows, &n), 0);
    assert_int_equal(n, 0);
    assert_null(rows);
}

/* ---- warranty --------------------------------------------------------------------------- */

static void test_warranty(void **state)
{
    struct ww_db *db = *state;
    static const struct {
        const char *name, *end, *status;
        long long days;
        int within; /* -1: not listed */
        const char *why;
    } cases[] = {
        {"W today", "2026-12-07", NULL, 0, 30, "ends today: still covered, within 30 days"},
        {"W 30", "2027-01-06", NULL, 30, 30, "exactly 30 days out is within 30"},
        {"W 31", "2027-01-07", NULL, 31, 60, "31 days: the 60-day list"},
        {"W 90", "2027-03-07", NULL, 90, 90, "exactly 90"},
        {"W 365", "2027-12-07", NULL, 365, 365, "exactly a year"},
        {"W 366", "2027-12-08", NULL, 366, -1, "a day past a year: not listed"},
        {"W ended", "2026-12-06", NULL, -1, 0, "ended yesterday: the ended list"},
        {"W ended long", "2020-01-01", NULL, -2532, 0, "ended years ago: listed, last"},
        {"W disposed", "2026-12-20", "disposed", 0, -1, "disposed: excluded"},
        {"W none", NULL, NULL, 0, -1, "no warranty end: in neither list"},
    };
    struct inv_report_filter f = all();
    struct inv_report_warranty r;

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct dev d = {cases[i].name,   "pc", 0, "2019-01-01", NULL, cases[i].end,
                        cases[i].status, NULL, 0};
        add(db, &d);
    }
    assert_int_equal(inv_report_warranty(db, &f, &r), 0);
    assert_int_equal(r.n_ending, 5);
    assert_int_equal(r.n_ended, 2);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct inv_report_warranty_row *w = NULL;
        for (size_t j = 0; j < r.n_ending; j++)
            if (strcmp(r.ending[j].dev.name, cases[i].name) == 0)
                w = &r.ending[j];
        for (size_t j = 0; j < r.n_ended; j++)
            if (strcmp(r.ended[j].dev.name, cases[i].name) == 0)
                w = &r.ended[j];
        print_message("case: %s\n", cases[i].why);
        if (cases[i].within < 0) {
            assert_null(w);
            continue;
        }
        assert_non_null(w);
        assert_int_equal(w->days_left, cases[i].days);
        assert_int_equal(w->within, cases[i].within);
    }
    /* soonest first; the most recently ended first */
    assert_string_equal(r.ending[0].dev.name, "W today");
    assert_string_equal(r.ending[4].dev.name, "W 365");
    assert_string_equal(r.ended[0].dev.name, "W ended");
    inv_report_warranty_release(&r);
}

/* ---- depreciation ------------------------------------------------------------------------ */

static void test_depreciation(void **state)
{
    struct ww_db *db = *state;
    static const struct dev fleet[] = {
        /* 24 months of 60: 2.4 million a year, 36/60 of 12 million left */
        {"PC A", "pc", 2, "2024-12-07", NULL, NULL, NULL, NULL, 12000000},
        /* past its lifespan: nothing left */
        {"PC B", "pc", 2, "2015-01-01", NULL, NULL, NULL, NULL, 9000000},
        /* no cost: counted, not priced */
        {"PC C", "pc", 2, "2022-01-01", NULL, NULL, NULL, NULL, 0},
        /* 7-year switch, 12 months: 10.5 million / 7 = 1.5 million a year, 72/84 left */
        {"Switch", "switch", 3, "2025-12-07", NULL, NULL, NULL, NULL, 10500000},
    };
    struct inv_report_filter f = all();
    struct inv_report_dep r;

    units(db);
    for (size_t i = 0; i < WW_ARRAY_SIZE(fleet); i++)
        add(db, &fleet[i]);
    assert_int_equal(inv_report_depreciation(db, rules, &f, &r), 0);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.rows[0].dev.name, "PC A");
    assert_int_equal(r.rows[0].age.age_months, 24);
    assert_int_equal(r.rows[0].age.depreciation_vnd_per_year, 2400000);
    assert_int_equal(r.rows[0].age.residual_vnd, 7200000);
    assert_int_equal(r.rows[1].age.residual_vnd, 0);
    assert_int_equal(r.rows[2].age.residual_vnd, -1);
    assert_int_equal(r.rows[3].age.residual_vnd, 9000000);
    print_message("case: sums per unit and kind count every device, add the priced ones\n");
    assert_int_equal(r.nsums, 2);
    assert_string_equal(r.sums[0].unit_name, "Bộ phận một cửa");
    assert_int_equal(r.sums[0].count, 3);
    assert_int_equal(r.sums[0].priced, 2);
    assert_int_equal(r.sums[0].cost_vnd, 21000000);
    assert_int_equal(r.sums[0].per_year_vnd, 2400000 + 1800000);
    assert_int_equal(r.sums[0].residual_vnd, 7200000);
    assert_string_equal(r.sums[1].kind, "switch");
    assert_int_equal(r.sums[1].per_year_vnd, 1500000);
    assert_int_equal(r.total.count, 4);
    assert_int_equal(r.total.residual_vnd, 16200000);
    inv_report_dep_release(&r);
}

/* ---- not seen ----------------------------------------------------------------------------- */

static void test_unseen(void **state)
{
    struct ww_db *db = *state;
    static const struct {
        const char *name, *status;
        long long ago;  /* seconds before NOW of the last answer; -1 never */
        long long days; /* -2: not listed */
        const char *why;
    } cases[] = {
        {"Never", NULL, -1, -1, "never answered: listed first"},
        {"Ten days", NULL, 10 * DAY, 10, "10 days of silence with N = 7"},
        {"Seven days", NULL, 7 * DAY + 1, 7, "just over 7 days"},
        {"Six days", NULL, 6 * DAY, -2, "6 days: not yet"},
        {"Yesterday", NULL, DAY, -2, "answered yesterday"},
        {"Disposed never", "disposed", -1, -2, "disposed: not expected to answer"},
    };
    struct inv_report_filter f = all();
    struct inv_report_unseen_row *rows = NULL;
    size_t n = 0;

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct dev d = {cases[i].name, "pc", 0, NULL, NULL, NULL, cases[i].status, NULL, 0};
        long long id = add(db, &d);
        if (cases[i].ago >= 0) {
            char *sql = ww_asprintf("INSERT INTO device_status (device_id, state, last_ok)"
                                    " VALUES (%lld, 'up', %lld)",
                                    id, NOW - cases[i].ago);
            assert_int_equal(ww_db_exec(db, sql), 0);
            free(sql);
        }
    }
    assert_int_equal(inv_report_unseen(db, &f, 7, &rows, &n), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct inv_report_unseen_row *u = NULL;
        for (size_t j = 0; j < n; j++)
            if (strcmp(rows[j].dev.name, cases[i].name) == 0)
                u = &rows[j];
        print_message("case: %s\n", cases[i].why);
        if (cases[i].days == -2) {
            assert_null(u);
            continue;
        }
        assert_non_null(u);
        assert_int_equal(u->days, cases[i].days);
    }
    assert_string_equal(rows[0].dev.name, "Never");
    assert_string_equal(rows[1].dev.name, "Ten days");
    inv_report_unseen_free(rows, n);
    assert_int_equal(inv_report_unseen(db, &f, 0, &rows, &n), -EINVAL);
}

/* ---- the assignment register ---------------------------------------------------------------- */

static void test_assignments(void **state)
{
    struct ww_db *db = *state;
    static const struct dev fleet[] = {
        {"PC một cửa 1", "pc", 2, NULL, NULL, NULL, NULL, "Nguyễn Thị Lan", 0},
        {"PC văn phòng", "pc", 3, NULL, NULL, NULL, NULL, NULL, 0},
        {"PC cũ", "pc", 3, NULL, NULL, NULL, "disposed", "Trần Văn Hùng", 0},
    };
    struct inv_report_filter f = all();
    struct inv_report_assign_row *rows = NULL;
    struct inv_device d;
    long long ids[3];
    size_t n = 0;

    units(db);
    for (size_t i = 0; i < WW_ARRAY_SIZE(fleet); i++) {
        ids[i] = add(db, &fleet[i]);
        if (fleet[i].assigned)
            assert_int_equal(inv_assignment_record(db, ids[i], NULL, "it"), 0);
    }
    /* the office PC goes to Lê Minh, then to Phạm An: two rows of history, one open */
    for (int k = 0; k < 2; k++) {
        const char *who = k ? "Phạm An" : "Lê Minh";
        inv_device_init(&d);
        assert_int_equal(inv_device_get(db, ids[1], &d), 0);
        char *old = d.assigned_to;
        d.assigned_to = ww_strdup(who);
        assert_int_equal(inv_device_update(db, &d), 0);
        assert_int_equal(inv_assignment_record(db, ids[1], old, "it"), 0);
        free(old);
        inv_device_release(&d);
    }
    print_message("case: now: who holds what, since when; the disposed PC is not held\n");
    assert_int_equal(inv_report_assignments(db, &f, false, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].dev.unit_name, "Bộ phận một cửa");
    assert_string_equal(rows[0].assigned_to, "Nguyễn Thị Lan");
    assert_non_null(rows[0].from_day);
    assert_null(rows[0].to_day);
    inv_report_assign_free(rows, n);

    print_message("case: history: every row, disposed devices too, a device's oldest first\n");
    assert_int_equal(inv_report_assignments(db, &f, true, &rows, &n), 0);
    assert_int_equal(n, 4);
    f.unit_id = 3;
    inv_report_assign_free(rows, n);
    assert_int_equal(inv_report_assignments(db, &f, true, &rows, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].dev.name, "PC cũ");
    assert_string_equal(rows[1].assigned_to, "Lê Minh");
    assert_non_null(rows[1].to_day);
    assert_string_equal(rows[2].assigned_to, "Phạm An");
    assert_null(rows[2].to_day);
    inv_report_assign_free(rows, n);
}

/* ---- a fixed number of queries ---------------------------------------------------------- */

static int count_stmt(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)p;
    (void)x;
    ++*(int *)ctx;
    return 0;
}

/* the statements every report runs, counted by SQLite's trace */
static int statements(struct ww_db *db)
{
    struct inv_report_filter f = all();
    struct inv_report_age age;
    struct inv_report_warranty w;
    struct inv_report_dep dep;
    struct inv_report_win11_row *win = NULL;
    struct inv_report_unseen_row *un = NULL;
    struct inv_report_assign_row *as = NULL;
    size_t nw = 0, nu = 0, na = 0;
    int n = 0;

    sqlite3_trace_v2(db->sql, SQLITE_TRACE_STMT, count_stmt, &n);
    assert_int_equal(inv_report_age(db, rules, &f, &age), 0);
    assert_int_equal(inv_report_win11(db, rules, &f, &win, &nw), 0);
    assert_int_equal(inv_report_warranty(db, &f, &w), 0);
    assert_int_equal(inv_report_depreciation(db, rules, &f, &dep), 0);
    assert_int_equal(inv_report_unseen(db, &f, 30, &un, &nu), 0);
    assert_int_equal(inv_report_assignments(db, &f, true, &as, &na), 0);
    sqlite3_trace_v2(db->sql, 0, NULL, NULL);
    inv_report_age_release(&age);
    inv_report_win11_free(win, nw);
    inv_report_warranty_release(&w);
    inv_report_dep_release(&dep);
    inv_report_unseen_free(un, nu);
    inv_report_assign_free(as, na);
    return n;
}

static void add_pcs(struct ww_db *db, int from, int to)
{
    for (int i = from; i < to; i++) {
        char name[32];
        struct dev d = {name,         "pc", 2,           "2015-03-01", NULL,
                        "2027-01-01", NULL, "Nguyễn An", 10000000};
        long long id;

        snprintf(name, sizeof(name), "PC %03d", i);
        id = add(db, &d);
        assert_int_equal(inv_fact_set(db, id, "cpu_model", "Intel(R) Core(TM) i5-3470 CPU", NOW),
                         0);
        assert_int_equal(inv_assignment_record(db, id, NULL, "it"), 0);
    }
}

static void test_fixed_queries(void **state)
{
    struct ww_db *db = *state;
    int few, many;

    units(db);
    add_pcs(db, 0, 3);
    few = statements(db);
    add_pcs(db, 3, 60);
    many = statements(db);
    print_message("case: 3 PCs and 60 PCs cost the same statements (%d, %d): none per device\n",
                  few, many);
    assert_int_equal(few, many);
    assert_true(few <= 8);
}

static void test_units(void **state)
{
    struct ww_db *db = *state;
    struct inv_report_unit *u = NULL;
    size_t n = 0;

    units(db);
    print_message("case: units by name as people read them, with their parents\n");
    assert_int_equal(inv_report_units(db, &u, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(u[0].name, "Bộ phận một cửa");
    assert_int_equal(u[0].parent_id, 1);
    assert_string_equal(u[1].name, "UBND phường Bến Thành");
    assert_int_equal(u[1].parent_id, 0);
    inv_report_units_free(u, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_age_bands),     cmocka_unit_test(test_band_edges),
        INV_TEST(test_win11),         INV_TEST(test_warranty),
        INV_TEST(test_depreciation),  INV_TEST(test_unseen),
        INV_TEST(test_assignments),   INV_TEST(test_units),
        INV_TEST(test_fixed_queries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
