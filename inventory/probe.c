/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * probe.c - what the passive probe counted (schema v16, v20): per-host frames and bytes, the
 * 5-minute windows with their top talkers, protocol classes, top ports and subnet totals,
 * the uplink by hour, and the MAC/IP pairs seen in
 * ARP, NDP and DHCP matched against the devices' host addresses. wardwatch-probe adds its
 * counts at the end of a run with inv_probe_save(); the pages (a later issue) read them.
 */
#include "inventory/inventory_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_sighting_states[] = {"new", "known", "accepted", "flagged", NULL};

static int add_host(struct ww_db *db, const struct inv_probe_host *h)
{
    static const char sql[] =
        "INSERT INTO probe_host (addr, family, first_seen, last_seen, tx_pkts, tx_bytes,"
        "  rx_pkts, rx_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (addr) DO UPDATE SET"
        "  first_seen = min(first_seen, excluded.first_seen),"
        "  last_seen = max(last_seen, excluded.last_seen),"
        "  tx_pkts = tx_pkts + excluded.tx_pkts, tx_bytes = tx_bytes + excluded.tx_bytes,"
        "  rx_pkts = rx_pkts + excluded.rx_pkts, rx_bytes = rx_bytes + excluded.rx_bytes";
    sqlite3_stmt *st = ww_db_stmt(db, sql);
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, h->addr, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, h->family);
    sqlite3_bind_int64(st, 3, h->first_seen);
    sqlite3_bind_int64(st, 4, h->last_seen);
    sqlite3_bind_int64(st, 5, h->tx_pkts);
    sqlite3_bind_int64(st, 6, h->tx_bytes);
    sqlite3_bind_int64(st, 7, h->rx_pkts);
    sqlite3_bind_int64(st, 8, h->rx_bytes);
    return inv_step(db, st, "probe_host");
}

static int add_window(struct ww_db *db, const struct inv_probe_window *w)
{
    static const char sql[] =
        "INSERT INTO probe_window (start, pkts, bytes, top_json) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (start) DO UPDATE SET pkts = pkts + excluded.pkts,"
        "  bytes = bytes + excluded.bytes, top_json = excluded.top_json";
    struct ww_buf top;
    sqlite3_stmt *st;
    int ret = -EIO;

    /* the top list from numbers and inet_ntop text only; still escaped as JSON strings */
    ww_buf_init(&top, 64 * 1024);
    ww_buf_addstr(&top, "[");
    for (size_t i = 0; i < w->ntop; i++) {
        ww_buf_addstr(&top, i ? ",{\"addr\":" : "{\"addr\":");
        ww_buf_add_json_string(&top, w->top[i].addr);
        ww_buf_addf(&top, ",\"bytes\":%lld}", w->top[i].bytes);
    }
    if (ww_buf_addstr(&top, "]") < 0)
        goto out;
    st = ww_db_stmt(db, sql);
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, w->start);
    sqlite3_bind_int64(st, 2, w->pkts);
    sqlite3_bind_int64(st, 3, w->bytes);
    sqlite3_bind_text(st, 4, top.data, (int)top.len, SQLITE_TRANSIENT);
    ret = inv_step(db, st, "probe_window");
out:
    ww_buf_release(&top);
    return ret;
}

/* a window's classes, ports and subnets (schema v20), added to what is stored */
static int add_counts(struct ww_db *db, long long start, const char *table, const char *sql,
                      const struct inv_probe_count *v, size_t n, bool rx)
{
    int ret = 0;
    for (size_t i = 0; i < n && ret >= 0; i++) {
        sqlite3_stmt *st = ww_db_stmt(db, sql);
        if (!st)
            return -EIO;
        sqlite3_bind_int64(st, 1, start);
        sqlite3_bind_text(st, 2, v[i].key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, v[i].tx_pkts);
        sqlite3_bind_int64(st, 4, v[i].tx_bytes);
        if (rx) {
            sqlite3_bind_int64(st, 5, v[i].rx_pkts);
            sqlite3_bind_int64(st, 6, v[i].rx_bytes);
        }
        ret = inv_step(db, st, table);
    }
    return ret;
}

