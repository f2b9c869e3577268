/* Time zones: a reader for TZif files (RFC 8536, versions 1 to 4) and for POSIX TZ strings
 * (the TZif footer, with the version 3 extensions), and the conversions between UTC instants
 * and local wall-clock time built on them. Pure: no I/O, no global state.
 *
 * Choices worth knowing:
 * - Leap-second records are checked for size and otherwise ignored ("right/" zones are not
 *   supported as such: their times are then off by the leap seconds).
 * - Offsets of local time types must lie in -89999..93599 (RFC 8536's SHOULD, made a MUST);
 *   transition times must be strictly ascending; anything else malformed gives NULL.
 * - A version 2+ file must carry its footer ("\n" TZ string "\n"); an empty TZ string means
 *   the last transition's type stays in force forever.
 * - A DST name without rules ("EST5EDT") gets the US rules M3.2.0,M11.1.0, as tzcode does. */
#include "core/tz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TZ_MIN_OFF    (-89999)                   /* -24:59:59 */
#define TZ_MAX_OFF    93599                      /* +25:59:59 */
#define TZ_DAY        INT64_C(86400)             /* seconds in a day */
#define TZ_CYCLE      (INT64_C(146097) * TZ_DAY) /* 400 Gregorian years, a whole number of weeks */
#define TZ_HDR_LEN    44
#define TZ_MAX_HOURS  24  /* of a UTC offset in a TZ string */
#define TZ_MAX_THOURS 167 /* of a rule's transition time (RFC 8536 version 3) */

enum tz_rdate_kind {
    TZ_RDATE_JULIAN1, /* Jn: 1..365, February 29 never counted */
    TZ_RDATE_JULIAN0, /* n: 0..365, February 29 counted in leap years */
    TZ_RDATE_MONTH,   /* Mm.w.d */
};

/* One end of a DST period in a POSIX TZ rule. */
struct tz_rdate {
    enum tz_rdate_kind kind;
    int day;      /* J: 1..365; n: 0..365; M: weekday 0 (Sunday)..6 */
    int week;     /* M: 1..5, 5 meaning the last */
    int month;    /* M: 1..12 */
    int32_t time; /* seconds after local midnight (in the time then in force) */
};

/* A POSIX TZ string; offsets east-positive (the string's own sign is west-positive). */
struct tz_rule {
    int32_t std_off;
    int32_t dst_off;
    bool has_dst;
    struct tz_rdate start; /* DST begins */
    struct tz_rdate end;   /* DST ends */
};

struct tz {
    size_t timecnt;
    int64_t *trans;     /* timecnt transition instants, strictly ascending */
    unsigned char *idx; /* timecnt indices into offs */
    size_t typecnt;     /* >= 1 */
    int32_t *offs;      /* UTC offset of each local time type */
    bool has_rule;      /* governs instants from the last transition on (or all of them) */
    struct tz_rule rule;
};

/* ---- arithmetic ---- */

static int64_t tz_sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

static int64_t tz_sat_sub(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

static bool tz_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int tz_month_len(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return len[m - 1] + (m == 2 && tz_is_leap(y));
}

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (moderate years only). */
static int64_t tz_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Gregorian year of the day `days` since 1970-01-01 (moderate values only). */
static int64_t tz_year_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10);
}

/* ---- POSIX TZ strings ---- */

struct tz_cur {
    const char *s;
    size_t n;
    size_t i;
};

