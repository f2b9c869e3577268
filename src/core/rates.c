/* The reports' rates. See rates.h. */
#include "core/rates.h"

struct rate rate_of(int64_t num, int64_t den)
{
    return (struct rate){den != 0, num, den};
}

struct rate rate_reach(int64_t created, int64_t reached)
{
    return rate_of(reached, created);
}

struct rate rate_booking(int64_t reached, int64_t booked)
{
    return rate_of(booked, reached);
}

struct rate rate_conversion(int64_t booked, int64_t failed)
{
    return rate_of(booked, booked + failed);
}

double rate_value(struct rate r, int decimals)
{
    if (!r.known)
        return 0;
    if (decimals < 0)
        return (double)r.num / (double)r.den;
    int64_t scale = 1;
    for (int i = 0; i < decimals && i < 6; i++)
        scale *= 10;
    return (double)(r.num * scale / r.den) / (double)scale;
}
