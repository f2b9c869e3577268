/* The store calendar over HTTP (IN-6, IN-13): GET /api/v1/calendar with its defaults and
 * range checks, PUT /api/v1/calendar/hours (rights, bad weeks that change nothing), POST
 * /api/v1/calendar/days (closed, open, normal; `changed` only when it moved), their audit
 * rows, store isolation, and `dms calendar import` with the shipped 2026 holiday file. Dated
 * exceptions set here lie in 2030-2033, away from today's fortnight and from 2026's file. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

/* ---- helpers ---- */

#define DEFAULT_DAY                                                                                \
    "\"open\":true,\"opens\":\"08:30\",\"closes\":\"17:30\",\"break_from\":\"12:00\","             \
    "\"break_until\":\"13:00\""

/* {"hours":[...]} for the 7 weekdays, day[i] the fields after "weekday" of Monday + i. */
static const char *week_body(const char *const day[7])
{
    char buf[2048];
    size_t used = (size_t)snprintf(buf, sizeof buf, "{\"hours\":[");
    for (int i = 0; i < 7; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s{\"weekday\":%d,%s}",
                                 i ? "," : "", i + 1, day[i]);
    snprintf(buf + used, sizeof buf - used, "]}");
    return keep(buf);
}

static const char *default_week_body(void)
{
    const char *const d[7] = {DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY,
                              DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY};
    return week_body(d);
}

/* GET /calendar over [from, to] as token (caller json_decref()s). */
static json_t *calendar(const char *token, const char *from, const char *to)
{
    return call("GET", fmt("/api/v1/calendar?from=%s&to=%s", from, to), token, NULL, 200);
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

/* Asserts a day's intervals as compact JSON, e.g. [["08:30","12:00"],["13:00","17:30"]]. */
static void intervals_are(json_t *day, const char *want)
{
    char *got = json_dumps(json_object_get(day, "intervals"), JSON_COMPACT);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("%s: intervals %s, want %s", jstr(day, "date"), got, want);
    free(got);
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

/* POST /calendar/days as token; asserts 200 and `changed`. */
static void set_day(const char *token, const char *date, const char *kind, const char *name,
                    bool changed)
{
    char extra[160] = "";
    if (name)
        snprintf(extra, sizeof extra, ",\"name\":\"%s\"", name);
    json_t *j = call("POST", "/api/v1/calendar/days", token,
                     fmt("{\"date\":\"%s\",\"kind\":\"%s\"%s}", date, kind, extra), 200);
    assert_string_equal(jstr(j, "date"), date);
    assert_string_equal(jstr(j, "kind"), kind);
    if (json_is_true(json_object_get(j, "changed")) != changed)
        fail_msg("%s %s: changed should be %s", date, kind, changed ? "true" : "false");
    json_decref(j);
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

#define LUNCH_INTERVALS "[[\"08:30\",\"12:00\"],[\"13:00\",\"17:30\"]]"

/* ---- GET ---- */

static void test_calendar_get_defaults_to_a_fortnight_of_the_default_week(void **state)
{
    (void)state;
    json_t *c = call("GET", "/api/v1/calendar", tok(U_CALLER), NULL, 200);
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
    json_t *hours = json_object_get(c, "hours");
    assert_int_equal(json_array_size(hours), 7);
    json_array_foreach(hours, i, d)
    {
        assert_int_equal(jint(d, "weekday"), (int64_t)i + 1);
        assert_true(json_is_true(json_object_get(d, "open")));
        assert_string_equal(jstr(d, "opens"), "08:30");
        assert_string_equal(jstr(d, "closes"), "17:30");
        assert_string_equal(jstr(d, "break_from"), "12:00");
        assert_string_equal(jstr(d, "break_until"), "13:00");
    }
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

/* ---- PUT /calendar/hours ---- */

static void test_calendar_hours_put_then_get(void **state)
{
    (void)state;
    size_t audits = audit_rows("store_hours");
    const char *const d[7] = {
        "\"open\":true,\"opens\":\"09:00\",\"closes\":\"18:00\",\"break_from\":\"12:00\","
        "\"break_until\":\"13:30\"",
        DEFAULT_DAY,
        DEFAULT_DAY,
        DEFAULT_DAY,
        DEFAULT_DAY,
        "\"open\":true,\"opens\":\"09:00\",\"closes\":\"12:00\"",
        "\"open\":false"};
    json_t *j = call("PUT", "/api/v1/calendar/hours", tok(U_MANAGER), week_body(d), 200);
    json_t *mon = json_array_get(json_object_get(j, "hours"), 0);
    assert_string_equal(jstr(mon, "opens"), "09:00");
    assert_string_equal(jstr(mon, "break_until"), "13:30");
    json_decref(j);

    /* 2030-03-04 is a Monday: Monday, Saturday, Sunday of that week. */
    assert_int_equal(date_weekday(date_from_ymd(2030, 3, 4)), 0);
    json_t *c = calendar(tok(U_ADVISOR), "2030-03-04", "2030-03-10");
    json_t *hours = json_object_get(c, "hours");
    mon = json_array_get(hours, 0);
    assert_string_equal(jstr(mon, "opens"), "09:00");
    assert_string_equal(jstr(mon, "closes"), "18:00");
    assert_string_equal(jstr(mon, "break_from"), "12:00");
    assert_string_equal(jstr(mon, "break_until"), "13:30");
    json_t *sat = json_array_get(hours, 5), *sun = json_array_get(hours, 6);
    assert_int_equal(jint(sat, "weekday"), 6);
    assert_true(json_is_null(json_object_get(sat, "break_from")));
    assert_int_equal(jint(sun, "weekday"), 7);
    assert_true(json_is_false(json_object_get(sun, "open")));
    assert_true(json_is_null(json_object_get(sun, "opens")));
    intervals_are(day_of(c, "2030-03-04"), "[[\"09:00\",\"12:00\"],[\"13:30\",\"18:00\"]]");
    intervals_are(day_of(c, "2030-03-05"), LUNCH_INTERVALS);
    intervals_are(day_of(c, "2030-03-09"), "[[\"09:00\",\"12:00\"]]");
    intervals_are(day_of(c, "2030-03-10"), "[]");
    assert_true(json_is_false(json_object_get(day_of(c, "2030-03-10"), "open")));
    json_decref(c);

    /* IN-13: a make-up working day on the closed Sunday works the first open weekday's
     * (Monday's) hours. */
    set_day(tok(U_MANAGER), "2030-03-10", "open", "调休", true);
    date_is(tok(U_ADVISOR), "2030-03-10", true, "open",
            "[[\"09:00\",\"12:00\"],[\"13:30\",\"18:00\"]]");
    /* On the open Saturday it keeps Saturday's own. */
    set_day(tok(U_MANAGER), "2030-03-09", "open", "调休", true);
    date_is(tok(U_ADVISOR), "2030-03-09", true, "open", "[[\"09:00\",\"12:00\"]]");
    set_day(tok(U_MANAGER), "2030-03-09", "normal", NULL, true);
    set_day(tok(U_MANAGER), "2030-03-10", "normal", NULL, true);

    /* Audited, with the day's hours before and after. */
    assert_int_equal(audit_rows("store_hours"), audits + 1);
    json_t *a = call("GET", "/api/v1/audit?entity=store_hours&limit=1", tok(U_MANAGER), NULL, 200);
    json_t *e = json_array_get(json_object_get(a, "items"), 0);
    assert_string_equal(jstr(e, "entity"), "store_hours");
    json_t *ch = json_object_get(json_object_get(e, "changes"), "sun");
    assert_string_equal(json_string_value(json_array_get(ch, 0)), "08:30-17:30 break 12:00-13:00");
    assert_string_equal(json_string_value(json_array_get(ch, 1)), "closed");
    assert_non_null(json_object_get(json_object_get(e, "changes"), "mon"));
    assert_null(json_object_get(json_object_get(e, "changes"), "tue"));
    json_decref(a);

    /* The admin may too: back to the default week. */
    json_decref(call("PUT", "/api/v1/calendar/hours", tok(U_ADMIN), default_week_body(), 200));
    date_is(tok(U_ADVISOR), "2030-03-10", true, NULL, LUNCH_INTERVALS);
}

static void test_calendar_hours_put_refused_changes_nothing(void **state)
{
    (void)state;
    const char *path = "/api/v1/calendar?from=2030-03-04&to=2030-03-10";
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t head = audit_head();
    const char *hours = "/api/v1/calendar/hours";

    /* Rights: the call centre and the advisor read the calendar but do not set it. */
    rejected("PUT", hours, tok(U_CALLER), default_week_body(), 403, "forbidden", NULL);
    rejected("PUT", hours, tok(U_ADVISOR), default_week_body(), 403, "forbidden", NULL);

    /* Six weekdays. */
    char six[2048];
    snprintf(six, sizeof six, "%s", default_week_body());
    char *last = strstr(six, ",{\"weekday\":7,");
    assert_non_null(last);
    snprintf(last, sizeof six - (size_t)(last - six), "]}");
    rejected("PUT", hours, tok(U_MANAGER), six, 400, "invalid_field", "hours");
    rejected("PUT", hours, tok(U_MANAGER), "{\"hours\":[]}", 400, "invalid_field", "hours");
    rejected("PUT", hours, tok(U_MANAGER), "{}", 400, "invalid_field", "hours");

    /* Monday twice, no Sunday. */
    char twice[2048];
    snprintf(twice, sizeof twice, "%s", default_week_body());
    char *w7 = strstr(twice, "\"weekday\":7");
    assert_non_null(w7);
    w7[10] = '1';
    rejected("PUT", hours, tok(U_MANAGER), twice, 400, "invalid_field", "hours");

    const char *const base[7] = {DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY,
                                 DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY};
    const char *d[7];
#define WITH_MONDAY(fields) (memcpy(d, base, sizeof d), d[0] = (fields), week_body(d))
    /* Opens after closes, and equal. */
    rejected("PUT", hours, tok(U_MANAGER),
             WITH_MONDAY("\"open\":true,\"opens\":\"18:00\",\"closes\":\"09:00\""), 400,
             "invalid_field", "hours[0]");
    rejected("PUT", hours, tok(U_MANAGER),
             WITH_MONDAY("\"open\":true,\"opens\":\"09:00\",\"closes\":\"09:00\""), 400,
             "invalid_field", "hours[0]");
    /* A break with only a start, or only an end. */
    rejected("PUT", hours, tok(U_MANAGER),
             WITH_MONDAY(
                 "\"open\":true,\"opens\":\"08:30\",\"closes\":\"17:30\",\"break_from\":\"12:00\""),
             400, "invalid_field", NULL);
    rejected(
        "PUT", hours, tok(U_MANAGER),
        WITH_MONDAY(
            "\"open\":true,\"opens\":\"08:30\",\"closes\":\"17:30\",\"break_until\":\"13:00\""),
        400, "invalid_field", NULL);
    /* A break touching the opening, one outside the hours. */
    rejected("PUT", hours, tok(U_MANAGER),
             WITH_MONDAY("\"open\":true,\"opens\":\"08:30\",\"closes\":\"17:30\",\"break_from\":"
                         "\"08:30\",\"break_until\":\"09:00\""),
             400, "invalid_field", "hours[0]");
    rejected("PUT", hours, tok(U_MANAGER),
             WITH_MONDAY("\"open\":true,\"opens\":\"08:30\",\"closes\":\"17:30\",\"break_from\":"
                         "\"17:00\",\"break_until\":\"18:00\""),
             400, "invalid_field", "hours[0]");
    /* An open day without hours; a time that is not HH:MM; no "open". */
    rejected("PUT", hours, tok(U_MANAGER), WITH_MONDAY("\"open\":true"), 400, "missing_field",
             "hours[0].opens");
    rejected("PUT", hours, tok(U_MANAGER),
             WITH_MONDAY("\"open\":true,\"opens\":\"8:30\",\"closes\":\"17:30\""), 400,
             "invalid_field", "hours[0].opens");
    rejected("PUT", hours, tok(U_MANAGER), WITH_MONDAY("\"opens\":\"08:30\",\"closes\":\"17:30\""),
             400, "missing_field", "hours[0].open");
    /* Unknown fields, at the top and in a day. */
    char zone[2048];
    snprintf(zone, sizeof zone, "{\"zone\":\"Asia/Shanghai\",%s", default_week_body() + 1);
    rejected("PUT", hours, tok(U_MANAGER), zone, 400, "invalid_field", "zone");
    rejected("PUT", hours, tok(U_MANAGER), WITH_MONDAY(DEFAULT_DAY ",\"lunch\":60"), 400,
             "invalid_field", NULL);
#undef WITH_MONDAY
    /* Weekday out of range. */
    char eighth[2048];
    snprintf(eighth, sizeof eighth, "%s", default_week_body());
    w7 = strstr(eighth, "\"weekday\":7");
    assert_non_null(w7);
    w7[10] = '8';
    rejected("PUT", hours, tok(U_MANAGER), eighth, 400, "invalid_field", "hours[6].weekday");

    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);
}

/* The field of an unknown key inside a weekday names it once: "hours[0].lunch". */
static void test_calendar_hours_put_unknown_day_field_is_named(void **state)
{
    (void)state;
    const char *path = "/api/v1/calendar?from=2030-03-04&to=2030-03-10";
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t head = audit_head();
    const char *const d[7] = {DEFAULT_DAY ",\"lunch\":60",
                              DEFAULT_DAY,
                              DEFAULT_DAY,
                              DEFAULT_DAY,
                              DEFAULT_DAY,
                              DEFAULT_DAY,
                              DEFAULT_DAY};
    rejected("PUT", "/api/v1/calendar/hours", tok(U_MANAGER), week_body(d), 400, "invalid_field",
             "hours[0].lunch");
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);
}

/* ---- POST /calendar/days ---- */

static void test_calendar_days_closed_open_normal(void **state)
{
    (void)state;
    size_t audits = audit_rows("calendar_day");
    const char *hol = "2031-05-01", *workday = "2031-04-27"; /* a Thursday, a Sunday */

    set_day(tok(U_MANAGER), hol, "closed", "劳动节", true);
    set_day(tok(U_MANAGER), hol, "closed", "劳动节", false);
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
    set_day(tok(U_MANAGER), hol, "closed", "国际劳动节", true);
    assert_int_equal(audit_rows("calendar_day"), audits + 2);

    /* A make-up working day on a Sunday (open under the default week: its own hours). */
    set_day(tok(U_ADMIN), workday, "open", "调休", true);
    set_day(tok(U_ADMIN), workday, "open", "调休", false);
    date_is(tok(U_ADVISOR), workday, true, "open", LUNCH_INTERVALS);

    /* normal removes the exception, once. */
    set_day(tok(U_MANAGER), hol, "normal", NULL, true);
    set_day(tok(U_MANAGER), hol, "normal", NULL, false);
    date_is(tok(U_ADVISOR), hol, true, NULL, LUNCH_INTERVALS);
    assert_int_equal(audit_rows("calendar_day"), audits + 4);

    /* The newest audit row is the removal. */
    json_t *a = call("GET", "/api/v1/audit?entity=calendar_day&limit=1", tok(U_MANAGER), NULL, 200);
    json_t *e = json_array_get(json_object_get(a, "items"), 0);
    assert_string_equal(jstr(e, "entity"), "calendar_day");
    json_t *ch = json_object_get(e, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "date"), 1)), hol);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "kind"), 0)),
                        "closed");
    json_decref(a);
}

