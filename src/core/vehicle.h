/* Vehicles and their odometer readings. Mileage is integer km. */
#ifndef DMS_CORE_VEHICLE_H
#define DMS_CORE_VEHICLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"

#define VEHICLE_MAX_KM           2000000
#define VEHICLE_TEXT_CHARS       64
#define VEHICLE_FIRST_MODEL_YEAR 1950

enum mileage_source {
    MILEAGE_MANUAL,
    MILEAGE_SERVICE,
    MILEAGE_CALL,
    MILEAGE_SALE,
    MILEAGE_SOURCE_COUNT
};
extern const char *const MILEAGE_SOURCE_NAMES[MILEAGE_SOURCE_COUNT];

/* A model year is plausible from 1950 to next year (cars are sold ahead of their model
 * year). Error: invalid_field. */
int vehicle_check_model_year(int64_t year, int current_year, struct dms_error *err);

/* An odometer only counts up: a reading of `km` on `date` must not be below any reading
 * dated earlier (or entered earlier the same day) nor above any reading dated later. The
 * caller passes the largest km dated on or before (has_before) and the smallest km dated
 * after (has_after).
 * Error: mileage_inconsistent. */
int vehicle_check_reading(int64_t km, bool has_before, int64_t max_before, bool has_after,
                          int64_t min_after, struct dms_error *err);

/* A reading or a record may not be dated after today (store-local). Error: invalid_date. */
int date_check_not_future(dms_day d, dms_day today, const char *field, struct dms_error *err);

#endif
