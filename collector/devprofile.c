/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * devprofile.c - device profiles: vendor families as data (collector/profiles/NAME.ini, the
 * format is collector/profiles/README.md). Loading and checking the files, matching a device
 * to its profile, the values its OIDs give, the kind guess with its evidence, the merged
 * measures the write path stores.
 *
 * DESIGN: a set is loaded once (main thread, at start) and immutable afterwards, so the poll
 * thread, the writer and the CLI read it without locks. The engine asks every profile's
 * `answers` instance in its first GET (coll_profile_probe_*), matches after that GET
 * (coll_profile_match()), walks the matched profile's value columns as one more table after
 * the standard ones (coll_profile_table()), and keeps each instance it read in the device's
 * shape, so counter polls GET them like any counter. A value is folded into the result as it
 * comes (coll_profile_take()); nothing a device did not answer is ever set.
 */
#include "collector/snmp_int.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define PROF_MATCH_MAX 16 /* object_id or descr lines of one profile */
#define PROF_ALSO_MAX 8   /* `also` alternatives of one profile */
#define PROF_KIND_MAX 16  /* [kind] rules */
#define PROF_MAP_MAX 16   /* raw:value pairs of one value */

struct prof_oid {
    oid v[MAX_OID_LEN];
    size_t len;
};

struct prof_value {
    int what;     /* enum coll_pm, or COLL_PM_COUNT + enum coll_pt */
    double scale;
    long long map_raw[PROF_MAP_MAX];
    double map_val[PROF_MAP_MAX];
    size_t nmap;
    long long ignore[PROF_MAP_MAX]; /* raw values that mean "no reading in this row" */
    size_t nignore;
    bool seen_oid;
};

struct prof_kind_rule {
    const char *kind;
    bool by_oid;
    struct prof_oid prefix;
    regex_t re;
};

/* an `also` line: another set of conditions that recognises the profile, each of them
 * required (an object_id prefix, an answers instance, a descr regex: at least one of the
 * first or the last) */
struct prof_also {
    struct prof_oid obj;
    bool has_obj, has_re;
    regex_t re;
    int probe; /* -1 none */
};

struct coll_profile {
    char *name, *vendor;
    const char *kind;
    struct prof_oid objs[PROF_MATCH_MAX];
    size_t nobjs;
    regex_t descr[PROF_MATCH_MAX];
    size_t ndescr;
    int probe; /* index of its `answers` in the set's probes, -1 none */
    struct prof_also also[PROF_ALSO_MAX];
    size_t nalso;
    bool has_model_re;
    regex_t model_re;
    struct prof_kind_rule kinds[PROF_KIND_MAX];
    size_t nkinds;
    /* the values, as the engine's columns: one table walked after the standard ones */
    struct prof_value values[COLL_PROFILE_VALUES_MAX];
    struct column cols[COLL_PROFILE_VALUES_MAX];
    size_t nvalues;
    struct table table;
};

struct coll_profiles {
    struct coll_profile **v;
    size_t n;
    struct prof_oid probes[COLL_PROBES_MAX];
    size_t nprobes;
};

static const char *const kinds[] = {"router", "switch", "firewall", "ap",     "ups", "printer",
                                    "nas",    "server", "pc",       "other",  NULL};
static const char *const pm_names[COLL_PM_COUNT] = {
    [COLL_PM_CPU_PCT] = "cpu_pct",
    [COLL_PM_MEM_USED] = "mem_used",
    [COLL_PM_MEM_FREE] = "mem_free",
    [COLL_PM_MEM_TOTAL] = "mem_total",
    [COLL_PM_MEM_PCT] = "mem_pct",
    [COLL_PM_TEMP_C] = "temp_c",
    [COLL_PM_UPS_CHARGE] = "ups_charge_pct",
    [COLL_PM_UPS_RUNTIME] = "ups_runtime_min",
    [COLL_PM_UPS_LOAD] = "ups_load_pct",
    [COLL_PM_UPS_ON_BATTERY] = "ups_on_battery",
    [COLL_PM_UPS_BATTERY_STATUS] = "ups_battery_status",
};
static const char *const pt_names[COLL_PT_COUNT] = {
    [COLL_PT_MODEL] = "model", [COLL_PT_SERIAL] = "serial", [COLL_PT_FIRMWARE] = "firmware"};

const char *coll_pm_name(enum coll_pm pm)
{
    return (unsigned)pm < COLL_PM_COUNT ? pm_names[pm] : NULL;
}

/* how several rows of a value make one figure */
enum agg { AGG_FIRST, AGG_MEAN, AGG_SUM, AGG_MAX };
static enum agg agg_of(int pm)
{
    switch (pm) {
    case COLL_PM_CPU_PCT:
    case COLL_PM_MEM_PCT: return AGG_MEAN;
    case COLL_PM_MEM_USED:
    case COLL_PM_MEM_FREE:
    case COLL_PM_MEM_TOTAL: return AGG_SUM;
    case COLL_PM_TEMP_C:
    case COLL_PM_UPS_LOAD: return AGG_MAX;
    default: return AGG_FIRST;
    }
}

/* ---- loading ------------------------------------------------------------------------------ */

