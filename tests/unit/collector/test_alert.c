/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_alert.c - coll_alert_condition(): every rule kind against the device and interface
 * states that make it true, false or unknown (stale data, a device that does not answer);
 * coll_alert_text(): the e-mail and webhook texts in both languages from the i18n files (run
 * from the repository's top), times in the office zone with its name, and codes when there
 * are no words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"

#define I18N_DIR "dashboard/www/i18n"

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

/* make @zone the process's local zone, as the collector does at start */
static void use_zone(const char *zone)
{
    struct ww_office o;
    assert_int_equal(ww_office_init(zone, "07:30-11:30", "mon-fri", &o), 0);
    assert_int_equal(ww_office_use_zone(&o), 0);
}

/* every needle in @hay, in order */
static void want_in_order(const char *what, const char *hay, const char *const *needles,
                          size_t n)
{
    const char *p = hay;
    for (size_t i = 0; i < n && needles[i]; i++) {
        const char *at = strstr(p, needles[i]);
        if (!at)
            fail_msg("%s: no '%s' (in order) in:\n%s", what, needles[i], hay);
        p = at + strlen(needles[i]);
    }
}

static void test_texts(void **state)
{
    struct ww_i18n *words = NULL;
    struct ww_config cfg = {.timezone = (char *)"Asia/Ho_Chi_Minh",
                            .dashboard_url = (char *)"http://ww.example/"};
    struct inv_alert_iface port = {.id = 3, .name = (char *)"Gi0/1"};
    /* the fixed instant: 2026-11-30 00:53:20 UTC = 07:53 in Hanoi */
    const long long since = 1796000000LL;
    const struct {
        const char *note, *kind;
        bool has_threshold;
        double threshold, value;
        const struct inv_alert_iface *ifc;
        const char *subject;
        const char *body[20]; /* in this order */
        const char *why;
    } cases[] = {
        {"firing", "device_down", false, 0, 659, NULL,
         "[wardwatch] CẢNH BÁO: Thiết bị mất kết nối – Core SW",
         {"CẢNH BÁO: Thiết bị mất kết nối\n", "Thiết bị: Core SW (10.0.0.1)\n",
          "Giá trị: đã mất 10 phút\n", "Quy tắc: Mất kết nối\n",
          "Bắt đầu: 30/11/2026 07:53 Asia/Ho_Chi_Minh (UTC+07:00)\n",
          "Xem chi tiết: http://ww.example/\n", "\n---- English ----\n",
          "ALERT: Device down\n", "Device: Core SW (10.0.0.1)\n", "Value: down for 10 min\n",
          "Rule: Mất kết nối\n", "Since: 30/11/2026 07:53 Asia/Ho_Chi_Minh (UTC+07:00)\n",
          "Details: http://ww.example/\n"},
         "a device down: both languages, value in minutes, time in the office zone"},
        {"recovery", "link_util", true, 70, 80, &port,
         "[wardwatch] ĐÃ KHÔI PHỤC: Đường truyền quá tải – Core SW / Gi0/1",
         {"ĐÃ KHÔI PHỤC: Đường truyền quá tải\n", "Cổng: Gi0/1\n", "Giá trị: 80.0 %\n",
          "Ngưỡng: trên 70 %\n", "RECOVERED: Link utilisation\n", "Interface: Gi0/1\n",
          "Value: 80.0 %\n", "Threshold: over 70 %\n"},
         "an interface kind: the port in the subject and body, the threshold's direction"},
        {"repeat", "ups_runtime", true, 10, 9, NULL,
         "[wardwatch] NHẮC LẠI: Pin bộ lưu điện sắp hết – Core SW",
         {"Giá trị: còn 9 phút dự phòng\n", "Ngưỡng: dưới 10 phút\n", "STILL FIRING",
          "Value: 9 min of runtime left\n", "Threshold: under 10 min\n"},
         "minutes below: the unit and direction from the kinds table"},
        {"firing", "cpu", false, 0, NAN, NULL, "[wardwatch] CẢNH BÁO: CPU quá tải – Core SW",
         {"CẢNH BÁO: CPU quá tải\n", "Thiết bị: Core SW (10.0.0.1)\nQuy tắc:",
          "ALERT: CPU load\n", "Device: Core SW (10.0.0.1)\nRule:"},
         "no value, no threshold: no such lines"},
    };

    (void)state;
    assert_int_equal(ww_i18n_load(I18N_DIR, &words), 0);
    use_zone("Asia/Ho_Chi_Minh");
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_alert_rule r;
        struct inv_alert_target t;
        char *subject = NULL, *body = NULL, what[160];
        size_t n = 0;

        inv_alert_rule_init(&r);
        r.name = (char *)"Mất kết nối";
        r.kind = (char *)cases[i].kind;
        r.has_threshold = cases[i].has_threshold;
        r.threshold = cases[i].threshold;
        target_of(T_UP, &t);
        t.name = (char *)"Core SW";
        t.host = (char *)"10.0.0.1";
        coll_alert_text(&cfg, words, cases[i].note, &r, &t, cases[i].ifc, cases[i].value, since,
                        &subject, &body);
        snprintf(what, sizeof(what), "case %zu (%s)", i, cases[i].why);
        if (strcmp(subject, cases[i].subject) != 0)
            fail_msg("%s: subject '%s', want '%s'", what, subject, cases[i].subject);
        while (n < WW_ARRAY_SIZE(cases[i].body) && cases[i].body[n])
            n++;
        want_in_order(what, body, cases[i].body, n);
        if (!cases[i].has_threshold && strstr(body, "Ngưỡng"))
            fail_msg("%s: a threshold line without a threshold:\n%s", what, body);
        if (!isfinite(cases[i].value) && strstr(body, "Value:"))
            fail_msg("%s: a value line without a value:\n%s", what, body);
        free(subject);
        free(body);
    }
    ww_i18n_free(words);
}

