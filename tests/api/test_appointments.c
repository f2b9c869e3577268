/* The booking API over HTTP (IN-4..IN-10, IN-13..IN-20): slots (the wish first, then the
 * nearest; the bay's float; the lunch break; closing time; closed days; bay kinds, skills,
 * technicians' days, out-of-service periods; the earliest options; parts lead times), quotes,
 * booking the four cases with their estimate and parts, the refusals with their options,
 * parts to order and their purchase order received, flexible bookings fixed later, the life
 * cycle, rescheduling, dispatch, failed booking calls and their report, bad input, roles and
 * the audit log.
 *
 * Every test runs in a store of its own (workshop_new or store_new), so that "the store has one
 * bay of this kind" holds whatever the other tests do. Bookings are refused in the past and "today"
 * is the store's day (Asia/Shanghai) while the tests run at any hour: they book from tomorrow on
 * (day_at(1, ...)). */
#include "booking_fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

/* ---- days and times ---- */

/* The store's wall clock now, YYYY-MM-DDTHH:MM. */
static void local_now(char out[LOCAL_TIME_STR])
{
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, LOCAL_TIME_STR, "%Y-%m-%dT%H:%M", &tm);
}

/* ---- parts and stock ---- */

static json_t *part_get(const char *token, const char *no)
{
    return call("GET", fmt("/api/v1/parts/%s", no), token, NULL, 200);
}

/* on_hand, reserved, available, on_order of a part, as the API says them. */
static void assert_stock(const char *token, const char *no, int on_hand, int reserved, int on_order)
{
    json_t *p = part_get(token, no);
    if (jint(p, "on_hand") != on_hand || jint(p, "reserved") != reserved ||
        jint(p, "on_order") != on_order) {
        char *s = json_dumps(p, JSON_COMPACT);
        print_error("part %s: want on_hand %d reserved %d on_order %d: %s\n", no, on_hand, reserved,
                    on_order, s);
        free(s);
    }
    assert_int_equal(jint(p, "on_hand"), on_hand);
    assert_int_equal(jint(p, "reserved"), reserved);
    assert_int_equal(jint(p, "available"), on_hand - reserved);
    assert_int_equal(jint(p, "on_order"), on_order);
    json_decref(p);
}

/* The options of a refusal or a /slots answer: a list, each a well-formed option. */
static json_t *options_of(json_t *body)
{
    json_t *o = json_object_get(body, "options");
    assert_true(json_is_array(o));
    size_t i;
    json_t *opt;
    json_array_foreach(o, i, opt)
    {
        assert_non_null(jstr(opt, "start"));
        assert_non_null(jstr(opt, "end"));
        assert_non_null(jstr(opt, "hold_until"));
        assert_true(jint(opt, "bay_id") > 0);
        assert_true(jint(opt, "technician_id") > 0);
        json_t *w = json_object_get(opt, "window");
        /* IN-9: the window told to the customer runs from the start to the end of the float. */
        assert_string_equal(jstr(w, "from"), jstr(opt, "start"));
        assert_string_equal(jstr(w, "to"), jstr(opt, "hold_until"));
        assert_true(strcmp(jstr(opt, "end"), jstr(opt, "start")) > 0);
        assert_true(strcmp(jstr(opt, "hold_until"), jstr(opt, "end")) >= 0);
    }
    return o;
}

/* A request refused 409 with code: how many options it offers (each checked well-formed). */
static size_t refused_with_options(const char *method, const char *path, const char *token,
                                   const char *body, const char *code)
{
    json_t *j = refusal(method, path, token, body, 409, code);
    size_t n = json_array_size(options_of(j));
    json_decref(j);
    return n;
}

static bool offers_start(json_t *opts, const char *start)
{
    return item_with(opts, "start", start) != NULL;
}

static json_t *slots(const char *token, const char *query)
{
    return call("GET", fmt("/api/v1/slots?%s", query), token, NULL, 200);
}

static void status_refused(const char *token, int64_t id, const char *status, long http_status,
                           const char *code)
{
    char *before = snapshot(fmt(APPTS "/%lld", (long long)id), token);
    rejected("POST", fmt(APPTS "/%lld/status", (long long)id), token,
             fmt("{\"status\":\"%s\"}", status), http_status, code, NULL);
    assert_unchanged(fmt(APPTS "/%lld", (long long)id), token, before);
}

/* The part numbered no of an appointment (NULL when it has none). */
static json_t *appt_part(json_t *appt, const char *no)
{
    return item_with(json_object_get(appt, "parts"), "part_no", no);
}

static const char *part_state(const char *token, int64_t id, const char *no)
{
    json_t *a = call("GET", fmt(APPTS "/%lld", (long long)id), token, NULL, 200);
    json_t *p = appt_part(a, no);
    assert_non_null(p);
    const char *s = keep(jstr(p, "state"));
    json_decref(a);
    return s;
}

/* Whether a shelf ("appointment", "waiting_for_parts") holds the part for the booking. */
static bool on_shelf(const char *token, const char *shelf, int64_t appt, const char *no)
{
    json_t *j = call("GET", "/api/v1/shelves", token, NULL, 200);
    size_t i;
    json_t *it;
    bool found = false;
    json_array_foreach(json_object_get(j, shelf), i, it)
    {
        if (jint(it, "appointment_id") == appt && strcmp(jstr(it, "part_no"), no) == 0)
            found = true;
    }
    json_decref(j);
    return found;
}

/* How many appointment_confirm tasks of a vehicle have status. */
static size_t confirm_task_count(const char *token, int64_t vehicle, const char *status)
{
    return items_count(fmt("/api/v1/tasks?type=appointment_confirm&vehicle_id=%lld&status=%s",
                           (long long)vehicle, status),
                       token);
}

/* The one open appointment_confirm task of a vehicle (there must be exactly one): its due
 * date (kept), and its id into *id when id is not NULL. */
static const char *open_confirm_task(const char *token, int64_t vehicle, int64_t *id)
{
    json_t *j = call("GET",
                     fmt("/api/v1/tasks?type=appointment_confirm&vehicle_id=%lld&status=open",
                         (long long)vehicle),
                     token, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    const char *due = keep(jstr(json_array_get(items, 0), "due_date"));
    if (id)
        *id = jint(json_array_get(items, 0), "id");
    json_decref(j);
    return due;
}

/* What a refused booking must leave as it was. */
struct before {
    char *appts, *parts, *orders;
    int64_t audit;
    const char *token;
    int64_t vehicle;
};

static void before_take(struct before *b, const char *token, int64_t vehicle)
{
    b->token = token;
    b->vehicle = vehicle;
    b->appts = snapshot(fmt(APPTS "?vehicle_id=%lld", (long long)vehicle), token);
    b->parts = snapshot("/api/v1/parts?all=true", token);
    b->orders = snapshot("/api/v1/purchase-orders", token);
    b->audit = audit_head_of(token);
}

static void assert_nothing_written(struct before *b)
{
    assert_unchanged(fmt(APPTS "?vehicle_id=%lld", (long long)b->vehicle), b->token, b->appts);
    assert_unchanged("/api/v1/parts?all=true", b->token, b->parts);
    assert_unchanged("/api/v1/purchase-orders", b->token, b->orders);
    assert_int_equal(audit_head_of(b->token), b->audit);
}

/* ---- slots (IN-6, IN-8, IN-9, IN-13, IN-20) ---- */

/* IN-8: the wished start first when it is free, then at least two more, the nearest. */
static void test_slots_wish_first_then_nearest(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    int64_t bay = w.bay[0], tech = w.tech[0];

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=10:00", op, day_str(1)));
    assert_string_equal(jstr(j, "case"), "B");
    assert_int_equal(jint(j, "duration_min"), 60);
    assert_true(json_number_value(json_object_get(j, "hours")) == 1.0);
    assert_string_equal(jstr(j, "bay_kind"), "general");
    assert_true(json_is_true(json_object_get(j, "wish_free")));
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    json_t *first = json_array_get(opts, 0);
    assert_string_equal(jstr(first, "start"), day_at(1, "10:00"));
    assert_string_equal(jstr(first, "end"), day_at(1, "11:00"));
    /* IN-13: the bay is held 30 minutes (float_min) after the end. */
    assert_string_equal(jstr(first, "hold_until"), day_at(1, "11:30"));
    assert_int_equal(jint(first, "bay_id"), bay);
    assert_int_equal(jint(first, "technician_id"), tech);
    /* The next two are the nearest: half an hour either side. */
    assert_true(offers_start(opts, day_at(1, "09:30")));
    assert_true(offers_start(opts, day_at(1, "10:30")));
    const char *second = jstr(json_array_get(opts, 1), "start");
    assert_true(strcmp(second, day_at(1, "09:30")) == 0 || strcmp(second, day_at(1, "10:30")) == 0);
    /* Each a different start. */
    for (size_t a = 0; a < json_array_size(opts); a++)
        for (size_t b = a + 1; b < json_array_size(opts); b++)
            assert_string_not_equal(jstr(json_array_get(opts, a), "start"),
                                    jstr(json_array_get(opts, b), "start"));
    json_decref(j);

    /* A date without a time: the wish is the opening. */
    j = slots(m, fmt("ops=%s&date=%s", op, day_str(2)));
    opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    assert_string_equal(jstr(json_array_get(opts, 0), "start"), day_at(2, "08:30"));
    json_decref(j);

    /* Nothing is cached: a booking made a moment ago holds its bay in the next search. */
    json_decref(book(m, car(m), op, day_at(1, "10:00"), NULL));
    j = slots(m, fmt("ops=%s&date=%s&time=10:00", op, day_str(1)));
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    assert_false(offers_start(opts, day_at(1, "10:00")));
    json_decref(j);
}

/* IN-13: a job ending 10:00 holds its bay until 10:30; with one bay of the kind the next job
 * starts at 10:30, not 10:00. float_min is the store's setting. */
static void test_slots_float_holds_the_bay(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 2); /* two technicians: they are not the limit here */
    const char *m = w.m, *op = w.op;
    int64_t bay = w.bay[0];
    bay_new(m, "paint"); /* another kind does not help */

    json_t *a = book(m, car(m), op, day_at(1, "09:00"), NULL);
    assert_string_equal(jstr(a, "end"), day_at(1, "10:00"));
    assert_string_equal(jstr(a, "hold_until"), day_at(1, "10:30"));
    assert_int_equal(jint(a, "bay_id"), bay);
    json_decref(a);

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=10:00", op, day_str(1)));
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    json_t *opts = options_of(j);
    assert_false(offers_start(opts, day_at(1, "10:00")));
    assert_string_equal(jstr(json_array_get(opts, 0), "start"), day_at(1, "10:30"));
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        /* Nothing overlaps 09:00 .. 10:30 on that day. */
        const char *s = jstr(o, "start"), *h = jstr(o, "hold_until");
        assert_false(strcmp(s, day_at(1, "10:30")) < 0 && strcmp(h, day_at(1, "09:00")) > 0);
    }
    json_decref(j);

    int64_t v = car(m);
    j = refusal("POST", APPTS, m, booking(v, op, day_at(1, "10:00"), NULL), 409, "slot_taken");
    opts = options_of(j);
    assert_true(json_array_size(opts) >= 1);
    assert_string_equal(jstr(json_array_get(opts, 0), "start"), day_at(1, "10:30"));
    json_decref(j);
    a = book(m, v, op, day_at(1, "10:30"), NULL);
    assert_int_equal(jint(a, "bay_id"), bay);
    json_decref(a);

    /* float_min 0: the bay is free again at the end of the job. */
    set_settings(m, "{\"float_min\":0}");
    a = book(m, car(m), op, day_at(2, "09:00"), NULL);
    assert_string_equal(jstr(a, "hold_until"), day_at(2, "10:00"));
    json_decref(a);
    a = book(m, car(m), op, day_at(2, "10:00"), NULL);
    json_decref(a);
    /* A longer float: 60 minutes. */
    set_settings(m, "{\"float_min\":60}");
    a = book(m, car(m), op, day_at(3, "09:00"), NULL);
    assert_string_equal(jstr(a, "hold_until"), day_at(3, "11:00"));
    json_decref(a);
    j = refusal("POST", APPTS, m, booking(car(m), op, day_at(3, "10:30"), NULL), 409, "slot_taken");
    json_decref(j);
    json_decref(book(m, car(m), op, day_at(3, "11:00"), NULL));
}

