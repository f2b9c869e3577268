/* The repair order's rules: see repair_order.h. */
#include "core/repair_order.h"

#include <stdio.h>

#include "core/money.h"

const char *const RO_STATUS_NAMES[RO_STATUS_COUNT] = {"open",    "in_progress", "qc",       "ready",
                                                      "settled", "delivered",   "cancelled"};
const char *const RO_SOURCE_NAMES[RO_SOURCE_COUNT] = {"appointment", "walk_in"};
const char *const RO_LINE_TYPE_NAMES[RO_LINE_TYPE_COUNT] = {"labour", "part"};
const char *const PAYER_NAMES[PAYER_COUNT] = {"customer", "warranty", "insurance", "internal",
                                              "free"};
const char *const DECISION_NAMES[DECISION_COUNT] = {NULL, "pending", "approved", "declined"};
const char *const RO_STOCK_NAMES[5] = {"none", "reserved", "on_order", "issued", "returned"};
const char *const PAY_METHOD_NAMES[PAY_METHOD_COUNT] = {"cash",   "card",     "wechat",
                                                        "alipay", "transfer", "on_account"};

bool ro_transition_ok(enum ro_status from, enum ro_status to)
{
    switch (from) {
    case RO_OPEN:
        return to == RO_IN_PROGRESS || to == RO_CANCELLED;
    case RO_IN_PROGRESS:
        return to == RO_QC || to == RO_CANCELLED;
    case RO_QC:
        return to == RO_READY || to == RO_IN_PROGRESS || to == RO_CANCELLED;
    case RO_READY:
        return to == RO_SETTLED || to == RO_CANCELLED;
    case RO_SETTLED:
        return to == RO_DELIVERED;
    default:
        return false;
    }
}

bool ro_editable(enum ro_status s)
{
    return s == RO_OPEN || s == RO_IN_PROGRESS || s == RO_QC || s == RO_READY;
}

bool ro_line_counts(enum ro_decision d)
{
    return d == DECISION_NONE || d == DECISION_APPROVED;
}

void ro_totals_of(const struct ro_amount *lines, size_t n, struct ro_totals *out)
{
    *out = (struct ro_totals){0};
    for (size_t i = 0; i < n; i++) {
        const struct ro_amount *l = &lines[i];
        if (l->decision == DECISION_PENDING)
            out->pending++;
        if (!ro_line_counts(l->decision))
            continue;
        if (l->type == RO_LINE_LABOUR)
            out->labour_fen += l->amount_fen;
        else
            out->parts_fen += l->amount_fen;
        out->by_payer[l->payer] += l->amount_fen;
    }
}

int ro_amount_due(const struct ro_totals *t, int64_t discount_fen, int64_t *due,
                  struct dms_error *err)
{
    int64_t sub = t->by_payer[PAYER_CUSTOMER];
    if (discount_fen < 0 || discount_fen > sub)
        return dms_fail(err, "invalid_field", "discount_fen",
                        "a discount is between 0 and the customer's subtotal (%lld fen)",
                        (long long)sub);
    *due = sub - discount_fen;
    return 0;
}

int ro_check_payments(const struct ro_payment *p, size_t n, int64_t due, bool company,
                      struct dms_error *err)
{
    int64_t sum = 0;
    int on_account = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].amount_fen <= 0 || p[i].amount_fen > MONEY_MAX_FEN)
            return dms_fail(err, "invalid_field", "payments",
                            "payment %zu: an amount is positive and at most %lld fen", i + 1,
                            (long long)MONEY_MAX_FEN);
        if (p[i].method == PAY_ON_ACCOUNT) {
            if (!company)
                return dms_fail(err, "invalid_field", "payments",
                                "on account (挂账) is for company customers only");
            if (++on_account > 1)
                return dms_fail(err, "invalid_field", "payments", "one on-account payment at most");
        }
        sum += p[i].amount_fen;
    }
    if (sum != due)
        return dms_fail(err, "payments_mismatch", "payments",
                        "the payments add up to %lld fen; the amount due is %lld fen",
                        (long long)sum, (long long)due);
    return 0;
}

void ro_number_format(dms_day day, int seq, char out[16])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    snprintf(out, 16, "R%02d%02d%02d%04d", y % 100, m, d, seq % 10000);
}

enum service_kind ro_default_kind(bool any_repair)
{
    return any_repair ? SERVICE_REPAIR : SERVICE_MAINTENANCE;
}

int64_t ro_wait_min(int64_t arrived_s, int64_t started_s, int64_t booked_s)
{
    int64_t from = booked_s > arrived_s ? booked_s : arrived_s;
    return started_s > from ? (started_s - from) / 60 : 0;
}

int ro_queue_cmp(const struct ro_queued *a, const struct ro_queued *b)
{
    if (a->source != b->source)
        return a->source == RO_SOURCE_APPOINTMENT ? -1 : 1;
    if (a->arrived_s != b->arrived_s)
        return a->arrived_s < b->arrived_s ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

int64_t ro_pct_tenths(int64_t part, int64_t whole)
{
    if (whole <= 0)
        return -1;
    return (part * 2000 / whole + 1) / 2;
}
