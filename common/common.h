/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common.h - the one public face of common/: logging, memory, capped buffers, numbers,
 * time, the INI configuration and the SQLite database handle with its migrations.
 *
 * Threads: everything here may be called from any thread unless a comment says otherwise.
 * A struct ww_db is used by one thread at a time (SQLite connections are not shared).
 */
#ifndef WW_COMMON_H
#define WW_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define WW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define WW_NORETURN __attribute__((noreturn))
#define WW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* WW_STR(x) - the macro x expanded, as a string literal (for SQL and messages) */
#define WW_STR_(x) #x
#define WW_STR(x) WW_STR_(x)

/* ---- logging ---------------------------------------------------------------------------- */

enum ww_log_level { WW_LOG_ERR = 3, WW_LOG_WARN = 4, WW_LOG_INFO = 6, WW_LOG_DEBUG = 7 };

/*
 * ww_log_init() - name the program and the lowest level printed.
 * Lines go to stderr; under systemd (JOURNAL_STREAM set) each carries the journal's
 * "<N>" priority prefix so the journal keeps the level. Call once, before threads.
 */
void ww_log_init(const char *prog, enum ww_log_level level);
/* ww_log_level_parse() - "error", "warn", "info", "debug"; returns -EINVAL otherwise. */
int ww_log_level_parse(const char *name, enum ww_log_level *out_level);
void ww_log(enum ww_log_level level, const char *fmt, ...) WW_PRINTF(2, 3);
void ww_vlog(enum ww_log_level level, const char *fmt, va_list ap) WW_PRINTF(2, 0);
/* ww_error() - log at error level and return @code (a negative errno), for "return ww_error()". */
int ww_error(int code, const char *fmt, ...) WW_PRINTF(2, 3);
void ww_die(const char *fmt, ...) WW_PRINTF(1, 2) WW_NORETURN;
/* ww_last_error() - the calling thread's last error-level message ("" when none), so that a
 * server can tell a client which field was wrong without logging twice */
const char *ww_last_error(void);
void ww_clear_error(void);

/*
 * struct ww_complain - rate limit for a failure that repeats (a dead device, a full disk).
 * The first failure is logged, then again after 1, 2, 4 ... minutes (at most daily);
 * ww_complain_release() logs once when it recovers. Embedded, zero-initialised, one owner.
 */
struct ww_complain {
    time_t next;
    unsigned interval;
    unsigned long suppressed;
    bool active;
};
void ww_complain(struct ww_complain *c, enum ww_log_level level, const char *fmt, ...)
    WW_PRINTF(3, 4);
void ww_complain_release(struct ww_complain *c, const char *fmt, ...) WW_PRINTF(2, 3);

/* ---- memory: allocation failure aborts with a message ------------------------------------ */

void *ww_malloc(size_t n);
void *ww_calloc(size_t nmemb, size_t size);
/* ww_reallocarray() - overflow-checked nmemb * size. */
void *ww_reallocarray(void *p, size_t nmemb, size_t size);
/*
 * ww_grow_zeroed() - a table indexed by a small number (a device id, say) made to hold
 * index @index: grown to a power of two (at least 1024 elements of @size), the new part
 * zero-filled. *@len is its length in elements, updated. Returns the (maybe moved) table.
 */
void *ww_grow_zeroed(void *p, size_t *len, size_t index, size_t size);
char *ww_strdup(const char *s);
char *ww_strndup(const char *s, size_t n);
char *ww_asprintf(const char *fmt, ...) WW_PRINTF(1, 2);
/* ww_strlcpy() - copies at most size-1 bytes, always terminates; returns strlen(src). */
size_t ww_strlcpy(char *dst, const char *src, size_t size);
/* ww_url_redact() - an http(s) URL cut to its scheme and host ("https://hooks.example/…"):
 * webhook URLs often carry their token in the path or query, and a user:password part is
 * dropped too. Anything else (an e-mail address) comes back as it is. Returns @url or @buf. */
#define WW_URL_REDACT_MAX 300
const char *ww_url_redact(const char *url, char *buf, size_t size);

/* ---- icmp.c: the echo socket code the collector's pinger and the probe's checks share ---- */

#define WW_ICMP_ECHO_LEN 16
/* ww_icmp_socket() - a non-blocking ICMP (@family AF_INET) or ICMPv6 (AF_INET6) socket: a
 * ping socket, else a raw one (*out_raw); -1 (errno) when neither is allowed */
