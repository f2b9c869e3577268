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
    /* The day the store came to know the car (vehicles.known_since); has_known false when
     * unknown. With no periodic service on record, a car first known after its first service
     * fell due (by distance or by time) is a used car (see schedule_next_service). */
    bool has_known, purchase_known;
    dms_day known_date;
};

enum schedule_basis { BASIS_TIME, BASIS_MILEAGE };
extern const char *const SCHEDULE_BASIS_NAMES[2];

/* Which rule gave the due km and date (MR-1, MR-2): the first service of a new car, the
 * interval after the last service on record, or the used-car rule. */
enum schedule_rule { RULE_FIRST, RULE_INTERVAL, RULE_USED, RULE_COUNT };
extern const char *const SCHEDULE_RULE_NAMES[RULE_COUNT];

struct next_service {
    bool known; /* false only when there is neither a base date nor a reading */
    dms_day due_date;
    int64_t due_km;
    enum schedule_basis basis;
    enum schedule_rule rule;
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
 * A tie goes to time. With no readings, (b) projects from the base date at 0 km.
 *
 * The used-car rule (RULE_USED): with no periodic service on record, a car the store first
 * knew at first_km + interval_km or more (the km of its latest reading on or before
 * known_date) is past its second service, so it had its services elsewhere; taking 3,000 km
 * as its due km would call a car at 23,000 km overdue the day it is registered. (Below that
 * the first service is plausibly just overdue, and the car is called for it.) Its services
 * are taken to have kept to the plan's grid instead:
 *   due_km   = the first of first_km + k * interval_km (k >= 0) above that km;
 *   by time  = the first of base date + first months + k * interval months after known_date
 *              when the purchase date is known, else known_date + interval months (the age
 *              is unknown: a used car is taken as serviced when it changed hands). */
struct next_service schedule_next_service(const struct schedule_input *in);

#endif
