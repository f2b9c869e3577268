/* Complaints and enquiries (CS-6, IN-20): /api/v1/complaints, its actions and status, and the
 * customer's open complaints on GET /customers/{id}. Handlers translate: the rules are in
 * core/complaint.c, the use cases in store/complaints.c. */
#include <stdlib.h>
#include <string.h>

#include "core/complaint.h"
#include "http/http.h"
#include "store/complaints.h"

/* ---- views ---- */

static json_t *opt_id(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

static json_t *view_action(const struct complaint_action *x)
{
    return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "id", (json_int_t)x->id,
                     "type", CPL_ACTION_NAMES[x->type], "note", jstr_or_null(x->note),
                     "appointment_id", opt_id(x->appointment_id), "amount_fen",
                     x->type == CPL_ACT_GOODWILL ? json_integer(x->amount_fen) : json_null(),
                     "status", jstr_or_null(x->status), "user_id", opt_id(x->user_id), "user_name",
                     jstr_or_null(x->user_name), "at", x->at);
}

/* The short form (lists, the customer's card): no text beyond the first line's worth. */
static json_t *view_complaint(const struct req *r, const struct complaint *c, bool detail)
{
    json_t *v = json_pack(
        "{s:I, s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:i, s:s, s:s, "
        "s:s, s:o, s:o, s:o, s:b, s:b, s:b, s:o, s:o, s:i, s:s, s:s}",
        "id", (json_int_t)c->id, "number", c->number, "customer_id", (json_int_t)c->customer_id,
        "vehicle_id", opt_id(c->vehicle_id), "repair_order_id", opt_id(c->repair_order_id),
        "followup_task_id", opt_id(c->followup_task_id), "channel", CPL_CHANNEL_NAMES[c->channel],
        "kind", CPL_KIND_NAMES[c->kind], "category", CPL_CATEGORY_NAMES[c->category], "severity",
        CPL_SEVERITY_NAMES[c->severity], "text", c->text, "owner_id", opt_id(c->owner_id),
        "owner_name", jstr_or_null(c->owner_name), "status", CPL_STATUS_NAMES[c->status], "round",
        c->round_no, "received_at", c->received_at, "ack_due_at", c->ack_due_at, "resolve_due_at",
        c->resolve_due_at, "acknowledged_at", jstr_or_null(c->acknowledged_at), "resolved_at",
        jstr_or_null(c->resolved_at), "closed_at", jstr_or_null(c->closed_at), "ack_overdue",
        c->ack_overdue, "resolve_overdue", c->resolve_overdue, "overdue",
        c->ack_overdue || c->resolve_overdue, "resolution", jstr_or_null(c->resolution),
        "customer_satisfied",
        c->customer_satisfied < 0 ? json_null() : json_boolean(c->customer_satisfied > 0),
        "escalations", c->escalations, "created_at", c->created_at, "updated_at", c->updated_at);
    /* PIPL: the name as the role may see it (masked for those who do not call customers). */
    json_object_set_new(v, "customer_name", masked_name(r, c->customer_name));
    json_object_set_new(v, "plate", jstr_or_null(c->plate));
    json_object_set_new(v, "order_number", jstr_or_null(c->order_number));
    if (detail) {
        json_t *list = json_array();
        for (size_t i = 0; i < c->n_actions; i++)
            json_array_append_new(list, view_action(&c->actions[i]));
        json_object_set_new(v, "actions", list);
    }
    return v;
}

static int reply_complaint(struct req *r, int status, struct complaint *c)
{
    int rc = reply(r, status, view_complaint(r, c, true));
    complaint_clear(c);
    free(c);
    return rc;
}

static struct complaint *new_complaint(struct req *r)
{
    struct complaint *c = calloc(1, sizeof *c);
    if (!c)
        req_fail(r, "internal", NULL, "out of memory");
    return c;
}

json_t *view_open_complaints(struct req *r, int64_t customer_id)
{
    struct complaint *list = NULL;
    size_t n = 0;
    struct dms_error ignore = {0};
    json_t *items = json_array();
    if (complaints_of_customer(r->db, &r->actor, customer_id, &list, &n, &ignore) < 0)
        return items;
    for (size_t i = 0; i < n; i++) {
        const struct complaint *c = &list[i];
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "id",
                      (json_int_t)c->id, "number", c->number, "status", CPL_STATUS_NAMES[c->status],
                      "kind", CPL_KIND_NAMES[c->kind], "category", CPL_CATEGORY_NAMES[c->category],
                      "severity", CPL_SEVERITY_NAMES[c->severity], "ack_due_at", c->ack_due_at,
                      "resolve_due_at", c->resolve_due_at, "overdue",
                      c->ack_overdue || c->resolve_overdue, "plate", jstr_or_null(c->plate),
                      "owner_name", jstr_or_null(c->owner_name)));
    }
    complaints_free(list, n);
    return items;
}

