/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_errcode.c - poll errors as data: every enum coll_err has its stable, distinct,
 * lowercase name, coll_err_parse() reads each name back, and coll_set_error() keeps the
 * first cause with its code and parameter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "collector/collector.h"
#include "collector/snmp_int.h"

/* the names are stored in events and read by the UI: a rename is a bug */
static void test_names(void **state)
{
    static const struct {
        enum coll_err code;
        const char *name;
        const char *why;
    } cases[] = {
        {COLL_ERR_NONE, "none", "no error"},
        {COLL_ERR_TIMEOUT, "timeout", "no answer after the retries"},
        {COLL_ERR_DEADLINE, "deadline", "the whole poll too long"},
        {COLL_ERR_SEND_FAILED, "send_failed", "a request not sent"},
        {COLL_ERR_AGENT_ERROR, "agent_error", "an error status to the system group"},
        {COLL_ERR_NO_SYSTEM_GROUP, "no_system_group", "answers, but no system group"},
        {COLL_ERR_TOO_MANY_VALUES, "too_many_values", "over COLL_MAX_VALUES"},
        {COLL_ERR_V3_REFUSED, "v3_refused", "the agent refused our user, key or level"},
        {COLL_ERR_V3_CONFIG, "v3_config", "our v3 settings incomplete"},
        {COLL_ERR_V3_SESSION, "v3_session", "a v3 session not opened"},
        {COLL_ERR_SESSION_OPEN, "session_open", "a session not opened"},
        {COLL_ERR_STOPPED, "stopped", "the collector stopped mid-poll"},
        {COLL_ERR_WAITING_ENGINE, "waiting_engine", "another device with the same engine ID"},
        {COLL_ERR_UNEXPECTED, "unexpected", "net-snmp said something odd"},
    };
    bool seen[COLL_ERR_COUNT] = {false};

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum coll_err back = COLL_ERR_COUNT;
        const char *got = coll_err_name(cases[i].code);
        if (strcmp(got, cases[i].name) != 0)
            fail_msg("case %zu (%s): name '%s', want '%s'", i, cases[i].why, got, cases[i].name);
        if (coll_err_parse(cases[i].name, &back) != 0 || back != cases[i].code)
            fail_msg("case %zu (%s): '%s' does not parse back", i, cases[i].why, cases[i].name);
        seen[cases[i].code] = true;
    }
    for (int c = 0; c < COLL_ERR_COUNT; c++)
        if (!seen[c])
            fail_msg("code %d (%s) has no case here: add it", c, coll_err_name(c));
}

/* every code, including ones added later: a name that is non-empty, lowercase, its own */
static void test_every_code(void **state)
{
    for (int c = 0; c < COLL_ERR_COUNT; c++) {
        const char *name = coll_err_name(c);
        enum coll_err back = COLL_ERR_COUNT;

        assert_non_null(name);
        if (!name[0] || strcmp(name, "unknown") == 0)
            fail_msg("code %d has no name", c);
        if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
            fail_msg("code %d: name '%s' is not lowercase [a-z0-9_]", c, name);
        for (int o = 0; o < c; o++)
            if (strcmp(name, coll_err_name(o)) == 0)
                fail_msg("codes %d and %d share the name '%s'", o, c, name);
        if (coll_err_parse(name, &back) != 0 || (int)back != c)
            fail_msg("code %d: '%s' parses back as %d", c, name, (int)back);
    }
}

static void test_bad_input(void **state)
{
    static const struct {
        const char *name;
        const char *why;
    } cases[] = {
        {"", "empty"},
        {"unknown", "what coll_err_name() says for a bad code is no code"},
        {"TIMEOUT", "names are lowercase, compared exactly"},
        {"timeout ", "a trailing space"},
        {"time", "a prefix"},
        {NULL, "no name"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum coll_err out = COLL_ERR_STOPPED;
        if (coll_err_parse(cases[i].name, &out) != -EINVAL)
            fail_msg("case %zu (%s): parsed", i, cases[i].why);
        if (out != COLL_ERR_STOPPED)
            fail_msg("case %zu (%s): *out_code written", i, cases[i].why);
    }
    assert_string_equal(coll_err_name(COLL_ERR_COUNT), "unknown");
    assert_string_equal(coll_err_name((enum coll_err)-1), "unknown");
}

/* coll_set_error(): the first cause is the one kept, its code and parameter with it */
static void test_set_error(void **state)
{
    char long_param[200];
    struct coll_result r;

    memset(long_param, 'x', sizeof(long_param) - 1);
    long_param[sizeof(long_param) - 1] = '\0';
    memset(&r, 0, sizeof(r));
    coll_set_error(&r, COLL_ERR_DEADLINE, "5000", "poll deadline of %s ms passed", "5000");
    assert_string_equal(r.error, "poll deadline of 5000 ms passed");
    assert_int_equal(r.err_code, COLL_ERR_DEADLINE);
    assert_string_equal(r.err_param, "5000");

    coll_set_error(&r, COLL_ERR_STOPPED, NULL, "stopped");
    assert_string_equal(r.error, "poll deadline of 5000 ms passed");
    assert_int_equal(r.err_code, COLL_ERR_DEADLINE);
    assert_string_equal(r.err_param, "5000");

    memset(&r, 0, sizeof(r));
    coll_set_error(&r, COLL_ERR_TIMEOUT, NULL, "no answer (timeout)");
    assert_int_equal(r.err_code, COLL_ERR_TIMEOUT);
    assert_string_equal(r.err_param, "");

    memset(&r, 0, sizeof(r));
    coll_set_error(&r, COLL_ERR_V3_SESSION, long_param, "SNMPv3 session: %s", long_param);
    assert_int_equal(strlen(r.err_param), COLL_ERR_PARAM_MAX - 1);
    assert_int_equal(strlen(r.error), sizeof(r.error) - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_every_code),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_set_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
