/* Unit tests for core/tz: TZif and POSIX TZ parsing, offsets, local <-> UTC conversion, and
 * robustness against malformed, truncated and mutated files. Real zones are read from
 * /usr/share/zoneinfo (Debian's tzdata, installed by scripts/install-deps); a missing zone
 * fails the test rather than skipping it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"

#define H 3600

/* ---- helpers ---- */

/* Seconds since the epoch of the UTC (or local wall-clock) date-time y-m-d hh:mi:ss. */
static int64_t utc(int64_t y, int m, int d, int hh, int mi, int ss)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + hh * 3600 + mi * 60 + ss;
}

/* The whole of /usr/share/zoneinfo/<name> in a buffer of exactly its size, or NULL. */
static unsigned char *read_zone(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char tmp[65536];
    size_t n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    unsigned char *buf = malloc(n > 0 ? n : 1);
    if (!buf)
        return NULL;
    memcpy(buf, tmp, n);
    *len = n;
    return buf;
}

static unsigned char *must_read_zone(const char *name, size_t *len)
{
    unsigned char *buf = read_zone(name, len);
    if (!buf)
        fail_msg("zone %s not found under /usr/share/zoneinfo (install tzdata)", name);
    return buf;
}

static struct tz *load_zone(const char *name)
{
    size_t len;
    unsigned char *buf = must_read_zone(name, &len);
    struct tz *tz = tz_parse(buf, len);
    free(buf);
    assert_non_null(tz);
    return tz;
}

/* The TZ string in a TZif file's footer (its last line), copied into out. */
static void footer_of(const unsigned char *buf, size_t len, char *out, size_t cap)
{
    assert_true(len >= 2 && buf[len - 1] == '\n');
    size_t start = len - 1;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    size_t n = len - 1 - start;
    assert_true(n < cap);
    memcpy(out, buf + start, n);
    out[n] = '\0';
}

/* Checks that the offset is `before` one second ahead of `at` and `after` from `at` on. */
static void assert_switch(const struct tz *tz, int64_t at, int32_t before, int32_t after)
{
    assert_int_equal(tz_offset_at(tz, at - 1), before);
    assert_int_equal(tz_offset_at(tz, at), after);
}

/* A synthetic TZif file. All types share the designation "AAA". */
struct tzif_spec {
    unsigned char version; /* 0, '2', '3', '4' */
    const int64_t *trans;
    const unsigned char *idx;
    size_t ntrans;
    const int32_t *offs;
    const unsigned char *isdst;
    size_t ntypes;
    uint32_t leapcnt;
    const char *footer; /* version 2+; NULL for none at all */
};

struct tzif_buf {
    unsigned char b[4096];
    size_t n;
};

static void put8(struct tzif_buf *o, unsigned v)
{
    assert_true(o->n < sizeof o->b);
    o->b[o->n++] = (unsigned char)v;
}

static void put32(struct tzif_buf *o, uint32_t v)
{
    for (int sh = 24; sh >= 0; sh -= 8)
        put8(o, (v >> sh) & 0xFF);
}

static void put64(struct tzif_buf *o, uint64_t v)
{
    put32(o, (uint32_t)(v >> 32));
    put32(o, (uint32_t)v);
}

static void put_header(struct tzif_buf *o, unsigned char version, uint32_t timecnt,
                       uint32_t typecnt, uint32_t leapcnt)
{
    put8(o, 'T'), put8(o, 'Z'), put8(o, 'i'), put8(o, 'f');
    put8(o, version);
    for (int i = 0; i < 15; i++)
        put8(o, 0);
    put32(o, typecnt); /* isutcnt */
    put32(o, typecnt); /* isstdcnt */
    put32(o, leapcnt);
    put32(o, timecnt);
    put32(o, typecnt);
    put32(o, 4); /* charcnt: "AAA\0" */
}

static void put_block(struct tzif_buf *o, const struct tzif_spec *s, int timesize)
{
    for (size_t i = 0; i < s->ntrans; i++) {
        if (timesize == 8)
            put64(o, (uint64_t)s->trans[i]);
        else
            put32(o, (uint32_t)s->trans[i]);
    }
    for (size_t i = 0; i < s->ntrans; i++)
        put8(o, s->idx[i]);
    for (size_t i = 0; i < s->ntypes; i++) {
        put32(o, (uint32_t)s->offs[i]);
        put8(o, s->isdst[i]);
        put8(o, 0);
    }
    put8(o, 'A'), put8(o, 'A'), put8(o, 'A'), put8(o, 0);
    for (uint32_t i = 0; i < s->leapcnt; i++) {
        if (timesize == 8)
            put64(o, (uint64_t)(78796800 + i * 1000));
        else
            put32(o, (uint32_t)(78796800 + i * 1000));
        put32(o, i + 1);
    }
    for (size_t i = 0; i < 2 * s->ntypes; i++)
        put8(o, 0);
}

