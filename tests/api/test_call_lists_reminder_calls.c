/* The maintenance calls over HTTP (MR-4..MR-6, CRM-6): the caller's list (oldest deadline first,
 * its filters, who may see it) with what the call needs, and the calls recorded against it and
 * what each outcome does: unanswered three times, call back later, undecided (a second call
 * before the parts' lead time), declined, the mileage heard, the special needs heard, bad input
 * and the audit log. The other call-list tests: test_call_lists_*.c.
 *
 * Every vehicle here gets its history in the past (readings and repair orders cannot be in
 * the future), and generation runs for past days, which is allowed. Without readings beyond
 * the sale a car is due when the store's 40 km a day reach the first 3,000 km: purchase + 75
 * days (MR-1, see test_schedule.c), so a purchase date picks the days the lists fall on. Each
 * test uses its own stretch of days so that counts are exact. */
#include "call_list_fixtures.h"

#include <stdio.h>
#include <string.h>

/* The maintenance plan of the brand 任务牌: the package and its price (IN-7) and a part with a
 * 7-day lead time (MR-6); the same first service as the built-in plan, so that due dates stay
 * purchase + 75 days. Made once. */
#define PLAN_BRAND "任务牌"
static void task_plan(void)
{
    static bool made;
    if (made)
        return;
    json_t *p = call("POST", "/api/v1/maintenance-plans", tok(U_MANAGER),
                     "{\"brand\":\"" PLAN_BRAND "\",\"interval_km\":5000,\"interval_months\":6,"
                     "\"first_km\":3000,\"first_months\":3,\"package_name\":\"常规保养\","
                     "\"ops\":[{\"code\":\"OIL\",\"name\":\"更换机油机滤\",\"labour_fen\":15000}],"
                     "\"parts\":[{\"part_no\":\"06L115562\",\"qty\":1,\"unit_price_fen\":8500,"
                     "\"lead_days\":7}]}",
                     201);
    assert_int_equal(jint(p, "price_fen"), 23500);
    assert_int_equal(jint(p, "lead_days"), 7);
    json_decref(p);
    made = true;
}

/* ---- the list ---- */

