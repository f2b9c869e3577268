/* The appointment board over HTTP (IN-11, IN-12, IN-13, IN-17, IN-18, MR-7): the day per bay
 * in time order with the bookings still to fix, customer names masked for roles without
 * contact details, each department's confirmation (and tomorrow's), the welcome board at
 * reception, the parts shelves, and shortages escalated by e-mail when they risk a complaint.
 * Every test runs in a store of its own (workshop_new or store_new); bookings are made from
 * tomorrow on, except the welcome board's, which is today's by definition (see there). */
#include "booking_fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOARD "/api/v1/board"

/* 王小明 先生 with a car plated 京A + five digits (the welcome board's mask is checked against
 * it); *plate gets the plate (kept). */
static int64_t car_plated(const char *token, const char **plate)
{
    int64_t customer = new_customer(token, "王小明");
    char vin[18];
    unsigned n = uniq();
    make_vin(vin, n);
    *plate = keep(fmt("京A%05u", n % 100000));
    json_t *j =
        call("POST", "/api/v1/vehicles", token,
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"大众\"}",
                 (long long)customer, vin, *plate),
             201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* The bay of the board with this id. */
static json_t *board_bay(json_t *board, int64_t bay)
{
    return item_with_id(json_object_get(board, "bays"), bay);
}

/* Whether a list of bookings holds id. */
static bool holds(json_t *list, int64_t id)
{
    return item_with_id(list, id) != NULL;
}

/* IN-11, IN-13, IN-17: the day per bay, each bay's jobs by start, the bookings of the day
 * without a bay (a time still to fix) apart; cancelled ones off the board. */
static void test_board_per_bay_in_time_order(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 0, 2);
    const char *m = w.m, *op = w.op;
    int64_t b1 = bay_named(m, "机修工位", "general"), b2 = bay_named(m, "机修工位", "general"),
            b3 = bay_named(m, "机修工位", "general");
    const char *pno = part_named(m, "刹车片", 30000, 4, 3);

    /* 14:00 then 09:00 on the first bay, 10:00 on the second (the first is held until
     * 10:30). */
    /* A customer whose profile asks for pickup (CRM-6): prepared before the visit. */
    int64_t cust = new_customer(m, "王小明");
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)cust), m,
                     "{\"needs\":[\"pickup\"],\"needs_note\":\"周六上午方便\"}", 200));
    int64_t late =
        book_confirmed(m, new_vehicle(m, cust), op, day_at(1, "14:00"),
                       fmt(",\"services\":[\"wash\",\"delivery\"],\"parts\":[{\"part_no\":"
                           "\"%s\",\"qty\":1}],\"customer_words\":\"刹车异响\"",
                           pno));
    int64_t early = book_confirmed(m, car(m), op, day_at(1, "09:00"), NULL);
    int64_t mid = book_confirmed(m, car(m), op, day_at(1, "10:00"), NULL);
    int64_t gone = book_confirmed(m, car(m), op, day_at(1, "16:00"), NULL);
    status_ok(m, gone, "cancelled");
    json_t *t = call("POST", APPTS, m, booking_for_day(car(m), op, day_str(1), NULL), 201);
    int64_t open = jint(t, "id");
    json_decref(t);
    t = call("POST", APPTS, m,
             fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\","
                 "\"period_from\":\"%s\",\"period_to\":\"%s\"}",
                 (long long)car(m), op, day_str(1), day_str(5)),
             201);
    int64_t period = jint(t, "id");
    json_decref(t);
    int64_t other_day = book_confirmed(m, car(m), op, day_at(2, "09:00"), NULL);

    json_t *j = call("GET", fmt(BOARD "?date=%s", day_str(1)), m, NULL, 200);
    assert_string_equal(jstr(j, "date"), day_str(1));
    json_t *bays = json_object_get(j, "bays");
    assert_int_equal(json_array_size(bays), 3);
    json_t *r1 = board_bay(j, b1), *r2 = board_bay(j, b2), *r3 = board_bay(j, b3);
    assert_non_null(r1);
    assert_non_null(r2);
    assert_non_null(r3);
    assert_non_null(jstr(r1, "code"));
    assert_string_equal(jstr(r1, "name"), "机修工位");
    assert_string_equal(jstr(r1, "kind"), "general");
    json_t *jobs = json_object_get(r1, "jobs");
    assert_int_equal(json_array_size(jobs), 2);
    assert_int_equal(jint(json_array_get(jobs, 0), "id"), early);
    assert_int_equal(jint(json_array_get(jobs, 1), "id"), late);
    jobs = json_object_get(r2, "jobs");
    assert_int_equal(json_array_size(jobs), 1);
    assert_int_equal(jint(json_array_get(jobs, 0), "id"), mid);
    assert_int_equal(json_array_size(json_object_get(r3, "jobs")), 0);
    /* What the job needs (IN-17): vehicle, customer, operations, technician, parts with
     * their state and shelf, services. */
    json_t *job = json_array_get(json_object_get(r1, "jobs"), 1);
    assert_non_null(jstr(json_object_get(job, "vehicle"), "plate"));
    assert_non_null(jstr(json_object_get(job, "customer"), "name"));
    assert_string_equal(jstr(json_array_get(json_object_get(job, "ops"), 0), "code"), op);
    assert_non_null(jstr(job, "technician_name"));
    json_t *part = json_array_get(json_object_get(job, "parts"), 0);
    assert_string_equal(jstr(part, "part_no"), pno);
    assert_string_equal(jstr(part, "state"), "reserved");
    assert_string_equal(jstr(part, "shelf"), "appointment");
    assert_int_equal(json_array_size(json_object_get(job, "services")), 2);
    assert_string_equal(jstr(job, "customer_words"), "刹车异响");
    json_t *needs = json_object_get(job, "customer_needs");
    assert_int_equal(json_array_size(needs), 1);
    assert_string_equal(json_string_value(json_array_get(needs, 0)), "pickup");
    assert_string_equal(jstr(job, "needs_note"), "周六上午方便");
    /* The day's booking without a time, apart; the period, the cancelled one and the other
     * day's nowhere. */
    json_t *un = json_object_get(j, "unassigned");
    assert_int_equal(json_array_size(un), 1);
    assert_int_equal(jint(json_array_get(un, 0), "id"), open);
    size_t i;
    json_t *b;
    json_array_foreach(bays, i, b)
    {
        assert_false(holds(json_object_get(b, "jobs"), gone));
        assert_false(holds(json_object_get(b, "jobs"), period));
        assert_false(holds(json_object_get(b, "jobs"), other_day));
    }
    assert_false(holds(un, period));
    json_decref(j);

    /* Without a date: today's, empty here. */
    j = call("GET", BOARD, m, NULL, 200);
    assert_string_equal(jstr(j, "date"), day_str(0));
    json_array_foreach(json_object_get(j, "bays"), i, b)
    {
        assert_int_equal(json_array_size(json_object_get(b, "jobs")), 0);
    }
    assert_string_equal(jstr(json_object_get(j, "next_day"), "date"), day_str(1));
    json_decref(j);
    refused_4xx("GET", BOARD "?date=2031-02-30", m, NULL);
    refused_4xx("GET", BOARD "?date=tomorrow", m, NULL);
}

