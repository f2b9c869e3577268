/* Settlement (结算, RO-7): the statement's payments by method, the discount and who approved it,
 * and the receivables of orders settled on account (挂账) with their later payments — the
 * payment behaviour the credit analysis (CRM-3) reads. The order's row is locked before it is
 * read, so an order is settled once: the second of two settlements finds it settled. */
#include <stdlib.h>

#include "store/internal.h"
#include "store/repair_orders.h"
#include "store/settings.h"

/* A discount needs a service manager's word: the actor's, or the one it names. */
static int check_approver(struct db *db, const struct actor *a, int64_t discount,
                          int64_t *approved_by, struct dms_error *err)
{
    if (discount == 0) {
        *approved_by = 0;
        return 0;
    }
    if (!*approved_by && a->role == ROLE_SERVICE_MANAGER) {
        *approved_by = a->user_id;
        return 0;
    }
    if (!*approved_by)
        return dms_fail(err, "invalid_field", "discount_approved_by",
                        "a discount needs a service manager's approval");
    struct user u;
    if (users_get(db, a, *approved_by, &u, err) < 0 || u.role != ROLE_SERVICE_MANAGER || u.disabled)
        return dms_fail(err, "invalid_field", "discount_approved_by",
                        "discount_approved_by is not a service manager of the store");
    return 0;
}

