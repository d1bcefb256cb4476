/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_devprofile.c - device profiles (collector/devprofile.c): a broken file is refused
 * with its file and line; the most specific profile wins; values are folded as the README
 * says (scale, map, mean/sum/highest/first, unknown never 0); the kind guess and its
 * evidence, with and without a profile; the merged measures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/snmp_int.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void clear_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -f %s/*.ini", dir);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/wwtest.devprof.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    coll_profiles_use(NULL);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define GOOD_HEAD "[profile]\nvendor = V\nkind = router\nobject_id = 1.3.6.1.4.1.99\n"

static void test_load_refuses(void **state)
{
    static const struct {
        const char *text;
        const char *err; /* what the message must hold, after "bad.ini:" */
        const char *why;
    } cases[] = {
        {"[profile]\nvendor = V\nkind = toaster\nobject_id = 1.3.6.1.4.1.9\n", "3: unknown kind",
         "a kind the inventory does not have"},
        {"[profile]\nvendor = V\nkind = router\nobject_id = 1.3.6.x.4\n", "4: object_id",
         "an OID with a letter"},
        {"[profile]\nvendor = V\nkind = router\ndescr = ([a-z\n", "4: bad regular expression",
         "a regex that does not compile"},
        {GOOD_HEAD "[cpu_pct]\nscale = 0.5\n", "no oid", "a value without its OID"},
        {GOOD_HEAD "[cpu_load]\noid = 1.3.6.1.4.1.99.1.0\n", "6: unknown section [cpu_load]",
         "a misspelt value name would silently read nothing"},
        {GOOD_HEAD "[cpu_pct]\noid = 1.3.6.1.4.1.99.1\nscal = 2\n", "7: unknown key 'scal'",
         "a misspelt key"},
        {GOOD_HEAD "[ups_on_battery]\noid = 1.3.6.1.4.1.99.2.0\nmap = 2=0 3=1\n", "7: map",
         "map pairs are raw:value"},
        {GOOD_HEAD "[temp_c]\noid = 1.3.6.1.4.1.99.3.0\nscale = 1/0\n", "7: scale",
         "a scale that divides by zero"},
        {"[profile]\nvendor = V\nkind = router\n", "needs an object_id or a descr",
         "a profile that matches nothing (or everything)"},
        {"[profile]\nkind = router\nobject_id = 1.3.6.1.4.1.9\n", "no vendor", "no vendor"},
        {GOOD_HEAD "model_from_descr = ^RouterOS .*$\n", "capture group",
         "a model pattern that captures nothing"},
        {GOOD_HEAD "[kind]\nswitch = sysdescr Catalyst\n", "[kind] rule",
         "a kind rule of an unknown type"},
        {"[profile]\nvendor = V\nkind = router\ndescr = "
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
         "4: a line longer than", "the INI reader would cut it and read the rest as a line"},
        {GOOD_HEAD "[cpu_pct]\noid = 1.3.6.1.4.1.99.1\n[cpu_pct]\noid = 1.3.6.1.4.1.99.2\n",
         "given twice", "the same value twice: which one would count?"},
        {"oid = 1.3.6.1.2.1.1.5.0\n" GOOD_HEAD, "1: oid before any [section]",
         "a key before the first section (once a NULL dereference, found by fuzzing)"},
        {GOOD_HEAD "[cpu_load]\noid = 1.3.6.1.4.1.99.1.0\nscale = 2\n[bogus]\nx = 1\n",
         "6: unknown section [cpu_load]",
         "keys after an unknown section (once a NULL dereference, found by fuzzing): the "
         "first error is the one told"},
        {GOOD_HEAD "[kind]\nswitch = descr R++++++++++++++++++++++++++++++++++SR\n",
         "too many repetitions",
         "stacked repetitions made glibc's regcomp ask for gigabytes (found by fuzzing)"},
        {GOOD_HEAD "model_from_descr = ((((((a{32}){32}){32}){32}){32}){32})\n",
         "too many repetitions", "nested intervals: 32^6 copies"},
        {GOOD_HEAD "also = answers 1.3.6.1.4.1.99.7.0\n", "also needs an object_id or a descr",
         "an also line that an answer alone would make match every device"},
        {GOOD_HEAD "also = object_id 1.3.6.1.4.1.99 object_id 1.3.6.1.4.1.98\n", "each at most once",
         "two object_ids in one also line: both cannot hold"},
        {GOOD_HEAD "also = sysdescr Linux\n", "also is", "an unknown word"},
        {GOOD_HEAD "also = object_id 1.3.x\n", "also: object_id", "an OID with a letter"},
        {GOOD_HEAD "also = descr\n", "one descr with a regex", "descr without its regex"},
        {GOOD_HEAD "also = object_id 1.3.6.1.4.1.99 descr ([a-z\n", "bad regular expression",
         "a regex that does not compile"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_profiles *set = (void *)1;
        char err[512], want[256];
        clear_dir();
        write_file("a-good.ini", GOOD_HEAD);
        write_file("bad.ini", cases[i].text);
        int rc = coll_profiles_load(dir, &set, err, sizeof(err));
        snprintf(want, sizeof(want), "bad.ini:%s", cases[i].err);
        if (rc != -EINVAL || set != NULL ||
            (!strstr(err, want) && !strstr(err, cases[i].err)) || !strstr(err, "bad.ini"))
            fail_msg("case %zu (%s): rc %d, err '%s', want '%s'", i, cases[i].why, rc, err,
                     want);
    }
    /* a missing folder is its own answer: the collector then reads the standard MIBs */
    {
        struct coll_profiles *set;
        char err[512];
        assert_int_equal(coll_profiles_load("/nonexistent/profiles", &set, err, sizeof(err)),
                         -ENOENT);
        assert_null(set);
    }
}

