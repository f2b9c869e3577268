/* The store calendar over HTTP (IN-6, IN-13): GET /api/v1/calendar with its time zone, its
 * week in the shape PUT takes, defaults and range checks; PUT /api/v1/calendar (hours per
 * weekday as 0, 1 or 2 intervals, days left out keep theirs, the time zone, rights, bad weeks
 * that change nothing); POST /api/v1/calendar/exceptions and DELETE
 * /api/v1/calendar/exceptions/{date} (a make-up day works Monday's hours); their audit rows;
 * the old paths gone; store isolation; the booking settings float_min and slot_step_min at
 * /api/v1/settings; and `dms calendar import` with the shipped 2026 holiday file. Dated
 * exceptions set here lie in 2030-2033, away from today's fortnight and from 2026's file. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

/* ---- helpers ---- */

#define LUNCH_INTERVALS "[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]]"
#define CALENDAR        "/api/v1/calendar"
#define EXCEPTIONS      "/api/v1/calendar/exceptions"

static const char *const DAY_KEYS[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* {"hours": {...}} with day[i] the intervals of Monday + i (JSON text), NULL: left out. */
static const char *week_body(const char *const day[7])
{
    char buf[2048];
    size_t used = (size_t)snprintf(buf, sizeof buf, "{\"hours\":{");
    bool first = true;
    for (int i = 0; i < 7; i++) {
        if (!day[i])
            continue;
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\"%s\":%s", first ? "" : ",",
                                 DAY_KEYS[i], day[i]);
        first = false;
    }
    snprintf(buf + used, sizeof buf - used, "}}");
    return keep(buf);
}

static const char *default_week_body(void)
{
    const char *const d[7] = {LUNCH_INTERVALS, LUNCH_INTERVALS, LUNCH_INTERVALS, LUNCH_INTERVALS,
                              LUNCH_INTERVALS, LUNCH_INTERVALS, LUNCH_INTERVALS};
    return week_body(d);
}

/* {"hours": {"<day>": intervals}}: one weekday alone. */
static const char *one_day(const char *day, const char *intervals)
{
    return keep(fmt("{\"hours\":{\"%s\":%s}}", day, intervals));
}

/* GET /calendar over [from, to] as token (caller json_decref()s). */
static json_t *calendar(const char *token, const char *from, const char *to)
{
    return call("GET", fmt(CALENDAR "?from=%s&to=%s", from, to), token, NULL, 200);
}

/* The day object of date in a GET /calendar answer. */
static json_t *day_of(json_t *cal, const char *date)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(cal, "days"), i, d)
    {
        if (strcmp(jstr(d, "date"), date) == 0)
            return d;
    }
    fail_msg("no day %s in the answer", date);
    return NULL;
}

/* Asserts a JSON value as compact text, e.g. [["08:30","12:00"],["13:00","17:30"]]. */
static void json_is_text(const json_t *v, const char *what, const char *want)
{
    char *got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("%s: %s, want %s", what, got, want);
    free(got);
}

static void intervals_are(json_t *day, const char *want)
{
    json_is_text(json_object_get(day, "intervals"), jstr(day, "date"), want);
}

/* The week of a GET or PUT answer: the intervals of weekday key ("mon"). */
static void weekday_is(json_t *answer, const char *key, const char *want)
{
    json_t *hours = json_object_get(answer, "hours");
    assert_true(json_is_object(hours));
    json_is_text(json_object_get(hours, key), key, want);
}

/* The day of date alone, as token: open, exception (NULL: none), intervals. */
static void date_is(const char *token, const char *date, bool open, const char *exception,
                    const char *intervals)
{
    json_t *c = calendar(token, date, date);
    assert_int_equal(json_array_size(json_object_get(c, "days")), 1);
    json_t *d = day_of(c, date);
    if (json_is_true(json_object_get(d, "open")) != open)
        fail_msg("%s: open is %s", date, open ? "false" : "true");
    json_t *ex = json_object_get(d, "exception");
    if (exception) {
        if (!json_is_string(ex) || strcmp(json_string_value(ex), exception) != 0)
            fail_msg("%s: exception is not %s", date, exception);
    } else if (!json_is_null(ex)) {
        fail_msg("%s: an exception where none was set", date);
    }
    intervals_are(d, intervals);
    json_decref(c);
}

/* POST /calendar/exceptions as token; asserts the status (201 new, 200 replaced) and
 * `changed`. */
static void set_exception(const char *token, const char *date, const char *kind, const char *name,
                          long status, bool changed)
{
    char extra[160] = "";
    if (name)
        snprintf(extra, sizeof extra, ",\"name\":\"%s\"", name);
    json_t *j = call("POST", EXCEPTIONS, token,
                     fmt("{\"date\":\"%s\",\"kind\":\"%s\"%s}", date, kind, extra), status);
    assert_string_equal(jstr(j, "date"), date);
    assert_string_equal(jstr(j, "kind"), kind);
    if (json_is_true(json_object_get(j, "changed")) != changed)
        fail_msg("%s %s: changed should be %s", date, kind, changed ? "true" : "false");
    json_decref(j);
}

/* DELETE /calendar/exceptions/{date} as token: 204. */
static void remove_exception(const char *token, const char *date)
{
    struct resp r = http("DELETE", fmt(EXCEPTIONS "/%s", date), token, NULL);
    if (r.status != 204)
        fail_msg("DELETE exception %s: status %ld: %s", date, r.status, r.body);
    resp_free(&r);
}

/* Audit rows of an entity in S1 (as its manager, newest 200). */
static size_t audit_rows(const char *entity)
{
    json_t *j =
        call("GET", fmt("/api/v1/audit?entity=%s&limit=200", entity), tok(U_MANAGER), NULL, 200);
    size_t n = json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}

/* The newest audit row of an entity in S1 (caller json_decref()s the answer it is in). */
static json_t *newest_audit(const char *entity, json_t **answer)
{
    *answer =
        call("GET", fmt("/api/v1/audit?entity=%s&limit=1", entity), tok(U_MANAGER), NULL, 200);
    json_t *e = json_array_get(json_object_get(*answer, "items"), 0);
    assert_non_null(e);
    return e;
}

/* ---- GET ---- */

