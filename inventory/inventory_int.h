/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * inventory_int.h - what every file of inventory/ shares and nothing outside may use: the
 * SQLite face of struct ww_db, one set of statement helpers (each with one behaviour, named
 * for it), and inv_refuse(), the one way a validation says no.
 *
 * Threads: as inventory.h - a struct ww_db is used by one thread at a time; the refusal
 * record is per thread.
 */
#ifndef WW_INVENTORY_INT_H
#define WW_INVENTORY_INT_H

#include "common/db_int.h"
#include "inventory/inventory.h"

/* INV_TODAY_SQL - the office's day in SQL: SQLite's 'localtime' reads the process's zone,
 * which ww_office_use_zone() made the office's (as ww_office_today() in C). Every process
 * that changes the inventory sets the zone at start: the dashboard, the collector, the CLI. */
#define INV_TODAY_SQL "date('now', 'localtime')"

/*
 * inv_refuse() - a refused change: records @field and @reason (codes from inv_fields[] and
 * inv_refusal_reasons[]) and the parameter text (printf @param_fmt, may be NULL) as the
 * calling thread's refusal (inv_refusal_last()), logs it at debug level (a typo is not an
 * error of the program) and returns @ret (-EINVAL, or -EEXIST for a duplicate).
 */
int inv_refuse(int ret, const char *field, const char *reason, const char *param_fmt, ...)
    WW_PRINTF(4, 5);

/* inv_check_text() - text people type: valid UTF-8 without control characters, at most @max
 * bytes; empty (or NULL) is refused ("required") only when @required. 0 or inv_refuse(). */
int inv_check_text(const char *field, const char *s, size_t max, bool required);
/* inv_check_date() - a calendar day as YYYY-MM-DD (1970..2200), or NULL/empty; 0 or
 * inv_refuse(@field, "not_date") (device.c) */
int inv_check_date(const char *field, const char *s);

/* inv_check_host() - a host name or address as a device's host may be (letters, digits,
 * . - : _, not starting with -, 1..INV_HOST_MAX): 0, or -EINVAL refused on @field */
int inv_check_host(const char *field, const char *host);
/* inv_check_url() - an http:// or https:// URL of printable ASCII with a host and no
 * user:password@ part: 0, or -EINVAL refused on @field (not_url, url_credentials) */
int inv_check_url(const char *field, const char *url);
/* inv_check_event() - check @check_id (@name) of device @device_id went down (a
 * 'check_down' event opens, reason "check_down", params name, check, why: @reason) or came
 * back (its open 'check_down' closes and a 'check_up' is recorded), at @at; status.c, the
 * owner of events. 0 or -EIO. */
int inv_check_event(struct ww_db *db, long long device_id, long long check_id, const char *name,
                    bool down, long long at, const char *reason);
/* inv_device_validate() - every check of what people type into a device, without the
 * database (device.c): the one validation of add, update and the CSV import. 0 or a
 * refusal. */
int inv_device_validate(const struct inv_device *d);
/* inv_device_insert() - inv_device_add() without its name and asset tag look-ups (host and
 * port stay unique by the index): for a caller that checked both against the database in
 * the same transaction (import.c, where a look-up per row would make 50,000 rows take
 * 50,000 scans). */
int inv_device_insert(struct ww_db *db, const struct inv_device *d, long long *out_id);

/* inv_skill_level_check() - skill @skill_id exists (else "skill_id" no_such) and has level
 * @level (else "level" out_of_range) (staff.c) */
int inv_skill_level_check(struct ww_db *db, long long skill_id, int level);

/* inv_ready_fact_put() - one stored fact of a device into @in, read as readiness reads it
 * (readiness.c: cpu_count, ram_bytes and disks parsed; os and cpu_model borrowed, so @value
 * must outlive @in); other names are ignored. For a caller that reads many devices' facts in
 * one query (report.c); inv_ready_facts() reads one device's with it. */