static void build_tzif(struct tzif_buf *o, const struct tzif_spec *s)
{
    o->n = 0;
    if (s->version == 0) {
        put_header(o, 0, (uint32_t)s->ntrans, (uint32_t)s->ntypes, s->leapcnt);
        put_block(o, s, 4);
        return;
    }
    /* A minimal version 1 block, as "zic -b slim" writes, then the real 64-bit one. */
    static const int32_t zero_off[1] = {0};
    static const unsigned char zero_dst[1] = {0};
    struct tzif_spec v1 = {.offs = zero_off, .isdst = zero_dst, .ntypes = 1};
    put_header(o, s->version, 0, 1, 0);
    put_block(o, &v1, 4);
    put_header(o, s->version, (uint32_t)s->ntrans, (uint32_t)s->ntypes, s->leapcnt);
    put_block(o, s, 8);
    if (s->footer) {
        put8(o, '\n');
        for (const char *c = s->footer; *c; c++)
            put8(o, (unsigned char)*c);
        put8(o, '\n');
    }
}

/* Parses a copy of buf[0..len) in a block of exactly that size, so over-reads are caught. */
static struct tz *parse_exact(const unsigned char *buf, size_t len)
{
    unsigned char *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    memcpy(copy, buf, len);
    struct tz *tz = tz_parse(copy, len);
    free(copy);
    return tz;
}

/* Exercises every entry point of a zone that parsed, at awkward instants. */
static void poke(const struct tz *tz)
{
    static const int64_t at[] = {INT64_MIN,  INT64_MIN + 1,    -(INT64_C(1) << 59), -1,       0, 1,
                                 1774746000, INT64_C(1) << 40, INT64_MAX - 1,       INT64_MAX};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        int32_t off = tz_offset_at(tz, at[i]);
        assert_true(off >= -89999 && off <= 93599);
        (void)tz_to_local(tz, at[i]);
        (void)tz_to_utc(tz, at[i]);
    }
}

/* ---- real zones ---- */

static void test_tz_shanghai_is_plus_eight_in_2026(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Asia/Shanghai");
    assert_int_equal(tz_offset_at(tz, utc(2026, 1, 15, 12, 0, 0)), 8 * H);
    assert_int_equal(tz_offset_at(tz, utc(2026, 7, 1, 0, 0, 0)), 8 * H);
    assert_int_equal(tz_to_local(tz, utc(2026, 7, 1, 20, 0, 0)), utc(2026, 7, 2, 4, 0, 0));
    assert_int_equal(tz_to_utc(tz, utc(2026, 7, 2, 4, 0, 0)), utc(2026, 7, 1, 20, 0, 0));
    tz_free(tz);
}

static void test_tz_shanghai_had_dst_in_1988(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Asia/Shanghai");
    assert_int_equal(tz_offset_at(tz, utc(1988, 7, 1, 0, 0, 0)), 9 * H);
    assert_int_equal(tz_offset_at(tz, utc(1988, 1, 1, 0, 0, 0)), 8 * H);
    assert_int_equal(tz_offset_at(tz, utc(1991, 7, 1, 0, 0, 0)), 9 * H);
    assert_int_equal(tz_offset_at(tz, utc(1992, 7, 1, 0, 0, 0)), 8 * H);
    tz_free(tz);
}

static void test_tz_before_first_transition_is_local_mean_time(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Asia/Shanghai");
    /* LMT +8:05:43 */
    assert_int_equal(tz_offset_at(tz, utc(1850, 1, 1, 0, 0, 0)), 8 * H + 5 * 60 + 43);
    assert_int_equal(tz_offset_at(tz, INT64_MIN), 8 * H + 5 * 60 + 43);
    tz_free(tz);
}

static void test_tz_berlin_switches_to_summer_time_2026(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Europe/Berlin");
    assert_int_equal(utc(2026, 3, 29, 1, 0, 0), 1774746000);
    assert_switch(tz, utc(2026, 3, 29, 1, 0, 0), 1 * H, 2 * H);
    assert_int_equal(tz_to_local(tz, utc(2026, 3, 29, 0, 59, 59)), utc(2026, 3, 29, 1, 59, 59));
    assert_int_equal(tz_to_local(tz, utc(2026, 3, 29, 1, 0, 0)), utc(2026, 3, 29, 3, 0, 0));
    tz_free(tz);
}

static void test_tz_berlin_switches_back_2026(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Europe/Berlin");
    assert_switch(tz, utc(2026, 10, 25, 1, 0, 0), 2 * H, 1 * H);
    tz_free(tz);
}

static void test_tz_berlin_far_future_follows_footer(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Europe/Berlin");
    assert_int_equal(tz_offset_at(tz, utc(2200, 1, 15, 12, 0, 0)), 1 * H);
    assert_int_equal(tz_offset_at(tz, utc(2200, 7, 15, 12, 0, 0)), 2 * H);
    /* Last Sundays of 2200: March 30 and October 26. */
    assert_switch(tz, utc(2200, 3, 30, 1, 0, 0), 1 * H, 2 * H);
    assert_switch(tz, utc(2200, 10, 26, 1, 0, 0), 2 * H, 1 * H);
    assert_int_equal(tz_offset_at(tz, utc(9999, 12, 31, 0, 0, 0)), 1 * H);
    tz_free(tz);
}

static void test_tz_new_york_2026_dst_boundaries(void **state)
{
    (void)state;
    struct tz *tz = load_zone("America/New_York");
    /* 2026-03-08 02:00 EST and 2026-11-01 02:00 EDT */
    assert_switch(tz, utc(2026, 3, 8, 7, 0, 0), -5 * H, -4 * H);
    assert_switch(tz, utc(2026, 11, 1, 6, 0, 0), -4 * H, -5 * H);
    assert_int_equal(tz_to_local(tz, utc(2026, 7, 4, 16, 0, 0)), utc(2026, 7, 4, 12, 0, 0));
    tz_free(tz);
}