/* IN-6: the lunch break does not count toward the job's hours; a job cannot start in it. */
static void test_slots_lunch_break(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op1 = w.op;
    const char *op2 = op_new(m, "repair", "2", "general", "mechanical", 20000);

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=11:00", op2, day_str(1)));
    json_t *first = json_array_get(options_of(j), 0);
    assert_string_equal(jstr(first, "start"), day_at(1, "11:00"));
    assert_string_equal(jstr(first, "end"), day_at(1, "14:00"));
    json_decref(j);

    json_t *a = book(m, car(m), op2, day_at(1, "11:00"), NULL);
    assert_string_equal(jstr(a, "end"), day_at(1, "14:00"));
    assert_string_equal(jstr(a, "hold_until"), day_at(1, "14:30"));
    assert_int_equal(jint(a, "duration_min"), 120);
    json_decref(a);

    /* No start in the break. */
    j = slots(m, fmt("ops=%s&date=%s&time=12:00", op1, day_str(2)));
    size_t i;
    json_t *o;
    json_array_foreach(options_of(j), i, o)
    {
        const char *s = jstr(o, "start");
        assert_false(strcmp(s, day_at(2, "12:00")) >= 0 && strcmp(s, day_at(2, "13:00")) < 0);
    }
    json_decref(j);
    assert_true(refused_with_options("POST", APPTS, m,
                                     booking(car(m), op1, day_at(2, "12:15"), NULL),
                                     "slot_unavailable") >= 1);
}

/* A job must end by closing time (17:30); the float may run past it. */
static void test_slots_end_of_day(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m;
    const char *op = op_new(m, "repair", "2", "general", "mechanical", 20000);

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=16:00", op, day_str(1)));
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    size_t i;
    json_t *o;
    json_array_foreach(options_of(j), i, o)
    {
        /* Nothing ends after closing. */
        const char *e = jstr(o, "end");
        assert_true(strcmp(e + 11, "17:30") <= 0);
    }
    assert_true(offers_start(json_object_get(j, "options"), day_at(1, "15:30")));
    json_decref(j);

    int64_t v = car(m);
    j = refusal("POST", APPTS, m, booking(v, op, day_at(1, "16:00"), NULL), 409,
                "slot_unavailable");
    assert_true(offers_start(options_of(j), day_at(1, "15:30")));
    json_decref(j);
    json_t *a = book(m, v, op, day_at(1, "15:30"), NULL);
    assert_string_equal(jstr(a, "end"), day_at(1, "17:30"));
    assert_string_equal(jstr(a, "hold_until"), day_at(1, "18:00"));
    json_decref(a);
}

/* IN-6: a closed day (a public holiday, or a weekday without hours) offers nothing. */
static void test_slots_closed_days_skipped(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    json_decref(call("POST", "/api/v1/calendar/exceptions", m,
                     fmt("{\"date\":\"%s\",\"kind\":\"closed\",\"name\":\"节假日\"}", day_str(2)),
                     201));

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=09:00", op, day_str(2)));
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        assert_true(strncmp(jstr(o, "start"), day_str(2), 10) != 0);
    }
    json_decref(j);
    int64_t v = car(m);
    struct before b;
    before_take(&b, m, v);
    assert_true(refused_with_options("POST", APPTS, m, booking(v, op, day_at(2, "09:00"), NULL),
                                     "slot_unavailable") >= 1);
    /* A booking for that date without a time is refused too. */
    refused_4xx("POST", APPTS, m, booking_for_day(v, op, day_str(2), NULL));
    assert_nothing_written(&b);

    /* The weekday of today + 3 closed: that day offers nothing either. */
    const char *wd = weekday_name(test_today() + 3);
    json_decref(call("PUT", "/api/v1/calendar", m, fmt("{\"hours\":{\"%s\":[]}}", wd), 200));
    j = slots(m, fmt("ops=%s&date=%s&time=09:00", op, day_str(3)));
    json_array_foreach(options_of(j), i, o)
    {
        assert_true(strncmp(jstr(o, "start"), day_str(3), 10) != 0);
    }
    json_decref(j);
    j = refusal("POST", APPTS, m, booking(v, op, day_at(3, "09:00"), NULL), 409,
                "slot_unavailable");
    json_decref(j);
}

/* IN-6: a job needs a bay of its kind and a technician with every skill it needs. */
static void test_slots_bay_kind_and_skill(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 0);
    const char *m = w.m, *mech = w.op;
    tech_new(m, "[\"mechanical\",\"alignment\"]", NULL);
    const char *align = op_new(m, "repair", "1", "alignment", "alignment", 20000);
    const char *ev = op_new(m, "repair", "1", "general", "ev", 20000);
    int64_t v = car(m);

    /* No alignment bay: nothing to offer, and the booking is unavailable (with options, none). */
    json_t *j = slots(m, fmt("ops=%s&date=%s&time=09:00", align, day_str(1)));
    assert_int_equal(json_array_size(options_of(j)), 0);
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    json_decref(j);
    struct before b;
    before_take(&b, m, v);
    assert_int_equal(refused_with_options("POST", APPTS, m,
                                          booking(v, align, day_at(1, "09:00"), NULL),
                                          "slot_unavailable"),
                     0);
    /* No technician with the skill (ev): the same. */
    assert_int_equal(refused_with_options("POST", APPTS, m,
                                          booking(v, ev, day_at(1, "09:00"), NULL),
                                          "slot_unavailable"),
                     0);
    assert_nothing_written(&b);

    /* Two operations needing every skill: the technician must have both. */
    j = slots(m, fmt("ops=%s,%s&date=%s&time=09:00", mech, ev, day_str(1)));
    assert_int_equal(json_array_size(options_of(j)), 0);
    assert_int_equal(jint(j, "duration_min"), 120);
    json_decref(j);
    /* Operations needing different bay kinds are two jobs. */
    rejected("GET", fmt("/api/v1/slots?ops=%s,%s&date=%s", mech, align, day_str(1)), m, NULL, 400,
             "invalid_field", "ops");

    /* An alignment bay, and the ev technician, make them possible. */
    int64_t abay = bay_new(m, "alignment");
    int64_t evt = tech_new(m, "[\"ev\",\"mechanical\"]", NULL);
    j = slots(m, fmt("ops=%s&date=%s&time=09:00", align, day_str(1)));
    assert_true(json_is_true(json_object_get(j, "wish_free")));
    assert_int_equal(jint(json_array_get(options_of(j), 0), "bay_id"), abay);
    json_decref(j);
    j = slots(m, fmt("ops=%s,%s&date=%s&time=09:00", mech, ev, day_str(1)));
    assert_true(json_is_true(json_object_get(j, "wish_free")));
    assert_int_equal(jint(json_array_get(options_of(j), 0), "technician_id"), evt);
    json_decref(j);
    json_t *a = book(m, v, ev, day_at(1, "09:00"), NULL);
    assert_int_equal(jint(a, "technician_id"), evt);
    json_decref(a);
}

/* IN-6: technicians' hours: one who works only one weekday takes jobs only on it. */
static void test_slots_technician_days(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 0);
    const char *m = w.m, *op = w.op;
    const char *wd = weekday_name(test_today() + 2);
    int64_t t = tech_new(m, "[\"mechanical\"]", fmt("[\"%s\"]", wd));

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=09:00", op, day_str(1)));
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        /* The nearest days with that weekday: today + 2 (today - 5 is past). */
        assert_int_equal(strncmp(jstr(o, "start"), day_str(2), 10), 0);
        assert_int_equal(jint(o, "technician_id"), t);
    }
    json_decref(j);
    int64_t v = car(m);
    assert_true(refused_with_options("POST", APPTS, m, booking(v, op, day_at(1, "09:00"), NULL),
                                     "slot_unavailable") >= 1);
    json_decref(book(m, v, op, day_at(2, "09:00"), NULL));
}

/* Out-of-service periods of bays and technicians are respected; they make a time
 * unavailable, not taken. */
