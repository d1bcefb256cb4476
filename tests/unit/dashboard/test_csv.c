/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_csv.c - dash_csv_cell(): which cells a spreadsheet would run as a formula and so get
 * a leading apostrophe, including those hidden behind white space (ASCII or Unicode) and
 * the full-width signs; and which stay as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dashboard/dashboard_int.h"

static void test_formula_cells(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* the cell as written, not last in its row */
        const char *why;
    } cases[] = {
        {"=1+1", "\"'=1+1\",", "a plain formula"},
        {"\x85=1", "\"\x85=1\",", "a stray byte 0x85 is no NEL space (found by fuzz_csv)"},
        {"\xc0\xbd" "1", "\"\xc0\xbd" "1\",", "an overlong \\xc0\\xbd is not '=' (fuzz_csv)"},
        {" =1+1", "\"' =1+1\",", "a space before = : spreadsheets trim it and run the rest"},
        {"   @SUM(A1)", "\"'   @SUM(A1)\",", "several spaces before @"},
        {"\n=1", "\"'\n=1\",", "a line feed before ="},
        {"\r\n+1", "\"'\r\n+1\",", "CR LF before +"},
        {"\t", "\"'\t\",", "a lone tab, marked as before"},
        {"\v\f-1", "\"'\v\f-1\",", "vertical tab and form feed are white space too"},
        {"\xc2\xa0=1", "\"'\xc2\xa0=1\",", "a no-break space (U+00A0) before ="},
        {"\xe3\x80\x80=1", "\"'\xe3\x80\x80=1\",", "an ideographic space (U+3000) before ="},
        {"\xe2\x80\x83+1", "\"'\xe2\x80\x83+1\",", "an em space (U+2003) before +"},
        {"\xe2\x80\x8b=1", "\"'\xe2\x80\x8b=1\",", "a zero-width space (U+200B) before ="},
        {"\xef\xbb\xbf=1", "\"'\xef\xbb\xbf=1\",", "a byte-order mark (U+FEFF) before ="},
        {"\xef\xbc\x9d" "1+1", "\"'\xef\xbc\x9d" "1+1\",", "a full-width = (U+FF1D)"},
        {"\xef\xbc\x8b" "1", "\"'\xef\xbc\x8b" "1\",", "a full-width + (U+FF0B)"},
        {"\xef\xbc\x8d" "1", "\"'\xef\xbc\x8d" "1\",", "a full-width - (U+FF0D)"},
        {"\xef\xbc\xa0" "SUM(A1)", "\"'\xef\xbc\xa0" "SUM(A1)\",", "a full-width @ (U+FF20)"},
        {" \xef\xbc\x9d" "1", "\"' \xef\xbc\x9d" "1\",", "a space, then a full-width ="},
        {"a =1", "\"a =1\",", "a sign after text is no formula"},
        {" a", "\" a\",", "white space before text is no formula"},
        {"   ", "\"   \",", "only spaces: nothing to run"},
        {"\xc2\xa0", "\"\xc2\xa0\",", "only a no-break space"},
        {"M\xc3\xa1y in", "\"M\xc3\xa1y in\",", "Vietnamese text stays as it is"},
        {"\xef\xbc\xa1", "\"\xef\xbc\xa1\",", "a full-width A (U+FF21) is no sign"},
        {"\xe2\x80\x8c=1", "\"\xe2\x80\x8c=1\",", "a zero-width non-joiner is no space: text"},
        {"\xc2", "\"\xc2\",", "a cut UTF-8 sequence at the end is read safely"},
        {" \xe3\x80", "\" \xe3\x80\",", "a cut sequence after a space"},
    };

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct ww_buf b;

        ww_buf_init(&b, 1024);
        assert_int_equal(dash_csv_cell(&b, cases[i].in, false), 0);
        if (!b.data || strcmp(b.data, cases[i].out) != 0)
            fail_msg("case %zu (%s): got [%s], expected [%s]", i, cases[i].why,
                     b.data ? b.data : "", cases[i].out);
        ww_buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
