/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_csv.c - CSV export cells (dash_csv_row(), csv.c) from any text: the input is split
 * at 0x1f bytes into at most DASH_CSV_COLS_MAX cells (a NUL ends the text, as in a C
 * string) and written as one row. Properties, read back with an RFC 4180 reader: the row
 * is the same number of quoted cells ending in CRLF, each cell is the input's text with a
 * leading ' when csv.c's rule says a spreadsheet would run it as a formula (first
 * character = + - @, tab or CR), and no cell starts with one of those.
 *
 * The rule checked is csv.c's as it stands; other formula starts (a leading space before
 * a sign, full-width ＝＋－＠) are a separate change to csv.c, after which this check grows
 * with it.
 */
#include "dashboard/dashboard_int.h"
#include "tests/fuzz/fuzz.h"

static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
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
        bool quoted_mark = formula_start(want[0]);

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
