/* Unit tests for core/repair_order (RO-3..RO-8): the life cycle, the statement's sums, the
 * payments' checks, the number, the queue's order and the report's percentages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/repair_order.h"
#include "migration_names.h"

/* RO-5: every allowed move, and nothing else. */
static void test_repair_order_transitions(void **state)
{
    (void)state;
    static const char *const ok[] = {"open>in_progress",      "open>cancelled", "in_progress>qc",
                                     "in_progress>cancelled", "qc>ready",       "qc>in_progress",
                                     "qc>cancelled",          "ready>settled",  "ready>cancelled",
                                     "settled>delivered"};
    for (int f = 0; f < RO_STATUS_COUNT; f++)
        for (int t = 0; t < RO_STATUS_COUNT; t++) {
            char k[64];
            snprintf(k, sizeof k, "%s>%s", RO_STATUS_NAMES[f], RO_STATUS_NAMES[t]);
            bool want = false;
            for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
                want = want || strcmp(ok[i], k) == 0;
            if (ro_transition_ok((enum ro_status)f, (enum ro_status)t) != want)
                fail_msg("%s should be %s", k, want ? "allowed" : "refused");
        }
    /* A delivered or cancelled order is not edited; a settled one neither (money is in). */
    assert_true(ro_editable(RO_OPEN));
    assert_true(ro_editable(RO_READY));
    assert_false(ro_editable(RO_SETTLED));
    assert_false(ro_editable(RO_DELIVERED));
    assert_false(ro_editable(RO_CANCELLED));
}

/* RO-4, RO-7: declined and pending lines count nowhere; payers are summed apart. */
static void test_repair_order_totals_by_payer(void **state)
{
    (void)state;
    struct ro_amount l[] = {
        {RO_LINE_LABOUR, PAYER_CUSTOMER, DECISION_NONE, 8000},
        {RO_LINE_PART, PAYER_CUSTOMER, DECISION_NONE, 6500},
        {RO_LINE_LABOUR, PAYER_FREE, DECISION_NONE, 3000},
        {RO_LINE_PART, PAYER_WARRANTY, DECISION_APPROVED, 20000},
        {RO_LINE_LABOUR, PAYER_CUSTOMER, DECISION_DECLINED, 50000},
        {RO_LINE_PART, PAYER_CUSTOMER, DECISION_PENDING, 70000},
    };
    struct ro_totals t;
    ro_totals_of(l, 6, &t);
    assert_int_equal(t.labour_fen, 11000);
    assert_int_equal(t.parts_fen, 26500);
    assert_int_equal(t.by_payer[PAYER_CUSTOMER], 14500);
    assert_int_equal(t.by_payer[PAYER_FREE], 3000);
    assert_int_equal(t.by_payer[PAYER_WARRANTY], 20000);
    assert_int_equal(t.pending, 1);
    int64_t due;
    struct dms_error err = {0};
    assert_int_equal(ro_amount_due(&t, 500, &due, &err), 0);
    assert_int_equal(due, 14000);
    /* The whole customer subtotal may be waived; a cent more may not, nor a negative one. */
    assert_int_equal(ro_amount_due(&t, 14500, &due, &err), 0);
    assert_int_equal(due, 0);
    assert_int_equal(ro_amount_due(&t, 14501, &due, &err), -1);
    assert_string_equal(err.field, "discount_fen");
    assert_int_equal(ro_amount_due(&t, -1, &due, &err), -1);
}

/* RO-7: the payments add up to the amount due exactly; on account for companies only. */
static void test_repair_order_payments(void **state)
{
    (void)state;
    struct dms_error err = {0};
    struct ro_payment two[] = {{PAY_CASH, 10000}, {PAY_WECHAT, 4000}};
    assert_int_equal(ro_check_payments(two, 2, 14000, false, &err), 0);
    assert_int_equal(ro_check_payments(two, 2, 14001, false, &err), -1);
    assert_string_equal(err.code, "payments_mismatch");
    assert_int_equal(ro_check_payments(two, 2, 13999, false, &err), -1);
    assert_string_equal(err.code, "payments_mismatch");
    assert_int_equal(ro_check_payments(NULL, 0, 0, false, &err), 0);
    assert_int_equal(ro_check_payments(NULL, 0, 1, false, &err), -1);
    struct ro_payment acct[] = {{PAY_ON_ACCOUNT, 14000}};
    assert_int_equal(ro_check_payments(acct, 1, 14000, false, &err), -1);
    assert_string_equal(err.code, "invalid_field");
    assert_int_equal(ro_check_payments(acct, 1, 14000, true, &err), 0);
    struct ro_payment twice[] = {{PAY_ON_ACCOUNT, 7000}, {PAY_ON_ACCOUNT, 7000}};
    assert_int_equal(ro_check_payments(twice, 2, 14000, true, &err), -1);
    struct ro_payment zero[] = {{PAY_CASH, 0}, {PAY_CARD, 14000}};
    assert_int_equal(ro_check_payments(zero, 2, 14000, false, &err), -1);
    assert_string_equal(err.code, "invalid_field");
}

