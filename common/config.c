/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * config.c - the one INI file, parsed by inih through a declarative table: each key has a
 * type, a field, a default and bounds. Unknown keys and bad values stop the start-up with
 * a message naming the file and line.
 */
#include "common.h"

#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

enum conf_type { CONF_STR, CONF_PATH, CONF_INT };

struct conf_key {
    const char *section;
    const char *name;
    enum conf_type type;
    size_t offset;
    const char *def;
    long long min, max;
};

#define F(field) offsetof(struct ww_config, field)

static const struct conf_key conf_keys[] = {
    {"general", "data_dir", CONF_PATH, F(data_dir), "/var/lib/wardwatch", 0, 0},
    {"general", "log_level", CONF_STR, F(log_level), "info", 0, 0},
    {"storage", "rrdcached", CONF_STR, F(rrdcached), "", 0, 0},
    {"storage", "rrd_full_hours", CONF_INT, F(rrd_full_hours), "48", 1, 8784},
    {"storage", "rrd_30min_days", CONF_INT, F(rrd_30min_days), "14", 1, 3660},
    {"storage", "rrd_2h_days", CONF_INT, F(rrd_2h_days), "62", 1, 3660},
    {"storage", "rrd_1day_days", CONF_INT, F(rrd_1day_days), "1099", 1, 36600},
    {"storage", "removed_keep_days", CONF_INT, F(removed_keep_days), "30", 0, 3650},
    {"collector", "poll_interval", CONF_INT, F(poll_interval), "60", 5, 86400},
    {"collector", "snmp_timeout_ms", CONF_INT, F(snmp_timeout_ms), "1500", 50, 60000},
    {"collector", "snmp_retries", CONF_INT, F(snmp_retries), "1", 0, 10},
    {"collector", "poll_workers", CONF_INT, F(poll_workers), "64", 1, 10000},
    {"collector", "profile_dir", CONF_PATH, F(profile_dir), WW_PROFILE_DIR, 0, 0},
    {"collector", "full_poll_minutes", CONF_INT, F(full_poll_minutes), "60", 1, 10080},
    {"collector", "down_after", CONF_INT, F(down_after), "1", 1, 100},
    {"collector", "up_after", CONF_INT, F(up_after), "1", 1, 100},
    {"inventory", "rules_dir", CONF_PATH, F(rules_dir), WW_RULES_DIR, 0, 0},
    {"availability", "timezone", CONF_STR, F(timezone), "Asia/Ho_Chi_Minh", 0, 0},
    {"availability", "office_hours", CONF_STR, F(office_hours), "07:30-11:30,13:30-17:00", 0, 0},
    {"availability", "office_days", CONF_STR, F(office_days), "mon-fri", 0, 0},
    {"alerts", "smtp_url", CONF_STR, F(smtp_url), "", 0, 0},
    {"alerts", "smtp_from", CONF_STR, F(smtp_from), "wardwatch@localhost", 0, 0},
    {"alerts", "smtp_user", CONF_STR, F(smtp_user), "", 0, 0},
    {"alerts", "smtp_password", CONF_STR, F(smtp_password), "", 0, 0},
    {"alerts", "smtp_starttls", CONF_STR, F(smtp_starttls), "required", 0, 0},
    {"alerts", "smtp_ca_file", CONF_PATH, F(smtp_ca_file), "", 0, 0},
    {"alerts", "retry_base_s", CONF_INT, F(alert_retry_base_s), "60", 1, 86400},
    {"alerts", "retry_max", CONF_INT, F(alert_retry_max), "8", 0, 100},
    {"alerts", "timeout_ms", CONF_INT, F(alert_timeout_ms), "10000", 100, 300000},
    {"alerts", "dashboard_url", CONF_STR, F(dashboard_url), "", 0, 0},
    {"alerts", "allow_private", CONF_STR, F(allow_private), "", 0, 0},
    {"dashboard", "listen_address", CONF_STR, F(listen_address), "127.0.0.1", 0, 0},
    {"dashboard", "port", CONF_INT, F(port), "8080", 0, 65535},
    {"dashboard", "port_file", CONF_PATH, F(port_file), "", 0, 0},
    {"dashboard", "www_dir", CONF_PATH, F(www_dir), "/usr/share/wardwatch/www", 0, 0},
    {"dashboard", "tls_cert", CONF_PATH, F(tls_cert), "", 0, 0},
    {"dashboard", "tls_key", CONF_PATH, F(tls_key), "", 0, 0},
    {"dashboard", "session_idle_minutes", CONF_INT, F(session_idle_minutes), "30", 1, 1440},
    {"dashboard", "session_max_hours", CONF_INT, F(session_max_hours), "12", 1, 720},
    {"dashboard", "hostnames", CONF_STR, F(hostnames), "", 0, 0},
    {"dashboard", "max_connections", CONF_INT, F(max_connections), "512", 16, 65536},
    {"dashboard", "max_connections_per_address", CONF_INT, F(max_connections_per_address),
     "16", 1, 65536},
    {"dashboard", "sessions_per_user", CONF_INT, F(sessions_per_user), "20", 1, 1000},
    {"probe", "interface", CONF_STR, F(probe_interface), "", 0, 0},
    {"probe", "filter", CONF_STR, F(probe_filter), "", 0, 0},
    {"probe", "local_subnets", CONF_STR, F(probe_local_subnets), "", 0, 0},
    {"probe", "max_hosts", CONF_INT, F(probe_max_hosts), "65536", 16, 1048576},
    {"training", "reminder_days", CONF_STR, F(training_reminder_days), "30,7,0", 0, 0},
};