static void test_calendar_get_defaults_to_a_fortnight_of_the_default_week(void **state)
{
    (void)state;
    json_t *c = call("GET", CALENDAR, tok(U_CALLER), NULL, 200);
    json_t *days = json_object_get(c, "days");
    assert_int_equal(json_array_size(days), 14);
    assert_string_equal(jstr(json_array_get(days, 0), "date"), day_offset(0));
    assert_string_equal(jstr(json_array_get(days, 13), "date"), day_offset(13));
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        assert_string_equal(jstr(d, "date"), day_offset((int)i));
        assert_true(json_is_true(json_object_get(d, "open")));
        assert_true(json_is_null(json_object_get(d, "exception")));
        intervals_are(d, LUNCH_INTERVALS);
    }
    assert_int_equal(json_array_size(json_object_get(c, "exceptions")), 0);
    /* The store's zone, and its week in the shape PUT takes. */
    assert_string_equal(jstr(c, "timezone"), "Asia/Shanghai");
    assert_int_equal(json_object_size(json_object_get(c, "hours")), 7);
    for (int k = 0; k < 7; k++)
        weekday_is(c, DAY_KEYS[k], LUNCH_INTERVALS);
    json_decref(c);

    /* from alone: 14 days from it. */
    c = calendar(tok(U_ADVISOR), "2030-03-01", "");
    days = json_object_get(c, "days");
    assert_int_equal(json_array_size(days), 14);
    assert_string_equal(jstr(json_array_get(days, 13), "date"), "2030-03-14");
    json_decref(c);
}

static void test_calendar_get_range_checks(void **state)
{
    (void)state;
    /* 366 days inclusive are allowed (2028 is a leap year), 367 are not. */
    json_t *c = calendar(tok(U_ADVISOR), "2028-01-01", "2028-12-31");
    assert_int_equal(json_array_size(json_object_get(c, "days")), 366);
    json_decref(c);
    rejected("GET", "/api/v1/calendar?from=2028-01-01&to=2029-01-01", tok(U_ADVISOR), NULL, 400,
             "invalid_field", "to");
    /* One day is fine; to before from is not. */
    c = calendar(tok(U_ADVISOR), "2030-03-01", "2030-03-01");
    assert_int_equal(json_array_size(json_object_get(c, "days")), 1);
    json_decref(c);
    rejected("GET", "/api/v1/calendar?from=2030-03-02&to=2030-03-01", tok(U_ADVISOR), NULL, 400,
             "invalid_field", "to");
    rejected("GET", "/api/v1/calendar?from=2030-02-30", tok(U_ADVISOR), NULL, 422, "invalid_date",
             "from");
    rejected("GET", "/api/v1/calendar?from=2030-03-01&to=tomorrow", tok(U_ADVISOR), NULL, 422,
             "invalid_date", "to");
    struct resp r = http("GET", "/api/v1/calendar", NULL, NULL);
    assert_int_equal(r.status, 401);
    resp_free(&r);
}

/* ---- PUT /calendar ---- */

static void test_calendar_put_then_get(void **state)
{
    (void)state;
    size_t audits = audit_rows("store_hours");
    const char *mon = "[[\"09:00\",\"12:00\"],[\"13:30\",\"18:00\"]]";
    const char *sat = "[[\"09:00\",\"12:00\"]]";
    /* Tuesday to Friday left out: they keep their hours. */
    const char *const d[7] = {mon, NULL, NULL, NULL, NULL, sat, "[]"};
    json_t *j = call("PUT", CALENDAR, tok(U_MANAGER), week_body(d), 200);
    weekday_is(j, "mon", mon);
    weekday_is(j, "tue", LUNCH_INTERVALS);
    weekday_is(j, "sat", sat);
    weekday_is(j, "sun", "[]");
    assert_string_equal(jstr(j, "timezone"), "Asia/Shanghai");
    json_decref(j);

    /* 2030-03-04 is a Monday: Monday, Tuesday, Saturday, Sunday of that week. */
    assert_int_equal(date_weekday(date_from_ymd(2030, 3, 4)), 0);
    json_t *c = calendar(tok(U_ADVISOR), "2030-03-04", "2030-03-10");
    weekday_is(c, "mon", mon);
    weekday_is(c, "fri", LUNCH_INTERVALS);
    weekday_is(c, "sat", sat);
    weekday_is(c, "sun", "[]");
    intervals_are(day_of(c, "2030-03-04"), mon);
    intervals_are(day_of(c, "2030-03-05"), LUNCH_INTERVALS);
    intervals_are(day_of(c, "2030-03-09"), sat);
    intervals_are(day_of(c, "2030-03-10"), "[]");
    assert_true(json_is_false(json_object_get(day_of(c, "2030-03-10"), "open")));
    json_decref(c);

    /* One day alone changes that day only. */
    j = call("PUT", CALENDAR, tok(U_MANAGER), one_day("tue", "[[\"10:00\",\"16:00\"]]"), 200);
    weekday_is(j, "tue", "[[\"10:00\",\"16:00\"]]");
    weekday_is(j, "mon", mon);
    weekday_is(j, "wed", LUNCH_INTERVALS);
    json_decref(j);
    date_is(tok(U_ADVISOR), "2030-03-05", true, NULL, "[[\"10:00\",\"16:00\"]]");

    /* Audited, with the day's hours before and after; a change of Tuesday alone names it
     * alone. */
    assert_int_equal(audit_rows("store_hours"), audits + 2);
    json_t *a;
    json_t *ch = json_object_get(newest_audit("store_hours", &a), "changes");
    assert_int_equal(json_object_size(ch), 1);
    json_is_text(json_object_get(ch, "tue"), "tue",
                 "[\"08:30-17:30 break 12:00-13:00\",\"10:00-16:00\"]");
    json_decref(a);

    /* The admin may too: back to the default week, which is no change the second time. */
    json_decref(call("PUT", CALENDAR, tok(U_ADMIN), default_week_body(), 200));
    json_decref(call("PUT", CALENDAR, tok(U_ADMIN), default_week_body(), 200));
    assert_int_equal(audit_rows("store_hours"), audits + 3);
    date_is(tok(U_ADVISOR), "2030-03-10", true, NULL, LUNCH_INTERVALS);
}

