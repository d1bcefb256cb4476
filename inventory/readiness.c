/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * readiness.c - readiness and age as rules kept in data files (inventory/rules/NAME.ini, the
 * format is inventory/rules/README.md): the loader that refuses a broken file with
 * "file:line: what", OS end of support, Windows 11 from the CPU string, RAM and disk, the
 * minimum spec, and age with straight-line depreciation in integer VND.
 *
 * DESIGN: the set is loaded once and never changed, so evaluation takes no lock of ours
 * (glibc's regexec() guards a compiled pattern itself, so MHD's workers may share one). Every
 * verdict is a code; nothing unknown is guessed (a string no rule names is "unknown").
 */
#include "inventory/inventory_int.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define GIB (1024LL * 1024 * 1024)
#define GB 1000000000LL

enum cpu_verdict { CPU_OK, CPU_TOO_OLD, CPU_UNKNOWN };

struct os_rule {
    char *release;
    char ends[11]; /* "" = the rule does not decide */
    regex_t re;
};

struct cpu_rule {
    enum cpu_verdict verdict;
    regex_t re;
};

/* the numbers of spec.ini and lifespan.ini: one table, like common/config.c's */
enum num {
    N_W11_RAM,
    N_W11_DISK,
    N_MIN_RAM,
    N_MIN_DISK,
    N_MIN_CORES,
    N_RAM_RESERVED,
    N_UPS_BATTERY,
    N_COUNT
};
static const struct num_key {
    const char *file, *section, *key;
    long long min, max;
} num_keys[N_COUNT] = {
    [N_W11_RAM] = {"spec.ini", "win11", "ram_gb", 1, 1024},
    [N_W11_DISK] = {"spec.ini", "win11", "disk_gb", 1, 100000},
    [N_MIN_RAM] = {"spec.ini", "min_spec", "ram_gb", 1, 1024},
    [N_MIN_DISK] = {"spec.ini", "min_spec", "disk_gb", 1, 100000},
    [N_MIN_CORES] = {"spec.ini", "min_spec", "cores", 1, 1024},
    [N_RAM_RESERVED] = {"spec.ini", "measure", "ram_reserved_pct", 0, 50},
    [N_UPS_BATTERY] = {"lifespan.ini", "part", "ups_battery", 1, 50},
};

#define KINDS_MAX 16

struct inv_rules {
    struct os_rule *os;
    size_t nos;
    struct cpu_rule *cpu;
    size_t ncpu;
    long long num[N_COUNT];
    bool num_seen[N_COUNT];
    long long lifespan[KINDS_MAX]; /* by inv_device_kinds[] index; 0 = not listed */
};

/* ---- loading ------------------------------------------------------------------------------ */

/* Debian's libinih reads on after an error and returns the first failing line, which may be
 * a syntax error the handler never saw: the reader counts lines, so the message kept is the
 * first one, with its own line, and told only when that is the line inih returns */
struct load {
    struct inv_rules *r;
    const char *file;
    FILE *f;
    int lines, err_line;
    char err[256];
};

static char *read_line(char *buf, int size, void *stream)
{
    struct load *l = stream;
    char *s = fgets(buf, size, l->f);
    if (s)
        l->lines++;
    return s;
}

static int fail(struct load *l, const char *fmt, ...) WW_PRINTF(2, 3);
static int fail(struct load *l, const char *fmt, ...)
{
    va_list ap;
    if (l->err_line)
        return 0;
    l->err_line = l->lines;
    va_start(ap, fmt);
    vsnprintf(l->err, sizeof(l->err), fmt, ap);
    va_end(ap);
    return 0;
}

