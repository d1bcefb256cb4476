/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wardwatch.c - the admin CLI: init (data folder, database, migrations), devices, the demo
 * office generator. Global options come before the command:
 *   wardwatch [-c CONFIG] [-d DATA_DIR] COMMAND ...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "inventory/inventory.h"
#include "storage/storage.h"
#include "appliance/demo_int.h"

#include "common/banned.h"

struct cli {
    struct ww_config cfg;
    char *db_path;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wardwatch [-c CONFIG] [-d DATA_DIR] COMMAND [ARGS]\n"
            "commands:\n"
            "  init                          create the data folder and database, or migrate it\n"
            "  device add --name N --host H [--port P] [--version 1|2c] [--community C]\n"
            "             [--kind K] [--vendor V] [--model M] [--serial S] [--asset-tag A]\n"
            "             [--purchase-date YYYY-MM-DD] [--cost VND] [--disabled]\n"
            "                                add a device (community also from $WW_COMMUNITY)\n"
            "  device list                   list devices with their status\n"
            "  device remove ID              remove a device and its records\n"
            "  demo-gen DIR                  write the demo ward office's SNMP recordings\n"
            "kinds: router switch firewall ap ups printer server pc other\n");
}

static int open_db(struct cli *c, bool create, struct ww_db **out_db)
{
    if (ww_db_open(c->db_path, create, out_db) < 0)
        return -EIO;
    if (inv_migrate(*out_db) < 0) {
        ww_db_close(*out_db);
        *out_db = NULL;
        return -EIO;
    }
    return 0;
}

static int cmd_init(struct cli *c, int argc, char **argv)
{
    struct ww_db *db = NULL;
    char *rrd = NULL;
    int version = 0, ret = 1;

    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    if (ww_mkdir_p(c->cfg.data_dir, 0750) < 0)
        return 1;
    rrd = ww_asprintf("%s/rrd", c->cfg.data_dir);
    if (ww_mkdir_p(rrd, 0750) < 0)
        goto out;
    if (open_db(c, true, &db) < 0 || ww_db_user_version(db, &version) < 0)
        goto out;
    printf("wardwatch: data folder %s ready (database schema version %d)\n", c->cfg.data_dir,
           version);
    ret = 0;
out:
    ww_db_close(db);
    free(rrd);
    return ret;
}

static int device_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},      {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},      {"version", required_argument, NULL, 'V'},
        {"community", required_argument, NULL, 'C'}, {"kind", required_argument, NULL, 'k'},
        {"vendor", required_argument, NULL, 'e'},    {"model", required_argument, NULL, 'm'},
        {"serial", required_argument, NULL, 's'},    {"asset-tag", required_argument, NULL, 'a'},
        {"purchase-date", required_argument, NULL, 'D'},
        {"cost", required_argument, NULL, 'x'},      {"disabled", no_argument, NULL, 'X'},
        {NULL, 0, NULL, 0}};
    struct inv_device d;
    struct ww_db *db = NULL;
    long long id = 0;
    int opt, ret = 1;

    inv_device_init(&d);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'n': d.name = optarg; break;
        case 'H': d.host = optarg; break;
        case 'V': d.snmp_version = optarg; break;
        case 'C': d.snmp_community = optarg; break;
        case 'k': d.kind = optarg; break;
        case 'e': d.vendor = optarg; break;
        case 'm': d.model = optarg; break;
        case 's': d.serial = optarg; break;
        case 'a': d.asset_tag = optarg; break;
        case 'D': d.purchase_date = optarg; break;
        case 'X': d.enabled = false; break;
        case 'p':
            if (ww_parse_ll(optarg, 1, 65535, &d.snmp_port) < 0) {
                fprintf(stderr, "wardwatch: --port must be 1 to 65535\n");
                return 2;
            }
            break;
        case 'x':
            if (ww_parse_ll(optarg, 0, (long long)1e15, &d.cost_vnd) < 0) {
                fprintf(stderr, "wardwatch: --cost must be a whole number of VND\n");
                return 2;
            }
            break;
        default: usage(stderr); return 2;
        }
    }
    if (!d.snmp_community)
        d.snmp_community = getenv("WW_COMMUNITY");
    if (optind != argc || !d.name || !d.host) {
        fprintf(stderr, "wardwatch: device add needs --name and --host\n");
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if (inv_device_add(db, &d, &id) == 0) {
        printf("%lld\n", id);
        ret = 0;
    }
    ww_db_close(db);
    return ret; /* d's strings are borrowed from argv: nothing to release */
}

