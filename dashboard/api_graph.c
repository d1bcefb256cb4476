/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_graph.c - what is read from the RRD files: device graphs (SVG drawn by librrd), their
 * series as JSON, the monthly 95th percentile of a link, the busiest links at peak hours,
 * and the Prometheus /metrics page (behind a bearer token).
 *
 * DESIGN
 * Whitelists only: every parameter of these routes is checked on the raw query (known
 * name, once, a value of [A-Za-z0-9_-], nothing percent-encoded) and then against a fixed
 * table (graph names, ranges, languages); the RRD file comes from the numeric ids. No text
 * of the request, and no text a device sent, ever reaches an rrdtool argument: the graph
 * labels are the i18n strings of the UI (www/i18n/<lang>.json, "graph.*" keys), checked by
 * store_label_valid(), and the interface name is shown by the page in HTML.
 * Locks: db_lock around inventory calls, store_lock around every struct store call (the
 * rrdcached client is one connection per process; store_graph() serialises librrd's graph
 * code itself). The two are never held together.
 * Office hours: a small local reading of the [availability] strings (hours, days, and a
 * fixed UTC offset for the zone); holidays are not taken out here.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"
#include "storage/storage.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "common/banned.h"

#define GRAPH_PARAM_MAX 32
#define GRAPH_WIDTH_MIN 200 /* the plot width a page may ask for, in pixels */
#define GRAPH_WIDTH_MAX 1600
#define BUSIEST_LIMIT_MAX 100
#define METRICS_TOKEN_KEY "metrics_token_hash"

/* ---- raw query whitelist ------------------------------------------------------------------ */

static bool value_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

bool dash_query_whitelisted(struct dash_req *req, const char *const *names,
                            struct dash_reply *out)
{
    const char *q = strchr(req->target, '?');
    bool seen[16] = {false};

    if (!q || !q[1])
        return true;
    for (q++; *q;) {
        const char *amp = strchr(q, '&'), *end = amp ? amp : q + strlen(q);
        const char *eq = memchr(q, '=', (size_t)(end - q));
        size_t klen = eq ? (size_t)(eq - q) : 0, vlen = eq ? (size_t)(end - eq - 1) : 0;
        size_t k;

        if (!eq || vlen == 0 || vlen > GRAPH_PARAM_MAX)
            goto bad;
        for (k = 0; names[k]; k++)
            if (k < WW_ARRAY_SIZE(seen) && strlen(names[k]) == klen &&
                memcmp(names[k], q, klen) == 0)
                break;
        if (!names[k] || k >= WW_ARRAY_SIZE(seen) || seen[k])
            goto bad;
        seen[k] = true;
        for (const char *p = eq + 1; p < end; p++)
            if (!value_char(*p))
                goto bad;
        q = amp ? amp + 1 : end;
        if (amp && !*q)
            goto bad; /* a trailing '&' */
    }
    return true;
bad:
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", NULL);
    return false;
}

static void reply_bad_param(struct dash_reply *out, const char *name)
{
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", name);
}

/* one of @values, by index; absent = @def; -1 when present but not listed */
static int pick(const char *value, const char *const *values, int def)
{
    if (!value)
        return def;
    for (int i = 0; values[i]; i++)
        if (strcmp(value, values[i]) == 0)
            return i;
    return -1;
}

/* ---- graph labels from the UI's strings ------------------------------------------------- */

/* the words of @key (the server's i18n files) when they are safe in a graph, else the key
 * itself (which is) */
static const char *label(struct dash_req *req, enum ww_lang lang, const char *key)
{
    const char *s = ww_i18n_text(req->srv->words, lang, key);
    return s && store_label_valid(s) ? s : key;
}

/* ---- shared parsing of the graph and series routes --------------------------------------- */

static const char *const graph_names[] = {"traffic", "errors", "cpu",    "memory", "disk",
                                          "poll",    "ups",    "supplies", "volume", NULL};
static const char *const range_names[] = {"day", "week", "month", "year", NULL};

struct graph_req {
    long long device_id, interface_id, disk_id;
    long long row_id; /* the per-row graph's row: interface_id or disk_id */
    enum store_graph_name graph;
    enum store_range range;
};

/* ids, name, interface and range of a graph or series request, checked against the
 * database; false = @out holds the refusal */