static bool date_valid(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

static int compile(struct load *l, regex_t *re, const char *text)
{
    char msg[128];
    int rc;

    if (!*text)
        return fail(l, "empty regular expression");
    if (ww_regex_costly(text))
        return fail(l, "regular expression '%s': too many repetitions (a repetition of a "
                       "repetition, or more than %d copies in all)", text, WW_RE_COPIES_MAX);
    rc = regcomp(re, text, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        regerror(rc, re, msg, sizeof(msg));
        return fail(l, "bad regular expression '%s': %s", text, msg);
    }
    return 1;
}

/* "release = END REGEX" */
static int os_line(struct load *l, const char *section, const char *name, const char *value)
{
    struct inv_rules *r = l->r;
    struct os_rule o = {0};
    const char *sp;
    size_t n;

    if (strcmp(section, "os") != 0)
        return fail(l, "unknown section [%s]", section);
    sp = strchr(value, ' ');
    n = sp ? (size_t)(sp - value) : strlen(value);
    if (!sp)
        return fail(l, "'%s': want END REGEX", name);
    if (n == 7 && strncmp(value, "unknown", 7) == 0) {
        o.ends[0] = '\0';
    } else {
        if (n != 10)
            return fail(l, "'%s': end '%.*s' is not YYYY-MM-DD or unknown", name, (int)n, value);
        memcpy(o.ends, value, 10);
        o.ends[10] = '\0';
        if (!date_valid(o.ends))
            return fail(l, "'%s': end '%s' is not a date", name, o.ends);
    }
    while (*sp == ' ')
        sp++;
    if (!compile(l, &o.re, sp))
        return 0;
    o.release = ww_strdup(name);
    r->os = ww_reallocarray(r->os, r->nos + 1, sizeof(*r->os));
    r->os[r->nos++] = o;
    return 1;
}

/* "ok|too_old|unknown = REGEX" */
static int cpu_line(struct load *l, const char *section, const char *name, const char *value)
{
    static const char *const verdicts[] = {[CPU_OK] = "ok", [CPU_TOO_OLD] = "too_old",
                                           [CPU_UNKNOWN] = "unknown"};
    struct inv_rules *r = l->r;
    struct cpu_rule c = {0};
    size_t i;

    if (strcmp(section, "cpu") != 0)
        return fail(l, "unknown section [%s]", section);
    for (i = 0; i < WW_ARRAY_SIZE(verdicts); i++)
        if (strcmp(name, verdicts[i]) == 0)
            break;
    if (i == WW_ARRAY_SIZE(verdicts))
        return fail(l, "unknown verdict '%s' (ok, too_old, unknown)", name);
    c.verdict = (enum cpu_verdict)i;
    if (!compile(l, &c.re, value))
        return 0;
    r->cpu = ww_reallocarray(r->cpu, r->ncpu + 1, sizeof(*r->cpu));
    r->cpu[r->ncpu++] = c;
    return 1;
}

static int num_line(struct load *l, const char *section, const char *name, const char *value)
{
    struct inv_rules *r = l->r;
    bool is_lifespan = strcmp(l->file, "lifespan.ini") == 0;
    long long v;

    if (is_lifespan && strcmp(section, "lifespan") == 0) {
        for (size_t i = 0; i < KINDS_MAX && inv_device_kinds[i]; i++) {
            if (strcmp(name, inv_device_kinds[i]) != 0)
                continue;
            if (ww_parse_ll(value, 1, 50, &v) < 0)
                return fail(l, "%s: '%s' is not a number of years 1..50", name, value);
            if (r->lifespan[i])
                return fail(l, "%s given twice", name);
            r->lifespan[i] = v;
            return 1;
        }
        return fail(l, "unknown device kind '%s'", name);
    }
    for (size_t i = 0; i < N_COUNT; i++) {
        const struct num_key *k = &num_keys[i];
        if (strcmp(k->file, l->file) != 0 || strcmp(k->section, section) != 0 ||
            strcmp(k->key, name) != 0)
            continue;
        if (ww_parse_ll(value, k->min, k->max, &v) < 0)
            return fail(l, "[%s] %s: '%s' is not a number %lld..%lld", section, name, value,
                        k->min, k->max);
        if (r->num_seen[i])
            return fail(l, "[%s] %s given twice", section, name);
        r->num[i] = v;
        r->num_seen[i] = true;
        return 1;
    }
    return fail(l, "unknown key [%s] %s", section, name);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct load *l = user;

    if (!name) /* a section header alone */
        return 1;
    if (l->err_line) /* take nothing after the first error */
        return 0;
    if (strcmp(l->file, "os.ini") == 0)
        return os_line(l, section, name, value);
    if (strcmp(l->file, "cpu.ini") == 0)
        return cpu_line(l, section, name, value);
    return num_line(l, section, name, value);
}

/* inih reads a line into a buffer of 200 bytes (its build's default): a longer line would be
 * cut and its rest read as a line of its own. Refuse it by its number instead. */
#define INI_LINE_MAX 198 /* characters, without the newline */
static int long_line(FILE *f)
{
    size_t n = 0;
    int c, line = 1, found = 0;

    while (!found && (c = getc(f)) != EOF) {
        if (c == '\n') {
            line++;
            n = 0;
        } else if (++n > INI_LINE_MAX) {
            found = line;
        }
    }
    rewind(f);
    return found;
}

static int load_file(struct inv_rules *r, const char *dir, const char *file, char *err,
                     size_t errsz)
{
    struct load l = {.r = r, .file = file};
    char path[4096];
    FILE *f;
    int line;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
        snprintf(err, errsz, "%s: path too long", file);
        return -EINVAL;
    }
    if (!(f = fopen(path, "r"))) {
        int e = errno;
        snprintf(err, errsz, "%s: %s", path, strerror(e));
        return e == ENOENT ? -ENOENT : -EIO;
    }
    if ((line = long_line(f)) > 0) {
        fclose(f);
        snprintf(err, errsz, "%s:%d: line longer than %d characters: split the rule", file,
                 line, INI_LINE_MAX);
        return -EINVAL;
    }
    l.f = f;
    line = ini_parse_stream(read_line, &l, handler, &l);
    fclose(f);
    if (line != 0) {
        snprintf(err, errsz, "%s:%d: %s", file, line,
                 line == l.err_line ? l.err : "syntax error");
        return -EINVAL;
    }
    return 0;
}

