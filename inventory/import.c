/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import.c - the CSV import of devices: an RFC 4180 reader, the check of the whole file
 * (each row through inv_device_validate(), duplicates in the file and in the database) and
 * the write of every device through inv_change_run() in one transaction.
 *
 * DESIGN: the file is read whole into rows of cells first (bounded: INV_IMPORT_FILE_MAX,
 * INV_IMPORT_ROWS_MAX, INV_IMPORT_CELL_MAX), then checked, then written. Duplicates are
 * found by sorting keys (ww_name_key for names and tags, host:port as stored), never by a
 * look-up per row; the database's keys are read once, inside the write transaction
 * (BEGIN IMMEDIATE), so nothing changes between the check and the write. Each device goes
 * through inv_change_run(), which runs as a savepoint of that transaction; any failure
 * rolls the transaction back, so a failed import leaves the database as it was.
 */
#include "inventory/inventory_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* the columns, in devices.csv's order (dashboard/admin.c writes them) */
const char *const inv_import_columns[] = {
    "name", "kind", "host", "snmp_port", "snmp_version", "vendor", "model", "serial",
    "asset_tag", "purchase_date", "cost_vnd", "in_service_date", "warranty_end",
    "funding_source", "lifespan_years", "status", "criticality", "assigned_to", "notes",
    NULL};
enum { C_NAME, C_KIND, C_HOST, C_PORT, C_VERSION, C_VENDOR, C_MODEL, C_SERIAL, C_TAG,
       C_PURCHASE, C_COST, C_IN_SERVICE, C_WARRANTY, C_FUNDING, C_LIFESPAN, C_STATUS,
       C_CRIT, C_ASSIGNED, C_NOTES, C_COUNT };

/* the read-only columns of devices.csv, skipped so that an export imports as it is */
static const char *const device_ignored[] = {"id", "state", "sys_name", "sys_descr", NULL};
static const struct inv_csv_format device_format = {
    inv_import_columns, device_ignored, (1u << C_NAME) | (1u << C_HOST), NULL, NULL};

void inv_csv_release(struct inv_csv *c)
{
    for (size_t i = 0; i < c->n_cells; i++)
        free(c->cells[i]);
    free(c->cells);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}

void inv_import_error(struct inv_import_result *r, long long row, int column, const char *field,
                      const char *reason, const char *param)
{
    struct inv_import_error *e;

    if (r->n_errors >= INV_IMPORT_ERRORS_MAX) {
        r->errors_more++;
        return;
    }
    r->errors = ww_reallocarray(r->errors, r->n_errors + 1, sizeof(*r->errors));
    e = &r->errors[r->n_errors++];
    memset(e, 0, sizeof(*e));
    e->row = row;
    e->column = column;
    ww_strlcpy(e->why.field, inv_field_known(field) ? field : "record", sizeof(e->why.field));
    ww_strlcpy(e->why.reason, reason, sizeof(e->why.reason));
    ww_utf8_copy(e->why.param, param ? param : "", sizeof(e->why.param));
}

static void push_cell(struct inv_csv *c, const char *s, size_t n)
{
    if (c->n_cells == c->cap_cells) {
        c->cap_cells = c->cap_cells ? c->cap_cells * 2 : 64;
        c->cells = ww_reallocarray(c->cells, c->cap_cells, sizeof(*c->cells));
    }
    c->cells[c->n_cells++] = ww_strndup(s, n);
}

static void push_row(struct inv_csv *c, long long line, size_t first)
{
    if (c->n_rows == c->cap_rows) {
        c->cap_rows = c->cap_rows ? c->cap_rows * 2 : 64;
        c->rows = ww_reallocarray(c->rows, c->cap_rows, sizeof(*c->rows));
    }
    c->rows[c->n_rows++] = (struct inv_csv_row){line, first, c->n_cells - first, false};
}

/*
 * parse() - @data into rows of cells. A broken quote refuses the file (nothing after it can
 * be trusted to start a row); an over-long cell is cut to be refused by the check. -EINVAL
 * with the file's error in @r, or 0.
 */
