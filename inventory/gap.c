/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gap.c - skill gaps (issue 17): who lacks which required skill on a day, compliance per unit
 * and per role, and each target's progress month by month. THE RULE is stated once in
 * inventory.h above enum inv_gap_state and applied here only, by cell_eval().
 *
 * DESIGN: inv_gap_load() reads every row the computation needs in seven queries (units,
 * people, history, requirements, credited holdings, skills, equipment held), whatever the size of the
 * organisation; the rest is pure computation over those arrays, so tests build the arrays
 * by hand and the dashboard computes any day from one load. Arrays are sorted by the loader
 * (history by person, requirements by role, holdings by person and skill) and searched by
 * bisection.
 */
#include "inventory/inventory_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* a unit and every ancestor a unit may have (unit.c: INV_PARENT_DEPTH_MAX) */
#define UNIT_DEPTH_MAX (INV_PARENT_DEPTH_MAX + 1)

static const char *const state_names[] = {"valid",       "expiring_90", "expiring_60",
                                          "expiring_30", "expired",     "missing"};

const char *inv_gap_state_name(enum inv_gap_state s)
{
    return (unsigned)s < WW_ARRAY_SIZE(state_names) ? state_names[s] : "missing";
}

bool inv_gap_state_met(enum inv_gap_state s)
{
    return s <= INV_GAP_EXPIRING_30;
}

/* ---- days --------------------------------------------------------------------------------- */

