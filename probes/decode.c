/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode.c - the passive decoder: one captured frame (link type, bytes, captured and
 * original length) into struct probe_pkt: link addresses, VLAN tags, every IP header
 * (tunnelled ones too), the transport ports, and a MAC/IP pair from ARP, NDP or DHCP.
 *
 * DESIGN: every read goes through a cursor (struct cur) that knows how many captured bytes
 * are left; a header that does not fit ends the frame with a drop reason, never a read past
 * @caplen. The original length is only ever counted, never used to find bytes. The rules
 * follow what tshark counts (SOURCES.md beside the test captures): IP headers quoted inside
 * ICMP errors are not endpoints, tunnelled IP (IP-in-IP, 6in4, GRE) is; a frame whose
 * transport header is cut still counts for its IP addresses.
 */
#include "probes/probes.h"

#include <string.h>

#include "common/banned.h"

struct cur {
    const uint8_t *p;
    uint32_t left;
};

static inline bool has(const struct cur *c, uint32_t n)
{
    return c->left >= n;
}

static inline void skip(struct cur *c, uint32_t n)
{
    c->p += n;
    c->left -= n;
}

static inline uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum {
    ET_IPV4 = 0x0800,
    ET_ARP = 0x0806,
    ET_VLAN = 0x8100,
    ET_QINQ = 0x88a8,
    ET_QINQ_OLD = 0x9100,
    ET_IPV6 = 0x86dd
};

static const char *const drop_names[PROBE_DROP_COUNT] = {
    [PROBE_OK] = "ok",
    [PROBE_DROP_LINK_UNKNOWN] = "link_unknown",
    [PROBE_DROP_TRUNC_LINK] = "trunc_link",
    [PROBE_DROP_TRUNC_VLAN] = "trunc_vlan",
    [PROBE_DROP_TOO_MANY_TAGS] = "too_many_tags",
    [PROBE_DROP_TRUNC_IP] = "trunc_ip",
    [PROBE_DROP_BAD_IP_VERSION] = "bad_ip_version",
    [PROBE_DROP_BAD_IP_HLEN] = "bad_ip_hlen",
    [PROBE_DROP_BAD_IP_LEN] = "bad_ip_len",
    [PROBE_DROP_TRUNC_IPV6_EXT] = "trunc_ipv6_ext",
    [PROBE_DROP_TOO_MANY_EXT] = "too_many_ext",
    [PROBE_DROP_TOO_DEEP] = "too_deep",
    [PROBE_DROP_TRUNC_ARP] = "trunc_arp",
    [PROBE_DROP_BAD_ARP] = "bad_arp",
    [PROBE_DROP_BAD_LEN] = "bad_len",
};

const char *probe_drop_name(int drop)
{
    if (drop < 0 || drop >= PROBE_DROP_COUNT || !drop_names[drop])
        return "?";
    return drop_names[drop];
}

bool probe_link_known(int link)
{
    switch (link) {
    case PROBE_LINK_NULL:
    case PROBE_LINK_ETHER:
    case PROBE_LINK_RAW_DLT:
    case PROBE_LINK_RAW_BSD:
    case PROBE_LINK_RAW:
    case PROBE_LINK_LOOP:
    case PROBE_LINK_SLL:
    case PROBE_LINK_IPV4:
    case PROBE_LINK_IPV6:
    case PROBE_LINK_SLL2:
        return true;
    default:
        return false;
    }
}

