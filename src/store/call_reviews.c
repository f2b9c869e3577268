/* IN-21: the 9-point check of booking calls. Scoring a call, reading, listing, correcting and
 * removing a review (each audited), and the call-quality report's figures, which
 * core/call_review.c adds up. A review counts on the store-local day of its call (call_day,
 * written with it from the store's time zone), so a month is a range of days. */
#include <stdlib.h>

#include "core/tz.h"
#include "store/call_reviews.h"
#include "store/internal.h"
#include "store/stores.h"
#include "store/zones.h"

#define REVIEW_COLS                                                                                \
    "r.id, r.advisor_id, COALESCE(u.display_name, ''), r.call_at, r.call_day, r.source, "          \
    "r.points, r.score, r.note, r.appointment_id, r.reviewed_by, COALESCE(m.display_name, ''), "   \
    "r.created_at, r.updated_at"
#define REVIEW_FROM                                                                                \
    " FROM call_reviews r LEFT JOIN users u ON u.id = r.advisor_id LEFT JOIN users m ON m.id = "   \
    "r.reviewed_by "

static int review_row(struct db_res *res, void *out)
{
    struct call_review *c = out;
    memset(c, 0, sizeof *c);
    c->id = db_int(res, 0);
    c->advisor_id = db_int(res, 1);
    col_copy(c->advisor_name, sizeof c->advisor_name, res, 2);
    col_copy(c->call_at, sizeof c->call_at, res, 3);
    struct dms_error ignore;
    date_parse(db_text(res, 4), &c->call_day, NULL, &ignore);
    c->source = strcmp(db_text(res, 5), "mystery_shopper") == 0 ? CALL_REVIEW_MYSTERY_SHOPPER
                                                                : CALL_REVIEW_MANAGER;
    c->points = (unsigned)db_int(res, 6) & CALL_POINTS_ALL;
    c->score = (int)db_int(res, 7);
    col_copy(c->note, sizeof c->note, res, 8);
    c->appointment_id = db_int(res, 9);
    c->reviewed_by = db_int(res, 10);
    col_copy(c->reviewed_by_name, sizeof c->reviewed_by_name, res, 11);
    col_copy(c->created_at, sizeof c->created_at, res, 12);
    col_copy(c->updated_at, sizeof c->updated_at, res, 13);
    return 0;
}

static const struct tz *store_zone(struct db *db, const struct actor *a, struct dms_error *err)
{
    struct store_info s;
    if (stores_get(db, a->store_id, &s, err) < 0)
        return NULL;
    return zones_get(s.timezone);
}

/* The store-local minute of each review's call (for its view). */
static void fill_local(const struct tz *zone, struct call_review *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t utc = 0;
        if (timestamp_parse_utc(c[i].call_at, &utc) == 0)
            c[i].call_min = local_minute(tz_to_local(zone, utc));
    }
}

/* The call's UTC instant and store-local day, checked against the clock (IN-21: no call in
 * the future). */
static int resolve_time(const struct tz *zone, const struct actor *a, const struct call_time *t,
                        char at[TIMESTAMP_STR], dms_day *day, struct dms_error *err)
{
    int64_t utc =
        t->local ? tz_to_utc(zone, (int64_t)t->day * 86400 + (int64_t)t->min * 60) : t->utc;
    if (call_review_check_time(utc, a->now, "call_at", err) < 0)
        return -1;
    timestamp_format_utc(utc, at);
    *day = date_of_local_seconds(tz_to_local(zone, utc));
    return 0;
}