static int add_window_counts(struct ww_db *db, const struct inv_probe_window *w)
{
    static const char cls[] =
        "INSERT INTO probe_class (start, class, pkts, bytes) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (start, class) DO UPDATE SET pkts = pkts + excluded.pkts,"
        "  bytes = bytes + excluded.bytes";
    static const char port[] =
        "INSERT INTO probe_port (start, port, pkts, bytes) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (start, port) DO UPDATE SET pkts = pkts + excluded.pkts,"
        "  bytes = bytes + excluded.bytes";
    static const char sub[] =
        "INSERT INTO probe_subnet (start, cidr, tx_pkts, tx_bytes, rx_pkts, rx_bytes)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (start, cidr) DO UPDATE SET"
        "  tx_pkts = tx_pkts + excluded.tx_pkts, tx_bytes = tx_bytes + excluded.tx_bytes,"
        "  rx_pkts = rx_pkts + excluded.rx_pkts, rx_bytes = rx_bytes + excluded.rx_bytes";
    int ret = add_counts(db, w->start, "probe_class", cls, w->classes, w->nclasses, false);
    if (ret >= 0)
        ret = add_counts(db, w->start, "probe_port", port, w->ports, w->nports, false);
    if (ret >= 0)
        ret = add_counts(db, w->start, "probe_subnet", sub, w->subnets, w->nsubnets, true);
    return ret;
}

static bool counts_ok(const struct inv_probe_count *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!v[i].key || !*v[i].key || strlen(v[i].key) > 49)
            return false;
    return true;
}

static int add_hour(struct ww_db *db, const struct inv_probe_hour *h)
{
    static const char sql[] =
        "INSERT INTO probe_hour (start, up_bytes, down_bytes) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (start) DO UPDATE SET up_bytes = up_bytes + excluded.up_bytes,"
        "  down_bytes = down_bytes + excluded.down_bytes";
    sqlite3_stmt *st = ww_db_stmt(db, sql);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, h->start);
    sqlite3_bind_int64(st, 2, h->up_bytes);
    sqlite3_bind_int64(st, 3, h->down_bytes);
    return inv_step(db, st, "probe_hour");
}

/* one pair: a new row (its device found by host address, or NULL), or its times moved on;
 * *out_unknown when the row is new and no device has that address */
static int note_sighting(struct ww_db *db, const struct inv_sighting *s, bool *out_unknown)
{
    static const char ins[] =
        "INSERT INTO mac_sighting (mac, ip, source, first_seen, last_seen, device_id, state)"
        " SELECT ?1, ?2, ?3, ?4, ?4, d.id, CASE WHEN d.id IS NULL THEN 'new' ELSE 'known' END"
        " FROM (SELECT (SELECT id FROM device WHERE host = ?2 ORDER BY id LIMIT 1) AS id) d"
        " WHERE true ON CONFLICT (mac, ip) DO NOTHING RETURNING device_id IS NULL";
    static const char upd[] = "UPDATE mac_sighting SET first_seen = min(first_seen, ?3),"
                              "  last_seen = max(last_seen, ?3) WHERE mac = ?1 AND ip = ?2";
    sqlite3_stmt *st = ww_db_stmt(db, ins);
    bool inserted = false;
    int rc;

    *out_unknown = false;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, s->mac, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, s->ip, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, s->source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, s->seen_at);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        inserted = true;
        *out_unknown = sqlite3_column_int(st, 0) != 0;
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE)
        return ww_error(-EIO, "inventory: mac_sighting: %s", sqlite3_errmsg(db->sql));
    if (inserted)
        return 0;
    st = ww_db_stmt(db, upd);
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, s->mac, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, s->ip, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, s->seen_at);
    return inv_step(db, st, "mac_sighting");
}

