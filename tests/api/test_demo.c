/* The demo data set (src/cli/demo.c): `dms demo` loads a store whose staff can sign in at
 * once, whose archive pages, searches and reads back consistently through the API, and
 * which stays inside its own store. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_CAP 8192

/* The accounts `dms demo` printed for one store. */
struct accounts {
    char advisor[64], advisor_password[64];
    char admin[64], admin_password[64];
};

/* Runs `dms demo ARGS` and returns its exit status; out gets what it printed. */
static int demo(char *out, const char *store, const char *customers, const char *seed)
{
    return srv_cli(SRV, NULL, out, OUT_CAP, "demo", "--store", store, "--customers", customers,
                   "--seed", seed, NULL);
}

/* Finds the "username role password" lines of the printed account table. */
static void parse_accounts(const char *out, struct accounts *acc)
{
    memset(acc, 0, sizeof *acc);
    char *copy = strdup(out);
    assert_non_null(copy);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char user[64], role[64], password[64];
        if (sscanf(line, " %63s %63s %63s", user, role, password) != 3)
            continue;
        if (strcmp(role, "advisor") == 0) {
            snprintf(acc->advisor, sizeof acc->advisor, "%s", user);
            snprintf(acc->advisor_password, sizeof acc->advisor_password, "%s", password);
        } else if (strcmp(role, "admin") == 0) {
            snprintf(acc->admin, sizeof acc->admin, "%s", user);
            snprintf(acc->admin_password, sizeof acc->admin_password, "%s", password);
        }
    }
    free(copy);
}

static char *sign_in(const char *username, const char *password)
{
    json_t *j = call("POST", "/api/v1/session", NULL,
                     fmt("{\"username\":\"%s\",\"password\":\"%s\"}", username, password), 201);
    char *token = strdup(json_string_value(json_object_get(j, "token")));
    json_decref(j);
    assert_non_null(token);
    return token;
}

/* Store D1, loaded once for the whole program by the first test that needs it. */
static struct accounts D1;
static char *d1_token;

static void load_d1(void)
{
    if (d1_token)
        return;
    char out[OUT_CAP];
    int rc = demo(out, "D1", "60", "20261125");
    if (rc != 0)
        print_error("dms demo failed (%d): %s\n", rc, out);
    assert_int_equal(rc, 0);
    parse_accounts(out, &D1);
    assert_string_equal(D1.advisor, "advisor");
    assert_true(strlen(D1.advisor_password) >= 8);
    d1_token = sign_in(D1.advisor, D1.advisor_password);
}

/* The first vehicle of the store with a plate and a purchase date before `before`, or 0. */
static int64_t find_vehicle(const char *token, const char *before, int min_records, char *plate,
                            size_t cap)
{
    const char *cursor = NULL;
    char next[64] = "";
    do {
        json_t *page = call("GET",
                            cursor ? fmt("/api/v1/vehicles?limit=100&cursor=%s", cursor)
                                   : "/api/v1/vehicles?limit=100",
                            token, NULL, 200);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(page, "items"), i, v)
        {
            const char *p = json_string_value(json_object_get(v, "plate"));
            const char *bought = json_string_value(json_object_get(v, "purchase_date"));
            int64_t id = json_integer_value(json_object_get(v, "id"));
            if (!p || !bought || strcmp(bought, before) >= 0)
                continue;
            json_t *recs = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)id),
                                token, NULL, 200);
            size_t n = json_array_size(json_object_get(recs, "items"));
            json_decref(recs);
            if ((int)n < min_records)
                continue;
            snprintf(plate, cap, "%s", p);
            json_decref(page);
            return id;
        }
        json_t *nc = json_object_get(page, "next_cursor");
        snprintf(next, sizeof next, "%s", json_is_string(nc) ? json_string_value(nc) : "");
        cursor = next[0] ? next : NULL;
        json_decref(page);
    } while (cursor);
    return 0;
}