static void test_slots_downtime(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    int64_t bay = w.bay[0], t = w.tech[0];
    json_decref(call("POST", fmt("/api/v1/bays/%lld/downtime", (long long)bay), m,
                     fmt("{\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"举升机维修\"}",
                         day_at(1, "08:00"), day_at(1, "12:00")),
                     201));
    json_decref(call("POST", fmt("/api/v1/technicians/%lld/downtime", (long long)t), m,
                     fmt("{\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"培训\"}", day_at(2, "13:00"),
                         day_at(2, "18:00")),
                     201));

    json_t *j = slots(m, fmt("ops=%s&date=%s&time=09:00", op, day_str(1)));
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        const char *s = jstr(o, "start");
        assert_false(strncmp(s, day_str(1), 10) == 0 && strcmp(s, day_at(1, "12:00")) < 0);
    }
    json_decref(j);
    j = slots(m, fmt("ops=%s&date=%s&time=14:00", op, day_str(2)));
    json_array_foreach(options_of(j), i, o)
    {
        const char *s = jstr(o, "start"), *e = jstr(o, "end");
        assert_false(strncmp(s, day_str(2), 10) == 0 && strcmp(e, day_at(2, "13:00")) > 0);
    }
    json_decref(j);

    int64_t v = car(m);
    assert_true(refused_with_options("POST", APPTS, m, booking(v, op, day_at(1, "09:00"), NULL),
                                     "slot_unavailable") >= 1);
    j = refusal("POST", APPTS, m, booking(v, op, day_at(2, "14:00"), NULL), 409,
                "slot_unavailable");
    json_decref(j);
    json_decref(book(m, v, op, day_at(1, "13:00"), NULL));
    json_decref(book(m, car(m), op, day_at(2, "09:00"), NULL));
}

/* IN-20 "how soon can you fix my car": without a date, the earliest options from now,
 * soonest first, the first also as "earliest". */
static void test_slots_earliest_soonest_first(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    /* Tomorrow morning taken: the earliest search must step over it. */
    json_decref(book(m, car(m), op, day_at(1, "08:30"), NULL));

    char now[LOCAL_TIME_STR];
    local_now(now);
    json_t *j = slots(m, fmt("ops=%s", op));
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    for (size_t i = 0; i < json_array_size(opts); i++) {
        const char *s = jstr(json_array_get(opts, i), "start");
        assert_true(strcmp(s, now) >= 0);
        if (i > 0)
            assert_true(strcmp(jstr(json_array_get(opts, i - 1), "start"), s) < 0);
        assert_false(strcmp(s, day_at(1, "08:30")) >= 0 && strcmp(s, day_at(1, "10:00")) < 0);
    }
    json_t *earliest = json_object_get(j, "earliest");
    assert_true(json_is_object(earliest));
    assert_string_equal(jstr(earliest, "start"), jstr(json_array_get(opts, 0), "start"));
    /* Nothing in the first option's day comes sooner: the soonest start is on or before
     * tomorrow's 10:00 (the first after the booking). */
    assert_true(strcmp(jstr(earliest, "start"), day_at(1, "10:00")) <= 0);
    json_decref(j);
}

/* Starts are offered on the slot_step_min grid from opening: the earliest options too (the
 * wished time is the one exception, and a search without a date has no wish). The store
 * opens 00:00-23:59 every day so that "now" always lies in the hours; the step is 60. */
static void test_slots_earliest_on_the_step_grid(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m;
    const char *op = op_new(m, "repair", "0.25", "general", "mechanical", 20000);
    open_all_day(m);
    set_settings(m, "{\"slot_step_min\":60}");
    json_t *j = slots(m, fmt("ops=%s", op));
    size_t i;
    json_t *o;
    json_array_foreach(options_of(j), i, o)
    {
        const char *s = jstr(o, "start");
        if (strcmp(s + 14, "00") != 0)
            print_error("GET /slots?ops=%s (no date): option %s is not on the 60-minute grid\n", op,
                        s);
        assert_string_equal(s + 14, "00");
    }
    json_decref(j);
}

/* IN-5, IN-19: parts in stock make case C; parts to order make case D, and no option starts
 * before the day they arrive (parts_date = today + the longest lead time). */
static void test_slots_parts_and_case_d(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *stock = part_new(m, 4550, 5, 2);
    const char *shortp = part_new(m, 10000, 1, 4);

    json_t *j = slots(m, fmt("ops=%s&parts=%s:2&date=%s&time=09:00", op, stock, day_str(1)));
    assert_string_equal(jstr(j, "case"), "C");
    json_t *p = json_array_get(json_object_get(j, "parts"), 0);
    assert_string_equal(jstr(p, "part_no"), stock);
    assert_string_equal(jstr(p, "state"), "in_stock");
    assert_int_equal(jint(p, "qty"), 2);
    assert_int_equal(jint(p, "available"), 5);
    assert_int_equal(jint(p, "unit_price_fen"), 4550);
    assert_int_equal(jint(p, "lead_time_days"), 2);
    json_t *e = json_object_get(j, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 20000);
    assert_int_equal(jint(e, "parts_fen"), 9100);
    assert_int_equal(jint(e, "total_fen"), 29100);
    assert_true(json_is_null(json_object_get(j, "parts_date")));
    assert_true(json_is_true(json_object_get(j, "wish_free")));
    json_decref(j);

    /* Lower case part numbers are the same part. */
    char lower[64];
    snprintf(lower, sizeof lower, "%s", shortp);
    for (char *c = lower; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    j = slots(m, fmt("ops=%s&parts=%s:1,%s:2&date=%s&time=09:00", op, stock, lower, day_str(1)));
    assert_string_equal(jstr(j, "case"), "D");
    assert_string_equal(jstr(j, "parts_date"), day_str(4));
    p = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(j, "parts"), i, x)
    {
        if (strcmp(jstr(x, "part_no"), shortp) == 0)
            p = x;
    }
    assert_non_null(p);
    assert_string_equal(jstr(p, "state"), "to_order");
    assert_int_equal(jint(p, "lead_time_days"), 4);
    assert_int_equal(jint(p, "available"), 1);
    assert_int_equal(jint(json_object_get(j, "estimate"), "parts_fen"), 4550 + 20000);
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 3);
    assert_true(json_is_false(json_object_get(j, "wish_free")));
    json_array_foreach(opts, i, x)
    {
        assert_true(strcmp(jstr(x, "start"), day_str(4)) >= 0);
    }
    json_decref(j);
    /* Without a date: the earliest from the day the parts arrive. */
    j = slots(m, fmt("ops=%s&parts=%s:2", op, shortp));
    assert_string_equal(jstr(j, "case"), "D");
    json_array_foreach(options_of(j), i, x)
    {
        assert_true(strcmp(jstr(x, "start"), day_str(4)) >= 0);
    }
    assert_int_equal(
        strncmp(jstr(json_array_get(json_object_get(j, "options"), 0), "start"), day_str(4), 10),
        0);
    json_decref(j);

    /* Bad queries. */
    rejected("GET", fmt("/api/v1/slots?ops=NO-SUCH-OP&date=%s", day_str(1)), m, NULL, 422,
             "unknown_operation", "ops");
    rejected("GET", fmt("/api/v1/slots?ops=%s&parts=NO-SUCH-PART:1", op), m, NULL, 422,
             "unknown_part", "parts");
    rejected("GET", "/api/v1/slots", m, NULL, 400, "missing_field", "ops");
    rejected("GET", fmt("/api/v1/slots?ops=%s&parts=%s", op, stock), m, NULL, 400, "invalid_field",
             "parts");
    rejected("GET", fmt("/api/v1/slots?ops=%s&parts=%s:0", op, stock), m, NULL, 400,
             "invalid_field", "parts");
    refused_4xx("GET", fmt("/api/v1/slots?ops=%s&date=2026-02-30", op), m, NULL);
    refused_4xx("GET", fmt("/api/v1/slots?ops=%s&date=%s&time=25:00", op, day_str(1)), m, NULL);
    refused_4xx("GET", fmt("/api/v1/slots?ops=%s&date=%s", op, day_str(-1)), m, NULL);
    /* vehicle_id is checked to be the store's. */
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    rejected("GET", fmt("/api/v1/slots?ops=%s&vehicle_id=%lld", op, (long long)other), m, NULL, 404,
             "not_found", NULL);
    json_decref(slots(m, fmt("ops=%s&vehicle_id=%lld", op, (long long)car(m))));
}

/* IN-7: a quote without booking: with ops the same body as /slots without options; without
 * ops the vehicle's maintenance package, one total of labour and parts. */
static void test_quote_ops_and_package(void **state)
{
    (void)state;
    struct test_store st;
    store_new(&st);
    const char *m = st.manager;
    const char *op = op_new(m, "repair", "1.5", "general", "mechanical", 10001);
    const char *pno = part_new(m, 8500, 3, 7);
    int64_t v = car(m);

    json_t *j =
        call("GET", fmt("/api/v1/quote?vehicle_id=%lld&ops=%s&parts=%s:2", (long long)v, op, pno),
             m, NULL, 200);
    assert_string_equal(jstr(j, "case"), "C");
    assert_null(json_object_get(j, "options"));
    assert_int_equal(jint(j, "duration_min"), 90);
    /* 1.5 h x 100.01 yuan = 150.015 yuan: 15001.5 fen, half up 15002. */
    json_t *e = json_object_get(j, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 15002);
    assert_int_equal(jint(e, "parts_fen"), 17000);
    assert_int_equal(jint(e, "total_fen"), 32002);
    assert_int_equal(jint(json_array_get(json_object_get(j, "ops"), 0), "labour_fen"), 15002);
    json_decref(j);

    /* The package of the vehicle's plan (brand 大众, model 速腾 in this store). */
    json_t *plan = call(
        "POST", "/api/v1/maintenance-plans", m,
        fmt("{\"brand\":\"大众\",\"model\":\"速腾\",\"interval_km\":7500,\"interval_months\":12,"
            "\"first_km\":5000,\"first_months\":6,\"package_name\":\"常规保养\","
            "\"ops\":[{\"code\":\"OIL\",\"name\":\"更换机油机滤\",\"hours\":0.5,"
            "\"labour_fen\":15000}],\"parts\":[{\"part_no\":\"%s\",\"name\":\"机油滤清器\","
            "\"qty\":1,\"unit_price_fen\":8500,\"lead_days\":7}]}",
            pno),
        201);
    assert_int_equal(jint(plan, "price_fen"), 23500);
    json_decref(plan);
    j = call("GET", fmt("/api/v1/quote?vehicle_id=%lld", (long long)v), m, NULL, 200);
    assert_string_equal(jstr(j, "package"), "常规保养");
    e = json_object_get(j, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 15000);
    assert_int_equal(jint(e, "parts_fen"), 8500);
    assert_int_equal(jint(e, "total_fen"), 23500);
    json_t *p = json_array_get(json_object_get(j, "parts"), 0);
    assert_non_null(p);
    assert_string_equal(jstr(p, "part_no"), pno);
    /* Each part says whether it is in stock (3 on hand, 1 wanted). */
    assert_true(json_is_true(json_object_get(p, "in_stock")) ||
                (jstr(p, "state") && strcmp(jstr(p, "state"), "in_stock") == 0));
    assert_string_equal(jstr(json_array_get(json_object_get(j, "ops"), 0), "code"), "OIL");
    json_decref(j);

    rejected("GET", fmt("/api/v1/quote?ops=%s", op), m, NULL, 400, "missing_field", "vehicle_id");
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    rejected("GET", fmt("/api/v1/quote?vehicle_id=%lld", (long long)other), m, NULL, 404,
             "not_found", NULL);
    rejected("GET", fmt("/api/v1/quote?vehicle_id=%lld&ops=NOPE", (long long)v), m, NULL, 422,
             "unknown_operation", "ops");
}

