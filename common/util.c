/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c - strict number parsing, UTF-8 checks, clocks, directories. */
#include "common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "banned.h"

int ww_parse_ll(const char *s, long long min, long long max, long long *out_value)
{
    char *end = NULL;
    long long v;

    if (!s || !*s)
        return -EINVAL;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno == ERANGE)
        return -ERANGE;
    if (end == s || *end != '\0')
        return -EINVAL;
    if (v < min || v > max)
        return -ERANGE;
    *out_value = v;
    return 0;
}

int ww_parse_day_list(const char *s, int *out, size_t max, size_t *out_n)
{
    size_t n = 0;

    *out_n = 0;
    if (!s)
        return -EINVAL;
    while (*s) {
        char num[8];
        size_t len = 0;
        long long v;

        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        while (s[len] && s[len] != ' ' && s[len] != ',')
            len++;
        if (len >= sizeof(num) || n == max)
            return -EINVAL;
        memcpy(num, s, len);
        num[len] = '\0';
        if (num[0] < '0' || num[0] > '9' || ww_parse_ll(num, 0, WW_DAY_LIST_MAX_DAYS, &v) < 0)
            return -EINVAL;
        for (size_t i = 0; i < n; i++)
            if (out[i] == (int)v)
                return -EINVAL;
        /* kept in descending order: the farthest warning first */
        size_t at = n;
        while (at > 0 && out[at - 1] < (int)v) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = (int)v;
        n++;
        s += len;
    }
    if (!n)
        return -EINVAL;
    *out_n = n;
    return 0;
}

int ww_parse_u64(const char *s, uint64_t *out_value)
{
    char *end = NULL;
    unsigned long long v;

    if (!s || *s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return -ERANGE;
    if (*end != '\0')
        return -EINVAL;
    *out_value = v;
    return 0;
}

/* length of the valid UTF-8 sequence at s (at most n bytes), or 0 when invalid */
size_t ww_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool ww_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t l = ww_utf8_seq(p + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

/* the longest n <= max at which @s (valid UTF-8) can be cut without splitting a character */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

void ww_utf8_copy(char *dst, const char *src, size_t size)
{
    size_t len = src ? strlen(src) : 0, n;
    char *clean;

    if (size == 0)
        return;
    /* cut first (invalid bytes may be cut away), clean, then cut the clean text again: a
     * replacement character is longer than the byte it replaces */
    n = utf8_cut(src ? src : "", len, size - 1);
    clean = ww_utf8_sanitize(src ? src : "", n);
    n = utf8_cut(clean, strlen(clean), size - 1);
    memcpy(dst, clean, n);
    dst[n] = '\0';
    free(clean);
}

char *ww_utf8_sanitize(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out;
    size_t i = 0, o = 0;

    if (n > (SIZE_MAX - 1) / 3)
        ww_die("ww_utf8_sanitize: size overflow");
    out = ww_malloc(n * 3 + 1); /* worst case: every byte becomes U+FFFD */
    while (i < n) {
        size_t l = ww_utf8_seq(p + i, n - i);
        if (!l) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        } else if (l == 1 && (p[i] < 0x20 || p[i] == 0x7f)) {
            out[o++] = p[i] == '\t' ? '\t' : ' ';
            i++;
        } else {
            memcpy(out + o, p + i, l);
            o += l;
            i += l;
        }
    }
    out[o] = '\0';
    return out;
}

int64_t ww_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *ww_time_iso(time_t t, char *buf, size_t size)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        ww_strlcpy(buf, "", size);
    return buf;
}

int ww_mkdir_p(const char *path, unsigned mode)
{
    char *tmp = ww_strdup(path);
    int ret = 0;

    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(tmp, mode) < 0 && errno != EEXIST) {
                ret = ww_error(-errno, "mkdir '%s': %s", tmp, strerror(errno));
                break;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    free(tmp);
    return ret;
}

