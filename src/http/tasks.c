/* /api/v1/tasks: the caller's list (MR-4, CS-1..CS-4, CS-8), the calls recorded against it,
 * call-backs (IN-1, IN-5) and the day's generation. */
#include <stdlib.h>
#include <string.h>

#include "core/complaint.h"
#include "core/customer.h"
#include "core/mask.h"
#include "core/phone.h"
#include "core/tasks.h"
#include "core/text.h"
#include "core/vehicle.h"
#include "http/http.h"
#include "store/tasks.h"

/* A task with what the call needs (MR-4); the phone is shown in full only in the detail
 * view and only to roles that make calls. */
static json_t *view_task(const struct req *r, const struct task *t, bool detail)
{
    bool full = mask_phone_in_full(r->actor.role, detail ? PHONE_VIEW_CALL : PHONE_VIEW_LIST);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:b, s:b, "
        "s:o, s:s, s:o}",
        "id", (json_int_t)t->id, "type", TASK_TYPE_NAMES[t->type], "status",
        TASK_STATUS_NAMES[t->status], "vehicle_id",
        t->vehicle_id ? json_integer(t->vehicle_id) : json_null(), "customer_id",
        t->customer_id ? json_integer(t->customer_id) : json_null(), "campaign_id",
        t->campaign_id ? json_integer(t->campaign_id) : json_null(), "reason", t->reason,
        "due_date", t->due_date, "deadline", t->deadline, "deadline_at",
        jstr_or_null(t->deadline_at), "service_due_date", jstr_or_null(t->service_due_date),
        "assignee_id", t->assignee_id ? json_integer(t->assignee_id) : json_null(), "attempts",
        t->attempts, "last_outcome", jstr_or_null(t->last_outcome), "last_attempt_at",
        jstr_or_null(t->last_attempt_at), "reached", t->reached, "booked", t->booked, "message_id",
        t->message_id ? json_integer(t->message_id) : json_null(), "created_at", t->created_at,
        "closed_at", jstr_or_null(t->closed_at));
    json_t *call = json_object();
    if (t->customer_id) {
        json_object_set_new(call, "customer",
                            json_pack("{s:o, s:o, s:o}", "name", masked_name(r, t->customer_name),
                                      "title", jstr_or_null(t->customer_title), "phone",
                                      phone_value(t->phone, full)));
        json_object_set_new(call, "special_needs",
                            json_pack("{s:o, s:o}", "needs", view_needs(t->needs), "note",
                                      jstr_or_null(t->needs_note)));
    } else {
        json_object_set_new(call, "customer",
                            json_pack("{s:o, s:n, s:o}", "name", masked_name(r, t->contact_name),
                                      "title", "phone", phone_value(t->contact_phone, full)));
    }
    if (t->vehicle_id) {
        json_object_set_new(call, "vehicle",
                            json_pack("{s:o, s:o, s:o, s:I}", "plate", jstr_or_null(t->plate),
                                      "brand", jstr_or_null(t->brand), "model",
                                      jstr_or_null(t->model), "mileage_km",
                                      (json_int_t)t->mileage_km));
        json_object_set_new(call, "last_service_date", jstr_or_null(t->last_service_date));
        json_object_set_new(call, "next_service",
                            t->next_due_date[0]
                                ? json_pack("{s:s, s:I}", "due_date", t->next_due_date, "due_km",
                                            (json_int_t)t->next_due_km)
                                : json_null());
        /* MR-4, IN-7: the package and its one quoted price (the plan's, when the store has
         * one for this car). */
        json_object_set_new(call, "package",
                            t->has_package
                                ? json_pack("{s:o, s:I}", "name", jstr_or_null(t->package_name),
                                            "price_fen", (json_int_t)t->package_fen)
                                : json_null());
    }
    if (t->campaign_id)
        json_object_set_new(call, "campaign", json_string(t->campaign_name));
    json_object_set_new(o, "call", call);
    return o;
}

static json_t *view_attempt(const struct attempt *at)
{
    json_t *answers = at->answers ? json_loads(at->answers, 0, NULL) : NULL;
    return json_pack("{s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)at->id,
                     "user_id", at->user_id ? json_integer(at->user_id) : json_null(), "username",
                     jstr_or_null(at->username), "at", at->at, "outcome",
                     OUTCOME_NAMES[at->outcome], "notes", jstr_or_null(at->notes), "mileage_km",
                     at->mileage_km >= 0 ? json_integer(at->mileage_km) : json_null(),
                     "special_needs", jstr_or_null(at->special_needs), "satisfaction",
                     jstr_or_null(at->satisfaction), "answers", answers ? answers : json_array());
}

static int respond_task(struct req *r, int status, int64_t id)
{
    struct task t;
    if (tasks_get(r->db, &r->actor, id, &t, &r->err) < 0)
        return -1;
    struct attempt *at;
    size_t n;
    if (tasks_attempts(r->db, &r->actor, id, &at, &n, &r->err) < 0)
        return -1;
    json_t *o = view_task(r, &t, true), *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, view_attempt(&at[i]));
    attempts_free(at, n);
    json_object_set_new(o, "attempts_log", list);
    return reply(r, status, o);
}

