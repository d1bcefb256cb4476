// SPDX-License-Identifier: GPL-3.0-or-later
// app.js - the shell of the single-page UI: strings (i18n), formats, the one fetch wrapper,
// the session (log in/out), the menu by permission and the hash router. The pages
// (overview.js, devices.js, account.js, and on their first visit device.js, outages.js,
// alerts.js, maintenance.js and the admin's users.js, audit.js) register themselves in WW.pages.
//
// Rules kept in every file: text from the server goes in through textContent,
// createTextNode or setAttribute, never as HTML; every UI string comes from
// i18n/<lang>.json; no inline script or style, nothing from the network but our own server.
'use strict';

(function () {
    const WW = window.WW = {};
    const LANGS = ['vi', 'en'];
    const LANG_KEY = 'wardwatch.lang';
    const NOTICE_MS = 6000;
    const API_TIMEOUT_MS = 60000; // a request a stopped server accepted ends some time (the
                                  // banner comes from the /health check, sooner)
    const CONN_CHECK_MS = 5000;   // how often the server is asked whether it still answers
    const CONN_TIMEOUT_MS = 4000;
    const PHONE = '(max-width: 640px)';

    /* inventory's inv_device_kinds[], in its order (tests/browser/check_www.py holds them equal) */
    WW.KINDS = ['router', 'switch', 'firewall', 'ap', 'ups', 'printer', 'nas', 'server', 'pc',
        'other'];
    WW.ROLES = ['admin', 'it', 'manager', 'hr', 'viewer'];
    WW.pages = {};
    WW.session = null; // {user, csrf}
    WW.lang = 'vi';

    let strings = {};
    const cache = {};
    let current = null;        // name of the page on screen
    let noticeTimer = null;
    let lastGood = null;       // when the server last answered an API request
    let connDown = false;      // the banner is up: the server stopped answering
    let connTimer = null;
    const PICKED_KEY = 'wardwatch.lang.picked'; // picked while logged out: wins at the next login

    const $ = WW.$ = (id) => document.getElementById(id);

    // ---- strings -------------------------------------------------------------------------
    WW.t = function (key, vars) {
        let s = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
        if (vars)
            s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
        return s;
    };
    WW.has = (key) => Object.prototype.hasOwnProperty.call(strings, key);
    const t = WW.t;

    // ---- formats -------------------------------------------------------------------------
    WW.collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
    const numFmt = new Intl.NumberFormat('vi-VN');
    const vndFmt = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });
    // times are shown and typed in the office zone ([availability] timezone), which the
    // server gives with the session; until then (the login page) the product's default
    let dateFmt = null;
    WW.setZone = function (zone) {
        try {
            dateFmt = new Intl.DateTimeFormat('en-GB', {
                timeZone: zone, day: '2-digit', month: '2-digit', year: 'numeric',
                hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
            });
            WW.zone = zone;
            return true;
        } catch (e) { // a zone this browser does not know: keep the one we have
            return false;
        }
    };
    WW.setZone('Asia/Ho_Chi_Minh');

    // lower case, no diacritics, đ -> d: "Đường truyền" and "duong truyen" match
    WW.fold = function (s) {
        return String(s === null || s === undefined ? '' : s).replace(/[đĐ]/g, 'd')
            .normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    };
    WW.fmtNum = (n) => (typeof n === 'number' && isFinite(n) ? numFmt.format(n) : t('none'));
    WW.fmtVND = (n) => (typeof n === 'number' && isFinite(n) && n >= 0 ? vndFmt.format(n)
        : t('none'));

    function parts(d) {
        const p = {};
        dateFmt.formatToParts(d).forEach((x) => { p[x.type] = x.value; });
        return p;
    }
    // the zone's offset from UTC at instant @sec (epoch seconds), in seconds; from Intl, so
    // that a zone with daylight saving gets the offset of that very instant
    function offsetAt(sec) {
        const p = parts(new Date(sec * 1000));
        return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second) / 1000
            - sec;
    }
    // dd/mm/yyyy HH:MM in the office zone
    WW.fmtDate = function (value) {
        const d = value instanceof Date ? value : value ? new Date(value) : null;
        if (!d || isNaN(d.getTime()))
            return t('none');
        const p = parts(d);
        return p.day + '/' + p.month + '/' + p.year + ' ' + p.hour + ':' + p.minute;
    };
    // "YYYY-MM-DD" (a calendar day, no time zone) -> dd/mm/yyyy
    WW.fmtDay = function (iso) {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
        return m ? m[3] + '/' + m[2] + '/' + m[1] : t('none');
    };
    // "d/m/yyyy" typed by a person -> {y, m, d} of a real day, or null
    WW.parseDay = function (s) {
        const m = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/.exec(s || '');
        if (!m)
            return null;
        const y = +m[3], mo = +m[2], d = +m[1];
        const probe = new Date(Date.UTC(y, mo - 1, d));
        if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d)
            return null;
        return { y: y, m: mo, d: d };
    };
    WW.dayISO = (p) => p.y + '-' + String(p.m).padStart(2, '0') + '-' + String(p.d).padStart(2, '0');
    // epoch seconds of the wall time h:mi of day p in the office zone: the wall time read as
    // UTC, less the offset; the offset taken again at the instant found (a DST change between)
    WW.zoneTime = function (p, h, mi) {
        const wall = Date.UTC(p.y, p.m - 1, p.d, h || 0, mi || 0) / 1000;
        return wall - offsetAt(wall - offsetAt(wall));
    };
    // epoch seconds of 00:00 of that day, and of the last second of it, in the office zone
    WW.dayStart = (p) => WW.zoneTime(p, 0, 0);
    WW.dayEnd = function (p) {
        const next = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
        return WW.zoneTime({ y: next.getUTCFullYear(), m: next.getUTCMonth() + 1,
            d: next.getUTCDate() }, 0, 0) - 1;
    };

    WW.fmtUptime = function (sec) {
        if (sec === null || sec === undefined || sec < 0)
            return t('none');
        const d = Math.floor(sec / 86400), h = Math.floor(sec % 86400 / 3600),
            m = Math.floor(sec % 3600 / 60);
        if (d > 0)
            return t('uptime.days', { d: numFmt.format(d), h: h });
        if (h > 0)
            return t('uptime.hours', { h: h, m: m });
        return t('uptime.minutes', { m: m });
    };
    WW.truncate = function (s, n) {
        const chars = Array.from(String(s));
        return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : String(s);
    };
    WW.kindName = (k) => (WW.has('kind.' + k) ? t('kind.' + k) : String(k || t('none')));
    WW.roleName = (r) => (WW.has('role.' + r) ? t('role.' + r) : String(r || t('none')));
    WW.STATES = ['up', 'down', 'unreachable', 'unknown'];
    WW.stateOf = (dev) => (WW.STATES.indexOf(dev.state) >= 0 ? dev.state : 'unknown');

    // a length of time in words: "45 giây", "1 giờ 30 phút", "2 ngày 3 giờ"
    WW.fmtDuration = function (sec) {
        if (typeof sec !== 'number' || !isFinite(sec) || sec < 0)
            return t('none');
        return sec < 60 ? t('uptime.seconds', { s: Math.floor(sec) }) : WW.fmtUptime(sec);
    };
    const pctFmt = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const oneFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
    // 99.5 -> "99,50 %"; null (nothing monitored) -> "—"
    WW.fmtPct = (p) => (typeof p === 'number' && isFinite(p) ? pctFmt.format(p) + '\u00a0%' : t('none'));
    // bits per second with an SI prefix: 1500000 -> "1,5 Mbit/s"
    WW.fmtBps = function (b) {
        if (typeof b !== 'number' || !isFinite(b) || b < 0)
            return t('none');
        const u = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
        let i = 0;
        while (b >= 1000 && i < u.length - 1) {
            b /= 1000;
            i++;
        }
        return oneFmt.format(b) + '\u00a0' + u[i];
    };
    // "d/m/yyyy[ HH:MM]" typed by a person (office zone) -> epoch seconds, or null
    WW.parseDayTime = function (s) {
        const m = /^\s*(\S+?)(?:\s+(\d{1,2})[:h](\d{2}))?\s*$/.exec(s || '');
        const p = m && WW.parseDay(m[1]);
        if (!p || (m[2] && (+m[2] > 23 || +m[3] > 59)))
            return null;
        return WW.zoneTime(p, m[2] ? +m[2] : 0, m[2] ? +m[3] : 0);
    };
    WW.isoOf = (epoch) => new Date(epoch * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

    // ---- DOM -----------------------------------------------------------------------------
    WW.el = function (tag, cls, text) {
        const e = document.createElement(tag);
        if (cls)
            e.className = cls;
        if (text !== undefined && text !== null)
            e.textContent = text;
        return e;
    };
    WW.clear = function (node) { // Element.replaceChildren() is too new for some PCs
        while (node.firstChild)
            node.removeChild(node.firstChild);
        return node;
    };
    WW.fill = (node, frag) => WW.clear(node).appendChild(frag);
    // a table row; each cell is text, a node, or null ("—")
    WW.row = function (cells, cls) {
        const tr = WW.el('tr', cls);
        cells.forEach((c) => {
            const td = WW.el('td');
            if (c instanceof Node)
                td.appendChild(c);
            else
                td.textContent = c === null || c === undefined || c === '' ? t('none') : String(c);
            tr.appendChild(td);
        });
        return tr;
    };
    // the rows into a table body; the "nothing here" line @empty shown when there are none
    WW.rows = function (tbody, list, make, empty) {
        const f = document.createDocumentFragment();
        list.forEach((x) => f.appendChild(make(x)));
        WW.fill(tbody, f);
        if (empty)
            empty.hidden = list.length > 0;
    };
    // ---- a printed administrative document (doc.css's .doc; plan.js, trainreport.js) ------
    // its head: the unit (dots when none) beside the Quốc hiệu, the place-and-date line, title
    WW.docHead = function (box, unitName, placeLine, title) {
        const head = WW.el('div', 'head');
        head.appendChild(WW.el('div', 'unit', unitName || '....................'));
        const nation = WW.el('div');
        nation.appendChild(WW.el('div', 'nation', t('handover.nation')));
        nation.appendChild(WW.el('div', 'motto', t('handover.motto')));
        head.appendChild(nation);
        box.appendChild(head);
        box.appendChild(WW.el('p', 'place', placeLine));
        box.appendChild(WW.el('h1', null, title));
    };
    // a bordered table of @heads and @rows (each a list of cells for WW.row); returns it
    WW.docTable = function (box, heads, rows) {
        const table = WW.el('table', 'grid');
        table.appendChild(WW.el('thead')).appendChild(WW.row(heads));
        const body = table.appendChild(WW.el('tbody'));
        rows.forEach((r) => body.appendChild(WW.row(r)));
        box.appendChild(table);
        return table;
    };
    // the signature blocks: the words of each of @keys above "(Ký, ghi rõ họ tên)"
    WW.docSign = function (box, keys) {
        const sign = WW.el('div', 'sign');
        keys.forEach((k) => {
            const d = WW.el('div');
            d.appendChild(WW.el('b', null, t(k)));
            d.appendChild(WW.el('i', null, t('handover.sign_hint')));
            sign.appendChild(d);
        });
        box.appendChild(sign);
    };
    // print @node alone (style.css: body.printing shows only it), hidden again afterwards
    WW.docPrint = function (node) {
        node.hidden = false;
        document.body.classList.add('printing');
        const done = () => {
            document.body.classList.remove('printing');
            node.hidden = true;
            window.removeEventListener('afterprint', done);
        };
        window.addEventListener('afterprint', done);
        window.print();
    };
    WW.link = function (href, text, cls) {
        const a = WW.el('a', cls, text);
        a.setAttribute('href', href);
        return a;
    };
    // a term of a replacement score (inventory/score.c: code, p0, p1, points) in words, as
    // "7,5 năm tuổi, tuổi thọ 5: +30"; the plan page and the device page share it
    WW.termText = function (tm) {
        const one = new Intl.NumberFormat(WW.lang === 'en' ? 'en-GB' : 'vi-VN',
            { maximumFractionDigits: 1 });
        let key = 'score.term.' + tm.code, a = tm.p0, b = tm.p1;
        if (tm.code === 'age')
            a = one.format(Math.round(tm.p0 * 10 / 12) / 10);
        else if (tm.code === 'downtime')
            a = one.format(tm.p1 > 0 ? Math.round(tm.p0 * 1000 / tm.p1) / 10 : 0);
        else if (tm.code === 'repair') {
            a = WW.fmtNum(tm.p0);
            b = WW.fmtNum(tm.p1);
        } else if (tm.code === 'critical')
            key = tm.p0 === 2 ? 'score.term.critical2' : 'score.term.critical1';
        return (WW.has(key) ? t(key, { a: a, b: b }) : tm.code) + ': +' + tm.points;
    };
    WW.badge = (kind, text) => WW.el('span', 'badge badge-' + kind, text);
    WW.stateBadge = (st) => WW.badge(st, t('state.' + st));
    // the previous/next buttons of a paged list: @pos() tells {offset, shown, total} now,
    // @go(offset) loads that page
    WW.pager = function (prev, next, page, pos, go) {
        prev.addEventListener('click', () => go(Math.max(0, pos().offset - page)));
        next.addEventListener('click', () => {
            const p = pos();
            if (p.offset + p.shown < p.total)
                go(p.offset + page);
        });
    };
    // a paged list's status line, "nothing here" line, range and buttons: the elements
    // <prefix>-status, -empty, -range, -prev, -next; @state loading, ok or error
    WW.pagedState = function (prefix, state, shown, offset, total) {
        const s = WW.$(prefix + '-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        WW.$(prefix + '-empty').hidden = state !== 'ok' || shown > 0;
        WW.$(prefix + '-range').textContent = total ? t('pager.range', {
            from: WW.fmtNum(offset + 1), to: WW.fmtNum(offset + shown), total: WW.fmtNum(total),
        }) : '';
        WW.$(prefix + '-prev').disabled = offset <= 0;
        WW.$(prefix + '-next').disabled = offset + shown >= total;
    };
    // a link to the device page, the device's name as text
    WW.devLink = (id, name) => (id ? WW.link('#/device/' + encodeURIComponent(id), name || t('none'))
        : WW.el('span', null, name || t('none')));
    // the second part of "#/page/<arg>" and the "?a=1&b=2" of the hash
    WW.hashArg = () => decodeURIComponent(location.hash.replace(/^#\/?/, '').split('?')[0].split('/')[1] || '');
    WW.hashQuery = () => new URLSearchParams(location.hash.split('?')[1] || '');
    // a <select> of devices, sorted the Vietnamese way; @first: the label of the empty choice
    WW.deviceSelect = function (select, devices, first) {
        const keep = select.value;
        WW.clear(select);
        if (first) {
            const o = WW.el('option', null, first);
            o.value = '';
            select.appendChild(o);
        }
        devices.slice().sort((a, b) => WW.collator.compare(a.name || '', b.name || '') || a.id - b.id)
            .forEach((d) => {
                const o = WW.el('option', null, d.name);
                o.value = String(d.id);
                select.appendChild(o);
            });
        select.value = keep;
        if (select.selectedIndex < 0)
            select.selectedIndex = 0;
    };
    // an inline "are you sure?" (no browser dialogs): @box gets the text and two buttons;
    // @yesKey names the first (default: delete)
    WW.ask = function (box, text, onYes, yesKey) {
        WW.clear(box);
        box.className = 'panel confirm';
        box.setAttribute('role', 'alertdialog');
        box.appendChild(WW.el('p', null, text));
        const err = WW.el('p', 'form-error');
        err.hidden = true;
        box.appendChild(err);
        const acts = WW.el('div', 'actions');
        acts.appendChild(WW.button(yesKey || 'action.delete', 'btn-danger confirm-yes', async () => {
            try {
                await onYes();
                box.hidden = true;
            } catch (e) {
                if (e.status !== 401)
                    WW.showError(err, WW.errorText(e));
            }
        }));
        acts.appendChild(WW.button('action.cancel', 'confirm-no', () => { box.hidden = true; }));
        box.appendChild(acts);
        box.hidden = false;
        box.querySelector('.confirm-no').focus();
    };
    // a translated sentence and the server's own detail (which field) for a failed change
    WW.apiError = function (box, e) {
        WW.showError(box, WW.errorText(e));
        if (e.code === 'invalid' && e.detail)
            box.appendChild(WW.el('span', 'detail', ' (' + e.detail + ')'));
    };
    WW.button = function (key, cls, onClick) {
        const b = WW.el('button', 'btn ' + (cls || ''), t(key));
        b.type = 'button';
        b.addEventListener('click', onClick);
        return b;
    };
    WW.options = function (select, values, label) {
        const keep = select.value;
        WW.clear(select);
        values.forEach((v) => {
            const o = WW.el('option', null, label(v));
            o.value = v;
            select.appendChild(o);
        });
        if (values.indexOf(keep) >= 0)
            select.value = keep;
    };
    WW.showError = function (node, text) {
        node.textContent = text || '';
        node.hidden = !text;
    };

    function applyStatic(root) {
        root.querySelectorAll('[data-i18n]').forEach((e) => {
            e.textContent = t(e.getAttribute('data-i18n'));
        });
        root.querySelectorAll('[data-i18n-placeholder]').forEach((e) => {
            e.setAttribute('placeholder', t(e.getAttribute('data-i18n-placeholder')));
        });
        root.querySelectorAll('[data-i18n-aria]').forEach((e) => {
            e.setAttribute('aria-label', t(e.getAttribute('data-i18n-aria')));
        });
    }

    // a short message under the header; kind: 'ok' or 'error'
    WW.notice = function (text, kind) {
        const n = $('notice');
        clearTimeout(noticeTimer);
        n.textContent = text;
        n.className = 'notice ' + (kind === 'error' ? 'notice-error' : 'notice-ok');
        n.hidden = false;
        noticeTimer = setTimeout(() => { n.hidden = true; }, NOTICE_MS);
    };
    function clearNotice() {
        clearTimeout(noticeTimer);
        $('notice').hidden = true;
    }

    // ---- the one fetch wrapper -----------------------------------------------------------
    class ApiError extends Error {
        constructor(status, code, detail, retryAfter, field, reason, params) {
            super(code);
            this.status = status;
            this.code = code;
            this.detail = detail || '';
            this.retryAfter = retryAfter;
            this.field = field || '';   // the field at fault (its API name)
            this.reason = reason || ''; // why inventory refused it (a reason code)
            this.params = params || {};
        }
    }
    WW.ApiError = ApiError;

    // api(method, path under /api/v1, body?, type?) -> parsed JSON (null for 204); throws
    // ApiError (its .data: the answer's JSON, for answers that are data, as the CSV import's
    // 422). A 401 returns to the login view (except for the login itself); a 403 'forbidden'
    // says "not allowed". Every changing request carries the CSRF token and a JSON content
    // type, or @type with @body sent as it is (the CSV import's text/csv); @headers: more
    // request headers (the training import's confirmation).
    WW.api = async function (method, path, body, type, headers) {
        const opt = { method: method, credentials: 'same-origin', cache: 'no-store',
            headers: { Accept: 'application/json' } };
        if (method !== 'GET' && method !== 'HEAD') {
            opt.headers['Content-Type'] = type || 'application/json';
            if (WW.session)
                opt.headers['X-CSRF-Token'] = WW.session.csrf;
            Object.assign(opt.headers, headers || {});
            if (body !== undefined)
                opt.body = type ? body : JSON.stringify(body);
        }
        let r;
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), API_TIMEOUT_MS);
        opt.signal = abort.signal;
        try {
            r = await fetch('/api/v1' + path, opt);
        } catch (e) {
            connLost();
            throw new ApiError(0, 'network');
        } finally {
            clearTimeout(timer);
        }
        // a proxy's "no upstream" is the server not answering too
        if (r.status === 502 || r.status === 504)
            connLost();
        else
            connOk();
        let data = null;
        if (r.status !== 204) {
            try {
                data = await r.json();
            } catch (e) {
                data = null;
            }
        }
        if (r.ok)
            return data;
        const e = data && data.error ? data.error : {};
        const ra = parseInt(r.headers.get('Retry-After') || '', 10);
        const err = new ApiError(r.status, typeof e.code === 'string' ? e.code : 'http_' + r.status,
            str(e.message), isNaN(ra) ? null : ra, str(e.field), str(e.reason),
            e.params && typeof e.params === 'object' ? e.params : {});
        err.data = data;
        const isLogin = method === 'POST' && path === '/session';
        if (r.status === 401 && !isLogin)
            sessionLost();
        else if (r.status === 403 && err.code === 'forbidden')
            WW.notice(t('error.forbidden'), 'error');
        throw err;
    };

    // importCsv(path, text, status node, headers?) -> a CSV import's answer, also when it
    // refuses rows (422/400 with errors: data); null when another error was shown in @status
    // (nothing shown for a 401: the login view is back)
    WW.importCsv = async function (path, text, status, headers) {
        status.classList.remove('error');
        status.textContent = t('loading');
        try {
            return await WW.api('POST', path, text, 'text/csv', headers);
        } catch (e) {
            if (e.data && Array.isArray(e.data.errors))
                return e.data;
            if (e.status !== 401) {
                status.classList.add('error');
                status.textContent = WW.errorText(e);
            }
            return null;
        }
    };

    // a translated sentence for an API error
    const str = (v) => (typeof v === 'string' ? v : '');
    WW.errorText = function (err) {
        if (!(err instanceof ApiError))
            return t('error.unexpected');
        if (err.status === 429)
            return t('error.too_many_attempts', { s: WW.fmtNum(err.retryAfter || 30) });
        // a refusal names the field and why, in the reader's language
        if (err.reason && WW.has('reason.' + err.reason)) {
            const field = WW.has('field.' + err.field) ? t('field.' + err.field) : err.field;
            return t('reason.' + err.reason, { field: field, param: str(err.params.param) });
        }
        if (WW.has('error.' + err.code))
            return t('error.' + err.code);
        if (err.status >= 500)
            return t('error.server');
        return t('error.unexpected');
    };

    // ---- connection: a banner while the server does not answer ---------------------------
    // Every API answer counts as a sign of life; while logged in, the server is also asked
    // every few seconds (GET /health), so pages that do not refresh say it too. The page
    // greys what it shows (main.offline) and, once the server answers again, shows the
    // page again, which reloads its data.
    function renderConn() {
        const b = $('conn');
        b.hidden = !connDown;
        document.querySelector('main').classList.toggle('offline', connDown);
        if (connDown)
            b.textContent = lastGood ? t('conn.lost', { time: WW.fmtDate(lastGood) })
                : t('conn.lost_never');
    }
    function connLost() {
        if (connDown)
            return;
        connDown = true;
        renderConn();
    }
    function connOk() {
        lastGood = new Date();
        if (!connDown)
            return;
        connDown = false;
        renderConn();
        if (WW.session && current)
            route(); // the page shows again, with fresh data
    }
    WW.offline = () => connDown;
    async function connCheck() {
        clearTimeout(connTimer);
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), CONN_TIMEOUT_MS);
        try {
            const r = await fetch('/api/v1/health', { credentials: 'same-origin', cache: 'no-store',
                headers: { Accept: 'application/json' }, signal: abort.signal });
            if (r.status === 502 || r.status === 504)
                connLost();
            else
                connOk();
        } catch (e) {
            connLost();
        } finally {
            clearTimeout(timer);
        }
        if (WW.session)
            connTimer = setTimeout(connCheck, CONN_CHECK_MS);
    }
    function connWatch() {
        clearTimeout(connTimer);
        connTimer = setTimeout(connCheck, CONN_CHECK_MS);
    }

    // ---- phones: tables as cards, one label per value -------------------------------------
    // On a narrow screen (style.css, @media) each row is a card and each cell shows its
    // column's heading from data-label; the labels are copied from the table's <thead>
    // whenever a body is filled, so no page has to know.
    WW.phone = () => window.matchMedia(PHONE).matches;
    // call @fn(isPhone) now and whenever the window crosses the phone width
    WW.onPhone = function (fn) {
        const mq = window.matchMedia(PHONE);
        fn(mq.matches);
        mq.addEventListener('change', (ev) => fn(ev.matches));
    };
    function labelCells(table) {
        const heads = table.tHead && table.tHead.rows[0] ? Array.from(table.tHead.rows[0].cells) : [];
        if (!heads.length)
            return;
        Array.from(table.tBodies).forEach((tb) => Array.from(tb.rows).forEach((tr) => {
            let col = 0;
            Array.from(tr.cells).forEach((td) => {
                const th = heads[col];
                const text = th ? th.textContent.trim() : '';
                if (text)
                    td.setAttribute('data-label', text);
                else
                    td.removeAttribute('data-label');
                col += td.colSpan || 1;
            });
        }));
    }
    function labelAll() {
        document.querySelectorAll('main table').forEach(labelCells);
    }
    function watchTables() {
        new MutationObserver((list) => {
            const seen = new Set();
            const label = (table) => {
                if (table && !seen.has(table)) {
                    seen.add(table);
                    labelCells(table);
                }
            };
            list.forEach((m) => {
                label(m.target.closest ? m.target.closest('table') : null);
                // a whole table put in at once (a graph's legend)
                m.addedNodes.forEach((n) => {
                    if (n.nodeType === 1)
                        (n.tagName === 'TABLE' ? [n] : n.querySelectorAll('table')).forEach(label);
                });
            });
        }).observe(document.querySelector('main'), { childList: true, subtree: true });
    }

    // a form's error line goes once the person corrects a field or sends it again (the
    // handler shows a new one when it is still wrong)
    function clearFormErrors(ev) {
        const form = ev.target && ev.target.closest ? ev.target.closest('form') : null;
        if (form)
            form.querySelectorAll('.form-error').forEach((e) => WW.showError(e, ''));
    }

    // ---- language ------------------------------------------------------------------------
    function savedLang() {
        try {
            const l = localStorage.getItem(LANG_KEY);
            return LANGS.indexOf(l) >= 0 ? l : 'vi';
        } catch (e) {
            return 'vi'; // storage disabled
        }
    }
    function storeLang(l, picked) {
        try {
            localStorage.setItem(LANG_KEY, l);
            if (picked)
                localStorage.setItem(PICKED_KEY, '1');
            else
                localStorage.removeItem(PICKED_KEY);
        } catch (e) { /* storage disabled: the choice lasts this page */ }
    }
    function pickedLang() {
        try {
            return localStorage.getItem(PICKED_KEY) === '1';
        } catch (e) {
            return false;
        }
    }

    async function loadStrings(l) {
        if (cache[l])
            return cache[l];
        const r = await fetch('/i18n/' + l + '.json', { credentials: 'same-origin' });
        if (!r.ok)
            throw new Error('i18n ' + l);
        cache[l] = await r.json();
        return cache[l];
    }

    async function setLang(l) {
        try {
            strings = await loadStrings(l);
            WW.lang = l;
        } catch (e) {
            if (l !== 'vi')
                return setLang('vi');
        }
        document.documentElement.lang = WW.lang;
        applyStatic(document);
        $('lang').value = WW.lang;
        $('ac-lang').value = WW.lang;
        renderShell();
        renderConn();
        labelAll();
        Object.keys(WW.pages).forEach((n) => {
            if (WW.pages[n].relabel)
                WW.pages[n].relabel();
        });
        if (current && WW.pages[current] && WW.pages[current].render)
            WW.pages[current].render();
    }

    // the person picked a language: show it, remember it here and, with a session, there
    WW.chooseLang = async function (l) {
        if (LANGS.indexOf(l) < 0)
            return;
        storeLang(l, !WW.session);
        await setLang(l);
        if (!WW.session)
            return;
        try {
            await WW.api('PUT', '/me/lang', { lang: l });
            WW.session.user.lang = l;
        } catch (e) {
            if (e.status !== 401)
                WW.notice(WW.errorText(e), 'error');
        }
    };

    // ---- session -------------------------------------------------------------------------
    WW.can = (perm) => !!(WW.session && WW.session.user.permissions &&
        WW.session.user.permissions.indexOf(perm) >= 0);

    function renderShell() {
        document.title = t('title');
        const on = !!WW.session;
        $('nav').hidden = !on;
        $('who').hidden = !on;
        $('logout').hidden = !on;
        if (!on)
            return;
        const u = WW.session.user;
        $('who').textContent = t('who', { name: u.full_name || u.login, role: WW.roleName(u.role) });
        document.querySelectorAll('#nav a').forEach((a) => {
            const perm = a.getAttribute('data-perm');
            a.hidden = !!perm && !WW.can(perm);
            const here = a.getAttribute('data-page') === current;
            a.classList.toggle('active', here);
            if (here)
                a.setAttribute('aria-current', 'page');
            else
                a.removeAttribute('aria-current');
        });
    }

    function hideViews() {
        if (current && WW.pages[current] && WW.pages[current].hide)
            WW.pages[current].hide();
        current = null;
        document.querySelectorAll('main > .view').forEach((v) => { v.hidden = true; });
    }

    function showLogin() {
        hideViews();
        Object.keys(WW.pages).forEach((n) => { // nothing of the last user stays in the page
            if (WW.pages[n].reset)
                WW.pages[n].reset();
        });
        renderShell();
        $('view-login').hidden = false;
        document.title = t('login.heading') + ' – ' + t('product');
        const name = $('login-name');
        if (!name.value)
            name.focus();
        else
            $('login-password').focus();
    }

    // the server said 401: the session is gone (expired, logged out elsewhere)
    function sessionLost() {
        const had = !!WW.session;
        WW.session = null;
        showLogin();
        if (had)
            WW.showError($('login-error'), t('login.expired'));
    }

    async function startSession(data) {
        WW.session = { user: data.user, csrf: data.csrf_token };
        connWatch();
        if (data.display && data.display.timezone)
            WW.setZone(data.display.timezone);
        const want = WW.session.user.lang;
        if (pickedLang() && want !== WW.lang) {
            // picked on the login page: that choice wins and is remembered for the account
            try {
                await WW.api('PUT', '/me/lang', { lang: WW.lang });
                WW.session.user.lang = WW.lang;
            } catch (e) { /* keep going in the chosen language */ }
            storeLang(WW.lang, false);
        } else if (LANGS.indexOf(want) >= 0) {
            storeLang(want, false); // the login page shows it next time too
            if (want !== WW.lang)
                await setLang(want);
        }
    }

    // a login the server was too busy to check (503 busy: a few hash at once) is sent again
    async function loginTry(login, password) {
        for (let i = 0; ; i++) {
            try {
                return await WW.api('POST', '/session', { login: login, password: password });
            } catch (e) {
                if (!(e.status === 503 && e.code === 'busy') || i >= 4)
                    throw e;
                await new Promise((ok) => setTimeout(ok, 1000 * Math.min(e.retryAfter || 1, 5)));
            }
        }
    }

    async function onLogin(ev) {
        ev.preventDefault();
        const login = $('login-name').value.trim(), password = $('login-password').value;
        const errBox = $('login-error');
        if (!login || !password) {
            WW.showError(errBox, t('login.missing'));
            return;
        }
        const btn = $('login-submit');
        btn.disabled = true;
        WW.showError(errBox, '');
        try {
            const data = await loginTry(login, password);
            $('login-password').value = '';
            await startSession(data);
            clearNotice();
            route();
        } catch (e) {
            if (e.status === 401)
                WW.showError(errBox, t('login.bad_credentials'));
            else if (e.status === 429)
                WW.showError(errBox, t('login.throttled', { s: WW.fmtNum(e.retryAfter || 30) }));
            else
                WW.showError(errBox, WW.errorText(e));
            $('login-password').select();
        } finally {
            btn.disabled = false;
        }
    }

    async function onLogout() {
        try {
            await WW.api('DELETE', '/session');
        } catch (e) { /* 401: already gone; anything else: forget it here anyway */ }
        WW.session = null;
        $('login-name').value = '';
        WW.showError($('login-error'), '');
        clearNotice();
        location.hash = '#/overview';
        showLogin();
    }

    // ---- router --------------------------------------------------------------------------
    WW.page = function (name, def) { WW.pages[name] = def; };

    // pages whose script is fetched on the first visit: the first load of the UI stays
    // small on old office PCs (their views are in index.html, hidden, like the others)
    const LATER = { device: '/device.js', outages: '/outages.js', alerts: '/alerts.js',
        maintenance: '/maintenance.js', users: '/users.js', audit: '/audit.js',
        settings: '/settings.js', reports: '/reports.js', units: '/units.js', training: '/training.js',
        unregistered: '/unregistered.js', unknown: '/unknown.js', traffic: '/traffic.js', checks: '/checks.js', plan: '/plan.js' };
    const loading = {};
    function loadPage(name) {
        if (!loading[name]) {
            loading[name] = new Promise((resolve, reject) => {
                const s = document.createElement('script');
                s.addEventListener('load', resolve);
                s.addEventListener('error', reject);
                s.setAttribute('src', LATER[name]);
                document.head.appendChild(s);
            }).then(() => {
                const page = WW.pages[name];
                if (!page)
                    throw new Error(name);
                if (page.init)
                    page.init();
                if (page.relabel)
                    page.relabel();
            }, (e) => {
                delete loading[name]; // try again at the next visit
                throw e;
            });
        }
        return loading[name];
    }

    function pageName() {
        const h = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
        return WW.pages[h] || LATER[h] ? h : 'overview';
    }

    async function route() {
        if (!WW.session) {
            showLogin();
            return;
        }
        const name = pageName();
        if (!WW.pages[name]) {
            try {
                await loadPage(name);
            } catch (e) {
                WW.notice(t('error.load_once'), 'error');
                return;
            }
            if (pageName() !== name || !WW.session)
                return; // moved on meanwhile: that route() call shows its own page
        }
        const page = WW.pages[name];
        hideViews();
        current = name;
        renderShell();
        window.scrollTo(0, 0);
        if (page.perm && !WW.can(page.perm)) {
            $('view-forbidden').hidden = false;
            document.title = t('forbidden.heading') + ' – ' + t('product');
            return;
        }
        document.title = t('nav.' + name) + ' – ' + t('product');
        $(page.view).hidden = false;
        page.show();
    }
    WW.route = route;

    async function start() {
        $('lang').addEventListener('change', (ev) => WW.chooseLang(ev.target.value));
        $('ac-lang').addEventListener('change', (ev) => WW.chooseLang(ev.target.value));
        $('login-form').addEventListener('submit', onLogin);
        $('logout').addEventListener('click', onLogout);
        window.addEventListener('hashchange', () => {
            clearNotice(); // a notice belongs to the page it was said on
            route();
        });
        document.addEventListener('input', clearFormErrors, true);
        document.addEventListener('change', clearFormErrors, true);
        document.addEventListener('submit', clearFormErrors, true);
        watchTables();
        Object.keys(WW.pages).forEach((n) => {
            if (WW.pages[n].init)
                WW.pages[n].init();
        });
        await setLang(savedLang());
        try {
            const data = await WW.api('GET', '/session');
            await startSession(data);
        } catch (e) {
            WW.session = null; // 401 already showed the login; anything else: log in again
        }
        $('boot').hidden = true;
        route();
        document.documentElement.setAttribute('data-ready', '1');
    }

    if (document.readyState === 'loading')
        document.addEventListener('DOMContentLoaded', start);
    else
        setTimeout(start, 0);
})();