static bool graph_request(struct dash_req *req, struct dash_reply *out, struct graph_req *g)
{
    const char *ifp = dash_query(req, "interface"), *dkp = dash_query(req, "disk");
    char metric[STORE_METRIC_MAX + 1];
    long long owner = 0;
    bool per_disk;
    int r, ret = 0;

    memset(g, 0, sizeof(*g));
    if (dash_param_id(req->params[0], &g->device_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_id", "id");
        return false;
    }
    if (store_graph_parse(dash_query(req, "name"), &g->graph) < 0) {
        reply_bad_param(out, "name");
        return false;
    }
    r = pick(dash_query(req, "range"), range_names, STORE_RANGE_DAY);
    if (r < 0) {
        reply_bad_param(out, "range");
        return false;
    }
    g->range = (enum store_range)r;
    if (ifp && dash_param_id(ifp, &g->interface_id) < 0) {
        reply_bad_param(out, "interface");
        return false;
    }
    if (dkp && dash_param_id(dkp, &g->disk_id) < 0) {
        reply_bad_param(out, "disk");
        return false;
    }
    /* a per-row graph needs its row (volume: a disk; traffic, errors: an interface), the
     * others take none */
    per_disk = g->graph == STORE_GRAPH_VOLUME;
    if ((per_disk && ifp) || (!per_disk && dkp)) {
        reply_bad_param(out, per_disk ? "interface" : "disk");
        return false;
    }
    g->row_id = per_disk ? g->disk_id : g->interface_id;
    if ((store_graph_metric(g->graph, g->row_id, metric, sizeof(metric)) < 0) ||
        ((ifp || dkp) && !store_graph_per_row(g->graph))) {
        reply_bad_param(out, per_disk ? "disk" : "interface");
        return false;
    }
    if (!req->srv->store) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        return false;
    }
    dash_lock(req);
    {
        struct inv_device d;
        inv_device_init(&d);
        ret = inv_device_get(req->srv->db, g->device_id, &d);
        inv_device_release(&d);
    }
    if (ret == 0 && g->interface_id)
        ret = inv_interface_device(req->srv->db, g->interface_id, &owner);
    else if (ret == 0 && g->disk_id)
        ret = inv_disk_device(req->srv->db, g->disk_id, &owner);
    dash_unlock(req);
    if (ret == -ENOENT || (ret == 0 && g->row_id && owner != g->device_id)) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        return false;
    }
    if (ret < 0) {
        dash_reply_db_failed(out);
        return false;
    }
    return true;
}

static void reply_store_error(struct dash_reply *out, int ret)
{
    if (ret == -ENOENT)
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
    else if (ret == -EINVAL)
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    else
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
}

/* ---- GET /api/v1/devices/{id}/graph ------------------------------------------------------ */

static void api_graph(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"name", "interface", "disk", "range", "lang", "width",
                                         NULL};
    static const char *const langs[] = {"vi", "en", NULL};
    const char *wp = dash_query(req, "width");
    long long width = 0;
    struct graph_req g;
    struct store_graph_labels labels = {0};
    unsigned char *svg = NULL;
    size_t len = 0;
    char keys[4][48];
    int lang, ret;

    if (!dash_query_whitelisted(req, params, out) || !graph_request(req, out, &g))
        return;
    lang = pick(dash_query(req, "lang"), langs, 0);
    if (lang < 0) {
        reply_bad_param(out, "lang");
        return;
    }
    /* the plot area the page has room for: the text stays its size on a phone */
    if (wp && (dash_param_id(wp, &width) < 0 || width < GRAPH_WIDTH_MIN || width > GRAPH_WIDTH_MAX)) {
        reply_bad_param(out, "width");
        return;
    }
    snprintf(keys[0], sizeof(keys[0]), "graph.%s.title", graph_names[g.graph]);
    snprintf(keys[1], sizeof(keys[1]), "graph.%s.vlabel", graph_names[g.graph]);
    snprintf(keys[2], sizeof(keys[2]), "graph.%s.legend1", graph_names[g.graph]);
    snprintf(keys[3], sizeof(keys[3]), "graph.%s.legend2", graph_names[g.graph]);
    labels.title = label(req, ww_lang_parse(langs[lang]), keys[0]);
    labels.vlabel = label(req, ww_lang_parse(langs[lang]), keys[1]);
    labels.legend[0] = label(req, ww_lang_parse(langs[lang]), keys[2]);
    labels.legend[1] = label(req, ww_lang_parse(langs[lang]), keys[3]);

    pthread_mutex_lock(&req->srv->store_lock);
    ret = store_graph(req->srv->store, g.device_id, g.graph, g.row_id, g.range, 0,
                      (unsigned)width, 0, &labels, &svg, &len);
    pthread_mutex_unlock(&req->srv->store_lock);
    if (ret < 0) {
        reply_store_error(out, ret);
        return;
    }
    dash_reply_release(out);
    out->raw = MHD_create_response_from_buffer(len, svg, MHD_RESPMEM_MUST_FREE);
    if (!out->raw) {
        free(svg);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    out->status = MHD_HTTP_OK;
    out->content_type = "image/svg+xml";
    out->cache_control = "private, max-age=60";
}