static void test_tz_to_utc_ambiguous_returns_earlier(void **state)
{
    (void)state;
    struct tz *ny = load_zone("America/New_York");
    /* 01:30 on 2026-11-01 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST). */
    assert_int_equal(tz_to_utc(ny, utc(2026, 11, 1, 1, 30, 0)), utc(2026, 11, 1, 5, 30, 0));
    assert_int_equal(tz_to_utc(ny, utc(2026, 11, 1, 1, 0, 0)), utc(2026, 11, 1, 5, 0, 0));
    assert_int_equal(tz_to_utc(ny, utc(2026, 11, 1, 2, 0, 0)), utc(2026, 11, 1, 7, 0, 0));
    tz_free(ny);
    struct tz *be = load_zone("Europe/Berlin");
    assert_int_equal(tz_to_utc(be, utc(2026, 10, 25, 2, 30, 0)), utc(2026, 10, 25, 0, 30, 0));
    assert_int_equal(tz_to_utc(be, utc(2026, 10, 25, 2, 59, 59)), utc(2026, 10, 25, 0, 59, 59));
    assert_int_equal(tz_to_utc(be, utc(2026, 10, 25, 3, 0, 0)), utc(2026, 10, 25, 2, 0, 0));
    tz_free(be);
}

static void test_tz_to_utc_nonexistent_uses_offset_before_gap(void **state)
{
    (void)state;
    struct tz *ny = load_zone("America/New_York");
    /* 02:30 on 2026-03-08 never happens; with EST (-5) it is 07:30 UTC. */
    assert_int_equal(tz_to_utc(ny, utc(2026, 3, 8, 2, 30, 0)), utc(2026, 3, 8, 7, 30, 0));
    assert_int_equal(tz_to_utc(ny, utc(2026, 3, 8, 1, 59, 59)), utc(2026, 3, 8, 6, 59, 59));
    assert_int_equal(tz_to_utc(ny, utc(2026, 3, 8, 3, 0, 0)), utc(2026, 3, 8, 7, 0, 0));
    tz_free(ny);
    struct tz *be = load_zone("Europe/Berlin");
    assert_int_equal(tz_to_utc(be, utc(2026, 3, 29, 2, 30, 0)), utc(2026, 3, 29, 1, 30, 0));
    /* The same in 2200, where the footer rule is in force. */
    assert_int_equal(tz_to_utc(be, utc(2200, 3, 30, 2, 30, 0)), utc(2200, 3, 30, 1, 30, 0));
    assert_int_equal(tz_to_utc(be, utc(2200, 10, 26, 2, 30, 0)), utc(2200, 10, 26, 0, 30, 0));
    tz_free(be);
}

static void test_tz_to_utc_round_trips(void **state)
{
    (void)state;
    static const char *const zones[] = {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                        "Asia/Shanghai"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        struct tz *tz = load_zone(zones[z]);
        for (int64_t year = 2026; year <= 2201; year += 175) {
            for (int64_t t = utc(year, 1, 1, 0, 0, 0); t < utc(year + 1, 1, 1, 0, 0, 0);
                 t += 1799) {
                int64_t local = tz_to_local(tz, t);
                int64_t back = tz_to_utc(tz, local);
                assert_true(back <= t);
                assert_int_equal(tz_to_local(tz, back), local);
                /* Off the repeated hour, the instant comes back exactly. */
                if (tz_offset_at(tz, t - 2 * H) == tz_offset_at(tz, t))
                    assert_int_equal(back, t);
            }
        }
        tz_free(tz);
    }
}

static void test_tz_lord_howe_half_hour_southern_dst(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Australia/Lord_Howe");
    assert_int_equal(tz_offset_at(tz, utc(2026, 1, 15, 0, 0, 0)), 11 * H);
    assert_int_equal(tz_offset_at(tz, utc(2026, 7, 15, 0, 0, 0)), 10 * H + 1800);
    assert_switch(tz, utc(2026, 4, 4, 15, 0, 0), 11 * H, 10 * H + 1800);
    assert_switch(tz, utc(2026, 10, 3, 15, 30, 0), 10 * H + 1800, 11 * H);
    assert_int_equal(tz_offset_at(tz, utc(2200, 1, 15, 0, 0, 0)), 11 * H);
    assert_int_equal(tz_offset_at(tz, utc(2200, 7, 15, 0, 0, 0)), 10 * H + 1800);
    tz_free(tz);
}

static void test_tz_sao_paulo_dst_abolished(void **state)
{
    (void)state;
    struct tz *tz = load_zone("America/Sao_Paulo");
    assert_int_equal(tz_offset_at(tz, utc(2018, 1, 15, 0, 0, 0)), -2 * H);
    assert_int_equal(tz_offset_at(tz, utc(2026, 1, 15, 0, 0, 0)), -3 * H);
    assert_int_equal(tz_offset_at(tz, utc(2200, 1, 15, 0, 0, 0)), -3 * H);
    tz_free(tz);
}

