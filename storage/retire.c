/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * retire.c - the files of removed devices: rrd/<id>/ moved aside to
 * rrd/removed/<id>-<YYYYMMDD>/ (the UTC day it was retired; -2, -3... for a second folder
 * of the same id and day), kept a set number of days, then deleted. Device ids are never
 * reused (inventory), so a new device starts with no folder; a folder whose device is gone
 * (one a late sample made again after its retirement) is retired by the collector's
 * periodic pass. Only names this file makes are ever deleted: digits, '-', digits.
 *
 * With rrdcached every file of the folder is flushed and forgotten before the move, so
 * that nothing the daemon holds or is sent later can write it again.
 */
#include "storage/storage.h"
#include "storage/storage_int.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/banned.h"

#define RETIRED_DIR "removed"
#define SAME_DAY_MAX 100 /* folders of one id retired on one day */

/* "123" (no sign, no leading 0) into *out; the end of the digits in *out_end */
static bool parse_id(const char *s, long long *out, const char **out_end)
{
    long long v = 0;
    const char *p = s;

    if (*p < '1' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (LLONG_MAX - 9) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    *out_end = p;
    return true;
}

/* a retired folder's name, "<id>-<YYYYMMDD>[-<n>]": its id and the start of its day */
static bool parse_retired(const char *name, long long *out_id, time_t *out_day)
{
    const char *p;
    long long n;
    struct tm tm = {0};
    int ymd = 0;

    if (!parse_id(name, out_id, &p) || *p++ != '-')
        return false;
    for (int i = 0; i < 8; i++, p++) {
        if (*p < '0' || *p > '9')
            return false;
        ymd = ymd * 10 + (*p - '0');
    }
    if (*p && (*p != '-' || !parse_id(p + 1, &n, &p) || *p))
        return false;
    tm.tm_year = ymd / 10000 - 1900;
    tm.tm_mon = ymd / 100 % 100 - 1;
    tm.tm_mday = ymd % 100;
    if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31)
        return false;
    *out_day = timegm(&tm);
    return *out_day != (time_t)-1;
}

/* delete folder @name of @dfd and the files in it (one level: that is all a device folder
 * holds), never following a link */
static int remove_folder(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    int ret = 0;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return ww_error(-EIO, "storage: retired folder '%s': cannot open: %s", name,
                        strerror(errno));
    }
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(fd, e->d_name, 0) < 0 &&
            (errno != EISDIR || unlinkat(fd, e->d_name, AT_REMOVEDIR) < 0))
            ret = ww_error(-EIO, "storage: retired folder '%s': cannot delete '%s': %s", name,
                           e->d_name, strerror(errno));
    }
    closedir(d);
    if (ret == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0)
        ret = ww_error(-EIO, "storage: retired folder '%s': cannot delete: %s", name,
                       strerror(errno));
    return ret;
}

/* with rrdcached: flush and forget every file of folder @src */
static int forget_folder(struct store *st, const char *src)
{
    DIR *d = opendir(src);
    struct dirent *e;
    char path[PATH_MAX];
    int ret = 0;

    if (!d)
        return 0; /* the move reports it */
    while ((e = readdir(d)) && ret == 0) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".rrd") != 0)
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", src, e->d_name) >= (int)sizeof(path))
            continue;
        ret = store_forget_cached(st, path);
    }
    closedir(d);
    return ret;
}

