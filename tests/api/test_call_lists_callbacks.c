/* The call-backs over HTTP (IN-1, IN-5): a call-back made by hand when the line was busy, out of
 * hours or the parts had to be checked, due within the store's minutes; its bad input; paging
 * through the list without gaps; and assigning and cancelling a task. The other call-list tests:
 * test_call_lists_*.c.
 *
 * Every vehicle here gets its history in the past (readings and repair orders cannot be in
 * the future), and generation runs for past days, which is allowed. Without readings beyond
 * the sale a car is due when the store's 40 km a day reach the first 3,000 km: purchase + 75
 * days (MR-1, see test_schedule.c), so a purchase date picks the days the lists fall on. Each
 * test uses its own stretch of days so that counts are exact. */
#include "call_list_fixtures.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t user_id(const char *user)
{
    json_t *me = call("GET", "/api/v1/me", tok(user), NULL, 200);
    int64_t id = jint(json_object_get(me, "user"), "id");
    json_decref(me);
    return id;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as seconds since the epoch. */
static time_t utc_seconds(const char *s)
{
    struct tm tm = {0};
    assert_non_null(s);
    assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
                     6);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* ---- call-backs (IN-1, IN-5) ---- */

static void test_callbacks_deadline_in_minutes(void **state)
{
    (void)state;
    char phone[16];
    make_mobile(phone, uniq());
    /* IN-1: busy or out of hours: call back within 5 minutes. */
    time_t now = time(NULL);
    struct resp r = http("POST", "/api/v1/tasks", tok(U_ADVISOR),
                         fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%.3s %.4s "
                             "%s\",\"name\":\"来电客户\",\"notes\":\"问保养价格\"}",
                             phone, phone + 3, phone + 7));
    json_t *t = expect(&r, 201);
    int64_t id = jint(t, "id");
    assert_string_equal(jstr(t, "type"), "callback");
    assert_string_equal(jstr(t, "status"), "open");
    assert_string_equal(jstr(t, "due_date"), day_offset(0));
    assert_string_equal(jstr(t, "deadline"), day_offset(0));
    assert_true(json_is_null(json_object_get(t, "customer_id")));
    assert_non_null(strstr(jstr(t, "reason"), "问保养价格"));
    long diff = (long)(utc_seconds(jstr(t, "deadline_at")) - now);
    if (diff < 240 || diff > 360)
        fail_msg("busy call-back due in %ld s, not 300", diff);
    /* The number as given, normalised, in full for the advisor. */
    json_t *cust = json_object_get(json_object_get(t, "call"), "customer");
    assert_string_equal(jstr(cust, "phone"), phone);
    assert_string_equal(jstr(cust, "name"), "来电客户");
    resp_free(&r);
    /* Audited. */
    json_t *e = last_audit("task", id);
    assert_string_equal(jstr(e, "action"), "create");
    json_decref(e);

    /* IN-5: after checking the parts: 15 minutes; for a customer of the archive. */
    int64_t cid = customer(tok(U_ADVISOR), true, ALL_CONSENT, NULL, NULL);
    now = time(NULL);
    t = call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"parts_check\",\"customer_id\":%lld}",
                 (long long)cid),
             201);
    assert_int_equal(jint(t, "customer_id"), cid);
    diff = (long)(utc_seconds(jstr(t, "deadline_at")) - now);
    if (diff < 840 || diff > 960)
        fail_msg("parts call-back due in %ld s, not 900", diff);
    json_decref(t);
    /* For a vehicle: its owner is the customer. */
    int64_t owner, vid = reachable_car(test_today() - 330, &owner);
    t = call("POST", "/api/v1/tasks", tok(U_MANAGER),
             fmt("{\"type\":\"callback\",\"reason\":\"out_of_hours\",\"vehicle_id\":%lld}",
                 (long long)vid),
             201);
    assert_int_equal(jint(t, "vehicle_id"), vid);
    assert_int_equal(jint(t, "customer_id"), owner);
    json_decref(t);
    /* The store's minutes are settings. */
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"callback_busy_minutes\":2}", 200));
    now = time(NULL);
    t = call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%s\"}", phone), 201);
    diff = (long)(utc_seconds(jstr(t, "deadline_at")) - now);
    if (diff < 60 || diff > 180)
        fail_msg("busy call-back with 2 minutes due in %ld s", diff);
    json_decref(t);
    json_decref(call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     "{\"callback_busy_minutes\":5}", 200));
}

