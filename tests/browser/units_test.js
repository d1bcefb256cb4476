// SPDX-License-Identifier: GPL-3.0-or-later
// units_test.js - the Units page in Debian's chromium through playwright-core, against the
// dashboard test_units.sh started; one "ok - ..." / "not ok - ..." line per case.
// Environment: WW_URL, WW_PW (the admin's; the manager's is WW_PW-sep, the it officer's
// WW_PW-tho), WW_WWW (for the strings), WW_SHOTS (screenshot folder).
'use strict';

const { chromium } = require('playwright-core');
const { strings, run, expect, shot: shotIn, go, finish, crashed } = require('./pagelib.js');

const URL0 = process.env.WW_URL;
const WWW = process.env.WW_WWW;
const SHOTS = process.env.WW_SHOTS;
const T = strings(WWW);
const test = run.test;
const problems = [];
const shot = (page, name) => shotIn(page, SHOTS, name);

async function login(ctx, user, pw) {
    const page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss().catch(() => {}); });
    await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
    });
    await page.goto(URL0 + '/');
    await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
    await page.fill('#login-name', user);
    await page.fill('#login-password', pw);
    await page.click('#login-submit');
    await page.waitForSelector('#nav a[data-page="units"]:not([hidden])');
    return page;
}

// the cells of the tree row of unit @code: [name, code, level, devices, from, state]
const rowOf = (page, code) => page.$$eval('#un-table tbody tr[data-code="' + code + '"] td',
    (tds) => tds.map((td) => td.textContent));
const rowClass = (page, code) => page.getAttribute('#un-table tbody tr[data-code="' + code + '"]', 'class');
const treeHas = (page, n) => page.waitForFunction((k) =>
    document.querySelectorAll('#un-table tbody tr[data-code]').length === k, n);