static void test_demo_prints_the_staff_accounts(void **state)
{
    (void)state;
    load_d1();
    assert_string_equal(D1.admin, "admin");
    assert_true(strlen(D1.admin_password) >= 8);
    /* The administrator's password is one-time: it must be changed at first sign-in. */
    char *admin = sign_in(D1.admin, D1.admin_password);
    json_t *me = call("GET", "/api/v1/me", admin, NULL, 200);
    json_t *user = json_object_get(me, "user");
    assert_true(json_is_true(json_object_get(user, "must_change_password")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(me, "store"), "code")),
                        "D1");
    json_decref(me);
    free(admin);
}

static void test_demo_customers_page_through_the_api(void **state)
{
    (void)state;
    load_d1();
    size_t total = 0, individuals = 0, companies = 0;
    char cursor[64] = "";
    do {
        json_t *page = call("GET",
                            cursor[0] ? fmt("/api/v1/customers?limit=25&cursor=%s", cursor)
                                      : "/api/v1/customers?limit=25",
                            d1_token, NULL, 200);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(page, "items"), i, c)
        {
            const char *type = json_string_value(json_object_get(c, "type"));
            assert_non_null(json_string_value(json_object_get(c, "name")));
            assert_true(json_array_size(json_object_get(c, "phones")) >= 1);
            assert_true(json_integer_value(json_object_get(c, "vehicle_count")) >= 1);
            individuals += strcmp(type, "individual") == 0;
            companies += strcmp(type, "company") == 0;
            total++;
        }
        json_t *nc = json_object_get(page, "next_cursor");
        snprintf(cursor, sizeof cursor, "%s", json_is_string(nc) ? json_string_value(nc) : "");
        json_decref(page);
    } while (cursor[0]);
    assert_true(total >= 60);
    assert_true(individuals > companies);
}

static void test_demo_plate_is_found_by_search(void **state)
{
    (void)state;
    load_d1();
    char plate[32];
    int64_t id = find_vehicle(d1_token, "9999", 0, plate, sizeof plate);
    assert_true(id > 0);
    /* IN-3: the booking call finds the car by the plate's last four characters. */
    const char *tail = plate + strlen(plate) - 4;
    json_t *j = call("GET", fmt("/api/v1/search?q=%s", tail), d1_token, NULL, 200);
    bool found = false;
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(j, "results"), i, hit)
    {
        const char *type = json_string_value(json_object_get(hit, "type"));
        if (strcmp(type, "vehicle") == 0 && json_integer_value(json_object_get(hit, "id")) == id)
            found = true;
    }
    if (!found)
        print_error("search %s did not find vehicle %lld (%s)\n", tail, (long long)id, plate);
    assert_true(found);
    json_decref(j);
}

static int by_date(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "date"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "date"));
    return strcmp(x, y);
}

