// SPDX-License-Identifier: GPL-3.0-or-later
// phone_test.js - the dashboard at a phone's 390 x 844 (and 360 wide) and at a desk's
// 1366 x 768, driven through playwright-core against the wardwatch-dashboard test_phone.sh
// set up; one "ok - ..." / "not ok - ..." line per case. Environment: WW_URL, WW_ADMIN_PW,
// WW_WWW (the www folder, for the strings), WW_SHOTS (screenshot folder), WW_DASH_PID (the
// dashboard's pid: stopped with SIGSTOP and let go with SIGCONT for the connection banner).
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const URL0 = process.env.WW_URL;
const ADMIN_PW = process.env.WW_ADMIN_PW;
const WWW = process.env.WW_WWW;
const SHOTS = process.env.WW_SHOTS;
const DASH_PID = parseInt(process.env.WW_DASH_PID || '0', 10);
const STEP_MS = 20000; // one step's wait: generous, a shared machine under ASan is slow (never a speed check)
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 360, height: 740 };
const DESK = { width: 1366, height: 768 };
const TAP_PX = 40;
const PAGES = ['overview', 'device/1', 'outages', 'alerts', 'maintenance', 'devices', 'units',
    'users', 'audit', 'account'];
const PC_NAME = 'Máy kế toán phòng Tài chính – Kế hoạch (tầng 3)';

const S = {
    vi: JSON.parse(fs.readFileSync(path.join(WWW, 'i18n/vi.json'), 'utf8')),
    en: JSON.parse(fs.readFileSync(path.join(WWW, 'i18n/en.json'), 'utf8')),
};
const T = (lang, key) => {
    if (S[lang][key] === undefined)
        throw new Error('no string ' + key);
    return S[lang][key];
};

let failures = 0;
const shots = [];
const pageErrors = [];
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

async function go(page, hash) {
    await page.evaluate((h) => { location.hash = '#/' + h; }, hash);
    const view = 'view-' + hash.split('/')[0];
    await page.waitForFunction((v) => {
        const e = document.getElementById(v);
        return e && !e.hidden;
    }, view);
    // the page's data: its status line done, or its tables filled
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(300);
}

async function shot(page, name) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
    shots.push(name + '.png');
}

