/* /api/v1/slots, /api/v1/quote and /api/v1/appointments: the advisor's booking call (IN-4..
 * IN-10, IN-14..IN-20). Handlers translate; the rules are in core/slots.c, core/booking.c and
 * store/appointments.c. */
#include <stdlib.h>
#include <string.h>

#include "core/booking.h"
#include "core/outbox.h"
#include "core/part.h"
#include "core/slots.h"
#include "core/text.h"
#include "core/workshop.h"
#include "http/appointments.h"
#include "store/appointments.h"
#include "store/board.h"
#include "store/parts.h"
#include "store/plans.h"
#include "store/slots.h"
#include "store/vehicles.h"

/* ---- reading the request ---- */

/* ops=CODE,CODE */
static int query_ops(struct req *r, struct booking_in *in)
{
    const char *q = req_query(r, "ops");
    if (!q || !*q)
        return req_fail(r, "missing_field", "ops", "ops names the operations: ops=CODE,CODE");
    return booking_parse_codes(q, in->codes, APPT_MAX_OPS, &in->n_codes, "ops", &r->err);
}

/* parts=PART_NO:QTY,PART_NO:QTY */
static int query_parts(struct req *r, struct booking_in *in)
{
    const char *q = req_query(r, "parts");
    return booking_parse_parts(q ? q : "", in->parts, APPT_MAX_PARTS, &in->n_parts, &r->err);
}

/* One code given as a JSON string. */
static int json_code(json_t *s, char out[OPERATION_CODE_MAX + 1])
{
    return json_is_string(s) ? booking_parse_code(json_string_value(s), json_string_length(s), out)
                             : -1;
}

int booking_body_ops(struct req *r, struct booking_in *in)
{
    json_t *ops = json_object_get(r->body, "ops");
    if (!ops)
        return req_fail(r, "missing_field", "ops", "ops lists the operation codes");
    if (!json_is_array(ops) || json_array_size(ops) == 0 || json_array_size(ops) > APPT_MAX_OPS)
        return req_fail(r, "invalid_field", "ops", "ops is a list of 1-%d operation codes",
                        APPT_MAX_OPS);
    in->n_codes = 0;
    for (size_t i = 0; i < json_array_size(ops); i++) {
        json_t *c = json_array_get(ops, i);
        if (json_code(c, in->codes[in->n_codes]) < 0)
            return req_fail(r, "invalid_field", "ops", "ops[%zu] is not an operation code", i);
        in->n_codes++;
    }
    return 0;
}

int booking_body_parts(struct req *r, struct booking_in *in)
{
    json_t *parts = json_object_get(r->body, "parts");
    in->n_parts = 0;
    if (!parts || json_is_null(parts))
        return 0;
    if (!json_is_array(parts) || json_array_size(parts) > APPT_MAX_PARTS)
        return req_fail(r, "invalid_field", "parts",
                        "parts is a list of at most %d "
                        "{\"part_no\", \"qty\"}",
                        APPT_MAX_PARTS);
    for (size_t i = 0; i < json_array_size(parts); i++) {
        json_t *p = json_array_get(parts, i);
        static const char *const keys[] = {"part_no", "qty", NULL};
        struct part_request *pr = &in->parts[in->n_parts];
        const char *no;
        int64_t qty;
        char prefix[40];
        snprintf(prefix, sizeof prefix, "parts[%zu].", i);
        if (!json_is_object(p))
            return req_fail(r, "invalid_field", "parts", "parts[%zu] is an object", i);
        if (jin_only(p, keys, prefix, &r->err) < 0 ||
            jin_string(p, "part_no", true, &no, &r->err) < 0 ||
            jin_int(p, "qty", true, 1, PART_MAX_QTY, &qty, &r->err) < 0)
            return jin_prefix_field(&r->err, prefix);
        if (json_code(json_object_get(p, "part_no"), pr->part_no) < 0)
            return req_fail(r, "invalid_field", "parts", "parts[%zu].part_no is not a part number",
                            i);
        pr->qty = qty;
        in->n_parts++;
    }
    return 0;
}

static int body_services(struct req *r, unsigned *out)
{
    json_t *a = json_object_get(r->body, "services");
    *out = 0;
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a))
        return req_fail(r, "invalid_field", "services", "services is a list");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *s = json_array_get(a, i);
        int k =
            json_is_string(s) ? enum_index(SERVICE_NAMES, SERVICE_COUNT, json_string_value(s)) : -1;
        if (k < 0)
            return req_fail(r, "invalid_field", "services",
                            "services[%zu] is one of pickup, delivery, accessories, "
                            "insurance_renewal, claim, wash",
                            i);
        *out |= 1u << k;
    }
    return 0;
}

