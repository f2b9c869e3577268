/* The reports' rates (RPT-1, RPT-2, IN-10): a count out of a count, such as the calls that
 * reached the customer out of those made. Pure. Nothing to divide by gives no figure, which
 * is not 0 % (a day without calls has no reach rate): known is false then. A rate keeps its
 * two counts; each caller shows it its own way (the API as a fraction, the CLI as a
 * percentage), through rate_value or from the counts. */
#ifndef DMS_CORE_RATES_H
#define DMS_CORE_RATES_H

#include <stdbool.h>
#include <stdint.h>

struct rate {
    bool known; /* false: the denominator is 0, no figure */
    int64_t num, den;
};

/* num out of den. */
struct rate rate_of(int64_t num, int64_t den);

/* RPT-2: of the calls of a list created in the period, the share that reached the customer. */
struct rate rate_reach(int64_t created, int64_t reached);

/* RPT-2: of the calls that reached the customer, the share that ended in a booking. */
struct rate rate_booking(int64_t reached, int64_t booked);

/* IN-10: of the booking calls, booked or recorded as failed, the share that booked. */
struct rate rate_conversion(int64_t booked, int64_t failed);

/* The rate as a fraction: with decimals (0-6) cut, not rounded, to that many decimals, worked
 * out in integers (5 of 6 is 0.8333 at four, 57 of 100 exactly 0.57); with RATE_FULL to the
 * precision of a double. 0 when the rate is not known. */
#define RATE_FULL (-1)
double rate_value(struct rate r, int decimals);

#endif