/* ---- booking (IN-4..IN-7, IN-10) ---- */

/* The four cases (IN-6) with their estimate (IN-10: labour = hours x rate, half up to the
 * fen; parts = qty x price) and their parts. */
static void test_book_cases_a_b_c(void **state)
{
    (void)state;
    struct test_store st;
    store_new(&st);
    const char *m = st.manager;
    int64_t qbay = bay_new(m, "quick_service");
    int64_t gbay = bay_new(m, "general");
    int64_t t = tech_new(m, "[\"maintenance\",\"mechanical\"]", NULL);
    /* 0.5 h x 123.45 yuan = 6172.5 fen: 6173. */
    const char *oil = op_new(m, "maintenance", "0.5", "quick_service", "maintenance", 12345);
    /* 0.25 h x 100.02 yuan = 2500.5 fen: 2501. */
    const char *fix = op_new(m, "repair", "0.25", "general", "mechanical", 10002);
    const char *filter = part_new(m, 3000, 4, 3);
    const char *pad = part_new(m, 4550, 5, 3);

    /* A: maintenance (its parts in stock are reserved, it stays case A). */
    int64_t va = car(m);
    json_t *a = book(m, va, oil, day_at(1, "09:00"),
                     fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}],\"customer_words\":"
                         "\"保养，顺便看看雨刮\",\"services\":[\"wash\",\"pickup\"],\"source\":"
                         "\"outbound\"",
                         filter));
    int64_t ida = jint(a, "id");
    assert_true(ida > 0);
    assert_string_equal(jstr(a, "case"), "A");
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "flexibility"), "exact");
    assert_string_equal(jstr(a, "date"), day_str(1));
    assert_string_equal(jstr(a, "start"), day_at(1, "09:00"));
    assert_string_equal(jstr(a, "end"), day_at(1, "09:30"));
    assert_string_equal(jstr(a, "hold_until"), day_at(1, "10:00"));
    assert_int_equal(jint(a, "bay_id"), qbay);
    assert_int_equal(jint(a, "technician_id"), t);
    assert_non_null(jstr(a, "bay_name"));
    assert_non_null(jstr(a, "technician_name"));
    assert_int_equal(jint(json_object_get(a, "vehicle"), "id"), va);
    assert_string_equal(jstr(json_object_get(a, "vehicle"), "brand"), "大众");
    assert_string_equal(jstr(json_object_get(a, "customer"), "name"), "王小明");
    assert_string_equal(jstr(json_object_get(a, "customer"), "title"), "先生");
    assert_string_equal(jstr(a, "bay_kind"), "quick_service");
    assert_int_equal(jint(a, "duration_min"), 30);
    /* IN-4: the need in the customer's own words. */
    assert_string_equal(jstr(a, "customer_words"), "保养，顺便看看雨刮");
    assert_string_equal(jstr(a, "source"), "outbound");
    assert_int_equal(json_array_size(json_object_get(a, "services")), 2);
    assert_true(json_is_false(json_object_get(a, "wait_for_parts")));
    json_t *op0 = json_array_get(json_object_get(a, "ops"), 0);
    assert_string_equal(jstr(op0, "code"), oil);
    assert_string_equal(jstr(op0, "kind"), "maintenance");
    assert_true(json_number_value(json_object_get(op0, "hours")) == 0.5);
    assert_int_equal(jint(op0, "labour_fen"), 6173);
    json_t *e = json_object_get(a, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 6173);
    assert_int_equal(jint(e, "parts_fen"), 3000);
    assert_int_equal(jint(e, "total_fen"), 9173);
    json_t *p = appt_part(a, filter);
    assert_non_null(p);
    assert_string_equal(jstr(p, "state"), "reserved");
    assert_string_equal(jstr(p, "shelf"), "appointment");
    assert_int_equal(jint(p, "qty"), 1);
    assert_int_equal(jint(p, "unit_price_fen"), 3000);
    assert_non_null(jstr(a, "created_at"));
    json_decref(a);
    assert_stock(m, filter, 4, 1, 0);
    /* The same, read back. */
    a = call("GET", fmt(APPTS "/%lld", (long long)ida), m, NULL, 200);
    assert_string_equal(jstr(a, "case"), "A");
    assert_int_equal(jint(json_object_get(a, "estimate"), "total_fen"), 9173);
    json_decref(a);

    /* B: a repair without parts (the one technician is free again at 10:00). */
    json_t *b = book(m, car(m), fix, day_at(1, "10:00"), NULL);
    int64_t idb = jint(b, "id");
    assert_string_equal(jstr(b, "case"), "B");
    assert_int_equal(jint(b, "bay_id"), gbay);
    assert_string_equal(jstr(b, "end"), day_at(1, "10:15"));
    assert_int_equal(json_array_size(json_object_get(b, "parts")), 0);
    e = json_object_get(b, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 2501);
    assert_int_equal(jint(e, "parts_fen"), 0);
    assert_int_equal(jint(e, "total_fen"), 2501);
    assert_string_equal(jstr(b, "source"), "inbound"); /* the default */
    json_decref(b);

    /* C: a repair with every part in stock: reserved. */
    json_t *c = book(m, car(m), fix, day_at(2, "10:00"),
                     fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", pad));
    int64_t idc = jint(c, "id");
    assert_string_equal(jstr(c, "case"), "C");
    e = json_object_get(c, "estimate");
    assert_int_equal(jint(e, "labour_fen"), 2501);
    assert_int_equal(jint(e, "parts_fen"), 9100);
    assert_int_equal(jint(e, "total_fen"), 11601);
    p = appt_part(c, pad);
    assert_string_equal(jstr(p, "state"), "reserved");
    assert_string_equal(jstr(p, "shelf"), "appointment");
    assert_true(json_is_null(json_object_get(c, "parts_date")));
    json_decref(c);
    assert_stock(m, pad, 5, 2, 0);
    /* IN-12: labelled on the appointment shelf. */
    assert_true(on_shelf(m, "appointment", idc, pad));
    assert_false(on_shelf(m, "waiting_for_parts", idc, pad));

    /* The day's list, by start. */
    json_t *l = call("GET", fmt(APPTS "?date=%s", day_str(1)), m, NULL, 200);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_true(item_with_id(items, ida) && item_with_id(items, idb));
    json_decref(l);
    assert_int_equal(items_count(fmt(APPTS "?vehicle_id=%lld", (long long)va), m), 1);
    rejected("GET", APPTS, m, NULL, 400, "missing_field", NULL);
}

/* A booking may name the bay and the technician (the same checks apply to them) and the
 * call task it came from. */
static void test_book_chosen_bay_technician_and_task(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m, *op = w.op;
    int64_t b1 = w.bay[0], b2 = w.bay[1], t1 = w.tech[0], t2 = w.tech[1];
    int64_t paint = bay_new(m, "paint");
    int64_t t3 = tech_new(m, "[\"paint\"]", NULL);
    int64_t v = car(m);
    json_t *task = call(
        "POST", "/api/v1/tasks", m,
        fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"vehicle_id\":%lld}", (long long)v), 201);
    int64_t task_id = jint(task, "id");
    json_decref(task);

    json_t *a = book(m, v, op, day_at(1, "09:00"),
                     fmt(",\"bay_id\":%lld,\"technician_id\":%lld,\"task_id\":%lld", (long long)b2,
                         (long long)t2, (long long)task_id));
    assert_int_equal(jint(a, "bay_id"), b2);
    assert_int_equal(jint(a, "technician_id"), t2);
    assert_int_equal(jint(a, "task_id"), task_id);
    json_decref(a);
    /* The chosen bay is now held; the other is free. */
    int64_t v2 = car(m);
    json_decref(
        refusal("POST", APPTS, m,
                booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"bay_id\":%lld", (long long)b2))),
                409, "slot_taken"));
    json_decref(refusal(
        "POST", APPTS, m,
        booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"technician_id\":%lld", (long long)t2))),
        409, "slot_taken"));
    /* A bay of another kind, a technician without the skill: unavailable. */
    json_decref(refusal(
        "POST", APPTS, m,
        booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"bay_id\":%lld", (long long)paint))), 409,
        "slot_unavailable"));
    json_decref(refusal(
        "POST", APPTS, m,
        booking(v2, op, day_at(1, "09:00"), keep(fmt(",\"technician_id\":%lld", (long long)t3))),
        409, "slot_unavailable"));
    a = book(m, v2, op, day_at(1, "09:00"), NULL);
    assert_int_equal(jint(a, "bay_id"), b1);
    assert_int_equal(jint(a, "technician_id"), t1);
    json_decref(a);
}

/* 409 slot_taken (another booking holds it) and slot_unavailable (closed, break, past
 * closing, in the past, no skill), each with fresh options; nothing written. */
