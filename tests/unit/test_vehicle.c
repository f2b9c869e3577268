/* Unit tests for core/vehicle: the model-year window (1950 to next year), the odometer rule
 * (a reading fits between the readings dated before and after it), the km bounds, and
 * that readings and records are not dated in the future. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/text.h"
#include "core/vehicle.h"

#include "migration_names.h"

/* ---- helpers ---- */

static void assert_error(const struct dms_error *err, const char *code, const char *field)
{
    assert_string_equal(err->code, code);
    assert_string_equal(err->field, field);
    assert_true(err->message[0] != '\0');
}

static void assert_year_ok(int64_t year, int current)
{
    struct dms_error err = {0};
    if (vehicle_check_model_year(year, current, &err) != 0)
        fail_msg("model year %lld refused in %d: %s", (long long)year, current, err.message);
}

static void assert_year_refused(int64_t year, int current)
{
    struct dms_error err = {0};
    if (vehicle_check_model_year(year, current, &err) != -1)
        fail_msg("model year %lld accepted in %d", (long long)year, current);
    assert_error(&err, "invalid_field", "model_year");
}

static int reading(int64_t km, bool has_before, int64_t max_before, bool has_after,
                   int64_t min_after, struct dms_error *err)
{
    dms_error_clear(err);
    return vehicle_check_reading(km, has_before, max_before, has_after, min_after, err);
}

/* ---- model year ---- */

static void test_vehicle_model_year_lower_bound(void **state)
{
    (void)state;
    assert_year_refused(1949, 2026);
    assert_year_ok(1950, 2026);
    assert_year_ok(VEHICLE_FIRST_MODEL_YEAR, 2026);
    assert_year_refused(VEHICLE_FIRST_MODEL_YEAR - 1, 2026);
}

static void test_vehicle_model_year_upper_bound(void **state)
{
    (void)state;
    assert_year_ok(2026, 2026);
    assert_year_ok(2027, 2026);
    assert_year_refused(2028, 2026);
    /* The window follows the current year. */
    assert_year_ok(2031, 2030);
    assert_year_refused(2032, 2030);
    assert_year_refused(2027, 2025);
}

static void test_vehicle_model_year_extremes(void **state)
{
    (void)state;
    assert_year_refused(0, 2026);
    assert_year_refused(-2026, 2026);
    assert_year_refused(INT64_MIN, 2026);
    assert_year_refused(INT64_MAX, 2026);
    assert_year_refused(INT64_C(2026) + (INT64_C(1) << 32), 2026); /* 2026 as a 32-bit int */
    assert_year_refused(INT64_C(2026) - (INT64_C(1) << 32), 2026);
    assert_int_equal(vehicle_check_model_year(1949, 2026, NULL), -1);
}

/* ---- odometer ---- */

static void test_vehicle_reading_equal_to_neighbours_allowed(void **state)
{
    (void)state;
    struct dms_error err;
    assert_int_equal(reading(50000, true, 50000, false, 0, &err), 0);
    assert_int_equal(reading(50000, false, 0, true, 50000, &err), 0);
    assert_int_equal(reading(50000, true, 50000, true, 50000, &err), 0);
}

static void test_vehicle_reading_below_earlier_refused(void **state)
{
    (void)state;
    struct dms_error err;
    assert_int_equal(reading(49999, true, 50000, false, 0, &err), -1);
    assert_error(&err, "mileage_inconsistent", "km");
    assert_non_null(strstr(err.message, "50000"));
    assert_int_equal(reading(0, true, 1, false, 0, &err), -1);
    assert_error(&err, "mileage_inconsistent", "km");
}

static void test_vehicle_reading_above_later_refused(void **state)
{
    (void)state;
    struct dms_error err;
    assert_int_equal(reading(50001, false, 0, true, 50000, &err), -1);
    assert_error(&err, "mileage_inconsistent", "km");
    assert_non_null(strstr(err.message, "50000"));
    assert_int_equal(reading(VEHICLE_MAX_KM, true, 0, true, VEHICLE_MAX_KM - 1, &err), -1);
    assert_error(&err, "mileage_inconsistent", "km");
}

