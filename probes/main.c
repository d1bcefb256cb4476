/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - wardwatch-probe: the passive traffic probe on a capture file (--read) or a live
 * interface (--interface); the one wardwatch program that holds CAP_NET_RAW, and only until
 * its capture handle is open. */
#include "probes/probes.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "inventory/inventory.h"
#include "storage/storage.h"
#include "common/banned.h"

#define MAX_PAIRS 4096 /* distinct MAC/IP pairs kept for the report */

static struct probe_capture *volatile live_cap;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    stop_requested = 1;
    if (live_cap)
        probe_capture_stop(live_cap); /* pcap_breakloop(): safe in a handler */
}

static void usage(FILE *f)
{
    fprintf(f, "usage: wardwatch-probe [-c CONFIG] (--read FILE [--repeat N] | --interface IF"
               " [--duration S]) [--count N] [--filter BPF] [--subnets CIDRS]\n"
               "       [--store [-d DATA_DIR]] [-v]\n"
               "       wardwatch-probe [-c CONFIG] --checks [--once] [--now EPOCH] [--ca-file F] [-d DATA_DIR] [-v]\n"
               "  -c, --config FILE     configuration (default " WW_DEFAULT_CONFIG ")\n"
               "  -r, --read FILE       a pcap or pcapng file: count it, print the tables\n"
               "      --repeat N        (with --read) keep the frames in memory and count them\n"
               "                        N times: the benchmark's loop; prints frames/s\n"
               "  -i, --interface IF    capture live on IF (needs CAP_NET_RAW; every\n"
               "                        capability is dropped once the capture is open)\n"
               "      --duration S      (live) stop after S seconds; default: at SIGTERM\n"
               "      --count N         stop after N frames\n"
               "  -f, --filter BPF      a pcap-filter expression ([probe] filter)\n"
               "      --subnets CIDRS   the office's subnets ([probe] local_subnets)\n"
               "      --store           add the counts to the database ($data_dir/wardwatch.db,\n"
               "                        made by `wardwatch init`) at the end of the run\n"
               "      --checks          run the active checks of the database (ICMP, TCP, DNS,\n"
               "                        HTTP(S)), each when due; their state goes to the database\n"
               "      --once            (with --checks) run every enabled check once and exit\n"
               "      --now EPOCH       (with --checks) the wall clock's time: for tests\n"
               "      --ca-file FILE    (with --checks) the authorities HTTPS checks trust\n"
               "                        (default: the system's)\n"
               "  -d, --data-dir DIR    data folder (overrides [general] data_dir)\n"
               "  -v, --verbose         debug logging\n");
}

struct pairs {
    struct probe_pair v[MAX_PAIRS];
    int64_t seen[MAX_PAIRS]; /* capture time of the first frame that showed it */
    size_t n;
    unsigned long long dropped;
};

static void pair_note(struct pairs *ps, const struct probe_pair *p, int64_t ts)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].family == p->family && !memcmp(ps->v[i].mac, p->mac, 6) &&
            !memcmp(ps->v[i].ip, p->ip, 16))
            return;
    if (ps->n == MAX_PAIRS) {
        ps->dropped++;
        return;
    }
    ps->seen[ps->n] = ts;
    ps->v[ps->n++] = *p;
}

static const char *utc_text(int64_t t, char *buf, size_t size)
{
    return ww_time_iso((time_t)t, buf, size);
}

