/* The booking API's slots over HTTP (IN-5..IN-9, IN-13, IN-19, IN-20): the wish first, then the
 * nearest; the bay's float; the lunch break; closing time; closed days; bay kinds, skills,
 * technicians' days, out-of-service periods; the earliest options on the step grid; parts lead
 * times (case D); and quotes without booking (IN-7). The other booking tests:
 * test_appointments_cases.c, _lifecycle.c and _failures.c.
 *
 * Every test runs in a store of its own (workshop_new or store_new), so that "the store has one
 * bay of this kind" holds whatever the other tests do. Bookings are refused in the past and "today"
 * is the store's day (Asia/Shanghai) while the tests run at any hour: they book from tomorrow on
 * (day_at(1, ...)). */
#include "appointment_checks.h"

#include <stdio.h>
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

static json_t *slots(const char *token, const char *query)
{
    return call("GET", fmt("/api/v1/slots?%s", query), token, NULL, 200);
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

    /* A plan keeps a part number as printed, in lower case and with spaces; the quote finds
     * its stock in the parts master all the same (core/part.h, the normal form). */
    char printed[80];
    size_t k = 0;
    for (size_t i = 0; pno[i] && k + 3 < sizeof printed; i++) {
        if (i && i % 3 == 0)
            printed[k++] = ' ';
        printed[k++] = (char)(pno[i] >= 'A' && pno[i] <= 'Z' ? pno[i] - 'A' + 'a' : pno[i]);
    }
    printed[k] = '\0';
    json_decref(call(
        "POST", "/api/v1/maintenance-plans", m,
        fmt("{\"brand\":\"大众\",\"model\":\"速腾\",\"interval_km\":7500,\"interval_months\":12,"
            "\"first_km\":5000,\"first_months\":6,\"package_name\":\"常规保养\","
            "\"ops\":[{\"code\":\"OIL\",\"name\":\"更换机油机滤\",\"hours\":0.5,"
            "\"labour_fen\":15000}],\"parts\":[{\"part_no\":\"%s\",\"name\":\"机油滤清器\","
            "\"qty\":1,\"unit_price_fen\":8500,\"lead_days\":7}]}",
            printed),
        200));
    j = call("GET", fmt("/api/v1/quote?vehicle_id=%lld", (long long)v), m, NULL, 200);
    p = json_array_get(json_object_get(j, "parts"), 0);
    assert_non_null(p);
    assert_string_equal(jstr(p, "part_no"), printed);
    assert_true(json_is_true(json_object_get(p, "in_stock")));
    json_decref(j);

    rejected("GET", fmt("/api/v1/quote?ops=%s", op), m, NULL, 400, "missing_field", "vehicle_id");
    int64_t other = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    rejected("GET", fmt("/api/v1/quote?vehicle_id=%lld", (long long)other), m, NULL, 404,
             "not_found", NULL);
    rejected("GET", fmt("/api/v1/quote?vehicle_id=%lld&ops=NOPE", (long long)v), m, NULL, 422,
             "unknown_operation", "ops");
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
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
