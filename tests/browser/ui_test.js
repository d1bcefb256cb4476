// SPDX-License-Identifier: GPL-3.0-or-later
// ui_test.js - drives Debian's chromium through playwright-core against a running
// wardwatch-dashboard that test_browser.sh set up; prints one "ok - ..." / "not ok - ..."
// line per case, "# ..." lines for figures (page weight, load time, screenshots).
// Environment: WW_URL, WW_ADMIN_PW, WW_USER_PW (every other account), WW_WWW (the www
// folder, for the strings), WW_SHOTS (screenshot folder), WW_COMMUNITY and WW_SECRET (an
// SNMP community and a webhook secret that must never show).
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const URL0 = process.env.WW_URL;
const ADMIN_PW = process.env.WW_ADMIN_PW;
const USER_PW = process.env.WW_USER_PW;
const WWW = process.env.WW_WWW;
const SHOTS = process.env.WW_SHOTS;
const COMMUNITY = process.env.WW_COMMUNITY || '';
const SECRET = process.env.WW_SECRET || '';
const STEP_MS = 8000;

const S = {
    vi: JSON.parse(fs.readFileSync(path.join(WWW, 'i18n/vi.json'), 'utf8')),
    en: JSON.parse(fs.readFileSync(path.join(WWW, 'i18n/en.json'), 'utf8')),
};
function T(lang, key, vars) {
    let s = S[lang][key];
    if (s === undefined)
        throw new Error('no string ' + key);
    if (vars)
        s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
}

const XSS_NAME = '<script>alert(1)</script>';
const BEN_NGHE = 'Máy chủ Phường Bến Nghé';
const DONG_HOA = 'Máy in tầng 2 – Phường Đông Hòa';
// in Vietnamese order (a < ă < â, d < đ, o < ô < ơ, u < ư); a plain code-point or
// root-collation sort puts them otherwise
const SORTED = ['Anh Tuấn – máy kế toán', 'Ăng-ten Wi-Fi sân', 'Âm ly hội trường',
    'Bộ định tuyến VNPT', 'Dây mạng tầng 1', 'Đầu ghi camera', 'Điểm phát Wi-Fi tầng 2',
    BEN_NGHE, DONG_HOA, 'Ổ cứng mạng NAS', 'Ơ-ten thử nghiệm', 'Ung dụng một cửa', 'Ưu tiên – UPS phòng họp'];
const UPTIME_MENU = ['overview', 'outages', 'alerts', 'maintenance', 'unregistered'];
const MENUS = { // Units (org units) is everyone's to read
    admin: UPTIME_MENU.concat(['devices', 'units', 'reports', 'traffic', 'unknown', 'checks', 'plan', 'users', 'audit', 'settings', 'training', 'account']),
    it: UPTIME_MENU.concat(['devices', 'units', 'reports', 'traffic', 'unknown', 'checks', 'plan', 'account']),
    manager: UPTIME_MENU.concat(['units', 'reports', 'plan', 'training', 'account']), // training: names and summaries
    hr: UPTIME_MENU.concat(['units', 'reports', 'training', 'account']),
    viewer: UPTIME_MENU.concat(['units', 'account']),
};
const GUARDED = {
    devices: { method: 'POST', path: '/api/v1/devices', body: '{}' },
    users: { method: 'GET', path: '/api/v1/users' },
    audit: { method: 'GET', path: '/api/v1/audit' },
    training: { method: 'GET', path: '/api/v1/training/compliance' }, // staff data: Decree 13
    unknown: { method: 'GET', path: '/api/v1/unknown-devices' },
    checks: { method: 'GET', path: '/api/v1/checks' },
    traffic: { method: 'GET', path: '/api/v1/traffic' },
    plan: { method: 'GET', path: '/api/v1/plan' },
};

let failures = 0;
let weight = ''; // page weight and load time, printed at the end
const problems = { dialogs: [], pageErrors: [], csp: [], console: [] };

function ok(name) { console.log('ok - ' + name); }
function notOk(name, why) {
    failures++;
    console.log('not ok - ' + name + (why ? ': ' + String(why).split('\n')[0] : ''));
}
async function test(name, fn) {
    try {
        await fn();
        ok(name);
    } catch (e) {
        notOk(name, e && e.message ? e.message : e);
    }
}
function expect(cond, why) {
    if (!cond)
        throw new Error(why);
}
function eq(got, want, what) {
    const g = JSON.stringify(got), w = JSON.stringify(want);
    if (g !== w)
        throw new Error((what || 'value') + ': got ' + g + ', want ' + w);
}

async function newPage(browser, label) {
    // the browser's own zone and locale are not Vietnam's: the UI must format by itself
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC',
        viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP_MS);
    page.on('dialog', (d) => {
        problems.dialogs.push(label + ': ' + d.type() + ' ' + d.message());
        d.dismiss().catch(() => {});
    });
    page.on('pageerror', (e) => problems.pageErrors.push(label + ': ' + e.message));
    page.on('console', (m) => {
        // the browser itself logs every 4xx answer; the tests cause those on purpose
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
            problems.console.push(label + ': ' + m.text());
    });
    await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => {
            window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
        });
    });
    return { ctx, page };
}

async function collectCsp(page, label) {
    try {
        const v = await page.evaluate(() => window.__csp || []);
        v.forEach((x) => problems.csp.push(label + ': ' + x));
    } catch (e) { /* page gone */ }
}

async function ready(page) {
    await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
}

async function login(page, user, pw) {
    await page.fill('#login-name', user);
    await page.fill('#login-password', pw);
    await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/session') &&
            r.request().method() === 'POST'),
        page.click('#login-submit'),
    ]);
}

async function go(page, name) {
    await page.evaluate((n) => { location.hash = '#/' + n; }, name);
    await page.waitForFunction((n) => {
        const v = document.getElementById('view-' + n);
        return v && !v.hidden;
    }, name);
}

async function menu(page) {
    return page.$$eval('#nav a', (as) => as.filter((a) => !a.hidden && a.offsetParent !== null)
        .map((a) => a.getAttribute('data-page')));
}

async function shot(page, name) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => { const n = document.getElementById('notice'); if (n) n.hidden = true; });
    await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
    shots.push(name + '.png');
}
const shots = [];

// the text of visible elements that look like a raw i18n key ("col.name")
async function rawKeys(page) {
    return page.evaluate(() => {
        const out = [];
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        let n;
        while ((n = w.nextNode())) {
            const s = n.nodeValue.trim();
            const e = n.parentElement;
            if (/^[a-z_]+\.[a-z_.]+$/.test(s) && e && e.offsetParent !== null &&
                !e.classList.contains('sub') && !e.classList.contains('key'))
                out.push(s);
        }
        return out;
    });
}

async function tableNames(page, table) {
    return page.$$eval('#' + table + ' tbody td.name', (tds) => tds.map((td) => td.textContent));
}
// the table's names once they equal @want (the page may still be drawing a refresh), or what
// they are after a few seconds
async function tableNamesSettled(page, table, want) {
    let got;
    for (let i = 0; i < 50; i++) {
        got = await tableNames(page, table);
        if (JSON.stringify(got) === JSON.stringify(want))
            break;
        await page.waitForTimeout(100);
    }
    return got;
}