/* ---- GET /api/v1/devices/{id}/series ----------------------------------------------------- */

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void api_series(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"name", "interface", "disk", "range", "cf", NULL};
    static const char *const cfs[] = {"AVERAGE", "MAX", NULL};
    struct store_series *s = NULL;
    struct graph_req g;
    json_t *o, *cols, *rows;
    int cf, ret;

    if (!dash_query_whitelisted(req, params, out) || !graph_request(req, out, &g))
        return;
    cf = pick(dash_query(req, "cf"), cfs, 0);
    if (cf < 0) {
        reply_bad_param(out, "cf");
        return;
    }
    pthread_mutex_lock(&req->srv->store_lock);
    ret = store_graph_series(req->srv->store, g.device_id, g.graph, g.row_id, g.range,
                             cfs[cf], 0, &s);
    pthread_mutex_unlock(&req->srv->store_lock);
    if (ret < 0) {
        reply_store_error(out, ret);
        return;
    }
    cols = json_array();
    for (size_t c = 0; c < s->cols; c++)
        json_array_append_new(cols, json_string(s->names[c]));
    rows = json_array();
    for (size_t r = 0; r < s->rows; r++) {
        /* a row's time is the end of the interval it averages, as rrdtool fetch prints */
        json_t *row = json_array();
        json_array_append_new(row, json_integer((json_int_t)(s->start + (time_t)((r + 1) * s->step))));
        for (size_t c = 0; c < s->cols; c++)
            json_array_append_new(row, num_or_null(s->values[r * s->cols + c]));
        json_array_append_new(rows, row);
    }
    o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:o, s:o}", "name", graph_names[g.graph],
                  "device_id", (json_int_t)g.device_id, "start", (json_int_t)s->start, "end",
                  (json_int_t)s->end, "step", (json_int_t)s->step, "cf", cfs[cf], "columns",
                  cols, "rows", rows);
    if (g.interface_id)
        json_object_set_new(o, "interface_id", json_integer(g.interface_id));
    if (g.disk_id)
        json_object_set_new(o, "disk_id", json_integer(g.disk_id));
    store_series_free(s);
    dash_reply_json(out, MHD_HTTP_OK, o);
}

/* ---- GET /api/v1/devices/{id}/stats ------------------------------------------------------ */

/* the legend of a graph: current, average, maximum and 95th percentile of each line over
 * the range, from the same rows the graph draws; and where its data begins */
static void api_stats(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"name", "interface", "disk", "range", NULL};
    struct store_stats stats[STORE_GRAPH_LEGENDS];
    struct graph_req g;
    size_t n = 0;
    time_t first = 0;
    json_t *o, *lines;
    int ret;

    if (!dash_query_whitelisted(req, params, out) || !graph_request(req, out, &g))
        return;
    pthread_mutex_lock(&req->srv->store_lock);
    ret = store_graph_stats(req->srv->store, g.device_id, g.graph, g.row_id, g.range, 0,
                            stats, &n, &first);
    pthread_mutex_unlock(&req->srv->store_lock);
    if (ret < 0) {
        reply_store_error(out, ret);
        return;
    }
    lines = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(lines, json_pack("{s:o, s:o, s:o, s:o, s:I}", "current",
                                               num_or_null(stats[i].current), "average",
                                               num_or_null(stats[i].average), "maximum",
                                               num_or_null(stats[i].maximum), "p95",
                                               num_or_null(stats[i].p95), "samples",
                                               (json_int_t)stats[i].n));
    o = json_pack("{s:s, s:s, s:I, s:o, s:o}", "name", graph_names[g.graph], "range",
                  range_names[g.range], "device_id", (json_int_t)g.device_id, "first_at",
                  dash_json_time(first), "lines", lines);
    if (g.interface_id)
        json_object_set_new(o, "interface_id", json_integer(g.interface_id));
    if (g.disk_id)
        json_object_set_new(o, "disk_id", json_integer(g.disk_id));
    dash_reply_json(out, MHD_HTTP_OK, o);
}

/* ---- GET /api/v1/interfaces/{id}/p95 ----------------------------------------------------- */

