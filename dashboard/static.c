/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * static.c - the UI files under the www folder. A path is served only when it passes a
 * strict whitelist on the raw (never percent-decoded) request path, and the file is opened
 * segment by segment relative to the www folder's fd with O_NOFOLLOW, so neither "..",
 * encodings nor symlinks can lead outside it. Only regular files with a known extension.
 * Text files go gzip-compressed to a browser that accepts it (a ward office's link is slow;
 * the first page is about a quarter of its size then), with "Vary: Accept-Encoding".
 */
#include "dashboard/dashboard_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/banned.h"

#define STATIC_GZIP_MAX (8u << 20) /* larger text files go as they are */

static const struct {
    const char *ext;
    const char *type;
    bool text; /* worth compressing */
} static_types[] = {
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json; charset=utf-8", true},
    {".svg", "image/svg+xml", true},
    {".png", "image/png", false},
    {".ico", "image/x-icon", false},
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

static int type_index(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');

    for (size_t i = 0; dot && i < WW_ARRAY_SIZE(static_types); i++)
        if (strcmp(dot, static_types[i].ext) == 0)
            return (int)i;
    return -1;
}

const char *dash_static_type(const char *path)
{
    int i = type_index(path);
    return i < 0 ? NULL : static_types[i].type;
}

bool dash_accepts_gzip(const char *accept_encoding)
{
    const char *p = accept_encoding;

    /* "gzip" as a token of the list, unless its q is 0 ("gzip;q=0", "gzip; q=0.000") */
    while (p && *p) {
        size_t n;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        n = strcspn(p, ",;");
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) || (n == 1 && *p == '*')) {
            const char *q = p + strcspn(p, ",;"), *v;
            if (*q != ';')
                return true;
            v = strstr(q, "q=");
            if (!v || (v - q) > 8 || v > q + strcspn(q, ","))
                return true;
            v += 2;
            if (*v == '1')
                return true;
            for (v++, v += (*v == '.'); *v >= '0' && *v <= '9'; v++)
                if (*v != '0')
                    return true;
            return false;
        }
        p += strcspn(p, ",");
    }
    return false;
}

/* @fd's @size bytes gzip-compressed into a new buffer (*out, *out_len); false on failure */
static bool gzip_fd(int fd, size_t size, void **out, size_t *out_len)
{
    unsigned char *in = malloc(size ? size : 1), *z = NULL;
    size_t got = 0, cap;
    z_stream s;
    bool ok = false;

    if (!in)
        return false;
    while (got < size) {
        ssize_t r = pread(fd, in + got, size - got, (off_t)got);
        if (r <= 0)
            goto out;
        got += (size_t)r;
    }
    memset(&s, 0, sizeof(s));
    if (deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        goto out;
    cap = deflateBound(&s, (uLong)size);
    z = malloc(cap);
    if (z) {
        s.next_in = in;
        s.avail_in = (uInt)size;
        s.next_out = z;
        s.avail_out = (uInt)cap;
        ok = deflate(&s, Z_FINISH) == Z_STREAM_END;
        *out_len = cap - s.avail_out;
    }
    deflateEnd(&s);
out:
    free(in);
    if (!ok) {
        free(z);
        return false;
    }
    *out = z;
    return true;
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
    out->ui_file = true;
    if (static_types[type_index(path)].text) {
        void *z = NULL;
        size_t zlen = 0;
        if ((uint64_t)st.st_size <= STATIC_GZIP_MAX &&
            dash_accepts_gzip(MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                          MHD_HTTP_HEADER_ACCEPT_ENCODING)) &&
            gzip_fd(fd, (size_t)st.st_size, &z, &zlen)) {
            close(fd);
            out->raw = MHD_create_response_from_buffer(zlen, z, MHD_RESPMEM_MUST_FREE);
            if (!out->raw) {
                free(z);
                dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
                return;
            }
            MHD_add_response_header(out->raw, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
            MHD_add_response_header(out->raw, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
            out->status = MHD_HTTP_OK;
            out->content_type = type;
            return;
        }
    }
    /* libmicrohttpd owns (and closes) fd from here when this succeeds */
    out->raw = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (out->raw && static_types[type_index(path)].text)
        MHD_add_response_header(out->raw, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
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