int h_tasks_list(struct req *r)
{
    struct task_filter f = {0};
    int limit;
    int64_t offset;
    const char *assignee = req_query(r, "assignee");
    if (req_page(r, &limit, &offset) < 0 || req_query_date(r, "date", &f.date) < 0 ||
        req_query_enum(r, "type", TASK_TYPE_NAMES, TASK_TYPE_COUNT, &f.type) < 0 ||
        req_query_enum(r, "status", TASK_STATUS_NAMES, TASK_STATUS_COUNT, &f.status) < 0 ||
        req_query_id(r, "vehicle_id", &f.vehicle_id) < 0 ||
        req_query_id(r, "customer_id", &f.customer_id) < 0)
        return -1;
    /* CRM-2: the call list of one class of customers. */
    int cls = -1;
    if (req_query_enum(r, "classification", CUSTOMER_CLASS_NAMES, CLASS_COUNT, &cls) < 0)
        return -1;
    f.classification = cls + 1;
    /* assignee: a user id, "me", or "none" for the unassigned. */
    if (assignee && strcmp(assignee, "me") == 0)
        f.assignee_id = r->actor.user_id;
    else if (assignee && strcmp(assignee, "none") == 0)
        f.assignee_id = -1;
    else if (req_query_id(r, "assignee", &f.assignee_id) < 0)
        return -1;
    struct task *t;
    size_t n;
    bool more;
    if (tasks_list(r->db, &r->actor, &f, offset, limit, &t, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_task(r, &t[i], false));
    free(t);
    return reply_page(r, items, more, offset + (int64_t)n);
}

int h_tasks_get(struct req *r)
{
    return respond_task(r, 200, r->ids[0]);
}

/* CS-1: "answers": [{"question": label, "answer": true|false}, ...] (at most 8; the labels
 * are checked against the store's questions by the store) as compact JSON text in *out
 * (free()), NULL when absent. */
static int body_answers(struct req *r, char **out)
{
    *out = NULL;
    json_t *a = json_object_get(r->body, "answers");
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 8)
        return req_fail(r, "invalid_field", "answers",
                        "回访问题的回答是最多 8 项的列表 / answers is a list of at most 8 "
                        "{\"question\", \"answer\"}");
    json_t *norm = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(a, i, item)
    {
        json_t *q = json_object_get(item, "question"), *v = json_object_get(item, "answer");
        if (!json_is_object(item) || json_object_size(item) != 2 || !json_is_string(q) ||
            !json_is_boolean(v) || json_string_length(q) == 0 || json_string_length(q) > 400) {
            json_decref(norm);
            return req_fail(r, "invalid_field", "answers",
                            "回访问题的回答第 %zu 项应为 {\"question\": 问题, \"answer\": 是/否} / "
                            "answers[%zu] is {\"question\": label, \"answer\": true|false}",
                            i + 1, i);
        }
        json_array_append_new(norm, json_pack("{s:O, s:O}", "question", q, "answer", v));
    }
    *out = json_dumps(norm, JSON_COMPACT);
    json_decref(norm);
    if (!*out)
        return req_fail(r, "internal", NULL, "out of memory");
    return 0;
}

int h_tasks_attempt(struct req *r)
{
    static const char *const fields[] = {
        "outcome",      "notes",   "mileage_km",         "special_needs",
        "satisfaction", "answers", "complaint_category", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    int outcome;
    int64_t km = -1;
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1] = "", needs[500 * 4 + 1] = "";
    if (jin_enum(r->body, "outcome", true, OUTCOME_NAMES, OUTCOME_COUNT, &outcome, &r->err) < 0 ||
        jin_text(r->body, "notes", false, CUSTOMER_NOTES_CHARS, true, notes, sizeof notes,
                 &r->err) < 0 ||
        jin_int(r->body, "mileage_km", false, 0, VEHICLE_MAX_KM, &km, &r->err) < 0 ||
        jin_text(r->body, "special_needs", false, 200, false, needs, sizeof needs, &r->err) < 0)
        return -1;
    int sat = -1, category = -1;
    char *answers = NULL;
    if (jin_enum(r->body, "satisfaction", false, SAT_NAMES, SAT_COUNT, &sat, &r->err) < 0 ||
        jin_enum(r->body, "complaint_category", false, CPL_CATEGORY_NAMES, CPL_CATEGORY_COUNT,
                 &category, &r->err) < 0 ||
        body_answers(r, &answers) < 0)
        return -1;
    if (category >= 0 && sat != SAT_DISSATISFIED) {
        free(answers);
        return req_fail(r, "invalid_field", "complaint_category",
                        "只有不满意时才登记投诉类别 / complaint_category goes with "
                        "\"satisfaction\": \"dissatisfied\"");
    }
    struct attempt_in in = {
        .outcome = (enum call_outcome)outcome,
        .notes = notes,
        .mileage_km = km,
        .special_needs = needs,
        .has_satisfaction = sat >= 0,
        .satisfaction = sat >= 0 ? (enum followup_satisfaction)sat : SAT_SATISFIED,
        .answers = answers,
        .has_category = category >= 0,
        .complaint_category =
            category >= 0 ? (enum complaint_category)category : CPL_OTHER_CATEGORY,
    };
    struct task t;
    int rc = tasks_record_attempt(r->db, &r->actor, r->ids[0], &in, &t, &r->err);
    free(answers);
    if (rc < 0)
        return -1;
    return respond_task(r, 201, r->ids[0]);
}

