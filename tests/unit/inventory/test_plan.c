/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_plan.c - the replacement plan (inventory/plan.c): a fixed fleet in three units over
 * 2027-2029, each scenario with its why and the items computed by hand (rollover, a pin over
 * the budget, deferrals, upgrades instead of replacement, a budget of 0, a unit merged in
 * 2028, a link upgrade, a kind without a price); then the audited changes of prices,
 * budgets, decisions and versions against a database, and what changed since a version.
 *
 * Prices: pc 15,000,000; ram_upgrade 1,000,000; disk_upgrade 1,500,000; link_upgrade
 * 5,000,000; printer none. Units: 1 Phường An Hòa, 2 Phường Bình Minh, 3 Xã Cát (merged into
 * 1 in 2028). Defaults: replace now from a score of 60, upgrade from 24 months left, links
 * from 80%.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

#define M 1000000LL
#define MAXN 8

enum neck { NONE, MEM, DISK, CPU_MEM };

struct dev_spec {
    long long id, unit;
    const char *kind, *status;
    long long score, remaining;
    enum neck neck;
};
struct want {
    long long device_id, interface_id;
    const char *action, *state;
    int year;
    long long unit, price;
    int rolled;
};
struct scenario {
    const char *why;
    struct dev_spec devs[MAXN];
    struct inv_plan_budget budgets[MAXN];
    struct inv_plan_decision decisions[MAXN];
    struct inv_plan_link links[MAXN];
    struct want want[MAXN]; /* every item of the plan, in its order */
    /* a cell to check: unit, year, budget, used (0 unit = none) */
    struct inv_plan_cell cell;
};

static struct inv_plan_price prices[] = {
    {(char *)"disk_upgrade", 3 * M / 2}, {(char *)"link_upgrade", 5 * M},
    {(char *)"pc", 15 * M}, {(char *)"ram_upgrade", 1 * M}};
static struct inv_plan_unit units[] = {
    {1, (char *)"Phường An Hòa", 0, 0}, {2, (char *)"Phường Bình Minh", 0, 0},
    {3, (char *)"Xã Cát", 1, 2028}};

static size_t count_devs(const struct scenario *s)
{
    size_t n = 0;
    while (n < MAXN && s->devs[n].id)
        n++;
    return n;
}

/* a score with the terms the bottleneck rule reads, the total as given */
static void make_device(const struct dev_spec *ds, struct inv_plan_device *d)
{
    memset(d, 0, sizeof(*d));
    d->device_id = ds->id;
    d->unit_id = ds->unit;
    d->kind = (char *)(ds->kind ? ds->kind : "pc");
    d->status = (char *)ds->status;
    d->remaining_months = ds->remaining;
    d->score.total = ds->score;
    if (ds->neck == CPU_MEM)
        d->score.t[d->score.n++] = (struct inv_score_term){"cpu_high", 30, 90, 5};
    if (ds->neck == MEM || ds->neck == CPU_MEM)
        d->score.t[d->score.n++] = (struct inv_score_term){"mem_pressure", 60, 90, 10};
    if (ds->neck == DISK)
        d->score.t[d->score.n++] = (struct inv_score_term){"disk_full", 70, 90, 16};
}

