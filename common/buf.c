/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf.c - growable byte buffer with a hard cap; a failed append changes nothing. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void ww_buf_init(struct ww_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void ww_buf_release(struct ww_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ww_buf_reset(struct ww_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* make room for n more bytes plus the terminating NUL */
static int buf_grow(struct ww_buf *b, size_t n)
{
    size_t need, cap;

    if (n > b->max || b->len > b->max - n)
        return -E2BIG;
    need = b->len + n + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    b->data = ww_reallocarray(b->data, cap, 1);
    b->cap = cap;
    return 0;
}

int ww_buf_add(struct ww_buf *b, const void *data, size_t n)
{
    int ret = buf_grow(b, n);
    if (ret)
        return ret;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int ww_buf_addstr(struct ww_buf *b, const char *s)
{
    return ww_buf_add(b, s, strlen(s));
}

int ww_buf_addf(struct ww_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n, ret;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -EINVAL;
    ret = buf_grow(b, (size_t)n);
    if (ret)
        return ret;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *ww_buf_detach(struct ww_buf *b)
{
    char *p = b->data ? b->data : ww_strdup("");
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

int ww_buf_add_json_string(struct ww_buf *b, const char *s)
{
    size_t mark = b->len;
    int ret;

    const unsigned char *p = (const unsigned char *)s, *end;

    if (!s)
        return ww_buf_addstr(b, "null");
    end = p + strlen(s);
    ret = ww_buf_addstr(b, "\"");
    while (p < end && !ret) {
        size_t l;

        if (*p == '"' || *p == '\\')
            ret = ww_buf_addf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            ret = ww_buf_addf(b, "\\u%04x", *p);
        else if (*p < 0x80)
            ret = ww_buf_add(b, p, 1);
        else if ((l = ww_utf8_seq(p, (size_t)(end - p))) > 0) {
            ret = ww_buf_add(b, p, l);
            p += l;
            continue;
        } else /* a byte that is no UTF-8 (a device's text): U+FFFD, the JSON stays valid */
            ret = ww_buf_addstr(b, "\\ufffd");
        p++;
    }
    if (!ret)
        ret = ww_buf_addstr(b, "\"");
    if (ret) { /* all or nothing */
        b->len = mark;
        if (b->data)
            b->data[mark] = '\0';
    }
    return ret;
}
