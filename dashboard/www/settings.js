// SPDX-License-Identifier: GPL-3.0-or-later
// settings.js - the Settings page (settings.admin): the mail server, office hours and days,
// the dashboard's public address. Each field says where its value comes from (the
// database wins over the config file); the password is never shown: the page says only
// whether one is set, an empty field keeps it, the box clears it. A test e-mail goes
// through an e-mail channel and the page shows the mail server's answer.
// Unlike the other pages its view is built here, not kept in index.html: the first load of
// the UI has a weight budget (ui_test.js, 150 KiB) and only admins ever open this page.
// The labels carry data-i18n, so a change of language relabels them like index.html's.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, $ = WW.$, el = WW.el;
    const SOURCES = { database: 'settings.source_database', file: 'settings.source_file',
        default: 'settings.source_default' };
    // the page's sections and fields: the names of ww_setting_keys[] (common/config.c)
    const GROUPS = [
        ['settings.mail_heading', ['smtp_url', 'smtp_user', 'smtp_password', 'smtp_from']],
        ['settings.office_heading', ['office_hours', 'office_days']],
        [null, ['dashboard_url']],
    ];
    const EXAMPLES = { smtp_url: 'smtp://192.0.2.25:587', office_hours: '07:30-11:30,13:30-17:00',
        office_days: 'mon-fri', dashboard_url: 'https://192.0.2.10/' };
    let items = [], channels = [], testTimer = null;

    function label(tag, cls, key) {
        const e = el(tag, cls, t(key));
        e.setAttribute('data-i18n', key);
        return e;
    }

    function field(name) {
        const l = el('label', 'field');
        const input = el('input');
        l.appendChild(label('span', null, 'field.' + name));
        input.name = name;
        input.maxLength = 1024;
        input.autocomplete = name === 'smtp_password' ? 'new-password' : 'off';
        if (name === 'smtp_password')
            input.type = 'password';
        if (EXAMPLES[name])
            input.placeholder = EXAMPLES[name];
        l.appendChild(input);
        const src = el('small', 'hint st-src');
        src.setAttribute('data-for', name);
        l.appendChild(src);
        return l;
    }

    function submitRow(key, cls) {
        const d = el('div', 'actions');
        const b = label('button', cls, key);
        b.type = 'submit';
        d.appendChild(b);
        return d;
    }

    function buildView() {
        const sec = el('section', 'view');
        sec.id = 'view-settings';
        sec.hidden = true;
        sec.appendChild(label('h1', 'page-h', 'nav.settings'));
        sec.appendChild(label('p', 'hint', 'settings.rule'));
        const f = el('form', 'panel form-narrow');
        f.id = 'st-form';
        f.noValidate = true;
        GROUPS.forEach((g) => {
            if (g[0])
                f.appendChild(label('h2', null, g[0]));
            g[1].forEach((name) => {
                f.appendChild(field(name));
                if (name === 'smtp_password') {
                    const c = el('label', 'check'), box = el('input');
                    box.type = 'checkbox';
                    box.name = 'clear_smtp_password';
                    c.appendChild(box);
                    c.appendChild(label('span', null, 'settings.clear_password'));
                    f.appendChild(c);
                }
            });
        });
        const err = el('p', 'form-error');
        err.id = 'st-error';
        err.setAttribute('role', 'alert');
        err.hidden = true;
        f.appendChild(err);
        f.appendChild(submitRow('settings.save', 'btn btn-primary'));
        sec.appendChild(f);
        const tf = el('form', 'panel form-narrow');
        tf.id = 'st-test';
        tf.noValidate = true;
        tf.appendChild(label('h2', null, 'settings.test_heading'));
        const l = el('label', 'field'), sel = el('select');
        sel.name = 'channel';
        l.appendChild(label('span', null, 'settings.test_channel'));
        l.appendChild(sel);
        tf.appendChild(l);
        tf.appendChild(submitRow('al.send_test', 'btn'));
        const res = el('p');
        res.id = 'st-test-result';
        res.setAttribute('role', 'status');
        res.hidden = true;
        tf.appendChild(res);
        sec.appendChild(tf);
        document.querySelector('main').appendChild(sec);
    }

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
        if (!Object.keys(body).length) { // nothing to save: as saved
            WW.notice(t('settings.saved'), 'ok');
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
                    : t('notestatus.sent'));
                return;
            }
            if (n && n.error_code) {
                const words = t('noteerr.' + n.error_code);
                // the detail (the server's reply, curl's words) is the admin's: after the words
                showResult('error', t('settings.test_failed', { reason: n.last_error &&
                    n.last_error !== n.error_code ? words + ' ' + n.last_error : words }));
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
            buildView();
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