/* ---- views ---- */

static json_t *view_option(const struct slot_option *o)
{
    return json_pack(
        "{s:o, s:o, s:o, s:I, s:I, s:{s:o, s:o}}", "start", view_local(o->date, o->start), "end",
        view_local(o->date, o->end), "hold_until", view_local(o->date, o->hold_until), "bay_id",
        (json_int_t)o->bay_id, "technician_id", (json_int_t)o->technician_id, "window", "from",
        view_local(o->date, o->start), "to", view_local(o->date, o->hold_until));
}

static json_t *view_options(const struct slot_option *o, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, view_option(&o[i]));
    return a;
}

static const char *shelf_of(enum appt_part_state s)
{
    return s == PART_RESERVED ? "appointment" : s == PART_ON_ORDER ? "waiting_for_parts" : NULL;
}

static json_t *view_part(const struct appt_part *p)
{
    const char *shelf = shelf_of(p->state);
    return json_pack("{s:s, s:s, s:I, s:I, s:s, s:o, s:o, s:i}", "part_no", p->part_no, "name",
                     p->name, "qty", (json_int_t)p->qty, "unit_price_fen",
                     (json_int_t)p->unit_price_fen, "state", PART_STATE_NAMES[p->state], "shelf",
                     shelf ? json_string(shelf) : json_null(), "expected_date",
                     jstr_or_null(p->expected_date), "lead_time_days", p->lead_days);
}

static json_t *view_op(const struct appt_op *o)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:I}", "code", o->code, "name", o->name, "kind",
                     OP_KIND_NAMES[o->kind], "hours", hours_value(o->hours_x100), "labour_fen",
                     (json_int_t)o->labour_fen);
}

json_t *view_appointment(const struct req *r, const struct appointment *p)
{
    dms_day day = 0;
    struct dms_error e = {0};
    if (p->day[0])
        date_parse(p->day, &day, NULL, &e);
    json_t *ops = json_array(), *parts = json_array();
    for (int i = 0; i < p->n_ops; i++)
        json_array_append_new(ops, view_op(&p->ops[i]));
    for (int i = 0; i < p->n_parts; i++)
        json_array_append_new(parts, view_part(&p->parts[i]));
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)p->id,
        "case", BOOKING_CASE_NAMES[p->bcase], "status", APPT_STATUS_NAMES[p->status], "flexibility",
        FLEXIBILITY_NAMES[p->flex], "date", jstr_or_null(p->day), "start",
        view_local(day, p->start_min), "end", view_local(day, p->end_min), "hold_until",
        view_local(day, p->hold_min), "bay_id", p->bay_id ? json_integer(p->bay_id) : json_null(),
        "bay_name", jstr_or_null(p->bay_name), "technician_id",
        p->technician_id ? json_integer(p->technician_id) : json_null(), "technician_name",
        jstr_or_null(p->technician_name));
    json_object_set_new(o, "vehicle",
                        json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)p->vehicle_id, "plate",
                                  p->plate, "brand", p->brand, "model", p->model));
    json_object_set_new(o, "customer",
                        json_pack("{s:I, s:o, s:o}", "id", (json_int_t)p->customer_id, "name",
                                  masked_name(r, p->customer_name), "title",
                                  jstr_or_null(p->customer_title)));
    json_object_set_new(o, "ops", ops);
    json_object_set_new(o, "parts", parts);
    json_object_set_new(o, "duration_min", json_integer(p->job.work_min));
    json_object_set_new(o, "bay_kind", json_string(BAY_KIND_NAMES[p->job.bay_kind]));
    json_object_set_new(o, "estimate", view_estimate(p->labour_fen, p->parts_fen, p->total_fen));
    json_object_set_new(o, "services", view_services(p->services));
    json_object_set_new(o, "customer_needs", view_needs(p->customer_needs));
    json_object_set_new(o, "needs_note", jstr_or_null(p->needs_note));
    json_object_set_new(o, "repair_order_id",
                        p->repair_order_id ? json_integer(p->repair_order_id) : json_null());
    json_object_set_new(o, "repair_order_number", jstr_or_null(p->repair_order_number));
    json_object_set_new(o, "customer_words", jstr_or_null(p->customer_words));
    json_object_set_new(o, "source", json_string(SOURCE_NAMES[p->source]));
    json_object_set_new(o, "wait_for_parts", json_boolean(p->wait_for_parts));
    json_object_set_new(o, "period_from", jstr_or_null(p->period_from));
    json_object_set_new(o, "period_to", jstr_or_null(p->period_to));
    json_object_set_new(o, "parts_date", jstr_or_null(p->parts_date));
    json_object_set_new(o, "task_id", p->task_id ? json_integer(p->task_id) : json_null());
    json_object_set_new(o, "created_at", json_string(p->created_at));
    json_object_set_new(o, "updated_at", json_string(p->updated_at));
    return o;
}

