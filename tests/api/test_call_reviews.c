/* The 9-point booking-call check (IN-21) against the real server, on both backends: a review
 * and its score; every refusal, changing nothing; who may score and read; the call-quality
 * report's figures on hand-computed reviews across two months, two advisors and a year
 * boundary (store-local months); corrections and removals audited; store isolation; two
 * concurrent scores both land and concurrent corrections of different points both stay.
 *
 * Every test runs in a store of its own with the server's clock at NOW (2027-01-15 12:00 in
 * Shanghai), set before anyone signs in, so nothing depends on today. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "booking_fixtures.h"
#include "harness.h"

#define REVIEWS "/api/v1/call-reviews"
/* fmt() with its result kept (a table of bodies outlives fmt's rotating buffers). */
#define K(...) keep(fmt(__VA_ARGS__))
#define NOW    1799985600 /* 2027-01-15T04:00:00Z = 12:00 in Shanghai */

static const char *const POINTS[9] = {
    "answer_3_rings", "greeting",      "surname",      "details_confirmed",
    "customer_words", "parts_checked", "alternatives", "window_and_estimate",
    "closing"};

/* The nine points as JSON: all passed except those named in `failed` (comma-separated). */
static const char *points(const char *failed)
{
    char buf[512] = "{";
    for (int i = 0; i < 9; i++) {
        bool fail = failed && strstr(failed, POINTS[i]) != NULL;
        char one[64];
        snprintf(one, sizeof one, "%s\"%s\":%s", i ? "," : "", POINTS[i], fail ? "false" : "true");
        strcat(buf, one);
    }
    strcat(buf, "}");
    return keep(buf);
}

static int64_t my_id(const char *token)
{
    json_t *me = call("GET", "/api/v1/me", token, NULL, 200);
    int64_t id = jint(json_object_get(me, "user"), "id");
    json_decref(me);
    return id;
}

struct shop {
    struct test_store st;
    const char *m;             /* the service manager */
    const char *adv_a, *adv_b; /* two advisors */
    int64_t a, b;
};

static void shop_new(struct shop *s)
{
    srv_clock_set(SRV, NOW);
    store_new(&s->st);
    s->m = s->st.manager;
    s->adv_a = store_user(&s->st, "advisor");
    s->adv_b = store_user(&s->st, "advisor");
    s->a = my_id(s->adv_a);
    s->b = my_id(s->adv_b);
}

static int64_t review(const char *token, int64_t advisor, const char *call_at, const char *failed)
{
    json_t *r = call("POST", REVIEWS, token,
                     fmt("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s}",
                         (long long)advisor, call_at, points(failed)),
                     201);
    int64_t id = jint(r, "id");
    json_decref(r);
    return id;
}