/* IN-21: the reviewed advisor is a user of the store with the advisor role. */
static int check_advisor(struct db *db, const struct actor *a, int64_t id, char *name, size_t cap,
                         struct dms_error *err)
{
    struct db_res *res;
    int rc =
        db_query(db, &res, "SELECT role, display_name FROM users WHERE id = ? AND store_id = ?",
                 "ii", id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    bool advisor = rc > 0 && strcmp(db_text(res, 0), "advisor") == 0;
    if (rc > 0)
        snprintf(name, cap, "%s", db_text(res, 1));
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "not_found", "advisor_id",
                        "没有这位业务接待 (no such user in this store: %lld)", (long long)id);
    if (!advisor)
        return dms_fail(err, "not_an_advisor", "advisor_id",
                        "被评人不是业务接待 (the user scored is not an advisor)");
    return 0;
}

static int check_appointment(struct db *db, const struct actor *a, int64_t id,
                             struct dms_error *err)
{
    if (!id)
        return 0;
    int64_t found;
    int rc = db_query_int(db, &found, "SELECT id FROM appointments WHERE id = ? AND store_id = ?",
                          "ii", id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "not_found", "appointment_id",
                        "没有这个预约 (no such appointment: %lld)", (long long)id);
    return 0;
}

/* The review's fields as an audit change set, from before (NULL: a new one) to after (NULL:
 * removed). */
static json_t *changes(const struct call_review *b, const struct call_review *n)
{
    static const struct call_review none = {0};
    const struct call_review *was = b ? b : &none, *now = n ? n : &none;
    json_t *ch = json_object();
    audit_int(ch, "advisor_id", was->advisor_id, now->advisor_id);
    audit_text(ch, "call_at", was->call_at, now->call_at);
    audit_text(ch, "source", b ? CALL_REVIEW_SOURCE_NAMES[was->source] : NULL,
               n ? CALL_REVIEW_SOURCE_NAMES[now->source] : NULL);
    for (int i = 0; i < CALL_POINT_COUNT; i++) {
        char key[40];
        snprintf(key, sizeof key, "points.%s", CALL_POINT_NAMES[i]);
        bool p = (was->points >> i) & 1u, q = (now->points >> i) & 1u;
        if (!b || !n || p != q)
            json_object_set_new(ch, key,
                                json_pack("[o, o]", b ? json_boolean(p) : json_null(),
                                          n ? json_boolean(q) : json_null()));
    }
    audit_int(ch, "score", was->score, now->score);
    audit_text(ch, "note", was->note, now->note);
    audit_int(ch, "appointment_id", was->appointment_id, now->appointment_id);
    return ch;
}

int call_reviews_create(struct db *db, const struct actor *a, const struct call_review_in *in,
                        struct call_review *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    const struct tz *zone = store_zone(db, a, err);
    if (!zone)
        return -1;
    if (check_advisor(db, a, in->advisor_id, out->advisor_name, sizeof out->advisor_name, err) <
            0 ||
        resolve_time(zone, a, &in->call, out->call_at, &out->call_day, err) < 0 ||
        check_appointment(db, a, in->appointment_id, err) < 0)
        return -1;
    out->advisor_id = in->advisor_id;
    out->source = in->source;
    out->points = in->points & CALL_POINTS_ALL;
    out->score = call_review_score(out->points);
    snprintf(out->note, sizeof out->note, "%s", in->note ? in->note : "");
    out->appointment_id = in->appointment_id;
    out->reviewed_by = a->user_id;
    timestamp_format_utc(a->now, out->created_at);
    snprintf(out->updated_at, sizeof out->updated_at, "%s", out->created_at);
    char day[DATE_STR];
    date_format(out->call_day, day);
    int rc = db_query_int(
        db, &out->id,
        "INSERT INTO call_reviews (store_id, advisor_id, call_at, call_day, source, points, "
        "score, note, appointment_id, reviewed_by, created_at, updated_at) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "iisssiitIIss", a->store_id, out->advisor_id, out->call_at, day,
        CALL_REVIEW_SOURCE_NAMES[out->source], (int64_t)out->points, (int64_t)out->score, out->note,
        out->appointment_id, a->user_id, out->created_at, out->updated_at);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* Read back: the names of the advisor and the reviewer, the local time. */
    if (call_reviews_get(db, a, out->id, out, err) < 0)
        return -1;
    return audit_record(db, a, "create", "call_review", out->id, changes(NULL, out), err);
}

