/* Automatic classes (CRM-2) against the real server, on both backends: the rules at their
 * thresholds on hand-made records and orders with the settable clock (spend at the threshold
 * and a fen below, visits and a second record on one day, the lost boundary, the day the
 * overdue count passes, an order and its record counted once); a locked class left alone; a
 * lost customer's return visit; GET /tasks?classification=; two concurrent passes; refusals
 * and another store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "booking_fixtures.h"
#include "class_fixtures.h"
#include "core/date.h"
#include "harness.h"

#define CLASSIFY "/api/v1/customers/classify"

static const char *THRESHOLDS = "{\"class_vip_spend_fen\":100000,\"class_vip_visits\":3,"
                                "\"class_at_risk_days\":30,\"class_lost_months\":12}";

static void setup(struct test_store *st)
{
    D = test_today() + 1;
    store_new(st);
    clock_day(0);
    set_settings(st->manager, THRESHOLDS);
}

/* A customer with one car; *v gets the car. */
static int64_t customer_with_car(const char *token, const char *name, int64_t *v)
{
    int64_t c = new_customer(token, name);
    *v = new_vehicle(token, c);
    return c;
}

static json_t *classify(const char *token, const char *body)
{
    return call("POST", CLASSIFY, token, body ? body : "{}", 200);
}

/* No car of the store is due, so only the cars a test sets are overdue. */
static void no_due_dates(int64_t store)
{
    sql(fmt("UPDATE vehicles SET next_due_date = NULL WHERE store_id = %lld", (long long)store));
}

static void due_on(int64_t v, int days)
{
    sql(fmt("UPDATE vehicles SET next_due_date = '%s' WHERE id = %lld", dd(days), (long long)v));
}

static const char *reason_of(const char *token, int64_t id)
{
    json_t *c = customer_get(token, id);
    const char *s = keep(jstr(c, "classification_reason"));
    json_decref(c);
    return s;
}

/* CRM-2: each rule at its threshold, and the next day's pass. */
static void test_classes_thresholds(void **state)
{
    (void)state;
    struct test_store st;
    setup(&st);
    const char *m = st.manager;
    int64_t store = store_id_of(&st);
    int64_t v[9];
    int64_t spend_at = customer_with_car(m, "消费达标", &v[0]);
    int64_t spend_below = customer_with_car(m, "消费差一分", &v[1]);
    int64_t visits = customer_with_car(m, "三次到店", &v[2]);
    int64_t same_day = customer_with_car(m, "同日两单", &v[3]);
    int64_t lost_edge = customer_with_car(m, "整十二个月", &v[4]);
    int64_t lost = customer_with_car(m, "十二个月零一天", &v[5]);
    int64_t due30 = customer_with_car(m, "逾期三十天", &v[6]);
    int64_t due31 = customer_with_car(m, "逾期三十一天", &v[7]);
    int64_t order = customer_with_car(m, "工单一次", &v[8]);

    record(m, v[0], -10, 1000, 100000);
    record(m, v[1], -10, 1000, 99999);
    record(m, v[2], -30, 1000, 1000);
    record(m, v[2], -20, 2000, 1000);
    record(m, v[2], -10, 3000, 1000);
    record(m, v[3], -30, 1000, 1000);
    record(m, v[3], -20, 2000, 1000);
    record(m, v[3], -20, 2100, 1000);
    /* Exactly 12 months before D, and a day earlier. */
    int32_t year_ago = date_add_months(D, -12);
    record(m, v[4], year_ago - D, 1000, 1000);
    record(m, v[5], year_ago - 1 - D, 1000, 1000);
    record(m, v[6], -5, 1000, 1000);
    record(m, v[7], -5, 1000, 1000);
    /* A settled order of 600 yuan and the record it wrote: 600 yuan, one visit (counted twice
     * it would be 1,200 yuan: VIP). */
    order_sql(store, order, v[8], "delivered", -3, 60000, 1);

    no_due_dates(store);
    due_on(v[6], -30);
    due_on(v[7], -31);
    json_t *r = classify(m, NULL);
    assert_true(json_is_true(json_object_get(r, "ran")));
    json_decref(r);

    assert_string_equal(class_of(m, spend_at), "vip");
    assert_string_equal(reason_of(m, spend_at), "vip_spend");
    assert_string_equal(class_of(m, spend_below), "regular");
    assert_string_equal(class_of(m, visits), "vip");
    assert_string_equal(reason_of(m, visits), "vip_visits");
    assert_string_equal(class_of(m, same_day), "regular");
    assert_string_equal(class_of(m, lost_edge), "regular");
    assert_string_equal(class_of(m, lost), "lost");
    assert_string_equal(reason_of(m, lost), "lost");
    assert_string_equal(class_of(m, due30), "regular");
    assert_string_equal(class_of(m, due31), "at_risk");
    assert_string_equal(reason_of(m, due31), "overdue");
    assert_string_equal(class_of(m, order), "regular");
    json_t *c = customer_get(m, due31);
    assert_string_equal(jstr(c, "classification_source"), "rules");
    assert_false(json_is_true(json_object_get(c, "classification_locked")));
    assert_non_null(jstr(c, "classification_at"));
    json_decref(c);
    /* The customer's history says what changed and from which figures. */
    json_t *a = audit_last(m, "customer", due31);
    json_t *ch = json_object_get(a, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "classification"), 1)),
                        "at_risk");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "earliest_due"), 1)),
                        dd(-31));
    json_decref(a);

    /* The next day: the 12 months of lost_edge are over, due30's count passes 30. */
    clock_day(1);
    r = classify(m, NULL);
    assert_int_equal(jint(json_object_get(r, "into"), "lost"), 1);
    assert_int_equal(jint(json_object_get(r, "into"), "at_risk"), 1);
    assert_int_equal(jint(r, "changed"), 2);
    json_decref(r);
    assert_string_equal(class_of(m, lost_edge), "lost");
    assert_string_equal(class_of(m, due30), "at_risk");
    assert_string_equal(class_of(m, spend_at), "vip");
    /* One audit row per run. */
    assert_int_equal(audit_n(m, "classify_run"), 2);
}

