/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * netaddr.c - which addresses the appliance may send alerts to. Webhooks and the mail server
 * must be public: loopback, link-local, private (RFC 1918, CGNAT 100.64/10, IPv6 ULA and
 * site-local), reserved, multicast and unspecified addresses are refused, IPv4 inside IPv6
 * (::ffff:a.b.c.d, ::a.b.c.d) judged as IPv4, unless [alerts] allow_private lists them (as
 * CIDRs). Multicast, broadcast and unspecified are refused even then: nothing answers a
 * webhook there. Callers check the address a connection is about to use (libcurl's
 * open-socket callback), so a name that resolves elsewhere later changes nothing.
 */
#include "common.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "banned.h"

/* the 16 bytes of @sa in IPv6 form (IPv4 as ::ffff:a.b.c.d); false for other families */
static bool addr16(const struct sockaddr *sa, unsigned char out[16])
{
    if (sa->sa_family == AF_INET) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

static bool prefix_eq(const unsigned char *a, const unsigned char *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;

    if (memcmp(a, b, whole) != 0)
        return false;
    return rest == 0 || ((a[whole] ^ b[whole]) & (0xff00u >> rest) & 0xff) == 0;
}

static bool v4_in(const unsigned char *v4, unsigned a, unsigned b, unsigned bits)
{
    unsigned char net[4] = {(unsigned char)a, (unsigned char)b, 0, 0};
    return prefix_eq(v4, net, bits);
}

/* the class of an IPv4 address (4 bytes): NULL public, else a reason code */
static const char *v4_class(const unsigned char *v)
{
    if (v[0] == 0)
        return "unspecified"; /* 0.0.0.0/8: "this host" reaches the loopback */
    if (v[0] == 127)
        return "loopback";
    if (v4_in(v, 169, 254, 16))
        return "link_local";
    if (v[0] == 10 || v4_in(v, 172, 16, 12) || v4_in(v, 192, 168, 16) || v4_in(v, 100, 64, 10))
        return "private";
    if (v[0] >= 224 && v[0] <= 239)
        return "multicast";
    if (v[0] >= 240)
        return v[0] == 255 && v[1] == 255 && v[2] == 255 && v[3] == 255 ? "multicast"
                                                                          : "reserved";
    if (v4_in(v, 192, 0, 24) || v4_in(v, 198, 18, 15))
        return "reserved";
    return NULL;
}

/* the class of an address in IPv6 form */
static const char *v6_class(const unsigned char *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char zero[16] = {0};

    if (memcmp(a, mapped, 12) == 0)
        return v4_class(a + 12);
    if (memcmp(a, zero, 16) == 0)
        return "unspecified";
    if (memcmp(a, zero, 15) == 0 && a[15] == 1)
        return "loopback";
    if (a[0] == 0xff)
        return "multicast";
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return "link_local";
    if ((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0))
        return "private"; /* ULA fc00::/7, site-local fec0::/10 */
    return NULL;
}

static bool listed(const unsigned char *a, const struct ww_addr_list *allow)
{
    for (size_t i = 0; allow && i < allow->n; i++)
        if (prefix_eq(a, allow->items[i].addr, allow->items[i].bits))
            return true;
    return false;
}

const char *ww_addr_refused(const struct sockaddr *sa, const struct ww_addr_list *allow)
{
    unsigned char a[16];
    const char *why;

    if (!sa || !addr16(sa, a))
        return "reserved";
    if (memcmp(a, (unsigned char[12]){0}, 12) == 0 && (a[12] | a[13] | a[14] | a[15]) > 1)
        a[10] = a[11] = 0xff; /* ::a.b.c.d: matched against the list as a.b.c.d */
    why = v6_class(a);
    if (!why || strcmp(why, "unspecified") == 0 || strcmp(why, "multicast") == 0)
        return why;
    return listed(a, allow) ? NULL : why;
}

int ww_addr_list_parse(const char *text, struct ww_addr_list *out)
{
    const char *p = text ? text : "";

    memset(out, 0, sizeof(*out));
    while (*p) {
        char item[64], *slash;
        size_t len = strcspn(p, " ,\t");
        struct ww_cidr *c;
        long long bits;
        struct in_addr v4;
        struct in6_addr v6;

        if (len == 0) {
            p++;
            continue;
        }
        if (len >= sizeof(item) || out->n == WW_ADDR_LIST_MAX)
            return -EINVAL;
        memcpy(item, p, len);
        item[len] = '\0';
        p += len;
        c = &out->items[out->n];
        slash = strchr(item, '/');
        if (slash)
            *slash = '\0';
        if (inet_pton(AF_INET, item, &v4) == 1) {
            memset(c->addr, 0, 10);
            c->addr[10] = c->addr[11] = 0xff;
            memcpy(c->addr + 12, &v4, 4);
            bits = 32;
            if (slash && ww_parse_ll(slash + 1, 0, 32, &bits) < 0)
                return -EINVAL;
            c->bits = 96 + (unsigned)bits; /* held in IPv6 form, like the addresses */
        } else if (inet_pton(AF_INET6, item, &v6) == 1) {
            memcpy(c->addr, &v6, 16);
            bits = 128;
            if (slash && ww_parse_ll(slash + 1, 0, 128, &bits) < 0)
                return -EINVAL;
            c->bits = (unsigned)bits;
        } else {
            return -EINVAL;
        }
        out->n++;
    }
    return 0;
}

int ww_host_check(const char *host, const struct ww_addr_list *allow, const char **out_reason)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG};
    struct addrinfo *res = NULL;
    int ret = 0;

    *out_reason = NULL;
    if (!host || !*host)
        return -EINVAL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0) {
        /* without AI_ADDRCONFIG: a literal of a family with no configured address */
        hints.ai_flags = 0;
        if (getaddrinfo(host, NULL, &hints, &res) != 0)
            return -ENOENT;
    }
    for (const struct addrinfo *ai = res; ai && ret == 0; ai = ai->ai_next) {
        const char *why = ww_addr_refused(ai->ai_addr, allow);
        if (why) {
            *out_reason = why;
            ret = -EACCES;
        }
    }
    freeaddrinfo(res);
    return ret;
}

int ww_url_host(const char *url, char *buf, size_t size)
{
    const char *rest = url ? strstr(url, "://") : NULL, *end, *at;
    size_t len;

    if (!rest)
        return -EINVAL;
    rest += 3;
    end = rest + strcspn(rest, "/?#");
    at = memchr(rest, '@', (size_t)(end - rest));
    while (at) { /* user:password@ goes; the last @ ends it */
        rest = at + 1;
        at = memchr(rest, '@', (size_t)(end - rest));
    }
    if (*rest == '[') {
        const char *close = memchr(rest, ']', (size_t)(end - rest));
        if (!close)
            return -EINVAL;
        rest++;
        len = (size_t)(close - rest);
    } else {
        const char *colon = memchr(rest, ':', (size_t)(end - rest));
        len = (size_t)((colon ? colon : end) - rest);
    }
    if (len == 0 || len >= size)
        return -EINVAL;
    memcpy(buf, rest, len);
    buf[len] = '\0';
    return 0;
}
