/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * account.c - users, sessions, login failures and the append-only audit log.
 * Passwords arrive here already hashed (argon2id, dashboard/auth.c); session tokens arrive
 * as the hex of their hash: nothing stored here lets anyone log in as someone else.
 */
#include "inventory/inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_roles[] = {"admin", "it", "manager", "hr", "viewer", NULL};

bool inv_role_valid(const char *role)
{
    for (size_t i = 0; role && inv_roles[i]; i++)
        if (strcmp(role, inv_roles[i]) == 0)
            return true;
    return false;
}

bool inv_login_valid(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n < 2 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
    }
    return true;
}

void inv_user_release(struct inv_user *u)
{
    free(u->login);
    free(u->full_name);
    free(u->role);
    free(u->lang);
    if (u->password_hash) {
        memset(u->password_hash, 0, strlen(u->password_hash));
        free(u->password_hash);
    }
    memset(u, 0, sizeof(*u));
}

int inv_user_add(struct ww_db *db, const char *login, const char *full_name, const char *role,
                 const char *password_hash, long long *out_id)
{
    sqlite3_stmt *st;
    int ret;

    if (!inv_login_valid(login))
        return inv_refuse(-EINVAL, "login", "not_login", NULL);
    if (!inv_role_valid(role))
        return inv_refuse(-EINVAL, "role", "not_one_of", NULL);
    if ((ret = inv_check_text("full_name", full_name, INV_NAME_MAX, false)) < 0)
        return ret;
    if (!password_hash || !*password_hash)
        return inv_refuse(-EINVAL, "password", "required", NULL);
    st = ww_db_prepare(db, "INSERT INTO user (login, full_name, role, password_hash,"
                           " password_changed_at) VALUES (?1, ?2, ?3, ?4, unixepoch())");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
    if (full_name && *full_name)
        sqlite3_bind_text(st, 2, full_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, password_hash, -1, SQLITE_TRANSIENT);
    ret = inv_step_final(db, st, "login");
    if (ret == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

#define USER_COLS                                                                              \
    "id, login, full_name, role, lang, password_hash, enabled, created_at,"                    \
    " coalesce(password_changed_at, 0), coalesce(last_login_at, 0) FROM user"

static void user_from_row(sqlite3_stmt *st, struct inv_user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(st, 0);
    u->login = ww_db_text(st, 1);
    u->full_name = ww_db_text(st, 2);
    u->role = ww_db_text(st, 3);
    u->lang = ww_db_text(st, 4);
    u->password_hash = ww_db_text(st, 5);
    u->enabled = sqlite3_column_int(st, 6) != 0;
    u->created_at = sqlite3_column_int64(st, 7);
    u->password_changed_at = sqlite3_column_int64(st, 8);
    u->last_login_at = sqlite3_column_int64(st, 9);
}

static int user_get(struct ww_db *db, const char *where, long long id, const char *login,
                    struct inv_user *out_user)
{
    char sql[256];
    sqlite3_stmt *st;
    int rc;

    snprintf(sql, sizeof(sql), "SELECT " USER_COLS " WHERE %s", where);
    st = ww_db_prepare(db, sql);
    if (!st)
        return -EIO;
    if (login)
        sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        user_from_row(st, out_user);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_user_get_login(struct ww_db *db, const char *login, struct inv_user *out_user)
{
    return user_get(db, "login = ?1", 0, login ? login : "", out_user);
}

int inv_user_get(struct ww_db *db, long long id, struct inv_user *out_user)
{
    return user_get(db, "id = ?1", id, NULL, out_user);
}

/* one text column of one user; @sql is a fixed "UPDATE user SET col=?2 ... WHERE id=?1" */
static int user_set_text(struct ww_db *db, long long id, const char *sql, const char *value,
                         const char *field)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (value && *value)
        sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    return inv_changed(db, inv_step_final(db, st, field));
}

#define SET_PASSWORD_SQL                                                                       \
    "UPDATE user SET password_hash=?2, password_changed_at=unixepoch() WHERE id=?1"

int inv_user_set_password(struct ww_db *db, long long id, const char *password_hash)
{
    int ret = user_set_text(db, id, SET_PASSWORD_SQL, password_hash, "password");
    return ret < 0 ? ret : inv_session_delete_user(db, id);
}

int inv_user_change_own_password(struct ww_db *db, long long id, const char *password_hash,
                                 const char *keep_token_hash)
{
    sqlite3_stmt *st;
    int ret = user_set_text(db, id, SET_PASSWORD_SQL, password_hash, "password");
    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "DELETE FROM session WHERE user_id=?1 AND token_hash<>?2");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, keep_token_hash, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

int inv_user_set_enabled(struct ww_db *db, long long id, bool enabled)
{
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE user SET enabled=?2 WHERE id=?1");
    int ret;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, enabled);
    ret = inv_changed(db, inv_step_final(db, st, "record"));
    if (ret == 0 && !enabled)
        ret = inv_session_delete_user(db, id);
    return ret;
}

int inv_user_set_role(struct ww_db *db, long long id, const char *role)
{
    if (!inv_role_valid(role))
        return inv_refuse(-EINVAL, "role", "not_one_of", NULL);
    return user_set_text(db, id, "UPDATE user SET role=?2 WHERE id=?1", role, "role");
}

int inv_user_set_lang(struct ww_db *db, long long id, const char *lang)
{
    if (!lang || (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0))
        return inv_refuse(-EINVAL, "lang", "not_one_of", "vi, en");
    return user_set_text(db, id, "UPDATE user SET lang=?2 WHERE id=?1", lang, "lang");
}

int inv_user_set_full_name(struct ww_db *db, long long id, const char *full_name)
{
    int ret = inv_check_text("full_name", full_name, INV_NAME_MAX, false);
    if (ret < 0)
        return ret;
    return user_set_text(db, id, "UPDATE user SET full_name=?2 WHERE id=?1", full_name,
                         "full_name");
}

int inv_user_admin_remains(struct ww_db *db)
{
    long long admins = 0;
    int ret = inv_user_count_admins(db, &admins);

    if (ret == 0 && admins == 0)
        ret = inv_refuse(-EINVAL, "role", "last_admin", NULL);
    return ret;
}

int inv_user_touch_login(struct ww_db *db, long long id, time_t now)
{
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE user SET last_login_at=?2 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
    return inv_step_final(db, st, "record");
}

int inv_user_list(struct ww_db *db, struct inv_user **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT " USER_COLS " ORDER BY login");
    struct inv_user *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        user_from_row(st, &items[n++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_user_list_free(items, n);
        return -EIO;
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_user_list_free(struct inv_user *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_user_release(&items[i]);
    free(items);
}

int inv_user_count_admins(struct ww_db *db, long long *out_n)
{
    sqlite3_stmt *st =
        ww_db_prepare(db, "SELECT count(*) FROM user WHERE role='admin' AND enabled=1");
    int rc;
    if (!st)
        return -EIO;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int inv_session_create(struct ww_db *db, const char *token_hash, long long user_id,
                       const char *csrf_token, time_t now, const char *remote_addr)
{
    sqlite3_stmt *st = ww_db_prepare(db, "INSERT INTO session (token_hash, user_id, csrf_token,"
                                         " created_at, last_seen, remote_addr)"
                                         " VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, csrf_token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
    if (remote_addr)
        sqlite3_bind_text(st, 5, remote_addr, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

int inv_session_lookup(struct ww_db *db, const char *token_hash, time_t now, long long idle_s,
                       long long absolute_s, struct inv_session *out_session)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen, u.enabled"
            " FROM session s JOIN user u ON u.id = s.user_id WHERE s.token_hash = ?1");
    long long created, last;
    bool enabled;
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? -ENOENT : -EIO;
    }
    memset(out_session, 0, sizeof(*out_session));
    out_session->user_id = sqlite3_column_int64(st, 0);
    ww_strlcpy(out_session->csrf_token, (const char *)sqlite3_column_text(st, 1),
               sizeof(out_session->csrf_token));
    created = sqlite3_column_int64(st, 2);
    last = sqlite3_column_int64(st, 3);
    enabled = sqlite3_column_int(st, 4) != 0;
    sqlite3_finalize(st);
    out_session->created_at = created;
    out_session->last_seen = last;
    if (!enabled || now - last > idle_s || now - created > absolute_s) {
        inv_session_delete(db, token_hash);
        return -ENOENT;
    }
    /* refresh at most once a minute: a busy page should not write on every request */
    if (now - last >= 60) {
        st = ww_db_prepare(db, "UPDATE session SET last_seen=?2 WHERE token_hash=?1");
        if (!st)
            return -EIO;
        sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
        /* a refresh that cannot be written (the database busy or full) leaves the session
         * as valid as it was: the next request tries again */
        if (inv_step_final(db, st, "record") < 0)
            ww_log(WW_LOG_WARN, "inventory: session: last use not recorded");
    }
    return 0;
}

int inv_session_delete(struct ww_db *db, const char *token_hash)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM session WHERE token_hash=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

int inv_session_delete_user(struct ww_db *db, long long user_id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM session WHERE user_id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, user_id);
    return inv_step_final(db, st, "record");
}

int inv_session_trim(struct ww_db *db, long long user_id, long long keep, long long *out_ended)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "DELETE FROM session WHERE user_id=?1 AND token_hash IN (SELECT token_hash"
            " FROM session WHERE user_id=?1 ORDER BY created_at DESC, rowid DESC"
            " LIMIT -1 OFFSET ?2)");
    int ret;
    if (out_ended)
        *out_ended = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, keep < 0 ? 0 : keep);
    ret = inv_step(db, st, "record");
    sqlite3_finalize(st);
    if (ret == 0 && out_ended)
        *out_ended = sqlite3_changes(db->sql);
    return ret;
}

int inv_session_count(struct ww_db *db, long long user_id, long long *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT count(*) FROM session WHERE user_id=?1");
    int rc;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, user_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int inv_auth_failure_add(struct ww_db *db, const char *login, const char *addr, time_t at,
                         long long *out_id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "INSERT INTO auth_failure (login, addr, at, pair)"
                                         " VALUES (lower(?1), ?2, ?3, 1)");
    int ret;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, login ? login : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, addr ? addr : "?", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
    ret = inv_step(db, st, "record");
    sqlite3_finalize(st);
    if (ret == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

int inv_auth_failure_forget(struct ww_db *db, long long id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM auth_failure WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return inv_step_final(db, st, "record");
}

int inv_auth_nth_failure(struct ww_db *db, const char *login, const char *addr, time_t since,
                         long long n, long long *out_at)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, login ? "SELECT at FROM auth_failure WHERE login=lower(?1) AND addr=?2 AND pair=1"
                    " AND at>?3 ORDER BY at DESC LIMIT 1 OFFSET ?4"
                  : "SELECT at FROM auth_failure WHERE addr=?2 AND at>?3"
                    " ORDER BY at DESC LIMIT 1 OFFSET ?4");
    int rc;
    *out_at = 0;
    if (!st)
        return -EIO;
    if (login)
        sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, addr ? addr : "?", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
    sqlite3_bind_int64(st, 4, n > 0 ? n - 1 : 0);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_at = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_auth_pair_clear(struct ww_db *db, const char *login, const char *addr)
{
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE auth_failure SET pair=0 WHERE pair=1"
                                         " AND login=lower(?1) AND (?2 IS NULL OR addr=?2)");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, login ? login : "", -1, SQLITE_TRANSIENT);
    inv_bind_text(st, 2, addr);
    return inv_step_final(db, st, "record");
}

