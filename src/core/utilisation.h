/* Bay utilisation (the manager's dashboard, RPT-2): per day of a period, how many bay-minutes
 * the store offered (capacity) and how many its bookings took (booked). Pure: the storage
 * layer (store/reports.c) loads the days' hours, the bays, their out-of-service periods and
 * the bookings; the arithmetic is here. Times are minutes after store-local midnight.
 *
 * A bay in service offers each day's open minutes (the break excluded, core/calendar.h) less
 * those of its out-of-service periods; a retired bay offers none. A booking takes the minutes
 * of its work [start, end) that fall in the day's open hours (the break is not worked; the
 * float after the end, IN-13, is slack and not counted), also when the bay was taken out of
 * service over it afterwards: such a day shows more booked than offered, bookings to move.
 * Overlapping periods of one bay count once. */
#ifndef DMS_CORE_UTILISATION_H
#define DMS_CORE_UTILISATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"

/* A period [from, until) in minutes on day `day` (index into the period's days) of bay `bay`
 * (index into the bays). */
struct util_span {
    size_t day, bay;
    int from, until;
};

struct util_figures {
    int64_t capacity_min; /* bay-minutes offered */
    int64_t booked_min;   /* bay-minutes booked */
};

struct util_input {
    const struct day_hours *hours; /* hours[i]: day i's hours after its calendar exception */
    size_t n_days;
    const bool *in_service; /* in_service[b]: false for a retired bay */
    size_t n_bays;
    const struct util_span *down; /* out-of-service periods */
    size_t n_down;
    const struct util_span *booked; /* bookings holding a bay */
    size_t n_booked;
};

/* The open minutes of a day: 0 when closed, the break left out. */
int utilisation_open_minutes(const struct day_hours *h);

/* Fills by_day[n_days], by_bay[n_bays] and *total. Spans naming a day or bay out of range are
 * ignored; minutes are clamped to the day (0-1440). */
void utilisation_compute(const struct util_input *in, struct util_figures *by_day,
                         struct util_figures *by_bay, struct util_figures *total);

#endif
