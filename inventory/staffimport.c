/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staffimport.c - the CSV imports of staff lists and of training providers' attendance and
 * completion lists (issue 17 item 6), on the reader and the error shapes of import.c.
 *
 * DESIGN: as the device import, the whole file is read, checked and written in ONE write
 * transaction (inv_import_start), so the database is read where it is written. Everything
 * the rows are checked against (units, roles, people, courses, sessions, the existing
 * records) is read once into sorted keys, never looked up per row. The write is ONE audited
 * change (action "staff.import" / "training.import", object type "import", whose snapshot is
 * the counts: never a person's data) whose @apply writes each row through the owner's apply
 * function (staff.c's add/update, which keeps staff_history; training.c's append-only add,
 * which checks the record as the API's add does). A row refused there is reported with its
 * row and column and the change rolls back; a dry run, or a training file with rows still to
 * confirm, runs the same writes and rolls them back, so the first answer lists every error.
 *
 * Matching a training row to a person: by staff code (ww_name_key); else by name and unit,
 * names compared by ww_name_fold() (no diacritics, case, spacing, NFC/NFD). Such a row is
 * never written on the strength of a name: the answer lists it ("proposed", "ambiguous",
 * "none") with the file's SHA-256, and a second call with the confirmations (row -> staff
 * id) and that digest writes the file; another digest refuses it (the file changed).
 */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

/* ---- sorted keys ------------------------------------------------------------------------ */

struct skey {
    char *key;
    long long id;
    size_t idx;
};
struct skeys {
    struct skey *k;
    size_t n, cap;
};

static void skey_add(struct skeys *ks, char *key, long long id, size_t idx)
{
    if (ks->n == ks->cap) {
        ks->cap = ks->cap ? ks->cap * 2 : 256;
        ks->k = ww_reallocarray(ks->k, ks->cap, sizeof(*ks->k));
    }
    ks->k[ks->n++] = (struct skey){key, id, idx};
}

static int skey_cmp(const void *a, const void *b)
{
    const struct skey *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->id < y->id ? -1 : x->id > y->id;
}

static void skeys_sort(struct skeys *ks)
{
    if (ks->n > 1)
        qsort(ks->k, ks->n, sizeof(*ks->k), skey_cmp);
}

/* the first entry of @key and how many have it (0: none) */
static const struct skey *skey_find(const struct skeys *ks, const char *key, size_t *out_n)
{
    size_t lo = 0, hi = ks->n, n = 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ks->k[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo + n < ks->n && strcmp(ks->k[lo + n].key, key) == 0)
        n++;
    *out_n = n;
    return n ? &ks->k[lo] : NULL;
}

static void skeys_release(struct skeys *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        free(ks->k[i].key);
    free(ks->k);
    memset(ks, 0, sizeof(*ks));
}

static bool all_digits(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* ---- what the rows are checked against, read once ---------------------------------------- */

struct person {
    long long id, unit_id, role_id;
    bool active;
    char *code, *full_name, *unit_code;
};

struct refs {
    struct skeys unit_code, unit_name; /* ww_name_key(code), ww_name_fold(name) -> unit id */
    struct skeys role_code;            /* ww_name_key(code) -> role id */
    struct person *people;
    size_t n_people;
    struct skeys staff_code, staff_name; /* ww_name_key(code), ww_name_fold(name) -> idx */
    struct skeys course;  /* ww_name_fold(name) and "#id" -> course id */
    struct skeys session; /* "#id" -> course id (idx), "course|day" -> session id */
    struct skeys record;  /* "staff|course|day" of the existing records */
};

static void refs_release(struct refs *r)
{
    skeys_release(&r->unit_code);
    skeys_release(&r->unit_name);
    skeys_release(&r->role_code);
    for (size_t i = 0; i < r->n_people; i++) {
        free(r->people[i].code);
        free(r->people[i].full_name);
        free(r->people[i].unit_code);
    }
    free(r->people);
    skeys_release(&r->staff_code);
    skeys_release(&r->staff_name);
    skeys_release(&r->course);
    skeys_release(&r->session);
    skeys_release(&r->record);
    memset(r, 0, sizeof(*r));
}

static int read_done(struct ww_db *db, sqlite3_stmt *st, int rc, const char *what)
{
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0
                             : ww_error(-EIO, "inventory: import: %s: %s", what,
                                        sqlite3_errmsg(db->sql));
}

static int load_units_roles(struct ww_db *db, struct refs *r)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, code, name FROM org_unit");
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (code && *code)
            skey_add(&r->unit_code, ww_name_key(code), id, 0);
        skey_add(&r->unit_name, ww_name_fold((const char *)sqlite3_column_text(st, 2)), id, 0);
    }
    if ((rc = read_done(db, st, rc, "units")) < 0)
        return rc;
    if (!(st = ww_db_prepare(db, "SELECT id, code FROM job_role")))
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        skey_add(&r->role_code, ww_name_key((const char *)sqlite3_column_text(st, 1)),
                 sqlite3_column_int64(st, 0), 0);
    skeys_sort(&r->unit_code);
    skeys_sort(&r->unit_name);
    skeys_sort(&r->role_code);
    return read_done(db, st, rc, "roles");
}

