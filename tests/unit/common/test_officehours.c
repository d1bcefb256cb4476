/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_officehours.c - office-hour settings (good and bad), the office seconds of ranges in
 * Asia/Ho_Chi_Minh (UTC+7) with lunch, weekend, holiday and midnight, a DST day elsewhere,
 * and the [availability] config keys refusing malformed values with the line number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"

static void test_parse_hours(void **state)
{
    static const struct {
        const char *s;
        int ret;
        size_t n;
        unsigned s0, e0, s1, e1;
    } cases[] = {
        {"07:30-11:30,13:30-17:00", 0, 2, 450, 690, 810, 1020},
        {"00:00-24:00", 0, 1, 0, 1440, 0, 0},
        {"08:00-12:00", 0, 1, 480, 720, 0, 0},
        {"", -EINVAL, 0, 0, 0, 0, 0},
        {"7:30-11:30", -EINVAL, 0, 0, 0, 0, 0},
        {"07:30-11:30,", -EINVAL, 0, 0, 0, 0, 0},
        {"07:30-07:30", -EINVAL, 0, 0, 0, 0, 0},     /* empty span */
        {"12:00-08:00", -EINVAL, 0, 0, 0, 0, 0},     /* backwards */
        {"13:30-17:00,07:30-11:30", -EINVAL, 0, 0, 0, 0, 0}, /* not ascending */
        {"07:30-12:00,11:30-17:00", -EINVAL, 0, 0, 0, 0, 0}, /* overlapping */
        {"24:00-24:00", -EINVAL, 0, 0, 0, 0, 0},
        {"07:60-08:00", -EINVAL, 0, 0, 0, 0, 0},
        {"25:00-26:00", -EINVAL, 0, 0, 0, 0, 0},
        {"07:30 - 11:30", -EINVAL, 0, 0, 0, 0, 0},
        {"07:30-11:30;13:30-17:00", -EINVAL, 0, 0, 0, 0, 0},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct ww_office o = {0};
        int ret = ww_office_parse_hours(cases[i].s, &o);
        if (ret != cases[i].ret)
            fail_msg("'%s': %d, expected %d", cases[i].s, ret, cases[i].ret);
        if (ret == 0) {
            assert_int_equal(o.nspans, cases[i].n);
            assert_int_equal(o.start[0], cases[i].s0);
            assert_int_equal(o.end[0], cases[i].e0);
            if (o.nspans > 1) {
                assert_int_equal(o.start[1], cases[i].s1);
                assert_int_equal(o.end[1], cases[i].e1);
            }
        }
    }
}

static void test_parse_days(void **state)
{
    /* bit N = tm_wday N: Sunday 0x01, Monday 0x02 ... Saturday 0x40 */
    static const struct {
        const char *s;
        int ret;
        unsigned days;
    } cases[] = {
        {"mon-fri", 0, 0x3e},   {"Mon-Fri", 0, 0x3e},    {"mon,wed,fri", 0, 0x2a},
        {"sat-mon", 0, 0x43},   {"sun", 0, 0x01},        {"mon-sun", 0, 0x7f},
        {"mon-fri,sat", 0, 0x7e}, {"", -EINVAL, 0},      {"monday", -EINVAL, 0},
        {"mon-", -EINVAL, 0},   {"mon,,tue", -EINVAL, 0}, {"mon-fri-sat", -EINVAL, 0},
        {"lun-ven", -EINVAL, 0}, {"mon tue", -EINVAL, 0},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        unsigned days = 0;
        int ret = ww_office_parse_days(cases[i].s, &days);
        if (ret != cases[i].ret || (ret == 0 && days != cases[i].days))
            fail_msg("'%s': %d 0x%x, expected %d 0x%x", cases[i].s, ret, days, cases[i].ret,
                     cases[i].days);
    }
}