static int parse(const char *data, size_t len, struct inv_csv *c, struct inv_import_result *r)
{
    struct ww_buf cell;
    size_t i = 0, first = 0;
    long long line = 1;
    bool quoted = false, was_quoted = false, too_long = false;
    int ret = 0;
    char param[32];

    ww_buf_init(&cell, INV_IMPORT_CELL_MAX + 1);
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    for (; i <= len; i++) {
        char ch = i < len ? data[i] : '\n';
        bool end_of_data = i == len;

        if (quoted) {
            if (end_of_data) {
                inv_import_error(r, line, (int)(c->n_cells - first + 1), "record", "csv_quote", NULL);
                ret = -EINVAL;
                break;
            }
            if (ch == '"' && i + 1 < len && data[i + 1] == '"') {
                i++;
            } else if (ch == '"') {
                quoted = false;
                continue;
            }
            if (ww_buf_add(&cell, &ch, 1) < 0)
                too_long = true;
            continue;
        }
        if (ch == '"' && cell.len == 0 && !was_quoted) {
            quoted = was_quoted = true;
            continue;
        }
        if (ch == '"' || (was_quoted && ch != ',' && ch != '\n' && ch != '\r')) {
            /* a quote inside an unquoted cell, or text after a closing quote */
            inv_import_error(r, line, (int)(c->n_cells - first + 1), "record", "csv_quote", NULL);
            ret = -EINVAL;
            break;
        }
        if (ch == '\r' && i + 1 < len && data[i + 1] == '\n')
            continue; /* CRLF: the LF ends the row */
        if (ch == ',' || ch == '\n' || ch == '\r') {
            push_cell(c, too_long ? "\x01" : cell.data ? cell.data : "", too_long ? 1 : cell.len);
            ww_buf_reset(&cell);
            too_long = was_quoted = false;
            if (ch == ',')
                continue;
            if (end_of_data && c->n_cells - first == 1 && !c->cells[first][0] &&
                c->n_rows > 0) {
                /* the file's final line break leaves no row behind it */
                free(c->cells[--c->n_cells]);
                break;
            }
            if (c->n_rows >= INV_IMPORT_ROWS_MAX + 1) {
                snprintf(param, sizeof(param), "%d", INV_IMPORT_ROWS_MAX);
                inv_import_error(r, 0, 0, "record", "too_many", param);
                ret = -EINVAL;
                break;
            }
            push_row(c, line++, first);
            first = c->n_cells;
            continue;
        }
        if (ww_buf_add(&cell, &ch, 1) < 0)
            too_long = true;
    }
    ww_buf_release(&cell);
    return ret;
}

bool inv_csv_blank(const struct inv_csv *c, const struct inv_csv_row *w)
{
    return w->n == 1 && !c->cells[w->first][0];
}

/* @cell names @key: the key itself, or its export header "csv.<key>" in any language */
static bool names_column(const char *cell, const char *key, const struct ww_i18n *words)
{
    char k[48];

    if (strcmp(cell, key) == 0)
        return true;
    snprintf(k, sizeof(k), "csv.%s", key);
    for (int lang = 0; words && lang < WW_LANG_COUNT; lang++) {
        const char *t = ww_i18n_text(words, (enum ww_lang)lang, k);
        if (t && ww_name_same(t, cell))
            return true;
    }
    return false;
}

static int column_in(const char *cell, const char *const *list, const struct ww_i18n *words)
{
    for (int k = 0; list[k]; k++)
        if (names_column(cell, list[k], words))
            return k;
    return -1;
}

/* the header: which file column each of ours is in (-1 = absent) */
static int header(const struct inv_csv *c, const struct inv_csv_format *f, int *col_of,
                  struct inv_import_result *r)
{
    const struct inv_csv_row *h = &c->rows[0];
    int ret = 0;

