/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp_v3.c - SNMPv3 (USM) sessions: the security parameters and derived keys of a
 * session, what a refusal means (a configuration fault, never an outage), and the one rule
 * net-snmp imposes: one process-wide USM user per (engine ID, user), so devices that share
 * both are polled one after the other and the user is dropped when its session closes.
 * The engine-ID probe that comes before is in usm_probe.c.
 */
#include "collector/snmp_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* what an SNMPv3 report says went wrong (RFC 3414 usmStats counters): the error's text and
 * its parameter */
void coll_v3_refused(struct coll_result *r, const netsnmp_pdu *pdu)
{
    static const oid usm_stats[] = {1, 3, 6, 1, 6, 3, 15, 1, 1};
    static const struct {
        const char *param, *text;
    } reasons[] = {
        {"security_error", "the agent reported a security error"},
        {"unsupported_sec_level", "unsupported security level"},
        {"not_in_time_window", "not in time window"},
        {"unknown_user", "unknown user name"},
        {"unknown_engine_id", "unknown engine ID"},
        {"wrong_digest", "wrong authentication key (digest)"},
        {"decryption_error", "decryption error (wrong privacy key or protocol)"}};
    const netsnmp_variable_list *v = pdu ? pdu->variables : NULL;
    size_t k = 0;

    if (v && v->name_length >= 10 &&
        memcmp(v->name, usm_stats, sizeof(usm_stats)) == 0 && v->name[9] >= 1 &&
        v->name[9] <= 6)
        k = v->name[9];
    r->refused = true;
    r->ok = false;
    coll_set_error(r, COLL_ERR_V3_REFUSED, reasons[k].param, "SNMPv3 refused: %s",
                   reasons[k].text);
}

/*
 * An SNMPv3 session probes the agent's engine ID when it opens; a refusal there (unknown
 * user, wrong key, unsupported level) is a configuration fault, a silence is an outage.
 */
void coll_v3_open_error(struct coll_result *r)
{
    int err = snmp_errno;
    const char *refused = NULL; /* the reason, as coll_v3_refused() names it */

    switch (err) {
    case SNMPERR_TIMEOUT:
        coll_set_error(r, COLL_ERR_TIMEOUT, NULL, "no answer (timeout)");
        return;
    case SNMPERR_UNKNOWN_USER_NAME:
    case SNMPERR_USM_UNKNOWNSECURITYNAME:
        refused = "unknown_user";
        break;
    case SNMPERR_AUTHENTICATION_FAILURE:
    case SNMPERR_USM_AUTHENTICATIONFAILURE:
        refused = "wrong_digest";
        break;
    case SNMPERR_UNSUPPORTED_SEC_LEVEL:
    case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
        refused = "unsupported_sec_level";
        break;
    case SNMPERR_DECRYPTION_ERR:
    case SNMPERR_USM_DECRYPTIONERROR:
        refused = "decryption_error";
        break;
    default:
        coll_set_error(r, COLL_ERR_V3_SESSION, snmp_api_errstring(err), "SNMPv3 session: %s",
                       snmp_api_errstring(err));
        return;
    }
    r->refused = true;
    coll_set_error(r, COLL_ERR_V3_REFUSED, refused, "SNMPv3 refused: %s",
                   snmp_api_errstring(err));
}

