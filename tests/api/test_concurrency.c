/* Many clients at once on one server: creates under load (every answer a 201 or a clean 503,
 * ids unique, exactly one audit entry per created record), two edits of the same customer at
 * the same moment (no lost update), and races for the same VIN, plate or username (exactly one
 * winner, the others 409). Worker threads send with http_call_on() on their own curl handles
 * and never call cmocka; the main thread checks what they recorded. */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The id of a created record. */
static int64_t id_of(const struct http_answer *r)
{
    return json_integer_value(json_object_get(r->json, "id"));
}

/* ---- creates under load ---- */

enum { WORKERS = 16, PER_WORKER = 20 };
enum { E_CUSTOMER, E_VEHICLE, E_READING, E_KINDS };
static const char *const ENTITY[E_KINDS] = {"customer", "vehicle", "mileage_reading"};

struct created {
    int kind;
    int64_t id;
};

struct worker {
    int index;
    const char *token;
    pthread_barrier_t *start;
    /* Results. */
    struct created made[PER_WORKER];
    int n_made;
    int ok, busy, other;
    char detail[300];
};

static void record_other(struct worker *w, const char *what, const struct http_answer *r)
{
    w->other++;
    char *text = r->json ? json_dumps(r->json, JSON_COMPACT) : NULL;
    snprintf(w->detail, sizeof w->detail, "%s: curl %d, HTTP %ld: %.200s", what, (int)r->rc,
             r->status, text ? text : "(no JSON)");
    free(text);
}

/* Counts one answer: 201 (kept), 503 busy, or anything else (a failure). */
static bool count(struct worker *w, const char *what, struct http_answer *r, int kind)
{
    bool ok = r->rc == CURLE_OK && r->status == 201 && id_of(r) > 0;
    if (ok) {
        w->ok++;
        w->made[w->n_made++] = (struct created){kind, id_of(r)};
    } else if (r->rc == CURLE_OK && r->status == 503 && http_answer_code(r) &&
               strcmp(http_answer_code(r), "busy") == 0) {
        w->busy++;
    } else {
        record_other(w, what, r);
    }
    json_decref(r->json);
    r->json = NULL;
    return ok;
}

static void *create_worker(void *p)
{
    struct worker *w = p;
    CURL *h = curl_easy_init();
    if (!h) {
        w->other++;
        snprintf(w->detail, sizeof w->detail, "curl_easy_init failed");
        return NULL;
    }
    pthread_barrier_wait(w->start);
    int64_t customer = 0, vehicle = 0, km = 0;
    for (int i = 0; i < PER_WORKER; i++) {
        unsigned n = uniq();
        char body[256];
        struct http_answer r;
        if (!customer || i % 4 == 0) {
            char phone[16];
            make_mobile(phone, n);
            snprintf(body, sizeof body, "{\"name\":\"并发%d\",\"phone\":\"%s\"}", w->index, phone);
            r = http_call_on(h, SRV->base, "POST", "/api/v1/customers", w->token, body);
            int64_t id = id_of(&r);
            if (count(w, "POST /customers", &r, E_CUSTOMER))
                customer = id, vehicle = 0;
        } else if (!vehicle || i % 4 == 1) {
            char vin[18], plate[32];
            make_vin(vin, n);
            make_plate(plate, n);
            snprintf(body, sizeof body, "{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}",
                     (long long)customer, vin, plate);
            r = http_call_on(h, SRV->base, "POST", "/api/v1/vehicles", w->token, body);
            int64_t id = id_of(&r);
            if (count(w, "POST /vehicles", &r, E_VEHICLE))
                vehicle = id, km = 0;
        } else {
            char path[64];
            snprintf(path, sizeof path, "/api/v1/vehicles/%lld/mileage", (long long)vehicle);
            snprintf(body, sizeof body, "{\"km\":%lld}", (long long)(km + 1000));
            r = http_call_on(h, SRV->base, "POST", path, w->token, body);
            if (count(w, "POST mileage", &r, E_READING))
                km += 1000;
        }
    }
    curl_easy_cleanup(h);
    return NULL;
}

static int compare_created(const void *a, const void *b)
{
    const struct created *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return (x->id > y->id) - (x->id < y->id);
}

