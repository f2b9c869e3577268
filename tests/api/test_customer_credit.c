/* Credit analysis (CRM-3) against the real server, on both backends: the figures of a company
 * customer on hand-computed orders and statements (paid on time, paid late, part-paid and
 * overdue, open and not yet due), the grade and its reasons as the overdue statement ages,
 * the managers' list with its filters and totals, refusals and another store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "booking_fixtures.h"
#include "class_fixtures.h"
#include "harness.h"

#define CREDIT "/api/v1/reports/credit"

/* A statement of order: amount, paid, due on D + due_days, paid on D + paid_days (paid
 * in full when paid == amount). */
static void statement(int64_t store, int64_t customer, int64_t order, long long amount,
                      long long paid, int due_days, int paid_days)
{
    int full = paid == amount;
    sql(fmt("INSERT INTO receivables (store_id, order_id, customer_id, amount_fen, paid_fen, "
            "due_date, status, created_at, paid_at) VALUES (%lld, %lld, %lld, %lld, %lld, '%s', "
            "'%s', '%sT01:00:00Z', %s)",
            (long long)store, (long long)order, (long long)customer, amount, paid, dd(due_days),
            full ? "paid" : "open", dd(-90), full ? fmt("'%sT03:00:00Z'", dd(paid_days)) : "NULL"));
}

static json_t *credit_of(const char *token, int64_t id)
{
    json_t *c = customer_get(token, id);
    json_t *cr = json_incref(json_object_get(c, "credit"));
    json_decref(c);
    assert_non_null(cr);
    return cr;
}

static const char *reason(json_t *cr, size_t i)
{
    return json_string_value(json_array_get(json_object_get(cr, "reasons"), i));
}

