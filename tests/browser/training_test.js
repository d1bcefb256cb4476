// SPDX-License-Identifier: GPL-3.0-or-later
// training_test.js - the Training page (issue 17) in Debian's chromium through playwright-core,
// against the dashboard test_training.sh started; one "ok - ..." / "not ok - ..." line per
// case. Environment: WW_URL, WW_HR_PW, WW_MG_PW, WW_WWW (for the strings), WW_SHOTS.
'use strict';

const { T, test, expect, launch, shot, go, login: libLogin, noProblems, failures } = require('./lib.js');

const URL0 = process.env.WW_URL;

async function login(page, who, pw) {
    await libLogin(page, URL0, who, pw);
    await page.waitForSelector('#nav a[data-page="training"]:not([hidden])');
}

// the matrix as text: {person: {skill column: cell text}}
async function matrix(page) {
    return page.evaluate(() => {
        const heads = Array.from(document.querySelectorAll('#tr-matrix thead th')).map((h) => h.textContent);
        const out = {};
        document.querySelectorAll('#tr-matrix tbody tr').forEach((tr) => {
            const tds = Array.from(tr.children);
            const name = tds[0].textContent.replace(/ \(.*\)$/, '');
            out[name] = {};
            tds.slice(1).forEach((td, i) => {
                const s = td.querySelector('.gap');
                out[name][heads[i + 1]] = s ? { text: s.textContent, cls: s.className, title: s.getAttribute('title') }
                    : { text: td.textContent };
            });
        });
        return out;
    });
}