/* A day's hours at 00:00 and 23:59, and a break of one minute. */
static void test_calendar_put_boundaries(void **state)
{
    (void)state;
    const char *wed = "[[\"00:00\",\"11:59\"],[\"12:00\",\"23:59\"]]";
    json_t *j = call("PUT", CALENDAR, tok(U_MANAGER), one_day("wed", wed), 200);
    weekday_is(j, "wed", wed);
    json_decref(j);
    date_is(tok(U_ADVISOR), "2030-03-06", true, NULL, wed);
    /* A day may end at midnight (a closing time, never an opening one). */
    const char *all_day = "[[\"00:00\",\"24:00\"]]";
    j = call("PUT", CALENDAR, tok(U_MANAGER), one_day("wed", all_day), 200);
    weekday_is(j, "wed", all_day);
    json_decref(j);
    json_decref(call("PUT", CALENDAR, tok(U_MANAGER), default_week_body(), 200));
}

/* The time zone alone, then with the hours in the same request (one transaction: a bad
 * week leaves the zone as it was). Zones of UTC+8, so that "today" stays put for the other
 * tests. */
static void test_calendar_put_timezone(void **state)
{
    (void)state;
    size_t stores = audit_rows("store"), hours = audit_rows("store_hours");
    json_t *j = call("PUT", CALENDAR, tok(U_MANAGER), "{\"timezone\":\"Asia/Chongqing\"}", 200);
    assert_string_equal(jstr(j, "timezone"), "Asia/Chongqing");
    weekday_is(j, "mon", LUNCH_INTERVALS);
    json_decref(j);
    json_t *c = calendar(tok(U_CALLER), "2030-03-04", "2030-03-04");
    assert_string_equal(jstr(c, "timezone"), "Asia/Chongqing");
    json_decref(c);
    json_t *s = call("GET", "/api/v1/store", tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(s, "timezone"), "Asia/Chongqing");
    json_decref(s);
    assert_int_equal(audit_rows("store"), stores + 1);
    assert_int_equal(audit_rows("store_hours"), hours);
    json_t *a;
    json_t *e = newest_audit("store", &a);
    assert_string_equal(jstr(e, "action"), "update");
    json_is_text(json_object_get(json_object_get(e, "changes"), "timezone"), "timezone",
                 "[\"Asia/Shanghai\",\"Asia/Chongqing\"]");
    json_decref(a);
    /* The same zone again is no change. */
    json_decref(call("PUT", CALENDAR, tok(U_MANAGER), "{\"timezone\":\"Asia/Chongqing\"}", 200));
    assert_int_equal(audit_rows("store"), stores + 1);

    /* A good zone with a bad week changes neither. */
    char *before = snapshot(CALENDAR "?from=2030-03-04&to=2030-03-10", tok(U_ADVISOR));
    int64_t head = audit_head();
    rejected("PUT", CALENDAR, tok(U_MANAGER),
             "{\"timezone\":\"Asia/Shanghai\",\"hours\":{\"fri\":[[\"18:00\",\"09:00\"]]}}", 400,
             "invalid_field", "hours.fri");
    assert_unchanged(CALENDAR "?from=2030-03-04&to=2030-03-10", tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);

    /* Both at once: one audit row each. */
    j = call("PUT", CALENDAR, tok(U_MANAGER),
             "{\"timezone\":\"Asia/Shanghai\",\"hours\":{\"fri\":[[\"08:00\",\"18:00\"]]}}", 200);
    assert_string_equal(jstr(j, "timezone"), "Asia/Shanghai");
    weekday_is(j, "fri", "[[\"08:00\",\"18:00\"]]");
    json_decref(j);
    assert_int_equal(audit_rows("store"), stores + 2);
    assert_int_equal(audit_rows("store_hours"), hours + 1);
    json_decref(call("PUT", CALENDAR, tok(U_MANAGER), default_week_body(), 200));
}

static void test_calendar_put_refused_changes_nothing(void **state)
{
    (void)state;
    const char *path = CALENDAR "?from=2030-03-04&to=2030-03-10";
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t head = audit_head();

    /* Rights: the call centre and the advisor read the calendar but do not set it. */
    rejected("PUT", CALENDAR, tok(U_CALLER), default_week_body(), 403, "forbidden", NULL);
    rejected("PUT", CALENDAR, tok(U_ADVISOR), default_week_body(), 403, "forbidden", NULL);
    rejected("PUT", CALENDAR, tok(U_CALLER), "{\"timezone\":\"Asia/Tokyo\"}", 403, "forbidden",
             NULL);

    /* hours is an object of weekdays. */
    rejected("PUT", CALENDAR, tok(U_MANAGER), "{\"hours\":[]}", 400, "invalid_field", "hours");
    rejected("PUT", CALENDAR, tok(U_MANAGER), "{\"hours\":null}", 400, "invalid_field", "hours");
    rejected("PUT", CALENDAR, tok(U_MANAGER), "{\"hours\":\"mon\"}", 400, "invalid_field", "hours");
    rejected("PUT", CALENDAR, tok(U_MANAGER), one_day("monday", "[]"), 400, "invalid_field",
             "hours.monday");
    rejected("PUT", CALENDAR, tok(U_MANAGER), one_day("Mon", "[]"), 400, "invalid_field",
             "hours.Mon");

    /* Each bad day is named; a good day next to it is not written either. */
    static const char *const bad[] = {
        /* more than two intervals */
        "[[\"08:00\",\"10:00\"],[\"11:00\",\"12:00\"],[\"13:00\",\"17:00\"]]",
        /* overlapping, touching, unordered */
        "[[\"08:30\",\"12:00\"],[\"11:00\",\"17:30\"]]",
        "[[\"08:30\",\"12:00\"],[\"12:00\",\"17:30\"]]",
        "[[\"13:00\",\"17:30\"],[\"08:30\",\"12:00\"]]",
        /* an interval backwards or empty */
        "[[\"18:00\",\"09:00\"]]",
        "[[\"09:00\",\"09:00\"]]",
        "[[\"08:30\",\"12:00\"],[\"17:30\",\"13:00\"]]",
        /* badly formed times and intervals */
        "[[\"8:30\",\"17:30\"]]",
        "[[\"24:00\",\"24:00\"]]",
        "[[\"08:30\",\"24:01\"]]",
        "[[\"08:60\",\"17:30\"]]",
        "[[\"08:30:00\",\"17:30\"]]",
        "[[830,1730]]",
        "[[\"08:30\"]]",
        "[[\"08:30\",\"12:00\",\"17:30\"]]",
        "[\"08:30\",\"17:30\"]",
        "[[]]",
        "[[\"08:30\",null]]",
        "\"closed\"",
        "null",
        "false",
        "{\"from\":\"08:30\",\"to\":\"17:30\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *body =
            keep(fmt("{\"hours\":{\"mon\":%s,\"tue\":%s}}", LUNCH_INTERVALS, bad[i]));
        rejected("PUT", CALENDAR, tok(U_MANAGER), body, 400, "invalid_field", "hours.tue");
    }

    /* The zone: a tz database name, not null, not a path. */
    static const char *const zones[] = {"\"\"",
                                        "null",
                                        "8",
                                        "\"../etc/passwd\"",
                                        "\"/etc/x\"",
                                        "\"Asia/Shang hai\"",
                                        "\"Asia/Shanghai;\"",
                                        "\"Mars/Olympus_Mons\"",
                                        "\"Asia/Atlantis\"",
                                        "\"posixrules/x\""};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        rejected("PUT", CALENDAR, tok(U_MANAGER), fmt("{\"timezone\":%s}", zones[i]), 400,
                 "invalid_field", "timezone");

    /* Unknown fields; not an object. */
    rejected("PUT", CALENDAR, tok(U_MANAGER), "{\"zone\":\"Asia/Shanghai\"}", 400, "invalid_field",
             "zone");
    rejected("PUT", CALENDAR, tok(U_MANAGER), "[]", 400, "invalid_json", NULL);

    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);
}