static int device_list(struct cli *c, int argc, char **argv)
{
    struct inv_device_list list;
    struct ww_db *db = NULL;

    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if (inv_device_list(db, false, -1, 0, &list) < 0) {
        ww_db_close(db);
        return 1;
    }
    printf("%-5s %-28s %-8s %-24s %-8s %s\n", "ID", "NAME", "KIND", "ADDRESS", "STATE",
           "SYSNAME");
    for (size_t i = 0; i < list.n; i++) {
        const struct inv_device *d = &list.items[i];
        char addr[300];
        /* strings from devices and people: printed sanitized, never as a format */
        char *name = ww_utf8_sanitize(d->name, strlen(d->name));
        char *sys = d->sys_name ? ww_utf8_sanitize(d->sys_name, strlen(d->sys_name)) : NULL;
        snprintf(addr, sizeof(addr), "%s:%lld", d->host, d->snmp_port);
        printf("%-5lld %-28s %-8s %-24s %-8s %s\n", d->id, name, d->kind, addr,
               d->enabled ? d->state : "disabled", sys ? sys : "-");
        free(name);
        free(sys);
    }
    inv_device_list_release(&list);
    ww_db_close(db);
    return 0;
}

static int device_remove(struct cli *c, int argc, char **argv)
{
    struct ww_db *db = NULL;
    long long id;
    int ret;

    if (argc != 2 || ww_parse_ll(argv[1], 1, (long long)1e15, &id) < 0) {
        fprintf(stderr, "wardwatch: device remove needs a device id\n");
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    ret = inv_device_remove(db, id);
    if (ret == -ENOENT)
        fprintf(stderr, "wardwatch: no device %lld\n", id);
    ww_db_close(db);
    return ret == 0 ? 0 : 1;
}

static int cmd_device(struct cli *c, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "add") == 0)
        return device_add(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return device_list(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "remove") == 0)
        return device_remove(c, argc - 1, argv + 1);
    usage(stderr);
    return 2;
}

static int cmd_demo_gen(struct cli *c, int argc, char **argv)
{
    struct demo_device *devs = NULL;
    size_t n = 0;

    if (argc != 2) {
        usage(stderr);
        return 2;
    }
    if (demo_generate(argv[1], 2025, "127.0.1.", 1161, &devs, &n) < 0)
        return 1;
    printf("wardwatch: %zu demo devices written to %s\n", n, argv[1]);
    free(devs);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"data-dir", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *data_dir = NULL;
    struct cli c;
    int opt, ret = 1;

    ww_log_init("wardwatch", WW_LOG_WARN);
    /* '+': stop at the command, its options are its own */
    while ((opt = getopt_long(argc, argv, "+c:d:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    if (!config_path && access(WW_DEFAULT_CONFIG, R_OK) == 0 && !data_dir)
        config_path = WW_DEFAULT_CONFIG;
    if (ww_config_load(config_path, &c.cfg) < 0)
        return 1;
    if (data_dir && ww_config_set(&c.cfg, "general", "data_dir", data_dir) < 0)
        goto out;
    c.db_path = ww_asprintf("%s/wardwatch.db", c.cfg.data_dir);

    argc -= optind;
    argv += optind;
    if (strcmp(argv[0], "init") == 0)
        ret = cmd_init(&c, argc, argv);
    else if (strcmp(argv[0], "device") == 0)
        ret = cmd_device(&c, argc, argv);
    else if (strcmp(argv[0], "demo-gen") == 0)
        ret = cmd_demo_gen(&c, argc, argv);
    else {
        usage(stderr);
        ret = 2;
    }
    free(c.db_path);
out:
    ww_config_release(&c.cfg);
    return ret;
}