static void test_demo_service_history_is_consistent(void **state)
{
    (void)state;
    load_d1();
    char plate[32];
    /* A car more than two years old with a few visits behind it. */
    int64_t id = find_vehicle(d1_token, day_offset(-730), 3, plate, sizeof plate);
    assert_true(id > 0);
    json_t *j = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)id), d1_token,
                     NULL, 200);
    json_t *items = json_object_get(j, "items");
    size_t n = json_array_size(items);
    assert_true(n >= 3);
    json_t **recs = calloc(n, sizeof *recs);
    assert_non_null(recs);
    for (size_t i = 0; i < n; i++) {
        json_t *r = recs[i] = json_array_get(items, i);
        json_int_t labour = json_integer_value(json_object_get(r, "labour_fen"));
        json_int_t parts = json_integer_value(json_object_get(r, "parts_fen"));
        assert_int_equal(json_integer_value(json_object_get(r, "total_fen")), labour + parts);
        json_int_t lines = 0;
        size_t k;
        json_t *l;
        json_array_foreach(json_object_get(r, "labour"), k, l) lines +=
            json_integer_value(json_object_get(l, "amount_fen"));
        assert_int_equal(lines, labour);
        lines = 0;
        json_array_foreach(json_object_get(r, "parts"), k, l)
        {
            assert_int_equal(json_integer_value(json_object_get(l, "amount_fen")),
                             json_integer_value(json_object_get(l, "qty")) *
                                 json_integer_value(json_object_get(l, "unit_price_fen")));
            lines += json_integer_value(json_object_get(l, "amount_fen"));
        }
        assert_int_equal(lines, parts);
        const char *date = json_string_value(json_object_get(r, "date"));
        const char *out = json_string_value(json_object_get(r, "date_out"));
        assert_true(strcmp(date, day_offset(0)) <= 0);
        assert_true(!out || (strcmp(out, date) >= 0 && strcmp(out, day_offset(0)) <= 0));
        assert_non_null(json_string_value(json_object_get(r, "technician")));
    }
    /* The odometer only counts up: later visits show more km. */
    qsort(recs, n, sizeof *recs, by_date);
    for (size_t i = 1; i < n; i++) {
        const char *d0 = json_string_value(json_object_get(recs[i - 1], "date"));
        const char *d1 = json_string_value(json_object_get(recs[i], "date"));
        json_int_t k0 = json_integer_value(json_object_get(recs[i - 1], "mileage_km"));
        json_int_t k1 = json_integer_value(json_object_get(recs[i], "mileage_km"));
        if (strcmp(d0, d1) < 0 && k1 <= k0)
            print_error("mileage went from %lld on %s to %lld on %s\n", (long long)k0, d0,
                        (long long)k1, d1);
        assert_true(strcmp(d0, d1) < 0);
        assert_true(k1 > k0);
    }
    free(recs);
    json_decref(j);
    /* So do all its readings, from sale, service and calls. */
    j = call("GET", fmt("/api/v1/vehicles/%lld/mileage", (long long)id), d1_token, NULL, 200);
    json_t *list = json_object_get(j, "items");
    assert_true(json_array_size(list) >= n + 1);
    for (size_t i = 1; i < json_array_size(list); i++) {
        /* newest first */
        json_t *newer = json_array_get(list, i - 1), *older = json_array_get(list, i);
        assert_true(strcmp(json_string_value(json_object_get(older, "date")),
                           json_string_value(json_object_get(newer, "date"))) <= 0);
        assert_true(json_integer_value(json_object_get(older, "km")) <=
                    json_integer_value(json_object_get(newer, "km")));
    }
    json_decref(j);
}

static void test_demo_refuses_a_taken_store_code(void **state)
{
    (void)state;
    load_d1();
    char out[OUT_CAP];
    assert_int_not_equal(demo(out, "D1", "5", "1"), 0);
    assert_non_null(strstr(out, "taken"));
    /* Nothing of the failed run stays: the store still has its 60 customers only. */
    json_t *j = call("GET", "/api/v1/customers?limit=200", d1_token, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 60);
    json_decref(j);
}

