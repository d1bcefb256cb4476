/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outage.c - what people do about an outage (schema v12): acknowledge it (who, when, with a
 * note) and write notes on it later; and the one owner of two rules about a device that does
 * not answer: what was seen (inv_down_cause()) and whether its open outage was acknowledged,
 * which stops the alert evaluator's repeats (inv_outage_acked_open()).
 *
 * DESIGN. An outage is an event row of type down, unreachable or if_down (availability.c
 * lists them); its acknowledgement is two columns of that row, so the outage log reads it in
 * the same query, and its notes are rows of outage_note in the order written, the
 * acknowledgement's own note marked ack. Changes come through inv_change_run() (object type
 * "outage", snapshot inv_outage_snapshot()), so each has its audit entry. The text of a note
 * is hostile: checked as text people type (UTF-8, no control characters, bounded) and
 * escaped by whoever shows it.
 */
#include "inventory/inventory_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define OUTAGE_TYPES "('down', 'unreachable', 'if_down')"

int inv_outage_get(struct ww_db *db, long long id, time_t now, struct inv_outage *out)
{
    struct inv_outage_filter f = {.open = -1, .id = id};
    struct inv_outage *items = NULL;
    size_t n = 0;
    int ret;

    memset(out, 0, sizeof(*out));
    if (id <= 0)
        return -ENOENT;
    ret = inv_outage_list(db, &f, now, 1, 0, &items, &n, NULL); /* one row: no count */
    if (ret < 0)
        return ret;
    if (n == 0) {
        inv_outage_list_free(items, n);
        return -ENOENT;
    }
    *out = items[0];
    free(items);
    return 0;
}

void inv_outage_release(struct inv_outage *o)
{
    free(o->device_name);
    free(o->interface_name);
    free(o->type);
    free(o->acked_by);
    memset(o, 0, sizeof(*o));
}

/* the outage's acknowledgement, or -ENOENT when @id is no outage */
static int outage_ack_of(struct ww_db *db, long long id, long long *out_acked_at)
{
    return inv_int_row(db, "SELECT coalesce(acked_at, 0) FROM event WHERE id = ?1"
                           " AND type IN " OUTAGE_TYPES, id, out_acked_at);
}

static int note_insert(struct ww_db *db, long long id, const char *author, time_t now, bool ack,
                       const char *text)
{
    sqlite3_stmt *st;
    long long n = 0;
    int ret = inv_int_row(db, "SELECT count(*) FROM outage_note WHERE event_id = ?1", id, &n);

    if (ret < 0)
        return ret;
    if (n >= INV_OUTAGE_NOTES_MAX)
        return inv_refuse(-EINVAL, "note", "too_many", "%d", INV_OUTAGE_NOTES_MAX);
    st = ww_db_prepare(db, "INSERT INTO outage_note (event_id, author, created_at, ack, text)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, author, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
    sqlite3_bind_int(st, 4, ack);
    sqlite3_bind_text(st, 5, text ? text : "", -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "note");
}

int inv_outage_ack(struct ww_db *db, long long id, const char *author, time_t now,
                   const char *note)
{
    long long acked_at = 0;
    sqlite3_stmt *st;
    int ret;

    if (!author || !*author)
        return inv_refuse(-EINVAL, "record", "required", NULL);
    if ((ret = inv_check_text("note", note, INV_OUTAGE_NOTE_MAX, false)) < 0)
        return ret;
    if ((ret = outage_ack_of(db, id, &acked_at)) < 0)
        return ret;
    if (acked_at > 0)
        return inv_refuse(-EEXIST, "record", "already_acked", NULL);
    st = ww_db_prepare(db, "UPDATE event SET acked_at = ?2, acked_by = ?3 WHERE id = ?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
    sqlite3_bind_text(st, 3, author, -1, SQLITE_TRANSIENT);
    if ((ret = inv_step_final(db, st, "record")) < 0)
        return ret;
    /* the acknowledgement is the first line of the outage's notes, with or without words */
    return note_insert(db, id, author, now, true, note);
}

int inv_outage_note_add(struct ww_db *db, long long id, const char *author, time_t now,
                        const char *text)
{
    long long acked_at = 0;
    int ret;

    if (!author || !*author)
        return inv_refuse(-EINVAL, "record", "required", NULL);
    if ((ret = inv_check_text("note", text, INV_OUTAGE_NOTE_MAX, true)) < 0)
        return ret;
    if ((ret = outage_ack_of(db, id, &acked_at)) < 0)
        return ret;
    return note_insert(db, id, author, now, false, text);
}

void inv_outage_notes_free(struct inv_outage_note *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].author);
        free(items[i].text);
    }
    free(items);
}

