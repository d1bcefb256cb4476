/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * inventory.h - the records: schema and migrations, devices with their SNMP settings,
 * interfaces, what SNMP reported (device_fact), device status and events.
 *
 * Every function takes a struct ww_db owned by the caller and used by one thread at a time.
 * Strings in the structs below are heap copies owned by the struct; release them with the
 * matching _release()/_free() call. Returns are 0 or a negative errno: -EINVAL bad input
 * (a message is logged naming the field), -ENOENT no such record, -EEXIST duplicate,
 * -EIO the database failed.
 */
#ifndef WW_INVENTORY_H
#define WW_INVENTORY_H

#include "common/common.h"

/* inv_migrate() - bring the database to the current schema (see inventory/schema.c). */
int inv_migrate(struct ww_db *db);
/* inv_schema_version() - the version inv_migrate() reaches. */
int inv_schema_version(void);
/* inv_migrate_to() - stop at @version (tests of upgrades from older databases). */
int inv_migrate_to(struct ww_db *db, int version);

/* ---- devices ---------------------------------------------------------------------------- */

#define INV_NAME_MAX 200
#define INV_HOST_MAX 253

/* device kinds, in the order the UI lists them */
extern const char *const inv_device_kinds[];
bool inv_device_kind_valid(const char *kind);

struct inv_device {
    long long id;
    char *name;
    char *kind;      /* router, switch, ap, ups, printer, pc, server, firewall, other */
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
    bool enabled;
    /* read-only, filled by get/list: current status */
    char *state; /* unknown, up, down */
    long long state_since, last_poll, last_ok;
    long long uptime_ticks; /* -1 unknown */
    long long poll_ms;      /* -1 unknown */
    char *sys_name, *sys_descr; /* from device_fact, sanitized UTF-8; NULL when unknown */
};

/* inv_device_init() - defaults: kind "other", port 161, version "2c", enabled, cost -1. */
void inv_device_init(struct inv_device *d);
void inv_device_release(struct inv_device *d);
/* inv_device_add() - validate and insert; @d borrowed; the new id in *out_id. */
int inv_device_add(struct ww_db *db, const struct inv_device *d, long long *out_id);
/* inv_device_update() - replace the editable fields of device d->id. */
int inv_device_update(struct ww_db *db, const struct inv_device *d);
int inv_device_remove(struct ww_db *db, long long id);
int inv_device_get(struct ww_db *db, long long id, struct inv_device *out_dev);

struct inv_device_list {
    struct inv_device *items;
    size_t n;
    long long total; /* matching rows before limit/offset */
};
/* inv_device_list() - by name; @enabled_only for pollers; limit < 0 = all. */
int inv_device_list(struct ww_db *db, bool enabled_only, long long limit, long long offset,
                    struct inv_device_list *out_list);
void inv_device_list_release(struct inv_device_list *list);

/* ---- facts: what a device reported about itself ------------------------------------------ */

/* inv_fact_set() - upsert; keeps first_seen, moves last_seen. @value is stored as given. */
int inv_fact_set(struct ww_db *db, long long device_id, const char *name, const char *value,
                 time_t now);
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
};
/* inv_interface_upsert() - insert or refresh by (device, if_key); the row id in *out_id. */
int inv_interface_upsert(struct ww_db *db, const struct inv_interface *ifc, time_t now,
                         long long *out_id);
int inv_interface_list(struct ww_db *db, long long device_id, struct inv_interface **out_items,
                       size_t *out_n);
void inv_interface_list_free(struct inv_interface *items, size_t n);

/* ---- status and events ------------------------------------------------------------------ */

struct inv_status {
    char state[16]; /* unknown, up, down */
    long long since, last_poll, last_ok;
    long long fail_count;
    long long uptime_ticks; /* -1 unknown */
    long long uptime_at;    /* wall time when uptime_ticks was read */
};
int inv_status_get(struct ww_db *db, long long device_id, struct inv_status *out_status);

struct inv_poll_outcome {
    bool ok;
    time_t when;
    long long uptime_ticks; /* -1 unknown */
    long long poll_ms;
    const char *error; /* borrowed; why the poll failed */
    bool rebooted;     /* sysUpTime went back: the caller decided */
    bool refused;      /* the agent answered but refused us (SNMPv3 credentials): the state
                          stays as it was, only last_error records it */
};
/*
 * inv_status_apply() - record one poll in one transaction: the device's status row and the
 * events it causes. Down after @down_after failed polls in a row (opens a "down" event),
 * up on the first good poll (closes it, adds an "up" event), "reboot" when o->rebooted.
 * *out_changed (may be NULL) tells whether the state changed.
 */
int inv_status_apply(struct ww_db *db, long long device_id, const struct inv_poll_outcome *o,
                     long long down_after, bool *out_changed);

struct inv_event {
    long long id, device_id;
    char *device_name;
    char *type; /* down, up, reboot, threshold, unknown_device */
    long long started_at, ended_at; /* ended_at -1 while open */
    char *message;
};
/* inv_event_list() - newest first; device_id 0 = all devices. */
int inv_event_list(struct ww_db *db, long long device_id, long long limit, long long offset,
                   struct inv_event **out_items, size_t *out_n, long long *out_total);
void inv_event_list_free(struct inv_event *items, size_t n);

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

/* login throttling: failures per key ("user:NAME" or "addr:IP") */
int inv_login_failures(struct ww_db *db, const char *key, long long *out_failures,
                       long long *out_last_at);
int inv_login_failure_add(struct ww_db *db, const char *key, time_t now);
int inv_login_failure_clear(struct ww_db *db, const char *key);

/* who made a change, for the audit log */
struct inv_actor {
    long long user_id; /* 0 = none (CLI as root, system) */
    const char *name;  /* login, or the OS user for the CLI */
    const char *source; /* "api", "cli", "system" */
    const char *remote_addr; /* NULL for the CLI */
};
/* inv_audit_add() - append one entry; before/after are JSON texts or NULL. Append-only:
 * the schema refuses UPDATE and DELETE on audit_log. */
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

/* ---- settings (schema v4 table setting) and small look-ups (setting.c) ----------------- */

/* inv_setting_get() - the value of @key into *out_value (heap; NULL and -ENOENT when unset) */
int inv_setting_get(struct ww_db *db, const char *key, char **out_value);
/* inv_setting_set() - insert or replace; the value is never logged (it may be a hash) */
int inv_setting_set(struct ww_db *db, const char *key, const char *value);
/* inv_interface_device() - the device an interface row belongs to; -ENOENT */
int inv_interface_device(struct ww_db *db, long long interface_id, long long *out_device_id);

#endif