int inv_rules_load(const char *dir, struct inv_rules **out_rules, char *err, size_t errsz)
{
    static const char *const files[] = {"os.ini", "cpu.ini", "spec.ini", "lifespan.ini"};
    struct inv_rules *r = ww_calloc(1, sizeof(*r));
    int ret = 0;

    *out_rules = NULL;
    err[0] = '\0';
    for (size_t i = 0; ret == 0 && i < WW_ARRAY_SIZE(files); i++)
        ret = load_file(r, dir, files[i], err, errsz);
    for (size_t i = 0; ret == 0 && i < N_COUNT; i++)
        if (!r->num_seen[i]) {
            snprintf(err, errsz, "%s:0: missing [%s] %s", num_keys[i].file, num_keys[i].section,
                     num_keys[i].key);
            ret = -EINVAL;
        }
    if (ret == 0) {
        size_t other = 0;
        while (inv_device_kinds[other] && strcmp(inv_device_kinds[other], "other") != 0)
            other++;
        if (!r->lifespan[other]) {
            snprintf(err, errsz, "lifespan.ini:0: missing [lifespan] other");
            ret = -EINVAL;
        }
    }
    if (ret < 0) {
        inv_rules_free(r);
        return ret;
    }
    *out_rules = r;
    return 0;
}

void inv_rules_free(struct inv_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->nos; i++) {
        free(rules->os[i].release);
        regfree(&rules->os[i].re);
    }
    for (size_t i = 0; i < rules->ncpu; i++)
        regfree(&rules->cpu[i].re);
    free(rules->os);
    free(rules->cpu);
    free(rules);
}

/* ---- the facts ------------------------------------------------------------------------ */

static long long fact_num(const char *v)
{
    long long n;
    return v && ww_parse_ll(v, 0, LLONG_MAX, &n) == 0 ? n : -1;
}

/* the "disks" fact is collector/profile.c's coll_disks_json(): objects with "size_bytes":N */
static void disk_sizes(const char *json, long long *out_max, long long *out_total)
{
    static const char key[] = "\"size_bytes\":";
    const char *p = json;

    *out_max = *out_total = -1;
    while (p && (p = strstr(p, key))) {
        char *end;
        long long v;
        p += sizeof(key) - 1;
        errno = 0;
        v = strtoll(p, &end, 10);
        if (end == p || errno || v < 0)
            continue;
        if (v > *out_max)
            *out_max = v;
        *out_total = *out_total < 0 ? v : (v > LLONG_MAX - *out_total ? LLONG_MAX : *out_total + v);
        p = end;
    }
}

void inv_ready_fact_put(struct inv_ready_input *in, const char *name, const char *value)
{
    if (strcmp(name, "os") == 0)
        in->os = value;
    else if (strcmp(name, "cpu_model") == 0)
        in->cpu_model = value;
    else if (strcmp(name, "cpu_count") == 0)
        in->cpu_count = fact_num(value);
    else if (strcmp(name, "ram_bytes") == 0)
        in->ram_bytes = fact_num(value);
    else if (strcmp(name, "disks") == 0)
        disk_sizes(value, &in->disk_max_bytes, &in->disk_total_bytes);
}