struct load {
    struct coll_profiles *set;
    struct coll_profile *p;
    struct prof_value *cur; /* the value section being read, NULL elsewhere */
    char section[64];
    const char *file;
    char err[256];
};

static int fail(struct load *l, const char *fmt, ...) WW_PRINTF(2, 3);
static int fail(struct load *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, sizeof(l->err), fmt, ap);
    va_end(ap);
    return 0; /* inih: ini_parse returns the (first) failing line */
}

/* "1.3.6.1.4.1.318" (a leading dot allowed) into @o; false for anything else */
static bool parse_oid(const char *s, struct prof_oid *o)
{
    o->len = 0;
    if (*s == '.')
        s++;
    while (*s) {
        char *end;
        unsigned long long a;
        if (*s < '0' || *s > '9' || o->len == MAX_OID_LEN)
            return false;
        a = strtoull(s, &end, 10);
        if (a > 0xffffffffULL)
            return false;
        o->v[o->len++] = (oid)a;
        s = end;
        if (*s == '.' && s[1])
            s++;
        else if (*s)
            return false;
    }
    return o->len >= 2;
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    double a = strtod(s, &end), b = 1;
    if (end == s)
        return false;
    if (*end == '/') {
        const char *q = end + 1;
        b = strtod(q, &end);
        if (end == q || b == 0)
            return false;
    }
    if (*end || !isfinite(a / b))
        return false;
    *out = a / b;
    return true;
}

static bool compile(struct load *l, regex_t *re, const char *pattern, int extra)
{
    char msg[128];
    int rc;

    if (ww_regex_costly(pattern)) {
        fail(l, "regular expression '%s': too many repetitions (a repetition of a "
                "repetition, or more than %d copies in all)", pattern, WW_RE_COPIES_MAX);
        return false;
    }
    rc = regcomp(re, pattern, REG_EXTENDED | REG_ICASE | extra);
    if (rc == 0)
        return true;
    regerror(rc, re, msg, sizeof(msg));
    fail(l, "bad regular expression '%s': %s", pattern, msg);
    return false;
}

static const char *kind_of(const char *s)
{
    for (size_t i = 0; kinds[i]; i++)
        if (strcmp(kinds[i], s) == 0)
            return kinds[i];
    return NULL;
}

/* the index of the `answers` instance @value among the set's probes (added when new); -1
 * after fail() */
static int probe_of(struct load *l, const char *value)
{
    struct prof_oid o;
    size_t i;

    if (!parse_oid(value, &o))
        return fail(l, "answers '%s' is not an OID", value), -1;
    for (i = 0; i < l->set->nprobes; i++)
        if (l->set->probes[i].len == o.len &&
            memcmp(l->set->probes[i].v, o.v, o.len * sizeof(oid)) == 0)
            return (int)i;
    if (i == COLL_PROBES_MAX)
        return fail(l, "more than %d answers OIDs in all profiles", COLL_PROBES_MAX), -1;
    l->set->probes[l->set->nprobes++] = o;
    return (int)i;
}

/* "object_id OID [answers OID] [descr REGEX]" (descr last: the regex runs to the line's end)
 * into @a; false after fail() */
static bool take_also(struct load *l, struct prof_also *a, const char *value)
{
    char word[256];
    const char *p = value;

    memset(a, 0, sizeof(*a));
    a->probe = -1;
    while (*p) {
        size_t n = strcspn(p, " \t");
        const char *arg = p + n + strspn(p + n, " \t");
        size_t an = strcspn(arg, " \t");
        if (n >= sizeof(word) || an >= sizeof(word))
            return fail(l, "also: a word is too long"), false;
        if (n == 5 && strncmp(p, "descr", 5) == 0) {
            if (a->has_re || !*arg)
                return fail(l, "also: one descr with a regex, last on the line"), false;
            if (!compile(l, &a->re, arg, REG_NOSUB))
                return false;
            a->has_re = true;
            break;
        }
        memcpy(word, arg, an);
        word[an] = '\0';
        if (n == 9 && strncmp(p, "object_id", 9) == 0 && !a->has_obj && an) {
            if (!parse_oid(word, &a->obj))
                return fail(l, "also: object_id '%s' is not an OID", word), false;
            a->has_obj = true;
        } else if (n == 7 && strncmp(p, "answers", 7) == 0 && a->probe < 0 && an) {
            if ((a->probe = probe_of(l, word)) < 0)
                return false;
        } else {
            return fail(l, "also is 'object_id OID', 'answers OID' and 'descr REGEX' (last), "
                           "each at most once"), false;
        }
        p = arg + an + strspn(arg + an, " \t");
    }
    if (!a->has_obj && !a->has_re)
        return fail(l, "also needs an object_id or a descr"), false;
    return true;
}

