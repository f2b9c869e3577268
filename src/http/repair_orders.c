/* Repair orders (RO-1..RO-7): /api/v1/repair-orders and its lines, decisions, clock, status and
 * settlement; receivables; the reception's day and a technician's jobs. Handlers translate:
 * the rules are in core/repair_order.c, the use cases in store/repair_orders.c. */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/part.h"
#include "core/repair_order.h"
#include "http/appointments.h"
#include "http/http.h"
#include "store/repair_orders.h"
#include "store/settings.h"
#include "store/users.h"

/* ---- views ---- */

static json_t *opt_int(int64_t v, bool known)
{
    return known ? json_integer(v) : json_null();
}

static json_t *view_line(const struct ro_line *l)
{
    json_t *clock = l->clock_technician_id
                        ? json_pack("{s:I, s:s}", "technician_id",
                                    (json_int_t)l->clock_technician_id, "at", l->clock_on_at)
                        : json_null();
    json_t *v = json_pack(
        "{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:s, "
        "s:I, s:o, s:s}",
        "id", (json_int_t)l->id, "type", RO_LINE_TYPE_NAMES[l->type], "code", l->code, "name",
        l->name, "qty", (json_int_t)l->qty, "unit_price_fen", (json_int_t)l->unit_price_fen,
        "amount_fen", (json_int_t)l->amount_fen, "payer", PAYER_NAMES[l->payer], "perk", l->perk,
        "from_appointment", l->from_appointment, "needs_approval", l->decision != DECISION_NONE,
        "decision",
        l->decision == DECISION_NONE ? json_null() : json_string(DECISION_NAMES[l->decision]),
        "decided_via", jstr_or_null(l->decided_via), "decided_by", jstr_or_null(l->decided_by),
        "decided_at", jstr_or_null(l->decided_at), "recorded_by",
        opt_int(l->recorded_by, l->recorded_by != 0), "stock",
        l->type == RO_LINE_PART ? RO_STOCK_NAMES[l->stock] : "none", "clocked_min",
        (json_int_t)l->clocked_min, "clock_on", clock, "created_at", l->created_at);
    if (l->type == RO_LINE_LABOUR) {
        json_object_set_new(v, "hours", hours_value(l->hours_x100));
        json_object_set_new(v, "labour_fen", json_integer(l->amount_fen));
    }
    return v;
}

