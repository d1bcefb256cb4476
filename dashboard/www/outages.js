// SPDX-License-Identifier: GPL-3.0-or-later
// outages.js - the outage log (#/outages[?device=ID], everyone): filters by device, type,
// a day range (the office zone), open only and a shortest duration; paging; the CSV
// link carries the same filters.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, $ = WW.$;
    const PAGE = 50;

    let items = [];
    let total = 0;
    let offset = 0;
    let query = '';     // "&device=..&type=.." as last applied
    let state = 'loading';
    let devices = [];

    function render() {
        WW.rows($('ol-table').tBodies[0], items, (o) => {
            const tr = WW.row([WW.devLink(o.device_id, o.device_name), o.interface_name, WW.outageBadge(o),
                WW.fmtDate(o.started_at), o.ended_at ? WW.fmtDate(o.ended_at) : t('events.ongoing'),
                WW.fmtDuration(o.duration_s)]);
            tr.setAttribute('data-id', String(o.id));
            tr.cells[3].className = tr.cells[4].className = 'nowrap';
            tr.cells[5].className = 'duration nowrap';
            if (!o.ended_at)
                tr.classList.add('open');
            return tr;
        });
        const s = $('ol-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        $('ol-empty').hidden = state !== 'ok' || items.length > 0;
        $('ol-range').textContent = total ? t('pager.range', {
            from: WW.fmtNum(offset + 1), to: WW.fmtNum(offset + items.length), total: WW.fmtNum(total),
        }) : '';
        $('ol-prev').disabled = offset <= 0;
        $('ol-next').disabled = offset + items.length >= total;
        $('ol-csv').setAttribute('href', '/api/v1/outages.csv' + query.replace(/^&/, '?'));
    }

    async function load() {
        try {
            const data = await WW.api('GET', '/outages?limit=' + PAGE + '&offset=' + offset + query);
            items = data.items;
            total = data.total;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
            if (e.status === 400)
                WW.showError($('ol-error'), WW.errorText(e));
        }
        render();
    }

    // the filter form -> "&device=..&type=..&from=..&to=..&open=1&min_s=..", or a complaint
    function readFilter() {
        const f = $('ol-filter').elements;
        let q = '';
        if (f.device.value)
            q += '&device=' + encodeURIComponent(f.device.value);
        if (f.type.value)
            q += '&type=' + encodeURIComponent(f.type.value);
        let from = null, to = null;
        if (f.from.value.trim()) {
            const p = WW.parseDay(f.from.value);
            if (!p)
                return { error: t('audit.bad_date') };
            from = WW.dayStart(p);
            q += '&from=' + from;
        }
        if (f.to.value.trim()) {
            const p = WW.parseDay(f.to.value);
            if (!p)
                return { error: t('audit.bad_date') };
            to = WW.dayEnd(p);
            q += '&to=' + to;
        }
        if (from !== null && to !== null && from > to)
            return { error: t('audit.bad_range') };
        if (f.open.checked)
            q += '&open=1';
        const min = f.min.value.trim();
        if (min) {
            if (!/^\d{1,6}$/.test(min))
                return { error: t('ol.bad_min') };
            q += '&min_s=' + (+min * 60);
        }
        return { query: q };
    }

    function apply(ev) {
        if (ev)
            ev.preventDefault();
        const r = readFilter();
        if (r.error) {
            WW.showError($('ol-error'), r.error);
            return;
        }
        WW.showError($('ol-error'), '');
        query = r.query;
        offset = 0;
        load();
    }

    async function loadDevices() {
        try {
            devices = await WW.loadDevices();
        } catch (e) {
            devices = [];
        }
        WW.deviceSelect($('ol-device'), devices, t('ol.any_device'));
    }

    WW.page('outages', {
        view: 'view-outages',
        init: function () {
            $('ol-filter').addEventListener('submit', apply);
            $('ol-clear').addEventListener('click', () => {
                $('ol-filter').reset();
                apply();
            });
            WW.pager($('ol-prev'), $('ol-next'), PAGE,
                () => ({ offset: offset, shown: items.length, total: total }),
                (o) => { offset = o; load(); });
        },
        relabel: function () {
            WW.deviceSelect($('ol-device'), devices, t('ol.any_device'));
        },
        show: async function () {
            state = items.length ? 'ok' : 'loading';
            render();
            await loadDevices();
            const dev = WW.hashQuery().get('device');
            if (dev && /^\d+$/.test(dev)) { // from a device page: that device's outages
                $('ol-filter').reset();
                $('ol-device').value = dev;
            }
            apply();
        },
        reset: function () {
            items = [];
            total = 0;
            offset = 0;
            query = '';
            devices = [];
            $('ol-filter').reset();
        },
        render: render,
    });
})();