/* Personal data on the board: full names for advisors, callers and the service manager;
 * masked for the workshop and the parts store (who have no contact details). */
static void test_board_masks_customer_names(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    const char *pm = store_user(&w.st, "parts_manager");
    int64_t bay = w.bay[0];
    int64_t id = book_confirmed(adv, car(m), op, day_at(1, "09:00"), NULL);
    struct {
        const char *token, *name;
    } seen[] = {{adv, "王小明"}, {m, "王小明"}, {shop, "王**"}, {pm, "王**"}};
    for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++) {
        json_t *j = call("GET", fmt(BOARD "?date=%s", day_str(1)), seen[i].token, NULL, 200);
        json_t *job = json_array_get(json_object_get(board_bay(j, bay), "jobs"), 0);
        assert_int_equal(jint(job, "id"), id);
        const char *name = jstr(json_object_get(job, "customer"), "name");
        if (!name || strcmp(name, seen[i].name) != 0)
            print_error("user %zu sees %s, want %s\n", i, name ? name : "(null)", seen[i].name);
        assert_string_equal(name, seen[i].name);
        json_decref(j);
        /* The appointment itself the same. */
        j = call("GET", fmt(APPTS "/%lld", (long long)id), seen[i].token, NULL, 200);
        assert_string_equal(jstr(json_object_get(j, "customer"), "name"), seen[i].name);
        json_decref(j);
    }
}

