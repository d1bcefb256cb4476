/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_csv.c - CSV export cells (dash_csv_row(), csv.c) from any text: the input is split
 * at 0x1f bytes into at most DASH_CSV_COLS_MAX cells (a NUL ends the text, as in a C
 * string) and written as one row. Properties, read back with an RFC 4180 reader: the row
 * is the same number of quoted cells ending in CRLF, each cell is the input's text with a
 * leading ' when a spreadsheet would run it as a formula, and no cell starts with a
 * formula sign. "A formula" is judged here by an oracle of its own, on bytes, apart from
 * csv.c's code-point decoder: a first byte tab or CR, or a sign (= + - @ or a full-width
 * ＝ ＋ － ＠) after any run of white space (ASCII, NBSP, U+0085, U+1680, U+180E,
 * U+2000-200B, U+2028/2029, U+202F, U+205F, U+3000, the BOM).
 */
#include "dashboard/dashboard_int.h"
#include "tests/fuzz/fuzz.h"

static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* the length of a white-space character's UTF-8 bytes at @p, 0 when it is none */
static size_t space_len(const unsigned char *p)
{
    static const char *const seqs[] = {
        "\xc2\xa0", "\xc2\x85", "\xe1\x9a\x80", "\xe1\xa0\x8e", "\xe2\x80\xa8",
        "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", "\xef\xbb\xbf"};
    if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        return 1;
    if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0x8b) /* U+2000-200B */
        return 3;
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
        if (strncmp((const char *)p, seqs[i], strlen(seqs[i])) == 0)
            return strlen(seqs[i]);
    return 0;
}

static bool is_formula(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    if (*p == '\t' || *p == '\r')
        return true;
    while ((n = space_len(p)))
        p += n;
    if (*p == '=' || *p == '+' || *p == '-' || *p == '@')
        return true;
    return p[0] == 0xef && p[1] == 0xbc && (p[2] == 0x9d || p[2] == 0x8b || p[2] == 0x8d) ? true
           : p[0] == 0xef && p[1] == 0xbc && p[2] == 0xa0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *cells[DASH_CSV_COLS_MAX];
    char *text = fuzz_cstr(data, size), *p = text;
    size_t n = 0, at = 0;
    struct ww_buf b;

    while (n < DASH_CSV_COLS_MAX) {
        char *sep = strchr(p, 0x1f);
        cells[n++] = p;
        if (!sep)
            break;
        *sep = '\0';
        p = sep + 1;
    }
    ww_buf_init(&b, 1024 * 1024);
    dash_csv_row(&b, cells, n);
    FUZZ_CHECK(b.len > 0 && b.data);
    /* read it back: "cell","cell"\r\n with "" for a quote */
    for (size_t i = 0; i < n; i++) {
        const char *want = cells[i];
        bool quoted_mark = is_formula(want);

        FUZZ_CHECK(at < b.len && b.data[at] == '"');
        at++;
        FUZZ_CHECK(!formula_start(b.data[at]) || b.data[at] == '"');
        if (quoted_mark) {
            FUZZ_CHECK(b.data[at] == '\'');
            at++;
        }
        for (const char *w = want; *w; w++) {
            FUZZ_CHECK(at < b.len && b.data[at] == *w);
            at++;
            if (*w == '"') {
                FUZZ_CHECK(at < b.len && b.data[at] == '"');
                at++;
            }
        }
        FUZZ_CHECK(at < b.len && b.data[at] == '"');
        at++;
        if (i + 1 < n) {
            FUZZ_CHECK(at < b.len && b.data[at] == ',');
            at++;
        }
    }
    FUZZ_CHECK(b.len - at == 2 && b.data[at] == '\r' && b.data[at + 1] == '\n');
    ww_buf_release(&b);
    free(text);
    return 0;
}
