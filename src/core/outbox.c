/* Outbox rules (MR-3, IN-16): quiet hours, retry back-off, opt-out replies, "HH:MM". */
#include "core/outbox.h"

#include <string.h>

#include "core/utf8.h"

#define DAY_MINUTES 1440

static int minute_of_day(int m)
{
    int r = m % DAY_MINUTES;
    return r < 0 ? r + DAY_MINUTES : r;
}

int outbox_quiet_wait(int now_min, int quiet_from, int quiet_until)
{
    int now = minute_of_day(now_min), from = minute_of_day(quiet_from),
        until = minute_of_day(quiet_until);
    if (from == until)
        return 0;
    if (from < until) /* e.g. 12:00..14:00 */
        return now >= from && now < until ? until - now : 0;
    /* Wraps midnight, e.g. 21:00..08:00: quiet from `from` to midnight and up to `until`. */
    if (now >= from)
        return DAY_MINUTES - now + until;
    return now < until ? until - now : 0;
}

int64_t outbox_backoff_seconds(int attempts)
{
    if (attempts < 1)
        attempts = 1;
    if (attempts > 7) /* 60 * 2^6 = 3840 already passes the cap; no shift overflow */
        return 3600;
    int64_t s = INT64_C(60) << (attempts - 1);
    return s > 3600 ? 3600 : s;
}

/* Full-width forms of ASCII (U+FF01..U+FF5E) as ASCII, so "ＴＤ" reads as "TD". */
static uint32_t fold_width(uint32_t cp)
{
    return cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp;
}

/* White space and punctuation that may surround an opt-out word ("退订。", " td! "). */
static bool ignorable(uint32_t cp)
{
    cp = fold_width(cp);
    if (cp < 0x80)
        return cp <= ' ' || cp == 0x7F || strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", (int)cp);
    return cp == 0xA0 || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x206F) /* general punct. */
           || (cp >= 0x3000 && cp <= 0x303F)                            /* CJK punct., U+3000 */
           || (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE4F) /* forms */
           || (cp >= 0xFF61 && cp <= 0xFF65);                                  /* half-width */
}

bool outbox_is_opt_out(const char *text)
{
    if (!text)
        return false;
    size_t n = strlen(text), start = n, end = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(text + i, n - i, &cp);
        if (l == 0)
            return false;
        if (!ignorable(cp)) {
            if (start == n)
                start = i;
            end = i + l;
        }
        i += l;
    }
    if (start >= end)
        return false;
    uint32_t word[3];
    size_t count = 0;
    for (size_t i = start; i < end && count < 3;) {
        uint32_t cp;
        i += utf8_decode(text + i, end - i, &cp);
        cp = fold_width(cp);
        word[count++] = cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    }
    if (count != 2)
        return false;
    return (word[0] == 'T' && word[1] == 'D') ||
           (word[0] == 0x9000 && word[1] == 0x8BA2); /* 退订 */
}

int outbox_parse_hhmm(const char *s, int *minutes, const char *field, struct dms_error *err)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return dms_fail(err, "invalid_field", field, "expected a time of day as HH:MM");
    for (int i = 0; i < 5; i++) {
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return dms_fail(err, "invalid_field", field, "expected a time of day as HH:MM");
    }
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return dms_fail(err, "invalid_field", field, "expected a time of day from 00:00 to 23:59");
    *minutes = h * 60 + m;
    return 0;
}

const char *outbox_pick_channel(const char *preferred, bool sms_ok, const char *mobile,
                                bool email_ok, const char *email, const char **recipient)
{
    bool sms = sms_ok && mobile[0], mail = email_ok && email[0];
    if (strcmp(preferred, "email") == 0 && mail)
        return *recipient = email, "email";
    if (sms)
        return *recipient = mobile, "sms";
    if (mail)
        return *recipient = email, "email";
    *recipient = mobile[0] ? mobile : email[0] ? email : "-";
    return NULL;
}
