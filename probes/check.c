/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c - the active checks (issue 18 item 2): one round runs every check it is given at
 * once, from one thread, and says of each up or down with its figures and a reason code.
 *
 * DESIGN. One loop: HTTP(S) requests and TCP connects are libcurl easy handles in one multi
 * handle; the ICMP sockets (one per family, common/icmp.c's, opened once by the caller
 * while it still may) are extra descriptors of curl_multi_poll(), so replies are read while
 * transfers run. Each ICMP check sends PROBE_CHECK_ECHOES echoes PROBE_CHECK_GAP_MS apart
 * and waits up to its timeout after the last; a reply is matched by its sequence number
 * (check index * echoes + echo) and its source address. DNS checks resolve with
 * getaddrinfo() first (timed; the resolver blocks). HTTP: only http and https, at most
 * PROBE_CHECK_REDIRS redirects and only to http/https, the body read up to
 * PROBE_CHECK_BODY_MAX bytes for the expected text, the certificate's days left from
 * CURLINFO_CERTINFO. Nothing of a URL past its host is logged (ww_url_redact). Results go to
 * inventory (inv_check_record) through the caller; the wall clock is the caller's.
 */
#include "probes/probes.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/common.h"
#include "inventory/inventory.h"
#include "storage/storage.h"
#include "common/banned.h"

struct run {
    const struct inv_check *c;
    struct inv_check_result *r;
    /* http, tcp */
    CURL *easy;
    struct ww_buf body;
    bool capped; /* the body reached PROBE_CHECK_BODY_MAX: read no further */
    /* icmp */
    int family;
    struct sockaddr_storage addr;
    unsigned sent, got;
    int64_t sent_at[PROBE_CHECK_ECHOES];
    double rtt[PROBE_CHECK_ECHOES];
    int64_t deadline;
};

int probe_icmp_open(struct probe_icmp *out)
{
    out->fd4 = ww_icmp_socket(AF_INET, &out->raw4);
    out->fd6 = ww_icmp_socket(AF_INET6, &out->raw6);
    out->ident = (uint16_t)getpid();
    if (out->fd4 < 0 && out->fd6 < 0)
        return ww_error(-EPERM, "checks: no ICMP socket (%s): ICMP checks are not run "
                                "(net.ipv4.ping_group_range or CAP_NET_RAW)", strerror(errno));
    return 0;
}

void probe_icmp_close(struct probe_icmp *s)
{
    if (s->fd4 >= 0)
        close(s->fd4);
    if (s->fd6 >= 0)
        close(s->fd6);
    s->fd4 = s->fd6 = -1;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct run *u = arg;

    if (ww_buf_add(&u->body, data, size * n) < 0) {
        u->capped = true;
        return 0; /* ends the transfer: what was read is judged */
    }
    return size * n;
}

static int cert_days(CURL *easy, int64_t now)
{
    struct curl_certinfo *ci = NULL;

    if (curl_easy_getinfo(easy, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
        return INT_MIN;
    for (struct curl_slist *s = ci->certinfo[0]; s; s = s->next)
        if (strncmp(s->data, "Expire date:", 12) == 0) {
            time_t t = curl_getdate(s->data + 12, NULL);
            if (t == -1)
                return INT_MIN;
            return (int)(((int64_t)t - now) / 86400 - (((int64_t)t - now) < 0));
        }
    return INT_MIN;
}

static int start_transfer(CURLM *multi, struct run *u, const char *ca_file)
{
    bool tcp = strcmp(u->c->kind, "tcp") == 0;
    char *url = NULL;
    CURL *e = curl_easy_init();

    if (!e)
        return -ENOMEM;
    if (tcp)
        url = strchr(u->c->target, ':') ? ww_asprintf("http://[%s]:%d/", u->c->target, u->c->port)
                                        : ww_asprintf("http://%s:%d/", u->c->target, u->c->port);
    curl_easy_setopt(e, CURLOPT_URL, tcp ? url : u->c->target);
    free(url); /* libcurl keeps its own copy */
    curl_easy_setopt(e, CURLOPT_PRIVATE, u);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)u->c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    /* each check measures its own connection: none shared, none kept */
    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    if (tcp) {
        curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)PROBE_CHECK_REDIRS);
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
        if (ca_file && *ca_file)
            curl_easy_setopt(e, CURLOPT_CAINFO, ca_file);
        curl_easy_setopt(e, CURLOPT_USERAGENT, "wardwatch-probe");
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, u);
        ww_buf_init(&u->body, PROBE_CHECK_BODY_MAX);
    }
    u->easy = e;
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        u->easy = NULL;
        return -EIO;
    }
    return 0;
}

