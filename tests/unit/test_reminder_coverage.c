/* Unit tests for core/reminder_coverage (MR-2, CS-2): which reminders count for a car's due
 * date, and what makes it an omission. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/reminder_coverage.h"
#include "core/tasks.h"

#define DUE 20000 /* any day */

static void test_reminder_coverage_nothing_is_an_omission(void **state)
{
    (void)state;
    struct coverage_of_car c = reminder_coverage_of(DUE, NULL, 0, 13, 11);
    assert_true(c.omitted);
    assert_false(c.messaged || c.suppressed || c.called);
}

/* A message counts within 13 days of the due date either way, a call within 11: day 13 in,
 * day 14 out; day 11 in, 12 out. */
static void test_reminder_coverage_window_boundaries(void **state)
{
    (void)state;
    struct coverage_reminder r = {.kind = COVERAGE_MESSAGE, .service_due = DUE - 13};
    assert_true(reminder_coverage_of(DUE, &r, 1, 13, 11).messaged);
    r.service_due = DUE + 13;
    assert_true(reminder_coverage_of(DUE, &r, 1, 13, 11).messaged);
    r.service_due = DUE - 14;
    assert_true(reminder_coverage_of(DUE, &r, 1, 13, 11).omitted);
    r.service_due = DUE + 14;
    assert_true(reminder_coverage_of(DUE, &r, 1, 13, 11).omitted);
    struct coverage_reminder call = {.kind = COVERAGE_CALL, .service_due = DUE + 11};
    assert_true(reminder_coverage_of(DUE, &call, 1, 13, 11).called);
    call.service_due = DUE - 12;
    assert_true(reminder_coverage_of(DUE, &call, 1, 13, 11).omitted);
}

/* Suppressed (no consent) is not an omission; a sent message makes it moot; reached and
 * booked come from the calls. */
static void test_reminder_coverage_suppressed_and_calls(void **state)
{
    (void)state;
    struct coverage_reminder r[3] = {
        {.kind = COVERAGE_MESSAGE, .service_due = DUE, .suppressed = true},
        {.kind = COVERAGE_CALL, .service_due = DUE, .reached = true},
        {.kind = COVERAGE_CALL, .service_due = DUE + 1, .booked = true},
    };
    struct coverage_of_car c = reminder_coverage_of(DUE, r, 1, 13, 11);
    assert_true(c.suppressed);
    assert_false(c.omitted || c.messaged);
    c = reminder_coverage_of(DUE, r, 3, 13, 11);
    assert_true(c.suppressed && c.called && c.reached && c.booked);
    struct coverage_reminder sent[2] = {
        {.kind = COVERAGE_MESSAGE, .service_due = DUE - 5, .suppressed = true},
        {.kind = COVERAGE_MESSAGE, .service_due = DUE},
    };
    c = reminder_coverage_of(DUE, sent, 2, 13, 11);
    assert_true(c.messaged);
    assert_false(c.suppressed);
}

static void test_reminder_coverage_through(void **state)
{
    (void)state;
    assert_int_equal(reminder_coverage_through(DUE, 13), DUE + 13);
}

/* MR-2's rule in core/tasks: covers at the gap's boundary; MR-4's call deadline. */
static void test_tasks_reminder_covers_and_call_deadline(void **state)
{
    (void)state;
    assert_true(tasks_reminder_covers(DUE, DUE, 13));
    assert_true(tasks_reminder_covers(DUE - 13, DUE, 13));
    assert_false(tasks_reminder_covers(DUE - 14, DUE, 13));
    assert_true(tasks_reminder_covers(DUE + 13, DUE, 13));
    assert_false(tasks_reminder_covers(DUE + 14, DUE, 13));
    /* 3 days on the list from day d ... */
    assert_int_equal(tasks_call_deadline(DUE - 11, DUE, 3), DUE - 9);
    /* ... never past the due date (a catch-up 1 day before it) ... */
    assert_int_equal(tasks_call_deadline(DUE - 1, DUE, 3), DUE);
    /* ... and never before the day itself (due today). */
    assert_int_equal(tasks_call_deadline(DUE, DUE, 3), DUE);
    assert_int_equal(tasks_call_deadline(DUE + 2, DUE, 3), DUE + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reminder_coverage_nothing_is_an_omission),
        cmocka_unit_test(test_reminder_coverage_window_boundaries),
        cmocka_unit_test(test_reminder_coverage_suppressed_and_calls),
        cmocka_unit_test(test_reminder_coverage_through),
        cmocka_unit_test(test_tasks_reminder_covers_and_call_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
