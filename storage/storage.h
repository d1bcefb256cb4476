/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * storage.h - metric files: $DATA/rrd/<device-id>/<metric>.rrd, created, updated and fetched
 * through librrd directly or, when configured, with updates sent to rrdcached (unix socket)
 * and a flush before every read.
 *
 * File names come only from database ids and fixed metric names ([a-z0-9_-], checked here):
 * nothing a device sent ever becomes part of a path or an rrdtool argument.
 *
 * Threads: a struct store is used by one thread at a time (librrd's rrdcached client keeps
 * one global connection; the collector writes from a single writer thread). After
 * store_create_async() the store also has a thread of its own that makes new files; it
 * touches nothing of the caller's.
 */
#ifndef WW_STORAGE_H
#define WW_STORAGE_H

#include <math.h>
#include <stdint.h>
#include <time.h>

#include "common/common.h"

#define STORE_METRIC_MAX 32
#define STORE_DS_MAX 8
#define STORE_PENDING_MAX 16 /* samples kept per file while it is being made */

struct store;

enum store_ds_type { STORE_GAUGE, STORE_COUNTER, STORE_DERIVE };

struct store_ds {
    const char *name; /* [a-z0-9_], 1..19 chars */
    enum store_ds_type type;
    double min; /* NAN = no limit */
    double max; /* NAN = no limit; above it (or under min) a sample is stored as unknown */
};

/* one sample value: a double (gauges) or an exact unsigned counter */
struct store_val {
    enum { STORE_UNKNOWN, STORE_NUM, STORE_U64 } kind;
    double num;
    uint64_t u64;
};

/*
 * store_open() - @rrd_dir is created when missing; @rrdcached is NULL/"" (direct writes),
 * "unix:/path" or "/path". The daemon is contacted lazily and again after a failure.
 * Returns 0 or -EIO.
 */
int store_open(const char *rrd_dir, const char *rrdcached, struct store **out_store);
void store_free(struct store *st);

/* struct store_retention - how long new files keep each archive, in seconds (all > 0) */
struct store_retention {
    unsigned long full_s, m30_s, h2_s, d1_s;
};
/* store_set_retention() - archives of files made from now on; the default is the design's
 * (2 days, 14 days, 62 days, 3 x 366 + 1 days). -EINVAL for a zero span. */
int store_set_retention(struct store *st, const struct store_retention *r);

/* store_metric_valid() - true for a safe fixed metric name: [a-z0-9_-], 1..32, no leading '-'. */
bool store_metric_valid(const char *metric);

/*
 * store_path() - the absolute file path of a metric into @buf. Returns 0, -EINVAL for a bad
 * id or metric name, -ENAMETOOLONG.
 */
int store_path(const struct store *st, long long device_id, const char *metric, char *buf,
               size_t size);

/*
 * store_ensure() - the metric file as @ds describes it. A missing file is made at its first
 * sample (store_update()), with its last update just before that sample's time, so the
 * first update fills no empty rows: step @step seconds, heartbeat 2 x step, AVERAGE and
 * MAX archives (by default full resolution ~2 days, 30 min ~2 weeks, 2 h ~2 months, 1 day
 * >= 3 years: see store_set_retention()), written to a temp file and renamed, so a crash
 * never leaves half a file. An existing file is reconciled the first time this store sees
 * it and whenever @ds differs from what it was last given for that file: a DS of the same
 * name whose type, min or max differs is tuned in place (librrd rrd_tune; its rows kept,
 * its step, heartbeat and archives left alone; a DS the file lacks is logged and skipped).
 * With rrdcached the file is flushed first, so no sample queued under the old type is
 * written under the new one. So an old COUNTER file becomes GAUGE, and a link that got
 * faster gets its new maximum, without losing history. A file on its way keeps the data
 * sources it was first asked with; a later difference is reconciled once it exists.
 * Steady state (same file, same @ds, or a file on its way): no file I/O at all, a hash
 * look-up; a missing file costs one stat().
 * Context: the store's thread; a tune holds the mutex store_graph() holds (getopt).
 * Returns 0 (the file exists, or is on its way: give its samples to store_update()),
 * -EINVAL, -EAGAIN (rrdcached unreachable before a tune: try next round), -EIO.
 */
int store_ensure(struct store *st, long long device_id, const char *metric, unsigned step,
                 const struct store_ds *ds, size_t nds);