int store_retire(struct store *st, long long device_id, time_t now)
{
    char src[PATH_MAX], dst[PATH_MAX], base[PATH_MAX], day[16];
    struct stat sb;
    struct tm tm;
    int ret = -EIO, n;

    if (device_id <= 0)
        return -EINVAL;
    if (snprintf(src, sizeof(src), "%s/%lld", store_dir_of(st), device_id) >= (int)sizeof(src))
        return -ENAMETOOLONG;
    if (lstat(src, &sb) < 0)
        return errno == ENOENT ? 0 : ww_error(-EIO, "storage: '%s': %s", src, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return ww_error(-EIO, "storage: '%s' is not a folder: left alone", src);
    if (forget_folder(st, src) < 0)
        ww_log(WW_LOG_WARN, "storage: device %lld: rrdcached unreachable: its files are moved "
               "without a last flush", device_id);
    if (!gmtime_r(&now, &tm) || strftime(day, sizeof(day), "%Y%m%d", &tm) != 8)
        return -EINVAL;
    snprintf(base, sizeof(base), "%s/" RETIRED_DIR, store_dir_of(st));
    if (ww_mkdir_p(base, 0755) < 0)
        return -EIO;
    for (n = 1; n <= SAME_DAY_MAX; n++) {
        int len = n == 1 ? snprintf(dst, sizeof(dst), "%s/%lld-%s", base, device_id, day)
                         : snprintf(dst, sizeof(dst), "%s/%lld-%s-%d", base, device_id, day, n);
        if (len >= (int)sizeof(dst))
            return -ENAMETOOLONG;
        /* never onto a folder already there (rename() would replace an empty one) */
        if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0) {
            ret = 0;
            break;
        }
        if (errno != EEXIST) {
            ret = ww_error(-EIO, "storage: device %lld: cannot move '%s' to '%s': %s",
                           device_id, src, dst, strerror(errno));
            break;
        }
    }
    if (ret == 0)
        ww_log(WW_LOG_INFO, "storage: device %lld: metric files moved to %s", device_id, dst);
    else if (n > SAME_DAY_MAX)
        ww_error(-EIO, "storage: device %lld: %d retired folders today already", device_id,
                 SAME_DAY_MAX);
    /* the files are gone from where the store saw them: look at the disk again */
    store_known_forget(st);
    return ret;
}

int store_purge_retired(struct store *st, time_t now, long long keep_days, size_t *out_n)
{
    char base[PATH_MAX];
    DIR *d;
    struct dirent *e;
    size_t purged = 0;
    int ret = 0;

    if (out_n)
        *out_n = 0;
    if (keep_days < 0)
        return -EINVAL;
    snprintf(base, sizeof(base), "%s/" RETIRED_DIR, store_dir_of(st));
    d = opendir(base);
    if (!d)
        return errno == ENOENT ? 0 : ww_error(-EIO, "storage: '%s': %s", base, strerror(errno));
    while ((e = readdir(d))) {
        long long id;
        time_t day;
        if (!parse_retired(e->d_name, &id, &day))
            continue;
        /* retired at any time of its day: kept keep_days whole days at least */
        if ((long long)now - (long long)day < (keep_days + 1) * 86400LL)
            continue;
        if (remove_folder(dirfd(d), e->d_name) < 0) {
            ret = -EIO;
            continue;
        }
        purged++;
        ww_log(WW_LOG_INFO, "storage: retired metric files of device %lld deleted (%s)", id,
               e->d_name);
    }
    closedir(d);
    if (out_n)
        *out_n = purged;
    return ret;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* the largest id the retired folders name */
static long long retired_max(const struct store *st)
{
    char base[PATH_MAX];
    DIR *d;
    struct dirent *e;
    long long max = 0, id;
    time_t day;

    snprintf(base, sizeof(base), "%s/" RETIRED_DIR, store_dir_of(st));
    d = opendir(base);
    if (!d)
        return 0;
    while ((e = readdir(d)))
        if (parse_retired(e->d_name, &id, &day) && id > max)
            max = id;
    closedir(d);
    return max;
}

int store_device_dirs(struct store *st, long long **out_ids, size_t *out_n,
                      long long *out_max)
{
    DIR *d = opendir(store_dir_of(st));
    struct dirent *e;
    long long *ids = NULL, max;
    size_t n = 0, cap = 0;

    *out_ids = NULL;
    *out_n = 0;
    if (!d)
        return ww_error(-EIO, "storage: '%s': %s", store_dir_of(st), strerror(errno));
    max = retired_max(st);
    while ((e = readdir(d))) {
        const char *end;
        long long id;
        struct stat sb;
        if (!parse_id(e->d_name, &id, &end) || *end)
            continue;
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(sb.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            ids = ww_reallocarray(ids, cap, sizeof(*ids));
        }
        ids[n++] = id;
        if (id > max)
            max = id;
    }
    closedir(d);
    if (n)
        qsort(ids, n, sizeof(*ids), cmp_ll);
    *out_ids = ids;
    *out_n = n;
    if (out_max)
        *out_max = max;
    return 0;
}
