/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * change.c - the one audited-change path (inv_change_run), refusals as data (a field and a
 * reason code, never a sentence), and the SQLite statement helpers every inventory file
 * shares (inventory_int.h).
 *
 * DESIGN: a change is a callback run inside one transaction between two snapshots of its
 * object; the audit entry (actor, action, before, after) and the change number the caches
 * watch are written in the same transaction, so there is no change without its record, no
 * record of a change that failed, and no cache that misses a change made by another process
 * (the CLI beside the dashboard). A change without an actor is refused before it starts.
 */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* every reason a change can be refused for; the words are "reason.<code>" in the i18n files */
const char *const inv_refusal_reasons[] = {
    "required",     "too_long",    "not_utf8",    "control_char", "not_date",
    "not_host",     "not_one_of",  "out_of_range", "not_printable", "no_such",
    "own_parent",   "parent_loop", "too_deep",    "too_many",     "not_email",
    "not_url",      "url_credentials", "not_allowed", "give_again", "not_after",
    "not_login",    "exists",      "constraint",  "not_string",   "not_integer",
    "not_boolean",  "not_number",  "unknown_field", "not_id",     "threshold_needed",
    "last_admin",   "name_taken",  "already_acked", "not_hours",   "not_days",
    "not_smtp_url", "before_purchase",
    /* the CSV import (import.c) */
    "formula", "csv_quote", "cell_count", "in_file", "unknown_column", "missing_column",
    /* org units and locations (unit.c) */
    "unit_merged", "has_devices", "has_children", "has_locations", "has_history", "own_unit",
    "unit_loop", "unit_too_deep", "unit_not_yet",
    /* staff and training (issue 17) */
    "not_file_name", "in_future", "corrected",
    /* the staff and training imports (staffimport.c) */
    "file_changed", NULL};

/* every field a refusal can name (API names); the words are "field.<name>" */
const char *const inv_fields[] = {
    "name", "kind", "host", "snmp_port", "snmp_version", "snmp_community", "v3_user",
    "v3_level", "v3_auth_proto", "v3_auth_key", "v3_priv_proto", "v3_priv_key", "vendor",
    "model", "serial", "asset_tag", "purchase_date", "cost_vnd", "parent_id", "enabled",
    "login", "role", "full_name", "lang", "password", "device_id", "device_kind",
    "threshold", "for_s", "repeat_s", "channel_ids", "notify_recovery", "target", "secret",
    "starts_at", "ends_at", "note", "day", "protocol", "id", "device", "from", "to",
    "old_password", "new_password", "period", "limit", "offset", "record",
    /* settings (ww_setting_keys[]) */
    "smtp_url", "smtp_user", "smtp_password", "smtp_from", "office_hours", "office_days",
    "dashboard_url",
    /* a device's records (issue 16) */
    "in_service_date", "warranty_end", "funding_source", "lifespan_years", "status",
    "criticality", "assigned_to", "notes", "work", "shop",
    /* org units and locations (unit.c) */
    "code", "level", "valid_from", "into", "unit_id", "location_id", "address", "building",
    "room", "parent_code", "unit_code", "unit_name", "parent_unit", "location_name",
    /* staff and training (issue 17) */
    "role_id", "start_day", "move_day", "active", "name_en", "category",
    "levels", "validity_months", "skill_id", "skill_level", "provider_kind", "provider", "hours",
    "skills", "course_id", "session_id", "place", "trainer", "capacity", "staff_id",
    "completed_on", "result", "score", "certificate_no", "valid_until", "evidence", "source",
    "corrects", "pct", "from_day", "deadline", "assigned_staff", "equipment", "role_code",
    /* the replacement plan (score.c, plan.c) */
    "item", "price_vnd", "year", "amount_vnd", "action", "weight_age",
    "weight_win11", "weight_os", "weight_cpu", "weight_mem", "weight_disk", "weight_reboot",
    "weight_down", "weight_repair", "weight_crit", "min_score", "upgrade_months", "link_p95",
    "horizon",
    /* active checks (check.c) */
    "port", "expect", "interval_s", "timeout_ms", NULL};

static __thread struct inv_refusal refusal;