void inv_ready_fact_put(struct inv_ready_input *in, const char *name, const char *value);
/* inv_device_place() - device @device_id's unit and location become @unit_id and
 * @location_id (0 = none), called inside the device change (change.c): a new unit is
 * checked (no_such, unit_merged) and gets its device_unit row from today by @actor; a new
 * location must exist. 0, a refusal, -EIO. (unit.c) */
int inv_device_place(struct ww_db *db, long long device_id, long long unit_id,
                     long long location_id, const char *actor);
/* inv_unit_validate() / inv_unit_insert() - a unit's checks without the database, and its
 * insert after them without the code and parent look-ups (unit.c, for the CSV import, which
 * checks those for the whole file at once) */
int inv_unit_validate(const struct inv_unit *u);
int inv_unit_insert(struct ww_db *db, const struct inv_unit *u, long long *out_id);

/* ---- the CSV reader every import shares (import.c) ------------------------------------
 * RFC 4180 (BOM, quotes, CRLF), bounded by INV_IMPORT_FILE_MAX, INV_IMPORT_ROWS_MAX and
 * INV_IMPORT_CELL_MAX (an over-long cell is kept as "\x01", refused by inv_csv_cells_ok()).
 * Row numbers are those a spreadsheet shows (the header is 1; empty lines count). */
struct inv_csv_row {
    long long line;  /* the row number a spreadsheet shows */
    size_t first, n; /* its cells in inv_csv.cells */
    bool bad;        /* refused (the caller's mark) */
};
struct inv_csv {
    char **cells;
    size_t n_cells, cap_cells;
    struct inv_csv_row *rows; /* rows[0] is the header */
    size_t n_rows, cap_rows;
};
/* what a file must look like: its columns (NULL-terminated, at most 32), the read-only ones
 * skipped, a bit per required column, the words a header may use ("csv.<column>"), and the
 * refusal field of each column (NULL: the columns' own names; a units file's "name" is the
 * field "unit_name", so that its words are a unit's) */
struct inv_csv_format {
    const char *const *columns;
    const char *const *ignored;
    unsigned required;
    const struct ww_i18n *words; /* may be NULL */
    const char *const *fields;   /* NULL, or one per column */
};
/* inv_csv_read() - @data (@len bytes) into @c (release with inv_csv_release() in any case)
 * and the file column of each of @f's columns into @col_of (-1 absent). -EINVAL with
 * r->file_refused and the error (size, quoting, header) in @r, or 0. */
int inv_csv_read(const char *data, size_t len, const struct inv_csv_format *f, struct inv_csv *c,
                 int *col_of, struct inv_import_result *r);
void inv_csv_release(struct inv_csv *c);
/* inv_csv_blank() - an empty line (skipped, but counted in the row numbers) */
bool inv_csv_blank(const struct inv_csv *c, const struct inv_csv_row *w);
/* inv_csv_cell() - the cell of column @k in row @w, NULL when absent or empty */
const char *inv_csv_cell(const struct inv_csv *c, const struct inv_csv_row *w, const int *col_of,
                         int k);
/* inv_csv_cells_ok() - every cell of @w on its own: too long, not UTF-8, a spreadsheet
 * formula (ww_formula_cell: never stored), more cells than the header; errors into @r */
bool inv_csv_cells_ok(const struct inv_csv *c, const struct inv_csv_row *w,
                      const struct inv_csv_format *f, const int *col_of,
                      struct inv_import_result *r);
/* inv_import_error() - one refusal of the file (row 0) or of a row's cell (column 0: the
 * row); past INV_IMPORT_ERRORS_MAX only counted */
void inv_import_error(struct inv_import_result *r, long long row, int column, const char *field,
                      const char *reason, const char *param);
/* inv_import_refusal() - the calling thread's last refusal (inv_refusal_last) as row @w's
 * error, in the column its field names; returns -EINVAL */
int inv_import_refusal(struct inv_import_result *r, const struct inv_csv_row *w,
                       const struct inv_csv_format *f, const int *col_of);