(async () => {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    const ctx = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
        viewport: { width: 1280, height: 900 } });
    let page;

    await test('the manager logs in and the menu has Đơn vị', async () => {
        page = await login(ctx, 'sep', process.env.WW_PW + '-sep');
        expect((await page.textContent('#nav a[data-page="units"]')) === T('vi', 'nav.units'), 'the menu entry');
    });

    await test('the tree now: each unit under its parent, with its devices and level in Vietnamese', async () => {
        await go(page, 'units');
        await treeHas(page, 4);
        const codes = await page.$$eval('#un-table tbody tr[data-code]', (trs) => trs.map((tr) => tr.getAttribute('data-code')));
        expect(codes.join(' ') === 'HCM BN BN-VP SG', 'tree order: ' + codes.join(' '));
        const bn = await rowOf(page, 'BN');
        expect(bn[0] === 'Phường Bến Nghé' && bn[2] === T('vi', 'level.ward') && bn[3] === '1' &&
            bn[4] === '01/01/2020' && bn[5] === T('vi', 'units.active'), 'BN row: ' + bn.join('|'));
        expect(await page.$('#un-table tbody tr[data-code="BN-VP"] .depth-2'), 'the department indented twice');
        expect((await page.textContent('#un-tree-h')) === T('vi', 'units.now'), 'heading');
        const loc = await page.$$eval('#loc-table tbody td', (tds) => tds.map((td) => td.textContent));
        expect(loc[0] === 'Quầy một cửa số 1' && loc[1] === T('vi', 'lockind.counter') && loc[2] === 'Phường Bến Nghé',
            'the counter: ' + loc.join('|'));
    });
    await shot(page, 'units-vi');

    await test('the manager adds a ward under the province through the form', async () => {
        await page.click('#un-add');
        await page.fill('#un-form [name=code]', 'TD');
        await page.fill('#un-form [name=name]', 'Phường Thủ Đức');
        await page.selectOption('#un-parent', '1');
        await page.fill('#un-form [name=valid_from]', '01/07/2025');
        await page.click('#un-form button[type=submit]');
        await treeHas(page, 5);
        const td = await rowOf(page, 'TD');
        expect(td[0] === 'Phường Thủ Đức' && td[4] === '01/07/2025', 'the new row: ' + td.join('|'));
    });

    await test('a code taken is refused with Vietnamese words naming the field', async () => {
        await page.click('#un-add');
        await page.fill('#un-form [name=code]', ' bn');
        await page.fill('#un-form [name=name]', 'Trùng mã');
        await page.click('#un-form button[type=submit]');
        await page.waitForSelector('#un-error:not([hidden])');
        const err = await page.textContent('#un-error');
        expect(err.startsWith(T('vi', 'reason.exists', { field: T('vi', 'field.unit_code') })), 'error: ' + err);
        await page.click('#un-cancel');
    });

    await test('the merger asks first, then greys the old ward "sáp nhập vào ... từ 01/07/2025"', async () => {
        await page.click('#un-table tbody tr[data-code="BN"] button.merge');
        await page.waitForSelector('#un-merge:not([hidden])');
        const options = await page.$$eval('#un-into option', (os) => os.map((o) => o.value));
        expect(options.indexOf('2') < 0 && options.indexOf('4') < 0, 'neither itself nor its department offered: ' + options);
        await page.selectOption('#un-into', '3');
        await page.fill('#un-merge [name=day]', '01/07/2025');
        await page.click('#un-merge button[type=submit]');
        await page.waitForSelector('#un-confirm:not([hidden]) .confirm-yes');
        const ask = await page.textContent('#un-confirm p');
        expect(ask === T('vi', 'units.merge_confirm', { from: 'Phường Bến Nghé', into: 'Phường Sài Gòn', day: '01/07/2025' }),
            'the confirmation: ' + ask);
        expect((await page.textContent('#un-confirm .confirm-yes')) === T('vi', 'units.merge'), 'its button says Sáp nhập');
        await shot(page, 'units-merge-confirm-vi');
        await page.click('#un-confirm .confirm-yes');
        await page.waitForFunction(() => {
            const tr = document.querySelector('#un-table tbody tr[data-code="BN"]');
            return tr && tr.classList.contains('merged');
        });
        const bn = await rowOf(page, 'BN');
        expect(bn[5] === T('vi', 'units.merged', { into: 'Phường Sài Gòn', day: '01/07/2025' }) && bn[3] === '0',
            'BN row: ' + bn.join('|'));
        const sg = await rowOf(page, 'SG');
        expect(sg[3] === '1', 'the device counts in Sài Gòn: ' + sg.join('|'));
        const codes = await page.$$eval('#un-table tbody tr[data-code]', (trs) => trs.map((tr) => tr.getAttribute('data-code')));
        expect(codes.indexOf('BN-VP') > codes.indexOf('SG'), 'the department now under Sài Gòn: ' + codes.join(' '));
        expect(!(await page.$('#un-table tbody tr[data-code="BN"] button')), 'a merged unit has no buttons');
    });
    await shot(page, 'units-merged-vi');

    await test('the device page names the device\'s new unit and its location', async () => {
        await page.evaluate(() => { location.hash = '#/device/901'; });
        await page.waitForFunction(() => {
            const dl = document.getElementById('dv-life-facts');
            return dl && !document.getElementById('view-device').hidden && dl.textContent.includes('Phường Sài Gòn');
        });
        const facts = await page.textContent('#dv-life-facts');
        expect(facts.includes(T('vi', 'field.unit_id')) && facts.includes('Quầy một cửa số 1'), 'facts: ' + facts);
        await go(page, 'units');
    });

    await test('the tree of 30/06/2025: the old ward as it was, with its device', async () => {
        await page.fill('#un-at', '30/06/2025');
        await page.click('#un-at-form button[type=submit]');
        await page.waitForFunction((h) => document.getElementById('un-tree-h').textContent === h,
            T('vi', 'units.as_of', { day: '30/06/2025' }));
        await treeHas(page, 4);
        const bn = await rowOf(page, 'BN');
        expect(bn[5] === T('vi', 'units.active') && bn[3] === '1', 'BN on 30/06/2025: ' + bn.join('|'));
        expect(!(await rowClass(page, 'BN') || '').includes('merged'), 'not greyed that day');
        expect(!(await page.$('#un-table tbody tr[data-code="TD"]')), 'Thủ Đức began on 01/07/2025');
        expect(await page.isHidden('#un-add'), 'no forms for a past day');
    });
    await shot(page, 'units-past-vi');

    await test('a day that is not one is refused on the page', async () => {
        await page.fill('#un-at', '31/02/2025');
        await page.click('#un-at-form button[type=submit]');
        await page.waitForSelector('#un-at-error:not([hidden])');
        expect((await page.textContent('#un-at-error')) === T('vi', 'units.bad_day'), 'the words');
        await page.click('#un-today');
        await page.waitForFunction((h) => document.getElementById('un-tree-h').textContent === h, T('vi', 'units.now'));
    });

    await test('in English the tree, the merger and the levels are in English', async () => {
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((h) => document.querySelector('#view-units h1').textContent === h,
            T('en', 'units.heading'));
        await page.waitForFunction((w) => {
            const tr = document.querySelector('#un-table tbody tr[data-code="BN"]');
            return tr && tr.cells[5].textContent === w;
        }, T('en', 'units.merged', { into: 'Phường Sài Gòn', day: '01/07/2025' }));
        const hcm = await rowOf(page, 'HCM');
        expect(hcm[2] === T('en', 'level.province'), 'level: ' + hcm[2]);
    });
    await shot(page, 'units-en');
    await page.selectOption('#lang', 'vi');

    await test('the it officer reads the tree but gets no unit forms', async () => {
        const ctx2 = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
        const p2 = await login(ctx2, 'tho', process.env.WW_PW + '-tho');
        await go(p2, 'units');
        await treeHas(p2, 5);
        expect(await p2.isHidden('#un-add') && await p2.isHidden('#loc-add'), 'add buttons hidden');
        expect(!(await p2.$('#un-table tbody button')), 'no row buttons');
        await ctx2.close();
    });

    await finish(browser, page, problems);
})().catch(crashed('units_test.js'));
