/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_records.c - a device's records (issue 16, schema v13): the migration from v12 keeps
 * the devices and fills the lifecycle defaults; the lifecycle fields are checked (a table of
 * cases, each with its why); an asset tag names one device, compared as names are; repairs
 * are added, changed and removed as audited changes and their costs add up; a change of
 * assigned_to writes the assignment history.
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

static const struct inv_actor officer = {7, "lan.nguyen", "api", "192.0.2.7"};

static void device_of(struct inv_device *d, const char *name, const char *host)
{
    inv_device_init(d);
    d->name = (char *)name;
    d->host = (char *)host;
    d->kind = (char *)"pc";
}

/* a v12 database's devices come through v13 with their fields and the defaults */
static void test_upgrade_from_v12(void **state)
{
    struct ww_db *db = NULL;
    char *path = ww_asprintf("%s/v12.db", inv_test_dir);
    struct inv_device d;

    (void)state;
    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate_to(db, 12), 0);
    assert_int_equal(ww_db_exec(db, "INSERT INTO device (id, name, kind, host, cost_vnd,"
                                    " asset_tag, purchase_date) VALUES (3, 'Máy chủ', 'server',"
                                    " '10.0.0.1', 9000000, 'UB-01', '2020-01-02');"
                                    "INSERT INTO device (id, name, host, lifecycle)"
                                    " VALUES (4, 'Dự phòng', '10.0.0.2', 'spare');"),
                     0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_test_number(db, "PRAGMA user_version"), inv_schema_version());
    assert_int_equal(inv_device_get(db, 3, &d), 0);
    assert_string_equal(d.name, "Máy chủ");
    assert_int_equal(d.cost_vnd, 9000000);
    assert_string_equal(d.asset_tag, "UB-01");
    assert_string_equal(d.status, "in_use");
    assert_string_equal(d.criticality, "normal");
    assert_null(d.assigned_to);
    assert_null(d.in_service_date);
    assert_int_equal(d.lifespan_years, 0);
    inv_device_release(&d);
    /* why: a spare of the old lifecycle column is a device in stock */
    assert_int_equal(inv_device_get(db, 4, &d), 0);
    assert_string_equal(d.status, "in_stock");
    inv_device_release(&d);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_repair"), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_assignment"), 0);
    ww_db_close(db);
    free(path);
}