    for (size_t k = 0; f->columns[k]; k++)
        col_of[k] = -1;
    for (size_t j = 0; j < h->n; j++) {
        const char *name = c->cells[h->first + j];
        int k = column_in(name, f->columns, f->words);

        if (k < 0 && column_in(name, f->ignored, f->words) >= 0)
            continue;
        if (k < 0 || col_of[k] >= 0) {
            char p[64];
            ww_utf8_copy(p, name, sizeof(p));
            inv_import_error(r, 1, (int)j + 1, "record", k >= 0 ? "in_file" : "unknown_column",
                             p);
            ret = -EINVAL;
            continue;
        }
        col_of[k] = (int)j;
    }
    for (int k = 0; f->columns[k]; k++) /* the required ones */
        if ((f->required & (1u << k)) && col_of[k] < 0) {
            inv_import_error(r, 1, 0, f->columns[k], "missing_column", f->columns[k]);
            ret = -EINVAL;
        }
    return ret;
}

int inv_csv_read(const char *data, size_t len, const struct inv_csv_format *f, struct inv_csv *c,
                 int *col_of, struct inv_import_result *r)
{
    memset(c, 0, sizeof(*c));
    if (len > INV_IMPORT_FILE_MAX) {
        char p[16];
        snprintf(p, sizeof(p), "%u", INV_IMPORT_FILE_MAX);
        inv_import_error(r, 0, 0, "record", "too_long", p);
        r->file_refused = true;
        return -EINVAL;
    }
    if (parse(data, len, c, r) < 0 || c->n_rows == 0 || header(c, f, col_of, r) < 0) {
        if (c->n_rows == 0 && !r->n_errors)
            inv_import_error(r, 1, 0, f->columns[0], "missing_column", f->columns[0]);
        r->file_refused = true;
        return -EINVAL;
    }
    return 0;
}

bool inv_csv_cells_ok(const struct inv_csv *c, const struct inv_csv_row *w,
                      const struct inv_csv_format *f, const int *col_of,
                      struct inv_import_result *r)
{
    bool ok = true;

    /* cells first: each is refused on its own, with its column */
    for (size_t j = 0; j < w->n; j++) {
        const char *s = c->cells[w->first + j];
        const char *field = "record";
        for (int k = 0; f->columns[k]; k++)
            if (col_of[k] == (int)j)
                field = f->fields ? f->fields[k] : f->columns[k];
        if (!strcmp(s, "\x01")) {
            char p[16];
            snprintf(p, sizeof(p), "%d", INV_IMPORT_CELL_MAX);
            inv_import_error(r, w->line, (int)j + 1, field, "too_long", p), ok = false;
        } else if (!ww_utf8_valid(s, strlen(s))) {
            inv_import_error(r, w->line, (int)j + 1, field, "not_utf8", NULL), ok = false;
        } else if (ww_formula_cell(s)) {
            char p[64];
            ww_utf8_copy(p, s, sizeof(p));
            inv_import_error(r, w->line, (int)j + 1, field, "formula", p), ok = false;
        }
    }
    if (w->n > c->rows[0].n) {
        char p[24];
        snprintf(p, sizeof(p), "%zu", c->rows[0].n);
        inv_import_error(r, w->line, (int)c->rows[0].n + 1, "record", "cell_count", p);
        return false;
    }
    return ok;
}

int inv_import_refusal(struct inv_import_result *r, const struct inv_csv_row *w,
                       const struct inv_csv_format *f, const int *col_of)
{
    struct inv_refusal why;
    int col = 0;

    inv_refusal_last(&why);
    for (int k = 0; f->columns[k]; k++)
        if (!strcmp(f->fields ? f->fields[k] : f->columns[k], why.field))
            col = col_of[k] + 1;
    inv_import_error(r, w->line, col, why.field, why.reason, why.param);
    return -EINVAL;
}