static size_t count_reviews(const char *token, const char *query)
{
    json_t *all = fetch_pages(fmt(REVIEWS "%s", query ? query : ""), token, 0, NULL);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

/* The newest audit row of a review, read by the store's manager. */
static json_t *audit_of(const char *manager, int64_t id)
{
    json_t *j =
        call("GET", fmt("/api/v1/audit?entity=call_review&entity_id=%lld&limit=1", (long long)id),
             manager, NULL, 200);
    json_t *e = json_incref(json_array_get(json_object_get(j, "items"), 0));
    assert_non_null(e);
    json_decref(j);
    return e;
}

static double num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static const json_t *rates(const json_t *o)
{
    return json_object_get(o, "pass_rates");
}

/* IN-21: a review of seven points out of nine scores 7; its fields come back; it is audited;
 * the local time and the month are the store's; a mystery shopper's review with a booking. */
static void test_call_reviews_create_scores(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    json_t *r = call("POST", REVIEWS, s.m,
                     fmt("{\"advisor_id\":%lld,\"call_at\":\"2027-01-15T02:15:00Z\",\"points\":%s,"
                         "\"note\":\"没有用客户的姓称呼\"}",
                         (long long)s.a, points("surname,alternatives")),
                     201);
    int64_t id = jint(r, "id");
    assert_int_equal(jint(r, "score"), 7);
    assert_int_equal(jint(r, "max_score"), 9);
    assert_int_equal(jint(r, "advisor_id"), s.a);
    assert_string_equal(jstr(r, "source"), "manager");
    assert_string_equal(jstr(r, "call_at"), "2027-01-15T02:15:00Z");
    assert_string_equal(jstr(r, "call_local"), "2027-01-15T10:15");
    assert_string_equal(jstr(r, "month"), "2027-01");
    assert_string_equal(jstr(r, "note"), "没有用客户的姓称呼");
    assert_true(json_is_false(json_object_get(json_object_get(r, "points"), "surname")));
    assert_true(json_is_true(json_object_get(json_object_get(r, "points"), "closing")));
    assert_int_equal(jint(json_object_get(r, "reviewed_by"), "id"), my_id(s.m));
    json_decref(r);
    json_t *a = audit_of(s.m, id);
    assert_string_equal(jstr(a, "action"), "create");
    json_decref(a);
    r = call("GET", fmt(REVIEWS "/%lld", (long long)id), s.m, NULL, 200);
    assert_int_equal(jint(r, "score"), 7);
    json_decref(r);

    /* The console's store-local time; a mystery shopper; a full score; now itself is fine. */
    r = call("POST", REVIEWS, s.m,
             fmt("{\"advisor_id\":%lld,\"call_at\":\"2027-01-15T12:00\",\"points\":%s,"
                 "\"source\":\"mystery_shopper\"}",
                 (long long)s.b, points(NULL)),
             201);
    assert_int_equal(jint(r, "score"), 9);
    assert_string_equal(jstr(r, "call_at"), "2027-01-15T04:00:00Z");
    assert_string_equal(jstr(r, "source"), "mystery_shopper");
    json_decref(r);
    /* None passed: 0. */
    r = call("POST", REVIEWS, s.m,
             fmt("{\"advisor_id\":%lld,\"call_at\":\"2027-01-10T01:00:00Z\",\"points\":%s}",
                 (long long)s.b,
                 points("answer_3_rings,greeting,surname,details_confirmed,customer_words,"
                        "parts_checked,alternatives,window_and_estimate,closing")),
             201);
    assert_int_equal(jint(r, "score"), 0);
    json_decref(r);
    assert_int_equal(count_reviews(s.m, NULL), 3);
    srv_clock_set(SRV, 0);
}

/* IN-21: every refusal answers 4xx and changes nothing (no review, no audit row). */
static void test_call_reviews_refusals_change_nothing(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    const char *caller = store_user(&s.st, "caller");
    int64_t caller_id = my_id(caller);
    int64_t other_store_adv = my_id(tok(U_ADVISOR2));
    int64_t head = audit_head_of(s.m);
    const char *ok_at = "2027-01-15T02:00:00Z";
    char all_but_closing[512];
    snprintf(all_but_closing, sizeof all_but_closing, "%s", points(NULL));
    /* Drop "closing" from the nine. */
    char *c = strstr(all_but_closing, ",\"closing\":true");
    assert_non_null(c);
    strcpy(c, "}");
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s}", (long long)s.a, ok_at,
           all_but_closing),
         400, "missing_field", "points.closing"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\"}", (long long)s.a, ok_at), 400, "missing_field",
         "points"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":{\"answer_3_rings\":1,"
           "\"greeting\":true,\"surname\":true,\"details_confirmed\":true,\"customer_words\":"
           "true,\"parts_checked\":true,\"alternatives\":true,\"window_and_estimate\":true,"
           "\"closing\":true}}",
           (long long)s.a, ok_at),
         400, "invalid_field", "points.answer_3_rings"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":{\"answer_3_rings\":\"yes\","
           "\"greeting\":true,\"surname\":true,\"details_confirmed\":true,\"customer_words\":"
           "true,\"parts_checked\":true,\"alternatives\":true,\"window_and_estimate\":true,"
           "\"closing\":true}}",
           (long long)s.a, ok_at),
         400, "invalid_field", "points.answer_3_rings"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":{\"smile\":true,"
           "\"answer_3_rings\":true,\"greeting\":true,\"surname\":true,\"details_confirmed\":"
           "true,\"customer_words\":true,\"parts_checked\":true,\"alternatives\":true,"
           "\"window_and_estimate\":true,\"closing\":true}}",
           (long long)s.a, ok_at),
         400, "invalid_field", "points.smile"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":[true]}", (long long)s.a, ok_at),
         400, "invalid_field", "points"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s,\"stars\":5}", (long long)s.a,
           ok_at, points(NULL)),
         400, "invalid_field", "stars"},
        {K("{\"call_at\":\"%s\",\"points\":%s}", ok_at, points(NULL)), 400, "missing_field",
         "advisor_id"},
        {K("{\"advisor_id\":%lld,\"points\":%s}", (long long)s.a, points(NULL)), 400,
         "missing_field", "call_at"},
        /* Another store's advisor: like no user at all. */
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s}", (long long)other_store_adv,
           ok_at, points(NULL)),
         404, "not_found", "advisor_id"},
        /* A user of the store who does not take booking calls. */
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s}", (long long)caller_id, ok_at,
           points(NULL)),
         422, "not_an_advisor", "advisor_id"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s}", (long long)my_id(s.m), ok_at,
           points(NULL)),
         422, "not_an_advisor", "advisor_id"},
        /* Ids beyond 32 bits, and beyond any. */
        {K("{\"advisor_id\":2147483648,\"call_at\":\"%s\",\"points\":%s}", ok_at, points(NULL)),
         404, "not_found", "advisor_id"},
        {K("{\"advisor_id\":4294967296,\"call_at\":\"%s\",\"points\":%s}", ok_at, points(NULL)),
         404, "not_found", "advisor_id"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s,\"appointment_id\":"
           "2147483648}",
           (long long)s.a, ok_at, points(NULL)),
         404, "not_found", "appointment_id"},
        {K("{\"advisor_id\":0,\"call_at\":\"%s\",\"points\":%s}", ok_at, points(NULL)), 400,
         "invalid_field", "advisor_id"},
        {K("{\"advisor_id\":\"%lld\",\"call_at\":\"%s\",\"points\":%s}", (long long)s.a, ok_at,
           points(NULL)),
         400, "invalid_field", "advisor_id"},
        /* The future, by the server's clock (NOW): a second later, UTC or store-local. */
        {K("{\"advisor_id\":%lld,\"call_at\":\"2027-01-15T04:00:01Z\",\"points\":%s}",
           (long long)s.a, points(NULL)),
         422, "invalid_date", "call_at"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"2027-01-15T12:01\",\"points\":%s}", (long long)s.a,
           points(NULL)),
         422, "invalid_date", "call_at"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"yesterday\",\"points\":%s}", (long long)s.a,
           points(NULL)),
         422, "invalid_date", "call_at"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"2027-02-30T10:00\",\"points\":%s}", (long long)s.a,
           points(NULL)),
         422, "invalid_date", "call_at"},
        {K("{\"advisor_id\":%lld,\"call_at\":\"%s\",\"points\":%s,\"source\":\"customer\"}",
           (long long)s.a, ok_at, points(NULL)),
         400, "invalid_field", "source"},
        {"{\"advisor_id\":", 400, "invalid_json", NULL},
        {"[1,2]", 400, "invalid_json", NULL},
        {"{\"advisor_id\":1,\"advisor_id\":2}", 400, "invalid_json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        rejected("POST", REVIEWS, s.m, cases[i].body, cases[i].status, cases[i].code,
                 cases[i].field);
    assert_int_equal(audit_head_of(s.m), head);
    assert_int_equal(count_reviews(s.m, NULL), 0);
    /* A correction's refusals leave the review as it was. */
    int64_t id = review(s.m, s.a, ok_at, "closing");
    const char *path = keep(fmt(REVIEWS "/%lld", (long long)id));
    head = audit_head_of(s.m);
    char *before = snapshot(path, s.m);
    rejected("PATCH", path, s.m, "{\"points\":{\"closing\":\"yes\"}}", 400, "invalid_field",
             "points.closing");
    rejected("PATCH", path, s.m, "{\"points\":{\"closing\":null}}", 400, "missing_field",
             "points.closing");
    rejected("PATCH", path, s.m, "{\"points\":{\"smile\":true}}", 400, "invalid_field",
             "points.smile");
    rejected("PATCH", path, s.m, fmt("{\"advisor_id\":%lld}", (long long)caller_id), 422,
             "not_an_advisor", "advisor_id");
    rejected("PATCH", path, s.m, fmt("{\"advisor_id\":%lld}", (long long)other_store_adv), 404,
             "not_found", "advisor_id");
    rejected("PATCH", path, s.m, "{\"call_at\":\"2027-01-16T00:00:00Z\"}", 422, "invalid_date",
             "call_at");
    rejected("PATCH", path, s.m, "{\"call_at\":null}", 400, "invalid_field", "call_at");
    rejected("PATCH", path, s.m, "{\"points\":{\"closing\":true", 400, "invalid_json", NULL);
    rejected("PATCH", REVIEWS "/2147483648", s.m, "{\"note\":\"x\"}", 404, "not_found", NULL);
    rejected("DELETE", REVIEWS "/2147483648", s.m, NULL, 404, "not_found", NULL);
    rejected("GET", REVIEWS "/4294967296", s.m, NULL, 404, "not_found", NULL);
    assert_unchanged(path, s.m, before);
    assert_int_equal(audit_head_of(s.m), head);
    /* The list's and the report's bad filters. */
    rejected("GET", REVIEWS "?month=2027-13", s.m, NULL, 422, "invalid_date", "month");
    rejected("GET", REVIEWS "?advisor_id=abc", s.m, NULL, 400, "invalid_field", "advisor_id");
    rejected("GET", "/api/v1/reports/call-quality", s.m, NULL, 400, "missing_field", "month");
    rejected("GET", "/api/v1/reports/call-quality?month=2027-1", s.m, NULL, 422, "invalid_date",
             "month");
    assert_int_equal(count_reviews(s.m, "?advisor_id=2147483648"), 0);
    srv_clock_set(SRV, 0);
}

