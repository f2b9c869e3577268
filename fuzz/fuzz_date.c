/* Fuzzes date_parse() (src/core/date.c), which reads every date in request bodies
 * (purchase_date, service dates, mileage readings). Checks, beyond "no crash":
 * - acceptance matches an independent reading of the rule: exactly "YYYY-MM-DD", ASCII
 *   digits, years 1900-2999, a real calendar day (Feb 29 only in Gregorian leap years);
 * - the day number equals a day count done the slow way, and date_format() gives back the
 *   very string parsed (so dates round-trip through storage and JSON unchanged);
 * - date_to_ymd, date_weekday (against Sakamoto's method), date_add_months (month arithmetic
 *   with the day clamped to the month's end) and timestamp_format_utc agree with it. */
#include "core/date.h"

#include "fuzz.h"

static bool ref_leap(int y)
{
    return y % 400 == 0 || (y % 4 == 0 && y % 100 != 0);
}

static int ref_dim(int y, int m)
{
    if (m == 2)
        return ref_leap(y) ? 29 : 28;
    return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/* Days from 1970-01-01, counted year by year and month by month. */
static long ref_days(int y, int m, int d)
{
    long days = 0;
    for (int i = 1970; i < y; i++)
        days += ref_leap(i) ? 366 : 365;
    for (int i = y; i < 1970; i++)
        days -= ref_leap(i) ? 366 : 365;
    for (int i = 1; i < m; i++)
        days += ref_dim(y, i);
    return days + d - 1;
}

/* 0 = Monday ... 6 = Sunday, by Sakamoto's method (which counts from Sunday). */
static int ref_weekday(int y, int m, int d)
{
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    int sunday0 = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
    return (sunday0 + 6) % 7;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + s[i] - '0';
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    bool shape = strlen(in) == 10 && in[4] == '-' && in[7] == '-';
    int y = shape ? num(in, 4) : -1, m = shape ? num(in + 5, 2) : -1,
        d = shape ? num(in + 8, 2) : -1;
    bool want = y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= ref_dim(y, m);

    dms_day day = 0;
    struct dms_error err = {0};
    int rc = date_parse(in, &day, "date", &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK((rc == 0) == want);
    if (rc < 0) {
        FUZZ_CHECK(strcmp(err.code, "invalid_date") == 0);
        FUZZ_CHECK(strcmp(err.field, "date") == 0);
        FUZZ_CHECK(fuzz_utf8_valid(err.message) || !fuzz_utf8_valid(in));
        free(in);
        return 0;
    }
    FUZZ_CHECK(day == ref_days(y, m, d));
    char text[DATE_STR];
    date_format(day, text);
    FUZZ_CHECK(strcmp(text, in) == 0);
    int yy, mm, dd;
    date_to_ymd(day, &yy, &mm, &dd);
    FUZZ_CHECK(yy == y && mm == m && dd == d);
    FUZZ_CHECK(date_from_ymd(y, m, d) == day);
    FUZZ_CHECK(date_is_leap(y) == ref_leap(y) && date_days_in_month(y, m) == ref_dim(y, m));
    FUZZ_CHECK(date_weekday(day) == ref_weekday(y, m, d));

    static const int deltas[] = {-1200, -25, -12, -1, 0, 1, 11, 12, 13, 1200};
    for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
        int total = y * 12 + (m - 1) + deltas[i];
        int ty = total / 12, tm = total % 12 + 1;
        int td = d < ref_dim(ty, tm) ? d : ref_dim(ty, tm);
        date_to_ymd(date_add_months(day, deltas[i]), &yy, &mm, &dd);
        FUZZ_CHECK(yy == ty && mm == tm && dd == td);
    }

    char ts[TIMESTAMP_STR];
    timestamp_format_utc((int64_t)day * 86400 + 86399, ts);
    FUZZ_CHECK(strncmp(ts, in, 10) == 0 && strcmp(ts + 10, "T23:59:59Z") == 0);
    timestamp_format_utc((int64_t)day * 86400, ts);
    FUZZ_CHECK(strncmp(ts, in, 10) == 0 && strcmp(ts + 10, "T00:00:00Z") == 0);
    FUZZ_CHECK(date_of_local_seconds((int64_t)day * 86400 - 1) == day - 1);
    free(in);
    return 0;
}