static void test_tz_dublin_negative_dst(void **state)
{
    (void)state;
    struct tz *tz = load_zone("Europe/Dublin");
    assert_int_equal(tz_offset_at(tz, utc(2026, 1, 15, 0, 0, 0)), 0);
    assert_int_equal(tz_offset_at(tz, utc(2026, 7, 15, 0, 0, 0)), 1 * H);
    assert_switch(tz, utc(2200, 3, 30, 1, 0, 0), 0, 1 * H);
    assert_switch(tz, utc(2200, 10, 26, 1, 0, 0), 1 * H, 0);
    tz_free(tz);
}

/* The rule in each footer must give what the table gives, for every hour the table covers
 * (the installed files list transitions up to 2037). */
static void test_tz_footer_rule_agrees_with_table(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "Europe/Berlin",       "America/New_York",  "Asia/Jerusalem",    "America/Nuuk",
        "Australia/Lord_Howe", "Europe/Dublin",     "America/Santiago",  "Pacific/Auckland",
        "Asia/Tehran",         "America/Sao_Paulo", "Africa/Casablanca", "Asia/Shanghai"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        size_t len;
        unsigned char *buf = read_zone(zones[z], &len);
        if (!buf)
            continue;
        char footer[256];
        footer_of(buf, len, footer, sizeof footer);
        struct tz *file = tz_parse(buf, len);
        struct tz *rule = tz_parse_posix(footer);
        assert_non_null(file);
        assert_non_null(rule);
        /* Casablanca's table runs ahead of its footer until 2087; check it only from 2088. */
        int64_t from = strcmp(zones[z], "Africa/Casablanca") == 0 ? utc(2088, 1, 1, 0, 0, 0)
                                                                  : utc(2026, 1, 1, 0, 0, 0);
        for (int64_t t = from; t < from + INT64_C(12) * 365 * 86400; t += 1799) {
            if (tz_offset_at(file, t) != tz_offset_at(rule, t))
                fail_msg("%s: table and footer \"%s\" differ at %lld", zones[z], footer,
                         (long long)t);
        }
        tz_free(file);
        tz_free(rule);
        free(buf);
    }
}

/* ---- POSIX TZ strings ---- */

static void test_tz_posix_std_only(void **state)
{
    (void)state;
    struct tz *tz = tz_parse_posix("CST-8");
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 0), 8 * H);
    assert_int_equal(tz_offset_at(tz, utc(2026, 7, 1, 0, 0, 0)), 8 * H);
    assert_int_equal(tz_offset_at(tz, INT64_MIN), 8 * H);
    assert_int_equal(tz_offset_at(tz, INT64_MAX), 8 * H);
    assert_int_equal(tz_to_local(tz, 0), 8 * H);
    assert_int_equal(tz_to_utc(tz, 8 * H), 0);
    tz_free(tz);

    tz = tz_parse_posix("UTC0");
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 12345), 0);
    tz_free(tz);

    tz = tz_parse_posix("<-03>3");
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 12345), -3 * H);
    tz_free(tz);
}

static void test_tz_posix_us_rules(void **state)
{
    (void)state;
    struct tz *tz = tz_parse_posix("EST5EDT,M3.2.0,M11.1.0");
    assert_non_null(tz);
    assert_switch(tz, utc(2026, 3, 8, 7, 0, 0), -5 * H, -4 * H);
    assert_switch(tz, utc(2026, 11, 1, 6, 0, 0), -4 * H, -5 * H);
    /* 2100: second Sunday of March is the 14th, first Sunday of November the 7th. */
    assert_switch(tz, utc(2100, 3, 14, 7, 0, 0), -5 * H, -4 * H);
    assert_switch(tz, utc(2100, 11, 7, 6, 0, 0), -4 * H, -5 * H);
    assert_int_equal(tz_to_utc(tz, utc(2026, 11, 1, 1, 30, 0)), utc(2026, 11, 1, 5, 30, 0));
    assert_int_equal(tz_to_utc(tz, utc(2026, 3, 8, 2, 30, 0)), utc(2026, 3, 8, 7, 30, 0));
    tz_free(tz);
}

static void test_tz_posix_default_rules_are_us(void **state)
{
    (void)state;
    struct tz *tz = tz_parse_posix("EST5EDT");
    assert_non_null(tz);
    assert_switch(tz, utc(2026, 3, 8, 7, 0, 0), -5 * H, -4 * H);
    assert_switch(tz, utc(2026, 11, 1, 6, 0, 0), -4 * H, -5 * H);
    tz_free(tz);
}

static void test_tz_posix_quoted_half_hour(void **state)
{
    (void)state;
    struct tz *tz = tz_parse_posix("<+0330>-3:30");
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, utc(2026, 6, 1, 0, 0, 0)), 3 * H + 1800);
    tz_free(tz);

    tz = tz_parse_posix("<+0545>-5:45:00");
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 0), 5 * H + 45 * 60);
    tz_free(tz);

    tz = tz_parse_posix("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    assert_non_null(tz);
    assert_switch(tz, utc(2026, 4, 4, 15, 0, 0), 11 * H, 10 * H + 1800);
    assert_switch(tz, utc(2026, 10, 3, 15, 30, 0), 10 * H + 1800, 11 * H);
    tz_free(tz);
}