/* CRM-2: a class set by hand and locked stays; unlocked, the rules take it back. Only the
 * service manager locks. */
static void test_classes_lock(void **state)
{
    (void)state;
    struct test_store st;
    setup(&st);
    const char *m = st.manager, *adv = store_user(&st, "advisor");
    int64_t store = store_id_of(&st), v;
    int64_t c = customer_with_car(m, "手工贵宾", &v);
    record(m, v, -10, 1000, 100);
    no_due_dates(store);
    const char *path = keep(fmt("/api/v1/customers/%lld", (long long)c));
    /* The advisor may set the class by hand but not lock it. */
    json_decref(call("PATCH", path, adv, "{\"classification\":\"vip\"}", 200));
    char *before = snapshot(path, m);
    int64_t head = audit_head_of(m);
    rejected("PATCH", path, adv, "{\"classification_locked\":true}", 403, "forbidden",
             "classification_locked");
    rejected("PATCH", path, m, "{\"classification_locked\":\"yes\"}", 400, "invalid_field",
             "classification_locked");
    assert_unchanged(path, m, before);
    assert_int_equal(audit_head_of(m), head);
    json_t *j = call("PATCH", path, m, "{\"classification_locked\":true}", 200);
    assert_string_equal(jstr(j, "classification"), "vip");
    assert_string_equal(jstr(j, "classification_source"), "hand");
    assert_string_equal(jstr(j, "classification_reason"), "hand");
    assert_true(json_is_true(json_object_get(j, "classification_locked")));
    json_decref(j);
    json_t *r = classify(m, NULL);
    assert_int_equal(jint(r, "locked"), 1);
    json_decref(r);
    assert_string_equal(class_of(m, c), "vip");
    /* A visit does not move it either. */
    record(m, v, 0, 2000, 100);
    assert_string_equal(class_of(m, c), "vip");
    /* Unlocked, the next pass sets the rules' class. */
    json_decref(call("PATCH", path, m, "{\"classification_locked\":false}", 200));
    json_decref(classify(m, NULL));
    j = customer_get(m, c);
    assert_string_equal(jstr(j, "classification"), "regular");
    assert_string_equal(jstr(j, "classification_source"), "rules");
    assert_string_equal(jstr(j, "classification_reason"), "regular");
    json_decref(j);
}

/* CRM-2: a lost customer who comes back leaves "lost" when the visit is recorded, before any
 * night; a delivered repair order does the same. */