static const char *const set_files[][2] = {
    {"linux.ini", "[profile]\nvendor = Linux\nkind = server\nobject_id = 1.3.6.1.4.1.8072.3.2.10\n"
                  "descr = ^Linux\n"},
    {"synology.ini", "[profile]\nvendor = Synology\nkind = nas\n"
                     "object_id = 1.3.6.1.4.1.8072.3.2.10\n"
                     "answers = 1.3.6.1.4.1.6574.1.5.1.0\n"
                     "[model]\noid = 1.3.6.1.4.1.6574.1.5.1.0\n"},
    {"cisco.ini", "[profile]\nvendor = Cisco\nkind = router\nobject_id = 1.3.6.1.4.1.9\n"
                  "model_from_descr = Software \\(([A-Z0-9]+)-\n"
                  "[kind]\nap = object_id 1.3.6.1.4.1.9.1.525\nswitch = descr C3560|Catalyst\n"
                  "[cpu_pct]\noid = 1.3.6.1.4.1.9.9.109.1.1.1.1.8\n"},
    {"apc.ini", "[profile]\nvendor = APC\nkind = ups\nobject_id = 1.3.6.1.4.1.318.1\n"
                "[ups_runtime_min]\noid = 1.3.6.1.4.1.318.1.1.1.2.2.3.0\nscale = 1/6000\n"
                "[ups_on_battery]\noid = 1.3.6.1.4.1.318.1.1.1.4.1.1.0\nmap = 2:0 3:1\n"
                "[ups_charge_pct]\noid = 1.3.6.1.4.1.318.1.1.1.2.2.1.0\n"
                "[temp_c]\noid = 1.3.6.1.4.1.318.1.1.10.2.3.2.1.4\nignore = 2147483647\n"
                "[mem_used]\noid = 1.3.6.1.4.1.318.9.1\nscale = 1024\n"
                "[mem_free]\noid = 1.3.6.1.4.1.318.9.2\nscale = 1024\n"
                "[model]\noid = 1.3.6.1.4.1.318.1.1.1.1.1.1.0\n"},
    {"bydescr.ini", "[profile]\nvendor = DrayTek\nkind = router\ndescr = ^DrayTek Vigor\n"},
    /* after synology.ini by name: its answers OID is probe 1 (bit 2) */
    {"unifi.ini", "[profile]\nvendor = Ubiquiti\nkind = ap\nobject_id = 1.3.6.1.4.1.41112\n"
                  "also = object_id 1.3.6.1.4.1.8072.3.2.10 answers 1.3.6.1.4.1.41112.1.6.3.3.0\n"
                  "also = descr ^UAP-\n"},
};