static void test_calendar_days_refused_changes_nothing(void **state)
{
    (void)state;
    const char *path = "/api/v1/calendar?from=2031-06-01&to=2031-06-30";
    const char *days = "/api/v1/calendar/days";
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t head = audit_head();
    rejected("POST", days, tok(U_CALLER), "{\"date\":\"2031-06-02\",\"kind\":\"closed\"}", 403,
             "forbidden", NULL);
    rejected("POST", days, tok(U_ADVISOR), "{\"date\":\"2031-06-02\",\"kind\":\"closed\"}", 403,
             "forbidden", NULL);
    rejected("POST", days, tok(U_MANAGER), "{\"date\":\"2031-06-31\",\"kind\":\"closed\"}", 422,
             "invalid_date", "date");
    rejected("POST", days, tok(U_MANAGER), "{\"date\":\"2031-06-02\",\"kind\":\"holiday\"}", 400,
             "invalid_field", "kind");
    rejected("POST", days, tok(U_MANAGER), "{\"kind\":\"closed\"}", 400, "missing_field", "date");
    rejected("POST", days, tok(U_MANAGER), "{\"date\":\"2031-06-02\"}", 400, "missing_field",
             "kind");
    rejected("POST", days, tok(U_MANAGER),
             "{\"date\":\"2031-06-02\",\"kind\":\"closed\",\"note\":\"x\"}", 400, "invalid_field",
             "note");
    char name[80];
    memset(name, 'a', 65);
    name[65] = '\0';
    rejected("POST", days, tok(U_MANAGER),
             fmt("{\"date\":\"2031-06-02\",\"kind\":\"closed\",\"name\":\"%s\"}", name), 400,
             "invalid_field", "name");
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), head);
}