static void test_callbacks_reject_bad_input(void **state)
{
    (void)state;
    int64_t head = audit_head();
    int64_t s2_customer = customer(tok(U_ADVISOR2), true, ALL_CONSENT, NULL, NULL);
    int64_t s2_vehicle = vehicle(tok(U_ADVISOR2), s2_customer, "大众", test_today() - 340);
    /* A vehicle with a customer who is not its owner. */
    int64_t own_vehicle = reachable_car(test_today() - 345, NULL);
    int64_t other_customer = customer(tok(U_ADVISOR), true, ALL_CONSENT, NULL, NULL);
    head = audit_head();
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {"{\"type\":\"callback\",\"reason\":\"busy\"}", 400, "missing_field", NULL},
        {"{\"type\":\"callback\",\"reason\":\"busy\",\"name\":\"无号码\"}", 400, "missing_field",
         NULL},
        {"{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"12345\"}", 422, "invalid_phone",
         "phone"},
        {"{\"type\":\"callback\",\"reason\":\"lunch\",\"phone\":\"13800138000\"}", 400,
         "invalid_field", "reason"},
        {"{\"type\":\"callback\",\"phone\":\"13800138000\"}", 400, "missing_field", "reason"},
        {"{\"type\":\"followup\",\"reason\":\"busy\",\"phone\":\"13800138000\"}", 400,
         "invalid_field", "type"},
        {"{\"reason\":\"busy\",\"phone\":\"13800138000\"}", 400, "missing_field", "type"},
        {"{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"13800138000\",\"urgent\":true}",
         400, "invalid_field", "urgent"},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld}",
                  (long long)s2_customer)),
         404, "not_found", NULL},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}",
                  (long long)s2_vehicle)),
         404, "not_found", NULL},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld,"
                  "\"vehicle_id\":%lld}",
                  (long long)other_customer, (long long)own_vehicle)),
         400, "invalid_field", "customer_id"},
        {keep(fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"13800138000\","
                  "\"assignee_id\":%lld}",
                  (long long)user_id(U_ADVISOR2))),
         404, "not_found", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("POST", "/api/v1/tasks", tok(U_CALLER), bad[i].body, bad[i].status, bad[i].code,
                 bad[i].field);
    static const char *const no[] = {U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < 4; i++)
        rejected("POST", "/api/v1/tasks", tok(no[i]),
                 "{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"13800138000\"}", 403,
                 "forbidden", NULL);
    assert_int_equal(audit_head(), head);
}

/* ---- the list ---- */

static void test_list_pages_without_gaps(void **state)
{
    (void)state;
    /* Five call-backs for the same phone: paged by two, each once. */
    char phone[16];
    make_mobile(phone, uniq());
    int64_t made[5];
    for (size_t i = 0; i < 5; i++) {
        json_t *c =
            call("POST", "/api/v1/tasks", tok(U_CALLER),
                 fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%s\"}", phone), 201);
        made[i] = jint(c, "id");
        json_decref(c);
    }
    int64_t seen[16];
    size_t n = 0;
    char cursor[64] = "";
    for (int page = 0; page < 20; page++) {
        json_t *j = call("GET",
                         fmt("/api/v1/tasks?type=callback&status=open&limit=2%s%s",
                             cursor[0] ? "&cursor=" : "", cursor),
                         tok(U_CALLER), NULL, 200);
        json_t *items = json_object_get(j, "items");
        assert_true(json_array_size(items) <= 2);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            for (size_t k = 0; k < 5; k++) {
                if (made[k] == jint(it, "id")) {
                    assert_true(n < 16);
                    seen[n++] = made[k];
                }
            }
        }
        json_t *next = json_object_get(j, "next_cursor");
        if (json_is_null(next)) {
            json_decref(j);
            break;
        }
        snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(j);
    }
    assert_int_equal(n, 5);
    for (size_t a = 0; a < n; a++) {
        for (size_t b = a + 1; b < n; b++)
            assert_true(seen[a] != seen[b]);
    }
    for (size_t k = 0; k < 5; k++)
        json_decref(call("PATCH", fmt("/api/v1/tasks/%lld", (long long)made[k]), tok(U_CALLER),
                         "{\"status\":\"cancelled\"}", 200));
}