/* The paths this contract replaced answer 404. */
static void test_calendar_old_paths_are_gone(void **state)
{
    (void)state;
    int64_t head = audit_head();
    rejected("PUT", CALENDAR "/hours", tok(U_MANAGER), default_week_body(), 404, "not_found", NULL);
    rejected("POST", CALENDAR "/days", tok(U_MANAGER),
             "{\"date\":\"2031-06-02\",\"kind\":\"closed\"}", 404, "not_found", NULL);
    /* ... and the new collection takes no GET of its own (the calendar lists exceptions). */
    rejected("GET", EXCEPTIONS, tok(U_MANAGER), NULL, 405, "method_not_allowed", NULL);
    assert_int_equal(audit_head(), head);
}

/* ---- exceptions ---- */

static void test_calendar_exceptions_create_replace_delete(void **state)
{
    (void)state;
    size_t audits = audit_rows("calendar_day");
    const char *hol = "2031-05-01", *workday = "2031-04-27"; /* a Thursday, a Sunday */

    set_exception(tok(U_MANAGER), hol, "closed", "劳动节", 201, true);
    set_exception(tok(U_MANAGER), hol, "closed", "劳动节", 200, false);
    date_is(tok(U_CALLER), hol, false, "closed", "[]");
    assert_int_equal(audit_rows("calendar_day"), audits + 1);

    /* The exception is listed with its name. */
    json_t *c = calendar(tok(U_ADVISOR), "2031-04-27", "2031-05-03");
    json_t *ex = json_object_get(c, "exceptions");
    assert_int_equal(json_array_size(ex), 1);
    assert_string_equal(jstr(json_array_get(ex, 0), "date"), hol);
    assert_string_equal(jstr(json_array_get(ex, 0), "kind"), "closed");
    assert_string_equal(jstr(json_array_get(ex, 0), "name"), "劳动节");
    assert_string_equal(jstr(day_of(c, hol), "name"), "劳动节");
    assert_int_equal(json_array_size(json_object_get(day_of(c, workday), "intervals")), 2);
    json_decref(c);

    /* A new name alone is a change. */
    set_exception(tok(U_MANAGER), hol, "closed", "国际劳动节", 200, true);
    assert_int_equal(audit_rows("calendar_day"), audits + 2);

    /* A make-up working day on a Sunday, without a name. */
    set_exception(tok(U_ADMIN), workday, "open", NULL, 201, true);
    date_is(tok(U_ADVISOR), workday, true, "open", LUNCH_INTERVALS);
    c = calendar(tok(U_ADVISOR), workday, workday);
    assert_true(json_is_null(json_object_get(day_of(c, workday), "name")));
    json_decref(c);
    /* closed over open is a replacement. */
    set_exception(tok(U_ADMIN), workday, "closed", "停业", 200, true);
    date_is(tok(U_ADVISOR), workday, false, "closed", "[]");

    /* DELETE removes the exception, once. */
    remove_exception(tok(U_MANAGER), hol);
    date_is(tok(U_ADVISOR), hol, true, NULL, LUNCH_INTERVALS);
    int64_t head = audit_head();
    rejected("DELETE", EXCEPTIONS "/2031-05-01", tok(U_MANAGER), NULL, 404, "not_found", NULL);
    assert_int_equal(audit_head(), head);
    assert_int_equal(audit_rows("calendar_day"), audits + 5);

    /* The newest audit row is the removal. */
    json_t *a;
    json_t *e = newest_audit("calendar_day", &a);
    json_t *ch = json_object_get(e, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "date"), 1)), hol);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "kind"), 0)),
                        "closed");
    assert_true(json_is_null(json_array_get(json_object_get(ch, "kind"), 1)));
    json_decref(a);
    remove_exception(tok(U_ADMIN), workday);
    date_is(tok(U_ADVISOR), workday, true, NULL, LUNCH_INTERVALS);
}

/* IN-13: "an 'open' day without hours of its own uses Monday's hours", whatever its weekday
 * and even where that weekday is open with hours of its own; Tuesday's when Monday is
 * closed. */