/* CRM-3: a fleet's figures on hand-computed orders and statements. */
static void test_credit_figures_and_grade(void **state)
{
    (void)state;
    struct test_store st;
    D = test_today() + 1;
    store_new(&st);
    clock_day(0);
    const char *m = st.manager, *adv = store_user(&st, "advisor");
    int64_t store = store_id_of(&st);
    json_t *co =
        call("POST", "/api/v1/customers", m, "{\"name\":\"顺达物流\",\"type\":\"company\"}", 201);
    int64_t c = jint(co, "id");
    json_decref(co);
    int64_t v = new_vehicle(m, c);
    /* Four visits: D-60, D-50, D-45, D-15 (the last two orders the same car): 15 days apart
     * on average; spend 1,000 yuan. */
    int64_t o1 = order_sql(store, c, v, "delivered", -60, 10000, 1);
    int64_t o2 = order_sql(store, c, v, "delivered", -50, 20000, 1);
    int64_t o3 = order_sql(store, c, v, "delivered", -45, 30000, 1);
    int64_t o4 = order_sql(store, c, v, "settled", -15, 40000, 0);
    /* An open order is no visit. */
    order_sql(store, c, v, "open", -1, 99999, 0);
    statement(store, c, o1, 10000, 10000, -20, -25); /* paid on time */
    statement(store, c, o2, 20000, 20000, -40, -30); /* paid ten days late */
    statement(store, c, o3, 30000, 5000, -10, 0);    /* 250 yuan overdue since D-10 */
    statement(store, c, o4, 40000, 0, 10, 0);        /* open, not yet due */

    json_t *cr = credit_of(adv, c);
    assert_int_equal(jint(cr, "visits_12m"), 4);
    assert_int_equal(jint(cr, "spend_fen_12m"), 100000);
    assert_int_equal(jint(cr, "avg_days_between_visits"), 15);
    assert_int_equal(jint(cr, "statements"), 3);
    assert_int_equal(jint(cr, "paid_on_time"), 1);
    assert_int_equal(jint(cr, "on_time_pct"), 33);
    assert_int_equal(jint(cr, "outstanding_fen"), 65000);
    assert_int_equal(jint(cr, "overdue_fen"), 25000);
    assert_string_equal(jstr(cr, "overdue_since"), dd(-10));
    assert_int_equal(jint(cr, "open_complaints"), 0);
    assert_string_equal(jstr(cr, "grade"), "C");
    assert_string_equal(reason(cr, 0), "overdue");
    assert_string_equal(reason(cr, 1), "late_payer");
    json_decref(cr);

    /* The manager's list: the fleet with its figures, the totals; filters. */
    json_t *l = call("GET", CREDIT, m, NULL, 200);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *row = json_array_get(items, 0);
    assert_int_equal(jint(row, "customer_id"), c);
    assert_string_equal(jstr(row, "name"), "顺达物流");
    assert_string_equal(jstr(row, "type"), "company");
    assert_string_equal(jstr(row, "grade"), "C");
    assert_int_equal(jint(row, "overdue_fen"), 25000);
    assert_string_equal(jstr(row, "overdue_since"), dd(-10));
    json_t *tot = json_object_get(l, "totals");
    assert_int_equal(jint(tot, "customers"), 1);
    assert_int_equal(jint(tot, "outstanding_fen"), 65000);
    assert_int_equal(jint(tot, "overdue_fen"), 25000);
    json_decref(l);
    assert_int_equal(items_count(CREDIT "?overdue=true&type=company&grade=C", m), 1);
    assert_int_equal(items_count(CREDIT "?grade=A", m), 0);
    assert_int_equal(items_count(CREDIT "?type=individual", m), 0);

    /* The part-paid statement overdue by 61 days: D; by 60 days: still C. */
    sql(fmt("UPDATE receivables SET due_date = '%s' WHERE order_id = %lld", dd(-61),
            (long long)o3));
    cr = credit_of(m, c);
    assert_string_equal(jstr(cr, "grade"), "D");
    assert_string_equal(reason(cr, 0), "long_overdue");
    assert_string_equal(jstr(cr, "overdue_since"), dd(-61));
    json_decref(cr);
    sql(fmt("UPDATE receivables SET due_date = '%s' WHERE order_id = %lld", dd(-60),
            (long long)o3));
    cr = credit_of(m, c);
    assert_string_equal(jstr(cr, "grade"), "C");
    json_decref(cr);
    sql(fmt("UPDATE receivables SET due_date = '%s' WHERE order_id = %lld", dd(-10),
            (long long)o3));

    /* Paid up: the late statements still count. */
    sql(fmt("UPDATE receivables SET paid_fen = amount_fen, status = 'paid', paid_at = "
            "'%sT03:00:00Z' WHERE customer_id = %lld AND status = 'open'",
            dd(0), (long long)c));
    cr = credit_of(m, c);
    /* Judged 4: o1 on time, o2 late, o3 late (due D-10), o4 on time (due D+10). */
    assert_int_equal(jint(cr, "statements"), 4);
    assert_int_equal(jint(cr, "paid_on_time"), 2);
    assert_int_equal(jint(cr, "outstanding_fen"), 0);
    assert_string_equal(jstr(cr, "grade"), "B");
    assert_string_equal(reason(cr, 0), "some_late");
    assert_true(json_is_null(json_object_get(cr, "overdue_since")));
    json_decref(cr);
}

/* CRM-3: a customer with nothing: B for no visit, no figures where there is nothing to divide;
 * one good visit and no statement: A. */
static void test_credit_nothing_yet(void **state)
{
    (void)state;
    struct test_store st;
    D = test_today() + 1;
    store_new(&st);
    clock_day(0);
    const char *m = st.manager;
    int64_t c = new_customer(m, "新客户");
    json_t *cr = credit_of(m, c);
    assert_string_equal(jstr(cr, "grade"), "B");
    assert_string_equal(reason(cr, 0), "no_visits");
    assert_true(json_is_null(json_object_get(cr, "on_time_pct")));
    assert_true(json_is_null(json_object_get(cr, "avg_days_between_visits")));
    json_decref(cr);
    int64_t v = new_vehicle(m, c);
    record(m, v, -3, 1000, 12345);
    cr = credit_of(m, c);
    assert_string_equal(jstr(cr, "grade"), "A");
    assert_string_equal(reason(cr, 0), "good");
    assert_int_equal(jint(cr, "spend_fen_12m"), 12345);
    json_decref(cr);
    /* CRM-3, CS-6: an open complaint makes it B, with its reason; an enquiry does not. */
    json_t *q = call("POST", "/api/v1/complaints", m,
                     fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"enquiry\","
                         "\"category\":\"price\",\"text\":\"保养价格咨询\"}",
                         (long long)c),
                     201);
    json_decref(q);
    cr = credit_of(m, c);
    assert_int_equal(jint(cr, "open_complaints"), 0);
    assert_string_equal(jstr(cr, "grade"), "A");
    json_decref(cr);
    json_t *k = call("POST", "/api/v1/complaints", m,
                     fmt("{\"customer_id\":%lld,\"channel\":\"phone\",\"kind\":\"complaint\","
                         "\"category\":\"waiting_time\",\"text\":\"等太久\"}",
                         (long long)c),
                     201);
    json_decref(k);
    cr = credit_of(m, c);
    assert_int_equal(jint(cr, "open_complaints"), 1);
    assert_string_equal(jstr(cr, "grade"), "B");
    assert_string_equal(reason(cr, 0), "open_complaints");
    json_decref(cr);
}