int repair_orders_settle(struct db *db, const struct actor *a, int64_t id,
                         const struct ro_payment *payments, size_t n, int64_t discount_fen,
                         int64_t approved_by, struct repair_order *out, struct dms_error *err)
{
    int rc = store_lock_row(db, "repair_orders", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no repair order %lld", (long long)id);
    struct repair_order *o = out;
    if (repair_orders_get(db, a, id, o, err) < 0)
        return -1;
    rc = 0;
    if (o->status == RO_SETTLED || o->status == RO_DELIVERED)
        rc = dms_fail(err, "already_settled", "status", "the order was settled already");
    else if (o->status != RO_READY)
        rc = dms_fail(err, "invalid_transition", "status",
                      "a %s repair order is not settled: it is settled when ready",
                      RO_STATUS_NAMES[o->status]);
    else if (o->totals.pending > 0)
        rc = dms_fail(err, "decision_pending", "status",
                      "%d line(s) wait for the customer's decision", o->totals.pending);
    int64_t due = 0;
    if (rc == 0)
        rc = ro_amount_due(&o->totals, discount_fen, &due, err);
    if (rc == 0)
        rc = check_approver(db, a, discount_fen, &approved_by, err);
    if (rc == 0)
        rc = ro_check_payments(payments, n, due, o->customer_type == CUSTOMER_COMPANY, err);
    struct store_settings st;
    if (rc == 0)
        rc = settings_get(db, a->store_id, &st, err);
    repair_order_clear(o);
    if (rc < 0)
        return -1;
    char now[TIMESTAMP_STR], due_date[DATE_STR];
    timestamp_format_utc(a->now, now);
    date_format(a->today + st.receivable_days, due_date);
    for (size_t i = 0; i < n; i++) {
        if (payments[i].method == PAY_ON_ACCOUNT) {
            int64_t receivable = 0;
            rc = db_query_int(db, &receivable,
                              "INSERT INTO receivables (store_id, order_id, customer_id, "
                              "amount_fen, due_date, status, created_at) VALUES (?, ?, ?, ?, ?, "
                              "'open', ?) RETURNING id",
                              "iiiiss", a->store_id, id, o->customer_id, payments[i].amount_fen,
                              due_date, now);
            if (rc < 0)
                return store_db_fail(db, rc, err);
        }
        rc = db_exec(db,
                     "INSERT INTO payments (store_id, order_id, receivable_id, method, "
                     "amount_fen, user_id, at) VALUES (?, ?, NULL, ?, ?, ?, ?)",
                     "iisiis", a->store_id, id, PAY_METHOD_NAMES[payments[i].method],
                     payments[i].amount_fen, a->user_id, now);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    rc = db_exec(db,
                 "UPDATE repair_orders SET status = 'settled', settled_at = ?, discount_fen = ?, "
                 "discount_approved_by = ?, amount_due_fen = ?, updated_at = ? WHERE id = ? AND "
                 "store_id = ? AND status = 'ready'",
                 "siIisii", now, discount_fen, approved_by, due, now, id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "status", "ready", "settled");
    json_object_set_new(ch, "amount_due_fen", json_pack("[nI]", (json_int_t)due));
    audit_int(ch, "discount_fen", 0, discount_fen);
    audit_int(ch, "discount_approved_by", 0, approved_by);
    json_t *pays = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(pays, json_pack("{s:s, s:I}", "method",
                                              PAY_METHOD_NAMES[payments[i].method], "amount_fen",
                                              (json_int_t)payments[i].amount_fen));
    json_object_set_new(ch, "payments", json_pack("[no]", pays));
    if (audit_record(db, a, "settle", "repair_order", id, ch, err) < 0)
        return -1;
    return repair_orders_get(db, a, id, out, err);
}

/* ---- receivables ---- */

#define RECEIVABLE_COLS                                                                            \
    "r.id, r.order_id, r.customer_id, o.number, c.name, r.amount_fen, r.paid_fen, r.due_date, "    \
    "r.status, r.created_at, r.paid_at"
#define RECEIVABLE_FROM                                                                            \
    " FROM receivables r JOIN repair_orders o ON o.id = r.order_id JOIN customers c ON c.id = "    \
    "r.customer_id "

static int receivable_row(struct db_res *res, void *out)
{
    struct receivable *r = out;
    memset(r, 0, sizeof *r);
    r->id = db_int(res, 0);
    r->order_id = db_int(res, 1);
    r->customer_id = db_int(res, 2);
    col_copy(r->number, sizeof r->number, res, 3);
    col_copy(r->customer_name, sizeof r->customer_name, res, 4);
    r->amount_fen = db_int(res, 5);
    r->paid_fen = db_int(res, 6);
    col_copy(r->due_date, sizeof r->due_date, res, 7);
    r->paid = strcmp(db_text(res, 8), "paid") == 0;
    col_copy(r->created_at, sizeof r->created_at, res, 9);
    col_copy(r->paid_at, sizeof r->paid_at, res, 10);
    return 0;
}

static void mark_overdue(const struct actor *a, struct receivable *r, size_t n)
{
    char today[DATE_STR];
    date_format(a->today, today);
    for (size_t i = 0; i < n; i++)
        r[i].overdue = !r[i].paid && strcmp(r[i].due_date, today) < 0;
}

int receivables_list(struct db *db, const struct actor *a, int status, struct receivable **out,
                     size_t *n, struct dms_error *err)
{
    const char *s = status < 0 ? "" : status == 0 ? "open" : "paid";
    if (store_rows(db, receivable_row, NULL, sizeof **out, 1000, (void **)out, n, err,
                   "SELECT " RECEIVABLE_COLS RECEIVABLE_FROM
                   "WHERE r.store_id = ? AND (? = '' OR r.status = ?) ORDER BY r.due_date, r.id",
                   "iss", a->store_id, s, s) < 0)
        return -1;
    mark_overdue(a, *out, *n);
    return 0;
}

int receivables_get(struct db *db, const struct actor *a, int64_t id, struct receivable *out,
                    struct dms_error *err)
{
    int rc =
        store_one(db, receivable_row, out, err,
                  "SELECT " RECEIVABLE_COLS RECEIVABLE_FROM "WHERE r.id = ? AND r.store_id = ?",
                  "ii", id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no receivable %lld", (long long)id);
    mark_overdue(a, out, 1);
    return 0;
}

int receivables_pay(struct db *db, const struct actor *a, int64_t id, enum pay_method method,
                    int64_t amount_fen, struct receivable *out, struct dms_error *err)
{
    int rc = store_lock_row(db, "receivables", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no receivable %lld", (long long)id);
    struct receivable prev;
    if (receivables_get(db, a, id, &prev, err) < 0)
        return -1;
    if (method == PAY_ON_ACCOUNT)
        return dms_fail(err, "invalid_field", "method", "a receivable is paid, not put on account");
    if (prev.paid || amount_fen <= 0 || amount_fen > prev.amount_fen - prev.paid_fen)
        return dms_fail(err, "invalid_field", "amount_fen", "at most what is owed: %lld fen",
                        (long long)(prev.amount_fen - prev.paid_fen));
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    bool full = prev.paid_fen + amount_fen == prev.amount_fen;
    rc = db_exec(db,
                 "INSERT INTO payments (store_id, order_id, receivable_id, method, amount_fen, "
                 "user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 "iiisiis", a->store_id, prev.order_id, id, PAY_METHOD_NAMES[method], amount_fen,
                 a->user_id, now);
    if (rc >= 0)
        rc = db_exec(db,
                     "UPDATE receivables SET paid_fen = paid_fen + ?, status = CASE WHEN ? = 1 "
                     "THEN 'paid' ELSE status END, paid_at = CASE WHEN ? = 1 THEN ? ELSE paid_at "
                     "END WHERE id = ? AND store_id = ?",
                     "ibbsii", amount_fen, full, full, now, id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "method", NULL, PAY_METHOD_NAMES[method]);
    audit_int(ch, "paid_fen", prev.paid_fen, prev.paid_fen + amount_fen);
    audit_text(ch, "status", prev.paid ? "paid" : "open", full ? "paid" : "open");
    if (audit_record(db, a, "pay", "receivable", id, ch, err) < 0)
        return -1;
    return receivables_get(db, a, id, out, err);
}