int h_tasks_create(struct req *r)
{
    static const char *const fields[] = {"type",  "reason", "customer_id", "vehicle_id", "name",
                                         "phone", "notes",  "assignee_id", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *type;
    if (jin_string(r->body, "type", true, &type, &r->err) < 0)
        return -1;
    if (strcmp(type, "callback") != 0)
        return req_fail(r, "invalid_field", "type",
                        "only call-backs are made by hand; the other lists are generated");
    int reason;
    struct callback_in in = {0};
    char name[CUSTOMER_NAME_CHARS * 4 + 1] = "", phone[PHONE_MAX] = "",
                                        notes[CUSTOMER_NOTES_CHARS * 4 + 1] = "";
    const char *raw_phone = NULL;
    int rc;
    if (jin_enum(r->body, "reason", true, CALLBACK_REASON_NAMES, CALLBACK_REASON_COUNT, &reason,
                 &r->err) < 0 ||
        jin_int(r->body, "customer_id", false, 1, INT64_MAX, &in.customer_id, &r->err) < 0 ||
        jin_int(r->body, "vehicle_id", false, 1, INT64_MAX, &in.vehicle_id, &r->err) < 0 ||
        jin_int(r->body, "assignee_id", false, 1, INT64_MAX, &in.assignee_id, &r->err) < 0 ||
        jin_text(r->body, "name", false, CUSTOMER_NAME_CHARS, false, name, sizeof name, &r->err) <
            0 ||
        jin_text(r->body, "notes", false, CUSTOMER_NOTES_CHARS, true, notes, sizeof notes,
                 &r->err) < 0 ||
        (rc = jin_string(r->body, "phone", false, &raw_phone, &r->err)) < 0)
        return -1;
    if (rc == JIN_VALUE) {
        enum phone_kind kind;
        if (phone_normalize(raw_phone, phone, &kind, "phone", &r->err) < 0)
            return -1;
    }
    if (!in.customer_id && !in.vehicle_id && !phone[0])
        return req_fail(r, "missing_field", "phone",
                        "a call-back needs a customer, a vehicle or a phone number");
    in.reason = (enum callback_reason)reason;
    in.name = name;
    in.phone = phone;
    in.notes = notes;
    struct task t;
    if (tasks_create_callback(r->db, &r->actor, &in, &t, &r->err) < 0)
        return -1;
    return respond_task(r, 201, t.id);
}

int h_tasks_update(struct req *r)
{
    static const char *const fields[] = {"assignee_id", "status", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct task_patch p = {.assignee_id = -1};
    int64_t assignee;
    int rc = jin_int(r->body, "assignee_id", false, 1, INT64_MAX, &assignee, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_VALUE)
        p.assignee_id = assignee;
    else if (rc == JIN_NULL)
        p.assignee_id = 0;
    const char *status;
    rc = jin_string(r->body, "status", false, &status, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_VALUE) {
        if (strcmp(status, "cancelled") != 0)
            return req_fail(r, "invalid_field", "status",
                            "a task can only be cancelled by hand; calls close it otherwise");
        p.cancel = true;
    }
    struct task t;
    if (tasks_update(r->db, &r->actor, r->ids[0], &p, &t, &r->err) < 0)
        return -1;
    return respond_task(r, 200, r->ids[0]);
}

static json_t *view_generate_counts(dms_day day, const struct generate_counts *c)
{
    char d[DATE_STR];
    date_format(day, d);
    json_t *created = json_object();
    for (int i = 0; i < TASK_TYPE_COUNT; i++) {
        if (i != TASK_CALLBACK && i != TASK_CAMPAIGN && i != TASK_SECOND_CALL)
            json_object_set_new(created, TASK_TYPE_NAMES[i], json_integer(c->created[i]));
    }
    return json_pack("{s:s, s:o, s:I, s:I}", "date", d, "created", created, "messages",
                     (json_int_t)c->messages, "expired", (json_int_t)c->expired);
}

int h_tasks_generate(struct req *r)
{
    static const char *const fields[] = {"date", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    char date[DATE_STR];
    dms_day day;
    if (jin_date(r->body, "date", true, date, &day, &r->err) < 0)
        return -1;
    struct generate_counts c;
    if (tasks_generate(r->db, &r->actor, day, &c, &r->err) < 0)
        return -1;
    return reply(r, 200, view_generate_counts(day, &c));
}
