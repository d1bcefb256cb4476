/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * params.c - strict parsing of numbers that arrive in URLs: digits only, bounded, so that
 * " 5", "+5", "5abc", "1e3" and "" are all rejected rather than guessed at.
 */
#include "dashboard/dashboard_int.h"

#include <limits.h>
#include <string.h>

#include "common/banned.h"

/* longer than any value we accept (LLONG_MAX has 19 digits); rejects 10^6-digit inputs
 * before strtoll sees them */
#define PARAM_DIGITS_MAX 19

static bool all_digits(const char *s)
{
    size_t n = 0;

    if (!*s)
        return false;
    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n >= PARAM_DIGITS_MAX)
            return false;
    }
    return true;
}

int dash_param_count(const char *value, long long def, long long min, long long max,
                     long long *out_value)
{
    long long v;

    if (!value) {
        *out_value = def;
        return 0;
    }
    if (!all_digits(value) || ww_parse_ll(value, min, max, &v) < 0)
        return -EINVAL;
    *out_value = v;
    return 0;
}

int dash_param_id(const char *value, long long *out_id)
{
    long long v;

    if (!value || !all_digits(value) || ww_parse_ll(value, 1, LLONG_MAX, &v) < 0)
        return -EINVAL;
    *out_id = v;
    return 0;
}

int dash_param_page(const char *limit, const char *offset, long long *out_limit,
                    long long *out_offset, const char **out_bad)
{
    if (dash_param_count(limit, DASH_LIMIT_DEFAULT, 0, DASH_LIMIT_MAX, out_limit) < 0) {
        *out_bad = "limit";
        return -EINVAL;
    }
    if (dash_param_count(offset, 0, 0, DASH_OFFSET_MAX, out_offset) < 0) {
        *out_bad = "offset";
        return -EINVAL;
    }
    return 0;
}