static void test_demo_second_store_gets_its_own_usernames(void **state)
{
    (void)state;
    load_d1();
    char out[OUT_CAP];
    int rc = demo(out, "D2", "3", "5");
    if (rc != 0)
        print_error("%s\n", out);
    assert_int_equal(rc, 0);
    struct accounts d2;
    parse_accounts(out, &d2);
    assert_string_equal(d2.advisor, "advisor.d2");
    assert_string_equal(d2.admin, "admin.d2");
    char *token = sign_in(d2.advisor, d2.advisor_password);
    json_t *j = call("GET", "/api/v1/customers?limit=200", token, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
    json_decref(j);
    free(token);
    /* D1's advisor keeps working with the password printed for D1. */
    char *again = sign_in(D1.advisor, D1.advisor_password);
    free(again);
}

static char *first_customer_name(const char *token)
{
    json_t *j = call("GET", "/api/v1/customers?limit=1", token, NULL, 200);
    json_t *c = json_array_get(json_object_get(j, "items"), 0);
    assert_non_null(c);
    char *name = strdup(json_string_value(json_object_get(c, "name")));
    json_decref(j);
    return name;
}

static void test_demo_same_seed_gives_the_same_data(void **state)
{
    (void)state;
    char out[OUT_CAP];
    struct accounts a, b;
    assert_int_equal(demo(out, "D3", "2", "4242"), 0);
    parse_accounts(out, &a);
    assert_int_equal(demo(out, "D4", "2", "4242"), 0);
    parse_accounts(out, &b);
    char *ta = sign_in(a.advisor, a.advisor_password), *tb = sign_in(b.advisor, b.advisor_password);
    char *na = first_customer_name(ta), *nb = first_customer_name(tb);
    assert_string_equal(na, nb);
    free(na), free(nb), free(ta), free(tb);
}

static void test_demo_store_is_invisible_to_other_stores(void **state)
{
    (void)state;
    load_d1();
    char plate[32];
    int64_t vehicle = find_vehicle(d1_token, "9999", 0, plate, sizeof plate);
    json_t *j = call("GET", "/api/v1/customers?limit=1", d1_token, NULL, 200);
    int64_t customer =
        json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
    json_decref(j);
    assert_true(vehicle > 0 && customer > 0);

    char *s1 = login(U_ADVISOR);
    struct resp r = http("GET", fmt("/api/v1/customers/%lld", (long long)customer), s1, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    r = http("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)vehicle), s1, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    /* Neither the list nor the search shows D1's archive to S1. */
    j = call("GET", "/api/v1/customers?limit=200", s1, NULL, 200);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "items"), i, c)
        assert_true(json_integer_value(json_object_get(c, "id")) != customer);
    json_decref(j);
    j = call("GET", fmt("/api/v1/search?q=%s", plate + strlen(plate) - 4), s1, NULL, 200);
    json_array_foreach(json_object_get(j, "results"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "type")), "vehicle") == 0)
            assert_true(json_integer_value(json_object_get(c, "id")) != vehicle);
    }
    json_decref(j);
    free(s1);
}

/* ---- repair orders (demo_orders.c; issue 13) ---- */

/* Whether an order in list has status `status` (and, for in_progress, a technician clocked
 * on one of its lines, RO-5). */
static bool has_status(json_t *list, const char *status)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "status")), status) != 0)
            continue;
        if (strcmp(status, "in_progress") != 0)
            return true;
        size_t k;
        json_t *l;
        json_array_foreach(json_object_get(o, "lines"), k,
                           l) if (json_is_object(json_object_get(l, "clock_on"))) return true;
    }
    return false;
}

/* The reception screen, the month's history, declined work, the workshop report and
 * receivables of a demo store loaded in March 2026 (MR-7, RO-1..RO-8), as the server's clock
 * stands. */