static int take_profile_key(struct load *l, const char *name, const char *value)
{
    struct coll_profile *p = l->p;

    if (strcmp(name, "vendor") == 0) {
        if (p->vendor)
            return fail(l, "vendor given twice");
        p->vendor = ww_strdup(value);
    } else if (strcmp(name, "kind") == 0) {
        if (!(p->kind = kind_of(value)))
            return fail(l, "unknown kind '%s'", value);
    } else if (strcmp(name, "object_id") == 0) {
        if (p->nobjs == PROF_MATCH_MAX)
            return fail(l, "more than %d object_id lines", PROF_MATCH_MAX);
        if (!parse_oid(value, &p->objs[p->nobjs]))
            return fail(l, "object_id '%s' is not an OID", value);
        p->nobjs++;
    } else if (strcmp(name, "descr") == 0) {
        if (p->ndescr == PROF_MATCH_MAX)
            return fail(l, "more than %d descr lines", PROF_MATCH_MAX);
        if (!compile(l, &p->descr[p->ndescr], value, REG_NOSUB))
            return 0;
        p->ndescr++;
    } else if (strcmp(name, "answers") == 0) {
        if (p->probe >= 0)
            return fail(l, "answers given twice");
        if ((p->probe = probe_of(l, value)) < 0)
            return 0;
    } else if (strcmp(name, "also") == 0) {
        if (p->nalso == PROF_ALSO_MAX)
            return fail(l, "more than %d also lines", PROF_ALSO_MAX);
        return take_also(l, &p->also[p->nalso], value) ? (p->nalso++, 1) : 0;
    } else if (strcmp(name, "model_from_descr") == 0) {
        if (p->has_model_re)
            return fail(l, "model_from_descr given twice");
        if (!compile(l, &p->model_re, value, 0))
            return 0;
        p->has_model_re = true;
        if (p->model_re.re_nsub < 1)
            return fail(l, "model_from_descr needs a capture group");
    } else {
        return fail(l, "unknown key '%s' in [profile]", name);
    }
    return 1;
}

static int take_kind_rule(struct load *l, const char *name, const char *value)
{
    struct coll_profile *p = l->p;
    struct prof_kind_rule *k;

    if (p->nkinds == PROF_KIND_MAX)
        return fail(l, "more than %d [kind] rules", PROF_KIND_MAX);
    k = &p->kinds[p->nkinds];
    if (!(k->kind = kind_of(name)))
        return fail(l, "unknown kind '%s'", name);
    if (strncmp(value, "object_id ", 10) == 0) {
        k->by_oid = true;
        if (!parse_oid(value + 10, &k->prefix))
            return fail(l, "'%s' is not an OID", value + 10);
    } else if (strncmp(value, "descr ", 6) == 0) {
        if (!compile(l, &k->re, value + 6, REG_NOSUB))
            return 0;
    } else {
        return fail(l, "a [kind] rule is 'object_id PREFIX' or 'descr REGEX'");
    }
    p->nkinds++;
    return 1;
}

static int take_value_key(struct load *l, const char *name, const char *value)
{
    struct coll_profile *p = l->p;
    struct prof_value *v = l->cur;
    size_t i = (size_t)(v - p->values);

    if (strcmp(name, "oid") == 0) {
        struct prof_oid o;
        if (v->seen_oid)
            return fail(l, "oid given twice");
        if (!parse_oid(value, &o))
            return fail(l, "oid '%s' is not an OID", value);
        if (o.len > 2 && o.v[o.len - 1] == 0) /* a scalar's instance: walk its object */
            o.len--;
        memcpy(p->cols[i].base, o.v, o.len * sizeof(oid));
        p->cols[i].len = o.len;
        p->cols[i].kind = C_PROF;
        p->cols[i].pv = (unsigned short)i;
        v->seen_oid = true;
    } else if (strcmp(name, "scale") == 0) {
        if (!parse_number(value, &v->scale))
            return fail(l, "scale '%s' is not a number or a/b", value);
    } else if (strcmp(name, "ignore") == 0) {
        const char *s = value;
        while (*s) {
            char *end;
            long long raw = strtoll(s, &end, 10);
            if (end == s || (*end && *end != ' '))
                return fail(l, "ignore is raw values separated by spaces");
            if (v->nignore == PROF_MAP_MAX)
                return fail(l, "more than %d ignore values", PROF_MAP_MAX);
            v->ignore[v->nignore++] = raw;
            for (s = end; *s == ' '; s++)
                ;
        }
    } else if (strcmp(name, "map") == 0) {
        const char *s = value;
        while (*s) {
            char *end;
            long long raw = strtoll(s, &end, 10);
            double val;
            if (end == s || *end != ':')
                return fail(l, "map is raw:value pairs separated by spaces");
            s = end + 1;
            val = strtod(s, &end);
            if (end == s || (*end && *end != ' '))
                return fail(l, "map is raw:value pairs separated by spaces");
            if (v->nmap == PROF_MAP_MAX)
                return fail(l, "more than %d map pairs", PROF_MAP_MAX);
            v->map_raw[v->nmap] = raw;
            v->map_val[v->nmap++] = val;
            for (s = end; *s == ' '; s++)
                ;
        }
    } else {
        return fail(l, "unknown key '%s' in [%s]", name, l->section);
    }
    return 1;
}

