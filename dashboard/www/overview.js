// SPDX-License-Identifier: GPL-3.0-or-later
// overview.js - the network overview (everyone): counts by state (GET /overview), current
// outages, worst availability, busiest links at peak office hours, counts by unit and site,
// the device list with a diacritics-insensitive search, recent events (beside the current
// outages; folded on a phone); refreshed every few
// seconds while it is on screen (the busiest links, which read every link's metrics, less often).
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const REFRESH_MS = 10000;
    const PAGE = 1000;            // the API's largest limit
    const MAX_DEVICES = 20000;    // stop paging past this, whatever the server says
    const DESCR_CHARS = 60;
    const COUNTS = ['up', 'down', 'unreachable', 'unknown', 'maintenance'];
    const BUSIEST_MS = 5 * 60000;

    let devices = [];
    let events = [];
    let ov = null;          // the last GET /overview
    let busiest = null;     // the last GET /links/busiest, and when
    let busiestAt = 0;
    let state = 'loading'; // loading, ok, error
    let updatedAt = null;
    let timer = null;
    let shown = false;

    // every device, page by page
    WW.loadDevices = async function () {
        let items = [], offset = 0, total = 0;
        do {
            const page = await WW.api('GET', '/devices?limit=' + PAGE + '&offset=' + offset);
            items = items.concat(page.items);
            total = page.total;
            offset += page.items.length;
            if (!page.items.length)
                break;
        } while (offset < total && offset < MAX_DEVICES);
        return items;
    };

    // does device @dev match the folded query @q (name, address, kind, vendor, system...)?
    WW.deviceMatches = function (dev, q) {
        if (!q)
            return true;
        const hay = [dev.name, dev.host, dev.kind, WW.kindName(dev.kind), dev.vendor, dev.model,
            dev.serial, dev.asset_tag, dev.sys_name, dev.sys_descr,
            t('state.' + WW.stateOf(dev))].map(WW.fold).join('\n');
        return q.split(/\s+/).every((word) => hay.indexOf(word) >= 0);
    };
    WW.byName = (a, b) => WW.collator.compare(a.name || '', b.name || '') || a.id - b.id;

    function renderSummary() {
        COUNTS.forEach((s) => {
            $('count-' + s).textContent = ov && ov.counts ? WW.fmtNum(ov.counts[s]) : '–';
        });
    }

    // an outage's type in words (down, unreachable, interface down)
    WW.outageType = (type) => (WW.has('outage.' + type) ? t('outage.' + type) : String(type));
    WW.outageBadge = function (o) {
        const span = el('span');
        span.appendChild(WW.badge(o.type === 'if_down' ? 'down' : o.type, WW.outageType(o.type)));
        if (o.in_maintenance)
            span.appendChild(WW.badge('maint', t('ol.maintenance')));
        return span;
    };

    function renderUptime() {
        const o = ov || {};
        WW.rows($('ov-outages').tBodies[0], o.outages || [], (x) => {
            const dev = el('span');
            dev.appendChild(WW.devLink(x.device_id, x.device_name));
            if (x.interface_name)
                dev.appendChild(el('span', 'sub', x.interface_name));
            return WW.row([dev, WW.outageBadge(x), WW.fmtDate(x.started_at), WW.fmtDuration(x.duration_s)]);
        }, $('ov-outages-empty'));
        WW.rows($('ov-worst').tBodies[0], o.worst || [], (x) => {
            const tr = WW.row([WW.devLink(x.device_id, x.device_name), WW.fmtPct(x.pct), WW.fmtPct(x.office_pct)]);
            tr.cells[1].className = tr.cells[2].className = 'num-cell nowrap';
            return tr;
        }, $('ov-worst-empty'));
        const pct = (p) => (typeof p === 'number' ? WW.fmtPct(p) : t('none'));
        WW.rows($('ov-busiest').tBodies[0], busiest || [], (x) => {
            const tr = WW.row([WW.devLink(x.device_id, x.device_name), x.interface_name,
                WW.fmtBps(x.speed_bps), pct(x.peak_in_pct), pct(x.peak_out_pct), pct(x.p95_pct)]);
            for (let i = 2; i < 6; i++)
                tr.cells[i].className = 'num-cell nowrap';
            return tr;
        }, $('ov-busiest-empty'));
        const group = (key) => (g) => {
            const tr = WW.row([g[key] || t('ov.none_set'), WW.fmtNum(g.total), WW.fmtNum(g.up),
                WW.fmtNum(g.down), WW.fmtNum(g.unreachable), WW.fmtNum(g.unknown)]);
            if (g.down)
                tr.cells[3].className = 'bad';
            return tr;
        };
        WW.rows($('ov-units').tBodies[0], o.by_unit || [], group('unit_name'));
        WW.rows($('ov-sites').tBodies[0], o.by_site || [], group('location_name'));
    }

    function deviceRow(dev) {
        const tr = el('tr');
        const st = WW.stateOf(dev);
        const name = el('td', 'name');
        name.appendChild(WW.devLink(dev.id, dev.name));
        tr.appendChild(name);
        tr.appendChild(el('td', null, WW.kindName(dev.kind)));
        tr.appendChild(el('td', 'mono', dev.host));
        const badgeCell = el('td');
        badgeCell.appendChild(WW.stateBadge(st));
        if (dev.in_maintenance)
            badgeCell.appendChild(WW.badge('maint', t('ol.maintenance')));
        tr.appendChild(badgeCell);
        tr.appendChild(el('td', 'nowrap', WW.fmtDate(dev.state_since)));
        tr.appendChild(el('td', 'nowrap', WW.fmtUptime(dev.uptime_seconds)));
        // the system as the collector read it ("Windows 10 Pro"), the raw sysDescr only in
        // the tooltip; a device it could not read shows its sysDescr as before
        const sys = el('td', 'system');
        if (dev.sys_name)
            sys.appendChild(el('strong', null, WW.truncate(dev.sys_name, DESCR_CHARS)));
        const what = dev.os || dev.sys_descr;
        if (what) {
            const descr = el('span', dev.os ? 'descr os' : 'descr', WW.truncate(what, DESCR_CHARS));
            if (dev.sys_descr)
                descr.setAttribute('title', dev.sys_descr);
            sys.appendChild(descr);
        }
        if (!dev.sys_name && !what)
            sys.textContent = t('none');
        tr.appendChild(sys);
        return tr;
    }

    function renderDevices() {
        const q = WW.fold($('search').value.trim());
        const list = devices.filter((d) => WW.deviceMatches(d, q)).sort(WW.byName);
        const body = document.createDocumentFragment();
        list.forEach((d) => body.appendChild(deviceRow(d)));
        WW.fill($('devices').tBodies[0], body);
        $('device-count').textContent = state === 'loading' ? ''
            : t('devices.count', { shown: WW.fmtNum(list.length), total: WW.fmtNum(devices.length) });
        const empty = $('devices-empty');
        empty.hidden = state === 'loading' || list.length > 0;
        empty.textContent = devices.length ? t('devices.no_match') : t('devices.empty');
    }

    // an event's words in the page's language: from its reason code and parameters; the
    // server's rendering (the user's saved language) for events recorded before codes
    WW.eventText = function (e) {
        if (typeof e.reason === 'string' && WW.has('eventmsg.' + e.reason)) {
            const p = Object.create(null);
            for (const [k, v] of Object.entries(e.params || {}))
                if (typeof v === 'string')
                    p[k] = v;
            return t('eventmsg.' + e.reason, p);
        }
        return typeof e.message === 'string' ? e.message : '';
    };

    // one event as a list item (the overview and the device page)
    WW.eventItem = function (e) {
        const type = /^[a-z_]+$/.test(e.type || '') ? e.type : 'other';
        const li = el('li', 'event event-' + type);
        li.appendChild(el('time', 'when', WW.fmtDate(e.started_at)));
        li.appendChild(el('span', 'badge badge-event',
            WW.has('event.' + type) ? t('event.' + type) : String(e.type)));
        li.appendChild(el('span', 'device', e.device_name));
        const text = WW.eventText(e);
        if (text)
            li.appendChild(el('span', 'message', text));
        if (!e.ended_at && (e.type === 'down' || e.type === 'unreachable'))
            li.appendChild(el('span', 'ongoing', t('events.ongoing')));
        return li;
    };

    function renderEvents() {
        const list = document.createDocumentFragment();
        events.forEach((e) => list.appendChild(WW.eventItem(e)));
        WW.fill($('events'), list);
        $('events-empty').hidden = state === 'loading' || events.length > 0;
    }

    function renderStatus() {
        const s = $('status');
        s.classList.toggle('error', state === 'error');
        if (state === 'loading')
            s.textContent = t('loading');
        else if (state === 'error')
            s.textContent = t('error.load');
        else
            s.textContent = t('updated', { time: WW.fmtDate(updatedAt) });
    }

    function render() {
        renderStatus();
        renderSummary();
        renderUptime();
        renderDevices();
        renderEvents();
    }

    async function refresh() {
        clearTimeout(timer);
        try {
            const wantBusiest = Date.now() - busiestAt > BUSIEST_MS;
            const got = await Promise.all([WW.loadDevices(), WW.api('GET', '/events?limit=20'),
                WW.api('GET', '/overview'),
                wantBusiest ? WW.api('GET', '/links/busiest?period=7d&office=1').catch(() => null) : null]);
            devices = got[0];
            events = got[1].items;
            ov = got[2];
            if (got[3]) {
                busiest = got[3].items;
                busiestAt = Date.now();
            }
            updatedAt = new Date();
            state = 'ok';
        } catch (e) {
            if (e.status === 401 || e.status === 403)
                return; // the shell took over
            state = 'error'; // keep showing what we had
        }
        if (!shown)
            return;
        render();
        timer = setTimeout(refresh, REFRESH_MS);
    }

    WW.page('overview', {
        view: 'view-overview',
        init: function () {
            $('search').addEventListener('input', renderDevices);
            // on a phone the events fold away under their heading; on a desk they stay open
            WW.onPhone((phone) => { $('events-box').open = !phone; });
        },
        show: function () {
            shown = true;
            render();
            refresh();
        },
        hide: function () {
            shown = false;
            clearTimeout(timer);
        },
        reset: function () {
            devices = [];
            events = [];
            ov = busiest = null;
            busiestAt = 0;
            state = 'loading';
            $('search').value = '';
        },
        render: render,
    });
})();
