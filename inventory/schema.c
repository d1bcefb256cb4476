/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schema.c - the numbered migrations. Never edit a step that has shipped: add a new one.
 * Each step runs in one transaction with its user_version bump (common/db.c).
 */
#include "inventory/inventory_int.h"

#include "common/banned.h"

static const struct ww_migration inv_steps[] = {
    {1, "CREATE TABLE org_unit ("
        "  id INTEGER PRIMARY KEY,"
        "  parent_id INTEGER REFERENCES org_unit(id),"
        "  code TEXT UNIQUE,"
        "  name TEXT NOT NULL,"
        "  level TEXT NOT NULL DEFAULT 'ward' CHECK (level IN ('province','ward','department')),"
        "  valid_from TEXT, valid_to TEXT,"
        "  merged_into INTEGER REFERENCES org_unit(id));"
        "CREATE TABLE location ("
        "  id INTEGER PRIMARY KEY,"
        "  unit_id INTEGER REFERENCES org_unit(id),"
        "  name TEXT NOT NULL, address TEXT);"
        "CREATE TABLE device ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('router','switch','ap','ups',"
        "    'printer','pc','server','firewall','other')),"
        "  host TEXT NOT NULL,"
        "  snmp_port INTEGER NOT NULL DEFAULT 161 CHECK (snmp_port BETWEEN 1 AND 65535),"
        "  snmp_version TEXT NOT NULL DEFAULT '2c' CHECK (snmp_version IN ('1','2c')),"
        "  snmp_community TEXT,"
        "  vendor TEXT, model TEXT, serial TEXT, asset_tag TEXT,"
        "  unit_id INTEGER REFERENCES org_unit(id),"
        "  location_id INTEGER REFERENCES location(id),"
        "  purchase_date TEXT, cost_vnd INTEGER CHECK (cost_vnd IS NULL OR cost_vnd >= 0),"
        "  warranty_end TEXT, lifespan_years INTEGER,"
        "  lifecycle TEXT NOT NULL DEFAULT 'in_service' CHECK (lifecycle IN ('in_service',"
        "    'spare','repair','retired')),"
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  UNIQUE (host, snmp_port));"
        "CREATE TABLE device_fact ("
        "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
        "  name TEXT NOT NULL, value TEXT,"
        "  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        "  PRIMARY KEY (device_id, name));"
        "CREATE TABLE interface ("
        "  id INTEGER PRIMARY KEY,"
        "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
        "  if_key TEXT NOT NULL, if_index INTEGER,"
        "  name TEXT, descr TEXT, alias TEXT, type INTEGER, speed_bps INTEGER,"
        "  admin_status INTEGER, oper_status INTEGER, hc INTEGER NOT NULL DEFAULT 0,"
        "  in_octets TEXT, out_octets TEXT,"
        "  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        "  UNIQUE (device_id, if_key));"
        "CREATE TABLE device_status ("
        "  device_id INTEGER PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,"
        "  state TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown','up','down')),"
        "  since INTEGER, last_poll INTEGER, last_ok INTEGER,"
        "  fail_count INTEGER NOT NULL DEFAULT 0,"
        "  uptime_ticks INTEGER, uptime_at INTEGER, poll_ms INTEGER, last_error TEXT);"
        "CREATE TABLE event ("
        "  id INTEGER PRIMARY KEY,"
        "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
        "  interface_id INTEGER REFERENCES interface(id) ON DELETE CASCADE,"
        "  type TEXT NOT NULL CHECK (type IN ('down','up','reboot','threshold',"
        "    'unknown_device')),"
        "  started_at INTEGER NOT NULL, ended_at INTEGER, message TEXT);"
        "CREATE INDEX event_device_time ON event (device_id, started_at);"
        "CREATE INDEX event_time ON event (started_at);",
     false},
    {2, "CREATE TABLE user ("
        "  id INTEGER PRIMARY KEY,"
        "  login TEXT NOT NULL UNIQUE COLLATE NOCASE,"
        "  full_name TEXT,"
        "  role TEXT NOT NULL CHECK (role IN ('admin','it','manager','hr','viewer')),"
        "  password_hash TEXT NOT NULL,"
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  lang TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi','en')),"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  password_changed_at INTEGER, last_login_at INTEGER);"
        "CREATE TABLE session ("
        "  token_hash TEXT PRIMARY KEY,"
        "  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,"
        "  csrf_token TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        "  remote_addr TEXT);"
        "CREATE INDEX session_user ON session (user_id);"
        "CREATE TABLE login_failure ("
        "  key TEXT PRIMARY KEY,"
        "  failures INTEGER NOT NULL, last_at INTEGER NOT NULL);"
        "CREATE TABLE audit_log ("
        "  id INTEGER PRIMARY KEY,"
        "  at INTEGER NOT NULL,"
        "  actor_user_id INTEGER,"
        "  actor TEXT NOT NULL,"
        "  source TEXT NOT NULL CHECK (source IN ('api','cli','system')),"
        "  remote_addr TEXT,"
        "  action TEXT NOT NULL,"
        "  object_type TEXT, object_id TEXT,"
        "  before_json TEXT, after_json TEXT);"
        "CREATE INDEX audit_at ON audit_log (at);"
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
        "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
        "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
     false},
    /* SNMPv3: the version check must admit '3', which SQLite can only do by a rebuild */
    {3, "CREATE TABLE device_new ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('router','switch','ap','ups',"
        "    'printer','pc','server','firewall','other')),"
        "  host TEXT NOT NULL,"
        "  snmp_port INTEGER NOT NULL DEFAULT 161 CHECK (snmp_port BETWEEN 1 AND 65535),"
        "  snmp_version TEXT NOT NULL DEFAULT '2c' CHECK (snmp_version IN ('1','2c','3')),"
        "  snmp_community TEXT,"
        "  v3_user TEXT,"
        "  v3_level TEXT CHECK (v3_level IS NULL OR v3_level IN ('noAuthNoPriv','authNoPriv',"
        "    'authPriv')),"
        "  v3_auth_proto TEXT CHECK (v3_auth_proto IS NULL OR v3_auth_proto IN ('MD5','SHA',"
        "    'SHA-224','SHA-256','SHA-384','SHA-512')),"
        "  v3_auth_key TEXT,"
        "  v3_priv_proto TEXT CHECK (v3_priv_proto IS NULL OR v3_priv_proto IN ('DES','AES',"
        "    'AES-192','AES-256')),"
        "  v3_priv_key TEXT,"
        "  vendor TEXT, model TEXT, serial TEXT, asset_tag TEXT,"
        "  unit_id INTEGER REFERENCES org_unit(id),"
        "  location_id INTEGER REFERENCES location(id),"
        "  purchase_date TEXT, cost_vnd INTEGER CHECK (cost_vnd IS NULL OR cost_vnd >= 0),"
        "  warranty_end TEXT, lifespan_years INTEGER,"
        "  lifecycle TEXT NOT NULL DEFAULT 'in_service' CHECK (lifecycle IN ('in_service',"
        "    'spare','repair','retired')),"
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  UNIQUE (host, snmp_port));"
        "INSERT INTO device_new (id, name, kind, host, snmp_port, snmp_version, snmp_community,"
        "  vendor, model, serial, asset_tag, unit_id, location_id, purchase_date, cost_vnd,"
        "  warranty_end, lifespan_years, lifecycle, enabled, created_at, updated_at)"
        "  SELECT id, name, kind, host, snmp_port, snmp_version, snmp_community, vendor, model,"
        "  serial, asset_tag, unit_id, location_id, purchase_date, cost_vnd, warranty_end,"
        "  lifespan_years, lifecycle, enabled, created_at, updated_at FROM device;"
        "DROP TABLE device;"
        "ALTER TABLE device_new RENAME TO device;",
     true},
    /* network uptime: parents, hysteresis, unreachable, interface events, maintenance,
     * holidays, alert rules/channels/alerts/notifications, LLDP/CDP neighbours, settings.
     * device_status and event gain CHECK values, which SQLite can only do by a rebuild. */
    {4, "ALTER TABLE device ADD COLUMN parent_id INTEGER REFERENCES device(id)"
        "  ON DELETE SET NULL;"
        "CREATE INDEX device_parent ON device (parent_id);"
        /* the rates of the last poll interval (bit/s), for alert rules, pages and /metrics */
        "ALTER TABLE interface ADD COLUMN in_bps REAL;"
        "ALTER TABLE interface ADD COLUMN out_bps REAL;"
        "ALTER TABLE interface ADD COLUMN rate_at INTEGER;"
        "ALTER TABLE interface ADD COLUMN oper_since INTEGER;"
        "CREATE TABLE device_status_new ("
        "  device_id INTEGER PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,"
        "  state TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown','up','down',"
        "    'unreachable')),"
        "  since INTEGER, last_poll INTEGER, last_ok INTEGER,"
        "  fail_count INTEGER NOT NULL DEFAULT 0,"
        "  ok_count INTEGER NOT NULL DEFAULT 0,"
        "  streak_since INTEGER," /* first poll of the current run of good or failed polls */
        "  uptime_ticks INTEGER, uptime_at INTEGER, poll_ms INTEGER, last_error TEXT,"
        /* the latest measured values, for alert rules, pages and /metrics (NULL unknown) */
        "  cpu_pct REAL, mem_pct REAL, disk_max_pct REAL,"
        "  ups_on_battery INTEGER, ups_runtime_min REAL, ups_charge_pct REAL,"
        "  supply_min_pct REAL, metrics_at INTEGER);"
        "INSERT INTO device_status_new (device_id, state, since, last_poll, last_ok, fail_count,"
        "  uptime_ticks, uptime_at, poll_ms, last_error)"
        "  SELECT device_id, state, since, last_poll, last_ok, fail_count, uptime_ticks,"
        "  uptime_at, poll_ms, last_error FROM device_status;"
        "DROP TABLE device_status;"
        "ALTER TABLE device_status_new RENAME TO device_status;"
        "CREATE TABLE event_new ("
        "  id INTEGER PRIMARY KEY,"
        "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
        "  interface_id INTEGER REFERENCES interface(id) ON DELETE CASCADE,"
        "  type TEXT NOT NULL CHECK (type IN ('down','up','unreachable','reboot','if_down',"
        "    'if_up','threshold','unknown_device')),"
        "  started_at INTEGER NOT NULL, ended_at INTEGER, message TEXT);"
        "INSERT INTO event_new SELECT id, device_id, interface_id, type, started_at, ended_at,"
        "  message FROM event;"
        "DROP TABLE event;"
        "ALTER TABLE event_new RENAME TO event;"
        "CREATE INDEX event_device_time ON event (device_id, started_at);"
        "CREATE INDEX event_time ON event (started_at);"
        "CREATE INDEX event_open ON event (device_id, type) WHERE ended_at IS NULL;"
        "CREATE TABLE maintenance ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  device_id INTEGER REFERENCES device(id) ON DELETE CASCADE," /* NULL = every device */
        "  starts_at INTEGER NOT NULL,"
        "  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),"
        "  note TEXT,"
        "  created_by TEXT,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
        "CREATE INDEX maintenance_time ON maintenance (starts_at, ends_at);"
        "CREATE TABLE holiday ("
        "  day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
        "  name TEXT NOT NULL);"
        "CREATE TABLE alert_channel ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL UNIQUE,"
        "  kind TEXT NOT NULL CHECK (kind IN ('email','webhook')),"
        "  target TEXT NOT NULL," /* recipients, comma-separated, or an http(s) URL */
        "  secret TEXT,"          /* webhook bearer token: a secret, never shown */
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
        "CREATE TABLE alert_rule ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL CHECK (kind IN ('device_down','interface_down','link_util',"
        "    'disk','cpu','ups_battery','ups_runtime','printer_supply')),"
        "  device_id INTEGER REFERENCES device(id) ON DELETE CASCADE," /* NULL = every device */
        "  device_kind TEXT," /* NULL = any kind */
        "  threshold REAL,"
        "  for_s INTEGER NOT NULL DEFAULT 0 CHECK (for_s >= 0),"
        "  repeat_s INTEGER NOT NULL DEFAULT 0 CHECK (repeat_s >= 0),"
        "  notify_recovery INTEGER NOT NULL DEFAULT 1,"
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
        "CREATE TABLE alert_rule_channel ("
        "  rule_id INTEGER NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,"
        "  channel_id INTEGER NOT NULL REFERENCES alert_channel(id) ON DELETE CASCADE,"
        "  PRIMARY KEY (rule_id, channel_id));"
        "CREATE TABLE alert ("
        "  id INTEGER PRIMARY KEY,"
        "  rule_id INTEGER NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,"
        "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
        "  interface_id INTEGER REFERENCES interface(id) ON DELETE CASCADE,"
        "  subject TEXT NOT NULL DEFAULT ''," /* '' the device, 'if:ID', 'disk', 'supply' */
        "  state TEXT NOT NULL CHECK (state IN ('pending','firing','resolved')),"
        "  pending_since INTEGER NOT NULL, fired_at INTEGER, resolved_at INTEGER,"
        "  last_notified_at INTEGER, value REAL, message TEXT);"
        "CREATE UNIQUE INDEX alert_open ON alert (rule_id, device_id, subject)"
        "  WHERE state <> 'resolved';"
        "CREATE INDEX alert_device ON alert (device_id, pending_since);"
        "CREATE TABLE notification ("
        "  id INTEGER PRIMARY KEY,"
        "  alert_id INTEGER REFERENCES alert(id) ON DELETE SET NULL,"
        "  channel_id INTEGER REFERENCES alert_channel(id) ON DELETE SET NULL,"
        "  kind TEXT NOT NULL CHECK (kind IN ('firing','recovery','repeat','test')),"
        "  recipient TEXT NOT NULL," /* addresses or URL, never a credential */
        "  subject TEXT NOT NULL, body TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  next_attempt_at INTEGER, sent_at INTEGER, last_error TEXT,"
        "  created_at INTEGER NOT NULL);"
        "CREATE INDEX notification_due ON notification (status, next_attempt_at);"
        "CREATE INDEX notification_time ON notification (created_at);"
        "CREATE TABLE neighbor ("
        "  id INTEGER PRIMARY KEY,"
        "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
        "  protocol TEXT NOT NULL CHECK (protocol IN ('lldp','cdp')),"
        "  local_port TEXT NOT NULL,"
        "  remote_key TEXT NOT NULL," /* chassis id, else the remote system name */
        "  remote_name TEXT, remote_port TEXT, remote_addr TEXT,"
        "  remote_device_id INTEGER REFERENCES device(id) ON DELETE SET NULL,"
        "  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        "  UNIQUE (device_id, protocol, local_port, remote_key));"
        "CREATE TABLE setting ("
        "  key TEXT PRIMARY KEY,"
        "  value TEXT NOT NULL);",
     true},
    /* availability of every device over a period reads the device outages that ended inside
     * it or are still open (inventory/availability.c all_devices), not a year of events by
     * started_at: the overview at 10,000 devices and 350,000 events (bench/uptime.sh) */
    {5, "CREATE INDEX event_outage_end ON event (ended_at, device_id, type, started_at)"
        "  WHERE interface_id IS NULL AND type IN ('down', 'unreachable');",
     false},
    /* the device list by name (inventory/device.c inv_device_list): a page of 1000 of
     * 10,000 devices walks the index to its offset instead of sorting every device; the
     * overview page asks for all its pages every 10 s (bench/uptime.sh) */
    {6, "CREATE INDEX device_name ON device (name);", false},
    /* a number that moves with every change to the device table (inv_device_changes), so
     * that the collector re-reads its device list only when there is something new: the
     * list of every device once an interval was 14% of its poll thread at 100 devices */
    {7, "CREATE TABLE change_count (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
        "INSERT INTO change_count (name, n) VALUES ('device', 0);"
        "CREATE TRIGGER device_added AFTER INSERT ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        "CREATE TRIGGER device_changed AFTER UPDATE ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        "CREATE TRIGGER device_removed AFTER DELETE ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;",
     false},
    /* v8: every audited change (inventory/change.c) moves its own number, so caches see
     * changes made by other processes; events carry a reason code and its parameters (a
     * JSON object) that pages render in the reader's language: message stays for events
     * recorded before, and as the log's English */
    {8, "INSERT INTO change_count (name, n) VALUES ('audited', 0);"
        "ALTER TABLE event ADD COLUMN reason TEXT;"
        "ALTER TABLE event ADD COLUMN params TEXT;"
        "ALTER TABLE device_status ADD COLUMN last_reason TEXT;"
        "ALTER TABLE device_status ADD COLUMN last_reason_param TEXT;",
     false},
    /* v9: the kinds of device are one list, inv_device_kinds[] (device.c), which inventory
     * checks before any write: the table no longer repeats it, so that a new kind (nas) needs
     * no rebuild after this one. A rebuild keeps the rows, ids, indexes and triggers. */
    {9, "CREATE TABLE device_new ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind <> ''),"
        "  host TEXT NOT NULL,"
        "  snmp_port INTEGER NOT NULL DEFAULT 161 CHECK (snmp_port BETWEEN 1 AND 65535),"
        "  snmp_version TEXT NOT NULL DEFAULT '2c' CHECK (snmp_version IN ('1','2c','3')),"
        "  snmp_community TEXT,"
        "  v3_user TEXT,"
        "  v3_level TEXT CHECK (v3_level IS NULL OR v3_level IN ('noAuthNoPriv','authNoPriv',"
        "    'authPriv')),"
        "  v3_auth_proto TEXT CHECK (v3_auth_proto IS NULL OR v3_auth_proto IN ('MD5','SHA',"
        "    'SHA-224','SHA-256','SHA-384','SHA-512')),"
        "  v3_auth_key TEXT,"
        "  v3_priv_proto TEXT CHECK (v3_priv_proto IS NULL OR v3_priv_proto IN ('DES','AES',"
        "    'AES-192','AES-256')),"
        "  v3_priv_key TEXT,"
        "  vendor TEXT, model TEXT, serial TEXT, asset_tag TEXT,"
        "  unit_id INTEGER REFERENCES org_unit(id),"
        "  location_id INTEGER REFERENCES location(id),"
        "  purchase_date TEXT, cost_vnd INTEGER CHECK (cost_vnd IS NULL OR cost_vnd >= 0),"
        "  warranty_end TEXT, lifespan_years INTEGER,"
        "  lifecycle TEXT NOT NULL DEFAULT 'in_service' CHECK (lifecycle IN ('in_service',"
        "    'spare','repair','retired')),"
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  parent_id INTEGER REFERENCES device(id) ON DELETE SET NULL,"
        "  UNIQUE (host, snmp_port));"
        "INSERT INTO device_new SELECT id, name, kind, host, snmp_port, snmp_version,"
        "  snmp_community, v3_user, v3_level, v3_auth_proto, v3_auth_key, v3_priv_proto,"
        "  v3_priv_key, vendor, model, serial, asset_tag, unit_id, location_id, purchase_date,"
        "  cost_vnd, warranty_end, lifespan_years, lifecycle, enabled, created_at, updated_at,"
        "  parent_id FROM device;"
        "DROP TABLE device;"
        "ALTER TABLE device_new RENAME TO device;"
        "CREATE INDEX device_parent ON device (parent_id);"
        "CREATE INDEX device_name ON device (name);"
        "CREATE TRIGGER device_added AFTER INSERT ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        "CREATE TRIGGER device_changed AFTER UPDATE ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        "CREATE TRIGGER device_removed AFTER DELETE ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;",
     true},
    /* v10: device ids are never reused (AUTOINCREMENT), so that a new device never inherits
     * the metric files (rrd/<id>/) or anything else of a removed one. The same rebuild as
     * v9: rows, ids, indexes, triggers and the tables that refer to device(id) (which name
     * it, not its rowid) all come through. The sequence starts above every id a device had:
     * those left, and those the audit log names; ids of rrd/ folders are added at start
     * (inv_device_reserve_ids). */
    {10, "CREATE TABLE device_new ("
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind <> ''),"
        "  host TEXT NOT NULL,"
        "  snmp_port INTEGER NOT NULL DEFAULT 161 CHECK (snmp_port BETWEEN 1 AND 65535),"
        "  snmp_version TEXT NOT NULL DEFAULT '2c' CHECK (snmp_version IN ('1','2c','3')),"
        "  snmp_community TEXT,"
        "  v3_user TEXT,"
        "  v3_level TEXT CHECK (v3_level IS NULL OR v3_level IN ('noAuthNoPriv','authNoPriv',"
        "    'authPriv')),"
        "  v3_auth_proto TEXT CHECK (v3_auth_proto IS NULL OR v3_auth_proto IN ('MD5','SHA',"
        "    'SHA-224','SHA-256','SHA-384','SHA-512')),"
        "  v3_auth_key TEXT,"
        "  v3_priv_proto TEXT CHECK (v3_priv_proto IS NULL OR v3_priv_proto IN ('DES','AES',"
        "    'AES-192','AES-256')),"
        "  v3_priv_key TEXT,"
        "  vendor TEXT, model TEXT, serial TEXT, asset_tag TEXT,"
        "  unit_id INTEGER REFERENCES org_unit(id),"
        "  location_id INTEGER REFERENCES location(id),"
        "  purchase_date TEXT, cost_vnd INTEGER CHECK (cost_vnd IS NULL OR cost_vnd >= 0),"
        "  warranty_end TEXT, lifespan_years INTEGER,"
        "  lifecycle TEXT NOT NULL DEFAULT 'in_service' CHECK (lifecycle IN ('in_service',"
        "    'spare','repair','retired')),"
        "  enabled INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),"
        "  parent_id INTEGER REFERENCES device(id) ON DELETE SET NULL,"
        "  UNIQUE (host, snmp_port));"
        "INSERT INTO device_new SELECT id, name, kind, host, snmp_port, snmp_version,"
        "  snmp_community, v3_user, v3_level, v3_auth_proto, v3_auth_key, v3_priv_proto,"
        "  v3_priv_key, vendor, model, serial, asset_tag, unit_id, location_id, purchase_date,"
        "  cost_vnd, warranty_end, lifespan_years, lifecycle, enabled, created_at, updated_at,"
        "  parent_id FROM device;"
        "DROP TABLE device;"
        "ALTER TABLE device_new RENAME TO device;"
        "CREATE INDEX device_parent ON device (parent_id);"
        "CREATE INDEX device_name ON device (name);"
        "CREATE TRIGGER device_added AFTER INSERT ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        "CREATE TRIGGER device_changed AFTER UPDATE ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        "CREATE TRIGGER device_removed AFTER DELETE ON device BEGIN"
        "  UPDATE change_count SET n = n + 1 WHERE name = 'device'; END;"
        /* the copy set the sequence to the largest id left; a removed device's id may be
         * larger, and its audit entries remember it */
        "INSERT OR IGNORE INTO sqlite_sequence (name, seq) SELECT 'device', 0"
        "  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'device');"
        "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT max(CAST(object_id AS"
        "  INTEGER)) FROM audit_log WHERE object_type = 'device'"
        "  AND object_id GLOB '[1-9]*' AND object_id NOT GLOB '*[^0-9]*'), 0))"
        "  WHERE name = 'device';",
     true},
    /* v11: failed password checks one row each, so a count decays (a failure counts for a
     * window, dashboard/auth.c) and is kept per (login, address) pair and per address: a
     * lock follows the address that failed, never the account (issue 14) */
    {11, "CREATE TABLE auth_failure ("
         "  id INTEGER PRIMARY KEY,"
         "  login TEXT NOT NULL,"
         "  addr TEXT NOT NULL,"
         "  at INTEGER NOT NULL,"
         "  pair INTEGER NOT NULL DEFAULT 1);"
         "CREATE INDEX auth_failure_pair ON auth_failure (login, addr, at);"
         "CREATE INDEX auth_failure_addr ON auth_failure (addr, at);"
         "DROP TABLE login_failure;",
     false},
    /* v12 (issue 15): an outage can be acknowledged (who, when) and carries notes; a
     * device's first answer ever, so that time before it never counts as up (the devices
     * answered before keep their old start: the day they were added); what an ICMP echo said
     * when the device last failed to answer SNMP (1 answered, 0 silent, NULL not asked) */
    {12, "ALTER TABLE event ADD COLUMN acked_at INTEGER;"
         "ALTER TABLE event ADD COLUMN acked_by TEXT;"
         "CREATE TABLE outage_note ("
         "  id INTEGER PRIMARY KEY,"
         "  event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,"
         "  author TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL,"
         "  ack INTEGER NOT NULL DEFAULT 0,"
         "  text TEXT NOT NULL);"
         "CREATE INDEX outage_note_event ON outage_note (event_id, id);"
         "ALTER TABLE device_status ADD COLUMN first_ok INTEGER;"
         "ALTER TABLE device_status ADD COLUMN icmp_ok INTEGER;"
         "UPDATE device_status SET first_ok = (SELECT d.created_at FROM device d"
         "  WHERE d.id = device_status.device_id) WHERE last_ok IS NOT NULL;",
     false},
    /* v13 (issue 16, records): a device's lifecycle. warranty_end and lifespan_years were
     * there from v1, unused until now. The status and criticality lists are inventory's
     * (inv_device_statuses[], inv_device_criticalities[]): no CHECK repeats them. The old
     * lifecycle column (a CHECK of v1, never written by any path) stays for the rebuild it
     * would cost; its non-default values are carried over to status. assigned_to is the
     * name of a person as typed: staff records come with a later issue. Repairs and the
     * assignment history hang on the device and go with it. */
    {13, "ALTER TABLE device ADD COLUMN in_service_date TEXT;"
         "ALTER TABLE device ADD COLUMN funding_source TEXT;"
         "ALTER TABLE device ADD COLUMN status TEXT NOT NULL DEFAULT 'in_use';"
         "ALTER TABLE device ADD COLUMN criticality TEXT NOT NULL DEFAULT 'normal';"
         "ALTER TABLE device ADD COLUMN assigned_to TEXT;"
         "ALTER TABLE device ADD COLUMN notes TEXT;"
         "UPDATE device SET status = CASE lifecycle WHEN 'spare' THEN 'in_stock'"
         "  WHEN 'repair' THEN 'in_repair' WHEN 'retired' THEN 'disposed' ELSE 'in_use' END;"
         "CREATE TABLE device_repair ("
         "  id INTEGER PRIMARY KEY,"
         "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
         "  day TEXT NOT NULL,"
         "  cost_vnd INTEGER NOT NULL DEFAULT 0 CHECK (cost_vnd >= 0),"
         "  work TEXT NOT NULL,"
         "  actor TEXT NOT NULL,"
         "  shop TEXT,"
         "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
         "CREATE INDEX device_repair_device ON device_repair (device_id, day);"
         "CREATE TABLE device_assignment ("
         "  id INTEGER PRIMARY KEY,"
         "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
         "  assigned_to TEXT NOT NULL,"
         "  from_day TEXT NOT NULL,"
         "  to_day TEXT,"
         "  actor TEXT NOT NULL,"
         "  note TEXT);"
         "CREATE INDEX device_assignment_device ON device_assignment (device_id, id);",
     false},
    /* v14 (issue 16, the manager's records): what the register, the health roll-up and the
     * replacement plan keep.
     * - org_unit (v1) is used as it was: a merger sets valid_to (the day the unit ends) and
     *   merged_into; device_unit keeps which unit each device belonged to from which day
     *   (to_day exclusive, NULL = still), so a report for a past date shows the units as they
     *   were. Rows of the devices that already had a unit start on their creation day.
     * - location (v1) gains building, room and kind (the list is inventory's, no CHECK).
     * - device_disk: one row per fixed disk a device reported, with an id that names its RRD
     *   file (rrd/<device>/disk-<id>.rrd: a number, never the device's text).
     * - health_day: the daily roll-up the collector adds to as it writes (office-local day),
     *   so the plan never reads RRD files while a person waits. Samples, sums and counts,
     *   not verdicts: the thresholds are the health rule's (inventory/health.c).
     * - plan_price, plan_budget, plan_decision (a manager's pin or deferral), plan_version
     *   (a saved plan, its items as JSON, kept per year). */
    {14, "CREATE TABLE device_unit ("
         "  id INTEGER PRIMARY KEY,"
         "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
         "  unit_id INTEGER REFERENCES org_unit(id),"
         "  from_day TEXT NOT NULL,"
         "  to_day TEXT,"
         "  reason TEXT NOT NULL,"
         "  actor TEXT NOT NULL);"
         "CREATE INDEX device_unit_device ON device_unit (device_id, from_day);"
         "CREATE INDEX device_unit_unit ON device_unit (unit_id, from_day);"
         "INSERT INTO device_unit (device_id, unit_id, from_day, reason, actor)"
         "  SELECT id, unit_id, date(created_at, 'unixepoch'), 'set', 'migration'"
         "  FROM device WHERE unit_id IS NOT NULL;"
         "CREATE INDEX org_unit_parent ON org_unit (parent_id);"
         "ALTER TABLE location ADD COLUMN building TEXT;"
         "ALTER TABLE location ADD COLUMN room TEXT;"
         "ALTER TABLE location ADD COLUMN kind TEXT NOT NULL DEFAULT 'room';"
         "CREATE TABLE device_disk ("
         "  id INTEGER PRIMARY KEY,"
         "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
         "  disk_key TEXT NOT NULL,"
         "  descr TEXT,"
         "  size_bytes INTEGER, used_bytes INTEGER,"
         "  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
         "  UNIQUE (device_id, disk_key));"
         "CREATE TABLE health_day ("
         "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
         "  day TEXT NOT NULL,"
         "  polls INTEGER NOT NULL DEFAULT 0, ok_polls INTEGER NOT NULL DEFAULT 0,"
         "  cpu_n INTEGER NOT NULL DEFAULT 0, cpu_sum REAL NOT NULL DEFAULT 0,"
         "  cpu_max REAL, cpu_high_n INTEGER NOT NULL DEFAULT 0,"
         "  mem_n INTEGER NOT NULL DEFAULT 0, mem_sum REAL NOT NULL DEFAULT 0,"
         "  mem_max REAL, mem_high_n INTEGER NOT NULL DEFAULT 0,"
         "  disk_max REAL,"
         "  reboots INTEGER NOT NULL DEFAULT 0,"
         "  office_s INTEGER NOT NULL DEFAULT 0, office_down_s INTEGER NOT NULL DEFAULT 0,"
         "  PRIMARY KEY (device_id, day)) WITHOUT ROWID;"
         "CREATE TABLE plan_price ("
         "  item TEXT PRIMARY KEY,"
         "  price_vnd INTEGER NOT NULL CHECK (price_vnd >= 0)) WITHOUT ROWID;"
         "CREATE TABLE plan_budget ("
         "  unit_id INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,"
         "  year INTEGER NOT NULL,"
         "  amount_vnd INTEGER NOT NULL CHECK (amount_vnd >= 0),"
         "  PRIMARY KEY (unit_id, year)) WITHOUT ROWID;"
         "CREATE TABLE plan_decision ("
         "  device_id INTEGER PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,"
         "  action TEXT NOT NULL,"
         "  year INTEGER,"
         "  note TEXT,"
         "  actor TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL);"
         "CREATE TABLE plan_version ("
         "  id INTEGER PRIMARY KEY,"
         "  year INTEGER NOT NULL,"
         "  created_at INTEGER NOT NULL,"
         "  actor TEXT NOT NULL,"
         "  note TEXT,"
         "  plan_json TEXT NOT NULL);"
         "CREATE INDEX plan_version_year ON plan_version (year, id);",
     false},
    /* v15 (issue 17, staff and training): people, their roles and skills, the training
     * register and what is required of whom.
     * - staff: code compared as names are (code_key = ww_name_key(code), unique; name_key the
     *   full name's key, the list's order); unit_id and
     *   role_id are the current ones; staff_history keeps which unit and role a person had
     *   from which day (to_day exclusive, NULL = still), so "the person's unit and role on a
     *   day" is one row. A person who leaves has the open row closed and active = 0.
     * - job_role, skill (levels 1..levels; validity_months 0 = never expires), role_skill
     *   (a role requires a skill at a level), equipment_skill (a device kind requires a skill
     *   of the person it is assigned to), skill_target (a unit's target: pct of its active
     *   staff hold a skill at a level by a deadline; unit_id NULL = every unit).
     * - course (provider kind, provider, hours) with course_skill (skill and level granted),
     *   course_session (day, place, trainer, capacity) and session_attendance.
     * - training_record: append-only (the triggers refuse UPDATE and DELETE); a correction is
     *   a new row whose corrects names the row it replaces (one correction per row); readers
     *   take the newest of a chain: a row no other row corrects. */
    {15, "CREATE TABLE job_role ("
         "  id INTEGER PRIMARY KEY,"
         "  code TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL, name_en TEXT);"
         "CREATE TABLE skill ("
         "  id INTEGER PRIMARY KEY,"
         "  code TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL, name_en TEXT,"
         "  category TEXT NOT NULL,"
         "  levels INTEGER NOT NULL DEFAULT 1 CHECK (levels BETWEEN 1 AND 9),"
         "  validity_months INTEGER NOT NULL DEFAULT 0 CHECK (validity_months >= 0));"
         "CREATE TABLE staff ("
         "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
         "  code TEXT NOT NULL,"
         "  code_key TEXT NOT NULL UNIQUE,"
         "  full_name TEXT NOT NULL,"
         "  name_key TEXT NOT NULL,"
         "  unit_id INTEGER REFERENCES org_unit(id),"
         "  role_id INTEGER REFERENCES job_role(id),"
         "  start_day TEXT NOT NULL,"
         "  active INTEGER NOT NULL DEFAULT 1,"
         "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
         "CREATE INDEX staff_unit ON staff (unit_id);"
         "CREATE TABLE staff_history ("
         "  id INTEGER PRIMARY KEY,"
         "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
         "  unit_id INTEGER REFERENCES org_unit(id),"
         "  role_id INTEGER REFERENCES job_role(id),"
         "  from_day TEXT NOT NULL,"
         "  to_day TEXT,"
         "  actor TEXT NOT NULL);"
         "CREATE INDEX staff_history_staff ON staff_history (staff_id, from_day);"
         "CREATE INDEX staff_history_unit ON staff_history (unit_id, from_day);"
         "CREATE TABLE role_skill ("
         "  role_id INTEGER NOT NULL REFERENCES job_role(id) ON DELETE CASCADE,"
         "  skill_id INTEGER NOT NULL REFERENCES skill(id) ON DELETE CASCADE,"
         "  level INTEGER NOT NULL CHECK (level >= 1),"
         "  PRIMARY KEY (role_id, skill_id)) WITHOUT ROWID;"
         "CREATE TABLE equipment_skill ("
         "  device_kind TEXT NOT NULL,"
         "  skill_id INTEGER NOT NULL REFERENCES skill(id) ON DELETE CASCADE,"
         "  level INTEGER NOT NULL CHECK (level >= 1),"
         "  PRIMARY KEY (device_kind, skill_id)) WITHOUT ROWID;"
         "CREATE TABLE skill_target ("
         "  id INTEGER PRIMARY KEY,"
         "  unit_id INTEGER REFERENCES org_unit(id),"
         "  skill_id INTEGER NOT NULL REFERENCES skill(id),"
         "  level INTEGER NOT NULL DEFAULT 1 CHECK (level >= 1),"
         "  pct INTEGER NOT NULL CHECK (pct BETWEEN 1 AND 100),"
         "  from_day TEXT NOT NULL,"
         "  deadline TEXT NOT NULL);"
         "CREATE TABLE course ("
         "  id INTEGER PRIMARY KEY,"
         "  name TEXT NOT NULL,"
         "  provider_kind TEXT NOT NULL,"
         "  provider TEXT,"
         "  hours INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0));"
         "CREATE TABLE course_skill ("
         "  course_id INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
         "  skill_id INTEGER NOT NULL REFERENCES skill(id),"
         "  level INTEGER NOT NULL CHECK (level >= 1),"
         "  PRIMARY KEY (course_id, skill_id)) WITHOUT ROWID;"
         "CREATE TABLE course_session ("
         "  id INTEGER PRIMARY KEY,"
         "  course_id INTEGER NOT NULL REFERENCES course(id),"
         "  day TEXT NOT NULL,"
         "  place TEXT, trainer TEXT,"
         "  capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0));"
         "CREATE TABLE session_attendance ("
         "  session_id INTEGER NOT NULL REFERENCES course_session(id) ON DELETE CASCADE,"
         "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
         "  PRIMARY KEY (session_id, staff_id)) WITHOUT ROWID;"
         "CREATE TABLE training_record ("
         "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
         "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
         "  course_id INTEGER NOT NULL REFERENCES course(id),"
         "  session_id INTEGER REFERENCES course_session(id),"
         "  completed_on TEXT NOT NULL,"
         "  result TEXT NOT NULL,"
         "  score REAL,"
         "  certificate_no TEXT,"
         "  valid_until TEXT,"
         "  evidence TEXT,"
         "  source TEXT NOT NULL,"
         "  corrects INTEGER UNIQUE REFERENCES training_record(id),"
         "  actor TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
         "CREATE INDEX training_record_staff ON training_record (staff_id, completed_on);"
         "CREATE TRIGGER training_record_no_update BEFORE UPDATE ON training_record"
         "  BEGIN SELECT RAISE(ABORT, 'training_record is append-only'); END;"
         "CREATE TRIGGER training_record_no_delete BEFORE DELETE ON training_record"
         "  BEGIN SELECT RAISE(ABORT, 'training_record is append-only'); END;",
     false},
    /* v16 (issue 18, the passive probe): what wardwatch-probe counts, kept by inventory/
     * probe.c.
     * - probe_host: per IP address (text as inet_ntop writes it) frames and bytes sent and
     *   received, the original frame lengths as tshark counts them; each run of the probe
     *   adds what it counted.
     * - probe_window: per 5-minute window (start, epoch seconds) frames, bytes and its top
     *   talkers as JSON ([{"addr":..,"bytes":..}], written by inventory from numbers).
     * - probe_hour: the uplink (between a local subnet and any other address) per hour,
     *   bytes out and in: the office-day picture is read from it with the office calendar.
     * - mac_sighting: a MAC/IP pair seen in ARP, NDP or DHCP, first and last seen, the
     *   device whose host is that address (NULL: unknown), and its state: 'known' (a
     *   device has the address), 'new' (unknown, waiting for the IT officer), 'accepted',
     *   'flagged' (inv_sighting_states[]; no CHECK repeats the list). */
    {16, "CREATE TABLE probe_host ("
         "  addr TEXT PRIMARY KEY,"
         "  family INTEGER NOT NULL,"
         "  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
         "  tx_pkts INTEGER NOT NULL DEFAULT 0, tx_bytes INTEGER NOT NULL DEFAULT 0,"
         "  rx_pkts INTEGER NOT NULL DEFAULT 0, rx_bytes INTEGER NOT NULL DEFAULT 0)"
         "  WITHOUT ROWID;"
         "CREATE TABLE probe_window ("
         "  start INTEGER PRIMARY KEY,"
         "  pkts INTEGER NOT NULL, bytes INTEGER NOT NULL,"
         "  top_json TEXT NOT NULL DEFAULT '[]');"
         "CREATE TABLE probe_hour ("
         "  start INTEGER PRIMARY KEY,"
         "  up_bytes INTEGER NOT NULL DEFAULT 0, down_bytes INTEGER NOT NULL DEFAULT 0);"
         "CREATE TABLE mac_sighting ("
         "  id INTEGER PRIMARY KEY,"
         "  mac TEXT NOT NULL, ip TEXT NOT NULL, source TEXT NOT NULL,"
         "  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
         "  device_id INTEGER REFERENCES device(id) ON DELETE SET NULL,"
         "  state TEXT NOT NULL DEFAULT 'new',"
         "  UNIQUE (mac, ip));"
         "CREATE INDEX mac_sighting_state ON mac_sighting (state, last_seen);",
     false},
    /* v17 (issue 17): a device's holder as a staff record. device.assigned_staff_id is who
     * holds it now (NULL: nobody, or a name typed before staff records: assigned_to); the
     * assignment history row carries the same person (staff_id), so what a person held on a
     * day is answerable. The gap rule (gap.c) reads it: equipment_skill names what a device
     * kind - or a device's criticality, e.g. 'one_stop_counter' - requires of its holder. */
    {17, "ALTER TABLE device ADD COLUMN assigned_staff_id INTEGER REFERENCES staff(id);"
         "ALTER TABLE device_assignment ADD COLUMN staff_id INTEGER REFERENCES staff(id);"
         "CREATE INDEX device_assignment_staff ON device_assignment (staff_id)"
         "  WHERE staff_id IS NOT NULL;",
     false},
    /* v18 (issue 17 item 4, expiry reminders): a notification's kind
     * is no longer repeated by the table (firing, recovery, repeat, test and now
     * training_expiry, which has no alert: inv_notification_kinds[] in alert.c is the list),
     * as v9 did for device kinds. A rebuild keeps the rows, ids and indexes; nothing refers
     * to notification(id). */
    {18, "CREATE TABLE notification_new ("
         "  id INTEGER PRIMARY KEY,"
         "  alert_id INTEGER REFERENCES alert(id) ON DELETE SET NULL,"
         "  channel_id INTEGER REFERENCES alert_channel(id) ON DELETE SET NULL,"
         "  kind TEXT NOT NULL CHECK (kind <> ''),"
         "  recipient TEXT NOT NULL,"
         "  subject TEXT NOT NULL, body TEXT NOT NULL,"
         "  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),"
         "  attempts INTEGER NOT NULL DEFAULT 0,"
         "  next_attempt_at INTEGER, sent_at INTEGER, last_error TEXT,"
         "  created_at INTEGER NOT NULL);"
         "INSERT INTO notification_new SELECT id, alert_id, channel_id, kind, recipient, subject,"
         "  body, status, attempts, next_attempt_at, sent_at, last_error, created_at"
         "  FROM notification;"
         "DROP TABLE notification;"
         "ALTER TABLE notification_new RENAME TO notification;"
         "CREATE INDEX notification_due ON notification (status, next_attempt_at);"
         "CREATE INDEX notification_time ON notification (created_at);",
     true},
    /* v19 (issue 18 item 2, active checks): a check wardwatch-probe runs (inventory/check.c).
     * - probe_check: kind icmp|tcp|dns|http (inv_check_kinds[]; no CHECK repeats the list),
     *   target a host name or address (http: the URL), port (tcp only), expect (http: text
     *   the body must contain), how often and how long it may take, the device it belongs
     *   to (NULL: a WAN endpoint or a portal), enabled.
     * - probe_check_state: the last result of each check: up/down/unknown since when,
     *   latency, loss, jitter, HTTP status, certificate days left, a failure's reason code.
     * - probe_check_history: each change of state of a check (the page shows it; a check
     *   with a device also gets a device event: check_down / check_up). */
    {19, "CREATE TABLE probe_check ("
         "  id INTEGER PRIMARY KEY,"
         "  name TEXT NOT NULL UNIQUE,"
         "  kind TEXT NOT NULL,"
         "  target TEXT NOT NULL,"
         "  port INTEGER NOT NULL DEFAULT 0,"
         "  expect TEXT,"
         "  interval_s INTEGER NOT NULL DEFAULT 60,"
         "  timeout_ms INTEGER NOT NULL DEFAULT 2000,"
         "  device_id INTEGER REFERENCES device(id) ON DELETE SET NULL,"
         "  enabled INTEGER NOT NULL DEFAULT 1,"
         "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
         "CREATE INDEX probe_check_device ON probe_check (device_id) WHERE device_id IS NOT NULL;"
         "CREATE TABLE probe_check_state ("
         "  check_id INTEGER PRIMARY KEY REFERENCES probe_check(id) ON DELETE CASCADE,"
         "  state TEXT NOT NULL DEFAULT 'unknown',"
         "  since INTEGER, last_at INTEGER,"
         "  latency_ms REAL, loss_pct REAL, jitter_ms REAL,"
         "  http_status INTEGER, cert_days INTEGER, reason TEXT);"
         "CREATE TABLE probe_check_history ("
         "  id INTEGER PRIMARY KEY,"
         "  check_id INTEGER NOT NULL REFERENCES probe_check(id) ON DELETE CASCADE,"
         "  at INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT);"
         "CREATE INDEX probe_check_history_check ON probe_check_history (check_id, at);"
         /* a device's check going down or up is a device event ('check_down' open until
          * its 'check_up', as if_down/if_up): the type's CHECK gains them by a rebuild
          * that keeps every row, id and index */
         "CREATE TABLE event_new ("
         "  id INTEGER PRIMARY KEY,"
         "  device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
         "  interface_id INTEGER REFERENCES interface(id) ON DELETE CASCADE,"
         "  type TEXT NOT NULL CHECK (type IN ('down','up','unreachable','reboot','if_down',"
         "    'if_up','threshold','unknown_device','check_down','check_up')),"
         "  started_at INTEGER NOT NULL, ended_at INTEGER, message TEXT,"
         "  reason TEXT, params TEXT, acked_at INTEGER, acked_by TEXT);"
         "INSERT INTO event_new SELECT id, device_id, interface_id, type, started_at, ended_at,"
         "  message, reason, params, acked_at, acked_by FROM event;"
         "DROP TABLE event;"
         "ALTER TABLE event_new RENAME TO event;"
         "CREATE INDEX event_device_time ON event (device_id, started_at);"
         "CREATE INDEX event_time ON event (started_at);"
         "CREATE INDEX event_open ON event (device_id, type) WHERE ended_at IS NULL;"
         "CREATE INDEX event_outage_end ON event (ended_at, device_id, type, started_at)"
         "  WHERE interface_id IS NULL AND type IN ('down', 'unreachable');",
     true},
    /* v20 (issue 18, the traffic page): what a 5-minute window carried besides its top
     * talkers, each added up over the runs that saw the window (a live probe's flush may cut
     * one; a port outside one part's top 10 is then missing from that part):
     * - probe_class: frames and bytes per protocol class (tcp, udp, icmp, other: the
     *   innermost IP header's protocol, as probes/ names them);
     * - probe_port: the window's top service ports ("tcp/443": the lower port of a frame);
     * - probe_subnet: per local subnet (the CIDR of [probe] local_subnets) sent and
     *   received. (v19 is the active checks'.) */
    {20, "CREATE TABLE probe_class ("
         "  start INTEGER NOT NULL, class TEXT NOT NULL,"
         "  pkts INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
         "  PRIMARY KEY (start, class)) WITHOUT ROWID;"
         "CREATE TABLE probe_port ("
         "  start INTEGER NOT NULL, port TEXT NOT NULL,"
         "  pkts INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
         "  PRIMARY KEY (start, port)) WITHOUT ROWID;"
         "CREATE TABLE probe_subnet ("
         "  start INTEGER NOT NULL, cidr TEXT NOT NULL,"
         "  tx_pkts INTEGER NOT NULL DEFAULT 0, tx_bytes INTEGER NOT NULL DEFAULT 0,"
         "  rx_pkts INTEGER NOT NULL DEFAULT 0, rx_bytes INTEGER NOT NULL DEFAULT 0,"
         "  PRIMARY KEY (start, cidr)) WITHOUT ROWID;",
     false},
};

int inv_migrate(struct ww_db *db)
{
    return ww_db_migrate(db, inv_steps, WW_ARRAY_SIZE(inv_steps));
}

int inv_migrate_to(struct ww_db *db, int version)
{
    size_t n = 0;
    while (n < WW_ARRAY_SIZE(inv_steps) && inv_steps[n].version <= version)
        n++;
    return ww_db_migrate(db, inv_steps, n);
}

int inv_schema_version(void)
{
    return inv_steps[WW_ARRAY_SIZE(inv_steps) - 1].version;
}
