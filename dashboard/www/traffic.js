// SPDX-License-Identifier: GPL-3.0-or-later
// traffic.js - the traffic overview of one office day (#/traffic, probe.read: admin, it):
// GET /api/v1/traffic?day= - the uplink to the province by hour (office hours marked by the
// office calendar, the busiest office hour named: the peak-hour picture for asking the
// province for more bandwidth), the top talkers of the latest windows, the protocol mix, the
// busiest service ports and the office subnets' totals. Times in the office zone.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    const CLASS = { tcp: 'traffic.class.tcp', udp: 'traffic.class.udp', icmp: 'traffic.class.icmp',
        other: 'traffic.class.other' };
    const OFFICE = { full: 'traffic.office_full', part: 'traffic.office_part', none: 'traffic.office_none' };
    let data = null;
    let state = 'idle';
    let day = ''; // YYYY-MM-DD asked for; '' = the office's today (the server's default)

    // bytes with a decimal prefix: 1500000 -> "1,5 MB" (units are symbols, not words)
    const oneFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
    function fmtBytes(b) {
        if (typeof b !== 'number' || !isFinite(b) || b < 0)
            return t('none');
        const u = ['B', 'kB', 'MB', 'GB', 'TB'];
        let i = 0;
        while (b >= 1000 && i < u.length - 1) {
            b /= 1000;
            i++;
        }
        return oneFmt.format(b) + '\u00a0' + u[i];
    }
    function bytesPkts(bytes, pkts) {
        return t('traffic.bytes_pkts', { bytes: fmtBytes(bytes), pkts: WW.fmtNum(pkts) });
    }
    const hourText = (h) => String(h.local_hour).padStart(2, '0') + ':00';

    // the busiest hour among the office ones (up + down), or null
    function peakHour(hours) {
        let best = null;
        hours.forEach((h) => {
            if (h.office_seconds > 0 && h.up_bytes + h.down_bytes > 0 &&
                (!best || h.up_bytes + h.down_bytes > best.up_bytes + best.down_bytes))
                best = h;
        });
        return best;
    }

    function renderSummary() {
        const box = $('tf-summary');
        WW.clear(box);
        if (state !== 'ok')
            return;
        const dayText = WW.fmtDay(data.day);
        if (!data.windows && !data.hours.some((h) => h.up_bytes || h.down_bytes)) {
            box.textContent = t('traffic.nothing', { day: dayText });
            return;
        }
        box.appendChild(document.createTextNode(t('traffic.summary', {
            day: dayText, bytes: fmtBytes(data.bytes), pkts: WW.fmtNum(data.pkts),
            windows: WW.fmtNum(data.windows) })));
        const peak = peakHour(data.hours);
        if (peak) {
            box.appendChild(document.createTextNode(' '));
            box.appendChild(el('strong', null, t('traffic.summary_peak', {
                hour: hourText(peak), up: fmtBytes(peak.up_bytes), down: fmtBytes(peak.down_bytes) })));
        }
    }

    function renderHours() {
        const list = state === 'ok' ? data.hours : [];
        const max = Math.max(1, ...list.map((h) => h.up_bytes));
        const peak = state === 'ok' ? peakHour(list) : null;
        WW.rows($('tf-hours').tBodies[0], list, (h) => {
            const office = h.office_seconds >= 3600 ? 'full' : h.office_seconds > 0 ? 'part' : 'none';
            const meter = el('meter');
            meter.min = 0;
            meter.max = max;
            meter.value = h.up_bytes;
            meter.setAttribute('aria-label', t('traffic.col_up') + ' ' + hourText(h));
            const tr = WW.row([hourText(h), WW.badge('office-' + office, t(OFFICE[office])),
                meter, fmtBytes(h.up_bytes), fmtBytes(h.down_bytes)], h === peak ? 'peak' : null);
            tr.setAttribute('data-hour', String(h.local_hour));
            return tr;
        });
    }

    function renderTables() {
        const ok = state === 'ok';
        const top = ok ? data.top : [];
        $('tf-top-range').textContent = ok && top.length && data.top_from
            ? t('traffic.top_range', { from: WW.fmtDate(data.top_from * 1000), to: WW.fmtDate(data.top_to * 1000) })
            : '';
        WW.rows($('tf-top').tBodies[0], top, (x) => {
            let dev = null;
            if (x.device_id) {
                dev = el('a', null, x.device);
                dev.href = '#/device/' + encodeURIComponent(x.device_id);
            }
            return WW.row([el('code', null, x.addr), dev, fmtBytes(x.bytes)]);
        }, ok ? $('tf-top-empty') : null);

        const mix = ok ? data.mix : [];
        const total = mix.reduce((s, m) => s + m.bytes, 0);
        WW.rows($('tf-mix').tBodies[0], mix, (m) => WW.row([
            CLASS[m.class] ? t(CLASS[m.class]) : m.class,
            WW.fmtNum(m.pkts), fmtBytes(m.bytes), WW.fmtPct(total ? (100 * m.bytes) / total : null)]),
        ok ? $('tf-mix-empty') : null);

        WW.rows($('tf-ports').tBodies[0], ok ? data.ports : [], (p) =>
            WW.row([el('code', null, p.port), WW.fmtNum(p.pkts), fmtBytes(p.bytes)]),
        ok ? $('tf-ports-empty') : null);

        WW.rows($('tf-subnets').tBodies[0], ok ? data.subnets : [], (s) =>
            WW.row([el('code', null, s.cidr), bytesPkts(s.tx_bytes, s.tx_pkts), bytesPkts(s.rx_bytes, s.rx_pkts)]),
        ok ? $('tf-subnets-empty') : null);
        if (!ok)
            ['tf-top-empty', 'tf-mix-empty', 'tf-ports-empty', 'tf-subnets-empty'].forEach((id) => { $(id).hidden = true; });
    }

    function render() {
        $('tf-status').textContent = state === 'loading' ? t('loading')
            : state === 'error' ? t('error.load_once') : '';
        renderSummary();
        renderHours();
        renderTables();
    }

    async function load() {
        state = 'loading';
        render();
        try {
            data = await WW.api('GET', '/traffic' + (day ? '?day=' + encodeURIComponent(day) : ''));
            state = 'ok';
            const input = $('tf-filter').elements.day;
            if (!input.value)
                input.value = WW.fmtDay(data.day);
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        render();
    }

    WW.page('traffic', {
        view: 'view-traffic',
        perm: 'probe.read',
        init: function () {
            $('tf-filter').addEventListener('submit', (ev) => {
                ev.preventDefault();
                const input = $('tf-filter').elements.day;
                const p = input.value.trim() ? WW.parseDay(input.value) : null;
                $('tf-error').hidden = !!p || !input.value.trim();
                $('tf-error').textContent = $('tf-error').hidden ? '' : t('traffic.bad_day');
                if (!p && input.value.trim())
                    return;
                day = p ? WW.dayISO(p) : '';
                load();
            });
        },
        show: load,
        relabel: render,
        render: render,
    });
})();
