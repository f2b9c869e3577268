/* Who the client is, as far as the connection and a trusted proxy can tell: its address (for
 * the limits on failed sign-ins) and whether it came over https (for Secure cookies). A proxy's
 * X-Forwarded-For and X-Forwarded-Proto are believed only when the peer is one of
 * trusted_proxies: anyone else can send those headers. */
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ipaddr.h"
#include "http/http.h"

static struct ip_addr peer_of(struct req *r)
{
    struct ip_addr a = {{0}};
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return a;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ci->client_addr;
        a.b[10] = a.b[11] = 0xff;
        memcpy(a.b + 12, &in->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ci->client_addr;
        memcpy(a.b, &in6->sin6_addr, 16);
    }
    return a;
}

/* Every X-Forwarded-For header, joined in order (a proxy may add its own line rather than
 * append to the client's). Only the tail is read (ipaddr_client walks from the right), so a
 * long header from the client cannot push our proxies' entries out. */
struct joined {
    char *text;
    size_t len;
    bool oom;
};

static enum MHD_Result join_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct joined *j = cls;
    if (strcasecmp(key, "X-Forwarded-For") != 0 || !value || j->oom)
        return MHD_YES;
    size_t n = strlen(value);
    char *grown = realloc(j->text, j->len + n + 3);
    if (!grown) {
        j->oom = true;
        return MHD_YES;
    }
    j->text = grown;
    if (j->len) {
        memcpy(j->text + j->len, ", ", 2);
        j->len += 2;
    }
    memcpy(j->text + j->len, value, n);
    j->len += n;
    j->text[j->len] = '\0';
    return MHD_YES;
}

void req_client_key(struct req *r, char out[IPADDR_STR])
{
    struct ip_addr peer = peer_of(r), client = peer;
    if (ipaddr_in_ranges(&r->cfg->trusted_proxies, &peer)) {
        struct joined j = {NULL, 0, false};
        MHD_get_connection_values(r->conn, MHD_HEADER_KIND, join_xff, &j);
        if (j.text && !j.oom)
            client = ipaddr_client(&peer, j.text, &r->cfg->trusted_proxies);
        free(j.text);
    }
    ipaddr_throttle_key(&client, out);
}

bool req_cookie_secure(struct req *r)
{
    switch (r->cfg->cookie_secure) {
    case COOKIE_SECURE_ON:
        return true;
    case COOKIE_SECURE_OFF:
        return false;
    case COOKIE_SECURE_AUTO:
        break;
    }
    struct ip_addr peer = peer_of(r);
    if (!ipaddr_in_ranges(&r->cfg->trusted_proxies, &peer))
        return false;
    const char *proto = req_header(r, "X-Forwarded-Proto");
    if (!proto)
        return false;
    /* "https" or, through several proxies, "https, http": the first is the client's. */
    while (*proto == ' ')
        proto++;
    return strncasecmp(proto, "https", 5) == 0 &&
           (proto[5] == '\0' || proto[5] == ',' || proto[5] == ' ');
}
