/* Purchase orders for parts to order (IN-5 case D), the parts shelves (IN-12) and shortages
 * with their escalation (IN-5). */
#include <stdlib.h>

#include "core/email.h"
#include "store/appointments.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/parts.h"
#include "store/purchasing.h"
#include "store/settings.h"
#include "store/stores.h"

int purchase_order_add(struct db *db, const struct actor *a, int64_t part_id, int64_t qty,
                       int64_t appointment_id, dms_day expected, int64_t *line_id,
                       int64_t *order_id, struct dms_error *err)
{
    char day[DATE_STR], now[TIMESTAMP_STR];
    date_format(expected, day);
    timestamp_format_utc(a->now, now);
    /* The order is locked while the line goes in: a clerk receiving it at this moment either
     * received it before (then it is no longer open and a new order takes the line) or
     * waits, and reads its lines after this one is committed. */
    int rc = db_query_int(db, order_id,
                          db_kind(db) == DB_POSTGRES
                              ? "SELECT id FROM purchase_orders WHERE store_id = ? AND "
                                "status = 'open' AND expected_date = ? ORDER BY id LIMIT 1 "
                                "FOR UPDATE"
                              : "SELECT id FROM purchase_orders WHERE store_id = ? AND "
                                "status = 'open' AND expected_date = ? ORDER BY id LIMIT 1",
                          "is", a->store_id, day);
    if (rc == 0) {
        rc = db_query_int(db, order_id,
                          "INSERT INTO purchase_orders (store_id, status, expected_date, "
                          "created_at, updated_at) VALUES (?, 'open', ?, ?, ?) RETURNING id",
                          "isss", a->store_id, day, now, now);
        if (rc >= 0) {
            json_t *ch = json_object();
            audit_text(ch, "expected_date", NULL, day);
            if (audit_record(db, a, "create", "purchase_order", *order_id, ch, err) < 0)
                return -1;
        }
    }
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_query_int(db, line_id,
                      "INSERT INTO purchase_order_lines (order_id, part_id, qty, appointment_id) "
                      "VALUES (?, ?, ?, ?) RETURNING id",
                      "iiiI", *order_id, part_id, qty, appointment_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_int(ch, "part_id", 0, part_id);
    audit_int(ch, "qty", 0, qty);
    audit_int(ch, "appointment_id", 0, appointment_id);
    return audit_record(db, a, "add_line", "purchase_order", *order_id, ch, err);
}

/* ---- reading orders ---- */

static int order_row(struct db_res *res, void *out)
{
    struct purchase_order *o = out;
    memset(o, 0, sizeof *o);
    o->id = db_int(res, 0);
    col_copy(o->status, sizeof o->status, res, 1);
    col_copy(o->expected_date, sizeof o->expected_date, res, 2);
    col_copy(o->received_at, sizeof o->received_at, res, 3);
    col_copy(o->created_at, sizeof o->created_at, res, 4);
    return 0;
}

static int line_row(struct db_res *res, void *out)
{
    struct po_line *l = out;
    memset(l, 0, sizeof *l);
    l->id = db_int(res, 0);
    l->part_id = db_int(res, 1);
    l->appointment_id = db_int(res, 2);
    col_copy(l->part_no, sizeof l->part_no, res, 3);
    col_copy(l->name, sizeof l->name, res, 4);
    l->qty = db_int(res, 5);
    return 0;
}

static void order_clear(void *item)
{
    struct purchase_order *o = item;
    free(o->lines);
    o->lines = NULL;
}

void purchase_orders_free(struct purchase_order *o, size_t n)
{
    for (size_t i = 0; i < n; i++)
        order_clear(&o[i]);
    free(o);
}

static int load_order_lines(struct db *db, struct purchase_order *o, struct dms_error *err)
{
    return store_rows(db, line_row, NULL, sizeof *o->lines, 10000, (void **)&o->lines, &o->n_lines,
                      err,
                      "SELECT l.id, l.part_id, l.appointment_id, p.part_no, p.name, l.qty "
                      "FROM purchase_order_lines l JOIN parts p ON p.id = l.part_id "
                      "WHERE l.order_id = ? ORDER BY l.id",
                      "i", o->id);
}

#define ORDER_COLS "id, status, expected_date, received_at, created_at"

int purchase_orders_list(struct db *db, const struct actor *a, const char *status,
                         struct purchase_order **out, size_t *n, struct dms_error *err)
{
    if (store_rows(db, order_row, order_clear, sizeof **out, 500, (void **)out, n, err,
                   "SELECT " ORDER_COLS " FROM purchase_orders WHERE store_id = ? AND "
                   "(? = '' OR status = ?) ORDER BY expected_date, id",
                   "iss", a->store_id, status, status) < 0)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (load_order_lines(db, &(*out)[i], err) < 0) {
            purchase_orders_free(*out, *n);
            *out = NULL;
            return -1;
        }
    return 0;
}

int purchase_orders_get(struct db *db, const struct actor *a, int64_t id,
                        struct purchase_order *out, struct dms_error *err)
{
    int rc = store_one(db, order_row, out, err,
                       "SELECT " ORDER_COLS " FROM purchase_orders WHERE id = ? AND store_id = ?",
                       "ii", id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no purchase order %lld", (long long)id);
    if (rc < 0)
        return -1;
    return load_order_lines(db, out, err);
}

int purchase_orders_receive(struct db *db, const struct actor *a, int64_t id,
                            struct purchase_order *out, struct dms_error *err)
{
    /* The order is taken by a conditional update first: of two clerks receiving it at once
     * (PostgreSQL lets both read it open) one changes it, the other is refused. Its lines are
     * read after that, under the row lock: a booking adding a line (purchase_order_add locks
     * the open order) has committed it by then, or finds the order received. */
    /* The store's row first, as every path that changes what bookings hold (bookings lock it,
     * then a part, then the open order): taking the order and then the parts here would
     * deadlock with a booking ordering at the same moment (found in review). */
    if (store_lock_store(db, a->store_id, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE purchase_orders SET status = 'received', received_at = ?, "
                     "updated_at = ? WHERE id = ? AND store_id = ? AND status = 'open'",
                     "ssii", now, now, id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (purchase_orders_get(db, a, id, out, err) < 0)
        return -1;
    if (rc == 0) {
        order_clear(out);
        return dms_fail(err, "conflict", NULL, "purchase order %lld was received already",
                        (long long)id);
    }
    for (size_t i = 0; rc >= 0 && i < out->n_lines; i++) {
        const struct po_line *l = &out->lines[i];
        /* A line still wanted by its booking goes to the appointment shelf (reserved); the
         * rest (a cancelled booking's) is plain stock. */
        int64_t wanted = 0;
        rc = db_query_int(db, &wanted,
                          "SELECT COUNT(*) FROM appointment_parts WHERE order_line_id = ? AND "
                          "state = 'on_order'",
                          "i", l->id);
        if (rc >= 0)
            rc = db_exec(db,
                         "UPDATE parts SET on_hand = on_hand + ?, reserved = reserved + ?, "
                         "updated_at = ? WHERE id = ? AND store_id = ?",
                         "iisii", l->qty, wanted ? l->qty : 0, now, l->part_id, a->store_id);
        if (rc >= 0 && wanted)
            rc = db_exec(db,
                         "UPDATE appointment_parts SET state = 'reserved' WHERE order_line_id = ? "
                         "AND state = 'on_order'",
                         "i", l->id);
    }
    if (rc < 0) {
        order_clear(out);
        return store_db_fail(db, rc, err);
    }
    json_t *ch = json_object();
    audit_text(ch, "status", "open", "received");
    audit_int(ch, "lines", 0, (int64_t)out->n_lines);
    snprintf(out->status, sizeof out->status, "%s", "received");
    snprintf(out->received_at, sizeof out->received_at, "%s", now);
    if (audit_record(db, a, "receive", "purchase_order", id, ch, err) < 0) {
        order_clear(out);
        return -1;
    }
    return 0;
}

/* ---- shelves ---- */

static int shelf_row(struct db_res *res, void *out)
{
    struct shelf_item *s = out;
    memset(s, 0, sizeof *s);
    s->appointment_id = db_int(res, 0);
    col_copy(s->day, sizeof s->day, res, 1);
    s->start_min = db_is_null(res, 2) ? -1 : (int)db_int(res, 2);
    col_copy(s->plate, sizeof s->plate, res, 3);
    col_copy(s->customer_name, sizeof s->customer_name, res, 4);
    col_copy(s->customer_title, sizeof s->customer_title, res, 5);
    col_copy(s->part_no, sizeof s->part_no, res, 6);
    col_copy(s->name, sizeof s->name, res, 7);
    s->qty = db_int(res, 8);
    col_copy(s->expected_date, sizeof s->expected_date, res, 9);
    return 0;
}

int shelves_list(struct db *db, const struct actor *a, enum appt_part_state state,
                 struct shelf_item **out, size_t *n, struct dms_error *err)
{
    return store_rows(
        db, shelf_row, NULL, sizeof **out, 5000, (void **)out, n, err,
        "SELECT ap.appointment_id, a.day, a.start_min, v.plate, c.name, c.title, p.part_no, "
        "p.name, ap.qty, po.expected_date FROM appointment_parts ap "
        "JOIN appointments a ON a.id = ap.appointment_id JOIN parts p ON p.id = ap.part_id "
        "JOIN vehicles v ON v.id = a.vehicle_id JOIN customers c ON c.id = a.customer_id "
        "LEFT JOIN purchase_order_lines l ON l.id = ap.order_line_id "
        "LEFT JOIN purchase_orders po ON po.id = l.order_id "
        "WHERE a.store_id = ? AND ap.state = ? AND a.status IN ('tentative', 'confirmed', "
        "'arrived', 'in_service') ORDER BY a.day, a.start_min, ap.appointment_id, p.part_no",
        "is", a->store_id, PART_STATE_NAMES[state]);
}

/* ---- shortages ---- */

static int shortage_row(struct db_res *res, void *out)
{
    struct shortage *s = out;
    memset(s, 0, sizeof *s);
    s->id = db_int(res, 0);
    s->part_id = db_int(res, 1);
    s->appointment_id = db_int(res, 2);
    col_copy(s->part_no, sizeof s->part_no, res, 3);
    col_copy(s->name, sizeof s->name, res, 4);
    s->qty = db_int(res, 5);
    col_copy(s->cause, sizeof s->cause, res, 6);
    s->complaint_risk = db_int(res, 7) != 0;
    col_copy(s->escalated_at, sizeof s->escalated_at, res, 8);
    col_copy(s->created_at, sizeof s->created_at, res, 9);
    return 0;
}

#define SHORTAGE_SELECT                                                                            \
    "SELECT s.id, s.part_id, s.appointment_id, p.part_no, p.name, s.qty, s.cause, "                \
    "s.complaint_risk, s.escalated_at, s.created_at FROM shortages s JOIN parts p ON "             \
    "p.id = s.part_id "

int shortages_list(struct db *db, const struct actor *a, struct shortage **out, size_t *n,
                   struct dms_error *err)
{
    return store_rows(db, shortage_row, NULL, sizeof **out, 1000, (void **)out, n, err,
                      SHORTAGE_SELECT "WHERE s.store_id = ? ORDER BY s.id DESC", "i", a->store_id);
}

/* Queues the escalation e-mail to each address of the store's list. */
static int escalate(struct db *db, const struct actor *a, struct shortage *s, struct dms_error *err)
{
    struct store_settings st;
    struct store_info info;
    if (settings_get(db, a->store_id, &st, err) < 0 || stores_get(db, a->store_id, &info, err) < 0)
        return -1;
    char *list = st.escalation_emails;
    const char *store_name = info.name;
    char subject[512], body[2048];
    snprintf(subject, sizeof subject, "缺件升级：%s %s ×%lld（客户投诉风险）", s->part_no, s->name,
             (long long)s->qty);
    snprintf(body, sizeof body,
             "%s 缺件，可能引起客户投诉，请协调调货。\n配件：%s %s\n数量：%lld\n原因：%s\n"
             "预约单：%lld\n",
             store_name, s->part_no, s->name, (long long)s->qty, s->cause,
             (long long)s->appointment_id);
    for (char *save = NULL, *addr = strtok_r(list, ", ", &save); addr;
         addr = strtok_r(NULL, ", ", &save)) {
        struct message m = {.customer_id = 0};
        snprintf(m.kind, sizeof m.kind, "%s", "parts_escalation");
        snprintf(m.channel, sizeof m.channel, "%s", "email");
        snprintf(m.recipient, sizeof m.recipient, "%s", addr);
        snprintf(m.subject, sizeof m.subject, "%s", subject);
        m.body = body;
        m.status = MSG_QUEUED;
        if (messages_queue(db, a, &m, err) < 0)
            return -1;
        s->escalated_to++;
    }
    timestamp_format_utc(a->now, s->escalated_at);
    int rc = db_exec(db, "UPDATE shortages SET escalated_at = ? WHERE id = ?", "si",
                     s->escalated_at, s->id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Writes s (part_id, appointment_id, qty, cause, complaint_risk filled), escalating it when
 * it risks a complaint. */
static int shortage_insert(struct db *db, const struct actor *a, struct shortage *s,
                           struct dms_error *err)
{
    timestamp_format_utc(a->now, s->created_at);
    int rc = db_query_int(db, &s->id,
                          "INSERT INTO shortages (store_id, part_id, appointment_id, qty, cause, "
                          "complaint_risk, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                          "?) RETURNING id",
                          "iiIisbIs", a->store_id, s->part_id, s->appointment_id, s->qty, s->cause,
                          s->complaint_risk, a->user_id, s->created_at);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (s->complaint_risk && escalate(db, a, s, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_text(ch, "part_no", NULL, s->part_no);
    audit_int(ch, "qty", 0, s->qty);
    audit_int(ch, "appointment_id", 0, s->appointment_id);
    audit_text(ch, "cause", NULL, s->cause);
    audit_bool(ch, "complaint_risk", false, s->complaint_risk);
    audit_int(ch, "escalated_to", 0, s->escalated_to);
    return audit_record(db, a, "create", "shortage", s->id, ch, err);
}

int shortage_record(struct db *db, const struct actor *a, int64_t part_id, const char *part_no,
                    const char *name, int64_t qty, int64_t appointment_id, const char *cause,
                    struct dms_error *err)
{
    struct shortage s = {.part_id = part_id, .qty = qty, .appointment_id = appointment_id};
    snprintf(s.part_no, sizeof s.part_no, "%s", part_no);
    snprintf(s.name, sizeof s.name, "%s", name);
    snprintf(s.cause, sizeof s.cause, "%s", cause);
    return shortage_insert(db, a, &s, err);
}

int shortages_create(struct db *db, const struct actor *a, struct shortage *s,
                     struct dms_error *err)
{
    struct part p;
    if (parts_get_by_no(db, a, s->part_no, &p, err) < 0) {
        snprintf(err->field, sizeof err->field, "%s", "part_no");
        return -1;
    }
    s->part_id = p.id;
    snprintf(s->name, sizeof s->name, "%s", p.name);
    if (s->appointment_id) {
        int64_t found;
        int rc =
            db_query_int(db, &found, "SELECT id FROM appointments WHERE id = ? AND store_id = ?",
                         "ii", s->appointment_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "appointment_id", "no appointment %lld",
                            (long long)s->appointment_id);
    }
    return shortage_insert(db, a, s, err);
}

int shortages_get(struct db *db, const struct actor *a, int64_t id, struct shortage *out,
                  struct dms_error *err)
{
    int rc = store_one(db, shortage_row, out, err,
                       SHORTAGE_SELECT "WHERE s.id = ? AND s.store_id = ?", "ii", id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no shortage %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int shortages_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                     struct shortage *next, struct dms_error *err)
{
    /* Locked: of two analyses marking a complaint risk at once, one escalates. */
    struct shortage was, *prev = &was;
    if (store_lock_row(db, "shortages", "id", id, a->store_id, err) < 0 ||
        shortages_get(db, a, id, prev, err) < 0)
        return -1;
    *next = was;
    if (edit(ctx, next, err) < 0)
        return -1;
    int rc = db_exec(db, "UPDATE shortages SET cause = ?, complaint_risk = ? WHERE id = ?", "sbi",
                     next->cause, next->complaint_risk, next->id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* Once found to risk a complaint it is escalated, once. */
    if (next->complaint_risk && !prev->escalated_at[0] && escalate(db, a, next, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_text(ch, "cause", prev->cause, next->cause);
    audit_bool(ch, "complaint_risk", prev->complaint_risk, next->complaint_risk);
    audit_text(ch, "escalated_at", prev->escalated_at, next->escalated_at);
    return audit_record(db, a, "update", "shortage", next->id, ch, err);
}
