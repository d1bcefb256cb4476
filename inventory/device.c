/* SPDX-License-Identifier: GPL-3.0-or-later */
/* device.c - devices: validation, add/update/remove/get/list, with their current status. */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_device_kinds[] = {"router",  "switch", "firewall", "ap",    "ups",
                                        "printer", "nas",    "server",   "pc",    "other",
                                        NULL};

const char *const inv_device_statuses[] = {"in_stock",   "in_use", "on_loan",  "in_repair",
                                           "broken",     "to_dispose", "disposed", NULL};

const char *const inv_device_criticalities[] = {"normal", "one_stop_counter", "network_core",
                                                NULL};

bool inv_device_kind_valid(const char *kind)
{
    for (size_t i = 0; inv_device_kinds[i]; i++)
        if (strcmp(kind, inv_device_kinds[i]) == 0)
            return true;
    return false;
}

void inv_device_init(struct inv_device *d)
{
    memset(d, 0, sizeof(*d));
    d->snmp_port = 161;
    d->cost_vnd = -1;
    d->enabled = true;
    d->uptime_ticks = -1;
    d->poll_ms = -1;
    d->icmp_ok = -1;
    d->metrics.cpu_pct = d->metrics.mem_pct = d->metrics.disk_max_pct = NAN;
    d->metrics.ups_runtime_min = d->metrics.ups_charge_pct = d->metrics.supply_min_pct = NAN;
    d->metrics.ups_on_battery = -1;
}

void inv_device_release(struct inv_device *d)
{
    char **strs[] = {&d->name,          &d->kind,   &d->host,  &d->snmp_version,
                     &d->snmp_community, &d->vendor, &d->model, &d->serial,
                     &d->asset_tag,      &d->purchase_date, &d->state, &d->sys_name,
                     &d->sys_descr,     &d->os_name,     &d->v3_user, &d->v3_level, &d->v3_auth_proto,
                     &d->v3_auth_key,   &d->v3_priv_proto, &d->v3_priv_key, &d->parent_name,
                     &d->last_reason,   &d->last_reason_param, &d->in_service_date,
                     &d->warranty_end,  &d->funding_source, &d->status, &d->criticality,
                     &d->assigned_to,   &d->notes, &d->unit_name, &d->location_name};
    for (size_t i = 0; i < WW_ARRAY_SIZE(strs); i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

int inv_check_host(const char *field, const char *host)
{
    size_t n = host ? strlen(host) : 0;
    if (n == 0 || n > INV_HOST_MAX)
        return inv_refuse(-EINVAL, field, n ? "too_long" : "required", "%d", INV_HOST_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = host[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '_'))
            return inv_refuse(-EINVAL, field, "not_host", NULL);
    }
    if (host[0] == '-')
        return inv_refuse(-EINVAL, field, "not_host", NULL);
    return 0;
}

/* a day of the calendar as YYYY-MM-DD: 2023-02-29 is not one (schema v13 made this exact;
 * before, any day 1..31 passed) */
int inv_check_date(const char *field, const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, last;
    char tail;
    if (!s || !*s)
        return 0;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || y > 2200 || m < 1 ||
        m > 12 || d < 1)
        return inv_refuse(-EINVAL, field, "not_date", NULL);
    last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > last)
        return inv_refuse(-EINVAL, field, "not_date", NULL);
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return inv_refuse(-EINVAL, field, "not_date", NULL);
    return 0;
}

/* a day that cannot come before the purchase: YYYY-MM-DD compares as text */
static int check_not_before(const char *field, const char *day, const char *purchase)
{
    if (day && *day && purchase && *purchase && strcmp(day, purchase) < 0)
        return inv_refuse(-EINVAL, field, "before_purchase", "%s", purchase);
    return 0;
}

