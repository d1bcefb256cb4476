/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dashboard_int.h - what the files of dashboard/ share: the server, one request, one reply,
 * the route table and the helpers the unit tests reach. Nothing outside dashboard/ and
 * tests/unit/dashboard/ includes this.
 */
#ifndef WW_DASHBOARD_INT_H
#define WW_DASHBOARD_INT_H

#include <pthread.h>
#include <sys/stat.h>

#include <jansson.h>
#include <microhttpd.h>

#include "common/common.h"
#include "dashboard/dashboard.h"
#include "inventory/inventory.h"

#define DASH_BODY_MAX (64 * 1024) /* request body; more is 413 */
/* the larger bodies: POST of a CSV import (a file), raised only once the request's session
 * is known to hold the import's permission (server.c body_max(), dash_import_perm()) */
#define DASH_IMPORT_PATH "/api/v1/devices/import"
#define DASH_UNIT_IMPORT_PATH "/api/v1/units/import"
#define DASH_STAFF_IMPORT_PATH "/api/v1/staff/import"
#define DASH_TRAINING_IMPORT_PATH "/api/v1/training/import"
#define DASH_IMPORT_BODY_MAX INV_IMPORT_FILE_MAX
/* a chunked body past the cap is read and dropped up to here, then the connection closed */
#define DASH_DISCARD_MAX (1024 * 1024)
#define DASH_CONN_MEMORY (32 * 1024) /* per connection: request line + headers (414/431) */
#define DASH_STATIC_PATH_MAX 255
#define DASH_HOSTNAMES_MAX 32 /* [dashboard] hostnames */
#define DASH_PARAMS_MAX 4
#define DASH_LIMIT_DEFAULT 100
#define DASH_LIMIT_MAX 1000
#define DASH_OFFSET_MAX 1000000000LL

/*
 * struct dash_server - one per process. Locks and their order:
 * - db_lock, store_lock, uptime_lock and log_lock are leaves: never two of them at once.
 *   db_lock is held only around inventory calls, never while building or sending a
 *   response; log_lock only inside mhd_log().
 * - Two locks are taken first, to let one request compute what many are waiting for:
 *   api_uptime.c's overview_lock (then db_lock or uptime_lock) and the busiest links'
 *   compute_lock in api_graph.c (then db_lock or store_lock; its list lock is a leaf).
 *   The plan's compute lock (api_plan.c) comes before the busiest links' and db_lock; its
 *   cache lock is a leaf.
 *   Neither is ever taken while a leaf is held.
 */
