/* Advisors booking at the same moment (IN-6, IN-13; docs/api.md "Bookings of a store are
 * serialised"): of many clients booking the one bay of a kind at the same start, exactly one
 * gets 201 and every other 409 slot_taken with fresh options; with three bays, exactly three
 * win; and of many bookings wanting the last unit of a part, exactly one reserves it, the
 * others get 422 parts_unavailable, and reserved never exceeds on hand. On SQLite and on
 * PostgreSQL (each API test runs on both).
 *
 * Worker threads send with http_call_on() on their own curl handles, wait at a barrier so the
 * requests leave together, and never call cmocka; the main thread checks what they recorded.
 * Every round books from tomorrow on, in a store of the test's own (store_new). */
#include "booking_fixtures.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENTS 16

/* ---- many bookings at once ---- */

/* One client's POST: a booking (path NULL: APPTS), or a body-less action on path. */
struct client {
    const char *token, *path;
    char body[512]; /* "": none */
    pthread_barrier_t *start;
    struct http_answer r;
};

static void *client_run(void *p)
{
    struct client *c = p;
    CURL *h = curl_easy_init(); /* before the barrier: the requests leave together */
    pthread_barrier_wait(c->start);
    c->r = h ? http_call_on(h, SRV->base, "POST", c->path ? c->path : APPTS, c->token,
                            c->body[0] ? c->body : NULL)
             : (struct http_answer){.rc = CURLE_FAILED_INIT};
    curl_easy_cleanup(h); /* no-op on NULL */
    return NULL;
}

/* Makes c the booking of op for vehicle at start (extra: more members) as token. */
static void client_books(struct client *c, const char *token, int64_t vehicle, const char *op,
                         const char *start, const char *extra)
{
    c->token = token;
    c->path = NULL;
    snprintf(c->body, sizeof c->body, "%s", booking(vehicle, op, start, extra));
}

