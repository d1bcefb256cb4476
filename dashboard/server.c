/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * server.c - the libmicrohttpd daemon: start, limits, the per-request life cycle, stop.
 *
 * DESIGN
 * Threads: libmicrohttpd runs an internal thread pool (epoll); every callback below runs on
 * one of those workers, one request at a time per connection. The only shared state is the
 * SQLite connection, guarded by srv->db_lock (held around inventory calls only), and the
 * log rate limit under srv->log_lock. The two are never held together.
 * A request's life: on_uri() allocates its struct dash_req (seeing the raw target before
 * any percent-decoding), on_access() is called for the headers, for each body chunk and
 * once more at the end, where the router answers; on_completed() frees the request, and is
 * the only place that does. dash_server_free() -> MHD_stop_daemon() closes every
 * connection, which runs on_completed() for each, then joins the workers.
 *
 * Slow clients: libmicrohttpd's connection timeout starts again at every byte, so a client
 * that trickles a byte a second would hold its connection for ever. Each connection has a
 * deadline of its own (struct dash_conn, made and freed by on_connection()): the TLS
 * handshake and the request line and headers must arrive within DASH_HEADER_TIMEOUT_S of
 * the connection's start or of the previous answer, a body within DASH_BODY_TIMEOUT_S of
 * its headers. A sweeper thread shuts down the socket of a connection past its deadline
 * (shutdown(), never close(): the fd stays libmicrohttpd's, which then sees the end of the
 * stream and closes it). conn_lock guards the list and is held around each shutdown(), and
 * on_connection() removes a connection under it before libmicrohttpd closes the fd, so the
 * sweeper never touches an fd that could already belong to someone else. conn_lock is a leaf.
 */
#include "dashboard/dashboard_int.h"
#include "storage/storage.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/banned.h"

#define DASH_THREADS_DEFAULT 4
#define DASH_CONN_LIMIT_DEFAULT 512 /* [dashboard] max_connections */
#define DASH_PER_IP_LIMIT_DEFAULT 16 /* [dashboard] max_connections_per_address */
#define DASH_CONN_TIMEOUT_S 15  /* idle: no byte at all for this long */
#define DASH_HEADER_TIMEOUT_S 10 /* TLS handshake + request line + headers, however trickled */
#define DASH_BODY_TIMEOUT_S 30   /* a body (at most 64 KiB) after its headers */
#define DASH_SWEEP_MS 500
#define DASH_LOG_BURST 10
/* TLS 1.2 and 1.3 only: 1.0 and 1.1 are refused in the handshake */
#define DASH_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* struct dash_conn - one connection's deadline; see DESIGN above */
struct dash_conn {
    struct dash_conn *prev, *next; /* srv->conns, under conn_lock */
    int fd;                        /* libmicrohttpd's; only ever shutdown() here */
    atomic_llong deadline_ms;      /* CLOCK_MONOTONIC ms; 0 = none (an answer is on its way) */
    bool cut;                      /* shut down already */
};

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * libmicrohttpd's own messages (bind failures, malformed or oversize requests). Clients
 * control how often the latter happen, so at most DASH_LOG_BURST lines a minute are
 * printed and the rest counted.
 */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct dash_server *srv = cls;
    unsigned long dropped = 0;
    bool print;
    char line[512];
    size_t n;
    time_t now = time(NULL);

    pthread_mutex_lock(&srv->log_lock);
    if (now - srv->log_window >= 60) {
        dropped = srv->log_dropped;
        srv->log_window = now;
        srv->log_count = 0;
        srv->log_dropped = 0;
    }
    print = srv->log_count < DASH_LOG_BURST;
    if (print)
        srv->log_count++;
    else
        srv->log_dropped++;
    pthread_mutex_unlock(&srv->log_lock);

    if (dropped)
        ww_log(WW_LOG_WARN, "dashboard: http: %lu more messages were not shown", dropped);
    if (!print)
        return;
    vsnprintf(line, sizeof(line), fmt, ap);
    n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    ww_log(WW_LOG_WARN, "dashboard: http: %s", line);
}

static void req_free(struct dash_req *req)
{
    if (!req)
        return;
    for (size_t i = 0; i < req->nparams; i++)
        free(req->params[i]);
    ww_buf_release(&req->body);
    free(req->target);
    free(req->path);
    free(req);
}

