/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * inventory.h - the records and the rules that read them, the only way other modules reach
 * the database: the one audited-change path and refusals as data; schema and migrations;
 * devices with their SNMP settings (v1/v2c/v3) and parents; what SNMP reported
 * (device_fact); interfaces, device status and events (reason codes with parameters);
 * LLDP/CDP neighbours; accounts, sessions, login throttling and the audit log;
 * availability, maintenance and office time (each rule stated once, where its owner is
 * declared); alert rules, channels, alerts and the notification queue; settings; a device's
 * records; org units with their mergers and history, and locations; the replacement
 * priority score and the multi-year plan.
 *
 * Every function takes a struct ww_db owned by the caller and used by one thread at a time.
 * Strings in the structs below are heap copies owned by the struct; release them with the
 * matching _release()/_free() call. Returns are 0 or a negative errno: -EINVAL bad input
 * and -EEXIST duplicate (both with a refusal: a field and a reason code, inv_refusal_last()),
 * -ENOENT no such record, -EIO the database failed (logged).
 */
#ifndef WW_INVENTORY_H
#define WW_INVENTORY_H

#include "common/common.h"

/* ---- refusals and the one audited-change path (change.c) ------------------------------- */

/*
 * struct inv_refusal - why inventory refused a change, as data: the words are the i18n
 * files' "reason.<reason>" with {field} (the words of "field.<field>") and {param}.
 */
struct inv_refusal {
    char field[32];  /* an inv_fields[] name ("host", "threshold"); "record" for the whole */
    char reason[32]; /* an inv_refusal_reasons[] code ("required", "too_long", "exists") */
    char param[64];  /* what the reason names (a maximum, an id, the value refused); "" */
};
extern const char *const inv_refusal_reasons[]; /* NULL-terminated */
extern const char *const inv_fields[];          /* NULL-terminated */
bool inv_field_known(const char *field);
/* inv_refusal_last() - the refusal recorded by the calling thread's last inventory call that
 * returned -EINVAL or -EEXIST (reason "" when none since inv_refusal_clear()). Validation
 * failures are logged at debug level only: they are the user's, not the program's. */
void inv_refusal_last(struct inv_refusal *out);
void inv_refusal_clear(void);

/* who made a change, for the audit log */
struct inv_actor {
    long long user_id; /* 0 = none (CLI as root, system) */
    const char *name;  /* login, or the OS user for the CLI */
    const char *source; /* "api", "cli", "system" */
    const char *remote_addr; /* NULL for the CLI */
};

/*
 * struct inv_change - one change of one record, from the API or the CLI. Every change goes
 * through inv_change_run(); nothing else writes the audit log for a change.
 */
struct inv_change {
    const struct inv_actor *actor; /* required (with a name and a source): else -EPERM */
    const char *action;            /* the audit action: "device.change" */
    const char *object_type;       /* device, user, maintenance, holiday, alert_rule,
                                      alert_channel, setting (no snapshot: may be secret) */
    long long id;                  /* the record; 0 before an add (@apply sets it) */
    const char *key;               /* or its text key (a holiday's day, a setting's key) */
    const char *audit_id;          /* the audit log's object id when not id/key (a login) */
    bool may_be_new;               /* insert-or-update by key: no -ENOENT when absent */
    int (*apply)(struct ww_db *db, void *ctx, struct inv_change *ch);
    void *ctx;
    /* out */
    char *after;             /* the record's snapshot after the change (JSON text; NULL when
                                removed or not kept); the caller frees it */
    struct inv_refusal why;  /* filled when the result is -EINVAL or -EEXIST */
};
/*
 * inv_change_run() - in one transaction: the record's snapshot before (-ENOENT when it is
 * gone), @apply, the snapshot after, the audit entry (actor, action, before -> after) and the
 * change number inv_change_mark() reads. Any failure rolls all of it back. Called inside a
 * transaction the caller opened (inv_import_devices), it runs in a savepoint of it instead:
 * a failure takes back this change only, and the caller's rollback takes back all.
 * Returns 0, -EPERM (no actor: nothing is done), @apply's error (-EINVAL/-EEXIST with
 * ch->why, -ENOENT), -EIO.
 */
int inv_change_run(struct ww_db *db, struct inv_change *ch);

/* Ready @apply functions for what the API and the CLI both do. Each takes the record as
 * @ctx (borrowed) and ch->id: add (ctx: struct inv_device, parent set too; sets ch->id),
 * update (ctx: the device with id = ch->id; parent changed when it differs), remove. */
int inv_apply_device_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_device_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_device_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
/* a new account (ctx: struct inv_user_new; sets ch->id) */
struct inv_user_new {
    const char *login, *full_name, *role, *password_hash;
};
int inv_apply_user_add(struct ww_db *db, void *ctx, struct inv_change *ch);
/* an account's changes (ctx: struct inv_user_edit, user ch->id); refused ("last_admin")
 * when no enabled admin would remain. A password change ends the user's sessions. */
struct inv_user_edit {
    const char *role;          /* NULL = unchanged */
    int enabled;               /* -1 unchanged, 0 disable (ends sessions), 1 enable */
    bool set_full_name;
    const char *full_name;     /* with set_full_name; NULL clears it */
    const char *password_hash; /* NULL = unchanged */
};
int inv_apply_user_edit(struct ww_db *db, void *ctx, struct inv_change *ch);

/*
 * struct inv_change_mark - moves whenever an event is recorded or a record changes (by any
 * process): caches of what people see (the overview) are current while it stays the same.
 */
struct inv_change_mark {
    long long events, changes;
};
int inv_change_mark(struct ww_db *db, struct inv_change_mark *out);

/* inv_migrate() - bring the database to the current schema (see inventory/schema.c). */
int inv_migrate(struct ww_db *db);
/* inv_schema_version() - the version inv_migrate() reaches. */
int inv_schema_version(void);
/* inv_migrate_to() - stop at @version (tests of upgrades from older databases). */
int inv_migrate_to(struct ww_db *db, int version);

/* ---- devices ---------------------------------------------------------------------------- */

#define INV_NAME_MAX 200
/* money, in whole VND: a budget holds at most INV_VND_MAX (10^15), the cost of one thing (a
 * device, a repair, a unit price) at most INV_VND_ITEM_MAX (10^12, far above any device), so
 * a report's sum over a million devices stays far inside 64 bits */
#define INV_VND_MAX 1000000000000000LL
#define INV_VND_ITEM_MAX 1000000000000LL
#define INV_HOST_MAX 253

/* device kinds, in the order the UI lists them */
extern const char *const inv_device_kinds[];
bool inv_device_kind_valid(const char *kind);
/* a device's lifecycle status (in_stock in_use on_loan in_repair broken to_dispose
 * disposed) and criticality (normal one_stop_counter network_core): the one list of each,
 * in the order the UI offers them; the database does not repeat them */
extern const char *const inv_device_statuses[];
extern const char *const inv_device_criticalities[];
#define INV_LIFESPAN_MAX 50
#define INV_NOTES_MAX 2000

/* the latest measured values of a device, for alert rules, pages and /metrics */
struct inv_metrics {
    double cpu_pct, mem_pct, disk_max_pct;          /* NAN unknown */
    int ups_on_battery;                             /* 1, 0, -1 unknown */
    double ups_runtime_min, ups_charge_pct, supply_min_pct; /* NAN unknown */
};
struct inv_device {
    long long id;
    char *name;
    char *kind;      /* one of inv_device_kinds[]: router switch firewall ap ups printer nas
                        server pc other */
    char *host;      /* IPv4/IPv6 literal or DNS name */
    long long snmp_port;
    char *snmp_version;   /* "1" or "2c" (v3 comes with the collector engine) */
    char *snmp_community; /* secret: never logged, never sent to a browser */
    /* SNMPv3 (snmp_version "3"): user, level noAuthNoPriv/authNoPriv/authPriv, protocols
     * MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512 / DES AES AES-192 AES-256; keys are secrets */
    char *v3_user, *v3_level, *v3_auth_proto, *v3_auth_key, *v3_priv_proto, *v3_priv_key;
    char *vendor, *model, *serial, *asset_tag;
    char *purchase_date; /* YYYY-MM-DD or NULL */
    long long cost_vnd;  /* -1 = unknown */
    /* the lifecycle (schema v13). Dates YYYY-MM-DD or NULL; in service and warranty end are
     * never before the purchase date (when both are known) */
    char *in_service_date, *warranty_end;
    char *funding_source;      /* text as typed ("ngân sách phường 2024"); NULL */
    long long lifespan_years;  /* an override of the kind's lifespan, 1..INV_LIFESPAN_MAX;
                                  0 = none (the kind's) */
    char *status;              /* one of inv_device_statuses[]; NULL = "in_use" */
    char *criticality;         /* one of inv_device_criticalities[]; NULL = "normal" */
    char *assigned_to;         /* the holder's name: as typed, or (assigned_staff_id set) the
                                  staff record's full name, which the write takes over; NULL =
                                  nobody. A change adds a row to the assignment history. */
    long long assigned_staff_id; /* the holder as a staff record (v17); 0 = none. Unknown id:
                                    refused ("assigned_staff", "no_such") */
    char *notes;               /* free text, at most INV_NOTES_MAX bytes */
    /* where it belongs (unit.c): 0 = none. A change of unit_id through the device change
     * writes its device_unit row; a merged unit is refused ("unit_merged") */
    long long unit_id, location_id;
    char *unit_name, *location_name; /* read-only, filled by get/list */
    bool enabled;
    /* read-only, filled by get/list: current status */
    char *state; /* unknown, up, down */
    long long state_since, last_poll, last_ok;
    long long uptime_ticks; /* -1 unknown */
    long long poll_ms;      /* -1 unknown */
    char *last_reason;      /* the reason code of the last failed poll (NULL after an answer) */
    char *last_reason_param; /* what that reason names (an agent's words: hostile); NULL */
    int icmp_ok;            /* an ICMP echo after that failure: 1 answered, 0 not, -1 not asked */
    long long first_ok;     /* the first answer ever; 0 = never answered */
    char *sys_name, *sys_descr; /* from device_fact, sanitized UTF-8; NULL when unknown */
    char *os_name; /* the "os" fact, the collector's reading of the system ("Windows 10
                    * Pro (build 19045)"); NULL when it made none */
    long long parent_id;        /* the uplink it sits behind; 0 = none (set with _set_parent) */
    char *parent_name;
    bool in_maintenance; /* filled only by inv_device_mark_maintenance(); false until then */
    struct inv_metrics metrics; /* the latest measured values */
};

/* inv_device_init() - defaults: kind "other", port 161, version "2c", enabled, cost -1. */
void inv_device_init(struct inv_device *d);
void inv_device_release(struct inv_device *d);
/*
 * inv_device_name_taken() - the rule "no two devices share a name", stated once: names are
 * compared as people see them (ww_name_key: case-blind, Unicode-normalised, surrounding
 * spaces ignored). 0 when no device but @except_id (0 = none) has @name; -EEXIST refused
 * (field "name", reason "name_taken", param "#<id> <its name>"), its id in *out_id (may be
 * NULL); -EIO. inv_device_add() and inv_device_update() (when the name changes) ask it, so
 * every path that adds or renames a device (API, CLI, discovery) follows it.
 */
int inv_device_name_taken(struct ww_db *db, const char *name, long long except_id,
                          long long *out_id);
/*
 * inv_device_asset_tag_taken() - the rule "an asset tag, when set, names one device": tags
 * are compared as names are (ww_name_key: "ub-0042" is "UB-0042 "). 0 when no device but
 * @except_id (0 = none) has @tag (or @tag is NULL/empty); -EEXIST refused (field asset_tag,
 * reason "exists", param "#<id>"); -EIO. inv_device_add() and inv_device_update() (for a new
 * tag only, as with names) ask it.
 */
int inv_device_asset_tag_taken(struct ww_db *db, const char *tag, long long except_id);
/* inv_device_add() - validate and insert; @d borrowed; the new id in *out_id. A name taken
 * (inv_device_name_taken) or a host+port taken ("exists") is -EEXIST. */
int inv_device_add(struct ww_db *db, const struct inv_device *d, long long *out_id);
/* inv_device_update() - replace the editable fields of device d->id. A new name is refused
 * when another device has it; an unchanged one never is (twins from before the rule stay
 * editable). */
int inv_device_update(struct ww_db *db, const struct inv_device *d);
/* inv_device_remove() - delete device @id and, by cascade, what hangs on it. Its id is never
 * given again (AUTOINCREMENT); its metric files are storage's to retire (store_retire()). */
int inv_device_remove(struct ww_db *db, long long id);
/* inv_device_reserve_ids() - make every id given from now on larger than @used (an id
 * something outside the database still names, such as an rrd/<id>/ folder: see
 * store_device_id_max()). Never lowers the sequence. Returns 0 or -EIO. */
int inv_device_reserve_ids(struct ww_db *db, long long used);
/* inv_device_exists() - 0 when device @id exists, -ENOENT, -EIO */
int inv_device_exists(struct ww_db *db, long long id);
/* inv_device_set_parent() - @parent_id 0 clears it; -EINVAL for itself, a loop, a chain
 * longer than INV_PARENT_DEPTH_MAX or no such parent; -ENOENT for no device @id */
int inv_device_set_parent(struct ww_db *db, long long id, long long parent_id);
int inv_device_get(struct ww_db *db, long long id, struct inv_device *out_dev);
/* inv_device_mark_maintenance() - set in_maintenance of @n devices (got from _get or _list)
 * as inv_maintenance_covers_set() answers at @now (the caller's clock, never the wall's) */
int inv_device_mark_maintenance(struct ww_db *db, struct inv_device *devs, size_t n, time_t now);

struct inv_device_list {
    struct inv_device *items;
    size_t n;
    long long total; /* matching rows before limit/offset */
};
/* inv_device_changes() - a number that changes whenever a device is added, changed or
 * removed (by any connection): equal numbers mean the same device table */
int inv_device_changes(struct ww_db *db, long long *out_n);
/* inv_device_list() - by name; @enabled_only for pollers; limit < 0 = all. */
int inv_device_list(struct ww_db *db, bool enabled_only, long long limit, long long offset,
                    struct inv_device_list *out_list);
void inv_device_list_release(struct inv_device_list *list);

/* ---- CSV import of devices (import.c) ----------------------------------------------------- */

/*
 * The file: UTF-8 with or without a BOM; RFC 4180 (a quoted field may hold commas, doubled
 * quotes and line breaks); CRLF or LF. Row 1 names the columns (inv_import_columns[], any
 * order; name and host required; devices.csv's read-only columns id, state, sys_name and
 * sys_descr are skipped; a column may be named by its export words, see @words below);
 * each later row is one device. An empty line is skipped
 * but counted, so row numbers are the ones a spreadsheet shows. Refused, with the row and
 * the column: invalid UTF-8, a cell a spreadsheet would run as a formula (ww_formula_cell:
 * we never store one), a cell over INV_IMPORT_CELL_MAX bytes, a row with more cells than
 * the header, an unknown or missing column, text after a closing quote or a quote never
 * closed; a file over INV_IMPORT_FILE_MAX bytes or INV_IMPORT_ROWS_MAX rows. A row is a
 * struct inv_device checked by inv_device_validate(), as the API's add is; names, asset tags
 * and host:port must be new, in the file and in the database.
 */
#define INV_IMPORT_FILE_MAX (20u * 1024 * 1024)
#define INV_IMPORT_ROWS_MAX 100000
#define INV_IMPORT_CELL_MAX 4096
#define INV_IMPORT_ERRORS_MAX 1000 /* listed; the rest are counted in errors_more */
extern const char *const inv_import_columns[]; /* NULL-terminated; devices.csv's order */

struct inv_import_error {
    long long row;  /* 1 = the header; 0 = the whole file */
    int column;     /* 1-based; 0 = the whole row */
    struct inv_refusal why; /* field: the column's name, or "record" */
};
struct inv_import_opts {
    const struct inv_actor *actor; /* required unless dry_run */
    bool dry_run;    /* check only, write nothing */
    bool only_valid; /* write the valid rows even when others are refused */
    long long fail_at_row; /* tests: the write of this row fails with -EIO (0 = never) */
    const struct ww_i18n *words; /* NULL, or the catalogue whose "csv.<column>" words (any
                                    language) a header may use, as devices.csv writes it */
};
struct inv_import_result {
    long long rows, valid, written; /* data rows (not the header, not empty lines) */
    long long added, updated;       /* of written: new records, changed ones (staff import) */
    bool file_refused;              /* the file itself (size, header, quoting) */
    struct inv_import_error *errors; /* by row, then column */
    size_t n_errors, errors_more;
};
/*
 * inv_import_devices() - check the whole of @data (@len bytes, borrowed) and, unless
 * @o->dry_run, write the devices in ONE transaction: each through inv_change_run() (audit
 * action "device.import", one entry per device) in a savepoint of it. Nothing is written
 * when a row is refused, unless @o->only_valid; a failure while writing rolls every row
 * back. The checks against the database run inside the write transaction, so no other
 * writer slips between check and write.
 * Returns 0 (rows written, or a dry run), -EINVAL (refused: nothing written; *out says
 * why), -EPERM (no actor), -EIO (nothing written). *out is filled in every case; release
 * it with inv_import_result_release().
 */
int inv_import_devices(struct ww_db *db, const char *data, size_t len,
                       const struct inv_import_opts *o, struct inv_import_result *out);
void inv_import_result_release(struct inv_import_result *r);

/* ---- facts: what a device reported about itself ------------------------------------------ */