struct dash_server {
    struct MHD_Daemon *mhd;
    struct ww_db *db;        /* borrowed from the caller */
    pthread_mutex_t db_lock; /* guards db: one SQLite connection, many MHD workers */
    int www_fd;              /* O_DIRECTORY fd of the www folder; -1 when closed */
    struct ww_i18n *words;   /* owned: the www folder's i18n files, read-only once loaded */
    unsigned port;
    pthread_mutex_t log_lock; /* guards the log_* rate limit below */
    time_t log_window;
    unsigned log_count;
    unsigned long log_dropped;
    bool tls;                     /* HTTPS: cookies get Secure */
    long long idle_s, absolute_s; /* session limits */
    long long sessions_max;       /* per user; a login past it ends the oldest */
    char *tls_cert_pem, *tls_key_pem; /* owned; the key is wiped before free */
    /* network uptime (api_uptime.c): office hours, and the overview answer cached by
     * (inventory's change mark, minute); uptime_lock guards the cache fields only and is
     * never held with db_lock */
    struct ww_office office; /* spans and days: guarded by db_lock (the Settings page changes
                                them, api_settings.c); the zone never changes */
    pthread_mutex_t uptime_lock;
    char *overview_text; /* owned; NULL = none */
    struct inv_change_mark overview_mark;
    long long overview_minute;
    /* graphs (api_graph.c): store_lock guards store (librrd's rrdcached client is one
     * connection per process); never held together with db_lock */
    struct store *store; /* NULL when no rrd_dir was given */
    pthread_mutex_t store_lock;
    /* busiest links (api_graph.c): the lists kept between requests; owned, made by
     * dash_busiest_new() in dash_server_new(), freed by dash_busiest_free() */
    struct dash_busiest *busiest;
    /* slow clients (server.c): every open connection with its deadline, and the sweeper
     * thread that cuts those past it; conn_lock guards the list and is a leaf; sweep_lock
     * only pairs with sweep_cond for the sweeper's sleep and its stop */
    pthread_mutex_t conn_lock;
    struct dash_conn *conns;
    pthread_mutex_t sweep_lock;
    pthread_cond_t sweep_cond;
    pthread_t sweep_thread;
    bool sweep_running, sweep_stop;
    /* the names Host may give besides IP literals (lowercase, owned); read-only once set */
    char *hosts[DASH_HOSTNAMES_MAX + 3];
    size_t nhosts;
    /* the config file's values (borrowed from main.c for the server's life, read-only): the
     * Settings page's values win over them (inv_settings_overlay); NULL in unit tests */
    const struct ww_config *file_cfg;
    /* readiness and age rules (api_ready.c), loaded once in dash_server_new(), read-only
     * afterwards (no lock); owned; NULL when the folder is missing */
    struct inv_rules *rules;
    /* the replacement plan last computed (api_plan.c): owned, made by dash_plan_cache_new()
     * in dash_server_new(), freed by dash_plan_cache_free(); its own locks (leaves, and a
     * compute lock taken before db_lock, as the busiest links') */
    struct dash_plan_cache *plan_cache;
    /* the skill-gap data last loaded and the compliance reply (api_training.c): owned, made
     * by dash_gap_cache_new() in dash_server_new(), freed by dash_gap_cache_free(); its own
     * locks (a leaf, and a compute lock taken before db_lock) */
    struct dash_gap_cache *gap_cache;
};

/* the authenticated caller of a request (filled by the router for routes with a permission) */
struct dash_auth {
    bool ok;
    bool unavailable; /* the session could not be read (database busy or broken): not "logged out" */
    enum ww_lang lang; /* the user's language (users.lang) */
    long long user_id;
    char login[72];
    char role[16];
    char csrf[72];
    char token_hash[65];
};

/* HTTP methods as bits, so a route can allow several and a 405 can list them */
enum dash_method {
    DASH_GET = 1u << 0,
    DASH_HEAD = 1u << 1,
    DASH_POST = 1u << 2,
    DASH_PUT = 1u << 3,
    DASH_PATCH = 1u << 4,
    DASH_DELETE = 1u << 5,
    DASH_OTHER = 1u << 6,
};

/*
 * struct dash_req - one HTTP request. Created by the URI-log callback (which sees the raw
 * request target before libmicrohttpd percent-decodes it) and freed only by the
 * request-completed callback. Used by one MHD worker thread at a time.
 */
struct dash_req {
    struct dash_server *srv;
    struct MHD_Connection *conn; /* set on the first access call */
    char *target;                /* raw request target as sent: path[?query] */
    char *path;                  /* raw path: target up to '?', never decoded */
    unsigned method;             /* one enum dash_method bit */
    struct ww_buf body;          /* capped at DASH_BODY_MAX (server.c body_max()) */
    size_t discarded;            /* body bytes dropped after the cap */
    bool headers_seen, too_large, replied;
    size_t nparams;
    char *params[DASH_PARAMS_MAX]; /* "{name}" captures of the matched route, in order */
    struct dash_auth auth;
    char remote[64];               /* client address, text */
};

/*
 * struct dash_error - an error reply as data: dash_reply_send() writes it as
 * {"error":{"code","message"[,"field","reason","params"]}} with the message in the request's
 * language from the i18n files ("reason.<reason>" when there is one, else "error.<code>").
 */
struct dash_error {
    const char *code;       /* static string; NULL = no error body */
    char field[32];         /* the field or query parameter at fault; "" = none */
    struct inv_refusal why; /* reason "" = none */
    char retry_s[16];       /* {s} of a 429's words: the reply's retry_after */
};

