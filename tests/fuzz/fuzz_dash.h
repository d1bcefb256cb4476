/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_dash.h - the dashboard targets' server: a struct dash_server as dash_server_new()
 * fills it (locks, office hours, no www folder, no libmicrohttpd) on a new migrated
 * database in a temp folder (/dev/shm when it can: SQLite's fsyncs cost nothing there),
 * removed at exit. fuzz_dash_db_new() makes the database anew.
 */
#ifndef WW_FUZZ_DASH_H
#define WW_FUZZ_DASH_H

#include <pthread.h>
#include <unistd.h>

#include "common/common.h"
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"
#include "tests/fuzz/fuzz.h"

static struct dash_server fuzz_srv;
static char fuzz_dir[64];

static void fuzz_dash_unlink(void)
{
    static const char *const ends[] = {"", "-wal", "-shm", "-journal"};
    char path[96];

    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        snprintf(path, sizeof(path), "%s/w.db%s", fuzz_dir, ends[i]);
        unlink(path);
    }
}

static void fuzz_dash_cleanup(void)
{
    ww_db_close(fuzz_srv.db);
    fuzz_srv.db = NULL;
    fuzz_dash_unlink();
    rmdir(fuzz_dir);
}

static void fuzz_dash_db_new(void)
{
    char path[96];

    ww_db_close(fuzz_srv.db);
    fuzz_srv.db = NULL;
    fuzz_dash_unlink();
    snprintf(path, sizeof(path), "%s/w.db", fuzz_dir);
    if (ww_db_open(path, true, &fuzz_srv.db) < 0 || inv_migrate(fuzz_srv.db) < 0)
        abort();
}

static void fuzz_dash_setup(const char *prog)
{
    ww_log_init(prog, WW_LOG_ERR);
    if (dash_crypto_init() < 0)
        abort();
    snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/wwfuzzXXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(fuzz_dir))
        abort();
    atexit(fuzz_dash_cleanup);
    fuzz_srv.www_fd = -1;
    pthread_mutex_init(&fuzz_srv.db_lock, NULL);
    pthread_mutex_init(&fuzz_srv.log_lock, NULL);
    pthread_mutex_init(&fuzz_srv.uptime_lock, NULL);
    pthread_mutex_init(&fuzz_srv.store_lock, NULL);
    if (ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30,13:30-17:00", "mon-fri",
                       &fuzz_srv.office) < 0 ||
        ww_office_use_zone(&fuzz_srv.office) < 0)
        abort();
    fuzz_dash_db_new();
}

#endif