const char *ww_url_redact(const char *url, char *buf, size_t size)
{
    size_t scheme, host;

    if (!url)
        return NULL;
    if (strncasecmp(url, "https://", 8) == 0)
        scheme = 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        scheme = 7;
    else
        return url; /* not a URL (e-mail addresses): shown as it is */
    host = strcspn(url + scheme, "/?#");
    /* user:password@ before the host is a credential too: drop it */
    {
        const char *at = memrchr(url + scheme, '@', host);
        size_t skip = at ? (size_t)(at + 1 - (url + scheme)) : 0;
        snprintf(buf, size, "%.*s%.*s%s", (int)scheme, url, (int)(host - skip),
                 url + scheme + skip, url[scheme + host] ? "/\u2026" : "");
    }
    return buf;
}

/*
 * glibc's regcomp() copies the tree under a repetition ("x+" is "xx*", "x{3}" is "xxx"), so
 * stacked or nested repetitions take memory exponential in their number: 34 '+' in a row
 * asked for gigabytes (found by fuzzing). A pattern is refused when the product of its
 * repetitions' copies (2 for '+', the larger bound of an interval) exceeds
 * WW_RE_COPIES_MAX, or when a repetition follows another (undefined in POSIX ERE). Every
 * shipped profile and rule stays under 20.
 */
bool ww_regex_costly(const char *s)
{
    unsigned long long copies = 1;
    bool after_repeat = false;

    for (; *s; s++) {
        unsigned long long n = 1;
        if (*s == '\\') {
            if (!*++s)
                break;
            after_repeat = false;
            continue;
        }
        if (*s == '[') { /* a bracket expression: ']' first is a member, not its end */
            s += s[1] == '^' ? 2 : 1;
            if (*s == ']')
                s++;
            while (*s && *s != ']')
                s++;
            if (!*s)
                break;
            after_repeat = false;
            continue;
        }
        if (*s != '+' && *s != '*' && *s != '?' && *s != '{') {
            after_repeat = false;
            continue;
        }
        if (after_repeat)
            return true;
        if (*s == '+')
            n = 2;
        if (*s == '{') { /* {n}, {n,}, {n,m}: the larger number */
            unsigned long long v = 0;
            n = 0;
            for (s++; *s && *s != '}'; s++) {
                if (*s >= '0' && *s <= '9') {
                    v = v * 10 + (unsigned)(*s - '0');
                    if (v > WW_RE_COPIES_MAX)
                        return true;
                } else {
                    v = 0;
                }
                n = v > n ? v : n;
            }
            if (!*s)
                break;
            n = n ? n : 1;
        }
        copies *= n;
        if (copies > WW_RE_COPIES_MAX)
            return true;
        after_repeat = true;
    }
    return false;
}

/* ---- the spreadsheet formula rule (CSV export marks such a cell, CSV import refuses it) --
 * A formula is a cell whose first character, after any white space, is = + - or @, or
 * their full-width forms (＝ ＋ － ＠, which spreadsheets with East Asian input take as the
 * ASCII ones); a cell starting with a tab or carriage return counts too. White space is
 * every Unicode space: spreadsheets trim it before they look. */

/* the code point of the UTF-8 sequence at @s into *out_cp; returns its length. A byte that
 * starts no valid sequence (a stray continuation byte, a cut or overlong form) is one
 * byte long and U+FFFD: no white space, no sign ("\x85" is not NEL, "\xc0\xbd" not '=') */
static size_t formula_utf8_next(const unsigned char *s, unsigned *out_cp)
{
    size_t n = s[0] >= 0xf8 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2
             : s[0] >= 0x80 ? 0 : 1;
    unsigned cp = n <= 1 ? s[0] : s[0] & (0x3fu >> (n - 1));

    if (n == 0) {
        *out_cp = 0xfffd;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *out_cp = 0xfffd;
            return 1;
        }
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) {
        *out_cp = 0xfffd;
        return 1;
    }
    *out_cp = cp;
    return n;
}

static bool unicode_space(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xa0 ||
           cp == 0x1680 || cp == 0x180e || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

static bool formula_sign(unsigned cp)
{
    return cp == '=' || cp == '+' || cp == '-' || cp == '@' || cp == 0xff1d || cp == 0xff0b ||
           cp == 0xff0d || cp == 0xff20;
}

bool ww_formula_cell(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned cp = 0;

    if (!s || !*s)
        return false;
    if (*p == '\t' || *p == '\r')
        return true;
    while (*p) {
        p += formula_utf8_next(p, &cp);
        if (!unicode_space(cp))
            return formula_sign(cp);
    }
    return false;
}

