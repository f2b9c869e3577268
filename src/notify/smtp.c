/* The e-mail channel: one message per SMTP session through the store's relay, with libcurl.
 * The message is built in memory as RFC 5322 + MIME: UTF-8 text/plain in base64 (so Chinese
 * text survives any relay), the subject and a non-ASCII sender name as RFC 2047 encoded words,
 * and a Message-ID derived from the outbox id, so a message retried after a lost answer can be
 * recognised as the same one. */
#include "notify/notify.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/email.h"
#include "core/strbuf.h"

/* ---- building the message ---- */

/* Base64 of s[0..n) (no line breaks) into b. */
static void buf_base64(struct strbuf *b, const unsigned char *s, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *enc = malloc(cap);
    if (!enc) {
        b->oom = true;
        return;
    }
    sodium_bin2base64(enc, cap, s, n, sodium_base64_VARIANT_ORIGINAL);
    strbuf_str(b, enc);
    free(enc);
}

/* RFC 2047 "=?UTF-8?B?...?=" words for UTF-8 text s, each of at most 39 bytes of text cut
 * between characters (52 base64 characters: a folded line stays under 78), separated by
 * CRLF SP (folding white space, which decoders drop between encoded words). */
static void buf_encoded_words(struct strbuf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t take = n - i < 39 ? n - i : 39;
        /* Back off to a character start; a run of 39 continuation bytes cannot be valid
         * UTF-8, and then the text is cut where it is. */
        size_t t = take;
        while (i + t < n && t > 0 && ((unsigned char)s[i + t] & 0xC0) == 0x80)
            t--;
        if (t > 0)
            take = t;
        if (i > 0)
            strbuf_str(b, "\r\n ");
        strbuf_str(b, "=?UTF-8?B?");
        buf_base64(b, (const unsigned char *)s + i, take);
        strbuf_str(b, "?=");
        i += take;
    }
}

/* Parses "addr@host" or "Display Name <addr@host>" into the display name (may be empty) and
 * the normalised address. */
static int parse_from(const char *from, char *name, size_t name_cap, char addr[EMAIL_MAX],
                      struct dms_error *err)
{
    name[0] = '\0';
    const char *lt = strchr(from, '<');
    if (!lt)
        return email_normalize(from, addr, "smtp_from", err);
    const char *gt = strchr(lt, '>');
    if (!gt || gt[1] != '\0' || (size_t)(gt - lt - 1) >= EMAIL_MAX)
        return dms_fail(err, "invalid_email", "smtp_from", "sender is not \"Name <address>\"");
    char inner[EMAIL_MAX];
    snprintf(inner, sizeof inner, "%.*s", (int)(gt - lt - 1), lt + 1);
    if (email_normalize(inner, addr, "smtp_from", err) != 0)
        return -1;
    const char *s = from, *e = lt;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (e - s >= 2 && *s == '"' && e[-1] == '"')
        s++, e--;
    if ((size_t)(e - s) >= name_cap)
        return dms_fail(err, "invalid_email", "smtp_from", "sender name is too long");
    for (const char *p = s; p < e; p++) {
        if (*p == '\r' || *p == '\n' || *p == '"' || *p == '\\')
            return dms_fail(err, "invalid_email", "smtp_from", "sender name has bad characters");
    }
    snprintf(name, name_cap, "%.*s", (int)(e - s), s);
    return 0;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s >= 0x80)
            return false;
    }
    return true;
}

/* RFC 5322 date-time in UTC, without the locale: "Tue, 25 Nov 2025 04:00:00 +0000". */
static void rfc5322_date(int64_t now, char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        t = 0;
        gmtime_r(&t, &tm);
    }
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The whole message, headers and base64 body, CRLF line ends. */
static void build_message(struct strbuf *b, const char *from_name, const char *from_addr,
                          const char *to, const struct outgoing *m, int64_t now)
{
    strbuf_str(b, "From: ");
    if (*from_name) {
        if (is_ascii(from_name)) {
            strbuf_str(b, "\"");
            strbuf_str(b, from_name);
            strbuf_str(b, "\"");
        } else {
            buf_encoded_words(b, from_name);
        }
        strbuf_str(b, " ");
    }
    strbuf_str(b, "<");
    strbuf_str(b, from_addr);
    strbuf_str(b, ">\r\nTo: <");
    strbuf_str(b, to);
    strbuf_str(b, ">\r\nSubject: ");
    buf_encoded_words(b, m->subject ? m->subject : "");
    char date[40], line[400];
    rfc5322_date(now, date);
    snprintf(line, sizeof line,
             "\r\nDate: %s\r\nMessage-ID: <dms-%" PRId64 "@%s>\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=UTF-8\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n",
             date, m->id, strrchr(from_addr, '@') + 1);
    strbuf_str(b, line);

    /* Text is canonically CRLF before base64 (RFC 2045 6.8): bare LF becomes CRLF. */
    struct strbuf text = {0};
    for (const char *p = m->body; *p; p++) {
        if (*p == '\n' && (p == m->body || p[-1] != '\r'))
            strbuf_add(&text, "\r", 1);
        strbuf_add(&text, p, 1);
    }
    struct strbuf enc = {0};
    buf_base64(&enc, (const unsigned char *)(text.p ? text.p : ""), text.len);
    for (size_t i = 0; i < enc.len; i += 76) {
        strbuf_add(b, enc.p + i, enc.len - i < 76 ? enc.len - i : 76);
        strbuf_str(b, "\r\n");
    }
    if (text.oom || enc.oom)
        b->oom = true;
    free(text.p);
    free(enc.p);
}