static json_t *view_order(const struct req *r, const struct repair_order *o)
{
    dms_day day = 0;
    struct dms_error ignore;
    date_parse(o->day, &day, NULL, &ignore);
    json_t *lines = json_array(), *pays = json_array(), *payers = json_object();
    for (size_t i = 0; i < o->n_lines; i++)
        json_array_append_new(lines, view_line(&o->lines[i]));
    for (size_t i = 0; i < o->n_payments; i++)
        json_array_append_new(pays, json_pack("{s:s, s:I, s:s}", "method",
                                              PAY_METHOD_NAMES[o->payments[i].method], "amount_fen",
                                              (json_int_t)o->payments[i].amount_fen, "at",
                                              o->payments[i].at));
    for (int p = 0; p < PAYER_COUNT; p++)
        if (o->totals.by_payer[p])
            json_object_set_new(payers, PAYER_NAMES[p], json_integer(o->totals.by_payer[p]));
    json_t *brought =
        o->by_driver ? json_pack("{s:s, s:I, s:o, s:o}", "kind", "driver", "driver_id",
                                 (json_int_t)o->driver_id, "name", masked_name(r, o->driver_name),
                                 "phone", phone_value(o->driver_phone, false))
                     : json_pack("{s:s}", "kind", "owner");
    json_t *v = json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:{s:I, s:s, s:s, s:s, s:s}, s:{s:I, s:o, s:o, s:s}, "
        "s:I, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:s}",
        "id", (json_int_t)o->id, "number", o->number, "status", RO_STATUS_NAMES[o->status],
        "source", RO_SOURCE_NAMES[o->source], "appointment_id",
        opt_int(o->appointment_id, o->appointment_id != 0), "kind", SERVICE_KIND_NAMES[o->kind],
        "campaign_id", opt_int(o->campaign_id, o->campaign_id != 0), "vehicle", "id",
        (json_int_t)o->vehicle_id, "plate", o->plate, "brand", o->brand, "model", o->model, "vin",
        o->vin, "customer", "id", (json_int_t)o->customer_id, "name",
        masked_name(r, o->customer_name), "title", jstr_or_null(o->customer_title), "type",
        CUSTOMER_TYPE_NAMES[o->customer_type], "mileage_km", (json_int_t)o->mileage_km,
        "fuel_eighths", opt_int(o->fuel_eighths, o->fuel_eighths >= 0), "damage_notes",
        jstr_or_null(o->damage_notes), "customer_words", jstr_or_null(o->customer_words), "waiting",
        o->waiting, "promised_at", jstr_or_null(o->promised_at), "brought_by", brought, "advisor",
        o->advisor_id
            ? json_pack("{s:I, s:s}", "id", (json_int_t)o->advisor_id, "name", o->advisor_name)
            : json_null(),
        "date", o->day);
    json_object_set_new(v, "start",
                        o->start_min >= 0 ? view_local(day, o->start_min) : json_null());
    json_object_set_new(v, "end", o->end_min >= 0 ? view_local(day, o->end_min) : json_null());
    json_object_set_new(v, "bay_id", opt_int(o->bay_id, o->bay_id != 0));
    json_object_set_new(v, "bay_name", jstr_or_null(o->bay_name));
    json_object_set_new(v, "technician_id", opt_int(o->technician_id, o->technician_id != 0));
    json_object_set_new(v, "technician_name", jstr_or_null(o->technician_name));
    json_object_set_new(v, "queued", json_boolean(o->queued));
    json_object_set_new(v, "queue_position", opt_int(o->queue_position, o->queue_position > 0));
    json_object_set_new(v, "arrived_at", jstr_or_null(o->arrived_at));
    json_object_set_new(v, "started_at", jstr_or_null(o->started_at));
    json_object_set_new(v, "qc_at", jstr_or_null(o->qc_at));
    json_object_set_new(v, "ready_at", jstr_or_null(o->ready_at));
    json_object_set_new(v, "settled_at", jstr_or_null(o->settled_at));
    json_object_set_new(v, "delivered_at", jstr_or_null(o->delivered_at));
    json_object_set_new(v, "cancelled_at", jstr_or_null(o->cancelled_at));
    json_object_set_new(v, "cancel_reason", jstr_or_null(o->cancel_reason));
    json_object_set_new(v, "wait_min", opt_int(o->wait_min, o->wait_min >= 0));
    json_object_set_new(v, "on_time", o->on_time < 0 ? json_null() : json_boolean(o->on_time));
    json_object_set_new(v, "qc_failures", json_integer(o->qc_failures));
    json_object_set_new(v, "qc_note", jstr_or_null(o->qc_note));
    json_object_set_new(v, "lines", lines);
    json_object_set_new(v, "labour_fen", json_integer(o->totals.labour_fen));
    json_object_set_new(v, "parts_fen", json_integer(o->totals.parts_fen));
    json_object_set_new(v, "by_payer", payers);
    json_object_set_new(v, "discount_fen", json_integer(o->discount_fen));
    json_object_set_new(v, "discount_approved_by",
                        opt_int(o->discount_approved_by, o->discount_approved_by != 0));
    json_object_set_new(v, "discount_approver_name", jstr_or_null(o->discount_approver_name));
    json_object_set_new(v, "amount_due_fen", json_integer(o->amount_due_fen));
    json_object_set_new(v, "pending_decisions", json_integer(o->totals.pending));
    json_object_set_new(v, "payments", pays);
    json_object_set_new(v, "receivable_id", opt_int(o->receivable_id, o->receivable_id != 0));
    json_object_set_new(v, "service_record_id",
                        opt_int(o->service_record_id, o->service_record_id != 0));
    json_object_set_new(v, "booking_benefits",
                        o->source == RO_SOURCE_WALK_IN ? json_string(RO_WALK_IN_BENEFIT)
                                                       : json_null());
    json_object_set_new(v, "created_at", json_string(o->created_at));
    json_object_set_new(v, "updated_at", json_string(o->updated_at));
    return v;
}

