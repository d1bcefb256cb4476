// SPDX-License-Identifier: GPL-3.0-or-later
// maintenance.js - maintenance windows and holidays (#/maintenance, everyone reads;
// uptime.edit adds, changes, removes). Time inside a window counts neither as up nor as
// down; a holiday is not office time. Times are typed and shown in the office zone.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    let windows = [], holidays = [], devices = [];
    let state = 'loading';
    let editing = null;
    let year = 0;

    const canEdit = () => WW.can('uptime.edit');
    const thisYear = () => +WW.fmtDate(new Date()).slice(6, 10);

    function renderWindows() {
        WW.rows($('mt-table').tBodies[0], windows, (m) => {
            const name = el('span', null, m.name);
            if (m.active)
                name.appendChild(WW.badge('maint', t('mt.active')));
            const cells = [name, m.device_id ? WW.devLink(m.device_id, m.device_name) : t('mt.all_devices'),
                WW.fmtDate(m.starts_at), WW.fmtDate(m.ends_at), m.note, m.created_by];
            if (canEdit()) {
                const acts = el('span', 'row-actions');
                acts.appendChild(WW.button('action.edit', 'btn-small', () => openForm(m)));
                acts.appendChild(WW.button('action.delete', 'btn-small btn-danger-text', () =>
                    WW.ask($('mt-confirm'), t('mt.confirm_delete', { name: m.name }), async () => {
                        await WW.api('DELETE', '/maintenance/' + encodeURIComponent(m.id));
                        WW.notice(t('mt.deleted', { name: m.name }), 'ok');
                        await load();
                    })));
                cells.push(acts);
            }
            const tr = WW.row(cells);
            tr.setAttribute('data-id', String(m.id));
            tr.cells[0].className = 'name';
            tr.cells[2].className = tr.cells[3].className = 'nowrap';
            return tr;
        }, $('mt-empty'));
    }

    function renderHolidays() {
        WW.rows($('hd-table').tBodies[0], holidays, (h) => {
            const cells = [WW.fmtDay(h.day), h.name];
            if (canEdit())
                cells.push(WW.button('action.delete', 'btn-small btn-danger-text', () =>
                    WW.ask($('mt-confirm'), t('hd.confirm_delete', { day: WW.fmtDay(h.day), name: h.name }), async () => {
                        await WW.api('DELETE', '/holidays/' + encodeURIComponent(h.day));
                        await loadHolidays();
                    })));
            const tr = WW.row(cells);
            tr.setAttribute('data-day', String(h.day));
            return tr;
        }, $('hd-empty'));
    }

    function render() {
        const s = $('mt-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        document.querySelectorAll('#view-maintenance .edit-only').forEach((e) => { e.hidden = !canEdit(); });
        renderWindows();
        renderHolidays();
        if (!$('mt-form').hidden)
            formTitle();
    }

    async function load() {
        try {
            const got = await Promise.all([WW.api('GET', '/maintenance'), WW.loadDevices()]);
            windows = got[0].items;
            devices = got[1];
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    async function loadHolidays() {
        try {
            holidays = (await WW.api('GET', '/holidays?year=' + year)).items;
        } catch (e) {
            if (e.status === 401)
                return;
            holidays = [];
        }
        renderHolidays();
    }

    function years() {
        const y = thisYear();
        const list = [y - 1, y, y + 1, y + 2];
        if (list.indexOf(year) < 0)
            list.push(year);
        WW.options($('hd-year'), list.sort().map(String), (v) => v);
        $('hd-year').value = String(year);
    }

    // ---- the window form -------------------------------------------------------------------
    function formTitle() {
        $('mt-form-h').textContent = editing ? t('mt.edit', { name: editing.name }) : t('mt.add');
    }

    function openForm(m) {
        editing = m || null;
        const f = $('mt-form').elements;
        $('mt-form').reset();
        WW.showError($('mt-error'), '');
        WW.deviceSelect($('mt-device'), devices, t('mt.all_devices'));
        f.name.value = m ? m.name : '';
        f.device_id.value = m && m.device_id ? String(m.device_id) : '';
        f.starts_at.value = m ? WW.fmtDate(m.starts_at) : '';
        f.ends_at.value = m ? WW.fmtDate(m.ends_at) : '';
        f.note.value = m && m.note ? m.note : '';
        formTitle();
        $('mt-form').hidden = false;
        f.name.focus();
    }

    async function submit(ev) {
        ev.preventDefault();
        const f = $('mt-form').elements;
        const err = $('mt-error');
        const b = { name: f.name.value.trim(), device_id: f.device_id.value ? +f.device_id.value : null,
            starts_at: WW.parseDayTime(f.starts_at.value), ends_at: WW.parseDayTime(f.ends_at.value),
            note: f.note.value.trim() || null };
        if (!b.name)
            return WW.showError(err, t('mt.need_name'));
        if (b.starts_at === null || b.ends_at === null)
            return WW.showError(err, t('mt.bad_time'));
        if (b.ends_at <= b.starts_at)
            return WW.showError(err, t('mt.bad_range'));
        try {
            if (editing)
                await WW.api('PATCH', '/maintenance/' + encodeURIComponent(editing.id), b);
            else
                await WW.api('POST', '/maintenance', b);
            WW.notice(t('mt.saved', { name: b.name }), 'ok');
            $('mt-form').hidden = true;
            editing = null;
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    async function addHoliday(ev) {
        ev.preventDefault();
        const f = $('hd-form').elements;
        const err = $('hd-error');
        const p = WW.parseDay(f.day.value);
        const name = f.name.value.trim();
        if (!p)
            return WW.showError(err, t('audit.bad_date'));
        if (!name)
            return WW.showError(err, t('hd.need_name'));
        WW.showError(err, '');
        try {
            await WW.api('PUT', '/holidays/' + WW.dayISO(p), { name: name });
            $('hd-form').reset();
            year = p.y;
            years();
            await loadHolidays();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(err, e);
        }
    }

    WW.page('maintenance', {
        view: 'view-maintenance',
        init: function () {
            $('mt-add').addEventListener('click', () => openForm(null));
            $('mt-cancel').addEventListener('click', () => { $('mt-form').hidden = true; });
            $('mt-form').addEventListener('submit', submit);
            $('hd-form').addEventListener('submit', addHoliday);
            $('hd-year').addEventListener('change', () => {
                year = +$('hd-year').value;
                loadHolidays();
            });
        },
        show: function () {
            $('mt-form').hidden = $('mt-confirm').hidden = true;
            if (!year)
                year = thisYear();
            years();
            state = windows.length ? 'ok' : 'loading';
            render();
            load();
            loadHolidays();
        },
        reset: function () {
            windows = holidays = devices = [];
            year = 0;
            editing = null;
        },
        render: render,
    });
})();
