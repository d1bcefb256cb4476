/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * poll.c - what the engine, the write path and discovery share about one device: its SNMP
 * target, its interfaces' keys and speeds, and whether sysUpTime going back was a reboot.
 * Polls run on one path only: the poll thread and the writer thread (sched.c, writer.c),
 * for the long-running collector and for --once/--intervals alike.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

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