int inv_import_start(struct ww_db *db, const char *data, size_t len,
                     const struct inv_import_opts *o, const struct inv_csv_format *format,
                     struct inv_csv *c, int *col_of, struct inv_import_result *out,
                     bool *out_in_tx)
{
    struct inv_csv_format f = *format;
    int ret;

    memset(out, 0, sizeof(*out));
    memset(c, 0, sizeof(*c));
    *out_in_tx = false;
    if (!o->dry_run && (!o->actor || !o->actor->name || !o->actor->source))
        return ww_error(-EPERM, "inventory: import refused: no actor");
    f.words = o->words;
    if ((ret = inv_csv_read(data, len, &f, c, col_of, out)) < 0 || o->dry_run)
        return ret;
    if ((ret = ww_db_begin(db)) == 0)
        *out_in_tx = true;
    return ret;
}

int inv_import_judge(const struct inv_csv *c, const struct inv_import_opts *o,
                     struct inv_import_result *out)
{
    for (size_t i = 1; i < c->n_rows; i++)
        if (!inv_csv_blank(c, &c->rows[i]) && !c->rows[i].bad)
            out->valid++;
    return out->valid == out->rows || (o->only_valid && out->valid > 0) ? 0 : -EINVAL;
}

int inv_import_end(struct ww_db *db, int ret, bool in_tx, struct inv_import_result *out)
{
    if (ret == 0 && in_tx)
        ret = ww_db_commit(db);
    if (ret < 0) {
        out->written = out->added = out->updated = 0;
        if (in_tx)
            ww_db_rollback(db);
    }
    inv_import_errors_sort(out);
    return ret;
}

static int error_cmp(const void *a, const void *b)
{
    const struct inv_import_error *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->column < y->column ? -1 : x->column > y->column;
}

void inv_import_errors_sort(struct inv_import_result *r)
{
    if (r->n_errors > 1)
        qsort(r->errors, r->n_errors, sizeof(*r->errors), error_cmp);
}

const char *inv_csv_cell(const struct inv_csv *c, const struct inv_csv_row *w, const int *col_of,
                         int k)
{
    const char *s;
    if (col_of[k] < 0 || (size_t)col_of[k] >= w->n)
        return NULL;
    s = c->cells[w->first + (size_t)col_of[k]];
    return *s ? s : NULL;
}

static int number(const char *s, long long dflt, long long *out)
{
    if (!s) {
        *out = dflt;
        return 0;
    }
    return ww_parse_ll(s, -1, INV_VND_ITEM_MAX, out);
}

/* the text columns and the struct inv_device field each fills */
static const struct {
    int col;
    size_t offset;
} text_fields[] = {
    {C_NAME, offsetof(struct inv_device, name)},
    {C_KIND, offsetof(struct inv_device, kind)},
    {C_HOST, offsetof(struct inv_device, host)},
    {C_VERSION, offsetof(struct inv_device, snmp_version)},
    {C_VENDOR, offsetof(struct inv_device, vendor)},
    {C_MODEL, offsetof(struct inv_device, model)},
    {C_SERIAL, offsetof(struct inv_device, serial)},
    {C_TAG, offsetof(struct inv_device, asset_tag)},
    {C_PURCHASE, offsetof(struct inv_device, purchase_date)},
    {C_IN_SERVICE, offsetof(struct inv_device, in_service_date)},
    {C_WARRANTY, offsetof(struct inv_device, warranty_end)},
    {C_FUNDING, offsetof(struct inv_device, funding_source)},
    {C_STATUS, offsetof(struct inv_device, status)},
    {C_CRIT, offsetof(struct inv_device, criticality)},
    {C_ASSIGNED, offsetof(struct inv_device, assigned_to)},
    {C_NOTES, offsetof(struct inv_device, notes)},
};

/* one row's cells into @d (borrowed strings: @d is never released); its errors into @r */
static bool row_device(const struct inv_csv *c, const struct inv_csv_row *w, const int *col_of,
                       struct inv_device *d, struct inv_import_result *r)
{
    bool ok = true;
    static const int numeric[] = {C_PORT, C_COST, C_LIFESPAN};
    long long v[3];

