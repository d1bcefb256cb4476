/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pkt_build.h - hand-built frames for the probe's unit tests: each helper appends one
 * header (with the fields a decoder reads; checksums left zero) to a struct pb, so a case
 * reads like the frame it builds: eth(), vlan(), ipv4(), ipv6(), ext(), tcp(), udp()...
 */
#ifndef WW_TEST_PKT_BUILD_H
#define WW_TEST_PKT_BUILD_H

#include <stdint.h>
#include <string.h>

struct pb {
    uint8_t b[2048];
    uint32_t n;
};

static inline void pb_u8(struct pb *p, unsigned v)
{
    p->b[p->n++] = (uint8_t)v;
}

static inline void pb_u16(struct pb *p, unsigned v)
{
    pb_u8(p, v >> 8);
    pb_u8(p, v);
}

static inline void pb_u32(struct pb *p, uint32_t v)
{
    pb_u16(p, v >> 16);
    pb_u16(p, v & 0xffff);
}

static inline void pb_bytes(struct pb *p, const void *d, uint32_t n)
{
    memcpy(p->b + p->n, d, n);
    p->n += n;
}

static inline void pb_zero(struct pb *p, uint32_t n)
{
    memset(p->b + p->n, 0, n);
    p->n += n;
}

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x0b};
static const uint8_t IP4_A[4] = {192, 168, 1, 10};
static const uint8_t IP4_B[4] = {203, 0, 113, 5};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0b};

static inline void eth(struct pb *p, unsigned ethertype)
{
    pb_bytes(p, MAC_B, 6);
    pb_bytes(p, MAC_A, 6);
    pb_u16(p, ethertype);
}

/* a tag: its TPID was the previous ethertype; @next is what follows */
static inline void vlan(struct pb *p, unsigned id, unsigned next)
{
    pb_u16(p, id & 0x0fff);
    pb_u16(p, next);
}

static inline void ipv4(struct pb *p, unsigned proto, unsigned total, unsigned frag)
{
    pb_u8(p, 0x45);
    pb_u8(p, 0);
    pb_u16(p, total);
    pb_u16(p, 1);
    pb_u16(p, frag);
    pb_u8(p, 64);
    pb_u8(p, proto);
    pb_u16(p, 0);
    pb_bytes(p, IP4_A, 4);
    pb_bytes(p, IP4_B, 4);
}

static inline void ipv6(struct pb *p, unsigned next, unsigned plen)
{
    pb_u32(p, 0x60000000u);
    pb_u16(p, plen);
    pb_u8(p, next);
    pb_u8(p, 64);
    pb_bytes(p, IP6_A, 16);
    pb_bytes(p, IP6_B, 16);
}

/* an IPv6 extension header of 8 * (1 + @units) bytes (not a fragment header) */
static inline void ext(struct pb *p, unsigned next, unsigned units)
{
    pb_u8(p, next);
    pb_u8(p, units);
    pb_zero(p, 6 + 8 * units);
}

static inline void frag6(struct pb *p, unsigned next, unsigned offset8)
{
    pb_u8(p, next);
    pb_u8(p, 0);
    pb_u16(p, offset8 << 3);
    pb_u32(p, 0x1234);
}

static inline void tcp(struct pb *p, unsigned sport, unsigned dport)
{
    pb_u16(p, sport);
    pb_u16(p, dport);
    pb_zero(p, 8);
    pb_u8(p, 0x50);
    pb_u8(p, 0x02);
    pb_zero(p, 6);
}

static inline void udp(struct pb *p, unsigned sport, unsigned dport, unsigned len)
{
    pb_u16(p, sport);
    pb_u16(p, dport);
    pb_u16(p, len);
    pb_u16(p, 0);
}

#endif
