/* The SMS channel: one signed JSON POST per message to the store's SMS gateway, and the HMAC
 * signature both directions use (docs/sms-gateway.md). The gateway drops a repeated id, so a
 * retry after a lost answer does not send the text twice. */
#include "notify/notify.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far the timestamp of a signed request may lie from the receiver's clock. */
#define SMS_MAX_SKEW_S 300

static void hmac(const char *secret, const char *timestamp, const char *body, size_t body_len,
                 unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    if (body_len)
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
}

void sms_sign(const char *secret, const char *timestamp, const char *body, size_t body_len,
              char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    hmac(secret ? secret : "", timestamp ? timestamp : "", body, body ? body_len : 0, mac);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* Decimal unix seconds: digits only, at most 18 of them (no overflow). */
static bool parse_timestamp(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    *out = v;
    return true;
}

bool sms_verify(const char *secret, const char *timestamp, const char *body, size_t body_len,
                const char *sig_hex, int64_t now)
{
    if (!secret || !timestamp || !sig_hex || (!body && body_len))
        return false;
    int64_t ts;
    if (!parse_timestamp(timestamp, &ts))
        return false;
    if (ts > now + SMS_MAX_SKEW_S || ts < now - SMS_MAX_SKEW_S)
        return false;
    if (strlen(sig_hex) != 2 * crypto_auth_hmacsha256_BYTES ||
        strspn(sig_hex, "0123456789abcdefABCDEF") != 2 * crypto_auth_hmacsha256_BYTES)
        return false;
    unsigned char want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
    size_t got_len = 0;
    if (sodium_hex2bin(got, sizeof got, sig_hex, strlen(sig_hex), NULL, &got_len, NULL) != 0 ||
        got_len != sizeof got)
        return false;
    hmac(secret, timestamp, body, body_len, want);
    return crypto_verify_32(want, got) == 0;
}

/* Keeps the first bytes of the gateway's answer for the error message. */
struct answer {
    char text[200];
    size_t len;
};

static size_t keep_answer(char *ptr, size_t size, size_t n, void *userdata)
{
    struct answer *a = userdata;
    size_t add = size * n, room = sizeof a->text - 1 - a->len;
    size_t take = add < room ? add : room;
    memcpy(a->text + a->len, ptr, take);
    a->len += take;
    a->text[a->len] = '\0';
    return add;
}

/* Printable ASCII only, for quoting the gateway's answer in an error. */
static void printable(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E)
            *s = '?';
    }
}

bool sms_status_permanent(long status)
{
    switch (status) {
    case 400: /* bad request: the body is wrong */
    case 401: /* bad signature: the secret is wrong */
    case 403: /* refused: the sender or the number is not allowed */
    case 404: /* no such endpoint: the URL is wrong */
    case 405:
    case 410:
    case 411:
    case 413:
    case 414:
    case 415:
    case 422: /* the number or the text is refused */
    case 431:
    case 451: /* the text is refused on legal grounds */
        return true;
    default:
        return false;
    }
}

int sms_send(const struct sms_config *c, const struct outgoing *m, int64_t now,
             struct dms_error *err)
{
    int rc = NOTIFY_RETRY;
    json_t *o = NULL;
    char *body = NULL;
    CURL *h = NULL;
    struct curl_slist *hdrs = NULL;