static void test_concurrency_creates_under_load(void **state)
{
    (void)state;
    char *adv = login(U_ADVISOR), *mgr = login(U_MANAGER);
    int64_t head = audit_head_of(mgr);
    static struct worker w[WORKERS];
    pthread_t th[WORKERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, WORKERS);
    for (int i = 0; i < WORKERS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].index = i;
        w[i].token = i % 2 ? adv : mgr;
        w[i].start = &start;
        assert_int_equal(pthread_create(&th[i], NULL, create_worker, &w[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);

    int ok = 0, busy = 0, other = 0;
    static struct created all[WORKERS * PER_WORKER];
    size_t n_all = 0;
    for (int i = 0; i < WORKERS; i++) {
        ok += w[i].ok;
        busy += w[i].busy;
        other += w[i].other;
        if (w[i].other)
            print_error("worker %d: %s\n", i, w[i].detail);
        for (int k = 0; k < w[i].n_made; k++)
            all[n_all++] = w[i].made[k];
    }
    print_message("%d requests: %d created, %d busy (503), %d other\n", WORKERS * PER_WORKER, ok,
                  busy, other);
    /* No 500s, no 4xx: only 201s and the odd clean 503. */
    assert_int_equal(other, 0);
    assert_int_equal(ok + busy, WORKERS * PER_WORKER);
    assert_true(busy * 20 <= WORKERS * PER_WORKER); /* at most 5 % */
    /* Ids are unique per kind. */
    qsort(all, n_all, sizeof all[0], compare_created);
    for (size_t i = 1; i < n_all; i++)
        assert_false(all[i].kind == all[i - 1].kind && all[i].id == all[i - 1].id);

    /* The audit log, from the newest entry back to where it stood: exactly one create per
     * created record and none for anything else. */
    size_t creates[E_KINDS] = {0}, made[E_KINDS] = {0};
    for (size_t i = 0; i < n_all; i++)
        made[all[i].kind]++;
    char cursor[64] = "";
    bool done = false;
    for (int page = 0; page < 100 && !done; page++) {
        json_t *j =
            call("GET", fmt("/api/v1/audit?limit=200%s%s", cursor[0] ? "&cursor=" : "", cursor),
                 mgr, NULL, 200);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(j, "items"), i, e)
        {
            int64_t id = json_integer_value(json_object_get(e, "id"));
            if (id <= head) {
                done = true;
                break;
            }
            const char *action = json_string_value(json_object_get(e, "action"));
            const char *entity = json_string_value(json_object_get(e, "entity"));
            if (strcmp(action, "create") != 0)
                continue;
            int kind = -1;
            for (int k = 0; k < E_KINDS; k++) {
                if (strcmp(entity, ENTITY[k]) == 0)
                    kind = k;
            }
            if (kind < 0)
                continue;
            struct created key = {kind, json_integer_value(json_object_get(e, "entity_id"))};
            if (!bsearch(&key, all, n_all, sizeof all[0], compare_created))
                print_error("audit create for %s %lld that no client was told of\n", entity,
                            (long long)key.id);
            assert_non_null(bsearch(&key, all, n_all, sizeof all[0], compare_created));
            creates[kind]++;
        }
        const char *next = json_string_value(json_object_get(j, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        if (!next)
            done = true;
        json_decref(j);
    }
    for (int k = 0; k < E_KINDS; k++) {
        if (creates[k] != made[k])
            print_error("%s: %zu created, %zu audit creates\n", ENTITY[k], made[k], creates[k]);
        assert_int_equal(creates[k], made[k]);
    }
    /* Spot checks through the API: each vehicle shows its readings. */
    for (size_t i = 0; i < n_all; i++) {
        if (all[i].kind != E_VEHICLE)
            continue;
        json_t *j =
            call("GET", fmt("/api/v1/vehicles/%lld/mileage", (long long)all[i].id), adv, NULL, 200);
        size_t readings = json_array_size(json_object_get(j, "items"));
        json_decref(j);
        j = call("GET", fmt("/api/v1/vehicles/%lld", (long long)all[i].id), adv, NULL, 200);
        int64_t km = json_integer_value(json_object_get(j, "mileage_km"));
        json_decref(j);
        assert_int_equal(km, (int64_t)readings * 1000);
    }
    free(adv);
    free(mgr);
}

/* ---- two edits of one customer at once ---- */

struct patcher {
    const char *token, *path, *body;
    pthread_barrier_t *start;
    struct http_answer r;
};

static void *patch_worker(void *p)
{
    struct patcher *w = p;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(w->start);
    if (h) {
        w->r = http_call_on(h, SRV->base, "PATCH", w->path, w->token, w->body);
        curl_easy_cleanup(h);
    }
    return NULL;
}

static void test_concurrency_same_customer_patched_twice(void **state)
{
    (void)state;
    char *adv = login(U_ADVISOR), *call1 = login(U_CALLER), *mgr = login(U_MANAGER);
    for (int round = 0; round < 6; round++) {
        int64_t id = new_customer(adv, "同时");
        char path[64];
        snprintf(path, sizeof path, "/api/v1/customers/%lld", (long long)id);
        /* Each edit sets two fields; the result must be one edit whole, not a mix. */
        struct patcher w[2] = {
            {adv, path, "{\"notes\":\"A\",\"classification\":\"vip\"}", NULL, {0}},
            {call1, path, "{\"notes\":\"B\",\"classification\":\"at_risk\"}", NULL, {0}},
        };
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        pthread_t th[2];
        for (int i = 0; i < 2; i++) {
            w[i].start = &start;
            assert_int_equal(pthread_create(&th[i], NULL, patch_worker, &w[i]), 0);
        }
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        for (int i = 0; i < 2; i++) {
            if (w[i].r.status != 200)
                print_error("PATCH %d: curl %d HTTP %ld\n", i, (int)w[i].r.rc, w[i].r.status);
            assert_int_equal(w[i].r.rc, CURLE_OK);
            assert_int_equal(w[i].r.status, 200);
            json_decref(w[i].r.json);
        }
        json_t *j = call("GET", path, adv, NULL, 200);
        const char *notes = json_string_value(json_object_get(j, "notes"));
        const char *cls = json_string_value(json_object_get(j, "classification"));
        assert_non_null(notes);
        assert_true((strcmp(notes, "A") == 0 && strcmp(cls, "vip") == 0) ||
                    (strcmp(notes, "B") == 0 && strcmp(cls, "at_risk") == 0));
        char final_notes[8];
        snprintf(final_notes, sizeof final_notes, "%s", notes);
        json_decref(j);
        /* Two update entries, chained: the second starts where the first ended. */
        j = call("GET",
                 fmt("/api/v1/audit?entity=customer&entity_id=%lld&limit=200", (long long)id), mgr,
                 NULL, 200);
        json_t *updates[2] = {NULL, NULL};
        int n = 0;
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(j, "items"), i, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "action")), "update") == 0) {
                if (n < 2)
                    updates[n] = e;
                n++;
            }
        }
        assert_int_equal(n, 2);
        /* Newest first: updates[0] is the later edit. */
        json_t *later = json_object_get(json_object_get(updates[0], "changes"), "notes");
        json_t *earlier = json_object_get(json_object_get(updates[1], "changes"), "notes");
        assert_non_null(later);
        assert_non_null(earlier);
        assert_true(json_is_null(json_array_get(earlier, 0)));
        assert_string_equal(json_string_value(json_array_get(later, 0)),
                            json_string_value(json_array_get(earlier, 1)));
        assert_string_equal(json_string_value(json_array_get(later, 1)), final_notes);
        json_decref(j);
    }
    free(adv);
    free(call1);
    free(mgr);
}