static void test_scenarios(void **state)
{
    static const struct scenario cases[] = {
        {"rollover: a unit-year is filled in score order; the third PC does not fit 30M and "
         "rolls to 2028",
         {{21, 2, 0, 0, 90, 0, NONE}, {22, 2, 0, 0, 80, 0, NONE}, {23, 2, 0, 0, 70, 0, NONE}},
         {{2, 2027, 30 * M}, {2, 2028, 30 * M}},
         {{0}}, {{0}},
         {{21, 0, "replace", "planned", 2027, 2, 15 * M, 0},
          {22, 0, "replace", "planned", 2027, 2, 15 * M, 0},
          {23, 0, "replace", "planned", 2028, 2, 15 * M, 1}},
         {2, 2027, 30 * M, 30 * M, 2}},
        {"a pin goes first in its year even over the budget (10M, used 15M); the higher score "
         "then rolls to 2028",
         {{11, 1, 0, 0, 95, 0, NONE}, {12, 1, 0, 0, 10, 0, NONE}},
         {{1, 2027, 10 * M}, {1, 2028, 20 * M}},
         {{12, (char *)"pin", 2027, NULL, NULL}}, {{0}},
         {{12, 0, "replace", "planned", 2027, 1, 15 * M, 0},
          {11, 0, "replace", "planned", 2028, 1, 15 * M, 1}},
         {1, 2027, 10 * M, 15 * M, 1}},
        {"a budget of 0 plans nothing: both roll over every year and end unfunded",
         {{21, 2, 0, 0, 90, 0, NONE}, {22, 2, 0, 0, 80, 0, NONE}},
         {{0}}, {{0}}, {{0}},
         {{21, 0, "replace", "unfunded", 0, 2, 15 * M, 3},
          {22, 0, "replace", "unfunded", 0, 2, 15 * M, 3}},
         {2, 2029, 0, 0, 0}},
        {"deferred to 2029 waits for it with money to spare; deferred with no year leaves the "
         "plan (listed as deferred)",
         {{13, 1, 0, 0, 85, 0, NONE}, {14, 1, 0, 0, 84, 0, NONE}},
         {{1, 2027, 100 * M}, {1, 2028, 100 * M}, {1, 2029, 100 * M}},
         {{13, (char *)"defer", 2029, NULL, NULL}, {14, (char *)"defer", 0, NULL, NULL}}, {{0}},
         {{13, 0, "replace", "planned", 2029, 1, 15 * M, 0},
          {14, 0, "replace", "deferred", 0, 1, 15 * M, 0}},
         {0}},
        {"upgrades: memory pressure with 36 months left is RAM at 1M, a full disk an SSD at "
         "1.5M; high CPU with it is no part's fault (score 40 and due 2030: not in the plan); "
         "10 months left is too old for a part: replaced (score 65)",
         {{15, 1, 0, 0, 40, 36, MEM}, {16, 1, 0, 0, 30, 36, DISK}, {17, 1, 0, 0, 40, 36, CPU_MEM},
          {18, 1, 0, 0, 65, 10, MEM}},
         {{1, 2027, 100 * M}},
         {{0}}, {{0}},
         {{18, 0, "replace", "planned", 2027, 1, 15 * M, 0},
          {15, 0, "upgrade_ram", "planned", 2027, 1, 1 * M, 0},
          {16, 0, "upgrade_disk", "planned", 2027, 1, 3 * M / 2, 0}},
         {1, 2027, 100 * M, 35 * M / 2, 3}},
        {"in stock, to dispose and disposed are never planned, whatever their score",
         {{41, 1, 0, "in_stock", 99, 0, NONE}, {42, 1, 0, "to_dispose", 99, 0, NONE},
          {43, 1, 0, "disposed", 99, 0, NONE}, {44, 1, 0, "in_repair", 99, 0, NONE}},
         {{1, 2027, 100 * M}}, {{0}}, {{0}},
         {{44, 0, "replace", "planned", 2027, 1, 15 * M, 0}},
         {0}},
        {"Xã Cát merges into An Hòa in 2028: its PC finds no money of its own in 2027, and in "
         "2028 it is An Hòa's with Xã Cát's 2028 budget; Xã Cát has no cell from 2028",
         {{31, 3, 0, 0, 90, 0, NONE}},
         {{3, 2028, 15 * M}},
         {{0}}, {{0}},
         {{31, 0, "replace", "planned", 2028, 1, 15 * M, 1}},
         {1, 2028, 15 * M, 15 * M, 1}},
        {"a link at 85% of its speed in office hours (p95) is a bandwidth upgrade; 79.9% is not",
         {{0}}, {{2, 2027, 10 * M}}, {{0}},
         {{51, 501, 2, "Router", "wan0", 85.0}, {52, 502, 2, "Router 2", "wan1", 79.9}},
         {{51, 501, "upgrade_link", "planned", 2027, 2, 5 * M, 0}},
         {2, 2027, 10 * M, 5 * M, 1}},
        {"a kind without a price is listed (no_price), never placed: the money goes to the PC",
         {{61, 2, "printer", 0, 99, 0, NONE}, {62, 2, 0, 0, 70, 0, NONE}},
         {{2, 2027, 15 * M}}, {{0}}, {{0}},
         {{62, 0, "replace", "planned", 2027, 2, 15 * M, 0},
          {61, 0, "replace", "no_price", 0, 2, 0, 0}},
         {2, 2027, 15 * M, 15 * M, 1}},
        {"due by its lifespan: 14 months left in January 2027 is 2028, though its score is low",
         {{71, 2, 0, 0, 20, 14, NONE}},
         {{2, 2027, 50 * M}, {2, 2028, 50 * M}}, {{0}}, {{0}},
         {{71, 0, "replace", "planned", 2028, 2, 15 * M, 0}},
         {0}},
    };
    struct inv_plan_settings s;

    (void)state;
    inv_plan_settings_default(&s);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct scenario *c = &cases[i];
        struct inv_plan_device devs[MAXN];
        struct inv_plan_input in = {.first_year = 2027, .horizon = 3, .today_month = 1,
                                    .settings = &s, .devices = devs, .prices = prices,
                                    .nprices = WW_ARRAY_SIZE(prices), .budgets = c->budgets,
                                    .decisions = c->decisions, .links = c->links,
                                    .units = units, .nunits = WW_ARRAY_SIZE(units)};
        struct inv_plan p;
        size_t nwant = 0;

        in.ndevices = count_devs(c);
        for (size_t k = 0; k < in.ndevices; k++)
            make_device(&c->devs[k], &devs[k]);
        while (in.nbudgets < MAXN && c->budgets[in.nbudgets].unit_id)
            in.nbudgets++;
        while (in.ndecisions < MAXN && c->decisions[in.ndecisions].device_id)
            in.ndecisions++;
        while (in.nlinks < MAXN && c->links[in.nlinks].device_id)
            in.nlinks++;
        while (nwant < MAXN && c->want[nwant].device_id)
            nwant++;
        assert_int_equal(inv_plan_build(&in, &p), 0);
        if (p.n != nwant)
            fail_msg("case %zu (%s): %zu items, want %zu", i, c->why, p.n, nwant);
        for (size_t k = 0; k < nwant; k++) {
            const struct inv_plan_item *g = &p.items[k];
            const struct want *w = &c->want[k];
            if (g->device_id != w->device_id || g->interface_id != w->interface_id ||
                strcmp(g->action, w->action) != 0 || strcmp(g->state, w->state) != 0 ||
                g->year != w->year || g->unit_id != w->unit || g->price_vnd != w->price ||
                g->rolled != w->rolled)
                fail_msg("case %zu (%s): item %zu is #%lld/%lld %s %s %d unit %lld %lld VND "
                         "rolled %d; want #%lld/%lld %s %s %d unit %lld %lld VND rolled %d",
                         i, c->why, k, g->device_id, g->interface_id, g->action, g->state,
                         g->year, g->unit_id, g->price_vnd, g->rolled, w->device_id,
                         w->interface_id, w->action, w->state, w->year, w->unit, w->price,
                         w->rolled);
        }
        if (c->cell.unit_id) {
            const struct inv_plan_cell *cell = NULL;
            for (size_t k = 0; k < p.ncells; k++)
                if (p.cells[k].unit_id == c->cell.unit_id && p.cells[k].year == c->cell.year)
                    cell = &p.cells[k];
            if (!cell || cell->budget_vnd != c->cell.budget_vnd ||
                cell->used_vnd != c->cell.used_vnd || cell->items != c->cell.items)
                fail_msg("case %zu (%s): cell %lld/%d is %lld/%lld with %lld items", i, c->why,
                         c->cell.unit_id, c->cell.year, cell ? cell->budget_vnd : -1,
                         cell ? cell->used_vnd : -1, cell ? cell->items : -1);
        }
        /* every scenario: a merged unit has no cell from its merger's year */
        for (size_t k = 0; k < p.ncells; k++)
            if (p.cells[k].unit_id == 3 && p.cells[k].year >= 2028)
                fail_msg("case %zu (%s): Xã Cát still has a cell in %d", i, c->why,
                         p.cells[k].year);
        inv_plan_release(&p);
    }
}