/* ---- handlers ---- */

int h_complaints_create(struct req *r)
{
    static const char *const fields[] = {"customer_id", "vehicle_id", "repair_order_id", "channel",
                                         "kind",        "category",   "severity",        "text",
                                         "owner_id",    NULL};
    struct complaint_in *in = calloc(1, sizeof *in);
    struct complaint *c = new_complaint(r);
    int rc = -1;
    if (!in || !c) {
        req_fail(r, "internal", NULL, "out of memory");
        goto out;
    }
    int channel = -1, kind = -1, category = -1, severity = CPL_NORMAL;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_int(r->body, "customer_id", true, 1, INT64_MAX, &in->customer_id, &r->err) < 0 ||
        jin_int(r->body, "vehicle_id", false, 1, INT64_MAX, &in->vehicle_id, &r->err) < 0 ||
        jin_int(r->body, "repair_order_id", false, 1, INT64_MAX, &in->repair_order_id, &r->err) <
            0 ||
        jin_enum(r->body, "channel", true, CPL_CHANNEL_NAMES, CPL_CHANNEL_COUNT, &channel,
                 &r->err) < 0 ||
        jin_enum(r->body, "kind", true, CPL_KIND_NAMES, CPL_KIND_COUNT, &kind, &r->err) < 0 ||
        jin_enum(r->body, "category", true, CPL_CATEGORY_NAMES, CPL_CATEGORY_COUNT, &category,
                 &r->err) < 0 ||
        jin_enum(r->body, "severity", false, CPL_SEVERITY_NAMES, CPL_SEVERITY_COUNT, &severity,
                 &r->err) < 0 ||
        jin_text(r->body, "text", true, CPL_TEXT_CHARS, true, in->text, sizeof in->text, &r->err) <
            0 ||
        jin_int(r->body, "owner_id", false, 1, INT64_MAX, &in->owner_id, &r->err) < 0)
        goto out;
    in->channel = (enum complaint_channel)channel;
    in->kind = (enum complaint_kind)kind;
    in->category = (enum complaint_category)category;
    in->severity = (enum complaint_severity)severity;
    if (complaints_create(r->db, &r->actor, in, c, &r->err) < 0)
        goto out;
    rc = reply_complaint(r, 201, c);
    c = NULL;
out:
    free(in);
    if (c) {
        complaint_clear(c);
        free(c);
    }
    return rc;
}

int h_complaints_get(struct req *r)
{
    struct complaint *c = new_complaint(r);
    if (!c)
        return -1;
    if (complaints_get(r->db, &r->actor, r->ids[0], c, &r->err) < 0) {
        complaint_clear(c);
        free(c);
        return -1;
    }
    return reply_complaint(r, 200, c);
}

