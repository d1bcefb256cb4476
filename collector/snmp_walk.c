/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp_walk.c - the full poll: the system group and profile scalars in one GET (SNMPv1
 * drops what the agent lacks and asks again), then every table walked with multi-column
 * GETBULK, GETNEXT for v1 or an agent that mishandles GETBULK. A walk stops at the end of
 * its columns, at an OID that does not increase (broken agents loop), at COLL_MAX_VALUES and
 * at the deadline; tooBig halves the repetitions.
 */
#include "collector/snmp_int.h"

#include <stdio.h>
#include <string.h>

#include "common/banned.h"

/* the agent's error status as "2 (noSuchName)": its number and the short name net-snmp puts
 * in parentheses at the start of its text */
static void errstat_param(long errstat, char *out, size_t size)
{
    const char *s = snmp_errstring((int)errstat);
    const char *end = s && s[0] == '(' ? strchr(s, ')') : NULL;

    if (end)
        snprintf(out, size, "%ld (%.*s)", errstat, (int)(end - s - 1), s + 1);
    else
        snprintf(out, size, "%ld", errstat);
}

void coll_ask_system(struct dev *d)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
    oid name[MAX_OID_LEN];

    for (size_t i = 0; i < 64; i++)
        if (d->sys_left & (1ULL << i))
            snmp_add_null_var(pdu, name, coll_system_oid(i, name));
    coll_send_pdu(d, pdu);
}

/* table @i of this poll: the standard ones, then the matched profile's values */
static const struct table *table_at(const struct dev *d, size_t i)
{
    if (i < WW_ARRAY_SIZE(coll_tables))
        return &coll_tables[i];
    return i == WW_ARRAY_SIZE(coll_tables) ? coll_profile_table(d->r->profile) : NULL;
}

/* the next table with columns left, or finish */
void coll_ask_walk(struct dev *d)
{
    netsnmp_pdu *pdu;
    const struct table *tb;
    int reps;

    for (;;) {
        if (!(tb = table_at(d, d->table))) {
            coll_dev_finish(d);
            return;
        }
        d->nasked = 0;
        for (size_t i = 0; i < tb->ncols && !(d->one_col && d->nasked); i++)
            if (!d->col_done[i])
                d->asked[d->nasked++] = i;
        if (d->nasked)
            break;
        /* next table: every column starts at its base OID */
        d->table++;
        if (d->table == FIRST_NEIGHBOR_TABLE && !d->t->neighbors)
            d->table = WW_ARRAY_SIZE(coll_tables);
        if (table_at(d, d->table)) {
            const struct table *nt = table_at(d, d->table);
            for (size_t i = 0; i < nt->ncols; i++) {
                d->col_done[i] = false;
                memcpy(d->cur[i], nt->cols[i].base, nt->cols[i].len * sizeof(oid));
                d->cur_len[i] = nt->cols[i].len;
            }
        }
    }
    pdu = snmp_pdu_create(d->v1 || d->no_bulk ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
    reps = d->budget / (int)d->nasked;
    if (!d->v1 && !d->no_bulk) {
        pdu->non_repeaters = 0;
        pdu->max_repetitions = reps > 0 ? reps : 1;
    }
    for (size_t k = 0; k < d->nasked; k++)
        snmp_add_null_var(pdu, d->cur[d->asked[k]], d->cur_len[d->asked[k]]);
    coll_send_pdu(d, pdu);
}

static void start_walk(struct dev *d)
{
    d->phase = PH_WALK;
    d->table = (size_t)-1;
    d->budget = BULK_BUDGET;
    /* coll_ask_walk() moves to table 0 and loads its columns */
    for (size_t i = 0; i < MAX_COLS; i++)
        d->col_done[i] = true;
    d->table = 0;
    for (size_t i = 0; i < coll_tables[0].ncols; i++) {
        d->col_done[i] = false;
        memcpy(d->cur[i], coll_tables[0].cols[i].base, coll_tables[0].cols[i].len * sizeof(oid));
        d->cur_len[i] = coll_tables[0].cols[i].len;
    }
    coll_ask_walk(d);
}

void coll_on_system(struct dev *d, netsnmp_pdu *pdu)
{
    if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex > 0) {
        /* SNMPv1: one missing object fails the whole GET: drop it and ask again */
        long k = 0;
        for (size_t i = 0; i < 64; i++) {
            if (!(d->sys_left & (1ULL << i)))
                continue;
            if (++k == pdu->errindex) {
                d->sys_left &= ~(1ULL << i);
                break;
            }
        }
        if (d->sys_left) {
            coll_ask_system(d);
            return;
        }
    } else if (pdu->errstat != SNMP_ERR_NOERROR) {
        char param[COLL_ERR_PARAM_MAX];
        errstat_param(pdu->errstat, param, sizeof(param));
        coll_set_error(d->r, COLL_ERR_AGENT_ERROR, param, "agent answered error %ld (%s)",
                       pdu->errstat, snmp_errstring((int)pdu->errstat));
        coll_dev_finish(d);
        return;
    } else {
        for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable) {
            if (coll_take_scalar(d->r, v))
                d->sys_seen++;
            coll_profile_probe_take(d->r, v);
        }
    }
    if (d->sys_seen == 0) {
        coll_set_error(d->r, COLL_ERR_NO_SYSTEM_GROUP, NULL,
                       "agent answers but gives no system group");
        coll_dev_finish(d);
        return;
    }
    d->r->ok = true;
    d->r->profile = coll_profile_match(d->r);
    start_walk(d);
}

