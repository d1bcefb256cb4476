/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_sched.c - the long-running collector's scheduler (sched.c): phases spread over the
 * interval, every device once per interval, never two polls of one device at once, late
 * polls counted as missed, device list changes while polls are in flight; and a bounded run
 * (--intervals) on a fake clock: every device once per interval in phase order, no sleeping
 * for phases, never two intervals of a device in one wall second.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"

#define IV 60000 /* interval, ms */

static long long *ids_1_to(size_t n)
{
    long long *ids = calloc(n, sizeof(*ids));
    assert_non_null(ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (long long)i + 1;
    return ids;
}

/* take and finish every device due by @now; returns how many */
static size_t drain(struct coll_sched *s, int64_t now)
{
    long long id;
    size_t item, n = 0;
    int64_t due;

    while (coll_sched_next(s, now, &id, &item, &due)) {
        assert_true(due <= now);
        coll_sched_done(s, id);
        n++;
    }
    return n;
}

static void test_phase_spread(void **state)
{
    /* 10,000 devices over 60 s: each tenth of the interval holds close to a tenth of them */
    size_t bucket[10] = {0};
    for (long long id = 1; id <= 10000; id++) {
        int64_t p = coll_sched_phase(id, IV);
        assert_true(p >= 0 && p < IV);
        assert_int_equal(p, coll_sched_phase(id, IV)); /* the same at every start */
        bucket[p / (IV / 10)]++;
    }
    for (size_t i = 0; i < 10; i++)
        if (bucket[i] < 850 || bucket[i] > 1150)
            fail_msg("tenth %zu of the interval holds %zu of 10,000 devices", i, bucket[i]);
    assert_int_equal(coll_sched_phase(7, 0), 0);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* devices come due in groups of about COLL_SCHED_GROUP on grid points spread over the
 * interval; each still comes once per interval */
static void test_groups(void **state)
{
    static const size_t sizes[] = {3, 100, 1000, 10000};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t n = sizes[k], points = 0, biggest = 0, run = 0;
        long long *ids = ids_1_to(n), id;
        int64_t *dues = calloc(n, sizeof(*dues)), t0 = 7 * IV + 123, grid, due;
        struct coll_sched s;
        size_t item, got = 0;

        grid = coll_sched_grid(n, IV);
        assert_true(grid >= 1 && grid <= IV / 8);
        if (n >= 8 * COLL_SCHED_GROUP)
            assert_int_equal(grid, IV * COLL_SCHED_GROUP / (int64_t)n);
        coll_sched_init(&s, IV);
        coll_sched_sync(&s, ids, n, t0);
        assert_int_equal(s.grid_ms, grid);
        while (coll_sched_next(&s, t0 + IV, &id, &item, &due))
            dues[got++] = due;
        assert_int_equal(got, n); /* every device once in the first interval */
        qsort(dues, n, sizeof(*dues), cmp_i64);
        for (size_t i = 0; i < n; i++) {
            assert_true(dues[i] > t0 && dues[i] <= t0 + IV);
            assert_int_equal(dues[i] % IV % grid, 0); /* on a grid point */
            run = i && dues[i] == dues[i - 1] ? run + 1 : 1;
            points += run == 1;
            biggest = run > biggest ? run : biggest;
        }
        /* on average about COLL_SCHED_GROUP per point (hash variance allowed) */
        if (n >= 8 * COLL_SCHED_GROUP) {
            assert_true(n / points >= COLL_SCHED_GROUP / 2);
            assert_true(n / points <= COLL_SCHED_GROUP * 2);
            assert_true(biggest <= 4 * COLL_SCHED_GROUP);
        }
        coll_sched_release(&s);
        free(dues);
        free(ids);
    }
}

static void test_once_per_interval(void **state)
{
    struct coll_sched s;
    long long *ids = ids_1_to(500);
    int64_t t0 = 1000000; /* any monotonic start */

    coll_sched_init(&s, IV);
    coll_sched_sync(&s, ids, 500, t0);
    assert_int_equal(drain(&s, t0), 0); /* nothing is due before its first phase point */
    /* stepping through two intervals 100 ms at a time polls each device exactly twice */
    size_t polled = 0;
    for (int64_t now = t0 + 100; now <= t0 + 2 * IV; now += 100)
        polled += drain(&s, now);
    assert_int_equal(polled, 1000);
    assert_int_equal(s.started, 1000);
    assert_int_equal(s.missed, 0);
    assert_true(coll_sched_next_due(&s) > t0 + 2 * IV);
    assert_true(coll_sched_next_due(&s) <= t0 + 3 * IV);
    coll_sched_release(&s);
    free(ids);
}

static void test_never_twice(void **state)
{
    struct coll_sched s;
    long long ids[] = {42}, id;
    size_t item;
    int64_t due, t0 = 0;

    coll_sched_init(&s, IV);
    coll_sched_sync(&s, ids, 1, t0);
    int64_t first = coll_sched_next_due(&s), grid = coll_sched_grid(1, IV);
    int64_t point = coll_sched_phase(42, IV) / grid * grid;
    assert_int_equal(grid, IV / 8); /* one device: the coarsest grid */
    assert_int_equal(first, point ? point : IV);
    assert_true(coll_sched_next(&s, first, &id, &item, &due));
    assert_int_equal(id, 42);
    assert_int_equal(item, 0);
    assert_int_equal(due, first);
    /* a slow poll still in flight three intervals later is not handed out again */
    assert_false(coll_sched_next(&s, first + 3 * IV, &id, &item, &due));
    assert_int_equal(coll_sched_next_due(&s), INT64_MAX);
    coll_sched_done(&s, 42);
    /* it ended three intervals late: the next start skips the two slots it missed */
    assert_true(coll_sched_next(&s, first + 3 * IV, &id, &item, &due));
    assert_int_equal(due, first + 3 * IV);
    assert_int_equal(s.missed, 2);
    coll_sched_done(&s, 42);
    coll_sched_done(&s, 42); /* a second done is ignored */
    assert_int_equal(coll_sched_next_due(&s), first + 4 * IV);
    coll_sched_release(&s);
}

static void test_sync_changes(void **state)
{
    struct coll_sched s;
    long long a[] = {3, 1, 2, 2}, b[] = {2, 4}, id;
    size_t item;
    int64_t due, now = 5 * IV;

    coll_sched_init(&s, IV);
    coll_sched_sync(&s, a, 4, 0); /* 2 listed twice: one device */
    assert_int_equal(s.n, 3);
    /* start device 1 and leave it in flight */
    while (coll_sched_next(&s, now, &id, &item, &due) && id != 1)
        coll_sched_done(&s, id);
    assert_int_equal(id, 1);
    assert_int_equal(item, 1); /* its index in the list given to sync */
    int64_t due2 = -1;
    for (size_t i = 0; i < s.n; i++)
        if (s.devs[i].id == 2)
            due2 = s.devs[i].due;
    /* the list changes: 1 and 3 removed, 4 added; 2 keeps its time, item follows the list */
    coll_sched_sync(&s, b, 2, now);
    assert_int_equal(s.n, 3); /* 1 is kept, gone, until its poll ends */
    for (size_t i = 0; i < s.n; i++) {
        if (s.devs[i].id == 2) {
            assert_int_equal(s.devs[i].due, due2);
            assert_int_equal(s.devs[i].item, 0);
        }
        if (s.devs[i].id == 4)
            assert_int_equal(s.devs[i].item, 1);
        assert_true(s.devs[i].id != 3);
    }
    coll_sched_done(&s, 1);
    assert_int_equal(s.n, 2);
    /* from now on only 2 and 4 come out, each once per interval */
    size_t seen2 = 0, seen4 = 0;
    for (int64_t t = now; t <= now + 2 * IV; t += 50) {
        while (coll_sched_next(&s, t, &id, &item, &due)) {
            assert_true(id == 2 || id == 4);
            seen2 += id == 2;
            seen4 += id == 4;
            coll_sched_done(&s, id);
        }
    }
    assert_in_range(seen2, 2, 3);
    assert_in_range(seen4, 2, 3);
    /* an empty list empties it */
    coll_sched_sync(&s, NULL, 0, now);
    assert_int_equal(s.n, 0);
    assert_false(coll_sched_next(&s, now + 10 * IV, &id, &item, &due));
    coll_sched_release(&s);
}

static void test_heap_order(void **state)
{
    /* the most overdue device comes first, whatever order the list had */
    struct coll_sched s;
    long long *ids = ids_1_to(2000), id, prev_due = INT64_MIN;
    size_t item, n = 0;
    int64_t due;

    coll_sched_init(&s, IV);
    coll_sched_sync(&s, ids, 2000, 0);
    while (coll_sched_next(&s, IV + 1, &id, &item, &due)) {
        assert_true(due >= prev_due);
        prev_due = due;
        assert_int_equal(ids[item], id);
        n++;
    }
    assert_int_equal(n, 2000);
    coll_sched_release(&s);
    free(ids);
}

/* ---- a fake clock: time moves only when the test says so, sleeping moves it at once ----- */

struct fake {
    int64_t mono;      /* ms */
    double wall0;      /* epoch seconds at mono 0 */
    int64_t slept_ms;  /* what coll_clock_sleep() asked for, in all */
    unsigned sleeps;
};
static int64_t fake_mono(void *arg)
{
    return ((struct fake *)arg)->mono;
}
static double fake_wall_of(void *arg, int64_t mono)
{
    return ((struct fake *)arg)->wall0 + (double)mono / 1000.0;
}
static double fake_wall(void *arg)
{
    return fake_wall_of(arg, ((struct fake *)arg)->mono);
}
static void fake_sleep(void *arg, int64_t ms)
{
    struct fake *f = arg;
    f->mono += ms;
    f->slept_ms += ms;
    f->sleeps++;
}
static void fake_clock(struct coll_clock *c, struct fake *f, int64_t mono, double wall0)
{
    memset(f, 0, sizeof(*f));
    f->mono = mono;
    f->wall0 = wall0;
    c->mono_ms = fake_mono;
    c->wall = fake_wall;
    c->wall_of = fake_wall_of;
    c->sleep_ms = fake_sleep;
    c->arg = f;
    atomic_store(&c->skip_ms, 0);
}

static void test_next_second(void **state)
{
    static const struct {
        double wall0;      /* wall time at mono 0 */
        int64_t stamp, now; /* the answer's stamp and the clock now, mono ms */
        int64_t want;
        const char *why;
    } cases[] = {
        {1796000000.0, 300, 300, 700, "answer at .300, now: wait for the next second"},
        {1796000000.0, 300, 900, 100, "some of the wait has passed already"},
        {1796000000.0, 300, 1000, 0, "the wall clock is in the next second"},
        {1796000000.0, 300, 5000, 0, "long past it"},
        {1796000000.0, 0, 0, 1000, "an answer on the second's first ms waits a whole second"},
        {1796000000.25, 1700, 1700, 50, "an anchor off the second boundary: .950 waits 50 ms"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct coll_clock c;
        struct fake f;
        fake_clock(&c, &f, cases[i].now, cases[i].wall0);
        if (coll_clock_next_second_ms(&c, cases[i].stamp) != cases[i].want)
            fail_msg("case %zu (%s): %lld ms, want %lld", i, cases[i].why,
                     (long long)coll_clock_next_second_ms(&c, cases[i].stamp),
                     (long long)cases[i].want);
    }
}

static void test_clock_skip(void **state)
{
    struct coll_clock c;
    struct fake f;

    fake_clock(&c, &f, 5000, 1796000000.0);
    coll_clock_advance_to(&c, 65000);
    assert_int_equal(coll_clock_ms(&c), 65000);       /* the scheduler's time jumped */
    assert_int_equal(coll_clock_elapsed_ms(&c), 5000); /* the reading did not */
    assert_int_equal(coll_clock_now(&c), 1796000005);  /* nor the wall time records get */
    coll_clock_advance_to(&c, 1000);                   /* never back */
    assert_int_equal(coll_clock_ms(&c), 65000);
    f.mono += 10;
    assert_int_equal(coll_clock_ms(&c), 65010);
    assert_int_equal(f.sleeps, 0);
}

/*
 * A bounded run as coll_run() drives it, with polls that take @poll_ms each (all in flight
 * together) and answer at the end: every device once per interval, in due order, nothing
 * missed, the scheduler's time skipped (not slept) from one interval to the next, and a real
 * wait only to leave the second of the last answer.
 */
static void test_bounded_run(void **state)
{
    static const struct {
        size_t n;
        unsigned long intervals;
        int64_t interval_ms, poll_ms;
        double wall0;
        const char *why;
    } cases[] = {
        {1, 1, 60000, 40, 1796000000.0, "--once, one device: one poll, no wait at all"},
        {10, 2, 60000, 300, 1796000000.0, "the integration tests' shape: two intervals"},
        {40, 5, 60000, 1500, 1796000000.5, "polls longer than a second: still < 1 s waits"},
        {500, 3, 5000, 10, 1796000000.999, "many devices, short interval, fast answers"},
        {0, 3, 60000, 10, 1796000000.0, "no device: the intervals still end"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        size_t n = cases[k].n, *count = calloc(n + 1, sizeof(size_t)), item;
        long long *ids = ids_1_to(n + 1), id;
        int64_t iv = cases[k].interval_ms, t0 = 123456, due;
        double prev_last = -1; /* wall time of the previous interval's last answer */
        unsigned long ran = 0;
        struct coll_clock c;
        struct coll_sched s;
        struct coll_pace p;
        struct fake f;

        fake_clock(&c, &f, t0, cases[k].wall0);
        coll_sched_init(&s, iv);
        coll_sched_sync(&s, ids, n, coll_clock_ms(&c));
        coll_pace_init(&p, cases[k].intervals, iv, coll_clock_ms(&c));
        for (;;) {
            int64_t prev_due = INT64_MIN, start = f.mono, wait;
            size_t got = 0;

            ran++;
            while (coll_sched_next(&s, p.end, &id, &item, &due)) {
                if (due < prev_due || due > p.end || due <= p.end - iv)
                    fail_msg("case %zu (%s): interval %lu: due %lld out of order or range",
                             k, cases[k].why, ran, (long long)due);
                prev_due = due;
                count[id]++;
                got++;
            }
            assert_int_equal(got, n);
            if (n)
                assert_false(coll_pace_over(&p, &s, got)); /* answers still to come */
            f.mono += cases[k].poll_ms; /* the answers come */
            for (size_t i = 0; i < n; i++) {
                coll_pace_answer(&p, f.mono);
                coll_sched_done(&s, ids[i]);
            }
            assert_true(coll_pace_over(&p, &s, 0));
            /* this interval's answers are in a later wall second than the last one's */
            if (n && prev_last >= 0 &&
                floor(fake_wall_of(&f, start)) <= floor(prev_last))
                fail_msg("case %zu (%s): interval %lu starts in the second of the last "
                         "answer before it", k, cases[k].why, ran);
            prev_last = n ? fake_wall_of(&f, f.mono) : prev_last;
            wait = coll_pace_wait_ms(&p, &c);
            assert_true(wait >= 0 && wait <= 1000);
            if (!coll_pace_next(&p, &c))
                break;
            coll_clock_sleep(&c, wait);
        }
        assert_int_equal(ran, cases[k].intervals);
        for (size_t i = 1; i <= n; i++)
            if (count[i] != cases[k].intervals)
                fail_msg("case %zu (%s): device %zu polled %zu times", k, cases[k].why, i,
                         count[i]);
        assert_int_equal(s.missed, 0);
        /* no phase was slept through: real time is the polls plus < 1 s per interval */
        assert_true(f.mono - t0 <= (int64_t)cases[k].intervals * (cases[k].poll_ms + 1000));
        /* and the scheduler's time moved an interval each time */
        assert_true(coll_clock_ms(&c) >= t0 + (int64_t)(cases[k].intervals - 1) * iv);
        if (n == 0)
            assert_int_equal(f.slept_ms, 0); /* no answer, no second to leave */
        coll_sched_release(&s);
        free(count);
        free(ids);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phase_spread),    cmocka_unit_test(test_once_per_interval),
        cmocka_unit_test(test_never_twice),     cmocka_unit_test(test_sync_changes),
        cmocka_unit_test(test_heap_order),      cmocka_unit_test(test_groups),
        cmocka_unit_test(test_next_second),     cmocka_unit_test(test_clock_skip),
        cmocka_unit_test(test_bounded_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
