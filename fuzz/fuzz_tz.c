/* Fuzzes the time-zone reader (src/core/tz.c): tz_parse() on the input as a TZif file and
 * tz_parse_posix() on it as a NUL-terminated TZ string. Zone files normally come from the
 * system's zoneinfo, but a store's zone decides its calendar day, so the parser must hold up
 * to any bytes, and the conversions to any instant of the int64 range.
 *
 * For every zone that parses, at fixed instants (the int64 extremes, the epoch, today), at
 * transitions read from the file, and at offset changes found by scanning 2024 and 2040 day by
 * day and then bisecting to the second, checks, beyond "no crash" and no UB:
 * - tz_offset_at lies in -89999..93599 (what the parser promises for its types and rules);
 * - tz_to_local(t) = t + offset (saturating at the ends of the range);
 * - away from the extremes, tz_to_utc(tz_to_local(t)) is a UTC instant no later than t with
 *   the same local time (local times that exist map back, to the earlier of two);
 * - around an isolated transition: a local time in a gap (DST starts) maps back with the
 *   offset in force before it, one in an overlap (DST ends) to its earlier instant. */
#include "core/tz.h"

#include "fuzz.h"

#define MIN_OFF (-89999)
#define MAX_OFF 93599
#define DAY     INT64_C(86400)
#define NEAR    (INT64_C(1) << 62) /* round trips are checked for |t| below this */
#define MAX_T   64

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Up to max transition times of a TZif file (the first and the last ones), read here
 * independently of tz.c; 0 when the layout does not allow it. */
static size_t tzif_transitions(const unsigned char *b, size_t len, int64_t *out, size_t max)
{
    if (len < 44 || memcmp(b, "TZif", 4) != 0)
        return 0;
    size_t pos = 0, ts = 4;
    if (b[4] >= '2') {
        const unsigned char *h = b;
        uint64_t blen = (uint64_t)be32(h + 32) * 5 + (uint64_t)be32(h + 36) * 6 + be32(h + 40) +
                        (uint64_t)be32(h + 28) * 8 + be32(h + 24) + be32(h + 20);
        if (blen > len - 44 || len - 44 - blen < 44)
            return 0;
        pos = 44 + (size_t)blen;
        ts = 8;
    }
    uint32_t timecnt = be32(b + pos + 32);
    pos += 44;
    if ((uint64_t)timecnt * ts > len - pos)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < timecnt; i++) {
        if (timecnt > max && i == max / 2)
            i = timecnt - max / 2; /* the first and the last max / 2 */
        const unsigned char *p = b + pos + i * ts;
        uint64_t u =
            ts == 8 ? (uint64_t)be32(p) << 32 | be32(p + 4) : (uint64_t)(int64_t)(int32_t)be32(p);
        memcpy(&out[n++], &u, sizeof u);
    }
    return n;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

static void check_instant(const struct tz *z, int64_t t)
{
    int32_t off = tz_offset_at(z, t);
    FUZZ_CHECK(off >= MIN_OFF && off <= MAX_OFF);
    int64_t l = tz_to_local(z, t);
    FUZZ_CHECK(l == sat_add(t, off));
    int64_t u = tz_to_utc(z, l);
    (void)tz_to_utc(z, t); /* any local time, the extremes included, must not trap */
    if (t > -NEAR && t < NEAR) {
        if (tz_to_local(z, u) != l || u > t) {
            fprintf(stderr, "t=%lld local=%lld: tz_to_utc gives %lld (local %lld)\n", (long long)t,
                    (long long)l, (long long)u, (long long)tz_to_local(z, u));
            FUZZ_FAIL("tz_to_utc(tz_to_local(t)) maps back to t's local time, no later");
        }
    }
}

