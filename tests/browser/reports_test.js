// SPDX-License-Identifier: GPL-3.0-or-later
// reports_test.js - the Reports page (issue 16 item 8) in Debian's chromium through
// playwright-core, against the dashboard test_reports.sh started on its fixed fleet: the
// manager's report list and tables in Vietnamese (band words, verdicts and reasons in words,
// money with Vietnamese thousands separators, dates dd/mm/yyyy), the unit filter and the CSV
// link that follows it, the print layout on A4 (unit, Quốc hiệu, "ngày dd tháng mm năm
// yyyy", title, signature blocks; the app's menu gone) in vi and en with screenshots and PDFs;
// hr sees the assignment register only. Environment: WW_URL, WW_MANAGER_PW, WW_HR_PW,
// WW_WWW, WW_SHOTS.
'use strict';

const path = require('path');
const { T, test, expect, launch, shot, go, login, noProblems, failures } = require('./lib.js');

const URL0 = process.env.WW_URL;
const SHOTS = process.env.WW_SHOTS;
const A4 = { width: 794, height: 1123 }; // 210 x 297 mm at 96 dpi

const rowsText = (page) => page.$$eval('#rp-table tbody tr', (trs) => trs.map((r) => r.textContent));
async function loaded(page) {
    await page.waitForFunction(() => {
        const s = document.getElementById('rp-status');
        return s && s.textContent && !s.classList.contains('error') &&
            document.querySelector('#rp-table thead tr');
    });
}