static void test_tz_posix_julian_dates(void **state)
{
    (void)state;
    /* J60 is March 1 every year; zero-based 59 is February 29 in leap years. */
    struct tz *j = tz_parse_posix("AAA0BBB,J60/0,J300/0");
    struct tz *n = tz_parse_posix("AAA0BBB,59/0,299/0");
    assert_non_null(j);
    assert_non_null(n);
    assert_switch(j, utc(2024, 3, 1, 0, 0, 0), 0, 1 * H);
    assert_switch(j, utc(2026, 3, 1, 0, 0, 0), 0, 1 * H);
    assert_switch(n, utc(2024, 2, 29, 0, 0, 0), 0, 1 * H);
    assert_switch(n, utc(2026, 3, 1, 0, 0, 0), 0, 1 * H);
    /* J300 is October 27; 299 is October 26 in leap years, October 27 otherwise. */
    assert_switch(j, utc(2024, 10, 27, 0, 0, 0) - H, 1 * H, 0);
    assert_switch(n, utc(2024, 10, 26, 0, 0, 0) - H, 1 * H, 0);
    assert_switch(n, utc(2026, 10, 27, 0, 0, 0) - H, 1 * H, 0);
    tz_free(j);
    tz_free(n);
}

static void test_tz_posix_extended_times(void **state)
{
    (void)state;
    /* Negative time: DST starts at -1:00 on the last Sunday of March (Saturday 23:00). */
    struct tz *nuuk = tz_parse_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    assert_non_null(nuuk);
    assert_switch(nuuk, utc(2026, 3, 29, 1, 0, 0), -2 * H, -1 * H);
    assert_switch(nuuk, utc(2026, 10, 25, 1, 0, 0), -1 * H, -2 * H);
    tz_free(nuuk);

    /* Hours past 24: the fourth Thursday of March at 26:00 is Friday 02:00. */
    struct tz *il = tz_parse_posix("IST-2IDT,M3.4.4/26,M10.5.0");
    assert_non_null(il);
    assert_switch(il, utc(2026, 3, 27, 0, 0, 0), 2 * H, 3 * H);
    assert_switch(il, utc(2026, 10, 24, 23, 0, 0), 3 * H, 2 * H);
    tz_free(il);

    /* DST all year round. */
    struct tz *all = tz_parse_posix("EST5EDT,0/0,J365/25");
    assert_non_null(all);
    for (int64_t y = 2023; y <= 2030; y++) {
        assert_int_equal(tz_offset_at(all, utc(y, 1, 1, 5, 0, 0)), -4 * H);
        assert_int_equal(tz_offset_at(all, utc(y, 1, 1, 4, 59, 59)), -4 * H);
        assert_int_equal(tz_offset_at(all, utc(y, 7, 1, 0, 0, 0)), -4 * H);
        assert_int_equal(tz_offset_at(all, utc(y, 12, 31, 23, 0, 0)), -4 * H);
    }
    tz_free(all);

    struct tz *far = tz_parse_posix("AAA0BBB,M3.5.0/167,M10.5.0/-167");
    assert_non_null(far);
    poke(far);
    tz_free(far);
}

static void test_tz_posix_rejects_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "CST",
        "CS-8",
        "C1T-8",
        "CST-25",
        "CST-8:60",
        "CST-8:00:60",
        "CST-",
        "CST+",
        "CST-8 ",
        "<+0",
        "<+0330-3:30",
        "<+03:30>-3:30",
        "<+3>-3",
        ":Europe/Berlin",
        "EST5EDT,",
        "EST5EDT,M3.2.0",
        "EST5EDT,M3.2.0,",
        "EST5EDT,M3.2.0,M11.1.0,",
        "EST5EDT,M13.2.0,M11.1.0",
        "EST5EDT,M0.2.0,M11.1.0",
        "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.0.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0",
        "EST5EDT,M3.2,M11.1.0",
        "EST5EDT,J0,J100",
        "EST5EDT,J366,J100",
        "EST5EDT,366,100",
        "EST5EDT,M3.2.0/168,M11.1.0",
        "EST5EDT,M3.2.0/,M11.1.0",
        "EST5EDT,M3.2.0/2:,M11.1.0",
        "EST5EDT!",
        "EST5EDT4X",
        "EST5EDT4:",
        "EST5,M3.2.0,M11.1.0",
        "EST5ED,M3.2.0,M11.1.0",
        "EST5EDT25,M3.2.0,M11.1.0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tz *tz = tz_parse_posix(bad[i]);
        bool accepted = tz != NULL;
        tz_free(tz);
        if (accepted)
            fail_msg("accepted \"%s\"", bad[i]);
    }
    assert_null(tz_parse_posix(NULL));
}

/* ---- synthetic TZif files ---- */

static void test_tz_parse_version1_file(void **state)
{
    (void)state;
    static const int64_t trans[] = {1000, 2000};
    static const unsigned char idx[] = {1, 2};
    static const int32_t offs[] = {100, 3600, -7200};
    static const unsigned char isdst[] = {0, 1, 0};
    struct tzif_spec s = {0, trans, idx, 2, offs, isdst, 3, 0, NULL};
    struct tzif_buf o;
    build_tzif(&o, &s);
    struct tz *tz = parse_exact(o.b, o.n);
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, INT64_MIN), 100);
    assert_int_equal(tz_offset_at(tz, 999), 100);
    assert_int_equal(tz_offset_at(tz, 1000), 3600);
    assert_int_equal(tz_offset_at(tz, 1999), 3600);
    assert_int_equal(tz_offset_at(tz, 2000), -7200);
    assert_int_equal(tz_offset_at(tz, INT64_MAX), -7200);
    tz_free(tz);
}

