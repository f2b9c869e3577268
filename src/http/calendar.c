/* /api/v1/calendar: the store's time zone, opening hours and dated exceptions (IN-6, IN-13),
 * and the open intervals of each day of a period as slots use them. */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/outbox.h"
#include "core/text.h"
#include "http/http.h"
#include "store/calendar.h"
#include "store/stores.h"

#define CALENDAR_MAX_DAYS 366

/* One weekday's hours as its open intervals: [] closed, [["08:30", "17:30"]] without a
 * break, [["08:30", "12:00"], ["13:00", "17:30"]] with one. */
static json_t *view_intervals(const struct day_hours *d)
{
    int iv[2][2];
    int m = calendar_intervals(d, iv);
    json_t *a = json_array();
    for (int i = 0; i < m; i++) {
        char from[8], until[8];
        hhmm_format(iv[i][0], from), hhmm_format(iv[i][1], until);
        json_array_append_new(a, json_pack("[s, s]", from, until));
    }
    return a;
}

/* {"mon": intervals, ..., "sun": intervals}: what PUT takes. */
static json_t *view_week(const struct week_hours *w)
{
    json_t *o = json_object();
    for (int i = 0; i < 7; i++)
        json_object_set_new(o, CALENDAR_DAY_NAMES[i], view_intervals(&w->day[i]));
    return o;
}

int h_calendar_get(struct req *r)
{
    dms_day from, to;
    if (req_query_date(r, "from", &from) < 0 || req_query_date(r, "to", &to) < 0)
        return -1;
    if (!from)
        from = r->actor.today;
    if (!to)
        to = from + 13;
    if (to < from || to - from >= CALENDAR_MAX_DAYS)
        return req_fail(r, "invalid_field", "to", "to is on or after from, at most %d days on",
                        CALENDAR_MAX_DAYS - 1);
    struct store_info store;
    struct week_hours w;
    struct calendar_day *ex;
    size_t n;
    if (stores_get(r->db, r->actor.store_id, &store, &r->err) < 0 ||
        calendar_week_get(r->db, r->actor.store_id, &w, &r->err) < 0 ||
        calendar_days_list(r->db, r->actor.store_id, from, to, &ex, &n, &r->err) < 0)
        return -1;
    json_t *exceptions = json_array(), *days = json_array();
    size_t k = 0;
    for (dms_day d = from; d <= to; d++) {
        char date[DATE_STR];
        date_format(d, date);
        const struct calendar_day *e = k < n && strcmp(ex[k].date, date) == 0 ? &ex[k++] : NULL;
        struct day_hours h = calendar_hours_on(&w, d, e ? e->kind : CAL_NONE);
        json_array_append_new(
            days, json_pack("{s:s, s:b, s:o, s:o, s:o}", "date", date, "open", h.open, "intervals",
                            view_intervals(&h), "exception",
                            e ? json_string(CALENDAR_EXCEPTION_NAMES[e->kind]) : json_null(),
                            "name", e ? jstr_or_null(e->name) : json_null()));
        if (e)
            json_array_append_new(exceptions, json_pack("{s:s, s:s, s:o}", "date", e->date, "kind",
                                                        CALENDAR_EXCEPTION_NAMES[e->kind], "name",
                                                        jstr_or_null(e->name)));
    }
    free(ex);
    return reply(r, 200,
                 json_pack("{s:s, s:o, s:o, s:o}", "timezone", store.timezone, "hours",
                           view_week(&w), "exceptions", exceptions, "days", days));
}

/* One weekday of the PUT body into d: [] closed; [[open, close]] open without a break;
 * [[open, break_from], [break_until, close]] open with one. Anything else, or times out of
 * order, fail with invalid_field naming the day ("hours.tue"). */
static int parse_day(struct req *r, json_t *v, const char *field, struct day_hours *d)
{
    int t[4];
    size_t n = json_array_size(v); /* 0 for what is not a list */
    bool ok = json_is_array(v) && n <= 2;
    for (size_t i = 0; ok && i < 2 * n; i++) {
        json_t *iv = json_array_get(v, i / 2);
        json_t *hhmm = json_array_size(iv) == 2 ? json_array_get(iv, i % 2) : NULL;
        /* An interval may end at midnight, "24:00". */
        bool midnight =
            i % 2 == 1 && json_is_string(hhmm) && strcmp(json_string_value(hhmm), "24:00") == 0;
        if (midnight)
            t[i] = 1440;
        ok = midnight || (json_is_string(hhmm) &&
                          outbox_parse_hhmm(json_string_value(hhmm), &t[i], field, &r->err) == 0);
    }
    if (!ok)
        return req_fail(r, "invalid_field", field,
                        "%s is [], [[\"HH:MM\", \"HH:MM\"]] or two such intervals", field);
    if (n == 0)
        *d = (struct day_hours){0};
    else if (n == 1)
        *d = (struct day_hours){true, t[0], t[1], 0, 0};
    else
        *d = (struct day_hours){true, t[0], t[3], t[1], t[2]};
    return calendar_check_day(d, field, &r->err);
}