static bool zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* ARP for IPv4 over Ethernet: the sender's pair (a probe's sender 0.0.0.0 says nothing) */
static int arp(struct cur *c, struct probe_pkt *out)
{
    out->notes |= PROBE_NOTE_NOT_IP;
    if (!has(c, 8))
        return PROBE_DROP_TRUNC_ARP;
    uint16_t htype = be16(c->p), ptype = be16(c->p + 2);
    uint8_t hlen = c->p[4], plen = c->p[5];
    if (htype != 1 || ptype != ET_IPV4)
        return PROBE_OK; /* another hardware or protocol: not ours to read */
    if (hlen != 6 || plen != 4)
        return PROBE_DROP_BAD_ARP;
    if (!has(c, 8 + 2 * (6 + 4)))
        return PROBE_DROP_TRUNC_ARP;
    const uint8_t *sha = c->p + 8, *spa = c->p + 14;
    if (!zero(spa, 4) && !zero(sha, 6)) {
        out->pair.source = PROBE_PAIR_ARP;
        out->pair.family = 4;
        memcpy(out->pair.mac, sha, 6);
        memcpy(out->pair.ip, spa, 4);
    }
    return PROBE_OK;
}

/* NDP (ICMPv6 135/136): the link-layer address option's MAC with the address it names */
static void ndp(const uint8_t *icmp, uint32_t n, const struct probe_ip *ip, struct probe_pkt *out)
{
    uint8_t type = icmp[0];
    if (n < 24) {
        out->notes |= PROBE_NOTE_BAD_NDP;
        return;
    }
    const uint8_t *target = icmp + 8;
    /* NS: the sender's address with its Source Link-Layer option (none when the sender is
     * :: in duplicate address detection); NA: the target with its Target Link-Layer option */
    const uint8_t *addr = type == 135 ? ip->src : target;
    uint8_t want = type == 135 ? 1 : 2;
    const uint8_t *mac = NULL;
    for (uint32_t off = 24; off + 2 <= n;) {
        uint32_t olen = (uint32_t)icmp[off + 1] * 8;
        if (olen == 0 || off + olen > n) {
            out->notes |= PROBE_NOTE_BAD_NDP;
            break;
        }
        if (icmp[off] == want && olen >= 8)
            mac = icmp + off + 2;
        off += olen;
    }
    if (!mac && type == 136 && out->has_mac)
        mac = out->src_mac; /* an NA without the option: the frame's sender */
    if (!mac || zero(addr, 16) || zero(mac, 6) || addr[0] == 0xff)
        return;
    out->pair.source = PROBE_PAIR_NDP;
    out->pair.family = 6;
    memcpy(out->pair.mac, mac, 6);
    memcpy(out->pair.ip, addr, 16);
}

/* DHCPv4 (BOOTP on UDP 67/68): the client's MAC with its assigned, requested or own address */
static void dhcp(const uint8_t *b, uint32_t n, struct probe_pkt *out)
{
    if (n < 240 || be32(b + 236) != 0x63825363u) {
        out->notes |= PROBE_NOTE_BAD_DHCP;
        return;
    }
    if (b[1] != 1 || b[2] != 6)
        return; /* not Ethernet addresses */
    const uint8_t *ciaddr = b + 12, *yiaddr = b + 16, *chaddr = b + 28;
    const uint8_t *requested = NULL;
    int msgtype = 0;
    for (uint32_t off = 240; off < n;) {
        uint8_t code = b[off];
        if (code == 255)
            break;
        if (code == 0) {
            off++;
            continue;
        }
        if (off + 2 > n || off + 2 + b[off + 1] > n) {
            out->notes |= PROBE_NOTE_BAD_DHCP;
            break;
        }
        uint8_t olen = b[off + 1];
        if (code == 53 && olen == 1)
            msgtype = b[off + 2];
        else if (code == 50 && olen == 4)
            requested = b + off + 2;
        off += 2u + olen;
    }
    const uint8_t *ip = NULL;
    if (msgtype == 5 && !zero(yiaddr, 4))
        ip = yiaddr; /* DHCPACK: the address the server gave */
    else if (!zero(ciaddr, 4) && b[0] == 1)
        ip = ciaddr; /* a client renewing its own address */
    else if (msgtype == 3 && requested && !zero(requested, 4))
        ip = requested;
    if (!ip || zero(chaddr, 6))
        return;
    out->pair.source = PROBE_PAIR_DHCP;
    out->pair.family = 4;
    memcpy(out->pair.mac, chaddr, 6);
    memcpy(out->pair.ip, ip, 4);
}

