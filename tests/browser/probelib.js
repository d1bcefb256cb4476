// SPDX-License-Identifier: GPL-3.0-or-later
// probelib.js - what a browser test script needs (unknown_test.js and traffic_test.js use it; the older scripts
// carry their own copies): the UI's strings T(lang, key, vars) from WW_WWW's i18n files,
// test()/expect() printing "ok - ..." / "not ok - ..." lines, a screenshot into WW_SHOTS
// without the passing notice, Debian's chromium launched through playwright-core, a login,
// and the problems (page errors, dialogs, CSP violations) a page collected.
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

const state = { failures: 0, problems: [] };
async function test(name, fn) {
    try {
        await fn();
        console.log('ok - ' + name);
    } catch (e) {
        state.failures++;
        console.log('not ok - ' + name + ': ' + String(e && e.message ? e.message : e).split('\n')[0]);
    }
}
function expect(cond, why) {
    if (!cond)
        throw new Error(why);
}
async function shot(page, name) {
    await page.evaluate(() => { const n = document.getElementById('notice'); if (n) n.hidden = true; });
    await page.screenshot({ path: path.join(process.env.WW_SHOTS, name + '.png'), fullPage: true });
}
function launch() {
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
}
// a page whose errors, dialogs and CSP violations are collected (cspOf() reads the last)
async function watchedPage(ctx) {
    const page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => state.problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { state.problems.push('dialog: ' + d.message()); d.dismiss().catch(() => {}); });
    await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
    });
    return page;
}
const cspOf = (page) => page.evaluate(() => window.__csp || []);
async function login(page, url, user, pw) {
    await page.goto(url + '/');
    await page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
    await page.fill('#login-name', user);
    await page.fill('#login-password', pw);
    await page.click('#login-submit');
    await page.waitForSelector('#nav:not([hidden])');
}

// the closing cases of a probe page's script: a manager (WW_MG_PW, "sep") has no menu entry
// for @pageName and the page says forbidden; @page collected no error, dialog or CSP
// violation; then the browser closes and the process exits with the failures counted
async function finish(browser, page, url, pageName) {
    await test('a manager has no menu entry and the page says forbidden', async () => {
        const p2 = await (await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' })).newPage();
        p2.setDefaultTimeout(10000);
        await login(p2, url, 'sep', process.env.WW_MG_PW);
        expect(await p2.$eval('#nav a[data-page="' + pageName + '"]', (a) => a.hidden), 'menu entry hidden');
        await p2.evaluate((h) => { location.hash = h; }, '#/' + pageName);
        await p2.waitForSelector('#view-forbidden:not([hidden])');
    });
    await test('no page errors, dialogs or CSP violations', async () => {
        const csp = await cspOf(page);
        expect(!state.problems.length && !csp.length, state.problems.concat(csp).join('; '));
    });
    await browser.close();
    process.exit(state.failures ? 1 : 0);
}
// a script's top-level failure as one "not ok" line
function crashed(script) {
    return (e) => {
        console.log('not ok - ' + script + ': ' + (e && e.stack ? e.stack.split('\n')[0] : e));
        process.exit(1);
    };
}

module.exports = { T, test, expect, shot, launch, watchedPage, cspOf, login, state, finish, crashed };