void coll_on_walk(struct dev *d, netsnmp_pdu *pdu)
{
    const struct table *tb = table_at(d, d->table);
    size_t k = 0;

    if (pdu->errstat == SNMP_ERR_TOOBIG && d->budget > (int)d->nasked) {
        d->budget /= 2;
        coll_ask_walk(d);
        return;
    }
    if (pdu->errstat == SNMP_ERR_NOSUCHNAME && d->v1 && pdu->errindex > 0 &&
        (size_t)pdu->errindex <= d->nasked) {
        /* v1 end of view for one column */
        d->col_done[d->asked[pdu->errindex - 1]] = true;
        coll_ask_walk(d);
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR && !d->v1 && !d->no_bulk) {
        /* some agents fail GETBULK (genErr, tooBig even for one row): GETNEXT from here on */
        d->no_bulk = true;
        coll_ask_walk(d);
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR) {
        for (size_t i = 0; i < tb->ncols; i++)
            d->col_done[i] = true; /* this table ends here; the device stays up */
        coll_ask_walk(d);
        return;
    }
    if (d->table == 0) /* ifTable: the counters' own time, not the end of the whole poll */
        d->r->if_mono_ms = ww_mono_ms();
    /* varbinds come row by row: repetition r, asked column j at r * nasked + j */
    for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, k++) {
        size_t ci = d->asked[k % d->nasked];
        const struct column *col = &tb->cols[ci];

        if (d->col_done[ci])
            continue;
        if (coll_is_exception(v) || v->name_length < col->len + 1 ||
            snmp_oidtree_compare(col->base, col->len, v->name, v->name_length) != 0 ||
            snmp_oid_compare(v->name, v->name_length, d->cur[ci], d->cur_len[ci]) <= 0) {
            d->col_done[ci] = true; /* left the column, or the agent went backwards */
            continue;
        }
        if (++d->r->n_values > COLL_MAX_VALUES) {
            coll_set_error(d->r, COLL_ERR_TOO_MANY_VALUES, WW_STR(COLL_MAX_VALUES),
                           "more than %d values: the rest ignored", COLL_MAX_VALUES);
            coll_dev_finish(d);
            return;
        }
        if (col->kind == C_PROF)
            coll_profile_take(d->r, col->pv, v->name + col->len, v->name_length - col->len, v);
        else
            coll_take_cell(d->r, col->kind, v->name + col->len, v->name_length - col->len, v);
        memcpy(d->cur[ci], v->name, v->name_length * sizeof(oid));
        d->cur_len[ci] = v->name_length;
    }
    if (k == 0) /* an empty answer would loop forever */
        for (size_t i = 0; i < tb->ncols; i++)
            d->col_done[i] = true;
    coll_ask_walk(d);
}