/* inv_import_errors_sort() - by row, then column */
void inv_import_errors_sort(struct inv_import_result *r);
/* inv_import_start() - how every import begins: *out and *c cleared, the actor checked
 * unless a dry run (-EPERM: nothing else done), the file read with @format (its words from
 * @o; -EINVAL: refused, in *out), then (not a dry run) the write transaction begun, so the
 * checks against the database see what the write will (*out_in_tx). 0, -EPERM, -EINVAL, -EIO.
 * inv_import_judge() - count the valid rows: 0 when all are, or @o->only_valid and some are;
 * else -EINVAL. inv_import_end() - commit when @ret is 0, else roll back (written, added, updated 0); the
 * errors sorted; returns the outcome. */
int inv_import_start(struct ww_db *db, const char *data, size_t len,
                     const struct inv_import_opts *o, const struct inv_csv_format *format,
                     struct inv_csv *c, int *col_of, struct inv_import_result *out,
                     bool *out_in_tx);
int inv_import_judge(const struct inv_csv *c, const struct inv_import_opts *o,
                     struct inv_import_result *out);
int inv_import_end(struct ww_db *db, int ret, bool in_tx, struct inv_import_result *out);
/* inv_import_snapshot() - the audit snapshot of an import (object type "import"): @key is the
 * counts' JSON the import wrote, never a row's data (staffimport.c) */
int inv_import_snapshot(struct ww_db *db, const char *key, char **out_json);

/* ---- statement helpers ---------------------------------------------------------------- */

/* inv_bind_text() - NULL binds NULL, any other text (also "") as it is */
void inv_bind_text(sqlite3_stmt *st, int i, const char *s);
/* inv_bind_typed() - for optional fields people type: NULL and "" both bind NULL */
void inv_bind_typed(sqlite3_stmt *st, int i, const char *s);
/* inv_bind_id() - an id > 0, else NULL (no such reference) */
void inv_bind_id(sqlite3_stmt *st, int i, long long id);
/* inv_bind_real() - NAN binds NULL (unknown) */
void inv_bind_real(sqlite3_stmt *st, int i, double v);
/* inv_col_real() - NULL reads as NAN */
double inv_col_real(sqlite3_stmt *st, int col);
/* inv_col_time() - NULL reads as 0 */
long long inv_col_time(sqlite3_stmt *st, int col);

/*
 * inv_step() - step a statement that changes rows, and leave it to its owner (it is NOT
 * finalized: a ww_db_stmt() statement, or one the caller finalizes). A UNIQUE or PRIMARY
 * KEY violation is refused as -EEXIST (reason "exists", field @field), another constraint
 * as -EINVAL (reason "constraint"); anything else is -EIO, logged naming @field.
 */
int inv_step(struct ww_db *db, sqlite3_stmt *st, const char *field);
/* inv_step_final() - inv_step() on a ww_db_prepare() statement, then finalize it */
int inv_step_final(struct ww_db *db, sqlite3_stmt *st, const char *field);
/* inv_changed() - -ENOENT when @ret is 0 but the last statement changed no row */
int inv_changed(struct ww_db *db, int ret);
/* inv_step_written() - inv_step_final() of the INSERT (@add: ch->id becomes the new row's
 * id) or the UPDATE (-ENOENT when it changed no row) of the record of change @ch (staff.c) */
int inv_step_written(struct ww_db *db, sqlite3_stmt *st, struct inv_change *ch, bool add,
                     const char *field);
/* inv_int_row() - the one integer column of the row of id @id (@sql a string literal with
 * ?1, cached): 0, -ENOENT when there is no such row, -EIO */
int inv_int_row(struct ww_db *db, const char *sql, long long id, long long *out_value);
/* inv_delete_row() - run @sql (a DELETE with ?1) for id @id: 0, -ENOENT when no row went,
 * or inv_step()'s refusal/-EIO (field "record") */
int inv_delete_row(struct ww_db *db, const char *sql, long long id);
/* inv_json_row() - the one text column of the row of id @id (a snapshot), NULL if none */
int inv_json_row(struct ww_db *db, const char *sql, long long id, char **out_json);

#endif