/* struct dash_reply - what a handler produces; dash_reply_send() turns it into bytes */
struct dash_reply {
    struct dash_error err;    /* set by dash_reply_error()/_refused(); wins over json */
    unsigned status;
    json_t *json;             /* owned: the body, serialised compactly */
    struct MHD_Response *raw; /* owned: a ready body (static files); wins over json */
    const char *content_type; /* for raw; static string */
    char allow[64];           /* Allow header for 405, "" otherwise */
    char *set_cookie;         /* owned: a Set-Cookie value, or NULL */
    unsigned retry_after;     /* seconds, for 429; 0 = none */
    bool no_body;             /* 204 */
    bool ui_file;             /* a static UI file: revalidated, not no-store */
    const char *cache_control; /* static string; NULL = the default (no-store / no-cache) */
};

typedef void (*dash_handler_fn)(struct dash_req *req, struct dash_reply *out);

struct dash_route {
    const char *pattern; /* "/api/v1/devices/{id}": a {name} segment matches one segment */
    unsigned methods;    /* DASH_GET implies DASH_HEAD */
    dash_handler_fn handler;
    const char *perm;    /* PERMISSIONS.md name; NULL = public */
};

/* ---- auth.c: passwords, tokens, throttle, permissions ------------------------------- */

#define DASH_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */
#define DASH_PASSWORD_MIN 10
#define DASH_PASSWORD_MAX 256
/* the password-check throttle (auth.c): a failure counts DASH_FAIL_WINDOW_S against its
 * (login, address) pair and its address */
#define DASH_PAIR_TRIES 5       /* failures of one login from one address, then 429 */
#define DASH_ADDR_TRIES 10      /* failures of any logins from one address, then 429 */
#define DASH_FAIL_WINDOW_S 900  /* how long a failure counts */
/* the hash gate (auth.c): argon2id runs at most this many at once, with this many waiting */
#define DASH_HASH_SLOTS 1
#define DASH_HASH_WAITERS 0 /* a waiting worker stalls its connections too */
#define DASH_HASH_WAIT_MS 2000
#define DASH_COOKIE "ww_session"

void dash_token_new(char out[DASH_TOKEN_LEN + 1]);
bool dash_token_well_formed(const char *token);
/* dash_token_hash() - hex BLAKE2b-256 of the token: what the session table keeps */
void dash_token_hash(const char *token, char out[65]);
/* dash_secret_equal() - constant-time equality of two NUL-terminated secrets */
bool dash_secret_equal(const char *a, const char *b);
/* dash_password_burn() - spend the time of one verification (unknown logins) */
void dash_password_burn(const char *password);
/* dash_throttle_wait() - seconds still to wait at @now when the failure that reached a
 * limit was at @nth_at (0 = none): until it is DASH_FAIL_WINDOW_S old */
long long dash_throttle_wait(long long nth_at, long long now);
/*
 * dash_hash_enter() - take a slot of the hash gate before argon2id (verify or hash), waiting
 * at most DASH_HASH_WAIT_MS when DASH_HASH_WAITERS others do not wait already. 0 (call
 * dash_hash_leave() after) or -EBUSY (reply with dash_reply_busy()). Any thread.
 */
int dash_hash_enter(void);
void dash_hash_leave(void);
/* dash_reply_busy() - 503 "busy" with Retry-After: 1 */
void dash_reply_busy(struct dash_reply *out);
/*
 * dash_attempt_begin() - before checking a password that @login typed from req->remote:
 * refuses a throttled pair or address (429 too_many_attempts with Retry-After), else counts
 * the attempt as a failure (so that parallel tries cannot pass together) and takes a slot
 * of the hash gate (503 busy when none: then nothing is counted). 0 with *out_attempt, the
 * row to forget on success; < 0 with @out filled. Takes db_lock itself.
 */
int dash_attempt_begin(struct dash_req *req, struct dash_reply *out, const char *login,
                       long long *out_attempt);
/* dash_attempt_end() - after the check: leaves the gate; @good forgets the attempt and
 * clears the pair (never the address's count); a failure stays counted */