/* ---- sending ---- */

struct upload {
    const char *p;
    size_t len, pos;
};

static size_t read_upload(char *dst, size_t size, size_t n, void *userdata)
{
    struct upload *u = userdata;
    size_t room = size * n, left = u->len - u->pos;
    size_t take = left < room ? left : room;
    memcpy(dst, u->p + u->pos, take);
    u->pos += take;
    return take;
}

int smtp_send(const struct smtp_config *c, const struct outgoing *m, int64_t now,
              struct dms_error *err)
{
    int rc = NOTIFY_RETRY;
    struct strbuf msg = {0};
    CURL *h = NULL;
    struct curl_slist *rcpt = NULL;
    char from_name[200], from_addr[EMAIL_MAX], to[EMAIL_MAX];

    if (!c || !c->host || !*c->host || !c->from || c->port <= 0 || c->port > 65535) {
        dms_fail(err, "smtp_not_configured", NULL, "no SMTP relay is configured");
        return NOTIFY_RETRY;
    }
    if (parse_from(c->from, from_name, sizeof from_name, from_addr, err) != 0)
        return NOTIFY_RETRY; /* the configuration, not the message, is wrong */
    if (!m || !m->body || !m->recipient ||
        email_normalize(m->recipient, to, "recipient", err) != 0) {
        if (!m || !m->body || !m->recipient)
            dms_fail(err, "invalid_message", "recipient", "no recipient or text");
        return NOTIFY_PERMANENT;
    }
    if (m->subject && strpbrk(m->subject, "\r\n")) {
        dms_fail(err, "invalid_message", "subject", "the subject has a line break");
        return NOTIFY_PERMANENT;
    }
    build_message(&msg, from_name, from_addr, to, m, now);
    if (msg.oom)
        goto oom;

    /* The from domain names us in EHLO (the URL's path), when it is a plain host name. */
    char url[600], mail_from[EMAIL_MAX + 2], rcpt_to[EMAIL_MAX + 2];
    const char *domain = strrchr(from_addr, '@') + 1;
    bool v6 = strchr(c->host, ':') != NULL;
    snprintf(url, sizeof url, "smtp://%s%s%s:%d/%s", v6 ? "[" : "", c->host, v6 ? "]" : "", c->port,
             strspn(domain, "abcdefghijklmnopqrstuvwxyz0123456789.-") == strlen(domain) ? domain
                                                                                        : "");
    snprintf(mail_from, sizeof mail_from, "<%s>", from_addr);
    snprintf(rcpt_to, sizeof rcpt_to, "<%s>", to);
    rcpt = curl_slist_append(NULL, rcpt_to);
    if (!rcpt)
        goto oom;
    h = curl_easy_init();
    if (!h)
        goto oom;

    struct upload up = {msg.p, msg.len, 0};
    char errbuf[CURL_ERROR_SIZE] = "";
    long timeout = c->timeout_s > 0 ? c->timeout_s : SMTP_TIMEOUT_S;
    CURLcode cc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (cc == CURLE_OK)                                                                        \
            cc = curl_easy_setopt(h, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "smtp");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_USE_SSL, (long)(c->starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    if (c->user && *c->user) {
        SET(CURLOPT_USERNAME, c->user);
        SET(CURLOPT_PASSWORD, c->password ? c->password : "");
    }
    SET(CURLOPT_MAIL_FROM, mail_from);
    SET(CURLOPT_MAIL_RCPT, rcpt);
    SET(CURLOPT_UPLOAD, 1L);
    SET(CURLOPT_READFUNCTION, read_upload);
    SET(CURLOPT_READDATA, &up);
    SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    SET(CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
    SET(CURLOPT_TIMEOUT, timeout);
#undef SET
    if (cc != CURLE_OK) {
        dms_fail(err, "smtp_failed", NULL, "libcurl setup: %s", curl_easy_strerror(cc));
        rc = NOTIFY_RETRY;
        goto out;
    }
    cc = curl_easy_perform(h);
    if (cc == CURLE_OK) {
        rc = NOTIFY_OK;
        goto out;
    }
    /* The last reply decides: 5xx is the server's final word on this message (550 unknown
     * recipient, 535 login refused, 554 rejected), 4xx and no reply at all are worth another
     * attempt. */
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
    if (reply >= 500 || (cc == CURLE_LOGIN_DENIED && reply < 400)) {
        rc = NOTIFY_PERMANENT;
        dms_fail(err, "smtp_rejected", NULL, "SMTP relay refused the message (%ld): %s", reply,
                 why);
    } else {
        rc = NOTIFY_RETRY;
        dms_fail(err, "smtp_failed", NULL, "SMTP relay: %s (reply %ld)", why, reply);
    }
    goto out;
oom:
    rc = NOTIFY_RETRY;
    dms_fail(err, "internal", NULL, "out of memory");
out:
    curl_easy_cleanup(h);
    curl_slist_free_all(rcpt);
    free(msg.p);
    return rc;
}