static void client_address(struct MHD_Connection *conn, char *buf, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    ww_strlcpy(buf, "?", size);
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)size);
}

/* a whole PEM file, at most 1 MiB */
static char *read_pem(const char *path)
{
    struct ww_buf b;
    char chunk[4096];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        ww_error(-errno, "dashboard: TLS file '%s': %s", path, strerror(errno));
        return NULL;
    }
    ww_buf_init(&b, 1 << 20);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        if (ww_buf_add(&b, chunk, (size_t)n) < 0)
            break;
    close(fd);
    if (n != 0 || !b.len) {
        memset(b.data ? b.data : chunk, 0, b.data ? b.len : 0);
        ww_buf_release(&b);
        ww_error(-EIO, "dashboard: TLS file '%s': unreadable, empty or over 1 MiB", path);
        return NULL;
    }
    return ww_buf_detach(&b);
}

/* ---- connection deadlines (slow clients) ------------------------------------------------ */

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct dash_server *srv = cls;
    struct dash_conn *c = *socket_context;

    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

        c = ww_calloc(1, sizeof(*c));
        c->fd = ci ? ci->connect_fd : -1;
        atomic_store(&c->deadline_ms, now_ms() + DASH_HEADER_TIMEOUT_S * 1000LL);
        pthread_mutex_lock(&srv->conn_lock);
        c->next = srv->conns;
        if (srv->conns)
            srv->conns->prev = c;
        srv->conns = c;
        pthread_mutex_unlock(&srv->conn_lock);
        *socket_context = c;
        return;
    }
    if (toe != MHD_CONNECTION_NOTIFY_CLOSED || !c)
        return;
    /* libmicrohttpd closes the fd after this returns: from here on the sweeper must not see it */
    pthread_mutex_lock(&srv->conn_lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&srv->conn_lock);
    free(c);
    *socket_context = NULL;
}

/* the connection's next deadline: @seconds from now, or none (0) */
static void conn_deadline(struct MHD_Connection *conn, int seconds)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct dash_conn *c = ci ? ci->socket_context : NULL;

    if (c)
        atomic_store(&c->deadline_ms, seconds ? now_ms() + seconds * 1000LL : 0);
}

/* the sweeper thread: shuts down every connection past its deadline, twice a second */
static void *sweeper(void *arg)
{
    struct dash_server *srv = arg;
    struct timespec wake;

    pthread_mutex_lock(&srv->sweep_lock);
    while (!srv->sweep_stop) {
        long long now = now_ms();
        unsigned cut = 0;

        pthread_mutex_lock(&srv->conn_lock);
        for (struct dash_conn *c = srv->conns; c; c = c->next) {
            long long d = atomic_load(&c->deadline_ms);

            if (c->cut || !d || now < d || c->fd < 0)
                continue;
            shutdown(c->fd, SHUT_RDWR); /* the worker sees EOF and closes it */
            c->cut = true;
            cut++;
        }
        pthread_mutex_unlock(&srv->conn_lock);
        if (cut)
            ww_log(WW_LOG_DEBUG, "dashboard: closed %u slow connections past their deadline",
                   cut);
        clock_gettime(CLOCK_MONOTONIC, &wake);
        wake.tv_nsec += DASH_SWEEP_MS * 1000000L;
        if (wake.tv_nsec >= 1000000000L) {
            wake.tv_sec++;
            wake.tv_nsec -= 1000000000L;
        }
        while (!srv->sweep_stop &&
               pthread_cond_timedwait(&srv->sweep_cond, &srv->sweep_lock, &wake) == 0)
            ;
    }
    pthread_mutex_unlock(&srv->sweep_lock);
    return NULL;
}

static int sweeper_start(struct dash_server *srv)
{
    pthread_condattr_t attr;
    int rc;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->sweep_cond, &attr);
    pthread_condattr_destroy(&attr);
    rc = pthread_create(&srv->sweep_thread, NULL, sweeper, srv);
    if (rc != 0)
        return ww_error(-EIO, "dashboard: pthread_create (sweeper): %s", strerror(rc));
    srv->sweep_running = true;
    return 0;
}