static void report(struct probe_acct *a, const struct pairs *ps, const struct ww_office *office)
{
    static const char *const pair_src[] = {"?", "arp", "ndp", "dhcp"};
    struct probe_totals t;
    struct probe_host *hosts = NULL;
    struct probe_port ports[10];
    char ab[64], tb[40];
    size_t n;

    probe_acct_finish(a);
    probe_acct_totals(a, &t);
    printf("frames %llu bytes %llu ip_frames %llu hosts %llu evicted_hosts %llu "
           "evicted_bytes %llu\n",
           (unsigned long long)t.frames, (unsigned long long)t.bytes,
           (unsigned long long)t.ip_frames, (unsigned long long)t.hosts,
           (unsigned long long)t.evicted_hosts, (unsigned long long)t.evicted_bytes);
    for (int d = 1; d < PROBE_DROP_COUNT; d++)
        if (t.drops[d])
            printf("drop %s %llu\n", probe_drop_name(d), (unsigned long long)t.drops[d]);
    printf("note trunc_l4 %llu fragments %llu not_ip %llu\n", (unsigned long long)t.trunc_l4,
           (unsigned long long)t.fragments, (unsigned long long)t.not_ip);
    probe_acct_hosts(a, &hosts, &n);
    /* one line per address, tshark's columns: packets bytes tx_packets tx_bytes rx... */
    for (size_t i = 0; i < n; i++) {
        const struct probe_host *h = &hosts[i];
        printf("host %s %llu %llu %llu %llu %llu %llu\n",
               probe_addr_text(h->family, h->addr, ab, sizeof(ab)),
               (unsigned long long)(h->tx_pkts + h->rx_pkts),
               (unsigned long long)(h->tx_bytes + h->rx_bytes), (unsigned long long)h->tx_pkts,
               (unsigned long long)h->tx_bytes, (unsigned long long)h->rx_pkts,
               (unsigned long long)h->rx_bytes);
    }
    free(hosts);
    for (unsigned p = 0; p < 256; p++) {
        uint64_t pk, by;
        probe_acct_proto(a, p, &pk, &by);
        if (pk)
            printf("proto %u %llu %llu\n", p, (unsigned long long)pk, (unsigned long long)by);
    }
    n = probe_acct_top_ports(a, ports, WW_ARRAY_SIZE(ports));
    for (size_t i = 0; i < n; i++)
        printf("port %s/%u %llu %llu\n",
               ports[i].proto == 6    ? "tcp"
               : ports[i].proto == 17 ? "udp"
                                      : "sctp",
               ports[i].port, (unsigned long long)ports[i].pkts,
               (unsigned long long)ports[i].bytes);
    const struct probe_subnet *subs = probe_acct_subnets(a, &n);
    for (size_t i = 0; i < n; i++)
        printf("subnet %s/%u %llu %llu %llu %llu\n",
               probe_addr_text(subs[i].family, subs[i].addr, ab, sizeof(ab)), subs[i].prefix,
               (unsigned long long)subs[i].tx_pkts, (unsigned long long)subs[i].tx_bytes,
               (unsigned long long)subs[i].rx_pkts, (unsigned long long)subs[i].rx_bytes);
    const struct probe_window *w = probe_acct_windows(a, &n);
    for (size_t i = 0; i < n; i++) {
        printf("window %s %llu %llu", utc_text(w[i].start, tb, sizeof(tb)),
               (unsigned long long)w[i].pkts, (unsigned long long)w[i].bytes);
        for (unsigned k = 0; k < w[i].ntop; k++)
            printf(" %s=%llu",
                   probe_addr_text(w[i].top[k].family, w[i].top[k].addr, ab, sizeof(ab)),
                   (unsigned long long)w[i].top[k].bytes);
        printf("\n");
    }
    for (size_t i = 0; i < n; i++) {
        printf("mix %s", utc_text(w[i].start, tb, sizeof(tb)));
        for (int k = 0; k < PROBE_NCLASS; k++)
            printf(" %s %llu %llu", probe_class_name(k), (unsigned long long)w[i].cls_pkts[k],
                   (unsigned long long)w[i].cls_bytes[k]);
        printf("\n");
    }
    const struct probe_hour *hr = probe_acct_hours(a, &n);
    struct ww_office_cal cal = {0};
    bool have_cal = n && office &&
                    ww_office_cal_build(office, NULL, 0, (time_t)hr[0].start,
                                        (time_t)hr[n - 1].start + 3600, &cal) == 0;
    for (size_t i = 0; i < n; i++) {
        struct tm tm;
        time_t s = (time_t)hr[i].start;
        localtime_r(&s, &tm); /* the office zone (ww_office_use_zone() at start) */
        long long office_s = have_cal ? ww_office_cal_seconds(&cal, s, s + 3600) : -1;
        printf("hour %s local_hour %02d up %llu down %llu office_seconds %lld\n",
               utc_text(hr[i].start, tb, sizeof(tb)), tm.tm_hour,
               (unsigned long long)hr[i].up_bytes, (unsigned long long)hr[i].down_bytes, office_s);
    }
    if (have_cal)
        ww_office_cal_release(&cal);
    for (size_t i = 0; i < ps->n; i++) {
        const struct probe_pair *p = &ps->v[i];
        printf("pair %s %02x:%02x:%02x:%02x:%02x:%02x %s\n",
               pair_src[p->source < 4 ? p->source : 0], p->mac[0], p->mac[1], p->mac[2], p->mac[3],
               p->mac[4], p->mac[5], probe_addr_text(p->family, p->ip, ab, sizeof(ab)));
    }
    if (ps->dropped)
        printf("pairs_dropped %llu\n", ps->dropped);
    if (t.windows_dropped || t.hours_dropped)
        printf("history_dropped windows %llu hours %llu\n", (unsigned long long)t.windows_dropped,
               (unsigned long long)t.hours_dropped);
}