static void test_list_order_filters_and_what_the_call_needs(void **state)
{
    (void)state;
    task_plan();
    dms_day t = test_today(), d = t - 200;
    /* A maintenance call (deadline D + 2), a follow-up (D + 4), an insurance renewal (D + 30). */
    char phone[16];
    int64_t cid = customer(tok(U_ADVISOR), true, ALL_CONSENT,
                           ",\"needs\":[\"pickup\"],\"needs_note\":\"需要代步车\"", phone);
    int64_t v_call = vehicle(tok(U_ADVISOR), cid, PLAN_BRAND, d + 11 - 75);
    assert_int_equal(due_of(v_call), d + 11);
    int64_t v_fu = reachable_car(t - 600, NULL);
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":800,"
                         "\"kind\":\"accident\"}",
                         (long long)v_fu, ds(d - 3)),
                     201));
    int64_t v_ins = reachable_car(t - 700, NULL);
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)v_ins), tok(U_ADVISOR),
                     fmt("{\"insurance_expiry\":\"%s\"}", ds(d + 30)), 200));
    json_t *g = generate(d);
    assert_int_equal(created(g, "maintenance_call"), 1);
    assert_int_equal(created(g, "followup"), 1);
    assert_int_equal(created(g, "insurance_renewal"), 1);
    json_decref(g);
    json_t *tc = one_task(v_call, "maintenance_call"), *tf = one_task(v_fu, "followup"),
           *ti = one_task(v_ins, "insurance_renewal");
    int64_t id_call = jint(tc, "id"), id_fu = jint(tf, "id"), id_ins = jint(ti, "id");
    json_decref(tf);
    json_decref(ti);

    /* D's list: oldest deadline first. */
    json_t *l = list_as(tok(U_CALLER), fmt("date=%s", ds(d)));
    long pos_call = -1, pos_fu = -1, pos_ins = -1;
    size_t i;
    json_t *it;
    const char *prev = "";
    json_array_foreach(l, i, it)
    {
        assert_true(strcmp(jstr(it, "due_date"), ds(d)) <= 0);
        assert_true(strcmp(jstr(it, "deadline"), ds(d)) >= 0);
        assert_true(strcmp(prev, jstr(it, "deadline")) <= 0);
        prev = keep(jstr(it, "deadline"));
        if (jint(it, "id") == id_call)
            pos_call = (long)i;
        if (jint(it, "id") == id_fu)
            pos_fu = (long)i;
        if (jint(it, "id") == id_ins)
            pos_ins = (long)i;
    }
    assert_true(pos_call >= 0 && pos_fu > pos_call && pos_ins > pos_fu);
    json_decref(l);
    /* The day before: none of them; D + 3: the call's window is over, the others remain. */
    l = list_as(tok(U_CALLER), fmt("date=%s", ds(d - 1)));
    json_array_foreach(l, i, it)
    {
        assert_true(jint(it, "id") != id_call && jint(it, "id") != id_fu &&
                    jint(it, "id") != id_ins);
    }
    json_decref(l);
    l = list_as(tok(U_CALLER), fmt("date=%s", ds(d + 3)));
    bool seen_fu = false, seen_ins = false;
    json_array_foreach(l, i, it)
    {
        assert_true(jint(it, "id") != id_call);
        seen_fu |= jint(it, "id") == id_fu;
        seen_ins |= jint(it, "id") == id_ins;
    }
    assert_true(seen_fu && seen_ins);
    json_decref(l);
    /* Type and status filters. */
    l = list_as(tok(U_CALLER), fmt("date=%s&type=followup&status=open", ds(d)));
    bool seen = false;
    json_array_foreach(l, i, it)
    {
        assert_string_equal(jstr(it, "type"), "followup");
        assert_string_equal(jstr(it, "status"), "open");
        seen |= jint(it, "id") == id_fu;
    }
    assert_true(seen);
    json_decref(l);
    l = list_as(tok(U_CALLER), fmt("date=%s&status=done", ds(d)));
    json_array_foreach(l, i, it) assert_string_equal(jstr(it, "status"), "done");
    json_decref(l);
    rejected("GET", "/api/v1/tasks?type=nap", tok(U_CALLER), NULL, 400, "invalid_field", "type");
    rejected("GET", "/api/v1/tasks?status=maybe", tok(U_CALLER), NULL, 400, "invalid_field",
             "status");
    rejected("GET", "/api/v1/tasks?date=2024-13-01", tok(U_CALLER), NULL, 422, "invalid_date",
             "date");

    /* MR-4: what the caller sees before calling: history, due date and content, the package
     * and its one price (IN-7), the special needs (CRM-6); the phone masked in the list. */
    assert_string_equal(jstr(tc, "type"), "maintenance_call");
    assert_int_equal(jint(tc, "customer_id"), cid);
    json_t *cl = json_object_get(tc, "call");
    json_t *cust = json_object_get(cl, "customer");
    assert_string_equal(jstr(cust, "name"), "张三丰");
    assert_string_equal(jstr(cust, "title"), "先生");
    char masked[16];
    snprintf(masked, sizeof masked, "%.3s****%s", phone, phone + 7);
    assert_string_equal(jstr(cust, "phone"), masked);
    json_t *needs = json_object_get(cl, "special_needs");
    assert_string_equal(json_string_value(json_array_get(json_object_get(needs, "needs"), 0)),
                        "pickup");
    assert_string_equal(jstr(needs, "note"), "需要代步车");
    assert_string_equal(jstr(json_object_get(cl, "vehicle"), "brand"), PLAN_BRAND);
    assert_string_equal(jstr(json_object_get(cl, "next_service"), "due_date"), ds(d + 11));
    assert_int_equal(jint(json_object_get(cl, "next_service"), "due_km"), 3000);
    json_t *pkg = json_object_get(cl, "package");
    assert_true(json_is_object(pkg));
    assert_string_equal(jstr(pkg, "name"), "常规保养");
    assert_int_equal(jint(pkg, "price_fen"), 23500);
    json_decref(tc);
    /* Without a plan of the store's, no package. */
    tf = one_task(v_fu, "followup");
    assert_true(json_is_null(json_object_get(json_object_get(tf, "call"), "package")));
    json_decref(tf);

    /* The detail view shows the number in full to the roles that call. */
    static const char *const callers[] = {U_CALLER, U_ADVISOR, U_MANAGER};
    for (size_t k = 0; k < 3; k++) {
        json_t *full = task_get(id_call, tok(callers[k]));
        assert_string_equal(
            jstr(json_object_get(json_object_get(full, "call"), "customer"), "phone"), phone);
        assert_true(json_is_array(json_object_get(full, "attempts_log")));
        assert_int_equal(json_array_size(json_object_get(full, "attempts_log")), 0);
        json_decref(full);
    }
    /* Roles that do not work the lists may not see them. */
    static const char *const no[] = {U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t k = 0; k < 4; k++) {
        rejected("GET", "/api/v1/tasks", tok(no[k]), NULL, 403, "forbidden", NULL);
        rejected("GET", fmt("/api/v1/tasks/%lld", (long long)id_call), tok(no[k]), NULL, 403,
                 "forbidden", NULL);
    }
    /* Another store: 404 for the id, and its lists hold only its own tasks. */
    rejected("GET", fmt("/api/v1/tasks/%lld", (long long)id_call), tok(U_ADVISOR2), NULL, 404,
             "not_found", NULL);
    l = list_as(tok(U_ADVISOR2), fmt("date=%s", ds(d)));
    json_array_foreach(l, i, it)
    {
        assert_true(jint(it, "id") != id_call && jint(it, "id") != id_fu &&
                    jint(it, "id") != id_ins);
    }
    json_decref(l);
    l = list_as(tok(U_ADVISOR2), fmt("vehicle_id=%lld", (long long)v_call));
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    rejected("GET", "/api/v1/tasks/999999999", tok(U_CALLER), NULL, 404, "not_found", NULL);
}

