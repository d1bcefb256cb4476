/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * i18n.c - the words people read, from the UI's catalogues (www/i18n/vi.json and en.json):
 * the server renders error reasons, event texts, CSV headers and alert e-mails from the same
 * files the browser uses, so a text exists once per language and nowhere in C.
 *
 * A catalogue is loaded once and never changed afterwards; jansson objects are only read
 * after that (json_object_get touches no reference count), so any thread may look words up.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "banned.h"

#define I18N_FILE_MAX (4u << 20)
#define PARAM_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"

static const char *const lang_names[WW_LANG_COUNT] = {[WW_LANG_VI] = "vi", [WW_LANG_EN] = "en"};

struct ww_i18n {
    json_t *words[WW_LANG_COUNT]; /* each a flat object: key -> non-empty string */
};

enum ww_lang ww_lang_parse(const char *name)
{
    for (int i = 0; i < WW_LANG_COUNT; i++)
        if (name && strcmp(name, lang_names[i]) == 0)
            return (enum ww_lang)i;
    return WW_LANG_VI; /* the default language of the product */
}

const char *ww_lang_name(enum ww_lang lang)
{
    return (unsigned)lang < WW_LANG_COUNT ? lang_names[lang] : lang_names[WW_LANG_VI];
}

static int load_one(const char *dir, enum ww_lang lang, json_t **out)
{
    char path[4096];
    json_error_t jerr;
    const char *key;
    json_t *j, *v;

    if (snprintf(path, sizeof(path), "%s/%s.json", dir, lang_names[lang]) >= (int)sizeof(path))
        return ww_error(-ENAMETOOLONG, "i18n: folder name too long");
    j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!j)
        return ww_error(jerr.line < 0 ? -ENOENT : -EINVAL, "i18n '%s': line %d: %s", path,
                        jerr.line, jerr.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return ww_error(-EINVAL, "i18n '%s': not a JSON object", path);
    }
    json_object_foreach(j, key, v) {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            json_string_length(v) > I18N_FILE_MAX) {
            json_decref(j);
            return ww_error(-EINVAL, "i18n '%s': '%.60s' is not a non-empty string", path, key);
        }
    }
    *out = j;
    return 0;
}

int ww_i18n_load(const char *dir, struct ww_i18n **out_cat)
{
    struct ww_i18n *c = ww_calloc(1, sizeof(*c));
    int ret = 0;

    for (int i = 0; i < WW_LANG_COUNT && ret == 0; i++)
        ret = load_one(dir, (enum ww_lang)i, &c->words[i]);
    if (ret < 0) {
        ww_i18n_free(c);
        return ret;
    }
    *out_cat = c;
    return 0;
}

void ww_i18n_free(struct ww_i18n *c)
{
    if (!c)
        return;
    for (int i = 0; i < WW_LANG_COUNT; i++)
        json_decref(c->words[i]);
    free(c);
}

const char *ww_i18n_text(const struct ww_i18n *c, enum ww_lang lang, const char *key)
{
    json_t *v;

    if (!c || !key || (unsigned)lang >= WW_LANG_COUNT)
        return NULL;
    v = json_object_get(c->words[lang], key);
    return v ? json_string_value(v) : NULL;
}

bool ww_i18n_has(const struct ww_i18n *c, const char *key)
{
    for (int i = 0; i < WW_LANG_COUNT; i++)
        if (!ww_i18n_text(c, (enum ww_lang)i, key))
            return false;
    return true;
}

/* the value of {name} among @params; NULL when not given */
static const char *param_value(const struct ww_param *params, size_t n, const char *name,
                               size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (params[i].name && strlen(params[i].name) == len &&
            memcmp(params[i].name, name, len) == 0)
            return params[i].value ? params[i].value : "";
    return NULL;
}

int ww_i18n_format(const struct ww_i18n *c, enum ww_lang lang, const char *key,
                   const struct ww_param *params, size_t n, struct ww_buf *out)
{
    const char *s = ww_i18n_text(c, lang, key), *p;
    size_t start = out->len;
    int ret = 0;

    if (!s)
        s = key; /* a missing word shows as its key: visible, and the i18n test catches it */
    for (p = s; *p && ret == 0;) {
        const char *close = p[0] == '{' ? strchr(p + 1, '}') : NULL, *v = NULL;
        size_t len = close ? (size_t)(close - p - 1) : 0;

        if (close && len > 0 && len < 32 && strspn(p + 1, PARAM_CHARS) >= len)
            v = param_value(params, n, p + 1, len);
        if (v) {
            ret = ww_buf_addstr(out, v);
            p = close + 1;
        } else {
            size_t run = strcspn(p + 1, "{") + 1;
            ret = ww_buf_add(out, p, run);
            p += run;
        }
    }
    if (ret < 0) { /* a failed append leaves the buffer as it was */
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return ret;
}

char *ww_i18n_printf(const struct ww_i18n *c, enum ww_lang lang, const char *key,
                     const struct ww_param *params, size_t n)
{
    struct ww_buf b;
    char *s;

    ww_buf_init(&b, 64 * 1024);
    if (ww_i18n_format(c, lang, key, params, n, &b) < 0) {
        ww_buf_release(&b);
        return ww_strdup(key);
    }
    s = ww_buf_detach(&b);
    ww_buf_release(&b);
    return s;
}