static int ip_layer(struct cur *c, int version, struct probe_pkt *out);

/* a tunnelled IP header: its addresses count when it reads; when it does not, the outer
 * ones still stand (as in tshark), the frame only noted as cut */
static int tunnel(struct cur *c, int version, struct probe_pkt *out)
{
    if (ip_layer(c, version, out) != PROBE_OK)
        out->notes |= PROBE_NOTE_TRUNC_L4;
    return PROBE_OK;
}

/* the transport header of the innermost IP: ports, NDP, DHCP, or a tunnel */
static int transport(struct cur *c, struct probe_ip *ip, bool first_frag, struct probe_pkt *out)
{
    switch (ip->proto) {
    case 4:  /* IP-in-IP */
    case 41: /* IPv6 in IP (6in4), or IPv6 in IPv6 */
        if (!first_frag)
            return PROBE_OK;
        return tunnel(c, ip->proto == 4 ? 4 : 6, out);
    case 47: { /* GRE: flags, version 0, protocol type */
        if (!first_frag)
            return PROBE_OK;
        if (!has(c, 4)) {
            out->notes |= PROBE_NOTE_TRUNC_L4;
            return PROBE_OK;
        }
        uint16_t flags = be16(c->p), proto = be16(c->p + 2);
        uint32_t hl = 4 + ((flags & 0x8000) ? 4 : 0) + ((flags & 0x2000) ? 4 : 0) +
                      ((flags & 0x1000) ? 4 : 0);
        if ((flags & 0x0007) != 0 || (proto != ET_IPV4 && proto != ET_IPV6))
            return PROBE_OK; /* GRE v1 (PPTP) or another payload: not read */
        if (!has(c, hl)) {
            out->notes |= PROBE_NOTE_TRUNC_L4;
            return PROBE_OK;
        }
        skip(c, hl);
        return tunnel(c, proto == ET_IPV4 ? 4 : 6, out);
    }
    case 6:
    case 17:
    case 132: /* TCP, UDP, SCTP: ports first */
        if (!first_frag) {
            out->notes |= PROBE_NOTE_FRAGMENT;
            return PROBE_OK;
        }
        if (!has(c, ip->proto == 6 ? 20 : ip->proto == 17 ? 8 : 12)) {
            out->notes |= PROBE_NOTE_TRUNC_L4;
            return PROBE_OK;
        }
        out->has_ports = true;
        out->sport = be16(c->p);
        out->dport = be16(c->p + 2);
        if (ip->proto == 17 && ip->family == 4 &&
            ((out->sport == 68 && out->dport == 67) || (out->sport == 67 && out->dport == 68)))
            dhcp(c->p + 8, c->left - 8, out);
        return PROBE_OK;
    case 58: /* ICMPv6: NDP; an error's quoted packet is not read (tshark counts none) */
        if (!first_frag)
            return PROBE_OK;
        if (has(c, 1) && (c->p[0] == 135 || c->p[0] == 136))
            ndp(c->p, c->left, ip, out);
        return PROBE_OK;
    default:
        return PROBE_OK;
    }
}

static bool is_ext(uint8_t nh)
{
    /* hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6 */
    return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 || nh == 135 || nh == 139 ||
           nh == 140;
}

