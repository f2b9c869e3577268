/* /api/v1/bays and /api/v1/technicians: the workshop's resources and the periods they are
 * out of service (IN-6, IN-8, IN-13). */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/outbox.h"
#include "core/text.h"
#include "core/tz.h"
#include "core/workshop.h"
#include "http/http.h"
#include "store/workshop.h"

/* "YYYY-MM-DDTHH:MM", store-local. */
static int parse_local(const char *s, char out[LOCAL_TIME_STR], const char *field,
                       struct dms_error *err)
{
    char d[11];
    dms_day day;
    int m;
    if (!s || strlen(s) != 16 || s[10] != 'T')
        return dms_fail(err, "invalid_date", field, "%s is YYYY-MM-DDTHH:MM", field);
    memcpy(d, s, 10);
    d[10] = '\0';
    if (date_parse(d, &day, field, err) < 0 || outbox_parse_hhmm(s + 11, &m, field, err) < 0)
        return dms_fail(err, "invalid_date", field, "%s is YYYY-MM-DDTHH:MM", field);
    snprintf(out, LOCAL_TIME_STR, "%s", s);
    return 0;
}

static void local_now(const struct req *r, char out[LOCAL_TIME_STR])
{
    int64_t local = tz_to_local(zones_get(r->session.user.store_timezone), r->actor.now);
    char d[DATE_STR], t[8];
    date_format(date_of_local_seconds(local), d);
    hhmm_format((int)(((local % 86400) + 86400) % 86400 / 60), t);
    snprintf(out, LOCAL_TIME_STR, "%.10sT%.5s", d, t);
}

static json_t *view_downtime(const struct downtime *d)
{
    return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)d->id, "from", d->starts, "to",
                     d->ends, "reason", jstr_or_null(d->reason));
}

/* The detail view's upcoming periods out of service. */
static int with_downtime(struct req *r, json_t *o, const char *resource, int64_t id)
{
    char now[LOCAL_TIME_STR];
    local_now(r, now);
    struct downtime *d;
    size_t n;
    if (downtime_list(r->db, &r->actor, resource, id, now, &d, &n, &r->err) < 0) {
        json_decref(o);
        return -1;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, view_downtime(&d[i]));
    free(d);
    json_object_set_new(o, "downtime", a);
    return reply(r, 200, o);
}

static int create_downtime(struct req *r, const char *resource)
{
    static const char *const fields[] = {"from", "to", "reason", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct downtime d = {0};
    const char *from, *to;
    if (jin_string(r->body, "from", true, &from, &r->err) < 0 ||
        jin_string(r->body, "to", true, &to, &r->err) < 0 ||
        jin_text(r->body, "reason", false, 200, false, d.reason, sizeof d.reason, &r->err) < 0 ||
        parse_local(from, d.starts, "from", &r->err) < 0 ||
        parse_local(to, d.ends, "to", &r->err) < 0)
        return -1;
    if (strcmp(d.ends, d.starts) <= 0)
        return req_fail(r, "invalid_date", "to", "a period ends after it starts");
    if (downtime_add(r->db, &r->actor, resource, r->ids[0], &d, &r->err) < 0)
        return -1;
    return reply(r, 201, view_downtime(&d));
}

/* ---- bays ---- */

static json_t *view_bay(const struct bay *b)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)b->id, "code",
                     b->code, "name", b->name, "kind", BAY_KIND_NAMES[b->kind], "active", b->active,
                     "created_at", b->created_at, "updated_at", b->updated_at);
}

static int parse_bay(struct req *r, struct bay *b, bool create)
{
    int kind = (int)b->kind;
    if (jin_text(r->body, "name", create, WORKSHOP_NAME_CHARS, false, b->name, sizeof b->name,
                 &r->err) < 0 ||
        jin_enum(r->body, "kind", create, BAY_KIND_NAMES, BAY_KIND_COUNT, &kind, &r->err) < 0 ||
        jin_bool(r->body, "active", false, &b->active, &r->err) < 0)
        return -1;
    static const char *const keys[] = {"name", "kind", "active", NULL};
    if (jin_no_nulls(r, keys) < 0)
        return -1;
    if (json_object_get(r->body, "name") && !b->name[0])
        return req_fail(r, "invalid_field", "name", "name cannot be empty");
    b->kind = (enum bay_kind)kind;
    return 0;
}

