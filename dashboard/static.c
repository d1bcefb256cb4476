/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * static.c - the UI files under the www folder. A path is served only when it passes a
 * strict whitelist on the raw (never percent-decoded) request path, and the file is opened
 * segment by segment relative to the www folder's fd with O_NOFOLLOW, so neither "..",
 * encodings nor symlinks can lead outside it. Only regular files with a known extension.
 */
#include "dashboard/dashboard_int.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/banned.h"

static const struct {
    const char *ext;
    const char *type;
} static_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
};

static bool seg_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool dash_static_path_ok(const char *path, size_t len)
{
    bool seg_start = true;

    if (!path || len < 2 || len > DASH_STATIC_PATH_MAX || path[0] != '/')
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = path[i];

        if (c == '/') {
            if (seg_start) /* "//" */
                return false;
            seg_start = true;
            continue;
        }
        if (!seg_char_ok(c) || (seg_start && c == '.'))
            return false;
        seg_start = false;
    }
    return !seg_start; /* no empty last segment ("/dir/") */
}

const char *dash_static_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');

    if (!dot)
        return NULL;
    for (size_t i = 0; i < WW_ARRAY_SIZE(static_types); i++)
        if (strcmp(dot, static_types[i].ext) == 0)
            return static_types[i].type;
    return NULL;
}

/*
 * open_beneath() - open the regular file @rel ("a/b/c.js", already whitelisted) under
 * @dirfd: each directory with O_DIRECTORY|O_NOFOLLOW, the file with O_NOFOLLOW|O_NONBLOCK
 * (a FIFO must not block the worker). Returns an fd or -1.
 */
static int open_beneath(int dirfd, const char *rel, struct stat *out_st)
{
    char seg[DASH_STATIC_PATH_MAX + 1];
    int cur = dirfd, fd = -1;
    const char *p = rel;

    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);

        if (n >= sizeof(seg))
            goto out;
        memcpy(seg, p, n);
        seg[n] = '\0';
        if (!slash) {
            fd = openat(cur, seg, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
            break;
        }
        int next = openat(cur, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (cur != dirfd)
            close(cur);
        cur = next;
        if (cur < 0)
            goto out;
        p = slash + 1;
    }
    if (fd >= 0 && (fstat(fd, out_st) < 0 || !S_ISREG(out_st->st_mode))) {
        close(fd);
        fd = -1;
    }
out:
    if (cur >= 0 && cur != dirfd)
        close(cur);
    return fd;
}

void dash_static_serve(struct dash_req *req, struct dash_reply *out)
{
    const char *path = strcmp(req->path, "/") == 0 ? "/index.html" : req->path;
    const char *type;
    struct stat st;
    int fd = -1;

    if (!dash_static_path_ok(path, strlen(path)) || !(type = dash_static_type(path)))
        goto not_found;
    fd = open_beneath(req->srv->www_fd, path + 1, &st);
    if (fd < 0)
        goto not_found;
    /* libmicrohttpd owns (and closes) fd from here when this succeeds */
    out->raw = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    out->ui_file = true;
    if (!out->raw) {
        close(fd);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    out->status = MHD_HTTP_OK;
    out->content_type = type;
    return;
not_found:
    dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
}