struct conf_parse {
    struct ww_config *cfg;
    const char *path;
    char *base_dir; /* folder of the file, for relative paths */
    int line;
    char err[256];
};

static char **conf_str_field(struct ww_config *cfg, const struct conf_key *k)
{
    return (char **)(void *)((char *)cfg + k->offset);
}

static long long *conf_int_field(struct ww_config *cfg, const struct conf_key *k)
{
    return (long long *)(void *)((char *)cfg + k->offset);
}

/* the [availability] office-hour settings: parsed here so a typo stops the start-up */
static int conf_check_office(const struct conf_key *k, const char *value, char *err,
                             size_t errsize)
{
    struct ww_office o;
    const char *want = NULL;

    if (strcmp(k->section, "availability") != 0)
        return 0;
    if (strcmp(k->name, "timezone") == 0 && ww_office_zone_valid(value) < 0)
        want = "a time zone of the tz database, such as Asia/Ho_Chi_Minh";
    else if (strcmp(k->name, "office_hours") == 0 && ww_office_parse_hours(value, &o) < 0)
        want = "ascending HH:MM-HH:MM spans separated by commas";
    else if (strcmp(k->name, "office_days") == 0 && ww_office_parse_days(value, &o.days) < 0)
        want = "weekdays such as mon-fri or mon,wed,fri";
    if (!want)
        return 0;
    snprintf(err, errsize, "%s.%s must be %s, not '%.40s'", k->section, k->name, want, value);
    return -EINVAL;
}

