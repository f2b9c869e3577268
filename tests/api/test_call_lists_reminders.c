/* The maintenance reminders over HTTP (MR-2..MR-4): what the generation of a day D creates for
 * a car falling due (the message 13 days ahead, the call 11 days ahead, and only on its day,
 * once), the consent and the phone number it needs, open calls expiring after their window, the
 * store's own numbers, who may run it, and the command line (`dms tasks generate`) agreeing
 * with the API. The other call-list tests: test_call_lists_*.c.
 *
 * Every vehicle here gets its history in the past (readings and repair orders cannot be in
 * the future), and generation runs for past days, which is allowed. Without readings beyond
 * the sale a car is due when the store's 40 km a day reach the first 3,000 km: purchase + 75
 * days (MR-1, see test_schedule.c), so a purchase date picks the days the lists fall on. Each
 * test uses its own stretch of days so that counts are exact. */
#include "call_list_fixtures.h"

#include <string.h>

/* ---- generation: maintenance reminders (MR-2..MR-4) ---- */

static void test_generate_message_on_day_13_call_on_day_11(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 300;
    /* Five customers whose cars fall due the same day: one may be called and messaged, one
     * only called (no SMS consent), one only messaged (no phone consent), one prefers e-mail,
     * one prefers e-mail but has not agreed to it (so gets the SMS). */
    int64_t c_all, c_phone, c_sms, c_mail, c_nomail;
    int64_t v_all = reachable_car(p, &c_all);
    c_phone = customer(tok(U_ADVISOR), true, PHONE_ONLY, NULL, NULL);
    int64_t v_phone = vehicle(tok(U_ADVISOR), c_phone, "大众", p);
    c_sms = customer(tok(U_ADVISOR), true, NO_PHONE_CALL, NULL, NULL);
    int64_t v_sms = vehicle(tok(U_ADVISOR), c_sms, "大众", p);
    c_mail = customer(tok(U_ADVISOR), true, ALL_CONSENT,
                      ",\"email\":\"zsf@example.com\",\"preferred_channel\":\"email\"", NULL);
    int64_t v_mail = vehicle(tok(U_ADVISOR), c_mail, "大众", p);
    c_nomail = customer(tok(U_ADVISOR), true, NO_PHONE_CALL,
                        ",\"email\":\"nomail@example.com\",\"preferred_channel\":\"email\"", NULL);
    int64_t v_nomail = vehicle(tok(U_ADVISOR), c_nomail, "大众", p);
    int64_t cars[] = {v_all, v_phone, v_sms, v_mail, v_nomail};
    dms_day u = due_of(v_all);
    assert_int_equal(u, p + 75);
    for (size_t i = 1; i < 5; i++)
        assert_int_equal(due_of(cars[i]), u);

    /* D = due - 14: too early for anything. */
    json_t *g = generate(u - 14);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(n_tasks(cars[i], "maintenance_message"), 0);
        assert_int_equal(n_tasks(cars[i], "maintenance_call"), 0);
    }
    json_decref(g);

    /* MR-2, MR-3: D = due - 13: the reminder message, for every one of them; no call yet. */
    int64_t head = audit_head();
    g = generate(u - 13);
    assert_int_equal(created(g, "maintenance_message"), 5);
    assert_int_equal(created(g, "maintenance_call"), 0);
    assert_int_equal(jint(g, "messages"), 5);
    json_decref(g);
    for (size_t i = 0; i < 5; i++) {
        json_t *m = one_task(cars[i], "maintenance_message");
        assert_string_equal(jstr(m, "due_date"), ds(u - 13));
        assert_string_equal(jstr(m, "deadline"), ds(u - 13));
        assert_string_equal(jstr(m, "service_due_date"), ds(u));
        assert_true(jint(m, "message_id") > 0);
        json_decref(m);
        assert_int_equal(n_tasks(cars[i], "maintenance_call"), 0);
    }
    /* The outbox: SMS to the one who agreed to it, e-mail to the one who prefers it, and a
     * suppressed message (so that the caller sees why) for the one without SMS consent. */
    struct {
        int64_t vid;
        const char *channel;
        bool suppressed;
    } want[] = {{v_all, "sms", false},
                {v_phone, "sms", true},
                {v_sms, "sms", false},
                {v_mail, "email", false},
                {v_nomail, "sms", false}};
    for (size_t i = 0; i < 5; i++) {
        json_t *l = call("GET", fmt("/api/v1/messages?vehicle_id=%lld", (long long)want[i].vid),
                         tok(U_CALLER), NULL, 200);
        json_t *items = json_object_get(l, "items");
        assert_int_equal(json_array_size(items), 1);
        json_t *m = json_array_get(items, 0);
        assert_string_equal(jstr(m, "kind"), "maintenance_reminder");
        assert_string_equal(jstr(m, "channel"), want[i].channel);
        if (want[i].suppressed)
            assert_string_equal(jstr(m, "status"), "suppressed");
        else
            assert_string_not_equal(jstr(m, "status"), "suppressed");
        json_t *task = one_task(want[i].vid, "maintenance_message");
        assert_int_equal(jint(task, "message_id"), jint(m, "id"));
        assert_int_equal(jint(m, "task_id"), jint(task, "id"));
        json_decref(task);
        json_decref(l);
    }
    /* The run is audited once, with its counts. */
    json_t *j = call("GET", "/api/v1/audit?entity=tasks&limit=1", tok(U_MANAGER), NULL, 200);
    json_t *e = json_array_get(json_object_get(j, "items"), 0);
    assert_non_null(e);
    assert_true(jint(e, "id") > head);
    assert_string_equal(jstr(e, "action"), "generate");
    json_t *ch = json_object_get(e, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "date"), 1)),
                        ds(u - 13));
    assert_int_equal(
        json_integer_value(json_array_get(json_object_get(ch, "maintenance_message"), 1)), 5);
    json_decref(j);

    /* Idempotent: the same day again creates nothing. */
    g = generate(u - 13);
    nothing_created(g);
    json_decref(g);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(n_tasks(cars[i], "maintenance_message"), 1);

    /* D = due - 12: nothing new. */
    g = generate(u - 12);
    assert_int_equal(created(g, "maintenance_message"), 0);
    assert_int_equal(created(g, "maintenance_call"), 0);
    json_decref(g);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(n_tasks(cars[i], "maintenance_call"), 0);

    /* MR-4: D = due - 11: the call, for those who agreed to be called; on the list for
     * call_window_days (3): D .. D + 2. */
    g = generate(u - 11);
    assert_int_equal(created(g, "maintenance_call"), 3);
    assert_int_equal(created(g, "maintenance_message"), 0);
    json_decref(g);
    assert_int_equal(n_tasks(v_sms, "maintenance_call"), 0);
    assert_int_equal(n_tasks(v_nomail, "maintenance_call"), 0);
    const int64_t callable[] = {v_all, v_phone, v_mail};
    for (size_t i = 0; i < 3; i++) {
        json_t *c = one_task(callable[i], "maintenance_call");
        assert_string_equal(jstr(c, "status"), "open");
        assert_string_equal(jstr(c, "due_date"), ds(u - 11));
        assert_string_equal(jstr(c, "deadline"), ds(u - 9));
        assert_string_equal(jstr(c, "service_due_date"), ds(u));
        assert_int_equal(jint(c, "attempts"), 0);
        assert_true(json_is_null(json_object_get(c, "deadline_at")));
        assert_non_null(strstr(jstr(c, "reason"), ds(u)));
        json_decref(c);
    }
    g = generate(u - 11);
    nothing_created(g);
    json_decref(g);

    /* D = due - 10: nothing new, and the call is still open (deadline due - 9). */
    g = generate(u - 10);
    assert_int_equal(created(g, "maintenance_call"), 0);
    json_decref(g);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(n_tasks(callable[i], "maintenance_call"), 1);
        json_t *c = one_task(callable[i], "maintenance_call");
        assert_string_equal(jstr(c, "status"), "open");
        json_decref(c);
    }
}

