/* probe_messages: the figures of issue 11, defect 2, against the real server on one backend
 * (DMS_TEST_BACKEND=sqlite|pg, as the API tests; tests/stress/probe-messages.sh runs both).
 * Not part of `make test`: it takes a minute or two and prints figures instead of asserting
 * them (it exits 1 when a goal is missed).
 *
 *   probe_messages [--bookings N] [--customers M] [--sms-each K] [--gateway-ms D]
 *
 * 1. Reminders per booking: N confirmed bookings of tomorrow in a store of their own (the
 *    reminder the day before is due), then, all at once, three `dms serve` processes on the
 *    one database with their reminder pass on (a pass every 100 ms) and three
 *    `dms appointments remind`. When every booking has its reminder, the passes keep running
 *    for two more seconds; then the servers stop and the appointment reminders are counted
 *    per booking. Goal: exactly 1 for every booking.
 * 2. SMS after TD: M customers with K cars each, one SMS per car queued at once by a campaign,
 *    three `dms serve` processes dispatching them to a stand-in gateway that takes D ms per
 *    message; meanwhile every customer replies TD (signed webhook, to one of the servers), in
 *    a random order spread over the dispatch. A post that reaches the gateway after the
 *    customer's TD was answered 200 (the opt-out committed) is an SMS sent after TD. Goal: 0.
 *    Also counted: posts that were already at the gateway when the TD came (kept
 *    `suppressed`, with sent_at) and messages whose status says `sent` for a post that came
 *    after the TD (the status flip of the issue).
 *
 * Environment as the API tests: DMS_BIN, DMS_TEST_BACKEND, DMS_TEST_PG_DIR, DMS_TEST_TMP. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "booking_fixtures.h"
#include "notify/notify.h"
#include "sms_sink.h"
#include "spawn.h"

#define SECRET "probe-secret-0123456789"

static int n_bookings = 200, n_customers = 60, sms_each = 3, gateway_ms = 20;
static bool missed;
/* The servers of the part running, stopped by the teardown when a check fails midway. */
static struct server main_srv, twins[2];

static const char *backend(void)
{
    const char *b = getenv("DMS_TEST_BACKEND");
    return b && *b ? b : "sqlite";
}

static int64_t sql_int(const char *sql)
{
    char out[64] = "";
    if (db_sql(sql, out, sizeof out) < 0)
        fail_msg("probe: %s failed", sql);
    return atoll(out);
}

/* ---- 1. reminders per booking ---- */

