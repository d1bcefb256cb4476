/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * probe.c - `wardwatch probe` (probe_int.h): one poll through the collector's engine, its
 * kind guess with the evidence, and the values the write path would store.
 */
#include "appliance/probe_int.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"

#include "common/banned.h"

static void add_text(struct ww_buf *b, const char *key, const char *v, bool *first)
{
    ww_buf_addf(b, "%s\"%s\":", *first ? "" : ",", key);
    ww_buf_add_json_string(b, v);
    *first = false;
}

int cli_probe(const struct ww_config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},     {"version", required_argument, NULL, 'V'},
        {"community", required_argument, NULL, 'c'}, {"timeout-ms", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},           {NULL, 0, NULL, 0}};
    const char *community = getenv("WW_COMMUNITY"), *version = "2c";
    long long port = 161, timeout = 1500;
    struct coll_result r;
    struct coll_target t;
    struct coll_guess g;
    struct coll_measures m;
    struct ww_buf b;
    bool json = false, first = true;
    char *os;
    int opt;

    (void)cfg;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            if (ww_parse_ll(optarg, 1, 65535, &port) < 0)
                return 2;
            break;
        case 'V': version = optarg; break;
        case 'c': community = optarg; break;
        case 't':
            if (ww_parse_ll(optarg, 50, 60000, &timeout) < 0)
                return 2;
            break;
        case 'j': json = true; break;
        default: return 2;
        }
    }
    if (optind != argc - 1 || (strcmp(version, "1") != 0 && strcmp(version, "2c") != 0)) {
        fprintf(stderr, "wardwatch: probe HOST [--port P] [--version 1|2c] [--community C] "
                        "[--timeout-ms N] [--json]\n");
        return 2;
    }
    t = (struct coll_target){.device_id = 1, .host = argv[optind], .port = port,
                             .version = version, .community = community ? community : "public",
                             .timeout_ms = (long)timeout, .retries = 1,
                             .deadline_ms = (long)timeout * 20, .full = true};
    memset(&r, 0, sizeof(r));
    coll_snmp_init();
    coll_snmp_poll(&t, &r);
    if (!r.ok) {
        fprintf(stderr, "wardwatch: %s did not answer: %s\n", argv[optind], r.error);
        coll_result_release(&r);
        coll_snmp_shutdown();
        return 1;
    }
    coll_guess_kind(&r, &g);
    coll_measure(&r, &m);
    os = r.os_name ? ww_strdup(r.os_name) : NULL;
    ww_buf_init(&b, 1 << 20);
    if (json) {
        ww_buf_addstr(&b, "{");
        add_text(&b, "profile", coll_profile_name(r.profile), &first);
        add_text(&b, "vendor", g.vendor, &first);
        add_text(&b, "kind", g.kind, &first);
        add_text(&b, "why", g.why, &first);
        add_text(&b, "model", r.pt[COLL_PT_MODEL], &first);
        add_text(&b, "serial", r.pt[COLL_PT_SERIAL], &first);
        add_text(&b, "firmware", r.pt[COLL_PT_FIRMWARE], &first);
        add_text(&b, "os", os, &first);
        ww_buf_addstr(&b, ",\"values\":{");
        for (int i = 0; i < COLL_PM_COUNT; i++) {
            ww_buf_addf(&b, "%s\"%s\":", i ? "," : "", coll_pm_name((enum coll_pm)i));
            if (isnan(m.v[i]))
                ww_buf_addstr(&b, "null");
            else
                ww_buf_addf(&b, "%.15g", m.v[i]);
        }
        ww_buf_addstr(&b, "}}\n");
    } else {
        ww_buf_addf(&b, "kind      %s\nwhy       %s\n", g.kind, g.why);
        if (g.vendor)
            ww_buf_addf(&b, "vendor    %s\n", g.vendor);
        for (int i = 0; i < COLL_PT_COUNT; i++)
            if (r.pt[i])
                ww_buf_addf(&b, "%-9s %s\n",
                            i == COLL_PT_MODEL ? "model" : i == COLL_PT_SERIAL ? "serial"
                                                                                : "firmware",
                            r.pt[i]);
        if (os)
            ww_buf_addf(&b, "os        %s\n", os);
        for (int i = 0; i < COLL_PM_COUNT; i++)
            if (!isnan(m.v[i]))
                ww_buf_addf(&b, "%-18s %.15g\n", coll_pm_name((enum coll_pm)i), m.v[i]);
    }
    {
        char *out = ww_buf_detach(&b);
        fputs(out, stdout);
        free(out);
    }
    free(os);
    coll_result_release(&r);
    coll_snmp_shutdown();
    return 0;
}