static void test_zone_and_day_key(void **state)
{
    static const struct {
        const char *zone;
        int ret;
    } zones[] = {
        {"Asia/Ho_Chi_Minh", 0}, {"UTC", 0},           {"Europe/Berlin", 0},
        {"Asia/Hanoi", -EINVAL}, {"", -EINVAL},         {"/etc/passwd", -EINVAL},
        {"../../etc/passwd", -EINVAL}, {"Asia", -EINVAL}, /* a folder, not a zone */
        {"Asia/Ho Chi Minh", -EINVAL},
    };
    static const struct {
        const char *day;
        int ret, key;
    } days[] = {
        {"2026-11-25", 0, 20261125}, {"2028-02-29", 0, 20280229}, {"2026-02-29", -EINVAL, 0},
        {"2026-02-30", -EINVAL, 0},  {"2026-13-01", -EINVAL, 0},  {"2026-1-01", -EINVAL, 0},
        {"2026-11-25x", -EINVAL, 0}, {"1900-01-01", -EINVAL, 0},  {"2026/11/25", -EINVAL, 0},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(zones); i++)
        if (ww_office_zone_valid(zones[i].zone) != zones[i].ret)
            fail_msg("zone '%s'", zones[i].zone);
    for (size_t i = 0; i < WW_ARRAY_SIZE(days); i++) {
        int key = 0, ret = ww_office_day_key(days[i].day, &key);
        if (ret != days[i].ret || (ret == 0 && key != days[i].key))
            fail_msg("day '%s': %d %d", days[i].day, ret, key);
    }
}

/*
 * Office seconds in Asia/Ho_Chi_Minh (UTC+7, no DST), default hours 07:30-11:30 and
 * 13:30-17:00 (4 h + 3 h 30 = 27000 s a day), Monday to Friday. The week of the
 * availability test: Mon 2026-11-23 ... Mon 2026-11-30; Wed 2026-11-25 is the holiday.
 * Epochs: Mon 23 10:00 local = 1795402800 (03:00Z); add 3600 per hour.
 */
static void test_office_seconds(void **state)
{
    static const int holiday[] = {20261125};
    static const struct {
        const char *what;
        time_t from, to;
        bool holiday;
        long long want;
    } cases[] = {
        /* Mon 10:00-11:30 5400 + 13:30-17:00 12600 = 18000; Tue 27000; Wed holiday 0;
         * Thu 27000; Fri 27000; Sat, Sun 0; Mon 07:30-10:00 9000 -> 108000 */
        {"the week, holiday", 1795402800, 1796007600, true, 108000},
        {"the week, no holiday", 1795402800, 1796007600, false, 135000},
        /* Mon 16:00 -> Tue 08:30: 16:00-17:00 3600 + 07:30-08:30 3600 */
        {"across midnight", 1795424400, 1795483800, true, 7200},
        /* Thu 11:00-14:00: 11:00-11:30 1800 + 13:30-14:00 1800 (lunch left out) */
        {"over lunch", 1795665600, 1795676400, true, 3600},
        {"lunch only (Thu 11:30-13:30)", 1795665600 + 1800, 1795665600 + 9000, true, 0},
        {"Saturday 09:00-12:00", 1795831200, 1795842000, true, 0},
        {"holiday 09:00-10:00", 1795572000, 1795575600, true, 0},
        {"same hour, not a holiday", 1795572000, 1795575600, false, 3600},
        {"empty range", 1795572000, 1795572000, false, 0},
        /* Mon 23 00:00 local = 1795366800 .. 07:30 = +27000: nothing; to 07:31 = 60 s */
        {"before opening", 1795366800, 1795366800 + 27000, false, 0},
        {"first office minute", 1795366800, 1795366800 + 27060, false, 60},
    };
    struct ww_office o;

    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30,13:30-17:00", "mon-fri", &o),
                     0);
    assert_int_equal(ww_office_use_zone(&o), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct ww_office_cal cal;
        long long got;

        assert_int_equal(ww_office_cal_build(&o, cases[i].holiday ? holiday : NULL,
                                             cases[i].holiday ? 1 : 0, cases[i].from,
                                             cases[i].to, &cal),
                         0);
        got = ww_office_cal_seconds(&cal, cases[i].from, cases[i].to);
        if (got != cases[i].want)
            fail_msg("%s: %lld, expected %lld", cases[i].what, got, cases[i].want);
        ww_office_cal_release(&cal);
    }

    /* one calendar, sub-ranges asked of it: the whole week's calendar answers the midnight
     * case the same as its own small calendar */
    {
        struct ww_office_cal cal;
        assert_int_equal(ww_office_cal_build(&o, holiday, 1, 1795402800, 1796007600, &cal), 0);
        assert_int_equal(ww_office_cal_seconds(&cal, 1795424400, 1795483800), 7200);
        assert_int_equal(ww_office_cal_seconds(&cal, 0, 1795402800), 0); /* outside: clipped */
        assert_int_equal(ww_office_cal_seconds(&cal, 1795402800, 1796007600 + 86400), 108000);
        ww_office_cal_release(&cal);
    }
}