async function printView(page, lang) {
    await page.setViewportSize(A4);
    await page.emulateMedia({ media: 'print' });
    await test('the print layout on A4 (' + lang + '): unit, Quốc hiệu, date line, title, signatures; no menu', async () => {
        expect(await page.isVisible('#rp-head-unit'), 'the unit heading shows');
        expect((await page.textContent('#rp-head-unit')) === 'Bộ phận một cửa', 'the unit filtered on');
        expect((await page.textContent('#rp-doc .nation')) === T(lang, 'handover.nation'), 'the national name');
        expect((await page.textContent('#rp-doc .motto')) === T(lang, 'handover.motto'), 'the motto');
        const place = await page.textContent('#rp-place');
        const rx = lang === 'vi' ? /^\.+, ngày \d{2} tháng \d{2} năm \d{4}$/ : /^\.+, \d{2}\/\d{2}\/\d{4}$/;
        expect(rx.test(place), 'the date line: ' + place);
        expect(await page.isVisible('#rp-doc .sign'), 'the signature blocks show');
        expect((await page.textContent('#rp-doc .sign b')) === T(lang, 'report.preparer'), 'Người lập biểu');
        expect(!(await page.isVisible('header.top')) && !(await page.isVisible('#rp-filter')),
            'the menu and the filters are not printed');
        const font = await page.$eval('#rp-doc', (e) => getComputedStyle(e).fontFamily);
        expect(/Times New Roman/.test(font), 'Times New Roman: ' + font);
    });
    await shot(page, 'reports-print-' + lang);
    await page.pdf({ path: path.join(SHOTS, 'reports-print-' + lang + '.pdf'), format: 'A4',
        preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
}

(async () => {
    const { browser, page } = await launch();

    await test('the manager logs in; the menu has Reports', async () => {
        await login(page, URL0, 'sep', process.env.WW_MANAGER_PW);
        await page.waitForSelector('#nav a[data-page="reports"]:not([hidden])');
        expect((await page.textContent('#nav a[data-page="reports"]')) === T('vi', 'nav.reports'), 'in Vietnamese');
    });

    await test('age bands (vi): the seven reports listed, a row per unit and kind, the bands in words, a total', async () => {
        await go(page, 'reports/age', 'reports');
        await loaded(page);
        expect((await page.$$('#rp-list a')).length === 7, 'seven reports');
        const heads = await page.$$eval('#rp-table thead th', (ths) => ths.map((h) => h.textContent));
        expect(heads.includes(T('vi', 'report.band_lt3')) && heads.includes(T('vi', 'report.band_11p')),
            'bands: ' + heads.join('|'));
        const rows = await rowsText(page);
        expect(rows.length === 3, 'rows: ' + rows.length);
        expect(rows[0].startsWith('Bộ phận một cửa'), 'the unit first: ' + rows[0]);
        expect(rows[2].startsWith(T('vi', 'report.no_unit')), 'no unit last: ' + rows[2]);
        expect((await page.textContent('#rp-table tfoot')).startsWith(T('vi', 'report.total')), 'the total row');
        expect((await page.textContent('#rp-status')) === T('vi', 'report.count', { n: 5 }), 'five devices');
        expect(!(await page.isVisible('#rp-doc .sign')) && !(await page.isVisible('#rp-head-unit')),
            'the heading and signatures are for paper only');
    });
    await shot(page, 'reports-age-vi');

    await test('not ready for Windows 11 (vi): verdicts and reasons in words, a hostile name as text', async () => {
        await page.click('#rp-list a[href="#/reports/win11"]');
        await page.waitForFunction(() => document.querySelectorAll('#rp-table tbody tr').length === 3 &&
            location.hash === '#/reports/win11');
        const rows = await rowsText(page);
        const old = rows.find((r) => r.includes('PC một cửa 1'));
        expect(old && old.includes(T('vi', 'ready.win11_not_ready')) && old.includes(T('vi', 'ready.r_cpu_too_old')),
            'the old Core i3: ' + old);
        expect(rows.some((r) => r.includes('=HYPERLINK("http://x.example","bấm")')), 'the formula name shown as it is');
        expect(await page.$eval('#rp-csv', (a) => a.getAttribute('href')) === '/api/v1/reports/win11.csv', 'the CSV link');
    });

    await test('the unit filter: the rows and the CSV link follow it', async () => {
        await page.selectOption('#rp-unit', { label: 'Văn phòng' });
        await page.waitForFunction(() => /unit=3/.test(location.hash));
        await go(page, 'reports/depreciation?unit=2', 'reports');
        // unit 2's three PCs and their subtotal
        await page.waitForFunction(() => location.hash.includes('depreciation') &&
            document.querySelectorAll('#rp-table tbody tr').length === 4);
        expect(await page.$eval('#rp-csv', (a) => a.getAttribute('href')) === '/api/v1/reports/depreciation.csv?unit=2',
            'the CSV link keeps the filter');
    });

    await test('depreciation (vi): VND with Vietnamese separators, dates dd/mm/yyyy, a subtotal per unit and kind', async () => {
        const foot = await page.textContent('#rp-table tfoot');
        const want = await page.evaluate(() => window.WW.fmtVND(21500000));
        expect(/21\.500\.000/.test(want) && foot.includes(want), 'the total cost ' + want + ' in ' + foot);
        const rows = await rowsText(page);
        expect(rows.some((r) => /\d{2}\/\d{2}\/\d{4}/.test(r)), 'a date dd/mm/yyyy: ' + rows[0]);
        expect((await page.$$('#rp-table tbody tr.subtotal-row')).length === 1, 'one subtotal');
    });
    await shot(page, 'reports-depreciation-vi');
    await printView(page, 'vi');

    await test('in English: the page and the print layout in English', async () => {
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((h) => document.querySelector('#view-reports h1').textContent === h,
            T('en', 'report.heading'));
        await loaded(page);
        expect((await page.textContent('#rp-title')) === T('en', 'report.depreciation'), 'the title');
    });
    await shot(page, 'reports-depreciation-en');
    await printView(page, 'en');
    await page.selectOption('#lang', 'vi');

    await test('hr sees the assignment register and the untrained equipment only', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-form');
        await login(page, URL0, 'nhansu', process.env.WW_HR_PW);
        await go(page, 'reports', 'reports');
        await loaded(page);
        const names = await page.$$eval('#rp-list a', (as) => as.map((a) => a.getAttribute('href')));
        expect(names.length === 2 && names[0] === '#/reports/assignments' && names[1] === '#/reports/untrained',
            'the list: ' + names.join(' '));
        const rows = await rowsText(page);
        expect(rows.length === 2 && rows[0].includes('Nguyễn Thị Lan') && rows[0].includes('01/02/2024'),
            'holders: ' + rows.join(' | '));
    });
    await shot(page, 'reports-assignments-hr-vi');

    await test('untrained equipment (vi): the counter PC held by a person never trained for it', async () => {
        await page.click('#rp-list a[href="#/reports/untrained"]');
        await page.waitForFunction(() => location.hash === '#/reports/untrained');
        await loaded(page);
        const rows = await rowsText(page);
        expect(rows.length >= 1 && rows[0].includes('PC một cửa 1') && rows[0].includes('Nguyễn Thị Lan') &&
            rows[0].includes(T('vi', 'gap.missing')), 'rows: ' + rows.join(' | '));
        expect(await page.$eval('#rp-csv', (a) => a.getAttribute('href')) === '/api/v1/reports/untrained.csv',
            'the CSV link');
    });
    await shot(page, 'reports-untrained-vi');

    await test('the handover record shares doc.css: the same heading, Times New Roman, signatures side by side', async () => {
        await page.goto(URL0 + '/api/v1/assignments/1/handover');
        const head = await page.$eval('.head', (e) => getComputedStyle(e).display);
        const font = await page.$eval('body', (e) => getComputedStyle(e).fontFamily);
        const sign = await page.$eval('.sign', (e) => getComputedStyle(e).display);
        expect(head === 'flex' && sign === 'flex' && /Times New Roman/.test(font),
            'head ' + head + ', sign ' + sign + ', font ' + font);
        expect((await page.textContent('.nation')) === T('vi', 'handover.nation'), 'the national name');
    });
    await page.setViewportSize(A4);
    await shot(page, 'handover-vi');

    await noProblems(page);
    await browser.close();
    process.exit(failures() ? 1 : 0);
})().catch((e) => {
    console.log('not ok - reports_test.js: ' + (e && e.stack ? e.stack.split('\n')[0] : e));
    process.exit(1);
});
