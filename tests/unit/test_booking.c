/* Unit tests for core/booking: the four cases (IN-6), the appointment life cycle (every pair
 * of statuses), which statuses still hold a bay and parts, standard hours as whole minutes of
 * work (rounded up), the day of a booking for a date and the bounds of a period (IN-14,
 * IN-15), and the value sets against the CHECK lists of
 * src/store/migrations/009_appointments.sql. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/booking.h"

#include "migration_names.h"

/* ---- helpers ---- */

#define assert_case(any_repair, n_parts, short_parts, want)                                        \
    assert_case_at((any_repair), (n_parts), (short_parts), (want), __LINE__)

static void assert_case_at(bool any_repair, int n_parts, int short_parts, enum booking_case want,
                           int line)
{
    enum booking_case got = booking_case_of(any_repair, n_parts, short_parts);
    if (got != want)
        fail_msg("line %d: repair %d, %d part lines, %d short: case %s, want %s", line, any_repair,
                 n_parts, short_parts, BOOKING_CASE_NAMES[got], BOOKING_CASE_NAMES[want]);
}

#define assert_minutes(hours_x100, want) assert_minutes_at((hours_x100), (want), __LINE__)

static void assert_minutes_at(int64_t hours_x100, int want, int line)
{
    int got = booking_work_minutes(hours_x100);
    if (got != want)
        fail_msg("line %d: %lld/100 h = %d min, want %d", line, (long long)hours_x100, got, want);
}

/* Every name set, lower case (digits and _ allowed) or, for cases, one capital letter. */
static void assert_names_well_formed(const char *const *names, int count, const char *chars)
{
    for (int i = 0; i < count; i++) {
        if (!names[i])
            fail_msg("name %d is NULL", i);
        if (names[i][0] == '\0' || strspn(names[i], chars) != strlen(names[i]))
            fail_msg("name %d \"%s\" has characters outside \"%s\"", i, names[i], chars);
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                fail_msg("names %d and %d are both \"%s\"", j, i, names[i]);
    }
}

#define LOWER "abcdefghijklmnopqrstuvwxyz_"

/* ---- booking_case_of (IN-6) ---- */

static void test_booking_case_a_maintenance_only(void **state)
{
    (void)state;
    assert_case(false, 0, 0, CASE_A);
    /* Maintenance uses parts (oil, filters): still case A, whatever the stock. */
    assert_case(false, 3, 0, CASE_A);
    assert_case(false, 3, 2, CASE_A);
}

static void test_booking_case_b_repair_without_parts(void **state)
{
    (void)state;
    assert_case(true, 0, 0, CASE_B);
}

static void test_booking_case_c_repair_parts_in_stock(void **state)
{
    (void)state;
    assert_case(true, 1, 0, CASE_C);
    assert_case(true, 5, 0, CASE_C);
}

static void test_booking_case_d_repair_parts_to_order(void **state)
{
    (void)state;
    assert_case(true, 1, 1, CASE_D); /* the one line short */
    assert_case(true, 5, 1, CASE_D); /* one of five is enough */
    assert_case(true, 5, 5, CASE_D);
}

static void test_booking_case_names(void **state)
{
    (void)state;
    assert_string_equal(BOOKING_CASE_NAMES[CASE_A], "A");
    assert_string_equal(BOOKING_CASE_NAMES[CASE_B], "B");
    assert_string_equal(BOOKING_CASE_NAMES[CASE_C], "C");
    assert_string_equal(BOOKING_CASE_NAMES[CASE_D], "D");
}

/* ---- the life cycle ---- */

/* The allowed moves, listed one by one; every other pair (a status to itself included) is
 * refused, and completed, no_show and cancelled are final. */
static const struct {
    enum appt_status from, to;
} ALLOWED[] = {
    {APPT_TENTATIVE, APPT_CONFIRMED}, /* the date and time fixed (IN-14, IN-15) */
    {APPT_TENTATIVE, APPT_CANCELLED},
    {APPT_CONFIRMED, APPT_ARRIVED},
    {APPT_CONFIRMED, APPT_NO_SHOW},
    {APPT_CONFIRMED, APPT_CANCELLED},
    {APPT_ARRIVED, APPT_IN_SERVICE},
    {APPT_ARRIVED, APPT_CANCELLED}, /* came in, left without the job */
    {APPT_IN_SERVICE, APPT_COMPLETED},
};

static bool allowed(enum appt_status from, enum appt_status to)
{
    for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++)
        if (ALLOWED[i].from == from && ALLOWED[i].to == to)
            return true;
    return false;
}

