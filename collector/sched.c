/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sched.c - the poll thread, for good or for N intervals (--intervals): every device polled
 * once per poll_interval at its own phase of the interval (a bounded run: without waiting
 * for it), never twice at once, results written by the writer thread.
 *
 * DESIGN: two threads. This one (the poll thread) owns the scheduler, the SNMP engine and
 * a read-only use of the database for the device list; it starts the polls that fall due
 * (at most poll_workers in flight, and no more than the writer queue can take), drives
 * them with coll_engine_step() and pushes each finished job to the writer (writer.c),
 * which owns the struct ww_db and the struct store. The only lock is the writer's queue
 * lock (see writer.c); this thread never holds it across anything else. The phase of a
 * device is a hash of its id, so 10,000 devices spread evenly over the interval and a
 * restart keeps each device's rhythm; phases are rounded to a grid so that devices come
 * due in groups of about 16, each group started in one wake-up (struct coll_sched). The
 * RRD step is the interval, so every step gets one sample. A poll that starts more than
 * one interval late counts as missed (logged, and summed in the per-interval line the
 * benchmark reads).
 *
 * DESIGN, time: the scheduler and the writer go by one struct coll_clock (clock.c), owned by
 * main.c. Its scheduler time is a monotonic reading plus a skip; the long-running collector
 * never skips, so due times are real time. A bounded run (--once = --intervals 1,
 * --intervals N) is the same loop, the same writer, the same full/counter poll choice, with
 * one difference: it does not wait for the phases. Interval k ends at start + k x interval
 * on the scheduler's time (struct coll_pace); every device due by then is handed out at
 * once, in due (phase) order, within the same poll_workers window and writer bound; when
 * none is left or in flight the writer is flushed (written, committed, alerts judged), the
 * interval line logged, and the scheduler's time skipped to the next interval's start. So
 * N intervals take about as long as their polls, not N x poll_interval, and every device is
 * polled exactly once per interval, as in the daemon. What is *recorded* never uses the
 * skipped time: a sample keeps the real (monotonic, anchored to wall) time its answer came
 * and records are written at coll_clock_now(), so rates are real bytes over real seconds
 * against agents whose counters move with the wall clock. The one real wait: the next
 * interval starts only once the wall clock has left the second of the last answer of the
 * previous one (usually a few hundred ms), so two samples of one device never share a
 * second (the database keeps whole seconds; rates over a few ms would be noise).
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* ---- the scheduler ----------------------------------------------------------------------- */

int64_t coll_sched_phase(long long id, int64_t interval_ms)
{
    /* splitmix64: neighbouring ids land far apart */
    uint64_t z = (uint64_t)id + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return interval_ms > 0 ? (int64_t)(z % (uint64_t)interval_ms) : 0;
}

int64_t coll_sched_grid(size_t n, int64_t interval_ms)
{
    int64_t g = n ? interval_ms * COLL_SCHED_GROUP / (int64_t)n : interval_ms;
    if (g > interval_ms / 8)
        g = interval_ms / 8;
    return g > 1 ? g : 1;
}

void coll_sched_init(struct coll_sched *s, int64_t interval_ms)
{
    memset(s, 0, sizeof(*s));
    s->interval_ms = interval_ms > 0 ? interval_ms : 1;
    s->grid_ms = 1;
}

void coll_sched_release(struct coll_sched *s)
{
    free(s->devs);
    free(s->heap);
    memset(s, 0, sizeof(*s));
}

static bool heap_less(const struct coll_sched *s, size_t a, size_t b)
{
    const struct coll_sched_dev *x = &s->devs[s->heap[a]], *y = &s->devs[s->heap[b]];
    return x->due < y->due || (x->due == y->due && x->id < y->id);
}

static void heap_swap(struct coll_sched *s, size_t a, size_t b)
{
    size_t t = s->heap[a];
    s->heap[a] = s->heap[b];
    s->heap[b] = t;
    s->devs[s->heap[a]].heap = a;
    s->devs[s->heap[b]].heap = b;
}