/* days since 1970-01-01 of a YYYY-MM-DD (H. Hinnant's days_from_civil); -1 when malformed */
static long long day_num(const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return -1;
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool day_ok(const char *s)
{
    return s && inv_check_date("day", s) == 0 && *s;
}

/* ---- look-ups ----------------------------------------------------------------------------- */

/* the item of a by-id sorted array whose id is @id (the arrays' first member), or NULL */
#define FIND_BY_ID(arr, n, key)                                                                   \
    ({                                                                                            \
        size_t lo_ = 0, hi_ = (n);                                                                \
        while (lo_ < hi_) {                                                                       \
            size_t mid_ = (lo_ + hi_) / 2;                                                        \
            if ((arr)[mid_].id < (key))                                                           \
                lo_ = mid_ + 1;                                                                   \
            else                                                                                  \
                hi_ = mid_;                                                                       \
        }                                                                                         \
        lo_ < (n) && (arr)[lo_].id == (key) ? &(arr)[lo_] : NULL;                                 \
    })

const struct inv_gap_unit *inv_gap_unit_of(const struct inv_gap_data *d, long long id)
{
    return FIND_BY_ID(d->units, d->nunits, id);
}

const struct inv_gap_person *inv_gap_person_of(const struct inv_gap_data *d, long long id)
{
    return FIND_BY_ID(d->people, d->npeople, id);
}

const struct inv_gap_skill *inv_gap_skill_of(const struct inv_gap_data *d, long long id)
{
    return FIND_BY_ID(d->skills, d->nskills, id);
}

long long inv_gap_unit_on(const struct inv_gap_data *d, long long unit_id, const char *day)
{
    for (int i = 0; i < UNIT_DEPTH_MAX && unit_id > 0; i++) {
        const struct inv_gap_unit *u = inv_gap_unit_of(d, unit_id);
        if (!u || !u->merged_into || !u->valid_to[0] || strcmp(day, u->valid_to) < 0)
            break;
        unit_id = u->merged_into;
    }
    return unit_id;
}

/* @unit is @root or under it (0 = every unit) */
static bool unit_under(const struct inv_gap_data *d, long long unit, long long root)
{
    if (root <= 0)
        return true;
    for (int i = 0; i < UNIT_DEPTH_MAX && unit > 0; i++) {
        const struct inv_gap_unit *u;
        if (unit == root)
            return true;
        if (!(u = inv_gap_unit_of(d, unit)))
            break;
        unit = u->parent_id;
    }
    return false;
}

/* the first index of @key in a sorted array of structs whose first member is a long long */
#define LOWER_BOUND(arr, n, field, key)                                                           \
    ({                                                                                            \
        size_t lo_ = 0, hi_ = (n);                                                                \
        while (lo_ < hi_) {                                                                       \
            size_t mid_ = (lo_ + hi_) / 2;                                                        \
            if ((arr)[mid_].field < (key))                                                        \
                lo_ = mid_ + 1;                                                                   \
            else                                                                                  \
                hi_ = mid_;                                                                       \
        }                                                                                         \
        lo_;                                                                                      \
    })

/* the history row of person @staff_id covering @day, NULL when not employed then */
static const struct inv_gap_hist *hist_on(const struct inv_gap_data *d, long long staff_id,
                                          const char *day)
{
    const struct inv_gap_hist *found = NULL;
    for (size_t i = LOWER_BOUND(d->hist, d->nhist, staff_id, staff_id);
         i < d->nhist && d->hist[i].staff_id == staff_id; i++)
        if (strcmp(d->hist[i].from_day, day) <= 0 &&
            (!d->hist[i].to_day[0] || strcmp(day, d->hist[i].to_day) < 0))
            found = &d->hist[i];
    return found;
}

/* THE RULE for one requirement of one person on @day */
static void cell_eval(const struct inv_gap_data *d, long long staff_id, long long skill_id,
                      int level, const char *day, long long day_n, struct inv_gap_cell *out)
{
    const struct inv_gap_hold *best = NULL;

    memset(out, 0, sizeof(*out));
    out->skill_id = skill_id;
    out->level_required = level;
    out->days_left = -1;
    for (size_t i = LOWER_BOUND(d->holds, d->nholds, staff_id, staff_id);
         i < d->nholds && d->holds[i].staff_id == staff_id; i++) {
        const struct inv_gap_hold *h = &d->holds[i];
        if (h->skill_id != skill_id || strcmp(h->completed_on, day) > 0)
            continue;
        if (h->level > out->level_held)
            out->level_held = h->level;
        if (h->level < level)
            continue;
        /* the best: never expires, else the latest valid_until */
        if (!best || (best->valid_until[0] && (!h->valid_until[0] ||
                                               strcmp(h->valid_until, best->valid_until) > 0)))
            best = h;
    }
    if (!best) {
        out->state = INV_GAP_MISSING;
        return;
    }
    out->record_id = best->record_id;
    ww_strlcpy(out->valid_until, best->valid_until, sizeof(out->valid_until));
    if (!best->valid_until[0]) {
        out->state = INV_GAP_VALID;
        return;
    }
    out->days_left = day_num(best->valid_until) - day_n;
    out->state = out->days_left < 0    ? INV_GAP_EXPIRED
                 : out->days_left <= 30 ? INV_GAP_EXPIRING_30
                 : out->days_left <= 60 ? INV_GAP_EXPIRING_60
                 : out->days_left <= 90 ? INV_GAP_EXPIRING_90
                                        : INV_GAP_VALID;
}

/* ---- the matrix --------------------------------------------------------------------------- */

static void row_cells(const struct inv_gap_data *d, struct inv_gap_row *row,
                      const struct inv_gap_req *reqs, size_t nr, const char *day,
                      long long day_n);

int inv_gap_matrix(const struct inv_gap_data *d, const char *day, long long unit_id,
                   struct inv_gap_matrix *out)
{
    long long day_n;
    size_t cap = 0;

    bool *in = NULL; /* by index of d->units: counted under @unit_id on @day */

    memset(out, 0, sizeof(*out));
    if (!day_ok(day))
        return -EINVAL;
    day_n = day_num(day);
    /* each unit judged once (its mergers and parents), not once per person: a ward's
     * matrix is then a look-up per person of the province */
    if (unit_id > 0) {
        in = ww_calloc(d->nunits ? d->nunits : 1, sizeof(*in));
        for (size_t i = 0; i < d->nunits; i++)
            in[i] = unit_under(d, inv_gap_unit_on(d, d->units[i].id, day), unit_id);
    }
    for (size_t p = 0; p < d->npeople; p++) {
        const struct inv_gap_hist *h = hist_on(d, d->people[p].id, day);
        struct inv_gap_row *row;
        long long unit;
        size_t r0, nr;

        if (!h)
            continue;
        if (in) {
            const struct inv_gap_unit *u = inv_gap_unit_of(d, h->unit_id);
            if (!u || !in[u - d->units])
                continue;
        }
        unit = inv_gap_unit_on(d, h->unit_id, day);
        if (!in && !unit_under(d, unit, unit_id))
            continue;
        if (out->nrows == cap) {
            cap = cap ? 2 * cap : 16;
            out->rows = ww_reallocarray(out->rows, cap, sizeof(*out->rows));
        }
        row = &out->rows[out->nrows++];
        memset(row, 0, sizeof(*row));
        row->staff_id = d->people[p].id;
        row->unit_id = unit;
        row->role_id = h->role_id;
        r0 = LOWER_BOUND(d->reqs, d->nreqs, role_id, h->role_id);
        for (nr = 0; h->role_id > 0 && r0 + nr < d->nreqs && d->reqs[r0 + nr].role_id ==
                                                                 h->role_id;
             nr++)
            ;
        row_cells(d, row, nr ? &d->reqs[r0] : NULL, nr, day, day_n);
    }
    free(in);
    return 0;
}

size_t inv_gap_equips_of(const struct inv_gap_data *d, long long staff_id, size_t *first)
{
    size_t n = 0;
    *first = LOWER_BOUND(d->equips, d->nequips, staff_id, staff_id);
    while (*first + n < d->nequips && d->equips[*first + n].staff_id == staff_id)
        n++;
    return n;
}

bool inv_gap_held_on(const struct inv_gap_equip *e, const char *day)
{
    return strcmp(e->from_day, day) <= 0 && (!e->to_day[0] || strcmp(day, e->to_day) < 0);
}

/* @row's cells: its role's @nr requirements @reqs, then each skill a device it holds on @day
 * requires (one cell per skill: the higher level, both reasons), each evaluated */
static void row_cells(const struct inv_gap_data *d, struct inv_gap_row *row,
                      const struct inv_gap_req *reqs, size_t nr, const char *day, long long day_n)
{
    size_t e0, ne = inv_gap_equips_of(d, row->staff_id, &e0), n = 0;

    if (!nr && !ne)
        return;
    row->cells = ww_reallocarray(NULL, nr + ne, sizeof(*row->cells));
    for (size_t i = 0; i < nr; i++) {
        memset(&row->cells[n], 0, sizeof(row->cells[n]));
        row->cells[n].skill_id = reqs[i].skill_id;
        row->cells[n].level_required = reqs[i].level;
        row->cells[n++].role_id = row->role_id;
    }
    for (size_t i = e0; i < e0 + ne; i++) {
        const struct inv_gap_equip *e = &d->equips[i];
        struct inv_gap_cell *c = NULL;

        if (!inv_gap_held_on(e, day))
            continue;
        for (size_t k = 0; k < n && !c; k++)
            if (row->cells[k].skill_id == e->skill_id)
                c = &row->cells[k];
        if (!c) {
            c = &row->cells[n++];
            memset(c, 0, sizeof(*c));
            c->skill_id = e->skill_id;
        }
        if (e->level > c->level_required)
            c->level_required = e->level;
        if (!c->device_id) {
            c->device_id = e->device_id;
            c->device_name = e->device_name;
            ww_strlcpy(c->held_from, e->from_day, sizeof(c->held_from));
        }
    }
    row->ncells = n;
    for (size_t k = 0; k < n; k++) {
        struct inv_gap_cell why = row->cells[k];
        cell_eval(d, row->staff_id, why.skill_id, why.level_required, day, day_n, &row->cells[k]);
        row->cells[k].role_id = why.role_id;
        row->cells[k].device_id = why.device_id;
        row->cells[k].device_name = why.device_name;
        ww_strlcpy(row->cells[k].held_from, why.held_from, sizeof(row->cells[k].held_from));
    }
}

void inv_gap_matrix_free(struct inv_gap_matrix *m)
{
    for (size_t i = 0; i < m->nrows; i++)
        free(m->rows[i].cells);
    free(m->rows);
    m->rows = NULL;
    m->nrows = 0;
}

/* ---- compliance --------------------------------------------------------------------------- */

static struct inv_compliance *comp_slot(struct inv_compliance **items, size_t *n, long long id)
{
    for (size_t i = 0; i < *n; i++)
        if ((*items)[i].id == id)
            return &(*items)[i];
    *items = ww_reallocarray(*items, *n + 1, sizeof(**items));
    memset(&(*items)[*n], 0, sizeof(**items));
    (*items)[*n].id = id;
    return &(*items)[(*n)++];
}

static int comp_cmp(const void *a, const void *b)
{
    long long x = ((const struct inv_compliance *)a)->id, y = ((const struct inv_compliance *)b)->id;
    return (x > y) - (x < y);
}

static void comp_finish(struct inv_compliance *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        items[i].pct = items[i].reqs ? (int)(items[i].reqs_met * 100 / items[i].reqs) : 100;
    if (n)
        qsort(items, n, sizeof(*items), comp_cmp);
}

int inv_gap_compliance(const struct inv_gap_data *d, const char *day,
                       struct inv_compliance **out_units, size_t *out_nunits,
                       struct inv_compliance **out_roles, size_t *out_nroles)
{
    struct inv_gap_matrix m;
    int ret = inv_gap_matrix(d, day, 0, &m);

    *out_units = *out_roles = NULL;
    *out_nunits = *out_nroles = 0;
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < m.nrows; i++) {
        struct inv_compliance *c[2] = {comp_slot(out_units, out_nunits, m.rows[i].unit_id),
                                       comp_slot(out_roles, out_nroles, m.rows[i].role_id)};
        long long met = 0;
        for (size_t k = 0; k < m.rows[i].ncells; k++)
            met += inv_gap_state_met(m.rows[i].cells[k].state);
        for (int j = 0; j < 2; j++) {
            c[j]->people++;
            c[j]->people_met += met == (long long)m.rows[i].ncells;
            c[j]->reqs += (long long)m.rows[i].ncells;
            c[j]->reqs_met += met;
        }
    }
    inv_gap_matrix_free(&m);
    comp_finish(*out_units, *out_nunits);
    comp_finish(*out_roles, *out_nroles);
    return 0;
}