void dash_attempt_end(struct dash_req *req, const char *login, long long attempt, bool good);
/* dash_role_has() - does @role hold permission @perm (PERMISSIONS.md)? */
bool dash_role_has(const char *role, const char *perm);
/* dash_role_perms() - a JSON array of the role's permissions */
json_t *dash_role_perms(const char *role);
/* dash_authenticate() - the session cookie of @req to req->auth; false when none/expired, or
 * when the database could not answer (req->auth.unavailable: a 503, never a 401) */
bool dash_authenticate(struct dash_req *req);

/* ---- api_alert.c ------------------------------------------------------------------------ */

/* dash_alert_target_check() - refuse (-EINVAL, reason "address_refused", param the class)
 * a webhook channel whose host is or resolves to an address ww_addr_refused() refuses;
 * 0 for anything else (a name that does not resolve now included). Blocks for DNS. */
int dash_alert_target_check(const struct inv_alert_channel *c, const struct ww_addr_list *allow,
                            struct inv_refusal *why);

/* ---- csv.c ---------------------------------------------------------------------------- */

/*
 * dash_csv_cell() - append one CSV field: quoted, quotes doubled, and a cell that a
 * spreadsheet would run as a formula prefixed with ': one starting with a tab or CR, or
 * whose first character after any Unicode white space is = + - @ or a full-width ＝ ＋ － ＠.
 */
int dash_csv_cell(struct ww_buf *b, const char *s, bool last);
/* dash_csv_row() - one CSV line of @n cells (dash_csv_cell each) */
void dash_csv_row(struct ww_buf *b, const char *const *cells, size_t n);
/* dash_reply_csv() - a text/csv attachment from @b (taken over) named @filename, starting
 * with the UTF-8 byte order mark (added when @b has none) */
void dash_reply_csv(struct dash_reply *out, struct ww_buf *b, const char *filename);

/* ---- words.c: what the server says, in the reader's language ------------------------ */

#define DASH_CSV_COLS_MAX 24
/* dash_req_lang() - the request's language: its user's, else Accept-Language (vi default) */
enum ww_lang dash_req_lang(struct dash_req *req);
/* dash_event_text() - an event's words: "eventmsg.<reason>" with the event's parameters
 * (a JSON object of strings), in the request's language; @fallback (the stored English)
 * for events recorded before they had a reason. A heap string: the caller frees it. */
char *dash_event_text(struct dash_req *req, const char *reason, const char *params_json,
                      const char *fallback);
/* dash_csv_head() - the header row of an export: "csv.<key>" of each column in the
 * request's language (the key itself when a file lacks it) */
void dash_csv_head(struct dash_req *req, struct ww_buf *b, const char *const *keys, size_t n);

/* ---- shared by the handlers -------------------------------------------------------- */

void dash_lock(struct dash_req *req);
void dash_unlock(struct dash_req *req);
/* dash_change_mark() - inventory's change mark, read under db_lock: 0 or -EIO */
int dash_change_mark(struct dash_req *req, struct inv_change_mark *out);
/*
 * struct dash_keep - a computation kept for later requests (the replacement plan, the skill-
 * gap data): the last value, shared by reference, current while inventory's change mark
 * stays the same and it is young enough. A value begins with struct dash_kept; its @release
 * frees all of it when the last reference goes. lock guards kept and every value's refs and
 * is a leaf; compute_lock is the caller's, for one computation at a time (taken before
 * db_lock, never inside lock).
 */
struct dash_kept {
    int refs;
    time_t at;      /* when it was made (dash_keep_set) */
    long long mark; /* inventory's change mark read before it was made */
    void (*release)(struct dash_kept *v);
};
struct dash_keep {
    pthread_mutex_t lock, compute_lock;
    struct dash_kept *kept;
};
void dash_keep_init(struct dash_keep *k);
void dash_keep_destroy(struct dash_keep *k); /* gives back the kept value */
/* the kept value when it is for @mark, younger than @max_age_s and (@same given) @same says
 * it is for @ctx: a reference to give back with dash_keep_put(), or NULL */
struct dash_kept *dash_keep_get(struct dash_keep *k, long long mark, int max_age_s,
                                bool (*same)(const struct dash_kept *v, const void *ctx),
                                const void *ctx);