/* ---- isolation ---- */

static void test_calendar_is_per_store(void **state)
{
    (void)state;
    const char *date = "2032-10-01";
    char *s1 = snapshot("/api/v1/calendar?from=2032-09-28&to=2032-10-07", tok(U_ADVISOR));
    int64_t head = audit_head();

    set_day(tok(U_ADMIN2), date, "closed", "国庆节", true);
    date_is(tok(U_ADVISOR2), date, false, "closed", "[]");
    const char *const d[7] = {"\"open\":false", DEFAULT_DAY, DEFAULT_DAY, DEFAULT_DAY,
                              DEFAULT_DAY,      DEFAULT_DAY, DEFAULT_DAY};
    json_decref(call("PUT", "/api/v1/calendar/hours", tok(U_ADMIN2), week_body(d), 200));
    json_t *c = calendar(tok(U_ADVISOR2), "2032-10-04", "2032-10-04"); /* a Monday */
    assert_true(json_is_false(json_object_get(day_of(c, "2032-10-04"), "open")));
    json_decref(c);

    /* S1 sees none of it, and its audit log has nothing new. */
    date_is(tok(U_ADVISOR), date, true, NULL, LUNCH_INTERVALS);
    assert_unchanged("/api/v1/calendar?from=2032-09-28&to=2032-10-07", tok(U_ADVISOR), s1);
    assert_int_equal(audit_head(), head);
    /* S1's manager setting the same date is a change of S1's own. */
    set_day(tok(U_MANAGER), date, "closed", "国庆节", true);
    set_day(tok(U_MANAGER), date, "normal", NULL, true);
    /* S2's exception is still there; S2 back to the default week. */
    date_is(tok(U_ADVISOR2), date, false, "closed", "[]");
    json_decref(call("PUT", "/api/v1/calendar/hours", tok(U_ADMIN2), default_week_body(), 200));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First, while nothing is set. */
        cmocka_unit_test(test_calendar_get_defaults_to_a_fortnight_of_the_default_week),
        cmocka_unit_test(test_calendar_get_range_checks),
        cmocka_unit_test(test_calendar_hours_put_then_get),
        cmocka_unit_test(test_calendar_hours_put_refused_changes_nothing),
        cmocka_unit_test(test_calendar_hours_put_unknown_day_field_is_named),
        cmocka_unit_test(test_calendar_days_closed_open_normal),
        cmocka_unit_test(test_calendar_days_refused_changes_nothing),
        cmocka_unit_test(test_calendar_is_per_store),
        cmocka_unit_test(test_calendar_import_the_2026_holidays),
        cmocka_unit_test(test_calendar_import_bad_line_changes_nothing),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
