/* Date arithmetic on day numbers, after Howard Hinnant's civil-from-days algorithms. */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

bool date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && date_is_leap(year) ? 29 : days[month - 1];
}

dms_day date_from_ymd(int year, int month, int day)
{
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (dms_day)(era * 146097 + doe - 719468);
}

void date_to_ymd(dms_day d, int *year, int *month, int *day)
{
    int z = d + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = m <= 2 ? y + 1 : y;
    *month = m;
    *day = dd;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *s, dms_day *out, const char *field, struct dms_error *err)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return dms_fail(err, "invalid_date", field, "dates are written YYYY-MM-DD");
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
        return dms_fail(err, "invalid_date", field, "%s is not a calendar date", s);
    *out = date_from_ymd(y, m, d);
    return 0;
}

/* Writes v (0 <= v < 10^width) as width zero-padded digits. */
static void put_digits(char *out, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(dms_day d, char out[DATE_STR])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    put_digits(out, ((y % 10000) + 10000) % 10000, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, dd, 2);
    out[10] = '\0';
}

int date_weekday(dms_day d)
{
    /* 1970-01-01 was a Thursday (3). */
    int w = (d + 3) % 7;
    return w < 0 ? w + 7 : w;
}

dms_day date_add_months(dms_day d, int months)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    int total = y * 12 + (m - 1) + months;
    int ny = total >= 0 ? total / 12 : (total - 11) / 12;
    int nm = total - ny * 12 + 1;
    int dim = date_days_in_month(ny, nm);
    return date_from_ymd(ny, nm, dd > dim ? dim : dd);
}

dms_day date_of_local_seconds(int64_t local)
{
    int64_t days = local / 86400;
    if (local % 86400 < 0)
        days--;
    return (dms_day)days;
}

int local_time_parse(const char *s, dms_day *day, int *min, const char *field,
                     struct dms_error *err)
{
    char date[DATE_STR];
    bool digits = s && strlen(s) == 16 && s[10] == 'T' && s[13] == ':';
    for (int i = 11; digits && i < 16; i++)
        digits = i == 13 || (s[i] >= '0' && s[i] <= '9');
    if (!digits)
        return dms_fail(err, "invalid_date", field, "%s is YYYY-MM-DDTHH:MM (store-local)",
                        field ? field : "the time");
    memcpy(date, s, 10);
    date[10] = '\0';
    int h = (s[11] - '0') * 10 + (s[12] - '0'), m = (s[14] - '0') * 10 + (s[15] - '0');
    if (date_parse(date, day, field, err) < 0)
        return -1;
    if (h > 23 || m > 59)
        return dms_fail(err, "invalid_date", field, "%s has no such time of day",
                        field ? field : "the time");
    *min = h * 60 + m;
    return 0;
}

void local_time_format(dms_day day, int min, char out[LOCAL_TIME_STR])
{
    char date[DATE_STR];
    date_format(day, date);
    unsigned m = min < 0 ? 0u : (unsigned)min;
    snprintf(out, LOCAL_TIME_STR, "%.10sT%02u:%02u", date, (m / 60) % 100, m % 60);
}

int local_minute(int64_t local)
{
    return (int)((local - (int64_t)date_of_local_seconds(local) * 86400) / 60);
}

int timestamp_parse_utc(const char *ts, int64_t *utc)
{
    if (strlen(ts) != TIMESTAMP_STR - 1 || ts[10] != 'T' || ts[13] != ':' || ts[16] != ':' ||
        ts[19] != 'Z')
        return -1;
    int f[3];
    for (int k = 0; k < 3; k++) {
        const char *p = ts + 11 + 3 * k;
        if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
            return -1;
        f[k] = (p[0] - '0') * 10 + (p[1] - '0');
    }
    if (f[0] > 23 || f[1] > 59 || f[2] > 59)
        return -1;
    char day[DATE_STR];
    memcpy(day, ts, 10);
    day[10] = '\0';
    dms_day d;
    struct dms_error ignore = {0};
    if (date_parse(day, &d, "timestamp", &ignore) < 0)
        return -1;
    *utc = (int64_t)d * 86400 + f[0] * 3600 + f[1] * 60 + f[2];
    return 0;
}

void timestamp_format_utc(int64_t utc, char out[TIMESTAMP_STR])
{
    dms_day d = date_of_local_seconds(utc);
    int64_t secs = utc - (int64_t)d * 86400;
    date_format(d, out);
    out[10] = 'T';
    put_digits(out + 11, (int)(secs / 3600), 2);
    out[13] = ':';
    put_digits(out + 14, (int)(secs / 60 % 60), 2);
    out[16] = ':';
    put_digits(out + 17, (int)(secs % 60), 2);
    out[19] = 'Z';
    out[20] = '\0';
}

int date_parse_month(const char *s, dms_day *first, dms_day *last, const char *field,
                     struct dms_error *err)
{
    char day[16];
    if (!s || strlen(s) != 7 || snprintf(day, sizeof day, "%s-01", s) != 10 ||
        date_parse(day, first, field, err) < 0)
        return dms_fail(err, "invalid_date", field, "%s is YYYY-MM", field);
    *last = date_add_months(*first, 1) - 1;
    return 0;
}
