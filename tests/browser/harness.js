// SPDX-License-Identifier: GPL-3.0-or-later
// harness.js - what the browser tests share: the UI's strings (T), one "ok - ..." /
// "not ok - ..." line per case (test, expect, failures), screenshots (shot), going to a page
// (go), and Debian's chromium launched through playwright-core with a page that records page
// errors, dialogs and CSP violations (run).
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

// T(lang, key, vars): the words of @key in @lang from @www's i18n files, {name}s filled
function strings(www) {
    const S = {
        vi: JSON.parse(fs.readFileSync(path.join(www, 'i18n/vi.json'), 'utf8')),
        en: JSON.parse(fs.readFileSync(path.join(www, 'i18n/en.json'), 'utf8')),
    };
    return function T(lang, key, vars) {
        let s = S[lang][key];
        if (s === undefined)
            throw new Error('no string ' + key);
        if (vars)
            s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
        return s;
    };
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

async function shot(page, dir, name) {
    await page.evaluate(() => { const n = document.getElementById('notice'); if (n) n.hidden = true; });
    await page.screenshot({ path: path.join(dir, name + '.png'), fullPage: true });
}

async function go(page, name) {
    await page.evaluate((n) => { location.hash = '#/' + n; }, name);
    await page.waitForFunction((n) => {
        const v = document.getElementById('view-' + n);
        return v && !v.hidden;
    }, name);
}

// { browser, page, problems }: @problems collects page errors and dialogs; the page's
// window.__csp the CSP violations
async function launch() {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const problems = [];
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss().catch(() => {}); });
    await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
    });
    return { browser, page, problems };
}

// run(name, body): launch, await body({ browser, page, problems }), then the last case (no
// page errors, dialogs or CSP violations), close and exit 1 when a case failed
function run(name, body) {
    (async () => {
        const b = await launch();
        await body(b);
        await test('no page errors, dialogs or CSP violations', async () => {
            const csp = await b.page.evaluate(() => window.__csp || []);
            expect(!b.problems.length && !csp.length, b.problems.concat(csp).join('; '));
        });
        await b.browser.close();
        process.exit(failed ? 1 : 0);
    })().catch((e) => {
        console.log('not ok - ' + name + ': ' + (e && e.stack ? e.stack.split('\n')[0] : e));
        process.exit(1);
    });
}

module.exports = { strings, test, expect, shot, go, run };