static void test_book_refusals_carry_options(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *ev = op_new(m, "repair", "1", "general", "ev", 20000);
    json_decref(call("POST", "/api/v1/calendar/exceptions", m,
                     fmt("{\"date\":\"%s\",\"kind\":\"closed\"}", day_str(3)), 201));
    json_decref(book(m, car(m), op, day_at(1, "09:00"), NULL));

    int64_t v = car(m);
    struct before b;
    before_take(&b, m, v);
    json_t *j =
        refusal("POST", APPTS, m, booking(v, op, day_at(1, "09:00"), NULL), 409, "slot_taken");
    json_t *opts = options_of(j);
    assert_true(json_array_size(opts) >= 2);
    assert_false(offers_start(opts, day_at(1, "09:00")));
    json_decref(j);
    struct {
        const char *start, *op, *why;
    } unavailable[] = {
        {day_at(3, "09:00"), op, "closed day"},
        {day_at(1, "12:30"), op, "lunch break"},
        {day_at(1, "17:00"), op, "past closing"},
        {day_at(1, "07:00"), op, "before opening"},
        {day_at(-1, "10:00"), op, "yesterday"},
        {day_at(2, "09:00"), ev, "no technician with the skill"},
    };
    for (size_t i = 0; i < sizeof unavailable / sizeof unavailable[0]; i++) {
        struct resp r =
            http("POST", APPTS, m, booking(v, unavailable[i].op, unavailable[i].start, NULL));
        if (r.status != 409)
            print_error("%s: %s\n", unavailable[i].why, r.body);
        expect_error(&r, 409, "slot_unavailable", NULL);
        opts = options_of(r.json);
        if (unavailable[i].op == op)
            assert_true(json_array_size(opts) >= 2);
        resp_free(&r);
    }
    assert_nothing_written(&b);
}

/* IN-5: parts short and the customer not waiting: 422 parts_unavailable with the lead time,
 * and nothing written (stock, reservations, purchase orders, appointments, audit). */
static void test_book_parts_unavailable_writes_nothing(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *have = part_new(m, 1000, 3, 2);
    const char *few = part_new(m, 2000, 1, 6);
    int64_t v = car(m);
    struct before b;
    before_take(&b, m, v);
    json_t *j = refusal("POST", APPTS, m,
                        booking(v, op, day_at(1, "09:00"),
                                fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1},{\"part_no\":"
                                    "\"%s\",\"qty\":2}]",
                                    have, few)),
                        422, "parts_unavailable");
    assert_int_equal(jint(j, "lead_time_days"), 6);
    json_decref(j);
    j = refusal(
        "POST", APPTS, m,
        booking(v, op, day_at(1, "09:00"),
                fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}],\"wait_for_parts\":false", few)),
        422, "parts_unavailable");
    assert_int_equal(jint(j, "lead_time_days"), 6);
    json_decref(j);
    assert_nothing_written(&b);
    assert_stock(m, have, 3, 0, 0);
    assert_stock(m, few, 1, 0, 0);
    assert_int_equal(items_count(fmt(APPTS "?date=%s", day_str(1)), m), 0);
}

/* Case D end to end (IN-5, IN-12, IN-19): the short part is ordered (on the open purchase
 * order expected today + lead time), waits on the "waiting for parts" shelf, cannot go into
 * service; the order received reserves it for the booking on the "appointment" shelf;
 * receiving twice is a conflict; completing issues it. */
static void test_case_d_end_to_end(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pm = store_user(&w.st, "parts_manager");
    const char *shop = store_user(&w.st, "workshop");
    const char *pno = part_new(m, 12000, 0, 2);
    int64_t v = car(m);
    const char *with_parts =
        keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":3}],\"wait_for_parts\":true", pno));

    /* Before the parts can be there: unavailable, the options from parts_date on. */
    json_t *j = refusal("POST", APPTS, m, booking(v, op, day_at(1, "09:00"), with_parts), 409,
                        "slot_unavailable");
    size_t i;
    json_t *o;
    json_array_foreach(options_of(j), i, o)
    {
        assert_true(strcmp(jstr(o, "start"), day_str(2)) >= 0);
    }
    assert_true(json_array_size(json_object_get(j, "options")) >= 1);
    json_decref(j);

    json_t *a = book(m, v, op, day_at(2, "09:00"), with_parts);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "case"), "D");
    assert_true(json_is_true(json_object_get(a, "wait_for_parts")));
    assert_string_equal(jstr(a, "parts_date"), day_str(2));
    json_t *p = appt_part(a, pno);
    assert_string_equal(jstr(p, "state"), "on_order");
    assert_string_equal(jstr(p, "shelf"), "waiting_for_parts");
    assert_string_equal(jstr(p, "expected_date"), day_str(2));
    assert_int_equal(jint(p, "lead_time_days"), 2);
    assert_int_equal(jint(json_object_get(a, "estimate"), "parts_fen"), 36000);
    assert_int_equal(jint(json_object_get(a, "estimate"), "total_fen"), 56000);
    json_decref(a);
    assert_stock(m, pno, 0, 0, 3);
    assert_true(on_shelf(m, "waiting_for_parts", id, pno));
    assert_false(on_shelf(m, "appointment", id, pno));

    /* The open purchase order expected on today + the lead time, its line for the booking. */
    j = call("GET", "/api/v1/purchase-orders?status=open", m, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *po = json_array_get(items, 0);
    int64_t po_id = jint(po, "id");
    assert_string_equal(jstr(po, "status"), "open");
    assert_string_equal(jstr(po, "expected_date"), day_str(2));
    assert_true(json_is_null(json_object_get(po, "received_at")));
    json_t *line = json_array_get(json_object_get(po, "lines"), 0);
    assert_string_equal(jstr(line, "part_no"), pno);
    assert_int_equal(jint(line, "qty"), 3);
    assert_int_equal(jint(line, "appointment_id"), id);
    json_decref(j);
    j = call("GET", fmt("/api/v1/purchase-orders/%lld", (long long)po_id), m, NULL, 200);
    assert_int_equal(jint(j, "id"), po_id);
    json_decref(j);

    /* IN-18: the booking recorded a shortage per part it ordered, for the parts manager. */
    j = call("GET", "/api/v1/shortages", pm, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_t *sh = json_array_get(json_object_get(j, "items"), 0);
    assert_string_equal(jstr(sh, "part_no"), pno);
    assert_int_equal(jint(sh, "qty"), 3);
    assert_int_equal(jint(sh, "appointment_id"), id);
    assert_string_equal(jstr(sh, "cause"), "预约时库存不足：需要 3，可用 0");
    json_decref(j);

    /* A second case-D booking with the same lead time joins the same order. */
    int64_t v2 = car(m);
    json_t *a2 =
        book(m, v2, op, day_at(2, "14:00"),
             fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}],\"wait_for_parts\":true", pno));
    int64_t id2 = jint(a2, "id");
    json_decref(a2);
    assert_stock(m, pno, 0, 0, 4);
    j = call("GET", "/api/v1/purchase-orders?status=open", m, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(json_object_get(j, "items"), 0), "lines")),
        2);
    json_decref(j);
    /* The second is cancelled before the parts come: its line becomes plain stock. */
    status_ok(m, id2, "cancelled");
    assert_string_equal(part_state(m, id2, pno), "released");

    /* In service with a part still on order: refused. */
    status_ok(m, id, "arrived");
    status_refused(shop, id, "in_service", 409, "parts_not_received");

    /* Only the parts side receives. */
    rejected("POST", fmt("/api/v1/purchase-orders/%lld/receive", (long long)po_id),
             store_user(&w.st, "advisor"), NULL, 403, "forbidden", NULL);
    j = call("POST", fmt("/api/v1/purchase-orders/%lld/receive", (long long)po_id), pm, NULL, 200);
    assert_string_equal(jstr(j, "status"), "received");
    assert_non_null(jstr(j, "received_at"));
    json_decref(j);
    /* on hand up by 4; 3 reserved for the waiting booking, the cancelled one's 1 is free. */
    assert_stock(m, pno, 4, 3, 0);
    assert_string_equal(part_state(m, id, pno), "reserved");
    assert_true(on_shelf(m, "appointment", id, pno));
    assert_false(on_shelf(m, "waiting_for_parts", id, pno));
    assert_int_equal(items_count("/api/v1/purchase-orders?status=received", m), 1);

    /* Receiving twice changes nothing. */
    char *before = snapshot(fmt("/api/v1/parts/%s", pno), m);
    int64_t head = audit_head_of(m);
    rejected("POST", fmt("/api/v1/purchase-orders/%lld/receive", (long long)po_id), pm, NULL, 409,
             "conflict", NULL);
    assert_unchanged(fmt("/api/v1/parts/%s", pno), m, before);
    assert_int_equal(audit_head_of(m), head);

    /* Now into service and done: the parts are issued (out of stock). */
    status_ok(shop, id, "in_service");
    status_ok(shop, id, "completed");
    assert_string_equal(part_state(m, id, pno), "issued");
    assert_stock(m, pno, 1, 0, 0);
    assert_false(on_shelf(m, "appointment", id, pno));
}

/* IN-15: a customer who knows the day but not the time: tentative, no bay, no parts taken, an
 * appointment_confirm call a week before (or today); PATCH start fixes it. */
static void test_flexible_date_then_fixed(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    int64_t bay = w.bay[0];
    const char *pno = part_new(m, 5000, 2, 3);
    int64_t v = car(m);

    json_t *a = call("POST", APPTS, m,
                     booking_for_day(v, op, day_str(10),
                                     fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}]", pno)),
                     201);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "status"), "tentative");
    assert_string_equal(jstr(a, "flexibility"), "date");
    assert_string_equal(jstr(a, "date"), day_str(10));
    assert_true(json_is_null(json_object_get(a, "start")));
    assert_true(json_is_null(json_object_get(a, "bay_id")));
    assert_true(json_is_null(json_object_get(a, "technician_id")));
    assert_string_equal(jstr(appt_part(a, pno), "state"), "planned");
    json_decref(a);
    assert_stock(m, pno, 2, 0, 0);
    /* The call that fixes the time: due a week before. */
    int64_t task;
    assert_string_equal(open_confirm_task(m, v, &task), day_str(3));
    /* Without a time it cannot be confirmed. */
    status_refused(m, id, "confirmed", 409, "invalid_transition");

    /* The day given as the day of "start"; in three days: the call is due today. */
    int64_t v2 = car(m);
    a = call("POST", APPTS, m,
             fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"date\",\"start\":"
                 "\"%s\"}",
                 (long long)v2, op, day_at(3, "10:00")),
             201);
    assert_string_equal(jstr(a, "date"), day_str(3));
    assert_true(json_is_null(json_object_get(a, "start")));
    json_decref(a);
    assert_string_equal(open_confirm_task(m, v2, NULL), day_str(0));

    /* The call fixes it: confirmed, exact, a bay, the part reserved, the task done. */
    a = call("PATCH", fmt(APPTS "/%lld", (long long)id), m,
             fmt("{\"start\":\"%s\"}", day_at(10, "09:00")), 200);
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "flexibility"), "exact");
    assert_string_equal(jstr(a, "start"), day_at(10, "09:00"));
    assert_int_equal(jint(a, "bay_id"), bay);
    assert_true(jint(a, "technician_id") > 0);
    assert_string_equal(jstr(appt_part(a, pno), "state"), "reserved");
    json_decref(a);
    assert_stock(m, pno, 2, 1, 0);
    json_t *t = call("GET", fmt("/api/v1/tasks/%lld", (long long)task), m, NULL, 200);
    assert_string_equal(jstr(t, "status"), "done");
    json_decref(t);
    assert_int_equal(confirm_task_count(m, v, "open"), 0);
}

