/* Repair orders (维修委托书, RO-1..RO-7): check-in from a booking or as a walk-in, reading and
 * listing, the reception fields, and the order's life cycle: dispatch with the parts issued,
 * quality check, "your car is ready", delivery that writes the service record, cancellation.
 * Lines (repair_order_lines.c), settlement and receivables (settlement.c) and declined work
 * (declined_work.c) have their own files. Every change locks the order's row before reading
 * it; check-in and dispatch take the store's lock, as bookings do (the schedule, the day's
 * numbers). */
#include <stdlib.h>

#include "core/outbox.h"
#include "core/text.h"
#include "core/template.h"
#include "store/appointments.h"
#include "store/campaigns.h"
#include "store/classify.h"
#include "store/customers.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/repair_order_lines.h"
#include "store/repair_orders.h"
#include "store/service_records.h"
#include "store/settings.h"
#include "store/stores.h"

#define ORDER_COLS                                                                                 \
    "o.id, o.number, o.status, o.source, o.kind, o.appointment_id, o.vehicle_id, "                 \
    "o.customer_id, o.campaign_id, o.day, o.mileage_km, o.reading_id, o.fuel_eighths, "            \
    "o.damage_notes, o.customer_words, o.brought_by, o.driver_id, d.name, d.phone, o.waiting, "    \
    "o.promised_at, o.advisor_id, COALESCE(u.display_name, ''), COALESCE(o.bay_id, ap.bay_id), "   \
    "COALESCE(o.technician_id, ap.technician_id), COALESCE(b.name, ''), COALESCE(t.name, ''), "    \
    "ap.start_min, ap.end_min, o.arrived_at, o.started_at, o.qc_at, o.ready_at, o.settled_at, "    \
    "o.delivered_at, o.cancelled_at, o.cancel_reason, o.wait_min, o.on_time, o.qc_failures, "      \
    "o.qc_note, o.discount_fen, o.discount_approved_by, o.service_record_id, "                     \
    "(SELECT r.id FROM receivables r WHERE r.order_id = o.id), o.created_by, o.created_at, "       \
    "o.updated_at, v.plate, v.vin, v.brand, v.model, c.name, c.title, c.type, "                    \
    "(SELECT x.display_name FROM users x WHERE x.id = o.discount_approved_by)"
#define ORDER_FROM                                                                                 \
    " FROM repair_orders o JOIN vehicles v ON v.id = o.vehicle_id JOIN customers c ON "            \
    "c.id = o.customer_id LEFT JOIN appointments ap ON ap.id = o.appointment_id LEFT JOIN "        \
    "users u ON u.id = o.advisor_id LEFT JOIN customer_drivers d ON d.id = o.driver_id LEFT "      \
    "JOIN bays b ON b.id = COALESCE(o.bay_id, ap.bay_id) LEFT JOIN technicians t ON t.id = "       \
    "COALESCE(o.technician_id, ap.technician_id) "

static int enum_or(const char *const *names, int count, const char *s, int fallback)
{
    int k = enum_index(names, count, s);
    return k < 0 ? fallback : k;
}

static int order_row(struct db_res *res, void *out)
{
    struct repair_order *o = out;
    memset(o, 0, sizeof *o);
    int c = 0;
    o->id = db_int(res, c++);
    col_copy(o->number, sizeof o->number, res, c++);
    o->status = (enum ro_status)enum_or(RO_STATUS_NAMES, RO_STATUS_COUNT, db_text(res, c++), 0);
    o->source = (enum ro_source)enum_or(RO_SOURCE_NAMES, RO_SOURCE_COUNT, db_text(res, c++), 0);
    o->kind = (enum service_kind)enum_or(SERVICE_KIND_NAMES, SERVICE_KIND_COUNT, db_text(res, c++),
                                         SERVICE_OTHER);
    o->appointment_id = db_int(res, c++);
    o->vehicle_id = db_int(res, c++);
    o->customer_id = db_int(res, c++);
    o->campaign_id = db_int(res, c++);
    col_copy(o->day, sizeof o->day, res, c++);
    o->mileage_km = db_int(res, c++);
    o->reading_id = db_int(res, c++);
    o->fuel_eighths = db_is_null(res, c) ? -1 : (int)db_int(res, c);
    c++;
    col_copy(o->damage_notes, sizeof o->damage_notes, res, c++);
    col_copy(o->customer_words, sizeof o->customer_words, res, c++);
    o->by_driver = strcmp(db_text(res, c++), "driver") == 0;
    o->driver_id = db_int(res, c++);
    col_copy(o->driver_name, sizeof o->driver_name, res, c++);
    col_copy(o->driver_phone, sizeof o->driver_phone, res, c++);
    o->waiting = db_int(res, c++) != 0;
    col_copy(o->promised_at, sizeof o->promised_at, res, c++);
    o->advisor_id = db_int(res, c++);
    col_copy(o->advisor_name, sizeof o->advisor_name, res, c++);
    o->bay_id = db_int(res, c++);
    o->technician_id = db_int(res, c++);
    col_copy(o->bay_name, sizeof o->bay_name, res, c++);
    col_copy(o->technician_name, sizeof o->technician_name, res, c++);
    o->start_min = db_is_null(res, c) ? -1 : (int)db_int(res, c);
    c++;
    o->end_min = db_is_null(res, c) ? -1 : (int)db_int(res, c);
    c++;
    col_copy(o->arrived_at, sizeof o->arrived_at, res, c++);
    col_copy(o->started_at, sizeof o->started_at, res, c++);
    col_copy(o->qc_at, sizeof o->qc_at, res, c++);
    col_copy(o->ready_at, sizeof o->ready_at, res, c++);
    col_copy(o->settled_at, sizeof o->settled_at, res, c++);
    col_copy(o->delivered_at, sizeof o->delivered_at, res, c++);
    col_copy(o->cancelled_at, sizeof o->cancelled_at, res, c++);
    col_copy(o->cancel_reason, sizeof o->cancel_reason, res, c++);
    o->wait_min = db_is_null(res, c) ? -1 : db_int(res, c);
    c++;
    o->on_time = db_is_null(res, c) ? -1 : (int)db_int(res, c);
    c++;
    o->qc_failures = (int)db_int(res, c++);
    col_copy(o->qc_note, sizeof o->qc_note, res, c++);
    o->discount_fen = db_int(res, c++);
    o->discount_approved_by = db_int(res, c++);
    o->service_record_id = db_int(res, c++);
    o->receivable_id = db_int(res, c++);
    o->created_by = db_int(res, c++);
    col_copy(o->created_at, sizeof o->created_at, res, c++);
    col_copy(o->updated_at, sizeof o->updated_at, res, c++);
    col_copy(o->plate, sizeof o->plate, res, c++);
    col_copy(o->vin, sizeof o->vin, res, c++);
    col_copy(o->brand, sizeof o->brand, res, c++);
    col_copy(o->model, sizeof o->model, res, c++);
    col_copy(o->customer_name, sizeof o->customer_name, res, c++);
    col_copy(o->customer_title, sizeof o->customer_title, res, c++);
    o->customer_type = (enum customer_type)enum_or(CUSTOMER_TYPE_NAMES, 2, db_text(res, c++), 0);
    col_copy(o->discount_approver_name, sizeof o->discount_approver_name, res, c++);
    o->queued = o->status == RO_OPEN && o->start_min < 0;
    return 0;
}