// ---- network uptime -----------------------------------------------------------------------
// test_browser.sh polled a real snmpd (device 1) and put in, at fixed offsets from now: the
// router down for 2 h with the switch behind it unreachable, a closed 1 h 30 min outage of
// device 1, a 45 min printer outage inside a maintenance window, alerting rows
const SERVER = 'Máy chủ một cửa (snmpd)';
const ROUTER = 'Bộ định tuyến VNPT';
const SWITCH = 'Dây mạng tầng 1';
const PRINTER = DONG_HOA;
const pctNum = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
function PCT(p) { return typeof p === 'number' ? pctNum.format(p) + '\u00a0%' : S.vi.none; }
const pad2 = (n) => String(n).padStart(2, '0');
// a day in Vietnam (UTC+7) @days from today: {text: dd/mm/yyyy, at(h, m): epoch seconds}
function vnDay(days) {
    const d = new Date(Date.now() + 7 * 3600e3 + days * 86400e3);
    const y = d.getUTCFullYear(), m = d.getUTCMonth() + 1, dd = d.getUTCDate();
    return { text: pad2(dd) + '/' + pad2(m) + '/' + y,
        at: (h, mi) => Date.UTC(y, m - 1, dd, h, mi) / 1000 - 7 * 3600 };
}
const iso = (epoch) => new Date(epoch * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

async function noSecrets(page, where) {
    const html = await page.content();
    const text = await page.textContent('body');
    const values = await page.$$eval('input', (xs) => xs.map((x) => x.value).join('\n'));
    [COMMUNITY, SECRET, 'another-webhook-secret-42'].filter((x) => x).forEach((x) => {
        expect(!html.includes(x) && !text.includes(x) && !values.includes(x), where + ': a secret is on the page');
    });
}

async function cellTexts(page, sel) {
    return page.$$eval(sel, (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
}

async function graphsLoaded(page) {
    await page.waitForFunction(() => {
        const imgs = Array.from(document.querySelectorAll('#dv-graphs figure img'));
        return imgs.length > 0 && imgs.every((i) => i.complete);
    }, null, { timeout: 20000 });
    return page.$$eval('#dv-graphs figure', (fs) => fs.map((f) => ({
        graph: f.getAttribute('data-graph'), hidden: f.hidden,
        src: f.querySelector('img').getAttribute('src'), w: f.querySelector('img').naturalWidth,
        caption: f.querySelector('figcaption').textContent })));
}

async function uptimeAdmin(page) {
    await test('network overview: counts up/down/unreachable/unknown/maintenance as GET /overview says', async () => {
        await go(page, 'overview');
        const ov = await page.evaluate(() => WW.api('GET', '/overview'));
        eq([ov.counts.up, ov.counts.down, ov.counts.unreachable, ov.counts.unknown, ov.counts.maintenance],
            [1, 1, 1, 12, 0], 'API counts');
        await page.waitForFunction(() => document.getElementById('count-unreachable').textContent === '1');
        eq(await page.$$eval('.summary .num', (xs) => xs.map((x) => x.textContent)), ['1', '1', '1', '12', '0'], 'cards');
        eq(await page.$$eval('.summary .card span:not(.num)', (xs) => xs.map((x) => x.textContent)),
            ['up', 'down', 'unreachable', 'unknown', 'maintenance'].map((k) => T('vi', 'summary.' + k)), 'labels');
    });
    await test('network overview: the router (down) and the switch behind it (unreachable) are current outages, 2 h long', async () => {
        const rows = await cellTexts(page, '#ov-outages tbody tr');
        eq(rows.map((r) => r[0]).sort(), [ROUTER, SWITCH].sort(), 'devices');
        rows.forEach((r) => {
            expect(r[1] === (r[0] === ROUTER ? T('vi', 'outage.down') : T('vi', 'outage.unreachable')), 'type ' + r);
            expect(/^2 giờ [0-5]? ?\d phút$/.test(r[3]) && r[3].startsWith('2 giờ '), 'duration ' + r[3]);
        });
        expect(await page.locator('#ov-outages a', { hasText: ROUTER }).getAttribute('href') !== null, 'no link');
    });
    await test('network overview: worst availability (30 d, 24/7 and office) equals the API figures', async () => {
        const ov = await page.evaluate(() => WW.api('GET', '/overview'));
        expect(ov.worst.length > 0, 'API has no worst list');
        const rows = await cellTexts(page, '#ov-worst tbody tr');
        eq(rows, ov.worst.map((w) => [w.device_name, PCT(w.pct), PCT(w.office_pct)]), 'rows');
        expect(rows.some((r) => r[0] === ROUTER && r[1] !== S.vi.none), 'router missing: ' + JSON.stringify(rows));
    });
    await test('network overview: by unit and by site, busiest links at peak office hours as the API says', async () => {
        eq((await cellTexts(page, '#ov-units tbody tr')).find((r) => r[0] === 'Phường Bến Nghé'),
            ['Phường Bến Nghé', '3', '1', '1', '1', '0'], 'unit');
        eq((await cellTexts(page, '#ov-sites tbody tr')).find((r) => r[0] === 'Bộ phận một cửa'),
            ['Bộ phận một cửa', '1', '0', '0', '0', '1'], 'site');
        const b = await page.evaluate(() => WW.api('GET', '/links/busiest?period=7d&office=1'));
        const rows = await cellTexts(page, '#ov-busiest tbody tr');
        eq(rows.map((r) => r[0] + ' ' + r[1]), b.items.map((x) => x.device_name + ' ' + x.interface_name), 'links');
        eq(await page.isVisible('#ov-busiest-empty'), b.items.length === 0, 'empty note');
        eq(await rawKeys(page), [], 'raw keys');
    });
    await shot(page, 'uptime-overview');

    await test('clicking a device opens #/device/1: facts, state, and the 1 h 30 min outage', async () => {
        await page.locator('#devices tbody td.name a', { hasText: SERVER }).click();
        await page.waitForSelector('#dv-body', { state: 'visible' });
        eq(await page.evaluate(() => location.hash), '#/device/1', 'hash');
        eq(await page.textContent('#dv-name'), SERVER, 'heading');
        eq(await page.textContent('#dv-badges .badge'), T('vi', 'state.up'), 'state');
        const facts = await page.textContent('#dv-facts');
        expect(facts.includes('may-chu-mot-cua'), 'sysName missing: ' + facts);
        const rows = await cellTexts(page, '#dv-outages tbody tr');
        eq(rows.map((r) => [r[0], r[4]]), [[T('vi', 'outage.down'), '1 giờ 30 phút']], 'outages');
        await page.waitForSelector('#dv-events li');
    });
    await test('device availability table: day/7d/30d/365d, 24/7 and office hours, equal to the API', async () => {
        const av = await page.evaluate(() => WW.api('GET', '/devices/1/availability'));
        const day = av.periods.find((p) => p.period === 'day');
        eq(day.all.down_s, 5400, 'API down_s of the day');
        const rows = await cellTexts(page, '#dv-avail tbody tr');
        eq(rows.map((r) => r.slice(0, 4)), av.periods.map((p) => [T('vi', 'period.' + p.period), PCT(p.all.pct),
            PCT(p.office.pct), p.all.down_s === 5400 ? '1 giờ 30 phút' : '?']), 'rows');
        expect(typeof day.all.pct === 'number' && day.all.pct < 100, 'day pct ' + day.all.pct);
    });
    let figs = [];
    await test('device graphs are drawn: traffic, errors, CPU, memory, disk, poll time are SVG images that loaded', async () => {
        figs = await graphsLoaded(page);
        // the machine's snmpd has only its loopback (and maybe quiet ports): their traffic
        // graphs are hidden by default (issue 15) and shown on request
        expect(!figs.filter((f) => !f.hidden).some((f) => /^traffic-/.test(f.graph)) ||
            (await page.isChecked('#dv-if-all')), 'a loopback traffic graph shown by default');
        await page.check('#dv-if-all');
        figs = await graphsLoaded(page);
        const shown = figs.filter((f) => !f.hidden);
        const names = shown.map((f) => f.graph.replace(/-\d+$/, ''));
        ['traffic', 'errors', 'cpu', 'memory', 'disk', 'poll'].forEach((n) =>
            expect(names.includes(n), n + ' graph missing: ' + names));
        expect(!names.includes('ups') && !names.includes('supplies'), 'a server has no UPS graph: ' + names);
        shown.forEach((f) => {
            expect(f.w > 0, f.graph + ' did not render (naturalWidth 0)');
            expect(/[?&]range=day(&|$)/.test(f.src) && /[?&]lang=vi(&|$)/.test(f.src), 'src ' + f.src);
        });
        eq(shown.find((f) => f.graph === 'cpu').caption, T('vi', 'graph.cpu'), 'caption');
        const r = await page.evaluate((src) => fetch(src).then((x) => [x.status, x.headers.get('content-type')]),
            shown[0].src);
        eq(r, [200, 'image/svg+xml'], 'graph answer');
    });
    await shot(page, 'device-graphs');
    await test('the range selector redraws every graph for a week, then a year', async () => {
        for (const r of ['week', 'year']) {
            await page.click('#dv-ranges button[data-range="' + r + '"]');
            const f = (await graphsLoaded(page)).filter((x) => !x.hidden);
            expect(f.length >= 6 && f.every((x) => x.src.includes('range=' + r) && x.w > 0), r + ': ' + JSON.stringify(f));
            eq(await page.getAttribute('#dv-ranges button[data-range="' + r + '"]', 'aria-pressed'), 'true', r + ' pressed');
        }
        await page.click('#dv-ranges button[data-range="day"]');
    });
    await test('interfaces: state, since, in/out rates and this month\'s p95 as the API says', async () => {
        const dev = await page.evaluate(() => WW.api('GET', '/devices/1'));
        expect(dev.interfaces.length > 0, 'no interfaces');
        const lo = dev.interfaces.find((i) => i.name === 'lo');
        expect(lo, 'no lo interface');
        const p95 = await page.evaluate((id) => WW.api('GET', '/interfaces/' + id + '/p95').catch((e) => null), lo.id);
        const want = await page.evaluate((p) => (p && typeof p.p95_bps === 'number'
            ? WW.fmtBps(p.p95_bps) + (typeof p.pct_of_speed === 'number' ? ' (' + WW.fmtPct(p.pct_of_speed) + ')' : '')
            : WW.t('none')), p95);
        await page.waitForFunction((a) => {
            const c = document.querySelector('#dv-ifs tr[data-if="' + a.id + '"] td.p95');
            return c && c.textContent === a.want;
        }, { id: lo.id, want: want });
        const row = (await cellTexts(page, '#dv-ifs tr[data-if="' + lo.id + '"]'))[0];
        eq([row[0], row[1]], ['lo', T('vi', 'state.up')], 'lo row');
        eq(await page.$$eval('#dv-ifs tbody tr', (x) => x.length), dev.interfaces.length, 'rows');
    });
    await test('uptime.edit: the parent (uplink) select sets parent_id with PATCH; the switch shows its parent', async () => {
        const devs = await page.evaluate(() => WW.loadDevices());
        const router = devs.find((d) => d.name === ROUTER), sw = devs.find((d) => d.name === SWITCH);
        eq(await page.textContent('#dv-parent'), T('vi', 'dev.no_parent'), 'no parent yet');
        await page.selectOption('#dv-parent-select', String(router.id));
        const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/devices/1') && r.request().method() === 'PATCH');
        await page.click('#dv-parent-form button[type=submit]');
        eq((await resp).status(), 200, 'PATCH');
        await page.waitForFunction((n) => document.getElementById('dv-parent').textContent === n, ROUTER);
        eq((await page.evaluate(() => WW.api('GET', '/devices/1'))).parent_id, router.id, 'stored');
        await page.selectOption('#dv-parent-select', '');
        await page.click('#dv-parent-form button[type=submit]');
        await page.waitForFunction((n) => document.getElementById('dv-parent').textContent === n, T('vi', 'dev.no_parent'));
        await go(page, 'overview');
        await page.evaluate((id) => { location.hash = '#/device/' + id; }, sw.id);
        await page.waitForFunction((n) => document.getElementById('dv-name').textContent === n, SWITCH);
        eq(await page.textContent('#dv-badges .badge'), T('vi', 'state.unreachable'), 'switch state');
        eq(await page.textContent('#dv-parent a'), ROUTER, 'switch parent');
        await noSecrets(page, 'device page');
    });

    await test('a printer\'s supplies: the level, "some remaining" and "level unknown" in words, in both languages', async () => {
        const prn = (await page.evaluate(() => WW.loadDevices())).find((d) => d.name === PRINTER);
        await page.evaluate((id) => { location.hash = '#/device/' + id; }, prn.id);
        await page.waitForFunction((n) => document.getElementById('dv-name').textContent === n, PRINTER);
        for (const lang of ['vi', 'en']) {
            if (lang === 'en') {
                await page.selectOption('#lang', 'en');
                await page.waitForFunction(() => document.documentElement.lang === 'en');
            }
            const pct = await page.evaluate(() => WW.fmtPct(5));
            eq(await page.$$eval('#dv-facts ul.supplies li', (x) => x.map((li) => li.textContent)),
                ['CF400X ' + T(lang, 'supply.known', { pct: pct }), 'DR-2300 ' + T(lang, 'supply.some_remaining'),
                    'WT-202 ' + T(lang, 'supply.unknown')], lang);
        }
        await page.selectOption('#lang', 'vi');
        await page.waitForFunction(() => document.documentElement.lang === 'vi');
        eq(await rawKeys(page), [], 'raw keys');
    });
    await shot(page, 'printer-supplies');

    await test('outage log: every outage with durations; the printer outage marked as maintenance', async () => {
        await go(page, 'outages');
        const api = await page.evaluate(() => WW.api('GET', '/outages?limit=50'));
        await page.waitForFunction((n) => document.querySelectorAll('#ol-table tbody tr').length === n, api.items.length);
        const rows = await cellTexts(page, '#ol-table tbody tr');
        eq(rows.map((r) => r[0]), api.items.map((o) => o.device_name), 'newest first');
        const server = rows.find((r) => r[0] === SERVER), printer = rows.find((r) => r[0] === PRINTER);
        eq([server[2], server[5]], [T('vi', 'outage.down'), '1 giờ 30 phút'], 'server outage');
        eq([printer[2], printer[5]], [T('vi', 'outage.down') + T('vi', 'ol.maintenance'), '45 phút'], 'printer outage');
        eq(rows.find((r) => r[0] === ROUTER)[4], T('vi', 'events.ongoing'), 'open outage');
        eq(await page.textContent('#ol-range'), T('vi', 'pager.range', { from: 1, to: api.total, total: api.total }), 'range');
    });
    await test('outage log filters: type, device, open only, shortest duration; the CSV link has the same filters', async () => {
        await page.selectOption('#ol-filter [name=type]', 'unreachable');
        await page.click('#ol-filter button[type=submit]');
        await page.waitForFunction(() => document.querySelectorAll('#ol-table tbody tr').length === 1);
        eq((await cellTexts(page, '#ol-table tbody tr'))[0][0], SWITCH, 'unreachable');
        await page.click('#ol-clear');
        await page.locator('#ol-device').selectOption({ label: PRINTER });
        await page.click('#ol-filter button[type=submit]');
        await page.waitForFunction(() => document.querySelectorAll('#ol-table tbody tr').length === 1);
        eq((await cellTexts(page, '#ol-table tbody tr'))[0][0], PRINTER, 'device');
        await page.click('#ol-clear');
        await page.check('#ol-filter [name=open]');
        await page.fill('#ol-filter [name=min]', '100');
        await page.click('#ol-filter button[type=submit]');
        await page.waitForFunction(() => document.getElementById('ol-csv').getAttribute('href').includes('min_s'));
        eq((await cellTexts(page, '#ol-table tbody tr')).map((r) => r[0]).sort(), [ROUTER, SWITCH].sort(), 'open, >= 100 min');
        const href = await page.getAttribute('#ol-csv', 'href');
        eq(href, '/api/v1/outages.csv?open=1&min_s=6000', 'CSV link');
        const csv = await page.evaluate((h) => fetch(h).then((r) => r.text()), href);
        const lines = csv.trim().split(/\r?\n/);
        eq(lines.length, 3, 'CSV lines');
        // the header is in the reader's language, from the csv.* words
        expect(lines[0].replace(/"/g, '').startsWith(['id', 'device_id', 'device_name'].map((c) => T('vi', 'csv.' + c)).join(',')),
            'CSV head ' + lines[0]);
        await page.fill('#ol-filter [name=from]', '31/02/2026');
        await page.click('#ol-filter button[type=submit]');
        eq(await page.textContent('#ol-error'), T('vi', 'audit.bad_date'), 'bad date');
        await page.click('#ol-clear');
        await page.waitForFunction(() => document.querySelectorAll('#ol-table tbody tr').length >= 4);
    });
    await shot(page, 'outage-log');
    await test('outage durations in English: "1 h 30 min", "45 min"', async () => {
        await page.selectOption('#lang', 'en');
        try {
            await page.waitForFunction(() => document.documentElement.lang === 'en');
            const rows = await cellTexts(page, '#ol-table tbody tr');
            const dur = (n) => (rows.find((r) => r[0] === n) || [])[5];
            eq([dur(SERVER), dur(PRINTER)], ['1 h 30 min', '45 min'], 'en');
            eq(await page.textContent('#view-outages h1'), T('en', 'ol.heading'), 'heading');
        } finally {
            await page.selectOption('#lang', 'vi');
            await page.waitForFunction(() => document.documentElement.lang === 'vi');
        }
    });

    await test('alerts: the firing alert, the rule with its channels, "set"/"not set" secrets, the failed delivery', async () => {
        await go(page, 'alerts');
        await page.waitForSelector('#al-alerts tbody tr');
        const a = (await cellTexts(page, '#al-alerts tbody tr'))[0];
        // the message in words from the kind and the value (seconds down), not a stored text
        eq([a[0], a[2], a[5]], [T('vi', 'alertstate.firing'), ROUTER, T('vi', 'alertval.down_for', { v: 120 })], 'alert');
        const rule = (await cellTexts(page, '#al-rules tbody tr'))[0];
        eq(rule.slice(0, 5), ['Thiết bị mất kết nối', T('vi', 'alertkind.device_down'), T('vi', 'al.scope_all'),
            'kéo dài 2 phút, nhắc lại mỗi 1 giờ 0 phút, báo khi phục hồi', 'Hộp thư tổ CNTT, Nhóm Zalo trực'], 'rule');
        const ch = await cellTexts(page, '#al-channels tbody tr');
        eq(ch.map((r) => [r[0], r[3]]), [['Hộp thư tổ CNTT', T('vi', 'al.secret_not_set')],
            ['Nhóm Zalo trực', T('vi', 'al.secret_set')]], 'channels');
        const log = (await cellTexts(page, '#al-log tr[data-status="failed"]'))[0];
        eq([log[4], log[5], log[7]], [T('vi', 'notestatus.failed'), '5', 'smtp: connection refused'], 'delivery');
        await noSecrets(page, 'alerts');
    });
    await test('alerts: add a webhook channel with a secret: the page says "set" and never shows it', async () => {
        await page.click('#al-ch-add');
        await page.fill('#al-ch-form [name=name]', 'Webhook phòng họp');
        await page.selectOption('#al-ch-form [name=kind]', 'webhook');
        await page.fill('#al-ch-form [name=target]', 'https://hook.example/hop');
        await page.fill('#al-ch-form [name=secret]', 'another-webhook-secret-42');
        const [r] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/alert-channels') &&
            r.request().method() === 'POST'), page.click('#al-ch-form button[type=submit]')]);
        eq(r.status(), 201, 'POST');
        const body = await r.json();
        eq([body.secret_set, 'secret' in body], [true, false], 'answer');
        const row = page.locator('#al-channels tbody tr', { hasText: 'Webhook phòng họp' });
        await row.waitFor();
        eq(await row.locator('td.secret').textContent(), T('vi', 'al.secret_set'), 'secret cell');
        await row.locator('button', { hasText: T('vi', 'action.edit') }).click();
        eq(await page.inputValue('#al-ch-form [name=secret]'), '', 'secret field on edit');
        await noSecrets(page, 'channel form');
        await page.click('#al-ch-cancel');
    });
    await test('alerts: add a CPU rule (threshold, wait) through the form; it is stored and shown in words', async () => {
        await page.click('#al-rule-add');
        // the kinds are the API's (inventory's table), in its order, named from the i18n files
        const kinds = await page.evaluate(() => WW.api('GET', '/alert-kinds'));
        const opts = await page.$$eval('#al-kind option', (os) => os.map((o) => [o.value, o.textContent]));
        eq(opts, kinds.items.map((k) => [k.name, T('vi', 'alertkind.' + k.name)]), 'kind options');
        eq(kinds.items.length, 8, 'eight kinds');
        await page.selectOption('#al-rule-form [name=kind]', 'ups_runtime');
        eq(await page.textContent('#al-threshold-label'), T('vi', 'field.threshold_min'), 'minutes for ups_runtime');
        await page.selectOption('#al-rule-form [name=kind]', 'device_down');
        eq(await page.isHidden('#al-threshold-field'), true, 'no threshold for device_down');
        await page.fill('#al-rule-form [name=name]', 'CPU máy chủ');
        await page.selectOption('#al-rule-form [name=kind]', 'cpu');
        await page.selectOption('#al-rule-form [name=device_id]', '1');
        eq(await page.textContent('#al-threshold-label'), T('vi', 'field.threshold_pct'), 'threshold label');
        await page.fill('#al-rule-form [name=threshold]', '90');
        await page.fill('#al-rule-form [name=for_min]', '5');
        await page.uncheck('#al-rule-channels input >> nth=1');
        const [resp] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/alert-rules') &&
            r.request().method() === 'POST'), page.click('#al-rule-form button[type=submit]')]);
        eq(resp.status(), 201, 'POST');
        const row = page.locator('#al-rules tbody tr', { hasText: 'CPU máy chủ' });
        await row.waitFor();
        const cells = await row.locator('td').allTextContents();
        eq(cells.slice(0, 5), ['CPU máy chủ', T('vi', 'alertkind.cpu'), SERVER, 'trên 90 %, kéo dài 5 phút, báo khi phục hồi',
            'Hộp thư tổ CNTT, Webhook phòng họp'], 'row');
        const rules = await page.evaluate(() => WW.api('GET', '/alert-rules'));
        const r = rules.items.find((x) => x.name === 'CPU máy chủ');
        eq([r.kind, r.device_id, r.threshold, r.for_s, r.repeat_s, r.notify_recovery, r.enabled],
            ['cpu', 1, 90, 300, 0, true, true], 'stored');
    });
    await test('alerts: "send test" queues a test message that shows in the delivery log', async () => {
        const row = page.locator('#al-channels tbody tr', { hasText: 'Hộp thư tổ CNTT' });
        const resp = page.waitForResponse((r) => /\/alert-channels\/1\/test$/.test(r.url()));
        await row.locator('button', { hasText: T('vi', 'al.send_test') }).click();
        eq((await resp).status(), 202, 'POST test');
        await page.waitForSelector('#al-log tr[data-status="pending"]');
        const log = (await cellTexts(page, '#al-log tr[data-status="pending"]'))[0];
        eq([log[1], log[2], log[4]], ['Hộp thư tổ CNTT' + T('vi', 'notekind.test'), 'cntt@phuong.example',
            T('vi', 'notestatus.pending')], 'log row');
        eq(await rawKeys(page), [], 'raw keys');
    });
    await shot(page, 'alerts');
    await test('alerts: a rule is removed after an inline confirmation (no browser dialog)', async () => {
        const row = page.locator('#al-rules tbody tr', { hasText: 'CPU máy chủ' });
        await row.locator('button', { hasText: T('vi', 'action.delete') }).click();
        await page.waitForSelector('#al-confirm', { state: 'visible' });
        eq(await page.textContent('#al-confirm p'), T('vi', 'al.confirm_rule', { name: 'CPU máy chủ' }), 'question');
        await page.click('#al-confirm .confirm-yes');
        await row.waitFor({ state: 'detached' });
        eq(problems.dialogs, [], 'dialogs');
    });

    await test('maintenance: the printer window and the national holiday are listed', async () => {
        await go(page, 'maintenance');
        await page.waitForSelector('#mt-table tbody tr');
        const w = (await cellTexts(page, '#mt-table tbody tr'))[0];
        eq([w[0], w[1], w[4], w[5]], ['Thay hộp mực', PRINTER, 'Bảo trì định kỳ', 'admin'], 'window');
        await page.waitForSelector('#hd-table tbody tr');
        const y = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
        eq(await cellTexts(page, '#hd-table tbody tr'), [['02/09/' + y, 'Quốc khánh', T('vi', 'action.delete')]], 'holidays');
    });
    await test('maintenance: a holiday added with the form is stored as YYYY-MM-DD', async () => {
        const y = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
        await page.fill('#hd-form [name=day]', '30/4/' + y);
        await page.fill('#hd-form [name=name]', 'Ngày Giải phóng miền Nam');
        const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/holidays/' + y + '-04-30'));
        await page.click('#hd-form button[type=submit]');
        eq((await resp).status(), 200, 'PUT');
        await page.waitForSelector('#hd-table tr[data-day="' + y + '-04-30"]');
        eq((await page.evaluate((yy) => WW.api('GET', '/holidays?year=' + yy), y)).items.map((h) => h.day),
            [y + '-04-30', y + '-09-02'], 'stored');
        await noSecrets(page, 'maintenance');
    });
}

