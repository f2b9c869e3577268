/* Money is integer fen (1/100 yuan) everywhere, never floating point. Labour hours are
 * integer hundredths of an hour. These helpers refuse to overflow. */
#ifndef DMS_CORE_MONEY_H
#define DMS_CORE_MONEY_H

#include <stdint.h>

/* Largest amount a single line or record may carry: 100 million yuan. */
#define MONEY_MAX_FEN INT64_C(10000000000)

/* *out = a * b; -1 when the result exceeds MONEY_MAX_FEN or an operand is negative. */
int money_mul(int64_t a, int64_t b, int64_t *out);

/* *acc += v; -1 when the sum would exceed MONEY_MAX_FEN or v is negative. */
int money_add(int64_t *acc, int64_t v);

/* 123450 -> "1234.50" (no currency sign, no grouping; negatives with '-'). */
void money_format(int64_t fen, char out[32]);

/* A JSON number such as 1.5 or 2 -> 150 or 200 hundredths. -1 when it has more than two
 * decimals, is negative or exceeds max_hundredths. */
int hundredths_from_double(double v, int64_t max_hundredths, int64_t *out);

#endif