static void test_calendar_make_up_day_works_mondays_hours(void **state)
{
    (void)state;
    const char *mon = "[[\"09:00\",\"12:00\"],[\"13:30\",\"18:00\"]]";
    const char *tue = "[[\"07:00\",\"15:00\"]]";
    const char *const d[7] = {mon, tue, NULL, NULL, NULL, "[[\"09:00\",\"12:00\"]]", "[]"};
    json_decref(call("PUT", CALENDAR, tok(U_MANAGER), week_body(d), 200));
    /* The week of Monday 2030-03-04: closed Sunday, short Saturday, a Wednesday. */
    set_exception(tok(U_MANAGER), "2030-03-10", "open", "调休", 201, true);
    set_exception(tok(U_MANAGER), "2030-03-09", "open", "调休", 201, true);
    set_exception(tok(U_MANAGER), "2030-03-06", "open", "调休", 201, true);
    date_is(tok(U_ADVISOR), "2030-03-10", true, "open", mon);
    date_is(tok(U_ADVISOR), "2030-03-09", true, "open", mon);
    date_is(tok(U_ADVISOR), "2030-03-06", true, "open", mon);
    /* Monday closed: the first open weekday's. */
    json_decref(call("PUT", CALENDAR, tok(U_MANAGER), one_day("mon", "[]"), 200));
    date_is(tok(U_ADVISOR), "2030-03-10", true, "open", tue);
    date_is(tok(U_ADVISOR), "2030-03-04", false, NULL, "[]");
    remove_exception(tok(U_MANAGER), "2030-03-10");
    remove_exception(tok(U_MANAGER), "2030-03-09");
    remove_exception(tok(U_MANAGER), "2030-03-06");
    json_decref(call("PUT", CALENDAR, tok(U_MANAGER), default_week_body(), 200));
}

static void test_calendar_exceptions_refused_change_nothing(void **state)
{
    (void)state;
    const char *path = CALENDAR "?from=2031-06-01&to=2031-06-30";
    set_exception(tok(U_MANAGER), "2031-06-20", "closed", "端午节", 201, true);
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t head = audit_head();
    const char *good = "{\"date\":\"2031-06-02\",\"kind\":\"closed\"}";
    rejected("POST", EXCEPTIONS, tok(U_CALLER), good, 403, "forbidden", NULL);
    rejected("POST", EXCEPTIONS, tok(U_ADVISOR), good, 403, "forbidden", NULL);
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"date\":\"2031-06-31\",\"kind\":\"closed\"}",
             422, "invalid_date", "date");
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"date\":\"2031-6-2\",\"kind\":\"closed\"}", 422,
             "invalid_date", "date");
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"date\":\"2031-06-02\",\"kind\":\"holiday\"}",
             400, "invalid_field", "kind");
    /* Removal is DELETE's: no "normal" kind, no empty one. */
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"date\":\"2031-06-20\",\"kind\":\"normal\"}",
             400, "invalid_field", "kind");
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"date\":\"2031-06-20\",\"kind\":\"\"}", 400,
             "invalid_field", "kind");
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"kind\":\"closed\"}", 400, "missing_field",
             "date");
    rejected("POST", EXCEPTIONS, tok(U_MANAGER), "{\"date\":\"2031-06-02\"}", 400, "missing_field",
             "kind");
    rejected("POST", EXCEPTIONS, tok(U_MANAGER),
             "{\"date\":\"2031-06-02\",\"kind\":\"closed\",\"note\":\"x\"}", 400, "invalid_field",
             "note");
    char name[80];
    memset(name, 'a', 65);
    name[65] = '\0';
    rejected("POST", EXCEPTIONS, tok(U_MANAGER),
             fmt("{\"date\":\"2031-06-02\",\"kind\":\"closed\",\"name\":\"%s\"}", name), 400,
             "invalid_field", "name");
    /* DELETE: rights; a date without an exception, or no date at all, is not found. */
    rejected("DELETE", EXCEPTIONS "/2031-06-20", tok(U_CALLER), NULL, 403, "forbidden", NULL);
    rejected("DELETE", EXCEPTIONS "/2031-06-20", tok(U_ADVISOR), NULL, 403, "forbidden", NULL);
    rejected("DELETE", EXCEPTIONS "/2031-06-21", tok(U_MANAGER), NULL, 404, "not_found", NULL);
    rejected("DELETE", EXCEPTIONS "/2031-06-31", tok(U_MANAGER), NULL, 404, "not_found", NULL);
    rejected("DELETE", EXCEPTIONS "/tomorrow", tok(U_MANAGER), NULL, 404, "not_found", NULL);
    rejected("DELETE", EXCEPTIONS "/20310620", tok(U_MANAGER), NULL, 404, "not_found", NULL);
    rejected("DELETE", EXCEPTIONS, tok(U_MANAGER), NULL, 405, "method_not_allowed", NULL);
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);
    remove_exception(tok(U_MANAGER), "2031-06-20");
}

/* ---- isolation ---- */

static void test_calendar_is_per_store(void **state)
{
    (void)state;
    const char *date = "2032-10-01";
    char *s1 = snapshot(CALENDAR "?from=2032-09-28&to=2032-10-07", tok(U_ADVISOR));
    int64_t head = audit_head();

    set_exception(tok(U_ADMIN2), date, "closed", "国庆节", 201, true);
    date_is(tok(U_ADVISOR2), date, false, "closed", "[]");
    json_decref(call("PUT", CALENDAR, tok(U_ADMIN2),
                     "{\"timezone\":\"Asia/Harbin\",\"hours\":{\"mon\":[]}}", 200));
    json_t *c = calendar(tok(U_ADVISOR2), "2032-10-04", "2032-10-04"); /* a Monday */
    assert_true(json_is_false(json_object_get(day_of(c, "2032-10-04"), "open")));
    assert_string_equal(jstr(c, "timezone"), "Asia/Harbin");
    json_decref(c);

    /* S1 sees none of it, and its audit log has nothing new. */
    date_is(tok(U_ADVISOR), date, true, NULL, LUNCH_INTERVALS);
    assert_unchanged(CALENDAR "?from=2032-09-28&to=2032-10-07", tok(U_ADVISOR), s1);
    assert_int_equal(audit_head(), head);
    /* S1 cannot remove S2's exception: it has none on that date. */
    rejected("DELETE", fmt(EXCEPTIONS "/%s", date), tok(U_MANAGER), NULL, 404, "not_found", NULL);
    /* S1's manager setting the same date is a change of S1's own. */
    set_exception(tok(U_MANAGER), date, "closed", "国庆节", 201, true);
    remove_exception(tok(U_MANAGER), date);
    /* S2's exception is still there; S2 back to the default week and zone. */
    date_is(tok(U_ADVISOR2), date, false, "closed", "[]");
    json_decref(call("PUT", CALENDAR, tok(U_ADMIN2),
                     keep(fmt("{\"timezone\":\"Asia/Shanghai\",%s", default_week_body() + 1)),
                     200));
}

