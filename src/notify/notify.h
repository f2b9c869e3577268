/* The two channels the outbox sends reminders through (MR-3, IN-16): e-mail over SMTP and SMS
 * through an HTTP gateway (docs/sms-gateway.md), both with libcurl, one blocking call per
 * message. Each call tells the dispatcher whether to retry: a full mailbox or an overloaded
 * gateway is worth another attempt, an unknown recipient is not.
 *
 * No global state here. libcurl's is the caller's: call curl_global_init(CURL_GLOBAL_ALL) once
 * at program start, before any thread sends, and curl_global_cleanup() at the end. The sends
 * are otherwise thread-safe (one easy handle per call, CURLOPT_NOSIGNAL). */
#ifndef DMS_NOTIFY_NOTIFY_H
#define DMS_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* What a send returns; err is filled for the failures. */
enum { NOTIFY_OK = 0, NOTIFY_RETRY = -1, NOTIFY_PERMANENT = -2 };

/* The channels' default time-outs, seconds for a whole send. On PostgreSQL a message is held
 * (its row locked) while it is being sent, and a cancellation or an opt-out touching it waits
 * for the send: both stay well below the connection's statement_timeout (30 s, db_pg.c), so
 * the waiting request is slow, never failed (found in review: 30 s for e-mail was the whole
 * timeout). */
#define SMTP_TIMEOUT_S 20
#define SMS_TIMEOUT_S  15

struct smtp_config {
    const char *host;
    int port;                    /* 25, 587 ... */
    bool starttls;               /* require STARTTLS (CURLUSESSL_ALL); false: plain text only */
    const char *user, *password; /* NULL or "": no AUTH */
    const char *from;            /* "dms@example.com" or "深圳一店 <dms@example.com>" */
    int timeout_s;               /* whole transfer; <= 0 means 30 */
};

struct sms_config {
    const char *url;    /* the gateway's endpoint, http:// or https:// */
    const char *secret; /* shared HMAC key */
    int timeout_s;      /* whole request; <= 0 means 15 */
};

struct outgoing {
    int64_t id;             /* the outbox row: Message-ID and the gateway's dedupe key */
    const char *store_code; /* e.g. "S1" */
    const char *recipient;  /* e-mail address, or normalised phone number */
    const char *subject;    /* e-mail only */
    const char *body;       /* UTF-8 text */
};

/* Sends one e-mail: text/plain, UTF-8, base64, subject encoded per RFC 2047, Date from now
 * (unix seconds), Message-ID <dms-ID@host of from>. NOTIFY_RETRY for connection failures,
 * timeouts and 4xx replies; NOTIFY_PERMANENT for 5xx replies (unknown recipient, refused
 * login) and a recipient or sender that cannot be an address. */
int smtp_send(const struct smtp_config *c, const struct outgoing *m, int64_t now,
              struct dms_error *err);

/* Posts one SMS to the gateway as {"id","store","to","text"} with X-DMS-Timestamp (now) and
 * X-DMS-Signature (sms_sign). 2xx: NOTIFY_OK; an answer sms_status_permanent() calls final,
 * and a text that is not UTF-8: NOTIFY_PERMANENT; everything else (408, 425, 429, other 4xx,
 * 5xx, 1xx/3xx, connection failures, time-outs): NOTIFY_RETRY, which the dispatcher retries
 * a bounded number of times with back-off (docs/sms-gateway.md). */
int sms_send(const struct sms_config *c, const struct outgoing *m, int64_t now,
             struct dms_error *err);

/* Whether a gateway's HTTP status says that the request itself is wrong, so that the same
 * request would get the same answer: 400, 401, 403, 404, 405, 410, 411, 413, 414, 415, 422,
 * 431, 451. Any other 4xx (408, 425, 429, 409, 423 ...) may pass on a later attempt. Only
 * meaningful for 4xx statuses. */
bool sms_status_permanent(long status);

/* out = lower-case hex of HMAC-SHA256(secret, timestamp + "." + body[0..body_len)). */
void sms_sign(const char *secret, const char *timestamp, const char *body, size_t body_len,
              char out[65]);

/* Whether sig_hex (64 hex digits, either case) signs timestamp + "." + body with secret,
 * compared in constant time. False also when timestamp is not decimal unix seconds or lies
 * more than 300 s from now, and when any argument is NULL or malformed. */
bool sms_verify(const char *secret, const char *timestamp, const char *body, size_t body_len,
                const char *sig_hex, int64_t now);

#endif