static int load_people(struct ww_db *db, struct refs *r)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT s.id, s.code, s.full_name, coalesce(s.unit_id,"
                                         " 0), coalesce(s.role_id, 0), s.active, u.code FROM"
                                         " staff s LEFT JOIN org_unit u ON u.id = s.unit_id");
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct person *p;
        if (r->n_people == cap) {
            cap = cap ? cap * 2 : 256;
            r->people = ww_reallocarray(r->people, cap, sizeof(*r->people));
        }
        p = &r->people[r->n_people];
        p->id = sqlite3_column_int64(st, 0);
        p->code = ww_db_text(st, 1);
        p->full_name = ww_db_text(st, 2);
        p->unit_id = sqlite3_column_int64(st, 3);
        p->role_id = sqlite3_column_int64(st, 4);
        p->active = sqlite3_column_int(st, 5) != 0;
        p->unit_code = ww_db_text(st, 6);
        skey_add(&r->staff_code, ww_name_key(p->code), p->id, r->n_people);
        skey_add(&r->staff_name, ww_name_fold(p->full_name), p->id, r->n_people);
        r->n_people++;
    }
    skeys_sort(&r->staff_code);
    skeys_sort(&r->staff_name);
    return read_done(db, st, rc, "staff");
}

static int load_training(struct ww_db *db, struct refs *r)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, name FROM course");
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        skey_add(&r->course, ww_name_fold((const char *)sqlite3_column_text(st, 1)), id, 0);
        skey_add(&r->course, ww_asprintf("#%lld", id), id, 0);
    }
    if ((rc = read_done(db, st, rc, "courses")) < 0)
        return rc;
    if (!(st = ww_db_prepare(db, "SELECT id, course_id, day FROM course_session")))
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0), course = sqlite3_column_int64(st, 1);
        skey_add(&r->session, ww_asprintf("#%lld", id), id, (size_t)course);
        skey_add(&r->session,
                 ww_asprintf("%lld|%s", course, (const char *)sqlite3_column_text(st, 2)), id,
                 (size_t)course);
    }
    if ((rc = read_done(db, st, rc, "sessions")) < 0)
        return rc;
    if (!(st = ww_db_prepare(db, "SELECT id, staff_id, course_id, completed_on FROM"
                                 " training_record")))
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        skey_add(&r->record,
                 ww_asprintf("%lld|%lld|%s", sqlite3_column_int64(st, 1),
                             sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3)),
                 sqlite3_column_int64(st, 0), 0);
    skeys_sort(&r->course);
    skeys_sort(&r->session);
    skeys_sort(&r->record);
    return read_done(db, st, rc, "records");
}

/* a unit by its code, else by its name as names fold: its id, 0 none, -1 several */
static long long unit_of(const struct refs *r, const char *cell)
{
    char *k = ww_name_key(cell);
    size_t n;
    const struct skey *e = skey_find(&r->unit_code, k, &n);

    free(k);
    if (!n) {
        k = ww_name_fold(cell);
        e = skey_find(&r->unit_name, k, &n);
        free(k);
    }
    return n == 1 ? e->id : n ? -1 : 0;
}

/* ---- matching by name (the rule, pure) ---------------------------------------------------- */

size_t inv_match_name(const struct inv_match_key *people, size_t n, const char *full_name,
                      long long unit_id, size_t *out_idx, size_t max)
{
    char *k = ww_name_fold(full_name);
    size_t found = 0;

    for (size_t i = 0; i < n; i++)
        if (!strcmp(people[i].name_fold, k) && (!unit_id || people[i].unit_id == unit_id)) {
            if (found < max)
                out_idx[found] = i;
            found++;
        }
    free(k);
    return found;
}

/* the rule on the sorted keys of @r: only the people of the same folded name are given to
 * inv_match_name(), so a row costs a look-up, not a walk of every person */
