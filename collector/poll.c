/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * poll.c - one polling round (--once): the asynchronous engine (snmp.c) reads every device
 * with up to poll_workers in flight, then this thread writes every result (writer.c) in one
 * database transaction. Reading touches no disk. The long-running collector is sched.c.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define TICKS_WRAP 4294967296LL /* TimeTicks is 32-bit: wraps after 497 days */

bool coll_is_reboot(long long prev_ticks, long long prev_at, long long now_ticks,
                    long long now_at)
{
    long long elapsed, expected, slack;

    if (prev_ticks < 0 || now_ticks < 0 || now_ticks >= prev_ticks)
        return false;
    elapsed = now_at > prev_at ? (now_at - prev_at) * 100 : 0;
    expected = prev_ticks + elapsed;
    /* allow for clock drift and poll latency: 1 % of the elapsed time, at least 10 s */
    slack = elapsed / 100 > 1000 ? elapsed / 100 : 1000;
    if (expected + slack >= TICKS_WRAP) {
        long long wrapped = expected - TICKS_WRAP;
        if (now_ticks >= wrapped - slack && now_ticks <= wrapped + slack)
            return false; /* the counter wrapped, the device kept running */
    }
    return true;
}

char *coll_if_key(const struct coll_if *ifc)
{
    if (ifc->name && *ifc->name)
        return ww_strdup(ifc->name);
    if (ifc->descr && *ifc->descr)
        return ww_strdup(ifc->descr);
    return ww_asprintf("ifIndex.%lld", ifc->if_index);
}

uint64_t coll_if_speed(const struct coll_if *ifc)
{
    if (ifc->high_speed && ifc->high_speed <= UINT64_MAX / 1000000 &&
        ifc->high_speed * 1000000 > ifc->speed)
        return ifc->high_speed * 1000000;
    return ifc->speed;
}

void coll_target_of(const struct ww_config *cfg, const struct inv_device *d,
                    struct coll_target *t)
{
    memset(t, 0, sizeof(*t));
    t->device_id = d->id;
    t->host = d->host;
    t->port = d->snmp_port;
    t->version = d->snmp_version ? d->snmp_version : "2c";
    t->community = d->snmp_community ? d->snmp_community : "public";
    t->v3_user = d->v3_user;
    t->v3_level = d->v3_level;
    t->v3_auth_proto = d->v3_auth_proto;
    t->v3_auth_key = d->v3_auth_key;
    t->v3_priv_proto = d->v3_priv_proto;
    t->v3_priv_key = d->v3_priv_key;
    t->timeout_ms = (long)cfg->snmp_timeout_ms;
    t->retries = (int)cfg->snmp_retries;
    /* a poll may use most of the interval, never all of it */
    t->deadline_ms = (long)(cfg->poll_interval * 800);
}

struct round_work {
    struct coll_target *targets;
    struct coll_result *results;
    size_t n;
};

int coll_round(const struct ww_config *cfg, struct ww_db *db, struct store *st,
               struct coll_round_stats *out_stats)
{
    struct inv_device_list list;
    struct round_work w = {0};
    int64_t t0 = ww_mono_ms();
    static unsigned long rounds; /* this thread's rounds: neighbour tables now and then */
    bool neighbors = rounds++ % COLL_NEIGHBOR_EVERY == 0;
    time_t now;
    int ret;

    memset(out_stats, 0, sizeof(*out_stats));
    ret = inv_device_list(db, true, -1, 0, &list);
    if (ret < 0)
        return ret;
    w.n = list.n;
    w.targets = ww_calloc(list.n ? list.n : 1, sizeof(*w.targets));
    w.results = ww_calloc(list.n ? list.n : 1, sizeof(*w.results));
    for (size_t i = 0; i < list.n; i++) {
        coll_target_of(cfg, &list.items[i], &w.targets[i]);
        w.targets[i].neighbors = neighbors;
    }
    coll_poll_all(w.targets, w.results, w.n, (size_t)cfg->poll_workers);

    now = time(NULL);
    ret = ww_db_begin(db);
    if (ret < 0)
        goto out;
    store_batch_begin(st);
    for (size_t i = 0; i < list.n; i++) {
        ret = coll_write_result(cfg, db, st, NULL, &list.items[i], &w.results[i], neighbors,
                                now);
        if (ret < 0)
            break;
        if (w.results[i].ok)
            out_stats->ok++;
        else
            out_stats->failed++;
    }
    /* behind a parent, down or unreachable is told once every device has been written */
    if (ret == 0)
        ret = inv_status_reconcile(db, cfg->down_after, now, NULL);
    if (ret == 0 && neighbors)
        ret = inv_neighbor_resolve(db);
    if (ret == 0)
        ret = ww_db_commit(db);
    store_batch_end(st); /* the RRD samples go out even when the database failed */
    if (ret < 0) {
        ww_db_rollback(db);
        ret = ww_error(-EIO, "collector: round not recorded: database failed");
    }
out:
    out_stats->devices = list.n;
    out_stats->ms = ww_mono_ms() - t0;
    for (size_t i = 0; i < list.n; i++)
        coll_result_release(&w.results[i]);
    free(w.results);
    free(w.targets);
    inv_device_list_release(&list);
    return ret;
}
