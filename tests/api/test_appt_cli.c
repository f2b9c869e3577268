/* `dms appointments slots|book|board|remind` (IN-6..IN-9, IN-11, IN-16), the booking call
 * from the command line, run against the test server's database (either backend) and checked
 * through the API: slots prints the case, the minutes of work, the estimate and three
 * options; book books (what the API then lists) and prints the appointment, or the refusal
 * with the options to offer instead, or the lead time of parts out of stock; board prints the
 * day; bad arguments and unknown stores fail with a message and change nothing.
 *
 * Every test runs in a store of its own (workshop_new), with one general bay, one mechanic and
 * an hour's repair at ¥200/h, so that "that start is taken" holds whatever the other tests do;
 * bookings are made from tomorrow on, since "today" may be over at the hour the tests run. */
#include "booking_fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- running the command ---- */

static char out[16384];

/* dms ARGS... (NULL-terminated) on the server's database; the exit status, output in out. */
#define DMS(...) srv_cli(SRV, NULL, out, sizeof out, __VA_ARGS__, NULL)

static void out_has(const char *what)
{
    if (!strstr(out, what))
        print_error("\"%s\" not in the output:\n%s\n", what, out);
    assert_non_null(strstr(out, what));
}

static void out_lacks(const char *what)
{
    if (strstr(out, what))
        print_error("\"%s\" should not be in the output:\n%s\n", what, out);
    assert_null(strstr(out, what));
}

/* The option lines printed: "  YYYY-MM-DDTHH:MM-HH:MM (window until HH:MM)  bay N  technician
 * M"; their starts into starts (kept), at most max. */
static size_t options_printed(const char **starts, size_t max)
{
    size_t n = 0;
    for (const char *l = out; *l;) {
        const char *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l) : strlen(l);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)len, l);
        if (strncmp(line, "  ", 2) == 0 && strstr(line, "(window until") &&
            strstr(line, "  bay ") && strstr(line, "  technician ")) {
            if (n < max)
                starts[n] = keep(fmt("%.16s", line + 2));
            n++;
        }
        l += len + (eol ? 1 : 0);
    }
    return n;
}

/* The appointments the API lists for a day of the store (caller json_decref()s). */
static json_t *appts_of_day(const struct workshop *w, int days)
{
    json_t *j = call("GET", fmt(APPTS "?date=%s", day_str(days)), w->m, NULL, 200);
    json_t *items = json_incref(json_object_get(j, "items"));
    json_decref(j);
    assert_true(json_is_array(items));
    return items;
}

/* What a refused or malformed command must leave as it was. */
struct before {
    const struct workshop *w;
    char *day1, *day2, *parts;
    int64_t audit;
};

static void before_take(struct before *b, const struct workshop *w)
{
    b->w = w;
    b->day1 = snapshot(fmt(APPTS "?date=%s", day_str(1)), w->m);
    b->day2 = snapshot(fmt(APPTS "?date=%s", day_str(2)), w->m);
    b->parts = snapshot("/api/v1/parts?all=true", w->m);
    b->audit = audit_head_of(w->m);
}

static void assert_nothing_written(struct before *b)
{
    assert_unchanged(fmt(APPTS "?date=%s", day_str(1)), b->w->m, b->day1);
    assert_unchanged(fmt(APPTS "?date=%s", day_str(2)), b->w->m, b->day2);
    assert_unchanged("/api/v1/parts?all=true", b->w->m, b->parts);
    assert_int_equal(audit_head_of(b->w->m), b->audit);
}

/* ---- slots ---- */

/* IN-6..IN-8: the case, the minutes of work, the estimate, and three options, the wished
 * start first when it is free. */