/* IN-21: the service manager and the administrator score; an advisor reads their own reviews
 * only; other roles neither score nor read; only the manager and admin read the report. */
static void test_call_reviews_permissions(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    const char *admin = store_user(&s.st, "admin");
    const char *caller = store_user(&s.st, "caller");
    const char *shop = store_user(&s.st, "workshop");
    const char *body = keep(fmt("{\"advisor_id\":%lld,\"call_at\":\"2027-01-14T02:00:00Z\","
                                "\"points\":%s}",
                                (long long)s.a, points(NULL)));
    int64_t head = audit_head_of(s.m);
    rejected("POST", REVIEWS, s.adv_a, body, 403, "forbidden", NULL);
    rejected("POST", REVIEWS, caller, body, 403, "forbidden", NULL);
    rejected("POST", REVIEWS, shop, body, 403, "forbidden", NULL);
    assert_int_equal(audit_head_of(s.m), head);
    int64_t by_admin = review(admin, s.a, "2027-01-14T02:00:00Z", "greeting");
    int64_t of_a = review(s.m, s.a, "2027-01-14T03:00:00Z", NULL);
    int64_t of_b = review(s.m, s.b, "2027-01-14T03:30:00Z", NULL);
    /* The advisor: their own two, not B's, whatever the filter. */
    assert_int_equal(count_reviews(s.adv_a, NULL), 2);
    assert_int_equal(count_reviews(s.adv_a, fmt("?advisor_id=%lld", (long long)s.a)), 2);
    rejected("GET", fmt(REVIEWS "?advisor_id=%lld", (long long)s.b), s.adv_a, NULL, 403,
             "forbidden", "advisor_id");
    json_t *r = call("GET", fmt(REVIEWS "/%lld", (long long)of_a), s.adv_a, NULL, 200);
    json_decref(r);
    rejected("GET", fmt(REVIEWS "/%lld", (long long)of_b), s.adv_a, NULL, 404, "not_found", NULL);
    assert_int_equal(count_reviews(s.adv_b, NULL), 1);
    /* Nor correct or remove, nor read the report. */
    rejected("PATCH", fmt(REVIEWS "/%lld", (long long)of_a), s.adv_a, "{\"note\":\"x\"}", 403,
             "forbidden", NULL);
    rejected("DELETE", fmt(REVIEWS "/%lld", (long long)of_a), s.adv_a, NULL, 403, "forbidden",
             NULL);
    rejected("GET", "/api/v1/reports/call-quality?month=2027-01", s.adv_a, NULL, 403, "forbidden",
             NULL);
    /* A caller or the workshop: nothing. */
    rejected("GET", REVIEWS, caller, NULL, 403, "forbidden", NULL);
    rejected("GET", fmt(REVIEWS "/%lld", (long long)of_a), shop, NULL, 403, "forbidden", NULL);
    rejected("GET", "/api/v1/reports/call-quality?month=2027-01", caller, NULL, 403, "forbidden",
             NULL);
    /* The manager and the admin read all three and the report. */
    assert_int_equal(count_reviews(s.m, NULL), 3);
    assert_int_equal(count_reviews(admin, NULL), 3);
    r = call("GET", "/api/v1/reports/call-quality?month=2027-01", admin, NULL, 200);
    assert_int_equal(jint(json_object_get(r, "store"), "reviews"), 3);
    json_decref(r);
    (void)by_admin;
    srv_clock_set(SRV, 0);
}