static int ip_layer(struct cur *c, int version, struct probe_pkt *out)
{
    if (out->nip >= PROBE_MAX_IP)
        return PROBE_DROP_TOO_DEEP;
    if (!has(c, 1))
        return PROBE_DROP_TRUNC_IP;
    int v = c->p[0] >> 4;
    if (version == 0)
        version = v; /* raw IP and loopback families that do not say which */
    if (v != version)
        return PROBE_DROP_BAD_IP_VERSION;
    struct probe_ip *ip = &out->ip[out->nip];
    bool first_frag = true;
    if (version == 4) {
        if (!has(c, 20))
            return PROBE_DROP_TRUNC_IP;
        uint32_t hl = (uint32_t)(c->p[0] & 0x0f) * 4;
        if (hl < 20)
            return PROBE_DROP_BAD_IP_HLEN;
        /* total length 0: a TSO segment captured before the NIC split it (Linux), which
         * tshark reads too ("assuming TSO"); otherwise it must hold the header */
        uint16_t total = be16(c->p + 2);
        if (total != 0 && total < hl)
            return PROBE_DROP_BAD_IP_LEN;
        memset(ip, 0, sizeof(*ip));
        ip->family = 4;
        ip->proto = c->p[9];
        memcpy(ip->src, c->p + 12, 4);
        memcpy(ip->dst, c->p + 16, 4);
        out->nip++;
        first_frag = (be16(c->p + 6) & 0x1fff) == 0;
        if (!has(c, hl)) {
            out->notes |= PROBE_NOTE_TRUNC_L4; /* options cut: the addresses still count */
            return PROBE_OK;
        }
        skip(c, hl);
        return transport(c, ip, first_frag, out);
    }
    if (version != 6)
        return PROBE_DROP_BAD_IP_VERSION;
    if (!has(c, 40))
        return PROBE_DROP_TRUNC_IP;
    memset(ip, 0, sizeof(*ip));
    ip->family = 6;
    memcpy(ip->src, c->p + 8, 16);
    memcpy(ip->dst, c->p + 24, 16);
    uint8_t nh = c->p[6];
    skip(c, 40);
    for (int n = 0; is_ext(nh); n++) {
        if (n >= PROBE_MAX_EXT)
            return PROBE_DROP_TOO_MANY_EXT;
        if (!has(c, 2))
            return PROBE_DROP_TRUNC_IPV6_EXT;
        uint32_t el;
        if (nh == 44) {
            if (!has(c, 8))
                return PROBE_DROP_TRUNC_IPV6_EXT;
            if ((be16(c->p + 2) & 0xfff8) != 0)
                first_frag = false;
            el = 8;
        } else if (nh == 51) {
            el = ((uint32_t)c->p[1] + 2) * 4; /* AH counts 4-byte words */
        } else {
            el = ((uint32_t)c->p[1] + 1) * 8;
        }
        if (!has(c, el))
            return PROBE_DROP_TRUNC_IPV6_EXT;
        nh = c->p[0];
        skip(c, el);
    }
    ip->proto = nh;
    out->nip++; /* counted once its extension headers read */
    return transport(c, ip, first_frag, out);
}

/* the network layer named by an ethertype */
static int by_ethertype(struct cur *c, uint16_t et, struct probe_pkt *out)
{
    while (et == ET_VLAN || et == ET_QINQ || et == ET_QINQ_OLD) {
        if (out->ntags >= PROBE_MAX_TAGS)
            return PROBE_DROP_TOO_MANY_TAGS;
        if (!has(c, 4))
            return PROBE_DROP_TRUNC_VLAN;
        out->tags[out->ntags++] = be16(c->p) & 0x0fff;
        et = be16(c->p + 2);
        skip(c, 4);
    }
    out->ethertype = et;
    switch (et) {
    case ET_IPV4:
        return ip_layer(c, 4, out);
    case ET_IPV6:
        return ip_layer(c, 6, out);
    case ET_ARP:
        return arp(c, out);
    default:
        out->notes |= PROBE_NOTE_NOT_IP;
        return PROBE_OK;
    }
}

static int ethernet(struct cur *c, struct probe_pkt *out)
{
    if (!has(c, 14))
        return PROBE_DROP_TRUNC_LINK;
    memcpy(out->dst_mac, c->p, 6);
    memcpy(out->src_mac, c->p + 6, 6);
    out->has_mac = true;
    uint16_t et = be16(c->p + 12);
    skip(c, 14);
    if (et < 0x0600) { /* an 802.3 length: LLC (CDP, STP), no IP read */
        out->notes |= PROBE_NOTE_NOT_IP;
        return PROBE_OK;
    }
    return by_ethertype(c, et, out);
}