static void sweeper_stop(struct dash_server *srv)
{
    if (!srv->sweep_running)
        return;
    pthread_mutex_lock(&srv->sweep_lock);
    srv->sweep_stop = true;
    pthread_cond_signal(&srv->sweep_cond);
    pthread_mutex_unlock(&srv->sweep_lock);
    pthread_join(srv->sweep_thread, NULL);
    srv->sweep_running = false;
    pthread_cond_destroy(&srv->sweep_cond);
}

/* ---- the Host header (DNS rebinding) ----------------------------------------------------- */

/*
 * Which names a request may give in Host. A DNS-rebinding page runs at the attacker's own
 * name (http://evil.example:8080) pointed at our address: the browser then sends that name
 * in Host and Origin, so the Origin check alone would pass. An IP literal cannot be
 * rebound, so any is taken; a name must be "localhost", the machine's host name or one
 * listed in [dashboard] hostnames. Compared without the port and case-insensitively.
 */
static void hosts_add(struct dash_server *srv, const char *name, size_t len)
{
    char *h;

    while (len && name[len - 1] == '.') /* "example." is "example" */
        len--;
    if (!len || len > 253 || srv->nhosts == WW_ARRAY_SIZE(srv->hosts))
        return;
    h = ww_strndup(name, len);
    for (char *p = h; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    srv->hosts[srv->nhosts++] = h;
}

/* the readiness rules, as the collector loads its profiles: a broken file stops the start */
static int rules_init(struct dash_server *srv, const char *dir)
{
    char err[512];
    int ret = inv_rules_load(dir, &srv->rules, err, sizeof(err));

    if (ret == -ENOENT) {
        ww_log(WW_LOG_WARN, "dashboard: no readiness rules (%s): the readiness route answers 503",
               err);
        return 0;
    }
    if (ret < 0)
        return ww_error(ret, "dashboard: readiness rules: %s", err);
    return 0;
}

static int hosts_init(struct dash_server *srv, const char *list)
{
    char me[256] = "";
    const char *p = list ? list : "";

    hosts_add(srv, "localhost", strlen("localhost"));
    if (gethostname(me, sizeof(me) - 1) == 0 && me[0]) {
        hosts_add(srv, me, strlen(me));
        if (strchr(me, '.')) /* "ward.example.vn": its short name too */
            hosts_add(srv, me, strcspn(me, "."));
    }
    while (*p) {
        size_t n;

        p += strspn(p, ", \t");
        n = strcspn(p, ", \t");
        if (!n)
            break;
        if (srv->nhosts == WW_ARRAY_SIZE(srv->hosts))
            return ww_error(-EINVAL, "dashboard: hostnames: more than %d names",
                            DASH_HOSTNAMES_MAX);
        hosts_add(srv, p, n);
        p += n;
    }
    return 0;
}

/* true when @host (the Host header, NULL when absent) names this server */
static bool host_allowed(const struct dash_server *srv, const char *host)
{
    char name[256];
    const char *colon;
    size_t len;
    unsigned char addr[16];

    if (!host) /* HTTP/1.0 without Host: no browser, so no rebinding; 1.1 needs it (400) */
        return true;
    if (host[0] == '[') { /* [v6]:port */
        const char *end = strchr(host, ']');

        if (!end || (end[1] && end[1] != ':') || (size_t)(end - host - 1) >= sizeof(name))
            return false;
        memcpy(name, host + 1, (size_t)(end - host - 1));
        name[end - host - 1] = '\0';
        return inet_pton(AF_INET6, name, addr) == 1;
    }
    colon = strchr(host, ':');
    len = colon ? (size_t)(colon - host) : strlen(host);
    if (colon && (!colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1)))
        return false;
    if (!len || len >= sizeof(name))
        return false;
    memcpy(name, host, len);
    name[len] = '\0';
    if (inet_pton(AF_INET, name, addr) == 1)
        return true;
    while (len && name[len - 1] == '.')
        name[--len] = '\0';
    for (size_t i = 0; i < srv->nhosts; i++)
        if (strcasecmp(name, srv->hosts[i]) == 0)
            return true;
    return false;
}

/* ---- libmicrohttpd's own answers --------------------------------------------------------- */