/* A refused booking answers with its options (and the parts' lead time). */
int booking_refused(struct req *r, const struct booking_refusal *f)
{
    if (f->verdict != SLOT_OK)
        r->err_extra = json_pack("{s:o}", "options", view_options(f->options, f->n_options));
    else if (dms_error_is(&r->err, "parts_unavailable"))
        r->err_extra = json_pack("{s:i}", "lead_time_days", f->lead_days);
    return -1;
}

static json_t *view_plan(const struct appt_plan *p)
{
    json_t *ops = json_array(), *parts = json_array();
    for (int i = 0; i < p->n_ops; i++)
        json_array_append_new(ops, view_op(&p->ops[i]));
    for (int i = 0; i < p->n_parts; i++) {
        const struct appt_part *ap = &p->parts[i];
        bool in_stock = ap->available >= ap->qty;
        json_t *v = view_part(ap);
        json_object_set_new(v, "state", json_string(in_stock ? "in_stock" : "to_order"));
        json_object_set_new(v, "available", json_integer(ap->available));
        json_array_append_new(parts, v);
    }
    char parts_date[DATE_STR] = "";
    if (p->short_parts)
        date_format(p->parts_day, parts_date);
    return json_pack("{s:s, s:i, s:o, s:s, s:o, s:o, s:o, s:o}", "case",
                     BOOKING_CASE_NAMES[p->bcase], "duration_min", p->job.work_min, "hours",
                     hours_value((int64_t)p->job.work_min * 100 / 60), "bay_kind",
                     BAY_KIND_NAMES[p->job.bay_kind], "ops", ops, "parts", parts, "estimate",
                     view_estimate(p->labour_fen, p->parts_fen, p->total_fen), "parts_date",
                     jstr_or_null(parts_date));
}

/* ---- slots, quote ---- */

/* The vehicle named in the query, when one is: it must be the store's. */
static int query_vehicle(struct req *r, bool required, struct vehicle *v)
{
    int64_t id;
    if (req_query_id(r, "vehicle_id", &id) < 0)
        return -1;
    if (!id)
        return required ? req_fail(r, "missing_field", "vehicle_id", "vehicle_id is required") : 0;
    if (vehicles_get(r->db, &r->actor, id, v, &r->err) < 0)
        return -1;
    return 1;
}

int h_slots(struct req *r)
{
    struct booking_in *in = calloc(1, sizeof *in);
    struct appt_plan *plan = malloc(sizeof *plan);
    struct vehicle v;
    dms_day day;
    int min = -1, rc = -1;
    const char *time = req_query(r, "time");
    if (!in || !plan)
        rc = req_fail(r, "internal", NULL, "out of memory");
    else if (query_vehicle(r, false, &v) >= 0 && query_ops(r, in) == 0 && query_parts(r, in) == 0 &&
             req_query_date(r, "date", &day) == 0 &&
             (!time || outbox_parse_hhmm(time, &min, "time", &r->err) == 0) &&
             appointments_plan(r->db, &r->actor, in->codes, in->n_codes, in->parts, in->n_parts,
                               plan, &r->err) == 0)
        rc = 0;
    if (rc == 0 && time && !day)
        rc = req_fail(r, "missing_field", "date", "a time needs its date");
    if (rc == 0 && day && day < r->actor.today)
        rc = req_fail(r, "invalid_date", "date", "the date is in the past");
    if (rc == 0) {
        /* No date: the earliest options (IN-20, "how soon can you fix it"): wished for the
         * opening of today (or of the day the parts arrive), none before now, on the step
         * grid; the nearest are the soonest. */
        bool earliest = !day;
        struct slot_query q = {.job = plan->job,
                               .wish_day = earliest ? r->actor.today : day,
                               .wish_min = earliest ? -1 : min};
        slot_not_before(r->actor.today, r->actor.now_min, plan->short_parts ? plan->parts_day : 0,
                        &q.not_before_day, &q.not_before_min);
        if (earliest && q.not_before_day > q.wish_day)
            q.wish_day = q.not_before_day;
        struct slot_option opts[3];
        size_t n;
        rc = slots_find(r->db, r->actor.store_id, &q, opts, 3, &n, &r->err);
        if (rc == 0) {
            json_t *body = view_plan(plan);
            json_object_set_new(body, "options", view_options(opts, n));
            json_object_set_new(body, "wish_free",
                                json_boolean(!earliest && min >= 0 && n > 0 &&
                                             opts[0].date == day && opts[0].start == min));
            /* Only a search from now knows the earliest there is. */
            if (earliest)
                json_object_set_new(body, "earliest", n ? view_option(&opts[0]) : json_null());
            rc = reply(r, 200, body);
        }
    }
    free(in);
    free(plan);
    return rc;
}