static bool listed(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

int inv_refuse(int ret, const char *field, const char *reason, const char *param_fmt, ...)
{
    va_list ap;

    if (!listed(inv_fields, field) || !listed(inv_refusal_reasons, reason)) {
        /* a program error, not the user's: the UI could not name it */
        ww_log(WW_LOG_ERR, "inventory: refusal '%s' of field '%s' is not in the tables",
               reason ? reason : "", field ? field : "");
        field = "record";
        reason = "constraint";
    }
    ww_strlcpy(refusal.field, field, sizeof(refusal.field));
    ww_strlcpy(refusal.reason, reason, sizeof(refusal.reason));
    refusal.param[0] = '\0';
    if (param_fmt) {
        char raw[256]; /* may echo what was typed: kept valid UTF-8 and whole characters */
        va_start(ap, param_fmt);
        vsnprintf(raw, sizeof(raw), param_fmt, ap);
        va_end(ap);
        ww_utf8_copy(refusal.param, raw, sizeof(refusal.param));
    }
    ww_log(WW_LOG_DEBUG, "inventory: refused: %s %s%s%s", refusal.field, refusal.reason,
           refusal.param[0] ? " " : "", refusal.param);
    return ret;
}

void inv_refusal_last(struct inv_refusal *out)
{
    *out = refusal;
}

void inv_refusal_clear(void)
{
    memset(&refusal, 0, sizeof(refusal));
}

bool inv_field_known(const char *field)
{
    return listed(inv_fields, field);
}

int inv_check_text(const char *field, const char *s, size_t max, bool required)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0)
        return required ? inv_refuse(-EINVAL, field, "required", NULL) : 0;
    if (n > max)
        return inv_refuse(-EINVAL, field, "too_long", "%zu", max);
    if (!ww_utf8_valid(s, n))
        return inv_refuse(-EINVAL, field, "not_utf8", NULL);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return inv_refuse(-EINVAL, field, "control_char", NULL);
    return 0;
}

/* ---- statement helpers ------------------------------------------------------------------ */

void inv_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void inv_bind_typed(sqlite3_stmt *st, int i, const char *s)
{
    inv_bind_text(st, i, s && *s ? s : NULL);
}

void inv_bind_id(sqlite3_stmt *st, int i, long long id)
{
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

void inv_bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

double inv_col_real(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

long long inv_col_time(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, col);
}

int inv_step(struct ww_db *db, sqlite3_stmt *st, const char *field)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return inv_refuse(-EEXIST, inv_field_known(field) ? field : "record", "exists", NULL);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        ww_log(WW_LOG_DEBUG, "inventory: %s: %s", field, sqlite3_errmsg(db->sql));
        return inv_refuse(-EINVAL, inv_field_known(field) ? field : "record", "constraint",
                          NULL);
    }
    return ww_error(-EIO, "inventory: %s: %s", field, sqlite3_errmsg(db->sql));
}

int inv_step_final(struct ww_db *db, sqlite3_stmt *st, const char *field)
{
    int ret = inv_step(db, st, field);
    sqlite3_finalize(st);
    return ret;
}

int inv_changed(struct ww_db *db, int ret)
{
    return ret == 0 && sqlite3_changes(db->sql) == 0 ? -ENOENT : ret;
}

int inv_int_row(struct ww_db *db, const char *sql, long long id, long long *out_value)
{
    sqlite3_stmt *st = ww_db_stmt(db, sql);
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_value = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_delete_row(struct ww_db *db, const char *sql, long long id)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    ret = inv_changed(db, inv_step(db, st, "record"));
    sqlite3_finalize(st);
    return ret;
}