/* a new section: the value it names, if it is one */
static int open_section(struct load *l, const char *section)
{
    struct coll_profile *p = l->p;
    int what = -1;

    snprintf(l->section, sizeof(l->section), "%s", section);
    l->cur = NULL;
    if (strcmp(section, "profile") == 0 || strcmp(section, "kind") == 0)
        return 1;
    for (int i = 0; i < COLL_PM_COUNT; i++)
        if (strcmp(section, pm_names[i]) == 0)
            what = i;
    for (int i = 0; i < COLL_PT_COUNT; i++)
        if (strcmp(section, pt_names[i]) == 0)
            what = COLL_PM_COUNT + i;
    if (what < 0)
        return fail(l, "unknown section [%s]", section);
    for (size_t i = 0; i < p->nvalues; i++)
        if (p->values[i].what == what)
            return fail(l, "section [%s] given twice", section);
    if (p->nvalues == COLL_PROFILE_VALUES_MAX)
        return fail(l, "more than %d values", COLL_PROFILE_VALUES_MAX);
    l->cur = &p->values[p->nvalues++];
    l->cur->what = what;
    l->cur->scale = 1;
    return 1;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct load *l = user;

    if (!name) /* inih tells a new section with name == NULL when INI_CALL_HANDLER_ON_NEW_SECTION */
        return 1;
    /* Debian's libinih reads on after an error (INI_STOP_ON_FIRST_ERROR 0) and returns the
     * first error's line: the file is refused there, nothing after it is taken (after an
     * unknown section l->cur is NULL) and the message stays the first one */
    if (l->err[0])
        return 0;
    if (!*section) /* before the first [section]: no value to put it in */
        return fail(l, "%s before any [section]", name);
    if (strcmp(section, l->section) != 0 && !open_section(l, section))
        return 0;
    if (!*value)
        return fail(l, "%s has no value", name);
    if (strcmp(section, "profile") == 0)
        return take_profile_key(l, name, value);
    if (strcmp(section, "kind") == 0)
        return take_kind_rule(l, name, value);
    return take_value_key(l, name, value);
}

static void profile_free(struct coll_profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ndescr; i++)
        regfree(&p->descr[i]);
    for (size_t i = 0; i < p->nalso; i++)
        if (p->also[i].has_re)
            regfree(&p->also[i].re);
    if (p->has_model_re)
        regfree(&p->model_re);
    for (size_t i = 0; i < p->nkinds; i++)
        if (!p->kinds[i].by_oid)
            regfree(&p->kinds[i].re);
    free(p->name);
    free(p->vendor);
    free(p);
}

/* the checks that need the whole file */
static bool profile_check(struct load *l)
{
    struct coll_profile *p = l->p;

    if (!p->vendor)
        return fail(l, "[profile] has no vendor"), false;
    if (!p->kind)
        return fail(l, "[profile] has no kind"), false;
    if (!p->nobjs && !p->ndescr)
        return fail(l, "[profile] needs an object_id or a descr line"), false;
    for (size_t i = 0; i < p->nvalues; i++)
        if (!p->values[i].seen_oid) {
            int w = p->values[i].what;
            return fail(l, "[%s] has no oid", w < COLL_PM_COUNT ? pm_names[w]
                                                                : pt_names[w - COLL_PM_COUNT]),
                   false;
        }
    p->table.cols = p->cols;
    p->table.ncols = p->nvalues;
    return true;
}

/* the INI reader cuts lines at INI_MAX_LINE and reads the rest as a line of its own: say
 * which line is too long instead. Returns its number, 0 when none. */
static int long_line(FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int at = 0, bad = 0;

    while (!bad && (n = getline(&line, &cap, f)) >= 0) {
        at++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n >= INI_MAX_LINE - 1)
            bad = at;
    }
    free(line);
    rewind(f);
    return bad;
}

static int load_file(struct coll_profiles *set, const char *dir, const char *fname, char *err,
                     size_t errsz)
{
    struct load l = {.set = set, .file = fname};
    char path[4096];
    size_t n = strlen(fname);
    FILE *f;
    int line;

    snprintf(path, sizeof(path), "%s/%s", dir, fname);
    if (!(f = fopen(path, "re"))) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -errno;
    }
    l.p = ww_calloc(1, sizeof(*l.p));
    l.p->probe = -1;
    l.p->name = ww_strndup(fname, n - 4);
    if ((line = long_line(f)) > 0)
        fail(&l, "a line longer than %d characters", INI_MAX_LINE - 2);
    else
        line = ini_parse_file(f, on_key, &l);
    fclose(f);
    if (line == 0 && !profile_check(&l))
        line = -1;
    if (line != 0) {
        if (line > 0)
            snprintf(err, errsz, "%s:%d: %s", path, line, l.err[0] ? l.err : "not INI");
        else
            snprintf(err, errsz, "%s: %s", path, l.err);
        profile_free(l.p);
        return -EINVAL;
    }
    set->v = ww_reallocarray(set->v, set->n + 1, sizeof(*set->v));
    set->v[set->n++] = l.p;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int coll_profiles_load(const char *dir, struct coll_profiles **out_set, char *err, size_t errsz)
{
    struct coll_profiles *set;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int ret = 0;
    DIR *d;

    *out_set = NULL;
    err[0] = '\0';
    if (!(d = opendir(dir))) {
        ret = -errno;
        snprintf(err, errsz, "%s: %s", dir, strerror(errno));
        return ret;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0)
            continue;
        names = ww_reallocarray(names, n + 1, sizeof(*names));
        names[n++] = ww_strdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), name_cmp);
    set = ww_calloc(1, sizeof(*set));
    for (size_t i = 0; i < n; i++) {
        if (ret == 0)
            ret = load_file(set, dir, names[i], err, errsz);
        free(names[i]);
    }
    free(names);
    if (ret < 0) {
        coll_profiles_free(set);
        return ret;
    }
    *out_set = set;
    return 0;
}