static void test_lifecycle_validation(void **state)
{
    struct ww_db *db = *state;
    static char long_notes[INV_NOTES_MAX + 2];
    const struct {
        const char *purchase, *in_service, *warranty, *status, *criticality, *assigned, *notes;
        long long lifespan;
        const char *field, *reason; /* NULL: accepted */
        const char *why;
    } cases[] = {
        {"2024-03-15", "2024-03-20", "2027-03-15", "in_use", "network_core", "Nguyễn Thị Lan",
         "Phòng một cửa", 8, NULL, NULL, "every field as an office fills it"},
        {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
         "nothing known: the defaults (in_use, normal)"},
        {NULL, "2023-02-29", NULL, NULL, NULL, NULL, NULL, 0, "in_service_date", "not_date",
         "2023 is not a leap year: the day does not exist"},
        {NULL, "2024-02-29", NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
         "2024 is one: the day exists"},
        {NULL, NULL, "2024-04-31", NULL, NULL, NULL, NULL, 0, "warranty_end", "not_date",
         "April has 30 days"},
        {NULL, NULL, "15/03/2027", NULL, NULL, NULL, NULL, 0, "warranty_end", "not_date",
         "the API takes ISO days; the UI converts dd/mm/yyyy"},
        {"2024-03-15", "2024-03-14", NULL, NULL, NULL, NULL, NULL, 0, "in_service_date",
         "before_purchase", "a device is not used before it is bought"},
        {"2024-03-15", NULL, "2024-01-01", NULL, NULL, NULL, NULL, 0, "warranty_end",
         "before_purchase", "a warranty cannot end before the purchase"},
        {NULL, "2020-01-01", "2019-01-01", NULL, NULL, NULL, NULL, 0, NULL, NULL,
         "without a purchase date nothing is compared: a warranty may end before use"},
        {NULL, NULL, NULL, "lost", NULL, NULL, NULL, 0, "status", "not_one_of",
         "status is one of inv_device_statuses[]"},
        {NULL, NULL, NULL, "IN_USE", NULL, NULL, NULL, 0, "status", "not_one_of",
         "statuses are codes in lower case"},
        {NULL, NULL, NULL, "to_dispose", "one_stop_counter", NULL, NULL, 0, NULL, NULL,
         "a listed status and criticality"},
        {NULL, NULL, NULL, NULL, "high", NULL, NULL, 0, "criticality", "not_one_of",
         "criticality is one of inv_device_criticalities[]"},
        {NULL, NULL, NULL, NULL, NULL, "Lan\x01", NULL, 0, "assigned_to", "control_char",
         "a name people type has no control characters"},
        {NULL, NULL, NULL, NULL, NULL, "\xc3\x28", NULL, 0, "assigned_to", "not_utf8",
         "nor broken UTF-8"},
        {NULL, NULL, NULL, NULL, NULL, NULL, long_notes, 0, "notes", "too_long",
         "notes are at most INV_NOTES_MAX bytes"},
        {NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, "lifespan_years", "out_of_range",
         "a lifespan is a number of years"},
        {NULL, NULL, NULL, NULL, NULL, NULL, NULL, INV_LIFESPAN_MAX + 1, "lifespan_years",
         "out_of_range", "no device is planned for more than INV_LIFESPAN_MAX years"},
    };

    memset(long_notes, 'x', sizeof(long_notes) - 1);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_device d, got;
        struct inv_refusal why;
        char host[32];
        long long id = 0;
        int ret;

        snprintf(host, sizeof(host), "192.0.2.%zu", i + 1);
        device_of(&d, host, host);
        d.purchase_date = (char *)cases[i].purchase;
        d.in_service_date = (char *)cases[i].in_service;
        d.warranty_end = (char *)cases[i].warranty;
        d.status = (char *)cases[i].status;
        d.criticality = (char *)cases[i].criticality;
        d.assigned_to = (char *)cases[i].assigned;
        d.notes = (char *)cases[i].notes;
        d.lifespan_years = cases[i].lifespan;
        inv_refusal_clear();
        ret = inv_device_add(db, &d, &id);
        inv_refusal_last(&why);
        if (!cases[i].field) {
            if (ret != 0)
                fail_msg("case %zu (%s): refused %s %s", i, cases[i].why, why.field,
                         why.reason);
            assert_int_equal(inv_device_get(db, id, &got), 0);
            assert_string_equal(got.status, cases[i].status ? cases[i].status : "in_use");
            assert_string_equal(got.criticality,
                                cases[i].criticality ? cases[i].criticality : "normal");
            assert_int_equal(got.lifespan_years, cases[i].lifespan);
            inv_device_release(&got);
        } else if (ret != -EINVAL || strcmp(why.field, cases[i].field) != 0 ||
                   strcmp(why.reason, cases[i].reason) != 0) {
            fail_msg("case %zu (%s): %d %s %s, expected %s %s", i, cases[i].why, ret,
                     why.field, why.reason, cases[i].field, cases[i].reason);
        }
    }
}