static int reply_order(struct req *r, int status, struct repair_order *o)
{
    int rc = reply(r, status, view_order(r, o));
    repair_order_clear(o);
    free(o);
    return rc;
}

static struct repair_order *new_order(struct req *r)
{
    struct repair_order *o = calloc(1, sizeof *o);
    if (!o)
        req_fail(r, "internal", NULL, "out of memory");
    return o;
}

/* ---- check-in (RO-1, RO-2) ---- */

static int body_brought_by(struct req *r, struct ro_check_in *in)
{
    json_t *b = json_object_get(r->body, "brought_by");
    if (!b || json_is_null(b))
        return 0;
    static const char *const keys[] = {"kind", "driver_id", "name", "phone", "relation", NULL};
    static const char *const KINDS[] = {"owner", "driver"};
    int kind = 0;
    if (!json_is_object(b))
        return req_fail(r, "invalid_field", "brought_by", "brought_by is an object");
    if (jin_only(b, keys, "brought_by.", &r->err) < 0 ||
        jin_enum(b, "kind", true, KINDS, 2, &kind, &r->err) < 0 ||
        jin_int(b, "driver_id", false, 1, INT64_MAX, &in->driver_id, &r->err) < 0 ||
        jin_text(b, "name", false, CUSTOMER_NAME_CHARS, false, in->driver_name,
                 sizeof in->driver_name, &r->err) < 0 ||
        jin_text(b, "relation", false, 32, false, in->driver_relation, sizeof in->driver_relation,
                 &r->err) < 0)
        return jin_prefix_field(&r->err, "brought_by.");
    in->by_driver = kind == 1;
    const char *phone = NULL;
    if (jin_string(b, "phone", false, &phone, &r->err) < 0)
        return jin_prefix_field(&r->err, "brought_by.");
    if (phone && *phone) {
        enum phone_kind pk;
        if (phone_normalize(phone, in->driver_phone, &pk, "brought_by.phone", &r->err) < 0)
            return -1;
    }
    if (in->by_driver && !in->driver_id && !in->driver_name[0])
        return req_fail(r, "missing_field", "brought_by.name",
                        "name the driver who brought the car, or give driver_id");
    return 0;
}