/* days since 1970-01-01 of a civil date (Howard Hinnant's algorithm) */
/* local midnight of the first day of month @m (1..12, may be 13 = January of y + 1) */
static time_t month_start(int y, int m)
{
    struct tm tm = {0};

    tm.tm_year = y - 1900 + (m > 12);
    tm.tm_mon = (m - 1) % 12;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

/* "YYYY-MM" (or the current month in the office's zone when NULL) to its first second and
 * the first second of the next month, both local (the process's zone is the office's) */
static int month_bounds(const char *month, char out_name[24], time_t *out_start,
                        time_t *out_end)
{
    int y, m;

    if (month) {
        if (strlen(month) != 7 || month[4] != '-')
            return -EINVAL;
        for (int i = 0; i < 7; i++)
            if (i != 4 && !(month[i] >= '0' && month[i] <= '9'))
                return -EINVAL;
        y = (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 +
            (month[3] - '0');
        m = (month[5] - '0') * 10 + (month[6] - '0');
        if (y < 2000 || y > 2100 || m < 1 || m > 12)
            return -EINVAL;
    } else {
        char today[11];
        int key;

        if (ww_office_today(today) < 0 || ww_office_day_key(today, &key) < 0)
            return -EINVAL;
        y = key / 10000;
        m = key / 100 % 100;
    }
    snprintf(out_name, 24, "%04d-%02d", y, m);
    *out_start = month_start(y, m);
    *out_end = month_start(y, m + 1);
    return *out_start == (time_t)-1 || *out_end == (time_t)-1 ? -EINVAL : 0;
}

static int col_of(const struct store_series *s, const char *name)
{
    for (size_t i = 0; i < s->cols; i++)
        if (strcmp(s->names[i], name) == 0)
            return (int)i;
    return -1;
}

/* the interface row @id of @device_id into @out (name and speed), under the caller's lock */
static int find_interface(struct ww_db *db, long long device_id, long long id, char **out_name,
                          long long *out_speed)
{
    struct inv_interface *ifs = NULL;
    size_t n = 0;
    int ret = inv_interface_list(db, device_id, &ifs, &n);

    if (ret < 0)
        return ret;
    ret = -ENOENT;
    for (size_t i = 0; i < n; i++) {
        if (ifs[i].id != id)
            continue;
        *out_name = ww_strdup(ifs[i].name ? ifs[i].name : ifs[i].if_key);
        *out_speed = ifs[i].speed_bps;
        ret = 0;
    }
    inv_interface_list_free(ifs, n);
    return ret;
}

static void api_p95(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"month", NULL};
    struct store_series *s = NULL;
    long long id, device_id = 0, speed = 0;
    char *name = NULL, metric[STORE_METRIC_MAX + 1], month[24];
    double *in = NULL, *outv = NULL, p_in = NAN, p_out = NAN, p95;
    time_t start, end, now = time(NULL);
    size_t k = 0;
    int ret, ci, co;
    json_t *o;

    if (!dash_query_whitelisted(req, params, out))
        return;
    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_id", "id");
        return;
    }
    if (month_bounds(dash_query(req, "month"), month, &start,
                     &end) < 0) {
        reply_bad_param(out, "month");
        return;
    }
    dash_lock(req);
    ret = inv_interface_device(req->srv->db, id, &device_id);
    if (ret == 0)
        ret = find_interface(req->srv->db, device_id, id, &name, &speed);
    dash_unlock(req);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        goto out;
    }
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    if (!req->srv->store) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        goto out;
    }
    if (end > now)
        end = now;
    if (end > start) {
        snprintf(metric, sizeof(metric), "if-%lld", id);
        pthread_mutex_lock(&req->srv->store_lock);
        ret = store_fetch(req->srv->store, device_id, metric, "AVERAGE", start, end, &s);
        pthread_mutex_unlock(&req->srv->store_lock);
        if (ret < 0) {
            reply_store_error(out, ret);
            goto out;
        }
        ci = col_of(s, "in_octets");
        co = col_of(s, "out_octets");
        in = ww_reallocarray(NULL, s->rows ? s->rows : 1, sizeof(double));
        outv = ww_reallocarray(NULL, s->rows ? s->rows : 1, sizeof(double));
        for (size_t r = 0; r < s->rows; r++) {
            time_t t = s->start + (time_t)((r + 1) * s->step);
            /* rows of the month only: the archive's rows may start before it */
            bool inside = t > start && t <= end;
            in[r] = inside && ci >= 0 ? s->values[r * s->cols + (size_t)ci] * 8.0 : NAN;
            outv[r] = inside && co >= 0 ? s->values[r * s->cols + (size_t)co] * 8.0 : NAN;
        }
        store_percentile(in, s->rows, 95, &p_in, &k);
        store_percentile(outv, s->rows, 95, &p_out, NULL);
    }
    p95 = isnan(p_in) ? p_out : isnan(p_out) ? p_in : (p_in > p_out ? p_in : p_out);
    o = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:I, s:o, s:I, s:I}", "interface_id",
                  (json_int_t)id, "device_id", (json_int_t)device_id, "month", month, "in_bps",
                  num_or_null(p_in), "out_bps", num_or_null(p_out), "p95_bps", num_or_null(p95),
                  "speed_bps", (json_int_t)speed, "pct_of_speed",
                  num_or_null(speed > 0 ? p95 / (double)speed * 100.0 : NAN), "samples",
                  (json_int_t)k, "step_s", (json_int_t)(s ? s->step : 0));
    json_object_set_new(o, "interface_name", dash_json_text(name));
    dash_reply_json(out, MHD_HTTP_OK, o);
out:
    free(in);
    free(outv);
    free(name);
    store_series_free(s);
}

/* ---- GET /api/v1/links/busiest ------------------------------------------------------------ */

/*
 * The answer reads one RRD file per interface with a speed: at 30,000 interfaces that is
 * 30,000 file opens and reads, seconds of work, and the overview page asks for it on every
 * open page. So the top BUSIEST_LIMIT_MAX links of each (period, office) are kept for
 * busiest_keep_s[period] seconds and the limit is applied to the kept list: a figure is
 * at most that old, no older than one row of the archive the period reads (1 minute for a
 * day; 30 minutes, 2 hours and 1 day beyond), and a device renamed or an interface's speed
 * changed shows by then too. One computation at a time (srv->busiest->compute_lock); the others
 * that missed wait for it and take its answer. The links come from the database in one
 * statement under db_lock, the files are read after it is released.
 * Lock order: compute_lock, then db_lock or store_lock (never together);
 * srv->busiest->lock guards the kept lists only and is held with nothing else.
 */