void repair_order_clear(struct repair_order *o)
{
    if (!o)
        return;
    free(o->lines);
    free(o->payments);
    o->lines = NULL, o->payments = NULL;
    o->n_lines = o->n_payments = 0;
}

void repair_orders_free(struct repair_order *o, size_t n)
{
    if (!o)
        return;
    for (size_t i = 0; i < n; i++)
        repair_order_clear(&o[i]);
    free(o);
}

static int payment_row(struct db_res *res, void *out)
{
    struct ro_payment_row *p = out;
    memset(p, 0, sizeof *p);
    p->id = db_int(res, 0);
    p->receivable_id = db_int(res, 1);
    p->method = (enum pay_method)enum_or(PAY_METHOD_NAMES, PAY_METHOD_COUNT, db_text(res, 2), 0);
    p->amount_fen = db_int(res, 3);
    col_copy(p->at, sizeof p->at, res, 4);
    return 0;
}

/* The statement's sums from the lines (core/repair_order.h). */
static void order_totals(struct repair_order *o)
{
    struct ro_amount *am = calloc(o->n_lines ? o->n_lines : 1, sizeof *am);
    size_t n = 0;
    for (size_t i = 0; am && i < o->n_lines; i++)
        am[n++] = (struct ro_amount){o->lines[i].type, o->lines[i].payer, o->lines[i].decision,
                                     o->lines[i].amount_fen};
    ro_totals_of(am, n, &o->totals);
    free(am);
    int64_t sub = o->totals.by_payer[PAYER_CUSTOMER];
    o->amount_due_fen = sub > o->discount_fen ? sub - o->discount_fen : 0;
}

static int load_details(struct db *db, struct repair_order *o, struct dms_error *err)
{
    if (ro_lines_load(db, o->id, &o->lines, &o->n_lines, err) < 0)
        return -1;
    if (store_rows(db, payment_row, NULL, sizeof *o->payments, 100, (void **)&o->payments,
                   &o->n_payments, err,
                   "SELECT id, receivable_id, method, amount_fen, at FROM payments WHERE "
                   "order_id = ? AND receivable_id IS NULL ORDER BY id",
                   "i", o->id) < 0) {
        repair_order_clear(o);
        return -1;
    }
    order_totals(o);
    return 0;
}

/* RO-1, RO-2: the place of a queued order in its day's queue, by core's order of the queue
 * (ro_queue_cmp: booked first, then by arrival). */
static int queued_row(struct db_res *res, void *out)
{
    struct ro_queued *q = out;
    q->source = strcmp(db_text(res, 0), "walk_in") == 0 ? RO_SOURCE_WALK_IN : RO_SOURCE_APPOINTMENT;
    q->arrived_s = 0;
    timestamp_parse_utc(db_text(res, 1), &q->arrived_s);
    q->id = db_int(res, 2);
    return 0;
}

static int queue_position(struct db *db, const struct actor *a, struct repair_order *o,
                          struct dms_error *err)
{
    if (!o->queued)
        return 0;
    struct ro_queued *q = NULL, self = {o->source, 0, o->id};
    size_t n = 0;
    timestamp_parse_utc(o->arrived_at, &self.arrived_s);
    if (store_rows(db, queued_row, NULL, sizeof *q, 10000, (void **)&q, &n, err,
                   "SELECT q.source, q.arrived_at, q.id FROM repair_orders q JOIN appointments ap "
                   "ON ap.id = q.appointment_id WHERE q.store_id = ? AND q.day = ? AND q.status "
                   "= 'open' AND ap.start_min IS NULL",
                   "is", a->store_id, o->day) < 0)
        return -1;
    int ahead = 0;
    for (size_t i = 0; i < n; i++)
        ahead += ro_queue_cmp(&q[i], &self) < 0;
    free(q);
    o->queue_position = ahead + 1;
    return 0;
}