/* The days the body names replace theirs in w; the others keep theirs. */
static int parse_week(struct req *r, json_t *hours, struct week_hours *w)
{
    const char *key;
    json_t *v;
    json_object_foreach(hours, key, v)
    {
        char field[64];
        snprintf(field, sizeof field, "hours.%.40s", key);
        int i = enum_index(CALENDAR_DAY_NAMES, 7, key);
        if (i < 0)
            return req_fail(r, "invalid_field", field, "the days are mon, tue ... sun");
        if (parse_day(r, v, field, &w->day[i]) < 0)
            return -1;
    }
    return 0;
}

/* The body's days over the week as it is (store_edit). */
static int edit_week(void *ctx, void *row, struct dms_error *err)
{
    (void)err; /* parse_week fills the request's */
    struct req *r = ctx;
    return parse_week(r, json_object_get(r->body, "hours"), row);
}

int h_calendar_put(struct req *r)
{
    static const char *const fields[] = {"timezone", "hours", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *zone;
    int has_zone = jin_string(r->body, "timezone", false, &zone, &r->err);
    if (has_zone < 0)
        return -1;
    json_t *hours = json_object_get(r->body, "hours");
    if (hours && !json_is_object(hours))
        return req_fail(r, "invalid_field", "hours",
                        "hours is {\"mon\": [[\"08:30\", \"12:00\"], ...], ..., \"sun\": []}");
    static const char *const keys[] = {"timezone", NULL};
    struct week_hours w;
    if (jin_no_nulls(r, keys) < 0)
        return -1;
    if (has_zone == JIN_VALUE && calendar_timezone_set(r->db, &r->actor, zone, &r->err) < 0)
        return -1;
    if (hours ? calendar_week_update(r->db, &r->actor, edit_week, r, &w, &r->err) < 0
              : calendar_week_get(r->db, r->actor.store_id, &w, &r->err) < 0)
        return -1;
    struct store_info store;
    if (stores_get(r->db, r->actor.store_id, &store, &r->err) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:s, s:o}", "timezone", store.timezone, "hours", view_week(&w)));
}

static json_t *view_exception(const struct calendar_day *d, bool changed)
{
    return json_pack("{s:s, s:s, s:o, s:b}", "date", d->date, "kind",
                     CALENDAR_EXCEPTION_NAMES[d->kind], "name", jstr_or_null(d->name), "changed",
                     changed);
}

int h_calendar_exceptions_create(struct req *r)
{
    static const char *const fields[] = {"date", "kind", "name", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct calendar_day d = {0};
    dms_day day;
    int kind;
    /* CALENDAR_EXCEPTION_NAMES[0] is CAL_NONE: no exception, which DELETE makes. */
    if (jin_date(r->body, "date", true, d.date, &day, &r->err) < 0 ||
        jin_enum(r->body, "kind", true, CALENDAR_EXCEPTION_NAMES + 1, 2, &kind, &r->err) < 0 ||
        jin_text(r->body, "name", false, CALENDAR_NAME_CHARS, false, d.name, sizeof d.name,
                 &r->err) < 0)
        return -1;
    d.kind = (enum calendar_exception)(kind + 1);
    /* 201 for a date that had no exception, 200 for one replaced (or set again). */
    struct calendar_day *had;
    size_t n_had;
    bool changed;
    if (calendar_days_list(r->db, r->actor.store_id, day, day, &had, &n_had, &r->err) < 0)
        return -1;
    free(had);
    if (calendar_day_set(r->db, &r->actor, &d, &changed, &r->err) < 0)
        return -1;
    return reply(r, n_had == 0 ? 201 : 200, view_exception(&d, changed));
}

int h_calendar_exceptions_delete(struct req *r)
{
    struct calendar_day d = {.kind = CAL_NONE};
    dms_day day;
    struct dms_error ignore;
    bool changed = false;
    if (date_parse(r->key, &day, "date", &ignore) == 0) {
        date_format(day, d.date);
        if (calendar_day_set(r->db, &r->actor, &d, &changed, &r->err) < 0)
            return -1;
    }
    if (!changed)
        return req_fail(r, "not_found", NULL, "no exception on %s", r->key);
    return reply(r, 204, NULL);
}