void coll_profiles_free(struct coll_profiles *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        profile_free(set->v[i]);
    free(set->v);
    free(set);
}

size_t coll_profiles_count(const struct coll_profiles *set)
{
    return set ? set->n : 0;
}

static const struct coll_profiles *current;

void coll_profiles_use(const struct coll_profiles *set)
{
    current = set;
}

int coll_profiles_start(const struct ww_config *cfg, struct coll_profiles **out_set)
{
    char err[512];
    int ret = coll_profiles_load(cfg->profile_dir, out_set, err, sizeof(err));

    if (ret == -ENOENT) {
        ww_log(WW_LOG_WARN, "collector: no device profiles (%s): standard MIBs only", err);
        return 0;
    }
    if (ret < 0) {
        ww_log(WW_LOG_ERR, "collector: device profile: %s", err);
        return ret;
    }
    ww_log(WW_LOG_INFO, "collector: %zu device profiles from %s", (*out_set)->n,
           cfg->profile_dir);
    coll_profiles_use(*out_set);
    return 0;
}

const struct coll_profiles *coll_profiles_current(void)
{
    return current;
}

const char *coll_profile_name(const struct coll_profile *p)
{
    return p ? p->name : NULL;
}

const char *coll_profile_vendor(const struct coll_profile *p)
{
    return p ? p->vendor : NULL;
}

/* ---- the engine's side ------------------------------------------------------------------ */

size_t coll_profile_probe_count(void)
{
    return current ? current->nprobes : 0;
}

size_t coll_profile_probe_oid(size_t i, oid *out)
{
    memcpy(out, current->probes[i].v, current->probes[i].len * sizeof(oid));
    return current->probes[i].len;
}

void coll_profile_probe_take(struct coll_result *r, const netsnmp_variable_list *v)
{
    for (size_t i = 0; current && i < current->nprobes; i++)
        if (snmp_oid_compare(v->name, v->name_length, current->probes[i].v,
                             current->probes[i].len) == 0 &&
            !coll_is_exception(v))
            r->probes |= 1ULL << i;
}

/* "1.3.6.1.4.1.318.1.3.27" into @o */
static bool sys_oid(const struct coll_result *r, struct prof_oid *o)
{
    return r->sys_object_id && parse_oid(r->sys_object_id, o);
}

static bool oid_under(const struct prof_oid *o, const struct prof_oid *prefix)
{
    return o->len >= prefix->len && memcmp(o->v, prefix->v, prefix->len * sizeof(oid)) == 0;
}

/* how well @p fits the device: 0 not at all; *best_obj: the matching object_id */
static int score(const struct coll_profile *p, const struct coll_result *r, bool have_oid,
                 const struct prof_oid *so, const struct prof_oid **best_obj)
{
    int s = 0, obj = -1;

    *best_obj = NULL;
    if (p->nobjs) {
        for (size_t i = 0; have_oid && i < p->nobjs; i++)
            if (oid_under(so, &p->objs[i]) && (int)p->objs[i].len > obj) {
                obj = (int)p->objs[i].len;
                *best_obj = &p->objs[i];
            }
        if (obj < 0)
            return 0;
        s += 10 * obj;
    }
    if (p->ndescr) {
        bool hit = false;
        for (size_t i = 0; r->sys_descr && i < p->ndescr && !hit; i++)
            hit = regexec(&p->descr[i], r->sys_descr, 0, NULL, 0) == 0;
        if (!hit)
            return 0;
        s += 5;
    }
    if (p->probe >= 0) {
        if (!(r->probes & (1ULL << p->probe)))
            return 0;
        s += 1000;
    }
    return s;
}

/* how well an `also` line fits, with the same weights as the [profile] conditions */
static int score_also(const struct prof_also *a, const struct coll_result *r, bool have_oid,
                      const struct prof_oid *so)
{
    int s = 0;

    if (a->has_obj) {
        if (!have_oid || !oid_under(so, &a->obj))
            return 0;
        s += 10 * (int)a->obj.len;
    }
    if (a->has_re) {
        if (!r->sys_descr || regexec(&a->re, r->sys_descr, 0, NULL, 0) != 0)
            return 0;
        s += 5;
    }
    if (a->probe >= 0) {
        if (!(r->probes & (1ULL << a->probe)))
            return 0;
        s += 1000;
    }
    return s;
}

const struct coll_profile *coll_profile_match(const struct coll_result *r)
{
    const struct coll_profile *best = NULL;
    const struct prof_oid *obj;
    struct prof_oid so;
    bool have = sys_oid(r, &so);
    int top = 0;

    for (size_t i = 0; current && i < current->n; i++) {
        const struct coll_profile *p = current->v[i];
        int s = score(p, r, have, &so, &obj);
        for (size_t k = 0; k < p->nalso; k++) {
            int a = score_also(&p->also[k], r, have, &so);
            s = a > s ? a : s;
        }
        if (s > top) {
            top = s;
            best = current->v[i];
        }
    }
    return best;
}