static void test_tz_parse_versions_3_and_4(void **state)
{
    (void)state;
    static const int64_t trans[] = {-(INT64_C(1) << 59), 0};
    static const unsigned char idx[] = {0, 1};
    static const int32_t offs[] = {0, 3600};
    static const unsigned char isdst[] = {0, 0};
    static const unsigned char versions[] = {'2', '3', '4'};
    for (size_t v = 0; v < sizeof versions; v++) {
        struct tzif_spec s = {versions[v], trans, idx, 2, offs, isdst, 2, 0, "AAA-1"};
        struct tzif_buf o;
        build_tzif(&o, &s);
        struct tz *tz = parse_exact(o.b, o.n);
        assert_non_null(tz);
        assert_int_equal(tz_offset_at(tz, -1), 0);
        assert_int_equal(tz_offset_at(tz, 0), 3600);
        assert_int_equal(tz_offset_at(tz, INT64_MAX), 3600);
        tz_free(tz);
    }
}

static void test_tz_parse_before_first_transition_uses_type0(void **state)
{
    (void)state;
    /* Type 0 is a DST type here; the RFC still says it governs before the first transition. */
    static const int64_t trans[] = {1000};
    static const unsigned char idx[] = {1};
    static const int32_t offs[] = {3600, 0};
    static const unsigned char isdst[] = {1, 0};
    struct tzif_spec s = {'2', trans, idx, 1, offs, isdst, 2, 0, "AAA0"};
    struct tzif_buf o;
    build_tzif(&o, &s);
    struct tz *tz = parse_exact(o.b, o.n);
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 999), 3600);
    assert_int_equal(tz_offset_at(tz, 1000), 0);
    tz_free(tz);
}

static void test_tz_parse_no_transitions_uses_footer(void **state)
{
    (void)state;
    static const int32_t offs[] = {-5 * H};
    static const unsigned char isdst[] = {0};
    struct tzif_spec s = {'2', NULL, NULL, 0, offs, isdst, 1, 0, "EST5EDT,M3.2.0,M11.1.0"};
    struct tzif_buf o;
    build_tzif(&o, &s);
    struct tz *tz = parse_exact(o.b, o.n);
    assert_non_null(tz);
    assert_switch(tz, utc(1990, 3, 11, 7, 0, 0), -5 * H, -4 * H);
    assert_switch(tz, utc(2026, 3, 8, 7, 0, 0), -5 * H, -4 * H);
    tz_free(tz);
}

static void test_tz_parse_empty_footer_keeps_last_type(void **state)
{
    (void)state;
    static const int64_t trans[] = {1000};
    static const unsigned char idx[] = {1};
    static const int32_t offs[] = {0, 5 * H};
    static const unsigned char isdst[] = {0, 0};
    struct tzif_spec s = {'2', trans, idx, 1, offs, isdst, 2, 0, ""};
    struct tzif_buf o;
    build_tzif(&o, &s);
    struct tz *tz = parse_exact(o.b, o.n);
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 999), 0);
    assert_int_equal(tz_offset_at(tz, utc(2300, 7, 1, 0, 0, 0)), 5 * H);
    tz_free(tz);
}

static void test_tz_parse_footer_rules_after_last_transition(void **state)
{
    (void)state;
    /* A slim file: one transition in 2000, the footer for everything after. */
    static const int64_t trans[] = {946684800};
    static const unsigned char idx[] = {1};
    static const int32_t offs[] = {0, 1 * H};
    static const unsigned char isdst[] = {0, 0};
    struct tzif_spec s = {'2', trans, idx, 1, offs, isdst, 2, 0, "CET-1CEST,M3.5.0,M10.5.0/3"};
    struct tzif_buf o;
    build_tzif(&o, &s);
    struct tz *tz = parse_exact(o.b, o.n);
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, utc(1999, 7, 1, 0, 0, 0)), 0);
    assert_switch(tz, utc(2026, 3, 29, 1, 0, 0), 1 * H, 2 * H);
    assert_switch(tz, utc(2026, 10, 25, 1, 0, 0), 2 * H, 1 * H);
    assert_int_equal(tz_to_utc(tz, utc(2026, 10, 25, 2, 30, 0)), utc(2026, 10, 25, 0, 30, 0));
    assert_int_equal(tz_to_utc(tz, utc(2026, 3, 29, 2, 30, 0)), utc(2026, 3, 29, 1, 30, 0));
    tz_free(tz);
}

static void test_tz_parse_ignores_leap_seconds(void **state)
{
    (void)state;
    static const int64_t trans[] = {1000};
    static const unsigned char idx[] = {0};
    static const int32_t offs[] = {2 * H};
    static const unsigned char isdst[] = {0};
    struct tzif_spec s = {'2', trans, idx, 1, offs, isdst, 1, 3, "AAA-2"};
    struct tzif_buf o;
    build_tzif(&o, &s);
    struct tz *tz = parse_exact(o.b, o.n);
    assert_non_null(tz);
    assert_int_equal(tz_offset_at(tz, 5000), 2 * H);
    tz_free(tz);
}