/* RO-3: R + yymmdd + the day's sequence. */
static void test_repair_order_number(void **state)
{
    (void)state;
    char n[16];
    ro_number_format(date_from_ymd(2026, 12, 7), 1, n);
    assert_string_equal(n, "R2612070001");
    ro_number_format(date_from_ymd(2030, 1, 31), 9999, n);
    assert_string_equal(n, "R3001319999");
}

/* RO-1, RO-2: booked cars first, whatever their arrival; then by arrival, then by id. */
static void test_repair_order_queue_booked_first(void **state)
{
    (void)state;
    struct ro_queued walk_early = {RO_SOURCE_WALK_IN, 100, 1};
    struct ro_queued booked_late = {RO_SOURCE_APPOINTMENT, 900, 2};
    struct ro_queued booked_early = {RO_SOURCE_APPOINTMENT, 500, 3};
    struct ro_queued walk_same = {RO_SOURCE_WALK_IN, 100, 4};
    assert_true(ro_queue_cmp(&booked_late, &walk_early) < 0);
    assert_true(ro_queue_cmp(&walk_early, &booked_late) > 0);
    assert_true(ro_queue_cmp(&booked_early, &booked_late) < 0);
    assert_true(ro_queue_cmp(&walk_early, &walk_same) < 0);
    assert_int_equal(ro_queue_cmp(&walk_same, &walk_same), 0);
}

/* RO-8: tenths of a percent, rounded half up; nothing to divide by is no figure. */
static void test_repair_order_pct(void **state)
{
    (void)state;
    assert_int_equal(ro_pct_tenths(3, 7), 429);
    assert_int_equal(ro_pct_tenths(1, 8), 125); /* 12.5 exactly */
    assert_int_equal(ro_pct_tenths(1, 16), 63); /* 6.25 -> 6.3 */
    assert_int_equal(ro_pct_tenths(0, 5), 0);
    assert_int_equal(ro_pct_tenths(5, 5), 1000);
    assert_int_equal(ro_pct_tenths(0, 0), -1);
}

/* RO-8: a walk-in waits from its arrival; a booked car that came early from its booked time;
 * a start before either is no wait. */
static void test_repair_order_wait_counts_from_the_booked_time(void **state)
{
    (void)state;
    int64_t nine = 9 * 3600, ten = 10 * 3600;
    assert_int_equal(ro_wait_min(nine, nine + 50 * 60, 0), 50);
    assert_int_equal(ro_wait_min(nine, ten + 20 * 60, ten), 20);   /* early by an hour */
    assert_int_equal(ro_wait_min(ten + 600, ten + 1800, ten), 20); /* late by ten minutes */
    assert_int_equal(ro_wait_min(nine, nine + 50 * 60, ten), 0);   /* started before the time */
    assert_int_equal(ro_wait_min(nine, nine + 59, 0), 0);          /* whole minutes */
    assert_int_equal(ro_default_kind(false), SERVICE_MAINTENANCE);
    assert_int_equal(ro_default_kind(true), SERVICE_REPAIR);
}

/* The value sets match the schema's CHECK lists. */
static void test_repair_order_names_match_schema(void **state)
{
    (void)state;
    assert_names_match_migration("repair_orders", "status", RO_STATUS_NAMES, RO_STATUS_COUNT);
    assert_names_match_migration("repair_orders", "source", RO_SOURCE_NAMES, RO_SOURCE_COUNT);
    assert_names_match_migration("repair_order_lines", "payer", PAYER_NAMES, PAYER_COUNT);
    assert_names_match_migration("repair_order_lines", "type", RO_LINE_TYPE_NAMES,
                                 RO_LINE_TYPE_COUNT);
    assert_names_match_migration("repair_order_lines", "decision", DECISION_NAMES + 1,
                                 DECISION_COUNT - 1);
    assert_names_match_migration("repair_order_lines", "stock", RO_STOCK_NAMES, 5);
    assert_names_match_migration("payments", "method", PAY_METHOD_NAMES, PAY_METHOD_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repair_order_transitions),
        cmocka_unit_test(test_repair_order_totals_by_payer),
        cmocka_unit_test(test_repair_order_payments),
        cmocka_unit_test(test_repair_order_number),
        cmocka_unit_test(test_repair_order_queue_booked_first),
        cmocka_unit_test(test_repair_order_pct),
        cmocka_unit_test(test_repair_order_wait_counts_from_the_booked_time),
        cmocka_unit_test(test_repair_order_names_match_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
