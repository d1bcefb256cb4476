// SPDX-License-Identifier: GPL-3.0-or-later
// trainreport.js - the training reports (issue 17 item 5) on the Training page: the
// expiring-soon tab (GET /training/expiring: the requirements that end within 30, 60 or 90
// days, as gap.c judges them), the CSV of the tab shown (the server's .csv routes) and its print
// layout, an A4 administrative document (doc.css: unit, Quốc hiệu, place and date, title,
// signatures) in #tr-print: the gap matrix landscape with its symbols and legend (it reads in
// black and white), a person's transcript (HỒ SƠ BỒI DƯỠNG), unit compliance with each target
// month by month, the expiring list. training.js loads it and hands it its state on each
// render (WW.trainReport.render); nothing here decides who may read what: the server does.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const DAYS = [30, 60, 90];

    let s = null;                  // training.js's state at its last render
    let exp = null, expQuery = null, expDays = 90, seq = 0;
    let skills = null;             // GET /skills: their names in both languages, for print

    function query(withDays) {
        const q = [];
        if (s.unit)
            q.push('unit=' + encodeURIComponent(s.unit));
        if (s.day)
            q.push('day=' + s.day);
        if (withDays)
            q.push('days=' + expDays);
        return q.length ? '?' + q.join('&') : '';
    }

    function csvHref() {
        switch (s.tab) {
        case 'gaps': return '/api/v1/training/gaps.csv' + query(false);
        case 'person': return s.person ? '/api/v1/staff/' + s.person.id + '/transcript.csv' : null;
        case 'compliance': return '/api/v1/training/compliance.csv' + (s.day ? '?day=' + s.day : '');
        case 'expiring': return '/api/v1/training/expiring.csv' + query(true);
        default: return null;
        }
    }

    function nameOf(list, id) {
        const x = list.find((u) => u.id === id);
        if (!x)
            return null;
        return WW.lang === 'en' && x.name_en ? x.name_en : x.name;
    }

    // a skill's name in the reader's language (the gap matrix carries the Vietnamese one only)
    function skillName(id, fallback) {
        return (skills && nameOf(skills, id)) || fallback || '#' + id;
    }

    async function loadSkills() {
        skills = [];
        try {
            skills = (await WW.api('GET', '/skills')).items;
        } catch (e) {
            skills = []; // the print falls back to the matrix's names
        }
    }

    // ---- expiring soon --------------------------------------------------------------------
    async function loadExpiring(q) {
        const my = ++seq;
        expQuery = q;
        try {
            const d = await WW.api('GET', '/training/expiring' + q);
            if (my !== seq)
                return;
            exp = d;
        } catch (e) {
            if (my !== seq || e.status === 401)
                return;
            exp = null;
            $('tr-status').textContent = WW.errorText(e);
        }
        renderExpiring();
    }

    function renderExpiring() {
        const sel = $('tr-exp-days');
        WW.options(sel, DAYS, (n) => t('training.within_days', { n: n }));
        sel.value = String(expDays);
        WW.rows($('tr-exp-table').tBodies[0], exp ? exp.items : [], (r) => {
            const state = el('span', 'gap gap-' + r.state, s.symbols[r.state] + ' ' + t('gap.' + r.state));
            return WW.row([r.full_name, r.code, r.unit, r.skill, state, WW.fmtDay(r.valid_until),
                String(r.days_left), r.course, r.certificate_no]);
        }, $('tr-exp-empty'));
    }

    // ---- print ----------------------------------------------------------------------------
    function printHead(box, unitName, title, day) {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
        WW.docHead(box, unitName, m ? t('report.date_line', { d: m[3], m: m[2], y: m[1] }) : '', title);
        if (day)
            box.appendChild(el('p', 'as-of', t('report.as_of', { date: WW.fmtDay(day) })));
    }

    const printTable = WW.docTable;

    function gapSpan(c) {
        return el('span', 'gap gap-' + c.state, s.symbols[c.state]);
    }

    // the unit at the head of the document: the one asked for, else the one top unit (a ward)
    function unitHeading() {
        if (s.unit)
            return nameOf(s.units, +s.unit);
        const tops = s.units.filter((u) => !u.parent_id && !u.valid_to);
        return tops.length === 1 ? tops[0].name : null;
    }

    function printGaps(box) {
        const g = s.gaps;
        printHead(box, unitHeading(), t('training.print_gaps'), g.day);
        const legend = el('ul', 'gap-legend');
        s.states.forEach((st) => {
            const li = el('li');
            li.appendChild(el('span', 'gap gap-' + st, s.symbols[st]));
            li.appendChild(document.createTextNode(' ' + t('gap.' + st)));
            legend.appendChild(li);
        });
        box.appendChild(el('p', null, t('training.legend') + ':'));
        box.appendChild(legend);
        const used = {};
        g.items.forEach((r) => r.cells.forEach((c) => { used[c.skill_id] = true; }));
        const cols = g.skills.filter((k) => used[k.id]);
        printTable(box, [t('training.name'), t('training.role')].concat(cols.map((k) => skillName(k.id, k.name))),
            g.items.map((r) => [r.full_name + ' (' + r.code + ')', nameOf(s.roles, r.role_id)].concat(
                cols.map((k) => {
                    const c = r.cells.find((x) => x.skill_id === k.id);
                    return c ? gapSpan(c) : el('span', 'muted', '·');
                })))).classList.add('gap-matrix');
        box.appendChild(el('p', 'note', '· ' + t('training.not_required')));
    }

    function printPerson(box) {
        const p = s.person;
        const last = (p.history || [])[(p.history || []).length - 1] || {};
        printHead(box, last.unit, t('training.print_transcript'), s.compliance ? s.compliance.day : null);
        const details = el('table', 'details');
        [[t('training.name'), p.full_name], [t('training.code'), p.code],
            [t('training.unit'), p.unit || last.unit], [t('training.role'), p.role || last.role],
            [t('training.start_day'), WW.fmtDay(p.start_day)]].forEach((r) => {
            const tr = details.appendChild(el('tr'));
            tr.appendChild(el('th', null, r[0]));
            tr.appendChild(el('td', null, r[1] || t('none')));
        });
        box.appendChild(details);
        box.appendChild(el('h2', null, t('training.history')));
        printTable(box, [t('training.unit'), t('training.role'), t('training.from'), t('training.to')],
            (p.history || []).map((h) => [h.unit, h.role, WW.fmtDay(h.from_day),
                h.to_day ? WW.fmtDay(h.to_day) : null]));
        box.appendChild(el('h2', null, t('training.records')));
        printTable(box, [t('training.course'), t('training.completed_on'), t('training.result'),
            t('training.valid_until'), t('training.certificate')],
        (p.records || []).map((r) => [r.course, WW.fmtDay(r.completed_on),
            (t('result.' + r.result) || r.result) +
                (r.corrected_by ? ' — ' + t('training.corrected_by', { id: r.corrected_by }) : ''),
            r.valid_until ? WW.fmtDay(r.valid_until) : t('training.never'), r.certificate_no]));
    }

    function compRows(list, name) {
        return list.map((c) => [name(c), String(c.people), String(c.people_met),
            c.reqs_met + ' / ' + c.reqs, c.pct + '%']);
    }

    function printCompliance(box) {
        const c = s.compliance;
        printHead(box, unitHeading(), t('training.print_compliance'), c.day);
        const heads = [t('training.people'), t('training.people_met'), t('training.reqs'), t('training.pct')];
        box.appendChild(el('h2', null, t('training.by_unit')));
        printTable(box, [t('training.unit')].concat(heads), compRows(c.units, (x) => x.name));
        box.appendChild(el('h2', null, t('training.by_role')));
        printTable(box, [t('training.role')].concat(heads),
            compRows(c.roles, (x) => nameOf(s.roles, x.id) || t('none')));
        box.appendChild(el('h2', null, t('training.targets')));
        c.targets.forEach((g) => {
            box.appendChild(el('p', null, (g.unit || t('training.all_units')) + ': ' +
                t('training.target_line', { pct: g.pct, level: g.level,
                    skill: skillName(g.skill_id), deadline: WW.fmtDay(g.deadline) }) +
                ' — ' + (g.reached_on ? t('training.reached_on', { day: WW.fmtDay(g.reached_on) })
                    : t('training.not_reached'))));
            printTable(box, [t('training.month'), t('training.people'), t('training.pct')],
                g.months.map((m) => [m.month.slice(5) + '/' + m.month.slice(0, 4),
                    m.holding + ' / ' + m.staff, m.pct + '%']));
        });
        if (!c.targets.length)
            box.appendChild(el('p', null, t('training.no_targets')));
    }

    function printExpiring(box) {
        printHead(box, unitHeading(), t('training.print_expiring', { n: exp.days }), exp.day);
        printTable(box, [t('training.name'), t('training.unit'), t('training.skill'),
            t('training.valid_until'), t('training.days_left'), t('training.course'), t('training.certificate')],
        exp.items.map((r) => [r.full_name + ' (' + r.code + ')', r.unit, skillName(r.skill_id, r.skill),
            WW.fmtDay(r.valid_until), String(r.days_left), r.course, r.certificate_no]));
        if (!exp.items.length)
            box.appendChild(el('p', null, t('training.no_expiring')));
    }

    const PRINTS = { gaps: printGaps, person: printPerson, compliance: printCompliance,
        expiring: printExpiring };

    function ready() {
        return s && PRINTS[s.tab] && ((s.tab === 'gaps' && s.gaps) || (s.tab === 'person' && s.person) ||
            (s.tab === 'compliance' && s.compliance) || (s.tab === 'expiring' && exp));
    }

    // the document of the tab shown, into #tr-print; the caller prints it
    function build() {
        const box = WW.clear($('tr-print'));
        box.classList.toggle('landscape', s.tab === 'gaps');
        PRINTS[s.tab](box);
        WW.docSign(box, ['report.preparer', 'report.head']);
    }

    function doPrint() {
        if (!ready())
            return;
        build();
        WW.docPrint($('tr-print'));
    }

    // ---- training.js's hook ---------------------------------------------------------------
    function render(state) {
        s = state;
        if (!skills)
            loadSkills();
        const href = csvHref();
        $('tr-report-bar').hidden = !href;
        if (href)
            $('tr-csv').setAttribute('href', href);
        if (s.tab === 'expiring') {
            const q = query(true);
            if (q !== expQuery)
                loadExpiring(q);
            renderExpiring();
        }
    }

    $('tr-print-btn').addEventListener('click', doPrint);
    $('tr-exp-days').addEventListener('change', () => {
        expDays = +$('tr-exp-days').value || 90;
        render(s);
    });
    WW.trainReport = { render: render, reset: () => { exp = expQuery = skills = null; expDays = 90; } };
})();
