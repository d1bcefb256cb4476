/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_snmpval.c - what the engine does with the values an agent sends, after net-snmp (or
 * our BER reader, fuzz_ber) has parsed the packet: every varbind of the input goes through
 * coll_take_scalar(), coll_take_cell() and coll_profile_take() (with the shipped profiles,
 * collector/profiles/), and the result through everything the write path and discovery
 * derive from it: coll_summarize(), coll_measure(), the disks and supplies JSON, the kind
 * guess with its evidence, the model from sysDescr. Properties: no crash, no leak; every
 * JSON text parses; a percentage the result gives is a number or unknown, never NaN posing
 * as a value.
 *
 * Input: varbinds, each as
 *   1 byte  what: < N_SCALARS a scalar of coll_scalars[]; else a table column
 *           (what - N_SCALARS) % (C_PROF + 1) of enum col_kind (interfaces, HOST-RESOURCES,
 *           printer supplies, LLDP and CDP neighbours), C_PROF being a value of the matched
 *           profile (one more byte: its index)
 *   1 byte  the ASN.1 type (INTEGER, OCTET STRING, OID, Counter32, Gauge32, TimeTicks,
 *           Counter64, NULL, noSuchObject ...; any byte)
 *   1 byte  index sub-ids that follow (0..3), then 4 bytes each
 *   1 byte  value length L, then L bytes: the value (a number little-endian, a string, an
 *           OID as 4-byte sub-ids)
 */
#include "collector/snmp_int.h"
#include "tests/fuzz/fuzz.h"

#include <jansson.h>
#include <math.h>

static const struct coll_profiles *set;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct coll_profiles *s = NULL;
    char err[512];

    (void)argc;
    (void)argv;
    ww_log_init("fuzz_snmpval", WW_LOG_ERR);
    if (coll_profiles_load(WW_PROFILE_DIR, &s, err, sizeof(err)) != 0) {
        fprintf(stderr, "fuzz_snmpval: %s\n", err);
        abort();
    }
    set = s;
    coll_profiles_use(set);
    return 0;
}

struct in {
    const uint8_t *p;
    size_t n;
};

static bool take(struct in *in, void *out, size_t len)
{
    if (in->n < len)
        return false;
    memcpy(out, in->p, len);
    in->p += len;
    in->n -= len;
    return true;
}

static void check_json(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        abort();
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    struct coll_result r;
    struct coll_host_summary h;
    struct coll_measures m;
    struct coll_guess g;
    uint8_t what, type, nsub, len;
    char *text;

    coll_result_init(&r);
    while (take(&in, &what, 1) && take(&in, &type, 1) && take(&in, &nsub, 1)) {
        netsnmp_variable_list v;
        oid name[MAX_OID_LEN], suffix[3], ovals[64];
        uint8_t val[256], pv = 0;
        long ival = 0;
        struct counter64 c64 = {0, 0};
        size_t nl = 0;
        unsigned kind = 0;
        bool scalar = what < N_SCALARS;

        if (!scalar) {
            kind = (unsigned)(what - N_SCALARS) % (C_PROF + 1);
            if (kind == C_PROF && !take(&in, &pv, 1))
                break;
        }
        nsub %= 4;
        for (unsigned i = 0; i < nsub; i++) {
            uint32_t sub;
            if (!take(&in, &sub, 4))
                goto done;
            suffix[i] = sub;
        }
        if (!take(&in, &len, 1) || !take(&in, val, len))
            break;
        memset(&v, 0, sizeof(v));
        v.type = type;
        if (scalar) {
            nl = coll_system_oid(what, name);
        } else {
            const struct column *c =
                kind == C_PROF ? (r.profile && coll_profile_table(r.profile) &&
                                          pv < coll_profile_table(r.profile)->ncols
                                      ? coll_profile_column(r.profile, pv)
                                      : NULL)
                               : kind <= C_SUP_LEVEL ? coll_column_of(kind) : NULL;
            static const struct column nb = {{1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 5}, 11, C_DESCR, 0};
            if (!c && kind > C_SUP_LEVEL && kind < C_PROF)
                c = &nb; /* LLDP/CDP: their cells are read by index alone */
            if (!c || nsub == 0)
                continue; /* the engine only hands over instances of its columns */
            memcpy(name, c->base, c->len * sizeof(oid));
            nl = c->len;
            for (unsigned i = 0; i < nsub; i++)
                name[nl++] = suffix[i];
        }
        v.name = name;
        v.name_length = nl;
        switch (type) {
        case ASN_OCTET_STR:
        case ASN_IPADDRESS:
        case ASN_OPAQUE:
            v.val.string = val;
            v.val_len = len;
            break;
        case ASN_OBJECT_ID:
            for (size_t i = 0; i + 4 <= len && i / 4 < 64; i += 4) {
                uint32_t sub;
                memcpy(&sub, val + i, 4);
                ovals[i / 4] = sub;
            }
            v.val.objid = ovals;
            v.val_len = (len / 4 < 64 ? len / 4 : 64) * sizeof(oid);
            break;
        case ASN_COUNTER64:
            memcpy(&c64.high, val, len < 4 ? len : 4);
            if (len > 4)
                memcpy(&c64.low, val + 4, len - 4 < 4 ? len - 4 : 4);
            v.val.counter64 = &c64;
            v.val_len = sizeof(c64);
            break;
        default:
            memcpy(&ival, val, len < sizeof(ival) ? len : sizeof(ival));
            if (type == ASN_COUNTER || type == ASN_GAUGE || type == ASN_TIMETICKS)
                ival = (long)(uint32_t)ival;
            v.val.integer = &ival;
            v.val_len = sizeof(ival);
            break;
        }
        if (scalar) {
            if (what < N_SCALARS)
                coll_take_scalar(&r, &v);
            coll_profile_probe_take(&r, &v);
            if (what == SC_OBJECTID || what == SC_DESCR)
                r.profile = coll_profile_match(&r); /* as the engine does after its GET */
        } else if (kind == C_PROF) {
            coll_profile_take(&r, pv, name + nl - nsub, nsub, &v);
        } else {
            coll_take_cell(&r, (enum col_kind)kind, name + nl - nsub, nsub, &v);
        }
    }
done:
    coll_profile_finish(&r);
    coll_summarize(&r, &h);
    coll_measure(&r, &m);
    if (!isnan(h.cpu_load_pct) && !(h.cpu_load_pct >= 0 && h.cpu_load_pct <= 100))
        abort(); /* only readings of 0..100 are averaged */
    text = coll_disks_json(&r);
    check_json(text);
    free(text);
    text = coll_supplies_json(&r);
    check_json(text);
    free(text);
    coll_guess_kind(&r, &g);
    if (!g.kind || !*g.why)
        abort();
    (void)coll_result_vendor(&r);
    (void)coll_result_model(&r);
    coll_result_release(&r);
    return 0;
}