    if (!inv_csv_cells_ok(c, w, &device_format, col_of, r))
        return false;
    for (size_t i = 0; i < WW_ARRAY_SIZE(numeric); i++) {
        int k = numeric[i];
        long long dflt = k == C_PORT ? 161 : k == C_COST ? -1 : 0;
        if (number(inv_csv_cell(c, w, col_of, k), dflt, &v[i]) < 0) {
            inv_import_error(r, w->line, col_of[k] + 1, inv_import_columns[k], "not_integer", NULL);
            ok = false;
        }
    }
    if (!ok)
        return false;
    inv_device_init(d);
    for (size_t i = 0; i < WW_ARRAY_SIZE(text_fields); i++)
        *(const char **)((char *)d + text_fields[i].offset) =
            inv_csv_cell(c, w, col_of, text_fields[i].col);
    d->snmp_port = v[0];
    d->cost_vnd = v[1];
    d->lifespan_years = v[2];
    if (d->snmp_version && strcmp(d->snmp_version, "3") == 0) {
        /* v3 needs its keys, which a CSV never carries */
        inv_import_error(r, w->line, col_of[C_VERSION] + 1, "snmp_version", "not_one_of", "1, 2c");
        return false;
    }
    inv_refusal_clear();
    if (inv_device_validate(d) < 0)
        return inv_import_refusal(r, w, &device_format, col_of) == 0;
    return true;
}

/* ---- duplicates: sorted keys ------------------------------------------------------------ */

struct key {
    char *text;
    long long row; /* the file's row; 0 = in the database (id in @id) */
    long long id;
    size_t idx; /* the row's index in csv.rows */
};

static int key_cmp(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    if (c)
        return c;
    /* the database first, then the file's rows in order: the later one is refused */
    return x->row < y->row ? -1 : x->row > y->row;
}

struct keys {
    struct key *k;
    size_t n, cap;
};

static void key_add(struct keys *ks, char *text, long long row, long long id, size_t idx)
{
    if (ks->n == ks->cap) {
        ks->cap = ks->cap ? ks->cap * 2 : 256;
        ks->k = ww_reallocarray(ks->k, ks->cap, sizeof(*ks->k));
    }
    ks->k[ks->n++] = (struct key){text, row, id, idx};
}

static void keys_release(struct keys *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        free(ks->k[i].text);
    free(ks->k);
    memset(ks, 0, sizeof(*ks));
}

static char *host_key(const char *host, long long port)
{
    return ww_asprintf("%s:%lld", host, port);
}

/* the database's names, tags and host:port */
static int db_keys(struct ww_db *db, struct keys *ks)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, name, asset_tag, host, snmp_port"
                                         " FROM device");
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *tag = (const char *)sqlite3_column_text(st, 2);
        char *k = ww_name_key((const char *)sqlite3_column_text(st, 1));
        key_add(&ks[0], k, 0, id, 0);
        if (tag && *tag)
            key_add(&ks[1], ww_name_key(tag), 0, id, 0);
        key_add(&ks[2], host_key((const char *)sqlite3_column_text(st, 3),
                                 sqlite3_column_int64(st, 4)), 0, id, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: import: device keys: %s",
                                            sqlite3_errmsg(db->sql));
}

/* mark rows whose key an earlier row or the database has */
static void find_duplicates(struct inv_csv *c, struct keys *ks, const int *col_of,
                            struct inv_import_result *r)
{
    static const struct {
        int col;
        const char *field, *reason;
    } what[] = {{C_NAME, "name", "name_taken"}, {C_TAG, "asset_tag", "exists"},
                {C_HOST, "host", "exists"}};