/* ---- targets ------------------------------------------------------------------------------ */

/* staff of the target's unit employed on @day, and those holding its skill then */
static void target_on(const struct inv_gap_data *d, const struct inv_target *t, const char *day,
                      long long *out_staff, long long *out_holding)
{
    long long day_n = day_num(day);
    struct inv_gap_cell cell;

    *out_staff = *out_holding = 0;
    for (size_t p = 0; p < d->npeople; p++) {
        const struct inv_gap_hist *h = hist_on(d, d->people[p].id, day);
        if (!h || !unit_under(d, inv_gap_unit_on(d, h->unit_id, day), t->unit_id))
            continue;
        (*out_staff)++;
        cell_eval(d, d->people[p].id, t->skill_id, t->level, day, day_n, &cell);
        *out_holding += inv_gap_state_met(cell.state);
    }
}

static bool target_reached(const struct inv_target *t, long long staff, long long holding)
{
    return staff > 0 && holding * 100 >= (long long)t->pct * staff;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* each month from @from's to @end's: @cb with "YYYY-MM" and its last day (@end for the
 * last month), as months are listed */
static void month_ends(const char *from, const char *end,
                       void (*cb)(void *ctx, const char *month, const char *last), void *ctx)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m;

    sscanf(from, "%4d-%2d", &y, &m);
    for (;;) {
        char month[16], last[24];
        int ld = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));

        snprintf(month, sizeof(month), "%04d-%02d", y % 10000, m % 100);
        if (strncmp(month, end, 7) > 0)
            break;
        snprintf(last, sizeof(last), "%s-%02d", month, ld);
        if (strcmp(last, end) > 0)
            ww_strlcpy(last, end, sizeof(last));
        last[10] = '\0';
        cb(ctx, month, last);
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
}

