/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_decode.c - probe_decode() on hand-built frames: every link type it reads, VLAN and
 * QinQ tags, IPv6 extension headers and fragments, tunnels, ARP/NDP/DHCP pairs, malformed
 * headers, and every frame cut at every length (each cut either refused with the reason of
 * the layer it falls in, or read with the addresses it holds: never a read past caplen,
 * which ASan would catch: each cut is copied into a buffer of exactly that size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probes.h"
#include "tests/unit/probes/pkt_build.h"

/* ---- frames ---------------------------------------------------------------------------- */

static void f_eth_tcp(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 6, 40, 0);
    tcp(p, 51000, 443);
}

static void f_vlan_udp(struct pb *p)
{
    eth(p, 0x8100);
    vlan(p, 10, 0x0800);
    ipv4(p, 17, 28, 0);
    udp(p, 5353, 53, 8);
}

static void f_qinq(struct pb *p)
{
    eth(p, 0x88a8);
    vlan(p, 118, 0x8100);
    vlan(p, 10, 0x86dd);
    ipv6(p, 6, 20);
    tcp(p, 80, 40000);
}

static void f_qinq_9100(struct pb *p)
{
    eth(p, 0x9100);
    vlan(p, 209, 0x8100);
    vlan(p, 20, 0x0800);
    ipv4(p, 1, 28, 0);
    pb_zero(p, 8);
}

static void f_five_tags(struct pb *p)
{
    eth(p, 0x8100);
    for (int i = 0; i < 5; i++)
        vlan(p, (unsigned)i + 1, i < 4 ? 0x8100 : 0x0800);
    ipv4(p, 17, 28, 0);
    udp(p, 1, 2, 8);
}

static void f_ipv6_ext(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 0, 8 + 16 + 8 + 8);
    ext(p, 60, 0);   /* hop-by-hop -> destination options */
    ext(p, 44, 1);   /* destination options (16 bytes) -> fragment */
    frag6(p, 17, 0); /* the first fragment: ports present */
    udp(p, 123, 123, 8);
}

static void f_ipv6_frag_later(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 44, 16);
    frag6(p, 17, 185);
    pb_zero(p, 8);
}

static void f_ipv6_nine_ext(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 60, 72);
    for (int i = 0; i < 9; i++)
        ext(p, i < 8 ? 60 : 6, 0);
}

static void f_ipv6_ah(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 51, 36);
    pb_u8(p, 17); /* AH: next header, payload length in 4-byte words minus 2 (4 -> 24 B) */
    pb_u8(p, 4);
    pb_zero(p, 22);
    udp(p, 500, 500, 8);
}

static void f_ipv4_frag_later(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 6, 28, 100);
    pb_zero(p, 8);
}

static void f_sll_ipv4(struct pb *p)
{
    pb_u16(p, 0); /* to us */
    pb_u16(p, 1); /* ARPHRD_ETHER */
    pb_u16(p, 6);
    pb_bytes(p, MAC_A, 6);
    pb_zero(p, 2);
    pb_u16(p, 0x0800);
    ipv4(p, 6, 40, 0);
    tcp(p, 22, 60000);
}

static void f_sll_llc(struct pb *p)
{
    pb_u16(p, 0);
    pb_u16(p, 1);
    pb_u16(p, 6);
    pb_bytes(p, MAC_A, 6);
    pb_zero(p, 2);
    pb_u16(p, 0x0004); /* 802.2 LLC */
    pb_zero(p, 20);
}

static void f_sll2_ipv6(struct pb *p)
{
    pb_u16(p, 0x86dd);
    pb_u16(p, 0);
    pb_u32(p, 2);  /* ifindex */
    pb_u16(p, 1);  /* ARPHRD_ETHER */
    pb_u8(p, 4);   /* outgoing */
    pb_u8(p, 6);
    pb_bytes(p, MAC_A, 6);
    pb_zero(p, 2);
    ipv6(p, 17, 8);
    udp(p, 546, 547, 8);
}

static void f_raw_ipv4(struct pb *p)
{
    ipv4(p, 17, 28, 0);
    udp(p, 1000, 53, 8);
}

static void f_raw_ipv6(struct pb *p)
{
    ipv6(p, 6, 20);
    tcp(p, 443, 50000);
}