int ww_icmp_socket(int family, bool *out_raw);
/* ww_icmp_echo() - an echo request with @ident and @seq into @out_pkt (the IPv4 checksum
 * set; ICMPv6's is the kernel's). A ping socket replaces @ident with its own. */
void ww_icmp_echo(int family, uint16_t ident, uint16_t seq, uint8_t out_pkt[WW_ICMP_ECHO_LEN]);
/* ww_icmp_reply() - is @buf (@len bytes; @raw IPv4: with its IP header) an echo reply, for
 * our @ident when @raw (a ping socket's identifier is the kernel's)? *out_seq (may be NULL)
 * its sequence number. false for anything else or anything malformed. */
bool ww_icmp_reply(const uint8_t *buf, size_t len, int family, bool raw, uint16_t ident,
                   uint16_t *out_seq);

/* ---- netaddr.c: where alerts may be sent ------------------------------------------------ */

#define WW_ADDR_LIST_MAX 64
struct sockaddr;
/* struct ww_addr_list - CIDRs, every address held in IPv6 form (IPv4 as ::ffff:a.b.c.d) */
struct ww_addr_list {
    size_t n;
    struct ww_cidr {
        unsigned char addr[16];
        unsigned bits;
    } items[WW_ADDR_LIST_MAX];
};
/* ww_addr_list_parse() - "192.168.1.0/24 10.0.0.5, fd00::/8" (spaces or commas; no prefix
 * length = one address) into @out (no allocation). "" is an empty list. 0 or -EINVAL. */
int ww_addr_list_parse(const char *text, struct ww_addr_list *out);
/*
 * ww_addr_refused() - NULL when alerts may go to address @sa, else why not, a code:
 * "loopback", "link_local", "private" (RFC 1918, 100.64/10, fc00::/7, fec0::/10),
 * "reserved", "multicast" (broadcast too), "unspecified". IPv4 inside IPv6 is judged as
 * IPv4. An address in @allow (may be NULL) is allowed unless multicast or unspecified.
 */
const char *ww_addr_refused(const struct sockaddr *sa, const struct ww_addr_list *allow);
/* ww_host_check() - resolve @host (a name or a literal) and judge every address:
 * 0 all allowed, -EACCES one refused (*out_reason its code), -ENOENT not resolved now,
 * -EINVAL no host. Blocks for the resolver. */
int ww_host_check(const char *host, const struct ww_addr_list *allow, const char **out_reason);
/* ww_url_host() - the host of "scheme://[user@]host[:port]/..." (IPv6 without brackets)
 * into @buf. 0 or -EINVAL. */
int ww_url_host(const char *url, char *buf, size_t size);

/* ---- capped growable buffer ------------------------------------------------------------- */

/*
 * struct ww_buf - bytes with a hard cap. data is always NUL-terminated (when allocated).
 * A failed append (-E2BIG) leaves the buffer exactly as it was.
 */
struct ww_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
};
void ww_buf_init(struct ww_buf *b, size_t max);
void ww_buf_release(struct ww_buf *b);
void ww_buf_reset(struct ww_buf *b);
int ww_buf_add(struct ww_buf *b, const void *data, size_t n);
int ww_buf_addstr(struct ww_buf *b, const char *s);
int ww_buf_addf(struct ww_buf *b, const char *fmt, ...) WW_PRINTF(2, 3);
/* ww_buf_add_json_string() - @s as a quoted, escaped JSON string; NULL as null. Always
 * valid JSON: a byte that is not part of well-formed UTF-8 (a device's text) is written as
 * \ufffd, controls as \u00XX. */
int ww_buf_add_json_string(struct ww_buf *b, const char *s);
/* ww_buf_detach() - hand the string to the caller (free()), leave the buffer empty. */
char *ww_buf_detach(struct ww_buf *b);

/* ---- numbers, strings, time ------------------------------------------------------------- */

/* ww_parse_ll() - whole string as a base-10 integer in [min, max]; -EINVAL / -ERANGE. */
int ww_parse_ll(const char *s, long long min, long long max, long long *out_value);
/* ww_parse_day_list() - "30,7,0" (commas or spaces): 1..@max distinct whole numbers of days
 * 0..WW_DAY_LIST_MAX_DAYS into @out, farthest first; -EINVAL otherwise (empty, a sign, a
 * duplicate, too many). */