static const json_t *advisor_in(const json_t *rep, int64_t id)
{
    json_t *list = json_object_get(rep, "advisors");
    for (size_t i = 0; i < json_array_size(list); i++)
        if (jint(json_array_get(list, i), "advisor_id") == id)
            return json_array_get(list, i);
    fail_msg("advisor %lld not in the report", (long long)id);
    return NULL;
}

static void assert_rate(const json_t *q, const char *point, double want)
{
    double got = num(rates(q), point);
    if (got < want - 1e-9 || got > want + 1e-9)
        fail_msg("%s: %g, want %g", point, got, want);
}

/* IN-21: the report's figures on hand-computed reviews: December 2026 (A 9 and 7, B 5) and
 * January 2027 (A 8, B 9 and 6), one of January's at 00:30 on New Year's Day in Shanghai (still
 * 2026 in UTC), and a review of another store that must not count. */
static void test_call_reviews_report_figures(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    /* December. */
    review(s.m, s.a, "2026-12-03T02:00:00Z", NULL);                   /* 9 */
    review(s.m, s.a, "2026-12-20T06:00:00Z", "surname,alternatives"); /* 7 */
    review(s.m, s.b, "2026-12-31T15:59:00Z",
           "greeting,surname,alternatives,closing"); /* 5; 23:59 on Dec 31 local */
    /* January. */
    review(s.m, s.a, "2026-12-31T16:30:00Z", "closing"); /* 8; 00:30 on Jan 1 local */
    review(s.m, s.b, "2027-01-05T02:00:00Z", NULL);      /* 9 */
    review(s.m, s.b, "2027-01-12T02:00:00Z", "answer_3_rings,parts_checked,alternatives"); /* 6 */
    /* Another store's review, on S1: not in this store's figures. */
    srv_clock_set(SRV, NOW);
    review(tok(U_MANAGER), my_id(tok(U_ADVISOR)), "2027-01-05T02:00:00Z", NULL);

    json_t *rep = call("GET", "/api/v1/reports/call-quality?month=2027-01", s.m, NULL, 200);
    assert_string_equal(jstr(rep, "month"), "2027-01");
    assert_string_equal(jstr(rep, "from"), "2027-01-01");
    assert_string_equal(jstr(rep, "to"), "2027-01-31");
    assert_int_equal(json_array_size(json_object_get(rep, "points")), 9);
    const json_t *st = json_object_get(rep, "store");
    assert_int_equal(jint(st, "reviews"), 3);
    assert_true(num(st, "average_score") == 7.66); /* 23 / 3, cut */
    assert_int_equal(jint(st, "full_score"), 1);
    assert_rate(st, "answer_3_rings", 0.6666);
    assert_rate(st, "greeting", 1.0);
    assert_rate(st, "closing", 0.6666);
    assert_rate(st, "alternatives", 0.6666);
    assert_rate(st, "surname", 1.0);
    const json_t *a = advisor_in(rep, s.a), *b = advisor_in(rep, s.b);
    assert_int_equal(jint(a, "reviews"), 1);
    assert_true(num(a, "average_score") == 8.0);
    assert_int_equal(jint(a, "full_score"), 0);
    assert_rate(a, "closing", 0.0);
    assert_rate(a, "greeting", 1.0);
    assert_int_equal(jint(b, "reviews"), 2);
    assert_true(num(b, "average_score") == 7.5);
    assert_int_equal(jint(b, "full_score"), 1);
    assert_rate(b, "answer_3_rings", 0.5);
    assert_rate(b, "parts_checked", 0.5);
    assert_rate(b, "closing", 1.0);
    /* The trend: six months ending with January, oldest first, across the year. */
    json_t *trend = json_object_get(rep, "trend");
    assert_int_equal(json_array_size(trend), 6);
    assert_string_equal(jstr(json_array_get(trend, 0), "month"), "2026-08");
    assert_string_equal(jstr(json_array_get(trend, 4), "month"), "2026-12");
    assert_string_equal(jstr(json_array_get(trend, 5), "month"), "2027-01");
    const json_t *dec = json_array_get(trend, 4);
    assert_int_equal(jint(dec, "reviews"), 3);
    assert_true(num(dec, "average_score") == 7.0); /* 21 / 3 */
    assert_int_equal(jint(dec, "full_score"), 1);
    assert_rate(dec, "surname", 0.3333);
    assert_rate(dec, "greeting", 0.6666);
    assert_rate(dec, "answer_3_rings", 1.0);
    /* No reviews: no figure, not 0. */
    const json_t *aug = json_array_get(trend, 0);
    assert_int_equal(jint(aug, "reviews"), 0);
    assert_true(json_is_null(json_object_get(aug, "average_score")));
    assert_true(json_is_null(json_object_get(rates(aug), "greeting")));
    assert_int_equal(jint(json_array_get(trend, 5), "reviews"), 3);
    /* Each advisor's trend. */
    const json_t *a_dec = json_array_get(json_object_get(a, "trend"), 4);
    assert_int_equal(jint(a_dec, "reviews"), 2);
    assert_true(num(a_dec, "average_score") == 8.0);
    assert_rate(a_dec, "surname", 0.5);
    const json_t *b_dec = json_array_get(json_object_get(b, "trend"), 4);
    assert_int_equal(jint(b_dec, "reviews"), 1);
    assert_true(num(b_dec, "average_score") == 5.0);
    assert_rate(b_dec, "greeting", 0.0);
    json_decref(rep);

    /* December's own report: its trend ends in December. */
    rep = call("GET", "/api/v1/reports/call-quality?month=2026-12", s.m, NULL, 200);
    assert_int_equal(jint(json_object_get(rep, "store"), "reviews"), 3);
    assert_string_equal(jstr(json_array_get(json_object_get(rep, "trend"), 5), "month"), "2026-12");
    assert_true(num(advisor_in(rep, s.b), "average_score") == 5.0);
    json_decref(rep);
    /* The list by month (the store-local day) and advisor. */
    assert_int_equal(count_reviews(s.m, "?month=2026-12"), 3);
    assert_int_equal(count_reviews(s.m, "?month=2027-01"), 3);
    assert_int_equal(count_reviews(s.m, fmt("?month=2027-01&advisor_id=%lld", (long long)s.b)), 2);
    assert_int_equal(count_reviews(s.m, fmt("?advisor_id=%lld", (long long)s.a)), 3);
    /* The command line prints the same month (IN-21): the store's line has 3 reviews, 7.66. */
    char out[8192];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "report", "call-quality", "--month",
                             "2027-01", "--store", s.st.code, NULL),
                     0);
    const char *store_line = strstr(out, "\nstore ");
    if (!store_line || !strstr(store_line, " 3 ") || !strstr(store_line, "7.66") ||
        !strstr(store_line, "66.7%"))
        fail_msg("dms report call-quality: %s", out);
    assert_int_equal(
        srv_cli(SRV, NULL, out, sizeof out, "report", "call-quality", "--date", "2027-01-05", NULL),
        2);
    /* Paged: three pages of two. */
    int pages = 0;
    json_t *all = fetch_pages(REVIEWS, s.m, 2, &pages);
    assert_int_equal(json_array_size(all), 6);
    assert_int_equal(pages, 3);
    json_decref(all);
    srv_clock_set(SRV, 0);
}