/*
 * store_update() - one sample at @when (epoch seconds, fractions kept to the millisecond:
 * a rate is only as exact as its timestamps) for every DS of the file, in DS order.
 * For a file store_ensure() found missing, the first sample makes it (after
 * store_create_async(): queues it for the creator thread and returns at once). Until it
 * exists its samples are kept in memory, the last STORE_PENDING_MAX of them (older ones
 * are dropped, counted and logged), and written in order, before any later sample and
 * through rrdcached when used, at the first store_batch_begin(), store_update() of that
 * file, store_wait_created() or store_free() after it exists.
 * Returns 0 (written, queued, or kept for a file on its way), -EINVAL (bad name, count),
 * -EAGAIN (rrdcached unreachable: try next round), -EIO (librrd refused the update, e.g.
 * a time not after the last one; or the file could not be made).
 */
int store_update(struct store *st, long long device_id, const char *metric, double when,
                 const struct store_val *vals, size_t n);

/*
 * store_batch_begin() / store_batch_end() - with rrdcached on a unix socket, the updates
 * between the two are queued and sent at the end as one BATCH block (also whenever 16 MB
 * are queued); store_update() then returns 0 once queued, and store_batch_end() returns 0,
 * -EAGAIN (rrdcached unreachable, the samples are lost) or -EIO (some refused, logged).
 * Direct writes (or a TCP rrdcached) are not changed by a batch. Same thread as updates.
 * store_batch_begin() first writes the kept samples of files made since the last call.
 */
void store_batch_begin(struct store *st);
int store_batch_end(struct store *st);

/* ---- making files off the caller's thread (create.c) ------------------------------------- */

/*
 * store_create_async() - from now on new files are made by a thread of the store's own,
 * never by the caller: store_update() of a file on its way keeps the sample and returns.
 * Files are made in the order of their first samples. store_free() stops the thread: the
 * file in hand is finished, the queued ones are abandoned (one log line; their kept
 * samples dropped; they are made again at the next start). Call once, from the store's
 * thread, before its first store_ensure(). Returns 0 or -EIO (no thread: creation stays
 * on the caller's thread).
 */
int store_create_async(struct store *st);

/* store_create_hook_fn - called with a file's path before it is made, on the thread that
 * makes it (the creator thread, or the store's without one): a seam for tests (hold a
 * creation, see where it happens). Must not use the store. */
typedef void store_create_hook_fn(const char *path, void *arg);
/* store_set_create_hook() - set @hook (NULL: none) and its @arg (borrowed) before
 * store_create_async(). */
void store_set_create_hook(struct store *st, store_create_hook_fn *hook, void *arg);

/*
 * store_wait_created() - wait until every queued file is made (or failed), then write the
 * samples kept for them, as store_batch_begin() would. Files with no sample yet are not
 * waited for. For tests and bounded runs; the store's thread. No-op without the thread.
 */
void store_wait_created(struct store *st);

/* struct store_create_stats - files on their way and what became of them since open */
struct store_create_stats {
    size_t on_the_way;           /* asked for and not made yet (with or without a sample) */
    unsigned long made, failed;  /* by either thread */
    unsigned long kept, dropped; /* samples written once their file came, samples lost */
    long long make_ms_max;       /* the longest one file took, on the creator thread */
};
/* store_create_stats() - the figures above; the store's thread. */
void store_create_stats(struct store *st, struct store_create_stats *out_stats);

/* ---- the files of removed devices (retire.c) ---------------------------------------------- */

/*
 * store_retire() - move the folder of device @device_id (rrd/<id>/) to
 * rrd/removed/<id>-<YYYYMMDD>/, the UTC day of @now (-2, -3... when such a folder exists),
 * never onto another folder. With rrdcached each of its files is flushed and forgotten
 * first (unreachable: logged, moved anyway). Call after the removal is committed.
 * Context: the store's thread. Returns 0 (also when the device had no folder), -EINVAL,
 * -ENAMETOOLONG, -EIO (logged).
 */
int store_retire(struct store *st, long long device_id, time_t now);
/*
 * store_purge_retired() - delete the retired folders (names store_retire() makes, nothing
 * else) older than @keep_days: a folder of day D goes once @now >= D + keep_days + 1 day,
 * so each is kept @keep_days whole days at least (0: at the first pass after its day).
 * *out_n (may be NULL) gets how many went. Returns 0, -EINVAL, -EIO (some left, logged).
 */
