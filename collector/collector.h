/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * collector.h - the collector's public face: SNMP v1/v2c/v3 polling of the inventory's
 * devices (system group, interfaces, HOST-RESOURCES, UCD, UPS, printer supplies, LLDP/CDP
 * neighbours, and the vendor OIDs of the device's profile) by an asynchronous engine, what
 * the answers mean (profile.c, devprofile.c: vendor families as data), poll errors as
 * codes, alert evaluation and the delivery of notifications. The scheduler and the writer
 * thread (coll_run(), for the daemon and for --once / --intervals alike) are in
 * collector_int.h.
 *
 * Threads: coll_snmp_init() once before any thread. An engine (coll_engine_*()) belongs to
 * the one thread that drives it; coll_poll_all() and coll_snmp_poll() run an engine of their
 * own on the calling thread, so any thread may call them. coll_alert_evaluate() runs on the
 * thread that owns the database (the writer);
 * coll_notify_start() starts the delivery thread, which coll_notify_wake() wakes from any.
 * A poll's outcome is data, never a return value: ok, refused, and for a failure error
 * (English, for the log) with err_code and err_param (enum coll_err).
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
    /* SNMPv3 (version "3"), all borrowed; keys are secrets */
    const char *v3_user, *v3_level, *v3_auth_proto, *v3_auth_key, *v3_priv_proto, *v3_priv_key;
    long timeout_ms;
    int retries;
    long deadline_ms; /* whole poll, all requests */
    bool neighbors;   /* also walk the LLDP and CDP neighbour tables (now and then) */
    bool full;        /* walk every table even when the engine knows the device's shape */
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

/* HOST-RESOURCES hrStorageTable row */
struct coll_storage {
    long long index; /* first: rows are kept sorted by it */
    long long type;  /* hrStorageType as the standard type N of hrStorageTypes.N: 2 RAM,
                        3 virtual memory, 4 fixed disk, 5 removable, 7 compact disc, 9 flash
                        memory; 0 for a vendor's type OID or none (never read as a standard
                        one by its last sub-id) */
    char *descr;
    uint64_t units, size, used;
    bool has_used;   /* hrStorageUsed answered: without it used is unknown, not 0 */
};

/* hrDeviceTable row (processors, printers, ...) and hrProcessorLoad */
struct coll_hrdev {
    long long index;
    long long type; /* hrDeviceType as the standard type N of hrDeviceTypes.N: 3 processor,
                       5 printer, 6 disk ...; 0 for a vendor's type OID or none */
    char *descr;
    long long load; /* hrProcessorLoad %, meaningful only with has_load */
    bool has_load;  /* hrProcessorLoad answered for this row: without it the load is unknown */
};

/* Printer-MIB prtMarkerSuppliesTable row */
struct coll_supply {
    long long index; /* hrDeviceIndex * 100000 + prtMarkerSuppliesIndex */
    char *descr;
    long long max, level; /* Printer-MIB: max -1 no limit, -2 unknown; level -1 other / no
                             limit, -2 unknown, -3 "some remaining" */
    bool has_level;       /* prtMarkerSuppliesLevel answered: without it the level is unknown */
    unsigned nsfx;         /* the row's index sub-ids as the agent gave them (1 or 2) */
    uint32_t sfx[2];
};

/*
 * enum coll_supply_state - what a printer supply's level says, as Printer-MIB gives it. Its
 * code (coll_supply_state_name()) is stored in the printer_supplies fact and turned into
 * words by the dashboard (i18n supply.<code>); codes are never renamed:
 *   known           level_pct is its level: prtMarkerSuppliesLevel / MaxCapacity
 *   some_remaining  level -3: "some remaining", the amount not told
 *   unknown         level -2, no level answered, a level in units of a maximum the agent
 *                   does not give (max -1, -2 or none), or a level above its maximum
 *   no_limit        level -1: other, no restriction
 */
enum coll_supply_state {
    COLL_SUPPLY_KNOWN,
    COLL_SUPPLY_SOME_REMAINING,
    COLL_SUPPLY_UNKNOWN,
    COLL_SUPPLY_NO_LIMIT,
};
/* coll_supply_state() - @s's state; *out_pct its level in % when known, else NAN */
enum coll_supply_state coll_supply_state(const struct coll_supply *s, double *out_pct);
const char *coll_supply_state_name(enum coll_supply_state st);
struct coll_result;
/* coll_supplies_min_pct() - the lowest level in % of the supplies whose level is known (the
 * supplies.rrd figure, the printer_supply alert's): a supply at -3 or -2 never hides a
 * toner at 5 %, nor counts as empty; NAN when no level is known */
double coll_supplies_min_pct(const struct coll_result *r);

/* LLDP/CDP tables change seldom: they are read in full polls only (sched.c) */
/* the most LLDP/CDP neighbours kept per device */
#define COLL_NEIGHBORS_MAX 512

/* an LLDP lldpRemTable or CDP cdpCacheTable row */
struct coll_neighbor {
    long long index; /* first: rows are kept sorted by it (protocol, local port, remote) */
    bool cdp;
    long long local_port; /* LLDP lldpLocalPortNum (usually the ifIndex), CDP ifIndex */
    char *chassis;        /* LLDP chassis id (a MAC as hex) */
    char *port_id, *port_descr, *sys_name; /* the remote side; CDP: device id as sys_name */
    char *addr;           /* CDP: the remote IPv4 address */
};

/*
 * enum coll_err - why a poll failed or is incomplete, for machines: the event table and the
 * UI render it in their own language; coll_result.error keeps the English text for the log.
 * Each code has a stable lowercase name (coll_err_name()) that is never renamed or reused.
 * coll_result.err_param holds the one detail a user needs, where the code has one:
 *   deadline         the poll's deadline in ms ("5000")
 *   send_failed      the cause, as the system or net-snmp says it (English)
 *   agent_error      the agent's error status, with net-snmp's short name for it
 *                    ("2 (noSuchName)", "5 (genError)")
 *   too_many_values  the cap ("200000")
 *   v3_refused       one of security_error, unsupported_sec_level, not_in_time_window,
 *                    unknown_user, unknown_engine_id, wrong_digest, decryption_error
 *   v3_config        auth_missing, auth_key, priv_missing, priv_key (protocol or key not
 *                    set; key could not be derived)
 *   v3_session       net-snmp's reason (English)
 *   unexpected       net-snmp's callback operation number
 * Every other code has an empty err_param.
 */
enum coll_err {
    COLL_ERR_NONE,            /* none: no error (an ok poll, or one not finished) */
    COLL_ERR_TIMEOUT,         /* timeout: no answer after the retries */
    COLL_ERR_DEADLINE,        /* deadline: the whole poll took longer than allowed */
    COLL_ERR_SEND_FAILED,     /* send_failed: a request could not be sent */
    COLL_ERR_AGENT_ERROR,     /* agent_error: the agent answered the system group GET with an
                                 error status */
    COLL_ERR_NO_SYSTEM_GROUP, /* no_system_group: answers, but none of sysDescr..sysLocation */
    COLL_ERR_TOO_MANY_VALUES, /* too_many_values: over COLL_MAX_VALUES, the rest ignored */
    COLL_ERR_V3_REFUSED,      /* v3_refused: the agent refused our SNMPv3 user, key or level */
    COLL_ERR_V3_CONFIG,       /* v3_config: our SNMPv3 settings are incomplete or unusable */
    COLL_ERR_V3_SESSION,      /* v3_session: an SNMPv3 session could not be opened */
    COLL_ERR_SESSION_OPEN,    /* session_open: an SNMP session could not be opened */
    COLL_ERR_STOPPED,         /* stopped: the collector stopped while the poll was in flight */
    COLL_ERR_WAITING_ENGINE,  /* waiting_engine: still waiting for another device with the same
                                 SNMPv3 engine ID and user when the poll ended */
    COLL_ERR_UNEXPECTED,      /* unexpected: net-snmp reported something we do not expect */
    COLL_ERR_COUNT
};
#define COLL_ERR_PARAM_MAX 64

/* coll_err_name() - the code's stable name ("timeout"); "unknown" for a value out of range */
const char *coll_err_name(enum coll_err code);
/* coll_err_parse() - the code named @name into *out_code: 0, or -EINVAL for no such name */
int coll_err_parse(const char *name, enum coll_err *out_code);

/* ---- device profiles (devprofile.c): vendor families as data ---------------------------- */

/*
 * The measured values a profile may read from vendor MIBs (collector/profiles/README.md is
 * the file format). Each is one number per poll, made from every instance its OID gave:
 * CPU and memory percentages are the mean over rows, memory bytes the sum, temperature and
 * UPS load the highest, the others the first row. NAN (unknown) when the device gave none.
 */
enum coll_pm {
    COLL_PM_CPU_PCT,            /* cpu_pct: processor load, % */
    COLL_PM_MEM_USED,           /* mem_used: bytes in use */
    COLL_PM_MEM_FREE,           /* mem_free: bytes free (total = used + free when no total) */
    COLL_PM_MEM_TOTAL,          /* mem_total: bytes */
    COLL_PM_MEM_PCT,            /* mem_pct: memory in use, % */
    COLL_PM_TEMP_C,             /* temp_c: hottest sensor, degrees Celsius */
    COLL_PM_UPS_CHARGE,         /* ups_charge_pct: battery charge, % */
    COLL_PM_UPS_RUNTIME,        /* ups_runtime_min: minutes left on battery */
    COLL_PM_UPS_LOAD,           /* ups_load_pct: output load, % (the highest phase) */
    COLL_PM_UPS_ON_BATTERY,     /* ups_on_battery: 1 on battery, 0 on mains */
    COLL_PM_UPS_BATTERY_STATUS, /* ups_battery_status: as UPS-MIB: 2 normal, 3 low, 4 depleted */
    COLL_PM_COUNT
};
/* the texts a profile may read: what the device says it is */
enum coll_pt { COLL_PT_MODEL, COLL_PT_SERIAL, COLL_PT_FIRMWARE, COLL_PT_COUNT };

#define COLL_PROFILE_VALUES_MAX 16 /* value sections of one profile (one walk, <= MAX_COLS) */
#define COLL_PROBES_MAX 32 /* distinct `answers` OIDs over all profiles (bits of .probes) */

/* an instance of a profile's value: its value index and row sub-ids (nsfx 0: the row's index
 * has more than two sub-ids, so counter polls cannot ask it again) */
struct coll_pinst {
    uint32_t sfx[2];
    uint8_t nsfx;
    uint16_t pv;
};

/* one loaded profile file; opaque, immutable once loaded (any thread may read it) */
struct coll_profile;
/* every profile file of a folder, loaded together; immutable once loaded */
struct coll_profiles;

/*
 * coll_profiles_load() - every *.ini file of @dir, in name order, into *out_set. A file that
 * breaks the format fails the whole load: -EINVAL with "file:line: what" in @err (a profile
 * is reviewed like code; a typo must not silently stop a device family being recognised).
 * A missing folder is -ENOENT. coll_profiles_free() - NULL is fine.
 */
int coll_profiles_load(const char *dir, struct coll_profiles **out_set, char *err, size_t errsz);
void coll_profiles_free(struct coll_profiles *set);
size_t coll_profiles_count(const struct coll_profiles *set);
/*
 * coll_profiles_use() - the set every engine of the process reads from now on (borrowed; the
 * caller keeps it until coll_profiles_use(NULL) and no poll is in flight). Context: main
 * thread, before the poll threads start. NULL: no profiles, the standard MIBs alone.
 */
void coll_profiles_use(const struct coll_profiles *set);
/*
 * coll_profiles_start() - load cfg->profile_dir and use it (coll_profiles_use()); *out_set
 * is the caller's to free after coll_profiles_use(NULL). A missing folder is logged as a
 * warning (the standard MIBs alone are read: 0, *out_set NULL); a broken file is logged with
 * its file and line and returned (-EINVAL): the caller stops. Context: main thread, at start.
 */
int coll_profiles_start(const struct ww_config *cfg, struct coll_profiles **out_set);
const struct coll_profiles *coll_profiles_current(void);
/* coll_profile_name() - the file's name without .ini ("apc"); coll_profile_vendor() - its
 * vendor as people write it ("APC"); NULL for NULL */
const char *coll_profile_name(const struct coll_profile *p);
const char *coll_profile_vendor(const struct coll_profile *p);

struct coll_result {
    bool ok;
    bool quick;   /* a counter poll: only what moves was asked (GETs of the instances the
                     last full poll found); names, types, sizes are that poll's, and the
                     system group's strings are NULL */
    bool refused; /* the agent answered but would not let us in (SNMPv3 user, key, level):
                     a configuration fault, not an outage */
    char error[160];        /* why it failed or is incomplete, English, for the log */
    enum coll_err err_code; /* the same as a code, COLL_ERR_NONE when error is empty */
    char err_param[COLL_ERR_PARAM_MAX]; /* the detail of err_code (see enum coll_err) */
    long long poll_ms;
    int64_t done_mono_ms;   /* CLOCK_MONOTONIC when the last answer came */
    int64_t if_mono_ms;     /* ... and when the interface counters came: their time stamp */
    long long uptime_ticks; /* -1 when the agent gave none */
    char *sys_descr, *sys_object_id, *sys_name, *sys_contact, *sys_location;
    char *os_name; /* coll_os_name() of sysDescr as sent, with its line breaks; NULL: none */
    struct coll_if *ifs;
    size_t n_ifs, cap_ifs;
    struct coll_storage *storage;
    size_t n_storage, cap_storage;
    struct coll_hrdev *hrdev;
    size_t n_hrdev, cap_hrdev;
    struct coll_supply *supplies;
    size_t n_supplies, cap_supplies;
    struct coll_neighbor *neighbors;
    size_t n_neighbors, cap_neighbors;
    /* scalars, -1 when the agent has none */
    long long if_number;                              /* ifNumber */
    long long if_last_change; /* ifTableLastChange (sysUpTime ticks of the last row added or
                                 removed) */
    long long hr_memory_kb;                           /* hrMemorySize */
    long long ucd_total_kb, ucd_avail_kb, ucd_buffer_kb, ucd_cached_kb; /* UCD-SNMP memory */
    long long ups_battery_status; /* 1 unknown, 2 normal, 3 low, 4 depleted */
    long long ups_minutes, ups_charge;
    long long ups_output_source; /* 3 normal, 5 battery ... */
    long long sys_services;       /* sysServices (layers, a bit each), -1 none */
    /* the profile the device matched (NULL: none) and what its OIDs gave */
    const struct coll_profile *profile;
    uint64_t probes;              /* bit i: the set's probe OID i answered (devprofile.c) */
    double pm[COLL_PM_COUNT];     /* NAN: unknown */
    double pm_acc[COLL_PM_COUNT]; /* while reading: sum or highest so far; pm_n rows */
    unsigned pm_n[COLL_PM_COUNT];
    char *pt[COLL_PT_COUNT];      /* sanitized UTF-8 or NULL */
    struct coll_pinst *pinst;     /* every numeric instance a profile value gave: what counter
                                     polls GET again */
    size_t n_pinst, cap_pinst;
    size_t n_values;
};

/*
 * struct coll_host_summary - what the write path derives from a result: averages and
 * totals for the RRD, and the facts people read (RAM, CPU, disks, OS). NAN/-1 = unknown.
 */
struct coll_host_summary {
    double cpu_load_pct;   /* mean hrProcessorLoad of the processors that gave one */
    long long cpu_count;
    const char *cpu_model; /* borrowed from the result */
    double mem_total, mem_used; /* bytes, from the same source so that they compare */
    double ram_bytes;           /* installed memory: hrMemorySize first */
    double disk_max_pct;   /* fullest fixed disk of those whose use is known */
    double disk_total, disk_used; /* disk_used unknown when one disk's use is */
};
/* coll_summarize() - fill @out from @r (fields unknown when the agent gave nothing) */
void coll_summarize(const struct coll_result *r, struct coll_host_summary *out);
/* coll_os_name() - a short OS name from sysDescr that keeps its version: "Windows 10 (build
 * 19045)"; "Linux 3.10.0-514.el7.x86_64" (uname-style "<system> [host] <release>" of Linux
 * and the BSDs, the release told by its shape); Huawei "VRP 5.160 (...)"; else the first
 * line, a long one cut at a word (or character) boundary under 120 bytes. @sys_descr: as
 * sent, with its line breaks as "\n" (coll_result.os_name). Heap string; NULL for NULL or
 * an empty description. */
char *coll_os_name(const char *sys_descr);
/* coll_os_name_edition() - r->os_name of a Windows server (its sysObjectID says so: the
 * sysDescr of a server and a desktop of one build are alike) named as the server edition:
 * "Windows Server 2019 (build 17763)", not "Windows 10" */
void coll_os_name_edition(struct coll_result *r);
/*
 * struct coll_guess - a device's kind and how it was told, for people: @why is the evidence
 * chain in MIB object names, OIDs and the vendor, language-neutral
 * ("sysObjectID 1.3.6.1.4.1.318 → APC → ups").
 */
struct coll_guess {
    const char *kind;   /* static: router switch firewall ap ups printer nas server pc other */
    const char *vendor; /* static or the profile's; NULL when unknown */
    char why[192];
};
/* coll_guess_kind() - the kind from the matched profile first (its [kind] rules, then its
 * kind), else from what the device answered (sysDescr words, sysServices, UPS-MIB, Printer-MIB,
 * HOST-RESOURCES); @out may be NULL. Returns out->kind. */
const char *coll_guess_kind(const struct coll_result *r, struct coll_guess *out);
/*
 * struct coll_measures - a poll's measured values as the write path stores them: the
 * profile's OIDs first, the standard MIBs (HOST-RESOURCES, UCD, UPS-MIB) for what it did not
 * give; mem_used/mem_total in bytes, mem_pct from them when not given. NAN unknown.
 */
struct coll_measures {
    double v[COLL_PM_COUNT];
    double disk_max_pct;
};
void coll_measure(const struct coll_result *r, struct coll_measures *out);
/* coll_pm_name() - the value's name as profiles and JSON write it ("ups_charge_pct") */
const char *coll_pm_name(enum coll_pm pm);
/* coll_result_vendor() / coll_result_model() - what the device said it is: the profile's
 * vendor, the model its OIDs (or sysDescr) gave; NULL when unknown. Borrowed from @r. */
const char *coll_result_vendor(const struct coll_result *r);
const char *coll_result_model(const struct coll_result *r);
/* coll_real_disk() - a fixed disk with a size that is not a pseudo file system (/dev/shm,
 * /run, /sys, /proc, /dev): the disks the facts list and that get a device_disk row */
bool coll_real_disk(const struct coll_storage *s);
/* coll_disks_json() - the fixed disks as a JSON array text: descr, size_bytes, used_bytes
 * (null when the agent gave no hrStorageUsed) */
char *coll_disks_json(const struct coll_result *r);
/* coll_supplies_json() - printer supplies as a JSON array text: descr, level_pct, state */
char *coll_supplies_json(const struct coll_result *r);

/*
 * coll_v3_probe_build() - the RFC 3414 discovery GET (no user, no engine ID, reportable)
 * with @msgid into @buf; returns its length, 0 when @buf is too small.
 * coll_v3_probe_parse() - the engine ID (5..32 bytes into @out_engine), boots and time from
 * the agent's report; -EPROTO for anything malformed or for another msgid.
 */
size_t coll_v3_probe_build(unsigned char *buf, size_t size, long msgid);
int coll_v3_probe_parse(const unsigned char *buf, size_t len, long msgid,
                        unsigned char *out_engine, size_t *out_engine_len, long *out_boots,
                        long *out_time);

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
 * struct coll_engine - the asynchronous engine behind coll_poll_all(), for a caller that
 * starts polls as they fall due: up to @window devices in flight, all driven by
 * coll_engine_step() on the one thread that owns the engine.
 * coll_engine_start() - begin reading @t into @r (zeroed here); both are borrowed until the
 *   done callback hands @r back. -EBUSY when the window is full.
 * coll_engine_step() - wait up to @wait_ms (at most 10 ms while polls are in flight) for
 *   answers, run retries and deadlines, and call @done(@arg, tag, r) for every finished poll.
 * coll_engine_cancel() - end every poll in flight (ok = false, "stopped") through @done.
 * coll_engine_free() - polls still in flight end with ok = false, "stopped", without a
 *   callback: the caller still owns their results.
 */
struct coll_engine;
typedef void coll_done_fn(void *arg, void *tag, struct coll_result *r);
struct coll_engine *coll_engine_new(size_t window);
void coll_engine_free(struct coll_engine *e);
int coll_engine_start(struct coll_engine *e, const struct coll_target *t, struct coll_result *r,
                      void *tag);
void coll_engine_step(struct coll_engine *e, int wait_ms, coll_done_fn *done, void *arg);
void coll_engine_cancel(struct coll_engine *e, coll_done_fn *done, void *arg);
size_t coll_engine_active(const struct coll_engine *e);
bool coll_engine_full(const struct coll_engine *e);

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

/* ---- alerts (alert.c) and their delivery (notify.c) ------------------------------------ */

enum coll_cond { COLL_COND_UNKNOWN, COLL_COND_FALSE, COLL_COND_TRUE };

/*
 * coll_alert_condition() - is rule @r true for device @t (and interface @ifc for the
 * interface kinds, NULL otherwise) at @now? Measurements older than @fresh_s seconds are
 * unknown. UNKNOWN leaves an alert as it is: a device that is unreachable, unknown or (for
 * every kind but device_down) not up tells nothing, so it neither raises nor clears one.
 * *out_value: seconds down, % used, minutes left ...
 */
enum coll_cond coll_alert_condition(const struct inv_alert_rule *r,
                                    const struct inv_alert_target *t,
                                    const struct inv_alert_iface *ifc, long long now,
                                    long long fresh_s, double *out_value);

/*
 * coll_alert_evaluate() - judge every enabled rule against every matching enabled device
 * and move the alerts: pending when the condition turns true, firing after for_s, resolved
 * when it clears; queue one notification per enabled channel of the rule for each
 * announced change (firing, recovery when notify_recovery, repeat every repeat_s > 0).
 * Maintenance: nothing is announced while the device (or every device) is in a window; an
 * alert that fires inside one is announced when the window ends if it is still true, and a
 * recovery inside one (or of an alert never announced) is not announced at all.
 * Idempotent: a second call with the same @now changes nothing.
 * Context: the thread that owns @db; runs in one savepoint, so it may sit inside the
 * caller's transaction. Wakes the delivery thread when it queued something.
 * Returns the number of notifications queued, or -EIO.
 */
int coll_alert_evaluate(struct ww_db *db, const struct ww_config *cfg, time_t now);

/*
 * coll_alert_words_load() - the words of the alert texts: $www_dir/i18n (the UI's files),
 * kept for the process's life and used by coll_alert_evaluate(). When they cannot be read,
 * one warning is logged and alerts are still sent, with the codes instead of words.
 * Context: main thread, at start, before threads. Returns 0 or ww_i18n_load()'s error.
 * coll_alert_words_free() - at the end, after the threads are stopped.
 */
int coll_alert_words_load(const struct ww_config *cfg);
void coll_alert_words_free(void);

/*
 * coll_alert_text() - subject (one line, Vietnamese) and body (Vietnamese, then English) of
 * notification @kind (firing, recovery, repeat) of rule @r for @t/@ifc with @value, from
 * @words (the i18n keys mail.*, alertkind.*, alertval.*, alcond.*; borrowed; NULL: the codes
 * with their parameters, once). @since is shown as local time of the process's zone (the
 * office zone, see ww_office_use_zone()) with cfg->timezone's name and the UTC offset.
 * Device strings are sanitized (no control characters). Heap strings, caller frees.
 */
void coll_alert_text(const struct ww_config *cfg, const struct ww_i18n *words, const char *kind,
                     const struct inv_alert_rule *r, const struct inv_alert_target *t,
                     const struct inv_alert_iface *ifc, double value, long long since,
                     char **out_subject, char **out_body);

/*
 * coll_reminder_text() - subject (one line, Vietnamese: the office's language) and body
 * (Vietnamese, then English, as the alert texts) of the training expiry reminder of @day:
 * @items (inv_reminder_items(): by unit) under one heading per unit, each a name, a skill and
 * the last valid day, nothing else of the person; the words are the i18n keys mail.remind_*
 * (NULL catalogue: the codes with their parameters). Heap strings, caller frees.
 */
void coll_reminder_text(const struct ww_config *cfg, const char *day,
                        const struct inv_reminder_item *items, size_t n, char **out_subject,
                        char **out_body);
/*
 * coll_remind_run() - the daily training expiry reminders (remind.c): every office day up to
 * @now's not yet reminded (inv_reminder_days_due(): a missed day is caught up, once), each
 * day's reminders as one message per enabled alert channel (kind training_expiry), queued
 * in the same transaction that marks the day reminded, so a day is never sent twice; a day
 * with no reminder or no channel is marked too. @now is the caller's clock (injectable). The
 * texts' dashboard link is the effective one (inv_settings_overlay() over @file_cfg).
 * Context: the thread owning @db (the delivery thread, or main after a bounded run).
 * Returns the number of messages queued, or -EIO.
 */
int coll_remind_run(const struct ww_config *file_cfg, struct ww_db *db, time_t now);

/* struct coll_mail - one e-mail; all borrowed */
struct coll_mail {
    const char *from;    /* addr-spec */
    const char *to;      /* addr-specs, comma-separated */
    const char *subject; /* UTF-8, any bytes: sanitized and RFC 2047-encoded */
    const char *body;    /* UTF-8 text, sent base64 */
    time_t date;
    long long id;        /* for the Message-ID */
};
/*
 * coll_mail_build() - an RFC 5322 message with CRLF line ends: Date, From, To, Subject
 * (=?UTF-8?B?...?= words, folded), Message-ID, MIME-Version, text/plain UTF-8 base64 body.
 * No header ever carries a CR or LF from the inputs. Returns 0, -EINVAL (a From/To that is
 * not a plain address list), -E2BIG.
 */
int coll_mail_build(const struct coll_mail *m, struct ww_buf *out);

/*
 * coll_notify_start() - start the delivery thread with its own connection to @db_path; it
 * sends what is due, then sleeps until the next retry or coll_notify_wake(). @cfg is
 * borrowed and must outlive coll_notify_stop(). curl_global_init() must have run before.
 * coll_notify_stop() - wake it, wait for the delivery in progress (bounded by
 * [alerts] timeout_ms), join it. Safe when it never started.
 */
int coll_notify_start(const struct ww_config *cfg, const char *db_path);
void coll_notify_stop(void);
void coll_notify_wake(void);
/*
 * coll_notify_run_once() - deliver every notification due at @now on the calling thread
 * (tests, --once). Returns how many were attempted, or -EIO.
 */
int coll_notify_run_once(const struct ww_config *cfg, struct ww_db *db, time_t now);

/* ---- ICMP echo for devices that stopped answering SNMP (icmp.c) ------------------------- */

/* coll_icmp_start() / coll_icmp_stop() - the pinger thread (the collector's); 0 or -errno */
int coll_icmp_start(void);
void coll_icmp_stop(void);
/* coll_icmp_ask() - ping device @id at @host with the next batch (no wait; nothing when the
 * pinger is not running). Any thread. */
void coll_icmp_ask(long long id, const char *host);
/* coll_icmp_answer() - the last answer for device @id, INV_ICMP_NOT_ASKED when none or older
 * than ten minutes. Any thread. */
enum inv_icmp coll_icmp_answer(long long id);
/* coll_icmp_forget() - device @id answered SNMP again: its entry goes */
void coll_icmp_forget(long long id);
/* coll_icmp_parse_reply() - is @buf (@len bytes; @raw: an IPv4 packet with its header, else
 * the ICMP message of a ping socket) an echo reply (for identifier @ident when raw)? */
bool coll_icmp_parse_reply(const uint8_t *buf, size_t len, bool raw, uint16_t ident);

#endif
