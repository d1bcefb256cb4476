/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_pcap.c - the probe's readers on any bytes: the first byte picks a link type from
 * the ones probe_decode() reads (and one it does not), the second how much longer the
 * original length claims to be; the rest is one frame, decoded with a copy of exactly its
 * size (a read past it is an ASan report) and counted by a small probe_acct (so eviction
 * runs). The same bytes go through probe_pcapng_next() as a whole file. Properties: a
 * decoded frame stays inside its bounds (tags, IP headers, drop reason in range; addresses
 * only when the frame was read), every pcapng frame lies inside the buffer, the reader
 * always ends (0 or -EIO).
 */
#include <errno.h>

#include "probes/probes.h"
#include "tests/fuzz/fuzz.h"


static const int links[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147};

static struct probe_acct *fuzz_acct;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct probe_pkt k;
    if (size < 2)
        return 0;
    if (!fuzz_acct)
        fuzz_acct = probe_acct_new(32); /* kept across inputs: the table fills and evicts */
    int link = links[data[0] % (sizeof(links) / sizeof(links[0]))];
    uint32_t caplen = (uint32_t)(size - 2);
    uint32_t len = caplen + (data[1] < 0x80 ? data[1] : 0u) - (data[1] == 0xff && caplen);
    uint8_t *copy = malloc(caplen ? caplen : 1);
    FUZZ_CHECK(copy);
    if (caplen)
        memcpy(copy, data + 2, caplen);
    int r = probe_decode(link, caplen ? copy : NULL, caplen, len, &k);
    FUZZ_CHECK(r == k.drop && r >= 0 && r < PROBE_DROP_COUNT);
    FUZZ_CHECK(k.ntags <= PROBE_MAX_TAGS && k.nip <= PROBE_MAX_IP);
    FUZZ_CHECK(k.wire_len == len);
    FUZZ_CHECK(r != PROBE_OK || link != 147);
    for (unsigned i = 0; i < k.nip; i++)
        FUZZ_CHECK(k.ip[i].family == 4 || k.ip[i].family == 6);
    if (k.pair.source)
        FUZZ_CHECK(k.pair.family == 4 || k.pair.family == 6);
    probe_acct_add(fuzz_acct, &k, (int64_t)data[1] * 300);
    free(copy);

    struct probe_pcapng st = {0};
    struct probe_frame f;
    size_t pos = 0;
    int n = 0;
    while ((r = probe_pcapng_next(data, size, &pos, &st, &f)) == 1) {
        FUZZ_CHECK(f.data >= data && f.data + f.caplen <= data + size);
        FUZZ_CHECK(pos <= size);
        probe_decode(f.link, f.data, f.caplen, f.len, &k);
        FUZZ_CHECK(++n <= (int)size);
    }
    FUZZ_CHECK(r == 0 || r == -EIO);
    return 0;
}