    if (!c || !c->url || !*c->url || !c->secret) {
        dms_fail(err, "sms_not_configured", NULL, "no SMS gateway is configured");
        return NOTIFY_RETRY;
    }
    if (!m || !m->recipient || !*m->recipient || !m->body) {
        dms_fail(err, "invalid_message", "recipient", "no phone number or text");
        return NOTIFY_PERMANENT;
    }
    o = json_object();
    json_t *text = json_string(m->body);
    if (!o || !text) {
        json_decref(text);
        rc = o ? NOTIFY_PERMANENT : NOTIFY_RETRY;
        dms_fail(err, o ? "invalid_message" : "internal", o ? "text" : NULL,
                 o ? "the text is not valid UTF-8" : "out of memory");
        goto out;
    }
    if (json_object_set_new(o, "id", json_integer(m->id)) != 0 ||
        json_object_set_new(o, "store", json_string(m->store_code ? m->store_code : "")) != 0 ||
        json_object_set_new(o, "to", json_string(m->recipient)) != 0 ||
        json_object_set_new(o, "text", text) != 0) {
        rc = NOTIFY_PERMANENT;
        dms_fail(err, "invalid_message", "recipient", "store code or phone is not valid UTF-8");
        goto out;
    }
    body = json_dumps(o, JSON_COMPACT);
    if (!body) {
        dms_fail(err, "internal", NULL, "out of memory");
        goto out;
    }
    size_t body_len = strlen(body);

    char ts[24], sig[65], line[128];
    snprintf(ts, sizeof ts, "%" PRId64, now);
    sms_sign(c->secret, ts, body, body_len, sig);
    const char *fixed[] = {"Content-Type: application/json", "Expect:"};
    for (size_t i = 0; i < 2; i++) {
        struct curl_slist *n = curl_slist_append(hdrs, fixed[i]);
        if (!n)
            goto oom;
        hdrs = n;
    }
    snprintf(line, sizeof line, "X-DMS-Timestamp: %s", ts);
    struct curl_slist *n1 = curl_slist_append(hdrs, line);
    if (!n1)
        goto oom;
    hdrs = n1;
    snprintf(line, sizeof line, "X-DMS-Signature: %s", sig);
    struct curl_slist *n2 = curl_slist_append(hdrs, line);
    if (!n2)
        goto oom;
    hdrs = n2;

    h = curl_easy_init();
    if (!h)
        goto oom;
    struct answer answer = {.len = 0};
    long timeout = c->timeout_s > 0 ? c->timeout_s : SMS_TIMEOUT_S;
    CURLcode cc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (cc == CURLE_OK)                                                                        \
            cc = curl_easy_setopt(h, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_URL, c->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_HTTPHEADER, hdrs);
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDS, body);
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    SET(CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
    SET(CURLOPT_TIMEOUT, timeout);
    SET(CURLOPT_WRITEFUNCTION, keep_answer);
    SET(CURLOPT_WRITEDATA, &answer);
    SET(CURLOPT_USERAGENT, "dms");
#undef SET
    if (cc != CURLE_OK) {
        rc = NOTIFY_RETRY;
        dms_fail(err, "sms_failed", NULL, "libcurl setup: %s", curl_easy_strerror(cc));
        goto out;
    }
    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        /* Unreachable, refused, timed out, reset: the gateway may do better next time. */
        rc = NOTIFY_RETRY;
        dms_fail(err, "sms_unreachable", NULL, "SMS gateway: %s", curl_easy_strerror(cc));
        goto out;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    printable(answer.text);
    if (status >= 200 && status < 300) {
        rc = NOTIFY_OK;
    } else if (status >= 400 && status < 500 && sms_status_permanent(status)) {
        /* The gateway refuses this message (bad number, bad signature ...): asking again
         * would get the same answer. */
        rc = NOTIFY_PERMANENT;
        dms_fail(err, "sms_rejected", NULL, "SMS gateway answered %ld: %s", status, answer.text);
    } else {
        /* 408, 425, 429 and the other 4xx that are no verdict on the request (a busy or
         * rate-limited gateway, a conflict with a send in progress), 5xx, and redirects or
         * other oddities that are no fault of the message: the dispatcher tries again, at
         * most OUTBOX_MAX_ATTEMPTS times. */
        rc = NOTIFY_RETRY;
        dms_fail(err, "sms_failed", NULL, "SMS gateway answered %ld: %s", status, answer.text);
    }
    goto out;
oom:
    rc = NOTIFY_RETRY;
    dms_fail(err, "internal", NULL, "out of memory");
out:
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
    free(body);
    json_decref(o);
    return rc;
}
