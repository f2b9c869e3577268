/* IN-21: the 9-point check of a booking call (神秘客户预约9项检查). A review marks each of the
 * nine points passed or not; its score is the number passed (0-9). The call-quality report
 * adds reviews up per advisor and per month: the number of reviews, the average score, the
 * full scores and each point's pass rate, for the month and the months before it (the trend).
 * Pure: the store reads the reviews, this decides what they add up to. */
#ifndef DMS_CORE_CALL_REVIEW_H
#define DMS_CORE_CALL_REVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "core/rates.h"

/* The nine points in the seed's order; a review's points are a bit set, bit i for point i. */
enum call_point {
    CALL_POINT_ANSWER_3_RINGS,      /* (1) answered within 3 rings, or an apology first */
    CALL_POINT_GREETING,            /* (2) greeting with the store's and the advisor's name */
    CALL_POINT_SURNAME,             /* (3) the customer's surname asked and used */
    CALL_POINT_DETAILS_CONFIRMED,   /* (4) customer, car and contact details confirmed */
    CALL_POINT_CUSTOMER_WORDS,      /* (5) the need recorded in the customer's own words */
    CALL_POINT_PARTS_CHECKED,       /* (6) parts checked before promising */
    CALL_POINT_ALTERNATIVES,        /* (7) two alternatives when the wish is not possible */
    CALL_POINT_WINDOW_AND_ESTIMATE, /* (8) a window, the estimate, need and time confirmed */
    CALL_POINT_CLOSING,             /* (9) thanks, and the customer hangs up first */
    CALL_POINT_COUNT
};
extern const char *const CALL_POINT_NAMES[CALL_POINT_COUNT];

#define CALL_POINTS_ALL ((1u << CALL_POINT_COUNT) - 1u) /* 511: a full score */

/* Who scored the call: the service manager listening in, or a mystery shopper's report. */
enum call_review_source {
    CALL_REVIEW_MANAGER,
    CALL_REVIEW_MYSTERY_SHOPPER,
    CALL_REVIEW_SOURCE_COUNT
};
extern const char *const CALL_REVIEW_SOURCE_NAMES[CALL_REVIEW_SOURCE_COUNT];

#define CALL_REVIEW_NOTE_CHARS   1000
#define CALL_REVIEW_TREND_MONTHS 6

/* "greeting" -> CALL_POINT_GREETING; -1 when not a point. */
int call_point_parse(const char *name);

/* The score of a review: the points passed, 0-9 (bits beyond the nine are ignored). */
int call_review_score(unsigned points);

/* A call may be scored once it has happened: call_at (UTC seconds) not after now, and not
 * before 2000-01-01 (a typing slip). invalid_date naming field otherwise. */
int call_review_check_time(int64_t call_at, int64_t now, const char *field, struct dms_error *err);

/* The first and last day of the month holding day. */
void call_review_month_of(dms_day day, dms_day *first, dms_day *last);

/* The n months ending with the month holding day, oldest first: first[i] and last[i] are the
 * first and last day of month i (month n - 1 is day's). Crosses year boundaries (2027-02 with
 * n = 6 starts at 2026-09). */
void call_review_months(dms_day day, int n, dms_day *first, dms_day *last);

/* The index of the month of n (as call_review_months filled) that holds day, -1 outside. */
int call_review_month_index(dms_day day, int n, const dms_day *first, const dms_day *last);

/* The figures of a set of reviews (an advisor's month, the store's month). */
struct call_quality {
    int64_t reviews;
    int64_t score_sum;
    int64_t full; /* reviews with all nine points */
    int64_t passed[CALL_POINT_COUNT];
};

void call_quality_add(struct call_quality *q, unsigned points);
/* The average score: score_sum out of reviews (no figure without reviews). */
struct rate call_quality_average(const struct call_quality *q);
/* The share of the reviews that passed point p (no figure without reviews). */
struct rate call_quality_pass_rate(const struct call_quality *q, enum call_point p);

#endif
