// SPDX-License-Identifier: GPL-3.0-or-later
// plan.js - the replacement plan (#/plan; plan.read reads, plan.write pins, defers, saves
// versions and edits budgets, prices and weights): years x units with counts, cost and budget
// left; the items with pin/defer; the priority list with each term's share in words; what
// changed since the last saved version; a print layout (A4, administrative style) of the
// plan by unit and of the priority list. The rules are the server's (inventory/plan.c).
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    let plan = null, prio = [], versions = [], budgets = [], prices = null, knobs = [];
    let state = 'loading';
    let unit = '', horizon = '';

    const canWrite = () => WW.can('plan.write');
    const unitName = (id) => {
        const u = plan && plan.units.find((x) => x.id === id);
        return u ? u.name : t('pl.no_unit');
    };
    const words = (group, code) => (WW.has('plan.' + group + '.' + code) ? t('plan.' + group + '.' + code) : code);
    const query = () => {
        const q = new URLSearchParams();
        if (unit)
            q.set('unit', unit);
        if (horizon)
            q.set('horizon', horizon);
        const s = q.toString();
        return s ? '?' + s : '';
    };
    const itemName = (it) => (it.interface_name ? it.name + ' · ' + it.interface_name : it.name);

    // ---- the grid: a row per unit, a column per year -----------------------------------
    function renderGrid() {
        const table = $('pl-grid');
        const years = [];
        for (let y = plan.first_year; y < plan.first_year + plan.horizon; y++)
            years.push(y);
        const head = el('tr');
        [t('pl.unit')].concat(years.map(String)).forEach((h) => head.appendChild(el('th', null, h)));
        WW.fill(table.tHead, head);
        const byUnit = new Map();
        plan.cells.forEach((c) => {
            const k = c.unit_id === null ? 0 : c.unit_id;
            if (!byUnit.has(k))
                byUnit.set(k, {});
            byUnit.get(k)[c.year] = c;
        });
        const ids = Array.from(byUnit.keys()).sort((a, b) =>
            WW.collator.compare(unitName(a), unitName(b)));
        WW.rows(table.tBodies[0], ids, (id) => {
            const cells = [unitName(id)];
            years.forEach((y) => {
                const c = byUnit.get(id)[y];
                if (!c) {
                    cells.push(null);
                    return;
                }
                const box = el('div', 'plan-cell');
                box.appendChild(el('div', null, t('pl.cell_items', { n: WW.fmtNum(c.items) })));
                box.appendChild(el('div', null, WW.fmtVND(c.used_vnd)));
                box.appendChild(el('div', c.left_vnd < 0 ? 'error' : 'muted', c.left_vnd < 0
                    ? t('pl.cell_over', { over: WW.fmtVND(-c.left_vnd) })
                    : t('pl.cell_left', { left: WW.fmtVND(c.left_vnd) })));
                cells.push(box);
            });
            const tr = WW.row(cells);
            tr.setAttribute('data-unit', String(id));
            return tr;
        });
    }

    // ---- the items, with the manager's pin and defer -----------------------------------
    function decide(it, action, year) {
        const body = { action: action, year: year };
        return WW.api('POST', '/plan/decisions/' + encodeURIComponent(it.device_id), body)
            .then(load, (e) => { if (e.status !== 401) WW.notice(WW.errorText(e), 'error'); });
    }

    function renderItems() {
        WW.rows($('pl-items').tBodies[0], plan.items, (it) => {
            const what = el('span', null, words('action', it.action));
            const state = el('span', null, words('state', it.state));
            if (it.rolled)
                state.appendChild(el('span', 'muted', ' · ' + t('pl.rolled', { n: it.rolled })));
            if (it.pinned)
                state.appendChild(WW.badge('maint', words('why', 'pinned')));
            const cells = [it.year ? String(it.year) : null, it.unit_name || t('pl.no_unit'),
                WW.devLink(it.device_id, itemName(it)), what, WW.fmtVND(it.price_vnd),
                WW.fmtNum(it.score), state];
            if (canWrite()) {
                const acts = el('span', 'row-actions');
                if (!it.interface_id) {
                    const sel = el('select', 'pl-year');
                    const years = [''];
                    for (let y = plan.first_year; y < plan.first_year + plan.horizon; y++)
                        years.push(String(y));
                    WW.options(sel, years, (v) => v || t('none'));
                    sel.value = it.year ? String(it.year) : String(plan.first_year);
                    sel.setAttribute('aria-label', t('pl.col_year'));
                    acts.appendChild(sel);
                    acts.appendChild(WW.button('pl.pin', 'btn-small', () => {
                        if (!sel.value)
                            return WW.notice(t('pl.bad_year'), 'error');
                        decide(it, 'pin', +sel.value);
                    }));
                    acts.appendChild(WW.button('pl.defer', 'btn-small', () =>
                        decide(it, 'defer', sel.value ? +sel.value : null)));
                    if (it.pinned || it.state === 'deferred' || it.why === 'pinned')
                        acts.appendChild(WW.button('pl.clear', 'btn-small btn-danger-text', () =>
                            WW.api('DELETE', '/plan/decisions/' + encodeURIComponent(it.device_id))
                                .then(load, (e) => { if (e.status !== 401) WW.notice(WW.errorText(e), 'error'); })));
                }
                cells.push(acts);
            }
            const tr = WW.row(cells);
            tr.setAttribute('data-device', String(it.device_id));
            tr.setAttribute('data-state', it.state);
            return tr;
        }, $('pl-items-empty'));
    }

    function renderPriority() {
        WW.rows($('pl-prio').tBodies[0], prio, (p) => {
            const tr = WW.row([String(prio.indexOf(p) + 1), WW.devLink(p.device_id, p.name),
                p.unit_name || t('pl.no_unit'), WW.fmtNum(p.score),
                p.terms.map(WW.termText).join('; ')]);
            tr.setAttribute('data-device', String(p.device_id));
            return tr;
        }, $('pl-prio-empty'));
    }

    function renderSince() {
        const s = plan.since;
        const list = WW.clear($('pl-since'));
        if (!s) {
            $('pl-since-h').textContent = t('pl.no_version');
            return;
        }
        $('pl-since-h').textContent = t('pl.since', { id: s.version.id,
            day: WW.fmtDate(s.version.created_at), actor: s.version.actor });
        if (!s.changes.length)
            list.appendChild(el('li', 'muted', t('pl.no_changes')));
        s.changes.forEach((c) => {
            list.appendChild(el('li', 'change-' + c.kind, t('plan.change.' + c.kind, {
                name: c.name || ('#' + c.device_id), from: c.from_year || t('none'),
                to: c.to_year || t('none'), old: WW.fmtVND(c.from_vnd), new: WW.fmtVND(c.to_vnd) })));
        });
    }

    function renderVersions() {
        const list = WW.clear($('pl-versions'));
        versions.forEach((v) => {
            list.appendChild(el('li', null, '#' + v.id + ' · ' + WW.fmtDate(v.created_at) + ' · ' +
                v.actor + (v.note ? ' · ' + v.note : '')));
        });
    }

    function renderBudgets() {
        WW.rows($('pl-budgets').tBodies[0], budgets, (b) =>
            WW.row([b.unit_name || ('#' + b.unit_id), String(b.year), WW.fmtVND(b.amount_vnd)]));
        const sel = $('pl-budget-unit');
        const units = plan ? plan.units.filter((u) => !u.merged_into) : [];
        WW.options(sel, units.map((u) => String(u.id)), (v) => unitName(+v));
    }

    function numberField(box, name, label, value) {
        const l = el('label', 'field');
        l.appendChild(el('span', null, label));
        const i = el('input');
        i.name = name;
        i.inputMode = 'numeric';
        i.maxLength = 16;
        i.value = value === null || value === undefined ? '' : String(value);
        i.disabled = !canWrite();
        l.appendChild(i);
        box.appendChild(l);
    }

    function renderForms() {
        if (prices) {
            const box = WW.clear($('pl-price-fields'));
            prices.known.forEach((k) => {
                const p = prices.items.find((x) => x.item === k);
                numberField(box, k, WW.has('kind.' + k) ? WW.kindName(k) : words('item', k),
                    p ? p.price_vnd : null);
            });
        }
        const sbox = WW.clear($('pl-settings-fields'));
        knobs.forEach((k) => numberField(sbox, k.name, t('field.' + k.name), k.value));
    }

    function render() {
        const s = $('pl-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        document.querySelectorAll('#view-plan .write-only').forEach((e) => { e.hidden = !canWrite(); });
        $('pl-csv').setAttribute('href', '/api/v1/plan.csv' + query());
        $('pl-csv-prio').setAttribute('href', '/api/v1/plan/priority.csv' + (unit ? '?unit=' + unit : ''));
        if (!plan)
            return;
        const sel = $('pl-unit');
        WW.options(sel, [''].concat(plan.units.filter((u) => !u.merged_into).map((u) => String(u.id))),
            (v) => (v ? unitName(+v) : t('pl.all_units')));
        sel.value = unit;
        const hs = $('pl-horizon');
        WW.options(hs, ['', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
            (v) => v || String(plan.horizon));
        hs.value = horizon;
        renderSince();
        renderGrid();
        renderItems();
        renderPriority();
        renderVersions();
        renderBudgets();
        renderForms();
    }

    async function load() {
        try {
            const q = query();
            const got = await Promise.all([
                WW.api('GET', '/plan' + q + (q ? '&' : '?') + 'limit=1000'),
                WW.api('GET', '/plan/priority?limit=1000' + (unit ? '&unit=' + unit : '')),
                WW.api('GET', '/plan/versions'), WW.api('GET', '/plan/budgets'),
                WW.api('GET', '/plan/prices'), WW.api('GET', '/plan/settings')]);
            plan = got[0];
            prio = got[1].items;
            versions = got[2].items;
            budgets = got[3].items;
            prices = got[4];
            knobs = got[5].items;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    // ---- forms ---------------------------------------------------------------------------
    const asAmount = (s) => {
        const v = String(s).replace(/[.,\s]/g, '');
        return v === '' ? null : /^\d{1,16}$/.test(v) ? +v : NaN;
    };

    async function send(err, method, path, body) {
        WW.showError(err, '');
        try {
            await WW.api(method, path, body);
            WW.notice(t('pl.saved'), 'ok');
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    function submitBudget(ev) {
        ev.preventDefault();
        const f = $('pl-budget-form').elements;
        const year = +f.year.value, amount = asAmount(f.amount.value);
        if (!/^\d{4}$/.test(f.year.value.trim()))
            return WW.showError($('pl-budget-error'), t('pl.bad_year'));
        if (Number.isNaN(amount))
            return WW.showError($('pl-budget-error'), t('reason.not_integer', { field: t('pl.amount') }));
        send($('pl-budget-error'), 'PUT', '/plan/budgets',
            { items: [{ unit_id: +f.unit_id.value, year: year, amount_vnd: amount }] });
    }

    function formValues(form, err) {
        const out = {};
        let bad = null;
        Array.from(form.querySelectorAll('input')).forEach((i) => {
            const v = asAmount(i.value);
            if (Number.isNaN(v))
                bad = i;
            out[i.name] = v;
        });
        if (bad) {
            WW.showError(err, t('reason.not_integer', { field: bad.parentNode.firstChild.textContent }));
            return null;
        }
        return out;
    }

    function submitPrices(ev) {
        ev.preventDefault();
        const v = formValues($('pl-price-form'), $('pl-price-error'));
        if (v)
            send($('pl-price-error'), 'PUT', '/plan/prices', { items: v });
    }

    function submitSettings(ev) {
        ev.preventDefault();
        const v = formValues($('pl-settings-form'), $('pl-settings-error'));
        if (v)
            send($('pl-settings-error'), 'PUT', '/plan/settings', v);
    }

    function submitVersion(ev) {
        ev.preventDefault();
        const note = $('pl-version-form').elements.note.value.trim();
        send($('pl-version-error'), 'POST', '/plan/versions',
            { note: note || null, horizon: horizon ? +horizon : null })
            .then(() => $('pl-version-form').reset());
    }

    // ---- print: the plan by unit, or the priority list, as an administrative document ----
    // (doc.css's layout: #pl-print is a .doc)
    function printHead(box, title) {
        const today = WW.fmtDate(new Date()).slice(0, 10); // dd/mm/yyyy in the office's zone
        WW.docHead(box, unit ? unitName(+unit) : null, t('handover.place') + ', ' + t('pl.print_date', {
            d: today.slice(0, 2), m: today.slice(3, 5), y: today.slice(6, 10) }), title);
    }

    const printTable = WW.docTable;

    function printSign(box) {
        WW.docSign(box, ['pl.print_maker', 'pl.print_head']);
    }

    function printPlan() {
        const box = WW.clear($('pl-print'));
        printHead(box, t('pl.print_title', { from: plan.first_year, to: plan.first_year + plan.horizon - 1 }));
        const units = Array.from(new Set(plan.items.filter((i) => i.year).map((i) => i.unit_id)))
            .sort((a, b) => WW.collator.compare(unitName(a), unitName(b)));
        units.forEach((u) => {
            box.appendChild(el('h2', null, unitName(u)));
            const items = plan.items.filter((i) => i.year && i.unit_id === u);
            let total = 0;
            const rows = items.map((it, n) => {
                total += it.price_vnd;
                return [String(n + 1), String(it.year), itemName(it), words('action', it.action),
                    WW.fmtNum(it.score), WW.fmtVND(it.price_vnd)];
            });
            rows.push([el('span'), el('span'), t('pl.total'), el('span'), el('span'), WW.fmtVND(total)]);
            printTable(box, [t('pl.col_no'), t('pl.col_year'), t('pl.col_device'), t('pl.col_action'),
                t('pl.col_score'), t('pl.col_price')], rows);
        });
        printSign(box);
        doPrint();
    }

    function printPriority() {
        const box = WW.clear($('pl-print'));
        printHead(box, t('pl.print_priority_title'));
        printTable(box, [t('pl.col_no'), t('pl.col_device'), t('pl.unit'), t('pl.col_score'),
            t('pl.col_reasons')], prio.map((p, n) => [String(n + 1), p.name, p.unit_name || t('pl.no_unit'),
            WW.fmtNum(p.score), p.terms.map(WW.termText).join('; ')]));
        printSign(box);
        doPrint();
    }

    function doPrint() {
        WW.docPrint($('pl-print'));
    }

    WW.page('plan', {
        view: 'view-plan',
        perm: 'plan.read',
        init: function () {
            $('pl-unit').addEventListener('change', () => { unit = $('pl-unit').value; load(); });
            $('pl-horizon').addEventListener('change', () => { horizon = $('pl-horizon').value; load(); });
            $('pl-budget-form').addEventListener('submit', submitBudget);
            $('pl-price-form').addEventListener('submit', submitPrices);
            $('pl-settings-form').addEventListener('submit', submitSettings);
            $('pl-version-form').addEventListener('submit', submitVersion);
            $('pl-print-plan').addEventListener('click', () => { if (plan) printPlan(); });
            $('pl-print-prio').addEventListener('click', () => { if (plan) printPriority(); });
        },
        show: function () {
            state = plan ? 'ok' : 'loading';
            render();
            load();
        },
        reset: function () {
            plan = null;
            prio = versions = budgets = knobs = [];
            prices = null;
            unit = horizon = '';
        },
        render: render,
    });
})();