static struct coll_profiles *load_set(void)
{
    struct coll_profiles *set = NULL;
    char err[512];
    clear_dir();
    for (size_t i = 0; i < WW_ARRAY_SIZE(set_files); i++)
        write_file(set_files[i][0], set_files[i][1]);
    if (coll_profiles_load(dir, &set, err, sizeof(err)) != 0)
        fail_msg("load: %s", err);
    assert_int_equal(coll_profiles_count(set), WW_ARRAY_SIZE(set_files));
    coll_profiles_use(set);
    return set;
}

static void test_match(void **state)
{
    static const struct {
        const char *oid, *descr;
        unsigned probes; /* bit 1: the Synology OID answered; bit 2: the UniFi one */
        const char *profile, *kind, *why;
    } cases[] = {
        {"1.3.6.1.4.1.8072.3.2.10", "Linux ds 4.4.59+ #25426 SMP", true, "synology", "nas",
         "an answered Synology OID beats the plain net-snmp Linux profile"},
        {"1.3.6.1.4.1.8072.3.2.10", "Linux web 5.10.0-26-amd64 #1 SMP", false, "linux",
         "server", "net-snmp on Linux without the Synology OID"},
        {"1.3.6.1.4.1.8072.3.2.10", "FreeBSD gw 13.2", false, NULL, "server",
         "object_id matches linux.ini but its descr does not: no profile, the words tell"},
        {"1.3.6.1.4.1.9.1.617", "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M)",
         false, "cisco", "switch", "[kind] descr rule"},
        {"1.3.6.1.4.1.9.1.525", "Cisco IOS Software, C1200 Software", false, "cisco", "ap",
         "[kind] object_id rule comes first"},
        {"1.3.6.1.4.1.9.1.1041", "Cisco IOS Software, C2900 Software", false, "cisco",
         "router", "no [kind] rule holds: the profile's kind"},
        {"1.3.6.1.4.1.91.1", "Cisco?", false, NULL, "other",
         "1.3.6.1.4.1.91 is not under 1.3.6.1.4.1.9: whole arcs, not characters"},
        {"1.3.6.1.4.1.318.1.3.27", "APC Web/SNMP Management Card", false, "apc", "ups",
         "sysObjectID prefix"},
        {NULL, "DrayTek Vigor2925 Series", false, "bydescr", "router",
         "sysDescr alone, no sysObjectID"},
        {"1.3.6.1.4.1.8072.3.2.10", "Linux U7PG2 3.3.8 #1", 2, "unifi", "ap",
         "an also line: net-snmp's object_id AND the UniFi answer beat linux.ini"},
        {"1.3.6.1.4.1.8072.3.2.10", "Linux U7PG2 3.3.8 #1", 0, "linux", "server",
         "the same device without the answer is a Linux box: every condition of the line"},
        {"1.3.6.1.4.1.99999", "UAP-AC-Lite 4.3.20", 0, "unifi", "ap",
         "the second also line, a descr alone"},
        {"1.3.6.1.4.1.41112.1.6", "UAP-AC-Pro", 0, "unifi", "ap",
         "the [profile] conditions still match on their own"},
    };
    struct coll_profiles *set = load_set();
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_result r;
        struct coll_guess g;
        coll_result_init(&r);
        r.sys_object_id = (char *)cases[i].oid;
        r.sys_descr = (char *)cases[i].descr;
        r.probes = cases[i].probes;
        const struct coll_profile *p = coll_profile_match(&r);
        const char *got = coll_profile_name(p);
        r.profile = p;
        coll_guess_kind(&r, &g);
        if ((got == NULL) != (cases[i].profile == NULL) ||
            (got && strcmp(got, cases[i].profile) != 0) || strcmp(g.kind, cases[i].kind) != 0)
            fail_msg("case %zu (%s): profile %s kind %s (%s)", i, cases[i].why,
                     got ? got : "none", g.kind, g.why);
        if (p && (!strstr(g.why, coll_profile_vendor(p)) || !strstr(g.why, g.kind)))
            fail_msg("case %zu: the why '%s' names no vendor or kind", i, g.why);
    }
    /* the evidence reads as the issue asks */
    {
        struct coll_result r;
        struct coll_guess g;
        coll_result_init(&r);
        r.sys_object_id = (char *)"1.3.6.1.4.1.318.1.3.27";
        coll_guess_kind(&r, &g);
        assert_string_equal(g.why, "sysObjectID 1.3.6.1.4.1.318.1 → APC (apc.ini) → ups");
        assert_string_equal(g.vendor, "APC");
    }
    coll_profiles_use(NULL);
    coll_profiles_free(set);
}