/* Sends the n clients' requests at once; returns when all are answered. */
static void race(struct client *c, int n)
{
    pthread_t th[CLIENTS];
    pthread_barrier_t start;
    assert_true(n <= CLIENTS);
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        c[i].start = &start;
        memset(&c[i].r, 0, sizeof c[i].r);
        assert_int_equal(pthread_create(&th[i], NULL, client_run, &c[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
}

static void print_answer(int i, const struct http_answer *r)
{
    char *text = r->json ? json_dumps(r->json, JSON_COMPACT) : NULL;
    print_error("client %d: curl %d HTTP %ld %.300s\n", i, (int)r->rc, r->status,
                text ? text : "(no JSON)");
    free(text);
}

/* Counts the answers: 201s (their ids into won[]), 409s with `code` (and, for slot_taken,
 * a non-empty options list); anything else is printed and counted as other. */
static void tally(struct client *c, int n, const char *code, int *created, int *refused, int *other,
                  int64_t *won)
{
    *created = *refused = *other = 0;
    for (int i = 0; i < n; i++) {
        struct http_answer *r = &c[i].r;
        const char *ec = http_answer_code(r);
        if (r->rc == CURLE_OK && r->status == 201 &&
            json_integer_value(json_object_get(r->json, "id")) > 0) {
            won[(*created)++] = json_integer_value(json_object_get(r->json, "id"));
        } else if (r->rc == CURLE_OK && ec && strcmp(ec, code) == 0 &&
                   (strcmp(code, "slot_taken") != 0 ||
                    (r->status == 409 &&
                     json_array_size(json_object_get(r->json, "options")) > 0))) {
            (*refused)++;
        } else {
            print_answer(i, r);
            (*other)++;
        }
        json_decref(r->json);
        r->json = NULL;
    }
}

/* Sends the n clients' requests at once and checks the answers: `created` of them 201, every
 * other refused with code (see tally()); the winners' ids into won. round names the round in
 * the message printed when the count is off. */
static void race_expect(struct client *c, int n, const char *code, int created, int64_t *won,
                        const char *round)
{
    race(c, n);
    int got, refused, other;
    tally(c, n, code, &got, &refused, &other, won);
    if (got != created)
        print_error("%s: %d created, %d %s, %d other\n", round, got, refused, code, other);
    assert_int_equal(other, 0);
    assert_int_equal(got, created);
    assert_int_equal(refused, n - created);
}

/* ---- a store and its workshop ---- */

struct shop {
    struct test_store st;
    const char *advisors[4]; /* several advisors, several sessions */
    const char *op;
    int64_t vehicles[CLIENTS];
};

static void shop_new(struct shop *s, int bays, int techs)
{
    store_new(&s->st);
    const char *m = s->st.manager;
    s->advisors[0] = m;
    s->advisors[1] = store_user(&s->st, "advisor");
    s->advisors[2] = store_user(&s->st, "advisor");
    s->advisors[3] = store_user(&s->st, "caller");
    for (int i = 0; i < bays; i++)
        bay_named(m, "快修位", "quick_service");
    /* A bay of another kind does not count. */
    bay_named(m, "钣金位", "body");
    for (int i = 0; i < techs; i++)
        tech_new(m, "[\"maintenance\"]", NULL);
    s->op = op_named(m, "小保养", "maintenance", "1", "quick_service", "maintenance", 15000);
    for (int i = 0; i < CLIENTS; i++)
        s->vehicles[i] = car(m);
}

/* The live bookings of a day in the store. */
static size_t bookings_on(const struct shop *s, int days)
{
    json_t *j = call("GET", fmt(APPTS "?date=%s", day_str(days)), s->st.manager, NULL, 200);
    size_t n = 0, i;
    json_t *a;
    json_array_foreach(json_object_get(j, "items"), i, a)
    {
        const char *st = json_string_value(json_object_get(a, "status"));
        if (strcmp(st, "confirmed") == 0)
            n++;
    }
    json_decref(j);
    return n;
}

/* One bay of the kind and one technician: CLIENTS advisors book the same start, several
 * rounds (different starts, and different days); exactly one wins each. */
static void test_race_one_bay_exactly_one_wins(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 1, 1);
    static const struct {
        int days;
        const char *at;
    } rounds[] = {{1, "09:00"}, {1, "14:00"}, {2, "08:30"}, {2, "16:30"}, {3, "11:00"}};
    for (size_t k = 0; k < sizeof rounds / sizeof rounds[0]; k++) {
        struct client c[CLIENTS];
        const char *start = day_at(rounds[k].days, rounds[k].at);
        for (int i = 0; i < CLIENTS; i++)
            client_books(&c[i], s.advisors[i % 4], s.vehicles[i], s.op, start, NULL);
        int64_t won[CLIENTS];
        race_expect(c, CLIENTS, "slot_taken", 1, won, fmt("round %zu (%s)", k, start));
        /* The winner holds the start. */
        json_t *a = call("GET", fmt(APPTS "/%lld", (long long)won[0]), s.st.manager, NULL, 200);
        assert_string_equal(json_string_value(json_object_get(a, "start")), start);
        json_decref(a);
    }
    /* The days hold exactly the winners. */
    assert_int_equal(bookings_on(&s, 1), 2);
    assert_int_equal(bookings_on(&s, 2), 2);
    assert_int_equal(bookings_on(&s, 3), 1);
    /* And the next search offers none of their times. */
    json_t *j = call("GET", fmt("/api/v1/slots?ops=%s&date=%s&time=09:00", s.op, day_str(1)),
                     s.st.manager, NULL, 200);
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    json_decref(j);
}

/* Two clients only, many times: the plain "two advisors at once". */
static void test_race_two_advisors_many_times(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 1, 1);
    /* Back to back: each job ends, and its float, before the next starts. */
    static const char *const times[] = {"08:30", "10:00", "11:30", "14:00", "15:30"};
    for (size_t k = 0; k < sizeof times / sizeof times[0]; k++) {
        struct client c[2];
        const char *start = day_at(4, times[k]);
        for (int i = 0; i < 2; i++)
            client_books(&c[i], s.advisors[1 + i], s.vehicles[k * 2 + (size_t)i], s.op, start,
                         NULL);
        int64_t won[CLIENTS];
        race_expect(c, 2, "slot_taken", 1, won, start);
    }
    assert_int_equal(bookings_on(&s, 4), sizeof times / sizeof times[0]);
}

/* Three bays of the kind (and technicians enough): exactly three of the clients win the same
 * start, each on a different bay. */
static void test_race_three_bays_exactly_three_win(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 3, 4);
    for (int round = 0; round < 2; round++) {
        struct client c[CLIENTS];
        const char *start = day_at(1, round ? "14:00" : "09:00");
        for (int i = 0; i < CLIENTS; i++)
            client_books(&c[i], s.advisors[i % 4], s.vehicles[i], s.op, start, NULL);
        int64_t won[CLIENTS];
        race_expect(c, CLIENTS, "slot_taken", 3, won, fmt("round %d", round));
        int64_t bays[3], techs[3];
        for (int w = 0; w < 3; w++) {
            json_t *a = call("GET", fmt(APPTS "/%lld", (long long)won[w]), s.st.manager, NULL, 200);
            bays[w] = json_integer_value(json_object_get(a, "bay_id"));
            techs[w] = json_integer_value(json_object_get(a, "technician_id"));
            json_decref(a);
        }
        assert_true(bays[0] != bays[1] && bays[1] != bays[2] && bays[0] != bays[2]);
        assert_true(techs[0] != techs[1] && techs[1] != techs[2] && techs[0] != techs[2]);
    }
    assert_int_equal(bookings_on(&s, 1), 6);
}

