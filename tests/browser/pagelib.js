// SPDX-License-Identifier: GPL-3.0-or-later
// pagelib.js - what the page tests share (units_test.js, settings_test.js): the strings of the
// i18n files with their {placeholders} filled, one "ok - ..." / "not ok - ..." line per case
// with a failure count, a full-page screenshot without the passing notice, and a page change
// that waits for its view.
'use strict';

const fs = require('fs');
const path = require('path');

// strings(WWW) - T(lang, key, vars): the words of @key in vi.json or en.json; a key that
// does not exist throws, so a test never compares against undefined
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

// the cases: run.test(name, fn) prints ok / not ok; run.failures counts the latter
const run = {
    failures: 0,
    test: async function (name, fn) {
        try {
            await fn();
            console.log('ok - ' + name);
        } catch (e) {
            run.failures++;
            console.log('not ok - ' + name + ': ' + String(e && e.message ? e.message : e).split('\n')[0]);
        }
    },
};

function expect(cond, why) {
    if (!cond)
        throw new Error(why);
}

// shot(page, folder, name) - folder/name.png, the whole page, the notice hidden
async function shot(page, folder, name) {
    await page.evaluate(() => { const n = document.getElementById('notice'); if (n) n.hidden = true; });
    await page.screenshot({ path: path.join(folder, name + '.png'), fullPage: true });
}

// go(page, name) - #/name, once its view shows
async function go(page, name) {
    await page.evaluate((n) => { location.hash = '#/' + n; }, name);
    await page.waitForFunction((n) => {
        const v = document.getElementById('view-' + n);
        return v && !v.hidden;
    }, name);
}

// finish(browser, page, problems) - the last case (no page errors, dialogs or CSP
// violations: @problems, and what the page's init script gathered in window.__csp), then
// close the browser and exit 1 when a case failed
async function finish(browser, page, problems) {
    await run.test('no page errors, dialogs or CSP violations', async () => {
        const csp = await page.evaluate(() => window.__csp || []);
        expect(!problems.length && !csp.length, problems.concat(csp).join('; '));
    });
    await browser.close();
    process.exit(run.failures ? 1 : 0);
}

// crashed(file) - the handler of a script that threw outside a case
const crashed = (file) => (e) => {
    console.log('not ok - ' + file + ': ' + (e && e.stack ? e.stack.split('\n')[0] : e));
    process.exit(1);
};

module.exports = { strings, run, expect, shot, go, finish, crashed };
