/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * db_int.h - the SQLite face of struct ww_db, for common/ and inventory/ only (and their unit
 * tests). Every other module sees struct ww_db as opaque and reaches the records through
 * inventory/inventory.h, so that SQL stays in one module (DESIGN: "Code against the database
 * through inventory/").
 *
 * Threads: a struct ww_db is used by one thread at a time (SQLite connections are not shared).
 */
#ifndef WW_DB_INT_H
#define WW_DB_INT_H

#include <sqlite3.h>

#include "common/common.h"

struct ww_db {
    sqlite3 *sql;
    char *path;
    /* ww_db_stmt()'s cache: keyed by the SQL text's address (string literals, so it is
     * bounded by the program's text), finalized in ww_db_close() */
    struct ww_db_cached {
        const char *sql;
        sqlite3_stmt *st;
    } *stmts;
    size_t n_stmts, cap_stmts;
};

/* ww_db_exec() - run SQL text (one or more statements, no parameters); 0 or -EIO (logged) */
int ww_db_exec(struct ww_db *db, const char *sql);
/* ww_db_prepare() - prepare or log the error; NULL on failure. The caller finalizes. */
sqlite3_stmt *ww_db_prepare(struct ww_db *db, const char *sql);
/*
 * ww_db_stmt() - a prepared statement for @sql, kept for the life of @db: the first call
 * prepares it, later calls with the same pointer (a string literal) get it back reset, with
 * its bindings cleared. The caller must not finalize it (ww_db_close() does) and should
 * sqlite3_reset() it when done with a row it did not step to the end, so that no read stays
 * open. @sql must be a string literal (or live as long as @db): only the pointer is kept.
 * For hot paths. NULL (logged) when the SQL does not prepare.
 */
sqlite3_stmt *ww_db_stmt(struct ww_db *db, const char *sql);
/* ww_db_exec_stmt() - run one statement (a string literal) through ww_db_stmt()'s cache:
 * ww_db_exec() for hot paths (SAVEPOINT/RELEASE per device). 0 or -EIO (logged). */
int ww_db_exec_stmt(struct ww_db *db, const char *sql);
/* ww_db_text() - column text as a heap copy (NULL for SQL NULL). */
char *ww_db_text(sqlite3_stmt *st, int col);

#endif