static const char *curl_reason(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return "no_address";
    case CURLE_COULDNT_CONNECT:
        return "refused";
    case CURLE_OPERATION_TIMEDOUT:
        return "timeout";
    case CURLE_UNSUPPORTED_PROTOCOL:
        return "redirect_refused"; /* the URL itself is http(s): inventory checked it */
    case CURLE_TOO_MANY_REDIRECTS:
        return "too_many_redirects";
    case CURLE_PEER_FAILED_VERIFICATION:
        return "tls_verify";
    case CURLE_SSL_CONNECT_ERROR:
        return "tls";
    default:
        return "failed";
    }
}

static void finish_transfer(struct run *u, CURLcode rc, int64_t now)
{
    bool tcp = strcmp(u->c->kind, "tcp") == 0;
    curl_off_t t = 0;
    long status = 0;

    curl_easy_getinfo(u->easy, tcp ? CURLINFO_CONNECT_TIME_T : CURLINFO_TOTAL_TIME_T, &t);
    u->r->latency_ms = (double)t / 1000.0;
    if (rc == CURLE_WRITE_ERROR && u->capped)
        rc = CURLE_OK; /* the bounded read ended it, not the server */
    if (rc != CURLE_OK) {
        char shown[WW_URL_REDACT_MAX];
        u->r->reason = curl_reason(rc);
        ww_log(WW_LOG_DEBUG, "checks: %s %s: %s", u->c->kind,
               tcp ? u->c->target : ww_url_redact(u->c->target, shown, sizeof(shown)),
               curl_easy_strerror(rc));
        return;
    }
    if (tcp) {
        u->r->up = true;
        return;
    }
    curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &status);
    u->r->http_status = (int)status;
    u->r->cert_days = cert_days(u->easy, now);
    if (status >= 400 || status < 200)
        u->r->reason = "status";
    else if (u->c->expect && *u->c->expect &&
             !(u->body.data && memmem(u->body.data, u->body.len, u->c->expect,
                                      strlen(u->c->expect))))
        u->r->reason = "expect";
    else
        u->r->up = true;
}

static void run_dns(struct run *u)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int64_t t0 = ww_mono_ms();
    int rc = getaddrinfo(u->c->target, NULL, &hints, &res);

    u->r->latency_ms = (double)(ww_mono_ms() - t0);
    if (rc != 0 || !res) {
        u->r->reason = "no_address";
    } else {
        u->r->up = true;
    }
    if (res)
        freeaddrinfo(res);
}

static bool icmp_resolve(struct run *u)
{
    struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res = NULL;

    if (getaddrinfo(u->c->target, NULL, &hints, &res) != 0 || !res) {
        u->r->reason = "no_address";
        return false;
    }
    memcpy(&u->addr, res->ai_addr, res->ai_addrlen);
    u->family = res->ai_family;
    freeaddrinfo(res);
    return true;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)(const void *)b)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr, 16) == 0;
}

