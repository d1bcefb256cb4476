/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gapbench.c - ww-gapbench: the skill-gap computation of issue 17 timed in-process over a
 * database bench/training.sh made. It only reads, through inventory's loader and target
 * list, and writes one line of "key value" pairs per measurement on stdout, times in milliseconds (CLOCK_MONOTONIC):
 *   load      inv_gap_load() (the six queries and their arrays)
 *   matrix    inv_gap_matrix() of one unit and the units under it, for each unit asked
 *   compliance inv_gap_compliance() of every unit and role
 *   target    inv_gap_target_progress() of each skill_target row
 * Usage: ww-gapbench DB DAY RUNS UNIT...   (DAY YYYY-MM-DD; RUNS >= 1 repeats each one)
 * The rule is inventory's (gap.c); this file only calls it.
 */
#include "inventory/inventory.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

/* CLOCK_MONOTONIC in milliseconds with microseconds (ww_mono_ms() is whole milliseconds) */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double since_ms(double t0)
{
    return now_ms() - t0;
}

/* the targets (inventory's list, the one the dashboard reads): owned texts */
struct bench_target {
    struct inv_target t;
    char *from_day, *deadline;
};

static int targets_read(struct ww_db *db, struct bench_target **out, size_t *n)
{
    char *text = NULL;
    json_t *a, *v;
    size_t i;

    *out = NULL;
    *n = 0;
    if (inv_target_list_json(db, &text) < 0)
        return -EIO;
    a = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!json_is_array(a)) {
        json_decref(a);
        return -EIO;
    }
    *out = ww_calloc(json_array_size(a) + 1, sizeof(**out));
    json_array_foreach(a, i, v) {
        struct bench_target *b = &(*out)[(*n)++];
        b->t.id = json_integer_value(json_object_get(v, "id"));
        b->t.unit_id = json_integer_value(json_object_get(v, "unit_id"));
        b->t.skill_id = json_integer_value(json_object_get(v, "skill_id"));
        b->t.level = (int)json_integer_value(json_object_get(v, "level"));
        b->t.pct = (int)json_integer_value(json_object_get(v, "pct"));
        b->from_day = ww_strdup(json_string_value(json_object_get(v, "from_day")));
        b->deadline = ww_strdup(json_string_value(json_object_get(v, "deadline")));
        b->t.from_day = b->from_day;
        b->t.deadline = b->deadline;
    }
    json_decref(a);
    return 0;
}

static void targets_free(struct bench_target *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].from_day);
        free(t[i].deadline);
    }
    free(t);
}

int main(int argc, char **argv)
{
    struct ww_db *db = NULL;
    struct inv_gap_data d;
    struct bench_target *targets = NULL;
    size_t ntargets = 0;
    const char *day;
    long long runs;
    int status = 1;

    if (argc < 5) {
        fprintf(stderr, "usage: ww-gapbench DB DAY RUNS UNIT...\n");
        return 2;
    }
    day = argv[2];
    if (ww_parse_ll(argv[3], 1, 1000, &runs) < 0 || ww_db_open(argv[1], false, &db) < 0) {
        fprintf(stderr, "ww-gapbench: cannot open %s (or RUNS not in 1..1000)\n", argv[1]);
        return 2;
    }
    memset(&d, 0, sizeof(d));
    for (long long r = 0; r < runs; r++) {
        double t0 = now_ms();
        inv_gap_data_free(&d);
        if (inv_gap_load(db, &d) < 0) {
            fprintf(stderr, "ww-gapbench: inv_gap_load failed\n");
            goto out;
        }
        printf("load ms %.0f units %zu people %zu hist %zu reqs %zu holds %zu skills %zu\n",
               since_ms(t0), d.nunits, d.npeople, d.nhist, d.nreqs, d.nholds, d.nskills);
    }
    for (int a = 4; a < argc; a++) {
        long long unit;
        if (ww_parse_ll(argv[a], 0, INT64_MAX, &unit) < 0) {
            fprintf(stderr, "ww-gapbench: not a unit id: %s\n", argv[a]);
            goto out;
        }
        for (long long r = 0; r < runs; r++) {
            struct inv_gap_matrix m;
            size_t cells = 0;
            double t0 = now_ms();
            if (inv_gap_matrix(&d, day, unit, &m) < 0) {
                fprintf(stderr, "ww-gapbench: inv_gap_matrix: bad day %s\n", day);
                goto out;
            }
            double ms = since_ms(t0);
            for (size_t i = 0; i < m.nrows; i++)
                cells += m.rows[i].ncells;
            printf("matrix unit %lld ms %.2f rows %zu cells %zu\n", unit, ms, m.nrows, cells);
            inv_gap_matrix_free(&m);
        }
    }
    for (long long r = 0; r < runs; r++) {
        struct inv_compliance *units, *roles;
        size_t nu, nr;
        double t0 = now_ms();
        if (inv_gap_compliance(&d, day, &units, &nu, &roles, &nr) < 0) {
            fprintf(stderr, "ww-gapbench: inv_gap_compliance failed\n");
            goto out;
        }
        printf("compliance ms %.0f units %zu roles %zu\n", since_ms(t0), nu, nr);
        free(units);
        free(roles);
    }
    if (targets_read(db, &targets, &ntargets) < 0) {
        fprintf(stderr, "ww-gapbench: cannot read skill_target\n");
        goto out;
    }
    for (size_t i = 0; i < ntargets; i++) {
        struct inv_target_progress p;
        double t0 = now_ms();
        if (inv_gap_target_progress(&d, &targets[i].t, day, &p) < 0) {
            fprintf(stderr, "ww-gapbench: inv_gap_target_progress failed\n");
            goto out;
        }
        printf("target id %lld unit %lld ms %.0f months %zu reached %s\n", targets[i].t.id,
               targets[i].t.unit_id, since_ms(t0), p.nmonths,
               p.reached_on[0] ? p.reached_on : "-");
        free(p.months);
    }
    status = 0;
out:
    targets_free(targets, ntargets);
    inv_gap_data_free(&d);
    ww_db_close(db);
    return status;
}
