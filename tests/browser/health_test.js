// SPDX-License-Identifier: GPL-3.0-or-later
// health_test.js - the device page's health panel, disks and "found by SNMP beside typed",
// and the page of devices not in the register, in Debian's chromium through playwright-core,
// against the dashboard test_health.sh started over its data folder; as a viewer, in vi then
// en; one "ok - ..." / "not ok - ..." line per case. Environment: WW_URL, WW_VIEWER_PW,
// WW_WWW (for the strings), WW_SHOTS (screenshot folder).
'use strict';

const { strings, test, expect, shot: shotIn, go, run } = require('./harness');

const URL0 = process.env.WW_URL;
const SHOTS = process.env.WW_SHOTS;
const T = strings(process.env.WW_WWW);
const shot = (page, name) => shotIn(page, SHOTS, name);

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);

// what the health panel must say in @lang (the figures test_health.sh wrote: 90 days, 12 of
// high CPU, 61 with the disk above 90%, 3 reboots, 2 h 30 min down of 675 office hours)
function healthWords(lang) {
    const pct = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
        .format(9000 * 100 / (27000 * 90)) + '\u00a0%';
    return {
        cpu: T(lang, 'health.cpu', { n: '12', days: '90' }),
        mem: T(lang, 'health.mem', { n: '0', days: '90' }),
        disk: T(lang, 'health.disk', { n: '61', days: '90' }),
        reboots: T(lang, 'health.reboots', { n: '3', days: '0' }),
        office_down: T(lang, 'health.office_down', { time: T(lang, 'uptime.hours', { h: 2, m: 30 }), pct: pct }),
    };
}

async function checkDevice(page, lang) {
    await test('health panel in words (' + lang + '): ' + healthWords(lang).cpu, async () => {
        await page.waitForSelector('#dv-health-body ul.health li[data-health="office_down"]');
        const want = healthWords(lang);
        for (const k of Object.keys(want)) {
            const got = await text(page, '#dv-health-body li[data-health="' + k + '"]');
            expect(got === want[k], k + ': "' + got + '", want "' + want[k] + '"');
        }
        expect(await page.$('#dv-health-body li.warn[data-health="disk"]'), 'the full-disk days marked');
    });
    await test('a row per disk with size, used % and last seen; the one gone says so (' + lang + ')', async () => {
        await page.waitForSelector('#dv-disks tbody tr[data-disk="3"]');
        const rows = await page.$$eval('#dv-disks tbody tr', (trs) => trs.map((tr) => ({
            id: tr.getAttribute('data-disk'), warn: tr.classList.contains('warn'),
            cells: Array.from(tr.cells).map((c) => c.textContent) })));
        expect(rows.length === 3, rows.length + ' rows');
        const c = rows.find((r) => r.id === '1');
        expect(c.cells[0].startsWith('C:\\ Label:'), 'C: ' + c.cells[0]);
        expect(c.cells[1] === (lang === 'en' ? '250\u00a0GB' : '250\u00a0GB'), 'size ' + c.cells[1]);
        expect(c.cells[2] === '95,50\u00a0%' && c.warn, 'used ' + c.cells[2]);
        const e = rows.find((r) => r.id === '3');
        expect(e.cells[0].includes(T(lang, 'disks.gone')), 'E: gone: ' + e.cells[0]);
        expect(!rows.find((r) => r.id === '2').cells[0].includes(T(lang, 'disks.gone')), 'D: still seen');
    });
    await test('each disk has its own graph (' + lang + ')', async () => {
        for (const k of ['1', '2']) {
            const sel = '#dv-graphs figure[data-graph="volume-' + k + '"]';
            await page.waitForSelector(sel + ' img');
            await page.waitForFunction((s) => {
                const img = document.querySelector(s + ' img');
                return img && img.complete && img.naturalWidth > 0;
            }, sel);
            expect(!(await page.$eval(sel, (f) => f.hidden)), 'disk ' + k + ' graph shown');
        }
        const cap = await text(page, '#dv-graphs figure[data-graph="volume-2"] figcaption');
        expect(cap === T(lang, 'graph.volume', { name: 'D:\\ Label:Dữ liệu  Serial Number 9a' }), 'caption ' + cap);
    });
    await test('found by SNMP beside typed: the vendor differs and is marked, the serial matches (' + lang + ')', async () => {
        await page.waitForSelector('#dv-disc-facts .compare[data-field="vendor"]');
        const v = await text(page, '#dv-disc-facts .compare[data-field="vendor"]');
        expect(await page.$('#dv-disc-facts .compare.differ[data-field="vendor"]'), 'vendor marked');
        expect(v.includes(T(lang, 'disc.typed', { v: 'Dell' })) && v.includes(T(lang, 'disc.reported', { v: 'Microsoft' }))
            && v.includes(T(lang, 'disc.differ')), 'vendor: ' + v);
        const s = await text(page, '#dv-disc-facts .compare[data-field="serial"]');
        expect(!(await page.$('#dv-disc-facts .compare.differ[data-field="serial"]')) && s.includes(T(lang, 'disc.same')),
            'serial: ' + s);
        const all = await text(page, '#dv-disc-facts');
        expect(all.includes('Windows 7 (build 7601)') && all.includes(T(lang, 'disc.cpu_count',
            { model: 'Intel(R) Core(TM) i3-4150 CPU @ 3.50GHz', n: '4' })), 'OS and CPU: ' + all);
    });
}

