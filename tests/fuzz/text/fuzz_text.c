/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_text.c - the text a device (or a request) sends, made safe to show and store: any
 * bytes through ww_utf8_sanitize(), ww_utf8_copy() (into 1..64-byte fields),
 * ww_utf8_valid(), coll_os_name() of a sysDescr, ww_name_key() (ICU NFKC_Casefold),
 * dash_json_text(), ww_buf_add_json_string() and dash_prom_label(). Properties: what
 * comes out is valid UTF-8 without control characters (tab allowed) where the contract
 * says so; valid text in a JSON string reads back the same; valid text without controls goes through ww_utf8_sanitize() unchanged; an OS
 * name is one line of valid UTF-8 and not much longer than OS_NAME_MAX (120); a
 * Prometheus label value has no bare quote or line break.
 */
#include <jansson.h>

#include "collector/collector.h"
#include "common/common.h"
#include "dashboard/dashboard_int.h"
#include "tests/fuzz/fuzz.h"

static bool clean_utf8(const char *s)
{
    if (!ww_utf8_valid(s, strlen(s)))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *raw = (const char *)data;
    char *s = fuzz_cstr(data, size), *t, field[64];
    size_t len = strlen(s);
    bool valid = ww_utf8_valid(raw, size);
    struct ww_buf b;
    json_t *j;

    t = ww_utf8_sanitize(raw, size);
    FUZZ_CHECK(clean_utf8(t));
    if (valid && clean_utf8(s) && len == size)
        FUZZ_CHECK(strcmp(t, s) == 0);
    free(t);

    for (size_t n = 1; n <= sizeof(field); n += 7) {
        ww_utf8_copy(field, s, n);
        FUZZ_CHECK(strlen(field) < n && clean_utf8(field));
    }

    t = coll_os_name(s);
    if (t) {
        FUZZ_CHECK(*t && !strchr(t, '\n') && strlen(t) <= 120 + 80);
        if (ww_utf8_valid(s, len))
            FUZZ_CHECK(ww_utf8_valid(t, strlen(t)));
        free(t);
    }

    t = ww_name_key(s);
    FUZZ_CHECK(t && ww_utf8_valid(t, strlen(t)));
    free(t);
    FUZZ_CHECK(ww_name_same(s, s));

    j = dash_json_text(s);
    FUZZ_CHECK(json_is_string(j));
    t = json_dumps(j, JSON_ENCODE_ANY);
    FUZZ_CHECK(t);
    free(t);
    json_decref(j);

    ww_buf_init(&b, 1024 * 1024);
    FUZZ_CHECK(ww_buf_add_json_string(&b, s) == 0);
    if (ww_utf8_valid(s, len)) { /* its contract: UTF-8 in, the same text back */
        j = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
        FUZZ_CHECK(json_is_string(j) && strcmp(json_string_value(j), s) == 0);
        json_decref(j);
    }
    ww_buf_reset(&b);
    FUZZ_CHECK(dash_prom_label(&b, s) == 0);
    FUZZ_CHECK(ww_utf8_valid(b.data, b.len) && !memchr(b.data, '\n', b.len));
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] == '\\')
            i++; /* an escape and what it escapes */
        else
            FUZZ_CHECK(b.data[i] != '"');
    ww_buf_release(&b);
    free(s);
    return 0;
}