int coll_set_v3(netsnmp_session *s, const struct coll_target *t, struct coll_result *r)
{
    static const struct {
        const char *name;
        const oid *proto;
        size_t len;
    } auths[] = {{"MD5", usmHMACMD5AuthProtocol, 10},
                 {"SHA", usmHMACSHA1AuthProtocol, 10},
                 {"SHA-224", usmHMAC128SHA224AuthProtocol, 10},
                 {"SHA-256", usmHMAC192SHA256AuthProtocol, 10},
                 {"SHA-384", usmHMAC256SHA384AuthProtocol, 10},
                 {"SHA-512", usmHMAC384SHA512AuthProtocol, 10}},
      privs[] = {{"DES", usmDESPrivProtocol, 10},
                 {"AES", usmAESPrivProtocol, 10},
                 {"AES-192", usmAES192PrivProtocol, 9},
                 {"AES-256", usmAES256PrivProtocol, 9}};
    const char *level = t->v3_level ? t->v3_level : "noAuthNoPriv";
    bool auth = strcmp(level, "noAuthNoPriv") != 0, priv = strcmp(level, "authPriv") == 0;

    s->version = SNMP_VERSION_3;
    /* no blocking engine-ID probe at open: the first request learns it from the agent's
     * report (net-snmp sends again by itself), so a dead v3 device never stalls the loop */
    s->flags |= SNMP_FLAGS_DONT_PROBE;
    s->securityName = (char *)(uintptr_t)(t->v3_user ? t->v3_user : "");
    s->securityNameLen = strlen(s->securityName);
    s->securityLevel = priv ? SNMP_SEC_LEVEL_AUTHPRIV
                       : auth ? SNMP_SEC_LEVEL_AUTHNOPRIV
                              : SNMP_SEC_LEVEL_NOAUTH;
    if (!auth)
        return 0;
    for (size_t i = 0; i < WW_ARRAY_SIZE(auths); i++) {
        if (t->v3_auth_proto && strcmp(t->v3_auth_proto, auths[i].name) == 0) {
            s->securityAuthProto = snmp_duplicate_objid(auths[i].proto, auths[i].len);
            s->securityAuthProtoLen = auths[i].len;
        }
    }
    if (!s->securityAuthProto || !t->v3_auth_key) {
        coll_set_error(r, COLL_ERR_V3_CONFIG, "auth_missing",
                       "SNMPv3 auth protocol or key missing");
        return -EINVAL;
    }
    s->securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
                    (const u_char *)t->v3_auth_key, strlen(t->v3_auth_key), s->securityAuthKey,
                    &s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
        coll_set_error(r, COLL_ERR_V3_CONFIG, "auth_key", "SNMPv3 auth key could not be derived");
        return -EINVAL;
    }
    if (!priv)
        return 0;
    for (size_t i = 0; i < WW_ARRAY_SIZE(privs); i++) {
        if (t->v3_priv_proto && strcmp(t->v3_priv_proto, privs[i].name) == 0) {
            s->securityPrivProto = snmp_duplicate_objid(privs[i].proto, privs[i].len);
            s->securityPrivProtoLen = privs[i].len;
        }
    }
    if (!s->securityPrivProto || !t->v3_priv_key) {
        coll_set_error(r, COLL_ERR_V3_CONFIG, "priv_missing",
                       "SNMPv3 privacy protocol or key missing");
        return -EINVAL;
    }
    s->securityPrivKeyLen = USM_PRIV_KU_LEN;
    if (generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
                    (const u_char *)t->v3_priv_key, strlen(t->v3_priv_key), s->securityPrivKey,
                    &s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
        coll_set_error(r, COLL_ERR_V3_CONFIG, "priv_key",
                       "SNMPv3 privacy key could not be derived");
        return -EINVAL;
    }
    return 0;
}

/*
 * coll_forget_usm_user() - drop the USM user net-snmp made for this v3 session from its
 * process-wide list, so the next session with the same engine ID and user name (this
 * device next round, or another device that shares the engine ID) builds its own from its
 * own keys instead of silently reusing these.
 */
void coll_forget_usm_user(const unsigned char *engine, size_t len, const char *user)
{
    struct usmUser *u;

    if (!len || !user)
        return;
    u = usm_get_user(engine, len, (char *)(uintptr_t)user);
    if (!u)
        return;
    /* it was found in the list, so this unlinks it; the return value is the list's new
     * head (NULL once the list is empty), not a status */
    usm_remove_user(u);
    usm_free_user(u);
}

/* does a poll in flight other than @d hold a v3 session for @d's engine ID and user? */
static bool usm_clash(const struct coll_engine *e, const struct dev *d)
{
    for (size_t k = 0; k < e->active; k++) {
        const struct dev *o = &e->devs[e->act[k]];
        if (o == d || !o->t || !o->sess || o->engine_len != d->engine_len ||
            memcmp(o->engine, d->engine, d->engine_len) != 0 ||
            strcmp(o->t->v3_user ? o->t->v3_user : "", d->t->v3_user ? d->t->v3_user : ""))
            continue;
        return true;
    }
    return false;
}

/* PH_USM_WAIT: open the session once no other poll shares the engine ID and user */
void coll_usm_wait_tick(struct coll_engine *e, struct dev *d, int64_t now)
{
    if (usm_clash(e, d)) {
        if (!d->r->error[0]) /* said once per poll; the device ids, never a key */
            ww_log(WW_LOG_WARN, "collector: device %lld: another device answers with the same "
                                "SNMPv3 engine ID and user: polled one after the other",
                   d->t->device_id);
        if (now > d->deadline)
            coll_dev_deadline(d, " waiting for a device with the same SNMPv3 engine ID");
        else
            coll_set_error(d->r, COLL_ERR_WAITING_ENGINE, NULL,
                           "waiting: same SNMPv3 engine ID as another device");
        return;
    }
    d->r->error[0] = '\0'; /* no longer waiting */
    d->r->err_code = COLL_ERR_NONE;
    d->r->err_param[0] = '\0';
    coll_dev_open_session(d, d->engine, d->engine_len, d->boots,
                          d->etime + (long)((now - d->engine_at) / 1000));
}