/* ---- booking settings: /api/v1/settings ---- */

static void test_settings_float_and_slot_step(void **state)
{
    (void)state;
    /* The defaults, at both paths. */
    json_t *s = call("GET", "/api/v1/settings", tok(U_CALLER), NULL, 200);
    assert_int_equal(jint(s, "float_min"), 30);
    assert_int_equal(jint(s, "slot_step_min"), 30);
    char *a = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(s);
    s = call("GET", "/api/v1/store/settings", tok(U_CALLER), NULL, 200);
    char *b = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(s);
    assert_string_equal(a, b);
    free(a);
    free(b);

    size_t audits = audit_rows("store_settings");
    s = call("PATCH", "/api/v1/settings", tok(U_MANAGER), "{\"float_min\":45,\"slot_step_min\":15}",
             200);
    assert_int_equal(jint(s, "float_min"), 45);
    assert_int_equal(jint(s, "slot_step_min"), 15);
    json_decref(s);
    s = call("GET", "/api/v1/store/settings", tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(s, "float_min"), 45);
    assert_int_equal(jint(s, "slot_step_min"), 15);
    json_decref(s);
    assert_int_equal(audit_rows("store_settings"), audits + 1);
    json_t *au;
    json_t *ch = json_object_get(newest_audit("store_settings", &au), "changes");
    json_is_text(json_object_get(ch, "float_min"), "float_min", "[30,45]");
    json_is_text(json_object_get(ch, "slot_step_min"), "slot_step_min", "[30,15]");
    json_decref(au);

    /* The bounds and every allowed step; the old path writes the same settings. */
    static const int steps[] = {5, 10, 15, 20, 30, 60};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        s = call("PATCH", i % 2 ? "/api/v1/settings" : "/api/v1/store/settings", tok(U_ADMIN),
                 fmt("{\"slot_step_min\":%d,\"float_min\":%d}", steps[i], i % 2 ? 240 : 0), 200);
        assert_int_equal(jint(s, "slot_step_min"), steps[i]);
        assert_int_equal(jint(s, "float_min"), i % 2 ? 240 : 0);
        json_decref(s);
    }

    /* Refused: out of range, not a step, not a whole number, other roles; nothing changes. */
    char *before = snapshot("/api/v1/settings", tok(U_MANAGER));
    int64_t head = audit_head();
    static const char *const bad_float[] = {"-1", "241", "\"30\"", "1.5", "true"};
    for (size_t i = 0; i < sizeof bad_float / sizeof bad_float[0]; i++)
        rejected("PATCH", "/api/v1/settings", tok(U_MANAGER),
                 fmt("{\"float_min\":%s}", bad_float[i]), 400, "invalid_field", "float_min");
    static const char *const bad_step[] = {"0",  "1",  "4",   "6",   "7",      "12",  "25",
                                           "45", "61", "120", "-30", "\"30\"", "30.0"};
    for (size_t i = 0; i < sizeof bad_step / sizeof bad_step[0]; i++)
        rejected("PATCH", "/api/v1/settings", tok(U_MANAGER),
                 fmt("{\"float_min\":10,\"slot_step_min\":%s}", bad_step[i]), 400, "invalid_field",
                 "slot_step_min");
    rejected("PATCH", "/api/v1/settings", tok(U_ADVISOR), "{\"float_min\":10}", 403, "forbidden",
             NULL);
    rejected("PATCH", "/api/v1/settings", tok(U_WORKSHOP), "{\"float_min\":10}", 403, "forbidden",
             NULL);
    rejected("PATCH", "/api/v1/settings", tok(U_MANAGER), "{\"float\":10}", 400, "invalid_field",
             "float");
    assert_unchanged("/api/v1/settings", tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);

    /* Per store: S2 kept its defaults. */
    s = call("GET", "/api/v1/settings", tok(U_ADVISOR2), NULL, 200);
    assert_int_equal(jint(s, "float_min"), 30);
    assert_int_equal(jint(s, "slot_step_min"), 30);
    json_decref(s);
    json_decref(call("PATCH", "/api/v1/settings", tok(U_MANAGER),
                     "{\"float_min\":30,\"slot_step_min\":30}", 200));
}

/* ---- dms calendar import ---- */

static void test_calendar_import_the_2026_holidays(void **state)
{
    (void)state;
    const char *src = getenv("DMS_SOURCE_DIR");
    assert_non_null(src);
    char file[1024], out[4096];
    snprintf(file, sizeof file, "%s/data/cn-public-holidays-2026.tsv", src);
    size_t audits = audit_rows("calendar_day");

    int rc = srv_cli(SRV, NULL, out, sizeof out, "calendar", "import", "--store", "S1", file, NULL);
    if (rc != 0 || !strstr(out, "39 days set"))
        fail_msg("first import: exit %d, %s", rc, out);
    rc = srv_cli(SRV, NULL, out, sizeof out, "calendar", "import", "--store", "S1", file, NULL);
    if (rc != 0 || !strstr(out, " 0 days set"))
        fail_msg("second import: exit %d, %s", rc, out);
    assert_int_equal(audit_rows("calendar_day"), audits + 39);

    /* Friday 13th a working day as usual, Saturday 14th a make-up working day, the Spring
     * Festival from Sunday 15th. */
    json_t *c = calendar(tok(U_ADVISOR), "2026-02-13", "2026-02-16");
    assert_int_equal(json_array_size(json_object_get(c, "days")), 4);
    assert_int_equal(json_array_size(json_object_get(c, "exceptions")), 3);
    json_t *d13 = day_of(c, "2026-02-13"), *d14 = day_of(c, "2026-02-14"),
           *d15 = day_of(c, "2026-02-15"), *d16 = day_of(c, "2026-02-16");
    assert_true(json_is_null(json_object_get(d13, "exception")));
    intervals_are(d13, LUNCH_INTERVALS);
    assert_true(json_is_true(json_object_get(d14, "open")));
    assert_string_equal(jstr(d14, "exception"), "open");
    assert_string_equal(jstr(d14, "name"), "春节调休 make-up working day");
    intervals_are(d14, LUNCH_INTERVALS);
    assert_true(json_is_false(json_object_get(d15, "open")));
    assert_string_equal(jstr(d15, "exception"), "closed");
    assert_string_equal(jstr(d15, "name"), "春节 Spring Festival");
    intervals_are(d15, "[]");
    assert_true(json_is_false(json_object_get(d16, "open")));
    intervals_are(d16, "[]");
    json_decref(c);

    /* S2 got none of it. */
    date_is(tok(U_ADVISOR2), "2026-02-16", true, NULL, LUNCH_INTERVALS);
}

