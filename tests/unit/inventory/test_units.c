/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_units.c - org units and locations (issue 16, unit.c): what a unit's fields may be
 * (a table of cases, each with its why); the tree refuses loops and a removal that would
 * orphan something; a merger moves the unit's devices, child units and locations in one
 * audited change; the units and each device's unit as they were on days before and after
 * the merger; a device change of its unit writes its history; locations and their kinds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static const struct inv_actor manager = {3, "hoa.tran", "api", "192.0.2.3"};

/* one audited change; the refusal in *why (may be NULL); the record's id in *out_id */
static int run(struct ww_db *db, const char *action, const char *type, long long id,
               int (*apply)(struct ww_db *, void *, struct inv_change *), void *ctx,
               long long *out_id, struct inv_refusal *why)
{
    struct inv_change ch = {.actor = &manager, .action = action, .object_type = type,
                            .id = id, .apply = apply, .ctx = ctx};
    int ret = inv_change_run(db, &ch);

    if (why)
        *why = ch.why;
    if (out_id)
        *out_id = ch.id;
    free(ch.after);
    return ret;
}

static long long unit_add(struct ww_db *db, const char *code, const char *name, long long parent,
                          const char *valid_from)
{
    struct inv_unit u = {.code = (char *)code, .name = (char *)name, .parent_id = parent,
                         .valid_from = (char *)valid_from};
    long long id = 0;
    struct inv_refusal why;

    if (run(db, "unit.add", "unit", 0, inv_apply_unit_add, &u, &id, &why) != 0)
        fail_msg("unit %s refused: %s %s", code, why.field, why.reason);
    return id;
}

static long long device_in(struct ww_db *db, const char *name, const char *host, long long unit,
                           long long location)
{
    struct inv_device d;
    long long id = 0;
    struct inv_refusal why;

    inv_device_init(&d);
    d.name = (char *)name;
    d.host = (char *)host;
    d.kind = (char *)"pc";
    d.unit_id = unit;
    d.location_id = location;
    if (run(db, "device.add", "device", 0, inv_apply_device_add, &d, &id, &why) != 0)
        fail_msg("device %s refused: %s %s", name, why.field, why.reason);
    return id;
}

static void test_unit_validation(void **state)
{
    struct ww_db *db = *state;
    static char long_code[INV_UNIT_CODE_MAX + 2];
    long long ward = unit_add(db, "P-01", "Phường Bến Nghé", 0, NULL);
    const struct {
        const char *code, *name, *level, *valid_from;
        long long parent;
        const char *field, *reason; /* NULL: accepted */
        const char *why;
    } cases[] = {
        {"P-02", "Phường Đa Kao", "ward", "2025-07-01", 0, NULL, NULL,
         "a ward that began with the two-tier government"},
        {"VP-01", "Văn phòng HĐND-UBND", "department", NULL, 1, NULL, NULL,
         "a department under the ward, without a first day"},
        {NULL, "Không mã", NULL, NULL, 0, "unit_code", "required",
         "the code is what the CSV and the merger name a unit by"},
        {long_code, "Mã dài", NULL, NULL, 0, "unit_code", "too_long", "codes are short"},
        {" p-01 ", "Trùng mã", NULL, NULL, 0, "unit_code", "exists",
         "codes compare as names do: case and spaces do not make another code"},
        {"P-03", "", NULL, NULL, 0, "unit_name", "required",
         "a unit has a name (its own field: the words are not a device's)"},
        {"P-04", "Tỉnh", "district", NULL, 0, "level", "not_one_of",
         "districts are gone since 2025-07-01: the levels are province, ward, department"},
        {"P-05", "Ngày sai", NULL, "2025-02-29", 0, "valid_from", "not_date",
         "2025 is not a leap year"},
        {"P-06", "Không cha", NULL, NULL, 999, "parent_unit", "no_such",
         "the parent must exist"},
        {"P-07", "Tên\x01", NULL, NULL, 0, "unit_name", "control_char",
         "names people type have no control characters"},
    };

    memset(long_code, 'A', sizeof(long_code) - 1);
    assert_true(ward > 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_unit u = {.code = (char *)cases[i].code, .name = (char *)cases[i].name,
                             .level = (char *)cases[i].level,
                             .valid_from = (char *)cases[i].valid_from,
                             .parent_id = cases[i].parent};
        struct inv_refusal why;
        long long id = 0;
        int ret = run(db, "unit.add", "unit", 0, inv_apply_unit_add, &u, &id, &why);

        if (!cases[i].field) {
            if (ret != 0)
                fail_msg("case %zu (%s): refused %s %s", i, cases[i].why, why.field,
                         why.reason);
        } else if (ret >= 0 || strcmp(why.field, cases[i].field) != 0 ||
                   strcmp(why.reason, cases[i].reason) != 0) {
            fail_msg("case %zu (%s): %d %s %s, expected %s %s", i, cases[i].why, ret,
                     why.field, why.reason, cases[i].field, cases[i].reason);
        }
    }
    /* why: a refused add leaves no audit entry, each accepted one leaves one */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'unit.add'"),
                     3);
}

