/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_facts.c - facts are only what the device said: a vendor's type OID is never read as a
 * standard type; a row without its reading (processor load, storage use, supply level) is
 * unknown, never 0; OS names keep their version and a multi-line sysDescr gives its first
 * line (every recording in $WW_TESTDATA/snmprec has its case here); printer supplies at -3
 * or -2 keep their state and never hide a low toner. Values go in as the engine reads them
 * (coll_take_scalar(), coll_take_cell()), and once through the real write path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/snmp_int.h"
#include "../rrd_test.h"

/* "1.3.6.1..." into @out; returns the number of sub-ids */
static size_t oid_of(const char *text, oid *out, size_t max)
{
    size_t n = 0;
    for (const char *p = text; *p && n < max; p += *p == '.') {
        char *end;
        out[n++] = (oid)strtoul(p, &end, 10);
        p = end;
    }
    return n;
}

/* one table cell of row @idx, as the engine takes it */
static void cell(struct coll_result *r, enum col_kind kind, oid idx, u_char type,
                 const void *val, size_t len)
{
    netsnmp_variable_list v;
    oid sfx[2] = {idx, 0};

    memset(&v, 0, sizeof(v));
    assert_int_equal(snmp_set_var_typed_value(&v, type, val, len), 0);
    if (kind >= C_SUP_DESCR) /* printer supplies: hrDeviceIndex.prtMarkerSuppliesIndex */
        sfx[0] = 1, sfx[1] = idx;
    coll_take_cell(r, kind, sfx, kind >= C_SUP_DESCR ? 2 : 1, &v);
    snmp_free_var_internals(&v);
}

static void cell_oid(struct coll_result *r, enum col_kind kind, oid idx, const char *text)
{
    oid o[MAX_OID_LEN];
    size_t n = oid_of(text, o, MAX_OID_LEN);
    cell(r, kind, idx, ASN_OBJECT_ID, o, n * sizeof(oid));
}

static void cell_int(struct coll_result *r, enum col_kind kind, oid idx, long val)
{
    cell(r, kind, idx, ASN_INTEGER, &val, sizeof(val));
}

static void cell_text(struct coll_result *r, enum col_kind kind, oid idx, const char *text)
{
    cell(r, kind, idx, ASN_OCTET_STR, text, strlen(text));
}

/* both unknown, or the same number */
static bool same(double a, double b)
{
    return isnan(a) ? isnan(b) : !isnan(b) && fabs(a - b) < 1e-9;
}