/* ww_office_cal_contains(): one second at a time, the same answer as its seconds */
static void test_office_contains(void **state)
{
    static const int holiday[] = {20261125};
    static const struct {
        time_t t;
        bool want;
        const char *why;
    } cases[] = {
        {1795402800, true, "Mon 23 10:00, the calendar's first second"},
        {1795366800 + 27000 - 1, false, "Mon 23 07:29:59, before opening (and the calendar)"},
        {1795408200 - 1, true, "Mon 23 11:29:59, the last second of the morning"},
        {1795408200, false, "Mon 23 11:30, lunch"},
        {1795415400 - 1, false, "Mon 23 13:29:59, the last second of lunch"},
        {1795415400, true, "Mon 23 13:30, the first second of the afternoon"},
        {1795428000 - 1, true, "Mon 23 16:59:59, the last office second"},
        {1795428000, false, "Mon 23 17:00, closed"},
        {1795575600, false, "Wed 25 10:00, a holiday"},
        {1795575600 - 86400, true, "Tue 24 10:00, the same hour a day before"},
        {1795836600, false, "Sat 28 10:30, weekend"},
        {1796007600 - 1, true, "Mon 30 09:59:59, the calendar's last second"},
        {1796007600, false, "Mon 30 10:00, past the calendar's end"},
        {1795402800 - 1, false, "Mon 23 09:59:59, before the calendar's start"},
    };
    struct ww_office_cal cal;
    struct ww_office o;

    (void)state;
    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30,13:30-17:00", "mon-fri", &o),
                     0);
    assert_int_equal(ww_office_use_zone(&o), 0);
    assert_int_equal(ww_office_cal_build(&o, holiday, 1, 1795402800, 1796007600, &cal), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        bool got = ww_office_cal_contains(&cal, cases[i].t);
        if (got != cases[i].want)
            fail_msg("case %zu (%s): %d, want %d", i, cases[i].why, got, cases[i].want);
        if ((ww_office_cal_seconds(&cal, cases[i].t, cases[i].t + 1) == 1) != got)
            fail_msg("case %zu (%s): the seconds disagree", i, cases[i].why);
    }
    ww_office_cal_release(&cal);
}

/* a zone with DST: Sunday 2026-03-29 in Berlin has 23 hours (02:00 CET -> 03:00 CEST) */
static void test_dst_day(void **state)
{
    struct ww_office o;
    struct ww_office_cal cal;
    /* 2026-03-29 00:00 CET = 2026-03-28T23:00Z = 1774738800; 2026-03-30 00:00 CEST =
     * 2026-03-29T22:00Z = 1774821600 */
    assert_int_equal(ww_office_init("Europe/Berlin", "00:00-24:00", "sun", &o), 0);
    assert_int_equal(ww_office_use_zone(&o), 0);
    assert_int_equal(ww_office_cal_build(&o, NULL, 0, 1774738800 - 86400, 1774821600 + 86400,
                                         &cal),
                     0);
    assert_int_equal(ww_office_cal_seconds(&cal, 0, 1774821600 + 86400), 23 * 3600);
    ww_office_cal_release(&cal);
    /* back to the zone the other tests use */
    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30", "mon-fri", &o), 0);
    assert_int_equal(ww_office_use_zone(&o), 0);
}