static size_t match_name(const struct refs *r, const char *full_name, long long unit_id,
                         size_t *out_idx, size_t max)
{
    char *k = ww_name_fold(full_name);
    size_t n, found = 0, *idx;
    const struct skey *e = skey_find(&r->staff_name, k, &n);
    struct inv_match_key *keys;

    free(k);
    if (!n)
        return 0;
    keys = ww_calloc(n, sizeof(*keys));
    idx = ww_calloc(n, sizeof(*idx));
    for (size_t i = 0; i < n; i++)
        keys[i] = (struct inv_match_key){e[i].key, r->people[e[i].idx].unit_id};
    found = inv_match_name(keys, n, full_name, unit_id, idx, n);
    for (size_t i = 0; i < found && i < max; i++)
        out_idx[i] = e[idx[i]].idx;
    free(keys);
    free(idx);
    return found;
}

/* ---- the one audited change of an import -------------------------------------------------- */

int inv_import_snapshot(struct ww_db *db, const char *key, char **out_json)
{
    (void)db;
    *out_json = ww_strdup(key); /* the counts the import wrote into ch->key */
    return 0;
}

struct import_write {
    int (*rows)(struct ww_db *db, void *ctx, struct inv_change *ch); /* 0, -EINVAL, -EIO */
    void *ctx;
    bool rollback; /* a dry run or rows to confirm: write, report, take back */
    char *counts;  /* JSON, set by @rows */
};

static int apply_import_write(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct import_write *w = ctx;
    int ret = w->rows(db, w->ctx, ch);

    if (ret == 0 && w->rollback)
        return -EAGAIN; /* inv_change_run() takes it all back: no audit entry either */
    ch->key = w->counts;
    return ret;
}

static int import_write(struct ww_db *db, const struct inv_import_opts *o, const char *action,
                        const char *what, struct import_write *w)
{
    struct inv_change ch = {.actor = o->actor, .action = action, .object_type = "import",
                            .audit_id = what, .apply = apply_import_write, .ctx = w};
    int ret = inv_change_run(db, &ch);

    free(ch.after);
    return ret;
}

/* a refusal of an owner's apply as row @w's error */
static int row_refused(struct inv_import_result *out, const struct inv_csv_row *w,
                       const struct inv_csv_format *f, const int *col_of, int ret)
{
    if (ret != -EINVAL && ret != -EEXIST)
        return ret;
    inv_import_refusal(out, w, f, col_of);
    return 0;
}

static bool ids_start(struct ww_db *db, const char *data, size_t len,
                      const struct inv_import_opts *o, const struct inv_csv_format *f,
                      struct inv_csv *c, int *col_of, struct inv_import_result *out,
                      bool *in_tx, int *out_ret)
{
    /* a dry run writes and rolls back too, so it needs the transaction and the actor */
    struct inv_import_opts wo = *o;

    /* staff and training lists are all or nothing (a row's person decides the next row's
     * checks): "only the valid rows" is refused, not ignored */
    if (o->only_valid) {
        memset(out, 0, sizeof(*out));
        inv_import_error(out, 0, 0, "record", "not_allowed", "only_valid");
        out->file_refused = true;
        *out_ret = -EINVAL;
        return false;
    }
    wo.dry_run = false;
    *out_ret = inv_import_start(db, data, len, &wo, f, c, col_of, out, in_tx);
    return *out_ret == 0;
}

/* ---- the staff list ------------------------------------------------------------------------ */

const char *const inv_staff_import_columns[] = {"staff_code", "full_name", "unit", "role_code",
                                                "start_day", "active",    NULL};
enum { S_CODE, S_NAME, S_UNIT, S_ROLE, S_START, S_ACTIVE, S_COUNT };
static const char *const staff_fields[] = {"code",      "full_name", "unit_code", "role_code",
                                           "start_day", "active",    NULL};
static const char *const staff_ignored[] = {"id", NULL};
static const struct inv_csv_format staff_format = {
    inv_staff_import_columns, staff_ignored, (1u << S_CODE) | (1u << S_NAME) | (1u << S_START),
    NULL, staff_fields};

/* "active": 1/0, true/false, yes/no, or the page's words for yes and no in any language */
static int active_of(const char *cell, const struct ww_i18n *words, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "x", NULL};
    static const char *const no[] = {"0", "false", "no", NULL};
    int ret = -EINVAL;

    if (!cell) {
        *out = true;
        return 0;
    }
    for (int i = 0; yes[i]; i++)
        if (ww_name_same(cell, yes[i]))
            return *out = true, 0;
    for (int i = 0; no[i]; i++)
        if (ww_name_same(cell, no[i]))
            return *out = false, 0;
    for (int lang = 0; words && lang < WW_LANG_COUNT && ret < 0; lang++) {
        const char *y = ww_i18n_text(words, (enum ww_lang)lang, "training.yes");
        const char *n = ww_i18n_text(words, (enum ww_lang)lang, "training.no");
        if (y && ww_name_same(cell, y))
            *out = true, ret = 0;
        else if (n && ww_name_same(cell, n))
            *out = false, ret = 0;
    }
    return ret;
}