const struct table *coll_profile_table(const struct coll_profile *p)
{
    return p && p->nvalues ? &p->table : NULL;
}

const struct column *coll_profile_column(const struct coll_profile *p, unsigned pv)
{
    return &p->cols[pv];
}

static void fold(struct coll_result *r, int pm, double x)
{
    unsigned n = r->pm_n[pm]++;

    switch (agg_of(pm)) {
    case AGG_FIRST:
        if (n == 0)
            r->pm[pm] = x;
        return;
    case AGG_MEAN:
        r->pm_acc[pm] = n ? r->pm_acc[pm] + x : x;
        r->pm[pm] = r->pm_acc[pm] / (double)(n + 1);
        return;
    case AGG_SUM:
        r->pm_acc[pm] = n ? r->pm_acc[pm] + x : x;
        r->pm[pm] = r->pm_acc[pm];
        return;
    case AGG_MAX:
        if (n == 0 || x > r->pm[pm])
            r->pm[pm] = x;
        return;
    }
}

/* the raw number of @v: integers of every SNMP type, and numbers written as text (some
 * agents give "12.5" or "37 C" in an OCTET STRING) */
static bool raw_number(const netsnmp_variable_list *v, double *out, long long *out_int)
{
    switch (v->type) {
    case ASN_INTEGER:
        *out_int = *v->val.integer;
        break;
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
        *out_int = (long long)(uint32_t)*v->val.integer;
        break;
    case ASN_COUNTER64:
        *out_int = (long long)(((uint64_t)v->val.counter64->high << 32) |
                               (uint64_t)v->val.counter64->low);
        break;
    case ASN_OCTET_STR: {
        char buf[32], *end;
        if (!v->val.string)
            return false;
        size_t n = v->val_len < sizeof(buf) - 1 ? v->val_len : sizeof(buf) - 1;
        memcpy(buf, v->val.string, n);
        buf[n] = '\0';
        *out = strtod(buf, &end);
        if (end == buf || !isfinite(*out))
            return false;
        *out_int = (long long)*out;
        return true;
    }
    default:
        return false;
    }
    *out = (double)*out_int;
    return true;
}

/* a device's text as people read it: valid UTF-8, its first line, no surrounding spaces;
 * NULL when nothing is left */
static char *clean_text(const char *s, size_t n)
{
    size_t k = 0, a = 0, b;
    char *t;

    while (k < n && s[k] != '\r' && s[k] != '\n' && s[k] != '\0')
        k++;
    t = ww_utf8_sanitize(s, k);
    b = strlen(t);

    while (t[a] == ' ' || t[a] == '\t')
        a++;
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t'))
        b--;
    if (a == b) {
        free(t);
        return NULL;
    }
    memmove(t, t + a, b - a);
    t[b - a] = '\0';
    return t;
}

void coll_profile_take(struct coll_result *r, unsigned pv, const oid *suffix, size_t slen,
                       const netsnmp_variable_list *v)
{
    const struct coll_profile *p = r->profile;
    const struct prof_value *pvv;
    long long raw_int = 0;
    double raw, x;

    if (!p || pv >= p->nvalues || coll_is_exception(v))
        return;
    pvv = &p->values[pv];
    if (pvv->what >= COLL_PM_COUNT) {
        int t = pvv->what - COLL_PM_COUNT;
        size_t n;
        if (r->pt[t] || v->type != ASN_OCTET_STR || !v->val.string)
            return;
        n = v->val_len < 256 ? v->val_len : 256;
        r->pt[t] = clean_text((const char *)v->val.string, n);
        return;
    }
    if (!raw_number(v, &raw, &raw_int))
        return;
    for (size_t i = 0; i < pvv->nignore; i++)
        if (pvv->ignore[i] == raw_int)
            return; /* a row without this reading (a board without a CPU, "invalid") */
    if (pvv->nmap) {
        size_t i;
        for (i = 0; i < pvv->nmap && pvv->map_raw[i] != raw_int; i++)
            ;
        if (i == pvv->nmap)
            return; /* a state the profile does not know: unknown */
        x = pvv->map_val[i];
    } else {
        if (raw < 0 && pvv->what != COLL_PM_TEMP_C)
            return; /* -1 "not available" and the like */
        x = raw * pvv->scale;
    }
    fold(r, pvv->what, x);
    if (r->n_pinst == r->cap_pinst) {
        r->cap_pinst = r->cap_pinst ? r->cap_pinst * 2 : 8;
        r->pinst = ww_reallocarray(r->pinst, r->cap_pinst, sizeof(*r->pinst));
    }
    r->pinst[r->n_pinst++] = (struct coll_pinst){
        .sfx = {slen >= 1 ? (uint32_t)suffix[0] : 0, slen >= 2 ? (uint32_t)suffix[1] : 0},
        .nsfx = (uint8_t)(slen >= 1 && slen <= 2 ? slen : 0),
        .pv = (uint16_t)pv};
}

