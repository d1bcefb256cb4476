/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * officehours.c - office hours: parsing the [availability] settings, and the office
 * intervals of a time range, so that availability can be measured "within office hours".
 *
 * DESIGN: a calendar is built once per question range by walking local days with mktime()
 * (which knows DST and odd offsets from the tz database) and then answers any number of
 * "office seconds in [a,b)" questions by binary search over prefix sums. The zone is the
 * process's TZ, set once at start-up (ww_office_use_zone); mktime/localtime_r then only
 * read it, so building calendars is safe from any thread.
 */
#include "common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "banned.h"

static const char *const day_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/* "HH:MM" at *p (24:00 allowed, only as an end); advances *p */
static int parse_clock(const char **p, bool is_end, unsigned *out_min)
{
    const char *s = *p;
    unsigned h, m;

    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -EINVAL;
    h = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
    m = (unsigned)(s[3] - '0') * 10 + (unsigned)(s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !is_end)))
        return -EINVAL;
    *out_min = h * 60 + m;
    *p = s + 5;
    return 0;
}

int ww_office_parse_hours(const char *s, struct ww_office *o)
{
    const char *p = s;
    size_t n = 0;
    unsigned a, b;

    if (!s || !*s)
        return -EINVAL;
    for (;;) {
        if (n == WW_OFFICE_SPANS_MAX || parse_clock(&p, false, &a) < 0 || *p++ != '-' ||
            parse_clock(&p, true, &b) < 0 || a >= b || (n > 0 && a < o->end[n - 1]))
            return -EINVAL;
        o->start[n] = a;
        o->end[n] = b;
        n++;
        if (*p == '\0')
            break;
        if (*p++ != ',')
            return -EINVAL;
    }
    o->nspans = n;
    return 0;
}

static int day_index(const char *s, size_t len)
{
    if (len != 3)
        return -1;
    for (int i = 0; i < 7; i++)
        if (strncasecmp(s, day_names[i], 3) == 0)
            return i;
    return -1;
}

int ww_office_parse_days(const char *s, unsigned *out_days)
{
    unsigned days = 0;
    const char *p = s;

    if (!s || !*s)
        return -EINVAL;
    for (;;) {
        size_t len = strcspn(p, ",-");
        int a = day_index(p, len), b;

        if (a < 0)
            return -EINVAL;
        p += len;
        b = a;
        if (*p == '-') {
            p++;
            len = strcspn(p, ",-");
            b = day_index(p, len);
            if (b < 0)
                return -EINVAL;
            p += len;
        }
        for (int d = a;; d = (d + 1) % 7) { /* "sat-mon" wraps over Sunday */
            days |= 1u << d;
            if (d == b)
                break;
        }
        if (*p == '\0')
            break;
        if (*p++ != ',')
            return -EINVAL;
    }
    *out_days = days;
    return 0;
}

int ww_office_zone_valid(const char *zone)
{
    const char *dir = getenv("TZDIR");
    struct stat st;
    char path[512];
    int n;

    if (!zone || !*zone || strlen(zone) >= WW_OFFICE_ZONE_MAX || zone[0] == '/' ||
        strstr(zone, ".."))
        return -EINVAL;
    for (const char *c = zone; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("/_+-", *c))
            return -EINVAL;
    n = snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
    if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return -EINVAL;
    return 0;
}

int ww_office_init(const char *zone, const char *hours, const char *days,
                   struct ww_office *out)
{
    memset(out, 0, sizeof(*out));
    if (ww_office_zone_valid(zone) < 0)
        return ww_error(-EINVAL, "office hours: unknown time zone '%.64s'", zone ? zone : "");
    if (ww_office_parse_hours(hours, out) < 0)
        return ww_error(-EINVAL, "office hours: bad office_hours '%.64s'", hours ? hours : "");
    if (ww_office_parse_days(days, &out->days) < 0)
        return ww_error(-EINVAL, "office hours: bad office_days '%.64s'", days ? days : "");
    ww_strlcpy(out->zone, zone, sizeof(out->zone));
    return 0;
}

int ww_office_use_zone(const struct ww_office *o)
{
    if (setenv("TZ", o->zone, 1) < 0)
        return ww_error(-errno, "office hours: setenv TZ: %s", strerror(errno));
    tzset();
    return 0;
}