static void test_generate_call_needs_a_phone_number(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 310;
    /* Phone consent but no number on file: no call; the message is written suppressed. */
    int64_t cid = customer(tok(U_ADVISOR), false, ALL_CONSENT, NULL, NULL);
    int64_t vid = vehicle(tok(U_ADVISOR), cid, "大众", p);
    dms_day u = due_of(vid);
    json_decref(generate(u - 13));
    json_decref(generate(u - 11));
    assert_int_equal(n_tasks(vid, "maintenance_call"), 0);
    json_t *l = call("GET", fmt("/api/v1/messages?vehicle_id=%lld", (long long)vid), tok(U_CALLER),
                     NULL, 200);
    json_t *m = json_array_get(json_object_get(l, "items"), 0);
    assert_non_null(m);
    assert_string_equal(jstr(m, "status"), "suppressed");
    json_decref(l);
}

static void test_generate_rights_and_bad_input(void **state)
{
    (void)state;
    const char *body = keep(fmt("{\"date\":\"%s\"}", ds(test_today() - 900)));
    static const char *const no[] = {U_ADVISOR, U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY};
    for (size_t i = 0; i < 5; i++)
        rejected("POST", "/api/v1/tasks/generate", tok(no[i]), body, 403, "forbidden", NULL);
    json_decref(generate_as(tok(U_ADMIN), test_today() - 900));
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER), "{}", 400, "missing_field", "date");
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER), "{\"date\":\"2024-02-30\"}", 422,
             "invalid_date", "date");
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER), "{\"date\":20240201}", 400,
             "invalid_field", "date");
    rejected("POST", "/api/v1/tasks/generate", tok(U_MANAGER),
             "{\"date\":\"2024-02-01\",\"store\":\"S2\"}", 400, "invalid_field", "store");
}

/* ---- generation: expiry and the store's settings ---- */