static void f_null_ipv6_darwin(struct pb *p)
{
    pb_u8(p, 30); /* AF_INET6 on Darwin, little-endian host order */
    pb_zero(p, 3);
    ipv6(p, 17, 8);
    udp(p, 443, 50001, 8);
}

static void f_null_ipv4_bigendian(struct pb *p)
{
    pb_u32(p, 2); /* written by a big-endian machine */
    ipv4(p, 6, 40, 0);
    tcp(p, 25, 2525);
}

static void f_loop_ipv4(struct pb *p)
{
    pb_u32(p, 2); /* LOOP: network byte order */
    ipv4(p, 6, 40, 0);
    tcp(p, 25, 2525);
}

static void f_null_other(struct pb *p)
{
    pb_u8(p, 7);
    pb_zero(p, 3);
    pb_zero(p, 20);
}

static void arp_body(struct pb *p, unsigned hlen, const uint8_t *spa)
{
    pb_u16(p, 1);
    pb_u16(p, 0x0800);
    pb_u8(p, hlen);
    pb_u8(p, 4);
    pb_u16(p, 1);
    pb_bytes(p, MAC_A, 6);
    pb_bytes(p, spa, 4);
    pb_zero(p, 6);
    pb_bytes(p, IP4_B, 4);
}

static void f_arp(struct pb *p)
{
    eth(p, 0x0806);
    arp_body(p, 6, IP4_A);
}

static void f_arp_probe(struct pb *p)
{
    static const uint8_t none[4] = {0};
    eth(p, 0x0806);
    arp_body(p, 6, none);
}

static void f_arp_bad(struct pb *p)
{
    eth(p, 0x0806);
    arp_body(p, 8, IP4_A);
}

static void f_vlan_arp(struct pb *p)
{
    eth(p, 0x8100);
    vlan(p, 30, 0x0806);
    arp_body(p, 6, IP4_A);
}

static void f_ndp_ns(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 58, 32);
    pb_u8(p, 135);
    pb_zero(p, 7);
    pb_bytes(p, IP6_B, 16); /* target */
    pb_u8(p, 1);            /* source link-layer address */
    pb_u8(p, 1);
    pb_bytes(p, MAC_A, 6);
}

static void f_ndp_na(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 58, 32);
    pb_u8(p, 136);
    pb_zero(p, 3);
    pb_u32(p, 0x60000000u);
    pb_bytes(p, IP6_A, 16); /* target */
    pb_u8(p, 2);            /* target link-layer address */
    pb_u8(p, 1);
    pb_bytes(p, MAC_B, 6);
}

static void f_ndp_bad_option(struct pb *p)
{
    eth(p, 0x86dd);
    ipv6(p, 58, 32);
    pb_u8(p, 135);
    pb_zero(p, 7);
    pb_bytes(p, IP6_B, 16);
    pb_u8(p, 1);
    pb_u8(p, 0); /* a zero-length option: the walk must stop, not loop */
    pb_bytes(p, MAC_A, 6);
}

static void dhcp_frame(struct pb *p, unsigned msgtype, bool with_requested)
{
    eth(p, 0x0800);
    ipv4(p, 17, 20 + 8 + 248, 0);
    bool reply = msgtype == 5;
    udp(p, reply ? 67 : 68, reply ? 68 : 67, 8 + 248);
    pb_u8(p, reply ? 2 : 1);
    pb_u8(p, 1);
    pb_u8(p, 6);
    pb_u8(p, 0);
    pb_u32(p, 0xabcdef);
    pb_zero(p, 4);
    pb_zero(p, 4);                                  /* ciaddr */
    if (reply)
        pb_bytes(p, IP4_A, 4);                      /* yiaddr */
    else
        pb_zero(p, 4);
    pb_zero(p, 8);                                  /* siaddr, giaddr */
    pb_bytes(p, MAC_B, 6);                          /* chaddr */
    pb_zero(p, 10 + 64 + 128);
    pb_u32(p, 0x63825363u);
    pb_u8(p, 53);
    pb_u8(p, 1);
    pb_u8(p, msgtype);
    if (with_requested) {
        pb_u8(p, 50);
        pb_u8(p, 4);
        pb_bytes(p, IP4_B, 4);
    } else {
        pb_zero(p, 6);
    }
    pb_u8(p, 255);
}

static void f_dhcp_ack(struct pb *p)
{
    dhcp_frame(p, 5, false);
}