/* ---- calls (MR-4..MR-6) ---- */

/* Cars due in 11 days (so the generation of today makes their reminder call), and one due
 * in 13 (its reminder message). Made once for the attempt tests. */
enum { G_NO_ANSWER, G_BUSY, G_LATER, G_UNDECIDED, G_DECLINED, G_MILEAGE, G_NEEDS, G_COUNT };
static struct {
    bool made;
    int64_t vehicle[G_COUNT], customer[G_COUNT], task[G_COUNT];
    int64_t msg_vehicle, msg_task;
} G;

static void call_fixture(void)
{
    if (G.made)
        return;
    task_plan();
    dms_day t = test_today();
    for (int i = 0; i < G_COUNT; i++) {
        G.customer[i] = customer(tok(U_ADVISOR), true, ALL_CONSENT,
                                 i == G_NEEDS ? ",\"needs_note\":\"周六上午方便\"" : NULL, NULL);
        G.vehicle[i] = vehicle(tok(U_ADVISOR), G.customer[i], PLAN_BRAND, t - 64);
        assert_int_equal(due_of(G.vehicle[i]), t + 11);
    }
    G.msg_vehicle = reachable_car(t - 62, NULL);
    json_t *g = generate(t);
    assert_int_equal(created(g, "maintenance_call"), G_COUNT);
    json_decref(g);
    for (int i = 0; i < G_COUNT; i++) {
        json_t *c = one_task(G.vehicle[i], "maintenance_call");
        G.task[i] = jint(c, "id");
        json_decref(c);
    }
    json_t *m = one_task(G.msg_vehicle, "maintenance_message");
    G.msg_task = jint(m, "id");
    json_decref(m);
    G.made = true;
}

