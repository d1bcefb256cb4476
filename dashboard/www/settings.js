// SPDX-License-Identifier: GPL-3.0-or-later
// settings.js - the Settings page (settings.admin): the mail server, office hours and days,
// the dashboard's public address. Each field says where its value comes from (the
// database wins over the config file); the password is never shown: the page says only
// whether one is set, an empty field keeps it, the box clears it. A test e-mail goes
// through an e-mail channel and the page shows the mail server's answer.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, $ = WW.$;
    const SOURCES = { database: 'settings.source_database', file: 'settings.source_file',
        default: 'settings.source_default' };
    let items = [], channels = [], testTimer = null;

    function sourceText(it) {
        const src = t(SOURCES[it.source] || 'settings.source_default');
        if (it.secret)
            return t(it.set ? 'settings.secret_set' : 'settings.secret_not_set', { source: src });
        return t('settings.source', { source: src });
    }

    function render() {
        const f = $('st-form');
        items.forEach((it) => {
            const input = f.elements[it.name];
            if (!input)
                return;
            if (it.secret) {
                input.value = '';
                input.setAttribute('placeholder', it.set ? t('devmgmt.unchanged') : '');
            } else {
                input.value = it.value || '';
            }
            const src = f.querySelector('.st-src[data-for="' + it.name + '"]');
            src.textContent = sourceText(it);
            src.setAttribute('data-source', it.source);
        });
        f.elements.clear_smtp_password.checked = false;
        const sel = $('st-test').elements.channel;
        WW.options(sel, channels.map((c) => String(c.id)),
            (id) => { const c = channels.find((x) => String(x.id) === id); return c.name + ' – ' + c.target; });
        $('st-test').querySelector('button').disabled = !channels.length;
    }

    async function load() {
        try {
            const s = await WW.api('GET', '/settings');
            const ch = await WW.api('GET', '/alert-channels');
            items = s.items;
            channels = ch.items.filter((c) => c.kind === 'email');
            render();
        } catch (e) {
            if (e.status !== 401)
                WW.notice(t('error.load_once'), 'error');
        }
    }

    // only what changed is sent: a field left as loaded keeps its source
    function changes() {
        const f = $('st-form'), body = {};
        items.forEach((it) => {
            const input = f.elements[it.name];
            if (!input)
                return;
            if (it.secret) {
                if (f.elements.clear_smtp_password.checked)
                    body[it.name] = null;
                else if (input.value)
                    body[it.name] = input.value;
            } else if (input.value.trim() !== (it.value || '')) {
                body[it.name] = input.value.trim();
            }
        });
        return body;
    }

    async function onSave(ev) {
        ev.preventDefault();
        const errBox = $('st-error');
        const submit = $('st-form').querySelector('button[type=submit]');
        const body = changes();
        WW.showError(errBox, '');
        if (!Object.keys(body).length) {
            WW.notice(t('settings.nothing_changed'), 'ok');
            return;
        }
        submit.disabled = true;
        try {
            const r = await WW.api('PUT', '/settings', body);
            items = r.items;
            render();
            WW.notice(t('settings.saved'), 'ok');
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(errBox, e);
        } finally {
            submit.disabled = false;
        }
    }

    function showResult(kind, text) {
        const p = $('st-test-result');
        p.hidden = false;
        p.className = kind === 'ok' ? 'test-ok' : kind === 'error' ? 'form-error' : 'muted';
        p.setAttribute('data-state', kind);
        p.textContent = text;
    }

    // the delivery log's row of the test message until it is sent or has failed once
    function watch(channelId, noteId, tries) {
        testTimer = setTimeout(async () => {
            testTimer = null;
            let n = null;
            try {
                const r = await WW.api('GET', '/notifications?channel=' + encodeURIComponent(channelId) + '&limit=20');
                n = r.items.find((x) => x.id === noteId) || null;
            } catch (e) { /* try again below */ }
            if (n && n.status === 'sent') {
                showResult('ok', n.answer ? t('settings.test_answer', { answer: n.answer })
                    : t('settings.test_sent'));
                return;
            }
            if (n && n.error_code) {
                const words = t('noteerr.' + n.error_code);
                showResult('error', n.last_error && n.last_error !== n.error_code
                    ? t('settings.test_failed_detail', { reason: words, detail: n.last_error })
                    : t('settings.test_failed', { reason: words }));
                return;
            }
            if (tries > 0)
                watch(channelId, noteId, tries - 1);
            else
                showResult('wait', t('settings.test_waiting'));
        }, 1000);
    }

    async function onTest(ev) {
        ev.preventDefault();
        const id = $('st-test').elements.channel.value;
        if (!id)
            return;
        if (testTimer) {
            clearTimeout(testTimer);
            testTimer = null;
        }
        showResult('wait', t('settings.test_sending'));
        try {
            const r = await WW.api('POST', '/alert-channels/' + encodeURIComponent(id) + '/test');
            watch(id, r.notification_id, 60);
        } catch (e) {
            if (e.status !== 401)
                showResult('error', WW.errorText(e));
        }
    }

    WW.page('settings', {
        view: 'view-settings',
        perm: 'settings.admin',
        init: function () {
            $('st-form').addEventListener('submit', onSave);
            $('st-test').addEventListener('submit', onTest);
        },
        show: function () {
            WW.showError($('st-error'), '');
            $('st-test-result').hidden = true;
            load();
        },
        reset: function () {
            items = channels = [];
            if (testTimer)
                clearTimeout(testTimer);
            testTimer = null;
            $('st-form').reset();
        },
        render: render,
    });
})();
