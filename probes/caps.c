/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * caps.c - the probe's capabilities, through the capget/capset and prctl system calls
 * (libcap is not needed for so little): may it capture, and dropping everything once its
 * capture handle is open. CAP_NET_RAW is the only capability the probe ever uses (an
 * AF_PACKET socket; promiscuous mode through PACKET_ADD_MEMBERSHIP needs no CAP_NET_ADMIN).
 */
#include "probes/probes.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/common.h"
#include "common/banned.h"

static int caps_get(struct __user_cap_data_struct d[2])
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    memset(d, 0, 2 * sizeof(*d));
    return (int)syscall(SYS_capget, &h, d);
}

bool probe_caps_have_net_raw(void)
{
    struct __user_cap_data_struct d[2];
    if (caps_get(d) < 0)
        return false;
    return (d[0].permitted & (1u << CAP_NET_RAW)) != 0;
}

uint64_t probe_caps_effective(void)
{
    struct __user_cap_data_struct d[2];
    if (caps_get(d) < 0)
        return UINT64_MAX;
    return (uint64_t)d[1].effective << 32 | d[0].effective;
}

int probe_caps_drop_all(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    unsigned dropped_bounding = 0;

    /* the bounding set first: it needs CAP_SETPCAP, which the capset below takes away */
    if (caps_get(d) == 0 && (d[0].effective & (1u << CAP_SETPCAP))) {
        for (int cap = 0; cap <= 63; cap++) {
            if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1)
                continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
                dropped_bounding++;
        }
    }
    /* ambient capabilities would survive into a child: none */
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    memset(d, 0, sizeof(d));
    if (syscall(SYS_capset, &h, d) < 0)
        return ww_error(-EPERM, "probe: capset: cannot drop capabilities: %s", strerror(errno));
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return ww_error(-EPERM, "probe: prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
    ww_log(WW_LOG_INFO,
           "probe: capabilities dropped: effective, permitted and inheritable "
           "sets empty (CapEff %016llx), %u removed from the bounding set, "
           "no_new_privs set",
           (unsigned long long)probe_caps_effective(), dropped_bounding);
    return 0;
}
