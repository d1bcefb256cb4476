/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * notify.c - delivery of the notification queue through libcurl: e-mail over SMTP
 * (STARTTLS as [alerts] smtp_starttls says) and webhooks (a JSON POST).
 *
 * DESIGN: one delivery thread per collector, with its own SQLite connection. It claims
 * what is due (inv_notification_claim leases each row, so a crash mid-send retries it),
 * sends one message at a time, and records sent or failed (with back-off) per row. Between
 * batches it sleeps on a condition variable (CLOCK_MONOTONIC) until the next retry is due,
 * at most WAKE_MAX_S, or until coll_notify_wake()/coll_notify_stop(). Lock: nt.lock guards
 * only the flags below; it is never held during a delivery or a database call.
 *
 * Secrets: the SMTP password and a webhook token go only into libcurl options; they are
 * never logged, never part of last_error or recipient. curl's own error text is kept as
 * last_error; libcurl does not put credentials in it.
 *
 * Where to: every connection libcurl opens (webhook or mail server) goes through
 * open_checked(), which judges the very address it is about to connect to
 * (ww_addr_refused(): no loopback, link-local, private... unless [alerts] allow_private
 * lists it). So a name that resolves to a public address when the channel is saved and to
 * an inside one later (DNS rebinding) is refused too. No proxy from the environment (it
 * would connect for us, unchecked), no redirects.
 *
 * last_error is "<code>: <detail>": the code (NOTIFY_ERR_*) is what everyone may see, the
 * detail (curl's words, the address, the server's reply) is for admins only
 * (dashboard/api_alert.c). A sent e-mail keeps the server's last reply ("sent: 250 ...").
 *
 * Settings: each batch uses the effective values, the file's config with the Settings
 * page's values over it (inv_settings_overlay(): the database wins), read again per batch.
 */
#include "collector/collector.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <jansson.h>

#include "common/banned.h"

#define CLAIM_MAX 20       /* messages per batch */
#define WAKE_MAX_S 5       /* the thread looks at the queue at least this often */
#define MAIL_MAX (256 * 1024)
#define REPLY_MAX (64 * 1024) /* a webhook's answer is read and dropped up to here */
#define RCPT_MAX 50

/* the codes last_error starts with: what a reader without the detail sees */
#define NOTIFY_ERR_REFUSED "address_refused" /* an address allow_private does not list */
#define NOTIFY_ERR_FAILED "delivery_failed"  /* anything else */
#define NOTIFY_ERR_NO_SERVER "no_mail_server" /* no smtp_url in the file nor the settings */
#define NOTIFY_ERR_SERVER "server_refused"    /* the mail server answered 4xx/5xx */
#define ANSWER_MAX 240 /* the server's last reply line kept */

/* ---- the message ------------------------------------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int add_base64(struct ww_buf *b, const unsigned char *s, size_t n)
{
    char q[4];
    int ret = 0;

    for (size_t i = 0; i < n && ret == 0; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        q[0] = b64[(v >> 18) & 63];
        q[1] = b64[(v >> 12) & 63];
        q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? b64[v & 63] : '=';
        ret = ww_buf_add(b, q, 4);
    }
    return ret;
}

/* a From/To value must be a plain list of addresses: no CR, LF, controls, <, >, quotes */
static bool header_addr_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 4000)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == '(' ||
            *p == ')' || *p == ';' || *p == '\\')
            return false;
    return strchr(s, '@') != NULL;
}

/* RFC 2047 encoded words of at most 45 bytes of UTF-8 (60 base64 characters) each, never
 * splitting a character, folded onto continuation lines */
static int add_encoded_subject(struct ww_buf *b, const char *subject)
{
    size_t n = strlen(subject), pos = 0;
    int ret = ww_buf_addstr(b, "Subject:");

    if (n == 0 && ret == 0)
        ret = ww_buf_addstr(b, " ");
    while (pos < n && ret == 0) {
        size_t take = n - pos > 45 ? 45 : n - pos;
        while (take > 0 && pos + take < n && ((unsigned char)subject[pos + take] & 0xc0) == 0x80)
            take--;
        if (take == 0)
            take = 1;
        ret = ww_buf_addstr(b, pos ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
        if (ret == 0)
            ret = add_base64(b, (const unsigned char *)subject + pos, take);
        if (ret == 0)
            ret = ww_buf_addstr(b, "?=");
        pos += take;
    }
    return ret == 0 ? ww_buf_addstr(b, "\r\n") : ret;
}

static void rfc5322_date(time_t t, char *buf, size_t size)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    if (!gmtime_r(&t, &tm)) {
        ww_strlcpy(buf, "Thu, 01 Jan 1970 00:00:00 +0000", size);
        return;
    }
    snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
             tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             tm.tm_sec);
}