/* inv_fact_set() - upsert; keeps first_seen, moves last_seen. @value is stored as given.
 * An unchanged value is not rewritten: its last_seen moves at most every
 * INV_FACT_SEEN_EVERY seconds, so polling writes no row for facts that stay the same. */
#define INV_FACT_SEEN_EVERY 600
int inv_fact_set(struct ww_db *db, long long device_id, const char *name, const char *value,
                 time_t now);
/* struct inv_fact - one fact a device reported; inv_fact_list() by name, heap copies, one
 * owner: inv_fact_list_free(). */
struct inv_fact {
    char *name, *value;
    long long first_seen, last_seen;
};
int inv_fact_list(struct ww_db *db, long long device_id, struct inv_fact **out_items,
                  size_t *out_n);
void inv_fact_list_free(struct inv_fact *items, size_t n);
/* inv_fact_get() - heap copy in *out_value (NULL when absent, still returns 0). */
int inv_fact_get(struct ww_db *db, long long device_id, const char *name, char **out_value);

/* ---- interfaces ------------------------------------------------------------------------- */

struct inv_interface {
    long long id;
    long long device_id;
    char *if_key; /* ifName, else ifDescr, else "ifIndex.N": stable across ifIndex renumbering */
    long long if_index;
    char *name, *descr, *alias;
    long long type, speed_bps, admin_status, oper_status;
    bool hc; /* 64-bit counters */
    char *in_octets, *out_octets; /* last raw counter values read, decimal */
    double in_bps, out_bps;       /* rate over the last poll interval; NAN unknown */
    double rate_at;               /* wall time of the counters read (epoch s); NAN unknown */
    long long oper_since;         /* when oper_status last changed; 0 = keep / unknown */
};
/* inv_interface_upsert() - insert or refresh by (device, if_key); the row id in *out_id. */
int inv_interface_upsert(struct ww_db *db, const struct inv_interface *ifc, time_t now,
                         long long *out_id);
/* inv_interface_refresh() - the same, given the row as it was (@prev, from
 * inv_interface_list(); NULL when new): when only counters and rates changed, the row is
 * updated in place. */
int inv_interface_refresh(struct ww_db *db, const struct inv_interface *prev,
                          const struct inv_interface *ifc, time_t now, long long *out_id);
int inv_interface_list(struct ww_db *db, long long device_id, struct inv_interface **out_items,
                       size_t *out_n);
void inv_interface_list_free(struct inv_interface *items, size_t n);
/*
 * struct inv_link - an interface with a speed on an enabled device, for the busiest links:
 * ids, the device's name, the interface's name (its if_key when it has none) and speed.
 * inv_link_list() - every one of them in one statement (speed_bps > 0 as read into an
 * integer, the test the per-device inv_interface_list() callers made), by interface id;
 * heap copies, one owner: inv_link_list_free(). Returns 0 or -EIO.
 */
struct inv_link {
    long long device_id, interface_id, speed_bps;
    char *device_name, *name;
};
int inv_link_list(struct ww_db *db, struct inv_link **out_items, size_t *out_n);
void inv_link_list_free(struct inv_link *items, size_t n);

/* ---- status and events ------------------------------------------------------------------ */

/* the longest parent chain followed (a loop is refused when parents are set) */
#define INV_PARENT_DEPTH_MAX 32

struct inv_status {
    char state[16]; /* unknown, up, down, unreachable */
    long long since, last_poll, last_ok;
    long long fail_count, ok_count; /* polls in a row that failed / answered */
    long long streak_since;         /* when the current run of either began */
    long long uptime_ticks; /* -1 unknown */
    long long uptime_at;    /* wall time when uptime_ticks was read */
};
int inv_status_get(struct ww_db *db, long long device_id, struct inv_status *out_status);

/* inv_status_metrics() - store them in the device's status row (after inv_status_apply) */
int inv_status_metrics(struct ww_db *db, long long device_id, const struct inv_metrics *m,
                       time_t now);

/* what an ICMP echo said about a device that did not answer SNMP */
enum inv_icmp {
    INV_ICMP_NOT_ASKED = 0, /* no echo sent (or no ICMP socket here): kept as it was */
    INV_ICMP_ANSWERED,      /* the host is there: SNMP itself is the problem */
    INV_ICMP_SILENT,        /* no echo reply either */
};
struct inv_poll_outcome {
    bool ok;
    time_t when;
    long long uptime_ticks; /* -1 unknown */
    time_t uptime_at;       /* when uptime_ticks was read, on a time line that a clock step
                               does not move (the collector: its answer's monotonic stamp
                               through the process's anchor); 0 = @when */
    long long poll_ms;
    const char *error;  /* borrowed; why the poll failed, in English for the log */
    const char *reason; /* borrowed; the same as a reason code ("timeout"); NULL = "no_answer" */
    const char *reason_param; /* borrowed; what the reason names (an agent's error); NULL */
    bool rebooted;     /* sysUpTime went back: the caller decided */
    bool refused;      /* the agent answered but refused us (SNMPv3 credentials): the state
                          stays as it was, only last_error records it */
    const struct inv_status *prev; /* the status row as the caller just read it inside the
                                      same transaction, or NULL: read here */
    bool no_savepoint; /* the caller rolls its whole transaction back on any failure: no
                          savepoint of this call's own */
    enum inv_icmp icmp; /* a failed poll: what an ICMP echo to the device said */
};
/*
 * inv_status_apply() - record one poll in one transaction (a savepoint: callers may batch):
 * the device's status row and the events it causes, with hysteresis.
 * - Down after @down_after failed polls in a row; the "down" event starts at the first
 *   failed poll of the run. A device with a parent is left for inv_status_reconcile(),
 *   which tells down from unreachable once the parent has been polled too.
 * - Up again after @up_after good polls in a row; the outage ends at the first of them
 *   ("up" event). A first contact (state unknown) is up at once.
 * - "reboot" when o->rebooted. A refused poll (SNMPv3 credentials) changes no state.
 * *out_changed (may be NULL) tells whether the state changed.
 */
int inv_status_apply(struct ww_db *db, long long device_id, const struct inv_poll_outcome *o,
                     long long down_after, long long up_after, bool *out_changed);
/*
 * inv_status_reconcile() - after a batch of inv_status_apply(): a device behind a parent
 * that failed @down_after times becomes "unreachable" when an enabled ancestor is down or
 * unreachable, "down" when its parent was polled since and is up, and waits otherwise; an
 * unreachable device whose way is open again but still fails becomes "down". Each change
 * opens its event. *out_changes (may be NULL): how many devices moved.
 */
int inv_status_reconcile(struct ww_db *db, long long down_after, time_t now,
                         size_t *out_changes);
/*
 * inv_interface_oper_change() - an "if_down" event opens when an interface that is
 * administratively up goes operationally down (2, or 7 lowerLayerDown), and closes with an
 * "if_up" when it comes back; switching it off administratively closes it too (no "if_up").
 * @prev_admin/@prev_oper: the last poll's; @prev_oper <= 0 is first sight: a port switched
 * on (admin up) but down then opens its outage at @now (one only: none when one is open).
 * @name is for the message only.
 */
int inv_interface_oper_change(struct ww_db *db, long long device_id, long long interface_id,
                              long long admin, long long prev_admin, long long prev_oper,
                              long long oper, time_t now, const char *name);

struct inv_event {
    long long id, device_id;
    char *device_name;
    char *type; /* down, up, unreachable, reboot, if_down, if_up */
    long long started_at, ended_at; /* ended_at -1 while open */
    char *message; /* English, for logs; events before schema 8 have only this */
    char *reason;  /* the code pages render ("eventmsg.<reason>"); NULL before schema 8 */
    char *params;  /* its parameters: a JSON object of strings; NULL before schema 8 */
};
/* inv_event_list() - newest first; device_id 0 = all devices. */
int inv_event_list(struct ww_db *db, long long device_id, long long limit, long long offset,
                   struct inv_event **out_items, size_t *out_n, long long *out_total);
void inv_event_list_free(struct inv_event *items, size_t n);

/* ---- LLDP/CDP neighbours and the parents they suggest ----------------------------------- */

/* one neighbour as a device reported it; all borrowed */
struct inv_neighbor {
    const char *local_port;  /* our interface's name (or "port N") */
    const char *remote_key;  /* LLDP chassis id, else the remote name */
    const char *remote_name; /* LLDP sysName, CDP device id */
    const char *remote_port;
    const char *remote_addr; /* NULL when not reported */
};
/*
 * inv_neighbor_replace() - the device's whole @protocol ("lldp", "cdp") table as read at
 * @now: rows upserted, the remote device found by sysName (or its first DNS label) or by
 * the polled host address, rows no longer reported removed.
 */
int inv_neighbor_replace(struct ww_db *db, long long device_id, const char *protocol,
                         const struct inv_neighbor *items, size_t n, time_t now);

/* inv_neighbor_resolve() - link rows to devices that have told their name since */
int inv_neighbor_resolve(struct ww_db *db);

/* a stored neighbour, or (for suggestions) device -> suggested parent; heap strings */
struct inv_neighbor_row {
    long long device_id;
    char *device_name, *protocol, *local_port, *remote_name, *remote_port, *remote_addr;
    long long remote_device_id; /* 0 = not a known device; suggestions: the parent */
    char *remote_device_name;
    long long first_seen, last_seen; /* inv_neighbor_list(), inv_neighbor_unregistered() */
};
int inv_neighbor_list(struct ww_db *db, long long device_id, struct inv_neighbor_row **out_items,
                      size_t *out_n);
/* inv_parent_suggestions() - for every device without a parent that a neighbour table
 * links to a device of a higher tier (router, firewall > switch > ap > others): the
 * nearest such device; local_port/remote_port are the child's and the parent's ports */
int inv_parent_suggestions(struct ww_db *db, struct inv_neighbor_row **out_items, size_t *out_n);
void inv_neighbor_rows_free(struct inv_neighbor_row *items, size_t n);
/*
 * inv_neighbor_unregistered() - devices seen on the network but not in the register: the
 * neighbour rows that name no device of ours (remote_device_id NULL after
 * inv_neighbor_resolve()), with the reporting device, our port, the remote's name, port and
 * address, first and last seen; newest last_seen first, @limit/@offset, *out_total the count.
 * 0 or -EIO.
 */
int inv_neighbor_unregistered(struct ww_db *db, long long limit, long long offset,
                              struct inv_neighbor_row **out_items, size_t *out_n,
                              long long *out_total);

/* ---- accounts, sessions, login throttling, audit ---------------------------------------- */

extern const char *const inv_roles[]; /* admin, it, manager, hr, viewer */
bool inv_role_valid(const char *role);
/* inv_login_valid() - 2..64 of [A-Za-z0-9._-], starting with a letter or digit; logins
 * compare case-insensitively */
bool inv_login_valid(const char *login);

struct inv_user {
    long long id;
    char *login, *full_name, *role, *lang;
    char *password_hash; /* filled by inv_user_get*; never leaves the server */
    bool enabled;
    long long created_at, password_changed_at, last_login_at;
};
void inv_user_release(struct inv_user *u);
/* inv_user_add() - @password_hash is an encoded argon2id string; -EEXIST for a taken login */
int inv_user_add(struct ww_db *db, const char *login, const char *full_name, const char *role,
                 const char *password_hash, long long *out_id);
/* inv_user_get_login() - by login, case-insensitive; -ENOENT */
int inv_user_get_login(struct ww_db *db, const char *login, struct inv_user *out_user);
int inv_user_get(struct ww_db *db, long long id, struct inv_user *out_user);
/* inv_user_set_password() - also ends every session of the user */
int inv_user_set_password(struct ww_db *db, long long id, const char *password_hash);
/* inv_user_change_own_password() - the same, but the session @keep_token_hash goes on
 * untouched (its lifetime included); every other session of the user ends */
int inv_user_change_own_password(struct ww_db *db, long long id, const char *password_hash,
                                 const char *keep_token_hash);
/* inv_user_set_enabled() - disabling also ends every session of the user */
int inv_user_set_enabled(struct ww_db *db, long long id, bool enabled);
int inv_user_set_role(struct ww_db *db, long long id, const char *role);
int inv_user_set_lang(struct ww_db *db, long long id, const char *lang);
int inv_user_set_full_name(struct ww_db *db, long long id, const char *full_name);
int inv_user_touch_login(struct ww_db *db, long long id, time_t now);
int inv_user_list(struct ww_db *db, struct inv_user **out_items, size_t *out_n);
void inv_user_list_free(struct inv_user *items, size_t n);
int inv_user_count_admins(struct ww_db *db, long long *out_n);
/* inv_user_admin_remains() - the office keeps at least one enabled admin: 0, or -EINVAL
 * (reason "last_admin") when the change being made would leave none */
int inv_user_admin_remains(struct ww_db *db);

struct inv_session {
    long long user_id;
    char csrf_token[72];
    long long created_at, last_seen;
};
/* sessions are found by the hash of their token (hex); the token itself is never stored */
int inv_session_create(struct ww_db *db, const char *token_hash, long long user_id,
                       const char *csrf_token, time_t now, const char *remote_addr);
/*
 * inv_session_lookup() - a session that is neither idle longer than @idle_s nor older than
 * @absolute_s, of an enabled user; refreshes last_seen. Expired ones are deleted: -ENOENT.
 */
int inv_session_lookup(struct ww_db *db, const char *token_hash, time_t now, long long idle_s,
                       long long absolute_s, struct inv_session *out_session);
int inv_session_delete(struct ww_db *db, const char *token_hash);
int inv_session_delete_user(struct ww_db *db, long long user_id);

/*
 * inv_session_trim() - end the oldest sessions (by creation) of @user_id beyond the newest
 * @keep; *out_ended (may be NULL) says how many. 0 or -EIO.
 */
int inv_session_trim(struct ww_db *db, long long user_id, long long keep, long long *out_ended);
/* inv_session_count() - how many sessions @user_id holds (expired ones not yet removed too) */
int inv_session_count(struct ww_db *db, long long user_id, long long *out_n);

/*
 * Failed password checks, one row each (table auth_failure): the login as typed (compared
 * ASCII case-blind, an unknown login too), the client address and the time. Inventory keeps
 * the facts; the dashboard decides what they mean (dashboard/auth.c). A row counts for its
 * (login, address) pair until a success or an unlock clears the pair (the row stays, and
 * still counts for its address), and for its address while it lives.
 */
/* inv_auth_failure_add() - record one failure (or an attempt in progress); its id out */
int inv_auth_failure_add(struct ww_db *db, const char *login, const char *addr, time_t at,
                         long long *out_id);
/* inv_auth_failure_forget() - remove the row @id (an attempt that turned out good) */
int inv_auth_failure_forget(struct ww_db *db, long long id);
/*
 * inv_auth_nth_failure() - the time of the @n-th newest failure after @since: of the pair
 * (@login, @addr) when @login is given, else of any login from @addr. -ENOENT when there
 * are fewer than @n; -EIO.
 */
int inv_auth_nth_failure(struct ww_db *db, const char *login, const char *addr, time_t since,
                         long long n, long long *out_at);
/* inv_auth_pair_clear() - the pair (@login, @addr) counts from zero again; @addr NULL: every
 * address of @login (an unlock). Address counts keep the rows. */
int inv_auth_pair_clear(struct ww_db *db, const char *login, const char *addr);
/* inv_auth_prune() - forget rows older than @before */
int inv_auth_prune(struct ww_db *db, time_t before);
/*
 * inv_auth_locked() - of @login: how many addresses hold at least @n pair failures after
 * @since (*out_addrs), and when the last of those locks ends given @window_s (*out_until,
 * 0 when none). 0 or -EIO.
 */
int inv_auth_locked(struct ww_db *db, const char *login, time_t since, long long n,
                    long long window_s, long long *out_addrs, long long *out_until);
/* inv_user_lock_snapshot() - {"login","failures"} of user @login for the audit log: the
 * failures still counted against its pairs; NULL (0) when there is no such user */
int inv_user_lock_snapshot(struct ww_db *db, const char *login, char **out_json);
/* inv_apply_user_unlock() - the apply function of an unlock (object type "user_lock", key =
 * the login): every pair of the login counts from zero; -ENOENT for no such user */
int inv_apply_user_unlock(struct ww_db *db, void *ctx, struct inv_change *ch);

/* inv_audit_add() - append one entry that is not a change of a record (a login, a logout, a
 * failed try); changes go through inv_change_run(). before/after are JSON texts or NULL.
 * Append-only: the schema refuses UPDATE and DELETE on audit_log. */
int inv_audit_add(struct ww_db *db, const struct inv_actor *who, const char *action,
                  const char *object_type, const char *object_id, const char *before_json,
                  const char *after_json);
/* inv_device_snapshot() - the device's editable fields as a JSON object text (the SNMP
 * community shown only as "set"/"unset"); *out_json NULL when there is no such device. */
int inv_device_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_user_snapshot() - login, name, role, enabled, lang; never the hash. */
int inv_user_snapshot(struct ww_db *db, long long id, char **out_json);

struct inv_audit {
    long long id, at, actor_user_id;
    char *actor, *source, *remote_addr, *action, *object_type, *object_id;
    char *before_json, *after_json;
};
struct inv_audit_filter {
    const char *actor;       /* NULL = any */
    const char *action;      /* prefix, NULL = any */
    const char *object_type; /* NULL = any */
    long long from, to;      /* epoch; 0 = open */
};
int inv_audit_list(struct ww_db *db, const struct inv_audit_filter *f, long long limit,
                   long long offset, struct inv_audit **out_items, size_t *out_n,
                   long long *out_total);
void inv_audit_list_free(struct inv_audit *items, size_t n);

/* ---- availability, maintenance, holidays, outages, overview (availability.c) ----------- */