int inv_auth_prune(struct ww_db *db, time_t before)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM auth_failure WHERE at<?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)before);
    return inv_step_final(db, st, "record");
}

int inv_auth_locked(struct ww_db *db, const char *login, time_t since, long long n,
                    long long window_s, long long *out_addrs, long long *out_until)
{
    /* per address: the n-th newest pair failure after @since holds the lock until it is
     * @window_s old */
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT count(*), coalesce(max(until), 0) FROM (SELECT (SELECT f2.at FROM"
            " auth_failure f2 WHERE f2.login=f.login AND f2.addr=f.addr AND f2.pair=1"
            " AND f2.at>?2 ORDER BY f2.at DESC LIMIT 1 OFFSET ?3) + ?4 AS until"
            " FROM auth_failure f WHERE f.login=lower(?1) AND f.pair=1 AND f.at>?2"
            " GROUP BY f.addr HAVING count(*) >= ?5)");
    int rc;
    *out_addrs = 0;
    *out_until = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, login ? login : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
    sqlite3_bind_int64(st, 3, n > 0 ? n - 1 : 0);
    sqlite3_bind_int64(st, 4, window_s);
    sqlite3_bind_int64(st, 5, n > 0 ? n : 1);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out_addrs = sqlite3_column_int64(st, 0);
        *out_until = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int inv_user_lock_snapshot(struct ww_db *db, const char *login, char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT json_object('login', u.login, 'failures', (SELECT count(*) FROM"
            " auth_failure f WHERE f.login=lower(u.login) AND f.pair=1))"
            " FROM user u WHERE u.login=?1");
    int rc;
    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_json = ww_db_text(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int inv_audit_add(struct ww_db *db, const struct inv_actor *who, const char *action,
                  const char *object_type, const char *object_id, const char *before_json,
                  const char *after_json)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "INSERT INTO audit_log (at, actor_user_id, actor, source, remote_addr, action,"
            " object_type, object_id, before_json, after_json)"
            " VALUES (unixepoch(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return -EIO;
    if (who->user_id > 0)
        sqlite3_bind_int64(st, 1, who->user_id);
    sqlite3_bind_text(st, 2, who->name ? who->name : "?", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, who->source ? who->source : "system", -1, SQLITE_TRANSIENT);
    if (who->remote_addr)
        sqlite3_bind_text(st, 4, who->remote_addr, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, action, -1, SQLITE_TRANSIENT);
    if (object_type)
        sqlite3_bind_text(st, 6, object_type, -1, SQLITE_TRANSIENT);
    if (object_id)
        sqlite3_bind_text(st, 7, object_id, -1, SQLITE_TRANSIENT);
    if (before_json)
        sqlite3_bind_text(st, 8, before_json, -1, SQLITE_TRANSIENT);
    if (after_json)
        sqlite3_bind_text(st, 9, after_json, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

int inv_device_snapshot(struct ww_db *db, long long id, char **out_json)
{
    /* SQLite builds the JSON: every value escaped by json_object, the secret never copied */
    return inv_json_row(db,
                    "SELECT json_object('id', id, 'name', name, 'kind', kind, 'host', host,"
                    " 'snmp_port', snmp_port, 'snmp_version', snmp_version, 'snmp_community',"
                    " CASE WHEN snmp_community IS NULL THEN 'unset' ELSE 'set' END,"
                    " 'v3_user', v3_user, 'v3_level', v3_level, 'v3_auth_proto', v3_auth_proto,"
                    " 'v3_auth_key', CASE WHEN v3_auth_key IS NULL THEN 'unset' ELSE 'set' END,"
                    " 'v3_priv_proto', v3_priv_proto,"
                    " 'v3_priv_key', CASE WHEN v3_priv_key IS NULL THEN 'unset' ELSE 'set' END,"
                    " 'vendor', vendor, 'model', model, 'serial', serial, 'asset_tag', asset_tag,"
                    " 'purchase_date', purchase_date, 'cost_vnd', cost_vnd,"
                    " 'in_service_date', in_service_date, 'warranty_end', warranty_end,"
                    " 'funding_source', funding_source, 'lifespan_years', lifespan_years,"
                    " 'status', status, 'criticality', criticality,"
                    " 'assigned_to', assigned_to, 'assigned_staff_id', assigned_staff_id,"
                    " 'notes', notes,"
                    " 'parent_id', parent_id, 'unit_id', unit_id, 'location_id', location_id,"
                    " 'enabled', json(CASE WHEN enabled THEN 'true' ELSE 'false' END))"
                    " FROM device WHERE id=?1",
                    id, out_json);
}

int inv_user_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                    "SELECT json_object('id', id, 'login', login, 'full_name', full_name,"
                    " 'role', role, 'lang', lang,"
                    " 'enabled', json(CASE WHEN enabled THEN 'true' ELSE 'false' END))"
                    " FROM user WHERE id=?1",
                    id, out_json);
}

int inv_audit_list(struct ww_db *db, const struct inv_audit_filter *f, long long limit,
                   long long offset, struct inv_audit **out_items, size_t *out_n,
                   long long *out_total)
{
    static const char where[] =
        " FROM audit_log WHERE (?1 IS NULL OR actor = ?1)"
        " AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2)"
        " AND (?3 IS NULL OR object_type = ?3) AND (?4 = 0 OR at >= ?4)"
        " AND (?5 = 0 OR at <= ?5)";
    struct inv_audit *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int rc;

    *out_total = 0;
    for (int pass = 0; pass < 2; pass++) {
        char sql[768];
        snprintf(sql, sizeof(sql), "%s%s%s",
                 pass == 0 ? "SELECT count(*)"
                           : "SELECT id, at, coalesce(actor_user_id, 0), actor, source,"
                             " remote_addr, action, object_type, object_id, before_json,"
                             " after_json",
                 where, pass == 0 ? "" : " ORDER BY id DESC LIMIT ?6 OFFSET ?7");
        st = ww_db_prepare(db, sql);
        if (!st) {
            inv_audit_list_free(items, n);
            return -EIO;
        }
        if (f->actor)
            sqlite3_bind_text(st, 1, f->actor, -1, SQLITE_TRANSIENT);
        if (f->action)
            sqlite3_bind_text(st, 2, f->action, -1, SQLITE_TRANSIENT);
        if (f->object_type)
            sqlite3_bind_text(st, 3, f->object_type, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, f->from);
        sqlite3_bind_int64(st, 5, f->to);
        if (pass == 0) {
            if (sqlite3_step(st) == SQLITE_ROW)
                *out_total = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
            continue;
        }
        sqlite3_bind_int64(st, 6, limit);
        sqlite3_bind_int64(st, 7, offset < 0 ? 0 : offset);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            struct inv_audit *a;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                items = ww_reallocarray(items, cap, sizeof(*items));
            }
            a = &items[n++];
            a->id = sqlite3_column_int64(st, 0);
            a->at = sqlite3_column_int64(st, 1);
            a->actor_user_id = sqlite3_column_int64(st, 2);
            a->actor = ww_db_text(st, 3);
            a->source = ww_db_text(st, 4);
            a->remote_addr = ww_db_text(st, 5);
            a->action = ww_db_text(st, 6);
            a->object_type = ww_db_text(st, 7);
            a->object_id = ww_db_text(st, 8);
            a->before_json = ww_db_text(st, 9);
            a->after_json = ww_db_text(st, 10);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            inv_audit_list_free(items, n);
            return -EIO;
        }
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_audit_list_free(struct inv_audit *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].actor);
        free(items[i].source);
        free(items[i].remote_addr);
        free(items[i].action);
        free(items[i].object_type);
        free(items[i].object_id);
        free(items[i].before_json);
        free(items[i].after_json);
    }
    free(items);
}
