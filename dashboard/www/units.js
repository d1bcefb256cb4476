// SPDX-License-Identifier: GPL-3.0-or-later
// units.js - org units with their mergers, and locations (#/units; everyone reads,
// units.write adds, changes, merges, removes). The tree is shown now, or as it was on a day
// the reader picks (the server answers from each device's unit history); a merged unit is
// greyed with "merged into X from dd/mm/yyyy". A merger asks for a confirmation first.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    // inventory's lists (inv_unit_levels[], inv_location_kinds[]), in the order offered
    const LEVELS = ['province', 'ward', 'department'];
    const LOCATION_KINDS = ['room', 'counter', 'store', 'server_room', 'other'];
    const DEPTH_MAX = 6; // deeper rows are indented as this one (style.css .depth-N)

    let units = [], locations = [];
    let at = null; // YYYY-MM-DD of the day shown, null = now
    let state = 'loading';
    let editing = null, merging = null, editingLoc = null;

    const canEdit = () => WW.can('units.write') && !at;
    const byName = (a, b) => WW.collator.compare(a.name || '', b.name || '') || a.id - b.id;
    const unitName = (id) => {
        const u = units.find((x) => x.id === id);
        return u ? u.name : t('none');
    };

    // the units in tree order: each followed by its children, by name; depth with each
    function treeOrder() {
        const ids = new Set(units.map((u) => u.id));
        const kids = new Map();
        units.forEach((u) => {
            const p = u.parent_id && ids.has(u.parent_id) ? u.parent_id : 0;
            if (!kids.has(p))
                kids.set(p, []);
            kids.get(p).push(u);
        });
        const out = [], seen = new Set();
        const walk = (p, depth) => (kids.get(p) || []).slice().sort(byName).forEach((u) => {
            if (seen.has(u.id))
                return;
            seen.add(u.id);
            out.push({ u: u, depth: depth });
            walk(u.id, depth + 1);
        });
        walk(0, 0);
        return out;
    }

    // the unit and every unit under it (a merger's target may not be one of them)
    function subtree(id) {
        const out = new Set([id]);
        let grew = true;
        while (grew) {
            grew = false;
            units.forEach((u) => {
                if (u.parent_id && out.has(u.parent_id) && !out.has(u.id)) {
                    out.add(u.id);
                    grew = true;
                }
            });
        }
        return out;
    }

    // a row's Edit and Delete buttons; Delete asks first, then removes @path and reloads
    function editDelete(acts, onEdit, ask, path, done) {
        acts.appendChild(WW.button('action.edit', 'btn-small', onEdit));
        acts.appendChild(WW.button('action.delete', 'btn-small btn-danger-text', () =>
            WW.ask($('un-confirm'), ask, async () => {
                await WW.api('DELETE', path);
                WW.notice(done, 'ok');
                await load();
            })));
    }

    function renderTree() {
        const list = treeOrder();
        $('un-tree-h').textContent = at ? t('units.as_of', { day: WW.fmtDay(at) }) : t('units.now');
        WW.rows($('un-table').tBodies[0], list, (it) => {
            const u = it.u;
            const merged = !!u.merged_into;
            const cells = [el('span', 'unit-name depth-' + Math.min(it.depth, DEPTH_MAX), u.name), u.code,
                WW.has('level.' + u.level) ? t('level.' + u.level) : u.level, WW.fmtNum(u.devices),
                u.valid_from ? WW.fmtDay(u.valid_from) : t('none'),
                merged ? t('units.merged', { into: u.merged_into_name || t('none'), day: WW.fmtDay(u.valid_to) })
                    : t('units.active')];
            if (canEdit()) {
                const acts = el('span', 'row-actions');
                if (!merged) {
                    editDelete(acts, () => openForm(u), t('units.confirm_delete', { name: u.name }),
                        '/units/' + encodeURIComponent(u.id), t('units.deleted', { name: u.name }));
                    acts.insertBefore(WW.button('units.merge', 'btn-small merge', () => openMerge(u)),
                        acts.lastChild);
                }
                cells.push(acts);
            }
            const tr = WW.row(cells, merged ? 'merged' : null);
            tr.setAttribute('data-id', String(u.id));
            tr.setAttribute('data-code', String(u.code || ''));
            return tr;
        }, $('un-empty'));
        $('un-empty').textContent = at ? t('units.empty_at') : t('units.empty');
    }

    function renderLocations() {
        WW.rows($('loc-table').tBodies[0], locations, (l) => {
            const cells = [l.name, WW.has('lockind.' + l.kind) ? t('lockind.' + l.kind) : l.kind,
                l.unit_id ? l.unit_name : t('loc.shared'), l.building, l.room];
            if (WW.can('units.write')) {
                const acts = el('span', 'row-actions');
                editDelete(acts, () => openLocation(l), t('loc.confirm_delete', { name: l.name }),
                    '/locations/' + encodeURIComponent(l.id), t('loc.deleted', { name: l.name }));
                cells.push(acts);
            }
            const tr = WW.row(cells);
            tr.setAttribute('data-id', String(l.id));
            return tr;
        }, $('loc-empty'));
    }

    function render() {
        const s = $('un-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        document.querySelectorAll('#view-units .edit-only').forEach((e) => { e.hidden = !canEdit(); });
        $('loc-add').hidden = !WW.can('units.write');
        document.querySelectorAll('#loc-table .edit-only').forEach((e) => { e.hidden = !WW.can('units.write'); });
        renderTree();
        renderLocations();
        if (!$('un-form').hidden)
            formTitle();
        if (!$('un-merge').hidden && merging)
            $('un-merge-h').textContent = t('units.merge_heading', { name: merging.name });
        if (!$('loc-form').hidden)
            $('loc-form-h').textContent = editingLoc ? t('loc.edit', { name: editingLoc.name }) : t('loc.add');
    }

    async function load() {
        try {
            const got = await Promise.all([WW.api('GET', '/units' + (at ? '?at=' + at : '')),
                WW.api('GET', '/locations')]);
            units = got[0].items;
            locations = got[1].items;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    // a <select> of the units one may hang something on (not merged, not in @skip)
    function unitOptions(select, skip, first) {
        const keep = select.value;
        WW.clear(select);
        if (first) {
            const o = el('option', null, first);
            o.value = '';
            select.appendChild(o);
        }
        treeOrder().forEach((it) => {
            if (it.u.merged_into || (skip && skip.has(it.u.id)))
                return;
            const o = el('option', null, '\u00a0\u00a0'.repeat(Math.min(it.depth, DEPTH_MAX)) + it.u.name);
            o.value = String(it.u.id);
            select.appendChild(o);
        });
        select.value = keep;
        if (select.selectedIndex < 0)
            select.selectedIndex = 0;
    }

    // dd/mm/yyyy into YYYY-MM-DD; '' stays null; undefined when it is not a day
    function dayOf(text) {
        if (!text.trim())
            return null;
        const p = WW.parseDay(text);
        return p ? WW.dayISO(p) : undefined;
    }

    // ---- the unit form ---------------------------------------------------------------------
    function formTitle() {
        $('un-form-h').textContent = editing ? t('units.edit', { name: editing.name }) : t('units.add');
    }

    function closeForms() {
        $('un-form').hidden = $('un-merge').hidden = $('loc-form').hidden = $('un-confirm').hidden = true;
        editing = merging = editingLoc = null;
    }

    function openForm(u) {
        closeForms();
        editing = u || null;
        const f = $('un-form').elements;
        $('un-form').reset();
        WW.showError($('un-error'), '');
        WW.options($('un-level'), LEVELS, (v) => t('level.' + v));
        unitOptions($('un-parent'), u ? subtree(u.id) : null, t('units.no_parent'));
        f.code.value = u ? u.code || '' : '';
        f.name.value = u ? u.name : '';
        f.level.value = u ? u.level : 'ward';
        f.parent_id.value = u && u.parent_id ? String(u.parent_id) : '';
        f.valid_from.value = u && u.valid_from ? WW.fmtDay(u.valid_from) : '';
        formTitle();
        $('un-form').hidden = false;
        f.code.focus();
    }

    async function submit(ev) {
        ev.preventDefault();
        const f = $('un-form').elements;
        const err = $('un-error');
        const b = { code: f.code.value.trim(), name: f.name.value.trim(), level: f.level.value,
            parent_id: f.parent_id.value ? +f.parent_id.value : null, valid_from: dayOf(f.valid_from.value) };
        if (!b.code)
            return WW.showError(err, t('units.need_code'));
        if (!b.name)
            return WW.showError(err, t('units.need_name'));
        if (b.valid_from === undefined)
            return WW.showError(err, t('units.bad_day'));
        try {
            if (editing)
                await WW.api('PATCH', '/units/' + encodeURIComponent(editing.id), b);
            else
                await WW.api('POST', '/units', b);
            WW.notice(t('units.saved', { name: b.name }), 'ok');
            closeForms();
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    // ---- the merger: a form, then a confirmation -------------------------------------------
    function openMerge(u) {
        closeForms();
        merging = u;
        const f = $('un-merge').elements;
        $('un-merge').reset();
        WW.showError($('un-merge-error'), '');
        unitOptions($('un-into'), subtree(u.id), null);
        f.day.value = WW.fmtDate(new Date()).slice(0, 10);
        $('un-merge-h').textContent = t('units.merge_heading', { name: u.name });
        $('un-merge').hidden = false;
        f.into.focus();
    }

    function mergeAsk(ev) {
        ev.preventDefault();
        const f = $('un-merge').elements;
        const err = $('un-merge-error');
        const from = merging, into = f.into.value ? +f.into.value : 0, day = dayOf(f.day.value);
        if (!into)
            return WW.showError(err, t('units.need_into'));
        if (!day)
            return WW.showError(err, t('units.bad_day'));
        WW.showError(err, '');
        WW.ask($('un-confirm'), t('units.merge_confirm', { from: from.name, into: unitName(into),
            day: WW.fmtDay(day) }), async () => {
            await WW.api('POST', '/units/' + encodeURIComponent(from.id) + '/merge', { into: into, day: day });
            WW.notice(t('units.merged_ok', { from: from.name, into: unitName(into) }), 'ok');
            closeForms();
            await load();
        }, 'units.merge');
    }

    // ---- locations -------------------------------------------------------------------------
    function openLocation(l) {
        closeForms();
        editingLoc = l || null;
        const f = $('loc-form').elements;
        $('loc-form').reset();
        WW.showError($('loc-error'), '');
        WW.options($('loc-kind'), LOCATION_KINDS, (v) => t('lockind.' + v));
        unitOptions($('loc-unit'), null, t('loc.shared'));
        f.name.value = l ? l.name : '';
        f.kind.value = l ? l.kind : 'room';
        f.unit_id.value = l && l.unit_id ? String(l.unit_id) : '';
        ['building', 'room', 'address'].forEach((k) => { f[k].value = l && l[k] ? l[k] : ''; });
        $('loc-form-h').textContent = l ? t('loc.edit', { name: l.name }) : t('loc.add');
        $('loc-form').hidden = false;
        f.name.focus();
    }

    async function submitLocation(ev) {
        ev.preventDefault();
        const f = $('loc-form').elements;
        const err = $('loc-error');
        const b = { name: f.name.value.trim(), kind: f.kind.value,
            unit_id: f.unit_id.value ? +f.unit_id.value : null };
        ['building', 'room', 'address'].forEach((k) => { b[k] = f[k].value.trim() || null; });
        if (!b.name)
            return WW.showError(err, t('loc.need_name'));
        try {
            if (editingLoc)
                await WW.api('PATCH', '/locations/' + encodeURIComponent(editingLoc.id), b);
            else
                await WW.api('POST', '/locations', b);
            WW.notice(t('loc.saved', { name: b.name }), 'ok');
            closeForms();
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    // ---- the day shown ---------------------------------------------------------------------
    function showDay(ev) {
        ev.preventDefault();
        const day = dayOf($('un-at').value);
        if (day === undefined)
            return WW.showError($('un-at-error'), t('units.bad_day'));
        WW.showError($('un-at-error'), '');
        at = day;
        closeForms();
        state = 'loading';
        render();
        load();
    }

    WW.page('units', {
        view: 'view-units',
        init: function () {
            $('un-add').addEventListener('click', () => openForm(null));
            $('un-cancel').addEventListener('click', closeForms);
            $('un-form').addEventListener('submit', submit);
            $('un-merge').addEventListener('submit', mergeAsk);
            $('un-merge-cancel').addEventListener('click', closeForms);
            $('loc-add').addEventListener('click', () => openLocation(null));
            $('loc-cancel').addEventListener('click', closeForms);
            $('loc-form').addEventListener('submit', submitLocation);
            $('un-at-form').addEventListener('submit', showDay);
            $('un-today').addEventListener('click', (ev) => {
                $('un-at').value = '';
                showDay(ev);
            });
        },
        show: function () {
            closeForms();
            state = units.length ? 'ok' : 'loading';
            render();
            load();
        },
        reset: function () {
            units = locations = [];
            at = null;
            closeForms();
        },
        render: render,
    });
})();
