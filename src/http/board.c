/* The appointment board (IN-11, IN-12, MR-7): the day per bay, the departments'
 * confirmations, the welcome board, the parts shelves and purchase orders, shortages, failed
 * booking calls and the booking report; and the maintenance package quote (IN-7). */
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "http/appointments.h"

static json_t *view_confirmations(struct req *r, dms_day day)
{
    struct confirmation c[DEPT_COUNT];
    size_t n;
    if (board_confirmations(r->db, &r->actor, day, c, &n, &r->err) < 0)
        return NULL;
    json_t *o = json_object();
    for (int d = 0; d < DEPT_COUNT; d++)
        json_object_set_new(o, DEPARTMENT_NAMES[d], json_null());
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, DEPARTMENT_NAMES[c[i].department],
                            json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)c[i].user_id,
                                      "username", c[i].username, "confirmed_at",
                                      c[i].confirmed_at));
    return o;
}

int h_board_get(struct req *r)
{
    dms_day day;
    if (req_query_date(r, "date", &day) < 0)
        return -1;
    if (!day)
        day = r->actor.today;
    struct bay *bays;
    size_t nb;
    if (bays_list(r->db, &r->actor, false, &bays, &nb, &r->err) < 0)
        return -1;
    struct appt_filter f = {.day = day, .status = -1};
    struct appointment *list;
    size_t n;
    if (appointments_list(r->db, &r->actor, &f, &list, &n, &r->err) < 0) {
        free(bays);
        return -1;
    }
    json_t *rows = json_array(), *unassigned = json_array();
    for (size_t b = 0; b < nb; b++) {
        json_t *jobs = json_array();
        for (size_t i = 0; i < n; i++)
            if (list[i].bay_id == bays[b].id && list[i].status != APPT_CANCELLED)
                json_array_append_new(jobs, view_appointment(r, &list[i]));
        json_array_append_new(rows,
                              json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)bays[b].id,
                                        "code", bays[b].code, "name", bays[b].name, "kind",
                                        BAY_KIND_NAMES[bays[b].kind], "jobs", jobs));
    }
    /* Bookings of the day without a bay yet: a date still to fix (IN-15). */
    for (size_t i = 0; i < n; i++)
        if (!list[i].bay_id && list[i].status != APPT_CANCELLED)
            json_array_append_new(unassigned, view_appointment(r, &list[i]));
    free(bays);
    free(list);
    char date[DATE_STR], next[DATE_STR];
    date_format(day, date);
    date_format(day + 1, next);
    json_t *conf = view_confirmations(r, day), *conf_next = view_confirmations(r, day + 1);
    if (!conf || !conf_next) {
        json_decref(rows), json_decref(unassigned), json_decref(conf), json_decref(conf_next);
        return -1;
    }
    return reply(r, 200,
                 json_pack("{s:s, s:o, s:o, s:o, s:{s:s, s:o}}", "date", date, "bays", rows,
                           "unassigned", unassigned, "confirmations", conf, "next_day", "date",
                           next, "confirmations", conf_next));
}

int h_board_confirm(struct req *r)
{
    static const char *const fields[] = {"department", NULL};
    dms_day day;
    int dept;
    struct dms_error e = {0};
    if (date_parse(r->key, &day, "date", &e) < 0)
        return req_fail(r, "invalid_date", "date", "the board's date is YYYY-MM-DD");
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "department", true, DEPARTMENT_NAMES, DEPT_COUNT, &dept, &r->err) < 0)
        return -1;
    if (!role_confirms(r->actor.role, dept))
        return req_fail(r, "forbidden", "department", "your role (%s) does not confirm for %s",
                        role_name(r->actor.role), DEPARTMENT_NAMES[dept]);
    if (day < r->actor.today)
        return req_fail(r, "invalid_date", "date", "a past day's board cannot be confirmed");
    if (board_confirm(r->db, &r->actor, day, (enum department)dept, &r->err) < 0)
        return -1;
    json_t *conf = view_confirmations(r, day);
    if (!conf)
        return -1;
    return reply(r, 201, json_pack("{s:s, s:o}", "date", r->key, "confirmations", conf));
}

