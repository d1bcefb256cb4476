/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * icmp.c - the ICMP echo socket code every pinger shares (the collector's pinger,
 * collector/icmp.c, and wardwatch-probe's checks, probes/check.c): a socket (a Linux ping
 * socket, allowed by net.ipv4.ping_group_range, else a raw one with CAP_NET_RAW), an echo
 * request, and the test whether a packet read back is an echo reply for us. IPv4 and IPv6.
 * Pure functions over buffers besides ww_icmp_socket(); any thread.
 */
#include "common/common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/socket.h>

#include "common/banned.h"

int ww_icmp_socket(int family, bool *out_raw)
{
    int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);

    *out_raw = false;
    if (fd >= 0)
        return fd;
    fd = socket(family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
    *out_raw = fd >= 0;
    return fd;
}

static uint16_t checksum(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t sum = 0;

    for (; len > 1; p += 2, len -= 2)
        sum += (uint32_t)(p[0] << 8 | p[1]);
    if (len)
        sum += (uint32_t)(p[0] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t)~sum);
}

void ww_icmp_echo(int family, uint16_t ident, uint16_t seq, uint8_t out_pkt[WW_ICMP_ECHO_LEN])
{
    memset(out_pkt, 0, WW_ICMP_ECHO_LEN);
    out_pkt[0] = family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
    out_pkt[4] = (uint8_t)(ident >> 8);
    out_pkt[5] = (uint8_t)ident;
    out_pkt[6] = (uint8_t)(seq >> 8);
    out_pkt[7] = (uint8_t)seq;
    memcpy(out_pkt + 8, "wardwtch", 8);
    if (family != AF_INET6) { /* ICMPv6's checksum covers a pseudo-header: the kernel's */
        uint16_t cs = checksum(out_pkt, WW_ICMP_ECHO_LEN);
        memcpy(out_pkt + 2, &cs, 2);
    }
}

bool ww_icmp_reply(const uint8_t *buf, size_t len, int family, bool raw, uint16_t ident,
                   uint16_t *out_seq)
{
    const uint8_t *icmp = buf;
    size_t left = len;
    uint8_t want = family == AF_INET6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;

    if (raw && family != AF_INET6) { /* a raw IPv4 socket hands the IP header too */
        size_t ihl;
        if (len < 20 || (buf[0] >> 4) != 4)
            return false;
        ihl = (size_t)(buf[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > len)
            return false;
        icmp = buf + ihl;
        left = len - ihl;
    }
    if (left < 8 || icmp[0] != want || icmp[1] != 0)
        return false;
    if (raw && (uint16_t)(icmp[4] << 8 | icmp[5]) != ident)
        return false;
    if (out_seq)
        *out_seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
    return true;
}
