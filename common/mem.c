/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mem.c - allocation that aborts on failure, overflow-checked sizes, bounded copies. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void *ww_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ww_die("out of memory allocating %zu bytes", n);
    return p;
}

void *ww_calloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        ww_die("out of memory allocating %zu x %zu bytes", nmemb, size);
    return p;
}

void *ww_reallocarray(void *p, size_t nmemb, size_t size)
{
    size_t n;
    void *q;

    if (__builtin_mul_overflow(nmemb, size, &n))
        ww_die("size overflow: %zu x %zu", nmemb, size);
    q = realloc(p, n ? n : 1);
    if (!q)
        ww_die("out of memory allocating %zu bytes", n);
    return q;
}

void *ww_grow_zeroed(void *p, size_t *len, size_t index, size_t size)
{
    size_t n = *len ? *len : 1024;

    if (index < *len)
        return p;
    while (n <= index) {
        if (n > SIZE_MAX / 2)
            ww_die("table index %zu too large", index);
        n *= 2;
    }
    p = ww_reallocarray(p, n, size);
    memset((char *)p + *len * size, 0, (n - *len) * size);
    *len = n;
    return p;
}

char *ww_strdup(const char *s)
{
    return ww_strndup(s, strlen(s));
}

char *ww_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = ww_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *ww_asprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        ww_die("ww_asprintf: bad format '%s'", fmt);
    p = ww_malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t ww_strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