static struct inv_target_month *month_add(struct inv_target_progress *out, const char *month)
{
    struct inv_target_month *tm;

    out->months = ww_reallocarray(out->months, out->nmonths + 1, sizeof(*out->months));
    tm = &out->months[out->nmonths++];
    memset(tm, 0, sizeof(*tm));
    ww_strlcpy(tm->month, month, sizeof(tm->month));
    return tm;
}

/* the checks both ways share: 0 and @end (the last day counted), 1 nothing to count, or
 * -EINVAL */
static int progress_begin(const struct inv_target *t, const char *today, char end[11],
                          struct inv_target_progress *out)
{
    memset(out, 0, sizeof(*out));
    if (!day_ok(today) || !day_ok(t->from_day) || !day_ok(t->deadline))
        return -EINVAL;
    ww_strlcpy(end, strcmp(t->deadline, today) < 0 ? t->deadline : today, 11);
    return strcmp(end, t->from_day) < 0 ? 1 : 0;
}

/* ---- the reference: THE RULE day by day (target_on), kept as the tests' oracle ---------- */

struct ref_ctx {
    const struct inv_gap_data *d;
    const struct inv_target *t;
    struct inv_target_progress *out;
};

static void ref_month(void *ctx, const char *month, const char *last)
{
    struct ref_ctx *c = ctx;
    struct inv_target_month *tm = month_add(c->out, month);

    target_on(c->d, c->t, last, &tm->staff, &tm->holding);
    tm->pct = tm->staff ? (int)(tm->holding * 100 / tm->staff) : 0;
}