static bool one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* printable ASCII, no spaces, @min..@max long: USM names and pass phrases */
static bool usm_text(const char *s, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

/* SNMPv3 settings; a NULL key on update keeps the stored one, so only a new key is checked */
static int check_v3(const struct inv_device *d)
{
    static const char *const levels[] = {"noAuthNoPriv", "authNoPriv", "authPriv", NULL};
    static const char *const auths[] = {"MD5", "SHA", "SHA-224", "SHA-256", "SHA-384",
                                        "SHA-512", NULL};
    static const char *const privs[] = {"DES", "AES", "AES-192", "AES-256", NULL};
    bool auth, priv;

    if (!usm_text(d->v3_user, 1, 32))
        return inv_refuse(-EINVAL, "v3_user", "not_printable", "32");
    if (!one_of(d->v3_level, levels))
        return inv_refuse(-EINVAL, "v3_level", "not_one_of", "noAuthNoPriv, authNoPriv, authPriv");
    auth = strcmp(d->v3_level, "noAuthNoPriv") != 0;
    priv = strcmp(d->v3_level, "authPriv") == 0;
    if (auth && !one_of(d->v3_auth_proto, auths))
        return inv_refuse(-EINVAL, "v3_auth_proto", "not_one_of",
                          "MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512");
    if (auth && d->v3_auth_key && !usm_text(d->v3_auth_key, 8, 64))
        return inv_refuse(-EINVAL, "v3_auth_key", "not_printable", "8-64");
    if (priv && !one_of(d->v3_priv_proto, privs))
        return inv_refuse(-EINVAL, "v3_priv_proto", "not_one_of", "DES, AES, AES-192, AES-256");
    if (priv && d->v3_priv_key && !usm_text(d->v3_priv_key, 8, 64))
        return inv_refuse(-EINVAL, "v3_priv_key", "not_printable", "8-64");
    return 0;
}

/* the lifecycle fields (schema v13) */
static int check_lifecycle(const struct inv_device *d)
{
    int ret;
    if ((ret = inv_check_date("in_service_date", d->in_service_date)) < 0 ||
        (ret = inv_check_date("warranty_end", d->warranty_end)) < 0 ||
        (ret = check_not_before("in_service_date", d->in_service_date, d->purchase_date)) < 0 ||
        (ret = check_not_before("warranty_end", d->warranty_end, d->purchase_date)) < 0 ||
        (ret = inv_check_text("funding_source", d->funding_source, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("assigned_to", d->assigned_to, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("notes", d->notes, INV_NOTES_MAX, false)) < 0)
        return ret;
    if (d->lifespan_years < 0 || d->lifespan_years > INV_LIFESPAN_MAX)
        return inv_refuse(-EINVAL, "lifespan_years", "out_of_range", "1-%d", INV_LIFESPAN_MAX);
    if (d->status && !one_of(d->status, inv_device_statuses))
        return inv_refuse(-EINVAL, "status", "not_one_of", NULL);
    if (d->criticality && !one_of(d->criticality, inv_device_criticalities))
        return inv_refuse(-EINVAL, "criticality", "not_one_of", NULL);
    return 0;
}

int inv_device_validate(const struct inv_device *d)
{
    int ret;
    if ((ret = inv_check_text("name", d->name, INV_NAME_MAX, true)) < 0 ||
        (ret = inv_check_host("host", d->host)) < 0 ||
        (ret = inv_check_text("vendor", d->vendor, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("model", d->model, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("serial", d->serial, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("asset_tag", d->asset_tag, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_date("purchase_date", d->purchase_date)) < 0)
        return ret;
    if (d->kind && !inv_device_kind_valid(d->kind))
        return inv_refuse(-EINVAL, "kind", "not_one_of", NULL);
    if (d->snmp_port < 1 || d->snmp_port > 65535)
        return inv_refuse(-EINVAL, "snmp_port", "out_of_range", "1-65535");
    if (d->snmp_version && strcmp(d->snmp_version, "1") != 0 &&
        strcmp(d->snmp_version, "2c") != 0 && strcmp(d->snmp_version, "3") != 0)
        return inv_refuse(-EINVAL, "snmp_version", "not_one_of", "1, 2c, 3");
    if (d->snmp_community) {
        size_t n = strlen(d->snmp_community);
        if (n == 0 || n > 64)
            return inv_refuse(-EINVAL, "snmp_community", n ? "too_long" : "required", "64");
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)d->snmp_community[i] < 0x21 ||
                (unsigned char)d->snmp_community[i] > 0x7e)
                return inv_refuse(-EINVAL, "snmp_community", "not_printable", "1-64");
    }
    if (d->cost_vnd < -1 || d->cost_vnd > INV_VND_ITEM_MAX)
        return inv_refuse(-EINVAL, "cost_vnd", "out_of_range", "0..%lld", INV_VND_ITEM_MAX);
    if ((ret = check_lifecycle(d)) < 0)
        return ret;
    if (d->snmp_version && strcmp(d->snmp_version, "3") == 0)
        return check_v3(d);
    return 0;
}

/* binds ?1..?13 and ?15..?29 in the column order of the INSERT and UPDATE below */
static void device_bind(sqlite3_stmt *st, const struct inv_device *d)
{
    sqlite3_bind_text(st, 1, d->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, d->kind ? d->kind : "other", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, d->host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, d->snmp_port);
    sqlite3_bind_text(st, 5, d->snmp_version ? d->snmp_version : "2c", -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 6, d->snmp_community);
    inv_bind_typed(st, 7, d->vendor);
    inv_bind_typed(st, 8, d->model);
    inv_bind_typed(st, 9, d->serial);
    inv_bind_typed(st, 10, d->asset_tag);
    inv_bind_typed(st, 11, d->purchase_date);
    if (d->cost_vnd >= 0)
        sqlite3_bind_int64(st, 12, d->cost_vnd);
    else
        sqlite3_bind_null(st, 12);
    sqlite3_bind_int(st, 13, d->enabled ? 1 : 0);
    inv_bind_typed(st, 15, d->v3_user);
    inv_bind_typed(st, 16, d->v3_level);
    inv_bind_typed(st, 17, d->v3_auth_proto);
    inv_bind_typed(st, 18, d->v3_auth_key);
    inv_bind_typed(st, 19, d->v3_priv_proto);
    inv_bind_typed(st, 20, d->v3_priv_key);
    inv_bind_typed(st, 21, d->in_service_date);
    inv_bind_typed(st, 22, d->warranty_end);
    inv_bind_typed(st, 23, d->funding_source);
    if (d->lifespan_years > 0)
        sqlite3_bind_int64(st, 24, d->lifespan_years);
    else
        sqlite3_bind_null(st, 24);
    sqlite3_bind_text(st, 25, d->status ? d->status : "in_use", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 26, d->criticality ? d->criticality : "normal", -1,
                      SQLITE_TRANSIENT);
    inv_bind_typed(st, 27, d->assigned_to);
    inv_bind_typed(st, 28, d->notes);
    if (d->assigned_staff_id > 0)
        sqlite3_bind_int64(st, 29, d->assigned_staff_id);
    else
        sqlite3_bind_null(st, 29);
}

/* the holder as a staff record must be one; its name becomes assigned_to (HOLDER_SQL) */
static int check_holder(struct ww_db *db, const struct inv_device *d)
{
    long long n = 0;
    int ret;

    if (d->assigned_staff_id < 0)
        return inv_refuse(-EINVAL, "assigned_staff", "no_such", NULL);
    if (!d->assigned_staff_id)
        return 0;
    if ((ret = inv_int_row(db, "SELECT count(*) FROM staff WHERE id=?1", d->assigned_staff_id,
                           &n)) < 0)
        return ret;
    return n ? 0 : inv_refuse(-EINVAL, "assigned_staff", "no_such", NULL);
}
/* assigned_to as written: the staff record's name when one is named (?29), else as typed */
#define HOLDER_SQL "CASE WHEN ?29 IS NULL THEN ?27 ELSE (SELECT full_name FROM staff WHERE id=?29) END"

int inv_device_asset_tag_taken(struct ww_db *db, const char *tag, long long except_id)
{
    sqlite3_stmt *st = NULL;
    char *key = NULL;
    int ret = 0, rc;

    if (!tag || !*tag)
        return 0;
    st = ww_db_prepare(db, "SELECT id, asset_tag FROM device WHERE id <> ?1"
                           " AND asset_tag IS NOT NULL ORDER BY id");
    if (!st)
        return -EIO;
    key = ww_name_key(tag);
    sqlite3_bind_int64(st, 1, except_id);
    /* compared as names are (ww_name_key), which SQL cannot: an office has hundreds */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *k = ww_name_key((const char *)sqlite3_column_text(st, 1));
        bool same = strcmp(k, key) == 0;

        free(k);
        if (same) {
            ret = inv_refuse(-EEXIST, "asset_tag", "exists", "#%lld",
                             (long long)sqlite3_column_int64(st, 0));
            break;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = ww_error(-EIO, "inventory: asset tags: %s", sqlite3_errmsg(db->sql));
    sqlite3_finalize(st);
    free(key);
    return ret;
}

int inv_device_name_taken(struct ww_db *db, const char *name, long long except_id,
                          long long *out_id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, name FROM device WHERE id <> ?1"
                                         " ORDER BY id");
    char *key = ww_name_key(name);
    int ret = 0, rc;

    if (out_id)
        *out_id = 0;
    if (!st) {
        free(key);
        return -EIO;
    }
    sqlite3_bind_int64(st, 1, except_id);
    /* every name: the key is Unicode's, which SQL's lower() and NOCASE do not know; an
     * office has hundreds of devices, not millions */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *other = (const char *)sqlite3_column_text(st, 1);
        char *k = ww_name_key(other);
        bool same = strcmp(k, key) == 0;

        free(k);
        if (same) {
            long long id = sqlite3_column_int64(st, 0);
            if (out_id)
                *out_id = id;
            ret = inv_refuse(-EEXIST, "name", "name_taken", "#%lld %s", id, other);
            break;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = ww_error(-EIO, "inventory: device names: %s", sqlite3_errmsg(db->sql));
    sqlite3_finalize(st);
    free(key);
    return ret;
}

int inv_device_add(struct ww_db *db, const struct inv_device *d, long long *out_id)
{
    int ret = inv_device_validate(d);

    if (ret == 0)
        ret = check_holder(db, d);
    if (ret == 0)
        ret = inv_device_name_taken(db, d->name, 0, NULL);
    if (ret == 0)
        ret = inv_device_asset_tag_taken(db, d->asset_tag, 0);
    if (ret == 0)
        ret = inv_device_insert(db, d, out_id);
    return ret;
}

int inv_device_insert(struct ww_db *db, const struct inv_device *d, long long *out_id)
{
    sqlite3_stmt *st;
    int ret = inv_device_validate(d);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO device (name, kind, host, snmp_port, snmp_version,"
                           " snmp_community, vendor, model, serial, asset_tag, purchase_date,"
                           " cost_vnd, enabled, v3_user, v3_level, v3_auth_proto, v3_auth_key,"
                           " v3_priv_proto, v3_priv_key, in_service_date, warranty_end,"
                           " funding_source, lifespan_years, status, criticality, assigned_to,"
                           " notes, assigned_staff_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
                           "?11,?12,?13,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,"
                           HOLDER_SQL ",?28,?29)");
    if (!st)
        return -EIO;
    device_bind(st, d);
    ret = inv_step(db, st, "host"); /* host and port are unique */
    if (ret == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    sqlite3_finalize(st);
    return ret;
}

int inv_device_update(struct ww_db *db, const struct inv_device *d)
{
    sqlite3_stmt *st;
    char *stored = NULL, *stored_tag = NULL;
    int ret = inv_device_validate(d);

    if (ret == 0)
        ret = check_holder(db, d);
    /* only a new name is checked: a database may hold twins from before the rule, and
     * changing anything else of one of them is not a rename */
    if (ret == 0)
        ret = inv_json_row(db, "SELECT name FROM device WHERE id=?1", d->id, &stored);
    if (ret == 0 && stored && !ww_name_same(stored, d->name))
        ret = inv_device_name_taken(db, d->name, d->id, NULL);
    /* the same for the asset tag: only a new one is checked */
    if (ret == 0)
        ret = inv_json_row(db, "SELECT asset_tag FROM device WHERE id=?1", d->id, &stored_tag);
    if (ret == 0 && d->asset_tag && *d->asset_tag &&
        (!stored_tag || !ww_name_same(stored_tag, d->asset_tag)))
        ret = inv_device_asset_tag_taken(db, d->asset_tag, d->id);
    free(stored);
    free(stored_tag);
    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE device SET name=?1, kind=?2, host=?3, snmp_port=?4,"
                           " snmp_version=?5, snmp_community=coalesce(?6, snmp_community),"
                           " vendor=?7, model=?8, serial=?9, asset_tag=?10, purchase_date=?11,"
                           " cost_vnd=?12, enabled=?13, v3_user=?15, v3_level=?16,"
                           " v3_auth_proto=?17, v3_auth_key=coalesce(?18, v3_auth_key),"
                           " v3_priv_proto=?19, v3_priv_key=coalesce(?20, v3_priv_key),"
                           " in_service_date=?21, warranty_end=?22, funding_source=?23,"
                           " lifespan_years=?24, status=?25, criticality=?26, assigned_to="
                           HOLDER_SQL ", notes=?28, assigned_staff_id=?29,"
                           " updated_at=unixepoch() WHERE id=?14");
    if (!st)
        return -EIO;
    device_bind(st, d);
    sqlite3_bind_int64(st, 14, d->id);
    ret = inv_changed(db, inv_step(db, st, "host"));
    sqlite3_finalize(st);
    return ret;
}

int inv_device_remove(struct ww_db *db, long long id)
{
    return inv_delete_row(db, "DELETE FROM device WHERE id=?1", id);
}

int inv_device_reserve_ids(struct ww_db *db, long long used)
{
    /* the sequence row exists from schema v10 on (its migration makes it) */
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE sqlite_sequence SET seq = ?1"
                                         " WHERE name = 'device' AND seq < ?1");
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, used);
    ret = inv_step_final(db, st, "record");
    if (ret == 0 && used > 0 && sqlite3_changes(db->sql) > 0)
        ww_log(WW_LOG_INFO, "inventory: new device ids start above %lld", used);
    return ret;
}

/*
 * The columns of a device row. "In maintenance" is not among them: it depends on the
 * caller's now and on the parents' windows, and inv_device_mark_maintenance() asks the rule's
 * owner for a whole page at once.
 */
#define DEVICE_FIELDS                                                                          \
    "d.id, d.name, d.kind, d.host, d.snmp_port, d.snmp_version, d.snmp_community, d.vendor,"  \
    " d.model, d.serial, d.asset_tag, d.purchase_date, coalesce(d.cost_vnd, -1), d.enabled,"   \
    " coalesce(s.state, 'unknown'), coalesce(s.since, 0), coalesce(s.last_poll, 0),"           \
    " coalesce(s.last_ok, 0), coalesce(s.uptime_ticks, -1), coalesce(s.poll_ms, -1),"          \
    " (SELECT value FROM device_fact f WHERE f.device_id=d.id AND f.name='sysName'),"          \
    " (SELECT value FROM device_fact f WHERE f.device_id=d.id AND f.name='sysDescr'),"         \
    " d.v3_user, d.v3_level, d.v3_auth_proto, d.v3_auth_key, d.v3_priv_proto, d.v3_priv_key,"  \
    " coalesce(d.parent_id, 0), (SELECT p.name FROM device p WHERE p.id = d.parent_id),"      \
    " s.cpu_pct, s.mem_pct, s.disk_max_pct, coalesce(s.ups_on_battery, -1), s.ups_runtime_min," \
    " s.ups_charge_pct, s.supply_min_pct, s.last_reason, coalesce(s.icmp_ok, -1),"         \
    " coalesce(s.first_ok, 0), s.last_reason_param,"                                           \
    " (SELECT value FROM device_fact f WHERE f.device_id=d.id AND f.name='os'),"              \
    " d.in_service_date, d.warranty_end, d.funding_source, coalesce(d.lifespan_years, 0),"    \
    " d.status, d.criticality, d.assigned_to, d.notes, coalesce(d.unit_id, 0),"                \
    " coalesce(d.location_id, 0), (SELECT u.name FROM org_unit u WHERE u.id = d.unit_id),"    \
    " (SELECT l.name FROM location l WHERE l.id = d.location_id),"                             \
    " coalesce(d.assigned_staff_id, 0)"
#define DEVICE_COLS                                                                            \
    DEVICE_FIELDS " FROM device d LEFT JOIN device_status s ON s.device_id = d.id"


static void device_from_row(sqlite3_stmt *st, struct inv_device *d)
{
    inv_device_init(d);
    d->id = sqlite3_column_int64(st, 0);
    d->name = ww_db_text(st, 1);
    d->kind = ww_db_text(st, 2);
    d->host = ww_db_text(st, 3);
    d->snmp_port = sqlite3_column_int64(st, 4);
    d->snmp_version = ww_db_text(st, 5);
    d->snmp_community = ww_db_text(st, 6);
    d->vendor = ww_db_text(st, 7);
    d->model = ww_db_text(st, 8);
    d->serial = ww_db_text(st, 9);
    d->asset_tag = ww_db_text(st, 10);
    d->purchase_date = ww_db_text(st, 11);
    d->cost_vnd = sqlite3_column_int64(st, 12);
    d->enabled = sqlite3_column_int(st, 13) != 0;
    d->state = ww_db_text(st, 14);
    d->state_since = sqlite3_column_int64(st, 15);
    d->last_poll = sqlite3_column_int64(st, 16);
    d->last_ok = sqlite3_column_int64(st, 17);
    d->uptime_ticks = sqlite3_column_int64(st, 18);
    d->poll_ms = sqlite3_column_int64(st, 19);
    d->sys_name = ww_db_text(st, 20);
    d->sys_descr = ww_db_text(st, 21);
    d->v3_user = ww_db_text(st, 22);
    d->v3_level = ww_db_text(st, 23);
    d->v3_auth_proto = ww_db_text(st, 24);
    d->v3_auth_key = ww_db_text(st, 25);
    d->v3_priv_proto = ww_db_text(st, 26);
    d->v3_priv_key = ww_db_text(st, 27);
    d->parent_id = sqlite3_column_int64(st, 28);
    d->parent_name = ww_db_text(st, 29);
    d->metrics.cpu_pct = inv_col_real(st, 30);
    d->metrics.mem_pct = inv_col_real(st, 31);
    d->metrics.disk_max_pct = inv_col_real(st, 32);
    d->metrics.ups_on_battery = sqlite3_column_int(st, 33);
    d->metrics.ups_runtime_min = inv_col_real(st, 34);
    d->metrics.ups_charge_pct = inv_col_real(st, 35);
    d->metrics.supply_min_pct = inv_col_real(st, 36);
    d->last_reason = ww_db_text(st, 37);
    d->icmp_ok = sqlite3_column_int(st, 38);
    d->first_ok = sqlite3_column_int64(st, 39);
    d->last_reason_param = ww_db_text(st, 40);
    d->os_name = ww_db_text(st, 41);
    d->in_service_date = ww_db_text(st, 42);
    d->warranty_end = ww_db_text(st, 43);
    d->funding_source = ww_db_text(st, 44);
    d->lifespan_years = sqlite3_column_int64(st, 45);
    d->status = ww_db_text(st, 46);
    d->criticality = ww_db_text(st, 47);
    d->assigned_to = ww_db_text(st, 48);
    d->notes = ww_db_text(st, 49);
    d->unit_id = sqlite3_column_int64(st, 50);
    d->location_id = sqlite3_column_int64(st, 51);
    d->unit_name = ww_db_text(st, 52);
    d->location_name = ww_db_text(st, 53);
    d->assigned_staff_id = sqlite3_column_int64(st, 54);
}

int inv_device_exists(struct ww_db *db, long long id)
{
    long long one;
    return inv_int_row(db, "SELECT 1 FROM device WHERE id=?1", id, &one);
}

int inv_device_set_parent(struct ww_db *db, long long id, long long parent_id)
{
    sqlite3_stmt *st = NULL;
    long long cur = parent_id;
    int ret = -EIO, depth = 0;

    if (parent_id == id)
        return inv_refuse(-EINVAL, "parent_id", "own_parent", NULL);
    /* walk up from the new parent: meeting @id again would close a loop */
    st = ww_db_prepare(db, "SELECT coalesce(parent_id, 0) FROM device WHERE id=?1");
    if (!st)
        return -EIO;
    while (cur > 0) {
        int rc;
        if (++depth > INV_PARENT_DEPTH_MAX) {
            ret = inv_refuse(-EINVAL, "parent_id", "too_deep", "%d", INV_PARENT_DEPTH_MAX);
            goto out;
        }
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, cur);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            ret = inv_refuse(-EINVAL, "parent_id", "no_such", "%lld", cur);
            goto out;
        }
        if (rc != SQLITE_ROW)
            goto out;
        cur = sqlite3_column_int64(st, 0);
        if (cur == id) {
            ret = inv_refuse(-EINVAL, "parent_id", "parent_loop", "%lld", parent_id);
            goto out;
        }
    }
    sqlite3_finalize(st);
    st = ww_db_prepare(db, "UPDATE device SET parent_id=?2, updated_at=unixepoch() WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (parent_id > 0)
        sqlite3_bind_int64(st, 2, parent_id);
    ret = inv_changed(db, inv_step(db, st, "parent_id"));
out:
    sqlite3_finalize(st);
    return ret;
}

int inv_device_get(struct ww_db *db, long long id, struct inv_device *out_dev)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT " DEVICE_COLS " WHERE d.id=?1");
    int ret, rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        device_from_row(st, out_dev);
        ret = 0;
    } else if (rc == SQLITE_DONE) {
        ret = -ENOENT;
    } else {
        ret = ww_error(-EIO, "inventory: get device %lld: %s", id, sqlite3_errmsg(db->sql));
    }
    sqlite3_finalize(st);
    return ret;
}

int inv_device_mark_maintenance(struct ww_db *db, struct inv_device *devs, size_t n, time_t now)
{
    long long *ids = ww_calloc(n ? n : 1, sizeof(*ids));
    bool *in = ww_calloc(n ? n : 1, sizeof(*in));
    int ret;

    for (size_t i = 0; i < n; i++)
        ids[i] = devs[i].id;
    ret = inv_maintenance_covers_set(db, ids, n, now, in);
    for (size_t i = 0; i < n; i++)
        devs[i].in_maintenance = ret == 0 && in[i];
    free(ids);
    free(in);
    return ret;
}

int inv_device_changes(struct ww_db *db, long long *out_n)
{
    sqlite3_stmt *st = ww_db_stmt(db, "SELECT n FROM change_count WHERE name = 'device'");
    int rc;

    *out_n = -1;
    if (!st)
        return -EIO;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st); /* cached */
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int inv_device_list(struct ww_db *db, bool enabled_only, long long limit, long long offset,
                    struct inv_device_list *out_list)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int ret = -EIO, rc;

    memset(out_list, 0, sizeof(*out_list));
    st = ww_db_prepare(db, "SELECT count(*) FROM device WHERE ?1 = 0 OR enabled = 1");
    if (!st)
        return -EIO;
    sqlite3_bind_int(st, 1, enabled_only);
    if (sqlite3_step(st) == SQLITE_ROW)
        out_list->total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    /* the page's ids first (index device_name: no sort, the offset skipped in the index),
     * then the row of each of those only: the subqueries run for the page, not for every
     * device before the sort */
    st = ww_db_prepare(db, "SELECT " DEVICE_FIELDS " FROM (SELECT id FROM device"
                           " WHERE ?1 = 0 OR enabled = 1 ORDER BY name, id LIMIT ?2 OFFSET ?3)"
                           " pg JOIN device d ON d.id = pg.id"
                           " LEFT JOIN device_status s ON s.device_id = d.id"
                           " ORDER BY d.name, d.id");
    if (!st)
        return -EIO;
    sqlite3_bind_int(st, 1, enabled_only);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset < 0 ? 0 : offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out_list->n == cap) {
            cap = cap ? cap * 2 : 16;
            out_list->items = ww_reallocarray(out_list->items, cap, sizeof(*out_list->items));
        }
        device_from_row(st, &out_list->items[out_list->n++]);
    }
    if (rc != SQLITE_DONE) {
        ww_error(-EIO, "inventory: list devices: %s", sqlite3_errmsg(db->sql));
        inv_device_list_release(out_list);
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    return ret;
}

