/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_profile.c - one device-profile INI file (coll_profiles_load(), devprofile.c) from
 * any bytes: written as fuzz.ini alone in a temp folder and loaded as the collector loads
 * its profile_dir. A profile that loads is put to use and matched against a Linux, a
 * Windows and a printer answer (its sysObjectID and sysDescr rules, its model regex run by
 * coll_profile_finish()); then freed (the leak checker sees what is not).
 */
#include "collector/collector.h"
#include "collector/snmp_int.h"
#include "tests/fuzz/fuzz.h"

static const struct {
    const char *oid, *descr;
} answers[] = {
    {"1.3.6.1.4.1.8072.3.2.10", "Linux nas01 5.10.0-28-amd64 #1 SMP Debian x86_64"},
    {"1.3.6.1.4.1.311.1.1.3.1.1",
     "Hardware: Intel64 Family 6 - Software: Windows Version 6.3 (Build 19045 Multiprocessor "
     "Free)"},
    {"1.3.6.1.4.1.2435.2.3.9.1", "Brother NC-8300h, Firmware Ver.1.02 (14.08.2019)"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct coll_profiles *set = NULL;
    char err[256];
    const char *dir;

    ww_log_init("fuzz_profile", WW_LOG_ERR);
    dir = fuzz_file("fuzz.ini", data, size);
    if (coll_profiles_load(dir, &set, err, sizeof(err)) != 0) {
        FUZZ_CHECK(!set && err[0]);
        return 0;
    }
    FUZZ_CHECK(coll_profiles_count(set) == 1);
    coll_profiles_use(set);
    for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
        struct coll_result r;
        coll_result_init(&r);
        r.sys_object_id = ww_strdup(answers[i].oid);
        r.sys_descr = ww_strdup(answers[i].descr);
        r.os_name = coll_os_name(r.sys_descr);
        r.profile = coll_profile_match(&r);
        coll_profile_finish(&r);
        (void)coll_result_vendor(&r);
        (void)coll_result_model(&r);
        coll_result_release(&r);
    }
    coll_profiles_use(NULL);
    coll_profiles_free(set);
    return 0;
}