int call_reviews_get(struct db *db, const struct actor *a, int64_t id, struct call_review *out,
                     struct dms_error *err)
{
    int rc = store_one(db, review_row, out, err,
                       "SELECT " REVIEW_COLS REVIEW_FROM "WHERE r.id = ? AND r.store_id = ?", "ii",
                       id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "没有这条通话评分 (no call review %lld)",
                        (long long)id);
    const struct tz *zone = store_zone(db, a, err);
    if (!zone)
        return -1;
    fill_local(zone, out, 1);
    return 0;
}

int call_reviews_list(struct db *db, const struct actor *a, const struct call_review_filter *f,
                      int64_t before, int limit, struct call_review **out, size_t *n, bool *more,
                      struct dms_error *err)
{
    *out = NULL, *n = 0, *more = false;
    char from[DATE_STR] = "", to[DATE_STR] = "";
    if (f->from)
        date_format(f->from, from);
    if (f->to)
        date_format(f->to, to);
    if (store_rows(db, review_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " REVIEW_COLS REVIEW_FROM
                   "WHERE r.store_id = ? AND (? = 0 OR r.id < ?) AND (? = 0 OR r.advisor_id = ?) "
                   "AND (? = '' OR r.call_day >= ?) AND (? = '' OR r.call_day <= ?) "
                   "ORDER BY r.id DESC LIMIT ?",
                   "iiiiissssi", a->store_id, before, before, f->advisor_id, f->advisor_id, from,
                   from, to, to, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    const struct tz *zone = store_zone(db, a, err);
    if (!zone) {
        free(*out);
        *out = NULL, *n = 0;
        return -1;
    }
    fill_local(zone, *out, *n);
    return 0;
}

int call_reviews_update(struct db *db, const struct actor *a, int64_t id,
                        const struct call_review_in *in, struct call_review *out,
                        struct dms_error *err)
{
    /* Locked before it is read: two corrections at once (one point each) both land. */
    struct call_review was;
    int rc = store_lock_row(db, "call_reviews", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "没有这条通话评分 (no call review %lld)",
                        (long long)id);
    if (call_reviews_get(db, a, id, &was, err) < 0)
        return -1;
    *out = was;
    const struct tz *zone = store_zone(db, a, err);
    if (!zone)
        return -1;
    if (in->has_advisor) {
        if (check_advisor(db, a, in->advisor_id, out->advisor_name, sizeof out->advisor_name, err) <
            0)
            return -1;
        out->advisor_id = in->advisor_id;
    }
    if (in->has_call && resolve_time(zone, a, &in->call, out->call_at, &out->call_day, err) < 0)
        return -1;
    if (in->has_source)
        out->source = in->source;
    if (in->has_appointment) {
        if (check_appointment(db, a, in->appointment_id, err) < 0)
            return -1;
        out->appointment_id = in->appointment_id;
    }
    if (in->note)
        snprintf(out->note, sizeof out->note, "%s", in->note);
    out->points =
        ((was.points & ~in->points_given) | (in->points & in->points_given)) & CALL_POINTS_ALL;
    out->score = call_review_score(out->points);
    json_t *ch = changes(&was, out);
    if (json_object_size(ch) == 0) {
        json_decref(ch);
        return 0; /* nothing changed: nothing written */
    }
    timestamp_format_utc(a->now, out->updated_at);
    char day[DATE_STR];
    date_format(out->call_day, day);
    rc = db_exec(db,
                 "UPDATE call_reviews SET advisor_id = ?, call_at = ?, call_day = ?, source = ?, "
                 "points = ?, score = ?, note = ?, appointment_id = ?, updated_at = ? WHERE id = ? "
                 "AND store_id = ?",
                 "isssiitIsii", out->advisor_id, out->call_at, day,
                 CALL_REVIEW_SOURCE_NAMES[out->source], (int64_t)out->points, (int64_t)out->score,
                 out->note, out->appointment_id, out->updated_at, id, a->store_id);
    if (rc < 0) {
        json_decref(ch);
        return store_db_fail(db, rc, err);
    }
    fill_local(zone, out, 1);
    return audit_record(db, a, "update", "call_review", id, ch, err);
}

int call_reviews_delete(struct db *db, const struct actor *a, int64_t id, struct dms_error *err)
{
    struct call_review was;
    int rc = store_lock_row(db, "call_reviews", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0 || call_reviews_get(db, a, id, &was, err) < 0)
        return rc == 0 ? dms_fail(err, "not_found", NULL, "没有这条通话评分 (no call review %lld)",
                                  (long long)id)
                       : -1;
    rc = db_exec(db, "DELETE FROM call_reviews WHERE id = ? AND store_id = ?", "ii", id,
                 a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return audit_record(db, a, "delete", "call_review", id, changes(&was, NULL), err);
}

/* ---- the call-quality report ---- */

static int advisor_row(struct db_res *res, void *out)
{
    struct call_quality_advisor *q = out;
    memset(q, 0, sizeof *q);
    q->advisor_id = db_int(res, 0);
    col_copy(q->name, sizeof q->name, res, 1);
    q->disabled = db_int(res, 2) != 0;
    return 0;
}

void call_quality_report_clear(struct call_quality_report *r)
{
    free(r->advisors);
    r->advisors = NULL;
    r->n_advisors = 0;
}

int call_reviews_report(struct db *db, const struct actor *a, dms_day month,
                        struct call_quality_report *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    enum { N = CALL_REVIEW_TREND_MONTHS };
    call_review_months(month, N, out->first, out->last);
    char from[DATE_STR], to[DATE_STR];
    date_format(out->first[0], from);
    date_format(out->last[N - 1], to);
    void *rows = NULL;
    /* The store's advisors, and whoever was reviewed in the period (since disabled, or no
     * longer an advisor). */
    if (store_rows(db, advisor_row, NULL, sizeof *out->advisors, 10000, &rows, &out->n_advisors,
                   err,
                   "SELECT u.id, u.display_name, u.disabled FROM users u WHERE u.store_id = ? AND "
                   "((u.role = 'advisor' AND u.disabled = 0) OR EXISTS (SELECT 1 FROM "
                   "call_reviews r WHERE r.store_id = ? AND r.advisor_id = u.id AND r.call_day "
                   ">= ? AND r.call_day <= ?)) ORDER BY u.display_name, u.id",
                   "iiss", a->store_id, a->store_id, from, to) < 0)
        return -1;
    out->advisors = rows;
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT advisor_id, call_day, points FROM call_reviews WHERE store_id = ? "
                      "AND call_day >= ? AND call_day <= ?",
                      "iss", a->store_id, from, to);
    if (rc < 0) {
        call_quality_report_clear(out);
        return store_db_fail(db, rc, err);
    }
    while ((rc = db_step(res)) > 0) {
        int64_t advisor = db_int(res, 0);
        unsigned points = (unsigned)db_int(res, 2) & CALL_POINTS_ALL;
        dms_day day;
        struct dms_error ignore;
        if (date_parse(db_text(res, 1), &day, NULL, &ignore) < 0)
            continue;
        int m = call_review_month_index(day, N, out->first, out->last);
        if (m < 0)
            continue;
        call_quality_add(&out->store[m], points);
        for (size_t i = 0; i < out->n_advisors; i++) {
            if (out->advisors[i].advisor_id != advisor)
                continue;
            call_quality_add(&out->advisors[i].trend[m], points);
            if (m == N - 1)
                call_quality_add(&out->advisors[i].month, points);
            break;
        }
    }
    db_done(res);
    if (rc < 0) {
        call_quality_report_clear(out);
        return store_db_fail(db, rc, err);
    }
    return 0;
}