int inv_gap_target_progress_ref(const struct inv_gap_data *d, const struct inv_target *t,
                                const char *today, struct inv_target_progress *out)
{
    struct ref_ctx c = {d, t, out};
    char end[11], (*days)[11] = NULL;
    size_t ndays = 0;
    int ret = progress_begin(t, today, end, out);

    if (ret)
        return ret < 0 ? ret : 0;
    month_ends(t->from_day, end, ref_month, &c);
    /* the first day it was reached: the figure moves only on a day something starts or
     * ends (a completion, a move, a merger), so only those days are checked */
    days = ww_reallocarray(NULL, d->nholds + 2 * d->nhist + d->nunits + 1, sizeof(*days));
    ww_strlcpy(days[ndays++], t->from_day, 11);
#define CANDIDATE(s)                                                                              \
    do {                                                                                          \
        if ((s)[0] && strcmp((s), t->from_day) > 0 && strcmp((s), end) <= 0)                      \
            ww_strlcpy(days[ndays++], (s), 11);                                                   \
    } while (0)
    for (size_t i = 0; i < d->nholds; i++)
        if (d->holds[i].skill_id == t->skill_id)
            CANDIDATE(d->holds[i].completed_on);
    for (size_t i = 0; i < d->nhist; i++) {
        CANDIDATE(d->hist[i].from_day);
        CANDIDATE(d->hist[i].to_day);
    }
    for (size_t i = 0; i < d->nunits; i++)
        CANDIDATE(d->units[i].valid_to);
#undef CANDIDATE
    qsort(days, ndays, sizeof(*days), str_cmp);
    for (size_t i = 0; i < ndays; i++) {
        long long staff, holding;
        if (i && strcmp(days[i], days[i - 1]) == 0)
            continue;
        target_on(d, t, days[i], &staff, &holding);
        if (target_reached(t, staff, holding)) {
            ww_strlcpy(out->reached_on, days[i], sizeof(out->reached_on));
            break;
        }
    }
    free(days);
    return 0;
}

/* ---- one sweep -----------------------------------------------------------------------------
 * DESIGN: the same figures as the reference in one pass over the rows instead of a pass per
 * day. A person counts as staff of the target's unit over spans of their history rows, cut
 * where a merger moves their unit (inv_gap_unit_on() changes only on a unit's valid_to);
 * they hold the skill over the spans of their credited records at the level or higher, from
 * completed_on to valid_until (the last valid day) or for ever: cell_eval()'s "met" is
 * "some such record covers the day". Each span is a +1 and a -1; sorted, the counts of any
 * day are the sums of the changes up to it, read for ascending days with one cursor. */

struct tev {
    long long day;
    int staff, holding;
};

struct tevs {
    struct tev *v;
    size_t n, cap;
};

static void tev_add(struct tevs *e, long long from, long long to, bool staff)
{
    if (from >= to)
        return;
    if (e->n + 2 > e->cap) {
        e->cap = e->cap ? 2 * e->cap : 1024;
        e->v = ww_reallocarray(e->v, e->cap, sizeof(*e->v));
    }
    e->v[e->n++] = (struct tev){from, staff, !staff};
    if (to != LLONG_MAX)
        e->v[e->n++] = (struct tev){to, -(int)staff, -(int)!staff};
}

static int tev_cmp(const void *a, const void *b)
{
    long long x = ((const struct tev *)a)->day, y = ((const struct tev *)b)->day;
    return (x > y) - (x < y);
}

/* YYYY-MM-DD of a day number (H. Hinnant's civil_from_days) */
static void day_str(long long z, char out[11])
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1;
    long long mm = mp < 10 ? mp + 3 : mp - 9;

    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)((y + (mm <= 2)) % 10000),
             (unsigned)(mm % 100), (unsigned)(dd % 100));
}

/* person @p's spans holding @t's skill, sorted by start, overlaps merged, into *@spans */
static size_t hold_spans(const struct inv_gap_data *d, long long staff_id,
                         const struct inv_target *t, long long (**spans)[2], size_t *cap)
{
    size_t n = 0, k = 0;

    for (size_t i = LOWER_BOUND(d->holds, d->nholds, staff_id, staff_id);
         i < d->nholds && d->holds[i].staff_id == staff_id; i++) {
        const struct inv_gap_hold *h = &d->holds[i];
        if (h->skill_id != t->skill_id || h->level < t->level || h->level < 1)
            continue;
        if (n == *cap) {
            *cap = *cap ? 2 * *cap : 16;
            *spans = ww_reallocarray(*spans, *cap, sizeof(**spans));
        }
        (*spans)[n][0] = day_num(h->completed_on);
        (*spans)[n][1] = h->valid_until[0] ? day_num(h->valid_until) + 1 : LLONG_MAX;
        n++;
    }
    /* by start (few per person: insertion), then merged */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && (*spans)[j][0] < (*spans)[j - 1][0]; j--) {
            long long a = (*spans)[j][0], b = (*spans)[j][1];
            (*spans)[j][0] = (*spans)[j - 1][0];
            (*spans)[j][1] = (*spans)[j - 1][1];
            (*spans)[j - 1][0] = a;
            (*spans)[j - 1][1] = b;
        }
    for (size_t i = 0; i < n; i++) {
        if (k && (*spans)[i][0] <= (*spans)[k - 1][1]) {
            if ((*spans)[i][1] > (*spans)[k - 1][1])
                (*spans)[k - 1][1] = (*spans)[i][1];
            continue;
        }
        (*spans)[k][0] = (*spans)[i][0];
        (*spans)[k++][1] = (*spans)[i][1];
    }
    return k;
}