int h_repair_orders_create(struct req *r)
{
    static const char *const fields[] = {"appointment_id", "vehicle_id",
                                         "mileage_km",     "fuel_eighths",
                                         "damage_notes",   "customer_words",
                                         "brought_by",     "waiting",
                                         "promised_at",    "ops",
                                         "parts",          "kind",
                                         "campaign_id",    NULL};
    struct ro_check_in *in = calloc(1, sizeof *in);
    struct booking_in *b = calloc(1, sizeof *b);
    struct repair_order *o = calloc(1, sizeof *o);
    int rc = -1;
    if (!in || !b || !o) {
        req_fail(r, "internal", NULL, "out of memory");
        goto out;
    }
    int64_t fuel = -1;
    int kind = -1;
    const char *promised = NULL;
    in->kind = -1;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_int(r->body, "appointment_id", false, 1, INT64_MAX, &in->appointment_id, &r->err) < 0 ||
        jin_int(r->body, "vehicle_id", true, 1, INT64_MAX, &in->vehicle_id, &r->err) < 0 ||
        jin_int(r->body, "mileage_km", true, 0, VEHICLE_MAX_KM, &in->mileage_km, &r->err) < 0 ||
        jin_int(r->body, "fuel_eighths", false, 0, 8, &fuel, &r->err) < 0 ||
        jin_text(r->body, "damage_notes", false, RO_NOTES_CHARS, true, in->damage_notes,
                 sizeof in->damage_notes, &r->err) < 0 ||
        jin_bool(r->body, "waiting", false, &in->waiting, &r->err) < 0 ||
        jin_string(r->body, "promised_at", false, &promised, &r->err) < 0 ||
        jin_enum(r->body, "kind", false, SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, &kind, &r->err) <
            0 ||
        jin_int(r->body, "campaign_id", false, 1, INT64_MAX, &in->campaign_id, &r->err) < 0 ||
        body_brought_by(r, in) < 0)
        goto out;
    int words = jin_text(r->body, "customer_words", false, APPT_WORDS_CHARS, true,
                         in->customer_words, sizeof in->customer_words, &r->err);
    if (words < 0)
        goto out;
    in->has_words = words == JIN_VALUE;
    in->fuel_eighths = (int)fuel;
    in->kind = kind;
    if (promised && *promised) {
        dms_day d;
        int m;
        if (local_time_parse(promised, &d, &m, "promised_at", &r->err) < 0)
            goto out;
        local_time_format(d, m, in->promised_at);
    }
    if (!in->appointment_id) {
        /* A walk-in says what to do; a booking brings its own work. */
        if (booking_body_ops(r, b) < 0 || booking_body_parts(r, b) < 0)
            goto out;
        memcpy(in->codes, b->codes, sizeof in->codes);
        in->n_codes = b->n_codes;
        for (int i = 0; i < b->n_parts; i++) {
            if (part_no_normalise(b->parts[i].part_no, in->parts[i].part_no,
                                  sizeof in->parts[i].part_no) < 0) {
                req_fail(r, "invalid_field", "parts", "parts[%d].part_no is not a part number", i);
                goto out;
            }
            in->parts[i].qty = b->parts[i].qty;
        }
        in->n_parts = b->n_parts;
    } else if (json_object_get(r->body, "ops") || json_object_get(r->body, "parts")) {
        req_fail(r, "invalid_field", "ops",
                 "a booked car brings its booking's work: add more as lines after check-in");
        goto out;
    }
    if (repair_orders_check_in(r->db, &r->actor, in, o, &r->err) < 0)
        goto out;
    rc = reply_order(r, 201, o);
    o = NULL;
out:
    free(in), free(b);
    if (o) {
        repair_order_clear(o);
        free(o);
    }
    return rc;
}

/* ---- reading ---- */

int h_repair_orders_get(struct req *r)
{
    struct repair_order *o = new_order(r);
    if (!o)
        return -1;
    if (repair_orders_get(r->db, &r->actor, r->ids[0], o, &r->err) < 0) {
        free(o);
        return -1;
    }
    return reply_order(r, 200, o);
}

