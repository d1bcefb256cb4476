/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schema.c - the numbered migrations. Never edit a step that has shipped: add a new one.
 * Each step runs in one transaction with its user_version bump (common/db.c).
 */
#include "inventory/inventory.h"

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
        "CREATE INDEX event_time ON event (started_at);"},
};

int inv_migrate(struct ww_db *db)
{
    return ww_db_migrate(db, inv_steps, WW_ARRAY_SIZE(inv_steps));
}

int inv_schema_version(void)
{
    return inv_steps[WW_ARRAY_SIZE(inv_steps) - 1].version;
}
