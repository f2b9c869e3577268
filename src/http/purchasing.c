/* The parts manager's desk (IN-5, IN-12, IN-18): the parts shelves of the live bookings,
 * purchase orders and their receipt, and shortages. Mirrors store/purchasing.c. */
#include <stdlib.h>
#include <string.h>

#include "core/booking.h"
#include "core/mask.h"
#include "core/workshop.h"
#include "http/http.h"
#include "store/appointments.h"
#include "store/purchasing.h"

int h_parts_shelves(struct req *r)
{
    struct shelf_item *items[2];
    size_t n[2];
    static const enum appt_part_state states[2] = {PART_RESERVED, PART_ON_ORDER};
    static const char *const names[2] = {"appointment", "waiting_for_parts"};
    json_t *body = json_object();
    for (int s = 0; s < 2; s++) {
        if (shelves_list(r->db, &r->actor, states[s], &items[s], &n[s], &r->err) < 0) {
            json_decref(body);
            return -1;
        }
        json_t *a = json_array();
        for (size_t i = 0; i < n[s]; i++) {
            const struct shelf_item *it = &items[s][i];
            dms_day day = 0;
            struct dms_error e = {0};
            if (it->day[0])
                date_parse(it->day, &day, NULL, &e);
            char who[64];
            mask_greeting(it->customer_name, it->customer_title, who, sizeof who);
            /* The label on the part: which booking it is kept for. */
            json_array_append_new(
                a, json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:I, s:o}", "appointment_id",
                             (json_int_t)it->appointment_id, "date", jstr_or_null(it->day), "start",
                             view_local(day, it->start_min), "plate", it->plate, "customer", who,
                             "part_no", it->part_no, "name", it->name, "qty", (json_int_t)it->qty,
                             "expected_date", jstr_or_null(it->expected_date)));
        }
        free(items[s]);
        json_object_set_new(body, names[s], a);
    }
    return reply(r, 200, body);
}

static json_t *view_order(const struct purchase_order *o)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < o->n_lines; i++) {
        const struct po_line *l = &o->lines[i];
        json_array_append_new(
            lines,
            json_pack("{s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)l->id, "part_no", l->part_no,
                      "name", l->name, "qty", (json_int_t)l->qty, "appointment_id",
                      l->appointment_id ? json_integer(l->appointment_id) : json_null()));
    }
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:o}", "id", (json_int_t)o->id, "status", o->status,
                     "expected_date", o->expected_date, "received_at", jstr_or_null(o->received_at),
                     "created_at", o->created_at, "lines", lines);
}

int h_purchase_orders_list(struct req *r)
{
    const char *status = req_query(r, "status");
    if (status && strcmp(status, "open") != 0 && strcmp(status, "received") != 0)
        return req_fail(r, "invalid_field", "status", "status is open or received");
    struct purchase_order *o;
    size_t n;
    if (purchase_orders_list(r->db, &r->actor, status ? status : "", &o, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_order(&o[i]));
    purchase_orders_free(o, n);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_purchase_orders_get(struct req *r)
{
    struct purchase_order o;
    if (purchase_orders_get(r->db, &r->actor, r->ids[0], &o, &r->err) < 0)
        return -1;
    json_t *v = view_order(&o);
    free(o.lines);
    return reply(r, 200, v);
}

int h_purchase_orders_receive(struct req *r)
{
    struct purchase_order o;
    if (purchase_orders_receive(r->db, &r->actor, r->ids[0], &o, &r->err) < 0)
        return -1;
    json_t *v = view_order(&o);
    free(o.lines);
    return reply(r, 200, v);
}

static json_t *view_shortage(const struct shortage *s)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:o, s:o, s:s}", "id", (json_int_t)s->id,
                     "part_no", s->part_no, "name", s->name, "qty", (json_int_t)s->qty, "cause",
                     s->cause, "complaint_risk", s->complaint_risk, "appointment_id",
                     s->appointment_id ? json_integer(s->appointment_id) : json_null(),
                     "escalated_at", jstr_or_null(s->escalated_at), "created_at", s->created_at);
}

int h_shortages_list(struct req *r)
{
    struct shortage *s;
    size_t n;
    if (shortages_list(r->db, &r->actor, &s, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_shortage(&s[i]));
    free(s);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_shortages_create(struct req *r)
{
    static const char *const fields[] = {"part_no",        "qty", "cause", "complaint_risk",
                                         "appointment_id", NULL};
    struct shortage s = {0};
    char no[OPERATION_CODE_MAX + 1];
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_code(r, "part_no", no) < 0 ||
        jin_int(r->body, "qty", true, 1, PART_MAX_QTY, &s.qty, &r->err) < 0 ||
        jin_text(r->body, "cause", true, SHORTAGE_CAUSE_CHARS, true, s.cause, sizeof s.cause,
                 &r->err) < 0 ||
        jin_bool(r->body, "complaint_risk", false, &s.complaint_risk, &r->err) < 0 ||
        jin_int(r->body, "appointment_id", false, 1, INT64_MAX, &s.appointment_id, &r->err) < 0)
        return -1;
    if (!s.cause[0])
        return req_fail(r, "invalid_field", "cause", "say what caused the shortage");
    snprintf(s.part_no, sizeof s.part_no, "%s", no);
    if (shortages_create(r->db, &r->actor, &s, &r->err) < 0)
        return -1;
    json_t *v = view_shortage(&s);
    json_object_set_new(v, "escalated_to", json_integer(s.escalated_to));
    return reply(r, 201, v);
}

/* The analysis over the shortage as it is (store_edit). */
static int edit_shortage(void *ctx, void *row, struct dms_error *err)
{
    struct req *r = ctx;
    struct shortage *next = row;
    if (jin_text(r->body, "cause", false, SHORTAGE_CAUSE_CHARS, true, next->cause,
                 sizeof next->cause, err) < 0 ||
        jin_bool(r->body, "complaint_risk", false, &next->complaint_risk, err) < 0)
        return -1;
    if (!next->cause[0])
        return dms_fail(err, "invalid_field", "cause", "say what caused the shortage");
    return 0;
}

int h_shortages_update(struct req *r)
{
    static const char *const fields[] = {"cause", "complaint_risk", NULL};
    struct shortage next;
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_no_nulls(r, fields) < 0 ||
        shortages_update(r->db, &r->actor, r->ids[0], edit_shortage, r, &next, &r->err) < 0)
        return -1;
    json_t *v = view_shortage(&next);
    json_object_set_new(v, "escalated_to", json_integer(next.escalated_to));
    return reply(r, 200, v);
}