int h_repair_orders_list(struct req *r)
{
    struct ro_filter f = {.status = -1, .source = -1};
    int limit;
    int64_t after;
    if (req_query_date(r, "date", &f.day) < 0 ||
        req_query_enum(r, "status", RO_STATUS_NAMES, RO_STATUS_COUNT, &f.status) < 0 ||
        req_query_id(r, "vehicle_id", &f.vehicle_id) < 0 ||
        req_query_enum(r, "source", RO_SOURCE_NAMES, RO_SOURCE_COUNT, &f.source) < 0 ||
        req_page(r, &limit, &after) < 0)
        return -1;
    /* RO-3: the warranty clerk works the orders the brand pays for. */
    f.warranty_only = r->actor.role == ROLE_WARRANTY;
    f.with_lines = true;
    struct repair_order *list;
    size_t n;
    bool more;
    if (repair_orders_list(r->db, &r->actor, &f, after, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_order(r, &list[i]));
    int64_t last = n ? list[n - 1].id : 0;
    repair_orders_free(list, n);
    return reply_page(r, items, more, last);
}

/* ---- the reception fields ---- */

static int edit_reception(void *ctx, void *row, struct dms_error *err)
{
    (void)err;
    struct req *r = ctx;
    struct repair_order *o = row;
    int64_t fuel = o->fuel_eighths;
    int kind = (int)o->kind;
    const char *promised = NULL;
    int rc = jin_int(r->body, "fuel_eighths", false, 0, 8, &fuel, &r->err);
    if (rc < 0 ||
        jin_text(r->body, "damage_notes", false, RO_NOTES_CHARS, true, o->damage_notes,
                 sizeof o->damage_notes, &r->err) < 0 ||
        jin_text(r->body, "customer_words", false, APPT_WORDS_CHARS, true, o->customer_words,
                 sizeof o->customer_words, &r->err) < 0 ||
        jin_bool(r->body, "waiting", false, &o->waiting, &r->err) < 0 ||
        jin_enum(r->body, "kind", false, SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, &kind, &r->err) <
            0)
        return -1;
    o->fuel_eighths = rc == JIN_NULL ? -1 : (int)fuel;
    o->kind = (enum service_kind)kind;
    rc = jin_string(r->body, "promised_at", false, &promised, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_NULL || (promised && !*promised)) {
        o->promised_at[0] = '\0';
    } else if (promised) {
        dms_day d;
        int m;
        if (local_time_parse(promised, &d, &m, "promised_at", &r->err) < 0)
            return -1;
        local_time_format(d, m, o->promised_at);
    }
    return 0;
}

int h_repair_orders_update(struct req *r)
{
    static const char *const fields[] = {
        "fuel_eighths", "damage_notes", "customer_words", "waiting", "promised_at", "kind", NULL};
    static const char *const no_nulls[] = {"waiting", "kind", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_no_nulls(r, no_nulls) < 0)
        return -1;
    struct repair_order *o = new_order(r);
    if (!o)
        return -1;
    if (repair_orders_update(r->db, &r->actor, r->ids[0], edit_reception, r, o, &r->err) < 0) {
        free(o);
        return -1;
    }
    return reply_order(r, 200, o);
}

/* ---- lines (RO-3, RO-4, RO-5) ---- */

int h_repair_orders_add_line(struct req *r)
{
    static const char *const fields[] = {"op", "part_no", "qty", "payer", "needs_approval", NULL};
    if (!role_can(r->actor.role, PERM_REPAIR_ORDER) && !role_can(r->actor.role, PERM_DISPATCH))
        return req_fail(r, "forbidden", NULL, "your role (%s) may not add work",
                        role_name(r->actor.role));
    struct ro_line_in in = {.qty = 1};
    int payer = PAYER_CUSTOMER;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "payer", false, PAYER_NAMES, PAYER_COUNT, &payer, &r->err) < 0 ||
        jin_bool(r->body, "needs_approval", false, &in.needs_approval, &r->err) < 0)
        return -1;
    in.payer = (enum ro_payer)payer;
    bool op = json_object_get(r->body, "op") != NULL;
    bool part = json_object_get(r->body, "part_no") != NULL;
    if (op == part)
        return req_fail(r, "missing_field", "op", "give an operation (op) or a part (part_no)");
    if (op) {
        in.type = RO_LINE_LABOUR;
        if (json_object_get(r->body, "qty"))
            return req_fail(r, "invalid_field", "qty", "an operation has no quantity");
        if (jin_code(r, "op", in.code) < 0)
            return -1;
    } else {
        in.type = RO_LINE_PART;
        const char *no;
        if (jin_string(r->body, "part_no", true, &no, &r->err) < 0 ||
            jin_int(r->body, "qty", true, 1, PART_MAX_QTY, &in.qty, &r->err) < 0)
            return -1;
        if (part_no_normalise(no, in.code, sizeof in.code) < 0)
            return req_fail(r, "invalid_field", "part_no", "not a part number");
    }
    struct ro_line l;
    if (repair_orders_add_line(r->db, &r->actor, r->ids[0], &in, &l, &r->err) < 0)
        return -1;
    return reply(r, 201, view_line(&l));
}

int h_repair_orders_decide(struct req *r)
{
    static const char *const fields[] = {"approved", "via", "by", NULL};
    static const char *const VIAS[] = {"phone", "in_person"};
    bool approved;
    int via;
    char by[RO_PERSON_BYTES] = "";
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_bool(r->body, "approved", true, &approved, &r->err) < 0 ||
        jin_enum(r->body, "via", true, VIAS, 2, &via, &r->err) < 0 ||
        jin_text(r->body, "by", false, CUSTOMER_NAME_CHARS, false, by, sizeof by, &r->err) < 0)
        return -1;
    struct ro_line l;
    if (repair_orders_decide(r->db, &r->actor, r->ids[0], r->ids[1], approved, VIAS[via], by, &l,
                             &r->err) < 0)
        return -1;
    return reply(r, 200, view_line(&l));
}

