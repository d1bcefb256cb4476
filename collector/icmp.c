/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * icmp.c - one ICMP echo to each device that stopped answering SNMP, so that its page can
 * tell "the host is there, SNMP is not" from "nothing answers" (inventory's inv_down_cause(),
 * issue 15).
 *
 * DESIGN. A pinger thread, started by the collector beside the writer. The writer asks for a
 * device when it writes a failed poll (coll_icmp_ask(): a table entry under a mutex, no I/O
 * on its thread) and puts the last answer into the poll outcome (coll_icmp_answer()). The
 * first failed poll carries no answer yet; by the time a device is called down (down_after
 * failures in a row) it has one. The thread takes every asked device at once: resolves its
 * host (IPv4), sends one echo to each address over one socket, waits up to
 * COLL_ICMP_WAIT_MS for the replies and writes the answers. An answer older than
 * COLL_ICMP_KEEP_S is not used. The socket is a Linux ping socket (SOCK_DGRAM, allowed by
 * net.ipv4.ping_group_range) or else a raw one (CAP_NET_RAW); with neither, nothing is sent,
 * once logged, and the outcome says "not asked" (the page then says no_answer). A reply is
 * matched by its source address and our identifier, so any other ICMP traffic is ignored; a
 * malformed packet is dropped.
 */
#include "collector/collector.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/banned.h"

#define COLL_ICMP_WAIT_MS 1000 /* how long a batch waits for its replies */
#define COLL_ICMP_KEEP_S 600   /* an answer older than this is not used */
#define COLL_ICMP_MAX (1 << 20) /* devices remembered at most; more asks wait for room */

struct entry {
    long long id;
    char host[256];
    bool asked;          /* to be pinged by the next batch */
    enum inv_icmp answer;
    time_t at;           /* when answer was had; 0 none */
};

/* The entries are a dense array (the pinger walks it) with an index by id: open addressing,
 * linear probing, a slot holds position + 1 (0 empty), at most half full, grown by doubling.
 * A removal moves the last entry into the hole and shifts the probe run back, so no
 * tombstones build up however often devices go down and come back. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stop;
    struct entry *v;
    size_t n;
    size_t *slot;
    size_t nslot; /* a power of two; 0 before the first ask */
} P = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static size_t home(long long id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull; /* Fibonacci hashing */
    return (size_t)(x >> 32) & (P.nslot - 1);
}

/* the slot that holds @id, or the empty slot where it would go */
static size_t slot_of(long long id)
{
    size_t i = home(id);
    while (P.slot[i] && P.v[P.slot[i] - 1].id != id)
        i = (i + 1) & (P.nslot - 1);
    return i;
}

static struct entry *find(long long id)
{
    size_t i;
    if (!P.nslot)
        return NULL;
    i = slot_of(id);
    return P.slot[i] ? &P.v[P.slot[i] - 1] : NULL;
}

/* room for one more entry: the array and the index doubled when half full; false at the cap */
static bool make_room(void)
{
    size_t nslot;
    if (2 * (P.n + 1) <= P.nslot)
        return true;
    if (P.n >= COLL_ICMP_MAX)
        return false;
    nslot = P.nslot ? 2 * P.nslot : 64;
    P.v = ww_reallocarray(P.v, nslot / 2, sizeof(*P.v));
    free(P.slot);
    P.slot = ww_calloc(nslot, sizeof(*P.slot));
    P.nslot = nslot;
    for (size_t k = 0; k < P.n; k++)
        P.slot[slot_of(P.v[k].id)] = k + 1;
    return true;
}

static struct entry *insert(long long id)
{
    struct entry *e;
    if (!make_room())
        return NULL;
    e = &P.v[P.n];
    memset(e, 0, sizeof(*e));
    e->id = id;
    P.slot[slot_of(id)] = ++P.n;
    return e;
}