static void f_dhcp_request(struct pb *p)
{
    dhcp_frame(p, 3, true);
}

static void f_dhcp_discover(struct pb *p)
{
    dhcp_frame(p, 1, false);
}

static void f_ipip(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 4, 20 + 20 + 20, 0);
    ipv4(p, 6, 40, 0);
    tcp(p, 1234, 80);
}

static void f_gre_ipv6(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 47, 20 + 8 + 40 + 8, 0);
    pb_u16(p, 0x2000); /* a key present */
    pb_u16(p, 0x86dd);
    pb_u32(p, 42);
    ipv6(p, 17, 8);
    udp(p, 4789, 4789, 8);
}

static void f_ipip_cut_inner(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 4, 20 + 20, 0);
    pb_zero(p, 10); /* the inner header cut: the outer addresses stand */
}

static void f_icmp_error(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 1, 20 + 8 + 28, 0);
    pb_u8(p, 3); /* port unreachable, quoting an IPv4/UDP header */
    pb_u8(p, 3);
    pb_zero(p, 6);
    ipv4(p, 17, 28, 0);
    udp(p, 5000, 53, 8);
}

static void f_ipv4_bad_hlen(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 6, 40, 0);
    p->b[14] = 0x44; /* header length 16 */
    tcp(p, 1, 2);
}

static void f_ipv4_bad_total(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 6, 12, 0);
    tcp(p, 1, 2);
}

static void f_ipv4_tso(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 6, 0, 0); /* total length 0: a TSO segment seen on the sending host */
    tcp(p, 50000, 443);
}

static void f_ipv4_in_ipv6_type(struct pb *p)
{
    eth(p, 0x86dd);
    ipv4(p, 6, 40, 0);
    tcp(p, 1, 2);
}

static void f_ipv4_options_cut(struct pb *p)
{
    eth(p, 0x0800);
    ipv4(p, 6, 60, 0);
    p->b[14] = 0x4f; /* 60 bytes of header, of which only 24 captured */
    pb_zero(p, 4);
}

static void f_llc(struct pb *p)
{
    pb_bytes(p, MAC_B, 6);
    pb_bytes(p, MAC_A, 6);
    pb_u16(p, 38); /* an 802.3 length: CDP/STP */
    pb_zero(p, 38);
}

/* ---- the table ------------------------------------------------------------------------- */

struct dcase {
    const char *name;
    void (*build)(struct pb *p);
    int link;
    int cut;    /* captured bytes: -1 all of them */
    int extra;  /* original length = built length + extra (snaplen cuts) */
    int drop;
    unsigned nip, ntags, tag0, tag1;
    bool ports;
    unsigned sport, dport, proto; /* proto of the innermost IP */
    unsigned pair;                /* enum probe_pair_src, 0 none */
    unsigned notes;               /* bits that must be set */
    const char *why;
};