void dash_keep_put(struct dash_keep *k, struct dash_kept *v); /* NULL: nothing */
/* keep @v, made at @mark (the caller's reference stays: refs becomes 2), giving back the
 * value kept before */
void dash_keep_set(struct dash_keep *k, struct dash_kept *v, long long mark);
const char *dash_query(struct dash_req *req, const char *name);
/* dash_body_json() - the request body as a JSON object, or a 400 in @out and NULL */
json_t *dash_body_json(struct dash_req *req, struct dash_reply *out);
/* dash_actor() - the audit actor of the request's user */
struct inv_actor;
void dash_actor(struct dash_req *req, struct inv_actor *out_actor);
/*
 * dash_change() - run @ch through inventory's one audited-change path as the request's
 * user, under db_lock. On failure @out holds the reply (the refusal with its field and
 * reason, 404, 500); on success the caller replies. Returns inv_change_run()'s result.
 */
int dash_change(struct dash_req *req, struct dash_reply *out, struct inv_change *ch);
/* dash_change_remove() - DELETE of the record whose id is the path's first parameter by
 * @apply (object @object_type, audit @action): 204, or 400 for a bad id, or the refusal */
void dash_change_remove(struct dash_req *req, struct dash_reply *out, const char *action,
                        const char *object_type,
                        int (*apply)(struct ww_db *db, void *ctx, struct inv_change *ch));
bool dash_page_params(struct dash_req *req, struct dash_reply *out, long long *out_limit,
                      long long *out_offset);
void dash_reply_db_failed(struct dash_reply *out);
void dash_reply_empty(struct dash_reply *out, unsigned status);

extern const struct dash_route dash_session_routes[];
extern const size_t dash_session_nroutes;
extern const struct dash_route dash_admin_routes[];
extern const size_t dash_admin_nroutes;
/* the CSV imports (admin.c): dash_import_perm() - the permission a CSV import path needs
 * (its body is text/csv and may be DASH_IMPORT_BODY_MAX), NULL for any other path;
 * dash_import_opts() - ?dry_run and ?only_valid (0|1, nothing else) and the request's actor
 * (@actor filled, borrowed by @o), false = @out holds the 400; dash_import_reply() - 200,
 * 422 (rows refused) or 400 (the file) with the counts and each error's row, column and
 * words, or the refusal of @ret */
const char *dash_import_perm(const char *path);
bool dash_import_opts(struct dash_req *req, struct dash_reply *out, struct inv_import_opts *o,
                      struct inv_actor *actor);
void dash_import_reply(struct dash_req *req, struct dash_reply *out, int ret,
                       const struct inv_import_result *r);
/* dash_import_reply_more() - dash_import_reply() with @more's members (taken; may be NULL)
 * added to its object, and -EAGAIN (rows to confirm) a 200 */
void dash_import_reply_more(struct dash_req *req, struct dash_reply *out, int ret,
                            const struct inv_import_result *r, json_t *more);
/* api_training.c: the staff and training imports (staffimport.c's) */
extern const struct dash_route dash_trainimport_routes[];
extern const size_t dash_trainimport_nroutes;
/* api_unit.c: org units (the tree now or on a day, the merger), locations, units.csv and its
 * import (issue 16) */
extern const struct dash_route dash_unit_routes[];
extern const size_t dash_unit_nroutes;
/* api_alert.c: alert rules, channels, alerts, the delivery log */
extern const struct dash_route dash_alert_routes[];
extern const size_t dash_alert_nroutes;
/* api_settings.c: the Settings page (mail server, office hours, the dashboard's address) */
extern const struct dash_route dash_settings_routes[];
extern const size_t dash_settings_nroutes;
/* api_records.c: a device's repairs, assignment history and handover record (issue 16) */
extern const struct dash_route dash_records_routes[];
extern const size_t dash_records_nroutes;
extern const struct dash_route dash_probe_routes[]; /* api_probe.c (issue 18) */
extern const size_t dash_probe_nroutes;
extern const struct dash_route dash_check_routes[]; /* api_check.c (issue 18 item 2) */
extern const size_t dash_check_nroutes;
/*
 * dash_settings_effective() - the file's config with the database's settings over it (the
 * rule: common.h above struct ww_setting_key) into @out (release with ww_config_release());
 * bit i of *out_from_db: ww_setting_keys[i] came from the database. Call under db_lock.
 * Returns 0, -EIO (@out is still a full config: the file's values), -ENOENT (no file_cfg).
 */
