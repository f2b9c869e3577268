/* Unit tests for core/tasks: which causes the generation for a day looks for (MR-3, MR-4,
 * CS-1..CS-4, CS-8), the second call's window (MR-6) and what each call outcome does to a
 * task. Expected dates are literals worked out by hand on a calendar. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/tasks.h"

/* ---- helpers ---- */

static dms_day day(const char *s)
{
    dms_day d = 0;
    struct dms_error err = {0};
    if (date_parse(s, &d, "date", &err) != 0)
        fail_msg("\"%s\" refused: %s", s, err.message);
    return d;
}

#define assert_day(got, want) assert_day_at((got), (want), #got)

static void assert_day_at(dms_day got, const char *want, const char *what)
{
    char out[DATE_STR];
    date_format(got, out);
    if (strcmp(out, want) != 0)
        fail_msg("%s is %s, want %s", what, out, want);
}

static struct task_day plan_default(const char *d)
{
    struct task_day td;
    memset(&td, 0xA5, sizeof td); /* every field must be written */
    tasks_plan_day(day(d), &TASK_SETTINGS_DEFAULT, &td);
    return td;
}

static void assert_effect(struct outcome_effect e, enum task_status status, int attempts,
                          bool reached, bool booked, bool second_call)
{
    if (e.status != status)
        fail_msg("status %s, want %s", TASK_STATUS_NAMES[e.status], TASK_STATUS_NAMES[status]);
    assert_int_equal(e.attempts, attempts);
    assert_int_equal(e.reached, reached);
    assert_int_equal(e.booked, booked);
    assert_int_equal(e.second_call, second_call);
}

/* ---- settings ---- */

static void test_tasks_default_settings(void **state)
{
    (void)state;
    const struct task_settings *s = &TASK_SETTINGS_DEFAULT;
    assert_int_equal(s->message_days, 13); /* MR-3 */
    assert_int_equal(s->call_days, 11);    /* MR-4 */
    assert_int_equal(s->call_window_days, 3);
    assert_int_equal(s->followup_days, 3); /* CS-1: days 3..7 */
    assert_int_equal(s->followup_window_days, 5);
    assert_int_equal(s->month_deadline_day, 15); /* CS-2..CS-4 */
    assert_int_equal(s->lost_months, 3);         /* CS-4 */
    assert_int_equal(s->renewal_days, 30);       /* CS-8 */
    assert_int_equal(s->max_attempts, 3);
}

/* ---- the day's plan: reminders (MR-3, MR-4) ---- */

/* MR-3: the message goes to vehicles due on D+13, not D+12 nor D+14 (across Feb's end). */
static void test_tasks_message_day_13_not_12_or_14(void **state)
{
    (void)state;
    struct task_day td = plan_default("2026-02-20");
    assert_day(td.day, "2026-02-20");
    assert_day(td.message_service_due, "2026-03-05");
    assert_int_not_equal(td.message_service_due, day("2026-03-04"));
    assert_int_not_equal(td.message_service_due, day("2026-03-06"));
}

/* MR-4: the call goes to vehicles due on D+11 and stays on the list until D+2. */
static void test_tasks_call_day_11_deadline_day_2(void **state)
{
    (void)state;
    struct task_day td = plan_default("2026-02-20");
    assert_day(td.call_service_due, "2026-03-03");
    assert_int_not_equal(td.call_service_due, day("2026-03-02"));
    assert_int_not_equal(td.call_service_due, day("2026-03-04"));
    assert_day(td.call_deadline, "2026-02-22");
}