    for (size_t w = 0; w < 3; w++) {
        if (ks[w].n < 2)
            continue; /* no pair; and qsort() must not be given NULL */
        qsort(ks[w].k, ks[w].n, sizeof(*ks[w].k), key_cmp);
        for (size_t i = 1; i < ks[w].n; i++) {
            struct key *prev = &ks[w].k[i - 1], *cur = &ks[w].k[i];
            size_t j = i - 1;
            char p[32];

            if (cur->row == 0 || strcmp(prev->text, cur->text) != 0)
                continue;
            while (j > 0 && strcmp(ks[w].k[j - 1].text, cur->text) == 0)
                j--; /* the first holder of the key */
            if (ks[w].k[j].row == 0) {
                snprintf(p, sizeof(p), "#%lld", ks[w].k[j].id);
                inv_import_error(r, cur->row, col_of[what[w].col] + 1, what[w].field, what[w].reason,
                          p);
            } else {
                snprintf(p, sizeof(p), "%lld", ks[w].k[j].row);
                inv_import_error(r, cur->row, col_of[what[w].col] + 1, what[w].field, "in_file", p);
            }
            c->rows[cur->idx].bad = true;
        }
    }
}

/* ---- the write -------------------------------------------------------------------------- */

struct import_ctx {
    const struct inv_device *d;
    bool fail;
};

static int apply_import(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct import_ctx *x = ctx;
    int ret;

    if (x->fail)
        return ww_error(-EIO, "inventory: import: failure injected");
    ret = inv_device_insert(db, x->d, &ch->id);
    if (ret == 0)
        ret = inv_assignment_record(db, ch->id, NULL, ch->actor->name);
    return ret;
}

int inv_import_devices(struct ww_db *db, const char *data, size_t len,
                       const struct inv_import_opts *o, struct inv_import_result *out)
{
    struct inv_csv c = {0};
    struct keys ks[3] = {{0}};
    struct inv_device *devs = NULL;
    int col_of[C_COUNT];
    bool in_tx = false;
    int ret = inv_import_start(db, data, len, o, &device_format, &c, col_of, out, &in_tx);

    if (ret == -EPERM)
        return ret;
    if (ret < 0)
        goto out;
    devs = ww_calloc(c.n_rows, sizeof(*devs));
    if ((ret = db_keys(db, ks)) < 0)
        goto out;
    for (size_t i = 1; i < c.n_rows; i++) {
        struct inv_csv_row *w = &c.rows[i];
        if (inv_csv_blank(&c, w))
            continue;
        out->rows++;
        if (!row_device(&c, w, col_of, &devs[i], out)) {
            w->bad = true;
            continue;
        }
        key_add(&ks[0], ww_name_key(devs[i].name), w->line, 0, i);
        if (devs[i].asset_tag)
            key_add(&ks[1], ww_name_key(devs[i].asset_tag), w->line, 0, i);
        key_add(&ks[2], host_key(devs[i].host, devs[i].snmp_port), w->line, 0, i);
    }
    find_duplicates(&c, ks, col_of, out);
    ret = inv_import_judge(&c, o, out);
    if (ret < 0 || o->dry_run)
        goto out;
    for (size_t i = 1; i < c.n_rows && ret == 0; i++) {
        struct import_ctx x = {&devs[i], c.rows[i].line == o->fail_at_row};
        struct inv_change ch = {.actor = o->actor, .action = "device.import",
                                .object_type = "device", .apply = apply_import, .ctx = &x};
        if (inv_csv_blank(&c, &c.rows[i]) || c.rows[i].bad)
            continue;
        ret = inv_change_run(db, &ch);
        free(ch.after);
        if (ret == -EINVAL || ret == -EEXIST) /* checked above: a program error */
            inv_import_error(out, c.rows[i].line, 0, ch.why.field, ch.why.reason, ch.why.param);
        else if (ret == 0)
            out->written++;
    }
out:
    ret = inv_import_end(db, ret, in_tx, out);
    for (size_t w = 0; w < 3; w++)
        keys_release(&ks[w]);
    free(devs); /* their strings are c's cells */
    inv_csv_release(&c);
    return ret;
}

void inv_import_result_release(struct inv_import_result *r)
{
    free(r->errors);
    memset(r, 0, sizeof(*r));
}
