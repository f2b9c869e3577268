/* Appointments (IN-4..IN-7, IN-10, IN-14..IN-19): booking against the workshop's capacity,
 * the parts a booking reserves or orders, its life cycle, rescheduling and dispatch. */
#include <stdlib.h>

#include "core/booking.h"
#include "core/calendar.h"
#include "core/money.h"
#include "core/slots.h"
#include "core/text.h"
#include "core/workshop.h"
#include "store/appointments.h"
#include "store/calendar.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/parts.h"
#include "store/purchasing.h"
#include "store/slots.h"
#include "store/vehicles.h"

const char *const PART_STATE_NAMES[PART_STATE_COUNT] = {
    [PART_PLANNED] = "planned",   [PART_RESERVED] = "reserved", [PART_ON_ORDER] = "on_order",
    [PART_RELEASED] = "released", [PART_ISSUED] = "issued",
};

/* Bookings of a store are made one at a time: SQLite's write transaction already holds the
 * database; in PostgreSQL a row lock on the store makes the second of two advisors wait and
 * then see the first one's booking (READ COMMITTED reads afresh in each statement). */
static int lock_bookings(struct db *db, int64_t store_id, struct dms_error *err)
{
    return store_lock_store(db, store_id, err);
}

/* ---- what a job needs ---- */

static int op_row(struct db_res *res, void *out)
{
    struct appt_op *o = out;
    memset(o, 0, sizeof *o);
    o->operation_id = db_int(res, 0);
    col_copy(o->code, sizeof o->code, res, 1);
    col_copy(o->name, sizeof o->name, res, 2);
    int k = enum_index(OP_KIND_NAMES, OP_KIND_COUNT, db_text(res, 3));
    o->kind = k < 0 ? OP_REPAIR : (enum op_kind)k;
    o->hours_x100 = db_int(res, 4);
    k = enum_index(BAY_KIND_NAMES, BAY_KIND_COUNT, db_text(res, 5));
    o->bay_kind = k < 0 ? BAY_GENERAL : (enum bay_kind)k;
    k = enum_index(SKILL_NAMES, SKILL_COUNT, db_text(res, 6));
    o->skill = k < 0 ? SKILL_MECHANICAL : (enum skill)k;
    o->labour_fen = db_int(res, 7);
    return 0;
}

static int plan_ops(struct db *db, const struct actor *a,
                    const char codes[][OPERATION_CODE_MAX + 1], int n, struct appt_plan *p,
                    struct dms_error *err)
{
    if (n == 0)
        return dms_fail(err, "missing_field", "ops", "name at least one operation");
    int64_t hours = 0;
    bool any_repair = false;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++)
            if (strcmp(codes[k], codes[i]) == 0)
                return dms_fail(err, "invalid_field", "ops", "operation %s is named twice",
                                codes[i]);
        struct appt_op *o = &p->ops[i];
        /* rate × hours, rounded half up to the fen, as core/workshop.h operation_labour_fen */
        int rc = store_one(db, op_row, o, err,
                           "SELECT id, code, name, kind, hours_x100, bay_kind, skill, "
                           "(hours_x100 * rate_fen + 50) / 100 FROM labour_operations "
                           "WHERE store_id = ? AND code = ? AND active = 1",
                           "is", a->store_id, codes[i]);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return dms_fail(err, "unknown_operation", "ops", "the store has no operation %s",
                            codes[i]);
        if (i > 0 && o->bay_kind != p->ops[0].bay_kind)
            return dms_fail(err, "invalid_field", "ops",
                            "%s needs a %s bay and %s a %s bay: book them as two jobs",
                            p->ops[0].code, BAY_KIND_NAMES[p->ops[0].bay_kind], o->code,
                            BAY_KIND_NAMES[o->bay_kind]);
        hours += o->hours_x100;
        any_repair |= o->kind == OP_REPAIR;
        p->job.skills |= 1u << o->skill;
        if (money_add(&p->labour_fen, o->labour_fen) < 0)
            return dms_fail(err, "invalid_field", "ops", "the labour is too large");
    }
    p->n_ops = n;
    p->job.bay_kind = p->ops[0].bay_kind;
    p->job.work_min = booking_work_minutes(hours);
    p->bcase = any_repair ? CASE_B : CASE_A; /* parts decide between B, C and D below */
    return 0;
}

static int plan_parts(struct db *db, const struct actor *a, const struct part_request *req, int n,
                      struct appt_plan *p, struct dms_error *err)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++)
            if (strcmp(req[k].part_no, req[i].part_no) == 0)
                return dms_fail(err, "invalid_field", "parts", "part %s is named twice",
                                req[i].part_no);
        struct part pt;
        if (parts_get_by_no(db, a, req[i].part_no, &pt, err) < 0) {
            if (strcmp(err->code, "not_found") == 0)
                return dms_fail(err, "unknown_part", "parts", "the store has no part %s",
                                req[i].part_no);
            return -1;
        }
        if (!pt.active)
            return dms_fail(err, "unknown_part", "parts", "part %s is retired", req[i].part_no);
        struct appt_part *ap = &p->parts[i];
        memset(ap, 0, sizeof *ap);
        ap->part_id = pt.id;
        snprintf(ap->part_no, sizeof ap->part_no, "%s", pt.part_no);
        snprintf(ap->name, sizeof ap->name, "%s", pt.name);
        ap->qty = req[i].qty;
        ap->unit_price_fen = pt.price_fen;
        ap->available = pt.on_hand - pt.reserved;
        ap->lead_days = pt.lead_days;
        ap->state = PART_PLANNED;
        if (ap->available < ap->qty) {
            p->short_parts++;
            if (pt.lead_days > p->lead_days)
                p->lead_days = pt.lead_days;
        }
        int64_t line;
        if (money_mul(ap->qty, ap->unit_price_fen, &line) < 0 || money_add(&p->parts_fen, line) < 0)
            return dms_fail(err, "invalid_field", "parts", "the parts cost too much");
    }
    p->n_parts = n;
    return 0;
}