/* MR-7: the reception screen greets today's booked customers, masked: 王先生 京A·***45 09:00 */
int h_board_welcome(struct req *r)
{
    struct appt_filter f = {.day = r->actor.today, .status = -1};
    struct appointment *list;
    size_t n;
    if (appointments_list(r->db, &r->actor, &f, &list, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct appointment *p = &list[i];
        if (p->start_min < 0 || !appt_status_live(p->status))
            continue;
        char name[64], plate[64], time[8], text[160];
        mask_greeting(p->customer_name, p->customer_title, name, sizeof name);
        mask_plate(p->plate, plate, sizeof plate);
        hhmm_format(p->start_min, time);
        snprintf(text, sizeof text, "%s %s %s", name, plate, time);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "text", text, "name",
                                               name, "plate", plate, "time", time, "status",
                                               APPT_STATUS_NAMES[p->status]));
    }
    free(list);
    char date[DATE_STR];
    date_format(r->actor.today, date);
    return reply(r, 200, json_pack("{s:s, s:o}", "date", date, "items", items));
}

/* ---- parts: shelves, purchase orders, shortages ---- */

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

/* ---- failed booking calls and the booking report ---- */

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

int h_reports_bookings(struct req *r)
{
    dms_day from, to;
    const char *month = req_query(r, "month");
    if (month) {
        if (date_parse_month(month, &from, &to, "month", &r->err) < 0)
            return -1;
    } else {
        if (req_query_date(r, "date", &from) < 0)
            return -1;
        if (!from)
            from = r->actor.today;
        to = from;
    }
    struct booking_report b;
    if (reports_bookings(r->db, &r->actor, from, to, &b, &r->err) < 0)
        return -1;
    json_t *booked = json_object(), *failed = json_object(), *by_case = json_object(),
           *conv = json_object();
    int64_t nb = 0, nf = 0;
    for (int i = 0; i < SOURCE_COUNT; i++) {
        json_object_set_new(booked, SOURCE_NAMES[i], json_integer(b.booked[i]));
        int64_t all = b.booked[i] + b.failed_by_source[i];
        json_object_set_new(conv, SOURCE_NAMES[i],
                            all ? json_real((double)b.booked[i] / (double)all) : json_null());
        nb += b.booked[i];
        nf += b.failed_by_source[i];
    }
    for (int i = 0; i < FAIL_COUNT; i++)
        json_object_set_new(failed, BOOKING_FAILURE_NAMES[i], json_integer(b.failed[i]));
    for (int i = 0; i < 4; i++)
        json_object_set_new(by_case, BOOKING_CASE_NAMES[i], json_integer(b.by_case[i]));
    char f[DATE_STR], t[DATE_STR];
    date_format(from, f), date_format(to, t);
    return reply(r, 200,
                 json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "from", f,
                           "to", t, "booked", (json_int_t)nb, "failed", (json_int_t)nf,
                           "conversion",
                           nb + nf ? json_real((double)nb / (double)(nb + nf)) : json_null(),
                           "booked_by_source", booked, "conversion_by_source", conv,
                           "failed_by_reason", failed, "by_case", by_case, "no_shows",
                           (json_int_t)b.no_shows, "cancelled", (json_int_t)b.cancelled));
}

/* ---- IN-7: the maintenance package's quote ---- */

int quote_package(struct req *r, const struct vehicle *v)
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
        /* Plans keep part numbers as printed ("N 908 132 01"); the parts master without the
         * spaces. */
        char no[sizeof pp->part_no];
        size_t k = 0;
        for (const char *c = pp->part_no; *c && k + 1 < sizeof no; c++)
            if (*c != ' ')
                no[k++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
        no[k] = '\0';
        bool known = parts_get_by_no(r->db, &r->actor, no, &stock, &e) == 0;
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