/* one varbind as the engine hands it over */
struct var {
    netsnmp_variable_list v;
    long i;
    oid name[MAX_OID_LEN];
};
static netsnmp_variable_list *mkvar(struct var *x, u_char type, long i, const char *s)
{
    memset(x, 0, sizeof(*x));
    x->v.type = type;
    x->v.name = x->name;
    x->v.name_length = 1;
    x->i = i;
    if (s) {
        x->v.val.string = (u_char *)s;
        x->v.val_len = strlen(s);
    } else {
        x->v.val.integer = &x->i;
        x->v.val_len = sizeof(x->i);
    }
    return &x->v;
}

/* the index of the value named @what in the APC profile (its file order) */
enum { V_RUNTIME, V_ONBATT, V_CHARGE, V_TEMP, V_MEMUSED, V_MEMFREE, V_MODEL };

static void test_take(void **state)
{
    struct coll_profiles *set = load_set();
    struct coll_result r;
    struct coll_measures m;
    struct var x;
    oid zero[1] = {0}, row[2] = {1, 7};

    coll_result_init(&r);
    r.sys_object_id = ww_strdup("1.3.6.1.4.1.318.1.3.27");
    r.profile = coll_profile_match(&r);
    assert_non_null(r.profile);

    /* TimeTicks 570900 = 5709 s = 95.15 min */
    coll_profile_take(&r, V_RUNTIME, zero, 1, mkvar(&x, ASN_TIMETICKS, 570900, NULL));
    assert_true(fabs(r.pm[COLL_PM_UPS_RUNTIME] - 95.15) < 1e-9);
    /* a state the map does not list stays unknown, never 0 */
    coll_profile_take(&r, V_ONBATT, zero, 1, mkvar(&x, ASN_INTEGER, 7, NULL));
    assert_true(isnan(r.pm[COLL_PM_UPS_ON_BATTERY]));
    coll_profile_take(&r, V_ONBATT, zero, 1, mkvar(&x, ASN_INTEGER, 3, NULL));
    assert_true(r.pm[COLL_PM_UPS_ON_BATTERY] == 1);
    /* -1 "not available" is unknown */
    coll_profile_take(&r, V_CHARGE, zero, 1, mkvar(&x, ASN_INTEGER, -1, NULL));
    assert_true(isnan(r.pm[COLL_PM_UPS_CHARGE]));
    /* noSuchInstance is unknown */
    coll_profile_take(&r, V_CHARGE, zero, 1, mkvar(&x, SNMP_NOSUCHINSTANCE, 0, NULL));
    assert_true(isnan(r.pm[COLL_PM_UPS_CHARGE]));
    /* temperature: the hottest row, negatives allowed, numbers as text too */
    coll_profile_take(&r, V_TEMP, row, 2, mkvar(&x, ASN_INTEGER, -5, NULL));
    coll_profile_take(&r, V_TEMP, row, 2, mkvar(&x, ASN_OCTET_STR, 0, "31.5 C"));
    coll_profile_take(&r, V_TEMP, row, 2, mkvar(&x, ASN_INTEGER, 20, NULL));
    /* "invalid" said as 2147483647 is no reading, not the hottest sensor */
    coll_profile_take(&r, V_TEMP, row, 2, mkvar(&x, ASN_INTEGER, 2147483647, NULL));
    assert_true(r.pm[COLL_PM_TEMP_C] == 31.5);
    /* memory rows add up, KiB scaled to bytes */
    coll_profile_take(&r, V_MEMUSED, row, 1, mkvar(&x, ASN_GAUGE, 100, NULL));
    coll_profile_take(&r, V_MEMUSED, row, 1, mkvar(&x, ASN_GAUGE, 300, NULL));
    coll_profile_take(&r, V_MEMFREE, row, 1, mkvar(&x, ASN_GAUGE, 600, NULL));
    assert_true(r.pm[COLL_PM_MEM_USED] == 400 * 1024.0);
    /* text: the first line, trimmed, valid UTF-8 */
    coll_profile_take(&r, V_MODEL, zero, 1, mkvar(&x, ASN_OCTET_STR, 0, "  Smart-UPS 750\r\nx"));
    assert_string_equal(coll_result_model(&r), "Smart-UPS 750");
    assert_string_equal(coll_result_vendor(&r), "APC");
    /* every numeric instance is kept for counter polls, with its row */
    assert_true(r.n_pinst >= 6);
    assert_int_equal(r.pinst[0].pv, V_RUNTIME);
    assert_int_equal(r.pinst[0].nsfx, 1);

    coll_measure(&r, &m);
    assert_true(m.v[COLL_PM_MEM_TOTAL] == 1000 * 1024.0);
    assert_true(fabs(m.v[COLL_PM_MEM_PCT] - 40.0) < 1e-9);
    assert_true(isnan(m.v[COLL_PM_CPU_PCT])); /* nobody said: unknown */
    assert_true(isnan(m.v[COLL_PM_UPS_CHARGE]));
    /* UPS-MIB fills what the profile did not give, and never overrides it */
    r.ups_charge = 88;
    r.ups_output_source = 3; /* normal: the profile's "on battery" stands */
    coll_measure(&r, &m);
    assert_true(m.v[COLL_PM_UPS_CHARGE] == 88);
    assert_true(m.v[COLL_PM_UPS_ON_BATTERY] == 1);
    coll_result_release(&r);
    coll_profiles_use(NULL);
    coll_profiles_free(set);
}

