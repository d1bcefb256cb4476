/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * collector.h - SNMP polling: one round reads every enabled device (system group, sysUpTime,
 * IF-MIB interfaces), writes RRD samples through storage/, and records status, facts and
 * events through inventory/.
 *
 * Threads: coll_snmp_init() once before any thread; coll_poll_all()/coll_snmp_poll() from
 * any thread (net-snmp single sessions, one event loop per call); coll_round() from one
 * thread, which owns the database and the store: it polls asynchronously, then writes.
 */
#ifndef WW_COLLECTOR_H
#define WW_COLLECTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "common/common.h"
#include "inventory/inventory.h"
#include "storage/storage.h"

/* the most values one device may return in one poll: a runaway agent cannot eat memory */
#define COLL_MAX_VALUES 200000
/* the longest device string kept (sysDescr etc.); longer ones are cut at a UTF-8 boundary */
#define COLL_STR_MAX 4096

struct coll_target {
    long long device_id;
    const char *host; /* borrowed */
    long long port;
    const char *version;   /* "1" or "2c" */
    const char *community; /* secret: never logged */
    long timeout_ms;
    int retries;
    long deadline_ms; /* whole poll, all requests */
};

struct coll_if {
    long long if_index;
    char *descr, *name, *alias; /* sanitized UTF-8 or NULL */
    long long type;
    uint64_t speed;      /* ifSpeed, bit/s */
    uint64_t high_speed; /* ifHighSpeed, Mbit/s */
    long long admin, oper;
    uint64_t in32, out32, in_hc, out_hc, in_err, out_err;
    bool has_in32, has_out32, has_in_hc, has_out_hc, has_in_err, has_out_err;
};

struct coll_result {
    bool ok;
    char error[160];
    long long poll_ms;
    long long uptime_ticks; /* -1 when the agent gave none */
    char *sys_descr, *sys_object_id, *sys_name, *sys_contact, *sys_location;
    struct coll_if *ifs;
    size_t n_ifs;
    size_t n_values;
};

/* coll_snmp_init() - net-snmp's one-time set-up, no MIB files, no persistent state. */
void coll_snmp_init(void);
void coll_snmp_shutdown(void);
/*
 * coll_poll_all() - read @n devices with at most @window in flight at once, on the calling
 * thread; results[i] (zeroed here) belongs to targets[i]. Returns 0 (each outcome is in its
 * result's ok/error).
 */
int coll_poll_all(const struct coll_target *targets, struct coll_result *results, size_t n,
                  size_t window);
/*
 * coll_snmp_poll() - read one device. *out (zeroed by the caller) is filled even on failure
 * (ok = false, error says why). Release with coll_result_release(). Returns 0 or -ENOMEM-free:
 * the outcome is in out->ok; the return is negative only for bad arguments (-EINVAL).
 */
int coll_snmp_poll(const struct coll_target *t, struct coll_result *out);
void coll_result_release(struct coll_result *r);

/*
 * coll_is_reboot() - did sysUpTime go back because the device restarted? A 32-bit TimeTicks
 * wrap (every 497 days) is not a reboot. Ticks are 1/100 s; times are seconds.
 */
bool coll_is_reboot(long long prev_ticks, long long prev_at, long long now_ticks,
                    long long now_at);

/* coll_if_key() - the stable key of an interface: ifName, else ifDescr, else "ifIndex.N". */
char *coll_if_key(const struct coll_if *ifc);
/* coll_if_speed() - best speed in bit/s from ifHighSpeed/ifSpeed, 0 when unknown. */
uint64_t coll_if_speed(const struct coll_if *ifc);

struct coll_round_stats {
    size_t devices, ok, failed;
    long long ms;
};
/*
 * coll_round() - poll every enabled device once with @cfg->poll_workers threads, then write
 * all results. Returns 0 (device failures are results, not errors) or -EIO when the database
 * itself failed.
 */
int coll_round(const struct ww_config *cfg, struct ww_db *db, struct store *st,
               struct coll_round_stats *out_stats);

#endif