/* IN-11: each department confirms the board for itself (the workshop role for workshop, the
 * parts manager for parts, warranty, the caller for customer service); the service manager
 * for any; another department's is 403; today or later; tomorrow's shown as next_day. */
static void test_board_confirmations(void **state)
{
    (void)state;
    struct test_store st;
    store_new(&st);
    const char *m = st.manager;
    const char *adv = store_user(&st, "advisor");
    const char *shop = store_user(&st, "workshop");
    const char *pm = store_user(&st, "parts_manager");
    const char *caller = store_user(&st, "caller");
    const char *warr = store_user(&st, "warranty");
    const char *today = day_str(0), *tomorrow = day_str(1);
    const char *path = keep(fmt(BOARD "/%s/confirmations", today));

    json_t *j = call("GET", BOARD, m, NULL, 200);
    json_t *c = json_object_get(j, "confirmations");
    assert_true(json_is_null(json_object_get(c, "workshop")));
    assert_true(json_is_null(json_object_get(c, "parts")));
    assert_true(json_is_null(json_object_get(c, "warranty")));
    assert_true(json_is_null(json_object_get(c, "customer_service")));
    json_decref(j);

    /* Not one's own department: 403, nothing written. */
    char *before = snapshot(BOARD, m);
    int64_t head = audit_head_of(m);
    struct {
        const char *token, *dept;
    } refused[] = {{shop, "parts"},           {pm, "workshop"},
                   {caller, "warranty"},      {warr, "customer_service"},
                   {adv, "customer_service"}, {adv, "workshop"},
                   {shop, "customer_service"}};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        rejected("POST", path, refused[i].token, fmt("{\"department\":\"%s\"}", refused[i].dept),
                 403, "forbidden", NULL);
    rejected("POST", path, shop, "{\"department\":\"kitchen\"}", 400, "invalid_field",
             "department");
    rejected("POST", path, shop, "{}", 400, "missing_field", "department");
    rejected("POST", path, shop, "{\"department\":\"workshop\",\"note\":\"ok\"}", 400,
             "invalid_field", NULL);
    rejected("POST", path, shop, "{", 400, "invalid_json", NULL);
    /* A past day's board cannot be confirmed. */
    refused_4xx("POST", fmt(BOARD "/%s/confirmations", day_str(-1)), shop,
                "{\"department\":\"workshop\"}");
    refused_4xx("POST", BOARD "/2031-02-30/confirmations", shop, "{\"department\":\"workshop\"}");
    refused_4xx("POST", BOARD "/someday/confirmations", shop, "{\"department\":\"workshop\"}");
    assert_unchanged(BOARD, m, before);
    assert_int_equal(audit_head_of(m), head);

    j = call("POST", path, shop, "{\"department\":\"workshop\"}", 201);
    assert_string_equal(jstr(j, "date"), today);
    json_t *w = json_object_get(json_object_get(j, "confirmations"), "workshop");
    assert_true(json_is_object(w));
    assert_true(jint(w, "user_id") > 0);
    assert_non_null(jstr(w, "username"));
    assert_non_null(jstr(w, "confirmed_at"));
    assert_true(json_is_null(json_object_get(json_object_get(j, "confirmations"), "parts")));
    json_decref(j);
    json_decref(call("POST", path, pm, "{\"department\":\"parts\"}", 201));
    json_decref(call("POST", path, warr, "{\"department\":\"warranty\"}", 201));
    json_decref(call("POST", path, caller, "{\"department\":\"customer_service\"}", 201));
    /* The service manager for any, tomorrow. */
    json_decref(call("POST", fmt(BOARD "/%s/confirmations", tomorrow), m,
                     "{\"department\":\"parts\"}", 201));
    json_decref(call("POST", fmt(BOARD "/%s/confirmations", tomorrow), shop,
                     "{\"department\":\"workshop\"}", 201));

    j = call("GET", BOARD, adv, NULL, 200);
    c = json_object_get(j, "confirmations");
    assert_true(json_is_object(json_object_get(c, "workshop")));
    assert_true(json_is_object(json_object_get(c, "parts")));
    assert_true(json_is_object(json_object_get(c, "warranty")));
    assert_true(json_is_object(json_object_get(c, "customer_service")));
    assert_int_not_equal(jint(json_object_get(c, "workshop"), "user_id"),
                         jint(json_object_get(c, "parts"), "user_id"));
    json_t *next = json_object_get(j, "next_day");
    assert_string_equal(jstr(next, "date"), tomorrow);
    json_t *nc = json_object_get(next, "confirmations");
    assert_true(json_is_object(json_object_get(nc, "workshop")));
    assert_true(json_is_object(json_object_get(nc, "parts")));
    assert_true(json_is_null(json_object_get(nc, "warranty")));
    assert_true(json_is_null(json_object_get(nc, "customer_service")));
    json_decref(j);
    /* Tomorrow's board shows them as its own. */
    j = call("GET", fmt(BOARD "?date=%s", tomorrow), shop, NULL, 200);
    assert_true(json_is_object(json_object_get(json_object_get(j, "confirmations"), "parts")));
    json_decref(j);

    /* Another store's board knows nothing of them. */
    struct test_store other;
    store_new(&other);
    j = call("GET", BOARD, other.manager, NULL, 200);
    assert_true(json_is_null(json_object_get(json_object_get(j, "confirmations"), "workshop")));
    json_decref(j);
}