int h_repair_orders_clock(struct req *r)
{
    static const char *const fields[] = {"action", "technician_id", NULL};
    static const char *const ACTIONS[] = {"on", "off"};
    int action;
    int64_t tech = 0;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "action", true, ACTIONS, 2, &action, &r->err) < 0 ||
        jin_int(r->body, "technician_id", false, 1, INT64_MAX, &tech, &r->err) < 0)
        return -1;
    struct ro_line l;
    if (repair_orders_clock(r->db, &r->actor, r->ids[0], r->ids[1], action == 0, tech, &l,
                            &r->err) < 0)
        return -1;
    return reply(r, 200, view_line(&l));
}

/* ---- status and settlement (RO-5, RO-7) ---- */

int h_repair_orders_status(struct req *r)
{
    static const char *const fields[] = {"status", "reason", "bay_id", "technician_id", NULL};
    int to;
    int64_t bay = 0, tech = 0;
    char reason[RO_REASON_BYTES] = "";
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "status", true, RO_STATUS_NAMES, RO_STATUS_COUNT, &to, &r->err) < 0 ||
        jin_text(r->body, "reason", false, RO_REASON_CHARS, false, reason, sizeof reason, &r->err) <
            0 ||
        jin_int(r->body, "bay_id", false, 1, INT64_MAX, &bay, &r->err) < 0 ||
        jin_int(r->body, "technician_id", false, 1, INT64_MAX, &tech, &r->err) < 0)
        return -1;
    /* The workshop dispatches, checks and hands over to reception; reception delivers and
     * cancels (RO-5, RO-7). */
    bool workshop = to == RO_IN_PROGRESS || to == RO_QC || to == RO_READY;
    enum perm need = workshop ? PERM_DISPATCH : PERM_REPAIR_ORDER;
    if (!role_can(r->actor.role, need))
        return req_fail(r, "forbidden", NULL, "your role (%s) may not set %s",
                        role_name(r->actor.role), RO_STATUS_NAMES[to]);
    struct repair_order *o = new_order(r);
    if (!o)
        return -1;
    struct booking_refusal f;
    if (repair_orders_set_status(r->db, &r->actor, r->ids[0], (enum ro_status)to, reason, bay, tech,
                                 o, &f, &r->err) < 0) {
        free(o);
        return booking_refused(r, &f);
    }
    return reply_order(r, 200, o);
}

int h_repair_orders_settle(struct req *r)
{
    static const char *const fields[] = {"payments", "discount_fen", "discount_approved_by", NULL};
    static const char *const keys[] = {"method", "amount_fen", NULL};
    int64_t discount = 0, approver = 0;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_int(r->body, "discount_fen", false, 0, MONEY_MAX_FEN, &discount, &r->err) < 0 ||
        jin_int(r->body, "discount_approved_by", false, 1, INT64_MAX, &approver, &r->err) < 0)
        return -1;
    json_t *list = json_object_get(r->body, "payments");
    if (!list)
        return req_fail(r, "missing_field", "payments", "payments lists how the customer paid");
    if (!json_is_array(list) || json_array_size(list) > RO_MAX_PAYMENTS)
        return req_fail(r, "invalid_field", "payments",
                        "payments is a list of at most %d {\"method\", \"amount_fen\"}",
                        RO_MAX_PAYMENTS);
    struct ro_payment pays[RO_MAX_PAYMENTS];
    size_t n = json_array_size(list);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(list, i);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "payments[%zu].", i);
        int method;
        if (!json_is_object(p))
            return req_fail(r, "invalid_field", "payments", "payments[%zu] is an object", i);
        if (jin_only(p, keys, prefix, &r->err) < 0 ||
            jin_enum(p, "method", true, PAY_METHOD_NAMES, PAY_METHOD_COUNT, &method, &r->err) < 0 ||
            jin_int(p, "amount_fen", true, 1, MONEY_MAX_FEN, &pays[i].amount_fen, &r->err) < 0)
            return jin_prefix_field(&r->err, prefix);
        pays[i].method = (enum pay_method)method;
    }
    struct repair_order *o = new_order(r);
    if (!o)
        return -1;
    if (repair_orders_settle(r->db, &r->actor, r->ids[0], pays, n, discount, approver, o, &r->err) <
        0) {
        free(o);
        return -1;
    }
    return reply_order(r, 200, o);
}