static void test_generate_expires_open_tasks_past_their_deadline(void **state)
{
    (void)state;
    dms_day t = test_today();
    int64_t vid = reachable_car(t - 350, NULL);
    dms_day u = due_of(vid), d = u - 11;
    json_decref(generate(d));
    json_t *c = one_task(vid, "maintenance_call");
    int64_t id = jint(c, "id");
    assert_string_equal(jstr(c, "deadline"), ds(d + 2));
    json_decref(c);
    /* The last day of the list: still open. */
    json_t *g = generate(d + 2);
    json_decref(g);
    c = task_get(id, tok(U_CALLER));
    assert_string_equal(jstr(c, "status"), "open");
    assert_true(json_is_null(json_object_get(c, "closed_at")));
    json_decref(c);
    /* The day after: expired by the run, counted, and closed for calls. */
    g = generate(d + 3);
    assert_true(jint(g, "expired") >= 1);
    json_decref(g);
    c = task_get(id, tok(U_CALLER));
    assert_string_equal(jstr(c, "status"), "expired");
    assert_true(json_is_string(json_object_get(c, "closed_at")));
    json_decref(c);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\"}", 409, "task_closed", NULL);
    json_t *l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld&status=expired", (long long)vid));
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
}

static void test_generate_follows_the_store_settings(void **state)
{
    (void)state;
    /* The numbers of the rules are the store's: message 14 days ahead, call 10 days ahead
     * and on the list for 2 days, expired after 2 unanswered tries. */
    dms_day t = test_today();
    int64_t vid = reachable_car(t - 450, NULL);
    dms_day u = due_of(vid);
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"message_days\":14,\"call_days\":10,\"call_window_days\":2,"
                     "\"max_attempts\":2}",
                     200));
    json_decref(generate(u - 15));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 0);
    json_decref(generate(u - 14));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    /* MR-2: inside the window the next day's run finds it reminded: no second message. */
    json_decref(generate(u - 13));
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    json_decref(generate(u - 11));
    assert_int_equal(n_tasks(vid, "maintenance_call"), 0);
    json_decref(generate(u - 10));
    json_t *c = one_task(vid, "maintenance_call");
    assert_string_equal(jstr(c, "due_date"), ds(u - 10));
    assert_string_equal(jstr(c, "deadline"), ds(u - 9));
    int64_t id = jint(c, "id");
    json_decref(c);
    json_decref(outcome(id, "no_answer"));
    json_t *r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "expired");
    assert_int_equal(jint(r, "attempts"), 2);
    json_decref(r);
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"message_days\":13,\"call_days\":11,\"call_window_days\":3,"
                     "\"max_attempts\":3}",
                     200));
}

/* ---- the command line ---- */

static void test_cli_generate_is_idempotent_with_the_api(void **state)
{
    (void)state;
    dms_day t = test_today();
    int64_t vid = reachable_car(t - 500, NULL);
    dms_day u = due_of(vid), d = u - 11;
    char out[4096];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(d),
                             "--store", "S1", NULL),
                     0);
    if (!strstr(out, fmt("S1 %s:", ds(d))) || !strstr(out, "maintenance_call 1 "))
        fail_msg("dms tasks generate printed: %s", out);
    /* MR-2: no run on u - 13, so this one catches the message up too. */
    assert_non_null(strstr(out, "messages 1"));
    assert_int_equal(n_tasks(vid, "maintenance_call"), 1);
    /* The API's run of the same day adds nothing, and neither does the command again. */
    json_t *g = generate(d);
    nothing_created(g);
    json_decref(g);
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(d),
                             "--store", "S1", NULL),
                     0);
    if (!strstr(out, "maintenance_call 0 "))
        fail_msg("second run printed: %s", out);
    /* The other way round: the API first, then the command (another car, due later). */
    int64_t vid2 = reachable_car(t - 400, NULL);
    dms_day u2 = due_of(vid2);
    g = generate(u2 - 13);
    json_decref(g);
    assert_int_equal(n_tasks(vid2, "maintenance_message"), 1);
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(u2 - 13),
                             "--store", "S1", NULL),
                     0);
    if (!strstr(out, "maintenance_message 0 ") || !strstr(out, "messages 0"))
        fail_msg("run after the API printed: %s", out);
    assert_int_equal(n_tasks(vid2, "maintenance_message"), 1);
    assert_int_equal(n_tasks(vid, "maintenance_message"), 1);
    /* Bad input is an error, not a run. */
    assert_true(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", "2024-02-30",
                        "--store", "S1", NULL) != 0);
    assert_true(srv_cli(SRV, NULL, out, sizeof out, "tasks", "generate", "--date", ds(d), "--store",
                        "NOPE", NULL) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_message_on_day_13_call_on_day_11),
        cmocka_unit_test(test_generate_call_needs_a_phone_number),
        cmocka_unit_test(test_generate_rights_and_bad_input),
        cmocka_unit_test(test_generate_expires_open_tasks_past_their_deadline),
        cmocka_unit_test(test_generate_follows_the_store_settings),
        cmocka_unit_test(test_cli_generate_is_idempotent_with_the_api),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
