/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * graph.c - the fixed device graphs drawn by librrd as SVG in memory, their values as a
 * series, the percentile of a series, and the figures of a graph's legend.
 *
 * DESIGN: a graph is one row of a fixed recipe table (file, DS names, RPN per line, colours)
 * plus a range from a fixed table. The only variable parts of an rrdtool argument are the
 * file path (built by store_path() from a numeric id and a checked metric name, its ':'
 * escaped as rrdtool wants) and the caller's labels, which must pass store_label_valid().
 * Nothing a device or a browser sent ever reaches librrd.
 * Threads: rrd_graph_v() is not thread-safe (getopt's globals, the parsed-time and font
 * caches), so every call in the process holds store_getopt_lock (shared with rrd_tune() in
 * storage.c, which parses with getopt too). Lock order: a caller's own lock around the struct
 * store first, then store_getopt_lock; it is held for nothing else.
 */
#include "storage/storage.h"
#include "storage/storage_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rrd.h>

#include "common/banned.h"

#define GRAPH_WIDTH 720
#define GRAPH_HEIGHT 200
#define GRAPH_ARGS_MAX 48
#define GRAPH_MIN_SPAN 3600 /* a graph of a device's first minutes still spans an hour */

pthread_mutex_t store_getopt_lock = PTHREAD_MUTEX_INITIALIZER;

struct recipe {
    const char *name;
    const char *metric;   /* file: fixed name, or the "if-"/"disk-" prefix of per-row graphs */
    bool per_interface;   /* per row: an interface's, or a disk's (volume) */
    const char *ds[2];    /* DEF a= and b= (b may be NULL) */
    const char *col[2];   /* series column names (what each line shows) */
    const char *rpn[2];   /* CDEF of each line over a and b; NULL = no second line */
    const char *colour[2];
    bool area;            /* the first line filled */
    const char *lower, *upper; /* --lower-limit / --upper-limit, NULL = auto */
};

static const struct recipe recipes[STORE_GRAPH_COUNT] = {
    [STORE_GRAPH_TRAFFIC] = {"traffic", "if-", true, {"in_octets", "out_octets"},
                             {"in_bps", "out_bps"}, {"a,8,*", "b,8,*"},
                             {"#2E7D32", "#1565C0"}, true, "0", NULL},
    [STORE_GRAPH_ERRORS] = {"errors", "if-", true, {"in_errors", "out_errors"},
                            {"in_errors", "out_errors"}, {"a", "b"},
                            {"#C62828", "#EF6C00"}, false, "0", NULL},
    [STORE_GRAPH_CPU] = {"cpu", "host", false, {"cpu_load", NULL}, {"cpu_load", NULL},
                         {"a", NULL}, {"#6A1B9A", NULL}, true, "0", "100"},
    [STORE_GRAPH_MEMORY] = {"memory", "host", false, {"mem_used", "mem_total"},
                            {"mem_pct", NULL}, {"a,b,/,100,*", NULL}, {"#00838F", NULL}, true,
                            "0", "100"},
    [STORE_GRAPH_DISK] = {"disk", "host", false, {"disk_max_pct", NULL}, {"disk_max_pct", NULL},
                          {"a", NULL}, {"#4E342E", NULL}, true, "0", "100"},
    [STORE_GRAPH_POLL] = {"poll", "snmp", false, {"poll_ms", NULL}, {"poll_ms", NULL},
                          {"a", NULL}, {"#455A64", NULL}, false, "0", NULL},
    [STORE_GRAPH_UPS] = {"ups", "ups", false, {"charge_pct", "runtime_min"},
                         {"charge_pct", "runtime_min"}, {"a", "b"}, {"#2E7D32", "#1565C0"},
                         false, "0", NULL},
    [STORE_GRAPH_SUPPLIES] = {"supplies", "supplies", false, {"min_level_pct", NULL},
                              {"min_level_pct", NULL}, {"a", NULL}, {"#AD1457", NULL}, true,
                              "0", "100"},
    [STORE_GRAPH_VOLUME] = {"volume", "disk-", true, {"used_pct", NULL}, {"used_pct", NULL},
                            {"a", NULL}, {"#4E342E", NULL}, true, "0", "100"},
};

static const struct {
    const char *name;
    long seconds;
} ranges[STORE_RANGE_COUNT] = {
    [STORE_RANGE_DAY] = {"day", 86400L},
    [STORE_RANGE_WEEK] = {"week", 7 * 86400L},
    [STORE_RANGE_MONTH] = {"month", 31 * 86400L},
    [STORE_RANGE_YEAR] = {"year", 366 * 86400L},
};