/* ---- receivables (RO-7, CRM-3) ---- */

static json_t *view_receivable(const struct req *r, const struct receivable *v)
{
    return json_pack("{s:I, s:I, s:s, s:{s:I, s:o}, s:I, s:I, s:s, s:b, s:s, s:s, s:o}", "id",
                     (json_int_t)v->id, "repair_order_id", (json_int_t)v->order_id, "number",
                     v->number, "customer", "id", (json_int_t)v->customer_id, "name",
                     masked_name(r, v->customer_name), "amount_fen", (json_int_t)v->amount_fen,
                     "paid_fen", (json_int_t)v->paid_fen, "due_date", v->due_date, "overdue",
                     v->overdue, "status", v->paid ? "paid" : "open", "created_at", v->created_at,
                     "paid_at", jstr_or_null(v->paid_at));
}

int h_receivables_list(struct req *r)
{
    static const char *const STATUSES[] = {"open", "paid"};
    int status;
    if (req_query_enum(r, "status", STATUSES, 2, &status) < 0)
        return -1;
    struct receivable *list;
    size_t n;
    if (receivables_list(r->db, &r->actor, status, &list, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_receivable(r, &list[i]));
    free(list);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_receivables_pay(struct req *r)
{
    static const char *const fields[] = {"method", "amount_fen", NULL};
    int method;
    int64_t amount;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "method", true, PAY_METHOD_NAMES, PAY_METHOD_COUNT, &method, &r->err) <
            0 ||
        jin_int(r->body, "amount_fen", true, 1, MONEY_MAX_FEN, &amount, &r->err) < 0)
        return -1;
    struct receivable v;
    if (receivables_pay(r->db, &r->actor, r->ids[0], (enum pay_method)method, amount, &v, &r->err) <
        0)
        return -1;
    return reply(r, 200, view_receivable(r, &v));
}

/* ---- the reception's day and the technicians' jobs (MR-7, RO-1, RO-5) ---- */

static int by_queue_position(const void *a, const void *b)
{
    int pa = (*(const struct repair_order *const *)a)->queue_position;
    int pb = (*(const struct repair_order *const *)b)->queue_position;
    return (pa > pb) - (pa < pb);
}