/* MR-4: the call's deadline is never after the service due date itself. */
static void test_tasks_call_deadline_never_after_service_due(void **state)
{
    (void)state;
    struct task_settings s = TASK_SETTINGS_DEFAULT;
    struct task_day td;
    s.call_window_days = 12; /* D..D+11: ends exactly on the due date */
    tasks_plan_day(day("2026-02-20"), &s, &td);
    assert_day(td.call_deadline, "2026-03-03");
    s.call_window_days = 13; /* would be D+12: clamped */
    tasks_plan_day(day("2026-02-20"), &s, &td);
    assert_day(td.call_deadline, "2026-03-03");
    s.call_window_days = 30;
    tasks_plan_day(day("2026-02-20"), &s, &td);
    assert_day(td.call_deadline, "2026-03-03");
    s.call_window_days = 1; /* the day itself only */
    tasks_plan_day(day("2026-02-20"), &s, &td);
    assert_day(td.call_deadline, "2026-02-20");
}

/* ---- follow-up (CS-1) ---- */

/* CS-1: repairs completed on D-3 are called on days 3..7, i.e. D..D+4. */
static void test_tasks_followup_days_3_to_7(void **state)
{
    (void)state;
    struct task_day td = plan_default("2026-03-02");
    assert_day(td.followup_service_done, "2026-02-27");
    assert_day(td.followup_deadline, "2026-03-06");
    td = plan_default("2028-03-02"); /* leap year: 3 days back is Feb 28 */
    assert_day(td.followup_service_done, "2028-02-28");
    assert_day(td.followup_deadline, "2028-03-06");
}

/* ---- month start (CS-2..CS-4) ---- */

static void test_tasks_month_start_only_on_the_1st(void **state)
{
    (void)state;
    assert_false(plan_default("2026-02-28").month_start);
    assert_true(plan_default("2026-03-01").month_start);
    assert_false(plan_default("2026-03-02").month_start);
    assert_true(plan_default("2026-01-01").month_start);
    assert_false(plan_default("2025-12-31").month_start);
}

/* CS-3: the cars bought in the previous month, inclusive, incl. Feb 29 and Dec of last year. */
static void test_tasks_new_cars_previous_month(void **state)
{
    (void)state;
    struct task_day td = plan_default("2028-03-01");
    assert_day(td.new_cars_from, "2028-02-01");
    assert_day(td.new_cars_to, "2028-02-29");
    td = plan_default("2026-03-01");
    assert_day(td.new_cars_from, "2026-02-01");
    assert_day(td.new_cars_to, "2026-02-28");
    td = plan_default("2026-01-01");
    assert_day(td.new_cars_from, "2025-12-01");
    assert_day(td.new_cars_to, "2025-12-31");
    td = plan_default("2026-05-01");
    assert_day(td.new_cars_from, "2026-04-01");
    assert_day(td.new_cars_to, "2026-04-30");
}

/* CS-2..CS-4: the month's lists are due by the 15th, but never before the day itself. */
static void test_tasks_month_deadline_15th_never_before_day(void **state)
{
    (void)state;
    assert_day(plan_default("2026-03-01").month_deadline, "2026-03-15");
    assert_day(plan_default("2026-03-14").month_deadline, "2026-03-15");
    assert_day(plan_default("2026-03-15").month_deadline, "2026-03-15");
    assert_day(plan_default("2026-03-16").month_deadline, "2026-03-16");
    assert_day(plan_default("2026-03-31").month_deadline, "2026-03-31");
    assert_day(plan_default("2027-01-01").month_deadline, "2027-01-15");
}

/* CS-4: lapsed on or before D - 3 months, with month-end clamping, on any day. */
static void test_tasks_lost_cutoff_month_end(void **state)
{
    (void)state;
    assert_day(plan_default("2026-05-31").lost_cutoff, "2026-02-28");
    assert_day(plan_default("2028-05-31").lost_cutoff, "2028-02-29");
    assert_day(plan_default("2026-07-31").lost_cutoff, "2026-04-30");
    assert_day(plan_default("2026-01-01").lost_cutoff, "2025-10-01");
    assert_day(plan_default("2026-03-01").lost_cutoff, "2025-12-01");
    assert_day(plan_default("2026-02-20").lost_cutoff, "2025-11-20");
}