/*
 * libmicrohttpd answers some requests itself, before any callback of ours runs: a request
 * line or headers past DASH_CONN_MEMORY (414/431), a malformed request line or header
 * (400), an HTTP/1.1 request without Host (400), an unknown HTTP version (505), a bad
 * chunked body. 0.9.75 has no option to shape those answers, but it queues them through
 * its exported MHD_queue_response() by way of the PLT (Debian's build does), so the
 * definition below, in the executable, is the one those calls reach: it gives every
 * response that lacks them the headers dash_reply_send() gives ours, then hands over to
 * the library's own function. tests/integration/test_http_guard.sh checks the bytes on
 * the wire, so a library build that stops going through the PLT shows up there.
 */
typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    static _Atomic(queue_fn) real;
    queue_fn fn = atomic_load(&real);

    if (!fn) {
        /* POSIX allows no cast from void * to a function pointer; memcpy says the same */
        void *sym = dlsym(RTLD_NEXT, "MHD_queue_response");

        if (!sym)
            ww_die("dashboard: dlsym(MHD_queue_response): %s", dlerror());
        memcpy(&fn, &sym, sizeof(fn));
        atomic_store(&real, fn);
    }
    if (response && !MHD_get_response_header(response, "X-Content-Type-Options")) {
        bool tls = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);

        dash_security_headers_add(response, tls);
        if (!MHD_get_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE))
            MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                    "text/html; charset=utf-8");
        if (!MHD_get_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL))
            MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    return fn(connection, status_code, response);
}

/* first sight of a request: the raw target, before libmicrohttpd unescapes it */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct dash_req *req = ww_calloc(1, sizeof(*req));
    const char *q;

    req->srv = cls;
    req->conn = conn;
    req->target = ww_strdup(uri ? uri : "");
    q = strchr(req->target, '?');
    req->path = ww_strndup(req->target, q ? (size_t)(q - req->target) : strlen(req->target));
    ww_buf_init(&req->body, DASH_BODY_MAX);
    return req;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    req_free(*req_cls);
    *req_cls = NULL;
    /* a kept-alive connection: the next request's headers have their own time */
    conn_deadline(conn, DASH_HEADER_TIMEOUT_S);
}

/* the body a request may send: DASH_BODY_MAX, but for the CSV import of a user who may
 * import (the session is looked up here, before a byte of the body is read, so that no
 * stranger makes the server hold 20 MB) */
static size_t body_max(struct dash_req *req)
{
    const char *perm = dash_import_perm(req->path);

    if (req->method == DASH_POST && perm && dash_authenticate(req) &&
        dash_role_has(req->auth.role, perm))
        return DASH_IMPORT_BODY_MAX;
    return DASH_BODY_MAX;
}

static bool declared_too_large(struct MHD_Connection *conn, size_t max)
{
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    uint64_t n;

    return cl && ww_parse_u64(cl, &n) == 0 && n > max;
}

static enum MHD_Result reply_too_large(struct dash_req *req)
{
    struct dash_reply out = {0};

