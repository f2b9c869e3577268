/* Unit tests for core/complaint (CS-6, CS-1): the life cycle, the deadlines from the store's
 * settings and the instants they pass (the second at the deadline is not late, the next one
 * is), what escalates, the number, and the names against the migration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/complaint.h"
#include "migration_names.h"

/* CS-6: every allowed move, and nothing else. */
static void test_complaint_transitions(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "open>acknowledged",    "acknowledged>in_progress", "acknowledged>resolved",
        "in_progress>resolved", "resolved>closed",          "resolved>reopened",
        "closed>reopened",      "reopened>in_progress",     "reopened>resolved"};
    for (int f = 0; f < CPL_STATUS_COUNT; f++)
        for (int t = 0; t < CPL_STATUS_COUNT; t++) {
            char k[64];
            snprintf(k, sizeof k, "%s>%s", CPL_STATUS_NAMES[f], CPL_STATUS_NAMES[t]);
            bool want = false;
            for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
                want = want || strcmp(ok[i], k) == 0;
            if (complaint_transition_ok((enum complaint_status)f, (enum complaint_status)t) != want)
                fail_msg("%s should be %s", k, want ? "allowed" : "refused");
        }
    /* Closing is only after a resolution (and asking the customer, checked by the store). */
    assert_false(complaint_transition_ok(CPL_OPEN, CPL_CLOSED));
    assert_false(complaint_transition_ok(CPL_IN_PROGRESS, CPL_CLOSED));
    assert_true(complaint_active(CPL_REOPENED));
    assert_true(complaint_active(CPL_RESOLVED));
    assert_false(complaint_active(CPL_CLOSED));
}

/* CS-6: acknowledged within complaint_ack_hours, resolved within complaint_resolve_days. */
static void test_complaint_deadlines(void **state)
{
    (void)state;
    int64_t received = 1796000000, ack, resolve;
    complaint_deadlines(received, 24, 7, &ack, &resolve);
    assert_int_equal(ack, received + 24 * 3600);
    assert_int_equal(resolve, received + 7 * 86400);
    complaint_deadlines(received, 1, 1, &ack, &resolve);
    assert_int_equal(ack, received + 3600);
    assert_int_equal(resolve, received + 86400);
    complaint_deadlines(received, 168, 90, &ack, &resolve);
    assert_int_equal(ack, received + 168 * 3600);
    assert_int_equal(resolve, received + 90LL * 86400);
}

/* CS-6: late at the second after the deadline, not at the deadline itself; acknowledging
 * ends the first lateness, resolving the second. */
static void test_complaint_overdue_boundaries(void **state)
{
    (void)state;
    int64_t ack = 1000, resolve = 5000;
    assert_false(complaint_ack_overdue(CPL_OPEN, ack, 999));
    assert_false(complaint_ack_overdue(CPL_OPEN, ack, 1000));
    assert_true(complaint_ack_overdue(CPL_OPEN, ack, 1001));
    assert_false(complaint_ack_overdue(CPL_ACKNOWLEDGED, ack, 1001));
    assert_false(complaint_ack_overdue(CPL_IN_PROGRESS, ack, 4000));
    assert_false(complaint_resolve_overdue(CPL_IN_PROGRESS, resolve, 5000));
    assert_true(complaint_resolve_overdue(CPL_IN_PROGRESS, resolve, 5001));
    assert_true(complaint_resolve_overdue(CPL_OPEN, resolve, 5001));
    assert_true(complaint_resolve_overdue(CPL_REOPENED, resolve, 5001));
    assert_false(complaint_resolve_overdue(CPL_RESOLVED, resolve, 9999));
    assert_false(complaint_resolve_overdue(CPL_CLOSED, resolve, 9999));
    assert_true(complaint_overdue(CPL_OPEN, ack, resolve, 1001));
    assert_false(complaint_overdue(CPL_ACKNOWLEDGED, ack, resolve, 5000));
    assert_true(complaint_overdue(CPL_ACKNOWLEDGED, ack, resolve, 5001));
}

/* CS-6: high and critical are serious (escalated when received); CS-1: satisfaction only on
 * a follow-up that reached the customer. */
static void test_complaint_serious_and_satisfaction(void **state)
{
    (void)state;
    assert_false(complaint_serious(CPL_LOW));
    assert_false(complaint_serious(CPL_NORMAL));
    assert_true(complaint_serious(CPL_HIGH));
    assert_true(complaint_serious(CPL_CRITICAL));
    assert_true(followup_satisfaction_allowed(true, true));
    assert_false(followup_satisfaction_allowed(true, false));
    assert_false(followup_satisfaction_allowed(false, true));
}

static void test_complaint_number(void **state)
{
    (void)state;
    char out[16];
    complaint_number_format(date_from_ymd(2026, 12, 8), 1, out);
    assert_string_equal(out, "C2612080001");
    complaint_number_format(date_from_ymd(2027, 1, 31), 9999, out);
    assert_string_equal(out, "C2701319999");
}

static void test_complaint_names_match_schema(void **state)
{
    (void)state;
    assert_names_match_migration("complaints", "status", CPL_STATUS_NAMES, CPL_STATUS_COUNT);
    assert_names_match_migration("complaints", "channel", CPL_CHANNEL_NAMES, CPL_CHANNEL_COUNT);
    assert_names_match_migration("complaints", "kind", CPL_KIND_NAMES, CPL_KIND_COUNT);
    assert_names_match_migration("complaints", "category", CPL_CATEGORY_NAMES, CPL_CATEGORY_COUNT);
    assert_names_match_migration("complaints", "severity", CPL_SEVERITY_NAMES, CPL_SEVERITY_COUNT);
    assert_names_match_migration("complaint_actions", "type", CPL_ACTION_NAMES, CPL_ACT_COUNT);
    assert_names_match_migration("complaint_escalations", "cause", CPL_CAUSE_NAMES,
                                 CPL_CAUSE_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complaint_transitions),
        cmocka_unit_test(test_complaint_deadlines),
        cmocka_unit_test(test_complaint_overdue_boundaries),
        cmocka_unit_test(test_complaint_serious_and_satisfaction),
        cmocka_unit_test(test_complaint_number),
        cmocka_unit_test(test_complaint_names_match_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