static const struct dcase cases[] = {
    {"ether ipv4 tcp", f_eth_tcp, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 51000, 443, 6, 0, 0,
     "the plain case: one IP header, ports of the TCP header"},
    {"ether snaplen", f_eth_tcp, 1, -1, 1400, PROBE_OK, 1, 0, 0, 0, true, 51000, 443, 6, 0, 0,
     "a frame cut by the snaplen after its headers counts whole (wire_len checked below)"},
    {"802.1Q", f_vlan_udp, 1, -1, 0, PROBE_OK, 1, 1, 10, 0, true, 5353, 53, 17, 0, 0,
     "one tag, then IPv4"},
    {"802.1ad QinQ", f_qinq, 1, -1, 0, PROBE_OK, 1, 2, 118, 10, true, 80, 40000, 6, 0, 0,
     "0x88a8 outer tag, 0x8100 inner, IPv6 inside: both ids, outer first"},
    {"0x9100 QinQ", f_qinq_9100, 1, -1, 0, PROBE_OK, 1, 2, 209, 20, false, 0, 0, 1, 0, 0,
     "the pre-standard 0x9100 outer tag (the test capture's switches) is a tag too"},
    {"five tags", f_five_tags, 1, -1, 0, PROBE_DROP_TOO_MANY_TAGS, 0, 4, 1, 2, false, 0, 0, 0,
     0, 0, "a tag chain longer than PROBE_MAX_TAGS is refused, not walked forever"},
    {"ipv6 ext", f_ipv6_ext, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 123, 123, 17, 0, 0,
     "hop-by-hop, destination options (16 B), first fragment: the UDP ports behind them"},
    {"ipv6 later fragment", f_ipv6_frag_later, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 17,
     0, PROBE_NOTE_FRAGMENT, "a non-first fragment has no transport header: no ports read"},
    {"ipv6 nine ext", f_ipv6_nine_ext, 1, -1, 0, PROBE_DROP_TOO_MANY_EXT, 0, 0, 0, 0, false, 0,
     0, 0, 0, 0, "an extension chain past PROBE_MAX_EXT is refused"},
    {"ipv6 AH", f_ipv6_ah, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 500, 500, 17, 0, 0,
     "AH's length counts 4-byte words plus 2, unlike the others"},
    {"ipv4 later fragment", f_ipv4_frag_later, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 6,
     0, PROBE_NOTE_FRAGMENT, "fragment offset 100: the bytes there are not a TCP header"},
    {"sll v1", f_sll_ipv4, 113, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 22, 60000, 6, 0, 0,
     "Linux cooked v1: 16-byte header, protocol at 14"},
    {"sll v1 llc", f_sll_llc, 113, -1, 0, PROBE_OK, 0, 0, 0, 0, false, 0, 0, 0, 0,
     PROBE_NOTE_NOT_IP, "a cooked protocol below 0x600 is no ethertype: not IP"},
    {"sll v2", f_sll2_ipv6, 276, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 546, 547, 17, 0, 0,
     "Linux cooked v2: 20-byte header, protocol first"},
    {"raw DLT 12", f_raw_ipv4, 12, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 1000, 53, 17, 0, 0,
     "raw IP: the version nibble says which"},
    {"raw 101 ipv6", f_raw_ipv6, 101, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 443, 50000, 6, 0, 0,
     "LINKTYPE_RAW as written in files"},
    {"LINKTYPE_IPV4 given v6", f_raw_ipv6, 228, -1, 0, PROBE_DROP_BAD_IP_VERSION, 0, 0, 0, 0,
     false, 0, 0, 0, 0, 0, "a link type that promises IPv4 and carries v6 is malformed"},
    {"LINKTYPE_IPV6", f_raw_ipv6, 229, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 443, 50000, 6, 0, 0,
     "LINKTYPE_IPV6"},
    {"null darwin v6", f_null_ipv6_darwin, 0, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 443, 50001, 17,
     0, 0, "BSD loopback, AF_INET6 = 30 (the QUIC test capture's family)"},
    {"null big-endian", f_null_ipv4_bigendian, 0, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 25, 2525, 6,
     0, 0, "a NULL header from a big-endian writer is read the other way round"},
    {"loop", f_loop_ipv4, 108, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 25, 2525, 6, 0, 0,
     "LOOP: the family in network order"},
    {"null other family", f_null_other, 0, -1, 0, PROBE_OK, 0, 0, 0, 0, false, 0, 0, 0, 0,
     PROBE_NOTE_NOT_IP, "an unknown family is not IP, not an error"},
    {"unknown link", f_eth_tcp, 147, -1, 0, PROBE_DROP_LINK_UNKNOWN, 0, 0, 0, 0, false, 0, 0, 0,
     0, 0, "a user link type is not guessed at"},
    {"arp", f_arp, 1, -1, 0, PROBE_OK, 0, 0, 0, 0, false, 0, 0, 0, PROBE_PAIR_ARP,
     PROBE_NOTE_NOT_IP, "the sender's MAC and IPv4 address"},
    {"arp probe", f_arp_probe, 1, -1, 0, PROBE_OK, 0, 0, 0, 0, false, 0, 0, 0, 0,
     PROBE_NOTE_NOT_IP, "an ARP probe's sender 0.0.0.0 tells no pair"},
    {"arp bad sizes", f_arp_bad, 1, -1, 0, PROBE_DROP_BAD_ARP, 0, 0, 0, 0, false, 0, 0, 0, 0, 0,
     "hardware size 8 for Ethernet: malformed (the tcpdump capture's ~110 such frames)"},
    {"arp in vlan", f_vlan_arp, 1, -1, 0, PROBE_OK, 0, 1, 30, 0, false, 0, 0, 0, PROBE_PAIR_ARP,
     0, "ARP behind a tag"},
    {"ndp ns", f_ndp_ns, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 58, PROBE_PAIR_NDP, 0,
     "a neighbour solicitation: the sender's address with its source link-layer option"},
    {"ndp na", f_ndp_na, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 58, PROBE_PAIR_NDP, 0,
     "a neighbour advertisement: the target with its target link-layer option"},
    {"ndp zero option", f_ndp_bad_option, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 58, 0,
     PROBE_NOTE_BAD_NDP, "a zero-length option ends the walk (RFC 4861 says discard)"},
    {"dhcp ack", f_dhcp_ack, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 67, 68, 17, PROBE_PAIR_DHCP,
     0, "DHCPACK: the client hardware address with the address given (yiaddr)"},
    {"dhcp request", f_dhcp_request, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 68, 67, 17,
     PROBE_PAIR_DHCP, 0, "DHCPREQUEST: the requested address (option 50)"},
    {"dhcp discover", f_dhcp_discover, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 68, 67, 17, 0, 0,
     "a DISCOVER names no address: no pair"},
    {"dhcp cut", f_dhcp_ack, 1, 14 + 20 + 8 + 100, 0, PROBE_OK, 1, 0, 0, 0, true, 67, 68, 17, 0,
     PROBE_NOTE_BAD_DHCP, "a BOOTP message cut before its magic cookie gives no pair"},
    {"ip-in-ip", f_ipip, 1, -1, 0, PROBE_OK, 2, 0, 0, 0, true, 1234, 80, 6, 0, 0,
     "the tunnelled header is an endpoint too (tshark counts it)"},
    {"gre ipv6", f_gre_ipv6, 1, -1, 0, PROBE_OK, 2, 0, 0, 0, true, 4789, 4789, 17, 0, 0,
     "GRE with a key, IPv6 inside"},
    {"ip-in-ip cut", f_ipip_cut_inner, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 4, 0,
     PROBE_NOTE_TRUNC_L4, "an inner header cut: the outer addresses still count"},
    {"icmp error", f_icmp_error, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 1, 0, 0,
     "the IP header quoted in an ICMP error is no endpoint (tshark's rule)"},
    {"ipv4 hlen 16", f_ipv4_bad_hlen, 1, -1, 0, PROBE_DROP_BAD_IP_HLEN, 0, 0, 0, 0, false, 0, 0,
     0, 0, 0, "a header length below 20 is malformed"},
    {"ipv4 total 12", f_ipv4_bad_total, 1, -1, 0, PROBE_DROP_BAD_IP_LEN, 0, 0, 0, 0, false, 0, 0,
     0, 0, 0, "a total length shorter than the header is malformed"},
    {"ipv4 total 0 (TSO)", f_ipv4_tso, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, true, 50000, 443, 6, 0, 0,
     "a total length of 0 is a TSO segment (tshark: assuming TSO), not malformed"},
    {"v4 under 0x86dd", f_ipv4_in_ipv6_type, 1, -1, 0, PROBE_DROP_BAD_IP_VERSION, 0, 0, 0, 0,
     false, 0, 0, 0, 0, 0, "the ethertype says IPv6, the header says 4"},
    {"ipv4 options cut", f_ipv4_options_cut, 1, -1, 0, PROBE_OK, 1, 0, 0, 0, false, 0, 0, 6, 0,
     PROBE_NOTE_TRUNC_L4, "options cut: addresses count, no ports"},
    {"802.3 llc", f_llc, 1, -1, 0, PROBE_OK, 0, 0, 0, 0, false, 0, 0, 0, 0, PROBE_NOTE_NOT_IP,
     "a length, not an ethertype: CDP/STP frames are not IP"},
    {"len below caplen", f_eth_tcp, 1, -1, -10, PROBE_DROP_BAD_LEN, 0, 0, 0, 0, false, 0, 0, 0,
     0, 0, "a record claiming fewer wire bytes than it holds is not trusted"},
    {"empty", f_eth_tcp, 1, 0, 0, PROBE_DROP_TRUNC_LINK, 0, 0, 0, 0, false, 0, 0, 0, 0, 0,
     "a record of no bytes"},
};