static void test_tz_extreme_instants_saturate(void **state)
{
    (void)state;
    struct tz *east = tz_parse_posix("CST-8");
    struct tz *west = tz_parse_posix("EST5EDT,M3.2.0,M11.1.0");
    assert_non_null(east);
    assert_non_null(west);
    assert_int_equal(tz_to_local(east, INT64_MAX), INT64_MAX);
    assert_int_equal(tz_to_utc(east, INT64_MIN), INT64_MIN);
    assert_int_equal(tz_to_local(west, INT64_MIN), INT64_MIN);
    assert_int_equal(tz_to_utc(west, INT64_MAX), INT64_MAX);
    poke(east);
    poke(west);
    tz_free(east);
    tz_free(west);
    struct tz *be = load_zone("Europe/Berlin");
    poke(be);
    tz_free(be);
}

/* ---- malformed input ---- */

static void test_tz_parse_rejects_empty(void **state)
{
    (void)state;
    static const unsigned char one[1] = {'T'};
    assert_null(tz_parse(NULL, 0));
    assert_null(tz_parse(one, 0));
    assert_null(tz_parse(NULL, 44));
    assert_null(parse_exact(one, 1));
}

static void test_tz_parse_rejects_truncated_header(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = must_read_zone("Europe/Berlin", &len);
    assert_null(parse_exact(buf, 43));
    assert_null(parse_exact(buf, 44));
    assert_null(parse_exact((const unsigned char *)"TZif2", 5));
    free(buf);
}

static void test_tz_parse_rejects_bad_magic(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = must_read_zone("Europe/Berlin", &len);
    struct tz *tz = parse_exact(buf, len);
    assert_non_null(tz);
    tz_free(tz);
    buf[0] = 'X';
    assert_null(parse_exact(buf, len));
    buf[0] = 'T';
    buf[4] = '1'; /* no such version */
    assert_null(parse_exact(buf, len));
    free(buf);

    static const int32_t offs[] = {0};
    static const unsigned char isdst[] = {0};
    struct tzif_spec s = {'2', NULL, NULL, 0, offs, isdst, 1, 0, "UTC0"};
    struct tzif_buf o;
    build_tzif(&o, &s);
    o.b[44 + 6 + 4 + 2] = 'X'; /* the second header's magic */
    assert_null(parse_exact(o.b, o.n));
}

static void test_tz_parse_rejects_counts_past_end(void **state)
{
    (void)state;
    static const int64_t trans[] = {1000, 2000};
    static const unsigned char idx[] = {0, 1};
    static const int32_t offs[] = {0, 3600};
    static const unsigned char isdst[] = {0, 1};
    struct tzif_spec s = {'2', trans, idx, 2, offs, isdst, 2, 0, "AAA-1"};
    struct tzif_buf good;
    build_tzif(&good, &s);
    struct tz *tz = parse_exact(good.b, good.n);
    assert_non_null(tz);
    tz_free(tz);

    size_t h2 = 44 + 6 + 4 + 2; /* the second header */
    /* Each count field, in either header, set past what the buffer holds. */
    static const size_t fields[] = {20, 24, 28, 32, 36, 40};
    static const uint32_t values[] = {0xFFFFFFFFu, 0x80000000u, 1000, 3};
    for (size_t hdr = 0; hdr < 2; hdr++) {
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
                struct tzif_buf o = good;
                unsigned char *p = o.b + (hdr ? h2 : 0) + fields[f];
                p[0] = (unsigned char)(values[v] >> 24), p[1] = (unsigned char)(values[v] >> 16);
                p[2] = (unsigned char)(values[v] >> 8), p[3] = (unsigned char)values[v];
                tz = parse_exact(o.b, o.n);
                if (tz) {
                    poke(tz);
                    tz_free(tz);
                }
                if (values[v] != 3)
                    assert_null(tz);
            }
        }
    }
}