int dash_settings_effective(struct dash_server *srv, struct ww_config *out, unsigned *out_from_db);

/* ---- router.c ---------------------------------------------------------------------- */

/* every route table the router searches, in order (tests walk the same list) */
struct dash_route_table {
    const struct dash_route *routes;
    const size_t *n;
};
extern const struct dash_route_table dash_route_tables[];
extern const size_t dash_route_ntables;

/* dash_method_parse() - the enum dash_method bit of an HTTP method name. */
unsigned dash_method_parse(const char *method);
/* dash_route() - match req->path against the table and call the handler, or fill a 404/405. */
void dash_route(struct dash_req *req, struct dash_reply *out);
/*
 * dash_reply_error() - an error reply with @status and the machine @code (a static string,
 * with words "error.<code>" in both i18n files); @field (may be NULL) names the field or
 * query parameter at fault. Replaces the body. No English is written here: the message is
 * rendered in the request's language when the reply is sent.
 */
void dash_reply_error(struct dash_reply *out, unsigned status, const char *code,
                      const char *field);
/*
 * dash_reply_refused() - the reply for a failed inventory change: -EINVAL 400 "invalid"
 * and -EEXIST 409 "exists" carry @why (field, reason, param), -ENOENT 404 "not_found",
 * -EPERM 403 "forbidden", anything else 500 "internal".
 */
void dash_reply_refused(struct dash_reply *out, int ret, const struct inv_refusal *why);
/* dash_refusal_text() - the words of a refusal in the request's language: "reason.<reason>"
 * with {field} (the words of "field.<field>"), {param} and {s} (@retry_s, may be NULL), or
 * "error.<code>" when @why has no reason. Heap string, caller frees. */
char *dash_refusal_text(struct dash_req *req, const struct inv_refusal *why, const char *code,
                        const char *retry_s);
/* dash_refusal() - fill @why for a request body's own check (a JSON type): field, reason,
 * param (NULL = none); returns -EINVAL */
int dash_refusal(struct inv_refusal *why, const char *field, const char *reason,
                 const char *param);
/* dash_reply_json() - a 200 (or @status) JSON body; takes ownership of @json. */
void dash_reply_json(struct dash_reply *out, unsigned status, json_t *json);
/* dash_reply_json_text() - a 200 whose body is a ready JSON text (a kept reply: the overview,
 * the training compliance), copied */
void dash_reply_json_text(struct dash_reply *out, const char *text);
void dash_reply_release(struct dash_reply *out);
/* dash_reply_render() - turn an error reply into its JSON body (out->json) in the request's
 * language; dash_reply_send() does it; tests call it to read the body */
void dash_reply_render(struct dash_req *req, struct dash_reply *out);
/*
 * dash_security_headers_add() - the headers every response carries (CSP, nosniff,
 * Referrer-Policy, X-Frame-Options; HSTS when @tls). Also given to libmicrohttpd's own
 * error answers (server.c).
 */
void dash_security_headers_add(struct MHD_Response *resp, bool tls);
/*
 * dash_reply_send() - build the response with the security headers, queue it on req->conn
 * and release @out. Context: the MHD worker thread inside the access callback.
 */
enum MHD_Result dash_reply_send(struct dash_req *req, struct dash_reply *out);

/* ---- params.c: query parameters ----------------------------------------------------- */

/*
 * dash_param_count() - parse a non-negative decimal query value: digits only (no sign,
 * space or empty string), within [min, max]. NULL (absent) gives @def.
 * Returns 0 or -EINVAL.
 */
int dash_param_count(const char *value, long long def, long long min, long long max,
                     long long *out_value);
