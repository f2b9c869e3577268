/* The repair order's rules (RO-3..RO-8): its life cycle, who pays for a line, what counts on
 * the statement, how the payments must add up, its number, and the workshop report's
 * arithmetic. Pure. Money in fen. */
#ifndef DMS_CORE_REPAIR_ORDER_H
#define DMS_CORE_REPAIR_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "core/service_record.h"

enum ro_status {
    RO_OPEN,        /* received; waiting for its bay, or queued */
    RO_IN_PROGRESS, /* dispatched: bay, technician, parts issued */
    RO_QC,          /* work done, quality check */
    RO_READY,       /* passed; the customer is told */
    RO_SETTLED,     /* paid (or on account) */
    RO_DELIVERED,   /* handed back; the service record is written */
    RO_CANCELLED,
    RO_STATUS_COUNT
};
extern const char *const RO_STATUS_NAMES[RO_STATUS_COUNT];

/* RO-5: open -> in_progress -> qc -> ready -> settled -> delivered; qc -> in_progress (a
 * failed check); open, in_progress, qc and ready -> cancelled. Settled goes on only to
 * delivered (the money is in), delivered and cancelled are final. */
bool ro_transition_ok(enum ro_status from, enum ro_status to);
/* Whether the order may still be edited (lines, decisions, reception fields). */
bool ro_editable(enum ro_status s);

enum ro_source { RO_SOURCE_APPOINTMENT, RO_SOURCE_WALK_IN, RO_SOURCE_COUNT };
extern const char *const RO_SOURCE_NAMES[RO_SOURCE_COUNT];

enum ro_line_type { RO_LINE_LABOUR, RO_LINE_PART, RO_LINE_TYPE_COUNT };
extern const char *const RO_LINE_TYPE_NAMES[RO_LINE_TYPE_COUNT];

/* RO-3: who pays for a line. */
enum ro_payer {
    PAYER_CUSTOMER,
    PAYER_WARRANTY,  /* the brand */
    PAYER_INSURANCE, /* an insurer's claim */
    PAYER_INTERNAL,  /* the store itself (used cars, demo cars) */
    PAYER_FREE,      /* perks for booked customers, goodwill */
    PAYER_COUNT
};
extern const char *const PAYER_NAMES[PAYER_COUNT];

/* RO-4: the customer's word on work found during the job; DECISION_NONE for work agreed at
 * reception. */
enum ro_decision {
    DECISION_NONE,
    DECISION_PENDING,
    DECISION_APPROVED,
    DECISION_DECLINED,
    DECISION_COUNT
};
/* [DECISION_NONE] is NULL: no decision is asked. */
extern const char *const DECISION_NAMES[DECISION_COUNT];

enum ro_stock { STOCK_NONE, STOCK_RESERVED, STOCK_ON_ORDER, STOCK_ISSUED, STOCK_RETURNED };
extern const char *const RO_STOCK_NAMES[5];

enum pay_method {
    PAY_CASH,
    PAY_CARD,
    PAY_WECHAT,
    PAY_ALIPAY,
    PAY_TRANSFER,
    PAY_ON_ACCOUNT, /* 挂账: a receivable, company customers only */
    PAY_METHOD_COUNT
};
extern const char *const PAY_METHOD_NAMES[PAY_METHOD_COUNT];

/* Whether a line counts on the statement: not declined, not waiting for the customer. */
bool ro_line_counts(enum ro_decision d);

struct ro_amount {
    enum ro_line_type type;
    enum ro_payer payer;
    enum ro_decision decision;
    int64_t amount_fen;
};

/* RO-7: the statement's sums over the counting lines. */
struct ro_totals {
    int64_t labour_fen, parts_fen;
    int64_t by_payer[PAYER_COUNT];
    int pending; /* lines waiting for the customer's decision */
};
void ro_totals_of(const struct ro_amount *lines, size_t n, struct ro_totals *out);

/* RO-7: what the customer pays: the customer's subtotal less the discount. A discount that is
 * negative or larger than that subtotal is invalid_field (discount_fen). */
int ro_amount_due(const struct ro_totals *t, int64_t discount_fen, int64_t *due,
                  struct dms_error *err);

struct ro_payment {
    enum pay_method method;
    int64_t amount_fen;
};
#define RO_MAX_PAYMENTS 10

/* RO-7: the payments of a settlement: each amount positive (invalid_field), on account only
 * for a company customer (invalid_field, field payments), at most one on-account line, and
 * together exactly the amount due (payments_mismatch). No payment at all settles an amount due
 * of 0 (all warranty, free …). */
int ro_check_payments(const struct ro_payment *p, size_t n, int64_t due, bool company,
                      struct dms_error *err);

/* RO-3: the order's number in its store: "R" + yymmdd of its day + the day's sequence, four
 * digits (R2612070001). seq 1..9999. */
void ro_number_format(dms_day day, int seq, char out[16]);

/* The kind a service record gets from the order's operations: maintenance when every one is,
 * else repair (the advisor may say warranty, recall, accident …). */
enum service_kind ro_default_kind(bool any_repair);

/* RO-8: the minutes a car waited for its work, from its arrival to the start (UTC seconds),
 * or, for a booked car that came early, from its booked start (booked_s; 0 for none): coming
 * early is not waiting. Never negative; rounded down. */
int64_t ro_wait_min(int64_t arrived_s, int64_t started_s, int64_t booked_s);

/* RO-2, RO-1: the queue of cars waiting for a bay: booked cars before every walk-in, each
 * group by arrival, then by id. Negative when a goes first (a qsort comparator's sign). */
struct ro_queued {
    enum ro_source source;
    int64_t arrived_s; /* UTC seconds */
    int64_t id;
};
int ro_queue_cmp(const struct ro_queued *a, const struct ro_queued *b);

/* RO-8: a share in whole percent with one decimal, as tenths (booked 3 of 7: 429 = 42.9 %),
 * rounded half up; -1 when there is nothing to divide by. */
int64_t ro_pct_tenths(int64_t part, int64_t whole);

#endif