static void test_cli_slots_prints_case_estimate_and_options(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    assert_int_equal(DMS("appointments", "slots", "--store", w.st.code, "--ops", w.op, "--date",
                         day_str(1), "--time", "09:00"),
                     0);
    out_has(fmt("%s: case B, 60 minutes of work", w.st.code));
    out_has("labour ¥200.00");
    out_has("parts ¥0.00");
    out_has("total ¥200.00");
    const char *starts[8];
    assert_int_equal(options_printed(starts, 8), 3);
    assert_string_equal(starts[0], day_at(1, "09:00"));
    out_has(fmt("%s-10:00 (window until 10:30)  bay %lld  technician %lld", day_at(1, "09:00"),
                (long long)w.bay[0], (long long)w.tech[0]));

    /* A part in stock: case C, the part's line, its price in the estimate (2 x ¥150.50). */
    const char *no = part_named(w.m, "刹车片", 15050, 5, 3);
    assert_int_equal(DMS("appointments", "slots", "--store", w.st.code, "--ops", w.op, "--parts",
                         fmt("%s:2", no), "--date", day_str(1), "--time", "09:00"),
                     0);
    out_has(fmt("%s: case C, 60 minutes of work", w.st.code));
    out_has("parts ¥301.00");
    out_has("total ¥501.00");
    out_has(fmt("part %s x2: in stock", no));
    assert_int_equal(options_printed(starts, 8), 3);

    /* A part out of stock: case D, "to order", and no option before it can arrive. */
    const char *short_no = part_named(w.m, "刹车片", 5000, 0, 4);
    assert_int_equal(DMS("appointments", "slots", "--store", w.st.code, "--ops", w.op, "--parts",
                         fmt("%s:1", short_no)),
                     0);
    out_has(fmt("%s: case D", w.st.code));
    out_has(fmt("part %s x1: to order", short_no));
    size_t n = options_printed(starts, 8);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(starts[i], day_at(4, "00:00")) < 0)
            print_error("option %s comes before the parts (lead time 4 days)\n", starts[i]);
        assert_true(strcmp(starts[i], day_at(4, "00:00")) >= 0);
    }

    /* Nothing was booked by asking. */
    assert_int_equal(items_count(fmt(APPTS "?date=%s", day_str(1)), w.m), 0);
}

/* ---- book ---- */

/* book books what the API then lists, and prints the appointment; board prints the day. */
static void test_cli_book_and_board(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *plate;
    int64_t v = car_new(w.m, &plate);
    assert_int_equal(DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                         fmt("%lld", (long long)v), "--ops", w.op, "--start", day_at(1, "09:00"),
                         "--source", "walk_in", "--words", "刹车有异响"),
                     0);
    long long id = 0;
    const char *p = strstr(out, fmt("%s: appointment ", w.st.code));
    assert_non_null(p);
    assert_int_equal(sscanf(strchr(p, ':') + 2, "appointment %lld", &id), 1);
    assert_true(id > 0);
    out_has("case B, confirmed");
    out_has(fmt("%s-10:00", day_at(1, "09:00")));
    out_has(fmt("bay %s", w.bay_name[0]));
    out_has("estimate ¥200.00");

    json_t *l = appts_of_day(&w, 1);
    assert_int_equal(json_array_size(l), 1);
    json_t *a = json_array_get(l, 0);
    assert_int_equal(jint(a, "id"), id);
    assert_string_equal(jstr(a, "status"), "confirmed");
    assert_string_equal(jstr(a, "case"), "B");
    assert_string_equal(jstr(a, "start"), day_at(1, "09:00"));
    assert_string_equal(jstr(a, "end"), day_at(1, "10:00"));
    assert_int_equal(jint(a, "bay_id"), w.bay[0]);
    assert_int_equal(jint(a, "technician_id"), w.tech[0]);
    assert_int_equal(jint(json_object_get(a, "vehicle"), "id"), v);
    json_decref(l);
    json_t *d = call("GET", fmt(APPTS "/%lld", id), w.m, NULL, 200);
    assert_string_equal(jstr(d, "source"), "walk_in");
    assert_string_equal(jstr(d, "customer_words"), "刹车有异响");
    assert_int_equal(jint(json_object_get(d, "estimate"), "total_fen"), 20000);
    json_decref(d);

    /* A part in stock is reserved and printed. */
    const char *no = part_named(w.m, "刹车片", 15050, 5, 3);
    int64_t v2 = car_new(w.m, NULL);
    assert_int_equal(DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                         fmt("%lld", (long long)v2), "--ops", w.op, "--parts", fmt("%s:2", no),
                         "--start", day_at(1, "13:00")),
                     0);
    out_has("case C, confirmed");
    out_has("estimate ¥501.00");
    out_has(fmt("part %s x2: reserved", no));
    json_t *pt = call("GET", fmt("/api/v1/parts/%s", no), w.m, NULL, 200);
    assert_int_equal(jint(pt, "reserved"), 2);
    json_decref(pt);

    /* The board of the day: both, by start, with the plate, the case and the status. */
    assert_int_equal(DMS("appointments", "board", "--store", w.st.code, "--date", day_str(1)), 0);
    out_has(fmt("%s %s: 2 appointment(s)", w.st.code, day_str(1)));
    const char *l1 = strstr(out, "09:00-10:00");
    const char *l2 = strstr(out, "13:00-14:00");
    assert_non_null(l1);
    assert_non_null(l2);
    assert_true(l1 < l2);
    out_has(plate);
    out_has(w.bay_name[0]);
    out_has("case B  confirmed");
    out_has(fmt("%s:reserved", no));
    /* Another day has none; without --date it is today. */
    assert_int_equal(DMS("appointments", "board", "--store", w.st.code, "--date", day_str(2)), 0);
    out_has(fmt("%s %s: 0 appointment(s)", w.st.code, day_str(2)));
    out_lacks(plate);
    assert_int_equal(DMS("appointments", "board", "--store", w.st.code), 0);
    out_has(fmt("%s %s: 0 appointment(s)", w.st.code, day_str(0)));
}

