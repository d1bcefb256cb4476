/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * db.c - the SQLite handle: WAL, foreign keys, busy timeout, synchronous=FULL, and numbered
 * migrations, each applied in one transaction with its PRAGMA user_version bump.
 */
#include "common.h"
#include "db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "banned.h"

#define DB_BUSY_MS 5000

/* the name of SQLite's primary result code for the log: an operator looks "SQLITE_FULL" up
 * faster than a sentence, and tells a full disk from a lock or a damaged file at once */
static const char *rc_name(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_CONSTRAINT: return "SQLITE_CONSTRAINT";
    case SQLITE_NOTADB: return "SQLITE_NOTADB";
    default: return "SQLITE_ERROR";
    }
}

int ww_db_exec(struct ww_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int ret = ww_error(-EIO, "db '%s': %s (%s)", db->path,
                           msg ? msg : sqlite3_errmsg(db->sql), rc_name(rc));
        sqlite3_free(msg);
        return ret;
    }
    return 0;
}

int ww_db_user_version(struct ww_db *db, int *out_version)
{
    sqlite3_stmt *st = ww_db_prepare(db, "PRAGMA user_version");
    int ret = -EIO;

    if (!st)
        return -EIO;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out_version = sqlite3_column_int(st, 0);
        ret = 0;
    } else {
        ret = ww_error(-EIO, "db '%s': user_version: %s", db->path, sqlite3_errmsg(db->sql));
    }
    sqlite3_finalize(st);
    return ret;
}

int ww_db_open(const char *path, bool create, struct ww_db **out_db)
{
    struct ww_db *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int ret = -EIO, rc, version;

    if (!create && access(path, F_OK) < 0)
        return ww_error(-ENOENT, "db '%s': no such database (run 'wardwatch init')", path);
    if (create && access(path, F_OK) < 0) {
        /* it holds SNMP secrets and password hashes: readable by its owner only */
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    db = ww_calloc(1, sizeof(*db));
    db->path = ww_strdup(path);
    rc = sqlite3_open_v2(path, &db->sql, flags, NULL);
    if (rc != SQLITE_OK) {
        ret = ww_error(-EIO, "db '%s': cannot open: %s", path,
                       db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, DB_BUSY_MS);
    /* the first read tells a file that is not a database */
    rc = sqlite3_exec(db->sql, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ret = ww_error((rc & 0xff) == SQLITE_NOTADB ? -EINVAL : -EIO,
                       "db '%s': not a usable SQLite database: %s", path,
                       sqlite3_errmsg(db->sql));
        goto out;
    }
    if (ww_db_exec(db, "PRAGMA journal_mode=WAL") < 0 ||
        ww_db_exec(db, "PRAGMA foreign_keys=ON") < 0 ||
        ww_db_exec(db, "PRAGMA synchronous=FULL") < 0)
        goto out;
    if (ww_db_user_version(db, &version) < 0)
        goto out;
    *out_db = db;
    db = NULL;
    ret = 0;
out:
    ww_db_close(db);
    return ret;
}

void ww_db_close(struct ww_db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->n_stmts; i++)
        sqlite3_finalize(db->stmts[i].st);
    free(db->stmts);
    if (db->sql)
        sqlite3_close_v2(db->sql);
    free(db->path);
    free(db);
}

int ww_db_begin(struct ww_db *db)
{
    return ww_db_exec_stmt(db, "BEGIN IMMEDIATE"); /* cached: once per batch */
}

int ww_db_commit(struct ww_db *db)
{
    return ww_db_exec_stmt(db, "COMMIT");
}

void ww_db_rollback(struct ww_db *db)
{
    if (!sqlite3_get_autocommit(db->sql))
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

/* one name for every savepoint: SQLite's RELEASE and ROLLBACK TO act on the innermost
 * savepoint of that name, so nesting needs no distinct names */
int ww_db_savepoint(struct ww_db *db)
{
    return ww_db_exec_stmt(db, "SAVEPOINT ww");
}

int ww_db_release(struct ww_db *db)
{
    return ww_db_exec_stmt(db, "RELEASE ww");
}

void ww_db_undo(struct ww_db *db)
{
    if (ww_db_exec_stmt(db, "ROLLBACK TO ww") == 0)
        ww_db_exec_stmt(db, "RELEASE ww");
}

sqlite3_stmt *ww_db_prepare(struct ww_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
        ww_error(-EIO, "db '%s': prepare: %s", db->path, sqlite3_errmsg(db->sql));
        return NULL;
    }
    return st;
}

sqlite3_stmt *ww_db_stmt(struct ww_db *db, const char *sql)
{
    sqlite3_stmt *st;
    size_t i;

    for (i = 0; i < db->n_stmts; i++) {
        if (db->stmts[i].sql == sql) {
            sqlite3_reset(db->stmts[i].st);
            sqlite3_clear_bindings(db->stmts[i].st);
            return db->stmts[i].st;
        }
    }
    st = ww_db_prepare(db, sql);
    if (!st)
        return NULL;
    if (db->n_stmts == db->cap_stmts) {
        db->cap_stmts = db->cap_stmts ? db->cap_stmts * 2 : 16;
        db->stmts = ww_reallocarray(db->stmts, db->cap_stmts, sizeof(*db->stmts));
    }
    db->stmts[db->n_stmts].sql = sql;
    db->stmts[db->n_stmts++].st = st;
    return st;
}

int ww_db_exec_stmt(struct ww_db *db, const char *sql)
{
    sqlite3_stmt *st = ww_db_stmt(db, sql);
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "db '%s': %s (%s)", db->path,
                                            sqlite3_errmsg(db->sql), rc_name(rc));
}