int store_graph_parse(const char *name, enum store_graph_name *out_name)
{
    for (size_t i = 0; name && i < STORE_GRAPH_COUNT; i++) {
        if (strcmp(name, recipes[i].name) == 0) {
            *out_name = (enum store_graph_name)i;
            return 0;
        }
    }
    return -EINVAL;
}

int store_range_parse(const char *name, enum store_range *out_range)
{
    for (size_t i = 0; name && i < STORE_RANGE_COUNT; i++) {
        if (strcmp(name, ranges[i].name) == 0) {
            *out_range = (enum store_range)i;
            return 0;
        }
    }
    return -EINVAL;
}

long store_range_seconds(enum store_range r)
{
    return (unsigned)r < STORE_RANGE_COUNT ? ranges[r].seconds : 0;
}

int store_graph_metric(enum store_graph_name g, long long interface_id, char *buf, size_t size)
{
    int n;

    if ((unsigned)g >= STORE_GRAPH_COUNT)
        return -EINVAL;
    if (recipes[g].per_interface) {
        if (interface_id <= 0)
            return -EINVAL;
        n = snprintf(buf, size, "%s%lld", recipes[g].metric, interface_id);
    } else {
        n = snprintf(buf, size, "%s", recipes[g].metric);
    }
    return n < 0 || (size_t)n >= size ? -EINVAL : 0;
}

bool store_graph_per_row(enum store_graph_name g)
{
    return (unsigned)g < STORE_GRAPH_COUNT && recipes[g].per_interface;
}

size_t store_graph_nlegends(enum store_graph_name g)
{
    return (unsigned)g < STORE_GRAPH_COUNT && recipes[g].rpn[1] ? 2 : 1;
}

bool store_label_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > STORE_LABEL_MAX || !ww_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == ':' || c == '\\' || c == '%')
            return false;
    }
    return true;
}

/* @path with ':' and '\\' escaped by a backslash, as rrdtool's DEF parser reads them */
static char *escape_path(const char *path)
{
    struct ww_buf b;

    ww_buf_init(&b, 2 * PATH_MAX);
    for (const char *p = path; *p; p++) {
        if (*p == ':' || *p == '\\')
            ww_buf_add(&b, "\\", 1);
        ww_buf_add(&b, p, 1);
    }
    return ww_buf_detach(&b);
}

static int metric_path(struct store *st, long long device_id, enum store_graph_name g,
                       long long interface_id, char *path, size_t size)
{
    char metric[STORE_METRIC_MAX + 1];

    if (store_graph_metric(g, interface_id, metric, sizeof(metric)) < 0 ||
        store_path(st, device_id, metric, path, size) < 0)
        return -EINVAL;
    return access(path, F_OK) == 0 ? 0 : -ENOENT;
}

/* where the data of the graph's file begins inside [start, end], or 0 when it fills the
 * range (or cannot be read: the caller draws the whole range) */
static long long graph_first(struct store *st, long long device_id, enum store_graph_name g,
                             long long interface_id, time_t start, time_t end)
{
    char metric[STORE_METRIC_MAX + 1];
    struct store_series *s = NULL;
    time_t first = 0;

    if (store_graph_metric(g, interface_id, metric, sizeof(metric)) < 0 ||
        store_fetch(st, device_id, metric, "AVERAGE", start, end, &s) < 0)
        return 0;
    first = store_series_first(s);
    /* the first row of the archive is no news: data from before the range */
    if (first <= s->start)
        first = 0;
    store_series_free(s);
    return (long long)first;
}