/* IN-7: the quote of a vehicle's maintenance package. */
static int quote_package(struct req *r, const struct vehicle *v)
{
    struct plan *p = malloc(sizeof *p);
    if (!p)
        return req_fail(r, "internal", NULL, "out of memory");
    if (plans_for_vehicle(r->db, &r->actor, v->id, p, &r->err) < 0) {
        free(p);
        return -1;
    }
    json_t *ops = json_array(), *parts = json_array();
    for (int i = 0; i < p->n_ops; i++)
        json_array_append_new(ops,
                              json_pack("{s:s, s:s, s:o, s:I}", "code", p->ops[i].code, "name",
                                        p->ops[i].name, "hours", hours_value(p->ops[i].hours_x100),
                                        "labour_fen", (json_int_t)p->ops[i].labour_fen));
    for (int i = 0; i < p->n_parts; i++) {
        const struct plan_part *pp = &p->parts[i];
        struct part stock;
        struct dms_error e = {0};
        /* Plans keep part numbers as printed ("N 908 132 01"); the parts master holds their
         * normal form (core/part.h). */
        char no[sizeof pp->part_no];
        bool known = part_no_normalise(pp->part_no, no, sizeof no) >= 0 &&
                     parts_get_by_no(r->db, &r->actor, no, &stock, &e) == 0;
        json_array_append_new(
            parts, json_pack("{s:s, s:s, s:I, s:I, s:o}", "part_no", pp->part_no, "name", pp->name,
                             "qty", (json_int_t)pp->qty, "unit_price_fen",
                             (json_int_t)pp->unit_price_fen, "in_stock",
                             known ? json_boolean(stock.on_hand - stock.reserved >= pp->qty)
                                   : json_null()));
    }
    int64_t total = p->labour_fen + p->parts_fen;
    json_t *body = json_pack(
        "{s:I, s:s, s:o, s:o, s:o, s:o, s:i}", "vehicle_id", (json_int_t)v->id, "case", "A",
        "package", p->n_ops || p->n_parts ? json_string(p->package_name) : json_null(), "ops", ops,
        "parts", parts, "estimate", view_estimate(p->labour_fen, p->parts_fen, total),
        "lead_time_days", p->lead_days);
    free(p);
    return reply(r, 200, body);
}

int h_quote(struct req *r)
{
    struct booking_in *in = calloc(1, sizeof *in);
    struct appt_plan *plan = malloc(sizeof *plan);
    struct vehicle v;
    int rc = -1;
    if (!in || !plan)
        rc = req_fail(r, "internal", NULL, "out of memory");
    else if (query_vehicle(r, true, &v) > 0) {
        const char *ops = req_query(r, "ops");
        if (!ops || !*ops)
            rc = quote_package(r, &v); /* IN-7: the maintenance package of its plan */
        else if (query_ops(r, in) == 0 && query_parts(r, in) == 0 &&
                 appointments_plan(r->db, &r->actor, in->codes, in->n_codes, in->parts, in->n_parts,
                                   plan, &r->err) == 0)
            rc = reply(r, 200, view_plan(plan));
    }
    free(in);
    free(plan);
    return rc;
}

/* ---- appointments ---- */

