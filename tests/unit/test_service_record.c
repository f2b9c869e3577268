/* Unit tests for core/service_record (IN-7, IN-10): a repair order's total is labour plus
 * parts, each parts line is qty x unit price, and no line or sum may pass MONEY_MAX_FEN. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/money.h"
#include "core/service_record.h"
#include "core/text.h"

#include "migration_names.h"

#define MAX MONEY_MAX_FEN

/* ---- helpers ---- */

static struct labour_line labour(int64_t amount_fen)
{
    struct labour_line l;
    memset(&l, 0, sizeof l);
    l.hours_x100 = 100;
    l.amount_fen = amount_fen;
    return l;
}

static struct parts_line part(int64_t qty, int64_t unit_price_fen)
{
    struct parts_line p;
    memset(&p, 0, sizeof p);
    p.qty = qty;
    p.unit_price_fen = unit_price_fen;
    p.amount_fen = -777; /* must be overwritten */
    return p;
}

static void assert_refused(const struct labour_line *l, size_t nl, struct parts_line *p, size_t np,
                           const char *field)
{
    struct service_totals t = {-1, -1, -1};
    struct dms_error err = {0};
    assert_int_equal(service_record_totals(l, nl, p, np, &t, &err), -1);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, field);
    /* Nothing half-computed reaches the caller. */
    assert_int_equal(t.labour_fen, -1);
    assert_int_equal(t.parts_fen, -1);
    assert_int_equal(t.total_fen, -1);
}

/* ---- totals ---- */

static void test_service_record_totals_at_max(void **state)
{
    (void)state;
    struct labour_line l[1] = {labour(MAX - 1)};
    struct parts_line p[1] = {part(1, 1)};
    struct service_totals t;
    assert_int_equal(service_record_totals(l, 1, p, 1, &t, NULL), 0);
    assert_int_equal(t.labour_fen, MAX - 1);
    assert_int_equal(t.parts_fen, 1);
    assert_int_equal(t.total_fen, MAX);

    p[0] = part(1, 2);
    assert_refused(l, 1, p, 1, "parts");
}

static void test_service_record_totals_labour_plus_parts(void **state)
{
    (void)state;
    /* IN-7: an oil and filter change quoted as one total; 4 L of oil, 1 filter. */
    struct labour_line l[2] = {labour(8000), labour(2550)};
    struct parts_line p[2] = {part(4, 6800), part(1, 4500)};
    struct service_totals t = {0};
    struct dms_error err = {0};
    assert_int_equal(service_record_totals(l, 2, p, 2, &t, &err), 0);
    assert_int_equal(p[0].amount_fen, 27200);
    assert_int_equal(p[1].amount_fen, 4500);
    assert_int_equal(t.labour_fen, 10550);
    assert_int_equal(t.parts_fen, 31700);
    assert_int_equal(t.total_fen, 42250);
}

static void test_service_record_totals_empty(void **state)
{
    (void)state;
    struct service_totals t = {-1, -1, -1};
    assert_int_equal(service_record_totals(NULL, 0, NULL, 0, &t, NULL), 0);
    assert_int_equal(t.labour_fen, 0);
    assert_int_equal(t.parts_fen, 0);
    assert_int_equal(t.total_fen, 0);
}

static void test_service_record_totals_labour_only_and_parts_only(void **state)
{
    (void)state;
    struct labour_line l[1] = {labour(12345)};
    struct parts_line p[1] = {part(3, 333)};
    struct service_totals t;
    assert_int_equal(service_record_totals(l, 1, NULL, 0, &t, NULL), 0);
    assert_int_equal(t.total_fen, 12345);
    assert_int_equal(t.parts_fen, 0);
    assert_int_equal(service_record_totals(NULL, 0, p, 1, &t, NULL), 0);
    assert_int_equal(t.total_fen, 999);
    assert_int_equal(t.labour_fen, 0);
    assert_int_equal(p[0].amount_fen, 999);
}

static void test_service_record_amount_written_per_line(void **state)
{
    (void)state;
    struct parts_line p[SERVICE_MAX_LINES];
    int64_t want = 0;
    for (size_t i = 0; i < SERVICE_MAX_LINES; i++) {
        p[i] = part((int64_t)i + 1, (int64_t)i * 100 + 1);
        want += ((int64_t)i + 1) * ((int64_t)i * 100 + 1);
    }
    p[7] = part(0, 5000); /* zero quantity: amount 0, not left as it was */
    want -= 8 * 701;
    struct service_totals t;
    assert_int_equal(service_record_totals(NULL, 0, p, SERVICE_MAX_LINES, &t, NULL), 0);
    for (size_t i = 0; i < SERVICE_MAX_LINES; i++) {
        int64_t line = i == 7 ? 0 : ((int64_t)i + 1) * ((int64_t)i * 100 + 1);
        assert_int_equal(p[i].amount_fen, line);
    }
    assert_int_equal(t.parts_fen, want);
    assert_int_equal(t.total_fen, want);
}

