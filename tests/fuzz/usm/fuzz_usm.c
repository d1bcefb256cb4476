/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_usm.c - the SNMPv3 engine-ID discovery answer (coll_v3_probe_parse, usm_probe.c) on
 * any bytes, as the Report to the probe with msgID 0x2a (the seeds' value). What it
 * accepts is an engine ID of 5..32 bytes taken from inside the packet, and boots and time
 * that are not negative.
 */
#include "collector/collector.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char engine[32];
    size_t elen = 0;
    long boots = -1, etime = -1;

    if (coll_v3_probe_parse(data, size, 0x2a, engine, &elen, &boots, &etime) != 0)
        return 0;
    FUZZ_CHECK(elen >= 5 && elen <= 32);
    FUZZ_CHECK(boots >= 0 && etime >= 0);
    FUZZ_CHECK(memmem(data, size, engine, elen) != NULL);
    return 0;
}
