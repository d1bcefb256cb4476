/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_readiness.c - the readiness and age rules shipped in inventory/rules (run from the
 * repository's top): end of support for every OS name form the collector makes, Windows 11
 * verdicts for CPU strings (the processor rows of every recording in $WW_TESTDATA/snmprec have
 * a case here, checked by test_recordings_covered), the minimum spec, the loader's refusals
 * ("file:line: what"), and age with straight-line depreciation in integer VND, by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory/inventory.h"

#define RULES_DIR "inventory/rules"
#define TODAY "2026-12-07"
#define GIB (1024LL * 1024 * 1024)
#define GB 1000000000LL

static struct inv_rules *rules;

static int setup(void **state)
{
    char err[512];
    int ret = inv_rules_load(RULES_DIR, &rules, err, sizeof(err));
    if (ret < 0)
        fprintf(stderr, "rules: %s\n", err);
    return ret;
}

static int teardown(void **state)
{
    inv_rules_free(rules);
    return 0;
}

static void test_os(void **state)
{
    static const struct {
        const char *os, *release, *support, *ends, *why;
    } cases[] = {
        {"Windows XP (build 2600)", "windows-xp", "ended", "2014-04-08", "windows-xp-desktop"},
        {"Windows Server 2003 (build 3790)", "windows-server-2003", "ended", "2015-07-14",
         "windows-server-2003 recording"},
        {"Windows 2000 Server (build 2195)", "windows-server-2000", "ended", "2010-07-13",
         "named before plain 2000"},
        {"Windows Vista (build 6002)", "windows-vista", "ended", "2017-04-11", "Vista"},
        {"Windows 7 (build 7601)", "windows-7", "ended", "2020-01-14", "7"},
        {"Windows 8 (build 9200)", "windows-8", "ended", "2016-01-12", "8, not 8.1"},
        {"Windows 8.1 (build 9600)", "windows-8.1", "ended", "2023-01-10", "8.1"},
        {"Windows 10 (build 19045)", "windows-10", "ended", "2025-10-14", "10 22H2: ESU not assumed"},
        {"Windows 10 (build 17763)", "windows-10-ltsc", "unknown", "",
         "an LTSC build: the edition is not seen"},
        {"Windows 11 (build 22631)", "windows-11-23h2", "ended", "2026-11-10",
         "23H2 Enterprise ended 2026-11-10"},
        {"Windows 11 (build 26100)", "windows-11-24h2", "supported", "2027-10-12", "24H2"},
        {"Windows 11 (build 99999)", NULL, "unknown", "", "a build no line names"},
        {"Windows Server 2008 R2 (build 7601)", "windows-server-2008", "ended", "2020-01-14", "R2"},
        {"Windows Server 2012 R2 (build 9600)", "windows-server-2012", "ended", "2023-10-10", "R2"},
        {"Windows Server 2016 (build 14393)", "windows-server-2016", "supported", "2027-01-12",
         "2016, not the LTSC desktop line"},
        {"Windows Server 2019 (build 17763)", "windows-server-2019", "supported", "2029-01-09",
         "2019"},
        {"Windows", NULL, "unknown", "", "no build"},
        {"Windows Server", NULL, "unknown", "", "no build"},
        {"Linux 2.4.32-web100-bic", "linux-2.4", "ended", "2011-12-31", "linux-2.4-kernel"},
        {"Linux 3.10.0-514.el7.x86_64", "centos-7", "ended", "2024-06-30", "linux-centos7"},
        {"Linux 2.6.32-754.el6.x86_64", "centos-6", "ended", "2020-11-30", "el6"},
        {"Linux 4.18.0-513.el8.x86_64", "rhel-8", "unknown", "", "CentOS 8 or RHEL 8"},
        {"Linux 5.4.51-v7+", "raspbian-10", "ended", "2024-06-30", "linux-raspbian"},
        {"Linux 4.19.0-21-amd64", "debian-10", "ended", "2024-06-30", "Debian 10 kernel"},
        {"Linux 6.1.0-18-amd64", "debian-12", "supported", "2028-06-30", "Debian 12"},
        {"Linux 3.13.0-170-generic", "ubuntu-14.04", "ended", "2019-04-30", "14.04"},
        {"Linux 5.15.0-91-generic", "ubuntu-22.04", "supported", "2027-06-30", "22.04"},
        {"Linux 6.8.0-45-generic", "ubuntu-24.04", "supported", "2029-06-30", "24.04"},
        {"Linux 2.6.32.61", NULL, "unknown", "", "airOS: the kernel names no distribution"},
        {"Linux 5.10.0", NULL, "unknown", "", "a bare release"},
        {"Linux", NULL, "unknown", "", "no release"},
        {"RouterOS 6.48", NULL, "unknown", "", "nothing names it"},
        {NULL, NULL, "unknown", "", "no os fact"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inv_ready_input in = {.os = cases[i].os, .cpu_count = -1, .ram_bytes = -1,
                                     .disk_max_bytes = -1, .disk_total_bytes = -1};
        struct inv_readiness r;
        assert_int_equal(inv_readiness_eval(rules, &in, TODAY, &r), 0);
        if ((cases[i].release ? !r.os.release || strcmp(r.os.release, cases[i].release)
                              : r.os.release != NULL) ||
            strcmp(r.os.support, cases[i].support) || strcmp(r.os.ends_on, cases[i].ends))
            fail_msg("'%s' (%s): release %s support %s ends '%s'",
                     cases[i].os ? cases[i].os : "(null)", cases[i].why,
                     r.os.release ? r.os.release : "(null)", r.os.support, r.os.ends_on);
    }
}

/* the hrDeviceDescr of the processor rows in the recordings ($WW_TESTDATA/snmprec) */
#define REC_XEON "GenuineIntel: Intel(R) Xeon(R) CPU           E7430  @ 2.13GHz"
#define REC_I5 "GenuineIntel: Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz"

static const struct {
    const char *cpu, *verdict, *why;
} cpu_cases[] = {
    {REC_XEON, "not_ready", "linux-centos7: a 2008 Xeon"},
    {REC_I5, "not_ready", "vyatta-router: Sandy Bridge, 2nd generation"},
    {"Intel", "unknown", "windows-xp-desktop, windows-server-2003: a vendor alone"},
    {"", "unknown", "linux-raspbian, mikrotik, edgerouter: an empty row"},
    {"Intel(R) Pentium(R) 4 CPU 3.00GHz", "not_ready", "Pentium 4"},
    {"Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz", "not_ready", "Core 2"},
    {"Intel(R) Celeron(R) CPU G1820 @ 2.70GHz", "not_ready", "Haswell Celeron"},
    {"Intel(R) Celeron(R) CPU J4025 @ 2.00GHz", "unknown", "Gemini Lake: not decided by a rule"},
    {"Intel(R) Celeron(R) CPU G4900 @ 3.10GHz", "unknown", "Coffee Lake Celeron: no rule"},
    {"Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", "not_ready", "Broadwell-EP Xeon"},
    {"Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz", "not_ready", "Sandy Bridge-EP, v1 says 0"},
    {"Intel(R) Xeon(R) E-2176G CPU @ 3.70GHz", "likely", "Coffee Lake Xeon E"},
    {"Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz", "not_ready", "7th generation"},
    {"Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz", "likely", "8th generation"},
    {"Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", "likely", "8th generation laptop"},
    {"Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz", "likely", "10th generation, 5 digits"},
    {"12th Gen Intel(R) Core(TM) i5-12400", "likely", "12th generation"},
    {"13th Gen Intel(R) Core(TM) i7-13700H", "likely", "13th generation"},
    {"Intel(R) Core(TM) Ultra 7 155H", "likely", "Core Ultra"},
    {"Intel(R) Core(TM) i5 CPU       M 520  @ 2.40GHz", "not_ready", "1st generation i5"},
    {"Intel64 Family 6 Model 58 Stepping 9", "not_ready", "Windows' words for Ivy Bridge"},
    {"x86 Family 6 Model 42 Stepping 7", "not_ready", "Sandy Bridge"},
    {"Intel64 Family 6 Model 94 Stepping 3", "not_ready", "Skylake, 6th"},
    {"Intel64 Family 6 Model 158 Stepping 9", "not_ready", "Kaby Lake, 7th"},
    {"Intel64 Family 6 Model 158 Stepping 10", "likely", "Coffee Lake, 8th"},
    {"Intel64 Family 6 Model 142 Stepping 10", "likely", "Kaby Lake R, 8th"},
    {"Intel64 Family 6 Model 142 Stepping 8", "unknown", "model 142 stepping 8 does not decide"},
    {"Intel64 Family 6 Model 151 Stepping 5", "likely", "Alder Lake"},
    {"Intel64 Family 6 Model 85 Stepping 4", "unknown", "Skylake-SP or Cascade Lake: no rule"},
    {"AMD Ryzen 5 1600 Six-Core Processor", "not_ready", "Zen, Ryzen 1000"},
    {"AMD Ryzen 5 2600 Six-Core Processor", "likely", "Zen+, Ryzen 2000"},
    {"AMD Ryzen 5 2400G with Radeon Vega Graphics", "likely", "on Microsoft's list"},
    {"AMD Ryzen 7 5700U with Radeon Graphics", "likely", "Zen 2 laptop"},
    {"AMD Athlon(tm) II X2 250 Processor", "not_ready", "Athlon II"},
    {"AMD64 Family 23 Model 1 Stepping 1", "not_ready", "Zen by CPUID"},
    {"AMD64 Family 23 Model 8 Stepping 2", "likely", "Zen+ by CPUID"},
    {"AMD64 Family 25 Model 33 Stepping 0", "likely", "Zen 3 by CPUID"},
    {"AMD64 Family 21 Model 2 Stepping 0", "not_ready", "Piledriver"},
    {"ARMv7 Processor rev 4 (v7l)", "unknown", "no rule names it"},
    {NULL, "unknown", "no cpu_model fact"},
};

static void test_win11(void **state)
{
    for (size_t i = 0; i < sizeof(cpu_cases) / sizeof(cpu_cases[0]); i++) {
        /* enough RAM and disk: the CPU decides */
        struct inv_ready_input in = {.cpu_model = cpu_cases[i].cpu, .cpu_count = 4,
                                     .ram_bytes = 8 * GIB, .disk_max_bytes = 256 * GB,
                                     .disk_total_bytes = 256 * GB};
        struct inv_readiness r;
        assert_int_equal(inv_readiness_eval(rules, &in, TODAY, &r), 0);
        if (strcmp(r.win11.verdict, cpu_cases[i].verdict))
            fail_msg("'%s' (%s): %s, want %s", cpu_cases[i].cpu ? cpu_cases[i].cpu : "(null)",
                     cpu_cases[i].why, r.win11.verdict, cpu_cases[i].verdict);
        /* TPM 2.0 is never seen: it is always among the reasons or the unmeasured */
        const struct inv_ready_reasons *u =
            strcmp(r.win11.verdict, "not_ready") ? &r.win11.reasons : &r.win11.unmeasured;
        assert_true(u->n > 0);
        assert_string_equal(u->v[u->n - 1], "tpm_unknown");
    }
}

/* "a b c" of the codes */
static const char *joined(const struct inv_ready_reasons *r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t j = 0; j < r->n; j++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", j ? " " : "", r->v[j]);
    return buf;
}

static void test_win11_sizes(void **state)
{
    static const struct {
        long long ram, disk;
        const char *verdict, *reasons, *why;
    } cases[] = {
        {8 * GIB, 256 * GB, "likely", "tpm_unknown", "all met but the TPM nobody sees"},
        {4 * GIB - 200 * 1024 * 1024, 256 * GB, "likely", "tpm_unknown",
         "4 GB fitted, 3.8 GiB reported (graphics memory): counts as 4"},
        {2 * GIB, 256 * GB, "not_ready", "ram_too_small", "2 GB"},
        {8 * GIB, 40 * GB, "not_ready", "disk_too_small", "a 40 GB disk"},
        {2 * GIB, 40 * GB, "not_ready", "ram_too_small disk_too_small", "both"},
        {-1, 256 * GB, "unknown", "ram_unknown tpm_unknown", "RAM not measured"},
        {8 * GIB, -1, "unknown", "disk_unknown tpm_unknown", "no disk reported"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inv_ready_input in = {.cpu_model = "Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz",
                                     .cpu_count = 6, .ram_bytes = cases[i].ram,
                                     .disk_max_bytes = cases[i].disk,
                                     .disk_total_bytes = cases[i].disk};
        struct inv_readiness r;
        char got[128];
        assert_int_equal(inv_readiness_eval(rules, &in, TODAY, &r), 0);
        joined(&r.win11.reasons, got, sizeof(got));
        if (strcmp(r.win11.verdict, cases[i].verdict) || strcmp(got, cases[i].reasons))
            fail_msg("%s: %s (%s), want %s (%s)", cases[i].why, r.win11.verdict, got,
                     cases[i].verdict, cases[i].reasons);
    }
}

static void test_min_spec(void **state)
{
    static const struct {
        long long ram, disk, cores;
        const char *verdict, *reasons, *why;
    } cases[] = {
        {8 * GIB, 256 * GB, 4, "ok", "", "the defaults: 8 GB, 240 GB, 4 cores"},
        {4 * GIB, 256 * GB, 4, "below", "ram_below", "4 GB"},
        {8 * GIB, 120 * GB, 2, "below", "disk_below cores_below", "small disk, 2 cores"},
        {-1, 500 * GB, 8, "unknown", "ram_unknown", "RAM not measured"},
        {4 * GIB, -1, -1, "below", "ram_below", "one below is below, whatever else is unknown"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inv_ready_input in = {.cpu_count = cases[i].cores, .ram_bytes = cases[i].ram,
                                     .disk_max_bytes = cases[i].disk,
                                     .disk_total_bytes = cases[i].disk};
        struct inv_readiness r;
        char got[128];
        assert_int_equal(inv_readiness_eval(rules, &in, TODAY, &r), 0);
        joined(&r.min_spec.reasons, got, sizeof(got));
        if (strcmp(r.min_spec.verdict, cases[i].verdict) || strcmp(got, cases[i].reasons))
            fail_msg("%s: %s (%s), want %s (%s)", cases[i].why, r.min_spec.verdict, got,
                     cases[i].verdict, cases[i].reasons);
        assert_int_equal(r.min_spec.ram_min_bytes, 8 * GIB);
        assert_int_equal(r.min_spec.disk_min_bytes, 240 * GB);
        assert_int_equal(r.min_spec.cores_min, 4);
    }
}

static void test_age(void **state)
{
    static const struct {
        const char *kind, *in_service, *purchase;
        long long override, cost;
        const char *since;
        long long months, life, remaining, per_year, residual;
        const char *why;
    } cases[] = {
        /* 15,000,000 / 5 = 3,000,000 a year; 24 of 60 months gone: 15e6 * 36 / 60 = 9e6 */
        {"pc", NULL, "2024-12-07", 0, 15000000, "purchase", 24, 5, 36, 3000000, 9000000,
         "2 years old: 9,000,000 left"},
        {"pc", NULL, "2019-06-07", 0, 15000000, "purchase", 90, 5, 0, 3000000, 0,
         "7.5 years old, lifespan 5: nothing left, never below 0"},
        {"pc", "2025-12-07", "2019-06-07", 0, 15000000, "in_service", 12, 5, 48, 3000000,
         12000000, "the in-service date wins over the purchase date"},
        {"pc", NULL, "2024-12-08", 0, 15000000, "purchase", 23, 5, 37, 3000000, 9250000,
         "a day short of 24 months is 23"},
        {"pc", NULL, NULL, 0, 15000000, NULL, -1, 5, -1, 3000000, -1,
         "no date: age and residual unknown, the yearly figure known"},
        {"pc", NULL, "2024-12-07", 0, -1, "purchase", 24, 5, 36, -1, -1, "no cost"},
        {"switch", NULL, "2023-12-07", 0, 7000000, "purchase", 36, 7, 48, 1000000, 4000000,
         "a switch lives 7 years"},
        {"pc", NULL, "2023-12-07", 4, 12000000, "purchase", 36, 4, 12, 3000000, 3000000,
         "the device's override"},
        {"toaster", NULL, "2024-12-07", 0, 10000000, "purchase", 24, 5, 36, 2000000, 6000000,
         "an unlisted kind takes other's"},
        {"pc", NULL, "2027-01-01", 0, 10000000, "purchase", 0, 5, 60, 2000000, 10000000,
         "a date after today: age 0"},
        {"pc", NULL, NULL, 0, 10, NULL, -1, 5, -1, 2, -1, "integer VND: 10 / 5"},
        {"pc", NULL, "2024-12-07", 0, 7, "purchase", 24, 5, 36, 1, 4,
         "7 * 36 / 60 = 4.2: rounded down, never overstated"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inv_age_input in = {.kind = cases[i].kind, .in_service_date = cases[i].in_service,
                                   .purchase_date = cases[i].purchase,
                                   .lifespan_years = cases[i].override, .cost_vnd = cases[i].cost};
        struct inv_age a;
        assert_int_equal(inv_age_eval(rules, &in, TODAY, &a), 0);
        if ((cases[i].since ? !a.since || strcmp(a.since, cases[i].since) : a.since != NULL) ||
            a.age_months != cases[i].months || a.lifespan_years != cases[i].life ||
            a.remaining_months != cases[i].remaining ||
            a.depreciation_vnd_per_year != cases[i].per_year || a.residual_vnd != cases[i].residual)
            fail_msg("%s: since %s months %lld life %lld remaining %lld per year %lld residual %lld",
                     cases[i].why, a.since ? a.since : "(null)", a.age_months, a.lifespan_years,
                     a.remaining_months, a.depreciation_vnd_per_year, a.residual_vnd);
    }
    /* a battery */
    struct inv_age_input ups = {.kind = "ups", .cost_vnd = -1};
    struct inv_age a;
    assert_int_equal(inv_age_eval(rules, &ups, TODAY, &a), 0);
    assert_int_equal(a.battery_lifespan_years, 3);
    /* malformed dates */
    struct inv_age_input bad = {.kind = "pc", .purchase_date = "2024-13-01", .cost_vnd = 100};
    assert_int_equal(inv_age_eval(rules, &bad, TODAY, &a), -EINVAL);
    assert_null(a.since);
    assert_int_equal(a.residual_vnd, -1);
    assert_int_equal(inv_age_eval(rules, &ups, "7/12/2026", &a), -EINVAL);
}

/* ---- the loader refuses a broken file with file:line: what ---------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

#define GOOD_OS "[os]\nwindows-xp = 2014-04-08 ^Windows XP\n"
#define GOOD_CPU "[cpu]\ntoo_old = Pentium\n"
#define GOOD_SPEC                                                                               \
    "[win11]\nram_gb = 4\ndisk_gb = 64\n[min_spec]\nram_gb = 8\ndisk_gb = 240\ncores = 4\n"     \
    "[measure]\nram_reserved_pct = 10\n"
#define GOOD_LIFE "[lifespan]\npc = 5\nother = 5\n[part]\nups_battery = 3\n"

/* 20 x 10 characters: a 205-character line with "ok = " */
#define LONG_RE10 "Model0001|Model0002|Model0003|Model0004|Model0005|"
#define LONG_RE LONG_RE10 LONG_RE10 LONG_RE10 LONG_RE10

static void test_loader(void **state)
{
    static const struct {
        const char *file, *text, *err, *why;
    } cases[] = {
        {NULL, NULL, NULL, "the good set loads"},
        {"os.ini", "[os]\nxp = 2014-4-8 ^Windows XP\n", "os.ini:2: 'xp': end '2014-4-8' is not",
         "a date not YYYY-MM-DD"},
        {"os.ini", "[os]\nxp = 2014-02-30 ^Windows XP\n", "os.ini:2: 'xp': end '2014-02-30' is "
         "not a date", "no 30 February"},
        {"os.ini", "[os]\nxp = 2014-04-08\n", "os.ini:2: 'xp': want END REGEX", "no regex"},
        {"os.ini", "[os]\n\nxp = 2014-04-08 ^Windows (XP\n", "os.ini:3: bad regular expression",
         "an unbalanced parenthesis"},
        {"os.ini", "[oss]\nxp = 2014-04-08 XP\n", "os.ini:2: unknown section [oss]", "a typo"},
        {"cpu.ini", "[cpu]\nready = Core\n", "cpu.ini:2: unknown verdict 'ready'",
         "a verdict not ok/too_old/unknown"},
        {"cpu.ini", "[cpu]\nok = [\n", "cpu.ini:2: bad regular expression", "a bad regex"},
        {"spec.ini", "[win11]\nram_gb = four\n", "spec.ini:2: [win11] ram_gb: 'four' is not",
         "not a number"},
        {"spec.ini", "[min_spec]\ncores = 0\n", "spec.ini:2: [min_spec] cores: '0' is not a "
         "number 1..1024", "out of range"},
        {"spec.ini", "[win11]\nram_gb = 4\n", "spec.ini:0: missing [win11] disk_gb",
         "a key left out"},
        {"spec.ini", GOOD_SPEC "colour = red\n", "spec.ini:10: unknown key [measure] colour",
         "an unknown key"},
        {"lifespan.ini", "[lifespan]\npc = 5\ndesktop = 5\n",
         "lifespan.ini:3: unknown device kind 'desktop'", "kinds are inv_device_kinds"},
        {"lifespan.ini", "[lifespan]\npc = 5\npc = 6\n", "lifespan.ini:3: pc given twice",
         "a kind twice"},
        {"lifespan.ini", "[lifespan]\npc = 0\n", "lifespan.ini:2: pc: '0' is not a number",
         "zero years"},
        {"lifespan.ini", "[lifespan]\npc = 5\n[part]\nups_battery = 3\n",
         "lifespan.ini:0: missing [lifespan] other", "other is what unlisted kinds take"},
        {"cpu.ini", "[cpu]\nok Core\n", "cpu.ini:2: syntax error", "no ="},
        {"cpu.ini", "[cpu]\nok Core\nready = x\n", "cpu.ini:2: syntax error",
         "the first error is told, with its own line (inih reads on)"},
        {"cpu.ini", "[cpu]\nready = x\nalso = y\n", "cpu.ini:2: unknown verdict 'ready'",
         "not the last one"},
        {"cpu.ini", "[cpu]\nok = a+++++++++++++++++++++++++++++++++\n",
         "cpu.ini:2: regular expression 'a++", "stacked repetitions: glibc would want gigabytes"},
        {"cpu.ini", "[cpu]\n; fine\nok = " LONG_RE "\n",
         "cpu.ini:3: line longer than 198 characters", "inih would cut it: refused by number"},
    };
    char dir[] = "/tmp/ww-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inv_rules *r = (struct inv_rules *)1;
        char err[512];
        int ret;
        write_file(dir, "os.ini", GOOD_OS);
        write_file(dir, "cpu.ini", GOOD_CPU);
        write_file(dir, "spec.ini", GOOD_SPEC);
        write_file(dir, "lifespan.ini", GOOD_LIFE);
        if (cases[i].file)
            write_file(dir, cases[i].file, cases[i].text);
        ret = inv_rules_load(dir, &r, err, sizeof(err));
        if (!cases[i].err) {
            if (ret != 0)
                fail_msg("%s: %d %s", cases[i].why, ret, err);
            inv_rules_free(r);
            continue;
        }
        if (ret != -EINVAL || r != NULL || strncmp(err, cases[i].err, strlen(cases[i].err)))
            fail_msg("%s: %d '%s', want '%s'", cases[i].why, ret, err, cases[i].err);
    }
    /* a missing file */
    {
        struct inv_rules *r;
        char err[512], path[512];
        snprintf(path, sizeof(path), "%s/cpu.ini", dir);
        unlink(path);
        assert_int_equal(inv_rules_load(dir, &r, err, sizeof(err)), -ENOENT);
        assert_null(r);
        assert_non_null(strstr(err, "cpu.ini"));
    }
    for (const char *const *f = (const char *const[]){"os.ini", "spec.ini", "lifespan.ini", NULL};
         *f; f++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, *f);
        unlink(path);
    }
    rmdir(dir);
}

/* every processor string in the recordings has its case in cpu_cases[] */
static char *unhex(const char *h)
{
    size_t n = strlen(h) / 2;
    char *s = calloc(1, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        s[i] = (char)v;
    }
    return s;
}

static void test_recordings_covered(void **state)
{
    const char *data = getenv("WW_TESTDATA");
    char dirpath[1024];
    struct dirent *e;
    size_t seen = 0;
    DIR *d;

    if (!data)
        skip();
    snprintf(dirpath, sizeof(dirpath), "%s/snmprec", data);
    if (!(d = opendir(dirpath)))
        skip();
    while ((e = readdir(d))) {
        char path[2048], line[4096], procs[64][64];
        size_t np = 0;
        FILE *f;
        if (!strstr(e->d_name, ".snmprec"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dirpath, e->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        /* hrDeviceType rows that say hrDeviceProcessor, then their hrDeviceDescr */
        while (fgets(line, sizeof(line), f) && np < 64)
            if (strncmp(line, "1.3.6.1.2.1.25.3.2.1.2.", 23) == 0 &&
                strstr(line, "|1.3.6.1.2.1.25.3.1.3\n"))
                snprintf(procs[np++], sizeof(procs[0]), "1.3.6.1.2.1.25.3.2.1.3.%.*s|",
                         (int)strcspn(line + 23, "|"), line + 23);
        rewind(f);
        while (fgets(line, sizeof(line), f)) {
            for (size_t i = 0; i < np; i++) {
                size_t n = strlen(procs[i]);
                char *descr, *type, *val;
                bool found = false;
                if (strncmp(line, procs[i], n) != 0)
                    continue;
                line[strcspn(line, "\n")] = '\0';
                type = line + n;
                val = type + strcspn(type, "|");
                if (*val)
                    *val++ = '\0';
                descr = strcmp(type, "4x") == 0 ? unhex(val) : strdup(val);
                for (size_t c = 0; c < sizeof(cpu_cases) / sizeof(cpu_cases[0]); c++)
                    if (cpu_cases[c].cpu && strcmp(cpu_cases[c].cpu, descr) == 0)
                        found = true;
                if (!found)
                    fail_msg("%s: processor '%s' has no case in cpu_cases[]", e->d_name, descr);
                free(descr);
                seen++;
            }
        }
        fclose(f);
    }
    closedir(d);
    assert_true(seen > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_os),          cmocka_unit_test(test_win11),
        cmocka_unit_test(test_win11_sizes), cmocka_unit_test(test_min_spec),
        cmocka_unit_test(test_age),         cmocka_unit_test(test_loader),
        cmocka_unit_test(test_recordings_covered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