/* the staff and holding spans of every person, as changes */
static void target_events(const struct inv_gap_data *d, const struct inv_target *t,
                          struct tevs *e)
{
    long long (*spans)[2] = NULL;
    size_t cap = 0;

    for (size_t p = 0; p < d->npeople; p++) {
        long long id = d->people[p].id;
        size_t h0 = LOWER_BOUND(d->hist, d->nhist, staff_id, id), nh = 0, ns;

        while (h0 + nh < d->nhist && d->hist[h0 + nh].staff_id == id)
            nh++;
        if (!nh)
            continue;
        ns = hold_spans(d, id, t, &spans, &cap);
        for (size_t i = h0; i < h0 + nh; i++) {
            const struct inv_gap_hist *h = &d->hist[i];
            long long s = day_num(h->from_day), to = h->to_day[0] ? day_num(h->to_day) : LLONG_MAX;

            /* a later row takes over from its first day (hist_on() takes the last) */
            if (i + 1 < h0 + nh && day_num(d->hist[i + 1].from_day) < to)
                to = day_num(d->hist[i + 1].from_day);
            for (int guard = 0; s < to && guard <= UNIT_DEPTH_MAX; guard++) {
                char sday[11];
                long long unit, next = to;
                const struct inv_gap_unit *u;

                day_str(s, sday);
                unit = inv_gap_unit_on(d, h->unit_id, sday);
                if ((u = inv_gap_unit_of(d, unit)) && u->merged_into && u->valid_to[0] &&
                    day_num(u->valid_to) > s && day_num(u->valid_to) < next)
                    next = day_num(u->valid_to);
                if (unit_under(d, unit, t->unit_id)) {
                    tev_add(e, s, next, true);
                    for (size_t k = 0; k < ns; k++)
                        tev_add(e, spans[k][0] > s ? spans[k][0] : s,
                                spans[k][1] < next ? spans[k][1] : next, false);
                }
                s = next;
            }
        }
    }
    free(spans);
    if (e->n)
        qsort(e->v, e->n, sizeof(*e->v), tev_cmp);
}

/* the counts of days read in ascending order */
struct tcursor {
    const struct tevs *e;
    size_t i;
    long long staff, holding;
};

static void cursor_to(struct tcursor *c, long long day)
{
    while (c->i < c->e->n && c->e->v[c->i].day <= day) {
        c->staff += c->e->v[c->i].staff;
        c->holding += c->e->v[c->i].holding;
        c->i++;
    }
}

static void sweep_month(void *ctx, const char *month, const char *last)
{
    struct tcursor *c = ((void **)ctx)[0];
    struct inv_target_progress *out = ((void **)ctx)[1];
    struct inv_target_month *tm = month_add(out, month);

    cursor_to(c, day_num(last));
    tm->staff = c->staff;
    tm->holding = c->holding;
    tm->pct = tm->staff ? (int)(tm->holding * 100 / tm->staff) : 0;
}

int inv_gap_target_progress(const struct inv_gap_data *d, const struct inv_target *t,
                            const char *today, struct inv_target_progress *out)
{
    struct tevs e = {0};
    struct tcursor c = {.e = &e};
    char end[11];
    long long from, last;
    int ret = progress_begin(t, today, end, out);

    if (ret)
        return ret < 0 ? ret : 0;
    target_events(d, t, &e);
    month_ends(t->from_day, end, sweep_month, (void *[]){&c, out});
    /* the first day it was reached: the from day, then each day the counts change */
    c = (struct tcursor){.e = &e};
    from = day_num(t->from_day);
    last = day_num(end);
    cursor_to(&c, from);
    if (target_reached(t, c.staff, c.holding)) {
        ww_strlcpy(out->reached_on, t->from_day, sizeof(out->reached_on));
    } else {
        while (c.i < e.n && e.v[c.i].day <= last) {
            long long day = e.v[c.i].day;
            cursor_to(&c, day);
            if (target_reached(t, c.staff, c.holding)) {
                day_str(day, out->reached_on);
                break;
            }
        }
    }
    free(e.v);
    return 0;
}