int appointments_plan(struct db *db, const struct actor *a,
                      const char codes[][OPERATION_CODE_MAX + 1], int n_codes,
                      const struct part_request *parts, int n_parts, struct appt_plan *out,
                      struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    if (plan_ops(db, a, codes, n_codes, out, err) < 0 ||
        plan_parts(db, a, parts, n_parts, out, err) < 0)
        return -1;
    out->bcase = booking_case_of(out->bcase != CASE_A, out->n_parts, out->short_parts);
    out->parts_day = a->today + out->lead_days;
    out->total_fen = out->labour_fen;
    if (money_add(&out->total_fen, out->parts_fen) < 0)
        return dms_fail(err, "invalid_field", "parts", "the estimate is too large");
    return 0;
}

/* ---- reading ---- */

#define APPT_COLS                                                                                  \
    "a.id, a.vehicle_id, a.customer_id, a.case_code, a.status, a.flexibility, a.day, "             \
    "a.start_min, a.end_min, a.hold_min, a.bay_id, a.technician_id, a.bay_kind, a.skills, "        \
    "a.work_min, a.period_from, a.period_to, a.parts_date, a.customer_words, a.services, "         \
    "a.source, a.wait_for_parts, a.labour_fen, a.parts_fen, a.total_fen, a.task_id, "              \
    "a.created_by, a.created_at, a.updated_at, v.plate, v.brand, v.model, c.name, c.title, "       \
    "b.name, t.name, c.needs, c.needs_note, o.id, o.number"
#define APPT_FROM                                                                                  \
    " FROM appointments a JOIN vehicles v ON v.id = a.vehicle_id "                                 \
    "JOIN customers c ON c.id = a.customer_id LEFT JOIN bays b ON b.id = a.bay_id "                \
    "LEFT JOIN technicians t ON t.id = a.technician_id "                                           \
    "LEFT JOIN repair_orders o ON o.appointment_id = a.id "

static int opt_min(struct db_res *res, int col)
{
    return db_is_null(res, col) ? -1 : (int)db_int(res, col);
}

static int appt_row(struct db_res *res, void *out)
{
    struct appointment *p = out;
    memset(p, 0, sizeof *p);
    p->id = db_int(res, 0);
    p->vehicle_id = db_int(res, 1);
    p->customer_id = db_int(res, 2);
    int k = enum_index(BOOKING_CASE_NAMES, 4, db_text(res, 3));
    p->bcase = k < 0 ? CASE_A : (enum booking_case)k;
    k = enum_index(APPT_STATUS_NAMES, APPT_STATUS_COUNT, db_text(res, 4));
    p->status = k < 0 ? APPT_CANCELLED : (enum appt_status)k;
    k = enum_index(FLEXIBILITY_NAMES, FLEX_COUNT, db_text(res, 5));
    p->flex = k < 0 ? FLEX_EXACT : (enum flexibility)k;
    col_copy(p->day, sizeof p->day, res, 6);
    p->start_min = opt_min(res, 7);
    p->end_min = opt_min(res, 8);
    p->hold_min = opt_min(res, 9);
    p->bay_id = db_int(res, 10);
    p->technician_id = db_int(res, 11);
    k = enum_index(BAY_KIND_NAMES, BAY_KIND_COUNT, db_text(res, 12));
    p->job.bay_kind = k < 0 ? BAY_GENERAL : (enum bay_kind)k;
    p->job.skills = (unsigned)db_int(res, 13);
    p->job.work_min = (int)db_int(res, 14);
    col_copy(p->period_from, sizeof p->period_from, res, 15);
    col_copy(p->period_to, sizeof p->period_to, res, 16);
    col_copy(p->parts_date, sizeof p->parts_date, res, 17);
    col_copy(p->customer_words, sizeof p->customer_words, res, 18);
    p->services = (unsigned)db_int(res, 19);
    k = enum_index(SOURCE_NAMES, SOURCE_COUNT, db_text(res, 20));
    p->source = k < 0 ? SOURCE_INBOUND : (enum booking_source)k;
    p->wait_for_parts = db_int(res, 21) != 0;
    p->labour_fen = db_int(res, 22);
    p->parts_fen = db_int(res, 23);
    p->total_fen = db_int(res, 24);
    p->task_id = db_int(res, 25);
    p->created_by = db_int(res, 26);
    col_copy(p->created_at, sizeof p->created_at, res, 27);
    col_copy(p->updated_at, sizeof p->updated_at, res, 28);
    col_copy(p->plate, sizeof p->plate, res, 29);
    col_copy(p->brand, sizeof p->brand, res, 30);
    col_copy(p->model, sizeof p->model, res, 31);
    col_copy(p->customer_name, sizeof p->customer_name, res, 32);
    col_copy(p->customer_title, sizeof p->customer_title, res, 33);
    col_copy(p->bay_name, sizeof p->bay_name, res, 34);
    col_copy(p->technician_name, sizeof p->technician_name, res, 35);
    p->customer_needs = (unsigned)db_int(res, 36);
    col_copy(p->needs_note, sizeof p->needs_note, res, 37);
    p->repair_order_id = db_int(res, 38);
    col_copy(p->repair_order_number, sizeof p->repair_order_number, res, 39);
    return 0;
}

static int part_row(struct db_res *res, void *out)
{
    struct appt_part *p = out;
    memset(p, 0, sizeof *p);
    p->part_id = db_int(res, 0);
    col_copy(p->part_no, sizeof p->part_no, res, 1);
    col_copy(p->name, sizeof p->name, res, 2);
    p->qty = db_int(res, 3);
    p->unit_price_fen = db_int(res, 4);
    int k = enum_index(PART_STATE_NAMES, PART_STATE_COUNT, db_text(res, 5));
    p->state = k < 0 ? PART_PLANNED : (enum appt_part_state)k;
    p->available = db_int(res, 6);
    p->lead_days = (int)db_int(res, 7);
    col_copy(p->expected_date, sizeof p->expected_date, res, 8);
    p->order_id = db_int(res, 9);
    return 0;
}