#define WW_DAY_LIST_MAX_DAYS 366
#define WW_DAY_LIST_MAX 8
int ww_parse_day_list(const char *s, int *out, size_t max, size_t *out_n);
/* ww_regex_costly() - would glibc's regcomp() of this POSIX ERE take memory exponential in
 * its repetitions (a repetition of a repetition, or more than WW_RE_COPIES_MAX copies of a
 * subtree in all)? Patterns read from data files (device profiles, readiness rules) are
 * refused when it says so. */
#define WW_RE_COPIES_MAX 4096
bool ww_regex_costly(const char *pattern);
int ww_parse_u64(const char *s, uint64_t *out_value);
/* ww_utf8_seq() - the length (1..4) of the well-formed UTF-8 character at s[0..n), 0 when
 * the bytes there are not one (n >= 1) */
size_t ww_utf8_seq(const unsigned char *s, size_t n);
/* ww_utf8_valid() - true when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool ww_utf8_valid(const char *s, size_t n);
/*
 * ww_utf8_sanitize() - a heap copy of s[0..n) that is valid UTF-8 without control
 * characters: invalid bytes become U+FFFD, controls (but tab) become a space. Caller frees.
 */
char *ww_utf8_sanitize(const char *s, size_t n);
/* ww_formula_cell() - the one rule of "a spreadsheet would run this cell as a formula":
 * its first character after any Unicode white space is = + - @ or a full-width form of
 * them (＝ ＋ － ＠), or it starts with a tab or carriage return. Invalid UTF-8 is never
 * white space nor a sign. dashboard/csv.c marks such cells on export; the CSV import
 * (inventory/import.c) refuses them. NULL and "" are not formulas. */
bool ww_formula_cell(const char *s);
/* ww_utf8_copy() - @src into @dst (@size bytes, always terminated) as valid UTF-8 without
 * control characters, cut at a character boundary: for short fields that may hold text from
 * a device or a request (a refusal's parameter) */
void ww_utf8_copy(char *dst, const char *src, size_t size);
/*
 * ww_name_key() - the key two names are compared by, as people see them (text.c): Unicode
 * NFKC_Casefold (case-blind; precomposed and combining marks alike, so "Máy in tầng 2" and
 * "MÁY IN TẦNG 2" are one name) without surrounding white space; invalid bytes compare as
 * U+FFFD. Heap string, caller frees. ww_name_same() - whether @a and @b have one key.
 */
char *ww_name_key(const char *s);
bool ww_name_same(const char *a, const char *b);
/*
 * ww_name_fold() - a looser key than ww_name_key(), for matching a name typed elsewhere (a
 * training provider's list) to a person (text.c): ww_name_key()'s, then without diacritics
 * (canonical decomposition, combining marks dropped; đ/Đ as d) and with each run of white
 * space as one space. "Nguyễn  Văn Đức", "NGUYEN VAN DUC" and the NFD spelling fold alike.
 * Heap string, caller frees. Only for proposing a match that a person confirms: it makes
 * "Đức" and "Dục" one name.
 */
char *ww_name_fold(const char *s);
/* ww_mono_ms() - CLOCK_MONOTONIC in milliseconds, for intervals. */
int64_t ww_mono_ms(void);
/* ww_time_iso() - "2026-11-23T07:30:00Z" into buf (>= 21 bytes); returns buf. */
char *ww_time_iso(time_t t, char *buf, size_t size);
/* ww_mkdir_p() - create a directory and its parents with @mode; 0 when it exists. */
int ww_mkdir_p(const char *path, unsigned mode);

/* ---- office hours (officehours.c) ------------------------------------------------------ */

/*
 * Office hours are local clock spans ("07:30-11:30,13:30-17:00") on office days
 * ("mon-fri", "mon,wed,fri", "sat-mon") in one IANA zone, less holidays (local days).
 *
 * Zones: local time comes from the C library's tz database (mktime/localtime_r). The zone
 * is put into the process's TZ once, by ww_office_use_zone(), at start-up before any
 * thread exists; after that mktime/localtime_r only read it, which is thread-safe. So one
 * process has one office zone; every other time in wardwatch is UTC (ww_time_iso).
 */
#define WW_OFFICE_SPANS_MAX 8
#define WW_OFFICE_ZONE_MAX 64

struct ww_office {
    unsigned start[WW_OFFICE_SPANS_MAX], end[WW_OFFICE_SPANS_MAX]; /* minutes after 00:00 */
    size_t nspans;    /* ascending, not overlapping, each start < end, end <= 24:00 */
    unsigned days;    /* bit N = tm_wday N (0 Sunday ... 6 Saturday) */
    char zone[WW_OFFICE_ZONE_MAX];
};