static void probe_reminders(void)
{
    assert_int_equal(srv_start(&main_srv, "probe-remind"), 0);
    SRV = &main_srv;
    struct test_store st;
    store_new(&st);
    const char *m = st.manager;
    open_all_day(m);
    json_decref(call("PATCH", "/api/v1/store/settings", m, "{\"generate_at\":\"00:00\"}", 200));
    /* Twelve starts a day on each bay, every two hours (an hour's job holds its bay half an
     * hour more). */
    int bays = (n_bookings + 11) / 12;
    for (int i = 0; i < bays; i++) {
        bay_new(m, "general");
        tech_new(m, "[\"mechanical\"]", NULL);
    }
    char op[64]; /* keep() forgets after 1,024 strings: a copy of our own */
    snprintf(op, sizeof op, "%s", op_new(m, "repair", "1", "general", "mechanical", 20000));
    for (int i = 0; i < n_bookings; i++) {
        char hm[16];
        snprintf(hm, sizeof hm, "%02d:00", (i / bays) % 12 * 2);
        book_confirmed(m, car(m), op, day_at(1, hm), NULL);
    }
    char store_filter[128];
    snprintf(store_filter, sizeof store_filter,
             "m.store_id = (SELECT id FROM stores WHERE code = '%s')", st.code);

    /* All at once: the program's server again with reminders on, two more servers, three
     * remind commands. */
    double t0 = mono_s();
    setenv("DMS_TEST_APPOINTMENT_REMINDERS", "on", 1);
    setenv("DMS_WORKER_INTERVAL_MS", "100", 1);
    static const char *const on[] = {"DMS_APPOINTMENT_REMINDERS=on", "DMS_WORKER_INTERVAL_MS=100",
                                     NULL};
    struct child c[3];
    for (int i = 0; i < 3; i++)
        child_start(&c[i], SRV, NULL, "appointments", "remind", "--store", st.code, NULL);
    twin_start(&twins[0], &main_srv, "probe-twin1", on);
    twin_start(&twins[1], &main_srv, "probe-twin2", on);
    assert_int_equal(srv_restart(&main_srv), 0);
    unsetenv("DMS_TEST_APPOINTMENT_REMINDERS");
    unsetenv("DMS_WORKER_INTERVAL_MS");
    for (int i = 0; i < 3; i++) {
        char out[4096];
        if (child_wait(&c[i], out, sizeof out) != 0)
            fail_msg("dms appointments remind: %s", out);
    }
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT count(DISTINCT m.vehicle_id) FROM messages m WHERE m.kind = "
             "'appointment_reminder' AND %s",
             store_filter);
    double until = mono_s() + 120;
    while (sql_int(sql) < n_bookings && mono_s() < until)
        sleep_ms(100);
    double all_in = mono_s() - t0;
    sleep_ms(2000); /* twenty more passes of each server */
    twin_stop(&twins[0]);
    twin_stop(&twins[1]);

    int64_t per[4] = {0}; /* bookings with 0, 1, 2, 3+ reminders */
    for (int k = 0; k < 4; k++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM appointments a WHERE a.store_id = (SELECT id FROM stores "
                 "WHERE code = '%s') AND (SELECT count(*) FROM messages m WHERE m.vehicle_id = "
                 "a.vehicle_id AND m.kind = 'appointment_reminder') %s %d",
                 st.code, k < 3 ? "=" : ">=", k);
        per[k] = sql_int(sql);
    }
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM messages m WHERE m.kind = 'appointment_reminder' AND %s",
             store_filter);
    int64_t total = sql_int(sql);
    printf("%s: reminders per booking, %d bookings of tomorrow, 3 dms serve (reminder pass "
           "every 100 ms) + 3 dms appointments remind at once: exactly 1: %lld, none: %lld, "
           "2: %lld, 3 or more: %lld; %lld messages (all in after %.1f s, then 2 s more of "
           "passes); goal: exactly 1 each\n",
           backend(), n_bookings, (long long)per[1], (long long)per[0], (long long)per[2],
           (long long)per[3], (long long)total, all_in);
    fflush(stdout);
    if (per[1] != n_bookings)
        missed = true;
    assert_int_equal(srv_stop(&main_srv), 0);
}

/* ---- 2. SMS after TD ---- */

struct td_job {
    const char *base;
    char (*mobiles)[16];
    int *order;
    int from, to;
    double *acked; /* per customer: mono_s() when the TD was answered 200 */
    long spacing_ms;
};

static void *td_thread(void *arg)
{
    struct td_job *j = arg;
    CURL *h = curl_easy_init();
    for (int i = j->from; i < j->to; i++) {
        int c = j->order[i];
        char body[160], ts[24], sig[65], h_ts[64], h_sig[128], url[128];
        snprintf(body, sizeof body, "{\"from\":\"%s\",\"text\":\"TD\",\"store\":\"S1\"}",
                 j->mobiles[c]);
        snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
        sms_sign(SECRET, ts, body, strlen(body), sig);
        snprintf(h_ts, sizeof h_ts, "X-DMS-Timestamp: %s", ts);
        snprintf(h_sig, sizeof h_sig, "X-DMS-Signature: %s", sig);
        snprintf(url, sizeof url, "%s/api/v1/sms/inbound", j->base);
        struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
        hdrs = curl_slist_append(hdrs, h_ts);
        hdrs = curl_slist_append(hdrs, h_sig);
        struct http_buf buf = {0};
        curl_easy_reset(h);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_collect);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &buf);
        long status = 0;
        if (curl_easy_perform(h) == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        j->acked[c] = status == 200 ? mono_s() : -1;
        if (status != 200)
            fprintf(stderr, "probe: TD from %s answered %ld: %s\n", j->mobiles[c], status,
                    buf.data ? buf.data : "");
        free(buf.data);
        curl_slist_free_all(hdrs);
        sleep_ms(j->spacing_ms); /* spread over the dispatch */
    }
    curl_easy_cleanup(h);
    return NULL;
}