#define BUSIEST_PERIODS 4

struct link {
    long long device_id, interface_id, speed;
    char *device_name, *name;
    double peak_in, peak_out, p95; /* % of speed */
    size_t samples;
};

struct busiest_kept {
    bool valid;
    time_t at;         /* when it was computed */
    struct link *top;  /* owned, at most BUSIEST_LIMIT_MAX, busiest first */
    size_t n;
};

static const long busiest_keep_s[BUSIEST_PERIODS] = {60, 300, 300, 300};

/* one server's kept lists (srv->busiest) */
struct dash_busiest {
    pthread_mutex_t lock;         /* busiest_lock: the lists below */
    pthread_mutex_t compute_lock; /* busiest_compute_lock: one computation at a time */
    struct busiest_kept kept[BUSIEST_PERIODS][2];
};

static void links_free(struct link *links, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(links[i].device_name);
        free(links[i].name);
    }
    free(links);
}

struct dash_busiest *dash_busiest_new(void)
{
    struct dash_busiest *b = ww_calloc(1, sizeof(*b));

    pthread_mutex_init(&b->lock, NULL);
    pthread_mutex_init(&b->compute_lock, NULL);
    return b;
}

void dash_busiest_free(struct dash_busiest *b)
{
    if (!b)
        return;
    for (size_t p = 0; p < BUSIEST_PERIODS; p++)
        for (size_t o = 0; o < 2; o++)
            links_free(b->kept[p][o].top, b->kept[p][o].n);
    pthread_mutex_destroy(&b->lock);
    pthread_mutex_destroy(&b->compute_lock);
    free(b);
}

static int by_peak(const void *a, const void *b)
{
    const struct link *x = a, *y = b;
    double px = x->peak_in > x->peak_out ? x->peak_in : x->peak_out;
    double py = y->peak_in > y->peak_out ? y->peak_in : y->peak_out;
    if (px != py)
        return px > py ? -1 : 1;
    return x->interface_id < y->interface_id ? -1 : x->interface_id > y->interface_id;
}

/* the links of enabled devices with a known speed, under the caller's db lock */
static int list_links(struct ww_db *db, struct link **out, size_t *out_n)
{
    struct inv_link *rows = NULL;
    struct link *links = NULL;
    size_t n = 0;
    int ret = inv_link_list(db, &rows, &n);

    if (ret == 0 && n) {
        links = ww_calloc(n, sizeof(*links));
        for (size_t i = 0; i < n; i++) {
            links[i].device_id = rows[i].device_id;
            links[i].interface_id = rows[i].interface_id;
            links[i].speed = rows[i].speed_bps;
            links[i].device_name = rows[i].device_name; /* ownership moved */
            links[i].name = rows[i].name;
            rows[i].device_name = rows[i].name = NULL;
        }
    }
    inv_link_list_free(rows, n);
    *out = links;
    *out_n = ret == 0 ? n : 0;
    return ret;
}

/* peaks and p95 of one link's averages in the period (office hours only when @cal) */
static void measure_link(struct dash_server *srv, struct link *l, time_t start, time_t end,
                         const struct ww_office_cal *cal)
{
    struct store_series *s = NULL;
    char metric[STORE_METRIC_MAX + 1];
    double *both = NULL, p95 = NAN;
    int ci, co, ret;

    snprintf(metric, sizeof(metric), "if-%lld", l->interface_id);
    pthread_mutex_lock(&srv->store_lock);
    ret = store_fetch(srv->store, l->device_id, metric, "AVERAGE", start, end, &s);
    pthread_mutex_unlock(&srv->store_lock);
    if (ret < 0)
        return;
    ci = col_of(s, "in_octets");
    co = col_of(s, "out_octets");
    both = ww_reallocarray(NULL, s->rows ? s->rows : 1, sizeof(double));
    for (size_t r = 0; r < s->rows; r++) {
        /* the middle of the interval the row averages decides whether it is office time */
        time_t mid = s->start + (time_t)(r * s->step + s->step / 2);
        double vi = ci >= 0 ? s->values[r * s->cols + (size_t)ci] * 8.0 : NAN;
        double vo = co >= 0 ? s->values[r * s->cols + (size_t)co] * 8.0 : NAN;
        both[r] = NAN;
        if ((cal && !ww_office_cal_contains(cal, mid)) || (isnan(vi) && isnan(vo)))
            continue;
        if (!isnan(vi) && vi > l->peak_in)
            l->peak_in = vi;
        if (!isnan(vo) && vo > l->peak_out)
            l->peak_out = vo;
        both[r] = isnan(vi) ? vo : isnan(vo) ? vi : (vi > vo ? vi : vo);
    }
    store_percentile(both, s->rows, 95, &p95, &l->samples);
    l->peak_in = l->peak_in / (double)l->speed * 100.0;
    l->peak_out = l->peak_out / (double)l->speed * 100.0;
    l->p95 = isnan(p95) ? NAN : p95 / (double)l->speed * 100.0;
    free(both);
    store_series_free(s);
}