    dash_reply_error(&out, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", NULL);
    return dash_reply_send(req, &out);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **req_cls)
{
    struct dash_req *req = *req_cls;
    struct dash_reply out = {0};

    if (!req) /* on_uri() always runs first; refuse rather than guess */
        return MHD_NO;
    if (req->replied) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!req->headers_seen) {
        req->headers_seen = true;
        req->conn = conn;
        req->method = dash_method_parse(method);
        client_address(conn, req->remote, sizeof(req->remote));
        /* the headers are in; a body, if any, has its own deadline; an answer has none */
        conn_deadline(conn, DASH_BODY_TIMEOUT_S);
        /* before anything else: a name we do not answer to (DNS rebinding) */
        if (!host_allowed(req->srv,
                          MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_HOST))) {
            conn_deadline(conn, 0);
            dash_reply_error(&out, MHD_HTTP_MISDIRECTED_REQUEST, "bad_host", NULL);
            return dash_reply_send(req, &out);
        }
        /* refuse a declared oversize body before reading it; the connection is then closed */
        req->body.max = body_max(req);
        if (declared_too_large(conn, req->body.max)) {
            conn_deadline(conn, 0);
            return reply_too_large(req);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;

        *upload_data_size = 0;
        if (!req->too_large && ww_buf_add(&req->body, upload_data, n) == 0)
            return MHD_YES;
        /* a chunked body past the cap: drop it, within reason, then answer 413 */
        req->too_large = true;
        ww_buf_release(&req->body);
        req->discarded += n;
        return req->discarded > DASH_DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    conn_deadline(conn, 0);
    if (req->too_large)
        return reply_too_large(req);
    dash_route(req, &out);
    return dash_reply_send(req, &out);
}

/* resolve the listen address; *out_ai is freed by the caller with freeaddrinfo() */
static int resolve(const char *addr, unsigned port, struct addrinfo **out_ai)
{
    struct addrinfo hints = {0};
    char service[8];
    int rc;

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(service, sizeof(service), "%u", port);
    rc = getaddrinfo(addr && *addr ? addr : NULL, service, &hints, out_ai);
    if (rc != 0)
        return ww_error(-EINVAL, "dashboard: listen address '%s': %s", addr ? addr : "",
                        gai_strerror(rc));
    return 0;
}

int dash_server_new(const struct dash_options *opt, struct ww_db *db, struct dash_server **out_srv)
{
    struct dash_server *srv = NULL;
    struct addrinfo *ai = NULL;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    unsigned int threads = opt->threads ? opt->threads : DASH_THREADS_DEFAULT;
    struct MHD_OptionItem tls_opts[4] = {{MHD_OPTION_END, 0, NULL},
                                         {MHD_OPTION_END, 0, NULL},
                                         {MHD_OPTION_END, 0, NULL},
                                         {MHD_OPTION_END, 0, NULL}};
    unsigned conn_limit = opt->max_connections ? opt->max_connections : DASH_CONN_LIMIT_DEFAULT;
    unsigned per_ip = opt->max_per_address ? opt->max_per_address : DASH_PER_IP_LIMIT_DEFAULT;
    int ret = -EIO;

    if (opt->port > 65535)
        return ww_error(-EINVAL, "dashboard: port %u is out of range", opt->port);
    /* allocation failure aborts, as everywhere else; free() stays the matching free */
    json_set_alloc_funcs(ww_malloc, free);

    srv = ww_calloc(1, sizeof(*srv));
    srv->db = db;
    srv->www_fd = -1;
    pthread_mutex_init(&srv->db_lock, NULL);
    pthread_mutex_init(&srv->log_lock, NULL);
    pthread_mutex_init(&srv->store_lock, NULL);
    pthread_mutex_init(&srv->conn_lock, NULL);
    pthread_mutex_init(&srv->sweep_lock, NULL);

    pthread_mutex_init(&srv->uptime_lock, NULL);
    srv->busiest = dash_busiest_new();
    srv->plan_cache = dash_plan_cache_new();
    srv->gap_cache = dash_gap_cache_new();
    /* before the worker threads exist: the zone becomes the process's TZ */
    if (ww_office_init(opt->office_zone ? opt->office_zone : "Asia/Ho_Chi_Minh",
                       opt->office_hours ? opt->office_hours : "07:30-11:30,13:30-17:00",
                       opt->office_days ? opt->office_days : "mon-fri", &srv->office) < 0 ||
        ww_office_use_zone(&srv->office) < 0) {
        ret = -EINVAL;
        goto out;
    }
    srv->file_cfg = opt->file_cfg;
    if (srv->file_cfg) { /* office hours as the Settings page set them, else the file's */
        struct ww_config eff;
        struct ww_office o;
        if (dash_settings_effective(srv, &eff, NULL) == 0 &&
            ww_office_init(srv->office.zone, eff.office_hours, eff.office_days, &o) == 0)
            srv->office = o;
        ww_config_release(&eff);
    }
    srv->idle_s = opt->session_idle_s > 0 ? opt->session_idle_s : 1800;
    srv->absolute_s = opt->session_absolute_s > 0 ? opt->session_absolute_s : 12 * 3600;
    srv->sessions_max = opt->sessions_per_user > 0 ? opt->sessions_per_user : 20;
    if (dash_crypto_init() < 0)
        goto out;
    if (per_ip > conn_limit) {
        ret = ww_error(-EINVAL, "dashboard: max_connections_per_address %u is over "
                                "max_connections %u", per_ip, conn_limit);
        goto out;
    }
    ret = hosts_init(srv, opt->hostnames);
    if (ret < 0)
        goto out;
    ret = rules_init(srv, opt->rules_dir ? opt->rules_dir : WW_RULES_DIR);
    if (ret < 0)
        goto out;
    ret = -EIO;
    if (opt->tls_cert && *opt->tls_cert && opt->tls_key && *opt->tls_key) {
        srv->tls_cert_pem = read_pem(opt->tls_cert);
        srv->tls_key_pem = read_pem(opt->tls_key);
        if (!srv->tls_cert_pem || !srv->tls_key_pem) {
            ret = -EINVAL;
            goto out;
        }
        srv->tls = true;
        flags |= MHD_USE_TLS;
        tls_opts[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key_pem};
        tls_opts[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_cert_pem};
        tls_opts[2] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                              (void *)DASH_TLS_PRIORITIES};
    } else if ((opt->tls_cert && *opt->tls_cert) || (opt->tls_key && *opt->tls_key)) {
        ret = ww_error(-EINVAL, "dashboard: tls_cert and tls_key go together");
        goto out;
    }