static int booking_body(struct req *r, struct booking_in *in)
{
    static const char *const fields[] = {"vehicle_id",  "ops",
                                         "parts",       "start",
                                         "date",        "flexibility",
                                         "period_from", "period_to",
                                         "services",    "wait_for_parts",
                                         "source",      "customer_words",
                                         "bay_id",      "technician_id",
                                         "task_id",     NULL};
    int64_t vehicle, bay = 0, tech = 0, task = 0;
    int flex = FLEX_EXACT, source = SOURCE_INBOUND;
    const char *start = NULL;
    char date[DATE_STR], pf[DATE_STR], pt[DATE_STR];
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_int(r->body, "vehicle_id", true, 1, INT64_MAX, &vehicle, &r->err) < 0 ||
        booking_body_ops(r, in) < 0 || booking_body_parts(r, in) < 0 ||
        body_services(r, &in->services) < 0 ||
        jin_enum(r->body, "flexibility", false, FLEXIBILITY_NAMES, FLEX_COUNT, &flex, &r->err) <
            0 ||
        jin_enum(r->body, "source", false, SOURCE_NAMES, SOURCE_COUNT, &source, &r->err) < 0 ||
        jin_bool(r->body, "wait_for_parts", false, &in->wait_for_parts, &r->err) < 0 ||
        jin_text(r->body, "customer_words", false, APPT_WORDS_CHARS, true, in->customer_words,
                 sizeof in->customer_words, &r->err) < 0 ||
        jin_int(r->body, "bay_id", false, 1, INT64_MAX, &bay, &r->err) < 0 ||
        jin_int(r->body, "technician_id", false, 1, INT64_MAX, &tech, &r->err) < 0 ||
        jin_int(r->body, "task_id", false, 1, INT64_MAX, &task, &r->err) < 0 ||
        jin_string(r->body, "start", false, &start, &r->err) < 0 ||
        jin_date(r->body, "date", false, date, &in->day, &r->err) < 0 ||
        jin_date(r->body, "period_from", flex == FLEX_PERIOD, pf, &in->period_from, &r->err) < 0 ||
        jin_date(r->body, "period_to", flex == FLEX_PERIOD, pt, &in->period_to, &r->err) < 0)
        return -1;
    in->vehicle_id = vehicle, in->bay_id = bay, in->technician_id = tech, in->task_id = task;
    in->flex = (enum flexibility)flex;
    in->source = (enum booking_source)source;
    in->start_min = -1;
    if (flex == FLEX_EXACT) {
        if (!start)
            return req_fail(r, "missing_field", "start", "start is YYYY-MM-DDTHH:MM");
        return local_time_parse(start, &in->day, &in->start_min, "start", &r->err);
    }
    if (flex == FLEX_DATE) {
        /* the day only: "date", or the day of "start" */
        int ignored;
        if (!in->day && start &&
            (strlen(start) == 10
                 ? jin_date(r->body, "start", true, date, &in->day, &r->err)
                 : local_time_parse(start, &in->day, &ignored, "start", &r->err)) < 0)
            return -1;
        if (!in->day)
            return req_fail(r, "missing_field", "date", "a booking for a date needs the date");
        return 0;
    }
    return booking_check_period(in->period_from, in->period_to, &r->err);
}

int h_appointments_create(struct req *r)
{
    struct booking_in *in = calloc(1, sizeof *in);
    struct appointment *ap = malloc(sizeof *ap);
    struct booking_refusal f;
    int rc = -1;
    if (!in || !ap)
        rc = req_fail(r, "internal", NULL, "out of memory");
    else if (booking_body(r, in) == 0) {
        if (appointments_book(r->db, &r->actor, in, ap, &f, &r->err) < 0)
            rc = booking_refused(r, &f);
        else
            rc = reply(r, 201, view_appointment(r, ap));
    }
    free(in);
    free(ap);
    return rc;
}

int h_appointments_get(struct req *r)
{
    struct appointment *ap = malloc(sizeof *ap);
    if (!ap)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = appointments_get(r->db, &r->actor, r->ids[0], ap, &r->err);
    if (rc == 0)
        rc = reply(r, 200, view_appointment(r, ap));
    free(ap);
    return rc;
}