static void decode_copy(int link, const uint8_t *b, uint32_t caplen, uint32_t len,
                        struct probe_pkt *out)
{
    /* exactly @caplen bytes on the heap: a read past them is an ASan report */
    uint8_t *copy = caplen ? malloc(caplen) : NULL;
    if (caplen)
        memcpy(copy, b, caplen);
    probe_decode(link, copy, caplen, len, out);
    free(copy);
}

static void test_cases(void **state)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct dcase *c = &cases[i];
        struct pb p = {0};
        struct probe_pkt k;
        c->build(&p);
        uint32_t caplen = c->cut < 0 ? p.n : (uint32_t)c->cut;
        uint32_t len = (uint32_t)((int)p.n + c->extra);
        decode_copy(c->link, p.b, caplen, len, &k);
        int ok = k.drop == c->drop && k.nip == c->nip && k.ntags == c->ntags &&
                 (c->ntags < 1 || k.tags[0] == c->tag0) && (c->ntags < 2 || k.tags[1] == c->tag1) &&
                 k.has_ports == c->ports && (!c->ports || (k.sport == c->sport &&
                                                         k.dport == c->dport)) &&
                 (c->nip == 0 || k.ip[k.nip - 1].proto == c->proto) && k.pair.source == c->pair &&
                 (k.notes & c->notes) == c->notes && k.wire_len == len;
        if (!ok)
            fail_msg("%s (%s): drop %d/%d nip %u/%u tags %u/%u ports %d %u>%u proto %u pair %u "
                     "notes %x", c->name, c->why, k.drop, c->drop, k.nip, c->nip, k.ntags,
                     c->ntags, k.has_ports, k.sport, k.dport, k.nip ? k.ip[k.nip - 1].proto : 0,
                     k.pair.source, k.notes);
    }
}

