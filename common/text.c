/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * text.c - names compared the way people see them (ww_name_key): ICU's NFKC_Casefold, so
 * "Máy in tầng 2" typed with precomposed or combining marks, in any case, is one name.
 * ww_name_fold() is the looser key a name from elsewhere is matched by (no diacritics, one
 * space). ICU's types stay in this file.
 */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "common/banned.h"

#define NAME_KEY_IN_MAX (64 * 1024) /* longer text is compared by its first 64 KiB */

/* the ASCII fallback when ICU fails (it does not, short of a broken install) */
static char *ascii_key(const char *s, size_t n)
{
    char *k;

    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    k = ww_utf8_sanitize(s, n);
    for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return k;
}

/* @u (@n units) as a heap UTF-8 string, NULL when ICU fails (*err says why) */
static char *utf16_to_8(const UChar *u, int32_t n, UErrorCode *err)
{
    int32_t n8 = 0;
    char *s;

    u_strToUTF8(NULL, 0, &n8, u, n, err);
    if (*err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(*err))
        return NULL;
    *err = U_ZERO_ERROR;
    s = ww_malloc((size_t)n8 + 1);
    u_strToUTF8(s, n8 + 1, NULL, u, n, err);
    if (U_FAILURE(*err)) {
        free(s);
        return NULL;
    }
    return s;
}

char *ww_name_key(const char *s)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&err);
    size_t len = s ? strnlen(s, NAME_KEY_IN_MAX) : 0;
    UChar *in = NULL, *out = NULL;
    int32_t n16 = 0, first = 0, last, m16;
    char *key = NULL;

    if (U_FAILURE(err))
        goto fallback;
    in = ww_calloc(len + 1, sizeof(*in)); /* UTF-16 units never outnumber UTF-8 bytes */
    u_strFromUTF8WithSub(in, (int32_t)len + 1, &n16, s ? s : "", (int32_t)len, 0xfffd, NULL,
                         &err);
    if (U_FAILURE(err))
        goto fallback;
    /* surrounding white space (also no-break and ideographic spaces) is not part of a name */
    last = n16;
    while (first < last && u_isUWhiteSpace(in[first]))
        first++;
    while (last > first && u_isUWhiteSpace(in[last - 1]))
        last--;
    m16 = unorm2_normalize(nf, in + first, last - first, NULL, 0, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        goto fallback;
    err = U_ZERO_ERROR;
    out = ww_calloc((size_t)m16 + 1, sizeof(*out));
    unorm2_normalize(nf, in + first, last - first, out, m16 + 1, &err);
    if (U_FAILURE(err))
        goto fallback;
    if (!(key = utf16_to_8(out, m16, &err)))
        goto fallback;
    free(in);
    free(out);
    return key;
fallback:
    ww_log(WW_LOG_WARN, "common: name key: ICU: %s", u_errorName(err));
    free(in);
    free(out);
    return ascii_key(s ? s : "", len);
}

bool ww_name_same(const char *a, const char *b)
{
    char *ka = ww_name_key(a), *kb = ww_name_key(b);
    bool same = strcmp(ka, kb) == 0;

    free(ka);
    free(kb);
    return same;
}

char *ww_name_fold(const char *s)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    char *key = ww_name_key(s), *out8 = NULL;
    UChar *in = NULL, *dec = NULL;
    int32_t n16 = 0, m16, j = 0;
    size_t len = strlen(key);
    bool space = false;

    if (U_FAILURE(err))
        goto fallback;
    in = ww_calloc(len + 1, sizeof(*in));
    u_strFromUTF8WithSub(in, (int32_t)len + 1, &n16, key, (int32_t)len, 0xfffd, NULL, &err);
    if (U_FAILURE(err))
        goto fallback;
    m16 = unorm2_normalize(nfd, in, n16, NULL, 0, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        goto fallback;
    err = U_ZERO_ERROR;
    dec = ww_calloc((size_t)m16 + 1, sizeof(*dec));
    unorm2_normalize(nfd, in, n16, dec, m16 + 1, &err);
    if (U_FAILURE(err))
        goto fallback;
    for (int32_t i = 0; i < m16; i++) {
        UChar ch = dec[i];
        if (u_charType(ch) == U_NON_SPACING_MARK)
            continue; /* the diacritics NFD split off */
        if (u_isUWhiteSpace(ch)) {
            space = true;
            continue;
        }
        if (space && j > 0)
            dec[j++] = ' ';
        space = false;
        dec[j++] = ch == 0x0111 ? 'd' : ch; /* đ has no decomposition (casefold made Đ đ) */
    }
    if (!(out8 = utf16_to_8(dec, j, &err)))
        goto fallback;
    free(in);
    free(dec);
    free(key);
    return out8;
fallback:
    ww_log(WW_LOG_WARN, "common: name fold: ICU: %s", u_errorName(err));
    free(in);
    free(dec);
    return key; /* the stricter key: a match still needs a person's confirmation */
}