/* MR-7: today's booked customers on the welcome board, masked: "王先生 京A·***45 09:00".
 * The booking must be today and later than now; so that one always exists, the store opens
 * 00:00-23:59 every day with a 5-minute step and the job is a quarter of an hour. Only after
 * 23:40 (store time) is there no start left today: then the test checks an empty board and
 * says so. */
static void test_welcome_board(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    open_all_day(m);
    set_settings(m, "{\"slot_step_min\":5}");
    const char *op = op_new(m, "repair", "0.25", "general", "mechanical", 20000);
    /* Tomorrow's booking is not today's welcome. */
    const char *plate_t;
    book_confirmed(adv, car_plated(m, &plate_t), op, day_at(1, "09:00"), NULL);

    int at = (local_minute_now() + 10 + 4) / 5 * 5;
    if (at + 15 > 23 * 60 + 59) {
        print_message("after 23:40 store time: no booking can start later today; checking an "
                      "empty welcome board only\n");
        json_t *j = call("GET", "/api/v1/board/welcome", adv, NULL, 200);
        assert_string_equal(jstr(j, "date"), day_str(0));
        assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
        json_decref(j);
        return;
    }
    const char *hhmm = clock_hhmm(at);
    const char *plate;
    int64_t v = car_plated(m, &plate);
    int64_t id = book_confirmed(adv, v, op, day_at(0, hhmm), NULL);
    /* A cancelled one of today is not welcomed. */
    const char *plate_c;
    int64_t c = book_confirmed(adv, car_plated(m, &plate_c), op, day_at(0, hhmm), NULL);
    status_ok(adv, c, "cancelled");

    /* 京A12345 -> 京A·***45 */
    size_t n = strlen(plate);
    const char *masked = keep(fmt("京A·***%s", plate + n - 2));
    const char *text = keep(fmt("王先生 %s %s", masked, hhmm));
    const char *readers[] = {adv, m, store_user(&w.st, "workshop")};
    for (size_t r = 0; r < sizeof readers / sizeof readers[0]; r++) {
        json_t *j = call("GET", "/api/v1/board/welcome", readers[r], NULL, 200);
        assert_string_equal(jstr(j, "date"), day_str(0));
        json_t *items = json_object_get(j, "items");
        if (json_array_size(items) != 1) {
            char *s = json_dumps(j, JSON_COMPACT);
            print_error("welcome: %s\n", s);
            free(s);
        }
        assert_int_equal(json_array_size(items), 1);
        json_t *it = json_array_get(items, 0);
        assert_string_equal(jstr(it, "text"), text);
        assert_string_equal(jstr(it, "name"), "王先生");
        assert_string_equal(jstr(it, "plate"), masked);
        assert_string_equal(jstr(it, "time"), hhmm);
        assert_string_equal(jstr(it, "status"), "confirmed");
        assert_null(strstr(jstr(it, "text"), "王小明"));
        assert_null(strstr(jstr(it, "text"), plate));
        json_decref(j);
    }
    /* IN-13: a same-day booking shows on the schedule at once. */
    json_t *j = call("GET", BOARD, m, NULL, 200);
    bool found = false;
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(j, "bays"), i, b)
    {
        found |= holds(json_object_get(b, "jobs"), id);
    }
    assert_true(found);
    json_decref(j);
    /* Arrived guests stay on it; finished ones leave. */
    int64_t order = check_in(adv, id);
    j = call("GET", "/api/v1/board/welcome", adv, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "items"), 0), "status"), "arrived");
    json_decref(j);
    order_deliver(m, order);
    assert_int_equal(items_count("/api/v1/board/welcome", adv), 0);
}