struct staff_row {
    struct inv_staff s; /* strings borrowed from the file's cells: never released */
    long long id;       /* the person of that code, 0 = new */
    size_t person;      /* their index in refs.people */
};

struct staff_ctx {
    struct inv_csv *c;
    struct staff_row *rows;
    const int *col_of;
    const struct refs *refs;
    struct inv_import_result *out;
    struct import_write *w;
};

static int write_staff(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct staff_ctx *x = ctx;
    long long added = 0, updated = 0, moved = 0;
    bool refused = false;

    for (size_t i = 1; i < x->c->n_rows; i++) {
        struct staff_row *r = &x->rows[i];
        struct inv_change sub = {.actor = ch->actor, .id = r->id};
        int ret;

        if (inv_csv_blank(x->c, &x->c->rows[i]) || x->c->rows[i].bad)
            continue;
        inv_refusal_clear();
        ret = r->id ? inv_apply_staff_update(db, &r->s, &sub) : inv_apply_staff_add(db, &r->s, &sub);
        if (ret < 0) {
            x->c->rows[i].bad = refused = true;
            if ((ret = row_refused(x->out, &x->c->rows[i], &staff_format, x->col_of, ret)) < 0)
                return ret;
            continue;
        }
        if (!r->id) {
            added++;
            continue;
        }
        updated++;
        const struct person *p = &x->refs->people[r->person];
        if (p->unit_id != r->s.unit_id || p->role_id != r->s.role_id || p->active != r->s.active)
            moved++;
    }
    x->out->written = added + updated;
    x->out->added = added;
    x->out->updated = updated;
    x->w->counts = ww_asprintf("{\"rows\":%lld,\"added\":%lld,\"updated\":%lld,\"moved\":%lld}",
                               x->out->rows, added, updated, moved);
    return refused ? -EINVAL : 0;
}

/* one row's cells into @r; its errors into @out */
static bool staff_row_check(const struct inv_csv *c, const struct inv_csv_row *w,
                            const int *col_of, const struct refs *refs,
                            const struct inv_import_opts *o, struct staff_row *r,
                            struct inv_import_result *out)
{
    const char *unit = inv_csv_cell(c, w, col_of, S_UNIT);
    const char *role = inv_csv_cell(c, w, col_of, S_ROLE);
    bool ok = true;

    if (!inv_csv_cells_ok(c, w, &staff_format, col_of, out))
        return false;
    r->s.code = (char *)inv_csv_cell(c, w, col_of, S_CODE);
    r->s.full_name = (char *)inv_csv_cell(c, w, col_of, S_NAME);
    r->s.start_day = (char *)inv_csv_cell(c, w, col_of, S_START);
    inv_refusal_clear();
    if (inv_check_text("code", r->s.code, INV_CODE_MAX, true) < 0)
        ok = inv_import_refusal(out, w, &staff_format, col_of) == 0;
    if (inv_check_text("full_name", r->s.full_name, INV_NAME_MAX, true) < 0)
        ok = inv_import_refusal(out, w, &staff_format, col_of) == 0;
    if (!r->s.start_day) {
        inv_import_error(out, w->line, col_of[S_START] + 1, "start_day", "required", NULL);
        ok = false;
    } else if (inv_check_date("start_day", r->s.start_day) < 0) {
        ok = inv_import_refusal(out, w, &staff_format, col_of) == 0;
    }
    if (unit && (r->s.unit_id = unit_of(refs, unit)) <= 0) {
        inv_import_error(out, w->line, col_of[S_UNIT] + 1, "unit_code",
                         r->s.unit_id ? "not_one_of" : "no_such", unit);
        ok = false;
    }
    if (role) {
        char *k = ww_name_key(role);
        size_t n;
        const struct skey *e = skey_find(&refs->role_code, k, &n);
        free(k);
        if (n == 1) {
            r->s.role_id = e->id;
        } else {
            inv_import_error(out, w->line, col_of[S_ROLE] + 1, "role_code", "no_such", role);
            ok = false;
        }
    }
    if (active_of(inv_csv_cell(c, w, col_of, S_ACTIVE), o->words, &r->s.active) < 0) {
        inv_import_error(out, w->line, col_of[S_ACTIVE] + 1, "active", "not_boolean", NULL);
        ok = false;
    }
    return ok;
}