/* IN-14: a customer who knows only a period: no day, bay or parts; a call a week before the
 * period; the call fixes the day and time. */
static void test_flexible_period(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    int64_t v = car(m);
    json_t *a = call("POST", APPTS, m,
                     fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\","
                         "\"period_from\":\"%s\",\"period_to\":\"%s\",\"customer_words\":"
                         "\"下个月有空\"}",
                         (long long)v, op, day_str(20), day_str(30)),
                     201);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "status"), "tentative");
    assert_string_equal(jstr(a, "flexibility"), "period");
    assert_string_equal(jstr(a, "period_from"), day_str(20));
    assert_string_equal(jstr(a, "period_to"), day_str(30));
    assert_true(json_is_null(json_object_get(a, "date")));
    assert_true(json_is_null(json_object_get(a, "start")));
    assert_true(json_is_null(json_object_get(a, "bay_id")));
    json_decref(a);
    assert_string_equal(open_confirm_task(m, v, NULL), day_str(13));
    /* Dispatch waits for the day (IN-14). */
    int64_t t = tech_new(m, "[\"mechanical\"]", NULL);
    refused_4xx("POST", fmt(APPTS "/%lld/dispatch", (long long)id), m,
                fmt("{\"technician_id\":%lld}", (long long)t));
    a = call("PATCH", fmt(APPTS "/%lld", (long long)id), m,
             fmt("{\"start\":\"%s\"}", day_at(22, "14:00")), 200);
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "date"), day_str(22));
    json_decref(a);
    assert_int_equal(confirm_task_count(m, v, "done"), 1);

    /* The period's bounds. */
    const char *bad[] = {
        /* ends before it starts */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"%s\"", day_str(20), day_str(19))),
        /* longer than 62 days */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"%s\"", day_str(5), day_str(70))),
        /* in the past */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"%s\"", day_str(-3), day_str(5))),
        /* no start */
        keep(fmt("\"period_to\":\"%s\"", day_str(5))),
        /* not a date */
        keep(fmt("\"period_from\":\"%s\",\"period_to\":\"2031-02-30\"", day_str(5))),
    };
    int64_t v3 = car(m);
    int64_t head = audit_head_of(m);
    char *before = snapshot(fmt(APPTS "?vehicle_id=%lld", (long long)v3), m);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused_4xx("POST", APPTS, m,
                    fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\",%s}",
                        (long long)v3, op, bad[i]));
    assert_unchanged(fmt(APPTS "?vehicle_id=%lld", (long long)v3), m, before);
    assert_int_equal(audit_head_of(m), head);
    assert_int_equal(confirm_task_count(m, v3, "open"), 0);
}

/* ---- the life cycle (IN-16..IN-19) ---- */

/* A confirmed booking of op on today + days at hh:mm for a new car (made by the store's
 * manager: not every role may add vehicles) by token; returns its id. */
static int64_t booked(const struct test_store *st, const char *token, const char *op, int days,
                      const char *hhmm, const char *extra)
{
    return book_confirmed(token, car(st->manager), op, day_at(days, hhmm), extra);
}

/* Every allowed transition, and refused ones (409 invalid_transition, nothing changed). */
static void test_life_cycle_transitions(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 3, 3);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");

    /* confirmed -> arrived -> in_service -> completed */
    int64_t a = booked(&w.st, adv, op, 1, "09:00", NULL);
    status_refused(adv, a, "in_service", 409, "invalid_transition");
    status_refused(adv, a, "completed", 409, "invalid_transition");
    status_refused(adv, a, "tentative", 409, "invalid_transition");
    status_refused(adv, a, "confirmed", 409, "invalid_transition");
    status_ok(adv, a, "arrived");
    status_refused(adv, a, "confirmed", 409, "invalid_transition");
    status_refused(adv, a, "no_show", 409, "invalid_transition");
    status_refused(shop, a, "completed", 409, "invalid_transition");
    status_ok(shop, a, "in_service");
    status_refused(adv, a, "cancelled", 409, "invalid_transition");
    status_refused(adv, a, "arrived", 409, "invalid_transition");
    status_ok(shop, a, "completed");
    /* completed is final */
    status_refused(adv, a, "cancelled", 409, "invalid_transition");
    status_refused(shop, a, "in_service", 409, "invalid_transition");

    /* confirmed -> no_show (final) */
    int64_t b = booked(&w.st, adv, op, 1, "09:00", NULL);
    status_ok(adv, b, "no_show");
    status_refused(adv, b, "arrived", 409, "invalid_transition");
    status_refused(adv, b, "cancelled", 409, "invalid_transition");
    /* confirmed -> cancelled (final) */
    int64_t c = booked(&w.st, adv, op, 1, "09:00", NULL);
    status_ok(adv, c, "cancelled");
    status_refused(adv, c, "confirmed", 409, "invalid_transition");
    status_refused(adv, c, "arrived", 409, "invalid_transition");
    /* arrived -> cancelled */
    int64_t d = booked(&w.st, adv, op, 2, "09:00", NULL);
    status_ok(adv, d, "arrived");
    status_ok(m, d, "cancelled");
    /* tentative -> cancelled; tentative -> confirmed needs a time */
    json_t *t = call("POST", APPTS, adv, booking_for_day(car(m), op, day_str(12), NULL), 201);
    int64_t e = jint(t, "id");
    int64_t ev = jint(json_object_get(t, "vehicle"), "id");
    json_decref(t);
    status_refused(adv, e, "confirmed", 409, "invalid_transition");
    status_refused(adv, e, "arrived", 409, "invalid_transition");
    status_ok(adv, e, "cancelled");
    /* Cancelling closes the confirmation call. */
    assert_int_equal(confirm_task_count(m, ev, "open"), 0);

    /* A cancelled booking frees its slot: the three bays hold b (no-show), c (cancelled) and
     * a (completed) at 09:00 tomorrow; the no-show and cancellation no longer hold theirs. */
    json_decref(book(adv, car(m), op, day_at(1, "09:00"), NULL));
    json_decref(book(adv, car(m), op, day_at(1, "09:00"), NULL));

    /* Bad statuses. */
    rejected("POST", fmt(APPTS "/%lld/status", (long long)a), adv, "{\"status\":\"done\"}", 400,
             "invalid_field", "status");
    rejected("POST", fmt(APPTS "/%lld/status", (long long)a), adv, "{}", 400, "missing_field",
             "status");
    rejected("POST", APPTS "/999999999/status", adv, "{\"status\":\"arrived\"}", 404, "not_found",
             NULL);
}

/* Cancelling or a no-show gives reserved parts back; completing issues them. */
static void test_parts_released_and_issued(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pno = part_new(m, 1000, 6, 3);
    const char *two = keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", pno));

    int64_t a = booked(&w.st, m, op, 1, "09:00", two);
    int64_t b = booked(&w.st, m, op, 1, "11:00", two);
    int64_t c = booked(&w.st, m, op, 1, "14:00", two);
    assert_stock(m, pno, 6, 6, 0);
    /* Nothing left: a fourth is short. */
    json_decref(refusal("POST", APPTS, m, booking(car(m), op, day_at(2, "09:00"), two), 422,
                        "parts_unavailable"));

    status_ok(m, a, "cancelled");
    assert_string_equal(part_state(m, a, pno), "released");
    assert_stock(m, pno, 6, 4, 0);
    assert_false(on_shelf(m, "appointment", a, pno));
    status_ok(m, b, "no_show");
    assert_string_equal(part_state(m, b, pno), "released");
    assert_stock(m, pno, 6, 2, 0);
    status_ok(m, c, "arrived");
    status_ok(m, c, "in_service");
    assert_stock(m, pno, 6, 2, 0);
    status_ok(m, c, "completed");
    assert_string_equal(part_state(m, c, pno), "issued");
    assert_stock(m, pno, 4, 0, 0);
    assert_false(on_shelf(m, "appointment", c, pno));
    /* What came back can be booked again. */
    booked(&w.st, m, op, 2, "09:00", two);
    assert_stock(m, pno, 4, 2, 0);
}

/* Rescheduling moves the booking and frees its old slot; the same checks and refusals as a
 * booking, its own hold left out. */
