/* Client addresses and the list of trusted proxies (addresses and CIDR ranges), for sign-in
 * limits per address and for believing a proxy's X-Forwarded-For / X-Forwarded-Proto. IPv4
 * addresses are kept as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one comparison serves both. */
#ifndef DMS_CORE_IPADDR_H
#define DMS_CORE_IPADDR_H

#include <stdbool.h>

#include "core/error.h"

#define IPADDR_RANGES_MAX 16
#define IPADDR_STR        56 /* an IPv6 text, "/64" and the NUL */

struct ip_addr {
    unsigned char b[16];
};

struct ip_range {
    struct ip_addr addr;
    int bits; /* prefix length over the 128 bits (an IPv4 /8 is 104) */
};

struct ip_ranges {
    struct ip_range r[IPADDR_RANGES_MAX];
    int n;
};

/* "203.0.113.7", "2001:db8::1" (an IPv6 literal may be in brackets); -1 when not an
 * address. */
int ipaddr_parse(const char *text, struct ip_addr *out);

/* "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8": up to IPADDR_RANGES_MAX addresses or ranges,
 * separated by commas or spaces; "" is an empty list. invalid_config names the bad entry. */
int ipaddr_ranges_parse(const char *list, struct ip_ranges *out, struct dms_error *err);

bool ipaddr_in_ranges(const struct ip_ranges *r, const struct ip_addr *a);

/* The client behind the proxies: the peer when it is not trusted; otherwise X-Forwarded-For
 * read from the right (each trusted proxy appends the address it got the request from), the
 * first entry that is not itself a trusted proxy. A header that is absent or unreadable
 * leaves the peer. */
struct ip_addr ipaddr_client(const struct ip_addr *peer, const char *forwarded_for,
                             const struct ip_ranges *trusted);

/* The text that counts failures for an address: an IPv4 address whole ("203.0.113.7"), an
 * IPv6 one by its /64 ("2001:db8:1:2::/64"), the block one subscriber usually holds. */
void ipaddr_throttle_key(const struct ip_addr *a, char out[IPADDR_STR]);

#endif
