// SPDX-License-Identifier: GPL-3.0-or-later
// device.js - one device (#/device/<id>, everyone): what it is, its uplink (parent; set by
// uptime.edit, with the neighbour-table suggestions), availability per period (24/7 and
// office hours), graphs (SVG drawn by the server; a graph without a metric file answers 404
// and is hidden) with a range selector and a legend of figures (GET /stats); loopback and
// quiet interfaces only on request; interfaces with rates and this month's 95th
// percentile, recent outages and events, LLDP/CDP neighbours, printer supplies; what SNMP
// found beside what people typed (marked where they differ), the 90-day health figures
// (GET /devices/{id}/health) and a row per disk with its own graph (volume).
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;
    const RANGES = ['day', 'week', 'month', 'year'];
    const PERIODS = ['day', '7d', '30d', '365d'];
    const SUPPLY_STATES = ['known', 'some_remaining', 'unknown', 'no_limit'];
    const HOSTLIKE = ['router', 'switch', 'firewall', 'ap', 'server', 'pc', 'other'];
    const MAX_IF_GRAPHS = 6;   // traffic graphs shown at once when no interface is picked
    const MAX_P95 = 48;        // interfaces whose p95 is asked for
    // interfaces that carry no traffic of the network's (IF-MIB ifType): other(1),
    // propVirtual(53), tunnel(131), softwareLoopback(24); their graphs wait for "show the others"
    const SOFT_IFTYPES = [1, 24, 53, 131];
    const MAX_ALL_GRAPHS = 24; // traffic graphs with the others shown
    const STATS = ['current', 'average', 'maximum', 'p95'];

    let id = '';
    let d = null;             // the device with its interfaces
    let avail = null, outages = [], events = [], nbs = [], all = [], suggest = [];
    let p95 = {};             // interface id -> p95 answer (null: none)
    let state = 'loading';    // loading, ok, missing, error
    let range = 'day';
    let seq = 0;              // answers for a device no longer on screen are dropped

    const canEdit = () => WW.can('uptime.edit');

    function fact(dl, key, value) {
        if (value === null || value === undefined || value === '')
            return;
        dl.appendChild(el('dt', null, t(key)));
        const dd = el('dd');
        if (value instanceof Node)
            dd.appendChild(value);
        else
            dd.textContent = String(value);
        dl.appendChild(dd);
    }

    // a device that does not answer: what was seen (inventory's cause code), what to check
    // (the checklist's lines are data: cause.<code>.1, .2, ... in the i18n files), the
    // last answer and its age, the open outage with a way to acknowledge it
    function renderTrouble() {
        const box = $('dv-trouble');
        box.hidden = !d.cause;
        if (!d.cause)
            return;
        box.setAttribute('data-cause', d.cause);
        $('dv-trouble-h').textContent = t('cause.' + d.cause + '.title');
        const parent = d.parent_name || t('none');
        $('dv-trouble-seen').textContent = t('cause.' + d.cause + '.seen', {
            parent: parent,
            reason: d.last_reason && WW.has('eventmsg.' + d.last_reason)
                ? t('eventmsg.' + d.last_reason, { detail: d.last_reason_param || '' })
                : (d.last_reason || t('none')),
        });
        $('dv-trouble-last').textContent = d.last_ok
            ? t('cause.last_ok', { time: WW.fmtDate(d.last_ok),
                age: WW.fmtDuration(Math.max(0, Math.floor(Date.now() / 1000) - d.last_ok)) })
            : t('cause.never_ok');
        const list = WW.clear($('dv-checklist'));
        for (let k = 1; WW.has('cause.' + d.cause + '.' + k); k++)
            list.appendChild(el('li', null, t('cause.' + d.cause + '.' + k, { parent: parent })));
        const p = WW.clear($('dv-trouble-outage'));
        const open = (outages || []).find((o) => !o.ended_at && !o.interface_id);
        if (open) {
            const a = el('a', 'btn' + (open.acked_at ? '' : ' btn-primary'),
                open.acked_at ? t('ol.acked_by', { name: open.acked_by || '?', time: WW.fmtDate(open.acked_at) })
                    : t(canEdit() ? 'cause.ack_outage' : 'cause.see_outage'));
            a.setAttribute('href', '#/outages?device=' + encodeURIComponent(d.id) + '&outage=' + open.id);
            a.id = 'dv-ack-link';
            p.appendChild(a);
        }
    }

    function renderFacts() {
        const dl = WW.clear($('dv-facts'));
        // measured values of a device that does not answer are its last ones: greyed, dated
        const stale = d.state === 'down' || d.state === 'unreachable';
        const asOf = d.last_ok ? t('dev.as_of', { time: WW.fmtDate(d.last_ok),
            age: WW.fmtDuration(Math.max(0, Math.floor(Date.now() / 1000) - d.last_ok)) }) : '';
        const measured = (key, value) => {
            if (value === null || value === undefined || value === '')
                return;
            fact(dl, key, value);
            if (stale) {
                const dd = dl.lastChild;
                dd.classList.add('stale');
                if (asOf)
                    dd.appendChild(el('span', 'as-of', ' ' + asOf));
            }
        };
        fact(dl, 'col.kind', WW.kindName(d.kind));
        fact(dl, 'col.host', d.host + (d.snmp_port && d.snmp_port !== 161 ? ':' + d.snmp_port : ''));
        fact(dl, 'dev.sys_name', d.sys_name);
        fact(dl, 'dev.sys_descr', d.sys_descr);
        /* what people entered first, else what the device said of itself (its profile) */
        const said = (name) => ((d.facts || []).find((f) => f.name === name) || {}).value;
        fact(dl, 'col.vendor_model',
            [d.vendor || said('vendor'), d.model || said('model')].filter((x) => x).join(' '));
        fact(dl, 'field.serial', d.serial || said('serial'));
        fact(dl, 'dev.firmware', said('firmware'));
        fact(dl, 'dev.os', said('os'));
        fact(dl, 'field.asset_tag', d.asset_tag);
        fact(dl, 'col.since', WW.fmtDate(d.state_since));
        measured('col.uptime', d.uptime_seconds === null ? null : WW.fmtUptime(d.uptime_seconds));
        fact(dl, 'dev.last_poll', d.last_poll ? WW.fmtDate(d.last_poll) : null);
        fact(dl, 'dev.last_ok', d.last_ok ? WW.fmtDate(d.last_ok) : null);
        fact(dl, 'dev.poll_ms', d.poll_ms === null ? null : t('dev.ms', { n: WW.fmtNum(d.poll_ms) }));
        const pct = (v) => (typeof v === 'number' ? WW.fmtPct(v) : null);
        measured('dev.cpu', pct(d.cpu_pct));
        measured('dev.mem', pct(d.mem_pct));
        measured('dev.disk', pct(d.disk_max_pct));
        measured('dev.ups_on_battery', typeof d.ups_on_battery === 'boolean'
            ? t(d.ups_on_battery ? 'yes' : 'no') : null);
        measured('dev.ups_runtime', typeof d.ups_runtime_min === 'number'
            ? t('uptime.minutes', { m: WW.fmtNum(Math.round(d.ups_runtime_min)) }) : null);
        measured('dev.ups_charge', pct(d.ups_charge_pct));
        measured('dev.supply', pct(d.supply_min_pct));
        fact(dl, 'dev.supplies', supplyList());
    }

    // the printer_supplies fact: each supply's level, or what the printer says instead of one
    // (collector.h enum coll_supply_state); a fact stored before states were: from level_pct
    function supplyList() {
        const f = (d.facts || []).find((x) => x.name === 'printer_supplies');
        let items = [];
        try {
            items = f ? JSON.parse(f.value) : [];
        } catch (e) {
            items = [];
        }
        if (!Array.isArray(items) || !items.length)
            return null;
        const ul = el('ul', 'supplies');
        items.forEach((s) => {
            const known = typeof s.level_pct === 'number';
            const st = SUPPLY_STATES.indexOf(s.state) >= 0 && (known || s.state !== 'known')
                ? s.state : (known ? 'known' : 'unknown');
            const li = el('li', 'supply-' + st);
            li.appendChild(el('span', 'supply-name', String(s.descr || '')));
            li.appendChild(document.createTextNode(' '));
            li.appendChild(el('span', 'supply-level', t('supply.' + st, { pct: WW.fmtPct(s.level_pct) })));
            ul.appendChild(li);
        });
        return ul;
    }

    function renderParent() {
        const p = WW.clear($('dv-parent'));
        if (d.parent_id)
            p.appendChild(WW.devLink(d.parent_id, d.parent_name));
        else
            p.textContent = t('dev.no_parent');
        const form = $('dv-parent-form');
        form.hidden = !canEdit();
        WW.clear($('dv-suggest'));
        if (!canEdit())
            return;
        const sel = $('dv-parent-select');
        WW.deviceSelect(sel, all.filter((x) => String(x.id) !== String(d.id)), t('dev.no_parent'));
        sel.value = d.parent_id ? String(d.parent_id) : '';
        suggest.filter((s) => String(s.device_id) === String(d.id)).forEach((s) => {
            const li = el('li');
            li.appendChild(el('span', null, t('dev.suggested', {
                name: s.parent_name, via: String(s.via || '').toUpperCase(),
                port: s.local_port || t('none'), remote: s.remote_port || t('none') })));
            li.appendChild(document.createTextNode(' '));
            li.appendChild(WW.button('dev.use_suggestion', 'btn-small', () => setParent(s.parent_id)));
            $('dv-suggest').appendChild(li);
        });
    }

    async function setParent(pid) {
        const box = $('dv-parent-error');
        WW.showError(box, '');
        try {
            await WW.api('PATCH', '/devices/' + encodeURIComponent(d.id),
                { parent_id: pid ? +pid : null });
            WW.notice(t('dev.parent_saved'), 'ok');
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(box, e);
        }
    }

    function renderAvail() {
        const periods = avail && avail.periods ? avail.periods : [];
        WW.rows($('dv-avail').tBodies[0], periods, (p) => {
            const tr = WW.row([WW.has('period.' + p.period) ? t('period.' + p.period) : p.period,
                WW.fmtPct(p.all.pct), WW.fmtPct(p.office.pct), WW.fmtDuration(p.all.down_s),
                WW.fmtDuration(p.all.unreachable_s), WW.fmtDuration(p.all.maintenance_s)]);
            tr.setAttribute('data-period', p.period);
            tr.cells[1].className = tr.cells[2].className = 'num-cell nowrap';
            return tr;
        });
    }

    // an interface of the network: not a loopback or software one, and some traffic now
    const carries = (i) => SOFT_IFTYPES.indexOf(i.type) < 0 && ((i.in_bps || 0) + (i.out_bps || 0)) > 0;

    // the row a per-row graph draws: an interface (traffic, errors) or a disk (volume)
    const rowParam = (g) => (g.iface ? '&interface=' + encodeURIComponent(g.iface.id)
        : g.disk ? '&disk=' + encodeURIComponent(g.disk.id) : '');

    // the figures of a legend in the page's language, in the graph's unit
    function fig(name, line, v) {
        if (typeof v !== 'number' || !isFinite(v))
            return t('none');
        const nf = new Intl.NumberFormat(WW.lang === 'en' ? 'en-GB' : 'vi-VN',
            { maximumFractionDigits: v !== 0 && Math.abs(v) < 10 ? 2 : 1 });
        if (name === 'traffic') {
            const u = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
            let k = 0;
            while (Math.abs(v) >= 1000 && k < u.length - 1) {
                v /= 1000;
                k++;
            }
            return nf.format(v) + '\u00a0' + u[k];
        }
        const unit = name === 'ups' ? (line === 0 ? 'pct' : 'min') : name === 'poll' ? 'ms'
            : name === 'errors' ? 'per_s' : 'pct';
        return t('graph.unit.' + unit, { n: nf.format(v) });
    }

    // the legend under a graph: each line's current, average, maximum and 95th percentile over
    // the range (GET /stats: from the rows the graph draws)
    async function legend(fig0, g, my) {
        let r;
        try {
            r = await WW.api('GET', '/devices/' + encodeURIComponent(d.id) + '/stats?name=' + g.name +
                rowParam(g) + '&range=' + range);
        } catch (e) {
            return; // no file (the image says so too) or the server is away (the banner says)
        }
        if (my !== seq || !r || !Array.isArray(r.lines) || !r.lines.some((x) => x.samples > 0))
            return; // nothing measured yet in this range: the graph alone says so
        const table = el('table', 'legend');
        const head = el('tr');
        head.appendChild(el('th', null, t('graph.stat.line')));
        STATS.forEach((k) => head.appendChild(el('th', 'num-cell', t('graph.stat.' + k))));
        table.appendChild(el('thead')).appendChild(head);
        const body = table.appendChild(el('tbody'));
        r.lines.forEach((x, n) => {
            const tr = WW.row([t('graph.' + g.name + '.legend' + (n + 1))]
                .concat(STATS.map((k) => fig(g.name, n, x[k]))));
            for (let c = 1; c <= STATS.length; c++)
                tr.cells[c].className = 'num-cell nowrap';
            body.appendChild(tr);
        });
        fig0.appendChild(table);
    }

    // the graphs worth asking for: a missing metric file answers 404 and hides its figure
    function graphList() {
        const ifs = d.interfaces || [];
        const pick = $('dv-if').value;
        const list = [];
        const others = $('dv-if-all').checked;
        let shown = pick ? ifs.filter((i) => String(i.id) === pick)
            : ifs.filter((i) => i.oper_status === 1 && (others || carries(i))).sort((a, b) =>
                ((b.in_bps || 0) + (b.out_bps || 0)) - ((a.in_bps || 0) + (a.out_bps || 0)))
                .slice(0, others ? MAX_ALL_GRAPHS : MAX_IF_GRAPHS);
        shown.forEach((i) => list.push({ name: 'traffic', iface: i }));
        if (shown.length)
            list.push({ name: 'errors', iface: shown[0] });
        const host = HOSTLIKE.indexOf(d.kind) >= 0;
        if (host || d.cpu_pct !== null)
            list.push({ name: 'cpu' });
        if (host || d.mem_pct !== null)
            list.push({ name: 'memory' });
        if (host || d.disk_max_pct !== null)
            list.push({ name: 'disk' });
        (d.disks || []).forEach((k) => list.push({ name: 'volume', disk: k }));
        if (d.kind === 'ups' || d.ups_charge_pct !== null || d.ups_runtime_min !== null)
            list.push({ name: 'ups' });
        if (d.kind === 'printer' || d.supply_min_pct !== null)
            list.push({ name: 'supplies' });
        list.push({ name: 'poll' });
        return list;
    }

    function renderGraphs() {
        document.querySelectorAll('#dv-ranges button').forEach((b) => {
            const on = b.getAttribute('data-range') === range;
            b.classList.toggle('active', on);
            b.setAttribute('aria-pressed', on ? 'true' : 'false');
        });
        const box = WW.clear($('dv-graphs'));
        const empty = $('dv-graphs-empty');
        const my = seq;
        let left = 0;
        // the plot as wide as the page has room for, so that its text keeps its size
        const cols = WW.phone() ? 1 : Math.max(1, Math.floor((box.clientWidth || 720) / 480));
        const plot = Math.min(1600, Math.max(200, Math.round(((box.clientWidth || 720) - (cols - 1) * 15) / cols - 110)));
        graphList().forEach((g) => {
            const title = g.iface ? t('graph.' + g.name, { name: g.iface.name || g.iface.key })
                : g.disk ? t('graph.' + g.name, { name: g.disk.descr || g.disk.key })
                    : t('graph.' + g.name);
            const fig = el('figure', 'graph');
            fig.setAttribute('data-graph', g.name + (g.iface ? '-' + g.iface.id : '') +
                (g.disk ? '-' + g.disk.id : ''));
            fig.appendChild(el('figcaption', null, title));
            const img = el('img');
            img.setAttribute('alt', title);
            img.addEventListener('error', () => {
                fig.hidden = true;
                if (--left === 0)
                    empty.hidden = false;
            });
            img.setAttribute('src', '/api/v1/devices/' + encodeURIComponent(d.id) + '/graph?name=' + g.name +
                rowParam(g) + '&range=' + range + '&lang=' + WW.lang + '&width=' + plot);
            fig.appendChild(img);
            box.appendChild(fig);
            legend(fig, g, my);
            left++;
        });
        empty.hidden = left > 0;
    }

    // switched off by someone (admin down) is not an outage; 7 lowerLayerDown is down too
    function ifState(i) {
        if (i.admin_status === 2)
            return 'off';
        return i.oper_status === 1 ? 'up' : i.oper_status === 2 || i.oper_status === 7 ? 'down'
            : 'unknown';
    }

    function p95Text(i) {
        const p = p95[i.id];
        if (!p || typeof p.p95_bps !== 'number')
            return t('none');
        return WW.fmtBps(p.p95_bps) + (typeof p.pct_of_speed === 'number'
            ? ' (' + WW.fmtPct(p.pct_of_speed) + ')' : '');
    }

    function renderIfs() {
        WW.rows($('dv-ifs').tBodies[0], d.interfaces || [], (i) => {
            const name = el('span');
            const b = el('button', 'linklike', i.name || i.key || String(i.if_index));
            b.type = 'button';
            b.setAttribute('title', t('dev.show_graphs'));
            b.addEventListener('click', () => {
                $('dv-if').value = String(i.id);
                renderGraphs();
                $('dv-graphs-h').scrollIntoView();
            });
            name.appendChild(b);
            if (i.alias || (i.descr && i.descr !== i.name))
                name.appendChild(el('span', 'sub', i.alias || i.descr));
            const tr = WW.row([name, WW.stateBadge(ifState(i)), i.oper_since ? WW.fmtDate(i.oper_since) : null,
                i.speed_bps ? WW.fmtBps(i.speed_bps) : null, WW.fmtBps(i.in_bps), WW.fmtBps(i.out_bps),
                p95Text(i)]);
            tr.setAttribute('data-if', String(i.id));
            for (let k = 3; k < 7; k++)
                tr.cells[k].className = 'num-cell nowrap';
            tr.cells[6].className += ' p95';
            return tr;
        }, $('dv-ifs-empty'));
    }

    function renderLists() {
        WW.rows($('dv-outages').tBodies[0], outages, (o) => {
            const tr = WW.row([WW.outageBadge(o), o.interface_name,
                WW.fmtDate(o.started_at), o.ended_at ? WW.fmtDate(o.ended_at) : t('events.ongoing'),
                WW.fmtDuration(o.duration_s)]);
            tr.cells[4].className = 'duration nowrap';
            return tr;
        }, $('dv-outages-empty'));
        $('dv-outages-all').setAttribute('href', '#/outages?device=' + encodeURIComponent(d.id));
        const f = document.createDocumentFragment();
        events.forEach((e) => f.appendChild(WW.eventItem(e)));
        WW.fill($('dv-events'), f);
        $('dv-events-empty').hidden = events.length > 0;
        WW.rows($('dv-nb').tBodies[0], nbs, (n) => {
            const who = el('span');
            who.appendChild(n.remote_device_id ? WW.devLink(n.remote_device_id, n.remote_device_name)
                : el('span', null, n.remote_name || n.remote_addr || t('none')));
            who.appendChild(el('span', 'sub', [String(n.protocol || '').toUpperCase(), n.remote_addr]
                .filter((x) => x).join(' · ')));
            return WW.row([n.local_port, who, n.remote_port]);
        }, $('dv-nb-empty'));
    }

    // ---- a device's records (issue 16): lifecycle fields, repairs, assignment history -----
    // the lists are inventory's (inv_device_statuses[], inv_device_criticalities[])
    const LIFE_STATUS = { in_stock: 'life.status.in_stock', in_use: 'life.status.in_use',
        on_loan: 'life.status.on_loan', in_repair: 'life.status.in_repair',
        broken: 'life.status.broken', to_dispose: 'life.status.to_dispose',
        disposed: 'life.status.disposed' };
    const LIFE_CRIT = { normal: 'life.crit.normal', one_stop_counter: 'life.crit.one_stop_counter',
        network_core: 'life.crit.network_core' };
    const LIFE_DAYS = ['in_service_date', 'warranty_end'];
    const LIFE_TEXTS = ['assigned_to', 'funding_source', 'notes'];
    // the repairs (records.read) and assignments (assignment.read) of device rec.id; null:
    // not (yet) loaded, or not the reader's to see
    const rec = { id: null, repairs: null, sum: 0, assigns: null, bound: false };
    // the staff records a holder may be (training.read: the names); null: not loaded
    let staffList = null;
    const lifeField = (form, k) => form.querySelector('[name=' + k + ']');

    function lifeWord(map, v) {
        return map[v] ? t(map[v]) : String(v || t('none'));
    }

    // the lifecycle form's values as a PATCH body (only what changed), or a complaint
    function lifeBody(form) {
        const out = {};
        const set = (k, v) => {
            if (JSON.stringify(v) !== JSON.stringify(d[k] === undefined ? null : d[k]))
                out[k] = v;
        };
        set('status', lifeField(form, 'status').value);
        set('criticality', lifeField(form, 'criticality').value);
        LIFE_TEXTS.forEach((k) => set(k, lifeField(form, k).value.trim() || null));
        // the holder as a staff record: the server writes the person's name as assigned_to
        if (!$('dv-life-staff-f').hidden) {
            const v = lifeField(form, 'assigned_staff_id').value;
            set('assigned_staff_id', v ? +v : null);
        }
        for (const k of LIFE_DAYS) {
            const v = lifeField(form, k).value.trim();
            const p = v ? WW.parseDay(v) : null;
            if (v && !p)
                return { error: t('life.bad_day', { field: t('field.' + k) }) };
            set(k, p ? WW.dayISO(p) : null);
        }
        const years = lifeField(form, 'lifespan_years').value.trim();
        if (years && !/^\d{1,2}$/.test(years))
            return { error: t('life.bad_years') };
        set('lifespan_years', years ? +years : null);
        return { body: out };
    }

    async function lifeSave(ev) {
        ev.preventDefault();
        const box = $('dv-life-error');
        const b = lifeBody(ev.target);
        WW.showError(box, b.error || '');
        if (b.error || !Object.keys(b.body).length)
            return;
        try {
            await WW.api('PATCH', '/devices/' + encodeURIComponent(d.id), b.body);
            WW.notice(t('life.saved'), 'ok');
            rec.id = null; // a new holder is a new row of the history
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(box, e);
        }
    }

    async function repairAdd(ev) {
        ev.preventDefault();
        const form = ev.target, box = $('dv-repair-error');
        const day = WW.parseDay(lifeField(form, 'day').value);
        const cost = lifeField(form, 'cost_vnd').value.replace(/[\s.,\u00a0₫]|vnd|đ/gi, '');
        if (!day)
            return WW.showError(box, t('life.bad_day', { field: t('repair.day') }));
        if (!/^\d{1,15}$/.test(cost || '0'))
            return WW.showError(box, t('repair.bad_cost'));
        WW.showError(box, '');
        try {
            await WW.api('POST', '/devices/' + encodeURIComponent(d.id) + '/repairs', {
                day: WW.dayISO(day), cost_vnd: +(cost || 0),
                work: lifeField(form, 'work').value.trim(),
                shop: lifeField(form, 'shop').value.trim() || null });
            form.reset();
            rec.id = null;
            renderLife();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError(box, e);
        }
    }

    async function repairRemove(r) {
        try {
            await WW.api('DELETE', '/repairs/' + encodeURIComponent(r.id));
            rec.id = null;
            renderLife();
        } catch (e) {
            if (e.status !== 401)
                WW.apiError($('dv-repair-error'), e);
        }
    }

    async function loadRecords(devId) {
        const q = encodeURIComponent(devId);
        rec.id = devId;
        rec.repairs = rec.assigns = null;
        const none = { items: null, cost_vnd_sum: 0 };
        try {
            const got = await Promise.all([
                WW.can('records.read') ? WW.api('GET', '/devices/' + q + '/repairs') : none,
                WW.can('assignment.read') ? WW.api('GET', '/devices/' + q + '/assignments') : none]);
            if (rec.id !== devId)
                return;
            rec.repairs = got[0].items;
            rec.sum = got[0].cost_vnd_sum;
            rec.assigns = got[1].items;
        } catch (e) {
            return; // the lists stay empty; the device itself is shown
        }
        if (d && String(d.id) === String(devId))
            renderLife();
    }

    // the holder's staff record, for a reader of the staff names (admin): a choice of people
    function renderStaffChoice() {
        const f = $('dv-life-staff-f'), sel = $('dv-life-staff');
        f.hidden = !WW.can('training.read') || !staffList;
        if (WW.can('training.read') && !staffList) {
            WW.api('GET', '/staff').then((r) => {
                staffList = r.items || [];
                renderStaffChoice();
            }).catch(() => { staffList = null; });
            return;
        }
        if (f.hidden)
            return;
        WW.clear(sel);
        const none = el('option', null, t('life.no_staff'));
        none.value = '';
        sel.appendChild(none);
        staffList.forEach((p) => {
            const o = el('option', null, p.full_name + (p.code ? ' (' + p.code + ')' : ''));
            o.value = String(p.id);
            sel.appendChild(o);
        });
        sel.value = d.assigned_staff_id ? String(d.assigned_staff_id) : '';
    }

    // the "Hồ sơ thiết bị" panel: the fields (a form for device.write), the repairs with an
    // add form, the assignment history with a link to each handover record
    function renderLife() {
        const edit = WW.can('device.write');
        const readR = WW.can('records.read'), readA = WW.can('assignment.read');
        const form = $('dv-life-form'), rform = $('dv-repair-form');
        if (!rec.bound) {
            form.addEventListener('submit', lifeSave);
            rform.addEventListener('submit', repairAdd);
            rec.bound = true;
        }
        const dl = WW.clear($('dv-life-facts'));
        fact(dl, 'field.status', lifeWord(LIFE_STATUS, d.status));
        fact(dl, 'field.criticality', lifeWord(LIFE_CRIT, d.criticality));
        fact(dl, 'field.assigned_to', d.assigned_to);
        fact(dl, 'field.unit_id', d.unit_name);
        fact(dl, 'field.location_id', d.location_name);
        LIFE_DAYS.forEach((k) => fact(dl, 'field.' + k, d[k] ? WW.fmtDay(d[k]) : ''));
        fact(dl, 'field.funding_source', d.funding_source);
        fact(dl, 'field.lifespan_years', d.lifespan_years);
        fact(dl, 'field.notes', d.notes);
        form.hidden = !edit;
        if (edit && document.activeElement && !form.contains(document.activeElement)) {
            WW.options($('dv-life-status'), Object.keys(LIFE_STATUS), (v) => lifeWord(LIFE_STATUS, v));
            WW.options($('dv-life-crit'), Object.keys(LIFE_CRIT), (v) => lifeWord(LIFE_CRIT, v));
            lifeField(form, 'status').value = d.status || 'in_use';
            lifeField(form, 'criticality').value = d.criticality || 'normal';
            LIFE_TEXTS.forEach((k) => { lifeField(form, k).value = d[k] || ''; });
            LIFE_DAYS.forEach((k) => { lifeField(form, k).value = d[k] ? WW.fmtDay(d[k]) : ''; });
            lifeField(form, 'lifespan_years').value = d.lifespan_years || '';
            renderStaffChoice();
        }
        rform.hidden = !edit || !readR;
        ['dv-repair-h', 'dv-repair-sum', 'dv-repairs-wrap'].forEach((k) => { $(k).hidden = !readR; });
        ['dv-assign-h', 'dv-assign-wrap'].forEach((k) => { $(k).hidden = !readA; });
        $('dv-repairs-empty').hidden = $('dv-assign-empty').hidden = true;
        if (!readR && !readA)
            return;
        if (String(rec.id) !== String(d.id)) {
            loadRecords(d.id);
            return;
        }
        $('dv-repair-sum').textContent = rec.repairs
            ? t('repair.sum', { cost: WW.fmtVND(rec.sum) }) : t('loading');
        if (readR) {
            WW.rows($('dv-repairs').tBodies[0], rec.repairs || [], (r) => WW.row([
                WW.fmtDay(r.day), r.work, r.shop || t('none'), WW.fmtVND(r.cost_vnd), r.actor,
                edit ? WW.button('repair.remove', 'btn-small', () => repairRemove(r)) : ''
            ]), $('dv-repairs-empty'));
        }
        if (readA) {
            WW.rows($('dv-assign').tBodies[0], rec.assigns || [], (a) => WW.row([
                a.assigned_to, WW.fmtDay(a.from), a.to ? WW.fmtDay(a.to) : t('assign.now'), a.by,
                WW.link('/api/v1/assignments/' + encodeURIComponent(a.id) + '/handover?lang=' +
                    encodeURIComponent(WW.lang), t('assign.handover'))
            ]), $('dv-assign-empty'));
        }
    }

    // GET /devices/{id}/@what once per device shown, kept in @fn.got ({failed: true} when it
    // failed); false when the page moved to another device meanwhile
    async function askOnce(fn, what) {
        const want = d.id;
        if (fn.id !== want) {
            fn.id = want;
            fn.got = null;
            try {
                fn.got = await WW.api('GET', '/devices/' + encodeURIComponent(want) + '/' + what);
            } catch (e) {
                fn.got = { failed: true };
            }
        }
        return !!d && d.id === want;
    }

    // readiness and age (GET /devices/{id}/readiness, inventory/rules): codes worded from the
    // ready.* keys; asked once per device shown, worded again on each render
    async function renderReady() {
        // the server's codes and their words (a code not listed here is left out, not shown raw)
        const WORDS = {
            ended: 'ready.support_ended', supported: 'ready.support_supported',
            unknown: 'ready.support_unknown',
        };
        const WIN11 = {
            ready: 'ready.win11_ready', likely: 'ready.win11_likely',
            not_ready: 'ready.win11_not_ready', unknown: 'ready.win11_unknown',
        };
        const SPEC = { ok: 'ready.spec_ok', below: 'ready.spec_below', unknown: 'ready.spec_unknown' };
        const WHY = {
            cpu_too_old: 'ready.r_cpu_too_old', ram_too_small: 'ready.r_ram_too_small',
            disk_too_small: 'ready.r_disk_too_small', cpu_unknown: 'ready.r_cpu_unknown',
            ram_unknown: 'ready.r_ram_unknown', disk_unknown: 'ready.r_disk_unknown',
            tpm_unknown: 'ready.r_tpm_unknown', ram_below: 'ready.r_ram_below',
            disk_below: 'ready.r_disk_below', cores_below: 'ready.r_cores_below',
            cores_unknown: 'ready.r_cores_unknown',
        };
        const word = (map, code) => (map[code] ? t(map[code]) : t('none'));
        const box = $('dv-ready');
        if (!await askOnce(renderReady, 'readiness'))
            return;
        const r = renderReady.got;
        WW.clear(box);
        if (!r || r.failed) { // still on its way (another render asked first), or failed
            box.appendChild(el('p', 'muted', t(r ? 'ready.unavailable' : 'loading')));
            return;
        }
        const why = (codes, p) => codes.filter((c) => WHY[c]).map((c) => t(WHY[c], p)).join('; ');
        const gb = (b) => WW.fmtNum(Math.round(b / 1e9)) + ' GB';
        const dl = el('dl', 'facts');
        fact(dl, 'ready.os', (WORDS[r.os.support] ? t(WORDS[r.os.support], { date: WW.fmtDay(r.os.ends_on) })
            : t('none'))
            + (r.os.name ? ' (' + r.os.name + ')' : ''));
        const w = r.win11;
        fact(dl, 'ready.win11', word(WIN11, w.verdict) +
            (w.reasons.length ? ': ' + why(w.reasons, {}) : ''));
        const s = r.min_spec;
        fact(dl, 'ready.min_spec', word(SPEC, s.verdict) + (s.reasons.length ? ': ' + why(s.reasons, {
            ram: gb(s.ram_min_bytes), disk: gb(s.disk_min_bytes), cores: WW.fmtNum(s.cores_min) }) : ''));
        const a = r.age;
        fact(dl, 'ready.age', a.years === null ? t('ready.age_unknown')
            : t('ready.age_years', { years: WW.fmtNum(a.years), life: WW.fmtNum(a.lifespan_years),
                left: WW.fmtNum(a.remaining_years) }));
        if (a.residual_vnd !== null)
            fact(dl, 'ready.value', t('ready.residual', { vnd: WW.fmtNum(a.residual_vnd),
                per_year: WW.fmtNum(a.depreciation_vnd_per_year) }));
        if (a.battery_lifespan_years)
            fact(dl, 'ready.battery', t('ready.battery_years', { years: WW.fmtNum(a.battery_lifespan_years) }));
        box.appendChild(dl);
    }


    // ---- what the collector measured, kept for the manager (issue 16 items 2 and 5) -------
    const fmtBytes = (b) => {
        if (typeof b !== 'number' || !isFinite(b) || b < 0)
            return t('none');
        const u = ['B', 'KB', 'MB', 'GB', 'TB'];
        let k = 0;
        while (b >= 1000 && k < u.length - 1) {
            b /= 1000;
            k++;
        }
        return new Intl.NumberFormat(WW.lang === 'en' ? 'en-GB' : 'vi-VN',
            { maximumFractionDigits: b < 10 && k ? 1 : 0 }).format(b) + '\u00a0' + u[k];
    };

    // what SNMP found (the facts) and, for vendor, model and serial, the typed value beside
    // the reported one: both shown, marked when they differ (the server compares them)
    function renderDisc() {
        // the fields the server compares (api_health.c); another is left out, not shown raw
        const FIELDS = { vendor: 'disc.field.vendor', model: 'disc.field.model',
            serial: 'disc.field.serial' };
        const dl = WW.clear($('dv-disc-facts'));
        const x = d.discovered || {};
        fact(dl, 'disc.os', x.os);
        fact(dl, 'disc.cpu', x.cpu_model ? (x.cpu_count > 1
            ? t('disc.cpu_count', { model: x.cpu_model, n: WW.fmtNum(x.cpu_count) }) : x.cpu_model) : null);
        fact(dl, 'disc.ram', typeof x.ram_bytes === 'number' ? fmtBytes(x.ram_bytes) : null);
        (d.compare || []).filter((c) => FIELDS[c.field]).forEach((c) => {
            const box = el('span', 'compare' + (c.differ ? ' differ' : ''));
            box.setAttribute('data-field', c.field);
            box.appendChild(el('span', 'typed', t('disc.typed', { v: c.typed || t('none') })));
            box.appendChild(document.createTextNode(' · '));
            box.appendChild(el('span', 'reported', t('disc.reported', { v: c.reported || t('none') })));
            if (c.typed && c.reported) {
                box.appendChild(document.createTextNode(' '));
                box.appendChild(WW.badge(c.differ ? 'down' : 'up', t(c.differ ? 'disc.differ' : 'disc.same')));
            }
            fact(dl, FIELDS[c.field], box);
        });
        fact(dl, 'disc.firmware', x.firmware);
        fact(dl, 'disc.last_seen', x.last_seen ? WW.fmtDate(x.last_seen) : null);
        $('dv-disc').hidden = !dl.firstChild;
    }

    // a row per disk: description, size, used %, last seen (a disk no longer reported keeps
    // its row and says so); its graph is among the graphs
    function renderDisks() {
        const newest = (d.disks || []).reduce((m, k) => (k.last_seen && k.last_seen > m ? k.last_seen : m), '');
        WW.rows($('dv-disks').tBodies[0], d.disks || [], (k) => {
            const name = el('span', 'disk-name', k.descr || k.key);
            // older than the device's newest disk by over a day: not reported any more
            const gone = k.last_seen && newest &&
                Date.parse(newest) - Date.parse(k.last_seen) > 86400 * 1000;
            if (gone)
                name.appendChild(el('span', 'sub', t('disks.gone')));
            const tr = WW.row([name, fmtBytes(k.size_bytes), WW.fmtPct(k.used_pct),
                WW.fmtDate(k.last_seen)]);
            tr.setAttribute('data-disk', String(k.id));
            if (k.full) // the server's health rule (INV_HEALTH_DISK_FULL_PCT)
                tr.classList.add('warn');
            tr.cells[1].className = tr.cells[2].className = 'num-cell nowrap';
            return tr;
        }, $('dv-disks-empty'));
    }

    // the 90-day figures of the daily roll-up, in words ("CPU cao 12/90 ngày"); asked once
    // per device shown
    async function renderHealth() {
        const box = $('dv-health-body'), want = d.id;
        if (renderHealth.id !== want) {
            renderHealth.id = want;
            renderHealth.got = null;
            try {
                renderHealth.got = await WW.api('GET', '/devices/' + encodeURIComponent(want) + '/health');
            } catch (e) {
                renderHealth.got = { failed: true };
            }
            if (!d || d.id !== want)
                return;
        }
        const h = renderHealth.got;
        WW.clear(box);
        if (!h || h.failed) {
            box.appendChild(el('p', 'muted', t(h ? 'health.unavailable' : 'loading')));
            return;
        }
        if (!h.days) {
            box.appendChild(el('p', 'muted', t('health.nodata')));
            return;
        }
        box.appendChild(el('p', 'muted', t('health.window', { from: WW.fmtDay(h.from),
            to: WW.fmtDay(h.to), days: WW.fmtNum(h.days) })));
        const ul = el('ul', 'health');
        const line = (key, n, days, bad) => {
            const li = el('li', bad ? 'warn' : null, t(key, { n: WW.fmtNum(n), days: WW.fmtNum(days) }));
            li.setAttribute('data-health', key.replace('health.', ''));
            ul.appendChild(li);
        };
        if (h.cpu_days)
            line('health.cpu', h.cpu_high_days, h.cpu_days, h.cpu_high_days > 0);
        if (h.mem_days)
            line('health.mem', h.mem_high_days, h.mem_days, h.mem_high_days > 0);
        if (h.disk_days)
            line('health.disk', h.disk_full_days, h.disk_days, h.disk_full_days > 0);
        line('health.reboots', h.reboots, 0, h.reboots > 0);
        const li = el('li', h.office_down_s > 0 ? 'warn' : null, h.office_s > 0
            ? t('health.office_down', { time: WW.fmtDuration(h.office_down_s), pct: WW.fmtPct(h.office_down_pct) })
            : t('health.office_none'));
        li.setAttribute('data-health', 'office_down');
        ul.appendChild(li);
        box.appendChild(ul);
    }

    // the replacement priority (GET /devices/{id}/score, plan.read): its terms in words
    async function renderScore() {
        const panel = $('dv-score-panel'), box = $('dv-score');
        panel.hidden = !WW.can('plan.read');
        if (panel.hidden || !await askOnce(renderScore, 'score'))
            return;
        const s = renderScore.got;
        WW.clear(box);
        if (!s || s.failed) {
            box.appendChild(el('p', 'muted', t(s ? 'error.load_once' : 'loading')));
            return;
        }
        box.appendChild(el('p', 'score-total', t('dev.score_total', { n: WW.fmtNum(s.score) })));
        if (!s.terms.length)
            box.appendChild(el('p', 'muted', t('dev.score_none')));
        const ul = el('ul', 'plain');
        s.terms.forEach((tm) => ul.appendChild(el('li', null, WW.termText(tm))));
        box.appendChild(ul);
    }

    function render() {
        const s = $('dv-status');
        s.classList.toggle('error', state === 'error' || state === 'missing');
        s.textContent = state === 'loading' ? t('loading') : state === 'missing' ? t('error.not_found')
            : state === 'error' ? t('error.load_once') : '';
        s.hidden = state === 'ok';
        $('dv-body').hidden = state !== 'ok';
        const badges = WW.clear($('dv-badges'));
        if (state !== 'ok') {
            $('dv-name').textContent = '';
            return;
        }
        $('dv-name').textContent = d.name;
        document.title = d.name + ' – ' + t('product');
        badges.appendChild(WW.stateBadge(WW.stateOf(d)));
        if (d.in_maintenance)
            badges.appendChild(WW.badge('maint', t('ol.maintenance')));
        renderTrouble();
        renderFacts();
        renderParent();
        renderReady();
        renderDisc();
        renderHealth();
        renderDisks();
        renderScore();
        renderAvail();
        renderGraphs();
        renderIfs();
        renderLists();
        renderLife();
    }

    function relabelIfs() {
        const sel = $('dv-if');
        const keep = sel.value;
        WW.clear(sel);
        const o = el('option', null, t('dev.if_busiest'));
        o.value = '';
        sel.appendChild(o);
        ((d && d.interfaces) || []).forEach((i) => {
            const x = el('option', null, i.name || i.key || String(i.if_index));
            x.value = String(i.id);
            sel.appendChild(x);
        });
        sel.value = keep;
        if (sel.selectedIndex < 0)
            sel.selectedIndex = 0;
    }

    async function load() {
        const my = ++seq;
        const q = encodeURIComponent(id);
        try {
            const got = await Promise.all([
                WW.api('GET', '/devices/' + q),
                WW.api('GET', '/devices/' + q + '/availability'),
                WW.api('GET', '/outages?device=' + q + '&limit=10'),
                WW.api('GET', '/events?device=' + q + '&limit=10'),
                WW.api('GET', '/devices/' + q + '/neighbors'),
                canEdit() ? WW.loadDevices() : [],
                canEdit() ? WW.api('GET', '/parent-suggestions') : { items: [] },
            ]);
            if (my !== seq)
                return;
            [d, avail] = got;
            outages = got[2].items;
            events = got[3].items;
            nbs = got[4].items;
            all = got[5];
            suggest = got[6].items;
            state = 'ok';
        } catch (e) {
            if (my !== seq || e.status === 401)
                return;
            state = e.status === 404 || e.status === 400 ? 'missing' : 'error';
        }
        relabelIfs();
        render();
        if (state === 'ok')
            loadP95(my);
    }

    // this month's p95 of each interface, a few at a time; a 404 (no metric file) is "—"
    async function loadP95(my) {
        const ifs = (d.interfaces || []).slice(0, MAX_P95).filter((i) => !(i.id in p95));
        for (let k = 0; k < ifs.length; k += 4) {
            await Promise.all(ifs.slice(k, k + 4).map((i) =>
                WW.api('GET', '/interfaces/' + encodeURIComponent(i.id) + '/p95')
                    .then((r) => { p95[i.id] = r; }, () => { p95[i.id] = null; })));
            if (my !== seq)
                return;
            renderIfs();
        }
    }

    WW.page('device', {
        view: 'view-device',
        init: function () {
            RANGES.forEach((r) => {
                const b = el('button', 'btn btn-small');
                b.type = 'button';
                b.setAttribute('data-range', r);
                b.addEventListener('click', () => {
                    range = r;
                    renderGraphs();
                });
                $('dv-ranges').appendChild(b);
            });
            $('dv-if').addEventListener('change', renderGraphs);
            $('dv-if-all').addEventListener('change', renderGraphs);
            $('dv-parent-form').addEventListener('submit', (ev) => {
                ev.preventDefault();
                setParent($('dv-parent-select').value);
            });
        },
        relabel: function () {
            document.querySelectorAll('#dv-ranges button').forEach((b) => {
                b.textContent = t('range.' + b.getAttribute('data-range'));
            });
            relabelIfs();
        },
        show: function () {
            const want = WW.hashArg();
            if (want !== id) {
                id = want;
                d = null;
                p95 = {};
                state = 'loading';
                $('dv-if').value = '';
                $('dv-if-all').checked = false;
            }
            render();
            load();
        },
        hide: function () {
            seq++;
        },
        reset: function () {
            id = '';
            d = null;
            all = [];
            p95 = {};
            state = 'loading';
        },
        render: function () {
            if (state === 'ok' || state === 'missing' || state === 'error')
                render();
        },
    });
})();