static void test_classes_return_visit(void **state)
{
    (void)state;
    struct test_store st;
    setup(&st);
    const char *m = st.manager;
    int64_t store = store_id_of(&st), v;
    int64_t c = customer_with_car(m, "久未到店", &v);
    no_due_dates(store);
    record(m, v, -400, 1000, 5000);
    no_due_dates(store);
    json_decref(classify(m, NULL));
    assert_string_equal(class_of(m, c), "lost");
    record(m, v, 0, 5000, 5000);
    assert_string_equal(class_of(m, c), "regular");
    json_t *a = audit_last(m, "customer", c);
    json_t *ch = json_object_get(a, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "classification"), 0)),
                        "lost");
    json_decref(a);

    /* By a repair order delivered through the API. */
    struct workshop w;
    workshop_new(&w, 1, 1);
    open_all_day(w.m);
    set_settings(w.m, THRESHOLDS);
    int64_t car2 = car(w.m);
    json_t *veh = call("GET", fmt("/api/v1/vehicles/%lld", (long long)car2), w.m, NULL, 200);
    int64_t c2 = jint(json_object_get(veh, "customer"), "id");
    if (!c2)
        c2 = jint(veh, "customer_id");
    json_decref(veh);
    sql(fmt("UPDATE customers SET classification = 'lost', classification_source = 'rules' "
            "WHERE id = %lld",
            (long long)c2));
    int64_t appt = book_confirmed(w.m, car2, w.op, fmt("%sT10:00", dd(0)), NULL);
    int64_t order = check_in(w.m, appt);
    order_deliver(w.m, order);
    assert_string_not_equal(class_of(w.m, c2), "lost");
}

/* CRM-2: the call list of one class. */
static void test_classes_tasks_filter(void **state)
{
    (void)state;
    struct test_store st;
    setup(&st);
    const char *m = st.manager;
    int64_t vip = new_customer(m, "贵宾客户"), reg = new_customer(m, "普通客户");
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)vip), m,
                     "{\"classification\":\"vip\"}", 200));
#define CALLBACK_BODY "{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld}"
    json_t *t1 = call("POST", "/api/v1/tasks", m, fmt(CALLBACK_BODY, (long long)vip), 201);
    json_t *t2 = call("POST", "/api/v1/tasks", m, fmt(CALLBACK_BODY, (long long)reg), 201);
    json_t *l = call("GET", "/api/v1/tasks?classification=vip", m, NULL, 200);
    json_t *items = json_object_get(l, "items");
    bool has1 = false, has2 = false;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        has1 |= jint(it, "id") == jint(t1, "id");
        has2 |= jint(it, "id") == jint(t2, "id");
    }
    assert_true(has1);
    assert_false(has2);
    json_decref(l);
    l = call("GET", "/api/v1/tasks?classification=regular", m, NULL, 200);
    has1 = has2 = false;
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        has1 |= jint(it, "id") == jint(t1, "id");
        has2 |= jint(it, "id") == jint(t2, "id");
    }
    assert_false(has1);
    assert_true(has2);
    json_decref(l);
    json_decref(t1), json_decref(t2);
    rejected("GET", "/api/v1/tasks?classification=gold", m, NULL, 400, "invalid_field",
             "classification");
}

struct racer {
    const char *token, *body;
    pthread_barrier_t *start;
    struct http_answer a;
};

static void *race_run(void *arg)
{
    struct racer *r = arg;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(r->start);
    r->a = http_call_on(h, SRV->base, "POST", CLASSIFY, r->token, r->body);
    curl_easy_cleanup(h);
    return NULL;
}

static void race(struct racer *r, int n)
{
    pthread_t th[4];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        r[i].start = &start;
        assert_int_equal(pthread_create(&th[i], NULL, race_run, &r[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
}

/* CRM-2: two nightly passes at once: one runs (one audit row, one run), the other finds the
 * night claimed; two manual passes at once change each customer once. */
static void test_classes_concurrent_passes(void **state)
{
    (void)state;
    struct test_store st;
    setup(&st);
    const char *m = st.manager;
    int64_t store = store_id_of(&st);
    int64_t ids[6];
    for (int i = 0; i < 6; i++) {
        int64_t v;
        ids[i] = customer_with_car(m, "并发", &v);
        record(m, v, -10, 1000, i % 2 ? 100000 : 100);
    }
    no_due_dates(store);
    /* Back to regular behind the rules' back, so that the passes have work. */
    sql(fmt("UPDATE customers SET classification = 'regular' WHERE store_id = %lld",
            (long long)store));
    struct racer r[2] = {{m, "{\"nightly\":true}", NULL, {0}},
                         {m, "{\"nightly\":true}", NULL, {0}}};
    race(r, 2);
    int ran = 0;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r[i].a.status, 200);
        ran += json_is_true(json_object_get(r[i].a.json, "ran"));
        json_decref(r[i].a.json);
    }
    assert_int_equal(ran, 1);
    assert_string_equal(
        sql1(fmt("SELECT COUNT(*) FROM classify_runs WHERE store_id = %lld", (long long)store)),
        "1");
    assert_int_equal(audit_n(m, "classify_run"), 1);
    for (int i = 0; i < 6; i++)
        assert_string_equal(class_of(m, ids[i]), i % 2 ? "vip" : "regular");

    /* Two manual passes at once: both run, each customer is changed and audited once. */
    sql(fmt("UPDATE customers SET classification = 'lost' WHERE store_id = %lld",
            (long long)store));
    struct racer q[2] = {{m, "{}", NULL, {0}}, {m, "{}", NULL, {0}}};
    race(q, 2);
    int changed = 0;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(q[i].a.status, 200);
        changed += (int)jint(q[i].a.json, "changed");
        json_decref(q[i].a.json);
    }
    assert_int_equal(changed, 6);
    for (int i = 0; i < 6; i++) {
        assert_string_equal(class_of(m, ids[i]), i % 2 ? "vip" : "regular");
        assert_string_equal(
            sql1(fmt("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND entity_id = "
                     "%lld AND changes LIKE '%%\"lost\"%%'",
                     (long long)ids[i])),
            "1");
    }
}