/* an asset tag names one device; case and surrounding spaces do not make another tag */
static void test_asset_tag_unique(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d, got;
    struct inv_refusal why;
    long long a = 0, b = 0, c = 0;

    device_of(&d, "PC kế toán", "192.0.2.1");
    d.asset_tag = (char *)"UB-0042";
    assert_int_equal(inv_device_add(db, &d, &a), 0);
    /* why: an empty tag is no tag; many devices have none */
    device_of(&d, "PC 2", "192.0.2.2");
    assert_int_equal(inv_device_add(db, &d, &b), 0);
    device_of(&d, "PC 3", "192.0.2.3");
    d.asset_tag = (char *)"";
    assert_int_equal(inv_device_add(db, &d, &c), 0);
    /* why: typed in other letters it is still the same label on the device */
    device_of(&d, "PC 4", "192.0.2.4");
    d.asset_tag = (char *)" ub-0042 ";
    inv_refusal_clear();
    assert_int_equal(inv_device_add(db, &d, NULL), -EEXIST);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "asset_tag");
    assert_string_equal(why.reason, "exists");
    assert_string_equal(why.param, "#1");
    /* why: giving another device the tag is refused the same way */
    assert_int_equal(inv_device_get(db, b, &got), 0);
    free(got.asset_tag);
    got.asset_tag = ww_strdup("Ub-0042");
    assert_int_equal(inv_device_update(db, &got), -EEXIST);
    /* why: a device keeps its own tag when anything else of it changes, or its case */
    inv_device_release(&got);
    assert_int_equal(inv_device_get(db, a, &got), 0);
    free(got.asset_tag);
    got.asset_tag = ww_strdup("ub-0042");
    free(got.notes);
    got.notes = ww_strdup("đã dán lại nhãn");
    assert_int_equal(inv_device_update(db, &got), 0);
    inv_device_release(&got);
}

/* repairs: add, change, remove through the audited path; their costs add up per device */
static void test_repairs(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d;
    struct inv_repair r = {0}, *items = NULL;
    struct inv_change add = {.actor = &officer, .action = "repair.add", .object_type = "repair",
                             .apply = inv_apply_repair_add, .ctx = &r};
    struct inv_change upd = {.actor = &officer, .action = "repair.change",
                             .object_type = "repair", .apply = inv_apply_repair_update,
                             .ctx = &r};
    struct inv_change rm = {.actor = &officer, .action = "repair.remove",
                            .object_type = "repair", .apply = inv_apply_repair_remove};
    long long dev = 0, sum = -1, first;
    size_t n = 0;
    const struct {
        const char *day, *work;
        long long cost;
        const char *field, *reason, *why;
    } bad[] = {
        {NULL, "Thay ổ cứng", 0, "day", "required", "a repair happened on a day"},
        {"2024-13-01", "Thay ổ cứng", 0, "day", "not_date", "there is no 13th month"},
        {"2024-05-01", "", 0, "work", "required", "what was done is the record"},
        {"2024-05-01", "Thay ổ cứng", -1, "cost_vnd", "out_of_range", "a cost is never negative"},
        {"2024-05-01", "Thay ổ cứng", INV_VND_ITEM_MAX + 1, "cost_vnd", "out_of_range",
         "one repair costs at most INV_VND_ITEM_MAX, so sums over a province stay in 64 bits"},
    };

    /* why: a device's cost has the same bound (a report adds up every device's) */
    device_of(&d, "Máy đắt", "192.0.2.8");
    d.cost_vnd = INV_VND_ITEM_MAX + 1;
    assert_int_equal(inv_device_add(db, &d, &dev), -EINVAL);
    d.cost_vnd = INV_VND_ITEM_MAX;
    assert_int_equal(inv_device_add(db, &d, &dev), 0);
    assert_int_equal(inv_device_remove(db, dev), 0);
    device_of(&d, "Máy in một cửa", "192.0.2.9");
    assert_int_equal(inv_device_add(db, &d, &dev), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(bad); i++) {
        struct inv_change ch = add;
        r = (struct inv_repair){.device_id = dev, .day = (char *)bad[i].day,
                                .work = (char *)bad[i].work, .cost_vnd = bad[i].cost};
        if (inv_change_run(db, &ch) != -EINVAL || strcmp(ch.why.field, bad[i].field) != 0 ||
            strcmp(ch.why.reason, bad[i].reason) != 0)
            fail_msg("bad %zu (%s): %s %s", i, bad[i].why, ch.why.field, ch.why.reason);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), 0);

    r = (struct inv_repair){.device_id = dev, .day = (char *)"2024-05-01",
                            .work = (char *)"Thay trống mực", .cost_vnd = 850000,
                            .shop = (char *)"Tin học <Hoà Bình>"};
    assert_int_equal(inv_change_run(db, &add), 0);
    first = add.id;
    assert_non_null(strstr(add.after, "\"actor\":\"lan.nguyen\""));
    free(add.after);
    add.id = 0;
    r.day = (char *)"2025-01-10";
    r.work = (char *)"Vệ sinh";
    r.cost_vnd = 150000;
    r.shop = NULL;
    assert_int_equal(inv_change_run(db, &add), 0);
    free(add.after);
    assert_int_equal(inv_repair_cost_sum(db, dev, &sum), 0);
    assert_int_equal(sum, 1000000);

    upd.id = first;
    r.day = (char *)"2024-05-02";
    r.work = (char *)"Thay trống mực và gạt mực";
    r.cost_vnd = 900000;
    assert_int_equal(inv_change_run(db, &upd), 0);
    free(upd.after);
    assert_int_equal(inv_repair_cost_sum(db, dev, &sum), 0);
    assert_int_equal(sum, 1050000);
    assert_int_equal(inv_repair_list(db, dev, &items, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].day, "2025-01-10"); /* newest first */
    assert_string_equal(items[1].work, "Thay trống mực và gạt mực");
    inv_repair_list_free(items, n);

    rm.id = first;
    assert_int_equal(inv_change_run(db, &rm), 0);
    assert_null(rm.after);
    assert_int_equal(inv_repair_cost_sum(db, dev, &sum), 0);
    assert_int_equal(sum, 150000);
    /* why: each change has its entry with the snapshots, removal's after empty */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE object_type ="
                                         " 'repair' AND actor = 'lan.nguyen'"),
                     4);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'repair.change' AND before_json LIKE '%850000%'"
                                         " AND after_json LIKE '%900000%'"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'repair.remove' AND after_json IS NULL"),
                     1);
    /* why: removing the device takes its repairs with it */
    assert_int_equal(inv_device_remove(db, dev), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_repair"), 0);
}