static int tz_peek(const struct tz_cur *c)
{
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static bool tz_eat(struct tz_cur *c, int ch)
{
    if (tz_peek(c) != ch)
        return false;
    c->i++;
    return true;
}

static bool tz_is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static bool tz_is_alpha(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* An unsigned decimal of 1..maxdig digits whose value is at most max. */
static bool tz_p_num(struct tz_cur *c, int maxdig, int max, int *out)
{
    int v = 0, nd = 0;
    while (tz_is_digit(tz_peek(c))) {
        if (nd == maxdig)
            return false;
        v = v * 10 + (tz_peek(c) - '0');
        nd++;
        c->i++;
    }
    if (nd == 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* A zone abbreviation: three or more letters, or <...> holding three or more of [A-Za-z0-9+-]. */
static bool tz_p_name(struct tz_cur *c)
{
    size_t len = 0;
    if (tz_eat(c, '<')) {
        for (;;) {
            int ch = tz_peek(c);
            if (ch == '>')
                break;
            if (!tz_is_alpha(ch) && !tz_is_digit(ch) && ch != '+' && ch != '-')
                return false;
            c->i++;
            len++;
        }
        c->i++;
    } else {
        while (tz_is_alpha(tz_peek(c))) {
            c->i++;
            len++;
        }
    }
    return len >= 3;
}

/* [+|-]hh[:mm[:ss]] with hh at most maxh; the value in seconds, sign as written. */
static bool tz_p_hms(struct tz_cur *c, int maxh, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (tz_eat(c, '-'))
        sign = -1;
    else
        tz_eat(c, '+');
    if (!tz_p_num(c, 3, maxh, &h))
        return false;
    if (tz_eat(c, ':')) {
        if (!tz_p_num(c, 2, 59, &m))
            return false;
        if (tz_eat(c, ':') && !tz_p_num(c, 2, 59, &s))
            return false;
    }
    *out = (int32_t)(sign * (h * 3600 + m * 60 + s));
    return true;
}

/* Jn, n or Mm.w.d, then an optional /time (default 02:00:00). */
static bool tz_p_rdate(struct tz_cur *c, struct tz_rdate *d)
{
    memset(d, 0, sizeof *d);
    if (tz_eat(c, 'J')) {
        d->kind = TZ_RDATE_JULIAN1;
        if (!tz_p_num(c, 3, 365, &d->day) || d->day < 1)
            return false;
    } else if (tz_eat(c, 'M')) {
        d->kind = TZ_RDATE_MONTH;
        if (!tz_p_num(c, 2, 12, &d->month) || d->month < 1 || !tz_eat(c, '.') ||
            !tz_p_num(c, 1, 5, &d->week) || d->week < 1 || !tz_eat(c, '.') ||
            !tz_p_num(c, 1, 6, &d->day))
            return false;
    } else {
        d->kind = TZ_RDATE_JULIAN0;
        if (!tz_p_num(c, 3, 365, &d->day))
            return false;
    }
    d->time = 2 * 3600;
    if (tz_eat(c, '/'))
        return tz_p_hms(c, TZ_MAX_THOURS, &d->time);
    return true;
}

/* Parses the whole of s[0..n) as a POSIX TZ string ("std offset [dst [offset] [,start,end]]"). */
static bool tz_p_rule(const char *s, size_t n, struct tz_rule *r)
{
    struct tz_cur c = {s, n, 0};
    int32_t v;
    memset(r, 0, sizeof *r);
    if (!tz_p_name(&c) || !tz_p_hms(&c, TZ_MAX_HOURS, &v))
        return false;
    r->std_off = -v;
    r->dst_off = r->std_off;
    if (c.i == c.n)
        return true;
    if (!tz_p_name(&c))
        return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (c.i < c.n && tz_peek(&c) != ',') {
        if (!tz_p_hms(&c, TZ_MAX_HOURS, &v))
            return false;
        r->dst_off = -v;
    }
    if (c.i == c.n) {
        r->start = (struct tz_rdate){TZ_RDATE_MONTH, 0, 2, 3, 2 * 3600};
        r->end = (struct tz_rdate){TZ_RDATE_MONTH, 0, 1, 11, 2 * 3600};
        return true;
    }
    return tz_eat(&c, ',') && tz_p_rdate(&c, &r->start) && tz_eat(&c, ',') &&
           tz_p_rdate(&c, &r->end) && c.i == c.n;
}

/* Day (since the epoch) on which the rule date falls in year y. */
static int64_t tz_rdate_day(const struct tz_rdate *d, int64_t y)
{
    int64_t jan1 = tz_days_from_civil(y, 1, 1);
    switch (d->kind) {
    case TZ_RDATE_JULIAN1:
        return jan1 + d->day - 1 + (tz_is_leap(y) && d->day >= 60);
    case TZ_RDATE_JULIAN0:
        return jan1 + d->day;
    case TZ_RDATE_MONTH:
    default: {
        int64_t first = tz_days_from_civil(y, d->month, 1);
        int64_t wd = ((first % 7) + 11) % 7; /* 1970-01-01 was a Thursday (4) */
        int64_t day = first + (d->day - wd + 7) % 7 + 7 * (d->week - 1);
        while (day - first >= tz_month_len(y, d->month))
            day -= 7;
        return day;
    }
    }
}

/* Offset under the rule at t, and a span [*lo, *hi) containing t over which it holds. The
 * rule repeats every 400 years, so the work is done on t reduced into [0, TZ_CYCLE). */
static int32_t tz_rule_span(const struct tz_rule *r, int64_t t, int64_t *lo, int64_t *hi)
{
    if (!r->has_dst) {
        *lo = INT64_MIN;
        *hi = INT64_MAX;
        return r->std_off;
    }
    int64_t rem = t % TZ_CYCLE;
    if (rem < 0)
        rem += TZ_CYCLE;
    int64_t year = tz_year_from_days(rem / TZ_DAY);
    /* Transition times may stray up to about eight days from their date's year, so five years
     * always hold one transition at or before rem and one after it. */
    int64_t best = INT64_MIN, next = INT64_MAX;
    bool best_start = false;
    for (int64_t y = year - 2; y <= year + 2; y++) {
        int64_t s = tz_rdate_day(&r->start, y) * TZ_DAY + r->start.time - r->std_off;
        int64_t e = tz_rdate_day(&r->end, y) * TZ_DAY + r->end.time - r->dst_off;
        /* When an end and a start coincide (DST all year, "J365/25"), the start wins. */
        if (e <= rem && (e > best || (e == best && !best_start))) {
            best = e;
            best_start = false;
        }
        if (s <= rem && s >= best) {
            best = s;
            best_start = true;
        }
        if (e > rem && e < next)
            next = e;
        if (s > rem && s < next)
            next = s;
    }
    *lo = tz_sat_add(t, best - rem);
    *hi = tz_sat_add(t, next - rem);
    return best_start ? r->dst_off : r->std_off;
}

/* ---- lookups ---- */

/* Offset at t and a span [*lo, *hi) containing t over which it holds (not necessarily the
 * longest such span). */
static int32_t tz_span(const struct tz *tz, int64_t t, int64_t *lo, int64_t *hi)
{
    size_t n = tz->timecnt;
    if (n == 0 || t >= tz->trans[n - 1]) {
        if (tz->has_rule) {
            int32_t off = tz_rule_span(&tz->rule, t, lo, hi);
            if (n > 0 && *lo < tz->trans[n - 1])
                *lo = tz->trans[n - 1];
            return off;
        }
        *lo = n > 0 ? tz->trans[n - 1] : INT64_MIN;
        *hi = INT64_MAX;
        return tz->offs[n > 0 ? tz->idx[n - 1] : 0];
    }
    if (t < tz->trans[0]) {
        *lo = INT64_MIN;
        *hi = tz->trans[0];
        return tz->offs[0];
    }
    size_t a = 0, b = n - 1; /* trans[a] <= t < trans[b] */
    while (b - a > 1) {
        size_t m = a + (b - a) / 2;
        if (tz->trans[m] <= t)
            a = m;
        else
            b = m;
    }
    *lo = tz->trans[a];
    *hi = tz->trans[b];
    return tz->offs[tz->idx[a]];
}

int32_t tz_offset_at(const struct tz *tz, int64_t utc)
{
    int64_t lo, hi;
    return tz_span(tz, utc, &lo, &hi);
}

int64_t tz_to_local(const struct tz *tz, int64_t utc)
{
    return tz_sat_add(utc, tz_offset_at(tz, utc));
}

/* Every UTC instant whose local time is `local` lies in [local - TZ_MAX_OFF, local -
 * TZ_MIN_OFF]; the spans covering that window are walked in order, so the first match is the
 * earliest. Without a match, the window holds the gap that swallowed `local`. */
int64_t tz_to_utc(const struct tz *tz, int64_t local)
{
    int64_t t = tz_sat_sub(local, TZ_MAX_OFF);
    int64_t stop = tz_sat_sub(local, TZ_MIN_OFF);
    bool have_prev = false;
    int64_t prev_cand = 0, prev_hi = 0;
    for (;;) {
        int64_t lo, hi;
        int64_t cand = tz_sat_sub(local, tz_span(tz, t, &lo, &hi));
        if (lo <= cand && cand < hi)
            return cand;
        if (have_prev && cand < lo && prev_cand >= prev_hi)
            return prev_cand;
        if (hi == INT64_MAX || hi > stop)
            break;
        have_prev = true;
        prev_cand = cand;
        prev_hi = hi;
        t = hi;
    }
    return tz_sat_sub(local, tz_offset_at(tz, local)); /* only at the ends of the int64 range */
}

/* ---- construction ---- */

void tz_free(struct tz *tz)
{
    if (!tz)
        return;
    free(tz->trans);
    free(tz->idx);
    free(tz->offs);
    free(tz);
}

static struct tz *tz_alloc(size_t timecnt, size_t typecnt)
{
    struct tz *tz = calloc(1, sizeof *tz);
    if (!tz)
        return NULL;
    tz->timecnt = timecnt;
    tz->typecnt = typecnt;
    if (timecnt > 0) {
        tz->trans = malloc(timecnt * sizeof *tz->trans);
        tz->idx = malloc(timecnt);
        if (!tz->trans || !tz->idx) {
            tz_free(tz);
            return NULL;
        }
    }
    tz->offs = malloc(typecnt * sizeof *tz->offs);
    if (!tz->offs) {
        tz_free(tz);
        return NULL;
    }
    return tz;
}

struct tz *tz_parse_posix(const char *spec)
{
    struct tz_rule rule;
    if (!spec || !tz_p_rule(spec, strlen(spec), &rule))
        return NULL;
    struct tz *tz = tz_alloc(0, 1);
    if (!tz)
        return NULL;
    tz->offs[0] = rule.std_off;
    tz->has_rule = true;
    tz->rule = rule;
    return tz;
}

/* ---- TZif ---- */

struct tz_hdr {
    unsigned char version;
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static uint32_t tz_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t tz_be64s(const unsigned char *p)
{
    uint64_t u = (uint64_t)tz_be32(p) << 32 | tz_be32(p + 4);
    if (u <= (uint64_t)INT64_MAX)
        return (int64_t)u;
    return (int64_t)(u - (uint64_t)INT64_MAX - 1) + INT64_MIN;
}

static int32_t tz_be32s(const unsigned char *p)
{
    uint32_t u = tz_be32(p);
    if (u <= (uint32_t)INT32_MAX)
        return (int32_t)u;
    return (int32_t)(u - (uint32_t)INT32_MAX - 1) + INT32_MIN;
}

/* Reads a header (len >= TZ_HDR_LEN); false unless the magic and version are right. Version
 * bytes past '4' are taken as later compatible versions. */
static bool tz_read_hdr(const unsigned char *p, struct tz_hdr *h)
{
    if (memcmp(p, "TZif", 4) != 0)
        return false;
    h->version = p[4];
    if (h->version != 0 && h->version < '2')
        return false;
    h->isutcnt = tz_be32(p + 20);
    h->isstdcnt = tz_be32(p + 24);
    h->leapcnt = tz_be32(p + 28);
    h->timecnt = tz_be32(p + 32);
    h->typecnt = tz_be32(p + 36);
    h->charcnt = tz_be32(p + 40);
    return true;
}

/* Size of the data block that follows a header; cannot overflow with 32-bit counts. */
static uint64_t tz_block_len(const struct tz_hdr *h, unsigned timesize)
{
    return (uint64_t)h->timecnt * (timesize + 1) + (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (timesize + 4) + h->isstdcnt + h->isutcnt;
}

/* Builds the zone from a data block already known to lie wholly inside the buffer. */
static struct tz *tz_from_block(const unsigned char *p, const struct tz_hdr *h, unsigned timesize)
{
    if (h->typecnt == 0 || h->charcnt == 0 || (h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
        (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
        return NULL;
    struct tz *tz = tz_alloc(h->timecnt, h->typecnt);
    if (!tz)
        return NULL;
    for (size_t i = 0; i < tz->timecnt; i++, p += timesize) {
        tz->trans[i] = timesize == 8 ? tz_be64s(p) : tz_be32s(p);
        if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
            goto bad;
    }
    for (size_t i = 0; i < tz->timecnt; i++, p++) {
        if (*p >= tz->typecnt)
            goto bad;
        tz->idx[i] = *p;
    }
    for (size_t i = 0; i < tz->typecnt; i++, p += 6) {
        int32_t off = tz_be32s(p);
        if (off < TZ_MIN_OFF || off > TZ_MAX_OFF || p[4] > 1 || p[5] >= h->charcnt)
            goto bad;
        tz->offs[i] = off;
    }
    return tz;
bad:
    tz_free(tz);
    return NULL;
}

struct tz *tz_parse(const unsigned char *buf, size_t len)
{
    struct tz_hdr h;
    if (!buf || len < TZ_HDR_LEN || !tz_read_hdr(buf, &h))
        return NULL;
    size_t pos = TZ_HDR_LEN;
    uint64_t blen = tz_block_len(&h, 4);
    if (blen > len - pos)
        return NULL;
    if (h.version == 0)
        return tz_from_block(buf + pos, &h, 4);

    /* Version 2+: skip the 32-bit block, use the 64-bit one and the footer after it. */
    pos += (size_t)blen;
    if (len - pos < TZ_HDR_LEN || !tz_read_hdr(buf + pos, &h) || h.version == 0)
        return NULL;
    pos += TZ_HDR_LEN;
    blen = tz_block_len(&h, 8);
    if (blen > len - pos)
        return NULL;
    const unsigned char *block = buf + pos;
    pos += (size_t)blen;
    if (pos >= len || buf[pos] != '\n')
        return NULL;
    pos++;
    const unsigned char *nl = memchr(buf + pos, '\n', len - pos);
    if (!nl)
        return NULL;
    size_t flen = (size_t)(nl - (buf + pos));
    struct tz_rule rule;
    if (flen > 0 && !tz_p_rule((const char *)buf + pos, flen, &rule))
        return NULL;
    struct tz *tz = tz_from_block(block, &h, 8);
    if (tz && flen > 0) {
        tz->has_rule = true;
        tz->rule = rule;
    }
    return tz;
}
