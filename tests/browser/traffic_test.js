// SPDX-License-Identifier: GPL-3.0-or-later
// traffic_test.js - the traffic overview page (issue 18) in Debian's chromium through
// playwright-core, against the dashboard test_traffic.sh started on a database the probe
// filled from a test capture (15/06/2016 04:18 in the office zone, subnet 10.0.0.0/24);
// one "ok - ..." / "not ok - ..." line per case. Environment: WW_URL, WW_IT_PW (the IT
// officer "tho"), WW_MG_PW (the manager "sep"), WW_WWW (for the strings), WW_SHOTS.
'use strict';

const { T, test, expect, shot, launch, watchedPage, login, finish, crashed } = require('./probelib.js');

const URL0 = process.env.WW_URL;
const cells = (page, table) => page.$$eval('#' + table + ' tbody tr', (trs) => trs.map((tr) =>
    Array.from(tr.cells).map((c) => c.textContent)));

(async () => {
    const browser = await launch();
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC',
        viewport: { width: 1280, height: 1400 } });
    const page = await watchedPage(ctx);

    await test('the IT officer has "Lưu lượng mạng" in the menu; today with no traffic says so', async () => {
        await login(page, URL0, 'tho', process.env.WW_IT_PW);
        await page.waitForSelector('#nav a[data-page="traffic"]:not([hidden])');
        expect((await page.textContent('#nav a[data-page="traffic"]')) === T('vi', 'nav.traffic'), 'menu words');
        await page.click('#nav a[data-page="traffic"]');
        await page.waitForFunction(() => document.querySelectorAll('#tf-hours tbody tr').length === 24);
        const day = await page.inputValue('#tf-filter input[name="day"]');
        expect(/^\d\d\/\d\d\/\d{4}$/.test(day), 'the day shown as dd/mm/yyyy: ' + day);
        const summary = await page.textContent('#tf-summary');
        expect(summary === T('vi', 'traffic.nothing', { day: day }), 'summary: ' + summary);
    });

    await test('a day that is not a date is refused in Vietnamese', async () => {
        await page.fill('#tf-filter input[name="day"]', '31/02/2016');
        await page.click('#tf-filter button[type="submit"]');
        await page.waitForSelector('#tf-error:not([hidden])');
        expect((await page.textContent('#tf-error')) === T('vi', 'traffic.bad_day'), 'error words');
    });

    await test('15/06/2016: the uplink by hour, in the office zone (04:00 has the capture)', async () => {
        await page.fill('#tf-filter input[name="day"]', '15/06/2016');
        await page.click('#tf-filter button[type="submit"]');
        await page.waitForFunction(() => document.querySelectorAll('#tf-top tbody tr').length > 0);
        expect(await page.$eval('#tf-error', (e) => e.hidden), 'the error is gone');
        const hours = await cells(page, 'tf-hours');
        expect(hours.length === 24 && hours[0][0] === '00:00' && hours[23][0] === '23:00', 'hours: ' + hours.length);
        const four = hours[4];
        expect(four[3] !== T('vi', 'none') && four[3] !== '0\u00a0B', 'up at 04:00: ' + JSON.stringify(four));
        expect(four[4] !== '0\u00a0B', 'down at 04:00: ' + JSON.stringify(four));
        expect(four[1] === T('vi', 'traffic.office_none'), '04:00 is not office time: ' + four[1]);
        expect(hours[9][1] === T('vi', 'traffic.office_full'), '09:00 on a Wednesday is: ' + hours[9][1]);
        expect(hours.filter((h) => h[3] !== '0\u00a0B').length === 1, 'only the capture hour has uplink');
        const summary = await page.textContent('#tf-summary');
        const head = T('vi', 'traffic.summary', { day: '15/06/2016', bytes: '#', pkts: '#', windows: '#' }).split('#')[0];
        expect(summary.startsWith(head), 'summary: ' + summary);
    });

    await test('top talkers name the device whose host is the address; mix, ports and the subnet are there', async () => {
        const top = await cells(page, 'tf-top');
        expect(top.length >= 3, 'talkers: ' + JSON.stringify(top));
        const srv = top.find((c) => c[0] === '10.0.0.138');
        expect(srv && srv[1] === 'Máy chủ', 'the device named: ' + JSON.stringify(srv));
        expect(await page.$('#tf-top a[href="#/device/901"]'), 'a link to the device');
        const mix = await cells(page, 'tf-mix');
        expect(mix[0][0] === T('vi', 'traffic.class.tcp'), 'TCP first: ' + JSON.stringify(mix));
        expect(mix.every((m) => /%$/.test(m[3])), 'shares: ' + JSON.stringify(mix));
        const ports = await cells(page, 'tf-ports');
        expect(ports.length >= 1 && /^(tcp|udp)\/\d+$/.test(ports[0][0]), 'ports: ' + JSON.stringify(ports));
        const subnets = await cells(page, 'tf-subnets');
        expect(subnets.length === 1 && subnets[0][0] === '10.0.0.0/24', 'subnet: ' + JSON.stringify(subnets));
    });

    await test('hostile text stored as a port is shown as text', async () => {
        const ports = await cells(page, 'tf-ports');
        expect(ports.some((c) => c[0] === '<img src=x onerror=alert(1)>'), 'the text itself');
        expect(!(await page.$('#tf-ports img')), 'no element made of it');
    });
    await shot(page, 'traffic-vi');

    await test('in English the page speaks English', async () => {
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((w) => document.querySelector('#view-traffic h1').textContent === w, T('en', 'traffic.heading'));
        const hours = await cells(page, 'tf-hours');
        expect(hours[9][1] === T('en', 'traffic.office_full') && hours[4][1] === T('en', 'traffic.office_none'),
            'office column: ' + hours[9][1] + ' / ' + hours[4][1]);
        const mix = await cells(page, 'tf-mix');
        expect(mix.some((m) => m[0] === T('en', 'traffic.class.other') || m[0] === T('en', 'traffic.class.tcp')), 'classes');
        const summary = await page.textContent('#tf-summary');
        const head = T('en', 'traffic.summary', { day: '15/06/2016', bytes: '#', pkts: '#', windows: '#' }).split('#')[0];
        expect(summary.startsWith(head), 'summary: ' + summary);
    });
    await shot(page, 'traffic-en');
    await page.selectOption('#lang', 'vi');

    await finish(browser, page, URL0, 'traffic');
})().catch(crashed('traffic_test.js'));