/* ---- the loader --------------------------------------------------------------------------- */

/* every row of @sql, each read by @row into a new item of @size bytes of *@items */
static int load_rows(struct ww_db *db, const char *sql, size_t size,
                     void (*row)(sqlite3_stmt *st, void *item, void *ctx), void *ctx,
                     void **items, size_t *n)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            *items = ww_reallocarray(*items, cap, size);
        }
        memset((char *)*items + *n * size, 0, size);
        row(st, (char *)*items + *n * size, ctx);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ww_error(-EIO, "inventory: gaps: %s", sqlite3_errmsg(db->sql));
    return 0;
}

static void day_col(sqlite3_stmt *st, int col, char out[11])
{
    const unsigned char *s = sqlite3_column_text(st, col);
    ww_strlcpy(out, s ? (const char *)s : "", 11);
}

static void unit_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_unit *u = item;
    (void)ctx;
    u->id = sqlite3_column_int64(st, 0);
    u->parent_id = sqlite3_column_int64(st, 1);
    u->merged_into = sqlite3_column_int64(st, 2);
    day_col(st, 3, u->valid_to);
    u->name = ww_db_text(st, 4);
}

static void person_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_person *p = item;
    (void)ctx;
    p->id = sqlite3_column_int64(st, 0);
    p->code = ww_db_text(st, 1);
    p->full_name = ww_db_text(st, 2);
}

static void hist_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_hist *h = item;
    (void)ctx;
    h->staff_id = sqlite3_column_int64(st, 0);
    h->unit_id = sqlite3_column_int64(st, 1);
    h->role_id = sqlite3_column_int64(st, 2);
    day_col(st, 3, h->from_day);
    day_col(st, 4, h->to_day);
}

static void req_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_req *r = item;
    (void)ctx;
    r->role_id = sqlite3_column_int64(st, 0);
    r->skill_id = sqlite3_column_int64(st, 1);
    r->level = sqlite3_column_int(st, 2);
}

static void hold_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_hold *h = item;
    (void)ctx;
    h->staff_id = sqlite3_column_int64(st, 0);
    h->skill_id = sqlite3_column_int64(st, 1);
    h->record_id = sqlite3_column_int64(st, 2);
    h->level = sqlite3_column_int(st, 3);
    day_col(st, 4, h->completed_on);
    day_col(st, 5, h->valid_until);
    /* a record that gives nothing is kept with level 0: it never meets a requirement */
    if (!inv_training_result_credits((const char *)sqlite3_column_text(st, 6)))
        h->level = 0;
}

static void equip_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_equip *e = item;
    (void)ctx;
    e->staff_id = sqlite3_column_int64(st, 0);
    e->device_id = sqlite3_column_int64(st, 1);
    e->skill_id = sqlite3_column_int64(st, 2);
    e->level = sqlite3_column_int(st, 3);
    day_col(st, 4, e->from_day);
    day_col(st, 5, e->to_day);
    e->device_name = ww_db_text(st, 6);
    ww_strlcpy(e->device_kind, (const char *)(sqlite3_column_text(st, 7) ? sqlite3_column_text(st, 7)
                                                                       : (const unsigned char *)""),
               sizeof(e->device_kind));
}

/* holdings by person, skill, record (the order the look-ups bisect) */
static int hold_cmp(const void *a, const void *b)
{
    const struct inv_gap_hold *x = a, *y = b;
    if (x->staff_id != y->staff_id)
        return x->staff_id < y->staff_id ? -1 : 1;
    if (x->skill_id != y->skill_id)
        return x->skill_id < y->skill_id ? -1 : 1;
    return (x->record_id > y->record_id) - (x->record_id < y->record_id);
}

static int hist_cmp(const void *a, const void *b)
{
    const struct inv_gap_hist *x = a, *y = b;
    if (x->staff_id != y->staff_id)
        return x->staff_id < y->staff_id ? -1 : 1;
    return strcmp(x->from_day, y->from_day);
}