static void remove_id(long long id)
{
    size_t i, j, pos;

    if (!P.nslot || !P.slot[i = slot_of(id)])
        return;
    pos = P.slot[i] - 1;
    /* backward-shift deletion: pull each later entry of the run into the hole when its home
     * does not lie (cyclically) between the hole and where it sits */
    P.slot[i] = 0;
    for (j = (i + 1) & (P.nslot - 1); P.slot[j]; j = (j + 1) & (P.nslot - 1)) {
        size_t k = home(P.v[P.slot[j] - 1].id);
        if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
            P.slot[i] = P.slot[j];
            P.slot[j] = 0;
            i = j;
        }
    }
    /* the last entry fills the hole in the array */
    if (pos != --P.n) {
        P.v[pos] = P.v[P.n];
        P.slot[slot_of(P.v[pos].id)] = pos + 1;
    }
}

void coll_icmp_ask(long long id, const char *host)
{
    struct entry *e;

    if (!host || !*host || strlen(host) >= sizeof(e->host))
        return;
    pthread_mutex_lock(&P.lock);
    if (P.running) {
        e = find(id);
        if (!e)
            e = insert(id);
        if (e) {
            ww_strlcpy(e->host, host, sizeof(e->host));
            e->asked = true;
            pthread_cond_signal(&P.wake);
        }
    }
    pthread_mutex_unlock(&P.lock);
}

enum inv_icmp coll_icmp_answer(long long id)
{
    enum inv_icmp a = INV_ICMP_NOT_ASKED;
    time_t now = time(NULL); /* the pinger's clock: answers are stamped with it */
    struct entry *e;

    pthread_mutex_lock(&P.lock);
    e = find(id);
    if (e && e->at > 0 && now - e->at <= COLL_ICMP_KEEP_S)
        a = e->answer;
    pthread_mutex_unlock(&P.lock);
    return a;
}

void coll_icmp_forget(long long id)
{
    pthread_mutex_lock(&P.lock);
    remove_id(id);
    pthread_mutex_unlock(&P.lock);
}

/* ---- the socket ------------------------------------------------------------------------- */

/*
 * coll_icmp_parse_reply() - the source of an echo reply in @buf (@raw: with its IP header)
 * for our @ident (raw sockets only: a ping socket's identifier is the kernel's); false for
 * anything else or anything malformed. common/icmp.c's test, for IPv4.
 */
bool coll_icmp_parse_reply(const uint8_t *buf, size_t len, bool raw, uint16_t ident)
{
    return ww_icmp_reply(buf, len, AF_INET, raw, ident, NULL);
}

struct target {
    long long id;
    struct in_addr addr;
    bool resolved, answered;
};

static const struct target *sort_base;

static int cmp_addr(const void *a, const void *b)
{
    uint32_t x = sort_base[*(const size_t *)a].addr.s_addr;
    uint32_t y = sort_base[*(const size_t *)b].addr.s_addr;
    return (x > y) - (x < y);
}

/* every target at address @a answered (devices may share an address: another SNMP port);
 * @order: the targets' positions sorted by address, so a reply costs O(log n) */
static void mark_answered(struct target *t, const size_t *order, size_t n, uint32_t a)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[order[mid]].addr.s_addr < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && t[order[lo]].addr.s_addr == a; lo++)
        t[order[lo]].answered = true;
}

static void ping_batch(int fd, bool raw, struct target *t, size_t n, uint16_t ident)
{
    struct timespec t0, now;
    long waited = 0;
    bool all = true;
    size_t *order = ww_calloc(n ? n : 1, sizeof(*order)), m = 0;

    /* only the pinger thread sorts: a file-scope base for qsort is safe here */
    for (size_t i = 0; i < n; i++)
        if (t[i].resolved)
            order[m++] = i;
    sort_base = t;
    qsort(order, m, sizeof(*order), cmp_addr);
    sort_base = NULL;

    for (size_t i = 0; i < n; i++) {
        uint8_t pkt[WW_ICMP_ECHO_LEN];
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = t[i].addr};
        if (!t[i].resolved)
            continue;
        ww_icmp_echo(AF_INET, ident, (uint16_t)i, pkt);
        if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
            ww_log(WW_LOG_DEBUG, "icmp: echo to %s: %s", inet_ntoa(t[i].addr), strerror(errno));
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (waited < COLL_ICMP_WAIT_MS) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        uint8_t buf[1500];
        struct sockaddr_in from;
        socklen_t fl = sizeof(from);
        ssize_t got;

        if (poll(&pfd, 1, (int)(COLL_ICMP_WAIT_MS - waited)) > 0) {
            while ((got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl)) >= 0) {
                if (fl == sizeof(from) && coll_icmp_parse_reply(buf, (size_t)got, raw, ident))
                    mark_answered(t, order, m, from.sin_addr.s_addr);
                fl = sizeof(from);
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        for (size_t i = 0; i < n && all; i++)
            all = !t[i].resolved || t[i].answered;
        if (all)
            break; /* every address answered: no need to wait on */
        all = true;
    }
    free(order);
}