int store_purge_retired(struct store *st, time_t now, long long keep_days, size_t *out_n);
/*
 * store_device_dirs() - the device ids that have a folder in rrd/ (ascending, a heap array
 * the caller frees) and in *out_max (may be NULL) the largest id any folder names, retired
 * ones too: new device ids must start above it. Returns 0 or -EIO.
 */
int store_device_dirs(struct store *st, long long **out_ids, size_t *out_n,
                      long long *out_max);

/* a fetched series: rows x cols values, NAN for unknown; one owner, store_series_free(). */
struct store_series {
    time_t start, end;
    unsigned long step;
    size_t rows, cols;
    char **names; /* cols DS names */
    double *values;
};
/*
 * store_fetch() - consolidated values (@cf "AVERAGE" or "MAX") between @start and @end, at
 * the finest archive that covers them. Flushes rrdcached first. Returns 0, -ENOENT (no file,
 * or one still on its way), -EINVAL, -EIO.
 */
int store_fetch(struct store *st, long long device_id, const char *metric, const char *cf,
                time_t start, time_t end, struct store_series **out_series);
void store_series_free(struct store_series *s);

/* store_last() - the last update time and the raw last value of each DS ("U" when unknown);
 * @out_vals gets @n heap strings (caller frees each and the array). */
int store_last(struct store *st, long long device_id, const char *metric, time_t *out_when,
               char ***out_vals, size_t *out_n);

/* ---- graphs and percentiles (graph.c) ---------------------------------------------------- */

/* the fixed graphs: each draws named DS of one metric file with a fixed recipe */
enum store_graph_name {
    STORE_GRAPH_TRAFFIC,  /* if-N.rrd in/out_octets (bytes/s) x 8: bit/s */
    STORE_GRAPH_ERRORS,   /* if-N.rrd in/out_errors: errors/s */
    STORE_GRAPH_CPU,      /* host.rrd cpu_load: % */
    STORE_GRAPH_MEMORY,   /* host.rrd mem_used / mem_total: % */
    STORE_GRAPH_DISK,     /* host.rrd disk_max_pct: % */
    STORE_GRAPH_POLL,     /* snmp.rrd poll_ms: ms */
    STORE_GRAPH_UPS,      /* ups.rrd charge_pct (%) and runtime_min (min) */
    STORE_GRAPH_SUPPLIES, /* supplies.rrd min_level_pct: % */
    STORE_GRAPH_VOLUME,   /* disk-N.rrd used_pct (one disk, N its device_disk id): % */
    STORE_GRAPH_COUNT
};
enum store_range { STORE_RANGE_DAY, STORE_RANGE_WEEK, STORE_RANGE_MONTH, STORE_RANGE_YEAR,
                   STORE_RANGE_COUNT };

#define STORE_GRAPH_LEGENDS 2
#define STORE_LABEL_MAX 120 /* bytes of one label */

/*
 * struct store_graph_labels - the texts drawn into a graph, given by the caller (the
 * dashboard takes them from its i18n files). Each must pass store_label_valid(): no ':',
 * '\' or '%' (rrdtool would parse them) and no control characters. Borrowed.
 */
struct store_graph_labels {
    const char *title;
    const char *vlabel;
    const char *legend[STORE_GRAPH_LEGENDS]; /* one per line drawn; unused ones NULL */
};

/* store_graph_parse() / store_range_parse() - a whitelisted name to its enum; -EINVAL. */
int store_graph_parse(const char *name, enum store_graph_name *out_name);
int store_range_parse(const char *name, enum store_range *out_range);
/* store_range_seconds() - how far back a range reaches: 1, 7, 31, 366 days. */
long store_range_seconds(enum store_range r);
/* store_graph_metric() - the metric file of a graph: "host", "if-<interface_id>" ... into
 * @buf. Per-row graphs need @interface_id > 0 (the row's id: the interface of traffic and
 * errors, the device_disk row of volume), the others ignore it. 0 or -EINVAL.
 * (Everywhere below, @interface_id is that row id.) */
