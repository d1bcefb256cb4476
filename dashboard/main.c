/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c - wardwatch-dashboard: configuration, database, the HTTP server, and a clean stop
 * on SIGINT/SIGTERM.
 *
 * The main thread blocks SIGINT/SIGTERM before any thread starts (the server's workers
 * inherit the mask), then waits for them with sigwait(): no async signal handler at all.
 */
#include "dashboard/dashboard.h"
#include "inventory/inventory.h"

#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/banned.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: wardwatch-dashboard [-c CONFIG] [-d|--data-dir DIR] [--port N]\n"
               "                           [--port-file FILE] [--www DIR] [--listen ADDR]\n"
               "  -c, --config FILE  configuration file (default " WW_DEFAULT_CONFIG
               " when it exists)\n"
               "  -d, --data-dir DIR folder holding wardwatch.db\n"
               "  --port N           TCP port; 0 = any free port (see --port-file)\n"
               "  --port-file FILE   write the bound port number here\n"
               "  --www DIR          folder with the UI files\n"
               "  --listen ADDR      address to listen on\n");
}

/* write "PORT\n" to @path through a temp file and a rename, so readers never see half */
static int write_port_file(const char *path, unsigned port)
{
    char *tmp = ww_asprintf("%s.tmp.%ld", path, (long)getpid());
    char text[16];
    int fd = -1, ret = -EIO, n;

    n = snprintf(text, sizeof(text), "%u\n", port);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        ret = ww_error(-errno, "dashboard: port file '%s': %s", tmp, strerror(errno));
        goto out;
    }
    if (write(fd, text, (size_t)n) != n || fsync(fd) < 0) {
        ret = ww_error(-EIO, "dashboard: port file '%s': write: %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        ret = ww_error(-EIO, "dashboard: port file '%s': close: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        ret = ww_error(-errno, "dashboard: port file '%s': rename: %s", path, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    if (fd >= 0)
        close(fd);
    if (ret < 0)
        unlink(tmp);
    free(tmp);
    return ret;
}

enum { OPT_DATA_DIR = 256, OPT_PORT, OPT_PORT_FILE, OPT_WWW, OPT_LISTEN };

/* command-line values that override the file, as (section, key) for ww_config_set() */
static const struct {
    int opt;
    const char *section, *key;
} overrides[] = {
    {OPT_DATA_DIR, "general", "data_dir"},       {OPT_PORT, "dashboard", "port"},
    {OPT_PORT_FILE, "dashboard", "port_file"},   {OPT_WWW, "dashboard", "www_dir"},
    {OPT_LISTEN, "dashboard", "listen_address"},
};

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"data-dir", required_argument, NULL, 'd'},
        {"port", required_argument, NULL, OPT_PORT},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"www", required_argument, NULL, OPT_WWW},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *given[WW_ARRAY_SIZE(overrides)] = {NULL};
    const char *config_path = NULL;
    struct ww_config cfg = {0};
    struct dash_options opt = {0};
    struct dash_server *srv = NULL;
    struct ww_db *db = NULL;
    enum ww_log_level level;
    char *db_path = NULL, *rrd_dir = NULL;
    sigset_t sigs;
    int ret = 1, c, sig;
    bool port_written = false;

    ww_log_init("wardwatch-dashboard", WW_LOG_INFO);
    while ((c = getopt_long(argc, argv, "c:d:h", longopts, NULL)) != -1) {
        size_t i;

        if (c == 'c') {
            config_path = optarg;
            continue;
        }
        if (c == 'd')
            c = OPT_DATA_DIR;
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        for (i = 0; i < WW_ARRAY_SIZE(overrides); i++)
            if (overrides[i].opt == c)
                break;
        if (i == WW_ARRAY_SIZE(overrides)) {
            usage(stderr);
            return 2;
        }
        given[i] = optarg;
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (!config_path && access(WW_DEFAULT_CONFIG, F_OK) == 0)
        config_path = WW_DEFAULT_CONFIG;

    if (ww_config_load(config_path, &cfg) < 0)
        goto out;
    for (size_t i = 0; i < WW_ARRAY_SIZE(overrides); i++)
        if (given[i] && ww_config_set(&cfg, overrides[i].section, overrides[i].key, given[i]) < 0)
            goto out;
    if (ww_log_level_parse(cfg.log_level, &level) == 0)
        ww_log_init("wardwatch-dashboard", level);

    db_path = ww_asprintf("%s/wardwatch.db", cfg.data_dir);
    if (ww_db_open(db_path, false, &db) < 0 || inv_migrate(db) < 0)
        goto out; /* both already said what went wrong */
    {
        /* the starting catalogue of roles and skills on a first start (tables empty); a
         * missing or broken file is logged and the dashboard runs without it */
        static const struct inv_actor sys = {0, "system", "system", NULL};
        char err[256];
        bool loaded;
        if (inv_catalogue_load(db, WW_CATALOGUE_DIR, &sys, &loaded, err, sizeof(err)) == 0 &&
            loaded)
            ww_log(WW_LOG_INFO, "dashboard: loaded the starting catalogue of roles and skills");
    }

    /* before any thread exists, so that all of them inherit the mask */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN); /* a browser that goes away mid-sendfile */

    opt.listen_address = cfg.listen_address;
    opt.port = (unsigned)cfg.port;
    opt.www_dir = cfg.www_dir;
    opt.tls_cert = cfg.tls_cert;
    opt.tls_key = cfg.tls_key;
    opt.session_idle_s = cfg.session_idle_minutes * 60;
    opt.session_absolute_s = cfg.session_max_hours * 3600;
    opt.sessions_per_user = cfg.sessions_per_user;
    opt.office_zone = cfg.timezone;
    opt.office_hours = cfg.office_hours;
    opt.office_days = cfg.office_days;
    rrd_dir = ww_asprintf("%s/rrd", cfg.data_dir);
    opt.rrd_dir = rrd_dir;
    opt.rrdcached = cfg.rrdcached;
    opt.hostnames = cfg.hostnames;
    opt.max_connections = (unsigned)cfg.max_connections;
    opt.max_per_address = (unsigned)cfg.max_connections_per_address;
    opt.rules_dir = cfg.rules_dir;
    opt.file_cfg = &cfg; /* released after dash_server_free() */
    dash_alert_allow(cfg.allow_private); /* checked when the config was read */
    if (dash_server_new(&opt, db, &srv) < 0)
        goto out;
    if (cfg.port_file && cfg.port_file[0]) {
        if (write_port_file(cfg.port_file, dash_server_port(srv)) < 0)
            goto out;
        port_written = true;
    }
    ww_log(WW_LOG_INFO, "dashboard: listening on %s://%s%s%s:%u", *cfg.tls_cert ? "https" : "http",
           strchr(cfg.listen_address, ':') ? "[" : "", cfg.listen_address,
           strchr(cfg.listen_address, ':') ? "]" : "", dash_server_port(srv));

    while (sigwait(&sigs, &sig) != 0)
        ;
    ww_log(WW_LOG_INFO, "dashboard: stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    ret = 0;
out:
    dash_server_free(srv);
    ww_db_close(db);
    if (port_written) /* a stale port would mislead whoever waits for the next start */
        unlink(cfg.port_file);
    ww_config_release(&cfg); /* safe on the zeroed or already released config */
    free(db_path);
    free(rrd_dir);
    return ret;
}
