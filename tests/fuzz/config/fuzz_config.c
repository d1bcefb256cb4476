/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_config.c - the INI config file (ww_config_load(), config.c) from any bytes, written
 * to a file in a temp folder as the daemons read it. What loads must hold what the table
 * promised: every string set, the office hours accepted again by ww_office_init(), the
 * numbers within the bounds start-up relies on; ww_config_release() frees it all (the
 * leak checker sees the rest).
 */
#include "common/common.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ww_config cfg;
    struct ww_office o;
    char path[160];

    ww_log_init("fuzz_config", WW_LOG_ERR);
    snprintf(path, sizeof(path), "%s/wardwatch.conf", fuzz_file("wardwatch.conf", data, size));
    if (ww_config_load(path, &cfg) != 0)
        return 0;
    FUZZ_CHECK(cfg.data_dir && cfg.log_level && cfg.rrdcached && cfg.profile_dir);
    FUZZ_CHECK(cfg.smtp_url && cfg.smtp_starttls && cfg.listen_address && cfg.www_dir);
    FUZZ_CHECK(ww_office_init(cfg.timezone, cfg.office_hours, cfg.office_days, &o) == 0);
    FUZZ_CHECK(cfg.poll_interval > 0 && cfg.snmp_retries >= 0 && cfg.poll_workers > 0);
    FUZZ_CHECK(cfg.port >= 0 && cfg.port <= 65535);
    ww_config_release(&cfg);
    return 0;
}
