// SPDX-License-Identifier: GPL-3.0-or-later
// plan_test.js - the replacement plan page in Debian's chromium through playwright-core
// (tests/browser/lib.js), against the dashboard test_plan.sh started; one "ok - ..." /
// "not ok - ..." line per case. Environment: WW_URL, WW_MANAGER_PW, WW_WWW (for the strings),
// WW_SHOTS (screenshots), WW_YEAR (the office's current year).
'use strict';

const path = require('path');
const { T, test, expect, launch, shot, go, login, noProblems, failures } = require('./lib.js');

const URL0 = process.env.WW_URL;
const SHOTS = process.env.WW_SHOTS;
const YEAR = +process.env.WW_YEAR;
const rowText = (page, sel) => page.textContent(sel);

(async () => {
    const { browser, page } = await launch();
    // printing is asked of the browser, never a dialog in a headless test: counted instead
    await page.addInitScript(() => {
        window.print = () => { window.__printed = (window.__printed || 0) + 1; };
    });

    await test('the manager logs in and the menu has the plan', async () => {
        await login(page, URL0, 'sep', process.env.WW_MANAGER_PW);
        await page.waitForSelector('#nav a[data-page="plan"]:not([hidden])');
        expect((await page.textContent('#nav a[data-page="plan"]')) === T('vi', 'nav.plan'), 'the menu entry in Vietnamese');
    });

    await test('the plan (vi): years by unit, the counter PC replaced this year, the RAM upgrade', async () => {
        await go(page, 'plan');
        await page.waitForSelector('#pl-items tbody tr[data-device="901"]');
        const grid = await page.textContent('#pl-grid');
        expect(grid.includes('Phường An Hòa') && grid.includes(String(YEAR)), 'the grid: ' + grid.slice(0, 200));
        const r901 = await rowText(page, '#pl-items tbody tr[data-device="901"]');
        expect(r901.includes(T('vi', 'plan.action.replace')) && r901.includes(String(YEAR)), '901: ' + r901);
        const r903 = await rowText(page, '#pl-items tbody tr[data-device="903"]');
        expect(r903.includes(T('vi', 'plan.action.upgrade_ram')), '903: ' + r903);
        expect(await page.$('#pl-items tbody tr[data-device="905"][data-state="unfunded"]'), '905 unfunded');
    });

    await test('the priority list words each term (vi)', async () => {
        const txt = await rowText(page, '#pl-prio tbody tr[data-device="901"]');
        expect(/8,1 năm tuổi, tuổi thọ 5: \+32/.test(txt), 'age term: ' + txt);
        expect(txt.includes(T('vi', 'score.term.critical1') + ': +10'), 'counter term: ' + txt);
    });
    await shot(page, 'plan-vi');

    await test('pinning the unfunded PC to next year puts it there, over the budget', async () => {
        await page.selectOption('#pl-items tbody tr[data-device="905"] select', String(YEAR + 1));
        await page.click('#pl-items tbody tr[data-device="905"] button:text("' + T('vi', 'pl.pin') + '")');
        await page.waitForSelector('#pl-items tbody tr[data-device="905"][data-state="planned"]');
        const txt = await rowText(page, '#pl-items tbody tr[data-device="905"]');
        expect(txt.includes(String(YEAR + 1)) && txt.includes(T('vi', 'plan.why.pinned')), '905: ' + txt);
        expect((await page.textContent('#pl-grid')).includes(T('vi', 'pl.cell_over', { over: '' }).trim().split(' ')[0]),
            'the grid shows the overrun');
    });

    await test('a saved version, then what changed since it', async () => {
        await page.fill('#pl-version-form [name=note]', 'Dự thảo lần 1');
        await page.click('#pl-version-form button[type=submit]');
        await page.waitForFunction(() => document.querySelectorAll('#pl-versions li').length === 1);
        await page.click('#pl-items tbody tr[data-device="905"] button:text("' + T('vi', 'pl.clear') + '")');
        await page.waitForSelector('#pl-items tbody tr[data-device="905"][data-state="unfunded"]');
        await page.waitForSelector('#pl-since li.change-removed');
        const txt = await page.textContent('#pl-since');
        expect(txt.includes(T('vi', 'plan.change.removed', { name: 'Máy xã Cát', from: YEAR + 1 })), 'the change: ' + txt);
    });
    await shot(page, 'plan-changes-vi');

    await test('a budget typed in the form is refused when not a number, kept when it is', async () => {
        await page.fill('#pl-budget-form [name=year]', String(YEAR + 1));
        await page.fill('#pl-budget-form [name=amount]', 'nhiều');
        await page.click('#pl-budget-form button[type=submit]');
        await page.waitForSelector('#pl-budget-error:not([hidden])');
        await page.fill('#pl-budget-form [name=amount]', '30.000.000');
        await page.click('#pl-budget-form button[type=submit]');
        await page.waitForFunction((y) => Array.from(document.querySelectorAll('#pl-budgets tbody tr'))
            .some((tr) => tr.textContent.includes(String(y))), YEAR + 1);
    });

    await test('a weight out of bounds is refused in Vietnamese, naming it', async () => {
        await page.fill('#pl-settings-form [name=weight_age]', '500');
        await page.click('#pl-settings-form button[type=submit]');
        await page.waitForSelector('#pl-settings-error:not([hidden])');
        const err = await page.textContent('#pl-settings-error');
        expect(err.includes(T('vi', 'field.weight_age')), 'the field named: ' + err);
        await page.fill('#pl-settings-form [name=weight_age]', '20');
    });

    await test('print: the plan as an administrative document (motto, title, signatures)', async () => {
        await page.click('#pl-print-plan');
        const txt = await page.textContent('#pl-print');
        expect(txt.includes(T('vi', 'handover.motto')) && txt.includes(T('vi', 'pl.print_maker')) &&
            txt.includes(T('vi', 'pl.print_title', { from: YEAR, to: YEAR + 4 })), 'print: ' + txt.slice(0, 200));
        expect(await page.evaluate(() => window.__printed === 1), 'window.print called');
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(() => document.body.classList.add('printing'));
        await page.evaluate(() => { document.getElementById('pl-print').hidden = false; });
        await page.screenshot({ path: path.join(SHOTS, 'plan-print-vi.png'), fullPage: true });
        await page.emulateMedia({ media: 'screen' });
        await page.evaluate(() => { document.body.classList.remove('printing'); document.getElementById('pl-print').hidden = true; });
    });

    await test('the device page shows its score and terms', async () => {
        await page.evaluate(() => { location.hash = '#/device/903'; });
        await page.waitForSelector('#dv-score li');
        const txt = await page.textContent('#dv-score');
        expect(txt.includes(T('vi', 'score.term.mem_pressure', { a: 10, b: 10 }) + ': +15'), 'terms: ' + txt);
    });
    await shot(page, 'device-score-vi');

    await test('in English the plan and its terms are in English', async () => {
        await page.selectOption('#lang', 'en');
        await go(page, 'plan');
        await page.waitForFunction((h) => document.querySelector('#view-plan h1').textContent === h, T('en', 'pl.heading'));
        await page.waitForSelector('#pl-prio tbody tr[data-device="901"]');
        const txt = await rowText(page, '#pl-prio tbody tr[data-device="901"]');
        expect(/8\.1 years old, lifespan 5: \+32/.test(txt), 'age term: ' + txt);
        const r903 = await rowText(page, '#pl-items tbody tr[data-device="903"]');
        expect(r903.includes(T('en', 'plan.action.upgrade_ram')), '903: ' + r903);
    });
    await shot(page, 'plan-en');

    await noProblems(page);
    await browser.close();
    process.exit(failures() ? 1 : 0);
})().catch((e) => {
    console.log('not ok - plan_test.js: ' + (e && e.stack ? e.stack.split('\n')[0] : e));
    process.exit(1);
});