/* the addresses and pairs themselves, on the cases where they matter */
static void test_values(void **state)
{
    struct pb p = {0};
    struct probe_pkt k;

    f_qinq(&p);
    probe_decode(1, p.b, p.n, p.n, &k);
    assert_memory_equal(k.ip[0].src, IP6_A, 16);
    assert_memory_equal(k.ip[0].dst, IP6_B, 16);
    assert_memory_equal(k.src_mac, MAC_A, 6);
    assert_memory_equal(k.dst_mac, MAC_B, 6);

    memset(&p, 0, sizeof(p));
    f_arp(&p);
    probe_decode(1, p.b, p.n, p.n, &k);
    assert_int_equal(k.pair.family, 4);
    assert_memory_equal(k.pair.mac, MAC_A, 6);
    assert_memory_equal(k.pair.ip, IP4_A, 4);

    memset(&p, 0, sizeof(p));
    f_ndp_na(&p);
    probe_decode(1, p.b, p.n, p.n, &k);
    assert_int_equal(k.pair.family, 6);
    assert_memory_equal(k.pair.mac, MAC_B, 6);
    assert_memory_equal(k.pair.ip, IP6_A, 16); /* the target, not the sender */

    memset(&p, 0, sizeof(p));
    f_dhcp_request(&p);
    probe_decode(1, p.b, p.n, p.n, &k);
    assert_memory_equal(k.pair.mac, MAC_B, 6);
    assert_memory_equal(k.pair.ip, IP4_B, 4);

    memset(&p, 0, sizeof(p));
    f_sll_ipv4(&p);
    probe_decode(113, p.b, p.n, p.n, &k);
    assert_true(k.has_mac);
    assert_memory_equal(k.src_mac, MAC_A, 6);
    assert_memory_equal(k.ip[0].src, IP4_A, 4);

    memset(&p, 0, sizeof(p));
    f_ipip(&p);
    probe_decode(1, p.b, p.n, p.n, &k);
    assert_int_equal(k.ip[0].proto, 4);
    assert_int_equal(k.ip[1].proto, 6);
}

/*
 * Every frame cut at every length: below the end of the IP fixed header the frame is
 * refused with the reason of the layer the cut falls in; past it, it is read with its
 * addresses, and its ports only once the transport header is whole.
 */
struct cut_case {
    const char *name;
    void (*build)(struct pb *p);
    int link;
    struct { uint32_t below; int drop; } layers[6]; /* cut < below -> drop; ends at 0 */
    uint32_t ip_end;  /* from here the addresses count */
    uint32_t l4_end;  /* from here the ports are read */
    const char *why;
};