static void test_bad_horizon(void **state)
{
    struct inv_plan_settings s;
    struct inv_plan_input in = {.first_year = 2027, .horizon = 0, .settings = &s};
    struct inv_plan p;

    (void)state;
    inv_plan_settings_default(&s);
    /* why: a horizon of 0 years (or more than 20) is no plan */
    assert_int_equal(inv_plan_build(&in, &p), -EINVAL);
    in.horizon = 21;
    assert_int_equal(inv_plan_build(&in, &p), -EINVAL);
}

static struct inv_actor actor = {.name = "quanly", .source = "cli"};

static int run(struct ww_db *db, struct inv_change *ch)
{
    int ret;

    ch->actor = &actor;
    ret = inv_change_run(db, ch);
    free(ch->after);
    ch->after = NULL;
    return ret;
}

static long long add_unit_device(struct ww_db *db, const char *name, const char *host)
{
    struct inv_device d;
    long long id = 0;

    inv_device_init(&d);
    d.name = (char *)name;
    d.host = (char *)host;
    d.kind = (char *)"pc";
    d.purchase_date = (char *)"2015-01-10";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    return id;
}

/* the records: changes audited, refused with a field and a reason; a version saved and
 * what changed since it */
static void test_records_and_versions(void **state)
{
    struct ww_db *db = *state;
    struct inv_plan_price pr[] = {{(char *)"pc", 15 * M}, {(char *)"ram_upgrade", M}};
    struct inv_plan_price bad_item[] = {{(char *)"yacht", M}};
    struct inv_plan_prices_edit pe = {pr, 2};
    struct inv_plan_budget bu[] = {{1, 2027, 15 * M}};
    struct inv_plan_budgets_edit be = {bu, 1};
    struct inv_plan_decision pin = {.action = (char *)"pin", .year = 2028};
    struct inv_plan_decision bad = {.action = (char *)"forget", .year = 2028};
    struct inv_change ch;
    struct inv_refusal why;
    struct inv_rules *rules = NULL;
    struct inv_plan_data d;
    struct inv_plan_input in;
    struct inv_plan p;
    struct inv_plan_version v;
    struct inv_plan_version_new vn = {.note = "dự thảo lần 1", .now = 1800000000};
    struct inv_plan_change *changes = NULL;
    size_t nchanges = 0;
    char err[256];
    long long a, b;

    assert_int_equal(inv_rules_load(WW_RULES_DIR, &rules, err, sizeof(err)), 0);
    assert_int_equal(ww_db_exec(db, "INSERT INTO org_unit (id, name) VALUES (1, 'Phường An Hòa')"),
                     0);
    a = add_unit_device(db, "Máy kế toán", "10.0.0.1");
    b = add_unit_device(db, "Máy văn thư", "10.0.0.2");
    assert_int_equal(ww_db_exec(db, "UPDATE device SET unit_id = 1"), 0);

    ch = (struct inv_change){.action = "plan.prices", .object_type = "plan_prices", .key = "all",
                             .may_be_new = true, .apply = inv_apply_plan_prices, .ctx = &pe};
    assert_int_equal(run(db, &ch), 0);
    /* why: an item that is neither a kind nor an upgrade is refused, nothing written */
    pe = (struct inv_plan_prices_edit){bad_item, 1};
    assert_int_equal(run(db, &ch), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "item");
    assert_string_equal(why.reason, "not_one_of");
    ch = (struct inv_change){.action = "plan.budgets", .object_type = "plan_budgets",
                             .key = "all", .may_be_new = true, .apply = inv_apply_plan_budgets,
                             .ctx = &be};
    assert_int_equal(run(db, &ch), 0);
    /* why: a budget of a unit that does not exist is refused */
    bu[0].unit_id = 99;
    assert_int_equal(run(db, &ch), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "unit_id");
    ch = (struct inv_change){.action = "plan.decision", .object_type = "plan_decision",
                             .id = b, .may_be_new = true, .apply = inv_apply_plan_decision,
                             .ctx = &pin};
    assert_int_equal(run(db, &ch), 0);
    ch.ctx = &bad;
    assert_int_equal(run(db, &ch), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "action");
    /* why: every accepted change is in the audit log, the refused ones are not */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action LIKE"
                                         " 'plan.%'"),
                     3);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM plan_price"), 2);

    /* the plan of 2027-2031 from the records: both PCs are 12 years old (20*143/60 = 48 -> 40
     * capped: below 60 but long due); one fits 2027's 15M, the pinned one is 2028's */
    assert_int_equal(inv_plan_load(db, rules, "2027-01-05", &d), 0);
    inv_plan_input_of(&d, "2027-01-05", 0, &in);
    assert_int_equal(in.horizon, 5);
    assert_int_equal(inv_plan_build(&in, &p), 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.items[0].device_id, a);
    assert_int_equal(p.items[0].year, 2027);
    assert_int_equal(p.items[1].device_id, b);
    assert_int_equal(p.items[1].year, 2028);
    assert_true(p.items[1].pinned);

    vn.plan = &p;
    ch = (struct inv_change){.action = "plan.version", .object_type = "plan_version",
                             .apply = inv_apply_plan_version, .ctx = &vn};
    assert_int_equal(run(db, &ch), 0);
    assert_true(ch.id > 0);
    inv_plan_release(&p);
    inv_plan_data_release(&d);

    /* why: after unpinning and a dearer PC, one moved 2028 -> 2029 (no budget in 2028: it
     * is unfunded now, so "removed"), the other costs more (cost change) */
    ch = (struct inv_change){.action = "plan.decision.remove", .object_type = "plan_decision",
                             .id = b, .apply = inv_apply_plan_decision_remove};
    assert_int_equal(run(db, &ch), 0);
    pr[0].price_vnd = 14 * M;
    pe = (struct inv_plan_prices_edit){pr, 1};
    ch = (struct inv_change){.action = "plan.prices", .object_type = "plan_prices", .key = "all",
                             .may_be_new = true, .apply = inv_apply_plan_prices, .ctx = &pe};
    assert_int_equal(run(db, &ch), 0);
    assert_int_equal(inv_plan_load(db, rules, "2027-01-05", &d), 0);
    inv_plan_input_of(&d, "2027-01-05", 0, &in);
    assert_int_equal(inv_plan_build(&in, &p), 0);
    assert_int_equal(inv_plan_version_latest(db, &v), 0);
    assert_string_equal(v.note, "dự thảo lần 1");
    assert_int_equal(v.year, 2027);
    assert_int_equal(inv_plan_diff(v.plan_json, &p, &changes, &nchanges), 0);
    assert_int_equal(nchanges, 2);
    assert_string_equal(changes[0].kind, "cost");
    assert_int_equal(changes[0].device_id, a);
    assert_int_equal(changes[0].from_vnd, 15 * M);
    assert_int_equal(changes[0].to_vnd, 14 * M);
    assert_string_equal(changes[1].kind, "removed");
    assert_int_equal(changes[1].device_id, b);
    assert_int_equal(changes[1].from_year, 2028);
    free(changes);
    /* why: a version that is not JSON is refused, not half read */
    assert_int_equal(inv_plan_diff("{oops", &p, &changes, &nchanges), -EINVAL);
    inv_plan_version_release(&v);
    inv_plan_release(&p);
    inv_plan_data_release(&d);
    inv_rules_free(rules);
}