int h_bays_create(struct req *r)
{
    static const char *const fields[] = {"code", "name", "kind", "active", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct bay b = {.active = true};
    /* Bay codes follow the operation codes' alphabet ("Q1", "BODY-2"); without one the store
     * numbers the bay (B01, B02 ...). */
    json_t *code = json_object_get(r->body, "code");
    if ((code && !json_is_null(code) && jin_code(r, "code", b.code) < 0) ||
        parse_bay(r, &b, true) < 0)
        return -1;
    if (bays_create(r->db, &r->actor, &b, &r->err) < 0)
        return -1;
    return reply(r, 201, view_bay(&b));
}

int h_bays_list(struct req *r)
{
    const char *all = req_query(r, "all");
    struct bay *b;
    size_t n;
    if (bays_list(r->db, &r->actor, all && strcmp(all, "true") == 0, &b, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_bay(&b[i]));
    free(b);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_bays_get(struct req *r)
{
    struct bay b;
    if (bays_get(r->db, &r->actor, r->ids[0], &b, &r->err) < 0)
        return -1;
    return with_downtime(r, view_bay(&b), "bay", b.id);
}

/* The PATCH's fields over the bay as it is (store_edit). */
static int edit_bay(void *r, void *b, struct dms_error *err)
{
    (void)err; /* parse_bay fills the request's */
    return parse_bay(r, b, false);
}

int h_bays_update(struct req *r)
{
    static const char *const fields[] = {"name", "kind", "active", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct bay next;
    if (bays_update(r->db, &r->actor, r->ids[0], edit_bay, r, &next, &r->err) < 0)
        return -1;
    return with_downtime(r, view_bay(&next), "bay", next.id);
}

int h_bays_downtime(struct req *r)
{
    return create_downtime(r, "bay");
}

/* ---- technicians ---- */

static json_t *view_technician(const struct technician *t)
{
    json_t *skills = json_array(), *days = json_array();
    for (int i = 0; i < SKILL_COUNT; i++) {
        if (t->skills & (1u << i))
            json_array_append_new(skills, json_string(SKILL_NAMES[i]));
    }
    for (int i = 0; i < 7; i++) {
        if (t->work_days & (1u << i))
            json_array_append_new(days, json_string(CALENDAR_DAY_NAMES[i]));
    }
    return json_pack("{s:I, s:s, s:o, s:o, s:b, s:s, s:s}", "id", (json_int_t)t->id, "name",
                     t->name, "skills", skills, "days", days, "active", t->active, "created_at",
                     t->created_at, "updated_at", t->updated_at);
}

static int parse_technician(struct req *r, struct technician *t, bool create)
{
    if (jin_text(r->body, "name", create, WORKSHOP_NAME_CHARS, false, t->name, sizeof t->name,
                 &r->err) < 0 ||
        jin_bool(r->body, "active", false, &t->active, &r->err) < 0)
        return -1;
    static const char *const keys[] = {"name", "skills", "days", "active", NULL};
    if (jin_no_nulls(r, keys) < 0)
        return -1;
    if (json_object_get(r->body, "name") && !t->name[0])
        return req_fail(r, "invalid_field", "name", "name cannot be empty");
    json_t *skills = json_object_get(r->body, "skills");
    if (create && !skills)
        return req_fail(r, "missing_field", "skills", "skills is required");
    if (skills) {
        if (!json_is_array(skills) || json_array_size(skills) == 0)
            return req_fail(r, "invalid_field", "skills", "skills is a non-empty list");
        t->skills = 0;
        size_t i;
        json_t *it;
        json_array_foreach(skills, i, it)
        {
            int k = json_is_string(it) ? enum_index(SKILL_NAMES, SKILL_COUNT, json_string_value(it))
                                       : -1;
            if (k < 0)
                return req_fail(r, "invalid_field", "skills", "unknown skill at %zu", i);
            t->skills |= 1u << k;
        }
    }
    json_t *days = json_object_get(r->body, "days");
    if (create && !days)
        t->work_days = 0x7f; /* every day, until said otherwise */
    if (days) {
        if (!json_is_array(days) || json_array_size(days) == 0)
            return req_fail(r, "invalid_field", "days",
                            "days is a non-empty list of mon, tue ... sun");
        t->work_days = 0;
        size_t i;
        json_t *it;
        json_array_foreach(days, i, it)
        {
            int d =
                json_is_string(it) ? enum_index(CALENDAR_DAY_NAMES, 7, json_string_value(it)) : -1;
            if (d < 0)
                return req_fail(r, "invalid_field", "days", "unknown day at %zu: mon ... sun", i);
            if (t->work_days & (1u << d))
                return req_fail(r, "invalid_field", "days", "%s is given twice",
                                CALENDAR_DAY_NAMES[d]);
            t->work_days |= 1u << d;
        }
    }
    return 0;
}

int h_technicians_create(struct req *r)
{
    static const char *const fields[] = {"name", "skills", "days", "active", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct technician t = {.active = true};
    if (parse_technician(r, &t, true) < 0 || technicians_create(r->db, &r->actor, &t, &r->err) < 0)
        return -1;
    return reply(r, 201, view_technician(&t));
}

int h_technicians_list(struct req *r)
{
    const char *all = req_query(r, "all");
    struct technician *t;
    size_t n;
    if (technicians_list(r->db, &r->actor, all && strcmp(all, "true") == 0, &t, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_technician(&t[i]));
    free(t);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_technicians_get(struct req *r)
{
    struct technician t;
    if (technicians_get(r->db, &r->actor, r->ids[0], &t, &r->err) < 0)
        return -1;
    return with_downtime(r, view_technician(&t), "technician", t.id);
}

static int edit_technician(void *r, void *t, struct dms_error *err)
{
    (void)err; /* parse_technician fills the request's */
    return parse_technician(r, t, false);
}

int h_technicians_update(struct req *r)
{
    static const char *const fields[] = {"name", "skills", "days", "active", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct technician next;
    if (technicians_update(r->db, &r->actor, r->ids[0], edit_technician, r, &next, &r->err) < 0)
        return -1;
    return with_downtime(r, view_technician(&next), "technician", next.id);
}

int h_technicians_downtime(struct req *r)
{
    return create_downtime(r, "technician");
}
