// SPDX-License-Identifier: GPL-3.0-or-later
// devices.js - device management (permission device.write): the list with search, and the
// add / edit / delete forms, and the CSV import (a dry run's refusals by row and column). An edit sends only the fields that changed; an empty secret
// (community, v3 keys) leaves the stored one as it is: the UI never sees secrets.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    const TEXT_FIELDS = ['name', 'kind', 'host', 'snmp_version', 'vendor', 'model', 'serial',
        'asset_tag', 'v3_user', 'v3_level', 'v3_auth_proto', 'v3_priv_proto'];
    const SECRETS = ['snmp_community', 'v3_auth_key', 'v3_priv_key'];
    const V3_FIELDS = ['v3_user', 'v3_level', 'v3_auth_proto', 'v3_priv_proto'];

    let devices = [];
    let state = 'loading';
    let editing = null;   // the device being edited, or null when adding
    let deleting = null;  // the device waiting for a confirmation
    let original = {};    // form values when the form opened
    let units = [], locations = []; // for the unit and location selects

    const form = () => $('dm-form');
    const field = (name) => form().elements[name];

    // ---- the list ------------------------------------------------------------------------
    function row(dev) {
        const tr = el('tr');
        const st = WW.stateOf(dev);
        tr.setAttribute('data-id', String(dev.id));
        const name = el('td', 'name');
        name.appendChild(WW.devLink(dev.id, dev.name)); // to the device's own page
        tr.appendChild(name);
        tr.appendChild(el('td', null, WW.kindName(dev.kind)));
        tr.appendChild(el('td', 'mono', dev.host + (dev.snmp_port && dev.snmp_port !== 161
            ? ':' + dev.snmp_port : '')));
        const badge = el('td');
        badge.appendChild(el('span', 'badge badge-' + st, t('state.' + st)));
        tr.appendChild(badge);
        const vm = [dev.vendor, dev.model].filter((x) => x).join(' ');
        tr.appendChild(el('td', null, vm || t('none')));
        tr.appendChild(el('td', 'nowrap', WW.fmtDay(dev.purchase_date)));
        tr.appendChild(el('td', 'nowrap num-cell', WW.fmtVND(dev.cost_vnd)));
        tr.appendChild(el('td', null, dev.enabled === false ? t('no') : t('yes')));
        const actions = el('td', 'row-actions');
        actions.appendChild(WW.button('action.edit', 'btn-small', () => openForm(dev)));
        actions.appendChild(WW.button('action.delete', 'btn-small btn-danger-text',
            () => askDelete(dev)));
        tr.appendChild(actions);
        return tr;
    }

    function renderList() {
        const q = WW.fold($('dm-search').value.trim());
        const list = devices.filter((d) => WW.deviceMatches(d, q)).sort(WW.byName);
        const body = document.createDocumentFragment();
        list.forEach((d) => body.appendChild(row(d)));
        WW.fill($('dm-table').tBodies[0], body);
        const s = $('dm-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once')
            : t('devices.count', { shown: WW.fmtNum(list.length), total: WW.fmtNum(devices.length) });
        const empty = $('dm-empty');
        empty.hidden = state !== 'ok' || list.length > 0;
        empty.textContent = devices.length ? t('devices.no_match') : t('devices.empty');
    }

    async function load() {
        try {
            const got = await Promise.all([WW.loadDevices(), WW.api('GET', '/units'),
                WW.api('GET', '/locations')]);
            devices = got[0];
            units = got[1].items;
            locations = got[2].items;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        renderList();
    }

    // ---- the form ------------------------------------------------------------------------
    function showV3() {
        const v3 = field('snmp_version').value === '3';
        form().querySelectorAll('.v3').forEach((e) => { e.hidden = !v3; });
        $('dm-community-field').hidden = v3;
    }

    function costText(v) {
        return typeof v === 'number' && v >= 0 ? WW.fmtNum(v) : '';
    }

    // the unit and location selects: units that may take a device (not merged; the device's
    // own stays offered) and every location, by name
    function placeOptions(select, list, keepId) {
        WW.clear(select);
        const none = el('option', null, t('devmgmt.no_unit'));
        none.value = '';
        select.appendChild(none);
        list.filter((x) => !x.merged_into || x.id === keepId).slice().sort(WW.byName).forEach((x) => {
            const o = el('option', null, x.name);
            o.value = String(x.id);
            select.appendChild(o);
        });
        select.value = keepId ? String(keepId) : '';
        if (select.selectedIndex < 0)
            select.selectedIndex = 0;
    }

    function formTitle() {
        $('dm-form-h').textContent = editing ? t('devmgmt.edit_heading', { name: editing.name })
            : t('devmgmt.add_heading');
    }

    function openForm(dev) {
        closeConfirm();
        editing = dev || null;
        const f = form();
        f.reset();
        WW.showError($('dm-error'), '');
        const d = dev || { kind: 'router', snmp_version: '2c', snmp_port: 161, enabled: true };
        TEXT_FIELDS.forEach((k) => {
            const e = field(k);
            if (e.tagName === 'SELECT') {
                if (d[k])
                    e.value = d[k];
            } else {
                e.value = d[k] || '';
            }
        });
        field('snmp_port').value = d.snmp_port ? String(d.snmp_port) : '161';
        field('purchase_date').value = d.purchase_date ? WW.fmtDay(d.purchase_date) : '';
        field('cost_vnd').value = costText(d.cost_vnd);
        field('enabled').checked = d.enabled !== false;
        placeOptions($('dm-unit'), units, d.unit_id || 0);
        placeOptions($('dm-location'), locations, d.location_id || 0);
        SECRETS.forEach((k) => {
            field(k).value = '';
            field(k).setAttribute('placeholder', dev ? t('devmgmt.unchanged') : '');
        });
        $('dm-secret-hint').hidden = !dev;
        formTitle();
        showV3();
        original = values();
        f.hidden = false;
        field('name').focus();
    }

    function closeForm() {
        form().hidden = true;
        editing = null;
    }

    // what the form holds, as strings (cost, port and date still as typed)
    function values() {
        const v = {};
        TEXT_FIELDS.concat(SECRETS, ['snmp_port', 'purchase_date', 'cost_vnd']).forEach((k) => {
            v[k] = field(k).value.trim();
        });
        v.enabled = field('enabled').checked;
        v.unit_id = field('unit_id').value;
        v.location_id = field('location_id').value;
        return v;
    }

    // the JSON body, or a translated complaint
    function body(v) {
        if (!v.name)
            return { error: t('devmgmt.need_name') };
        if (!v.host)
            return { error: t('devmgmt.need_host') };
        const out = {};
        TEXT_FIELDS.forEach((k) => {
            if (V3_FIELDS.indexOf(k) >= 0 && v.snmp_version !== '3')
                return;
            out[k] = v[k] === '' ? null : v[k];
        });
        out.name = v.name;
        out.host = v.host;
        SECRETS.forEach((k) => {
            if (v[k] && (k === 'snmp_community' ? v.snmp_version !== '3' : v.snmp_version === '3'))
                out[k] = v[k];
        });
        if (!/^\d{1,5}$/.test(v.snmp_port) || +v.snmp_port < 1 || +v.snmp_port > 65535)
            return { error: t('devmgmt.bad_port') };
        out.snmp_port = +v.snmp_port;
        if (v.purchase_date) {
            const p = WW.parseDay(v.purchase_date);
            if (!p)
                return { error: t('devmgmt.bad_date') };
            out.purchase_date = WW.dayISO(p);
        } else {
            out.purchase_date = null;
        }
        if (v.cost_vnd) {
            const digits = v.cost_vnd.replace(/[\s.,\u00a0₫]|vnd|đ/gi, '');
            if (!/^\d{1,15}$/.test(digits))
                return { error: t('devmgmt.bad_cost') };
            out.cost_vnd = +digits;
        } else {
            out.cost_vnd = null;
        }
        out.enabled = v.enabled;
        out.unit_id = v.unit_id ? +v.unit_id : null;
        out.location_id = v.location_id ? +v.location_id : null;
        return { body: out };
    }

    async function onSubmit(ev) {
        ev.preventDefault();
        const now = values();
        const b = body(now);
        const errBox = $('dm-error');
        if (b.error) {
            WW.showError(errBox, b.error);
            return;
        }
        let send = b.body;
        if (editing) {
            // only what changed; a field the API did not tell us stays untouched unless typed
            const was = body(original).body || {};
            send = {};
            Object.keys(b.body).forEach((k) => {
                if (JSON.stringify(b.body[k]) !== JSON.stringify(was[k]))
                    send[k] = b.body[k];
            });
            if (!Object.keys(send).length) {
                closeForm();
                return;
            }
        } else {
            Object.keys(send).forEach((k) => {
                if (send[k] === null)
                    delete send[k];
            });
        }
        const submit = form().querySelector('button[type=submit]');
        submit.disabled = true;
        WW.showError(errBox, '');
        try {
            if (editing)
                await WW.api('PATCH', '/devices/' + encodeURIComponent(editing.id), send);
            else
                await WW.api('POST', '/devices', send);
            WW.notice(editing ? t('devmgmt.saved', { name: now.name })
                : t('devmgmt.added', { name: now.name }), 'ok');
            closeForm();
            await load();
        } catch (e) {
            if (e.status === 401)
                return;
            showApiError(errBox, e);
        } finally {
            submit.disabled = false;
        }
    }

    // a translated sentence, and the server's own detail (which field) next to it
    function showApiError(box, e) {
        WW.showError(box, WW.errorText(e));
        if (e.code === 'invalid' && e.detail) {
            box.appendChild(document.createTextNode(' '));
            box.appendChild(el('span', 'detail', '(' + e.detail + ')'));
        }
    }

    // ---- delete --------------------------------------------------------------------------
    function askDelete(dev) {
        closeForm();
        deleting = dev;
        $('dm-confirm-text').textContent = t('devmgmt.confirm_delete', { name: dev.name });
        WW.showError($('dm-confirm-error'), '');
        $('dm-confirm').hidden = false;
        $('dm-confirm-no').focus();
    }

    function closeConfirm() {
        $('dm-confirm').hidden = true;
        deleting = null;
    }

    async function doDelete() {
        if (!deleting)
            return;
        const dev = deleting;
        try {
            await WW.api('DELETE', '/devices/' + encodeURIComponent(dev.id));
            closeConfirm();
            WW.notice(t('devmgmt.deleted', { name: dev.name }), 'ok');
            await load();
        } catch (e) {
            if (e.status !== 401)
                showApiError($('dm-confirm-error'), e);
        }
    }

    // ---- the CSV import -------------------------------------------------------------------
    // A dry run lists the refusals by row and column; the import writes nothing unless every
    // row is valid, or the valid ones with "only valid rows" ticked (the server decides).
    let lastImport = null; // the last answer, re-rendered on a language change

    function importProblem(e) {
        const fieldWords = WW.has('field.' + e.field) ? t('field.' + e.field) : e.field;
        const param = e.params && typeof e.params.param === 'string' ? e.params.param : '';
        return WW.has('reason.' + e.reason)
            ? t('reason.' + e.reason, { field: fieldWords, param: param }) : e.reason;
    }

    function renderImport() {
        const status = $('dm-import-status');
        const wrap = $('dm-import-errors-wrap');
        if (!lastImport) {
            wrap.hidden = true;
            return;
        }
        const r = lastImport;
        status.classList.toggle('error', r.errors.length > 0 && !r.written);
        status.textContent = t(r.dry ? 'import.checked' : 'import.done', {
            rows: WW.fmtNum(r.rows), valid: WW.fmtNum(r.valid), written: WW.fmtNum(r.written) });
        const body = document.createDocumentFragment();
        r.errors.forEach((e) => {
            const tr = el('tr');
            tr.appendChild(el('td', 'num-cell', e.row ? WW.fmtNum(e.row) : t('none')));
            tr.appendChild(el('td', 'num-cell', e.column ? WW.fmtNum(e.column) : t('none')));
            tr.appendChild(el('td', null, importProblem(e)));
            body.appendChild(tr);
        });
        if (r.errors_more)
            body.appendChild(el('tr', null, el('td', null, t('import.more', { n: WW.fmtNum(r.errors_more) }))));
        WW.fill($('dm-import-errors').tBodies[0], body);
        wrap.hidden = r.errors.length === 0;
    }

    async function runImport(dry) {
        const file = $('dm-import-file').files[0];
        const status = $('dm-import-status');
        lastImport = null;
        renderImport();
        if (!file) {
            status.classList.add('error');
            status.textContent = t('import.no_file');
            return;
        }
        const q = dry ? '?dry_run=1' : $('dm-import-only-valid').checked ? '?only_valid=1' : '';
        const answer = await WW.importCsv('/devices/import' + q, await file.text(), status);
        if (!answer)
            return;
        lastImport = { dry: dry, rows: answer.rows || 0, valid: answer.valid || 0,
            written: answer.written || 0, errors: answer.errors || [],
            errors_more: answer.errors_more || 0 };
        renderImport();
        if (lastImport.written)
            await load();
    }

    WW.page('devices', {
        view: 'view-devices',
        perm: 'device.write',
        init: function () {
            form().addEventListener('submit', onSubmit);
            field('snmp_version').addEventListener('change', showV3);
            $('dm-add').addEventListener('click', () => openForm(null));
            $('dm-cancel').addEventListener('click', closeForm);
            $('dm-confirm-yes').addEventListener('click', doDelete);
            $('dm-confirm-no').addEventListener('click', closeConfirm);
            $('dm-search').addEventListener('input', renderList);
            $('dm-import-check').addEventListener('click', () => runImport(true));
            $('dm-import-go').addEventListener('click', () => runImport(false));
        },
        relabel: function () {
            WW.options($('dm-kind'), WW.KINDS, WW.kindName);
        },
        show: function () {
            closeForm();
            closeConfirm();
            state = devices.length ? 'ok' : 'loading';
            renderList();
            load();
        },
        hide: function () {
            closeForm();
            closeConfirm();
        },
        reset: function () {
            devices = units = locations = [];
            lastImport = null;
            $('dm-import-file').value = '';
            $('dm-import-status').textContent = '';
            renderImport();
            $('dm-search').value = '';
        },
        render: function () {
            renderList();
            renderImport();
            if (!form().hidden)
                formTitle();
            if (deleting)
                $('dm-confirm-text').textContent = t('devmgmt.confirm_delete', { name: deleting.name });
        },
    });
})();
