// SPDX-License-Identifier: GPL-3.0-or-later
// reports.js - the Reports page (issue 16 item 8): the manager's reports (GET
// /api/v1/reports/<name>: age bands, PCs not ready for Windows 11, warranty ending,
// depreciation, not seen, the assignment register, equipment held by untrained staff) as tables with the unit and kind filters,
// a CSV download (the server's .csv) and a print layout: A4 in the style of a Vietnamese
// administrative document (doc.css: unit, Quốc hiệu, place and date, title, signatures).
// The page lists only the reports the session may read (reports.read; hr: the register).
// Route: #/reports/<name>?unit=&kind=&days=&history=1
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    // the reports, in the order they are offered: path, title, who may read
    const REPORTS = [
        { name: 'age', title: 'report.age', perm: 'reports.read' },
        { name: 'win11', title: 'report.win11', perm: 'reports.read' },
        { name: 'warranty', title: 'report.warranty', perm: 'reports.read' },
        { name: 'depreciation', title: 'report.depreciation', perm: 'reports.read' },
        { name: 'not-seen', title: 'report.not_seen', perm: 'reports.read' },
        { name: 'assignments', title: 'report.assignments', perm: 'assignment.read' },
        { name: 'untrained', title: 'report.untrained', perm: 'assignment.read' },
    ];
    const BANDS = { lt3: 'report.band_lt3', '3_5': 'report.band_3_5', '5_7': 'report.band_5_7',
        '7_9': 'report.band_7_9', '9_11': 'report.band_9_11', '11p': 'report.band_11p',
        unknown: 'report.band_unknown' };
    const WITHIN = { 30: 'report.within_30', 60: 'report.within_60', 90: 'report.within_90',
        365: 'report.within_365' };

    let data = null;    // the last answer
    let state = 'loading';
    let seq = 0;        // answers to an older request are dropped

    const readable = () => REPORTS.filter((r) => WW.can(r.perm));
    function current() {
        const list = readable();
        const name = WW.hashArg();
        return list.find((r) => r.name === name) || list[0] || null;
    }
    // the filters of the hash, as the API's query
    function query(rep) {
        const h = WW.hashQuery(), q = new URLSearchParams();
        ['unit', 'kind'].forEach((k) => { if (h.get(k)) q.set(k, h.get(k)); });
        if (rep.name === 'not-seen' && h.get('days'))
            q.set('days', h.get('days'));
        if (rep.name === 'assignments' && h.get('history') === '1')
            q.set('history', '1');
        return q.toString();
    }
    function go(rep, q) {
        location.hash = '#/reports/' + rep.name + (q ? '?' + q : '');
    }
    function fromForm(rep) {
        const q = new URLSearchParams();
        if ($('rp-unit').value)
            q.set('unit', $('rp-unit').value);
        if ($('rp-kind').value)
            q.set('kind', $('rp-kind').value);
        if (rep.name === 'not-seen' && $('rp-days').value && $('rp-days').value !== '30')
            q.set('days', $('rp-days').value);
        if (rep.name === 'assignments' && $('rp-history').checked)
            q.set('history', '1');
        go(rep, q.toString());
    }

    // ---- cells --------------------------------------------------------------------------------
    const unitName = (d) => (d.unit_name ? d.unit_name : t('report.no_unit'));
    const num = (n) => el('td', 'num-cell', WW.fmtNum(n));
    const money = (n) => el('td', 'num-cell nowrap', WW.fmtVND(n));
    const text = (s, cls) => el('td', cls || null, s === null || s === undefined || s === '' ? t('none') : String(s));
    function devCell(d) {
        const td = el('td', 'name');
        td.appendChild(WW.devLink(d.id, d.name));
        return td;
    }
    function years(months) {
        return typeof months === 'number' ? WW.fmtNum(Math.round(months / 1.2) / 10) : t('none');
    }
    function bytesGB(b) {
        return typeof b === 'number' ? WW.fmtNum(Math.round(b / 107374182.4) / 10) + ' GB' : t('none');
    }
    // a code's words ("ready.r_<code>", as the device page says them), the code without any
    function coded(prefix, code) {
        const key = prefix + code;
        return WW.has(key) ? t(key) : String(code);
    }
    function reasonWords(codes) {
        return (codes || []).map((c) => coded('ready.r_', c)).join('; ');
    }
    function tr(cells, cls) {
        const r = el('tr', cls);
        cells.forEach((c) => r.appendChild(c));
        return r;
    }
    function groupRow(label, span) {
        const th = el('th', 'group', label);
        th.colSpan = span;
        return tr([th], 'group-row');
    }

    // ---- each report: its columns, body rows and foot rows --------------------------------------
    const VIEWS = {
        age: {
            head: (d) => ['csv.unit', 'csv.kind'].map((k) => t(k))
                .concat(d.bands.map((b) => t(BANDS[b]))).concat([t('csv.count'), t('csv.cost_vnd')]),
            numeric: (d, i) => i >= 2,
            devices: (d) => d.bands.reduce((n, b) => n + d.sum.count[b], 0),
            row: function (r, d) {
                const cells = [text(unitName(r)), text(WW.kindName(r.kind))];
                let n = 0, cost = 0;
                d.bands.forEach((b) => { cells.push(num(r.count[b])); n += r.count[b]; cost += r.cost_vnd[b]; });
                cells.push(num(n), money(cost));
                return [tr(cells)];
            },
            foot: function (d) {
                const s = d.sum;
                const cells = [text(t('report.total')), text('')];
                let n = 0, cost = 0;
                d.bands.forEach((b) => { cells.push(num(s.count[b])); n += s.count[b]; cost += s.cost_vnd[b]; });
                cells.push(num(n), money(cost));
                return [tr(cells)];
            },
        },
        win11: {
            head: () => ['csv.device_name', 'csv.unit', 'csv.assigned_to', 'csv.cpu_model', 'csv.ram_bytes',
                'csv.verdict', 'csv.reasons'].map((k) => t(k)),
            row: (r) => [tr([devCell(r), text(unitName(r)), text(r.assigned_to), text(r.cpu_model),
                text(bytesGB(r.ram_bytes), 'nowrap'), text(coded('ready.win11_', r.verdict)),
                text(reasonWords((r.reasons || []).concat(r.unmeasured || [])))])],
        },
        warranty: {
            head: () => ['csv.device_name', 'csv.unit', 'csv.assigned_to', 'csv.warranty_end', 'csv.days_left',
                'csv.within'].map((k) => t(k)),
            row: (r) => [tr([devCell(r), text(unitName(r)), text(r.assigned_to),
                text(WW.fmtDay(r.warranty_end), 'nowrap'), num(r.days_left),
                text(r.within ? t(WITHIN[r.within]) : t('report.warranty_ended'))])],
            devices: (d) => d.total + (d.ended ? d.ended.length : 0),
            after: function (d) {
                if (!d.ended || !d.ended.length)
                    return [];
                return [groupRow(t('report.ended'), 6)].concat(
                    [].concat.apply([], d.ended.map((r) => VIEWS.warranty.row(r))));
            },
        },
        depreciation: {
            head: () => ['csv.device_name', 'csv.unit', 'csv.kind', 'csv.in_service_date', 'csv.age_years',
                'csv.lifespan_years', 'csv.cost_vnd', 'csv.per_year_vnd', 'csv.residual_vnd'].map((k) => t(k)),
            row: (r) => [tr([devCell(r), text(unitName(r)), text(WW.kindName(r.kind)),
                text(WW.fmtDay(r.in_service_date || r.purchase_date), 'nowrap'), text(years(r.age_months), 'num-cell'),
                num(r.lifespan_years), money(r.cost_vnd), money(r.per_year_vnd), money(r.residual_vnd)])],
            // a subtotal after each unit and kind (the rows come grouped so)
            rows: function (d) {
                const out = [];
                let si = 0;
                d.items.forEach((r, i) => {
                    out.push.apply(out, VIEWS.depreciation.row(r));
                    const next = d.items[i + 1];
                    if (!next || next.unit_id !== r.unit_id || next.kind !== r.kind)
                        out.push(sumRow(d.sums[si++], false));
                });
                return out;
            },
            foot: (d) => [sumRow(d.sum, true)],
        },
        'not-seen': {
            head: () => ['csv.device_name', 'csv.unit', 'csv.kind', 'csv.status', 'csv.last_ok',
                'csv.days_unseen'].map((k) => t(k)),
            row: (r) => [tr([devCell(r), text(unitName(r)), text(WW.kindName(r.kind)),
                text(coded('life.status.', r.status)),
                text(r.last_ok ? WW.fmtDate(r.last_ok) : t('report.never'), 'nowrap'),
                r.days === null ? text(t('report.never')) : num(r.days)])],
        },
        assignments: {
            head: (d) => ['csv.device_name', 'csv.unit', 'csv.asset_tag', 'csv.assigned_to', 'csv.from_day']
                .concat(d.history ? ['csv.to_day'] : []).concat(['csv.actor']).map((k) => t(k)),
            row: (r, d) => [tr([devCell(r), text(unitName(r)), text(r.asset_tag), text(r.holder),
                text(WW.fmtDay(r.from), 'nowrap')].concat(d.history ? [text(r.to ? WW.fmtDay(r.to) : '', 'nowrap')] : [])
                .concat([text(r.by)]))],
        },
        // equipment held by someone lacking its skill; then the plan's: to train before the
        // new machine (judged on the first day of the plan's year)
        untrained: {
            head: () => ['csv.device_name', 'csv.unit', 'csv.holder', 'csv.skill', 'csv.level_required',
                'csv.state', 'csv.valid_until', 'csv.held_from', 'csv.plan_year'].map((k) => t(k)),
            row: (r) => [tr([devCell(r), text(unitName(r)), text(r.holder), text(r.skill),
                text(WW.fmtNum(r.level_held) + ' / ' + WW.fmtNum(r.level_required), 'num-cell'),
                text(coded('gap.', r.state)), text(r.valid_until ? WW.fmtDay(r.valid_until) : '', 'nowrap'),
                text(WW.fmtDay(r.held_from), 'nowrap'),
                text(r.plan_year ? t('report.plan_year', { year: r.plan_year }) : '')])],
            devices: (d) => d.total + (d.before_plan ? d.before_plan.length : 0),
            after: function (d) {
                if (!d.before_plan || !d.before_plan.length)
                    return [];
                return [groupRow(t('report.before_plan'), 9)].concat(
                    [].concat.apply([], d.before_plan.map((r) => VIEWS.untrained.row(r))));
            },
        },
    };

    function sumRow(s, total) {
        const label = total ? t('report.total')
            : (s.unit_name || t('report.no_unit')) + ' · ' + WW.kindName(s.kind);
        const th = el('th', null, label + ' (' + t('report.count', { n: WW.fmtNum(s.count) }) + ')');
        th.colSpan = 6;
        return tr([th, money(s.cost_vnd), money(s.per_year_vnd), money(s.residual_vnd)],
            total ? 'total-row' : 'subtotal-row');
    }

    // ---- the page -------------------------------------------------------------------------------
    function renderList(rep) {
        const nav = WW.clear($('rp-list'));
        readable().forEach((r) => {
            const a = WW.link('#/reports/' + r.name, t(r.title), 'btn' + (r === rep ? ' active' : ''));
            if (r === rep)
                a.setAttribute('aria-current', 'page');
            nav.appendChild(a);
        });
    }

    function renderFilters(rep) {
        const h = WW.hashQuery();
        const units = (data && data.units) || [];
        const us = $('rp-unit'), keepU = h.get('unit') || '';
        WW.clear(us);
        [['', t('report.all_units')]].concat(units.map((u) => [String(u.id), u.name]))
            .concat([['none', t('report.no_unit')]]).forEach((o) => {
                const opt = el('option', null, o[1]);
                opt.value = o[0];
                us.appendChild(opt);
            });
        us.value = keepU;
        const ks = $('rp-kind');
        WW.options(ks, [''].concat(WW.KINDS), (k) => (k ? WW.kindName(k) : t('report.all_kinds')));
        ks.value = h.get('kind') || '';
        $('rp-kind').disabled = rep.name === 'win11'; // PCs only
        $('rp-days-f').hidden = rep.name !== 'not-seen';
        $('rp-days').value = h.get('days') || '30';
        $('rp-history-f').hidden = rep.name !== 'assignments';
        $('rp-history').checked = h.get('history') === '1';
        const q = query(rep);
        $('rp-csv').setAttribute('href', '/api/v1/reports/' + rep.name + '.csv' + (q ? '?' + q : ''));
    }

    function renderDoc(rep) {
        $('rp-head-unit').textContent = data && data.heading_unit ? data.heading_unit : '....................';
        const m = data ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(data.today) : null;
        $('rp-place').textContent = m ? t('report.date_line', { d: m[3], m: m[2], y: m[1] }) : '';
        $('rp-title').textContent = t(rep.title);
        $('rp-as-of').textContent = data ? t('report.as_of', { date: WW.fmtDay(data.today) }) : '';
    }

    function renderTable(rep) {
        const v = VIEWS[rep.name], table = $('rp-table');
        const s = $('rp-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('report.unavailable')
            : t('report.count', { n: WW.fmtNum(v.devices ? v.devices(data) : data.total) });
        WW.clear(table.tHead);
        WW.clear(table.tBodies[0]);
        WW.clear(table.tFoot);
        $('rp-empty').hidden = !(state === 'ok' && !data.total && !(data.ended && data.ended.length) &&
            !(data.before_plan && data.before_plan.length));
        if (state !== 'ok')
            return;
        const head = el('tr');
        v.head(data).forEach((h, i) => head.appendChild(el('th', v.numeric && v.numeric(data, i) ? 'num-cell' : null, h)));
        table.tHead.appendChild(head);
        const body = document.createDocumentFragment();
        const rows = v.rows ? v.rows(data) : [].concat.apply([], data.items.map((r) => v.row(r, data)));
        rows.concat(v.after ? v.after(data) : []).forEach((r) => body.appendChild(r));
        table.tBodies[0].appendChild(body);
        if (v.foot && data.total)
            v.foot(data).forEach((r) => table.tFoot.appendChild(r));
    }

    function render() {
        const rep = current();
        if (!rep)
            return;
        renderList(rep);
        renderFilters(rep);
        renderDoc(rep);
        renderTable(rep);
    }

    async function load() {
        const rep = current();
        if (!rep)
            return;
        const my = ++seq;
        const q = query(rep);
        state = 'loading';
        render();
        try {
            const d = await WW.api('GET', '/reports/' + rep.name + (q ? '?' + q : ''));
            if (my !== seq)
                return;
            data = d;
            state = 'ok';
        } catch (e) {
            if (my !== seq)
                return;
            data = null;
            state = 'error';
            WW.notice(WW.errorText(e), 'error');
        }
        render();
    }

    WW.page('reports', {
        view: 'view-reports',
        perm: 'assignment.read',
        init: function () {
            ['rp-unit', 'rp-kind', 'rp-days', 'rp-history'].forEach((id) =>
                $(id).addEventListener('change', () => fromForm(current())));
            $('rp-filter').addEventListener('submit', (ev) => {
                ev.preventDefault();
                fromForm(current());
            });
            $('rp-print').addEventListener('click', () => window.print());
        },
        show: load,
        reset: function () {
            data = null;
            state = 'loading';
        },
        render: render,
    });
})();