static struct appointment *find_appt(struct appointment *list, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].id == id)
            return &list[i];
    return NULL;
}

/* The operations and parts of the bookings in list, one query each for all of them (the
 * bookings `where` selects from appointments a; its parameters follow types), not one per
 * booking. The booking's id is the rows' last column, after what op_row / part_row read. */
static int load_lines(struct db *db, struct appointment *list, size_t n, struct dms_error *err,
                      const char *where, const char *types, ...)
{
    static const char *const HEAD[2] = {
        "SELECT o.operation_id, o.code, o.name, l.kind, o.hours_x100, l.bay_kind, l.skill, "
        "o.labour_fen, o.appointment_id FROM appointment_ops o JOIN labour_operations l ON "
        "l.id = o.operation_id JOIN appointments a ON a.id = o.appointment_id WHERE ",
        "SELECT ap.part_id, p.part_no, p.name, ap.qty, ap.unit_price_fen, ap.state, "
        "p.on_hand - p.reserved, p.lead_days, po.expected_date, po.id, ap.appointment_id "
        "FROM appointment_parts ap JOIN parts p ON p.id = ap.part_id JOIN appointments a ON "
        "a.id = ap.appointment_id LEFT JOIN purchase_order_lines l ON l.id = ap.order_line_id "
        "LEFT JOIN purchase_orders po ON po.id = l.order_id WHERE "};
    static const char *const TAIL[2] = {" ORDER BY o.appointment_id, o.seq",
                                        " ORDER BY ap.appointment_id, p.part_no"};
    for (size_t i = 0; i < n; i++)
        list[i].n_ops = list[i].n_parts = 0;
    for (int q = 0; q < 2; q++) {
        char sql[1024];
        snprintf(sql, sizeof sql, "%s%s%s", HEAD[q], where, TAIL[q]);
        va_list ap;
        va_start(ap, types);
        struct db_res *res;
        int rc = db_vquery(db, &res, sql, types, ap);
        va_end(ap);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        struct appointment *p = NULL;
        while ((rc = db_step(res)) > 0) {
            int64_t id = db_int(res, q == 0 ? 8 : 10);
            if (!p || p->id != id)
                p = find_appt(list, n, id);
            if (p && q == 0 && p->n_ops < APPT_MAX_OPS)
                op_row(res, &p->ops[p->n_ops++]);
            else if (p && q == 1 && p->n_parts < APPT_MAX_PARTS)
                part_row(res, &p->parts[p->n_parts++]);
        }
        db_done(res);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    return 0;
}

int appointments_get(struct db *db, const struct actor *a, int64_t id, struct appointment *out,
                     struct dms_error *err)
{
    int rc = store_one(db, appt_row, out, err,
                       "SELECT " APPT_COLS APPT_FROM "WHERE a.id = ? AND a.store_id = ?", "ii", id,
                       a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no appointment %lld", (long long)id);
    if (rc < 0)
        return -1;
    return load_lines(db, out, 1, err, "a.id = ?", "i", id);
}

int appointments_list(struct db *db, const struct actor *a, const struct appt_filter *f,
                      struct appointment **out, size_t *n, struct dms_error *err)
{
    char day[DATE_STR] = "";
    if (f->day)
        date_format(f->day, day);
    const char *status = f->status >= 0 ? APPT_STATUS_NAMES[f->status] : "";
#define LIST_WHERE                                                                                 \
    "a.store_id = ? AND (? = '' OR a.day = ?) AND (? = 0 OR a.vehicle_id = ?) AND "                \
    "(? = '' OR a.status = ?)"
    if (store_rows(db, appt_row, NULL, sizeof **out, 1000, (void **)out, n, err,
                   "SELECT " APPT_COLS APPT_FROM "WHERE " LIST_WHERE
                   " ORDER BY a.day IS NULL, a.day, a.start_min IS NULL, a.start_min, a.id",
                   "issiiss", a->store_id, day, day, f->vehicle_id, f->vehicle_id, status,
                   status) < 0)
        return -1;
    if (*n && load_lines(db, *out, *n, err, LIST_WHERE, "issiiss", a->store_id, day, day,
                         f->vehicle_id, f->vehicle_id, status, status) < 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
#undef LIST_WHERE
}

/* ---- writing ---- */

static void hm(int min, char out[8])
{
    if (min < 0)
        snprintf(out, 8, "%s", "");
    else
        hhmm_format(min, out);
}

static json_t *appt_diff(const struct appointment *p, const struct appointment *n)
{
    json_t *ch = json_object();
    char ps[8] = "", ns[8] = "";
    if (p)
        hm(p->start_min, ps);
    hm(n->start_min, ns);
    audit_text(ch, "status", p ? APPT_STATUS_NAMES[p->status] : NULL, APPT_STATUS_NAMES[n->status]);
    audit_text(ch, "flexibility", p ? FLEXIBILITY_NAMES[p->flex] : NULL,
               FLEXIBILITY_NAMES[n->flex]);
    audit_text(ch, "day", p ? p->day : NULL, n->day);
    audit_text(ch, "start", p ? ps : NULL, ns);
    audit_int(ch, "bay_id", p ? p->bay_id : 0, n->bay_id);
    audit_int(ch, "technician_id", p ? p->technician_id : 0, n->technician_id);
    if (!p) {
        audit_int(ch, "vehicle_id", 0, n->vehicle_id);
        audit_text(ch, "case", NULL, BOOKING_CASE_NAMES[n->bcase]);
        audit_text(ch, "period_from", NULL, n->period_from);
        audit_text(ch, "period_to", NULL, n->period_to);
        audit_int(ch, "total_fen", 0, n->total_fen);
    }
    return ch;
}

/* Reserves what stock covers and orders the rest (case D: one purchase order per expected
 * day collects the lines); the parts of a booking without a time stay planned. */
static int place_parts(struct db *db, const struct actor *a, struct appointment *ap,
                       struct dms_error *err)
{
    for (int i = 0; i < ap->n_parts; i++) {
        struct appt_part *p = &ap->parts[i];
        if (p->state != PART_PLANNED)
            continue;
        int rc = db_exec(db,
                         "UPDATE parts SET reserved = reserved + ?, updated_at = updated_at "
                         "WHERE id = ? AND store_id = ? AND on_hand - reserved >= ?",
                         "iiii", p->qty, p->part_id, a->store_id, p->qty);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        int64_t line = 0;
        if (rc > 0) {
            p->state = PART_RESERVED;
        } else {
            char cause[160];
            snprintf(cause, sizeof cause, "预约时库存不足：需要 %lld，可用 %lld", (long long)p->qty,
                     (long long)(p->available > 0 ? p->available : 0));
            if (purchase_order_add(db, a, p->part_id, p->qty, ap->id, a->today + p->lead_days,
                                   &line, &p->order_id, err) < 0 ||
                shortage_record(db, a, p->part_id, p->part_no, p->name, p->qty, ap->id, cause,
                                err) < 0)
                return -1;
            p->state = PART_ON_ORDER;
        }
        rc = db_exec(db,
                     "UPDATE appointment_parts SET state = ?, order_line_id = ? "
                     "WHERE appointment_id = ? AND part_id = ?",
                     "sIii", PART_STATE_NAMES[p->state], line, ap->id, p->part_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    return 0;
}

/* Gives back what a booking holds: reserved parts return to stock; parts on order stay on
 * their order (they arrive as stock). */
static int release_parts(struct db *db, const struct actor *a, struct appointment *ap,
                         enum appt_part_state to, struct dms_error *err)
{
    for (int i = 0; i < ap->n_parts; i++) {
        struct appt_part *p = &ap->parts[i];
        int rc = 0;
        if (p->state == PART_RESERVED && to == PART_RELEASED)
            rc = db_exec(db,
                         "UPDATE parts SET reserved = reserved - ? WHERE id = ? AND "
                         "store_id = ?",
                         "iii", p->qty, p->part_id, a->store_id);
        else if (p->state == PART_RESERVED && to == PART_ISSUED)
            rc = db_exec(db,
                         "UPDATE parts SET reserved = reserved - ?, on_hand = on_hand - ? "
                         "WHERE id = ? AND store_id = ?",
                         "iiii", p->qty, p->qty, p->part_id, a->store_id);
        else if (p->state != PART_PLANNED && p->state != PART_ON_ORDER)
            continue;
        if (rc < 0)
            return store_db_fail(db, rc, err);
        p->state = to;
        rc = db_exec(db,
                     "UPDATE appointment_parts SET state = ? WHERE appointment_id = ? AND "
                     "part_id = ?",
                     "sii", PART_STATE_NAMES[to], ap->id, p->part_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    return 0;
}

/* Checks a start; on refusal fills the options and err (slot_taken / slot_unavailable). */
static int take_slot(struct db *db, const struct actor *a, struct slot_query *q, int64_t bay,
                     int64_t tech, struct slot_option *got, struct booking_refusal *refusal,
                     struct dms_error *err)
{
    enum slot_verdict v;
    if (slots_check(db, a->store_id, q, bay, tech, got, &v, err) < 0)
        return -1;
    if (v == SLOT_OK)
        return 0;
    refusal->verdict = v;
    if (slots_find(db, a->store_id, q, refusal->options, 3, &refusal->n_options, err) < 0)
        return -1;
    if (v == SLOT_TAKEN)
        return dms_fail(err, "slot_taken", "start", "another booking holds that time");
    return dms_fail(err, "slot_unavailable", "start",
                    "the workshop cannot take the job then (closed, break, past closing, no "
                    "free bay of its kind or technician with its skills, or before the parts "
                    "arrive)");
}

static int insert_appt(struct db *db, const struct actor *a, struct appointment *ap,
                       struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    bool timed = ap->start_min >= 0;
    int rc = db_query_int(
        db, &ap->id,
        "INSERT INTO appointments (store_id, vehicle_id, customer_id, case_code, status, "
        "flexibility, day, start_min, end_min, hold_min, bay_id, technician_id, bay_kind, "
        "skills, work_min, period_from, period_to, parts_date, customer_words, services, "
        "source, wait_for_parts, labour_fen, parts_fen, total_fen, task_id, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 1 THEN CAST(? AS "
        "INTEGER) END, "
        "CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "iiissstbibibiIIsiittttisbiiiIIss", a->store_id, ap->vehicle_id, ap->customer_id,
        BOOKING_CASE_NAMES[ap->bcase], APPT_STATUS_NAMES[ap->status], FLEXIBILITY_NAMES[ap->flex],
        ap->day, timed, (int64_t)ap->start_min, timed, (int64_t)ap->end_min, timed,
        (int64_t)ap->hold_min, ap->bay_id, ap->technician_id, BAY_KIND_NAMES[ap->job.bay_kind],
        (int64_t)ap->job.skills, (int64_t)ap->job.work_min, ap->period_from, ap->period_to,
        ap->parts_date, ap->customer_words, (int64_t)ap->services, SOURCE_NAMES[ap->source],
        ap->wait_for_parts, ap->labour_fen, ap->parts_fen, ap->total_fen, ap->task_id, a->user_id,
        now, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    for (int i = 0; i < ap->n_ops; i++) {
        const struct appt_op *o = &ap->ops[i];
        rc = db_exec(db,
                     "INSERT INTO appointment_ops (appointment_id, seq, operation_id, code, name, "
                     "hours_x100, labour_fen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     "iiissii", ap->id, (int64_t)i, o->operation_id, o->code, o->name,
                     o->hours_x100, o->labour_fen);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    for (int i = 0; i < ap->n_parts; i++) {
        const struct appt_part *p = &ap->parts[i];
        rc = db_exec(db,
                     "INSERT INTO appointment_parts (appointment_id, part_id, qty, "
                     "unit_price_fen, state) VALUES (?, ?, ?, ?, ?)",
                     "iiiis", ap->id, p->part_id, p->qty, p->unit_price_fen,
                     PART_STATE_NAMES[p->state]);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    return 0;
}

/* A date booking in the past, before the parts can be there or on a closed day (IN-15,
 * booking_check_day on the day's hours). */
static int check_day(struct db *db, const struct actor *a, dms_day day, dms_day parts_day,
                     const char *field, struct dms_error *err)
{
    struct day_hours h;
    if (calendar_hours_range(db, a->store_id, day, day, &h, NULL, err) < 0)
        return -1;
    return booking_check_day(day, a->today, parts_day, h.open, field, err);
}

int appointments_book(struct db *db, const struct actor *a, const struct booking_in *in,
                      struct appointment *out, struct booking_refusal *refusal,
                      struct dms_error *err)
{
    memset(refusal, 0, sizeof *refusal);
    if (lock_bookings(db, a->store_id, err) < 0)
        return -1;
    struct vehicle v;
    if (vehicles_get(db, a, in->vehicle_id, &v, err) < 0) {
        snprintf(err->field, sizeof err->field, "%s", "vehicle_id");
        return -1;
    }
    if (in->task_id) {
        int64_t found;
        int rc = db_query_int(db, &found, "SELECT id FROM tasks WHERE id = ? AND store_id = ?",
                              "ii", in->task_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "task_id", "no task %lld", (long long)in->task_id);
    }
    struct appt_plan *plan = malloc(sizeof *plan);
    if (!plan)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = appointments_plan(db, a, in->codes, in->n_codes, in->parts, in->n_parts, plan, err);
    if (rc == 0 && plan->short_parts > 0 && !in->wait_for_parts) {
        refusal->lead_days = plan->lead_days;
        rc = dms_fail(err, "parts_unavailable", "parts",
                      "%d part(s) are not in stock; ordered today they arrive in %d day(s)",
                      plan->short_parts, plan->lead_days);
    }
    struct appointment *ap = out;
    memset(ap, 0, sizeof *ap);
    if (rc == 0) {
        ap->vehicle_id = v.id;
        ap->customer_id = v.customer_id;
        ap->bcase = plan->bcase;
        ap->flex = in->flex;
        ap->start_min = ap->end_min = ap->hold_min = -1;
        ap->job = plan->job;
        snprintf(ap->customer_words, sizeof ap->customer_words, "%s", in->customer_words);
        ap->services = in->services;
        ap->source = in->source;
        ap->wait_for_parts = in->wait_for_parts;
        ap->labour_fen = plan->labour_fen;
        ap->parts_fen = plan->parts_fen;
        ap->total_fen = plan->total_fen;
        ap->task_id = in->task_id;
        memcpy(ap->ops, plan->ops, sizeof ap->ops);
        ap->n_ops = plan->n_ops;
        memcpy(ap->parts, plan->parts, sizeof ap->parts);
        ap->n_parts = plan->n_parts;
        if (plan->short_parts)
            date_format(plan->parts_day, ap->parts_date);
    }
    if (rc == 0 && in->flex == FLEX_EXACT) {
        struct slot_query q = {.job = plan->job, .wish_day = in->day, .wish_min = in->start_min};
        slot_not_before(a->today, a->now_min, plan->short_parts ? plan->parts_day : 0,
                        &q.not_before_day, &q.not_before_min);
        struct slot_option got;
        rc = take_slot(db, a, &q, in->bay_id, in->technician_id, &got, refusal, err);
        if (rc == 0) {
            date_format(got.date, ap->day);
            ap->start_min = got.start, ap->end_min = got.end, ap->hold_min = got.hold_until;
            ap->bay_id = got.bay_id, ap->technician_id = got.technician_id;
            ap->status = APPT_CONFIRMED;
        }
    } else if (rc == 0 && in->flex == FLEX_DATE) {
        rc = check_day(db, a, in->day, plan->short_parts ? plan->parts_day : 0, "start", err);
        date_format(in->day, ap->day);
        ap->status = APPT_TENTATIVE;
    } else if (rc == 0) {
        date_format(in->period_from, ap->period_from);
        date_format(in->period_to, ap->period_to);
        rc = booking_check_period_start(in->period_from, a->today, err);
        ap->status = APPT_TENTATIVE;
    }
    free(plan);
    if (rc < 0 || insert_appt(db, a, ap, err) < 0)
        return -1;
    if (ap->flex == FLEX_EXACT && place_parts(db, a, ap, err) < 0)
        return -1;
    if (ap->flex != FLEX_EXACT &&
        tasks_create_confirm(db, a, ap, ap->flex == FLEX_PERIOD ? in->period_from : in->day, err) <
            0)
        return -1;
    if (in->task_id) {
        rc = db_exec(db, "UPDATE tasks SET appointment_id = ? WHERE id = ? AND store_id = ?", "iii",
                     ap->id, in->task_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    if (audit_record(db, a, "create", "appointment", ap->id, appt_diff(NULL, ap), err) < 0)
        return -1;
    return appointments_get(db, a, ap->id, out, err);
}

/* ---- changing a booking ---- */

static int load_for_update(struct db *db, const struct actor *a, int64_t id,
                           struct appointment *out, struct dms_error *err)
{
    if (lock_bookings(db, a->store_id, err) < 0)
        return -1;
    return appointments_get(db, a, id, out, err);
}

static int write_state(struct db *db, const struct actor *a, const struct appointment *prev,
                       const struct appointment *next, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    bool timed = next->start_min >= 0;
    /* A booking moved to another day or time is reminded again. */
    bool moved = strcmp(prev->day, next->day) != 0 || prev->start_min != next->start_min;
    int rc =
        db_exec(db,
                "UPDATE appointments SET status = ?, flexibility = ?, day = ?, "
                "start_min = CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, end_min = CASE WHEN ? = "
                "1 THEN CAST(? AS INTEGER) END, "
                "hold_min = CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, bay_id = ?, technician_id "
                "= ?, parts_date = ?, "
                "reminded_day = CASE WHEN ? = 1 THEN 0 ELSE reminded_day END, "
                "reminded_soon = CASE WHEN ? = 1 THEN 0 ELSE reminded_soon END, updated_at = ? "
                "WHERE id = ? AND store_id = ?",
                "sssbibibiIItbbsii", APPT_STATUS_NAMES[next->status], FLEXIBILITY_NAMES[next->flex],
                next->day, timed, (int64_t)next->start_min, timed, (int64_t)next->end_min, timed,
                (int64_t)next->hold_min, next->bay_id, next->technician_id, next->parts_date, moved,
                moved, now, next->id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return audit_record(db, a, "update", "appointment", next->id, appt_diff(prev, next), err);
}

int appointments_set_status(struct db *db, const struct actor *a, int64_t id, enum appt_status to,
                            struct appointment *out, struct dms_error *err)
{
    struct appointment *prev = malloc(sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && !appt_transition_ok(prev->status, to))
        rc = dms_fail(err, "invalid_transition", "status", "a %s appointment cannot become %s",
                      APPT_STATUS_NAMES[prev->status], APPT_STATUS_NAMES[to]);
    /* RO-1, RO-5, RO-7: arrival, work and completion are the repair order's (check-in,
     * dispatch, delivery), which write what they do; not a status set by hand. */
    if (rc == 0 && (to == APPT_ARRIVED || to == APPT_IN_SERVICE || to == APPT_COMPLETED))
        rc = dms_fail(err, "repair_order_required", "status",
                      "a booking becomes %s through its repair order (check-in at reception)",
                      APPT_STATUS_NAMES[to]);
    if (rc == 0 && (prev->status == APPT_ARRIVED || prev->status == APPT_IN_SERVICE)) {
        int64_t order = 0;
        int found = db_query_int(db, &order,
                                 "SELECT id FROM repair_orders WHERE appointment_id = ? AND "
                                 "store_id = ?",
                                 "ii", id, a->store_id);
        if (found < 0)
            rc = store_db_fail(db, found, err);
        else if (found > 0)
            rc = dms_fail(err, "repair_order_required", "status",
                          "the car is checked in: its repair order %lld decides (cancel it there)",
                          (long long)order);
    }
    if (rc == 0 && to == APPT_NO_SHOW && !prev->day[0])
        rc = dms_fail(err, "invalid_transition", "status",
                      "a booking for a period has no day to miss");
    if (rc == 0 && to == APPT_NO_SHOW && prev->day[0]) {
        dms_day d = 0;
        if (date_parse(prev->day, &d, "date", err) == 0 && d > a->today)
            rc = dms_fail(err, "not_today", "status", "the booking is for %s: not missed yet",
                          prev->day);
    }
    if (rc == 0 && to == APPT_CONFIRMED && prev->start_min < 0)
        rc = dms_fail(err, "invalid_transition", "status",
                      "fix the day and time first (PATCH start)");
    for (int i = 0; rc == 0 && to == APPT_IN_SERVICE && i < prev->n_parts; i++)
        if (prev->parts[i].state == PART_ON_ORDER)
            rc = dms_fail(err, "parts_not_received", "status",
                          "part %s is still on order (expected %s)", prev->parts[i].part_no,
                          prev->parts[i].expected_date);
    if (rc < 0) {
        free(prev);
        return -1;
    }
    *out = *prev;
    out->status = to;
    /* RO-9: a no-show's parts stay reserved no_show_hold_days (appointments_release_no_shows)
     * in case the customer rebooks. */
    if (to == APPT_CANCELLED)
        rc = release_parts(db, a, out, PART_RELEASED, err);
    if (rc == 0 && (to == APPT_CANCELLED || to == APPT_NO_SHOW))
        rc = tasks_close_confirm(db, a, id, err);
    if (rc == 0)
        rc = write_state(db, a, prev, out, err);
    /* IN-16: its reminders still queued are not sent. After write_state: by then this
     * transaction holds the store's and the booking's rows, so a reminder pass writing one
     * has committed it and it is seen here. */
    if (rc == 0 && (to == APPT_CANCELLED || to == APPT_NO_SHOW)) {
        const char *why = to == APPT_CANCELLED ? "appointment cancelled" : "appointment no-show";
        rc = messages_withdraw_for_appointment(db, a, id, why, NULL, err);
    }
    free(prev);
    return rc < 0 ? -1 : appointments_get(db, a, id, out, err);
}

/* The day the parts of a booking can all be there: planned ones are checked against stock
 * now, those on order arrive with their order. */
static dms_day parts_ready(const struct actor *a, const struct appointment *ap)
{
    dms_day ready = 0;
    for (int i = 0; i < ap->n_parts; i++) {
        const struct appt_part *p = &ap->parts[i];
        dms_day d = 0;
        struct dms_error e = {0};
        if (p->state == PART_ON_ORDER && p->expected_date[0])
            date_parse(p->expected_date, &d, NULL, &e);
        else if (p->state == PART_PLANNED && p->available < p->qty)
            d = a->today + p->lead_days;
        if (d > ready)
            ready = d;
    }
    return ready;
}

int appointments_reschedule(struct db *db, const struct actor *a, int64_t id, dms_day day,
                            int start_min, int64_t bay_id, int64_t technician_id,
                            struct appointment *out, struct booking_refusal *refusal,
                            struct dms_error *err)
{
    memset(refusal, 0, sizeof *refusal);
    struct appointment *prev = malloc(sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && prev->status != APPT_TENTATIVE && prev->status != APPT_CONFIRMED)
        rc = dms_fail(err, "invalid_transition", "start", "a %s appointment cannot be moved",
                      APPT_STATUS_NAMES[prev->status]);
    struct slot_option got;
    if (rc == 0) {
        dms_day ready = parts_ready(a, prev);
        struct slot_query q = {
            .job = prev->job, .wish_day = day, .wish_min = start_min, .exclude_id = id};
        slot_not_before(a->today, a->now_min, ready, &q.not_before_day, &q.not_before_min);
        rc = take_slot(db, a, &q, bay_id, technician_id, &got, refusal, err);
        if (rc == 0 && ready > a->today)
            date_format(ready, prev->parts_date);
    }
    if (rc < 0) {
        free(prev);
        return -1;
    }
    *out = *prev;
    date_format(got.date, out->day);
    out->start_min = got.start, out->end_min = got.end, out->hold_min = got.hold_until;
    out->bay_id = got.bay_id, out->technician_id = got.technician_id;
    out->status = APPT_CONFIRMED;
    bool fixing = prev->flex != FLEX_EXACT;
    out->flex = FLEX_EXACT;
    snprintf(out->parts_date, sizeof out->parts_date, "%s", prev->parts_date);
    rc = place_parts(db, a, out, err);
    if (rc == 0 && fixing)
        rc = tasks_close_confirm(db, a, id, err);
    if (rc == 0)
        rc = write_state(db, a, prev, out, err);
    /* IN-16: a reminder still queued tells the old time; write_state made the booking due
     * for reminders again at the new one. (After write_state, as in set_status.) */
    if (rc == 0 && (strcmp(prev->day, out->day) != 0 || prev->start_min != out->start_min)) {
        char reason[64], hm_new[8];
        hm(out->start_min, hm_new);
        snprintf(reason, sizeof reason, "appointment moved to %s %s", out->day, hm_new);
        rc = messages_withdraw_for_appointment(db, a, id, reason, NULL, err);
    }
    free(prev);
    return rc < 0 ? -1 : appointments_get(db, a, id, out, err);
}

int appointments_dispatch(struct db *db, const struct actor *a, int64_t id, int64_t technician_id,
                          struct appointment *out, struct booking_refusal *refusal,
                          struct dms_error *err)
{
    memset(refusal, 0, sizeof *refusal);
    struct appointment *prev = malloc(sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 &&
        (prev->start_min < 0 || !appt_status_live(prev->status) || prev->status == APPT_IN_SERVICE))
        rc = dms_fail(err, "invalid_transition", "technician_id",
                      "only a booked job with a time, not yet in service, can be dispatched");
    struct slot_option got;
    if (rc == 0) {
        int64_t found;
        rc = db_query_int(db, &found, "SELECT id FROM technicians WHERE id = ? AND store_id = ?",
                          "ii", technician_id, a->store_id);
        if (rc == 0)
            rc = dms_fail(err, "not_found", "technician_id", "no technician %lld",
                          (long long)technician_id);
        else if (rc < 0)
            rc = store_db_fail(db, rc, err);
        else
            rc = 0;
    }
    if (rc == 0) {
        struct slot_query q = {.job = prev->job, .exclude_id = id};
        dms_day d;
        date_parse(prev->day, &d, NULL, err);
        q.wish_day = d, q.wish_min = prev->start_min;
        q.not_before_day = d; /* dispatching a job under way today is allowed */
        rc = take_slot(db, a, &q, prev->bay_id, technician_id, &got, refusal, err);
    }
    if (rc < 0) {
        free(prev);
        return -1;
    }
    *out = *prev;
    out->technician_id = technician_id;
    rc = write_state(db, a, prev, out, err);
    free(prev);
    return rc < 0 ? -1 : appointments_get(db, a, id, out, err);
}

/* ---- reception: the repair order drives its booking (RO-1, RO-2, RO-5, RO-9) ---- */

static int check_today(const struct actor *a, const struct appointment *ap, struct dms_error *err)
{
    char today[DATE_STR];
    date_format(a->today, today);
    if (strcmp(ap->day, today) != 0)
        return dms_fail(err, "not_today", "appointment_id", "the booking is for %s, not today",
                        ap->day[0] ? ap->day : "a period");
    return 0;
}

int appointments_arrive(struct db *db, const struct actor *a, int64_t id, struct appointment *out,
                        struct dms_error *err)
{
    struct appointment *prev = malloc(sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && prev->status != APPT_TENTATIVE &&
        !appt_transition_ok(prev->status, APPT_ARRIVED))
        rc = dms_fail(err, "invalid_transition", "appointment_id",
                      "a %s booking cannot be checked in", APPT_STATUS_NAMES[prev->status]);
    if (rc == 0)
        rc = check_today(a, prev, err);
    if (rc == 0) {
        *out = *prev;
        out->status = APPT_ARRIVED;
        rc = write_state(db, a, prev, out, err);
        if (rc == 0 && prev->status == APPT_TENTATIVE)
            rc = tasks_close_confirm(db, a, id, err);
        /* IN-16: the car is here; a reminder still queued is not sent. */
        if (rc == 0)
            rc = messages_withdraw_for_appointment(db, a, id, "car arrived", NULL, err);
    }
    free(prev);
    return rc < 0 ? -1 : appointments_get(db, a, id, out, err);
}

int appointments_walk_in(struct db *db, const struct actor *a, int64_t vehicle_id,
                         const char codes[][OPERATION_CODE_MAX + 1], int n_codes, const char *words,
                         struct appointment *out, struct dms_error *err)
{
    if (lock_bookings(db, a->store_id, err) < 0)
        return -1;
    struct vehicle v;
    if (vehicles_get(db, a, vehicle_id, &v, err) < 0) {
        snprintf(err->field, sizeof err->field, "%s", "vehicle_id");
        return -1;
    }
    struct appt_plan *plan = malloc(sizeof *plan);
    if (!plan)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = appointments_plan(db, a, codes, n_codes, NULL, 0, plan, err);
    struct appointment *ap = out;
    memset(ap, 0, sizeof *ap);
    struct slot_option got[3];
    size_t n_got = 0;
    if (rc == 0) {
        ap->vehicle_id = v.id;
        ap->customer_id = v.customer_id;
        ap->bcase = plan->bcase;
        ap->start_min = ap->end_min = ap->hold_min = -1;
        ap->job = plan->job;
        snprintf(ap->customer_words, sizeof ap->customer_words, "%s", words ? words : "");
        ap->source = SOURCE_WALK_IN;
        ap->labour_fen = plan->labour_fen;
        ap->total_fen = plan->labour_fen;
        memcpy(ap->ops, plan->ops, sizeof ap->ops);
        ap->n_ops = plan->n_ops;
        ap->status = APPT_ARRIVED;
        date_format(a->today, ap->day);
        /* RO-2: the earliest time today a bay of its kind and a technician are free; the
         * search offers the wish (now) first when free, then the nearest after it. */
        struct slot_query q = {.job = plan->job, .wish_day = a->today, .wish_min = a->now_min};
        slot_not_before(a->today, a->now_min, 0, &q.not_before_day, &q.not_before_min);
        rc = slots_find(db, a->store_id, &q, got, 3, &n_got, err);
    }
    free(plan);
    if (rc < 0)
        return -1;
    size_t pick = n_got;
    for (size_t i = 0; i < n_got; i++)
        if (got[i].date == a->today && (pick == n_got || got[i].start < got[pick].start))
            pick = i;
    if (pick < n_got) {
        ap->flex = FLEX_EXACT;
        ap->start_min = got[pick].start, ap->end_min = got[pick].end;
        ap->hold_min = got[pick].hold_until;
        ap->bay_id = got[pick].bay_id, ap->technician_id = got[pick].technician_id;
    } else {
        ap->flex = FLEX_DATE; /* nothing free today: the queue */
    }
    if (insert_appt(db, a, ap, err) < 0 ||
        audit_record(db, a, "create", "appointment", ap->id, appt_diff(NULL, ap), err) < 0)
        return -1;
    return appointments_get(db, a, ap->id, out, err);
}

int appointments_start(struct db *db, const struct actor *a, int64_t id, int64_t bay_id,
                       int64_t technician_id, struct appointment *out,
                       struct booking_refusal *refusal, struct dms_error *err)
{
    memset(refusal, 0, sizeof *refusal);
    struct appointment *prev = malloc(sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && prev->status != APPT_ARRIVED)
        rc = dms_fail(err, "invalid_transition", "status", "a %s booking cannot go into service",
                      APPT_STATUS_NAMES[prev->status]);
    struct slot_option got = {0};
    bool take = false;
    if (rc == 0 && (prev->start_min < 0 || (bay_id && bay_id != prev->bay_id) ||
                    (technician_id && technician_id != prev->technician_id))) {
        /* A queued car, or one given to another bay or technician: they must be free now. */
        struct slot_query q = {.job = prev->job,
                               .wish_day = a->today,
                               .wish_min = a->now_min,
                               .not_before_day = a->today,
                               .not_before_min = a->now_min,
                               .exclude_id = id};
        rc = take_slot(db, a, &q, bay_id, technician_id, &got, refusal, err);
        take = rc == 0;
    }
    if (rc == 0) {
        *out = *prev;
        out->status = APPT_IN_SERVICE;
        if (take) {
            out->flex = FLEX_EXACT;
            date_format(a->today, out->day);
            out->start_min = got.start, out->end_min = got.end, out->hold_min = got.hold_until;
            out->bay_id = got.bay_id, out->technician_id = got.technician_id;
        }
        rc = write_state(db, a, prev, out, err);
    }
    free(prev);
    return rc < 0 ? -1 : appointments_get(db, a, id, out, err);
}

int appointments_follow_order(struct db *db, const struct actor *a, int64_t id, enum appt_status to,
                              struct dms_error *err)
{
    struct appointment *prev = malloc(sizeof *prev);
    if (!prev)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, prev, err);
    if (rc == 0 && prev->status != to) {
        struct appointment *next = malloc(sizeof *next);
        if (!next) {
            free(prev);
            return dms_fail(err, "db_error", NULL, "out of memory");
        }
        *next = *prev;
        next->status = to;
        rc = write_state(db, a, prev, next, err);
        free(next);
    }
    free(prev);
    return rc;
}

int appointments_release_parts(struct db *db, const struct actor *a, int64_t id,
                               struct dms_error *err)
{
    struct appointment *ap = malloc(sizeof *ap);
    if (!ap)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = load_for_update(db, a, id, ap, err);
    int held = 0;
    for (int i = 0; rc == 0 && i < ap->n_parts; i++)
        held += ap->parts[i].state == PART_RESERVED;
    if (rc == 0 && held)
        rc = release_parts(db, a, ap, PART_RELEASED, err);
    if (rc == 0 && held) {
        json_t *ch = json_object();
        audit_int(ch, "parts_released", 0, held);
        rc = audit_record(db, a, "release_parts", "appointment", id, ch, err);
    }
    free(ap);
    return rc;
}