/* The last unit of a part: each client books a different day (so every slot is free), case C
 * wanting one unit without waiting for parts. Exactly one reserves it; the others are told
 * 422 parts_unavailable; reserved never exceeds on hand. */
static void test_race_last_unit_of_a_part(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 1, 1);
    const char *m = s.st.manager;
    const char *repair =
        op_named(m, "更换滤芯", NULL, "0.5", "quick_service", "maintenance", 15000);
    static const char *const at[3] = {"09:00", "13:00", "15:00"};
    for (int round = 0; round < 3; round++) {
        const char *pno = part_named(m, "空调滤芯", 6800, 1, 5);
        const char *one = keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}]", pno));
        struct client c[CLIENTS];
        for (int i = 0; i < CLIENTS; i++)
            client_books(&c[i], s.advisors[i % 4], s.vehicles[i], repair, day_at(1 + i, at[round]),
                         one);
        int64_t won[CLIENTS];
        race_expect(c, CLIENTS, "parts_unavailable", 1, won, fmt("round %d", round));
        json_t *p = call("GET", fmt("/api/v1/parts/%s", pno), m, NULL, 200);
        assert_int_equal(json_integer_value(json_object_get(p, "on_hand")), 1);
        assert_int_equal(json_integer_value(json_object_get(p, "reserved")), 1);
        assert_int_equal(json_integer_value(json_object_get(p, "available")), 0);
        assert_int_equal(json_integer_value(json_object_get(p, "on_order")), 0);
        json_decref(p);
        json_t *a = call("GET", fmt(APPTS "/%lld", (long long)won[0]), m, NULL, 200);
        assert_string_equal(json_string_value(json_object_get(a, "case")), "C");
        json_t *part = json_array_get(json_object_get(a, "parts"), 0);
        assert_string_equal(json_string_value(json_object_get(part, "state")), "reserved");
        json_decref(a);
        /* Nothing was ordered for the losers. */
        assert_int_equal(items_count("/api/v1/purchase-orders", m), 0);
    }
}

/* ---- one purchase order received by several at once ---- */

/* The parts of a case-D booking arrive once: of several clerks receiving the same purchase
 * order at the same moment, one gets 200, the others 409 conflict, and on hand goes up once. */
static void test_race_receive_once(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s, 1, 1);
    const char *m = s.st.manager;
    const char *pm[2] = {m, store_user(&s.st, "parts_manager")};
    for (int round = 0; round < 3; round++) {
        const char *pno = part_named(m, "机油", 5000, 0, 2 + round);
        json_decref(
            book(m, s.vehicles[round], s.op, day_at(5 + round, "09:00"),
                 fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":4}],\"wait_for_parts\":true", pno)));
        json_t *o = call("GET", "/api/v1/purchase-orders?status=open", m, NULL, 200);
        assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
        int64_t id = json_integer_value(
            json_object_get(json_array_get(json_object_get(o, "items"), 0), "id"));
        json_decref(o);
        const char *path = keep(fmt("/api/v1/purchase-orders/%lld/receive", (long long)id));
        enum { N = 8 };
        struct client w[N];
        for (int i = 0; i < N; i++)
            w[i] = (struct client){.token = pm[i % 2], .path = path};
        race(w, N);
        int ok = 0, conflict = 0;
        for (int i = 0; i < N; i++) {
            const char *ec = http_answer_code(&w[i].r);
            if (w[i].r.rc == CURLE_OK && w[i].r.status == 200)
                ok++;
            else if (w[i].r.status == 409 && ec && strcmp(ec, "conflict") == 0)
                conflict++;
            else
                print_answer(i, &w[i].r);
            json_decref(w[i].r.json);
        }
        json_t *p = call("GET", fmt("/api/v1/parts/%s", pno), m, NULL, 200);
        int64_t on_hand = json_integer_value(json_object_get(p, "on_hand"));
        int64_t reserved = json_integer_value(json_object_get(p, "reserved"));
        json_decref(p);
        if (ok != 1 || on_hand != 4)
            print_error("round %d: %d received, %d conflict; on hand %lld, reserved %lld\n", round,
                        ok, conflict, (long long)on_hand, (long long)reserved);
        assert_int_equal(ok, 1);
        assert_int_equal(conflict, N - 1);
        assert_int_equal(on_hand, 4);
        assert_int_equal(reserved, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_race_one_bay_exactly_one_wins),
        cmocka_unit_test(test_race_two_advisors_many_times),
        cmocka_unit_test(test_race_three_bays_exactly_three_win),
        cmocka_unit_test(test_race_last_unit_of_a_part),
        cmocka_unit_test(test_race_receive_once),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