static void test_calendar_import_bad_line_changes_nothing(void **state)
{
    (void)state;
    char file[700], out[4096];
    snprintf(file, sizeof file, "%s/bad-holidays.tsv", SRV->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("# two good lines, then a bad one\n"
          "2033-01-03\tclosed\tgood one\n"
          "2033-01-08\topen\tgood two\n"
          "2033-01-10\tshut\tbad kind\n"
          "2033-01-11\tclosed\tnever read\n",
          f);
    fclose(f);
    const char *path = "/api/v1/calendar?from=2033-01-01&to=2033-01-31";
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t head = audit_head();

    int rc = srv_cli(SRV, NULL, out, sizeof out, "calendar", "import", "--store", "S1", file, NULL);
    if (rc == 0)
        fail_msg("a file with a bad line imported: %s", out);
    if (!strstr(out, "line 4"))
        fail_msg("the message does not name line 4: %s", out);
    assert_null(strstr(out, "days set"));

    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);
    date_is(tok(U_ADVISOR), "2033-01-03", true, NULL, LUNCH_INTERVALS);

    /* A bad date fails the same way; a missing file and a missing --store do too. */
    f = fopen(file, "w");
    assert_non_null(f);
    fputs("2033-01-03\tclosed\tgood one\n2033-02-29\tclosed\tno such day\n", f);
    fclose(f);
    assert_int_not_equal(
        srv_cli(SRV, NULL, out, sizeof out, "calendar", "import", "--store", "S1", file, NULL), 0);
    snprintf(file, sizeof file, "%s/no-such-file.tsv", SRV->dir);
    assert_int_not_equal(
        srv_cli(SRV, NULL, out, sizeof out, "calendar", "import", "--store", "S1", file, NULL), 0);
    assert_int_not_equal(srv_cli(SRV, NULL, out, sizeof out, "calendar", "import", file, NULL), 0);
    date_is(tok(U_ADVISOR), "2033-01-03", true, NULL, LUNCH_INTERVALS);
    assert_int_equal(audit_head(), head);
}

/* A store may use any zone of the tz database, however many the stores of a process use
 * (the cache took 32 and then answered UTC+8 for the next ones): with the clock at 10:00 UTC
 * on 7 December, each store's "today" is its zone's. */
static void test_calendar_many_zones_each_its_own_day(void **state)
{
    (void)state;
    struct test_store s;
    store_new(&s);
    static const struct {
        const char *zone;
        const char *today;
    } zones[] = {
        {"Etc/GMT-1", "2026-12-07"},      {"Etc/GMT-2", "2026-12-07"},
        {"Etc/GMT-3", "2026-12-07"},      {"Etc/GMT-4", "2026-12-07"},
        {"Etc/GMT-5", "2026-12-07"},      {"Etc/GMT-6", "2026-12-07"},
        {"Etc/GMT-7", "2026-12-07"},      {"Etc/GMT-9", "2026-12-07"},
        {"Etc/GMT-10", "2026-12-07"},     {"Etc/GMT-11", "2026-12-07"},
        {"Etc/GMT-12", "2026-12-07"},     {"Etc/GMT-13", "2026-12-07"},
        {"Etc/GMT+1", "2026-12-07"},      {"Etc/GMT+2", "2026-12-07"},
        {"Etc/GMT+3", "2026-12-07"},      {"Etc/GMT+4", "2026-12-07"},
        {"Etc/GMT+5", "2026-12-07"},      {"Etc/GMT+6", "2026-12-07"},
        {"Etc/GMT+7", "2026-12-07"},      {"Etc/GMT+8", "2026-12-07"},
        {"Etc/GMT+9", "2026-12-07"},      {"Etc/GMT+10", "2026-12-07"},
        {"Asia/Kolkata", "2026-12-07"},   {"Asia/Kathmandu", "2026-12-07"},
        {"Asia/Tokyo", "2026-12-07"},     {"Asia/Dubai", "2026-12-07"},
        {"Asia/Karachi", "2026-12-07"},   {"Asia/Dhaka", "2026-12-07"},
        {"Asia/Bangkok", "2026-12-07"},   {"Asia/Seoul", "2026-12-07"},
        {"Asia/Singapore", "2026-12-07"}, {"Africa/Nairobi", "2026-12-07"},
        {"Africa/Lagos", "2026-12-07"},   {"America/Bogota", "2026-12-07"},
        {"America/Lima", "2026-12-07"},   {"Pacific/Honolulu", "2026-12-07"},
        {"Asia/Riyadh", "2026-12-07"},    {"Asia/Tashkent", "2026-12-07"},
        {"Etc/GMT-14", "2026-12-08"},     {"Etc/GMT+11", "2026-12-06"},
        {"Etc/GMT+12", "2026-12-06"},     {"Pacific/Kiritimati", "2026-12-08"},
    };
    srv_clock_set(SRV, 1796637600); /* 2026-12-07T10:00:00Z */
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        json_decref(
            call("PUT", CALENDAR, s.manager, fmt("{\"timezone\":\"%s\"}", zones[i].zone), 200));
        json_t *j = call("GET", "/api/v1/store", s.manager, NULL, 200);
        if (strcmp(jstr(j, "today"), zones[i].today) != 0)
            print_error("%s: today %s, expected %s\n", zones[i].zone, jstr(j, "today"),
                        zones[i].today);
        assert_string_equal(jstr(j, "timezone"), zones[i].zone);
        assert_string_equal(jstr(j, "today"), zones[i].today);
        json_decref(j);
    }
    srv_clock_set(SRV, 0);
}