static bool resolve(const char *host, struct in_addr *out)
{
    struct addrinfo hints = {.ai_family = AF_INET}, *res = NULL;

    if (inet_pton(AF_INET, host, out) == 1)
        return true;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
        return false;
    *out = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return true;
}

static void *pinger(void *arg)
{
    bool raw = false, said = false;
    uint16_t ident = (uint16_t)getpid();

    (void)arg;
    for (;;) {
        struct target *t = NULL;
        char (*hosts)[256] = NULL;
        size_t n = 0;
        int fd;

        pthread_mutex_lock(&P.lock);
        while (!P.stop) {
            for (size_t i = 0; i < P.n; i++)
                n += P.v[i].asked;
            if (n)
                break;
            pthread_cond_wait(&P.wake, &P.lock);
        }
        if (P.stop) {
            pthread_mutex_unlock(&P.lock);
            break;
        }
        t = ww_calloc(n, sizeof(*t));
        hosts = ww_calloc(n, sizeof(*hosts));
        n = 0;
        for (size_t i = 0; i < P.n; i++)
            if (P.v[i].asked) {
                P.v[i].asked = false;
                t[n].id = P.v[i].id;
                memcpy(hosts[n], P.v[i].host, sizeof(hosts[n]));
                n++;
            }
        pthread_mutex_unlock(&P.lock);

        for (size_t i = 0; i < n; i++)
            t[i].resolved = resolve(hosts[i], &t[i].addr);
        fd = ww_icmp_socket(AF_INET, &raw);
        if (fd < 0 && !said) {
            said = true;
            ww_log(WW_LOG_INFO, "icmp: no ICMP socket (%s): a silent device's page cannot say "
                                "whether it answers ping (net.ipv4.ping_group_range or "
                                "CAP_NET_RAW)", strerror(errno));
        }
        if (fd >= 0) {
            ping_batch(fd, raw, t, n, ident);
            close(fd);
        }
        pthread_mutex_lock(&P.lock);
        for (size_t i = 0; i < n && fd >= 0; i++) {
            struct entry *e = find(t[i].id);
            if (!e || !t[i].resolved)
                continue;
            e->answer = t[i].answered ? INV_ICMP_ANSWERED : INV_ICMP_SILENT;
            e->at = time(NULL);
        }
        pthread_mutex_unlock(&P.lock);
        free(t);
        free(hosts);
    }
    return NULL;
}

int coll_icmp_start(void)
{
    int rc;

    pthread_mutex_lock(&P.lock);
    if (P.running) {
        pthread_mutex_unlock(&P.lock);
        return 0;
    }
    P.n = 0;
    P.stop = false;
    rc = pthread_create(&P.thread, NULL, pinger, NULL);
    P.running = rc == 0;
    pthread_mutex_unlock(&P.lock);
    return rc ? ww_error(-rc, "icmp: cannot start the pinger: %s", strerror(rc)) : 0;
}

void coll_icmp_stop(void)
{
    pthread_mutex_lock(&P.lock);
    if (!P.running) {
        pthread_mutex_unlock(&P.lock);
        return;
    }
    P.stop = true;
    pthread_cond_signal(&P.wake);
    pthread_mutex_unlock(&P.lock);
    pthread_join(P.thread, NULL);
    pthread_mutex_lock(&P.lock);
    P.running = false;
    free(P.v);
    free(P.slot);
    P.v = NULL;
    P.slot = NULL;
    P.n = P.nslot = 0;
    pthread_mutex_unlock(&P.lock);
}
