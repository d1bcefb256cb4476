// SPDX-License-Identifier: GPL-3.0-or-later
// checks.js - the active checks (#/checks, probe.read: admin, it): each check wardwatch-probe
// runs (ping, TCP port, DNS name, web page) with its state, since when, its figures and why
// it is down; a check's changes of state below the list; adding and removing a check for who
// may (uptime.edit). Words only through t(): reasons and kinds are codes.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    const KIND = { icmp: 'ck.kind.icmp', tcp: 'ck.kind.tcp', dns: 'ck.kind.dns', http: 'ck.kind.http' };
    const KINDS = Object.keys(KIND);
    const REASON = { no_address: 'ck.reason.no_address', refused: 'ck.reason.refused',
        timeout: 'ck.reason.timeout', redirect_refused: 'ck.reason.redirect_refused',
        too_many_redirects: 'ck.reason.too_many_redirects', tls_verify: 'ck.reason.tls_verify',
        tls: 'ck.reason.tls', status: 'ck.reason.status', expect: 'ck.reason.expect',
        no_reply: 'ck.reason.no_reply', no_socket: 'ck.reason.no_socket',
        not_run: 'ck.reason.not_run', failed: 'ck.reason.failed' };
    const why = (code) => (code ? t(REASON[code] || 'ck.reason.failed') : null);
    const kindText = (k) => (KIND[k] ? t(KIND[k]) : k);
    let items = [];
    let state = 'loading';
    let shown = null; // the check whose history is open: {id, name, history}

    const ms = (v) => (v === null || v === undefined ? null : t('ck.ms', { n: Math.round(v * 10) / 10 }));

    function render() {
        const edit = WW.can('uptime.edit');
        $('ck-status').textContent = state === 'loading' ? t('loading')
            : state === 'error' ? t('error.load_once') : '';
        WW.rows($('ck-table').tBodies[0], state === 'ok' ? items : [], (c) => {
            const st = ['up', 'down'].indexOf(c.state) >= 0 ? c.state : 'unknown';
            const cells = [c.name, kindText(c.kind), el('code', null, c.kind === 'tcp' ? c.target + ':' + c.port : c.target),
                WW.badge(st, t('state.' + st)), c.since ? WW.fmtDate(c.since * 1000) : null,
                ms(c.latency_ms), c.loss_pct === null ? null : t('ck.pct', { n: Math.round(c.loss_pct) }),
                c.cert_days === null ? null : t('ck.days', { n: c.cert_days }),
                why(c.reason)];
            const acts = el('span', 'row-actions');
            acts.appendChild(WW.button('ck.history', 'btn-small', () => history(c)));
            if (edit)
                acts.appendChild(WW.button('ck.remove', 'btn-small btn-danger-text', () => remove(c)));
            cells.push(acts);
            const tr = WW.row(cells);
            tr.setAttribute('data-id', String(c.id));
            return tr;
        }, state === 'ok' ? $('ck-empty') : null);
        if (state !== 'ok')
            $('ck-empty').hidden = true;
        $('ck-form').hidden = !edit;
        $('ck-history').hidden = !shown;
        if (shown) {
            $('ck-history-title').textContent = t('ck.history_of', { name: shown.name });
            WW.rows($('ck-history-table').tBodies[0], shown.history, (h) => WW.row([
                WW.fmtDate(h.at * 1000), WW.badge(h.state, t('state.' + h.state)),
                why(h.reason)]), $('ck-history-empty'));
        }
    }

    async function load() {
        state = 'loading';
        render();
        try {
            items = (await WW.api('GET', '/checks')).items;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    async function history(c) {
        try {
            const r = await WW.api('GET', '/checks/' + encodeURIComponent(c.id));
            shown = { id: c.id, name: r.name, history: r.history };
        } catch (e) {
            if (e.status !== 401)
                WW.notice(WW.errorText(e), 'error');
            return;
        }
        render();
    }

    async function remove(c) {
        try {
            await WW.api('DELETE', '/checks/' + encodeURIComponent(c.id));
            WW.notice(t('ck.removed', { name: c.name }), 'ok');
            if (shown && shown.id === c.id)
                shown = null;
        } catch (e) {
            if (e.status !== 401)
                WW.notice(WW.errorText(e), 'error');
        }
        await load();
    }

    async function add(ev) {
        ev.preventDefault();
        const kind = $('ck-kind').value;
        const body = { name: $('ck-name').value, kind: kind, target: $('ck-target').value,
            interval_s: Number($('ck-interval').value), timeout_ms: Number($('ck-timeout').value) };
        if (kind === 'tcp')
            body.port = Number($('ck-port').value);
        if (kind === 'http' && $('ck-expect').value)
            body.expect = $('ck-expect').value;
        try {
            await WW.api('POST', '/checks', body);
            WW.notice(t('ck.added', { name: body.name }), 'ok');
            $('ck-form').reset();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError($('ck-form-error'), e);
            return;
        }
        WW.clear($('ck-form-error'));
        await load();
    }

    WW.page('checks', {
        view: 'view-checks',
        perm: 'probe.read',
        init: function () {
            WW.options($('ck-kind'), KINDS, kindText);
            $('ck-form').addEventListener('submit', add);
        },
        show: load,
        relabel: function () {
            WW.options($('ck-kind'), KINDS, kindText);
            render();
        },
        render: render,
    });
})();
