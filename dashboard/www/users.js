// SPDX-License-Identifier: GPL-3.0-or-later
// users.js - user accounts (permission user.admin): list, add with a role and an initial
// password, change role, disable/enable, reset a password, unblock a login that too many
// wrong passwords blocked (from some addresses only: the others can still log in).
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, el = WW.el, $ = WW.$;

    let users = [];
    let state = 'loading';
    let resetting = null; // the user whose password is being reset

    function userName(u) {
        return u.full_name ? u.full_name + ' (' + u.login + ')' : u.login;
    }

    async function patch(u, change, okKey) {
        try {
            await WW.api('PATCH', '/users/' + encodeURIComponent(u.id), change);
            WW.notice(t(okKey, { name: userName(u) }), 'ok');
            await load();
            return true;
        } catch (e) {
            if (e.status !== 401)
                WW.notice(WW.errorText(e), 'error');
            renderList(); // put a changed select back
            return false;
        }
    }

    async function unlock(u) {
        try {
            await WW.api('POST', '/users/' + encodeURIComponent(u.id) + '/unlock');
            WW.notice(t('users.unlocked_ok', { name: userName(u) }), 'ok');
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.notice(WW.errorText(e), 'error');
        }
    }

    function row(u) {
        const tr = el('tr');
        tr.setAttribute('data-login', u.login);
        if (!u.enabled)
            tr.className = 'disabled';
        tr.appendChild(el('td', 'mono', u.login));
        tr.appendChild(el('td', 'name', u.full_name || t('none')));

        const roleCell = el('td', 'role-cell');
        const sel = el('select', 'role-select');
        sel.setAttribute('aria-label', t('users.role_of', { name: userName(u) }));
        WW.options(sel, WW.ROLES, WW.roleName);
        if (WW.ROLES.indexOf(u.role) < 0) { // a role this UI does not know yet
            const o = el('option', null, String(u.role));
            o.value = u.role;
            sel.appendChild(o);
        }
        sel.value = u.role;
        const save = WW.button('users.change_role', 'btn-small', () =>
            patch(u, { role: sel.value }, 'users.role_changed'));
        save.disabled = true;
        sel.addEventListener('change', () => { save.disabled = sel.value === u.role; });
        roleCell.appendChild(sel);
        roleCell.appendChild(save);
        tr.appendChild(roleCell);

        const st = el('td');
        st.appendChild(el('span', 'badge ' + (u.enabled ? 'badge-up' : 'badge-off'),
            u.enabled ? t('users.enabled') : t('users.disabled')));
        if (u.locked) {
            const lk = el('span', 'badge badge-down user-locked',
                t('users.locked', { n: WW.fmtNum(u.locked_addresses) }));
            lk.title = t('users.locked_title', { time: WW.fmtDate(u.locked_until) });
            st.appendChild(document.createTextNode(' '));
            st.appendChild(lk);
        }
        tr.appendChild(st);
        tr.appendChild(el('td', 'nowrap', WW.fmtDate(u.last_login_at)));
        tr.appendChild(el('td', 'nowrap', WW.fmtDate(u.created_at)));

        const actions = el('td', 'row-actions');
        if (u.enabled)
            actions.appendChild(WW.button('users.disable', 'btn-small btn-danger-text', () =>
                patch(u, { enabled: false }, 'users.disabled_ok')));
        else
            actions.appendChild(WW.button('users.enable', 'btn-small', () =>
                patch(u, { enabled: true }, 'users.enabled_ok')));
        actions.appendChild(WW.button('users.reset_password', 'btn-small', () => openReset(u)));
        if (u.locked)
            actions.appendChild(WW.button('users.unlock', 'btn-small btn-unlock', () => unlock(u)));
        tr.appendChild(actions);
        return tr;
    }

    function renderList() {
        const list = users.slice().sort((a, b) =>
            WW.collator.compare(a.full_name || a.login, b.full_name || b.login) ||
            WW.collator.compare(a.login, b.login));
        const body = document.createDocumentFragment();
        list.forEach((u) => body.appendChild(row(u)));
        WW.fill($('us-table').tBodies[0], body);
        const s = $('us-status');
        s.classList.toggle('error', state === 'error');
        s.textContent = state === 'loading' ? t('loading') : state === 'error' ? t('error.load_once')
            : t('users.count', { n: WW.fmtNum(users.length) });
    }

    async function load() {
        try {
            const data = await WW.api('GET', '/users');
            users = data.items;
            state = 'ok';
        } catch (e) {
            if (e.status === 401)
                return;
            state = 'error';
        }
        renderList();
    }

    // ---- add -----------------------------------------------------------------------------
    function openAdd() {
        closeReset();
        const f = $('us-form');
        f.reset();
        f.elements.role.value = 'viewer';
        WW.showError($('us-error'), '');
        f.hidden = false;
        f.elements.login.focus();
    }
    function closeAdd() { $('us-form').hidden = true; }

    async function onAdd(ev) {
        ev.preventDefault();
        const f = $('us-form');
        const login = f.elements.login.value.trim();
        const name = f.elements.full_name.value.trim();
        const role = f.elements.role.value;
        const pw = f.elements.password.value;
        const errBox = $('us-error');
        if (!/^[a-z0-9._-]{2,64}$/.test(login)) {
            WW.showError(errBox, t('users.bad_login'));
            return;
        }
        if (Array.from(pw).length < 10) {
            WW.showError(errBox, t('error.password_too_short'));
            return;
        }
        const submit = f.querySelector('button[type=submit]');
        submit.disabled = true;
        WW.showError(errBox, '');
        try {
            const body = { login: login, role: role, password: pw };
            if (name)
                body.full_name = name;
            await WW.api('POST', '/users', body);
            WW.notice(t('users.added', { name: name || login }), 'ok');
            closeAdd();
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.showError(errBox, WW.errorText(e));
        } finally {
            submit.disabled = false;
        }
    }

    // ---- reset password ------------------------------------------------------------------
    function openReset(u) {
        closeAdd();
        resetting = u;
        const f = $('us-reset');
        f.reset();
        $('us-reset-h').textContent = t('users.reset_heading', { name: userName(u) });
        WW.showError($('us-reset-error'), '');
        f.hidden = false;
        f.elements.password.focus();
    }
    function closeReset() {
        $('us-reset').hidden = true;
        resetting = null;
    }

    async function onReset(ev) {
        ev.preventDefault();
        if (!resetting)
            return;
        const pw = $('us-reset').elements.password.value;
        const errBox = $('us-reset-error');
        if (Array.from(pw).length < 10) {
            WW.showError(errBox, t('error.password_too_short'));
            return;
        }
        const u = resetting;
        try {
            await WW.api('PATCH', '/users/' + encodeURIComponent(u.id), { password: pw });
            closeReset();
            WW.notice(t('users.password_reset', { name: userName(u) }), 'ok');
            await load();
        } catch (e) {
            if (e.status !== 401)
                WW.showError(errBox, WW.errorText(e));
        }
    }

    WW.page('users', {
        view: 'view-users',
        perm: 'user.admin',
        init: function () {
            $('us-add').addEventListener('click', openAdd);
            $('us-cancel').addEventListener('click', closeAdd);
            $('us-form').addEventListener('submit', onAdd);
            $('us-reset').addEventListener('submit', onReset);
            $('us-reset-cancel').addEventListener('click', closeReset);
        },
        relabel: function () {
            WW.options($('us-form').elements.role, WW.ROLES, WW.roleName);
        },
        show: function () {
            closeAdd();
            closeReset();
            state = users.length ? 'ok' : 'loading';
            renderList();
            load();
        },
        hide: function () {
            closeAdd();
            closeReset();
        },
        reset: function () { users = []; },
        render: function () {
            renderList();
            if (resetting)
                $('us-reset-h').textContent = t('users.reset_heading', { name: userName(resetting) });
        },
    });
})();
