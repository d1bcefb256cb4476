/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_netaddr.c - where alerts may go: ww_addr_refused() for each kind of address (IPv4,
 * IPv6, IPv4 inside IPv6), with and without an allow-list; ww_addr_list_parse();
 * ww_host_check() of literals and of `localhost`; ww_url_host().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/common.h"

/* the verdict on literal @ip with @allow ("" none) */
static const char *verdict(const char *ip, const char *allow)
{
    struct ww_addr_list l;
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};

    assert_int_equal(ww_addr_list_parse(allow, &l), 0);
    if (inet_pton(AF_INET, ip, &v4.sin_addr) == 1)
        return ww_addr_refused((struct sockaddr *)&v4, &l);
    assert_int_equal(inet_pton(AF_INET6, ip, &v6.sin6_addr), 1);
    return ww_addr_refused((struct sockaddr *)&v6, &l);
}

static void test_refused(void **state)
{
    static const struct {
        const char *ip, *allow, *want; /* want NULL: allowed */
        const char *why;
    } cases[] = {
        {"8.8.8.8", "", NULL, "a public address"},
        {"2001:4860:4860::8888", "", NULL, "a public IPv6 address"},
        {"127.0.0.1", "", "loopback", "the loopback"},
        {"127.3.2.1", "", "loopback", "all of 127/8"},
        {"::1", "", "loopback", "the IPv6 loopback"},
        {"169.254.169.254", "", "link_local", "the cloud metadata address"},
        {"fe80::1", "", "link_local", "IPv6 link-local"},
        {"10.0.0.1", "", "private", "RFC 1918 10/8"},
        {"172.16.0.1", "", "private", "RFC 1918 172.16/12"},
        {"172.31.255.255", "", "private", "the end of 172.16/12"},
        {"172.32.0.1", "", NULL, "just past 172.16/12"},
        {"192.168.1.10", "", "private", "RFC 1918 192.168/16"},
        {"100.64.0.1", "", "private", "CGNAT 100.64/10"},
        {"100.127.255.255", "", "private", "the end of 100.64/10"},
        {"100.128.0.1", "", NULL, "just past 100.64/10"},
        {"fd00::1", "", "private", "IPv6 ULA fc00::/7"},
        {"fc00::1", "", "private", "the start of fc00::/7"},
        {"0.0.0.0", "", "unspecified", "0.0.0.0 reaches the host itself"},
        {"::", "", "unspecified", "the IPv6 unspecified address"},
        {"224.0.0.1", "", "multicast", "IPv4 multicast"},
        {"255.255.255.255", "", "multicast", "the broadcast address"},
        {"ff02::1", "", "multicast", "IPv6 multicast"},
        {"240.0.0.1", "", "reserved", "class E"},
        {"::ffff:127.0.0.1", "", "loopback", "the loopback mapped into IPv6"},
        {"::ffff:10.1.2.3", "", "private", "a private address mapped into IPv6"},
        {"::ffff:169.254.169.254", "", "link_local", "metadata mapped into IPv6"},
        {"::ffff:8.8.8.8", "", NULL, "a public address mapped into IPv6"},
        {"::10.1.2.3", "", "private", "IPv4-compatible IPv6 (deprecated)"},
        {"192.168.1.10", "192.168.1.0/24", NULL, "a listed network"},
        {"192.168.2.10", "192.168.1.0/24", "private", "next to a listed network"},
        {"10.0.0.5", "192.168.1.0/24 10.0.0.5", NULL, "a listed single address"},
        {"10.0.0.6", "192.168.1.0/24,10.0.0.5", "private", "next to a listed address"},
        {"::ffff:10.0.0.5", "10.0.0.5", NULL, "a listed address, mapped"},
        {"127.0.0.1", "127.0.0.0/8", NULL, "the loopback when listed (tests, labs)"},
        {"::1", "127.0.0.0/8", "loopback", "listing the IPv4 loopback opens not ::1"},
        {"fd12::7", "fd00::/8", NULL, "a listed ULA network"},
        {"0.0.0.0", "0.0.0.0/0", "unspecified", "unspecified: never, even listed"},
        {"224.0.0.1", "0.0.0.0/0", "multicast", "multicast: never, even listed"},
    };

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const char *got = verdict(cases[i].ip, cases[i].allow);
        if ((got == NULL) != (cases[i].want == NULL) ||
            (got && strcmp(got, cases[i].want) != 0))
            fail_msg("case %zu (%s): %s with [%s]: got %s, want %s", i, cases[i].why,
                     cases[i].ip, cases[i].allow, got ? got : "allowed",
                     cases[i].want ? cases[i].want : "allowed");
    }
}