// an IT officer (uptime.edit) adds a maintenance window through the form
async function uptimeIt(page) {
    await test('it adds a maintenance window for the router (tomorrow 07:00-09:30, Vietnam time)', async () => {
        await go(page, 'maintenance');
        await page.waitForSelector('#mt-table tbody tr');
        const day = vnDay(1);
        await page.click('#mt-add');
        await page.fill('#mt-form [name=name]', 'Nâng cấp phần mềm router');
        await page.locator('#mt-device').selectOption({ label: ROUTER });
        await page.fill('#mt-form [name=starts_at]', day.text + ' 07:00');
        await page.fill('#mt-form [name=ends_at]', day.text + ' 06:00');
        await page.click('#mt-form button[type=submit]');
        eq(await page.textContent('#mt-error'), T('vi', 'mt.bad_range'), 'end before start');
        await page.fill('#mt-form [name=ends_at]', day.text + ' 9:30');
        await page.fill('#mt-form [name=note]', 'Cập nhật firmware');
        const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/maintenance') && r.request().method() === 'POST');
        await page.click('#mt-form button[type=submit]');
        const r = await resp;
        eq(r.status(), 201, 'POST');
        const body = await r.json();
        eq([body.starts_at, body.ends_at, body.created_by], [iso(day.at(7, 0)), iso(day.at(9, 30)), 'an.nv'], 'stored');
        const row = page.locator('#mt-table tbody tr', { hasText: 'Nâng cấp phần mềm router' });
        await row.waitFor();
        const cells = await row.locator('td').allTextContents();
        eq(cells.slice(1, 6), [ROUTER, day.text + ' 07:00', day.text + ' 09:30', 'Cập nhật firmware', 'an.nv'], 'row');
    });
    await shot(page, 'maintenance');
}

