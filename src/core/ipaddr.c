/* Addresses, CIDR ranges and X-Forwarded-For (see ipaddr.h). */
#include "core/ipaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry of a list: "[2001:db8::1]:443", "203.0.113.7:5000", "2001:db8::1"; the address
 * without brackets or port goes to out. -1 when it cannot be one. */
static int strip_port(const char *s, size_t len, char *out, size_t cap)
{
    if (len == 0 || len >= cap)
        return -1;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close || (close + 1 != s + len && close[1] != ':') || close - s - 1 <= 0)
            return -1;
        len = (size_t)(close - s - 1);
        s++;
    } else {
        const char *colon = memchr(s, ':', len);
        /* One colon only: IPv4 with a port. More: a bare IPv6 address. */
        if (colon && !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1))
            len = (size_t)(colon - s);
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return 0;
}

static int parse_n(const char *text, size_t len, struct ip_addr *out)
{
    char buf[64];
    if (strip_port(text, len, buf, sizeof buf) < 0)
        return -1;
    unsigned char v4[4];
    if (inet_pton(AF_INET, buf, v4) == 1) {
        memset(out->b, 0, 10);
        out->b[10] = out->b[11] = 0xff;
        memcpy(out->b + 12, v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, buf, out->b) == 1 ? 0 : -1;
}

int ipaddr_parse(const char *text, struct ip_addr *out)
{
    return parse_n(text, strlen(text), out);
}

static bool is_v4(const struct ip_addr *a)
{
    static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a->b, prefix, 12) == 0;
}

static bool sep(char c)
{
    return c == ',' || c == ' ' || c == '\t';
}

int ipaddr_ranges_parse(const char *list, struct ip_ranges *out, struct dms_error *err)
{
    out->n = 0;
    for (const char *p = list; *p;) {
        while (sep(*p))
            p++;
        if (!*p)
            break;
        size_t len = 0;
        while (p[len] && !sep(p[len]))
            len++;
        const char *slash = memchr(p, '/', len);
        size_t alen = slash ? (size_t)(slash - p) : len;
        struct ip_range r;
        if (parse_n(p, alen, &r.addr) < 0)
            return dms_fail(err, "invalid_config", "trusted_proxies", "not an address: %.*s",
                            (int)len, p);
        int max = is_v4(&r.addr) ? 32 : 128;
        r.bits = 128;
        if (slash) {
            char *end;
            char digits[8];
            size_t dlen = len - alen - 1;
            if (dlen == 0 || dlen >= sizeof digits)
                return dms_fail(err, "invalid_config", "trusted_proxies", "bad prefix: %.*s",
                                (int)len, p);
            memcpy(digits, slash + 1, dlen);
            digits[dlen] = '\0';
            long bits = strtol(digits, &end, 10);
            if (*end || bits < 0 || bits > max)
                return dms_fail(err, "invalid_config", "trusted_proxies", "bad prefix: %.*s",
                                (int)len, p);
            r.bits = (int)bits + (128 - max);
        }
        if (out->n == IPADDR_RANGES_MAX)
            return dms_fail(err, "invalid_config", "trusted_proxies",
                            "at most %d addresses or ranges", IPADDR_RANGES_MAX);
        out->r[out->n++] = r;
        p += len;
    }
    return 0;
}

static bool in_range(const struct ip_range *r, const struct ip_addr *a)
{
    int whole = r->bits / 8, rest = r->bits % 8;
    if (memcmp(r->addr.b, a->b, (size_t)whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (r->addr.b[whole] & mask) == (a->b[whole] & mask);
}

bool ipaddr_in_ranges(const struct ip_ranges *r, const struct ip_addr *a)
{
    for (int i = 0; i < r->n; i++)
        if (in_range(&r->r[i], a))
            return true;
    return false;
}

struct ip_addr ipaddr_client(const struct ip_addr *peer, const char *forwarded_for,
                             const struct ip_ranges *trusted)
{
    struct ip_addr client = *peer;
    if (!forwarded_for || !ipaddr_in_ranges(trusted, peer))
        return client;
    /* From the right: each entry was appended by the hop after it. */
    const char *end = forwarded_for + strlen(forwarded_for);
    while (end > forwarded_for) {
        const char *start = end;
        while (start > forwarded_for && start[-1] != ',')
            start--;
        const char *a = start, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        struct ip_addr hop;
        if (parse_n(a, (size_t)(b - a), &hop) < 0)
            return client; /* unreadable: the last hop we could read */
        client = hop;
        if (!ipaddr_in_ranges(trusted, &hop))
            return client;
        end = start > forwarded_for ? start - 1 : start;
    }
    return client;
}

void ipaddr_throttle_key(const struct ip_addr *a, char out[IPADDR_STR])
{
    if (is_v4(a)) {
        inet_ntop(AF_INET, a->b + 12, out, IPADDR_STR);
        return;
    }
    struct ip_addr net = *a;
    memset(net.b + 8, 0, 8);
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, net.b, text, sizeof text);
    snprintf(out, IPADDR_STR, "%s/64", text);
}
