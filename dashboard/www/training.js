// SPDX-License-Identifier: GPL-3.0-or-later
// training.js - the training register (issue 17; permission training.read): the staff list,
// a person's transcript (hồ sơ bồi dưỡng), the gap matrix people x skills and unit
// compliance with the targets month by month, and the proposed sessions' tab (trainplan.js,
// fetched on the first visit). A person's record, the transcript and the
// matrix need staff.read (hr, admin): a manager sees names and summaries only. Every state
// in the matrix is a symbol and a word as well as a colour (the legend), so it reads
// without colour. trainreport.js (loaded at init) adds the expiring-soon tab, each tab's CSV
// and its print layout.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const GAP_STATES = ['valid', 'expiring_90', 'expiring_60', 'expiring_30', 'expired', 'missing'];
    const RESULTS = ['passed', 'attended', 'failed', 'revoked']; // the server's results
    const SYMBOL = { valid: '✓', expiring_90: '◔ 90', expiring_60: '◑ 60', expiring_30: '◕ 30',
        expired: '✗', missing: '○' };

    let tab = 'staff';
    let units = [], roles = [], staff = [], gaps = null, compliance = null, person = null;
    let unit = '', day = '';   // the filter as applied (day YYYY-MM-DD or '' = today)

    function nameOf(list, id) {
        const x = list.find((u) => u.id === id);
        if (!x)
            return null;
        return WW.lang === 'en' && x.name_en ? x.name_en : x.name;
    }

    function query() {
        const q = [];
        if (unit)
            q.push('unit=' + encodeURIComponent(unit));
        if (day)
            q.push('day=' + day);
        return q.length ? '?' + q.join('&') : '';
    }

    function gapCell(c) {
        const s = el('span', 'gap gap-' + c.state, SYMBOL[c.state] || '?');
        // why it is required: the role, a device held (since a day), or both
        const reasons = [];
        if (c.role_id)
            reasons.push(t('training.required_by', { role: nameOf(roles, c.role_id) || t('none') }));
        if (c.device)
            reasons.push(t('training.required_by_device', { device: c.device.name,
                day: WW.fmtDay(c.device.held_from) }));
        let why = t('gap.' + c.state) + ' · ' + (reasons.length ? reasons.join(' · ') : t('none')) +
            ' · ' + t('training.level_of', { held: c.level_held, need: c.level_required });
        if (c.valid_until)
            why += ' · ' + t('training.valid_until') + ' ' + WW.fmtDay(c.valid_until);
        s.setAttribute('title', why);
        s.setAttribute('aria-label', why);
        return s;
    }

    function renderLegend() {
        const f = document.createDocumentFragment();
        GAP_STATES.forEach((st) => {
            const li = el('li');
            li.appendChild(el('span', 'gap gap-' + st, SYMBOL[st]));
            li.appendChild(document.createTextNode(' ' + t('gap.' + st)));
            f.appendChild(li);
        });
        WW.fill($('tr-legend'), f);
    }

    function renderStaff() {
        const full = WW.can('staff.read');
        WW.rows($('tr-staff-table').tBodies[0], staff, (p) => {
            const open = full ? el('button', 'btn btn-small', t('training.open')) : null;
            if (open) {
                open.type = 'button';
                open.addEventListener('click', () => openPerson(p.id));
            }
            return WW.row([p.full_name, p.code, p.unit, p.role,
                p.active === undefined ? null : t(p.active ? 'training.yes' : 'training.no'),
                open]);
        }, $('tr-staff-empty'));
    }

    function renderPerson() {
        if (!person)
            return;
        $('tr-person-name').textContent = t('training.transcript') + ': ' + person.full_name +
            ' (' + person.code + ')';
        WW.rows($('tr-history').tBodies[0], person.history || [], (h) =>
            WW.row([h.unit, h.role, WW.fmtDay(h.from_day), h.to_day ? WW.fmtDay(h.to_day) : null]));
        WW.rows($('tr-records').tBodies[0], person.records || [], (r) => {
            let result = RESULTS.indexOf(r.result) >= 0 ? t('result.' + r.result) : r.result;
            if (r.corrected_by)
                result += ' — ' + t('training.corrected_by', { id: r.corrected_by });
            return WW.row([r.course, WW.fmtDay(r.completed_on), result,
                r.valid_until ? WW.fmtDay(r.valid_until) : t('training.never'),
                r.certificate_no], r.corrected_by ? 'corrected' : null);
        }, $('tr-records-empty'));
    }

    function renderGaps() {
        renderLegend();
        if (!gaps)
            return;
        const used = {};
        gaps.items.forEach((r) => r.cells.forEach((c) => { used[c.skill_id] = true; }));
        const skills = gaps.skills.filter((k) => used[k.id]);
        const head = $('tr-matrix').tHead.rows[0];
        WW.clear(head);
        head.appendChild(el('th', null, t('training.name')));
        skills.forEach((k) => head.appendChild(el('th', null, k.name)));
        WW.rows($('tr-matrix').tBodies[0], gaps.items, (r) => {
            const cells = [r.full_name + ' (' + (nameOf(roles, r.role_id) || t('none')) + ')'];
            skills.forEach((k) => {
                const c = r.cells.find((x) => x.skill_id === k.id);
                cells.push(c ? gapCell(c) : el('span', 'muted', t('training.not_required')));
            });
            return WW.row(cells);
        }, $('tr-gaps-empty'));
    }

    function compRow(c, name) {
        return WW.row([name, c.people, c.people_met, c.reqs_met + ' / ' + c.reqs, c.pct + '%']);
    }

    function renderCompliance() {
        if (!compliance)
            return;
        WW.rows($('tr-units').tBodies[0], compliance.units, (c) => compRow(c, c.name));
        WW.rows($('tr-roles').tBodies[0], compliance.roles,
            (c) => compRow(c, nameOf(roles, c.id) || t('none')));
        const box = WW.clear($('tr-targets'));
        compliance.targets.forEach((g) => {
            const skill = (gaps && gaps.skills.find((k) => k.id === g.skill_id)) || null;
            box.appendChild(el('p', null, (g.unit || t('training.all_units')) + ': ' +
                t('training.target_line', { pct: g.pct, level: g.level,
                    skill: skill ? skill.name : '#' + g.skill_id,
                    deadline: WW.fmtDay(g.deadline) }) + ' — ' +
                (g.reached_on ? t('training.reached_on', { day: WW.fmtDay(g.reached_on) })
                    : t('training.not_reached'))));
            const wrap = el('div', 'table-wrap target-months');
            const table = el('table');
            const thead = el('thead');
            thead.appendChild(WW.row([t('training.month'), t('training.people'),
                t('training.pct')]));
            table.appendChild(thead);
            const tb = el('tbody');
            table.appendChild(tb);
            WW.rows(tb, g.months, (m) => WW.row([m.month.slice(5) + '/' + m.month.slice(0, 4),
                m.holding + ' / ' + m.staff, m.pct + '%']));
            wrap.appendChild(table);
            box.appendChild(wrap);
        });
        $('tr-targets-empty').hidden = compliance.targets.length > 0;
    }

    function render() {
        document.querySelectorAll('#view-training [data-tab]').forEach((b) => {
            b.hidden = ['gaps', 'expiring'].indexOf(b.getAttribute('data-tab')) >= 0 &&
                !WW.can('staff.read');
            b.setAttribute('aria-selected', b.getAttribute('data-tab') === tab ? 'true' : 'false');
        });
        ['staff', 'person', 'gaps', 'compliance', 'expiring', 'plan'].forEach((n) => {
            $('tr-' + n).hidden = n !== tab;
        });
        const sel = $('tr-filter').elements.unit;
        const keep = sel.value || unit;
        WW.clear(sel);
        sel.appendChild(el('option', null, t('training.all_units'))).value = '';
        units.forEach((u) => { sel.appendChild(el('option', null, u.name)).value = String(u.id); });
        sel.value = keep;
        renderStaff();
        renderPerson();
        renderGaps();
        renderCompliance();
        if (WW.trainReport) // trainreport.js: the CSV, print layouts and the expiring tab
            WW.trainReport.render({ tab: tab, unit: unit, day: day, units: units, roles: roles,
                gaps: gaps, compliance: compliance, person: person, symbols: SYMBOL,
                states: GAP_STATES });
        if (WW.trainplan)
            WW.trainplan.render();
    }

    async function load() {
        $('tr-status').textContent = t('loading');
        try {
            const full = WW.can('staff.read');
            const got = await Promise.all([
                WW.api('GET', '/training/units'), WW.api('GET', '/job-roles'),
                WW.api('GET', '/staff' + (unit ? '?unit=' + encodeURIComponent(unit) : '')),
                full ? WW.api('GET', '/training/gaps' + query()) : null,
                WW.api('GET', '/training/compliance' + (day ? '?day=' + day : ''))]);
            units = got[0].items;
            roles = got[1].items;
            staff = got[2].items;
            gaps = got[3];
            compliance = got[4];
            $('tr-status').textContent = '';
            if (WW.trainplan) // proposed sessions (trainplan.js) for the same unit and day
                WW.trainplan.load(query());
        } catch (e) {
            if (e.status === 401)
                return;
            $('tr-status').textContent = WW.errorText(e);
        }
        render();
    }

    async function openPerson(id) {
        try {
            person = await WW.api('GET', '/staff/' + id + '/transcript');
            tab = 'person';
            render();
        } catch (e) {
            if (e.status !== 401)
                $('tr-status').textContent = WW.errorText(e);
        }
    }

    function apply(ev) {
        ev.preventDefault();
        const f = $('tr-filter');
        const typed = f.elements.day.value.trim();
        let d = '';
        if (typed) {
            const p = WW.parseDay(typed);
            if (!p) {
                WW.showError($('tr-error'), t('audit.bad_date'));
                return;
            }
            d = WW.dayISO(p);
        }
        WW.showError($('tr-error'), '');
        unit = f.elements.unit.value;
        day = d;
        load();
    }

    WW.page('training', {
        view: 'view-training',
        perm: 'training.read',
        init: function () {
            // the proposed sessions' tab lives in its own file, fetched with this page
            const s = document.createElement('script');
            s.setAttribute('src', '/trainplan.js');
            s.addEventListener('load', () => { if (WW.session) WW.trainplan.load(query()); });
            document.head.appendChild(s);
            $('tr-filter').addEventListener('submit', apply);
            $('tr-back').addEventListener('click', () => { tab = 'staff'; render(); });
            document.querySelectorAll('#view-training [data-tab]').forEach((b) => {
                b.addEventListener('click', () => { tab = b.getAttribute('data-tab'); render(); });
            });
            WW.trainImport.init($('tr-import'), load); // trainimport.js: the CSV imports
            const more = document.createElement('script');
            more.addEventListener('load', render);
            more.setAttribute('src', '/trainreport.js');
            document.head.appendChild(more);
        },
        show: function () { load(); WW.trainImport.render(); },
        reset: function () {
            tab = 'staff';
            units = [];
            roles = [];
            staff = [];
            gaps = compliance = person = null;
            unit = day = '';
            $('tr-filter').reset();
            WW.trainImport.reset();
            if (WW.trainReport)
                WW.trainReport.reset();
        },
        relabel: () => { render(); WW.trainImport.render(); },
        render: () => { render(); WW.trainImport.render(); },
    });
})();
