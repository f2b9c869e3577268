/* MR-1: when a vehicle's next periodic maintenance falls due, by time or by distance,
 * whichever comes first. Pure arithmetic over the facts the storage layer gathers. */
#ifndef DMS_CORE_SCHEDULE_H
#define DMS_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

/* A store without any plan uses these (MR-1 defaults). */
#define PLAN_DEFAULT_INTERVAL_KM     5000
#define PLAN_DEFAULT_INTERVAL_MONTHS 6
#define PLAN_DEFAULT_FIRST_KM        3000
#define PLAN_DEFAULT_FIRST_MONTHS    3
#define SCHEDULE_WINDOW_DAYS         365 /* readings used for the average daily km */
#define SCHEDULE_MIN_SPAN_DAYS       30  /* shorter spans fall back to the store default */

struct plan_intervals {
    int64_t interval_km, first_km;
    int interval_months, first_months;
};

/* An odometer reading (service records and the sale count as readings). */
struct reading {
    dms_day date;
    int64_t km;
};

struct schedule_input {
    struct plan_intervals plan;
    bool has_service; /* a periodic maintenance on record */
    dms_day service_date;
    int64_t service_km;
    bool has_base; /* purchase date, else the first day the car was known */
    dms_day base_date;
    /* All readings, in order of date and then of entry; may be empty. */
    const struct reading *readings;
    size_t n_readings;
    int default_daily_km; /* store setting, > 0 */
};

enum schedule_basis { BASIS_TIME, BASIS_MILEAGE };
extern const char *const SCHEDULE_BASIS_NAMES[2];

struct next_service {
    bool known; /* false only when there is neither a base date nor a reading */
    dms_day due_date;
    int64_t due_km;
    enum schedule_basis basis;
    /* How the mileage projection was made, for display and tests. */
    double daily_km;
    bool daily_km_default;
};

/* Average km per day from the readings of the SCHEDULE_WINDOW_DAYS up to the latest one:
 * (km latest - km earliest) / days between, when they are at least SCHEDULE_MIN_SPAN_DAYS
 * apart; otherwise default_daily_km (and *used_default is set). */
double schedule_daily_km(const struct reading *r, size_t n, int default_daily_km,
                         bool *used_default);

/* The next service (MR-1):
 *   due_km   = last periodic service km + interval (first_km while there is none);
 *   due_date = the earlier of (a) last service date + interval months (base date + first
 *              months while there is none) and (b) the day the projected mileage reaches
 *              due_km: latest reading date + ceil((due_km - latest km) / daily km), or the
 *              latest reading's date when already past due_km.
 * A tie goes to time. With no readings, (b) projects from the base date at 0 km. */
struct next_service schedule_next_service(const struct schedule_input *in);

#endif
