/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - wardwatch-collector: poll every enabled device on its schedule (sched.c), for
 * good or (--once, --intervals N) for N intervals back to back on the same path. */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_requested = 1;
    else
        stop_requested = 1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: wardwatch-collector [-c CONFIG] [-d DATA_DIR] [--rrdcached ADDR]"
               " [--once | --intervals N] [-v]\n"
               "  -c, --config FILE   configuration (default " WW_DEFAULT_CONFIG ")\n"
               "  -d, --data-dir DIR  data folder (overrides [general] data_dir)\n"
               "      --rrdcached A   send RRD updates to rrdcached at A (unix:/path)\n"
               "      --intervals N   poll every device N times, as the daemon does (full and\n"
               "                      counter polls alike), one interval straight after the\n"
               "                      other without waiting for the device phases, then send\n"
               "                      the notifications due and exit: status 0 when every\n"
               "                      interval was recorded (a device that does not answer is\n"
               "                      recorded as down), 1 when the database failed\n"
               "      --once          the same as --intervals 1\n"
               "  -v, --verbose       debug logging\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"data-dir", required_argument, NULL, 'd'},
        {"rrdcached", required_argument, NULL, 'r'}, {"once", no_argument, NULL, 'o'},
        {"intervals", required_argument, NULL, 'n'}, {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *data_dir = NULL, *rrdcached = NULL;
    struct ww_config cfg;
    struct coll_profiles *profiles = NULL;
    struct ww_office office;
    struct ww_db *db = NULL;
    struct store *st = NULL;
    enum ww_log_level level = WW_LOG_INFO;
    struct coll_clock clock;
    unsigned long intervals = 0; /* 0: the long-running collector */
    bool verbose = false, cfg_loaded = false;
    char *db_path = NULL, *rrd_dir = NULL;
    struct sigaction sa;
    int ret = 1, opt;

    /* the poll and writer threads free and take back the same few hundred KB every batch:
     * keep it instead of giving it back to the kernel and faulting it in again (measured:
     * 8% of the writer's CPU at 100 devices went to page faults) */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    while ((opt = getopt_long(argc, argv, "c:d:vh", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'r': rrdcached = optarg; break;
        case 'o': intervals = 1; break;
        case 'n': {
            char *end;
            errno = 0;
            intervals = strtoul(optarg, &end, 10);
            if (errno || end == optarg || *end || *optarg == '-' || intervals < 1 ||
                intervals > 1000000) {
                fprintf(stderr, "wardwatch-collector: --intervals wants 1 to 1000000, not "
                                "'%.40s'\n", optarg);
                return 2;
            }
            break;
        }
        case 'v': verbose = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    ww_log_init("wardwatch-collector", WW_LOG_INFO);
    if (ww_config_load(config_path, &cfg) < 0)
        return 1;
    cfg_loaded = true;
    if ((data_dir && ww_config_set(&cfg, "general", "data_dir", data_dir) < 0) ||
        (rrdcached && ww_config_set(&cfg, "storage", "rrdcached", rrdcached) < 0))
        goto out;
    ww_log_level_parse(cfg.log_level, &level);
    ww_log_init("wardwatch-collector", verbose ? WW_LOG_DEBUG : level);

    /* alert texts: local times of the office zone (TZ set before any thread), and words */
    if (ww_office_init(cfg.timezone, cfg.office_hours, cfg.office_days, &office) < 0 ||
        ww_office_use_zone(&office) < 0)
        goto out;
    coll_alert_words_load(&cfg); /* without words, alerts carry codes: still sent */
    if (coll_profiles_start(&cfg, &profiles) < 0)
        goto out;

    db_path = ww_asprintf("%s/wardwatch.db", cfg.data_dir);
    rrd_dir = ww_asprintf("%s/rrd", cfg.data_dir);
    if (ww_db_open(db_path, false, &db) < 0 || inv_migrate(db) < 0)
        goto out;
    if (store_open(rrd_dir, cfg.rrdcached, &st) < 0)
        goto out;
    {
        /* a folder in rrd/ names an id a device had: no new device may get it (a database
         * from before schema v10 may have forgotten ids whose devices were removed) */
        long long *ids = NULL, used = 0;
        size_t n = 0;
        if (store_device_dirs(st, &ids, &n, &used) == 0 && used > 0)
            inv_device_reserve_ids(db, used);
        free(ids);
    }
    {
        struct store_retention keep = {(unsigned long)cfg.rrd_full_hours * 3600,
                                       (unsigned long)cfg.rrd_30min_days * 86400,
                                       (unsigned long)cfg.rrd_2h_days * 86400,
                                       (unsigned long)cfg.rrd_1day_days * 86400};
        if (store_set_retention(st, &keep) < 0)
            goto out;
    }

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: a signal ends the sleep */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    coll_snmp_init();
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread: alert deliveries */
    coll_clock_init_real(&clock);
    {
        /* the pinger: a device that stops answering SNMP gets an ICMP echo (icmp.c) */
        sigset_t old;
        coll_stop_signals_block(&old);
        coll_icmp_start();
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (!intervals) {
        /* the delivery thread (and curl's resolver threads it starts) take none of these:
         * they are the poll thread's, whose sleep they end */
        sigset_t old;
        int started;
        coll_stop_signals_block(&old);
        started = coll_notify_start(&cfg, db_path);
        /* new RRD files are made on storage's own thread, so that a first start with
         * thousands of new devices never holds the writer, nor the polls (without that
         * thread, logged, the writer makes them as before) */
        store_create_async(st);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (started < 0)
            goto out;
    }
    ww_log(WW_LOG_INFO, "collector: polling every %lld s with %lld workers%s%s",
           cfg.poll_interval, cfg.poll_workers, *cfg.rrdcached ? ", RRD through rrdcached " : "",
           cfg.rrdcached);
    {
        struct coll_run_ctl ctl = {.stop = &stop_requested, .reload = &reload_requested,
                                   .clock = &clock, .intervals = intervals};
        int64_t t0 = coll_clock_elapsed_ms(&clock);
        ret = coll_run(&cfg, db_path, db, st, &ctl) < 0 ? 1 : 0;
        if (intervals) {
            ww_log(WW_LOG_INFO, "collector: %lu interval(s) in %lld ms%s", intervals,
                   (long long)(coll_clock_elapsed_ms(&clock) - t0),
                   ret ? ": not all recorded" : "");
            /* the writer judged the alerts with each interval; the day's expiry reminders
             * (and any missed day's) are queued: send what is due now */
            coll_remind_run(&cfg, db, coll_clock_now(&clock));
            coll_notify_run_once(&cfg, db, coll_clock_now(&clock));
        } else {
            ww_log(WW_LOG_INFO, "collector: stopped");
        }
    }
    coll_notify_stop();
    curl_global_cleanup();
    coll_snmp_shutdown();
out:
    coll_icmp_stop(); /* started before the delivery thread: stopped on every way out */
    coll_profiles_use(NULL);
    coll_profiles_free(profiles);
    coll_alert_words_free();
    store_free(st);
    ww_db_close(db);
    free(db_path);
    free(rrd_dir);
    if (cfg_loaded)
        ww_config_release(&cfg);
    return ret;
}