/* a zone with daylight saving: the offset of that instant; no words: the codes, once */
static void test_text_zone_and_codes(void **state)
{
    struct ww_config cfg = {.timezone = (char *)"Europe/Berlin"};
    struct inv_alert_rule r;
    struct inv_alert_target t;
    const struct {
        long long since;
        const char *want;
        const char *why;
    } cases[] = {
        {1783000000LL, "mail.since time=02/07/2026 15:46 Europe/Berlin (UTC+02:00)",
         "summer time"},
        {1796000000LL, "mail.since time=30/11/2026 01:53 Europe/Berlin (UTC+01:00)",
         "winter time"},
    };

    (void)state;
    use_zone("Europe/Berlin");
    inv_alert_rule_init(&r);
    r.name = (char *)"r";
    r.kind = (char *)"disk";
    r.has_threshold = true;
    r.threshold = 90;
    target_of(T_UP, &t);
    t.name = (char *)"nas";
    t.host = (char *)"nas.local";
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *subject = NULL, *body = NULL;
        coll_alert_text(&cfg, NULL, "firing", &r, &t, NULL, 95, cases[i].since, &subject, &body);
        if (!strstr(body, cases[i].want))
            fail_msg("case %zu (%s): no '%s' in:\n%s", i, cases[i].why, cases[i].want, body);
        assert_string_equal(subject, "mail.subject note=mail.note.firing kind=alertkind.disk"
                                     " device=nas");
        want_in_order("codes", body,
                      (const char *const[]){"mail.head note=mail.note.firing kind=alertkind.disk",
                                            "mail.device device=nas host=nas.local",
                                            "mail.value value=alertval.percent v=95.0",
                                            "mail.threshold threshold=alcond.pct_over v=90"},
                      4);
        if (strstr(body, "mail.lang_header"))
            fail_msg("without words the codes are given once:\n%s", body);
        free(subject);
        free(body);
    }
}

/* the collector's own catalogue: the UI's folder, or none (then the texts carry codes) */
static void test_words_load(void **state)
{
    struct ww_config cfg = {.www_dir = (char *)"dashboard/www"};

    (void)state;
    assert_int_equal(coll_alert_words_load(&cfg), 0);
    cfg.www_dir = (char *)"/nonexistent/www";
    assert_int_equal(coll_alert_words_load(&cfg), -ENOENT); /* a warning, not a failure */
    coll_alert_words_free();
    coll_alert_words_free(); /* safe twice */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_text_zone_and_codes),
        cmocka_unit_test(test_words_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