(async () => {
    const { browser, page } = await launch();

    await test('hr logs in and the menu has Đào tạo', async () => {
        await login(page, 'nhansu', process.env.WW_HR_PW);
        expect((await page.textContent('#nav a[data-page="training"]')) === T('vi', 'nav.training'), 'menu entry');
    });

    await test('the staff list shows the three people with code, unit and role (vi)', async () => {
        await go(page, 'training');
        await page.waitForFunction(() => document.querySelectorAll('#tr-staff-table tbody tr').length === 3);
        const txt = await page.textContent('#tr-staff-table tbody');
        expect(txt.includes('Nguyễn Thị Lan') && txt.includes('NV-002') && txt.includes('Cán bộ một cửa') &&
            txt.includes('UBND phường Bến Thành'), txt);
    });
    await shot(page, 'training-staff-vi');

    await test('a transcript shows the history and the records, the corrected one marked (vi, dd/mm/yyyy)', async () => {
        await page.click('#tr-staff-table tbody tr:has-text("Trần Văn Bình") button');
        await page.waitForSelector('#tr-person:not([hidden])');
        const txt = await page.textContent('#tr-records tbody');
        expect(txt.includes('20/10/2023') && txt.includes(T('vi', 'result.passed')) &&
            txt.includes(T('vi', 'training.corrected_by', { id: 4 })) && txt.includes('20/10/2025'), txt);
        expect((await page.textContent('#tr-history tbody')).includes('02/01/2023'), 'history from 02/01/2023');
    });
    await shot(page, 'training-transcript-vi');

    await test('the gap matrix of 15/10/2025: expired, expiring within 30 days, never trained', async () => {
        await page.click('#tr-back');
        await page.fill('#tr-filter [name=day]', '15/10/2025');
        await page.click('#tr-filter button[type=submit]');
        await page.click('#view-training [data-tab="gaps"]');
        await page.waitForFunction(() => document.querySelectorAll('#tr-matrix tbody tr').length === 3);
        const m = await matrix(page);
        const sig = 'Chữ ký số';
        expect(m['Nguyễn Thị Lan'][sig].cls.includes('gap-expired') && m['Nguyễn Thị Lan'][sig].text === '✗',
            'Lan: ' + JSON.stringify(m['Nguyễn Thị Lan'][sig]));
        expect(m['Trần Văn Bình'][sig].cls.includes('gap-expiring_30'), 'Bình: ' + JSON.stringify(m['Trần Văn Bình'][sig]));
        expect(m['Lê Thị Cúc'][sig].cls.includes('gap-missing') && m['Lê Thị Cúc'][sig].text === '○', 'Cúc');
        expect(m['Nguyễn Thị Lan'][sig].title.includes(T('vi', 'training.required_by', { role: 'Cán bộ một cửa' })),
            'the reason: ' + m['Nguyễn Thị Lan'][sig].title);
        expect(m['Lê Thị Cúc']['Phần mềm một cửa'].text === T('vi', 'training.not_required'), 'not required for an accountant');
    });

    await test('the legend names every state in words beside its symbol', async () => {
        const items = await page.$$eval('#tr-legend li', (lis) => lis.map((l) => l.textContent));
        for (const st of ['valid', 'expiring_90', 'expiring_60', 'expiring_30', 'expired', 'missing'])
            expect(items.some((x) => x.includes(T('vi', 'gap.' + st))), st);
    });
    await shot(page, 'training-gaps-vi');

    await test('unit compliance: the ward and each role with their percentages', async () => {
        await page.click('#view-training [data-tab="compliance"]');
        await page.waitForSelector('#tr-units tbody tr');
        const txt = await page.textContent('#tr-units tbody');
        expect(txt.includes('UBND phường Bến Thành') && /\d+%/.test(txt), txt);
    });
    await shot(page, 'training-compliance-vi');

    await test('in English the matrix and legend are in English', async () => {
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((h) => document.querySelector('#view-training h1').textContent === h,
            T('en', 'training.heading'));
        await page.click('#view-training [data-tab="gaps"]');
        const items = await page.$$eval('#tr-legend li', (lis) => lis.map((l) => l.textContent));
        expect(items.some((x) => x.includes(T('en', 'gap.expired'))), items.join('|'));
        const m = await matrix(page);
        expect(m['Nguyễn Thị Lan']['Chữ ký số'].title.includes(T('en', 'gap.expired')), 'tooltip in English');
    });
    await shot(page, 'training-gaps-en');
    await page.click('#view-training [data-tab="staff"]');
    await page.click('#tr-staff-table tbody tr:has-text("Trần Văn Bình") button');
    await page.waitForSelector('#tr-person:not([hidden])');
    await shot(page, 'training-transcript-en');
    await page.click('#tr-back');
    await page.click('#view-training [data-tab="compliance"]');
    await shot(page, 'training-compliance-en');
    await page.selectOption('#lang', 'vi');

    await test('proposed sessions of 15/10/2025: the expired, the never trained and the expiring signature in one session, flagged where no course grants a skill (vi)', async () => {
        await page.click('#view-training [data-tab="plan"]');
        await page.waitForSelector('#tp-table tbody tr:has-text("Chữ ký số cho cán bộ một cửa")');
        const row = await page.textContent('#tp-table tbody tr:has-text("Chữ ký số cho cán bộ một cửa")');
        expect(row.includes('Nguyễn Thị Lan, Lê Thị Cúc, Trần Văn Bình') && row.includes(T('vi', 'trainplan.urgent', { n: 2 })) &&
            row.includes(T('vi', 'trainplan.part', { part: 1, parts: 1 })), row);
        const all = await page.textContent('#tp-table tbody');
        expect(all.includes(T('vi', 'trainplan.no_course')), 'a flagged proposal: ' + all.slice(0, 300));
        const first = await page.textContent('#tp-table tbody tr:first-child');
        expect(new RegExp(T('vi', 'trainplan.urgent', { n: '\\d+' })).test(first), 'the most urgent first: ' + first);
    });
    await shot(page, 'training-plan-vi');

    await test('hr makes the proposal a session in one click: the session and its three attendees', async () => {
        const btn = '#tp-table tbody tr:has-text("Chữ ký số cho cán bộ một cửa") button';
        await page.click(btn);
        await page.waitForSelector('#tp-error:not([hidden])');
        expect((await page.textContent('#tp-error')) === T('vi', 'trainplan.need_day'), 'a day is asked for first');
        await page.fill('#tp-day', '20/10/2025');
        await page.click(btn);
        await page.waitForFunction((w) => document.querySelector('#notice').textContent === w,
            T('vi', 'trainplan.created', { n: 3 }));
        const sessions = await page.evaluate(() => fetch('/api/v1/course-sessions', { credentials: 'same-origin' })
            .then((r) => r.json()));
        const s = sessions.items.find((x) => x.day === '2025-10-20');
        expect(s && s.course_id === 1 && s.attendees.length === 3, JSON.stringify(sessions.items));
    });

    await test('in English the proposed sessions are in English', async () => {
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((h) => document.querySelector('#view-training [data-tab="plan"]').textContent === h,
            T('en', 'trainplan.tab'));
        const all = await page.textContent('#tp-table tbody');
        expect(all.includes(T('en', 'trainplan.no_course')) && all.includes(T('en', 'trainplan.level', { n: 1 })), all.slice(0, 300));
    });
    await shot(page, 'training-plan-en');
    await page.selectOption('#lang', 'vi');

    await test('a manager sees names and compliance, but no matrix and no record buttons', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-name');
        await login(page, 'lanhdao', process.env.WW_MG_PW);
        await go(page, 'training');
        await page.waitForFunction(() => document.querySelectorAll('#tr-staff-table tbody tr').length === 3);
        expect(await page.isHidden('#view-training [data-tab="gaps"]'), 'no gap tab');
        expect((await page.$$('#tr-staff-table tbody button')).length === 0, 'no transcript buttons');
        await page.click('#view-training [data-tab="plan"]');
        await page.waitForSelector('#tp-table tbody tr');
        expect((await page.textContent('#tp-table tbody')).includes('Nguyễn Thị Lan'), 'the names');
        expect((await page.$$('#tp-table tbody button')).length === 0, 'no session buttons for a manager');
    });

    await noProblems(page);
    await browser.close();
    process.exit(failures() ? 1 : 0);
})().catch((e) => {
    console.log('not ok - training_test.js: ' + (e && e.stack ? e.stack.split('\n')[0] : e));
    process.exit(1);
});
