/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c - CSV exports. Every cell is quoted; a cell a spreadsheet would run as a formula
 * (the rule's owner: ww_formula_cell() in common/util.c, which the CSV import asks too)
 * gets a leading apostrophe, so a device named "=HYPERLINK(...)" stays text in Excel or
 * LibreOffice.
 */
#include "dashboard/dashboard_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

int dash_csv_cell(struct ww_buf *b, const char *s, bool last)
{
    size_t mark = b->len;
    int ret = ww_buf_addstr(b, "\"");

    if (ww_formula_cell(s))
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

/* the UTF-8 byte order mark: Excel reads a CSV as UTF-8 (Vietnamese letters) only with it */
#define CSV_BOM "\xEF\xBB\xBF"

void dash_reply_csv(struct dash_reply *out, struct ww_buf *b, const char *filename)
{
    char *disp = ww_asprintf("attachment; filename=\"%s\"", filename);
    size_t len = b->len;
    char *data = ww_buf_detach(b);

    /* every CSV the dashboard sends starts with the mark, whoever wrote the rows */
    if (len < 3 || memcmp(data ? data : "", CSV_BOM, 3) != 0) {
        char *with = ww_malloc(len + 4);
        memcpy(with, CSV_BOM, 3);
        if (len)
            memcpy(with + 3, data, len);
        with[len + 3] = '\0';
        free(data);
        data = with;
        len += 3;
    }

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