/* IN-21: a manager corrects a mistyped point (the score follows), the advisor, the note; each
 * audited with before and after; a correction that changes nothing writes nothing; a review
 * entered by mistake is removed, audited, and leaves the report. */
static void test_call_reviews_correction_audited(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    int64_t id = review(s.m, s.a, "2027-01-14T02:00:00Z", "surname,closing");
    const char *path = keep(fmt(REVIEWS "/%lld", (long long)id));
    json_t *r =
        call("PATCH", path, s.m, "{\"points\":{\"closing\":true},\"note\":\"听错了\"}", 200);
    assert_int_equal(jint(r, "score"), 8);
    assert_true(json_is_false(json_object_get(json_object_get(r, "points"), "surname")));
    assert_true(json_is_true(json_object_get(json_object_get(r, "points"), "closing")));
    assert_string_equal(jstr(r, "note"), "听错了");
    json_decref(r);
    json_t *a = audit_of(s.m, id);
    assert_string_equal(jstr(a, "action"), "update");
    json_t *ch = json_object_get(a, "changes");
    json_t *closing = json_object_get(ch, "points.closing");
    assert_non_null(closing);
    assert_true(json_is_false(json_array_get(closing, 0)));
    assert_true(json_is_true(json_array_get(closing, 1)));
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "score"), 0)), 7);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "score"), 1)), 8);
    assert_null(json_object_get(ch, "points.surname"));
    int64_t audit_id = jint(a, "id");
    json_decref(a);
    /* Nothing changed: nothing written. */
    r = call("PATCH", path, s.m, "{\"points\":{\"closing\":true}}", 200);
    json_decref(r);
    a = audit_of(s.m, id);
    assert_int_equal(jint(a, "id"), audit_id);
    json_decref(a);
    /* The wrong advisor and time: moved to B, into December. */
    r = call("PATCH", path, s.m,
             fmt("{\"advisor_id\":%lld,\"call_at\":\"2026-12-30T10:00\",\"source\":"
                 "\"mystery_shopper\"}",
                 (long long)s.b),
             200);
    assert_int_equal(jint(r, "advisor_id"), s.b);
    assert_string_equal(jstr(r, "month"), "2026-12");
    assert_string_equal(jstr(r, "source"), "mystery_shopper");
    json_decref(r);
    assert_int_equal(count_reviews(s.m, "?month=2027-01"), 0);
    assert_int_equal(count_reviews(s.adv_b, NULL), 1);
    assert_int_equal(count_reviews(s.adv_a, NULL), 0);
    /* Removed: 204, audited with what it said, gone from the list and the report. */
    struct resp d = http("DELETE", path, s.m, NULL);
    assert_int_equal(d.status, 204);
    resp_free(&d);
    a = audit_of(s.m, id);
    assert_string_equal(jstr(a, "action"), "delete");
    json_t *score = json_object_get(json_object_get(a, "changes"), "score");
    assert_int_equal(json_integer_value(json_array_get(score, 0)), 8);
    json_decref(a);
    rejected("GET", path, s.m, NULL, 404, "not_found", NULL);
    rejected("DELETE", path, s.m, NULL, 404, "not_found", NULL);
    json_t *rep = call("GET", "/api/v1/reports/call-quality?month=2026-12", s.m, NULL, 200);
    assert_int_equal(jint(json_object_get(rep, "store"), "reviews"), 0);
    json_decref(rep);
    srv_clock_set(SRV, 0);
}