static void test_list_parse(void **state)
{
    static const struct {
        const char *text;
        int ret;
        size_t n;
    } cases[] = {
        {"", 0, 0},           {"  ", 0, 0},          {"10.0.0.0/8", 0, 1},
        {"10.0.0.1 ::1", 0, 2}, {"a.b.c.d", -EINVAL, 0}, {"10.0.0.0/33", -EINVAL, 0},
        {"::/129", -EINVAL, 0}, {"10.0.0.0/", -EINVAL, 0}, {"10.0.0.0/x", -EINVAL, 0},
        {"localhost", -EINVAL, 0},
    };
    struct ww_addr_list l;

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        int ret = ww_addr_list_parse(cases[i].text, &l);
        if (ret != cases[i].ret || (ret == 0 && l.n != cases[i].n))
            fail_msg("case %zu [%s]: got %d (%zu), want %d (%zu)", i, cases[i].text, ret, l.n,
                     cases[i].ret, cases[i].n);
    }
}

static void test_host_check(void **state)
{
    struct ww_addr_list none, lo;
    const char *why = NULL;

    (void)state;
    assert_int_equal(ww_addr_list_parse("", &none), 0);
    assert_int_equal(ww_addr_list_parse("127.0.0.0/8 ::1", &lo), 0);
    /* a name that resolves inside is refused like the address */
    assert_int_equal(ww_host_check("localhost", &none, &why), -EACCES);
    assert_string_equal(why, "loopback");
    assert_int_equal(ww_host_check("localhost", &lo, &why), 0);
    assert_int_equal(ww_host_check("169.254.169.254", &lo, &why), -EACCES);
    assert_string_equal(why, "link_local");
    assert_int_equal(ww_host_check("2130706433", &none, &why), -EACCES); /* 127.0.0.1 */
    assert_int_equal(ww_host_check("::1", &none, &why), -EACCES);
    assert_int_equal(ww_host_check("8.8.8.8", &none, &why), 0);
    assert_int_equal(ww_host_check("", &none, &why), -EINVAL);
}

static void test_url_host(void **state)
{
    static const struct {
        const char *url, *host;
    } cases[] = {
        {"http://hooks.example/x", "hooks.example"},
        {"https://hooks.example:8443/x?y#z", "hooks.example"},
        {"http://[::1]:8080/x", "::1"},
        {"http://u:p@10.0.0.1/x", "10.0.0.1"},
        {"http://a@b@169.254.169.254/", "169.254.169.254"},
        {"smtp://127.0.0.1:25", "127.0.0.1"},
        {"http://host", "host"},
        {"http:///x", NULL},
        {"hooks.example", NULL},
        {"http://[::1/x", NULL},
    };
    char buf[128];

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        int ret = ww_url_host(cases[i].url, buf, sizeof(buf));
        if (cases[i].host ? ret != 0 || strcmp(buf, cases[i].host) != 0 : ret == 0)
            fail_msg("case %zu [%s]: got %d [%s]", i, cases[i].url, ret, ret ? "" : buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_list_parse),
        cmocka_unit_test(test_host_check),
        cmocka_unit_test(test_url_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