/* ---- renewals (CS-8) ---- */

static void test_tasks_renewal_expiry_30_days(void **state)
{
    (void)state;
    assert_day(plan_default("2026-02-20").renewal_expiry, "2026-03-22");
    assert_day(plan_default("2028-02-01").renewal_expiry, "2028-03-02");
    assert_day(plan_default("2026-12-30").renewal_expiry, "2027-01-29");
}

/* ---- year boundary and settings ---- */

/* MR-3, MR-4, CS-1: every window crosses into the next year correctly. */
static void test_tasks_plan_day_year_boundary(void **state)
{
    (void)state;
    struct task_day td = plan_default("2026-12-30");
    assert_day(td.message_service_due, "2027-01-12");
    assert_day(td.call_service_due, "2027-01-10");
    assert_day(td.call_deadline, "2027-01-01");
    assert_day(td.followup_service_done, "2026-12-27");
    assert_day(td.followup_deadline, "2027-01-03");
    assert_false(td.month_start);
    assert_day(td.month_deadline, "2026-12-30");
    assert_day(td.lost_cutoff, "2026-09-30");

    td = plan_default("2027-01-01");
    assert_day(td.followup_service_done, "2026-12-29");
    assert_day(td.followup_deadline, "2027-01-05");
}

/* The store's own numbers are used, not the defaults. */
static void test_tasks_plan_day_uses_store_settings(void **state)
{
    (void)state;
    struct task_settings s = {
        .message_days = 7,
        .call_days = 5,
        .call_window_days = 2,
        .followup_days = 7,
        .followup_window_days = 3,
        .month_deadline_day = 10,
        .lost_months = 6,
        .renewal_days = 14,
        .max_attempts = 5,
    };
    struct task_day td;
    tasks_plan_day(day("2026-08-31"), &s, &td);
    assert_day(td.message_service_due, "2026-09-07");
    assert_day(td.call_service_due, "2026-09-05");
    assert_day(td.call_deadline, "2026-09-01");
    assert_day(td.followup_service_done, "2026-08-24");
    assert_day(td.followup_deadline, "2026-09-02");
    assert_day(td.month_deadline, "2026-08-31");
    assert_day(td.lost_cutoff, "2026-02-28");
    assert_day(td.renewal_expiry, "2026-09-14");
    tasks_plan_day(day("2026-09-01"), &s, &td);
    assert_day(td.month_deadline, "2026-09-10");
    assert_day(td.new_cars_from, "2026-08-01");
    assert_day(td.new_cars_to, "2026-08-31");
}

/* ---- second call (MR-6) ---- */

/* MR-6: on the list from tomorrow until service due - lead days, never before tomorrow. */
static void test_tasks_second_call_deadline_not_before_tomorrow(void **state)
{
    (void)state;
    dms_day due = 0, deadline = 0;
    tasks_second_call(day("2026-03-01"), day("2026-03-12"), 10, &due, &deadline);
    assert_day(due, "2026-03-02");
    assert_day(deadline, "2026-03-02"); /* exactly tomorrow */
    tasks_second_call(day("2026-03-01"), day("2026-03-12"), 11, &due, &deadline);
    assert_day(due, "2026-03-02");
    assert_day(deadline, "2026-03-02"); /* would be today: clamped */
    tasks_second_call(day("2026-03-01"), day("2026-03-12"), 30, &due, &deadline);
    assert_day(deadline, "2026-03-02");
    tasks_second_call(day("2026-03-01"), day("2026-03-12"), 9, &due, &deadline);
    assert_day(deadline, "2026-03-03");
}