int store_graph(struct store *st, long long device_id, enum store_graph_name g,
                long long interface_id, enum store_range range, time_t end, unsigned width,
                unsigned height, const struct store_graph_labels *labels,
                unsigned char **out_svg, size_t *out_len)
{
    const struct recipe *r;
    char path[PATH_MAX];
    char *argv[GRAPH_ARGS_MAX] = {NULL};
    char *owned[GRAPH_ARGS_MAX] = {NULL}; /* what ARGF allocated: getopt may permute argv */
    char *epath = NULL;
    rrd_info_t *info = NULL;
    int argc = 0, nowned = 0, ret;
    long long start, first;
    size_t nlines;

#define ARG(s) (argv[argc++] = (char *)(s))
#define ARGF(...) (argv[argc++] = owned[nowned++] = ww_asprintf(__VA_ARGS__))

    if ((unsigned)g >= STORE_GRAPH_COUNT || (unsigned)range >= STORE_RANGE_COUNT || !labels ||
        !store_label_valid(labels->title) || !store_label_valid(labels->vlabel))
        return -EINVAL;
    r = &recipes[g];
    nlines = store_graph_nlegends(g);
    for (size_t i = 0; i < nlines; i++)
        if (!store_label_valid(labels->legend[i]))
            return -EINVAL;
    ret = metric_path(st, device_id, g, interface_id, path, sizeof(path));
    if (ret < 0)
        return ret;
    if (end <= 0)
        end = time(NULL);
    width = width ? width : GRAPH_WIDTH;
    height = height ? height : GRAPH_HEIGHT;
    if (width < 100 || width > 4000 || height < 50 || height > 2000)
        return -EINVAL;
    store_flush_cached(st, path);
    start = (long long)end - ranges[range].seconds;
    first = graph_first(st, device_id, g, interface_id, (time_t)start, end);
    if (first > start)
        start = first < (long long)end - GRAPH_MIN_SPAN ? first : (long long)end - GRAPH_MIN_SPAN;
    epath = escape_path(path);

    ARG("graph");
    ARG("-");
    ARG("--imgformat");
    ARG("SVG");
    ARGF("--start=%lld", start);
    ARGF("--end=%lld", (long long)end);
    ARGF("--width=%u", width);
    ARGF("--height=%u", height);
    ARG("--title");
    ARG(labels->title);
    ARG("--vertical-label");
    ARG(labels->vlabel);
    ARG("--disable-rrdtool-tag");
    ARG("--font=DEFAULT:11:");
    ARG("--font=TITLE:13:");
    ARG("--font=AXIS:10:");
    ARG("--font=UNIT:11:");
    ARG("--font=LEGEND:11:");
    ARG("--slope-mode");
    ARG("--color=BACK#FFFFFF");
    ARG("--color=SHADEA#FFFFFF");
    ARG("--color=SHADEB#FFFFFF");
    if (r->lower) {
        ARGF("--lower-limit=%s", r->lower);
        ARG("--rigid");
    }
    if (r->upper)
        ARGF("--upper-limit=%s", r->upper);
    ARGF("DEF:a=%s:%s:AVERAGE", epath, r->ds[0]);
    if (r->ds[1])
        ARGF("DEF:b=%s:%s:AVERAGE", epath, r->ds[1]);
    for (size_t i = 0; i < nlines; i++) {
        ARGF("CDEF:l%zu=%s", i, r->rpn[i]);
        ARGF("%s:l%zu%s:%s", i == 0 && r->area ? "AREA" : "LINE2", i, r->colour[i],
             labels->legend[i]);
    }

    pthread_mutex_lock(&store_getopt_lock);
    rrd_clear_error();
    info = rrd_graph_v(argc, argv);
    if (!info) {
        ret = ww_error(-EIO, "storage: graph '%s' of '%s': %s", r->name, path,
                       rrd_get_error() && *rrd_get_error() ? rrd_get_error() : "librrd failed");
    } else {
        ret = -EIO;
        for (rrd_info_t *p = info; p; p = p->next) {
            if (p->type == RD_I_BLO && strcmp(p->key, "image") == 0 && p->value.u_blo.size) {
                *out_svg = ww_malloc(p->value.u_blo.size);
                memcpy(*out_svg, p->value.u_blo.ptr, p->value.u_blo.size);
                *out_len = p->value.u_blo.size;
                ret = 0;
                break;
            }
        }
        if (ret < 0)
            ww_error(-EIO, "storage: graph '%s' of '%s': librrd gave no image", r->name, path);
        rrd_info_free(info);
    }
    pthread_mutex_unlock(&store_getopt_lock);
#undef ARG
#undef ARGF
    for (int i = 0; i < nowned; i++)
        free(owned[i]);
    free(epath);
    return ret;
}

static int find_col(const struct store_series *s, const char *name)
{
    for (size_t i = 0; i < s->cols; i++)
        if (strcmp(s->names[i], name) == 0)
            return (int)i;
    return -1;
}