int h_reception(struct req *r)
{
    dms_day day = 0;
    if (req_query_date(r, "date", &day) < 0)
        return -1;
    if (!day)
        day = r->actor.today;
    char d[DATE_STR];
    date_format(day, d);
    /* Expected: the day's bookings not checked in yet (confirmed, or a date still to fix). */
    struct appt_filter af = {.day = day, .status = -1};
    struct appointment *appts = NULL;
    size_t n_appts = 0;
    if (appointments_list(r->db, &r->actor, &af, &appts, &n_appts, &r->err) < 0)
        return -1;
    json_t *expected = json_array();
    for (size_t i = 0; i < n_appts; i++)
        if (appts[i].status == APPT_CONFIRMED || appts[i].status == APPT_TENTATIVE)
            json_array_append_new(expected, view_appointment(r, &appts[i]));
    free(appts);
    struct ro_filter f = {.day = day, .status = -1, .source = -1, .with_lines = true};
    struct repair_order *list = NULL;
    size_t n = 0;
    bool more;
    if (repair_orders_list(r->db, &r->actor, &f, 0, 1000, &list, &n, &more, &r->err) < 0) {
        json_decref(expected);
        return -1;
    }
    /* Orders still open from earlier days are in work today too. */
    struct ro_filter open = {.status = -1, .source = -1, .open_only = true, .with_lines = true};
    struct repair_order *older = NULL;
    size_t n_older = 0;
    if (repair_orders_list(r->db, &r->actor, &open, 0, 1000, &older, &n_older, &more, &r->err) <
        0) {
        json_decref(expected);
        repair_orders_free(list, n);
        return -1;
    }
    json_t *queue = json_array(), *work = json_array(), *ready = json_array(),
           *delivered = json_array();
    /* The queue in the store's order (queue_position: booked first, then by arrival). */
    const struct repair_order **queued = calloc(n + 1, sizeof *queued);
    size_t n_queue = 0;
    for (int pass = 0; pass < 2; pass++) {
        struct repair_order *l = pass ? older : list;
        size_t count = pass ? n_older : n;
        for (size_t i = 0; i < count; i++) {
            struct repair_order *o = &l[i];
            if (pass && strcmp(o->day, d) == 0)
                continue; /* listed in the first pass */
            if (o->queued && !pass && queued) {
                queued[n_queue++] = o;
                continue;
            }
            json_t *v = view_order(r, o);
            if (o->status == RO_OPEN || o->status == RO_IN_PROGRESS || o->status == RO_QC)
                json_array_append_new(work, v);
            else if (o->status == RO_READY || o->status == RO_SETTLED)
                json_array_append_new(ready, v);
            else if (o->status == RO_DELIVERED && !pass)
                json_array_append_new(delivered, v);
            else
                json_decref(v);
        }
    }
    if (queued)
        qsort(queued, n_queue, sizeof *queued, by_queue_position);
    for (size_t i = 0; i < n_queue; i++)
        json_array_append_new(queue, view_order(r, queued[i]));
    free(queued);
    repair_orders_free(list, n);
    repair_orders_free(older, n_older);
    /* RO-1: the free items booked customers get; RO-7: who may approve a discount. */
    struct store_settings st;
    struct user *approvers = NULL;
    size_t n_approvers = 0;
    json_t *perks = json_array(), *who = json_array();
    if (settings_get(r->db, r->actor.store_id, &st, &r->err) < 0 ||
        users_discount_approvers(r->db, &r->actor, &approvers, &n_approvers, &r->err) < 0) {
        json_decref(expected), json_decref(queue), json_decref(work), json_decref(ready);
        json_decref(delivered), json_decref(perks), json_decref(who);
        return -1;
    }
    char codes[sizeof st.booked_perk_codes];
    snprintf(codes, sizeof codes, "%s", st.booked_perk_codes);
    for (char *save = NULL, *c = strtok_r(codes, ",", &save); c; c = strtok_r(NULL, ",", &save))
        json_array_append_new(perks, json_string(c));
    for (size_t i = 0; i < n_approvers; i++)
        json_array_append_new(who, json_pack("{s:I, s:s}", "id", (json_int_t)approvers[i].id,
                                             "name", approvers[i].display_name));
    free(approvers);
    return reply(r, 200,
                 json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "date", d, "expected",
                           expected, "queue", queue, "in_work", work, "ready", ready, "delivered",
                           delivered, "booked_perks", perks, "discount_approvers", who));
}

int h_jobs(struct req *r)
{
    dms_day day = 0;
    struct ro_filter f = {.status = -1, .source = -1, .with_lines = true, .open_only = true};
    if (req_query_date(r, "date", &day) < 0 ||
        req_query_id(r, "technician_id", &f.technician_id) < 0)
        return -1;
    (void)day; /* a job in work is today's whatever day it arrived */
    struct repair_order *list = NULL;
    size_t n = 0;
    bool more;
    if (repair_orders_list(r->db, &r->actor, &f, 0, 1000, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        if (!list[i].queued && list[i].status != RO_SETTLED)
            json_array_append_new(items, view_order(r, &list[i]));
    repair_orders_free(list, n);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_declined_work_dismiss(struct req *r)
{
    if (declined_work_dismiss(r->db, &r->actor, r->ids[0], r->ids[1], &r->err) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:I, s:s}", "id", (json_int_t)r->ids[1], "status", "dismissed"));
}