static void test_booking_transition_full_matrix(void **state)
{
    (void)state;
    int n_allowed = 0;
    for (int f = 0; f < APPT_STATUS_COUNT; f++)
        for (int t = 0; t < APPT_STATUS_COUNT; t++) {
            bool want = allowed((enum appt_status)f, (enum appt_status)t);
            bool got = appt_transition_ok((enum appt_status)f, (enum appt_status)t);
            if (got != want)
                fail_msg("%s -> %s %s, want %s", APPT_STATUS_NAMES[f], APPT_STATUS_NAMES[t],
                         got ? "allowed" : "refused", want ? "allowed" : "refused");
            n_allowed += got;
        }
    assert_int_equal(n_allowed, (int)(sizeof ALLOWED / sizeof ALLOWED[0]));
}

static void test_booking_transition_never_to_itself(void **state)
{
    (void)state;
    for (int s = 0; s < APPT_STATUS_COUNT; s++)
        if (appt_transition_ok((enum appt_status)s, (enum appt_status)s))
            fail_msg("%s -> %s allowed", APPT_STATUS_NAMES[s], APPT_STATUS_NAMES[s]);
}

static void test_booking_transition_in_service_cannot_be_cancelled(void **state)
{
    (void)state;
    assert_false(appt_transition_ok(APPT_IN_SERVICE, APPT_CANCELLED));
    assert_false(appt_transition_ok(APPT_IN_SERVICE, APPT_NO_SHOW));
    assert_false(appt_transition_ok(APPT_TENTATIVE, APPT_NO_SHOW)); /* no time to miss */
    assert_false(appt_transition_ok(APPT_TENTATIVE, APPT_ARRIVED));
    assert_false(appt_transition_ok(APPT_CONFIRMED, APPT_COMPLETED));
}

static void test_booking_status_live(void **state)
{
    (void)state;
    assert_true(appt_status_live(APPT_TENTATIVE));
    assert_true(appt_status_live(APPT_CONFIRMED));
    assert_true(appt_status_live(APPT_ARRIVED));
    assert_true(appt_status_live(APPT_IN_SERVICE));
    assert_false(appt_status_live(APPT_COMPLETED));
    assert_false(appt_status_live(APPT_NO_SHOW));
    assert_false(appt_status_live(APPT_CANCELLED));
}

/* A status that no longer holds its bay is final, and a live one can still move. */
static void test_booking_live_iff_not_final(void **state)
{
    (void)state;
    for (int f = 0; f < APPT_STATUS_COUNT; f++) {
        bool any = false;
        for (int t = 0; t < APPT_STATUS_COUNT; t++)
            any |= appt_transition_ok((enum appt_status)f, (enum appt_status)t);
        if (any != appt_status_live((enum appt_status)f))
            fail_msg("%s: live %d but %s", APPT_STATUS_NAMES[f],
                     appt_status_live((enum appt_status)f), any ? "can move" : "final");
    }
}

/* ---- booking_work_minutes ---- */

static void test_booking_work_minutes_rounds_up(void **state)
{
    (void)state;
    assert_minutes(25, 15);  /* 0.25 h */
    assert_minutes(1, 1);    /* 0.6 min */
    assert_minutes(150, 90); /* 1.5 h */
    assert_minutes(0, 0);
    assert_minutes(2, 2);    /* 1.2 min */
    assert_minutes(5, 3);    /* exactly 3 */
    assert_minutes(100, 60); /* exactly an hour */
    assert_minutes(101, 61); /* 60.6 */
    assert_minutes(133, 80); /* 79.8 */
    assert_minutes(134, 81); /* 80.4 */
    assert_minutes(10000, 6000);
}

/* ---- value sets against 009_appointments.sql ---- */

static void test_booking_status_names(void **state)
{
    (void)state;
    assert_string_equal(APPT_STATUS_NAMES[APPT_TENTATIVE], "tentative");
    assert_string_equal(APPT_STATUS_NAMES[APPT_CONFIRMED], "confirmed");
    assert_string_equal(APPT_STATUS_NAMES[APPT_ARRIVED], "arrived");
    assert_string_equal(APPT_STATUS_NAMES[APPT_IN_SERVICE], "in_service");
    assert_string_equal(APPT_STATUS_NAMES[APPT_COMPLETED], "completed");
    assert_string_equal(APPT_STATUS_NAMES[APPT_NO_SHOW], "no_show");
    assert_string_equal(APPT_STATUS_NAMES[APPT_CANCELLED], "cancelled");
    assert_string_equal(FLEXIBILITY_NAMES[FLEX_EXACT], "exact");
    assert_string_equal(FLEXIBILITY_NAMES[FLEX_DATE], "date");
    assert_string_equal(FLEXIBILITY_NAMES[FLEX_PERIOD], "period");
    assert_string_equal(SOURCE_NAMES[SOURCE_WALK_IN], "walk_in");
    assert_string_equal(BOOKING_FAILURE_NAMES[FAIL_NO_SUITABLE_SLOT], "no_suitable_slot");
    assert_string_equal(BOOKING_FAILURE_NAMES[FAIL_OTHER], "other");
    assert_string_equal(DEPARTMENT_NAMES[DEPT_CUSTOMER_SERVICE], "customer_service");
}