/* the busiest links of the period ending now, at most BUSIEST_LIMIT_MAX, into @out (owned
 * by the caller); -EIO when the database could not be read */
static int busiest_compute(struct dash_req *req, int period, bool office, struct link **out,
                           size_t *out_n)
{
    static const long period_s[BUSIEST_PERIODS] = {86400, 7 * 86400, 30 * 86400, 365 * 86400};
    struct dash_server *srv = req->srv;
    struct ww_office_cal cal = {0};
    struct link *links = NULL;
    size_t n = 0, kept = 0;
    time_t now = time(NULL);
    int ret;

    *out = NULL;
    *out_n = 0;
    dash_lock(req);
    ret = list_links(srv->db, &links, &n);
    /* office time as availability counts it, holidays off: the rows fetched may begin or end
     * one archive step (at most a day) beyond the period, so the calendar covers that too */
    if (ret == 0 && office)
        ret = inv_office_calendar(srv->db, &srv->office, now - period_s[period] - 86400,
                                  now + 86400, &cal);
    dash_unlock(req);
    if (ret < 0) {
        links_free(links, n);
        ww_office_cal_release(&cal);
        return ret;
    }
    for (size_t i = 0; srv->store && i < n; i++) {
        measure_link(srv, &links[i], now - period_s[period], now, office ? &cal : NULL);
        if (links[i].samples) {
            links[kept++] = links[i];
        } else {
            free(links[i].device_name);
            free(links[i].name);
        }
    }
    ww_office_cal_release(&cal);
    if (!srv->store) {
        links_free(links, n);
        return 0;
    }
    if (kept > 1) /* no link at all: links is NULL, which qsort may not be given */
        qsort(links, kept, sizeof(*links), by_peak);
    for (size_t i = BUSIEST_LIMIT_MAX; i < kept; i++) {
        free(links[i].device_name);
        free(links[i].name);
    }
    *out = links;
    *out_n = kept < BUSIEST_LIMIT_MAX ? kept : BUSIEST_LIMIT_MAX;
    return 0;
}

/* the first @limit kept links of (@period, @office) as a JSON array when they are this
 * server's and current (or of any age when @any_age: the list just computed); NULL when not */
static json_t *busiest_cached(struct dash_server *srv, int period, int office, long long limit,
                              bool any_age)
{
    const struct busiest_kept *k = &srv->busiest->kept[period][office];
    time_t now = time(NULL);
    json_t *items = NULL;

    pthread_mutex_lock(&srv->busiest->lock);
    if (k->valid &&
        (any_age || (now >= k->at && now - k->at < busiest_keep_s[period]))) {
        items = json_array();
        for (size_t i = 0; i < k->n && (long long)i < limit; i++) {
            const struct link *l = &k->top[i];
            json_array_append_new(
                items, json_pack("{s:I, s:o, s:I, s:o, s:I, s:o, s:o, s:o, s:I}", "device_id",
                                 (json_int_t)l->device_id, "device_name",
                                 dash_json_text(l->device_name), "interface_id",
                                 (json_int_t)l->interface_id, "interface_name",
                                 dash_json_text(l->name), "speed_bps", (json_int_t)l->speed,
                                 "peak_in_pct", num_or_null(l->peak_in), "peak_out_pct",
                                 num_or_null(l->peak_out), "p95_pct", num_or_null(l->p95),
                                 "samples", (json_int_t)l->samples));
        }
    }
    pthread_mutex_unlock(&srv->busiest->lock);
    return items;
}

/* keep @top (taken over) as the list of (@period, @office) computed at @at */
static void busiest_keep(struct dash_server *srv, int period, int office, time_t at,
                         struct link *top, size_t n)
{
    struct busiest_kept *k;

    pthread_mutex_lock(&srv->busiest->lock);
    k = &srv->busiest->kept[period][office];
    links_free(k->top, k->n);
    k->valid = true;
    k->at = at;
    k->top = top;
    k->n = n;
    pthread_mutex_unlock(&srv->busiest->lock);
}

json_t *dash_busiest_list(struct dash_req *req, int period, bool office, long long limit)
{
    struct link *top = NULL;
    json_t *items = busiest_cached(req->srv, period, office, limit, false);
    size_t n = 0;
    time_t at;

    if (items)
        return items;
    pthread_mutex_lock(&req->srv->busiest->compute_lock);
    items = busiest_cached(req->srv, period, office, limit, false);
    if (!items) {
        at = time(NULL);
        if (busiest_compute(req, period, office, &top, &n) == 0) {
            busiest_keep(req->srv, period, office, at, top, n);
            items = busiest_cached(req->srv, period, office, limit, true);
        }
    }
    pthread_mutex_unlock(&req->srv->busiest->compute_lock);
    return items;
}