/* a change of assigned_to closes the open row and opens one for the new holder */
static void test_assignment_history(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d, e;
    struct inv_change add = {.actor = &officer, .action = "device.add", .object_type = "device",
                             .apply = inv_apply_device_add, .ctx = &d};
    struct inv_change upd = {.actor = &officer, .action = "device.change",
                             .object_type = "device", .apply = inv_apply_device_update,
                             .ctx = &e};
    struct inv_assignment *a = NULL;
    size_t n = 0;

    device_of(&d, "Laptop", "192.0.2.5");
    d.assigned_to = (char *)"Nguyễn Văn A";
    assert_int_equal(inv_change_run(db, &add), 0);
    free(add.after);
    upd.id = add.id;

    /* why: a change of something else writes no row */
    assert_int_equal(inv_device_get(db, add.id, &e), 0);
    free(e.notes);
    e.notes = ww_strdup("pin yếu");
    assert_int_equal(inv_change_run(db, &upd), 0);
    free(upd.after);
    /* why: a new holder closes the first row and opens another */
    free(e.assigned_to);
    e.assigned_to = ww_strdup("Trần Thị B");
    assert_int_equal(inv_change_run(db, &upd), 0);
    assert_non_null(strstr(upd.after, "Trần Thị B"));
    free(upd.after);
    /* why: back to nobody closes the row and opens none */
    free(e.assigned_to);
    e.assigned_to = NULL;
    assert_int_equal(inv_change_run(db, &upd), 0);
    free(upd.after);
    inv_device_release(&e);

    assert_int_equal(inv_assignment_list(db, add.id, &a, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].assigned_to, "Nguyễn Văn A");
    assert_non_null(a[0].to_day);
    assert_string_equal(a[0].actor, "lan.nguyen");
    assert_string_equal(a[1].assigned_to, "Trần Thị B");
    assert_non_null(a[1].from_day);
    assert_non_null(a[1].to_day);
    inv_assignment_list_free(a, n);
    /* why: a refused change writes no row either */
    assert_int_equal(inv_device_get(db, add.id, &e), 0);
    e.assigned_to = ww_strdup("C");
    free(e.status);
    e.status = ww_strdup("lost");
    assert_int_equal(inv_change_run(db, &upd), -EINVAL);
    inv_device_release(&e);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_assignment"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_upgrade_from_v12),   INV_TEST(test_lifecycle_validation),
        INV_TEST(test_asset_tag_unique),   INV_TEST(test_repairs),
        INV_TEST(test_assignment_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