/* Issue 14's settings (CS-6, CS-1, CRM-2, CS-9): the defaults, an edit with its audit row, the
 * follow-up questions as a list, and the refusals that change nothing. */
static void test_settings_customer_care(void **state)
{
    (void)state;
    json_t *s = call("GET", "/api/v1/settings", tok(U_CALLER), NULL, 200);
    assert_int_equal(jint(s, "complaint_ack_hours"), 24);
    assert_int_equal(jint(s, "complaint_resolve_days"), 7);
    assert_int_equal(jint(s, "class_vip_spend_fen"), 1000000);
    assert_int_equal(jint(s, "class_vip_visits"), 4);
    assert_int_equal(jint(s, "class_at_risk_days"), 30);
    assert_int_equal(jint(s, "class_lost_months"), 12);
    assert_int_equal(jint(s, "call_spacing_days"), 7);
    json_is_text(json_object_get(s, "followup_questions"), "followup_questions",
                 "[\"一次修好\",\"按时交车\",\"费用解释清楚\",\"愿意推荐\"]");
    json_decref(s);

    size_t audits = audit_rows("store_settings");
    s = call("PATCH", "/api/v1/settings", tok(U_MANAGER),
             "{\"complaint_ack_hours\":4,\"complaint_resolve_days\":3,"
             "\"class_vip_spend_fen\":20000000000,\"call_spacing_days\":0,"
             "\"followup_questions\":[\" 一次修好 \",\"Ready when promised\"]}",
             200);
    assert_int_equal(jint(s, "complaint_ack_hours"), 4);
    assert_int_equal(jint(s, "complaint_resolve_days"), 3);
    assert_int_equal(jint(s, "class_vip_spend_fen"), 20000000000LL);
    assert_int_equal(jint(s, "call_spacing_days"), 0);
    json_is_text(json_object_get(s, "followup_questions"), "followup_questions",
                 "[\"一次修好\",\"Ready when promised\"]");
    json_decref(s);
    assert_int_equal(audit_rows("store_settings"), audits + 1);
    json_t *au;
    json_t *ch = json_object_get(newest_audit("store_settings", &au), "changes");
    json_is_text(json_object_get(ch, "complaint_ack_hours"), "complaint_ack_hours", "[24,4]");
    json_is_text(json_object_get(ch, "call_spacing_days"), "call_spacing_days", "[7,0]");
    json_decref(au);

    char *before = snapshot("/api/v1/settings", tok(U_MANAGER));
    int64_t head = audit_head();
    static const char *const bad[][2] = {
        {"{\"complaint_ack_hours\":0}", "complaint_ack_hours"},
        {"{\"complaint_ack_hours\":169}", "complaint_ack_hours"},
        {"{\"complaint_resolve_days\":91}", "complaint_resolve_days"},
        {"{\"class_vip_spend_fen\":-1}", "class_vip_spend_fen"},
        {"{\"class_vip_spend_fen\":100000000001}", "class_vip_spend_fen"},
        {"{\"class_vip_visits\":0}", "class_vip_visits"},
        {"{\"class_at_risk_days\":366}", "class_at_risk_days"},
        {"{\"class_lost_months\":\"6\"}", "class_lost_months"},
        {"{\"call_spacing_days\":61}", "call_spacing_days"},
        {"{\"followup_questions\":\"一次修好\"}", "followup_questions"},
        {"{\"followup_questions\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}",
         "followup_questions"},
        {"{\"followup_questions\":[\"   \"]}", "followup_questions"},
        {"{\"followup_questions\":[\"a\\nb\"]}", "followup_questions"},
        {"{\"followup_questions\":[7]}", "followup_questions"},
        {"{\"followup_questions\":["
         "\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"]}",
         "followup_questions"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("PATCH", "/api/v1/settings", tok(U_MANAGER), bad[i][0], 400, "invalid_field",
                 bad[i][1]);
    rejected("PATCH", "/api/v1/settings", tok(U_ADVISOR), "{\"call_spacing_days\":3}", 403,
             "forbidden", NULL);
    assert_unchanged("/api/v1/settings", tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);

    /* Per store: S2 kept its defaults; S1 back to them. */
    s = call("GET", "/api/v1/settings", tok(U_ADVISOR2), NULL, 200);
    assert_int_equal(jint(s, "complaint_ack_hours"), 24);
    json_decref(s);
    json_decref(
        call("PATCH", "/api/v1/settings", tok(U_MANAGER),
             "{\"complaint_ack_hours\":24,\"complaint_resolve_days\":7,"
             "\"class_vip_spend_fen\":1000000,\"call_spacing_days\":7,"
             "\"followup_questions\":[\"一次修好\",\"按时交车\",\"费用解释清楚\",\"愿意推荐\"]}",
             200));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First, while nothing is set. */
        cmocka_unit_test(test_calendar_get_defaults_to_a_fortnight_of_the_default_week),
        cmocka_unit_test(test_calendar_get_range_checks),
        cmocka_unit_test(test_calendar_put_then_get),
        cmocka_unit_test(test_calendar_put_boundaries),
        cmocka_unit_test(test_calendar_put_timezone),
        cmocka_unit_test(test_calendar_many_zones_each_its_own_day),
        cmocka_unit_test(test_calendar_put_refused_changes_nothing),
        cmocka_unit_test(test_calendar_old_paths_are_gone),
        cmocka_unit_test(test_calendar_exceptions_create_replace_delete),
        cmocka_unit_test(test_calendar_make_up_day_works_mondays_hours),
        cmocka_unit_test(test_calendar_exceptions_refused_change_nothing),
        cmocka_unit_test(test_calendar_is_per_store),
        cmocka_unit_test(test_settings_float_and_slot_step),
        cmocka_unit_test(test_settings_customer_care),
        cmocka_unit_test(test_calendar_import_the_2026_holidays),
        cmocka_unit_test(test_calendar_import_bad_line_changes_nothing),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
