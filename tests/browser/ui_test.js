// SPDX-License-Identifier: GPL-3.0-or-later
// ui_test.js - drives Debian's chromium through playwright-core against a running
// wardwatch-dashboard that test_browser.sh set up; prints one "ok - ..." / "not ok - ..."
// line per case, "# ..." lines for figures (page weight, load time, screenshots).
// Environment: WW_URL, WW_ADMIN_PW, WW_USER_PW (every other account), WW_WWW (the www
// folder, for the strings), WW_SHOTS (screenshot folder), WW_COMMUNITY (must never show).
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
const MENUS = {
    admin: ['overview', 'devices', 'users', 'audit', 'account'],
    it: ['overview', 'devices', 'account'],
    manager: ['overview', 'account'],
    hr: ['overview', 'account'],
    viewer: ['overview', 'account'],
};
const GUARDED = {
    devices: { method: 'POST', path: '/api/v1/devices', body: '{}' },
    users: { method: 'GET', path: '/api/v1/users' },
    audit: { method: 'GET', path: '/api/v1/audit' },
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

    await test('page weight under 150 KiB', async () => {
        const m = await page.evaluate(() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource')
                .filter((r) => !/\/api\//.test(r.name));
            const files = [{ name: nav.name, size: nav.encodedBodySize }]
                .concat(res.map((r) => ({ name: r.name, size: r.encodedBodySize })));
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
        weight = 'page weight ' + total + ' bytes in ' + m.files.length + ' files (' +
            Object.keys(byKind).map((k) => k + ' ' + byKind[k]).join(', ') + '), load ' +
            m.load.toFixed(0) + ' ms, DOMContentLoaded ' + m.dcl.toFixed(0) + ' ms';
        expect(total > 0 && total < 150 * 1024, 'page weight ' + total + ' bytes is over 150 KiB');
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
        await page.fill('#search', 'ben nghe');
        eq(await tableNames(page, 'devices'), [BEN_NGHE], 'ben nghe');
        await page.fill('#search', 'PHUONG dong HOA');
        eq(await tableNames(page, 'devices'), [DONG_HOA], 'PHUONG dong HOA');
        await page.fill('#search', 'Bến Nghé');
        eq(await tableNames(page, 'devices'), [BEN_NGHE], 'Bến Nghé');
        await page.fill('#search', '');
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
            ['overview', 'devices', 'users', 'audit', 'account'].map((p) => T('en', 'nav.' + p)), 'menu');
        eq(await page.textContent('#view-overview h1'), T('en', 'overview.heading'), 'heading');
        eq(await page.textContent('#devices thead th'), T('en', 'col.name'), 'column');
        eq(await page.textContent('#logout'), T('en', 'nav.logout'), 'logout');
        eq(await page.getAttribute('#search', 'placeholder'), T('en', 'devices.search_placeholder'), 'placeholder');
        const badge = await page.textContent('#devices tbody .badge');
        expect([T('en', 'state.up'), T('en', 'state.down'), T('en', 'state.unknown')].includes(badge),
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
        await page.waitForFunction((w) => document.getElementById('ac-error').textContent === w,
            T('vi', 'account.wrong_old'));
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