/* First instant in (lo, hi] whose offset differs from lo's (which differs at hi). */
static int64_t bisect(const struct tz *z, int64_t lo, int64_t hi)
{
    int32_t off = tz_offset_at(z, lo);
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (tz_offset_at(z, mid) == off)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* Day-by-day scan from start: offset changes, to the second. */
static size_t scan(const struct tz *z, int64_t start, int64_t *out, size_t max)
{
    size_t n = 0;
    int32_t prev = tz_offset_at(z, start);
    for (int d = 1; d <= 370 && n < max; d++) {
        int64_t t = start + d * DAY;
        int32_t off = tz_offset_at(z, t);
        if (off != prev)
            out[n++] = bisect(z, t - DAY, t);
        prev = off;
    }
    return n;
}

/* Gap and overlap rules at a transition T with no other change within three days. */
static void check_transition(const struct tz *z, int64_t T)
{
    int32_t before = tz_offset_at(z, T - 1), after = tz_offset_at(z, T);
    if (tz_offset_at(z, T - 3 * DAY) != before || tz_offset_at(z, T + 3 * DAY) != after)
        return;
    if (bisect(z, T - 3 * DAY, T) != T || tz_offset_at(z, T + 3 * DAY) != after)
        return;
    if (after > before) {
        int64_t gap = T + before; /* first local time skipped */
        int64_t u = tz_to_utc(z, gap);
        if (u != gap - before) {
            fprintf(stderr, "gap at %lld (%d -> %d): local %lld -> %lld\n", (long long)T, before,
                    after, (long long)gap, (long long)u);
            FUZZ_FAIL("a local time in a gap maps back with the offset before it");
        }
    } else if (after < before) {
        int64_t again = T + after; /* first local time repeated */
        int64_t u = tz_to_utc(z, again);
        if (u != again - before) {
            fprintf(stderr, "overlap at %lld (%d -> %d): local %lld -> %lld\n", (long long)T,
                    before, after, (long long)again, (long long)u);
            FUZZ_FAIL("a repeated local time maps back to its earlier instant");
        }
    }
}

static void check_zone(const struct tz *z, const int64_t *extra, size_t n_extra)
{
    static const int64_t fixed[] = {INT64_MIN,
                                    INT64_MIN + 1,
                                    INT64_MIN + MAX_OFF,
                                    -NEAR,
                                    -(INT64_C(1) << 40),
                                    -2208988800, /* 1900 */
                                    -1,
                                    0,
                                    1,
                                    INT32_MAX,
                                    INT64_C(1) + INT32_MAX,
                                    1709164800, /* 2024-02-29 */
                                    INT64_C(1) << 40,
                                    NEAR - 1,
                                    INT64_MAX + MIN_OFF,
                                    INT64_MAX - 1,
                                    INT64_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_instant(z, fixed[i]);
    for (size_t i = 0; i < n_extra; i++) {
        check_instant(z, extra[i]);
        if (extra[i] > INT64_MIN)
            check_instant(z, extra[i] - 1);
        if (extra[i] < INT64_MAX)
            check_instant(z, extra[i] + 1);
    }
    int64_t found[16];
    static const int64_t years[] = {1704067200 /* 2024 */, 2208988800 /* 2040 */};
    for (size_t y = 0; y < 2; y++) {
        size_t n = scan(z, years[y], found, 16);
        for (size_t i = 0; i < n; i++) {
            check_instant(z, found[i] - 1);
            check_instant(z, found[i]);
            check_transition(z, found[i]);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* TZif: an exact-size copy, so reading one byte past the end is caught. */
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    struct tz *z = tz_parse(buf, size);
    if (z) {
        int64_t trans[MAX_T];
        size_t n = tzif_transitions(buf, size, trans, MAX_T);
        check_zone(z, trans, n);
        tz_free(z);
    }
    free(buf);

    char *spec = fuzz_cstr(data, size);
    if (!spec)
        return 0;
    z = tz_parse_posix(spec);
    if (z) {
        check_zone(z, NULL, 0);
        tz_free(z);
    }
    free(spec);
    return 0;
}