int h_appointments_list(struct req *r)
{
    struct appt_filter f = {0};
    if (req_query_date(r, "date", &f.day) < 0 || req_query_id(r, "vehicle_id", &f.vehicle_id) < 0 ||
        req_query_enum(r, "status", APPT_STATUS_NAMES, APPT_STATUS_COUNT, &f.status) < 0)
        return -1;
    if (!f.day && !f.vehicle_id)
        return req_fail(r, "missing_field", "date", "name a date or a vehicle_id");
    struct appointment *list;
    size_t n;
    if (appointments_list(r->db, &r->actor, &f, &list, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_appointment(r, &list[i]));
    free(list);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

/* PATCH: fix or move the time (and optionally the bay and technician). */
int h_appointments_update(struct req *r)
{
    static const char *const fields[] = {"start", "bay_id", "technician_id", NULL};
    const char *start;
    int64_t bay = 0, tech = 0;
    dms_day day;
    int min;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_string(r->body, "start", true, &start, &r->err) < 0 ||
        jin_int(r->body, "bay_id", false, 1, INT64_MAX, &bay, &r->err) < 0 ||
        jin_int(r->body, "technician_id", false, 1, INT64_MAX, &tech, &r->err) < 0 ||
        local_time_parse(start, &day, &min, "start", &r->err) < 0)
        return -1;
    struct appointment *ap = malloc(sizeof *ap);
    struct booking_refusal f;
    if (!ap)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc =
        appointments_reschedule(r->db, &r->actor, r->ids[0], day, min, bay, tech, ap, &f, &r->err);
    rc = rc < 0 ? booking_refused(r, &f) : reply(r, 200, view_appointment(r, ap));
    free(ap);
    return rc;
}

int h_appointments_status(struct req *r)
{
    static const char *const fields[] = {"status", NULL};
    int to;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "status", true, APPT_STATUS_NAMES, APPT_STATUS_COUNT, &to, &r->err) < 0)
        return -1;
    /* The workshop starts and finishes jobs; reception books, receives and cancels. */
    bool workshop = to == APPT_IN_SERVICE || to == APPT_COMPLETED;
    if (!role_can(r->actor.role, PERM_BOOK) &&
        !(workshop && role_can(r->actor.role, PERM_DISPATCH)))
        return req_fail(r, "forbidden", NULL, "your role (%s) may not set %s",
                        role_name(r->actor.role), APPT_STATUS_NAMES[to]);
    struct appointment *ap = malloc(sizeof *ap);
    if (!ap)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc =
        appointments_set_status(r->db, &r->actor, r->ids[0], (enum appt_status)to, ap, &r->err);
    if (rc == 0)
        rc = reply(r, 200, view_appointment(r, ap));
    free(ap);
    return rc;
}

int h_appointments_dispatch(struct req *r)
{
    static const char *const fields[] = {"technician_id", NULL};
    int64_t tech;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_int(r->body, "technician_id", true, 1, INT64_MAX, &tech, &r->err) < 0)
        return -1;
    struct appointment *ap = malloc(sizeof *ap);
    struct booking_refusal f;
    if (!ap)
        return req_fail(r, "internal", NULL, "out of memory");
    int rc = appointments_dispatch(r->db, &r->actor, r->ids[0], tech, ap, &f, &r->err);
    rc = rc < 0 ? booking_refused(r, &f) : reply(r, 200, view_appointment(r, ap));
    free(ap);
    return rc;
}

/* ---- failed booking calls (IN-20) ---- */

int h_booking_failures_create(struct req *r)
{
    static const char *const fields[] = {"vehicle_id", "customer_id", "reason",
                                         "source",     "note",        NULL};
    struct booking_failure_in f = {0};
    int reason, source = SOURCE_INBOUND;
    int64_t id;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_int(r->body, "vehicle_id", false, 1, INT64_MAX, &f.vehicle_id, &r->err) < 0 ||
        jin_int(r->body, "customer_id", false, 1, INT64_MAX, &f.customer_id, &r->err) < 0 ||
        jin_enum(r->body, "reason", true, BOOKING_FAILURE_NAMES, FAIL_COUNT, &reason, &r->err) <
            0 ||
        jin_enum(r->body, "source", false, SOURCE_NAMES, SOURCE_COUNT, &source, &r->err) < 0 ||
        jin_text(r->body, "note", false, 500, true, f.note, sizeof f.note, &r->err) < 0)
        return -1;
    f.reason = (enum booking_failure)reason;
    f.source = (enum booking_source)source;
    if (booking_failures_add(r->db, &r->actor, &f, &id, &r->err) < 0)
        return -1;
    return reply(r, 201,
                 json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "reason",
                           BOOKING_FAILURE_NAMES[f.reason], "source", SOURCE_NAMES[f.source]));
}