static void test_tasks_second_call_lead_time(void **state)
{
    (void)state;
    dms_day due = 0, deadline = 0;
    tasks_second_call(day("2026-03-01"), day("2026-03-12"), 5, &due, &deadline);
    assert_day(due, "2026-03-02");
    assert_day(deadline, "2026-03-07");
    tasks_second_call(day("2026-12-31"), day("2027-01-10"), 3, &due, &deadline);
    assert_day(due, "2027-01-01");
    assert_day(deadline, "2027-01-07");
    tasks_second_call(day("2028-02-28"), day("2028-03-10"), 10, &due, &deadline);
    assert_day(due, "2028-02-29");
    assert_day(deadline, "2028-02-29");
}

/* ---- outcomes ---- */

/* No answer and busy re-queue until the max_attempts-th try, which expires the task. */
static void test_tasks_outcome_no_answer_expires_at_max(void **state)
{
    (void)state;
    enum task_type t = TASK_MAINTENANCE_CALL;
    assert_effect(tasks_apply_outcome(t, 0, 3, OUTCOME_NO_ANSWER), TASK_OPEN, 1, false, false,
                  false);
    assert_effect(tasks_apply_outcome(t, 1, 3, OUTCOME_NO_ANSWER), TASK_OPEN, 2, false, false,
                  false);
    assert_effect(tasks_apply_outcome(t, 2, 3, OUTCOME_NO_ANSWER), TASK_EXPIRED, 3, false, false,
                  false);
    assert_effect(tasks_apply_outcome(t, 0, 1, OUTCOME_NO_ANSWER), TASK_EXPIRED, 1, false, false,
                  false);
    assert_effect(tasks_apply_outcome(TASK_FOLLOWUP, 3, 5, OUTCOME_NO_ANSWER), TASK_OPEN, 4, false,
                  false, false);
}

static void test_tasks_outcome_busy_counts_like_no_answer(void **state)
{
    (void)state;
    enum task_type t = TASK_LOST_CUSTOMER;
    assert_effect(tasks_apply_outcome(t, 0, 3, OUTCOME_BUSY), TASK_OPEN, 1, false, false, false);
    assert_effect(tasks_apply_outcome(t, 1, 3, OUTCOME_BUSY), TASK_OPEN, 2, false, false, false);
    assert_effect(tasks_apply_outcome(t, 2, 3, OUTCOME_BUSY), TASK_EXPIRED, 3, false, false, false);
}

/* The customer answered and asked to be called later: still open, the try not counted. */
static void test_tasks_outcome_call_back_later_keeps_open(void **state)
{
    (void)state;
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 0, 3, OUTCOME_CALL_BACK_LATER),
                  TASK_OPEN, 0, true, false, false);
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 2, 3, OUTCOME_CALL_BACK_LATER),
                  TASK_OPEN, 2, true, false, false);
}

/* MR-5: a booking closes the task. */
static void test_tasks_outcome_booked_is_done(void **state)
{
    (void)state;
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 1, 3, OUTCOME_BOOKED), TASK_DONE, 1,
                  true, true, false);
    assert_effect(tasks_apply_outcome(TASK_SECOND_CALL, 0, 3, OUTCOME_BOOKED), TASK_DONE, 0, true,
                  true, false);
}

/* MR-6: only an undecided first reminder call asks for a second call. */
static void test_tasks_outcome_undecided_second_call_only_after_first(void **state)
{
    (void)state;
    for (int t = 0; t < TASK_TYPE_COUNT; t++) {
        struct outcome_effect e = tasks_apply_outcome((enum task_type)t, 0, 3, OUTCOME_UNDECIDED);
        bool want = t == TASK_MAINTENANCE_CALL;
        if (e.second_call != want)
            fail_msg("%s undecided: second_call %d, want %d", TASK_TYPE_NAMES[t], e.second_call,
                     want);
        assert_effect(e, TASK_DONE, 0, true, false, want);
    }
}