/* Refusals, and a pass of one store leaves another store alone. */
static void test_classes_refusals_and_stores(void **state)
{
    (void)state;
    struct test_store st, other;
    setup(&st);
    store_new(&other);
    const char *m = st.manager, *adv = store_user(&st, "advisor");
    int64_t v;
    int64_t c = customer_with_car(m, "别店", &v);
    record(m, v, -10, 1000, 100000);
    assert_string_equal(class_of(m, c), "vip");
    int64_t head = audit_head_of(m);
    rejected("POST", CLASSIFY, adv, "{}", 403, "forbidden", NULL);
    rejected("POST", CLASSIFY, m, "{\"nightly\":\"yes\"}", 400, "invalid_field", "nightly");
    rejected("POST", CLASSIFY, m, "{\"store_id\":1}", 400, "invalid_field", "store_id");
    rejected("POST", CLASSIFY, m, "[1]", 400, "invalid_json", NULL);
    assert_int_equal(audit_head_of(m), head);
    /* The other store's pass and reads do not reach this store's customer. */
    sql(fmt("UPDATE customers SET classification = 'lost' WHERE id = %lld", (long long)c));
    json_t *r = classify(other.manager, NULL);
    assert_int_equal(jint(r, "examined"), 0);
    json_decref(r);
    assert_string_equal(class_of(m, c), "lost");
    rejected("GET", fmt("/api/v1/customers/%lld", (long long)c), other.manager, NULL, 404,
             "not_found", NULL);
    rejected("PATCH", fmt("/api/v1/customers/%lld", (long long)c), other.manager,
             "{\"classification_locked\":true}", 404, "not_found", NULL);
}

/* CRM-2: `dms customers classify` for one store and a day; --nightly runs once per day. */
static void test_classes_cli(void **state)
{
    (void)state;
    struct test_store st;
    setup(&st);
    const char *m = st.manager;
    int64_t store = store_id_of(&st), v;
    int64_t c = customer_with_car(m, "命令行", &v);
    record(m, v, -10, 1000, 100000);
    no_due_dates(store);
    sql(fmt("UPDATE customers SET classification = 'lost' WHERE id = %lld", (long long)c));
    char out[2048];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "customers", "classify", "--store",
                             st.code, "--date", dd(0), "--nightly", NULL),
                     0);
    assert_non_null(strstr(out, "1 changed"));
    assert_string_equal(class_of(m, c), "vip");
    sql(fmt("UPDATE customers SET classification = 'lost' WHERE id = %lld", (long long)c));
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "customers", "classify", "--store",
                             st.code, "--date", dd(0), "--nightly", NULL),
                     0);
    assert_non_null(strstr(out, "already classified"));
    assert_string_equal(class_of(m, c), "lost");
    /* Without --nightly it always runs. */
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "customers", "classify", "--store",
                             st.code, "--date", dd(0), NULL),
                     0);
    assert_string_equal(class_of(m, c), "vip");
    assert_int_equal(audit_n(m, "classify_run"), 2);
    assert_int_equal(
        srv_cli(SRV, NULL, out, sizeof out, "customers", "classify", "--date", "2026-02-30", NULL),
        2);
    assert_int_not_equal(srv_cli(SRV, NULL, out, sizeof out, "customers", "sort", NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_thresholds),
        cmocka_unit_test(test_classes_lock),
        cmocka_unit_test(test_classes_return_visit),
        cmocka_unit_test(test_classes_tasks_filter),
        cmocka_unit_test(test_classes_concurrent_passes),
        cmocka_unit_test(test_classes_refusals_and_stores),
        cmocka_unit_test(test_classes_cli),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