static void read_replies(const struct probe_icmp *s, int family, struct run *runs, size_t n)
{
    int fd = family == AF_INET6 ? s->fd6 : s->fd4;
    bool raw = family == AF_INET6 ? s->raw6 : s->raw4;
    uint8_t buf[1500];
    struct sockaddr_storage from;
    socklen_t fl = sizeof(from);
    ssize_t got;
    uint16_t seq;

    while (fd >= 0 && (got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl)) >= 0) {
        size_t i = 0;
        unsigned k = 0;
        if (ww_icmp_reply(buf, (size_t)got, family, raw, s->ident, &seq)) {
            i = seq / PROBE_CHECK_ECHOES;
            k = seq % PROBE_CHECK_ECHOES;
            if (i < n && runs[i].family == family && k < runs[i].sent &&
                isnan(runs[i].rtt[k]) && same_addr(&from, &runs[i].addr)) {
                runs[i].rtt[k] = (double)(ww_mono_ms() - runs[i].sent_at[k]);
                runs[i].got++;
            }
        }
        fl = sizeof(from);
    }
}

static void send_echo(const struct probe_icmp *s, struct run *u, size_t i, int64_t now)
{
    int fd = u->family == AF_INET6 ? s->fd6 : s->fd4;
    uint8_t pkt[WW_ICMP_ECHO_LEN];
    socklen_t len = u->family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

    ww_icmp_echo(u->family, s->ident, (uint16_t)(i * PROBE_CHECK_ECHOES + u->sent), pkt);
    u->sent_at[u->sent] = now;
    u->rtt[u->sent] = NAN;
    u->sent++;
    if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&u->addr, len) < 0)
        ww_log(WW_LOG_DEBUG, "checks: echo to %s: %s", u->c->target, strerror(errno));
    if (u->sent == PROBE_CHECK_ECHOES)
        u->deadline = now + u->c->timeout_ms;
}

static void finish_icmp(struct run *u)
{
    double sum = 0, jit = 0, prev = NAN;
    unsigned pairs = 0;

    if (u->sent == 0)
        return; /* not resolved, or no socket: its reason is set */
    u->r->loss_pct = 100.0 * (u->sent - u->got) / u->sent;
    for (unsigned k = 0; k < u->sent; k++) {
        if (isnan(u->rtt[k]))
            continue;
        sum += u->rtt[k];
        if (!isnan(prev)) {
            jit += fabs(u->rtt[k] - prev);
            pairs++;
        }
        prev = u->rtt[k];
    }
    if (u->got) {
        u->r->up = true;
        u->r->latency_ms = sum / u->got;
        u->r->jitter_ms = pairs ? jit / pairs : 0;
    } else {
        u->r->reason = "no_reply";
    }
}