int coll_mail_build(const struct coll_mail *m, struct ww_buf *out)
{
    char date[64];
    const char *domain;
    char *subject = NULL;
    struct ww_buf body;
    size_t start = out->len;
    int ret = -EINVAL;

    ww_buf_init(&body, MAIL_MAX);
    if (!header_addr_ok(m->from) || strchr(m->from, ',') || !header_addr_ok(m->to))
        goto out;
    domain = strrchr(m->from, '@') + 1;
    /* no control character (CR, LF, ...) can reach a header: the subject is sanitized and
     * then base64-encoded, the addresses were checked above */
    subject = ww_utf8_sanitize(m->subject ? m->subject : "", m->subject ? strlen(m->subject) : 0);
    rfc5322_date(m->date, date, sizeof(date));
    ret = ww_buf_addf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\n", date, m->from, m->to);
    if (ret == 0)
        ret = add_encoded_subject(out, subject);
    if (ret == 0)
        ret = ww_buf_addf(out,
                          "Message-ID: <wardwatch.%lld.%lld@%s>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "Auto-Submitted: auto-generated\r\n\r\n",
                          m->id, (long long)m->date, domain);
    /* the body, base64 in lines of 76: no line-length limit, no dot or bare-LF surprises */
    for (const char *p = m->body ? m->body : ""; ret == 0 && *p; p++) {
        if (*p == '\n' && (p == m->body || p[-1] != '\r'))
            ret = ww_buf_add(&body, "\r\n", 2);
        else
            ret = ww_buf_add(&body, p, 1);
    }
    for (size_t i = 0; ret == 0 && i < body.len; i += 57) {
        size_t take = body.len - i > 57 ? 57 : body.len - i;
        ret = add_base64(out, (const unsigned char *)body.data + i, take);
        if (ret == 0)
            ret = ww_buf_add(out, "\r\n", 2);
    }
out:
    if (ret < 0 && out->len > start) { /* leave @out as it was */
        out->len = start;
        out->data[start] = '\0';
    }
    free(subject);
    ww_buf_release(&body);
    return ret;
}