/* dash_param_id() - a record id in a path or query: digits only, 1..LLONG_MAX; -EINVAL. */
int dash_param_id(const char *value, long long *out_id);
/*
 * dash_param_page() - limit (default DASH_LIMIT_DEFAULT, 0..DASH_LIMIT_MAX) and offset
 * (default 0, 0..DASH_OFFSET_MAX) from their raw values (NULL when absent).
 * Returns 0, or -EINVAL with *out_bad naming the offending parameter.
 */
int dash_param_page(const char *limit, const char *offset, long long *out_limit,
                    long long *out_offset, const char **out_bad);

/* ---- static.c ------------------------------------------------------------------------ */

/*
 * dash_static_path_ok() - true when the raw path @path[0..len) is one a static file may
 * have: starts with '/', at most DASH_STATIC_PATH_MAX bytes, segments of [A-Za-z0-9._-]
 * that are non-empty and do not start with '.'. So no "..", no '%' (nothing is decoded),
 * no '\\', no NUL, no "//".
 */
/* dash_accepts_gzip() - does an Accept-Encoding value allow gzip ("gzip", "*", not q=0)? */
bool dash_accepts_gzip(const char *accept_encoding);
bool dash_static_path_ok(const char *path, size_t len);
/* dash_static_type() - the Content-Type for the path's extension, NULL when not served. */
const char *dash_static_type(const char *path);
/* dash_static_etag() - the validator of a file (inode, size, modification time; "-gz" for its
 * compressed form) into @out, quoted as an ETag is */
void dash_static_etag(const struct stat *st, bool gz, char *out, size_t outsz);
/* dash_etag_matches() - does an If-None-Match value (a list, W/ prefixes, "*") name @etag? */
bool dash_etag_matches(const char *if_none_match, const char *etag);
/* dash_static_cache_clear() - drop the kept compressed forms (tests; shutdown) */
void dash_static_cache_clear(void);
/* dash_static_serve() - GET/HEAD of a file under the www folder; 404 for anything else. An
 * unchanged file the browser holds (If-None-Match) gets a 304 without a body. */
void dash_static_serve(struct dash_req *req, struct dash_reply *out);

/* ---- api.c --------------------------------------------------------------------------- */

extern const struct dash_route dash_api_routes[];
extern const size_t dash_api_nroutes;

/* ---- api_uptime.c: overview, availability, outages, maintenance, holidays ----------- */

extern const struct dash_route dash_uptime_routes[];
extern const size_t dash_uptime_nroutes;

/* dash_json_text() - a JSON string of @s made valid UTF-8, or JSON null when @s is NULL. */
json_t *dash_json_text(const char *s);
/* dash_json_id() - a record id, or JSON null when @id <= 0 (none) */
json_t *dash_json_id(long long id);
/* dash_json_snapshot() - an audit snapshot's JSON text (a change's ch->after) as JSON, null
 * when NULL or unreadable */
json_t *dash_json_snapshot(const char *text);
/* dash_json_time() - ISO-8601 UTC string, or JSON null when @t <= 0. */
json_t *dash_json_time(long long t);
/* dash_json_count() / dash_json_bool() - a request field @key: an integer >= 0 / a boolean
 * into *@slot; else refused in @why (not_integer / not_boolean) and -EINVAL */
struct inv_refusal;
int dash_json_count(long long *slot, json_t *v, const char *key, struct inv_refusal *why);
int dash_json_bool(bool *slot, json_t *v, const char *key, struct inv_refusal *why);
/* dash_json_real() - a JSON number, or null for NAN/infinity (unknown). */
json_t *dash_json_real(double v);

/* ---- api_graph.c: graphs, series, p95, busiest links, /metrics -------------------------- */
struct dash_busiest;
struct dash_busiest *dash_busiest_new(void);
void dash_busiest_free(struct dash_busiest *b);

extern const struct dash_route dash_graph_routes[];
extern const size_t dash_graph_nroutes;
/* api_training.c: staff, roles, skills, courses, sessions, training records, targets, the
 * gap matrix and compliance (issue 17) */