run('health_test.js', async ({ page }) => {

    await test('a viewer logs in; the menu has the devices not in the register', async () => {
        await page.goto(URL0 + '/');
        await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
        await page.fill('#login-name', 'xem');
        await page.fill('#login-password', process.env.WW_VIEWER_PW);
        await page.click('#login-submit');
        await page.waitForSelector('#nav a[data-page="unregistered"]:not([hidden])');
        expect((await text(page, '#nav a[data-page="unregistered"]')) === T('vi', 'nav.unregistered'),
            'the menu entry in Vietnamese');
    });

    await page.evaluate(() => { location.hash = '#/device/1001'; });
    await page.waitForSelector('#dv-body:not([hidden])');
    await checkDevice(page, 'vi');
    await page.$eval('#dv-disc', (e) => e.scrollIntoView());
    await shot(page, 'device-health-vi');

    await page.selectOption('#lang', 'en');
    await page.waitForFunction((h) => document.querySelector('#dv-health-h').textContent === h,
        T('en', 'health.heading'));
    await checkDevice(page, 'en');
    await shot(page, 'device-health-en');

    for (const lang of ['en', 'vi']) {
        await test('the devices not in the register, newest first (' + lang + ')', async () => {
            if (lang === 'vi') {
                await page.selectOption('#lang', 'vi');
                await page.waitForFunction((h) => document.querySelector('#view-unregistered h1').textContent === h,
                    T('vi', 'unreg.heading'));
            } else {
                await go(page, 'unregistered');
            }
            await page.waitForSelector('#ur-table tbody tr');
            const rows = await page.$$eval('#ur-table tbody tr', (trs) => trs.map((tr) =>
                Array.from(tr.cells).map((c) => c.textContent)));
            expect(rows.length === 2, rows.length + ' rows');
            expect(rows[0][0].startsWith('may-in-mot-cua') && rows[0][1] === '192.0.2.77' &&
                rows[0][2] === 'Switch tầng 2' && rows[0][3] === 'Gi0/7' && rows[0][4] === 'eth0' &&
                /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/.test(rows[0][5]), 'first: ' + rows[0].join(' | '));
            expect(rows[1][0].startsWith('AP-Tang3 <script>') && rows[1][1] === T(lang, 'none'),
                'the name a device sent is text: ' + rows[1].join(' | '));
            expect(!(await page.$('#ur-table script')), 'no element made of it');
            expect((await text(page, '#view-unregistered h1')) === T(lang, 'unreg.heading'), 'heading');
        });
        await shot(page, 'unregistered-' + lang);
    }
});