static void test_booking_names_well_formed(void **state)
{
    (void)state;
    assert_names_well_formed(BOOKING_CASE_NAMES, 4, "ABCD");
    assert_names_well_formed(APPT_STATUS_NAMES, APPT_STATUS_COUNT, LOWER);
    assert_names_well_formed(FLEXIBILITY_NAMES, FLEX_COUNT, LOWER);
    assert_names_well_formed(SOURCE_NAMES, SOURCE_COUNT, LOWER);
    assert_names_well_formed(SERVICE_NAMES, SERVICE_COUNT, LOWER);
    assert_names_well_formed(BOOKING_FAILURE_NAMES, FAIL_COUNT, LOWER);
    assert_names_well_formed(DEPARTMENT_NAMES, DEPT_COUNT, LOWER);
}

static void test_booking_cases_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("appointments", "case_code", BOOKING_CASE_NAMES, 4);
}

static void test_booking_statuses_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("appointments", "status", APPT_STATUS_NAMES, APPT_STATUS_COUNT);
}

static void test_booking_flexibility_matches_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("appointments", "flexibility", FLEXIBILITY_NAMES, FLEX_COUNT);
}

static void test_booking_sources_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("appointments", "source", SOURCE_NAMES, SOURCE_COUNT);
    assert_names_match_migration("booking_failures", "source", SOURCE_NAMES, SOURCE_COUNT);
}

static void test_booking_failures_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("booking_failures", "reason", BOOKING_FAILURE_NAMES, FAIL_COUNT);
}

static void test_booking_departments_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("board_confirmations", "department", DEPARTMENT_NAMES, DEPT_COUNT);
}

/* ---- the day of a booking for a date, the bounds of a period (IN-14, IN-15) ---- */

/* 0 accepted; otherwise the error's field and a piece of its message are checked. */
#define assert_refused(rc, err, want_field, want_text)                                             \
    assert_refused_at((rc), &(err), (want_field), (want_text), __LINE__)

static void assert_refused_at(int rc, const struct dms_error *err, const char *want_field,
                              const char *want_text, int line)
{
    if (rc != -1)
        fail_msg("line %d: accepted, want refused (%s)", line, want_text);
    if (strcmp(err->code, "invalid_field") != 0 || strcmp(err->field, want_field) != 0 ||
        !strstr(err->message, want_text))
        fail_msg("line %d: %s on %s (%s), want invalid_field on %s (... %s ...)", line, err->code,
                 err->field, err->message, want_field, want_text);
}

