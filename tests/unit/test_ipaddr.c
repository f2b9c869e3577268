/* Unit tests for core/ipaddr: addresses with and without ports, CIDR lists of trusted proxies
 * (prefix boundaries, IPv4 inside IPv6), the client behind X-Forwarded-For (only through
 * trusted hops; a client cannot forge its way past them), and the per-address key (IPv6 by
 * its /64). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/ipaddr.h"

static struct ip_addr A(const char *text) {
    struct ip_addr a;
    if (ipaddr_parse(text, &a) < 0)
        fail_msg("cannot parse %s", text);
    return a;
}

static struct ip_ranges
R(const char *list) {
    struct ip_ranges r;
    struct dms_error err = {0};
    if (ipaddr_ranges_parse(list, &r, &err) < 0)
        fail_msg("cannot parse %s: %s", list, err.message);
    return r;
}

static const char *
key_of(const char *text)
{
    static char out[IPADDR_STR];
    struct ip_addr a = A(text);
    ipaddr_throttle_key(&a, out);
    return out;
}

static const char *client(const char *peer, const char *xff, const char *trusted)
{
    static char out[IPADDR_STR];
    struct ip_addr p = A(peer);
    struct ip_ranges t = R(trusted);
    struct ip_addr c = ipaddr_client(&p, xff, &t);
    ipaddr_throttle_key(&c, out);
    return out;
}

static void test_ipaddr_parse_forms(void **state)
{
    (void)state;
    struct ip_addr a;
    assert_int_equal(ipaddr_parse("203.0.113.7", &a), 0);
    assert_int_equal(ipaddr_parse("203.0.113.7:8080", &a), 0);
    assert_int_equal(ipaddr_parse("2001:db8::1", &a), 0);
    assert_int_equal(ipaddr_parse("[2001:db8::1]", &a), 0);
    assert_int_equal(ipaddr_parse("[2001:db8::1]:443", &a), 0);
    assert_memory_equal(A("[2001:db8::1]:443").b, A("2001:db8::1").b, 16);
    assert_memory_equal(A("203.0.113.7:1").b, A("::ffff:203.0.113.7").b, 16);
    const char *bad[] = {"",   "unknown",   "256.1.1.1",      "1.2.3",   "[::1",
                         "[]", "1.2.3.4/8", "2001:db8::1::2", "1.2.3.4 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ipaddr_parse(bad[i], &a) == 0)
            fail_msg("\"%s\" was taken for an address", bad[i]);
}

static void test_ipaddr_ranges_prefix_boundaries(void **state)
{
    (void)state;
    struct ip_ranges r = R("10.0.0.0/8, 192.168.1.0/25 ::1\tfd00::/8");
    assert_int_equal(r.n, 4);
    struct ip_addr in[] = {A("10.0.0.0"), A("10.255.255.255"), A("192.168.1.127"), A("::1"),
                           A("fdff::1")};
    struct ip_addr out[] = {A("11.0.0.0"), A("9.255.255.255"), A("192.168.1.128"),
                            A("::2"),      A("fe00::1"),       A("::a00:1")};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_true(ipaddr_in_ranges(&r, &in[i]));
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_false(ipaddr_in_ranges(&r, &out[i]));
    /* A bare address is a /32 (or /128); /0 is everything. */
    r = R("127.0.0.1");
    struct ip_addr lo = A("127.0.0.1"), lo2 = A("127.0.0.2");
    assert_true(ipaddr_in_ranges(&r, &lo));
    assert_false(ipaddr_in_ranges(&r, &lo2));
    r = R("0.0.0.0/0");
    struct ip_addr any = A("198.51.100.1"), v6 = A("2001:db8::1");
    assert_true(ipaddr_in_ranges(&r, &any));
    assert_false(ipaddr_in_ranges(&r, &v6)); /* an IPv4 /0 is all of IPv4, not IPv6 */
    r = R("");
    assert_int_equal(r.n, 0);
    assert_false(ipaddr_in_ranges(&r, &any));
}

static void test_ipaddr_ranges_refuse_bad_entries(void **state)
{
    (void)state;
    const char *bad[] = {"10.0.0.0/33", "::/129",           "10.0.0.0/", "10.0.0.0/x",
                         "proxy.local", "10.0.0.0/8,,nope", "1.2.3.4/-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ip_ranges r;
        struct dms_error err = {0};
        if (ipaddr_ranges_parse(bad[i], &r, &err) == 0)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_string_equal(err.code, "invalid_config");
        assert_string_equal(err.field, "trusted_proxies");
    }
    char many[512] = "";
    for (int i = 0; i <= IPADDR_RANGES_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d,", i);
    struct ip_ranges r;
    struct dms_error err = {0};
    assert_int_equal(ipaddr_ranges_parse(many, &r, &err), -1);
}

static void test_ipaddr_client_only_through_trusted_hops(void **state)
{
    (void)state;
    /* An untrusted peer's header is ignored: anyone can send one. */
    assert_string_equal(client("198.51.100.9", "10.9.9.9", "127.0.0.1"), "198.51.100.9");
    /* No proxies trusted: the same. */
    assert_string_equal(client("127.0.0.1", "10.9.9.9", ""), "127.0.0.1");
    /* A trusted proxy: the address it appended. */
    assert_string_equal(client("127.0.0.1", "203.0.113.5", "127.0.0.1"), "203.0.113.5");
    /* What the client wrote itself stands left of what the proxy appended: not believed. */
    assert_string_equal(client("127.0.0.1", "1.1.1.1, 203.0.113.5", "127.0.0.1"), "203.0.113.5");
    /* Two trusted proxies in a row are skipped. */
    assert_string_equal(
        client("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", "127.0.0.1 10.0.0.0/8"),
        "203.0.113.5");
    /* Ports and brackets as some proxies write them. */
    assert_string_equal(client("127.0.0.1", "[2001:db8:1:2::7]:5000", "127.0.0.1"),
                        "2001:db8:1:2::/64");
    /* A trusted peer without the header, or with one it cannot read: the peer, or the last
     * hop that could be read. */
    assert_string_equal(client("127.0.0.1", NULL, "127.0.0.1"), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "garbage", "127.0.0.1"), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "garbage, 10.0.0.2", "127.0.0.1, 10.0.0.0/8"),
                        "10.0.0.2");
    /* Every hop trusted: the leftmost. */
    assert_string_equal(client("127.0.0.1", "10.0.0.3, 10.0.0.2", "127.0.0.1, 10.0.0.0/8"),
                        "10.0.0.3");
}

static void test_ipaddr_throttle_key_ipv6_by_64(void **state)
{
    (void)state;
    assert_string_equal(key_of("203.0.113.7"), "203.0.113.7");
    assert_string_equal(key_of("::ffff:203.0.113.7"), "203.0.113.7");
    assert_string_equal(key_of("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    assert_string_equal(key_of("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
    assert_string_equal(key_of("2001:db8:1:3::1"), "2001:db8:1:3::/64");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipaddr_parse_forms),
        cmocka_unit_test(test_ipaddr_ranges_prefix_boundaries),
        cmocka_unit_test(test_ipaddr_ranges_refuse_bad_entries),
        cmocka_unit_test(test_ipaddr_client_only_through_trusted_hops),
        cmocka_unit_test(test_ipaddr_throttle_key_ipv6_by_64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