void inv_gap_data_sort(struct inv_gap_data *d)
{
    size_t i = 1;

    /* the loader's history is in order already, rows of one day by id: kept as it is */
    while (i < d->nhist && hist_cmp(&d->hist[i - 1], &d->hist[i]) <= 0)
        i++;
    if (i < d->nhist)
        qsort(d->hist, d->nhist, sizeof(*d->hist), hist_cmp);
    if (d->nholds)
        qsort(d->holds, d->nholds, sizeof(*d->holds), hold_cmp);
}

static void skill_row(sqlite3_stmt *st, void *item, void *ctx)
{
    struct inv_gap_skill *k = item;
    (void)ctx;
    k->id = sqlite3_column_int64(st, 0);
    k->code = ww_db_text(st, 1);
    k->name = ww_db_text(st, 2);
}

int inv_gap_load(struct ww_db *db, struct inv_gap_data *out)
{
    int ret;

    memset(out, 0, sizeof(*out));
    if ((ret = load_rows(db,
                         "SELECT id, coalesce(parent_id, 0), coalesce(merged_into, 0), valid_to,"
                         " name FROM org_unit ORDER BY id",
                         sizeof(*out->units), unit_row, NULL, (void **)&out->units,
                         &out->nunits)) < 0 ||
        (ret = load_rows(db, "SELECT id, code, full_name FROM staff ORDER BY id",
                         sizeof(*out->people), person_row, NULL, (void **)&out->people,
                         &out->npeople)) < 0 ||
        (ret = load_rows(db,
                         "SELECT staff_id, coalesce(unit_id, 0), coalesce(role_id, 0), from_day,"
                         " to_day FROM staff_history ORDER BY staff_id, from_day, id",
                         sizeof(*out->hist), hist_row, NULL, (void **)&out->hist,
                         &out->nhist)) < 0 ||
        (ret = load_rows(db,
                         "SELECT role_id, skill_id, level FROM role_skill"
                         " ORDER BY role_id, skill_id",
                         sizeof(*out->reqs), req_row, NULL, (void **)&out->reqs,
                         &out->nreqs)) < 0 ||
        /* the newest of each correction chain: a record no other record corrects. Read in
         * the table's order and sorted here: an ORDER BY walks the staff index and fetches
         * half a million rows at random (bench/RESULTS.md, gap-bench) */
        (ret = load_rows(db,
                         "SELECT t.staff_id, cs.skill_id, t.id, cs.level, t.completed_on,"
                         " t.valid_until, t.result FROM training_record t JOIN course_skill cs"
                         " ON cs.course_id = t.course_id WHERE t.id NOT IN (SELECT corrects"
                         " FROM training_record WHERE corrects IS NOT NULL)",
                         sizeof(*out->holds), hold_row, NULL, (void **)&out->holds,
                         &out->nholds)) < 0 ||
        (ret = load_rows(db, "SELECT id, code, name FROM skill ORDER BY id",
                         sizeof(*out->skills), skill_row, NULL, (void **)&out->skills,
                         &out->nskills)) < 0 ||
        /* what each person's devices require, over the assignment history: by the device's
         * kind and by its criticality (a skill both name: once, at the higher level) */
        (ret = load_rows(db,
                         "SELECT a.staff_id, a.device_id, e.skill_id, max(e.level), a.from_day,"
                         " a.to_day, d.name, d.kind FROM device_assignment a"
                         " JOIN device d ON d.id = a.device_id"
                         " JOIN equipment_skill e ON e.device_kind IN (d.kind, d.criticality)"
                         " WHERE a.staff_id IS NOT NULL GROUP BY a.id, e.skill_id"
                         " ORDER BY a.staff_id, a.device_id, e.skill_id, a.id",
                         sizeof(*out->equips), equip_row, NULL, (void **)&out->equips,
                         &out->nequips)) < 0) {
        inv_gap_data_free(out);
        return ret;
    }
    inv_gap_data_sort(out);
    return 0;
}

void inv_gap_data_free(struct inv_gap_data *d)
{
    for (size_t i = 0; i < d->nunits; i++)
        free(d->units[i].name);
    for (size_t i = 0; i < d->npeople; i++) {
        free(d->people[i].code);
        free(d->people[i].full_name);
    }
    for (size_t i = 0; i < d->nskills; i++) {
        free(d->skills[i].code);
        free(d->skills[i].name);
    }
    free(d->units);
    free(d->people);
    free(d->hist);
    free(d->reqs);
    free(d->holds);
    for (size_t i = 0; i < d->nequips; i++)
        free(d->equips[i].device_name);
    free(d->skills);
    free(d->equips);
    memset(d, 0, sizeof(*d));
}