int repair_orders_get(struct db *db, const struct actor *a, int64_t id, struct repair_order *out,
                      struct dms_error *err)
{
    int rc = store_one(db, order_row, out, err,
                       "SELECT " ORDER_COLS ORDER_FROM "WHERE o.id = ? AND o.store_id = ?", "ii",
                       id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no repair order %lld", (long long)id);
    if (queue_position(db, a, out, err) < 0)
        return -1;
    return load_details(db, out, err);
}

/* The lines of a page of orders (sorted by id) in one query, not one per order: a reception
 * list of a hundred orders is one round trip to PostgreSQL instead of a hundred. */
static int attach_lines(struct db *db, const struct actor *a, struct repair_order *o, size_t n,
                        struct dms_error *err)
{
    if (n == 0)
        return 0;
    struct ro_line *all = NULL;
    size_t k = 0;
    if (ro_lines_load_range(db, a->store_id, o[0].id, o[n - 1].id, &all, &k, err) < 0)
        return -1;
    int rc = 0;
    size_t j = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        while (j < k && all[j].order_id < o[i].id)
            j++; /* an order of the range that is not on the page */
        size_t from = j;
        while (j < k && all[j].order_id == o[i].id)
            j++;
        if (j > from) {
            o[i].lines = malloc((j - from) * sizeof *o[i].lines);
            if (!o[i].lines) {
                rc = dms_fail(err, "db_error", NULL, "out of memory");
                break;
            }
            memcpy(o[i].lines, all + from, (j - from) * sizeof *o[i].lines);
            o[i].n_lines = j - from;
        }
        order_totals(&o[i]);
    }
    free(all);
    return rc;
}

