/* IN-21: the 9-point check of booking calls. /api/v1/call-reviews (score a call, list, read,
 * correct, remove) and /api/v1/reports/call-quality (per advisor, per point, the trend).
 * Handlers translate: the rules are in core/call_review.c, the use cases in
 * store/call_reviews.c. The service manager and the administrator (PERM_CALL_REVIEW) score and
 * read every review; an advisor reads only their own; other roles none. */
#include <stdlib.h>
#include <string.h>

#include "core/call_review.h"
#include "core/rates.h"
#include "http/http.h"
#include "store/call_reviews.h"

/* ---- views ---- */

static json_t *view_points(unsigned points)
{
    json_t *o = json_object();
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        json_object_set_new(o, CALL_POINT_NAMES[i], json_boolean((points >> i) & 1u));
    return o;
}

static json_t *view_review(const struct call_review *c)
{
    json_t *v = json_pack(
        "{s:I, s:{s:I, s:s}, s:s, s:o, s:s, s:o, s:i, s:i, s:o, s:o, s:o, s:s, s:s}", "id",
        (json_int_t)c->id, "advisor", "id", (json_int_t)c->advisor_id, "name", c->advisor_name,
        "call_at", c->call_at, "call_local", view_local(c->call_day, c->call_min), "source",
        CALL_REVIEW_SOURCE_NAMES[c->source], "points", view_points(c->points), "score", c->score,
        "max_score", CALL_POINT_COUNT, "note", jstr_or_null(c->note), "appointment_id",
        c->appointment_id ? json_integer(c->appointment_id) : json_null(), "reviewed_by",
        c->reviewed_by
            ? json_pack("{s:I, s:s}", "id", (json_int_t)c->reviewed_by, "name", c->reviewed_by_name)
            : json_null(),
        "created_at", c->created_at, "updated_at", c->updated_at);
    char day[DATE_STR];
    date_format(c->call_day, day);
    json_object_set_new(v, "month", json_stringn(day, 7));
    json_object_set_new(v, "advisor_id", json_integer(c->advisor_id));
    return v;
}

/* ---- reading a review ---- */

/* call_at: a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" like every timestamp of the API, or the
 * store-local "YYYY-MM-DDTHH:MM" the console's time field gives. */
static int body_call_at(struct req *r, bool required, struct call_time *t, bool *given)
{
    const char *s = NULL;
    int rc = jin_string(r->body, "call_at", required, &s, &r->err);
    if (rc < 0)
        return -1;
    *given = rc == JIN_VALUE;
    if (rc == JIN_NULL)
        return req_fail(r, "invalid_field", "call_at", "通话时间不能为空 (call_at cannot be null)");
    if (!*given)
        return 0;
    memset(t, 0, sizeof *t);
    size_t len = strlen(s);
    if (len > 0 && s[len - 1] == 'Z') {
        if (timestamp_parse_utc(s, &t->utc) < 0)
            return req_fail(r, "invalid_date", "call_at",
                            "通话时间格式不对 (call_at is YYYY-MM-DDTHH:MM:SSZ, UTC, or the "
                            "store-local YYYY-MM-DDTHH:MM)");
        return 0;
    }
    t->local = true;
    struct dms_error ignore;
    if (local_time_parse(s, &t->day, &t->min, "call_at", &ignore) < 0)
        return req_fail(r, "invalid_date", "call_at",
                        "通话时间格式不对 (call_at is YYYY-MM-DDTHH:MM:SSZ, UTC, or the "
                        "store-local YYYY-MM-DDTHH:MM)");
    return 0;
}

/* points: an object of the nine points, each true or false; all nine on a new review. */
static int body_points(struct req *r, bool all, unsigned *points, unsigned *given)
{
    /* CALL_POINT_NAMES with its NULL (jin_only). */
    static const char *const keys[CALL_POINT_COUNT + 1] = {"answer_3_rings", "greeting",
                                                           "surname",        "details_confirmed",
                                                           "customer_words", "parts_checked",
                                                           "alternatives",   "window_and_estimate",
                                                           "closing",        NULL};
    *points = 0, *given = 0;
    json_t *p = json_object_get(r->body, "points");
    if (!p && !all)
        return 0;
    if (!p || json_is_null(p))
        return req_fail(r, "missing_field", "points",
                        "请逐项评分 (points: the nine points, each true or false)");
    if (!json_is_object(p))
        return req_fail(r, "invalid_field", "points",
                        "评分项格式不对 (points is an object of the nine points)");
    if (jin_only(p, keys, "points.", &r->err) < 0) {
        char field[64];
        snprintf(field, sizeof field, "%s", r->err.field);
        return req_fail(r, "invalid_field", field,
                        "没有这个评分项 (%s is not one of the nine points)", field);
    }
    for (int i = 0; i < CALL_POINT_COUNT; i++) {
        bool b = false;
        json_t *v = json_object_get(p, CALL_POINT_NAMES[i]);
        char field[64];
        snprintf(field, sizeof field, "points.%s", CALL_POINT_NAMES[i]);
        if (!v || json_is_null(v)) {
            if (all || v)
                return req_fail(r, "missing_field", field,
                                "第 %d 项未评分 (%s: each of the nine points is true or false)",
                                i + 1, field);
            continue;
        }
        if (jin_bool(p, CALL_POINT_NAMES[i], true, &b, &r->err) < 0)
            return req_fail(r, "invalid_field", field,
                            "第 %d 项只能是是或否 (%s must be true or false)", i + 1, field);
        *given |= 1u << i;
        if (b)
            *points |= 1u << i;
    }
    return 0;
}