static void test_type_oids(void **state)
{
    static const struct {
        enum col_kind kind;
        const char *value;
        long long type;
        const char *why;
    } cases[] = {
        {C_DEV_TYPE, "1.3.6.1.2.1.25.3.1.3", 3, "hrDeviceProcessor"},
        {C_DEV_TYPE, "1.3.6.1.2.1.25.3.1.5", 5, "hrDevicePrinter"},
        {C_DEV_TYPE, "1.3.6.1.4.1.2385.1.1.3.1.3", 0,
         "a copier's vendor type ends in .3: not a processor (issue #13)"},
        {C_DEV_TYPE, "1.3.6.1.4.1.2385.1.1.3.1.5", 0, "a vendor type ending in .5: not a printer"},
        {C_DEV_TYPE, "1.3.6.1.2.1.25.3.1.3.1", 0, "longer than hrDeviceTypes.N"},
        {C_DEV_TYPE, "1.3.6.1.2.1.25.3.1", 0, "the registration point itself"},
        {C_DEV_TYPE, "1.3.6.1.2.1.25.2.1.3", 0, "a storage type is not a device type"},
        {C_DEV_TYPE, "0.0", 0, "zeroDotZero: no type"},
        {C_ST_TYPE, "1.3.6.1.2.1.25.2.1.2", 2, "hrStorageRam"},
        {C_ST_TYPE, "1.3.6.1.2.1.25.2.1.4", 4, "hrStorageFixedDisk"},
        {C_ST_TYPE, "1.3.6.1.4.1.9.9.48.1.1.4", 0, "a vendor storage type ending in .4: no disk"},
        {C_ST_TYPE, "1.3.6.1.4.1.9.9.48.1.1.2", 0, "a vendor storage type ending in .2: no RAM"},
        {C_ST_TYPE, "1.3.6.1.2.1.25.3.1.4", 0, "a device type is not a storage type"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_result r;
        long long got;

        coll_result_init(&r);
        cell_oid(&r, cases[i].kind, 1, cases[i].value);
        got = cases[i].kind == C_DEV_TYPE ? r.hrdev[0].type : r.storage[0].type;
        if (got != cases[i].type)
            fail_msg("%s (%s): type %lld, want %lld", cases[i].value, cases[i].why, got,
                     cases[i].type);
        coll_result_release(&r);
    }

    /* the copier of issue #13: no processor, so no CPU count, model or load */
    struct coll_result r;
    struct coll_host_summary h;
    long not_oid = 4;

    coll_result_init(&r);
    cell_oid(&r, C_DEV_TYPE, 1, "1.3.6.1.4.1.2385.1.1.3.1.3");
    cell_text(&r, C_DEV_DESCR, 1, "Copier");
    cell(&r, C_ST_TYPE, 2, ASN_INTEGER, &not_oid, sizeof(not_oid)); /* not an OID at all */
    assert_int_equal(r.storage[0].type, 0);
    coll_summarize(&r, &h);
    assert_int_equal(h.cpu_count, -1);
    assert_null(h.cpu_model);
    assert_true(isnan(h.cpu_load_pct));
    coll_result_release(&r);
}

/* rows of HOST-RESOURCES as the engine read them; a reading of -1 is one not answered */
struct hr_row {
    long long type;
    long long reading; /* hrProcessorLoad, or hrStorageUsed (of 1000 units of 1 KiB) */
};

static void test_unknown_not_zero(void **state)
{
    static const struct {
        size_t ncpu;
        struct hr_row cpu[2];
        size_t nst;
        struct hr_row st[2];
        long long cpus;
        double load, mem_used, disk_max, disk_used;
        const char *why;
    } cases[] = {
        {1, {{3, -1}}, 0, {{0}}, 1, NAN, NAN, NAN, NAN,
         "a processor without hrProcessorLoad: load unknown, not 0 %"},
        {2, {{3, 40}, {3, -1}}, 0, {{0}}, 2, 40, NAN, NAN, NAN,
         "two processors, one without a reading: the mean of the one that gave it"},
        {1, {{3, 0}}, 0, {{0}}, 1, 0, NAN, NAN, NAN, "a processor that says 0 %: 0 %"},
        {1, {{3, 255}}, 0, {{0}}, 1, NAN, NAN, NAN, NAN, "a load out of 0..100 is no reading"},
        {1, {{0, -1}}, 0, {{0}}, -1, NAN, NAN, NAN, NAN, "a row of a vendor's type: no CPU"},
        {0, {{0}}, 1, {{2, -1}}, -1, NAN, NAN, NAN, NAN, "RAM without hrStorageUsed: use unknown"},
        {0, {{0}}, 1, {{2, 250}}, -1, NAN, 250 * 1024.0, NAN, NAN, "RAM with its use"},
        {0, {{0}}, 1, {{4, -1}}, -1, NAN, NAN, NAN, NAN,
         "a disk without hrStorageUsed: not 0 % full"},
        {0, {{0}}, 2, {{4, -1}, {4, 500}}, -1, NAN, NAN, 50, NAN,
         "one disk's use unknown: the fullest known stands, the total use is unknown"},
        {0, {{0}}, 2, {{4, 500}, {4, 900}}, -1, NAN, NAN, 90, 1400 * 1024.0,
         "two disks with their use"},
        {0, {{0}}, 1, {{0, 900}}, -1, NAN, NAN, NAN, NAN, "a vendor's storage type is no disk"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_hrdev hd[2] = {{0}};
        struct coll_storage st[2] = {{0}};
        struct coll_result r = {.hrdev = hd, .n_hrdev = cases[i].ncpu, .storage = st,
                                .n_storage = cases[i].nst, .hr_memory_kb = -1,
                                .ucd_total_kb = -1, .ucd_avail_kb = -1};
        struct coll_host_summary h;

        for (size_t k = 0; k < cases[i].ncpu; k++) {
            const struct hr_row *c = &cases[i].cpu[k];
            /* a row without its reading holds 0, as the engine leaves it */
            hd[k] = (struct coll_hrdev){.index = (long long)k + 1, .type = c->type,
                                        .load = c->reading >= 0 ? c->reading : 0,
                                        .has_load = c->reading >= 0};
        }
        for (size_t k = 0; k < cases[i].nst; k++) {
            const struct hr_row *c = &cases[i].st[k];
            st[k] = (struct coll_storage){.index = (long long)k + 1, .type = c->type,
                                          .descr = (char *)"/", .units = 1024, .size = 1000,
                                          .used = c->reading >= 0 ? (uint64_t)c->reading : 0,
                                          .has_used = c->reading >= 0};
        }
        coll_summarize(&r, &h);
        if (h.cpu_count != cases[i].cpus || !same(h.cpu_load_pct, cases[i].load) ||
            !same(h.mem_used, cases[i].mem_used) || !same(h.disk_max_pct, cases[i].disk_max) ||
            !same(h.disk_used, cases[i].disk_used))
            fail_msg("case %zu (%s): cpus %lld load %g mem_used %g disk_max %g disk_used %g", i,
                     cases[i].why, h.cpu_count, h.cpu_load_pct, h.mem_used, h.disk_max_pct,
                     h.disk_used);
    }

    /* the disks fact says "unknown" the same way */
    struct coll_storage st[] = {
        {.index = 1, .type = 4, .descr = (char *)"/", .units = 1024, .size = 1000},
        {.index = 2, .type = 4, .descr = (char *)"/srv", .units = 1024, .size = 1000, .used = 10,
         .has_used = true},
    };
    struct coll_result r = {.storage = st, .n_storage = 2};
    char *json = coll_disks_json(&r);
    assert_string_equal(json, "[{\"descr\":\"/\",\"size_bytes\":1024000,\"used_bytes\":null},"
                              "{\"descr\":\"/srv\",\"size_bytes\":1024000,\"used_bytes\":10240}]");
    free(json);
}

#define D10 "ĐĐĐĐĐĐĐĐĐĐ" /* 20 bytes */

/* sysDescr as the device sent it, byte for byte; @file: the recording it is from */
static const struct {
    const char *file, *descr, *os, *why;
} os_cases[] = {
    {"apc-smx750i-ups.snmprec",
     "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.6.4 PN:apc_hw05_aos_664.bin AF1:v6.6.4 "
     "AN1:apc_hw05_sumx_664.bin MN:AP9631 HR:08 SN: <private> MD:07/07/2017) (Embedded "
     "PowerNet SNMP Agent SW v2.2 compatible)",
     "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.6.4 PN:apc_hw05_aos_664.bin AF1:v6.6.4 "
     "AN1:apc_hw05_sumx_664.bin MN:AP9631",
     "one line of 205 bytes: cut at the last word that fits 120, not mid-word"},
    {"cisco-6500-many-ifs.snmprec",
     "Cisco IOS Software, s72033_rp Software (s72033_rp-IPSERVICESK9-M), Version 15.1(2)SY10, "
     "RELEASE SOFTWARE (fc4)\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright "
     "(c) 1986-2017 by Cisco Systems, Inc.\r\nCompiled Tue 21-Feb-17 02:00 by prod_rel_+",
     "Cisco IOS Software, s72033_rp Software (s72033_rp-IPSERVICESK9-M), Version 15.1(2)SY10, "
     "RELEASE SOFTWARE (fc4)",
     "multi-line (LF, then CR LF): the first line whole, with its version"},
    {"cisco-c3550-32bit-counters.snmprec", "Cisco Internetwork Operating System Software",
     "Cisco Internetwork Operating System Software", "one short line: as it is"},
    {"cisco-c3560-ios122.snmprec",
     "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE3, RELEASE "
     "SOFTWARE (fc1)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) "
     "1986-2011 by Cisco Systems, Inc.\r\nCompiled Thu 05-May-11 16:14 by prod_rel_team",
     "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE3, RELEASE "
     "SOFTWARE (fc1)",
     "multi-line Cisco (issue #13): the first line, not 120 bytes cut mid-word"},
    {"dlink-des3028.snmprec", "D-Link DES-3028 Fast Ethernet Switch",
     "D-Link DES-3028 Fast Ethernet Switch", "one short line"},
    {"eaton-93e-ups.snmprec", "EATON 93E 80", "EATON 93E 80", "one short line"},
    {"fortigate-60f.snmprec", "", NULL, "an empty sysDescr tells no OS: unknown, not \"\""},
    {"h3c-e528-uptime-variation.snmprec",
     "H3C Switch E528 Software Version 5.20, Release 1513P62\r\nCopyright(c) 2004-2013 "
     "Hangzhou H3C Tech. Co., Ltd. All rights reserved.",
     "H3C Switch E528 Software Version 5.20, Release 1513P62", "Comware: the first line"},
    {"hp-laserjet-m252dw.snmprec",
     "HP ETHERNET MULTI-ENVIRONMENT,SN:VNB3J99999,FN:1F31B6C,SVCID:99999,PID:HP Color LaserJet "
     "Pro M252dw",
     "HP ETHERNET MULTI-ENVIRONMENT,SN:VNB3J99999,FN:1F31B6C,SVCID:99999,PID:HP Color LaserJet "
     "Pro M252dw",
     "JetDirect: one line under the limit, whole"},
    {"hp-procurve-6120xg.snmprec",
     "ProCurve 516733-B21 6120XG Blade Switch, revision Z.14.31, ROM Z.14.09 "
     "(/ws/swbuildm/ec_Z_zint4b_qaoff/code/build/vern(ec_Z_zint1.3.6.1.4.1.11.2.3.7.11.107",
     "ProCurve 516733-B21 6120XG Blade Switch, revision Z.14.31, ROM Z.14.09",
     "the word that crosses 120 goes whole, and the comma before it"},
    {"hp-procurve-e2910al.snmprec",
     "HP J9146A E2910al-24G-PoE Switch, revision W.15.08.0012, ROM W.14.06 "
     "(/ws/swbuildm/W_rel_galt_qaoff/code/build/sbm(W_rel_galt_qaoff)) (Formerly ProCurve)",
     "HP J9146A E2910al-24G-PoE Switch, revision W.15.08.0012, ROM W.14.06",
     "a long build path is one word: cut before it"},
    {"huawei-s5720-36c.snmprec",
     "S5720-36C-EI-AC \r\nHuawei Versatile Routing Platform Software \r\n VRP (R) "
     "software,Version 5.160 (S5720 V200R007C00SPC500) \r\n Copyright (C) 2007 Huawei "
     "Technologies Co., Ltd.",
     "VRP 5.160 (S5720 V200R007C00SPC500)",
     "Huawei: the model is the first line, the system and its version a later one"},
    {"konica-bizhub-c3110.snmprec", "KONICA MINOLTA bizhub C3110", "KONICA MINOLTA bizhub C3110",
     "one short line"},
    {"linux-2.4-kernel.snmprec",
     "Linux Server 2.4.32-web100-bic #152 SMP Fri Dec 12 14:19:30 CST 2014 i686 i686 i386 "
     "GNU/Linux",
     "Linux 2.4.32-web100-bic", "uname: the host name is the second word, the release third"},
    {"linux-centos7.snmprec",
     "Linux DummySystem 3.10.0-514.el7.x86_64 #1 SMP Tue Nov 22 16:42:41 UTC 2016 x86_64",
     "Linux 3.10.0-514.el7.x86_64", "net-snmp on CentOS 7"},
    {"linux-nonascii-sysdescr.snmprec",
     "Dummy System\r\nChinese: \xd6\xd0\xce\xc4\r\nNon-ASCII: \xff", "Dummy System",
     "the bytes that are not UTF-8 are on later lines"},
    {"linux-raspbian.snmprec",
     "Linux raspberrypi 5.4.51-v7+ #1333 SMP Mon Aug 10 16:45:19 BST 2020 armv7l",
     "Linux 5.4.51-v7+", "Raspbian"},
    {"mikrotik-rb750gr3.snmprec", "RouterOS RB750Gr3", "RouterOS RB750Gr3", "RouterOS"},
    {"phoenixtec-ups.snmprec", "My Kert UPS", "My Kert UPS", "one short line"},
    {"tplink-td-w9970.snmprec", "0.9.1 0.2 v0076.0 Build 170919 Rel.61201n",
     "0.9.1 0.2 v0076.0 Build 170919 Rel.61201n", "firmware numbers only: kept whole"},
    {"ubiquiti-airmax-m5.snmprec", "Linux 2.6.32.61 #1 Wed May 21 18:37:41 EEST 2014 mips",
     "Linux 2.6.32.61", "airOS leaves out the host name: the release is the second word"},
    {"ubiquiti-edgerouter.snmprec", "EdgeOS v1.8.0.4853089.160219.1607",
     "EdgeOS v1.8.0.4853089.160219.1607", "EdgeOS with its version"},
    {"vyatta-router.snmprec", "Vyatta unknown-version", "Vyatta unknown-version", "Vyatta"},
    {"windows-server-2003.snmprec",
     "Hardware: x86 Family 6 Model 63 Stepping 2 AT/AT COMPATIBLE - Software: Windows Version "
     "5.2 (Build 3790 Multiprocessor Free)",
     "Windows Server 2003 (build 3790)", "NT 5.2 is Server 2003, not XP"},
    {"windows-xp-desktop.snmprec",
     "Hardware: x86 Family 6 Model 9 Stepping 5 AT/AT COMPATIBLE - Software: Windows 2000 "
     "Version 5.1 (Build 2600 Uniprocessor Free)",
     "Windows XP (build 2600)", "XP says \"Windows 2000 Version 5.1\""},
    {"zyxel-gs1900-48.snmprec", "GS1900-48", "GS1900-48", "the model only"},
    /* the cases and others not recorded */
    {NULL, "Linux 2.6.32.68 #1 Mon Jun 5 AirOS", "Linux 2.6.32.68",
     "issue #13: not \"Linux #1\" (no host name)"},
    {NULL, "Linux 10.0.0.5 4.19.0-21-amd64 #1 SMP Debian", "Linux 4.19.0-21-amd64",
     "a host named like a release: the third word is the release"},
    {NULL, "Linux router", "Linux", "no release at all"},
    {NULL, "Linux", "Linux", "the system alone"},
    {NULL, "FreeBSD fw.example 12.1-RELEASE FreeBSD 12.1-RELEASE r354233 GENERIC amd64",
     "FreeBSD 12.1-RELEASE", "FreeBSD, uname-style"},
    {NULL, "Hardware: Intel64 Family 6 Model 158 Stepping 10 AT/AT COMPATIBLE - Software: "
           "Windows Version 6.3 (Build 19045 Multiprocessor Free)",
     "Windows 10 (build 19045)", "Windows 10 says 6.3: the build tells"},
    {NULL, "Hardware: x86 - Software: Windows Version 6.1 (Build 7601 Multiprocessor Free)",
     "Windows 7 (build 7601)", "Windows 7"},
    {NULL, "Hardware: AMD64 - Software: Windows Version 6.3 (Build 22631 Multiprocessor Free)",
     "Windows 11 (build 22631)", "Windows 11"},
    {NULL, "Cisco IOS Software, C3560\r\nTechnical Support", "Cisco IOS Software, C3560",
     "CR LF"},
    {NULL, "Cisco IOS Software, C3560\rTechnical Support", "Cisco IOS Software, C3560",
     "a lone CR ends a line too"},
    {NULL, "   \r\nsecond line", NULL, "a blank first line is no name"},
    {NULL,
     "Thiết bị mạng của Ủy ban nhân dân phường, phiên bản phần mềm 2.1 dùng cho các văn phòng "
     "một cửa đặt tại trụ sở",
     "Thiết bị mạng của Ủy ban nhân dân phường, phiên bản phần mềm 2.1 dùng cho các văn phòng "
     "một",
     "UTF-8 over 120 bytes: cut at a space, every character whole"},
    {NULL, "A" D10 D10 D10 D10 D10 D10 D10, "A" D10 D10 D10 D10 D10 "ĐĐĐĐĐĐĐĐĐ",
     "one word, 'A' then 2-byte characters: byte 120 is inside one, cut before it"},
};

/* sysDescr into @r as the engine reads it: sanitized, and the OS name from its lines */
static void take_descr(struct coll_result *r, const char *descr, size_t len)
{
    static const oid sys_descr[] = {1, 3, 6, 1, 2, 1, 1, 1, 0};
    netsnmp_variable_list v;

    memset(&v, 0, sizeof(v));
    snmp_set_var_objid(&v, sys_descr, WW_ARRAY_SIZE(sys_descr));
    snmp_set_var_typed_value(&v, ASN_OCTET_STR, descr, len);
    assert_true(coll_take_scalar(r, &v));
    snmp_free_var_internals(&v);
}

static char *os_of(const char *descr, size_t len)
{
    struct coll_result r;
    char *os;

    coll_result_init(&r);
    take_descr(&r, descr, len);
    os = r.os_name ? ww_strdup(r.os_name) : NULL;
    coll_result_release(&r);
    return os;
}

/* the sysDescr of a recording ("1.3.6.1.2.1.1.1.0|4|text" or "|4x|hex"), heap; NULL: none */
static char *recorded_descr(const char *path, size_t *out_len)
{
    char line[8192], *ret = NULL;
    FILE *f = fopen(path, "r");

    assert_non_null(f);
    while (!ret && fgets(line, sizeof(line), f)) {
        char *val;
        bool hex;
        if (strncmp(line, "1.3.6.1.2.1.1.1.0|", 18) != 0)
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        hex = strncmp(line + 18, "4x|", 3) == 0;
        val = line + 18 + (hex ? 3 : 2);
        *out_len = hex ? strlen(val) / 2 : strlen(val);
        ret = ww_malloc(*out_len + 1);
        for (size_t i = 0; i < *out_len; i++)
            ret[i] = hex ? (char)strtoul((char[3]){val[2 * i], val[2 * i + 1], 0}, NULL, 16)
                         : val[i];
        ret[*out_len] = '\0';
    }
    fclose(f);
    return ret;
}

static void test_os_names(void **state)
{
    const char *data = getenv("WW_TESTDATA");
    char *dirpath;
    size_t seen = 0;
    DIR *dir;
    struct dirent *e;

    for (size_t i = 0; i < WW_ARRAY_SIZE(os_cases); i++) {
        char *os = os_of(os_cases[i].descr, strlen(os_cases[i].descr));
        if (os_cases[i].os ? !os || strcmp(os, os_cases[i].os) != 0 : os != NULL)
            fail_msg("case %zu (%s): \"%s\", want \"%s\"", i, os_cases[i].why,
                     os ? os : "(null)", os_cases[i].os ? os_cases[i].os : "(null)");
        free(os);
    }
    assert_null(coll_os_name(NULL));

    /* every recording has its case, with its sysDescr as recorded */
    dirpath = ww_asprintf("%s/snmprec", data ? data : "../shared/testdata");
    dir = opendir(dirpath);
    if (!dir) {
        print_message("skip: no recordings in %s\n", dirpath);
        free(dirpath);
        return;
    }
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name), len = 0;
        char *path, *descr;
        bool found = false;

        if (n < 9 || strcmp(e->d_name + n - 8, ".snmprec") != 0)
            continue;
        path = ww_asprintf("%s/%s", dirpath, e->d_name);
        descr = recorded_descr(path, &len);
        for (size_t i = 0; descr && i < WW_ARRAY_SIZE(os_cases); i++) {
            if (!os_cases[i].file || strcmp(os_cases[i].file, e->d_name) != 0)
                continue;
            found = true;
            if (len != strlen(os_cases[i].descr) || memcmp(descr, os_cases[i].descr, len) != 0)
                fail_msg("%s: the case's sysDescr is not the recorded one", e->d_name);
        }
        if (descr && !found)
            fail_msg("%s: a recording with no OS name case in os_cases[]", e->d_name);
        seen += descr != NULL;
        free(descr);
        free(path);
    }
    closedir(dir);
    free(dirpath);
    assert_true(seen >= 20);
}