/*
 * The rules (DESIGN in availability.c):
 * - Outages are the device-level "down" and "unreachable" events and the "if_down" events
 *   of interfaces, from started_at to ended_at, or to now while open; they are clipped to
 *   the period.
 * - Monitoring of a device starts when it was added (device.created_at), or at the start
 *   of the period if later; a device that was never polled (no device_status.last_poll)
 *   has nothing monitored. Time before its first answer (device_status.first_ok) that is
 *   not in an outage is unknown_s, never up: a device that never answered and is down
 *   shows 0 %, one still waiting for its first answer shows null. Interfaces start at the later of that and interface.first_seen.
 * - Maintenance windows cover devices as inv_maintenance_covers() says. Maintenance time is
 *   left out of monitored_s and shown as maintenance_s; outages inside it do not count.
 * - Down wins over unreachable where both overlap. Unreachable time (behind a parent that
 *   is down: we could not see the device) is shown apart and counts neither for nor against
 *   it: pct = 100 * up_s / (up_s + down_s), null when that is 0.
 * - An interface is seen only while its device is up: the device's down and unreachable
 *   time is the interface's unreachable_s; its own if_down time outside that is down_s.
 * - Office variants measure the same sets in office seconds only: the calendar of
 *   inv_office_calendar().
 */
struct inv_avail {
    long long up_s, down_s, unreachable_s, maintenance_s, monitored_s;
    long long unknown_s; /* before the device's first answer, outside outages: neither way */
    double pct; /* -1 = nothing monitored (null) */
};

/*
 * inv_office_calendar() - the office time of [from, to): @office's days and hours less the
 * days of the holiday table, in the process's local zone (ww_office_use_zone()). The one way
 * to an office calendar: availability and the dashboard's busiest links both use it, so a
 * holiday is off for both. Free *out_cal with ww_office_cal_release() (safe after a failure).
 * Returns 0, -EINVAL (from > to, or over 100 years), -EIO.
 */
int inv_office_calendar(struct ww_db *db, const struct ww_office *office, time_t from, time_t to,
                        struct ww_office_cal *out_cal);

/* inv_period_parse() - "day", "7d", "30d", "365d" into seconds; -EINVAL otherwise. */
int inv_period_parse(const char *name, long long *out_seconds);

/*
 * inv_availability_device() - device @device_id over [now - period_s, now): 24/7 into
 * *out_all, office hours (@office, with the holiday table) into *out_office.
 * Returns 0, -ENOENT (no device), -EIO.
 */
int inv_availability_device(struct ww_db *db, const struct ww_office *office,
                            long long device_id, long long period_s, time_t now,
                            struct inv_avail *out_all, struct inv_avail *out_office);

struct inv_if_avail {
    long long interface_id;
    char *name;
    struct inv_avail all, office;
};
/* inv_availability_interfaces() - every interface of the device, by name. */
int inv_availability_interfaces(struct ww_db *db, const struct ww_office *office,
                                long long device_id, long long period_s, time_t now,
                                struct inv_if_avail **out_items, size_t *out_n);
void inv_if_avail_free(struct inv_if_avail *items, size_t n);

struct inv_avail_row {
    long long device_id;
    char *device_name, *kind;
    struct inv_avail a;      /* 24/7, or office hours when asked for */
    long long outages;       /* down/unreachable outages that overlap the period */
};
/*
 * inv_availability_list() - every device over the period, lowest pct first (nothing
 * monitored last), then by name and id; @office NULL = 24/7, else office hours.
 * Rows [offset, offset+limit) in *out_items (limit < 0 = all), the count in *out_total.
 */
int inv_availability_list(struct ww_db *db, const struct ww_office *office, long long period_s,
                          time_t now, long long limit, long long offset,
                          struct inv_avail_row **out_items, size_t *out_n,
                          long long *out_total);
void inv_avail_row_free(struct inv_avail_row *items, size_t n);

struct inv_maintenance {
    long long id;
    char *name;
    long long device_id; /* 0 = every device */
    char *device_name;   /* read only; NULL for every device */
    long long starts_at, ends_at;
    char *note;          /* may be NULL */
    char *created_by;    /* read only after add */
    bool active;         /* read only: starts_at <= now < ends_at */
};
void inv_maintenance_release(struct inv_maintenance *m);
/* inv_maintenance_list() - @active -1 all, 1 active now, 0 not active; by starts_at desc */
int inv_maintenance_list(struct ww_db *db, int active, time_t now,
                         struct inv_maintenance **out_items, size_t *out_n);
void inv_maintenance_list_free(struct inv_maintenance *items, size_t n);
int inv_maintenance_get(struct ww_db *db, long long id, time_t now,
                        struct inv_maintenance *out);
/* add/update validate: name 1..INV_NAME_MAX, ends_at > starts_at, device exists (-EINVAL,
 * logged naming the field); @m borrowed; id/device_name/active ignored on add */
int inv_maintenance_add(struct ww_db *db, const struct inv_maintenance *m, long long *out_id);
int inv_maintenance_update(struct ww_db *db, const struct inv_maintenance *m);
int inv_maintenance_remove(struct ww_db *db, long long id);
/* inv_maintenance_snapshot() - the window as a JSON text for the audit log; NULL if none */
int inv_maintenance_snapshot(struct ww_db *db, long long id, char **out_json);

/*
 * inv_maintenance_covers() - is device @device_id in maintenance at @now? The one owner of
 * the rule, which every "in maintenance" of wardwatch follows (availability and the outage
 * log's in_maintenance over their periods, the overview's count, the device pages through
 * inv_device_mark_maintenance(), the alert evaluator's mute):
 *   a window [starts_at, ends_at) is open at @now when starts_at <= now < ends_at; an open
 *   window with device_id NULL covers every device; one with a device covers that device
 *   and every device whose parent_id chain leads to it, followed up to INV_PARENT_DEPTH_MAX
 *   parents (a deeper ancestor, or a loop, is not followed further).
 * @now is the caller's clock (tests and the evaluator pass theirs); no wall clock is read.
 * Context: any thread with its own @db. Returns 0 or -EIO (*out_in false).
 */
int inv_maintenance_covers(struct ww_db *db, long long device_id, time_t now, bool *out_in);
/* inv_maintenance_covers_set() - the same for @n devices @ids (borrowed) into out_in[0..n):
 * at most three queries whatever @n (the windows; the parents only when an open window names
 * a device) */
int inv_maintenance_covers_set(struct ww_db *db, const long long *ids, size_t n, time_t now,
                               bool *out_in);

struct inv_holiday {
    char day[11]; /* YYYY-MM-DD */
    char *name;
};
/* inv_holiday_list() - by day; @year 0 = all */
int inv_holiday_list(struct ww_db *db, int year, struct inv_holiday **out_items,
                     size_t *out_n);
void inv_holiday_list_free(struct inv_holiday *items, size_t n);
/* inv_holiday_set() - insert or rename; a real calendar day and a name 1..INV_NAME_MAX */
int inv_holiday_set(struct ww_db *db, const char *day, const char *name);
int inv_holiday_remove(struct ww_db *db, const char *day);
int inv_holiday_snapshot(struct ww_db *db, const char *day, char **out_json);

struct inv_outage_filter {
    long long device_id; /* 0 = any */
    const char *type;    /* down, unreachable, if_down; NULL = any of them */
    long long from, to;  /* overlapping [from, to); 0 = open */
    int open;            /* -1 any, 1 still open, 0 ended */
    long long min_s;     /* duration at least; 0 = any */
    long long id;        /* this outage only; 0 = any */
    int acked;           /* 0 any, 1 acknowledged, -1 not yet */
};
struct inv_outage {
    long long id, device_id, interface_id; /* interface_id 0 = the device */
    char *device_name, *interface_name, *type;
    long long started_at, ended_at; /* ended_at -1 while open */
    long long duration_s;           /* to now while open */
    bool in_maintenance; /* overlaps a window that covers the device (inv_maintenance_covers) */
    long long acked_at;  /* 0 = not acknowledged */
    char *acked_by;      /* who acknowledged it; NULL when not */
    long long nnotes;    /* notes written on it (inv_outage_notes) */
};
/* inv_outage_list() - newest first (started_at, then id); @out_total NULL: not counted. */
int inv_outage_list(struct ww_db *db, const struct inv_outage_filter *f, time_t now,
                    long long limit, long long offset, struct inv_outage **out_items,
                    size_t *out_n, long long *out_total);
void inv_outage_list_free(struct inv_outage *items, size_t n);

/* ---- acknowledgement and notes of an outage; the causes of silence (outage.c) ---------- */

#define INV_OUTAGE_NOTE_MAX 2000 /* bytes of one note */
#define INV_OUTAGE_NOTES_MAX 100 /* notes on one outage */
struct inv_outage_note {
    long long id;
    char *author;
    long long created_at;
    bool ack; /* the acknowledgement's own note (its text may be empty) */
    char *text;
};
/* inv_outage_get() - one outage (an event of type down, unreachable or if_down) as the
 * outage log shows it; -ENOENT for any other id. Release with inv_outage_release(). */
int inv_outage_get(struct ww_db *db, long long id, time_t now, struct inv_outage *out);
void inv_outage_release(struct inv_outage *o);
/*
 * inv_outage_ack() - acknowledge outage @id: @author and @now, with @note (NULL or "" for
 * none; text people type, at most INV_OUTAGE_NOTE_MAX bytes) as its first note. Once only:
 * -EEXIST (record, already_acked). An open or an ended outage may be acknowledged.
 * Call it inside inv_change_run() (object type "outage"). Returns 0, -ENOENT, -EINVAL, -EIO.
 */
int inv_outage_ack(struct ww_db *db, long long id, const char *author, time_t now,
                   const char *note);
/* inv_outage_note_add() - one more note (required text) on outage @id, acknowledged or not;
 * at most INV_OUTAGE_NOTES_MAX (note, too_many). Inside inv_change_run(). */
int inv_outage_note_add(struct ww_db *db, long long id, const char *author, time_t now,
                        const char *text);
/* inv_outage_notes() - the notes of outage @id in the order written */
int inv_outage_notes(struct ww_db *db, long long id, struct inv_outage_note **out_items,
                     size_t *out_n);
void inv_outage_notes_free(struct inv_outage_note *items, size_t n);
/* inv_outage_snapshot() - the outage with its acknowledgement and notes, JSON, for the audit */
int inv_outage_snapshot(struct ww_db *db, long long id, char **out_json);
/*
 * inv_outage_acked_open() - is the open outage of device @device_id (@interface_id 0) or of
 * its interface acknowledged? The alert evaluator announces no repeat of an alert about it
 * then (collector/alert.c); the first firing and the recovery still go out.
 */
int inv_outage_acked_open(struct ww_db *db, long long device_id, long long interface_id,
                          bool *out_acked);
/*
 * inv_down_cause() - what was seen of a device that does not answer, as a code the pages turn
 * into words and a checklist ("cause.<code>" in the i18n files), from its status row: state,
 * last_reason (the collector's reason code of its last failed poll) and icmp_ok (1 an ICMP
 * echo answered, 0 it did not, -1 not asked):
 *   unreachable                               -> parent_down
 *   v3_refused, v3_config                     -> auth_refused
 *   agent_error, no_system_group              -> agent_error
 *   no SNMP answer and the echo answered      -> icmp_only
 *   no SNMP answer otherwise                  -> no_answer
 * NULL for a device that is up (or not yet polled). The one owner of this rule.
 */
const char *inv_down_cause(const char *state, const char *last_reason, int icmp_ok);

struct inv_state_counts {
    long long total, up, down, unreachable, unknown, maintenance;
};
struct inv_overview_group {
    long long id; /* 0 = none */
    char *name;   /* NULL for none */
    struct inv_state_counts c;
};
struct inv_overview_worst {
    long long device_id;
    char *device_name;
    double pct, office_pct; /* -1 = null */
};
#define INV_OVERVIEW_OUTAGES 50
#define INV_OVERVIEW_WORST 10
struct inv_overview {
    struct inv_state_counts counts; /* enabled devices */
    struct inv_overview_group *by_unit, *by_site;
    size_t nunits, nsites;
    struct inv_outage *outages; /* open ones, longest first */
    size_t noutages;
    struct inv_overview_worst *worst; /* 30 days, lowest first */
    size_t nworst;
};
int inv_overview_get(struct ww_db *db, const struct ww_office *office, time_t now,
                     struct inv_overview *out);
void inv_overview_release(struct inv_overview *o);
/* ---- alerts: rules, channels, alerts, the notification queue (alert.c) ----------------- */

/*
 * struct inv_alert_kind - one rule kind: what an alert of it is about, what its measured value
 * is and what its threshold means. inv_alert_kinds[] is the one list of kinds: rule
 * validation, the collector's evaluator and texts, and GET /api/v1/alert-kinds (the UI's
 * kind list and rule form) all read it. The words are the i18n files' alertkind.<name>,
 * alerthint.<name>, alertval.<value> and alcond.<pct|min>_<over|under>. The condition of
 * each kind is evaluated by the collector (coll_alert_condition).
 */
struct inv_alert_kind {
    const char *name;      /* device_down interface_down link_util disk cpu ups_battery
                              ups_runtime printer_supply */
    const char *subject;   /* one alert per: device, interface, disk (the fullest), supply
                              (the emptiest) */
    const char *value;     /* the measured value: down_for (seconds), runtime_left (minutes),
                              percent */
    bool needs_threshold;
    const char *unit;      /* of the threshold: percent, minutes; NULL without one */
    const char *direction; /* above: true when value > threshold; below: value < threshold */
    double min, max;       /* the threshold's bounds, inclusive (0, 0 without one) */
};
extern const struct inv_alert_kind inv_alert_kinds[];
extern const size_t inv_alert_nkinds;
/* inv_alert_kind_get() - the kind called @name; NULL for none (or NULL @name) */
const struct inv_alert_kind *inv_alert_kind_get(const char *name);
/* inv_alert_value_words() - a measured value of @kind as data for its words: returns the i18n
 * key "alertval.<value>" and writes its {v} into @out_v (minutes for down_for and
 * runtime_left, one decimal for percent); NULL when @v is not finite or @kind unknown */
const char *inv_alert_value_words(const char *kind, double v, char *out_v, size_t size);
#define INV_ALERT_CHANNELS_MAX 32 /* channels one rule may name */
#define INV_ALERT_TARGET_MAX 2000

struct inv_alert_rule {
    long long id;
    char *name, *kind;
    long long device_id; /* 0 = every device */
    char *device_kind;   /* NULL = any kind */
    double threshold;
    bool has_threshold;
    long long for_s, repeat_s; /* repeat_s 0 = no repeats */
    bool notify_recovery, enabled;
    long long channel_ids[INV_ALERT_CHANNELS_MAX];
    size_t n_channels;
};
/* inv_alert_rule_init() - defaults: enabled, notify_recovery, no threshold, no channels */
void inv_alert_rule_init(struct inv_alert_rule *r);
void inv_alert_rule_release(struct inv_alert_rule *r);
/* add/update validate (kind one of inv_alert_kinds[], a threshold where the kind needs one
 * and within its bounds: refused with field "threshold", reason "threshold_needed" or
 * "out_of_range" with param "min-max"; device and channels exist) and write the rule with
 * its channel list; -EINVAL names the field */
int inv_alert_rule_add(struct ww_db *db, const struct inv_alert_rule *r, long long *out_id);
int inv_alert_rule_update(struct ww_db *db, const struct inv_alert_rule *r);
int inv_alert_rule_remove(struct ww_db *db, long long id);
int inv_alert_rule_get(struct ww_db *db, long long id, struct inv_alert_rule *out_rule);
/* inv_alert_rule_list() - by id; @enabled_only for the evaluator */
int inv_alert_rule_list(struct ww_db *db, bool enabled_only, struct inv_alert_rule **out_items,
                        size_t *out_n);
void inv_alert_rule_list_free(struct inv_alert_rule *items, size_t n);
/* inv_alert_rule_snapshot() - the rule as JSON text for the audit log; NULL when absent */
int inv_alert_rule_snapshot(struct ww_db *db, long long id, char **out_json);

struct inv_alert_channel {
    long long id;
    char *name;
    char *kind;   /* email, webhook */
    char *target; /* email: addresses, comma-separated; webhook: an http(s) URL */
    char *secret; /* webhook bearer token: a secret. Read back only by
                     inv_alert_channel_get_secret() (the delivery thread); on update
                     NULL keeps the stored one unless @clear_secret */
    bool clear_secret;
    bool secret_set; /* read-only: a secret is stored */
    bool enabled;
};
void inv_alert_channel_init(struct inv_alert_channel *c);
void inv_alert_channel_release(struct inv_alert_channel *c);
/* targets are checked: each address local@domain of [A-Za-z0-9.!#$%&'*+/=?^_`{|}~-] (no
 * space, CR, LF, <, >), a URL http:// or https:// without spaces, controls or user:pass@ */
int inv_alert_channel_add(struct ww_db *db, const struct inv_alert_channel *c,
                          long long *out_id);
int inv_alert_channel_update(struct ww_db *db, const struct inv_alert_channel *c);
int inv_alert_channel_remove(struct ww_db *db, long long id);
/* inv_alert_channel_get() - without the secret (secret_set says whether there is one) */
int inv_alert_channel_get(struct ww_db *db, long long id, struct inv_alert_channel *out);
int inv_alert_channel_list(struct ww_db *db, struct inv_alert_channel **out_items,
                           size_t *out_n);