static int conf_apply(struct ww_config *cfg, const struct conf_key *k, const char *value,
                      const char *base_dir, char *err, size_t errsize)
{
    long long v;
    char **sp;

    switch (k->type) {
    case CONF_INT:
        if (ww_parse_ll(value, k->min, k->max, &v) < 0) {
            snprintf(err, errsize, "%s.%s must be a whole number from %lld to %lld, not '%.40s'",
                     k->section, k->name, k->min, k->max, value);
            return -EINVAL;
        }
        *conf_int_field(cfg, k) = v;
        return 0;
    case CONF_STR:
    case CONF_PATH:
        if (strlen(value) > 4096) {
            snprintf(err, errsize, "%s.%s is too long", k->section, k->name);
            return -EINVAL;
        }
        if (k->type == CONF_STR && strcmp(k->name, "log_level") == 0) {
            enum ww_log_level lv;
            if (ww_log_level_parse(value, &lv) < 0) {
                snprintf(err, errsize, "%s.%s must be error, warn, info or debug, not '%.40s'",
                         k->section, k->name, value);
                return -EINVAL;
            }
        }
        if (k->type == CONF_STR && conf_check_office(k, value, err, errsize) < 0)
            return -EINVAL;
        if (k->type == CONF_STR && strcmp(k->name, "smtp_starttls") == 0 &&
            strcmp(value, "required") != 0 && strcmp(value, "try") != 0 &&
            strcmp(value, "none") != 0) {
            snprintf(err, errsize, "%s.%s must be required, try or none, not '%.40s'",
                     k->section, k->name, value);
            return -EINVAL;
        }
        if (k->type == CONF_STR && strcmp(k->name, "allow_private") == 0) {
            struct ww_addr_list l;
            if (ww_addr_list_parse(value, &l) < 0) {
                snprintf(err, errsize, "%s.%s must be addresses or CIDRs (192.168.1.0/24, "
                         "fd00::/8) separated by spaces, at most %d, not '%.40s'", k->section,
                         k->name, WW_ADDR_LIST_MAX, value);
                return -EINVAL;
            }
        }
        if (k->type == CONF_STR && strcmp(k->name, "reminder_days") == 0) {
            int days[WW_DAY_LIST_MAX];
            size_t n;
            if (ww_parse_day_list(value, days, WW_DAY_LIST_MAX, &n) < 0) {
                snprintf(err, errsize, "%s.%s must be 1 to %d different numbers of days from 0"
                         " to %d separated by commas, such as 30,7,0, not '%.40s'", k->section,
                         k->name, WW_DAY_LIST_MAX, WW_DAY_LIST_MAX_DAYS, value);
                return -EINVAL;
            }
        }
        sp = conf_str_field(cfg, k);
        free(*sp);
        if (k->type == CONF_PATH && value[0] && value[0] != '/' && base_dir)
            *sp = ww_asprintf("%s/%s", base_dir, value);
        else
            *sp = ww_strdup(value);
        return 0;
    }
    return -EINVAL;
}

static const struct conf_key *conf_find(const char *section, const char *name)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(conf_keys); i++)
        if (strcmp(conf_keys[i].section, section) == 0 && strcmp(conf_keys[i].name, name) == 0)
            return &conf_keys[i];
    return NULL;
}

static int conf_handler(void *user, const char *section, const char *name, const char *value)
{
    struct conf_parse *p = user;
    const struct conf_key *k;

    if (!name) /* a section header alone: check the section exists */
        return 1;
    k = conf_find(section, name);
    if (!k) {
        snprintf(p->err, sizeof(p->err), "unknown key '%.40s' in section [%.40s]", name,
                 section);
        return 0;
    }
    return conf_apply(p->cfg, k, value, p->base_dir, p->err, sizeof(p->err)) == 0;
}

void ww_config_release(struct ww_config *cfg)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(conf_keys); i++) {
        if (conf_keys[i].type != CONF_INT) {
            char **sp = conf_str_field(cfg, &conf_keys[i]);
            free(*sp);
            *sp = NULL;
        }
    }
}

int ww_config_set(struct ww_config *cfg, const char *section, const char *key, const char *value)
{
    char err[256] = "";
    const struct conf_key *k = conf_find(section, key);

    if (!k)
        return ww_error(-EINVAL, "config: unknown key '%s.%s'", section, key);
    if (conf_apply(cfg, k, value, NULL, err, sizeof(err)) < 0)
        return ww_error(-EINVAL, "config: %s", err);
    return 0;
}