/* ---- delivery --------------------------------------------------------------------------- */

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *user)
{
    struct upload *u = user;
    size_t room = size * nitems, n = u->len - u->pos;

    if (n > room)
        n = room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

static size_t discard_cb(char *buf, size_t size, size_t nitems, void *user)
{
    size_t *seen = user, n = size * nitems;
    *seen += n;
    return *seen > REPLY_MAX ? 0 : n;
}

/* the connection guard: the allowed list, and why an address was refused */
struct guard {
    struct ww_addr_list allow;
    const char *refused; /* a ww_addr_refused() code, NULL none */
    char addr[INET6_ADDRSTRLEN];
};

/* the mail server's replies as libcurl sees them: the last line is kept (the answer to the
 * message's end, or the refusal), printable ASCII only, never a line we sent */
static int talk_cb(CURL *c, curl_infotype type, char *data, size_t size, void *user)
{
    char *last = user;
    size_t n = 0;

    (void)c;
    /* the goodbye after QUIT is not the answer to the message */
    if (type != CURLINFO_HEADER_IN || (size >= 4 && memcmp(data, "221", 3) == 0 &&
                                       (data[3] == ' ' || data[3] == '-')))
        return 0;
    for (size_t i = 0; i < size && n + 1 < ANSWER_MAX; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\r' || ch == '\n')
            break;
        last[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    if (n > 0)
        last[n] = '\0';
    return 0;
}

static curl_socket_t open_checked(void *user, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct guard *g = user;
    const char *why = ww_addr_refused(&a->addr, &g->allow);

    (void)purpose;
    if (why) {
        const void *raw = a->family == AF_INET6
                              ? (const void *)&((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr
                              : (const void *)&((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
        g->refused = why;
        if (!inet_ntop(a->family, raw, g->addr, sizeof(g->addr)))
            ww_strlcpy(g->addr, "?", sizeof(g->addr));
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

/* last_error of a failed transfer: "<code>: <proto>: <detail>" */
static void transfer_error(const struct guard *g, CURLcode rc, const char *errbuf,
                           const char *proto, char *err, size_t errsize)
{
    const char *code = NOTIFY_ERR_FAILED;

    if (g->refused) {
        snprintf(err, errsize, "%s: %s: %s is %s (see [alerts] allow_private)",
                 NOTIFY_ERR_REFUSED, proto, g->addr, g->refused);
        return;
    }
    snprintf(err, errsize, "%s: %s: %s", code, proto, errbuf[0] ? errbuf : curl_easy_strerror(rc));
}

static void common_opts(CURL *c, const struct ww_config *cfg, char *errbuf, struct guard *g)
{
    g->refused = NULL;
    if (ww_addr_list_parse(cfg->allow_private, &g->allow) < 0) /* checked at load */
        g->allow.n = 0;
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_checked);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, g);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* never one from the environment */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)cfg->alert_timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->alert_timeout_ms);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
}

static int send_mail(const struct ww_config *cfg, const struct inv_notification *n,
                     char *err, size_t errsize, char *answer)
{
    char errbuf[CURL_ERROR_SIZE] = "", *from = NULL;
    struct curl_slist *rcpt = NULL;
    struct guard g;
    struct ww_buf msg;
    struct coll_mail m = {0};
    struct upload up = {0};
    CURL *c = NULL;
    CURLcode rc;
    int ret = -EIO, count = 0;
    const char *p;

    ww_buf_init(&msg, MAIL_MAX);
    if (!cfg->smtp_url || !*cfg->smtp_url) {
        snprintf(err, errsize, NOTIFY_ERR_NO_SERVER ": smtp_url is empty");
        /* -EIO: retried, so a server set on the Settings page soon still delivers it */
        goto out;
    }
    m.from = cfg->smtp_from;
    m.to = n->recipient;
    m.subject = n->subject;
    m.body = n->body;
    m.date = time(NULL);
    m.id = n->id;
    if (coll_mail_build(&m, &msg) < 0) {
        snprintf(err, errsize,
                 NOTIFY_ERR_FAILED ": the sender or the recipients are not plain addresses");
        ret = -EINVAL;
        goto out;
    }
    for (p = n->recipient; *p && count < RCPT_MAX;) {
        const char *e = strchr(p, ',');
        size_t len;
        char *one;
        while (*p == ' ')
            p++;
        e = e ? e : p + strlen(p);
        len = (size_t)(e - p);
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            one = ww_asprintf("<%.*s>", (int)len, p);
            rcpt = curl_slist_append(rcpt, one);
            free(one);
            count++;
        }
        p = *e ? e + 1 : e;
    }
    from = ww_asprintf("<%s>", cfg->smtp_from);
    c = curl_easy_init();
    if (!c || !rcpt) {
        snprintf(err, errsize, NOTIFY_ERR_FAILED ": cannot set up the SMTP transfer");
        goto out;
    }
    common_opts(c, cfg, errbuf, &g);
    curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    if (strncmp(cfg->smtp_url, "smtps://", 8) != 0)
        curl_easy_setopt(c, CURLOPT_USE_SSL,
                         strcmp(cfg->smtp_starttls, "none") == 0  ? (long)CURLUSESSL_NONE
                         : strcmp(cfg->smtp_starttls, "try") == 0 ? (long)CURLUSESSL_TRY
                                                                   : (long)CURLUSESSL_ALL);
    if (cfg->smtp_ca_file && *cfg->smtp_ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->smtp_ca_file);
    if (cfg->smtp_user && *cfg->smtp_user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
    }
    up.data = msg.data;
    up.len = msg.len;
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, talk_cb);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, answer);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); /* for talk_cb only: it prints nothing */
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (!g.refused && code >= 400 && answer[0])
            snprintf(err, errsize, NOTIFY_ERR_SERVER ": smtp: %s", answer);
        else
            transfer_error(&g, rc, errbuf, "smtp", err, errsize);
        /* refused by us or for good by the server (5xx): no retries */
        ret = g.refused ? -EACCES : code >= 500 && answer[0] ? -EINVAL : -EIO;
        goto out;
    }
    ret = 0;
out:
    if (c)
        curl_easy_cleanup(c);
    curl_slist_free_all(rcpt);
    free(from);
    ww_buf_release(&msg);
    return ret;
}