static void test_reschedule_frees_old_slot(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *pno = part_new(m, 1000, 1, 3);
    int64_t a = booked(&w.st, adv, op, 1, "09:00",
                       keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1}]", pno)));
    const char *path = keep(fmt(APPTS "/%lld", (long long)a));

    /* Its own hold does not stand in its way: half an hour later on the same bay. */
    json_t *j = call("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(1, "09:30")), 200);
    assert_string_equal(jstr(j, "start"), day_at(1, "09:30"));
    json_decref(j);
    j = call("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(1, "14:00")), 200);
    assert_string_equal(jstr(j, "status"), "confirmed");
    assert_string_equal(jstr(j, "start"), day_at(1, "14:00"));
    assert_string_equal(jstr(j, "end"), day_at(1, "15:00"));
    assert_string_equal(jstr(j, "hold_until"), day_at(1, "15:30"));
    /* The part stays reserved once. */
    assert_string_equal(jstr(appt_part(j, pno), "state"), "reserved");
    json_decref(j);
    assert_stock(m, pno, 1, 1, 0);
    assert_int_equal(items_count(fmt(APPTS "?date=%s", day_str(1)), m), 1);

    /* The old slot is free: another job takes it. */
    int64_t b = booked(&w.st, adv, op, 1, "09:00", NULL);
    /* Moving back into it now: taken, with options; nothing changes. */
    char *before = snapshot(path, adv);
    assert_true(refused_with_options("PATCH", path, adv,
                                     fmt("{\"start\":\"%s\"}", day_at(1, "09:00")),
                                     "slot_taken") >= 1);
    refused_with_options("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(1, "12:30")),
                         "slot_unavailable");
    refused_4xx("PATCH", path, adv, "{\"start\":\"tomorrow\"}");
    refused_4xx("PATCH", path, adv, "{}");
    refused_4xx("PATCH", path, adv, fmt("{\"start\":\"%s\",\"ops\":[]}", day_at(2, "09:00")));
    assert_unchanged(path, adv, before);
    /* To another day. */
    j = call("PATCH", path, adv, fmt("{\"start\":\"%s\"}", day_at(5, "10:00")), 200);
    assert_string_equal(jstr(j, "date"), day_str(5));
    json_decref(j);
    /* A finished booking is not moved. */
    status_ok(adv, b, "cancelled");
    status_refused(adv, b, "confirmed", 409, "invalid_transition");
    rejected("PATCH", fmt(APPTS "/%lld", (long long)b), adv,
             fmt("{\"start\":\"%s\"}", day_at(3, "09:00")), 409, "invalid_transition", NULL);
    /* Another store's booking is not found. */
    rejected("PATCH", path, tok(U_ADVISOR), fmt("{\"start\":\"%s\"}", day_at(3, "09:00")), 404,
             "not_found", NULL);
    rejected("GET", path, tok(U_ADVISOR), NULL, 404, "not_found", NULL);
}

/* IN-11: the workshop dispatches a job to a technician with the skills who works that day
 * and is free then. */
static void test_dispatch(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *shop = store_user(&w.st, "workshop");
    int64_t t1 = w.tech[0], t2 = w.tech[1];
    int64_t t3 = tech_new(m, "[\"electrical\"]", NULL);
    int64_t t4 = tech_new(m, "[\"mechanical\",\"electrical\"]", NULL);
    const char *other_day = weekday_name(test_today() + 2); /* not tomorrow's weekday */
    int64_t t5 = tech_new(m, "[\"mechanical\"]", fmt("[\"%s\"]", other_day));

    json_t *j = book(adv, car(m), op, day_at(1, "09:00"), NULL);
    int64_t a = jint(j, "id");
    assert_int_equal(jint(j, "technician_id"), t1);
    json_decref(j);
    j = book(adv, car(m), op, day_at(1, "09:00"), NULL);
    assert_int_equal(jint(j, "technician_id"), t2);
    json_decref(j);
    const char *path = keep(fmt(APPTS "/%lld/dispatch", (long long)a));

    char *before = snapshot(fmt(APPTS "/%lld", (long long)a), m);
    /* Busy then: taken. */
    refused_with_options("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t2),
                         "slot_taken");
    /* Without the skill, or not working that weekday: unavailable. */
    refused_with_options("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t3),
                         "slot_unavailable");
    j = refusal("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t5), 409,
                "slot_unavailable");
    json_decref(j);
    /* The advisor does not dispatch. */
    rejected("POST", path, adv, fmt("{\"technician_id\":%lld}", (long long)t4), 403, "forbidden",
             NULL);
    rejected("POST", path, shop, "{}", 400, "missing_field", "technician_id");
    rejected("POST", path, shop, "{\"technician_id\":\"x\"}", 400, "invalid_field",
             "technician_id");
    rejected("POST", path, shop, "{\"technician_id\":999999999}", 404, "not_found", NULL);
    assert_unchanged(fmt(APPTS "/%lld", (long long)a), m, before);

    j = call("POST", path, shop, fmt("{\"technician_id\":%lld}", (long long)t4), 200);
    assert_int_equal(jint(j, "technician_id"), t4);
    assert_string_equal(jstr(j, "start"), day_at(1, "09:00"));
    json_decref(j);
    /* Back to t1, free again, by the service manager. */
    j = call("POST", path, m, fmt("{\"technician_id\":%lld}", (long long)t1), 200);
    assert_int_equal(jint(j, "technician_id"), t1);
    json_decref(j);
    assert_true(
        items_count(fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)a), m) >= 3);
}

/* IN-10: a booking call that ends without a booking is recorded; the conversion report is
 * booked / (booked + failed). */
static void test_booking_failures_and_report(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *caller = store_user(&w.st, "caller");
    int64_t a = booked(&w.st, adv, op, 1, "09:00", NULL);
    booked(&w.st, adv, op, 1, "11:00", NULL);
    booked(&w.st, caller, op, 1, "14:00", ",\"source\":\"outbound\"");
    int64_t v = car(m);
    json_t *f = call(
        "POST", "/api/v1/booking-failures", adv,
        fmt("{\"vehicle_id\":%lld,\"reason\":\"price\",\"note\":\"嫌贵\"}", (long long)v), 201);
    assert_true(jint(f, "id") > 0);
    assert_string_equal(jstr(f, "reason"), "price");
    assert_string_equal(jstr(f, "source"), "inbound");
    json_decref(f);

    json_t *r = call("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(0)), m, NULL, 200);
    assert_string_equal(jstr(r, "from"), day_str(0));
    assert_string_equal(jstr(r, "to"), day_str(0));
    assert_int_equal(jint(r, "booked"), 3);
    assert_int_equal(jint(r, "failed"), 1);
    assert_true(json_real_value(json_object_get(r, "conversion")) == 0.75);
    assert_int_equal(jint(json_object_get(r, "booked_by_source"), "inbound"), 2);
    assert_int_equal(jint(json_object_get(r, "booked_by_source"), "outbound"), 1);
    assert_int_equal(jint(json_object_get(r, "failed_by_reason"), "price"), 1);
    assert_int_equal(jint(json_object_get(r, "by_case"), "B"), 3);
    json_t *cbs = json_object_get(r, "conversion_by_source");
    double inbound = json_number_value(json_object_get(cbs, "inbound"));
    if (inbound < 0.6666 || inbound > 0.6667)
        print_error("conversion_by_source.inbound %f, want 2/3\n", inbound);
    assert_true(inbound > 0.6666 && inbound < 0.6667);
    assert_true(json_real_value(json_object_get(cbs, "outbound")) == 1.0);
    json_decref(r);
    /* The caller reads it too; the month has the same day in it. */
    r = call("GET", fmt("/api/v1/reports/bookings?month=%.7s", day_str(0)), caller, NULL, 200);
    assert_int_equal(jint(r, "booked"), 3);
    assert_int_equal(jint(r, "failed"), 1);
    json_decref(r);
    rejected("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(0)), adv, NULL, 403,
             "forbidden", NULL);

    /* No-shows and cancellations count among the period's (the booking day's) appointments. */
    status_ok(adv, a, "no_show");
    r = call("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(1)), m, NULL, 200);
    assert_int_equal(jint(r, "no_shows"), 1);
    assert_int_equal(jint(r, "cancelled"), 0);
    assert_int_equal(jint(r, "booked"), 0);
    json_decref(r);

    /* Bad failures change nothing. */
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    const char *shop = store_user(&w.st, "workshop");
    int64_t head = audit_head_of(m);
    rejected("POST", "/api/v1/booking-failures", adv, "{\"reason\":\"too_far\"}", 400,
             "invalid_field", "reason");
    rejected("POST", "/api/v1/booking-failures", adv, "{}", 400, "missing_field", "reason");
    rejected("POST", "/api/v1/booking-failures", adv,
             fmt("{\"vehicle_id\":%lld,\"reason\":\"other\"}", (long long)other), 404, "not_found",
             NULL);
    rejected("POST", "/api/v1/booking-failures", shop, "{\"reason\":\"other\"}", 403, "forbidden",
             NULL);
    assert_int_equal(audit_head_of(m), head);
    r = call("GET", fmt("/api/v1/reports/bookings?date=%s", day_str(0)), m, NULL, 200);
    assert_int_equal(jint(r, "failed"), 1);
    json_decref(r);
}

/* Bad input: each a 4xx that changes nothing. */
static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m, *op = w.op;
    const char *pno = part_new(m, 1000, 5, 3);
    int64_t v = car(m);
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    const char *d1 = day_at(1, "09:00");
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {"{", 400, "invalid_json", NULL},
        {"[]", 400, "invalid_json", NULL},
        {keep(fmt("{\"vehicle_id\":%lld,\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"start\":\"%s\"}",
                  (long long)v, (long long)v, op, d1)),
         400, "invalid_json", NULL},
        {keep(fmt("{\"ops\":[\"%s\"],\"start\":\"%s\"}", op, d1)), 400, "missing_field",
         "vehicle_id"},
        {keep(fmt("{\"vehicle_id\":\"%lld\",\"ops\":[\"%s\"],\"start\":\"%s\"}", (long long)v, op,
                  d1)),
         400, "invalid_field", "vehicle_id"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":\"%s\",\"start\":\"%s\"}", (long long)v, op, d1)),
         400, "invalid_field", "ops"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[],\"start\":\"%s\"}", (long long)v, d1)), 400,
         "invalid_field", "ops"},
        {keep(fmt("{\"vehicle_id\":%lld,\"start\":\"%s\"}", (long long)v, d1)), 400,
         "missing_field", "ops"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\",\"%s\"],\"start\":\"%s\"}", (long long)v,
                  op, op, d1)),
         400, "invalid_field", "ops"},
        {booking(v, op, d1, ",\"colour\":\"red\""), 400, "invalid_field", "colour"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"]}", (long long)v, op)), 400,
         "missing_field", "start"},
        {booking(v, op, d1, ",\"flexibility\":\"someday\""), 400, "invalid_field", "flexibility"},
        {booking(v, op, d1, ",\"source\":\"fax\""), 400, "invalid_field", "source"},
        {booking(v, op, d1, ",\"services\":[\"massage\"]"), 400, "invalid_field", "services"},
        {booking(v, op, d1, ",\"services\":\"wash\""), 400, "invalid_field", "services"},
        {booking(v, op, d1, ",\"wait_for_parts\":\"yes\""), 400, "invalid_field", "wait_for_parts"},
        {booking(v, op, d1, ",\"customer_words\":42"), 400, "invalid_field", "customer_words"},
        {booking(v, op, d1, ",\"parts\":{}"), 400, "invalid_field", "parts"},
        {booking(v, op, d1, keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":0}]", pno))), 400,
         "invalid_field", NULL},
        {booking(v, op, d1, keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":1,\"x\":1}]", pno))),
         400, "invalid_field", NULL},
        {booking(v, op, d1, keep(fmt(",\"parts\":[{\"part_no\":\"%s\"}]", pno))), 400,
         "missing_field", NULL},
        {booking(v, "NO-SUCH-OP", d1, NULL), 422, "unknown_operation", "ops"},
        {booking(v, op, d1, ",\"parts\":[{\"part_no\":\"NO-SUCH-PART\",\"qty\":1}]"), 422,
         "unknown_part", "parts"},
        {booking(other, op, d1, NULL), 404, "not_found", "vehicle_id"},
        {booking(999999999, op, d1, NULL), 404, "not_found", "vehicle_id"},
        {booking(v, op, d1, ",\"task_id\":999999999"), 404, "not_found", "task_id"},
        {booking(v, op, "2031-02-30T09:00", NULL), 0, NULL, NULL},
        {booking(v, op, keep(fmt("%sT25:00", day_str(1))), NULL), 0, NULL, NULL},
        {booking(v, op, keep(fmt("%sT09:60", day_str(1))), NULL), 0, NULL, NULL},
        {booking(v, op, keep(fmt("%s 09:00", day_str(1))), NULL), 0, NULL, NULL},
        {booking(v, op, day_str(1), NULL), 0, NULL, NULL},
        {booking(v, op, "", NULL), 0, NULL, NULL},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"start\":42}", (long long)v, op)), 400,
         "invalid_field", "start"},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"date\"}", (long long)v,
                  op)),
         0, NULL, NULL},
        {booking_for_day(v, op, day_str(-2), NULL), 0, NULL, NULL},
        {booking_for_day(v, op, "2031-13-01", NULL), 0, NULL, NULL},
        {keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"period\","
                  "\"period_from\":\"%s\",\"period_to\":\"%s\"}",
                  (long long)v, op, day_str(10), day_str(9))),
         0, NULL, NULL},
    };
    struct before b;
    before_take(&b, m, v);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (!bad[i].status) {
            refused_4xx("POST", APPTS, m, bad[i].body);
            continue;
        }
        struct resp r = http("POST", APPTS, m, bad[i].body);
        if (r.status != bad[i].status)
            print_error("case %zu %s: %s\n", i, bad[i].body, r.body);
        expect_error(&r, bad[i].status, bad[i].code, bad[i].field);
        resp_free(&r);
    }
    /* Not JSON at all, and the wrong content type. */
    struct req_opts o = {.token = m, .raw_body = "vehicle_id=1", .content_type = "text/plain"};
    struct resp r = http_opts("POST", APPTS, &o);
    assert_true(r.status >= 400 && r.status <= 499);
    resp_free(&r);
    assert_nothing_written(&b);
    assert_stock(m, pno, 5, 0, 0);
    /* The other vehicle's store has nothing either. */
    assert_int_equal(items_count(fmt(APPTS "?vehicle_id=%lld", (long long)other), tok(U_ADVISOR)),
                     0);
    rejected("GET", fmt(APPTS "?date=%s&status=gone", day_str(1)), m, NULL, 400, "invalid_field",
             "status");
    rejected("GET", APPTS "/999999999", m, NULL, 404, "not_found", NULL);
}

