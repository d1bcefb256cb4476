/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * collector_int.h - private to collector/ (the SNMP engine's own types are in snmp_int.h):
 * a device's SNMP target (poll.c), the write path with its interface cache (writer.c), the
 * jobs the poll thread hands to the writer thread and that thread's queue, the per-device
 * scheduler and coll_run(), which runs the long-running collector and the bounded runs
 * (--once, --intervals) alike (sched.c), the clock both read (clock.c), and the BER the
 * engine writes and reads itself (ber.c).
 */
#ifndef WW_COLLECTOR_INT_H
#define WW_COLLECTOR_INT_H

#include <signal.h>
#include <stdatomic.h>

#include "collector/collector.h"

/*
 * struct coll_clock - the time the collector goes by, owned by whoever runs it (main.c: one
 * real clock for the process). Two times, never mixed:
 * - the scheduler's time, coll_clock_ms(): a monotonic reading plus @skip_ms. Due times,
 *   the device-list re-read, the interval line, the writer's batch ages and the alert
 *   cadence go by it. The long-running collector never skips; a bounded run (--once,
 *   --intervals) moves it forward to the next interval with coll_clock_advance_to() instead
 *   of sleeping through the phases (sched.c, DESIGN).
 * - wall time: coll_clock_now() for what the database records (status, events, facts), and
 *   wall_of() for the samples: the engine stamps each answer with CLOCK_MONOTONIC
 *   (ww_mono_ms()) and the writer maps it through one anchor per process (coll_wall_of()),
 *   so a sample keeps the real time its answer came and a rate is bytes over real seconds,
 *   whatever the scheduler's time says.
 * The readings are pointers so that a unit test can drive the scheduler with a fake clock
 * and no sleeping. Context: any thread; only @skip_ms changes after the start (atomic).
 */
struct coll_clock {
    int64_t (*mono_ms)(void *arg);               /* monotonic, ms: ww_mono_ms() for real */
    double (*wall)(void *arg);                   /* epoch seconds now */
    double (*wall_of)(void *arg, int64_t mono);  /* epoch seconds of a mono_ms() instant */
    void (*sleep_ms)(void *arg, int64_t ms);     /* may end early on a signal */
    void *arg;
    _Atomic int64_t skip_ms; /* how far the scheduler's time runs ahead of mono_ms() */
};
/* coll_clock_init_real() - CLOCK_MONOTONIC, CLOCK_REALTIME, coll_wall_of(), nanosleep() */
void coll_clock_init_real(struct coll_clock *c);
/* coll_clock_ms() - the scheduler's time: mono_ms() + skip_ms */
int64_t coll_clock_ms(struct coll_clock *c);
/* coll_clock_elapsed_ms() - mono_ms() alone, for durations and for comparing with the
 * engine's answer stamps */
int64_t coll_clock_elapsed_ms(struct coll_clock *c);
/* coll_clock_now() - wall time now, whole seconds: what records are written with */
time_t coll_clock_now(struct coll_clock *c);
/* coll_clock_advance_to() - move the scheduler's time forward to @t (never back) */
void coll_clock_advance_to(struct coll_clock *c, int64_t t);
/* coll_clock_sleep() - really wait @ms (nothing when @ms <= 0) */
void coll_clock_sleep(struct coll_clock *c, int64_t ms);
/* coll_clock_next_second_ms() - how long from now until the wall clock is past the whole
 * second that the answer stamped @mono_ms (a mono_ms() instant) fell in; 0 when it is */
int64_t coll_clock_next_second_ms(struct coll_clock *c, int64_t mono_ms);
/* coll_wall_of() - the wall time of a CLOCK_MONOTONIC instant (ms) through the process's one
 * anchor, taken at the first call: a clock step while the collector runs moves no sample */
double coll_wall_of(int64_t mono_ms);

/* coll_target_of() - the SNMP target of @d for this config; @t borrows @d's strings. */
void coll_target_of(const struct ww_config *cfg, const struct inv_device *d,
                    struct coll_target *t);

/*
 * struct coll_wcache - the interface rows of each device as the writer last wrote them, so
 * that a poll which only moved counters reads nothing back, and the office calendar of the
 * current local day (the health roll-up's office time). Owned by one writer; after a
 * rolled-back transaction the owner frees it and starts a new one.
 */
struct coll_wcache;
struct coll_wcache *coll_wcache_new(void);
void coll_wcache_free(struct coll_wcache *c);

/*
 * coll_write_result() - record one poll of @dev: facts, interfaces, disks (device_disk rows
 * and disk-<id>.rrd), RRD samples, status and events, and the poll's sample of the daily
 * health roll-up (office time clipped to office hours of the local day of @now; down outside
 * maintenance). The caller holds a transaction. Context: the thread that owns @db and @st
 * (and @cache, which may be NULL: every poll then reads its device's interface rows and
 * builds its day's office calendar).
 * Returns 0 or the database's negative errno (RRD failures are logged, not returned).
 */
int coll_write_result(const struct ww_config *cfg, struct ww_db *db, struct store *st,
                      struct coll_wcache *cache, const struct inv_device *dev,
                      const struct coll_result *r, bool neighbors_read, time_t now);

/*
 * struct coll_job - one poll of one device, from its start on the poll thread to its write
 * on the writer thread. It owns a copy of the device (so a device list re-read never pulls
 * strings from under a poll in flight); the target borrows from that copy.
 */
struct coll_job {
    struct inv_device dev;
    struct coll_target t;
    struct coll_result r;
    int64_t due_ms, started_ms;
    struct coll_job *next; /* queue link, owned by the queue while queued */
};
/* coll_job_new() - a job for @d (copied); coll_job_free() frees all of it (NULL is fine). */
struct coll_job *coll_job_new(const struct ww_config *cfg, const struct inv_device *d);
void coll_job_free(struct coll_job *j);

#define COLL_WRITE_BATCH 200     /* results per transaction, at most */
/* the longest a result waits for its batch: a quarter of the poll interval, at most 15 s
 * (a small network then pays one transaction, one fsync and one rrdcached batch per a
 * dozen polls or more, not per poll) */
#define COLL_WRITE_WAIT_MS 15000
#define COLL_ALERT_EVERY_MS 5000 /* alerts are judged after a batch, at most this often */
/* the writer's tidy pass (rrd/ folders of removed devices retired, old ones purged): after
 * the first batch, then at most this often */
#define COLL_TIDY_EVERY_MS 3600000

struct coll_writer_stats {
    unsigned long long written, batches, failed_batches;
    long long batch_ms_max; /* the slowest batch since the last coll_writer_stats_take() */
    size_t queued, queued_max;
};

/*
 * coll_writer_start() - start the writer thread; it owns @db and @st (borrowed from the
 * caller, who must not touch them until coll_writer_stop()), reads @cfg, and takes its time
 * from @clock (records: coll_clock_now(); batch ages and the alert cadence: coll_clock_ms()),
 * all three borrowed until coll_writer_stop(). Returns NULL when the thread cannot start
 * (logged).
 * coll_writer_push() - hand a finished job over (ownership moves); never blocks on I/O.
 * Context: any one producer thread.
 * coll_writer_flush() - write everything queued now, whatever its age, judge the alerts in
 * the last transaction (an empty one when nothing was queued), and return once it is
 * committed: 0, or -EIO when a batch failed since the last flush (logged). Blocks on the
 * writer's I/O: for a bounded run's end of interval, not for the long-running loop.
 * coll_writer_stop() - write what is queued, join the thread, free the writer.
 * coll_writer_stats_take() - counters so far; batch_ms_max and queued_max restart.
 * coll_writer_queued() - jobs waiting now.
 */
struct coll_writer;
struct coll_writer *coll_writer_start(const struct ww_config *cfg, struct ww_db *db,
                                      struct store *st, struct coll_clock *clock);
void coll_writer_push(struct coll_writer *w, struct coll_job *job);
int coll_writer_flush(struct coll_writer *w);
void coll_writer_stop(struct coll_writer *w);
void coll_writer_stats_take(struct coll_writer *w, struct coll_writer_stats *out_stats);
size_t coll_writer_queued(struct coll_writer *w);

/*
 * struct coll_sched - when each device is due. Every device has a fixed phase inside the
 * interval (a hash of its id: the same each start, spread evenly), rounded down to a grid
 * that puts about COLL_SCHED_GROUP devices on each grid point (coll_sched_grid()), is due at
 * that point + k x interval, and is handed out by coll_sched_next() at most once until
 * coll_sched_done(). A group starts in one wake-up of the poll thread and its answers come
 * back together: at 100 devices that halved the thread's CPU per poll, most of which went
 * to waking up once or more per datagram. The grid is set from the device count at each
 * coll_sched_sync() and applies to devices new then; known ones keep their time.
 * a device is never polled twice at once. A poll that starts more than one interval after
 * its due time skips the slots it missed and counts them in @missed. Times are monotonic
 * milliseconds. Pure bookkeeping, no I/O, one thread.
 */
struct coll_sched_dev {
    long long id;
    size_t item;  /* the caller's index for it, from the last coll_sched_sync() */
    int64_t due;
    bool busy;    /* handed out, not done yet */
    bool gone;    /* removed from the list while busy: dropped at coll_sched_done() */
    size_t heap;  /* position in the heap; SIZE_MAX when busy */
};
#define COLL_SCHED_GROUP 16 /* devices due at one grid point, about */
struct coll_sched {
    int64_t interval_ms;
    int64_t grid_ms; /* phases are rounded down to a multiple of this */
    struct coll_sched_dev *devs; /* sorted by id */
    size_t n, cap;
    size_t *heap; /* indices into devs, a min-heap by due */
    size_t nheap;
    unsigned long long started, missed;
};
void coll_sched_init(struct coll_sched *s, int64_t interval_ms);
void coll_sched_release(struct coll_sched *s);
/* coll_sched_phase() - the device's offset inside the interval, [0, interval_ms) */
int64_t coll_sched_phase(long long id, int64_t interval_ms);
/* coll_sched_grid() - the grid step for @n devices: interval x COLL_SCHED_GROUP / n, at
 * least 1 ms, at most an eighth of the interval (so a small network still spreads) */
int64_t coll_sched_grid(size_t n, int64_t interval_ms);
/* coll_sched_sync() - the devices are now @ids[0..n) (item i = index i); new ones fall due
 * at their next phase point after @now, known ones keep their time, missing ones go. */
void coll_sched_sync(struct coll_sched *s, const long long *ids, size_t n, int64_t now);
/* coll_sched_next() - the most overdue device that is due by @now and not busy: true and
 * its id, item and due time; false when none is due. */
bool coll_sched_next(struct coll_sched *s, int64_t now, long long *out_id, size_t *out_item,
                     int64_t *out_due);
/* coll_sched_done() - the poll of @id ended: due again one interval after its last due. */
void coll_sched_done(struct coll_sched *s, long long id);
/* coll_sched_next_due() - the earliest due time of a device that is not busy, INT64_MAX
 * when none */
int64_t coll_sched_next_due(const struct coll_sched *s);

/* ---- the poll thread (sched.c): the long-running collector and bounded runs ------------- */

/* coll_stop_signals_block() - block SIGINT, SIGTERM and SIGHUP in this thread (the old mask in
 * *@old): a thread started between this and pthread_sigmask(SIG_SETMASK, @old) never takes
 * them, so they always end the poll thread's sleep */
void coll_stop_signals_block(sigset_t *old);

/*
 * struct coll_pace - a bounded run (--once, --intervals N): N intervals back to back on the
 * scheduler's time. Interval k covers scheduler time up to @end; every device due by @end is
 * handed out at once (in due order, so in phase order), the interval is over when none of
 * them is left or in flight, and the next one starts as soon as the writer has committed it
 * and the wall clock has left the second of its latest answer (@last_answer): two samples of
 * one device never share a second. Pure bookkeeping, no I/O, one thread.
 * coll_pace_init() - @intervals from the scheduler's time @now.
 * coll_pace_answer() - a poll of this interval ended with its last answer at @mono_ms (the
 *   engine's CLOCK_MONOTONIC stamp, 0 when none).
 * coll_pace_over() - is the current interval done (@in_flight polls still running)?
 * coll_pace_wait_ms() - how long to wait before the next interval may start (0: at once).
 * coll_pace_next() - count the interval done and move @clock to the next one's start; false
 *   when that was the last.
 */
struct coll_pace {
    unsigned long intervals, done;
    int64_t interval_ms;
    int64_t end;         /* the current interval's end, scheduler time */
    int64_t last_answer; /* the latest answer of the current interval, mono_ms(); 0 none */
};
void coll_pace_init(struct coll_pace *p, unsigned long intervals, int64_t interval_ms,
                    int64_t now);
void coll_pace_answer(struct coll_pace *p, int64_t mono_ms);
bool coll_pace_over(const struct coll_pace *p, const struct coll_sched *s, size_t in_flight);
int64_t coll_pace_wait_ms(const struct coll_pace *p, struct coll_clock *clock);
bool coll_pace_next(struct coll_pace *p, struct coll_clock *clock);

struct coll_run_ctl {
    volatile sig_atomic_t *stop;   /* set by SIGTERM/SIGINT */
    volatile sig_atomic_t *reload; /* set by SIGHUP: re-read the device list now */
    struct coll_clock *clock;      /* borrowed; the real one outside unit tests */
    unsigned long intervals;       /* 0: until *stop; N: a bounded run of N intervals */
};
/*
 * coll_run() - poll every enabled device on its own schedule until *ctl->stop, or for
 * ctl->intervals intervals: the device list is re-read from @db_path (a second, read-only
 * use of the database on this thread) every interval and on *ctl->reload; results go
 * through the writer thread, which owns @db and @st meanwhile. Logs "collector: interval:
 * ..." once per interval. A bounded run polls every device once per interval, with full and
 * counter polls chosen as in the long-running collector, without waiting for the phases
 * (struct coll_pace); each interval is committed (alerts judged) before the next starts. On
 * stop, polls in flight are abandoned, the queue is written, the thread joined. Returns 0
 * (device failures are results), or -EIO when the writer could not start or, in a bounded
 * run, a batch was not recorded (the database failed).
 */
int coll_run(const struct ww_config *cfg, const char *db_path, struct ww_db *db,
             struct store *st, const struct coll_run_ctl *ctl);

/* ---- BER (ber.c): the messages the engine writes and reads itself ---------------------- */

struct coll_ber {
    unsigned char *p;
    size_t len, cap;
    bool overflow; /* something did not fit: the message is unusable */
};
void coll_ber_put(struct coll_ber *b, const void *data, size_t n);
void coll_ber_put_tlv(struct coll_ber *b, unsigned char tag, const unsigned char *v, size_t n);
/* coll_ber_put_int() - a non-negative INTEGER in minimal two's complement */
void coll_ber_put_int(struct coll_ber *b, long v);
/* coll_ber_get_tlv() - the TLV with @tag at *pos within [0, end): its contents' start and
 * length, *pos moved past it; false when it is not there whole */
bool coll_ber_get_tlv(const unsigned char *buf, size_t end, size_t *pos, unsigned char tag,
                      size_t *out_start, size_t *out_len);
/* coll_ber_get_int() - an INTEGER of at most 5 octets */
bool coll_ber_get_int(const unsigned char *buf, size_t end, size_t *pos, long *out);

#define COLL_BER_OID_MAX 32
struct coll_ber_oid {
    uint32_t sub[COLL_BER_OID_MAX];
    size_t len;
};
/* one variable of a Response: its name, its tag (0x02 INTEGER, 0x41 Counter32, 0x42 Gauge32,
 * 0x43 TimeTicks, 0x46 Counter64, 0x80-0x82 exceptions, ...) and its number */
struct coll_ber_var {
    struct coll_ber_oid name;
    unsigned char type;
    uint64_t u;  /* Counter32, Gauge32, TimeTicks, Counter64 */
    long long i; /* INTEGER */
};
/*
 * coll_ber_get_build() - a GetRequest for @oids (@version 0 for v1, 1 for v2c) into @buf;
 * its length, or 0 when it does not fit or an OID cannot be encoded.
 * coll_ber_get_parse() - read @buf as the Response to request @reqid with the same version
 * and community: error status and index, the variables into @vars (at most @max). 0, or
 * -EPROTO for anything else (garbage, someone else's answer, a trailing byte).
 */
size_t coll_ber_get_build(unsigned char *buf, size_t size, int version, const char *community,
                          long reqid, const struct coll_ber_oid *oids, size_t n);
int coll_ber_get_parse(const unsigned char *buf, size_t len, int version, const char *community,
                       long reqid, long *out_errstat, long *out_errindex,
                       struct coll_ber_var *vars, size_t max, size_t *out_n);

#endif