async function setLang(page, lang) {
    await page.selectOption('#lang', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.waitForTimeout(300);
}

// what is wider than the window, and the visible tap targets under 40 px high
async function measure(page) {
    return page.evaluate((min) => {
        const d = document.documentElement;
        const small = [];
        document.querySelectorAll('#nav a, button, main table a, .btn').forEach((e) => {
            const r = e.getBoundingClientRect();
            if (!r.width || !r.height || e.closest('[hidden]'))
                return;
            if (r.height < min)
                small.push((e.id || e.getAttribute('href') || e.className || e.tagName) + ' ' +
                    Math.round(r.height) + 'px');
        });
        const wide = [];
        if (d.scrollWidth > d.clientWidth)
            document.querySelectorAll('main *').forEach((e) => {
                const r = e.getBoundingClientRect();
                if (r.right > d.clientWidth + 1 && wide.length < 3)
                    wide.push(e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' +
                        Math.round(r.right));
            });
        return { scroll: d.scrollWidth, client: d.clientWidth, small: small, wide: wide };
    }, TAP_PX);
}

async function main() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox'] });
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: PHONE,
        isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP_MS);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(URL0 + '/#/overview');
    await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });

    await test('log in on a phone', async () => {
        await page.fill('#login-name', 'admin');
        await page.fill('#login-password', ADMIN_PW);
        await page.click('#login-submit');
        await page.waitForFunction(() => !document.getElementById('view-overview').hidden);
    });

    for (const size of [PHONE, NARROW]) {
        for (const p of PAGES) {
            await test(size.width + ' px: ' + p + ': no wider than the screen, tap targets >= ' +
                TAP_PX + ' px', async () => {
                await page.setViewportSize(size);
                await go(page, p);
                const m = await measure(page);
                expect(m.scroll <= m.client, 'document ' + m.scroll + ' px wide in ' + m.client +
                    ' (' + m.wide.join(', ') + ')');
                expect(!m.small.length, 'small: ' + m.small.slice(0, 6).join(', '));
            });
        }
    }
    await page.setViewportSize(PHONE);

    await test('phone: device names are not broken one letter per line', async () => {
        await go(page, 'overview');
        await page.waitForSelector('#devices tbody td.name a');
        const widths = await page.$$eval('#devices tbody td.name a', (as) => as.map((a) => {
            const r = a.getBoundingClientRect();
            const lh = parseFloat(getComputedStyle(a).lineHeight) || 20;
            return { name: a.textContent, w: r.width, lines: Math.round(r.height / lh) };
        }));
        widths.forEach((x) => {
            expect(x.w > 100, x.name + ' is ' + Math.round(x.w) + ' px wide');
            expect(x.lines <= Math.ceil(x.name.length / 8), x.name + ' takes ' + x.lines + ' lines');
        });
    });

    await test('overview: the events are folded on a phone and open beside the outages on a desk', async () => {
        await go(page, 'overview');
        expect(!(await page.$eval('#events-box', (d) => d.open)), 'open on a phone');
        const h = await page.$eval('#events-box > summary', (e) => e.getBoundingClientRect().height);
        expect(h >= 40, 'the fold is ' + h + ' px high');
        await page.setViewportSize(DESK);
        await page.waitForFunction(() => document.getElementById('events-box').open);
        const pos = await page.evaluate(() => {
            const ev = document.getElementById('events-box').getBoundingClientRect();
            const dev = document.getElementById('devices').getBoundingClientRect();
            return { ev: ev.top, dev: dev.top, vh: window.innerHeight };
        });
        expect(pos.ev < pos.dev && pos.ev < pos.vh, 'events at ' + pos.ev + ' px, devices at ' + pos.dev);
        await page.waitForSelector('#events li');
    });

    await test('overview: the OS as the collector read it, not the raw sysDescr', async () => {
        await page.setViewportSize(DESK);
        await go(page, 'overview');
        const row = await page.waitForSelector('#devices tbody tr:has-text("' + PC_NAME + '")');
        const text = await row.$eval('td.system', (td) => td.textContent);
        expect(text.indexOf('Windows 10 Pro') >= 0, 'system cell: ' + text);
        expect(text.indexOf('Hardware: Intel64') < 0, 'raw sysDescr shown: ' + text);
    });

    await test('device management: names are links to the device page', async () => {
        await go(page, 'devices');
        const href = await page.getAttribute('#dm-table tbody tr:has-text("' + PC_NAME + '") td.name a', 'href');
        expect(/^#\/device\/\d+$/.test(href || ''), 'href ' + href);
    });

    await test('a notice ends with its page; a form error goes when the field is corrected', async () => {
        await go(page, 'devices');
        await page.click('#dm-add');
        await page.click('#dm-form button[type=submit]');
        await page.waitForSelector('#dm-error', { state: 'visible' });
        await page.fill('#dm-form input[name=name]', 'x');
        expect(await page.isHidden('#dm-error'), 'the error stays after a correction');
        await page.click('#dm-cancel');
        await page.evaluate(() => window.WW.notice('x', 'ok'));
        await go(page, 'outages');
        expect(await page.isHidden('#notice'), 'the notice followed to the next page');
    });

    await test('device page: each graph has a legend with now, average, maximum and 95th percentile', async () => {
        await page.setViewportSize(PHONE);
        await go(page, 'device/1');
        await page.waitForSelector('#dv-graphs .graph .legend tbody tr', { timeout: 15000 });
        const legend = await page.$eval('#dv-graphs .graph .legend', (t) => ({
            head: Array.from(t.tHead.rows[0].cells).map((c) => c.textContent),
            row: Array.from(t.tBodies[0].rows[0].cells).map((c) => c.textContent),
        }));
        ['current', 'average', 'maximum', 'p95'].forEach((k, i) => {
            expect(legend.head[i + 1] === T('vi', 'graph.stat.' + k), 'heading ' + legend.head[i + 1]);
            expect(/\d/.test(legend.row[i + 1]), k + ' has no figure: ' + legend.row[i + 1]);
        });
        await page.waitForFunction(() => {
            const i = document.querySelector('#dv-graphs .graph img');
            return i && i.complete && i.naturalWidth > 0;
        });
        const fig = await page.$('#dv-graphs .graph:has(.legend)');
        fs.mkdirSync(SHOTS, { recursive: true });
        await fig.screenshot({ path: path.join(SHOTS, 'phone-graph-vi-phone.png') });
        shots.push('phone-graph-vi-phone.png');
        const labels = await page.$$eval('#dv-graphs .graph .legend tbody tr:first-child td',
            (tds) => tds.map((td) => td.getAttribute('data-label')));
        expect(labels[1] === T('vi', 'graph.stat.current'), 'phone legend cells unlabelled: ' + labels);
        const big = await page.$eval('#dv-graphs .graph img', (i) => i.getAttribute('src'));
        expect(/&width=\d+/.test(big), 'the graph is not drawn for the page width: ' + big);
    });

    await test('device page: the loopback graph is hidden by default and shown on request', async () => {
        const lo = await page.evaluate(async () => {
            const d = await window.WW.api('GET', '/devices/1');
            const i = d.interfaces.find((x) => x.type === 24);
            return i ? i.id : null;
        });
        expect(lo, 'the polled agent has no softwareLoopback interface');
        const sel = '#dv-graphs figure[data-graph="traffic-' + lo + '"]';
        expect(!(await page.$(sel)), 'loopback traffic graph shown by default');
        await page.check('#dv-if-all');
        await page.waitForSelector(sel);
        await page.uncheck('#dv-if-all');
    });

    for (const lang of ['vi', 'en']) {
        for (const [where, size] of [['desk', DESK], ['phone', PHONE]]) {
            await test('screenshots ' + lang + ' ' + where, async () => {
                await page.setViewportSize(size);
                await setLang(page, lang);
                for (const p of ['overview', 'device/1', 'outages']) {
                    await go(page, p);
                    if (p === 'device/1')
                        await page.waitForSelector('#dv-graphs .graph .legend', { timeout: 15000 });
                    await shot(page, 'phone-' + p.replace('/1', '') + '-' + lang + '-' + where);
                }
            });
        }
    }
    await setLang(page, 'vi');
    await page.setViewportSize(PHONE);

    await test('server stopped (SIGSTOP): a banner with the time of the last good data, the page greyed', async () => {
        expect(DASH_PID > 0, 'no WW_DASH_PID');
        await go(page, 'overview');
        process.kill(DASH_PID, 'SIGSTOP');
        try {
            await page.waitForSelector('#conn', { state: 'visible', timeout: 30000 });
            const text = await page.textContent('#conn');
            expect(/\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(text), 'no dd/mm/yyyy HH:MM in: ' + text);
            expect(text.startsWith(T('vi', 'conn.lost').split('{')[0]), 'banner: ' + text);
            expect(await page.$eval('main', (m) => m.classList.contains('offline')), 'page not greyed');
            for (const p of ['device/1', 'outages']) {
                await page.evaluate((h) => { location.hash = '#/' + h; }, p);
                await page.waitForTimeout(300);
                expect(await page.isVisible('#conn'), 'no banner on ' + p);
            }
            await shot(page, 'phone-offline-vi-phone');
            await page.setViewportSize(DESK);
            await shot(page, 'phone-offline-vi-desk');
            await page.setViewportSize(PHONE);
        } finally {
            process.kill(DASH_PID, 'SIGCONT');
        }
    });

    await test('server back (SIGCONT): the banner goes by itself, the page is not greyed', async () => {
        await page.waitForSelector('#conn', { state: 'hidden', timeout: 30000 });
        expect(!(await page.$eval('main', (m) => m.classList.contains('offline'))), 'still greyed');
    });

    await test('no script errors on the page', async () => {
        expect(!pageErrors.length, pageErrors.slice(0, 3).join('; '));
    });
    console.log('# screenshots: ' + shots.join(' '));
    await browser.close();
}

main().then(() => process.exit(failures ? 1 : 0), (e) => {
    console.log('not ok - phone_test.js: ' + (e && e.stack ? e.stack : e));
    process.exit(1);
});
