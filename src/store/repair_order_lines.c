/* A repair order's lines (RO-3, RO-4, RO-6): labour from the catalogue and parts from the parts
 * master, each with its payer; the customer's decision on work found during the job; the
 * technicians' clock (RO-5); and the parts' stock, moved by delta in conditional UPDATEs
 * (available = on hand - reserved never goes negative: the CHECKs of 007 hold it too). */
#include <stdlib.h>

#include "core/part.h"
#include "core/text.h"
#include "store/internal.h"
#include "store/operations.h"
#include "store/parts.h"
#include "store/repair_order_lines.h"
#include "store/repair_orders.h"

#define LINE_COLS                                                                                  \
    "l.id, l.order_id, l.operation_id, l.part_id, l.position, l.type, l.code, l.name, "            \
    "l.hours_x100, l.qty, l.unit_price_fen, l.amount_fen, l.payer, l.perk, l.from_appointment, "   \
    "l.decision, l.decided_via, l.decided_by, l.decided_at, l.recorded_by, l.stock, "              \
    "l.clocked_min, k.technician_id, k.on_at, l.created_at"
#define LINE_FROM                                                                                  \
    " FROM repair_order_lines l LEFT JOIN repair_order_clocks k ON k.line_id = l.id AND "          \
    "k.off_at IS NULL "

static int line_row(struct db_res *res, void *out)
{
    struct ro_line *l = out;
    memset(l, 0, sizeof *l);
    l->id = db_int(res, 0);
    l->order_id = db_int(res, 1);
    l->operation_id = db_int(res, 2);
    l->part_id = db_int(res, 3);
    l->position = (int)db_int(res, 4);
    l->type = strcmp(db_text(res, 5), "part") == 0 ? RO_LINE_PART : RO_LINE_LABOUR;
    col_copy(l->code, sizeof l->code, res, 6);
    col_copy(l->name, sizeof l->name, res, 7);
    l->hours_x100 = db_int(res, 8);
    l->qty = db_int(res, 9);
    l->unit_price_fen = db_int(res, 10);
    l->amount_fen = db_int(res, 11);
    int k = enum_index(PAYER_NAMES, PAYER_COUNT, db_text(res, 12));
    l->payer = k < 0 ? PAYER_CUSTOMER : (enum ro_payer)k;
    l->perk = db_int(res, 13) != 0;
    l->from_appointment = db_int(res, 14) != 0;
    k = db_is_null(res, 15)
            ? 0
            : enum_index(DECISION_NAMES + 1, DECISION_COUNT - 1, db_text(res, 15)) + 1;
    l->decision = k <= 0 ? DECISION_NONE : (enum ro_decision)k;
    col_copy(l->decided_via, sizeof l->decided_via, res, 16);
    col_copy(l->decided_by, sizeof l->decided_by, res, 17);
    col_copy(l->decided_at, sizeof l->decided_at, res, 18);
    l->recorded_by = db_int(res, 19);
    k = enum_index(RO_STOCK_NAMES, 5, db_text(res, 20));
    l->stock = k < 0 ? STOCK_NONE : (enum ro_stock)k;
    l->clocked_min = db_int(res, 21);
    l->clock_technician_id = db_int(res, 22);
    col_copy(l->clock_on_at, sizeof l->clock_on_at, res, 23);
    col_copy(l->created_at, sizeof l->created_at, res, 24);
    return 0;
}

int ro_lines_load(struct db *db, int64_t order_id, struct ro_line **out, size_t *n,
                  struct dms_error *err)
{
    return store_rows(db, line_row, NULL, sizeof **out, RO_MAX_LINES, (void **)out, n, err,
                      "SELECT " LINE_COLS LINE_FROM "WHERE l.order_id = ? ORDER BY l.position", "i",
                      order_id);
}

