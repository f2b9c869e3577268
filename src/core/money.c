/* Integer money arithmetic with overflow checks. */
#include "core/money.h"

#include <math.h>
#include <stdio.h>

int money_mul(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0)
        return -1;
    if (a != 0 && b > MONEY_MAX_FEN / a)
        return -1;
    *out = a * b;
    return 0;
}

int money_add(int64_t *acc, int64_t v)
{
    if (v < 0 || *acc > MONEY_MAX_FEN - v)
        return -1;
    *acc += v;
    return 0;
}

void money_format(int64_t fen, char out[32])
{
    const char *sign = fen < 0 ? "-" : "";
    /* Avoid negating INT64_MIN. */
    uint64_t abs = fen < 0 ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
    snprintf(out, 32, "%s%llu.%02llu", sign, (unsigned long long)(abs / 100),
             (unsigned long long)(abs % 100));
}

int hundredths_from_double(double v, int64_t max_hundredths, int64_t *out)
{
    if (!isfinite(v) || v < 0 || v * 100.0 > (double)max_hundredths)
        return -1;
    double r = nearbyint(v * 100.0);
    /* Exactly two decimals: the nearest hundredth must be the very number the JSON parser
     * produced for the text (0.29 reads back as 0.29; 1.000000001 does not). */
    if (r / 100.0 != v)
        return -1;
    *out = (int64_t)r;
    return 0;
}