static bool mac_ok(const char *mac)
{
    /* "aa:bb:cc:dd:ee:ff", lowercase hex */
    if (!mac || strlen(mac) != 17)
        return false;
    for (int i = 0; i < 17; i++) {
        char c = mac[i];
        if (i % 3 == 2 ? c != ':' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

int inv_probe_save(struct ww_db *db, const struct inv_probe_run *run, size_t *out_new_unknown)
{
    size_t unknown = 0;
    int ret;

    for (size_t i = 0; i < run->nsightings; i++) {
        const struct inv_sighting *s = &run->sightings[i];
        if (!mac_ok(s->mac) || !s->ip || !*s->ip || strlen(s->ip) > 45 || !s->source ||
            (strcmp(s->source, "arp") && strcmp(s->source, "ndp") && strcmp(s->source, "dhcp")))
            /* the probe's own decoder wrote it: a broken contract, not a person's mistake */
            return ww_error(-EINVAL, "inventory: probe run: malformed sighting %zu", i);
    }
    for (size_t i = 0; i < run->nhosts; i++)
        if (!run->hosts[i].addr || strlen(run->hosts[i].addr) > 45)
            return ww_error(-EINVAL, "inventory: probe run: malformed host %zu", i);
    for (size_t i = 0; i < run->nwindows; i++) {
        const struct inv_probe_window *w = &run->windows[i];
        if (!counts_ok(w->classes, w->nclasses) || !counts_ok(w->ports, w->nports) ||
            !counts_ok(w->subnets, w->nsubnets))
            return ww_error(-EINVAL, "inventory: probe run: malformed window %zu", i);
    }
    if ((ret = ww_db_begin(db)) < 0)
        return ret;
    for (size_t i = 0; i < run->nhosts; i++)
        if ((ret = add_host(db, &run->hosts[i])) < 0)
            goto fail;
    for (size_t i = 0; i < run->nwindows; i++)
        if ((ret = add_window(db, &run->windows[i])) < 0 ||
            (ret = add_window_counts(db, &run->windows[i])) < 0)
            goto fail;
    for (size_t i = 0; i < run->nhours; i++)
        if ((ret = add_hour(db, &run->hours[i])) < 0)
            goto fail;
    for (size_t i = 0; i < run->nsightings; i++) {
        bool fresh;
        if ((ret = note_sighting(db, &run->sightings[i], &fresh)) < 0)
            goto fail;
        unknown += fresh;
    }
    if ((ret = ww_db_commit(db)) < 0)
        goto fail;
    if (out_new_unknown)
        *out_new_unknown = unknown;
    return 0;
fail:
    ww_db_rollback(db);
    return ret;
}

int inv_sighting_list(struct ww_db *db, const char *state, struct inv_sighting_row **out_items,
                      size_t *out_n)
{
    static const char sql[] =
        "SELECT id, mac, ip, source, first_seen, last_seen, coalesce(device_id, 0), state"
        " FROM mac_sighting WHERE ?1 IS NULL OR state = ?1 ORDER BY first_seen, id LIMIT 10000";
    struct inv_sighting_row *v = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    if (state)
        sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = ww_reallocarray(v, cap, sizeof(*v));
        }
        struct inv_sighting_row *r = &v[n++];
        memset(r, 0, sizeof(*r));
        r->id = sqlite3_column_int64(st, 0);
        ww_strlcpy(r->mac, (const char *)sqlite3_column_text(st, 1), sizeof(r->mac));
        ww_strlcpy(r->ip, (const char *)sqlite3_column_text(st, 2), sizeof(r->ip));
        ww_strlcpy(r->source, (const char *)sqlite3_column_text(st, 3), sizeof(r->source));
        r->first_seen = sqlite3_column_int64(st, 4);
        r->last_seen = sqlite3_column_int64(st, 5);
        r->device_id = sqlite3_column_int64(st, 6);
        ww_strlcpy(r->state, (const char *)sqlite3_column_text(st, 7), sizeof(r->state));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return ww_error(-EIO, "inventory: mac_sighting: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = v;
    *out_n = n;
    return 0;
}

int inv_traffic_json(struct ww_db *db, long long from, long long to, int last_windows,
                     char **out_json)
{
    /* the windows of the range; the last ones for the top talkers; sums in SQL, JSON text
     * built by SQLite (json(): a scalar subquery's result would lose its JSON subtype) */
#define W_IN " start >= ?1 AND start < ?2"
#define LAST_W "(SELECT start, top_json FROM probe_window WHERE" W_IN " ORDER BY start DESC LIMIT ?3)"
    static const char sql[] =
        "SELECT json_object("
        " 'pkts', (SELECT coalesce(sum(pkts), 0) FROM probe_window WHERE" W_IN "),"
        " 'bytes', (SELECT coalesce(sum(bytes), 0) FROM probe_window WHERE" W_IN "),"
        " 'windows', (SELECT count(*) FROM probe_window WHERE" W_IN "),"
        " 'hours', json((SELECT json_group_array(json_object('start', start, 'up', up_bytes,"
        "   'down', down_bytes)) FROM (SELECT * FROM probe_hour WHERE" W_IN " ORDER BY start))),"
        " 'mix', json((SELECT json_group_array(json_object('class', class, 'pkts', p,"
        "   'bytes', b)) FROM (SELECT class, sum(pkts) AS p, sum(bytes) AS b FROM probe_class"
        "   WHERE" W_IN " GROUP BY class ORDER BY b DESC, class))),"
        " 'ports', json((SELECT json_group_array(json_object('port', port, 'pkts', p,"
        "   'bytes', b)) FROM (SELECT port, sum(pkts) AS p, sum(bytes) AS b FROM probe_port"
        "   WHERE" W_IN " GROUP BY port ORDER BY b DESC, port LIMIT 10))),"
        " 'subnets', json((SELECT json_group_array(json_object('cidr', cidr, 'tx_pkts', tp,"
        "   'tx_bytes', tb, 'rx_pkts', rp, 'rx_bytes', rb)) FROM (SELECT cidr, sum(tx_pkts) AS tp,"
        "   sum(tx_bytes) AS tb, sum(rx_pkts) AS rp, sum(rx_bytes) AS rb FROM probe_subnet"
        "   WHERE" W_IN " GROUP BY cidr ORDER BY cidr))),"
        " 'top_from', (SELECT min(start) FROM " LAST_W "),"
        " 'top_to', (SELECT max(start) + 300 FROM " LAST_W "),"
        " 'top', json((SELECT json_group_array(json_object('addr', addr, 'bytes', b,"
        "   'device_id', d.id, 'device', d.name)) FROM (SELECT json_extract(j.value, '$.addr')"
        "   AS addr, sum(json_extract(j.value, '$.bytes')) AS b FROM " LAST_W " w,"
        "   json_each(w.top_json) j GROUP BY addr ORDER BY b DESC, addr LIMIT 10) t"
        "   LEFT JOIN device d ON d.id = (SELECT id FROM device WHERE host = t.addr"
        "   ORDER BY id LIMIT 1))))";
#undef W_IN
#undef LAST_W
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int(st, 3, last_windows);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_json = ww_db_text(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW || !*out_json)
        return ww_error(-EIO, "inventory: traffic: %s", sqlite3_errmsg(db->sql));
    return 0;
}

int inv_sighting_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_object('id', id, 'mac', mac, 'ip', ip, 'source', source,"
                        " 'first_seen', first_seen, 'last_seen', last_seen,"
                        " 'device_id', device_id, 'state', state)"
                        " FROM mac_sighting WHERE id=?1",
                        id, out_json);
}

int inv_apply_sighting_decide(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    static const char sql[] = "UPDATE mac_sighting SET state = ?2 WHERE id = ?1";
    const char *state = ctx;
    sqlite3_stmt *st;

    /* a person decides between these two; "new" and "known" are the probe's */
    if (!state || (strcmp(state, "accepted") != 0 && strcmp(state, "flagged") != 0))
        return inv_refuse(-EINVAL, "status", "not_one_of", "accepted flagged");
    st = ww_db_stmt(db, sql);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
    return inv_changed(db, inv_step(db, st, "status"));
}