/* MR-6: a customer who clearly declined gets no second call. */
static void test_tasks_outcome_declined_no_second_call(void **state)
{
    (void)state;
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 0, 3, OUTCOME_DECLINED), TASK_DONE, 0,
                  true, false, false);
    assert_effect(tasks_apply_outcome(TASK_FOLLOWUP, 2, 3, OUTCOME_DECLINED), TASK_DONE, 2, true,
                  false, false);
}

static void test_tasks_outcome_wrong_number_not_reached(void **state)
{
    (void)state;
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 0, 3, OUTCOME_WRONG_NUMBER), TASK_DONE,
                  0, false, false, false);
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 2, 3, OUTCOME_WRONG_NUMBER), TASK_DONE,
                  2, false, false, false);
}

static void test_tasks_outcome_reached_is_done(void **state)
{
    (void)state;
    assert_effect(tasks_apply_outcome(TASK_FOLLOWUP, 0, 3, OUTCOME_REACHED), TASK_DONE, 0, true,
                  false, false);
    assert_effect(tasks_apply_outcome(TASK_MAINTENANCE_CALL, 0, 3, OUTCOME_REACHED), TASK_DONE, 0,
                  true, false, false);
}

/* ---- types and names ---- */

static void test_tasks_names_complete_and_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < TASK_TYPE_COUNT; i++) {
        assert_non_null(TASK_TYPE_NAMES[i]);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(TASK_TYPE_NAMES[i], TASK_TYPE_NAMES[j]);
    }
    for (int i = 0; i < TASK_STATUS_COUNT; i++)
        assert_non_null(TASK_STATUS_NAMES[i]);
    for (int i = 0; i < OUTCOME_COUNT; i++)
        assert_non_null(OUTCOME_NAMES[i]);
    assert_string_equal(TASK_TYPE_NAMES[TASK_MAINTENANCE_CALL], "maintenance_call");
    assert_string_equal(TASK_STATUS_NAMES[TASK_EXPIRED], "expired");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_NO_ANSWER], "no_answer");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_BUSY], "busy");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_CALL_BACK_LATER], "call_back_later");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_BOOKED], "booked");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_UNDECIDED], "undecided");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_DECLINED], "declined");
    assert_string_equal(OUTCOME_NAMES[OUTCOME_WRONG_NUMBER], "wrong_number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tasks_default_settings),
        cmocka_unit_test(test_tasks_message_day_13_not_12_or_14),
        cmocka_unit_test(test_tasks_call_day_11_deadline_day_2),
        cmocka_unit_test(test_tasks_call_deadline_never_after_service_due),
        cmocka_unit_test(test_tasks_followup_days_3_to_7),
        cmocka_unit_test(test_tasks_month_start_only_on_the_1st),
        cmocka_unit_test(test_tasks_new_cars_previous_month),
        cmocka_unit_test(test_tasks_month_deadline_15th_never_before_day),
        cmocka_unit_test(test_tasks_lost_cutoff_month_end),
        cmocka_unit_test(test_tasks_renewal_expiry_30_days),
        cmocka_unit_test(test_tasks_plan_day_year_boundary),
        cmocka_unit_test(test_tasks_plan_day_uses_store_settings),
        cmocka_unit_test(test_tasks_second_call_deadline_not_before_tomorrow),
        cmocka_unit_test(test_tasks_second_call_lead_time),
        cmocka_unit_test(test_tasks_outcome_no_answer_expires_at_max),
        cmocka_unit_test(test_tasks_outcome_busy_counts_like_no_answer),
        cmocka_unit_test(test_tasks_outcome_call_back_later_keeps_open),
        cmocka_unit_test(test_tasks_outcome_booked_is_done),
        cmocka_unit_test(test_tasks_outcome_undecided_second_call_only_after_first),
        cmocka_unit_test(test_tasks_outcome_declined_no_second_call),
        cmocka_unit_test(test_tasks_outcome_wrong_number_not_reached),
        cmocka_unit_test(test_tasks_outcome_reached_is_done),
        cmocka_unit_test(test_tasks_names_complete_and_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