/* Linux cooked capture: v1 pkttype(2) hatype(2) halen(2) addr(8) proto(2); v2 proto(2)
 * reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8) */
static int cooked(struct cur *c, bool v2, struct probe_pkt *out)
{
    uint32_t hl = v2 ? 20 : 16;
    if (!has(c, hl))
        return PROBE_DROP_TRUNC_LINK;
    uint16_t hatype = v2 ? be16(c->p + 8) : be16(c->p + 2);
    uint16_t halen = v2 ? c->p[11] : be16(c->p + 4);
    const uint8_t *addr = c->p + (v2 ? 12 : 6);
    uint16_t proto = v2 ? be16(c->p) : be16(c->p + 14);
    if ((hatype == 1 || hatype == 772) && halen == 6) {
        memcpy(out->src_mac, addr, 6); /* the sender only: cooked captures have no destination */
        out->has_mac = hatype == 1;
    }
    skip(c, hl);
    if (proto < 0x0600) { /* 802.2 LLC, 802.3 without LLC, CAN...: not IP */
        out->notes |= PROBE_NOTE_NOT_IP;
        return PROBE_OK;
    }
    return by_ethertype(c, proto, out);
}

/* BSD loopback: the address family, in host (NULL) or network (LOOP) byte order */
static int loopback(struct cur *c, bool network_order, struct probe_pkt *out)
{
    if (!has(c, 4))
        return PROBE_DROP_TRUNC_LINK;
    uint32_t fam = network_order ? be32(c->p)
                                 : (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 |
                                       (uint32_t)c->p[2] << 16 | (uint32_t)c->p[3] << 24;
    if (!network_order && fam > 0xffff)
        fam = be32(c->p); /* written on a big-endian machine */
    skip(c, 4);
    switch (fam) {
    case 2:
        return ip_layer(c, 4, out);
    case 10:
    case 24:
    case 28:
    case 30:
        return ip_layer(c, 6, out); /* Linux, BSDs, Darwin */
    default:
        out->notes |= PROBE_NOTE_NOT_IP;
        return PROBE_OK;
    }
}

int probe_decode(int link, const uint8_t *buf, uint32_t caplen, uint32_t len, struct probe_pkt *out)
{
    struct cur c = {buf, buf ? caplen : 0};
    int ret;

    memset(out, 0, sizeof(*out));
    out->wire_len = len;
    if (len < caplen) {
        /* a record that claims fewer bytes on the wire than it holds: its counts would be
         * wrong either way; tshark warns too */
        out->drop = PROBE_DROP_BAD_LEN;
        return out->drop;
    }
    switch (link) {
    case PROBE_LINK_ETHER:
        ret = ethernet(&c, out);
        break;
    case PROBE_LINK_SLL:
        ret = cooked(&c, false, out);
        break;
    case PROBE_LINK_SLL2:
        ret = cooked(&c, true, out);
        break;
    case PROBE_LINK_RAW:
    case PROBE_LINK_RAW_DLT:
    case PROBE_LINK_RAW_BSD:
        ret = ip_layer(&c, 0, out);
        break;
    case PROBE_LINK_IPV4:
        ret = ip_layer(&c, 4, out);
        break;
    case PROBE_LINK_IPV6:
        ret = ip_layer(&c, 6, out);
        break;
    case PROBE_LINK_NULL:
        ret = loopback(&c, false, out);
        break;
    case PROBE_LINK_LOOP:
        ret = loopback(&c, true, out);
        break;
    default:
        ret = PROBE_DROP_LINK_UNKNOWN;
        break;
    }
    out->drop = (uint8_t)ret;
    return ret;
}