/* CRM-3: the list is the managers'; bad filters are refused; another store sees nothing of
 * this one. */
static void test_credit_refusals_and_stores(void **state)
{
    (void)state;
    struct test_store st, other;
    D = test_today() + 1;
    store_new(&st);
    store_new(&other);
    clock_day(0);
    const char *m = st.manager;
    int64_t store = store_id_of(&st);
    int64_t c = new_customer(m, "欠款客户");
    int64_t v = new_vehicle(m, c);
    int64_t o = order_sql(store, c, v, "delivered", -30, 50000, 1);
    statement(store, c, o, 50000, 0, -5, 0);
    const char *roles[] = {"advisor", "caller", "workshop", "parts_manager", "warranty"};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        rejected("GET", CREDIT, store_user(&st, roles[i]), NULL, 403, "forbidden", NULL);
    /* The admin lists it with the name masked (PIPL), as in every customer view. */
    json_t *al = call("GET", CREDIT, store_user(&st, "admin"), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(al, "items")), 1);
    assert_string_not_equal(jstr(json_array_get(json_object_get(al, "items"), 0), "name"),
                            "欠款客户");
    json_decref(al);
    json_t *ml = call("GET", CREDIT, m, NULL, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(ml, "items"), 0), "name"), "欠款客户");
    json_decref(ml);
    rejected("GET", CREDIT "?grade=E", m, NULL, 400, "invalid_field", "grade");
    rejected("GET", CREDIT "?type=fleet", m, NULL, 400, "invalid_field", "type");
    rejected("GET", CREDIT "?overdue=yes", m, NULL, 400, "invalid_field", "overdue");
    rejected("GET", CREDIT "?limit=99999999999", m, NULL, 400, "invalid_field", NULL);
    assert_int_equal(items_count(CREDIT, other.manager), 0);
    json_t *l = call("GET", CREDIT, other.manager, NULL, 200);
    assert_int_equal(jint(json_object_get(l, "totals"), "overdue_fen"), 0);
    json_decref(l);
    rejected("GET", fmt("/api/v1/customers/%lld", (long long)c), other.manager, NULL, 404,
             "not_found", NULL);
}

/* CRM-3: the list pages by customer with totals of all. */
static void test_credit_list_pages(void **state)
{
    (void)state;
    struct test_store st;
    D = test_today() + 1;
    store_new(&st);
    clock_day(0);
    const char *m = st.manager;
    int64_t store = store_id_of(&st);
    for (int i = 0; i < 5; i++) {
        int64_t c = new_customer(m, "分页客户");
        int64_t v = new_vehicle(m, c);
        int64_t o = order_sql(store, c, v, "delivered", -30, 1000 * (i + 1), 1);
        statement(store, c, o, 1000 * (i + 1), 0, -5, 0);
    }
    int pages = 0;
    json_t *all = fetch_pages(CREDIT, m, 2, &pages);
    assert_int_equal(json_array_size(all), 5);
    assert_int_equal(pages, 3);
    json_decref(all);
    json_t *p = call("GET", CREDIT "?limit=2", m, NULL, 200);
    assert_int_equal(jint(json_object_get(p, "totals"), "overdue_fen"), 15000);
    assert_int_equal(jint(json_object_get(p, "totals"), "customers"), 5);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit_figures_and_grade),
        cmocka_unit_test(test_credit_nothing_yet),
        cmocka_unit_test(test_credit_refusals_and_stores),
        cmocka_unit_test(test_credit_list_pages),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
