/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * health.c - the daily health roll-up (health_day, schema v14) and the health rule: what a
 * day of samples means (a day of sustained CPU load, of memory pressure, of a disk above
 * 90%). The collector adds each poll's sample with inv_health_add() in its write transaction;
 * the plan and the device page read windows with inv_health_get()/inv_health_list(), which
 * never touch an RRD file.
 */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

bool inv_health_disk_full(double used_pct)
{
    return !isnan(used_pct) && used_pct > INV_HEALTH_DISK_FULL_PCT;
}

static bool day_ok(const char *day)
{
    int key;
    return day && ww_office_day_key(day, &key) == 0;
}

int inv_health_add(struct ww_db *db, long long device_id, const char *day,
                   const struct inv_health_sample *s)
{
    static const char sql[] =
        "INSERT INTO health_day (device_id, day, polls, ok_polls, cpu_n, cpu_sum, cpu_max,"
        "  cpu_high_n, mem_n, mem_sum, mem_max, mem_high_n, disk_max, reboots, office_s,"
        "  office_down_s)"
        " VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        " ON CONFLICT (device_id, day) DO UPDATE SET"
        "  polls = polls + 1, ok_polls = ok_polls + excluded.ok_polls,"
        "  cpu_n = cpu_n + excluded.cpu_n, cpu_sum = cpu_sum + excluded.cpu_sum,"
        "  cpu_max = max(coalesce(cpu_max, excluded.cpu_max), coalesce(excluded.cpu_max, cpu_max)),"
        "  cpu_high_n = cpu_high_n + excluded.cpu_high_n,"
        "  mem_n = mem_n + excluded.mem_n, mem_sum = mem_sum + excluded.mem_sum,"
        "  mem_max = max(coalesce(mem_max, excluded.mem_max), coalesce(excluded.mem_max, mem_max)),"
        "  mem_high_n = mem_high_n + excluded.mem_high_n,"
        "  disk_max = max(coalesce(disk_max, excluded.disk_max),"
        "                 coalesce(excluded.disk_max, disk_max)),"
        "  reboots = reboots + excluded.reboots,"
        "  office_s = office_s + excluded.office_s,"
        "  office_down_s = office_down_s + excluded.office_down_s";
    sqlite3_stmt *st;
    bool cpu = !isnan(s->cpu_pct), mem = !isnan(s->mem_pct);

    if (device_id <= 0 || !day_ok(day) || s->office_s < 0 || s->office_down_s < 0 ||
        s->office_down_s > s->office_s)
        return -EINVAL;
    st = ww_db_stmt(db, sql);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, s->ok ? 1 : 0);
    sqlite3_bind_int(st, 4, cpu ? 1 : 0);
    sqlite3_bind_double(st, 5, cpu ? s->cpu_pct : 0);
    inv_bind_real(st, 6, s->cpu_pct);
    sqlite3_bind_int(st, 7, cpu && s->cpu_pct >= INV_HEALTH_CPU_HIGH_PCT ? 1 : 0);
    sqlite3_bind_int(st, 8, mem ? 1 : 0);
    sqlite3_bind_double(st, 9, mem ? s->mem_pct : 0);
    inv_bind_real(st, 10, s->mem_pct);
    sqlite3_bind_int(st, 11, mem && s->mem_pct >= INV_HEALTH_MEM_HIGH_PCT ? 1 : 0);
    inv_bind_real(st, 12, s->disk_max_pct);
    sqlite3_bind_int(st, 13, s->rebooted ? 1 : 0);
    sqlite3_bind_int64(st, 14, s->office_s);
    sqlite3_bind_int64(st, 15, s->office_down_s);
    return inv_step(db, st, "health_day");
}

/* the rule: what one day's row means. A day counts only when it has samples of that kind. */
static void add_day(struct inv_health *h, long long polls, long long cpu_n, long long cpu_high_n,
                    long long mem_n, long long mem_high_n, double disk_max, bool has_disk,
                    long long reboots, long long office_s, long long office_down_s)
{
    if (polls > 0)
        h->days++;
    if (cpu_n > 0) {
        h->cpu_days++;
        if (2 * cpu_high_n > cpu_n)
            h->cpu_high_days++;
    }
    if (mem_n > 0) {
        h->mem_days++;
        if (2 * mem_high_n > mem_n)
            h->mem_high_days++;
    }
    if (has_disk) {
        h->disk_days++;
        if (inv_health_disk_full(disk_max))
            h->disk_full_days++;
    }
    h->reboots += reboots;
    h->office_s += office_s;
    h->office_down_s += office_down_s;
}

static const char health_sql[] =
    "SELECT device_id, polls, cpu_n, cpu_high_n, mem_n, mem_high_n, disk_max, reboots,"
    "  office_s, office_down_s FROM health_day WHERE day >= ?1 AND day <= ?2";

static void row_into(sqlite3_stmt *st, struct inv_health *h)
{
    add_day(h, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
            sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
            sqlite3_column_int64(st, 5), sqlite3_column_double(st, 6),
            sqlite3_column_type(st, 6) != SQLITE_NULL, sqlite3_column_int64(st, 7),
            sqlite3_column_int64(st, 8), sqlite3_column_int64(st, 9));
}

int inv_health_get(struct ww_db *db, long long device_id, const char *from_day,
                   const char *to_day, struct inv_health *out)
{
    char *sql = ww_asprintf("%s AND device_id = ?3", health_sql);
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof(*out));
    out->device_id = device_id;
    if (!day_ok(from_day) || !day_ok(to_day)) {
        free(sql);
        return -EINVAL;
    }
    st = ww_db_prepare(db, sql);
    free(sql);
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, from_day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, to_day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, device_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        row_into(st, out);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: health of %lld: %s", device_id,
                                            sqlite3_errmsg(db->sql));
}

static int cmp_health(const void *a, const void *b)
{
    long long x = ((const struct inv_health *)a)->device_id;
    long long y = ((const struct inv_health *)b)->device_id;
    return (x > y) - (x < y);
}

int inv_health_list(struct ww_db *db, const char *from_day, const char *to_day,
                    struct inv_health **out_items, size_t *out_n)
{
    /* device by device, each a range of its primary key (device_id, day): the window of
     * every device without reading the days outside it (a year of a province is 36 million
     * rows, its 90 days a quarter of them); CROSS JOIN keeps that order of the loops */
    char *sql = ww_strdup(
        "SELECT h.device_id, h.polls, h.cpu_n, h.cpu_high_n, h.mem_n, h.mem_high_n, h.disk_max,"
        "  h.reboots, h.office_s, h.office_down_s FROM device d CROSS JOIN health_day h"
        "  ON h.device_id = d.id WHERE h.day >= ?1 AND h.day <= ?2 ORDER BY d.id");
    struct inv_health *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!day_ok(from_day) || !day_ok(to_day)) {
        free(sql);
        return -EINVAL;
    }
    st = ww_db_prepare(db, sql);
    free(sql);
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, from_day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, to_day, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        if (!n || items[n - 1].device_id != id) {
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                items = ww_reallocarray(items, cap, sizeof(*items));
            }
            memset(&items[n], 0, sizeof(items[n]));
            items[n++].device_id = id;
        }
        row_into(st, &items[n - 1]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(items);
        return ww_error(-EIO, "inventory: health list: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

const struct inv_health *inv_health_find(const struct inv_health *items, size_t n,
                                         long long device_id)
{
    struct inv_health key = {.device_id = device_id};
    return n ? bsearch(&key, items, n, sizeof(*items), cmp_health) : NULL;
}