// issue 15: a down device's page says what was seen and what to check; the officer
// acknowledges the outage with a note and adds one later; the outage log shows it
async function troubleIt(page) {
    const devId = async (name) => page.evaluate((n) => WW.api('GET', '/devices?limit=1000')
        .then((d) => d.items.find((x) => x.name === n).id), name);
    const router = await devId(ROUTER), sw = await devId(SWITCH);
    await test('a down router: cause, checklist from the i18n data, last values greyed', async () => {
        await page.evaluate((id) => { location.hash = '#/device/' + id; }, router);
        await page.waitForSelector('#dv-trouble', { state: 'visible' });
        eq(await page.getAttribute('#dv-trouble', 'data-cause'), 'no_answer', 'cause');
        eq(await page.textContent('#dv-trouble-h'), T('vi', 'cause.no_answer.title'), 'title');
        eq(await page.$$eval('#dv-checklist li', (xs) => xs.map((x) => x.textContent)),
            [1, 2, 3, 4].map((k) => T('vi', 'cause.no_answer.' + k)), 'checklist');
        eq(await rawKeys(page), [], 'raw keys');
    });
    await shot(page, 'device-down-vi');
    await test('a device behind it: parent_down, naming the parent', async () => {
        await page.evaluate((id) => { location.hash = '#/device/' + id; }, sw);
        await page.waitForFunction(() => document.querySelector('#dv-trouble') &&
            document.querySelector('#dv-trouble').getAttribute('data-cause') === 'parent_down');
        expect((await page.textContent('#dv-trouble-seen')).includes(ROUTER), 'parent not named');
        eq(await page.$$eval('#dv-checklist li', (xs) => xs.length), 2, 'checklist lines');
    });
    await test('every cause has its title, what was seen and its checklist, in vi and en', async () => {
        // the rule (inventory's inv_down_cause) is unit-tested; here each code the API can send
        // is put in the router's answer and the page must render it from the i18n data
        const causes = ['no_answer', 'icmp_only', 'auth_refused', 'agent_error', 'parent_down'];
        let cause = null;
        const pattern = new RegExp('/api/v1/devices/' + router + '$');
        await page.route(pattern, async (route) => {
            const resp = await route.fetch();
            const j = await resp.json();
            j.cause = cause;
            j.last_reason = cause === 'auth_refused' ? 'v3_refused' : 'timeout';
            j.last_reason_param = 'unknownUserName';
            await route.fulfill({ response: resp, json: j });
        });
        try {
            for (const lang of ['vi', 'en']) {
                if (lang === 'en')
                    await page.selectOption('#lang', 'en');
                for (const c of causes) {
                    cause = c;
                    await page.evaluate(() => { location.hash = '#/overview'; });
                    await page.waitForSelector('#view-overview', { state: 'visible' });
                    await page.evaluate((id) => { location.hash = '#/device/' + id; }, router);
                    await page.waitForFunction((w) => {
                        const b = document.querySelector('#dv-trouble');
                        return b && !b.hidden && b.getAttribute('data-cause') === w;
                    }, c);
                    eq(await page.textContent('#dv-trouble-h'), T(lang, 'cause.' + c + '.title'), lang + ' ' + c);
                    const want = [];
                    for (let k = 1; S[lang]['cause.' + c + '.' + k] !== undefined; k++)
                        want.push(T(lang, 'cause.' + c + '.' + k, { parent: T(lang, 'none') }));
                    expect(want.length >= 2, c + ': a checklist of at least two lines');
                    eq(await page.$$eval('#dv-checklist li', (xs) => xs.map((x) => x.textContent)), want, lang + ' ' + c + ' checklist');
                    const seen = await page.textContent('#dv-trouble-seen');
                    expect(!/[{}]/.test(seen), lang + ' ' + c + ': a placeholder left in "' + seen + '"');
                    if (c === 'auth_refused')
                        expect(seen.includes('unknownUserName'), 'the agent\'s words: ' + seen);
                }
            }
        } finally {
            await page.unroute(pattern);
            await page.selectOption('#lang', 'vi');
        }
    });
    await test('the device page: its lifecycle record, a repair and the handover link (issue 16)', async () => {
        await page.evaluate((id) => { location.hash = '#/device/' + id; }, router);
        await page.waitForSelector('#dv-life-form', { state: 'visible' });
        eq(await page.textContent('#dv-life-h'), T('vi', 'life.heading'), 'heading');
        await page.selectOption('#dv-life-status', 'in_repair');
        await page.fill('#dv-life-form [name=assigned_to]', 'Nguyễn Thị Lan <b>x</b>');
        await page.fill('#dv-life-form [name=warranty_end]', '31/12/2027');
        const resp = page.waitForResponse((r) => /\/api\/v1\/devices\/\d+$/.test(r.url()) &&
            r.request().method() === 'PATCH');
        await page.click('#dv-life-form [type=submit]');
        const r = await resp;
        eq(r.status(), 200, 'PATCH');
        eq(JSON.parse(r.request().postData()),
            { status: 'in_repair', assigned_to: 'Nguyễn Thị Lan <b>x</b>', warranty_end: '2027-12-31' },
            'only the changed fields, the day in ISO');
        await page.waitForSelector('#dv-assign tbody tr a');
        const href = await page.getAttribute('#dv-assign tbody tr a', 'href');
        expect(/^\/api\/v1\/assignments\/\d+\/handover\?lang=vi$/.test(href), 'handover link ' + href);
        eq(await page.$$eval('#dv-life b, #dv-assign b', (xs) => xs.length), 0, 'names shown as text');
        await page.fill('#dv-repair-form [name=day]', '02/05/2025');
        await page.fill('#dv-repair-form [name=cost_vnd]', '850.000');
        await page.fill('#dv-repair-form [name=work]', 'Thay nguồn');
        await page.click('#dv-repair-form [type=submit]');
        await page.waitForSelector('#dv-repairs tbody tr');
        await page.waitForFunction(() => document.querySelector('#dv-repair-sum').textContent ===
            WW.t('repair.sum', { cost: WW.fmtVND(850000) }));
        eq(await page.textContent('#dv-repair-sum'), T('vi', 'repair.sum', { cost: await page.evaluate(() => WW.fmtVND(850000)) }),
            'the sum in the page\'s words');
        await page.evaluate(() => { location.hash = '#/overview'; }); // the next case opens the device
    });
    await test('acknowledge the router outage from its page, with a note; then add a note', async () => {
        await page.evaluate((id) => { location.hash = '#/device/' + id; }, router);
        await page.waitForSelector('#dv-ack-link', { state: 'visible' });
        eq(await page.textContent('#dv-ack-link'), T('vi', 'cause.ack_outage'), 'link');
        await page.click('#dv-ack-link');
        await page.waitForSelector('#ol-detail', { state: 'visible' });
        eq(await page.textContent('#ol-detail-ack'), T('vi', 'ol.not_acked'), 'not acked yet');
        await page.fill('#ol-note', 'Đã gọi bộ phận một cửa: mất điện tầng 1 <b>gấp</b>');
        const resp = page.waitForResponse((r) => /\/api\/v1\/outages\/\d+\/ack$/.test(r.url()));
        await page.click('#ol-ack');
        const r = await resp;
        eq(r.status(), 200, 'POST ack');
        const body = await r.json();
        eq([body.acked_by, body.notes.length, body.notes[0].ack], ['an.nv', 1, true], 'stored');
        await page.waitForSelector('#ol-ack', { state: 'hidden' });
        eq(await page.$$eval('#ol-notes .note-text', (xs) => xs.map((x) => x.textContent)),
            ['Đã gọi bộ phận một cửa: mất điện tầng 1 <b>gấp</b>'], 'note shown as text');
        eq(await page.$$eval('#ol-notes b', (xs) => xs.length), 0, 'no element made from the note');
        await page.fill('#ol-note', 'Điện đã có lại, chờ router khởi động');
        await page.click('#ol-add-note');
        await page.waitForFunction(() => document.querySelectorAll('#ol-notes li').length === 2);
        const row = page.locator('#ol-table tbody tr', { hasText: ROUTER }).first();
        await row.locator('.badge-ack').waitFor();
        expect((await row.textContent()).includes('an.nv'), 'the row says who');
        // a second acknowledgement is refused with the words of its reason
        const again = await page.evaluate((id) => WW.api('POST', '/outages/' + id + '/ack', {})
            .then(() => 'ok', (e) => WW.errorText(e)), body.id);
        eq(again, T('vi', 'reason.already_acked'), 'second ack');
    });
    await shot(page, 'outage-ack-vi');
    await test('the same pages in English', async () => {
        await page.selectOption('#lang', 'en');
        try {
            await page.waitForFunction(() => document.documentElement.lang === 'en');
            await page.waitForFunction((w) => document.querySelector('#ol-detail-ack').textContent.startsWith(w),
                T('en', 'ol.acked_by', { name: 'an.nv', time: '' }).split(':')[0]);
            eq(await rawKeys(page), [], 'raw keys');
            await shot(page, 'outage-ack-en');
            await page.evaluate((id) => { location.hash = '#/device/' + id; }, router);
            await page.waitForFunction((w) => document.querySelector('#dv-trouble-h') &&
                document.querySelector('#dv-trouble-h').textContent === w, T('en', 'cause.no_answer.title'));
            // the page first shows what it held (the outage before its acknowledgement), then
            // what it loaded: wait for the latter, not the first render
            const acked = T('en', 'ol.acked_by', { name: 'x', time: '' }).split(':')[0];
            await page.waitForFunction((w) => document.querySelector('#dv-ack-link') &&
                document.querySelector('#dv-ack-link').textContent.startsWith(w), acked).catch(() => {});
            expect((await page.textContent('#dv-ack-link')).startsWith(acked),
                'the link says it is acknowledged');
            await shot(page, 'device-down-en');
        } finally {
            await page.selectOption('#lang', 'vi');
        }
    });
}