int inv_json_row(struct ww_db *db, const char *sql, long long id, char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_json = ww_db_text(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* ---- the audited change ----------------------------------------------------------------- */

/* how each kind of record is photographed for the audit log (never a secret) */
static const struct {
    const char *type;
    int (*by_id)(struct ww_db *db, long long id, char **out_json);
    int (*by_key)(struct ww_db *db, const char *key, char **out_json);
} snapshots[] = {
    {"device", inv_device_snapshot, NULL},
    {"user", inv_user_snapshot, NULL},
    {"maintenance", inv_maintenance_snapshot, NULL},
    {"holiday", NULL, inv_holiday_snapshot},
    {"alert_rule", inv_alert_rule_snapshot, NULL},
    {"alert_channel", inv_alert_channel_snapshot, NULL},
    {"setting", NULL, inv_setting_snapshot}, /* "set", never the value */
    {"settings", NULL, inv_settings_snapshot}, /* the Settings page's; secrets as "set" */
    {"user_lock", NULL, inv_user_lock_snapshot}, /* the failures counted, by login */
    {"outage", inv_outage_snapshot, NULL},       /* acknowledgement and notes */
    {"repair", inv_repair_snapshot, NULL},       /* a device's repair (record.c) */
    {"unit", inv_unit_snapshot, NULL},           /* an org unit (unit.c) */
    {"location", inv_location_snapshot, NULL},   /* a location (unit.c) */
    {"staff", inv_staff_snapshot, NULL},         /* staff and training (issue 17) */
    {"role", inv_role_snapshot, NULL},           /* with its required skills */
    {"skill", inv_skill_snapshot, NULL},
    {"course", inv_course_snapshot, NULL},
    {"session", inv_session_snapshot, NULL},     /* with its attendance */
    {"training", inv_training_snapshot, NULL},   /* append-only: added, never changed */
    {"target", inv_target_snapshot, NULL},
    {"equipment", NULL, inv_equipment_snapshot}, /* a device kind's required skills */
    {"sighting", inv_sighting_snapshot, NULL},
    {"check", inv_check_snapshot, NULL},         /* an active check (check.c) */
    {"import", NULL, inv_import_snapshot},       /* an import's counts (staffimport.c) */   /* a MAC/IP pair the probe saw (probe.c) */
    /* the replacement plan (score.c, plan.c) */
    {"plan_settings", NULL, inv_plan_settings_snapshot},
    {"plan_prices", NULL, inv_plan_prices_snapshot},
    {"plan_budgets", NULL, inv_plan_budgets_snapshot},
    {"plan_decision", inv_plan_decision_snapshot, NULL},
    {"plan_version", inv_plan_version_snapshot, NULL},
};

static int snapshot_of(struct ww_db *db, const struct inv_change *ch, char **out_json)
{
    *out_json = NULL;
    for (size_t i = 0; i < WW_ARRAY_SIZE(snapshots); i++) {
        if (strcmp(snapshots[i].type, ch->object_type) != 0)
            continue;
        if (snapshots[i].by_key)
            return ch->key ? snapshots[i].by_key(db, ch->key, out_json) : 0;
        if (snapshots[i].by_id)
            return ch->id > 0 ? snapshots[i].by_id(db, ch->id, out_json) : 0;
    }
    return ww_error(-EINVAL, "inventory: change of unknown object type '%s'", ch->object_type);
}

static bool has_snapshot(const char *type)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(snapshots); i++)
        if (strcmp(snapshots[i].type, type) == 0)
            return snapshots[i].by_id || snapshots[i].by_key;
    return false;
}

int inv_change_run(struct ww_db *db, struct inv_change *ch)
{
    char *before = NULL, *after = NULL, idtext[24];
    const char *object_id;
    bool nested;
    int ret;

    ch->after = NULL;
    inv_refusal_clear();
    memset(&ch->why, 0, sizeof(ch->why));
    if (!ch->actor || !ch->actor->name || !*ch->actor->name || !ch->actor->source ||
        !ch->action || !ch->object_type || !ch->apply)
        return ww_error(-EPERM, "inventory: change '%s' refused: no actor",
                        ch->action ? ch->action : "?");
    /* inside a caller's transaction (an import of many devices) it is a savepoint: the
     * caller's rollback takes this change back too */
    nested = !sqlite3_get_autocommit(db->sql);
    ret = nested ? ww_db_savepoint(db) : ww_db_begin(db);
    if (ret < 0)
        return ret;
    if (ch->id > 0 || ch->key) {
        ret = snapshot_of(db, ch, &before);
        if (ret == 0 && !before && !ch->may_be_new && has_snapshot(ch->object_type))
            ret = -ENOENT;
    }
    if (ret == 0)
        ret = ch->apply(db, ch->ctx, ch);
    if (ret == 0)
        ret = snapshot_of(db, ch, &after); /* NULL once removed */
    snprintf(idtext, sizeof(idtext), "%lld", ch->id);
    object_id = ch->audit_id ? ch->audit_id : ch->key ? ch->key : ch->id > 0 ? idtext : NULL;
    if (ret == 0)
        ret = inv_audit_add(db, ch->actor, ch->action, ch->object_type, object_id, before,
                            after);
    if (ret == 0)
        ret = ww_db_exec_stmt(db, "UPDATE change_count SET n = n + 1 WHERE name = 'audited'");
    if (ret == 0)
        ret = nested ? ww_db_release(db) : ww_db_commit(db);
    if (ret < 0) {
        if (nested)
            ww_db_undo(db);
        else
            ww_db_rollback(db);
        /* a refusal of inventory's, unless @apply's own check filled ch->why */
        if ((ret == -EINVAL || ret == -EEXIST) && !ch->why.reason[0])
            inv_refusal_last(&ch->why);
    }
    free(before);
    if (ret == 0)
        ch->after = after;
    else
        free(after);
    return ret;
}

