/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * remind.c - the daily training expiry reminders (issue 17 item 4): for each office day not
 * yet reminded, inventory's reminders of the day (inv_reminder_items(): the rule is
 * inventory's) worded by coll_reminder_text() and queued as one notification per enabled
 * alert channel, delivered by the ordinary queue (notify.c: retries and back-off included).
 *
 * DESIGN: exactly once per day. The messages of a day and the mark "reminded through this
 * day" are written in one transaction, so a crash either sends the day (later, from the
 * queue) or leaves it due; the next start catches up every day missed
 * (inv_reminder_days_due()). The time comes from the caller (@now): the delivery thread's
 * clock, or the bounded run's coll_clock_now(), so tests choose the day.
 */
#include "collector/collector.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* one day: its messages and its mark, in one transaction; the messages queued, or -EIO */
static int remind_day(const struct ww_config *cfg, struct ww_db *db, const char *day,
                      const struct inv_gap_data *d, const int *days, size_t ndays,
                      const struct inv_alert_channel *ch, size_t nch, time_t now)
{
    struct inv_reminder_item *items = NULL;
    char *subject = NULL, *body = NULL;
    size_t n = 0;
    int queued = 0, ret;

    if ((ret = inv_reminder_items(d, day, days, ndays, &items, &n)) < 0)
        return ret;
    if (n && nch)
        coll_reminder_text(cfg, day, items, n, &subject, &body);
    if ((ret = ww_db_begin(db)) < 0)
        goto out;
    for (size_t i = 0; n && i < nch && ret == 0; i++) {
        if (!ch[i].enabled)
            continue;
        ret = inv_notification_add(db, 0, ch[i].id, "training_expiry", ch[i].target, subject,
                                   body, (long long)now, NULL);
        queued += ret == 0;
    }
    if (ret == 0)
        ret = inv_reminder_done(db, day);
    if (ret == 0)
        ret = ww_db_commit(db);
    if (ret < 0) {
        ww_db_rollback(db);
        queued = 0;
    } else {
        ww_log(WW_LOG_INFO, "remind: %s: %zu expiring training(s), %d message(s) queued", day,
               n, queued);
    }
out:
    free(items);
    free(subject);
    free(body);
    return ret < 0 ? -EIO : queued;
}

int coll_remind_run(const struct ww_config *file_cfg, struct ww_db *db, time_t now)
{
    struct ww_config eff, *cfg = &eff;
    char (*due)[11] = NULL;
    struct inv_gap_data d = {0};
    struct inv_alert_channel *ch = NULL;
    int days[WW_DAY_LIST_MAX];
    size_t ndue = 0, nch = 0, ndays = 0;
    bool loaded = false;
    int queued = 0, ret;

    /* checked when the file was read; a bad value here is the default's fault: nothing */
    if (ww_parse_day_list(file_cfg->training_reminder_days, days, WW_DAY_LIST_MAX, &ndays) < 0)
        return ww_error(-EIO, "remind: reminder_days '%.40s' is not a list of days",
                        file_cfg->training_reminder_days ? file_cfg->training_reminder_days
                                                         : "");
    /* the texts' link: the Settings page's dashboard_url over the file's, as the alerts' */
    ww_config_copy(file_cfg, &eff);
    if ((ret = inv_reminder_days_due(db, now, &due, &ndue)) < 0 || !ndue)
        goto out;
    if (inv_settings_overlay(db, &eff, NULL) < 0)
        ww_log(WW_LOG_WARN, "remind: the settings cannot be read: the file's values are used");
    if ((ret = inv_alert_channel_list(db, &ch, &nch)) < 0 || (ret = inv_gap_load(db, &d)) < 0)
        goto out;
    loaded = true;
    for (size_t i = 0; i < ndue && ret >= 0; i++) {
        ret = remind_day(cfg, db, due[i], &d, days, ndays, ch, nch, now);
        if (ret > 0)
            queued += ret;
    }
out:
    if (loaded)
        inv_gap_data_free(&d);
    inv_alert_channel_list_free(ch, nch);
    free(due);
    if (eff.smtp_password) /* a secret the overlay may have read: no copy left in freed memory */
        memset(eff.smtp_password, 0, strlen(eff.smtp_password));
    ww_config_release(&eff);
    if (ret < 0)
        return ww_error(-EIO, "remind: the expiry reminders were not queued: database failed");
    if (queued)
        coll_notify_wake();
    return queued;
}