// a viewer reads the uptime pages and has no edit control anywhere
async function uptimeViewer(page) {
    await test('viewer: maintenance, alerts and device pages are read-only (no edit buttons) and the API says 403', async () => {
        await go(page, 'maintenance');
        await page.waitForSelector('#mt-table tbody tr');
        const visibleButtons = (sel) => page.$$eval(sel + ' button, ' + sel + ' form:not([hidden])',
            (xs) => xs.filter((x) => x.offsetParent !== null && !x.closest('.pager')) // paging is reading
                .map((x) => x.id || x.textContent));
        eq(await visibleButtons('#view-maintenance'), [], 'maintenance controls');
        eq((await cellTexts(page, '#mt-table tbody tr')).map((r) => r.length), [6, 6], 'no action column');
        await go(page, 'alerts');
        await page.waitForSelector('#al-rules tbody tr');
        eq(await visibleButtons('#view-alerts'), [], 'alert controls');
        await noSecrets(page, 'viewer alerts');
        await page.evaluate(() => { location.hash = '#/device/1'; });
        await page.waitForSelector('#dv-body', { state: 'visible' });
        expect(await page.isHidden('#dv-parent-form'), 'parent form shown');
        const res = await page.evaluate(() => fetch('/api/v1/maintenance', { method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': WW.session.csrf },
            body: JSON.stringify({ name: 'x', starts_at: 1900000000, ends_at: 1900003600 }) }).then((r) => r.status));
        eq(res, 403, 'POST /maintenance');
    });
}