static const struct cut_case cuts[] = {
    {"ether/ipv4/tcp", f_eth_tcp, 1,
     {{14, PROBE_DROP_TRUNC_LINK}, {34, PROBE_DROP_TRUNC_IP}, {0, 0}}, 34, 54,
     "14-byte Ethernet, 20-byte IPv4, 20-byte TCP"},
    {"qinq/ipv6/tcp", f_qinq, 1,
     {{14, PROBE_DROP_TRUNC_LINK}, {22, PROBE_DROP_TRUNC_VLAN}, {15 + 8, PROBE_DROP_TRUNC_IP},
      {62, PROBE_DROP_TRUNC_IP}, {0, 0}}, 62, 82,
     "two tags of 4 bytes; a cut at the version nibble's byte still lacks the fixed header"},
    {"ipv6 ext/udp", f_ipv6_ext, 1,
     {{14, PROBE_DROP_TRUNC_LINK}, {54, PROBE_DROP_TRUNC_IP},
      {54 + 8 + 16 + 8, PROBE_DROP_TRUNC_IPV6_EXT}, {0, 0}}, 54 + 32, 54 + 32 + 8,
     "an IPv6 header whose extension chain is cut is refused whole"},
    {"sll/ipv4/tcp", f_sll_ipv4, 113,
     {{16, PROBE_DROP_TRUNC_LINK}, {36, PROBE_DROP_TRUNC_IP}, {0, 0}}, 36, 56,
     "cooked v1: 16 bytes"},
    {"sll2/ipv6/udp", f_sll2_ipv6, 276,
     {{20, PROBE_DROP_TRUNC_LINK}, {60, PROBE_DROP_TRUNC_IP}, {0, 0}}, 60, 68,
     "cooked v2: 20 bytes"},
    {"null/ipv6/udp", f_null_ipv6_darwin, 0,
     {{4, PROBE_DROP_TRUNC_LINK}, {44, PROBE_DROP_TRUNC_IP}, {0, 0}}, 44, 52,
     "loopback: 4 bytes"},
    {"raw/ipv4/udp", f_raw_ipv4, 12, {{20, PROBE_DROP_TRUNC_IP}, {0, 0}}, 20, 28,
     "raw IP: nothing before the IP header"},
    {"vlan/arp", f_vlan_arp, 1,
     {{14, PROBE_DROP_TRUNC_LINK}, {18, PROBE_DROP_TRUNC_VLAN}, {18 + 28, PROBE_DROP_TRUNC_ARP},
      {0, 0}}, 0, 0, "ARP cut anywhere before its target address is refused"},
};

static void test_cuts(void **state)
{
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        const struct cut_case *c = &cuts[i];
        struct pb p = {0};
        c->build(&p);
        for (uint32_t cut = 0; cut <= p.n; cut++) {
            struct probe_pkt k;
            decode_copy(c->link, p.b, cut, p.n, &k);
            int want = PROBE_OK;
            for (int l = 0; c->layers[l].below; l++)
                if (cut < c->layers[l].below) {
                    want = c->layers[l].drop;
                    break;
                }
            if (k.drop != want)
                fail_msg("%s cut at %u: drop %s, want %s (%s)", c->name, cut,
                         probe_drop_name(k.drop), probe_drop_name(want), c->why);
            if (want != PROBE_OK || !c->ip_end)
                continue;
            if (cut >= c->ip_end && k.nip != 1)
                fail_msg("%s cut at %u: %u IP headers, want 1 (%s)", c->name, cut, k.nip, c->why);
            bool want_ports = cut >= c->l4_end;
            if (k.has_ports != want_ports)
                fail_msg("%s cut at %u: ports %d, want %d (%s)", c->name, cut, k.has_ports,
                         want_ports, c->why);
            if (!want_ports && !(k.notes & PROBE_NOTE_TRUNC_L4))
                fail_msg("%s cut at %u: a cut transport header is noted (%s)", c->name, cut,
                         c->why);
        }
    }
}

static void test_names(void **state)
{
    for (int d = 0; d < PROBE_DROP_COUNT; d++)
        assert_string_not_equal(probe_drop_name(d), "?");
    assert_string_equal(probe_drop_name(PROBE_DROP_COUNT), "?");
    assert_string_equal(probe_drop_name(-1), "?");
    assert_true(probe_link_known(276));
    assert_false(probe_link_known(147));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_cuts),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
