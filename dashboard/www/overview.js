// SPDX-License-Identifier: GPL-3.0-or-later
// overview.js - the overview page (everyone): device states, a diacritics-insensitive
// search, recent events; refreshed every few seconds while it is on screen.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const REFRESH_MS = 10000;
    const PAGE = 1000;            // the API's largest limit
    const MAX_DEVICES = 20000;    // stop paging past this, whatever the server says
    const DESCR_CHARS = 60;
    const STATES = ['up', 'down', 'unknown'];

    let devices = [];
    let events = [];
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
        const counts = { up: 0, down: 0, unknown: 0 };
        devices.forEach((d) => { counts[WW.stateOf(d)]++; });
        STATES.forEach((s) => {
            $('count-' + s).textContent = state === 'loading' ? '–' : WW.fmtNum(counts[s]);
        });
    }

    function deviceRow(dev) {
        const tr = el('tr');
        const st = WW.stateOf(dev);
        tr.appendChild(el('td', 'name', dev.name));
        tr.appendChild(el('td', null, WW.kindName(dev.kind)));
        tr.appendChild(el('td', 'mono', dev.host));
        const badgeCell = el('td');
        badgeCell.appendChild(el('span', 'badge badge-' + st, t('state.' + st)));
        tr.appendChild(badgeCell);
        tr.appendChild(el('td', 'nowrap', WW.fmtDate(dev.state_since)));
        tr.appendChild(el('td', 'nowrap', WW.fmtUptime(dev.uptime_seconds)));
        const sys = el('td', 'system');
        if (dev.sys_name)
            sys.appendChild(el('strong', null, WW.truncate(dev.sys_name, DESCR_CHARS)));
        if (dev.sys_descr) {
            const descr = el('span', 'descr', WW.truncate(dev.sys_descr, DESCR_CHARS));
            descr.setAttribute('title', dev.sys_descr);
            sys.appendChild(descr);
        }
        if (!dev.sys_name && !dev.sys_descr)
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

    function renderEvents() {
        const list = document.createDocumentFragment();
        events.forEach((e) => {
            const type = /^[a-z_]+$/.test(e.type || '') ? e.type : 'other';
            const li = el('li', 'event event-' + type);
            li.appendChild(el('time', 'when', WW.fmtDate(e.started_at)));
            li.appendChild(el('span', 'badge badge-event',
                WW.has('event.' + type) ? t('event.' + type) : String(e.type)));
            li.appendChild(el('span', 'device', e.device_name));
            if (e.message)
                li.appendChild(el('span', 'message', e.message));
            if (!e.ended_at && e.type === 'down')
                li.appendChild(el('span', 'ongoing', t('events.ongoing')));
            list.appendChild(li);
        });
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
        renderDevices();
        renderEvents();
    }

    async function refresh() {
        clearTimeout(timer);
        try {
            const got = await Promise.all([WW.loadDevices(), WW.api('GET', '/events?limit=20')]);
            devices = got[0];
            events = got[1].items;
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
            state = 'loading';
            $('search').value = '';
        },
        render: render,
    });
})();
