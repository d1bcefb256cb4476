// SPDX-License-Identifier: GPL-3.0-or-later
// lib.js - what a browser test shares (reports_test.js so far): the UI's strings in both
// languages (T), one "ok - ..." / "not ok - ..." line per case (test, expect, failures()),
// Debian's chromium launched through playwright-core with the page's errors, dialogs and
// CSP violations collected (problems), screenshots without the passing notice, and a page
// visit by its hash. Environment: WW_WWW (the strings), WW_SHOTS (screenshot folder).
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const WWW = process.env.WW_WWW;
const S = {
    vi: JSON.parse(fs.readFileSync(path.join(WWW, 'i18n/vi.json'), 'utf8')),
    en: JSON.parse(fs.readFileSync(path.join(WWW, 'i18n/en.json'), 'utf8')),
};
function T(lang, key, vars) {
    let s = S[lang][key];
    if (s === undefined)
        throw new Error('no string ' + key);
    if (vars)
        s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
}

let failed = 0;
async function test(name, fn) {
    try {
        await fn();
        console.log('ok - ' + name);
    } catch (e) {
        failed++;
        console.log('not ok - ' + name + ': ' + String(e && e.message ? e.message : e).split('\n')[0]);
    }
}
function expect(cond, why) {
    if (!cond)
        throw new Error(why);
}

const problems = [];
async function launch(viewport) {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh',
        viewport: viewport || { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss().catch(() => {}); });
    await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
    });
    return { browser, page };
}

async function shot(page, name, opts) {
    await page.evaluate(() => { const n = document.getElementById('notice'); if (n) n.hidden = true; });
    await page.screenshot(Object.assign({ path: path.join(process.env.WW_SHOTS, name + '.png'),
        fullPage: true }, opts || {}));
}

// go to #/<hash> and wait until view-<view> shows
async function go(page, hash, view) {
    await page.evaluate((h) => { location.hash = '#/' + h; }, hash);
    await page.waitForFunction((n) => {
        const v = document.getElementById('view-' + n);
        return v && !v.hidden;
    }, view || hash.split(/[/?]/)[0]);
}

async function login(page, url, user, password) {
    await page.goto(url + '/');
    await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
    await page.fill('#login-name', user);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForSelector('#nav:not([hidden])');
}

// the page's own problems and CSP violations, as one case
async function noProblems(page) {
    await test('no page errors, dialogs or CSP violations', async () => {
        const csp = await page.evaluate(() => window.__csp || []);
        expect(!problems.length && !csp.length, problems.concat(csp).join('; '));
    });
}

module.exports = { T, test, expect, launch, shot, go, login, noProblems, failures: () => failed };