int inv_change_mark(struct ww_db *db, struct inv_change_mark *out)
{
    sqlite3_stmt *st = ww_db_stmt(
        db, "SELECT (SELECT coalesce(max(id), 0) FROM event),"
            " (SELECT coalesce(sum(n), 0) FROM change_count)");
    int rc;

    if (!st)
        return -EIO;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->events = sqlite3_column_int64(st, 0);
        out->changes = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : ww_error(-EIO, "inventory: change mark: %s",
                                           sqlite3_errmsg(db->sql));
}

/* ---- the changes every caller makes the same way ---------------------------------------- */

int inv_apply_device_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_device *d = ctx;
    int ret = inv_device_add(db, d, &ch->id);

    if (ret == 0 && d->parent_id)
        ret = inv_device_set_parent(db, ch->id, d->parent_id);
    if (ret == 0)
        ret = inv_assignment_record(db, ch->id, NULL, ch->actor->name);
    if (ret == 0) /* its unit's history row, in the same transaction */
        ret = inv_device_place(db, ch->id, d->unit_id, d->location_id, ch->actor->name);
    return ret;
}

int inv_apply_device_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_device *d = ctx;
    long long old_parent = 0;
    char *old_assigned = NULL;
    int ret = inv_int_row(db, "SELECT coalesce(parent_id, 0) FROM device WHERE id=?1", ch->id,
                          &old_parent);

    if (ret == 0)
        ret = inv_json_row(db, "SELECT assigned_to FROM device WHERE id=?1", ch->id,
                           &old_assigned);
    if (ret == 0)
        ret = inv_device_update(db, d);
    if (ret == 0 && d->parent_id != old_parent)
        ret = inv_device_set_parent(db, ch->id, d->parent_id);
    /* a new holder (or none) is a row of the history, in the same transaction */
    if (ret == 0)
        ret = inv_assignment_record(db, ch->id, old_assigned, ch->actor->name);
    if (ret == 0) /* a new unit is a row of its history too */
        ret = inv_device_place(db, ch->id, d->unit_id, d->location_id, ch->actor->name);
    free(old_assigned);
    return ret;
}

int inv_apply_device_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_device_remove(db, ch->id);
}

int inv_apply_user_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_user_new *u = ctx;
    return inv_user_add(db, u->login, u->full_name, u->role, u->password_hash, &ch->id);
}

int inv_apply_user_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_user_edit *e = ctx;
    int ret = 0;

    if (ret == 0 && e->role)
        ret = inv_user_set_role(db, ch->id, e->role);
    if (ret == 0 && e->enabled >= 0)
        ret = inv_user_set_enabled(db, ch->id, e->enabled != 0);
    if (ret == 0 && e->set_full_name)
        ret = inv_user_set_full_name(db, ch->id, e->full_name);
    if (ret == 0 && e->password_hash)
        ret = inv_user_set_password(db, ch->id, e->password_hash);
    if (ret == 0) /* never leave the office without an enabled admin */
        ret = inv_user_admin_remains(db);
    return ret;
}

int inv_apply_user_unlock(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return ch->key ? inv_auth_pair_clear(db, ch->key, NULL) : -ENOENT;
}