static void test_model_from_descr(void **state)
{
    struct coll_profiles *set = load_set();
    struct coll_result r;

    coll_result_init(&r);
    r.sys_object_id = ww_strdup("1.3.6.1.4.1.9.1.617");
    r.sys_descr = ww_strdup("Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), "
                            "Version 12.2(55)SE3\r\nTechnical Support");
    r.profile = coll_profile_match(&r);
    coll_profile_finish(&r);
    assert_string_equal(coll_result_model(&r), "C3560");
    coll_result_release(&r);
    coll_profiles_use(NULL);
    coll_profiles_free(set);
}

/* no profile: the standard MIBs and the words of sysDescr, in an order that puts what the
 * device is before what it has (issue #13: a PC with a print queue is not a printer) */
static void test_fallback_kind(void **state)
{
    struct coll_hrdev prn = {.index = 1, .type = 5, .descr = (char *)"Microsoft XPS Writer"};
    struct coll_supply sup = {.index = 1, .descr = (char *)"Black toner", .max = 100};
    static const struct {
        const char *descr;
        bool printer_row, supplies, ups;
        long long services;
        size_t n_ifs;
        const char *kind, *why;
    } cases[] = {
        {"Hardware: x86 Family 6 - Software: Windows Version 6.1 (Build 7601)", true, false,
         false, 76, 0, "pc", "a Windows PC with a print queue is a PC"},
        {"Linux files 3.10.0-514.el7.x86_64 #1 SMP", true, false, false, 72, 0, "server",
         "a Linux server with CUPS is a server"},
        {"Kyocera ECOSYS", true, true, false, 72, 0, "printer",
         "Printer-MIB supplies: a printer"},
        {"", true, false, false, 72, 0, "printer", "a printer row and no OS named"},
        {"Network Management Card", false, false, true, 72, 0, "ups", "UPS-MIB answered"},
        {"GS1900-48", false, false, false, 2, 50, "switch", "sysServices layer 2 only"},
        {"L3", false, false, false, 6, 24, "switch", "layers 2 and 3 on 24 ports: a switch"},
        {"gw", false, false, false, 6, 4, "router", "layers 2 and 3 on 4 ports: a router"},
        {"gw", false, false, false, 4, 2, "router", "layer 3 only"},
        {"box", false, false, false, -1, 2, "other", "nothing known"},
    };
    coll_profiles_use(NULL);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_result r;
        struct coll_guess g;
        coll_result_init(&r);
        r.sys_descr = (char *)cases[i].descr;
        if (cases[i].printer_row) {
            r.hrdev = &prn;
            r.n_hrdev = 1;
        }
        if (cases[i].supplies) {
            r.supplies = &sup;
            r.n_supplies = 1;
        }
        if (cases[i].ups)
            r.ups_battery_status = 2;
        r.sys_services = cases[i].services;
        r.n_ifs = cases[i].n_ifs;
        coll_guess_kind(&r, &g);
        if (strcmp(g.kind, cases[i].kind) != 0 || !g.why[0])
            fail_msg("case %zu (%s): got %s (%s)", i, cases[i].why, g.kind, g.why);
    }
}