void inv_alert_channel_list_free(struct inv_alert_channel *items, size_t n);
/* inv_alert_channel_snapshot() - JSON text for the audit log; the secret as "set"/"unset" */
int inv_alert_channel_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_alert_channel_test() - queue a 'test' notification to channel @id: subject
 * mail.test_subject (Vietnamese), body mail.test_body in every language, from @words
 * (borrowed; NULL: the keys themselves); -ENOENT for no such channel */
int inv_alert_channel_test(struct ww_db *db, const struct ww_i18n *words, long long id,
                           long long now, long long *out_id);

struct inv_alert {
    long long id, rule_id, device_id, interface_id; /* interface_id 0 = none */
    char *rule_name, *kind, *device_name, *interface_name; /* joined, for lists */
    char *subject; /* '' the device, 'if:ID', 'disk', 'supply' */
    char *state;   /* pending, firing, resolved */
    long long pending_since, fired_at, resolved_at, last_notified_at; /* 0 = not yet */
    double value;
    bool has_value;
    char *message; /* what the value says, as a code: "alertval.<value>" of the kind (older
                      rows: an English text); the API and the UI render the words */
};
void inv_alert_release(struct inv_alert *a);
/* inv_alert_open_get() - the open (pending/firing) alert of rule+device+subject; -ENOENT */
int inv_alert_open_get(struct ww_db *db, long long rule_id, long long device_id,
                       const char *subject, struct inv_alert *out_alert);
/* inv_alert_open() - a new pending alert since @pending_since; its id in *out_id */
int inv_alert_open(struct ww_db *db, const struct inv_alert *a, long long *out_id);
/* inv_alert_fire() - pending -> firing at @now */
int inv_alert_fire(struct ww_db *db, long long id, long long now);
/* inv_alert_resolve() - pending/firing -> resolved at @now */
int inv_alert_resolve(struct ww_db *db, long long id, long long now);
/* inv_alert_notified() - last_notified_at = @now */
int inv_alert_notified(struct ww_db *db, long long id, long long now);
/* inv_alert_set_value() - the latest measured value and message of an open alert */
int inv_alert_set_value(struct ww_db *db, long long id, bool has_value, double value,
                        const char *message);
/* inv_alert_resolve_stale() - resolve, without notice, the open alerts of disabled rules
 * and of disabled devices; *out_n how many */
int inv_alert_resolve_stale(struct ww_db *db, long long now, long long *out_n);
struct inv_alert_filter {
    const char *state; /* NULL = any */
    long long device_id; /* 0 = any */
};
/* inv_alert_list() - newest first */
int inv_alert_list(struct ww_db *db, const struct inv_alert_filter *f, long long limit,
                   long long offset, struct inv_alert **out_items, size_t *out_n,
                   long long *out_total);
void inv_alert_list_free(struct inv_alert *items, size_t n);

/* (the evaluator mutes a device in maintenance: inv_maintenance_covers()) */

/*
 * struct inv_alert_target - one enabled device as the evaluator sees it: the status and
 * the latest measurements the collector wrote (has_* false = NULL/unknown).
 */
struct inv_alert_target {
    long long id, parent_id;
    char *name, *kind, *host;
    char state[16]; /* unknown, up, down, unreachable */
    long long since, metrics_at;
    double cpu_pct, mem_pct, disk_max_pct, ups_runtime_min, ups_charge_pct, supply_min_pct;
    bool has_cpu, has_mem, has_disk, has_runtime, has_charge, has_supply, has_on_battery;
    bool ups_on_battery;
};
int inv_alert_targets(struct ww_db *db, struct inv_alert_target **out_items, size_t *out_n);
void inv_alert_targets_free(struct inv_alert_target *items, size_t n);

struct inv_alert_iface {
    long long id;
    char *name; /* ifName, else ifDescr, else the key */
    long long admin_status, oper_status, oper_since, rate_at, speed_bps;
    double in_bps, out_bps;
    bool has_rate;
};
int inv_alert_ifaces(struct ww_db *db, long long device_id, struct inv_alert_iface **out_items,
                     size_t *out_n);
void inv_alert_ifaces_free(struct inv_alert_iface *items, size_t n);

/* notification kinds: firing, recovery, repeat, test, training_expiry (a daily expiry
 * reminder: no alert); states pending, sent, failed */
extern const char *const inv_notification_kinds[]; /* NULL-terminated: the one list */
struct inv_notification {
    long long id, alert_id, channel_id; /* 0 = none / removed */
    char *channel_name, *channel_kind; /* joined */
    char *kind, *recipient, *subject, *body, *status, *last_error;
    long long attempts, next_attempt_at, sent_at, created_at;
    /* filled only by inv_notification_claim(): for the delivery itself */
    char *secret; /* webhook token: a secret */
    long long device_id;
    char *device_name, *rule_kind, *alert_state;
};
void inv_notification_release(struct inv_notification *n);
/* inv_notification_add() - queue one message (pending, due at @now); recipient must hold no
 * credential; -EINVAL for a kind not in inv_notification_kinds[] */
int inv_notification_add(struct ww_db *db, long long alert_id, long long channel_id,
                         const char *kind, const char *recipient, const char *subject,
                         const char *body, long long now, long long *out_id);
/*
 * inv_notification_claim() - at most @max pending messages due at @now, oldest first, with
 * their channel's kind and secret. Each claimed one is leased: its next_attempt_at moves to
 * @now + @lease_s, so a crash during the delivery retries it later instead of losing it.
 * A message waits while an older one of the same alert to the same channel is still pending
 * (a recovery never overtakes its firing); test messages are never held. The same rule holds
 * in inv_notification_next_due().
 */
int inv_notification_claim(struct ww_db *db, long long now, long long lease_s, size_t max,
                           struct inv_notification **out_items, size_t *out_n);
/* inv_notification_sent() - delivered; @answer (may be NULL) is what the far end said (the
 * SMTP server's last reply), kept as last_error "sent: <answer>" (no new column: the
 * delivery log shows it as the answer of a sent message, never as an error) */
int inv_notification_sent(struct ww_db *db, long long id, long long now, const char *answer);
/*
 * inv_notification_failed() - one more failed attempt: retried at now + base_s *
 * 2^(attempts-1) (capped at INV_RETRY_CAP_S), or status failed once attempts reach
 * max(@retry_max, 1). @error is kept as last_error (must not hold a credential).
 */
#define INV_RETRY_CAP_S 21600
int inv_notification_failed(struct ww_db *db, long long id, long long now, const char *error,
                            long long base_s, long long retry_max);
/* inv_notification_next_due() - the earliest next_attempt_at of a pending one that is not
 * held (0 = due now: never tried); -1 when none is pending */
int inv_notification_next_due(struct ww_db *db, long long *out_at);
struct inv_notification_filter {
    const char *status;   /* NULL = any */
    long long channel_id; /* 0 = any */
};
/* inv_notification_list() - the delivery log, newest first */
int inv_notification_list(struct ww_db *db, const struct inv_notification_filter *f,
                          long long limit, long long offset,
                          struct inv_notification **out_items, size_t *out_n,
                          long long *out_total);
void inv_notification_list_free(struct inv_notification *items, size_t n);
/* ---- settings (schema v4 table setting) and small look-ups (setting.c) ----------------- */

/* inv_setting_get() - the value of @key into *out_value (heap; NULL and -ENOENT when unset) */
int inv_setting_get(struct ww_db *db, const char *key, char **out_value);
/* inv_setting_set() - insert or replace; the value is never logged (it may be a hash) */
int inv_setting_set(struct ww_db *db, const char *key, const char *value);
/* inv_setting_snapshot() - for the audit log: {"value":"set"} when set (never the value),
 * *out_json NULL when unset */
int inv_setting_snapshot(struct ww_db *db, const char *key, char **out_json);
/* inv_setting_remove() - delete @key's row (absent: 0) */
int inv_setting_remove(struct ww_db *db, const char *key);

/*
 * The settings an admin changes in the dashboard (common.h: ww_setting_keys[] and THE RULE:
 * a value in the database wins over the file's).
 * inv_settings_overlay() - apply every ww_setting_keys[] row the database holds to @cfg (a
 * copy of the file's config, ww_config_copy()); bit i of *out_from_db (may be NULL) says
 * ww_setting_keys[i] came from the database. A stored value the config refuses (written by
 * an older version) is skipped with a warning, the file's value stays.
 * Context: any thread with its own @db. Returns 0 or -EIO (@cfg then partly applied).
 */
int inv_settings_overlay(struct ww_db *db, struct ww_config *cfg, unsigned *out_from_db);
/* one field of a settings change: @value NULL removes the row (the file's value is back) */
struct inv_setting_edit {
    const struct ww_setting_key *k;
    const char *value;
};
struct inv_settings_edit {
    const struct inv_setting_edit *items;
    size_t n;
};
/* inv_apply_settings() - the @apply of a change (object_type "settings", key "all"; ctx:
 * struct inv_settings_edit): each value checked (ww_setting_check(), refused with the
 * setting's name as the field), then stored or removed. */
int inv_apply_settings(struct ww_db *db, void *ctx, struct inv_change *ch);
/* inv_settings_snapshot() - for the audit log: {"smtp_url":"...",...} of the rows the
 * database holds, a secret as "set" (never its value) */
int inv_settings_snapshot(struct ww_db *db, const char *key, char **out_json);
/* inv_interface_device() - the device an interface row belongs to; -ENOENT */
int inv_interface_device(struct ww_db *db, long long interface_id, long long *out_device_id);

/* ---- records: repairs and the assignment history of a device (record.c, issue 16) ------- */

/* struct inv_repair - one repair or maintenance of a device. Heap strings, one owner. */
struct inv_repair {
    long long id, device_id;
    char *day;          /* YYYY-MM-DD, required */
    long long cost_vnd; /* >= 0 (0 = free, under warranty) */
    char *work;         /* what was done, required, at most INV_NOTES_MAX */
    char *actor;        /* who recorded it (the change's actor); set by inventory */
    char *shop;         /* the vendor or shop that did it; NULL */
};
void inv_repair_release(struct inv_repair *r);
/*
 * The repair changes, for inv_change_run() (object type "repair"): add (ctx: struct
 * inv_repair with device_id; the actor is ch->actor's name; sets ch->id), update (ctx: the
 * repair, id ch->id; day, cost, work and shop replaced), remove (ch->id). -EINVAL with a
 * refusal (day not_date/required, cost_vnd out_of_range, work required/too_long, shop,
 * device_id no_such), -ENOENT.
 */
int inv_apply_repair_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_repair_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_repair_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
/* inv_repair_snapshot() - the repair as a JSON object text for the audit log and the API */
int inv_repair_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_repair_get() - one repair; -ENOENT, -EIO. Release with inv_repair_release(). */
int inv_repair_get(struct ww_db *db, long long id, struct inv_repair *out);
/* inv_repair_list() - the repairs of device @device_id, newest day first; free with
 * inv_repair_list_free() */
int inv_repair_list(struct ww_db *db, long long device_id, struct inv_repair **out_items,
                    size_t *out_n);
void inv_repair_list_free(struct inv_repair *items, size_t n);
/* inv_repair_cost_sum() - the sum of the repair costs of device @device_id (0 when none),
 * for the replacement plan; 0 or -EIO */
int inv_repair_cost_sum(struct ww_db *db, long long device_id, long long *out_vnd);

/* struct inv_assignment - who a device was given to, from when to when (NULL to_day: still),
 * by whom. Written by inventory when a device's assigned_to changes, never by callers. */
struct inv_assignment {
    long long id, device_id;
    char *assigned_to, *from_day, *to_day, *actor, *note;
};
/*
 * inv_assignment_record() - the device's assigned_to went from @old (NULL or "": nobody) to
 * what the device row holds now (written first): the open row is closed today and, when
 * someone holds it, a row for them opens today by @actor, with the device's staff link
 * (assigned_staff_id) as its staff_id. The same name again only refreshes the open row's
 * staff link. Called inside the device change (inv_apply_device_add/update). 0, -EIO.
 */
int inv_assignment_record(struct ww_db *db, long long device_id, const char *old,
                          const char *actor);
/* inv_assignment_list() - device @device_id's rows, oldest first; free with
 * inv_assignment_list_free() */
int inv_assignment_list(struct ww_db *db, long long device_id, struct inv_assignment **out_items,
                        size_t *out_n);
void inv_assignment_list_free(struct inv_assignment *items, size_t n);
/* inv_assignment_get() - one row; -ENOENT, -EIO; release with inv_assignment_release() */
int inv_assignment_get(struct ww_db *db, long long id, struct inv_assignment *out);
void inv_assignment_release(struct inv_assignment *a);
/* inv_device_unit_name() - the name of the unit (org_unit) device @device_id belongs to, a
 * heap string, NULL when none; 0 or -EIO */
int inv_device_unit_name(struct ww_db *db, long long device_id, char **out_name);

/* ---- org units and locations (unit.c, issue 16) -------------------------------------------
 * Units form a tree with history: a unit is never deleted by a merger, it ends on a day
 * (valid_to, exclusive: the last day it existed is the day before) and names the unit it was
 * merged into; its devices, child units and locations move to that unit in the same audited
 * change. device_unit keeps each device's unit over time ([from_day, to_day), to_day NULL =
 * still), written by inventory only: by a merger and by a device change of its unit
 * (inv_apply_device_add/update). A report for a past day reads inv_units_at() and
 * inv_device_units_at(), never device.unit_id (which is "now"). Days are YYYY-MM-DD; "today"
 * is the office's local day, as in the assignment history. */
#define INV_UNIT_CODE_MAX 32
/* the one list of each, in the order the UI offers them; the database does not repeat them */
extern const char *const inv_unit_levels[];    /* province ward department */
extern const char *const inv_location_kinds[]; /* room counter (one-stop-shop counter) store
                                                  server_room other */
struct inv_unit {
    long long id;
    long long parent_id;     /* 0 = a top unit */
    char *code;              /* required, at most INV_UNIT_CODE_MAX; one unit per code,
                                compared as names are (ww_name_key) */
    char *name;              /* required, at most INV_NAME_MAX */
    char *level;             /* one of inv_unit_levels[]; NULL = "ward" */
    char *valid_from;        /* the first day, NULL = always */
    char *valid_to;          /* read-only: set by a merger (the day it ended); NULL = still */
    long long merged_into;   /* read-only: set by a merger; 0 = not merged */
    /* read-only, filled by get and the lists */
    char *parent_name, *merged_into_name;
    long long devices;       /* devices whose unit it is now */
};
void inv_unit_release(struct inv_unit *u);
void inv_unit_list_free(struct inv_unit *items, size_t n);
/* inv_unit_code_taken() - 0 when no unit but @except_id (0 none) has @code as names compare;
 * -EEXIST refused (field code, reason exists, param "#<id>"); -EIO */
int inv_unit_code_taken(struct ww_db *db, const char *code, long long except_id);
/*
 * The unit changes, for inv_change_run() (object type "unit"): add (ctx: struct inv_unit;
 * sets ch->id), update (ctx: the unit, id ch->id: code, name, level, parent and valid_from
 * replaced), remove (ch->id). Refused (-EINVAL/-EEXIST with a field and a reason; the
 * fields of a unit's name and parent are "unit_name" and "parent_unit", so that their words
 * are not a device's): code required/too_long/exists, unit_name, level not_one_of,
 * valid_from not_date, parent_unit no_such / own_unit / unit_loop / unit_too_deep /
 * unit_merged (a merged unit takes no children: an unchanged parent is never refused); remove: record has_devices / has_children /
 * has_locations / has_history (devices were in it, or a unit was merged into it: the past
 * reports read it), param the count.
 */
int inv_apply_unit_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_unit_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_unit_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
/* the merger of unit ch->id (ctx: struct inv_unit_merge, borrowed) */
struct inv_unit_merge {
    long long into; /* the unit that takes it over */
    const char *day; /* YYYY-MM-DD: the unit's valid_to, the day its devices move */
};
/*
 * inv_apply_unit_merge() - one change: the unit ends on m->day (valid_to, merged_into); its
 * devices move to m->into (device.unit_id, their device_unit row closed on the day and a new
 * one opened, reason "merger"), its child units are re-parented to m->into and its locations
 * move too. Refused: day required/not_date/not_after (not after the unit's valid_from), into
 * required/no_such/own_unit/unit_merged/unit_loop (the target sits under the unit) /
 * unit_not_yet (the target begins after @day; param its valid_from),
 * record unit_merged (merged already: a unit is merged once). -ENOENT no such unit.
 * inv_unit_merge() - the same as a change of its own (action "unit.merge") by @actor; the
 * refusal in inv_refusal_last().
 */