/* IN-12: the "appointment" and "waiting for parts" shelves, each part labelled with the
 * booking it is kept for. */
static void test_shelves(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pm = store_user(&w.st, "parts_manager");
    const char *in = part_named(m, "刹车片", 30000, 5, 2);
    const char *out = part_named(m, "刹车片", 30000, 0, 3);
    const char *plate;
    int64_t v = car_new(m, &plate);
    int64_t c = book_confirmed(m, v, op, day_at(1, "09:00"),
                               fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", in));
    int64_t d = book_confirmed(
        m, car(m), op, day_at(3, "09:00"),
        fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}],\"wait_for_parts\":true", out));

    json_t *j = call("GET", "/api/v1/shelves", pm, NULL, 200);
    json_t *appt = json_object_get(j, "appointment"),
           *wait = json_object_get(j, "waiting_for_parts");
    assert_int_equal(json_array_size(appt), 1);
    assert_int_equal(json_array_size(wait), 1);
    json_t *it = json_array_get(appt, 0);
    assert_int_equal(jint(it, "appointment_id"), c);
    assert_string_equal(jstr(it, "date"), day_str(1));
    assert_string_equal(jstr(it, "start"), day_at(1, "09:00"));
    assert_string_equal(jstr(it, "plate"), plate);
    assert_non_null(jstr(it, "customer"));
    assert_null(strstr(jstr(it, "customer"), "小明"));
    assert_string_equal(jstr(it, "part_no"), in);
    assert_string_equal(jstr(it, "name"), "刹车片");
    assert_int_equal(jint(it, "qty"), 2);
    assert_true(json_is_null(json_object_get(it, "expected_date")));
    it = json_array_get(wait, 0);
    assert_int_equal(jint(it, "appointment_id"), d);
    assert_string_equal(jstr(it, "part_no"), out);
    assert_string_equal(jstr(it, "expected_date"), day_str(3));
    json_decref(j);

    /* A cancelled booking's parts leave the shelf. */
    status_ok(m, c, "cancelled");
    j = call("GET", "/api/v1/shelves", m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "appointment")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "waiting_for_parts")), 1);
    json_decref(j);
}

