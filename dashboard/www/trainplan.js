// SPDX-License-Identifier: GPL-3.0-or-later
// trainplan.js - the "proposed sessions" tab of the Training page (issue 17 item 4; permission
// training.read): GET /api/v1/training/proposals for the page's unit and day, most urgent
// first, each with its course (or a flag when no course grants the skill), its part of the
// group, how many are missing/expired and the names of its people. With training.write (hr,
// admin) one click makes it a real session: POST /course-sessions (the proposal's course,
// capacity, and the day typed above the table), then POST /course-sessions/{id}/attendance
// for each person, through the ordinary audited routes; a refusal is shown in words.
// training.js loads this file on its first visit and calls WW.trainplan.load()/render().
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    let data = null;
    const made = new Set(); // proposals made sessions here: their button stays off

    function key(p) {
        return p.unit_id + '/' + p.skill_id + '/' + p.level + '/' + p.part;
    }

    function members(p) {
        return p.members.map((m) => m.full_name).join(', ');
    }

    function urgency(p) {
        if (p.urgent > 0)
            return t('trainplan.urgent', { n: p.urgent });
        return t('trainplan.days_left', { n: p.days_left_min });
    }

    function sessionDay() {
        const typed = $('tp-day').value.trim();
        const p = typed ? WW.parseDay(typed) : null;
        return p ? WW.dayISO(p) : null;
    }

    async function create(p, btn) {
        const day = sessionDay();
        if (!day) {
            WW.showError($('tp-error'), t('trainplan.need_day'));
            return;
        }
        WW.showError($('tp-error'), '');
        btn.disabled = true;
        try {
            const s = await WW.api('POST', '/course-sessions', { course_id: p.course_id, day: day,
                capacity: p.capacity });
            for (const m of p.members)
                await WW.api('POST', '/course-sessions/' + s.id + '/attendance',
                    { staff_id: m.staff_id });
            made.add(key(p));
            WW.notice(t('trainplan.created', { n: p.members.length }), 'ok');
        } catch (e) {
            btn.disabled = false;
            if (e.status !== 401)
                WW.showError($('tp-error'), WW.errorText(e));
        }
    }

    function render() {
        if (!data)
            return;
        const write = WW.can('training.write') && WW.can('staff.read');
        WW.rows($('tp-table').tBodies[0], data.items, (p) => {
            let course = p.course;
            if (p.no_course)
                course = el('span', 'gap gap-missing', '⚑ ' + t('trainplan.no_course'));
            let act = null;
            if (write && !p.no_course) {
                act = el('button', 'btn btn-small', t('trainplan.create'));
                act.type = 'button';
                act.disabled = made.has(key(p));
                act.addEventListener('click', () => create(p, act));
            }
            return WW.row([p.unit, p.skill + ' (' + t('trainplan.level', { n: p.level }) + ')',
                course, t('trainplan.part', { part: p.part, parts: p.parts }),
                p.count + (p.capacity ? ' / ' + p.capacity : ''), urgency(p), members(p), act]);
        }, $('tp-empty'));
    }

    async function load(query) {
        try {
            data = await WW.api('GET', '/training/proposals' + query);
        } catch (e) {
            data = null;
            if (e.status !== 401)
                $('tr-status').textContent = WW.errorText(e);
        }
        render();
    }

    WW.trainplan = { load: load, render: render };
})();