/* ww_office_parse_hours() - "HH:MM-HH:MM[,...]" into o->start/end/nspans; -EINVAL. */
int ww_office_parse_hours(const char *s, struct ww_office *o);
/* ww_office_parse_days() - "mon-fri", "mon,tue", "sat-mon" (wraps), names in English,
 * case-insensitive; the weekday bits in *out_days; -EINVAL. */
int ww_office_parse_days(const char *s, unsigned *out_days);
/* ww_office_zone_valid() - a plain zone name ([A-Za-z0-9_+-/], no "..") with a file in the
 * tz database ($TZDIR or /usr/share/zoneinfo); -EINVAL otherwise. */
int ww_office_zone_valid(const char *zone);
/* ww_office_init() - all three checked and parsed into @out; -EINVAL (logged, naming the
 * setting) when one is malformed. Does not touch TZ. */
int ww_office_init(const char *zone, const char *hours, const char *days,
                   struct ww_office *out);
/* ww_office_use_zone() - make @o->zone the process's local zone (setenv TZ + tzset).
 * Context: main thread, once, before threads start. */
int ww_office_use_zone(const struct ww_office *o);
/* ww_office_day() - the office's day @days_back days before @now as "YYYY-MM-DD" into @out
 * (11 bytes). The one owner of "which day is it in the office": every "today" (reports,
 * plan, training, health, the CLI) comes from here, or from SQL's date('now', 'localtime'),
 * which reads the same process zone (INV_TODAY_SQL). Needs ww_office_use_zone() first.
 * 0, -EINVAL. */
int ww_office_day(time_t now, int days_back, char out[11]);
/* ww_office_today() - ww_office_day(time(NULL), 0, @out). */
int ww_office_today(char out[11]);
/* ww_office_day_key() - a "YYYY-MM-DD" text as the number YYYYMMDD; -EINVAL (a real
 * calendar day is required: 2026-02-30 is refused). */
int ww_office_day_key(const char *day, int *out_key);

/*
 * struct ww_office_cal - the office intervals of one time range, in epoch seconds, ready
 * for many questions ("how much of [a,b) is office time?") in O(log n) each. Built by
 * walking local days (not seconds): a year is ~730 intervals. Owns its arrays.
 */
struct ww_office_cal {
    time_t from, to;
    time_t *start, *end; /* ascending, disjoint, clipped to [from, to) */
    long long *before;   /* before[i] = office seconds of intervals 0..i-1 */
    size_t n;
};

/*
 * ww_office_cal_build() - office intervals of [from, to) for @o, leaving out local days
 * whose key (YYYYMMDD) is in @holidays (sorted ascending; borrowed; may be NULL when
 * @nholidays is 0). Uses the process's local zone (see ww_office_use_zone()).
 * Returns 0 or -EINVAL (from > to, or the range is over 100 years).
 */
int ww_office_cal_build(const struct ww_office *o, const int *holidays, size_t nholidays,
                        time_t from, time_t to, struct ww_office_cal *out);
/* ww_office_cal_seconds() - office seconds in [a, b) (clipped to the calendar's range) */
long long ww_office_cal_seconds(const struct ww_office_cal *c, time_t a, time_t b);
/* ww_office_cal_contains() - is the second @t office time? (false outside the calendar's
 * range: build it over every time you will ask about) */
bool ww_office_cal_contains(const struct ww_office_cal *c, time_t t);
void ww_office_cal_release(struct ww_office_cal *c);

/* ---- words: the i18n catalogues (i18n.c) ----------------------------------------------- */

/*
 * Modules return codes, never sentences: the words for an error reason, an event, a CSV
 * header or an alert e-mail come from the UI's catalogues, $www_dir/i18n/vi.json and en.json
 * (flat objects, key -> text with {name} placeholders), so each text exists once per
 * language. A catalogue is read-only once loaded: any thread may look words up.
 */
enum ww_lang { WW_LANG_VI, WW_LANG_EN, WW_LANG_COUNT };
struct ww_i18n;
/* struct ww_param - one {name} of a text and its value; both borrowed */
struct ww_param {
    const char *name, *value;
};
/* ww_lang_parse() - "en" is English; anything else (NULL too) the default, Vietnamese */
enum ww_lang ww_lang_parse(const char *name);
const char *ww_lang_name(enum ww_lang lang);
/* ww_i18n_load() - @dir/vi.json and @dir/en.json. Returns 0, -ENOENT (a file missing),
 * -EINVAL (not a flat object of non-empty strings; logged naming file and line). */
