/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * reminder.c - training expiry reminders (issue 17 item 4): which requirements reach one of
 * the reminder thresholds on a day, and the days not yet reminded (the setting table's
 * "training.reminded_through"). THE RULE is stated in inventory.h above struct
 * inv_reminder_item; which record meets a requirement and until when is gap.c's (the cells of
 * inv_gap_matrix()), never judged here. The collector words and sends them (collector/
 * remind.c).
 */
#include "inventory/inventory_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define THROUGH_KEY "training.reminded_through"

struct keyed {
    struct inv_reminder_item it;
    char *unit_key, *name_key, *skill_key;
};

static int keyed_cmp(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    int c;
    if ((c = strcmp(a->unit_key, b->unit_key)) || (c = (a->it.unit_id > b->it.unit_id) -
                                                        (a->it.unit_id < b->it.unit_id)) ||
        (c = strcmp(a->name_key, b->name_key)) ||
        (c = (a->it.staff_id > b->it.staff_id) - (a->it.staff_id < b->it.staff_id)) ||
        (c = strcmp(a->skill_key, b->skill_key)))
        return c;
    return (a->it.skill_id > b->it.skill_id) - (a->it.skill_id < b->it.skill_id);
}

int inv_reminder_items(const struct inv_gap_data *d, const char *day, const int *days,
                       size_t ndays, struct inv_reminder_item **out_items, size_t *out_n)
{
    struct inv_gap_matrix m = {0};
    struct keyed *k = NULL;
    size_t n = 0, cap = 0;
    int ret;

    *out_items = NULL;
    *out_n = 0;
    if ((ret = inv_gap_matrix(d, day, 0, &m)) < 0)
        return ret;
    for (size_t i = 0; i < m.nrows; i++) {
        const struct inv_gap_row *r = &m.rows[i];
        for (size_t c = 0; c < r->ncells; c++) {
            const struct inv_gap_cell *cell = &r->cells[c];
            const struct inv_gap_unit *u;
            const struct inv_gap_person *p;
            const struct inv_gap_skill *sk;
            bool hit = false;
            if (!cell->record_id || !cell->valid_until[0] || !inv_gap_state_met(cell->state))
                continue;
            for (size_t t = 0; t < ndays; t++)
                hit = hit || cell->days_left == days[t];
            if (!hit)
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 32;
                k = ww_reallocarray(k, cap, sizeof(*k));
            }
            memset(&k[n], 0, sizeof(k[n]));
            k[n].it.unit_id = r->unit_id;
            k[n].it.staff_id = r->staff_id;
            k[n].it.skill_id = cell->skill_id;
            u = inv_gap_unit_of(d, r->unit_id);
            p = inv_gap_person_of(d, r->staff_id);
            sk = inv_gap_skill_of(d, cell->skill_id);
            k[n].it.unit = u ? u->name : NULL;
            k[n].it.full_name = p ? p->full_name : NULL;
            k[n].it.skill = sk ? sk->name : NULL;
            ww_strlcpy(k[n].it.valid_until, cell->valid_until, sizeof(k[n].it.valid_until));
            k[n].it.days_left = (int)cell->days_left;
            k[n].unit_key = ww_name_key(k[n].it.unit ? k[n].it.unit : "");
            k[n].name_key = ww_name_key(k[n].it.full_name ? k[n].it.full_name : "");
            k[n].skill_key = ww_name_key(k[n].it.skill ? k[n].it.skill : "");
            n++;
        }
    }
    inv_gap_matrix_free(&m);
    if (n)
        qsort(k, n, sizeof(*k), keyed_cmp);
    if (n)
        *out_items = ww_reallocarray(NULL, n, sizeof(**out_items));
    for (size_t i = 0; i < n; i++) {
        (*out_items)[i] = k[i].it;
        free(k[i].unit_key);
        free(k[i].name_key);
        free(k[i].skill_key);
    }
    free(k);
    *out_n = n;
    return 0;
}

int inv_reminder_days_due(struct ww_db *db, time_t now, char (**out_days)[11], size_t *out_n)
{
    char *through = NULL, (*days)[11] = NULL;
    size_t n = 0;
    int back = 0, ret;

    *out_days = NULL;
    *out_n = 0;
    ret = inv_setting_get(db, THROUGH_KEY, &through);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if (through && (strlen(through) != 10 || inv_check_date("day", through) < 0)) {
        ww_log(WW_LOG_WARN, "inventory: reminders: the stored day is not a day: today only");
        free(through);
        through = NULL;
    }
    /* the first run ever reminds today only: no flood of the past */
    if (through)
        back = INV_REMINDER_CATCHUP_DAYS;
    days = ww_reallocarray(NULL, (size_t)back + 1, sizeof(*days));
    for (int b = back; b >= 0; b--) {
        char day[11];
        if (ww_office_day(now, b, day) < 0) {
            free(days);
            free(through);
            return -EIO;
        }
        if (through && strcmp(day, through) <= 0)
            continue;
        memcpy(days[n++], day, sizeof(day));
    }
    free(through);
    if (!n) {
        free(days);
        days = NULL;
    }
    *out_days = days;
    *out_n = n;
    return 0;
}

int inv_reminder_done(struct ww_db *db, const char *day)
{
    if (!day || strlen(day) != 10 || inv_check_date("day", day) < 0)
        return -EINVAL;
    return inv_setting_set(db, THROUGH_KEY, day);
}