/* No request of one store reaches another's reviews: S1's manager neither reads, lists,
 * corrects, removes nor counts this store's review. */
static void test_call_reviews_store_isolation(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    int64_t id = review(s.m, s.a, "2027-01-14T02:00:00Z", NULL);
    const char *path = keep(fmt(REVIEWS "/%lld", (long long)id));
    const char *other = tok(U_MANAGER);
    char *before = snapshot(path, s.m);
    rejected("GET", path, other, NULL, 404, "not_found", NULL);
    rejected("PATCH", path, other, "{\"points\":{\"closing\":false}}", 404, "not_found", NULL);
    rejected("DELETE", path, other, NULL, 404, "not_found", NULL);
    rejected("GET", path, tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
    json_t *all = fetch_pages(fmt(REVIEWS "?advisor_id=%lld", (long long)s.a), other, 0, NULL);
    assert_int_equal(json_array_size(all), 0);
    json_decref(all);
    /* S1 cannot score this store's advisor either. */
    rejected("POST", REVIEWS, other,
             fmt("{\"advisor_id\":%lld,\"call_at\":\"2027-01-14T02:00:00Z\",\"points\":%s}",
                 (long long)s.a, points(NULL)),
             404, "not_found", "advisor_id");
    json_t *rep = call("GET", "/api/v1/reports/call-quality?month=2027-01", other, NULL, 200);
    json_t *list = json_object_get(rep, "advisors");
    for (size_t i = 0; i < json_array_size(list); i++)
        assert_true(jint(json_array_get(list, i), "advisor_id") != s.a);
    json_decref(rep);
    assert_unchanged(path, s.m, before);
    srv_clock_set(SRV, 0);
}

/* IN-21: a review links the booking the call made, of the same store only; a correction
 * unlinks it. */
static void test_call_reviews_link_the_booking(void **state)
{
    (void)state;
    srv_clock_set(SRV, NOW);
    struct workshop w, other;
    workshop_new(&w, 1, 1);
    open_all_day(w.m);
    workshop_new(&other, 1, 1);
    open_all_day(other.m);
    const char *adv = store_user(&w.st, "advisor");
    int64_t adv_id = my_id(adv);
    int64_t appt = book_confirmed(adv, car(adv), w.op, "2027-01-16T10:00", NULL);
    const char *oadv = store_user(&other.st, "advisor");
    int64_t foreign = book_confirmed(oadv, car(oadv), other.op, "2027-01-16T10:00", NULL);
    int64_t head = audit_head_of(w.m);
    rejected("POST", REVIEWS, w.m,
             K("{\"advisor_id\":%lld,\"call_at\":\"2027-01-15T01:00:00Z\",\"points\":%s,"
               "\"appointment_id\":%lld}",
               (long long)adv_id, points(NULL), (long long)foreign),
             404, "not_found", "appointment_id");
    assert_int_equal(audit_head_of(w.m), head);
    json_t *r = call("POST", REVIEWS, w.m,
                     K("{\"advisor_id\":%lld,\"call_at\":\"2027-01-15T01:00:00Z\",\"points\":%s,"
                       "\"appointment_id\":%lld}",
                       (long long)adv_id, points("closing"), (long long)appt),
                     201);
    assert_int_equal(jint(r, "appointment_id"), appt);
    const char *path = keep(fmt(REVIEWS "/%lld", (long long)jint(r, "id")));
    json_decref(r);
    rejected("PATCH", path, w.m, K("{\"appointment_id\":%lld}", (long long)foreign), 404,
             "not_found", "appointment_id");
    r = call("PATCH", path, w.m, "{\"appointment_id\":null}", 200);
    assert_true(json_is_null(json_object_get(r, "appointment_id")));
    json_decref(r);
    srv_clock_set(SRV, 0);
}

/* ---- concurrency ---- */

struct racer {
    const char *method, *path, *token, *body;
    pthread_barrier_t *start;
    struct http_answer r;
};

static void *race_run(void *arg)
{
    struct racer *c = arg;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(c->start);
    if (h) {
        c->r = http_call_on(h, SRV->base, c->method, c->path, c->token, c->body);
        curl_easy_cleanup(h);
    }
    return NULL;
}

/* Sends the requests at once; every one must answer want. */
static void race_all(struct racer *c, int n, long want)
{
    pthread_t th[9];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        c[i].start = &start;
        assert_int_equal(pthread_create(&th[i], NULL, race_run, &c[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < n; i++) {
        if (c[i].r.status != want)
            fail_msg("racer %d: HTTP %ld (%s)", i, c[i].r.status,
                     http_answer_code(&c[i].r) ? http_answer_code(&c[i].r) : "-");
        json_decref(c[i].r.json);
    }
}

/* Two scores at once both land (no lost rows); corrections of different points of one review
 * at once all stay (the row is locked before it is read), round after round. */
static void test_call_reviews_concurrent(void **state)
{
    (void)state;
    struct shop s;
    shop_new(&s);
    for (int round = 0; round < 3; round++) {
        const char *body = keep(fmt("{\"advisor_id\":%lld,\"call_at\":\"2027-01-14T02:00:00Z\","
                                    "\"points\":%s}",
                                    (long long)s.a, points(NULL)));
        struct racer c[2] = {{"POST", REVIEWS, s.m, body, NULL, {0}},
                             {"POST", REVIEWS, s.m, body, NULL, {0}}};
        race_all(c, 2, 201);
    }
    assert_int_equal(count_reviews(s.m, NULL), 6);
    for (int round = 0; round < 3; round++) {
        int64_t id = review(s.m, s.b, "2027-01-14T03:00:00Z",
                            "answer_3_rings,greeting,surname,details_confirmed,customer_words,"
                            "parts_checked,alternatives,window_and_estimate,closing");
        const char *path = keep(fmt(REVIEWS "/%lld", (long long)id));
        struct racer c[4];
        for (int i = 0; i < 4; i++)
            c[i] = (struct racer){"PATCH", path,
                                  s.m,     keep(fmt("{\"points\":{\"%s\":true}}", POINTS[i * 2])),
                                  NULL,    {0}};
        race_all(c, 4, 200);
        json_t *r = call("GET", path, s.m, NULL, 200);
        assert_int_equal(jint(r, "score"), 4);
        for (int i = 0; i < 4; i++)
            assert_true(json_is_true(json_object_get(json_object_get(r, "points"), POINTS[i * 2])));
        json_decref(r);
    }
    srv_clock_set(SRV, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_reviews_create_scores),
        cmocka_unit_test(test_call_reviews_refusals_change_nothing),
        cmocka_unit_test(test_call_reviews_permissions),
        cmocka_unit_test(test_call_reviews_report_figures),
        cmocka_unit_test(test_call_reviews_correction_audited),
        cmocka_unit_test(test_call_reviews_store_isolation),
        cmocka_unit_test(test_call_reviews_link_the_booking),
        cmocka_unit_test(test_call_reviews_concurrent),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