static void test_vehicle_reading_between_neighbours(void **state)
{
    (void)state;
    struct dms_error err;
    assert_int_equal(reading(30000, true, 20000, true, 40000, &err), 0);
    assert_int_equal(reading(19999, true, 20000, true, 40000, &err), -1);
    assert_int_equal(reading(40001, true, 20000, true, 40000, &err), -1);
}

static void test_vehicle_reading_flags_gate_the_neighbours(void **state)
{
    (void)state;
    struct dms_error err;
    /* Without has_before / has_after the other values mean nothing. */
    assert_int_equal(reading(100, false, 999999, false, 0, &err), 0);
    assert_int_equal(reading(100, false, 999999, true, 200, &err), 0);
    assert_int_equal(reading(100, true, 50, false, -5, &err), 0);
}

static void test_vehicle_reading_km_bounds(void **state)
{
    (void)state;
    struct dms_error err;
    assert_int_equal(reading(-1, false, 0, false, 0, &err), -1);
    assert_error(&err, "invalid_field", "km");
    assert_int_equal(reading(0, false, 0, false, 0, &err), 0);
    assert_int_equal(reading(VEHICLE_MAX_KM, false, 0, false, 0, &err), 0);
    assert_int_equal(reading(VEHICLE_MAX_KM + 1, false, 0, false, 0, &err), -1);
    assert_error(&err, "invalid_field", "km");
    assert_int_equal(reading(INT64_MAX, false, 0, false, 0, &err), -1);
    assert_error(&err, "invalid_field", "km");
    assert_int_equal(reading(INT64_MIN, false, 0, false, 0, &err), -1);
    assert_error(&err, "invalid_field", "km");
    /* Out of range is reported as such even when it also contradicts a neighbour. */
    assert_int_equal(reading(-1, true, 100, false, 0, &err), -1);
    assert_error(&err, "invalid_field", "km");
}

/* ---- dates ---- */

static void test_vehicle_date_not_future(void **state)
{
    (void)state;
    dms_day today = 20782; /* 2026-11-25 */
    struct dms_error err = {0};
    assert_int_equal(date_check_not_future(today, today, "date", &err), 0);
    assert_int_equal(date_check_not_future(today - 1, today, "date", &err), 0);
    assert_int_equal(date_check_not_future(today + 1, today, "date_out", &err), -1);
    assert_error(&err, "invalid_date", "date_out");
    assert_int_equal(date_check_not_future(-25567, today, "date", &err), 0);
    assert_int_equal(date_check_not_future(INT32_MAX, today, "date", NULL), -1);
    assert_int_equal(date_check_not_future(-1, -1, "date", NULL), 0);
    assert_int_equal(date_check_not_future(0, -1, "date", NULL), -1);
}

/* ---- mileage sources ---- */

static void test_vehicle_mileage_source_names(void **state)
{
    (void)state;
    for (int i = 0; i < MILEAGE_SOURCE_COUNT; i++) {
        assert_non_null(MILEAGE_SOURCE_NAMES[i]);
        assert_int_equal(
            enum_index(MILEAGE_SOURCE_NAMES, MILEAGE_SOURCE_COUNT, MILEAGE_SOURCE_NAMES[i]), i);
    }
    assert_int_equal(enum_index(MILEAGE_SOURCE_NAMES, MILEAGE_SOURCE_COUNT, "call"), MILEAGE_CALL);
    assert_int_equal(enum_index(MILEAGE_SOURCE_NAMES, MILEAGE_SOURCE_COUNT, "service"),
                     MILEAGE_SERVICE);
    assert_names_match_migration("mileage_readings", "source", MILEAGE_SOURCE_NAMES,
                                 MILEAGE_SOURCE_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vehicle_model_year_lower_bound),
        cmocka_unit_test(test_vehicle_model_year_upper_bound),
        cmocka_unit_test(test_vehicle_model_year_extremes),
        cmocka_unit_test(test_vehicle_reading_equal_to_neighbours_allowed),
        cmocka_unit_test(test_vehicle_reading_below_earlier_refused),
        cmocka_unit_test(test_vehicle_reading_above_later_refused),
        cmocka_unit_test(test_vehicle_reading_between_neighbours),
        cmocka_unit_test(test_vehicle_reading_flags_gate_the_neighbours),
        cmocka_unit_test(test_vehicle_reading_km_bounds),
        cmocka_unit_test(test_vehicle_date_not_future),
        cmocka_unit_test(test_vehicle_mileage_source_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
