// SPDX-License-Identifier: GPL-3.0-or-later
// outages.js - the outage log (#/outages[?device=ID], everyone): filters by device, type,
// a day range (the office zone), open only and a shortest duration; paging; the CSV
// link carries the same filters. Each outage's acknowledgement (who, when) and its notes:
// uptime.edit acknowledges once and adds notes (#/outages?outage=ID opens one).
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

    let detail = null;  // the outage whose notes are open, with its notes

    // the acknowledgement cell: who and when, the notes' count, and the button that opens them
    function ackCell(o) {
        const span = WW.el('span', 'ack-cell');
        if (o.acked_at)
            span.appendChild(WW.el('span', 'badge badge-ack',
                t('ol.acked_by', { name: o.acked_by || '?', time: WW.fmtDate(o.acked_at) })));
        const b = WW.el('button', 'btn btn-small', o.acked_at || !WW.can('uptime.edit')
            ? t('ol.notes', { n: WW.fmtNum(o.notes_count || 0) }) : t('ol.ack'));
        b.type = 'button';
        b.setAttribute('data-outage', String(o.id));
        b.addEventListener('click', () => openDetail(o.id));
        span.appendChild(b);
        return span;
    }

    function renderDetail() {
        const box = $('ol-detail');
        box.hidden = !detail;
        if (!detail)
            return;
        const o = detail;
        $('ol-detail-h').textContent = t('ol.detail_h', {
            device: o.device_name + (o.interface_name ? ' / ' + o.interface_name : ''),
            time: WW.fmtDate(o.started_at),
        });
        $('ol-detail-ack').textContent = o.acked_at
            ? t('ol.acked_by', { name: o.acked_by || '?', time: WW.fmtDate(o.acked_at) })
            : t('ol.not_acked');
        const list = $('ol-notes');
        list.textContent = '';
        for (const n of o.notes || []) {
            const li = WW.el('li', n.ack ? 'note note-ack' : 'note');
            li.appendChild(WW.el('span', 'note-who', t(n.ack ? 'ol.note_ack_by' : 'ol.note_by',
                { name: n.author, time: WW.fmtDate(n.created_at) })));
            if (n.text)
                li.appendChild(WW.el('p', 'note-text', n.text));
            list.appendChild(li);
        }
        const edit = WW.can('uptime.edit');
        $('ol-note-form').hidden = !edit;
        $('ol-ack').hidden = !!o.acked_at;
    }

    async function openDetail(id) {
        try {
            detail = await WW.api('GET', '/outages/' + id);
        } catch (e) {
            if (e.status !== 401)
                WW.notice(WW.errorText(e), 'error');
            return;
        }
        WW.showError($('ol-note-error'), '');
        $('ol-note').value = '';
        renderDetail();
        $('ol-detail').scrollIntoView({ block: 'nearest' });
    }

    async function saveNote(ack) {
        if (!detail)
            return;
        const text = $('ol-note').value.trim();
        const body = ack ? (text ? { note: text } : {}) : { note: text };
        try {
            detail = await WW.api('POST', '/outages/' + detail.id + (ack ? '/ack' : '/notes'), body);
        } catch (e) {
            if (e.status !== 401)
                WW.showError($('ol-note-error'), WW.errorText(e));
            return;
        }
        WW.showError($('ol-note-error'), '');
        $('ol-note').value = '';
        WW.notice(t(ack ? 'ol.acked_done' : 'ol.note_done'), 'ok');
        renderDetail();
        load();
    }

    function render() {
        WW.rows($('ol-table').tBodies[0], items, (o) => {
            const tr = WW.row([WW.devLink(o.device_id, o.device_name), o.interface_name, WW.outageBadge(o),
                WW.fmtDate(o.started_at), o.ended_at ? WW.fmtDate(o.ended_at) : t('events.ongoing'),
                WW.fmtDuration(o.duration_s), ackCell(o)]);
            tr.setAttribute('data-id', String(o.id));
            tr.cells[3].className = tr.cells[4].className = 'nowrap';
            tr.cells[5].className = 'duration nowrap';
            if (!o.ended_at)
                tr.classList.add('open');
            return tr;
        });
        WW.pagedState('ol', state, items.length, offset, total);
        $('ol-csv').setAttribute('href', '/api/v1/outages.csv' + query.replace(/^&/, '?'));
        renderDetail();
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
            $('ol-note-form').addEventListener('submit', (ev) => { ev.preventDefault(); saveNote(true); });
            $('ol-add-note').addEventListener('click', () => saveNote(false));
            $('ol-detail-close').addEventListener('click', () => { detail = null; renderDetail(); });
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
            const open = WW.hashQuery().get('outage');
            if (open && /^\d+$/.test(open))
                openDetail(+open);
            apply();
        },
        reset: function () {
            detail = null;
            renderDetail();
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