static void probe_opt_out(void)
{
    struct sms_sink *gw = sms_sink_start(SECRET);
    assert_non_null(gw);
    sms_sink_delay_ms(gw, gateway_ms);
    setenv("DMS_SMS_URL", sms_sink_url(gw), 1);
    setenv("DMS_SMS_SECRET", SECRET, 1);
    setenv("DMS_WORKER_INTERVAL_MS", "100", 1);
    assert_int_equal(srv_start(&main_srv, "probe-td"), 0);
    SRV = &main_srv;
    const char *m = tok(U_MANAGER);
    json_decref(call("PATCH", "/api/v1/store/settings", m,
                     "{\"quiet_from\":\"00:00\",\"quiet_until\":\"00:00\"}", 200));
    twin_start(&twins[0], &main_srv, "probe-td-twin1", NULL);
    twin_start(&twins[1], &main_srv, "probe-td-twin2", NULL);
    unsetenv("DMS_SMS_URL");
    unsetenv("DMS_SMS_SECRET");
    unsetenv("DMS_WORKER_INTERVAL_MS");

    char(*mobiles)[16] = calloc((size_t)n_customers, sizeof *mobiles);
    int *order = calloc((size_t)n_customers, sizeof *order);
    double *acked = calloc((size_t)n_customers, sizeof *acked);
    assert_true(mobiles && order && acked);
    char brand[32];
    snprintf(brand, sizeof brand, "退订探针%u", uniq());
    for (int i = 0; i < n_customers; i++) {
        make_mobile(mobiles[i], uniq());
        json_t *j = call("POST", "/api/v1/customers", m,
                         fmt("{\"name\":\"王小明\",\"title\":\"先生\",\"phone\":\"%s\","
                             "\"consent\":{\"sms\":true,\"phone\":true,\"email\":false}}",
                             mobiles[i]),
                         201);
        int64_t cid = jint(j, "id");
        json_decref(j);
        for (int k = 0; k < sms_each; k++) {
            char vin[18], plate[32];
            unsigned n = uniq();
            make_vin(vin, n);
            make_plate(plate, n);
            json_decref(call("POST", "/api/v1/vehicles", m,
                             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":"
                                 "\"%s\",\"model\":\"X\",\"model_year\":2023}",
                                 (long long)cid, vin, plate, brand),
                             201));
        }
        order[i] = i;
    }
    srand((unsigned)time(NULL));
    for (int i = n_customers - 1; i > 0; i--) {
        int k = rand() % (i + 1), t = order[i];
        order[i] = order[k], order[k] = t;
    }
    /* Queued at once; the three dispatchers start on them at their next pass. */
    json_decref(call("POST", "/api/v1/campaigns", m,
                     fmt("{\"kind\":\"tech_upgrade\",\"name\":\"退订探针\",\"channel\":\"sms\","
                         "\"template\":\"{name}您好，{plate}需升级。回复TD退订\","
                         "\"selection\":{\"brand\":\"%s\"}}",
                         brand),
                     201));
    while (sms_sink_count(gw) == 0)
        sleep_ms(5);
    enum { THREADS = 3 };
    pthread_t th[THREADS];
    struct td_job jobs[THREADS];
    const char *bases[THREADS] = {main_srv.base, twins[0].base, twins[1].base};
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (struct td_job){.base = bases[t],
                                  .mobiles = mobiles,
                                  .order = order,
                                  .from = n_customers * t / THREADS,
                                  .to = n_customers * (t + 1) / THREADS,
                                  .acked = acked,
                                  /* the TDs end about halfway through the dispatch */
                                  .spacing_ms = sms_each * gateway_ms / 2};
        pthread_create(&th[t], NULL, td_thread, &jobs[t]);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    double until = mono_s() + 120;
    while (sql_int("SELECT count(*) FROM messages WHERE status = 'queued'") > 0 && mono_s() < until)
        sleep_ms(100);
    twin_stop(&twins[0]);
    twin_stop(&twins[1]);

    /* Each post against its customer's TD. */
    size_t posts = sms_sink_count(gw), before = 0, after = 0, no_td = 0;
    struct sms_post *p = malloc(sizeof *p);
    assert_non_null(p);
    int64_t *late_ids = calloc(posts + 1, sizeof *late_ids);
    for (size_t i = 0; i < posts; i++) {
        assert_true(sms_sink_get(gw, i, p));
        int c = -1;
        for (int k = 0; k < n_customers && c < 0; k++)
            c = strcmp(mobiles[k], p->to) == 0 ? k : -1;
        if (c < 0 || acked[c] < 0)
            no_td++;
        else if (p->arrived > acked[c])
            late_ids[after++] = p->id;
        else
            before++;
    }
    free(p);
    int64_t flipped = 0;
    for (size_t i = 0; i < after; i++) {
        char sql[128];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM messages WHERE id = %lld AND status = "
                 "'sent'",
                 (long long)late_ids[i]);
        flipped += sql_int(sql);
    }
    free(late_ids);
    int64_t queued = (int64_t)n_customers * sms_each;
    int64_t kept = sql_int("SELECT count(*) FROM messages WHERE status IN ('suppressed', "
                           "'cancelled') AND sent_at IS NOT NULL");
    int64_t unsent = sql_int("SELECT count(*) FROM messages WHERE status = 'suppressed' AND "
                             "sent_at IS NULL");
    printf("%s: SMS after TD, %d customers x %d SMS queued at once (%lld), 3 dms serve "
           "dispatching to a gateway taking %d ms each, every customer replying TD during the "
           "dispatch: posts %zu (before the TD was answered %zu, after it %zu, without a TD %zu); "
           "of those after, recorded sent %lld; in flight when the TD came, kept suppressed "
           "with sent_at: %lld; suppressed and never posted: %lld; goal: 0 after\n",
           backend(), n_customers, sms_each, (long long)queued, gateway_ms, posts, before, after,
           no_td, (long long)flipped, (long long)kept, (long long)unsent);
    fflush(stdout);
    if (after != 0)
        missed = true;
    free(mobiles), free(order), free(acked);
    assert_int_equal(srv_stop(&main_srv), 0);
    sms_sink_stop(gw);
}

static int stop_all(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        if (twins[i].pid > 0)
            twin_stop(&twins[i]);
    }
    if (main_srv.pid > 0)
        srv_stop(&main_srv);
    return 0;
}

static void probe(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL);
    probe_reminders();
    probe_opt_out();
    curl_global_cleanup();
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        int v = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--bookings") == 0)
            n_bookings = v;
        else if (strcmp(argv[i], "--customers") == 0)
            n_customers = v;
        else if (strcmp(argv[i], "--sms-each") == 0)
            sms_each = v;
        else if (strcmp(argv[i], "--gateway-ms") == 0)
            gateway_ms = v;
        else {
            fprintf(stderr, "usage: probe_messages [--bookings N] [--customers M] "
                            "[--sms-each K] [--gateway-ms D]\n");
            return 2;
        }
    }
    if (n_bookings < 1 || n_bookings > 12 * 100 || n_customers < 1 || sms_each < 1) {
        fprintf(stderr, "probe_messages: 1-1200 bookings, at least one customer and SMS\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(probe, stop_all)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc != 0 ? rc : missed ? 1 : 0;
}