/* the tree: no unit is its own ancestor; removal waits until nothing hangs on the unit */
static void test_tree(void **state)
{
    struct ww_db *db = *state;
    long long a = unit_add(db, "T", "Tỉnh", 0, NULL);
    long long b = unit_add(db, "W", "Phường", a, NULL);
    long long c = unit_add(db, "D", "Phòng", b, NULL);
    struct inv_unit u;
    struct inv_refusal why;
    const struct {
        long long id, parent;
        const char *reason; /* NULL accepted */
        const char *why;
    } cases[] = {
        {a, c, "unit_loop", "the province under its own department closes a loop"},
        {a, a, "own_unit", "a unit is not its own parent"},
        {b, b, "own_unit", "nor in the middle of the tree"},
        {c, a, NULL, "a department may move straight under the province"},
        {c, 0, NULL, "and become a top unit"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        int ret;
        assert_int_equal(inv_unit_get(db, cases[i].id, &u), 0);
        u.parent_id = cases[i].parent;
        ret = run(db, "unit.change", "unit", cases[i].id, inv_apply_unit_update, &u, NULL, &why);
        inv_unit_release(&u);
        if (!cases[i].reason ? ret != 0
                             : ret != -EINVAL || strcmp(why.reason, cases[i].reason) != 0 ||
                                   strcmp(why.field, "parent_unit") != 0)
            fail_msg("case %zu (%s): %d %s %s", i, cases[i].why, ret, why.field, why.reason);
    }
    /* why: a unit with a child cannot go; its child can */
    assert_int_equal(run(db, "unit.remove", "unit", a, inv_apply_unit_remove, NULL, NULL, &why),
                     -EINVAL);
    assert_string_equal(why.reason, "has_children");
    assert_string_equal(why.param, "1");
    /* why: a unit with a device cannot go either (its device would lose its unit) */
    device_in(db, "PC 1", "192.0.2.1", c, 0);
    assert_int_equal(run(db, "unit.remove", "unit", c, inv_apply_unit_remove, NULL, NULL, &why),
                     -EINVAL);
    assert_string_equal(why.reason, "has_devices");
    assert_int_equal(run(db, "unit.remove", "unit", b, inv_apply_unit_remove, NULL, NULL, &why),
                     0);
    assert_int_equal(inv_unit_get(db, b, &u), -ENOENT);
    /* why: gone is gone: a second removal is "no such record" */
    assert_int_equal(run(db, "unit.remove", "unit", b, inv_apply_unit_remove, NULL, NULL, &why),
                     -ENOENT);
}

static bool has_unit(const struct inv_unit *items, size_t n, long long id)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].id == id)
            return true;
    return false;
}