static void test_attempts_unanswered_three_times_expire(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_NO_ANSWER];
    json_t *r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "open");
    assert_int_equal(jint(r, "attempts"), 1);
    assert_string_equal(jstr(r, "last_outcome"), "no_answer");
    assert_true(json_is_string(json_object_get(r, "last_attempt_at")));
    assert_false(json_is_true(json_object_get(r, "reached")));
    json_decref(r);
    r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "open");
    assert_int_equal(jint(r, "attempts"), 2);
    json_decref(r);
    /* The 3rd (max_attempts) expires it. */
    r = outcome(id, "no_answer");
    assert_string_equal(jstr(r, "status"), "expired");
    assert_int_equal(jint(r, "attempts"), 3);
    assert_true(json_is_string(json_object_get(r, "closed_at")));
    json_t *log = json_object_get(r, "attempts_log");
    assert_int_equal(json_array_size(log), 3);
    assert_string_equal(jstr(json_array_get(log, 0), "outcome"), "no_answer");
    assert_string_equal(jstr(json_array_get(log, 0), "username"), U_CALLER);
    json_decref(r);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\"}", 409, "task_closed", NULL);

    /* Busy counts as unanswered too. */
    id = G.task[G_BUSY];
    json_decref(outcome(id, "busy"));
    json_decref(outcome(id, "no_answer"));
    r = outcome(id, "busy");
    assert_string_equal(jstr(r, "status"), "expired");
    assert_int_equal(jint(r, "attempts"), 3);
    json_decref(r);
}

static void test_attempts_call_back_later_stays_open(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_LATER];
    json_t *r = attempt(id, "{\"outcome\":\"call_back_later\",\"notes\":\"下午再打\"}", 201);
    assert_string_equal(jstr(r, "status"), "open");
    assert_int_equal(jint(r, "attempts"), 0);
    assert_true(json_is_true(json_object_get(r, "reached")));
    assert_true(json_is_null(json_object_get(r, "closed_at")));
    assert_string_equal(jstr(json_array_get(json_object_get(r, "attempts_log"), 0), "notes"),
                        "下午再打");
    json_decref(r);
    /* MR-5: booked in the next call. */
    r = outcome(id, "booked");
    assert_string_equal(jstr(r, "status"), "done");
    assert_true(json_is_true(json_object_get(r, "booked")));
    assert_true(json_is_true(json_object_get(r, "reached")));
    json_decref(r);
    assert_int_equal(n_tasks(G.vehicle[G_LATER], "maintenance_second_call"), 0);
}

static void test_attempts_undecided_gets_a_second_call_before_the_parts_lead_time(void **state)
{
    (void)state;
    call_fixture();
    dms_day t = test_today(), u = t + 11;
    json_t *r = outcome(G.task[G_UNDECIDED], "undecided");
    assert_string_equal(jstr(r, "status"), "done");
    assert_true(json_is_true(json_object_get(r, "reached")));
    json_decref(r);
    /* MR-6: from tomorrow until the service date less the package's 7-day lead time. */
    json_t *s = one_task(G.vehicle[G_UNDECIDED], "maintenance_second_call");
    assert_string_equal(jstr(s, "status"), "open");
    assert_string_equal(jstr(s, "due_date"), ds(t + 1));
    assert_string_equal(jstr(s, "deadline"), ds(u - 7));
    assert_string_equal(jstr(s, "service_due_date"), ds(u));
    assert_int_equal(jint(s, "customer_id"), G.customer[G_UNDECIDED]);
    int64_t second = jint(s, "id");
    json_decref(s);
    /* Undecided again on the second call: no third. */
    json_decref(outcome(second, "undecided"));
    assert_int_equal(n_tasks(G.vehicle[G_UNDECIDED], "maintenance_second_call"), 1);
    assert_int_equal(n_tasks(G.vehicle[G_UNDECIDED], "maintenance_call"), 1);
}

static void test_attempts_declined_gets_no_second_call(void **state)
{
    (void)state;
    call_fixture();
    /* MR-6: a customer who clearly declined is not called again. */
    json_t *r = outcome(G.task[G_DECLINED], "declined");
    assert_string_equal(jstr(r, "status"), "done");
    json_decref(r);
    assert_int_equal(n_tasks(G.vehicle[G_DECLINED], "maintenance_second_call"), 0);
}