static int body_review(struct req *r, bool create, struct call_review_in *in, char *note,
                       size_t cap)
{
    static const char *const fields[] = {"advisor_id", "call_at",        "points", "note",
                                         "source",     "appointment_id", NULL};
    memset(in, 0, sizeof *in);
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    int rc = jin_int(r->body, "advisor_id", create, 1, INT64_MAX, &in->advisor_id, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_NULL)
        return req_fail(r, "invalid_field", "advisor_id",
                        "请选择业务接待 (advisor_id cannot be null)");
    in->has_advisor = rc == JIN_VALUE;
    if (body_call_at(r, create, &in->call, &in->has_call) < 0)
        return -1;
    int source = CALL_REVIEW_MANAGER;
    rc = jin_enum(r->body, "source", false, CALL_REVIEW_SOURCE_NAMES, CALL_REVIEW_SOURCE_COUNT,
                  &source, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_NULL)
        return req_fail(r, "invalid_field", "source",
                        "评分来源不能为空 (source is manager or mystery_shopper)");
    in->source = (enum call_review_source)source;
    in->has_source = rc == JIN_VALUE;
    rc = jin_int(r->body, "appointment_id", false, 1, INT64_MAX, &in->appointment_id, &r->err);
    if (rc < 0)
        return -1;
    in->has_appointment = rc != JIN_ABSENT; /* null unlinks */
    rc = jin_text(r->body, "note", false, CALL_REVIEW_NOTE_CHARS, true, note, cap, &r->err);
    if (rc < 0)
        return -1;
    in->note = rc == JIN_ABSENT ? NULL : rc == JIN_NULL ? "" : note;
    return body_points(r, create, &in->points, &in->points_given);
}

/* ---- who reads what ---- */

static bool reads_all(const struct req *r)
{
    return role_can(r->actor.role, PERM_CALL_REVIEW);
}

/* An advisor reads their own reviews; other roles without PERM_CALL_REVIEW none. */
static int may_read(struct req *r)
{
    if (reads_all(r) || r->actor.role == ROLE_ADVISOR)
        return 0;
    return req_fail(r, "forbidden", NULL,
                    "无权查看通话评分 (your role (%s) may not read call reviews)",
                    role_name(r->actor.role));
}

/* ---- handlers ---- */