static void test_tz_parse_rejects_inconsistent_data(void **state)
{
    (void)state;
    static const int64_t trans[] = {1000, 2000};
    static const int64_t unsorted[] = {2000, 1000};
    static const int64_t dup[] = {1000, 1000};
    static const unsigned char idx[] = {0, 1};
    static const unsigned char bad_idx[] = {0, 2};
    static const int32_t offs[] = {0, 3600};
    static const int32_t huge[] = {0, 93600};
    static const int32_t tiny[] = {0, INT32_MIN};
    static const unsigned char isdst[] = {0, 1};
    static const unsigned char bad_dst[] = {0, 2};
    struct tzif_spec cases[] = {
        {'2', unsorted, idx, 2, offs, isdst, 2, 0, "AAA-1"},
        {'2', dup, idx, 2, offs, isdst, 2, 0, "AAA-1"},
        {'2', trans, bad_idx, 2, offs, isdst, 2, 0, "AAA-1"},
        {'2', trans, idx, 2, huge, isdst, 2, 0, "AAA-1"},
        {'2', trans, idx, 2, tiny, isdst, 2, 0, "AAA-1"},
        {'2', trans, idx, 2, offs, bad_dst, 2, 0, "AAA-1"},
        {'2', trans, idx, 2, offs, isdst, 2, 0, "AAA"},   /* bad footer */
        {'2', trans, idx, 2, offs, isdst, 2, 0, NULL},    /* no footer */
        {'2', trans, idx, 2, offs, isdst, 0, 0, "AAA-1"}, /* no types */
        {0, unsorted, idx, 2, offs, isdst, 2, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tzif_buf o;
        build_tzif(&o, &cases[i]);
        struct tz *tz = parse_exact(o.b, o.n);
        bool accepted = tz != NULL;
        tz_free(tz);
        if (accepted)
            fail_msg("case %zu accepted", i);
    }

    /* Footer without its closing newline. */
    struct tzif_spec s = {'2', trans, idx, 2, offs, isdst, 2, 0, "AAA-1"};
    struct tzif_buf o;
    build_tzif(&o, &s);
    assert_null(parse_exact(o.b, o.n - 1));
    /* A designation index past charcnt. */
    o.b[o.n - 7 - 2 * 2 - 4 - 1] = 9;
    assert_null(parse_exact(o.b, o.n));
}

static void test_tz_parse_truncated_at_every_length(void **state)
{
    (void)state;
    static const char *const zones[] = {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                        "Asia/Shanghai"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        size_t len;
        unsigned char *buf = read_zone(zones[z], &len);
        if (!buf)
            continue;
        for (size_t n = 0; n <= len; n++) {
            struct tz *tz = parse_exact(buf, n);
            if (n == len)
                assert_non_null(tz);
            if (tz) {
                poke(tz);
                tz_free(tz);
            }
        }
        free(buf);
    }
}

/* xorshift64: deterministic, so a failure can be replayed. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_tz_parse_survives_mutations(void **state)
{
    (void)state;
    size_t len;
    unsigned char *orig = must_read_zone("America/New_York", &len);
    unsigned char *buf = malloc(len);
    assert_non_null(buf);
    uint64_t seed = 0x9E3779B97F4A7C15u;
    int parsed = 0;
    for (int i = 0; i < 20000; i++) {
        memcpy(buf, orig, len);
        int nmut = 1 + (int)(next_rand(&seed) % 4);
        for (int k = 0; k < nmut; k++) {
            uint64_t r = next_rand(&seed);
            size_t pos;
            if (r % 4 == 0) /* aim at a header count */
                pos = (r >> 8) % 2 ? 20 + (r >> 16) % 24 : len - 1;
            else
                pos = (size_t)((r >> 8) % len);
            buf[pos] = (unsigned char)(r >> 32);
        }
        size_t n = next_rand(&seed) % 8 == 0 ? (size_t)(next_rand(&seed) % len) : len;
        struct tz *tz = tz_parse(buf, n);
        if (tz) {
            parsed++;
            poke(tz);
            tz_free(tz);
        }
    }
    assert_true(parsed > 0);
    free(buf);
    free(orig);
}

static void test_tz_free_null(void **state)
{
    (void)state;
    tz_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tz_shanghai_is_plus_eight_in_2026),
        cmocka_unit_test(test_tz_shanghai_had_dst_in_1988),
        cmocka_unit_test(test_tz_before_first_transition_is_local_mean_time),
        cmocka_unit_test(test_tz_berlin_switches_to_summer_time_2026),
        cmocka_unit_test(test_tz_berlin_switches_back_2026),
        cmocka_unit_test(test_tz_berlin_far_future_follows_footer),
        cmocka_unit_test(test_tz_new_york_2026_dst_boundaries),
        cmocka_unit_test(test_tz_to_utc_ambiguous_returns_earlier),
        cmocka_unit_test(test_tz_to_utc_nonexistent_uses_offset_before_gap),
        cmocka_unit_test(test_tz_to_utc_round_trips),
        cmocka_unit_test(test_tz_lord_howe_half_hour_southern_dst),
        cmocka_unit_test(test_tz_sao_paulo_dst_abolished),
        cmocka_unit_test(test_tz_dublin_negative_dst),
        cmocka_unit_test(test_tz_footer_rule_agrees_with_table),
        cmocka_unit_test(test_tz_posix_std_only),
        cmocka_unit_test(test_tz_posix_us_rules),
        cmocka_unit_test(test_tz_posix_default_rules_are_us),
        cmocka_unit_test(test_tz_posix_quoted_half_hour),
        cmocka_unit_test(test_tz_posix_julian_dates),
        cmocka_unit_test(test_tz_posix_extended_times),
        cmocka_unit_test(test_tz_posix_rejects_malformed),
        cmocka_unit_test(test_tz_parse_version1_file),
        cmocka_unit_test(test_tz_parse_versions_3_and_4),
        cmocka_unit_test(test_tz_parse_before_first_transition_uses_type0),
        cmocka_unit_test(test_tz_parse_no_transitions_uses_footer),
        cmocka_unit_test(test_tz_parse_empty_footer_keeps_last_type),
        cmocka_unit_test(test_tz_parse_footer_rules_after_last_transition),
        cmocka_unit_test(test_tz_parse_ignores_leap_seconds),
        cmocka_unit_test(test_tz_extreme_instants_saturate),
        cmocka_unit_test(test_tz_parse_rejects_empty),
        cmocka_unit_test(test_tz_parse_rejects_truncated_header),
        cmocka_unit_test(test_tz_parse_rejects_bad_magic),
        cmocka_unit_test(test_tz_parse_rejects_counts_past_end),
        cmocka_unit_test(test_tz_parse_rejects_inconsistent_data),
        cmocka_unit_test(test_tz_parse_truncated_at_every_length),
        cmocka_unit_test(test_tz_parse_survives_mutations),
        cmocka_unit_test(test_tz_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