static char *webhook_json(const struct inv_notification *n)
{
    char created[32];
    json_t *o = json_object();
    char *text;

    ww_time_iso((time_t)n->created_at, created, sizeof(created));
    json_object_set_new(o, "source", json_string("wardwatch"));
    json_object_set_new(o, "notification_id", json_integer(n->id));
    json_object_set_new(o, "kind", json_string(n->kind));
    json_object_set_new(o, "alert_id", n->alert_id ? json_integer(n->alert_id) : json_null());
    json_object_set_new(o, "rule_kind", n->rule_kind ? json_string(n->rule_kind) : json_null());
    json_object_set_new(o, "state", n->alert_state ? json_string(n->alert_state) : json_null());
    json_object_set_new(o, "device_id", n->device_id ? json_integer(n->device_id) : json_null());
    if (n->device_name) {
        char *clean = ww_utf8_sanitize(n->device_name, strlen(n->device_name));
        json_object_set_new(o, "device_name", json_string(clean));
        free(clean);
    } else {
        json_object_set_new(o, "device_name", json_null());
    }
    json_object_set_new(o, "subject", json_string(n->subject));
    json_object_set_new(o, "text", json_string(n->body));
    json_object_set_new(o, "created_at", json_string(created));
    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static int send_webhook(const struct ww_config *cfg, const struct inv_notification *n,
                        char *err, size_t errsize)
{
    char errbuf[CURL_ERROR_SIZE] = "", *body = webhook_json(n), *auth = NULL;
    struct curl_slist *hdrs = NULL;
    struct guard g;
    size_t seen = 0;
    long status = 0;
    CURL *c = curl_easy_init();
    CURLcode rc;
    int ret = -EIO;

    if (!c || !body) {
        snprintf(err, errsize, NOTIFY_ERR_FAILED ": cannot set up the webhook request");
        goto out;
    }
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json; charset=utf-8");
    hdrs = curl_slist_append(hdrs, "User-Agent: wardwatch");
    hdrs = curl_slist_append(hdrs, "Expect:");
    if (n->secret && *n->secret) {
        auth = ww_asprintf("Authorization: Bearer %s", n->secret);
        hdrs = curl_slist_append(hdrs, auth);
    }
    common_opts(c, cfg, errbuf, &g);
    curl_easy_setopt(c, CURLOPT_URL, n->recipient);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen);
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        transfer_error(&g, rc, errbuf, "webhook", err, errsize);
        ret = g.refused ? -EACCES : -EIO; /* refused: no retries */
        goto out;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        snprintf(err, errsize, NOTIFY_ERR_FAILED ": webhook: the server answered HTTP %ld",
                 status);
        goto out;
    }
    ret = 0;
out:
    if (c)
        curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    if (auth) { /* the token: leave no copy in freed memory */
        memset(auth, 0, strlen(auth));
        free(auth);
    }
    free(body);
    return ret;
}

int coll_notify_run_once(const struct ww_config *file_cfg, struct ww_db *db, time_t now)
{
    struct inv_notification *items = NULL;
    struct ww_config eff, *cfg = &eff;
    size_t n = 0;
    long long lease = file_cfg->alert_timeout_ms / 1000 + 60;
    int ret = inv_notification_claim(db, (long long)now, lease, CLAIM_MAX, &items, &n);

    if (ret < 0)
        return -EIO;
    /* the Settings page's mail server over the file's (inv_settings_overlay: the database
     * wins), read for every batch: a change is used by the next message */
    ww_config_copy(file_cfg, &eff);
    if (n > 0 && inv_settings_overlay(db, &eff, NULL) < 0)
        ww_log(WW_LOG_WARN, "notify: the settings cannot be read: the file's values are used");
    for (size_t i = 0; i < n; i++) {
        struct inv_notification *x = &items[i];
        char err[320] = "", url[WW_URL_REDACT_MAX], answer[ANSWER_MAX] = "";
        int sent;

        if (!x->channel_kind)
            sent = (snprintf(err, sizeof(err), NOTIFY_ERR_FAILED ": the channel was removed"),
                    -ENOENT);
        else if (strcmp(x->channel_kind, "email") == 0)
            sent = send_mail(cfg, x, err, sizeof(err), answer);
        else
            sent = send_webhook(cfg, x, err, sizeof(err));
        if (sent == 0) {
            ret = inv_notification_sent(db, x->id, (long long)time(NULL), answer);
            ww_log(WW_LOG_INFO, "notify: notification %lld (%s) to %s: sent", x->id, x->kind,
                   ww_url_redact(x->recipient, url, sizeof(url)));
        } else {
            /* a removed channel or a bad address will not get better: no retries */
            ret = inv_notification_failed(db, x->id, (long long)time(NULL), err,
                                          cfg->alert_retry_base_s,
                                          sent == -EIO ? cfg->alert_retry_max : 1);
            ww_log(WW_LOG_WARN, "notify: notification %lld (%s) to %s: attempt %lld failed: %s",
                   x->id, x->kind, ww_url_redact(x->recipient, url, sizeof(url)),
                   x->attempts + 1, err);
        }
        if (ret < 0)
            ww_log(WW_LOG_ERR, "notify: notification %lld: cannot record the outcome", x->id);
    }
    for (size_t i = 0; i < n; i++)
        inv_notification_release(&items[i]);
    free(items);
    if (eff.smtp_password) /* the secret: leave no copy in freed memory */
        memset(eff.smtp_password, 0, strlen(eff.smtp_password));
    ww_config_release(&eff);
    return (int)n;
}

