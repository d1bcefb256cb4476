/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cached.c - a small rrdcached client for one thing librrd's lacks: many UPDATE commands in
 * one BATCH block (one write, one answer) instead of one round trip each.
 *
 * Protocol (rrdcached(1), BATCH): "BATCH" -> "0 Go ahead..."; then the commands, then "."
 * on its own line -> "<N> errors" followed by N lines "<command number> <message>".
 * Paths are built by storage.c from the data dir, numeric ids and checked metric names;
 * store_batch_add() still refuses anything with a space or a line break, which would split
 * a command.
 */
#include "storage/storage_int.h"

#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/banned.h"

#define BATCH_MAX (16u << 20) /* bytes queued before a send is due */
#define IO_MS 10000           /* the longest rrdcached may take to read or answer */

void store_batch_init(struct store_batch *b, const char *daemon)
{
    memset(b, 0, sizeof(*b));
    b->fd = -1;
    ww_buf_init(&b->lines, BATCH_MAX);
    if (daemon && strncmp(daemon, "unix:", 5) == 0)
        b->sock_path = ww_strdup(daemon + 5);
    else if (daemon && daemon[0] == '/')
        b->sock_path = ww_strdup(daemon);
}

static void batch_close(struct store_batch *b)
{
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
}

void store_batch_release(struct store_batch *b)
{
    batch_close(b);
    ww_buf_release(&b->lines);
    free(b->sock_path);
    b->sock_path = NULL;
}

int store_batch_add(struct store_batch *b, const char *path, const char *sample)
{
    size_t len = b->lines.len;

    if (strpbrk(path, " \n\r") || strpbrk(sample, " \n\r"))
        return -EINVAL;
    if (ww_buf_addstr(&b->lines, "UPDATE ") < 0 || ww_buf_addstr(&b->lines, path) < 0 ||
        ww_buf_addstr(&b->lines, " ") < 0 || ww_buf_addstr(&b->lines, sample) < 0 ||
        ww_buf_addstr(&b->lines, "\n") < 0) {
        b->lines.len = len; /* the block stays as it was */
        if (b->lines.data)
            b->lines.data[len] = '\0';
        return -E2BIG;
    }
    b->n++;
    return 0;
}

static int batch_connect(struct store_batch *b)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (b->fd >= 0)
        return 0;
    if (ww_strlcpy(sa.sun_path, b->sock_path, sizeof(sa.sun_path)) >= sizeof(sa.sun_path))
        return ww_error(-EINVAL, "storage: rrdcached socket path '%s' is too long",
                        b->sock_path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ww_error(-EAGAIN, "storage: socket: %s", strerror(errno));
    {
        /* a stuck daemon must not hang the writer: every read and write has a time limit */
        struct timeval tv = {.tv_sec = IO_MS / 1000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        ww_complain(&b->complain, WW_LOG_ERR, "storage: rrdcached '%s': cannot connect: %s",
                    b->sock_path, strerror(errno));
        close(fd);
        return -EAGAIN;
    }
    ww_complain_release(&b->complain, "storage: rrdcached '%s': connected again", b->sock_path);
    b->fd = fd;
    return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = send(fd, data, len, MSG_NOSIGNAL);
        if (w < 0 && (errno == EINTR))
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return -ETIMEDOUT; /* SO_SNDTIMEO passed */
        if (w <= 0)
            return -EIO;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* one answer line into @line (cut to its size); reads byte by byte: answers are short */
static int read_line(int fd, char *line, size_t size)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = recv(fd, &c, 1, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return -ETIMEDOUT; /* SO_RCVTIMEO passed */
        if (r <= 0)
            return -EIO;
        if (c == '\n')
            break;
        if (n + 1 < size)
            line[n++] = c;
    }
    line[n] = '\0';
    return 0;
}

/* the status number that starts an answer line; -1 for a negative or malformed one */
static long long answer_status(const char *line)
{
    char num[24];
    size_t n = strspn(line, "0123456789-");
    long long v;
    if (n == 0 || n >= sizeof(num))
        return -1;
    memcpy(num, line, n);
    num[n] = '\0';
    return ww_parse_ll(num, 0, 1LL << 40, &v) == 0 ? v : -1;
}

int store_batch_send(struct store_batch *b)
{
    char line[512];
    long long errors;
    int ret;

    if (!b->n)
        return 0;
    ret = batch_connect(b);
    if (ret < 0)
        goto out;
    ret = write_all(b->fd, "BATCH\n", 6);
    if (ret == 0)
        ret = read_line(b->fd, line, sizeof(line));
    if (ret == 0 && answer_status(line) != 0)
        ret = -EIO;
    if (ret == 0)
        ret = write_all(b->fd, b->lines.data, b->lines.len);
    if (ret == 0)
        ret = write_all(b->fd, ".\n", 2);
    if (ret == 0)
        ret = read_line(b->fd, line, sizeof(line));
    if (ret < 0) {
        ww_complain(&b->complain, WW_LOG_ERR, "storage: rrdcached '%s': batch of %zu updates "
                    "lost: %s", b->sock_path, b->n, strerror(-ret));
        batch_close(b);
        ret = -EAGAIN;
        goto out;
    }
    errors = answer_status(line);
    if (errors < 0) {
        ww_log(WW_LOG_WARN, "storage: rrdcached '%s': unexpected answer to a batch: '%.80s'",
               b->sock_path, line);
        batch_close(b);
        ret = -EIO;
        goto out;
    }
    b->sent += b->n;
    for (long long i = 0; i < errors; i++) {
        if (read_line(b->fd, line, sizeof(line)) < 0) {
            batch_close(b);
            break;
        }
        if (i < 3) /* "<command number> <message>": names a file of ours, never a secret */
            ww_log(WW_LOG_WARN, "storage: rrdcached refused update %.200s", line);
    }
    b->refused += (unsigned long long)errors;
    ret = errors ? -EIO : 0;
out:
    ww_buf_reset(&b->lines);
    b->n = 0;
    return ret;
}