int h_call_reviews_create(struct req *r)
{
    struct call_review_in in;
    char note[CALL_REVIEW_NOTE_CHARS * 4 + 1] = "";
    struct call_review *c = calloc(1, sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = -1;
    if (body_review(r, true, &in, note, sizeof note) < 0 ||
        call_reviews_create(r->db, &r->actor, &in, c, &r->err) < 0)
        goto out;
    rc = reply(r, 201, view_review(c));
out:
    free(c);
    return rc;
}

int h_call_reviews_list(struct req *r)
{
    if (may_read(r) < 0)
        return -1;
    struct call_review_filter f = {0};
    int limit;
    int64_t cursor;
    if (req_query_id(r, "advisor_id", &f.advisor_id) < 0 || req_page(r, &limit, &cursor) < 0)
        return -1;
    const char *m = req_query(r, "month");
    if (m && date_parse_month(m, &f.from, &f.to, "month", &r->err) < 0)
        return -1;
    if (!reads_all(r)) {
        /* An advisor's list is their own, whatever the filter says. */
        if (f.advisor_id && f.advisor_id != r->actor.user_id)
            return req_fail(r, "forbidden", "advisor_id",
                            "只能查看自己的通话评分 (an advisor reads only their own reviews)");
        f.advisor_id = r->actor.user_id;
    }
    struct call_review *items;
    size_t n;
    bool more;
    if (call_reviews_list(r->db, &r->actor, &f, cursor, limit, &items, &n, &more, &r->err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, view_review(&items[i]));
    int64_t last = n ? items[n - 1].id : 0;
    free(items);
    return reply_page(r, a, more, last);
}

int h_call_reviews_get(struct req *r)
{
    if (may_read(r) < 0)
        return -1;
    struct call_review *c = calloc(1, sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = -1;
    if (call_reviews_get(r->db, &r->actor, r->ids[0], c, &r->err) < 0)
        goto out;
    /* Another advisor's review is as good as none. */
    if (!reads_all(r) && c->advisor_id != r->actor.user_id) {
        req_fail(r, "not_found", NULL, "没有这条通话评分 (no call review %lld)",
                 (long long)r->ids[0]);
        goto out;
    }
    rc = reply(r, 200, view_review(c));
out:
    free(c);
    return rc;
}

int h_call_reviews_update(struct req *r)
{
    struct call_review_in in;
    char note[CALL_REVIEW_NOTE_CHARS * 4 + 1] = "";
    struct call_review *c = calloc(1, sizeof *c);
    if (!c)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = -1;
    if (body_review(r, false, &in, note, sizeof note) < 0 ||
        call_reviews_update(r->db, &r->actor, r->ids[0], &in, c, &r->err) < 0)
        goto out;
    rc = reply(r, 200, view_review(c));
out:
    free(c);
    return rc;
}

int h_call_reviews_delete(struct req *r)
{
    if (call_reviews_delete(r->db, &r->actor, r->ids[0], &r->err) < 0)
        return -1;
    return reply(r, 204, NULL);
}

/* ---- the call-quality report ---- */

static json_t *view_rate2(struct rate rt, int decimals)
{
    return rt.known ? json_real(rate_value(rt, decimals)) : json_null();
}

/* The figures of a set of reviews: counts, the average score (two decimals, cut), the full
 * scores, and each point's pass rate (four decimals, cut; null without reviews). */
static json_t *view_quality(const struct call_quality *q)
{
    json_t *rates = json_object();
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        json_object_set_new(rates, CALL_POINT_NAMES[i],
                            view_rate2(call_quality_pass_rate(q, (enum call_point)i), 4));
    return json_pack("{s:I, s:o, s:I, s:o}", "reviews", (json_int_t)q->reviews, "average_score",
                     view_rate2(call_quality_average(q), 2), "full_score", (json_int_t)q->full,
                     "pass_rates", rates);
}

static json_t *month_name(dms_day first)
{
    char d[DATE_STR];
    date_format(first, d);
    return json_stringn(d, 7);
}

int h_reports_call_quality(struct req *r)
{
    const char *m = req_query(r, "month");
    if (!m)
        return req_fail(r, "missing_field", "month", "请选择月份 (give month=YYYY-MM)");
    dms_day first, last;
    if (date_parse_month(m, &first, &last, "month", &r->err) < 0)
        return -1;
    struct call_quality_report rep;
    if (call_reviews_report(r->db, &r->actor, first, &rep, &r->err) < 0)
        return -1;
    enum { N = CALL_REVIEW_TREND_MONTHS };
    json_t *points = json_array();
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        json_array_append_new(points, json_string(CALL_POINT_NAMES[i]));
    json_t *advisors = json_array();
    for (size_t i = 0; i < rep.n_advisors; i++) {
        const struct call_quality_advisor *a = &rep.advisors[i];
        json_t *v = view_quality(&a->month);
        json_object_set_new(v, "advisor_id", json_integer(a->advisor_id));
        json_object_set_new(v, "name", json_string(a->name));
        json_object_set_new(v, "disabled", json_boolean(a->disabled));
        json_t *trend = json_array();
        for (int k = 0; k < N; k++) {
            json_t *t = view_quality(&a->trend[k]);
            json_object_set_new(t, "month", month_name(rep.first[k]));
            json_array_append_new(trend, t);
        }
        json_object_set_new(v, "trend", trend);
        json_array_append_new(advisors, v);
    }
    json_t *trend = json_array();
    for (int k = 0; k < N; k++) {
        json_t *t = view_quality(&rep.store[k]);
        json_object_set_new(t, "month", month_name(rep.first[k]));
        json_array_append_new(trend, t);
    }
    char f[DATE_STR], t[DATE_STR];
    date_format(first, f);
    date_format(last, t);
    json_t *o = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "month", month_name(first), "from",
                          f, "to", t, "points", points, "store", view_quality(&rep.store[N - 1]),
                          "advisors", advisors, "trend", trend);
    call_quality_report_clear(&rep);
    return reply(r, 200, o);
}