int ww_i18n_load(const char *dir, struct ww_i18n **out_cat);
void ww_i18n_free(struct ww_i18n *c);
/* ww_i18n_text() - the text of @key in @lang, borrowed from the catalogue; NULL if missing */
const char *ww_i18n_text(const struct ww_i18n *c, enum ww_lang lang, const char *key);
/* ww_i18n_has() - @key has a text in every language */
bool ww_i18n_has(const struct ww_i18n *c, const char *key);
/*
 * ww_i18n_format() - append the text of @key with each {name} replaced by its @params value
 * (inserted as given: the caller escapes the result for where it goes); an unknown {name}
 * stays as written and a missing key appends the key itself. -E2BIG leaves @out as it was.
 */
int ww_i18n_format(const struct ww_i18n *c, enum ww_lang lang, const char *key,
                   const struct ww_param *params, size_t n, struct ww_buf *out);
/* ww_i18n_printf() - the same as a heap string (the caller frees); never NULL */
char *ww_i18n_printf(const struct ww_i18n *c, enum ww_lang lang, const char *key,
                     const struct ww_param *params, size_t n);

/* ---- configuration ---------------------------------------------------------------------- */

#define WW_DEFAULT_CONFIG "/etc/wardwatch/wardwatch.conf"

struct ww_config {
    /* [general] */
    char *data_dir;
    char *log_level;
    /* [storage] */
    char *rrdcached;  /* "" = write RRD files directly; "unix:/path" or "/path" = rrdcached */
    /* RRD archives for new files (AVERAGE and MAX each): full resolution, 30-minute, 2-hour
     * and 1-day rows kept this long; defaults are the design's (2 days, 14, 62, 1099 days) */
    long long rrd_full_hours, rrd_30min_days, rrd_2h_days, rrd_1day_days;
    /* a removed device's files (rrd/removed/<id>-<YYYYMMDD>/) are deleted after this many
     * days (0 = at the collector's next pass) */
    long long removed_keep_days;
    /* [collector] */
    long long poll_interval; /* seconds; RRD step */
    long long snmp_timeout_ms;
    long long snmp_retries;
    long long poll_workers;
    long long full_poll_minutes; /* every table walked this often; between: counter polls */
    char *profile_dir;           /* device profiles (collector/profiles/README.md) */
    char *rules_dir; /* [inventory] readiness and lifespan rules (inventory/rules/README.md) */
    long long down_after; /* failed polls in a row before a device is down */
    long long up_after;   /* good polls in a row before a down device is up again */
    /* [availability] office hours: "HH:MM-HH:MM[,HH:MM-HH:MM...]", days "mon-fri" or
     * "mon,tue,...", an IANA zone name; holidays are rows of the holiday table */
    char *timezone;
    char *office_hours;
    char *office_days;
    /* [alerts] e-mail through SMTP (libcurl); smtp_password is a secret, never logged */
    char *smtp_url;      /* "" = no e-mail; smtp://host:port or smtps://host:port */
    char *smtp_from;
    char *smtp_user;
    char *smtp_password;
    char *smtp_starttls; /* required, try, none (smtp:// only) */
    char *smtp_ca_file;  /* "" = the system's CAs */
    long long alert_retry_base_s; /* first retry after this, doubling */
    long long alert_retry_max;    /* attempts before a notification is marked failed */
    long long alert_timeout_ms;   /* one delivery attempt */
    char *dashboard_url;          /* base URL put into alert texts; "" = none */
    /* addresses webhooks and the mail server may have although they are not public:
     * CIDRs separated by spaces or commas (ww_addr_list_parse); "" = none */
    char *allow_private;
    /* [dashboard] */
    char *listen_address;
    long long port; /* 0 = any free port, written to port_file */
    char *port_file;
    char *www_dir;
    char *tls_cert, *tls_key; /* both set: HTTPS (and Secure cookies) */
    long long session_idle_minutes;
    long long session_max_hours;
    char *hostnames; /* names the Host header may give (besides IP literals, localhost and
                      * the machine's host name): comma or space separated */
    long long max_connections;             /* in all */
    long long max_connections_per_address; /* from one client address */
    long long sessions_per_user; /* more: the oldest session of the user ends */
    /* [probe] the passive probe (probes/README.md) */
    char *probe_interface;     /* "" = no live capture unless --interface names one */
    char *probe_filter;        /* a BPF filter compiled once; "" = every frame */
    char *probe_local_subnets; /* the office's subnets, CIDRs separated by spaces or commas:
                                * subnet totals and uplink (local <-> outside) by hour */
    long long probe_max_hosts; /* hosts the table holds before it evicts */
    /* [training] the days before a training's valid_until on which an expiry reminder goes
     * out ("30,7,0": 30 days, 7 days, its last valid day; ww_parse_day_list) */
    char *training_reminder_days;
};