/* IN-18: a shortage is recorded with its cause; one that risks a complaint is escalated at
 * once, an e-mail (outbox, kind parts_escalation) to each address of escalation_emails. */
static void test_shortages_escalation(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pm = store_user(&w.st, "parts_manager");
    const char *adv = store_user(&w.st, "advisor");
    const char *pno = part_named(m, "刹车片", 30000, 0, 7);
    int64_t d = book_confirmed(
        m, car(m), op, day_at(7, "09:00"),
        fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}],\"wait_for_parts\":true", pno));
    json_t *s = call("PATCH", "/api/v1/settings", m,
                     "{\"escalation_emails\":[\"parts.manager@brand.example.com\","
                     "\"Region.Manager@Example.com\"]}",
                     200);
    assert_int_equal(json_array_size(json_object_get(s, "escalation_emails")), 2);
    json_decref(s);

    /* The case-D booking recorded its shortage, for the parts manager to analyse. */
    json_t *j = call("GET", "/api/v1/shortages", pm, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *auto_s = json_array_get(items, 0);
    int64_t auto_id = jint(auto_s, "id");
    assert_string_equal(jstr(auto_s, "part_no"), pno);
    assert_int_equal(jint(auto_s, "qty"), 1);
    assert_int_equal(jint(auto_s, "appointment_id"), d);
    assert_string_equal(jstr(auto_s, "cause"), "预约时库存不足：需要 1，可用 0");
    assert_true(json_is_false(json_object_get(auto_s, "complaint_risk")));
    assert_true(json_is_null(json_object_get(auto_s, "escalated_at")));
    json_decref(j);

    /* Without the risk: recorded, not escalated. */
    j = call("POST", "/api/v1/shortages", pm,
             fmt("{\"part_no\":\"%s\",\"qty\":1,\"cause\":\"库存数据错误\"}", pno), 201);
    assert_true(jint(j, "id") > 0);
    assert_true(json_is_null(json_object_get(j, "escalated_at")));
    assert_int_equal(jint(j, "escalated_to"), 0);
    assert_true(json_is_false(json_object_get(j, "complaint_risk")));
    assert_string_equal(jstr(j, "cause"), "库存数据错误");
    json_decref(j);
    assert_int_equal(items_count("/api/v1/messages?kind=parts_escalation", m), 0);

    /* With the risk: escalated to both addresses at once. */
    j = call("POST", "/api/v1/shortages", pm,
             fmt("{\"part_no\":\"%s\",\"qty\":2,\"cause\":\"供应商断货\",\"complaint_risk\":true,"
                 "\"appointment_id\":%lld}",
                 pno, (long long)d),
             201);
    assert_non_null(jstr(j, "escalated_at"));
    assert_int_equal(jint(j, "escalated_to"), 2);
    assert_int_equal(jint(j, "appointment_id"), d);
    assert_string_equal(jstr(j, "part_no"), pno);
    assert_int_equal(jint(j, "qty"), 2);
    json_decref(j);
    j = call("GET", "/api/v1/messages?kind=parts_escalation", m, NULL, 200);
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    size_t i;
    json_t *msg;
    json_array_foreach(items, i, msg)
    {
        assert_string_equal(jstr(msg, "kind"), "parts_escalation");
        assert_string_equal(jstr(msg, "channel"), "email");
    }
    json_decref(j);
    assert_int_equal(items_count("/api/v1/shortages", adv), 3);

    /* The analysis of the booking's shortage: turning complaint_risk on escalates it, once. */
    const char *spath = keep(fmt("/api/v1/shortages/%lld", (long long)auto_id));
    rejected("PATCH", spath, adv, "{\"complaint_risk\":true}", 403, "forbidden", NULL);
    j = call("PATCH", spath, pm, "{\"cause\":\"供应商断货，调货中\",\"complaint_risk\":true}", 200);
    assert_non_null(jstr(j, "escalated_at"));
    assert_string_equal(jstr(j, "cause"), "供应商断货，调货中");
    assert_true(json_is_true(json_object_get(j, "complaint_risk")));
    const char *escalated_at = keep(jstr(j, "escalated_at"));
    json_decref(j);
    assert_int_equal(items_count("/api/v1/messages?kind=parts_escalation", m), 4);
    j = call("PATCH", spath, m, "{\"complaint_risk\":true}", 200);
    assert_string_equal(jstr(j, "escalated_at"), escalated_at);
    json_decref(j);
    assert_int_equal(items_count("/api/v1/messages?kind=parts_escalation", m), 4);
    rejected("PATCH", "/api/v1/shortages/999999999", pm, "{\"complaint_risk\":true}", 404,
             "not_found", NULL);
    rejected("PATCH", spath, pm, "{\"qty\":5}", 400, "invalid_field", "qty");

    /* The service manager records them too; nobody else; bad ones change nothing. */
    json_decref(call("POST", "/api/v1/shortages", m,
                     fmt("{\"part_no\":\"%s\",\"qty\":1,\"cause\":\"运输延误\"}", pno), 201));
    char *before = snapshot("/api/v1/shortages", m);
    int64_t head = audit_head_of(m);
    rejected("POST", "/api/v1/shortages", adv,
             fmt("{\"part_no\":\"%s\",\"qty\":1,\"cause\":\"x\"}", pno), 403, "forbidden", NULL);
    rejected("POST", "/api/v1/shortages", pm, fmt("{\"part_no\":\"%s\",\"qty\":1}", pno), 400,
             "missing_field", "cause");
    rejected("POST", "/api/v1/shortages", pm,
             fmt("{\"part_no\":\"%s\",\"qty\":0,\"cause\":\"x\"}", pno), 400, "invalid_field",
             "qty");
    rejected("POST", "/api/v1/shortages", pm,
             fmt("{\"part_no\":\"%s\",\"qty\":1,\"cause\":\"x\",\"complaint_risk\":\"yes\"}", pno),
             400, "invalid_field", "complaint_risk");
    refused_4xx("POST", "/api/v1/shortages", pm,
                "{\"part_no\":\"NO-SUCH-PART\",\"qty\":1,\"cause\":\"x\",\"complaint_risk\":true}");
    refused_4xx("POST", "/api/v1/shortages", pm,
                fmt("{\"part_no\":\"%s\",\"qty\":1,\"cause\":\"x\",\"complaint_risk\":true,"
                    "\"appointment_id\":999999999}",
                    pno));
    assert_unchanged("/api/v1/shortages", m, before);
    assert_int_equal(audit_head_of(m), head);
    assert_int_equal(items_count("/api/v1/messages?kind=parts_escalation", m), 4);
    /* Bad escalation lists are refused. */
    rejected("PATCH", "/api/v1/settings", m, "{\"escalation_emails\":[\"not an address\"]}", 422,
             "invalid_email", "escalation_emails");
    rejected("PATCH", "/api/v1/settings", m, "{\"escalation_emails\":\"a@b.com\"}", 400,
             "invalid_field", "escalation_emails");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board_per_bay_in_time_order),
        cmocka_unit_test(test_board_masks_customer_names),
        cmocka_unit_test(test_board_confirmations),
        cmocka_unit_test(test_welcome_board),
        cmocka_unit_test(test_shelves),
        cmocka_unit_test(test_shortages_escalation),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