int repair_orders_list(struct db *db, const struct actor *a, const struct ro_filter *f,
                       int64_t after, int limit, struct repair_order **out, size_t *n, bool *more,
                       struct dms_error *err)
{
    *out = NULL, *n = 0, *more = false;
    char day[DATE_STR] = "";
    if (f->day)
        date_format(f->day, day);
    const char *status = f->status >= 0 ? RO_STATUS_NAMES[f->status] : "";
    const char *source = f->source >= 0 ? RO_SOURCE_NAMES[f->source] : "";
    if (store_rows(
            db, order_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
            "SELECT " ORDER_COLS ORDER_FROM
            "WHERE o.store_id = ? AND o.id > ? AND (? = '' OR o.day = ?) AND (? = '' OR "
            "o.status = ?) AND (? = 0 OR o.vehicle_id = ?) AND (? = '' OR o.source = ?) AND "
            "(? = 0 OR COALESCE(o.technician_id, ap.technician_id) = ?) AND (? = 0 OR EXISTS "
            "(SELECT 1 FROM repair_order_lines w WHERE w.order_id = o.id AND w.payer = "
            "'warranty')) AND (? = 0 OR o.status NOT IN ('delivered', 'cancelled')) "
            "ORDER BY o.id LIMIT ?",
            "iissssiissiibbi", a->store_id, after, day, day, status, status, f->vehicle_id,
            f->vehicle_id, source, source, f->technician_id, f->technician_id, f->warranty_only,
            f->open_only, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    int rc = f->with_lines ? attach_lines(db, a, *out, *n, err) : 0;
    for (size_t i = 0; rc == 0 && i < *n; i++)
        rc = queue_position(db, a, &(*out)[i], err);
    if (rc < 0) {
        repair_orders_free(*out, *n);
        *out = NULL, *n = 0;
        return -1;
    }
    return 0;
}

/* CS-5: whether the car's entry in the campaign is open: 1 open, 0 done already, -1 with
 * invalid_field when the car is not in it (or on error). */
static int campaign_entry_open(struct db *db, const struct actor *a, int64_t campaign_id,
                               int64_t vehicle_id, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT completed_at FROM campaign_vehicles WHERE campaign_id = ? AND "
                      "vehicle_id = ? AND store_id = ?",
                      "iii", campaign_id, vehicle_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    bool open = rc > 0 && db_is_null(res, 0);
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "invalid_field", "campaign_id", "the car is not in this campaign");
    return open ? 1 : 0;
}

/* ---- check-in (RO-1, RO-2) ---- */

static int insert_order(struct db *db, const struct actor *a, struct repair_order *o,
                        struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    snprintf(o->arrived_at, sizeof o->arrived_at, "%s", now);
    int rc = db_query_int(
        db, &o->id,
        "INSERT INTO repair_orders (store_id, number, vehicle_id, customer_id, appointment_id, "
        "source, status, kind, campaign_id, day, mileage_km, reading_id, fuel_eighths, "
        "damage_notes, customer_words, brought_by, driver_id, waiting, promised_at, advisor_id, "
        "arrived_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, "
        "?, ?, ?, CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        "isiiIssIsiibittsIbtIsIss", a->store_id, o->number, o->vehicle_id, o->customer_id,
        o->appointment_id, RO_SOURCE_NAMES[o->source], SERVICE_KIND_NAMES[o->kind], o->campaign_id,
        o->day, o->mileage_km, o->reading_id, o->fuel_eighths >= 0, (int64_t)o->fuel_eighths,
        o->damage_notes, o->customer_words, o->by_driver ? "driver" : "owner", o->driver_id,
        o->waiting, o->promised_at, o->advisor_id, now, a->user_id, now, now);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* CRM-5: who brought the car: the owner, a known driver of the customer, or a new one (added
 * to the customer's drivers). */
static int brought_by(struct db *db, const struct actor *a, const struct ro_check_in *in,
                      struct repair_order *o, struct dms_error *err)
{
    o->by_driver = in->by_driver;
    if (!in->by_driver)
        return 0;
    if (in->driver_id) {
        int64_t found = 0;
        int rc = db_query_int(db, &found,
                              "SELECT id FROM customer_drivers WHERE id = ? AND customer_id = ? "
                              "AND store_id = ?",
                              "iii", in->driver_id, o->customer_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "brought_by", "no driver %lld of this customer",
                            (long long)in->driver_id);
        o->driver_id = in->driver_id;
        return 0;
    }
    struct driver d = {.customer_id = o->customer_id};
    snprintf(d.name, sizeof d.name, "%s", in->driver_name);
    snprintf(d.phone, sizeof d.phone, "%s", in->driver_phone);
    snprintf(d.relation, sizeof d.relation, "%s", in->driver_relation);
    if (drivers_add(db, a, &d, err) < 0) {
        snprintf(err->field, sizeof err->field, "brought_by");
        return -1;
    }
    o->driver_id = d.id;
    return 0;
}

/* RO-1: the store's free items for booked customers: an operation the booking has becomes
 * free; the others are added as free lines. A code retired since it was set is skipped. */
static int add_perks(struct db *db, const struct actor *a, struct repair_order *o,
                     const struct appointment *ap, struct dms_error *err)
{
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    char copy[sizeof st.booked_perk_codes];
    snprintf(copy, sizeof copy, "%s", st.booked_perk_codes);
    for (char *save = NULL, *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        bool booked = false;
        for (int i = 0; i < ap->n_ops; i++)
            booked = booked || strcmp(ap->ops[i].code, c) == 0;
        if (booked) {
            int rc = db_exec(db,
                             "UPDATE repair_order_lines SET payer = 'free', perk = 1 WHERE "
                             "order_id = ? AND type = 'labour' AND code = ?",
                             "is", o->id, c);
            if (rc < 0)
                return store_db_fail(db, rc, err);
            continue;
        }
        struct ro_line_in in = {.type = RO_LINE_LABOUR, .qty = 1, .payer = PAYER_FREE};
        snprintf(in.code, sizeof in.code, "%s", c);
        struct ro_line l;
        struct dms_error e = {0};
        if (ro_line_insert(db, a, o, &in, true, &l, &e) < 0) {
            if (strcmp(e.code, "unknown_operation") == 0)
                continue;
            *err = e;
            return -1;
        }
    }
    return 0;
}

/* The booking's operations and parts become the order's lines; its reserved parts stay
 * reserved, now for the order (IN-12's labels stay on the booking's parts). */
static int lines_from_booking(struct db *db, const struct actor *a, struct repair_order *o,
                              const struct appointment *ap, struct dms_error *err)
{
    for (int i = 0; i < ap->n_ops; i++) {
        const struct appt_op *op = &ap->ops[i];
        struct ro_line l = {.type = RO_LINE_LABOUR,
                            .operation_id = op->operation_id,
                            .hours_x100 = op->hours_x100,
                            .qty = 1,
                            .unit_price_fen = op->labour_fen,
                            .amount_fen = op->labour_fen,
                            .payer = PAYER_CUSTOMER,
                            .from_appointment = true};
        snprintf(l.code, sizeof l.code, "%s", op->code);
        snprintf(l.name, sizeof l.name, "%s", op->name);
        if (ro_line_write(db, a, o, &l, err) < 0)
            return -1;
    }
    for (int i = 0; i < ap->n_parts; i++) {
        const struct appt_part *p = &ap->parts[i];
        struct ro_line l = {.type = RO_LINE_PART,
                            .part_id = p->part_id,
                            .qty = p->qty,
                            .unit_price_fen = p->unit_price_fen,
                            .amount_fen = p->qty * p->unit_price_fen,
                            .payer = PAYER_CUSTOMER,
                            .from_appointment = true};
        snprintf(l.code, sizeof l.code, "%s", p->part_no);
        snprintf(l.name, sizeof l.name, "%s", p->name);
        if (p->state == PART_RESERVED)
            l.stock = STOCK_RESERVED;
        else if (p->state == PART_ON_ORDER)
            l.stock = STOCK_ON_ORDER;
        else if (ro_stock_reserve(db, a, &l, err) < 0) /* planned: a date booking's */
            return -1;
        if (ro_line_write(db, a, o, &l, err) < 0)
            return -1;
    }
    return 0;
}

static json_t *order_diff(const struct repair_order *p, const struct repair_order *n)
{
    json_t *ch = json_object();
    audit_text(ch, "status", p ? RO_STATUS_NAMES[p->status] : NULL, RO_STATUS_NAMES[n->status]);
    if (!p) {
        audit_text(ch, "number", NULL, n->number);
        audit_text(ch, "source", NULL, RO_SOURCE_NAMES[n->source]);
        audit_int(ch, "appointment_id", 0, n->appointment_id);
        audit_int(ch, "vehicle_id", 0, n->vehicle_id);
        json_object_set_new(ch, "mileage_km", json_pack("[nI]", (json_int_t)n->mileage_km));
    }
    audit_text(ch, "kind", p ? SERVICE_KIND_NAMES[p->kind] : NULL, SERVICE_KIND_NAMES[n->kind]);
    audit_int(ch, "fuel_eighths", p ? p->fuel_eighths : -1, n->fuel_eighths);
    audit_text(ch, "damage_notes", p ? p->damage_notes : NULL, n->damage_notes);
    audit_text(ch, "customer_words", p ? p->customer_words : NULL, n->customer_words);
    audit_int(ch, "driver_id", p ? p->driver_id : 0, n->driver_id);
    audit_bool(ch, "waiting", p && p->waiting, n->waiting);
    audit_text(ch, "promised_at", p ? p->promised_at : NULL, n->promised_at);
    audit_int(ch, "bay_id", p ? p->bay_id : 0, n->bay_id);
    audit_int(ch, "technician_id", p ? p->technician_id : 0, n->technician_id);
    audit_text(ch, "cancel_reason", p ? p->cancel_reason : NULL, n->cancel_reason);
    audit_text(ch, "qc_note", p ? p->qc_note : NULL, n->qc_note);
    audit_int(ch, "service_record_id", p ? p->service_record_id : 0, n->service_record_id);
    return ch;
}

int repair_orders_check_in(struct db *db, const struct actor *a, const struct ro_check_in *in,
                           struct repair_order *out, struct dms_error *err)
{
    if (store_lock_store(db, a->store_id, err) < 0)
        return -1;
    struct vehicle v;
    if (vehicles_get_for_update(db, a, in->vehicle_id, &v, err) < 0) {
        snprintf(err->field, sizeof err->field, "vehicle_id");
        return -1;
    }
    struct appointment *ap = malloc(sizeof *ap);
    if (!ap)
        return dms_fail(err, "db_error", NULL, "out of memory");
    struct repair_order *o = out;
    memset(o, 0, sizeof *o);
    o->vehicle_id = v.id;
    o->customer_id = v.customer_id;
    o->fuel_eighths = in->fuel_eighths;
    o->mileage_km = in->mileage_km;
    o->waiting = in->waiting;
    o->advisor_id = a->user_id;
    o->campaign_id = in->campaign_id;
    date_format(a->today, o->day);
    snprintf(o->damage_notes, sizeof o->damage_notes, "%s", in->damage_notes);
    snprintf(o->promised_at, sizeof o->promised_at, "%s", in->promised_at);
    int rc = 0;
    if (in->appointment_id) {
        o->source = RO_SOURCE_APPOINTMENT;
        o->appointment_id = in->appointment_id;
        int64_t had = 0;
        rc = db_query_int(db, &had,
                          "SELECT id FROM repair_orders WHERE appointment_id = ? AND store_id = ?",
                          "ii", in->appointment_id, a->store_id);
        if (rc < 0)
            rc = store_db_fail(db, rc, err);
        else if (rc > 0)
            rc = dms_fail(err, "already_checked_in", "appointment_id",
                          "the booking was checked in already (repair order %lld)", (long long)had);
        if (rc == 0 && appointments_get(db, a, in->appointment_id, ap, err) < 0) {
            snprintf(err->field, sizeof err->field, "appointment_id");
            rc = -1;
        }
        if (rc == 0 && ap->vehicle_id != v.id)
            rc = dms_fail(err, "invalid_field", "vehicle_id", "the booking is for another car");
        if (rc == 0)
            rc = appointments_arrive(db, a, in->appointment_id, ap, err);
    } else {
        o->source = RO_SOURCE_WALK_IN;
        if (in->n_codes == 0)
            rc = dms_fail(err, "missing_field", "ops", "a walk-in needs the work to do (ops)");
        else
            rc = appointments_walk_in(db, a, v.id, in->codes, in->n_codes, in->customer_words, ap,
                                      err);
        o->appointment_id = ap->id;
    }
    if (rc == 0) {
        snprintf(o->customer_words, sizeof o->customer_words, "%s",
                 in->has_words ? in->customer_words : ap->customer_words);
        bool any_repair = false;
        for (int i = 0; i < ap->n_ops; i++)
            any_repair = any_repair || ap->ops[i].kind == OP_REPAIR;
        o->kind = in->kind >= 0 ? (enum service_kind)in->kind : ro_default_kind(any_repair);
        struct mileage_reading reading;
        rc = mileage_record(db, a, v.id, a->today, in->mileage_km, MILEAGE_SERVICE, 0, &reading,
                            err);
        if (rc < 0)
            snprintf(err->field, sizeof err->field, "mileage_km");
        o->reading_id = reading.id;
    }
    if (rc == 0 && in->campaign_id) {
        struct campaign c = {0};
        rc = campaigns_get(db, a, in->campaign_id, &c, err);
        if (rc < 0)
            snprintf(err->field, sizeof err->field, "campaign_id");
        else if (c.kind == CAMPAIGN_RECALL)
            o->kind = SERVICE_RECALL;
        campaign_clear(&c);
        int open = rc == 0 ? campaign_entry_open(db, a, in->campaign_id, v.id, err) : 1;
        if (open < 0)
            rc = -1;
        else if (open == 0)
            rc = dms_fail(err, "invalid_field", "campaign_id",
                          "the campaign's work on this car is recorded already");
    }
    if (rc == 0)
        rc = brought_by(db, a, in, o, err);
    /* The store's lock is held, so two check-ins take turns for the number. */
    if (rc == 0)
        rc = store_day_number(db, a, "repair_orders", ro_number_format, "维修委托书", o->number,
                              err);
    if (rc == 0)
        rc = insert_order(db, a, o, err);
    if (rc == 0)
        rc = lines_from_booking(db, a, o, ap, err);
    for (int i = 0; rc == 0 && i < in->n_parts; i++) {
        struct ro_line_in li = {.type = RO_LINE_PART, .qty = in->parts[i].qty};
        snprintf(li.code, sizeof li.code, "%s", in->parts[i].part_no);
        struct ro_line l;
        rc = ro_line_insert(db, a, o, &li, false, &l, err);
    }
    if (rc == 0 && o->source == RO_SOURCE_APPOINTMENT)
        rc = add_perks(db, a, o, ap, err);
    free(ap);
    if (rc < 0 ||
        audit_record(db, a, "create", "repair_order", o->id, order_diff(NULL, o), err) < 0)
        return -1;
    return repair_orders_get(db, a, o->id, out, err);
}

/* ---- edits and the life cycle ---- */

/* Locks the order's row and reads it (with its lines). */
static int load_for_update(struct db *db, const struct actor *a, int64_t id,
                           struct repair_order *out, struct dms_error *err)
{
    int rc = store_lock_row(db, "repair_orders", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no repair order %lld", (long long)id);
    return repair_orders_get(db, a, id, out, err);
}

static int write_fields(struct db *db, const struct actor *a, const struct repair_order *p,
                        const struct repair_order *n, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(
        db,
        "UPDATE repair_orders SET status = ?, kind = ?, fuel_eighths = CASE WHEN ? = 1 THEN "
        "CAST(? AS INTEGER) END, damage_notes = ?, customer_words = ?, waiting = ?, "
        "promised_at = ?, bay_id = ?, technician_id = ?, started_at = ?, qc_at = ?, ready_at = "
        "?, delivered_at = ?, cancelled_at = ?, cancel_reason = ?, wait_min = CASE WHEN ? = 1 "
        "THEN CAST(? AS INTEGER) END, on_time = CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, "
        "qc_failures = ?, qc_note = ?, service_record_id = ?, updated_at = ? WHERE id = ? AND "
        "store_id = ?",
        "ssbittbtIIttttttbibiitIsii", RO_STATUS_NAMES[n->status], SERVICE_KIND_NAMES[n->kind],
        n->fuel_eighths >= 0, (int64_t)n->fuel_eighths, n->damage_notes, n->customer_words,
        n->waiting, n->promised_at, n->bay_id, n->technician_id, n->started_at, n->qc_at,
        n->ready_at, n->delivered_at, n->cancelled_at, n->cancel_reason, n->wait_min >= 0,
        n->wait_min, n->on_time >= 0, (int64_t)n->on_time, (int64_t)n->qc_failures, n->qc_note,
        n->service_record_id, now, n->id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return audit_record(db, a, "update", "repair_order", n->id, order_diff(p, n), err);
}

int repair_orders_update(struct db *db, const struct actor *a, int64_t id, store_edit edit,
                         void *ctx, struct repair_order *out, struct dms_error *err)
{
    struct repair_order *prev = calloc(1, sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && !ro_editable(prev->status))
        rc = dms_fail(err, "order_closed", NULL, "a %s repair order is not edited",
                      RO_STATUS_NAMES[prev->status]);
    if (rc == 0) {
        *out = *prev;
        out->lines = NULL, out->payments = NULL, out->n_lines = out->n_payments = 0;
        rc = edit(ctx, out, err);
        if (rc == 0)
            rc = write_fields(db, a, prev, out, err);
    }
    repair_order_clear(prev);
    free(prev);
    return rc < 0 ? -1 : repair_orders_get(db, a, id, out, err);
}

/* RO-5: "your car is ready", by SMS or e-mail as the customer consents (suppressed with the
 * reason otherwise), once per order: the order's row is locked and its status moves to ready
 * in this transaction, so a retry finds it ready and does not come here. */
static int tell_ready(struct db *db, const struct actor *a, const struct repair_order *o,
                      struct dms_error *err)
{
    struct customer *c = malloc(sizeof *c);
    struct store_info *s = malloc(sizeof *s);
    struct store_settings *st = malloc(sizeof *st);
    struct message_template *tpl = malloc(sizeof *tpl);
    int rc = -1;
    if (!c || !s || !st || !tpl) {
        dms_fail(err, "db_error", NULL, "out of memory");
        goto out;
    }
    if (customers_get(db, a, o->customer_id, c, err) < 0 ||
        stores_get(db, a->store_id, s, err) < 0 || settings_get(db, a->store_id, st, err) < 0)
        goto out;
    const char *mobile = "";
    for (int i = 0; i < c->n_phones && !*mobile; i++)
        if (c->phones[i].number[0] == '1' && strlen(c->phones[i].number) == 11)
            mobile = c->phones[i].number;
    bool sms_ok = c->consent[CONSENT_SMS] && !c->sms_opted_out_at[0] && !c->erased_at[0];
    bool email_ok = c->consent[CONSENT_EMAIL] && !c->erased_at[0];
    const char *recipient;
    const char *preferred = c->prefers_email ? "email" : "sms";
    const char *channel =
        outbox_pick_channel(preferred, sms_ok, mobile, email_ok, c->email, &recipient);
    bool suppressed = channel == NULL;
    if (suppressed) {
        channel = preferred;
        recipient = "";
    }
    if (templates_get(db, a->store_id, "car_ready", channel, tpl, err) < 0)
        goto out;
    char work[512];
    size_t w = 0;
    work[0] = '\0';
    for (size_t i = 0; i < o->n_lines && w < sizeof work; i++)
        if (o->lines[i].type == RO_LINE_LABOUR && ro_line_counts(o->lines[i].decision))
            w += (size_t)snprintf(work + w, sizeof work - w, "%s%s", w ? "、" : "",
                                  o->lines[i].name);
    struct template_values v = {.name = c->name,
                                .title = c->title,
                                .plate = o->plate,
                                .due_date = o->promised_at,
                                .package = work,
                                .store = s->name,
                                .store_phone = st->store_phone,
                                .price_fen = o->amount_due_fen,
                                .has_price = true};
    /* Named by the order's booking, so that delivery or cancellation withdraws it while it is
     * still queued (a car picked up needs no "ready" text). */
    struct message m = {.customer_id = o->customer_id,
                        .vehicle_id = o->vehicle_id,
                        .appointment_id = o->appointment_id,
                        .status = suppressed ? MSG_SUPPRESSED : MSG_QUEUED};
    snprintf(m.kind, sizeof m.kind, "car_ready");
    snprintf(m.channel, sizeof m.channel, "%s", channel);
    snprintf(m.recipient, sizeof m.recipient, "%s", recipient);
    rc = messages_queue_templated(db, a, &m, tpl, &v, err);
    message_clear(&m);
out:
    free(c), free(s), free(st), free(tpl);
    return rc < 0 ? -1 : 0;
}

/* RO-7: delivery writes the car's service record from the counting lines; every rule that
 * reads service records then runs on it (MR-1, CS-1, CS-4, CS-5). */
static int write_record(struct db *db, const struct actor *a, struct repair_order *o,
                        struct dms_error *err)
{
    struct service_record *r = calloc(1, sizeof *r);
    if (!r)
        return dms_fail(err, "db_error", NULL, "out of memory");
    r->labour = calloc(o->n_lines ? o->n_lines : 1, sizeof *r->labour);
    r->parts = calloc(o->n_lines ? o->n_lines : 1, sizeof *r->parts);
    int rc = 0;
    if (!r->labour || !r->parts)
        rc = dms_fail(err, "db_error", NULL, "out of memory");
    for (size_t i = 0; rc == 0 && i < o->n_lines; i++) {
        const struct ro_line *l = &o->lines[i];
        if (!ro_line_counts(l->decision))
            continue;
        if (l->type == RO_LINE_LABOUR) {
            struct labour_line *x = &r->labour[r->n_labour++];
            snprintf(x->code, sizeof x->code, "%s", l->code);
            snprintf(x->operation, sizeof x->operation, "%s", l->name);
            x->hours_x100 = l->hours_x100;
            x->amount_fen = l->amount_fen;
        } else {
            struct parts_line *x = &r->parts[r->n_parts++];
            snprintf(x->part_no, sizeof x->part_no, "%s", l->code);
            snprintf(x->name, sizeof x->name, "%s", l->name);
            x->qty = l->qty;
            x->unit_price_fen = l->unit_price_fen;
        }
    }
    /* CS-5: another order may have done the campaign's work meanwhile: this one still writes
     * its record, without completing the entry twice. */
    int open = o->campaign_id && rc == 0
                   ? campaign_entry_open(db, a, o->campaign_id, o->vehicle_id, err)
                   : 0;
    if (open < 0)
        rc = -1;
    if (rc == 0) {
        r->vehicle_id = o->vehicle_id;
        r->advisor_id = o->advisor_id;
        r->campaign_id = open ? o->campaign_id : 0;
        r->repair_order_id = o->id;
        r->reading_id = o->reading_id;
        r->kind = o->kind;
        r->mileage_km = o->mileage_km;
        snprintf(r->date_in, sizeof r->date_in, "%s", o->day);
        date_format(a->today, r->date_out);
        snprintf(r->technician, sizeof r->technician, "%s", o->technician_name);
        snprintf(r->notes, sizeof r->notes, "%s %s", o->number, o->customer_words);
        rc = service_records_create(db, a, r, err);
        o->service_record_id = r->id;
    }
    service_record_clear(r);
    free(r);
    return rc;
}

/* RO-5: dispatch. A walk-in does not go before a booked car waiting in the queue. */
static int start_work(struct db *db, const struct actor *a, struct repair_order *n, int64_t bay_id,
                      int64_t technician_id, struct booking_refusal *refusal, struct dms_error *err)
{
    if (n->source == RO_SOURCE_WALK_IN) {
        int64_t booked = 0;
        int rc = db_query_int(
            db, &booked,
            "SELECT q.id FROM repair_orders q JOIN appointments ap ON ap.id = q.appointment_id "
            "WHERE q.store_id = ? AND q.day = ? AND q.status = 'open' AND q.source = "
            "'appointment' AND ap.start_min IS NULL ORDER BY q.id LIMIT 1",
            "is", a->store_id, n->day);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc > 0)
            return dms_fail(err, "booked_first", "status",
                            "a booked car waits in the queue (repair order %lld): it goes first",
                            (long long)booked);
    }
    struct appointment *ap = malloc(sizeof *ap);
    if (!ap)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = appointments_start(db, a, n->appointment_id, bay_id, technician_id, ap, refusal, err);
    if (rc == 0) {
        n->bay_id = ap->bay_id;
        n->technician_id = ap->technician_id;
        rc = ro_stock_issue_all(db, a, n, err);
    }
    free(ap);
    return rc;
}

int repair_orders_set_status(struct db *db, const struct actor *a, int64_t id, enum ro_status to,
                             const char *reason, int64_t bay_id, int64_t technician_id,
                             struct repair_order *out, struct booking_refusal *refusal,
                             struct dms_error *err)
{
    memset(refusal, 0, sizeof *refusal);
    /* The store's lock first, as a booking takes it: dispatch changes the schedule. */
    if (to == RO_IN_PROGRESS && store_lock_store(db, a->store_id, err) < 0)
        return -1;
    struct repair_order *prev = calloc(1, sizeof *prev);
    struct repair_order *n = calloc(1, sizeof *n);
    if (!prev || !n) {
        free(prev), free(n);
        return dms_fail(err, "db_error", NULL, "out of memory");
    }
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && to == RO_SETTLED)
        rc = dms_fail(err, "invalid_transition", "status", "settle with POST .../settle");
    else if (rc == 0 && !ro_transition_ok(prev->status, to))
        rc = dms_fail(err, "invalid_transition", "status", "a %s repair order cannot become %s",
                      RO_STATUS_NAMES[prev->status], RO_STATUS_NAMES[to]);
    bool qc_failed = prev->status == RO_QC && to == RO_IN_PROGRESS;
    if (rc == 0 && (to == RO_CANCELLED || qc_failed) && (!reason || !*reason))
        rc = dms_fail(err, "missing_field", "reason",
                      to == RO_CANCELLED ? "say why the order is cancelled"
                                         : "say what failed the quality check");
    if (rc == 0 && to == RO_READY && prev->totals.pending > 0)
        rc = dms_fail(err, "decision_pending", "status",
                      "%d line(s) wait for the customer's decision", prev->totals.pending);
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    if (rc == 0) {
        *n = *prev;
        n->lines = prev->lines, n->n_lines = prev->n_lines; /* shared: freed with prev */
        n->payments = NULL, n->n_payments = 0;
        n->status = to;
        if (qc_failed) {
            n->qc_failures++;
            snprintf(n->qc_note, sizeof n->qc_note, "%s", reason);
        } else if (to == RO_IN_PROGRESS) {
            rc = start_work(db, a, n, bay_id, technician_id, refusal, err);
            if (!n->started_at[0]) { /* the first start: the wait (RO-8) */
                snprintf(n->started_at, sizeof n->started_at, "%s", now);
                int64_t arrived = a->now, booked = 0;
                timestamp_parse_utc(n->arrived_at, &arrived);
                char today[DATE_STR];
                date_format(a->today, today);
                if (prev->source == RO_SOURCE_APPOINTMENT && prev->start_min >= 0 &&
                    strcmp(prev->day, today) == 0)
                    booked = a->now - (int64_t)(a->now_min - prev->start_min) * 60;
                n->wait_min = ro_wait_min(arrived, a->now, booked);
            }
        } else if (to == RO_QC) {
            snprintf(n->qc_at, sizeof n->qc_at, "%s", now);
        } else if (to == RO_READY) {
            snprintf(n->ready_at, sizeof n->ready_at, "%s", now);
            rc = tell_ready(db, a, n, err);
        } else if (to == RO_DELIVERED) {
            snprintf(n->delivered_at, sizeof n->delivered_at, "%s", now);
            if (n->promised_at[0]) {
                char local[LOCAL_TIME_STR];
                local_time_format(a->today, a->now_min, local);
                n->on_time = strcmp(local, n->promised_at) <= 0;
            }
            rc = write_record(db, a, n, err);
            if (rc == 0)
                rc = declined_work_done(db, a, n, err);
            if (rc == 0)
                rc = appointments_follow_order(db, a, n->appointment_id, APPT_COMPLETED, err);
            if (rc == 0)
                rc = messages_withdraw_for_appointment(db, a, n->appointment_id, "car delivered",
                                                       NULL, err);
        } else if (to == RO_CANCELLED) {
            snprintf(n->cancelled_at, sizeof n->cancelled_at, "%s", now);
            snprintf(n->cancel_reason, sizeof n->cancel_reason, "%s", reason);
            rc = ro_stock_give_back(db, a, n, err);
            if (rc == 0)
                rc = appointments_follow_order(db, a, n->appointment_id, APPT_CANCELLED, err);
            if (rc == 0)
                rc = messages_withdraw_for_appointment(db, a, n->appointment_id,
                                                       "repair order cancelled", NULL, err);
        }
    }
    if (rc == 0)
        rc = write_fields(db, a, prev, n, err);
    /* CRM-2: the delivered order is a visit: the class follows at once. */
    if (rc == 0 && to == RO_DELIVERED)
        rc = classify_customer(db, a, n->customer_id, err);
    repair_order_clear(prev);
    free(prev), free(n);
    return rc < 0 ? -1 : repair_orders_get(db, a, id, out, err);
}
