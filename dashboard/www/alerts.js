// SPDX-License-Identifier: GPL-3.0-or-later
// alerts.js - alerts (#/alerts, everyone reads; uptime.edit changes): the current alerts,
// the alert rules with their add/edit/remove form, the channels (e-mail, webhook; the
// webhook secret is write-only: the page only ever says "set" or "not set") with a test
// message, and the delivery log with status, attempts and the last error. The kinds of rule,
// what each measures and what its threshold means come from GET /alert-kinds (inventory's
// table); their words from the i18n files (alertkind.*, alerthint.*, alertval.*, alcond.*).
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const LOG_PAGE = 20;

    // kinds: [{name, subject, value, threshold: {unit, direction, min, max} or null}]
    let kinds = [], rules = [], channels = [], alerts = [], log = [], devices = [];
    let logTotal = 0, logOffset = 0;
    let state = 'loading';
    let editingRule = null, editingChannel = null;

    const canEdit = () => WW.can('uptime.edit');
    const kindName = (k) => (WW.has('alertkind.' + k) ? t('alertkind.' + k) : String(k));
    const numFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
    const minutes = (s) => (s ? WW.fmtDuration(s) : null);
    const kindOf = (name) => kinds.find((k) => k.name === name) || null;
    const thresholdOf = (name) => (kindOf(name) || {}).threshold || null;
    // "over {v} %", "under {v} min": the words of a threshold's unit and direction
    const condKey = (th) => 'alcond.' + (th.unit === 'minutes' ? 'min' : 'pct') + '_'
        + (th.direction === 'below' ? 'under' : 'over');

    // what an alert's value says ("down for 5 min", "93 %"), from its kind; the alert's
    // stored message is a code for the same
    function valueText(a) {
        const k = kindOf(a.kind);
        if (!k || typeof a.value !== 'number')
            return null;
        const v = k.value === 'down_for' ? Math.floor(a.value / 60)
            : k.value === 'runtime_left' ? Math.round(a.value) : a.value;
        return t('alertval.' + k.value, { v: numFmt.format(v) });
    }

    function condition(r) {
        const parts = [];
        const th = thresholdOf(r.kind);
        if (th && typeof r.threshold === 'number')
            parts.push(t(condKey(th), { v: numFmt.format(r.threshold) }));
        if (r.for_s)
            parts.push(t('alcond.for', { d: minutes(r.for_s) }));
        if (r.repeat_s)
            parts.push(t('alcond.repeat', { d: minutes(r.repeat_s) }));
        if (r.notify_recovery)
            parts.push(t('alcond.recovery'));
        return parts.join(', ');
    }

    function scope(r) {
        if (r.device_id) {
            const dev = devices.find((x) => x.id === r.device_id);
            return WW.devLink(r.device_id, dev ? dev.name : '#' + r.device_id);
        }
        return r.device_kind ? t('al.scope_kind', { kind: WW.kindName(r.device_kind) }) : t('al.scope_all');
    }

    function actions(list) {
        const td = el('span', 'row-actions');
        list.forEach((b) => td.appendChild(b));
        return td;
    }

    function renderRules() {
        const names = {};
        channels.forEach((c) => { names[c.id] = c.name; });
        WW.rows($('al-rules').tBodies[0], rules, (r) => {
            const cells = [r.name, kindName(r.kind), scope(r), condition(r),
                (r.channel_ids || []).map((c) => names[c] || '#' + c).join(', '), t(r.enabled ? 'yes' : 'no')];
            if (canEdit())
                cells.push(actions([WW.button('action.edit', 'btn-small', () => openRule(r)),
                    WW.button('action.delete', 'btn-small btn-danger-text', () =>
                        WW.ask($('al-confirm'), t('al.confirm_rule', { name: r.name }), async () => {
                            await WW.api('DELETE', '/alert-rules/' + encodeURIComponent(r.id));
                            WW.notice(t('al.rule_deleted', { name: r.name }), 'ok');
                            await load();
                        }))]));
            const tr = WW.row(cells);
            tr.setAttribute('data-id', String(r.id));
            tr.cells[0].className = 'name';
            return tr;
        }, $('al-rules-empty'));
    }

    function renderChannels() {
        WW.rows($('al-channels').tBodies[0], channels, (c) => {
            const secret = WW.badge(c.secret_set ? 'up' : 'unknown',
                t(c.secret_set ? 'al.secret_set' : 'al.secret_not_set'));
            // why it cannot deliver, at once (no mail server, the last error), under the
            // target: words of its code, the detail (admins) as the tooltip
            const target = el('span', null);
            target.appendChild(el('span', 'mono', c.target));
            if (c.problem) {
                const p = el('span', 'sub error-text channel-problem', t('noteerr.' + c.problem.code));
                p.setAttribute('data-code', c.problem.code);
                if (c.problem.detail)
                    p.setAttribute('title', c.problem.detail);
                target.appendChild(p);
            }
            const cells = [c.name, WW.has('chkind.' + c.kind) ? t('chkind.' + c.kind) : c.kind,
                target, secret, t(c.enabled ? 'yes' : 'no')];
            if (canEdit())
                cells.push(actions([WW.button('action.edit', 'btn-small', () => openChannel(c)),
                    WW.button('al.send_test', 'btn-small', () => sendTest(c)),
                    WW.button('action.delete', 'btn-small btn-danger-text', () =>
                        WW.ask($('al-confirm'), t('al.confirm_channel', { name: c.name }), async () => {
                            await WW.api('DELETE', '/alert-channels/' + encodeURIComponent(c.id));
                            WW.notice(t('al.channel_deleted', { name: c.name }), 'ok');
                            await load();
                        }))]));
            const tr = WW.row(cells);
            tr.setAttribute('data-id', String(c.id));
            tr.cells[0].className = 'name';
            tr.cells[3].className = 'secret';
            return tr;
        }, $('al-channels-empty'));
    }

    function stateBadge(s, prefix) {
        const cls = { firing: 'down', failed: 'down', sent: 'up', resolved: 'up' }[s] || 'unknown';
        return WW.badge(cls, WW.has(prefix + s) ? t(prefix + s) : String(s));
    }

    function renderAlerts() {
        WW.rows($('al-alerts').tBodies[0], alerts, (a) => {
            const rule = el('span', null, a.rule_name);
            rule.appendChild(el('span', 'sub', kindName(a.kind)));
            const dev = el('span');
            dev.appendChild(WW.devLink(a.device_id, a.device_name));
            if (a.interface_name)
                dev.appendChild(el('span', 'sub', a.interface_name));
            const since = a.state === 'resolved' ? a.resolved_at : a.fired_at || a.pending_since;
            return WW.row([stateBadge(a.state, 'alertstate.'), rule, dev, WW.fmtDate(since),
                typeof a.value === 'number' ? numFmt.format(a.value) : null, valueText(a)]);
        }, $('al-alerts-empty'));
    }

    // the detail is for admins; the others get the error's code, in words
    function errorText(n) {
        if (n.answer) return t('settings.test_answer', { answer: n.answer });
        if (n.last_error && n.last_error !== n.error_code) return n.last_error;
        return n.error_code ? t('noteerr.' + n.error_code) : null;
    }

    function renderLog() {
        WW.rows($('al-log').tBodies[0], log, (n) => {
            const ch = el('span', null, n.channel_name || t('none'));
            ch.appendChild(el('span', 'sub', WW.has('notekind.' + n.kind) ? t('notekind.' + n.kind) : n.kind));
            const when = n.sent_at ? WW.fmtDate(n.sent_at)
                : n.next_attempt_at && n.status === 'pending' ? t('al.next_at', { time: WW.fmtDate(n.next_attempt_at) })
                    : null;
            const tr = WW.row([WW.fmtDate(n.created_at), ch, n.recipient, n.subject,
                stateBadge(n.status, 'notestatus.'), WW.fmtNum(n.attempts), when, errorText(n)]);
            tr.setAttribute('data-status', String(n.status));
            tr.cells[5].className = 'num-cell';
            tr.cells[7].className = n.answer ? 'answer-text' : 'error-text'; // a sent message's answer is no error
            return tr;
        }, $('al-log-empty'));
        $('al-range').textContent = logTotal ? t('pager.range', { from: WW.fmtNum(logOffset + 1),
            to: WW.fmtNum(logOffset + log.length), total: WW.fmtNum(logTotal) }) : '';
        $('al-prev').disabled = logOffset <= 0;
        $('al-next').disabled = logOffset + log.length >= logTotal;
    }

    function render() {
        const s = $('al-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        document.querySelectorAll('#view-alerts .edit-only').forEach((e) => { e.hidden = !canEdit(); });
        renderAlerts();
        renderRules();
        renderChannels();
        renderLog();
        if (!$('al-rule-form').hidden)
            ruleTitle();
        if (!$('al-ch-form').hidden)
            channelTitle();
    }

    async function load() {
        const st = $('al-state').value;
        try {
            const got = await Promise.all([WW.api('GET', '/alert-rules'), WW.api('GET', '/alert-channels'),
                kinds.length ? { items: kinds } : WW.api('GET', '/alert-kinds'),
                WW.api('GET', '/alerts?limit=100' + (st ? '&state=' + st : '')),
                WW.api('GET', '/notifications?limit=' + LOG_PAGE + '&offset=' + logOffset),
                WW.loadDevices()]);
            rules = got[0].items;
            channels = got[1].items;
            kinds = got[2].items;
            alerts = got[3].items;
            log = got[4].items;
            logTotal = got[4].total;
            devices = got[5];
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    // ---- the rule form ---------------------------------------------------------------------
    const rf = () => $('al-rule-form').elements;

    function ruleTitle() {
        $('al-rule-form-h').textContent = editingRule ? t('al.edit_rule', { name: editingRule.name })
            : t('al.add_rule');
    }

    function kindChanged() {
        const k = rf().kind.value;
        const th = thresholdOf(k);
        $('al-threshold-field').hidden = !th;
        $('al-threshold-label').textContent = th ? t(th.unit === 'minutes' ? 'field.threshold_min' : 'field.threshold_pct') : '';
        $('al-rule-hint').textContent = t('alerthint.' + k);
    }

    function openRule(r) {
        $('al-ch-form').hidden = true;
        editingRule = r || null;
        const f = rf();
        $('al-rule-form').reset();
        WW.showError($('al-rule-error'), '');
        WW.options($('al-kind'), kinds.map((k) => k.name), kindName);
        WW.deviceSelect($('al-rule-device'), devices, t('al.scope_all'));
        WW.options($('al-rule-dkind'), [''].concat(WW.KINDS), (k) => (k ? WW.kindName(k) : t('al.any_kind')));
        const box = WW.clear($('al-rule-channels'));
        channels.forEach((c) => {
            const l = el('label', 'check');
            const cb = el('input');
            cb.type = 'checkbox';
            cb.name = 'channel';
            cb.value = String(c.id);
            cb.checked = r ? (r.channel_ids || []).indexOf(c.id) >= 0 : true;
            l.appendChild(cb);
            l.appendChild(el('span', null, c.name));
            box.appendChild(l);
        });
        if (!channels.length)
            box.appendChild(el('span', 'muted', t('al.no_channels')));
        const x = r || { kind: 'device_down', for_s: 60, repeat_s: 0, notify_recovery: true, enabled: true };
        f.name.value = x.name || '';
        f.kind.value = x.kind;
        f.device_id.value = x.device_id ? String(x.device_id) : '';
        f.device_kind.value = x.device_kind || '';
        f.threshold.value = typeof x.threshold === 'number' ? numFmt.format(x.threshold).replace(/\./g, '') : '';
        f.for_min.value = String(Math.round((x.for_s || 0) / 60));
        f.repeat_min.value = String(Math.round((x.repeat_s || 0) / 60));
        f.notify_recovery.checked = x.notify_recovery !== false;
        f.enabled.checked = x.enabled !== false;
        ruleTitle();
        kindChanged();
        $('al-rule-form').hidden = false;
        f.name.focus();
    }

    function ruleBody() {
        const f = rf();
        const b = { name: f.name.value.trim(), kind: f.kind.value,
            device_id: f.device_id.value ? +f.device_id.value : null,
            device_kind: f.device_kind.value || null, threshold: null,
            notify_recovery: f.notify_recovery.checked, enabled: f.enabled.checked,
            channel_ids: Array.prototype.map.call($('al-rule-channels').querySelectorAll('input:checked'),
                (c) => +c.value) };
        if (!b.name)
            return { error: t('al.need_name') };
        const th = thresholdOf(b.kind);
        if (th) {
            const v = f.threshold.value.trim().replace(',', '.');
            if (!/^\d+(\.\d+)?$/.test(v) || +v < th.min || +v > th.max)
                return { error: t(th.unit === 'minutes' ? 'al.bad_minutes' : 'al.bad_pct') };
            b.threshold = +v;
        }
        for (const k of ['for', 'repeat']) {
            const v = f[k + '_min'].value.trim() || '0';
            if (!/^\d{1,6}$/.test(v))
                return { error: t('al.bad_duration') };
            b[k + '_s'] = +v * 60;
        }
        return { body: b };
    }

    async function submitRule(ev) {
        ev.preventDefault();
        const r = ruleBody();
        const err = $('al-rule-error');
        if (r.error) {
            WW.showError(err, r.error);
            return;
        }
        try {
            if (editingRule)
                await WW.api('PATCH', '/alert-rules/' + encodeURIComponent(editingRule.id), r.body);
            else
                await WW.api('POST', '/alert-rules', r.body);
            WW.notice(t('al.rule_saved', { name: r.body.name }), 'ok');
            $('al-rule-form').hidden = true;
            editingRule = null;
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    // ---- the channel form ------------------------------------------------------------------
    const cf = () => $('al-ch-form').elements;

    function channelTitle() {
        $('al-ch-form-h').textContent = editingChannel ? t('al.edit_channel', { name: editingChannel.name })
            : t('al.add_channel');
    }

    function openChannel(c) {
        $('al-rule-form').hidden = true;
        editingChannel = c || null;
        const f = cf();
        $('al-ch-form').reset();
        WW.showError($('al-ch-error'), '');
        f.name.value = c ? c.name : '';
        f.kind.value = c ? c.kind : 'email';
        f.target.value = c ? c.target : '';
        f.secret.value = ''; // write-only: never filled in
        f.secret.setAttribute('placeholder', c && c.secret_set ? t('devmgmt.unchanged') : '');
        f.clear_secret.parentNode.hidden = !(c && c.secret_set);
        f.enabled.checked = c ? c.enabled !== false : true;
        channelTitle();
        $('al-ch-form').hidden = false;
        f.name.focus();
    }

    async function submitChannel(ev) {
        ev.preventDefault();
        const f = cf();
        const err = $('al-ch-error');
        const b = { name: f.name.value.trim(), kind: f.kind.value, target: f.target.value.trim(),
            enabled: f.enabled.checked };
        if (!b.name || !b.target) {
            WW.showError(err, t('al.need_channel'));
            return;
        }
        if (f.secret.value)
            b.secret = f.secret.value;
        else if (f.clear_secret.checked)
            b.secret = null;
        try {
            if (editingChannel)
                await WW.api('PATCH', '/alert-channels/' + encodeURIComponent(editingChannel.id), b);
            else
                await WW.api('POST', '/alert-channels', b);
            f.secret.value = '';
            WW.notice(t('al.channel_saved', { name: b.name }), 'ok');
            $('al-ch-form').hidden = true;
            editingChannel = null;
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    async function sendTest(c) {
        try {
            await WW.api('POST', '/alert-channels/' + encodeURIComponent(c.id) + '/test');
            WW.notice(t('al.test_queued', { name: c.name }), 'ok');
            logOffset = 0;
            await load();
        } catch (e) {
            if (e.status !== 401 && e.code !== 'forbidden')
                WW.notice(WW.errorText(e), 'error');
        }
    }

    WW.page('alerts', {
        view: 'view-alerts',
        init: function () {
            $('al-state').addEventListener('change', load);
            $('al-rule-add').addEventListener('click', () => openRule(null));
            $('al-rule-cancel').addEventListener('click', () => { $('al-rule-form').hidden = true; });
            $('al-rule-form').addEventListener('submit', submitRule);
            $('al-kind').addEventListener('change', kindChanged);
            $('al-ch-add').addEventListener('click', () => openChannel(null));
            $('al-ch-cancel').addEventListener('click', () => { $('al-ch-form').hidden = true; });
            $('al-ch-form').addEventListener('submit', submitChannel);
            WW.pager($('al-prev'), $('al-next'), LOG_PAGE,
                () => ({ offset: logOffset, shown: log.length, total: logTotal }),
                (o) => { logOffset = o; load(); });
        },
        show: function () {
            $('al-rule-form').hidden = $('al-ch-form').hidden = $('al-confirm').hidden = true;
            state = rules.length ? 'ok' : 'loading';
            render();
            load();
        },
        reset: function () {
            kinds = rules = channels = alerts = log = devices = [];
            logOffset = logTotal = 0;
            $('al-rule-form').reset();
            $('al-ch-form').reset();
        },
        render: function () {
            render();
            if (!$('al-rule-form').hidden) {
                WW.options($('al-kind'), kinds.map((k) => k.name), kindName);
                kindChanged();
            }
        },
    });
})();