/* the office's day is the office zone's, not UTC's: from 17:00 UTC it is tomorrow in Hà Nội */
static void test_office_day(void **state)
{
    static const struct {
        time_t now;
        int back;
        const char *zone, *want, *why;
    } cases[] = {
        {1796662800 - 1, 0, "Asia/Ho_Chi_Minh", "2026-12-07", "16:59:59 UTC is 23:59:59 in Hà Nội"},
        {1796662800, 0, "Asia/Ho_Chi_Minh", "2026-12-08", "17:00 UTC is already tomorrow"},
        {1796662800, 1, "Asia/Ho_Chi_Minh", "2026-12-07", "a day back from just past midnight"},
        {1796662800, 90, "Asia/Ho_Chi_Minh", "2026-09-09", "90 days back crosses months"},
        {1796662800, 0, "UTC", "2026-12-07", "the same instant in UTC"},
        {1774821600 - 3600, 1, "Europe/Berlin", "2026-03-28", "back across a 23-hour day"},
        {1772323200, 0, "Asia/Ho_Chi_Minh", "2026-03-01", "the day after 28 February"},
    };
    struct ww_office o;
    char day[11];

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        assert_int_equal(ww_office_init(cases[i].zone, "07:30-11:30", "mon-fri", &o), 0);
        assert_int_equal(ww_office_use_zone(&o), 0);
        assert_int_equal(ww_office_day(cases[i].now, cases[i].back, day), 0);
        if (strcmp(day, cases[i].want) != 0)
            fail_msg("case %zu (%s): %s, want %s", i, cases[i].why, day, cases[i].want);
    }
    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30", "mon-fri", &o), 0);
    assert_int_equal(ww_office_use_zone(&o), 0);
    assert_int_equal(ww_office_today(day), 0);
    assert_int_equal(strlen(day), 10);
}

/* a year of a 10,000-device question is one calendar: ~500 intervals, built once */
static void test_year_calendar(void **state)
{
    struct ww_office o;
    struct ww_office_cal cal;

    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30,13:30-17:00", "mon-fri",
                                    &o),
                     0);
    assert_int_equal(ww_office_use_zone(&o), 0);
    /* Mon 2025-12-01 00:00 local (1764522000) .. 52 weeks later: 260 office days */
    assert_int_equal(ww_office_cal_build(&o, NULL, 0, 1764522000, 1764522000 + 364LL * 86400,
                                         &cal),
                     0);
    assert_int_equal(cal.n, 520);
    assert_int_equal(ww_office_cal_seconds(&cal, 1764522000, 1764522000 + 364LL * 86400),
                     260LL * 27000);
    ww_office_cal_release(&cal);
    assert_int_equal(ww_office_cal_build(&o, NULL, 0, 10, 5, &cal), -EINVAL);
}

static void test_config_rejects(void **state)
{
    static const struct {
        const char *line;
        const char *needle;
    } cases[] = {
        {"office_hours = 7:30-11:30", "availability.office_hours must be"},
        {"office_hours = 13:30-17:00,07:30-11:30", "availability.office_hours must be"},
        {"office_days = weekdays", "availability.office_days must be"},
        {"timezone = Mars/Olympus", "availability.timezone must be"},
        {"timezone = ../../etc/passwd", "availability.timezone must be"},
    };
    char dir[] = "/tmp/wwofficeXXXXXX";
    char *path;
    struct ww_config cfg;

    assert_non_null(mkdtemp(dir));
    path = ww_asprintf("%s/w.conf", dir);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "[availability]\n%s\n", cases[i].line);
        fclose(f);
        ww_clear_error();
        assert_int_equal(ww_config_load(path, &cfg), -EINVAL);
        if (!strstr(ww_last_error(), cases[i].needle) || !strstr(ww_last_error(), ":2:"))
            fail_msg("'%s': '%s'", cases[i].line, ww_last_error());
    }
    /* good values are kept */
    {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("[availability]\ntimezone = UTC\noffice_hours = 08:00-12:00\n"
              "office_days = mon,wed\n", f);
        fclose(f);
        assert_int_equal(ww_config_load(path, &cfg), 0);
        assert_string_equal(cfg.timezone, "UTC");
        assert_string_equal(cfg.office_hours, "08:00-12:00");
        assert_string_equal(cfg.office_days, "mon,wed");
        ww_config_release(&cfg);
    }
    /* the command-line override goes through the same check */
    assert_int_equal(ww_config_load(NULL, &cfg), 0);
    assert_string_equal(cfg.office_hours, "07:30-11:30,13:30-17:00");
    assert_int_equal(ww_config_set(&cfg, "availability", "office_days", "xyz"), -EINVAL);
    ww_config_release(&cfg);
    unlink(path);
    rmdir(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_hours),    cmocka_unit_test(test_parse_days),
        cmocka_unit_test(test_zone_and_day_key), cmocka_unit_test(test_office_seconds),
        cmocka_unit_test(test_office_contains),
        cmocka_unit_test(test_dst_day),        cmocka_unit_test(test_office_day),        cmocka_unit_test(test_year_calendar),
        cmocka_unit_test(test_config_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
