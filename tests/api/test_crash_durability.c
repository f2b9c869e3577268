/* kill -9 in the middle of writes (issue 11, "0 acknowledged writes lost"): clients create
 * customers and record mileage readings as fast as they can; when enough have been answered
 * the server is killed with SIGKILL (no shutdown code runs), started again on the same
 * database, and every write it had acknowledged (201 with an id) must be there, whole. A
 * write that got no answer may or may not be there. An acknowledged customer is there once.
 *
 * Rounds: DMS_KILL_ROUNDS (default 3; the README's figures are from 100 per backend). Prints
 * "kill -9: <rounds> rounds, <acknowledged> writes acknowledged, <lost> lost". */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WRITERS = 4, MAX_ACKS = 4096 };

static int rounds(void)
{
    const char *s = getenv("DMS_KILL_ROUNDS");
    int n = s ? atoi(s) : 0;
    return n > 0 && n <= 10000 ? n : 3;
}

struct ack {
    int64_t id;
    int64_t km; /* a reading's km; 0 for a customer */
    char name[48];
};

struct writer {
    int index, round;
    const char *token, *base;
    int64_t vehicle;
    atomic_int *acked; /* all writers' acknowledged writes so far */
    struct ack acks[MAX_ACKS];
    int n_acks;
    int odd; /* answers that were neither 201 nor a broken connection */
    char detail[300];
};

static void *write_until_killed(void *p)
{
    struct writer *w = p;
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    int64_t km = 0;
    for (int k = 0; w->n_acks < MAX_ACKS; k++) {
        struct ack a = {0};
        struct http_answer r;
        if (k % 2 == 0) {
            snprintf(a.name, sizeof a.name, "持久%d-%d-%d", w->round, w->index, k);
            char phone[16], body[160];
            make_mobile(phone, (unsigned)(w->round * 100000 + w->index * 10000 + k));
            snprintf(body, sizeof body, "{\"name\":\"%s\",\"phone\":\"%s\"}", a.name, phone);
            r = http_call_on(h, w->base, "POST", "/api/v1/customers", w->token, body);
        } else {
            char path[64], body[64];
            a.km = km + 10;
            snprintf(path, sizeof path, "/api/v1/vehicles/%lld/mileage", (long long)w->vehicle);
            snprintf(body, sizeof body, "{\"km\":%lld}", (long long)a.km);
            r = http_call_on(h, w->base, "POST", path, w->token, body);
        }
        if (r.rc != CURLE_OK || r.status == 0) {
            json_decref(r.json);
            break; /* killed: this write's fate is unknown */
        }
        if (r.status == 201) {
            a.id = json_integer_value(json_object_get(r.json, "id"));
            if (a.km)
                km = a.km;
            w->acks[w->n_acks++] = a;
            atomic_fetch_add(w->acked, 1);
        } else if (r.status != 503) {
            w->odd++;
            snprintf(w->detail, sizeof w->detail, "HTTP %ld", r.status);
        }
        json_decref(r.json);
    }
    curl_easy_cleanup(h);
    return NULL;
}

/* Whether the vehicle's readings include one with this id and km (all pages). */
static bool reading_there(int64_t vehicle, int64_t id, int64_t km)
{
    char cursor[32] = "";
    for (int page = 0; page < 100; page++) {
        json_t *j = call("GET",
                         fmt("/api/v1/vehicles/%lld/mileage?limit=500%s%s", (long long)vehicle,
                             cursor[0] ? "&cursor=" : "", cursor),
                         tok(U_ADVISOR), NULL, 200);
        size_t i;
        json_t *e;
        bool found = false;
        json_array_foreach(json_object_get(j, "items"), i, e)
        {
            found = found || (jint(e, "id") == id && jint(e, "km") == km);
        }
        const char *next = json_string_value(json_object_get(j, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(j);
        if (found)
            return true;
        if (!cursor[0])
            return false;
    }
    return false;
}

/* How many customers have this exact name (read from the database itself). */
static int customers_named(const char *name)
{
    char out[32] = "";
    assert_int_equal(
        db_sql(fmt("SELECT COUNT(*) FROM customers WHERE name = '%s'", name), out, sizeof out), 0);
    return atoi(out);
}

static void test_crash_kill9_loses_no_acknowledged_write(void **state)
{
    (void)state;
    int n = rounds(), lost = 0, acked_total = 0;
    static struct writer w[WRITERS];
    int64_t owner = new_customer(tok(U_ADVISOR), "里程");
    for (int round = 0; round < n; round++) {
        /* Fresh cars each round: a reading of the last round that got no answer may have
         * been recorded, and a lower one would now be refused. */
        int64_t vehicles[WRITERS];
        for (int i = 0; i < WRITERS; i++)
            vehicles[i] = new_vehicle(tok(U_ADVISOR), owner);
        atomic_int acked = 0;
        pthread_t th[WRITERS];
        for (int i = 0; i < WRITERS; i++) {
            memset(&w[i], 0, sizeof w[i]);
            w[i] = (struct writer){.index = i,
                                   .round = round,
                                   .token = tok(U_ADVISOR),
                                   .base = SRV->base,
                                   .vehicle = vehicles[i],
                                   .acked = &acked};
            assert_int_equal(pthread_create(&th[i], NULL, write_until_killed, &w[i]), 0);
        }
        /* Kill once writes are flowing: after 8 + round % 24 answers, so rounds kill at
         * different points of a transaction (bounded: 30 s). */
        int target = 8 + round % 24;
        double t0 = mono_s();
        while (atomic_load(&acked) < target && mono_s() - t0 < 30)
            sleep_ms(1);
        assert_true(atomic_load(&acked) >= target);
        assert_int_equal(srv_kill(SRV), 128 + SIGKILL);
        for (int i = 0; i < WRITERS; i++)
            pthread_join(th[i], NULL);
        assert_int_equal(srv_restart(SRV), 0);

        for (int i = 0; i < WRITERS; i++) {
            if (w[i].odd)
                print_error("writer %d: %d odd answers (%s)\n", i, w[i].odd, w[i].detail);
            assert_int_equal(w[i].odd, 0);
            for (int k = 0; k < w[i].n_acks; k++) {
                const struct ack *a = &w[i].acks[k];
                acked_total++;
                bool there;
                if (a->km) {
                    there = reading_there(w[i].vehicle, a->id, a->km);
                } else {
                    struct resp r = http("GET", fmt("/api/v1/customers/%lld", (long long)a->id),
                                         tok(U_ADVISOR), NULL);
                    there = r.status == 200 && strcmp(jstr(r.json, "name"), a->name) == 0;
                    resp_free(&r);
                    there = there && customers_named(a->name) == 1;
                }
                if (!there) {
                    lost++;
                    print_error("round %d: acknowledged %s %lld is gone\n", round,
                                a->km ? "reading" : "customer", (long long)a->id);
                }
            }
        }
    }
    print_message("kill -9: %d rounds, %d writes acknowledged, %d lost\n", n, acked_total, lost);
    assert_int_equal(lost, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_kill9_loses_no_acknowledged_write),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