int inv_apply_unit_merge(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_unit_merge(struct ww_db *db, long long from, long long into, const char *day,
                   const struct inv_actor *actor);
/* inv_unit_snapshot() - the unit as JSON text with the count of its devices, children and
 * locations (so a merger's audit entry shows what moved) */
int inv_unit_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_unit_get() - one unit; -ENOENT, -EIO. Release with inv_unit_release(). */
int inv_unit_get(struct ww_db *db, long long id, struct inv_unit *out);
/* inv_units_at() - the units as they were on @day (valid_from <= day < valid_to; NULL:
 * every unit, merged ones too), by name as people compare names (ww_name_key); a heap array,
 * inv_unit_list_free(). -EINVAL (day not_date), -EIO. */
int inv_units_at(struct ww_db *db, const char *day, struct inv_unit **out_items,
                 size_t *out_n);
/* inv_unit_history() - the units merged into unit @id, by name */
int inv_unit_history(struct ww_db *db, long long id, struct inv_unit **out_items,
                     size_t *out_n);
/* inv_unit_devices_at() - how many devices were in unit @id on @day (device_unit), or now
 * (device.unit_id) when @day is NULL */
int inv_unit_devices_at(struct ww_db *db, long long id, const char *day, long long *out_n);
/* inv_device_unit_at() - device @device_id's unit on @day from device_unit (0: none);
 * -EINVAL (day not_date), -EIO */
int inv_device_unit_at(struct ww_db *db, long long device_id, const char *day,
                       long long *out_unit_id);
/* inv_device_units_at() - every device that had a unit on @day, by device id (for reports of
 * a past day: one query, look up with a binary search); a heap array, free() */
struct inv_device_unit {
    long long device_id, unit_id;
};
int inv_device_units_at(struct ww_db *db, const char *day, struct inv_device_unit **out_items,
                        size_t *out_n);

/*
 * inv_import_units() - the CSV import of units, by the rules of inv_import_devices() (the
 * same reader: BOM, RFC 4180, formula cells refused; the whole file checked first; errors
 * by row and column; nothing written unless every row is valid, or @o->only_valid; one
 * transaction, each unit through inv_change_run(), action "unit.import"). Columns
 * inv_unit_import_columns[] (code and name required; units.csv's id, valid_to, merged_into
 * and devices skipped): a code must be new in the file and in the database (code exists /
 * in_file); parent_code names a unit of the database or a row earlier or later in the
 * file (parent_code no_such, unit_merged, own_unit, unit_loop; a row whose parent row
 * is refused is refused too). Parents are written before their children. Returns as
 * inv_import_devices().
 */
extern const char *const inv_unit_import_columns[]; /* code name level parent_code valid_from */
int inv_import_units(struct ww_db *db, const char *data, size_t len,
                     const struct inv_import_opts *o, struct inv_import_result *out);

/* struct inv_location - a place devices stand: a building, a room, a one-stop-shop counter */
struct inv_location {
    long long id, unit_id; /* unit 0 = none */
    char *name;            /* required, at most INV_NAME_MAX */
    char *address, *building, *room; /* text as typed; NULL */
    char *kind;            /* one of inv_location_kinds[]; NULL = "room" */
    char *unit_name;       /* read-only */
};
void inv_location_release(struct inv_location *l);
void inv_location_list_free(struct inv_location *items, size_t n);
/* The location changes (object type "location"): add (ctx: struct inv_location; sets
 * ch->id), update (ctx, id ch->id), remove (refused while devices stand there: record
 * has_devices). Refused: location_name (its name), address, building, room (text), kind
 * not_one_of, unit_id
 * no_such/unit_merged (only when it changes). */
int inv_apply_location_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_location_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_location_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_location_snapshot(struct ww_db *db, long long id, char **out_json);
int inv_location_get(struct ww_db *db, long long id, struct inv_location *out);
/* inv_location_list() - of unit @unit_id (0: all), by building, room, name */
int inv_location_list(struct ww_db *db, long long unit_id, struct inv_location **out_items,
                      size_t *out_n);

/* ---- readiness and age: rules kept as data (inventory/rules/, README.md there) ----------
 * A rule set is loaded once at start (inv_rules_load(), the dashboard's main thread) and is
 * immutable afterwards: any thread may evaluate with it without a lock. The verdicts are
 * codes with parameters, never sentences; the pages word them from the i18n files.
 */
struct inv_rules;
/*
 * inv_rules_load() - read @dir/os.ini, cpu.ini, spec.ini and lifespan.ini (all required).
 * A broken file is refused whole: @err gets "file:line: what" (line 0 for a missing key).
 * Returns 0 with *@out_rules (free with inv_rules_free()), -ENOENT (a file is missing),
 * -EINVAL (a bad line) or -EIO.
 */
int inv_rules_load(const char *dir, struct inv_rules **out_rules, char *err, size_t errsz);
void inv_rules_free(struct inv_rules *rules);

/* what readiness judges: the device's facts (inv_ready_facts() reads them); -1/NULL unknown */
struct inv_ready_input {
    const char *os;             /* the "os" fact */
    const char *cpu_model;      /* the "cpu_model" fact */
    long long cpu_count;        /* logical processors (hrProcessor rows) */
    long long ram_bytes;        /* the "ram_bytes" fact */
    long long disk_max_bytes;   /* the largest fixed disk ("disks" fact) */
    long long disk_total_bytes; /* all fixed disks together */
};
/* inv_ready_facts() - fill @out from device @id's facts; the strings are put in @out_os and
 * @out_cpu (owned by the caller, free()). A fact not stored stays unknown. 0 or -EIO. */
int inv_ready_facts(struct ww_db *db, long long id, struct inv_ready_input *out, char **out_os,
                    char **out_cpu);
/* inv_ready_facts_all() - inv_ready_facts() of every device that has one of those facts, in
 * one statement, by device id ascending (the plan's loader); in.os and in.cpu_model point at
 * the row's own strings. Free with inv_ready_rows_free(). 0 or -EIO. */
struct inv_ready_row {
    long long device_id;
    struct inv_ready_input in;
    char *os, *cpu;
};
int inv_ready_facts_all(struct ww_db *db, struct inv_ready_row **out_items, size_t *out_n);
void inv_ready_rows_free(struct inv_ready_row *items, size_t n);

#define INV_READY_REASONS_MAX 6
struct inv_ready_reasons {
    const char *v[INV_READY_REASONS_MAX]; /* static codes */
    size_t n;
};
struct inv_readiness {
    struct {
        const char *release; /* the matching os.ini line's name ("windows-xp"), NULL none */
        const char *support; /* "ended", "supported", "unknown" */
        char ends_on[11];    /* YYYY-MM-DD of the rule, "" when not known */
    } os;
    struct {
        /* "ready" (everything measured and met: never today, TPM 2.0 cannot be seen),
         * "likely" (all that SNMP sees is met; reasons: tpm_unknown), "not_ready" (reasons:
         * cpu_too_old, ram_too_small, disk_too_small), "unknown" (reasons: what was not
         * measured: cpu_unknown, ram_unknown, disk_unknown, and tpm_unknown) */
        const char *verdict;
        struct inv_ready_reasons reasons;
        struct inv_ready_reasons unmeasured; /* with not_ready: what else was not seen */
    } win11;
    struct {
        const char *verdict; /* "ok", "below" (reasons ram_below, disk_below, cores_below),
                                "unknown" (ram_unknown, disk_unknown, cores_unknown) */
        struct inv_ready_reasons reasons;
        long long ram_min_bytes, disk_min_bytes, cores_min;
    } min_spec;
};
/*
 * inv_readiness_eval() - judge @in with @rules on @today ("YYYY-MM-DD", the office's date).
 * Nothing unknown is guessed: an OS no rule names is "unknown", a CPU string the rules do not
 * decide is cpu_unknown. Context: any thread. Returns 0 or -EINVAL (@today malformed).
 */
int inv_readiness_eval(const struct inv_rules *rules, const struct inv_ready_input *in,
                       const char *today, struct inv_readiness *out);

/* what age and value are computed from: the caller supplies the dates and override (the
 * device table has purchase_date and cost_vnd; in-service date and the lifespan override come
 * with the lifecycle columns of schema v13 - until then the caller passes NULL / 0) */
struct inv_age_input {
    const char *kind;            /* device kind; NULL or unlisted takes "other" */
    const char *in_service_date; /* YYYY-MM-DD or NULL */
    const char *purchase_date;   /* YYYY-MM-DD or NULL: used when in_service_date is NULL */
    long long lifespan_years;    /* the device's override, 0 = its kind's */
    long long cost_vnd;          /* -1 unknown */
};
struct inv_age {
    const char *since;          /* "in_service", "purchase", or NULL: age unknown */
    long long age_months;       /* whole calendar months since that date; -1 unknown */
    long long lifespan_years;   /* the override or the kind's */
    long long remaining_months; /* lifespan - age, never below 0; -1 unknown */
    long long battery_lifespan_years; /* ups: lifespan.ini [part] ups_battery; 0 otherwise */
    /* straight-line, integer VND: per year cost / lifespan; residual cost - cost * months /
     * (lifespan * 12), never below 0 (rounded down: the book value is never overstated).
     * -1 when the cost (or, for the residual, the age) is unknown */
    long long depreciation_vnd_per_year;
    long long residual_vnd;
};
/* inv_age_eval() - age and value of @in on @today ("YYYY-MM-DD"). A date after @today counts
 * as age 0. Returns 0, -EINVAL (@today or a date malformed: the field is then unknown, the rest
 * filled; the caller may show what it has). */
int inv_age_eval(const struct inv_rules *rules, const struct inv_age_input *in, const char *today,
                 struct inv_age *out);

/* ---- reports: the manager's registers (report.c, issue 16 item 8) ------------------------
 * Each report reads the register with a fixed number of queries whatever the fleet's size,
 * judges age and value with inv_age_eval() and Windows 11 with inv_readiness_eval() (the
 * rules' owners), and returns rows by unit, then device name, compared as people see names
 * (ww_name_key; the devices without a unit last). Disposed devices are in no report but the
 * assignment history. Codes only, never words: the dashboard words them. Context: the
 * caller's thread with its own struct ww_db; the rules are read-only.
 */
#define INV_REPORT_NO_UNIT (-1LL) /* a filter's unit_id: the devices without a unit */
struct inv_report_filter {
    long long unit_id; /* 0 = every unit; INV_REPORT_NO_UNIT = none; else org_unit.id */
    const char *kind;  /* one of inv_device_kinds[]; NULL = every kind */
    const char *today; /* YYYY-MM-DD, the office's date: every report is "as of" it */
    time_t now;        /* the same moment as an instant (the not-seen report) */
};
/* one device as the reports show it; heap strings, released with the report */
struct inv_report_device {
    long long id;
    char *name, *asset_tag, *serial, *vendor, *model;
    const char *kind;   /* static: an entry of inv_device_kinds[] */
    long long unit_id;  /* 0 = no unit */
    char *unit_name;    /* NULL = no unit */
    char *status;       /* one of inv_device_statuses[] */
    char *assigned_to, *purchase_date, *in_service_date, *warranty_end;
    long long cost_vnd, lifespan_years; /* -1 unknown; 0 = the kind's */
    long long last_ok;  /* its last answer (device_status); 0 = never */
    char *sort_key;     /* report.c's: the unit's name key, then the device's */
};
/* a unit of the filters and headings: org_unit rows by name (ww_name_key) */
struct inv_report_unit {
    long long id, parent_id; /* parent 0 = a top unit */
    char *name;
};
int inv_report_units(struct ww_db *db, struct inv_report_unit **out_items, size_t *out_n);
void inv_report_units_free(struct inv_report_unit *items, size_t n);

/* age bands: < 3, 3-5, 5-7, 7-9, 9-11, 11+ years and "unknown" (no date); a band starts at
 * its lower edge, so a device exactly 3.0 years (36 whole months) old is "3_5" */
#define INV_AGE_BANDS 7
extern const char *const inv_age_bands[INV_AGE_BANDS]; /* lt3 3_5 5_7 7_9 9_11 11p unknown */
/* inv_age_band() - the index in inv_age_bands[] of an age in whole months (-1: unknown) */
size_t inv_age_band(long long age_months);
struct inv_report_age_row {
    long long unit_id;        /* 0 = no unit (and in the total row) */
    char *unit_name;          /* NULL = no unit; NULL in the total */
    const char *kind;         /* static; NULL in the total */
    long long count[INV_AGE_BANDS];
    long long cost_vnd[INV_AGE_BANDS]; /* the known costs of those devices */
    char *sort_key;
};
struct inv_report_age {
    struct inv_report_age_row *rows; /* one per unit and kind that has devices */
    size_t n;
    struct inv_report_age_row total;
};
/* inv_report_age() - 0, -EINVAL (f->today malformed), -EIO. Release with _release. */
int inv_report_age(struct ww_db *db, const struct inv_rules *rules,
                   const struct inv_report_filter *f, struct inv_report_age *out);
void inv_report_age_release(struct inv_report_age *r);

/* the PCs whose Windows 11 verdict is not_ready or unknown, with inv_readiness_eval()'s
 * reasons (and, for not_ready, what else was not measured) */
struct inv_report_win11_row {
    struct inv_report_device dev;
    char *os, *cpu_model; /* the facts judged; NULL when not reported */
    long long ram_bytes;  /* -1 unknown */
    const char *verdict;  /* static: "not_ready" or "unknown" */
    struct inv_ready_reasons reasons, unmeasured;
};
/* the kind filter is ignored: the report is about PCs */
int inv_report_win11(struct ww_db *db, const struct inv_rules *rules,
                     const struct inv_report_filter *f, struct inv_report_win11_row **out_items,
                     size_t *out_n);
void inv_report_win11_free(struct inv_report_win11_row *items, size_t n);

/* warranties: those ending within 365 days (by days_left, soonest first) and those already
 * ended (most recent first); a device without a warranty end is in neither */
#define INV_WARRANTY_WITHIN_MAX 365
struct inv_report_warranty_row {
    struct inv_report_device dev;
    long long days_left; /* warranty_end - today in days; < 0 ended */
    int within;          /* the smallest of 30, 60, 90, 365 that holds days_left; 0 ended */
};
struct inv_report_warranty {
    struct inv_report_warranty_row *ending, *ended;
    size_t n_ending, n_ended;
};
int inv_report_warranty(struct ww_db *db, const struct inv_report_filter *f,
                        struct inv_report_warranty *out);
void inv_report_warranty_release(struct inv_report_warranty *r);

/* depreciation: every device with inv_age_eval()'s figures, and sums per unit and kind */
struct inv_report_dep_row {
    struct inv_report_device dev;
    struct inv_age age;
};
struct inv_report_dep_sum {
    long long unit_id;  /* 0 no unit (and the total) */
    char *unit_name;    /* NULL no unit / the total */
    const char *kind;   /* static; NULL in the total */
    long long count;    /* devices */
    long long priced;   /* of them, with a cost: the sums below are theirs */
    long long cost_vnd, per_year_vnd, residual_vnd;
    char *sort_key;
};
struct inv_report_dep {
    struct inv_report_dep_row *rows;
    size_t n;
    struct inv_report_dep_sum *sums;
    size_t nsums;
    struct inv_report_dep_sum total;
};
int inv_report_depreciation(struct ww_db *db, const struct inv_rules *rules,
                            const struct inv_report_filter *f, struct inv_report_dep *out);
void inv_report_dep_release(struct inv_report_dep *r);

/* not seen: devices with no answer for @days days (last_ok before f->now - days * 86400),
 * or never; by days since, longest first, the never-seen ones before them */
#define INV_UNSEEN_DAYS_MAX 3650
struct inv_report_unseen_row {
    struct inv_report_device dev;
    long long days; /* whole days since its last answer; -1 never answered */
};
int inv_report_unseen(struct ww_db *db, const struct inv_report_filter *f, long long days,
                      struct inv_report_unseen_row **out_items, size_t *out_n);
void inv_report_unseen_free(struct inv_report_unseen_row *items, size_t n);

/* the assignment register: who holds which device since when (the open row of the device's
 * assignment history; since NULL when none was recorded); with @history every row of the
 * history instead (disposed devices included), each device's oldest first */
struct inv_report_assign_row {
    struct inv_report_device dev;
    long long assignment_id; /* 0 = no history row */
    char *assigned_to, *from_day, *to_day, *actor;
};
int inv_report_assignments(struct ww_db *db, const struct inv_report_filter *f, bool history,
                           struct inv_report_assign_row **out_items, size_t *out_n);
void inv_report_assign_free(struct inv_report_assign_row *items, size_t n);

/* ---- health: the daily roll-up (health_day, schema v14) and its rule (health.c) ----------
 * The collector adds one sample per poll in its write transaction; readers get windows of
 * days without reading an RRD file. The thresholds are the rule, stated once here. */
#define INV_HEALTH_CPU_HIGH_PCT 80.0  /* a CPU sample at or above is "high" */
#define INV_HEALTH_MEM_HIGH_PCT 90.0  /* a memory sample at or above is "pressure" */
#define INV_HEALTH_DISK_FULL_PCT 90.0 /* a day whose fullest disk is above is "disk full" */
/* inv_health_disk_full() - a disk @used_pct full is "full" by the rule (NAN: not known) */
bool inv_health_disk_full(double used_pct);
#define INV_HEALTH_WINDOW_DAYS 90     /* the window the plan and the device page judge */
/* one poll's sample: NAN for what was not read */
struct inv_health_sample {
    bool ok;               /* the device answered */
    double cpu_pct, mem_pct, disk_max_pct;
    bool rebooted;         /* a reboot or crash seen at this poll */
    long long office_s;    /* seconds of office time this poll stands for (0 outside) */
    long long office_down_s; /* of those, unreachable (<= office_s) */
};
/* inv_health_add() - add @s to device @device_id's row of @day (YYYY-MM-DD, office-local).
 * Context: the caller's transaction (the collector's write round). 0, -EINVAL, -EIO. */
int inv_health_add(struct ww_db *db, long long device_id, const char *day,
                   const struct inv_health_sample *s);
/* a window of days, as the rule reads it: a day is "cpu high" when more than half its CPU
 * samples were high, "mem high" likewise, "disk full" when its fullest disk was above
 * INV_HEALTH_DISK_FULL_PCT. *_days count the days that had a sample of that kind. */
struct inv_health {
    long long device_id;
    long long days;                       /* days with at least one poll */
    long long cpu_days, cpu_high_days;
    long long mem_days, mem_high_days;
    long long disk_days, disk_full_days;
    long long reboots;
    long long office_s, office_down_s;    /* office time polled, and unreachable in it */
};
/* inv_health_get() - device @device_id over [@from_day, @to_day] (both included); all zero
 * when nothing was recorded. 0, -EINVAL (a malformed day), -EIO. */
int inv_health_get(struct ww_db *db, long long device_id, const char *from_day,
                   const char *to_day, struct inv_health *out);
/* inv_health_list() - every device with a row in the window, by device id ascending (for
 * inv_health_find()); a heap array, free(). 0, -EINVAL, -EIO. */
int inv_health_list(struct ww_db *db, const char *from_day, const char *to_day,
                    struct inv_health **out_items, size_t *out_n);
/* inv_health_find() - @device_id's entry of a inv_health_list() array, NULL when none */
const struct inv_health *inv_health_find(const struct inv_health *items, size_t n,
                                         long long device_id);

/* ---- staff, skills and training (issue 17) -----------------------------------------------
 * Staff records are personal data (Decree 13/2023/ND-CP): inventory stores and computes; the
 * dashboard decides who may read what (PERMISSIONS.md) and logs a full-record read
 * (inv_audit_add, action "staff.read"). Every change goes through inv_change_run() with the
 * object types staff, role, skill, course, session, training, requirement, target.
 * Days are YYYY-MM-DD; a history row's to_day is exclusive (NULL = still). */
#define INV_CODE_MAX 64
#define INV_SKILL_LEVELS_MAX 9
#define INV_EVIDENCE_MAX 120 /* a file name only: letters, digits, '.', '-', '_', ' ' */
extern const char *const inv_provider_kinds[]; /* internal, province_dept, online */
extern const char *const inv_training_results[]; /* passed, attended, failed, revoked */
extern const char *const inv_training_sources[]; /* manual, import */
/* inv_training_result_credits() - the rule: a record gives its course's skills when its
 * result is passed or attended (failed and revoked give nothing) */
bool inv_training_result_credits(const char *result);
/* inv_evidence_name_valid() - a safe file name: 1..INV_EVIDENCE_MAX bytes of [A-Za-z0-9._- ],
 * not starting with '.' or '-', no "..": never a path */
bool inv_evidence_name_valid(const char *name);
/* inv_valid_until() - @completed_on + @months calendar months (the day clamped to the month's
 * end), the last day the training is valid, into @out (11 bytes); "" when @months is 0 (never
 * expires). -EINVAL for a malformed day. */
int inv_valid_until(const char *completed_on, int months, char out[11]);

/* a person. Heap strings, one owner; release with inv_staff_release(). */
struct inv_staff {
    long long id;
    char *code;           /* required, unique as names compare (ww_name_key) */
    char *full_name;      /* required */
    long long unit_id;    /* 0 = none */
    long long role_id;    /* 0 = none */
    char *start_day;      /* required */
    bool active;
    char *move_day;       /* update only: the day a new unit/role/active takes effect
                             (NULL = today); read back as NULL */
};
void inv_staff_release(struct inv_staff *s);
/*
 * Staff changes (object type "staff"): add (ctx: struct inv_staff; opens the history row from
 * start_day; sets ch->id), update (ctx: the person with id ch->id: a changed unit, role or
 * active closes the open history row on move_day and opens the next one; move_day before the
 * open row's from_day is refused "not_after"). No remove: a person leaves (active false).
 * -EINVAL (code, full_name required/too_long; unit_id, role_id no_such; start_day, move_day
 * not_date), -EEXIST (code exists), -ENOENT.
 */
int inv_apply_staff_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_staff_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_staff_get(struct ww_db *db, long long id, struct inv_staff *out);
/* inv_staff_by_code() - the person whose code is @code as codes compare (ww_name_key: case,
 * diacritics and spacing aside); 0, -ENOENT, -EIO */
int inv_staff_by_code(struct ww_db *db, const char *code, long long *out_id);
/* inv_skill_by_code(), inv_role_by_code() - the skill / job role whose code is @code (as
 * written); 0, -ENOENT, -EIO */
int inv_skill_by_code(struct ww_db *db, const char *code, long long *out_id);
int inv_role_by_code(struct ww_db *db, const char *code, long long *out_id);
int inv_staff_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_staff_list_json() - the staff of unit @unit_id (0 = every unit), by name (ww_name_key
 * order), as a JSON array text: with @all every field (hr, admin), else only id, full_name,
 * unit and role names (a manager's view: names and unit summaries) */
int inv_staff_list_json(struct ww_db *db, long long unit_id, bool all, char **out_json);
/* inv_staff_history_json() - a person's rows, oldest first, as a JSON array text */
int inv_staff_history_json(struct ww_db *db, long long staff_id, char **out_json);
/* inv_staff_on_day() - the unit and role of person @id on @day (0 when none); -ENOENT when
 * no history row covers @day (not employed then), -EINVAL, -EIO */
int inv_staff_on_day(struct ww_db *db, long long id, const char *day, long long *out_unit_id,
                     long long *out_role_id);

/* job roles and skills; names in Vietnamese, name_en in English */
struct inv_job_role {
    long long id;
    const char *code, *name, *name_en; /* borrowed from the caller */
};
struct inv_skill {
    long long id;
    const char *code, *name, *name_en, *category; /* borrowed */
    int levels;          /* 1..INV_SKILL_LEVELS_MAX */
    int validity_months; /* 0 = never expires, at most 240 */
};
/* add (sets ch->id) and update (id ch->id) of a role (object type "role") and a skill
 * ("skill"); -EINVAL, -EEXIST (code), -ENOENT */
int inv_apply_role_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_role_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_skill_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_skill_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_role_snapshot(struct ww_db *db, long long id, char **out_json);
int inv_skill_snapshot(struct ww_db *db, long long id, char **out_json);
/* every role (with its required skills) / skill, by code, as a JSON array text */
int inv_role_list_json(struct ww_db *db, char **out_json);
int inv_skill_list_json(struct ww_db *db, char **out_json);

/* a role requires a skill at a level (object type "role", id the role: the role's snapshot
 * holds its requirements); level 0 removes the requirement. -EINVAL (level out_of_range
 * beyond the skill's levels; skill_id no_such), -ENOENT (no such role). */
struct inv_role_skill {
    long long skill_id;
    int level;
};
int inv_apply_role_skill(struct ww_db *db, void *ctx, struct inv_change *ch);

/* a unit-wide target (object type "target"): pct of the unit's active staff (unit_id 0 =
 * all units) hold skill_id at level by deadline, counted from from_day */
struct inv_target {
    long long id, unit_id, skill_id;
    int level, pct;
    const char *from_day, *deadline; /* borrowed */
};
int inv_apply_target_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_target_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_target_snapshot(struct ww_db *db, long long id, char **out_json);
int inv_target_list_json(struct ww_db *db, char **out_json);

/* a course and what it grants; a session of it */
struct inv_course {
    long long id;
    const char *name, *provider_kind, *provider; /* borrowed; provider may be NULL */
    int hours;                                   /* 0..10000 */
    const struct inv_role_skill *skills;         /* skill and level granted; replaced whole */
    size_t nskills;                              /* at most 32 */
};
struct inv_course_session {
    long long id, course_id;
    const char *day, *place, *trainer; /* borrowed; place, trainer may be NULL */
    int capacity;                      /* 0 = not limited */
};
/* object types "course" and "session": add (sets ch->id), update (id ch->id) */
int inv_apply_course_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_course_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_session_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_session_update(struct ww_db *db, void *ctx, struct inv_change *ch);
/* a person attended a session (object type "session", id the session): refused "too_many"
 * when the session is full, "exists" when already listed */
int inv_apply_session_attend(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_course_snapshot(struct ww_db *db, long long id, char **out_json);
int inv_session_snapshot(struct ww_db *db, long long id, char **out_json);
int inv_course_list_json(struct ww_db *db, char **out_json);
int inv_session_list_json(struct ww_db *db, long long course_id, char **out_json);

/* equipment requirements: a device kind, or a device criticality other than "normal" (a
 * one-stop-shop counter PC: "one_stop_counter"), requires a skill of the person who holds
 * the device (device.assigned_staff_id, and the assignment history for past days: the gap
 * rule in gap.c). Object type "equipment", key the kind or criticality: its snapshot is
 * that key's requirements. level 0 removes the requirement; -EINVAL (device_kind
 * not_one_of, skill_id no_such, level out_of_range). */
struct inv_equipment_skill {
    const char *device_kind; /* inv_equipment_key_valid() */
    long long skill_id;
    int level;
};
/* inv_equipment_key_valid() - a device kind, or a criticality other than "normal" */
bool inv_equipment_key_valid(const char *key);
int inv_apply_equipment_skill(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_equipment_snapshot(struct ww_db *db, const char *device_kind, char **out_json);
/* every requirement as a JSON array text of {device_kind, skill_id, skill, level} */
int inv_equipment_list_json(struct ww_db *db, char **out_json);

/* one training record (append-only) */
struct inv_training {
    long long id, staff_id, course_id, session_id; /* session_id 0 = none; its course must be
                                                      course_id (0: taken from the session) */
    const char *completed_on;   /* required, not after today */
    const char *result;         /* inv_training_results[] */
    double score;               /* NAN = none; 0..100 */
    const char *certificate_no; /* may be NULL */
    const char *valid_until;    /* NULL: computed, the shortest validity_months of the
                                   course's skills from completed_on (none: never expires) */
    const char *evidence;       /* a file name (inv_evidence_name_valid) or NULL */
    const char *source;         /* inv_training_sources[]; NULL = manual */
    long long corrects;         /* 0, or the newest record of the chain it corrects, of the
                                   same person: else "no_such" or "corrected" */
};
/* inv_apply_training_add() - object type "training"; sets ch->id. The only write: there is
 * no update or remove (the database refuses them too). -EINVAL with a refusal. */
int inv_apply_training_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_training_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_transcript_json() - a person's records, newest completion first, each with its course,
 * skills and, when a later record corrects it, "corrected_by" (readers show the newest) */
int inv_transcript_json(struct ww_db *db, long long staff_id, char **out_json);
/* what a report line shows of a training record: its course's name and certificate number */
struct inv_training_ref {
    char *course, *certificate_no; /* heap; NULL when none (or no such record) */
};
/* inv_training_refs() - the course and certificate number of each of the @n records @ids, in
 * their order, each by its primary key (a report of many lines: no per-record JSON, no
 * correction lookup). *out_refs: a heap array of @n (none when @n is 0); free with
 * inv_training_refs_free(). 0 or -EIO (nothing allocated). */
int inv_training_refs(struct ww_db *db, const long long *ids, size_t n,
                      struct inv_training_ref **out_refs);
void inv_training_refs_free(struct inv_training_ref *refs, size_t n);

/* ---- CSV imports of staff lists and training providers' lists (staffimport.c) ---------------
 * The file as the device import's (inv_import_devices: the reader, the cell checks, errors by
 * row and column, a header in the column names or their "csv.<column>" words in any language).
 * Both write in ONE transaction with ONE audit entry ("staff.import" / "training.import",
 * object type "import", its snapshot the counts only: no person's data); any refused row
 * means nothing is written. A dry run checks everything the write would, and writes nothing.
 *
 * Staff list (inv_staff_import_columns[]: staff_code, full_name, unit, role_code, start_day, active;
 * staff_code, full_name and start_day required): a code we have (ww_name_key) updates that person
 * through inv_apply_staff_update() (a new unit or role closes the history row today and opens
 * the next), a new one adds through inv_apply_staff_add(). unit: a unit's code, else its name
 * (ww_name_fold); role_code: a job role's code; active: 1/0, true/false, yes/no or the page's
 * words (empty: 1). A code twice in the file: "in_file".
 */
extern const char *const inv_staff_import_columns[];
int inv_import_staff(struct ww_db *db, const char *data, size_t len,
                     const struct inv_import_opts *o, struct inv_import_result *out);
/*
 * Attendance and completion lists (inv_training_import_columns[]: staff_code, full_name,
 * unit, course, session, completed_on, result, score, certificate_no, valid_until, evidence;
 * course, completed_on and result required). course: a course's id or its name (ww_name_fold);
 * session: a session's id or its day (of that course); result: a code or its words. Each row
 * is a record through inv_apply_training_add() with source "import".
 * THE MATCHING RULE: a staff code names the person (unknown: "code" no_such). Without one,
 * the people whose name folds (ww_name_fold: no diacritics, đ as d, case, spacing, NFC/NFD)
 * to the row's and, when a unit is given, whose unit it is, are the candidates; such a row is
 * never written without a confirmation (row -> staff id: one of the candidates, or anyone
 * when there is none). Unconfirmed rows are listed (inv_match: proposed, ambiguous, none) and
 * nothing is written (-EAGAIN). Confirmations come with the digest the first answer gave
 * (SHA-256 of the file's bytes, hex): another digest refuses the file ("file_changed").
 * The same person, course and completed_on twice in the file ("in_file") or already recorded
 * ("exists") is refused.
 */
extern const char *const inv_training_import_columns[];
#define INV_MATCH_CANDIDATES_MAX 5
enum inv_match_state { INV_MATCH_PROPOSED, INV_MATCH_AMBIGUOUS, INV_MATCH_NONE };
struct inv_match_person {
    long long id;
    char *code, *full_name, *unit_code; /* unit_code may be NULL */
};
struct inv_match {
    long long row;
    enum inv_match_state state;
    size_t n_cand; /* candidates found; the first INV_MATCH_CANDIDATES_MAX are in cand[] */
    struct inv_match_person cand[INV_MATCH_CANDIDATES_MAX];
};
struct inv_confirm {
    long long row, staff_id;
};
struct inv_training_import {
    const struct inv_confirm *confirm; /* borrowed; any order */
    size_t n_confirm;
    const char *digest; /* required with confirmations: the first answer's digest_out */
    /* out: release with inv_training_import_release() */
    char digest_out[65];
    struct inv_match *matches; /* by row; at most INV_IMPORT_ERRORS_MAX, then matches_more */
    size_t n_matches, matches_more, pending;
};
/* inv_import_training() - 0 (written, or a dry run found nothing wrong), -EAGAIN (rows to
 * confirm, *ti lists them; nothing written), -EINVAL (refused, *out says why; rows to confirm
 * are listed too), -EPERM (no actor, also for a dry run), -EIO. */
int inv_import_training(struct ww_db *db, const char *data, size_t len,
                        const struct inv_import_opts *o, struct inv_training_import *ti,
                        struct inv_import_result *out);
void inv_training_import_release(struct inv_training_import *ti);
/* inv_file_digest() - the SHA-256 of @data as 64 hex digits */
void inv_file_digest(const char *data, size_t len, char out[65]);
/* inv_match_name() - THE MATCHING RULE on a list: the indexes of the people in @people whose
 * name_fold is ww_name_fold(@full_name) and, when @unit_id > 0, whose unit it is; the first
 * @max into @out_idx; returns how many there are. */
struct inv_match_key {
    const char *name_fold; /* ww_name_fold() of the person's name */
    long long unit_id;
};
size_t inv_match_name(const struct inv_match_key *people, size_t n, const char *full_name,
                      long long unit_id, size_t *out_idx, size_t max);

/*
 * inv_catalogue_load() - the starting catalogue (@dir/catalogue.ini: [role CODE], [skill
 * CODE], [require ROLE] skill = level) into job_role, skill and role_skill, only when
 * job_role and skill are both empty (*out_loaded false otherwise); one transaction with an
 * audit entry "catalogue.load" by @who. -ENOENT (no file), -EINVAL (a bad line: @err gets
 * "file:line: what"), -EIO.
 */
int inv_catalogue_load(struct ww_db *db, const char *dir, const struct inv_actor *who,
                       bool *out_loaded, char *err, size_t errsz);

/* ---- gaps: what is required of whom and what they hold (gap.c) ----------------------------
 * THE RULE, stated once: a person requires each skill their role requires on the day (the
 * staff_history row covering it). A requirement is met by the best credited record (newest of
 * its chain, completed on or before the day, its course granting the skill at the level or
 * higher): valid when its valid_until is more than 90 days ahead or never; expiring_90/60/30
 * when 61..90 / 31..60 / 0..30 days remain (valid_until is the last valid day); expired after
 * it; missing when nothing qualifies. A merged unit (org_unit.valid_to = the merger day,
 * merged_into) counts in the unit it merged into from that day.
 * Equipment: a person also requires each skill that equipment_skill names for the kind or
 * the criticality of a device they hold on the day (an assignment row with their staff_id,
 * from_day <= day < to_day), at its level. A skill both their role and a device require is
 * one requirement at the higher level, with both reasons. */
enum inv_gap_state {
    INV_GAP_VALID,
    INV_GAP_EXPIRING_90,
    INV_GAP_EXPIRING_60,
    INV_GAP_EXPIRING_30,
    INV_GAP_EXPIRED,
    INV_GAP_MISSING,
};
/* "valid", "expiring_90", "expiring_60", "expiring_30", "expired", "missing" */
const char *inv_gap_state_name(enum inv_gap_state s);
/* the state is a met requirement (valid or expiring) */
bool inv_gap_state_met(enum inv_gap_state s);

/* the rows the computation reads, loaded by inv_gap_load() (a fixed number of queries) or
 * built by a test. All arrays owned by the struct; free with inv_gap_data_free(). */
struct inv_gap_unit {
    long long id, parent_id, merged_into;
    char valid_to[11]; /* "" = still */
    char *name;
};
struct inv_gap_person {
    long long id;
    char *code, *full_name;
};
struct inv_gap_hist {
    long long staff_id, unit_id, role_id;
    char from_day[11], to_day[11]; /* to_day "" = still */
};
struct inv_gap_req {
    long long role_id, skill_id;
    int level;
};
struct inv_gap_hold {
    long long staff_id, skill_id, record_id;
    int level;
    char completed_on[11], valid_until[11]; /* valid_until "" = never expires */
};
struct inv_gap_skill {
    long long id;
    char *code, *name;
};
struct inv_gap_equip {
    long long staff_id, device_id, skill_id;
    int level;
    char from_day[11], to_day[11]; /* the assignment row's; to_day "" = still held */
    char *device_name;
    char device_kind[16];
};
struct inv_gap_data {
    struct inv_gap_unit *units;   size_t nunits;
    struct inv_gap_person *people; size_t npeople; /* by id ascending */
    struct inv_gap_hist *hist;    size_t nhist;    /* by staff_id, from_day */
    struct inv_gap_req *reqs;     size_t nreqs;
    struct inv_gap_hold *holds;   size_t nholds;   /* credited, newest of their chain */
    struct inv_gap_skill *skills; size_t nskills;
    struct inv_gap_equip *equips; size_t nequips;  /* by staff_id, device_id, skill_id */
};
int inv_gap_load(struct ww_db *db, struct inv_gap_data *out);
/* inv_gap_data_sort() - history by person and first day, holdings by person, skill and
 * record: the order the look-ups bisect (the loader's; a test building @d by hand calls it) */
void inv_gap_data_sort(struct inv_gap_data *d);
void inv_gap_data_free(struct inv_gap_data *d);

/* one cell of the matrix: a requirement of a person on the day */
struct inv_gap_cell {
    long long skill_id;
    int level_required, level_held; /* held 0 = none that qualifies */
    enum inv_gap_state state;
    long long role_id;              /* why: the role that requires it (0: not the role) */
    long long device_id;            /* why: a device held that requires it (0: none) */
    char held_from[11];             /* the day that device's assignment began */
    const char *device_name;        /* borrowed from the data; NULL when device_id is 0 */
    long long record_id;            /* the record that meets it (0 = none) */
    char valid_until[11];           /* of that record; "" = never / none */
    long long days_left;            /* valid_until - day; meaningful when valid_until set */
};
struct inv_gap_row {
    long long staff_id, unit_id, role_id; /* unit_id: as counted on the day (after mergers) */
    struct inv_gap_cell *cells;
    size_t ncells;
};
struct inv_gap_matrix {
    struct inv_gap_row *rows; /* people employed on the day in the unit, by staff id */
    size_t nrows;
};
/* inv_gap_unit_of(), inv_gap_person_of(), inv_gap_skill_of() - the row of @d with that id
 * (by bisection: the loader sorts them by id), NULL when none */
const struct inv_gap_unit *inv_gap_unit_of(const struct inv_gap_data *d, long long id);
const struct inv_gap_person *inv_gap_person_of(const struct inv_gap_data *d, long long id);
const struct inv_gap_skill *inv_gap_skill_of(const struct inv_gap_data *d, long long id);
/* inv_gap_equips_of() - person @staff_id's equipment rows in @d are [*first, *first + n),
 * n returned (every assignment, held or not on a given day: inv_gap_held_on()) */
size_t inv_gap_equips_of(const struct inv_gap_data *d, long long staff_id, size_t *first);
/* inv_gap_held_on() - the device of @e is held on @day (from_day <= day < to_day) */
bool inv_gap_held_on(const struct inv_gap_equip *e, const char *day);
/* inv_gap_unit_on() - the unit @unit_id counts as on @day (following mergers) */
long long inv_gap_unit_on(const struct inv_gap_data *d, long long unit_id, const char *day);
/* inv_gap_matrix() - the matrix of @day for @unit_id and the units under it (0 = all).
 * Pure: reads @d only. Free with inv_gap_matrix_free(). 0 or -EINVAL (@day malformed). */
int inv_gap_matrix(const struct inv_gap_data *d, const char *day, long long unit_id,
                   struct inv_gap_matrix *out);
void inv_gap_matrix_free(struct inv_gap_matrix *m);

/* compliance: requirements met / requirements, people meeting all of theirs */
struct inv_compliance {
    long long id; /* a unit or a role */
    long long people, people_met, reqs, reqs_met;
    int pct;      /* reqs_met * 100 / reqs rounded down; 100 when nothing is required */
};
/* inv_gap_compliance() - per unit (counted on @day; a unit with nobody is left out) and per
 * role, by id; heap arrays, free(). 0 or -EINVAL. */
int inv_gap_compliance(const struct inv_gap_data *d, const char *day,
                       struct inv_compliance **out_units, size_t *out_nunits,
                       struct inv_compliance **out_roles, size_t *out_nroles);

/* a target's progress: month by month from the target's from_day to its deadline (and not
 * after @today), each month's figure on its last day (@today for the running month), and
 * the first day the target was reached (checked on every day a record was completed) */
struct inv_target_month {
    char month[8]; /* YYYY-MM */
    long long staff, holding;
    int pct;       /* holding * 100 / staff rounded down; 0 when nobody */
};
struct inv_target_progress {
    struct inv_target_month *months;
    size_t nmonths;
    char reached_on[11]; /* "" = not (yet) reached */
};
/* inv_gap_target_progress() - @t over @d; pure: one sweep over the rows, O((history +
 * records) log) whatever the days. Free months with free(). 0 or -EINVAL.
 * inv_gap_target_progress_ref() - the same by THE RULE evaluated day by day (every person on
 * every day something changes): the definition, kept as the tests' oracle. */
int inv_gap_target_progress(const struct inv_gap_data *d, const struct inv_target *t,
                            const char *today, struct inv_target_progress *out);
int inv_gap_target_progress_ref(const struct inv_gap_data *d, const struct inv_target *t,
                                const char *today, struct inv_target_progress *out);


/* ---- proposed training sessions (trainplan.c) -----------------------------------------------
 * THE RULE, stated once: from a gap matrix of a day (inv_gap_matrix(): gap.c judges every
 * cell), a person needs training in a skill at the required level when the cell is missing or
 * expired, or when its valid_until is at most @within_days ahead. People of the same unit (the
 * row's unit_id: after mergers) needing the same skill at the same level form one group. The
 * group's course is the one granting the skill at that level or higher with the smallest level
 * granted, then the fewest hours, then the lowest id; its capacity is that of its latest
 * session with a limit (by day, then id), 0 (not limited) when none has one. A group larger
 * than the capacity is split into parts of at most the capacity, most urgent people first; a
 * group that no course grants is one proposal without a course (course_id 0: flagged).
 * Urgency: missing or expired first, then fewer days left, then the staff id. Proposals: those
 * with a missing/expired member first, then by their fewest days left, unit, skill, level and
 * part. Stable: the same matrix and courses give the same proposals in any input order. */
struct inv_plan_course {
    long long course_id, skill_id;
    int level;    /* granted */
    int hours;
    int capacity; /* latest session with a limit; 0 = not limited */
};
/* inv_trainplan_courses_load() - every (course, skill granted) pair with its hours and
 * capacity, one query; heap array, free(). 0 or -EIO. */
int inv_trainplan_courses_load(struct ww_db *db, struct inv_plan_course **out_items,
                               size_t *out_n);
struct inv_proposal_member {
    long long staff_id;
    enum inv_gap_state state;
    long long days_left;    /* valid_until - day; 0 when no valid_until */
    char valid_until[11];   /* "" = none */
};
struct inv_proposal {
    long long unit_id, skill_id;
    int level;                       /* required */
    long long course_id;             /* 0 = no course grants it (flagged) */
    int capacity;                    /* the course's; 0 = not limited */
    size_t part, parts;              /* this part (1-based) of its group's parts */
    struct inv_proposal_member *members; /* borrowed from inv_proposals.members */
    size_t nmembers;
    size_t n_urgent;                 /* members missing or expired */
    long long days_left_min;         /* fewest days left of an expiring member; 0 when none */
};
struct inv_proposals {
    struct inv_proposal *items;
    size_t n;
    struct inv_proposal_member *members; /* owns every member */
};
/* inv_trainplan_build() - the proposals of @m (borrowed) with @courses (borrowed; any order).
 * Pure. Free with inv_proposals_free(). 0 or -EINVAL (@within_days outside 0..366). */
int inv_trainplan_build(const struct inv_gap_matrix *m, const struct inv_plan_course *courses,
                        size_t ncourses, int within_days, struct inv_proposals *out);
void inv_proposals_free(struct inv_proposals *p);

/* ---- training expiry reminders (reminder.c) --------------------------------------------------
 * THE RULE, stated once: on a day, a reminder is due for each requirement of the day's gap
 * matrix (every unit, after mergers) that is met by a record whose valid_until is exactly one
 * of the reminder days ahead ([training] reminder_days, "30,7,0": 0 is its last valid day), so
 * each threshold is crossed on one day only. The days are reminded in order, each once: the
 * setting table's "training.reminded_through" is the last day done; the days after it up to
 * today are due (at most INV_REMINDER_CATCHUP_DAYS back: a collector down for a while catches
 * up, one message per missed day), today alone on the first run ever. The items name people
 * (for the page); the message sent through the alert channels carries only counts per unit,
 * skill and day (collector/alert.c coll_reminder_text()): a channel is set by whoever holds
 * uptime.edit, the it role too. */
#define INV_REMINDER_CATCHUP_DAYS 31
struct inv_reminder_item {
    long long unit_id, staff_id, skill_id;
    const char *unit, *full_name, *skill; /* borrowed from the gap data; NULL when unnamed */
    char valid_until[11];
    int days_left; /* one of the reminder days */
};
/* inv_reminder_items() - the reminders of @day over @d (borrowed, as inv_gap_load() gives it:
 * units, people and skills by id; names point into it), by
 * unit name, person name and skill name (ww_name_key), then ids. Pure. Heap array, free().
 * 0 or -EINVAL (@day malformed). */
int inv_reminder_items(const struct inv_gap_data *d, const char *day, const int *days,
                       size_t ndays, struct inv_reminder_item **out_items, size_t *out_n);
/* inv_reminder_days_due() - the office days up to @now's not yet reminded, oldest first, as a
 * heap array (free(); NULL when none). 0, -EIO. */
int inv_reminder_days_due(struct ww_db *db, time_t now, char (**out_days)[11], size_t *out_n);
/* inv_reminder_done() - @day is reminded (in the caller's transaction, with what it queued).
 * 0, -EINVAL, -EIO. */
int inv_reminder_done(struct ww_db *db, const char *day);
/* ---- per-disk rows (device_disk, schema v14) (disk.c) -------------------------------------
 * One row per fixed disk a device reported; its id names the disk's RRD file
 * (rrd/<device>/disk-<id>.rrd), never the device's text. A disk no longer reported keeps
 * its row and history: its last_seen stops moving. */
#define INV_DISK_KEY_MAX 128   /* bytes of disk_key (the agent's description, sanitised) */
#define INV_DISK_DESCR_MAX 255 /* bytes of descr */
struct inv_disk {
    long long id, device_id;
    char *disk_key, *descr;           /* heap, valid UTF-8 */
    double size_bytes, used_bytes;    /* NAN when unknown */
    long long first_seen, last_seen;
};
/*
 * inv_disk_upsert() - the disk @key (the agent's description, made unique per device by the
 * caller; cut to INV_DISK_KEY_MAX bytes of valid UTF-8 without controls) of @device_id as
 * read at @now: a new row, or the row updated when size, use or description changed (else
 * its last_seen moves at most every INV_FACT_SEEN_EVERY s, as facts do). @descr as shown
 * (NULL: @key), sanitised and bounded the same way; sizes NAN when unknown. *out_id gets the
 * row's id. Context: the caller's transaction (the collector's write round).
 * 0, -EINVAL (no key, bad device), -EIO.
 */
int inv_disk_upsert(struct ww_db *db, long long device_id, const char *key, const char *descr,
                    double size_bytes, double used_bytes, time_t now, long long *out_id);
/* inv_disk_list() - the disks of @device_id by key; heap array, inv_disk_list_free(). */
int inv_disk_list(struct ww_db *db, long long device_id, struct inv_disk **out_items,
                  size_t *out_n);
void inv_disk_list_free(struct inv_disk *items, size_t n);
/* inv_disk_device() - the device of disk row @disk_id: 0, -ENOENT, -EIO. */
int inv_disk_device(struct ww_db *db, long long disk_id, long long *out_device_id);
/* ---- probes (issue 18) ------------------------------------------------------------------
 * What wardwatch-probe counted (schema v16, inventory/probe.c). Addresses are text as
 * inet_ntop writes them; times are epoch seconds of the capture. */
struct inv_probe_host {
    const char *addr; /* borrowed */
    int family;       /* 4 or 6 */
    long long first_seen, last_seen;
    long long tx_pkts, tx_bytes, rx_pkts, rx_bytes;
};
struct inv_probe_talker {
    const char *addr; /* borrowed */
    long long bytes;
};
/* a window's protocol class ("tcp", "udp", "icmp", "other"), service port or local subnet */
struct inv_probe_count {
    const char *key; /* class name, "tcp/443", or a CIDR; borrowed */
    long long tx_pkts, tx_bytes; /* a class or port: its frames and bytes here */
    long long rx_pkts, rx_bytes; /* a subnet's received; 0 for a class or port */
};
struct inv_probe_window {
    long long start; /* a multiple of 300 */
    long long pkts, bytes;
    size_t ntop;
    const struct inv_probe_talker *top; /* largest first; borrowed */
    size_t nclasses, nports, nsubnets;  /* schema v20: the window's mix, top ports, subnets */
    const struct inv_probe_count *classes, *ports, *subnets; /* borrowed */
};
struct inv_probe_hour {
    long long start; /* a multiple of 3600 */
    long long up_bytes, down_bytes;
};
/* a MAC/IP pair seen on the wire */
struct inv_sighting {
    const char *mac;    /* "aa:bb:cc:dd:ee:ff", lowercase; borrowed */
    const char *ip;     /* borrowed */
    const char *source; /* "arp", "ndp" or "dhcp" */
    long long seen_at;
};
/* one run's results (all borrowed) */
struct inv_probe_run {
    const struct inv_probe_host *hosts;
    size_t nhosts;
    const struct inv_probe_window *windows;
    size_t nwindows;
    const struct inv_probe_hour *hours;
    size_t nhours;
    const struct inv_sighting *sightings;
    size_t nsightings;
};
/* the states a sighting may have: "new" (no device has its address), "known" (one has),
 * "accepted", "flagged" (the IT officer's decision); NULL-terminated */
extern const char *const inv_sighting_states[];
/*
 * inv_probe_save() - add a run's counts in one transaction: host counters and uplink hours
 * are added to what is stored, a window's counts (and its protocol classes, ports and
 * subnets: probe_class, probe_port, probe_subnet) added and its top talkers replaced, each
 * pair stored once (its device: the one whose host is that address, if any) and its times
 * widened; a pair whose address no device has is "new", else "known".
 * *out_new_unknown (may be NULL): pairs stored now for the first time that no
 * device's address names.
 * Returns: 0; -EINVAL (a malformed MAC, address or source: the caller's bug, logged;
 *          nothing written), -EIO.
 */
int inv_probe_save(struct ww_db *db, const struct inv_probe_run *run, size_t *out_new_unknown);
struct inv_sighting_row {
    long long id;
    char mac[18], ip[46], source[8], state[16];
    long long first_seen, last_seen;
    long long device_id; /* 0: no device has that address */
};
/* inv_sighting_list() - sightings in @state (NULL: all), oldest first, at most 10,000; a heap
 * array, free(). 0 or -EIO. */
int inv_sighting_list(struct ww_db *db, const char *state, struct inv_sighting_row **out_items,
                      size_t *out_n);

/*
 * inv_traffic_json() - what the probe stored for the windows and hours starting in
 * [@from, @to) (the traffic page), as one JSON object text in *out_json (free() it):
 * "pkts", "bytes", "windows" (how many were stored); "hours" [{start, up, down}] by start;
 * "mix" [{class, pkts, bytes}] by bytes; "ports" the top 10 [{port, pkts, bytes}];
 * "subnets" [{cidr, tx_pkts, tx_bytes, rx_pkts, rx_bytes}] by CIDR; "top" the top 10
 * talkers [{addr, bytes, device_id, device}] summed over the last @last_windows stored
 * windows (from "top_from" to "top_to"), a talker whose address is a device's host named.
 * Returns 0, -EIO.
 */
int inv_traffic_json(struct ww_db *db, long long from, long long to, int last_windows,
                     char **out_json);
/* inv_sighting_snapshot() - the sighting as a JSON object text for the audit log and the API */
int inv_sighting_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_apply_sighting_decide() - the IT officer's decision on sighting ch->id, for
 * inv_change_run() (object type "sighting", action "sighting.decide"): ctx is the state
 * text, "accepted" or "flagged" (else -EINVAL: status not_one_of); -ENOENT when gone. */
int inv_apply_sighting_decide(struct ww_db *db, void *ctx, struct inv_change *ch);

/* ---- active checks (issue 18 item 2, schema v19, check.c) ----------------------------------
 * A check wardwatch-probe runs: ICMP echo, TCP connect, DNS resolution or an HTTP(S) request.
 * Records change through inv_change_run() (object type "check"). */
#define INV_CHECK_URL_MAX 2000
#define INV_CHECK_EXPECT_MAX 1000
#define INV_CHECK_INTERVAL_MIN 10
#define INV_CHECK_INTERVAL_MAX 86400
#define INV_CHECK_TIMEOUT_MIN 100
#define INV_CHECK_TIMEOUT_MAX 60000
/* "icmp", "tcp", "dns", "http" (http covers https); NULL-terminated */
extern const char *const inv_check_kinds[];
/* "up", "down", "unknown"; NULL-terminated */
extern const char *const inv_check_states[];
struct inv_check {
    long long id;         /* 0 before an add */
    const char *name;     /* 1..INV_NAME_MAX, unique */
    const char *kind;     /* inv_check_kinds[] */
    const char *target;   /* a host name or address as a device's host; http: an http(s) URL
                             without user:password@, at most INV_CHECK_URL_MAX */
    int port;             /* tcp: 1..65535; others 0 (http: in the URL) */
    const char *expect;   /* http only: text the body must contain; NULL/"" none */
    int interval_s;       /* INV_CHECK_INTERVAL_MIN..MAX */
    int timeout_ms;       /* INV_CHECK_TIMEOUT_MIN..MAX, below interval_s */
    long long device_id;  /* 0: none */
    bool enabled;
};
/* inv_check_validate() - every check of what people type into a check, without the database:
 * 0 or -EINVAL (inv_refusal_last() says the field and reason). Pure, any thread. */
int inv_check_validate(const struct inv_check *c);
/* add (ctx: struct inv_check; sets ch->id; its state row starts "unknown"), update (ctx: the
 * check, id ch->id), remove (ctx unused; its state and history go with it) for
 * inv_change_run() (object type "check", actions check.add/.change/.remove): -EINVAL (also
 * device_id no_such), -EEXIST (name), -ENOENT */
int inv_apply_check_add(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_check_update(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_check_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
/* inv_check_list_json() - every check (@id 0, by name) as a JSON array text, or check @id as
 * an object (NULL when none), each with its state (state, since, last_at, latency_ms,
 * loss_pct, jitter_ms, http_status, cert_days, reason). 0 or -EIO. */
int inv_check_list_json(struct ww_db *db, long long id, char **out_json);
/* inv_check_history_json() - check @id's changes of state, newest first, at most 200, as a
 * JSON array text ([{at, state, reason}]). 0 or -EIO. */
int inv_check_history_json(struct ww_db *db, long long id, char **out_json);
/* inv_check_snapshot() - a check as a JSON object text (the audit log and the API) */
int inv_check_snapshot(struct ww_db *db, long long id, char **out_json);
/* a check as the probe reads it (strings owned by the row: inv_check_rows_free()) */
struct inv_check_row {
    struct inv_check c;
    char *name, *kind, *target, *expect;
};
/* inv_check_rows() - the enabled checks (all when @all), by id; 0 or -EIO */
int inv_check_rows(struct ww_db *db, bool all, struct inv_check_row **out_rows, size_t *out_n);
void inv_check_rows_free(struct inv_check_row *rows, size_t n);
/* one result of a check (NAN: not measured; 0: not applicable for http_status/cert_days) */
struct inv_check_result {
    long long check_id;
    long long at;       /* epoch seconds */
    bool up;
    double latency_ms, loss_pct, jitter_ms;
    int http_status;    /* 0: none */
    int cert_days;      /* INT_MIN: none */
    const char *reason; /* a code when down ("timeout", "refused", "status", "expect"...) */
};
/*
 * inv_check_record() - store @r as the check's state; when its state changes from what was
 * stored (unknown counts as a change only towards down) a history row is added and
 * *out_changed (may be NULL) set. Returns 0, -ENOENT (no such check), -EIO.
 */
int inv_check_record(struct ww_db *db, const struct inv_check_result *r, bool *out_changed);
/* ---- the replacement priority score (score.c) and the plan (plan.c), issue 16 items 6, 7 ----
 * Both are pure functions over structs (no database, any thread); loaders read what they need
 * with a fixed number of statements, never one per device. Codes, never sentences: a score
 * term is a code with its parameters and points; the pages word it ("score.term.<code>"). */

/* the plan's settings: the setting table's "plan.<name>" rows, integers with a default and
 * bounds (a row outside them, or not a number, is refused when written and ignored when read).
 * Weights are the points of a term at its full measure (see inv_score_eval()). */
enum inv_plan_knob {
    INV_PK_W_AGE,      /* points per lifespan of age (twice at most) */
    INV_PK_W_WIN11,    /* cannot run Windows 11 (a pc only) */
    INV_PK_W_OS,       /* its OS left support */
    INV_PK_W_CPU,      /* every measured day a high-CPU day */
    INV_PK_W_MEM,      /* every measured day a memory-pressure day */
    INV_PK_W_DISK,     /* every measured day a full-disk day */
    INV_PK_W_REBOOT,   /* per reboot, at most 5 of them */
    INV_PK_W_DOWN,     /* unreachable all office time */
    INV_PK_W_REPAIR,   /* repairs costing a replacement or more */
    INV_PK_W_CRIT,     /* one-stop-shop counter (a network core twice) */
    INV_PK_MIN_SCORE,  /* a score from which a device is replaced now, whatever its age */
    INV_PK_UPGRADE_MONTHS, /* remaining life from which a bottleneck gets an upgrade instead */
    INV_PK_LINK_P95,   /* office-hours p95 (% of speed) from which a link is upgraded */
    INV_PK_HORIZON,    /* the default horizon in years */
    INV_PK_N
};
struct inv_plan_knob_def {
    const char *key; /* "plan.weight.age" */
    const char *name; /* "weight.age": the API's field */
    long long def, min, max;
};
extern const struct inv_plan_knob_def inv_plan_knobs[INV_PK_N];
struct inv_plan_settings {
    long long v[INV_PK_N];
};
/* inv_plan_settings_default() - every knob at its default */
void inv_plan_settings_default(struct inv_plan_settings *out);
/* inv_plan_settings_load() - the defaults with the database's plan.* rows over them (one
 * statement). 0 or -EIO. */
int inv_plan_settings_load(struct ww_db *db, struct inv_plan_settings *out);
/* the plan settings' change (object type "plan_settings", key "plan"; ctx: struct
 * inv_plan_settings_edit): each value checked against its knob (refused: field the knob's
 * name, reason "out_of_range", param "min..max"), stored; a NULL value removes the row. */
struct inv_plan_settings_edit {
    const char *names[INV_PK_N]; /* knob names (inv_plan_knobs[].name) */
    const char *values[INV_PK_N];
    size_t n;
};
int inv_apply_plan_settings(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_plan_settings_snapshot(struct ww_db *db, const char *key, char **out_json);

/* one term of a score: a static code, its parameters (meaning per code) and points.
 * age: p0 age in months, p1 lifespan in years · win11 · os_ended · cpu_high, mem_pressure,
 * disk_full: p0 such days, p1 days measured · reboots: p0 reboots · downtime: p0 seconds
 * unreachable, p1 office seconds polled · repair: p0 repair costs, p1 replacement price (VND)
 * · critical: p0 1 one-stop-shop counter, 2 network core */
#define INV_SCORE_TERMS_MAX 10
struct inv_score_term {
    const char *code;
    long long p0, p1;
    long long points;
};
struct inv_score {
    long long total;
    size_t n;
    struct inv_score_term t[INV_SCORE_TERMS_MAX]; /* in the order above, only points > 0 */
};
/* what a score is computed from (the loader fills it from the records and the rules) */
struct inv_score_input {
    long long age_months;     /* -1 unknown */
    long long lifespan_years; /* 0 unknown */
    const char *win11;        /* inv_readiness win11.verdict, NULL not judged */
    const char *os_support;   /* inv_readiness os.support, NULL not judged */
    const struct inv_health *health; /* NULL: nothing measured */
    long long repair_vnd;     /* the sum of its repairs */
    long long price_vnd;      /* a replacement of its kind; 0 unknown */
    const char *criticality;  /* NULL = normal */
};
/*
 * inv_score_eval() - the score of @in with the weights of @s, each term rounded half up:
 * age w*months/(lifespan*12) (at most 2w); win11 w when "not_ready"; os_ended w when
 * "ended"; cpu_high, mem_pressure, disk_full w*days/measured days; reboots w per reboot (at
 * most 5w); downtime w*down/office; repair w*min(repairs, price)/price; critical w (network
 * core 2w). Pure; any thread.
 */
void inv_score_eval(const struct inv_plan_settings *s, const struct inv_score_input *in,
                    struct inv_score *out);

/* one device as the plan sees it (inv_plan_load() fills them) */
struct inv_plan_device {
    long long device_id;
    char *name, *kind, *status; /* owned */
    long long unit_id;          /* 0 none */
    long long remaining_months; /* -1 unknown */
    struct inv_score score;
};
/* a link of the busiest list with its office-hours p95 (the dashboard's busiest links) */
struct inv_plan_link {
    long long device_id, interface_id, unit_id;
    const char *device_name, *name; /* borrowed */
    double p95_pct;
};
struct inv_plan_price {
    char *item;          /* a device kind, or ram_upgrade, disk_upgrade, link_upgrade */
    long long price_vnd;
};
extern const char *const inv_plan_upgrade_items[]; /* ram_upgrade disk_upgrade link_upgrade */
struct inv_plan_budget {
    long long unit_id;
    int year;
    long long amount_vnd;
};
/* a manager's decision: pin (to year) or defer (to year; 0 = out of the horizon) */
struct inv_plan_decision {
    long long device_id;
    char *action; /* "pin", "defer" */
    int year;
    char *note, *actor;
};
struct inv_plan_unit {
    long long id;
    char *name;
    long long merged_into; /* 0 none */
    int merged_year;       /* the year of valid_to when merged: from then on it is the target's */
};
struct inv_plan_input {
    int first_year, horizon; /* years first_year .. first_year + horizon - 1 */
    int today_month;         /* 1..12: when in first_year a remaining life is counted from */
    const struct inv_plan_settings *settings;
    const struct inv_plan_device *devices;
    size_t ndevices;
    const struct inv_plan_link *links;
    size_t nlinks;
    const struct inv_plan_price *prices;
    size_t nprices;
    const struct inv_plan_budget *budgets;
    size_t nbudgets;
    const struct inv_plan_decision *decisions;
    size_t ndecisions;
    const struct inv_plan_unit *units;
    size_t nunits;
};
/* one line of the plan. state: "planned" (year set), "unfunded" (rolled over past the
 * horizon), "deferred" (a deferral out of the horizon), "no_price" (its item has no price) */
struct inv_plan_item {
    long long device_id, interface_id; /* a device's, or a link's (interface_id > 0) */
    const char *action;  /* replace, upgrade_ram, upgrade_disk, upgrade_link */
    const char *state;
    const char *why;     /* due (lifespan ends), score (score >= min), bottleneck, link_p95,
                            pinned */
    long long unit_id;   /* where it is planned (a merger's target from its year) */
    int year;            /* 0 when not planned */
    int wanted_year;     /* the first year it was wanted */
    int rolled;          /* years it rolled over */
    long long price_vnd, score;
    bool pinned;
    size_t device;       /* index in the input's devices (links: SIZE_MAX) */
    size_t link;         /* index in the input's links (devices: SIZE_MAX) */
};
struct inv_plan_cell {
    long long unit_id;
    int year;
    long long budget_vnd, used_vnd; /* used may pass budget: pinned items */
    long long items;
};
struct inv_plan {
    int first_year, horizon;
    struct inv_plan_item *items; /* planned by year, unit, score; then the rest by score */
    size_t n;
    struct inv_plan_cell *cells; /* by unit id, year: every unit live that year */
    size_t ncells;
};
/*
 * inv_plan_build() - the plan of @in (borrowed; @out refers to it by index, so keep it while
 * @out is used). THE RULE: a device in stock, to dispose or disposed is not planned; a device
 * is wanted from the year its lifespan ends or, scoring at least plan.min_score, now; one
 * young enough (remaining life >= plan.upgrade_months) whose largest health term is memory
 * pressure (or a full disk), with no high CPU, gets that upgrade now instead; a link at
 * plan.link_p95 or more a link upgrade. A pin puts an item in its year first, over the budget
 * if need be (the manager decided: the cell shows the overrun); a deferral keeps it out
 * until its year, or out of the plan. Each unit-year is then filled in score order; what does
 * not fit rolls over to the next year, and past the horizon is "unfunded". A unit merged in
 * year Y: from Y its items and its budget are its target's. Pure; any thread.
 * Returns 0 or -EINVAL (horizon outside 1..20). Free with inv_plan_release().
 */
int inv_plan_build(const struct inv_plan_input *in, struct inv_plan *out);
void inv_plan_release(struct inv_plan *p);

/* what the plan reads from the records (plan.c): every not-disposed device scored with @rules
 * on @today, with its unit; prices, budgets, decisions and units. A fixed number of
 * statements. Free with inv_plan_data_release(). @links are the caller's (the dashboard's
 * busiest links); set in.links before inv_plan_build(). */
struct inv_plan_data {
    struct inv_plan_settings settings;
    struct inv_plan_device *devices;
    size_t ndevices;
    struct inv_plan_price *prices;
    size_t nprices;
    struct inv_plan_budget *budgets;
    size_t nbudgets;
    struct inv_plan_decision *decisions;
    size_t ndecisions;
    struct inv_plan_unit *units; /* by id */
    size_t nunits;
};
int inv_plan_load(struct ww_db *db, const struct inv_rules *rules, const char *today,
                  struct inv_plan_data *out);
/* inv_plan_health_read() - the health window the plan judges (INV_HEALTH_WINDOW_DAYS up to
 * @today), by device id (inv_health_list()); a heap array, free(). The slow part of a
 * province's load: a caller may keep it for a while (it moves by the day) and give it to
 * inv_plan_load_with() (@health borrowed, by device id), which is inv_plan_load() without
 * reading it. */
int inv_plan_health_read(struct ww_db *db, const char *today, struct inv_health **out_items,
                         size_t *out_n);
int inv_plan_load_with(struct ww_db *db, const struct inv_rules *rules, const char *today,
                       const struct inv_health *health, size_t nhealth,
                       struct inv_plan_data *out);
/* inv_plan_load_records() - the same without the devices: settings, prices, budgets,
 * decisions, units (the forms) */
int inv_plan_load_records(struct ww_db *db, struct inv_plan_data *out);
/* inv_plan_load_device() - the same with device @device_id only (its page's score); -ENOENT
 * when it is not there (or disposed) */
int inv_plan_load_device(struct ww_db *db, const struct inv_rules *rules, const char *today,
                         long long device_id, struct inv_plan_data *out);
void inv_plan_data_release(struct inv_plan_data *d);
/* inv_plan_input_of() - @in pointing at @d's arrays, horizon @horizon (0: the setting's) */
void inv_plan_input_of(const struct inv_plan_data *d, const char *today, int horizon,
                       struct inv_plan_input *out);
/* inv_plan_price_of() - @item's price among @prices, -1 when it has none */
long long inv_plan_price_of(const struct inv_plan_price *prices, size_t n, const char *item);

/* The plan's changes, each through inv_change_run():
 * prices (object type "plan_prices", key "all"; ctx: struct inv_plan_prices_edit: items
 * replaced or added, a price < 0 removes one; item must be a device kind or an upgrade item),
 * budgets (object type "plan_budgets", key "all"; ctx: struct inv_plan_budgets_edit: rows set,
 * amount < 0 removes; unit must exist, year 2000..2200),
 * a decision (object type "plan_decision", id the device; ctx: struct inv_plan_decision,
 * action pin/defer, year 2000..2200 (defer 0: out of the plan), actor from the change;
 * inv_apply_plan_decision_remove() for DELETE),
 * a version (object type "plan_version"; ctx: struct inv_plan_version_new; sets ch->id). */
struct inv_plan_prices_edit {
    const struct inv_plan_price *items;
    size_t n;
};
struct inv_plan_budgets_edit {
    const struct inv_plan_budget *items;
    size_t n;
};
int inv_apply_plan_prices(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_plan_budgets(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_plan_decision(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_apply_plan_decision_remove(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_plan_prices_snapshot(struct ww_db *db, const char *key, char **out_json);
int inv_plan_budgets_snapshot(struct ww_db *db, const char *key, char **out_json);
int inv_plan_decision_snapshot(struct ww_db *db, long long id, char **out_json);

/* a saved plan: its items as JSON ({"first_year","horizon","items":[{"device_id",
 * "interface_id","action","state","year","unit_id","price_vnd","score"}]}) */
struct inv_plan_version {
    long long id;
    int year;
    long long created_at;
    char *actor, *note;
    char *plan_json;
};
struct inv_plan_version_new {
    const struct inv_plan *plan;
    const char *note;
    long long now;
};
int inv_apply_plan_version(struct ww_db *db, void *ctx, struct inv_change *ch);
int inv_plan_version_snapshot(struct ww_db *db, long long id, char **out_json);
/* inv_plan_version_list() - newest first, without plan_json; free with _list_free() */
int inv_plan_version_list(struct ww_db *db, struct inv_plan_version **out_items, size_t *out_n);
/* inv_plan_version_latest() - the newest version with its plan_json; -ENOENT when none */
int inv_plan_version_latest(struct ww_db *db, struct inv_plan_version *out);
void inv_plan_version_list_free(struct inv_plan_version *items, size_t n);
void inv_plan_version_release(struct inv_plan_version *v);
/* what changed since a saved version: kind "added", "removed", "moved" (year), "cost" */
struct inv_plan_change {
    const char *kind;
    long long device_id, interface_id;
    const char *action; /* static: the current item's, or the saved one's when removed */
    int from_year, to_year; /* 0 not planned */
    long long from_vnd, to_vnd;
};
/* inv_plan_diff() - @saved_json (a version's plan_json) against @now, by device (or link):
 * an item planned now and not then is added, then and not now removed; one planned in
 * both with another year moved, another price cost (both may be listed). A heap array,
 * free(). 0, -EINVAL (@saved_json unreadable). */
int inv_plan_diff(const char *saved_json, const struct inv_plan *now,
                  struct inv_plan_change **out_items, size_t *out_n);
/* inv_plan_json() - @p's items as the version JSON text (heap) */
char *inv_plan_json(const struct inv_plan *p);

#endif
