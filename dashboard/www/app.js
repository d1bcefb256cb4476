// SPDX-License-Identifier: GPL-3.0-or-later
// app.js - the overview page: device states, a diacritics-insensitive search, recent events.
// Every text that comes from the API goes in through textContent or setAttribute, never as
// HTML. Every UI string comes from i18n/<lang>.json. No libraries, nothing from the network
// but our own API.
'use strict';

(function () {
    const LANGS = ['vi', 'en'];
    const LANG_KEY = 'wardwatch.lang';
    const REFRESH_MS = 10000;
    const PAGE = 1000;            // the API's largest limit
    const MAX_DEVICES = 20000;    // stop paging past this, whatever the server says
    const DESCR_CHARS = 60;
    const STATES = ['up', 'down', 'unknown'];

    const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
    const dateFmt = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });

    let strings = {};
    let lang = 'vi';
    let devices = [];
    let events = [];
    let state = 'loading'; // loading, ok, error
    let updatedAt = null;
    let timer = null;

    const $ = (id) => document.getElementById(id);

    function t(key, vars) {
        let s = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
        if (vars)
            s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
        return s;
    }

    // lower case, no diacritics, đ -> d: "Đường truyền" and "duong truyen" match
    function fold(s) {
        return String(s || '').replace(/[đĐ]/g, 'd').normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '').toLowerCase();
    }

    function truncate(s, n) {
        const chars = Array.from(s);
        return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : s;
    }

    function fmtDate(value) {
        const d = value instanceof Date ? value : value ? new Date(value) : null;
        if (!d || isNaN(d.getTime()))
            return t('none');
        const p = {};
        dateFmt.formatToParts(d).forEach((x) => { p[x.type] = x.value; });
        return p.day + '/' + p.month + '/' + p.year + ' ' + p.hour + ':' + p.minute;
    }

    function fmtUptime(sec) {
        if (sec === null || sec === undefined || sec < 0)
            return t('none');
        const d = Math.floor(sec / 86400), h = Math.floor(sec % 86400 / 3600),
            m = Math.floor(sec % 3600 / 60);
        if (d > 0)
            return t('uptime.days', { d: d, h: h });
        if (h > 0)
            return t('uptime.hours', { h: h, m: m });
        return t('uptime.minutes', { m: m });
    }

    function stateOf(dev) {
        return STATES.indexOf(dev.state) >= 0 ? dev.state : 'unknown';
    }

    function replaceAll(node, frag) { // Element.replaceChildren() is too new for some PCs
        while (node.firstChild)
            node.removeChild(node.firstChild);
        node.appendChild(frag);
    }

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls)
            e.className = cls;
        if (text !== undefined && text !== null)
            e.textContent = text;
        return e;
    }

    async function fetchJSON(url) {
        const r = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
        if (!r.ok)
            throw new Error(url + ': HTTP ' + r.status);
        return r.json();
    }

    function savedLang() {
        try {
            const l = localStorage.getItem(LANG_KEY);
            return LANGS.indexOf(l) >= 0 ? l : 'vi';
        } catch (e) {
            return 'vi'; // storage disabled
        }
    }

    async function setLang(l) {
        try {
            strings = await fetchJSON('/i18n/' + l + '.json');
            lang = l;
        } catch (e) {
            if (l !== 'vi')
                return setLang('vi');
        }
        document.documentElement.lang = lang;
        document.querySelectorAll('[data-i18n]').forEach((e) => {
            e.textContent = t(e.getAttribute('data-i18n'));
        });
        document.querySelectorAll('[data-i18n-placeholder]').forEach((e) => {
            e.setAttribute('placeholder', t(e.getAttribute('data-i18n-placeholder')));
        });
        $('lang').value = lang;
        render();
    }

    function renderSummary() {
        const counts = { up: 0, down: 0, unknown: 0 };
        devices.forEach((d) => { counts[stateOf(d)]++; });
        STATES.forEach((s) => { $('count-' + s).textContent = String(counts[s]); });
    }

    function matches(dev, q) {
        if (!q)
            return true;
        const hay = [dev.name, dev.host, dev.kind, t('kind.' + dev.kind), dev.vendor, dev.model,
            dev.sys_name, dev.sys_descr, t('state.' + stateOf(dev))].map(fold).join('\n');
        return hay.indexOf(q) >= 0;
    }

    function deviceRow(dev) {
        const tr = el('tr');
        const st = stateOf(dev);
        tr.appendChild(el('td', 'name', dev.name));
        tr.appendChild(el('td', null, t('kind.' + dev.kind)));
        tr.appendChild(el('td', 'mono', dev.host));
        const badgeCell = el('td');
        badgeCell.appendChild(el('span', 'badge badge-' + st, t('state.' + st)));
        tr.appendChild(badgeCell);
        tr.appendChild(el('td', 'nowrap', fmtDate(dev.state_since)));
        tr.appendChild(el('td', 'nowrap', fmtUptime(dev.uptime_seconds)));
        const sys = el('td', 'system');
        if (dev.sys_name)
            sys.appendChild(el('strong', null, truncate(dev.sys_name, DESCR_CHARS)));
        if (dev.sys_descr) {
            const descr = el('span', 'descr', truncate(dev.sys_descr, DESCR_CHARS));
            descr.setAttribute('title', dev.sys_descr);
            sys.appendChild(descr);
        }
        if (!dev.sys_name && !dev.sys_descr)
            sys.textContent = t('none');
        tr.appendChild(sys);
        return tr;
    }

    function renderDevices() {
        const q = fold($('search').value.trim());
        const shown = devices.filter((d) => matches(d, q))
            .sort((a, b) => collator.compare(a.name || '', b.name || '') || a.id - b.id);
        const body = document.createDocumentFragment();
        shown.forEach((d) => body.appendChild(deviceRow(d)));
        replaceAll($('devices').tBodies[0], body);
        $('device-count').textContent = state === 'loading' ? ''
            : t('devices.count', { shown: shown.length, total: devices.length });
        const empty = $('devices-empty');
        empty.hidden = state === 'loading' || shown.length > 0;
        empty.textContent = devices.length ? t('devices.no_match') : t('devices.empty');
    }

    function renderEvents() {
        const list = document.createDocumentFragment();
        events.forEach((e) => {
            const li = el('li', 'event event-' + (e.type || 'other'));
            li.appendChild(el('time', 'when', fmtDate(e.started_at)));
            li.appendChild(el('span', 'badge badge-event', t('event.' + e.type)));
            li.appendChild(el('span', 'device', e.device_name));
            if (e.message)
                li.appendChild(el('span', 'message', e.message));
            if (!e.ended_at && e.type === 'down')
                li.appendChild(el('span', 'ongoing', t('events.ongoing')));
            list.appendChild(li);
        });
        replaceAll($('events'), list);
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
            s.textContent = t('updated', { time: fmtDate(updatedAt) });
    }

    function render() {
        renderStatus();
        renderSummary();
        renderDevices();
        renderEvents();
    }

    async function loadDevices() {
        let items = [], offset = 0, total = 0;
        do {
            const page = await fetchJSON('/api/v1/devices?limit=' + PAGE + '&offset=' + offset);
            items = items.concat(page.items);
            total = page.total;
            offset += page.items.length;
            if (!page.items.length)
                break;
        } while (offset < total && offset < MAX_DEVICES);
        return items;
    }

    async function refresh() {
        clearTimeout(timer);
        try {
            const got = await Promise.all([loadDevices(), fetchJSON('/api/v1/events?limit=20')]);
            devices = got[0];
            events = got[1].items;
            updatedAt = new Date();
            state = 'ok';
        } catch (e) {
            state = 'error'; // keep showing what we had
        }
        render();
        timer = setTimeout(refresh, REFRESH_MS);
    }

    function start() {
        $('lang').addEventListener('change', (ev) => {
            const l = ev.target.value;
            if (LANGS.indexOf(l) < 0)
                return;
            try {
                localStorage.setItem(LANG_KEY, l);
            } catch (e) { /* storage disabled: the choice lasts this page */ }
            setLang(l);
        });
        $('search').addEventListener('input', renderDevices);
        setLang(savedLang()).then(refresh);
    }

    if (document.readyState === 'loading')
        document.addEventListener('DOMContentLoaded', start);
    else
        start();
})();
