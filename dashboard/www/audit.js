// SPDX-License-Identifier: GPL-3.0-or-later
// audit.js - the audit log (permission audit.read): filters by actor, action prefix and a
// date range (days in the office zone), paging, and each entry's before -> after.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const PAGE = 50;
    const VALUE_CHARS = 80;

    let items = [];
    let total = 0;
    let offset = 0;
    let query = '';   // the filter part of the URL, as last applied
    let state = 'loading';

    function valueText(v) {
        if (v === null || v === undefined)
            return t('none');
        if (typeof v === 'string')
            return v === '' ? '""' : v;
        return JSON.stringify(v);
    }

    function changeLine(k, b, a, hasBefore, hasAfter) {
        const line = el('div', 'change');
        line.appendChild(el('span', 'key', k));
        line.appendChild(document.createTextNode(': '));
        if (hasBefore)
            line.appendChild(el('del', 'before', WW.truncate(valueText(b), VALUE_CHARS)));
        if (hasBefore || !hasAfter)
            line.appendChild(el('span', 'arrow', ' → '));
        if (hasAfter)
            line.appendChild(el('ins', 'after', WW.truncate(valueText(a), VALUE_CHARS)));
        else
            line.appendChild(el('span', 'gone', t('audit.removed')));
        return line;
    }

    // what an entry changed: for a change, the fields that differ ("field: before → after");
    // for a new or a removed record, its name and the other fields folded away
    function changes(entry) {
        const before = entry.before && typeof entry.before === 'object' ? entry.before : null;
        const after = entry.after && typeof entry.after === 'object' ? entry.after : null;
        const box = el('div', 'changes');
        if (!before && !after) {
            box.textContent = t('none');
            return box;
        }
        if (before && after) {
            const keys = Object.keys(before);
            Object.keys(after).forEach((k) => { if (keys.indexOf(k) < 0) keys.push(k); });
            keys.forEach((k) => {
                if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
                    box.appendChild(changeLine(k, before[k], after[k], true, true));
            });
            if (!box.firstChild)
                box.textContent = t('none');
            return box;
        }
        const rec = after || before;
        const keys = Object.keys(rec).filter((k) => k !== 'id' && rec[k] !== null && rec[k] !== undefined);
        const head = ['name', 'login'].filter((k) => keys.indexOf(k) >= 0);
        head.forEach((k) => {
            const line = changeLine(k, rec[k], rec[k], !after, !!after);
            line.classList.add('headline');
            box.appendChild(line);
        });
        const rest = keys.filter((k) => head.indexOf(k) < 0);
        if (rest.length) {
            const more = el('details');
            more.appendChild(el('summary', null, t('audit.more_fields', { n: WW.fmtNum(rest.length) })));
            rest.forEach((k) => more.appendChild(changeLine(k, rec[k], rec[k], !after, !!after)));
            box.appendChild(more);
        }
        return box;
    }

    function row(e) {
        const tr = el('tr');
        tr.setAttribute('data-action', String(e.action));
        tr.appendChild(el('td', 'nowrap', WW.fmtDate(e.at)));
        const who = el('td');
        who.appendChild(el('strong', null, e.actor || t('none')));
        const src = [WW.has('source.' + e.source) ? t('source.' + e.source) : e.source,
            e.remote_addr].filter((x) => x).join(' · ');
        if (src)
            who.appendChild(el('span', 'sub mono', src));
        tr.appendChild(who);
        const act = el('td');
        act.appendChild(el('span', 'action-name',
            WW.has('auditaction.' + e.action) ? t('auditaction.' + e.action) : String(e.action)));
        act.appendChild(el('span', 'sub mono', e.action));
        tr.appendChild(act);
        const obj = el('td');
        if (e.object_type) {
            obj.textContent = (WW.has('object.' + e.object_type) ? t('object.' + e.object_type)
                : e.object_type) + (e.object_id ? ' ' + e.object_id : '');
        } else {
            obj.textContent = t('none');
        }
        tr.appendChild(obj);
        const ch = el('td', 'changes-cell');
        ch.appendChild(changes(e));
        tr.appendChild(ch);
        return tr;
    }

    function render() {
        const body = document.createDocumentFragment();
        items.forEach((e) => body.appendChild(row(e)));
        WW.fill($('au-table').tBodies[0], body);
        WW.pagedState('au', state, items.length, offset, total);
    }

    async function load() {
        try {
            const data = await WW.api('GET', '/audit?limit=' + PAGE + '&offset=' + offset + query);
            items = data.items;
            total = data.total;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
            if (e.status === 403 || e.status === 400)
                WW.showError($('au-error'), WW.errorText(e));
        }
        render();
    }

    // the filter form -> "&actor=..&action=..&from=..&to=..", or a translated complaint
    function readFilter() {
        const f = $('au-filter').elements;
        let q = '';
        const actor = f.actor.value.trim(), action = f.action.value.trim();
        if (actor)
            q += '&actor=' + encodeURIComponent(actor);
        if (action)
            q += '&action=' + encodeURIComponent(action);
        let from = null, to = null;
        if (f.from.value.trim()) {
            const p = WW.parseDay(f.from.value);
            if (!p)
                return { error: t('audit.bad_date') };
            from = WW.dayStart(p);
            q += '&from=' + from;
        }
        if (f.to.value.trim()) {
            const p = WW.parseDay(f.to.value);
            if (!p)
                return { error: t('audit.bad_date') };
            to = WW.dayEnd(p); // the whole day
            q += '&to=' + to;
        }
        if (from !== null && to !== null && from > to)
            return { error: t('audit.bad_range') };
        return { query: q };
    }

    function apply(ev) {
        if (ev)
            ev.preventDefault();
        const r = readFilter();
        if (r.error) {
            WW.showError($('au-error'), r.error);
            return;
        }
        WW.showError($('au-error'), '');
        query = r.query;
        offset = 0;
        load();
    }

    WW.page('audit', {
        view: 'view-audit',
        perm: 'audit.read',
        init: function () {
            $('au-filter').addEventListener('submit', apply);
            $('au-clear').addEventListener('click', () => {
                $('au-filter').reset();
                apply();
            });
            WW.pager($('au-prev'), $('au-next'), PAGE,
                () => ({ offset: offset, shown: items.length, total: total }),
                (o) => { offset = o; load(); });
        },
        show: function () {
            state = items.length ? 'ok' : 'loading';
            render();
            load();
        },
        reset: function () {
            items = [];
            total = 0;
            offset = 0;
            query = '';
            $('au-filter').reset();
        },
        render: render,
    });
})();
