/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log.c - leveled logging to stderr (journal priorities under systemd) and failure back-off. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static char log_prog[32] = "wardwatch";
static enum ww_log_level log_level = WW_LOG_INFO;
static bool log_journal;
static __thread char last_error[256];

const char *ww_last_error(void)
{
    return last_error;
}

void ww_clear_error(void)
{
    last_error[0] = '\0';
}

void ww_log_init(const char *prog, enum ww_log_level level)
{
    ww_strlcpy(log_prog, prog, sizeof(log_prog));
    log_level = level;
    log_journal = getenv("JOURNAL_STREAM") != NULL;
}

int ww_log_level_parse(const char *name, enum ww_log_level *out_level)
{
    static const struct {
        const char *name;
        enum ww_log_level level;
    } names[] = {{"error", WW_LOG_ERR},
                 {"warn", WW_LOG_WARN},
                 {"info", WW_LOG_INFO},
                 {"debug", WW_LOG_DEBUG}};
    for (size_t i = 0; i < WW_ARRAY_SIZE(names); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out_level = names[i].level;
            return 0;
        }
    }
    return -EINVAL;
}

void ww_vlog(enum ww_log_level level, const char *fmt, va_list ap)
{
    char line[2048];
    const char *tag = level <= WW_LOG_ERR ? "error" : level == WW_LOG_WARN ? "warning" : "";

    if (level > log_level && level != WW_LOG_ERR)
        return;
    vsnprintf(line, sizeof(line), fmt, ap);
    if (level <= WW_LOG_ERR)
        ww_strlcpy(last_error, line, sizeof(last_error));
    if (level > log_level)
        return;
    /* one fprintf per line so threads do not interleave within a line */
    if (log_journal)
        fprintf(stderr, "<%d>%s\n", (int)level, line);
    else
        fprintf(stderr, "%s: %s%s%s\n", log_prog, tag, *tag ? ": " : "", line);
}

void ww_log(enum ww_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ww_vlog(level, fmt, ap);
    va_end(ap);
}

int ww_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ww_vlog(WW_LOG_ERR, fmt, ap);
    va_end(ap);
    return code;
}

void ww_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ww_vlog(WW_LOG_ERR, fmt, ap);
    va_end(ap);
    abort();
}

#define COMPLAIN_FIRST 60u
#define COMPLAIN_MAX 86400u

void ww_complain(struct ww_complain *c, enum ww_log_level level, const char *fmt, ...)
{
    time_t now = time(NULL);
    va_list ap;

    if (c->active && now < c->next) {
        c->suppressed++;
        return;
    }
    va_start(ap, fmt);
    ww_vlog(level, fmt, ap);
    va_end(ap);
    if (c->suppressed)
        ww_log(level, "(the same failure happened %lu more times since last said)", c->suppressed);
    c->interval = !c->active ? COMPLAIN_FIRST
                  : c->interval >= COMPLAIN_MAX / 2 ? COMPLAIN_MAX
                                                    : c->interval * 2;
    c->next = now + (time_t)c->interval;
    c->suppressed = 0;
    c->active = true;
}

void ww_complain_release(struct ww_complain *c, const char *fmt, ...)
{
    va_list ap;

    if (!c->active)
        return;
    va_start(ap, fmt);
    ww_vlog(WW_LOG_INFO, fmt, ap);
    va_end(ap);
    memset(c, 0, sizeof(*c));
}