static int add_subnets(struct probe_acct *a, const char *list)
{
    char *copy = ww_strdup(list ? list : ""), *save = NULL;
    int ret = 0;
    for (char *tok = strtok_r(copy, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
        if (probe_acct_add_subnet(a, tok) < 0) {
            ret = ww_error(-EINVAL, "probe: local subnet '%.60s' is not a CIDR (or too many)", tok);
            break;
        }
    }
    free(copy);
    return ret;
}

/* the benchmark's loop: frames copied into memory once, then decoded and counted @repeat
 * times on one core; prints frames/s and bytes/s of the counting alone */
struct mframe {
    int link;
    int64_t ts;
    uint32_t caplen, len;
    size_t off;
};

static int run_repeat(struct probe_capture *c, struct probe_acct *a, unsigned long repeat)
{
    struct mframe *fr = NULL;
    struct ww_buf data;
    struct probe_frame f;
    size_t n = 0, cap = 0;
    int r, ret = 1;

    ww_buf_init(&data, (size_t)1 << 31);
    while ((r = probe_capture_next(c, &f)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            fr = ww_reallocarray(fr, cap, sizeof(*fr));
        }
        fr[n] = (struct mframe){f.link, f.ts_sec, f.caplen, f.len, data.len};
        if (ww_buf_add(&data, f.data, f.caplen) < 0)
            goto out;
        n++;
    }
    if (r < 0)
        goto out;
    struct timespec t0, t1;
    uint64_t frames = 0, bytes = 0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (unsigned long k = 0; k < repeat; k++) {
        for (size_t i = 0; i < n; i++) {
            struct probe_pkt p;
            probe_decode(fr[i].link, (const uint8_t *)data.data + fr[i].off, fr[i].caplen,
                         fr[i].len, &p);
            probe_acct_add(a, &p, fr[i].ts);
            bytes += fr[i].len;
        }
        frames += n;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("bench frames %llu bytes %llu cpu_s %.6f frames_per_s %.0f bytes_per_s %.0f\n",
           (unsigned long long)frames, (unsigned long long)bytes, s,
           s > 0 ? (double)frames / s : 0.0, s > 0 ? (double)bytes / s : 0.0);
    ret = 0;
out:
    free(fr);
    ww_buf_release(&data);
    return ret;
}

/* the run's counts into the database (inventory/probe.c, schema v16) */
static int store_run(struct probe_acct *a, const struct pairs *ps, struct ww_db *db)
{
    static const char *const pair_src[] = {"?", "arp", "ndp", "dhcp"};
    struct probe_host *hosts = NULL;
    struct inv_probe_host *ih = NULL;
    struct inv_probe_window *iw = NULL;
    struct inv_probe_talker *it = NULL;
    struct inv_probe_count *ic = NULL;
    char(*ctext)[50] = NULL;
    struct inv_probe_hour *ihr = NULL;
    struct inv_sighting *is = NULL;
    char(*htext)[64] = NULL, (*ttext)[64] = NULL, (*ptext)[64] = NULL, (*mtext)[18] = NULL;
    struct inv_probe_run run = {0};
    size_t nh = 0, nw = 0, nhr = 0, unknown = 0;
    int ret = -EIO;

    probe_acct_finish(a);
    probe_acct_hosts(a, &hosts, &nh);
    ih = ww_calloc(nh + 1, sizeof(*ih));
    htext = ww_calloc(nh + 1, sizeof(*htext));
    for (size_t i = 0; i < nh; i++) {
        const struct probe_host *h = &hosts[i];
        ih[i] = (struct inv_probe_host){probe_addr_text(h->family, h->addr, htext[i], 64),
                                        h->family,
                                        h->first_seen,
                                        h->last_seen,
                                        (long long)h->tx_pkts,
                                        (long long)h->tx_bytes,
                                        (long long)h->rx_pkts,
                                        (long long)h->rx_bytes};
    }
    const struct probe_window *w = probe_acct_windows(a, &nw);
    iw = ww_calloc(nw + 1, sizeof(*iw));
    it = ww_calloc(nw * PROBE_TOP_TALKERS + 1, sizeof(*it));
    ttext = ww_calloc(nw * PROBE_TOP_TALKERS + 1, sizeof(*ttext));
    /* per window: its classes, ports and subnets, one slice of ic/ctext each */
    const size_t per_win = PROBE_NCLASS + PROBE_TOP_PORTS + PROBE_MAX_SUBNETS;
    size_t nsubs = 0;
    const struct probe_subnet *subs = probe_acct_subnets(a, &nsubs);
    ic = ww_calloc(nw * per_win + 1, sizeof(*ic));
    ctext = ww_calloc(nw * per_win + 1, sizeof(*ctext));
    for (size_t i = 0; i < nw; i++) {
        struct inv_probe_talker *t = it + i * PROBE_TOP_TALKERS;
        for (unsigned k = 0; k < w[i].ntop; k++) {
            char *txt = ttext[i * PROBE_TOP_TALKERS + k];
            t[k].addr = probe_addr_text(w[i].top[k].family, w[i].top[k].addr, txt, 64);
            t[k].bytes = (long long)w[i].top[k].bytes;
        }
        struct inv_probe_count *c = ic + i * per_win;
        char(*ct)[50] = ctext + i * per_win;
        size_t ncls = 0, nport = 0, nsub = 0;
        for (int k = 0; k < PROBE_NCLASS; k++)
            if (w[i].cls_pkts[k])
                c[ncls++] = (struct inv_probe_count){probe_class_name(k),
                                                     (long long)w[i].cls_pkts[k],
                                                     (long long)w[i].cls_bytes[k], 0, 0};
        struct inv_probe_count *cp = c + ncls;
        for (unsigned k = 0; k < w[i].nports; k++) {
            const struct probe_port *pp = &w[i].ports[k];
            snprintf(ct[ncls + k], sizeof(ct[0]), "%s/%u",
                     pp->proto == 6 ? "tcp" : pp->proto == 17 ? "udp" : "sctp", pp->port);
            cp[nport++] = (struct inv_probe_count){ct[ncls + k], (long long)pp->pkts,
                                                   (long long)pp->bytes, 0, 0};
        }
        struct inv_probe_count *cs = cp + nport;
        for (unsigned k = 0; k < w[i].nsub && k < nsubs; k++) {
            const struct probe_wsubnet *ws = &w[i].sub[k];
            char *txt = ct[ncls + nport + nsub], ab[64];
            if (!ws->tx_pkts && !ws->rx_pkts)
                continue;
            snprintf(txt, sizeof(ct[0]), "%s/%u",
                     probe_addr_text(subs[k].family, subs[k].addr, ab, sizeof(ab)),
                     subs[k].prefix);
            cs[nsub++] = (struct inv_probe_count){txt, (long long)ws->tx_pkts,
                                                  (long long)ws->tx_bytes, (long long)ws->rx_pkts,
                                                  (long long)ws->rx_bytes};
        }
        iw[i] = (struct inv_probe_window){w[i].start, (long long)w[i].pkts, (long long)w[i].bytes,
                                          w[i].ntop, t, ncls, nport, nsub, c, cp, cs};
    }
    const struct probe_hour *hr = probe_acct_hours(a, &nhr);
    ihr = ww_calloc(nhr + 1, sizeof(*ihr));
    for (size_t i = 0; i < nhr; i++)
        ihr[i] = (struct inv_probe_hour){hr[i].start, (long long)hr[i].up_bytes,
                                         (long long)hr[i].down_bytes};
    is = ww_calloc(ps->n + 1, sizeof(*is));
    ptext = ww_calloc(ps->n + 1, sizeof(*ptext));
    mtext = ww_calloc(ps->n + 1, sizeof(*mtext));
    for (size_t i = 0; i < ps->n; i++) {
        const struct probe_pair *p = &ps->v[i];
        snprintf(mtext[i], sizeof(mtext[i]), "%02x:%02x:%02x:%02x:%02x:%02x", p->mac[0], p->mac[1],
                 p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
        is[i] = (struct inv_sighting){mtext[i], probe_addr_text(p->family, p->ip, ptext[i], 64),
                                      pair_src[p->source < 4 ? p->source : 0], ps->seen[i]};
    }
    run = (struct inv_probe_run){ih, nh, iw, nw, ihr, nhr, is, ps->n};
    if ((ret = inv_probe_save(db, &run, &unknown)) < 0)
        goto out;
    ww_log(WW_LOG_INFO,
           "probe: stored %zu hosts, %zu windows, %zu hours, %zu MAC/IP pairs "
           "(%zu new that no device's address names)",
           nh, nw, nhr, ps->n, unknown);
    ret = 0;
out:
    free(hosts);
    free(ih);
    free(htext);
    free(iw);
    free(it);
    free(ttext);
    free(ic);
    free(ctext);
    free(ihr);
    free(is);
    free(ptext);
    free(mtext);
    return ret;
}

/* the active checks: the database and the ICMP sockets opened while a capability may be
 * held, then every capability dropped; each round runs the checks due (all with --once) at
 * once (check.c) and stores their state (inventory: inv_check_record). @fixed_now: the wall
 * clock for tests (0: the real one); @ca_file: what HTTPS trusts (NULL: the system's). Returns the exit status. */
static int run_checks(const struct ww_config *cfg, bool once, long long fixed_now,
                      const char *ca_file)
{
    char *db_path = ww_asprintf("%s/wardwatch.db", cfg->data_dir);
    char *rrd_dir = ww_asprintf("%s/" PROBE_CHECK_RRD_DIR, cfg->data_dir);
    struct store *st = NULL;
    struct probe_icmp icmp = {.fd4 = -1, .fd6 = -1};
    struct inv_check_row *rows = NULL;
    struct inv_check_result *res = NULL;
    struct inv_check *due = NULL;
    struct ww_db *db = NULL;
    long long *next_at = NULL, *next_id = NULL;
    size_t nrows = 0, nnext = 0;
    struct sigaction sa;
    int ret = 1, r = ww_db_open(db_path, false, &db);

    free(db_path);
    if (r < 0 || inv_migrate(db) < 0 || store_open(rrd_dir, cfg->rrdcached, &st) < 0)
        goto out;
    probe_icmp_open(&icmp); /* without: ICMP checks say no_socket */
    if (probe_caps_drop_all() < 0)
        goto out;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!stop_requested) {
        int64_t now = fixed_now ? fixed_now : (int64_t)time(NULL);
        size_t n = 0;

        if (inv_check_rows(db, false, &rows, &nrows) < 0)
            goto out;
        due = ww_reallocarray(NULL, nrows ? nrows : 1, sizeof(*due));
        res = ww_reallocarray(NULL, nrows ? nrows : 1, sizeof(*res));
        for (size_t i = 0; i < nrows; i++) {
            bool is_due = true;
            for (size_t k = 0; k < nnext && !once; k++)
                if (next_id[k] == rows[i].c.id)
                    is_due = next_at[k] <= now;
            if (is_due)
                due[n++] = rows[i].c;
        }
        if (probe_checks_run(due, n, &icmp, ca_file, now, res) < 0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            bool changed = false;
            r = inv_check_record(db, &res[i], &changed);
            if (r == -ENOENT)
                continue; /* removed meanwhile */
            if (r < 0)
                goto out;
            /* a sample refused (a time not after the last) is logged by storage: the
             * state row is what the page shows first */
            probe_check_store(st, &due[i], &res[i]);
            printf("check %lld %s latency_ms %.1f loss_pct %.0f jitter_ms %.1f http %d"
                   " cert_days %d reason %s%s\n",
                   res[i].check_id, res[i].up ? "up" : "down", res[i].latency_ms,
                   res[i].loss_pct, res[i].jitter_ms, res[i].http_status,
                   res[i].cert_days == INT_MIN ? -1 : res[i].cert_days,
                   res[i].reason ? res[i].reason : "-", changed ? " changed" : "");
        }
        fflush(stdout);
        /* when each check is next due: its interval after the round that ran it */
        long long *ids = ww_reallocarray(NULL, nrows ? nrows : 1, sizeof(*ids));
        long long *ats = ww_reallocarray(NULL, nrows ? nrows : 1, sizeof(*ats));
        for (size_t i = 0; i < nrows; i++) {
            ids[i] = rows[i].c.id;
            ats[i] = now + rows[i].c.interval_s;
            for (size_t k = 0; k < nnext; k++)
                if (next_id[k] == ids[i] && next_at[k] > now)
                    ats[i] = next_at[k]; /* not due this round: unchanged */
        }
        free(next_id);
        free(next_at);
        next_id = ids;
        next_at = ats;
        nnext = nrows;
        inv_check_rows_free(rows, nrows);
        rows = NULL;
        nrows = 0;
        free(due);
        free(res);
        due = NULL;
        res = NULL;
        if (once)
            break;
        /* until the next check is due; at most 10 s, so new and changed checks start soon */
        long long wait = 10;
        for (size_t k = 0; k < nnext; k++)
            if (next_at[k] - now < wait)
                wait = next_at[k] - now;
        sleep((unsigned)(wait < 1 ? 1 : wait));
    }
    ret = 0;
out:
    inv_check_rows_free(rows, nrows);
    free(due);
    free(res);
    free(next_id);
    free(next_at);
    probe_icmp_close(&icmp);
    store_free(st);
    free(rrd_dir);
    ww_db_close(db);
    return ret;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"read", required_argument, NULL, 'r'},
                                         {"interface", required_argument, NULL, 'i'},
                                         {"filter", required_argument, NULL, 'f'},
                                         {"subnets", required_argument, NULL, 's'},
                                         {"repeat", required_argument, NULL, 'R'},
                                         {"duration", required_argument, NULL, 'D'},
                                         {"count", required_argument, NULL, 'n'},
                                         {"store", no_argument, NULL, 'S'},
                                         {"data-dir", required_argument, NULL, 'd'},
                                         {"checks", no_argument, NULL, 'C'},
                                         {"once", no_argument, NULL, 'O'},
                                         {"now", required_argument, NULL, 'N'},
                                         {"ca-file", required_argument, NULL, 'A'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *file = NULL, *ifname = NULL, *filter = NULL;
    const char *subnets = NULL;
    long long repeat = 0, duration = 0, count = 0, seen = 0;
    bool read_error = false, store = false, checks = false, once = false;
    long long fixed_now = 0;
    const char *ca_file = NULL;
    const char *data_dir = NULL;
    struct ww_config cfg;
    struct ww_office office;
    bool cfg_loaded = false, have_office = false, verbose = false;
    struct probe_capture *cap = NULL;
    struct probe_acct *acct = NULL;
    struct pairs *pairs = NULL;
    struct ww_db *db = NULL;
    enum ww_log_level level = WW_LOG_INFO;
    struct sigaction sa;
    int ret = 1, opt, r;

    while ((opt = getopt_long(argc, argv, "c:d:r:i:f:vh", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'r':
            file = optarg;
            break;
        case 'i':
            ifname = optarg;
            break;
        case 'f':
            filter = optarg;
            break;
        case 's':
            subnets = optarg;
            break;
        case 'R':
            if (ww_parse_ll(optarg, 1, 1000000, &repeat) < 0) {
                fprintf(stderr, "wardwatch-probe: --repeat wants 1 to 1000000\n");
                return 2;
            }
            break;
        case 'D':
            if (ww_parse_ll(optarg, 1, 31536000, &duration) < 0) {
                fprintf(stderr, "wardwatch-probe: --duration wants 1 to 31536000 seconds\n");
                return 2;
            }
            break;
        case 'n':
            if (ww_parse_ll(optarg, 1, 1LL << 50, &count) < 0) {
                fprintf(stderr, "wardwatch-probe: --count wants a number of frames\n");
                return 2;
            }
            break;
        case 'S':
            store = true;
            break;
        case 'd':
            data_dir = optarg;
            break;
        case 'C':
            checks = true;
            break;
        case 'O':
            once = true;
            break;
        case 'A':
            ca_file = optarg;
            break;
        case 'N':
            if (ww_parse_ll(optarg, 1, 1LL << 40, &fixed_now) < 0) {
                fprintf(stderr, "wardwatch-probe: --now wants epoch seconds\n");
                return 2;
            }
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc || (file && ifname) || (repeat && !file) ||
        (checks && (file || ifname || store)) || ((once || fixed_now || ca_file) && !checks)) {
        usage(stderr);
        return 2;
    }
    ww_log_init("wardwatch-probe", WW_LOG_INFO);
    if (ww_config_load(config_path, &cfg) < 0)
        return 1;
    cfg_loaded = true;
    if (data_dir && ww_config_set(&cfg, "general", "data_dir", data_dir) < 0)
        goto out;
    ww_log_level_parse(cfg.log_level, &level);
    ww_log_init("wardwatch-probe", verbose ? WW_LOG_DEBUG : level);
    if (checks) {
        ret = run_checks(&cfg, once, fixed_now, ca_file);
        goto out;
    }
    if (!file && !ifname && *cfg.probe_interface)
        ifname = cfg.probe_interface;
    if (!file && !ifname) {
        fprintf(stderr, "wardwatch-probe: nothing to read: give --read FILE or --interface IF "
                        "(or [probe] interface)\n");
        ret = 2;
        goto out;
    }
    if (!filter)
        filter = cfg.probe_filter;
    if (ww_office_init(cfg.timezone, cfg.office_hours, cfg.office_days, &office) == 0 &&
        ww_office_use_zone(&office) == 0)
        have_office = true;

    acct = probe_acct_new((size_t)cfg.probe_max_hosts);
    if (add_subnets(acct, subnets ? subnets : cfg.probe_local_subnets) < 0)
        goto out;
    pairs = ww_calloc(1, sizeof(*pairs));
    if (store) {
        /* opened before the capabilities go: a root without CAP_DAC_OVERRIDE may not open
         * a database that belongs to the wardwatch user */
        char *db_path = ww_asprintf("%s/wardwatch.db", cfg.data_dir);
        int r2 = ww_db_open(db_path, false, &db);
        free(db_path);
        if (r2 < 0 || inv_migrate(db) < 0)
            goto out;
    }

    if (ifname) {
        if (!probe_caps_have_net_raw()) {
            fprintf(stderr,
                    "wardwatch-probe: live capture on '%s' needs CAP_NET_RAW: run it "
                    "as root or give it the capability (setcap cap_net_raw+ep "
                    "wardwatch-probe)\n",
                    ifname);
            goto out;
        }
        if (probe_capture_open_live(ifname, filter, &cap) < 0)
            goto out;
    } else if (probe_capture_open_file(file, filter, &cap) < 0) {
        goto out;
    }
    /* the capture is open: nothing else this process does needs a capability */
    if (probe_caps_drop_all() < 0)
        goto out;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: a signal ends the wait */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (repeat) {
        ret = run_repeat(cap, acct, (unsigned long)repeat);
        goto out;
    }
    live_cap = cap;
    if (ifname)
        ww_log(WW_LOG_INFO, "probe: capturing on '%s'%s%s", ifname, *filter ? " with filter " : "",
               filter);
    int64_t until = duration ? ww_mono_ms() + duration * 1000 : 0;
    /* a live probe that stores adds what it counted every window and starts counting
     * afresh: the stored counters add up, so nothing is counted twice */
    int64_t next_flush = db && ifname ? ww_mono_ms() + PROBE_WINDOW_S * 1000 : 0;
    for (;;) {
        struct probe_frame f;
        struct probe_pkt p;
        if (stop_requested)
            break;
        r = probe_capture_next(cap, &f);
        if (r == -EINTR)
            break;
        if (r < 0) {
            /* a cut or damaged file: what was read before is still reported */
            read_error = true;
            break;
        }
        if (r == 0) {
            if (!ifname)
                break; /* the end of the file */
        } else {
            probe_decode(f.link, f.data, f.caplen, f.len, &p);
            probe_acct_add(acct, &p, f.ts_sec);
            if (p.drop == PROBE_OK && p.pair.source)
                pair_note(pairs, &p.pair, f.ts_sec);
            if (count && ++seen >= count)
                break;
        }
        if (until && ww_mono_ms() >= until)
            break;
        if (next_flush && ww_mono_ms() >= next_flush) {
            if (store_run(acct, pairs, db) < 0)
                goto out;
            probe_acct_free(acct);
            acct = probe_acct_new((size_t)cfg.probe_max_hosts);
            if (add_subnets(acct, subnets ? subnets : cfg.probe_local_subnets) < 0)
                goto out;
            pairs->n = 0;
            pairs->dropped = 0;
            next_flush += PROBE_WINDOW_S * 1000;
        }
    }
    live_cap = NULL;
    if (ifname) {
        uint64_t recv = 0, drop = 0;
        if (probe_capture_stats(cap, &recv, &drop) == 0)
            ww_log(WW_LOG_INFO, "probe: '%s': %llu frames received, %llu dropped by the kernel",
                   ifname, (unsigned long long)recv, (unsigned long long)drop);
    }
    report(acct, pairs, have_office ? &office : NULL);
    if (read_error)
        printf("read_error 1\n");
    fflush(stdout);
    if (db && store_run(acct, pairs, db) < 0)
        goto out;
    ret = 0;
out:
    live_cap = NULL;
    probe_capture_free(cap);
    probe_acct_free(acct);
    free(pairs);
    ww_db_close(db);
    if (cfg_loaded)
        ww_config_release(&cfg);
    return ret;
}