/* a merger on 2025-07-01: what hung on the old ward moves; the past stays as it was */
static void test_merger(void **state)
{
    struct ww_db *db = *state;
    long long city = unit_add(db, "HCM", "TP. Hồ Chí Minh", 0, "2020-01-01");
    long long old = unit_add(db, "BN", "Phường Bến Nghé", city, "2020-01-01");
    long long neu = unit_add(db, "SG", "Phường Sài Gòn", city, "2020-01-01");
    long long dept = unit_add(db, "BN-VP", "Văn phòng", old, "2020-01-01");
    struct inv_location loc = {.name = (char *)"Quầy một cửa số 1", .kind = (char *)"counter",
                               .unit_id = old, .building = (char *)"Nhà A"};
    long long loc_id = 0, pc, other, at = 0;
    struct inv_unit *units = NULL, u;
    struct inv_device_unit *du = NULL;
    struct inv_device d;
    struct inv_refusal why;
    size_t n = 0;

    assert_int_equal(run(db, "location.add", "location", 0, inv_apply_location_add, &loc,
                         &loc_id, NULL),
                     0);
    pc = device_in(db, "PC một cửa", "192.0.2.10", old, loc_id);
    other = device_in(db, "PC Sài Gòn", "192.0.2.11", neu, 0);
    /* the register says since when: as if both came in 2021 */
    assert_int_equal(ww_db_exec(db, "UPDATE device_unit SET from_day = '2021-03-01'"), 0);

    assert_int_equal(inv_unit_merge(db, old, neu, "2025-07-01", &manager), 0);

    /* why: the device, the child unit and the location all belong to the new ward now */
    assert_int_equal(inv_device_get(db, pc, &d), 0);
    assert_int_equal(d.unit_id, neu);
    assert_string_equal(d.unit_name, "Phường Sài Gòn");
    assert_int_equal(d.location_id, loc_id);
    inv_device_release(&d);
    assert_int_equal(inv_unit_get(db, dept, &u), 0);
    assert_int_equal(u.parent_id, neu);
    inv_unit_release(&u);
    assert_int_equal(inv_test_number(db, "SELECT unit_id FROM location"), neu);
    assert_int_equal(inv_unit_get(db, old, &u), 0);
    assert_string_equal(u.valid_to, "2025-07-01");
    assert_int_equal(u.merged_into, neu);
    assert_string_equal(u.merged_into_name, "Phường Sài Gòn");
    assert_int_equal(u.devices, 0);
    inv_unit_release(&u);

    /* why: each device's unit on a day comes from its history, not from "now" */
    {
        const struct {
            long long device;
            const char *day;
            long long unit;
            const char *why;
        } cases[] = {
            {pc, "2021-02-28", 0, "before the register knew it"},
            {pc, "2021-03-01", old, "the first day of its row counts"},
            {pc, "2025-06-30", old, "the old ward's last day"},
            {pc, "2025-07-01", neu, "the merger's day is the new ward's"},
            {pc, "2026-01-15", neu, "and after it"},
            {other, "2024-01-01", neu, "a device that never moved"},
        };
        for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
            assert_int_equal(inv_device_unit_at(db, cases[i].device, cases[i].day, &at), 0);
            if (at != cases[i].unit)
                fail_msg("case %zu (%s): unit %lld, expected %lld", i, cases[i].why, at,
                         cases[i].unit);
        }
    }
    /* why: the bulk form answers the same for every device at once, by device id */
    assert_int_equal(inv_device_units_at(db, "2025-06-30", &du, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(du[0].device_id, pc);
    assert_int_equal(du[0].unit_id, old);
    assert_int_equal(du[1].unit_id, neu);
    free(du);
    assert_int_equal(inv_device_units_at(db, "2025-07-01", &du, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(du[0].unit_id, neu);
    free(du);

    /* why: the tree of 30/06/2025 still has the old ward, that of 01/07/2025 does not */
    assert_int_equal(inv_units_at(db, "2025-06-30", &units, &n), 0);
    assert_int_equal(n, 4);
    assert_true(has_unit(units, n, old));
    inv_unit_list_free(units, n);
    assert_int_equal(inv_units_at(db, "2025-07-01", &units, &n), 0);
    assert_int_equal(n, 3);
    assert_false(has_unit(units, n, old));
    inv_unit_list_free(units, n);
    /* why: before the city began there was nothing */
    assert_int_equal(inv_units_at(db, "2019-12-31", &units, &n), 0);
    assert_int_equal(n, 0);
    /* why: the devices counted on a day are those of that day */
    assert_int_equal(inv_unit_devices_at(db, old, "2025-06-30", &at), 0);
    assert_int_equal(at, 1);
    assert_int_equal(inv_unit_devices_at(db, neu, "2025-06-30", &at), 0);
    assert_int_equal(at, 1);
    assert_int_equal(inv_unit_devices_at(db, neu, NULL, &at), 0);
    assert_int_equal(at, 2);
    /* why: the new ward's history names what merged into it */
    assert_int_equal(inv_unit_history(db, neu, &units, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(units[0].id, old);
    inv_unit_list_free(units, n);

    /* why: one audit entry for the whole merger, showing what moved */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'unit.merge'"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT json_extract(before_json, '$.devices') FROM"
                                         " audit_log WHERE action = 'unit.merge'"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT json_extract(after_json, '$.devices') +"
                                         " json_extract(after_json, '$.children') +"
                                         " json_extract(after_json, '$.locations') FROM audit_log"
                                         " WHERE action = 'unit.merge'"),
                     0);
    assert_int_equal(inv_test_number(db, "SELECT json_extract(after_json, '$.merged_into') FROM"
                                         " audit_log WHERE action = 'unit.merge'"),
                     neu);

    /* why: a merged unit is merged once, takes no devices, children or locations */
    inv_refusal_clear();
    assert_int_equal(inv_unit_merge(db, old, city, "2026-01-01", &manager), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.reason, "unit_merged");
    assert_int_equal(inv_device_get(db, other, &d), 0);
    d.unit_id = old;
    assert_int_equal(run(db, "device.change", "device", other, inv_apply_device_update, &d, NULL,
                         &why),
                     -EINVAL);
    assert_string_equal(why.field, "unit_id");
    assert_string_equal(why.reason, "unit_merged");
    inv_device_release(&d);
    assert_int_equal(inv_unit_merge(db, dept, old, "2026-01-01", &manager), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "into");
    assert_string_equal(why.reason, "unit_merged");
    /* why: the old ward's past is still read by reports: it cannot be removed */
    assert_int_equal(run(db, "unit.remove", "unit", old, inv_apply_unit_remove, NULL, NULL, &why),
                     -EINVAL);
    assert_string_equal(why.reason, "has_history");
}

static void test_merge_refused(void **state)
{
    struct ww_db *db = *state;
    long long a = unit_add(db, "A", "Phường A", 0, "2020-01-01");
    long long child = unit_add(db, "A-1", "Phòng của A", a, NULL);
    long long b = unit_add(db, "B", "Phường B", 0, NULL);
    long long late = unit_add(db, "L", "Phường mới", 0, "2025-07-02");
    const struct {
        long long from, into;
        const char *day, *field, *reason, *why;
    } cases[] = {
        {a, a, "2025-07-01", "into", "own_unit", "a unit does not merge into itself"},
        {a, child, "2025-07-01", "into", "unit_loop",
         "its own department cannot take it over (it would hang on itself)"},
        {a, 999, "2025-07-01", "into", "no_such", "the target must exist"},
        {a, 0, "2025-07-01", "into", "required", "the target is named"},
        {a, b, NULL, "day", "required", "the day is named"},
        {a, b, "01/07/2025", "day", "not_date", "the API takes ISO days"},
        {a, b, "2020-01-01", "day", "not_after",
         "a unit ends after it began (valid_to is exclusive)"},
        {a, late, "2025-07-01", "into", "unit_not_yet",
         "the target begins a day later: on the merger's day its devices would be nowhere"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_refusal why;
        int ret;
        inv_refusal_clear();
        ret = inv_unit_merge(db, cases[i].from, cases[i].into, cases[i].day, &manager);
        inv_refusal_last(&why);
        if (ret != -EINVAL || strcmp(why.field, cases[i].field) != 0 ||
            strcmp(why.reason, cases[i].reason) != 0)
            fail_msg("case %zu (%s): %d %s %s", i, cases[i].why, ret, why.field, why.reason);
    }
    /* why: nothing of a refused merger is kept */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM org_unit WHERE valid_to IS NOT"
                                         " NULL OR merged_into IS NOT NULL"),
                     0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'unit.merge'"),
                     0);
    /* why: no unit 999 to merge */
    assert_int_equal(inv_unit_merge(db, 999, b, "2025-07-01", &manager), -ENOENT);
}

/* a chain of units is at most INV_PARENT_DEPTH_MAX deep, for a new unit too, so no merger
 * can take a chain too long to walk for loop-free */
static void test_depth_limit(void **state)
{
    struct ww_db *db = *state;
    long long top = unit_add(db, "D0", "Tỉnh", 0, NULL), cur = top;
    struct inv_unit u = {.code = (char *)"DX", .name = (char *)"Quá sâu"};
    struct inv_refusal why;
    char code[16], name[32];

    for (int i = 1; i <= INV_PARENT_DEPTH_MAX; i++) {
        snprintf(code, sizeof(code), "D%d", i);
        snprintf(name, sizeof(name), "Cấp %d", i);
        cur = unit_add(db, code, name, cur, NULL);
    }
    /* why: one more level under the deepest is refused, though a new unit has no id yet */
    u.parent_id = cur;
    assert_int_equal(run(db, "unit.add", "unit", 0, inv_apply_unit_add, &u, NULL, &why), -EINVAL);
    assert_string_equal(why.field, "parent_unit");
    assert_string_equal(why.reason, "unit_too_deep");
    /* why: the top merging into its deepest descendant is a loop, found, not given up on */
    inv_refusal_clear();
    assert_int_equal(inv_unit_merge(db, top, cur, "2025-07-01", &manager), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "into");
    assert_string_equal(why.reason, "unit_loop");
}

/* a device's unit changed by the device change itself writes the history row */
static void test_device_unit_change(void **state)
{
    struct ww_db *db = *state;
    long long a = unit_add(db, "A", "Phường A", 0, NULL);
    long long b = unit_add(db, "B", "Phường B", 0, NULL);
    long long pc = device_in(db, "PC", "192.0.2.1", a, 0);
    struct inv_device d;
    struct inv_refusal why;

    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_unit WHERE to_day IS NULL"
                                         " AND reason = 'set' AND actor = 'hoa.tran'"),
                     1);
    assert_int_equal(ww_db_exec(db, "UPDATE device_unit SET from_day = '2024-01-01'"), 0);
    assert_int_equal(inv_device_get(db, pc, &d), 0);
    d.unit_id = b;
    assert_int_equal(run(db, "device.change", "device", pc, inv_apply_device_update, &d, NULL,
                         &why),
                     0);
    inv_device_release(&d);
    /* why: the old row closed today, the new one opened today */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_unit WHERE unit_id = 1"
                                         " AND to_day = date('now', 'localtime')"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT unit_id FROM device_unit WHERE to_day IS NULL"),
                     b);
    /* why: an edit of anything else writes no row */
    assert_int_equal(inv_device_get(db, pc, &d), 0);
    free(d.notes);
    d.notes = ww_strdup("ghi chú");
    assert_int_equal(run(db, "device.change", "device", pc, inv_apply_device_update, &d, NULL,
                         &why),
                     0);
    inv_device_release(&d);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_unit"), 2);
    /* why: a unit that does not exist is refused with its field */
    assert_int_equal(inv_device_get(db, pc, &d), 0);
    d.unit_id = 77;
    assert_int_equal(run(db, "device.change", "device", pc, inv_apply_device_update, &d, NULL,
                         &why),
                     -EINVAL);
    assert_string_equal(why.field, "unit_id");
    assert_string_equal(why.reason, "no_such");
    d.unit_id = b;
    d.location_id = 5;
    assert_int_equal(run(db, "device.change", "device", pc, inv_apply_device_update, &d, NULL,
                         &why),
                     -EINVAL);
    assert_string_equal(why.field, "location_id");
    inv_device_release(&d);
}