static void check_orders(const char *token)
{
    json_t *j = call("GET", "/api/v1/reception", token, NULL, 200);
    json_t *expected = json_object_get(j, "expected"), *work = json_object_get(j, "in_work");
    json_t *ready = json_object_get(j, "ready");
    if (json_array_size(expected) == 0 || !has_status(work, "in_progress") ||
        !has_status(work, "qc") || !has_status(work, "open") || !has_status(ready, "ready") ||
        !has_status(ready, "settled") || json_array_size(json_object_get(j, "delivered")) == 0) {
        char *dump = json_dumps(j, JSON_COMPACT);
        print_error("reception: %.4000s\n", dump);
        free(dump);
    }
    assert_true(json_array_size(expected) >= 1);
    assert_true(has_status(work, "in_progress"));
    assert_true(has_status(work, "qc"));
    assert_true(has_status(work, "open"));
    assert_true(has_status(ready, "ready"));
    assert_true(has_status(ready, "settled"));
    assert_true(json_array_size(json_object_get(j, "delivered")) >= 1);
    json_decref(j);

    /* A month of history: delivered orders of many days, booked and walk-in. */
    j = call("GET", "/api/v1/repair-orders?status=delivered&limit=200", token, NULL, 200);
    json_t *items = json_object_get(j, "items");
    size_t i, booked = 0, walk_in = 0, days = 0;
    char last_day[16] = "";
    json_t *o;
    json_array_foreach(items, i, o)
    {
        const char *day = json_string_value(json_object_get(o, "date"));
        const char *source = json_string_value(json_object_get(o, "source"));
        booked += strcmp(source, "appointment") == 0;
        walk_in += strcmp(source, "walk_in") == 0;
        if (strcmp(day, last_day) != 0)
            days++;
        snprintf(last_day, sizeof last_day, "%s", day);
    }
    assert_true(json_array_size(items) >= 20);
    assert_true(days >= 10);
    assert_true(booked > walk_in / 2 && walk_in > 0);
    /* RO-4: some car keeps the work its owner declined. */
    bool declined = false;
    json_array_foreach(items, i, o)
    {
        int64_t vehicle = json_integer_value(json_object_get(json_object_get(o, "vehicle"), "id"));
        json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)vehicle), token, NULL, 200);
        declined = json_array_size(json_object_get(v, "declined_work")) > 0;
        json_decref(v);
        if (declined)
            break;
    }
    assert_true(declined);
    json_decref(j);

    /* RO-8: the workshop report of the month before has figures: booked cars waited less. */
    j = call("GET", "/api/v1/reports/workshop?month=2026-02", token, NULL, 200);
    assert_true(json_integer_value(json_object_get(j, "repair_orders")) >= 10);
    assert_true(json_integer_value(json_object_get(j, "booked")) >= 1);
    assert_true(json_integer_value(json_object_get(j, "walk_in")) >= 1);
    assert_true(json_integer_value(json_object_get(j, "delivered")) >= 10);
    json_t *wait = json_object_get(j, "avg_wait_min");
    assert_true(json_number_value(json_object_get(wait, "booked")) <
                json_number_value(json_object_get(wait, "walk_in")));
    json_decref(j);

    /* RO-7: fleets settled on account. */
    j = call("GET", "/api/v1/receivables", token, NULL, 200);
    assert_true(json_array_size(json_object_get(j, "items")) >= 1);
    json_decref(j);
}

/* Loads store `code` with the server's clock at `utc` and checks its orders there. */
static void orders_at(const char *code, int64_t utc)
{
    srv_clock_set(SRV, utc);
    char out[OUT_CAP];
    int rc = demo(out, code, "30", "20261125");
    if (rc != 0)
        print_error("dms demo failed (%d): %s\n", rc, out);
    assert_int_equal(rc, 0);
    struct accounts acc;
    parse_accounts(out, &acc);
    char *token = sign_in(acc.advisor, acc.advisor_password);
    check_orders(token);
    free(token);
    srv_clock_set(SRV, 0);
}

/* A fixed Tuesday, so that the test does not depend on when it runs: the demo loaded late
 * in the evening and just after midnight (the two ends of the day; any other hour lies
 * between them on the working day's clock, demo_orders.c) still has today's orders in every
 * state and bookings expected. */
#define ORDERS_DAY_UTC ((int64_t)20522 * 86400) /* 2026-03-10, 00:00 UTC */

static void test_demo_orders_late_in_the_evening(void **state)
{
    (void)state;
    orders_at("D5", ORDERS_DAY_UTC + (23 * 60 + 30 - 8 * 60) * 60); /* 23:30 in Shenzhen */
}

static void test_demo_orders_just_after_midnight(void **state)
{
    (void)state;
    orders_at("D6", ORDERS_DAY_UTC + (24 * 60 + 10 - 8 * 60) * 60); /* 00:10 on the 11th */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_prints_the_staff_accounts),
        cmocka_unit_test(test_demo_customers_page_through_the_api),
        cmocka_unit_test(test_demo_plate_is_found_by_search),
        cmocka_unit_test(test_demo_service_history_is_consistent),
        cmocka_unit_test(test_demo_refuses_a_taken_store_code),
        cmocka_unit_test(test_demo_second_store_gets_its_own_usernames),
        cmocka_unit_test(test_demo_same_seed_gives_the_same_data),
        cmocka_unit_test(test_demo_store_is_invisible_to_other_stores),
        /* Last: they set the server's clock. */
        cmocka_unit_test(test_demo_orders_late_in_the_evening),
        cmocka_unit_test(test_demo_orders_just_after_midnight),
    };
    int rc = cmocka_run_group_tests(tests, srv_setup, srv_teardown);
    free(d1_token);
    return rc;
}