static void api_busiest(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"period", "office", "limit", NULL};
    static const char *const periods[] = {"day", "7d", "30d", "365d", NULL};
    static const char *const flags[] = {"0", "1", NULL};
    long long limit;
    int period, office;
    json_t *items;

    if (!dash_query_whitelisted(req, params, out))
        return;
    period = pick(dash_query(req, "period"), periods, 1);
    office = pick(dash_query(req, "office"), flags, 1);
    if (period < 0 || office < 0 ||
        dash_param_count(dash_query(req, "limit"), 10, 1, BUSIEST_LIMIT_MAX, &limit) < 0) {
        reply_bad_param(out, "period");
        return;
    }
    items = dash_busiest_list(req, period, office, limit);
    if (!items) {
        dash_reply_db_failed(out);
        return;
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:s, s:b}", "items", items, "period", periods[period],
                              "office", office));
}

/* ---- GET /metrics (Prometheus text format 0.0.4) ---------------------------------------- */

int dash_prom_label(struct ww_buf *b, const char *s)
{
    struct ww_buf raw;
    char *clean;
    int ret;

    ww_buf_init(&raw, 4 * 1024);
    for (const char *p = s ? s : ""; *p && raw.len < 2048; p++) {
        if (*p == '\\')
            ww_buf_addstr(&raw, "\\\\");
        else if (*p == '"')
            ww_buf_addstr(&raw, "\\\"");
        else if (*p == '\n')
            ww_buf_addstr(&raw, "\\n");
        else
            ww_buf_add(&raw, p, 1);
    }
    /* other control bytes become spaces, broken UTF-8 U+FFFD: neither can end the line */
    clean = ww_utf8_sanitize(raw.data ? raw.data : "", raw.len);
    ret = ww_buf_addstr(b, clean);
    free(clean);
    ww_buf_release(&raw);
    return ret;
}

struct metric_dev {
    struct inv_device *d;
    struct inv_interface *ifs;
    size_t nifs;
};

static void dev_labels(struct ww_buf *b, const struct inv_device *d)
{
    ww_buf_addf(b, "{device_id=\"%lld\",device=\"", d->id);
    dash_prom_label(b, d->name);
    ww_buf_addstr(b, "\",kind=\"");
    dash_prom_label(b, d->kind);
    ww_buf_addstr(b, "\"");
}

static void if_labels(struct ww_buf *b, const struct inv_device *d, const struct inv_interface *i)
{
    ww_buf_addf(b, "{device_id=\"%lld\",device=\"", d->id);
    dash_prom_label(b, d->name);
    ww_buf_addf(b, "\",interface_id=\"%lld\",interface=\"", i->id);
    dash_prom_label(b, i->name ? i->name : i->if_key);
    ww_buf_addstr(b, "\"}");
}

static bool digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static void family(struct ww_buf *b, const char *name, const char *type, const char *help)
{
    ww_buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void metrics_text(struct ww_buf *b, struct metric_dev *m, size_t n)
{
    static const char *const states[] = {"unknown", "up", "down", "unreachable"};

    family(b, "wardwatch_device_up", "gauge", "1 when the device answers, 0 when down or unreachable.");
    for (size_t i = 0; i < n; i++) {
        const char *st = m[i].d->state ? m[i].d->state : "unknown";
        if (strcmp(st, "unknown") == 0)
            continue;
        ww_buf_addstr(b, "wardwatch_device_up");
        dev_labels(b, m[i].d);
        ww_buf_addf(b, "} %d\n", strcmp(st, "up") == 0);
    }
    family(b, "wardwatch_device_state", "gauge", "1 for the state the device is in.");
    for (size_t i = 0; i < n; i++) {
        const char *st = m[i].d->state ? m[i].d->state : "unknown";
        for (size_t s = 0; s < WW_ARRAY_SIZE(states); s++) {
            ww_buf_addstr(b, "wardwatch_device_state");
            dev_labels(b, m[i].d);
            ww_buf_addf(b, ",state=\"%s\"} %d\n", states[s], strcmp(st, states[s]) == 0);
        }
    }
    family(b, "wardwatch_poll_duration_seconds", "gauge", "How long the last SNMP poll took.");
    for (size_t i = 0; i < n; i++) {
        if (m[i].d->poll_ms < 0)
            continue;
        ww_buf_addstr(b, "wardwatch_poll_duration_seconds");
        dev_labels(b, m[i].d);
        ww_buf_addf(b, "} %.3f\n", (double)m[i].d->poll_ms / 1000.0);
    }
    family(b, "wardwatch_interface_oper_status", "gauge",
           "IF-MIB ifOperStatus: 1 up, 2 down, 3 testing, 5 dormant, 7 lower layer down.");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < m[i].nifs; k++) {
            ww_buf_addstr(b, "wardwatch_interface_oper_status");
            if_labels(b, m[i].d, &m[i].ifs[k]);
            ww_buf_addf(b, " %lld\n", m[i].ifs[k].oper_status);
        }
    family(b, "wardwatch_interface_in_octets_total", "counter", "ifHCInOctets (or ifInOctets).");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < m[i].nifs; k++) {
            if (!digits(m[i].ifs[k].in_octets))
                continue;
            ww_buf_addstr(b, "wardwatch_interface_in_octets_total");
            if_labels(b, m[i].d, &m[i].ifs[k]);
            ww_buf_addf(b, " %s\n", m[i].ifs[k].in_octets);
        }
    family(b, "wardwatch_interface_out_octets_total", "counter",
           "ifHCOutOctets (or ifOutOctets).");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < m[i].nifs; k++) {
            if (!digits(m[i].ifs[k].out_octets))
                continue;
            ww_buf_addstr(b, "wardwatch_interface_out_octets_total");
            if_labels(b, m[i].d, &m[i].ifs[k]);
            ww_buf_addf(b, " %s\n", m[i].ifs[k].out_octets);
        }
    family(b, "wardwatch_interface_speed_bps", "gauge", "Interface speed in bit/s.");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < m[i].nifs; k++) {
            ww_buf_addstr(b, "wardwatch_interface_speed_bps");
            if_labels(b, m[i].d, &m[i].ifs[k]);
            ww_buf_addf(b, " %lld\n", m[i].ifs[k].speed_bps);
        }
}