static void test_service_record_totals_at_line_limits(void **state)
{
    (void)state;
    /* The largest line the API accepts: SERVICE_MAX_QTY x 1,000,000 yuan. */
    struct parts_line p[1] = {part(SERVICE_MAX_QTY, MAX / SERVICE_MAX_QTY)};
    struct service_totals t;
    assert_int_equal(service_record_totals(NULL, 0, p, 1, &t, NULL), 0);
    assert_int_equal(p[0].amount_fen, MAX);
    p[0] = part(SERVICE_MAX_QTY, MAX / SERVICE_MAX_QTY + 1);
    assert_refused(NULL, 0, p, 1, "parts");
}

/* ---- overflow ---- */

static void test_service_record_parts_line_overflow(void **state)
{
    (void)state;
    struct parts_line p[2] = {part(1, 100), part(2, MAX / 2 + 1)};
    assert_refused(NULL, 0, p, 2, "parts");
    p[1] = part(INT64_MAX, INT64_MAX);
    assert_refused(NULL, 0, p, 2, "parts");
    p[1] = part(INT64_C(1) << 32, INT64_C(1) << 32); /* wraps to 0 in 64 bits */
    assert_refused(NULL, 0, p, 2, "parts");
}

static void test_service_record_parts_sum_overflow(void **state)
{
    (void)state;
    struct parts_line p[2] = {part(1, MAX / 2), part(1, MAX / 2)};
    struct service_totals t;
    assert_int_equal(service_record_totals(NULL, 0, p, 2, &t, NULL), 0);
    assert_int_equal(t.total_fen, MAX);
    p[1] = part(1, MAX / 2 + 1);
    assert_refused(NULL, 0, p, 2, "parts");
}

static void test_service_record_labour_sum_overflow(void **state)
{
    (void)state;
    struct labour_line l[3] = {labour(MAX - 2), labour(1), labour(1)};
    struct service_totals t;
    assert_int_equal(service_record_totals(l, 3, NULL, 0, &t, NULL), 0);
    assert_int_equal(t.labour_fen, MAX);
    l[2] = labour(2);
    assert_refused(l, 3, NULL, 0, "labour");
    struct labour_line big[1] = {labour(INT64_MAX)};
    assert_refused(big, 1, NULL, 0, "labour");
}

static void test_service_record_grand_total_overflow(void **state)
{
    (void)state;
    /* Each sum fits on its own; together they do not. */
    struct labour_line l[1] = {labour(MAX)};
    struct parts_line p[1] = {part(1, 1)};
    struct dms_error err = {0};
    struct service_totals t = {-1, -1, -1};
    assert_int_equal(service_record_totals(l, 1, p, 1, &t, &err), -1);
    assert_string_equal(err.code, "invalid_field");
    assert_int_equal(t.total_fen, -1);
}

static void test_service_record_refuses_negative_amounts(void **state)
{
    (void)state;
    struct labour_line l[1] = {labour(-1)};
    assert_refused(l, 1, NULL, 0, "labour");
    struct parts_line p[1] = {part(-1, 100)};
    assert_refused(NULL, 0, p, 1, "parts");
    p[0] = part(2, -100);
    assert_refused(NULL, 0, p, 1, "parts");
    p[0] = part(-2, -100); /* the product would be positive */
    assert_refused(NULL, 0, p, 1, "parts");
}

/* ---- kinds ---- */

static void test_service_record_kind_names(void **state)
{
    (void)state;
    for (int i = 0; i < SERVICE_KIND_COUNT; i++)
        assert_int_equal(enum_index(SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, SERVICE_KIND_NAMES[i]),
                         i);
    assert_int_equal(enum_index(SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, "warranty"),
                     SERVICE_WARRANTY);
    assert_int_equal(enum_index(SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, "recall"), SERVICE_RECALL);
    assert_names_match_migration("service_records", "kind", SERVICE_KIND_NAMES, SERVICE_KIND_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_record_totals_at_max),
        cmocka_unit_test(test_service_record_totals_labour_plus_parts),
        cmocka_unit_test(test_service_record_totals_empty),
        cmocka_unit_test(test_service_record_totals_labour_only_and_parts_only),
        cmocka_unit_test(test_service_record_amount_written_per_line),
        cmocka_unit_test(test_service_record_totals_at_line_limits),
        cmocka_unit_test(test_service_record_parts_line_overflow),
        cmocka_unit_test(test_service_record_parts_sum_overflow),
        cmocka_unit_test(test_service_record_labour_sum_overflow),
        cmocka_unit_test(test_service_record_grand_total_overflow),
        cmocka_unit_test(test_service_record_refuses_negative_amounts),
        cmocka_unit_test(test_service_record_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
