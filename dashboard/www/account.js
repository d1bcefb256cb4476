// SPDX-License-Identifier: GPL-3.0-or-later
// account.js - my account (everyone): who I am, change my password, my language.
'use strict';

(function () {
    const WW = window.WW;
    const t = WW.t, $ = WW.$;

    function render() {
        const u = WW.session ? WW.session.user : null;
        if (!u)
            return;
        $('ac-login').textContent = u.login;
        $('ac-password').elements.username.value = u.login; // for password managers
        $('ac-name').textContent = u.full_name || t('none');
        $('ac-role').textContent = WW.roleName(u.role);
        $('ac-lang').value = WW.lang;
    }

    async function onPassword(ev) {
        ev.preventDefault();
        const f = $('ac-password');
        const oldPw = f.elements.old_password.value, newPw = f.elements.new_password.value;
        const errBox = $('ac-error');
        if (!oldPw) {
            WW.showError(errBox, t('account.need_old'));
            return;
        }
        if (Array.from(newPw).length < 10) {
            WW.showError(errBox, t('error.password_too_short'));
            return;
        }
        if (newPw !== f.elements.repeat_password.value) {
            WW.showError(errBox, t('account.mismatch'));
            return;
        }
        const submit = f.querySelector('button[type=submit]');
        submit.disabled = true;
        WW.showError(errBox, '');
        try {
            await WW.api('PUT', '/me/password', { old_password: oldPw, new_password: newPw });
            f.reset();
            WW.notice(t('account.password_changed'), 'ok');
        } catch (e) {
            if (e.status === 401)
                return;
            WW.showError(errBox, e.code === 'bad_credentials' ? t('account.wrong_old')
                : WW.errorText(e));
        } finally {
            submit.disabled = false;
        }
    }

    WW.page('account', {
        view: 'view-account',
        init: function () {
            $('ac-password').addEventListener('submit', onPassword);
        },
        show: function () {
            $('ac-password').reset();
            WW.showError($('ac-error'), '');
            render();
        },
        reset: function () { $('ac-password').reset(); },
        render: render,
    });
})();
