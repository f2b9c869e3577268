/* IN-21: the 9-point call check's rules. See call_review.h. */
#include "core/call_review.h"

#include <string.h>

const char *const CALL_POINT_NAMES[CALL_POINT_COUNT] = {
    [CALL_POINT_ANSWER_3_RINGS] = "answer_3_rings",
    [CALL_POINT_GREETING] = "greeting",
    [CALL_POINT_SURNAME] = "surname",
    [CALL_POINT_DETAILS_CONFIRMED] = "details_confirmed",
    [CALL_POINT_CUSTOMER_WORDS] = "customer_words",
    [CALL_POINT_PARTS_CHECKED] = "parts_checked",
    [CALL_POINT_ALTERNATIVES] = "alternatives",
    [CALL_POINT_WINDOW_AND_ESTIMATE] = "window_and_estimate",
    [CALL_POINT_CLOSING] = "closing",
};

const char *const CALL_REVIEW_SOURCE_NAMES[CALL_REVIEW_SOURCE_COUNT] = {
    [CALL_REVIEW_MANAGER] = "manager",
    [CALL_REVIEW_MYSTERY_SHOPPER] = "mystery_shopper",
};

int call_point_parse(const char *name)
{
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        if (strcmp(CALL_POINT_NAMES[i], name) == 0)
            return i;
    return -1;
}

int call_review_score(unsigned points)
{
    int n = 0;
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        n += (int)((points >> i) & 1u);
    return n;
}

int call_review_check_time(int64_t call_at, int64_t now, const char *field, struct dms_error *err)
{
    if (call_at > now)
        return dms_fail(err, "invalid_date", field,
                        "通话时间不能晚于现在 (the call cannot be in the future)");
    if (call_at < 946684800) /* 2000-01-01T00:00:00Z */
        return dms_fail(err, "invalid_date", field,
                        "通话时间早于 2000 年 (the call is before the year 2000)");
    return 0;
}

void call_review_month_of(dms_day day, dms_day *first, dms_day *last)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    *first = date_from_ymd(y, m, 1);
    *last = date_from_ymd(y, m, date_days_in_month(y, m));
}

void call_review_months(dms_day day, int n, dms_day *first, dms_day *last)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    /* Months since year 0, so that stepping back crosses years by itself. */
    int index = y * 12 + (m - 1);
    for (int i = 0; i < n; i++) {
        int k = index - (n - 1 - i);
        int ky = k / 12, km = k % 12 + 1;
        first[i] = date_from_ymd(ky, km, 1);
        last[i] = date_from_ymd(ky, km, date_days_in_month(ky, km));
    }
}

int call_review_month_index(dms_day day, int n, const dms_day *first, const dms_day *last)
{
    for (int i = 0; i < n; i++)
        if (day >= first[i] && day <= last[i])
            return i;
    return -1;
}

void call_quality_add(struct call_quality *q, unsigned points)
{
    int score = call_review_score(points);
    q->reviews++;
    q->score_sum += score;
    if (score == CALL_POINT_COUNT)
        q->full++;
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        q->passed[i] += (points >> i) & 1u;
}

struct rate call_quality_average(const struct call_quality *q)
{
    return rate_of(q->score_sum, q->reviews);
}

struct rate call_quality_pass_rate(const struct call_quality *q, enum call_point p)
{
    if ((unsigned)p >= CALL_POINT_COUNT)
        return rate_of(0, 0);
    return rate_of(q->passed[p], q->reviews);
}