/* IN-8: a taken start is refused with exit status 1, the error, and the options to offer
 * instead; nothing is booked. */
static void test_cli_book_taken_start_offers_options(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    int64_t v1 = car_new(w.m, NULL), v2 = car_new(w.m, NULL);
    assert_int_equal(DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                         fmt("%lld", (long long)v1), "--ops", w.op, "--start", day_at(1, "09:00")),
                     0);
    struct before b;
    before_take(&b, &w);
    int rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                 fmt("%lld", (long long)v2), "--ops", w.op, "--start", day_at(1, "09:00"));
    if (rc != 1)
        print_error("book on a taken start: exit %d:\n%s\n", rc, out);
    assert_int_equal(rc, 1);
    out_has(w.st.code);
    out_has("instead:");
    const char *starts[8];
    size_t n = options_printed(starts, 8);
    assert_true(n >= 1 && n <= 3);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(starts[i], day_at(1, "09:00"));
    assert_nothing_written(&b);
    assert_int_equal(items_count(fmt(APPTS "?vehicle_id=%lld", (long long)v2), w.m), 0);

    /* One of the options offered can be booked as printed. */
    assert_int_equal(DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                         fmt("%lld", (long long)v2), "--ops", w.op, "--start", starts[0]),
                     0);
    out_has("confirmed");
}

/* IN-5: a part out of stock without --wait-for-parts is refused (exit 1) with the lead time to
 * tell the customer; with it, the part is ordered (case D). */
static void test_cli_book_parts_out_of_stock(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    const char *no = part_named(w.m, "刹车片", 5000, 0, 6);
    int64_t v = car_new(w.m, NULL);
    struct before b;
    before_take(&b, &w);
    char *orders = snapshot("/api/v1/purchase-orders", w.m);
    int rc =
        DMS("appointments", "book", "--store", w.st.code, "--vehicle", fmt("%lld", (long long)v),
            "--ops", w.op, "--parts", fmt("%s:1", no), "--start", day_at(8, "09:00"));
    if (rc != 1)
        print_error("book with a part out of stock: exit %d:\n%s\n", rc, out);
    assert_int_equal(rc, 1);
    out_has("6 day(s)");
    out_lacks("instead:");
    assert_nothing_written(&b);
    assert_unchanged("/api/v1/purchase-orders", w.m, orders);

    assert_int_equal(DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                         fmt("%lld", (long long)v), "--ops", w.op, "--parts", fmt("%s:1", no),
                         "--start", day_at(8, "09:00"), "--wait-for-parts"),
                     0);
    out_has("case D, confirmed");
    out_has(fmt("part %s x1: on_order, expected %s", no, day_str(6)));
    json_t *pt = call("GET", fmt("/api/v1/parts/%s", no), w.m, NULL, 200);
    assert_int_equal(jint(pt, "on_order"), 1);
    json_decref(pt);
}