void coll_profile_finish(struct coll_result *r)
{
    const struct coll_profile *p = r->profile;
    regmatch_t m[2];

    coll_os_name_edition(r);
    if (!p || !p->has_model_re || r->pt[COLL_PT_MODEL] || !r->sys_descr)
        return;
    if (regexec(&p->model_re, r->sys_descr, 2, m, 0) == 0 && m[1].rm_so >= 0 &&
        m[1].rm_eo > m[1].rm_so)
        r->pt[COLL_PT_MODEL] = clean_text(r->sys_descr + m[1].rm_so,
                                          (size_t)(m[1].rm_eo - m[1].rm_so));
}

uint64_t coll_system_mask(void)
{
    size_t n = N_SCALARS + coll_profile_probe_count();
    return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

size_t coll_system_oid(size_t i, oid *out)
{
    if (i < N_SCALARS) {
        memcpy(out, coll_scalars[i].name, coll_scalars[i].len * sizeof(oid));
        return coll_scalars[i].len;
    }
    return coll_profile_probe_oid(i - N_SCALARS, out);
}

/* ---- what the device is ----------------------------------------------------------------- */

const char *coll_result_vendor(const struct coll_result *r)
{
    return r->profile ? r->profile->vendor : NULL;
}

const char *coll_result_model(const struct coll_result *r)
{
    return r->pt[COLL_PT_MODEL];
}

static void oid_text(const struct prof_oid *o, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < o->len && at < size; i++) {
        int n = snprintf(buf + at, size - at, "%s%lu", i ? "." : "", (unsigned long)o->v[i]);
        if (n < 0)
            break;
        at += (size_t)n;
    }
}

/* the kind of matched profile @p, its evidence in @out->why */
static const char *profile_kind(const struct coll_profile *p, const struct coll_result *r,
                                struct coll_guess *out)
{
    const struct prof_oid *obj;
    struct prof_oid so;
    bool have = sys_oid(r, &so);
    char ev[96], rule[80] = "";
    const char *kind = p->kind;

    score(p, r, have, &so, &obj);
    ev[0] = '\0';
    if (obj) {
        char t[64];
        oid_text(obj, t, sizeof(t));
        snprintf(ev, sizeof(ev), "sysObjectID %s", t);
    }
    if (p->ndescr)
        snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev), "%ssysDescr", obj ? " + " : "");
    if (p->probe >= 0) {
        char t[64];
        oid_text(&current->probes[p->probe], t, sizeof(t));
        snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev), " + %s", t);
    }
    for (size_t i = 0; i < p->nkinds; i++) {
        const struct prof_kind_rule *k = &p->kinds[i];
        bool hit = k->by_oid ? have && oid_under(&so, &k->prefix)
                             : r->sys_descr && regexec(&k->re, r->sys_descr, 0, NULL, 0) == 0;
        if (hit) {
            kind = k->kind;
            snprintf(rule, sizeof(rule), " → %s",
                     k->by_oid ? "sysObjectID [kind] rule" : "sysDescr [kind] rule");
            break;
        }
    }
    snprintf(out->why, sizeof(out->why), "%s → %s (%s.ini)%s → %s", ev, p->vendor, p->name,
             rule, kind);
    out->vendor = p->vendor;
    return kind;
}

static bool has_word(const char *hay, const char *const *words)
{
    for (size_t i = 0; hay && words[i]; i++)
        if (strcasestr(hay, words[i]))
            return true;
    return false;
}

/* no profile: the standard MIBs and sysDescr's words tell */
static const char *fallback_kind(const struct coll_result *r, struct coll_guess *out)
{
    static const char *const firewall[] = {"FortiGate", "Fortinet", "firewall", "pfSense",
                                           "SonicWall", "Adaptive Security Appliance", NULL};
    static const char *const ap[] = {"AirOS", "UniFi", "UAP", "Access Point", "airMAX",
                                     "Aironet", "EAP", NULL};
    static const char *const sw[] = {"switch", "ProCurve", "Catalyst", "C2960", "C3560",
                                     "C3550", "DES-", "DGS-", "GS19", "S5720", "Comware",
                                     "JetStream", NULL};
    static const char *const router[] = {"RouterOS", "router", "EdgeOS", "Vyatta", "TD-W",
                                         "ISR", "IOS XE", "Archer", "DrayTek", NULL};
    static const struct {
        const char *const *words;
        const char *kind;
    } by_words[] = {{firewall, "firewall"}, {ap, "ap"}, {sw, "switch"}, {router, "router"}};
    const char *d = r->sys_descr;
    long long sv = r->sys_services;

    if (r->ups_battery_status >= 0 || r->ups_charge >= 0) {
        snprintf(out->why, sizeof(out->why), "UPS-MIB upsBattery → ups");
        return "ups";
    }
    if (r->n_supplies > 0) {
        snprintf(out->why, sizeof(out->why), "Printer-MIB prtMarkerSuppliesTable → printer");
        return "printer";
    }
    for (size_t i = 0; i < WW_ARRAY_SIZE(by_words); i++)
        if (has_word(d, by_words[i].words)) {
            snprintf(out->why, sizeof(out->why), "sysDescr words → %s", by_words[i].kind);
            return by_words[i].kind;
        }
    if (d && strstr(d, "Windows")) {
        const char *k = strstr(d, "Server") ? "server" : "pc";
        snprintf(out->why, sizeof(out->why), "sysDescr Windows → %s", k);
        return k;
    }
    if (d && (strncmp(d, "Linux", 5) == 0 || strstr(d, "FreeBSD"))) {
        snprintf(out->why, sizeof(out->why), "sysDescr Linux/FreeBSD → server");
        return "server";
    }
    for (size_t i = 0; i < r->n_hrdev; i++)
        if (r->hrdev[i].type == 5) { /* hrDevicePrinter, on a device with no OS named */
            snprintf(out->why, sizeof(out->why), "HOST-RESOURCES hrDevicePrinter → printer");
            return "printer";
        }
    /* sysServices (RFC 1213): 2 datalink, 4 internet, 8 end-to-end, 64 applications */
    if (sv > 0 && (sv & 4) && !(sv & 72)) {
        const char *k = (sv & 2) && r->n_ifs >= 8 ? "switch" : "router";
        snprintf(out->why, sizeof(out->why), "sysServices %lld (layer 3, no hosts), %zu "
                 "interfaces → %s", sv, r->n_ifs, k);
        return k;
    }
    if (sv > 0 && (sv & 2) && !(sv & 76)) {
        snprintf(out->why, sizeof(out->why), "sysServices %lld (layer 2) → switch", sv);
        return "switch";
    }
    if (r->n_ifs >= 8 && r->n_storage == 0) {
        snprintf(out->why, sizeof(out->why), "IF-MIB %zu interfaces, no HOST-RESOURCES → switch",
                 r->n_ifs);
        return "switch";
    }
    snprintf(out->why, sizeof(out->why), "nothing known → other");
    return "other";
}