/* ---- assignment and cancelling ---- */

static void test_patch_assigns_and_cancels(void **state)
{
    (void)state;
    char phone[16];
    make_mobile(phone, uniq());
    json_t *t =
        call("POST", "/api/v1/tasks", tok(U_ADVISOR),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"phone\":\"%s\"}", phone), 201);
    int64_t id = jint(t, "id");
    assert_true(json_is_null(json_object_get(t, "assignee_id")));
    json_decref(t);
    const char *path = keep(fmt("/api/v1/tasks/%lld", (long long)id));
    int64_t caller = user_id(U_CALLER);

    /* To a user of the store. */
    t = call("PATCH", path, tok(U_MANAGER), fmt("{\"assignee_id\":%lld}", (long long)caller), 200);
    assert_int_equal(jint(t, "assignee_id"), caller);
    assert_string_equal(jstr(t, "status"), "open");
    json_decref(t);
    json_t *l = list_as(tok(U_CALLER), "assignee=me&type=callback");
    bool mine = false;
    size_t i;
    json_t *it;
    json_array_foreach(l, i, it)
    {
        assert_int_equal(jint(it, "assignee_id"), caller);
        mine |= jint(it, "id") == id;
    }
    assert_true(mine);
    json_decref(l);
    l = list_as(tok(U_CALLER), "assignee=none&type=callback");
    json_array_foreach(l, i, it) assert_true(jint(it, "id") != id);
    json_decref(l);
    l = list_as(tok(U_MANAGER), fmt("assignee=%lld&type=callback", (long long)caller));
    mine = false;
    json_array_foreach(l, i, it) mine |= jint(it, "id") == id;
    assert_true(mine);
    json_decref(l);
    json_t *e = last_audit("task", id);
    assert_string_equal(jstr(e, "action"), "update");
    assert_int_equal(json_integer_value(json_array_get(
                         json_object_get(json_object_get(e, "changes"), "assignee_id"), 1)),
                     caller);
    json_decref(e);

    /* Not to a user of another store, nor to one who does not exist; nothing changes. */
    char *before = snapshot(path, tok(U_CALLER));
    rejected("PATCH", path, tok(U_MANAGER),
             fmt("{\"assignee_id\":%lld}", (long long)user_id(U_ADVISOR2)), 404, "not_found",
             "assignee_id");
    rejected("PATCH", path, tok(U_MANAGER), "{\"assignee_id\":999999999}", 404, "not_found",
             "assignee_id");
    rejected("PATCH", path, tok(U_MANAGER), "{\"status\":\"done\"}", 400, "invalid_field",
             "status");
    rejected("PATCH", path, tok(U_MANAGER), "{\"priority\":1}", 400, "invalid_field", "priority");
    rejected("PATCH", path, tok(U_PARTS), "{\"status\":\"cancelled\"}", 403, "forbidden", NULL);
    rejected("PATCH", path, tok(U_ADVISOR2), "{\"status\":\"cancelled\"}", 404, "not_found", NULL);
    assert_unchanged(path, tok(U_CALLER), before);

    /* Unassigned again, then cancelled: closed for calls. */
    t = call("PATCH", path, tok(U_CALLER), "{\"assignee_id\":null}", 200);
    assert_true(json_is_null(json_object_get(t, "assignee_id")));
    json_decref(t);
    t = call("PATCH", path, tok(U_CALLER), "{\"status\":\"cancelled\"}", 200);
    assert_string_equal(jstr(t, "status"), "cancelled");
    assert_true(json_is_string(json_object_get(t, "closed_at")));
    json_decref(t);
    rejected("POST", fmt("%s/attempts", path), tok(U_CALLER), "{\"outcome\":\"reached\"}", 409,
             "task_closed", NULL);
    rejected("PATCH", path, tok(U_CALLER), "{\"status\":\"cancelled\"}", 409, "task_closed", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callbacks_deadline_in_minutes),
        cmocka_unit_test(test_callbacks_reject_bad_input),
        cmocka_unit_test(test_list_pages_without_gaps),
        cmocka_unit_test(test_patch_assigns_and_cancels),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