static void heap_up(struct coll_sched *s, size_t i)
{
    while (i > 0 && heap_less(s, i, (i - 1) / 2)) {
        heap_swap(s, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(struct coll_sched *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->nheap && heap_less(s, l, m))
            m = l;
        if (r < s->nheap && heap_less(s, r, m))
            m = r;
        if (m == i)
            return;
        heap_swap(s, i, m);
        i = m;
    }
}

static void heap_push(struct coll_sched *s, size_t dev)
{
    s->heap[s->nheap] = dev;
    s->devs[dev].heap = s->nheap++;
    heap_up(s, s->nheap - 1);
}

static int cmp_dev_id(const void *a, const void *b)
{
    const struct coll_sched_dev *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static struct coll_sched_dev *find_dev(const struct coll_sched *s, long long id)
{
    struct coll_sched_dev key = {.id = id};
    return s->n ? bsearch(&key, s->devs, s->n, sizeof(*s->devs), cmp_dev_id) : NULL;
}

/* the first instant after @now that is @id's phase of an interval */
static int64_t first_due(const struct coll_sched *s, long long id, int64_t now)
{
    int64_t phase = coll_sched_phase(id, s->interval_ms);
    phase -= phase % s->grid_ms;
    int64_t base = now - (now % s->interval_ms) + phase;
    return base > now ? base : base + s->interval_ms;
}

void coll_sched_sync(struct coll_sched *s, const long long *ids, size_t n, int64_t now)
{
    struct coll_sched_dev *devs = ww_calloc(n + s->n + 1, sizeof(*devs));
    long long *sorted = ww_calloc(n + 1, sizeof(*sorted));
    size_t m = 0;

    s->grid_ms = coll_sched_grid(n, s->interval_ms);
    if (n)
        memcpy(sorted, ids, n * sizeof(*ids));
    qsort(sorted, n, sizeof(*sorted), cmp_id);

    for (size_t i = 0; i < n; i++) {
        const struct coll_sched_dev *old = find_dev(s, ids[i]);
        struct coll_sched_dev *d = &devs[m++];
        if (old) {
            *d = *old;
            d->gone = false;
        } else {
            d->id = ids[i];
            d->due = first_due(s, ids[i], now);
        }
        d->item = i;
    }
    /* removed while a poll is in flight: kept until it is done, never handed out again */
    for (size_t i = 0; i < s->n; i++) {
        if (!s->devs[i].busy)
            continue;
        if (!n || !bsearch(&s->devs[i].id, sorted, n, sizeof(*sorted), cmp_id)) {
            devs[m] = s->devs[i];
            devs[m++].gone = true;
        }
    }
    free(sorted);
    qsort(devs, m, sizeof(*devs), cmp_dev_id);
    /* one id listed twice would be polled once: drop the copy */
    for (size_t i = 1, w = 1; i <= m; i++) {
        if (i == m) {
            m = w;
            break;
        }
        if (devs[i].id != devs[w - 1].id)
            devs[w++] = devs[i];
    }
    free(s->devs);
    free(s->heap);
    s->devs = devs;
    s->n = s->cap = m;
    s->heap = ww_calloc(m + 1, sizeof(*s->heap));
    s->nheap = 0;
    for (size_t i = 0; i < m; i++) {
        if (devs[i].busy)
            devs[i].heap = SIZE_MAX;
        else
            heap_push(s, i);
    }
}

bool coll_sched_next(struct coll_sched *s, int64_t now, long long *out_id, size_t *out_item,
                     int64_t *out_due)
{
    struct coll_sched_dev *d;

    if (!s->nheap || s->devs[s->heap[0]].due > now)
        return false;
    d = &s->devs[s->heap[0]];
    heap_swap(s, 0, --s->nheap);
    heap_down(s, 0);
    d->heap = SIZE_MAX;
    d->busy = true;
    /* started more than an interval late: the slots in between are lost, not caught up */
    if (now - d->due >= s->interval_ms) {
        int64_t lost = (now - d->due) / s->interval_ms;
        s->missed += (unsigned long long)lost;
        d->due += lost * s->interval_ms;
    }
    s->started++;
    *out_id = d->id;
    *out_item = d->item;
    *out_due = d->due;
    return true;
}

void coll_sched_done(struct coll_sched *s, long long id)
{
    struct coll_sched_dev *d = find_dev(s, id);
    size_t i;

    if (!d || !d->busy)
        return;
    if (d->gone) {
        i = (size_t)(d - s->devs);
        memmove(d, d + 1, (s->n - i - 1) * sizeof(*d));
        s->n--;
        for (size_t k = 0; k < s->nheap; k++)
            if (s->heap[k] > i)
                s->heap[k]--;
        for (size_t k = 0; k < s->nheap; k++)
            s->devs[s->heap[k]].heap = k;
        return;
    }
    d->busy = false;
    d->due += s->interval_ms;
    heap_push(s, (size_t)(d - s->devs));
}

int64_t coll_sched_next_due(const struct coll_sched *s)
{
    return s->nheap ? s->devs[s->heap[0]].due : INT64_MAX;
}

/* ---- a bounded run's intervals ----------------------------------------------------------- */

void coll_pace_init(struct coll_pace *p, unsigned long intervals, int64_t interval_ms,
                    int64_t now)
{
    memset(p, 0, sizeof(*p));
    p->intervals = intervals;
    p->interval_ms = interval_ms > 0 ? interval_ms : 1;
    p->end = now + p->interval_ms;
}

void coll_pace_answer(struct coll_pace *p, int64_t mono_ms)
{
    if (mono_ms > p->last_answer)
        p->last_answer = mono_ms;
}

bool coll_pace_over(const struct coll_pace *p, const struct coll_sched *s, size_t in_flight)
{
    return in_flight == 0 && coll_sched_next_due(s) > p->end;
}

int64_t coll_pace_wait_ms(const struct coll_pace *p, struct coll_clock *clock)
{
    return p->last_answer ? coll_clock_next_second_ms(clock, p->last_answer) : 0;
}

bool coll_pace_next(struct coll_pace *p, struct coll_clock *clock)
{
    if (++p->done >= p->intervals)
        return false;
    coll_clock_advance_to(clock, p->end);
    p->end += p->interval_ms;
    p->last_answer = 0;
    return true;
}

/* ---- the poll thread --------------------------------------------------------------------- */

void coll_stop_signals_block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

#define IDLE_WAKE_MS 2000 /* the longest sleep between two looks at the stop flag */
/* how often (at most; the interval when shorter) the device table's change number is
 * looked at (one indexed row): a device added in the dashboard is polled within this, and
 * the list is read only when the number moved */
#define RELOAD_LOOK_MS 10000

struct run {
    const struct ww_config *cfg;
    struct coll_clock *clock;
    struct coll_sched sched;
    struct coll_pace pace; /* a bounded run only */
    struct coll_writer *writer;
    struct inv_device_list list;
    long long list_changes; /* inv_device_changes() when the list was read, -1 unknown */
    size_t in_flight;
    bool stopping;
    /* this interval */
    unsigned long long polls, ok, failed, late_ms_max, written_seen;
    unsigned long long full; /* polls that walked every table (the others: counter polls) */
    long long *poll_ms; /* durations, for the median */
    size_t n_poll_ms, cap_poll_ms;
};

static void on_done(void *arg, void *tag, struct coll_result *r)
{
    struct run *run = arg;
    struct coll_job *job = tag;

    run->in_flight--;
    coll_sched_done(&run->sched, job->dev.id);
    if (run->stopping) { /* abandoned by the stop: not an outage */
        coll_job_free(job);
        return;
    }
    run->polls++;
    if (r->ok && !r->quick)
        run->full++;
    if (r->ok)
        run->ok++;
    else
        run->failed++;
    if (run->n_poll_ms == run->cap_poll_ms) {
        run->cap_poll_ms = run->cap_poll_ms ? run->cap_poll_ms * 2 : 1024;
        run->poll_ms = ww_reallocarray(run->poll_ms, run->cap_poll_ms, sizeof(long long));
    }
    run->poll_ms[run->n_poll_ms++] = r->poll_ms;
    coll_pace_answer(&run->pace, r->done_mono_ms);
    coll_writer_push(run->writer, job);
}

/* the device list read again, when @force or the device table changed since the last read */
static int reload_devices(struct run *run, struct ww_db *rdb, int64_t now, bool force)
{
    struct inv_device_list list;
    long long *ids, changes;
    int ret;

    /* unknown (an error) counts as changed */
    if (inv_device_changes(rdb, &changes) < 0)
        changes = -1;
    if (!force && changes >= 0 && changes == run->list_changes)
        return 0;
    ret = inv_device_list(rdb, true, -1, 0, &list);
    if (ret < 0)
        return ret;
    run->list_changes = changes;
    ids = ww_calloc(list.n ? list.n : 1, sizeof(*ids));
    for (size_t i = 0; i < list.n; i++)
        ids[i] = list.items[i].id;
    coll_sched_sync(&run->sched, ids, list.n, now);
    free(ids);
    /* jobs in flight own copies of their devices: the old list can go */
    inv_device_list_release(&run->list);
    run->list = list;
    return 0;
}

static void log_interval(struct run *run, long long over_ms, unsigned long long *missed_seen)
{
    struct coll_writer_stats ws;
    long long p50 = 0, max = 0;

    coll_writer_stats_take(run->writer, &ws);
    if (run->n_poll_ms) {
        qsort(run->poll_ms, run->n_poll_ms, sizeof(long long), cmp_id);
        p50 = run->poll_ms[run->n_poll_ms / 2];
        max = run->poll_ms[run->n_poll_ms - 1];
    }
    if (run->sched.missed > *missed_seen)
        ww_log(WW_LOG_WARN, "collector: %llu poll(s) missed in the last %lld ms: started more "
                            "than an interval late",
               run->sched.missed - *missed_seen, over_ms);
    ww_log(WW_LOG_INFO,
           "collector: interval: %llu polls, %llu up, %llu failed, %llu missed, %zu devices, "
           "poll p50 %lld ms, max %lld ms, late max %llu ms, written %llu, batch max %lld ms, "
           "queue max %zu, full polls %llu",
           run->polls, run->ok, run->failed, run->sched.missed - *missed_seen,
           run->list.n, p50, max, run->late_ms_max, ws.written - run->written_seen,
           ws.batch_ms_max, ws.queued_max, run->full);
    run->written_seen = ws.written;
    *missed_seen = run->sched.missed;
    run->polls = run->ok = run->failed = run->late_ms_max = run->full = 0;
    run->n_poll_ms = 0;
}

/* the end of a bounded run's interval: everything written and judged, the line logged;
 * false after the last one. Waits (really) only until the wall clock has left the second of
 * the interval's latest answer, so that the next interval's samples come in a later one. */
static bool pace_interval_end(struct run *run, unsigned long long *missed_seen, int *ret)
{
    int64_t wait;

    if (coll_writer_flush(run->writer) < 0)
        *ret = -EIO;
    log_interval(run, run->pace.interval_ms, missed_seen);
    wait = coll_pace_wait_ms(&run->pace, run->clock);
    if (!coll_pace_next(&run->pace, run->clock))
        return false;
    coll_clock_sleep(run->clock, wait);
    return true;
}

int coll_run(const struct ww_config *cfg, const char *db_path, struct ww_db *db,
             struct store *st, const struct coll_run_ctl *ctl)
{
    struct coll_clock *clk = ctl->clock;
    struct run run = {.cfg = cfg, .clock = clk};
    struct ww_db *rdb = NULL;
    struct coll_engine *eng = NULL;
    int64_t interval_ms = cfg->poll_interval * 1000, next_reload, next_log;
    int64_t full_every = interval_ms > 0 ? cfg->full_poll_minutes * 60000 / interval_ms : 1;
    int64_t reload_ms = interval_ms < RELOAD_LOOK_MS ? interval_ms : RELOAD_LOOK_MS;
    /* jobs in flight + queued never exceed this: the queue's bound */
    size_t cap = (size_t)cfg->poll_workers + 2 * COLL_WRITE_BATCH;
    unsigned long long missed_seen = 0;
    bool bounded = ctl->intervals > 0, completed = false;
    int ret = -EIO;

    int64_t started_ms = coll_clock_ms(clk);

    coll_sched_init(&run.sched, interval_ms);
    coll_pace_init(&run.pace, ctl->intervals, interval_ms, started_ms);
    if (ww_db_open(db_path, false, &rdb) < 0)
        goto out;
    {
        sigset_t old; /* the writer thread takes no stop signal */
        coll_stop_signals_block(&old);
        run.writer = coll_writer_start(cfg, db, st, clk);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (!run.writer)
        goto out;
    eng = coll_engine_new((size_t)cfg->poll_workers);
    next_log = started_ms + interval_ms;
    next_reload = started_ms + reload_ms;
    if (reload_devices(&run, rdb, started_ms, true) < 0)
        goto out;
    if (full_every < 1)
        full_every = 1;
    ret = 0;
    while (!*ctl->stop) {
        int64_t now = coll_clock_ms(clk), due;
        /* a bounded run hands out, at once, every device due before its interval ends */
        int64_t horizon = bounded ? run.pace.end : now;
        size_t queued;
        long long id;
        size_t item;
        int wait;

        if (*ctl->reload || now >= next_reload) {
            bool forced = *ctl->reload != 0; /* SIGHUP: read it whatever the number says */
            *ctl->reload = 0;
            next_reload = now + reload_ms;
            if (reload_devices(&run, rdb, now, forced) < 0)
                ww_log(WW_LOG_WARN, "collector: device list not re-read; polling the old one");
        }
        if (!bounded && now >= next_log) {
            log_interval(&run, now - next_log + interval_ms, &missed_seen);
            next_log += interval_ms;
            if (next_log <= now)
                next_log = now + interval_ms;
        }
        queued = coll_writer_queued(run.writer);
        while (!coll_engine_full(eng) && run.in_flight + queued < cap &&
               coll_sched_next(&run.sched, horizon, &id, &item, &due)) {
            struct coll_job *job = coll_job_new(cfg, &run.list.items[item]);
            job->due_ms = due;
            job->started_ms = now;
            /* a full poll (every table walked, the neighbour tables too) the first time and
             * one slot in full_every (full_poll_minutes), spread over the devices by their
             * id; the others ask only what moves (snmp.c, counter polls) */
            job->t.full = due < started_ms + interval_ms ||
                          (due / interval_ms + id) % full_every == 0;
            job->t.neighbors = job->t.full;
            if (now > due && (unsigned long long)(now - due) > run.late_ms_max)
                run.late_ms_max = (unsigned long long)(now - due);
            run.in_flight++;
            coll_engine_start(eng, &job->t, &job->r, job);
        }
        if (bounded && coll_pace_over(&run.pace, &run.sched, run.in_flight)) {
            if (!pace_interval_end(&run, &missed_seen, &ret)) {
                completed = true;
                break;
            }
            continue;
        }
        /* asleep until the next due poll, reload or interval line: a signal (only this
         * thread takes them) ends the sleep sooner; at most IDLE_WAKE_MS for one that
         * comes just before poll() starts. A bounded run never sleeps for a phase: it
         * waits only for answers or for the writer. */
        due = coll_sched_next_due(&run.sched);
        if (next_reload < due)
            due = next_reload;
        if (next_log < due)
            due = next_log;
        wait = run.in_flight ? 10 : IDLE_WAKE_MS;
        if (due - now < wait)
            wait = due - now < 0 ? 0 : (int)(due - now);
        if (run.in_flight + queued >= cap && wait < 10)
            wait = 10; /* the writer is behind: let it catch up */
        if (bounded)
            wait = 10; /* answers to come, or the writer to catch up: never a phase */
        coll_engine_step(eng, wait, on_done, &run);
    }
    /* a bounded run that a signal cut short did not record what it was asked to */
    if (bounded && !completed && ret == 0)
        ret = -EINTR;
out:
    run.stopping = true;
    if (eng) {
        /* polls in flight end as "stopped" through on_done(), which frees them */
        coll_engine_cancel(eng, on_done, &run);
        coll_engine_free(eng);
    }
    coll_writer_stop(run.writer);
    ww_db_close(rdb);
    inv_device_list_release(&run.list);
    coll_sched_release(&run.sched);
    free(run.poll_ms);
    return ret;
}