/* ---- bad input ---- */

/* Missing --store, a bad --start, an unknown --source, a bad or foreign vehicle, unknown
 * operations, an unknown subcommand: exit 2 (usage) or 1 with a message; nothing written. */
static void test_cli_bad_arguments_change_nothing(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    int64_t v = car_new(w.m, NULL);
    const char *vs = keep(fmt("%lld", (long long)v));
    const char *start = day_at(1, "09:00");
    struct before b;
    before_take(&b, &w);

    assert_int_equal(DMS("appointments", "book", "--vehicle", vs, "--ops", w.op, "--start", start),
                     2);
    out_has("usage");
    assert_int_equal(DMS("appointments", "slots", "--ops", w.op), 2);
    out_has("usage");
    assert_int_equal(DMS("appointments", "board"), 2);
    out_has("usage");
    assert_int_equal(DMS("appointments", "reschedule", "--store", w.st.code), 2);
    out_has("usage");
    assert_int_equal(DMS("appointments"), 2);

    const char *bad_starts[] = {"tomorrow", "2026-13-01T09:00", "2026-05-01 09:00",
                                "2026-05-01T25:00", ""};
    for (size_t i = 0; i < sizeof bad_starts / sizeof bad_starts[0]; i++) {
        int rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle", vs, "--ops", w.op,
                     "--start", bad_starts[i]);
        if (rc != 1 && rc != 2)
            print_error("book --start \"%s\": exit %d:\n%s\n", bad_starts[i], rc, out);
        assert_true(rc == 1 || rc == 2);
        out_has("start");
    }
    int rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle", vs, "--ops", w.op);
    assert_true(rc == 1 || rc == 2);
    out_has("start");

    rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle", vs, "--ops", w.op,
             "--start", start, "--source", "fax");
    assert_int_equal(rc, 1);
    out_has("source");
    out_lacks("instead:");

    rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle", "abc", "--ops", w.op,
             "--start", start);
    assert_int_equal(rc, 1);
    out_has("vehicle");
    rc = DMS("appointments", "book", "--store", w.st.code, "--ops", w.op, "--start", start);
    assert_int_equal(rc, 1);
    out_has("vehicle");
    /* A vehicle of another store (S1) is not this store's to book. */
    int64_t foreign = new_vehicle(tok(U_ADVISOR), new_customer(tok(U_ADVISOR), "李四"));
    rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle",
             fmt("%lld", (long long)foreign), "--ops", w.op, "--start", start);
    assert_int_equal(rc, 1);
    out_has(w.st.code);
    assert_int_equal(items_count(fmt(APPTS "?vehicle_id=%lld", (long long)foreign), tok(U_ADVISOR)),
                     0);

    rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle", vs, "--start", start);
    assert_int_equal(rc, 1);
    out_has("ops");
    rc = DMS("appointments", "book", "--store", w.st.code, "--vehicle", vs, "--ops", "NO-SUCH-OP",
             "--start", start);
    assert_int_equal(rc, 1);
    out_has("NO-SUCH-OP");
    rc = DMS("appointments", "slots", "--store", w.st.code, "--ops", "NO-SUCH-OP");
    assert_int_equal(rc, 1);
    out_has("NO-SUCH-OP");
    rc = DMS("appointments", "slots", "--store", w.st.code, "--ops", w.op, "--parts",
             "NO-SUCH-PART:1");
    assert_int_equal(rc, 1);
    out_has("NO-SUCH-PART");
    rc = DMS("appointments", "slots", "--store", w.st.code, "--ops", w.op, "--date", "tomorrow");
    assert_int_equal(rc, 1);
    out_has("date");
    rc = DMS("appointments", "board", "--store", w.st.code, "--date", "2026-02-30");
    assert_int_equal(rc, 1);
    out_has("date");

    assert_nothing_written(&b);
}

