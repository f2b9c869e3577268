/* Fuzzes the client address behind a proxy (src/core/ipaddr.c, issue 11): X-Forwarded-For is
 * whatever a client writes, and trusted_proxies whatever an operator types. Input: the first
 * line is the trusted list, the rest the header. Checks, beyond "no crash":
 * - a list that parses has at most IPADDR_RANGES_MAX ranges, prefixes of 0-128 bits, and holds
 *   each of its own addresses;
 * - an untrusted peer's header is never believed: the client is the peer;
 * - a trusted peer's client is the peer or an address the header names, and when it is not a
 *   trusted address itself, every entry right of it was trusted (nothing a client wrote left
 *   of an untrusted hop is believed);
 * - the counting key is a NUL-terminated text that fits IPADDR_STR. */
#include "core/ipaddr.h"

#include "fuzz.h"

static bool same(const struct ip_addr *a, const struct ip_addr *b)
{
    return memcmp(a->b, b->b, 16) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (!s)
        return 0;
    char *nl = strchr(s, '\n');
    const char *xff = nl ? nl + 1 : "";
    if (nl)
        *nl = '\0';
    struct ip_ranges trusted;
    struct dms_error err = {0};
    if (ipaddr_ranges_parse(s, &trusted, &err) < 0) {
        FUZZ_CHECK(strcmp(err.code, "invalid_config") == 0);
        trusted.n = 0;
    }
    FUZZ_CHECK(trusted.n >= 0 && trusted.n <= IPADDR_RANGES_MAX);
    for (int i = 0; i < trusted.n; i++) {
        FUZZ_CHECK(trusted.r[i].bits >= 0 && trusted.r[i].bits <= 128);
        FUZZ_CHECK(ipaddr_in_ranges(&trusted, &trusted.r[i].addr));
    }
    static const char *const PEERS[] = {"127.0.0.1", "10.1.2.3", "2001:db8::1", "::1"};
    for (size_t p = 0; p < sizeof PEERS / sizeof PEERS[0]; p++) {
        struct ip_addr peer;
        FUZZ_CHECK(ipaddr_parse(PEERS[p], &peer) == 0);
        struct ip_addr c = ipaddr_client(&peer, xff, &trusted);
        if (!ipaddr_in_ranges(&trusted, &peer)) {
            FUZZ_CHECK(same(&c, &peer));
            continue;
        }
        if (same(&c, &peer))
            continue;
        /* The client is an entry of the header, and every entry right of it is trusted. */
        bool found = false, right_trusted = true;
        char *copy = strdup(xff);
        if (!copy)
            break;
        char *save = NULL;
        for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
            while (*e == ' ' || *e == '\t')
                e++;
            size_t n = strlen(e);
            while (n && (e[n - 1] == ' ' || e[n - 1] == '\t'))
                e[--n] = '\0';
            struct ip_addr a;
            if (ipaddr_parse(e, &a) < 0)
                continue;
            if (same(&a, &c)) {
                found = true, right_trusted = true;
            } else if (found && !ipaddr_in_ranges(&trusted, &a)) {
                right_trusted = false;
            }
        }
        free(copy);
        FUZZ_CHECK(found);
        FUZZ_CHECK(right_trusted);
    }
    struct ip_addr a;
    if (ipaddr_parse(xff, &a) == 0) {
        char key[IPADDR_STR];
        memset(key, 'x', sizeof key);
        ipaddr_throttle_key(&a, key);
        FUZZ_CHECK(memchr(key, '\0', sizeof key) != NULL);
    }
    free(s);
    return 0;
}