int ww_config_load(const char *path, struct ww_config *out_cfg)
{
    struct conf_parse p = {0};
    char err[256];
    char *dir_copy = NULL;
    FILE *f = NULL;
    int ret = -EINVAL, line;

    memset(out_cfg, 0, sizeof(*out_cfg));
    for (size_t i = 0; i < WW_ARRAY_SIZE(conf_keys); i++) {
        if (conf_apply(out_cfg, &conf_keys[i], conf_keys[i].def, NULL, err, sizeof(err)) < 0)
            ww_die("config: bad built-in default: %s", err);
    }
    if (!path)
        return 0;

    f = fopen(path, "r");
    if (!f) {
        ret = ww_error(errno == ENOENT ? -ENOENT : -EIO, "config: cannot open '%s': %s", path,
                       strerror(errno));
        goto out;
    }
    dir_copy = ww_strdup(path);
    p.cfg = out_cfg;
    p.path = path;
    p.base_dir = dirname(dir_copy);
    line = ini_parse_file(f, conf_handler, &p);
    if (line != 0) {
        ret = ww_error(-EINVAL, "config: %s:%d: %s", path, line,
                       p.err[0] ? p.err : "malformed line (expected 'key = value' or '[section]')");
        goto out;
    }
    ret = 0;
out:
    if (f)
        fclose(f);
    free(dir_copy);
    if (ret < 0)
        ww_config_release(out_cfg);
    return ret;
}

/* ---- settings the dashboard may change (the rule: common.h above struct ww_setting_key) -- */

const struct ww_setting_key ww_setting_keys[] = {
    {"alerts.smtp_url", "alerts", "smtp_url", false},
    {"alerts.smtp_user", "alerts", "smtp_user", false},
    {"alerts.smtp_password", "alerts", "smtp_password", true},
    {"alerts.smtp_from", "alerts", "smtp_from", false},
    {"availability.office_hours", "availability", "office_hours", false},
    {"availability.office_days", "availability", "office_days", false},
    {"alerts.dashboard_url", "alerts", "dashboard_url", false},
};
const size_t ww_setting_nkeys = WW_ARRAY_SIZE(ww_setting_keys);

const struct ww_setting_key *ww_setting_find(const char *name)
{
    for (size_t i = 0; name && i < ww_setting_nkeys; i++)
        if (strcmp(ww_setting_keys[i].name, name) == 0 || strcmp(ww_setting_keys[i].key, name) == 0)
            return &ww_setting_keys[i];
    return NULL;
}

/* "scheme://" then a host of at least one character, no space or control anywhere */
static bool url_with_scheme(const char *v, const char *const *schemes)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return false;
    for (size_t i = 0; schemes[i]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncmp(v, schemes[i], n) == 0 && v[n] && v[n] != '/' && v[n] != ':')
            return true;
    }
    return false;
}

/* one plain address: local@domain, printable ASCII without the characters a header or an
 * SMTP envelope would read specially */
static bool plain_address(const char *v)
{
    const char *at = strchr(v, '@');

    if (!at || at == v || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"(),;:\\[]", *p))
            return false;
    return true;
}

const char *ww_setting_check(const struct ww_setting_key *k, const char *value)
{
    static const char *const smtp[] = {"smtp://", "smtps://", NULL};
    static const char *const web[] = {"http://", "https://", NULL};
    struct ww_office o;

    if (!k || !value)
        return "required";
    if (strlen(value) > 1024)
        return "too_long";
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "control_char";
    if (strcmp(k->name, "office_hours") == 0)
        return ww_office_parse_hours(value, &o) < 0 ? "not_hours" : NULL;
    if (strcmp(k->name, "office_days") == 0)
        return ww_office_parse_days(value, &o.days) < 0 ? "not_days" : NULL;
    if (!*value)
        return NULL;
    if (strcmp(k->name, "smtp_url") == 0)
        return url_with_scheme(value, smtp) ? NULL : "not_smtp_url";
    if (strcmp(k->name, "dashboard_url") == 0)
        return url_with_scheme(value, web) ? NULL : "not_url";
    if (strcmp(k->name, "smtp_from") == 0)
        return plain_address(value) ? NULL : "not_email";
    return NULL; /* a user name, a password: any text */
}

void ww_config_copy(const struct ww_config *src, struct ww_config *out)
{
    memcpy(out, src, sizeof(*out));
    for (size_t i = 0; i < WW_ARRAY_SIZE(conf_keys); i++) {
        if (conf_keys[i].type != CONF_INT) {
            char **sp = conf_str_field(out, &conf_keys[i]);
            *sp = *sp ? ww_strdup(*sp) : NULL;
        }
    }
}