int store_graph_metric(enum store_graph_name g, long long interface_id, char *buf, size_t size);
/* store_graph_per_row() - true when graph @g draws one row's file (needs the row's id) */
bool store_graph_per_row(enum store_graph_name g);
/* store_graph_nlegends() - how many legend lines graph @g draws (1 or 2). */
size_t store_graph_nlegends(enum store_graph_name g);
/*
 * store_graph_series() - the values graph @g draws, as a series: the file's consolidated
 * rows (@cf "AVERAGE" or "MAX", finest archive covering @range back from @end, 0 = now)
 * with the graph's arithmetic applied: traffic in_bps/out_bps (octets/s x 8), errors
 * in_errors/out_errors per second, memory mem_pct (used / total x 100), the others their
 * DS as stored (cpu_load, disk_max_pct, poll_ms, charge_pct + runtime_min, min_level_pct).
 * Returns as store_fetch().
 */
int store_graph_series(struct store *st, long long device_id, enum store_graph_name g,
                       long long interface_id, enum store_range range, const char *cf,
                       time_t end, struct store_series **out_series);
/* store_label_valid() - true for a text safe in an rrdtool legend or title (see above). */
bool store_label_valid(const char *s);

/*
 * store_graph() - draw graph @g of device @device_id (its interface @interface_id for the
 * traffic and errors graphs) over @range ending at @end (0 = now) as SVG, in memory.
 * @width/@height: the plot area in pixels (0 = 720 x 200). rrdcached is flushed first.
 * Text is drawn at 11-13 px (rrdtool's 8 px is unreadable once a browser scales the image
 * down). A file whose data begins inside the range (a device's first hours) is drawn from
 * its first data on, over one hour at least, not as a thin line at the right edge.
 * *out_svg gets a malloc'd buffer (caller frees) of *out_len bytes.
 * Context: any thread. librrd's graph code keeps global state (getopt, its font cache), so
 * every call in the process is serialised on one mutex inside storage/ (store_ensure()
 * takes it for a tune: rrd_tune() parses with getopt too). The struct store
 * itself must still be used by one thread at a time (its rrdcached connection).
 * Returns 0, -EINVAL (bad graph, range or label), -ENOENT (no such metric file), -EIO.
 */
int store_graph(struct store *st, long long device_id, enum store_graph_name g,
                long long interface_id, enum store_range range, time_t end, unsigned width,
                unsigned height, const struct store_graph_labels *labels,
                unsigned char **out_svg, size_t *out_len);

/*
 * struct store_stats - the figures of one line of a graph over its period, for a legend:
 * the last finite value, the mean and the maximum of the finite rows, their 95th percentile
 * (nearest rank, as store_percentile()); NAN each when no row is finite. @n: finite rows.
 */
struct store_stats {
    double current, average, maximum, p95;
    size_t n;
};
/*
 * store_series_stats() - the figures of column @col of @s (borrowed) into *out_stats.
 * Returns 0, -ENOENT when no row of the column is finite (the figures NAN), -EINVAL for a
 * column @s lacks.
 */
int store_series_stats(const struct store_series *s, size_t col, struct store_stats *out_stats);
/*
 * store_series_first() - the start of the first row of @s with a finite value in any
 * column (a row's interval begins one step before its time), or 0 when there is none:
 * where a graph of a device's first hours begins.
 */
time_t store_series_first(const struct store_series *s);
/*
 * store_graph_stats() - the values graph @g draws over @range (AVERAGE rows, as
 * store_graph_series()), reduced to one struct store_stats per line into @out_stats (room
 * for STORE_GRAPH_LEGENDS; *out_n gets store_graph_nlegends()) and *out_first (may be NULL)
 * the start of the first data (store_series_first()). Returns as store_fetch().
 */
int store_graph_stats(struct store *st, long long device_id, enum store_graph_name g,
                      long long interface_id, enum store_range range, time_t end,
                      struct store_stats out_stats[STORE_GRAPH_LEGENDS], size_t *out_n,
                      time_t *out_first);

/*
 * store_percentile() - the @p-th percentile (0 < p <= 100) of the finite values of
 * v[0..n) by the nearest-rank method: sorted ascending, the value at rank ceil(p/100 * k)
 * of the k finite ones. NAN values are skipped. *out_k (may be NULL) gets k.
 * Returns 0, -ENOENT when no value is finite, -EINVAL for a bad @p.
 */
int store_percentile(const double *v, size_t n, double p, double *out_value, size_t *out_k);

#endif