/* is the bearer token of @req the metrics token? Same time whichever way it fails. */
static bool metrics_token_ok(struct dash_req *req)
{
    const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);
    char hash[65] = "", *stored = NULL;
    bool ok;

    if (h && strncasecmp(h, "Bearer ", 7) == 0 && dash_token_well_formed(h + 7))
        dash_token_hash(h + 7, hash);
    dash_lock(req);
    inv_setting_get(req->srv->db, METRICS_TOKEN_KEY, &stored);
    dash_unlock(req);
    ok = hash[0] && stored && dash_secret_equal(hash, stored);
    free(stored);
    return ok;
}

static void api_metrics(struct dash_req *req, struct dash_reply *out)
{
    struct inv_device_list list = {0};
    struct metric_dev *m = NULL;
    struct ww_buf b;
    int ret;

    if (!metrics_token_ok(req)) {
        dash_reply_error(out, MHD_HTTP_UNAUTHORIZED, "unauthenticated", NULL);
        return;
    }
    dash_lock(req);
    ret = inv_device_list(req->srv->db, false, -1, 0, &list);
    if (ret == 0)
        m = ww_calloc(list.n ? list.n : 1, sizeof(*m));
    for (size_t i = 0; ret == 0 && i < list.n; i++) {
        m[i].d = &list.items[i];
        ret = inv_interface_list(req->srv->db, list.items[i].id, &m[i].ifs, &m[i].nifs);
    }
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    ww_buf_init(&b, 256 * 1024 * 1024);
    metrics_text(&b, m, list.n);
    dash_reply_release(out);
    out->raw = MHD_create_response_from_buffer(b.len, b.data ? b.data : ww_strdup(""),
                                               MHD_RESPMEM_MUST_FREE);
    b.data = NULL;
    ww_buf_release(&b);
    out->status = MHD_HTTP_OK;
    out->content_type = "text/plain; version=0.0.4; charset=utf-8";
out:
    for (size_t i = 0; m && i < list.n; i++)
        inv_interface_list_free(m[i].ifs, m[i].nifs);
    free(m);
    inv_device_list_release(&list);
}

static int apply_metrics_token(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_setting_set(db, ch->key, ctx);
}

int dash_metrics_token_new(struct ww_db *db, const struct inv_actor *who, char *out, size_t size)
{
    char token[DASH_TOKEN_LEN + 1], hash[65];
    struct inv_change ch = {.actor = who, .action = "metrics.token", .object_type = "setting",
                            .key = METRICS_TOKEN_KEY, .may_be_new = true,
                            .apply = apply_metrics_token, .ctx = hash};
    int ret;

    if (size < DASH_TOKEN_LEN + 1)
        return -EINVAL;
    dash_token_new(token);
    dash_token_hash(token, hash);
    ret = inv_change_run(db, &ch);
    if (ret == 0)
        ww_strlcpy(out, token, size);
    sodium_memzero(token, sizeof(token));
    free(ch.after);
    return ret;
}

const struct dash_route dash_graph_routes[] = {
    {"/api/v1/devices/{id}/graph", DASH_GET, api_graph, "overview.read"},
    {"/api/v1/devices/{id}/series", DASH_GET, api_series, "overview.read"},
    {"/api/v1/devices/{id}/stats", DASH_GET, api_stats, "overview.read"},
    {"/api/v1/interfaces/{id}/p95", DASH_GET, api_p95, "overview.read"},
    {"/api/v1/links/busiest", DASH_GET, api_busiest, "overview.read"},
    {"/metrics", DASH_GET, api_metrics, NULL}, /* its own bearer token, checked above */
};
const size_t dash_graph_nroutes = WW_ARRAY_SIZE(dash_graph_routes);