int probe_checks_run(const struct inv_check *checks, size_t n, const struct probe_icmp *icmp,
                     const char *ca_file, int64_t now, struct inv_check_result *out)
{
    struct run *runs = ww_calloc(n ? n : 1, sizeof(*runs));
    CURLM *multi = curl_multi_init();
    int64_t next_echo = ww_mono_ms();
    int active = 0, ret = 0;
    bool icmp_left = false;

    if (!multi) {
        free(runs);
        return ww_error(-EIO, "checks: curl_multi_init failed");
    }
    /* no transfer waits for another's connection to the same server to multiplex on it */
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING);
    if (n >= 65536 / PROBE_CHECK_ECHOES)
        ww_log(WW_LOG_INFO, "checks: %zu checks in one round: ICMP past the first %d waits",
               n, 65536 / PROBE_CHECK_ECHOES);
    for (size_t i = 0; i < n; i++) {
        struct run *u = &runs[i];
        u->c = &checks[i];
        u->r = &out[i];
        *u->r = (struct inv_check_result){.check_id = checks[i].id, .at = now,
                                          .latency_ms = NAN, .loss_pct = NAN,
                                          .jitter_ms = NAN, .cert_days = INT_MIN};
        if (strcmp(u->c->kind, "dns") == 0) {
            run_dns(u);
        } else if (strcmp(u->c->kind, "icmp") == 0) {
            if (i < 65536 / PROBE_CHECK_ECHOES && icmp_resolve(u)) {
                int fd = u->family == AF_INET6 ? icmp->fd6 : icmp->fd4;
                if (fd < 0)
                    u->r->reason = "no_socket";
                else
                    icmp_left = true;
            } else if (!u->r->reason) {
                u->r->reason = "not_run";
            }
        } else if (start_transfer(multi, u, ca_file) < 0) {
            u->r->reason = "failed";
        }
    }
    curl_multi_perform(multi, &active);
    while (active > 0 || icmp_left) {
        struct curl_waitfd extra[2];
        unsigned nextra = 0;
        int64_t t = ww_mono_ms(), wait = 100;
        CURLMsg *msg;
        int left;

        /* the echoes due now, the ICMP checks done */
        icmp_left = false;
        for (size_t i = 0; i < n; i++) {
            struct run *u = &runs[i];
            if (u->family == 0 || u->r->reason)
                continue;
            if (u->sent < PROBE_CHECK_ECHOES && t >= next_echo)
                send_echo(icmp, u, i, t);
            if (u->sent < PROBE_CHECK_ECHOES || (t < u->deadline && u->got < u->sent))
                icmp_left = true;
        }
        if (t >= next_echo)
            next_echo = t + PROBE_CHECK_GAP_MS;
        if (icmp_left && next_echo - t < wait)
            wait = next_echo - t > 0 ? next_echo - t : 0;
        if (icmp->fd4 >= 0)
            extra[nextra++] = (struct curl_waitfd){.fd = icmp->fd4, .events = CURL_WAIT_POLLIN};
        if (icmp->fd6 >= 0)
            extra[nextra++] = (struct curl_waitfd){.fd = icmp->fd6, .events = CURL_WAIT_POLLIN};
        if (curl_multi_poll(multi, extra, nextra, (int)wait, NULL) != CURLM_OK) {
            ret = ww_error(-EIO, "checks: curl_multi_poll failed");
            break;
        }
        read_replies(icmp, AF_INET, runs, n);
        read_replies(icmp, AF_INET6, runs, n);
        curl_multi_perform(multi, &active);
        while ((msg = curl_multi_info_read(multi, &left))) {
            struct run *u = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&u);
            finish_transfer(u, msg->data.result, now);
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct run *u = &runs[i];
        if (u->family && !u->r->reason)
            finish_icmp(u);
        if (u->easy) {
            curl_multi_remove_handle(multi, u->easy);
            curl_easy_cleanup(u->easy);
            ww_buf_release(&u->body);
        }
    }
    curl_multi_cleanup(multi);
    free(runs);
    return ret;
}

int probe_check_store(struct store *st, const struct inv_check *c,
                      const struct inv_check_result *r)
{
    static const struct store_ds ds[] = {
        {"up", STORE_GAUGE, 0, 1},
        {"latency_ms", STORE_GAUGE, 0, NAN},
        {"loss_pct", STORE_GAUGE, 0, 100},
        {"jitter_ms", STORE_GAUGE, 0, NAN},
    };
    struct store_val v[4] = {{.kind = STORE_NUM, .num = r->up ? 1 : 0}};
    const double figures[3] = {r->latency_ms, r->loss_pct, r->jitter_ms};
    int ret = store_ensure(st, c->id, PROBE_CHECK_METRIC, (unsigned)c->interval_s, ds, 4);

    for (size_t i = 0; i < 3; i++)
        v[i + 1] = isnan(figures[i]) ? (struct store_val){.kind = STORE_UNKNOWN}
                                     : (struct store_val){.kind = STORE_NUM, .num = figures[i]};
    if (ret == 0)
        ret = store_update(st, c->id, PROBE_CHECK_METRIC, (double)r->at, v, 4);
    return ret;
}
