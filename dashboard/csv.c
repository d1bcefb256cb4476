/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c - CSV exports. Every cell is quoted; a cell a spreadsheet would run as a formula
 * gets a leading apostrophe, so a device named "=HYPERLINK(...)" stays text in Excel or
 * LibreOffice. A formula is a cell whose first character, after any white space, is
 * = + - or @, or their full-width forms (＝ ＋ － ＠, which spreadsheets with East Asian
 * input take as the ASCII ones); a cell starting with a tab or carriage return is marked
 * too. White space is every Unicode space: spreadsheets trim it before they look.
 */
#include "dashboard/dashboard_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* the code point of the UTF-8 sequence at @s into *out_cp; returns its length. A byte that
 * starts no valid sequence (a stray continuation byte, a cut or overlong form) is one
 * byte long and U+FFFD: no white space, no sign ("\x85" is not NEL, "\xc0\xbd" not '=') */
static size_t utf8_next(const unsigned char *s, unsigned *out_cp)
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

static bool formula_cell(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned cp = 0;

    if (!s || !*s)
        return false;
    if (*p == '\t' || *p == '\r')
        return true;
    while (*p) {
        p += utf8_next(p, &cp);
        if (!unicode_space(cp))
            return formula_sign(cp);
    }
    return false;
}

int dash_csv_cell(struct ww_buf *b, const char *s, bool last)
{
    size_t mark = b->len;
    int ret = ww_buf_addstr(b, "\"");

    if (formula_cell(s))
        ret = ret ? ret : ww_buf_addstr(b, "'");
    for (const char *p = s; p && *p && !ret; p++)
        ret = *p == '"' ? ww_buf_addstr(b, "\"\"") : ww_buf_add(b, p, 1);
    if (!ret)
        ret = ww_buf_addstr(b, last ? "\"\r\n" : "\",");
    if (ret) { /* all or nothing */
        b->len = mark;
        if (b->data)
            b->data[mark] = '\0';
    }
    return ret;
}

void dash_csv_row(struct ww_buf *b, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dash_csv_cell(b, cells[i], i + 1 == n);
}

void dash_reply_csv(struct dash_reply *out, struct ww_buf *b, const char *filename)
{
    char *disp = ww_asprintf("attachment; filename=\"%s\"", filename);
    size_t len = b->len;
    char *data = ww_buf_detach(b);

    dash_reply_release(out);
    out->raw = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!out->raw) {
        free(data);
        free(disp);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    MHD_add_response_header(out->raw, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
    free(disp);
    out->content_type = "text/csv; charset=utf-8";
    out->status = MHD_HTTP_OK;
}
