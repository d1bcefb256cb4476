/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_alert.c - coll_alert_condition(): every rule kind against the device and interface
 * states that make it true, false or unknown (stale data, a device that does not answer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "collector/collector.h"

#define NOW 1796000000LL
#define FRESH 180 /* a measurement older than this tells nothing */

enum which { T_UP, T_DOWN, T_UNREACH, T_UP_STALE, T_UP_NOTHING };

static void target_of(enum which w, struct inv_alert_target *t)
{
    memset(t, 0, sizeof(*t));
    t->id = 7;
    strcpy(t->state, w == T_DOWN ? "down" : w == T_UNREACH ? "unreachable" : "up");
    t->since = NOW - 600;
    t->metrics_at = w == T_UP_STALE ? NOW - 3600 : NOW - 30;
    if (w == T_UP_NOTHING)
        return; /* answers, but reports no CPU, disk, UPS or supplies */
    t->cpu_pct = 93;
    t->disk_max_pct = 71;
    t->ups_runtime_min = 9;
    t->supply_min_pct = 4;
    t->ups_on_battery = true;
    t->has_cpu = t->has_disk = t->has_runtime = t->has_supply = t->has_on_battery = true;
}

static void test_conditions(void **state)
{
    /* a 100 Mbit/s link at 80 Mbit/s out, 20 in; one down since 5 min; one switched off */
    struct inv_alert_iface busy = {.id = 1, .admin_status = 1, .oper_status = 1,
                                   .rate_at = NOW - 20, .speed_bps = 100000000,
                                   .in_bps = 2e7, .out_bps = 8e7, .has_rate = true};
    struct inv_alert_iface stale = busy, nospeed = busy, down = busy, off = busy, dormant = busy;
    stale.rate_at = NOW - 3600;
    nospeed.speed_bps = 0;
    down.oper_status = 2;
    down.oper_since = NOW - 300;
    off.admin_status = 2;
    off.oper_status = 2;
    dormant.oper_status = 5;
    static const enum coll_cond U = COLL_COND_UNKNOWN, F = COLL_COND_FALSE, T = COLL_COND_TRUE;
    const struct {
        const char *kind;
        double threshold;
        enum which target;
        const struct inv_alert_iface *ifc;
        enum coll_cond want;
        double value; /* NAN: not checked */
        const char *why;
    } cases[] = {
        {"device_down", 0, T_DOWN, NULL, T, 600, "down for 10 min: the value is how long"},
        {"device_down", 0, T_UP, NULL, F, NAN, "up"},
        {"device_down", 0, T_UNREACH, NULL, U, NAN, "behind a down parent: no alert of its own"},
        {"interface_down", 0, T_UP, &down, T, 300, "admin up, oper down for 5 min"},
        {"interface_down", 0, T_UP, &busy, F, NAN, "up"},
        {"interface_down", 0, T_UP, &off, F, NAN, "switched off on purpose"},
        {"interface_down", 0, T_UP, &dormant, U, NAN, "dormant is not an outage"},
        {"interface_down", 0, T_DOWN, &down, U, NAN, "device down: its interfaces tell nothing"},
        {"link_util", 70, T_UP, &busy, T, 80, "80 % of the speed, the busier direction"},
        {"link_util", 85, T_UP, &busy, F, 80, "under the threshold"},
        {"link_util", 70, T_UP, &stale, U, NAN, "rate an hour old"},
        {"link_util", 70, T_UP, &nospeed, U, NAN, "no speed: no percentage"},
        {"disk", 70, T_UP, NULL, T, 71, "fullest disk 71 %"},
        {"disk", 90, T_UP, NULL, F, 71, "under"},
        {"disk", 70, T_UP_STALE, NULL, U, NAN, "metrics an hour old"},
        {"disk", 70, T_UP_NOTHING, NULL, U, NAN, "no disk reported"},
        {"cpu", 90, T_UP, NULL, T, 93, "93 %"},
        {"cpu", 95, T_UP, NULL, F, 93, "under"},
        {"cpu", 90, T_UNREACH, NULL, U, NAN, "unreachable"},
        {"ups_battery", 0, T_UP, NULL, T, 9, "on battery, 9 min left"},
        {"ups_battery", 0, T_UP_NOTHING, NULL, U, NAN, "not a UPS"},
        {"ups_runtime", 10, T_UP, NULL, T, 9, "9 min < 10"},
        {"ups_runtime", 5, T_UP, NULL, F, 9, "9 min >= 5"},
        {"printer_supply", 5, T_UP, NULL, T, 4, "toner at 4 %"},
        {"printer_supply", 3, T_UP, NULL, F, 4, "above"},
        {"printer_supply", 5, T_UP_NOTHING, NULL, U, NAN, "no supplies"},
        {"no_such_kind", 5, T_UP, NULL, U, NAN, "unknown kind"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_alert_rule r;
        struct inv_alert_target t;
        double v = 0;
        inv_alert_rule_init(&r);
        r.kind = (char *)cases[i].kind;
        r.threshold = cases[i].threshold;
        r.has_threshold = true;
        target_of(cases[i].target, &t);
        enum coll_cond got = coll_alert_condition(&r, &t, cases[i].ifc, NOW, FRESH, &v);
        if (got != cases[i].want)
            fail_msg("case %zu (%s %s): got %d, want %d", i, cases[i].kind, cases[i].why, got,
                     cases[i].want);
        if (!isnan(cases[i].value) && fabs(v - cases[i].value) > 1e-9)
            fail_msg("case %zu (%s %s): value %g, want %g", i, cases[i].kind, cases[i].why, v,
                     cases[i].value);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conditions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