static void test_locations(void **state)
{
    struct ww_db *db = *state;
    long long unit = unit_add(db, "A", "Phường A", 0, NULL);
    struct inv_location *items = NULL, got;
    struct inv_refusal why;
    long long id = 0;
    size_t n = 0;
    const struct {
        const char *name, *kind, *room;
        long long unit;
        const char *field, *reason, *why;
    } cases[] = {
        {"Quầy một cửa 2", "counter", NULL, unit, NULL, NULL, "a one-stop-shop counter"},
        {"Phòng máy chủ", "server_room", "P.105", unit, NULL, NULL, "a server room"},
        {"Kho", NULL, NULL, 0, NULL, NULL, "no kind: a room; no unit: shared"},
        {"Sân", "yard", NULL, unit, "kind", "not_one_of", "kinds are inventory's list"},
        {"", "room", NULL, unit, "location_name", "required", "a place has a name"},
        {"Phòng", "room", NULL, 42, "unit_id", "no_such", "the unit must exist"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_location l = {.name = (char *)cases[i].name, .kind = (char *)cases[i].kind,
                                 .room = (char *)cases[i].room, .unit_id = cases[i].unit};
        int ret = run(db, "location.add", "location", 0, inv_apply_location_add, &l, &id, &why);
        if (!cases[i].field ? ret != 0
                            : ret != -EINVAL || strcmp(why.field, cases[i].field) != 0 ||
                                  strcmp(why.reason, cases[i].reason) != 0)
            fail_msg("case %zu (%s): %d %s %s", i, cases[i].why, ret, why.field, why.reason);
    }
    assert_int_equal(inv_location_list(db, unit, &items, &n), 0);
    assert_int_equal(n, 2);
    inv_location_list_free(items, n);
    assert_int_equal(inv_location_get(db, 3, &got), 0);
    assert_string_equal(got.kind, "room");
    assert_int_equal(got.unit_id, 0);
    inv_location_release(&got);
    /* why: a place with a device on it is not removed under it */
    device_in(db, "PC", "192.0.2.1", unit, 1);
    assert_int_equal(run(db, "location.remove", "location", 1, inv_apply_location_remove, NULL,
                         NULL, &why),
                     -EINVAL);
    assert_string_equal(why.reason, "has_devices");
    assert_int_equal(run(db, "location.remove", "location", 2, inv_apply_location_remove, NULL,
                         NULL, &why),
                     0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE object_type ="
                                         " 'location'"),
                     4);
}

