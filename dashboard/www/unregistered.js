// SPDX-License-Identifier: GPL-3.0-or-later
// unregistered.js - devices seen on the network but not in the register (#/unregistered,
// everyone who reads devices): the LLDP/CDP neighbours that name no device of ours, with the
// device that reported each, our port and its, its address and when it was last seen
// (GET /inventory/unregistered), paged.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const PAGE = 50;

    let items = [];
    let total = 0;
    let offset = 0;
    let state = 'loading';

    function row(n) {
        const name = el('span');
        name.appendChild(el('strong', null, n.remote_name || t('none')));
        name.appendChild(el('span', 'sub', String(n.protocol || '').toUpperCase()));
        const tr = WW.row([name, n.remote_addr ? el('span', 'mono', n.remote_addr) : null,
            WW.devLink(n.device_id, n.device_name), n.local_port, n.remote_port,
            WW.fmtDate(n.last_seen)]);
        tr.cells[5].className = 'nowrap';
        return tr;
    }

    function render() {
        WW.rows($('ur-table').tBodies[0], items, row);
        WW.pagedState('ur', state, items.length, offset, total);
    }

    async function load() {
        try {
            const data = await WW.api('GET', '/inventory/unregistered?limit=' + PAGE + '&offset=' + offset);
            items = data.items;
            total = data.total;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    WW.page('unregistered', {
        view: 'view-unregistered',
        init: function () {
            WW.pager($('ur-prev'), $('ur-next'), PAGE,
                () => ({ offset: offset, shown: items.length, total: total }),
                (o) => { offset = o; load(); });
        },
        show: function () {
            state = items.length ? 'ok' : 'loading';
            render();
            load();
        },
        reset: function () {
            items = [];
            total = 0;
            offset = 0;
        },
        render: render,
    });
})();