    if (opt->rrd_dir && *opt->rrd_dir && store_open(opt->rrd_dir, opt->rrdcached, &srv->store) < 0)
        goto out;

    srv->www_fd = open(opt->www_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (srv->www_fd < 0) {
        ret = ww_error(errno == ENOENT ? -ENOENT : -EIO, "dashboard: www folder '%s': %s",
                       opt->www_dir, strerror(errno));
        goto out;
    }
    /* the words of error replies and exports: the same files the UI speaks from */
    {
        char dir[4096];
        if (snprintf(dir, sizeof(dir), "%s/i18n", opt->www_dir) >= (int)sizeof(dir)) {
            ret = ww_error(-EINVAL, "dashboard: www folder name too long");
            goto out;
        }
        ret = ww_i18n_load(dir, &srv->words);
        if (ret < 0)
            goto out;
    }
    ret = resolve(opt->listen_address, opt->port, &ai);
    if (ret < 0)
        goto out;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    ret = sweeper_start(srv);
    if (ret < 0)
        goto out;
    ret = -EIO;

    /* one option per line; the logger first, so that it sees every message */
    /* clang-format off */
    srv->mhd = MHD_start_daemon(
        flags, (uint16_t)opt->port, NULL, NULL, on_access, srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)DASH_CONN_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, conn_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)DASH_CONN_TIMEOUT_S,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_ARRAY, tls_opts,
        MHD_OPTION_END);
    /* clang-format on */
    if (!srv->mhd) {
        ret = ww_error(-EIO, "dashboard: cannot listen on %s port %u",
                       opt->listen_address ? opt->listen_address : "*", opt->port);
        goto out;
    }
    info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info && info->port ? info->port : opt->port;
    if (!srv->port) {
        ret = ww_error(-EIO, "dashboard: cannot tell which port was bound");
        goto out;
    }
    *out_srv = srv;
    srv = NULL;
    ret = 0;
out:
    if (ai)
        freeaddrinfo(ai);
    dash_server_free(srv);
    return ret;
}

unsigned dash_server_port(const struct dash_server *srv)
{
    return srv->port;
}

void dash_server_free(struct dash_server *srv)
{
    if (!srv)
        return;
    sweeper_stop(srv); /* first: no shutdown() while the daemon closes everything */
    if (srv->mhd)
        MHD_stop_daemon(srv->mhd);
    srv->mhd = NULL;
    pthread_mutex_destroy(&srv->conn_lock);
    pthread_mutex_destroy(&srv->sweep_lock);
    for (size_t i = 0; i < srv->nhosts; i++)
        free(srv->hosts[i]);
    if (srv->www_fd >= 0)
        close(srv->www_fd);
    dash_static_cache_clear(); /* the daemon is stopped: no request reads it */
    pthread_mutex_destroy(&srv->db_lock);
    pthread_mutex_destroy(&srv->log_lock);
    pthread_mutex_destroy(&srv->uptime_lock);
    free(srv->overview_text);
    ww_i18n_free(srv->words);
    dash_busiest_free(srv->busiest);
    dash_plan_cache_free(srv->plan_cache);
    dash_gap_cache_free(srv->gap_cache);
    inv_rules_free(srv->rules);
    store_free(srv->store);
    pthread_mutex_destroy(&srv->store_lock);
    if (srv->tls_key_pem) {
        memset(srv->tls_key_pem, 0, strlen(srv->tls_key_pem));
        free(srv->tls_key_pem);
    }
    free(srv->tls_cert_pem);
    free(srv);
}
