/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * static.c - the UI files under the www folder. A path is served only when it passes a
 * strict whitelist on the raw (never percent-decoded) request path, and the file is opened
 * segment by segment relative to the www folder's fd with O_NOFOLLOW, so neither "..",
 * encodings nor symlinks can lead outside it. Only regular files with a known extension.
 * Text files go gzip-compressed to a browser that accepts it (a ward office's link is slow;
 * the first page is about a quarter of its size then), with "Vary: Accept-Encoding".
 * Each answer carries an ETag made of the file's inode, size and modification time (and
 * "-gz" for the compressed form), so a browser's revalidation ("no-cache") of an unchanged
 * file costs a 304 without a body, not the file again. Compressed forms are kept in a small
 * cache by the same key, so an unchanged file is compressed once, not at every request; an
 * edited file has a new key and is compressed anew.
 */
#include "dashboard/dashboard_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/banned.h"

#define STATIC_GZIP_MAX (8u << 20) /* larger text files go as they are */
#define STATIC_GZ_CACHE 64         /* compressed files kept (the www folder has ~20) */

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

/* ---- compressed forms, kept by file identity --------------------------------------------- */

struct gz_key {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

static struct {
    pthread_mutex_t lock;
    struct {
        struct gz_key key;
        void *z; /* NULL: free slot */
        size_t len;
    } e[STATIC_GZ_CACHE];
    size_t next; /* the slot a new entry takes (round robin) */
} gz_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *bytes_dup(const void *p, size_t n)
{
    void *d = ww_malloc(n ? n : 1);
    memcpy(d, p, n);
    return d;
}

static struct gz_key key_of(const struct stat *st)
{
    struct gz_key k = {st->st_dev, st->st_ino, st->st_size, st->st_mtim};
    return k;
}

static bool key_eq(const struct gz_key *a, const struct gz_key *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* the compressed form of @fd (identity @st): a copy from the cache, or compressed now and
 * kept. *out is the caller's (free()). false when it cannot be compressed. */
static bool gzip_cached(int fd, const struct stat *st, void **out, size_t *out_len)
{
    struct gz_key k = key_of(st);
    void *z = NULL;
    size_t len = 0;

    pthread_mutex_lock(&gz_cache.lock);
    for (size_t i = 0; i < STATIC_GZ_CACHE; i++)
        if (gz_cache.e[i].z && key_eq(&gz_cache.e[i].key, &k)) {
            *out = bytes_dup(gz_cache.e[i].z, gz_cache.e[i].len);
            *out_len = gz_cache.e[i].len;
            pthread_mutex_unlock(&gz_cache.lock);
            return true;
        }
    pthread_mutex_unlock(&gz_cache.lock);
    /* compressed outside the lock: two first requests may both compress; one copy is kept */
    if (!gzip_fd(fd, (size_t)st->st_size, &z, &len))
        return false;
    pthread_mutex_lock(&gz_cache.lock);
    size_t slot = gz_cache.next;
    gz_cache.next = (gz_cache.next + 1) % STATIC_GZ_CACHE;
    free(gz_cache.e[slot].z);
    gz_cache.e[slot].key = k;
    gz_cache.e[slot].z = bytes_dup(z, len);
    gz_cache.e[slot].len = len;
    pthread_mutex_unlock(&gz_cache.lock);
    *out = z;
    *out_len = len;
    return true;
}

void dash_static_cache_clear(void)
{
    pthread_mutex_lock(&gz_cache.lock);
    for (size_t i = 0; i < STATIC_GZ_CACHE; i++) {
        free(gz_cache.e[i].z);
        gz_cache.e[i].z = NULL;
    }
    gz_cache.next = 0;
    pthread_mutex_unlock(&gz_cache.lock);
}

/* ---- validators ------------------------------------------------------------------------- */

void dash_static_etag(const struct stat *st, bool gz, char *out, size_t outsz)
{
    snprintf(out, outsz, "\"%llx-%llx-%llx.%lx%s\"", (unsigned long long)st->st_ino,
             (unsigned long long)st->st_size, (unsigned long long)st->st_mtim.tv_sec,
             (unsigned long)st->st_mtim.tv_nsec, gz ? "-gz" : "");
}

bool dash_etag_matches(const char *if_none_match, const char *etag)
{
    size_t elen = strlen(etag);
    const char *p = if_none_match;

    if (!p)
        return false;
    while (*p) {
        size_t n;
        p += strspn(p, " \t,");
        if (strncmp(p, "W/", 2) == 0) /* a weak comparison is what If-None-Match asks */
            p += 2;
        n = strcspn(p, " \t,");
        if ((n == 1 && *p == '*') || (n == elen && memcmp(p, etag, n) == 0))
            return true;
        p += n;
    }
    return false;
}

/* a 304 for a representation the browser already holds: no body, its validator */
static void not_modified(struct dash_reply *out, const char *etag, const char *type)
{
    out->raw = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!out->raw) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    MHD_add_response_header(out->raw, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(out->raw, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    out->status = MHD_HTTP_NOT_MODIFIED;
    out->content_type = type;
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
    bool text = static_types[type_index(path)].text;
    bool gz = text && (uint64_t)st.st_size <= STATIC_GZIP_MAX &&
              dash_accepts_gzip(MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                            MHD_HTTP_HEADER_ACCEPT_ENCODING));
    char etag[96];
    dash_static_etag(&st, gz, etag, sizeof(etag));
    if (dash_etag_matches(MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_IF_NONE_MATCH),
                          etag)) {
        close(fd);
        not_modified(out, etag, type);
        return;
    }
    if (gz) {
        void *z = NULL;
        size_t zlen = 0;
        if (gzip_cached(fd, &st, &z, &zlen)) {
            close(fd);
            out->raw = MHD_create_response_from_buffer(zlen, z, MHD_RESPMEM_MUST_FREE);
            if (!out->raw) {
                free(z);
                dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
                return;
            }
            MHD_add_response_header(out->raw, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
            MHD_add_response_header(out->raw, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
            MHD_add_response_header(out->raw, MHD_HTTP_HEADER_ETAG, etag);
            out->status = MHD_HTTP_OK;
            out->content_type = type;
            return;
        }
        /* not compressible now: the file as it is, with its own validator */
        dash_static_etag(&st, false, etag, sizeof(etag));
    }
    /* libmicrohttpd owns (and closes) fd from here when this succeeds */
    out->raw = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!out->raw) {
        close(fd);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    if (text)
        MHD_add_response_header(out->raw, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(out->raw, MHD_HTTP_HEADER_ETAG, etag);
    out->status = MHD_HTTP_OK;
    out->content_type = type;
    return;
not_found:
    dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
}