/* ---- races for a unique value ---- */

struct racer {
    const char *token, *path, *body;
    pthread_barrier_t *start;
    struct http_answer r;
};

static void *race_worker(void *p)
{
    struct racer *w = p;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(w->start);
    if (h) {
        w->r = http_call_on(h, SRV->base, "POST", w->path, w->token, w->body);
        curl_easy_cleanup(h);
    }
    return NULL;
}

/* Runs n identical-in-the-unique-value POSTs at once; returns the number of 201s and checks
 * that every other answer is a 409 conflict. */
static int race(int n, const char *path, const char *const *tokens, char bodies[][256])
{
    struct racer w[8];
    pthread_t th[8];
    pthread_barrier_t start;
    assert_true(n <= 8);
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        w[i] = (struct racer){tokens[i % 2], path, bodies[i], &start, {0}};
        assert_int_equal(pthread_create(&th[i], NULL, race_worker, &w[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    int created = 0, conflicts = 0;
    for (int i = 0; i < n; i++) {
        if (w[i].r.status == 201) {
            created++;
        } else if (w[i].r.status == 409 && http_answer_code(&w[i].r) &&
                   strcmp(http_answer_code(&w[i].r), "conflict") == 0) {
            conflicts++;
        } else {
            char *text = w[i].r.json ? json_dumps(w[i].r.json, JSON_COMPACT) : NULL;
            print_error("%s: curl %d HTTP %ld %s\n", path, (int)w[i].r.rc, w[i].r.status,
                        text ? text : "");
            free(text);
        }
        json_decref(w[i].r.json);
    }
    assert_int_equal(created + conflicts, n);
    return created;
}

static void test_concurrency_same_vin_races(void **state)
{
    (void)state;
    char *adv = login(U_ADVISOR), *mgr = login(U_MANAGER);
    const char *tokens[] = {adv, mgr};
    int64_t owner = new_customer(adv, "抢号");
    char bodies[8][256];
    /* Pairs, many times: the same VIN, different plates. */
    for (int round = 0; round < 8; round++) {
        char vin[18], plate[32];
        make_vin(vin, uniq());
        for (int i = 0; i < 2; i++) {
            make_plate(plate, uniq());
            snprintf(bodies[i], sizeof bodies[i],
                     "{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)owner,
                     vin, plate);
        }
        assert_int_equal(race(2, "/api/v1/vehicles", tokens, bodies), 1);
    }
    /* Eight at once. */
    char vin[18];
    make_vin(vin, uniq());
    for (int i = 0; i < 8; i++)
        snprintf(bodies[i], sizeof bodies[i], "{\"customer_id\":%lld,\"vin\":\"%s\"}",
                 (long long)owner, vin);
    assert_int_equal(race(8, "/api/v1/vehicles", tokens, bodies), 1);
    /* The store holds that VIN once. */
    json_t *j = call("GET", fmt("/api/v1/search?q=%s", vin), adv, NULL, 200);
    size_t hits = 0, i;
    json_t *item;
    json_array_foreach(json_object_get(j, "results"), i, item)
    {
        const char *v = json_string_value(json_object_get(item, "vin"));
        if (v && strcmp(v, vin) == 0)
            hits++;
    }
    assert_int_equal(hits, 1);
    json_decref(j);
    free(adv);
    free(mgr);
}

static void test_concurrency_same_plate_races(void **state)
{
    (void)state;
    char *adv = login(U_ADVISOR), *mgr = login(U_MANAGER);
    const char *tokens[] = {adv, mgr};
    int64_t owner = new_customer(adv, "抢牌");
    char bodies[8][256];
    for (int round = 0; round < 5; round++) {
        char vin[18], plate[32];
        make_plate(plate, uniq());
        for (int i = 0; i < 4; i++) {
            make_vin(vin, uniq());
            snprintf(bodies[i], sizeof bodies[i],
                     "{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)owner,
                     vin, plate);
        }
        assert_int_equal(race(4, "/api/v1/vehicles", tokens, bodies), 1);
    }
    free(adv);
    free(mgr);
}

static void test_concurrency_same_username_races(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN), *admin2 = login(U_ADMIN2);
    /* Administrators of both stores race for one sign-in name. */
    const char *tokens[] = {admin, admin2};
    char bodies[8][256];
    for (int round = 0; round < 3; round++) {
        unsigned n = uniq();
        for (int i = 0; i < 4; i++)
            snprintf(bodies[i], sizeof bodies[i],
                     "{\"username\":\"race%u\",\"role\":\"workshop\",\"password\":\"%s\"}", n,
                     TEST_PASSWORD);
        assert_int_equal(race(4, "/api/v1/users", tokens, bodies), 1);
    }
    free(admin);
    free(admin2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrency_creates_under_load),
        cmocka_unit_test(test_concurrency_same_customer_patched_twice),
        cmocka_unit_test(test_concurrency_same_vin_races),
        cmocka_unit_test(test_concurrency_same_plate_races),
        cmocka_unit_test(test_concurrency_same_username_races),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