int ww_office_day(time_t now, int days_back, char out[11])
{
    struct tm tm;
    time_t t;

    if (!localtime_r(&now, &tm))
        return -EINVAL;
    tm.tm_mday -= days_back;
    tm.tm_hour = 12; /* noon: no daylight-saving edge moves the day */
    tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    if (t == (time_t)-1 || !localtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        return -EINVAL;
    return 0;
}

int ww_office_today(char out[11])
{
    return ww_office_day(time(NULL), 0, out);
}

int ww_office_day_key(const char *day, int *out_key)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;

    if (!day || strlen(day) != 10 || day[4] != '-' || day[7] != '-')
        return -EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)day[i]))
            return -EINVAL;
    y = (day[0] - '0') * 1000 + (day[1] - '0') * 100 + (day[2] - '0') * 10 + (day[3] - '0');
    m = (day[5] - '0') * 10 + (day[6] - '0');
    d = (day[8] - '0') * 10 + (day[9] - '0');
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -EINVAL;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -EINVAL;
    *out_key = y * 10000 + m * 100 + d;
    return 0;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* the epoch of local @minutes after the start of local day @day (normalised, isdst -1) */
static time_t local_at(const struct tm *day, unsigned minutes)
{
    struct tm t = *day;

    t.tm_hour = (int)(minutes / 60);
    t.tm_min = (int)(minutes % 60);
    t.tm_sec = 0;
    t.tm_isdst = -1;
    return mktime(&t);
}

int ww_office_cal_build(const struct ww_office *o, const int *holidays, size_t nholidays,
                        time_t from, time_t to, struct ww_office_cal *out)
{
    struct tm day;
    size_t cap;
    long long sum = 0;

    memset(out, 0, sizeof(*out));
    if (from > to || to - from > 100LL * 366 * 86400)
        return -EINVAL;
    out->from = from;
    out->to = to;
    cap = (size_t)((to - from) / 86400 + 2) * (o->nspans ? o->nspans : 1);
    out->start = ww_reallocarray(NULL, cap, sizeof(time_t));
    out->end = ww_reallocarray(NULL, cap, sizeof(time_t));
    out->before = ww_reallocarray(NULL, cap, sizeof(long long));
    if (!localtime_r(&from, &day))
        return -EINVAL;
    day.tm_hour = day.tm_min = day.tm_sec = 0;
    for (;;) {
        struct tm t = day;
        time_t midnight;
        int key;

        t.tm_isdst = -1;
        midnight = mktime(&t);
        if (midnight == (time_t)-1 || midnight >= to)
            break;
        t.tm_hour = t.tm_min = t.tm_sec = 0; /* mktime may have moved 00:00 in a DST gap */
        day = t;
        key = (t.tm_year + 1900) * 10000 + (t.tm_mon + 1) * 100 + t.tm_mday;
        if ((o->days & (1u << t.tm_wday)) &&
            !(nholidays && bsearch(&key, holidays, nholidays, sizeof(int), int_cmp))) {
            for (size_t i = 0; i < o->nspans && out->n < cap; i++) {
                time_t a = local_at(&day, o->start[i]), b = local_at(&day, o->end[i]);

                a = a < from ? from : a;
                b = b > to ? to : b;
                if (a >= b)
                    continue;
                out->start[out->n] = a;
                out->end[out->n] = b;
                out->before[out->n] = sum;
                sum += (long long)(b - a);
                out->n++;
            }
        }
        day.tm_mday++;
    }
    return 0;
}

/* the index of the first interval that ends after @t (c->n when none does) */
static size_t cal_first_after(const struct ww_office_cal *c, time_t t)
{
    size_t lo = 0, hi = c->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->end[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* office seconds in [calendar start, t) */
static long long cal_upto(const struct ww_office_cal *c, time_t t)
{
    size_t lo = cal_first_after(c, t);

    if (lo == c->n)
        return c->n ? c->before[c->n - 1] + (long long)(c->end[c->n - 1] - c->start[c->n - 1])
                    : 0;
    return c->before[lo] + (t > c->start[lo] ? (long long)(t - c->start[lo]) : 0);
}

long long ww_office_cal_seconds(const struct ww_office_cal *c, time_t a, time_t b)
{
    if (b <= a)
        return 0;
    return cal_upto(c, b) - cal_upto(c, a);
}

bool ww_office_cal_contains(const struct ww_office_cal *c, time_t t)
{
    size_t i = cal_first_after(c, t);

    return i < c->n && c->start[i] <= t;
}

void ww_office_cal_release(struct ww_office_cal *c)
{
    free(c->start);
    free(c->end);
    free(c->before);
    memset(c, 0, sizeof(*c));
}