int inv_ready_facts(struct ww_db *db, long long id, struct inv_ready_input *out, char **out_os,
                    char **out_cpu)
{
    char *count = NULL, *ram = NULL, *disks = NULL;
    int ret;

    *out = (struct inv_ready_input){.cpu_count = -1, .ram_bytes = -1, .disk_max_bytes = -1,
                                    .disk_total_bytes = -1};
    *out_os = *out_cpu = NULL;
    if ((ret = inv_fact_get(db, id, "os", out_os)) < 0 ||
        (ret = inv_fact_get(db, id, "cpu_model", out_cpu)) < 0 ||
        (ret = inv_fact_get(db, id, "cpu_count", &count)) < 0 ||
        (ret = inv_fact_get(db, id, "ram_bytes", &ram)) < 0 ||
        (ret = inv_fact_get(db, id, "disks", &disks)) < 0)
        goto out;
    out->os = *out_os;
    out->cpu_model = *out_cpu;
    inv_ready_fact_put(out, "cpu_count", count);
    inv_ready_fact_put(out, "ram_bytes", ram);
    inv_ready_fact_put(out, "disks", disks);
out:
    free(count);
    free(ram);
    free(disks);
    if (ret < 0) {
        free(*out_os);
        free(*out_cpu);
        *out_os = *out_cpu = NULL;
        out->os = out->cpu_model = NULL;
    }
    return ret;
}

int inv_ready_facts_all(struct ww_db *db, struct inv_ready_row **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT device_id, name, value FROM device_fact WHERE name IN ('os', 'cpu_model',"
            " 'cpu_count', 'ram_bytes', 'disks') ORDER BY device_id");
    struct inv_ready_row *items = NULL, *r = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *value = (const char *)sqlite3_column_text(st, 2);
        if (!n || items[n - 1].device_id != id) {
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                items = ww_reallocarray(items, cap, sizeof(*items));
            }
            items[n] = (struct inv_ready_row){
                .device_id = id,
                .in = {.cpu_count = -1, .ram_bytes = -1, .disk_max_bytes = -1,
                       .disk_total_bytes = -1}};
            n++;
        }
        r = &items[n - 1];
        if (!name)
            continue;
        if (strcmp(name, "os") == 0 && !r->os)
            r->in.os = r->os = value ? ww_strdup(value) : NULL;
        else if (strcmp(name, "cpu_model") == 0 && !r->cpu)
            r->in.cpu_model = r->cpu = value ? ww_strdup(value) : NULL;
        else if (strcmp(name, "cpu_count") == 0)
            r->in.cpu_count = fact_num(value);
        else if (strcmp(name, "ram_bytes") == 0)
            r->in.ram_bytes = fact_num(value);
        else if (strcmp(name, "disks") == 0)
            disk_sizes(value, &r->in.disk_max_bytes, &r->in.disk_total_bytes);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_ready_rows_free(items, n);
        return ww_error(-EIO, "inventory: facts of every device: read failed");
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_ready_rows_free(struct inv_ready_row *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++) {
        free(items[i].os);
        free(items[i].cpu);
    }
    free(items);
}

/* ---- judging ------------------------------------------------------------------------------ */

static void reason(struct inv_ready_reasons *r, const char *code)
{
    if (r->n < INV_READY_REASONS_MAX)
        r->v[r->n++] = code;
}

/* @have of a size sold as @need: the agent sees a little less than is fitted */
static bool size_meets(long long have, long long need, long long reserved_pct)
{
    return (__int128)have * 100 >= (__int128)need * (100 - reserved_pct);
}

static enum cpu_verdict cpu_judge(const struct inv_rules *r, const char *cpu)
{
    if (!cpu || !*cpu)
        return CPU_UNKNOWN;
    for (size_t i = 0; i < r->ncpu; i++)
        if (regexec(&r->cpu[i].re, cpu, 0, NULL, 0) == 0)
            return r->cpu[i].verdict;
    return CPU_UNKNOWN;
}

