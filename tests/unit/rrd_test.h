/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rrd_test.h - for unit tests on real RRD files, run once against librrd and once against a
 * real rrdcached: a temp folder for a test group, and an rrdcached on a unix socket in it
 * (journal on, nothing written to the files before an hour unless flushed).
 */
#ifndef WW_TEST_RRD_TEST_H
#define WW_TEST_RRD_TEST_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/common.h"

/* make a folder from the mkdtemp() template @tmpl into @dir; 0 (cmocka group setup) */
static inline int test_tmpdir_make(char *dir, size_t size, const char *tmpl)
{
    ww_strlcpy(dir, tmpl, size);
    assert_non_null(mkdtemp(dir));
    return 0;
}

/* the rrdcached test_rrdcached_run() started, while it runs: a failed assertion jumps past
 * its stop, so the group teardown stops it */
static int test_rrdcached_pid;

static inline void test_rrdcached_stop(int pid)
{
    if (pid > 0)
        kill(pid, SIGTERM);
}

/* remove the folder and all in it, after stopping an rrdcached left running in it; 0 (cmocka
 * group teardown) */
static inline int test_tmpdir_drop(const char *dir)
{
    char *cmd = ww_asprintf("rm -rf '%s'", dir);

    test_rrdcached_stop(test_rrdcached_pid);
    test_rrdcached_pid = 0;
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

/* start rrdcached with its socket, pid file and journal in @dir (files must be under @dir);
 * *out_addr gets "unix:<socket>" (caller frees). Returns its pid, 0 when rrdcached is not
 * installed (the caller skips), -1 when it would not start. */
static inline int test_rrdcached_start(const char *dir, char **out_addr)
{
    char *pidfile = ww_asprintf("%s/rrdcached.pid", dir);
    char *sock = ww_asprintf("unix:%s/rrdcached.sock", dir);
    char *cmd = NULL;
    FILE *f = NULL;
    int pid = -1;

    if (system("command -v rrdcached >/dev/null 2>&1") != 0) {
        pid = 0;
        goto out;
    }
    cmd = ww_asprintf("mkdir -p '%s/journal' && rrdcached -l '%s' -p '%s' -j '%s/journal' -F "
                      "-w 3600 -f 7200 -z 1 -B -b '%s'",
                      dir, sock, pidfile, dir, dir);
    if (system(cmd) != 0)
        goto out;
    /* the socket and the pid file come in either order; the pid file may still be empty */
    for (int i = 0; i < 50 && pid <= 0; i++) {
        if (access(sock + 5, F_OK) == 0 && (f = fopen(pidfile, "r"))) {
            if (fscanf(f, "%d", &pid) != 1)
                pid = -1;
            fclose(f);
            f = NULL;
        }
        if (pid <= 0)
            usleep(100000);
    }
out:
    if (f)
        fclose(f);
    free(cmd);
    free(pidfile);
    if (pid > 0)
        *out_addr = sock;
    else
        free(sock);
    return pid;
}

/* run @fn against an rrdcached started in @dir, then stop it; the test is skipped when
 * rrdcached is not installed */
static inline void test_rrdcached_run(const char *dir, void (*fn)(const char *addr))
{
    char *addr = NULL;
    int pid = test_rrdcached_start(dir, &addr);

    if (pid == 0)
        skip();
    assert_true(pid > 0);
    test_rrdcached_pid = pid;
    fn(addr);
    test_rrdcached_stop(pid);
    test_rrdcached_pid = 0;
    free(addr);
}

#endif
