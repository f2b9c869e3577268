/* IN-13 across midnight: a bay's float runs on past 24:00 after a job that ends then, and the
 * next day's search sees it (issue 11, defect 5: the next day did not read the day before, so
 * 00:00 double-booked the bay). A store open round the clock, one bay, one technician, a
 * 30-minute float: a job 23:00-24:00 holds the bay to 00:30 the next day. */
#include "booking_fixtures.h"

#include <string.h>

/* The store opens round the clock, with a 30-minute float and step. */
static void open_round_the_clock(const char *m)
{
    json_decref(call("PUT", "/api/v1/calendar", m,
                     "{\"hours\":{\"mon\":[[\"00:00\",\"24:00\"]],\"tue\":[[\"00:00\",\"24:00\"]],"
                     "\"wed\":[[\"00:00\",\"24:00\"]],\"thu\":[[\"00:00\",\"24:00\"]],"
                     "\"fri\":[[\"00:00\",\"24:00\"]],\"sat\":[[\"00:00\",\"24:00\"]],"
                     "\"sun\":[[\"00:00\",\"24:00\"]]}}",
                     200));
    set_settings(m, "{\"float_min\":30,\"slot_step_min\":30}");
}

static void test_midnight_float_holds_the_next_morning(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m;
    open_round_the_clock(m);
    json_t *late = book(m, car(m), w.op, day_at(2, "23:00"), NULL);
    assert_string_equal(jstr(late, "status"), "confirmed");
    json_decref(late);

    /* 00:00 the next day: the bay is in its float. */
    json_t *j = refusal("POST", APPTS, m, booking(car(m), w.op, day_at(3, "00:00"), NULL), 409,
                        "slot_taken");
    /* The options offered instead start when the float is over. */
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(j, "options"), i, o)
    {
        const char *start = jstr(o, "start");
        assert_true(strcmp(start, day_at(3, "00:30")) >= 0 || strcmp(start, day_at(2, "")) < 0);
    }
    json_decref(j);
    j = call("GET", fmt("/api/v1/slots?ops=%s&date=%s&time=00:00", w.op, day_str(3)), m, NULL, 200);
    json_array_foreach(json_object_get(j, "options"), i, o)
    {
        assert_string_not_equal(jstr(o, "start"), day_at(3, "00:00"));
    }
    json_decref(j);

    /* 00:30, when the float ends, is free. */
    json_t *next = book(m, car(m), w.op, day_at(3, "00:30"), NULL);
    assert_string_equal(jstr(next, "status"), "confirmed");
    json_decref(next);
}

/* The other order: a booking at 00:00 first, then a job the evening before whose float would
 * run into it (found in review: the evening's search did not read the next morning). */
static void test_midnight_morning_booking_keeps_the_evening_float_out(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *m = w.m;
    open_round_the_clock(m);
    json_decref(book(m, car(m), w.op, day_at(3, "00:00"), NULL));
    /* 23:00-24:00 the day before would hold the bay to 00:30: taken. */
    json_decref(refusal("POST", APPTS, m, booking(car(m), w.op, day_at(2, "23:00"), NULL), 409,
                        "slot_taken"));
    json_t *j =
        call("GET", fmt("/api/v1/slots?ops=%s&date=%s&time=23:00", w.op, day_str(2)), m, NULL, 200);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(j, "options"), i, o)
    {
        assert_string_not_equal(jstr(o, "start"), day_at(2, "23:00"));
    }
    json_decref(j);
    /* 22:30-23:30, float to 24:00: free. */
    json_decref(book(m, car(m), w.op, day_at(2, "22:30"), NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_midnight_float_holds_the_next_morning),
        cmocka_unit_test(test_midnight_morning_booking_keeps_the_evening_float_out),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