static void test_attempts_mileage_moves_the_due_date(void **state)
{
    (void)state;
    call_fixture();
    dms_day t = test_today();
    int64_t id = G.task[G_MILEAGE], vid = G.vehicle[G_MILEAGE];
    const char *vpath = keep(fmt("/api/v1/vehicles/%lld", (long long)vid));
    /* MR-4: the mileage asked in the call is today's reading (source call): 2,600 km in 64
     * days; the 400 km left take 9.8 days: due in 10 days instead of 11. */
    json_t *r = attempt(id, "{\"outcome\":\"call_back_later\",\"mileage_km\":2600}", 201);
    assert_int_equal(jint(json_array_get(json_object_get(r, "attempts_log"), 0), "mileage_km"),
                     2600);
    assert_int_equal(jint(json_object_get(json_object_get(r, "call"), "vehicle"), "mileage_km"),
                     2600);
    assert_string_equal(
        jstr(json_object_get(json_object_get(r, "call"), "next_service"), "due_date"), ds(t + 10));
    json_decref(r);
    json_t *v = call("GET", vpath, tok(U_CALLER), NULL, 200);
    assert_int_equal(jint(v, "mileage_km"), 2600);
    assert_string_equal(jstr(v, "mileage_date"), ds(t));
    assert_string_equal(jstr(json_object_get(v, "next_service"), "due_date"), ds(t + 10));
    assert_string_equal(jstr(json_object_get(v, "next_service"), "basis"), "mileage");
    json_decref(v);
    json_t *m = call("GET", fmt("%s/mileage", vpath), tok(U_CALLER), NULL, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(m, "items"), 0), "source"), "call");
    json_decref(m);

    /* A mileage the odometer contradicts (below today's 2,600): 422, and nothing recorded:
     * no attempt, the task still open, the vehicle and the audit log as they were. */
    char *task_before = snapshot(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER));
    char *vehicle_before = snapshot(vpath, tok(U_CALLER));
    int64_t head = audit_head();
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\",\"mileage_km\":2000}", 422, "mileage_inconsistent", NULL);
    assert_unchanged(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER), task_before);
    assert_unchanged(vpath, tok(U_CALLER), vehicle_before);
    assert_int_equal(audit_head(), head);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\",\"mileage_km\":-1}", 400, "invalid_field", "mileage_km");
    /* The same km again is consistent. */
    json_decref(attempt(id, "{\"outcome\":\"reached\",\"mileage_km\":2600}", 201));
}

static void test_attempts_mileage_error_names_the_request_field(void **state)
{
    (void)state;
    call_fixture();
    /* The error names the field of this request (mileage_km), as a repair order's does. */
    int64_t vid = G.vehicle[G_MILEAGE];
    json_t *tk =
        call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}", (long long)vid),
             201);
    int64_t id = jint(tk, "id");
    json_decref(tk);
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER),
             "{\"outcome\":\"reached\",\"mileage_km\":100}", 422, "mileage_inconsistent",
             "mileage_km");
    json_decref(call("PATCH", fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER),
                     "{\"status\":\"cancelled\"}", 200));
}

static void test_attempts_special_needs_go_onto_the_profile(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_NEEDS], cid = G.customer[G_NEEDS];
    /* CRM-6, MR-4: the needs heard in the call are added to the customer's note. */
    json_t *r = attempt(id, "{\"outcome\":\"reached\",\"special_needs\":\"需要代步车\"}", 201);
    assert_string_equal(
        jstr(json_array_get(json_object_get(r, "attempts_log"), 0), "special_needs"), "需要代步车");
    json_decref(r);
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_CALLER), NULL, 200);
    const char *note = jstr(c, "needs_note");
    assert_non_null(note);
    assert_non_null(strstr(note, "周六上午方便"));
    assert_non_null(strstr(note, "需要代步车"));
    assert_true(strstr(note, "周六上午方便") < strstr(note, "需要代步车"));
    json_decref(c);
}