int inv_outage_notes(struct ww_db *db, long long id, struct inv_outage_note **out_items,
                     size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, author, created_at, ack, text"
                                         " FROM outage_note WHERE event_id = ?1 ORDER BY id");
    struct inv_outage_note *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        items[n].id = sqlite3_column_int64(st, 0);
        items[n].author = ww_db_text(st, 1);
        items[n].created_at = sqlite3_column_int64(st, 2);
        items[n].ack = sqlite3_column_int(st, 3) != 0;
        items[n].text = ww_db_text(st, 4);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_outage_notes_free(items, n);
        return ww_error(-EIO, "inventory: notes of outage %lld: %s", id, sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_outage_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(
        db, "SELECT json_object('id', e.id, 'device_id', e.device_id, 'type', e.type,"
            " 'started_at', e.started_at, 'acked_at', e.acked_at, 'acked_by', e.acked_by,"
            " 'notes', (SELECT json_group_array(json_object('author', n.author, 'at',"
            " n.created_at, 'ack', n.ack, 'text', n.text)) FROM"
            " (SELECT * FROM outage_note WHERE event_id = e.id ORDER BY id) n))"
            " FROM event e WHERE e.id = ?1 AND e.type IN " OUTAGE_TYPES,
        id, out_json);
}

int inv_outage_acked_open(struct ww_db *db, long long device_id, long long interface_id,
                          bool *out_acked)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, interface_id > 0
                ? "SELECT 1 FROM event WHERE device_id = ?1 AND interface_id = ?2"
                  " AND type = 'if_down' AND ended_at IS NULL AND acked_at IS NOT NULL LIMIT 1"
                : "SELECT 1 FROM event WHERE device_id = ?1 AND interface_id IS NULL"
                  " AND type IN ('down', 'unreachable') AND ended_at IS NULL"
                  " AND acked_at IS NOT NULL LIMIT 1");
    int rc;

    *out_acked = false;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    if (interface_id > 0)
        sqlite3_bind_int64(st, 2, interface_id);
    rc = sqlite3_step(st);
    *out_acked = rc == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? 0
               : ww_error(-EIO, "inventory: open outage of device %lld: %s", device_id,
                          sqlite3_errmsg(db->sql));
}

const char *inv_down_cause(const char *state, const char *last_reason, int icmp_ok)
{
    if (!state)
        return NULL;
    if (strcmp(state, "unreachable") == 0)
        return "parent_down";
    if (strcmp(state, "down") != 0 && strcmp(state, "unknown") != 0)
        return NULL;
    if (last_reason && (strcmp(last_reason, "v3_refused") == 0 ||
                        strcmp(last_reason, "v3_config") == 0))
        return "auth_refused";
    if (last_reason && (strcmp(last_reason, "agent_error") == 0 ||
                        strcmp(last_reason, "no_system_group") == 0))
        return "agent_error";
    if (!last_reason)
        return strcmp(state, "down") == 0 ? "no_answer" : NULL;
    /* no SNMP answer (timeout, deadline, send_failed, ...): what ICMP said tells a host that
     * is there from one that is not; v2c's wrong community looks like this too */
    if (icmp_ok == 1)
        return "icmp_only";
    return "no_answer";
}