/*
 * ww_config_load() - defaults, then @path (NULL = defaults only). Relative paths in the
 * file are taken relative to the file's folder. Unknown sections or keys and out-of-range
 * values fail with a message naming the file and line.
 * Returns 0, -ENOENT (no such file), -EINVAL (bad content). Free with ww_config_release().
 */
int ww_config_load(const char *path, struct ww_config *out_cfg);
void ww_config_release(struct ww_config *cfg);
/* ww_config_set() - apply one "section.key=value" override (command line); same checks. */
int ww_config_set(struct ww_config *cfg, const char *section, const char *key, const char *value);

/*
 * Settings an admin changes in the dashboard (Settings page) without a shell. THE RULE, stated
 * once: a value stored in the database (table setting, key "section.name") wins over the
 * file's; a key the database does not hold keeps the file's value (or the default). Clearing
 * a field in the dashboard removes its row, so the file's value is back in effect.
 * Applied by inv_settings_overlay() (inventory/setting.c) to a copy of the file's config.
 */
struct ww_setting_key {
    const char *key;     /* "alerts.smtp_url": the setting table's key */
    const char *section; /* "alerts" */
    const char *name;    /* "smtp_url": the config file's key and the API's field */
    bool secret;         /* stored, never read back to anyone but the delivery */
};
extern const struct ww_setting_key ww_setting_keys[];
extern const size_t ww_setting_nkeys;
/* ww_setting_find() - the entry of @name ("smtp_url") or of @key ("alerts.smtp_url"); NULL */
const struct ww_setting_key *ww_setting_find(const char *name);
/*
 * ww_setting_check() - may @value be stored for setting @k? The checks of the config file
 * (office hours and days through common/officehours.c) plus the form of each: an smtp(s)://
 * URL, a plain e-mail address, an http(s):// URL; "" is allowed (nothing set) except for
 * office hours and days. Returns NULL when fine, else a reason code of inventory's refusal
 * table ("not_smtp_url", "not_url", "not_email", "not_hours", "not_days", "too_long",
 * "control_char").
 */
const char *ww_setting_check(const struct ww_setting_key *k, const char *value);
/* ww_config_copy() - a deep copy of @src into @out (release with ww_config_release()) */
void ww_config_copy(const struct ww_config *src, struct ww_config *out);

/* ---- database -------------------------------------------------------------------------- */

/* struct ww_db - one SQLite connection and its statement cache; opaque outside common/ and
 * inventory/ (their internal header common/db_int.h shows it): every other module reaches
 * the database through inventory/'s functions. */
struct ww_db;

/*
 * struct ww_migration - one numbered schema step. Steps run in order, each in its own
 * transaction together with the PRAGMA user_version bump, so a failed step leaves the
 * database at the previous version.
 */
struct ww_migration {
    int version;
    const char *sql;
    bool rebuilds; /* rebuilds a table others refer to: foreign keys are switched off around
                      it (SQLite's documented way) and checked before the commit */
};

/*
 * ww_db_open() - open (creating when @create) the database at @path: WAL, foreign_keys=ON,
 * busy timeout, synchronous=FULL. A file that is not SQLite fails with -EINVAL.
 * Returns 0, -ENOENT, -EINVAL, -EIO.
 */
int ww_db_open(const char *path, bool create, struct ww_db **out_db);
void ww_db_close(struct ww_db *db);
/* ww_db_migrate() - apply every step above the current user_version. A database newer than
 * the last step fails with -EPROTO (an older program must not touch it). */
int ww_db_migrate(struct ww_db *db, const struct ww_migration *steps, size_t n);
int ww_db_user_version(struct ww_db *db, int *out_version);
int ww_db_begin(struct ww_db *db);
int ww_db_commit(struct ww_db *db);
void ww_db_rollback(struct ww_db *db);
/*
 * ww_db_savepoint() - open a savepoint (inside a transaction or alone); end it with
 * ww_db_release() to keep what was done or ww_db_undo() to take it back. They nest: each
 * ends the innermost one still open. 0 or -EIO (logged).
 */
int ww_db_savepoint(struct ww_db *db);
int ww_db_release(struct ww_db *db);
void ww_db_undo(struct ww_db *db);

#endif