async function main() {
    const t0 = Date.now();
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    try {
        await run(browser);
    } finally {
        await browser.close();
    }
    console.log('# browser cases took ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
    if (weight)
        console.log('ok - measured: ' + weight + ' (loopback, headless chromium)');
}

async function run(browser) {
    const { ctx, page } = await newPage(browser, 'admin');

    // ---- first load: weight and time -------------------------------------------------------
    await test('the login page loads and shows the login form in Vietnamese', async () => {
        await page.goto(URL0 + '/', { waitUntil: 'load' });
        await ready(page);
        await page.waitForSelector('#view-login', { state: 'visible' });
        eq(await page.textContent('#login-h'), T('vi', 'login.heading'), 'heading');
        eq(await page.getAttribute('html', 'lang'), 'vi', 'html lang');
        eq(await menu(page), [], 'menu before login');
    });

    // what the browser receives: the UI's text files go gzip-compressed (dashboard/static.c);
    // the size before compression is printed too
    await test('page weight under 150 KiB as sent, the text files gzip-compressed', async () => {
        const m = await page.evaluate(() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource')
                .filter((r) => !/\/api\//.test(r.name));
            const files = [{ name: nav.name, size: nav.encodedBodySize, raw: nav.decodedBodySize }]
                .concat(res.map((r) => ({ name: r.name, size: r.encodedBodySize, raw: r.decodedBodySize })));
            return {
                files: files,
                load: nav.loadEventEnd - nav.startTime,
                dcl: nav.domContentLoadedEventEnd - nav.startTime,
            };
        });
        const total = m.files.reduce((a, f) => a + f.size, 0);
        const byKind = {};
        m.files.forEach((f) => {
            const ext = (/\.(\w+)$/.exec(new URL(f.name).pathname) || [0, 'html'])[1];
            byKind[ext] = (byKind[ext] || 0) + f.size;
        });
        const raw = m.files.reduce((a, f) => a + f.raw, 0);
        weight = 'page weight ' + total + ' bytes sent (' + raw + ' before gzip) in ' + m.files.length + ' files (' +
            Object.keys(byKind).map((k) => k + ' ' + byKind[k]).join(', ') + '), load ' +
            m.load.toFixed(0) + ' ms, DOMContentLoaded ' + m.dcl.toFixed(0) + ' ms';
        expect(total > 0 && total < 150 * 1024, 'page weight ' + total + ' bytes is over 150 KiB');
        const enc = await page.evaluate(() => Promise.all(['/app.js', '/style.css', '/i18n/vi.json', '/favicon.svg']
            .map((u) => fetch(u, { cache: 'no-store' }).then((r) => [r.headers.get('content-encoding'), r.headers.get('vary')]))));
        eq(enc, [['gzip', 'Accept-Encoding'], ['gzip', 'Accept-Encoding'], ['gzip', 'Accept-Encoding'], ['gzip', 'Accept-Encoding']], 'encodings');
    });
    console.log('# ' + weight);
    await shot(page, 'login');

    // ---- login -----------------------------------------------------------------------------
    await test('wrong password shows the translated error and stays on login', async () => {
        await login(page, 'admin', 'not-the-password');
        await page.waitForSelector('#login-error', { state: 'visible' });
        eq(await page.textContent('#login-error'), T('vi', 'login.bad_credentials'), 'error');
        expect(await page.isVisible('#view-login'), 'login view hidden');
        eq(await menu(page), [], 'menu');
    });
    await test('admin logs in and lands on the overview', async () => {
        await login(page, 'admin', ADMIN_PW);
        await page.waitForSelector('#view-overview', { state: 'visible' });
        await page.waitForSelector('#devices tbody tr');
        expect(!(await page.isVisible('#view-login')), 'login still visible');
        expect((await page.textContent('#who')).includes('Quản trị viên'), 'user name not shown');
    });
    await test('admin sees exactly its menu', async () => {
        eq(await menu(page), MENUS.admin, 'menu');
    });

    // ---- overview: literal text, search, sort, formats ---------------------------------------
    await test('a device named <script>alert(1)</script> and a Vietnamese name show as literal text', async () => {
        const names = await tableNames(page, 'devices');
        expect(names.includes(XSS_NAME), 'script name not shown literally: ' + JSON.stringify(names));
        expect(names.includes(BEN_NGHE), 'Vietnamese name not shown intact');
        eq(await page.$$eval('#view-overview script, #view-overview b', (x) => x.length), 0,
            'elements made from device names');
        await page.waitForTimeout(300);
        eq(problems.dialogs, [], 'dialogs');
        const body = await page.textContent('body');
        expect(!COMMUNITY || !body.includes(COMMUNITY), 'the SNMP community is on the page');
    });
    await test('search is diacritics-insensitive ("ben nghe" finds "Bến Nghé", "dong hoa" finds "Đông Hòa")', async () => {
        try {
            await page.fill('#search', 'ben nghe');
            eq(await tableNamesSettled(page, 'devices', [BEN_NGHE]), [BEN_NGHE], 'ben nghe');
            await page.fill('#search', 'PHUONG dong HOA');
            eq(await tableNamesSettled(page, 'devices', [DONG_HOA]), [DONG_HOA], 'PHUONG dong HOA');
            await page.fill('#search', 'Bến Nghé');
            eq(await tableNamesSettled(page, 'devices', [BEN_NGHE]), [BEN_NGHE], 'Bến Nghé');
        } finally { // a failure here must not leave the list filtered for the tests after it
            await page.fill('#search', '');
        }
    });
    await test('devices are sorted in Vietnamese order (Intl.Collator vi)', async () => {
        const names = (await tableNames(page, 'devices')).filter((n) => SORTED.includes(n));
        eq(names, SORTED, 'order');
    });
    await test('dates dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh, numbers and VND with vi-VN separators', async () => {
        const f = await page.evaluate(() => [WW.fmtDate('2026-11-23T07:30:00Z'),
            WW.fmtDate('2026-12-31T20:05:00Z'), WW.fmtNum(1234567), WW.fmtVND(12500000),
            WW.fmtDay('2024-03-15')]);
        eq(f.map((s) => s.replace(/\u00a0/g, ' ')),
            ['23/11/2026 14:30', '01/01/2027 03:05', '1.234.567', '12.500.000 ₫', '15/03/2024'], 'formats');
    });
    await test('no raw i18n keys on the overview', async () => {
        eq(await rawKeys(page), [], 'raw keys');
    });
    await shot(page, 'overview');

    // ---- language --------------------------------------------------------------------------
    await test('switching to English changes the visible texts and is saved for the account', async () => {
        const put = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/lang'));
        await page.selectOption('#lang', 'en');
        eq((await put).status(), 204, 'PUT /me/lang');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        eq(await page.$$eval('#nav a', (as) => as.map((a) => a.textContent)),
            MENUS.admin.map((p) => T('en', 'nav.' + p)), 'menu');
        eq(await page.textContent('#view-overview h1'), T('en', 'overview.heading'), 'heading');
        eq(await page.textContent('#devices thead th'), T('en', 'col.name'), 'column');
        eq(await page.textContent('#logout'), T('en', 'nav.logout'), 'logout');
        eq(await page.getAttribute('#search', 'placeholder'), T('en', 'devices.search_placeholder'), 'placeholder');
        const badge = await page.textContent('#devices tbody .badge');
        expect(['up', 'down', 'unreachable', 'unknown'].map((x) => T('en', 'state.' + x)).includes(badge),
            'state badge not English: ' + badge);
        eq(await rawKeys(page), [], 'raw keys');
        const me = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
        eq(me.user.lang, 'en', 'stored language');
    });
    await shot(page, 'overview-en');
    await test('switching back to Vietnamese', async () => {
        await page.selectOption('#lang', 'vi');
        await page.waitForFunction(() => document.documentElement.lang === 'vi');
        eq(await page.textContent('#view-overview h1'), T('vi', 'overview.heading'), 'heading');
        eq(await page.textContent('#nav a'), T('vi', 'nav.overview'), 'menu');
        eq(await page.textContent('#devices thead th'), T('vi', 'col.name'), 'column');
    });

    await uptimeAdmin(page);

    // ---- devices -----------------------------------------------------------------------------
    const NEW_DEV = 'Bộ chuyển mạch tầng 3 – Phường Bến Thành';
    await test('admin adds a device through the form and it appears', async () => {
        await go(page, 'devices');
        await page.waitForSelector('#dm-table tbody tr');
        await page.click('#dm-add');
        await page.fill('#dm-form [name=name]', NEW_DEV);
        await page.selectOption('#dm-form [name=kind]', 'switch');
        await page.fill('#dm-form [name=host]', '192.0.2.30');
        await page.fill('#dm-form [name=snmp_community]', 'form-community-42');
        await page.fill('#dm-form [name=vendor]', 'Cisco');
        await page.fill('#dm-form [name=model]', 'SG350-28');
        await page.fill('#dm-form [name=purchase_date]', '15/03/2024');
        await page.fill('#dm-form [name=cost_vnd]', '12.500.000');
        const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/devices') &&
            r.request().method() === 'POST');
        await page.click('#dm-form button[type=submit]');
        eq((await resp).status(), 201, 'POST /devices');
        await page.waitForSelector('#dm-form', { state: 'hidden' });
        await page.waitForFunction((n) => Array.from(document.querySelectorAll('#dm-table td.name'))
            .some((td) => td.textContent === n), NEW_DEV);
        eq(await page.textContent('#notice'), T('vi', 'devmgmt.added', { name: NEW_DEV }), 'notice');
        const body = await page.textContent('body');
        expect(!body.includes('form-community-42'), 'the community shows on the page');
    });
    const CASE_COST = 'the device list shows purchase date dd/mm/yyyy and cost "12.500.000 ₫"';
    const listed = await page.evaluate(() => WW.api('GET', '/devices?limit=1').then((j) => j.items[0]));
    const missing = ['purchase_date', 'cost_vnd'].filter((k) => !(k in listed));
    if (missing.length) // API.md lists them in the device of GET /devices
        console.log('skip - ' + CASE_COST + ': GET /api/v1/devices has no ' + missing.join(', '));
    else await test(CASE_COST, async () => {
        const cells = await page.$$eval('#dm-table tbody tr', (trs, n) => {
            const tr = trs.find((r) => r.querySelector('td.name').textContent === n);
            return tr ? Array.from(tr.cells).map((c) => c.textContent) : null;
        }, NEW_DEV);
        expect(cells, 'row missing');
        eq([cells[5], cells[6].replace(/\u00a0/g, ' ')], ['15/03/2024', '12.500.000 ₫'], 'date, cost');
    });
    await test('admin edits a device (only the changed field is sent)', async () => {
        const row = page.locator('#dm-table tbody tr', { has: page.locator('td.name', { hasText: NEW_DEV }) });
        await row.locator('button', { hasText: T('vi', 'action.edit') }).click();
        await page.waitForSelector('#dm-form', { state: 'visible' });
        eq(await page.inputValue('#dm-form [name=name]'), NEW_DEV, 'prefilled name');
        await page.fill('#dm-form [name=model]', 'SG350-52');
        const resp = page.waitForResponse((r) => /\/api\/v1\/devices\/\d+$/.test(r.url()) &&
            r.request().method() === 'PATCH');
        await page.click('#dm-form button[type=submit]');
        const r = await resp;
        eq(r.status(), 200, 'PATCH');
        eq(JSON.parse(r.request().postData()), { model: 'SG350-52' }, 'PATCH body');
        await page.waitForFunction(() => document.body.textContent.includes('Cisco SG350-52'));
    });
    await test('admin removes a device after confirming in the page (no browser dialog)', async () => {
        const victim = 'Thiết bị tạm – xóa';
        const made = await page.evaluate((n) => WW.api('POST', '/devices',
            { name: n, host: '192.0.2.99', kind: 'other' }), victim);
        expect(made && made.id, 'device not made');
        await go(page, 'overview');
        await go(page, 'devices');
        const row = page.locator('#dm-table tbody tr', { has: page.locator('td.name', { hasText: victim }) });
        await row.locator('button', { hasText: T('vi', 'action.delete') }).click();
        await page.waitForSelector('#dm-confirm', { state: 'visible' });
        eq(await page.textContent('#dm-confirm-text'), T('vi', 'devmgmt.confirm_delete', { name: victim }), 'question');
        await page.click('#dm-confirm-yes');
        await row.waitFor({ state: 'detached' });
        eq(problems.dialogs, [], 'dialogs');
    });
    await test('the CSV import: a dry run lists a formula cell by row and column; nothing written', async () => {
        const csv = 'name,host,asset_tag\r\n=1,192.0.2.120,\r\nMáy in nhập – tầng 4,192.0.2.121,NH-01\r\n';
        await page.setInputFiles('#dm-import-file', { name: 'thiet-bi.csv', mimeType: 'text/csv',
            buffer: Buffer.from('\ufeff' + csv, 'utf8') });
        const resp = page.waitForResponse((r) => r.url().includes('/api/v1/devices/import?dry_run=1'));
        await page.click('#dm-import-check');
        eq((await resp).status(), 422, 'dry run status');
        await page.waitForSelector('#dm-import-errors tbody tr');
        const cells = await page.$$eval('#dm-import-errors tbody tr td', (tds) => tds.map((td) => td.textContent));
        eq(cells, ['2', '1', T('vi', 'reason.formula', { field: T('vi', 'field.name'), param: '=1' })], 'errors table');
        eq(await page.textContent('#dm-import-status'), T('vi', 'import.checked', { rows: '2', valid: '1', written: '0' }), 'status');
        await page.check('#dm-import-only-valid');
        const go2 = page.waitForResponse((r) => r.url().includes('/api/v1/devices/import?only_valid=1'));
        await page.click('#dm-import-go');
        eq((await go2).status(), 200, 'import status');
        await page.waitForFunction((n) => Array.from(document.querySelectorAll('#dm-table td.name'))
            .some((td) => td.textContent === n), 'Máy in nhập – tầng 4');
        eq(await page.textContent('#dm-import-status'), T('vi', 'import.done', { rows: '2', valid: '1', written: '1' }), 'done');
    });
    await shot(page, 'devices');

    // ---- users ---------------------------------------------------------------------------------
    await test('admin adds a user with a role and an initial password', async () => {
        await go(page, 'users');
        await page.waitForSelector('#us-table tbody tr');
        await page.click('#us-add');
        await page.fill('#us-form [name=login]', 'binh.nt');
        await page.fill('#us-form [name=full_name]', 'Nguyễn Thị Bình');
        await page.selectOption('#us-form [name=role]', 'hr');
        await page.fill('#us-form [name=password]', 'mat-khau-ban-dau-1');
        const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') &&
            r.request().method() === 'POST');
        await page.click('#us-form button[type=submit]');
        eq((await resp).status(), 201, 'POST /users');
        const row = page.locator('#us-table tr[data-login="binh.nt"]');
        await row.waitFor();
        eq(await row.locator('td.name').textContent(), 'Nguyễn Thị Bình', 'name');
        eq(await row.locator('select').inputValue(), 'hr', 'role');
    });
    await test('admin changes a role, disables and enables a user, resets a password', async () => {
        const row = page.locator('#us-table tr[data-login="binh.nt"]');
        await row.locator('select').selectOption('manager');
        await row.locator('button', { hasText: T('vi', 'users.change_role') }).click();
        await page.waitForFunction(() => {
            const s = document.querySelector('#us-table tr[data-login="binh.nt"] select');
            return s && s.value === 'manager' && document.querySelector('#notice').hidden === false;
        });
        await row.locator('button', { hasText: T('vi', 'users.disable') }).click();
        await page.waitForSelector('#us-table tr.disabled[data-login="binh.nt"]');
        await page.locator('#us-table tr[data-login="binh.nt"] button', { hasText: T('vi', 'users.enable') }).click();
        await page.waitForSelector('#us-table tr[data-login="binh.nt"]:not(.disabled)');
        await page.locator('#us-table tr[data-login="binh.nt"] button', { hasText: T('vi', 'users.reset_password') }).click();
        await page.fill('#us-reset [name=password]', 'short');
        await page.click('#us-reset button[type=submit]');
        eq(await page.textContent('#us-reset-error'), T('vi', 'error.password_too_short'), 'short password');
        await page.fill('#us-reset [name=password]', 'mat-khau-moi-2026');
        const resp = page.waitForResponse((r) => /\/api\/v1\/users\/\d+$/.test(r.url()));
        await page.click('#us-reset button[type=submit]');
        eq((await resp).status(), 200, 'PATCH password');
        await page.waitForSelector('#us-reset', { state: 'hidden' });
        const users = await page.evaluate(() => WW.api('GET', '/users'));
        const u = users.items.find((x) => x.login === 'binh.nt');
        eq([u.role, u.enabled], ['manager', true], 'stored');
    });
    await test('the last enabled admin cannot be disabled (translated 409)', async () => {
        await page.locator('#us-table tr[data-login="admin"] button', { hasText: T('vi', 'users.disable') }).click();
        await page.waitForFunction((want) => document.getElementById('notice').textContent === want,
            T('vi', 'error.last_admin'));
    });
    await shot(page, 'users');

    // ---- audit ---------------------------------------------------------------------------------
    await test('audit page shows the device.add entry with before → after', async () => {
        await go(page, 'audit');
        await page.waitForSelector('#au-table tbody tr');
        const row = page.locator('#au-table tbody tr[data-action="device.add"]', {
            has: page.locator('ins', { hasText: NEW_DEV }) });
        await row.first().waitFor();
        eq(await row.first().locator('.action-name').textContent(), T('vi', 'auditaction.device.add'), 'action');
        expect((await row.first().textContent()).includes('admin'), 'actor missing');
    });
    await test('audit filters: action prefix, actor, date range, paging', async () => {
        await page.fill('#au-filter [name=action]', 'device.');
        await page.click('#au-filter button[type=submit]');
        await page.waitForFunction(() => {
            const rows = Array.from(document.querySelectorAll('#au-table tbody tr'));
            return rows.length && rows.every((r) => r.getAttribute('data-action').startsWith('device.'));
        });
        const acts = await page.$$eval('#au-table tbody tr', (rs) => rs.map((r) => r.getAttribute('data-action')));
        expect(acts.includes('device.change') && acts.includes('device.remove'), 'device actions ' + acts);
        const change = page.locator('#au-table tbody tr[data-action="device.change"]').first();
        eq(await change.locator('del').allTextContents(), ['SG350-28'], 'before');
        eq(await change.locator('ins').allTextContents(), ['SG350-52'], 'after');
        // a day range that ends yesterday (Vietnam time) holds nothing
        const y = await page.evaluate(() => {
            const p = WW.fmtDate(new Date(Date.now() - 86400000)).slice(0, 10);
            return p;
        });
        await page.fill('#au-filter [name=from]', '01/01/2020');
        await page.fill('#au-filter [name=to]', y);
        await page.click('#au-filter button[type=submit]');
        await page.waitForSelector('#au-empty', { state: 'visible' });
        await page.fill('#au-filter [name=to]', '31/02/2026');
        await page.click('#au-filter button[type=submit]');
        eq(await page.textContent('#au-error'), T('vi', 'audit.bad_date'), 'bad date');
        await page.click('#au-clear');
        await page.fill('#au-filter [name=actor]', 'admin');
        await page.click('#au-filter button[type=submit]');
        await page.waitForFunction(() => !document.getElementById('au-next').disabled ||
            document.querySelectorAll('#au-table tbody tr').length > 0);
        const total = (await page.evaluate(() => WW.api('GET', '/audit?actor=admin&limit=1'))).total;
        expect(total > 0, 'no admin entries');
        eq(await page.textContent('#au-range'), T('vi', 'pager.range',
            { from: 1, to: Math.min(50, total), total: total }), 'range');
        await page.click('#au-clear');
    });
    await shot(page, 'audit');

    // ---- account -----------------------------------------------------------------------------
    await test('my account shows who I am; a wrong current password is refused in words', async () => {
        await go(page, 'account');
        eq(await page.textContent('#ac-login'), 'admin', 'login');
        eq(await page.textContent('#ac-role'), T('vi', 'role.admin'), 'role');
        await page.fill('#ac-password [name=old_password]', 'wrong-password-1');
        await page.fill('#ac-password [name=new_password]', 'new-password-123');
        await page.fill('#ac-password [name=repeat_password]', 'new-password-123');
        await page.click('#ac-password button[type=submit]');
        try {
            await page.waitForFunction((w) => document.getElementById('ac-error').textContent === w,
                T('vi', 'account.wrong_old'));
        } catch (e) {
            throw new Error('#ac-error says ' + JSON.stringify(await page.textContent('#ac-error')) +
                ', want ' + JSON.stringify(T('vi', 'account.wrong_old')) + ' (' + e.message + ')');
        }
        await page.fill('#ac-password [name=old_password]', '');
    });
    await shot(page, 'account');

    // ---- logout -----------------------------------------------------------------------------
    await test('logout returns to login and the old session cookie no longer works', async () => {
        const cookie = (await ctx.cookies()).find((c) => c.name === 'ww_session');
        expect(cookie && cookie.value, 'no session cookie');
        const del = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') &&
            r.request().method() === 'DELETE');
        await page.click('#logout');
        eq((await del).status(), 204, 'DELETE /session');
        await page.waitForSelector('#view-login', { state: 'visible' });
        eq(await menu(page), [], 'menu');
        eq(await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status)), 401, 'page fetch');
        const r = await fetch(URL0 + '/api/v1/session', { headers: { Cookie: 'ww_session=' + cookie.value } });
        eq(r.status, 401, 'old cookie');
    });
    await collectCsp(page, 'admin');
    await ctx.close();

    // ---- every role -------------------------------------------------------------------------
    const logins = { it: 'an.nv', manager: 'cuong.lv', hr: 'dung.pt', viewer: 'em.hv' };
    for (const role of Object.keys(logins)) {
        const p = await newPage(browser, role);
        await test(role + ' sees exactly its menu; other pages say not allowed and the API answers 403', async () => {
            await p.page.goto(URL0 + '/#/overview');
            await ready(p.page);
            await login(p.page, logins[role], USER_PW);
            await p.page.waitForSelector('#view-overview', { state: 'visible' });
            eq(await menu(p.page), MENUS[role], 'menu');
            for (const name of Object.keys(GUARDED)) {
                if (MENUS[role].includes(name)) {
                    await go(p.page, name);
                    continue;
                }
                await p.page.evaluate((n) => { location.hash = '#/' + n; }, name);
                await p.page.waitForSelector('#view-forbidden', { state: 'visible' });
                eq(await p.page.textContent('#view-forbidden h1'), T('vi', 'forbidden.heading'), name + ' heading');
                expect(!(await p.page.isVisible('#view-' + name)), name + ' view shown');
                const g = GUARDED[name];
                const res = await p.page.evaluate((q) => fetch(q.path, {
                    method: q.method, credentials: 'same-origin', body: q.body,
                    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': WW.session.csrf },
                }).then((r) => r.json().then((j) => [r.status, j.error && j.error.code])), g);
                eq(res, [403, 'forbidden'], name + ' API');
            }
        });
        if (role === 'it') {
            await uptimeIt(p.page);
            await troubleIt(p.page);
        }
        if (role === 'viewer')
            await uptimeViewer(p.page);
        if (role === 'viewer') {
            await test('a 403 from the API shows the translated "not allowed" message', async () => {
                await p.page.evaluate(() => WW.api('DELETE', '/devices/1').catch(() => null));
                await p.page.waitForSelector('#notice', { state: 'visible' });
                eq(await p.page.textContent('#notice'), T('vi', 'error.forbidden'), 'notice');
            });
            await test('a lost session (401) returns to the login view', async () => {
                await p.ctx.clearCookies();
                await p.page.evaluate(() => WW.api('GET', '/devices').catch(() => null));
                await p.page.waitForSelector('#view-login', { state: 'visible' });
                eq(await menu(p.page), [], 'menu');
            });
        }
        await collectCsp(p.page, role);
        await p.ctx.close();
    }

    // ---- language before login, remembered ----------------------------------------------------
    {
        const p = await newPage(browser, 'lang');
        await test('language chosen on the login page is remembered and kept after login', async () => {
            await p.page.goto(URL0 + '/');
            await ready(p.page);
            await p.page.selectOption('#lang', 'en');
            await p.page.waitForFunction(() => document.documentElement.lang === 'en');
            eq(await p.page.textContent('#login-h'), T('en', 'login.heading'), 'heading');
            await p.page.reload();
            await ready(p.page);
            eq(await p.page.textContent('#login-h'), T('en', 'login.heading'), 'after reload');
            await login(p.page, 'em.hv', USER_PW);
            await p.page.waitForSelector('#view-overview', { state: 'visible' });
            eq(await p.page.textContent('#view-overview h1'), T('en', 'overview.heading'), 'after login');
            const me = await p.page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
            eq(me.user.lang, 'en', 'saved for the account');
        });
        await collectCsp(p.page, 'lang');
        await p.ctx.close();
    }

    // ---- throttling: last, it blocks this address for a while -----------------------------
    {
        const p = await newPage(browser, 'throttle');
        await test('429 after repeated failures shows "too many attempts, wait N s"', async () => {
            await p.page.goto(URL0 + '/');
            await ready(p.page);
            let status = 0, retry = null;
            for (let i = 0; i < 8 && status !== 429; i++) {
                const resp = p.page.waitForResponse((r) => r.url().endsWith('/api/v1/session') &&
                    r.request().method() === 'POST');
                await p.page.fill('#login-name', 'nobody');
                await p.page.fill('#login-password', 'wrong-' + i);
                await p.page.click('#login-submit');
                const r = await resp;
                status = r.status();
                retry = r.headers()['retry-after'];
            }
            eq(status, 429, 'status');
            expect(/^\d+$/.test(retry || ''), 'Retry-After ' + retry);
            await p.page.waitForFunction((w) => document.getElementById('login-error').textContent === w,
                T('vi', 'login.throttled', { s: retry }));
        });
        await collectCsp(p.page, 'throttle');
        await p.ctx.close();
    }

    await test('screenshots saved: ' + shots.join(' '), async () => {
        shots.forEach((f) => expect(fs.statSync(path.join(SHOTS, f)).size > 1000, f + ' is empty'));
    });
    await test('no browser dialog, no script error, no CSP violation on any page', async () => {
        eq({ dialogs: problems.dialogs, errors: problems.pageErrors, csp: problems.csp,
            console: problems.console },
        { dialogs: [], errors: [], csp: [], console: [] }, 'problems');
    });
}

main().then(() => process.exit(failures ? 1 : 0), (e) => {
    console.log('not ok - browser test run: ' + (e && e.stack ? e.stack.split('\n')[0] : e));
    process.exit(1);
});