const char *coll_guess_kind(const struct coll_result *r, struct coll_guess *out)
{
    struct coll_guess tmp;
    const struct coll_profile *p = r->profile ? r->profile : coll_profile_match(r);

    if (!out)
        out = &tmp;
    memset(out, 0, sizeof(*out));
    out->kind = p ? profile_kind(p, r, out) : fallback_kind(r, out);
    return out->kind;
}

/* ---- the measures the write path stores -------------------------------------------------- */

void coll_measure(const struct coll_result *r, struct coll_measures *out)
{
    struct coll_host_summary h;
    double pm[COLL_PM_COUNT];
    double *v = out->v;

    coll_summarize(r, &h);
    /* a value no row gave is unknown, whatever pm[] holds (a result zeroed, not initialised) */
    for (size_t i = 0; i < COLL_PM_COUNT; i++)
        v[i] = pm[i] = r->pm_n[i] ? r->pm[i] : NAN;
    if (isnan(v[COLL_PM_CPU_PCT]))
        v[COLL_PM_CPU_PCT] = h.cpu_load_pct;
    /* the profile's memory when it tells the use: used, a percentage, or total and free */
    if (!isnan(v[COLL_PM_MEM_USED]) || !isnan(v[COLL_PM_MEM_PCT]) ||
        (!isnan(pm[COLL_PM_MEM_FREE]) && !isnan(pm[COLL_PM_MEM_TOTAL]))) {
        if (isnan(v[COLL_PM_MEM_TOTAL]) && !isnan(pm[COLL_PM_MEM_USED]) &&
            !isnan(pm[COLL_PM_MEM_FREE]))
            v[COLL_PM_MEM_TOTAL] = pm[COLL_PM_MEM_USED] + pm[COLL_PM_MEM_FREE];
        if (isnan(v[COLL_PM_MEM_USED]) && !isnan(v[COLL_PM_MEM_TOTAL]) &&
            !isnan(pm[COLL_PM_MEM_FREE]))
            v[COLL_PM_MEM_USED] = v[COLL_PM_MEM_TOTAL] - pm[COLL_PM_MEM_FREE];
    } else {
        v[COLL_PM_MEM_USED] = h.mem_used;
        v[COLL_PM_MEM_TOTAL] = h.mem_total;
    }
    if (isnan(v[COLL_PM_MEM_PCT]) && !isnan(v[COLL_PM_MEM_USED]) &&
        !isnan(v[COLL_PM_MEM_TOTAL]) && v[COLL_PM_MEM_TOTAL] > 0)
        v[COLL_PM_MEM_PCT] = 100.0 * v[COLL_PM_MEM_USED] / v[COLL_PM_MEM_TOTAL];
    /* UPS-MIB (RFC 1628) where the profile gave nothing */
    if (isnan(v[COLL_PM_UPS_CHARGE]) && r->ups_charge >= 0)
        v[COLL_PM_UPS_CHARGE] = (double)r->ups_charge;
    if (isnan(v[COLL_PM_UPS_RUNTIME]) && r->ups_minutes >= 0)
        v[COLL_PM_UPS_RUNTIME] = (double)r->ups_minutes;
    if (isnan(v[COLL_PM_UPS_ON_BATTERY]) && r->ups_output_source >= 0)
        v[COLL_PM_UPS_ON_BATTERY] = r->ups_output_source == 5 ? 1 : 0;
    if (isnan(v[COLL_PM_UPS_BATTERY_STATUS]) && r->ups_battery_status >= 0)
        v[COLL_PM_UPS_BATTERY_STATUS] = (double)r->ups_battery_status;
    out->disk_max_pct = h.disk_max_pct;
}