extern const struct dash_route dash_training_routes[];
extern const size_t dash_training_nroutes;
/* dash_training_day() - ?day= (YYYY-MM-DD, default the office's today) into @day; false after
 * replying 400 bad_param "day" (or 500) */
bool dash_training_day(struct dash_req *req, struct dash_reply *out, char day[11]);
/* dash_gap_person() / dash_gap_unit() - a person's name (and code) or a unit's name in @d;
 * borrowed from @d, NULL when unknown */
const char *dash_gap_person(const struct inv_gap_data *d, long long id, const char **code);
const char *dash_gap_unit(const struct inv_gap_data *d, long long id);
/* dash_training_targets() - the targets with their progress month by month on @day (as GET
 * /training/compliance answers them); takes db_lock itself; NULL on a database failure */
json_t *dash_training_targets(struct dash_req *req, const struct inv_gap_data *d, const char *day);
/* api_training_report.c: the training reports' CSVs and the expiring-soon list (issue 17
 * item 5) */
extern const struct dash_route dash_training_report_routes[];
extern const size_t dash_training_report_nroutes;
/*
 * dash_busiest_list() - the busiest links of @period (0 day, 1 7d, 2 30d, 3 365d), in office
 * hours when @office, at most @limit, as the JSON array GET /api/v1/links/busiest answers
 * (the kept list, computed when stale: the one owner of a link's p95). Takes its own locks:
 * call with none held. NULL when the database failed; the caller owns the array.
 */
json_t *dash_busiest_list(struct dash_req *req, int period, bool office, long long limit);
/* api_plan.c: the replacement plan, the priority list, a device's score (issue 16) */
struct dash_plan_cache;
struct dash_plan_cache *dash_plan_cache_new(void);
void dash_plan_cache_free(struct dash_plan_cache *c);
/* dash_plan_replacements() - the devices the replacement plan (the kept one, or computed now,
 * its horizon the setting's) replaces, and the year of each, in the plan's order; a heap
 * array to free(). No rules loaded: none. 0, or -EIO with @out filled. */
struct dash_plan_year {
    long long device_id;
    int year;
};
int dash_plan_replacements(struct dash_req *req, struct dash_reply *out,
                           struct dash_plan_year **out_items, size_t *out_n);
extern const struct dash_route dash_plan_routes[];
/* api_training.c: the kept skill-gap data (issue 17) */
struct dash_gap_cache;
struct dash_gap_cache *dash_gap_cache_new(void);
void dash_gap_cache_free(struct dash_gap_cache *c);
extern const size_t dash_plan_nroutes;
/* api_ready.c: a device's readiness and age (inventory/readiness.c's rules) */
extern const struct dash_route dash_ready_routes[];
extern const size_t dash_ready_nroutes;
/* api_report.c: the manager's reports, JSON and CSV (inventory/report.c) */
extern const struct dash_route dash_report_routes[];
extern const size_t dash_report_nroutes;
extern const struct dash_route dash_health_routes[];
extern const size_t dash_health_nroutes;
/* api_health.c: the members of GET /devices/{id} it owns. dash_discovered_add() sets
 * "discovered" (what SNMP found, from @facts) and "compare" (vendor, model, serial: typed
 * beside reported, "differ" when both are known and are not one name) on @o;
 * dash_disks_json() is the "disks" array. Inputs borrowed. */
struct inv_device;
struct inv_fact;
struct inv_disk;
void dash_discovered_add(json_t *o, const struct inv_device *d, const struct inv_fact *facts,
                         size_t nfacts);
json_t *dash_disks_json(const struct inv_disk *disks, size_t n);

/* dash_prom_label() - append @s as a Prometheus label value: \, " and newline escaped,
 * the rest made valid UTF-8 */
int dash_prom_label(struct ww_buf *b, const char *s);
/* dash_query_whitelisted() - true when every parameter of the raw query of @req is one of
 * @names (NULL-terminated), appears once and its value is 1..32 of [a-zA-Z0-9_-] (nothing
 * percent-encoded); otherwise fills a 400 bad_param into @out and returns false */
bool dash_query_whitelisted(struct dash_req *req, const char *const *names,
                            struct dash_reply *out);

#endif