void inv_device_list_release(struct inv_device_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        inv_device_release(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

int inv_fact_set(struct ww_db *db, long long device_id, const char *name, const char *value,
                 time_t now)
{
    sqlite3_stmt *st = ww_db_stmt(
        db, "INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)"
            " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (device_id, name) DO UPDATE SET"
            " value = excluded.value, last_seen = excluded.last_seen"
            " WHERE value IS NOT excluded.value"
            " OR last_seen <= excluded.last_seen - " WW_STR(INV_FACT_SEEN_EVERY));
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 3, value);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
    ret = inv_step(db, st, "record");
    sqlite3_reset(st); /* cached: ww_db_close() finalizes it */
    return ret;
}

int inv_fact_list(struct ww_db *db, long long device_id, struct inv_fact **out_items,
                  size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT name, value, first_seen, last_seen"
                                         " FROM device_fact WHERE device_id=?1 ORDER BY name");
    struct inv_fact *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        items[n].name = ww_db_text(st, 0);
        items[n].value = ww_db_text(st, 1);
        items[n].first_seen = sqlite3_column_int64(st, 2);
        items[n++].last_seen = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_fact_list_free(items, n);
        return ww_error(-EIO, "inventory: facts of device %lld: %s", device_id,
                        sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_fact_list_free(struct inv_fact *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].name);
        free(items[i].value);
    }
    free(items);
}

int inv_fact_get(struct ww_db *db, long long device_id, const char *name, char **out_value)
{
    sqlite3_stmt *st =
        ww_db_prepare(db, "SELECT value FROM device_fact WHERE device_id=?1 AND name=?2");
    int rc;

    *out_value = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_value = ww_db_text(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}
