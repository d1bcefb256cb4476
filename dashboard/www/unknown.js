// SPDX-License-Identifier: GPL-3.0-or-later
// unknown.js - unknown devices (#/unknown, probe.read: admin, it): the MAC/IP pairs the
// passive probe saw in ARP, NDP and DHCP that no device's address names; the IT officer
// accepts or flags each (device.write). Times are the capture's, shown in the office zone.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    const SOURCE = { arp: 'uk.source.arp', ndp: 'uk.source.ndp', dhcp: 'uk.source.dhcp' };
    let items = [];
    let state = 'loading';

    function render() {
        $('uk-status').textContent = state === 'loading' ? t('loading')
            : state === 'error' ? t('error.load_once') : '';
        WW.rows($('uk-table').tBodies[0], state === 'ok' ? items : [], (s) => {
            const cells = [el('code', null, s.mac), s.ip, SOURCE[s.source] ? t(SOURCE[s.source]) : s.source,
                WW.fmtDate(s.first_seen * 1000), WW.fmtDate(s.last_seen * 1000),
                WW.badge('uk-' + s.state, t('uk.state.' + s.state))];
            if (WW.can('device.write')) {
                const acts = el('span', 'row-actions');
                if (s.state !== 'accepted')
                    acts.appendChild(WW.button('uk.accept', 'btn-small', () => decide(s, 'accepted')));
                if (s.state !== 'flagged')
                    acts.appendChild(WW.button('uk.flag', 'btn-small btn-danger-text', () => decide(s, 'flagged')));
                cells.push(acts);
            }
            const tr = WW.row(cells);
            tr.setAttribute('data-id', String(s.id));
            tr.cells[3].className = tr.cells[4].className = 'nowrap';
            return tr;
        }, state === 'ok' ? $('uk-empty') : null);
        if (state !== 'ok')
            $('uk-empty').hidden = true;
        document.querySelectorAll('#view-unknown .edit-only').forEach((n) => {
            n.hidden = !WW.can('device.write');
        });
    }

    async function load() {
        state = 'loading';
        render();
        try {
            const r = await WW.api('GET', '/unknown-devices?state=' + encodeURIComponent($('uk-filter').value));
            items = r.items;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    async function decide(s, to) {
        try {
            await WW.api('POST', '/unknown-devices/' + encodeURIComponent(s.id) + '/decision', { state: to });
            WW.notice(t(to === 'accepted' ? 'uk.done_accepted' : 'uk.done_flagged', { mac: s.mac, ip: s.ip }), 'ok');
        } catch (e) {
            if (e.status === 401)
                return;
            WW.notice(WW.errorText(e), 'error');
        }
        await load();
    }

    WW.page('unknown', {
        view: 'view-unknown',
        perm: 'probe.read',
        init: function () {
            $('uk-filter').addEventListener('change', load);
        },
        show: load,
        relabel: render,
        render: render,
    });
})();