/* a moved item: saved in 2028, now in 2027 */
static void test_diff_moved_added(void **state)
{
    struct inv_plan_item items[] = {
        {.device_id = 5, .action = "replace", .state = "planned", .year = 2027,
         .price_vnd = 15 * M},
        {.device_id = 6, .action = "upgrade_ram", .state = "planned", .year = 2027,
         .price_vnd = M}};
    struct inv_plan now = {.first_year = 2027, .horizon = 5, .items = items, .n = 2};
    const char *saved = "{\"first_year\":2027,\"horizon\":5,\"items\":[{\"device_id\":5,"
                        "\"interface_id\":0,\"action\":\"replace\",\"state\":\"planned\","
                        "\"year\":2028,\"unit_id\":1,\"price_vnd\":15000000,\"score\":70}]}";
    struct inv_plan_change *c = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(inv_plan_diff(saved, &now, &c, &n), 0);
    /* why: #5 moved from 2028 to 2027 at the same price; #6 was not in the saved plan */
    assert_int_equal(n, 2);
    assert_string_equal(c[0].kind, "moved");
    assert_int_equal(c[0].from_year, 2028);
    assert_int_equal(c[0].to_year, 2027);
    assert_string_equal(c[1].kind, "added");
    assert_int_equal(c[1].device_id, 6);
    assert_string_equal(c[1].action, "upgrade_ram");
    free(c);
}