char *ww_db_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? ww_strdup((const char *)t) : NULL;
}

/* rows that break a foreign key (after a table rebuild); -EIO when the check fails */
static int fk_violations(struct ww_db *db)
{
    sqlite3_stmt *st = ww_db_prepare(db, "PRAGMA foreign_key_check");
    int n = 0;
    if (!st)
        return -EIO;
    while (sqlite3_step(st) == SQLITE_ROW)
        n++;
    sqlite3_finalize(st);
    if (n)
        ww_error(-EIO, "db '%s': %d rows break a foreign key after the migration", db->path, n);
    return n;
}

int ww_db_migrate(struct ww_db *db, const struct ww_migration *steps, size_t n)
{
    int version, ret;
    char pragma[64];

    ret = ww_db_user_version(db, &version);
    if (ret < 0)
        return ret;
    if (n && version > steps[n - 1].version)
        return ww_error(-EPROTO,
                        "db '%s': schema version %d is newer than this program knows (%d): "
                        "upgrade wardwatch",
                        db->path, version, steps[n - 1].version);
    for (size_t i = 0; i < n; i++) {
        if (steps[i].version <= version)
            continue;
        if (steps[i].rebuilds && ww_db_exec(db, "PRAGMA foreign_keys=OFF") < 0)
            return -EIO;
        ret = ww_db_begin(db);
        if (ret < 0)
            return ret;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", steps[i].version);
        if (ww_db_exec(db, steps[i].sql) < 0 || ww_db_exec(db, pragma) < 0 ||
            (steps[i].rebuilds && fk_violations(db) != 0) || ww_db_commit(db) < 0) {
            ww_db_rollback(db);
            if (steps[i].rebuilds)
                ww_db_exec(db, "PRAGMA foreign_keys=ON");
            return ww_error(-EIO, "db '%s': migration %d failed; database left at version %d",
                            db->path, steps[i].version, version);
        }
        if (steps[i].rebuilds && ww_db_exec(db, "PRAGMA foreign_keys=ON") < 0)
            return -EIO;
        version = steps[i].version;
        ww_log(WW_LOG_INFO, "db '%s': migrated to schema version %d", db->path, version);
    }
    return 0;
}
