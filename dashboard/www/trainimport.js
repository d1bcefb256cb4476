// SPDX-License-Identifier: GPL-3.0-or-later
// trainimport.js - the import panel of the Training page (issue 17 item 6; hr and admin,
// permission training.write): a staff list or a training provider's attendance list as a
// CSV file (POST /staff/import, /training/import). The server checks and decides; here the
// refusals by row and column, or the rows it matched by name only, each with a person to
// choose, and a button that sends the choices with the file's digest (X-WW-Digest,
// X-WW-Confirm): a file changed in between is refused by the server. training.js calls
// WW.trainImport.init/render/reset; the panel's words are data-i18n keys, set on render.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el;
    const PATHS = { staff: '/staff/import', training: '/training/import' };
    const KIND_WORDS = { staff: 'trainimport.kind_staff', training: 'trainimport.kind_training' };
    const STATE_WORDS = { proposed: 'trainimport.proposed', ambiguous: 'trainimport.ambiguous',
        none: 'trainimport.none' };
    let box = null, reload = null;
    let last = null;   // the last answer: {kind, dry, body}
    let sent = null;   // the text of the file the answer is about (the confirmation resends it)

    function labelled(tag, key, cls) {
        const e = el(tag, cls);
        e.setAttribute('data-i18n', key);
        return e;
    }

    function build() {
        const kind = el('select');
        kind.name = 'kind';
        ['staff', 'training'].forEach((k) => {
            const o = labelled('option', KIND_WORDS[k]);
            o.value = k;
            kind.appendChild(o);
        });
        const file = el('input');
        file.type = 'file';
        file.name = 'file';
        file.accept = '.csv,text/csv';
        const f1 = el('label', 'field'), f2 = el('label', 'field');
        f1.append(labelled('span', 'trainimport.kind'), kind);
        f2.append(labelled('span', 'import.file'), file);
        const check = labelled('button', 'import.check', 'btn');
        const go = labelled('button', 'import.go', 'btn btn-primary');
        check.type = go.type = 'button';
        check.addEventListener('click', () => run(true));
        go.addEventListener('click', () => run(false));
        const status = el('p', 'status');
        status.setAttribute('role', 'status');
        status.id = 'ti-status';
        const errors = el('table');
        errors.id = 'ti-errors';
        const head = el('tr');
        ['import.row', 'import.column', 'import.problem'].forEach((k) => head.appendChild(labelled('th', k)));
        errors.appendChild(el('thead')).appendChild(head);
        errors.appendChild(el('tbody'));
        const errWrap = el('div', 'table-wrap');
        errWrap.id = 'ti-errors-wrap';
        errWrap.hidden = true;
        errWrap.appendChild(errors);
        const conf = el('div');
        conf.id = 'ti-confirm';
        conf.hidden = true;
        const ctab = el('table');
        ctab.id = 'ti-matches';
        const chead = el('tr');
        ['import.row', 'trainimport.state', 'trainimport.person'].forEach((k) => chead.appendChild(labelled('th', k)));
        ctab.appendChild(el('thead')).appendChild(chead);
        ctab.appendChild(el('tbody'));
        const cwrap = el('div', 'table-wrap');
        cwrap.appendChild(ctab);
        const cgo = labelled('button', 'trainimport.confirm', 'btn btn-primary');
        cgo.type = 'button';
        cgo.id = 'ti-confirm-go';
        cgo.addEventListener('click', confirm);
        const digest = el('p', 'hint');
        digest.id = 'ti-digest';
        conf.append(labelled('h3', 'trainimport.confirm_heading'), cwrap, digest, cgo);
        const form = el('div', 'panel filters');
        form.append(f1, f2, check, go);
        box.append(labelled('h2', 'trainimport.heading'), labelled('p', 'trainimport.hint', 'hint'),
            form, status, errWrap, conf);
    }

    function q(sel) { return box.querySelector(sel); }

    // a candidate as people read it: code, name, unit (the server's text, set as text)
    function personText(p) {
        return p.code + ' · ' + p.full_name + (p.unit ? ' · ' + p.unit : '');
    }

    function chooser(m) {
        if (m.state === 'none') { // nobody of that name: HR types the person's number
            const i = el('input');
            i.inputMode = 'numeric';
            i.maxLength = 18;
            i.setAttribute('aria-label', t('trainimport.person_id'));
            i.setAttribute('placeholder', t('trainimport.person_id'));
            i.setAttribute('data-row', m.row);
            return i;
        }
        const s = el('select');
        s.setAttribute('data-row', m.row);
        s.setAttribute('aria-label', t('trainimport.person'));
        if (m.state === 'ambiguous')
            s.appendChild(el('option', null, t('trainimport.choose'))).value = '';
        m.people.forEach((p) => {
            const o = el('option', null, personText(p));
            o.value = String(p.id);
            s.appendChild(o);
        });
        return s;
    }

    function render() {
        if (!box)
            return;
        box.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.getAttribute('data-i18n')); });
        const status = q('#ti-status');
        const errWrap = q('#ti-errors-wrap'), conf = q('#ti-confirm');
        if (!last) {
            errWrap.hidden = conf.hidden = true;
            return;
        }
        const r = last.body;
        const pending = r.status === 'confirm' || (r.pending > 0 && r.errors.length === 0);
        status.classList.toggle('error', r.errors.length > 0);
        status.textContent = pending ? t('trainimport.pending', { n: WW.fmtNum(r.pending) })
            : last.dry ? t('import.checked', { rows: WW.fmtNum(r.rows), valid: WW.fmtNum(r.valid) })
            : t('trainimport.done', { rows: WW.fmtNum(r.rows), written: WW.fmtNum(r.written),
                added: WW.fmtNum(r.added || 0), updated: WW.fmtNum(r.updated || 0) });
        const body = document.createDocumentFragment();
        r.errors.forEach((e) => {
            const tr = el('tr');
            tr.appendChild(el('td', 'num-cell', e.row ? WW.fmtNum(e.row) : t('none')));
            tr.appendChild(el('td', 'num-cell', e.column ? WW.fmtNum(e.column) : t('none')));
            tr.appendChild(el('td', null, e.message || e.reason)); // the server's words
            body.appendChild(tr);
        });
        if (r.errors_more)
            body.appendChild(el('tr', null, el('td', null, t('import.more', { n: WW.fmtNum(r.errors_more) }))));
        WW.fill(q('#ti-errors').tBodies[0], body);
        errWrap.hidden = r.errors.length === 0;
        const matches = r.matches || [];
        const mb = document.createDocumentFragment();
        matches.forEach((m) => {
            const tr = el('tr');
            tr.appendChild(el('td', 'num-cell', WW.fmtNum(m.row)));
            tr.appendChild(el('td', null, STATE_WORDS[m.state] ? t(STATE_WORDS[m.state]) : m.state));
            tr.appendChild(el('td')).appendChild(chooser(m));
            mb.appendChild(tr);
        });
        WW.fill(q('#ti-matches').tBodies[0], mb);
        q('#ti-digest').textContent = r.digest ? t('trainimport.digest') + ': ' + r.digest : '';
        conf.hidden = matches.length === 0 || last.kind !== 'training';
        q('#ti-confirm-go').disabled = r.errors.length > 0 || !!r.matches_more;
    }

    async function send(kind, dry, text, headers) {
        const answer = await WW.importCsv(PATHS[kind] + (dry ? '?dry_run=1' : ''), text,
            q('#ti-status'), headers);
        if (!answer)
            return;
        answer.errors = answer.errors || [];
        last = { kind: kind, dry: dry, body: answer };
        render();
        if (answer.written && reload)
            reload();
    }

    async function run(dry) {
        const file = q('input[type=file]').files[0];
        last = null;
        render();
        if (!file) {
            q('#ti-status').classList.add('error');
            q('#ti-status').textContent = t('import.no_file');
            return;
        }
        sent = await file.text();
        await send(q('select[name=kind]').value, dry, sent);
    }

    async function confirm() {
        const pairs = [];
        let missing = false;
        q('#ti-matches').querySelectorAll('[data-row]').forEach((c) => {
            const v = c.value.trim();
            if (!/^[0-9]{1,18}$/.test(v))
                missing = true;
            else
                pairs.push(c.getAttribute('data-row') + ':' + v);
        });
        if (missing || !last || !sent) {
            q('#ti-status').classList.add('error');
            q('#ti-status').textContent = t('trainimport.unconfirmed');
            return;
        }
        await send('training', false, sent, { 'X-WW-Digest': last.body.digest, 'X-WW-Confirm': pairs.join(',') });
    }

    WW.trainImport = {
        // @node: the page's empty panel; shown to training.write only; @onWritten: reload
        init: function (node, onWritten) {
            box = node;
            reload = onWritten;
            build();
        },
        render: function () {
            if (!box)
                return;
            box.hidden = !WW.can('training.write');
            render();
        },
        reset: function () {
            last = sent = null;
            if (box) {
                q('input[type=file]').value = '';
                q('#ti-status').textContent = '';
                render();
            }
        },
    };
})();