int inv_import_staff(struct ww_db *db, const char *data, size_t len,
                     const struct inv_import_opts *o, struct inv_import_result *out)
{
    struct inv_csv c = {0};
    struct refs refs = {0};
    struct skeys in_file = {0};
    struct staff_row *rows = NULL;
    int col_of[S_COUNT];
    bool in_tx = false;
    int ret;

    if (!ids_start(db, data, len, o, &staff_format, &c, col_of, out, &in_tx, &ret)) {
        if (ret == -EPERM)
            return ret;
        goto out;
    }
    if ((ret = load_units_roles(db, &refs)) < 0 || (ret = load_people(db, &refs)) < 0)
        goto out;
    rows = ww_calloc(c.n_rows, sizeof(*rows));
    for (size_t i = 1; i < c.n_rows; i++) {
        struct inv_csv_row *w = &c.rows[i];
        const struct skey *e;
        size_t n;
        char *k;

        if (inv_csv_blank(&c, w))
            continue;
        out->rows++;
        if (!staff_row_check(&c, w, col_of, &refs, o, &rows[i], out)) {
            w->bad = true;
            continue;
        }
        k = ww_name_key(rows[i].s.code);
        if ((e = skey_find(&refs.staff_code, k, &n)) != NULL) {
            rows[i].id = e->id; /* a person we have: updated */
            rows[i].person = e->idx;
        }
        skey_add(&in_file, k, (long long)w->line, i);
    }
    /* a code twice in the file: the later row is refused */
    skeys_sort(&in_file);
    for (size_t j = 1; j < in_file.n; j++) {
        char p[24];
        size_t first = j - 1;
        if (strcmp(in_file.k[j].key, in_file.k[first].key) != 0)
            continue;
        while (first > 0 && !strcmp(in_file.k[first - 1].key, in_file.k[j].key))
            first--;
        snprintf(p, sizeof(p), "%lld", in_file.k[first].id);
        inv_import_error(out, in_file.k[j].id, col_of[S_CODE] + 1, "code", "in_file", p);
        c.rows[in_file.k[j].idx].bad = true;
    }
    {
        struct import_write w = {write_staff, NULL, o->dry_run, NULL};
        struct staff_ctx x = {&c, rows, col_of, &refs, out, &w};
        w.ctx = &x;
        ret = import_write(db, o, "staff.import", "staff", &w);
        free(w.counts);
    }
    if (ret == -EAGAIN || ret == 0)
        ret = out->n_errors ? -EINVAL : o->dry_run ? -ECANCELED : 0;
    inv_import_judge(&c, o, out);
out:
    ret = inv_import_end(db, ret, in_tx, out);
    if (ret == -ECANCELED)
        ret = 0; /* a dry run that found nothing wrong: rolled back */
    skeys_release(&in_file);
    refs_release(&refs);
    free(rows);
    inv_csv_release(&c);
    return ret;
}

/* ---- attendance and completion lists ------------------------------------------------------ */

const char *const inv_training_import_columns[] = {
    "staff_code", "full_name", "unit", "course", "session", "completed_on", "result", "score",
    "certificate_no", "valid_until", "evidence", NULL};
enum { T_CODE, T_NAME, T_UNIT, T_COURSE, T_SESSION, T_DONE, T_RESULT, T_SCORE, T_CERT,
       T_UNTIL, T_EVIDENCE, T_COUNT };
static const char *const training_fields[] = {
    "code", "full_name", "unit_code", "course_id", "session_id", "completed_on", "result",
    "score", "certificate_no", "valid_until", "evidence", NULL};
static const char *const training_ignored[] = {"id", NULL};
static const struct inv_csv_format training_format = {
    inv_training_import_columns, training_ignored,
    (1u << T_COURSE) | (1u << T_DONE) | (1u << T_RESULT), NULL, training_fields};