int store_graph_series(struct store *st, long long device_id, enum store_graph_name g,
                       long long interface_id, enum store_range range, const char *cf,
                       time_t end, struct store_series **out_series)
{
    char metric[STORE_METRIC_MAX + 1];
    struct store_series *raw = NULL, *s = NULL;
    const struct recipe *r;
    int ca, cb = -1, ret;
    size_t ncols;

    if ((unsigned)g >= STORE_GRAPH_COUNT || (unsigned)range >= STORE_RANGE_COUNT ||
        store_graph_metric(g, interface_id, metric, sizeof(metric)) < 0)
        return -EINVAL;
    r = &recipes[g];
    if (end <= 0)
        end = time(NULL);
    ret = store_fetch(st, device_id, metric, cf, end - ranges[range].seconds, end, &raw);
    if (ret < 0)
        return ret;
    ca = find_col(raw, r->ds[0]);
    if (r->ds[1])
        cb = find_col(raw, r->ds[1]);
    if (ca < 0 || (r->ds[1] && cb < 0)) {
        ret = ww_error(-EIO, "storage: metric '%s' of device %lld lacks the DS of graph '%s'",
                       metric, device_id, r->name);
        goto out;
    }
    ncols = store_graph_nlegends(g);
    s = ww_calloc(1, sizeof(*s));
    s->start = raw->start;
    s->end = raw->end;
    s->step = raw->step;
    s->rows = raw->rows;
    s->cols = ncols;
    s->names = ww_reallocarray(NULL, ncols, sizeof(char *));
    for (size_t c = 0; c < ncols; c++)
        s->names[c] = ww_strdup(r->col[c]);
    s->values = ww_reallocarray(NULL, raw->rows ? raw->rows : 1, ncols * sizeof(double));
    for (size_t i = 0; i < raw->rows; i++) {
        double a = raw->values[i * raw->cols + (size_t)ca];
        double b = cb >= 0 ? raw->values[i * raw->cols + (size_t)cb] : NAN;
        for (size_t c = 0; c < ncols; c++) {
            double v;
            switch (g) {
            case STORE_GRAPH_TRAFFIC: v = (c == 0 ? a : b) * 8.0; break;
            case STORE_GRAPH_MEMORY: v = b > 0 ? a / b * 100.0 : NAN; break;
            default: v = c == 0 ? a : b; break;
            }
            s->values[i * ncols + c] = v;
        }
    }
    *out_series = s;
    s = NULL;
    ret = 0;
out:
    store_series_free(raw);
    store_series_free(s);
    return ret;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

int store_percentile(const double *v, size_t n, double p, double *out_value, size_t *out_k)
{
    double *sorted;
    size_t k = 0, rank;

    if (!(p > 0 && p <= 100))
        return -EINVAL;
    sorted = ww_reallocarray(NULL, n ? n : 1, sizeof(double));
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            sorted[k++] = v[i];
    if (out_k)
        *out_k = k;
    if (k == 0) {
        free(sorted);
        return -ENOENT;
    }
    qsort(sorted, k, sizeof(double), cmp_double);
    /* nearest rank: ceil(p/100 * k), computed in integers where p is whole (95 -> exact) */
    rank = (size_t)ceil(p / 100.0 * (double)k - 1e-9);
    if (rank < 1)
        rank = 1;
    if (rank > k)
        rank = k;
    *out_value = sorted[rank - 1];
    free(sorted);
    return 0;
}

int store_series_stats(const struct store_series *s, size_t col, struct store_stats *out_stats)
{
    double sum = 0, max = NAN, cur = NAN, *v;
    size_t n = 0;

    out_stats->current = out_stats->average = out_stats->maximum = out_stats->p95 = NAN;
    out_stats->n = 0;
    if (!s || col >= s->cols)
        return -EINVAL;
    v = ww_reallocarray(NULL, s->rows ? s->rows : 1, sizeof(double));
    for (size_t r = 0; r < s->rows; r++) {
        double x = s->values[r * s->cols + col];
        v[r] = x;
        if (!isfinite(x))
            continue;
        sum += x;
        if (n == 0 || x > max)
            max = x;
        cur = x;
        n++;
    }
    if (n == 0) {
        free(v);
        return -ENOENT;
    }
    out_stats->current = cur;
    out_stats->average = sum / (double)n;
    out_stats->maximum = max;
    out_stats->n = n;
    if (store_percentile(v, s->rows, 95, &out_stats->p95, NULL) < 0)
        out_stats->p95 = NAN;
    free(v);
    return 0;
}

time_t store_series_first(const struct store_series *s)
{
    for (size_t r = 0; s && r < s->rows; r++)
        for (size_t c = 0; c < s->cols; c++)
            if (isfinite(s->values[r * s->cols + c]))
                return s->start + (time_t)(r * s->step);
    return 0;
}

int store_graph_stats(struct store *st, long long device_id, enum store_graph_name g,
                      long long interface_id, enum store_range range, time_t end,
                      struct store_stats out_stats[STORE_GRAPH_LEGENDS], size_t *out_n,
                      time_t *out_first)
{
    struct store_series *s = NULL;
    int ret;

    ret = store_graph_series(st, device_id, g, interface_id, range, "AVERAGE", end, &s);
    if (ret < 0)
        return ret;
    *out_n = s->cols < STORE_GRAPH_LEGENDS ? s->cols : STORE_GRAPH_LEGENDS;
    for (size_t c = 0; c < *out_n; c++)
        store_series_stats(s, c, &out_stats[c]); /* -ENOENT: the figures stay NAN */
    if (out_first)
        *out_first = store_series_first(s);
    store_series_free(s);
    return 0;
}
