// SPDX-License-Identifier: GPL-3.0-or-later
// settings_test.js - the Settings page in Debian's chromium through playwright-core, against
// the dashboard, collector and SMTP sink test_settings.sh started; one "ok - ..." /
// "not ok - ..." line per case. Environment: WW_URL, WW_ADMIN_PW, WW_WWW (for the strings),
// WW_SHOTS (screenshot folder), WW_SMTP_URL (the sink), WW_SMTP_SECRET (a password that must
// never show on a page or in an answer).
'use strict';

const { chromium } = require('playwright-core');
const { strings, run, expect, shot: shotIn, go, finish, crashed } = require('./pagelib.js');

const URL0 = process.env.WW_URL;
const WWW = process.env.WW_WWW;
const SHOTS = process.env.WW_SHOTS;
const SECRET = process.env.WW_SMTP_SECRET;
const T = strings(WWW);
const test = run.test;
const problems = [];
const answers = []; // every API answer's body, searched for the secret
const shot = (page, name) => shotIn(page, SHOTS, name);

const srcText = (page, name) => page.textContent('#st-form .st-src[data-for="' + name + '"]');

(async () => {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss().catch(() => {}); });
    page.on('response', async (r) => {
        if (r.url().includes('/api/v1/'))
            answers.push(await r.text().catch(() => ''));
    });
    await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
    });

    await test('the admin logs in and the menu has Settings', async () => {
        await page.goto(URL0 + '/');
        await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
        await page.fill('#login-name', 'admin');
        await page.fill('#login-password', process.env.WW_ADMIN_PW);
        await page.click('#login-submit');
        await page.waitForSelector('#nav a[data-page="settings"]:not([hidden])');
        expect((await page.textContent('#nav a[data-page="settings"]')) === T('vi', 'nav.settings'),
            'the menu entry in Vietnamese');
    });

    await test('the page shows each field with its source (vi): the sender from the file, no mail server', async () => {
        await go(page, 'settings');
        await page.waitForFunction(() => document.querySelector('#st-form .st-src[data-for="smtp_url"]').textContent !== '');
        expect((await srcText(page, 'smtp_from')) === T('vi', 'settings.source', { source: T('vi', 'settings.source_file') }),
            'smtp_from: ' + await srcText(page, 'smtp_from'));
        expect((await page.inputValue('#st-form [name=smtp_from]')) === 'tep-cau-hinh@ubnd-phuong.example', 'the file sender shown');
        expect((await srcText(page, 'smtp_password')) === T('vi', 'settings.secret_not_set', { source: T('vi', 'settings.source_default') }),
            'no password yet');
    });

    await test('a bad value is refused with words in Vietnamese, naming the field', async () => {
        await page.fill('#st-form [name=office_hours]', '7h30-17h');
        await page.click('#st-form button[type=submit]');
        await page.waitForSelector('#st-error:not([hidden])');
        const err = await page.textContent('#st-error');
        expect(err.includes(T('vi', 'field.office_hours')), 'the field named: ' + err);
        expect(!/[A-Za-z]{4,} (is|must) /.test(err), 'no English sentence: ' + err);
    });

    await test('the admin fills the page and saves: every field now says the page set it', async () => {
        await page.fill('#st-form [name=smtp_url]', process.env.WW_SMTP_URL);
        await page.fill('#st-form [name=smtp_user]', 'canhbao');
        await page.fill('#st-form [name=smtp_password]', SECRET);
        await page.fill('#st-form [name=smtp_from]', 'canh-bao@ubnd-phuong.example');
        await page.fill('#st-form [name=office_hours]', '07:00-11:30,13:00-16:30');
        await page.fill('#st-form [name=office_days]', 'mon-sat');
        await page.fill('#st-form [name=dashboard_url]', 'https://giamsat.ubnd-phuong.example/');
        await page.click('#st-form button[type=submit]');
        await page.waitForFunction(() => document.querySelector('#st-form .st-src[data-for="smtp_url"]')
            .getAttribute('data-source') === 'database');
        for (const f of ['smtp_url', 'smtp_user', 'smtp_from', 'office_hours', 'office_days', 'dashboard_url'])
            expect((await srcText(page, f)) === T('vi', 'settings.source', { source: T('vi', 'settings.source_database') }), f);
        expect((await srcText(page, 'smtp_password')) === T('vi', 'settings.secret_set', { source: T('vi', 'settings.source_database') }),
            'password set');
        expect((await page.inputValue('#st-form [name=smtp_password]')) === '', 'the password field is empty again');
        expect((await page.getAttribute('#st-form [name=smtp_password]', 'placeholder')) === T('vi', 'devmgmt.unchanged'),
            'its placeholder says unchanged');
    });

    await shot(page, 'settings-vi');

    await test('a test e-mail reaches the sink and the page shows the server\'s answer (vi)', async () => {
        await page.click('#st-test button[type=submit]');
        await page.waitForSelector('#st-test-result[data-state="ok"]', { timeout: 30000 });
        const txt = await page.textContent('#st-test-result');
        const m = /250 2\.0\.0 Ok: queued as WWSINK\d+/.exec(txt);
        expect(m, 'the answer: ' + txt);
        expect(txt === T('vi', 'settings.test_answer', { answer: m[0] }), 'in Vietnamese words: ' + txt);
    });
    await shot(page, 'settings-test-vi');

    await test('in English the page, its sources and the answer are in English', async () => {
        await page.selectOption('#lang', 'en');
        await page.waitForFunction((h) => document.querySelector('#view-settings h1').textContent === h,
            T('en', 'nav.settings'));
        expect((await srcText(page, 'smtp_url')) === T('en', 'settings.source', { source: T('en', 'settings.source_database') }),
            'source in English: ' + await srcText(page, 'smtp_url'));
        await page.click('#st-test button[type=submit]');
        await page.waitForSelector('#st-test-result[data-state="ok"]', { timeout: 30000 });
        const txt = await page.textContent('#st-test-result');
        const m = /250 2\.0\.0 Ok: queued as WWSINK\d+/.exec(txt);
        expect(m && txt === T('en', 'settings.test_answer', { answer: m[0] }), 'the answer in English: ' + txt);
    });
    await shot(page, 'settings-en');

    await test('clearing the mail server: the Alerts page names the channel\'s problem at once', async () => {
        await go(page, 'settings');
        await page.fill('#st-form [name=smtp_url]', '');
        await page.click('#st-form button[type=submit]');
        await page.waitForFunction(() => document.querySelector('#st-form .st-src[data-for="smtp_url"]')
            .textContent !== '' && document.querySelector('#st-form [name=smtp_url]').value === '');
        await go(page, 'alerts');
        await page.waitForSelector('#al-channels .channel-problem[data-code="no_mail_server"]');
        const txt = await page.textContent('#al-channels .channel-problem');
        expect(txt === T('en', 'noteerr.no_mail_server'), 'words: ' + txt);
    });
    await shot(page, 'alerts-problem-en');
    await page.selectOption('#lang', 'vi');
    await page.waitForFunction((w) => {
        const p = document.querySelector('#al-channels .channel-problem');
        return p && p.textContent === w;
    }, T('vi', 'noteerr.no_mail_server')).catch(() => {});
    await shot(page, 'alerts-problem-vi');

    await test('the SMTP password never showed in an API answer or on a page', async () => {
        expect(!answers.some((a) => a.includes(SECRET)), 'an answer held it');
        expect(!(await page.content()).includes(SECRET), 'the page holds it');
    });
    await finish(browser, page, problems);
})().catch(crashed('settings_test.js'));
