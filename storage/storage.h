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
 * one global connection; the collector writes from a single writer thread).
 */
#ifndef WW_STORAGE_H
#define WW_STORAGE_H

#include <math.h>
#include <stdint.h>
#include <time.h>

#include "common/common.h"

#define STORE_METRIC_MAX 32
#define STORE_DS_MAX 8

struct store;

enum store_ds_type { STORE_GAUGE, STORE_COUNTER, STORE_DERIVE };

struct store_ds {
    const char *name; /* [a-z0-9_], 1..19 chars */
    enum store_ds_type type;
    double min; /* NAN = no limit */
    double max; /* NAN = no limit; counters: link speed in bytes/s so a wrap never spikes */
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

/* store_metric_valid() - true for a safe fixed metric name: [a-z0-9_-], 1..32, no leading '-'. */
bool store_metric_valid(const char *metric);

/*
 * store_path() - the absolute file path of a metric into @buf. Returns 0, -EINVAL for a bad
 * id or metric name, -ENAMETOOLONG.
 */
int store_path(const struct store *st, long long device_id, const char *metric, char *buf,
               size_t size);

/*
 * store_ensure() - create the metric file when it is missing: step @step seconds, heartbeat
 * 2 x step, AVERAGE and MAX archives (full resolution ~2 days, 30 min ~2 weeks, 2 h ~2 months,
 * 1 day >= 3 years). An existing file is left as it is. Writes to a temp file and renames,
 * so a crash never leaves half a file. Returns 0, -EINVAL, -EIO.
 */
int store_ensure(struct store *st, long long device_id, const char *metric, unsigned step,
                 const struct store_ds *ds, size_t nds);

/*
 * store_update() - one sample at @when (epoch seconds, fractions kept to the millisecond:
 * a rate is only as exact as its timestamps) for every DS of the file, in DS order.
 * Returns 0, -EINVAL (bad name, count), -EAGAIN (rrdcached unreachable: try next round),
 * -EIO (librrd refused the update, e.g. a time not after the last one).
 */
int store_update(struct store *st, long long device_id, const char *metric, double when,
                 const struct store_val *vals, size_t n);

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
 * the finest archive that covers them. Flushes rrdcached first. Returns 0, -ENOENT (no file),
 * -EINVAL, -EIO.
 */
int store_fetch(struct store *st, long long device_id, const char *metric, const char *cf,
                time_t start, time_t end, struct store_series **out_series);
void store_series_free(struct store_series *s);

/* store_last() - the last update time and the raw last value of each DS ("U" when unknown);
 * @out_vals gets @n heap strings (caller frees each and the array). */
int store_last(struct store *st, long long device_id, const char *metric, time_t *out_when,
               char ***out_vals, size_t *out_n);

#endif
