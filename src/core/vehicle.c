/* Vehicle rules that do not need the database. */
#include "core/vehicle.h"

const char *const MILEAGE_SOURCE_NAMES[MILEAGE_SOURCE_COUNT] = {"manual", "service", "call",
                                                                "sale"};

int vehicle_check_model_year(int64_t year, int current_year, struct dms_error *err)
{
    if (year < VEHICLE_FIRST_MODEL_YEAR || year > current_year + 1)
        return dms_fail(err, "invalid_field", "model_year", "model year must be %d-%d",
                        VEHICLE_FIRST_MODEL_YEAR, current_year + 1);
    return 0;
}

int vehicle_check_reading(int64_t km, bool has_before, int64_t max_before, bool has_after,
                          int64_t min_after, struct dms_error *err)
{
    if (km < 0 || km > VEHICLE_MAX_KM)
        return dms_fail(err, "invalid_field", "km", "mileage must be 0-%d km", VEHICLE_MAX_KM);
    if (has_before && km < max_before)
        return dms_fail(err, "mileage_inconsistent", "km",
                        "an earlier reading already shows %lld km; the odometer only counts up",
                        (long long)max_before);
    if (has_after && km > min_after)
        return dms_fail(err, "mileage_inconsistent", "km",
                        "a later reading shows only %lld km; the odometer only counts up",
                        (long long)min_after);
    return 0;
}

int date_check_not_future(dms_day d, dms_day today, const char *field, struct dms_error *err)
{
    if (d > today)
        return dms_fail(err, "invalid_date", field, "the date is in the future");
    return 0;
}