/* An unknown store code fails (exit 1, naming it) for every subcommand, and writes nothing. */
static void test_cli_unknown_store(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    int64_t v = car_new(w.m, NULL);
    struct before b;
    before_take(&b, &w);
    const char *code = "NOPE9";
    assert_int_equal(DMS("appointments", "slots", "--store", code, "--ops", w.op), 1);
    out_has(code);
    assert_int_equal(DMS("appointments", "book", "--store", code, "--vehicle",
                         fmt("%lld", (long long)v), "--ops", w.op, "--start", day_at(1, "09:00")),
                     1);
    out_has(code);
    assert_int_equal(DMS("appointments", "board", "--store", code), 1);
    out_has(code);
    assert_int_equal(DMS("appointments", "remind", "--store", code), 1);
    out_has(code);
    assert_nothing_written(&b);
}

/* remind --store CODE prints the store's count; without --store it goes through every store
 * (a line each). The day-before reminder itself is tested in test_appt_reminders.c. */
static void test_cli_remind_prints_counts(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    json_decref(call("PATCH", "/api/v1/settings", w.m, "{\"generate_at\":\"00:00\"}", 200));
    int64_t v = car_new(w.m, NULL);
    assert_int_equal(DMS("appointments", "book", "--store", w.st.code, "--vehicle",
                         fmt("%lld", (long long)v), "--ops", w.op, "--start", day_at(1, "09:00")),
                     0);
    assert_int_equal(DMS("appointments", "remind", "--store", w.st.code), 0);
    out_has(fmt("%s: 1 reminder(s) queued", w.st.code));
    assert_int_equal(DMS("appointments", "remind"), 0);
    out_has(fmt("%s: 0 reminder(s) queued", w.st.code));
    out_has("S1: ");
    out_has("S2: ");
    assert_int_equal(
        items_count(fmt("/api/v1/messages?kind=appointment_reminder&vehicle_id=%lld", (long long)v),
                    w.m),
        1);
}

/* One clock (issue 12): the command line's "today" is the store's own, in its time zone, as the
 * server's is. At 02:00 UTC it is already 10:00 in Shanghai but still 18:00 the day before in
 * Los Angeles; the board of a Los Angeles store without --date shows that day before. (02:00
 * UTC of the real day, so that the test's sessions stay valid.) */
static void test_cli_today_is_the_stores_own(void **state)
{
    (void)state;
    struct workshop w;
    workshop_new(&w, 1, 1);
    json_decref(
        call("PUT", "/api/v1/calendar", w.m, "{\"timezone\":\"America/Los_Angeles\"}", 200));
    time_t at = time(NULL) / 86400 * 86400 + 2 * 3600, before = at - 86400;
    char utc_day[16], la_day[16];
    struct tm tm;
    strftime(utc_day, sizeof utc_day, "%Y-%m-%d", gmtime_r(&at, &tm));
    strftime(la_day, sizeof la_day, "%Y-%m-%d", gmtime_r(&before, &tm));
    srv_clock_set(SRV, (int64_t)at);
    assert_int_equal(DMS("appointments", "board", "--store", w.st.code), 0);
    out_has(fmt("%s %s: ", w.st.code, la_day));
    json_t *b = call("GET", "/api/v1/board", w.m, NULL, 200);
    assert_string_equal(jstr(b, "date"), la_day);
    json_decref(b);
    json_decref(call("PUT", "/api/v1/calendar", w.m, "{\"timezone\":\"Asia/Shanghai\"}", 200));
    assert_int_equal(DMS("appointments", "board", "--store", w.st.code), 0);
    out_has(fmt("%s %s: ", w.st.code, utc_day));
    srv_clock_set(SRV, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_slots_prints_case_estimate_and_options),
        cmocka_unit_test(test_cli_book_and_board),
        cmocka_unit_test(test_cli_book_taken_start_offers_options),
        cmocka_unit_test(test_cli_book_parts_out_of_stock),
        cmocka_unit_test(test_cli_bad_arguments_change_nothing),
        cmocka_unit_test(test_cli_unknown_store),
        cmocka_unit_test(test_cli_remind_prints_counts),
        cmocka_unit_test(test_cli_today_is_the_stores_own),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