static dms_day ymd(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static void test_booking_day_not_in_the_past(void **state)
{
    (void)state;
    dms_day today = ymd(2026, 3, 2);
    struct dms_error err = {0};
    assert_int_equal(booking_check_day(today, today, 0, true, "start", &err), 0);
    assert_int_equal(booking_check_day(today + 1, today, 0, true, "start", &err), 0);
    assert_refused(booking_check_day(today - 1, today, 0, true, "start", &err), err, "start",
                   "2026-03-01 is in the past");
    /* The field is the caller's. */
    assert_refused(booking_check_day(today - 30, today, 0, true, "date", &err), err, "date",
                   "in the past");
}

/* IN-19: not before the day the last part arrives; that day itself is fine. */
static void test_booking_day_not_before_the_parts(void **state)
{
    (void)state;
    dms_day today = ymd(2026, 3, 2), parts = today + 5;
    struct dms_error err = {0};
    assert_refused(booking_check_day(today + 4, today, parts, true, "start", &err), err, "start",
                   "the parts arrive on 2026-03-07, after 2026-03-06");
    assert_int_equal(booking_check_day(parts, today, parts, true, "start", &err), 0);
    assert_int_equal(booking_check_day(parts + 1, today, parts, true, "start", &err), 0);
    /* Parts arriving today: today is fine. */
    assert_int_equal(booking_check_day(today, today, today, true, "start", &err), 0);
    /* A day past is past, whatever the parts. */
    assert_refused(booking_check_day(today - 1, today, parts, true, "start", &err), err, "start",
                   "in the past");
}

static void test_booking_day_store_open(void **state)
{
    (void)state;
    dms_day today = ymd(2026, 3, 2);
    struct dms_error err = {0};
    assert_refused(booking_check_day(today + 5, today, 0, false, "start", &err), err, "start",
                   "the store is closed on 2026-03-07");
    /* The past and the parts are told first. */
    assert_refused(booking_check_day(today - 1, today, 0, false, "start", &err), err, "start",
                   "in the past");
    assert_refused(booking_check_day(today + 1, today, today + 3, false, "start", &err), err,
                   "start", "the parts arrive");
}

/* IN-14: a period ends on or after it starts, its last day at most 62 days after the first. */
static void test_booking_period_bounds(void **state)
{
    (void)state;
    dms_day from = ymd(2026, 3, 2);
    struct dms_error err = {0};
    assert_int_equal(BOOKING_PERIOD_MAX_DAYS, 62);
    assert_int_equal(booking_check_period(from, from, &err), 0);
    assert_int_equal(booking_check_period(from, from + 62, &err), 0);
    assert_refused(booking_check_period(from, from + 63, &err), err, "period_to", "within 62 days");
    assert_refused(booking_check_period(from, from - 1, &err), err, "period_to",
                   "on or after it starts");
}

static void test_booking_period_not_in_the_past(void **state)
{
    (void)state;
    dms_day today = ymd(2026, 3, 2);
    struct dms_error err = {0};
    assert_int_equal(booking_check_period_start(today, today, &err), 0);
    assert_int_equal(booking_check_period_start(today + 20, today, &err), 0);
    assert_refused(booking_check_period_start(today - 1, today, &err), err, "period_from",
                   "the period starts in the past");
}

/* RO-9: a booking becomes a no-show once the store has closed plus the grace, the minute it
 * ends and not the one before; earlier days always, later days never. */
static void test_booking_no_show_due_at_closing_plus_grace(void **state)
{
    (void)state;
    dms_day today = date_from_ymd(2026, 12, 7);
    /* Closes 17:30 (1050), grace 30: from 18:00 (1080). */
    assert_false(booking_no_show_due(today, today, 1079, true, 1050, 30));
    assert_true(booking_no_show_due(today, today, 1080, true, 1050, 30));
    assert_false(booking_no_show_due(today, today, 1049, true, 1050, 0));
    assert_true(booking_no_show_due(today, today, 1050, true, 1050, 0));
    /* A day the store is closed: from midnight plus the grace. */
    assert_false(booking_no_show_due(today, today, 29, false, 1050, 30));
    assert_true(booking_no_show_due(today, today, 30, false, 1050, 30));
    /* Yesterday's (the server was down at closing): always; tomorrow's: never. */
    assert_true(booking_no_show_due(today - 1, today, 0, true, 1050, 720));
    assert_false(booking_no_show_due(today + 1, today, 1439, true, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_booking_no_show_due_at_closing_plus_grace),
        cmocka_unit_test(test_booking_case_a_maintenance_only),
        cmocka_unit_test(test_booking_case_b_repair_without_parts),
        cmocka_unit_test(test_booking_case_c_repair_parts_in_stock),
        cmocka_unit_test(test_booking_case_d_repair_parts_to_order),
        cmocka_unit_test(test_booking_case_names),
        cmocka_unit_test(test_booking_transition_full_matrix),
        cmocka_unit_test(test_booking_transition_never_to_itself),
        cmocka_unit_test(test_booking_transition_in_service_cannot_be_cancelled),
        cmocka_unit_test(test_booking_status_live),
        cmocka_unit_test(test_booking_live_iff_not_final),
        cmocka_unit_test(test_booking_work_minutes_rounds_up),
        cmocka_unit_test(test_booking_day_not_in_the_past),
        cmocka_unit_test(test_booking_day_not_before_the_parts),
        cmocka_unit_test(test_booking_day_store_open),
        cmocka_unit_test(test_booking_period_bounds),
        cmocka_unit_test(test_booking_period_not_in_the_past),
        cmocka_unit_test(test_booking_status_names),
        cmocka_unit_test(test_booking_names_well_formed),
        cmocka_unit_test(test_booking_cases_match_the_migration),
        cmocka_unit_test(test_booking_statuses_match_the_migration),
        cmocka_unit_test(test_booking_flexibility_matches_the_migration),
        cmocka_unit_test(test_booking_sources_match_the_migration),
        cmocka_unit_test(test_booking_failures_match_the_migration),
        cmocka_unit_test(test_booking_departments_match_the_migration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