static void test_supplies(void **state)
{
    static const struct {
        long long max, level;
        bool has_level;
        enum coll_supply_state state;
        double pct;
        const char *why;
    } cases[] = {
        {100, 29, true, COLL_SUPPLY_KNOWN, 29, "29 of 100"},
        {4000, 200, true, COLL_SUPPLY_KNOWN, 5, "in units: 200 of 4000 is 5 %"},
        {100, 0, true, COLL_SUPPLY_KNOWN, 0, "empty: a measured 0"},
        {100, -3, true, COLL_SUPPLY_SOME_REMAINING, NAN, "-3: some remaining, no figure"},
        {-2, -3, true, COLL_SUPPLY_SOME_REMAINING, NAN, "Konica's waste toner box: -2 / -3"},
        {100, -2, true, COLL_SUPPLY_UNKNOWN, NAN, "-2: unknown"},
        {100, -1, true, COLL_SUPPLY_NO_LIMIT, NAN, "-1: other, no restriction"},
        {-2, 40, true, COLL_SUPPLY_UNKNOWN, NAN, "40 units of an unknown maximum"},
        {-1, 40, true, COLL_SUPPLY_UNKNOWN, NAN, "40 units, no maximum"},
        {-2, 0, true, COLL_SUPPLY_UNKNOWN, NAN, "0 units of an unknown maximum: not 0 %"},
        {100, 0, false, COLL_SUPPLY_UNKNOWN, NAN, "no level answered: unknown, not empty"},
        {0, 0, false, COLL_SUPPLY_UNKNOWN, NAN, "a row with a name only"},
        {100, 100, true, COLL_SUPPLY_KNOWN, 100, "full: its maximum"},
        {1, 2147483647, true, COLL_SUPPLY_UNKNOWN, NAN,
         "more than full (a fuzzer's reading): not a level to show or to average"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_supply s = {.index = 1, .max = cases[i].max, .level = cases[i].level,
                                .has_level = cases[i].has_level};
        double pct = -99;
        enum coll_supply_state st = coll_supply_state(&s, &pct);
        if (st != cases[i].state || !same(pct, cases[i].pct))
            fail_msg("case %zu (%s): %s %g", i, cases[i].why, coll_supply_state_name(st), pct);
    }

    /* as the engine reads them: a drum at -3, a waste box of no maximum, a toner at 5 %, a
     * row whose level did not come: the lowest known level is the toner's */
    struct coll_result r;
    char *json;

    coll_result_init(&r);
    cell_text(&r, C_SUP_DESCR, 1, "Drum");
    cell_int(&r, C_SUP_MAX, 1, 100);
    cell_int(&r, C_SUP_LEVEL, 1, -3);
    cell_text(&r, C_SUP_DESCR, 2, "Waste Toner Box");
    cell_int(&r, C_SUP_MAX, 2, -2);
    cell_int(&r, C_SUP_LEVEL, 2, -2);
    cell_text(&r, C_SUP_DESCR, 3, "Toner (Black)");
    cell_int(&r, C_SUP_MAX, 3, 100);
    cell_int(&r, C_SUP_LEVEL, 3, 5);
    cell_text(&r, C_SUP_DESCR, 4, "Fuser");
    cell_int(&r, C_SUP_MAX, 4, 100);
    assert_true(coll_supplies_min_pct(&r) == 5);
    json = coll_supplies_json(&r);
    assert_string_equal(json,
                        "[{\"descr\":\"Drum\",\"level_pct\":null,\"state\":\"some_remaining\"},"
                        "{\"descr\":\"Waste Toner Box\",\"level_pct\":null,\"state\":\"unknown\"},"
                        "{\"descr\":\"Toner (Black)\",\"level_pct\":5,\"state\":\"known\"},"
                        "{\"descr\":\"Fuser\",\"level_pct\":null,\"state\":\"unknown\"}]");
    free(json);
    coll_result_release(&r);

    /* nothing known: no figure at all, not 0 */
    struct coll_supply only = {.index = 1, .max = 100, .level = -3, .has_level = true};
    struct coll_result r2 = {.supplies = &only, .n_supplies = 1};
    assert_true(isnan(coll_supplies_min_pct(&r2)));
}

static char tmpdir[64];

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwfaXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

static void expect_fact(struct ww_db *db, long long id, const char *name, const char *want)
{
    char *got = NULL;
    assert_int_equal(inv_fact_get(db, id, name, &got), 0);
    if (want ? !got || strcmp(got, want) != 0 : got != NULL)
        fail_msg("fact %s: '%s', want '%s'", name, got ? got : "(none)", want ? want : "(none)");
    free(got);
}

/* a copier through the real write path: what is stored is what it said */
static void test_write_path(void **state)
{
    struct ww_config cfg = {.poll_interval = 60, .down_after = 3, .up_after = 1};
    char *dbpath = ww_asprintf("%s/ww.db", tmpdir), *rrd = ww_asprintf("%s/rrd", tmpdir);
    struct coll_wcache *cache = coll_wcache_new();
    struct inv_device d, dev, got;
    struct ww_db *db = NULL;
    struct store *st = NULL;
    struct coll_result r;
    char **last = NULL;
    size_t nlast = 0;
    long long id = 0;
    time_t t = 0;

    assert_int_equal(ww_db_open(dbpath, true, &db), 0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(store_open(rrd, NULL, &st), 0);
    inv_device_init(&d);
    d.name = (char *)"copier";
    d.host = (char *)"192.0.2.9";
    d.kind = (char *)"printer";
    d.snmp_community = (char *)"public";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    assert_int_equal(inv_device_get(db, id, &dev), 0);

    coll_result_init(&r);
    r.ok = true;
    r.poll_ms = 5;
    r.done_mono_ms = r.if_mono_ms = ww_mono_ms();
    r.uptime_ticks = 100000;
    take_descr(&r, os_cases[3].descr, strlen(os_cases[3].descr)); /* the Catalyst 3560 */
    cell_oid(&r, C_DEV_TYPE, 1, "1.3.6.1.4.1.2385.1.1.3.1.3"); /* the copier: no CPU */
    cell_text(&r, C_DEV_DESCR, 1, "Copier");
    cell_oid(&r, C_DEV_TYPE, 2, "1.3.6.1.2.1.25.3.1.3"); /* a processor without a load */
    cell_text(&r, C_DEV_DESCR, 2, "ARM");
    cell_text(&r, C_SUP_DESCR, 1, "Drum");
    cell_int(&r, C_SUP_MAX, 1, 100);
    cell_int(&r, C_SUP_LEVEL, 1, -3);
    cell_text(&r, C_SUP_DESCR, 2, "Toner");
    cell_int(&r, C_SUP_MAX, 2, 100);
    cell_int(&r, C_SUP_LEVEL, 2, 5);

    store_batch_begin(st);
    assert_int_equal(ww_db_begin(db), 0);
    assert_int_equal(coll_write_result(&cfg, db, st, cache, &dev, &r, false, time(NULL)), 0);
    assert_int_equal(ww_db_commit(db), 0);
    store_batch_end(st);

    expect_fact(db, id, "cpu_count", "1");
    expect_fact(db, id, "cpu_model", "ARM");
    expect_fact(db, id, "os", "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), "
                              "Version 12.2(55)SE3, RELEASE SOFTWARE (fc1)");
    expect_fact(db, id, "printer_supplies",
                "[{\"descr\":\"Drum\",\"level_pct\":null,\"state\":\"some_remaining\"},"
                "{\"descr\":\"Toner\",\"level_pct\":5,\"state\":\"known\"}]");
    assert_int_equal(inv_device_get(db, id, &got), 0);
    if (!isnan(got.metrics.cpu_pct) || got.metrics.supply_min_pct != 5)
        fail_msg("stored cpu %g %% (want unknown), lowest supply %g %% (want 5)",
                 got.metrics.cpu_pct, got.metrics.supply_min_pct);
    inv_device_release(&got);
    assert_int_equal(store_last(st, id, "supplies", &t, &last, &nlast), 0);
    assert_int_equal(nlast, 1);
    assert_string_equal(last[0], "5");
    free(last[0]);
    free(last);

    coll_result_release(&r);
    inv_device_release(&dev);
    coll_wcache_free(cache);
    store_free(st);
    ww_db_close(db);
    free(dbpath);
    free(rrd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_oids),
        cmocka_unit_test(test_unknown_not_zero),
        cmocka_unit_test(test_os_names),
        cmocka_unit_test(test_supplies),
        cmocka_unit_test(test_write_path),
    };
    ww_log_init("test_facts", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}
