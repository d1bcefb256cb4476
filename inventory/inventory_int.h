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
/* inv_json_row() - the one text column of the row of id @id (a snapshot), NULL if none */
int inv_json_row(struct ww_db *db, const char *sql, long long id, char **out_json);

#endif