/* ---- the thread ------------------------------------------------------------------------- */

static struct {
    pthread_mutex_t lock; /* guards the flags; never held across a delivery */
    pthread_cond_t cond;
    pthread_t thread;
    bool running, stop, wake;
    const struct ww_config *cfg;
    char *db_path;
} nt = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *notify_main(void *arg)
{
    struct ww_db *db = NULL;
    char reminded[11] = ""; /* the office day the expiry reminders were last queued for */
    long long remind_retry_at = 0; /* after a failure: not before (no log flood) */

    if (ww_db_open(nt.db_path, false, &db) < 0) {
        ww_log(WW_LOG_ERR, "notify: cannot open the database: no notifications are sent");
        return NULL;
    }
    for (;;) {
        long long due = -1, wait_s = WAKE_MAX_S, now;
        struct timespec ts;
        int rc;

        pthread_mutex_lock(&nt.lock);
        nt.wake = false;
        if (nt.stop) {
            pthread_mutex_unlock(&nt.lock);
            break;
        }
        pthread_mutex_unlock(&nt.lock);
        /* a look at the queue is one indexed query; a claim (a write transaction) only
         * when something is due */
        now = (long long)time(NULL);
        /* the daily expiry reminders: looked at once per office day (a failure: again a
         * minute later), queued before the queue is read */
        {
            char today[11];
            if (ww_office_day((time_t)now, 0, today) == 0 && strcmp(today, reminded) != 0 &&
                now >= remind_retry_at) {
                if (coll_remind_run(nt.cfg, db, (time_t)now) >= 0)
                    memcpy(reminded, today, sizeof(today));
                else
                    remind_retry_at = now + 60;
            }
        }
        rc = inv_notification_next_due(db, &due);
        if (rc < 0 || (due >= 0 && due <= now)) {
            bool failed = coll_notify_run_once(nt.cfg, db, (time_t)now) < 0;
            now = (long long)time(NULL);
            rc = inv_notification_next_due(db, &due);
            if (failed) /* the database is busy or broken: no spinning on it */
                due = due >= 0 && due < now + 1 ? now + 1 : due;
        }
        if (rc == 0 && due >= 0 && due - now < wait_s)
            wait_s = due - now;
        pthread_mutex_lock(&nt.lock);
        if (wait_s > 0 && !nt.stop && !nt.wake) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += (time_t)wait_s;
            while (!nt.stop && !nt.wake)
                if (pthread_cond_timedwait(&nt.cond, &nt.lock, &ts) != 0)
                    break; /* timed out */
        }
        pthread_mutex_unlock(&nt.lock);
    }
    ww_db_close(db);
    return NULL;
}

int coll_notify_start(const struct ww_config *cfg, const char *db_path)
{
    pthread_condattr_t ca;
    int ret;

    if (nt.running)
        return -EALREADY;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&nt.cond, &ca);
    pthread_condattr_destroy(&ca);
    nt.cfg = cfg;
    nt.db_path = ww_strdup(db_path);
    nt.stop = nt.wake = false;
    ret = pthread_create(&nt.thread, NULL, notify_main, NULL);
    if (ret != 0) {
        pthread_cond_destroy(&nt.cond);
        free(nt.db_path);
        nt.db_path = NULL;
        return ww_error(-ret, "notify: cannot start the delivery thread: %s", strerror(ret));
    }
    pthread_mutex_lock(&nt.lock);
    nt.running = true;
    pthread_mutex_unlock(&nt.lock);
    return 0;
}

void coll_notify_wake(void)
{
    pthread_mutex_lock(&nt.lock);
    if (nt.running) {
        nt.wake = true;
        pthread_cond_signal(&nt.cond);
    }
    pthread_mutex_unlock(&nt.lock);
}

void coll_notify_stop(void)
{
    if (!nt.running)
        return;
    pthread_mutex_lock(&nt.lock);
    nt.stop = true;
    pthread_cond_signal(&nt.cond);
    pthread_mutex_unlock(&nt.lock);
    pthread_join(nt.thread, NULL);
    pthread_mutex_lock(&nt.lock);
    nt.running = false;
    pthread_mutex_unlock(&nt.lock);
    pthread_cond_destroy(&nt.cond);
    free(nt.db_path);
    nt.db_path = NULL;
}