/* the CSV import of units: a good file (BOM, CRLF, parents later in the file and in the
 * database) is written whole; a broken one is refused by row and column, nothing written */
static void test_import(void **state)
{
    struct ww_db *db = *state;
    long long city = unit_add(db, "HCM", "TP. Hồ Chí Minh", 0, NULL);
    static const char good[] = "\xef\xbb\xbf" "code,name,level,parent_code,valid_from\r\n"
                               "SG-VP,Văn phòng UBND,department,SG,2025-07-01\r\n"
                               "\r\n"
                               "SG,\"Phường Sài Gòn, TP.HCM\",ward, hcm ,2025-07-01\r\n";
    struct inv_import_opts o = {.actor = &manager, .dry_run = true};
    struct inv_import_result r;
    struct inv_unit *units = NULL;
    size_t n = 0;

    /* why: a dry run checks everything and writes nothing */
    assert_int_equal(inv_import_units(db, good, sizeof(good) - 1, &o, &r), 0);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.valid, 2);
    assert_int_equal(r.written, 0);
    inv_import_result_release(&r);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM org_unit"), 1);
    /* why: the department names a ward that comes later in the file: parents go first */
    o.dry_run = false;
    assert_int_equal(inv_import_units(db, good, sizeof(good) - 1, &o, &r), 0);
    assert_int_equal(r.written, 2);
    inv_import_result_release(&r);
    assert_int_equal(inv_units_at(db, NULL, &units, &n), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(units[i].code, "SG")) {
            assert_string_equal(units[i].name, "Phường Sài Gòn, TP.HCM");
            assert_int_equal(units[i].parent_id, city);
        } else if (!strcmp(units[i].code, "SG-VP")) {
            assert_string_equal(units[i].parent_name, "Phường Sài Gòn, TP.HCM");
            assert_string_equal(units[i].level, "department");
        }
    }
    inv_unit_list_free(units, n);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'unit.import'"),
                     2);

    {
        static const char bad[] = "code,name,level,parent_code,valid_from\n"
                                  "A,Phường A,ward,,\n"            /* 2: valid */
                                  "B,=1+2,ward,,\n"                 /* 3: formula */
                                  "sg,Trùng,ward,,\n"              /* 4: code in the db */
                                  "a,Trùng A,ward,,\n"             /* 5: code in the file */
                                  "C,Phường C,ward,D,\n"           /* 6: loop C-D */
                                  "D,Phường D,ward,C,\n"           /* 7 */
                                  "E,Phường E,district,,\n"        /* 8: level */
                                  "F,Phường F,ward,ZZ,\n"          /* 9: no such parent */
                                  "G,Phòng G,department,F,\n"      /* 10: its parent refused */
                                  "H,Phòng H,department,A,2025-02-30\n"; /* 11: not a day */
        const struct {
            long long row;
            int column;
            const char *field, *reason, *why;
        } want[] = {
            {3, 2, "unit_name", "formula", "a cell a spreadsheet would run is never stored"},
            {4, 1, "unit_code", "exists", "a code of the register, compared as names are"},
            {5, 1, "unit_code", "in_file", "a code twice in the file"},
            {6, 4, "parent_code", "unit_loop", "two rows that name each other"},
            {7, 4, "parent_code", "unit_loop", "both are refused"},
            {8, 3, "level", "not_one_of", "no districts"},
            {9, 4, "parent_code", "no_such", "a parent nobody knows"},
            {10, 4, "parent_code", "no_such", "a refused row cannot be anyone's parent"},
            {11, 5, "valid_from", "not_date", "February has no 30th"},
        };
        o.only_valid = false;
        assert_int_equal(inv_import_units(db, bad, sizeof(bad) - 1, &o, &r), -EINVAL);
        assert_int_equal(r.rows, 10);
        assert_int_equal(r.valid, 1);
        assert_int_equal(r.written, 0);
        assert_int_equal(r.n_errors, WW_ARRAY_SIZE(want));
        for (size_t i = 0; i < WW_ARRAY_SIZE(want); i++) {
            const struct inv_import_error *e = &r.errors[i];
            if (e->row != want[i].row || e->column != want[i].column ||
                strcmp(e->why.field, want[i].field) || strcmp(e->why.reason, want[i].reason))
                fail_msg("error %zu (%s): row %lld column %d %s %s", i, want[i].why, e->row,
                         e->column, e->why.field, e->why.reason);
        }
        inv_import_result_release(&r);
        /* why: nothing of a refused file is written */
        assert_int_equal(inv_test_number(db, "SELECT count(*) FROM org_unit"), 3);
        /* why: unless the valid rows are asked for */
        o.only_valid = true;
        assert_int_equal(inv_import_units(db, bad, sizeof(bad) - 1, &o, &r), 0);
        assert_int_equal(r.written, 1);
        inv_import_result_release(&r);
        assert_int_equal(inv_test_number(db, "SELECT count(*) FROM org_unit WHERE code = 'A'"),
                         1);
    }
    {
        /* why: a chain deeper than a unit may be is refused in the file, from the row at
         * depth INV_PARENT_DEPTH_MAX + 1 down (and cheaply: each walk stops at the limit);
         * the rows are listed deepest first, so the writer needs a pass per level */
        struct ww_buf deep;
        const int levels = INV_PARENT_DEPTH_MAX + 8;
        size_t refused = 0;

        ww_buf_init(&deep, 64 * 1024);
        ww_buf_addstr(&deep, "code,name,level,parent_code,valid_from\n");
        for (int k = levels - 1; k >= 0; k--) {
            if (k)
                ww_buf_addf(&deep, "L%d,Cấp %d,department,L%d,\n", k, k, k - 1);
            else
                ww_buf_addstr(&deep, "L0,Gốc,ward,,\n");
        }
        o.only_valid = false;
        o.dry_run = true;
        assert_int_equal(inv_import_units(db, deep.data, deep.len, &o, &r), -EINVAL);
        for (size_t i = 0; i < r.n_errors; i++)
            refused += strcmp(r.errors[i].why.reason, "unit_too_deep") == 0;
        /* L33..L39: seven rows deeper than the limit (L0 is the root, L32 the 32nd step) */
        assert_int_equal(refused, (size_t)(levels - 1 - INV_PARENT_DEPTH_MAX));
        assert_int_equal(r.written, 0);
        inv_import_result_release(&r);
        o.dry_run = false;
        ww_buf_release(&deep);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_unit_validation), INV_TEST(test_tree),
        INV_TEST(test_merger),          INV_TEST(test_merge_refused), INV_TEST(test_depth_limit),
        INV_TEST(test_device_unit_change), INV_TEST(test_locations),
        INV_TEST(test_import),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