/* a server and a desktop of one build say the same sysDescr: the sysObjectID tells */
static void test_windows_server_name(void **state)
{
    static const struct {
        const char *oid, *os, *want, *why;
    } cases[] = {
        {"1.3.6.1.4.1.311.1.1.3.1.2", "Windows 10 (build 17763)",
         "Windows Server 2019 (build 17763)", "a member server"},
        {"1.3.6.1.4.1.311.1.1.3.1.3", "Windows 10 (build 20348)",
         "Windows Server 2022 (build 20348)", "a domain controller"},
        {"1.3.6.1.4.1.311.1.1.3.1.2", "Windows 8.1 (build 9600)",
         "Windows Server 2012 R2 (build 9600)", "NT 6.3"},
        {"1.3.6.1.4.1.311.1.1.3.1.1", "Windows 10 (build 19045)", "Windows 10 (build 19045)",
         "a workstation keeps its desktop name"},
        {"1.3.6.1.4.1.311.1.1.3.1.22", "Windows 10 (build 19045)", "Windows 10 (build 19045)",
         ".1.22 is not under .1.2: whole arcs"},
        {"1.3.6.1.4.1.8072.3.2.10", "Linux 5.10.0", "Linux 5.10.0", "not Windows"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_result r;
        coll_result_init(&r);
        r.sys_object_id = ww_strdup(cases[i].oid);
        r.os_name = ww_strdup(cases[i].os);
        coll_os_name_edition(&r);
        if (strcmp(r.os_name, cases[i].want) != 0)
            fail_msg("case %zu (%s): got %s", i, cases[i].why, r.os_name);
        coll_result_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_refuses),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_take),
        cmocka_unit_test(test_model_from_descr),
        cmocka_unit_test(test_fallback_kind),
        cmocka_unit_test(test_windows_server_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