int inv_readiness_eval(const struct inv_rules *rules, const struct inv_ready_input *in,
                       const char *today, struct inv_readiness *out)
{
    const long long *num = rules->num;
    long long resv = num[N_RAM_RESERVED];
    struct inv_ready_reasons failed = {0}, unmeasured = {0};
    enum cpu_verdict cpu;

    memset(out, 0, sizeof(*out));
    if (!date_valid(today))
        return -EINVAL;

    /* the OS: first rule that matches */
    out->os.support = "unknown";
    for (size_t i = 0; in->os && i < rules->nos; i++) {
        const struct os_rule *o = &rules->os[i];
        if (regexec(&o->re, in->os, 0, NULL, 0) != 0)
            continue;
        out->os.release = o->release;
        if (o->ends[0]) {
            memcpy(out->os.ends_on, o->ends, sizeof(o->ends));
            /* support ends at the end of that day */
            out->os.support = strcmp(today, o->ends) > 0 ? "ended" : "supported";
        }
        break;
    }

    /* Windows 11 */
    cpu = cpu_judge(rules, in->cpu_model);
    if (cpu == CPU_TOO_OLD)
        reason(&failed, "cpu_too_old");
    else if (cpu == CPU_UNKNOWN)
        reason(&unmeasured, "cpu_unknown");
    if (in->ram_bytes < 0)
        reason(&unmeasured, "ram_unknown");
    else if (!size_meets(in->ram_bytes, num[N_W11_RAM] * GIB, resv))
        reason(&failed, "ram_too_small");
    if (in->disk_max_bytes < 0)
        reason(&unmeasured, "disk_unknown");
    else if (!size_meets(in->disk_max_bytes, num[N_W11_DISK] * GB, resv))
        reason(&failed, "disk_too_small");
    reason(&unmeasured, "tpm_unknown"); /* SNMP never shows a TPM */
    if (failed.n) {
        out->win11.verdict = "not_ready";
        out->win11.reasons = failed;
        out->win11.unmeasured = unmeasured;
    } else {
        out->win11.verdict = unmeasured.n > 1 ? "unknown" : "likely";
        out->win11.reasons = unmeasured;
    }

    /* the office's minimum spec */
    out->min_spec.ram_min_bytes = num[N_MIN_RAM] * GIB;
    out->min_spec.disk_min_bytes = num[N_MIN_DISK] * GB;
    out->min_spec.cores_min = num[N_MIN_CORES];
    failed = (struct inv_ready_reasons){0};
    unmeasured = (struct inv_ready_reasons){0};
    if (in->ram_bytes < 0)
        reason(&unmeasured, "ram_unknown");
    else if (!size_meets(in->ram_bytes, out->min_spec.ram_min_bytes, resv))
        reason(&failed, "ram_below");
    if (in->disk_total_bytes < 0)
        reason(&unmeasured, "disk_unknown");
    else if (!size_meets(in->disk_total_bytes, out->min_spec.disk_min_bytes, resv))
        reason(&failed, "disk_below");
    if (in->cpu_count <= 0)
        reason(&unmeasured, "cores_unknown");
    else if (in->cpu_count < num[N_MIN_CORES])
        reason(&failed, "cores_below");
    out->min_spec.verdict = failed.n ? "below" : unmeasured.n ? "unknown" : "ok";
    out->min_spec.reasons = failed.n ? failed : unmeasured;
    return 0;
}

/* ---- age and value ------------------------------------------------------------------------- */

static int ymd(const char *s, int *y, int *m, int *d)
{
    if (!date_valid(s))
        return -EINVAL;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return 0;
}

int inv_age_eval(const struct inv_rules *rules, const struct inv_age_input *in, const char *today,
                 struct inv_age *out)
{
    const char *from = NULL;
    long long life = 0, life_m;
    int ty, tm, td, y, m, d, ret = 0;
    size_t k, other = 0;

    *out = (struct inv_age){.age_months = -1, .remaining_months = -1,
                            .depreciation_vnd_per_year = -1, .residual_vnd = -1};
    for (k = 0; k < KINDS_MAX && inv_device_kinds[k]; k++) {
        if (strcmp(inv_device_kinds[k], "other") == 0)
            other = k;
        if (in->kind && strcmp(in->kind, inv_device_kinds[k]) == 0)
            life = rules->lifespan[k];
    }
    if (!life)
        life = rules->lifespan[other];
    if (in->lifespan_years > 0)
        life = in->lifespan_years;
    out->lifespan_years = life;
    if (in->kind && strcmp(in->kind, "ups") == 0)
        out->battery_lifespan_years = rules->num[N_UPS_BATTERY];
    life_m = life * 12;
    if (in->cost_vnd >= 0)
        out->depreciation_vnd_per_year = in->cost_vnd / life;

    if (ymd(today, &ty, &tm, &td) < 0)
        return -EINVAL;
    if (in->in_service_date && *in->in_service_date) {
        from = in->in_service_date;
        out->since = "in_service";
    } else if (in->purchase_date && *in->purchase_date) {
        from = in->purchase_date;
        out->since = "purchase";
    }
    if (!from)
        return 0;
    if (ymd(from, &y, &m, &d) < 0) {
        out->since = NULL;
        return -EINVAL;
    }
    /* whole calendar months: 2024-03-31 to 2024-04-30 is not yet one */
    out->age_months = ((long long)ty - y) * 12 + (tm - m) - (td < d ? 1 : 0);
    if (out->age_months < 0)
        out->age_months = 0;
    out->remaining_months = out->age_months >= life_m ? 0 : life_m - out->age_months;
    if (in->cost_vnd >= 0) {
        /* rounded down: the book value is never overstated */
        out->residual_vnd = (long long)((__int128)in->cost_vnd * out->remaining_months / life_m);
    }
    return ret;
}
