// SPDX-License-Identifier: GPL-3.0-or-later
// trainreport_test.js - the training reports (issue 17 item 5) in Debian's chromium through
// playwright-core, against the ward test_training.sh started (after training_test.js): for the
// gap matrix, a transcript, unit compliance and the expiring-soon list, the CSV the page's link
// downloads (BOM, headers and words in the reader's language, a hostile cell neutralised) and
// the A4 print layout under print media emulation (Quốc hiệu, title, signatures; the gap
// matrix landscape with its legend); a person with a hostile name shown as text; screenshots
// in vi and en; a manager refused the matrix, transcript and expiring list but given the
// compliance CSV. One "ok - ..." / "not ok - ..." line per case. Environment: WW_URL,
// WW_HR_PW, WW_MG_PW, WW_WWW (for the strings), WW_SHOTS.
'use strict';

const fs = require('fs');
const path = require('path');
const { T, test, expect, launch, shot, go, login: libLogin, noProblems, failures } = require('./lib.js');

const URL0 = process.env.WW_URL;
const SHOTS = process.env.WW_SHOTS;
const HOSTILE = '<img src=x onerror="window.__xss=1">Phạm "Hà"';
const HOSTILE_CODE = '=HYPERLINK("http://x")';
const HOSTILE_CERT = '@SUM(1+1)';

async function login(page, who, pw) {
    await libLogin(page, URL0, who, pw);
    await page.waitForSelector('#nav a[data-page="training"]:not([hidden])');
}

// RFC 4180 rows of a CSV text
function parseCsv(text) {
    const rows = [];
    let row = [], cell = '', q = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (q) {
            if (c === '"' && text[i + 1] === '"') {
                cell += '"';
                i++;
            } else if (c === '"') {
                q = false;
            } else {
                cell += c;
            }
        } else if (c === '"') {
            q = true;
        } else if (c === ',') {
            row.push(cell);
            cell = '';
        } else if (c === '\n') {
            row.push(cell.replace(/\r$/, ''));
            rows.push(row);
            row = [];
            cell = '';
        } else {
            cell += c;
        }
    }
    if (cell || row.length)
        rows.push(row.concat([cell]));
    return rows;
}

// the CSV the page's link downloads: {name, bom, rows}
async function download(page) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#tr-csv')]);
    const text = fs.readFileSync(await dl.path(), 'utf8');
    return { name: dl.suggestedFilename(), bom: text.charCodeAt(0) === 0xfeff,
        rows: parseCsv(text.replace(/^\uFEFF/, '')) };
}

function rowOf(rows, col, value) {
    return rows.find((r) => r[col] === value);
}

// the print layout of the tab shown, under print media: what is on paper and its heading
async function printed(page, lang, title, name) {
    await page.click('#tr-print-btn');
    expect(await page.evaluate(() => window.__printed > 0), 'window.print called');
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => { document.body.classList.add('printing'); document.getElementById('tr-print').hidden = false; });
    const got = await page.evaluate(() => ({
        h1: document.querySelector('#tr-print h1').innerText,
        text: document.getElementById('tr-print').innerText,
        view: document.getElementById('view-training').getBoundingClientRect().height,
        nav: document.getElementById('nav').getBoundingClientRect().height,
        shown: document.getElementById('tr-print').getBoundingClientRect().height,
    }));
    await shot(page, 'trainreport-print-' + name + '-' + lang);
    if (name === 'gaps')
        await page.pdf({ path: path.join(SHOTS, 'trainreport-print-gaps-' + lang + '.pdf'), preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => { document.body.classList.remove('printing'); document.getElementById('tr-print').hidden = true; });
    expect(got.h1 === title.toLocaleUpperCase(lang === 'vi' ? 'vi' : 'en'), 'the heading: ' + got.h1);
    expect(got.text.includes(T(lang, 'handover.nation')) && got.text.includes(T(lang, 'report.preparer')) &&
        got.text.includes(T(lang, 'report.head')), 'Quốc hiệu and signatures: ' + got.text.slice(0, 300));
    expect(got.shown > 0 && got.view === 0 && got.nav === 0, 'only the document on paper: ' + JSON.stringify(got));
    return got.text;
}

