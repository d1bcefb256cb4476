// SPDX-License-Identifier: GPL-3.0-or-later
// unknown_test.js - the Unknown devices page (issue 18) in Debian's chromium through
// playwright-core, against the dashboard test_unknown.sh started on a database the probe
// filled from a test capture; one "ok - ..." / "not ok - ..." line per case. Environment:
// WW_URL, WW_IT_PW (the IT officer "tho"), WW_MG_PW (the manager "sep"), WW_WWW (for the
// strings), WW_SHOTS (screenshot folder).
'use strict';

const { T, test, expect, shot, launch, watchedPage, login, finish, crashed } = require('./probelib.js');

const URL0 = process.env.WW_URL;
const rows = (page) => page.$$eval('#uk-table tbody tr', (trs) => trs.map((tr) =>
    Array.from(tr.cells).map((c) => c.textContent)));

(async () => {
    const browser = await launch();
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC',
        viewport: { width: 1280, height: 800 } });
    const page = await watchedPage(ctx);

    await test('the IT officer has "Thiết bị lạ" in the menu', async () => {
        await login(page, URL0, 'tho', process.env.WW_IT_PW);
        await page.waitForSelector('#nav a[data-page="unknown"]:not([hidden])');
        expect((await page.textContent('#nav a[data-page="unknown"]')) === T('vi', 'nav.unknown'), 'menu words');
    });

    await test('the page lists the pairs no device has, with dd/mm/yyyy times in the office zone', async () => {
        await page.click('#nav a[data-page="unknown"]');
        await page.waitForSelector('#uk-table tbody tr');
        const r = await rows(page);
        expect(r.length === 3, 'rows: ' + JSON.stringify(r));
        const arp = r.find((c) => c[0] === '08:00:27:19:1c:78');
        expect(arp && arp[1] === '10.0.0.8' && arp[2] === T('vi', 'uk.source.arp'), 'the ARP row: ' + JSON.stringify(arp));
        // 1465939084 = 2016-06-14 21:18:04 UTC = 15/06/2016 04:18 in Asia/Ho_Chi_Minh
        expect(arp[3] === '15/06/2016 04:18', 'first seen: ' + arp[3]);
        expect(arp[5] === T('vi', 'uk.state.new'), 'state: ' + arp[5]);
    });

    await test('hostile text stored in the table is shown as text', async () => {
        const r = await rows(page);
        expect(r.some((c) => c[1] === '<img src=x onerror=alert(1)>'), 'the text itself');
        expect(!(await page.$('#uk-table img')), 'no element made of it');
    });
    await shot(page, 'unknown-vi');

    await test('flagging one says so in Vietnamese and takes it off the list of new ones', async () => {
        await page.locator('#uk-table tbody tr', { hasText: '08:00:27:19:1c:78' })
            .locator('button', { hasText: T('vi', 'uk.flag') }).click();
        await page.waitForFunction(() => document.querySelectorAll('#uk-table tbody tr').length === 2);
        const notice = await page.textContent('#notice');
        expect(notice.includes(T('vi', 'uk.done_flagged', { mac: '08:00:27:19:1c:78', ip: '10.0.0.8' })), 'notice: ' + notice);
    });

    await test('the flagged list shows it with its state; accepting it moves it on', async () => {
        await page.selectOption('#uk-filter', 'flagged');
        await page.waitForFunction(() => document.querySelectorAll('#uk-table tbody tr').length === 1);
        let r = await rows(page);
        expect(r[0][0] === '08:00:27:19:1c:78' && r[0][5] === T('vi', 'uk.state.flagged'), JSON.stringify(r));
        await page.locator('#uk-table button', { hasText: T('vi', 'uk.accept') }).click();
        await page.waitForSelector('#uk-empty:not([hidden])');
        r = await rows(page);
        expect(r.length === 0, 'still flagged: ' + JSON.stringify(r));
    });

    await test('in English the page speaks English', async () => {
        await page.selectOption('#uk-filter', 'all');
        await page.waitForFunction(() => document.querySelectorAll('#uk-table tbody tr').length === 4);
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((w) => document.querySelector('#view-unknown h1').textContent === w, T('en', 'uk.heading'));
        const r = await rows(page);
        expect(r.some((c) => c[5] === T('en', 'uk.state.accepted')), 'accepted in English: ' + JSON.stringify(r));
        expect(r.some((c) => c[5] === T('en', 'uk.state.known')), 'the known one: ' + JSON.stringify(r));
    });
    await shot(page, 'unknown-en');
    await page.selectOption('#lang', 'vi');

    await finish(browser, page, URL0, 'unknown');
})().catch(crashed('unknown_test.js'));