int h_complaints_list(struct req *r)
{
    struct complaint_filter f = {.status = -1};
    int limit;
    int64_t before;
    const char *overdue = req_query(r, "overdue");
    const char *active = req_query(r, "active");
    if (req_query_enum(r, "status", CPL_STATUS_NAMES, CPL_STATUS_COUNT, &f.status) < 0 ||
        req_query_id(r, "customer_id", &f.customer_id) < 0 || req_page(r, &limit, &before) < 0)
        return -1;
    if (overdue && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0)
        return req_fail(r, "invalid_field", "overdue",
                        "overdue 只能是 true 或 false / overdue is "
                        "true or false");
    if (active && strcmp(active, "true") != 0 && strcmp(active, "false") != 0)
        return req_fail(r, "invalid_field", "active",
                        "active 只能是 true 或 false / active is "
                        "true or false");
    f.overdue = overdue && strcmp(overdue, "true") == 0;
    f.active = active && strcmp(active, "true") == 0;
    struct complaint *list;
    size_t n;
    bool more;
    if (complaints_list(r->db, &r->actor, &f, before, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_complaint(r, &list[i], false));
    int64_t last = n ? list[n - 1].id : 0;
    complaints_free(list, n);
    return reply_page(r, items, more, last);
}

int h_complaints_action(struct req *r)
{
    static const char *const fields[] = {"type", "note", "appointment_id", "amount_fen", NULL};
    /* Posted actions: the status changes are logged by POST .../status. */
    static const char *const TYPES[] = {"call_back", "re_repair_booked", "goodwill", "note"};
    struct complaint_action_in *in = calloc(1, sizeof *in);
    struct complaint *c = new_complaint(r);
    int rc = -1, type = -1;
    if (!in || !c) {
        req_fail(r, "internal", NULL, "out of memory");
        goto out;
    }
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "type", true, TYPES, 4, &type, &r->err) < 0 ||
        jin_text(r->body, "note", type == CPL_ACT_NOTE, CPL_NOTE_CHARS, true, in->note,
                 sizeof in->note, &r->err) < 0 ||
        jin_int(r->body, "appointment_id", type == CPL_ACT_RE_REPAIR_BOOKED, 1, INT64_MAX,
                &in->appointment_id, &r->err) < 0 ||
        jin_int(r->body, "amount_fen", type == CPL_ACT_GOODWILL, 1, CPL_MAX_GOODWILL_FEN,
                &in->amount_fen, &r->err) < 0)
        goto out;
    in->type = (enum complaint_action_type)type;
    if (in->type == CPL_ACT_NOTE && !in->note[0]) {
        req_fail(r, "missing_field", "note", "请填写备注 / a note needs its text");
        goto out;
    }
    if (in->appointment_id && in->type != CPL_ACT_RE_REPAIR_BOOKED) {
        req_fail(r, "invalid_field", "appointment_id",
                 "只有安排返修时才关联预约 / appointment_id goes with re_repair_booked");
        goto out;
    }
    if (in->amount_fen && in->type != CPL_ACT_GOODWILL) {
        req_fail(r, "invalid_field", "amount_fen",
                 "只有善意补偿才填金额 / amount_fen goes with goodwill");
        goto out;
    }
    if (complaints_add_action(r->db, &r->actor, r->ids[0], in, c, &r->err) < 0)
        goto out;
    rc = reply_complaint(r, 201, c);
    c = NULL;
out:
    free(in);
    if (c) {
        complaint_clear(c);
        free(c);
    }
    return rc;
}

int h_complaints_status(struct req *r)
{
    static const char *const fields[] = {"status", "note", "resolution", "customer_satisfied",
                                         NULL};
    /* open is where a complaint starts, never where one is moved to. */
    static const char *const TO[] = {"",         "acknowledged", "in_progress",
                                     "resolved", "closed",       "reopened"};
    struct complaint_status_in *in = calloc(1, sizeof *in);
    struct complaint *c = new_complaint(r);
    int rc = -1, to = -1;
    if (!in || !c) {
        req_fail(r, "internal", NULL, "out of memory");
        goto out;
    }
    in->customer_satisfied = -1;
    bool sat = false;
    int has_sat = 0;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "status", true, TO, 6, &to, &r->err) < 0 ||
        jin_text(r->body, "note", false, CPL_NOTE_CHARS, true, in->note, sizeof in->note, &r->err) <
            0 ||
        jin_text(r->body, "resolution", false, CPL_TEXT_CHARS, true, in->resolution,
                 sizeof in->resolution, &r->err) < 0 ||
        (has_sat = jin_bool(r->body, "customer_satisfied", false, &sat, &r->err)) < 0)
        goto out;
    if (to == CPL_OPEN) {
        req_fail(r, "invalid_field", "status",
                 "状态只能改为 acknowledged、in_progress、resolved、closed 或 reopened / status is "
                 "acknowledged, in_progress, resolved, closed or reopened");
        goto out;
    }
    if (has_sat == JIN_VALUE)
        in->customer_satisfied = sat ? 1 : 0;
    if (has_sat == JIN_VALUE && to != CPL_CLOSED) {
        req_fail(r, "invalid_field", "customer_satisfied",
                 "客户是否满意在结案时填写 / customer_satisfied goes with closing");
        goto out;
    }
    in->to = (enum complaint_status)to;
    if (complaints_set_status(r->db, &r->actor, r->ids[0], in, c, &r->err) < 0)
        goto out;
    rc = reply_complaint(r, 200, c);
    c = NULL;
out:
    free(in);
    if (c) {
        complaint_clear(c);
        free(c);
    }
    return rc;
}