int ro_lines_load_range(struct db *db, int64_t store_id, int64_t first, int64_t last,
                        struct ro_line **out, size_t *n, struct dms_error *err)
{
    return store_rows(db, line_row, NULL, sizeof **out, 1000000, (void **)out, n, err,
                      "SELECT " LINE_COLS LINE_FROM
                      "WHERE l.order_id >= ? AND l.order_id <= ? AND l.store_id = ? "
                      "ORDER BY l.order_id, l.position",
                      "iii", first, last, store_id);
}

static int line_get(struct db *db, const struct actor *a, int64_t order_id, int64_t line_id,
                    struct ro_line *out, struct dms_error *err)
{
    int rc = store_one(db, line_row, out, err,
                       "SELECT " LINE_COLS LINE_FROM
                       "WHERE l.id = ? AND l.order_id = ? AND l.store_id = ?",
                       "iii", line_id, order_id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no line %lld on this order", (long long)line_id);
    return rc < 0 ? -1 : 0;
}

int ro_line_write(struct db *db, const struct actor *a, const struct repair_order *o,
                  struct ro_line *l, struct dms_error *err)
{
    int64_t count = 0;
    int rc = db_query_int(db, &count, "SELECT COUNT(*) FROM repair_order_lines WHERE order_id = ?",
                          "i", o->id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (count >= RO_MAX_LINES)
        return dms_fail(err, "invalid_field", "lines", "at most %d lines on an order",
                        RO_MAX_LINES);
    l->order_id = o->id;
    l->position = (int)count + 1;
    l->recorded_by = a->user_id;
    timestamp_format_utc(a->now, l->created_at);
    rc = db_query_int(
        db, &l->id,
        "INSERT INTO repair_order_lines (store_id, order_id, position, type, operation_id, "
        "part_id, code, name, hours_x100, qty, unit_price_fen, amount_fen, payer, perk, "
        "from_appointment, decision, stock, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "iiisIIssiiiisbbtsIs", a->store_id, o->id, (int64_t)l->position,
        RO_LINE_TYPE_NAMES[l->type], l->operation_id, l->part_id, l->code, l->name, l->hours_x100,
        l->qty, l->unit_price_fen, l->amount_fen, PAYER_NAMES[l->payer], l->perk,
        l->from_appointment, DECISION_NAMES[l->decision], RO_STOCK_NAMES[l->stock], a->user_id,
        l->created_at);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* ---- stock (RO-6) ---- */

static int set_stock(struct db *db, struct ro_line *l, enum ro_stock to, struct dms_error *err)
{
    l->stock = to;
    if (!l->id)
        return 0; /* not written yet: the insert writes it */
    int rc = db_exec(db, "UPDATE repair_order_lines SET stock = ? WHERE id = ?", "si",
                     RO_STOCK_NAMES[to], l->id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* The booking's own part (IN-12's "appointment" shelf) follows the line. */
static int label_booking_part(struct db *db, const struct repair_order *o, const struct ro_line *l,
                              const char *state, struct dms_error *err)
{
    if (!l->from_appointment || !o->appointment_id)
        return 0;
    int rc = db_exec(db,
                     "UPDATE appointment_parts SET state = ? WHERE appointment_id = ? AND "
                     "part_id = ?",
                     "sii", state, o->appointment_id, l->part_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int out_of_stock(struct ro_line *l, struct dms_error *err)
{
    return dms_fail(err, "out_of_stock", "part_no", "part %s: not enough in stock for %lld",
                    l->code, (long long)l->qty);
}

int ro_stock_reserve(struct db *db, const struct actor *a, struct ro_line *l, struct dms_error *err)
{
    int rc = db_exec(db,
                     "UPDATE parts SET reserved = reserved + ? WHERE id = ? AND store_id = ? AND "
                     "on_hand - reserved >= ?",
                     "iiii", l->qty, l->part_id, a->store_id, l->qty);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return out_of_stock(l, err);
    return set_stock(db, l, STOCK_RESERVED, err);
}

/* Takes a line's parts off the shelf: out of its reservation, or out of what is available. */
static int issue(struct db *db, const struct actor *a, const struct repair_order *o,
                 struct ro_line *l, struct dms_error *err)
{
    if (l->stock == STOCK_ON_ORDER) {
        /* The booking's part on order: received meanwhile, it is reserved now (purchasing.c). */
        struct db_res *res;
        int rc = db_query(db, &res,
                          "SELECT state FROM appointment_parts WHERE appointment_id = ? AND "
                          "part_id = ?",
                          "ii", o->appointment_id, l->part_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        bool received = db_step(res) > 0 && strcmp(db_text(res, 0), "reserved") == 0;
        db_done(res);
        if (!received)
            return dms_fail(err, "parts_not_received", "status", "part %s is still on order",
                            l->code);
        l->stock = STOCK_RESERVED;
    }
    int rc;
    if (l->stock == STOCK_RESERVED)
        rc = db_exec(db,
                     "UPDATE parts SET reserved = reserved - ?, on_hand = on_hand - ? WHERE id = "
                     "? AND store_id = ? AND reserved >= ?",
                     "iiiii", l->qty, l->qty, l->part_id, a->store_id, l->qty);
    else
        rc = db_exec(db,
                     "UPDATE parts SET on_hand = on_hand - ? WHERE id = ? AND store_id = ? AND "
                     "on_hand - reserved >= ?",
                     "iiii", l->qty, l->part_id, a->store_id, l->qty);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return out_of_stock(l, err);
    if (set_stock(db, l, STOCK_ISSUED, err) < 0)
        return -1;
    return label_booking_part(db, o, l, "issued", err);
}

/* Gives back what a line holds: a reservation, or issued parts (back on the shelf). */
static int give_back(struct db *db, const struct actor *a, const struct repair_order *o,
                     struct ro_line *l, struct dms_error *err)
{
    int rc = 0;
    if (l->stock == STOCK_RESERVED)
        rc = db_exec(db, "UPDATE parts SET reserved = reserved - ? WHERE id = ? AND store_id = ?",
                     "iii", l->qty, l->part_id, a->store_id);
    else if (l->stock == STOCK_ISSUED)
        rc = db_exec(db, "UPDATE parts SET on_hand = on_hand + ? WHERE id = ? AND store_id = ?",
                     "iii", l->qty, l->part_id, a->store_id);
    else
        return 0; /* none, returned, or on order (it arrives as stock) */
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (set_stock(db, l, l->stock == STOCK_ISSUED ? STOCK_RETURNED : STOCK_NONE, err) < 0)
        return -1;
    return label_booking_part(db, o, l, "released", err);
}

int ro_stock_issue_all(struct db *db, const struct actor *a, const struct repair_order *o,
                       struct dms_error *err)
{
    for (size_t i = 0; i < o->n_lines; i++) {
        struct ro_line *l = &o->lines[i];
        if (l->type != RO_LINE_PART || l->stock == STOCK_ISSUED || !ro_line_counts(l->decision))
            continue;
        if (issue(db, a, o, l, err) < 0)
            return -1;
    }
    return 0;
}

int ro_stock_give_back(struct db *db, const struct actor *a, const struct repair_order *o,
                       struct dms_error *err)
{
    for (size_t i = 0; i < o->n_lines; i++)
        if (o->lines[i].type == RO_LINE_PART && give_back(db, a, o, &o->lines[i], err) < 0)
            return -1;
    return 0;
}

/* ---- adding a line ---- */

static bool in_work(enum ro_status s)
{
    return s == RO_IN_PROGRESS || s == RO_QC || s == RO_READY;
}

int ro_line_insert(struct db *db, const struct actor *a, const struct repair_order *o,
                   const struct ro_line_in *in, bool perk, struct ro_line *out,
                   struct dms_error *err)
{
    struct ro_line *l = out;
    memset(l, 0, sizeof *l);
    l->type = in->type;
    l->payer = in->payer;
    l->perk = perk;
    l->decision = in->needs_approval ? DECISION_PENDING : DECISION_NONE;
    if (in->type == RO_LINE_LABOUR) {
        struct operation op;
        if (operations_get_by_code(db, a, in->code, &op, err) < 0)
            return strcmp(err->code, "not_found") == 0
                       ? dms_fail(err, "unknown_operation", "op", "no operation %s", in->code)
                       : -1;
        l->operation_id = op.id;
        snprintf(l->code, sizeof l->code, "%s", op.code);
        snprintf(l->name, sizeof l->name, "%s", op.name);
        l->hours_x100 = op.hours_x100;
        l->qty = 1;
        l->unit_price_fen = op.labour_fen;
        l->amount_fen = op.labour_fen;
        return ro_line_write(db, a, o, l, err);
    }
    struct part p;
    if (parts_get_by_no(db, a, in->code, &p, err) < 0)
        return strcmp(err->code, "not_found") == 0
                   ? dms_fail(err, "unknown_part", "part_no", "no part %s", in->code)
                   : -1;
    if (!p.active)
        return dms_fail(err, "unknown_part", "part_no", "part %s is retired", in->code);
    l->part_id = p.id;
    snprintf(l->code, sizeof l->code, "%s", p.part_no);
    snprintf(l->name, sizeof l->name, "%s", p.name);
    l->qty = in->qty;
    l->unit_price_fen = p.price_fen;
    l->amount_fen = p.price_fen * in->qty; /* both bounded: price by the master, qty by 10^6 */
    /* RO-6: held for an order not started or for work the customer has yet to approve;
     * issued at once to one in work. */
    int rc = in_work(o->status) && l->decision == DECISION_NONE ? issue(db, a, o, l, err)
                                                                : ro_stock_reserve(db, a, l, err);
    return rc < 0 ? -1 : ro_line_write(db, a, o, l, err);
}

/* Locks the order and reads it; order_closed when it can no longer change. */
static int editable_order(struct db *db, const struct actor *a, int64_t order_id,
                          struct repair_order *o, struct dms_error *err)
{
    int rc = store_lock_row(db, "repair_orders", "id", order_id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no repair order %lld", (long long)order_id);
    if (repair_orders_get(db, a, order_id, o, err) < 0)
        return -1;
    if (!ro_editable(o->status)) {
        int s = o->status;
        repair_order_clear(o);
        return dms_fail(err, "order_closed", NULL, "a %s repair order is not edited",
                        RO_STATUS_NAMES[s]);
    }
    return 0;
}

static json_t *line_changes(const struct ro_line *p, const struct ro_line *n)
{
    json_t *ch = json_object();
    audit_int(ch, "order_id", p ? n->order_id : 0, n->order_id);
    audit_text(ch, "type", p ? RO_LINE_TYPE_NAMES[p->type] : NULL, RO_LINE_TYPE_NAMES[n->type]);
    audit_text(ch, "code", p ? p->code : NULL, n->code);
    audit_int(ch, "qty", p ? p->qty : 0, n->qty);
    audit_int(ch, "amount_fen", p ? p->amount_fen : 0, n->amount_fen);
    audit_text(ch, "payer", p ? PAYER_NAMES[p->payer] : NULL, PAYER_NAMES[n->payer]);
    audit_text(ch, "decision", p ? DECISION_NAMES[p->decision] : NULL, DECISION_NAMES[n->decision]);
    audit_text(ch, "decided_via", p ? p->decided_via : NULL, n->decided_via);
    audit_text(ch, "stock", p ? RO_STOCK_NAMES[p->stock] : NULL, RO_STOCK_NAMES[n->stock]);
    audit_int(ch, "clocked_min", p ? p->clocked_min : 0, n->clocked_min);
    return ch;
}

static int touch(struct db *db, const struct actor *a, int64_t order_id, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db, "UPDATE repair_orders SET updated_at = ? WHERE id = ? AND store_id = ?",
                     "sii", now, order_id, a->store_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int repair_orders_add_line(struct db *db, const struct actor *a, int64_t order_id,
                           const struct ro_line_in *in, struct ro_line *out, struct dms_error *err)
{
    struct repair_order *o = calloc(1, sizeof *o);
    if (!o)
        return dms_fail(err, "db_error", NULL, "out of memory");
    int rc = editable_order(db, a, order_id, o, err);
    if (rc == 0) {
        rc = ro_line_insert(db, a, o, in, false, out, err);
        repair_order_clear(o);
    }
    free(o);
    if (rc < 0 || touch(db, a, order_id, err) < 0 ||
        audit_record(db, a, "create", "repair_order_line", out->id, line_changes(NULL, out), err) <
            0)
        return -1;
    return line_get(db, a, order_id, out->id, out, err);
}

int repair_orders_decide(struct db *db, const struct actor *a, int64_t order_id, int64_t line_id,
                         bool approved, const char *via, const char *by, struct ro_line *out,
                         struct dms_error *err)
{
    struct repair_order *o = calloc(1, sizeof *o);
    if (!o)
        return dms_fail(err, "db_error", NULL, "out of memory");
    struct ro_line prev;
    int rc = editable_order(db, a, order_id, o, err);
    if (rc == 0)
        rc = line_get(db, a, order_id, line_id, &prev, err);
    if (rc == 0 && prev.decision == DECISION_NONE)
        rc = dms_fail(err, "invalid_field", "approved", "this line needs no decision");
    else if (rc == 0 && prev.decision != DECISION_PENDING)
        rc = dms_fail(err, "already_decided", "approved", "the customer %s it already",
                      DECISION_NAMES[prev.decision]);
    if (rc == 0) {
        *out = prev;
        out->decision = approved ? DECISION_APPROVED : DECISION_DECLINED;
        snprintf(out->decided_via, sizeof out->decided_via, "%s", via);
        snprintf(out->decided_by, sizeof out->decided_by, "%s", by ? by : "");
        timestamp_format_utc(a->now, out->decided_at);
        /* RO-4, RO-6: declined work gives its parts back; approved work in a job under way
         * takes them off the shelf. */
        if (out->type == RO_LINE_PART && !approved)
            rc = give_back(db, a, o, out, err);
        else if (out->type == RO_LINE_PART && in_work(o->status))
            rc = issue(db, a, o, out, err);
    }
    if (rc == 0) {
        rc = db_exec(db,
                     "UPDATE repair_order_lines SET decision = ?, decided_via = ?, decided_by = "
                     "?, decided_at = ?, recorded_by = ? WHERE id = ?",
                     "sstsii", DECISION_NAMES[out->decision], out->decided_via, out->decided_by,
                     out->decided_at, a->user_id, line_id);
        if (rc < 0)
            rc = store_db_fail(db, rc, err);
        else
            rc = 0;
    }
    if (rc == 0 && !approved)
        rc = declined_work_record(db, a, o, out, err);
    repair_order_clear(o);
    free(o);
    if (rc < 0 || touch(db, a, order_id, err) < 0 ||
        audit_record(db, a, "decide", "repair_order_line", line_id, line_changes(&prev, out), err) <
            0)
        return -1;
    return line_get(db, a, order_id, line_id, out, err);
}

int repair_orders_clock(struct db *db, const struct actor *a, int64_t order_id, int64_t line_id,
                        bool on, int64_t technician_id, struct ro_line *out, struct dms_error *err)
{
    struct repair_order *o = calloc(1, sizeof *o);
    if (!o)
        return dms_fail(err, "db_error", NULL, "out of memory");
    struct ro_line prev;
    int rc = editable_order(db, a, order_id, o, err);
    if (rc == 0)
        rc = line_get(db, a, order_id, line_id, &prev, err);
    if (rc == 0 && prev.type != RO_LINE_LABOUR)
        rc = dms_fail(err, "invalid_field", "line_id", "technicians clock on labour lines");
    if (rc == 0 && on && o->status != RO_IN_PROGRESS)
        rc = dms_fail(err, "invalid_transition", "action", "clock on an order in work (it is %s)",
                      RO_STATUS_NAMES[o->status]);
    int64_t tech = technician_id ? technician_id : o->technician_id;
    repair_order_clear(o);
    free(o);
    if (rc == 0 && on && !tech)
        rc = dms_fail(err, "missing_field", "technician_id", "who clocks on");
    if (rc == 0 && on) {
        int64_t found = 0;
        rc = db_query_int(db, &found, "SELECT id FROM technicians WHERE id = ? AND store_id = ?",
                          "ii", tech, a->store_id);
        if (rc < 0)
            rc = store_db_fail(db, rc, err);
        else if (rc == 0)
            rc = dms_fail(err, "not_found", "technician_id", "no technician %lld", (long long)tech);
        else
            rc = 0;
    }
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    if (rc == 0 && on) {
        int64_t open = 0;
        rc = db_query_int(db, &open,
                          "SELECT line_id FROM repair_order_clocks WHERE off_at IS NULL AND "
                          "(technician_id = ? OR line_id = ?)",
                          "ii", tech, line_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc > 0)
            return dms_fail(err, "clocked_on", "technician_id",
                            "clocked on already (line %lld): clock off first", (long long)open);
        rc = 0;
    }
    if (rc == 0 && on) {
        /* One open clock per technician and per line (unique indexes): of two concurrent
         * clock-ons that both passed the check above, the second is a conflict. */
        rc = db_exec(db,
                     "INSERT INTO repair_order_clocks (store_id, order_id, line_id, "
                     "technician_id, on_at, on_s) VALUES (?, ?, ?, ?, ?, ?)",
                     "iiiisi", a->store_id, order_id, line_id, tech, now, a->now);
        if (rc == DB_CONFLICT)
            rc = dms_fail(err, "clocked_on", "technician_id",
                          "the technician (or someone on this line) is clocked on already");
        else if (rc < 0)
            rc = store_db_fail(db, rc, err);
        else
            rc = 0;
    } else if (rc == 0) {
        /* Off: the open clock of the line (of the technician when one is named). */
        struct db_res *res;
        rc = db_query(db, &res,
                      "SELECT id, on_s FROM repair_order_clocks WHERE line_id = ? AND off_at IS "
                      "NULL AND (? = 0 OR technician_id = ?)",
                      "iii", line_id, technician_id, technician_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        int64_t clock_id = 0, on_s = 0;
        if (db_step(res) > 0)
            clock_id = db_int(res, 0), on_s = db_int(res, 1);
        db_done(res);
        if (!clock_id)
            return dms_fail(err, "invalid_transition", "action", "nobody is clocked on this line");
        int64_t minutes = a->now > on_s ? (a->now - on_s + 30) / 60 : 0;
        rc = db_exec(db,
                     "UPDATE repair_order_clocks SET off_at = ?, minutes = ? WHERE id = ? AND "
                     "off_at IS NULL",
                     "sii", now, minutes, clock_id);
        if (rc > 0)
            rc = db_exec(db,
                         "UPDATE repair_order_lines SET clocked_min = clocked_min + ? WHERE id = ?",
                         "ii", minutes, line_id);
        rc = rc < 0 ? store_db_fail(db, rc, err) : 0;
    }
    if (rc < 0)
        return -1;
    if (line_get(db, a, order_id, line_id, out, err) < 0)
        return -1;
    json_t *ch = line_changes(&prev, out);
    audit_text(ch, "clock", NULL, on ? "on" : "off");
    audit_int(ch, "technician_id", 0, tech);
    return audit_record(db, a, "clock", "repair_order_line", line_id, ch, err);
}