/* Roles: who books, who dispatches, who sets which status; every role reads. */
static void test_roles(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 2, 2);
    const char *m = w.m, *op = w.op;
    const char *adv = store_user(&w.st, "advisor");
    const char *caller = store_user(&w.st, "caller");
    const char *pm = store_user(&w.st, "parts_manager");
    const char *shop = store_user(&w.st, "workshop");
    const char *warr = store_user(&w.st, "warranty");
    int64_t t1 = w.tech[0];
    int64_t v = car(m);

    struct before b;
    before_take(&b, m, v);
    rejected("POST", APPTS, pm, booking(v, op, day_at(1, "09:00"), NULL), 403, "forbidden", NULL);
    rejected("POST", APPTS, shop, booking(v, op, day_at(1, "09:00"), NULL), 403, "forbidden", NULL);
    rejected("POST", APPTS, warr, booking(v, op, day_at(1, "09:00"), NULL), 403, "forbidden", NULL);
    assert_nothing_written(&b);

    int64_t a = booked(&w.st, caller, op, 1, "09:00", NULL);
    int64_t c = booked(&w.st, adv, op, 1, "09:00", NULL);
    const char *path = keep(fmt(APPTS "/%lld", (long long)a));
    /* Every role reads. */
    const char *readers[] = {adv, caller, pm, shop, warr, m};
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        json_decref(call("GET", path, readers[i], NULL, 200));
        json_decref(call("GET", fmt(APPTS "?date=%s", day_str(1)), readers[i], NULL, 200));
        json_decref(call("GET", fmt("/api/v1/slots?ops=%s", op), readers[i], NULL, 200));
    }
    /* Moving: reception only. */
    rejected("PATCH", path, shop, fmt("{\"start\":\"%s\"}", day_at(2, "09:00")), 403, "forbidden",
             NULL);
    rejected("PATCH", path, pm, fmt("{\"start\":\"%s\"}", day_at(2, "09:00")), 403, "forbidden",
             NULL);
    /* Dispatch: the workshop and the service manager. */
    rejected("POST", fmt("%s/dispatch", path), adv, fmt("{\"technician_id\":%lld}", (long long)t1),
             403, "forbidden", NULL);
    rejected("POST", fmt("%s/dispatch", path), caller,
             fmt("{\"technician_id\":%lld}", (long long)t1), 403, "forbidden", NULL);
    rejected("POST", fmt("%s/dispatch", path), pm, fmt("{\"technician_id\":%lld}", (long long)t1),
             403, "forbidden", NULL);
    json_t *j = call("GET", path, m, NULL, 200);
    int64_t own = jint(j, "technician_id");
    json_decref(j);
    j = call("POST", fmt("%s/dispatch", path), shop,
             fmt("{\"technician_id\":%lld}", (long long)own), 200);
    assert_int_equal(jint(j, "technician_id"), own);
    json_decref(j);
    /* Status: the workshop starts and finishes jobs, reception does the rest. */
    rejected("POST", fmt("%s/status", path), shop, "{\"status\":\"arrived\"}", 403, "forbidden",
             NULL);
    rejected("POST", fmt("%s/status", path), pm, "{\"status\":\"cancelled\"}", 403, "forbidden",
             NULL);
    rejected("POST", fmt("%s/status", path), warr, "{\"status\":\"no_show\"}", 403, "forbidden",
             NULL);
    status_ok(caller, a, "arrived");
    rejected("POST", fmt("%s/status", path), pm, "{\"status\":\"in_service\"}", 403, "forbidden",
             NULL);
    status_ok(shop, a, "in_service");
    status_ok(shop, a, "completed");
    status_ok(adv, c, "arrived");
    status_ok(m, c, "in_service");
    /* Another store's users see none of it. */
    rejected("GET", path, tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
    rejected("POST", fmt("%s/status", path), tok(U_ADVISOR), "{\"status\":\"cancelled\"}", 404,
             "not_found", NULL);
    rejected("GET", "/api/v1/appointments", NULL, NULL, 401, "unauthorized", NULL);
}

/* Every write is in the audit log, in the same transaction. */
static void test_audit_of_a_booking(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m;
    const char *adv = store_user(&w.st, "advisor");
    int64_t id = booked(&w.st, adv, w.op, 1, "09:00", NULL);
    json_t *j = call("GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)id),
                     m, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_array_get(items, 0);
    assert_string_equal(jstr(e, "action"), "create");
    assert_string_equal(jstr(e, "entity"), "appointment");
    assert_int_equal(jint(e, "entity_id"), id);
    assert_non_null(jstr(e, "actor"));
    json_t *status = json_object_get(json_object_get(e, "changes"), "status");
    assert_true(json_is_array(status));
    assert_string_equal(json_string_value(json_array_get(status, 1)), "confirmed");
    json_decref(j);
    json_t *me = call("GET", "/api/v1/me", adv, NULL, 200);
    j = call("GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)id), m, NULL,
             200);
    const char *username = jstr(me, "username");
    if (username)
        assert_string_equal(jstr(json_array_get(json_object_get(j, "items"), 0), "actor"),
                            username);
    json_decref(j);
    json_decref(me);
    status_ok(adv, id, "cancelled");
    j = call("GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld", (long long)id), m, NULL,
             200);
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    e = json_array_get(items, 0);
    assert_string_equal(jstr(e, "action"), "update");
    status = json_object_get(json_object_get(e, "changes"), "status");
    assert_string_equal(json_string_value(json_array_get(status, 0)), "confirmed");
    assert_string_equal(json_string_value(json_array_get(status, 1)), "cancelled");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots_wish_first_then_nearest),
        cmocka_unit_test(test_slots_float_holds_the_bay),
        cmocka_unit_test(test_slots_lunch_break),
        cmocka_unit_test(test_slots_end_of_day),
        cmocka_unit_test(test_slots_closed_days_skipped),
        cmocka_unit_test(test_slots_bay_kind_and_skill),
        cmocka_unit_test(test_slots_technician_days),
        cmocka_unit_test(test_slots_downtime),
        cmocka_unit_test(test_slots_earliest_soonest_first),
        cmocka_unit_test(test_slots_earliest_on_the_step_grid),
        cmocka_unit_test(test_slots_parts_and_case_d),
        cmocka_unit_test(test_quote_ops_and_package),
        cmocka_unit_test(test_book_cases_a_b_c),
        cmocka_unit_test(test_book_chosen_bay_technician_and_task),
        cmocka_unit_test(test_book_refusals_carry_options),
        cmocka_unit_test(test_book_parts_unavailable_writes_nothing),
        cmocka_unit_test(test_case_d_end_to_end),
        cmocka_unit_test(test_flexible_date_then_fixed),
        cmocka_unit_test(test_flexible_period),
        cmocka_unit_test(test_life_cycle_transitions),
        cmocka_unit_test(test_parts_released_and_issued),
        cmocka_unit_test(test_reschedule_frees_old_slot),
        cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_booking_failures_and_report),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_audit_of_a_booking),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