static int count_statement(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)p;
    (void)x;
    (*(int *)ctx)++;
    return 0;
}

/* the statements inv_plan_load() runs against a register of @n devices with facts, health
 * and repairs each */
static int statements_for(struct ww_db *db, const struct inv_rules *rules, int n)
{
    struct inv_plan_data d;
    int count = 0;
    char sql[1024];

    for (int i = 0; i < n; i++) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO device (name, kind, host, purchase_date) VALUES"
                 " ('Máy %d-%d', 'pc', '10.9.%d.%d', '2018-01-01');"
                 "INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)"
                 " VALUES (last_insert_rowid(), 'os', 'Microsoft Windows 10 Pro', 0, 0);"
                 "INSERT INTO health_day (device_id, day, polls, mem_n, mem_high_n)"
                 " SELECT max(id), '2026-12-01', 4, 4, 4 FROM device;"
                 "INSERT INTO device_repair (device_id, day, cost_vnd, work, actor)"
                 " SELECT max(id), '2026-01-01', 100000, 'quạt', 'it' FROM device;",
                 n, i, n, i);
        assert_int_equal(ww_db_exec(db, sql), 0);
    }
    sqlite3_trace_v2(db->sql, SQLITE_TRACE_STMT, count_statement, &count);
    assert_int_equal(inv_plan_load(db, rules, "2026-12-15", &d), 0);
    sqlite3_trace_v2(db->sql, 0, NULL, NULL);
    inv_plan_data_release(&d);
    return count;
}

static void test_fixed_statements(void **state)
{
    struct ww_db *db = *state;
    struct inv_rules *rules = NULL;
    char err[256];
    int few, many;

    assert_int_equal(inv_rules_load(WW_RULES_DIR, &rules, err, sizeof(err)), 0);
    few = statements_for(db, rules, 2);
    many = statements_for(db, rules, 40);
    /* why: the loader reads every device, fact, health day and repair in one statement each,
     * never one per device: 42 devices cost what 2 did */
    if (few != many)
        fail_msg("%d statements for 2 devices, %d for 42", few, many);
    assert_true(few > 0 && few <= 12);
    inv_rules_free(rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test(test_bad_horizon),
        INV_TEST(test_records_and_versions),
        cmocka_unit_test(test_diff_moved_added),
        INV_TEST(test_fixed_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