(async () => {
    const { browser, page } = await launch();
    // printing is asked of the browser, never a dialog in a headless test: counted instead
    await page.addInitScript(() => {
        window.print = () => { window.__printed = (window.__printed || 0) + 1; };
    });

    await test('hr adds a person with a hostile name, a record expiring soon and a target (the API the page uses)', async () => {
        await login(page, 'nhansu', process.env.WW_HR_PW);
        const r = await page.evaluate(async (a) => {
            const roles = await WW.api('GET', '/job-roles');
            const oss = roles.items.find((x) => x.code === 'oss_officer');
            const p = await WW.api('POST', '/staff', { code: a.code, full_name: a.name, unit_id: 1,
                role_id: oss.id, start_day: '2023-01-02', active: true });
            await WW.api('POST', '/staff/' + p.id + '/training', { course_id: 1, completed_on: '2023-11-01',
                result: 'passed', valid_until: '2025-11-01', certificate_no: a.cert });
            const sig = (await WW.api('GET', '/skills')).items.find((k) => k.code === 'digital_signature');
            await WW.api('POST', '/training/targets', { unit_id: 1, skill_id: sig.id, level: 1, pct: 50,
                from_day: '2025-07-01', deadline: '2025-12-31' });
            return p.id;
        }, { code: HOSTILE_CODE, name: HOSTILE, cert: HOSTILE_CERT });
        expect(r > 3, 'person ' + r);
    });

    await test('the gap matrix: the CSV link follows the filter; the hostile name is text', async () => {
        await go(page, 'training');
        await page.fill('#tr-filter [name=day]', '15/10/2025');
        await page.click('#tr-filter button[type=submit]');
        await page.click('#view-training [data-tab="gaps"]');
        await page.waitForFunction(() => document.querySelectorAll('#tr-matrix tbody tr').length === 4);
        expect(await page.$eval('#tr-csv', (a) => a.getAttribute('href')) === '/api/v1/training/gaps.csv?day=2025-10-15',
            'href ' + await page.$eval('#tr-csv', (a) => a.getAttribute('href')));
        expect((await page.textContent('#tr-matrix tbody')).includes(HOSTILE), 'the name as typed');
        expect(await page.evaluate(() => !document.querySelector('#view-training img') && !window.__xss), 'no element made of it');
    });
    await shot(page, 'trainreport-gaps-vi');

    await test('gap matrix CSV (vi): BOM, headers, one column per skill, state word and valid-until, formula neutralised', async () => {
        const c = await download(page);
        expect(c.bom && c.name === 'gap-matrix-2025-10-15.csv', c.name);
        const h = c.rows[0];
        expect(h[0] === T('vi', 'csv.staff_code') && h[1] === T('vi', 'csv.full_name') && h[3] === T('vi', 'csv.role'), h.join('|'));
        const sig = h.indexOf('Chữ ký số');
        expect(sig > 3, 'a column for Chữ ký số: ' + h.join('|'));
        const lan = rowOf(c.rows, 1, 'Nguyễn Thị Lan'), binh = rowOf(c.rows, 1, 'Trần Văn Bình');
        expect(lan && lan[sig] === T('vi', 'gap.expired') + ' (2025-05-10)', 'Lan: ' + (lan && lan[sig]));
        expect(binh && binh[sig] === T('vi', 'gap.expiring_30') + ' (2025-10-20)', 'Bình: ' + (binh && binh[sig]));
        const cuc = rowOf(c.rows, 1, 'Lê Thị Cúc');
        expect(cuc && cuc[sig] === T('vi', 'gap.missing') && cuc[3] === 'Kế toán', 'Cúc: ' + (cuc && cuc.join('|')));
        const bad = rowOf(c.rows, 1, HOSTILE);
        expect(bad && bad[0] === "'" + HOSTILE_CODE, 'the code neutralised: ' + (bad && bad[0]));
    });

    await test('gap matrix print: A4 landscape, symbols with their legend in words', async () => {
        const text = await printed(page, 'vi', T('vi', 'training.print_gaps'), 'gaps');
        expect(await page.$eval('#tr-print', (d) => d.classList.contains('landscape')), 'landscape');
        for (const st of ['valid', 'expiring_90', 'expiring_60', 'expiring_30', 'expired', 'missing'])
            expect(text.includes(T('vi', 'gap.' + st)), 'legend ' + st);
        expect(text.includes('✗') && text.includes('○') && text.includes(HOSTILE), 'symbols and names');
        const pdf = fs.readFileSync(path.join(SHOTS, 'trainreport-print-gaps-vi.pdf'), 'latin1');
        const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
        expect(box && +box[1] > +box[2] && Math.abs(+box[1] - 841.9) < 2, 'A4 landscape: ' + (box && box[0]));
    });

    await test('a transcript: CSV of the records (corrections linked), print "HỒ SƠ BỒI DƯỠNG"', async () => {
        await page.click('#view-training [data-tab="staff"]');
        await page.click('#tr-staff-table tbody tr:has-text("Trần Văn Bình") button');
        await page.waitForSelector('#tr-person:not([hidden])');
        expect(await page.$eval('#tr-csv', (a) => a.getAttribute('href')) === '/api/v1/staff/2/transcript.csv', 'href');
        const c = await download(page);
        expect(c.bom && /^transcript-2-\d{4}-\d{2}-\d{2}\.csv$/.test(c.name), c.name);
        const h = c.rows[0];
        expect(h.join('|') === ['staff_code', 'full_name', 'course', 'skill', 'completed_on', 'result', 'score',
            'certificate_no', 'valid_until', 'evidence', 'source', 'corrected_by'].map((k) => T('vi', 'csv.' + k)).join('|'), h.join('|'));
        expect(c.rows.length === 4, c.rows.length + ' rows');
        const failed = c.rows.find((r) => r[5] === T('vi', 'result.failed'));
        expect(failed && failed[11] === '4' && failed[0] === 'NV-002' && failed[10] === T('vi', 'source.manual'),
            'the corrected record: ' + (failed && failed.join('|')));
        const text = await printed(page, 'vi', T('vi', 'training.print_transcript'), 'transcript');
        expect(text.includes('Trần Văn Bình') && text.includes('NV-002') && text.includes('20/10/2025') &&
            text.includes(T('vi', 'training.corrected_by', { id: 4 })), text.slice(0, 400));
    });
    await shot(page, 'trainreport-transcript-vi');

    await test('unit compliance: CSV per unit and role and each target month by month; print', async () => {
        await page.click('#tr-back');
        await page.click('#view-training [data-tab="compliance"]');
        await page.waitForSelector('#tr-units tbody tr');
        expect(await page.$eval('#tr-csv', (a) => a.getAttribute('href')) === '/api/v1/training/compliance.csv?day=2025-10-15', 'href');
        const c = await download(page);
        expect(c.bom && c.name === 'compliance-2025-10-15.csv', c.name);
        expect(c.rows[0][0] === T('vi', 'csv.section') && c.rows[0][10] === T('vi', 'csv.compliance_pct'), c.rows[0].join('|'));
        const unit = rowOf(c.rows, 1, 'UBND phường Bến Thành');
        expect(unit && unit[0] === T('vi', 'training.by_unit') && unit[6] === '4' && /^\d+$/.test(unit[10]),
            'the ward: ' + (unit && unit.join('|')));
        expect(c.rows.some((r) => r[0] === T('vi', 'training.by_role') && r[1] === 'Kế toán'), 'the accountant role');
        const months = c.rows.filter((r) => r[0] === T('vi', 'training.targets')).map((r) => r[5] + ':' + r[2] + ':' + r[3]);
        expect(months.join(' ') === '2025-07:Chữ ký số:50 2025-08:Chữ ký số:50 2025-09:Chữ ký số:50 2025-10:Chữ ký số:50',
            'the target month by month: ' + months.join(' '));
        const text = await printed(page, 'vi', T('vi', 'training.print_compliance'), 'compliance');
        expect(text.includes('UBND phường Bến Thành') && text.includes(T('vi', 'training.by_role')) &&
            text.includes(T('vi', 'training.target_line', { pct: 50, level: 1, skill: 'Chữ ký số', deadline: '31/12/2025' })) &&
            text.includes('07/2025'), text.slice(0, 600));
    });
    await shot(page, 'trainreport-compliance-vi');

    await test('expiring soon: within 30 days, soonest first, with the certificate; CSV; print', async () => {
        await page.click('#view-training [data-tab="expiring"]');
        await page.waitForFunction(() => document.querySelectorAll('#tr-exp-table tbody tr').length === 2);
        await page.selectOption('#tr-exp-days', '30');
        await page.waitForFunction(() => document.getElementById('tr-csv').getAttribute('href').endsWith('days=30'));
        const names = await page.$$eval('#tr-exp-table tbody tr', (trs) => trs.map((r) => r.children[0].textContent));
        expect(names.length === 2 && names[0] === 'Trần Văn Bình' && names[1] === HOSTILE, names.join('|'));
        const c = await download(page);
        expect(c.bom && c.name === 'expiring-2025-10-15.csv', c.name);
        const binh = rowOf(c.rows, 1, 'Trần Văn Bình'), bad = rowOf(c.rows, 1, HOSTILE);
        expect(binh && binh[6] === '2025-10-20' && binh[7] === '5' && binh[5] === T('vi', 'gap.expiring_30'),
            'Bình: ' + (binh && binh.join('|')));
        expect(bad && bad[10] === "'" + HOSTILE_CERT && bad[7] === '17', 'the certificate neutralised: ' + (bad && bad.join('|')));
        const text = await printed(page, 'vi', T('vi', 'training.print_expiring', { n: 30 }), 'expiring');
        expect(text.includes('Trần Văn Bình') && text.includes(HOSTILE_CERT), text.slice(0, 300));
    });
    await shot(page, 'trainreport-expiring-vi');

    await test('in English: the CSV headers and words and the printed headings in English', async () => {
        // the CSV is worded in the user's language: wait for the page to have saved it
        await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/me/lang')),
            page.selectOption('#lang', 'en')]);
        await page.waitForFunction((h) => document.querySelector('#view-training h1').textContent === h,
            T('en', 'training.heading'));
        await page.click('#view-training [data-tab="gaps"]');
        const c = await download(page);
        expect(c.rows[0][0] === T('en', 'csv.staff_code') && c.rows[0].includes('Digital signature') &&
            rowOf(c.rows, 1, 'Nguyễn Thị Lan').includes(T('en', 'gap.expired') + ' (2025-05-10)'), c.rows[0].join('|'));
        const text = await printed(page, 'en', T('en', 'training.print_gaps'), 'gaps');
        expect(text.includes('Digital signature') && text.includes(T('en', 'gap.expiring_30')), 'skills and legend in English');
    });
    await shot(page, 'trainreport-gaps-en');
    await test('in English: transcript, compliance and expiring print layouts', async () => {
        await page.click('#view-training [data-tab="staff"]');
        await page.click('#tr-staff-table tbody tr:has-text("Trần Văn Bình") button');
        await page.waitForSelector('#tr-person:not([hidden])');
        await shot(page, 'trainreport-transcript-en');
        await printed(page, 'en', T('en', 'training.print_transcript'), 'transcript');
        await page.click('#tr-back');
        await page.click('#view-training [data-tab="compliance"]');
        await shot(page, 'trainreport-compliance-en');
        await printed(page, 'en', T('en', 'training.print_compliance'), 'compliance');
        await page.click('#view-training [data-tab="expiring"]');
        await page.waitForFunction(() => document.querySelectorAll('#tr-exp-table tbody tr').length === 2);
        await shot(page, 'trainreport-expiring-en');
        await printed(page, 'en', T('en', 'training.print_expiring', { n: 30 }), 'expiring');
    });
    await page.selectOption('#lang', 'vi');

    await test('a manager: no expiring tab; matrix, transcript and expiring refused (403), compliance CSV given', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-name');
        await login(page, 'lanhdao', process.env.WW_MG_PW);
        await go(page, 'training');
        await page.waitForFunction(() => document.querySelectorAll('#tr-staff-table tbody tr').length === 4);
        expect(await page.isHidden('#view-training [data-tab="expiring"]'), 'no expiring tab');
        const got = await page.evaluate(async () => {
            const out = {};
            for (const u of ['/api/v1/training/gaps.csv', '/api/v1/staff/2/transcript.csv',
                '/api/v1/training/expiring', '/api/v1/training/expiring.csv', '/api/v1/training/compliance.csv'])
                out[u] = (await fetch(u)).status;
            return out;
        });
        expect(got['/api/v1/training/gaps.csv'] === 403 && got['/api/v1/staff/2/transcript.csv'] === 403 &&
            got['/api/v1/training/expiring'] === 403 && got['/api/v1/training/expiring.csv'] === 403 &&
            got['/api/v1/training/compliance.csv'] === 200, JSON.stringify(got));
    });
    await test('a manager prints unit compliance with the target named (no gap matrix to take names from)', async () => {
        await page.click('#view-training [data-tab="compliance"]');
        await page.waitForSelector('#tr-units tbody tr');
        const text = await printed(page, 'vi', T('vi', 'training.print_compliance'), 'compliance-manager');
        expect(text.includes('Chữ ký số') && !/#\d/.test(text), text.slice(0, 600));
    });

    await noProblems(page);
    await browser.close();
    process.exit(failures() ? 1 : 0);
})().catch((e) => {
    console.log('not ok - trainreport_test.js: ' + (e && e.stack ? e.stack.split('\n')[0] : e));
    process.exit(1);
});