void inv_file_digest(const char *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

void inv_training_import_release(struct inv_training_import *ti)
{
    for (size_t i = 0; i < ti->n_matches; i++)
        for (size_t j = 0; j < ti->matches[i].n_cand && j < INV_MATCH_CANDIDATES_MAX; j++) {
            free(ti->matches[i].cand[j].code);
            free(ti->matches[i].cand[j].full_name);
            free(ti->matches[i].cand[j].unit_code);
        }
    free(ti->matches);
    ti->matches = NULL;
    ti->n_matches = ti->matches_more = ti->pending = 0;
}

struct train_row {
    struct inv_training t; /* strings borrowed from the cells */
    bool person;           /* t.staff_id is known (a code, a confirmation, or the proposal) */
};

struct train_ctx {
    struct inv_csv *c;
    struct train_row *rows;
    const int *col_of;
    struct inv_import_result *out;
    struct import_write *w;
};

static int write_training(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct train_ctx *x = ctx;
    long long written = 0;
    bool refused = false;

    for (size_t i = 1; i < x->c->n_rows; i++) {
        struct train_row *r = &x->rows[i];
        struct inv_change sub = {.actor = ch->actor};
        int ret;

        if (inv_csv_blank(x->c, &x->c->rows[i]) || x->c->rows[i].bad || !r->person)
            continue;
        inv_refusal_clear();
        ret = inv_apply_training_add(db, &r->t, &sub);
        if (ret < 0) {
            x->c->rows[i].bad = refused = true;
            if ((ret = row_refused(x->out, &x->c->rows[i], &training_format, x->col_of, ret)) < 0)
                return ret;
            continue;
        }
        written++;
    }
    x->out->written = x->out->added = written;
    x->w->counts = ww_asprintf("{\"rows\":%lld,\"written\":%lld}", x->out->rows, written);
    return refused ? -EINVAL : 0;
}

/* "result": a code of inv_training_results[] or its words ("result.<code>") in any language */
static const char *result_of(const char *cell, const struct ww_i18n *words)
{
    for (int i = 0; cell && inv_training_results[i]; i++) {
        char k[48];
        if (ww_name_same(cell, inv_training_results[i]))
            return inv_training_results[i];
        snprintf(k, sizeof(k), "result.%s", inv_training_results[i]);
        for (int lang = 0; words && lang < WW_LANG_COUNT; lang++) {
            const char *t = ww_i18n_text(words, (enum ww_lang)lang, k);
            if (t && ww_name_same(cell, t))
                return inv_training_results[i];
        }
    }
    return cell; /* refused by the record's own check */
}

static int confirm_cmp(const void *a, const void *b)
{
    const struct inv_confirm *x = a, *y = b;
    return x->row < y->row ? -1 : x->row > y->row;
}

static void match_add(struct inv_training_import *ti, const struct refs *refs, long long row,
                      const size_t *idx, size_t n)
{
    struct inv_match *m;
    size_t cap = ti->n_matches;

    ti->pending++;
    if (ti->n_matches >= INV_IMPORT_ERRORS_MAX) {
        ti->matches_more++;
        return;
    }
    if (cap == 0 || (cap >= 16 && (cap & (cap - 1)) == 0)) /* 16, then doubled when full */
        ti->matches = ww_reallocarray(ti->matches, cap ? cap * 2 : 16, sizeof(*ti->matches));
    m = &ti->matches[ti->n_matches++];
    memset(m, 0, sizeof(*m));
    m->row = row;
    m->state = n == 0 ? INV_MATCH_NONE : n == 1 ? INV_MATCH_PROPOSED : INV_MATCH_AMBIGUOUS;
    m->n_cand = n;
    for (size_t j = 0; j < n && j < INV_MATCH_CANDIDATES_MAX; j++) {
        const struct person *p = &refs->people[idx[j]];
        m->cand[j].id = p->id;
        m->cand[j].code = ww_strdup(p->code);
        m->cand[j].full_name = ww_strdup(p->full_name);
        m->cand[j].unit_code = p->unit_code ? ww_strdup(p->unit_code) : NULL;
    }
}

/* who row @w is: by code, by a confirmation, or proposed by name and unit (listed in @ti) */
static bool train_person(const struct inv_csv *c, const struct inv_csv_row *w, const int *col_of,
                         const struct refs *refs, const struct inv_confirm *conf,
                         struct inv_training_import *ti, struct train_row *r,
                         struct inv_import_result *out)
{
    const char *code = inv_csv_cell(c, w, col_of, T_CODE);
    const char *name = inv_csv_cell(c, w, col_of, T_NAME);
    const char *unit = inv_csv_cell(c, w, col_of, T_UNIT);
    size_t idx[INV_MATCH_CANDIDATES_MAX], n;
    long long unit_id = 0;

    if (code) {
        char *k = ww_name_key(code);
        const struct skey *e = skey_find(&refs->staff_code, k, &n);
        free(k);
        if (conf) {
            inv_import_error(out, w->line, 0, "staff_id", "not_allowed", NULL);
            return false;
        }
        if (!e) {
            inv_import_error(out, w->line, col_of[T_CODE] + 1, "code", "no_such", code);
            return false;
        }
        r->t.staff_id = e->id;
        return r->person = true;
    }
    if (!name) {
        inv_import_error(out, w->line, col_of[T_NAME] >= 0 ? col_of[T_NAME] + 1 : 0,
                         "full_name", "required", NULL);
        return false;
    }
    if (unit && (unit_id = unit_of(refs, unit)) <= 0) {
        inv_import_error(out, w->line, col_of[T_UNIT] + 1, "unit_code",
                         unit_id ? "not_one_of" : "no_such", unit);
        return false;
    }
    n = match_name(refs, name, unit_id, idx, INV_MATCH_CANDIDATES_MAX);
    if (conf) {
        /* one of the candidates; with none, any person (HR knows who it was) */
        bool ok = false;
        for (size_t j = 0; j < n && j < INV_MATCH_CANDIDATES_MAX; j++)
            ok = ok || refs->people[idx[j]].id == conf->staff_id;
        for (size_t j = 0; !n && j < refs->n_people; j++)
            ok = ok || refs->people[j].id == conf->staff_id;
        if (!ok || n > INV_MATCH_CANDIDATES_MAX) {
            char p[24];
            snprintf(p, sizeof(p), "%lld", conf->staff_id);
            inv_import_error(out, w->line, 0, "staff_id", n ? "not_one_of" : "no_such", p);
            return false;
        }
        r->t.staff_id = conf->staff_id;
        return r->person = true;
    }
    match_add(ti, refs, w->line, idx, n);
    if (n == 1) { /* checked as that person, written only once confirmed */
        r->t.staff_id = refs->people[idx[0]].id;
        r->person = true;
    }
    return true;
}

/* the course and session of row @w */
static bool train_course(const struct inv_csv *c, const struct inv_csv_row *w, const int *col_of,
                         const struct refs *refs, struct train_row *r,
                         struct inv_import_result *out)
{
    const char *course = inv_csv_cell(c, w, col_of, T_COURSE);
    const char *session = inv_csv_cell(c, w, col_of, T_SESSION);
    const struct skey *e;
    char *k;
    size_t n;

    if (!course) {
        inv_import_error(out, w->line, col_of[T_COURSE] + 1, "course_id", "required", NULL);
        return false;
    }
    k = all_digits(course) ? ww_asprintf("#%s", course) : ww_name_fold(course);
    e = skey_find(&refs->course, k, &n);
    free(k);
    if (n != 1) {
        inv_import_error(out, w->line, col_of[T_COURSE] + 1, "course_id",
                         n ? "not_one_of" : "no_such", course);
        return false;
    }
    r->t.course_id = e->id;
    if (!session)
        return true;
    k = all_digits(session) ? ww_asprintf("#%s", session)
                            : ww_asprintf("%lld|%s", r->t.course_id, session);
    e = skey_find(&refs->session, k, &n);
    free(k);
    if (n != 1 || (long long)e->idx != r->t.course_id) {
        inv_import_error(out, w->line, col_of[T_SESSION] + 1, "session_id",
                         n > 1 || (n && (long long)e->idx != r->t.course_id) ? "not_one_of"
                                                                             : "no_such",
                         session);
        return false;
    }
    r->t.session_id = e->id;
    return true;
}

static bool train_row_check(const struct inv_csv *c, const struct inv_csv_row *w,
                            const int *col_of, const struct refs *refs,
                            const struct inv_import_opts *o, const struct inv_confirm *conf,
                            struct inv_training_import *ti, struct train_row *r,
                            struct inv_import_result *out)
{
    const char *score = inv_csv_cell(c, w, col_of, T_SCORE);
    bool ok;

    if (!inv_csv_cells_ok(c, w, &training_format, col_of, out))
        return false;
    ok = train_course(c, w, col_of, refs, r, out);
    ok = train_person(c, w, col_of, refs, conf, ti, r, out) && ok;
    r->t.completed_on = inv_csv_cell(c, w, col_of, T_DONE);
    r->t.result = result_of(inv_csv_cell(c, w, col_of, T_RESULT), o->words);
    r->t.certificate_no = inv_csv_cell(c, w, col_of, T_CERT);
    r->t.valid_until = inv_csv_cell(c, w, col_of, T_UNTIL);
    r->t.evidence = inv_csv_cell(c, w, col_of, T_EVIDENCE);
    r->t.source = "import";
    r->t.score = NAN;
    if (score) {
        char *end = NULL;
        double v = strtod(score, &end);
        if (!end || *end || !isfinite(v)) {
            inv_import_error(out, w->line, col_of[T_SCORE] + 1, "score", "not_number", score);
            ok = false;
        }
        r->t.score = v;
    }
    if (!ok)
        r->person = false;
    return ok;
}

int inv_import_training(struct ww_db *db, const char *data, size_t len,
                        const struct inv_import_opts *o, struct inv_training_import *ti,
                        struct inv_import_result *out)
{
    struct inv_csv c = {0};
    struct refs refs = {0};
    struct skeys in_file = {0};
    struct train_row *rows = NULL;
    struct inv_confirm *conf = NULL;
    int col_of[T_COUNT];
    bool in_tx = false;
    size_t k = 0;
    int ret;

    inv_training_import_release(ti);
    inv_file_digest(data, len, ti->digest_out);
    if (ti->n_confirm && (!ti->digest || strcmp(ti->digest, ti->digest_out) != 0)) {
        /* confirmations given for another file: nothing of them applies to this one */
        memset(out, 0, sizeof(*out));
        inv_import_error(out, 0, 0, "record", "file_changed", NULL);
        out->file_refused = true;
        return -EINVAL;
    }
    if (!ids_start(db, data, len, o, &training_format, &c, col_of, out, &in_tx, &ret)) {
        if (ret == -EPERM)
            return ret;
        goto out;
    }
    if ((ret = load_units_roles(db, &refs)) < 0 || (ret = load_people(db, &refs)) < 0 ||
        (ret = load_training(db, &refs)) < 0)
        goto out;
    if (ti->n_confirm) {
        conf = ww_reallocarray(NULL, ti->n_confirm, sizeof(*conf));
        memcpy(conf, ti->confirm, ti->n_confirm * sizeof(*conf));
        qsort(conf, ti->n_confirm, sizeof(*conf), confirm_cmp);
    }
    rows = ww_calloc(c.n_rows, sizeof(*rows));
    for (size_t i = 1; i < c.n_rows; i++) {
        struct inv_csv_row *w = &c.rows[i];
        const struct inv_confirm *cf = NULL;
        struct train_row *r = &rows[i];

        while (k < ti->n_confirm && conf[k].row < w->line) {
            /* a confirmation of no row of the file (or of the header, an empty line) */
            inv_import_error(out, conf[k].row, 0, "staff_id", "not_allowed", NULL);
            k++;
        }
        if (k < ti->n_confirm && conf[k].row == w->line)
            cf = &conf[k++];
        if (inv_csv_blank(&c, w)) {
            if (cf)
                inv_import_error(out, w->line, 0, "staff_id", "not_allowed", NULL);
            continue;
        }
        out->rows++;
        if (!train_row_check(&c, w, col_of, &refs, o, cf, ti, r, out))
            w->bad = true;
        else if (r->person && r->t.completed_on)
            skey_add(&in_file,
                     ww_asprintf("%lld|%lld|%s", r->t.staff_id, r->t.course_id,
                                 r->t.completed_on),
                     (long long)w->line, i);
    }
    for (; k < ti->n_confirm; k++) /* past the file's last row */
        inv_import_error(out, conf[k].row, 0, "staff_id", "not_allowed", NULL);
    /* the same person, course and day twice: in the file, or already recorded */
    skeys_sort(&in_file);
    for (size_t j = 0; j < in_file.n; j++) {
        char p[24];
        size_t n, first = j;
        const struct skey *e = skey_find(&refs.record, in_file.k[j].key, &n);

        if (e) {
            snprintf(p, sizeof(p), "#%lld", e->id);
            inv_import_error(out, in_file.k[j].id, col_of[T_DONE] + 1, "completed_on", "exists",
                             p);
        } else if (j > 0 && !strcmp(in_file.k[j].key, in_file.k[j - 1].key)) {
            while (first > 0 && !strcmp(in_file.k[first - 1].key, in_file.k[j].key))
                first--;
            snprintf(p, sizeof(p), "%lld", in_file.k[first].id);
            inv_import_error(out, in_file.k[j].id, col_of[T_DONE] + 1, "completed_on", "in_file",
                             p);
        } else {
            continue;
        }
        c.rows[in_file.k[j].idx].bad = true;
    }
    {
        struct import_write w = {write_training, NULL, o->dry_run || ti->pending, NULL};
        struct train_ctx x = {&c, rows, col_of, out, &w};
        w.ctx = &x;
        ret = import_write(db, o, "training.import", "training", &w);
        free(w.counts);
    }
    if (ret == -EAGAIN || ret == 0)
        ret = out->n_errors ? -EINVAL : ti->pending ? -EAGAIN : o->dry_run ? -ECANCELED : 0;
    inv_import_judge(&c, o, out);
out:
    ret = inv_import_end(db, ret, in_tx, out);
    if (ret == -ECANCELED)
        ret = 0; /* a dry run that found nothing wrong: rolled back */
    skeys_release(&in_file);
    refs_release(&refs);
    free(conf);
    free(rows);
    inv_csv_release(&c);
    return ret;
}