static void test_attempts_reject_bad_input(void **state)
{
    (void)state;
    call_fixture();
    /* A reminder message is not a call. */
    rejected("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)G.msg_task), tok(U_CALLER),
             "{\"outcome\":\"reached\"}", 400, "invalid_field", NULL);
    /* Input, on an open task that stays as it was. */
    dms_day t = test_today();
    int64_t cid, vid = reachable_car(t - 320, &cid);
    json_t *tk =
        call("POST", "/api/v1/tasks", tok(U_CALLER),
             fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}", (long long)vid),
             201);
    int64_t id = jint(tk, "id");
    json_decref(tk);
    const char *path = keep(fmt("/api/v1/tasks/%lld/attempts", (long long)id));
    char *before = snapshot(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER));
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"maybe\"}", 400, "invalid_field",
             "outcome");
    rejected("POST", path, tok(U_CALLER), "{}", 400, "missing_field", "outcome");
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"reached\",\"mood\":\"good\"}", 400,
             "invalid_field", "mood");
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":1}", 400, "invalid_field", "outcome");
    rejected("POST", path, tok(U_CALLER), "not json", 400, "invalid_json", NULL);
    /* Roles and stores. */
    rejected("POST", path, tok(U_PARTS), "{\"outcome\":\"reached\"}", 403, "forbidden", NULL);
    rejected("POST", path, tok(U_ADVISOR2), "{\"outcome\":\"reached\"}", 404, "not_found", NULL);
    rejected("POST", "/api/v1/tasks/999999999/attempts", tok(U_CALLER), "{\"outcome\":\"reached\"}",
             404, "not_found", NULL);
    assert_unchanged(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER), before);
    /* Advisors and managers may record calls too. */
    json_t *r = attempt(id, "{\"outcome\":\"busy\"}", 201);
    json_decref(r);
    r = call("POST", path, tok(U_ADVISOR), "{\"outcome\":\"reached\"}", 201);
    assert_string_equal(jstr(r, "status"), "done");
    json_decref(r);
    /* A task that is not open takes no more calls. */
    before = snapshot(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER));
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"reached\"}", 409, "task_closed", NULL);
    rejected("POST", path, tok(U_CALLER), "{\"outcome\":\"no_answer\"}", 409, "task_closed", NULL);
    assert_unchanged(fmt("/api/v1/tasks/%lld", (long long)id), tok(U_CALLER), before);
}

static void test_attempts_are_audited(void **state)
{
    (void)state;
    call_fixture();
    int64_t id = G.task[G_NO_ANSWER];
    /* Three calls, each one row: outcome, status and attempts before and after. */
    json_t *j = call("GET", fmt("/api/v1/audit?entity=task&entity_id=%lld", (long long)id),
                     tok(U_MANAGER), NULL, 200);
    json_t *items = json_object_get(j, "items");
    size_t n = 0, i;
    json_t *it;
    json_t *last = NULL;
    json_array_foreach(items, i, it)
    {
        if (strcmp(jstr(it, "action"), "attempt") == 0) {
            if (!last)
                last = it;
            n++;
        }
    }
    assert_int_equal(n, 3);
    assert_string_equal(jstr(last, "actor"), U_CALLER);
    json_t *ch = json_object_get(last, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "outcome"), 1)),
                        "no_answer");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "status"), 0)),
                        "open");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "status"), 1)),
                        "expired");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "attempts"), 1)), 3);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_order_filters_and_what_the_call_needs),
        cmocka_unit_test(test_attempts_unanswered_three_times_expire),
        cmocka_unit_test(test_attempts_call_back_later_stays_open),
        cmocka_unit_test(test_attempts_undecided_gets_a_second_call_before_the_parts_lead_time),
        cmocka_unit_test(test_attempts_declined_gets_no_second_call),
        cmocka_unit_test(test_attempts_mileage_moves_the_due_date),
        cmocka_unit_test(test_attempts_mileage_error_names_the_request_field),
        cmocka_unit_test(test_attempts_special_needs_go_onto_the_profile),
        cmocka_unit_test(test_attempts_reject_bad_input),
        cmocka_unit_test(test_attempts_are_audited),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
